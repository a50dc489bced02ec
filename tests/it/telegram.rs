//! The Telegram channel end to end: updates POSTed to the webhook router as Telegram sends
//! them, the Bot API faked by a wiremock server that keeps what the bot sent.

use crate::support::{
    TestClock, TestDb, answers_to_summary, backends, drain_outbox, thursday_noon,
};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;
use waba_onboard::channels::telegram::{Limits, Settings, Telegram};
use waba_onboard::conversation::Inbound;
use waba_onboard::i18n::Locale;
use waba_onboard::service::Services;
use waba_onboard::storage::Store;
use waba_onboard::tickets::{BuiltinDesk, RetryPolicy, Worker};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

const TOKEN: &str = "123456:TEST-token";
const SECRET: &str = "hook-secret_1";
const STAFF_CHAT: i64 = -1_001_234;
const MANAGER: i64 = 900;
const STAFF_MEMBER: i64 = 2001;
const STRANGER: i64 = 3001;

/// What the fake Bot API knows and what it was sent.
#[derive(Default)]
struct Api {
    next_message: i64,
    blocked: HashSet<i64>,
    members: HashSet<i64>,
    files: HashMap<String, Vec<u8>>,
    /// Updates waiting for `getUpdates`, as Telegram keeps them until an offset confirms them.
    updates: Vec<Value>,
    /// (method, body) of every call, in order.
    calls: Vec<(String, Value)>,
    /// Calls of methods this fake does not serve: none is expected.
    unexpected: Vec<String>,
    /// How many of the next sends fail with a server error (Telegram having a bad moment).
    failing_sends: usize,
    /// Whether sends are answered 502 Bad Gateway (Telegram down, as its front end says it).
    down: bool,
    /// How many of the next sends are answered 429 with `retry_after` 1, and when each was.
    throttle_sends: usize,
    throttled_at: Vec<std::time::Instant>,
    /// When each send was taken, by chat.
    sent_at: Vec<(i64, std::time::Instant)>,
}

#[derive(Clone)]
struct FakeTelegram(Arc<Mutex<Api>>);

fn ok(result: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "ok": true, "result": result }))
}

fn chat_json(id: i64) -> Value {
    if id < 0 {
        json!({ "id": id, "type": "supergroup", "title": "Support" })
    } else {
        json!({ "id": id, "type": "private", "first_name": "User" })
    }
}

impl Respond for FakeTelegram {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let path = request.url.path().to_owned();
        let mut api = self.0.lock().unwrap();
        if let Some(file) = path.strip_prefix(&format!("/file/bot{TOKEN}/")) {
            return match api.files.get(file) {
                Some(bytes) => ResponseTemplate::new(200).set_body_bytes(bytes.clone()),
                None => ResponseTemplate::new(404),
            };
        }
        // Method names are case-insensitive; teloxide capitalizes them.
        let method = path.rsplit('/').next().unwrap_or_default().to_lowercase();
        let mut body: Value = serde_json::from_slice(&request.body)
            .unwrap_or_else(|_| multipart_fields(&request.body));
        let chat = body["chat_id"].as_i64().unwrap_or(STAFF_CHAT);
        let sends = matches!(method.as_str(), "sendmessage" | "sendphoto");
        if sends && !api.blocked.contains(&chat) {
            api.next_message += 1;
            if body.is_object() {
                body["_message_id"] = json!(api.next_message);
            }
        }
        if sends && api.down {
            return ResponseTemplate::new(502).set_body_json(
                json!({ "ok": false, "error_code": 502, "description": "Bad Gateway" }),
            );
        }
        if sends && api.throttle_sends > 0 {
            api.throttle_sends -= 1;
            api.throttled_at.push(std::time::Instant::now());
            return ResponseTemplate::new(429).set_body_json(json!({
                "ok": false,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": { "retry_after": 1 },
            }));
        }
        if sends && !api.blocked.contains(&chat) {
            api.sent_at.push((chat, std::time::Instant::now()));
        }
        if sends && api.failing_sends > 0 {
            api.failing_sends -= 1;
            return ResponseTemplate::new(500).set_body_json(json!({
                "ok": false,
                "error_code": 500,
                "description": "Internal Server Error",
            }));
        }
        api.calls.push((method.clone(), body.clone()));
        match method.as_str() {
            "sendmessage" | "sendphoto" | "editmessagetext" | "editmessagereplymarkup" => {
                if api.blocked.contains(&chat) {
                    return ResponseTemplate::new(403).set_body_json(json!({
                        "ok": false,
                        "error_code": 403,
                        "description": "Forbidden: bot was blocked by the user",
                    }));
                }
                ok(json!({
                    "message_id": body["message_id"].as_i64().unwrap_or(api.next_message),
                    "date": 1_764_169_200,
                    "chat": chat_json(chat),
                    "text": body["text"].as_str().unwrap_or("photo"),
                }))
            }
            "getchatmember" => {
                let user = body["user_id"].as_i64().unwrap_or_default();
                let status = if api.members.contains(&user) {
                    "member"
                } else {
                    "left"
                };
                ok(json!({
                    "status": status,
                    "user": { "id": user, "is_bot": false, "first_name": "Someone" },
                }))
            }
            "getme" => ok(json!({
                "id": 123_456, "is_bot": true, "first_name": "Onboarding", "username": "waba_onboard_bot",
                "can_join_groups": true, "can_read_all_group_messages": false,
                "supports_inline_queries": false, "has_main_web_app": false,
            })),
            "getupdates" => {
                let offset = body["offset"].as_i64().unwrap_or(0);
                api.updates
                    .retain(|u| u["update_id"].as_i64().unwrap_or_default() >= offset);
                let batch = api.updates.clone();
                // Long polling: an empty answer comes after a while.
                let delay = if batch.is_empty() { 200 } else { 0 };
                ok(Value::Array(batch)).set_delay(std::time::Duration::from_millis(delay))
            }
            "getfile" => {
                let id = body["file_id"].as_str().unwrap_or_default().to_owned();
                let size = api.files.get(&id).map_or(0, Vec::len);
                ok(json!({
                    "file_id": id,
                    "file_unique_id": format!("u{id}"),
                    "file_size": size,
                    "file_path": id,
                }))
            }
            "answercallbackquery" | "setmycommands" | "setwebhook" | "deletewebhook" => {
                ok(json!(true))
            }
            _ => {
                api.unexpected.push(method);
                ResponseTemplate::new(404).set_body_json(json!({
                    "ok": false,
                    "error_code": 404,
                    "description": "Not Found",
                }))
            }
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let unexpected = std::mem::take(&mut self.api.0.lock().unwrap().unexpected);
        if !std::thread::panicking() {
            assert!(
                unexpected.is_empty(),
                "unexpected Bot API calls: {unexpected:?}"
            );
        }
    }
}

/// The text fields of a `multipart/form-data` body (teloxide sends some methods that way), as
/// a JSON object of strings; numbers stay strings.
fn multipart_fields(body: &[u8]) -> Value {
    let text = String::from_utf8_lossy(body);
    let mut fields = serde_json::Map::new();
    for part in text
        .split("Content-Disposition: form-data; name=\"")
        .skip(1)
    {
        let Some((name, rest)) = part.split_once('"') else {
            continue;
        };
        let Some((_, value)) = rest.split_once("\r\n\r\n") else {
            continue;
        };
        let value = value.split("\r\n--").next().unwrap_or_default();
        let value = serde_json::from_str(value).unwrap_or_else(|_| json!(value));
        fields.insert(name.to_owned(), value);
    }
    if fields.is_empty() {
        Value::Null
    } else {
        Value::Object(fields)
    }
}

/// A bot on a fake Bot API and a fresh database.
struct Harness {
    api: FakeTelegram,
    _server: MockServer,
    telegram: Telegram,
    store: Store,
    clock: TestClock,
    next_update: i64,
}

impl Harness {
    async fn new(db: &TestDb) -> Harness {
        Self::build(db, true, 15).await
    }

    /// A bot that polls for updates.
    async fn polling(db: &TestDb) -> Harness {
        Self::build(db, false, 15).await
    }

