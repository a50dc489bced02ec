//! The Zendesk desk against a fake Zendesk: the ticket a confirmed request becomes, retries
//! that never make a second ticket, Zendesk's refusals, moves both ways through the webhook.

use crate::support::{TestClock, TestDb, answers_to_summary, backends, thursday_noon};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use chrono::Duration;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::Arc;
use tower::ServiceExt;
use waba_onboard::conversation::Inbound;
use waba_onboard::domain::Role;
use waba_onboard::i18n::{self, Locale};
use waba_onboard::service::lifecycle::{Actor, Lifecycle};
use waba_onboard::service::merchant::{Bot, Merchant};
use waba_onboard::storage::{Store, UserKey};
use waba_onboard::tickets::zendesk::{TicketFields, ZendeskSettings, router};
use waba_onboard::tickets::{ConsoleNotifier, RetryPolicy, Worker, ZendeskDesk};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "webhook-signing-secret";
const FIELD_REFERENCE: u64 = 360_001;
const FIELD_STATUS: u64 = 360_004;

struct Harness {
    zendesk: MockServer,
    store: Store,
    bot: Bot,
    clock: TestClock,
    desk: ZendeskDesk,
}

impl Harness {
    async fn new(db: &TestDb) -> Harness {
        let zendesk = MockServer::start().await;
        let clock = TestClock::at(thursday_noon());
        let store = db.store().await;
        let bot = db.bot(&clock).await;
        let settings = ZendeskSettings {
            url: zendesk.uri(),
            email: "bot@partner.example".into(),
            api_token: "zendesk-api-token".into(),
            webhook_secret: Some(SECRET.into()),
            locale: Locale::PtBr,
            fields: TicketFields {
                reference: Some(FIELD_REFERENCE),
                phone: None,
                portfolio: Some(360_003),
                status: Some(FIELD_STATUS),
            },
        };
        let lifecycle = Lifecycle::new(store.clone(), Arc::new(clock.clone()));
        let desk = ZendeskDesk::new(settings, store.clone(), lifecycle);
        Harness {
            zendesk,
            store,
            bot,
            clock,
            desk,
        }
    }

    fn worker(&self) -> Worker {
        Worker::new(
            self.store.clone(),
            Arc::new(self.desk.clone()),
            vec![Arc::new(ConsoleNotifier::new(self.store.clone()))],
            Arc::new(self.clock.clone()),
            RetryPolicy {
                max_attempts: 3,
                base_delay: Duration::seconds(10),
                max_delay: Duration::minutes(10),
            },
        )
    }

    /// Ana confirms a request on the console (WA-000001).
    async fn submit(&self) -> Merchant {
        let ana = Merchant {
            key: UserKey::new("console", "ana"),
            locale_hint: Some(Locale::PtBr),
        };
        let mut inputs = answers_to_summary("(11) 98765-4321");
        inputs.push(Inbound::Choice("confirm".into()));
        for (i, input) in inputs.into_iter().enumerate() {
            self.bot
                .handle(&ana, &format!("setup-{i}"), input)
                .await
                .unwrap();
        }
        ana
    }

    /// Zendesk answering `verb route` with `status` and `body`.
    async fn answer(&self, verb: &str, route: &str, status: u16, body: Value) {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&self.zendesk)
            .await;
    }

    /// Zendesk answering the search, the upload and the creation as it does when all is well.
    async fn zendesk_accepts(&self) {
        self.answer("GET", "/api/v2/tickets", 200, json!({ "tickets": [] }))
            .await;
        self.answer(
            "POST",
            "/api/v2/uploads",
            201,
            json!({ "upload": { "token": "tok-1" } }),
        )
        .await;
        self.answer(
            "POST",
            "/api/v2/tickets",
            201,
            json!({ "ticket": { "id": 4242 } }),
        )
        .await;
        self.answer(
            "PUT",
            "/api/v2/tickets/4242",
            200,
            json!({ "ticket": { "id": 4242 } }),
        )
        .await;
    }

    async fn calls(&self, verb: &str, route: &str) -> Vec<wiremock::Request> {
        self.zendesk
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.method.as_str() == verb && r.url.path() == route)
            .collect()
    }

    /// Posts a webhook delivery signed at `at` (with `secret`).
    async fn webhook(&self, body: &str, at: &str, secret: &str) -> StatusCode {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(at.as_bytes());
        mac.update(body.as_bytes());
        let signature =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        let app = router(&self.desk, Arc::new(self.clock.clone()));
        let request = Request::post("/webhooks/zendesk")
            .header("content-type", "application/json")
            .header("x-zendesk-webhook-signature", signature)
            .header("x-zendesk-webhook-signature-timestamp", at)
            .body(Body::from(body.to_owned()))
            .unwrap();
        app.oneshot(request).await.unwrap().status()
    }

    async fn status(&self) -> String {
        self.store
            .request("WA-000001")
            .await
            .unwrap()
            .unwrap()
            .status
    }
}

