//! What staff do and what staff and managers ask, written once for every channel. A channel
//! turns a button press, a reply or a command into a [`StaffAction`] or a [`StaffQuery`] with
//! the [`Actor`] it established (group membership, Discord roles, the command line's login),
//! and renders what comes back; the rules live here and in the domain's transition table.
//!
//! ```text
//! [post] WA-000042 · Loja Azul — received     [In review] [Ask for a fix…] [Reject…] [Cancelled]
//! staff presses "Ask for a fix…"            → picks "Display name" → replies "The site says
//!                                             Loja Azul Calçados" → needs_info, merchant told
//! staff presses "Reject…", replies "ok"      → "The reason is missing…" (nothing moves)
//! manager: /pending in_review · /stats · /status WA-000042 (or the store account)
//! ```

use crate::clock::Clock;
use crate::conversation::{StepId, field_label};
use crate::domain::{Message, RequestStatus, Role};
use crate::i18n::{self, Locale};
use crate::service::chart;
use crate::service::events::EventId;
use crate::service::lifecycle::{Actor, Lifecycle, LifecycleError, Report};
use crate::service::listing::{CHAT_PAGE, ListQuery, Page};
use crate::service::pipeline::{Period, PeriodError, PipelineStats};
use crate::service::reports;
use crate::service::reports::Surface;
use crate::storage::{RequestRow, StaffPrompt, Store};
use std::sync::Arc;

/// Shortest reason staff may give for asking a fix or rejecting (in characters).
pub const MIN_REASON_CHARS: usize = 3;

/// Something staff do to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffAction {
    /// Moves the request to a status that needs no reason (`in_review`,
    /// `awaiting_client_approval`, `approved_by_client`, `number_registered`, `active`,
    /// `cancelled`).
    Move {
        /// The request's reference (`WA-000042`).
        reference: String,
        /// Where to.
        to: RequestStatus,
        /// A word for the merchant, if staff gave one (it comes with the notification).
        reason: Option<String>,
    },
    /// Asks the merchant to fix `fields` (the request goes to `needs_info`).
    AskFix {
        /// The request's reference.
        reference: String,
        /// The fields to fix (steps that hold an answer).
        fields: Vec<StepId>,
        /// Why, as the merchant will read it.
        reason: Reason,
    },
    /// Rejects the request (final).
    Reject {
        /// The request's reference.
        reference: String,
        /// Why, as the merchant will read it.
        reason: Reason,
    },
    /// Erases the personal data of the request at its merchant's request (LGPD), cancelling
    /// it first if open; staff only.
    Erase {
        /// The request's reference.
        reference: String,
    },
    /// Leaves a note on the request, for staff only or shown to the merchant too.
    Note {
        /// The request's reference.
        reference: String,
        /// The note.
        text: String,
        /// Whether the merchant is told.
        visible: bool,
    },
}

/// A question of staff or managers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffQuery {
    /// Where a request stands, by reference or store account.
    Status {
        /// `WA-000042` or a store account name.
        reference_or_account: String,
    },
    /// The open requests, oldest first, with their ages and overdue flags, a page of
    /// [`CHAT_PAGE`] at a time.
    Pending {
        /// Only those in this status.
        status: Option<RequestStatus>,
        /// The page, from 1.
        page: usize,
    },
    /// The pipeline over a period up to today, with its chart.
    Stats {
        /// Its first day as typed (`YYYY-MM-DD`); none for the last
        /// [`crate::service::pipeline::DEFAULT_DAYS`] days.
        since: Option<String>,
    },
}

