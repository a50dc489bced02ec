//! Merchants in a private chat: messages and button presses become [`Inbound`]s for the
//! conversation, its replies become messages with inline keyboards.

use super::{CHANNEL, Telegram, keyboard, locale_of};
use crate::channels::files::not_an_image;
use crate::conversation::{Command, FileProblem, Inbound, Reply};
use crate::domain::Logo;
use crate::i18n::{self, Locale};
use crate::service::UserKey;
use crate::service::events::EventId;
use crate::service::merchant::Merchant;
use futures_util::StreamExt;
use teloxide::net::Download;
use teloxide::prelude::Requester;
use teloxide::types::{CallbackQuery, ChatId, FileMeta, MaybeInaccessibleMessage, User};

/// The prefix of a merchant's choice in callback data: `c:<step>:<key>`.
pub(super) const CHOICE: &str = "c:";

impl Telegram {
    /// The merchant behind a Telegram user.
    fn merchant(user: &User) -> Merchant {
        Merchant {
            key: UserKey::new(CHANNEL, &user.id.0.to_string()),
            locale_hint: locale_of(user),
        }
    }

    /// A message in a private chat.
    pub(super) async fn merchant_message(
        &self,
        event: &EventId,
        message: &teloxide::types::Message,
        user: &User,
    ) -> anyhow::Result<()> {
        let inbound = self.inbound_of(message, user).await?;
        let reference = message.id.0.to_string();
        self.converse(event, message.chat.id, user, Some(&reference), inbound)
            .await
    }

    /// Runs one inbound through the conversation and sends the replies.
    async fn converse(
        &self,
        event: &EventId,
        chat: ChatId,
        user: &User,
        message: Option<&str>,
        inbound: Inbound,
    ) -> anyhow::Result<()> {
        let merchant = Self::merchant(user);
        // The event id is scoped by the service itself.
        let id = event.id.as_str();
        let outcome = self
            .inner
            .service
            .handle_message(&merchant, id, message, inbound)
            .await?;
        // Handled before, its answer may not have reached the merchant (the update comes again
        // when sending failed): the current question is asked again.
        let replies = match &outcome.question {
            Some(question) => std::slice::from_ref(question),
            None => &outcome.replies,
        };
        // A failure here fails the update, which then comes again.
        self.send_replies(chat, outcome.locale, replies).await
    }

    /// Sends the replies of one turn as few messages as possible (Telegram allows one message
    /// a second in a chat): texts are joined, and a question's choices become buttons under
    /// the message that ends with it.
    pub(super) async fn send_replies(
        &self,
        chat: ChatId,
        locale: Locale,
        replies: &[Reply],
    ) -> anyhow::Result<()> {
        let mut pending = String::new();
        for reply in replies {
            let rendered = reply.render(locale);
            let mut text = String::new();
            if let Some(progress) = reply.progress_line(locale) {
                text.push_str(&progress);
                text.push('\n');
            }
            text.push_str(&rendered.text);
            if !pending.is_empty() {
                pending.push_str("\n\n");
            }
            pending.push_str(&text);
            if rendered.choices.is_empty() {
                continue;
            }
            let buttons = rendered
                .choices
                .into_iter()
                .map(|choice| {
                    let data = format!("{CHOICE}{}:{}", rendered.step, choice.key);
                    (choice.label, data)
                })
                .collect();
            self.send_text(chat, &std::mem::take(&mut pending), keyboard(buttons))
                .await?;
        }
        if !pending.is_empty() {
            self.send_text(chat, &pending, None).await?;
        }
        Ok(())
    }

    /// What a message is, for the conversation: text, a logo (photo or document, its declared
    /// size and type checked before it is downloaded, and only at the logo question), or
    /// something the bot does not read.
    async fn inbound_of(
        &self,
        message: &teloxide::types::Message,
        user: &User,
    ) -> anyhow::Result<Inbound> {
        // A reply to the bot's question and a forwarded message are read for their text alone.
        if let Some(text) = message.text() {
            return Ok(Inbound::Text(text.to_owned()));
        }
        if let Some(contact) = message.contact() {
            return Ok(Inbound::Contact {
                phone: contact.phone_number.clone(),
            });
        }
        if message.document().is_none() && message.photo().is_none() {
            return Ok(Inbound::Unsupported);
        }
        let at_logo = self
            .inner
            .service
            .draft(&Self::merchant(user).key)
            .await?
            .is_some_and(|d| d.step == crate::conversation::StepId::Logo && d.pending.is_none());
        if !at_logo {
            // The conversation says what it expects instead; nothing is downloaded.
            return Ok(Inbound::File {
                name: String::new(),
                bytes: Vec::new(),
            });
        }
        Ok(self.file_of(message).await)
    }

