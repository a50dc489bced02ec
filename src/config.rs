//! Configuration: a TOML file (`--config` or `WABA_CONFIG`), every key overridable by an
//! environment variable named `WABA_` and the key's path in capitals (`telegram.token` →
//! `WABA_TELEGRAM_TOKEN`). Secrets are held in [`Secret`], which never prints.

use crate::domain::Message;
use serde::{Deserialize, Serialize, Serializer};
use std::net::SocketAddr;

/// A value that must never appear in output or logs.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"********\"")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("********")
    }
}

/// The effective configuration.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Where `serve` listens.
    pub http_addr: String,
    /// `builtin` or `zendesk`.
    pub desk: String,
    /// `text` or `json`.
    pub log_format: String,
    /// The language of what the bot posts for staff in chat channels (`en` or `pt-BR`).
    pub staff_locale: String,
    /// The address at which people reach `serve` from the internet (`https://bot.example`):
    /// the Embedded Signup page's links start with it.
    pub public_url: Option<String>,
    /// The outbox workers.
    pub outbox: OutboxConfig,
    /// Duties a single instance holds at a time.
    pub leader: LeaderConfig,
    /// Telegram.
    pub telegram: TelegramConfig,
    /// Discord.
    pub discord: DiscordConfig,
    /// Zendesk.
    pub zendesk: ZendeskConfig,
    /// Slack.
    pub slack: SlackConfig,
    /// Meta (webhooks and the Graph API).
    pub meta: MetaConfig,
    /// Embedded Signup (the store's admin creates the account in Meta's window).
    pub signup: SignupConfig,
    /// Telegram's settings, parsed at load; `None` without a token.
    #[serde(skip)]
    pub telegram_settings: Option<TelegramSettings>,
    /// Discord's settings, parsed at load; `None` unless an application is configured.
    #[serde(skip)]
    pub discord_settings: Option<DiscordSettings>,
    /// Slack's settings, parsed at load; `None` unless a bot token is configured.
    #[serde(skip)]
    pub slack_settings: Option<SlackSettings>,
    /// Meta's settings, parsed at load; `None` unless an app secret or a system-user token is
    /// configured.
    #[serde(skip)]
    pub meta_settings: Option<MetaSettings>,
    /// Embedded Signup's settings, parsed at load; `None` unless a configuration id is set.
    #[serde(skip)]
    pub signup_settings: Option<SignupSettings>,
}

/// Embedded Signup's settings (Meta's "Embedded Signup" pages: "Implementation"), parsed once
/// where the configuration is loaded. With them the merchant may choose, after the summary, to
/// create the account themselves from a link the bot gives.
#[derive(Debug, Clone, PartialEq)]
pub struct SignupSettings {
    /// The Facebook Login for Business configuration id (`config_id` of `FB.login`).
    pub config_id: String,
    /// The Meta app's id (`appId` of `FB.init`, `client_id` of the code exchange).
    pub app_id: String,
    /// The app secret (`client_secret` of the code exchange; it also keys the page's CSRF
    /// value). Never sent to a browser.
    pub app_secret: Secret,
    /// The public base URL of `serve`: links are `{public_url}/signup/{token}`.
    pub public_url: url::Url,
    /// Where the page loads Meta's JavaScript SDK from; `None`: Meta's own
    /// (`https://connect.facebook.net/{en_US|pt_BR}/sdk.js`).
    pub sdk_url: Option<url::Url>,
    /// Minutes a link stays valid (default 60, at most a week).
    pub link_minutes: u32,
    /// The Graph API version the SDK is initialised with (`meta.graph_version`).
    pub graph_version: String,
}

/// Meta's settings, parsed once where the configuration is loaded. Without them staff move
/// requests through Meta's steps by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaSettings {
    /// The app secret (App settings > Basic), which keys `X-Hub-Signature-256`; the webhook
    /// refuses every call without it.
    pub app_secret: Option<Secret>,
    /// The token Meta echoes in the subscription handshake (`hub.verify_token`).
    pub verify_token: Option<Secret>,
    /// The Graph API, when a system-user token is configured.
    pub graph: Option<GraphSettings>,
    /// The bot registers approved numbers itself, asking the merchant for the code in the
    /// chat (`meta.registration = "chat"`, the default with a Graph API); otherwise staff do
    /// (`"staff"`).
    pub register_from_chat: bool,
    /// Minutes between two looks at the partner's client accounts while requests await the
    /// admin's acceptance (`0`: never; the webhook alone).
    pub poll_minutes: u32,
}

/// How the bot reaches Meta's Graph API.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphSettings {
    /// Base URL (`https://graph.facebook.com`).
    pub url: url::Url,
    /// API version (`v23.0`).
    pub version: String,
    /// The partner's system-user access token (scopes `whatsapp_business_management`,
    /// `whatsapp_business_messaging`, `business_management`).
    pub token: Secret,
    /// The partner's business portfolio id, whose client accounts are polled.
    pub partner_business_id: Option<String>,
}

