//! The Discord channel, on HTTP interactions: Discord POSTs each slash command, button press,
//! select and modal submit to `POST /webhooks/discord`, signed with Ed25519; the answer is the
//! HTTP response (within Discord's 3 seconds; slower work is deferred and the answer edited in
//! afterwards). Outgoing REST calls (commands, staff posts, DMs) go through serenity's client and
//! its rate limiter.
//!
//! Merchants fill the request as a form: buttons for yes/no questions, a select menu for the
//! category, a modal for the text fields (pre-filled with what is already valid), and the logo
//! as an attachment of `/onboard`. Staff get a thread per request in the staff channel.

mod merchant;
mod staff;

use super::truncate;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::Message;
use crate::i18n::{self, Locale};
use crate::service::Services;
use crate::service::merchant::Bot;
use crate::service::outbound::{Limit, Outbound, Rate};
use crate::service::staff::Staff;
use crate::tickets::{BoxFuture, Delivery, Notifier, StaffBoard};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chrono::{DateTime, Utc};
use serenity::all::{
    ApplicationId, ChannelId, CreateActionRow, CreateAllowedMentions, CreateEmbed,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage,
    EditInteractionResponse, GuildId, Interaction, Member, RoleId, UserId,
};
use serenity::builder::Builder as _;
use serenity::http::{Http, HttpBuilder};
use serenity::interactions_endpoint::Verifier;
use std::collections::HashSet;
use std::sync::Arc;

/// The channel's name, in user keys and event ids.
pub const CHANNEL: &str = "discord";

/// Requests a second Discord takes from a bot, all routes together (its global limit).
const GLOBAL_PER_SECOND: u32 = 50;

/// Discord's limit on a message's text.
const MAX_CONTENT_CHARS: usize = 2000;
/// Discord's limit on an embed's description.
const MAX_EMBED_CHARS: usize = 4096;
/// How old a signed request may be (a replayed one is refused).
const MAX_SIGNATURE_AGE_SECS: i64 = 300;
/// Discord's error code for "Cannot send messages to this user".
const CANNOT_MESSAGE_USER: isize = 50007;
/// Discord's error code for "Unknown User".
const UNKNOWN_USER: isize = 10013;

/// The settings of the channel, from the configuration.
#[derive(Clone)]
pub struct Settings {
    /// The application.
    pub application_id: ApplicationId,
    /// The interactions signing key, in hex.
    pub public_key: String,
    /// The bot token.
    pub token: String,
    /// Where REST calls go instead of `https://discord.com` (a proxy, a fake in tests).
    pub api_url: Option<String>,
    /// Where staff threads are opened.
    pub staff_channel: Option<ChannelId>,
    /// Roles that make a member staff.
    pub staff_roles: HashSet<RoleId>,
    /// Roles that make a member a manager.
    pub manager_roles: HashSet<RoleId>,
    /// Commands registered in this guild only, rather than globally.
    pub guild: Option<GuildId>,
    /// The language of staff posts.
    pub staff_locale: Locale,
    /// serenity's rate limiter (off only when a proxy limits, or in tests).
    pub rate_limiter: bool,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("application_id", &self.application_id)
            .field("token", &"(redacted)")
            .field("api_url", &self.api_url)
            .field("staff_channel", &self.staff_channel)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// The Discord settings of a loaded configuration (parsed there); `None` unless it is
    /// enabled.
    pub fn from_config(config: &Config) -> Option<Settings> {
        let discord = config.discord_settings.as_ref()?;
        // serenity's rate limiter sends to Discord itself, whatever the proxy: with another
        // address, the limiting is left to what runs there.
        let api_url = discord
            .api_url
            .as_ref()
            .map(|url| origin(url.as_str()))
            .filter(|url| url != "https://discord.com");
        Some(Settings {
            application_id: ApplicationId::new(discord.application_id),
            public_key: discord.public_key.clone(),
            token: discord.token.expose().to_owned(),
            rate_limiter: api_url.is_none(),
            api_url,
            staff_channel: discord.staff_channel_id.map(ChannelId::new),
            staff_roles: discord
                .staff_role_ids
                .iter()
                .copied()
                .map(RoleId::new)
                .collect(),
            manager_roles: discord
                .manager_role_ids
                .iter()
                .copied()
                .map(RoleId::new)
                .collect(),
            guild: discord.guild_id.map(GuildId::new),
            staff_locale: Locale::negotiate(&config.staff_locale),
        })
    }
}

