//! Staff and managers on Discord: a thread per request in the staff channel, whose first
//! message (fields, findings, logo, status) is edited as the request moves and carries the
//! buttons of the moves staff may make; reason modals for asking a fix and rejecting; the
//! `/pending`, `/stats` and `/request` queries. Roles come from the member's roles.

use super::{CHANNEL, Discord, locale_of, notice, text_message, truncate};
use crate::conversation::{StepId, field_label};
use crate::domain::{Message, RequestStatus, Role};
use crate::i18n::{self, Locale};
use crate::service::RequestRow;
use crate::service::events::EventId;
use crate::service::lifecycle::{Actor, LifecycleError};
use crate::service::staff::CHART_FILE;
use crate::service::staff::{self, ButtonAction, Reason, StaffAction, StaffError, StaffQuery};
use crate::tickets::{BoxFuture, HelpWanted, StaffBoard};
use serenity::all::{
    ButtonStyle, ChannelId, CommandDataOptionValue, CommandInteraction, ComponentInteraction,
    ComponentInteractionDataKind, CreateActionRow, CreateAttachment, CreateButton, CreateEmbed,
    CreateInputText, CreateInteractionResponse, CreateMessage, CreateModal, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption, CreateThread, EditMessage, InputTextStyle,
    MessageId, ModalInteraction, User,
};

/// The fields to ask a fix of: `f:<reference>` (a select menu, Discord's form of the field
/// buttons).
pub(super) const FIELD: &str = "f:";
/// A reason modal: `r:<status>:<field positions>:<reference>`.
pub(super) const REASON: &str = "r:";

/// Whether a button or menu is a staff control (a move, or the fields to fix).
pub(super) fn is_staff_component(component: &ComponentInteraction) -> bool {
    let id = &component.data.custom_id;
    id.starts_with(staff::MOVE_PREFIX) || id.starts_with(FIELD)
}

/// Whether a submitted form is a staff member's reason.
pub(super) fn is_staff_modal(modal: &ModalInteraction) -> bool {
    modal.data.custom_id.starts_with(REASON)
}

fn post_id(channel: ChannelId, message: MessageId) -> String {
    format!("{}:{}", channel.get(), message.get())
}

fn parse_post(post: &str) -> Option<(ChannelId, MessageId)> {
    let (channel, message) = post.split_once(':')?;
    let channel: u64 = channel.parse().ok().filter(|id| *id != 0)?;
    let message: u64 = message.parse().ok().filter(|id| *id != 0)?;
    Some((ChannelId::new(channel), MessageId::new(message)))
}

/// How history names a Discord user: their id (stable) and their name.
fn actor_id(user: &User) -> String {
    format!("{CHANNEL}:{} ({})", user.id.get(), user.name)
}

/// The buttons of the moves staff may make from the request's status (five to a row).
fn move_rows(buttons: Vec<staff::StaffButton>, locale: Locale) -> Vec<CreateActionRow> {
    let buttons: Vec<CreateButton> = buttons
        .into_iter()
        .map(|button| {
            let style = match button.style {
                staff::ButtonStyle::Primary => ButtonStyle::Primary,
                staff::ButtonStyle::Secondary => ButtonStyle::Secondary,
                staff::ButtonStyle::Danger => ButtonStyle::Danger,
            };
            CreateButton::new(button.action.encode())
                .label(truncate(&i18n::render(locale, &button.label), 80))
                .style(style)
        })
        .collect();
    buttons
        .chunks(5)
        .map(|row| CreateActionRow::Buttons(row.to_vec()))
        .collect()
}

impl Discord {
    fn staff_locale(&self) -> Locale {
        self.inner.settings.staff_locale
    }

    /// The embed of a request's post (its full report) and its buttons, both from one reading
    /// of the request.
    async fn post_content(
        &self,
        request: &RequestRow,
        logo: Option<&str>,
    ) -> anyhow::Result<(CreateEmbed, Vec<CreateActionRow>)> {
        let locale = self.staff_locale();
        let post = self
            .inner
            .staff
            .post(&request.reference, locale)
            .await
            .map_err(anyhow::Error::from)?;
        let mut embed = CreateEmbed::new()
            .title(truncate(
                &super::literal(&i18n::render(locale, &post.title)),
                256,
            ))
            .description(truncate(
                &super::literal(&post.body),
                super::MAX_EMBED_CHARS,
            ));
        if let Some(name) = logo {
            embed = embed.attachment(name);
        }
        Ok((embed, move_rows(post.buttons, locale)))
    }

