//! Meta drives the lifecycle, against a fake Graph API: the admin's acceptance (by webhook and
//! by polling), the number registered with the code the merchant types in the chat, the name
//! review, and every refusal explained; forged, malformed and replayed webhooks change nothing.

use crate::support::{TestClock, TestDb, answers_to_summary, backends, thursday_noon};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Duration;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::Arc;
use tower::ServiceExt;
use waba_onboard::config::{Config, MetaSettings};
use waba_onboard::conversation::Inbound;
use waba_onboard::domain::{RequestStatus, Role};
use waba_onboard::i18n::{self, Locale};
use waba_onboard::service::lifecycle::{Actor, Lifecycle};
use waba_onboard::service::merchant::{Bot, Merchant};
use waba_onboard::service::meta::MetaService;
use waba_onboard::storage::{Store, UserKey};
use waba_onboard::tickets::{BuiltinDesk, ConsoleNotifier, MetaWork, RetryPolicy, Worker};
use wiremock::matchers::{body_json, body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP_SECRET: &str = "meta-app-secret";
const VERIFY_TOKEN: &str = "verify-me";
const PORTFOLIO: &str = "123456789012345";
const WABA: &str = "495708166922390";
const PHONE_ID: &str = "110200345501442";

struct Harness {
    graph: MockServer,
    store: Store,
    bot: Bot,
    clock: TestClock,
    settings: MetaSettings,
    merchant: Merchant,
    events: usize,
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "success": true }))
}

fn refusal(code: i64, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({
        "error": { "message": message, "type": "OAuthException", "code": code, "fbtrace_id": "A1" }
    }))
}

impl Harness {
    /// Meta configured against a fake Graph API; `poll`: the partner's portfolio is known, so
    /// client accounts are polled.
    async fn new(db: &TestDb, poll: bool) -> Harness {
        let graph = MockServer::start().await;
        let mut env = HashMap::from([
            ("WABA_META_APP_SECRET", APP_SECRET.to_owned()),
            ("WABA_META_VERIFY_TOKEN", VERIFY_TOKEN.to_owned()),
            (
                "WABA_META_SYSTEM_USER_TOKEN",
                "system-user-token".to_owned(),
            ),
            ("WABA_META_GRAPH_URL", graph.uri()),
            ("WABA_META_GRAPH_VERSION", "v23.0".to_owned()),
        ]);
        if poll {
            env.insert("WABA_META_PARTNER_BUSINESS_ID", "999000111".to_owned());
        }
        let config = Config::load(None, |key| env.get(key).cloned()).unwrap();
        let clock = TestClock::at(thursday_noon());
        Harness {
            graph,
            store: db.store().await,
            bot: db.bot(&clock).await,
            clock,
            settings: config.meta_settings.unwrap(),
            merchant: Merchant {
                key: UserKey::new("console", "ana"),
                locale_hint: Some(Locale::PtBr),
            },
            events: 0,
        }
    }

    fn worker(&self) -> Worker {
        Worker::new(
            self.store.clone(),
            Arc::new(BuiltinDesk),
            vec![Arc::new(ConsoleNotifier::new(self.store.clone()))],
            Arc::new(self.clock.clone()),
            RetryPolicy {
                max_attempts: 3,
                base_delay: Duration::seconds(10),
                max_delay: Duration::minutes(10),
            },
        )
        .with_meta(MetaWork::new(&self.settings).unwrap())
    }

    async fn run(&self) {
        self.worker().run_until_idle().await.unwrap();
    }

    /// The merchant confirms WA-000001 (in `locale`), and staff send the partner's request.
    async fn awaiting_approval(&mut self, locale: Locale) {
        self.merchant.locale_hint = Some(locale);
        // An English-speaking merchant gives the country code (no default region).
        let phone = match locale {
            Locale::PtBr => "(11) 98765-4321",
            Locale::En => "+55 11 98765-4321",
        };
        let mut inputs = answers_to_summary(phone);
        inputs.push(Inbound::Choice("confirm".into()));
        for (i, input) in inputs.into_iter().enumerate() {
            self.bot
                .handle(&self.merchant, &format!("setup-{i}"), input)
                .await
                .unwrap();
        }
        let staff = Actor {
            role: Role::Staff,
            id: "cli:carla".into(),
        };
        let lifecycle = Lifecycle::new(self.store.clone(), Arc::new(self.clock.clone()));
        for to in [
            RequestStatus::InReview,
            RequestStatus::AwaitingClientApproval,
        ] {
            lifecycle
                .advance("WA-000001", to, &staff, None)
                .await
                .unwrap();
        }
        self.run().await;
        self.told().await;
    }

