//! The request lifecycle: staff and system moves (with history, notifications and timers in the
//! same transaction), and the queries behind `requests`, `/status`, `/pending` and `/stats`.

use crate::clock::Clock;
use crate::conversation::StepId;
use crate::domain::{Message, RequestStatus, Role, TransitionError, deadline};
use crate::jobs::Job;
use crate::service::listing::{self, ListQuery, Page};
use crate::service::pipeline::{self, Period, PipelineStats};
use crate::storage::{
    HistoryEntry, NewJob, Note, RequestRow, SignupSession, Store, Tx, UserKey, decode_stored_draft,
};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::America::Sao_Paulo;
use std::sync::Arc;

/// Days Meta waits for the store's admin to accept the partner's request.
pub const APPROVAL_EXPIRY_DAYS: i64 = 90;

/// Who acts, and in which role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The role.
    pub role: Role,
    /// How history records them (`cli:bob`, `merchant:console:ana`, `system`).
    pub id: String,
}

impl Actor {
    /// The bot itself (timers, desk webhooks).
    pub fn system() -> Actor {
        Actor {
            role: Role::System,
            id: "system".to_owned(),
        }
    }

    /// Meta: its webhooks, and the registration the bot drives through the Graph API.
    pub fn meta() -> Actor {
        Actor {
            role: Role::System,
            id: "meta".to_owned(),
        }
    }

    /// The merchant behind a channel identity.
    pub fn merchant(key: &UserKey) -> Actor {
        Actor {
            role: Role::Merchant,
            id: format!("merchant:{}", key.key()),
        }
    }
}

/// Why a lifecycle operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    /// No request with that reference.
    #[error("no request {0}")]
    NotFound(String),
    /// The move is not allowed.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// This move needs a reason.
    #[error("a reason is required")]
    ReasonRequired,
    /// Asking for information needs at least one field.
    #[error("no field named")]
    NoFields,
    /// Not a field of the request.
    #[error("unknown field {0}")]
    UnknownField(String),
    /// The merchant is already fixing another request.
    #[error("the merchant is fixing {0}")]
    FixInProgress(String),
    /// A merchant acting on someone else's request.
    #[error("not the merchant's request")]
    NotYours,
    /// The platform event was already processed; nothing was done again.
    #[error("event already processed")]
    Duplicate,
    /// Storage failed.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl LifecycleError {
    /// What the person who tried reads.
    pub fn message(&self) -> Message {
        match self {
            LifecycleError::NotFound(reference) => {
                Message::new("lifecycle-not-found").text("reference", reference)
            }
            LifecycleError::Transition(error) => {
                let (from, to) = match error {
                    TransitionError::Final { from } => (*from, *from),
                    TransitionError::NotAllowed { from, to }
                    | TransitionError::Forbidden { from, to, .. } => (*from, *to),
                };
                Message::new(error.message_id())
                    .text("from", from.as_str())
                    .text("to", to.as_str())
            }
            LifecycleError::ReasonRequired => Message::new("lifecycle-reason-required"),
            LifecycleError::NoFields => Message::new("lifecycle-no-fields"),
            LifecycleError::UnknownField(field) => {
                Message::new("lifecycle-unknown-field").text("field", field)
            }
            LifecycleError::NotYours => Message::new("lifecycle-not-yours"),
            LifecycleError::FixInProgress(reference) => {
                Message::new("lifecycle-fix-in-progress").text("reference", reference)
            }
            LifecycleError::Duplicate => Message::new("lifecycle-duplicate"),
            LifecycleError::Internal(_) => Message::new("error-internal"),
        }
    }
}

fn status_of(request: &RequestRow) -> anyhow::Result<RequestStatus> {
    RequestStatus::parse(&request.status)
        .ok_or_else(|| anyhow::anyhow!("unknown stored status {}", request.status))
}

/// The date by which a request in `status` since `since` should have moved on.
pub fn expected_date(status: RequestStatus, since: DateTime<Utc>) -> Option<NaiveDate> {
    status.expected_by(since)
}

/// Noon in São Paulo on a date, as an instant (when date-based timers fire).
fn local_noon(date: NaiveDate) -> DateTime<Utc> {
    let noon = date.and_hms_opt(12, 0, 0).expect("noon exists");
    Sao_Paulo
        .from_local_datetime(&noon)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&noon))
}

/// Moves a request inside `tx`: checks the role, appends history, queues the merchant's
/// notification and, on entering `awaiting_client_approval`, the reminder and expiry timers.
pub async fn move_in(
    tx: &mut Tx,
    request: &RequestRow,
    to: RequestStatus,
    actor: &Actor,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), LifecycleError> {
    move_with(tx, request, to, actor, reason, None, now).await
}

