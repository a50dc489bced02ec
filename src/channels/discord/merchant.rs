//! Merchants on Discord: the slash commands, and the request as a form — buttons for closed
//! questions, a select menu for the category, modals for the text fields (pre-filled with what
//! is already valid), the logo as an attachment of `/onboard`.

use super::{CHANNEL, Discord, Screen, locale_of, notice, truncate};
use crate::channels::files::not_an_image;
use crate::conversation::{Command, Draft, FileProblem, Inbound, Optional, Reply, StepId};
use crate::domain::{Logo, Message, RequestStatus};
use crate::i18n::{self, Locale};
use crate::service::UserKey;
use crate::service::merchant::Merchant;
use serenity::all::{
    Attachment, ButtonStyle, CommandDataOptionValue, CommandInteraction, CommandOptionType,
    ComponentInteraction, ComponentInteractionDataKind, CreateActionRow, CreateButton,
    CreateCommand, CreateCommandOption, CreateInputText, CreateInteractionResponse, CreateModal,
    CreateSelectMenu, CreateSelectMenuKind, CreateSelectMenuOption, InputTextStyle,
    ModalInteraction, User,
};

/// The version of the forms; a modal of another version is refused (the form changed).
const FORM_VERSION: &str = "1";
/// The text fields of the main form, in order (a modal holds five at most).
const MAIN_FORM: [StepId; 5] = [
    StepId::StoreAccount,
    StepId::Email,
    StepId::BusinessId,
    StepId::DisplayName,
    StepId::Phone,
];
/// Discord's limits: a modal's title and an input's label, a button's label, an option's.
const MAX_TITLE: usize = 45;
const MAX_BUTTON_LABEL: usize = 80;
const MAX_OPTION_LABEL: usize = 100;

/// The commands, with their Portuguese names and descriptions.
pub(super) fn commands() -> Vec<CreateCommand> {
    let command = |id: &str| {
        let text = |locale: Locale, part: &str| {
            i18n::text(locale, &format!("discord-command-{id}-{part}"))
        };
        CreateCommand::new(id)
            .description(text(Locale::En, "description"))
            .name_localized("pt-BR", text(Locale::PtBr, "name"))
            .description_localized("pt-BR", text(Locale::PtBr, "description"))
            .dm_permission(true)
    };
    let option = |kind: CommandOptionType, id: &str| {
        let text =
            |locale: Locale, part: &str| i18n::text(locale, &format!("discord-option-{id}-{part}"));
        CreateCommandOption::new(kind, id, text(Locale::En, "description"))
            .name_localized("pt-BR", text(Locale::PtBr, "name"))
            .description_localized("pt-BR", text(Locale::PtBr, "description"))
    };
    let mut status = option(CommandOptionType::String, "status").required(false);
    for s in RequestStatus::ALL {
        status = status.add_string_choice_localized(
            i18n::text(Locale::En, &s.staff_message_id()),
            s.as_str(),
            [("pt-BR", i18n::text(Locale::PtBr, &s.staff_message_id()))],
        );
    }
    vec![
        command("onboard")
            .add_option(option(CommandOptionType::Attachment, "logo").required(false)),
        command("status"),
        command("cancel"),
        command("language"),
        command("help"),
        command("back"),
        command("human"),
        command("erase"),
        command("code").add_option(option(CommandOptionType::String, "code").required(true)),
        command("resend"),
        command("call"),
        command("signup"),
        command("team"),
        command("pending").add_option(status).add_option(
            option(CommandOptionType::Integer, "page")
                .required(false)
                .min_int_value(1),
        ),
        command("stats").add_option(option(CommandOptionType::String, "since").required(false)),
        command("request")
            .add_option(option(CommandOptionType::String, "reference").required(true)),
    ]
}

fn label(text: String, max: usize) -> String {
    truncate(&text, max)
}

