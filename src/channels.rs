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

/// At most `max` characters (Unicode scalar values), with an ellipsis when cut: platforms cap
/// labels, titles and texts by length.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