fn now_stamp(h: &Harness) -> String {
    h.clock.0.lock().unwrap().to_rfc3339()
}

#[tokio::test]
async fn a_confirmed_request_becomes_one_complete_ticket() {
    for db in backends().await {
        let h = Harness::new(&db).await;
        h.zendesk_accepts().await;
        h.submit().await;
        h.worker().run_until_idle().await.unwrap();
        let request = h.store.request("WA-000001").await.unwrap().unwrap();
        assert_eq!(request.ticket_id.as_deref(), Some("4242"), "{}", db.label);

        let uploads = h.calls("POST", "/api/v2/uploads").await;
        assert_eq!(uploads.len(), 1);
        assert_eq!(uploads[0].url.query(), Some("filename=WA-000001-logo.png"));
        assert_eq!(uploads[0].headers["content-type"], "image/png");
        assert_eq!(
            uploads[0].body,
            h.store.request_logo(&request.id).await.unwrap()
        );
        let created = h.calls("POST", "/api/v2/tickets").await;
        assert_eq!(created.len(), 1);
        let sent = &created[0];
        assert_eq!(sent.headers["idempotency-key"], request.id.as_str());
        let auth = base64::engine::general_purpose::STANDARD
            .encode("bot@partner.example/token:zendesk-api-token");
        assert_eq!(
            sent.headers["authorization"],
            format!("Basic {auth}").as_str()
        );
        let ticket: Value = serde_json::from_slice(&sent.body).unwrap();
        let ticket = &ticket["ticket"];
        assert_eq!(
            ticket["subject"],
            "Integração com o WhatsApp WA-000001: Loja Azul (minhaloja)"
        );
        assert_eq!(ticket["external_id"], request.id.as_str());
        assert_eq!(
            ticket["requester"],
            json!({ "name": "minhaloja", "email": "ana@minhaloja.com.br" })
        );
        assert_eq!(ticket["comment"]["public"], false);
        assert_eq!(ticket["comment"]["uploads"], json!(["tok-1"]));
        let body = ticket["comment"]["body"].as_str().unwrap();
        for line in [
            "Solicitação WA-000001: enviada",
            "Conta da loja: minhaloja",
            "E-mail de contato: ana@minhaloja.com.br",
            "Identificação do Gerenciador de Negócios: 123456789012345",
            "Nome de exibição: Loja Azul",
            "Número de telefone: +55 11 98765-4321",
        ] {
            assert!(body.lines().any(|l| l == line), "{line:?} not in\n{body}");
        }
        let tags: Vec<&str> = ticket["tags"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            tags,
            [
                "waba_channel_console",
                "waba_onboard",
                "waba_review_display_name_brand_match",
                "waba_status_submitted"
            ]
        );
        assert_eq!(
            ticket["custom_fields"],
            json!([
                { "id": FIELD_REFERENCE, "value": "WA-000001" },
                { "id": 360_003, "value": "123456789012345" },
                { "id": FIELD_STATUS, "value": "submitted" },
            ])
        );
    }
}

