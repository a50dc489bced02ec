//! The step function: one inbound message moves a draft at most one step.

use super::command::Command;
use super::draft::{
    Attestations, BusinessVerification, Draft, Optional, Pending, PendingAnswer, StepId,
    WhatsappUse,
};
use super::replies::{self, Attestation, next_attestation, options, question, say, summary};
use super::{Effect, Inbound, Note, Reply, Transition};
use crate::domain::text::fold;
use crate::domain::{
    BusinessPhone, BusinessPortfolioId, Category, Description, DisplayName, Email, Finding, Logo,
    Message, Parsed, PhoneRegion, Rejection, StoreAccount, Verdict,
};
use crate::i18n::{self, Locale};
use chrono::{DateTime, Utc};

/// Failed tries on one step before the detailed requirements and a person are offered.
pub const TRIES_BEFORE_HELP: u8 = 3;

/// Moves the conversation one message forward.
pub fn step(draft: Draft, inbound: Inbound, now: DateTime<Utc>) -> Transition {
    let mut turn = Turn::new(draft);
    match inbound {
        Inbound::Start => turn.command(Command::Start),
        Inbound::Command(command) => turn.command(command),
        Inbound::Text(text) if text.trim_start().starts_with('/') => {
            turn.command(Command::parse(&text).unwrap_or(Command::Unknown(String::new())))
        }
        Inbound::Choice(key) if key.starts_with('/') => {
            turn.command(Command::parse(&key).unwrap_or(Command::Unknown(String::new())))
        }
        Inbound::Fields(batch) => turn.fields(batch),
        Inbound::Contact { phone } => turn.contact(&phone),
        Inbound::Edit { message, text } => turn.edit(&message, &text),
        other => match turn.draft.pending.take() {
            Some(pending) => turn.pending(pending, other),
            None => turn.answer(other),
        },
    }
    turn.finish(now)
}

/// The answer to the phone step when the number is already on another open request: the
/// number is refused, the draft stays as it was before the message.
pub fn phone_taken(before: Draft, reference: &str, now: DateTime<Utc>) -> Transition {
    let mut turn = Turn::new(before);
    turn.draft.pending = None;
    // Found at the summary: fix the number, then straight back to the summary.
    let at_summary = matches!(turn.draft.step, StepId::Summary | StepId::Done);
    turn.draft.editing = turn.draft.editing || at_summary;
    if at_summary {
        turn.draft.answers.phone = None;
    }
    turn.draft.step = StepId::Phone;
    turn.reject(
        StepId::Phone,
        Rejection::one(
            Finding::new(Verdict::Reject, "phone.duplicate").text("reference", reference),
        ),
    );
    turn.finish(now)
}

/// How the rules judge `text` as the answer of a merchant speaking `locale` to the text step
/// `step` (a number without country code is read in Brazil for Portuguese, as in the
/// conversation); `None` for a step that is not answered by free text. For a form that shows
/// each field's refusal under it before anything is kept.
pub fn check_answer(step: StepId, text: &str, locale: Locale) -> Option<Result<(), Rejection>> {
    check_text(step, text, region_of(locale))
}

fn region_of(locale: Locale) -> PhoneRegion {
    match locale {
        Locale::PtBr => PhoneRegion::BRAZIL,
        Locale::En => PhoneRegion::NONE,
    }
}

/// How the rules judge `text` as the answer to the text step `step`; `None` for a step that is
/// not answered by free text.
fn check_text(step: StepId, text: &str, region: PhoneRegion) -> Option<Result<(), Rejection>> {
    let verdict = match step {
        StepId::StoreAccount => StoreAccount::parse(text).map(drop),
        StepId::Email => Email::parse(text).map(drop),
        StepId::BusinessId => BusinessPortfolioId::parse(text).map(drop),
        StepId::DisplayName => DisplayName::parse(text).map(drop),
        StepId::Phone => BusinessPhone::parse(text, region).map(drop),
        StepId::Description => Description::parse(text).map(drop),
        _ => return None,
    };
    Some(verdict)
}

