//! Staff in the group and managers: each new request is posted in the staff group with buttons
//! for the moves staff may make, and the post is edited as the request moves; asking for
//! information and rejecting ask for the reason in a reply; `/status`, `/pending` and `/stats`
//! answer managers (in private) and staff (in the group).

use super::{CHANNEL, Telegram, actor_id, keyboard, locale_of};
use crate::conversation::{StepId, field_label};
use crate::domain::{Message, RequestStatus, Role};
use crate::i18n::{self, Locale};
use crate::service::events::EventId;
use crate::service::lifecycle::Actor;
use crate::service::reports::Surface;
use crate::service::staff::{
    self, ButtonAction, Reason, StaffAction, StaffButton, StaffError, StaffQuery,
};
use crate::service::{RequestRow, StaffPrompt};
use crate::tickets::{BoxFuture, HelpWanted, StaffBoard};
use teloxide::payloads::setters::*;
use teloxide::prelude::Requester;
use teloxide::types::{
    CallbackQuery, ChatId, ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, InputFile,
    MessageId, ReplyParameters, User,
};
use teloxide::{ApiError, RequestError};

/// A post's identity: `<chat id>:<message id>`.
fn post_id(chat: ChatId, message: MessageId) -> String {
    format!("{}:{}", chat.0, message.0)
}

fn parse_post(post: &str) -> Option<(ChatId, MessageId)> {
    let (chat, message) = post.split_once(':')?;
    Some((ChatId(chat.parse().ok()?), MessageId(message.parse().ok()?)))
}

/// Staff buttons as a keyboard's (label, callback data).
fn rendered(buttons: Vec<StaffButton>, locale: Locale) -> Vec<(String, String)> {
    buttons
        .into_iter()
        .map(|b| (i18n::render(locale, &b.label), b.action.encode()))
        .collect()
}

impl Telegram {
    fn staff_locale(&self) -> Locale {
        self.inner.settings.staff_locale
    }

    /// The text of a request's post: the full report.
    /// The text of a request's post and its buttons, both from one reading of the request.
    async fn post_content(
        &self,
        request: &RequestRow,
    ) -> anyhow::Result<(String, Option<teloxide::types::InlineKeyboardMarkup>)> {
        let locale = self.staff_locale();
        let post = self
            .inner
            .staff
            .post(&request.reference, locale)
            .await
            .map_err(anyhow::Error::from)?;
        let text: String = post.body.chars().take(super::MAX_TEXT_CHARS).collect();
        Ok((text, keyboard(rendered(post.buttons, locale))))
    }

    /// Whether a user is in the staff group now.
    async fn is_staff(&self, user: &User) -> bool {
        let Some(chat) = self.inner.settings.staff_chat else {
            return false;
        };
        match self.inner.api.get_chat_member(chat, user.id).await {
            Ok(member) => member.is_present(),
            Err(error) => {
                tracing::warn!(error = %error, "cannot check staff membership");
                false
            }
        }
    }

    /// A button pressed on a staff post or field picker.
    pub(super) async fn staff_button(
        &self,
        event: &EventId,
        query: &CallbackQuery,
        data: &str,
    ) -> anyhow::Result<()> {
        let presser = locale_of(&query.from).unwrap_or(self.staff_locale());
        if !self.is_staff(&query.from).await {
            tracing::warn!(
                user = query.from.id.0,
                "staff button pressed by a non-member"
            );
            self.answer(query, Some(i18n::text(presser, "telegram-not-staff")), true)
                .await;
            return Ok(());
        }
        let Some(chat) = self.inner.settings.staff_chat else {
            return Ok(());
        };
        let Some(action) = ButtonAction::decode(data) else {
            return self.unknown_button(query).await;
        };
        let anchor = query.message.as_ref().map(|m| m.id());
        match action {
            ButtonAction::Field { reference, field } => {
                self.answer(query, None, false).await;
                if let Some(message) = &query.message {
                    self.remove_keyboard(chat, message).await;
                }
                self.ask_reason(
                    event,
                    chat,
                    anchor,
                    &query.from,
                    &reference,
                    RequestStatus::NeedsInfo,
                    Some(field),
                )
                .await
            }
            ButtonAction::AskFix { reference } => {
                self.answer(query, None, false).await;
                self.pick_field(event, chat, anchor, &reference).await
            }
            ButtonAction::Reject { reference } => {
                self.answer(query, None, false).await;
                self.ask_reason(
                    event,
                    chat,
                    anchor,
                    &query.from,
                    &reference,
                    RequestStatus::Rejected,
                    None,
                )
                .await
            }
            ButtonAction::Move { reference, to } => {
                let actor = Actor {
                    role: Role::Staff,
                    id: actor_id(&query.from),
                };
                let result = self
                    .inner
                    .staff
                    .act(
                        &actor,
                        StaffAction::Move {
                            reference,
                            to,
                            reason: None,
                        },
                        Some(event),
                    )
                    .await;
                match result {
                    Ok(done) => {
                        self.answer(query, Some(i18n::render(presser, &done)), false)
                            .await;
                        Ok(())
                    }
                    Err(error) if error.is_duplicate() => {
                        self.answer(query, None, false).await;
                        Ok(())
                    }
                    Err(StaffError::Lifecycle(
                        crate::service::lifecycle::LifecycleError::Internal(error),
                    )) => {
                        self.answer(query, Some(i18n::text(presser, "error-internal")), true)
                            .await;
                        Err(error)
                    }
                    Err(error) => {
                        self.answer(query, Some(i18n::render(presser, &error.message())), true)
                            .await;
                        Ok(())
                    }
                }
            }
        }
    }