/// Zendesk created the ticket but its answer was lost: the retry finds the ticket by its external
/// id and creates none.
#[tokio::test]
async fn a_lost_answer_does_not_make_a_second_ticket() {
    let db = TestDb::sqlite();
    let h = Harness::new(&db).await;
    h.submit().await;
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets"))
        .and(query_param("external_id", request.id.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "tickets": [] })))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&h.zendesk)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "tickets": [{ "id": 5151 }] })),
        )
        .mount(&h.zendesk)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/uploads"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({ "upload": { "token": "tok" } })),
        )
        .mount(&h.zendesk)
        .await;
    // Created on Zendesk's side, but the bot hears a 502.
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&h.zendesk)
        .await;
    let worker = h.worker();
    worker.run_until_idle().await.unwrap();
    assert_eq!(
        h.store
            .request("WA-000001")
            .await
            .unwrap()
            .unwrap()
            .ticket_id,
        None
    );
    *h.clock.0.lock().unwrap() += Duration::minutes(5);
    worker.run_until_idle().await.unwrap();
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    assert_eq!(request.ticket_id.as_deref(), Some("5151"));
    assert_eq!(
        h.calls("POST", "/api/v2/tickets").await.len(),
        1,
        "created once"
    );
    assert!(h.store.failed_jobs().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_429_waits_as_told_and_a_422_is_shown_to_staff_at_once() {
    let db = TestDb::sqlite();
    let h = Harness::new(&db).await;
    h.submit().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
        .mount(&h.zendesk)
        .await;
    let worker = h.worker();
    worker.run_until_idle().await.unwrap();
    let due = h.store.oldest_due_job().await.unwrap().unwrap();
    assert_eq!(
        due,
        thursday_noon() + Duration::seconds(120),
        "waits Retry-After, not the backoff"
    );
    h.zendesk.reset().await;
    h.answer("GET", "/api/v2/tickets", 200, json!({ "tickets": [] }))
        .await;
    h.answer(
        "POST",
        "/api/v2/uploads",
        201,
        json!({ "upload": { "token": "tok" } }),
    )
    .await;
    let invalid =
        json!({ "error": "RecordInvalid", "details": { "custom_fields": "invalid field" } });
    h.answer("POST", "/api/v2/tickets", 422, invalid).await;
    *h.clock.0.lock().unwrap() += Duration::seconds(121);
    worker.run_until_idle().await.unwrap();
    let failed = h.store.failed_jobs().await.unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].kind, "open_ticket");
    assert_eq!(failed[0].attempts, 2, "the 422 is not tried again");
    let error = failed[0].last_error.clone().unwrap();
    assert!(
        error.contains("422") && error.contains("RecordInvalid"),
        "{error}"
    );
    assert_eq!(h.calls("POST", "/api/v2/tickets").await.len(), 1);
}