    /// What the merchant types in the chat, and the bot's answer.
    async fn say(&mut self, text: &str) -> String {
        self.events += 1;
        let outcome = self
            .bot
            .handle(
                &self.merchant,
                &format!("typed-{}", self.events),
                Inbound::Text(text.to_owned()),
            )
            .await
            .unwrap();
        outcome
            .replies
            .iter()
            .map(|r| i18n::render(outcome.locale, &r.message))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// What the merchant was notified since the last look.
    async fn told(&self) -> Vec<String> {
        crate::support::console_news(&self.store, "ana", self.clock.now_utc()).await
    }

    async fn status(&self) -> String {
        self.store
            .request("WA-000001")
            .await
            .unwrap()
            .unwrap()
            .status
    }

    async fn post(&self, body: &str, signature: Option<String>) -> StatusCode {
        let app = waba_onboard::meta::webhook::router(
            self.settings.app_secret.clone(),
            self.settings.verify_token.clone(),
            MetaService::new(self.store.clone(), Arc::new(self.clock.clone())),
        );
        let mut request =
            Request::post("/webhooks/meta").header("content-type", "application/json");
        if let Some(signature) = signature {
            request = request.header("x-hub-signature-256", signature);
        }
        let request = request.body(Body::from(body.to_owned())).unwrap();
        app.oneshot(request).await.unwrap().status()
    }

    /// A notification signed with the app secret, answered.
    async fn notify(&self, body: &Value) -> StatusCode {
        let body = body.to_string();
        self.post(&body, Some(sign(APP_SECRET, &body))).await
    }

    async fn get(&self, query: &str) -> (StatusCode, String) {
        let app = waba_onboard::meta::webhook::router(
            self.settings.app_secret.clone(),
            self.settings.verify_token.clone(),
            MetaService::new(self.store.clone(), Arc::new(self.clock.clone())),
        );
        let request = Request::get(format!("/webhooks/meta?{query}"))
            .body(Body::empty())
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The Graph API adding the number and sending a code by SMS in Portuguese (once each).
    async fn graph_adds_and_sends_code(&self) {
        Mock::given(method("GET"))
            .and(path(format!("/v23.0/{WABA}/phone_numbers")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": [] })))
            .expect(1)
            .mount(&self.graph)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/v23.0/{WABA}/phone_numbers")))
            .and(body_json(json!({
                "cc": "55", "phone_number": "11987654321", "verified_name": "Loja Azul"
            })))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": PHONE_ID })))
            .expect(1)
            .mount(&self.graph)
            .await;
    }

    async fn graph_sends_codes(&self, method_name: &str, language: &str, times: u64) {
        Mock::given(method("POST"))
            .and(path(format!("/v23.0/{PHONE_ID}/request_code")))
            .and(body_json(
                json!({ "code_method": method_name, "language": language }),
            ))
            .respond_with(ok())
            .expect(times)
            .mount(&self.graph)
            .await;
    }

    async fn graph_checks_code(&self, code: &str, answer: ResponseTemplate, times: u64) {
        Mock::given(method("POST"))
            .and(path(format!("/v23.0/{PHONE_ID}/verify_code")))
            .and(body_json(json!({ "code": code })))
            .respond_with(answer)
            .expect(times)
            .mount(&self.graph)
            .await;
    }

    async fn graph_registers(&self, answer: ResponseTemplate, subscribe: u64) {
        Mock::given(method("POST"))
            .and(path(format!("/v23.0/{PHONE_ID}/register")))
            .and(body_partial_json(
                json!({ "messaging_product": "whatsapp" }),
            ))
            .respond_with(answer)
            .expect(1)
            .mount(&self.graph)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/v23.0/{WABA}/subscribed_apps")))
            .respond_with(ok())
            .expect(subscribe)
            .mount(&self.graph)
            .await;
    }

    async fn history_actors(&self) -> Vec<(String, String)> {
        let request = self.store.request("WA-000001").await.unwrap().unwrap();
        self.store
            .history(&request.id)
            .await
            .unwrap()
            .into_iter()
            .map(|h| (h.to, h.actor))
            .collect()
    }
}

trait NowUtc {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc>;
}

impl NowUtc for TestClock {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc> {
        *self.0.lock().unwrap()
    }
}

fn sign(secret: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Meta's `account_update` notification, shaped after its documented example.
fn accepted(owner: &str, time: i64) -> Value {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "102290129340398",
            "time": time,
            "changes": [{
                "field": "account_update",
                "value": {
                    "event": "PARTNER_ADDED",
                    "waba_info": { "waba_id": WABA, "owner_business_id": owner }
                }
            }]
        }]
    })
}

/// Meta's `phone_number_name_update` notification.
fn name_review(decision: &str, reason: Option<&str>) -> Value {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": WABA,
            "time": thursday_noon().timestamp(),
            "changes": [{
                "field": "phone_number_name_update",
                "value": {
                    "display_phone_number": "5511987654321",
                    "decision": decision,
                    "requested_verified_name": "Loja Azul",
                    "rejection_reason": reason
                }
            }]
        }]
    })
}

