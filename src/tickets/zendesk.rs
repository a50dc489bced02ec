//! The Zendesk desk: each confirmed request becomes one Zendesk ticket, kept in step with the
//! request both ways.
//!
//! Out (Zendesk Support API, <https://developer.zendesk.com/api-reference/ticketing/>):
//! - opening: the logo goes up first (`POST /api/v2/uploads`), then the ticket is created
//!   (`POST /api/v2/tickets`) with the request's UUID as `external_id` and `Idempotency-Key`;
//!   before creating, a ticket with that `external_id` is looked for
//!   (`GET /api/v2/tickets?external_id=`), so a retry after a lost response never makes a
//!   second ticket, even once Zendesk has forgotten the key (it keeps one for 2 hours);
//! - every move made elsewhere (chat, command line) updates the ticket's status field and its
//!   `waba_status_<status>` tag (`PUT /api/v2/tickets/{id}`);
//! - a merchant asking for a person becomes a private comment on the ticket, what the merchant
//!   writes in the chat after sending a public one, and a fix they send after `needs_info` a
//!   private one listing the fields asked for;
//! - an erased request's ticket is deleted for good, with its requester when no other ticket
//!   of theirs is left (see [`ZendeskDesk::erase`](TicketDesk::erase)).
//!
//! Calls are authenticated as `{email}/token:{api_token}` (basic auth). A 429 is retried after
//! its `Retry-After`; 5xx and network errors are retried with the outbox's backoff; any other
//! 4xx is a refusal, kept among the failed jobs for staff to see.
//!
//! In: `POST /webhooks/zendesk` (see [`webhook`]).

use super::{BoxFuture, DeskNote, HelpWanted, RemoteError, TicketDesk};
use crate::domain::{Message, OnboardingRequest, RequestStatus, Role};
use crate::i18n::{self, Locale};
use crate::service::lifecycle::{Actor, Lifecycle, LifecycleError};
use crate::storage::{RequestRow, Store};
use anyhow::Context;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

mod webhook;

pub use webhook::router;

/// The prefix of the tag that carries a request's status on its ticket
/// (`waba_status_in_review`).
pub const STATUS_TAG: &str = "waba_status_";

/// Longest wait a `Retry-After` is trusted for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// How the desk reaches Zendesk and fills tickets.
#[derive(Clone)]
pub struct ZendeskSettings {
    /// The account's base URL (`https://SUBDOMAIN.zendesk.com`), without a trailing slash.
    pub url: String,
    /// The API user's e-mail.
    pub email: String,
    /// The API token.
    pub api_token: String,
    /// The webhook signing secret (`None`: the webhook route refuses everything).
    pub webhook_secret: Option<String>,
    /// The support team's language, for the ticket's text.
    pub locale: Locale,
    /// Ticket field ids (`None`: not set).
    pub fields: TicketFields,
}

/// The ids of the custom ticket fields the desk fills, as created in Zendesk's admin center.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TicketFields {
    /// The request's reference (`WA-000042`).
    pub reference: Option<u64>,
    /// The business phone number (E.164).
    pub phone: Option<u64>,
    /// The business portfolio id.
    pub portfolio: Option<u64>,
    /// The request's status (its stable id, `in_review`); also read from the webhook.
    pub status: Option<u64>,
}

/// The Zendesk desk.
#[derive(Clone)]
pub struct ZendeskDesk {
    http: reqwest::Client,
    settings: Arc<ZendeskSettings>,
    store: Store,
    lifecycle: Lifecycle,
}

impl ZendeskDesk {
    /// A desk for `settings`, reading requests from `lifecycle`'s store.
    pub fn new(settings: ZendeskSettings, store: Store, lifecycle: Lifecycle) -> ZendeskDesk {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("waba-onboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        ZendeskDesk {
            http,
            settings: Arc::new(settings),
            store,
            lifecycle,
        }
    }