#[tokio::test]
async fn agents_move_the_request_from_zendesk_and_the_merchant_hears_of_it() {
    for db in backends().await {
        let h = Harness::new(&db).await;
        h.zendesk_accepts().await;
        h.submit().await;
        h.worker().run_until_idle().await.unwrap();
        let id = h.store.request("WA-000001").await.unwrap().unwrap().id;
        let at = now_stamp(&h);
        let moved = json!({
            "ticket_id": "4242", "external_id": id, "status": "in_review",
            "tags": "waba_onboard waba_status_submitted", "agent": "carla@partner.example",
            "comment": { "public": "false", "body": "" },
        })
        .to_string();
        // Forged, stale and malformed deliveries change nothing.
        assert_eq!(
            h.webhook(&moved, &at, "wrong-secret").await,
            StatusCode::UNAUTHORIZED
        );
        let stale = (thursday_noon() - Duration::minutes(6)).to_rfc3339();
        assert_eq!(
            h.webhook(&moved, &stale, SECRET).await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            h.webhook("{not json", &at, SECRET).await,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(h.status().await, "submitted", "{}", db.label);
        // The signed delivery moves it, once.
        assert_eq!(h.webhook(&moved, &at, SECRET).await, StatusCode::OK);
        assert_eq!(h.status().await, "in_review");
        assert_eq!(
            h.webhook(&moved, &at, SECRET).await,
            StatusCode::UNAUTHORIZED,
            "a replay"
        );
        let request = h.store.request("WA-000001").await.unwrap().unwrap();
        let history = h.store.history(&request.id).await.unwrap();
        assert_eq!(
            history.last().unwrap().actor,
            "zendesk:carla@partner.example"
        );
        // An agent's public answer reaches the merchant; a ticket nobody knows is ignored.
        let answered = json!({
            "ticket_id": 4242, "external_id": id, "status": "in_review",
            "agent": "carla@partner.example",
            "comment": { "public": true, "body": "Recebemos o logotipo, obrigado!" },
        })
        .to_string();
        assert_eq!(h.webhook(&answered, &at, SECRET).await, StatusCode::OK);
        let unknown = json!({ "ticket_id": "999", "status": "active" }).to_string();
        assert_eq!(h.webhook(&unknown, &at, SECRET).await, StatusCode::OK);
        // A move the lifecycle refuses is ignored, answered 200.
        let illegal = json!({ "ticket_id": "4242", "status": "active", "agent": "x" }).to_string();
        assert_eq!(h.webhook(&illegal, &at, SECRET).await, StatusCode::OK);
        assert_eq!(h.status().await, "in_review");
        h.worker().run_until_idle().await.unwrap();
        let told = crate::support::console_news(&h.store, "ana", thursday_noon()).await;
        assert_eq!(told.len(), 2, "{told:#?}");
        assert!(told[0].contains("WA-000001"), "{told:#?}");
        assert!(
            told[1].contains("Recebemos o logotipo, obrigado!"),
            "{told:#?}"
        );
    }
}

/// A move made elsewhere (here, staff on the command line) shows on the ticket: its status
/// field and its one status tag.
#[tokio::test]
async fn moves_made_elsewhere_update_the_ticket() {
    let db = TestDb::sqlite();
    let h = Harness::new(&db).await;
    h.zendesk_accepts().await;
    h.submit().await;
    h.worker().run_until_idle().await.unwrap();
    Lifecycle::new(h.store.clone(), Arc::new(h.clock.clone()))
        .advance(
            "WA-000001",
            waba_onboard::domain::RequestStatus::InReview,
            &Actor {
                role: Role::Staff,
                id: "cli:bob".into(),
            },
            None,
        )
        .await
        .unwrap();
    h.worker().run_until_idle().await.unwrap();
    let updates = h.calls("PUT", "/api/v2/tickets/4242").await;
    assert_eq!(updates.len(), 1, "{updates:?}");
    let update: Value = serde_json::from_slice(&updates[0].body).unwrap();
    assert_eq!(
        update["ticket"]["custom_fields"],
        json!([{ "id": FIELD_STATUS, "value": "in_review" }])
    );
    assert_eq!(
        update["ticket"]["additional_tags"],
        json!(["waba_status_in_review"])
    );
    let removed = update["ticket"]["remove_tags"].as_array().unwrap();
    assert!(removed.contains(&json!("waba_status_submitted")));
    assert!(!removed.contains(&json!("waba_status_in_review")));
}

/// The merchant's side of the ticket: what they write after sending is a public comment (and a
/// note on the request), `/human` a private one, and the fix they send after `needs_info` a
/// private one naming the fields; the bot's own comment coming back through the webhook is
/// not relayed to the merchant.
#[tokio::test]
async fn the_merchants_words_help_requests_and_fixes_reach_the_ticket() {
    let db = TestDb::sqlite();
    let h = Harness::new(&db).await;
    h.zendesk_accepts().await;
    let ana = h.submit().await;
    h.worker().run_until_idle().await.unwrap();
    let replies = h
        .bot
        .handle(
            &ana,
            "after-1",
            Inbound::Text("O logotipo novo chega amanhã".into()),
        )
        .await
        .unwrap()
        .replies;
    assert_eq!(
        i18n::render(Locale::PtBr, &replies[0].message),
        "Passei a sua mensagem para a nossa equipe; ela fica registrada junto com a sua \
         solicitação."
    );
    h.bot
        .handle(&ana, "after-2", Inbound::Text("/atendente".into()))
        .await
        .unwrap();
    h.worker().run_until_idle().await.unwrap();
    let comments: Vec<Value> = h
        .calls("PUT", "/api/v2/tickets/4242")
        .await
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["ticket"]["comment"].clone())
        .filter(|c| !c.is_null())
        .collect();
    assert_eq!(comments.len(), 2, "{comments:#?}");
    assert_eq!(
        comments[0],
        json!({ "body": "O lojista escreveu no chat: O logotipo novo chega amanhã", "public": true })
    );
    assert_eq!(comments[1]["public"], false);
    assert!(
        comments[1]["body"]
            .as_str()
            .unwrap()
            .starts_with("O lojista pediu para falar com uma pessoa: console:ana"),
        "{comments:#?}"
    );
    let request = h.store.request("WA-000001").await.unwrap().unwrap();
    let report = Lifecycle::new(h.store.clone(), Arc::new(h.clock.clone()))
        .report("WA-000001")
        .await
        .unwrap();
    assert_eq!(report.notes.len(), 1);
    assert_eq!(report.notes[0].body, "O logotipo novo chega amanhã");
    // The bot's public comment, echoed by Zendesk's trigger, is not sent back to the merchant.
    let echo = json!({
        "ticket_id": "4242", "external_id": request.id, "agent": "bot@partner.example",
        "comment": { "public": true, "body": "O lojista escreveu no chat: O logotipo novo chega amanhã", "author": "bot@partner.example" },
    })
    .to_string();
    assert_eq!(
        h.webhook(&echo, &now_stamp(&h), SECRET).await,
        StatusCode::OK
    );
    h.worker().run_until_idle().await.unwrap();
    assert!(
        h.store
            .take_console_inbox("ana", thursday_noon())
            .await
            .unwrap()
            .is_empty()
    );
    // Staff ask for a new e-mail; the merchant's fix comes back as a private comment.
    Lifecycle::new(h.store.clone(), Arc::new(h.clock.clone()))
        .ask(
            "WA-000001",
            &["email".to_owned()],
            "O e-mail não recebe mensagens",
            &Actor {
                role: Role::Staff,
                id: "cli:bob".into(),
            },
        )
        .await
        .unwrap();
    for (i, input) in [
        Inbound::Start,
        Inbound::Text("contato@minhaloja.com.br".into()),
        Inbound::Choice("confirm".into()),
    ]
    .into_iter()
    .enumerate()
    {
        h.bot
            .handle(&ana, &format!("fix-{i}"), input)
            .await
            .unwrap();
    }
    assert_eq!(h.status().await, "in_review");
    h.worker().run_until_idle().await.unwrap();
    let last: Value = serde_json::from_slice(
        &h.calls("PUT", "/api/v2/tickets/4242")
            .await
            .iter()
            .rfind(|r| String::from_utf8_lossy(&r.body).contains("\"comment\""))
            .unwrap()
            .body,
    )
    .unwrap();
    assert_eq!(
        last["ticket"]["comment"],
        json!({ "body": "O lojista enviou as correções pedidas (E-mail de contato); a solicitação voltou para análise.", "public": false })
    );
}