/// A reason staff gave: at least [`MIN_REASON_CHARS`] characters once trimmed, and not a
/// command (a reply of "ok" or "/cancel" to "why?" is not a reason for a final rejection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    /// A reason from what staff typed.
    ///
    /// # Errors
    /// [`StaffError::ReasonMissing`] when it is too short or a command;
    /// [`StaffError::ReasonHiddenChar`] when it holds a control or invisible character, refused
    /// as in every free-text field (the merchant reads the reason).
    pub fn parse(text: &str) -> Result<Reason, StaffError> {
        let text = text.trim();
        if text.chars().count() < MIN_REASON_CHARS || text.starts_with('/') {
            return Err(StaffError::ReasonMissing);
        }
        if let Some((c, _)) = crate::domain::text::hidden_char(text, true) {
            return Err(StaffError::ReasonHiddenChar(c));
        }
        Ok(Reason(text.to_owned()))
    }

    /// The reason.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why staff's action or query was not done.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// The reason is missing or is no reason.
    #[error("the reason is missing")]
    ReasonMissing,
    /// The reason holds a control or invisible character (the one named).
    #[error("the reason holds a hidden character")]
    ReasonHiddenChar(char),
    /// Only staff and managers may ask.
    #[error("only staff and managers may ask")]
    NotAllowed,
    /// Only staff may do that (notes).
    #[error("only staff may do that")]
    StaffOnly,
    /// The lifecycle refused (not found, not allowed from this status, for this role…).
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    /// The period asked for statistics is malformed, in the future or empty.
    #[error(transparent)]
    Period(#[from] PeriodError),
}

impl StaffError {
    /// What the person who acted reads; the one mapping of refusals to messages. An internal
    /// error reads as such (its cause is logged, not shown).
    pub fn message(&self) -> Message {
        match self {
            StaffError::ReasonMissing => Message::new("staff-reason-missing"),
            StaffError::ReasonHiddenChar(c) => Message::new("staff-reason-hidden-char")
                .text("char", crate::domain::text::code_point(*c)),
            StaffError::NotAllowed => Message::new("staff-queries-not-allowed"),
            StaffError::StaffOnly => Message::new("staff-only"),
            StaffError::Lifecycle(error) => error.message(),
            StaffError::Period(error) => error.message(),
        }
    }

    /// Whether it is the platform delivering the same event again (already handled: nothing
    /// to say).
    pub fn is_duplicate(&self) -> bool {
        matches!(self, StaffError::Lifecycle(LifecycleError::Duplicate))
    }

    /// The internal error behind it, if it is one (to log, and to have the event delivered
    /// again).
    pub fn internal(&self) -> Option<&anyhow::Error> {
        match self {
            StaffError::Lifecycle(LifecycleError::Internal(error)) => Some(error),
            _ => None,
        }
    }
}

/// What a query found, to render in the reader's language.
#[derive(Debug, Clone)]
pub enum Answer {
    /// The requests a reference or store account names.
    Reports(Vec<Report>),
    /// A page of the open requests.
    Pending(Page),
    /// The pipeline over a period.
    Stats(PipelineStats),
}

impl Answer {
    /// As text for staff and managers reading it on `surface` (where the next page's command
    /// differs).
    pub fn render(&self, locale: Locale, surface: Surface) -> String {
        match self {
            Answer::Reports(reports) => reports
                .iter()
                .map(|r| reports::report_text(r, locale))
                .collect::<Vec<_>>()
                .join("\n\n"),
            Answer::Pending(page) => reports::list_text(page, locale, surface),
            Answer::Stats(stats) => reports::stats_text(stats, locale),
        }
    }
}

/// The file name a chart is sent under.
pub const CHART_FILE: &str = "pipeline.png";

impl Answer {
    /// The chart that goes with it, as PNG: the pipeline's for [`Answer::Stats`], none for the
    /// others. A chart that fails to draw is logged and left out; the text still goes.
    pub fn chart(&self, locale: Locale) -> Option<Vec<u8>> {
        let Answer::Stats(stats) = self else {
            return None;
        };
        chart::render(stats, locale)
            .inspect_err(|error| tracing::error!(error = format!("{error:#}"), "chart failed"))
            .ok()
    }
}

/// Staff's and managers' side of the service.
#[derive(Clone)]
pub struct Staff {
    lifecycle: Lifecycle,
}