    /// The settings.
    pub fn settings(&self) -> &ZendeskSettings {
        &self.settings
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.settings.url.trim_end_matches('/'))
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .basic_auth(
                format!("{}/token", self.settings.email),
                Some(&self.settings.api_token),
            )
            .header(reqwest::header::ACCEPT, "application/json")
    }

    /// Sends a call and reads its JSON answer; failures are told apart for the worker (see the
    /// module's documentation).
    async fn call(&self, request: reqwest::RequestBuilder, what: &str) -> anyhow::Result<Value> {
        Ok(self
            .call_found(request, what, false)
            .await?
            .unwrap_or(Value::Null))
    }

    /// As [`Self::call`]; with `missing_ok`, `404 Not Found` is `None` rather than a refusal
    /// (what an erasure run again finds already gone), and an empty body is `Value::Null`
    /// (`204 No Content`).
    async fn call_found(
        &self,
        request: reqwest::RequestBuilder,
        what: &str,
        missing_ok: bool,
    ) -> anyhow::Result<Option<Value>> {
        let response = request
            .send()
            .await
            .with_context(|| format!("Zendesk {what}: no answer"))?;
        let status = response.status();
        if missing_ok && status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            let wait = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map_or(Duration::from_secs(60), Duration::from_secs)
                .min(MAX_RETRY_AFTER);
            return Err(RemoteError::RetryAfter(wait).into());
        }
        let body = response.text().await.unwrap_or_default();
        if status.is_client_error() {
            return Err(RemoteError::Refused(format!(
                "Zendesk {what}: {status}: {}",
                truncate(&body, 300)
            ))
            .into());
        }
        if !status.is_success() {
            anyhow::bail!("Zendesk {what}: {status}");
        }
        if missing_ok && body.trim().is_empty() {
            return Ok(Some(Value::Null));
        }
        serde_json::from_str(&body)
            .map(Some)
            .with_context(|| format!("Zendesk {what}: not JSON"))
    }

    /// Deletes what `path` names (a soft deletion, or its permanent one); gone already is done.
    async fn delete(&self, path: &str, what: &str) -> anyhow::Result<()> {
        self.call_found(self.request(reqwest::Method::DELETE, path), what, true)
            .await
            .map(drop)
    }

    /// The id of the end user a ticket was opened for, `None` when the ticket is gone.
    async fn requester_of(&self, ticket: &str) -> anyhow::Result<Option<String>> {
        let found = self
            .call_found(
                self.request(reqwest::Method::GET, &format!("/api/v2/tickets/{ticket}")),
                "ticket",
                true,
            )
            .await?;
        Ok(found.and_then(|found| zendesk_id(&found["ticket"]["requester_id"])))
    }

    /// Whether an end user has tickets other than `ticket` (`None`: the user is gone).
    async fn has_other_tickets(&self, user: &str, ticket: &str) -> anyhow::Result<Option<bool>> {
        let found = self
            .call_found(
                self.request(
                    reqwest::Method::GET,
                    &format!("/api/v2/users/{user}/tickets/requested"),
                ),
                "requester's tickets",
                true,
            )
            .await?;
        Ok(found.map(|found| {
            found["tickets"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|t| zendesk_id(&t["id"]).as_deref() != Some(ticket))
        }))
    }

    /// The ticket already opened for a request, found by its external id.
    async fn find(&self, request_id: &str) -> anyhow::Result<Option<String>> {
        let found = self
            .call(
                self.request(reqwest::Method::GET, "/api/v2/tickets")
                    .query(&[("external_id", request_id)]),
                "ticket search",
            )
            .await?;
        let tickets = found["tickets"]
            .as_array()
            .context("Zendesk ticket search: no tickets list")?;
        Ok(tickets.first().and_then(|t| zendesk_id(&t["id"])))
    }

    /// Uploads the logo; returns the upload token.
    async fn upload(&self, request: &OnboardingRequest, logo: Vec<u8>) -> anyhow::Result<String> {
        let name = format!("{}-logo.{}", request.reference, request.logo.format);
        let answer = self
            .call(
                self.request(reqwest::Method::POST, "/api/v2/uploads")
                    .query(&[("filename", name.as_str())])
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        format!("image/{}", request.logo.format),
                    )
                    .body(logo),
                "upload",
            )
            .await?;
        answer["upload"]["token"]
            .as_str()
            .map(str::to_owned)
            .context("Zendesk upload: no token")
    }

    /// The ticket to create, as Zendesk's `{"ticket": …}`.
    fn ticket(&self, request: &OnboardingRequest, body: String, upload: Option<String>) -> Value {
        let locale = self.settings.locale;
        let subject = i18n::render(
            locale,
            &Message::new("zendesk-subject")
                .text("reference", &request.reference)
                .text("account", &request.store_account)
                .text("name", &request.display_name),
        );
        let mut tags = vec![
            "waba_onboard".to_owned(),
            status_tag(request.status),
            format!("waba_channel_{}", request.channel),
        ];
        for (_, finding) in &request.findings {
            if finding.verdict >= crate::domain::Verdict::Review {
                tags.push(format!("waba_review_{}", finding.code.replace('.', "_")));
            }
        }
        tags.sort();
        tags.dedup();
        let fields = self.settings.fields;
        let custom_fields: Vec<Value> = [
            (fields.reference, request.reference.as_str()),
            (fields.phone, request.phone.as_str()),
            (fields.portfolio, request.business_portfolio_id.as_str()),
            (fields.status, request.status.as_str()),
        ]
        .into_iter()
        .filter_map(|(id, value)| id.map(|id| json!({ "id": id, "value": value })))
        .collect();
        let mut comment = json!({ "body": body, "public": false });
        if let Some(token) = upload {
            comment["uploads"] = json!([token]);
        }
        json!({ "ticket": {
            "subject": subject,
            "comment": comment,
            "requester": { "name": request.store_account, "email": request.requester_email },
            "external_id": request.id,
            "tags": tags,
            "custom_fields": custom_fields,
        } })
    }

    /// Updates a ticket (`{"ticket": …}` as Zendesk's update takes it).
    async fn update(&self, ticket: &str, update: Value, what: &str) -> anyhow::Result<()> {
        self.call(
            self.request(reqwest::Method::PUT, &format!("/api/v2/tickets/{ticket}"))
                .json(&update),
            what,
        )
        .await
        .map(drop)
    }
}

