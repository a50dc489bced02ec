//! The Telegram channel (Bot API through teloxide): merchants talk to the bot in a private
//! chat, staff work requests in a group, managers ask where requests stand.
//!
//! Updates arrive by long polling (one instance at a time, through a lease in the database) or,
//! when a webhook URL is configured, at `POST /webhooks/telegram`, authenticated by the secret
//! token Telegram sends back. Each update is handled once (its `update_id` is recorded in the
//! transaction of its effect), updates of one chat in order; an update is acknowledged (the
//! polling offset moves past it, or the webhook answers 200) only once it is handled.
//! Every message sent or edited first takes its slot in the fleet's budget
//! ([`crate::service::outbound`]): Telegram's limits (30 messages a second, 1 a second in a chat,
//! 20 a minute in a group) hold for all instances together, replies go ahead of notifications,
//! and a `RetryAfter` holds the whole fleet off for the time Telegram asks.

mod merchant;
mod staff;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::{Message, Role};
use crate::i18n::{self, Locale};
use crate::service::Services;
use crate::service::events::EventId;
use crate::service::events::Events;
use crate::service::lifecycle::Actor;
use crate::service::merchant::Bot;
use crate::service::outbound::{Limit, Outbound, Rate};
use crate::service::staff::Staff;
use crate::tickets::{BoxFuture, Delivery, Notifier, StaffBoard};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use teloxide::payloads::setters::*;
use teloxide::prelude::Requester;
use teloxide::requests::{Output, Request};
use teloxide::types::{
    AllowedUpdate, BotCommand, BotCommandScope, ChatId, InlineKeyboardButton, InlineKeyboardMarkup,
    Recipient, Update, UpdateKind, User, UserId,
};
use teloxide::{ApiError, RequestError};
use tokio::sync::watch;

/// The channel's name, in user keys and event ids.
pub const CHANNEL: &str = "telegram";

/// Telegram's limit on one message's text.
const MAX_TEXT_CHARS: usize = 4096;

/// Telegram's limit on callback data.
const MAX_CALLBACK_BYTES: usize = 64;

/// The lease of the long-polling loop (Telegram serves one `getUpdates` at a time).
const POLLING_LEASE: &str = "telegram-polling";

/// The header Telegram sends with each webhook call.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The settings of the channel, from the configuration.
#[derive(Clone)]
pub struct Settings {
    /// The bot token.
    pub token: String,
    /// The Bot API base URL (Telegram's own when unset).
    pub api_url: Option<url::Url>,
    /// The staff group.
    pub staff_chat: Option<ChatId>,
    /// Managers' user ids.
    pub managers: HashSet<UserId>,
    /// The webhook URL and its secret token; long polling when unset.
    pub webhook: Option<(url::Url, String)>,
    /// The language of posts in the staff group.
    pub staff_locale: Locale,
    /// Seconds a polling lease lasts without renewal.
    pub lease_secs: u64,
    /// Outgoing message limits.
    pub limits: Limits,
}

/// How many messages Telegram takes from a bot (sent or edited), for the whole fleet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// In one private chat, a second.
    pub messages_per_sec_chat: u32,
    /// In one group or supergroup, a minute.
    pub messages_per_min_channel_or_supergroup: u32,
    /// In all chats, a second.
    pub messages_per_sec_overall: u32,
}

/// Telegram's limits ([Bot API FAQ](https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this)):
/// one message a second in a chat, 20 a minute in a group, 30 a second in all.
pub fn telegram_limits() -> Limits {
    Limits {
        messages_per_sec_chat: 1,
        messages_per_min_channel_or_supergroup: 20,
        messages_per_sec_overall: 30,
    }
}

