//! The outbox worker: claims due jobs, runs each in a transaction that also marks it done (so
//! its database effects happen exactly once, even with several workers), and retries failures
//! with exponential backoff and jitter until a limit, after which the job is marked failed and
//! shows in `requests list`. Calls to chat platforms (notifications, staff posts) happen before
//! that transaction, so that no database lock waits on a platform: they happen at least once.

use super::{Delivery, Notifier, RemoteError, StaffBoard, TicketDesk};
use crate::clock::Clock;
use crate::conversation::{self, StepId};
use crate::domain::{Message, RequestStatus};
use crate::i18n::{self, Locale};
use crate::jobs::Job;
use crate::service::lifecycle::{self, Actor};
use crate::service::outbound::Deferred;
use crate::storage::{ClaimedJob, NewJob, RequestRow, Settle, Store, Tx};
use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use tracing::Instrument;

mod meta;
pub use meta::MetaWork;

/// Hours without activity before a draft's merchant is nudged (once).
pub const DRAFT_NUDGE_HOURS: i64 = 24;
/// Days without activity before a draft is forgotten.
pub const DRAFT_EXPIRY_DAYS: i64 = 7;
/// Seconds a claimed job is a worker's without renewal, unless told otherwise
/// ([`Worker::with_job_lease`]); a running job's lease is renewed every third of it.
pub const JOB_LEASE_SECS: i64 = 30;
/// Hours a job may wait for a process serving its channel before it is marked failed.
const MISSING_CHANNEL_HOURS: i64 = 24;

/// Requests queued per board and sweep by [`Worker::sweep_boards`].
pub const BOARD_SWEEP_BATCH: i64 = 100;

/// Days a processed event id is remembered (to skip redeliveries).
pub const EVENT_RETENTION_DAYS: i64 = 7;

/// How failures are retried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Tries before giving up.
    pub max_attempts: i64,
    /// Delay after the first failure; doubled each time.
    pub base_delay: Duration,
    /// Longest delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base_delay: Duration::seconds(5),
            max_delay: Duration::hours(1),
        }
    }
}

impl RetryPolicy {
    /// The delay before try `attempt + 1`: exponential, capped, with ±20 % jitter.
    pub fn delay(&self, attempt: i64) -> Duration {
        let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let base = self.base_delay.num_milliseconds().max(1);
        let raw = base
            .saturating_mul(1i64 << exponent)
            .min(self.max_delay.num_milliseconds());
        // Jitter from the operating system's random source (through a v4 UUID).
        let random = (uuid::Uuid::new_v4().as_u128() % 4001) as i64 - 2000; // −2000..=2000
        Duration::milliseconds(raw + raw * random / 10_000)
    }
}

/// A job needs a channel this process does not serve.
#[derive(Debug, thiserror::Error)]
#[error("the {0} channel is not served by this process")]
struct Missing(String);

/// Runs outbox jobs.
#[derive(Clone)]
pub struct Worker {
    store: Store,
    desk: Arc<dyn TicketDesk>,
    notifiers: Vec<Arc<dyn Notifier>>,
    boards: Vec<Arc<dyn StaffBoard>>,
    clock: Arc<dyn Clock>,
    policy: RetryPolicy,
    id: String,
    scheduler: bool,
    meta: Option<Arc<MetaWork>>,
    lease: Duration,
}

impl Worker {
    /// A worker with its own id.
    pub fn new(
        store: Store,
        desk: Arc<dyn TicketDesk>,
        notifiers: Vec<Arc<dyn Notifier>>,
        clock: Arc<dyn Clock>,
        policy: RetryPolicy,
    ) -> Worker {
        Worker {
            store,
            desk,
            notifiers,
            boards: Vec::new(),
            clock,
            policy,
            id: format!("worker-{}", uuid::Uuid::new_v4().simple()),
            scheduler: true,
            meta: None,
            lease: Duration::seconds(JOB_LEASE_SECS),
        }
    }

    /// Claimed jobs stay this worker's for `lease` without renewal (a running job's lease is
    /// renewed every third of it): the jobs of an instance that dies are taken over after that.
    pub fn with_job_lease(mut self, lease: std::time::Duration) -> Worker {
        self.lease = Duration::from_std(lease).unwrap_or(self.lease);
        self
    }

