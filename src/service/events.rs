//! Platform events and one-instance duties: which events were handled (a redelivered event is
//! recognised and skipped), and leases that let one instance at a time hold a duty (polling
//! Telegram, running the scheduler), taken over by another when the holder dies.

use crate::clock::Clock;
use crate::storage::Store;
use std::sync::Arc;

/// A platform event's id, scoped by its channel: ids are unique per platform, not across them.
/// Built once, where the platform's payload is parsed; stored as `channel:id`
/// (`telegram:123456:42`, `discord:1198…`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventId {
    /// The channel (`telegram`, `discord`).
    pub channel: &'static str,
    /// The platform's own id of the event (for Telegram, the bot's id and the update's).
    pub id: String,
}

impl EventId {
    /// An event of `channel` with the platform's id `id`.
    pub fn new(channel: &'static str, id: impl Into<String>) -> EventId {
        EventId {
            channel,
            id: id.into(),
        }
    }
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.channel, self.id)
    }
}

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

    /// Whether an event has not been handled yet. For events that change nothing in the database (a query, a notice): they are
    /// recorded by [`Events::record`] once answered, so that a failed answer comes again.
    pub async fn is_new(&self, event: &EventId) -> anyhow::Result<bool> {
        Ok(!self.store.event_seen(&event.to_string()).await?)
    }

    /// Records an event as handled.
    pub async fn record(&self, event: &EventId) -> anyhow::Result<()> {
        let mut tx = self.store.begin().await?;
        tx.record_event(&event.to_string(), self.clock.now())
            .await?;
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