    async fn build(db: &TestDb, webhook: bool, lease_secs: u64) -> Harness {
        // Logs show in a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("waba_onboard=debug")
            .try_init();
        let server = MockServer::start().await;
        let api = FakeTelegram(Arc::new(Mutex::new(Api::default())));
        api.0.lock().unwrap().members.insert(STAFF_MEMBER);
        Mock::given(any())
            .respond_with(api.clone())
            .mount(&server)
            .await;
        let store = db.store().await;
        let clock = TestClock::at(thursday_noon());
        let settings = Settings {
            token: TOKEN.to_owned(),
            api_url: Some(server.uri().parse().unwrap()),
            staff_chat: Some(teloxide::types::ChatId(STAFF_CHAT)),
            managers: [teloxide::types::UserId(MANAGER as u64)].into(),
            webhook: webhook.then(|| {
                (
                    "https://bot.example/webhooks/telegram".parse().unwrap(),
                    SECRET.to_owned(),
                )
            }),
            staff_locale: Locale::PtBr,
            lease_secs,
            // Telegram's pace is not what these tests are about.
            limits: Limits {
                messages_per_sec_chat: 1000,
                messages_per_min_channel_or_supergroup: 60_000,
                messages_per_sec_overall: 1000,
            },
        };
        let telegram = Telegram::new(
            settings,
            Services::new(store.clone(), Arc::new(clock.clone())),
        );
        Harness {
            api,
            _server: server,
            telegram,
            store,
            clock,
            next_update: 1,
        }
    }

    /// POSTs a raw body to the webhook with a secret; the status.
    async fn post_raw(&self, secret: Option<&str>, body: String) -> StatusCode {
        let mut request =
            Request::post("/webhooks/telegram").header("content-type", "application/json");
        if let Some(secret) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        self.telegram
            .router()
            .oneshot(request.body(Body::from(body)).unwrap())
            .await
            .unwrap()
            .status()
    }

    /// Delivers an update (with the next id) and returns its id.
    async fn deliver(&mut self, kind: &str, payload: Value) -> Value {
        let update = json!({ "update_id": self.next_update, kind: payload });
        self.next_update += 1;
        assert_eq!(
            self.post_raw(Some(SECRET), update.to_string()).await,
            StatusCode::OK
        );
        update
    }

    fn user(id: i64, language: &str) -> Value {
        json!({ "id": id, "is_bot": false, "first_name": "Ana", "username": format!("user{id}"), "language_code": language })
    }

    fn message(&mut self, from: i64, chat: i64, language: &str, extra: Value) -> Value {
        let mut message = json!({
            "message_id": 10_000 + self.next_update,
            "date": 1_764_169_200,
            "chat": chat_json(chat),
            "from": Self::user(from, language),
        });
        for (key, value) in extra.as_object().unwrap() {
            message[key] = value.clone();
        }
        message
    }

    async fn text(&mut self, from: i64, language: &str, text: &str) -> Value {
        let message = self.message(from, from, language, json!({ "text": text }));
        self.deliver("message", message).await
    }

    /// A text in another chat (a group).
    async fn text_in(&mut self, from: i64, chat: i64, language: &str, text: &str) -> Value {
        let message = self.message(from, chat, language, json!({ "text": text }));
        self.deliver("message", message).await
    }

    async fn document(&mut self, from: i64, language: &str, name: &str, bytes: Vec<u8>) {
        let id = format!("file{}", self.next_update);
        let size = bytes.len();
        self.api.0.lock().unwrap().files.insert(id.clone(), bytes);
        let message = self.message(
            from,
            from,
            language,
            json!({ "document": { "file_id": id, "file_unique_id": format!("u{id}"), "file_size": size, "file_name": name, "mime_type": "image/png" } }),
        );
        self.deliver("message", message).await;
    }

    /// Presses the button whose data ends with `:key` on the latest keyboard of a chat; the
    /// update.
    async fn press(&mut self, from: i64, language: &str, chat: i64, key: &str) -> Value {
        let (data, message_id) = self
            .latest_keyboard(chat)
            .into_iter()
            .find(|(data, _)| data.ends_with(&format!(":{key}")))
            .unwrap_or_else(|| panic!("no button {key} in chat {chat}"));
        self.press_data(from, language, chat, &data, message_id)
            .await
    }

    async fn press_data(
        &mut self,
        from: i64,
        language: &str,
        chat: i64,
        data: &str,
        message_id: i64,
    ) -> Value {
        let query = json!({
            "id": format!("cb{}", self.next_update),
            "from": Self::user(from, language),
            "chat_instance": "instance",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": 1_764_169_200,
                "chat": chat_json(chat),
                "text": "question",
            },
        });
        self.deliver("callback_query", query).await
    }

    /// The buttons (data, message id) of the latest message with a keyboard in a chat.
    fn latest_keyboard(&self, chat: i64) -> Vec<(String, i64)> {
        let api = self.api.0.lock().unwrap();
        let mut found = Vec::new();
        for (method, body) in &api.calls {
            if method == "sendmessage"
                && body["chat_id"].as_i64() == Some(chat)
                && body["reply_markup"]["inline_keyboard"].is_array()
            {
                found = body["reply_markup"]["inline_keyboard"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|row| row.as_array().unwrap().clone())
                    .map(|b| {
                        (
                            b["callback_data"].as_str().unwrap().to_owned(),
                            body["_message_id"].as_i64().unwrap(),
                        )
                    })
                    .collect();
            }
        }
        found
    }

    /// Every text sent to a chat, in order.
    fn texts(&self, chat: i64) -> Vec<String> {
        self.calls("sendmessage")
            .into_iter()
            .chain(self.calls("editmessagetext"))
            .filter(|b| b["chat_id"].as_i64() == Some(chat))
            .map(|b| b["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// A merchant's draft, which must exist.
    async fn draft(&self, user: i64) -> waba_onboard::conversation::Draft {
        let key = waba_onboard::storage::UserKey::new("telegram", &user.to_string());
        self.store.draft(&key).await.unwrap().expect("a draft")
    }

    fn calls(&self, method: &str) -> Vec<Value> {
        self.api
            .0
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, b)| b.clone())
            .collect()
    }

    fn call_count(&self) -> usize {
        self.api.0.lock().unwrap().calls.len()
    }

    fn worker(&self) -> Worker {
        Worker::new(
            self.store.clone(),
            Arc::new(BuiltinDesk),
            vec![self.telegram.notifier()],
            Arc::new(self.clock.clone()),
            RetryPolicy::default(),
        )
        .with_boards(self.telegram.board().into_iter().collect())
    }

    /// A merchant's whole conversation up to a confirmed request.
    async fn onboard(&mut self, merchant: i64, language: &str, phone: &str) {
        let mut answers = answers_to_summary(phone);
        answers.push(Inbound::Choice("confirm".into()));
        for answer in answers {
            match answer {
                Inbound::Start => {
                    self.text(merchant, language, "/start").await;
                }
                Inbound::Text(text) => {
                    self.text(merchant, language, &text).await;
                }
                Inbound::Choice(key) => {
                    self.press(merchant, language, merchant, &key).await;
                }
                Inbound::File { name, bytes } => {
                    self.document(merchant, language, &name, bytes).await
                }
                other => panic!("unexpected answer {other:?}"),
            }
        }
    }
}

async fn status_of(store: &Store, reference: &str) -> String {
    store.request(reference).await.unwrap().unwrap().status
}

#[tokio::test]
async fn a_merchant_onboards_in_english_with_the_logo_as_a_document() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = 1001;
    h.onboard(ana, "en", "+55 11 98765-4321").await;
    let texts = h.texts(ana);
    if std::env::var("SHOW").is_ok() {
        for (m, b) in h.api.0.lock().unwrap().calls.iter() {
            println!(
                "== {m} {}\n{}\n{}",
                b["chat_id"],
                b["text"].as_str().unwrap_or(""),
                b["reply_markup"]
            );
        }
    }
    assert!(
        texts[0].contains("WhatsApp onboarding assistant"),
        "{}",
        texts[0]
    );
    assert!(texts.iter().any(|t| t.contains("Step 1 of")), "{texts:#?}");
    let last = texts.last().unwrap();
    assert!(last.contains("WA-000001"), "{last}");
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    assert_eq!(request.requester.channel, "telegram");
    assert_eq!(request.requester.user_id, "1001");
    assert_eq!(request.locale, "en");
    assert_eq!(request.logo_width, 640);
    // Every button press was answered, and every message fits Telegram's limits.
    assert_eq!(
        h.calls("answercallbackquery").len(),
        answers_to_summary("")
            .iter()
            .filter(|a| matches!(a, Inbound::Choice(_)))
            .count()
            + 1
    );
    for body in h.calls("sendmessage") {
        assert!(body["text"].as_str().unwrap().chars().count() <= 4096);
        for row in body["reply_markup"]["inline_keyboard"]
            .as_array()
            .into_iter()
            .flatten()
        {
            for button in row.as_array().unwrap() {
                assert!(button["callback_data"].as_str().unwrap().len() <= 64);
            }
        }
    }
}

