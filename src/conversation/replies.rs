//! Every reply of the conversation is built here: the questions, the summary, the status list
//! and the confirmation. Message ids follow one scheme: `ask-<step>`, `help-<step>`,
//! `requirements-<step>`, `field-<step>`, `choice-…`.

use super::draft::{BusinessVerification, Draft, Pending, StepId, WhatsappUse};
use super::{Choice, Note, Progress, Reply};
use crate::domain::{Category, Message, Verdict};
use chrono::NaiveDate;

/// The label of a field (`field-display-name`).
pub fn field_label(step: StepId) -> Message {
    Message::new(format!("field-{}", step.slug()))
}

/// A choice from a key and a message id.
pub(super) fn choice(key: &str, label: &str) -> Choice {
    Choice {
        key: key.to_owned(),
        label: Message::new(label),
    }
}

/// A reply without notes, choices or progress.
pub(super) fn say(step: StepId, message: Message) -> Reply {
    Reply {
        step,
        message,
        notes: Vec::new(),
        choices: Vec::new(),
        progress: None,
    }
}

fn progress(step: StepId) -> Option<Progress> {
    step.position().map(|n| Progress {
        step: n,
        of: StepId::FIELDS.len(),
    })
}

/// The sub-question of the attestation step that comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Attestation {
    Owned,
    Reachable,
    Whatsapp,
}

pub(super) fn next_attestation(draft: &Draft) -> Attestation {
    let a = &draft.answers.attestations;
    if a.owned_by_company != Some(true) {
        Attestation::Owned
    } else if a.reachable_from_abroad != Some(true) {
        Attestation::Reachable
    } else {
        Attestation::Whatsapp
    }
}

/// The options of the current question, as (key, label id).
pub(super) fn options(draft: &Draft) -> Vec<Choice> {
    if let Some(pending) = &draft.pending {
        return match pending {
            Pending::ResumeOrRestart => vec![
                choice("continue", "choice-continue"),
                choice("restart", "choice-restart"),
            ],
            Pending::ChooseLanguage => vec![
                choice("en", "language-en"),
                choice("pt-BR", "language-pt-br"),
            ],
            Pending::ConfirmCancel => vec![
                choice("yes", "choice-cancel-yes"),
                choice("no", "choice-cancel-no"),
            ],
            Pending::ConfirmCancelRequest => vec![
                choice("yes", "choice-cancel-request-yes"),
                choice("no", "choice-cancel-no"),
            ],
            Pending::ConfirmErase => vec![
                choice("yes", "choice-erase-yes"),
                choice("no", "choice-erase-no"),
            ],
            Pending::ConfirmRestart => vec![
                choice("yes", "choice-restart-yes"),
                choice("no", "choice-restart-no"),
            ],
            Pending::ChooseFieldToEdit => StepId::FIELDS
                .into_iter()
                .filter(|s| *s != StepId::ExistingAccount)
                .map(|s| Choice {
                    key: s.as_str().to_owned(),
                    label: field_label(s),
                })
                .collect(),
            Pending::ChoosePath => vec![
                choice("team", "choice-path-team"),
                choice("self", "choice-path-self"),
            ],
            Pending::ConfirmReview { .. } => vec![
                choice("yes", "choice-review-keep"),
                choice("no", "choice-review-change"),
            ],
        };
    }
    match draft.step {
        StepId::ExistingAccount => vec![choice("yes", "choice-yes"), choice("no", "choice-no")],
        StepId::AdminAvailable => vec![
            choice("yes", "choice-admin-yes"),
            choice("no", "choice-admin-not-yet"),
        ],
        StepId::PhoneAttestations => match next_attestation(draft) {
            Attestation::Owned | Attestation::Reachable => {
                vec![choice("yes", "choice-yes"), choice("no", "choice-no")]
            }
            Attestation::Whatsapp => vec![
                choice("not_in_use", "choice-whatsapp-not-in-use"),
                choice("consumer_app", "choice-whatsapp-consumer-app"),
                choice("business_app", "choice-whatsapp-business-app"),
            ],
        },
        StepId::Category => Category::ALL
            .iter()
            .map(|c| Choice {
                key: c.code().to_owned(),
                label: Message::new(c.message_id()),
            })
            .collect(),
        StepId::Description => vec![choice("skip", "choice-skip")],
        StepId::BusinessVerification => [
            BusinessVerification::Verified,
            BusinessVerification::NotVerified,
            BusinessVerification::Unknown,
        ]
        .into_iter()
        .map(|v| {
            choice(
                v.key(),
                &format!("choice-verification-{}", v.key().replace('_', "-")),
            )
        })
        .collect(),
        StepId::Summary => vec![
            choice("confirm", "choice-confirm"),
            choice("edit", "choice-edit"),
            choice("cancel", "choice-cancel"),
        ],
        StepId::StoreAccount
        | StepId::Email
        | StepId::BusinessId
        | StepId::DisplayName
        | StepId::Logo
        | StepId::Phone
        | StepId::Done => Vec::new(),
    }
}

