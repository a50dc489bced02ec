//! `GET /signup/{token}` and `POST /signup/{token}/events`: the page that opens Meta's
//! Embedded Signup for one request, and where it reports the session's outcome (Meta's
//! "Embedded Signup" pages: "Implementation", "Session logging message event listener").
//!
//! - The page is in the merchant's language, loads Meta's JavaScript SDK, and calls `FB.login`
//!   with the configuration id and `extras.setup` pre-filled from the validated request. It
//!   carries no secret: the app id, the configuration id, and an anti-forgery value for this
//!   link. Headers keep the link out of `Referer`, caches and frames.
//! - An event is taken only as JSON (`Content-Type: application/json`, which a cross-site form
//!   cannot send without a CORS preflight, never granted), from the page's own origin when the
//!   browser names one, with the link's anti-forgery value in `X-Signup-Csrf`. Unknown link 404,
//!   used or expired 410, forged 403, malformed 400; the answer is JSON
//!   `{"outcome", "message"}` with the text to show, in the merchant's language.

use crate::config::SignupSettings;
use crate::domain::Message;
use crate::i18n::{self, Locale};
use crate::service::signup::{LinkRefusal, Page, SessionEvent, SignupService, Taken};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

const TEMPLATE: &str = include_str!("signup.html");
const SCRIPT: &str = include_str!("signup.js");

/// Largest event body taken, in bytes.
const MAX_EVENT_BYTES: usize = 16 * 1024;

/// The origins whose messages are Meta's (the Embedded Signup window).
const META_ORIGINS: [&str; 2] = ["https://www.facebook.com", "https://web.facebook.com"];

