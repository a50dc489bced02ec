//! The platform-neutral dialogue that collects an onboarding request, one field at a time.
//!
//! ```text
//! bot:  Hi! I'll help you bring your store to WhatsApp. (step 1 of 12)
//!       Does your store already have a WhatsApp Business account, with us or elsewhere?
//!         1) Yes   2) No
//! you:  2
//! bot:  What is your store's account name on the platform? Example: minhaloja
//! you:  Minha Loja
//! bot:  That account name can't be used:
//!       • It contains " ", which is not allowed: only lowercase letters and digits.
//!       What is your store's account name on the platform? Example: minhaloja
//! you:  minhaloja
//! …
//! bot:  Here is everything. Confirm to open your request.
//! you:  confirm
//! bot:  Done! Your request is WA-000042. …
//! ```
//!
//! [`step`] is pure: a draft, an inbound message and the time in; the next draft, the replies
//! and the effects out. Replies are message ids with arguments, never rendered text; effects are
//! what the caller must do in the same transaction (submit the request, check the number
//! against open requests, open a help ticket).

mod command;
mod draft;
mod engine;
mod replies;

pub use command::Command;
pub use draft::{
    Answers, Attestations, BusinessVerification, Draft, Fixing, Optional, Pending, PendingAnswer,
    StepId, WhatsappUse,
};
pub use engine::{check_answer, phone_taken, step};
pub use replies::{
    RequestOverview, approval_reminder, cancel_refused, erased_reply, field_label,
    note_notification, notice, parked_draft_back, question as current_question,
    request_cancelled_reply, resubmit_refused, resubmitted_reply, status_notification,
    status_replies, submitted_replies,
};

use crate::domain::Message;
use crate::i18n::{self, Locale};
use serde::Serialize;

/// What a merchant sent, as every channel reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    /// The merchant opened the conversation (`/start`, a new console session).
    Start,
    /// Typed text.
    Text(String),
    /// A chosen option, by its key.
    Choice(String),
    /// A file, with its name and bytes.
    File {
        /// Name as given (never trusted for the format).
        name: String,
        /// The content.
        bytes: Vec<u8>,
    },
    /// A file the channel could not read.
    Unreadable(FileProblem),
    /// Something that is neither text nor a file (a sticker, a voice note, a location).
    Unsupported,
    /// A command.
    Command(Command),
    /// Several text answers at once, from a form: each is checked on its own.
    Fields(Vec<(StepId, String)>),
    /// A shared contact card (Telegram's `contact`): its phone number, in international form
    /// with or without the leading `+`. It answers the phone question, and only that one.
    Contact {
        /// The number on the card.
        phone: String,
    },
    /// The merchant edited a message they sent before: `message` is the channel's reference
    /// of it (as given to [`crate::service::merchant::Bot::handle_message`]), `text` its new
    /// text. It is applied to the step that message answered (see [`Draft::answered`]).
    Edit {
        /// The channel's reference of the edited message.
        message: String,
        /// Its new text.
        text: String,
    },
}

/// Why a channel could not read the file the merchant pointed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// No such file.
    NotFound,
    /// A directory, not a file.
    IsDirectory,
    /// Not an ordinary file: a device, a named pipe, a socket (reading one could block).
    NotARegularFile,
    /// It exists but could not be read.
    Unreadable,
    /// Larger than any logo may be; not read.
    TooLarge {
        /// Its size.
        bytes: u64,
    },
    /// Declared by the platform as something other than an image; not read.
    NotAnImage {
        /// The declared format (`PDF`, `GIF`, …).
        format: String,
    },
}

impl FileProblem {
    /// The logo finding that explains it.
    pub fn finding(&self) -> crate::domain::Finding {
        use crate::domain::{Finding, Logo, Verdict};
        match self {
            FileProblem::NotFound => Finding::new(Verdict::Reject, "logo.file_not_found"),
            FileProblem::IsDirectory => Finding::new(Verdict::Reject, "logo.is_directory"),
            FileProblem::NotARegularFile => Finding::new(Verdict::Reject, "logo.not_a_file"),
            FileProblem::Unreadable => Finding::new(Verdict::Reject, "logo.unreadable"),
            FileProblem::TooLarge { bytes } => Finding::new(Verdict::Reject, "logo.too_large")
                .num("bytes", *bytes as i64)
                .num("max", Logo::MAX_BYTES as i64),
            FileProblem::NotAnImage { format } => {
                Finding::new(Verdict::Reject, "logo.unsupported_format").text("format", format)
            }
        }
    }
}

