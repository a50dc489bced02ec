//! Storage of Meta's side of requests: the registration of each accepted request's number, and
//! the webhook changes kept for staff.

use super::requests::COLUMNS;
use super::{RequestRow, Store, Tx, UserKey, from_millis, millis};
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Where the registration of a request's number stands, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The request's UUID.
    pub request_id: String,
    /// The WhatsApp Business account the store's admin accepted.
    pub waba_id: String,
    /// The number's id on that account, once added.
    pub phone_number_id: Option<String>,
    /// The stage's name (see `service::meta::Stage`).
    pub stage: String,
    /// `SMS` or `VOICE`: how the last code was asked for.
    pub code_method: Option<String>,
    /// The two-step verification PIN the number is registered with (a secret).
    pub pin: Option<String>,
    /// Codes asked for so far.
    pub code_requests: i64,
    /// Wrong codes typed so far.
    pub wrong_codes: i64,
    /// The last refusal (`register-limit`), when the last call was refused.
    pub problem: Option<String>,
    /// Not before this instant, after a limit.
    pub retry_at: Option<DateTime<Utc>>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

const REGISTRATION: &str = "request_id, waba_id, phone_number_id, stage, code_method, pin, \
     code_requests, wrong_codes, problem, retry_at, updated_at";

impl Registration {
    /// A registration starting at `stage` (a `service::meta::Stage` name): no code asked for
    /// yet, no refusal.
    pub fn starting(
        request_id: &str,
        waba_id: String,
        phone_number_id: Option<String>,
        stage: &str,
        pin: Option<String>,
        now: DateTime<Utc>,
    ) -> Registration {
        Registration {
            request_id: request_id.to_owned(),
            waba_id,
            phone_number_id,
            stage: stage.to_owned(),
            code_method: None,
            pin,
            code_requests: 0,
            wrong_codes: 0,
            problem: None,
            retry_at: None,
            updated_at: now,
        }
    }

    fn from_row(row: &AnyRow) -> anyhow::Result<Registration> {
        Ok(Registration {
            request_id: row.try_get("request_id")?,
            waba_id: row.try_get("waba_id")?,
            phone_number_id: row.try_get("phone_number_id")?,
            stage: row.try_get("stage")?,
            code_method: row.try_get("code_method")?,
            pin: row.try_get("pin")?,
            code_requests: row.try_get("code_requests")?,
            wrong_codes: row.try_get("wrong_codes")?,
            problem: row.try_get("problem")?,
            retry_at: row.try_get::<Option<i64>, _>("retry_at")?.map(from_millis),
            updated_at: from_millis(row.try_get("updated_at")?),
        })
    }
}

/// A webhook change kept for staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptEvent {
    /// Its number.
    pub id: i64,
    /// `account_update`, `phone_number_name_update`.
    pub field: String,
    /// `PARTNER_ADDED`, `REJECTED`, …
    pub event: String,
    /// The account it is about.
    pub waba_id: Option<String>,
    /// The business portfolio it names.
    pub business_id: Option<String>,
    /// The request it was tied to, if one.
    pub request_id: Option<String>,
    /// `unmatched`, `ambiguous`, `alert`, `deferred`.
    pub outcome: String,
    /// The change's value (JSON).
    pub detail: String,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
}

impl Tx {
    /// The registration of a request, locked.
    pub async fn lock_registration(
        &mut self,
        request_id: &str,
    ) -> anyhow::Result<Option<Registration>> {
        let row = sqlx::query(&format!(
            "SELECT {REGISTRATION} FROM meta_registrations WHERE request_id = $1{}",
            self.backend.for_update()
        ))
        .bind(request_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(Registration::from_row).transpose()
    }

    /// Saves a registration (inserted or replaced).
    pub async fn save_registration(&mut self, r: &Registration) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO meta_registrations (request_id, waba_id, phone_number_id, stage, \
             code_method, pin, code_requests, wrong_codes, problem, retry_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (request_id) DO UPDATE SET waba_id = excluded.waba_id, \
             phone_number_id = excluded.phone_number_id, stage = excluded.stage, \
             code_method = excluded.code_method, pin = excluded.pin, \
             code_requests = excluded.code_requests, wrong_codes = excluded.wrong_codes, \
             problem = excluded.problem, retry_at = excluded.retry_at, \
             updated_at = excluded.updated_at",
        )
        .bind(&r.request_id)
        .bind(&r.waba_id)
        .bind(&r.phone_number_id)
        .bind(&r.stage)
        .bind(&r.code_method)
        .bind(&r.pin)
        .bind(r.code_requests)
        .bind(r.wrong_codes)
        .bind(&r.problem)
        .bind(r.retry_at.map(millis))
        .bind(millis(r.updated_at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Requests of a business portfolio in `status`, locked, oldest first.
    pub async fn lock_requests_of_portfolio(
        &mut self,
        business_portfolio_id: &str,
        status: &str,
    ) -> anyhow::Result<Vec<RequestRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM requests WHERE business_portfolio_id = $1 AND status = $2 \
             ORDER BY created_at{}",
            self.backend.for_update()
        ))
        .bind(business_portfolio_id)
        .bind(status)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(RequestRow::from_row).collect()
    }

