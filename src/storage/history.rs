//! Storage of a request's history and notes: every move (who, when, from, to, why) and every
//! note of staff's.

use super::{Store, Tx, from_millis, millis};
use crate::domain::RequestStatus;
use chrono::{DateTime, Utc};
use sqlx::Row;

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

impl Tx {
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
}

impl Store {
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
}