    /// Refuses someone without the role.
    fn refuse(&self, locale: Locale, id: &str) -> CreateInteractionResponse {
        notice(locale, Message::new(id), true)
    }

    /// A staff button or the field select.
    pub(super) async fn staff_component(
        &self,
        component: &ComponentInteraction,
    ) -> anyhow::Result<CreateInteractionResponse> {
        let locale = locale_of(&component.locale);
        if !self.roles(component.member.as_ref()).staff {
            tracing::warn!(
                user = component.user.id.get(),
                "staff button pressed without the role"
            );
            return Ok(self.refuse(locale, "discord-not-staff"));
        }
        let id = component.data.custom_id.as_str();
        if let Some(reference) = id.strip_prefix(FIELD) {
            let ComponentInteractionDataKind::StringSelect { values } = &component.data.kind else {
                return Ok(notice(locale, Message::new("discord-unknown"), true));
            };
            let positions: Vec<String> = values
                .iter()
                .filter_map(|v| StepId::parse(v))
                .filter(|s| StepId::FIXABLE.contains(s))
                .filter_map(|s| s.position().map(|p| p.to_string()))
                .collect();
            if positions.is_empty() {
                return Ok(notice(locale, Message::new("lifecycle-no-fields"), true));
            }
            return Ok(reason_modal(
                locale,
                RequestStatus::NeedsInfo,
                &positions.join(","),
                reference,
            ));
        }
        // Field picks are Telegram's buttons; here the fields come from the select menu above.
        let action = ButtonAction::decode(id).filter(|a| !matches!(a, ButtonAction::Field { .. }));
        let Some(action) = action else {
            return Ok(notice(locale, Message::new("discord-unknown"), true));
        };
        match action {
            ButtonAction::AskFix { reference } => {
                let options = StepId::FIXABLE
                    .into_iter()
                    .map(|step| {
                        CreateSelectMenuOption::new(
                            truncate(&i18n::render(locale, &field_label(step)), 100),
                            step.as_str(),
                        )
                    })
                    .collect();
                let select = CreateSelectMenu::new(
                    format!("{FIELD}{reference}"),
                    CreateSelectMenuKind::String { options },
                )
                .min_values(1)
                .max_values(StepId::FIXABLE.len() as u8)
                .placeholder(truncate(
                    &i18n::render(
                        locale,
                        &Message::new("discord-pick-fields").text("reference", &reference),
                    ),
                    150,
                ));
                Ok(CreateInteractionResponse::Message(
                    text_message(
                        &i18n::render(
                            locale,
                            &Message::new("discord-pick-fields").text("reference", &reference),
                        ),
                        true,
                    )
                    .components(vec![CreateActionRow::SelectMenu(select)]),
                ))
            }
            ButtonAction::Reject { reference } => Ok(reason_modal(
                locale,
                RequestStatus::Rejected,
                "-",
                &reference,
            )),
            ButtonAction::Move { reference, to } => {
                let actor = Actor {
                    role: Role::Staff,
                    id: actor_id(&component.user),
                };
                let event = EventId::new(CHANNEL, component.id.get().to_string());
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
                        Some(&event),
                    )
                    .await;
                self.outcome(locale, result)
            }
            ButtonAction::Field { .. } => Ok(notice(locale, Message::new("discord-unknown"), true)),
        }
    }

    /// What a staff member reads after acting (a redelivered interaction: that it was done).
    fn outcome(
        &self,
        locale: Locale,
        result: Result<Message, StaffError>,
    ) -> anyhow::Result<CreateInteractionResponse> {
        match result {
            Ok(done) => Ok(notice(locale, done, true)),
            Err(StaffError::Lifecycle(LifecycleError::Internal(error))) => Err(error),
            Err(error) => Ok(notice(locale, error.message(), true)),
        }
    }

    /// A submitted reason: asking a fix or rejecting.
    pub(super) async fn staff_reason(
        &self,
        modal: &ModalInteraction,
    ) -> anyhow::Result<CreateInteractionResponse> {
        let locale = locale_of(&modal.locale);
        if !self.roles(modal.member.as_ref()).staff {
            return Ok(self.refuse(locale, "discord-not-staff"));
        }
        let mut parts = modal.data.custom_id.splitn(4, ':');
        let (Some(_), Some(status), Some(fields), Some(reference)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Ok(notice(locale, Message::new("discord-unknown"), true));
        };
        let reason = modal
            .data
            .components
            .iter()
            .flat_map(|row| row.components.iter())
            .find_map(|c| match c {
                serenity::all::ActionRowComponent::InputText(input)
                    if input.custom_id == "reason" =>
                {
                    input.value.clone()
                }
                _ => None,
            })
            .unwrap_or_default();
        let reason = match Reason::parse(&reason) {
            Ok(reason) => reason,
            Err(error) => return Ok(notice(locale, error.message(), true)),
        };
        let actor = Actor {
            role: Role::Staff,
            id: actor_id(&modal.user),
        };
        let reference = reference.to_owned();
        let action = match RequestStatus::parse(status) {
            Some(RequestStatus::NeedsInfo) => StaffAction::AskFix {
                reference,
                fields: fields
                    .split(',')
                    .filter_map(|p| p.parse::<usize>().ok())
                    .filter_map(|p| p.checked_sub(1).and_then(|i| StepId::FIELDS.get(i)))
                    .copied()
                    .collect(),
                reason,
            },
            Some(RequestStatus::Rejected) => StaffAction::Reject { reference, reason },
            _ => return Ok(notice(locale, Message::new("discord-unknown"), true)),
        };
        let event = EventId::new(CHANNEL, modal.id.get().to_string());
        let result = self.inner.staff.act(&actor, action, Some(&event)).await;
        self.outcome(locale, result)
    }

    /// `/pending [status]`, `/stats`, `/request REF`, for staff and managers.
    pub(super) async fn manager_command(
        &self,
        command: &CommandInteraction,
    ) -> anyhow::Result<CreateInteractionResponse> {
        let locale = locale_of(&command.locale);
        let roles = self.roles(command.member.as_deref());
        if !(roles.staff || roles.manager) {
            return Ok(self.refuse(locale, "discord-not-allowed"));
        }
        let option = |name: &str| {
            command
                .data
                .options
                .iter()
                .find_map(|o| match (&o.value, o.name == name) {
                    (CommandDataOptionValue::String(value), true) => Some(value.clone()),
                    _ => None,
                })
        };
        let status = match option("status") {
            None => None,
            Some(text) => match RequestStatus::parse(&text) {
                Some(status) => Some(status),
                None => {
                    let message = Message::new("cli-unknown-status").text("status", text);
                    return Ok(notice(locale, message, true));
                }
            },
        };
        let query = match command.data.name.as_str() {
            "pending" => {
                let page = command.data.options.iter().find_map(|o| match &o.value {
                    CommandDataOptionValue::Integer(page) if o.name == "page" => Some(*page),
                    _ => None,
                });
                match page.map(usize::try_from) {
                    None => StaffQuery::Pending { status, page: 1 },
                    Some(Ok(page)) if page >= 1 => StaffQuery::Pending { status, page },
                    Some(_) => {
                        let value = page.unwrap_or_default().to_string();
                        let message = Message::new("requests-bad-page").text("value", value);
                        return Ok(notice(locale, message, true));
                    }
                }
            }
            "stats" => StaffQuery::Stats {
                since: option("since"),
            },
            _ => StaffQuery::Status {
                reference_or_account: option("reference").unwrap_or_default(),
            },
        };
        let actor = Actor {
            role: if roles.staff {
                Role::Staff
            } else {
                Role::Manager
            },
            id: actor_id(&command.user),
        };
        let staff = self.inner.staff.clone();
        // Reports read every request: answered after a deferral, whatever their number.
        self.deferred(command.token.clone(), async move {
            let (text, chart) = match staff.ask(&actor, query).await {
                Ok(answer) => (
                    answer.render(locale, crate::service::reports::Surface::Discord),
                    answer.chart(locale),
                ),
                Err(StaffError::Lifecycle(LifecycleError::Internal(error))) => {
                    tracing::error!(error = format!("{error:#}"), "Discord query failed");
                    (i18n::text(locale, "error-internal"), None)
                }
                Err(error) => (i18n::render(locale, &error.message()), None),
            };
            let mut screen = super::Screen::text(text);
            if let Some(png) = chart {
                screen
                    .files
                    .push(serenity::all::CreateAttachment::bytes(png, CHART_FILE));
            }
            screen
        });
        Ok(CreateInteractionResponse::Defer(
            serenity::all::CreateInteractionResponseMessage::new().ephemeral(true),
        ))
    }

    fn staff_channel(&self) -> anyhow::Result<ChannelId> {
        self.inner
            .settings
            .staff_channel
            .ok_or_else(|| anyhow::anyhow!("no Discord staff channel configured"))
    }
}