    /// Handles Meta's changes, and drives registrations through the Graph API where one is
    /// configured.
    pub fn with_meta(mut self, meta: MetaWork) -> Worker {
        self.meta = Some(Arc::new(meta));
        self
    }

    /// Posts new requests on these staff boards too.
    pub fn with_boards(mut self, boards: Vec<Arc<dyn StaffBoard>>) -> Worker {
        self.boards = boards;
        self
    }

    /// A worker that only runs jobs: the draft sweep is the scheduler's, which one instance
    /// holds at a time.
    pub fn without_scheduler(mut self) -> Worker {
        self.scheduler = false;
        self
    }

    /// Nudges drafts idle for a day (once) and forgets those idle for a week, telling the
    /// merchant; returns how many were handled. Each draft is handled in its own transaction
    /// (one merchant who cannot be written to does not hold back the others); drafts of a
    /// channel this process does not serve are left to one that does.
    pub async fn sweep_drafts(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let stale = tx
            .stale_drafts(
                now - Duration::hours(DRAFT_NUDGE_HOURS),
                now - Duration::days(DRAFT_EXPIRY_DAYS),
            )
            .await?;
        // Platforms redeliver within hours; a week of event ids is plenty to recognise them.
        tx.prune_events(now - Duration::days(EVENT_RETENTION_DAYS))
            .await?;
        tx.commit().await?;
        let mut handled = 0;
        for draft in &stale {
            let Some((channel, user_id)) = draft.user_key.split_once(':') else {
                continue;
            };
            let Some(notifier) = self.notifiers.iter().find(|n| n.channel() == channel) else {
                tracing::debug!(
                    channel,
                    "draft reminder left to a process serving the channel"
                );
                continue;
            };
            match self.sweep_one(notifier.as_ref(), draft, user_id, now).await {
                Ok(()) => handled += 1,
                Err(error) => tracing::warn!(
                    error = format!("{error:#}"),
                    channel,
                    "draft reminder failed; tried again at the next sweep"
                ),
            }
        }
        Ok(handled)
    }

    async fn sweep_one(
        &self,
        notifier: &dyn Notifier,
        draft: &crate::storage::StaleDraft,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let parsed = crate::storage::decode_stored_draft(&draft.state, None).ok();
        let locale = parsed.as_ref().map(|d| d.locale).unwrap_or_default();
        let expired = draft.updated_at < now - Duration::days(DRAFT_EXPIRY_DAYS);
        let fixing = parsed.as_ref().and_then(|d| d.fixing.clone());
        let (settle, message) = if let Some(fixing) = &fixing {
            // A fix is never forgotten (the request waits on it): remind again each week.
            (
                Settle::Touch,
                Message::new("fix-nudge").text("reference", fixing.reference.clone()),
            )
        } else if expired {
            (Settle::Expire, Message::new("draft-expired"))
        } else {
            let step = parsed.map(|d| d.step).unwrap_or(StepId::ExistingAccount);
            (
                Settle::Nudge,
                Message::new("draft-nudge")
                    .nested("field", Message::new(format!("field-{}", step.slug()))),
            )
        };
        // Taken first (unless the merchant wrote meanwhile, or another sweep took it), then
        // told, outside the transaction: a reminder is sent at most once.
        let mut tx = self.store.begin().await?;
        let taken = tx.settle_stale_draft(draft, settle, now).await?;
        tx.commit().await?;
        if taken {
            notifier.notify(user_id, locale, &[message], now).await?;
        }
        Ok(())
    }

