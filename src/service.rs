//! The application layer: the only code, besides storage and the outbox worker, that opens
//! database transactions, and the one place each workflow is written. Channels parse a
//! platform's payload into one of its inputs and render its outputs; they decide nothing.
//!
//! - [`merchant`]: one inbound message of a merchant, one transaction (the conversation).
//! - [`lifecycle`]: moves of a request, with their history, notifications and timers.
//! - [`staff`]: what staff and managers do and ask ([`staff::StaffAction`],
//!   [`staff::StaffQuery`]), who may, and what they are told.
//! - [`reports`]: requests as staff and managers read them.
//! - [`events`]: handled platform events, and leases for one-instance duties.
//! - [`meta`]: Meta's webhook changes and the number's registration from the chat.
//! - [`signup`]: Embedded Signup, where the store creates its account in Meta's window.
//! - [`outbound`]: the fleet's one budget of platform calls, replies ahead of queued work.

pub mod chart;
pub mod events;
pub mod export;
pub mod lifecycle;
pub mod listing;
pub mod merchant;
pub mod meta;
pub mod outbound;
pub mod pipeline;
pub mod reports;
pub mod signup;
pub mod staff;

use crate::clock::Clock;
use crate::storage::Store;
use std::sync::Arc;

/// The types channels exchange with the service: a merchant's identity (channel and user id),
/// a request as staff boards show it, and a question put to a staff member. They are the
/// storage's rows today; channels name them through here.
pub use crate::storage::{RequestRow, StaffPrompt, UserKey};

/// Everything a channel needs from the application layer, on one store and clock.
#[derive(Clone)]
pub struct Services {
    /// Merchants' conversations.
    pub merchant: merchant::Bot,
    /// Staff actions and queries.
    pub staff: staff::Staff,
    /// Handled events and leases.
    pub events: events::Events,
    /// The fleet's budget of platform calls.
    pub outbound: outbound::Outbound,
    /// The time.
    pub clock: Arc<dyn Clock>,
}

impl Services {
    /// The services on a store, with a clock.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Services {
        Services {
            merchant: merchant::Bot::new(store.clone(), clock.clone()),
            staff: staff::Staff::new(store.clone(), clock.clone()),
            events: events::Events::new(store.clone(), clock.clone()),
            outbound: outbound::Outbound::new(store),
            clock,
        }
    }

    /// The services of the instance `instance` (its name in the budget's metrics).
    pub fn for_instance(mut self, instance: &str) -> Services {
        self.outbound = self.outbound.for_instance(instance);
        self
    }

    /// Merchants may create their account themselves in Embedded Signup, from these links.
    pub fn with_signup(mut self, links: Option<signup::SignupLinks>) -> Services {
        self.merchant = self.merchant.with_signup(links);
        self
    }
}
