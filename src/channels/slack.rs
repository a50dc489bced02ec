//! Slack, through the Events API, slash commands and interactivity, on slack-morphism's models and
//! signature verifier; Web API calls go through this crate's own HTTP client.
//!
//! Merchants talk to the app in its direct messages: each message event is a turn of the
//! conversation, closed questions are buttons (Block Kit), and every move of their request
//! reaches them there. `/onboard` (`/cadastrar`) starts or resumes the conversation from
//! anywhere; `/status`, `/cancel`, `/help`, `/back` and `/human` work as on the other channels.
//!
//! Every request Slack sends is checked first (<https://api.slack.com/authentication/verifying-requests-from-slack>):
//! `X-Slack-Signature` must be `v0=` and the HMAC-SHA256 of `v0:{timestamp}:{body}` under the
//! signing secret, compared in constant time, with `X-Slack-Request-Timestamp` within 5 minutes;
//! otherwise 401 and nothing is read. A body that is not what the route takes is refused with
//! 400. An event is handled once (its `event_id`; Slack retries with `X-Slack-Retry-Num`): a
//! retry of an event already handled asks the merchant's current question again, in case the
//! first answer did not reach them.

use super::truncate;
use crate::channels::files::not_an_image;
use crate::conversation::{Command, FileProblem, Inbound, Reply, StepId};
use crate::domain::{Logo, Message};
use crate::i18n::{self, Locale};
use crate::service::Services;
use crate::service::UserKey;
use crate::service::merchant::Merchant;
use crate::service::outbound::{Limit, Rate};
use crate::tickets::{BoxFuture, Delivery, Notifier, RemoteError};
use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use slack_morphism::prelude::{
    SlackActionBlockElement, SlackActionsBlock, SlackBlock, SlackBlockButtonElement,
    SlackBlockChoiceItem, SlackBlockPlainText, SlackBlockStaticSelectElement, SlackCommandEvent,
    SlackEventCallbackBody, SlackFile, SlackInteractionEvent, SlackMessageEventType,
    SlackPushEvent, SlackSectionBlock, SlackSigningSecret, SlackView,
};
use slack_morphism::signature_verifier::SlackEventSignatureVerifier;
use std::sync::Arc;
use std::time::Duration;

mod socket;
mod staff;

/// The channel's name in user keys, jobs and history (`slack:U0123ABCD`).
pub const CHANNEL: &str = "slack";

/// The callback id of the onboarding form; a new version of the form takes a new id.
const FORM: &str = "m:1";
/// The text answers the form asks, in order.
const FORM_FIELDS: [StepId; 5] = [
    StepId::StoreAccount,
    StepId::Email,
    StepId::BusinessId,
    StepId::DisplayName,
    StepId::Phone,
];

/// The prefix of a merchant's choice button: `c:{step}:{key}`; a menu is `c:{step}:menu`.
const CHOICE: &str = "c:";
/// The key part of a menu's action id.
const MENU: &str = "menu";
/// More choices than this are a menu rather than buttons.
const MAX_BUTTONS: usize = 5;

/// Longest text of a section block (Slack's limit).
pub(crate) const MAX_SECTION_CHARS: usize = 3000;

/// Most blocks in a message (Slack's limit).
const MAX_BLOCKS: usize = 50;

/// Longest wait a `Retry-After` is honoured for inside one call.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// The limits a Web API call keeps for the whole fleet: its method's tier, per workspace
/// ([Slack's rate limits](https://api.slack.com/apis/rate-limits): Tier 2 about 20 calls a
/// minute, Tier 3 about 50, Tier 4 about 100), and for `chat.postMessage` ("special": about one
/// message a second in a channel) the channel's. Methods not listed keep no limit here (a 429
/// still holds them off).
fn limits(method: &str, payload: &Payload<'_>) -> Vec<Limit> {
    let tier = match method {
        "usergroups.users.list" => Some(20),
        "chat.update" | "conversations.open" => Some(50),
        "chat.postEphemeral"
        | "views.open"
        | "views.publish"
        | "users.info"
        | "files.getUploadURLExternal"
        | "files.completeUploadExternal" => Some(100),
        _ => None,
    };
    let key = format!("{CHANNEL}:{method}");
    let mut limits = Vec::new();
    if method == "chat.postMessage"
        && let Payload::Json(body) = payload
        && let Some(channel) = body["channel"].as_str()
    {
        limits.push(Limit::chat(CHANNEL, channel, Rate::per_second(1)));
    }
    // A method without a tier still has its key, so that a 429 on it holds the fleet off.
    limits.push(Limit::keyed(
        key,
        tier.map_or(Rate::per_second(0), Rate::per_minute),
    ));
    limits
}

