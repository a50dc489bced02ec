//! Meta drives the lifecycle: the store's admin accepting the partner's request, the number's
//! registration (the merchant types the code Meta sent them in their chat), and the display
//! name review. Every move is made with [`Actor::meta`], in the history and notified like any
//! other; staff still move requests by hand, and a change for a move already made changes
//! nothing. What matches no request, or several, is kept for staff (`meta events`) and shown
//! on their boards, never guessed.

use crate::clock::Clock;
use crate::conversation::{self, Command, Inbound, Reply, StepId};
use crate::domain::{BusinessPhone, CodeMethod, Message, RequestStatus};
use crate::i18n::{self, Locale};
use crate::jobs::Job;
use crate::meta::graph::{ClientAccount, Problem, Step};
use crate::meta::{Change, Event, NAME_REJECTION_REASONS};
use crate::service::lifecycle::{self, Actor, LifecycleError};
use crate::storage::{NewJob, Registration, RequestRow, Store, Tx, UserKey};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// Seconds before the merchant may ask for another code (Meta limits code requests; asking
/// twice in a minute only spends them).
const RESEND_AFTER_SECS: i64 = 60;

/// Where the registration of a request's number stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Accepted; staff register the number by hand (registration from the chat is off).
    Manual,
    /// The number is being added to the account.
    Adding,
    /// A code is being asked for.
    Requesting,
    /// Meta sent a code: the merchant is asked to type it.
    CodeSent,
    /// The code typed is being checked.
    Verifying,
    /// The verified number is being registered.
    Registering,
    /// Registered.
    Registered,
    /// Stopped on one of Meta's limits until `retry_at`; the merchant asks again then.
    Waiting,
    /// Stopped: staff must act (Meta's words are on their boards).
    Stopped,
}

impl Stage {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Manual => "manual",
            Stage::Adding => "adding",
            Stage::Requesting => "requesting",
            Stage::CodeSent => "code_sent",
            Stage::Verifying => "verifying",
            Stage::Registering => "registering",
            Stage::Registered => "registered",
            Stage::Waiting => "waiting",
            Stage::Stopped => "stopped",
        }
    }

    /// A stage by its stored name.
    pub fn parse(text: &str) -> Option<Stage> {
        [
            Stage::Manual,
            Stage::Adding,
            Stage::Requesting,
            Stage::CodeSent,
            Stage::Verifying,
            Stage::Registering,
            Stage::Registered,
            Stage::Waiting,
            Stage::Stopped,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Stages in which Meta is being asked something on the merchant's behalf.
    fn busy(self) -> bool {
        matches!(
            self,
            Stage::Adding | Stage::Requesting | Stage::Verifying | Stage::Registering
        )
    }
}

/// What a Graph API call of the registration did, to record.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The number is on the account with this id.
    NumberAdded {
        /// The request's UUID.
        request_id: String,
        /// Meta's phone number id.
        phone_number_id: String,
    },
    /// Meta sent a code.
    CodeSent {
        /// The request's UUID.
        request_id: String,
        /// How.
        method: CodeMethod,
    },
    /// The code was right.
    Verified {
        /// The request's UUID.
        request_id: String,
    },
    /// The number is registered.
    Registered {
        /// The request's UUID.
        request_id: String,
    },
    /// Meta refused a call.
    Refused {
        /// The request's UUID.
        request_id: String,
        /// The call's step.
        step: Step,
        /// What it means.
        problem: Problem,
        /// Meta's words.
        said: String,
        /// How long Meta asks to wait.
        wait: Option<std::time::Duration>,
    },
}

/// Meta's webhook changes, received.
#[derive(Clone)]
pub struct MetaService {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl MetaService {
    /// The service on a store with a clock.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> MetaService {
        MetaService { store, clock }
    }