    /// The id and merchant of the request whose number is `e164` among those not closed (not
    /// locked: the caller locks its merchant's draft row first, then the request).
    pub async fn open_request_by_phone(
        &mut self,
        e164: &str,
    ) -> anyhow::Result<Option<(String, UserKey)>> {
        let row = sqlx::query(
            "SELECT id, channel, user_id FROM requests WHERE phone = $1 \
             AND status NOT IN ('active', 'rejected', 'cancelled', 'expired')",
        )
        .bind(e164)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|row| -> anyhow::Result<(String, UserKey)> {
            let channel: String = row.try_get("channel")?;
            let user_id: String = row.try_get("user_id")?;
            Ok((row.try_get("id")?, UserKey::new(&channel, &user_id)))
        })
        .transpose()
    }

    /// The request registered on the account `waba_id`, if one (the newest).
    pub async fn request_of_account(&mut self, waba_id: &str) -> anyhow::Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT request_id FROM meta_registrations WHERE waba_id = $1 \
             ORDER BY updated_at DESC LIMIT 1",
        )
        .bind(waba_id)
        .fetch_optional(&mut *self.tx)
        .await?)
    }

    /// The merchant's registrations in one of `stages`, newest first, with their requests'
    /// ids.
    pub async fn registrations_of(
        &mut self,
        user: &UserKey,
        stages: &[&str],
    ) -> anyhow::Result<Vec<Registration>> {
        let marks: Vec<String> = (0..stages.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "SELECT {} FROM meta_registrations m JOIN requests r ON r.id = m.request_id \
             WHERE r.channel = $1 AND r.user_id = $2 AND m.stage IN ({}) \
             ORDER BY m.updated_at DESC",
            REGISTRATION
                .split(", ")
                .map(|c| format!("m.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
            marks.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(&user.channel).bind(&user.user_id);
        for stage in stages {
            query = query.bind(*stage);
        }
        let rows = query.fetch_all(&mut *self.tx).await?;
        rows.iter().map(Registration::from_row).collect()
    }

    /// Keeps a change for staff.
    #[allow(clippy::too_many_arguments)]
    pub async fn keep_meta_event(
        &mut self,
        field: &str,
        event: &str,
        waba_id: Option<&str>,
        business_id: Option<&str>,
        request_id: Option<&str>,
        outcome: &str,
        detail: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO meta_events (field, event, waba_id, business_id, request_id, outcome, \
             detail, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(field)
        .bind(event)
        .bind(waba_id)
        .bind(business_id)
        .bind(request_id)
        .bind(outcome)
        .bind(detail)
        .bind(millis(now))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Store {
    /// The registration of a request (not locked).
    pub async fn registration(&self, request_id: &str) -> anyhow::Result<Option<Registration>> {
        let row = sqlx::query(&format!(
            "SELECT {REGISTRATION} FROM meta_registrations WHERE request_id = $1"
        ))
        .bind(request_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(Registration::from_row).transpose()
    }

    /// The business portfolios with requests awaiting their admin's acceptance.
    pub async fn portfolios_awaiting_approval(&self) -> anyhow::Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT business_portfolio_id FROM requests \
             WHERE status = 'awaiting_client_approval'",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// The changes kept for staff, newest first, at most `limit`.
    pub async fn kept_meta_events(&self, limit: i64) -> anyhow::Result<Vec<KeptEvent>> {
        let rows = sqlx::query(
            "SELECT id, field, event, waba_id, business_id, request_id, outcome, detail, \
             received_at FROM meta_events ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(KeptEvent {
                    id: row.try_get("id")?,
                    field: row.try_get("field")?,
                    event: row.try_get("event")?,
                    waba_id: row.try_get("waba_id")?,
                    business_id: row.try_get("business_id")?,
                    request_id: row.try_get("request_id")?,
                    outcome: row.try_get("outcome")?,
                    detail: row.try_get("detail")?,
                    received_at: from_millis(row.try_get("received_at")?),
                })
            })
            .collect()
    }
}
