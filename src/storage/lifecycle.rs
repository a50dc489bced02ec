//! Storage of the lifecycle: status moves with their history, notes, the console inbox, the
//! outbox queue, and the reads behind staff and manager queries.

use super::requests::{COLUMNS, NewRequest, RequestRow, update_values};
use super::{Store, Tx, from_millis, millis};
use crate::domain::{Message, RequestStatus};
use crate::i18n::Locale;
use crate::jobs::{HelpWanted, Job, Unreadable};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A stored draft as JSON, with its logo bytes.
pub type RawDraft = (String, Option<Vec<u8>>);

/// One entry of a request's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Status before (none for the creation).
    pub from: Option<String>,
    /// Status after.
    pub to: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (`merchant:console:ana`, `cli:bob`, `system`).
    pub actor: String,
    /// Why.
    pub reason: Option<String>,
}

/// A note on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub author: String,
    /// What.
    pub body: String,
    /// Shown to the merchant too.
    pub visible_to_merchant: bool,
}

/// A claimed outbox job.
#[derive(Debug)]
pub struct ClaimedJob {
    /// Row id.
    pub id: i64,
    /// Its kind as stored (`notify_merchant`, …), for logs.
    pub kind: String,
    /// The job, or why its row cannot be read (that job alone then fails, visibly).
    pub job: Result<Job, Unreadable>,
    /// Tries so far, this one included.
    pub attempts: i64,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
}

/// What a sweep does with a stale draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// Records that its merchant was reminded.
    Nudge,
    /// Restarts its idle clock (a fix, reminded weekly).
    Touch,
    /// Deletes it.
    Expire,
}

/// A job that gave up.
#[derive(Debug, Clone)]
pub struct FailedJob {
    /// Its kind as stored.
    pub kind: String,
    /// The job, when its row can be read.
    pub job: Option<Job>,
    /// Tries.
    pub attempts: i64,
    /// The last error.
    pub last_error: Option<String>,
}

impl Tx {
    /// A request by reference, locked until the transaction ends.
    pub async fn lock_request(&mut self, reference: &str) -> anyhow::Result<Option<RequestRow>> {
        self.lock_request_where("reference", reference).await
    }

    /// A request by id, locked until the transaction ends.
    pub async fn lock_request_by_id(&mut self, id: &str) -> anyhow::Result<Option<RequestRow>> {
        self.lock_request_where("id", id).await
    }

