//! Storage of Embedded Signup: the requests whose merchant creates the account in Meta's own
//! window, and the single-use links that open it (kept as SHA-256 hashes of their tokens).

use super::{Store, Tx, UserKey, from_millis, millis};
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A request on the Embedded Signup path, as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SignupSession {
    /// The request's UUID.
    pub request_id: String,
    /// `offered`, `finished`, `cancelled`, `error`, or `team` (the merchant then asked our
    /// team to create the account).
    pub state: String,
    /// Meta's `current_step` where the merchant stopped (`CANCEL`).
    pub stopped_at: Option<String>,
    /// Meta's words when the signup failed (`ERROR`).
    pub error_message: Option<String>,
    /// The WhatsApp Business account created (`FINISH`).
    pub waba_id: Option<String>,
    /// The number's id on it (`FINISH`).
    pub phone_number_id: Option<String>,
    /// The business token the code was exchanged for (a secret).
    pub business_token: Option<String>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for SignupSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignupSession")
            .field("request_id", &self.request_id)
            .field("state", &self.state)
            .field("stopped_at", &self.stopped_at)
            .field("has_business_token", &self.business_token.is_some())
            .finish_non_exhaustive()
    }
}

const SESSION: &str = "request_id, state, stopped_at, error_message, waba_id, phone_number_id, \
     business_token, updated_at";

impl SignupSession {
    /// A new session, offered now.
    pub fn offered(request_id: &str, now: DateTime<Utc>) -> SignupSession {
        SignupSession {
            request_id: request_id.to_owned(),
            state: "offered".to_owned(),
            stopped_at: None,
            error_message: None,
            waba_id: None,
            phone_number_id: None,
            business_token: None,
            updated_at: now,
        }
    }

    fn from_row(row: &AnyRow) -> anyhow::Result<SignupSession> {
        Ok(SignupSession {
            request_id: row.try_get("request_id")?,
            state: row.try_get("state")?,
            stopped_at: row.try_get("stopped_at")?,
            error_message: row.try_get("error_message")?,
            waba_id: row.try_get("waba_id")?,
            phone_number_id: row.try_get("phone_number_id")?,
            business_token: row.try_get("business_token")?,
            updated_at: from_millis(row.try_get("updated_at")?),
        })
    }
}

/// A link, looked up by its token's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupLink {
    /// The request it opens the signup of.
    pub request_id: String,
    /// Not valid from this instant.
    pub expires_at: DateTime<Utc>,
    /// When its one use happened.
    pub used_at: Option<DateTime<Utc>>,
}

impl Tx {
    /// The request's session, locked.
    pub async fn lock_signup(&mut self, request_id: &str) -> anyhow::Result<Option<SignupSession>> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION} FROM signup_sessions WHERE request_id = $1{}",
            self.backend.for_update()
        ))
        .bind(request_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(SignupSession::from_row).transpose()
    }

    /// Saves a session (inserted or replaced).
    pub async fn save_signup(&mut self, s: &SignupSession) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO signup_sessions (request_id, state, stopped_at, error_message, waba_id, \
             phone_number_id, business_token, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (request_id) DO UPDATE SET state = excluded.state, \
             stopped_at = excluded.stopped_at, error_message = excluded.error_message, \
             waba_id = excluded.waba_id, phone_number_id = excluded.phone_number_id, \
             business_token = excluded.business_token, updated_at = excluded.updated_at",
        )
        .bind(&s.request_id)
        .bind(&s.state)
        .bind(&s.stopped_at)
        .bind(&s.error_message)
        .bind(&s.waba_id)
        .bind(&s.phone_number_id)
        .bind(&s.business_token)
        .bind(millis(s.updated_at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// The merchant's sessions in one of `states` whose requests are still open, newest
    /// first.
    pub async fn signups_of(
        &mut self,
        user: &UserKey,
        states: &[&str],
    ) -> anyhow::Result<Vec<SignupSession>> {
        let marks: Vec<String> = (0..states.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "SELECT {} FROM signup_sessions s JOIN requests r ON r.id = s.request_id \
             WHERE r.channel = $1 AND r.user_id = $2 AND s.state IN ({}) \
             AND r.status NOT IN ('active', 'rejected', 'cancelled', 'expired') \
             ORDER BY r.created_at DESC",
            SESSION
                .split(", ")
                .map(|c| format!("s.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
            marks.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(&user.channel).bind(&user.user_id);
        for state in states {
            query = query.bind(*state);
        }
        let rows = query.fetch_all(&mut *self.tx).await?;
        rows.iter().map(SignupSession::from_row).collect()
    }

    /// Stores a new link (its token's hash), valid until `expires_at`.
    pub async fn add_signup_link(
        &mut self,
        token_hash: &str,
        request_id: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO signup_links (token_hash, request_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(request_id)
        .bind(millis(now))
        .bind(millis(expires_at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// A link by its token's hash, locked.
    pub async fn lock_signup_link(
        &mut self,
        token_hash: &str,
    ) -> anyhow::Result<Option<SignupLink>> {
        let row = sqlx::query(&format!(
            "SELECT request_id, expires_at, used_at FROM signup_links WHERE token_hash = $1{}",
            self.backend.for_update()
        ))
        .bind(token_hash)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|row| link_of(&row)).transpose()
    }

    /// Marks the request's links used (one a session event came through, or all of them when
    /// a new link replaces them or the merchant leaves the path).
    pub async fn use_signup_links(
        &mut self,
        request_id: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE signup_links SET used_at = $2 WHERE request_id = $1 AND used_at IS NULL",
        )
        .bind(request_id)
        .bind(millis(now))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

fn link_of(row: &AnyRow) -> anyhow::Result<SignupLink> {
    Ok(SignupLink {
        request_id: row.try_get("request_id")?,
        expires_at: from_millis(row.try_get("expires_at")?),
        used_at: row.try_get::<Option<i64>, _>("used_at")?.map(from_millis),
    })
}

impl Store {
    /// The state of every Embedded Signup session (`offered`, `finished`, `cancelled`,
    /// `error`, `team`), by request id.
    pub async fn signup_states(&self) -> anyhow::Result<std::collections::HashMap<String, String>> {
        let rows = sqlx::query("SELECT request_id, state FROM signup_sessions")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("request_id")?, row.try_get("state")?)))
            .collect()
    }

    /// The request's session (not locked).
    pub async fn signup(&self, request_id: &str) -> anyhow::Result<Option<SignupSession>> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION} FROM signup_sessions WHERE request_id = $1"
        ))
        .bind(request_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(SignupSession::from_row).transpose()
    }

    /// A link by its token's hash (not locked).
    pub async fn signup_link(&self, token_hash: &str) -> anyhow::Result<Option<SignupLink>> {
        let row = sqlx::query(
            "SELECT request_id, expires_at, used_at FROM signup_links WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| link_of(&row)).transpose()
    }
}
