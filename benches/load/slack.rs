//! Slack's side of the load: the Web API's fake, and the Events API and interactivity
//! requests, signed as Slack signs them.

use super::{Act, Api, Load, Rule, controls};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::time::Duration;
use waba_onboard::conversation::Inbound;
use wiremock::ResponseTemplate;

/// The app's signing secret.
const SECRET: &str = "load-signing-secret";
/// A minute, the window of Slack's tiers.
const MINUTE: Duration = Duration::from_secs(60);

/// Merchant `n`'s Slack user id.
pub(super) fn user(n: i64) -> String {
    format!("U{n}")
}

/// The direct-message channel between merchant `n` and the app.
pub(super) fn dm(n: i64) -> String {
    format!("D{n}")
}

/// `serve`'s settings for Slack over HTTP (no Socket Mode), no staff channel.
pub(super) fn env(api_url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("WABA_SLACK_BOT_TOKEN", "xoxb-load".into()),
        ("WABA_SLACK_SIGNING_SECRET", SECRET.into()),
        ("WABA_SLACK_API_URL", format!("{api_url}/api")),
    ]
}

fn ok(body: Value) -> ResponseTemplate {
    let mut body = body;
    body["ok"] = json!(true);
    ResponseTemplate::new(200).set_body_json(body)
}

/// The JSON of a Web API call: a JSON body, or a form's fields.
fn body_of(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or_else(|_| {
        let fields: serde_json::Map<String, Value> = url::form_urlencoded::parse(&request.body)
            .map(|(k, v)| (k.into_owned(), json!(v.into_owned())))
            .collect();
        Value::Object(fields)
    })
}

/// The Web API: every method `serve` calls for merchants, answered as Slack does, within its
/// tiers ([rate limits](https://api.slack.com/apis/rate-limits)).
pub(super) fn respond(
    api: &mut Api,
    at: Duration,
    request: &wiremock::Request,
) -> ResponseTemplate {
    let path = request.url.path();
    if path.starts_with("/files/") {
        return ResponseTemplate::new(200).set_body_bytes(api.logo.to_vec());
    }
    let Some(method) = path.strip_prefix("/api/") else {
        return api.unexpected(format!("slack {path}"));
    };
    let body = body_of(request);
    let channel = body["channel"].as_str().unwrap_or_default().to_owned();
    let rule = match method {
        "chat.postMessage" => Some((
            format!("channel:{channel}"),
            Rule::Window(1, Duration::from_secs(1)),
        )),
        "chat.update" | "conversations.open" => Some((method.to_owned(), Rule::Window(50, MINUTE))),
        "users.info" | "chat.postEphemeral" | "views.open" | "views.publish" => {
            Some((method.to_owned(), Rule::Window(100, MINUTE)))
        }
        _ => None,
    };
    if let Some(rule) = rule
        && !api.admit(&[rule], at)
    {
        return ResponseTemplate::new(429)
            .insert_header("Retry-After", "1")
            .set_body_json(json!({ "ok": false, "error": "ratelimited" }));
    }
    match method {
        "chat.postMessage" => {
            api.message(&channel, at);
            let ts = format!("{}.{:06}", 1_700_000_000 + at.as_secs(), api.next_id());
            let mut ids = Vec::new();
            controls(&body["blocks"], "action_id", &mut ids);
            if !ids.is_empty() {
                api.keyboards.insert(channel.clone(), (ids, ts.clone()));
            }
            ok(json!({ "channel": channel, "ts": ts }))
        }
        "chat.update" => ok(json!({ "channel": channel, "ts": body["ts"] })),
        "conversations.open" => {
            let user = body["users"].as_str().unwrap_or_default();
            let dm = format!("D{}", user.trim_start_matches('U'));
            ok(json!({ "channel": { "id": dm } }))
        }
        "users.info" => {
            let user = body["user"].as_str().unwrap_or_default();
            let n: i64 = user.trim_start_matches('U').parse().unwrap_or_default();
            let locale = if Load::portuguese(n) {
                "pt-BR"
            } else {
                "en-US"
            };
            ok(json!({ "user": { "id": user, "locale": locale } }))
        }
        "views.open" => ok(json!({ "view": { "id": format!("V{}", api.next_id()) } })),
        "chat.postEphemeral" | "views.publish" => ok(json!({})),
        _ => api.unexpected(format!("slack {method}")),
    }
}

