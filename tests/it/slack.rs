//! The Slack channel against a fake Web API: signed requests posted to its router as Slack posts
//! them (events, slash commands, interactions), its calls to Slack recorded and asserted.

use crate::support::{TestClock, TestDb, answers_to_summary, png, thursday_noon};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::Arc;
use tower::ServiceExt;
use waba_onboard::channels::slack::{Settings, Slack};
use waba_onboard::conversation::Inbound;
use waba_onboard::i18n::Locale;
use waba_onboard::service::Services;
use waba_onboard::storage::{Store, UserKey};
use waba_onboard::tickets::{Delivery, Notifier};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const DM: &str = "D0AAAAAAA";

struct Harness {
    api: MockServer,
    slack: Slack,
    store: Store,
    next_event: u64,
}

impl Harness {
    async fn new(db: &TestDb) -> Harness {
        let api = MockServer::start().await;
        let ok = |body: Value| ResponseTemplate::new(200).set_body_json(body);
        Mock::given(method("POST"))
            .and(path("/api/conversations.open"))
            .respond_with(ok(json!({ "ok": true, "channel": { "id": DM } })))
            .mount(&api)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/chat.postMessage"))
            .respond_with(ok(json!({ "ok": true, "channel": DM, "ts": "1.0001" })))
            .mount(&api)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/chat.postEphemeral"))
            .respond_with(ok(json!({ "ok": true })))
            .mount(&api)
            .await;
        Mock::given(method("GET"))
            .and(path("/files/logo.png"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(png(640, 640)))
            .mount(&api)
            .await;
        let store = db.store().await;
        let clock = TestClock::at(thursday_noon());
        let settings = Settings {
            bot_token: "xoxb-test".into(),
            signing_secret: SECRET.into(),
            api_url: format!("{}/api", api.uri()),
            staff_locale: Locale::PtBr,
        };
        let slack = Slack::new(settings, Services::new(store.clone(), Arc::new(clock)));
        Harness {
            api,
            slack,
            store,
            next_event: 1,
        }
    }

    /// Posts `body` to `route`, signed now (or with `secret` at `at`).
    async fn post_signed(
        &self,
        route: &str,
        body: &str,
        content_type: &str,
        secret: &str,
        at: i64,
    ) -> (StatusCode, String) {
        let timestamp = at.to_string();
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("v0:{timestamp}:{body}").as_bytes());
        let signature: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let request = Request::post(route)
            .header("content-type", content_type)
            .header("x-slack-signature", format!("v0={signature}"))
            .header("x-slack-request-timestamp", timestamp)
            .body(Body::from(body.to_owned()))
            .unwrap();
        let response = self.slack.router().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    async fn post(&self, route: &str, body: &str, content_type: &str) -> (StatusCode, String) {
        let now = chrono::Utc::now().timestamp();
        self.post_signed(route, body, content_type, SECRET, now)
            .await
    }

    /// A message event in the app's DM, with the next event id; returns the event id.
    async fn message(&mut self, user: &str, extra: Value) -> String {
        let id = format!("Ev{:08}", self.next_event);
        self.next_event += 1;
        let mut event = json!({
            "type": "message", "channel": DM, "channel_type": "im", "user": user,
            "ts": format!("1700000000.{:06}", self.next_event),
        });
        for (key, value) in extra.as_object().unwrap() {
            event[key] = value.clone();
        }
        let body = json!({
            "type": "event_callback", "team_id": "T0001", "api_app_id": "A0001",
            "event_id": id, "event_time": 1_700_000_000, "event": event,
        });
        let (status, _) = self
            .post(
                "/webhooks/slack/events",
                &body.to_string(),
                "application/json",
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        id
    }

    async fn text(&mut self, user: &str, text: &str) -> String {
        self.message(user, json!({ "text": text })).await
    }

    /// A slash command.
    async fn command(&mut self, user: &str, command: &str) -> String {
        self.next_event += 1;
        let body = format!(
            "team_id=T0001&channel_id={DM}&user_id={user}&command=%2F{}&text=&response_url=https%3A%2F%2Fhooks.slack.test%2Fx&trigger_id=trig{}",
            command.trim_start_matches('/'),
            self.next_event
        );
        let (status, answer) = self
            .post(
                "/webhooks/slack/commands",
                &body,
                "application/x-www-form-urlencoded",
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        answer
    }

    /// A press of the button whose action id ends with `:key` in the latest message.
    async fn press(&mut self, user: &str, key: &str) {
        let action_id = self
            .buttons()
            .await
            .into_iter()
            .find(|id| id.ends_with(&format!(":{key}")))
            .unwrap_or_else(|| panic!("no button {key}"));
        self.press_id(user, &action_id).await;
    }

    async fn press_id(&mut self, user: &str, action_id: &str) -> StatusCode {
        self.next_event += 1;
        let payload = json!({
            "type": "block_actions", "team": { "id": "T0001" }, "user": { "id": user },
            "api_app_id": "A0001", "trigger_id": format!("trig{}", self.next_event),
            "container": { "type": "message", "message_ts": "1.0001", "channel_id": DM },
            "channel": { "id": DM }, "actions": [{ "type": "button", "action_id": action_id }],
        });
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("payload", &payload.to_string())
            .finish();
        let (status, _) = self
            .post(
                "/webhooks/slack/interactions",
                &body,
                "application/x-www-form-urlencoded",
            )
            .await;
        status
    }

    async fn posted(&self) -> Vec<Value> {
        self.api
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == "/api/chat.postMessage")
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect()
    }

    /// The texts the app posted, oldest first.
    async fn texts(&self) -> Vec<String> {
        self.posted()
            .await
            .iter()
            .filter_map(|p| p["text"].as_str().map(str::to_owned))
            .collect()
    }

    /// The action ids of the buttons under the latest message.
    async fn buttons(&self) -> Vec<String> {
        let posted = self.posted().await;
        let last = posted.last().cloned().unwrap_or_default();
        last["blocks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|b| b["type"] == "actions")
            .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
            .filter_map(|e| e["action_id"].as_str().map(str::to_owned))
            .collect()
    }

    async fn step(&self, user: &str) -> String {
        self.store
            .draft(&UserKey::new("slack", user))
            .await
            .unwrap()
            .map(|d| d.step.as_str().to_owned())
            .unwrap_or_default()
    }
}

#[tokio::test]
async fn a_merchant_onboards_in_the_apps_direct_messages() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = "U0ANA0001";
    let answer = h.command(ana, "/onboard").await;
    assert!(answer.contains("direct messages"), "{answer}");
    let mut answers = answers_to_summary("+55 11 98765-4321");
    answers.push(Inbound::Choice("confirm".into()));
    for answer in answers.into_iter().skip(1) {
        match answer {
            Inbound::Text(text) => {
                h.text(ana, &text).await;
            }
            Inbound::Choice(key) => h.press(ana, &key).await,
            Inbound::File { .. } => {
                let file = json!({
                    "id": "F0001", "name": "logo.png", "mimetype": "image/png",
                    "url_private_download": format!("{}/files/logo.png", h.api.uri()),
                });
                h.message(
                    ana,
                    json!({ "subtype": "file_share", "text": "", "files": [file] }),
                )
                .await;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let texts = h.texts().await;
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Done! Your request is WA-000001.")),
        "{texts:#?}"
    );
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    assert_eq!(request.requester.channel, "slack");
    assert_eq!(request.requester.user_id, ana);
    assert_eq!(request.logo_width, 640);
    // A button of an earlier question changes nothing and says so, to that user alone.
    let before = h.texts().await.len();
    assert_eq!(h.press_id(ana, "c:logo:yes").await, StatusCode::OK);
    assert_eq!(h.texts().await.len(), before);
    let ephemeral: Vec<Value> = h
        .api
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == "/api/chat.postEphemeral")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(ephemeral.len(), 1);
    assert_eq!(
        ephemeral[0]["text"],
        "That button belongs to an earlier question. Please answer the latest one."
    );
}

#[tokio::test]
async fn forged_stale_and_malformed_requests_change_nothing() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let challenge = json!({ "type": "url_verification", "token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" }).to_string();
    let (status, answer) = h
        .post("/webhooks/slack/events", &challenge, "application/json")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<Value>(&answer).unwrap()["challenge"],
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    );
    let now = chrono::Utc::now().timestamp();
    let body = json!({
        "type": "event_callback", "team_id": "T0001", "api_app_id": "A0001", "event_id": "Ev1",
        "event_time": now, "event": { "type": "message", "channel": DM, "channel_type": "im",
        "user": "U0BIA0001", "ts": "1.1", "text": "oi" },
    })
    .to_string();
    for route in [
        "/webhooks/slack/events",
        "/webhooks/slack/commands",
        "/webhooks/slack/interactions",
    ] {
        let (forged, _) = h
            .post_signed(route, &body, "application/json", "another-secret", now)
            .await;
        assert_eq!(forged, StatusCode::UNAUTHORIZED, "{route}");
        let (stale, _) = h
            .post_signed(route, &body, "application/json", SECRET, now - 600)
            .await;
        assert_eq!(stale, StatusCode::UNAUTHORIZED, "{route}");
        let (malformed, _) = h
            .post(route, "{not json", "application/x-www-form-urlencoded")
            .await;
        assert_eq!(malformed, StatusCode::BAD_REQUEST, "{route}");
    }
    assert_eq!(h.step("U0BIA0001").await, "", "nothing was read");
    assert!(h.texts().await.is_empty());
    // An unknown command gets a localized answer, to its user alone.
    let answer = h.command("U0BIA0001", "/frobnicate").await;
    assert_eq!(
        serde_json::from_str::<Value>(&answer).unwrap(),
        json!({
            "response_type": "ephemeral",
            "text": "I don’t know the command /frobnicate. The commands are /help, /back, /skip, /cancel, /restart, /language, /status and /human."
        })
    );
}

/// Slack sends an event again when the answer was slow; it is handled once, and the current
/// question asked again.
#[tokio::test]
async fn a_retried_event_is_handled_once() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let bia = "U0BIA0002";
    h.command(bia, "/cadastrar").await;
    h.press(bia, "no").await;
    let id = h.text(bia, "minhaloja").await;
    assert_eq!(h.step(bia).await, "email");
    let before = h.texts().await;
    let body = json!({
        "type": "event_callback", "team_id": "T0001", "api_app_id": "A0001", "event_id": id,
        "event_time": 1_700_000_000, "event": { "type": "message", "channel": DM,
        "channel_type": "im", "user": bia, "ts": "1.2", "text": "minhaloja" },
    })
    .to_string();
    let (status, _) = h
        .post("/webhooks/slack/events", &body, "application/json")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h.step(bia).await, "email", "not taken as the e-mail");
    let after = h.texts().await;
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after.last(), before.last(), "the e-mail question again");
}

