//! Telegram's side of the load: the Bot API's fake and the webhook's updates.

use super::{Act, Api, Load, Rule, controls};
use serde_json::{Value, json};
use std::time::Duration;
use waba_onboard::conversation::Inbound;
use wiremock::ResponseTemplate;

/// The bot's token (the bot's id before the colon).
const TOKEN: &str = "123456:LOAD-token";
/// The webhook's secret token.
const SECRET: &str = "load-secret_1";

/// `serve`'s settings for Telegram in webhook mode.
pub(super) fn env(api_url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("WABA_TELEGRAM_TOKEN", TOKEN.into()),
        ("WABA_TELEGRAM_API_URL", api_url.into()),
        (
            "WABA_TELEGRAM_WEBHOOK_URL",
            "https://bot.example/webhooks/telegram".into(),
        ),
        ("WABA_TELEGRAM_WEBHOOK_SECRET", SECRET.into()),
    ]
}

fn ok(result: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "ok": true, "result": result }))
}

fn private_chat(id: i64) -> Value {
    json!({ "id": id, "type": "private", "first_name": "Loja" })
}

/// The Bot API: every method `serve` calls for merchants, answered as Telegram does.
pub(super) fn respond(
    api: &mut Api,
    at: Duration,
    request: &wiremock::Request,
) -> ResponseTemplate {
    let path = request.url.path();
    // `/file/bot{token}/{path}`: the only file merchants send is the logo.
    if path.starts_with("/file/") {
        return ResponseTemplate::new(200).set_body_bytes(api.logo.to_vec());
    }
    // `/bot{token}/{method}`; method names are case-insensitive, teloxide capitalizes them.
    let method = path.rsplit('/').next().unwrap_or_default().to_lowercase();
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let chat = body["chat_id"].as_i64().unwrap_or_default();
    match method.as_str() {
        "sendmessage" | "editmessagetext" | "editmessagereplymarkup" => {
            let rules = [
                ("telegram".to_owned(), Rule::PerSecond(30)),
                (
                    format!("chat:{chat}"),
                    Rule::Window(1, Duration::from_secs(1)),
                ),
            ];
            if !api.admit(&rules, at) {
                return ResponseTemplate::new(429).set_body_json(json!({
                    "ok": false, "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": { "retry_after": 1 },
                }));
            }
            let id = body["message_id"].as_i64().unwrap_or_else(|| api.next_id());
            // A reply is a message sent, or a message edited to say it (not the buttons taken
            // off an answered question).
            if method != "editmessagereplymarkup" {
                api.message(&chat.to_string(), at);
            }
            if method == "sendmessage" {
                let mut data = Vec::new();
                controls(&body["reply_markup"], "callback_data", &mut data);
                if !data.is_empty() {
                    api.keyboards
                        .insert(chat.to_string(), (data, id.to_string()));
                }
            }
            ok(json!({
                "message_id": id, "date": chrono::Utc::now().timestamp(),
                "chat": private_chat(chat), "text": body["text"].as_str().unwrap_or_default(),
            }))
        }
        "answercallbackquery" | "setmycommands" | "setwebhook" | "deletewebhook" => ok(json!(true)),
        "getme" => ok(json!({
            "id": 123_456, "is_bot": true, "first_name": "Onboarding",
            "username": "waba_onboard_bot", "can_join_groups": true,
            "can_read_all_group_messages": false, "supports_inline_queries": false,
            "has_main_web_app": false,
        })),
        "getfile" => {
            let id = body["file_id"].as_str().unwrap_or("logo").to_owned();
            ok(json!({
                "file_id": id, "file_unique_id": format!("u{id}"),
                "file_size": api.logo.len(), "file_path": format!("documents/{id}.png"),
            }))
        }
        _ => api.unexpected(format!("telegram {method}")),
    }
}

/// The update Telegram sends for `said` in chat `n`, with the next update id; `None` for a
/// press of a button the chat's latest keyboard does not have.
fn update(load: &Load, n: i64, said: &Inbound) -> Option<Value> {
    let id = load.next_id();
    let date = chrono::Utc::now().timestamp();
    let language = if Load::portuguese(n) { "pt-br" } else { "en" };
    let from = json!({
        "id": n, "is_bot": false, "first_name": "Loja", "language_code": language,
    });
    let mut message = json!({
        "message_id": id, "date": date, "chat": private_chat(n), "from": from,
    });
    match said {
        Inbound::Start => message["text"] = json!("/start"),
        Inbound::Text(text) => message["text"] = json!(text),
        Inbound::File { .. } => {
            message["document"] = json!({
                "file_id": format!("logo{id}"), "file_unique_id": format!("ulogo{id}"),
                "file_size": load.logo_bytes, "file_name": "logo.png",
                "mime_type": "image/png",
            });
        }
        Inbound::Choice(key) => {
            let (data, pressed) = {
                let api = load.api.lock().unwrap();
                let (buttons, message_id) = api.keyboards.get(&n.to_string())?;
                let suffix = format!(":{key}");
                (
                    buttons.iter().find(|d| d.ends_with(&suffix))?.clone(),
                    message_id.parse::<i64>().unwrap_or_default(),
                )
            };
            return Some(json!({ "update_id": id, "callback_query": {
                "id": format!("cb{id}"), "from": from, "chat_instance": "load", "data": data,
                "message": {
                    "message_id": pressed, "date": date, "chat": private_chat(n),
                    "text": "question",
                },
            } }));
        }
        other => unreachable!("not in the script: {other:?}"),
    }
    Some(json!({ "update_id": id, "message": message }))
}

/// Merchant `n` does `act`: the update POSTed to the webhook; the next `sendMessage` to the
/// chat is the reply.
pub(super) async fn act(load: &Load, n: i64, act: &Act) -> Option<Option<Duration>> {
    let Act::Said(said) = act else {
        unreachable!("Telegram has no form: {act:?}")
    };
    let update = update(load, n, said)?;
    let at = load.now();
    let headers = [
        ("content-type", "application/json".to_owned()),
        ("X-Telegram-Bot-Api-Secret-Token", SECRET.to_owned()),
    ];
    load.post(&load.webhook, &headers, &update.to_string())
        .await?;
    Some(load.reply_after(&n.to_string(), at))
}
