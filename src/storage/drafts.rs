//! Storage of drafts beyond the conversation's own load and save: a draft set aside while a
//! request is fixed, and the idle drafts the scheduler nudges or forgets.

use super::{Tx, from_millis, millis};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A stored draft as JSON, with its logo bytes.
pub type RawDraft = (String, Option<Vec<u8>>);

/// What a sweep does with a stale draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// Records that its merchant was reminded.
    Nudge,
    /// Restarts its idle clock (a fix, reminded weekly).
    Touch,
    /// Deletes it.
    Expire,
}

/// A draft not touched for a while.
#[derive(Debug, Clone)]
pub struct StaleDraft {
    /// `channel:user`.
    pub user_key: String,
    /// The draft.
    pub state: String,
    /// Last activity.
    pub updated_at: DateTime<Utc>,
    /// Already nudged.
    pub nudged: bool,
}

impl Tx {
    /// Locks a merchant's draft row (on PostgreSQL; SQLite transactions are serialized).
    pub async fn lock_draft_row(&mut self, user: &super::UserKey) -> anyhow::Result<()> {
        sqlx::query(&format!(
            "SELECT user_key FROM drafts WHERE user_key = $1{}",
            self.backend.for_update()
        ))
        .bind(user.key())
        .fetch_optional(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Parks the merchant's current draft (to fix an earlier request first) and installs
    /// `draft` in its place; `parked` is the JSON and logo of the draft set aside.
    pub async fn park_draft(
        &mut self,
        user_key: &str,
        parked: Option<RawDraft>,
    ) -> anyhow::Result<()> {
        let (state, logo) = match parked {
            Some((state, logo)) => (Some(state), logo),
            None => (None, None),
        };
        sqlx::query("UPDATE drafts SET parked_state = $2, parked_logo = $3 WHERE user_key = $1")
            .bind(user_key)
            .bind(state)
            .bind(logo)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// The JSON and logo of the draft stored for a user now, and of the one parked, if any.
    pub async fn raw_drafts(
        &mut self,
        user_key: &str,
    ) -> anyhow::Result<(
        Option<(String, Option<Vec<u8>>)>,
        Option<(String, Option<Vec<u8>>)>,
    )> {
        let row = sqlx::query(
            "SELECT state, logo, parked_state, parked_logo FROM drafts WHERE user_key = $1",
        )
        .bind(user_key)
        .fetch_optional(&mut *self.tx)
        .await?;
        let Some(row) = row else {
            return Ok((None, None));
        };
        let current = (row.try_get::<String, _>("state")?, row.try_get("logo")?);
        let parked: Option<String> = row.try_get("parked_state")?;
        let parked = match parked {
            Some(state) => Some((state, row.try_get("parked_logo")?)),
            None => None,
        };
        Ok((Some(current), parked))
    }

    /// Drafts in progress idle since before `nudge_before` and not nudged yet, or idle since
    /// before `expire_before`; locked (and skipped by other workers on PostgreSQL).
    pub async fn stale_drafts(
        &mut self,
        nudge_before: DateTime<Utc>,
        expire_before: DateTime<Utc>,
    ) -> anyhow::Result<Vec<StaleDraft>> {
        let lock = self.backend.for_update_skip_locked();
        let rows = sqlx::query(&format!(
            // The range on `updated_at` ($3, the later of the two) lets the database walk the
            // `drafts_in_progress` index from its oldest entry and stop at the first fresh one.
            "SELECT user_key, state, updated_at, nudged_at FROM drafts WHERE step <> 'done' \
             AND updated_at < $3 \
             AND ((nudged_at IS NULL AND updated_at < $1) OR updated_at < $2) \
             ORDER BY updated_at LIMIT 50{lock}"
        ))
        .bind(millis(nudge_before))
        .bind(millis(expire_before))
        .bind(millis(nudge_before.max(expire_before)))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StaleDraft {
                    user_key: r.try_get("user_key")?,
                    state: r.try_get("state")?,
                    updated_at: from_millis(r.try_get("updated_at")?),
                    nudged: r.try_get::<Option<i64>, _>("nudged_at")?.is_some(),
                })
            })
            .collect()
    }

    /// Takes a stale draft's reminder for this sweep: the nudge is recorded, a fix's idle clock
    /// restarted, or an expired draft deleted, unless the merchant wrote meanwhile or another
    /// sweep took it first; `true` when this sweep took it (and tells the merchant).
    pub async fn settle_stale_draft(
        &mut self,
        draft: &StaleDraft,
        settle: Settle,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let sql = match settle {
            Settle::Nudge => {
                "UPDATE drafts SET nudged_at = $3 WHERE user_key = $1 AND updated_at = $2 \
                 AND nudged_at IS NULL"
            }
            Settle::Touch => {
                "UPDATE drafts SET updated_at = $3, nudged_at = $3 WHERE user_key = $1 \
                 AND updated_at = $2"
            }
            Settle::Expire => "DELETE FROM drafts WHERE user_key = $1 AND updated_at = $2",
        };
        let mut query = sqlx::query(sql)
            .bind(&draft.user_key)
            .bind(millis(draft.updated_at));
        if settle != Settle::Expire {
            query = query.bind(millis(now));
        }
        let done = query.execute(&mut *self.tx).await?;
        Ok(done.rows_affected() == 1)
    }
}