/// How Slack is reached.
#[derive(Clone)]
pub struct Settings {
    /// The bot token (`xoxb-…`).
    pub bot_token: String,
    /// The request signing secret.
    pub signing_secret: String,
    /// The Web API base URL (`https://slack.com/api`, a fake in tests), without a trailing slash.
    pub api_url: String,
    /// The language of staff posts.
    pub staff_locale: Locale,
    /// The channel where requests are posted for staff (`C…`).
    pub staff_channel: Option<String>,
    /// Users who are staff (`U…`).
    pub staff_users: Vec<String>,
    /// The user group whose members are staff (`S…`).
    pub staff_usergroup: Option<String>,
    /// Users who are managers.
    pub manager_users: Vec<String>,
    /// The app-level token (`xapp-…`) that enables Socket Mode.
    pub app_token: Option<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("api_url", &self.api_url)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// The Slack settings of a loaded configuration; `None` unless a bot token is configured.
    pub fn from_config(config: &crate::config::Config) -> Option<Settings> {
        let slack = config.slack_settings.as_ref()?;
        Some(Settings {
            bot_token: slack.bot_token.expose().to_owned(),
            signing_secret: slack.signing_secret.expose().to_owned(),
            api_url: slack.api_url.as_str().trim_end_matches('/').to_owned(),
            staff_locale: Locale::negotiate(&config.staff_locale),
            staff_channel: slack.staff_channel_id.clone(),
            staff_users: slack.staff_user_ids.clone(),
            staff_usergroup: slack.staff_usergroup_id.clone(),
            manager_users: slack.manager_user_ids.clone(),
            app_token: slack.app_token.as_ref().map(|t| t.expose().to_owned()),
        })
    }
}

/// The Slack channel.
#[derive(Clone)]
pub struct Slack {
    inner: Arc<Inner>,
}

struct Inner {
    settings: Settings,
    services: Services,
    http: reqwest::Client,
    verifier: SlackEventSignatureVerifier,
    /// Each user's direct-message channel with the app, as seen in their DM events or opened:
    /// `conversations.open` is Tier 3 (about 50 calls a minute for the whole workspace), and a
    /// user's DM with the app never changes.
    dms: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

/// Most DM channels remembered; past it the memory starts again (opening a DM again is one
/// call).
const MAX_DMS_REMEMBERED: usize = 50_000;

impl Slack {
    /// The channel on the application layer.
    pub fn new(settings: Settings, services: Services) -> Slack {
        let verifier = SlackEventSignatureVerifier::new(&SlackSigningSecret::new(
            settings.signing_secret.clone(),
        ));
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Slack {
            inner: Arc::new(Inner {
                settings,
                services,
                http,
                verifier,
                dms: std::sync::Mutex::default(),
            }),
        }
    }

    /// `POST /webhooks/slack/events`, `/webhooks/slack/commands` and
    /// `/webhooks/slack/interactions`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/webhooks/slack/events", post(events))
            .route("/webhooks/slack/commands", post(commands))
            .route("/webhooks/slack/interactions", post(interactions))
            .with_state(self.clone())
    }

    /// Whether an app-level token is configured: Slack then also delivers through Socket Mode
    /// ([`Slack::socket_mode`]).
    pub fn uses_socket_mode(&self) -> bool {
        self.inner.settings.app_token.is_some()
    }

    /// Where merchants on Slack are notified.
    pub fn notifier(&self) -> Arc<dyn Notifier> {
        Arc::new(self.clone())
    }

    /// The staff channel's board, when one is configured.
    pub fn board(&self) -> Option<Arc<dyn crate::tickets::StaffBoard>> {
        self.inner
            .settings
            .staff_channel
            .is_some()
            .then(|| Arc::new(self.clone()) as Arc<dyn crate::tickets::StaffBoard>)
    }

    /// Whether a request carries Slack's valid, fresh signature.
    fn verified(&self, headers: &HeaderMap, body: &[u8]) -> bool {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let (Some(signature), Some(timestamp), Ok(body)) = (
            header(SlackEventSignatureVerifier::SLACK_SIGNED_HASH_HEADER),
            header(SlackEventSignatureVerifier::SLACK_SIGNED_TIMESTAMP),
            std::str::from_utf8(body),
        ) else {
            return false;
        };
        self.inner
            .verifier
            .verify(signature, body, timestamp)
            .is_ok()
    }

    /// Calls a Web API method with a JSON body; a 429 is waited out (its `Retry-After`, within
    /// bounds) and tried once more; `ok: false` is an error naming Slack's `error`.
    async fn call(&self, method: &str, body: &Value) -> anyhow::Result<Value> {
        self.call_with(method, Payload::Json(body)).await
    }

    /// As [`Slack::call`], with form parameters, for the methods that take no JSON
    /// (`files.getUploadURLExternal`, `usergroups.users.list`).
    async fn call_form(&self, method: &str, params: &[(&str, &str)]) -> anyhow::Result<Value> {
        self.call_with(method, Payload::Form(params)).await
    }

    async fn call_with(&self, method: &str, payload: Payload<'_>) -> anyhow::Result<Value> {
        self.call_as(&self.inner.settings.bot_token, method, payload)
            .await
    }