/// Slack's settings, parsed once where the configuration is loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct SlackSettings {
    /// The bot token (`xoxb-…`).
    pub bot_token: Secret,
    /// The request signing secret (Basic Information > App Credentials).
    pub signing_secret: Secret,
    /// The app-level token for Socket Mode (`xapp-…`).
    pub app_token: Option<Secret>,
    /// The Web API base URL (`https://slack.com/api`).
    pub api_url: url::Url,
    /// The staff channel's id (`C…`).
    pub staff_channel_id: Option<String>,
    /// Staff members' user ids (`U…`).
    pub staff_user_ids: Vec<String>,
    /// The user group whose members are staff (`S…`).
    pub staff_usergroup_id: Option<String>,
    /// Managers' user ids.
    pub manager_user_ids: Vec<String>,
}

/// Telegram's settings, parsed once where the configuration is loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct TelegramSettings {
    /// The bot token (`123456:ABC…`).
    pub token: Secret,
    /// The Bot API base URL (Telegram's own when unset).
    pub api_url: Option<url::Url>,
    /// The staff group's chat id (a negative number for groups).
    pub staff_chat_id: Option<i64>,
    /// Managers' user ids.
    pub manager_ids: Vec<u64>,
    /// The webhook URL and its secret token (Bot API `setWebhook`); long polling when unset.
    pub webhook: Option<(url::Url, Secret)>,
}

/// Discord's settings, parsed once where the configuration is loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscordSettings {
    /// The application id (a snowflake).
    pub application_id: u64,
    /// The interactions signing key: 64 hex digits of a valid Ed25519 public key.
    pub public_key: String,
    /// The bot token.
    pub token: Secret,
    /// Where REST calls go instead of `https://discord.com`.
    pub api_url: Option<url::Url>,
    /// The staff channel's id.
    pub staff_channel_id: Option<u64>,
    /// Roles that make a member staff.
    pub staff_role_ids: Vec<u64>,
    /// Roles that make a member a manager.
    pub manager_role_ids: Vec<u64>,
    /// Commands registered in this guild only.
    pub guild_id: Option<u64>,
}

/// Outbox workers.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OutboxConfig {
    /// Workers in this process.
    pub workers: u32,
    /// Tries before a job is marked failed.
    pub max_attempts: u32,
    /// Milliseconds between polls when idle.
    pub poll_interval_ms: u64,
    /// Seconds a stopping process waits for work in flight.
    pub shutdown_grace_secs: u64,
    /// Seconds a claimed job stays its worker's without renewal (renewed while it runs): an
    /// instance that dies hands its jobs over after this long.
    pub job_lease_secs: u64,
}

/// The single-instance lease.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LeaderConfig {
    /// Seconds a lease lasts without renewal (another instance takes over after that).
    pub lease_secs: u64,
}

/// Telegram.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TelegramConfig {
    /// Bot token.
    pub token: Option<Secret>,
    /// Bot API base URL.
    pub api_url: Option<String>,
    /// Staff group chat id.
    pub staff_chat_id: Option<String>,
    /// Manager user ids, comma-separated.
    pub manager_ids: Option<String>,
    /// Webhook mode when set.
    pub webhook_url: Option<String>,
    /// Webhook secret token.
    pub webhook_secret: Option<Secret>,
}

/// Discord.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// Application id.
    pub application_id: Option<String>,
    /// Interactions signing key (hex).
    pub public_key: Option<String>,
    /// Bot token.
    pub token: Option<Secret>,
    /// REST base URL.
    pub api_url: Option<String>,
    /// Where tickets appear.
    pub staff_channel_id: Option<String>,
    /// Staff role ids, comma-separated.
    pub staff_role_ids: Option<String>,
    /// Manager role ids, comma-separated.
    pub manager_role_ids: Option<String>,
    /// Register the commands in this guild only (at once) rather than globally.
    pub guild_id: Option<String>,
}

/// Slack.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SlackConfig {
    /// Bot token (`xoxb-…`); enables Slack.
    pub bot_token: Option<Secret>,
    /// Request signing secret.
    pub signing_secret: Option<Secret>,
    /// App-level token (`xapp-…`) for Socket Mode.
    pub app_token: Option<Secret>,
    /// Web API base URL.
    pub api_url: Option<String>,
    /// Where requests are posted for staff.
    pub staff_channel_id: Option<String>,
    /// Staff user ids, comma-separated.
    pub staff_user_ids: Option<String>,
    /// The user group of staff.
    pub staff_usergroup_id: Option<String>,
    /// Manager user ids, comma-separated.
    pub manager_user_ids: Option<String>,
}

/// Meta.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MetaConfig {
    /// App secret (webhook signatures).
    pub app_secret: Option<Secret>,
    /// Webhook verify token.
    pub verify_token: Option<Secret>,
    /// The partner's system-user token.
    pub system_user_token: Option<Secret>,
    /// The partner's business portfolio id.
    pub partner_business_id: Option<String>,
    /// Graph API base URL.
    pub graph_url: Option<String>,
    /// Graph API version.
    pub graph_version: Option<String>,
    /// Who registers approved numbers: `chat` or `staff`.
    pub registration: Option<String>,
    /// Minutes between polls of the client accounts.
    pub poll_minutes: Option<u32>,
    /// The Meta app's id.
    pub app_id: Option<String>,
}

/// Embedded Signup.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SignupConfig {
    /// The Facebook Login for Business configuration id.
    pub config_id: Option<String>,
    /// Where the page loads Meta's SDK from.
    pub sdk_url: Option<String>,
    /// Minutes a link stays valid.
    pub link_minutes: Option<u32>,
}