/// The screen of a turn: the replies' texts, and for the question it ends with, buttons, a
/// select menu, or a button that opens the form.
pub(super) fn screen(locale: Locale, step: StepId, replies: &[Reply]) -> Screen {
    let mut parts = Vec::new();
    for reply in replies {
        let rendered = reply.render(locale);
        let mut text = String::new();
        if let Some(progress) = reply.progress_line(locale) {
            text.push_str(&progress);
            text.push('\n');
        }
        text.push_str(&rendered.text);
        if matches!(reply.message.id.as_str(), "ask-logo" | "logo-expected-file") {
            text.push('\n');
            text.push_str(&i18n::text(locale, "discord-logo-hint"));
        }
        parts.push(text);
    }
    let mut components = Vec::new();
    let last = replies.last();
    let choices = last.map(|r| r.render(locale).choices).unwrap_or_default();
    let question_step = last.map(|r| r.step).unwrap_or(step);
    if choices.len() > 5 {
        let options = choices
            .iter()
            .take(25)
            .map(|c| {
                CreateSelectMenuOption::new(label(c.label.clone(), MAX_OPTION_LABEL), c.key.clone())
            })
            .collect();
        components.push(CreateActionRow::SelectMenu(
            CreateSelectMenu::new(
                format!("c:{}", question_step.as_str()),
                CreateSelectMenuKind::String { options },
            )
            .placeholder(label(
                i18n::text(locale, "discord-choose"),
                MAX_OPTION_LABEL,
            )),
        ));
    } else if !choices.is_empty() {
        let buttons = choices
            .iter()
            .enumerate()
            .map(|(i, c)| {
                CreateButton::new(format!("c:{}:{}", question_step.as_str(), c.key))
                    .label(label(c.label.clone(), MAX_BUTTON_LABEL))
                    .style(if i == 0 {
                        ButtonStyle::Primary
                    } else {
                        ButtonStyle::Secondary
                    })
            })
            .collect();
        components.push(CreateActionRow::Buttons(buttons));
    }
    // A text question: the form opens from a button (a modal cannot open by itself).
    let only_skip = choices.iter().all(|c| c.key == "skip");
    if step.takes_text() && only_skip && question_step == step {
        let id = if step == StepId::Description {
            "discord-write-description"
        } else {
            "discord-fill-in"
        };
        let open = CreateButton::new(format!("m:{}", step.as_str()))
            .label(label(i18n::text(locale, id), MAX_BUTTON_LABEL))
            .style(ButtonStyle::Primary);
        match components.first_mut() {
            Some(CreateActionRow::Buttons(buttons)) => buttons.insert(0, open),
            _ => components.insert(0, CreateActionRow::Buttons(vec![open])),
        }
    }
    Screen {
        text: parts.join("\n\n"),
        components,
        files: Vec::new(),
    }
}

/// The value a form field is pre-filled with: what is already valid.
fn prefill(draft: &Draft, step: StepId) -> Option<String> {
    let answers = &draft.answers;
    match step {
        StepId::StoreAccount => answers
            .store_account
            .as_ref()
            .map(|p| p.value.as_str().to_owned()),
        StepId::Email => answers.email.as_ref().map(|p| p.value.as_str().to_owned()),
        StepId::BusinessId => answers
            .business_id
            .as_ref()
            .map(|p| p.value.as_str().to_owned()),
        StepId::DisplayName => answers
            .display_name
            .as_ref()
            .map(|p| p.value.as_str().to_owned()),
        StepId::Phone => answers.phone.as_ref().map(|p| p.value.e164().to_owned()),
        StepId::Description => match &answers.description {
            Some(Optional::Given(p)) => Some(p.value.as_str().to_owned()),
            _ => None,
        },
        _ => None,
    }
    .filter(|v| !v.is_empty())
}