#[tokio::test]
async fn a_merchant_onboards_in_portuguese_and_wrong_answers_are_explained() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let bia = 1002;
    h.text(bia, "pt-br", "/start").await;
    assert!(h.texts(bia)[0].contains("Olá"), "{:?}", h.texts(bia));
    h.press(bia, "pt-br", bia, "no").await;
    h.text(bia, "pt-br", "Minha Loja!").await;
    let refused = h.texts(bia).last().unwrap().clone();
    assert!(refused.contains("letras minúsculas"), "{refused}");
    // A voice note, a location: not read, and said so in Portuguese.
    for extra in [
        json!({ "voice": { "file_id": "v", "file_unique_id": "uv", "duration": 3 } }),
        json!({ "location": { "latitude": -23.55, "longitude": -46.63 } }),
    ] {
        let message = h.message(bia, bia, "pt-br", extra);
        let before = h.texts(bia).len();
        h.deliver("message", message).await;
        assert_eq!(h.texts(bia).len(), before + 1);
        let said = h.texts(bia).last().unwrap().clone();
        assert!(said.contains("Só consigo ler texto"), "{said}");
    }
    let step = h.draft(1002).await.step;
    assert_eq!(step.as_str(), "store_account");
    // The rest of the conversation, in Portuguese.
    let db2 = TestDb::sqlite();
    let mut h2 = Harness::new(&db2).await;
    h2.onboard(bia, "pt-br", "(11) 98765-4321").await;
    let last = h2.texts(bia).last().unwrap().clone();
    assert!(
        last.contains("WA-000001") && last.contains("Gerenciador de Negócios"),
        "{last}"
    );
    assert_eq!(
        h2.store.request("WA-000001").await.unwrap().unwrap().locale,
        "pt-BR"
    );
}

#[tokio::test]
async fn an_oversized_or_non_image_document_is_refused_without_download() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = 1003;
    let answers = answers_to_summary("+55 11 98765-4321");
    // Up to the logo question.
    for answer in answers.into_iter().take(8) {
        match answer {
            Inbound::Start => {
                h.text(ana, "en", "/start").await;
            }
            Inbound::Text(text) => {
                h.text(ana, "en", &text).await;
            }
            Inbound::Choice(key) => {
                h.press(ana, "en", ana, &key).await;
            }
            _ => unreachable!(),
        }
    }
    let message = h.message(
        ana,
        ana,
        "en",
        json!({ "document": { "file_id": "huge", "file_unique_id": "uhuge", "file_size": 30_000_000, "file_name": "logo.png" } }),
    );
    h.deliver("message", message).await;
    assert!(
        h.calls("getfile").is_empty(),
        "a file over the limit was fetched"
    );
    let said = h.texts(ana).last().unwrap().clone();
    assert!(
        said.contains("30000000 bytes") || said.contains("30,000,000 bytes"),
        "{said}"
    );
    h.document(ana, "en", "logo.png", b"%PDF-1.7 not an image".to_vec())
        .await;
    let said = h.texts(ana).last().unwrap().clone();
    assert!(said.contains("PNG") && said.contains("JPEG"), "{said}");
    let draft = h.draft(1003).await;
    assert_eq!(draft.step.as_str(), "logo");
    // An edited message changes nothing and says so.
    let edited = h.message(
        ana,
        ana,
        "en",
        json!({ "text": "minhaloja2", "edit_date": 1_764_169_300 }),
    );
    h.deliver("edited_message", edited).await;
    assert!(
        h.texts(ana).last().unwrap().starts_with(
            "Editing that message doesn’t change any answer. To change one, type /back, or \
             choose “Change a field” at the summary."
        ),
        "{:?}",
        h.texts(ana).last()
    );
    let draft = h.draft(1003).await;
    assert_eq!(draft.step.as_str(), "logo");
}

#[tokio::test]
async fn a_redelivered_update_is_handled_once() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = 1004;
    h.text(ana, "en", "/start").await;
    h.press(ana, "en", ana, "no").await;
    let update = h.text(ana, "en", "minhaloja").await;
    let before = h.texts(ana);
    let draft = h.draft(ana).await;
    assert_eq!(draft.step.as_str(), "email");
    assert_eq!(
        h.post_raw(Some(SECRET), update.to_string()).await,
        StatusCode::OK
    );
    // Not handled again ("minhaloja" is no e-mail and would be refused): the current question
    // is asked again, word for word (the first answer may not have reached the merchant), and
    // nothing else happens.
    let after = h.texts(ana);
    assert_eq!(after.len(), before.len() + 1, "{after:#?}");
    assert_eq!(after.last(), before.last());
    assert_eq!(h.draft(ana).await, draft);
}

#[tokio::test]
async fn a_redelivered_button_press_is_handled_once() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = 1008;
    h.text(ana, "en", "/start").await;
    let update = h.press(ana, "en", ana, "no").await;
    let before = h.texts(ana);
    let draft = h.draft(ana).await;
    assert_eq!(
        h.post_raw(Some(SECRET), update.to_string()).await,
        StatusCode::OK
    );
    // The current question again, not "that button belongs to an earlier question".
    let after = h.texts(ana);
    assert_eq!(after.len(), before.len() + 1, "{after:#?}");
    assert_eq!(after.last(), before.last());
    let answered = h.calls("answercallbackquery");
    assert!(answered.last().unwrap()["text"].is_null(), "{answered:?}");
    assert_eq!(h.draft(ana).await, draft);
}

#[tokio::test]
async fn a_send_that_fails_answers_500_and_the_redelivery_is_handled_once() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = 1009;
    h.text(ana, "en", "/start").await;
    h.press(ana, "en", ana, "no").await;
    let asked = h.texts(ana);
    // Telegram cannot take the answer: the update is not acknowledged, so Telegram sends it again.
    h.api.0.lock().unwrap().failing_sends = 1;
    let update = json!({ "update_id": 500, "message": h.message(ana, ana, "en", json!({ "text": "minhaloja" })) });
    assert_eq!(
        h.post_raw(Some(SECRET), update.to_string()).await,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(h.texts(ana), asked, "nothing reached the merchant");
    let draft = h.draft(ana).await;
    assert_eq!(
        h.post_raw(Some(SECRET), update.to_string()).await,
        StatusCode::OK
    );
    // The answer was kept once; the merchant now gets the next question, once.
    let after = h.texts(ana);
    assert_eq!(after.len(), asked.len() + 1, "{after:#?}");
    assert!(after.last().unwrap().contains("e-mail"), "{after:#?}");
    assert_eq!(h.draft(ana).await, draft);
    assert_eq!(draft.step.as_str(), "email");
    assert_eq!(
        draft.answers.store_account.unwrap().value.as_str(),
        "minhaloja"
    );
}

#[tokio::test]
async fn the_webhook_is_registered_with_its_secret() {
    let db = TestDb::sqlite();
    let h = Harness::new(&db).await;
    h.telegram.setup().await.unwrap();
    let set = h.calls("setwebhook");
    assert_eq!(set.len(), 1, "{set:?}");
    assert_eq!(
        set[0]["url"],
        json!("https://bot.example/webhooks/telegram")
    );
    assert_eq!(set[0]["secret_token"], json!(SECRET));
    assert_eq!(set[0]["max_connections"], json!(40));
    assert!(h.calls("deletewebhook").is_empty());
}