/// Zendesk.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ZendeskConfig {
    /// `https://SUBDOMAIN.zendesk.com`.
    pub url: Option<String>,
    /// API user.
    pub email: Option<String>,
    /// API token.
    pub api_token: Option<Secret>,
    /// Webhook signing secret.
    pub webhook_secret: Option<Secret>,
    /// Id of the custom ticket field that holds the request's reference.
    pub reference_field_id: Option<String>,
    /// Id of the custom ticket field that holds the business phone number.
    pub phone_field_id: Option<String>,
    /// Id of the custom ticket field that holds the business portfolio id.
    pub portfolio_field_id: Option<String>,
    /// Id of the custom ticket field that holds the request's status (read back by the
    /// webhook); without it, the `waba_status_<status>` tag carries the status.
    pub status_field_id: Option<String>,
}

impl ZendeskConfig {
    /// The custom field ids, by key.
    fn field_ids(&self) -> [(&'static str, Option<&str>); 4] {
        [
            (
                "zendesk.reference_field_id",
                self.reference_field_id.as_deref(),
            ),
            ("zendesk.phone_field_id", self.phone_field_id.as_deref()),
            (
                "zendesk.portfolio_field_id",
                self.portfolio_field_id.as_deref(),
            ),
            ("zendesk.status_field_id", self.status_field_id.as_deref()),
        ]
    }

    /// The desk's settings, when `desk = "zendesk"` (the configuration validated).
    pub fn settings(&self, staff_locale: &str) -> Option<crate::tickets::zendesk::ZendeskSettings> {
        use crate::tickets::zendesk::{TicketFields, ZendeskSettings};
        let id = |text: &Option<String>| text.as_deref().and_then(|t| t.trim().parse::<u64>().ok());
        Some(ZendeskSettings {
            url: self.url.clone()?,
            email: self.email.clone()?,
            api_token: self.api_token.as_ref()?.expose().to_owned(),
            webhook_secret: self.webhook_secret.as_ref().map(|s| s.expose().to_owned()),
            locale: crate::i18n::Locale::negotiate(staff_locale),
            fields: TicketFields {
                reference: id(&self.reference_field_id),
                phone: id(&self.phone_field_id),
                portfolio: id(&self.portfolio_field_id),
                status: id(&self.status_field_id),
            },
        })
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://waba-onboard.db".to_owned(),
            http_addr: "127.0.0.1:8080".to_owned(),
            desk: "builtin".to_owned(),
            log_format: "text".to_owned(),
            staff_locale: "pt-BR".to_owned(),
            public_url: None,
            outbox: OutboxConfig::default(),
            leader: LeaderConfig::default(),
            telegram: TelegramConfig::default(),
            discord: DiscordConfig::default(),
            zendesk: ZendeskConfig::default(),
            telegram_settings: None,
            discord_settings: None,
            slack: SlackConfig::default(),
            slack_settings: None,
            meta: MetaConfig::default(),
            meta_settings: None,
            signup: SignupConfig::default(),
            signup_settings: None,
        }
    }
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig {
            workers: 2,
            max_attempts: 8,
            poll_interval_ms: 500,
            shutdown_grace_secs: 10,
            job_lease_secs: 30,
        }
    }
}

impl Default for LeaderConfig {
    fn default() -> Self {
        LeaderConfig { lease_secs: 15 }
    }
}

/// Whether a key holds a number (environment values are parsed as such).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
}

/// Every key, as dotted path and kind.
const KEYS: &[(&str, Kind)] = &[
    ("database_url", Kind::Text),
    ("http_addr", Kind::Text),
    ("desk", Kind::Text),
    ("log_format", Kind::Text),
    ("staff_locale", Kind::Text),
    ("public_url", Kind::Text),
    ("outbox.workers", Kind::Number),
    ("outbox.max_attempts", Kind::Number),
    ("outbox.poll_interval_ms", Kind::Number),
    ("outbox.shutdown_grace_secs", Kind::Number),
    ("outbox.job_lease_secs", Kind::Number),
    ("leader.lease_secs", Kind::Number),
    ("telegram.token", Kind::Text),
    ("telegram.api_url", Kind::Text),
    ("telegram.staff_chat_id", Kind::Text),
    ("telegram.manager_ids", Kind::Text),
    ("telegram.webhook_url", Kind::Text),
    ("telegram.webhook_secret", Kind::Text),
    ("discord.application_id", Kind::Text),
    ("discord.public_key", Kind::Text),
    ("discord.token", Kind::Text),
    ("discord.api_url", Kind::Text),
    ("discord.staff_channel_id", Kind::Text),
    ("discord.staff_role_ids", Kind::Text),
    ("discord.manager_role_ids", Kind::Text),
    ("discord.guild_id", Kind::Text),
    ("slack.bot_token", Kind::Text),
    ("slack.signing_secret", Kind::Text),
    ("slack.app_token", Kind::Text),
    ("slack.api_url", Kind::Text),
    ("slack.staff_channel_id", Kind::Text),
    ("slack.staff_user_ids", Kind::Text),
    ("slack.staff_usergroup_id", Kind::Text),
    ("slack.manager_user_ids", Kind::Text),
    ("zendesk.url", Kind::Text),
    ("zendesk.email", Kind::Text),
    ("zendesk.api_token", Kind::Text),
    ("zendesk.webhook_secret", Kind::Text),
    ("zendesk.reference_field_id", Kind::Text),
    ("zendesk.phone_field_id", Kind::Text),
    ("zendesk.portfolio_field_id", Kind::Text),
    ("zendesk.status_field_id", Kind::Text),
    ("meta.app_secret", Kind::Text),
    ("meta.verify_token", Kind::Text),
    ("meta.system_user_token", Kind::Text),
    ("meta.partner_business_id", Kind::Text),
    ("meta.graph_url", Kind::Text),
    ("meta.graph_version", Kind::Text),
    ("meta.registration", Kind::Text),
    ("meta.poll_minutes", Kind::Number),
    ("meta.app_id", Kind::Text),
    ("signup.config_id", Kind::Text),
    ("signup.sdk_url", Kind::Text),
    ("signup.link_minutes", Kind::Number),
];

