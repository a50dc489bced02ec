//! Storage of handled platform events, pruned once too old to come again.

use super::{Tx, millis};
use chrono::{DateTime, Utc};

impl Tx {
    /// Forgets the ids of events received before `before`.
    pub async fn prune_events(&mut self, before: DateTime<Utc>) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM inbound_events WHERE received_at < $1")
            .bind(millis(before))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}