#[tokio::test]
async fn the_subscription_handshake_answers_only_the_verify_token() {
    let db = TestDb::sqlite();
    let h = Harness::new(&db, false).await;
    let (status, body) = h
        .get("hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
        .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "1158201444"));
    for query in [
        "hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1",
        "hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1",
        "hub.mode=subscribe&hub.challenge=1",
    ] {
        assert_eq!(h.get(query).await.0, StatusCode::FORBIDDEN, "{query}");
    }
}

#[tokio::test]
async fn from_acceptance_to_active_without_staff_the_merchant_typing_the_code() {
    for db in backends().await {
        let mut h = Harness::new(&db, false).await;
        h.awaiting_approval(Locale::PtBr).await;
        h.graph_adds_and_sends_code().await;
        h.graph_sends_codes("SMS", "pt_BR", 1).await;
        h.graph_checks_code("111111", refusal(136025, "Code mismatch"), 1)
            .await;
        h.graph_checks_code("123456", ok(), 1).await;
        h.graph_registers(ok(), 1).await;

        let acceptance = accepted(PORTFOLIO, thursday_noon().timestamp());
        assert_eq!(h.notify(&acceptance).await, StatusCode::OK);
        // Meta sends it again: acknowledged, done once.
        assert_eq!(h.notify(&acceptance).await, StatusCode::OK);
        h.run().await;
        assert_eq!(h.status().await, "approved_by_client");
        let told = h.told().await;
        assert_eq!(told.len(), 2, "{told:#?}");
        assert!(told[0].contains("aceitou"), "{told:#?}");
        assert!(
            told[1].contains("código de 6 dígitos por SMS para +55 11 98765-4321"),
            "{told:#?}"
        );

        // Not a code; then a wrong code, then the right one.
        assert!(h.say("12345").await.contains("6 dígitos"));
        assert!(h.say("111-111").await.contains("conferindo o código"));
        // Checked once: typing again while Meta answers is not sent twice.
        assert!(
            h.say("222222")
                .await
                .contains("esperando a resposta da Meta")
        );
        h.run().await;
        let told = h.told().await;
        assert_eq!(told.len(), 1, "{told:#?}");
        assert!(told[0].contains("não é o que a Meta enviou"), "{told:#?}");
        assert_eq!(h.status().await, "approved_by_client");

        assert!(h.say("123 456").await.contains("conferindo"));
        h.run().await;
        assert_eq!(h.status().await, "number_registered");
        let told = h.told().await;
        assert!(
            told.iter().any(|t| t.contains("número foi registrado")),
            "{told:#?}"
        );
        let request = h.store.request("WA-000001").await.unwrap().unwrap();
        let registration = h.store.registration(&request.id).await.unwrap().unwrap();
        assert_eq!(registration.stage, "registered");
        assert_eq!(registration.wrong_codes, 1);
        let pin = registration.pin.unwrap();
        assert!(pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()));

        // The name review approves the display name: the request is active.
        assert_eq!(
            h.notify(&name_review("APPROVED", None)).await,
            StatusCode::OK
        );
        h.run().await;
        assert_eq!(h.status().await, "active");
        let told = h.told().await;
        assert!(told.iter().any(|t| t.contains("está ativa")), "{told:#?}");
        let meta_moves: Vec<String> = h
            .history_actors()
            .await
            .into_iter()
            .filter(|(_, actor)| actor == "meta")
            .map(|(to, _)| to)
            .collect();
        assert_eq!(
            meta_moves,
            ["approved_by_client", "number_registered", "active"]
        );
        // A late copy of the acceptance changes nothing.
        let late = accepted(PORTFOLIO, thursday_noon().timestamp() + 60);
        assert_eq!(h.notify(&late).await, StatusCode::OK);
        h.run().await;
        assert_eq!(h.status().await, "active");
        h.graph.verify().await;
    }
}