/// Why the configuration cannot be used: the key and the problem.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {}", .problem.id)]
pub struct ConfigError {
    /// The key (or the file).
    pub key: String,
    /// What is wrong, to be rendered in the reader's language.
    pub problem: Message,
}

fn error(key: &str, problem: Message) -> ConfigError {
    ConfigError {
        key: key.to_owned(),
        problem,
    }
}

/// Comma-separated ids (blanks between commas ignored); a value that is not a non-zero number
/// is refused, naming the key.
fn ids_of(key: &str, text: Option<&str>) -> Result<Vec<u64>, ConfigError> {
    let mut ids = Vec::new();
    for id in text.unwrap_or_default().split(',').map(str::trim) {
        if id.is_empty() {
            continue;
        }
        match id.parse::<u64>() {
            Ok(n) if n != 0 => ids.push(n),
            _ => {
                return Err(error(
                    key,
                    Message::new("config-not-a-number").text("value", id),
                ));
            }
        }
    }
    Ok(ids)
}

/// The environment variable of a key.
pub fn env_name(key: &str) -> String {
    format!("WABA_{}", key.replace('.', "_").to_uppercase())
}

impl Config {
    /// Loads the file (if any), then the environment (`env` gives a variable's value).
    pub fn load(
        file_text: Option<(&str, &str)>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let syntax = |key: &str, detail: String| {
            error(key, Message::new("config-syntax").text("detail", detail))
        };
        let mut table: toml::Table = match file_text {
            Some((path, text)) => toml::from_str(text).map_err(|e| syntax(path, e.to_string()))?,
            None => toml::Table::new(),
        };
        for (key, kind) in KEYS {
            let Some(value) = env(&env_name(key)) else {
                continue;
            };
            let value = match kind {
                Kind::Text => toml::Value::String(value),
                Kind::Number => toml::Value::Integer(value.trim().parse().map_err(|_| {
                    error(
                        &env_name(key),
                        Message::new("config-not-a-number").text("value", value.clone()),
                    )
                })?),
            };
            let (section, name) = match key.split_once('.') {
                Some((section, name)) => (Some(section), name),
                None => (None, *key),
            };
            let target = match section {
                None => &mut table,
                Some(section) => table
                    .entry(section)
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                    .as_table_mut()
                    .ok_or_else(|| error(section, Message::new("config-not-a-table")))?,
            };
            target.insert(name.to_owned(), value);
        }
        let mut config: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| syntax("configuration", e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&mut self) -> Result<(), ConfigError> {
        let value = |id: &str, v: &str| Message::new(id).text("value", v);
        if !(self.database_url.starts_with("sqlite:") || self.database_url.starts_with("postgres"))
        {
            return Err(error(
                "database_url",
                Message::new("config-bad-database-url"),
            ));
        }
        if self.http_addr.parse::<SocketAddr>().is_err() {
            return Err(error(
                "http_addr",
                value("config-bad-address", &self.http_addr),
            ));
        }
        match self.desk.as_str() {
            "builtin" => {}
            "zendesk" => {
                for (key, set) in [
                    ("zendesk.url", self.zendesk.url.is_some()),
                    ("zendesk.email", self.zendesk.email.is_some()),
                    ("zendesk.api_token", self.zendesk.api_token.is_some()),
                ] {
                    if !set {
                        return Err(error(key, Message::new("config-required-for-zendesk")));
                    }
                }
                for (key, id) in self.zendesk.field_ids() {
                    if ids_of(key, id)?.len() > 1 {
                        return Err(error(
                            key,
                            value("config-not-a-number", id.unwrap_or_default()),
                        ));
                    }
                }
            }
            other => return Err(error("desk", value("config-unknown-desk", other))),
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(error(
                "log_format",
                value("config-unknown-log-format", &self.log_format),
            ));
        }
        if !matches!(
            self.staff_locale.to_lowercase().replace('_', "-").as_str(),
            "en" | "pt-br"
        ) {
            return Err(error(
                "staff_locale",
                value("config-unknown-locale", &self.staff_locale),
            ));
        }
        self.telegram_settings = self.parse_telegram()?;
        self.discord_settings = self.parse_discord()?;
        self.slack_settings = self.parse_slack()?;
        self.meta_settings = self.parse_meta()?;
        self.signup_settings = self.parse_signup()?;
        if self.outbox.workers == 0 || self.outbox.max_attempts == 0 {
            return Err(error("outbox", Message::new("config-outbox-minimum")));
        }
        if !(2..=3600).contains(&self.leader.lease_secs) {
            return Err(error(
                "leader.lease_secs",
                Message::new("config-lease-range"),
            ));
        }
        if !(2..=3600).contains(&self.outbox.job_lease_secs) {
            return Err(error(
                "outbox.job_lease_secs",
                Message::new("config-lease-range"),
            ));
        }
        if self.outbox.poll_interval_ms > 3_600_000 || self.outbox.shutdown_grace_secs > 3600 {
            return Err(error("outbox", Message::new("config-at-most-an-hour")));
        }
        Ok(())
    }

    fn parse_telegram(&self) -> Result<Option<TelegramSettings>, ConfigError> {
        let telegram = &self.telegram;
        let value = |id: &str, v: &str| Message::new(id).text("value", v);
        let url = |key: &str, url: &Option<String>| match url {
            None => Ok(None),
            Some(text) => url::Url::parse(text)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .map(Some)
                .ok_or_else(|| error(key, value("config-bad-url", text))),
        };
        let api_url = url("telegram.api_url", &telegram.api_url)?;
        let webhook_url = url("telegram.webhook_url", &telegram.webhook_url)?;
        let staff_chat_id =
            match &telegram.staff_chat_id {
                None => None,
                Some(id) => Some(id.trim().parse::<i64>().map_err(|_| {
                    error("telegram.staff_chat_id", value("config-not-a-number", id))
                })?),
            };
        let manager_ids = ids_of("telegram.manager_ids", telegram.manager_ids.as_deref())?;
        let webhook = match (webhook_url, &telegram.webhook_secret) {
            (None, _) => None,
            (Some(_), None) => {
                return Err(error(
                    "telegram.webhook_secret",
                    Message::new("config-required-for-webhook"),
                ));
            }
            (Some(_), Some(secret)) if !valid_telegram_secret(secret.expose()) => {
                return Err(error(
                    "telegram.webhook_secret",
                    Message::new("config-bad-webhook-secret"),
                ));
            }
            (Some(url), Some(secret)) => Some((url, secret.clone())),
        };
        let Some(token) = &telegram.token else {
            return Ok(None);
        };
        // `123456:ABC-…`: the bot id, a colon, the secret part.
        let valid = token.expose().split_once(':').is_some_and(|(id, rest)| {
            !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty()
        });
        if !valid {
            return Err(error(
                "telegram.token",
                Message::new("config-bad-telegram-token"),
            ));
        }
        Ok(Some(TelegramSettings {
            token: token.clone(),
            api_url,
            staff_chat_id,
            manager_ids,
            webhook,
        }))
    }

    fn parse_discord(&self) -> Result<Option<DiscordSettings>, ConfigError> {
        let discord = &self.discord;
        let value = |id: &str, v: &str| Message::new(id).text("value", v);
        let enabled = discord.public_key.is_some()
            || discord.token.is_some()
            || discord.application_id.is_some();
        if !enabled {
            return Ok(None);
        }
        let (Some(application_id), Some(public_key), Some(token)) =
            (&discord.application_id, &discord.public_key, &discord.token)
        else {
            let key = match (&discord.application_id, &discord.public_key) {
                (None, _) => "discord.application_id",
                (_, None) => "discord.public_key",
                _ => "discord.token",
            };
            return Err(error(key, Message::new("config-required-for-discord")));
        };
        if ed25519_public_key(public_key)
            .is_none_or(|k| serenity::interactions_endpoint::Verifier::try_new(k).is_err())
        {
            return Err(error(
                "discord.public_key",
                Message::new("config-bad-public-key"),
            ));
        }
        let api_url = match &discord.api_url {
            None => None,
            Some(text) => Some(
                url::Url::parse(text)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .ok_or_else(|| error("discord.api_url", value("config-bad-url", text)))?,
            ),
        };
        // One id where one is expected.
        let one_id = |key: &str, id: &Option<String>| match id {
            None => Ok(None),
            Some(text) => match text.trim().parse::<u64>() {
                Ok(n) if n != 0 => Ok(Some(n)),
                _ => Err(error(key, value("config-not-a-number", text))),
            },
        };
        let application_id = one_id("discord.application_id", &Some(application_id.clone()))?
            .expect("an id was given");
        Ok(Some(DiscordSettings {
            application_id,
            public_key: public_key.trim().to_owned(),
            token: token.clone(),
            api_url,
            staff_channel_id: one_id("discord.staff_channel_id", &discord.staff_channel_id)?,
            staff_role_ids: ids_of("discord.staff_role_ids", discord.staff_role_ids.as_deref())?,
            manager_role_ids: ids_of(
                "discord.manager_role_ids",
                discord.manager_role_ids.as_deref(),
            )?,
            guild_id: one_id("discord.guild_id", &discord.guild_id)?,
        }))
    }

    fn parse_meta(&self) -> Result<Option<MetaSettings>, ConfigError> {
        let meta = &self.meta;
        let value = |id: &str, v: &str| Message::new(id).text("value", v);
        if meta.app_secret.is_none() && meta.system_user_token.is_none() {
            return Ok(None);
        }
        let digits = |key: &str, text: &str| -> Result<String, ConfigError> {
            let text = text.trim();
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(error(key, value("config-not-a-number", text)));
            }
            Ok(text.to_owned())
        };
        let graph = match &meta.system_user_token {
            None => None,
            Some(token) => {
                let text = meta
                    .graph_url
                    .as_deref()
                    .unwrap_or("https://graph.facebook.com");
                let url = url::Url::parse(text)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .ok_or_else(|| error("meta.graph_url", value("config-bad-url", text)))?;
                let version = meta.graph_version.as_deref().unwrap_or("v23.0").trim();
                // `v` and a major.minor version, as Meta numbers them.
                let well_formed = version.strip_prefix('v').is_some_and(|v| {
                    v.split_once('.').is_some_and(|(major, minor)| {
                        [major, minor]
                            .iter()
                            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    })
                });
                if !well_formed {
                    return Err(error(
                        "meta.graph_version",
                        value("config-bad-graph-version", version),
                    ));
                }
                let partner_business_id = meta
                    .partner_business_id
                    .as_deref()
                    .map(|id| digits("meta.partner_business_id", id))
                    .transpose()?;
                Some(GraphSettings {
                    url,
                    version: version.to_owned(),
                    token: token.clone(),
                    partner_business_id,
                })
            }
        };
        let register_from_chat = match meta.registration.as_deref().map(str::trim) {
            None | Some("chat") => graph.is_some(),
            Some("staff") => false,
            Some(other) => {
                return Err(error(
                    "meta.registration",
                    value("config-unknown-registration", other),
                ));
            }
        };
        Ok(Some(MetaSettings {
            app_secret: meta.app_secret.clone(),
            verify_token: meta.verify_token.clone(),
            graph,
            register_from_chat,
            poll_minutes: meta.poll_minutes.unwrap_or(10),
        }))
    }