    /// Posts, on every board this worker serves, the open requests that board has not seen
    /// (confirmed before the board was configured, or while no process served it): oldest
    /// first, at most [`BOARD_SWEEP_BATCH`] per board and sweep, each as a post job that goes
    /// through the board's own rate limiter. Once per request and board, whichever instance
    /// sweeps (the jobs' dedupe key). Returns how many posts were queued.
    pub async fn sweep_boards(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let mut queued = 0;
        for board in &self.boards {
            let mut tx = self.store.begin().await?;
            let missing = tx
                .requests_missing_from_board(board.channel(), BOARD_SWEEP_BATCH)
                .await?;
            let mut posts = 0;
            for request_id in &missing {
                // Another instance sweeping at the same moment may have queued it first.
                if tx
                    .enqueue(&staff_post(request_id, board.channel(), now))
                    .await?
                {
                    posts += 1;
                }
            }
            tx.commit().await?;
            if posts > 0 {
                tracing::info!(
                    board = board.channel(),
                    count = posts,
                    "requests queued for a board that had not seen them"
                );
            }
            queued += posts;
        }
        Ok(queued)
    }

    /// The scheduler's sweeps: idle drafts, boards, then Meta's client accounts.
    pub async fn sweep(&self) {
        if let Err(error) = self.sweep_drafts().await {
            tracing::error!(error = format!("{error:#}"), "draft sweep failed");
        }
        if let Err(error) = self.sweep_boards().await {
            tracing::error!(error = format!("{error:#}"), "board sweep failed");
        }
        if let Err(error) = self.sweep_meta().await {
            tracing::error!(error = format!("{error:#}"), "Meta poll sweep failed");
        }
        let budget = crate::service::outbound::Outbound::new(self.store.clone());
        if let Err(error) = budget.prune().await {
            tracing::error!(error = format!("{error:#}"), "send slots sweep failed");
        }
    }

    /// Claims and runs one batch of due jobs; returns how many were claimed. Unless told the
    /// scheduler runs elsewhere ([`Worker::without_scheduler`]), the scheduler's sweeps run
    /// first.
    pub async fn run_once(&self) -> anyhow::Result<usize> {
        self.run_batch(None).await
    }