    /// Records the changes of one webhook call and queues each new one for the worker, in one
    /// transaction; returns how many were new (a change Meta sends again is skipped).
    pub async fn receive(&self, changes: &[Change]) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut new = 0;
        for change in changes {
            if tx
                .record_event(&format!("meta:{}", change.key), now)
                .await?
            {
                tx.enqueue(&NewJob::now(
                    Job::MetaChange(change.clone()),
                    Some(format!("meta_change:{}", change.key)),
                    now,
                ))
                .await?;
                new += 1;
            }
        }
        tx.commit().await?;
        Ok(new)
    }

    /// The time.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// Queues an alert for staff.
pub(crate) async fn alert(
    tx: &mut Tx,
    request_id: Option<&str>,
    alert: Message,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    tx.enqueue(&NewJob::now(
        Job::MetaAlert {
            request_id: request_id.map(str::to_owned),
            alert,
        },
        None,
        now,
    ))
    .await?;
    Ok(())
}

/// Why a change is kept for staff, and what it is tied to.
struct Kept<'a> {
    /// Meta's event or decision.
    event: &'a str,
    /// The business portfolio it names.
    business_id: Option<&'a str>,
    /// The request it is about.
    request_id: Option<&'a str>,
    /// `unmatched`, `ambiguous`, `alert`, `deferred`.
    outcome: &'a str,
}

/// Keeps a change for staff and tells them.
async fn keep(
    tx: &mut Tx,
    change: &Change,
    kept: Kept<'_>,
    message: Message,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    tx.keep_meta_event(
        &change.field,
        kept.event,
        Some(&change.account()),
        kept.business_id,
        kept.request_id,
        kept.outcome,
        &change.value.to_string(),
        now,
    )
    .await?;
    tracing::warn!(field = %change.field, event = kept.event, outcome = kept.outcome, "Meta change kept for staff");
    alert(tx, kept.request_id, message, now).await
}

/// Starts the registration of an accepted request's number, or leaves it to staff.
async fn start_registration(
    tx: &mut Tx,
    request: &RequestRow,
    waba_id: &str,
    from_chat: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let stage = if from_chat {
        Stage::Adding
    } else {
        Stage::Manual
    };
    tx.save_registration(&Registration::starting(
        &request.id,
        waba_id.to_owned(),
        None,
        stage.as_str(),
        None,
        now,
    ))
    .await?;
    if from_chat {
        tx.enqueue(&NewJob::now(
            Job::MetaAddNumber {
                request_id: request.id.clone(),
            },
            Some(format!("meta_add_number:{}", request.id)),
            now,
        ))
        .await?;
    }
    Ok(())
}