    /// Asks which field the merchant should fix, as buttons.
    async fn pick_field(
        &self,
        event: &EventId,
        chat: ChatId,
        anchor: Option<MessageId>,
        reference: &str,
    ) -> anyhow::Result<()> {
        if !self.is_new(event).await? {
            return Ok(());
        }
        let locale = self.staff_locale();
        let buttons = rendered(staff::field_buttons(reference), locale);
        let text = i18n::render(
            locale,
            &Message::new("staff-pick-field").text("reference", reference),
        );
        let mut request = self.inner.api.send_message(chat, text);
        if let Some(keyboard) = keyboard(buttons) {
            request = request.reply_markup(keyboard);
        }
        if let Some(anchor) = anchor {
            request = request
                .reply_parameters(ReplyParameters::new(anchor).allow_sending_without_reply());
        }
        self.paced(chat, request).await?;
        self.done(event).await
    }

    /// Asks a staff member for the reason of a move, as a message to reply to; the reply
    /// makes the move.
    #[allow(clippy::too_many_arguments)]
    async fn ask_reason(
        &self,
        event: &EventId,
        chat: ChatId,
        anchor: Option<MessageId>,
        user: &User,
        reference: &str,
        to: RequestStatus,
        field: Option<StepId>,
    ) -> anyhow::Result<()> {
        if !self.is_new(event).await? {
            return Ok(());
        }
        let locale = self.staff_locale();
        let message = match field {
            Some(field) => Message::new("telegram-reason-ask")
                .text("reference", reference)
                .nested("field", field_label(field)),
            None => Message::new("telegram-reason-reject").text("reference", reference),
        };
        let mut request = self
            .inner
            .api
            .send_message(chat, i18n::render(locale, &message))
            .reply_markup(ForceReply::new());
        if let Some(anchor) = anchor {
            request = request
                .reply_parameters(ReplyParameters::new(anchor).allow_sending_without_reply());
        }
        let sent = self.paced(chat, request).await?;
        // The question and the press are recorded together, once the question is out.
        let prompt = StaffPrompt {
            channel: CHANNEL.to_owned(),
            prompt: post_id(chat, sent.id),
            reference: reference.to_owned(),
            action: to.as_str().to_owned(),
            field: field.map(|f| f.as_str().to_owned()),
            asked_by: actor_id(user),
            created_at: self.inner.clock.now(),
        };
        self.inner.staff.remember_prompt(&prompt, event).await
    }

    /// A message in the staff group: a reply to one of the bot's questions, or a command.
    pub(super) async fn staff_message(
        &self,
        event: &EventId,
        message: &teloxide::types::Message,
        user: &User,
    ) -> anyhow::Result<()> {
        let chat = message.chat.id;
        let text = message.text().unwrap_or_default().trim();
        if let Some(question) = message.reply_to_message() {
            let prompt = self
                .inner
                .staff
                .prompt(CHANNEL, &post_id(chat, question.id))
                .await?;
            if let Some(prompt) = prompt {
                return self
                    .answer_prompt(event, message, user, &prompt, text)
                    .await;
            }
        }
        if !text.starts_with('/') {
            // Staff talking among themselves.
            return Ok(());
        }
        let locale = locale_of(user).unwrap_or(self.staff_locale());
        let (name, argument) = match Self::manager_command(text) {
            Some(command) => command,
            None => {
                let bare = text.trim_start_matches('/');
                let name = bare.split(['@', ' ']).next().unwrap_or_default();
                if name == "status" || name == "situacao" {
                    ("status".to_owned(), String::new())
                } else {
                    return self
                        .say_once(event, chat, locale, Message::new("telegram-staff-help"))
                        .await;
                }
            }
        };
        let actor = Actor {
            role: Role::Staff,
            id: actor_id(user),
        };
        self.query(event, chat, locale, &actor, &name, &argument)
            .await
    }