/// `desk check` tells a support admin, in their language, what Zendesk has and lacks.
#[tokio::test]
async fn desk_check_reports_the_account_fields_tags_and_webhook() {
    let zendesk = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "user": { "id": 7, "email": "bot@partner.example", "role": "admin" } }),
        ))
        .mount(&zendesk)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/ticket_fields/360001"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({ "ticket_field": { "id": 360001, "title": "Referência WABA" } }),
            ),
        )
        .mount(&zendesk)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/ticket_fields/360004"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({ "error": "RecordNotFound" })),
        )
        .mount(&zendesk)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/tags"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "tags": [{ "name": "vip", "count": 3 }, { "name": "waba_status_submitted", "count": 2 }] }),
        ))
        .mount(&zendesk)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/webhooks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "webhooks": [] })))
        .mount(&zendesk)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("desk.db").display());
    let url = zendesk.uri();
    let (code, out, _) = tokio::task::spawn_blocking(move || {
        crate::support::run_binary(
            &db,
            &["desk", "check"],
            "",
            &[
                ("LANG", "pt_BR.UTF-8"),
                ("WABA_DESK", "zendesk"),
                ("WABA_ZENDESK_URL", &url),
                ("WABA_ZENDESK_EMAIL", "bot@partner.example"),
                ("WABA_ZENDESK_API_TOKEN", "token"),
                ("WABA_ZENDESK_REFERENCE_FIELD_ID", "360001"),
                ("WABA_ZENDESK_STATUS_FIELD_ID", "360004"),
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "✓ O Zendesk respondeu: conectado como bot@partner.example (função admin).",
            "✓ zendesk.reference_field_id (360001) é o campo “Referência WABA”.",
            "✓ zendesk.phone_field_id não está definido: os tickets não vão trazer esse valor em um campo.",
            "✓ zendesk.portfolio_field_id não está definido: os tickets não vão trazer esse valor em um campo.",
            "✗ zendesk.status_field_id (360004) não é um campo de ticket desta conta: crie o campo ou corrija o id.",
            "✓ Tags de status em uso: waba_status_submitted.",
            "✗ Nenhum webhook aponta para /webhooks/zendesk: as mudanças feitas no Zendesk não vão chegar aos lojistas. Veja o README.",
        ]
    );
}

/// Zendesk answering `verb route` with `status` once, then `404 Not Found` (it is gone).
async fn once_then_gone(zendesk: &MockServer, verb: &str, route: &str, status: u16, body: Value) {
    let mut answer = ResponseTemplate::new(status);
    if !body.is_null() {
        answer = answer.set_body_json(body);
    }
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(answer)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(zendesk)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({ "error": "RecordNotFound", "description": "Not found" })),
        )
        .with_priority(2)
        .mount(zendesk)
        .await;
}

