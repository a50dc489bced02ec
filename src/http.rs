//! The HTTP side of `serve`: health, readiness, Prometheus metrics, and the webhook routes that
//! channels and desks add (each behind its own signature check).

use crate::storage::Store;
use crate::telemetry::{StatusLabel, metrics};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tracing::Instrument;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
}

/// The largest request body any route reads, in bytes (1 MiB): platforms' webhook payloads are
/// a few kilobytes (files arrive as links, not in the body), Meta's batches of changes the
/// largest; a larger body is answered 413 Payload Too Large before anything reads it. A route
/// may set a smaller limit of its own.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The router: `/healthz`, `/readyz`, `/metrics`, plus `webhooks` from the enabled channels,
/// every route under [`MAX_BODY_BYTES`].
pub fn router(state: AppState, webhooks: Router) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .with_state(state)
        .merge(webhooks)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(request_id))
}

/// Gives every request an id, on every log line of its handling and in `x-request-id`.
async fn request_id(request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let span = tracing::info_span!("http", request_id = %id, method = %request.method(), path = %request.uri().path());
    let mut response = next.run(request).instrument(span).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.store.is_ready().await {
        (StatusCode::OK, "ready\n")
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable or not migrated\n",
        )
    }
}

async fn metrics_text(State(state): State<AppState>) -> Response {
    let m = metrics();
    match state.store.count_by_status().await {
        Ok(counts) => {
            for status in crate::domain::RequestStatus::ALL {
                let n = counts
                    .iter()
                    .find(|(s, _)| s == status.as_str())
                    .map_or(0, |(_, n)| *n);
                m.requests
                    .get_or_create(&StatusLabel {
                        status: status.as_str().to_owned(),
                    })
                    .set(n);
            }
        }
        Err(error) => tracing::warn!(error = format!("{error:#}"), "cannot count requests"),
    }
    if let Ok(depth) = state.store.outbox_depth().await {
        m.outbox_depth.set(depth);
    }
    if let Ok(oldest) = state.store.oldest_due_job().await {
        let age = oldest.map_or(0, |due| (chrono::Utc::now() - due).num_seconds().max(0));
        m.outbox_oldest_due_seconds.set(age);
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        m.encode(),
    )
        .into_response()
}
