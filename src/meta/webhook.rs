//! `GET` and `POST /webhooks/meta`: Meta's subscription handshake and its change notifications
//! (Meta's "Webhooks" pages: "Verification Requests" and "Event Notifications").
//!
//! - `GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C` answers `C` when `T` is the
//!   configured verify token (compared in constant time), 403 otherwise.
//! - `POST` is checked against `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body
//!   keyed with the app secret>` in constant time: a missing, malformed or wrong signature is
//!   401, a body that is not a notification 400. A body older than [`REPLAY_WINDOW_DAYS`] (its
//!   entries' `time`) is a replay and 401: the bot no longer remembers the changes it handled
//!   then. Each change is recorded and queued in one transaction and acknowledged with 200;
//!   the work is the outbox's. A change Meta sends again (it retries until it gets a 200) is
//!   acknowledged and does nothing.

use super::changes;
use crate::config::Secret;
use crate::service::meta::MetaService;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use subtle::ConstantTimeEq;

/// Days a notification is taken for: as long as handled changes are remembered
/// (`tickets::worker::EVENT_RETENTION_DAYS`), longer than Meta retries a delivery.
pub const REPLAY_WINDOW_DAYS: i64 = 7;

#[derive(Clone)]
struct Hook {
    app_secret: Option<Secret>,
    verify_token: Option<Secret>,
    meta: MetaService,
}

/// The webhook's routes.
pub fn router(
    app_secret: Option<Secret>,
    verify_token: Option<Secret>,
    meta: MetaService,
) -> Router {
    Router::new()
        .route("/webhooks/meta", get(handshake).post(receive))
        .with_state(Hook {
            app_secret,
            verify_token,
            meta,
        })
}

/// Whether `header` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `secret`, compared in
/// constant time.
pub fn verify(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    let given: Vec<u8> = (0..32)
        .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect();
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

async fn handshake(
    State(hook): State<Hook>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let given = query
        .get("hub.verify_token")
        .map(String::as_str)
        .unwrap_or_default();
    let subscribe = query.get("hub.mode").is_some_and(|m| m == "subscribe");
    let matches = hook
        .verify_token
        .as_ref()
        .is_some_and(|token| bool::from(token.expose().as_bytes().ct_eq(given.as_bytes())));
    match query.get("hub.challenge") {
        Some(challenge) if subscribe && matches => {
            tracing::info!("Meta webhook subscription verified");
            (StatusCode::OK, challenge.clone()).into_response()
        }
        _ => {
            tracing::warn!("Meta webhook handshake refused");
            StatusCode::FORBIDDEN.into_response()
        }
    }
}

async fn receive(State(hook): State<Hook>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Some(secret) = &hook.app_secret else {
        tracing::warn!("Meta webhook refused: no app secret configured");
        return StatusCode::UNAUTHORIZED;
    };
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !verify(secret.expose(), &body, signature) {
        tracing::warn!("Meta webhook refused: bad signature");
        return StatusCode::UNAUTHORIZED;
    }
    let changes = match changes(&body) {
        Ok(changes) => changes,
        Err(error) => {
            tracing::warn!(%error, "Meta webhook refused");
            return StatusCode::BAD_REQUEST;
        }
    };
    let oldest = hook.meta.now() - chrono::Duration::days(REPLAY_WINDOW_DAYS);
    if changes
        .iter()
        .any(|c| c.time.is_some_and(|t| t < oldest.timestamp()))
    {
        tracing::warn!("Meta webhook refused: a notification older than the replay window");
        return StatusCode::UNAUTHORIZED;
    }
    match hook.meta.receive(&changes).await {
        Ok(new) => {
            tracing::info!(changes = changes.len(), new, "Meta webhook received");
            StatusCode::OK
        }
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "Meta webhook failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}
