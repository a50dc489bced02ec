//! The reads behind the managers' view: every request in a few columns (no logo, no findings),
//! and the moves of the requests that moved in a period. Both are single queries, so the
//! statistics and the listing of 50,000 requests cost two round trips, not one per request.

use super::{Backend, Store, from_millis, millis};
use crate::domain::RequestStatus;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

const SUMMARY: &str = "id, reference, status, channel, store_account, display_name, created_at, \
     status_changed_at, ticket_id, unreachable";

fn summary(row: &AnyRow) -> anyhow::Result<RequestSummary> {
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
}

/// Which requests a listing selects, in the database's terms (the service turns business days
/// into instants).
#[derive(Debug, Clone, Default)]
pub struct SummaryFilter {
    /// Requests in one of these statuses.
    pub statuses: Vec<RequestStatus>,
    /// That came through this channel.
    pub channel: Option<String>,
    /// Submitted before this instant.
    pub created_before: Option<DateTime<Utc>>,
    /// Late: in one of these statuses since before its instant.
    pub late: Option<Vec<(RequestStatus, DateTime<Utc>)>>,
}

enum Bind {
    Text(String),
    Int(i64),
}

impl SummaryFilter {
    /// The `WHERE` clause and its values, numbered from `$1`.
    fn clause(&self) -> (String, Vec<Bind>) {
        let mut binds = Vec::new();
        let mut slot = |bind: Bind| {
            binds.push(bind);
            format!("${}", binds.len())
        };
        let statuses: Vec<String> = self
            .statuses
            .iter()
            .map(|s| slot(Bind::Text(s.as_str().to_owned())))
            .collect();
        let mut clause = if statuses.is_empty() {
            "1 = 0".to_owned()
        } else {
            format!("status IN ({})", statuses.join(", "))
        };
        if let Some(channel) = &self.channel {
            clause.push_str(&format!(
                " AND channel = {}",
                slot(Bind::Text(channel.clone()))
            ));
        }
        if let Some(before) = self.created_before {
            clause.push_str(&format!(
                " AND created_at < {}",
                slot(Bind::Int(millis(before)))
            ));
        }
        if let Some(late) = &self.late {
            let any: Vec<String> = late
                .iter()
                .map(|(status, before)| {
                    let status = slot(Bind::Text(status.as_str().to_owned()));
                    let before = slot(Bind::Int(millis(*before)));
                    format!("(status = {status} AND status_changed_at < {before})")
                })
                .collect();
            if any.is_empty() {
                clause.push_str(" AND 1 = 0");
            } else {
                clause.push_str(&format!(" AND ({})", any.join(" OR ")));
            }
        }
        (clause, binds)
    }
}

fn bound<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: Vec<Bind>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for bind in binds {
        query = match bind {
            Bind::Text(text) => query.bind(text),
            Bind::Int(n) => query.bind(n),
        };
    }
    query
}

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

/// A JSON array built by the database, one element per row, in `order`: SQLite's
/// `json_group_array` or PostgreSQL's `json_agg` (both keep an aggregate's `ORDER BY`).
fn json_rows(backend: Backend, columns: &str, order: &str) -> String {
    match backend {
        Backend::Sqlite => {
            format!("COALESCE(json_group_array(json_array({columns}) ORDER BY {order}), '[]')")
        }
        Backend::Postgres => format!(
            "COALESCE(json_agg(json_build_array({columns}) ORDER BY {order}), '[]'::json)::text"
        ),
    }
}

/// A request as [`json_rows`] gives it, in [`SUMMARY`]'s order.
type SummaryJson = (
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<String>,
    i64,
);

impl Store {
    /// The requests statistics from `since` need, oldest first (by confirmation time, then
    /// reference): those confirmed since, those still open, and those that moved since. They
    /// come as one JSON array built by the database rather than as a row each: with tens of
    /// thousands of requests, handing rows one by one through the driver was nearly all of a
    /// statistic's time (0.70 s for 50,000 on SQLite).
    pub async fn summaries_since(
        &self,
        since: DateTime<Utc>,
    ) -> anyhow::Result<Vec<RequestSummary>> {
        let finals = RequestStatus::ALL
            .into_iter()
            .filter(|s| s.is_final())
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = json_rows(self.backend, SUMMARY, "created_at, reference");
        let json: String = sqlx::query_scalar(&format!(
            "SELECT {rows} FROM requests WHERE created_at >= $1 OR status NOT IN ({finals}) \
             OR id IN (SELECT request_id FROM request_history WHERE at >= $1)"
        ))
        .bind(millis(since))
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<SummaryJson> = serde_json::from_str(&json)?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    reference,
                    status,
                    channel,
                    store_account,
                    display_name,
                    created,
                    changed,
                    ticket_id,
                    unreachable,
                )| {
                    RequestSummary {
                        id,
                        reference,
                        status,
                        channel,
                        store_account,
                        display_name,
                        created_at: from_millis(created),
                        status_changed_at: from_millis(changed),
                        ticket_id,
                        unreachable: unreachable != 0,
                    }
                },
            )
            .collect())
    }

    /// Every request, oldest first (by confirmation time, then reference).
    pub async fn request_summaries(&self) -> anyhow::Result<Vec<RequestSummary>> {
        let rows = sqlx::query(&format!(
            "SELECT {SUMMARY} FROM requests ORDER BY created_at, reference"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(summary).collect()
    }

    /// How many requests `filter` selects, per status id.
    pub async fn count_summaries(
        &self,
        filter: &SummaryFilter,
    ) -> anyhow::Result<Vec<(String, i64)>> {
        let (clause, binds) = filter.clause();
        let sql =
            format!("SELECT status, COUNT(*) AS n FROM requests WHERE {clause} GROUP BY status");
        let rows = bound(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("status")?, row.try_get("n")?)))
            .collect()
    }

    /// A page of the requests `filter` selects: by status in lifecycle order, then oldest
    /// first; `limit` rows from `offset`.
    pub async fn page_of_summaries(
        &self,
        filter: &SummaryFilter,
        limit: i64,
        offset: i64,
    ) -> anyhow::Result<Vec<RequestSummary>> {
        let (clause, binds) = filter.clause();
        let order: Vec<String> = RequestStatus::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| format!("WHEN '{}' THEN {i}", s.as_str()))
            .collect();
        let sql = format!(
            "SELECT {SUMMARY} FROM requests WHERE {clause} \
             ORDER BY CASE status {} END, created_at, reference LIMIT {limit} OFFSET {offset}",
            order.join(" ")
        );
        let rows = bound(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(summary).collect()
    }

    /// Every move of the requests that moved at or after `since`, their earlier moves included
    /// (a stay that ends in the period may have begun before it), by request and in order.
    pub async fn moves_since(&self, since: DateTime<Utc>) -> anyhow::Result<Vec<Move>> {
        // One JSON array rather than a row each, as in `summaries_since`.
        let rows = json_rows(
            self.backend,
            "request_id, from_status, to_status, at",
            "request_id, id",
        );
        let json: String = sqlx::query_scalar(&format!(
            "SELECT {rows} FROM request_history \
             WHERE request_id IN (SELECT request_id FROM request_history WHERE at >= $1)"
        ))
        .bind(millis(since))
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<(String, Option<String>, String, i64)> = serde_json::from_str(&json)?;
        Ok(rows
            .into_iter()
            .map(|(request_id, from, to, at)| Move {
                request_id,
                from,
                to,
                at: from_millis(at),
            })
            .collect())
    }
}