    /// One batch; when `stop` turns true between two jobs, the jobs not started are handed
    /// back at once (rather than held until their lease expires).
    async fn run_batch(
        &self,
        stop: Option<&tokio::sync::watch::Receiver<bool>>,
    ) -> anyhow::Result<usize> {
        if self.scheduler {
            self.sweep().await;
        }
        let now = self.clock.now();
        let jobs = self.store.claim_jobs(&self.id, now, self.lease, 16).await?;
        let claimed = jobs.len();
        for (index, job) in jobs.iter().enumerate() {
            if stop.is_some_and(|s| *s.borrow()) {
                let rest: Vec<i64> = jobs[index..].iter().map(|j| j.id).collect();
                if let Err(error) = self.store.release_jobs(&rest, &self.id).await {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "cannot hand back jobs; their lease will expire"
                    );
                }
                break;
            }
            let span =
                tracing::info_span!("job", id = job.id, kind = %job.kind, attempt = job.attempts);
            async {
                                match self.run_job(job).await {
                    Ok(()) => tracing::debug!("job done"),
                    Err(error) if error.downcast_ref::<Deferred>().is_some() => {
                        // The platform's budget is taken for a while (a chat written to a
                        // moment ago): handed back for then, no try spent, other jobs go on.
                        let wait = error.downcast_ref::<Deferred>().map_or(
                            std::time::Duration::from_secs(1),
                            |deferred| deferred.wait,
                        );
                        let later = self.clock.now()
                            + Duration::from_std(wait).unwrap_or_else(|_| Duration::seconds(1));
                        tracing::debug!(wait_ms = wait.as_millis(), "job deferred: budget taken");
                        if let Err(error) = self.store.defer_job(job.id, &self.id, later).await {
                            tracing::error!(error = format!("{error:#}"), "cannot defer a job");
                        }
                    }
                                        Err(error) if error.downcast_ref::<Missing>().is_some() => {
                        let now = self.clock.now();
                        if now - job.created_at > Duration::hours(MISSING_CHANNEL_HOURS) {
                            // Nobody serves that channel any more: visible among failed jobs.
                            tracing::error!(error = %error, "job given up: its channel is served nowhere");
                            if let Err(error) = self
                                .store
                                .job_failed(job.id, &self.id, &format!("{error:#}"), None, now)
                                .await
                            {
                                tracing::error!(error = format!("{error:#}"), "cannot record the failure");
                            }
                        } else {
                            // Another process (`serve` with that channel) runs it; no try is spent.
                            tracing::debug!(error = %error, "job left to a process serving its channel");
                            let later = now + Duration::minutes(1);
                            if let Err(error) = self.store.defer_job(job.id, &self.id, later).await {
                                tracing::error!(error = format!("{error:#}"), "cannot defer a job");
                            }
                        }
                    }
                    Err(error) => {
                        let now = self.clock.now();
                        let wait = match error.downcast_ref::<RemoteError>() {
                            // Refused for good: kept among the failed jobs for staff to see.
                            Some(RemoteError::Refused(_)) => None,
                            // The platform said when: that, not the backoff.
                            Some(RemoteError::RetryAfter(wait)) => Some(
                                Duration::from_std(*wait).unwrap_or_else(|_| Duration::hours(1)),
                            ),
                            None => Some(self.policy.delay(job.attempts)),
                        };
                        let retry = wait
                            .filter(|_| job.attempts < self.policy.max_attempts)
                            .map(|wait| now + wait);
                        if retry.is_some() {
                            tracing::warn!(error = format!("{error:#}"), "job failed; will retry");
                        } else {
                            tracing::error!(error = format!("{error:#}"), "job failed; giving up");
                        }
                        crate::telemetry::metrics()
                            .job_failures
                            .get_or_create(&crate::telemetry::KindLabel {
                                kind: job.kind.clone(),
                            })
                            .inc();
                        if let Err(error) = self
                            .store
                            .job_failed(job.id, &self.id, &format!("{error:#}"), retry, now)
                            .await
                        {
                            tracing::error!(
                                error = format!("{error:#}"),
                                "cannot record the failure; the lease will expire"
                            );
                        }
                    }
                }
            }
            .instrument(span)
            .await;
        }
        Ok(claimed)
    }

    /// Runs batches until nothing is due.
    pub async fn run_until_idle(&self) -> anyhow::Result<usize> {
        let mut total = 0;
        loop {
            let claimed = self.run_once().await?;
            if claimed == 0 {
                return Ok(total);
            }
            total += claimed;
        }
    }

    /// Runs until `stop` turns true: batch after batch while there are due jobs (a burst of
    /// notifications goes out as fast as the platforms' budget allows), polling every
    /// `interval` once there are none.
    pub async fn run(
        self,
        interval: std::time::Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            if *stop.borrow() {
                return;
            }
            match self.run_batch(Some(&stop)).await {
                Ok(0) => {}
                Ok(_) => continue,
                Err(error) => tracing::error!(
                    error = format!("{error:#}"),
                    "outbox worker failed to claim jobs"
                ),
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = stop.changed() => {}
            }
        }
    }

    async fn run_job(&self, claimed: &ClaimedJob) -> anyhow::Result<()> {
        let now = self.clock.now();
        let job = match &claimed.job {
            Ok(job) => job,
            // A kind this version does not know (a newer instance's) is retried, then failed
            // visibly; it breaks nothing else.
            Err(unreadable) => anyhow::bail!("{unreadable}"),
        };
        let job_id = claimed.id;
        // A full lease for this job's platform work (the batch's may be running out).
        if !self
            .store
            .renew_job(job_id, &self.id, now + self.lease)
            .await?
        {
            tracing::warn!("lease lost before the job ran: another worker holds it");
            return Ok(());
        }
        // Platform calls first, outside any transaction: on SQLite a transaction holds the
        // database's write lock, which a slow (or throttled) platform must not keep from every
        // merchant. What they did is recorded with the job's completion; if that is lost, the
        // job runs again (a notification or a post is then sent twice, never lost).
        // Queued work: its platform calls yield to merchants' replies in the fleet's budget. The
        // lease is renewed while they run (a wait for the budget or a platform's `retry_after`
        // may outlast it).
        let work = crate::service::outbound::queued(self.platform_work(job, now));
        tokio::pin!(work);
        let renew_every = (self.lease / 3)
            .to_std()
            .unwrap_or(std::time::Duration::from_secs(1));
        let done = loop {
            tokio::select! {
                done = &mut work => break done?,
                () = tokio::time::sleep(renew_every) => {
                    let until = self.clock.now() + self.lease;
                    match self.store.renew_job(job_id, &self.id, until).await {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!("lease lost while the job ran"),
                        Err(error) => tracing::warn!(
                            error = format!("{error:#}"),
                            "cannot renew the job's lease"
                        ),
                    }
                }
            }
        };
        let mut tx = self.store.begin().await?;
        match done {
            Some(done) => self.record(&mut tx, done, now).await?,
            None => self.database_work(&mut tx, job_id, job, now).await?,
        }
        if tx.complete_job(job_id, &self.id, now).await? {
            tx.commit().await?;
        } else {
            tx.rollback().await?;
            tracing::warn!("lease lost while the job ran: its effects are rolled back");
        }
        Ok(())
    }

    /// The platform part of a job; `None` for jobs that are database work only.
    async fn platform_work(&self, job: &Job, now: DateTime<Utc>) -> anyhow::Result<Option<Done>> {
        let done = match job {
            Job::NotifyMerchant {
                request_id,
                status,
                reason,
                since,
            } => {
                let request = self.request(request_id).await?;
                let locale = Locale::negotiate(&request.locale);
                let since = since
                    .and_then(DateTime::<Utc>::from_timestamp_millis)
                    .unwrap_or(now);
                let fields: Vec<String> = request
                    .info_fields
                    .iter()
                    .filter_map(|f| StepId::parse(f))
                    .map(|s| i18n::text(locale, &format!("field-{}", s.slug())))
                    .collect();
                let messages = conversation::status_notification(
                    &request.reference,
                    *status,
                    reason.as_deref(),
                    lifecycle::expected_date(*status, since),
                    &fields.join(", "),
                );
                self.deliver(request, &messages, now).await?
            }
            Job::NotifyNote { request_id, text } => {
                let request = self.request(request_id).await?;
                let messages = conversation::note_notification(&request.reference, text);
                self.deliver(request, &messages, now).await?
            }
            Job::ApprovalReminder { request_id, since } => {
                let request = self.request(request_id).await?;
                if !still_awaiting(&request, *since) {
                    return Ok(Some(Done::Nothing));
                }
                let expected = lifecycle::expected_date(
                    RequestStatus::AwaitingClientApproval,
                    request.status_changed_at,
                )
                .context("awaiting approval has a deadline")?;
                let messages = conversation::approval_reminder(&request.reference, expected);
                self.deliver(request, &messages, now).await?
            }
            Job::StaffPost {
                request_id,
                channel,
            } => {
                let request = self.request(request_id).await?;
                let board = self.board(channel)?;
                let posts = self.store.staff_posts(&request.id).await?;
                if posts.iter().any(|(c, _)| c == channel) {
                    return Ok(Some(Done::Nothing));
                }
                let logo = self.store.request_logo(&request.id).await?;
                let post = board.post(&request, &logo).await?;
                Done::Posted {
                    shown: Shown::of(&request),
                    channel: channel.clone(),
                    post,
                }
            }
            Job::StaffPostLogo {
                request_id,
                channel,
            } => {
                let request = self.request(request_id).await?;
                let board = self.board(channel)?;
                let posts = self.store.staff_posts(&request.id).await?;
                if let Some((_, post)) = posts.iter().find(|(c, _)| c == channel) {
                    let logo = self.store.request_logo(&request.id).await?;
                    board.post_logo(&request, post, &logo).await?;
                }
                Done::Nothing
            }
            Job::RefreshStaffPosts { request_id } => {
                let request = self.request(request_id).await?;
                // The desk's ticket is a staff view too: it shows the status wherever it moved,
                // and goes with the merchant's data when that is erased.
                if request.erased_at.is_some() {
                    self.desk.erase(&request).await?;
                } else {
                    self.desk.sync(&request).await?;
                }
                for (channel, post) in self.store.staff_posts(&request.id).await? {
                    match self.board(&channel) {
                        Ok(board) => board.refresh(&request, &post).await?,
                        // A board no longer configured: its old posts stay as they are.
                        Err(_) => {
                            tracing::debug!(channel, "staff post of another board left as is")
                        }
                    }
                }
                Done::Refreshed(Shown::of(&request))
            }
            Job::StaffHelp { board, help } => {
                self.board(board)?.help_wanted(help).await?;
                Done::Nothing
            }
            Job::DeskHelp(help) => {
                self.desk.help_wanted(help).await?;
                Done::Nothing
            }
            Job::DeskComment {
                request_id,
                comment,
            } => {
                let request = self.request(request_id).await?;
                self.desk.comment(&request, comment).await?;
                Done::Nothing
            }
            Job::OpenTicket { request_id, .. } => {
                let request = self.request(request_id).await?;
                if request.ticket_id.is_some() {
                    return Ok(Some(Done::Nothing));
                }
                let ticket = self.desk.open_ticket(&request.to_request()?).await?;
                Done::TicketOpened {
                    request_id: request.id,
                    reference: request.reference,
                    ticket,
                }
            }
            Job::NotifyMessages {
                request_id,
                messages,
            } => {
                let request = self.request(request_id).await?;
                self.deliver(request, messages, now).await?
            }
            Job::StaffAlert { board, alert } => {
                self.board(board)?.alert(alert).await?;
                Done::Nothing
            }
            Job::MetaPoll { .. }
            | Job::MetaAddNumber { .. }
            | Job::MetaRequestCode { .. }
            | Job::MetaVerifyCode { .. }
            | Job::MetaRegister { .. }
            | Job::MetaSubscribe { .. }
            | Job::SignupExchange { .. } => self.meta_platform(job).await?,
            Job::Expire { .. }
            | Job::HelpRequest(_)
            | Job::MetaChange(_)
            | Job::MetaAlert { .. } => {
                return Ok(None);
            }
        };
        Ok(Some(done))
    }

    /// Jobs that only change the database, in the job's transaction.
    async fn database_work(
        &self,
        tx: &mut Tx,
        job_id: i64,
        job: &Job,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        match job {
            Job::Expire { request_id, since } => {
                let request = locked_request(tx, request_id).await?;
                if still_awaiting(&request, *since) {
                    lifecycle::move_in(
                        tx,
                        &request,
                        RequestStatus::Expired,
                        &Actor::system(),
                        None,
                        now,
                    )
                    .await
                    .map_err(anyhow::Error::from)?;
                }
            }
            Job::HelpRequest(help) => {
                // On the builtin desk the queue itself is where staff see help requests
                // (`requests list`); staff boards are told at once, one job per board, so that
                // one that fails does not post twice on another.
                for board in &self.boards {
                    let channel = board.channel();
                    tx.enqueue(&NewJob::now(
                        Job::StaffHelp {
                            board: channel.to_owned(),
                            help: help.clone(),
                        },
                        Some(format!("staff_help:{job_id}:{channel}")),
                        now,
                    ))
                    .await?;
                }
                if self.desk.is_remote() {
                    tx.enqueue(&NewJob::now(
                        Job::DeskHelp(help.clone()),
                        Some(format!("desk_help:{job_id}")),
                        now,
                    ))
                    .await?;
                }
                tracing::info!("help request recorded for staff");
            }
            Job::MetaChange(change) => {
                let from_chat = self.meta.as_ref().is_some_and(|m| m.from_chat());
                crate::service::meta::apply(tx, change, from_chat, now).await?;
            }
            Job::MetaAlert { request_id, alert } => {
                for board in &self.boards {
                    let channel = board.channel();
                    tx.enqueue(&NewJob::now(
                        Job::StaffAlert {
                            board: channel.to_owned(),
                            alert: alert.clone(),
                        },
                        Some(format!("staff_alert:{job_id}:{channel}")),
                        now,
                    ))
                    .await?;
                }
                if let Some(request_id) = request_id.as_ref().filter(|_| self.desk.is_remote()) {
                    tx.enqueue(&NewJob::now(
                        Job::DeskComment {
                            request_id: request_id.clone(),
                            comment: crate::jobs::DeskNote::Alert {
                                alert: alert.clone(),
                            },
                        },
                        Some(format!("desk_alert:{job_id}")),
                        now,
                    ))
                    .await?;
                }
            }
            // Platform work, recorded by `record`.
            Job::OpenTicket { .. }
            | Job::NotifyMerchant { .. }
            | Job::NotifyNote { .. }
            | Job::ApprovalReminder { .. }
            | Job::StaffPost { .. }
            | Job::StaffPostLogo { .. }
            | Job::RefreshStaffPosts { .. }
            | Job::StaffHelp { .. }
            | Job::DeskHelp(_)
            | Job::DeskComment { .. }
            | Job::NotifyMessages { .. }
            | Job::StaffAlert { .. }
            | Job::MetaPoll { .. }
            | Job::MetaAddNumber { .. }
            | Job::MetaRequestCode { .. }
            | Job::MetaVerifyCode { .. }
            | Job::MetaRegister { .. }
            | Job::MetaSubscribe { .. }
            | Job::SignupExchange { .. } => {}
        }
        Ok(())
    }

    /// Records what a platform call did, the request locked (its state may have changed
    /// during the call).
    async fn record(&self, tx: &mut Tx, done: Done, now: DateTime<Utc>) -> anyhow::Result<()> {
        match done {
            Done::Nothing => {}
            Done::Meta(outcome) => crate::service::meta::record(tx, outcome, now).await?,
            Done::Exchanged {
                request_id,
                exchanged,
            } => crate::service::signup::record_exchange(tx, &request_id, exchanged, now).await?,
            Done::Polled(accounts) => {
                let from_chat = self.meta.as_ref().is_some_and(|m| m.from_chat());
                let found = crate::service::meta::apply_poll(tx, &accounts, from_chat, now).await?;
                tracing::info!(
                    accounts = accounts.len(),
                    found,
                    "Meta client accounts polled"
                );
            }
            Done::Posted {
                shown,
                channel,
                post,
            } => {
                tx.save_staff_post(&shown.request_id, &channel, &post)
                    .await?;
                tx.enqueue(&NewJob::now(
                    Job::StaffPostLogo {
                        request_id: shown.request_id.clone(),
                        channel: channel.clone(),
                    },
                    Some(format!("staff_post_logo:{}:{channel}", shown.request_id)),
                    now,
                ))
                .await?;
                refresh_if_moved(tx, &shown, now).await?;
            }
            Done::Refreshed(shown) => refresh_if_moved(tx, &shown, now).await?,
            Done::TicketOpened {
                request_id,
                reference,
                ticket,
            } => {
                let request = locked_request(tx, &request_id).await?;
                // Opened by a run whose outcome was lost, or by another worker: kept as it is.
                if request.ticket_id.is_none() {
                    tx.set_ticket(&request_id, &ticket).await?;
                    tracing::info!(%reference, "ticket opened");
                    // One job per board, so that a board that fails does not reopen the ticket.
                    for board in &self.boards {
                        tx.enqueue(&staff_post(&request_id, board.channel(), now))
                            .await?;
                    }
                }
            }
            Done::Delivered {
                request_id,
                reference,
                delivery,
            } => {
                let reachable = delivery == Delivery::Delivered;
                let Some(request) = tx.lock_request_by_id(&request_id).await? else {
                    return Ok(());
                };
                if request.unreachable == reachable {
                    if !reachable {
                        tracing::warn!(%reference, "merchant unreachable");
                    }
                    tx.set_unreachable(&request_id, !reachable).await?;
                    // Staff boards show whether the merchant can be reached.
                    tx.enqueue(&NewJob::refresh_staff_posts(&request_id, now))
                        .await?;
                }
            }
        }
        Ok(())
    }

    /// The request of a job (read, not locked: platform calls happen outside transactions).
    async fn request(&self, id: &str) -> anyhow::Result<RequestRow> {
        self.store
            .request_by_id(id)
            .await?
            .with_context(|| format!("request {id} not found"))
    }

    fn board(&self, channel: &str) -> anyhow::Result<&Arc<dyn StaffBoard>> {
        self.boards
            .iter()
            .find(|b| b.channel() == channel)
            .ok_or_else(|| Missing(channel.to_owned()).into())
    }

    /// Notifies the merchant of a request on their channel.
    async fn deliver(
        &self,
        request: RequestRow,
        messages: &[Message],
        now: DateTime<Utc>,
    ) -> anyhow::Result<Done> {
        let channel = request.requester.channel.clone();
        let notifier = self
            .notifiers
            .iter()
            .find(|n| n.channel() == channel)
            .ok_or_else(|| Missing(channel.clone()))?;
        let locale = Locale::negotiate(&request.locale);
        let delivery = notifier
            .notify(&request.requester.user_id, locale, messages, now)
            .await?;
        crate::telemetry::metrics()
            .notifications
            .get_or_create(&crate::telemetry::DeliveryLabels {
                channel,
                outcome: match delivery {
                    Delivery::Delivered => "delivered",
                    Delivery::Unreachable => "unreachable",
                }
                .to_owned(),
            })
            .inc();
        Ok(Done::Delivered {
            request_id: request.id,
            reference: request.reference,
            delivery,
        })
    }
}

