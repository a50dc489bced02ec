//! Channel adapters: each turns a platform's input into [`crate::conversation::Inbound`] and
//! renders [`crate::conversation::Reply`] for it, and nothing more.

pub mod console;
pub mod files;
pub mod telegram;
