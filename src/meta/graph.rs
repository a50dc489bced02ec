//! The Graph API calls a Solution Partner makes for a client's number, with the partner's
//! system-user token (`Authorization: Bearer …`), and what Meta's refusals mean.
//!
//! Calls (Meta's "Registering phone numbers" and "Manage accounts" pages): `GET
//! /{partner-business-id}/client_whatsapp_business_accounts`, `GET /{waba-id}/phone_numbers`,
//! `POST /{waba-id}/phone_numbers` (`cc`, `phone_number`, `verified_name` → `{"id"}`), `POST
//! /{phone-number-id}/request_code` (`code_method`, `language`), `POST
//! /{phone-number-id}/verify_code` (`code`), `POST /{phone-number-id}/register`
//! (`messaging_product`, `pin`) and `POST /{waba-id}/subscribed_apps`, each answering
//! `{"success": true}` but the first three. A refusal is `{"error": {"message", "type",
//! "code", "error_subcode", "error_user_title", "error_user_msg", "fbtrace_id"}}`.

use crate::config::GraphSettings;
use crate::domain::CodeMethod;
use serde_json::{Value, json};
use std::time::Duration;

/// Seconds a Graph call may take.
const TIMEOUT_SECS: u64 = 30;
/// Pages of client accounts read in one poll (100 accounts a page).
const MAX_PAGES: usize = 50;

/// A Graph API refusal (HTTP 4xx, or 429), as Meta worded it. Server errors and network
/// failures are plain errors: they are retried with the worker's backoff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Graph API refused ({status}, code {code:?}): {message}")]
pub struct GraphError {
    /// The HTTP status.
    pub status: u16,
    /// Meta's error `code` (`133016`), when given.
    pub code: Option<i64>,
    /// Meta's `error_user_msg`, or else its `message`.
    pub message: String,
    /// How long Meta asked to wait (`Retry-After`), when it did.
    pub retry_after: Option<Duration>,
}

/// The step of a registration a call belongs to (it decides what a refusal means).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Adding the number to the account.
    AddNumber,
    /// Asking Meta to send the code.
    RequestCode,
    /// Checking the code the merchant typed.
    VerifyCode,
    /// Registering the number with its PIN.
    Register,
    /// Subscribing the partner's app to the account's webhooks.
    Subscribe,
}

/// What a refusal means for the merchant and for staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The code typed is not the one Meta sent (`verify_code` refused).
    WrongCode,
    /// The code was right once but is no longer valid: a new one must be asked for.
    CodeExpired,
    /// Too many requests for now (HTTP 429; codes 4, 80007, 130429; 133008 and 133009, too
    /// many or too fast PIN guesses): wait, then try again.
    TooManyRequests,
    /// 133016: at most 10 registrations of a number in 72 hours; the number is blocked for
    /// 72 hours after that.
    RegisterLimit,
    /// 133005: two-step verification is already on with another PIN; the store's admin must
    /// turn it off or give the PIN (staff's case).
    PinMismatch,
    /// 133006: Meta wants the number verified again: a new code.
    NeedsVerification,
    /// 133015: the number was deleted a moment ago; Meta asks to wait 5 minutes.
    RecentlyDeleted,
    /// 136024: Meta could not send the code (the number cannot receive it that way now).
    CodeNotSent,
    /// Any other refusal: staff read Meta's own words.
    Refused,
}

impl Problem {
    /// What `error`, met at `step`, means.
    pub fn of(error: &GraphError, step: Step) -> Problem {
        let said = error.message.to_lowercase();
        match (error.code, step) {
            _ if error.status == 429 => Problem::TooManyRequests,
            (Some(4 | 17 | 32 | 613 | 80007 | 130429 | 133008 | 133009), _) => {
                Problem::TooManyRequests
            }
            (Some(133016), _) => Problem::RegisterLimit,
            (Some(133005), _) => Problem::PinMismatch,
            (Some(133006), _) => Problem::NeedsVerification,
            (Some(133015), _) => Problem::RecentlyDeleted,
            (Some(136024), _) => Problem::CodeNotSent,
            (_, Step::VerifyCode) if said.contains("expire") => Problem::CodeExpired,
            (_, Step::VerifyCode) => Problem::WrongCode,
            _ => Problem::Refused,
        }
    }

