//! Durable state on SQLite (one file, the default) or PostgreSQL (for several instances), through
//! one set of queries: both backends take the same SQL with `$n` parameters, and where they
//! differ (row locks) the query says so. Migrations are embedded and applied at start.

mod drafts;
mod events;
mod history;
mod inbox;
mod leases;
mod meta;
mod migrations;
mod outbox;
mod pipeline;
mod privacy;
mod requests;
mod signup;
mod slots;
mod staff;

pub use drafts::{RawDraft, Settle, StaleDraft};
pub use history::{HistoryEntry, Note};
pub use meta::{KeptEvent, Registration};
pub use outbox::{ClaimedJob, FailedJob};
pub use pipeline::{Move, RequestSummary, SummaryFilter};
pub use requests::{NewJob, NewRequest, Problem, RequestRow};
pub use signup::{SignupLink, SignupSession};
pub use slots::Slot;
pub use staff::StaffPrompt;

use crate::conversation::Draft;
use anyhow::Context;
use chrono::{DateTime, TimeZone, Utc};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Row, Transaction};
use std::time::Duration;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The row lock of a `SELECT` that writes afterwards: `FOR UPDATE` on PostgreSQL; nothing on
    /// SQLite, whose write transactions are serialized from `BEGIN IMMEDIATE`.
    pub(crate) fn for_update(self) -> &'static str {
        match self {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        }
    }

    /// Like [`Backend::for_update`], skipping rows other transactions hold (job queues).
    pub(crate) fn for_update_skip_locked(self) -> &'static str {
        match self {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        }
    }
}

/// Who a conversation belongs to: a channel and the user's id on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserKey {
    /// `console`, `telegram`, `discord`, `slack`.
    pub channel: String,
    /// The user's id on that channel.
    pub user_id: String,
}

impl UserKey {
    /// A key.
    pub fn new(channel: &str, user_id: &str) -> Self {
        UserKey {
            channel: channel.to_owned(),
            user_id: user_id.to_owned(),
        }
    }

    /// `channel:user` as stored.
    pub fn key(&self) -> String {
        format!("{}:{}", self.channel, self.user_id)
    }
}

/// The database.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

/// Milliseconds since the Unix epoch, as stored.
pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// Back from stored milliseconds.
pub(crate) fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

impl Store {
    /// Opens the database at `url` (`sqlite://file.db` or `postgres://…`), creating a SQLite
    /// file if there is none, and applies the migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            let url = if url.contains("mode=") || url.contains(":memory:") {
                url.to_owned()
            } else if url.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            (Backend::Postgres, url.to_owned())
        } else {
            anyhow::bail!("unsupported database URL scheme (use sqlite:// or postgres://)");
        };
        let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        if backend == Backend::Sqlite {
            options = options.max_connections(4).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        // The wait first: switching a new file to WAL takes its lock.
                        "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                         PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                    )
                    .await?;
                    Ok(())
                })
            });
        } else {
            options = options.max_connections(10);
        }
        let pool = options
            .connect(&url)
            .await
            .context("cannot connect to the database")?;
        let store = Store { pool, backend };
        migrations::run(&store.pool, backend)
            .await
            .context("cannot apply the database migrations")?;
        Ok(store)
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for queries of other modules.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Whether the database answers and is migrated.
    pub async fn is_ready(&self) -> bool {
        migrations::is_current(&self.pool, self.backend).await
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once, so that two
    /// writers queue instead of failing on a lock upgrade.
    pub async fn begin(&self) -> anyhow::Result<Tx> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .context("cannot begin a transaction")?;
        Ok(Tx {
            tx,
            backend: self.backend,
        })
    }

    /// The requests of one merchant, newest first.
    pub async fn requests_of(&self, user: &UserKey) -> anyhow::Result<Vec<RequestRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM requests WHERE channel = $1 AND user_id = $2 ORDER BY created_at DESC, reference DESC",
            requests::COLUMNS
        ))
        .bind(&user.channel)
        .bind(&user.user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(RequestRow::from_row).collect()
    }

    /// One request by its id (not locked).
    pub async fn request_by_id(&self, id: &str) -> anyhow::Result<Option<RequestRow>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM requests WHERE id = $1",
            requests::COLUMNS
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(RequestRow::from_row).transpose()
    }

    /// The logo of a request, as the merchant sent it.
    pub async fn request_logo(&self, id: &str) -> anyhow::Result<Vec<u8>> {
        let logo: Option<Option<Vec<u8>>> =
            sqlx::query_scalar("SELECT logo FROM requests WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(logo.flatten().unwrap_or_default())
    }

    /// Where a request was posted for staff, as (channel, post).
    pub async fn staff_posts(&self, request_id: &str) -> anyhow::Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT channel, post FROM staff_posts WHERE request_id = $1")
            .bind(request_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("channel")?, row.try_get("post")?)))
            .collect()
    }

    /// The request whose ticket on the desk is `ticket`.
    pub async fn request_by_ticket(&self, ticket: &str) -> anyhow::Result<Option<RequestRow>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM requests WHERE ticket_id = $1",
            requests::COLUMNS
        ))
        .bind(ticket)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(RequestRow::from_row).transpose()
    }

    /// One request by its reference.
    pub async fn request(&self, reference: &str) -> anyhow::Result<Option<RequestRow>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM requests WHERE reference = $1",
            requests::COLUMNS
        ))
        .bind(reference)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(RequestRow::from_row).transpose()
    }

    /// Whether a platform event was already processed.
    pub async fn event_seen(&self, event_id: &str) -> anyhow::Result<bool> {
        let row = sqlx::query("SELECT 1 AS seen FROM inbound_events WHERE event_id = $1")
            .bind(event_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// The stored draft of a merchant, if any (read outside a transaction). Its logo, if it
    /// has one, comes without its bytes (see [`Tx::load_draft`]).
    pub async fn draft(&self, user: &UserKey) -> anyhow::Result<Option<Draft>> {
        let row = sqlx::query("SELECT state FROM drafts WHERE user_key = $1")
            .bind(user.key())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| decode_draft(&r)).transpose()
    }

    /// Pending outbox jobs of a kind, oldest first (for tests and diagnostics).
    pub async fn pending_jobs(&self, kind: &str) -> anyhow::Result<Vec<crate::jobs::Job>> {
        let rows = sqlx::query(
            "SELECT payload FROM outbox WHERE kind = $1 AND status = 'pending' ORDER BY id",
        )
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let payload: String = r.try_get("payload")?;
                Ok(crate::jobs::Job::from_row(kind, &payload)?)
            })
            .collect()
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A draft from a row's `state`; its logo's bytes are left in the database.
fn decode_draft(row: &AnyRow) -> anyhow::Result<Draft> {
    let state: String = row.try_get("state")?;
    decode_stored_draft(&state, None)
}

