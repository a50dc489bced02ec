//! Requests as stored: created from a confirmed draft, read back for status and staff.

use super::{Store, Tx, UserKey, from_millis, millis};
use crate::conversation::{Draft, StepId, WhatsappUse};
use crate::domain::{Arg, Finding, LogoSummary, OnboardingRequest, RequestStatus, Verdict};
use crate::jobs::Job;
use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A job for the outbox worker, as queued.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// What to do, with its arguments.
    pub job: Job,
    /// The same key is queued once.
    pub dedupe_key: Option<String>,
    /// When it may run.
    pub due_at: DateTime<Utc>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
}

impl NewJob {
    /// A job due at once, queued once per `dedupe_key` (when one is given).
    pub fn now(job: Job, dedupe_key: Option<String>, now: DateTime<Utc>) -> NewJob {
        NewJob {
            job,
            dedupe_key,
            due_at: now,
            created_at: now,
        }
    }

    /// The job that shows a request as it stands on every staff post of it.
    pub fn refresh_staff_posts(request_id: &str, now: DateTime<Utc>) -> NewJob {
        NewJob::now(
            Job::RefreshStaffPosts {
                request_id: request_id.to_owned(),
            },
            None,
            now,
        )
    }
}

/// One finding of a request, with the field it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The step id of the field.
    pub field: String,
    /// The finding code.
    pub code: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// Its message arguments.
    #[serde(default)]
    pub args: Vec<(String, Arg)>,
}

/// A request ready to be stored.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// The draft's id.
    pub id: String,
    /// Who asked.
    pub requester: UserKey,
    /// Their language.
    pub locale: String,
    /// Store account.
    pub store_account: String,
    /// Contact e-mail.
    pub requester_email: String,
    /// Business portfolio ID.
    pub business_portfolio_id: String,
    /// Display name.
    pub display_name: String,
    /// Phone, E.164.
    pub phone: String,
    /// Category code.
    pub category: String,
    /// Description.
    pub description: Option<String>,
    /// Has a WhatsApp Business account elsewhere.
    pub existing_account: bool,
    /// `verified`, `not_verified`, `unknown`.
    pub business_verification: String,
    /// `not_in_use`, `consumer_app`, `business_app`.
    pub whatsapp_use: String,
    /// Logo file.
    pub logo: Vec<u8>,
    /// `png` or `jpeg`.
    pub logo_format: String,
    /// Pixels.
    pub logo_width: i64,
    /// Pixels.
    pub logo_height: i64,
    /// Every finding of every field.
    pub problems: Vec<Problem>,
    /// When it was confirmed.
    pub created_at: DateTime<Utc>,
    /// The confirmed draft, kept to fix fields later.
    pub draft_state: String,
}

impl NewRequest {
    /// The request a complete draft makes; `None` if a required answer is missing.
    pub fn from_draft(
        draft: &Draft,
        requester: &UserKey,
        now: DateTime<Utc>,
    ) -> Option<NewRequest> {
        let a = &draft.answers;
        let logo = &a.logo.as_ref()?.value;
        if a.admin_available != Some(true) || !a.attestations.is_complete() {
            return None;
        }
        let whatsapp_use = match a.attestations.whatsapp_use? {
            WhatsappUse::NotInUse => "not_in_use",
            WhatsappUse::ConsumerApp => "consumer_app",
            WhatsappUse::BusinessApp => "business_app",
        };
        Some(NewRequest {
            id: draft.id.to_string(),
            requester: requester.clone(),
            locale: draft.locale.tag().to_owned(),
            store_account: a.store_account.as_ref()?.value.as_str().to_owned(),
            requester_email: a.email.as_ref()?.value.as_str().to_owned(),
            business_portfolio_id: a.business_id.as_ref()?.value.as_str().to_owned(),
            display_name: a.display_name.as_ref()?.value.as_str().to_owned(),
            phone: a.phone.as_ref()?.value.e164().to_owned(),
            category: a.category.as_ref()?.value.code().to_owned(),
            description: a
                .description
                .as_ref()?
                .given()
                .map(|d| d.value.as_str().to_owned()),
            existing_account: a.existing_account?,
            business_verification: a.business_verification?.key().to_owned(),
            whatsapp_use: whatsapp_use.to_owned(),
            logo: logo.bytes.to_vec(),
            logo_format: logo.format.as_str().to_owned(),
            logo_width: i64::from(logo.width),
            logo_height: i64::from(logo.height),
            problems: a
                .findings()
                .into_iter()
                .map(|(step, f): (StepId, _)| Problem {
                    field: step.as_str().to_owned(),
                    code: f.code,
                    verdict: f.verdict,
                    args: f.args,
                })
                .collect(),
            created_at: now,
            draft_state: serde_json::to_string(draft).ok()?,
        })
    }
}