    fn parse_signup(&self) -> Result<Option<SignupSettings>, ConfigError> {
        let signup = &self.signup;
        let value = |id: &str, v: &str| Message::new(id).text("value", v);
        let Some(config_id) = signup.config_id.as_deref().map(str::trim) else {
            return Ok(None);
        };
        let digits = |key: &str, text: &str| -> Result<String, ConfigError> {
            let text = text.trim();
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(error(key, value("config-not-a-number", text)));
            }
            Ok(text.to_owned())
        };
        let url = |key: &str, text: &str| -> Result<url::Url, ConfigError> {
            url::Url::parse(text.trim())
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                .ok_or_else(|| error(key, value("config-bad-url", text)))
        };
        let required = |key: &str| error(key, Message::new("config-required-for-signup"));
        let config_id = digits("signup.config_id", config_id)?;
        let app_id = digits(
            "meta.app_id",
            self.meta
                .app_id
                .as_deref()
                .ok_or_else(|| required("meta.app_id"))?,
        )?;
        let public_url = url(
            "public_url",
            self.public_url
                .as_deref()
                .ok_or_else(|| required("public_url"))?,
        )?;
        let meta = self
            .meta_settings
            .as_ref()
            .ok_or_else(|| required("meta.app_secret"))?;
        let app_secret = meta
            .app_secret
            .clone()
            .ok_or_else(|| required("meta.app_secret"))?;
        let graph = meta
            .graph
            .as_ref()
            .ok_or_else(|| required("meta.system_user_token"))?;
        let sdk_url = signup
            .sdk_url
            .as_deref()
            .map(|text| url("signup.sdk_url", text))
            .transpose()?;
        let link_minutes = signup.link_minutes.unwrap_or(60);
        if !(1..=7 * 24 * 60).contains(&link_minutes) {
            return Err(error(
                "signup.link_minutes",
                Message::new("config-link-minutes-range"),
            ));
        }
        Ok(Some(SignupSettings {
            config_id,
            app_id,
            app_secret,
            public_url,
            sdk_url,
            link_minutes,
            graph_version: graph.version.clone(),
        }))
    }

    fn parse_slack(&self) -> Result<Option<SlackSettings>, ConfigError> {
        let slack = &self.slack;
        let value = |id: &str, v: &str| Message::new(id).text("value", v);
        let Some(bot_token) = &slack.bot_token else {
            if slack.signing_secret.is_some() || slack.app_token.is_some() {
                return Err(error(
                    "slack.bot_token",
                    Message::new("config-required-for-slack"),
                ));
            }
            return Ok(None);
        };
        let Some(signing_secret) = &slack.signing_secret else {
            return Err(error(
                "slack.signing_secret",
                Message::new("config-required-for-slack"),
            ));
        };
        if !bot_token.expose().starts_with("xoxb-") {
            return Err(error(
                "slack.bot_token",
                Message::new("config-bad-slack-token"),
            ));
        }
        if slack
            .app_token
            .as_ref()
            .is_some_and(|t| !t.expose().starts_with("xapp-"))
        {
            return Err(error(
                "slack.app_token",
                Message::new("config-bad-slack-token"),
            ));
        }
        let text = slack.api_url.as_deref().unwrap_or("https://slack.com/api");
        let api_url = url::Url::parse(text)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| error("slack.api_url", value("config-bad-url", text)))?;
        // Slack ids: a capital letter, then capitals and digits.
        let slack_ids = |key: &str, text: Option<&str>| -> Result<Vec<String>, ConfigError> {
            let mut ids = Vec::new();
            for id in text.unwrap_or_default().split(',').map(str::trim) {
                if id.is_empty() {
                    continue;
                }
                let valid = id.len() >= 2
                    && id.starts_with(|c: char| c.is_ascii_uppercase())
                    && id
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
                if !valid {
                    return Err(error(key, value("config-bad-slack-id", id)));
                }
                ids.push(id.to_owned());
            }
            Ok(ids)
        };
        let one = |key: &str, text: Option<&str>| -> Result<Option<String>, ConfigError> {
            let mut ids = slack_ids(key, text)?;
            if ids.len() > 1 {
                return Err(error(
                    key,
                    value("config-bad-slack-id", text.unwrap_or_default()),
                ));
            }
            Ok(ids.pop())
        };
        Ok(Some(SlackSettings {
            bot_token: bot_token.clone(),
            signing_secret: signing_secret.clone(),
            app_token: slack.app_token.clone(),
            api_url,
            staff_channel_id: one("slack.staff_channel_id", slack.staff_channel_id.as_deref())?,
            staff_user_ids: slack_ids("slack.staff_user_ids", slack.staff_user_ids.as_deref())?,
            staff_usergroup_id: one(
                "slack.staff_usergroup_id",
                slack.staff_usergroup_id.as_deref(),
            )?,
            manager_user_ids: slack_ids(
                "slack.manager_user_ids",
                slack.manager_user_ids.as_deref(),
            )?,
        }))
    }

    /// The effective configuration as TOML, secrets redacted: [`Secret`]s print as asterisks,
    /// and every URL-valued setting, whatever its key (those added later too), loses the
    /// credentials it carries ([`redact_url`]).
    pub fn redacted_toml(&self) -> String {
        static URL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r#""([A-Za-z][A-Za-z0-9+.\-]*://[^"]*)""#).expect("valid pattern")
        });
        let shown = toml::to_string(self).unwrap_or_default();
        URL.replace_all(&shown, |caps: &regex::Captures| {
            format!("\"{}\"", redact_url(&caps[1]))
        })
        .into_owned()
    }
}

