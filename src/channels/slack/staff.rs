//! Staff and managers on Slack: each request posted in the staff channel with the buttons of
//! the moves staff may make, updated on every move, its logo and history in the message's
//! thread; a fix or a rejection asked through a modal (the fields to fix as checkboxes, the
//! reason as text); `/waba-status`, `/waba-pending`, `/waba-stats` answered to the asker alone.
//! Staff are the configured users and the members of the configured user group
//! (`usergroups.users.list`); managers the configured users.

use super::{CHANNEL, Slack, section, truncate};
use crate::conversation::{StepId, field_label};
use crate::domain::{Message, RequestStatus, Role};
use crate::i18n::{self, Locale};
use crate::service::RequestRow;
use crate::service::events::EventId;
use crate::service::lifecycle::{Actor, LifecycleError};
use crate::service::staff::{
    ButtonAction, ButtonStyle, CHART_FILE, Reason, StaffAction, StaffError, StaffQuery,
};
use crate::tickets::{BoxFuture, HelpWanted, StaffBoard};
use anyhow::Context;
use serde_json::{Value, json};
use slack_morphism::prelude::{
    SlackActionBlockElement, SlackActionsBlock, SlackBlock, SlackBlockButtonElement,
    SlackBlockButtonStyle, SlackBlockPlainText, SlackHeaderBlock,
};

/// The callback id of the reason modal: `r:{status}:{reference}`.
const REASON: &str = "r:";
/// The block and action ids inside the reason modal.
const REASON_BLOCK: &str = "reason";
const FIELDS_BLOCK: &str = "fields";

/// What a Slack user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Roles {
    pub staff: bool,
    pub manager: bool,
}