/// Erases the personal data of `request` in `tx` (see [`Lifecycle::erase`]), cancelling it
/// first if open; `request` is left as it now stands.
pub async fn erase_in(
    tx: &mut Tx,
    request: &mut RequestRow,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), LifecycleError> {
    if request.erased_at.is_some() {
        return Ok(());
    }
    if !status_of(request)?.is_final() {
        move_in(tx, request, RequestStatus::Cancelled, actor, None, now).await?;
        request.status = RequestStatus::Cancelled.as_str().to_owned();
    }
    tx.erase_request(request, &actor.id, now).await?;
    tx.enqueue(&NewJob::refresh_staff_posts(&request.id, now))
        .await?;
    tracing::info!(reference = %request.reference, actor = %actor.id, "personal data erased");
    request.erased_at = Some(now);
    Ok(())
}

/// As [`move_in`], the merchant told `told` (what happened, in words for how it happened)
/// instead of the status's usual notification.
pub async fn move_telling(
    tx: &mut Tx,
    request: &RequestRow,
    to: RequestStatus,
    actor: &Actor,
    told: Vec<Message>,
    now: DateTime<Utc>,
) -> Result<(), LifecycleError> {
    move_with(tx, request, to, actor, None, Some(told), now).await
}

async fn move_with(
    tx: &mut Tx,
    request: &RequestRow,
    to: RequestStatus,
    actor: &Actor,
    reason: Option<&str>,
    told: Option<Vec<Message>>,
    now: DateTime<Utc>,
) -> Result<(), LifecycleError> {
    let from = status_of(request)?;
    from.check(to, actor.role)?;
    let needs_reason = matches!(to, RequestStatus::Rejected | RequestStatus::NeedsInfo);
    if needs_reason && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(LifecycleError::ReasonRequired);
    }
    tx.move_request(&request.id, from, to, &actor.id, reason, now)
        .await?;
    if from == RequestStatus::NeedsInfo {
        tx.set_info_request(&request.id, &[], None).await?;
    }
    let at = now.timestamp_millis();
    // The merchant's own moves are answered in the chat; everyone else's are notified.
    if let Some(messages) = told {
        tx.enqueue(&NewJob::now(
            Job::NotifyMessages {
                request_id: request.id.clone(),
                messages,
            },
            None,
            now,
        ))
        .await?;
    } else if actor.role != Role::Merchant {
        tx.enqueue(&NewJob::now(
            Job::NotifyMerchant {
                request_id: request.id.clone(),
                status: to,
                reason: reason.map(str::to_owned),
                since: Some(at),
            },
            Some(format!("notify:{}:{}:{at}", request.id, to.as_str())),
            now,
        ))
        .await?;
    }
    // Wherever the request was posted for staff, the post shows the new status.
    tx.enqueue(&NewJob::refresh_staff_posts(&request.id, now))
        .await?;
    if to == RequestStatus::AwaitingClientApproval {
        let expected = deadline::add_business_days(now, deadline::APPROVAL_BUSINESS_DAYS);
        let request_id = request.id.clone();
        for (job, due) in [
            (
                Job::ApprovalReminder {
                    request_id: request_id.clone(),
                    since: at,
                },
                local_noon(expected),
            ),
            (
                Job::Expire {
                    request_id,
                    since: at,
                },
                now + Duration::days(APPROVAL_EXPIRY_DAYS),
            ),
        ] {
            let dedupe_key = Some(format!("{}:{}:{at}", job.kind(), request.id));
            tx.enqueue(&NewJob {
                job,
                dedupe_key,
                due_at: due,
                created_at: now,
            })
            .await?;
        }
    }
    Ok(())
}

/// Asks the merchant to fix `steps` inside `tx`: the request (locked, and its merchant's draft
/// row locked before it) goes to `needs_info`, and the merchant's conversation is set to ask
/// those fields again.
pub async fn ask_in(
    tx: &mut Tx,
    request: &RequestRow,
    steps: Vec<StepId>,
    reason: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), LifecycleError> {
    move_in(
        tx,
        request,
        RequestStatus::NeedsInfo,
        actor,
        Some(reason),
        now,
    )
    .await?;
    let names: Vec<String> = steps.iter().map(|s| s.as_str().to_owned()).collect();
    tx.set_info_request(&request.id, &names, Some(reason))
        .await?;
    install_fix_draft(tx, request, steps, reason, now).await
}

