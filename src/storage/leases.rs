//! Storage of leases: a duty held by one instance at a time (polling, the scheduler), renewed
//! by its holder and taken over by another once it runs out.

use super::{Store, millis};
use chrono::{DateTime, Utc};

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
}