/// Columns read into a [`RequestRow`] (the logo bytes stay in the database).
pub const COLUMNS: &str = "id, reference, status, channel, user_id, locale, store_account, requester_email, \
     business_portfolio_id, display_name, phone, category, description, existing_account, \
     business_verification, whatsapp_use, logo_format, logo_width, logo_height, logo_bytes, problems, \
     created_at, updated_at, status_changed_at, ticket_id, info_fields, info_reason, unreachable, \
     erased_at";

/// A stored request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRow {
    /// Id (the draft's).
    pub id: String,
    /// `WA-000042`.
    pub reference: String,
    /// Status id.
    pub status: String,
    /// The requester.
    pub requester: UserKey,
    /// Their language.
    pub locale: String,
    /// Store account.
    pub store_account: String,
    /// Contact e-mail.
    pub requester_email: String,
    /// Business portfolio ID.
    pub business_portfolio_id: String,
    /// Display name.
    pub display_name: String,
    /// Phone, E.164.
    pub phone: String,
    /// Category code.
    pub category: String,
    /// Description.
    pub description: Option<String>,
    /// Has a WhatsApp Business account elsewhere.
    pub existing_account: bool,
    /// Verification answer.
    pub business_verification: String,
    /// WhatsApp use of the number.
    pub whatsapp_use: String,
    /// `png` or `jpeg`.
    pub logo_format: String,
    /// Pixels.
    pub logo_width: i64,
    /// Pixels.
    pub logo_height: i64,
    /// File size.
    pub logo_bytes: i64,
    /// Findings.
    pub problems: Vec<Problem>,
    /// Confirmed at.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Last status change.
    pub status_changed_at: DateTime<Utc>,
    /// The ticket on the desk, once opened.
    pub ticket_id: Option<String>,
    /// Fields staff asked the merchant to fix (step ids).
    pub info_fields: Vec<String>,
    /// Why.
    pub info_reason: Option<String>,
    /// Notifications cannot reach the merchant.
    pub unreachable: bool,
    /// When the merchant's personal data was erased (the fields are then empty).
    pub erased_at: Option<DateTime<Utc>>,
}

impl RequestRow {
    /// The request as a desk reads it, typed.
    ///
    /// # Errors
    /// When a stored status is unknown to this version.
    pub fn to_request(&self) -> anyhow::Result<OnboardingRequest> {
        let status = RequestStatus::parse(&self.status)
            .with_context(|| format!("unknown stored status {}", self.status))?;
        Ok(OnboardingRequest {
            id: self.id.clone(),
            reference: self.reference.clone(),
            status,
            channel: self.requester.channel.clone(),
            locale: self.locale.clone(),
            store_account: self.store_account.clone(),
            requester_email: self.requester_email.clone(),
            business_portfolio_id: self.business_portfolio_id.clone(),
            display_name: self.display_name.clone(),
            phone: self.phone.clone(),
            category: self.category.clone(),
            description: self.description.clone(),
            logo: LogoSummary {
                format: if self.logo_format == "jpeg" {
                    "jpeg"
                } else {
                    "png"
                },
                width: u32::try_from(self.logo_width).unwrap_or_default(),
                height: u32::try_from(self.logo_height).unwrap_or_default(),
                bytes: u64::try_from(self.logo_bytes).unwrap_or_default(),
            },
            findings: self
                .problems
                .iter()
                .map(|p| {
                    let mut finding = Finding::new(p.verdict, &p.code);
                    finding.args = p.args.clone();
                    (p.field.clone(), finding)
                })
                .collect(),
            created_at: self.created_at,
        })
    }