impl Staff {
    /// On a store, with a clock.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Staff {
        Staff {
            lifecycle: Lifecycle::new(store, clock),
        }
    }

    /// The lifecycle it acts through.
    pub fn lifecycle(&self) -> &Lifecycle {
        &self.lifecycle
    }

    /// Does `action` as `actor`; at most once for a platform `event`: a redelivered event is
    /// refused as a duplicate. Who may do what is the
    /// domain's transition table (managers query, they do not move requests). Returns what the
    /// actor reads.
    ///
    /// # Errors
    /// [`StaffError`]: the lifecycle's refusal, a duplicate event, or an internal error.
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn act(
        &self,
        actor: &Actor,
        action: StaffAction,
        event: Option<&EventId>,
    ) -> Result<Message, StaffError> {
        let lifecycle = match event {
            Some(event) => self.lifecycle.once(&event.to_string()),
            None => self.lifecycle.clone(),
        };
        match action {
            StaffAction::Move {
                reference,
                to,
                reason,
            } => {
                // Moves that need more go through their own actions.
                match to {
                    RequestStatus::NeedsInfo => return Err(LifecycleError::NoFields.into()),
                    RequestStatus::Rejected => return Err(StaffError::ReasonMissing),
                    _ => {}
                }
                let reason = reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
                let request = lifecycle.advance(&reference, to, actor, reason).await?;
                Ok(moved(&request.reference, to))
            }
            StaffAction::AskFix {
                reference,
                fields,
                reason,
            } => {
                let fields: Vec<String> = fields.iter().map(|f| f.as_str().to_owned()).collect();
                let request = lifecycle
                    .ask(&reference, &fields, reason.as_str(), actor)
                    .await?;
                Ok(Message::new("requests-asked").text("reference", request.reference))
            }
            StaffAction::Reject { reference, reason } => {
                let to = RequestStatus::Rejected;
                let request = lifecycle
                    .advance(&reference, to, actor, Some(reason.as_str()))
                    .await?;
                Ok(moved(&request.reference, to))
            }
            StaffAction::Note {
                reference,
                text,
                visible,
            } => {
                if actor.role != Role::Staff {
                    return Err(StaffError::StaffOnly);
                }
                lifecycle.note(&reference, actor, &text, visible).await?;
                Ok(Message::new("requests-noted").text("reference", reference.trim()))
            }
            StaffAction::Erase { reference } => {
                if actor.role != Role::Staff {
                    return Err(StaffError::StaffOnly);
                }
                let request = lifecycle.erase(&reference, actor).await?;
                Ok(Message::new("requests-erased").text("reference", request.reference))
            }
        }
    }

    /// Remembers a question put to a staff member (the reason for a rejection or a fix, to be
    /// given as a reply), with the platform event that asked it, together: a redelivered press
    /// does not ask again.
    pub async fn remember_prompt(
        &self,
        prompt: &StaffPrompt,
        event: &EventId,
    ) -> anyhow::Result<()> {
        let mut tx = self.lifecycle.store().begin().await?;
        tx.record_event(&event.to_string(), prompt.created_at)
            .await?;
        tx.save_staff_prompt(prompt).await?;
        tx.commit().await
    }

    /// The question a message of `channel` put to a staff member, if it is one.
    pub async fn prompt(&self, channel: &str, prompt: &str) -> anyhow::Result<Option<StaffPrompt>> {
        let mut tx = self.lifecycle.store().begin().await?;
        let found = tx.staff_prompt(channel, prompt).await?;
        tx.rollback().await?;
        Ok(found)
    }

    /// Answers `query` for `actor` (staff or a manager).
    ///
    /// # Errors
    /// [`StaffError::NotAllowed`] for anyone else; the lifecycle's refusal (an unknown
    /// reference) or an internal error.
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn ask(&self, actor: &Actor, query: StaffQuery) -> Result<Answer, StaffError> {
        if !matches!(actor.role, Role::Staff | Role::Manager) {
            return Err(StaffError::NotAllowed);
        }
        Ok(match query {
            StaffQuery::Status {
                reference_or_account,
            } => Answer::Reports(self.lifecycle.find(&reference_or_account).await?),
            StaffQuery::Pending { status, page } => {
                let query = ListQuery {
                    page,
                    ..ListQuery::new(status, CHAT_PAGE)
                };
                Answer::Pending(self.lifecycle.list(query).await?)
            }
            StaffQuery::Stats { since } => {
                let since = since.as_deref().map(str::trim).filter(|s| !s.is_empty());
                let period = Period::parse(since, None, self.lifecycle.today())?;
                Answer::Stats(self.lifecycle.stats(period).await?)
            }
        })
    }
}