#[tokio::test]
async fn an_expired_code_is_explained_and_a_new_one_asked_for_from_the_chat() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db, false).await;
    h.awaiting_approval(Locale::En).await;
    h.graph_adds_and_sends_code().await;
    h.graph_sends_codes("SMS", "en_US", 2).await;
    h.graph_sends_codes("VOICE", "en_US", 1).await;
    h.graph_checks_code(
        "654321",
        refusal(100, "The verification code has expired"),
        1,
    )
    .await;
    assert_eq!(
        h.notify(&accepted(PORTFOLIO, thursday_noon().timestamp()))
            .await,
        StatusCode::OK
    );
    h.run().await;
    assert!(h.told().await[1].contains("6-digit code by text message"));
    // Asking again at once only spends Meta's code requests: the bot says when.
    assert!(
        h.say("/resend")
            .await
            .contains("try again in about a minute")
    );
    h.say("654321").await;
    h.run().await;
    let told = h.told().await;
    assert!(told[0].contains("that code has expired"), "{told:#?}");
    assert!(h.say("/resend").await.contains("new code by text message"));
    h.run().await;
    assert!(h.told().await[0].contains("6-digit code by text message"));
    *h.clock.0.lock().unwrap() += Duration::minutes(2);
    assert!(h.say("/call").await.contains("call the number"));
    h.run().await;
    assert!(h.told().await[0].contains("Meta is calling +55 11 98765-4321"));
    h.graph.verify().await;
}

#[tokio::test]
async fn the_registration_limit_stops_the_registration_and_tells_both_sides() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db, false).await;
    h.awaiting_approval(Locale::PtBr).await;
    h.graph_adds_and_sends_code().await;
    h.graph_sends_codes("SMS", "pt_BR", 1).await;
    h.graph_checks_code("123456", ok(), 1).await;
    h.graph_registers(
        refusal(133016, "Account register deregister rate limit exceeded"),
        0,
    )
    .await;
    h.notify(&accepted(PORTFOLIO, thursday_noon().timestamp()))
        .await;
    h.run().await;
    h.told().await;
    h.say("123456").await;
    h.run().await;
    let told = h.told().await;
    assert_eq!(told.len(), 1, "{told:#?}");
    assert!(told[0].contains("10 tentativas de registro"), "{told:#?}");
    assert!(told[0].contains("daqui a cerca de 72 horas"), "{told:#?}");
    assert_eq!(h.status().await, "approved_by_client");
    // Nothing is retried against the limit: the merchant is told when.
    assert!(h.say("/reenviar").await.contains("72 horas"));
    h.run().await;
    h.graph.verify().await;
}

#[tokio::test]
async fn a_rejected_name_goes_back_to_the_merchant_with_metas_reason_in_their_language() {
    for (locale, expected) in [
        (
            Locale::PtBr,
            "rejeitou o nome de exibição por causa do formato",
        ),
        (
            Locale::En,
            "rejected the display name because of its format",
        ),
    ] {
        let db = TestDb::sqlite();
        let mut h = Harness::new(&db, false).await;
        h.awaiting_approval(locale).await;
        // Registered by hand by staff, as before Meta was configured.
        let staff = Actor {
            role: Role::Staff,
            id: "cli:carla".into(),
        };
        let lifecycle = Lifecycle::new(h.store.clone(), Arc::new(h.clock.clone()));
        for to in [
            RequestStatus::ApprovedByClient,
            RequestStatus::NumberRegistered,
        ] {
            lifecycle
                .advance("WA-000001", to, &staff, None)
                .await
                .unwrap();
        }
        h.run().await;
        h.told().await;
        let review = name_review("REJECTED", Some("NAME_FORMAT_UNACCEPTABLE"));
        assert_eq!(h.notify(&review).await, StatusCode::OK);
        h.run().await;
        assert_eq!(h.status().await, "needs_info");
        let told = h.told().await;
        assert!(told.iter().any(|t| t.contains(expected)), "{told:#?}");
        let request = h.store.request("WA-000001").await.unwrap().unwrap();
        assert_eq!(request.info_fields, ["display_name"]);
        // The conversation asks the display name again.
        let draft = h.bot.draft(&h.merchant.key).await.unwrap().unwrap();
        assert!(draft.fixing.is_some());
        // The same review again changes nothing.
        assert_eq!(h.notify(&review).await, StatusCode::OK);
        h.run().await;
        assert_eq!(h.status().await, "needs_info");
    }
}

