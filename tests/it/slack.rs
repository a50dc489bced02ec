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
use waba_onboard::tickets::{BuiltinDesk, Delivery, Notifier, RetryPolicy, Worker};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const DM: &str = "D0AAAAAAA";
const STAFF_CHANNEL: &str = "C0STAFF01";
const STAFF: &str = "U0STAFF01";
/// In the staff user group, not listed.
const GROUP_STAFF: &str = "U0STAFF02";
const MANAGER: &str = "U0MANAGER";

struct Harness {
    api: MockServer,
    slack: Slack,
    store: Store,
    clock: TestClock,
    next_event: u64,
}

impl Harness {
    async fn new(db: &TestDb) -> Harness {
        Harness::build(db, None).await
    }

    async fn build(db: &TestDb, app_token: Option<&str>) -> Harness {
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
        for (route, body) in [
            (
                "/api/chat.update",
                json!({ "ok": true, "channel": STAFF_CHANNEL, "ts": "2.0001" }),
            ),
            (
                "/api/views.open",
                json!({ "ok": true, "view": { "id": "V1" } }),
            ),
            (
                "/api/usergroups.users.list",
                json!({ "ok": true, "users": [GROUP_STAFF] }),
            ),
            (
                "/api/files.getUploadURLExternal",
                json!({ "ok": true, "upload_url": format!("{}/upload/F9", api.uri()), "file_id": "F9" }),
            ),
            (
                "/api/files.completeUploadExternal",
                json!({ "ok": true, "files": [] }),
            ),
        ] {
            Mock::given(method("POST"))
                .and(path(route))
                .respond_with(ok(body))
                .mount(&api)
                .await;
        }
        Mock::given(method("POST"))
            .and(path("/upload/F9"))
            .respond_with(ResponseTemplate::new(200))
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
            staff_channel: Some(STAFF_CHANNEL.into()),
            staff_users: vec![STAFF.into()],
            staff_usergroup: Some("S0SUPPORT".into()),
            manager_users: vec![MANAGER.into()],
            app_token: app_token.map(str::to_owned),
        };
        let slack = Slack::new(
            settings,
            Services::new(store.clone(), Arc::new(clock.clone())),
        );
        Harness {
            api,
            slack,
            store,
            clock,
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
    /// A press of the button whose action id ends with `:key` in the latest message, or the
    /// pick of `key` in its menu.
    async fn press(&mut self, user: &str, key: &str) {
        let controls = self.buttons().await;
        if let Some(button) = controls.iter().find(|id| id.ends_with(&format!(":{key}"))) {
            self.press_id(user, &button.clone()).await;
            return;
        }
        let menu = controls
            .iter()
            .find(|id| id.ends_with(":menu"))
            .unwrap_or_else(|| panic!("no button or menu for {key}: {controls:?}"))
            .clone();
        self.act(
            user,
            json!({ "type": "static_select", "action_id": menu,
            "selected_option": { "text": { "type": "plain_text", "text": key }, "value": key } }),
        )
        .await;
    }

    async fn press_id(&mut self, user: &str, action_id: &str) -> StatusCode {
        self.act(user, json!({ "type": "button", "action_id": action_id }))
            .await
    }

    async fn act(&mut self, user: &str, action: Value) -> StatusCode {
        self.next_event += 1;
        let payload = json!({
            "type": "block_actions", "team": { "id": "T0001" }, "user": { "id": user },
            "api_app_id": "A0001", "trigger_id": format!("trig{}", self.next_event),
            "container": { "type": "message", "message_ts": "1.0001", "channel_id": DM },
            "channel": { "id": DM }, "actions": [action],
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

    /// A merchant confirms a request from `/onboard` on (the logo as a shared file).
    async fn onboard(&mut self, user: &str) {
        self.command(user, "/onboard").await;
        let mut answers = answers_to_summary("+55 11 98765-4321");
        answers.push(Inbound::Choice("confirm".into()));
        for answer in answers.into_iter().skip(1) {
            match answer {
                Inbound::Text(text) => {
                    self.text(user, &text).await;
                }
                Inbound::Choice(key) => self.press(user, &key).await,
                Inbound::File { .. } => {
                    let file = json!({
                        "id": "F0001", "name": "logo.png", "mimetype": "image/png",
                        "url_private_download": format!("{}/files/logo.png", self.api.uri()),
                    });
                    self.message(
                        user,
                        json!({ "subtype": "file_share", "text": "", "files": [file] }),
                    )
                    .await;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn worker(&self) -> Worker {
        Worker::new(
            self.store.clone(),
            Arc::new(BuiltinDesk),
            vec![self.slack.notifier()],
            Arc::new(self.clock.clone()),
            RetryPolicy::default(),
        )
        .with_boards(self.slack.board().into_iter().collect())
    }

    /// The bodies of the calls to a Web API method.
    async fn calls(&self, route: &str) -> Vec<Value> {
        self.api
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == route)
            .map(|r| {
                serde_json::from_slice(&r.body).unwrap_or_else(|_| {
                    Value::String(String::from_utf8_lossy(&r.body).into_owned())
                })
            })
            .collect()
    }

    /// A modal submitted by `user`.
    async fn submit(&mut self, user: &str, callback: &str, values: Value) -> (StatusCode, String) {
        self.next_event += 1;
        let payload = json!({
            "type": "view_submission", "team": { "id": "T0001" }, "user": { "id": user },
            "view": {
                "id": format!("V{}", self.next_event), "team_id": "T0001", "type": "modal",
                "title": { "type": "plain_text", "text": "x" }, "blocks": [],
                "callback_id": callback, "hash": "h", "state": { "values": values },
            },
        });
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("payload", &payload.to_string())
            .finish();
        self.post(
            "/webhooks/slack/interactions",
            &body,
            "application/x-www-form-urlencoded",
        )
        .await
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
    h.onboard(ana).await;
    let texts = h.texts().await;
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Done! Your request is WA-000001.")),
        "{texts:#?}"
    );
    // One message a turn (Slack takes about one a second per channel): the welcome and the
    // first question together.
    assert!(
        texts[0].starts_with("Hi! I’m the WhatsApp onboarding assistant")
            && texts[0].ends_with("with us or with another partner?"),
        "{:?}",
        texts[0]
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
            "text": "I don’t know /frobnicate. Type /waba and one of: help, back, skip, cancel, restart, language, human; /onboard starts or continues your request, /waba-status shows where it stands."
        })
    );
}

/// The conversation's commands are words after `/waba`, in either language.
#[tokio::test]
async fn the_conversations_commands_are_words_after_waba() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let eva = "U0EVA0001";
    h.command(eva, "/onboard").await;
    h.press(eva, "no").await;
    assert_eq!(h.step(eva).await, "store_account");
    let answer = waba(&mut h, eva, "voltar").await;
    assert!(answer.contains("direct messages"), "{answer}");
    assert_eq!(h.step(eva).await, "existing_account");
    let answer = waba(&mut h, eva, "frobnicate").await;
    assert_eq!(
        serde_json::from_str::<Value>(&answer).unwrap()["text"],
        "I don’t know /frobnicate. Type /waba and one of: help, back, skip, cancel, restart, language, human; /onboard starts or continues your request, /waba-status shows where it stands."
    );
}

async fn waba(h: &mut Harness, user: &str, word: &str) -> String {
    h.next_event += 1;
    let body = format!(
        "team_id=T0001&channel_id={DM}&user_id={user}&command=%2Fwaba&text={word}&response_url=https%3A%2F%2Fhooks.slack.test%2Fx&trigger_id=trig{}",
        h.next_event
    );
    let (status, answer) = h
        .post(
            "/webhooks/slack/commands",
            &body,
            "application/x-www-form-urlencoded",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
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

/// Staff work a request in the staff channel: posted with its buttons and its logo in the
/// thread, moved by a button (the post updated, the merchant told), a fix asked through the
/// modal with its errors shown under the fields; anyone else is refused; managers query.
#[tokio::test]
async fn staff_work_a_request_in_the_staff_channel() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = "U0ANA0003";
    h.onboard(ana).await;
    h.worker().run_until_idle().await.unwrap();
    let posts: Vec<Value> = h
        .posted()
        .await
        .into_iter()
        .filter(|p| p["channel"] == STAFF_CHANNEL)
        .collect();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    assert_eq!(posts[0]["text"], "Solicitação WA-000001: enviada");
    assert_eq!(posts[0]["blocks"][0]["type"], "header");
    let body = posts[0]["blocks"][1]["text"]["text"].as_str().unwrap();
    assert!(body.contains("Conta da loja: minhaloja"), "{body}");
    let buttons: Vec<&str> = posts[0]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().unwrap())
        .filter_map(|e| e["action_id"].as_str())
        .collect();
    assert!(buttons.contains(&"s:in_review:WA-000001"), "{buttons:?}");
    let completed = h.calls("/api/files.completeUploadExternal").await;
    assert_eq!(completed.len(), 1, "the logo, once");
    assert_eq!(completed[0]["channel_id"], STAFF_CHANNEL);
    assert_eq!(completed[0]["thread_ts"], "1.0001");

    // Someone who is not staff is refused, to them alone, and nothing moves.
    assert_eq!(
        h.press_id("U0NOBODY1", "s:in_review:WA-000001").await,
        StatusCode::OK
    );
    let refused = h.calls("/api/chat.postEphemeral").await;
    assert_eq!(
        refused.last().unwrap()["text"],
        "Só a equipe de suporte pode fazer isso."
    );
    assert_eq!(refused.last().unwrap()["user"], "U0NOBODY1");
    let store = h.store.clone();
    let status = || async { store.request("WA-000001").await.unwrap().unwrap().status };
    assert_eq!(status().await, "submitted");
    // A member of the staff user group moves it; the post is updated, the merchant told.
    h.press_id(GROUP_STAFF, "s:in_review:WA-000001").await;
    assert_eq!(status().await, "in_review");
    h.worker().run_until_idle().await.unwrap();
    let updates = h.calls("/api/chat.update").await;
    assert_eq!(
        updates.last().unwrap()["text"],
        "Solicitação WA-000001: em análise"
    );
    let told: Vec<Value> = h
        .posted()
        .await
        .into_iter()
        .filter(|p| p["channel"] == DM)
        .collect();
    assert!(
        told.last().unwrap()["text"]
            .as_str()
            .unwrap()
            .contains("WA-000001"),
        "{told:#?}"
    );
    // Asking a fix opens the modal; its errors show under the fields; then it is asked.
    h.press_id(STAFF, "s:needs_info:WA-000001").await;
    let opened = h.calls("/api/views.open").await;
    assert_eq!(
        opened.last().unwrap()["view"]["callback_id"],
        "r:needs_info:WA-000001"
    );
    let (status_code, answer) = h
        .submit(
            STAFF,
            "r:needs_info:WA-000001",
            json!({ "reason": { "reason": { "type": "plain_text_input", "value": "Logo novo, por favor" } },
                    "fields": { "fields": { "type": "checkboxes", "selected_options": [] } } }),
        )
        .await;
    assert_eq!(status_code, StatusCode::OK);
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["response_action"], "errors");
    assert_eq!(
        answer["errors"]["fields"],
        "Escolha pelo menos um campo para o lojista corrigir."
    );
    let (_, answer) = h
        .submit(
            STAFF,
            "r:needs_info:WA-000001",
            json!({ "reason": { "reason": { "type": "plain_text_input", "value": "ok" } },
                    "fields": { "fields": { "type": "checkboxes", "selected_options": [{ "text": { "type": "plain_text", "text": "Logotipo" }, "value": "logo" }] } } }),
        )
        .await;
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(
        answer["errors"]["reason"],
        "Falta o motivo: escreva algumas palavras explicando (um comando não vale como motivo)."
    );
    assert_eq!(status().await, "in_review");
    let (status_code, answer) = h
        .submit(
            STAFF,
            "r:needs_info:WA-000001",
            json!({ "reason": { "reason": { "type": "plain_text_input", "value": "O logotipo está cortado" } },
                    "fields": { "fields": { "type": "checkboxes", "selected_options": [{ "text": { "type": "plain_text", "text": "Logotipo" }, "value": "logo" }] } } }),
        )
        .await;
    assert_eq!((status_code, answer.as_str()), (StatusCode::OK, ""));
    assert_eq!(status().await, "needs_info");
    // Managers query; anyone else is refused.
    let pending = h.command(MANAGER, "/waba-pending").await;
    let pending: Value = serde_json::from_str(&pending).unwrap();
    assert_eq!(pending["response_type"], "ephemeral");
    assert!(
        pending["text"].as_str().unwrap().contains("WA-000001"),
        "{pending}"
    );
    // `/waba-stats`: the text to the manager alone, the chart in their direct messages.
    let stats: Value = serde_json::from_str(&h.command(MANAGER, "/waba-stats").await).unwrap();
    assert_eq!(stats["response_type"], "ephemeral");
    assert!(
        stats["text"].as_str().unwrap().starts_with("Funil de "),
        "{stats}"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let completed = loop {
        let completed = h.calls("/api/files.completeUploadExternal").await;
        if completed
            .iter()
            .any(|c| c["files"][0]["title"] == "pipeline.png")
        {
            break completed;
        }
        assert!(std::time::Instant::now() < deadline, "no chart uploaded");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let chart = completed
        .iter()
        .find(|c| c["files"][0]["title"] == "pipeline.png")
        .unwrap();
    assert!(chart["thread_ts"].is_null(), "{chart}");
    let uploads = h.api.received_requests().await.unwrap();
    assert!(
        uploads
            .iter()
            .any(|r| r.url.path() == "/upload/F9" && r.body.starts_with(b"\x89PNG\r\n\x1a\n")),
        "the PNG's bytes were uploaded"
    );
    let refused: Value =
        serde_json::from_str(&h.command("U0NOBODY1", "/waba-stats").await).unwrap();
    assert_eq!(
        refused["text"],
        "Só a equipe de suporte e os gestores podem consultar isso."
    );
}

/// `/onboard` opens the form of the text answers; a refused field is shown under it and nothing
/// is kept; sent valid, the answers are kept and the conversation goes on in the DM. The App
/// Home shows the merchant's requests.
#[tokio::test]
async fn the_form_shows_each_refusal_under_its_field_and_the_home_tab_lists_requests() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let caio = "U0CAIO001";
    h.command(caio, "/cadastrar").await;
    let opened = h.calls("/api/views.open").await;
    assert_eq!(opened.last().unwrap()["view"]["callback_id"], "m:1");
    let field = |value: &str| json!({ "type": "plain_text_input", "value": value });
    let values = |email: &str, phone: &str| {
        json!({
            "store_account": { "store_account": field("minhaloja") },
            "email": { "email": field(email) },
            "business_id": { "business_id": field("https://business.facebook.com/settings/info?business_id=123456789012345") },
            "display_name": { "display_name": field("Loja Azul") },
            "phone": { "phone": field(phone) },
        })
    };
    let (status, answer) = h.submit(caio, "m:1", values("ana@", "190")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<Value>(&answer).unwrap(),
        json!({ "response_action": "errors", "errors": {
            "email": "Isso não parece um endereço de e-mail. Exemplo: contato@minhaloja.com.br",
            "phone": "190 é um número curto (de emergência, de serviço ou de SMS). O WhatsApp precisa de um número de telefone completo, com DDD.",
        } })
    );
    let draft = h
        .store
        .draft(&UserKey::new("slack", caio))
        .await
        .unwrap()
        .unwrap();
    assert!(draft.answers.store_account.is_none(), "nothing kept");
    let (status, answer) = h
        .submit(
            caio,
            "m:1",
            values("ana@minhaloja.com.br", "(11) 98765-4321"),
        )
        .await;
    assert_eq!((status, answer.as_str()), (StatusCode::OK, ""));
    let draft = h
        .store
        .draft(&UserKey::new("slack", caio))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        draft.answers.business_id.unwrap().value.as_str(),
        "123456789012345"
    );
    assert_eq!(draft.answers.phone.unwrap().value.e164(), "+5511987654321");
    assert_eq!(
        draft.step.as_str(),
        "existing_account",
        "the closed questions go on in the DM"
    );
    // The App Home, before any request.
    let opened = json!({
        "type": "event_callback", "team_id": "T0001", "api_app_id": "A0001", "event_id": "EvHome1",
        "event_time": 1_700_000_000, "event": { "type": "app_home_opened", "user": caio, "channel": DM, "tab": "home" },
    })
    .to_string();
    let (status, _) = h
        .post("/webhooks/slack/events", &opened, "application/json")
        .await;
    assert_eq!(status, StatusCode::OK);
    let published = h.calls("/api/views.publish").await;
    assert_eq!(published.len(), 1);
    assert_eq!(published[0]["user_id"], caio);
    assert_eq!(published[0]["view"]["type"], "home");
    assert_eq!(
        published[0]["view"]["blocks"][1]["text"]["text"],
        "Nenhuma solicitação ainda. Digite /cadastrar para começar: pergunto uma coisa de cada vez e confiro cada resposta na hora."
    );
}

/// Socket Mode: the same handling behind a WebSocket Slack opens for a host without a public
/// URL; each envelope acknowledged with its answer, a failed one left for Slack to send again.
#[tokio::test]
async fn socket_mode_serves_the_same_requests_over_a_websocket() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message as Frame;
    let db = TestDb::sqlite();
    let h = Harness::build(&db, Some("xapp-1-test")).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/link", listener.local_addr().unwrap());
    Mock::given(method("POST"))
        .and(path("/api/apps.connections.open"))
        .and(wiremock::matchers::header(
            "authorization",
            "Bearer xapp-1-test",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "ok": true, "url": url })))
        .mount(&h.api)
        .await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(h.slack.clone().socket_mode(stopped));
    let (stream, _) = listener.accept().await.unwrap();
    let mut socket = tokio_tungstenite::accept_async(stream).await.unwrap();
    socket
        .send(Frame::Text(
            json!({ "type": "hello", "num_connections": 1 }).to_string(),
        ))
        .await
        .unwrap();
    let ack = async |socket: &mut tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
                     envelope: Value| {
        socket
            .send(Frame::Text(envelope.to_string()))
            .await
            .unwrap();
        loop {
            match socket.next().await.unwrap().unwrap() {
                Frame::Text(text) => return serde_json::from_str::<Value>(&text).unwrap(),
                _ => continue,
            }
        }
    };
    // A slash command: acknowledged with the ephemeral answer as the payload.
    let answer = ack(
        &mut socket,
        json!({ "envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": true,
                "payload": { "team_id": "T0001", "channel_id": DM, "user_id": "U0NOBODY1",
                             "command": "/waba-stats", "text": "", "response_url": "https://hooks.slack.test/x",
                             "trigger_id": "trig-s1" } }),
    )
    .await;
    assert_eq!(answer["envelope_id"], "env-1");
    assert_eq!(
        answer["payload"]["text"],
        "Só a equipe de suporte e os gestores podem consultar isso."
    );
    // A merchant's message: acknowledged, and answered in the DM as over HTTP.
    let answer = ack(
        &mut socket,
        json!({ "envelope_id": "env-2", "type": "events_api", "payload": {
            "type": "event_callback", "team_id": "T0001", "api_app_id": "A0001", "event_id": "EvSock1",
            "event_time": 1_700_000_000, "event": { "type": "message", "channel": DM,
            "channel_type": "im", "user": "U0DORA001", "ts": "1.5", "text": "oi" } } }),
    )
    .await;
    assert_eq!(answer, json!({ "envelope_id": "env-2" }));
    let texts = h.texts().await;
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Hi! I’m the WhatsApp onboarding assistant")),
        "{texts:#?}"
    );
    stop.send(true).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), running)
        .await
        .expect("Socket Mode stops when told")
        .unwrap();
}