    pub(super) fn from_row(row: &AnyRow) -> anyhow::Result<RequestRow> {
        let problems: String = row.try_get("problems")?;
        Ok(RequestRow {
            id: row.try_get("id")?,
            reference: row.try_get("reference")?,
            status: row.try_get("status")?,
            requester: UserKey {
                channel: row.try_get("channel")?,
                user_id: row.try_get("user_id")?,
            },
            locale: row.try_get("locale")?,
            store_account: row.try_get("store_account")?,
            requester_email: row.try_get("requester_email")?,
            business_portfolio_id: row.try_get("business_portfolio_id")?,
            display_name: row.try_get("display_name")?,
            phone: row.try_get("phone")?,
            category: row.try_get("category")?,
            description: row.try_get("description")?,
            existing_account: row.try_get::<i64, _>("existing_account")? != 0,
            business_verification: row.try_get("business_verification")?,
            whatsapp_use: row.try_get("whatsapp_use")?,
            logo_format: row.try_get("logo_format")?,
            logo_width: row.try_get("logo_width")?,
            logo_height: row.try_get("logo_height")?,
            logo_bytes: row.try_get("logo_bytes")?,
            problems: serde_json::from_str(&problems).context("stored problems are unreadable")?,
            created_at: from_millis(row.try_get("created_at")?),
            updated_at: from_millis(row.try_get("updated_at")?),
            status_changed_at: from_millis(row.try_get("status_changed_at")?),
            ticket_id: row.try_get("ticket_id")?,
            info_fields: match row.try_get::<Option<String>, _>("info_fields")? {
                Some(json) => serde_json::from_str(&json)?,
                None => Vec::new(),
            },
            info_reason: row.try_get("info_reason")?,
            unreachable: row.try_get::<i64, _>("unreachable")? != 0,
            erased_at: row.try_get::<Option<i64>, _>("erased_at")?.map(from_millis),
        })
    }
}

/// Inserts the request once, numbering it from the reference counter.
pub(super) async fn create(
    tx: &mut Transaction<'static, Any>,
    r: &NewRequest,
) -> anyhow::Result<String> {
    let existing = sqlx::query("SELECT reference FROM requests WHERE id = $1")
        .bind(&r.id)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(row) = existing {
        return Ok(row.try_get("reference")?);
    }
    let number: i64 = sqlx::query_scalar(
        "UPDATE counters SET value = value + 1 WHERE name = 'request_reference' RETURNING value",
    )
    .fetch_one(&mut **tx)
    .await?;
    let reference = format!("WA-{number:06}");
    let at = millis(r.created_at);
    sqlx::query(
        "INSERT INTO requests (id, reference, status, channel, user_id, locale, store_account, \
         requester_email, business_portfolio_id, display_name, phone, category, description, \
         existing_account, business_verification, whatsapp_use, logo, logo_format, logo_width, \
         logo_height, logo_bytes, problems, created_at, updated_at, status_changed_at, draft_state) \
         VALUES ($1, $2, 'submitted', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         $17, $18, $19, $20, $21, $22, $22, $22, $23)",
    )
    .bind(&r.id)
    .bind(&reference)
    .bind(&r.requester.channel)
    .bind(&r.requester.user_id)
    .bind(&r.locale)
    .bind(&r.store_account)
    .bind(&r.requester_email)
    .bind(&r.business_portfolio_id)
    .bind(&r.display_name)
    .bind(&r.phone)
    .bind(&r.category)
    .bind(r.description.clone())
    .bind(i64::from(r.existing_account))
    .bind(&r.business_verification)
    .bind(&r.whatsapp_use)
    .bind(r.logo.clone())
    .bind(&r.logo_format)
    .bind(r.logo_width)
    .bind(r.logo_height)
    .bind(r.logo.len() as i64)
    .bind(serde_json::to_string(&r.problems)?)
    .bind(at)
    .bind(&r.draft_state)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO request_history (request_id, from_status, to_status, at, actor, reason) \
         VALUES ($1, NULL, 'submitted', $2, $3, NULL)",
    )
    .bind(&r.id)
    .bind(at)
    .bind(format!(
        "merchant:{}:{}",
        r.requester.channel, r.requester.user_id
    ))
    .execute(&mut **tx)
    .await?;
    Ok(reference)
}