/// The modal of a text step: the main form (the fields being fixed, when staff asked for a
/// fix), or the description.
pub(super) fn form(draft: &Draft, step: StepId) -> CreateModal {
    let locale = draft.locale;
    let input = |step: StepId, style: InputTextStyle, required: bool, max: u16| {
        let text = |part: &str| i18n::text(locale, &format!("discord-{part}-{}", step.slug()));
        let mut input = CreateInputText::new(style, label(text("label"), MAX_TITLE), step.as_str())
            .placeholder(label(text("placeholder"), MAX_OPTION_LABEL))
            .required(required)
            .max_length(max);
        if let Some(value) = prefill(draft, step) {
            input = input.value(value);
        }
        CreateActionRow::InputText(input)
    };
    if step == StepId::Description {
        return CreateModal::new(
            format!("form:{FORM_VERSION}:{}", step.as_str()),
            label(i18n::text(locale, "discord-description-title"), MAX_TITLE),
        )
        .components(vec![input(
            StepId::Description,
            InputTextStyle::Paragraph,
            false,
            512,
        )]);
    }
    let fixing: Vec<StepId> = draft
        .fixing
        .as_ref()
        .map(|f| {
            f.fields
                .iter()
                .copied()
                .filter(|s| MAIN_FORM.contains(s))
                .collect()
        })
        .unwrap_or_default();
    let fields = if fixing.is_empty() {
        MAIN_FORM.to_vec()
    } else {
        fixing
    };
    CreateModal::new(
        format!("form:{FORM_VERSION}:{}", step.as_str()),
        label(i18n::text(locale, "discord-form-title"), MAX_TITLE),
    )
    .components(
        fields
            .into_iter()
            .map(|s| input(s, InputTextStyle::Short, true, 256))
            .collect(),
    )
}

impl Discord {
    /// The merchant behind a Discord user.
    pub(super) fn merchant(user: &User, locale: &str) -> Merchant {
        Merchant {
            key: UserKey::new(CHANNEL, &user.id.get().to_string()),
            locale_hint: Some(locale_of(locale)),
        }
    }

    /// One turn of a merchant's conversation; the screen it leaves (the current question again
    /// when the interaction was already handled).
    pub(super) async fn turn(
        &self,
        merchant: &Merchant,
        interaction: &str,
        inbound: Inbound,
    ) -> anyhow::Result<Screen> {
        let outcome = self
            .inner
            .service
            .handle(merchant, interaction, inbound)
            .await?;
        let replies = match &outcome.question {
            Some(question) => std::slice::from_ref(question),
            None => &outcome.replies,
        };
        Ok(screen(outcome.locale, outcome.step, replies))
    }

    /// A slash command.
    pub(super) async fn command(
        &self,
        command: CommandInteraction,
    ) -> anyhow::Result<CreateInteractionResponse> {
        let ephemeral = command.guild_id.is_some();
        let locale = locale_of(&command.locale);
        let inbound = match command.data.name.as_str() {
            "onboard" => {
                let attachment = command.data.options.iter().find_map(|o| match &o.value {
                    CommandDataOptionValue::Attachment(id) => {
                        command.data.resolved.attachments.get(id)
                    }
                    _ => None,
                });
                match attachment.cloned() {
                    Some(attachment) => match self.logo_now(&command, &attachment).await? {
                        // Known without reading the file: answered at once.
                        Some(inbound) => inbound,
                        None => return Ok(self.logo(command, attachment, ephemeral)),
                    },
                    None => Inbound::Start,
                }
            }
            "status" => Inbound::Command(Command::Status),
            "cancel" => Inbound::Command(Command::Cancel),
            "language" => Inbound::Command(Command::Language),
            "help" => Inbound::Command(Command::Help),
            "back" => Inbound::Command(Command::Back),
            "human" => Inbound::Command(Command::Human),
            "erase" => Inbound::Command(Command::Erase),
            "resend" => Inbound::Command(Command::Resend),
            "call" => Inbound::Command(Command::Call),
            "signup" => Inbound::Command(Command::Signup),
            "team" => Inbound::Command(Command::Team),
            // The registration code Meta sent, typed as the command's option.
            "code" => Inbound::Text(
                command
                    .data
                    .options
                    .iter()
                    .find_map(|o| o.value.as_str().map(str::to_owned))
                    .unwrap_or_default(),
            ),
            "pending" | "stats" | "request" => return self.manager_command(&command).await,
            _ => return Ok(notice(locale, Message::new("discord-unknown"), true)),
        };
        let merchant = Self::merchant(&command.user, &command.locale);
        let screen = self
            .turn(&merchant, &command.id.get().to_string(), inbound)
            .await?;
        Ok(CreateInteractionResponse::Message(
            screen.message(ephemeral),
        ))
    }

