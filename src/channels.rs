//! Channel adapters: each turns a platform's payload into the application layer's inputs (a
//! merchant's [`crate::conversation::Inbound`], staff's
//! [`crate::service::staff::StaffAction`] and [`crate::service::staff::StaffQuery`]) and
//! renders its outputs ([`crate::conversation::Reply`], the staff post and its
//! [`crate::service::staff::StaffButton`]s) as that platform's calls, and nothing more.

pub mod console;
pub mod discord;
pub mod files;
pub mod slack;
pub mod telegram;