/// Handles one change (a job's transaction): moves, registrations, or what staff must see.
/// `from_chat`: numbers are registered from the chat once accepted.
pub async fn apply(
    tx: &mut Tx,
    change: &Change,
    from_chat: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    match change.event() {
        Event::Accepted {
            event,
            waba_id,
            owner_business_id,
        } => {
            let awaiting = tx
                .lock_requests_of_portfolio(
                    &owner_business_id,
                    RequestStatus::AwaitingClientApproval.as_str(),
                )
                .await?;
            match awaiting.as_slice() {
                [request] => {
                    lifecycle::move_in(
                        tx,
                        request,
                        RequestStatus::ApprovedByClient,
                        &Actor::meta(),
                        None,
                        now,
                    )
                    .await
                    .map_err(anyhow::Error::from)?;
                    start_registration(tx, request, &waba_id, from_chat, now).await?;
                    tracing::info!(reference = %request.reference, "accepted by the store's admin (Meta)");
                }
                [] => {
                    // Staff may have moved it by hand already: the account is recorded then,
                    // and nothing moves.
                    let approved = tx
                        .lock_requests_of_portfolio(
                            &owner_business_id,
                            RequestStatus::ApprovedByClient.as_str(),
                        )
                        .await?;
                    let mut recorded = false;
                    if let [request] = approved.as_slice()
                        && tx.lock_registration(&request.id).await?.is_none()
                    {
                        start_registration(tx, request, &waba_id, from_chat, now).await?;
                        recorded = true;
                    }
                    let known = tx.request_of_account(&waba_id).await?.is_some();
                    if !recorded && !known {
                        let message = Message::new("meta-alert-unmatched")
                            .text("event", event.clone())
                            .text("business", owner_business_id.clone())
                            .text("account", waba_id.clone());
                        keep(
                            tx,
                            change,
                            Kept {
                                event: &event,
                                business_id: Some(&owner_business_id),
                                request_id: None,
                                outcome: "unmatched",
                            },
                            message,
                            now,
                        )
                        .await?;
                    }
                }
                several => {
                    let references: Vec<&str> =
                        several.iter().map(|r| r.reference.as_str()).collect();
                    let message = Message::new("meta-alert-ambiguous")
                        .text("event", event.clone())
                        .text("business", owner_business_id.clone())
                        .text("account", waba_id.clone())
                        .text("references", references.join(", "));
                    keep(
                        tx,
                        change,
                        Kept {
                            event: &event,
                            business_id: Some(&owner_business_id),
                            request_id: None,
                            outcome: "ambiguous",
                        },
                        message,
                        now,
                    )
                    .await?;
                }
            }
        }
        Event::Alert {
            event,
            waba_id,
            detail,
        } => {
            let request_id = tx.request_of_account(&waba_id).await?;
            let reference = match &request_id {
                Some(id) => tx.lock_request_by_id(id).await?.map(|r| r.reference),
                None => None,
            };
            let message = Message::new("meta-alert-account")
                .text("event", event.clone())
                .text("detail", detail.unwrap_or_else(|| "-".to_owned()))
                .text("account", waba_id.clone())
                .text("reference", reference.unwrap_or_else(|| "-".to_owned()));
            let outcome = if request_id.is_some() {
                "alert"
            } else {
                "unmatched"
            };
            keep(
                tx,
                change,
                Kept {
                    event: &event,
                    business_id: None,
                    request_id: request_id.as_deref(),
                    outcome,
                },
                message,
                now,
            )
            .await?;
        }
        Event::NameReview {
            phone_digits,
            decision,
            requested_name,
            rejection_reason,
            ..
        } => {
            name_review(
                tx,
                change,
                &format!("+{phone_digits}"),
                &decision,
                &requested_name,
                rejection_reason.as_deref(),
                now,
            )
            .await?;
        }
        Event::Other => {
            tracing::debug!(field = %change.field, "Meta change the bot does not act on");
        }
    }
    Ok(())
}

/// The explanation of a display name rejection, in the merchant's language.
pub fn rejection_explanation(reason: Option<&str>, locale: Locale) -> String {
    let message = match reason.filter(|r| NAME_REJECTION_REASONS.contains(r)) {
        Some(known) => Message::new(format!(
            "meta-name-rejected-{}",
            known.to_ascii_lowercase().replace('_', "-")
        )),
        None => Message::new("meta-name-rejected-other")
            .text("reason", reason.unwrap_or("-").to_owned()),
    };
    i18n::render(locale, &message)
}

