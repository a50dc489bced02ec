//! Storage of the outbox: jobs queued with the state change that caused them, claimed by
//! workers (`FOR UPDATE SKIP LOCKED` on PostgreSQL), completed, retried, deferred or failed.

use super::{Store, Tx, from_millis, millis};
use crate::jobs::{HelpWanted, Job, Unreadable};
use chrono::{DateTime, Utc};
use sqlx::Row;

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

impl Store {
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