    /// As [`Slack::call`], authenticated with `token` (the app-level token for Socket Mode).
    async fn call_as(
        &self,
        token: &str,
        method: &str,
        payload: Payload<'_>,
    ) -> anyhow::Result<Value> {
        let limits = limits(method, &payload);
        for attempt in 0..2 {
            let slotted = self.inner.services.outbound.pace(CHANNEL, &limits).await?;
            let request = self
                .inner
                .http
                .post(format!("{}/{method}", self.inner.settings.api_url))
                .bearer_auth(token);
            let request = match payload {
                Payload::Json(body) => request.json(body),
                Payload::Form(params) => request.form(params),
            };
            let response = request.send().await;
            self.inner
                .services
                .outbound
                .answered(&limits, slotted)
                .await;
            let response = response.with_context(|| format!("Slack {method}: no answer"))?;
            if response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
                let wait = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map_or(Duration::from_secs(1), Duration::from_secs);
                // The fleet holds that method off, not this call alone.
                self.inner
                    .services
                    .outbound
                    .rate_limited(CHANNEL, &format!("{CHANNEL}:{method}"), wait)
                    .await;
                if attempt == 0 && wait <= MAX_RETRY_AFTER {
                    tracing::warn!(
                        method,
                        wait_secs = wait.as_secs(),
                        "Slack rate limit: waiting"
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
                return Err(RemoteError::RetryAfter(wait).into());
            }
            if !response.status().is_success() {
                anyhow::bail!("Slack {method}: {}", response.status());
            }
            let answer: Value = response
                .json()
                .await
                .with_context(|| format!("Slack {method}: not JSON"))?;
            if answer["ok"] != json!(true) {
                let error = answer["error"].as_str().unwrap_or("unknown").to_owned();
                anyhow::bail!("Slack {method}: {error}");
            }
            return Ok(answer);
        }
        anyhow::bail!("Slack {method}: rate limited")
    }

    /// The direct-message channel with a user: remembered, or opened (`conversations.open`).
    async fn dm_channel(&self, user: &str) -> anyhow::Result<String> {
        if let Some(channel) = self.dms().get(user) {
            return Ok(channel.clone());
        }
        let opened = self
            .call("conversations.open", &json!({ "users": user }))
            .await?;
        let channel = opened["channel"]["id"]
            .as_str()
            .map(str::to_owned)
            .context("Slack conversations.open: no channel id")?;
        self.remember_dm(user, &channel);
        Ok(channel)
    }

    fn dms(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, String>> {
        self.inner
            .dms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Remembers `channel` as `user`'s DM with the app.
    fn remember_dm(&self, user: &str, channel: &str) {
        let mut dms = self.dms();
        if dms.get(user).is_some_and(|known| known == channel) {
            return;
        }
        if dms.len() >= MAX_DMS_REMEMBERED && !dms.contains_key(user) {
            dms.clear();
        }
        dms.insert(user.to_owned(), channel.to_owned());
    }

    /// Forgets `user`'s DM (a post there failed: it is opened again next time).
    fn forget_dm(&self, user: &str) {
        self.dms().remove(user);
    }

    /// Posts the replies of a turn in `channel` as one message (Slack takes about one message a
    /// second per channel): a section per reply, a question's choices as buttons under it.
    /// Slack's 50 blocks a message are never reached by a turn; should one be longer, it goes
    /// in several messages.
    async fn send_replies(
        &self,
        channel: &str,
        locale: Locale,
        replies: &[Reply],
    ) -> anyhow::Result<()> {
        // Each reply: its text (the notification's fallback) and its blocks.
        let mut parts: Vec<(String, Vec<SlackBlock>)> = Vec::new();
        for reply in replies {
            let rendered = reply.render(locale);
            let mut text = String::new();
            if let Some(progress) = reply.progress_line(locale) {
                text.push_str(&progress);
                text.push('\n');
            }
            text.push_str(&rendered.text);
            let mut blocks = vec![section(&text)];
            if rendered.choices.len() > MAX_BUTTONS {
                // A long list (the category) is a menu.
                let options = rendered
                    .choices
                    .iter()
                    .take(100)
                    .map(|choice| {
                        SlackBlockChoiceItem::new(
                            SlackBlockPlainText::new(truncate(&choice.label, 75)).into(),
                            choice.key.clone(),
                        )
                    })
                    .collect();
                let menu = SlackBlockStaticSelectElement::new()
                    .with_action_id(format!("{CHOICE}{}:{MENU}", rendered.step).into())
                    .with_placeholder(
                        SlackBlockPlainText::new(truncate(
                            &i18n::text(locale, "discord-choose"),
                            150,
                        ))
                        .into(),
                    )
                    .with_options(options);
                blocks.push(SlackBlock::Actions(SlackActionsBlock::new(vec![
                    SlackActionBlockElement::StaticSelect(menu),
                ])));
            } else if !rendered.choices.is_empty() {
                let buttons = rendered
                    .choices
                    .iter()
                    .map(|choice| {
                        SlackActionBlockElement::Button(
                            SlackBlockButtonElement::new(
                                SlackBlockPlainText::new(truncate(&choice.label, 75)).into(),
                            )
                            .with_action_id(
                                format!("{CHOICE}{}:{}", rendered.step, choice.key).into(),
                            )
                            .with_value(choice.key.clone()),
                        )
                    })
                    .collect();
                blocks.push(SlackBlock::Actions(SlackActionsBlock::new(buttons)));
            }
            parts.push((rendered.text, blocks));
        }
        // As few messages as Slack's block limit allows, in order.
        let mut messages: Vec<(Vec<String>, Vec<SlackBlock>)> = Vec::new();
        for (text, blocks) in parts {
            match messages.last_mut() {
                Some((texts, all)) if all.len() + blocks.len() <= MAX_BLOCKS => {
                    texts.push(text);
                    all.extend(blocks);
                }
                _ => messages.push((vec![text], blocks)),
            }
        }
        for (texts, blocks) in messages {
            self.call(
                "chat.postMessage",
                &json!({ "channel": channel, "text": texts.join("\n\n"), "blocks": blocks }),
            )
            .await?;
        }
        Ok(())
    }

    /// The merchant behind a Slack user, in the language of their Slack locale when known.
    fn merchant(user: &str, locale: Option<Locale>) -> Merchant {
        Merchant {
            key: UserKey::new(CHANNEL, user),
            locale_hint: locale,
        }
    }

    /// One turn of a merchant's conversation, answered in `channel`. A turn handled before (a
    /// retried event) asks the current question again.
    async fn converse(
        &self,
        event: &str,
        user: &str,
        channel: &str,
        message: Option<&str>,
        inbound: Inbound,
    ) -> anyhow::Result<()> {
        self.converse_in(event, user, channel, message, inbound, None)
            .await
    }

    /// As [`Slack::converse`], with the language the merchant's words imply (`/cadastrar`).
    /// A merchant new to the bot is spoken to in their Slack language (`users.info`), until
    /// they choose one.
    async fn converse_in(
        &self,
        event: &str,
        user: &str,
        channel: &str,
        message: Option<&str>,
        inbound: Inbound,
        hint: Option<Locale>,
    ) -> anyhow::Result<()> {
        let known = self
            .inner
            .services
            .merchant
            .draft(&UserKey::new(CHANNEL, user))
            .await?
            .is_some();
        let hint = match hint {
            Some(hint) => Some(hint),
            None if !known => self.slack_locale(user).await,
            None => None,
        };
        // Someone new writing to the app ("oi", "hello") is greeted and asked the first
        // question: nothing they could have typed answers a question not asked yet.
        let inbound = match inbound {
            Inbound::Text(_) if !known => Inbound::Start,
            other => other,
        };
        let merchant = Self::merchant(user, hint);
        let outcome = self
            .inner
            .services
            .merchant
            .handle_message(&merchant, event, message, inbound)
            .await?;
        let replies = match &outcome.question {
            Some(question) => std::slice::from_ref(question),
            None => &outcome.replies,
        };
        self.send_replies(channel, outcome.locale, replies).await
    }

    /// The logo a shared file carries: downloaded (with the bot token) only at the logo
    /// question and only when it declares an image type, never more than the logo limit plus
    /// one byte read; elsewhere the conversation says what it expects instead.
    async fn logo_of(&self, user: &str, file: &SlackFile) -> Inbound {
        let at_logo = self
            .inner
            .services
            .merchant
            .draft(&UserKey::new(CHANNEL, user))
            .await
            .ok()
            .flatten()
            .is_some_and(|d| d.step == StepId::Logo && d.pending.is_none());
        if !at_logo {
            return Inbound::File {
                name: String::new(),
                bytes: Vec::new(),
            };
        }
        let name = file.name.clone().unwrap_or_default();
        if let Some(format) = file
            .mimetype
            .as_ref()
            .and_then(|m| not_an_image(m.0.as_str()))
        {
            return Inbound::Unreadable(FileProblem::NotAnImage { format });
        }
        let Some(url) = file
            .url_private_download
            .as_ref()
            .or(file.url_private.as_ref())
        else {
            return Inbound::Unreadable(FileProblem::Unreadable);
        };
        match self.download(url.as_str()).await {
            Ok(bytes) => Inbound::File { name, bytes },
            Err(problem) => Inbound::Unreadable(problem),
        }
    }

    /// Downloads a private file, reading never more than the logo limit plus one byte.
    async fn download(&self, url: &str) -> Result<Vec<u8>, FileProblem> {
        let mut response = self
            .inner
            .http
            .get(url)
            .bearer_auth(&self.inner.settings.bot_token)
            .send()
            .await
            .map_err(|error| {
                tracing::warn!(error = %error, "Slack file download failed");
                FileProblem::Unreadable
            })?;
        if !response.status().is_success() {
            tracing::warn!(status = %response.status(), "Slack file download refused");
            return Err(FileProblem::Unreadable);
        }
        if let Some(declared) = response.content_length()
            && declared > Logo::MAX_BYTES
        {
            return Err(FileProblem::TooLarge { bytes: declared });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|error| {
            tracing::warn!(error = %error, "Slack file download failed");
            FileProblem::Unreadable
        })? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() as u64 > Logo::MAX_BYTES {
                return Err(FileProblem::TooLarge {
                    bytes: bytes.len() as u64,
                });
            }
        }
        Ok(bytes)
    }

    /// Opens the onboarding form (`views.open`): the text answers, each pre-filled with what
    /// is already valid.
    async fn open_form(&self, trigger: &str, user: &str) -> anyhow::Result<()> {
        let draft = self
            .inner
            .services
            .merchant
            .draft(&UserKey::new(CHANNEL, user))
            .await?;
        let locale = draft.as_ref().map_or(Locale::default(), |d| d.locale);
        let answers = draft.as_ref().map(|d| &d.answers);
        let current = |step: StepId| -> Option<String> {
            let a = answers?;
            match step {
                StepId::StoreAccount => a
                    .store_account
                    .as_ref()
                    .map(|p| p.value.as_str().to_owned()),
                StepId::Email => a.email.as_ref().map(|p| p.value.as_str().to_owned()),
                StepId::BusinessId => a.business_id.as_ref().map(|p| p.value.as_str().to_owned()),
                StepId::DisplayName => a.display_name.as_ref().map(|p| p.value.as_str().to_owned()),
                StepId::Phone => a.phone.as_ref().map(|p| p.value.international()),
                _ => None,
            }
        };
        let blocks: Vec<Value> = FORM_FIELDS
            .into_iter()
            .map(|step| {
                let mut element = json!({
                    "type": "plain_text_input", "action_id": step.as_str(),
                    "max_length": crate::domain::MAX_INPUT_CHARS,
                });
                if let Some(value) = current(step) {
                    element["initial_value"] = json!(value);
                }
                json!({
                    "type": "input", "block_id": step.as_str(),
                    "label": { "type": "plain_text", "text": truncate(&i18n::render(locale, &crate::conversation::field_label(step)), 2000) },
                    "element": element,
                })
            })
            .collect();
        let text = |id: &str| truncate(&i18n::text(locale, id), 24);
        let view = json!({
            "type": "modal", "callback_id": FORM,
            "title": { "type": "plain_text", "text": text("slack-form-title") },
            "submit": { "type": "plain_text", "text": text("slack-submit") },
            "close": { "type": "plain_text", "text": text("slack-close") },
            "blocks": blocks,
        });
        self.call(
            "views.open",
            &json!({ "trigger_id": trigger, "view": view }),
        )
        .await
        .map(drop)
    }

    /// The onboarding form sent: each field checked by the rules; a refused one is shown under
    /// its field and nothing is kept (Slack's `response_action: errors`); all valid, they are
    /// the merchant's answers and the conversation goes on in the DM.
    async fn form_submitted(
        &self,
        user: &str,
        event: &str,
        values: &Value,
    ) -> anyhow::Result<Option<Value>> {
        let locale = self.locale_of(user).await;
        let mut errors = serde_json::Map::new();
        let mut batch = Vec::new();
        for step in FORM_FIELDS {
            let text = values[step.as_str()][step.as_str()]["value"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            match crate::conversation::check_answer(step, &text, locale) {
                Some(Err(rejection)) => {
                    let reasons: Vec<String> = rejection
                        .findings
                        .iter()
                        .filter(|f| f.verdict == crate::domain::Verdict::Reject)
                        .map(|f| i18n::render(locale, &f.to_message()))
                        .collect();
                    errors.insert(step.as_str().to_owned(), json!(reasons.join(" ")));
                }
                _ => batch.push((step, text)),
            }
        }
        if !errors.is_empty() {
            return Ok(Some(
                json!({ "response_action": "errors", "errors": errors }),
            ));
        }
        let channel = self.dm_channel(user).await?;
        self.converse(event, user, &channel, None, Inbound::Fields(batch))
            .await?;
        Ok(None)
    }

    /// The App Home of a user (`views.publish`): their requests with where each stands, or
    /// how to start one.
    async fn publish_home(&self, user: &str) -> anyhow::Result<()> {
        let locale = self.locale_of(user).await;
        let requests = self
            .inner
            .services
            .merchant
            .store()
            .requests_of(&UserKey::new(CHANNEL, user))
            .await?;
        let mut blocks = vec![json!({
            "type": "header",
            "text": { "type": "plain_text", "text": truncate(&i18n::text(locale, "slack-home-title"), 150) },
        })];
        if requests.is_empty() {
            blocks.push(json!(section(&i18n::text(locale, "slack-home-empty"))));
        }
        for request in requests.iter().take(40) {
            let status = crate::domain::RequestStatus::parse(&request.status).map_or(
                Message::new("value-text").text("value", &request.status),
                |s| Message::new(s.message_id()),
            );
            let line = i18n::render(
                locale,
                &Message::new("slack-home-request")
                    .text("reference", &request.reference)
                    .text("name", &request.display_name)
                    .nested("status", status)
                    .date(
                        "date",
                        crate::domain::deadline::local_date(request.status_changed_at),
                    ),
            );
            blocks.push(json!(section(&line)));
        }
        let view = json!({ "type": "home", "blocks": blocks });
        self.call("views.publish", &json!({ "user_id": user, "view": view }))
            .await
            .map(drop)
    }

    /// The language of a user's Slack client (`users.info` with `include_locale`), if Slack
    /// tells it.
    async fn slack_locale(&self, user: &str) -> Option<Locale> {
        let info = self
            .call_form("users.info", &[("user", user), ("include_locale", "true")])
            .await
            .map_err(|error| tracing::debug!(error = format!("{error:#}"), "no Slack locale"))
            .ok()?;
        info["user"]["locale"].as_str().map(Locale::negotiate)
    }

    /// An Events API event (verified): a merchant's message in the app's DMs, the App Home
    /// opened; anything else is acknowledged and left.
    async fn on_event(&self, event: SlackPushEvent) -> Answer {
        let slack = self;
        let callback = match event {
            SlackPushEvent::UrlVerification(verification) => {
                return Answer::json(json!({ "challenge": verification.challenge }));
            }
            SlackPushEvent::AppRateLimited(_) => {
                tracing::warn!("Slack paused event delivery (app_rate_limited)");
                return Answer::ok();
            }
            SlackPushEvent::EventCallback(callback) => callback,
        };
        let event_id = callback.event_id.0.clone();
        let message = match callback.event {
            SlackEventCallbackBody::Message(message) => message,
            SlackEventCallbackBody::AppHomeOpened(opened) => {
                if let Err(error) = slack.publish_home(&opened.user.0).await {
                    tracing::warn!(error = format!("{error:#}"), "cannot publish the App Home");
                }
                return Answer::ok();
            }
            other => {
                tracing::debug!(event = ?std::mem::discriminant(&other), "Slack event not used");
                return Answer::ok();
            }
        };
        // Only what a person writes in the app's direct messages is a turn of the conversation.
        let is_dm = message
            .origin
            .channel_type
            .as_ref()
            .is_some_and(|t| t.0 == "im");
        let (Some(user), Some(channel)) = (&message.sender.user, &message.origin.channel) else {
            return Answer::ok();
        };
        let file_share = matches!(message.subtype, Some(SlackMessageEventType::FileShare));
        if !is_dm || message.sender.bot_id.is_some() || (message.subtype.is_some() && !file_share) {
            return Answer::ok();
        }
        // A message in the app's DMs (`message.im`) is in the user's DM with the app.
        slack.remember_dm(&user.0, &channel.0);
        let file = message
            .content
            .as_ref()
            .and_then(|c| c.files.as_ref())
            .and_then(|files| files.first());
        let text = message
            .content
            .as_ref()
            .and_then(|c| c.text.clone())
            .unwrap_or_default();
        let inbound = match file {
            Some(file) => slack.logo_of(&user.0, file).await,
            None if text.trim().is_empty() => Inbound::Unsupported,
            None => Inbound::Text(text),
        };
        match slack
            .converse(
                &event_id,
                &user.0,
                &channel.0,
                Some(&message.origin.ts.0),
                inbound,
            )
            .await
        {
            Ok(()) => Answer::ok(),
            Err(error) => {
                // Not acknowledged: Slack sends the event again, and the current question is asked.
                tracing::error!(error = format!("{error:#}"), "Slack message not handled");
                Answer::status(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }

    /// A slash command (verified), answered to its user alone.
    async fn on_command(&self, command: SlackCommandEvent) -> Answer {
        let slack = self;
        let user = command.user_id.0.clone();
        let locale = slack.locale_of(&user).await;
        let ephemeral = |message: Message| {
            Answer::json(json!({
                "response_type": "ephemeral",
                "text": i18n::render(locale, &message),
            }))
        };
        let name = command
            .command
            .0
            .trim()
            .trim_start_matches('/')
            .to_lowercase();
        // `/waba-status` is a merchant's `/status` unless staff or a manager asks.
        let asks_as_staff = || async {
            let roles = slack.roles(&user).await;
            roles.staff || roles.manager
        };
        if matches!(name.as_str(), "waba-pending" | "waba-stats")
            || (name == "waba-status" && asks_as_staff().await)
        {
            let text = command.text.clone().unwrap_or_default();
            let (answer, chart) = slack.manager_command(&user, &name, &text).await;
            if let Some(png) = chart {
                let (slack, user) = (slack.clone(), user.clone());
                tokio::spawn(async move {
                    if let Err(error) = slack.send_chart(&user, png).await {
                        tracing::warn!(error = format!("{error:#}"), "Slack chart not sent");
                    }
                });
            }
            let locale = slack.inner.settings.staff_locale;
            return Answer::json(json!({
                "response_type": "ephemeral",
                "text": i18n::render(locale, &answer),
            }));
        }
        let text = command.text.clone().unwrap_or_default();
        let Some(inbound) = command_of(&command.command.0, &text) else {
            // `/waba back`: what was asked is the word after `/waba`.
            let asked = if name == "waba" {
                format!("/{}", text.trim())
            } else {
                command.command.0.clone()
            };
            return ephemeral(Message::new("slack-unknown-command").text("command", asked));
        };
        let channel = match slack.dm_channel(&user).await {
            Ok(channel) => channel,
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "cannot open the DM");
                return ephemeral(Message::new("error-internal"));
            }
        };
        // `/onboard` opens the form of the text answers, checked field by field when sent; the
        // closed questions go on in the DM.
        if matches!(inbound, Inbound::Start)
            && let Err(error) = slack.open_form(&command.trigger_id.0, &user).await
        {
            tracing::warn!(
                error = format!("{error:#}"),
                "cannot open the onboarding form"
            );
        }
        // A command is one event: its trigger id is unique to it.
        let event = format!("command:{}", command.trigger_id.0);
        let hint = (name == "cadastrar").then_some(Locale::PtBr);
        match slack
            .converse_in(&event, &user, &channel, None, inbound, hint)
            .await
        {
            Ok(()) => ephemeral(Message::new("slack-answered-in-dm")),
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "Slack command not handled");
                ephemeral(Message::new("error-internal"))
            }
        }
    }

    /// An interaction (verified): a merchant's button, a staff button, a submitted modal.
    async fn on_interaction(&self, interaction: SlackInteractionEvent) -> Answer {
        let slack = self;
        let actions = match interaction {
            SlackInteractionEvent::BlockActions(actions) => actions,
            SlackInteractionEvent::ViewSubmission(submission) => {
                let callback = match &submission.view.view {
                    SlackView::Modal(modal) => modal.callback_id.as_ref().map(|c| c.0.clone()),
                    SlackView::Home(_) => None,
                }
                .unwrap_or_default();
                let values = serde_json::to_value(
                    submission
                        .view
                        .state_params
                        .state
                        .as_ref()
                        .map(|state| &state.values),
                )
                .unwrap_or_default();
                let event = format!("view:{}", submission.view.state_params.id.0);
                let user = &submission.user.id.0;
                let answer = if callback == FORM {
                    slack.form_submitted(user, &event, &values).await
                } else {
                    slack
                        .reason_submitted(user, &event, &callback, &values)
                        .await
                };
                return match answer {
                    Ok(None) => Answer::ok(),
                    Ok(Some(errors)) => Answer::json(errors),
                    Err(error) => {
                        tracing::error!(error = format!("{error:#}"), "Slack modal not handled");
                        Answer::status(StatusCode::INTERNAL_SERVER_ERROR)
                    }
                };
            }
            _ => return Answer::ok(),
        };
        let (Some(user), Some(channel)) = (&actions.user, &actions.channel) else {
            return Answer::ok();
        };
        let Some(action) = actions.actions.as_ref().and_then(|a| a.first()) else {
            return Answer::ok();
        };
        let action_id = action.action_id.0.as_str();
        if action_id.starts_with(crate::service::staff::MOVE_PREFIX)
            || action_id.starts_with(crate::service::staff::FIELD_PREFIX)
        {
            let event = format!("action:{}", actions.trigger_id.0);
            return match slack
                .staff_button(
                    &user.id.0,
                    &channel.id.0,
                    &actions.trigger_id.0,
                    &event,
                    action_id,
                )
                .await
            {
                Ok(()) => Answer::ok(),
                Err(error) => {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "Slack staff action not handled"
                    );
                    Answer::status(StatusCode::INTERNAL_SERVER_ERROR)
                }
            };
        }
        let Some((step, key)) = action_id
            .strip_prefix(CHOICE)
            .and_then(|rest| rest.split_once(':'))
        else {
            return Answer::ok();
        };
        // A pick in a menu carries its key as the selected option.
        let selected = action.selected_option.as_ref().map(|o| o.value.clone());
        let key = match (key, selected.as_deref()) {
            (MENU, Some(picked)) => picked,
            (MENU, None) => return Answer::ok(),
            (key, _) => key,
        };
        let merchant = UserKey::new(CHANNEL, &user.id.0);
        let event = format!("action:{}", actions.trigger_id.0);
        let draft = slack
            .inner
            .services
            .merchant
            .draft(&merchant)
            .await
            .ok()
            .flatten();
        let current = draft.as_ref().map(|d| d.step.as_str());
        if current != Some(step) {
            // A button of an earlier question: say so, change nothing.
            let locale = slack.locale_of(&user.id.0).await;
            let text = i18n::text(locale, "chat-old-button");
            let _ = slack
                .call(
                    "chat.postEphemeral",
                    &json!({ "channel": channel.id.0, "user": user.id.0, "text": text }),
                )
                .await;
            return Answer::ok();
        }
        match slack
            .converse(
                &event,
                &user.id.0,
                &channel.id.0,
                None,
                Inbound::Choice(key.to_owned()),
            )
            .await
        {
            Ok(()) => Answer::ok(),
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "Slack action not handled");
                Answer::status(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }

    /// The language a merchant speaks with the bot (their draft's, else the staff's).
    async fn locale_of(&self, user: &str) -> Locale {
        self.inner
            .services
            .merchant
            .draft(&UserKey::new(CHANNEL, user))
            .await
            .ok()
            .flatten()
            .map_or(Locale::default(), |draft| draft.locale)
    }
}

/// The body of a Web API call.
#[derive(Clone, Copy)]
enum Payload<'a> {
    Json(&'a Value),
    Form(&'a [(&'a str, &'a str)]),
}

/// A section showing `text` as written: plain text, which Slack neither formats nor links, so
/// that no value a person typed becomes bold, a link or a mention.
fn section(text: &str) -> SlackBlock {
    SlackBlock::Section(
        SlackSectionBlock::new()
            .with_text(SlackBlockPlainText::new(truncate(text, MAX_SECTION_CHARS)).into()),
    )
}

/// What a request from Slack is answered: a status and, for some, a JSON body (a command's
/// ephemeral text, a modal's errors, the URL challenge). Over HTTP it is the response; in
/// Socket Mode the body is the acknowledgement's payload.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    status: StatusCode,
    body: Option<Value>,
}

impl Answer {
    fn ok() -> Answer {
        Answer::status(StatusCode::OK)
    }

    fn status(status: StatusCode) -> Answer {
        Answer { status, body: None }
    }

    fn json(body: Value) -> Answer {
        Answer {
            status: StatusCode::OK,
            body: Some(body),
        }
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self.body {
            Some(body) => (
                self.status,
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response(),
            None => self.status.into_response(),
        }
    }
}

fn refuse(status: StatusCode) -> Response {
    status.into_response()
}

async fn events(State(slack): State<Slack>, headers: HeaderMap, body: Bytes) -> Response {
    if !slack.verified(&headers, &body) {
        tracing::warn!("Slack event refused: bad or stale signature");
        return refuse(StatusCode::UNAUTHORIZED);
    }
    let Ok(event) = serde_json::from_slice::<SlackPushEvent>(&body) else {
        return refuse(StatusCode::BAD_REQUEST);
    };
    slack.on_event(event).await.into_response()
}

/// The slash commands, by name in either language.
/// The conversation's input a slash command stands for. Slack keeps `/status` and other short
/// names for itself, so the conversation's commands are words after `/waba`: `/waba back`,
/// `/waba ajuda`, `/waba cancelar` (English or Portuguese, as typed on the other channels).
fn command_of(name: &str, text: &str) -> Option<Inbound> {
    let name = name.trim().trim_start_matches('/').to_lowercase();
    let word = |word: &str| match Command::parse(&format!("/{}", word.trim()))? {
        Command::Unknown(_) => None,
        command => Some(Inbound::Command(command)),
    };
    match name.as_str() {
        "onboard" | "cadastrar" => Some(Inbound::Start),
        "waba-status" => Some(Inbound::Command(Command::Status)),
        "waba" => word(text),
        other => word(other),
    }
}

async fn commands(State(slack): State<Slack>, headers: HeaderMap, body: Bytes) -> Response {
    if !slack.verified(&headers, &body) {
        tracing::warn!("Slack command refused: bad or stale signature");
        return refuse(StatusCode::UNAUTHORIZED);
    }
    let Ok(command) = serde_urlencoded::from_bytes::<SlackCommandEvent>(&body) else {
        return refuse(StatusCode::BAD_REQUEST);
    };
    slack.on_command(command).await.into_response()
}

async fn interactions(State(slack): State<Slack>, headers: HeaderMap, body: Bytes) -> Response {
    if !slack.verified(&headers, &body) {
        tracing::warn!("Slack interaction refused: bad or stale signature");
        return refuse(StatusCode::UNAUTHORIZED);
    }
    let payload = url::form_urlencoded::parse(&body)
        .find(|(key, _)| key == "payload")
        .map(|(_, value)| value.into_owned());
    let Some(Ok(interaction)) = payload.map(|p| serde_json::from_str::<SlackInteractionEvent>(&p))
    else {
        return refuse(StatusCode::BAD_REQUEST);
    };
    slack.on_interaction(interaction).await.into_response()
}

impl Notifier for Slack {
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
            let text = messages
                .iter()
                .map(|m| i18n::render(locale, m))
                .collect::<Vec<_>>()
                .join("\n\n");
            let channel = match self.dm_channel(user_id).await {
                Ok(channel) => channel,
                Err(error) if is_unreachable(&error) => return Ok(Delivery::Unreachable),
                Err(error) => return Err(error),
            };
            let blocks = vec![section(&text)];
            match self
                .call(
                    "chat.postMessage",
                    &json!({ "channel": channel, "text": text, "blocks": blocks }),
                )
                .await
            {
                Ok(_) => Ok(Delivery::Delivered),
                Err(error) => {
                    self.forget_dm(user_id);
                    if is_unreachable(&error) {
                        Ok(Delivery::Unreachable)
                    } else {
                        Err(error)
                    }
                }
            }
        })
    }
}

/// Whether Slack says the user cannot be written to (gone, deactivated, not in the workspace).
fn is_unreachable(error: &anyhow::Error) -> bool {
    let text = error.to_string();
    [
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "account_inactive",
        "channel_not_found",
        "is_archived",
    ]
    .iter()
    .any(|code| text.ends_with(code))
}