/// The question of the current step (or of the pending question).
pub fn question(draft: &Draft) -> Reply {
    let step = draft.step;
    let message = match &draft.pending {
        Some(Pending::ResumeOrRestart) => Message::new("ask-resume")
            .nested("field", field_label(step))
            .num(
                "step",
                step.position().unwrap_or(StepId::FIELDS.len() + 1) as i64,
            ),
        Some(Pending::ChooseLanguage) => Message::new("ask-language"),
        Some(Pending::ConfirmCancel) => Message::new("ask-confirm-cancel"),
        Some(Pending::ConfirmRestart) => Message::new("ask-confirm-restart"),
        Some(Pending::ConfirmErase) => Message::new("ask-confirm-erase"),
        Some(Pending::ConfirmCancelRequest) => Message::new("ask-confirm-cancel-request")
            .text("reference", draft.reference.clone().unwrap_or_default()),
        Some(Pending::ChooseFieldToEdit) => Message::new("ask-field-to-edit"),
        Some(Pending::ChoosePath) => Message::new("ask-path"),
        Some(Pending::ConfirmReview { answer }) => {
            let mut reply = say(
                step,
                Message::new(format!("ask-review-{}", answer.step().slug())),
            );
            reply.notes = answer
                .findings()
                .iter()
                .filter(|f| f.verdict >= Verdict::Warn)
                .map(|f| Note {
                    field: None,
                    message: f.to_message(),
                })
                .collect();
            reply.choices = options(draft);
            return reply;
        }
        None => match step {
            StepId::PhoneAttestations => Message::new(match next_attestation(draft) {
                Attestation::Owned => "ask-phone-owned",
                Attestation::Reachable => "ask-phone-reachable",
                Attestation::Whatsapp => "ask-phone-whatsapp",
            }),
            StepId::Summary => return summary(draft),
            StepId::Done => Message::new("ask-done")
                .text("reference", draft.reference.clone().unwrap_or_default()),
            _ => Message::new(format!("ask-{}", step.slug())),
        },
    };
    let mut reply = say(step, message);
    reply.choices = options(draft);
    if draft.pending.is_none() {
        reply.progress = progress(step);
        if let Some(value) = value_of(draft, step).filter(|_| step.takes_text()) {
            reply.notes.push(Note {
                field: None,
                message: Message::new("current-answer").nested("value", value),
            });
        }
    }
    reply
}