/// The reasons of a refusal, one note each.
fn refusal_notes(rejection: &Rejection) -> Vec<Note> {
    rejection
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Reject)
        .map(|f| Note {
            field: None,
            message: f.to_message(),
        })
        .collect()
}

struct Turn {
    draft: Draft,
    replies: Vec<Reply>,
    effects: Vec<Effect>,
    findings: Vec<String>,
}

impl Turn {
    fn new(mut draft: Draft) -> Turn {
        draft.logo_changed = false;
        Turn {
            draft,
            replies: Vec::new(),
            effects: Vec::new(),
            findings: Vec::new(),
        }
    }

    fn finish(mut self, now: DateTime<Utc>) -> Transition {
        self.draft.updated_at = now;
        Transition {
            draft: self.draft,
            replies: self.replies,
            effects: self.effects,
            findings: self.findings,
        }
    }

    fn say(&mut self, id: &str) {
        self.replies.push(say(self.draft.step, Message::new(id)));
    }

    fn ask(&mut self) {
        self.replies.push(question(&self.draft));
    }

    fn region(&self) -> PhoneRegion {
        region_of(self.draft.locale)
    }

    // ---- commands ---------------------------------------------------------------------------

    fn command(&mut self, command: Command) {
        let done = self.draft.step == StepId::Done;
        match command {
            Command::Start => {
                if let Some(fixing) = self.draft.fixing.clone().filter(|_| !done) {
                    // A value waiting for confirmation is kept; any other question is dropped.
                    if !matches!(self.draft.pending, Some(Pending::ConfirmReview { .. })) {
                        self.draft.pending = None;
                    }
                    let mut intro = say(
                        self.draft.step,
                        Message::new("fix-intro")
                            .text("reference", fixing.reference)
                            .text("reason", fixing.reason),
                    );
                    intro.notes = fixing
                        .fields
                        .iter()
                        .map(|f| Note {
                            field: None,
                            message: replies::field_label(*f),
                        })
                        .collect();
                    self.replies.push(intro);
                    self.ask();
                } else if done {
                    self.ask();
                } else if matches!(self.draft.pending, Some(Pending::ConfirmReview { .. })) {
                    // A value waiting for confirmation is not lost: ask again.
                    self.say("welcome-back");
                    self.ask();
                } else if self.draft.has_progress() {
                    self.draft.pending = Some(Pending::ResumeOrRestart);
                    self.say("welcome-back");
                    self.ask();
                } else {
                    self.draft.pending = None;
                    self.say("welcome");
                    self.ask();
                }
            }
            Command::Help => {
                let id = if self.draft.pending.is_some() {
                    "help-pending".to_owned()
                } else {
                    format!("help-{}", self.draft.step.slug())
                };
                self.say(&id);
                self.ask();
            }
            Command::Back if done => self.ask(),
            Command::Back => {
                self.draft.pending = None;
                self.draft.editing = false;
                match self.draft.step.previous() {
                    Some(previous) => {
                        self.draft.step = previous;
                        self.draft.failures = 0;
                        if previous == StepId::PhoneAttestations {
                            self.draft.answers.attestations = Attestations::default();
                        }
                    }
                    None => self.say("back-at-first-step"),
                }
                self.ask();
            }
            Command::Skip => {
                if self.draft.step.is_optional() && self.draft.pending.is_none() {
                    self.draft.answers.description = Some(Optional::Skipped);
                    self.advance();
                } else {
                    self.say("cannot-skip");
                    self.ask();
                }
            }
            // After sending, /restart starts a new request and /cancel withdraws the one sent.
            Command::Restart if done => self.restart(),
            Command::Cancel if done => {
                if self.draft.reference.is_some() {
                    self.draft.pending = Some(Pending::ConfirmCancelRequest);
                } else {
                    self.say("already-submitted");
                }
                self.ask();
            }
            Command::Cancel => {
                self.draft.pending = Some(self.cancel_question());
                self.ask();
            }
            // Fixing a sent request: start the fix over rather than drop it.
            Command::Restart if self.draft.fixing.is_some() => {
                let first = self
                    .draft
                    .fixing
                    .as_ref()
                    .and_then(|f| f.fields.first().copied());
                self.draft.pending = None;
                self.draft.editing = false;
                self.draft.failures = 0;
                self.draft.step = first.unwrap_or(StepId::Summary);
                self.say("fix-restarted");
                self.ask();
            }
            Command::Restart => {
                self.draft.pending = Some(Pending::ConfirmRestart);
                self.ask();
            }
            Command::Language => {
                self.draft.pending = Some(Pending::ChooseLanguage);
                self.ask();
            }
            Command::Erase => {
                self.draft.pending = Some(Pending::ConfirmErase);
                self.ask();
            }
            Command::Status => {
                self.effects.push(Effect::ShowStatus);
                if !done {
                    self.ask();
                }
            }
            Command::Human => {
                self.effects.push(Effect::RequestHuman);
                self.say("human-requested");
                if !done {
                    self.ask();
                }
            }
            // A new code is for a number being registered; the service answers those
            // commands when one is. Here there is none.
            Command::Resend | Command::Call => {
                self.say("meta-code-none");
                if !done {
                    self.ask();
                }
            }
            // Likewise for a request whose store creates its account in Embedded Signup.
            Command::Signup | Command::Team => {
                self.say("signup-none");
                if !done {
                    self.ask();
                }
            }
            Command::Unknown(name) => {
                self.replies.push(say(
                    self.draft.step,
                    Message::new("unknown-command").text("command", format!("/{name}")),
                ));
                self.ask();
            }
        }
    }