impl Limits {
    /// The limits a message to `chat` keeps: the chat's (a group's when its id is negative),
    /// then the bot's overall.
    pub fn of(&self, chat: ChatId) -> [Limit; 2] {
        let per_chat = if chat.0 < 0 {
            Rate::per_minute(self.messages_per_min_channel_or_supergroup)
        } else {
            Rate::per_second(self.messages_per_sec_chat)
        };
        [
            Limit::chat(CHANNEL, &chat.0.to_string(), per_chat),
            Limit::overall(CHANNEL, Rate::per_second(self.messages_per_sec_overall)),
        ]
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("token", &"(redacted)")
            .field("api_url", &self.api_url)
            .field("staff_chat", &self.staff_chat)
            .field("webhook", &self.webhook.as_ref().map(|(url, _)| url))
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// The Telegram settings of a loaded configuration (parsed there); `None` without a token.
    pub fn from_config(config: &Config) -> Option<Settings> {
        let telegram = config.telegram_settings.as_ref()?;
        Some(Settings {
            token: telegram.token.expose().to_owned(),
            api_url: telegram.api_url.clone(),
            staff_chat: telegram.staff_chat_id.map(ChatId),
            managers: telegram.manager_ids.iter().copied().map(UserId).collect(),
            webhook: telegram
                .webhook
                .as_ref()
                .map(|(url, secret)| (url.clone(), secret.expose().to_owned())),
            staff_locale: Locale::negotiate(&config.staff_locale),
            lease_secs: config.leader.lease_secs,
            limits: telegram_limits(),
        })
    }
}

/// Connections Telegram may open to the webhook at once (`setWebhook`'s `max_connections`,
/// 1–100; Telegram's default). One would make every chat wait for every other chat's reply.
pub const WEBHOOK_CONNECTIONS: u8 = 40;

/// The Telegram channel.
#[derive(Clone)]
pub struct Telegram {
    inner: Arc<Inner>,
}

struct Inner {
    api: teloxide::Bot,
    outbound: Outbound,
    service: Bot,
    staff: Staff,
    events: Events,
    clock: Arc<dyn Clock>,
    settings: Settings,
    chats: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
    /// The bot's username, once known (from `getMe` at setup).
    username: std::sync::OnceLock<String>,
}

impl Telegram {
    /// The channel on the application layer.
    pub fn new(settings: Settings, services: Services) -> Telegram {
        let mut api = teloxide::Bot::new(settings.token.clone());
        if let Some(url) = &settings.api_url {
            api = api.set_api_url(url.clone());
        }
        Telegram {
            inner: Arc::new(Inner {
                api,
                outbound: services.outbound,
                service: services.merchant,
                staff: services.staff,
                events: services.events,
                clock: services.clock,
                settings,
                chats: Mutex::new(HashMap::new()),
                username: std::sync::OnceLock::new(),
            }),
        }
    }

    /// Registers the commands (in English and Portuguese, merchants' in private chats and
    /// managers' in the staff group) and sets or removes the webhook.
    pub async fn setup(&self) -> anyhow::Result<()> {
        let api = &self.inner.api;
        if let Some(username) = api.get_me().await?.user.username.clone() {
            let _ = self.inner.username.set(username);
        }
        for (locale, language) in [(Locale::En, None), (Locale::PtBr, Some("pt"))] {
            let merchant = commands(locale, MERCHANT_COMMANDS);
            let mut request = api
                .set_my_commands(merchant)
                .scope(BotCommandScope::AllPrivateChats);
            if let Some(language) = language {
                request = request.language_code(language);
            }
            request.await?;
            if let Some(chat) = self.inner.settings.staff_chat {
                let mut request = api.set_my_commands(commands(locale, STAFF_COMMANDS)).scope(
                    BotCommandScope::Chat {
                        chat_id: Recipient::Id(chat),
                    },
                );
                if let Some(language) = language {
                    request = request.language_code(language);
                }
                request.await?;
            }
        }
        match &self.inner.settings.webhook {
            Some((url, secret)) => {
                // Telegram's Bot API server sends a chat's next update only once its previous
                // one is answered (it keeps a queue per chat and sends the first unconfirmed
                // update of each, up to `max_connections` at a time), so each chat's updates
                // stay in order while different chats are handled at once.
                api.set_webhook(url.clone())
                    .secret_token(secret.clone())
                    .allowed_updates(allowed_updates())
                    .max_connections(WEBHOOK_CONNECTIONS)
                    .await?;
                tracing::info!("Telegram webhook set");
            }
            None => {
                api.delete_webhook().await?;
            }
        }
        Ok(())
    }