/// The origin REST calls go to: `https://discord.com/api/v10` and `https://discord.com/api` are
/// read as `https://discord.com`.
fn origin(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let url = url.strip_suffix("/api/v10").unwrap_or(url);
    url.strip_suffix("/api").unwrap_or(url).to_owned()
}

/// The verifier of a public key in hex; `None` when it is not one.
pub fn verifier(hex: &str) -> Option<Verifier> {
    Verifier::try_new(crate::config::ed25519_public_key(hex)?).ok()
}

/// What one turn of the conversation shows: the text and the controls under it.
pub(crate) struct Screen {
    pub(crate) text: String,
    pub(crate) components: Vec<CreateActionRow>,
    /// Files shown under the text (a chart), sent only when a deferred answer is edited in.
    pub(crate) files: Vec<serenity::all::CreateAttachment>,
}

impl Screen {
    /// A screen of text alone.
    pub(crate) fn text(text: String) -> Screen {
        Screen {
            text,
            components: Vec::new(),
            files: Vec::new(),
        }
    }

    /// As a new message (only its author sees it when `ephemeral`).
    pub(crate) fn message(
        self,
        ephemeral: bool,
    ) -> serenity::all::CreateInteractionResponseMessage {
        text_message(&self.text, ephemeral).components(self.components)
    }

    /// In place of the message whose button was pressed.
    pub(crate) fn update(self) -> CreateInteractionResponse {
        CreateInteractionResponse::UpdateMessage(
            text_message(&self.text, false).components(self.components),
        )
    }

    /// In place of a deferred answer.
    pub(crate) fn edit(self) -> EditInteractionResponse {
        let text = literal(&self.text);
        let mut edit = EditInteractionResponse::new()
            .components(self.components)
            .allowed_mentions(CreateAllowedMentions::new());
        for file in self.files {
            edit = edit.new_attachment(file);
        }
        if text.chars().count() <= MAX_CONTENT_CHARS {
            edit.content(text).embeds(Vec::new())
        } else {
            edit.content("").embed(
                serenity::all::CreateEmbed::new().description(truncate(&text, MAX_EMBED_CHARS)),
            )
        }
    }
}

/// Who is acting, by the roles of their guild membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Roles {
    staff: bool,
    manager: bool,
}

/// The Discord channel.
#[derive(Clone)]
pub struct Discord {
    inner: Arc<Inner>,
}

struct Inner {
    /// Work that goes on after Discord was answered (deferred answers), awaited at shutdown.
    deferred: tokio_util::task::TaskTracker,
    http: Arc<Http>,
    downloads: reqwest::Client,
    verifier: Verifier,
    service: Bot,
    staff: Staff,
    outbound: Outbound,
    clock: Arc<dyn Clock>,
    settings: Settings,
}

impl Discord {
    /// The channel on the application layer; `None` when the public key is not a key (the
    /// configuration check refuses it first).
    pub fn new(settings: Settings, services: Services) -> Option<Discord> {
        let verifier = verifier(&settings.public_key)?;
        let mut http = HttpBuilder::new(&settings.token)
            .application_id(settings.application_id)
            .ratelimiter_disabled(!settings.rate_limiter);
        if let Some(url) = &settings.api_url {
            http = http.proxy(url.clone());
        }
        let downloads = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .ok()?;
        let mut http = http.build();
        if let Some(ratelimiter) = http.ratelimiter.as_mut() {
            // Discord's global 429 holds the whole fleet off, not this process alone (serenity
            // waits it out here, then calls again).
            let outbound = services.outbound.clone();
            ratelimiter.set_ratelimit_callback(Box::new(move |info| {
                if info.global {
                    let outbound = outbound.clone();
                    tokio::spawn(async move {
                        outbound.rate_limited(CHANNEL, CHANNEL, info.timeout).await;
                    });
                }
            }));
        }
        Some(Discord {
            inner: Arc::new(Inner {
                deferred: tokio_util::task::TaskTracker::new(),
                http: Arc::new(http),
                downloads,
                verifier,
                service: services.merchant,
                staff: services.staff,
                outbound: services.outbound,
                clock: services.clock,
                settings,
            }),
        })
    }