    // ---- pending questions ------------------------------------------------------------------

    fn pending(&mut self, pending: Pending, inbound: Inbound) {
        self.draft.pending = Some(pending.clone());
        // Asked to confirm a value, a merchant who types another one instead of "No" has
        // answered the question again: the new value is checked in its place.
        if let (Pending::ConfirmReview { .. }, Inbound::Text(_)) = (&pending, &inbound)
            && self.key(&inbound).is_none()
            && self.draft.step.takes_text()
        {
            self.draft.pending = None;
            self.answer(inbound);
            return;
        }
        let Some(key) = self.key(&inbound) else {
            self.say("choose-an-option");
            self.ask();
            return;
        };
        self.draft.pending = None;
        match pending {
            Pending::ResumeOrRestart => match key.as_str() {
                "restart" => self.restart(),
                _ => self.ask(),
            },
            Pending::ChooseLanguage => {
                self.draft.locale = Locale::parse_exact(&key).unwrap_or(self.draft.locale);
                self.draft.locale_chosen = true;
                self.say("language-changed");
                self.ask();
            }
            Pending::ConfirmCancel => match key.as_str() {
                "yes" => {
                    self.effects.push(Effect::DeleteDraft);
                    self.say("cancelled");
                }
                _ => {
                    self.say("not-cancelled");
                    self.ask();
                }
            },
            Pending::ConfirmCancelRequest => match key.as_str() {
                "yes" => {
                    self.draft.fixing = None;
                    self.draft.step = StepId::Done;
                    self.effects.push(Effect::CancelRequest);
                }
                _ => {
                    self.say("not-cancelled");
                    self.ask();
                }
            },
            Pending::ConfirmErase => match key.as_str() {
                "yes" => self.effects.push(Effect::Erase),
                _ => {
                    self.say("not-erased");
                    self.ask();
                }
            },
            Pending::ConfirmRestart => match key.as_str() {
                "yes" => self.restart(),
                _ => self.ask(),
            },
            Pending::ChooseFieldToEdit => {
                if let Some(step) = StepId::parse(&key) {
                    self.draft.step = step;
                    self.draft.editing = true;
                    self.draft.failures = 0;
                    if step == StepId::PhoneAttestations {
                        self.draft.answers.attestations = Attestations::default();
                    }
                }
                self.ask();
            }
            Pending::ChoosePath => match key.as_str() {
                "team" | "self" => {
                    self.draft.self_signup = key == "self";
                    self.draft.step = StepId::Done;
                    self.effects.push(Effect::Submit);
                }
                _ => {
                    self.say("choose-an-option");
                    self.ask();
                }
            },
            Pending::ConfirmReview { answer } => {
                if key == "yes" {
                    self.store(*answer);
                    self.advance();
                } else {
                    self.say("review-change");
                    self.ask();
                }
            }
        }
    }

