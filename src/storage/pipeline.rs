//! The reads behind the managers' view: every request in a few columns (no logo, no findings),
//! and the moves of the requests that moved in a period. Both are single queries, so the
//! statistics and the listing of 50,000 requests cost two round trips, not one per request.

use super::{Store, from_millis, millis};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A request in the columns a listing or a statistic needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSummary {
    /// Id (the draft's).
    pub id: String,
    /// `WA-000042`.
    pub reference: String,
    /// Status id.
    pub status: String,
    /// The channel the merchant came through (`telegram`, `discord`, `slack`, `console`).
    pub channel: String,
    /// Store account.
    pub store_account: String,
    /// Display name.
    pub display_name: String,
    /// Confirmed at.
    pub created_at: DateTime<Utc>,
    /// Last status change.
    pub status_changed_at: DateTime<Utc>,
    /// The ticket on the desk, once opened.
    pub ticket_id: Option<String>,
    /// Notifications cannot reach the merchant.
    pub unreachable: bool,
}

/// One move of a request: the creation (`from` none) or a change of status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The request's id.
    pub request_id: String,
    /// Status before (none for the creation).
    pub from: Option<String>,
    /// Status after.
    pub to: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl Store {
    /// Every request, oldest first (by confirmation time, then reference).
    pub async fn request_summaries(&self) -> anyhow::Result<Vec<RequestSummary>> {
        let rows = sqlx::query(
            "SELECT id, reference, status, channel, store_account, display_name, created_at, \
             status_changed_at, ticket_id, unreachable FROM requests \
             ORDER BY created_at, reference",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(RequestSummary {
                    id: row.try_get("id")?,
                    reference: row.try_get("reference")?,
                    status: row.try_get("status")?,
                    channel: row.try_get("channel")?,
                    store_account: row.try_get("store_account")?,
                    display_name: row.try_get("display_name")?,
                    created_at: from_millis(row.try_get("created_at")?),
                    status_changed_at: from_millis(row.try_get("status_changed_at")?),
                    ticket_id: row.try_get("ticket_id")?,
                    unreachable: row.try_get::<i64, _>("unreachable")? != 0,
                })
            })
            .collect()
    }

    /// Every move of the requests that moved at or after `since`, their earlier moves included
    /// (a stay that ends in the period may have begun before it), by request and in order.
    pub async fn moves_since(&self, since: DateTime<Utc>) -> anyhow::Result<Vec<Move>> {
        let rows = sqlx::query(
            "SELECT request_id, from_status, to_status, at FROM request_history \
             WHERE request_id IN (SELECT request_id FROM request_history WHERE at >= $1) \
             ORDER BY request_id, id",
        )
        .bind(millis(since))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Move {
                    request_id: row.try_get("request_id")?,
                    from: row.try_get("from_status")?,
                    to: row.try_get("to_status")?,
                    at: from_millis(row.try_get("at")?),
                })
            })
            .collect()
    }
}