/// How the answer of a step reads in the summary.
pub(super) fn value_of(draft: &Draft, step: StepId) -> Option<Message> {
    let a = &draft.answers;
    let text = |s: &str| Some(Message::new("value-text").text("value", s));
    match step {
        StepId::ExistingAccount => a
            .existing_account
            .map(|yes| Message::new(if yes { "choice-yes" } else { "choice-no" })),
        StepId::StoreAccount => a
            .store_account
            .as_ref()
            .and_then(|p| text(p.value.as_str())),
        StepId::Email => a.email.as_ref().and_then(|p| text(p.value.as_str())),
        StepId::BusinessId => a.business_id.as_ref().and_then(|p| text(p.value.as_str())),
        StepId::AdminAvailable => a
            .admin_available
            .filter(|yes| *yes)
            .map(|_| Message::new("choice-admin-yes")),
        StepId::DisplayName => a.display_name.as_ref().and_then(|p| text(p.value.as_str())),
        StepId::Logo => a.logo.as_ref().map(|p| {
            Message::new("value-logo")
                .text("format", p.value.format.as_str().to_uppercase())
                .num("width", i64::from(p.value.width))
                .num("height", i64::from(p.value.height))
                .num("kib", (p.value.byte_size.div_ceil(1024)) as i64)
        }),
        StepId::Phone => a
            .phone
            .as_ref()
            .and_then(|p| text(&p.value.international())),
        StepId::PhoneAttestations => a.attestations.whatsapp_use.map(|u| {
            Message::new(match u {
                WhatsappUse::NotInUse => "value-attested-not-in-use",
                WhatsappUse::ConsumerApp => "value-attested-consumer-app",
                WhatsappUse::BusinessApp => "value-attested-business-app",
            })
        }),
        StepId::Category => a
            .category
            .as_ref()
            .map(|p| Message::new(p.value.message_id())),
        StepId::Description => a.description.as_ref().map(|d| match d.given() {
            Some(p) => Message::new("value-text").text("value", p.value.as_str()),
            None => Message::new("value-skipped"),
        }),
        StepId::BusinessVerification => a
            .business_verification
            .map(|v| Message::new(format!("choice-verification-{}", v.key().replace('_', "-")))),
        StepId::Summary | StepId::Done => None,
    }
}

/// The summary: every field with its value, then what needs attention, then the choices.
pub(super) fn summary(draft: &Draft) -> Reply {
    let mut reply = say(StepId::Summary, Message::new("ask-summary"));
    for step in StepId::FIELDS {
        let value = value_of(draft, step).unwrap_or_else(|| Message::new("value-missing"));
        reply.notes.push(Note {
            field: Some(step),
            message: value,
        });
    }
    let findings = draft.answers.findings();
    if !findings.is_empty() {
        reply.notes.push(Note {
            field: None,
            message: Message::new("summary-attention").num("count", findings.len() as i64),
        });
        for (step, finding) in findings {
            reply.notes.push(Note {
                field: Some(step),
                message: Message::new(format!("verdict-{}", finding.verdict.as_str()))
                    .nested("text", finding.to_message()),
            });
        }
    }
    reply.choices = options(draft);
    reply
}

/// What a merchant reads once the request exists.
pub fn submitted_replies(reference: &str, expected: NaiveDate) -> Vec<Reply> {
    vec![
        say(
            StepId::Done,
            Message::new("submitted").text("reference", reference),
        ),
        say(
            StepId::Done,
            Message::new("submitted-next-steps").date("date", expected),
        ),
    ]
}

/// One of the merchant's requests, as `/status` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestOverview {
    /// `WA-000042`.
    pub reference: String,
    /// The status id (`submitted`, `in_review`, …).
    pub status: String,
    /// The display name asked for.
    pub display_name: String,
    /// When it was submitted.
    pub created_at: NaiveDate,
    /// When it last moved.
    pub updated_at: NaiveDate,
    /// Every move: when, and to which status.
    pub timeline: Vec<(NaiveDate, String)>,
}

/// `/status`: the merchant's own requests.
pub fn status_replies(step: StepId, requests: &[RequestOverview]) -> Vec<Reply> {
    if requests.is_empty() {
        return vec![say(step, Message::new("status-none"))];
    }
    let mut reply = say(
        step,
        Message::new("status-intro").num("count", requests.len() as i64),
    );
    for request in requests {
        reply.notes.push(Note {
            field: None,
            message: Message::new("status-line")
                .text("reference", &request.reference)
                .text("name", &request.display_name)
                .nested(
                    "status",
                    Message::new(format!("status-{}", request.status.replace('_', "-"))),
                )
                .date("since", request.updated_at)
                .date("created", request.created_at),
        });
        for (date, status) in &request.timeline {
            reply.notes.push(Note {
                field: None,
                message: Message::new("status-timeline").date("date", *date).nested(
                    "status",
                    Message::new(format!("status-{}", status.replace('_', "-"))),
                ),
            });
        }
    }
    vec![reply]
}