    /// Whether updates come by webhook (otherwise by long polling).
    pub fn uses_webhook(&self) -> bool {
        self.inner.settings.webhook.is_some()
    }

    /// Handles one update: once per update id, after the earlier updates of its chat.
    pub async fn handle(&self, update: Update) -> anyhow::Result<()> {
        let chat = update.chat().map(|c| c.id.0).unwrap_or_default();
        let lock = {
            let mut chats = self.inner.chats.lock().unwrap_or_else(|p| p.into_inner());
            // Forget the locks nobody holds, so the map does not grow with every chat seen.
            if chats.len() > 1024 {
                chats.retain(|_, lock| Arc::strong_count(lock) > 1);
            }
            chats.entry(chat).or_default().clone()
        };
        let _turn = lock.lock().await;
        // Update ids count per bot: the bot's id (the token's first part) scopes them.
        let bot = self
            .inner
            .settings
            .token
            .split(':')
            .next()
            .unwrap_or_default();
        let event = EventId::new(CHANNEL, format!("{bot}:{}", update.id.0));
        match update.kind {
            UpdateKind::Message(message) => self.on_message(&event, message).await,
            UpdateKind::EditedMessage(message) => self.on_edited(&event, message).await,
            UpdateKind::CallbackQuery(query) => self.on_callback(&event, query).await,
            _ => Ok(()),
        }
    }