/// "WA-000042 is now: in review", for the one who moved it.
pub fn moved(reference: &str, to: RequestStatus) -> Message {
    Message::new("requests-moved")
        .text("reference", reference)
        .nested("status", Message::new(to.staff_message_id()))
}

/// What follows `/pending` as staff type it: a status (its id or label, see
/// [`parse_status`]), a page number, both (`in_review 2`, `em análise 2`) or neither.
///
/// # Errors
/// The message that says why: an unknown status, or a page that is not a whole number from 1.
pub fn parse_pending(argument: &str) -> Result<(Option<RequestStatus>, usize), Message> {
    let argument = argument.trim();
    let (rest, last) = argument.rsplit_once(' ').unwrap_or(("", argument));
    let (status_text, page) = if !last.is_empty() && last.chars().all(|c| c.is_ascii_digit()) {
        match last.parse::<usize>() {
            Ok(page) if page >= 1 => (rest.trim(), page),
            _ => return Err(Message::new("requests-bad-page").text("value", last)),
        }
    } else {
        (argument, 1)
    };
    if status_text.is_empty() {
        return Ok((None, page));
    }
    match parse_status(status_text) {
        Some(status) => Ok((Some(status), page)),
        None => Err(Message::new("cli-unknown-status").text("status", status_text)),
    }
}

/// A status as staff type it: its id (`in_review`, `in review`) or the start of its label in
/// either language (`em análise`); `None` when it names none, or more than one.
pub fn parse_status(text: &str) -> Option<RequestStatus> {
    let folded = crate::domain::text::fold(text.trim());
    if let Some(status) = RequestStatus::parse(&folded.replace([' ', '-'], "_")) {
        return Some(status);
    }
    if folded.chars().count() < 4 {
        return None;
    }
    let mut matching = RequestStatus::ALL.into_iter().filter(|status| {
        Locale::ALL.into_iter().any(|locale| {
            [status.staff_message_id(), status.message_id()]
                .iter()
                .any(|id| crate::domain::text::fold(&i18n::text(locale, id)).starts_with(&folded))
        })
    });
    // Only an unambiguous start names a status.
    match (matching.next(), matching.next()) {
        (Some(status), None) => Some(status),
        _ => None,
    }
}

/// How a staff button looks: the platform picks its colours from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonStyle {
    /// The usual next move.
    Primary,
    /// A move that asks something first (a fix).
    Secondary,
    /// A move that ends the request (reject, cancel).
    Danger,
}

/// What a staff button does when pressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonAction {
    /// Moves the request (no reason needed).
    Move {
        /// The request's reference.
        reference: String,
        /// Where to.
        to: RequestStatus,
    },
    /// Starts asking a fix: which fields, then why.
    AskFix {
        /// The request's reference.
        reference: String,
    },
    /// Starts a rejection: why.
    Reject {
        /// The request's reference.
        reference: String,
    },
    /// Picks the field to fix, then asks why.
    Field {
        /// The request's reference.
        reference: String,
        /// The field.
        field: StepId,
    },
}

/// A staff button: its label and what it does.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffButton {
    /// What it says.
    pub label: Message,
    /// What it does.
    pub action: ButtonAction,
    /// How it looks.
    pub style: ButtonStyle,
}

/// The prefix of a move (and of its "ask a fix" and "reject" starts): `s:<status>:<reference>`.
pub const MOVE_PREFIX: &str = "s:";
/// The prefix of a field pick: `f:<field>:<reference>`.
pub const FIELD_PREFIX: &str = "f:";