    /// Waits for a slot of Discord's global limit (50 requests a second per bot,
    /// [rate limits](https://discord.com/developers/docs/topics/rate-limits#global-rate-limit))
    /// in the fleet's budget, before a request that counts against it. Interaction responses do
    /// not count, so merchants' answers do not wait here; each route's own bucket is serenity's,
    /// read from the headers Discord sends every instance.
    pub(crate) async fn pace(&self) -> anyhow::Result<()> {
        self.inner
            .outbound
            .pace(
                CHANNEL,
                &[Limit::overall(CHANNEL, Rate::per_second(GLOBAL_PER_SECOND))],
            )
            .await?;
        Ok(())
    }

    /// Registers the commands (bulk overwrite), in the configured guild or globally.
    pub async fn setup(&self) -> anyhow::Result<()> {
        if !self.inner.settings.rate_limiter {
            tracing::warn!(
                "discord.api_url set: serenity's rate limiter is off, the proxy there limits"
            );
        }
        let commands = merchant::commands();
        match self.inner.settings.guild {
            Some(guild) => {
                guild.set_commands(&self.inner.http, commands).await?;
            }
            None => {
                serenity::all::Command::set_global_commands(&self.inner.http, commands).await?;
            }
        }
        tracing::info!("Discord commands registered");
        Ok(())
    }

    /// Waits (up to `grace`) for the deferred answers still being prepared.
    pub async fn finish(&self, grace: std::time::Duration) {
        self.inner.deferred.close();
        if tokio::time::timeout(grace, self.inner.deferred.wait())
            .await
            .is_err()
        {
            tracing::warn!("deferred Discord answers still running at shutdown");
        }
    }

    /// Runs `work` after Discord was answered with a deferral, and puts its screen in the
    /// answer's place (a few tries: Discord may not have recorded the deferral yet).
    fn deferred(
        &self,
        token: String,
        work: impl std::future::Future<Output = Screen> + Send + 'static,
    ) {
        let http = self.inner.http.clone();
        self.inner.deferred.spawn(async move {
            let screen = work.await;
            let edit = screen.edit();
            for attempt in 0..4u32 {
                match edit.clone().execute(&*http, &token).await {
                    Ok(_) => return,
                    Err(error) if attempt < 3 => {
                        tracing::debug!(error = %error, "deferred answer not edited yet; trying again");
                        tokio::time::sleep(std::time::Duration::from_millis(250 << attempt)).await;
                    }
                    Err(error) => tracing::warn!(error = %error, "cannot edit a deferred answer"),
                }
            }
        });
    }

