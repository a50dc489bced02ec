//! The Discord channel end to end: interactions signed with a test Ed25519 key and POSTed to
//! the router, Discord's REST API faked by a wiremock server (serenity's proxy setting, its
//! rate limiter off) that keeps what the bot sent.

use crate::support::{ANA, TestClock, TestDb, backends, drain_outbox, png, thursday_noon};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;
use waba_onboard::channels::discord::{Discord, Settings};
use waba_onboard::i18n::Locale;
use waba_onboard::service::Services;
use waba_onboard::storage::{Store, UserKey};
use waba_onboard::tickets::{BuiltinDesk, RetryPolicy, Worker};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

const APPLICATION: u64 = 4242;
const GUILD: u64 = 900;
const STAFF_CHANNEL: u64 = 777;
const STAFF_ROLE: u64 = 55;
const MANAGER_ROLE: u64 = 66;
const STAFF_MEMBER: u64 = 2001;

/// What the fake REST API knows and what it was sent.
#[derive(Default)]
struct Api {
    next_id: u64,
    /// Users who do not accept direct messages.
    closed_dms: HashSet<u64>,
    /// DM channel → user.
    dms: HashMap<u64, u64>,
    /// Attachments served at `/cdn/NAME`.
    files: HashMap<String, Vec<u8>>,
    /// (method, path, JSON body or the raw size) of every call, in order.
    calls: Vec<(String, String, Value)>,
    /// Calls of routes this fake does not serve: none is expected.
    unexpected: Vec<String>,
    /// Whether DMs fail with 502 Bad Gateway (Discord having an outage).
    down: bool,
}

#[derive(Clone)]
struct FakeDiscord(Arc<Mutex<Api>>);

fn user_json(id: u64) -> Value {
    json!({ "id": id.to_string(), "username": format!("user{id}"), "discriminator": "0", "global_name": null, "avatar": null })
}

fn message_json(id: u64, channel: u64, body: &Value) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel.to_string(),
        "author": user_json(APPLICATION),
        "content": body["content"].as_str().unwrap_or_default(),
        "timestamp": "2026-11-26T15:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
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
        .map(|mut value: Value| {
            value["_multipart_bytes"] = json!(request.body.len());
            value
        })
        .unwrap_or(Value::Null)
}

impl Respond for FakeDiscord {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let path = request.url.path().to_owned();
        let method = request.method.to_string();
        let mut api = self.0.lock().unwrap();
        if let Some(name) = path.strip_prefix("/cdn/") {
            api.calls.push((method.clone(), path.clone(), Value::Null));
            return match api.files.get(name) {
                Some(bytes) => ResponseTemplate::new(200).set_body_bytes(bytes.clone()),
                None => ResponseTemplate::new(404),
            };
        }
        let body = body_json(request);
        let dm = path.ends_with("/users/@me/channels")
            || (path.ends_with("/messages") && !path.contains(&STAFF_CHANNEL.to_string()));
        if api.down && method == "POST" && dm {
            return ResponseTemplate::new(502)
                .set_body_json(json!({ "message": "502: Bad Gateway", "code": 0 }));
        }
        api.calls.push((method.clone(), path.clone(), body.clone()));
        api.next_id += 1;
        let id = 10_000 + api.next_id;
        let segments: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
        match (method.as_str(), segments.as_slice()) {
            ("PUT", ["applications", ..]) => ResponseTemplate::new(200).set_body_json(json!([])),
            ("POST", ["users", "@me", "channels"]) => {
                let user: u64 = body["recipient_id"]
                    .as_str()
                    .and_then(|u| u.parse().ok())
                    .unwrap_or(0);
                api.dms.insert(id, user);
                ResponseTemplate::new(200).set_body_json(json!({
                    "id": id.to_string(), "type": 1, "last_message_id": null, "recipients": [user_json(user)],
                }))
            }
            ("POST", ["channels", channel, "messages"]) => {
                let channel: u64 = channel.parse().unwrap_or(0);
                if api
                    .dms
                    .get(&channel)
                    .is_some_and(|user| api.closed_dms.contains(user))
                {
                    return ResponseTemplate::new(403).set_body_json(json!({
                        "code": 50007, "message": "Cannot send messages to this user",
                    }));
                }
                ResponseTemplate::new(200).set_body_json(message_json(id, channel, &body))
            }
            ("POST", ["channels", channel, "messages", _, "threads"]) => ResponseTemplate::new(201)
                .set_body_json(json!({
                    "id": id.to_string(), "type": 11, "guild_id": GUILD.to_string(),
                    "name": body["name"], "parent_id": channel,
                })),
            ("PATCH", ["channels", channel, "messages", message]) => {
                let channel: u64 = channel.parse().unwrap_or(0);
                let message: u64 = message.parse().unwrap_or(0);
                ResponseTemplate::new(200).set_body_json(message_json(message, channel, &body))
            }
            ("PATCH", ["webhooks", ..]) => {
                ResponseTemplate::new(200).set_body_json(message_json(id, 1, &body))
            }
            _ => {
                api.unexpected.push(format!("{method} {path}"));
                ResponseTemplate::new(404)
                    .set_body_json(json!({ "code": 0, "message": "404: Not Found" }))
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
                "unexpected REST calls: {unexpected:?}"
            );
        }
    }
}

/// A bot on a fake REST API and a fresh database, with a test signing key.
struct Harness {
    api: FakeDiscord,
    server: MockServer,
    discord: Discord,
    key: SigningKey,
    store: Store,
    clock: TestClock,
    next_interaction: u64,
}

