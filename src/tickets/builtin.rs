//! The builtin desk and the console notifier: everything stays in our database. Staff see new
//! tickets with `waba-onboard requests list`; console merchants see their notifications at the
//! start of their next `chat`.

use super::{BoxFuture, Delivery, Notifier, TicketDesk};
use crate::domain::{Message, OnboardingRequest};
use crate::i18n::Locale;
use crate::storage::Store;
use chrono::{DateTime, Utc};

/// The request in our database is the ticket; its reference is the ticket id.
#[derive(Debug, Default, Clone, Copy)]
pub struct BuiltinDesk;

impl TicketDesk for BuiltinDesk {
    fn open_ticket<'a>(
        &'a self,
        request: &'a OnboardingRequest,
    ) -> BoxFuture<'a, anyhow::Result<String>> {
        Box::pin(async move {
            tracing::info!(reference = %request.reference, "ticket opened on the builtin desk");
            Ok(request.reference.clone())
        })
    }
}

/// Leaves notifications in the console inbox, where `chat` shows them at the merchant's next
/// conversation.
#[derive(Clone)]
pub struct ConsoleNotifier {
    store: Store,
}

impl ConsoleNotifier {
    /// The console inbox of a store.
    pub fn new(store: Store) -> ConsoleNotifier {
        ConsoleNotifier { store }
    }
}

impl Notifier for ConsoleNotifier {
    fn channel(&self) -> &'static str {
        "console"
    }

    fn notify<'a>(
        &'a self,
        user_id: &'a str,
        locale: Locale,
        messages: &'a [Message],
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, anyhow::Result<Delivery>> {
        Box::pin(async move {
            let mut tx = self.store.begin().await?;
            for message in messages {
                tx.push_console_inbox(user_id, message, locale, now).await?;
            }
            tx.commit().await?;
            Ok(Delivery::Delivered)
        })
    }
}