    /// Long polling until `stop`: one instance at a time holds the lease and asks for updates;
    /// a batch is handled (chats in parallel, each chat in order) before the next is asked for,
    /// which is what acknowledges it.
    pub async fn poll(self, instance: String, mut stop: watch::Receiver<bool>) {
        let lease = Duration::from_secs(self.inner.settings.lease_secs.max(2));
        let ttl = chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(15));
        let wait = u32::try_from((lease / 3).as_secs().clamp(1, 10)).unwrap_or(5);
        let mut offset = 0i32;
        let mut holding = false;
        // The lease is renewed while a batch is handled too (a batch can outlast it).
        let renewing = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let renewal = {
            let this = self.clone();
            let instance = instance.clone();
            let renewing = renewing.clone();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(lease / 3).await;
                    if renewing.load(std::sync::atomic::Ordering::Relaxed) {
                        let _ = this
                            .inner
                            .events
                            .hold_lease(POLLING_LEASE, &instance, ttl)
                            .await;
                    }
                }
            })
        };
        loop {
            if *stop.borrow() {
                break;
            }
            let held = self
                .inner
                .events
                .hold_lease(POLLING_LEASE, &instance, ttl)
                .await
                .unwrap_or_else(|error| {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "cannot renew the polling lease"
                    );
                    false
                });
            renewing.store(held, std::sync::atomic::Ordering::Relaxed);
            if held != holding {
                holding = held;
                tracing::info!(polling = held, "Telegram polling lease changed hands");
            }
            if !held {
                tokio::select! {
                    _ = tokio::time::sleep(lease / 3) => {}
                    _ = stop.changed() => {}
                }
                continue;
            }
            let request = self
                .inner
                .api
                .get_updates()
                .offset(offset)
                .timeout(wait)
                .allowed_updates(allowed_updates());
            let updates = tokio::select! {
                result = request.into_future() => result,
                _ = stop.changed() => break,
            };
            match updates {
                Ok(updates) => match self.handle_batch(updates).await {
                    Ok(Some(next)) => offset = next,
                    Ok(None) => {}
                    Err(next) => {
                        offset = next;
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                },
                Err(error) => {
                    tracing::warn!(error = %error, "getUpdates failed; retrying");
                    let pause = match error {
                        RequestError::RetryAfter(seconds) => seconds.duration(),
                        _ => Duration::from_secs(2),
                    };
                    tokio::select! {
                        _ = tokio::time::sleep(pause) => {}
                        _ = stop.changed() => {}
                    }
                }
            }
        }
        renewal.abort();
        if holding {
            let _ = self
                .inner
                .events
                .release_lease(POLLING_LEASE, &instance)
                .await;
        }
    }

    /// Handles a batch; the offset to ask from next (`Err` with the first failed update's id
    /// when one failed, so that it comes again).
    async fn handle_batch(&self, updates: Vec<Update>) -> Result<Option<i32>, i32> {
        let Some(last) = updates.iter().map(|u| u.id.0).max() else {
            return Ok(None);
        };
        let mut by_chat: BTreeMap<i64, Vec<Update>> = BTreeMap::new();
        for update in updates {
            let chat = update.chat().map(|c| c.id.0).unwrap_or_default();
            by_chat.entry(chat).or_default().push(update);
        }
        let mut tasks = tokio::task::JoinSet::new();
        let mut first_of_task = std::collections::HashMap::new();
        for (_, updates) in by_chat {
            let this = self.clone();
            let first = updates.first().map(|u| u.id.0).unwrap_or(last);
            let handle = tasks.spawn(async move {
                for update in updates {
                    let id = update.id.0;
                    if let Err(error) = this.handle(update).await {
                        tracing::error!(error = format!("{error:#}"), update = id, "update failed");
                        return Some(id);
                    }
                }
                None
            });
            first_of_task.insert(handle.id(), first);
        }
        let mut first_failed: Option<u32> = None;
        while let Some(result) = tasks.join_next_with_id().await {
            let failed = match result {
                Ok((_, failed)) => failed,
                // A task that panicked: its chat's updates come again from its first.
                Err(error) => {
                    tracing::error!(error = %error, "an update handler panicked");
                    first_of_task.get(&error.id()).copied()
                }
            };
            if let Some(id) = failed {
                first_failed = Some(first_failed.map_or(id, |f| f.min(id)));
            }
        }
        let as_offset = |id: u32| i32::try_from(id).unwrap_or(i32::MAX);
        match first_failed {
            Some(id) => Err(as_offset(id)),
            None => Ok(Some(as_offset(last).saturating_add(1))),
        }
    }

    /// `POST /webhooks/telegram`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/webhooks/telegram", post(webhook))
            .with_state(self.clone())
    }

    /// The notifier of Telegram merchants.
    pub fn notifier(&self) -> Arc<dyn Notifier> {
        Arc::new(self.clone())
    }

    /// The staff board, when a staff group is configured.
    pub fn board(&self) -> Option<Arc<dyn StaffBoard>> {
        self.inner
            .settings
            .staff_chat
            .map(|_| Arc::new(self.clone()) as Arc<dyn StaffBoard>)
    }

    /// Whether an update that changes nothing in the database (a query, a notice) is new.
    /// Such an update is recorded by [`Telegram::done`] once its answer is sent: if sending
    /// fails, the update comes again and is answered then.
    async fn is_new(&self, event: &EventId) -> anyhow::Result<bool> {
        self.inner.events.is_new(event).await
    }

    /// Records an update as handled.
    async fn done(&self, event: &EventId) -> anyhow::Result<()> {
        self.inner.events.record(event).await
    }

    /// Says something once per update.
    async fn say_once(
        &self,
        event: &EventId,
        chat: ChatId,
        locale: Locale,
        message: Message,
    ) -> anyhow::Result<()> {
        if self.is_new(event).await? {
            self.say(chat, locale, message).await?;
            self.done(event).await?;
        }
        Ok(())
    }

    /// Sends a text, split at Telegram's limit, with a keyboard under the last part.
    async fn send_text(
        &self,
        chat: ChatId,
        text: &str,
        keyboard: Option<InlineKeyboardMarkup>,
    ) -> anyhow::Result<Option<teloxide::types::MessageId>> {
        let parts = split_text(text, MAX_TEXT_CHARS);
        let count = parts.len();
        let mut last = None;
        for (index, part) in parts.into_iter().enumerate() {
            let mut request = self.inner.api.send_message(chat, part);
            if index + 1 == count
                && let Some(keyboard) = keyboard.clone()
            {
                request = request.reply_markup(keyboard);
            }
            last = Some(self.paced(chat, request).await?.id);
        }
        Ok(last)
    }

    /// Makes a call that sends or edits a message in `chat`, within the fleet's budget; a
    /// `RetryAfter` holds the fleet off for the time Telegram asks, and the call is made again
    /// (twice at most: then the error is the caller's, and an outbox job is retried later).
    /// Telegram's refusals are [`RequestError`]s inside the error; queued work may also be
    /// [`crate::service::outbound::Deferred`].
    pub(super) async fn paced<R>(&self, chat: ChatId, request: R) -> anyhow::Result<Output<R>>
    where
        R: Request<Err = RequestError>,
    {
        let limits = self.inner.settings.limits.of(chat);
        let mut tries = 0;
        loop {
            let slotted = self.inner.outbound.pace(CHANNEL, &limits).await?;
            let answer = request.send_ref().await;
            self.inner.outbound.answered(&limits, slotted).await;
            let Err(RequestError::RetryAfter(wait)) = answer else {
                return Ok(answer?);
            };
            self.inner
                .outbound
                .rate_limited(CHANNEL, CHANNEL, wait.duration())
                .await;
            tries += 1;
            if tries > 2 {
                return Err(RequestError::RetryAfter(wait).into());
            }
        }
    }

    /// Sends a localized notice.
    async fn say(&self, chat: ChatId, locale: Locale, message: Message) -> anyhow::Result<()> {
        self.send_text(chat, &i18n::render(locale, &message), None)
            .await?;
        Ok(())
    }

    /// Answers a button press, with a notice when there is one (every press is answered, so
    /// the button stops spinning).
    async fn answer(
        &self,
        query: &teloxide::types::CallbackQuery,
        notice: Option<String>,
        alert: bool,
    ) {
        let mut request = self.inner.api.answer_callback_query(query.id.clone());
        if let Some(text) = notice {
            request = request.text(truncate_chars(&text, 200)).show_alert(alert);
        }
        if let Err(error) = request.await {
            tracing::warn!(error = %error, "cannot answer a button press");
        }
    }
}