    /// `POST /webhooks/discord`, the interactions endpoint.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/webhooks/discord", post(endpoint))
            .with_state(self.clone())
    }

    /// The notifier of Discord merchants (by direct message).
    pub fn notifier(&self) -> Arc<dyn Notifier> {
        Arc::new(self.clone())
    }

    /// The staff board, when a staff channel is configured.
    pub fn board(&self) -> Option<Arc<dyn StaffBoard>> {
        self.inner
            .settings
            .staff_channel
            .map(|_| Arc::new(self.clone()) as Arc<dyn StaffBoard>)
    }

    /// Whether a signed request is Discord's and recent.
    fn authentic(&self, headers: &HeaderMap, body: &[u8]) -> bool {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let (Some(signature), Some(timestamp)) = (
            header("x-signature-ed25519"),
            header("x-signature-timestamp"),
        ) else {
            return false;
        };
        let fresh = timestamp.parse::<i64>().is_ok_and(|sent| {
            self.inner.clock.now().timestamp().abs_diff(sent)
                <= MAX_SIGNATURE_AGE_SECS.unsigned_abs()
        });
        fresh
            && self
                .inner
                .verifier
                .verify(signature, timestamp, body)
                .is_ok()
    }

    /// Answers one interaction.
    async fn interaction(
        &self,
        interaction: Interaction,
    ) -> anyhow::Result<CreateInteractionResponse> {
        match interaction {
            Interaction::Ping(_) => Ok(CreateInteractionResponse::Pong),
            Interaction::Command(command) => self.command(command).await,
            // Staff buttons and reason forms carry their own prefixes; the rest are merchants'.
            Interaction::Component(component) if staff::is_staff_component(&component) => {
                self.staff_component(&component).await
            }
            Interaction::Component(component) => self.component(component).await,
            Interaction::Modal(modal) if staff::is_staff_modal(&modal) => {
                self.staff_reason(&modal).await
            }
            Interaction::Modal(modal) => self.modal(modal).await,
            Interaction::Autocomplete(_) => Ok(CreateInteractionResponse::Autocomplete(
                serenity::all::CreateAutocompleteResponse::new(),
            )),
            // Interaction is non-exhaustive: a kind Discord adds later is answered politely.
            _ => Ok(notice(Locale::En, Message::new("discord-unknown"), true)),
        }
    }

    /// The roles of a guild member.
    fn roles(&self, member: Option<&Member>) -> Roles {
        let has = |wanted: &HashSet<RoleId>| {
            member.is_some_and(|m| m.roles.iter().any(|r| wanted.contains(r)))
        };
        Roles {
            staff: has(&self.inner.settings.staff_roles),
            manager: has(&self.inner.settings.manager_roles),
        }
    }
}

/// The locale of a Discord user's client (`pt-BR`, `en-US`).
fn locale_of(locale: &str) -> Locale {
    Locale::negotiate(locale)
}

/// An answer only the person who acted sees.
/// `text` as Discord is to show it, letter for letter: the characters of Discord's markdown
/// (<https://support.discord.com/hc/en-us/articles/210298617>) escaped with a backslash, and the
/// markers a line may start with (`#` heading, `>` quote, `-` list) too. Every text the bot
/// sends goes through here, so that no value a person typed (`**Loja**`, a masked link
/// `[pague aqui](https://…)`) is formatted or linked; mentions are kept from pinging by
/// `allowed_mentions`, set empty on every message.
pub(crate) fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        out.push_str(&line[..line.len() - body.len()]);
        if body.starts_with(['#', '>', '-']) {
            out.push('\\');
        }
        for c in body.chars() {
            if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

fn notice(locale: Locale, message: Message, ephemeral: bool) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(text_message(&i18n::render(locale, &message), ephemeral))
}

/// A message with `text`: as content when it fits, in an embed when it is longer. Both are
/// always set, so that a message updated in place keeps nothing of what it said before.
fn text_message(text: &str, ephemeral: bool) -> CreateInteractionResponseMessage {
    let text = literal(text);
    let message =
        CreateInteractionResponseMessage::new().allowed_mentions(CreateAllowedMentions::new());
    let message = if ephemeral {
        message.ephemeral(true)
    } else {
        message
    };
    if text.chars().count() <= MAX_CONTENT_CHARS {
        message.content(text).embeds(Vec::new())
    } else {
        message.content("").embeds(vec![
            CreateEmbed::new().description(truncate(&text, MAX_EMBED_CHARS)),
        ])
    }
}