    /// A reply to a question the bot put: the reason of a rejection or of asking information.
    async fn answer_prompt(
        &self,
        event: &EventId,
        message: &teloxide::types::Message,
        user: &User,
        prompt: &StaffPrompt,
        reason: &str,
    ) -> anyhow::Result<()> {
        let chat = message.chat.id;
        let locale = locale_of(user).unwrap_or(self.staff_locale());
        let reply = |text: String| {
            self.inner
                .api
                .send_message(chat, text)
                .reply_parameters(ReplyParameters::new(message.id).allow_sending_without_reply())
        };
        // An empty reply, or a command, is not a reason: a rejection is final.
        let reason = match Reason::parse(reason) {
            Ok(reason) => reason,
            Err(error) => {
                if self.is_new(event).await? {
                    self.paced(chat, reply(i18n::render(locale, &error.message())))
                        .await?;
                    self.done(event).await?;
                }
                return Ok(());
            }
        };
        let actor = Actor {
            role: Role::Staff,
            id: actor_id(user),
        };
        let reference = prompt.reference.clone();
        let action = match (RequestStatus::parse(&prompt.action), &prompt.field) {
            (Some(RequestStatus::NeedsInfo), Some(field)) => match StepId::parse(field) {
                Some(field) => StaffAction::AskFix {
                    reference,
                    fields: vec![field],
                    reason,
                },
                None => return Ok(()),
            },
            (Some(RequestStatus::Rejected), _) => StaffAction::Reject { reference, reason },
            _ => return Ok(()),
        };
        let answer = match self.inner.staff.act(&actor, action, Some(event)).await {
            Ok(done) => done,
            Err(error) if error.is_duplicate() => return Ok(()),
            Err(StaffError::Lifecycle(crate::service::lifecycle::LifecycleError::Internal(
                error,
            ))) => return Err(error),
            Err(error) => error.message(),
        };
        self.paced(chat, reply(i18n::render(locale, &answer)))
            .await?;
        Ok(())
    }

    /// `/status REF|account`, `/pending [status]`, `/stats`.
    pub(super) async fn query(
        &self,
        event: &EventId,
        chat: ChatId,
        locale: Locale,
        actor: &Actor,
        name: &str,
        argument: &str,
    ) -> anyhow::Result<()> {
        if !self.is_new(event).await? {
            return Ok(());
        }
        let query = match name {
            "status" if argument.is_empty() => {
                let usage = i18n::text(locale, "telegram-status-usage");
                self.send_text(chat, &usage, None).await?;
                return self.done(event).await;
            }
            "status" => StaffQuery::Status {
                reference_or_account: argument.to_owned(),
            },
            "pending" | "pendentes" => match staff::parse_pending(argument) {
                Ok((status, page)) => StaffQuery::Pending { status, page },
                Err(message) => return self.say_once(event, chat, locale, message).await,
            },
            _ => StaffQuery::Stats {
                since: Some(argument.to_owned()),
            },
        };
        let (text, chart) = match self.inner.staff.ask(actor, query).await {
            Ok(answer) => (
                answer.render(locale, Surface::Telegram),
                answer.chart(locale),
            ),
            Err(StaffError::Lifecycle(crate::service::lifecycle::LifecycleError::Internal(
                error,
            ))) => return Err(error),
            Err(error) => (i18n::render(locale, &error.message()), None),
        };
        self.send_text(chat, &text, None).await?;
        // The text is the answer; a chart that does not go is logged, not sent again with it.
        if let Some(png) = chart
            && let Err(error) = self
                .paced(
                    chat,
                    self.inner
                        .api
                        .send_photo(chat, InputFile::memory(png).file_name(staff::CHART_FILE)),
                )
                .await
        {
            tracing::warn!(error = %error, "Telegram chart not sent");
        }
        self.done(event).await
    }