    fn restart(&mut self) {
        let mut fresh = Draft::new(self.draft.locale, self.draft.created_at);
        fresh.locale_chosen = self.draft.locale_chosen;
        fresh.logo_changed = self.draft.answers.logo.is_some();
        self.draft = fresh;
        self.say("restarted");
        self.ask();
    }

    /// The option the merchant picked: a choice key, or text matching a key or a label in any
    /// language.
    fn key(&self, inbound: &Inbound) -> Option<String> {
        let choices = options(&self.draft);
        let wanted = match inbound {
            Inbound::Choice(key) | Inbound::Text(key) => fold(key.trim()),
            _ => return None,
        };
        let matches = |id: &str| {
            i18n::in_every_locale(id)
                .iter()
                .any(|label| fold(label) == wanted)
        };
        choices
            .iter()
            .find(|c| fold(&c.key) == wanted || matches(&c.label.id))
            // A plain "yes"/"no" ("sim"/"não") answers any yes/no question, whatever its labels.
            .or_else(|| {
                let plain = ["yes", "no"]
                    .into_iter()
                    .find(|k| matches(&format!("choice-{k}")))?;
                choices.iter().find(|c| c.key == plain)
            })
            .map(|c| c.key.clone())
    }

    // ---- shared cards and edits -------------------------------------------------------------

    /// A contact card answers the phone question with its number (international, the `+`
    /// added when the card has none); anywhere else it is explained, and nothing changes.
    fn contact(&mut self, phone: &str) {
        if self.draft.step == StepId::Phone && self.draft.pending.is_none() {
            let phone = phone.trim();
            let number = if phone.starts_with('+') {
                phone.to_owned()
            } else {
                format!("+{phone}")
            };
            self.answer(Inbound::Text(number));
        } else {
            self.say("contact-not-expected");
            self.ask();
        }
    }

    /// An edited message. One that answered an earlier text question changes that answer,
    /// checked like any answer, and the conversation comes back to where the merchant was;
    /// one that answered the current question (and was refused) is read as the new answer. An
    /// edit that cannot be placed (an old or unknown message, a choice, a request already
    /// sent or being fixed) changes nothing, and the merchant is told how to change an answer.
    fn edit(&mut self, message: &str, text: &str) {
        let answered = self.draft.answered_step(message);
        match answered {
            _ if self.draft.step == StepId::Done => {
                self.say("edit-after-send");
                self.ask();
            }
            Some(step) if step == self.draft.step && self.draft.pending.is_none() => {
                self.answer(Inbound::Text(text.to_owned()));
            }
            Some(step)
                if step < self.draft.step
                    && self.draft.fixing.is_none()
                    && check_text(step, text, self.region()).is_some() =>
            {
                self.edit_answer(step, text);
            }
            _ => {
                self.say("edit-unknown");
                self.ask();
            }
        }
    }

    fn edit_answer(&mut self, step: StepId, text: &str) {
        let label = replies::field_label(step);
        match check_text(step, text, self.region()) {
            Some(Err(rejection)) => {
                self.findings
                    .extend(rejection.findings.iter().map(|f| f.code.clone()));
                let mut reply = say(
                    step,
                    Message::new("edit-not-applied").nested("field", label),
                );
                reply.notes = refusal_notes(&rejection);
                self.replies.push(reply);
                self.ask();
            }
            _ => {
                self.replies.push(say(
                    step,
                    Message::new("edit-applied").nested("field", label),
                ));
                // Answered like a new answer to that step; the next question is then the first
                // one still unanswered, where the merchant was (or the summary).
                self.draft.pending = None;
                self.draft.failures = 0;
                self.draft.step = step;
                self.answer(Inbound::Text(text.to_owned()));
            }
        }
    }