impl ButtonAction {
    /// Its compact form, for Telegram's callback data (64 bytes at most) and Discord's custom
    /// ids (100 characters): `s:<status>:<reference>` or `f:<field>:<reference>`, ASCII, at
    /// most 40 bytes. The prefix is the format's version: a new format takes a new prefix, and
    /// a form no longer known is refused as an old button by [`ButtonAction::decode`].
    pub fn encode(&self) -> String {
        match self {
            ButtonAction::Move { reference, to } => {
                format!("{MOVE_PREFIX}{}:{reference}", to.as_str())
            }
            ButtonAction::AskFix { reference } => {
                format!(
                    "{MOVE_PREFIX}{}:{reference}",
                    RequestStatus::NeedsInfo.as_str()
                )
            }
            ButtonAction::Reject { reference } => {
                format!(
                    "{MOVE_PREFIX}{}:{reference}",
                    RequestStatus::Rejected.as_str()
                )
            }
            ButtonAction::Field { reference, field } => {
                format!("{FIELD_PREFIX}{}:{reference}", field.as_str())
            }
        }
    }

    /// The action of a compact form, checked: a known status or fixable field, and a reference
    /// of the form `WA-` and digits; `None` otherwise (forged, or of another version).
    pub fn decode(data: &str) -> Option<ButtonAction> {
        let (what, reference) = if let Some(rest) = data.strip_prefix(MOVE_PREFIX) {
            let (status, reference) = rest.split_once(':')?;
            (Ok(RequestStatus::parse(status)?), reference)
        } else {
            let rest = data.strip_prefix(FIELD_PREFIX)?;
            let (field, reference) = rest.split_once(':')?;
            let field = StepId::parse(field).filter(|s| StepId::FIXABLE.contains(s))?;
            (Err(field), reference)
        };
        let valid = reference.strip_prefix("WA-").is_some_and(|n| {
            !n.is_empty() && n.len() <= 12 && n.bytes().all(|b| b.is_ascii_digit())
        });
        if !valid {
            return None;
        }
        let reference = reference.to_owned();
        Some(match what {
            Ok(RequestStatus::NeedsInfo) => ButtonAction::AskFix { reference },
            Ok(RequestStatus::Rejected) => ButtonAction::Reject { reference },
            Ok(to) => ButtonAction::Move { reference, to },
            Err(field) => ButtonAction::Field { reference, field },
        })
    }
}

/// A request's post on a staff board, described once for every channel: a title (reference
/// and status), the full report, and the buttons of the moves staff may make. Each channel
/// renders it (a Telegram message with an inline keyboard, a Discord embed with components).
#[derive(Debug, Clone)]
pub struct StaffPost {
    /// "WA-000042 — in review".
    pub title: Message,
    /// Every field, the findings, the history and notes, in the staff's language.
    pub body: String,
    /// One button per move.
    pub buttons: Vec<StaffButton>,
}

impl Staff {
    /// The post of a request as it stands now, its text and its buttons from one reading.
    ///
    /// # Errors
    /// The lifecycle's (the request is gone, or storage failed).
    pub async fn post(&self, reference: &str, locale: Locale) -> Result<StaffPost, StaffError> {
        let report = self.lifecycle.report(reference).await?;
        Ok(StaffPost {
            title: Message::new("requests-show-title")
                .text("reference", &report.request.reference)
                .nested("status", Message::new(report.status.staff_message_id())),
            body: reports::report_text(&report, locale),
            buttons: post_buttons(&report.request),
        })
    }
}

/// The buttons of a request's staff post: one per move staff may make from its status.
pub fn post_buttons(request: &RequestRow) -> Vec<StaffButton> {
    let Some(status) = RequestStatus::parse(&request.status) else {
        return Vec::new();
    };
    let reference = request.reference.clone();
    status
        .next_for(Role::Staff)
        .into_iter()
        .map(|to| {
            let reference = reference.clone();
            let move_label = Message::new("staff-button-move")
                .nested("status", Message::new(to.staff_message_id()));
            match to {
                RequestStatus::NeedsInfo => StaffButton {
                    label: Message::new("staff-button-ask"),
                    action: ButtonAction::AskFix { reference },
                    style: ButtonStyle::Secondary,
                },
                RequestStatus::Rejected => StaffButton {
                    label: Message::new("staff-button-reject"),
                    action: ButtonAction::Reject { reference },
                    style: ButtonStyle::Danger,
                },
                RequestStatus::Cancelled => StaffButton {
                    label: move_label,
                    action: ButtonAction::Move { reference, to },
                    style: ButtonStyle::Danger,
                },
                _ => StaffButton {
                    label: move_label,
                    action: ButtonAction::Move { reference, to },
                    style: ButtonStyle::Primary,
                },
            }
        })
        .collect()
}