    /// What an attached logo is when that is known without reading it: not the logo
    /// question (nothing is downloaded; the conversation says what it expects), a declared
    /// size over the limit, a declared type that is not an image. `None`: it must be read.
    async fn logo_now(
        &self,
        command: &CommandInteraction,
        attachment: &Attachment,
    ) -> anyhow::Result<Option<Inbound>> {
        let merchant = Self::merchant(&command.user, &command.locale);
        let at_logo = self
            .inner
            .service
            .draft(&merchant.key)
            .await?
            .is_some_and(|d| d.step == StepId::Logo && d.pending.is_none());
        if !at_logo {
            return Ok(Some(Inbound::File {
                name: String::new(),
                bytes: Vec::new(),
            }));
        }
        if u64::from(attachment.size) > Logo::MAX_BYTES {
            return Ok(Some(Inbound::Unreadable(FileProblem::TooLarge {
                bytes: u64::from(attachment.size),
            })));
        }
        if let Some(format) = attachment.content_type.as_deref().and_then(not_an_image) {
            return Ok(Some(Inbound::Unreadable(FileProblem::NotAnImage {
                format,
            })));
        }
        Ok(None)
    }

    /// `/onboard` with a logo to read: the answer is deferred (a download can outlast
    /// Discord's three seconds) and put in place when the file is read and checked.
    fn logo(
        &self,
        command: CommandInteraction,
        attachment: Attachment,
        ephemeral: bool,
    ) -> CreateInteractionResponse {
        let this = self.clone();
        let token = command.token.clone();
        self.deferred(token, async move {
            let merchant = Self::merchant(&command.user, &command.locale);
            let inbound = this.attachment(&attachment).await;
            match this
                .turn(&merchant, &command.id.get().to_string(), inbound)
                .await
            {
                Ok(screen) => screen,
                Err(error) => {
                    tracing::error!(error = format!("{error:#}"), "Discord logo failed");
                    Screen::text(i18n::text(locale_of(&command.locale), "error-internal"))
                }
            }
        });
        CreateInteractionResponse::Defer(
            serenity::all::CreateInteractionResponseMessage::new().ephemeral(ephemeral),
        )
    }

    /// The logo an attachment carries (its declared size and type already checked).
    async fn attachment(&self, attachment: &Attachment) -> Inbound {
        match self.download(&attachment.url).await {
            Ok(bytes) => Inbound::File {
                name: attachment.filename.clone(),
                bytes,
            },
            Err(problem) => Inbound::Unreadable(problem),
        }
    }