/// A complete onboarding in Portuguese: the form for the text answers, then the closed
/// questions in the DM (the category as a menu) and the logo as a shared file.
#[tokio::test]
async fn a_merchant_onboards_in_portuguese_through_the_form_and_the_dm() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let dora = "U0DORA002";
    h.command(dora, "/cadastrar").await;
    let field = |value: &str| json!({ "type": "plain_text_input", "value": value });
    let values = json!({
        "store_account": { "store_account": field("minhaloja") },
        "email": { "email": field("E-mail: dora@minhaloja.com.br") },
        "business_id": { "business_id": field("123456789012345") },
        "display_name": { "display_name": field("Loja Azul") },
        "phone": { "phone": field("(11) 98765-4321") },
    });
    let (status, answer) = h.submit(dora, "m:1", values).await;
    assert_eq!((status, answer.as_str()), (StatusCode::OK, ""));
    for _ in 0..20 {
        match h.step(dora).await.as_str() {
            "existing_account" => h.press(dora, "no").await,
            "admin_available" | "summary"
                if h.buttons().await.iter().any(|b| b.ends_with(":yes")) =>
            {
                h.press(dora, "yes").await
            }
            "summary" => h.press(dora, "confirm").await,
            "logo" => {
                let file = json!({
                    "id": "F0002", "name": "logo.png", "mimetype": "image/png",
                    "url_private_download": format!("{}/files/logo.png", h.api.uri()),
                });
                h.message(
                    dora,
                    json!({ "subtype": "file_share", "text": "", "files": [file] }),
                )
                .await;
            }
            "phone_attestations" => {
                let key = if h.buttons().await.iter().any(|b| b.ends_with(":not_in_use")) {
                    "not_in_use"
                } else {
                    "yes"
                };
                h.press(dora, key).await
            }
            "category" => h.press(dora, "RETAIL").await,
            "description" => h.press(dora, "skip").await,
            "business_verification" => h.press(dora, "verified").await,
            "done" => break,
            other => panic!("unexpected step {other}"),
        }
    }
    let texts = h.texts().await;
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Pronto! A sua solicitação é a WA-000001.")),
        "{texts:#?}"
    );
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    assert_eq!(request.requester_email, "dora@minhaloja.com.br");
    assert_eq!(request.locale, "pt-BR");
    assert_eq!(request.category, "RETAIL");
}