impl Slack {
    /// Whether `user` is staff (listed, or in the staff user group) or a manager.
    pub(super) async fn roles(&self, user: &str) -> Roles {
        let settings = &self.inner.settings;
        let mut staff = settings.staff_users.iter().any(|u| u == user);
        if !staff && let Some(group) = &settings.staff_usergroup {
            match self
                .call_form("usergroups.users.list", &[("usergroup", group.as_str())])
                .await
            {
                Ok(members) => {
                    staff = members["users"]
                        .as_array()
                        .is_some_and(|users| users.iter().any(|u| u == user));
                }
                Err(error) => {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        "cannot read the staff user group"
                    )
                }
            }
        }
        Roles {
            staff,
            manager: settings.manager_users.iter().any(|u| u == user),
        }
    }

    fn staff_locale(&self) -> Locale {
        self.inner.settings.staff_locale
    }

    /// The blocks of a request's post: its title, its report, the buttons of its moves.
    async fn post_blocks(&self, request: &RequestRow) -> anyhow::Result<(String, Vec<SlackBlock>)> {
        let locale = self.staff_locale();
        let post = self
            .inner
            .services
            .staff
            .post(&request.reference, locale)
            .await
            .map_err(anyhow::Error::from)?;
        let title = i18n::render(locale, &post.title);
        let mut blocks = vec![SlackBlock::Header(SlackHeaderBlock::new(
            SlackBlockPlainText::new(truncate(&title, 150)).into(),
        ))];
        // A section holds 3,000 characters: the report is cut between lines.
        let mut chunk = String::new();
        for line in post.body.lines() {
            if chunk.chars().count() + line.chars().count() + 1 > super::MAX_SECTION_CHARS {
                blocks.push(section(&chunk));
                chunk.clear();
            }
            chunk.push_str(line);
            chunk.push('\n');
        }
        if !chunk.trim().is_empty() {
            blocks.push(section(chunk.trim_end()));
        }
        let buttons: Vec<SlackActionBlockElement> = post
            .buttons
            .iter()
            .take(25)
            .map(|button| {
                let mut element = SlackBlockButtonElement::new(
                    SlackBlockPlainText::new(truncate(&i18n::render(locale, &button.label), 75))
                        .into(),
                )
                .with_action_id(button.action.encode().into());
                match button.style {
                    ButtonStyle::Primary => {
                        element = element.with_style(SlackBlockButtonStyle::Primary)
                    }
                    ButtonStyle::Danger => {
                        element = element.with_style(SlackBlockButtonStyle::Danger)
                    }
                    ButtonStyle::Secondary => {}
                }
                SlackActionBlockElement::Button(element)
            })
            .collect();
        if !buttons.is_empty() {
            blocks.push(SlackBlock::Actions(SlackActionsBlock::new(buttons)));
        }
        Ok((title, blocks))
    }

    /// A staff button pressed: a move done at once, or the modal that asks the reason (and,
    /// for a fix, the fields). Someone who is not staff is refused, to them alone.
    pub(super) async fn staff_button(
        &self,
        user: &str,
        channel: &str,
        trigger: &str,
        event: &str,
        action_id: &str,
    ) -> anyhow::Result<()> {
        let locale = self.staff_locale();
        if !self.roles(user).await.staff {
            tracing::warn!("staff button pressed without the role");
            return self
                .ephemeral(channel, user, &Message::new("slack-not-staff"))
                .await;
        }
        let Some(action) = ButtonAction::decode(action_id) else {
            return self
                .ephemeral(channel, user, &Message::new("chat-old-button"))
                .await;
        };
        match action {
            ButtonAction::Move { reference, to } => {
                let result = self
                    .inner
                    .services
                    .staff
                    .act(
                        &staff_actor(user),
                        StaffAction::Move {
                            reference,
                            to,
                            reason: None,
                        },
                        Some(&EventId::new(CHANNEL, event)),
                    )
                    .await;
                self.outcome(channel, user, result).await
            }
            ButtonAction::AskFix { reference } | ButtonAction::Field { reference, .. } => {
                self.open_reason(trigger, locale, RequestStatus::NeedsInfo, &reference)
                    .await
            }
            ButtonAction::Reject { reference } => {
                self.open_reason(trigger, locale, RequestStatus::Rejected, &reference)
                    .await
            }
        }
    }

    /// Opens the reason modal (`views.open`): the fields to fix as checkboxes when asking a
    /// fix, the reason as multi-line text.
    async fn open_reason(
        &self,
        trigger: &str,
        locale: Locale,
        to: RequestStatus,
        reference: &str,
    ) -> anyhow::Result<()> {
        let text = |id: &str| i18n::text(locale, id);
        let mut blocks = Vec::new();
        if to == RequestStatus::NeedsInfo {
            let options: Vec<Value> = StepId::FIXABLE
                .into_iter()
                .map(|step| {
                    json!({
                        "text": { "type": "plain_text", "text": truncate(&i18n::render(locale, &field_label(step)), 75) },
                        "value": step.as_str(),
                    })
                })
                .collect();
            blocks.push(json!({
                "type": "input", "block_id": FIELDS_BLOCK,
                "label": { "type": "plain_text", "text": text("slack-fields-label") },
                "element": { "type": "checkboxes", "action_id": FIELDS_BLOCK, "options": options },
            }));
        }
        blocks.push(json!({
            "type": "input", "block_id": REASON_BLOCK,
            "label": { "type": "plain_text", "text": text("slack-reason-label") },
            "element": {
                "type": "plain_text_input", "action_id": REASON_BLOCK, "multiline": true,
                "min_length": crate::service::staff::MIN_REASON_CHARS, "max_length": 1000,
            },
        }));
        let title = i18n::render(
            locale,
            &Message::new(if to == RequestStatus::NeedsInfo {
                "slack-reason-ask-title"
            } else {
                "slack-reason-reject-title"
            })
            .text("reference", reference),
        );
        let view = json!({
            "type": "modal",
            "callback_id": format!("{REASON}{}:{reference}", to.as_str()),
            "title": { "type": "plain_text", "text": truncate(&title, 24) },
            "submit": { "type": "plain_text", "text": truncate(&text("slack-submit"), 24) },
            "close": { "type": "plain_text", "text": truncate(&text("slack-close"), 24) },
            "blocks": blocks,
        });
        self.call(
            "views.open",
            &json!({ "trigger_id": trigger, "view": view }),
        )
        .await
        .map(drop)
    }

    /// A submitted reason modal: the fix asked or the request rejected. Returns the answer to
    /// the submission: `None` to close the modal, or the errors to show under its fields.
    pub(super) async fn reason_submitted(
        &self,
        user: &str,
        event: &str,
        callback: &str,
        values: &Value,
    ) -> anyhow::Result<Option<Value>> {
        let locale = self.staff_locale();
        let error = |block: &str, message: Message| {
            Ok(Some(json!({
                "response_action": "errors",
                "errors": { block: i18n::render(locale, &message) },
            })))
        };
        if !self.roles(user).await.staff {
            return error(REASON_BLOCK, Message::new("slack-not-staff"));
        }
        let Some((status, reference)) = callback
            .strip_prefix(REASON)
            .and_then(|rest| rest.split_once(':'))
        else {
            return error(REASON_BLOCK, Message::new("chat-old-button"));
        };
        let reason_text = values[REASON_BLOCK][REASON_BLOCK]["value"]
            .as_str()
            .unwrap_or_default();
        let reason = match Reason::parse(reason_text) {
            Ok(reason) => reason,
            Err(refused) => return error(REASON_BLOCK, refused.message()),
        };
        let reference = reference.to_owned();
        let action = match RequestStatus::parse(status) {
            Some(RequestStatus::NeedsInfo) => {
                let fields: Vec<StepId> = values[FIELDS_BLOCK][FIELDS_BLOCK]["selected_options"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|o| o["value"].as_str())
                    .filter_map(StepId::parse)
                    .filter(|s| StepId::FIXABLE.contains(s))
                    .collect();
                if fields.is_empty() {
                    return error(FIELDS_BLOCK, Message::new("slack-pick-a-field"));
                }
                StaffAction::AskFix {
                    reference,
                    fields,
                    reason,
                }
            }
            Some(RequestStatus::Rejected) => StaffAction::Reject { reference, reason },
            _ => return error(REASON_BLOCK, Message::new("chat-old-button")),
        };
        let result = self
            .inner
            .services
            .staff
            .act(
                &staff_actor(user),
                action,
                Some(&EventId::new(CHANNEL, event)),
            )
            .await;
        match result {
            Ok(_) => Ok(None),
            Err(refused) if refused.is_duplicate() => Ok(None),
            Err(StaffError::Lifecycle(LifecycleError::Internal(error))) => Err(error),
            Err(refused) => error(REASON_BLOCK, refused.message()),
        }
    }

    /// `/waba-status REF|account`, `/waba-pending [status]`, `/waba-stats`, answered to the
    /// asker alone (the slash command's response).
    ///
    /// Returns the text and, for `/waba-stats`, the chart to send along.
    pub(super) async fn manager_command(
        &self,
        user: &str,
        name: &str,
        text: &str,
    ) -> (Message, Option<Vec<u8>>) {
        let roles = self.roles(user).await;
        if !(roles.staff || roles.manager) {
            return (Message::new("slack-not-allowed"), None);
        }
        let query = match name {
            "waba-pending" => match crate::service::staff::parse_pending(text) {
                Ok((status, page)) => StaffQuery::Pending { status, page },
                Err(message) => return (message, None),
            },
            "waba-stats" => StaffQuery::Stats {
                since: Some(text.to_owned()),
            },
            _ => StaffQuery::Status {
                reference_or_account: text.trim().to_owned(),
            },
        };
        let actor = Actor {
            role: if roles.staff {
                Role::Staff
            } else {
                Role::Manager
            },
            id: format!("slack:{user}"),
        };
        let locale = self.staff_locale();
        match self.inner.services.staff.ask(&actor, query).await {
            Ok(answer) => (
                Message::new("value-text").text(
                    "value",
                    answer.render(locale, crate::service::reports::Surface::Slack),
                ),
                answer.chart(locale),
            ),
            Err(refused) => (refused.message(), None),
        }
    }

    /// Uploads a file into `channel` (into the thread of `thread_ts` if given), the way Slack
    /// asks: `files.getUploadURLExternal`, the bytes, `files.completeUploadExternal`.
    async fn upload(
        &self,
        name: &str,
        bytes: Vec<u8>,
        channel: &str,
        thread_ts: Option<&str>,
    ) -> anyhow::Result<()> {
        let length = bytes.len().to_string();
        let ticket = self
            .call_form(
                "files.getUploadURLExternal",
                &[("filename", name), ("length", length.as_str())],
            )
            .await?;
        let (Some(url), Some(file)) = (ticket["upload_url"].as_str(), ticket["file_id"].as_str())
        else {
            anyhow::bail!("Slack files.getUploadURLExternal: no upload URL");
        };
        let uploaded = self
            .inner
            .http
            .post(url)
            .body(bytes)
            .send()
            .await
            .context("Slack file upload: no answer")?;
        anyhow::ensure!(
            uploaded.status().is_success(),
            "Slack file upload: {}",
            uploaded.status()
        );
        let mut complete = json!({
            "files": [{ "id": file, "title": name }],
            "channel_id": channel,
        });
        if let Some(ts) = thread_ts {
            complete["thread_ts"] = json!(ts);
        }
        self.call("files.completeUploadExternal", &complete)
            .await
            .map(drop)
    }

    /// Sends the pipeline's chart to `user`'s direct messages (a file cannot be ephemeral:
    /// the slash command's answer stays the text, to the asker alone).
    pub(super) async fn send_chart(&self, user: &str, png: Vec<u8>) -> anyhow::Result<()> {
        let channel = self.dm_channel(user).await?;
        self.upload(CHART_FILE, png, &channel, None).await
    }

    /// Says what staff's action did, to them alone.
    async fn outcome(
        &self,
        channel: &str,
        user: &str,
        result: Result<Message, StaffError>,
    ) -> anyhow::Result<()> {
        let message = match result {
            Ok(done) => done,
            Err(refused) if refused.is_duplicate() => return Ok(()),
            Err(StaffError::Lifecycle(LifecycleError::Internal(error))) => return Err(error),
            Err(refused) => refused.message(),
        };
        self.ephemeral(channel, user, &message).await
    }

    /// A message only `user` sees, in `channel` (`chat.postEphemeral`).
    pub(super) async fn ephemeral(
        &self,
        channel: &str,
        user: &str,
        message: &Message,
    ) -> anyhow::Result<()> {
        let text = i18n::render(self.staff_locale(), message);
        self.call(
            "chat.postEphemeral",
            &json!({ "channel": channel, "user": user, "text": text, "blocks": [section(&text)] }),
        )
        .await
        .map(drop)
    }
}