/// Query parameters whose values are credentials (compared without case).
const SECRET_PARAMETERS: &[&str] = &[
    "password",
    "pass",
    "token",
    "access_token",
    "secret",
    "key",
    "api_key",
    "apikey",
    "sig",
    "signature",
];

/// A URL without its credentials: the password of its authority (`user:***@`; a user alone,
/// which may be a token, becomes `***@`) and the values of credential parameters
/// (`password=***`, `token=***`, …).
pub fn redact_url(url: &str) -> String {
    match url.split_once('?') {
        Some((base, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _))
                        if SECRET_PARAMETERS
                            .iter()
                            .any(|secret| key.eq_ignore_ascii_case(secret)) =>
                    {
                        format!("{key}=***")
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{}?{}", redact_authority(base), query.join("&"))
        }
        None => redact_authority(url),
    }
}

fn redact_authority(url: &str) -> String {
    let Some(scheme) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    let credentials = &rest[..at];
    let shown = match credentials.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None => "***".to_owned(),
    };
    format!("{}{shown}{}", &url[..scheme + 3], &rest[at..])
}

/// Whether a webhook secret is one Telegram accepts (Bot API `setWebhook`, `secret_token`): 1–256 of `A-Z a-z 0-9 _ -`.
pub fn valid_telegram_secret(secret: &str) -> bool {
    (1..=256).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The 32 bytes of an Ed25519 public key written as 64 hex digits (Discord's application
/// "Public Key"); `None` when it is not one.
pub fn ed25519_public_key(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn the_environment_overrides_the_file_which_overrides_the_defaults() {
        let file = "http_addr = \"0.0.0.0:9000\"\n[outbox]\nworkers = 4\n[telegram]\ntoken = \"file-token\"\n";
        let config = Config::load(
            Some(("waba.toml", file)),
            env(&[
                ("WABA_TELEGRAM_TOKEN", "123:ABCsecret"),
                ("WABA_OUTBOX_MAX_ATTEMPTS", "3"),
            ]),
        )
        .unwrap();
        assert_eq!(config.http_addr, "0.0.0.0:9000");
        assert_eq!(config.outbox.workers, 4);
        assert_eq!(config.outbox.max_attempts, 3);
        assert_eq!(
            config.telegram.token.as_ref().unwrap().expose(),
            "123:ABCsecret"
        );
        assert_eq!(config.database_url, "sqlite://waba-onboard.db");
        let shown = config.redacted_toml();
        assert!(
            !shown.contains("ABCsecret") && shown.contains("********"),
            "{shown}"
        );
        assert!(!format!("{config:?}").contains("ABCsecret"));
    }

    #[test]
    fn the_example_file_is_valid() {
        let text = include_str!("../waba-onboard.example.toml");
        let config = Config::load(Some(("waba-onboard.example.toml", text)), |_| None).unwrap();
        assert_eq!(config, Config::default());
    }

    #[test]
    fn a_bad_value_names_its_key() {
        /// (file, environment, the key the error must name)
        type Case<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)], &'a str);
        let cases: &[Case] = &[
            (Some("colour = \"blue\"\n"), &[], "colour"),
            (Some("[outbox]\nworkers = \"many\"\n"), &[], "workers"),
            (None, &[("WABA_HTTP_ADDR", "localhost")], "http_addr"),
            (
                None,
                &[("WABA_OUTBOX_WORKERS", "two")],
                "WABA_OUTBOX_WORKERS",
            ),
            (None, &[("WABA_DESK", "zendesk")], "zendesk.url"),
            (None, &[("WABA_LOG_FORMAT", "xml")], "log_format"),
            (None, &[("WABA_DATABASE_URL", "mysql://x")], "database_url"),
            (Some("http_addr = \n"), &[], "waba.toml"),
            (None, &[("WABA_STAFF_LOCALE", "fr")], "staff_locale"),
            (
                None,
                &[("WABA_TELEGRAM_TOKEN", "nocolon")],
                "telegram.token",
            ),
            (
                None,
                &[("WABA_TELEGRAM_API_URL", "api.telegram.org")],
                "telegram.api_url",
            ),
            (
                None,
                &[("WABA_TELEGRAM_STAFF_CHAT_ID", "support")],
                "telegram.staff_chat_id",
            ),
            (
                None,
                &[("WABA_TELEGRAM_MANAGER_IDS", "1, two")],
                "telegram.manager_ids",
            ),
            (
                None,
                &[("WABA_TELEGRAM_WEBHOOK_URL", "https://bot.example/hook")],
                "telegram.webhook_secret",
            ),
            (
                None,
                &[
                    ("WABA_TELEGRAM_WEBHOOK_URL", "https://bot.example/hook"),
                    ("WABA_TELEGRAM_WEBHOOK_SECRET", "has spaces"),
                ],
                "telegram.webhook_secret",
            ),
            (
                None,
                &[("WABA_DISCORD_TOKEN", "x")],
                "discord.application_id",
            ),
            (
                None,
                &[
                    ("WABA_DISCORD_APPLICATION_ID", "1"),
                    ("WABA_DISCORD_TOKEN", "x"),
                    ("WABA_DISCORD_PUBLIC_KEY", "0xabc"),
                ],
                "discord.public_key",
            ),
            (
                None,
                &[
                    ("WABA_DISCORD_APPLICATION_ID", ","),
                    ("WABA_DISCORD_TOKEN", "x"),
                    (
                        "WABA_DISCORD_PUBLIC_KEY",
                        "67c6bd767ca099e79efac9fcce4d2022a63bf7dea780e7f3d813f694c1597089",
                    ),
                ],
                "discord.application_id",
            ),
        ];
        for (file, vars, key) in cases {
            let result = Config::load(file.map(|f| ("waba.toml", f)), env(vars));
            let err = result.expect_err(key);
            let shown = format!(
                "{}: {}",
                err.key,
                crate::i18n::render(crate::i18n::Locale::En, &err.problem)
            );
            assert!(shown.contains(key), "{key}: {shown}");
        }
        let pg = Config::load(
            None,
            env(&[("WABA_DATABASE_URL", "postgres://u:hunter2@db/waba")]),
        )
        .unwrap();
        assert!(!pg.redacted_toml().contains("hunter2"));
        // Every URL-valued setting, by what it is, not by its key.
        let urls = Config::load(
            None,
            env(&[
                ("WABA_TELEGRAM_TOKEN", "123:ABCsecret"),
                (
                    "WABA_TELEGRAM_API_URL",
                    "https://bot:tg-pass@proxy.example/tg",
                ),
                (
                    "WABA_TELEGRAM_WEBHOOK_URL",
                    "https://hook:wh-pass@bot.example/hook",
                ),
                ("WABA_TELEGRAM_WEBHOOK_SECRET", "s3cret"),
                (
                    "WABA_DISCORD_API_URL",
                    "https://tokenonly@discord-proxy.example",
                ),
                (
                    "WABA_META_GRAPH_URL",
                    "https://graph.example/?access_token=graph-pass",
                ),
            ]),
        )
        .unwrap();
        let shown = urls.redacted_toml();
        for secret in ["tg-pass", "wh-pass", "tokenonly", "graph-pass", "s3cret"] {
            assert!(!shown.contains(secret), "{secret} shown: {shown}");
        }
        assert!(
            shown.contains("https://bot:***@proxy.example/tg"),
            "{shown}"
        );
        assert!(
            shown.contains("https://***@discord-proxy.example"),
            "{shown}"
        );
        let query = redact_url("postgres://db/waba?user=u&password=hunter2&sslmode=require");
        assert_eq!(
            query,
            "postgres://db/waba?user=u&password=***&sslmode=require"
        );
    }
    #[test]
    fn webhook_secrets_follow_telegrams_alphabet() {
        assert!(valid_telegram_secret("abc_DEF-123"));
        assert!(!valid_telegram_secret(""));
        assert!(!valid_telegram_secret("with space"));
        assert!(!valid_telegram_secret(&"a".repeat(257)));
    }

    #[test]
    fn ids_are_read_from_a_comma_separated_list_and_a_bad_one_is_named() {
        assert_eq!(ids_of("k", Some(" 1, 22 ,333,")).unwrap(), vec![1, 22, 333]);
        assert!(ids_of("k", None).unwrap().is_empty());
        let refused = ids_of("discord.staff_role_ids", Some("1, x2")).unwrap_err();
        assert_eq!(refused.key, "discord.staff_role_ids");
        assert!(ids_of("k", Some("0")).is_err());
    }
}