/// A draft from its stored JSON and logo bytes (kept in a column of their own).
///
/// # Errors
/// When the JSON is not a draft of this version.
pub fn decode_stored_draft(state: &str, logo: Option<Vec<u8>>) -> anyhow::Result<Draft> {
    let mut draft: Draft = serde_json::from_str(state).context("stored draft is unreadable")?;
    if let (Some(parsed), Some(bytes)) = (draft.answers.logo.as_mut(), logo) {
        parsed.value.bytes = bytes.into();
    }
    Ok(draft)
}

/// A stored draft, or `None` if it was written by an incompatible version: the merchant starts
/// afresh rather than being locked out.
fn readable_draft(decoded: anyhow::Result<Draft>, user: &UserKey) -> Option<Draft> {
    match decoded {
        Ok(draft) => Some(draft),
        Err(error) => {
            tracing::warn!(channel = %user.channel, error = %error, "discarding an unreadable draft");
            None
        }
    }
}

/// One write transaction: everything an inbound message changes commits or rolls back together.
pub struct Tx {
    tx: Transaction<'static, Any>,
    backend: Backend,
}

/// Whether `error` is the database refusing a second open request for one phone number (the
/// partial unique index `requests_open_phone`): two confirmations raced past the conversation's
/// own check. The losing turn can be handled again, and then meets that check.
pub fn is_open_phone_conflict(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let Some(sqlx::Error::Database(db)) = cause.downcast_ref::<sqlx::Error>() else {
            return false;
        };
        // PostgreSQL names the index; SQLite names the column, requests.phone.
        db.is_unique_violation()
            && (db.constraint() == Some("requests_open_phone")
                || db.message().contains("constraint failed: requests.phone"))
    })
}