/// A user's DM with the app is opened once and remembered (`conversations.open` is Tier 3,
/// about 50 calls a minute for the whole workspace): a merchant who wrote in the app's DMs is
/// notified there with no opening at all, and another merchant's second notification does not
/// open the DM again.
#[tokio::test]
async fn a_dm_is_opened_once_and_not_at_all_for_a_merchant_who_wrote_there() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let (ana, bia) = ("U0ANA0001", "U0BIA0002");
    h.text(ana, "oi").await;
    let opened = h.calls("/api/conversations.open").await.len();
    let posted = h.posted().await.len();
    let message = waba_onboard::domain::Message::new("slack-answered-in-dm");
    for user in [ana, bia, bia] {
        let delivery = h
            .slack
            .notify(
                user,
                Locale::PtBr,
                std::slice::from_ref(&message),
                thursday_noon(),
            )
            .await
            .unwrap();
        assert_eq!(delivery, Delivery::Delivered, "{user}");
    }
    assert_eq!(
        h.calls("/api/conversations.open").await.len() - opened,
        1,
        "Bia's DM opened once, Ana's never"
    );
    let sent = h.posted().await;
    assert_eq!(sent.len() - posted, 3);
    assert!(
        sent[posted..].iter().all(|m| m["channel"] == DM),
        "{sent:?}"
    );
}