#[tokio::test]
async fn forged_and_malformed_webhook_calls_are_refused() {
    let db = TestDb::sqlite();
    let h = Harness::new(&db).await;
    let update = json!({ "update_id": 1, "message": { "message_id": 1, "date": 0, "chat": chat_json(5), "from": Harness::user(5, "en"), "text": "/start" } });
    assert_eq!(
        h.post_raw(None, update.to_string()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        h.post_raw(Some("wrong"), update.to_string()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        h.post_raw(Some(SECRET), "{not json".into()).await,
        StatusCode::BAD_REQUEST
    );
    h.assert_untouched(5).await;
}

impl Harness {
    /// Nothing was sent and user `user` has no draft: a refused call changed nothing.
    async fn assert_untouched(&self, user: i64) {
        assert_eq!(self.call_count(), 0);
        let key = waba_onboard::storage::UserKey::new("telegram", &user.to_string());
        assert!(self.store.draft(&key).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn an_oversized_webhook_body_is_refused_with_413_and_changes_nothing() {
    let db = TestDb::sqlite();
    let h = Harness::new(&db).await;
    // As `serve` mounts it: the webhook inside the whole router, with its limit on every route.
    let app = waba_onboard::http::router(
        waba_onboard::http::AppState {
            store: h.store.clone(),
        },
        h.telegram.router(),
    );
    let padding = "x".repeat(waba_onboard::http::MAX_BODY_BYTES);
    let update = json!({ "update_id": 1, "message": { "message_id": 1, "date": 0, "chat": chat_json(5), "from": Harness::user(5, "en"), "text": "/start", "padding": padding } });
    let request = Request::post("/webhooks/telegram")
        .header("content-type", "application/json")
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .body(Body::from(update.to_string()))
        .unwrap();
    let answer = app.oneshot(request).await.unwrap();
    assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
    h.assert_untouched(5).await;
}

impl Harness {
    /// Ana's request WA-000001, confirmed in English and posted in the staff group.
    async fn posted(db: &TestDb) -> Harness {
        let mut h = Harness::new(db).await;
        h.onboard(ANA_ID, "en", "+55 11 98765-4321").await;
        h.worker().run_until_idle().await.unwrap();
        h
    }

    /// A staff member presses a button of the staff post.
    async fn staff_press(&mut self, data: &str) {
        self.press_data(STAFF_MEMBER, "pt-br", STAFF_CHAT, data, 1)
            .await;
    }
}

const ANA_ID: i64 = 1005;

#[tokio::test]
async fn a_request_is_posted_for_staff_with_its_logo_and_buttons() {
    for db in backends().await {
        let h = Harness::posted(&db).await;
        // In Portuguese (the staff's language), with the logo and the moves it allows.
        assert_eq!(h.calls("sendphoto").len(), 1, "{}", db.label);
        let posts = h.texts(STAFF_CHAT);
        assert_eq!(posts.len(), 1, "{}: {posts:#?}", db.label);
        assert!(
            posts[0].contains("WA-000001") && posts[0].contains("minhaloja"),
            "{}",
            posts[0]
        );
        let buttons: Vec<String> = h
            .latest_keyboard(STAFF_CHAT)
            .into_iter()
            .map(|b| b.0)
            .collect();
        assert!(
            buttons.contains(&"s:in_review:WA-000001".to_owned()),
            "{buttons:?}"
        );
    }
}

#[tokio::test]
async fn someone_outside_the_staff_group_cannot_move_a_request() {
    let db = TestDb::sqlite();
    let mut h = Harness::posted(&db).await;
    h.press_data(STRANGER, "en", STAFF_CHAT, "s:in_review:WA-000001", 1)
        .await;
    let refusal = h.calls("answercallbackquery").last().unwrap().clone();
    assert!(
        refusal["text"].as_str().unwrap().contains("support team"),
        "{refusal}"
    );
    assert_eq!(status_of(&h.store, "WA-000001").await, "submitted");
    assert!(h.calls("editmessagetext").is_empty());
}

#[tokio::test]
async fn staff_move_a_request_from_the_group_and_the_merchant_is_told() {
    for db in backends().await {
        let mut h = Harness::posted(&db).await;
        h.staff_press("s:in_review:WA-000001").await;
        assert_eq!(status_of(&h.store, "WA-000001").await, "in_review");
        let heard = h.texts(ANA_ID).len();
        h.worker().run_until_idle().await.unwrap();
        // The merchant is told once, in English; the post shows the new status.
        assert_eq!(
            h.texts(ANA_ID)[heard..],
            ["Request WA-000001 is being reviewed by our team; expect news by November 30, 2026."],
            "{}",
            db.label
        );
        let edited = h.calls("editmessagetext").last().unwrap().clone();
        assert!(
            edited["text"].as_str().unwrap().contains("em análise"),
            "{edited}"
        );
    }
}

#[tokio::test]
async fn staff_ask_for_a_fix_by_field_then_reason_and_the_merchant_is_told() {
    for db in backends().await {
        let mut h = Harness::posted(&db).await;
        h.staff_press("s:in_review:WA-000001").await;
        h.worker().run_until_idle().await.unwrap();
        // The field, then the reason as a reply.
        h.staff_press("s:needs_info:WA-000001").await;
        h.press(STAFF_MEMBER, "pt-br", STAFF_CHAT, "WA-000001")
            .await;
        let question = h.calls("sendmessage").last().unwrap().clone();
        assert!(
            question["reply_markup"]["force_reply"].as_bool().unwrap(),
            "{question}"
        );
        let question_id = question["_message_id"].as_i64().unwrap();
        let reply = h.message(
            STAFF_MEMBER,
            STAFF_CHAT,
            "pt-br",
            json!({ "text": "Use the brand name shown on the website", "reply_to_message": { "message_id": question_id, "date": 0, "chat": chat_json(STAFF_CHAT), "text": "?" } }),
        );
        h.deliver("message", reply).await;
        assert_eq!(
            status_of(&h.store, "WA-000001").await,
            "needs_info",
            "{}",
            db.label
        );
        let heard = h.texts(ANA_ID).len();
        h.worker().run_until_idle().await.unwrap();
        let told = h.texts(ANA_ID)[heard..].to_vec();
        assert_eq!(told.len(), 1, "{}: {told:#?}", db.label);
        insta::assert_snapshot!("telegram_needs_info_en", told[0]);
    }
}

#[tokio::test]
async fn a_merchant_who_blocked_the_bot_is_marked_unreachable_not_retried() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = 1006;
    h.onboard(ana, "en", "+55 11 98765-4321").await;
    h.worker().run_until_idle().await.unwrap();
    h.api.0.lock().unwrap().blocked.insert(ana);
    h.press_data(
        STAFF_MEMBER,
        "pt-br",
        STAFF_CHAT,
        "s:in_review:WA-000001",
        1,
    )
    .await;
    h.worker().run_until_idle().await.unwrap();
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    assert!(request.unreachable);
    assert!(h.store.failed_jobs().await.unwrap().is_empty());
    assert!(
        h.store
            .pending_jobs("notify_merchant")
            .await
            .unwrap()
            .is_empty()
    );
    // Staff see it on the post.
    let edited = h.calls("editmessagetext").last().unwrap().clone();
    assert!(
        edited["text"].as_str().unwrap().contains("inalcançável")
            || edited["text"].as_str().unwrap().contains("unreachable"),
        "{edited}"
    );
}

#[tokio::test]
async fn managers_ask_where_requests_stand_and_others_are_refused() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    h.onboard(1007, "en", "+55 11 98765-4321").await;
    h.text(MANAGER, "en", "/pending").await;
    let answer = h.texts(MANAGER).last().unwrap().clone();
    assert!(
        answer.contains("WA-000001") && answer.contains("minhaloja"),
        "{answer}"
    );
    h.text(MANAGER, "en", "/status minhaloja").await;
    let answer = h.texts(MANAGER).last().unwrap().clone();
    assert!(
        answer.contains("WA-000001") && answer.contains("Loja Azul"),
        "{answer}"
    );
    h.text(MANAGER, "en", "/stats").await;
    assert!(
        h.texts(MANAGER)
            .last()
            .unwrap()
            .contains("submitted: 1 now"),
        "{:?}",
        h.texts(MANAGER).last()
    );
    // The chart follows the text, as a photo.
    let charts: Vec<Value> = h
        .calls("sendphoto")
        .into_iter()
        .filter(|p| p["chat_id"] == json!(MANAGER))
        .collect();
    assert_eq!(charts.len(), 1, "{charts:?}");
    let fields = charts[0].as_object().unwrap();
    assert!(
        fields.values().any(|v| v
            .as_str()
            .is_some_and(|s| s.contains("PNG") && s.contains("IHDR"))),
        "a PNG was sent"
    );
    // A merchant is not a manager.
    h.text(1008, "pt-br", "/stats").await;
    assert!(h.texts(1008).last().unwrap().contains("gestores"));
    // In another group, the bot only points to a private chat.
    let elsewhere = h.message(1008, -555, "en", json!({ "text": "/start" }));
    h.deliver("message", elsewhere).await;
    assert!(h.texts(-555).last().unwrap().contains("private chat"));
}

/// An update as Telegram queues it: a text from a user in their private chat.
fn text_update(id: i64, from: i64, language: &str, text: &str) -> Value {
    json!({
        "update_id": id,
        "message": {
            "message_id": id,
            "date": 1_764_169_200,
            "chat": chat_json(from),
            "from": Harness::user(from, language),
            "text": text,
        },
    })
}

#[tokio::test]
async fn long_polling_confirms_a_batch_only_once_it_is_handled() {
    let db = TestDb::sqlite();
    let h = Harness::polling(&db).await;
    let (ana, bia) = (1010, 1011);
    h.api.0.lock().unwrap().updates = vec![
        text_update(41, ana, "en", "/start"),
        text_update(42, bia, "pt-br", "/start"),
        text_update(43, ana, "en", "no"),
        text_update(44, ana, "en", "minhaloja"),
        text_update(45, bia, "pt-br", "não"),
    ];
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(h.telegram.clone().poll("test".into(), stopped));
    let key = |id: i64| waba_onboard::storage::UserKey::new("telegram", &id.to_string());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let ana_step = h
            .store
            .draft(&key(ana))
            .await
            .unwrap()
            .map(|d| d.step.as_str());
        let bia_step = h
            .store
            .draft(&key(bia))
            .await
            .unwrap()
            .map(|d| d.step.as_str());
        if ana_step == Some("email") && bia_step == Some("store_account") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "updates not handled: {ana_step:?} {bia_step:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The next poll confirms the whole batch; nothing is handled twice.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !h
        .calls("getupdates")
        .iter()
        .any(|c| c["offset"] == json!(46))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "batch never confirmed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    stop.send(true).unwrap();
    task.await.unwrap();
    assert_eq!(h.calls("getupdates")[0]["offset"], json!(0));
    assert_eq!(h.texts(ana).len(), 3, "{:?}", h.texts(ana));
    assert!(h.texts(bia)[0].contains("Olá"));
}

#[tokio::test]
async fn serve_runs_the_telegram_channel_against_the_configured_api() {
    let db = TestDb::sqlite();
    let h = Harness::polling(&db).await;
    h.api.0.lock().unwrap().updates = vec![text_update(7, 1020, "pt-br", "/start")];
    let url = h._server.uri();
    let server = crate::serve::Server::start(
        &db.url,
        &[
            ("WABA_TELEGRAM_TOKEN", TOKEN),
            ("WABA_TELEGRAM_API_URL", url.as_str()),
            ("WABA_TELEGRAM_STAFF_CHAT_ID", "-1001234"),
        ],
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while h.texts(1020).is_empty() {
        assert!(std::time::Instant::now() < deadline, "no reply from serve");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(h.texts(1020)[0].contains("Olá"), "{:?}", h.texts(1020));
    // Commands for another bot in the staff group are left to it.
    let before = h.texts(STAFF_CHAT).len();
    h.api.0.lock().unwrap().updates = vec![
        json!({
            "update_id": 8,
            "message": {
                "message_id": 8, "date": 1_764_169_200, "chat": chat_json(STAFF_CHAT),
                "from": Harness::user(STAFF_MEMBER, "pt-br"), "text": "/help@another_bot",
            },
        }),
        json!({
            "update_id": 9,
            "message": {
                "message_id": 9, "date": 1_764_169_200, "chat": chat_json(STAFF_CHAT),
                "from": Harness::user(STAFF_MEMBER, "pt-br"), "text": "/stats@waba_onboard_bot",
            },
        }),
    ];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while h.texts(STAFF_CHAT).len() == before {
        assert!(std::time::Instant::now() < deadline, "no answer to /stats");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let staff = h.texts(STAFF_CHAT);
    assert_eq!(staff.len(), before + 1, "{staff:?}");
    assert!(
        staff.last().unwrap().contains("enviada: 0 agora"),
        "{staff:?}"
    );
    // Commands were registered in both languages, for merchants and for the staff group.
    let commands = h.calls("setmycommands");
    assert_eq!(commands.len(), 4, "{commands:?}");
    assert!(commands.iter().any(
        |c| c["language_code"] == json!("pt") && c["commands"][1]["command"] == json!("ajuda")
    ));
    assert!(commands.iter().any(|c| c["scope"]["type"] == json!("chat")));
    assert_eq!(h.calls("deletewebhook").len(), 1);
    server.signal("TERM");
    let (code, logs) = server.wait();
    assert_eq!(code, 0, "{logs}");
    assert!(
        !logs.contains(TOKEN.split(':').nth(1).unwrap()),
        "the token is in the logs"
    );
}

#[tokio::test]
async fn a_merchant_asking_for_a_person_shows_up_in_the_staff_group() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    h.text(1030, "pt-br", "/start").await;
    h.text(1030, "pt-br", "/atendente").await;
    h.worker().run_until_idle().await.unwrap();
    let asked = h
        .calls("sendmessage")
        .into_iter()
        .rfind(|c| c["chat_id"] == json!(STAFF_CHAT))
        .expect("nothing posted for staff");
    assert!(
        asked["text"].as_str().unwrap().contains("telegram:1030"),
        "{asked}"
    );
    assert_eq!(
        asked["reply_markup"]["inline_keyboard"][0][0]["url"],
        json!("tg://user?id=1030")
    );
}

#[tokio::test]
async fn staff_reject_by_replying_with_a_reason_and_a_pressed_button_moves_once() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = 1040;
    h.onboard(ana, "en", "+55 11 98765-4321").await;
    h.worker().run_until_idle().await.unwrap();
    // The same press delivered twice moves the request once.
    let query = json!({
        "id": "cb-twice",
        "from": Harness::user(STAFF_MEMBER, "pt-br"),
        "chat_instance": "instance",
        "data": "s:in_review:WA-000001",
        "message": { "message_id": 1, "date": 1_764_169_200, "chat": chat_json(STAFF_CHAT), "text": "post" },
    });
    let update = h.deliver("callback_query", query).await;
    assert_eq!(
        h.post_raw(Some(SECRET), update.to_string()).await,
        StatusCode::OK
    );
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    assert_eq!(h.store.history(&request.id).await.unwrap().len(), 2);
    // The redelivery is recognised, not refused by the lifecycle ("already in review").
    let answers = h.calls("answercallbackquery");
    let (first, second) = (&answers[answers.len() - 2], &answers[answers.len() - 1]);
    assert!(
        first["text"].as_str().unwrap().contains("WA-000001"),
        "{first}"
    );
    assert!(second["text"].is_null(), "answered again: {second}");

    h.press_data(STAFF_MEMBER, "pt-br", STAFF_CHAT, "s:rejected:WA-000001", 1)
        .await;
    let question = h.calls("sendmessage").last().unwrap().clone();
    assert!(
        question["text"]
            .as_str()
            .unwrap()
            .contains("motivo da recusa"),
        "{question}"
    );
    let question_id = question["_message_id"].as_i64().unwrap();
    let reply = |h: &mut Harness, text: &str| {
        h.message(
            STAFF_MEMBER,
            STAFF_CHAT,
            "pt-br",
            json!({ "text": text, "reply_to_message": { "message_id": question_id, "date": 0, "chat": chat_json(STAFF_CHAT), "text": "?" } }),
        )
    };
    // "ok" or a command is not a reason: nothing final happens.
    for text in ["ok", "/cancel"] {
        let message = reply(&mut h, text);
        h.deliver("message", message).await;
        assert_eq!(status_of(&h.store, "WA-000001").await, "in_review");
        assert!(
            h.texts(STAFF_CHAT)
                .last()
                .unwrap()
                .contains("Falta o motivo")
        );
    }
    let message = reply(&mut h, "The portfolio belongs to another company");
    h.deliver("message", message).await;
    assert_eq!(status_of(&h.store, "WA-000001").await, "rejected");
    let heard = h.texts(ana).len();
    h.worker().run_until_idle().await.unwrap();
    // The move to review (pressed twice, made once) and the rejection: once each.
    let told = h.texts(ana)[heard..].to_vec();
    assert_eq!(told.len(), 2, "{told:#?}");
    insta::assert_snapshot!("telegram_rejected_en", told.join("\n---\n"));
    // The staff member is recorded by their user id.
    let history = h.store.history(&request.id).await.unwrap();
    assert!(
        history.last().unwrap().actor.starts_with("telegram:2001"),
        "{history:?}"
    );
    // Staff ask in the group, with a status typed in Portuguese.
    h.text_in(STAFF_MEMBER, STAFF_CHAT, "pt-br", "/pending recusada")
        .await;
    let answer = h.texts(STAFF_CHAT).last().unwrap().clone();
    assert!(answer.contains("WA-000001"), "{answer}");
}

#[tokio::test]
async fn old_keyboards_compressed_photos_and_non_images_are_handled() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = 1050;
    h.text(ana, "en", "/start campaign-42").await;
    assert!(h.texts(ana)[0].contains("WhatsApp onboarding assistant"));
    let (first_question, message_id) = h.latest_keyboard(ana)[1].clone();
    h.press(ana, "en", ana, "no").await;
    // The first question's keyboard, pressed again: refused, nothing changes.
    h.press_data(ana, "en", ana, &first_question, message_id)
        .await;
    let notice = h.calls("answercallbackquery").last().unwrap().clone();
    assert!(
        notice["text"]
            .as_str()
            .unwrap()
            .contains("earlier question"),
        "{notice}"
    );
    assert_eq!(h.draft(1050).await.step.as_str(), "store_account");
    // A staff-style button in a merchant chat is not a merchant's choice either.
    h.press_data(ana, "en", -777, "c:store_account:yes", 5)
        .await;
    assert_eq!(h.draft(1050).await.step.as_str(), "store_account");
    // A file before the logo question is not downloaded.
    h.document(ana, "en", "logo.png", waba_onboard_png()).await;
    assert!(h.calls("getfile").is_empty());
    // On to the logo question.
    for text in ["minhaloja", "ana@minhaloja.com.br", "123456789012345"] {
        h.text(ana, "en", text).await;
    }
    h.press(ana, "en", ana, "yes").await;
    h.text(ana, "en", "Loja Azul").await;
    h.press(ana, "en", ana, "yes").await;
    // A document that says it is a PDF is refused without a download.
    let pdf = h.message(
        ana,
        ana,
        "en",
        json!({ "document": { "file_id": "doc-pdf", "file_unique_id": "updf", "file_size": 2048, "file_name": "logo.pdf", "mime_type": "application/pdf" } }),
    );
    h.deliver("message", pdf).await;
    assert!(h.calls("getfile").is_empty());
    assert!(
        h.texts(ana).last().unwrap().contains("PDF"),
        "{:?}",
        h.texts(ana).last()
    );
    // A compressed photo: the largest size within the limit is taken.
    h.api
        .0
        .lock()
        .unwrap()
        .files
        .insert("photo-big".into(), waba_onboard_png());
    let photo = h.message(
        ana,
        ana,
        "en",
        json!({ "photo": [
            { "file_id": "photo-small", "file_unique_id": "us", "file_size": 900, "width": 90, "height": 90 },
            { "file_id": "photo-big", "file_unique_id": "ub", "file_size": 9000, "width": 640, "height": 640 },
        ] }),
    );
    h.deliver("message", photo).await;
    assert_eq!(
        h.calls("getfile").last().unwrap()["file_id"],
        json!("photo-big")
    );
    assert_eq!(h.draft(1050).await.step.as_str(), "phone");
}

fn waba_onboard_png() -> Vec<u8> {
    crate::support::png(640, 640)
}

#[tokio::test]
async fn the_app_language_is_used_until_the_merchant_chooses_one() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = 1060;
    h.text(ana, "pt-br", "/start").await;
    assert!(h.texts(ana).last().unwrap().contains("Olá"));
    h.text(ana, "pt-br", "/idioma").await;
    h.press(ana, "pt-br", ana, "en").await;
    // The app still says Portuguese; the merchant chose English.
    h.text(ana, "pt-br", "/help").await;
    let said = h.texts(ana).last().unwrap().clone();
    assert!(said.contains("WhatsApp Business account"), "{said}");
    assert_eq!(h.draft(ana).await.locale, Locale::En);
}

#[tokio::test]
async fn a_merchant_is_no_manager_and_sees_only_their_own_requests() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    h.onboard(1070, "en", "+55 11 98765-4321").await;
    let eve = 1071;
    h.text(eve, "pt-br", "/pending").await;
    h.text(eve, "pt-br", "/status WA-000001").await;
    let said = h.texts(eve);
    assert_eq!(said.len(), 2, "{said:#?}");
    assert!(said[0].contains("gestores"), "{said:#?}");
    // `/status` is the merchant's own: someone else's request is not shown.
    assert!(
        !said[1].contains("WA-000001") && !said[1].contains("Loja Azul"),
        "{said:#?}"
    );
}

#[tokio::test]
async fn an_idle_merchant_is_nudged_once_then_the_draft_expires() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = 1080;
    h.text(ana, "pt-br", "/start").await;
    h.press(ana, "pt-br", ana, "no").await;
    let before = h.texts(ana).len();
    let worker = h.worker();
    *h.clock.0.lock().unwrap() += chrono::Duration::hours(25);
    worker.run_until_idle().await.unwrap();
    worker.sweep_drafts().await.unwrap();
    worker.run_until_idle().await.unwrap();
    let texts = h.texts(ana);
    assert_eq!(texts.len(), before + 1, "nudged once: {texts:#?}");
    insta::assert_snapshot!("telegram_draft_nudge_pt_br", texts.last().unwrap());
    *h.clock.0.lock().unwrap() += chrono::Duration::days(7);
    worker.run_until_idle().await.unwrap();
    worker.sweep_drafts().await.unwrap();
    worker.run_until_idle().await.unwrap();
    let texts = h.texts(ana);
    assert_eq!(texts.len(), before + 2, "{texts:#?}");
    insta::assert_snapshot!("telegram_draft_expired_pt_br", texts.last().unwrap());
    let key = waba_onboard::storage::UserKey::new("telegram", &ana.to_string());
    assert!(h.store.draft(&key).await.unwrap().is_none());
}