async fn name_review(
    tx: &mut Tx,
    change: &Change,
    e164: &str,
    decision: &str,
    requested_name: &str,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    // The merchant's draft row is locked before the request, as a merchant's message does.
    let Some((found, requester)) = tx.open_request_by_phone(e164).await? else {
        let message = Message::new("meta-alert-name-unmatched")
            .text("decision", decision.to_owned())
            .text("number", e164.to_owned())
            .text("name", requested_name.to_owned());
        return keep(
            tx,
            change,
            Kept {
                event: decision,
                business_id: None,
                request_id: None,
                outcome: "unmatched",
            },
            message,
            now,
        )
        .await;
    };
    if decision == "REJECTED" {
        tx.lock_draft_row(&requester).await?;
    }
    let Some(request) = tx.lock_request_by_id(&found).await? else {
        return Ok(());
    };
    let status = RequestStatus::parse(&request.status);
    let out_of_step = |decision: &str| {
        Message::new("meta-alert-name-out-of-step")
            .text("reference", request.reference.clone())
            .text("decision", decision.to_owned())
            .text("status", request.status.clone())
            .text("name", requested_name.to_owned())
    };
    match (decision, status) {
        ("APPROVED", Some(RequestStatus::NumberRegistered)) => {
            lifecycle::move_in(
                tx,
                &request,
                RequestStatus::Active,
                &Actor::meta(),
                None,
                now,
            )
            .await
            .map_err(anyhow::Error::from)?;
            tracing::info!(reference = %request.reference, "display name approved (Meta)");
        }
        ("APPROVED", Some(RequestStatus::Active))
        | ("REJECTED", Some(RequestStatus::NeedsInfo)) => {
            tracing::info!(reference = %request.reference, "name review already applied");
        }
        ("REJECTED", Some(RequestStatus::NumberRegistered)) => {
            let locale = Locale::negotiate(&request.locale);
            let explanation = rejection_explanation(reason, locale);
            match lifecycle::ask_in(
                tx,
                &request,
                vec![StepId::DisplayName],
                &explanation,
                &Actor::meta(),
                now,
            )
            .await
            {
                Ok(()) => {
                    tracing::info!(reference = %request.reference, "display name rejected (Meta)");
                }
                // The merchant is fixing another request: staff take it from here.
                Err(LifecycleError::FixInProgress(other)) => {
                    let message = Message::new("meta-alert-name-rejected-busy")
                        .text("reference", request.reference.clone())
                        .text("other", other)
                        .text("reason", reason.unwrap_or("-").to_owned());
                    keep(
                        tx,
                        change,
                        Kept {
                            event: decision,
                            business_id: None,
                            request_id: Some(&request.id),
                            outcome: "alert",
                        },
                        message,
                        now,
                    )
                    .await?;
                }
                Err(other) => return Err(other.into()),
            }
        }
        ("DEFERRED" | "PENDING", _) => {
            let message = Message::new("meta-alert-name-deferred")
                .text("reference", request.reference.clone())
                .text("decision", decision.to_owned())
                .text("name", requested_name.to_owned());
            keep(
                tx,
                change,
                Kept {
                    event: decision,
                    business_id: None,
                    request_id: Some(&request.id),
                    outcome: "deferred",
                },
                message,
                now,
            )
            .await?;
        }
        _ => {
            keep(
                tx,
                change,
                Kept {
                    event: decision,
                    business_id: None,
                    request_id: Some(&request.id),
                    outcome: "alert",
                },
                out_of_step(decision),
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// Applies what a poll of the partner's client accounts found: each account owned by a
/// portfolio with a request awaiting acceptance, and not yet tied to a request, is an
/// acceptance whose webhook never came.
pub async fn apply_poll(
    tx: &mut Tx,
    accounts: &[ClientAccount],
    from_chat: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let mut moved = 0;
    for account in accounts {
        let Some(owner) = &account.owner_business_id else {
            continue;
        };
        if tx.request_of_account(&account.waba_id).await?.is_some() {
            continue;
        }
        let awaiting = tx
            .lock_requests_of_portfolio(owner, RequestStatus::AwaitingClientApproval.as_str())
            .await?;
        if awaiting.is_empty() {
            continue;
        }
        let value = serde_json::json!({
            "event": "PARTNER_ADDED",
            "waba_info": { "waba_id": account.waba_id, "owner_business_id": owner },
        });
        let change = Change {
            key: format!("poll:{}", account.waba_id),
            waba_id: account.waba_id.clone(),
            time: Some(now.timestamp()),
            field: "account_update".to_owned(),
            value,
        };
        apply(tx, &change, from_chat, now).await?;
        moved += 1;
    }
    Ok(moved)
}

/// A PIN for two-step verification: 6 digits from the operating system's random source
/// (through a v4 UUID).
pub(crate) fn new_pin() -> String {
    let random = uuid::Uuid::new_v4().as_u128();
    format!("{:06}", random % 1_000_000)
}

/// "In about N minutes / hours", for a wait.
pub fn wait_message(wait: Duration) -> Message {
    let minutes = wait.num_minutes().max(1);
    if minutes < 120 {
        Message::new("meta-wait-minutes").num("minutes", minutes)
    } else {
        Message::new("meta-wait-hours").num("hours", (minutes + 59) / 60)
    }
}

/// Queues messages for the request's merchant.
pub(crate) async fn tell(
    tx: &mut Tx,
    request_id: &str,
    messages: Vec<Message>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    tx.enqueue(&NewJob::now(
        Job::NotifyMessages {
            request_id: request_id.to_owned(),
            messages,
        },
        None,
        now,
    ))
    .await?;
    Ok(())
}

/// Records what a registration call did (a job's transaction), queues the next step and tells
/// the merchant what they need to know.
pub async fn record(tx: &mut Tx, outcome: Outcome, now: DateTime<Utc>) -> anyhow::Result<()> {
    let request_id = match &outcome {
        Outcome::NumberAdded { request_id, .. }
        | Outcome::CodeSent { request_id, .. }
        | Outcome::Verified { request_id }
        | Outcome::Registered { request_id }
        | Outcome::Refused { request_id, .. } => request_id.clone(),
    };
    let Some(mut registration) = tx.lock_registration(&request_id).await? else {
        return Ok(());
    };
    let Some(request) = tx.lock_request_by_id(&request_id).await? else {
        return Ok(());
    };
    registration.updated_at = now;
    registration.problem = None;
    registration.retry_at = None;
    let stage = |s: Stage| s.as_str().to_owned();
    match outcome {
        Outcome::NumberAdded {
            phone_number_id, ..
        } => {
            registration.phone_number_id = Some(phone_number_id);
            let method = BusinessPhone::registration(&request.phone)
                .map(|n| n.method)
                .unwrap_or(CodeMethod::Sms);
            registration.stage = stage(Stage::Requesting);
            registration.code_method = Some(method.as_str().to_owned());
            tx.enqueue(&NewJob::now(
                Job::MetaRequestCode {
                    request_id: request_id.clone(),
                    method,
                },
                None,
                now,
            ))
            .await?;
        }
        Outcome::CodeSent { method, .. } => {
            registration.stage = stage(Stage::CodeSent);
            registration.code_method = Some(method.as_str().to_owned());
            registration.code_requests += 1;
            let number = BusinessPhone::international_of(&request.phone);
            tell(
                tx,
                &request_id,
                vec![
                    Message::new("meta-code-sent")
                        .text("reference", request.reference.clone())
                        .text("number", number)
                        .text("method", method.as_str().to_ascii_lowercase()),
                ],
                now,
            )
            .await?;
        }
        Outcome::Verified { .. } => {
            registration.stage = stage(Stage::Registering);
            if registration.pin.is_none() {
                registration.pin = Some(new_pin());
            }
            tx.enqueue(&NewJob::now(
                Job::MetaRegister {
                    request_id: request_id.clone(),
                },
                Some(format!(
                    "meta_register:{request_id}:{}",
                    now.timestamp_millis()
                )),
                now,
            ))
            .await?;
        }
        Outcome::Registered { .. } => {
            registration.stage = stage(Stage::Registered);
            tx.enqueue(&NewJob::now(
                Job::MetaSubscribe {
                    request_id: request_id.clone(),
                },
                Some(format!("meta_subscribe:{request_id}")),
                now,
            ))
            .await?;
            if request.status == RequestStatus::ApprovedByClient.as_str() {
                lifecycle::move_in(
                    tx,
                    &request,
                    RequestStatus::NumberRegistered,
                    &Actor::meta(),
                    None,
                    now,
                )
                .await
                .map_err(anyhow::Error::from)?;
            }
            tracing::info!(reference = %request.reference, "number registered (Meta)");
        }
        Outcome::Refused {
            step: Step::Subscribe,
            said,
            ..
        } => {
            // The number is registered; only the partner's webhooks for it are missing.
            alert(
                tx,
                Some(&request_id),
                Message::new("meta-alert-subscribe")
                    .text("reference", request.reference.clone())
                    .text("said", said),
                now,
            )
            .await?;
        }
        Outcome::Refused {
            step,
            problem,
            said,
            wait,
            ..
        } => {
            registration.problem = Some(problem.as_str().to_owned());
            let wait = wait.and_then(|w| Duration::from_std(w).ok());
            registration.retry_at = wait.map(|w| now + w);
            registration.stage = stage(match problem {
                Problem::WrongCode => {
                    registration.wrong_codes += 1;
                    Stage::CodeSent
                }
                Problem::CodeExpired | Problem::NeedsVerification | Problem::CodeNotSent => {
                    Stage::Waiting
                }
                Problem::TooManyRequests | Problem::RecentlyDeleted | Problem::RegisterLimit => {
                    Stage::Waiting
                }
                Problem::PinMismatch | Problem::Refused => Stage::Stopped,
            });
            let mut message = Message::new(format!(
                "meta-problem-{}",
                problem.as_str().replace('_', "-")
            ))
            .text("reference", request.reference.clone());
            if let Some(wait) = wait {
                message = message.nested("wait", wait_message(wait));
            }
            tell(tx, &request_id, vec![message], now).await?;
            tracing::warn!(
                reference = %request.reference,
                problem = problem.as_str(),
                ?step,
                "registration refused by Meta"
            );
            if problem.for_staff() {
                alert(
                    tx,
                    Some(&request_id),
                    Message::new("meta-alert-registration")
                        .text("reference", request.reference.clone())
                        .text("problem", problem.as_str())
                        .text("said", said),
                    now,
                )
                .await?;
            }
        }
    }
    tx.save_registration(&registration).await?;
    Ok(())
}

/// What the merchant typed, when it is about a number being registered: a 6-digit code, or
/// `/resend` and `/call`. `None`: not about it (the conversation takes it).
enum CodeInput {
    Code(String),
    NotACode,
    New(CodeMethod),
}

fn code_input(inbound: &Inbound, at_done: bool) -> Option<CodeInput> {
    let command = match inbound {
        Inbound::Command(command) => Some(command.clone()),
        Inbound::Text(text) => Command::parse(text),
        _ => return None,
    };
    match command {
        Some(Command::Resend) => return Some(CodeInput::New(CodeMethod::Sms)),
        Some(Command::Call) => return Some(CodeInput::New(CodeMethod::Voice)),
        Some(_) => return None,
        None => {}
    }
    let Inbound::Text(text) = inbound else {
        return None;
    };
    let text = text.trim();
    // Meta's message shows the code as 123-456; people type it with spaces too.
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .collect();
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        if digits.len() == 6 {
            return Some(CodeInput::Code(digits));
        }
        // Other numbers are taken as a code typed wrong only after sending (during the
        // questions, they are answers).
        if at_done && (4..=8).contains(&digits.len()) {
            return Some(CodeInput::NotACode);
        }
    }
    None
}

/// Handles a merchant's message about the registration of their number, inside their
/// message's transaction; `None` when it is not about one (no registration waits on them, or
/// the message is something else).
pub async fn merchant_turn(
    tx: &mut Tx,
    merchant: &UserKey,
    inbound: &Inbound,
    at_done: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Vec<Reply>>> {
    let Some(input) = code_input(inbound, at_done) else {
        return Ok(None);
    };
    let stages = [
        Stage::Adding,
        Stage::Requesting,
        Stage::CodeSent,
        Stage::Verifying,
        Stage::Registering,
        Stage::Waiting,
    ]
    .map(Stage::as_str);
    let Some(found) = tx
        .registrations_of(merchant, &stages)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let Some(mut registration) = tx.lock_registration(&found.request_id).await? else {
        return Ok(None);
    };
    let Some(request) = tx.lock_request_by_id(&registration.request_id).await? else {
        return Ok(None);
    };
    let reference = request.reference.clone();
    let say = |message: Message| Some(vec![conversation::notice(message)]);
    let stage = Stage::parse(&registration.stage).unwrap_or(Stage::Stopped);
    if stage.busy() {
        return Ok(say(
            Message::new("meta-code-busy").text("reference", reference)
        ));
    }
    if let Some(retry_at) = registration.retry_at.filter(|at| *at > now) {
        return Ok(say(Message::new("meta-code-wait")
            .text("reference", reference)
            .nested("wait", wait_message(retry_at - now))));
    }
    registration.updated_at = now;
    match input {
        CodeInput::NotACode => Ok(say(Message::new("meta-code-format"))),
        CodeInput::Code(code) => {
            if stage != Stage::CodeSent {
                return Ok(say(
                    Message::new("meta-code-ask-new").text("reference", reference)
                ));
            }
            registration.stage = Stage::Verifying.as_str().to_owned();
            tx.save_registration(&registration).await?;
            tx.enqueue(&NewJob::now(
                Job::MetaVerifyCode {
                    request_id: registration.request_id.clone(),
                    code,
                },
                None,
                now,
            ))
            .await?;
            Ok(say(
                Message::new("meta-code-checking").text("reference", reference)
            ))
        }
        CodeInput::New(method) => {
            let last = found.updated_at;
            if stage == Stage::CodeSent && now - last < Duration::seconds(RESEND_AFTER_SECS) {
                return Ok(say(Message::new("meta-code-wait")
                    .text("reference", reference)
                    .nested(
                        "wait",
                        wait_message(Duration::seconds(RESEND_AFTER_SECS) - (now - last)),
                    )));
            }
            // A number that only takes calls gets its code by call, whatever was asked.
            let method = match BusinessPhone::registration(&request.phone).map(|n| n.method) {
                Some(CodeMethod::Voice) => CodeMethod::Voice,
                _ => method,
            };
            registration.stage = Stage::Requesting.as_str().to_owned();
            registration.code_method = Some(method.as_str().to_owned());
            tx.save_registration(&registration).await?;
            tx.enqueue(&NewJob::now(
                Job::MetaRequestCode {
                    request_id: registration.request_id.clone(),
                    method,
                },
                None,
                now,
            ))
            .await?;
            Ok(say(Message::new("meta-code-requesting")
                .text("reference", reference)
                .text("method", method.as_str().to_ascii_lowercase())))
        }
    }
}

/// The language Meta sends the code in (`request_code`'s `language`).
pub fn code_language(locale: Locale) -> &'static str {
    match locale {
        Locale::PtBr => "pt_BR",
        Locale::En => "en_US",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_people_type_them() {
        let text = |t: &str| Inbound::Text(t.to_owned());
        for typed in ["123456", "123-456", " 123 456 ", "123.456"] {
            assert!(
                matches!(code_input(&text(typed), false), Some(CodeInput::Code(c)) if c == "123456"),
                "{typed}"
            );
        }
        assert!(matches!(
            code_input(&text("/reenviar"), false),
            Some(CodeInput::New(CodeMethod::Sms))
        ));
        assert!(matches!(
            code_input(&text("/call"), false),
            Some(CodeInput::New(CodeMethod::Voice))
        ));
        assert!(matches!(
            code_input(&text("12345"), true),
            Some(CodeInput::NotACode)
        ));
        // During the questions, other numbers are answers.
        assert!(code_input(&text("12345"), false).is_none());
        assert!(code_input(&text("hello"), true).is_none());
        assert!(code_input(&text("/status"), true).is_none());
    }

    #[test]
    fn a_pin_has_six_digits() {
        for _ in 0..100 {
            let pin = new_pin();
            assert_eq!(pin.len(), 6);
            assert!(pin.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