    async fn lock_request_where(
        &mut self,
        column: &str,
        value: &str,
    ) -> anyhow::Result<Option<RequestRow>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM requests WHERE {column} = $1{}",
            self.backend.for_update()
        ))
        .bind(value)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(RequestRow::from_row).transpose()
    }

    /// Locks a merchant's draft row (on PostgreSQL; SQLite transactions are serialized).
    pub async fn lock_draft_row(&mut self, user: &super::UserKey) -> anyhow::Result<()> {
        sqlx::query(&format!(
            "SELECT user_key FROM drafts WHERE user_key = $1{}",
            self.backend.for_update()
        ))
        .bind(user.key())
        .fetch_optional(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Moves a request from `from` to `to` and appends the history; fails if it is no longer in
    /// `from` (someone moved it meanwhile).
    pub async fn move_request(
        &mut self,
        id: &str,
        from: RequestStatus,
        to: RequestStatus,
        actor: &str,
        reason: Option<&str>,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let moved = sqlx::query(
            "UPDATE requests SET status = $3, status_changed_at = $4, updated_at = $4 \
             WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(millis(at))
        .execute(&mut *self.tx)
        .await?;
        anyhow::ensure!(moved.rows_affected() == 1, "the request moved meanwhile");
        sqlx::query(
            "INSERT INTO request_history (request_id, from_status, to_status, at, actor, reason) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(millis(at))
        .bind(actor)
        .bind(reason.map(str::to_owned))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Records which fields the merchant must fix, and why (or clears them).
    pub async fn set_info_request(
        &mut self,
        id: &str,
        fields: &[String],
        reason: Option<&str>,
    ) -> anyhow::Result<()> {
        let fields = if fields.is_empty() {
            None
        } else {
            Some(serde_json::to_string(fields)?)
        };
        sqlx::query("UPDATE requests SET info_fields = $2, info_reason = $3 WHERE id = $1")
            .bind(id)
            .bind(fields)
            .bind(reason.map(str::to_owned))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Records the desk's ticket id.
    pub async fn set_ticket(&mut self, id: &str, ticket: &str) -> anyhow::Result<()> {
        sqlx::query("UPDATE requests SET ticket_id = $2 WHERE id = $1")
            .bind(id)
            .bind(ticket)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Marks the merchant of a request as unreachable (or reachable again).
    pub async fn set_unreachable(&mut self, id: &str, unreachable: bool) -> anyhow::Result<()> {
        sqlx::query("UPDATE requests SET unreachable = $2 WHERE id = $1")
            .bind(id)
            .bind(i64::from(unreachable))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Replaces the values of a request with those of a fixed draft.
    pub async fn update_request_values(&mut self, request: &NewRequest) -> anyhow::Result<()> {
        update_values(&mut self.tx, request).await
    }

    /// The confirmed draft of a request (JSON) and its logo.
    pub async fn request_draft(&mut self, id: &str) -> anyhow::Result<Option<(String, Vec<u8>)>> {
        let row = sqlx::query("SELECT draft_state, logo FROM requests WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let state: Option<String> = row.try_get("draft_state")?;
        Ok(state.map(|s| (s, row.try_get("logo").unwrap_or_default())))
    }

    /// Adds a note.
    pub async fn add_note(
        &mut self,
        id: &str,
        author: &str,
        body: &str,
        visible: bool,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO request_notes (request_id, at, author, body, visible_to_merchant) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(millis(at))
        .bind(author)
        .bind(body)
        .bind(i64::from(visible))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Leaves a notification in a console merchant's inbox, to be shown in `locale` (the
    /// merchant's language when it was left).
    pub async fn push_console_inbox(
        &mut self,
        user_id: &str,
        message: &Message,
        locale: Locale,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO console_inbox (user_id, message, locale, created_at) VALUES ($1, $2, $3, $4)",
        )
            .bind(user_id)
            .bind(serde_json::to_string(message)?)
            .bind(locale.tag())
            .bind(millis(at))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Parks the merchant's current draft (to fix an earlier request first) and installs
    /// `draft` in its place; `parked` is the JSON and logo of the draft set aside.
    pub async fn park_draft(
        &mut self,
        user_key: &str,
        parked: Option<RawDraft>,
    ) -> anyhow::Result<()> {
        let (state, logo) = match parked {
            Some((state, logo)) => (Some(state), logo),
            None => (None, None),
        };
        sqlx::query("UPDATE drafts SET parked_state = $2, parked_logo = $3 WHERE user_key = $1")
            .bind(user_key)
            .bind(state)
            .bind(logo)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// The JSON and logo of the draft stored for a user now, and of the one parked, if any.
    pub async fn raw_drafts(
        &mut self,
        user_key: &str,
    ) -> anyhow::Result<(
        Option<(String, Option<Vec<u8>>)>,
        Option<(String, Option<Vec<u8>>)>,
    )> {
        let row = sqlx::query(
            "SELECT state, logo, parked_state, parked_logo FROM drafts WHERE user_key = $1",
        )
        .bind(user_key)
        .fetch_optional(&mut *self.tx)
        .await?;
        let Some(row) = row else {
            return Ok((None, None));
        };
        let current = (row.try_get::<String, _>("state")?, row.try_get("logo")?);
        let parked: Option<String> = row.try_get("parked_state")?;
        let parked = match parked {
            Some(state) => Some((state, row.try_get("parked_logo")?)),
            None => None,
        };
        Ok((Some(current), parked))
    }

    /// Marks a claimed job done; `false` if this worker no longer holds it (its effects must
    /// then be rolled back).
    pub async fn complete_job(
        &mut self,
        id: i64,
        worker: &str,
        at: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "UPDATE outbox SET status = 'done', done_at = $3, locked_until = NULL \
             WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
        )
        .bind(id)
        .bind(worker)
        .bind(millis(at))
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// A draft not touched for a while.
#[derive(Debug, Clone)]
pub struct StaleDraft {
    /// `channel:user`.
    pub user_key: String,
    /// The draft.
    pub state: String,
    /// Last activity.
    pub updated_at: DateTime<Utc>,
    /// Already nudged.
    pub nudged: bool,
}

impl Tx {
    /// Drafts in progress idle since before `nudge_before` and not nudged yet, or idle since
    /// before `expire_before`; locked (and skipped by other workers on PostgreSQL).
    pub async fn stale_drafts(
        &mut self,
        nudge_before: DateTime<Utc>,
        expire_before: DateTime<Utc>,
    ) -> anyhow::Result<Vec<StaleDraft>> {
        let lock = self.backend.for_update_skip_locked();
        let rows = sqlx::query(&format!(
            "SELECT user_key, state, updated_at, nudged_at FROM drafts WHERE step <> 'done' \
             AND ((nudged_at IS NULL AND updated_at < $1) OR updated_at < $2) \
             ORDER BY updated_at LIMIT 50{lock}"
        ))
        .bind(millis(nudge_before))
        .bind(millis(expire_before))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StaleDraft {
                    user_key: r.try_get("user_key")?,
                    state: r.try_get("state")?,
                    updated_at: from_millis(r.try_get("updated_at")?),
                    nudged: r.try_get::<Option<i64>, _>("nudged_at")?.is_some(),
                })
            })
            .collect()
    }

    /// Takes a stale draft's reminder for this sweep: the nudge is recorded, a fix's idle clock
    /// restarted, or an expired draft deleted, unless the merchant wrote meanwhile or another
    /// sweep took it first; `true` when this sweep took it (and tells the merchant).
    pub async fn settle_stale_draft(
        &mut self,
        draft: &StaleDraft,
        settle: Settle,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let sql = match settle {
            Settle::Nudge => {
                "UPDATE drafts SET nudged_at = $3 WHERE user_key = $1 AND updated_at = $2 \
                 AND nudged_at IS NULL"
            }
            Settle::Touch => {
                "UPDATE drafts SET updated_at = $3, nudged_at = $3 WHERE user_key = $1 \
                 AND updated_at = $2"
            }
            Settle::Expire => "DELETE FROM drafts WHERE user_key = $1 AND updated_at = $2",
        };
        let mut query = sqlx::query(sql)
            .bind(&draft.user_key)
            .bind(millis(draft.updated_at));
        if settle != Settle::Expire {
            query = query.bind(millis(now));
        }
        let done = query.execute(&mut *self.tx).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets the ids of events received before `before`.
    pub async fn prune_events(&mut self, before: DateTime<Utc>) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM inbound_events WHERE received_at < $1")
            .bind(millis(before))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

impl Store {
    /// Takes or renews the lease `name` for `holder` until `now + ttl`; `true` while held.
    pub async fn hold_lease(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        ttl: chrono::Duration,
    ) -> anyhow::Result<bool> {
        let row = sqlx::query(
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE leases.holder = excluded.holder OR leases.expires_at < $4 \
             RETURNING holder",
        )
        .bind(name)
        .bind(holder)
        .bind(millis(now + ttl))
        .bind(millis(now))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// Gives a lease up (on a clean stop), so another instance need not wait for expiry.
    pub async fn release_lease(&self, name: &str, holder: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Requests per status.
    pub async fn count_by_status(&self) -> anyhow::Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM requests GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
            .collect()
    }

    /// The due time of the oldest job waiting, if any.
    pub async fn oldest_due_job(&self) -> anyhow::Result<Option<DateTime<Utc>>> {
        let due: Option<i64> =
            sqlx::query_scalar("SELECT MIN(due_at) FROM outbox WHERE status = 'pending'")
                .fetch_one(&self.pool)
                .await?;
        Ok(due.map(from_millis))
    }

    /// Claims up to `limit` due jobs for `worker` for `lease`; on PostgreSQL several workers claim
    /// disjoint jobs (`FOR UPDATE SKIP LOCKED`).
    pub async fn claim_jobs(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> anyhow::Result<Vec<ClaimedJob>> {
        let skip_locked = self.backend.for_update_skip_locked();
        let mut tx = self.begin().await?;
        let rows = sqlx::query(&format!(
            "UPDATE outbox SET claimed_by = $1, locked_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND due_at <= $3 \
             AND (locked_until IS NULL OR locked_until < $3) ORDER BY due_at, id LIMIT $4{skip_locked}) \
                          RETURNING id, kind, payload, attempts, created_at"
        ))
        .bind(worker)
        .bind(millis(now + lease))
        .bind(millis(now))
        .bind(limit)
        .fetch_all(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        let mut jobs = rows
            .iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let payload: String = r.try_get("payload")?;
                Ok(ClaimedJob {
                    id: r.try_get("id")?,
                    // An unreadable row fails that job alone (visibly), not the batch.
                    job: Job::from_row(&kind, &payload),
                    kind,
                    attempts: r.try_get("attempts")?,
                    created_at: from_millis(r.try_get("created_at")?),
                })
            })
            .collect::<anyhow::Result<Vec<ClaimedJob>>>()?;
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    /// Hands claimed jobs back untouched (a stopping worker), as if never claimed.
    pub async fn release_jobs(&self, ids: &[i64], worker: &str) -> anyhow::Result<()> {
        for id in ids {
            sqlx::query(
                "UPDATE outbox SET claimed_by = NULL, locked_until = NULL, attempts = attempts - 1 \
                 WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
            )
            .bind(*id)
            .bind(worker)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// Extends the lease of a claimed job before work that may take long; `false` when the
    /// job is no longer this worker's.
    pub async fn renew_job(
        &self,
        id: i64,
        worker: &str,
        until: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "UPDATE outbox SET locked_until = $3 WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
        )
        .bind(id)
        .bind(worker)
        .bind(millis(until))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Hands a claimed job back for later without counting the try (it needs a channel the
    /// worker does not serve).
    pub async fn defer_job(&self, id: i64, worker: &str, due: DateTime<Utc>) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE outbox SET claimed_by = NULL, locked_until = NULL, attempts = attempts - 1, \
             due_at = $3 WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
        )
        .bind(id)
        .bind(worker)
        .bind(millis(due))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Schedules another try of a failed job, or gives up on it.
    pub async fn job_failed(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let error: String = error.chars().take(2000).collect();
        let (status, due) = match retry_at {
            Some(at) => ("pending", millis(at)),
            None => ("failed", millis(now)),
        };
        sqlx::query(
            "UPDATE outbox SET status = $3, due_at = $4, last_error = $5, locked_until = NULL, \
             claimed_by = NULL, done_at = CASE WHEN $3 = 'failed' THEN $6 ELSE NULL END \
             WHERE id = $1 AND claimed_by = $2",
        )
        .bind(id)
        .bind(worker)
        .bind(status)
        .bind(due)
        .bind(error)
        .bind(millis(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Jobs that gave up, newest first.
    pub async fn failed_jobs(&self) -> anyhow::Result<Vec<FailedJob>> {
        let rows = sqlx::query(
            "SELECT kind, payload, attempts, last_error FROM outbox WHERE status = 'failed' ORDER BY id DESC LIMIT 50",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let payload: String = r.try_get("payload")?;
                Ok(FailedJob {
                    job: Job::from_row(&kind, &payload).ok(),
                    kind,
                    attempts: r.try_get("attempts")?,
                    last_error: r.try_get("last_error")?,
                })
            })
            .collect()
    }

    /// Jobs not yet done (due or not).
    pub async fn outbox_depth(&self) -> anyhow::Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Requests, optionally of one status, oldest first.
    pub async fn list_requests(
        &self,
        status: Option<RequestStatus>,
    ) -> anyhow::Result<Vec<RequestRow>> {
        let rows = match status {
            Some(status) => sqlx::query(&format!(
                "SELECT {COLUMNS} FROM requests WHERE status = $1 ORDER BY created_at, reference"
            ))
            .bind(status.as_str())
            .fetch_all(&self.pool)
            .await?,
            None => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM requests ORDER BY created_at, reference"
                ))
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(RequestRow::from_row).collect()
    }

    /// Requests of a store account, newest first.
    pub async fn requests_of_account(&self, account: &str) -> anyhow::Result<Vec<RequestRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM requests WHERE store_account = $1 ORDER BY created_at DESC"
        ))
        .bind(account)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(RequestRow::from_row).collect()
    }

    /// The history of a request, oldest first.
    pub async fn history(&self, id: &str) -> anyhow::Result<Vec<HistoryEntry>> {
        let rows = sqlx::query(
            "SELECT from_status, to_status, at, actor, reason FROM request_history WHERE request_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HistoryEntry {
                    from: r.try_get("from_status")?,
                    to: r.try_get("to_status")?,
                    at: from_millis(r.try_get("at")?),
                    actor: r.try_get("actor")?,
                    reason: r.try_get("reason")?,
                })
            })
            .collect()
    }

    /// The notes of a request, oldest first.
    pub async fn notes(&self, id: &str) -> anyhow::Result<Vec<Note>> {
        let rows = sqlx::query(
            "SELECT at, author, body, visible_to_merchant FROM request_notes WHERE request_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Note {
                    at: from_millis(r.try_get("at")?),
                    author: r.try_get("author")?,
                    body: r.try_get("body")?,
                    visible_to_merchant: r.try_get::<i64, _>("visible_to_merchant")? != 0,
                })
            })
            .collect()
    }

    /// Takes the unseen notifications of a console merchant, marking them seen: each message
    /// with the merchant's language when it was left (none for rows older than that record).
    pub async fn take_console_inbox(
        &self,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<(Message, Option<Locale>)>> {
        let mut tx = self.begin().await?;
        let rows = sqlx::query(
            "SELECT id, message, locale FROM console_inbox \
             WHERE user_id = $1 AND seen_at IS NULL ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut messages = Vec::new();
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let message: String = row.try_get("message")?;
            sqlx::query("UPDATE console_inbox SET seen_at = $2 WHERE id = $1")
                .bind(id)
                .bind(millis(now))
                .execute(&mut *tx.tx)
                .await?;
            let locale: Option<String> = row.try_get("locale")?;
            messages.push((
                serde_json::from_str(&message)?,
                locale.as_deref().and_then(Locale::parse_exact),
            ));
        }
        tx.commit().await?;
        Ok(messages)
    }

    /// Recent help requests (merchants who asked for a person).
    pub async fn help_requests(&self) -> anyhow::Result<Vec<(DateTime<Utc>, HelpWanted)>> {
        let rows = sqlx::query(
            "SELECT created_at, payload FROM outbox WHERE kind = 'help_request' ORDER BY id DESC LIMIT 20",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut wanted = Vec::new();
        for row in &rows {
            let payload: String = row.try_get("payload")?;
            // An unreadable row is left out of the list; the worker fails it visibly.
            if let Ok(Job::HelpRequest(help)) = Job::from_row("help_request", &payload) {
                wanted.push((from_millis(row.try_get("created_at")?), help));
            }
        }
        Ok(wanted)
    }
}
