//! Embedded Signup, end to end: the merchant chooses the path after the summary, opens the link
//! in a real headless Chromium, and a local stand-in for Meta's SDK (served by the fake Graph
//! API) opens "Meta's window", which reports FINISH, CANCEL or ERROR as Meta documents them.
//! The request and the chat follow; expired, reused, foreign and forged links change nothing.
//!
//! The browser is Debian's Chromium (`/usr/bin/chromium`, or `WABA_TEST_CHROMIUM`). Without it
//! the browser tests are skipped, except with `CI=true`, where they fail.

use crate::support::{TestClock, TestDb, answers_to_summary, backends, thursday_noon};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Duration;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tower::ServiceExt;
use waba_onboard::clock::Clock;
use waba_onboard::config::{Config, MetaSettings, SignupSettings};
use waba_onboard::conversation::Inbound;
use waba_onboard::i18n::{self, Locale};
use waba_onboard::service::merchant::{Bot, Merchant};
use waba_onboard::service::signup::{SignupLinks, SignupService};
use waba_onboard::storage::{Store, UserKey};
use waba_onboard::tickets::{BuiltinDesk, ConsoleNotifier, MetaWork, RetryPolicy, Worker};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP_SECRET: &str = "meta-app-secret-never-shown";
const SYSTEM_TOKEN: &str = "system-user-token-never-shown";
const APP_ID: &str = "1234567890";
const CONFIG_ID: &str = "987654321";
const WABA: &str = "495708166922390";
const PHONE_ID: &str = "110200345501442";
const CODE: &str = "AQBx-one-time-code";

/// The stand-in for Meta's SDK: `FB.init`, and `FB.login`, which shows the options it was
/// given (`#seen`) and opens "Meta's window" (a frame of the fake's origin) whose message is
/// answered by the login callback, as the real SDK does. It also plays the merchant: once the
/// SDK is ready, it presses the page's button.
const SDK: &str = r#"(function () {
  var origin = new URL(document.currentScript.src).origin;
  window.FB = {
    init: function (options) { window.__fbInit = options; },
    login: function (callback, options) {
      var seen = document.createElement("pre");
      seen.id = "seen";
      seen.textContent = JSON.stringify({ init: window.__fbInit, login: options });
      document.body.appendChild(seen);
      window.addEventListener("message", function (event) {
        if (event.origin !== origin) { return; }
        var message = JSON.parse(event.data);
        var finished = String(message.event).indexOf("FINISH") === 0;
        setTimeout(function () {
          callback(finished ? { authResponse: { code: "AQBx-one-time-code" }, status: "connected" }
                            : { authResponse: null, status: "unknown" });
        }, 20);
      });
      var frame = document.createElement("iframe");
      frame.src = origin + "/dialog";
      document.body.appendChild(frame);
    }
  };
  window.fbAsyncInit();
  document.getElementById("launch").click();
  // Holds the page's load event (when the browser hands the document back) until the window
  // has answered and the page has told the bot.
  var hold = document.createElement("img");
  hold.src = origin + "/hold";
  document.body.appendChild(hold);
})();"#;

struct Harness {
    meta: MockServer,
    store: Store,
    bot: Bot,
    clock: TestClock,
    meta_settings: MetaSettings,
    signup: SignupSettings,
    merchant: Merchant,
    base: String,
    events: usize,
}