/// What a merchant reads when their request moves: the news, what to do next, and staff's
/// reason if any. `expected` is the date the next step is due; `fields` the labels of the fields
/// to fix, already in the merchant's language.
pub fn status_notification(
    reference: &str,
    status: crate::domain::RequestStatus,
    reason: Option<&str>,
    expected: Option<NaiveDate>,
    fields: &str,
) -> Vec<Message> {
    use crate::domain::RequestStatus;
    let id = format!("notify-{}", status.as_str().replace('_', "-"));
    let mut headline = Message::new(id).text("reference", reference);
    match status {
        RequestStatus::AwaitingClientApproval
        | RequestStatus::Submitted
        | RequestStatus::InReview
        | RequestStatus::ApprovedByClient
        | RequestStatus::NumberRegistered => {
            if let Some(date) = expected {
                headline = headline.date("date", date);
            }
        }
        RequestStatus::NeedsInfo => headline = headline.text("fields", fields),
        RequestStatus::Active
        | RequestStatus::Rejected
        | RequestStatus::Cancelled
        | RequestStatus::Expired => {}
    }
    let mut messages = vec![headline];
    if let Some(reason) = reason.filter(|r| !r.trim().is_empty()) {
        messages.push(Message::new("notify-reason").text("reason", reason));
    }
    messages
}

/// The reminder sent when the admin has not accepted the partner's request by the expected
/// date.
pub fn approval_reminder(reference: &str, expected: NaiveDate) -> Vec<Message> {
    vec![
        Message::new("notify-approval-reminder")
            .text("reference", reference)
            .date("date", expected),
    ]
}

/// A note staff chose to show the merchant.
pub fn note_notification(reference: &str, text: &str) -> Vec<Message> {
    vec![
        Message::new("notify-note")
            .text("reference", reference)
            .text("text", text),
    ]
}

/// A message about a request already sent (Meta's steps), outside the questions.
pub fn notice(message: Message) -> Reply {
    say(StepId::Done, message)
}

/// After the merchant sent the fields staff asked for.
pub fn resubmitted_reply(reference: &str) -> Reply {
    say(
        StepId::Done,
        Message::new("resubmitted").text("reference", reference),
    )
}

/// When the request can no longer take the fix (staff closed it meanwhile).
pub fn resubmit_refused(reference: &str, status: &str) -> Reply {
    say(
        StepId::Done,
        Message::new("resubmit-refused")
            .text("reference", reference)
            .nested(
                "status",
                Message::new(format!("status-{}", status.replace('_', "-"))),
            ),
    )
}

/// The draft set aside while fixing comes back.
pub fn parked_draft_back(draft: &Draft) -> Vec<Reply> {
    vec![
        say(draft.step, Message::new("parked-draft-back")),
        question(draft),
    ]
}

/// After the merchant's data was erased: how many requests it held.
pub fn erased_reply(requests: usize) -> Reply {
    say(
        StepId::Done,
        Message::new("erased").num("count", requests as i64),
    )
}

/// After the merchant withdrew their request.
pub fn request_cancelled_reply(reference: &str) -> Reply {
    say(
        StepId::Done,
        Message::new("request-cancelled").text("reference", reference),
    )
}

/// When the request can no longer be withdrawn (staff closed it meanwhile).
pub fn cancel_refused(reference: &str, status: &str) -> Reply {
    say(
        StepId::Done,
        Message::new("cancel-refused")
            .text("reference", reference)
            .nested(
                "status",
                Message::new(format!("status-{}", status.replace('_', "-"))),
            ),
    )
}