    /// The logo a message carries.
    async fn file_of(&self, message: &teloxide::types::Message) -> Inbound {
        if let Some(document) = message.document() {
            let name = document.file_name.clone().unwrap_or_default();
            if let Some(format) = document
                .mime_type
                .as_ref()
                .and_then(|m| not_an_image(m.essence_str()))
            {
                return Inbound::Unreadable(FileProblem::NotAnImage { format });
            }
            return match self.download(&document.file).await {
                Ok(bytes) => Inbound::File { name, bytes },
                Err(problem) => Inbound::Unreadable(problem),
            };
        }
        if let Some(sizes) = message.photo() {
            // Telegram sends each photo in several sizes; the largest that fits is the logo.
            let largest = sizes
                .iter()
                .filter(|p| u64::from(p.file.size) <= Logo::MAX_BYTES)
                .max_by_key(|p| u64::from(p.width) * u64::from(p.height));
            return match largest {
                Some(photo) => match self.download(&photo.file).await {
                    Ok(bytes) => Inbound::File {
                        name: "photo.jpg".to_owned(),
                        bytes,
                    },
                    Err(problem) => Inbound::Unreadable(problem),
                },
                None => Inbound::Unreadable(FileProblem::TooLarge {
                    bytes: sizes
                        .iter()
                        .map(|p| u64::from(p.file.size))
                        .max()
                        .unwrap_or_default(),
                }),
            };
        }
        Inbound::Unsupported
    }

    /// Downloads a file whose declared size is within the logo limit, reading never more than
    /// the limit plus one byte whatever the server sends.
    async fn download(&self, file: &FileMeta) -> Result<Vec<u8>, FileProblem> {
        let declared = u64::from(file.size);
        if declared > Logo::MAX_BYTES {
            return Err(FileProblem::TooLarge { bytes: declared });
        }
        let found = self
            .inner
            .api
            .get_file(file.id.clone())
            .await
            .map_err(|error| {
                tracing::warn!(error = %error, "getFile failed");
                FileProblem::Unreadable
            })?;
        if u64::from(found.meta.size) > Logo::MAX_BYTES {
            return Err(FileProblem::TooLarge {
                bytes: u64::from(found.meta.size),
            });
        }
        let mut stream = self.inner.api.download_file_stream(&found.path);
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| {
                tracing::warn!(error = %error, "file download failed");
                FileProblem::Unreadable
            })?;
            bytes.extend_from_slice(&chunk);
            if bytes.len() as u64 > Logo::MAX_BYTES {
                return Err(FileProblem::TooLarge {
                    bytes: bytes.len() as u64,
                });
            }
        }
        Ok(bytes)
    }

    /// A merchant pressed one of the buttons under a question.
    pub(super) async fn merchant_choice(
        &self,
        event: &EventId,
        query: &CallbackQuery,
        data: &str,
    ) -> anyhow::Result<()> {
        let Some((step, key)) = data.strip_prefix(CHOICE).and_then(|d| d.split_once(':')) else {
            return self.unknown_button(query).await;
        };
        let Some(message) = &query.message else {
            return self.unknown_button(query).await;
        };
        let chat = message.chat().id;
        // A merchant's buttons live in their private chat (the chat id is their user id).
        if !message.chat().is_private() || chat.0 != query.from.id.0 as i64 {
            return self.unknown_button(query).await;
        }
        let merchant = Self::merchant(&query.from);
        let draft = self.inner.service.draft(&merchant.key).await?;
        let current = draft.as_ref().map(|d| d.step.as_str());
        // A redelivered press answered the question it belonged to: `converse` asks the
        // current question again rather than calling it an old button.
        let id = event.id.as_str();
        if current != Some(step) && !self.inner.service.is_handled(&merchant, id).await? {
            // A keyboard of an earlier question: say so, and take it away.
            let locale = draft
                .map(|d| d.locale)
                .or(merchant.locale_hint)
                .unwrap_or_default();
            self.answer(query, Some(i18n::text(locale, "chat-old-button")), true)
                .await;
            self.remove_keyboard(chat, message).await;
            return Ok(());
        }
        self.answer(query, None, false).await;
        self.converse(
            event,
            chat,
            &query.from,
            None,
            Inbound::Choice(key.to_owned()),
        )
        .await?;
        self.remove_keyboard(chat, message).await;
        Ok(())
    }

    /// Takes the buttons off a message (best effort: an old message may not be editable).
    pub(super) async fn remove_keyboard(&self, chat: ChatId, message: &MaybeInaccessibleMessage) {
        if let Err(error) = self
            .paced(
                chat,
                self.inner.api.edit_message_reply_markup(chat, message.id()),
            )
            .await
        {
            tracing::debug!(error = %error, "cannot take the buttons off a message");
        }
    }

    /// A message the merchant edited: applied to the question it answered (see
    /// [`Inbound::Edit`]).
    pub(super) async fn merchant_edit(
        &self,
        event: &EventId,
        message: &teloxide::types::Message,
        user: &User,
    ) -> anyhow::Result<()> {
        let inbound = Inbound::Edit {
            message: message.id.0.to_string(),
            text: message.text().unwrap_or_default().to_owned(),
        };
        self.converse(event, message.chat.id, user, None, inbound)
            .await
    }

    /// Whether a private-chat text is a command of another role (`/pending`, `/stats`, or
    /// `/status` with an argument), with its name and argument.
    pub(super) fn manager_command(text: &str) -> Option<(String, String)> {
        let command = Command::parse(text)?;
        let rest = text.trim().strip_prefix('/')?;
        let mut words = rest.splitn(2, char::is_whitespace);
        let name = words
            .next()
            .unwrap_or_default()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let argument = words.next().unwrap_or_default().trim().to_owned();
        match (command, name.as_str()) {
            (Command::Unknown(_), "pending" | "pendentes" | "stats" | "estatisticas") => {
                Some((name, argument))
            }
            (Command::Status, _) if !argument.is_empty() => Some(("status".to_owned(), argument)),
            _ => None,
        }
    }
}
