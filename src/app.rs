//! Start-up wiring: the chat channels a configuration enables, on the application layer, with
//! the console inbox beside them. `serve` and the command line build the same set.

use crate::channels::{discord, slack, telegram};
use crate::clock::Clock;
use crate::config::{Config, MetaSettings, SignupSettings};
use crate::service::Services;
use crate::service::signup::SignupLinks;
use crate::storage::Store;
use crate::tickets::{
    BuiltinDesk, ConsoleNotifier, MetaWork, Notifier, RetryPolicy, StaffBoard, TicketDesk, Worker,
    ZendeskDesk,
};
use std::sync::Arc;

/// The chat channels a configuration enables. `serve` runs them; the command line builds them
/// too, so that the jobs it runs (notifications, staff posts) reach the same places.
#[derive(Clone)]
pub struct Enabled {
    /// The console inbox (always).
    pub console: ConsoleNotifier,
    /// Telegram, when a token is configured.
    pub telegram: Option<telegram::Telegram>,
    /// Discord, when an application is configured.
    pub discord: Option<discord::Discord>,
    /// Slack, when a bot token is configured.
    pub slack: Option<slack::Slack>,
    /// Zendesk, when it is the desk (`desk = "zendesk"`).
    pub zendesk: Option<ZendeskDesk>,
    /// Meta, when an app secret or a system-user token is configured.
    pub meta: Option<MetaSettings>,
    /// Embedded Signup, when a configuration id is configured.
    pub signup: Option<SignupSettings>,
}

impl Enabled {
    /// The channels of a (validated) configuration; must be called inside the runtime.
    pub fn from_config(config: &Config, store: &Store, clock: Arc<dyn Clock>) -> Enabled {
        let services = Services::new(store.clone(), clock)
            .with_signup(config.signup_settings.as_ref().map(SignupLinks::new));
        let zendesk = (config.desk == "zendesk")
            .then(|| config.zendesk.settings(&config.staff_locale))
            .flatten()
            .map(|settings| {
                ZendeskDesk::new(settings, store.clone(), services.staff.lifecycle().clone())
            });
        Enabled {
            zendesk,
            meta: config.meta_settings.clone(),
            signup: config.signup_settings.clone(),
            slack: slack::Settings::from_config(config)
                .map(|settings| slack::Slack::new(settings, services.clone())),
            console: ConsoleNotifier::new(store.clone()),
            telegram: telegram::Settings::from_config(config)
                .map(|settings| telegram::Telegram::new(settings, services.clone())),
            discord: discord::Settings::from_config(config)
                .and_then(|settings| discord::Discord::new(settings, services)),
        }
    }

    /// Where staff work requests: Zendesk when configured, else the builtin desk.
    pub fn desk(&self) -> Arc<dyn TicketDesk> {
        match &self.zendesk {
            Some(zendesk) => Arc::new(zendesk.clone()),
            None => Arc::new(BuiltinDesk),
        }
    }

    /// Where merchants are notified: the console inbox and every enabled channel.
    pub fn notifiers(&self) -> Vec<Arc<dyn Notifier>> {
        let mut notifiers: Vec<Arc<dyn Notifier>> = vec![Arc::new(self.console.clone())];
        notifiers.extend(self.telegram.as_ref().map(|t| t.notifier()));
        notifiers.extend(self.discord.as_ref().map(|d| d.notifier()));
        notifiers.extend(self.slack.as_ref().map(|s| s.notifier()));
        notifiers
    }

    /// Where staff see requests in chat.
    pub fn boards(&self) -> Vec<Arc<dyn StaffBoard>> {
        let telegram = self.telegram.iter().filter_map(|t| t.board());
        telegram
            .chain(self.discord.iter().filter_map(|d| d.board()))
            .chain(self.slack.iter().filter_map(|s| s.board()))
            .collect()
    }

    /// The outbox worker of these channels, desk and Meta settings.
    pub fn worker(&self, store: &Store, clock: Arc<dyn Clock>, policy: RetryPolicy) -> Worker {
        let worker = Worker::new(store.clone(), self.desk(), self.notifiers(), clock, policy)
            .with_boards(self.boards());
        match self.meta.as_ref().map(MetaWork::new) {
            Some(Ok(meta)) => worker.with_meta(meta.with_signup(self.signup.as_ref())),
            Some(Err(error)) => {
                tracing::error!(
                    error = format!("{error:#}"),
                    "cannot build the Graph API client"
                );
                worker
            }
            None => worker,
        }
    }
}