    // ---- answers ----------------------------------------------------------------------------

    fn answer(&mut self, inbound: Inbound) {
        let step = self.draft.step;
        if let Inbound::Unsupported = inbound {
            self.say("unsupported-input");
            self.ask();
            return;
        }
        match step {
            StepId::ExistingAccount => self.choose(&inbound, |turn, key| {
                turn.draft.answers.existing_account = Some(key == "yes");
                if key == "yes" {
                    turn.say("existing-account-noted");
                }
                true
            }),
            StepId::AdminAvailable => self.choose(&inbound, |turn, key| {
                if key == "yes" {
                    turn.draft.answers.admin_available = Some(true);
                    true
                } else {
                    turn.say("admin-required");
                    false
                }
            }),
            StepId::PhoneAttestations => self.attest(&inbound),
            StepId::BusinessVerification => self.choose(&inbound, |turn, key| {
                let verification = match key {
                    "verified" => BusinessVerification::Verified,
                    "not_verified" => BusinessVerification::NotVerified,
                    _ => BusinessVerification::Unknown,
                };
                if verification != BusinessVerification::Verified {
                    turn.say("verification-explained");
                }
                turn.draft.answers.business_verification = Some(verification);
                true
            }),
            StepId::Category => {
                let text = match &inbound {
                    Inbound::Choice(key) | Inbound::Text(key) => key.clone(),
                    _ => return self.expected_text(),
                };
                let parsed = Category::parse(&text, |c| i18n::in_every_locale(c.message_id()));
                self.take(step, parsed, |value| PendingAnswer::Category { value });
            }
            StepId::Description => match &inbound {
                Inbound::Choice(key) if key == "skip" => {
                    self.draft.answers.description = Some(Optional::Skipped);
                    self.advance();
                }
                Inbound::Text(text) | Inbound::Choice(text) => {
                    let parsed = Description::parse(text);
                    self.take_simple(step, parsed, |d, p| {
                        d.answers.description = Some(Optional::Given(p))
                    });
                }
                _ => self.expected_text(),
            },
            StepId::Logo => match inbound {
                Inbound::File { bytes, .. } => {
                    let parsed = Logo::parse(&bytes);
                    self.take_simple(step, parsed, |d, p| {
                        d.answers.logo = Some(p);
                        d.logo_changed = true;
                    });
                }
                Inbound::Unreadable(problem) => {
                    let finding = problem.finding();
                    self.reject(step, Rejection::one(finding));
                }
                _ => {
                    self.say("logo-expected-file");
                    self.ask();
                }
            },
            StepId::Summary => self.summary_choice(&inbound),
            StepId::Done => {
                // Words for the team about the request sent are passed on, not lost.
                if let Inbound::Text(text) = &inbound
                    && !text.trim().is_empty()
                    && self.draft.reference.is_some()
                {
                    self.effects.push(Effect::PassOn {
                        text: text.trim().to_owned(),
                    });
                    self.say("message-passed-on");
                }
                self.ask();
            }
            StepId::StoreAccount
            | StepId::Email
            | StepId::BusinessId
            | StepId::DisplayName
            | StepId::Phone => {
                let text = match &inbound {
                    Inbound::Text(text) | Inbound::Choice(text) => text.clone(),
                    _ => return self.expected_text(),
                };
                self.text_field(step, &text);
            }
        }
    }