fn json_response(response: &CreateInteractionResponse) -> Response {
    match serde_json::to_vec(response) {
        Ok(body) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(error = %error, "cannot serialize an interaction response");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn endpoint(State(discord): State<Discord>, headers: HeaderMap, body: Bytes) -> Response {
    if !discord.authentic(&headers, &body) {
        tracing::warn!("Discord interaction with a bad or stale signature refused");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let interaction: Interaction = match serde_json::from_slice(&body) {
        Ok(interaction) => interaction,
        Err(error) => {
            tracing::warn!(error = %error, "malformed Discord interaction refused");
            return StatusCode::BAD_REQUEST.into_response();
        }
    };
    let id = interaction.id();
    match discord.interaction(interaction).await {
        Ok(response) => json_response(&response),
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), interaction = %id, "Discord interaction failed");
            json_response(&notice(Locale::En, Message::new("error-internal"), true))
        }
    }
}

/// Discord's error codes for "Unknown Channel" and "Unknown Message".
const UNKNOWN_CHANNEL: isize = 10003;
const UNKNOWN_MESSAGE: isize = 10008;

/// Whether a REST error means the message or channel no longer exists.
fn is_gone(error: &serenity::Error) -> bool {
    match error {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response)) => {
            matches!(response.error.code, UNKNOWN_CHANNEL | UNKNOWN_MESSAGE)
        }
        _ => false,
    }
}

/// Whether a REST error means the user cannot be written to.
fn is_unreachable(error: &serenity::Error) -> bool {
    match error {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response)) => {
            matches!(response.error.code, CANNOT_MESSAGE_USER | UNKNOWN_USER)
        }
        _ => false,
    }
}

impl Notifier for Discord {
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
            let user = match user_id.parse::<u64>() {
                Ok(id) if id != 0 => UserId::new(id),
                _ => anyhow::bail!("not a Discord user id"),
            };
            let text = messages
                .iter()
                .map(|m| i18n::render(locale, m))
                .collect::<Vec<_>>()
                .join("\n\n");
            self.pace().await?;
            let dm = match user.create_dm_channel(&self.inner.http).await {
                Ok(dm) => dm,
                Err(error) if is_unreachable(&error) => return Ok(Delivery::Unreachable),
                Err(error) => return Err(error.into()),
            };
            let text = literal(&text);
            let message = if text.chars().count() <= MAX_CONTENT_CHARS {
                CreateMessage::new().content(text)
            } else {
                CreateMessage::new()
                    .embed(CreateEmbed::new().description(truncate(&text, MAX_EMBED_CHARS)))
            }
            .allowed_mentions(CreateAllowedMentions::new());
            self.pace().await?;
            match dm.id.send_message(&self.inner.http, message).await {
                Ok(_) => Ok(Delivery::Delivered),
                Err(error) if is_unreachable(&error) => Ok(Delivery::Unreachable),
                Err(error) => Err(error.into()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_shown_letter_for_letter() {
        assert_eq!(
            literal("**Loja** [pague](https://x.example) ~a~ `b` _c_ ||d|| \\"),
            "\\*\\*Loja\\*\\* \\[pague\\](https://x.example) \\~a\\~ \\`b\\` \\_c\\_ \\|\\|d\\|\\| \\\\"
        );
        assert_eq!(
            literal("# Título\n> citação\n- item\n  -x"),
            "\\# Título\n\\> citação\n\\- item\n  \\-x"
        );
        assert_eq!(literal("Loja Azul • 100%"), "Loja Azul • 100%");
    }

    #[test]
    fn the_api_url_is_read_as_an_origin() {
        assert_eq!(
            origin("https://discord.com/api/v10/"),
            "https://discord.com"
        );
        assert_eq!(origin("http://127.0.0.1:9000/api"), "http://127.0.0.1:9000");
        assert_eq!(origin("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
    }

    #[test]
    fn only_a_64_digit_hex_key_is_a_key() {
        let valid = "67c6bd767ca099e79efac9fcce4d2022a63bf7dea780e7f3d813f694c1597089";
        assert!(verifier(valid).is_some());
        assert!(verifier(&valid[..62]).is_none());
        assert!(verifier(&valid.replace('6', "g")).is_none());
        assert!(verifier("é").is_none());
        assert!(verifier(&"é".repeat(32)).is_none());
    }

    #[test]
    fn long_texts_go_in_an_embed_cut_at_its_limit() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
    }
}