#[tokio::test]
async fn forged_unsigned_malformed_and_replayed_webhooks_change_nothing() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db, false).await;
    h.awaiting_approval(Locale::PtBr).await;
    let body = accepted(PORTFOLIO, thursday_noon().timestamp()).to_string();
    assert_eq!(h.post(&body, None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        h.post(&body, Some(sign("another-secret", &body))).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        h.post(&body, Some("sha256=zz".into())).await,
        StatusCode::UNAUTHORIZED
    );
    // The body changed after signing.
    let tampered = body.replace(PORTFOLIO, "999999999999999");
    assert_eq!(
        h.post(&tampered, Some(sign(APP_SECRET, &body))).await,
        StatusCode::UNAUTHORIZED
    );
    let junk = r#"{"entry": "nope"}"#;
    assert_eq!(
        h.post(junk, Some(sign(APP_SECRET, junk))).await,
        StatusCode::BAD_REQUEST
    );
    // A notification from before the replay window is refused.
    let old = accepted(PORTFOLIO, (thursday_noon() - Duration::days(8)).timestamp());
    assert_eq!(h.notify(&old).await, StatusCode::UNAUTHORIZED);
    h.run().await;
    assert_eq!(h.status().await, "awaiting_client_approval");
    assert!(h.told().await.is_empty());
}

#[tokio::test]
async fn an_event_for_an_unknown_business_is_kept_for_staff_not_guessed() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db, false).await;
    h.awaiting_approval(Locale::PtBr).await;
    let stranger = accepted("555555555555555", thursday_noon().timestamp());
    assert_eq!(h.notify(&stranger).await, StatusCode::OK);
    let unknown_number = name_review("APPROVED", None)
        .to_string()
        .replace("5511987654321", "5521999990000");
    assert_eq!(
        h.post(&unknown_number, Some(sign(APP_SECRET, &unknown_number)))
            .await,
        StatusCode::OK
    );
    h.run().await;
    assert_eq!(h.status().await, "awaiting_client_approval");
    let kept = h.store.kept_meta_events(10).await.unwrap();
    let outcomes: Vec<(&str, &str)> = kept
        .iter()
        .map(|k| (k.event.as_str(), k.outcome.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        [("APPROVED", "unmatched"), ("PARTNER_ADDED", "unmatched")]
    );
    assert_eq!(kept[1].business_id.as_deref(), Some("555555555555555"));
    assert_eq!(kept[1].waba_id.as_deref(), Some(WABA));
    assert!(h.told().await.is_empty());
}

#[tokio::test]
async fn a_missed_webhook_is_made_up_for_by_polling_the_client_accounts() {
    for db in backends().await {
        let mut h = Harness::new(&db, true).await;
        Mock::given(method("GET"))
            .and(path("/v23.0/999000111/client_whatsapp_business_accounts"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "data": [
                    { "id": "111", "owner_business_info": { "id": "777777777777777", "name": "Other" } },
                    { "id": WABA, "owner_business_info": { "id": PORTFOLIO, "name": "Loja Azul" } }
                ],
                "paging": { "cursors": { "before": "a", "after": "b" } }
            })))
            .expect(1)
            .mount(&h.graph)
            .await;
        h.graph_adds_and_sends_code().await;
        h.graph_sends_codes("SMS", "pt_BR", 1).await;
        // No webhook comes: the scheduler's poll finds the account.
        h.awaiting_approval(Locale::PtBr).await;
        assert_eq!(h.status().await, "approved_by_client");
        let request = h.store.request("WA-000001").await.unwrap().unwrap();
        let registration = h.store.registration(&request.id).await.unwrap().unwrap();
        assert_eq!(registration.waba_id, WABA);
        assert_eq!(registration.stage, "code_sent");
        // Once per interval, and no longer once nothing awaits acceptance.
        h.run().await;
        *h.clock.0.lock().unwrap() += Duration::minutes(30);
        h.run().await;
        h.graph.verify().await;
    }
}