#[tokio::test]
async fn every_later_move_and_a_cancellation_by_staff_reach_the_merchant_once() {
    use waba_onboard::domain::{RequestStatus, Role};
    use waba_onboard::service::lifecycle::{Actor, Lifecycle};
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let (ana, bia) = (1090, 1091);
    h.onboard(ana, "en", "+55 11 98765-4321").await;
    h.onboard(bia, "pt-br", "(21) 98765-4321").await;
    h.worker().run_until_idle().await.unwrap();
    let lifecycle = Lifecycle::new(h.store.clone(), Arc::new(h.clock.clone()));
    let staff = Actor {
        role: Role::Staff,
        id: "cli:bob".into(),
    };
    let start = h.texts(ana).len();
    for to in [
        RequestStatus::InReview,
        RequestStatus::AwaitingClientApproval,
        RequestStatus::ApprovedByClient,
        RequestStatus::NumberRegistered,
        RequestStatus::Active,
    ] {
        lifecycle
            .advance("WA-000001", to, &staff, None)
            .await
            .unwrap();
        h.worker().run_until_idle().await.unwrap();
    }
    let told = h.texts(ana)[start..].to_vec();
    assert_eq!(told.len(), 5, "one message per move: {told:#?}");
    insta::assert_snapshot!("telegram_every_move_en", told.join("\n---\n"));
    // Staff cancel Bia's request from the group: she is told, in Portuguese.
    let start = h.texts(bia).len();
    h.press_data(
        STAFF_MEMBER,
        "pt-br",
        STAFF_CHAT,
        "s:cancelled:WA-000002",
        1,
    )
    .await;
    assert_eq!(status_of(&h.store, "WA-000002").await, "cancelled");
    h.worker().run_until_idle().await.unwrap();
    let told = h.texts(bia)[start..].to_vec();
    assert_eq!(told.len(), 1, "{told:#?}");
    insta::assert_snapshot!("telegram_cancelled_by_staff_pt_br", told[0]);
}

