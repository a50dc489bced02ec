//! Platform events and one-instance duties: which events were handled (a redelivered event is
//! recognised and skipped), and leases that let one instance at a time hold a duty (polling
//! Telegram, running the scheduler), taken over by another when the holder dies.

use crate::clock::Clock;
use crate::storage::Store;
use std::sync::Arc;

/// Handled events and leases.
#[derive(Clone)]
pub struct Events {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl Events {
    /// On a store, with a clock.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Events {
        Events { store, clock }
    }

    /// Whether an event (its id scoped by channel, `telegram:123456:42`) has not been handled
    /// yet. For events that change nothing in the database (a query, a notice): they are
    /// recorded by [`Events::record`] once answered, so that a failed answer comes again.
    pub async fn is_new(&self, event: &str) -> anyhow::Result<bool> {
        Ok(!self.store.event_seen(event).await?)
    }

    /// Records an event as handled.
    pub async fn record(&self, event: &str) -> anyhow::Result<()> {
        let mut tx = self.store.begin().await?;
        tx.record_event(event, self.clock.now()).await?;
        tx.commit().await
    }

    /// Takes or renews the lease `name` for `holder` for `ttl`; whether `holder` holds it.
    pub async fn hold_lease(
        &self,
        name: &str,
        holder: &str,
        ttl: chrono::Duration,
    ) -> anyhow::Result<bool> {
        self.store
            .hold_lease(name, holder, self.clock.now(), ttl)
            .await
    }

    /// Gives the lease up (a stopping holder), so that another takes it at once.
    pub async fn release_lease(&self, name: &str, holder: &str) -> anyhow::Result<()> {
        self.store.release_lease(name, holder).await
    }
}