/// One line of [`ZendeskDesk::check`]: whether it is as it should be, and what to tell.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// All is well on this point.
    pub ok: bool,
    /// What the support admin reads.
    pub message: Message,
}

impl ZendeskDesk {
    /// Checks the configuration against Zendesk itself, for a support admin before the first
    /// merchant: the credentials (`GET /api/v2/users/me`), each configured custom field
    /// (`GET /api/v2/ticket_fields/{id}`), the status tags in use (`GET /api/v2/tags`) and a
    /// webhook pointing at `/webhooks/zendesk` (`GET /api/v2/webhooks`).
    pub async fn check(&self) -> Vec<Checked> {
        let line = |ok: bool, message: Message| Checked { ok, message };
        let mut lines = Vec::new();
        let me = self
            .call(
                self.request(reqwest::Method::GET, "/api/v2/users/me"),
                "account",
            )
            .await;
        match me {
            Ok(me) if me["user"]["id"].is_number() => lines.push(line(
                true,
                Message::new("desk-check-account")
                    .text("email", text_of(&me["user"]["email"]))
                    .text("role", text_of(&me["user"]["role"])),
            )),
            Err(error) if error.downcast_ref::<RemoteError>().is_none() => {
                tracing::warn!(error = format!("{error:#}"), "Zendesk unreachable");
                lines.push(line(
                    false,
                    Message::new("desk-check-unreachable").text("url", &self.settings.url),
                ));
                return lines;
            }
            // Refused, or answered as the anonymous user: the credentials are not accepted.
            _ => {
                lines.push(line(false, Message::new("desk-check-refused")));
                return lines;
            }
        }
        let fields = self.settings.fields;
        for (key, id) in [
            ("zendesk.reference_field_id", fields.reference),
            ("zendesk.phone_field_id", fields.phone),
            ("zendesk.portfolio_field_id", fields.portfolio),
            ("zendesk.status_field_id", fields.status),
        ] {
            let Some(id) = id else {
                lines.push(line(
                    true,
                    Message::new("desk-check-field-unset").text("key", key),
                ));
                continue;
            };
            let found = self
                .call(
                    self.request(reqwest::Method::GET, &format!("/api/v2/ticket_fields/{id}")),
                    "ticket field",
                )
                .await;
            lines.push(match found {
                Ok(field) => line(
                    true,
                    Message::new("desk-check-field")
                        .text("key", key)
                        .text("id", id.to_string())
                        .text("title", text_of(&field["ticket_field"]["title"])),
                ),
                Err(_) => line(
                    false,
                    Message::new("desk-check-field-missing")
                        .text("key", key)
                        .text("id", id.to_string()),
                ),
            });
        }
        let tags = self
            .call(self.request(reqwest::Method::GET, "/api/v2/tags"), "tags")
            .await
            .ok()
            .and_then(|t| t["tags"].as_array().cloned())
            .unwrap_or_default();
        let in_use: Vec<String> = tags
            .iter()
            .filter_map(|t| t["name"].as_str())
            .filter(|name| name.starts_with(STATUS_TAG))
            .map(str::to_owned)
            .collect();
        lines.push(if in_use.is_empty() {
            line(true, Message::new("desk-check-no-tags"))
        } else {
            line(
                true,
                Message::new("desk-check-tags").text("tags", in_use.join(", ")),
            )
        });
        let webhooks = self
            .call(
                self.request(reqwest::Method::GET, "/api/v2/webhooks"),
                "webhooks",
            )
            .await
            .ok()
            .and_then(|w| w["webhooks"].as_array().cloned())
            .unwrap_or_default();
        let ours = webhooks.iter().find_map(|w| {
            w["endpoint"]
                .as_str()
                .filter(|e| e.trim_end_matches('/').ends_with("/webhooks/zendesk"))
        });
        lines.push(match ours {
            Some(endpoint) => line(
                true,
                Message::new("desk-check-webhook").text("endpoint", endpoint),
            ),
            None => line(false, Message::new("desk-check-no-webhook")),
        });
        lines
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl TicketDesk for ZendeskDesk {
    fn open_ticket<'a>(
        &'a self,
        request: &'a OnboardingRequest,
    ) -> BoxFuture<'a, anyhow::Result<String>> {
        Box::pin(async move {
            if let Some(ticket) = self.find(&request.id).await? {
                tracing::info!(reference = %request.reference, %ticket, "ticket found by external id");
                return Ok(ticket);
            }
            let report = self
                .lifecycle
                .report(&request.reference)
                .await
                .map_err(anyhow::Error::from)?;
            let body = crate::service::reports::report_text(&report, self.settings.locale);
            let logo = self.store.request_logo(&request.id).await?;
            let upload = if logo.is_empty() {
                None
            } else {
                Some(self.upload(request, logo).await?)
            };
            let created = self
                .call(
                    self.request(reqwest::Method::POST, "/api/v2/tickets")
                        .header("Idempotency-Key", &request.id)
                        .json(&self.ticket(request, body, upload)),
                    "ticket creation",
                )
                .await?;
            let ticket = zendesk_id(&created["ticket"]["id"])
                .context("Zendesk ticket creation: no ticket id")?;
            tracing::info!(reference = %request.reference, %ticket, "Zendesk ticket created");
            Ok(ticket)
        })
    }