/// The signature headers of a request with `body`, made now.
fn signed(body: &str, content_type: &str) -> Vec<(&'static str, String)> {
    let timestamp = chrono::Utc::now().timestamp().to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("v0:{timestamp}:{body}").as_bytes());
    let signature: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    vec![
        ("content-type", content_type.to_owned()),
        ("x-slack-signature", format!("v0={signature}")),
        ("x-slack-request-timestamp", timestamp),
    ]
}

/// Merchant `n` does `act` in the app's DM: `/onboard` as a slash command, a message or a file
/// as an Events API event, a press as a block action. The next `chat.postMessage` to the DM is
/// the reply.
pub(super) async fn act(load: &Load, n: i64, act: &Act) -> Option<Option<Duration>> {
    let Act::Said(said) = act else {
        unreachable!("Slack merchants chat in the DM: {act:?}")
    };
    let id = load.next_id();
    let (user, channel) = (user(n), dm(n));
    let form = "application/x-www-form-urlencoded";
    let event = |extra: Value| {
        let mut event = json!({
            "type": "message", "channel": channel, "channel_type": "im", "user": user,
            "ts": format!("1700000000.{id:06}"),
        });
        for (key, value) in extra.as_object().into_iter().flatten() {
            event[key] = value.clone();
        }
        json!({
            "type": "event_callback", "team_id": "T0001", "api_app_id": "A0001",
            "event_id": format!("Ev{id:010}"), "event_time": 1_700_000_000, "event": event,
        })
        .to_string()
    };
    let (route, body, content_type) = match said {
        Inbound::Start => (
            "commands",
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("team_id", "T0001")
                .append_pair("channel_id", &channel)
                .append_pair("user_id", &user)
                .append_pair("command", "/onboard")
                .append_pair("text", "")
                .append_pair("response_url", "https://hooks.slack.test/x")
                .append_pair("trigger_id", &format!("trig{id}"))
                .finish(),
            form,
        ),
        Inbound::Text(text) => ("events", event(json!({ "text": text })), "application/json"),
        Inbound::File { .. } => {
            let file = json!({
                "id": format!("F{id}"), "name": "logo.png", "mimetype": "image/png",
                "url_private_download": format!("{}/files/logo.png", load.api_url),
            });
            (
                "events",
                event(json!({ "subtype": "file_share", "text": "", "files": [file] })),
                "application/json",
            )
        }
        Inbound::Choice(key) => {
            let (controls, ts) = {
                let api = load.api.lock().unwrap();
                api.keyboards.get(&channel)?.clone()
            };
            let action = match controls.iter().find(|c| c.ends_with(&format!(":{key}"))) {
                Some(button) => json!({ "type": "button", "action_id": button, "value": key }),
                None => {
                    let menu = controls.iter().find(|c| c.ends_with(":menu"))?;
                    json!({ "type": "static_select", "action_id": menu, "selected_option": {
                        "text": { "type": "plain_text", "text": key }, "value": key } })
                }
            };
            let payload = json!({
                "type": "block_actions", "team": { "id": "T0001" }, "user": { "id": user },
                "api_app_id": "A0001", "trigger_id": format!("trig{id}"),
                "container": { "type": "message", "message_ts": ts, "channel_id": channel },
                "channel": { "id": channel }, "actions": [action],
            });
            (
                "interactions",
                url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("payload", &payload.to_string())
                    .finish(),
                form,
            )
        }
        other => unreachable!("not in the script: {other:?}"),
    };
    let at = load.now();
    let url = format!("{}/{route}", load.webhook);
    load.post(&url, &signed(&body, content_type), &body).await?;
    Some(load.wait_reply(&channel, at).await)
}