impl Harness {
    /// Meta's fake (Graph API, SDK and window), and `serve`'s signup pages on a local port.
    async fn new(db: &TestDb) -> Harness {
        let meta = MockServer::start().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let env = HashMap::from([
            ("WABA_META_APP_SECRET", APP_SECRET.to_owned()),
            ("WABA_META_SYSTEM_USER_TOKEN", SYSTEM_TOKEN.to_owned()),
            ("WABA_META_GRAPH_URL", meta.uri()),
            ("WABA_META_APP_ID", APP_ID.to_owned()),
            ("WABA_SIGNUP_CONFIG_ID", CONFIG_ID.to_owned()),
            ("WABA_SIGNUP_SDK_URL", format!("{}/sdk.js", meta.uri())),
            ("WABA_PUBLIC_URL", base.clone()),
        ]);
        let config = Config::load(None, |key| env.get(key).cloned()).unwrap();
        let signup = config.signup_settings.clone().unwrap();
        let clock = TestClock::at(thursday_noon());
        let store = db.store().await;
        let service = SignupService::new(store.clone(), Arc::new(clock.clone()), signup.clone());
        let app = waba_onboard::meta::signup::router(service);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Mock::given(method("GET"))
            .and(path("/sdk.js"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(SDK, "application/javascript")
                    // Meta's SDK is served to any origin, as the page's `crossorigin` needs.
                    .insert_header("access-control-allow-origin", "*"),
            )
            .mount(&meta)
            .await;
        Mock::given(method("GET"))
            .and(path("/hold"))
            .respond_with(ResponseTemplate::new(204).set_delay(std::time::Duration::from_secs(2)))
            .mount(&meta)
            .await;
        Harness {
            bot: db
                .bot(&clock)
                .await
                .with_signup(Some(SignupLinks::new(&signup))),
            meta,
            store,
            clock,
            meta_settings: config.meta_settings.unwrap(),
            signup,
            merchant: Merchant {
                key: UserKey::new("console", "ana"),
                locale_hint: Some(Locale::PtBr),
            },
            base,
            events: 0,
        }
    }

    /// What "Meta's window" reports to the page.
    async fn window_reports(&self, message: Value) {
        let html = format!(
            "<!doctype html><script>parent.postMessage({}, \"*\");</script>",
            serde_json::to_string(&message.to_string()).unwrap()
        );
        Mock::given(method("GET"))
            .and(path("/dialog"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(html, "text/html"))
            .mount(&self.meta)
            .await;
    }

    async fn run(&self) {
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
        .with_meta(
            MetaWork::new(&self.meta_settings)
                .unwrap()
                .with_signup(Some(&self.signup)),
        )
        .run_until_idle()
        .await
        .unwrap();
    }

    async fn turn(&mut self, inbound: Inbound) -> String {
        self.events += 1;
        let outcome = self
            .bot
            .handle(
                &self.merchant,
                &format!("{}-event-{}", self.merchant.key.user_id, self.events),
                inbound,
            )
            .await
            .unwrap();
        outcome
            .replies
            .iter()
            .map(|r| {
                let mut text = i18n::render(outcome.locale, &r.message);
                for choice in &r.choices {
                    text.push_str(&format!(
                        "\n  [{}] {}",
                        choice.key,
                        i18n::render(outcome.locale, &choice.label)
                    ));
                }
                text
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The merchant answers every question, confirms, and chooses the path; returns the bot's
    /// last answer.
    async fn confirm(&mut self, locale: Locale, path: &str) -> String {
        self.merchant.locale_hint = Some(locale);
        let phone = match locale {
            Locale::PtBr => "(11) 98765-4321",
            Locale::En => "+55 11 98765-4321",
        };
        for input in answers_to_summary(phone) {
            self.turn(input).await;
        }
        let question = self.turn(Inbound::Choice("confirm".into())).await;
        let expected = i18n::text(locale, "ask-path");
        assert!(question.contains(&expected), "{question}");
        assert!(
            question.contains("[self]") && question.contains("[team]"),
            "{question}"
        );
        self.turn(Inbound::Choice(path.into())).await
    }

    /// The link in the bot's answer.
    fn link_in(&self, text: &str) -> String {
        let start = text
            .find(&format!("{}/signup/", self.base))
            .unwrap_or_else(|| panic!("no link in {text}"));
        text[start..].split_whitespace().next().unwrap().to_owned()
    }

    async fn told(&self) -> Vec<String> {
        crate::support::console_news(&self.store, "ana", self.clock.now()).await
    }

    /// WA-000001 as staff read it.
    async fn report(&self, locale: Locale) -> String {
        let lifecycle = waba_onboard::service::lifecycle::Lifecycle::new(
            self.store.clone(),
            Arc::new(self.clock.clone()),
        );
        let report = lifecycle.report("WA-000001").await.unwrap();
        waba_onboard::service::reports::report_text(&report, locale)
    }

    async fn status(&self) -> String {
        self.store
            .request("WA-000001")
            .await
            .unwrap()
            .unwrap()
            .status
    }

    async fn get(&self, link: &str, language: &str) -> (StatusCode, String) {
        let service = SignupService::new(
            self.store.clone(),
            Arc::new(self.clock.clone()),
            self.signup.clone(),
        );
        let uri = link.trim_start_matches(&self.base).to_owned();
        let response = waba_onboard::meta::signup::router(service)
            .oneshot(
                Request::get(uri)
                    .header("accept-language", language)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    async fn post_event(
        &self,
        link: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (StatusCode, Value) {
        let service = SignupService::new(
            self.store.clone(),
            Arc::new(self.clock.clone()),
            self.signup.clone(),
        );
        let mut request = Request::post(format!("{}/events", link.trim_start_matches(&self.base)));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = waba_onboard::meta::signup::router(service)
            .oneshot(request.body(Body::from(body.to_owned())).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }
}

/// The anti-forgery value a page carries.
fn csrf_of(page: &str) -> String {
    let config = page
        .split("<script type=\"application/json\" id=\"signup-config\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the page has its configuration");
    let config: Value = serde_json::from_str(config).unwrap();
    config["csrf"].as_str().unwrap().to_owned()
}

/// The browser, if this machine has one; with `CI=true` its absence fails the test.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var("WABA_TEST_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("/usr/bin/chromium"));
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "CI=true but no Chromium at {} (install Debian's chromium, or set WABA_TEST_CHROMIUM)",
            path.display()
        );
    }
    eprintln!("no Chromium at {}: browser tests skipped", path.display());
    None
}

/// Opens `url` in headless Chromium and returns the page's document once its scripts ran.
async fn browse(browser: PathBuf, url: String) -> String {
    tokio::task::spawn_blocking(move || {
        let profile = tempfile::tempdir().unwrap();
        let output = std::process::Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--timeout=30000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("--dump-dom")
            .arg(&url)
            .output()
            .expect("Chromium starts");
        String::from_utf8_lossy(&output.stdout).into_owned()
    })
    .await
    .unwrap()
}

/// What the stand-in SDK was given: `FB.init`'s and `FB.login`'s options.
fn seen_by_sdk(dom: &str) -> Value {
    let seen = dom
        .split("<pre id=\"seen\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("the SDK was never called:\n{dom}"));
    let seen = seen
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&seen).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn finishing_meta_signup_in_the_browser_creates_the_account_and_registers_the_number() {
    let Some(browser) = chromium() else { return };
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let answer = h.confirm(Locale::PtBr, "self").await;
    assert!(answer.contains("WA-000001"), "{answer}");
    assert!(answer.contains("/equipe"), "{answer}");
    let link = h.link_in(&answer);
    assert_eq!(h.status().await, "submitted");

    h.window_reports(json!({
        "type": "WA_EMBEDDED_SIGNUP",
        "event": "FINISH",
        "data": { "phone_number_id": PHONE_ID, "waba_id": WABA, "business_id": "123456789012345" }
    }))
    .await;
    Mock::given(method("GET"))
        .and(path("/v23.0/oauth/access_token"))
        .and(query_param("client_id", APP_ID))
        .and(query_param("client_secret", APP_SECRET))
        .and(query_param("code", CODE))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "access_token": "business-token" })),
        )
        .expect(1)
        .mount(&h.meta)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v23.0/{PHONE_ID}/register")))
        .and(header("authorization", "Bearer business-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "success": true })))
        .expect(1)
        .mount(&h.meta)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v23.0/{WABA}/subscribed_apps")))
        .and(header("authorization", "Bearer business-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "success": true })))
        .expect(1)
        .mount(&h.meta)
        .await;

    let dom = browse(browser, link.clone()).await;
    assert!(dom.contains("lang=\"pt-BR\""), "{dom}");
    assert!(dom.contains("data-outcome=\"finished\""), "{dom}");
    assert!(
        dom.contains(&i18n::text(Locale::PtBr, "signup-page-finished")),
        "{dom}"
    );
    // Meta's screens are pre-filled with what the bot validated.
    let seen = seen_by_sdk(&dom);
    assert_eq!(seen["init"]["appId"], APP_ID);
    assert_eq!(seen["init"]["version"], "v23.0");
    let login = &seen["login"];
    assert_eq!(login["config_id"], CONFIG_ID);
    assert_eq!(login["response_type"], "code");
    assert_eq!(login["extras"]["sessionInfoVersion"], "3");
    assert_eq!(
        login["extras"]["setup"],
        json!({
            "business": {
                "id": "123456789012345",
                "name": "Loja Azul",
                "email": "ana@minhaloja.com.br",
                "phone": { "code": 55, "number": "11987654321" }
            },
            "phone": { "displayName": "Loja Azul", "category": "RETAIL" }
        })
    );

    assert_eq!(h.status().await, "approved_by_client");
    h.run().await;
    assert_eq!(h.status().await, "number_registered");
    let told = h.told().await.join("\n");
    assert!(told.contains("foi criada na janela da Meta"), "{told}");
    assert!(told.contains("nome de exibição"), "{told}");
    let id = h.store.request("WA-000001").await.unwrap().unwrap().id;
    let registration = h.store.registration(&id).await.unwrap().unwrap();
    assert_eq!(registration.waba_id, WABA);

    // The link was used: opening it again says so, and changes nothing.
    let (status, page) = h.get(&link, "pt-BR").await;
    assert_eq!(status, StatusCode::GONE);
    assert!(
        page.contains(&i18n::text(Locale::PtBr, "signup-page-used")),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn closing_meta_window_keeps_the_request_and_offers_a_new_link_or_the_team() {
    let Some(browser) = chromium() else { return };
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let answer = h.confirm(Locale::En, "self").await;
    let link = h.link_in(&answer);
    h.window_reports(json!({
        "type": "WA_EMBEDDED_SIGNUP",
        "event": "CANCEL",
        "data": { "current_step": "PHONE_NUMBER_VERIFICATION" }
    }))
    .await;
    let dom = browse(browser, link.clone()).await;
    assert!(dom.contains("lang=\"en\""), "{dom}");
    assert!(dom.contains("data-outcome=\"cancelled\""), "{dom}");
    h.run().await;
    assert_eq!(h.status().await, "submitted");
    let told = h.told().await.join("\n");
    assert!(
        told.contains("verifying the number with the code"),
        "{told}"
    );
    assert!(told.contains("/signup") && told.contains("/team"), "{told}");

    // Staff see where the merchant stopped.
    let text = h.report(Locale::En).await;
    assert!(
        text.contains("stopped at “verifying the number with the code”"),
        "{text}"
    );

    // A new link works; the old one no longer does.
    let again = h.turn(Inbound::Text("/signup".into())).await;
    let new_link = h.link_in(&again);
    assert_ne!(new_link, link);
    assert_eq!(h.get(&link, "en").await.0, StatusCode::GONE);
    assert_eq!(h.get(&new_link, "en").await.0, StatusCode::OK);
    // Or the team takes over, and the link stops working.
    let team = h.turn(Inbound::Text("/team".into())).await;
    assert!(team.contains("our team will create the account"), "{team}");
    assert_eq!(h.get(&new_link, "en").await.0, StatusCode::GONE);
    let again = h.turn(Inbound::Text("/signup".into())).await;
    assert!(
        again.contains(&i18n::text(Locale::En, "signup-none")),
        "{again}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_error_in_meta_window_is_explained_to_the_merchant_and_shown_to_staff() {
    let Some(browser) = chromium() else { return };
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let answer = h.confirm(Locale::PtBr, "self").await;
    let link = h.link_in(&answer);
    h.window_reports(json!({
        "type": "WA_EMBEDDED_SIGNUP",
        "event": "CANCEL",
        "data": {
            "error_message": "Phone number already registered on another account",
            "error_id": "524126",
            "session_id": "f34b51dab5e0498",
            "timestamp": "1689289470"
        }
    }))
    .await;
    let dom = browse(browser, link).await;
    assert!(dom.contains("data-outcome=\"failed\""), "{dom}");
    h.run().await;
    assert_eq!(h.status().await, "submitted");
    let told = h.told().await.join("\n");
    assert!(
        told.contains("a Meta interrompeu o cadastro com esta mensagem: “Phone number already registered on another account”"),
        "{told}"
    );
    let text = h.report(Locale::En).await;
    assert!(
        text.contains("Embedded Signup failed: “Phone number already registered"),
        "{text}"
    );
}

#[tokio::test]
async fn links_expire_are_used_once_and_refuse_forgeries_on_every_backend() {
    for db in backends().await {
        let mut h = Harness::new(&db).await;
        let answer = h.confirm(Locale::PtBr, "self").await;
        let link = h.link_in(&answer);

        // The page speaks the merchant's language and carries no secret.
        let (status, page) = h.get(&link, "en-US").await;
        assert_eq!(status, StatusCode::OK, "{}", db.label);
        assert!(page.contains("<html lang=\"pt-BR\">"));
        assert!(page.contains(&i18n::text(Locale::PtBr, "signup-page-title")));
        assert!(page.contains("Loja Azul"));
        for secret in [APP_SECRET, SYSTEM_TOKEN] {
            assert!(
                !page.contains(secret),
                "{}: the page shows a secret",
                db.label
            );
        }
        let csrf = csrf_of(&page);
        let finish =
            json!({ "event": "FINISH", "waba_id": WABA, "phone_number_id": PHONE_ID }).to_string();
        let origin = h.base.clone();
        let json_type = ("content-type", "application/json");

        // Forged: no anti-forgery value, another origin, not JSON, a malformed event.
        for (headers, body, expected) in [
            (
                vec![json_type, ("origin", origin.as_str())],
                finish.as_str(),
                StatusCode::FORBIDDEN,
            ),
            (
                vec![
                    json_type,
                    ("origin", "https://evil.example"),
                    ("x-signup-csrf", csrf.as_str()),
                ],
                finish.as_str(),
                StatusCode::FORBIDDEN,
            ),
            (
                vec![
                    ("content-type", "text/plain"),
                    ("x-signup-csrf", csrf.as_str()),
                ],
                finish.as_str(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                vec![json_type, ("x-signup-csrf", csrf.as_str())],
                r#"{"event":"FINISH","waba_id":"1; DROP TABLE requests"}"#,
                StatusCode::BAD_REQUEST,
            ),
        ] {
            let (status, answer) = h.post_event(&link, &headers, body).await;
            assert_eq!(status, expected, "{}: {answer}", db.label);
        }
        assert_eq!(h.status().await, "submitted", "{}", db.label);

        // A foreign token: not found, in the browser's language.
        let foreign = format!("{}/signup/{}", h.base, "ab".repeat(32));
        let (status, page) = h.get(&foreign, "pt-BR,pt;q=0.9").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(page.contains(&i18n::text(Locale::PtBr, "signup-page-unknown")));
        let (status, _) = h
            .get(&format!("{}/signup/..%2F..%2Fetc", h.base), "en")
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The real event, once: a second one is refused.
        let headers = [
            json_type,
            ("origin", origin.as_str()),
            ("x-signup-csrf", csrf.as_str()),
        ];
        let (status, answer) = h.post_event(&link, &headers, &finish).await;
        assert_eq!(status, StatusCode::OK, "{}: {answer}", db.label);
        assert_eq!(answer["outcome"], "finished");
        assert_eq!(h.status().await, "approved_by_client");
        let (status, _) = h.post_event(&link, &headers, &finish).await;
        assert_eq!(status, StatusCode::GONE, "{}", db.label);

        // Expired: a new merchant's link, opened after its time.
        let mut other = Harness::new(&db).await;
        other.merchant.key = UserKey::new("console", "bia");
        other.merchant.locale_hint = Some(Locale::En);
        let phone = "+55 11 98765-1234";
        let mut inputs = answers_to_summary(phone);
        inputs.push(Inbound::Choice("confirm".into()));
        inputs.push(Inbound::Choice("self".into()));
        let mut last = String::new();
        for input in inputs {
            last = other.turn(input).await;
        }
        let link = other.link_in(&last);
        *other.clock.0.lock().unwrap() += Duration::minutes(61);
        let (status, page) = other.get(&link, "en").await;
        assert_eq!(status, StatusCode::GONE, "{}", db.label);
        assert!(page.contains(&i18n::text(Locale::En, "signup-page-expired")));
    }
}

#[tokio::test]
async fn the_team_path_is_unchanged_when_chosen() {
    let db = TestDb::sqlite();
    let mut h = Harness::new(&db).await;
    let answer = h.confirm(Locale::En, "team").await;
    assert!(answer.contains("WA-000001"), "{answer}");
    assert!(answer.contains("Settings > Requests"), "{answer}");
    assert!(!answer.contains("/signup/"), "{answer}");
    assert!(
        h.store
            .signup(&h.store.request("WA-000001").await.unwrap().unwrap().id)
            .await
            .unwrap()
            .is_none()
    );
    let again = h.turn(Inbound::Text("/signup".into())).await;
    assert!(
        again.contains(&i18n::text(Locale::En, "signup-none")),
        "{again}"
    );
}