    fn text_field(&mut self, step: StepId, text: &str) {
        match step {
            StepId::StoreAccount => {
                let parsed = StoreAccount::parse(text);
                self.take_simple(step, parsed, |d, p| d.answers.store_account = Some(p));
            }
            StepId::Email => {
                let parsed = Email::parse(text);
                self.take_simple(step, parsed, |d, p| d.answers.email = Some(p));
            }
            StepId::BusinessId => {
                let parsed = BusinessPortfolioId::parse(text);
                self.take_simple(step, parsed, |d, p| d.answers.business_id = Some(p));
            }
            StepId::DisplayName => {
                let parsed = DisplayName::parse(text);
                self.take(step, parsed, |value| PendingAnswer::DisplayName { value });
            }
            StepId::Phone => {
                let parsed = BusinessPhone::parse(text, self.region());
                if let Ok(p) = &parsed {
                    self.effects.push(Effect::CheckPhoneAvailable {
                        e164: p.value.e164().to_owned(),
                    });
                }
                self.take(step, parsed, |value| PendingAnswer::Phone { value });
            }
            StepId::Description => {
                let parsed = Description::parse(text);
                self.take_simple(step, parsed, |d, p| {
                    d.answers.description = Some(Optional::Given(p))
                });
            }
            _ => self.expected_text(),
        }
    }

    fn expected_text(&mut self) {
        self.say("expected-text");
        self.ask();
    }

    /// A closed-set step: `apply` stores the key and says whether to move on.
    fn choose(&mut self, inbound: &Inbound, apply: impl FnOnce(&mut Turn, &str) -> bool) {
        match self.key(inbound) {
            Some(key) => {
                if apply(self, &key) {
                    self.advance();
                } else {
                    self.ask();
                }
            }
            None => {
                self.say("choose-an-option");
                self.ask();
            }
        }
    }

    fn attest(&mut self, inbound: &Inbound) {
        let which = next_attestation(&self.draft);
        let Some(key) = self.key(inbound) else {
            self.say("choose-an-option");
            self.ask();
            return;
        };
        let attestations = &mut self.draft.answers.attestations;
        match which {
            Attestation::Owned => {
                attestations.owned_by_company = Some(key == "yes");
                if key != "yes" {
                    attestations.owned_by_company = None;
                    return self.reject(
                        StepId::PhoneAttestations,
                        Rejection::one(Finding::new(Verdict::Reject, "phone.not_owned")),
                    );
                }
            }
            Attestation::Reachable => {
                if key != "yes" {
                    return self.reject(
                        StepId::PhoneAttestations,
                        Rejection::one(Finding::new(Verdict::Reject, "phone.not_reachable")),
                    );
                }
                attestations.reachable_from_abroad = Some(true);
            }
            Attestation::Whatsapp => {
                let usage = match key.as_str() {
                    "consumer_app" => WhatsappUse::ConsumerApp,
                    "business_app" => WhatsappUse::BusinessApp,
                    _ => WhatsappUse::NotInUse,
                };
                attestations.whatsapp_use = Some(usage);
                let notes: Vec<Note> = attestations
                    .findings()
                    .iter()
                    .map(|f| Note {
                        field: None,
                        message: f.to_message(),
                    })
                    .collect();
                if !notes.is_empty() {
                    let mut reply = say(
                        StepId::PhoneAttestations,
                        Message::new("noted-with-warnings"),
                    );
                    reply.notes = notes;
                    self.replies.push(reply);
                }
                return self.advance();
            }
        }
        self.draft.failures = 0;
        self.ask();
    }

    fn summary_choice(&mut self, inbound: &Inbound) {
        match self.key(inbound).as_deref() {
            Some("confirm") => match self.draft.answers.first_missing() {
                Some(missing) => {
                    self.draft.step = missing;
                    self.say("summary-incomplete");
                    self.ask();
                }
                None if self.draft.signup_offered && self.draft.fixing.is_none() => {
                    self.draft.pending = Some(Pending::ChoosePath);
                    self.ask();
                }
                None => {
                    self.draft.step = StepId::Done;
                    if self.draft.fixing.take().is_some() {
                        self.effects.push(Effect::Resubmit);
                    } else {
                        self.effects.push(Effect::Submit);
                    }
                }
            },
            Some("edit") => {
                self.draft.pending = Some(Pending::ChooseFieldToEdit);
                self.ask();
            }
            Some("cancel") => {
                self.draft.pending = Some(self.cancel_question());
                self.ask();
            }
            _ => {
                self.say("choose-an-option");
                self.ask();
            }
        }
    }