    fn is_remote(&self) -> bool {
        true
    }

    fn sync<'a>(&'a self, request: &'a RequestRow) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let Some(ticket) = &request.ticket_id else {
                return Ok(());
            };
            let status = RequestStatus::parse(&request.status)
                .with_context(|| format!("unknown stored status {}", request.status))?;
            let others: Vec<String> = RequestStatus::ALL
                .into_iter()
                .filter(|s| *s != status)
                .map(status_tag)
                .collect();
            let mut update = json!({ "ticket": {
                "additional_tags": [status_tag(status)],
                "remove_tags": others,
            } });
            if let Some(field) = self.settings.fields.status {
                update["ticket"]["custom_fields"] =
                    json!([{ "id": field, "value": status.as_str() }]);
            }
            self.update(ticket, update, "status update").await
        })
    }

    /// Deletes the ticket for good (`DELETE /api/v2/tickets/{id}`, then
    /// `DELETE /api/v2/deleted_tickets/{id}`: a deleted ticket is otherwise kept 30 days), and
    /// before it the end user it was opened for (`DELETE /api/v2/users/{id}`, then
    /// `DELETE /api/v2/deleted_users/{id}`), when no other ticket of theirs is left: the
    /// requester carries the merchant's e-mail and store account. Zendesk's own way to honour a
    /// data subject's deletion request (<https://developer.zendesk.com/api-reference/ticketing/users/users/#permanently-delete-user>).
    fn erase<'a>(&'a self, request: &'a RequestRow) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let Some(ticket) = &request.ticket_id else {
                return Ok(());
            };
            if let Some(user) = self.requester_of(ticket).await?
                && self.has_other_tickets(&user, ticket).await? == Some(false)
            {
                self.delete(&format!("/api/v2/users/{user}"), "requester deletion")
                    .await?;
                self.delete(
                    &format!("/api/v2/deleted_users/{user}"),
                    "requester's permanent deletion",
                )
                .await?;
            }
            self.delete(&format!("/api/v2/tickets/{ticket}"), "ticket deletion")
                .await?;
            self.delete(
                &format!("/api/v2/deleted_tickets/{ticket}"),
                "ticket's permanent deletion",
            )
            .await?;
            tracing::info!(reference = %request.reference, %ticket, "Zendesk ticket deleted for good: the request was erased");
            Ok(())
        })
    }

    fn comment<'a>(
        &'a self,
        request: &'a RequestRow,
        note: &'a DeskNote,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let Some(ticket) = &request.ticket_id else {
                tracing::warn!(reference = %request.reference, "no ticket yet: the comment stays a note on the request");
                return Ok(());
            };
            let locale = self.settings.locale;
            let (body, public) = match note {
                DeskNote::Merchant { text } => (
                    i18n::render(
                        locale,
                        &Message::new("zendesk-merchant-wrote").text("text", text),
                    ),
                    true,
                ),
                DeskNote::Alert { alert } => (i18n::render(locale, alert), false),
                DeskNote::Fixed { fields } => {
                    let labels: Vec<String> = fields
                        .iter()
                        .filter_map(|f| crate::conversation::StepId::parse(f))
                        .map(|step| i18n::render(locale, &crate::conversation::field_label(step)))
                        .collect();
                    (
                        i18n::render(
                            locale,
                            &Message::new("zendesk-fixed").text("fields", labels.join(", ")),
                        ),
                        false,
                    )
                }
            };
            let update = json!({ "ticket": { "comment": { "body": body, "public": public } } });
            self.update(ticket, update, "comment").await
        })
    }

    fn help_wanted<'a>(&'a self, help: &'a HelpWanted) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            // A request takes its draft's id: help asked about a sent request has a ticket.
            let Some(id) = &help.draft_id else {
                return Ok(());
            };
            let Some(request) = self.store.request_by_id(id).await? else {
                return Ok(());
            };
            let Some(ticket) = &request.ticket_id else {
                return Ok(());
            };
            let locale = self.settings.locale;
            let body = i18n::render(
                locale,
                &Message::new("zendesk-help-wanted")
                    .text("who", format!("{}:{}", help.channel, help.user_id))
                    .nested("field", crate::conversation::field_label(help.step))
                    .text("language", help.locale.tag()),
            );
            let update = json!({ "ticket": { "comment": { "body": body, "public": false } } });
            self.update(ticket, update, "help comment").await
        })
    }
}