    /// Downloads at most the logo limit plus one byte, whatever the server sends.
    async fn download(&self, url: &str) -> Result<Vec<u8>, FileProblem> {
        let mut response = self
            .inner
            .downloads
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|error| {
                tracing::warn!(error = %error.without_url(), "attachment download failed");
                FileProblem::Unreadable
            })?;
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() as u64 > Logo::MAX_BYTES {
                        return Err(FileProblem::TooLarge {
                            bytes: bytes.len() as u64,
                        });
                    }
                }
                Ok(None) => return Ok(bytes),
                Err(error) => {
                    tracing::warn!(error = %error.without_url(), "attachment download failed");
                    return Err(FileProblem::Unreadable);
                }
            }
        }
    }

    /// A button or select menu.
    pub(super) async fn component(
        &self,
        component: ComponentInteraction,
    ) -> anyhow::Result<CreateInteractionResponse> {
        let id = component.data.custom_id.clone();
        let merchant = Self::merchant(&component.user, &component.locale);
        let (kind, rest) = id.split_once(':').unwrap_or((id.as_str(), ""));
        let draft = self.inner.service.draft(&merchant.key).await?;
        let current = draft.as_ref().map(|d| d.step.as_str());
        let locale = draft
            .as_ref()
            .map(|d| d.locale)
            .unwrap_or_else(|| locale_of(&component.locale));
        match kind {
            "c" => {
                let (step, key) = match (&component.data.kind, rest.split_once(':')) {
                    (ComponentInteractionDataKind::StringSelect { values }, _) => {
                        (rest, values.first().cloned().unwrap_or_default())
                    }
                    (_, Some((step, key))) => (step, key.to_owned()),
                    _ => return Ok(notice(locale, Message::new("discord-unknown"), true)),
                };
                let event = component.id.get().to_string();
                // A redelivered press answered the question it belonged to: it gets the
                // current screen again (from `turn`), not the notice of an old button.
                if current != Some(step)
                    && !self.inner.service.is_handled(&merchant, &event).await?
                {
                    return Ok(notice(locale, Message::new("chat-old-button"), true));
                }
                let screen = self.turn(&merchant, &event, Inbound::Choice(key)).await?;
                Ok(screen.update())
            }
            "m" => match (draft, StepId::parse(rest)) {
                (Some(draft), Some(step))
                    if draft.step == step && step.takes_text() && draft.pending.is_none() =>
                {
                    Ok(CreateInteractionResponse::Modal(form(&draft, step)))
                }
                _ => Ok(notice(locale, Message::new("chat-old-button"), true)),
            },
            _ => Ok(notice(locale, Message::new("discord-unknown"), true)),
        }
    }

    /// A submitted modal: a form of the merchant's, or a staff member's reason.
    pub(super) async fn modal(
        &self,
        modal: ModalInteraction,
    ) -> anyhow::Result<CreateInteractionResponse> {
        let id = modal.data.custom_id.clone();
        let merchant = Self::merchant(&modal.user, &modal.locale);
        let draft = self.inner.service.draft(&merchant.key).await?;
        let locale = draft
            .as_ref()
            .map(|d| d.locale)
            .unwrap_or_else(|| locale_of(&modal.locale));
        let mut parts = id.split(':');
        let (Some("form"), Some(version), Some(step)) = (parts.next(), parts.next(), parts.next())
        else {
            return Ok(notice(locale, Message::new("discord-unknown"), true));
        };
        // A form of another version, or opened at a question the conversation has left.
        let current = draft.as_ref().map(|d| d.step.as_str());
        let event = modal.id.get().to_string();
        if (version != FORM_VERSION || current != Some(step))
            && !self.inner.service.is_handled(&merchant, &event).await?
        {
            return Ok(notice(locale, Message::new("discord-old-form"), true));
        }
        let mut fields = Vec::new();
        for row in &modal.data.components {
            for component in &row.components {
                if let serenity::all::ActionRowComponent::InputText(input) = component
                    && let Some(step) = StepId::parse(&input.custom_id).filter(|s| s.takes_text())
                {
                    fields.push((step, input.value.clone().unwrap_or_default()));
                }
            }
        }
        if fields.is_empty() {
            return Ok(notice(locale, Message::new("discord-old-form"), true));
        }
        let screen = self
            .turn(&merchant, &event, Inbound::Fields(fields))
            .await?;
        Ok(if modal.message.is_some() {
            screen.update()
        } else {
            CreateInteractionResponse::Message(screen.message(modal.guild_id.is_some()))
        })
    }
}