impl Harness {
    async fn new(db: &TestDb) -> Harness {
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("waba_onboard=debug")
            .try_init();
        let server = MockServer::start().await;
        let api = FakeDiscord(Arc::new(Mutex::new(Api::default())));
        Mock::given(any())
            .respond_with(api.clone())
            .mount(&server)
            .await;
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let public_key: String = key
            .verifying_key()
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let store = db.store().await;
        let clock = TestClock::at(thursday_noon());
        let settings = Settings {
            application_id: APPLICATION.into(),
            public_key,
            token: "discord-test-token".into(),
            api_url: Some(server.uri()),
            staff_channel: Some(STAFF_CHANNEL.into()),
            staff_roles: [STAFF_ROLE.into()].into(),
            manager_roles: [MANAGER_ROLE.into()].into(),
            guild: Some(GUILD.into()),
            staff_locale: Locale::PtBr,
            rate_limiter: false,
        };
        let discord = Discord::new(
            settings,
            Services::new(store.clone(), Arc::new(clock.clone())),
        )
        .unwrap();
        Harness {
            api,
            server,
            discord,
            key,
            store,
            clock,
            next_interaction: 1,
        }
    }

    fn timestamp(&self) -> String {
        use waba_onboard::clock::Clock;
        self.clock.now().timestamp().to_string()
    }