#[tokio::test]
async fn only_one_instance_polls_at_a_time_and_another_takes_over() {
    let db = TestDb::sqlite();
    let first = Harness::build(&db, false, 3).await;
    let second = Harness::build(&db, false, 3).await;
    first.api.0.lock().unwrap().updates = vec![text_update(61, 1100, "en", "/start")];
    let (stop_first, stopped) = tokio::sync::watch::channel(false);
    let a = tokio::spawn(first.telegram.clone().poll("first".into(), stopped));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while first.texts(1100).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the first never polled"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (stop_second, stopped) = tokio::sync::watch::channel(false);
    let b = tokio::spawn(second.telegram.clone().poll("second".into(), stopped));
    // While the first holds the lease, the second does not ask Telegram for updates.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert!(
        second.calls("getupdates").is_empty(),
        "two instances polled"
    );
    stop_first.send(true).unwrap();
    a.await.unwrap();
    // The first is gone; once its lease has run out, the second polls.
    *second.clock.0.lock().unwrap() += chrono::Duration::seconds(10);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while second.calls("getupdates").is_empty() {
        assert!(std::time::Instant::now() < deadline, "nobody took over");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    stop_second.send(true).unwrap();
    b.await.unwrap();
}

/// The Bot API's update for an answer, as a merchant gives it in their private chat; buttons
/// are pressed on the latest keyboard the fake holds.
fn update_for(h: &Harness, id: i64, from: i64, language: &str, answer: &Inbound) -> Value {
    let message = |extra: Value| {
        let mut message = json!({
            "message_id": id, "date": 1_764_169_200, "chat": chat_json(from),
            "from": Harness::user(from, language),
        });
        for (key, value) in extra.as_object().unwrap() {
            message[key] = value.clone();
        }
        json!({ "update_id": id, "message": message })
    };
    match answer {
        Inbound::Start => message(json!({ "text": "/start" })),
        Inbound::Text(text) => message(json!({ "text": text })),
        Inbound::File { name, bytes } => {
            let file = format!("file{id}");
            h.api
                .0
                .lock()
                .unwrap()
                .files
                .insert(file.clone(), bytes.clone());
            message(json!({ "document": {
                "file_id": file, "file_unique_id": format!("u{file}"), "file_size": bytes.len(),
                "file_name": name, "mime_type": "image/png",
            } }))
        }
        Inbound::Choice(key) => {
            let (data, message_id) = h
                .latest_keyboard(from)
                .into_iter()
                .find(|(data, _)| data.ends_with(&format!(":{key}")))
                .unwrap_or_else(|| panic!("no button {key}"));
            json!({ "update_id": id, "callback_query": {
                "id": format!("cb{id}"), "from": Harness::user(from, language),
                "chat_instance": "instance", "data": data,
                "message": { "message_id": message_id, "date": 1_764_169_200, "chat": chat_json(from), "text": "question" },
            } })
        }
        other => panic!("unexpected answer {other:?}"),
    }
}