impl Telegram {
    /// A message: the staff group's, a private chat's (a manager's query or a merchant's
    /// conversation), or another group's (only commands get an answer there).
    async fn on_message(
        &self,
        event: &EventId,
        message: teloxide::types::Message,
    ) -> anyhow::Result<()> {
        let Some(user) = message.from.clone().filter(|u| !u.is_bot) else {
            return Ok(());
        };
        let chat = message.chat.id;
        if self.for_another_bot(message.text().unwrap_or_default()) {
            return Ok(());
        }
        if Some(chat) == self.inner.settings.staff_chat {
            return self.staff_message(event, &message, &user).await;
        }
        let locale = locale_of(&user).unwrap_or_default();
        let text = message.text().unwrap_or_default();
        if !message.chat.is_private() {
            if text.trim_start().starts_with('/') {
                self.say_once(event, chat, locale, Message::new("telegram-private-only"))
                    .await?;
            }
            return Ok(());
        }
        if let Some((name, argument)) = Self::manager_command(text) {
            if self.inner.settings.managers.contains(&user.id) {
                let manager = Actor {
                    role: Role::Manager,
                    id: actor_id(&user),
                };
                return self
                    .query(event, chat, locale, &manager, &name, &argument)
                    .await;
            }
            if name != "status" {
                self.say_once(event, chat, locale, Message::new("telegram-managers-only"))
                    .await?;
                return Ok(());
            }
        }
        self.merchant_message(event, &message, &user).await
    }