/// An erased request's ticket is deleted for good on Zendesk, and the end user it was opened
/// for (their e-mail and store account) with it when they have no other ticket; an end user
/// with another ticket stays. Run again, what is gone already is no failure.
#[tokio::test]
async fn an_erased_request_takes_its_ticket_and_requester_off_zendesk_for_good() {
    for (other_tickets, db) in [
        backends()
            .await
            .into_iter()
            .map(|db| (false, db))
            .collect::<Vec<_>>(),
        backends().await.into_iter().map(|db| (true, db)).collect(),
    ]
    .into_iter()
    .flatten()
    {
        let h = Harness::new(&db).await;
        h.zendesk_accepts().await;
        h.submit().await;
        h.worker().run_until_idle().await.unwrap();
        let requested = if other_tickets {
            json!({ "tickets": [{ "id": 4242 }, { "id": 4100 }] })
        } else {
            json!({ "tickets": [{ "id": 4242 }] })
        };
        let z = &h.zendesk;
        once_then_gone(
            z,
            "GET",
            "/api/v2/tickets/4242",
            200,
            json!({ "ticket": { "id": 4242, "requester_id": 7001 } }),
        )
        .await;
        h.answer(
            "GET",
            "/api/v2/users/7001/tickets/requested",
            200,
            requested,
        )
        .await;
        let user = json!({ "user": { "id": 7001 } });
        once_then_gone(z, "DELETE", "/api/v2/users/7001", 200, user).await;
        let deleted = json!({ "deleted_user": { "id": 7001 } });
        once_then_gone(z, "DELETE", "/api/v2/deleted_users/7001", 200, deleted).await;
        once_then_gone(z, "DELETE", "/api/v2/tickets/4242", 204, Value::Null).await;
        let job = json!({ "job_status": { "id": "j1", "status": "queued" } });
        once_then_gone(z, "DELETE", "/api/v2/deleted_tickets/4242", 200, job).await;

        let lifecycle = Lifecycle::new(h.store.clone(), Arc::new(h.clock.clone()));
        let staff = Actor {
            role: Role::Staff,
            id: "cli:bob".into(),
        };
        lifecycle.erase("WA-000001", &staff).await.unwrap();
        h.worker().run_until_idle().await.unwrap();
        assert!(
            h.store.failed_jobs().await.unwrap().is_empty(),
            "{}",
            db.label
        );
        assert_eq!(h.store.outbox_depth().await.unwrap(), 0, "{}", db.label);
        let user_deletions = usize::from(!other_tickets);
        for (verb, route, times) in [
            ("DELETE", "/api/v2/tickets/4242", 1),
            ("DELETE", "/api/v2/deleted_tickets/4242", 1),
            ("DELETE", "/api/v2/users/7001", user_deletions),
            ("DELETE", "/api/v2/deleted_users/7001", user_deletions),
        ] {
            let answered: Vec<_> = h.calls(verb, route).await;
            assert!(
                answered.len() >= times,
                "{}: {verb} {route} {} times",
                db.label,
                answered.len()
            );
            if times == 0 {
                assert!(answered.is_empty(), "{}: {verb} {route}", db.label);
            }
        }
        // A refresh of the erased request again: all gone, nothing fails, nothing is updated.
        let id = h.store.request("WA-000001").await.unwrap().unwrap().id;
        let updates = h.calls("PUT", "/api/v2/tickets/4242").await.len();
        let mut tx = h.store.begin().await.unwrap();
        tx.enqueue(&waba_onboard::storage::NewJob::refresh_staff_posts(
            &id,
            thursday_noon(),
        ))
        .await
        .unwrap();
        tx.commit().await.unwrap();
        h.worker().run_until_idle().await.unwrap();
        assert!(
            h.store.failed_jobs().await.unwrap().is_empty(),
            "{}",
            db.label
        );
        assert_eq!(h.calls("PUT", "/api/v2/tickets/4242").await.len(), updates);
        h.store.close().await;
    }
}