/// The page's routes.
pub fn router(service: SignupService) -> Router {
    Router::new()
        .route("/signup/{token}", get(page))
        .route(
            "/signup/{token}/events",
            post(event).layer(DefaultBodyLimit::max(MAX_EVENT_BYTES)),
        )
        .with_state(service)
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that can sit inside a `<script>` element.
fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn text(locale: Locale, id: &str) -> String {
    escape(&i18n::text(locale, id))
}

/// The language a browser asks for (`Accept-Language`), for pages of unknown links.
fn browser_locale(headers: &HeaderMap) -> Locale {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(|v| Locale::negotiate(v.split(',').next().unwrap_or_default()))
        .unwrap_or_default()
}

/// Where the SDK comes from: the configured address, or Meta's in the page's language.
fn sdk_url(settings: &SignupSettings, locale: Locale) -> String {
    match &settings.sdk_url {
        Some(url) => url.to_string(),
        None => format!(
            "https://connect.facebook.net/{}/sdk.js",
            match locale {
                Locale::En => "en_US",
                Locale::PtBr => "pt_BR",
            }
        ),
    }
}

/// The origins whose messages the page takes: Meta's, and the configured SDK's.
fn message_origins(settings: &SignupSettings) -> Vec<String> {
    let mut origins: Vec<String> = META_ORIGINS.iter().map(|o| (*o).to_owned()).collect();
    if let Some(url) = &settings.sdk_url {
        origins.push(url.origin().ascii_serialization());
    }
    origins
}

fn html(status: StatusCode, locale: Locale, title: &str, body: &str, script: &str) -> Response {
    let page = TEMPLATE
        .replace("{{lang}}", locale.tag())
        .replace("{{title}}", &escape(title))
        .replace("{{body}}", body)
        .replace("{{script}}", script);
    let mut response = (status, page).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::CONTENT_SECURITY_POLICY,
            "frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'none'",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

fn refused_page(refusal: LinkRefusal, locale: Locale) -> Response {
    let status = match refusal {
        LinkRefusal::Unknown => StatusCode::NOT_FOUND,
        LinkRefusal::Used | LinkRefusal::Expired => StatusCode::GONE,
        LinkRefusal::Forged => StatusCode::FORBIDDEN,
    };
    let body = format!(
        "<p>{}</p>\n<p>{}</p>",
        text(locale, refusal.message_id()),
        text(locale, "signup-page-ask-again")
    );
    html(
        status,
        locale,
        &i18n::text(locale, "signup-page-title"),
        &body,
        "",
    )
}

async fn page(
    State(service): State<SignupService>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    match service.page(&token).await {
        Ok(page) => signup_page(&service, &token, &page),
        Err((refusal, locale)) => {
            tracing::info!(?refusal, "signup page refused");
            refused_page(refusal, locale.unwrap_or_else(|| browser_locale(&headers)))
        }
    }
}

fn signup_page(service: &SignupService, token: &str, page: &Page) -> Response {
    let settings = service.settings();
    let locale = page.locale;
    let setup = &page.setup;
    let shown = |v: &serde_json::Value| escape(v.as_str().unwrap_or_default());
    let category = setup["phone"]["category"]
        .as_str()
        .map(|code| {
            i18n::text(
                locale,
                &format!("category-{}", code.to_lowercase().replace('_', "-")),
            )
        })
        .unwrap_or_default();
    let rows = [
        ("field-display-name", shown(&setup["phone"]["displayName"])),
        ("field-phone", escape(&page.phone)),
        ("field-category", escape(&category)),
        ("field-email", shown(&setup["business"]["email"])),
        ("field-business-id", shown(&setup["business"]["id"])),
    ]
    .into_iter()
    .map(|(id, value)| format!("<dt>{}</dt><dd>{value}</dd>", text(locale, id)))
    .collect::<Vec<_>>()
    .join("\n");
    let body = format!(
        "<p>{intro}</p>\n<p>{prefilled}</p>\n<dl>\n{rows}\n</dl>\n\
         <p><button id=\"launch\" type=\"button\" disabled>{button}</button></p>\n\
         <p id=\"status\" role=\"status\" aria-live=\"polite\">{loading}</p>\n<p>{after}</p>",
        intro = escape(&i18n::render(
            locale,
            &Message::new("signup-page-intro").text("reference", page.reference.clone())
        )),
        prefilled = text(locale, "signup-page-prefilled"),
        button = text(locale, "signup-page-button"),
        loading = text(locale, "signup-page-loading"),
        after = text(locale, "signup-page-after"),
    );
    let config = json!({
        "app_id": settings.app_id,
        "config_id": settings.config_id,
        "version": settings.graph_version,
        "setup": setup,
        "csrf": page.csrf,
        "events": format!("/signup/{token}/events"),
        "origins": message_origins(settings),
        "text": {
            "ready": i18n::text(locale, "signup-page-ready"),
            "opened": i18n::text(locale, "signup-page-opened"),
            "sending": i18n::text(locale, "signup-page-sending"),
            "network": i18n::text(locale, "signup-page-network"),
        },
    });
    let script = format!(
        "<script type=\"application/json\" id=\"signup-config\">{}</script>\n\
         <script>{SCRIPT}</script>\n\
         <script async defer crossorigin=\"anonymous\" src=\"{}\"></script>",
        script_json(&config),
        escape(&sdk_url(settings, locale)),
    );
    html(
        StatusCode::OK,
        locale,
        &i18n::text(locale, "signup-page-title"),
        &body,
        &script,
    )
}

fn answer(status: StatusCode, outcome: &str, message: String) -> Response {
    let body = json!({ "outcome": outcome, "message": message }).to_string();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn event(
    State(service): State<SignupService>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let locale = browser_locale(&headers);
    let refuse = |refusal: LinkRefusal, locale: Locale| {
        let status = match refusal {
            LinkRefusal::Unknown => StatusCode::NOT_FOUND,
            LinkRefusal::Used | LinkRefusal::Expired => StatusCode::GONE,
            LinkRefusal::Forged => StatusCode::FORBIDDEN,
        };
        answer(status, "refused", i18n::text(locale, refusal.message_id()))
    };
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !json_body {
        return answer(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "refused",
            i18n::text(locale, "signup-page-bad-event"),
        );
    }
    // A browser names the page's origin; another origin is a cross-site post.
    let own = service.settings().public_url.origin().ascii_serialization();
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok())
        && origin != own
    {
        tracing::warn!("signup event refused: posted from another origin");
        return refuse(LinkRefusal::Forged, locale);
    }
    let Some(session_event) = SessionEvent::parse(&body) else {
        return answer(
            StatusCode::BAD_REQUEST,
            "refused",
            i18n::text(locale, "signup-page-bad-event"),
        );
    };
    let csrf = headers
        .get("x-signup-csrf")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let page_locale = match service.page(&token).await {
        Ok(page) => page.locale,
        Err((_, known)) => known.unwrap_or(locale),
    };
    match service.event(&token, csrf, session_event).await {
        Ok(taken) => {
            let (outcome, id) = match taken {
                Taken::Finished => ("finished", "signup-page-finished"),
                Taken::Cancelled => ("cancelled", "signup-page-cancelled"),
                Taken::Failed => ("failed", "signup-page-failed"),
            };
            answer(StatusCode::OK, outcome, i18n::text(page_locale, id))
        }
        Err(refusal) => {
            tracing::info!(?refusal, "signup event refused");
            refuse(refusal, page_locale)
        }
    }
}