    /// Whether a text is a command addressed to another bot (`/help@otherbot` in a group).
    fn for_another_bot(&self, text: &str) -> bool {
        let Some(command) = text.trim_start().strip_prefix('/') else {
            return false;
        };
        let name = command.split_whitespace().next().unwrap_or_default();
        match (name.split_once('@'), self.inner.username.get()) {
            (Some((_, addressee)), Some(me)) => !addressee.eq_ignore_ascii_case(me),
            _ => false,
        }
    }

    /// An edited message: never taken as an answer.
    async fn on_edited(
        &self,
        event: &EventId,
        message: teloxide::types::Message,
    ) -> anyhow::Result<()> {
        match message.from.clone() {
            Some(user) if message.chat.is_private() && !user.is_bot => {
                self.merchant_edit(event, &message, &user).await
            }
            _ => Ok(()),
        }
    }

    /// A button press: a merchant's choice, or a staff move.
    async fn on_callback(
        &self,
        event: &EventId,
        query: teloxide::types::CallbackQuery,
    ) -> anyhow::Result<()> {
        let data = query.data.clone().unwrap_or_default();
        if data.starts_with(merchant::CHOICE) {
            self.merchant_choice(event, &query, &data).await
        } else if data.starts_with(crate::service::staff::MOVE_PREFIX)
            || data.starts_with(crate::service::staff::FIELD_PREFIX)
        {
            self.staff_button(event, &query, &data).await
        } else {
            self.unknown_button(&query).await
        }
    }
}

/// The language a Telegram user's app is in.
fn locale_of(user: &User) -> Option<Locale> {
    user.language_code.as_deref().map(Locale::negotiate)
}

/// How history names a Telegram user: their id (stable), and their username when they have
/// one (readable, but it can change).
fn actor_id(user: &User) -> String {
    match &user.username {
        Some(name) => format!("{CHANNEL}:{} (@{name})", user.id.0),
        None => format!("{CHANNEL}:{}", user.id.0),
    }
}

/// The updates the bot asks for.
fn allowed_updates() -> Vec<AllowedUpdate> {
    vec![
        AllowedUpdate::Message,
        AllowedUpdate::EditedMessage,
        AllowedUpdate::CallbackQuery,
    ]
}

/// Merchant commands: their name per locale and the id of their description.
pub const MERCHANT_COMMANDS: &[(&str, &str, &str)] = &[
    ("start", "start", "start"),
    ("help", "ajuda", "help"),
    ("back", "voltar", "back"),
    ("skip", "pular", "skip"),
    ("status", "status", "status"),
    ("language", "idioma", "language"),
    ("human", "atendente", "human"),
    ("restart", "reiniciar", "restart"),
    ("cancel", "cancelar", "cancel"),
    ("erase", "apagar", "erase"),
];

/// Staff and manager commands, the same in both languages.
pub const STAFF_COMMANDS: &[(&str, &str, &str)] = &[
    ("status", "status", "staff-status"),
    ("pending", "pending", "pending"),
    ("stats", "stats", "stats"),
];

fn commands(locale: Locale, list: &[(&str, &str, &str)]) -> Vec<BotCommand> {
    list.iter()
        .map(|(en, pt, id)| {
            let name = match locale {
                Locale::En => en,
                Locale::PtBr => pt,
            };
            BotCommand::new(*name, i18n::text(locale, &format!("telegram-command-{id}")))
        })
        .collect()
}

/// A keyboard: one button per row (labels are sentences), two per row for long lists (the
/// categories); data longer than Telegram's limit is left out (and logged).
fn keyboard(buttons: Vec<(String, String)>) -> Option<InlineKeyboardMarkup> {
    let buttons: Vec<InlineKeyboardButton> = buttons
        .into_iter()
        .filter(|(_, data)| {
            let fits = data.len() <= MAX_CALLBACK_BYTES;
            if !fits {
                tracing::error!(data, "callback data over Telegram's limit; button left out");
            }
            fits
        })
        .map(|(label, data)| InlineKeyboardButton::callback(label, data))
        .collect();
    let per_row = if buttons.len() > 6 { 2 } else { 1 };
    let rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(per_row).map(<[_]>::to_vec).collect();
    (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows))
}