    /// POSTs a body with the given signature headers; the status and the JSON answer.
    async fn post_signed(
        &self,
        body: &str,
        signature: Option<String>,
        timestamp: &str,
    ) -> (StatusCode, Value) {
        let mut request = Request::post("/webhooks/discord")
            .header("content-type", "application/json")
            .header("X-Signature-Timestamp", timestamp);
        if let Some(signature) = signature {
            request = request.header("X-Signature-Ed25519", signature);
        }
        let response = self
            .discord
            .router()
            .oneshot(request.body(Body::from(body.to_owned())).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    fn sign(&self, timestamp: &str, body: &str) -> String {
        let signature = self.key.sign(format!("{timestamp}{body}").as_bytes());
        signature
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Sends an interaction, signed; the answer.
    async fn send(&mut self, mut interaction: Value) -> Value {
        interaction["id"] = json!(self.next_interaction.to_string());
        interaction["token"] = json!(format!("token-{}", self.next_interaction));
        self.next_interaction += 1;
        let body = interaction.to_string();
        let timestamp = self.timestamp();
        let signature = self.sign(&timestamp, &body);
        let (status, answer) = self.post_signed(&body, Some(signature), &timestamp).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        answer
    }

    fn base(kind: u8, user: u64, locale: &str, roles: &[u64]) -> Value {
        json!({
            "application_id": APPLICATION.to_string(),
            "type": kind,
            "guild_id": GUILD.to_string(),
            "channel_id": "901",
            "member": {
                "user": user_json(user),
                "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
                "joined_at": "2026-01-01T00:00:00.000000+00:00",
                "deaf": false, "mute": false, "flags": 0,
            },
            "user": user_json(user),
            "version": 1,
            "app_permissions": "0",
            "locale": locale,
            "guild_locale": "pt-BR",
            "entitlements": [],
            "authorizing_integration_owners": {},
            "context": 0,
            "attachment_size_limit": 26_214_400,
        })
    }

    async fn command(
        &mut self,
        user: u64,
        locale: &str,
        name: &str,
        options: Value,
        resolved: Value,
    ) -> Value {
        let mut interaction = Self::base(2, user, locale, &[]);
        interaction["data"] =
            json!({ "id": "1", "name": name, "type": 1, "options": options, "resolved": resolved });
        self.send(interaction).await
    }

    async fn staff_command(
        &mut self,
        user: u64,
        roles: &[u64],
        name: &str,
        options: Value,
    ) -> Value {
        let mut interaction = Self::base(2, user, "en-US", roles);
        interaction["data"] = json!({ "id": "1", "name": name, "type": 1, "options": options });
        self.send(interaction).await
    }

    async fn component(
        &mut self,
        user: u64,
        locale: &str,
        roles: &[u64],
        custom_id: &str,
        values: Option<Vec<&str>>,
    ) -> Value {
        let mut interaction = Self::base(3, user, locale, roles);
        interaction["data"] = match values {
            Some(values) => {
                json!({ "custom_id": custom_id, "component_type": 3, "values": values })
            }
            None => json!({ "custom_id": custom_id, "component_type": 2 }),
        };
        interaction["message"] = message_json(55, 901, &json!({ "content": "question" }));
        self.send(interaction).await
    }

    async fn modal(
        &mut self,
        user: u64,
        locale: &str,
        roles: &[u64],
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> Value {
        let mut interaction = Self::base(5, user, locale, roles);
        let rows: Vec<Value> = fields
            .iter()
            .map(|(id, value)| json!({ "type": 1, "components": [{ "type": 4, "custom_id": id, "value": value }] }))
            .collect();
        interaction["data"] = json!({ "custom_id": custom_id, "components": rows });
        interaction["message"] = message_json(55, 901, &json!({ "content": "question" }));
        self.send(interaction).await
    }

    /// A merchant's draft, which must exist.
    async fn draft(&self, user: u64) -> waba_onboard::conversation::Draft {
        let key = UserKey::new("discord", &user.to_string());
        self.store.draft(&key).await.unwrap().expect("a draft")
    }

    fn calls(&self, method: &str, path_part: &str) -> Vec<Value> {
        self.api
            .0
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|(m, p, _)| m == method && p.contains(path_part))
            .map(|(_, _, b)| b.clone())
            .collect()
    }

    /// The direct messages a user received, in order.
    fn dms(&self, user: u64) -> Vec<String> {
        let api = self.api.0.lock().unwrap();
        api.calls
            .iter()
            .filter(|(m, p, _)| m == "POST" && p.ends_with("/messages"))
            .filter(|(_, p, _)| {
                p.trim_start_matches("/api/v10/channels/")
                    .split('/')
                    .next()
                    .and_then(|c| c.parse::<u64>().ok())
                    .and_then(|c| api.dms.get(&c))
                    == Some(&user)
            })
            .map(|(_, _, b)| b["content"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    fn worker(&self) -> Worker {
        Worker::new(
            self.store.clone(),
            Arc::new(BuiltinDesk),
            vec![self.discord.notifier()],
            Arc::new(self.clock.clone()),
            RetryPolicy::default(),
        )
        .with_boards(self.discord.board().into_iter().collect())
    }

    /// The custom ids of the buttons and select menus of an answer.
    fn ids(answer: &Value) -> Vec<String> {
        answer["data"]["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter_map(|c| c["custom_id"].as_str().map(str::to_owned))
            .collect()
    }

    /// Presses the button of an answer whose id ends with `:key`.
    async fn press(&mut self, user: u64, locale: &str, answer: &Value, key: &str) -> Value {
        let id = Self::ids(answer)
            .into_iter()
            .find(|id| id.ends_with(&format!(":{key}")))
            .unwrap_or_else(|| panic!("no button {key} in {answer}"));
        self.component(user, locale, &[], &id, None).await
    }

    /// Picks an option of the select menu of an answer.
    async fn select(&mut self, user: u64, locale: &str, answer: &Value, value: &str) -> Value {
        let id = Self::ids(answer)
            .into_iter()
            .find(|id| id.starts_with("c:"))
            .unwrap_or_else(|| panic!("no select in {answer}"));
        self.component(user, locale, &[], &id, Some(vec![value]))
            .await
    }

    /// The whole onboarding of a merchant, through buttons, the form, the select menu and the
    /// logo attachment; the last answer.
    async fn onboard(&mut self, user: u64, locale: &str, phone: &str) -> Value {
        let answer = self.until_logo(user, locale, phone).await;
        assert!(text_of(&answer).contains("logo"), "{answer}");
        // The logo question: the image goes as an attachment of /onboard.
        self.api
            .0
            .lock()
            .unwrap()
            .files
            .insert("logo.png".into(), png(640, 640));
        let deferred = self
            .command(
                user,
                locale,
                "onboard",
                Self::logo_option(),
                self.attachment("logo.png", png(640, 640).len(), "image/png"),
            )
            .await;
        assert_eq!(deferred["type"], json!(5), "{deferred}");
        let edited = self.wait_for_edit().await;
        let mut answer = json!({ "data": edited });
        for key in ["yes", "yes", "not_in_use"] {
            answer = self.press(user, locale, &answer, key).await;
        }
        let answer = self.select(user, locale, &answer, "RETAIL").await;
        let answer = self.press(user, locale, &answer, "skip").await;
        let answer = self.press(user, locale, &answer, "verified").await;
        self.press(user, locale, &answer, "confirm").await
    }

    fn logo_option() -> Value {
        json!([{ "name": "logo", "type": 11, "value": "31" }])
    }

    /// The `resolved` part of an interaction with one attachment served by the fake CDN.
    fn attachment(&self, name: &str, size: usize, content_type: &str) -> Value {
        let url = format!("{}/cdn/{name}", self.server.uri());
        json!({ "attachments": { "31": {
            "id": "31", "filename": name, "size": size, "url": url, "proxy_url": url,
            "content_type": content_type, "width": 640, "height": 640,
        } } })
    }

    /// From `/onboard` to the logo question; its answer.
    async fn until_logo(&mut self, user: u64, locale: &str, phone: &str) -> Value {
        let answer = self
            .command(user, locale, "onboard", json!([]), json!({}))
            .await;
        let answer = self.press(user, locale, &answer, "no").await;
        // The form opens from a button, as a modal.
        let open = Self::ids(&answer)
            .into_iter()
            .find(|id| id.starts_with("m:"))
            .expect("a form button");
        let modal = self.component(user, locale, &[], &open, None).await;
        assert_eq!(modal["type"], json!(9), "{modal}");
        let form_id = modal["data"]["custom_id"].as_str().unwrap().to_owned();
        let answer = self
            .modal(
                user,
                locale,
                &[],
                &form_id,
                &[
                    ("store_account", ANA.store_account),
                    ("email", ANA.email),
                    ("business_id", ANA.business_id),
                    ("display_name", ANA.display_name),
                    ("phone", phone),
                ],
            )
            .await;
        self.press(user, locale, &answer, "yes").await
    }

    /// The latest edit of a deferred answer.
    async fn wait_for_edit(&self) -> Value {
        self.wait_for_edit_after(0).await
    }

    /// The first edit of a deferred answer after `seen` of them.
    async fn wait_for_edit_after(&self, seen: usize) -> Value {
        for _ in 0..200 {
            let edits = self.calls("PATCH", "/webhooks/");
            if edits.len() > seen {
                return edits[seen].clone();
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the deferred answer was never edited");
    }

    /// A staff or manager query: deferred, then its answer edited in; the answer's text.
    async fn query(&mut self, user: u64, roles: &[u64], name: &str, options: Value) -> String {
        let seen = self.calls("PATCH", "/webhooks/").len();
        let answer = self.staff_command(user, roles, name, options).await;
        if answer["type"] == json!(4) {
            return text_of(&answer);
        }
        assert_eq!(answer["type"], json!(5), "{answer}");
        let edit = self.wait_for_edit_after(seen).await;
        format!(
            "{}{}",
            edit["content"].as_str().unwrap_or_default(),
            edit["embeds"][0]["description"]
                .as_str()
                .unwrap_or_default()
        )
    }
}

fn text_of(answer: &Value) -> String {
    let data = &answer["data"];
    let content = data["content"].as_str().unwrap_or_default().to_owned();
    let embed = data["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default();
    format!("{content}{embed}")
}

#[tokio::test]
async fn a_merchant_onboards_in_english_through_buttons_modals_and_the_attachment() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    // In a guild, the conversation is visible to the merchant alone (flag 64).
    let first = h
        .command(1001, "en-US", "onboard", json!([]), json!({}))
        .await;
    assert_eq!(first["data"]["flags"], json!(64), "{first}");
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let last = h.onboard(1001, "en-US", "+55 11 98765-4321").await;
    assert!(text_of(&last).contains("WA-000001"), "{last}");
    // Each button replaced the question it belonged to.
    assert_eq!(last["type"], json!(7), "{last}");
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    assert_eq!(request.requester.channel, "discord");
    assert_eq!(request.locale, "en");
    assert_eq!(request.display_name, "Loja Azul");
    assert_eq!(request.logo_width, 640);
}

#[tokio::test]
async fn a_merchant_onboards_in_portuguese_and_a_modal_with_mistakes_is_explained() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let user = 1002;
    let answer = h
        .command(user, "pt-BR", "onboard", json!([]), json!({}))
        .await;
    assert!(text_of(&answer).contains("Olá"), "{answer}");
    let answer = h.press(user, "pt-BR", &answer, "no").await;
    let open = Harness::ids(&answer)
        .into_iter()
        .find(|id| id.starts_with("m:"))
        .unwrap();
    let modal = h.component(user, "pt-BR", &[], &open, None).await;
    // Labels fit Discord's 45 characters, in Portuguese.
    for row in modal["data"]["components"].as_array().unwrap() {
        let label = row["components"][0]["label"].as_str().unwrap();
        assert!(label.chars().count() <= 45, "{label}");
    }
    assert!(modal["data"]["title"].as_str().unwrap().contains("loja"));
    let form = modal["data"]["custom_id"].as_str().unwrap().to_owned();
    let answer = h
        .modal(
            user,
            "pt-BR",
            &[],
            &form,
            &[
                ("store_account", "Minha Loja"),
                ("email", "ana@minhaloja.com.br"),
                ("business_id", "12345"),
                ("display_name", "Loja Azul"),
                ("phone", "(11) 98765-4321"),
            ],
        )
        .await;
    let text = text_of(&answer);
    assert!(
        text.contains("letras minúsculas") && text.contains("5 dígitos"),
        "{text}"
    );
    // The form opens again, pre-filled with what was valid, empty where it was not.
    let open = Harness::ids(&answer)
        .into_iter()
        .find(|id| id.starts_with("m:"))
        .expect("form button");
    let modal = h.component(user, "pt-BR", &[], &open, None).await;
    let values: HashMap<String, Option<String>> = modal["data"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let input = &row["components"][0];
            (
                input["custom_id"].as_str().unwrap().to_owned(),
                input["value"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(values["email"].as_deref(), Some("ana@minhaloja.com.br"));
    assert_eq!(values["display_name"].as_deref(), Some("Loja Azul"));
    assert_eq!(values["store_account"], None);
    assert_eq!(values["business_id"], None);
    // A modal of an older version of the form changes nothing.
    let old = h
        .modal(
            user,
            "pt-BR",
            &[],
            "form:0:main",
            &[("store_account", "minhaloja")],
        )
        .await;
    assert!(text_of(&old).contains("versão anterior"), "{old}");
    let draft = h.draft(user).await;
    assert!(draft.answers.store_account.is_none());
    // The whole conversation in Portuguese.
    let db2 = TestDb::sqlite();
    let mut h2 = Harness::new(&db2).await;
    let last = h2.onboard(user, "pt-BR", "(11) 98765-4321").await;
    let text = text_of(&last);
    assert!(
        text.contains("WA-000001") && text.contains("Gerenciador de Negócios"),
        "{text}"
    );
}

#[tokio::test]
async fn forged_stale_and_malformed_interactions_are_refused() {
    let db = TestDb::sqlite();
    let h = Harness::new(&db).await;
    let ping = json!({ "id": "1", "application_id": APPLICATION.to_string(), "type": 1, "token": "t", "version": 1 }).to_string();
    let now = h.timestamp();
    let (status, answer) = h.post_signed(&ping, Some(h.sign(&now, &ping)), &now).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["type"], json!(1), "PING answered with PONG");
    // Signed by another key.
    let other = SigningKey::from_bytes(&[8u8; 32]);
    let forged: String = other
        .sign(format!("{now}{ping}").as_bytes())
        .to_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        h.post_signed(&ping, Some(forged), &now).await.0,
        StatusCode::UNAUTHORIZED
    );
    // No signature, a tampered body, a stale timestamp.
    assert_eq!(
        h.post_signed(&ping, None, &now).await.0,
        StatusCode::UNAUTHORIZED
    );
    let tampered = ping.replace("\"t\"", "\"u\"");
    assert_eq!(
        h.post_signed(&tampered, Some(h.sign(&now, &ping)), &now)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let old = (thursday_noon().timestamp() - 3600).to_string();
    assert_eq!(
        h.post_signed(&ping, Some(h.sign(&old, &ping)), &old)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // Signed but not an interaction.
    let junk = "{\"type\": 99}";
    assert_eq!(
        h.post_signed(junk, Some(h.sign(&now, junk)), &now).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn bad_attachments_and_unknown_ids_change_nothing() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let user = 1003;
    // A logo before its question is not downloaded.
    h.command(user, "en-US", "onboard", json!([]), json!({}))
        .await;
    let early = h.attachment("early.png", 2048, "image/png");
    let answer = h
        .command(user, "en-US", "onboard", Harness::logo_option(), early)
        .await;
    assert_eq!(answer["type"], json!(4), "answered at once: {answer}");
    assert_eq!(h.draft(user).await.step.as_str(), "existing_account");
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    h.until_logo(user, "en-US", "+55 11 98765-4321").await;
    let huge = h.attachment("huge.png", 30_000_000, "image/png");
    let answer = h
        .command(user, "en-US", "onboard", Harness::logo_option(), huge)
        .await;
    let content = text_of(&answer);
    assert!(
        content.contains("30000000 bytes") || content.contains("30,000,000 bytes"),
        "{answer}"
    );
    let pdf = h.attachment("logo.pdf", 2048, "application/pdf");
    let answer = h
        .command(user, "en-US", "onboard", Harness::logo_option(), pdf)
        .await;
    assert!(text_of(&answer).contains("PDF"), "{answer}");
    // A file that says it is an image but is not one: read, then refused.
    h.api
        .0
        .lock()
        .unwrap()
        .files
        .insert("fake.png".into(), b"GIF89a not a png".to_vec());
    let fake = h.attachment("fake.png", 16, "image/png");
    let answer = h
        .command(user, "en-US", "onboard", Harness::logo_option(), fake)
        .await;
    assert_eq!(answer["type"], json!(5), "{answer}");
    let edit = h.wait_for_edit().await;
    assert!(edit["content"].as_str().unwrap().contains("GIF"), "{edit}");
    let downloads: Vec<String> = h
        .api
        .0
        .lock()
        .unwrap()
        .calls
        .iter()
        .filter(|(_, p, _)| p.contains("/cdn/"))
        .map(|(_, p, _)| p.clone())
        .collect();
    assert_eq!(
        downloads,
        ["/cdn/fake.png"],
        "a refused file was downloaded"
    );
    assert_eq!(h.draft(user).await.step.as_str(), "logo");
    let unknown = h.component(user, "en-US", &[], "zz:what", None).await;
    assert!(text_of(&unknown).contains("don’t know"), "{unknown}");
    let unknown = h
        .command(user, "en-US", "dance", json!([]), json!({}))
        .await;
    assert!(text_of(&unknown).contains("don’t know"), "{unknown}");
    let old = h
        .component(user, "en-US", &[], "c:summary:confirm", None)
        .await;
    assert!(text_of(&old).contains("earlier question"), "{old}");
    assert_eq!(h.draft(user).await.step.as_str(), "logo");
}

const MERCHANT: u64 = 1004;

impl Harness {
    /// A merchant's request WA-000001, confirmed in English and posted in the staff channel.
    async fn posted(db: &TestDb) -> Harness {
        let mut h = Harness::new(db).await;
        h.onboard(MERCHANT, "en-US", "+55 11 98765-4321").await;
        h.worker().run_until_idle().await.unwrap();
        h
    }

    /// A staff member (with the role, in Portuguese) presses a button or picks in a menu.
    async fn staff_press(&mut self, custom_id: &str, values: Option<Vec<&str>>) -> Value {
        self.component(STAFF_MEMBER, "pt-BR", &[STAFF_ROLE], custom_id, values)
            .await
    }
}

#[tokio::test]
async fn a_request_is_posted_for_staff_with_its_logo_buttons_and_thread() {
    for db in backends().await {
        let h = Harness::posted(&db).await;
        // An embed with the fields, the logo attached, buttons; then its thread.
        let posts: Vec<Value> = h
            .calls("POST", &format!("/channels/{STAFF_CHANNEL}/messages"))
            .into_iter()
            .filter(|p| p["embeds"].is_array())
            .collect();
        assert_eq!(posts.len(), 1, "{}: {posts:#?}", db.label);
        let post = &posts[0];
        let description = post["embeds"][0]["description"].as_str().unwrap();
        assert!(
            description.contains("minhaloja") && description.contains("Loja Azul"),
            "{description}"
        );
        assert_eq!(
            post["embeds"][0]["image"]["url"],
            json!("attachment://logo.png")
        );
        assert!(
            post["_multipart_bytes"].as_u64().unwrap() > 1000,
            "the logo was not attached"
        );
        assert_eq!(h.calls("POST", "/threads").len(), 1, "{}", db.label);
        let buttons = Harness::ids(&json!({ "data": post }));
        assert!(
            buttons.contains(&"s:in_review:WA-000001".to_owned()),
            "{buttons:?}"
        );
    }
}

#[tokio::test]
async fn a_member_without_the_staff_role_cannot_move_a_request() {
    let db = TestDb::sqlite();
    let mut h = Harness::posted(&db).await;
    let refused = h
        .component(3001, "en-US", &[], "s:in_review:WA-000001", None)
        .await;
    assert!(text_of(&refused).contains("support team role"), "{refused}");
    assert_eq!(
        h.store.request("WA-000001").await.unwrap().unwrap().status,
        "submitted"
    );
    assert!(h.calls("PATCH", "/channels/").is_empty());
}

#[tokio::test]
async fn staff_work_a_request_in_its_thread_and_the_merchant_gets_a_dm() {
    for db in backends().await {
        let mut h = Harness::posted(&db).await;
        let moved = h.staff_press("s:in_review:WA-000001", None).await;
        assert!(text_of(&moved).contains("WA-000001"), "{moved}");
        assert_eq!(
            h.store.request("WA-000001").await.unwrap().unwrap().status,
            "in_review"
        );
        let heard = h.dms(MERCHANT).len();
        h.worker().run_until_idle().await.unwrap();
        // The merchant's DM, in English, once; the post edited to the new status.
        assert_eq!(
            h.dms(MERCHANT)[heard..],
            ["Request WA-000001 is being reviewed by our team; expect news by November 30, 2026."],
            "{}",
            db.label
        );
        let edit = h
            .calls("PATCH", &format!("/channels/{STAFF_CHANNEL}/messages/"))
            .last()
            .unwrap()
            .clone();
        assert!(
            edit["embeds"][0]["title"]
                .as_str()
                .unwrap()
                .contains("em análise"),
            "{edit}"
        );
    }
}

#[tokio::test]
async fn staff_ask_for_a_fix_by_fields_then_reason_and_the_merchant_gets_a_dm() {
    for db in backends().await {
        let mut h = Harness::posted(&db).await;
        h.staff_press("s:in_review:WA-000001", None).await;
        h.worker().run_until_idle().await.unwrap();
        // The fields, then the reason in a modal.
        let picker = h.staff_press("s:needs_info:WA-000001", None).await;
        let select = Harness::ids(&picker).into_iter().next().unwrap();
        let modal = h.staff_press(&select, Some(vec!["display_name"])).await;
        assert_eq!(modal["type"], json!(9), "{modal}");
        let reason_id = modal["data"]["custom_id"].as_str().unwrap().to_owned();
        h.modal(
            STAFF_MEMBER,
            "pt-BR",
            &[STAFF_ROLE],
            &reason_id,
            &[("reason", "Use the brand shown on the website")],
        )
        .await;
        assert_eq!(
            h.store.request("WA-000001").await.unwrap().unwrap().status,
            "needs_info",
            "{}",
            db.label
        );
        let heard = h.dms(MERCHANT).len();
        h.worker().run_until_idle().await.unwrap();
        let told = h.dms(MERCHANT)[heard..].to_vec();
        assert_eq!(told.len(), 1, "{}: {told:#?}", db.label);
        insta::assert_snapshot!("discord_needs_info_en", told[0]);
    }
}

#[tokio::test]
async fn a_merchant_who_refuses_dms_is_marked_unreachable_and_managers_query() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let merchant = 1005;
    h.onboard(merchant, "en-US", "+55 11 98765-4321").await;
    h.worker().run_until_idle().await.unwrap();
    h.api.0.lock().unwrap().closed_dms.insert(merchant);
    h.component(
        STAFF_MEMBER,
        "pt-BR",
        &[STAFF_ROLE],
        "s:in_review:WA-000001",
        None,
    )
    .await;
    h.worker().run_until_idle().await.unwrap();
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    assert!(request.unreachable);
    assert!(h.store.failed_jobs().await.unwrap().is_empty());
    let edit = h
        .calls("PATCH", &format!("/channels/{STAFF_CHANNEL}/messages/"))
        .last()
        .unwrap()
        .clone();
    assert!(
        edit["embeds"][0]["description"]
            .as_str()
            .unwrap()
            .contains("inalcançável"),
        "{edit}"
    );
    // Managers ask; a member without a role cannot.
    let pending = h.query(900, &[MANAGER_ROLE], "pending", json!([])).await;
    assert!(pending.contains("WA-000001"), "{pending}");
    let report = h
        .query(
            900,
            &[MANAGER_ROLE],
            "request",
            json!([{ "name": "reference", "type": 3, "value": "wa-000001" }]),
        )
        .await;
    assert!(report.contains("Loja Azul"), "{report}");
    let stats = h.query(900, &[MANAGER_ROLE], "stats", json!([])).await;
    assert!(stats.contains("in review: 1 now"), "{stats}");
    // The chart is attached to the same answer.
    let edit = h.calls("PATCH", "/webhooks/").last().cloned().unwrap();
    assert!(
        edit["_multipart_bytes"].as_u64().unwrap_or(0) > 10_000,
        "the chart is attached: {edit}"
    );
    assert_eq!(edit["attachments"][0]["filename"], "pipeline.png", "{edit}");
    let refused = h.query(901, &[], "stats", json!([])).await;
    assert!(
        refused.contains("Only support staff and managers"),
        "{refused}"
    );
    let unknown = h
        .query(
            900,
            &[MANAGER_ROLE],
            "pending",
            json!([{ "name": "status", "type": 3, "value": "lost" }]),
        )
        .await;
    assert!(unknown.contains("lost"), "{unknown}");
}

#[tokio::test]
async fn serve_registers_the_commands_and_answers_interactions() {
    let db = TestDb::sqlite();
    let h = Harness::new(&db).await;
    let public_key: String = h
        .key
        .verifying_key()
        .to_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let url = h.server.uri();
    let server = crate::serve::Server::start(
        &db.url,
        &[
            ("WABA_DISCORD_APPLICATION_ID", "4242"),
            ("WABA_DISCORD_PUBLIC_KEY", public_key.as_str()),
            ("WABA_DISCORD_TOKEN", "discord-test-token"),
            ("WABA_DISCORD_API_URL", url.as_str()),
            ("WABA_DISCORD_GUILD_ID", "900"),
        ],
    );
    let commands = h.calls("PUT", "/guilds/900/commands");
    assert_eq!(commands.len(), 1, "commands registered once, in the guild");
    let names: Vec<&str> = commands[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "onboard", "status", "cancel", "language", "help", "back", "human", "erase", "code",
            "resend", "call", "signup", "team", "pending", "stats", "request"
        ]
    );
    assert_eq!(
        commands[0][0]["name_localizations"]["pt-BR"],
        json!("cadastrar")
    );
    // An unsigned call is refused by the running server.
    let (code, _) = crate::serve::get_post(server.port(), "/webhooks/discord", "{}");
    assert_eq!(code, 401);
    server.signal("TERM");
    let (code, logs) = server.wait();
    assert_eq!(code, 0, "{logs}");
    assert!(
        !logs.contains("discord-test-token"),
        "the token is in the logs"
    );
}

#[tokio::test]
async fn staff_reject_in_a_modal_and_nobody_else_can_and_nothing_is_done_twice() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    h.onboard(1006, "en-US", "+55 11 98765-4321").await;
    h.worker().run_until_idle().await.unwrap();
    // A reason modal forged by a member without the role, or sent from a DM: refused.
    let forged = h
        .modal(
            3001,
            "en-US",
            &[],
            "r:rejected:-:WA-000001",
            &[("reason", "Forged reason")],
        )
        .await;
    assert!(text_of(&forged).contains("support team role"), "{forged}");
    let mut dm = Harness::base(5, 3002, "en-US", &[]);
    dm.as_object_mut().unwrap().remove("guild_id");
    dm.as_object_mut().unwrap().remove("member");
    dm["data"] = json!({ "custom_id": "r:rejected:-:WA-000001", "components": [{ "type": 1, "components": [{ "type": 4, "custom_id": "reason", "value": "From a DM" }] }] });
    let refused = h.send(dm).await;
    assert!(text_of(&refused).contains("support team role"), "{refused}");
    assert_eq!(
        h.store.request("WA-000001").await.unwrap().unwrap().status,
        "submitted"
    );
    // Staff reject with a reason; the same interaction again does nothing more.
    let button = h
        .component(
            STAFF_MEMBER,
            "pt-BR",
            &[STAFF_ROLE],
            "s:rejected:WA-000001",
            None,
        )
        .await;
    assert_eq!(button["type"], json!(9), "{button}");
    let id = button["data"]["custom_id"].as_str().unwrap().to_owned();
    let mut interaction = Harness::base(5, STAFF_MEMBER, "pt-BR", &[STAFF_ROLE]);
    interaction["data"] = json!({ "custom_id": id, "components": [{ "type": 1, "components": [{ "type": 4, "custom_id": "reason", "value": "The portfolio is another company's" }] }] });
    interaction["id"] = json!("777");
    interaction["token"] = json!("token-777");
    let body = interaction.to_string();
    let mut answers = Vec::new();
    for _ in 0..2 {
        let now = h.timestamp();
        let (status, answer) = h.post_signed(&body, Some(h.sign(&now, &body)), &now).await;
        assert_eq!(status, StatusCode::OK);
        answers.push(text_of(&answer));
    }
    assert!(answers[0].contains("WA-000001"), "{answers:?}");
    // The redelivery is recognised as such, not refused by the lifecycle ("already final").
    assert_eq!(answers[1], "Isso já foi feito.");
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    assert_eq!(request.status, "rejected");
    assert_eq!(
        h.store.history(&request.id).await.unwrap().len(),
        2,
        "moved twice"
    );
    h.worker().run_until_idle().await.unwrap();
    let told = h.dms(1006);
    assert_eq!(told.len(), 1, "{told:#?}");
    insta::assert_snapshot!("discord_rejected_en", told[0]);
}

/// What staff type reaches the merchant letter for letter: markdown is not formatted, a masked
/// link is not a link; a reason holding a direction override is refused, naming it.
#[tokio::test]
async fn a_reason_is_shown_letter_for_letter_and_hidden_characters_are_refused() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    h.onboard(1007, "en-US", "+55 11 98765-4321").await;
    h.worker().run_until_idle().await.unwrap();
    let hidden = h
        .modal(
            STAFF_MEMBER,
            "en-US",
            &[STAFF_ROLE],
            "r:rejected:-:WA-000001",
            &[("reason", "Wrong \u{202E}di oiloftrop")],
        )
        .await;
    assert_eq!(
        text_of(&hidden),
        "The reason contains a control or invisible character (U+202E), usually copied along \
         with the text: type it again without it."
    );
    assert_eq!(
        h.store.request("WA-000001").await.unwrap().unwrap().status,
        "submitted"
    );
    h.modal(
        STAFF_MEMBER,
        "en-US",
        &[STAFF_ROLE],
        "r:rejected:-:WA-000001",
        &[(
            "reason",
            "**Urgent**: pay at [our page](https://pay.example)",
        )],
    )
    .await;
    h.worker().run_until_idle().await.unwrap();
    let told = h.dms(1007);
    assert_eq!(told.len(), 1, "{told:#?}");
    assert!(
        told[0].contains("\\*\\*Urgent\\*\\*: pay at \\[our page\\](https://pay.example)"),
        "{}",
        told[0]
    );
}

#[tokio::test]
async fn in_a_dm_answers_are_not_ephemeral_and_stale_forms_change_nothing() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let mut start = Harness::base(2, 1007, "en-US", &[]);
    start.as_object_mut().unwrap().remove("guild_id");
    start.as_object_mut().unwrap().remove("member");
    start["data"] = json!({ "id": "1", "name": "onboard", "type": 1 });
    let answer = h.send(start).await;
    assert_eq!(answer["type"], json!(4));
    assert!(
        answer["data"]["flags"].is_null() || answer["data"]["flags"] == json!(0),
        "{answer}"
    );
    // A main form opened earlier, submitted once the conversation has moved on: refused.
    let stale = h
        .modal(
            1007,
            "en-US",
            &[],
            "form:1:store_account",
            &[("store_account", "other")],
        )
        .await;
    assert!(text_of(&stale).contains("older version"), "{stale}");
    let draft = h.draft(1007).await;
    assert_eq!(draft.step.as_str(), "existing_account");
    assert!(draft.answers.store_account.is_none());
    // A signature timestamp that is not a time.
    let body = json!({ "type": 1 }).to_string();
    for timestamp in ["-9223372036854775808", "soon", ""] {
        let (status, _) = h
            .post_signed(&body, Some(h.sign(timestamp, &body)), timestamp)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{timestamp}");
    }
}

#[tokio::test]
async fn a_redelivered_press_of_a_merchant_is_handled_once() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let user = 1008;
    let first = h
        .command(user, "en-US", "onboard", json!([]), json!({}))
        .await;
    let id = Harness::ids(&first)
        .into_iter()
        .find(|id| id.ends_with(":no"))
        .unwrap();
    let mut press = Harness::base(3, user, "en-US", &[]);
    press["data"] = json!({ "custom_id": id, "component_type": 2 });
    press["message"] = message_json(55, 901, &json!({ "content": "question" }));
    press["id"] = json!("4040");
    press["token"] = json!("token-4040");
    let body = press.to_string();
    let mut answers = Vec::new();
    for _ in 0..2 {
        let now = h.timestamp();
        let (status, answer) = h.post_signed(&body, Some(h.sign(&now, &body)), &now).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        answers.push(answer);
    }
    let draft = h.draft(user).await;
    assert_eq!(draft.step.as_str(), "store_account");
    // The second is the same screen again, not "a button of an earlier question".
    assert_eq!(text_of(&answers[1]), text_of(&answers[0]));
    assert_eq!(Harness::ids(&answers[1]), Harness::ids(&answers[0]));
}

#[tokio::test]
async fn a_manager_without_the_staff_role_cannot_move_a_request() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    h.onboard(1009, "en-US", "+55 11 98765-4321").await;
    h.worker().run_until_idle().await.unwrap();
    let refused = h
        .component(900, "en-US", &[MANAGER_ROLE], "s:in_review:WA-000001", None)
        .await;
    assert!(text_of(&refused).contains("support team role"), "{refused}");
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    assert_eq!(request.status, "submitted");
    assert_eq!(h.store.history(&request.id).await.unwrap().len(), 1);
    // Nor ask for a reason: the modal is not opened for them.
    let refused = h
        .component(900, "en-US", &[MANAGER_ROLE], "s:rejected:WA-000001", None)
        .await;
    assert_ne!(refused["type"], json!(9), "{refused}");
    assert!(text_of(&refused).contains("support team role"), "{refused}");
}

#[tokio::test]
async fn an_idle_merchant_is_nudged_once_by_dm_then_the_draft_expires() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let user = 1010;
    let first = h
        .command(user, "pt-BR", "onboard", json!([]), json!({}))
        .await;
    h.press(user, "pt-BR", &first, "no").await;
    let worker = h.worker();
    *h.clock.0.lock().unwrap() += chrono::Duration::hours(25);
    worker.sweep_drafts().await.unwrap();
    worker.run_until_idle().await.unwrap();
    let told = h.dms(user);
    assert_eq!(told.len(), 1, "nudged once: {told:#?}");
    insta::assert_snapshot!("discord_draft_nudge_pt_br", told[0]);
    *h.clock.0.lock().unwrap() += chrono::Duration::days(7);
    worker.sweep_drafts().await.unwrap();
    worker.run_until_idle().await.unwrap();
    let told = h.dms(user);
    assert_eq!(told.len(), 2, "{told:#?}");
    insta::assert_snapshot!("discord_draft_expired_pt_br", told[1]);
    assert!(
        h.store
            .draft(&UserKey::new("discord", &user.to_string()))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_request_confirmed_before_the_staff_channel_existed_is_posted_there_once() {
    for db in backends().await {
        let h = Harness::new(&db).await;
        crate::serve::with_request(&db);
        // Its ticket opened by a command line without Discord.
        crate::support::run_binary(&db.url, &["requests", "list"], "", &[]);
        assert!(h.calls("POST", "/channels/").is_empty());
        let (one, two) = (h.worker(), h.worker());
        let (a, b) = tokio::join!(one.sweep_boards(), two.sweep_boards());
        assert_eq!(a.unwrap() + b.unwrap(), 1, "{}: queued once", db.label);
        h.worker().run_until_idle().await.unwrap();
        assert_eq!(h.worker().sweep_boards().await.unwrap(), 0);
        let posts: Vec<Value> = h
            .calls("POST", &format!("/channels/{STAFF_CHANNEL}/messages"))
            .into_iter()
            .filter(|p| p["embeds"].is_array())
            .collect();
        assert_eq!(posts.len(), 1, "{}: {posts:#?}", db.label);
        assert!(
            posts[0]["embeds"][0]["title"]
                .as_str()
                .unwrap()
                .contains("WA-000001"),
            "{}",
            posts[0]
        );
    }
}

#[tokio::test]
async fn a_move_the_status_does_not_allow_is_refused_in_the_pressers_language() {
    let db = TestDb::sqlite();
    let mut h = Harness::posted(&db).await;
    let refused = h.staff_press("s:active:WA-000001", None).await;
    assert_eq!(
        text_of(&refused),
        "Uma solicitação não pode passar de submitted para active."
    );
    assert_eq!(refused["data"]["flags"], json!(64), "{refused}");
    assert_eq!(
        h.store.request("WA-000001").await.unwrap().unwrap().status,
        "submitted"
    );
    let unknown = h.staff_press("s:flying:WA-000001", None).await;
    assert!(text_of(&unknown).contains("Não conheço"), "{unknown}");
}

/// Discord down while a notification is queued (its DMs answered 502): nothing reaches the
/// merchant, the job waits for its next try without giving up, and once Discord is back the
/// merchant gets the DM exactly once.
#[tokio::test]
async fn a_notification_queued_while_discord_is_down_arrives_once_when_it_is_back() {
    for db in backends().await {
        let mut h = Harness::posted(&db).await;
        let heard = h.dms(MERCHANT).len();
        h.api.0.lock().unwrap().down = true;
        h.staff_press("s:in_review:WA-000001", None).await;
        for _ in 0..3 {
            h.worker().run_until_idle().await.unwrap();
            *h.clock.0.lock().unwrap() += chrono::Duration::minutes(5);
        }
        assert_eq!(
            h.dms(MERCHANT).len(),
            heard,
            "{}: sent while down",
            db.label
        );
        assert!(
            h.store.failed_jobs().await.unwrap().is_empty(),
            "{}",
            db.label
        );
        assert!(h.store.outbox_depth().await.unwrap() > 0, "{}", db.label);

        h.api.0.lock().unwrap().down = false;
        drain_outbox(&h.worker(), &h.store, &h.clock, db.label).await;
        assert_eq!(
            h.dms(MERCHANT)[heard..],
            ["Request WA-000001 is being reviewed by our team; expect news by November 30, 2026."],
            "{}",
            db.label
        );
    }
}