#[tokio::test]
async fn serve_logs_no_personal_data_of_a_telegram_merchant() {
    let db = TestDb::sqlite();
    let h = Harness::polling(&db).await;
    let url = h._server.uri();
    let server = crate::serve::Server::start(
        &db.url,
        &[
            ("WABA_TELEGRAM_TOKEN", TOKEN),
            ("WABA_TELEGRAM_API_URL", url.as_str()),
            ("RUST_LOG", "trace"),
        ],
    );
    let ana = 1110;
    let mut answers = answers_to_summary("+55 11 98765-4321");
    answers.push(Inbound::Choice("confirm".into()));
    for (i, answer) in answers.iter().enumerate() {
        let seen = h.texts(ana).len();
        let update = update_for(&h, 100 + i as i64, ana, "en", answer);
        h.api.0.lock().unwrap().updates.push(update);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while h.texts(ana).len() == seen {
            assert!(
                std::time::Instant::now() < deadline,
                "no answer to {answer:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    assert!(h.texts(ana).last().unwrap().contains("WA-000001"));
    server.signal("TERM");
    let (code, logs) = server.wait();
    assert_eq!(code, 0, "{logs}");
    for secret in [
        "5511987654321",
        "98765-4321",
        "ana@minhaloja",
        "123456789012345",
        TOKEN.split(':').nth(1).unwrap(),
    ] {
        assert!(!logs.contains(secret), "the logs contain {secret}");
    }
    for masked in ["***4321", "***@minhaloja.com.br", "***2345"] {
        assert!(logs.contains(masked), "the logs lack {masked}: {logs}");
    }
}

/// Ana's console request WA-000001, confirmed and its ticket opened while no chat channel was
/// configured.
async fn confirmed_without_boards(db: &TestDb, clock: &TestClock) {
    let bot = waba_onboard::service::merchant::Bot::new(db.store().await, Arc::new(clock.clone()));
    let ana = waba_onboard::service::merchant::Merchant {
        key: waba_onboard::storage::UserKey::new("console", "ana"),
        locale_hint: Some(Locale::PtBr),
    };
    let mut answers = answers_to_summary("(11) 98765-4321");
    answers.push(Inbound::Choice("confirm".into()));
    for (i, answer) in answers.into_iter().enumerate() {
        bot.handle(&ana, &format!("c{i}"), answer).await.unwrap();
    }
    Worker::new(
        bot.store().clone(),
        Arc::new(BuiltinDesk),
        vec![Arc::new(waba_onboard::tickets::ConsoleNotifier::new(
            bot.store().clone(),
        ))],
        Arc::new(clock.clone()),
        RetryPolicy::default(),
    )
    .run_until_idle()
    .await
    .unwrap();
    let request = bot.store().request("WA-000001").await.unwrap().unwrap();
    assert_eq!(request.ticket_id.as_deref(), Some("WA-000001"));
}

#[tokio::test]
async fn a_request_confirmed_before_the_staff_group_existed_is_posted_there_once() {
    for db in backends().await {
        let h = Harness::new(&db).await;
        confirmed_without_boards(&db, &h.clock).await;
        assert!(h.texts(STAFF_CHAT).is_empty());
        // Two instances sweep at once, on their own connections; then the jobs run.
        let other_store = db.store().await;
        let other = Worker::new(
            other_store.clone(),
            Arc::new(BuiltinDesk),
            vec![h.telegram.notifier()],
            Arc::new(h.clock.clone()),
            RetryPolicy::default(),
        )
        .with_boards(h.telegram.board().into_iter().collect());
        let mine = h.worker();
        let (a, b) = tokio::join!(mine.sweep_boards(), other.sweep_boards());
        assert_eq!(a.unwrap() + b.unwrap(), 1, "{}: queued once", db.label);
        let (a, b) = tokio::join!(mine.run_until_idle(), other.run_until_idle());
        a.unwrap();
        b.unwrap();
        // Later sweeps find nothing missing.
        assert_eq!(h.worker().sweep_boards().await.unwrap(), 0);
        h.worker().run_until_idle().await.unwrap();
        let posts = h.texts(STAFF_CHAT);
        assert_eq!(posts.len(), 1, "{}: {posts:#?}", db.label);
        assert!(posts[0].contains("WA-000001"), "{}", posts[0]);
        assert_eq!(h.calls("sendphoto").len(), 1, "{}", db.label);
        other_store.close().await;
    }
}

#[tokio::test]
async fn serve_posts_a_request_it_had_not_seen_when_the_staff_group_is_configured() {
    let db = TestDb::sqlite();
    let h = Harness::polling(&db).await;
    crate::serve::with_request(&db);
    let url = h._server.uri();
    let server = crate::serve::Server::start(
        &db.url,
        &[
            ("WABA_TELEGRAM_TOKEN", TOKEN),
            ("WABA_TELEGRAM_API_URL", url.as_str()),
            ("WABA_TELEGRAM_STAFF_CHAT_ID", &STAFF_CHAT.to_string()),
        ],
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while h.texts(STAFF_CHAT).is_empty() {
        assert!(std::time::Instant::now() < deadline, "never posted");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    server.signal("TERM");
    let (code, logs) = server.wait();
    assert_eq!(code, 0, "{logs}");
    let posts = h.texts(STAFF_CHAT);
    assert_eq!(posts.len(), 1, "{posts:#?}");
    assert!(posts[0].contains("WA-000001"), "{}", posts[0]);
}

#[tokio::test]
async fn a_move_the_status_does_not_allow_is_refused_in_the_pressers_language() {
    let db = TestDb::sqlite();
    let mut h = Harness::posted(&db).await;
    // A button of another status (an old post, a forged press): parsed, then refused.
    h.staff_press("s:active:WA-000001").await;
    let refusal = h.calls("answercallbackquery").last().unwrap().clone();
    assert_eq!(
        refusal["text"],
        json!("Uma solicitação não pode passar de submitted para active.")
    );
    assert_eq!(refusal["show_alert"], json!(true));
    assert_eq!(status_of(&h.store, "WA-000001").await, "submitted");
    // A forged one that names no move is an unknown button.
    h.staff_press("s:flying:WA-000001").await;
    let unknown = h.calls("answercallbackquery").last().unwrap().clone();
    assert!(
        unknown["text"]
            .as_str()
            .unwrap()
            .contains("pergunta anterior"),
        "{unknown}"
    );
}

#[tokio::test]
async fn a_merchant_asking_for_a_person_after_sending_is_shown_at_its_real_step() {
    let db = TestDb::sqlite();
    let mut h = Harness::posted(&db).await;
    h.text(ANA_ID, "en", "/human").await;
    h.worker().run_until_idle().await.unwrap();
    let asked = h.texts(STAFF_CHAT).last().unwrap().clone();
    assert!(
        asked.contains("“Solicitação enviada”") && !asked.contains("field-"),
        "{asked}"
    );
}

/// What a Telegram user quotes, forwards or shares is read for the value it carries: a reply to
/// the bot's question, a forwarded message, a contact card at the phone question (its number
/// given without `+`). An edit of an earlier answer changes that answer, checked like any, and
/// the conversation comes back to the question the merchant was at.
#[tokio::test]
async fn replies_forwards_contact_cards_and_edits_are_read_for_their_value() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let ana = 1010;
    h.text(ana, "pt-BR", "/start").await;
    h.press(ana, "pt-BR", ana, "no").await;
    let bot = json!({ "id": 42, "is_bot": true, "first_name": "Bot", "username": "waba_bot" });
    let reply = h.message(
        ana,
        ana,
        "pt-BR",
        json!({ "text": "minhaloja", "reply_to_message": {
            "message_id": 7, "date": 1_764_169_100, "chat": chat_json(ana), "from": bot,
            "text": "Qual é o nome da conta da sua loja?",
        } }),
    );
    h.deliver("message", reply).await;
    let email = h.text(ana, "pt-BR", "ana@minhaloja.com.br").await;
    let forwarded = h.message(
        ana,
        ana,
        "pt-BR",
        json!({ "text": "123456789012345", "forward_origin": {
            "type": "user", "date": 1_764_169_000, "sender_user": Harness::user(2020, "pt-BR"),
        } }),
    );
    h.deliver("message", forwarded).await;
    h.press(ana, "pt-BR", ana, "yes").await;
    let draft = h.draft(ana).await;
    assert_eq!(draft.step.as_str(), "display_name");
    assert_eq!(
        draft.answers.business_id.unwrap().value.as_str(),
        "123456789012345"
    );
    // The e-mail's message edited at the display-name question: the e-mail changes, and the
    // display-name question comes again.
    let mut edit = email["message"].clone();
    edit["text"] = json!("contato@minhaloja.com.br");
    edit["edit_date"] = json!(1_764_169_300);
    h.deliver("edited_message", edit.clone()).await;
    let display_name_question = "Passo 6 de 12\nQual nome os clientes devem ver no WhatsApp? Ele \
        precisa ser a sua marca como aparece no seu site, por exemplo: Loja Azul";
    assert_eq!(
        h.texts(ana).last().unwrap(),
        &format!(
            "Você editou a sua resposta sobre “E-mail de contato”, então eu a atualizei.\n\n\
             {display_name_question}"
        )
    );
    let draft = h.draft(ana).await;
    assert_eq!(draft.step.as_str(), "display_name");
    assert_eq!(
        draft.answers.email.unwrap().value.as_str(),
        "contato@minhaloja.com.br"
    );
    // An edit the rules refuse keeps the answer as it was, and says why.
    edit["text"] = json!("contato@");
    edit["edit_date"] = json!(1_764_169_400);
    h.deliver("edited_message", edit).await;
    assert_eq!(
        h.texts(ana).last().unwrap(),
        &format!(
            "Você editou a sua resposta sobre “E-mail de contato”, mas o novo texto não pode ser \
             usado, então mantive a resposta anterior:\n• Isso não parece um endereço de e-mail. \
             Exemplo: contato@minhaloja.com.br\n\n{display_name_question}"
        )
    );
    assert_eq!(
        h.draft(ana).await.answers.email.unwrap().value.as_str(),
        "contato@minhaloja.com.br"
    );
    // On to the phone question, answered with a contact card whose number has no `+`.
    h.text(ana, "pt-BR", "Loja Azul").await;
    h.press(ana, "pt-BR", ana, "yes").await;
    h.document(ana, "pt-BR", "logo.png", crate::support::png(640, 640))
        .await;
    assert_eq!(h.draft(ana).await.step.as_str(), "phone");
    let card = h.message(
        ana,
        ana,
        "pt-BR",
        json!({ "contact": { "phone_number": "5511987654321", "first_name": "Loja" } }),
    );
    h.deliver("message", card.clone()).await;
    let draft = h.draft(ana).await;
    assert_eq!(draft.step.as_str(), "phone_attestations");
    assert_eq!(draft.answers.phone.unwrap().value.e164(), "+5511987654321");
    // A card at any other question changes nothing and says what it answers.
    let mut again = card;
    again["message_id"] = json!(99_999);
    h.deliver("message", again).await;
    assert!(
        h.texts(ana)
            .last()
            .unwrap()
            .starts_with("Um cartão de contato só responde à pergunta do número de telefone."),
        "{:?}",
        h.texts(ana).last()
    );
    assert_eq!(h.draft(ana).await.step.as_str(), "phone_attestations");
}

/// Telegram having a bad spell while notifications are queued: every send answered 502 for a
/// while, then, back, a 429 asking for a second's pause. After it recovers each merchant has
/// each notification exactly once, nothing reached Telegram inside the pause it asked for,
/// and no job is left failed or waiting.
#[tokio::test]
async fn notifications_queued_through_an_outage_arrive_once_and_the_pause_asked_is_kept() {
    use waba_onboard::domain::{RequestStatus, Role};
    use waba_onboard::service::lifecycle::{Actor, Lifecycle};
    for db in backends().await {
        let mut h = Harness::new(&db).await;
        // Few merchants: teloxide waits 10 s after each 5xx before it returns
        // (`DELAY_ON_SERVER_ERROR`), so every send tried during the outage costs that much.
        let merchants = [1201, 1202];
        for (i, merchant) in merchants.iter().enumerate() {
            let language = if i % 2 == 0 { "en" } else { "pt-br" };
            h.onboard(*merchant, language, &format!("+55 11 98765-43{i:02}"))
                .await;
        }
        h.worker().run_until_idle().await.unwrap();
        let before: Vec<usize> = merchants.iter().map(|m| h.texts(*m).len()).collect();

        h.api.0.lock().unwrap().down = true;
        let lifecycle = Lifecycle::new(h.store.clone(), Arc::new(h.clock.clone()));
        let staff = Actor {
            role: Role::Staff,
            id: "cli:bob".into(),
        };
        for n in 1..=merchants.len() {
            lifecycle
                .advance(&format!("WA-{n:06}"), RequestStatus::InReview, &staff, None)
                .await
                .unwrap();
        }
        // Down: every try fails, and the jobs wait for their next try; none gives up.
        h.worker().run_until_idle().await.unwrap();
        *h.clock.0.lock().unwrap() += chrono::Duration::minutes(5);
        let after: Vec<usize> = merchants.iter().map(|m| h.texts(*m).len()).collect();
        assert_eq!(
            after, before,
            "{}: nothing arrives while Telegram is down",
            db.label
        );
        assert!(
            h.store.failed_jobs().await.unwrap().is_empty(),
            "{}",
            db.label
        );
        assert!(h.store.outbox_depth().await.unwrap() >= merchants.len() as i64);

        // Back, but the first send is asked to wait a second.
        {
            let mut api = h.api.0.lock().unwrap();
            api.down = false;
            api.throttle_sends = 1;
        }
        drain_outbox(&h.worker(), &h.store, &h.clock, db.label).await;
        for (merchant, before) in merchants.iter().zip(before) {
            let told = h.texts(*merchant)[before..].to_vec();
            assert_eq!(
                told.len(),
                1,
                "{}: merchant {merchant} was told {told:#?}",
                db.label
            );
        }
        let early: Vec<_> = {
            let api = h.api.0.lock().unwrap();
            let paused = *api.throttled_at.first().expect("the 429 was answered");
            let pause = paused..paused + std::time::Duration::from_secs(1);
            api.sent_at
                .iter()
                .filter(|(_, at)| *at > paused && pause.contains(at))
                .copied()
                .collect()
        };
        assert!(
            early.is_empty(),
            "{}: sent inside the pause: {early:?}",
            db.label
        );
        h.store.close().await;
    }
}