fn staff_actor(user: &str) -> Actor {
    Actor {
        role: Role::Staff,
        id: format!("slack:{user}"),
    }
}

/// A post's id on Slack: `channel:ts`.
fn post_id(channel: &str, ts: &str) -> String {
    format!("{channel}:{ts}")
}

fn parse_post(post: &str) -> Option<(&str, &str)> {
    post.split_once(':')
}

impl StaffBoard for Slack {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    fn post<'a>(
        &'a self,
        request: &'a RequestRow,
        _logo: &'a [u8],
    ) -> BoxFuture<'a, anyhow::Result<String>> {
        Box::pin(async move {
            let channel = self
                .inner
                .settings
                .staff_channel
                .clone()
                .context("no Slack staff channel configured")?;
            let (title, blocks) = self.post_blocks(request).await?;
            let posted = self
                .call(
                    "chat.postMessage",
                    &json!({ "channel": channel, "text": title, "blocks": blocks }),
                )
                .await?;
            let ts = posted["ts"]
                .as_str()
                .context("Slack chat.postMessage: no ts")?;
            Ok(post_id(&channel, ts))
        })
    }

    /// The logo goes into the post's thread, uploaded the way Slack asks
    /// (`files.getUploadURLExternal`, the bytes, `files.completeUploadExternal`).
    fn post_logo<'a>(
        &'a self,
        request: &'a RequestRow,
        post: &'a str,
        logo: &'a [u8],
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            if logo.is_empty() {
                return Ok(());
            }
            let Some((channel, ts)) = parse_post(post) else {
                anyhow::bail!("not a Slack post: {post}");
            };
            let name = format!("{}-logo.{}", request.reference, request.logo_format);
            self.upload(&name, logo.to_vec(), channel, Some(ts)).await
        })
    }

    fn refresh<'a>(
        &'a self,
        request: &'a RequestRow,
        post: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let Some((channel, ts)) = parse_post(post) else {
                anyhow::bail!("not a Slack post: {post}");
            };
            let (title, blocks) = self.post_blocks(request).await?;
            match self
                .call(
                    "chat.update",
                    &json!({ "channel": channel, "ts": ts, "text": title, "blocks": blocks }),
                )
                .await
            {
                Ok(_) => Ok(()),
                Err(error) if error.to_string().ends_with("message_not_found") => {
                    tracing::warn!(reference = %request.reference, "the staff post is gone; not updated");
                    Ok(())
                }
                Err(error) => Err(error),
            }
        })
    }

    fn help_wanted<'a>(&'a self, help: &'a HelpWanted) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let who = if help.channel == CHANNEL {
                // A mention links to the merchant (Slack's user mention syntax).
                format!("<@{}>", help.user_id)
            } else {
                format!("{}:{}", help.channel, help.user_id)
            };
            self.say_to_staff(
                &Message::new("staff-help-wanted")
                    .text("who", who)
                    .nested("field", field_label(help.step))
                    .text("language", help.locale.tag()),
            )
            .await
        })
    }

    fn alert<'a>(&'a self, alert: &'a Message) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(self.say_to_staff(alert))
    }
}

impl Slack {
    /// Posts `message`, in the staff language, in the staff channel (`chat.postMessage`).
    async fn say_to_staff(&self, message: &Message) -> anyhow::Result<()> {
        let channel = self
            .inner
            .settings
            .staff_channel
            .clone()
            .context("no Slack staff channel configured")?;
        let text = i18n::render(self.staff_locale(), message);
        self.call(
            "chat.postMessage",
            &json!({ "channel": channel, "text": text }),
        )
        .await
        .map(drop)
    }
}