    /// Several answers at once: each is checked on its own; the valid ones are kept, each
    /// invalid one is reported under its field, and the conversation goes on at the first
    /// field still missing.
    fn fields(&mut self, batch: Vec<(StepId, String)>) {
        if self.draft.step == StepId::Done {
            self.ask();
            return;
        }
        self.draft.pending = None;
        let mut problems = Vec::new();
        for (step, text) in batch {
            let outcome: Result<Vec<Finding>, Rejection> = match step {
                StepId::StoreAccount => StoreAccount::parse(&text).map(|p| {
                    let f = p.findings.clone();
                    self.draft.answers.store_account = Some(p);
                    f
                }),
                StepId::Email => Email::parse(&text).map(|p| {
                    let f = p.findings.clone();
                    self.draft.answers.email = Some(p);
                    f
                }),
                StepId::BusinessId => BusinessPortfolioId::parse(&text).map(|p| {
                    let f = p.findings.clone();
                    self.draft.answers.business_id = Some(p);
                    f
                }),
                StepId::DisplayName => DisplayName::parse(&text).map(|p| {
                    let f = p.findings.clone();
                    self.draft.answers.display_name = Some(p);
                    f
                }),
                StepId::Phone => BusinessPhone::parse(&text, self.region()).map(|p| {
                    let f = p.findings.clone();
                    self.effects.push(Effect::CheckPhoneAvailable {
                        e164: p.value.e164().to_owned(),
                    });
                    self.store(PendingAnswer::Phone { value: p });
                    f
                }),
                StepId::Description if text.trim().is_empty() => {
                    self.draft.answers.description = Some(Optional::Skipped);
                    Ok(Vec::new())
                }
                StepId::Description => Description::parse(&text).map(|p| {
                    let f = p.findings.clone();
                    self.draft.answers.description = Some(Optional::Given(p));
                    f
                }),
                _ => Err(Rejection::one(Finding::new(
                    Verdict::Reject,
                    "input.not_a_text_field",
                ))),
            };
            match outcome {
                Ok(findings) => problems.extend(
                    findings
                        .into_iter()
                        .filter(|f| f.verdict == Verdict::Warn)
                        .map(|f| Note {
                            field: Some(step),
                            message: f.to_message(),
                        }),
                ),
                Err(rejection) => problems.extend(
                    rejection
                        .findings
                        .into_iter()
                        .filter(|f| f.verdict == Verdict::Reject)
                        .map(|f| Note {
                            field: Some(step),
                            message: f.to_message(),
                        }),
                ),
            }
        }
        if !problems.is_empty() {
            let mut reply = say(self.draft.step, Message::new("form-problems"));
            reply.notes = problems;
            self.replies.push(reply);
        }
        self.draft.step = self
            .draft
            .answers
            .first_missing()
            .unwrap_or(StepId::Summary);
        self.draft.failures = 0;
        self.ask();
    }

    // ---- outcomes ---------------------------------------------------------------------------

    /// Takes a parsed value that never needs review.
    fn take_simple<T>(
        &mut self,
        step: StepId,
        parsed: Result<Parsed<T>, Rejection>,
        store: impl FnOnce(&mut Draft, Parsed<T>),
    ) {
        match parsed {
            Ok(value) => {
                self.warnings(step, &value.findings);
                store(&mut self.draft, value);
                self.advance();
            }
            Err(rejection) => self.reject(step, rejection),
        }
    }

    /// Takes a parsed value; one with a review finding waits for the merchant's confirmation.
    fn take<T>(
        &mut self,
        step: StepId,
        parsed: Result<Parsed<T>, Rejection>,
        pending: impl FnOnce(Parsed<T>) -> PendingAnswer,
    ) {
        match parsed {
            Ok(value) if value.needs_review() => {
                self.findings
                    .extend(value.findings.iter().map(|f| f.code.clone()));
                self.draft.pending = Some(Pending::ConfirmReview {
                    answer: Box::new(pending(value)),
                });
                self.ask();
            }
            Ok(value) => {
                self.warnings(step, &value.findings);
                self.store(pending(value));
                self.advance();
            }
            Err(rejection) => self.reject(step, rejection),
        }
    }

