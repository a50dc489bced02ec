//! Storage of erasures: a request's personal data removed everywhere it is kept (LGPD, art. 18,
//! the data subject's right to deletion), its reference, status and history kept for the
//! statistics, and an audit line of who asked and when.

use super::{RequestRow, Tx, UserKey, millis};
use chrono::{DateTime, Utc};

impl Tx {
    /// The ids of every request of `user`, oldest first, read in the transaction (the rows are
    /// then locked one by one to be erased).
    pub async fn request_ids_of(&mut self, user: &UserKey) -> anyhow::Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM requests WHERE channel = $1 AND user_id = $2 ORDER BY created_at",
        )
        .bind(&user.channel)
        .bind(&user.user_id)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    /// Removes the personal data of `request`: its contact fields, answers, logo and kept draft
    /// on the row; the merchant's draft and console inbox; the reasons on its history and its
    /// notes; its outbox jobs (their payloads carry notes and chat ids); its signup session and
    /// links; the registration PIN and Meta's copies of the portfolio id. Records the erasure
    /// by `actor` at `at`. The request should be final first (an open one keeps its number
    /// reserved); the caller moves it.
    pub async fn erase_request(
        &mut self,
        request: &RequestRow,
        actor: &str,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let id = request.id.as_str();
        let user = &request.requester;
        sqlx::query(
            "UPDATE requests SET user_id = '', store_account = '', requester_email = '', \
             business_portfolio_id = '', display_name = '', phone = '', description = NULL, \
             logo = $2, logo_bytes = 0, problems = '[]', info_reason = NULL, draft_state = NULL, \
             erased_at = $3, updated_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(Vec::<u8>::new())
        .bind(millis(at))
        .execute(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE request_history SET reason = NULL WHERE request_id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        // A JSON payload names its request as `"request_id":"…"` (the ids are UUIDs).
        let payload = format!("%\"request_id\":\"{id}\"%");
        for statement in [
            "DELETE FROM request_notes WHERE request_id = $1",
            "DELETE FROM signup_links WHERE request_id = $1",
            "DELETE FROM signup_sessions WHERE request_id = $1",
            "UPDATE meta_registrations SET pin = NULL WHERE request_id = $1",
            "UPDATE meta_events SET business_id = NULL WHERE request_id = $1",
        ] {
            sqlx::query(statement)
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
        }
        sqlx::query("DELETE FROM outbox WHERE payload LIKE $1")
            .bind(payload)
            .execute(&mut *self.tx)
            .await?;
        // The merchant's own traces, unless they were already erased.
        if !user.user_id.is_empty() {
            let help = format!(
                "%\"channel\":\"{}\",\"user_id\":\"{}\"%",
                user.channel, user.user_id
            );
            sqlx::query("DELETE FROM outbox WHERE payload LIKE $1")
                .bind(help)
                .execute(&mut *self.tx)
                .await?;
            sqlx::query("DELETE FROM drafts WHERE user_key = $1")
                .bind(user.key())
                .execute(&mut *self.tx)
                .await?;
            if user.channel == "console" {
                sqlx::query("DELETE FROM console_inbox WHERE user_id = $1")
                    .bind(&user.user_id)
                    .execute(&mut *self.tx)
                    .await?;
            }
        }
        sqlx::query(
            "INSERT INTO erasures (request_id, reference, at, actor) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&request.reference)
        .bind(millis(at))
        .bind(actor)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
