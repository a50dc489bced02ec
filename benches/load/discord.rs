//! Discord's side of the load: the REST API's fake, and interactions signed with Ed25519 as
//! Discord signs them. A merchant's answer is the interaction's HTTP response, or the edit of
//! a deferred one; REST calls (the DMs of notifications) keep Discord's limits.

use super::{Act, Api, Load, Rule, controls};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};
use std::time::Duration;
use waba_onboard::conversation::Inbound;
use wiremock::ResponseTemplate;

/// The application's id.
const APPLICATION: u64 = 4242;
/// The server the merchants use the bot in.
const GUILD: u64 = 900;

/// The key interactions are signed with (its public half is `serve`'s).
pub(super) fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `serve`'s settings for Discord: the application, its public key, the REST API at `api_url`
/// (serenity's own limiter off, as with any proxy; `serve` keeps the global limit itself).
pub(super) fn env(api_url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("WABA_DISCORD_APPLICATION_ID", APPLICATION.to_string()),
        (
            "WABA_DISCORD_PUBLIC_KEY",
            hex(&signing_key().verifying_key().to_bytes()),
        ),
        ("WABA_DISCORD_TOKEN", "discord-load-token".into()),
        ("WABA_DISCORD_API_URL", api_url.into()),
        ("WABA_DISCORD_GUILD_ID", GUILD.to_string()),
    ]
}

/// What merchant `n` does on Discord, from `/onboard` to a confirmed request: the form first
/// with a wrong store account, portfolio ID and e-mail, then right; the logo as an attachment
/// of `/onboard`; the rest buttons and the category's menu.
pub(super) fn plan(n: i64) -> Vec<Act> {
    let said = |key: &str| Act::Said(Inbound::Choice(key.to_owned()));
    let form = |store: String, email: String, id: String| {
        Act::Form(vec![
            ("store_account", store),
            ("email", email),
            ("business_id", id),
            ("display_name", "Loja Azul".to_owned()),
            (
                "phone",
                format!("+55 11 9{:04}-{:04}", n / 10_000 % 10_000, n % 10_000),
            ),
        ])
    };
    vec![
        Act::Said(Inbound::Start),
        said("no"),
        Act::OpenForm,
        form(
            format!("Loja {n}"),
            format!("ana@loja{n}"),
            "12345".to_owned(),
        ),
        Act::OpenForm,
        form(
            format!("loja{n}"),
            format!("ana@loja{n}.com.br"),
            format!("{}", 100_000_000_000_000 + n),
        ),
        said("yes"),
        Act::Said(Inbound::File {
            name: "logo.png".into(),
            bytes: Vec::new(),
        }),
        said("yes"),
        said("yes"),
        said("not_in_use"),
        said("RETAIL"),
        said("skip"),
        said("verified"),
        said("confirm"),
    ]
}

fn user_json(id: u64) -> Value {
    json!({ "id": id.to_string(), "username": format!("user{id}"), "discriminator": "0",
            "global_name": null, "avatar": null })
}

fn message_json(id: i64, channel: &str, body: &Value) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel, "author": user_json(APPLICATION),
        "content": body["content"].as_str().unwrap_or_default(),
        "timestamp": "2026-11-26T15:00:00.000000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": false, "type": 0,
    })
}

/// The JSON of a request body, JSON or multipart (its `payload_json` part).
fn body_json(request: &wiremock::Request) -> Value {
    if let Ok(value) = serde_json::from_slice(&request.body) {
        return value;
    }
    let text = String::from_utf8_lossy(&request.body);
    text.split("name=\"payload_json\"")
        .nth(1)
        .and_then(|rest| rest.split("\r\n\r\n").nth(1))
        .and_then(|part| part.split("\r\n--").next())
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or(Value::Null)
}

/// The answer Discord gives above a limit: 429, `retry_after` in seconds.
fn too_many() -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("Retry-After", "1")
        .insert_header("X-RateLimit-Remaining", "0")
        .insert_header("X-RateLimit-Reset-After", "1.000")
        .set_body_json(json!({
            "message": "You are being rate limited.", "retry_after": 1.0, "global": false,
        }))
}

/// The REST API: the routes `serve` calls for merchants, answered as Discord does, within its
/// global limit (50 requests a second) and a channel's messages bucket (5 in 5 s), both from
/// [rate limits](https://discord.com/developers/docs/topics/rate-limits).
pub(super) fn respond(
    api: &mut Api,
    at: Duration,
    request: &wiremock::Request,
) -> ResponseTemplate {
    let path = request.url.path().to_owned();
    let method = request.method.to_string();
    if path.starts_with("/cdn/") {
        return ResponseTemplate::new(200).set_body_bytes(api.logo.to_vec());
    }
    let body = body_json(request);
    let segments: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let global = (
        "discord".to_owned(),
        Rule::Window(50, Duration::from_secs(1)),
    );
    match (method.as_str(), segments.as_slice()) {
        ("PUT", ["applications", ..]) => ResponseTemplate::new(200).set_body_json(json!([])),
        ("POST", ["users", "@me", "channels"]) => {
            if !api.admit(&[global], at) {
                return too_many();
            }
            // The DM channel with a user has the user's id, in this fake.
            let user = body["recipient_id"].as_str().unwrap_or("0").to_owned();
            ResponseTemplate::new(200).set_body_json(json!({
                "id": user, "type": 1, "last_message_id": null,
                "recipients": [user_json(user.parse().unwrap_or_default())],
            }))
        }
        ("POST", ["channels", channel, "messages"]) => {
            let bucket = (
                format!("channel:{channel}"),
                Rule::Window(5, Duration::from_secs(5)),
            );
            if !api.admit(&[global, bucket], at) {
                return too_many();
            }
            api.message(channel, at);
            let id = api.next_id();
            ResponseTemplate::new(200).set_body_json(message_json(id, channel, &body))
        }
        // The edit of a deferred answer: `/webhooks/{application}/{token}/messages/@original`,
        // not counted against the global limit.
        ("PATCH", ["webhooks", _, token, ..]) => {
            let token = (*token).to_owned();
            api.message(&token, at);
            api.edits.insert(token, body.clone());
            let id = api.next_id();
            ResponseTemplate::new(200).set_body_json(message_json(id, "1", &body))
        }
        _ => api.unexpected(format!("discord {method} {}", segments.join("/"))),
    }
}