    fn store(&mut self, answer: PendingAnswer) {
        let answers = &mut self.draft.answers;
        match answer {
            PendingAnswer::DisplayName { value } => answers.display_name = Some(value),
            PendingAnswer::Phone { value } => {
                // What was attested was about the old number.
                if answers.phone.as_ref().map(|p| p.value.e164()) != Some(value.value.e164()) {
                    answers.attestations = Attestations::default();
                }
                answers.phone = Some(value);
            }
            PendingAnswer::Category { value } => answers.category = Some(value),
        }
    }

    /// What `/cancel` asks: to drop the draft, or, for a request already sent (being fixed),
    /// to withdraw it.
    fn cancel_question(&self) -> Pending {
        if self.draft.fixing.is_some() && self.draft.reference.is_some() {
            Pending::ConfirmCancelRequest
        } else {
            Pending::ConfirmCancel
        }
    }

    /// Says how an answer was read when it was unwrapped or corrected (a finding that accepts),
    /// then the warnings it earned, if any.
    fn warnings(&mut self, step: StepId, findings: &[Finding]) {
        self.findings
            .extend(findings.iter().map(|f| f.code.clone()));
        for reading in findings.iter().filter(|f| f.verdict == Verdict::Accept) {
            self.replies.push(say(step, reading.to_message()));
        }
        let notes: Vec<Note> = findings
            .iter()
            .filter(|f| f.verdict == Verdict::Warn)
            .map(|f| Note {
                field: None,
                message: f.to_message(),
            })
            .collect();
        if !notes.is_empty() {
            let mut reply = say(step, Message::new("noted-with-warnings"));
            reply.notes = notes;
            self.replies.push(reply);
        }
    }

    /// Refuses an answer: the reasons, the same question again, and after repeated failures the
    /// detailed requirements and the offer of a person. The answers stay as they were.
    fn reject(&mut self, step: StepId, rejection: Rejection) {
        self.findings
            .extend(rejection.findings.iter().map(|f| f.code.clone()));
        self.draft.failures = self.draft.failures.saturating_add(1);
        let mut reply = say(step, Message::new(format!("rejected-{}", step.slug())));
        reply.notes = refusal_notes(&rejection);
        self.replies.push(reply);
        if self.draft.failures >= TRIES_BEFORE_HELP {
            self.replies.push(say(
                step,
                Message::new(format!("requirements-{}", step.slug())),
            ));
            let mut offer = say(step, Message::new("offer-human"));
            offer.choices = vec![replies::choice("/human", "choice-human")];
            self.replies.push(offer);
        }
        self.ask();
    }

    /// Moves to the next step, or back to the summary when editing from it.
    fn advance(&mut self) {
        self.draft.failures = 0;
        self.draft.pending = None;
        let current = self.draft.step;
        // A new number needs its attestations before anything else, even when editing.
        if current == StepId::Phone && !self.draft.answers.attestations.is_complete() {
            self.draft.step = StepId::PhoneAttestations;
            self.ask();
            return;
        }
        self.draft.step = if self.draft.editing {
            self.draft.editing = false;
            StepId::Summary
        } else if let Some(fixing) = &self.draft.fixing {
            // Only the fields staff asked for, then the summary.
            fixing
                .fields
                .iter()
                .copied()
                .find(|f| *f > current)
                .unwrap_or(StepId::Summary)
        } else {
            // The next question not answered yet: a form may have answered later ones.
            let mut next = current.next();
            while next != StepId::Summary && self.draft.answers.has(next) {
                next = next.next();
            }
            next
        };
        if self.draft.step == StepId::Summary {
            self.replies.push(summary(&self.draft));
        } else {
            self.ask();
        }
    }
}

#[cfg(test)]
mod tests;
