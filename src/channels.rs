//! Channel adapters: each turns a platform's input into [`crate::conversation::Inbound`] and
//! renders [`crate::conversation::Reply`] for it, and nothing more.

pub mod console;
pub mod discord;
pub mod files;
pub mod telegram;

/// Comma-separated platform ids (what is not a non-zero number is left out; the configuration
/// check refuses it first).
pub fn id_list(text: &str) -> Vec<u64> {
    text.split(',')
        .filter_map(|id| id.trim().parse().ok())
        .filter(|id| *id != 0)
        .collect()
}