impl Tx {
    /// Records a platform event id; `false` if it was already processed.
    pub async fn record_event(
        &mut self,
        event_id: &str,
        at: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "INSERT INTO inbound_events (event_id, received_at) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(event_id)
        .bind(millis(at))
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a platform event id and loads the merchant's draft (locked until the transaction
    /// ends): `None` when the event was already processed. On SQLite this is one statement, the
    /// write lock being already held; on PostgreSQL the draft row is locked `FOR UPDATE`.
    pub async fn begin_inbound(
        &mut self,
        event_id: &str,
        user: &UserKey,
        at: DateTime<Utc>,
    ) -> anyhow::Result<Option<Option<Draft>>> {
        match self.backend {
            Backend::Postgres => {
                if !self.record_event(event_id, at).await? {
                    return Ok(None);
                }
                self.load_draft(user).await.map(Some)
            }
            Backend::Sqlite => {
                let row = sqlx::query(
                    "INSERT INTO inbound_events (event_id, received_at) VALUES ($1, $2) \
                     ON CONFLICT (event_id) DO NOTHING \
                     RETURNING (SELECT state FROM drafts WHERE user_key = $3) AS state",
                )
                .bind(event_id)
                .bind(millis(at))
                .bind(user.key())
                .fetch_optional(&mut *self.tx)
                .await?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let state: Option<String> = row.try_get("state")?;
                if state.is_none() {
                    return Ok(Some(None));
                }
                Ok(Some(readable_draft(decode_draft(&row), user)))
            }
        }
    }

    /// The draft of a merchant, locked until the transaction ends. Its logo, if it has one,
    /// comes without its bytes (up to 5 MiB, needed only to submit: [`Tx::draft_logo`]), so
    /// that a turn reads and writes no more than the conversation's state.
    pub async fn load_draft(&mut self, user: &UserKey) -> anyhow::Result<Option<Draft>> {
        let lock = self.backend.for_update();
        let row = sqlx::query(&format!(
            "SELECT state FROM drafts WHERE user_key = $1{lock}"
        ))
        .bind(user.key())
        .fetch_optional(&mut *self.tx)
        .await?;
        Ok(row.and_then(|row| readable_draft(decode_draft(&row), user)))
    }

    /// The bytes of the logo of a merchant's draft, as stored.
    pub async fn draft_logo(&mut self, user: &UserKey) -> anyhow::Result<Option<Vec<u8>>> {
        let logo: Option<Option<Vec<u8>>> =
            sqlx::query_scalar("SELECT logo FROM drafts WHERE user_key = $1")
                .bind(user.key())
                .fetch_optional(&mut *self.tx)
                .await?;
        Ok(logo.flatten())
    }

    /// Saves a draft. The logo's bytes are written when the logo changed or when the draft
    /// carries them (a draft restored from a request or set aside); a draft loaded without them
    /// keeps the stored ones.
    pub async fn save_draft(&mut self, user: &UserKey, draft: &Draft) -> anyhow::Result<()> {
        let state = serde_json::to_string(draft)?;
        let carried = draft
            .answers
            .logo
            .as_ref()
            .filter(|p| !p.value.bytes.is_empty());
        let write_logo = draft.logo_changed || carried.is_some();
        let logo: Option<Vec<u8>> = carried.map(|p| p.value.bytes.to_vec());
        let update_logo = if write_logo {
            ", logo = excluded.logo"
        } else {
            ""
        };
        sqlx::query(&format!(
            "INSERT INTO drafts (user_key, draft_id, step, locale, state, logo, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (user_key) DO UPDATE SET draft_id = excluded.draft_id, step = excluded.step, \
             locale = excluded.locale, state = excluded.state, updated_at = excluded.updated_at, \
             nudged_at = NULL{update_logo}"
        ))
        .bind(user.key())
        .bind(draft.id.to_string())
        .bind(draft.step.as_str())
        .bind(draft.locale.tag())
        .bind(state)
        .bind(logo)
        .bind(millis(draft.created_at))
        .bind(millis(draft.updated_at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Forgets the draft of a user (`channel:user`), and any draft set aside with it.
    pub async fn delete_draft(&mut self, user_key: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM drafts WHERE user_key = $1")
            .bind(user_key)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// The reference of an open request (not final) with this number, other than `excluding`.
    pub async fn open_request_with_phone(
        &mut self,
        e164: &str,
        excluding: uuid::Uuid,
    ) -> anyhow::Result<Option<String>> {
        let row = sqlx::query(
            "SELECT reference FROM requests WHERE phone = $1 AND id <> $2 \
             AND status NOT IN ('active', 'rejected', 'cancelled', 'expired') ORDER BY created_at LIMIT 1",
        )
        .bind(e164)
        .bind(excluding.to_string())
        .fetch_optional(&mut *self.tx)
        .await?;
        Ok(row.map(|r| r.try_get("reference")).transpose()?)
    }

    /// Creates a request (once: a second call for the same draft returns the first reference),
    /// with its first history entry.
    pub async fn create_request(&mut self, request: &NewRequest) -> anyhow::Result<String> {
        requests::create(&mut self.tx, request).await
    }

    /// Queues a job for the outbox worker; a job with the same dedupe key is queued once.
    /// Returns whether it was queued (`false`: one with its key already was).
    pub async fn enqueue(&mut self, job: &NewJob) -> anyhow::Result<bool> {
        let (kind, payload) = job.job.to_row();
        let queued = sqlx::query(
            "INSERT INTO outbox (kind, payload, dedupe_key, status, attempts, due_at, created_at) \
             VALUES ($1, $2, $3, 'pending', 0, $4, $5) ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(kind)
        .bind(payload)
        .bind(job.dedupe_key.clone())
        .bind(millis(job.due_at))
        .bind(millis(job.created_at))
        .execute(&mut *self.tx)
        .await?;
        Ok(queued.rows_affected() == 1)
    }

    /// Commits.
    pub async fn commit(self) -> anyhow::Result<()> {
        self.tx.commit().await.context("cannot commit")?;
        Ok(())
    }

    /// Rolls back.
    pub async fn rollback(self) -> anyhow::Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}
