//! `POST /webhooks/zendesk`: Zendesk telling the bot that an agent moved a ticket or answered
//! the merchant in public.
//!
//! Zendesk signs each delivery (<https://developer.zendesk.com/documentation/webhooks/verifying/>):
//! `X-Zendesk-Webhook-Signature` is the base64 HMAC-SHA256, keyed with the webhook's signing
//! secret, of `X-Zendesk-Webhook-Signature-Timestamp` followed by the raw body. A bad or missing
//! signature, a timestamp more than 5 minutes away, or a delivery already handled is answered
//! 401 and changes nothing; a body that is not the JSON below, 400. A delivery about a ticket the
//! bot does not know, or asking for a move the lifecycle refuses, is logged and answered 200
//! (Zendesk would retry anything else, to no avail).
//!
//! The body is what the README's trigger sends (placeholders render as strings):
//! `{"ticket_id", "external_id", "status", "tags", "agent", "reason", "fields",
//! "comment": {"public", "body", "author"}}`. The status is the status field's value, or else the
//! ticket's one `waba_status_<status>` tag; `fields` (comma-separated step ids) is what
//! `needs_info` asks to fix; a public comment is relayed to the merchant, unless the bot wrote
//! it (its author is the API user).

use super::{STATUS_TAG, ZendeskDesk, apply};
use crate::clock::Clock;
use crate::domain::{RequestStatus, Role};
use crate::service::lifecycle::{Actor, Lifecycle, LifecycleError};
use crate::storage::{RequestRow, Store};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::sync::Arc;

/// How far a delivery's timestamp may be from now.
const MAX_SKEW_SECS: i64 = 300;

#[derive(Clone)]
struct Hook {
    secret: Option<String>,
    api_user: String,
    store: Store,
    lifecycle: Lifecycle,
    clock: Arc<dyn Clock>,
}

/// The webhook route of a Zendesk desk.
pub fn router(desk: &ZendeskDesk, clock: Arc<dyn Clock>) -> Router {
    Router::new()
        .route("/webhooks/zendesk", post(receive))
        .with_state(Hook {
            secret: desk.settings.webhook_secret.clone(),
            api_user: desk.settings.email.clone(),
            store: desk.store.clone(),
            lifecycle: desk.lifecycle.clone(),
            clock,
        })
}