/// What a staff post showed of a request: if the request moved since, it is refreshed again.
struct Shown {
    request_id: String,
    status: String,
    unreachable: bool,
}

impl Shown {
    fn of(request: &RequestRow) -> Shown {
        Shown {
            request_id: request.id.clone(),
            status: request.status.clone(),
            unreachable: request.unreachable,
        }
    }
}

/// What a job did on a platform, to record with its completion.
enum Done {
    /// Nothing to record.
    Nothing,
    /// A Graph API call of a registration.
    Meta(crate::service::meta::Outcome),
    /// The partner's client accounts.
    Polled(Vec<crate::meta::graph::ClientAccount>),
    /// Embedded Signup's code exchanged for a business token, or Meta's refusal.
    Exchanged {
        /// The request.
        request_id: String,
        /// The token, or Meta's words.
        exchanged: Result<String, String>,
    },
    /// A notification went (or the merchant cannot be reached).
    Delivered {
        /// The request.
        request_id: String,
        /// Its reference.
        reference: String,
        /// How it went.
        delivery: Delivery,
    },
    /// A request was posted on a staff board.
    Posted {
        /// The request as it was read before posting.
        shown: Shown,
        /// The board's channel.
        channel: String,
        /// The post.
        post: String,
    },
    /// A request's posts were brought up to date.
    Refreshed(Shown),
    /// A request's ticket was opened on the desk.
    TicketOpened {
        /// The request.
        request_id: String,
        /// Its reference.
        reference: String,
        /// The ticket's id on the desk.
        ticket: String,
    },
}