    /// The problem's name where it is stored (`wrong_code`); its message is
    /// `meta-problem-<name with dashes>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::WrongCode => "wrong_code",
            Problem::CodeExpired => "code_expired",
            Problem::TooManyRequests => "too_many_requests",
            Problem::RegisterLimit => "register_limit",
            Problem::PinMismatch => "pin_mismatch",
            Problem::NeedsVerification => "needs_verification",
            Problem::RecentlyDeleted => "recently_deleted",
            Problem::CodeNotSent => "code_not_sent",
            Problem::Refused => "refused",
        }
    }

    /// How long to wait before Meta will take the same call again, when it says or documents
    /// it: `Retry-After`, else 1 hour when throttled, 72 hours after 133016, 5 minutes after
    /// 133015.
    pub fn wait(self, error: &GraphError) -> Option<Duration> {
        let hours = |h: u64| Duration::from_secs(h * 3600);
        match self {
            Problem::TooManyRequests => Some(error.retry_after.unwrap_or(hours(1))),
            Problem::RegisterLimit => Some(hours(72)),
            Problem::RecentlyDeleted => Some(Duration::from_secs(300)),
            _ => error.retry_after,
        }
    }

    /// Whether a person on staff must act (the merchant cannot fix it from the chat).
    pub fn for_staff(self) -> bool {
        matches!(
            self,
            Problem::PinMismatch | Problem::Refused | Problem::RegisterLimit
        )
    }
}

/// A client account of the partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAccount {
    /// The WhatsApp Business account id.
    pub waba_id: String,
    /// The business portfolio that owns it, when Meta tells.
    pub owner_business_id: Option<String>,
}

/// A Graph API client.
#[derive(Clone)]
pub struct Graph {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl std::fmt::Debug for Graph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Graph").field("base", &self.base).finish()
    }
}

fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Graph {
    /// A client for the configured base URL and version.
    pub fn new(settings: &GraphSettings) -> anyhow::Result<Graph> {
        Ok(Graph {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(TIMEOUT_SECS))
                .build()?,
            base: format!(
                "{}/{}",
                settings.url.as_str().trim_end_matches('/'),
                settings.version
            ),
            token: settings.token.expose().to_owned(),
        })
    }

    /// The same client acting with another access token (a business token from Embedded
    /// Signup's code exchange, for the account its store created).
    pub fn with_token(&self, token: &str) -> Graph {
        Graph {
            token: token.to_owned(),
            ..self.clone()
        }
    }

    /// Exchanges the code Embedded Signup returned (valid 30 seconds, once) for a business
    /// token: `GET /oauth/access_token?client_id&client_secret&code` (Meta's "Embedded Signup"
    /// pages: "Exchange the token code for a business token"). The call carries no bearer
    /// token; the app secret is in the query, which is never logged.
    pub async fn exchange_code(
        &self,
        app_id: &str,
        app_secret: &str,
        code: &str,
    ) -> anyhow::Result<String> {
        let answer = self
            .send(
                self.http
                    .get(format!("{}/oauth/access_token", self.base))
                    .query(&[
                        ("client_id", app_id),
                        ("client_secret", app_secret),
                        ("code", code),
                    ]),
            )
            .await?;
        answer["access_token"]
            .as_str()
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("Graph API answered without an access token"))
    }

    /// One call: `GET` with a query, or `POST` with a JSON body.
    async fn call(
        &self,
        post: Option<Value>,
        path: &str,
        query: &[(&str, &str)],
    ) -> anyhow::Result<Value> {
        let url = format!("{}/{path}", self.base);
        let request = match post {
            Some(body) => self.http.post(&url).json(&body),
            None => self.http.get(&url),
        };
        self.send(request.bearer_auth(&self.token).query(query))
            .await
    }

    /// Sends a request and reads Meta's answer or refusal.
    async fn send(&self, request: reqwest::RequestBuilder) -> anyhow::Result<Value> {
        let response = request
            .send()
            .await
            // The address carries ids only; the token is in a header.
            .map_err(|e| anyhow::anyhow!("Graph API unreachable: {}", e.without_url()))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = response.text().await.unwrap_or_default();
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if status.is_success() && body.get("error").is_none() {
            return Ok(body);
        }
        let error = &body["error"];
        let message = error["error_user_msg"]
            .as_str()
            .filter(|m| !m.trim().is_empty())
            .or_else(|| error["message"].as_str())
            .unwrap_or("no message")
            .to_owned();
        let refused = GraphError {
            status: status.as_u16(),
            code: error["code"].as_i64(),
            message,
            retry_after,
        };
        // Meta's server errors (and 133004, "server temporarily unavailable") pass: retried.
        if status.is_server_error() || refused.code == Some(133004) {
            anyhow::bail!("Graph API failed: {refused}");
        }
        Err(refused.into())
    }

    /// The partner's client accounts (every page).
    pub async fn client_accounts(
        &self,
        partner_business_id: &str,
    ) -> anyhow::Result<Vec<ClientAccount>> {
        let mut accounts = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![("fields", "id,owner_business_info"), ("limit", "100")];
            if let Some(cursor) = &after {
                query.push(("after", cursor));
            }
            let page = self
                .call(
                    None,
                    &format!("{partner_business_id}/client_whatsapp_business_accounts"),
                    &query,
                )
                .await?;
            for account in page["data"].as_array().into_iter().flatten() {
                if let Some(waba_id) = id_of(&account["id"]) {
                    accounts.push(ClientAccount {
                        waba_id,
                        owner_business_id: id_of(&account["owner_business_info"]["id"]),
                    });
                }
            }
            match (
                page["paging"]["next"].as_str(),
                page["paging"]["cursors"]["after"].as_str(),
            ) {
                (Some(_), Some(cursor)) => after = Some(cursor.to_owned()),
                _ => break,
            }
        }
        Ok(accounts)
    }

    /// The id of `digits` (E.164 without `+`) among the account's numbers, if it was added.
    pub async fn phone_number_id(
        &self,
        waba_id: &str,
        digits: &str,
    ) -> anyhow::Result<Option<String>> {
        let page = self
            .call(
                None,
                &format!("{waba_id}/phone_numbers"),
                &[("fields", "id,display_phone_number")],
            )
            .await?;
        Ok(page["data"].as_array().into_iter().flatten().find_map(|n| {
            let shown: String = n["display_phone_number"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            (shown == digits).then(|| id_of(&n["id"])).flatten()
        }))
    }

    /// Adds the number to the account with its display name; returns the phone number id.
    pub async fn add_phone_number(
        &self,
        waba_id: &str,
        country_code: &str,
        national: &str,
        verified_name: &str,
    ) -> anyhow::Result<String> {
        let answer = self
            .call(
                Some(json!({
                    "cc": country_code,
                    "phone_number": national,
                    "verified_name": verified_name,
                })),
                &format!("{waba_id}/phone_numbers"),
                &[],
            )
            .await?;
        id_of(&answer["id"]).ok_or_else(|| anyhow::anyhow!("Graph API answered without an id"))
    }

    /// Asks Meta to send the 6-digit code, by text message or call, in `language` (`pt_BR`).
    pub async fn request_code(
        &self,
        phone_number_id: &str,
        method: CodeMethod,
        language: &str,
    ) -> anyhow::Result<()> {
        self.call(
            Some(json!({ "code_method": method.as_str(), "language": language })),
            &format!("{phone_number_id}/request_code"),
            &[],
        )
        .await
        .map(drop)
    }

    /// Checks the code the merchant received.
    pub async fn verify_code(&self, phone_number_id: &str, code: &str) -> anyhow::Result<()> {
        self.call(
            Some(json!({ "code": code })),
            &format!("{phone_number_id}/verify_code"),
            &[],
        )
        .await
        .map(drop)
    }

    /// Registers the number for the Cloud API, setting its two-step verification PIN.
    pub async fn register(&self, phone_number_id: &str, pin: &str) -> anyhow::Result<()> {
        self.call(
            Some(json!({ "messaging_product": "whatsapp", "pin": pin })),
            &format!("{phone_number_id}/register"),
            &[],
        )
        .await
        .map(drop)
    }

    /// Subscribes the partner's app to the account's webhooks.
    pub async fn subscribe_app(&self, waba_id: &str) -> anyhow::Result<()> {
        self.call(Some(json!({})), &format!("{waba_id}/subscribed_apps"), &[])
            .await
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, code: Option<i64>, message: &str) -> GraphError {
        GraphError {
            status,
            code,
            message: message.to_owned(),
            retry_after: None,
        }
    }

    #[test]
    fn refusals_mean_what_meta_documents() {
        let cases = [
            (
                refused(400, Some(133016), "limit"),
                Step::Register,
                Problem::RegisterLimit,
            ),
            (
                refused(400, Some(133005), "pin"),
                Step::Register,
                Problem::PinMismatch,
            ),
            (
                refused(400, Some(133006), "verify"),
                Step::Register,
                Problem::NeedsVerification,
            ),
            (
                refused(400, Some(133015), "deleted"),
                Step::AddNumber,
                Problem::RecentlyDeleted,
            ),
            (
                refused(400, Some(136024), "code"),
                Step::RequestCode,
                Problem::CodeNotSent,
            ),
            (
                refused(429, None, "slow down"),
                Step::RequestCode,
                Problem::TooManyRequests,
            ),
            (
                refused(400, Some(80007), "rate"),
                Step::RequestCode,
                Problem::TooManyRequests,
            ),
            (
                refused(400, Some(136025), "Code mismatch"),
                Step::VerifyCode,
                Problem::WrongCode,
            ),
            (
                refused(400, Some(100), "The code has expired"),
                Step::VerifyCode,
                Problem::CodeExpired,
            ),
            (
                refused(400, Some(100), "Invalid parameter"),
                Step::AddNumber,
                Problem::Refused,
            ),
        ];
        for (error, step, problem) in cases {
            assert_eq!(Problem::of(&error, step), problem, "{error}");
        }
        let limit = refused(400, Some(133016), "");
        assert_eq!(
            Problem::RegisterLimit.wait(&limit),
            Some(Duration::from_secs(72 * 3600))
        );
    }
}