/// Everything about one request, as staff and managers see it.
#[derive(Debug, Clone)]
pub struct Report {
    /// The request.
    pub request: RequestRow,
    /// Its status.
    pub status: RequestStatus,
    /// Its moves.
    pub history: Vec<HistoryEntry>,
    /// Its notes.
    pub notes: Vec<Note>,
    /// Business days in the current status.
    pub days_in_status: i32,
    /// When it should have moved on.
    pub expected: Option<NaiveDate>,
    /// Past that date.
    pub overdue: bool,
    /// Its Embedded Signup session, when its merchant chose that path.
    pub signup: Option<SignupSession>,
}

/// Lifecycle operations on the store.
#[derive(Clone)]
pub struct Lifecycle {
    store: Store,
    clock: Arc<dyn Clock>,
    event: Option<String>,
}

impl Lifecycle {
    /// Operations on a store with a clock.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Lifecycle {
        Lifecycle {
            store,
            clock,
            event: None,
        }
    }

    /// The store it works on.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The same operations, done at most once for a platform event (its id scoped by channel,
    /// `telegram:42`): a redelivered event is refused with [`LifecycleError::Duplicate`].
    pub fn once(&self, event_id: &str) -> Lifecycle {
        Lifecycle {
            event: Some(event_id.to_owned()),
            ..self.clone()
        }
    }

    /// A transaction that records the event, if there is one.
    async fn begin(&self) -> Result<Tx, LifecycleError> {
        let mut tx = self.store.begin().await?;
        if let Some(event) = &self.event
            && !tx.record_event(event, self.clock.now()).await?
        {
            tx.rollback().await?;
            return Err(LifecycleError::Duplicate);
        }
        Ok(tx)
    }

    async fn locked(&self, tx: &mut Tx, reference: &str) -> Result<RequestRow, LifecycleError> {
        tx.lock_request(reference.trim())
            .await?
            .ok_or_else(|| LifecycleError::NotFound(reference.trim().to_owned()))
    }

    /// Moves a request to `to`.
    #[tracing::instrument(skip_all, fields(reference = %reference, to = %to))]
    pub async fn advance(
        &self,
        reference: &str,
        to: RequestStatus,
        actor: &Actor,
        reason: Option<&str>,
    ) -> Result<RequestRow, LifecycleError> {
        let now = self.clock.now();
        let mut tx = self.begin().await?;
        let request = self.locked(&mut tx, reference).await?;
        if actor.role == Role::Merchant && Actor::merchant(&request.requester) != *actor {
            return Err(LifecycleError::NotYours);
        }
        if to == RequestStatus::NeedsInfo {
            return Err(LifecycleError::NoFields);
        }
        move_in(&mut tx, &request, to, actor, reason, now).await?;
        tx.commit().await?;
        tracing::info!(actor = %actor.id, "request moved");
        Ok(self
            .store
            .request(&request.reference)
            .await?
            .unwrap_or(request))
    }

    /// Asks the merchant to fix `fields`: the request goes to `needs_info`, and the merchant's
    /// conversation is set to ask those fields again.
    #[tracing::instrument(skip_all, fields(reference = %reference))]
    pub async fn ask(
        &self,
        reference: &str,
        fields: &[String],
        reason: &str,
        actor: &Actor,
    ) -> Result<RequestRow, LifecycleError> {
        let mut steps = Vec::new();
        for field in fields {
            match StepId::parse(field).filter(|s| s.position().is_some()) {
                Some(step) => steps.push(step),
                None => return Err(LifecycleError::UnknownField(field.clone())),
            }
        }
        if steps.is_empty() {
            return Err(LifecycleError::NoFields);
        }
        let now = self.clock.now();
        let mut tx = self.begin().await?;
        // Same lock order as a merchant's message: the draft row, then the request.
        if let Some(unlocked) = self.store.request(reference.trim()).await? {
            tx.lock_draft_row(&unlocked.requester).await?;
        }
        let request = self.locked(&mut tx, reference).await?;
        ask_in(&mut tx, &request, steps, reason, actor, now).await?;
        tx.commit().await?;
        Ok(self
            .store
            .request(&request.reference)
            .await?
            .unwrap_or(request))
    }

    /// Adds a note, internal or shown to the merchant.
    pub async fn note(
        &self,
        reference: &str,
        actor: &Actor,
        body: &str,
        visible: bool,
    ) -> Result<(), LifecycleError> {
        if body.trim().is_empty() {
            return Err(LifecycleError::ReasonRequired);
        }
        let now = self.clock.now();
        let mut tx = self.begin().await?;
        let request = self.locked(&mut tx, reference).await?;
        tx.add_note(&request.id, &actor.id, body.trim(), visible, now)
            .await?;
        if visible {
            tx.enqueue(&NewJob {
                job: Job::NotifyNote {
                    request_id: request.id.clone(),
                    text: body.trim().to_owned(),
                },
                dedupe_key: None,
                due_at: now,
                created_at: now,
            })
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Erases the personal data of a request (LGPD, art. 18), at the request of its merchant:
    /// an open request is cancelled first (its number is then free), its personal data is
    /// removed everywhere it is kept ([`Tx::erase_request`]), its staff posts are refreshed, and
    /// the erasure is recorded with `actor`. The reference, statuses and dates stay, for the
    /// statistics. Erasing twice changes nothing more.
    #[tracing::instrument(skip_all, fields(reference = %reference))]
    pub async fn erase(
        &self,
        reference: &str,
        actor: &Actor,
    ) -> Result<RequestRow, LifecycleError> {
        let now = self.clock.now();
        let mut tx = self.begin().await?;
        let mut request = self.locked(&mut tx, reference).await?;
        erase_in(&mut tx, &mut request, actor, now).await?;
        tx.commit().await?;
        Ok(request)
    }

    /// The report of one request.
    pub async fn report(&self, reference: &str) -> Result<Report, LifecycleError> {
        let request = self
            .store
            .request(reference.trim())
            .await?
            .ok_or_else(|| LifecycleError::NotFound(reference.trim().to_owned()))?;
        self.report_of(request).await
    }

    async fn report_of(&self, request: RequestRow) -> Result<Report, LifecycleError> {
        let now = self.clock.now();
        let status = status_of(&request)?;
        let history = self.store.history(&request.id).await?;
        let notes = self.store.notes(&request.id).await?;
        let signup = self.store.signup(&request.id).await?;
        let expected = expected_date(status, request.status_changed_at);
        Ok(Report {
            days_in_status: deadline::business_days_between(request.status_changed_at, now),
            overdue: expected.is_some_and(|d| deadline::local_date(now) > d),
            expected,
            status,
            history,
            notes,
            signup,
            request,
        })
    }

    /// Reports by reference (`WA-000042`) or by store account.
    pub async fn find(&self, query: &str) -> Result<Vec<Report>, LifecycleError> {
        let query = query.trim();
        if let Some(request) = self.store.request(&query.to_uppercase()).await? {
            return Ok(vec![self.report_of(request).await?]);
        }
        let mut reports = Vec::new();
        for request in self
            .store
            .requests_of_account(&query.to_lowercase())
            .await?
        {
            reports.push(self.report_of(request).await?);
        }
        if reports.is_empty() {
            return Err(LifecycleError::NotFound(query.to_owned()));
        }
        Ok(reports)
    }

    /// A page of requests (see [`crate::service::listing`]).
    pub async fn list(&self, query: ListQuery) -> Result<Page, LifecycleError> {
        Ok(listing::list(&self.store, query, self.clock.now()).await?)
    }

    /// The pipeline over `period` (see [`crate::service::pipeline`]).
    pub async fn stats(&self, period: Period) -> Result<PipelineStats, LifecycleError> {
        Ok(pipeline::stats(&self.store, period, self.clock.now()).await?)
    }

    /// Today in São Paulo, by its clock.
    pub fn today(&self) -> NaiveDate {
        deadline::local_date(self.clock.now())
    }
}

/// Puts the merchant's conversation on the fields to fix; a draft in progress is parked and
/// comes back once the fix is sent.
async fn install_fix_draft(
    tx: &mut Tx,
    request: &RequestRow,
    fields: Vec<StepId>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), LifecycleError> {
    let Some((state, logo)) = tx.request_draft(&request.id).await? else {
        return Err(anyhow::anyhow!("request {} has no stored draft", request.reference).into());
    };
    let mut draft = decode_stored_draft(&state, Some(logo))?;
    draft.start_fixing(&request.reference, fields, reason);
    // Idle time counts from now, not from the original submission.
    draft.updated_at = now;
    let user = &request.requester;
    let (current, parked) = tx.raw_drafts(&user.key()).await?;
    // A fix of another request in progress is not overwritten.
    if let Some(other) = current
        .as_ref()
        .and_then(|(json, _)| decode_stored_draft(json, None).ok())
        .and_then(|d| d.fixing.filter(|f| f.reference != request.reference))
    {
        return Err(LifecycleError::FixInProgress(other.reference));
    }
    let keep_aside = match (&current, parked) {
        (_, Some(parked)) => Some(parked),
        (Some((json, logo)), None) => {
            let other = decode_stored_draft(json, None).ok();
            other
                .filter(|d| d.id != draft.id && d.step != StepId::Done && d.has_progress())
                .map(|_| (json.clone(), logo.clone()))
        }
        (None, None) => None,
    };
    tx.save_draft(user, &draft).await?;
    tx.park_draft(&user.key(), keep_aside).await?;
    Ok(())
}