/// One line of extra detail under a reply, optionally about a field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    /// The field it is about, shown as a label before the message.
    pub field: Option<StepId>,
    /// The detail.
    pub message: Message,
}

/// An option the merchant can pick.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    /// Stable key, sent back as [`Inbound::Choice`].
    pub key: String,
    /// What the merchant reads.
    pub label: Message,
}

/// "Step n of m".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The current step, from 1.
    pub step: usize,
    /// How many steps there are.
    pub of: usize,
}

/// Something the bot says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    /// The step it belongs to.
    pub step: StepId,
    /// The main message.
    pub message: Message,
    /// Detail lines.
    pub notes: Vec<Note>,
    /// Options, if the answer is a closed set.
    pub choices: Vec<Choice>,
    /// Progress, on questions.
    pub progress: Option<Progress>,
}

/// What the caller must do, in the same transaction as saving the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The number was accepted: make sure no other open request has it, or answer with
    /// [`phone_taken`] instead.
    CheckPhoneAvailable {
        /// The number in E.164.
        e164: String,
    },
    /// The merchant confirmed: create the request (once) and answer with
    /// [`submitted_replies`].
    Submit,
    /// The merchant confirmed the fields staff asked for: update the request and put it back
    /// in review.
    Resubmit,
    /// The merchant withdraws the request they sent.
    CancelRequest,
    /// Show the merchant's requests ([`status_replies`]) before the replies.
    ShowStatus,
    /// Open a help ticket with what was collected.
    RequestHuman,
    /// Forget the draft.
    DeleteDraft,
    /// Erase the merchant's personal data: every request of theirs (an open one cancelled
    /// first) and the draft; answer with [`erased_reply`].
    Erase,
    /// The merchant wrote to the team about the request they sent: keep it on the request
    /// for staff and pass it on to the desk.
    PassOn {
        /// What they wrote.
        text: String,
    },
}

/// The outcome of one inbound message.
#[derive(Debug, Clone)]
pub struct Transition {
    /// The draft to save.
    pub draft: Draft,
    /// What to say.
    pub replies: Vec<Reply>,
    /// What to do.
    pub effects: Vec<Effect>,
    /// The codes of the findings shown in this turn (for metrics).
    pub findings: Vec<String>,
}

/// A reply rendered for one locale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenderedReply {
    /// The step id.
    pub step: String,
    /// The text, detail lines included.
    pub text: String,
    /// The options.
    pub choices: Vec<RenderedChoice>,
    /// Progress.
    pub progress: Option<Progress>,
}

/// An option, rendered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenderedChoice {
    /// Its key.
    pub key: String,
    /// Its label.
    pub label: String,
}

impl Reply {
    /// "Step 3 of 12", for a question.
    pub fn progress_line(&self, locale: Locale) -> Option<String> {
        self.progress.map(|p| {
            i18n::render(
                locale,
                &Message::new("progress")
                    .num("step", p.step as i64)
                    .num("of", p.of as i64),
            )
        })
    }

    /// Renders the reply in a locale.
    pub fn render(&self, locale: Locale) -> RenderedReply {
        let mut text = i18n::render(locale, &self.message);
        for note in &self.notes {
            let line = i18n::render(locale, &note.message);
            let line = match note.field {
                Some(field) => i18n::render(
                    locale,
                    &Message::new("note-about-field")
                        .nested("field", replies::field_label(field))
                        .text("text", line),
                ),
                None => line,
            };
            text.push_str("\n• ");
            text.push_str(&line);
        }
        RenderedReply {
            step: self.step.as_str().to_owned(),
            text,
            choices: self
                .choices
                .iter()
                .map(|c| RenderedChoice {
                    key: c.key.clone(),
                    label: i18n::render(locale, &c.label),
                })
                .collect(),
            progress: self.progress,
        }
    }
}
