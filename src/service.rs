//! The application layer: the only code, besides storage and the outbox worker, that opens
//! database transactions, and the one place each workflow is written. Channels parse a
//! platform's payload into one of its inputs and render its outputs; they decide nothing.
//!
//! - [`merchant`]: one inbound message of a merchant, one transaction (the conversation).
//! - [`lifecycle`]: moves of a request, with their history, notifications and timers.
//! - [`staff`]: what staff and managers do and ask ([`staff::StaffAction`],
//!   [`staff::StaffQuery`]), who may, and what they are told.
//! - [`reports`]: requests as staff and managers read them.

pub mod lifecycle;
pub mod merchant;
pub mod reports;
pub mod staff;