/// The buttons that pick the field to fix on a request.
pub fn field_buttons(reference: &str) -> Vec<StaffButton> {
    StepId::FIXABLE
        .into_iter()
        .map(|field| StaffButton {
            label: field_label(field),
            action: ButtonAction::Field {
                reference: reference.to_owned(),
                field,
            },
            style: ButtonStyle::Secondary,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_takes_a_status_a_page_both_or_neither() {
        assert_eq!(parse_pending(""), Ok((None, 1)));
        assert_eq!(parse_pending(" 3 "), Ok((None, 3)));
        assert_eq!(
            parse_pending("in_review"),
            Ok((Some(RequestStatus::InReview), 1))
        );
        assert_eq!(
            parse_pending("em análise 2"),
            Ok((Some(RequestStatus::InReview), 2))
        );
        assert_eq!(
            parse_pending("0"),
            Err(Message::new("requests-bad-page").text("value", "0"))
        );
        assert_eq!(
            parse_pending("99999999999999999999999"),
            Err(Message::new("requests-bad-page").text("value", "99999999999999999999999"))
        );
        assert_eq!(
            parse_pending("done 2"),
            Err(Message::new("cli-unknown-status").text("status", "done"))
        );
    }

    #[test]
    fn staff_type_a_status_by_id_or_by_the_start_of_its_label() {
        assert_eq!(parse_status("in_review"), Some(RequestStatus::InReview));
        assert_eq!(parse_status("In review"), Some(RequestStatus::InReview));
        assert_eq!(parse_status("em análise"), Some(RequestStatus::InReview));
        assert_eq!(
            parse_status("aguardando o administrador"),
            Some(RequestStatus::AwaitingClientApproval)
        );
        assert_eq!(parse_status("aguardando"), None, "ambiguous");
        assert_eq!(parse_status("xx"), None);
        assert_eq!(parse_status("banana"), None);
    }

    #[test]
    fn a_reason_is_three_characters_and_not_a_command() {
        for (text, ok) in [
            ("ok", false),
            ("  ", false),
            ("/cancel", false),
            ("/cancelar o pedido", false),
            ("Nome diferente do site", true),
            ("  abc  ", true),
        ] {
            assert_eq!(Reason::parse(text).is_ok(), ok, "{text:?}");
        }
        assert_eq!(Reason::parse("  abc ").unwrap().as_str(), "abc");
    }

    #[test]
    fn every_button_action_survives_its_compact_form_and_forgeries_do_not() {
        let reference = "WA-000042".to_owned();
        let mut actions = vec![
            ButtonAction::AskFix {
                reference: reference.clone(),
            },
            ButtonAction::Reject {
                reference: reference.clone(),
            },
        ];
        for to in RequestStatus::ALL {
            if !matches!(to, RequestStatus::NeedsInfo | RequestStatus::Rejected) {
                actions.push(ButtonAction::Move {
                    reference: reference.clone(),
                    to,
                });
            }
        }
        for field in StepId::FIXABLE {
            actions.push(ButtonAction::Field {
                reference: reference.clone(),
                field,
            });
        }
        for action in actions {
            let data = action.encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(ButtonAction::decode(&data), Some(action), "{data}");
        }
        for forged in [
            "s:in_review",
            "s:flying:WA-000042",
            "s:in_review:WA-",
            "s:in_review:WA-12a",
            "s:in_review:XX-000042",
            "f:summary:WA-000042",
            "f:colour:WA-000042",
            "x:in_review:WA-000042",
            "",
        ] {
            assert_eq!(ButtonAction::decode(forged), None, "{forged}");
        }
    }
}
