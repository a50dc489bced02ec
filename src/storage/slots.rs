//! Storage of the fleet's outbound budget: one row per rate-limited key with the earliest time
//! its next call may be made (`next_at`, Unix microseconds). A slot is taken with one atomic
//! upsert, so instances sharing the database never take the same slot.

use super::Store;

/// The outcome of asking for a slot on a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The slot taken: the call may be made at this time (Unix microseconds), not before.
    Taken(i64),
    /// The key's next free slot is later than the caller would wait for; the time (Unix
    /// microseconds) it is free.
    Busy(i64),
}

impl Store {
    /// Takes the first slot of `key` at or after `earliest` (Unix microseconds) and moves the
    /// key's next slot `pace_us` after it; with `latest`, only if the key's next slot comes no
    /// later than that (else [`Slot::Busy`] with when it comes, and nothing changes).
    pub async fn take_slot(
        &self,
        key: &str,
        earliest: i64,
        pace_us: i64,
        latest: Option<i64>,
    ) -> anyhow::Result<Slot> {
        let next: Option<i64> = sqlx::query_scalar(
            "INSERT INTO send_slots (key, next_at) VALUES ($1, $2 + $3) \
             ON CONFLICT (key) DO UPDATE SET next_at = \
             CASE WHEN send_slots.next_at > $2 THEN send_slots.next_at ELSE $2 END + $3 \
             WHERE send_slots.next_at <= $4 \
             RETURNING next_at",
        )
        .bind(key)
        .bind(earliest)
        .bind(pace_us)
        .bind(latest.unwrap_or(i64::MAX))
        .fetch_optional(&self.pool)
        .await?;
        if let Some(next) = next {
            return Ok(Slot::Taken(next - pace_us));
        }
        let next = self.latest_slot(&[key.to_owned()]).await?;
        Ok(Slot::Busy(next.unwrap_or(earliest)))
    }

    /// Moves `key`'s next slot to `until` (Unix microseconds) at the earliest; a later one
    /// already recorded stays.
    pub async fn push_slot(&self, key: &str, until: i64) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO send_slots (key, next_at) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET next_at = \
             CASE WHEN send_slots.next_at > $2 THEN send_slots.next_at ELSE $2 END",
        )
        .bind(key)
        .bind(until)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The latest time (Unix microseconds) recorded on any of `keys`, if any.
    pub async fn latest_slot(&self, keys: &[String]) -> anyhow::Result<Option<i64>> {
        if keys.is_empty() {
            return Ok(None);
        }
        let marks: Vec<String> = (1..=keys.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT MAX(next_at) FROM send_slots WHERE key IN ({})",
            marks.join(", ")
        );
        let mut query = sqlx::query_scalar::<_, Option<i64>>(&sql);
        for key in keys {
            query = query.bind(key);
        }
        Ok(query.fetch_one(&self.pool).await?)
    }

    /// Forgets keys whose next slot is before `before` (Unix microseconds): a chat quiet since
    /// then is free anyway. Returns how many were forgotten.
    pub async fn prune_slots(&self, before: i64) -> anyhow::Result<u64> {
        let done = sqlx::query("DELETE FROM send_slots WHERE next_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