    /// A button whose data the bot does not know (an older version, a forged press).
    pub(super) async fn unknown_button(&self, query: &CallbackQuery) -> anyhow::Result<()> {
        let locale = locale_of(&query.from).unwrap_or_default();
        self.answer(query, Some(i18n::text(locale, "chat-old-button")), true)
            .await;
        Ok(())
    }
}

impl StaffBoard for Telegram {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    fn post<'a>(
        &'a self,
        request: &'a RequestRow,
        // A Telegram message cannot carry the report and the image: see `post_logo`.
        _logo: &'a [u8],
    ) -> BoxFuture<'a, anyhow::Result<String>> {
        Box::pin(async move {
            let chat = self
                .inner
                .settings
                .staff_chat
                .ok_or_else(|| anyhow::anyhow!("no staff group configured"))?;
            // One message (edited as the request moves), within Telegram's limit.
            let (text, buttons) = self.post_content(request).await?;
            let mut message = self.inner.api.send_message(chat, text);
            if let Some(keyboard) = buttons {
                message = message.reply_markup(keyboard);
            }
            let sent = self.paced(chat, message).await?;
            Ok(post_id(chat, sent.id))
        })
    }

    fn post_logo<'a>(
        &'a self,
        request: &'a RequestRow,
        post: &'a str,
        logo: &'a [u8],
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let Some((chat, message)) = parse_post(post) else {
                anyhow::bail!("not a Telegram post: {post}");
            };
            if logo.is_empty() {
                return Ok(());
            }
            let name = format!("{}.{}", request.reference, request.logo_format);
            let caption = i18n::render(
                self.staff_locale(),
                &Message::new("telegram-logo-caption").text("reference", &request.reference),
            );
            let photo = self
                .inner
                .api
                .send_photo(chat, InputFile::memory(logo.to_vec()).file_name(name))
                .caption(caption)
                .reply_parameters(ReplyParameters::new(message).allow_sending_without_reply());
            self.paced(chat, photo).await?;
            Ok(())
        })
    }

    fn refresh<'a>(
        &'a self,
        request: &'a RequestRow,
        post: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let Some((chat, message)) = parse_post(post) else {
                anyhow::bail!("not a Telegram post: {post}");
            };
            let (text, buttons) = self.post_content(request).await?;
            let mut edit = self.inner.api.edit_message_text(chat, message, text);
            if let Some(keyboard) = buttons {
                edit = edit.reply_markup(keyboard);
            }
            let Err(error) = self.paced(chat, edit).await else {
                return Ok(());
            };
            match error.downcast_ref() {
                Some(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
                Some(RequestError::Api(
                    ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited,
                )) => {
                    tracing::warn!(reference = %request.reference, "the staff post is gone; not updated");
                    Ok(())
                }
                _ => Err(error),
            }
        })
    }

    fn help_wanted<'a>(&'a self, help: &'a HelpWanted) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let Some(chat) = self.inner.settings.staff_chat else {
                return Ok(());
            };
            let locale = self.staff_locale();
            let text = i18n::render(
                locale,
                &Message::new("staff-help-wanted")
                    .text("who", format!("{}:{}", help.channel, help.user_id))
                    .nested("field", field_label(help.step))
                    .text("language", help.locale.tag()),
            );
            // A Telegram merchant's chat opens from a button, unless their privacy settings
            // forbid links to them: then the message goes without it.
            if help.channel == CHANNEL
                && let Ok(url) = url::Url::parse(&format!("tg://user?id={}", help.user_id))
            {
                let button = InlineKeyboardMarkup::new([[InlineKeyboardButton::url(
                    i18n::text(locale, "telegram-open-chat"),
                    url,
                )]]);
                let sent = self
                    .paced(
                        chat,
                        self.inner
                            .api
                            .send_message(chat, text.clone())
                            .reply_markup(button),
                    )
                    .await;
                match sent {
                    Ok(_) => return Ok(()),
                    Err(error) => match error.downcast_ref() {
                        Some(RequestError::Api(api)) => {
                            tracing::info!(error = %api, "help request posted without a chat button");
                        }
                        _ => return Err(error),
                    },
                }
            }
            self.paced(chat, self.inner.api.send_message(chat, text))
                .await?;
            Ok(())
        })
    }

    fn alert<'a>(&'a self, alert: &'a Message) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let Some(chat) = self.inner.settings.staff_chat else {
                return Ok(());
            };
            let text = i18n::render(self.staff_locale(), alert);
            self.paced(chat, self.inner.api.send_message(chat, text))
                .await?;
            Ok(())
        })
    }
}