/// Replaces the values of a request with those of a fixed draft (after `needs_info`).
pub(super) async fn update_values(
    tx: &mut Transaction<'static, Any>,
    r: &NewRequest,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE requests SET locale = $2, store_account = $3, requester_email = $4, \
         business_portfolio_id = $5, display_name = $6, phone = $7, category = $8, description = $9, \
         existing_account = $10, business_verification = $11, whatsapp_use = $12, logo = $13, \
         logo_format = $14, logo_width = $15, logo_height = $16, logo_bytes = $17, problems = $18, \
         draft_state = $19, updated_at = $20 WHERE id = $1",
    )
    .bind(&r.id)
    .bind(&r.locale)
    .bind(&r.store_account)
    .bind(&r.requester_email)
    .bind(&r.business_portfolio_id)
    .bind(&r.display_name)
    .bind(&r.phone)
    .bind(&r.category)
    .bind(r.description.clone())
    .bind(i64::from(r.existing_account))
    .bind(&r.business_verification)
    .bind(&r.whatsapp_use)
    .bind(r.logo.clone())
    .bind(&r.logo_format)
    .bind(r.logo_width)
    .bind(r.logo_height)
    .bind(r.logo.len() as i64)
    .bind(serde_json::to_string(&r.problems)?)
    .bind(&r.draft_state)
    .bind(millis(r.created_at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Tx {
    /// A request by reference, locked until the transaction ends.
    pub async fn lock_request(&mut self, reference: &str) -> anyhow::Result<Option<RequestRow>> {
        self.lock_request_where("reference", reference).await
    }

    /// A request by id, locked until the transaction ends.
    pub async fn lock_request_by_id(&mut self, id: &str) -> anyhow::Result<Option<RequestRow>> {
        self.lock_request_where("id", id).await
    }

    async fn lock_request_where(
        &mut self,
        column: &str,
        value: &str,
    ) -> anyhow::Result<Option<RequestRow>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM requests WHERE {column} = $1{}",
            self.backend.for_update()
        ))
        .bind(value)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(RequestRow::from_row).transpose()
    }

    /// Records which fields the merchant must fix, and why (or clears them).
    pub async fn set_info_request(
        &mut self,
        id: &str,
        fields: &[String],
        reason: Option<&str>,
    ) -> anyhow::Result<()> {
        let fields = if fields.is_empty() {
            None
        } else {
            Some(serde_json::to_string(fields)?)
        };
        sqlx::query("UPDATE requests SET info_fields = $2, info_reason = $3 WHERE id = $1")
            .bind(id)
            .bind(fields)
            .bind(reason.map(str::to_owned))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Records the desk's ticket id.
    pub async fn set_ticket(&mut self, id: &str, ticket: &str) -> anyhow::Result<()> {
        sqlx::query("UPDATE requests SET ticket_id = $2 WHERE id = $1")
            .bind(id)
            .bind(ticket)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Marks the merchant of a request as unreachable (or reachable again).
    pub async fn set_unreachable(&mut self, id: &str, unreachable: bool) -> anyhow::Result<()> {
        sqlx::query("UPDATE requests SET unreachable = $2 WHERE id = $1")
            .bind(id)
            .bind(i64::from(unreachable))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Replaces the values of a request with those of a fixed draft.
    pub async fn update_request_values(&mut self, request: &NewRequest) -> anyhow::Result<()> {
        update_values(&mut self.tx, request).await
    }

    /// The confirmed draft of a request (JSON) and its logo.
    pub async fn request_draft(&mut self, id: &str) -> anyhow::Result<Option<(String, Vec<u8>)>> {
        let row = sqlx::query("SELECT draft_state, logo FROM requests WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let state: Option<String> = row.try_get("draft_state")?;
        Ok(state.map(|s| (s, row.try_get("logo").unwrap_or_default())))
    }
}

impl Store {
    /// Requests per status.
    pub async fn count_by_status(&self) -> anyhow::Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM requests GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
            .collect()
    }

    /// Requests, optionally of one status, oldest first.
    pub async fn list_requests(
        &self,
        status: Option<RequestStatus>,
    ) -> anyhow::Result<Vec<RequestRow>> {
        let rows = match status {
            Some(status) => sqlx::query(&format!(
                "SELECT {COLUMNS} FROM requests WHERE status = $1 ORDER BY created_at, reference"
            ))
            .bind(status.as_str())
            .fetch_all(&self.pool)
            .await?,
            None => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM requests ORDER BY created_at, reference"
                ))
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(RequestRow::from_row).collect()
    }

    /// Requests of a store account, newest first.
    pub async fn requests_of_account(&self, account: &str) -> anyhow::Result<Vec<RequestRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM requests WHERE store_account = $1 ORDER BY created_at DESC"
        ))
        .bind(account)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(RequestRow::from_row).collect()
    }
}