/// The custom ids of the buttons and menus of an answer (its `data`).
fn ids(data: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    controls(&data["components"], "custom_id", &mut ids);
    ids
}

/// Merchant `n` does `act`, in reply to `state` (the latest answer's `data`, which it
/// replaces): the interaction signed and POSTed; its latency is the HTTP answer's, or the
/// deferred answer's edit's.
pub(super) async fn act(
    load: &Load,
    n: i64,
    act: &Act,
    state: &mut Value,
) -> Option<Option<Duration>> {
    let locale = if Load::portuguese(n) {
        "pt-BR"
    } else {
        "en-US"
    };
    let user = u64::try_from(n).unwrap_or_default();
    let id = load.next_id();
    let token = format!("token-{id}");
    let mut interaction = json!({
        "id": id.to_string(), "token": token, "application_id": APPLICATION.to_string(),
        "guild_id": GUILD.to_string(), "channel_id": "901",
        "member": {
            "user": user_json(user), "roles": [], "joined_at": "2026-01-01T00:00:00.000000+00:00",
            "deaf": false, "mute": false, "flags": 0,
        },
        "user": user_json(user), "version": 1, "app_permissions": "0", "locale": locale,
        "guild_locale": "pt-BR", "entitlements": [], "authorizing_integration_owners": {},
        "context": 0, "attachment_size_limit": 26_214_400,
    });
    let question = message_json(55, "901", &json!({ "content": "question" }));
    let controls = ids(state);
    match act {
        Act::Said(Inbound::Start) => {
            interaction["type"] = json!(2);
            interaction["data"] =
                json!({ "id": "1", "name": "onboard", "type": 1, "options": [], "resolved": {} });
        }
        Act::Said(Inbound::File { .. }) => {
            let url = format!("{}/cdn/logo.png", load.api_url);
            interaction["type"] = json!(2);
            interaction["data"] = json!({
                "id": "1", "name": "onboard", "type": 1,
                "options": [{ "name": "logo", "type": 11, "value": "31" }],
                "resolved": { "attachments": { "31": {
                    "id": "31", "filename": "logo.png", "size": load.logo_bytes, "url": url,
                    "proxy_url": url, "content_type": "image/png", "width": 640, "height": 640,
                } } },
            });
        }
        Act::Said(Inbound::Choice(key)) => {
            interaction["type"] = json!(3);
            interaction["message"] = question;
            interaction["data"] = match controls.iter().find(|c| c.ends_with(&format!(":{key}"))) {
                Some(button) => json!({ "custom_id": button, "component_type": 2 }),
                None => {
                    let menu = controls.iter().find(|c| c.starts_with("c:"))?;
                    json!({ "custom_id": menu, "component_type": 3, "values": [key] })
                }
            };
        }
        Act::OpenForm => {
            let open = controls.iter().find(|c| c.starts_with("m:"))?;
            interaction["type"] = json!(3);
            interaction["message"] = question;
            interaction["data"] = json!({ "custom_id": open, "component_type": 2 });
        }
        Act::Form(fields) => {
            let form = state["custom_id"].as_str()?;
            let rows: Vec<Value> = fields
                .iter()
                .map(|(id, value)| {
                    json!({ "type": 1, "components": [
                    { "type": 4, "custom_id": id, "value": value }] })
                })
                .collect();
            interaction["type"] = json!(5);
            interaction["message"] = question;
            interaction["data"] = json!({ "custom_id": form, "components": rows });
        }
        other => unreachable!("not in the plan: {other:?}"),
    }
    let body = interaction.to_string();
    let timestamp = chrono::Utc::now().timestamp().to_string();
    let signature = load
        .key
        .sign(format!("{timestamp}{body}").as_bytes())
        .to_bytes();
    let headers = [
        ("content-type", "application/json".to_owned()),
        ("X-Signature-Timestamp", timestamp),
        ("X-Signature-Ed25519", hex(&signature)),
    ];
    let at = load.now();
    let answer = load.post(&load.webhook, &headers, &body).await?;
    let answered = load.now() - at;
    let answer: Value = serde_json::from_slice(&answer).unwrap_or_default();
    // 5: deferred; the answer comes as the edit of the original response.
    if answer["type"] == json!(5) {
        let latency = load.wait_reply(&token, at).await;
        *state = load
            .api
            .lock()
            .unwrap()
            .edits
            .get(&token)
            .cloned()
            .unwrap_or_default();
        return Some(latency);
    }
    *state = answer["data"].clone();
    Some(Some(answered))
}
