//! Channel adapters: each turns a platform's input into [`crate::conversation::Inbound`] and
//! renders [`crate::conversation::Reply`] for it, and nothing more.

pub mod console;
pub mod discord;
pub mod files;
pub mod telegram;

use crate::clock::Clock;
use crate::config::Config;
use crate::storage::Store;
use crate::tickets::{ConsoleNotifier, Notifier, StaffBoard};
use std::sync::Arc;

/// Comma-separated platform ids (what is not a non-zero number is left out; the configuration
/// check refuses it first).
pub fn id_list(text: &str) -> Vec<u64> {
    text.split(',')
        .filter_map(|id| id.trim().parse().ok())
        .filter(|id| *id != 0)
        .collect()
}

/// The chat channels a configuration enables. `serve` runs them; the command line builds them
/// too, so that the jobs it runs (notifications, staff posts) reach the same places.
#[derive(Clone, Default)]
pub struct Enabled {
    /// Telegram, when a token is configured.
    pub telegram: Option<telegram::Telegram>,
    /// Discord, when an application is configured.
    pub discord: Option<discord::Discord>,
}

impl Enabled {
    /// The channels of a (validated) configuration; must be called inside the runtime.
    pub fn from_config(config: &Config, store: &Store, clock: Arc<dyn Clock>) -> Enabled {
        Enabled {
            telegram: telegram::Settings::from_config(config)
                .map(|settings| telegram::Telegram::new(settings, store.clone(), clock.clone())),
            discord: discord::Settings::from_config(config)
                .and_then(|settings| discord::Discord::new(settings, store.clone(), clock)),
        }
    }

    /// Where merchants are notified: the console inbox and every enabled channel.
    pub fn notifiers(&self) -> Vec<Arc<dyn Notifier>> {
        let mut notifiers: Vec<Arc<dyn Notifier>> = vec![Arc::new(ConsoleNotifier)];
        notifiers.extend(self.telegram.as_ref().map(|t| t.notifier()));
        notifiers.extend(self.discord.as_ref().map(|d| d.notifier()));
        notifiers
    }

    /// Where staff see requests in chat.
    pub fn boards(&self) -> Vec<Arc<dyn StaffBoard>> {
        let telegram = self.telegram.iter().filter_map(|t| t.board());
        telegram
            .chain(self.discord.iter().filter_map(|d| d.board()))
            .collect()
    }
}