/// Splits a text into parts of at most `max` characters, at line ends where possible.
fn split_text(text: &str, max: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut length = 0;
    for line in text.split_inclusive('\n') {
        let line_length = line.chars().count();
        if length + line_length > max && !current.is_empty() {
            parts.push(std::mem::take(&mut current));
            length = 0;
        }
        if line_length > max {
            let chars: Vec<char> = line.chars().collect();
            for chunk in chars.chunks(max) {
                parts.push(chunk.iter().collect());
            }
            continue;
        }
        current.push_str(line);
        length += line_length;
    }
    if !current.trim().is_empty() || parts.is_empty() {
        parts.push(current);
    }
    parts
}

fn truncate_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Whether an error means the user cannot be written to (blocked the bot, never started it,
/// deleted their account).
fn is_unreachable(error: &RequestError) -> bool {
    match error {
        RequestError::Api(api) => match api {
            ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::CantInitiateConversation
            | ApiError::ChatNotFound
            | ApiError::UserNotFound
            | ApiError::BotKicked => true,
            ApiError::Unknown(text) => text.starts_with("Forbidden"),
            _ => false,
        },
        _ => false,
    }
}

async fn webhook(State(telegram): State<Telegram>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Some((_, secret)) = &telegram.inner.settings.webhook else {
        return StatusCode::NOT_FOUND;
    };
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(subtle::ConstantTimeEq::ct_eq(given, secret.as_bytes())) {
        tracing::warn!("Telegram webhook call with a wrong secret token refused");
        return StatusCode::UNAUTHORIZED;
    }
    let update: Update = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(error) => {
            tracing::warn!(error = %error, "malformed Telegram update refused");
            return StatusCode::BAD_REQUEST;
        }
    };
    match telegram.handle(update).await {
        Ok(()) => StatusCode::OK,
        // Not acknowledged: Telegram delivers it again.
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "Telegram update failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

impl Notifier for Telegram {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    fn notify<'a>(
        &'a self,
        user_id: &'a str,
        locale: Locale,
        messages: &'a [Message],
        _now: DateTime<Utc>,
    ) -> BoxFuture<'a, anyhow::Result<Delivery>> {
        Box::pin(async move {
            let chat: i64 = user_id.parse()?;
            let text = messages
                .iter()
                .map(|m| i18n::render(locale, m))
                .collect::<Vec<_>>()
                .join("\n\n");
            match self.send_text(ChatId(chat), &text, None).await {
                Ok(_) => Ok(Delivery::Delivered),
                Err(error) if error.downcast_ref().is_some_and(is_unreachable) => {
                    Ok(Delivery::Unreachable)
                }
                Err(error) => Err(error),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_split_at_line_ends_within_the_limit() {
        let text = format!(
            "{}\n{}\n{}",
            "a".repeat(3000),
            "b".repeat(3000),
            "c".repeat(10)
        );
        let parts = split_text(&text, 4096);
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|p| p.chars().count() <= 4096));
        assert_eq!(parts.concat(), text);
        let huge = "é".repeat(9000);
        let parts = split_text(&huge, 4096);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts.concat(), huge);
        assert_eq!(split_text("", 4096), vec![String::new()]);
    }

    #[test]
    fn a_refused_chat_means_the_merchant_is_unreachable() {
        assert!(is_unreachable(&RequestError::Api(ApiError::BotBlocked)));
        assert!(is_unreachable(&RequestError::Api(ApiError::Unknown(
            "Forbidden: bot can't initiate conversation with a user".into()
        ))));
        assert!(!is_unreachable(&RequestError::RetryAfter(
            teloxide::types::Seconds::from_seconds(3)
        )));
    }
}