/// Signed deliveries of any shape (bytes; JSON with the fields the webhook reads, or others,
/// holding any value; about the request, or about none) are answered, never with a server
/// error, and one about no request changes nothing.
#[test]
fn any_signed_delivery_is_answered_and_one_about_no_request_changes_nothing() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = TestDb::sqlite();
    let h = runtime.block_on(async {
        let h = Harness::new(&db).await;
        h.submit().await;
        h
    });
    let request_id = runtime
        .block_on(h.store.request("WA-000001"))
        .unwrap()
        .unwrap()
        .id;
    let traces = || {
        runtime.block_on(async {
            let mut counts = Vec::new();
            for table in ["request_history", "request_notes", "outbox"] {
                let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                    .fetch_one(h.store.pool())
                    .await
                    .unwrap();
                counts.push(n);
            }
            counts
        })
    };
    let value = prop_oneof![
        any::<String>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
        Just(json!({ "public": "true", "body": "oi", "author": "x" })),
        Just(json!(["in_review", 1])),
        Just(Value::from(request_id.clone())),
        "(in_review|rejected|needs_info|active|cancelled|[a-z_]{0,12})".prop_map(Value::from),
    ];
    let field = prop_oneof![
        Just("ticket_id".to_owned()),
        Just("external_id".to_owned()),
        Just("status".to_owned()),
        Just("agent".to_owned()),
        Just("reason".to_owned()),
        Just("comment".to_owned()),
        Just("fields".to_owned()),
        "[a-z_]{1,10}",
    ];
    let body = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        proptest::collection::btree_map(field, value, 0..7)
            .prop_map(|fields| serde_json::to_vec(&fields).unwrap()),
    ];
    let mut runner = TestRunner::new(Config::with_cases(192));
    runner
        .run(&body, |body| {
            let about_it = String::from_utf8_lossy(&body).contains(&request_id);
            let before = traces();
            let at = now_stamp(&h);
            let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
            mac.update(at.as_bytes());
            mac.update(&body);
            let signature =
                base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
            let app = router(&h.desk, Arc::new(h.clock.clone()));
            let request = Request::post("/webhooks/zendesk")
                .header("content-type", "application/json")
                .header("x-zendesk-webhook-signature", signature)
                .header("x-zendesk-webhook-signature-timestamp", at)
                .body(Body::from(body.clone()))
                .unwrap();
            let status = runtime.block_on(app.oneshot(request)).unwrap().status();
            prop_assert!(!status.is_server_error(), "{status} for {body:?}");
            if !about_it {
                prop_assert_eq!(traces(), before, "changed by {:?}", body);
            }
            Ok(())
        })
        .unwrap();
}