/// The modal asking a staff member for a reason.
fn reason_modal(
    locale: Locale,
    to: RequestStatus,
    fields: &str,
    reference: &str,
) -> CreateInteractionResponse {
    let (title, label) = match to {
        RequestStatus::NeedsInfo => ("discord-reason-ask-title", "discord-reason-ask-label"),
        _ => ("discord-reason-reject-title", "discord-reason-reject-label"),
    };
    let input = CreateInputText::new(
        InputTextStyle::Paragraph,
        truncate(&i18n::text(locale, label), 45),
        "reason",
    )
    .required(true)
    .min_length(3)
    .max_length(1000);
    CreateInteractionResponse::Modal(
        CreateModal::new(
            format!("{REASON}{}:{fields}:{reference}", to.as_str()),
            truncate(
                &i18n::render(locale, &Message::new(title).text("reference", reference)),
                45,
            ),
        )
        .components(vec![CreateActionRow::InputText(input)]),
    )
}

impl StaffBoard for Discord {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    fn post<'a>(
        &'a self,
        request: &'a RequestRow,
        logo: &'a [u8],
    ) -> BoxFuture<'a, anyhow::Result<String>> {
        Box::pin(async move {
            let channel = self.staff_channel()?;
            let name = format!("logo.{}", request.logo_format);
            let with_logo = !logo.is_empty();
            let (embed, buttons) = self
                .post_content(request, with_logo.then_some(name.as_str()))
                .await?;
            let mut message = CreateMessage::new().embed(embed).components(buttons);
            if with_logo {
                message = message.add_file(CreateAttachment::bytes(logo.to_vec(), name.clone()));
            }
            self.pace().await?;
            let sent = channel.send_message(&self.inner.http, message).await?;
            // The request's thread, for the team's conversation about it.
            let thread = truncate(
                &format!("{} · {}", request.reference, request.display_name),
                100,
            );
            self.pace().await?;
            if let Err(error) = channel
                .create_thread_from_message(&self.inner.http, sent.id, CreateThread::new(thread))
                .await
            {
                tracing::warn!(error = %error, reference = %request.reference, "cannot open the request's thread");
            }
            Ok(post_id(channel, sent.id))
        })
    }

    fn refresh<'a>(
        &'a self,
        request: &'a RequestRow,
        post: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let Some((channel, message)) = parse_post(post) else {
                anyhow::bail!("not a Discord post: {post}");
            };
            let logo = format!("logo.{}", request.logo_format);
            let with_logo = request.logo_bytes > 0;
            let (embed, buttons) = self
                .post_content(request, with_logo.then_some(logo.as_str()))
                .await?;
            let edit = EditMessage::new().embed(embed).components(buttons);
            self.pace().await?;
            match channel.edit_message(&self.inner.http, message, edit).await {
                Ok(_) => Ok(()),
                Err(error) if super::is_gone(&error) => {
                    tracing::warn!(reference = %request.reference, "the staff post is gone; not updated");
                    Ok(())
                }
                Err(error) => Err(error.into()),
            }
        })
    }

    fn help_wanted<'a>(&'a self, help: &'a HelpWanted) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            // A Discord merchant is mentioned, so that staff can open a conversation.
            let who = if help.channel == CHANNEL {
                format!("<@{}>", help.user_id)
            } else {
                format!("{}:{}", help.channel, help.user_id)
            };
            // The mention links to the merchant without pinging them.
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

impl Discord {
    /// Posts `message`, in the staff language, in the staff channel, pinging nobody.
    async fn say_to_staff(&self, message: &Message) -> anyhow::Result<()> {
        let channel = self.staff_channel()?;
        let text = i18n::render(self.staff_locale(), message);
        let message = CreateMessage::new()
            .content(truncate(&super::literal(&text), 2000))
            .allowed_mentions(serenity::all::CreateAllowedMentions::new());
        self.pace().await?;
        channel.send_message(&self.inner.http, message).await?;
        Ok(())
    }
}