/// The job that posts a request on one board (queued once per request and board).
fn staff_post(request_id: &str, channel: &str, now: DateTime<Utc>) -> NewJob {
    NewJob::now(
        Job::StaffPost {
            request_id: request_id.to_owned(),
            channel: channel.to_owned(),
        },
        Some(format!("staff_post:{request_id}:{channel}")),
        now,
    )
}

async fn locked_request(tx: &mut Tx, id: &str) -> anyhow::Result<RequestRow> {
    tx.lock_request_by_id(id)
        .await?
        .with_context(|| format!("request {id} not found"))
}

/// Queues another refresh of a request's posts if it moved since they were drawn.
async fn refresh_if_moved(tx: &mut Tx, shown: &Shown, now: DateTime<Utc>) -> anyhow::Result<()> {
    if let Some(request) = tx.lock_request_by_id(&shown.request_id).await?
        && (request.status != shown.status || request.unreachable != shown.unreachable)
    {
        tx.enqueue(&NewJob::refresh_staff_posts(&request.id, now))
            .await?;
    }
    Ok(())
}

/// Whether the request is still in the `awaiting_client_approval` it entered at `since` (Unix
/// milliseconds), the one that scheduled this timer.
fn still_awaiting(request: &RequestRow, since: i64) -> bool {
    request.status == RequestStatus::AwaitingClientApproval.as_str()
        && DateTime::<Utc>::from_timestamp_millis(since) == Some(request.status_changed_at)
}
