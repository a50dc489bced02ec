//! Storage of the staff boards: where a request was posted for staff, and the questions the bot
//! put to a staff member that wait for a reply.

use super::{Tx, from_millis, millis};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A question put to a staff member, answered by replying to its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffPrompt {
    /// The channel (`telegram`).
    pub channel: String,
    /// The question's message, as the channel identifies it.
    pub prompt: String,
    /// The request it is about.
    pub reference: String,
    /// What the answer is for: the status the request moves to (`rejected`, `needs_info`).
    pub action: String,
    /// The field to fix, when asking for information.
    pub field: Option<String>,
    /// Who was asked, as the channel identifies them.
    pub asked_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl Tx {
    /// Records where a request was posted on a channel (replacing an earlier post there).
    pub async fn save_staff_post(
        &mut self,
        request_id: &str,
        channel: &str,
        post: &str,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO staff_posts (request_id, channel, post) VALUES ($1, $2, $3) \
             ON CONFLICT (request_id, channel) DO UPDATE SET post = excluded.post",
        )
        .bind(request_id)
        .bind(channel)
        .bind(post)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// The posts of a request, as (channel, post).
    pub async fn staff_posts(&mut self, request_id: &str) -> anyhow::Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT channel, post FROM staff_posts WHERE request_id = $1")
            .bind(request_id)
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("channel")?, row.try_get("post")?)))
            .collect()
    }

    /// Open requests whose ticket is opened but that have no post on `channel`'s board and no
    /// post job queued for it, oldest first, at most `limit` (their ids): the requests a board
    /// configured after they were confirmed has not seen.
    pub async fn requests_missing_from_board(
        &mut self,
        channel: &str,
        limit: i64,
    ) -> anyhow::Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT r.id FROM requests r \
             WHERE r.status NOT IN ('active', 'rejected', 'cancelled', 'expired') \
             AND r.ticket_id IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM staff_posts p WHERE p.request_id = r.id AND p.channel = $1) \
             AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'staff_post:' || r.id || ':' || $1) \
             ORDER BY r.created_at, r.id LIMIT $2",
        )
        .bind(channel)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(|row| Ok(row.try_get("id")?)).collect()
    }

    /// Remembers a question put to a staff member.
    pub async fn save_staff_prompt(&mut self, prompt: &StaffPrompt) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO staff_prompts (channel, prompt, reference, action, field, asked_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (channel, prompt) DO NOTHING",
        )
        .bind(&prompt.channel)
        .bind(&prompt.prompt)
        .bind(&prompt.reference)
        .bind(&prompt.action)
        .bind(prompt.field.as_deref())
        .bind(&prompt.asked_by)
        .bind(millis(prompt.created_at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// The question a reply answers, if the bot asked one. Questions are kept: answering one
    /// twice is refused by the move itself.
    pub async fn staff_prompt(
        &mut self,
        channel: &str,
        prompt: &str,
    ) -> anyhow::Result<Option<StaffPrompt>> {
        let row = sqlx::query(
            "SELECT channel, prompt, reference, action, field, asked_by, created_at \
             FROM staff_prompts WHERE channel = $1 AND prompt = $2",
        )
        .bind(channel)
        .bind(prompt)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|row| {
            Ok(StaffPrompt {
                channel: row.try_get("channel")?,
                prompt: row.try_get("prompt")?,
                reference: row.try_get("reference")?,
                action: row.try_get("action")?,
                field: row.try_get("field")?,
                asked_by: row.try_get("asked_by")?,
                created_at: from_millis(row.try_get("created_at")?),
            })
        })
        .transpose()
    }
}