#[tokio::test]
async fn notifications_reach_the_merchants_direct_messages_and_a_429_is_waited_out() {
    let db = TestDb::sqlite();
    let h = Harness::new(&db).await;
    h.api.reset().await;
    Mock::given(method("POST"))
        .and(path("/api/conversations.open"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "ok": true, "channel": { "id": DM } })),
        )
        .mount(&h.api)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&h.api)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "ok": true, "channel": DM, "ts": "1.1" })),
        )
        .mount(&h.api)
        .await;
    let message = waba_onboard::domain::Message::new("slack-answered-in-dm");
    let delivery = h
        .slack
        .notify(
            "U0ANA0001",
            Locale::PtBr,
            std::slice::from_ref(&message),
            thursday_noon(),
        )
        .await
        .unwrap();
    assert_eq!(delivery, Delivery::Delivered);
    let calls = h.posted().await;
    assert_eq!(calls.len(), 2, "refused once, then sent");
    assert_eq!(calls[1]["channel"], DM);
    assert_eq!(calls[1]["text"], "Respondi nas nossas mensagens diretas.");
    // A user Slack does not know is unreachable, not retried.
    h.api.reset().await;
    Mock::given(method("POST"))
        .and(path("/api/conversations.open"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "ok": false, "error": "user_not_found" })),
        )
        .mount(&h.api)
        .await;
    let delivery = h
        .slack
        .notify("U0GONE001", Locale::En, &[message], thursday_noon())
        .await
        .unwrap();
    assert_eq!(delivery, Delivery::Unreachable);
}