/// The tag of a status (`waba_status_in_review`).
pub fn status_tag(status: RequestStatus) -> String {
    format!("{STATUS_TAG}{}", status.as_str())
}

/// An id as Zendesk writes it (a ticket's, a user's: a number, or digits in a string), as text.
fn zendesk_id(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => n.as_u64().map(|n| n.to_string()),
        Value::String(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) => {
            Some(s.clone())
        }
        _ => None,
    }
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Moves a request as Zendesk says (a webhook): the transition of actor `zendesk:<agent>`, a
/// staff role, at most once per delivery (`event`). `needs_info` needs the fields to fix.
async fn apply(
    lifecycle: &Lifecycle,
    event: &str,
    reference: &str,
    to: RequestStatus,
    agent: &str,
    reason: Option<&str>,
    fields: &[String],
) -> Result<(), LifecycleError> {
    let actor = Actor {
        role: Role::Staff,
        id: format!("zendesk:{agent}"),
    };
    let lifecycle = lifecycle.once(event);
    if to == RequestStatus::NeedsInfo {
        lifecycle
            .ask(reference, fields, reason.unwrap_or_default(), &actor)
            .await
            .map(drop)
    } else {
        lifecycle
            .advance(reference, to, &actor, reason)
            .await
            .map(drop)
    }
}
