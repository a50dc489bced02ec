//! Storage of the console inbox: notifications a console merchant finds at their next `chat`.

use super::{Store, Tx, millis};
use crate::domain::Message;
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use sqlx::Row;

impl Tx {
    /// Leaves a notification in a console merchant's inbox, to be shown in `locale` (the
    /// merchant's language when it was left).
    pub async fn push_console_inbox(
        &mut self,
        user_id: &str,
        message: &Message,
        locale: Locale,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO console_inbox (user_id, message, locale, created_at) VALUES ($1, $2, $3, $4)",
        )
            .bind(user_id)
            .bind(serde_json::to_string(message)?)
            .bind(locale.tag())
            .bind(millis(at))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

impl Store {
    /// Takes the unseen notifications of a console merchant, marking them seen: each message
    /// with the merchant's language when it was left (none for rows older than that record).
    pub async fn take_console_inbox(
        &self,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<(Message, Option<Locale>)>> {
        let mut tx = self.begin().await?;
        let rows = sqlx::query(
            "SELECT id, message, locale FROM console_inbox \
             WHERE user_id = $1 AND seen_at IS NULL ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut messages = Vec::new();
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let message: String = row.try_get("message")?;
            sqlx::query("UPDATE console_inbox SET seen_at = $2 WHERE id = $1")
                .bind(id)
                .bind(millis(now))
                .execute(&mut *tx.tx)
                .await?;
            let locale: Option<String> = row.try_get("locale")?;
            messages.push((
                serde_json::from_str(&message)?,
                locale.as_deref().and_then(Locale::parse_exact),
            ));
        }
        tx.commit().await?;
        Ok(messages)
    }
}