/// Whether `signature` (base64) is the HMAC-SHA256 of `timestamp` + `body` under `secret`,
/// compared in constant time.
pub fn verify(secret: &str, timestamp: &str, body: &[u8], signature: &str) -> bool {
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(timestamp.as_bytes());
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// A value the trigger rendered, as text (`123` and `"123"` alike); empty when absent.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

async fn receive(State(hook): State<Hook>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let signature = header("x-zendesk-webhook-signature");
    let timestamp = header("x-zendesk-webhook-signature-timestamp");
    let Some(secret) = &hook.secret else {
        tracing::warn!("Zendesk webhook refused: no signing secret configured");
        return StatusCode::UNAUTHORIZED;
    };
    if !verify(secret, &timestamp, &body, &signature) {
        tracing::warn!("Zendesk webhook refused: bad signature");
        return StatusCode::UNAUTHORIZED;
    }
    let fresh = chrono::DateTime::parse_from_rfc3339(&timestamp).is_ok_and(|at| {
        (hook.clock.now() - at.with_timezone(&chrono::Utc))
            .num_seconds()
            .abs()
            <= MAX_SKEW_SECS
    });
    if !fresh {
        tracing::warn!(%timestamp, "Zendesk webhook refused: stale timestamp");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(payload) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    if !payload.is_object() {
        return StatusCode::BAD_REQUEST;
    }
    match handle(&hook, &signature, &payload).await {
        Ok(status) => status,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "Zendesk webhook failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

async fn handle(hook: &Hook, signature: &str, payload: &Value) -> anyhow::Result<StatusCode> {
    let ticket = text(&payload["ticket_id"]);
    let external = text(&payload["external_id"]);
    let request = match hook.store.request_by_id(&external).await? {
        Some(request) => Some(request),
        None if !ticket.is_empty() => hook.store.request_by_ticket(&ticket).await?,
        None => None,
    };
    let Some(request) = request else {
        tracing::warn!(%ticket, "Zendesk webhook about a ticket of no request; ignored");
        return Ok(StatusCode::OK);
    };
    let agent = text(&payload["agent"]);
    let agent = if agent.is_empty() { "agent" } else { &agent };
    let reason = text(&payload["reason"]);
    let comment = &payload["comment"];
    // The bot's own comments (the merchant's words it passed on) are not sent back.
    let by_the_bot = text(&comment["author"]).eq_ignore_ascii_case(&hook.api_user);
    let public = text(&comment["public"]) == "true" && !by_the_bot;
    let said = text(&comment["body"]);
    // Each delivery is handled once; its signature (over a timestamp) tells it apart. It is
    // recorded once handled, so that a delivery that failed half-way is taken again; the move
    // and the comment are each done at most once, in the transaction that does them.
    let event = format!("zendesk:{signature}");
    if hook.store.event_seen(&event).await? {
        return Ok(StatusCode::UNAUTHORIZED);
    }
    let mut moved = false;
    if let Some(to) = wanted_status(payload, &request) {
        let fields: Vec<String> = text(&payload["fields"])
            .split(',')
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .collect();
        // The reason is the one given, or the agent's public answer.
        let reason = [reason.as_str(), said.as_str()]
            .into_iter()
            .find(|r| !r.is_empty());
        match apply(
            &hook.lifecycle,
            &format!("{event}:move"),
            &request.reference,
            to,
            agent,
            reason,
            &fields,
        )
        .await
        {
            Ok(()) => moved = true,
            Err(LifecycleError::Duplicate) => return Ok(StatusCode::UNAUTHORIZED),
            Err(LifecycleError::Internal(error)) => return Err(error),
            Err(refused) => {
                tracing::warn!(reference = %request.reference, to = %to, error = %refused, "Zendesk asked for a move the lifecycle refuses; ignored");
            }
        }
    }
    // A public answer that was not the reason of a move reaches the merchant as a note.
    if public && !said.is_empty() && !(moved && reason.is_empty()) {
        let actor = Actor {
            role: Role::Staff,
            id: format!("zendesk:{agent}"),
        };
        match hook
            .lifecycle
            .once(&format!("{event}:comment"))
            .note(&request.reference, &actor, &said, true)
            .await
        {
            Ok(()) => {}
            Err(LifecycleError::Duplicate) if !moved => return Ok(StatusCode::UNAUTHORIZED),
            Err(LifecycleError::Internal(error)) => return Err(error),
            Err(other) => tracing::warn!(error = %other, "Zendesk comment not relayed"),
        }
    }
    let mut tx = hook.store.begin().await?;
    tx.record_event(&event, hook.clock.now()).await?;
    tx.commit().await?;
    Ok(StatusCode::OK)
}

/// The status Zendesk shows for the request, when it is another than the request's own: the
/// status field's value, or the ticket's one `waba_status_<status>` tag.
fn wanted_status(payload: &Value, request: &RequestRow) -> Option<RequestStatus> {
    let from_field = RequestStatus::parse(&text(&payload["status"]));
    let tags = text(&payload["tags"]);
    let mut tagged = tags
        .split([' ', ','])
        .filter_map(|t| t.strip_prefix(STATUS_TAG))
        .filter_map(RequestStatus::parse);
    let from_tags = match (tagged.next(), tagged.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    };
    from_field
        .or(from_tags)
        .filter(|to| to.as_str() != request.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_checked_over_the_timestamp_and_the_body() {
        let secret = "dGhpcyBpcyBhIHNlY3JldA==";
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(b"2026-12-05T12:00:00Z{\"a\":1}");
        let good = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert!(verify(secret, "2026-12-05T12:00:00Z", b"{\"a\":1}", &good));
        assert!(!verify(secret, "2026-12-05T12:00:01Z", b"{\"a\":1}", &good));
        assert!(!verify(secret, "2026-12-05T12:00:00Z", b"{\"a\":2}", &good));
        assert!(!verify(
            "other",
            "2026-12-05T12:00:00Z",
            b"{\"a\":1}",
            &good
        ));
        assert!(!verify(
            secret,
            "2026-12-05T12:00:00Z",
            b"{\"a\":1}",
            "not base64!"
        ));
        assert!(!verify(secret, "2026-12-05T12:00:00Z", b"{\"a\":1}", ""));
    }
}
