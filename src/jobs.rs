//! The outbox's jobs, typed: what a state change leaves for the worker to do once it has
//! committed (transactional outbox). A job is stored as its `kind` (the variant's snake_case
//! name, e.g. `notify_merchant`) and its `payload` (the variant's fields as a JSON object), so
//! the rows read the same as before jobs were typed. The worker dispatches on [`Job`] with an
//! exhaustive `match`: adding a kind breaks the build wherever it must be handled.

use crate::conversation::StepId;
use crate::domain::{CodeMethod, Message, RequestStatus};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// One job for the outbox worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Job {
    /// Opens the request's ticket on the desk (once: a ticket already recorded is not opened
    /// again), then queues one [`Job::StaffPost`] per staff board.
    OpenTicket {
        /// The request's UUID.
        request_id: String,
        /// Its reference (`WA-000042`), for people reading the queue.
        #[serde(default)]
        reference: Option<String>,
    },
    /// Tells the merchant their request moved to `status`, with what to do next.
    NotifyMerchant {
        /// The request's UUID.
        request_id: String,
        /// Where it moved.
        status: RequestStatus,
        /// Why, when staff gave a reason.
        #[serde(default)]
        reason: Option<String>,
        /// When it moved (Unix milliseconds): the expected date counts from it.
        #[serde(default)]
        since: Option<i64>,
    },
    /// Passes a note of staff's on to the merchant.
    NotifyNote {
        /// The request's UUID.
        request_id: String,
        /// The note, as staff wrote it.
        text: String,
    },
    /// Reminds the merchant that the store's admin has still to accept the partner's request,
    /// if the request is still in the `awaiting_client_approval` it entered at `since`.
    ApprovalReminder {
        /// The request's UUID.
        request_id: String,
        /// When it entered `awaiting_client_approval` (Unix milliseconds).
        since: i64,
    },
    /// Expires the request (Meta cancels an unaccepted partner request after 90 days), if it
    /// is still in the `awaiting_client_approval` it entered at `since`.
    Expire {
        /// The request's UUID.
        request_id: String,
        /// When it entered `awaiting_client_approval` (Unix milliseconds).
        since: i64,
    },
    /// Posts the request on one staff board (once per board).
    StaffPost {
        /// The request's UUID.
        request_id: String,
        /// The board's channel (`telegram`, `discord`).
        channel: String,
    },
    /// Adds the logo to the request's post on one board.
    StaffPostLogo {
        /// The request's UUID.
        request_id: String,
        /// The board's channel.
        channel: String,
    },
    /// Brings every staff post of the request up to date (status, reachability).
    RefreshStaffPosts {
        /// The request's UUID.
        request_id: String,
    },
    /// A merchant asked for a person (`/human`): recorded for `requests list`, and queued as
    /// one [`Job::StaffHelp`] per staff board.
    HelpRequest(HelpWanted),
    /// Tells one staff board that a merchant asked for a person.
    StaffHelp {
        /// The board's channel.
        board: String,
        /// Who asked, and where they stand.
        #[serde(flatten)]
        help: HelpWanted,
    },
    /// Tells the desk's ticket that a merchant asked for a person (a remote desk only).
    DeskHelp(HelpWanted),
    /// Adds a comment to the request's ticket on the desk.
    DeskComment {
        /// The request's UUID.
        request_id: String,
        /// What the comment says.
        comment: DeskNote,
    },
    /// Tells the merchant of a request these messages (what Meta's steps need of them).
    NotifyMessages {
        /// The request's UUID.
        request_id: String,
        /// The messages, rendered in the merchant's language when sent.
        messages: Vec<Message>,
    },
    /// Something staff must see, from Meta: queued as one [`Job::StaffAlert`] per staff board
    /// and, on a remote desk, a private comment on the request's ticket.
    MetaAlert {
        /// The request it is about, if one.
        #[serde(default)]
        request_id: Option<String>,
        /// What staff read.
        alert: Message,
    },
    /// Shows staff an alert on one board.
    StaffAlert {
        /// The board's channel.
        board: String,
        /// What staff read.
        alert: Message,
    },
    /// Handles one change of Meta's webhook (once: its key is the event's id).
    MetaChange(crate::meta::Change),
    /// Looks at the partner's client accounts for those whose admin accepted (a webhook that
    /// never came); once per time slot across instances (its dedupe key).
    MetaPoll {
        /// The slot (Unix minutes divided by the poll interval).
        slot: i64,
    },
    /// Adds the request's number to the accepted account, with its display name.
    MetaAddNumber {
        /// The request's UUID.
        request_id: String,
    },
    /// Asks Meta to send the number's verification code.
    MetaRequestCode {
        /// The request's UUID.
        request_id: String,
        /// By text message or by call.
        method: CodeMethod,
    },
    /// Checks the code the merchant typed.
    MetaVerifyCode {
        /// The request's UUID.
        request_id: String,
        /// The 6 digits.
        code: String,
    },
    /// Registers the verified number with its PIN.
    MetaRegister {
        /// The request's UUID.
        request_id: String,
    },
    /// Subscribes the partner's app to the account of a registered number.
    MetaSubscribe {
        /// The request's UUID.
        request_id: String,
    },
    /// Exchanges the code Embedded Signup returned for the business token of the account the
    /// store created, then registers its number.
    SignupExchange {
        /// The request's UUID.
        request_id: String,
        /// The code (valid 30 seconds, once).
        code: String,
    },
}

/// A comment for the request's ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeskNote {
    /// The merchant's own words, written in the chat after sending (public on the ticket).
    Merchant {
        /// What they wrote.
        text: String,
    },
    /// The merchant sent the fixes staff asked for (the bot's note, private).
    Fixed {
        /// The fields asked for, by step id.
        fields: Vec<String>,
    },
    /// Something Meta told about the request that staff must see (private).
    Alert {
        /// What staff read.
        alert: Message,
    },
}

/// A merchant who asked for a person, and where they stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpWanted {
    /// Their channel (`console`, `telegram`, …).
    pub channel: String,
    /// Their id there.
    pub user_id: String,
    /// Their draft's UUID.
    #[serde(default)]
    pub draft_id: Option<String>,
    /// The step they are at.
    pub step: StepId,
    /// Their language.
    pub locale: Locale,
}

/// A stored job that cannot be read back (an unknown kind, a malformed payload).
#[derive(Debug, thiserror::Error)]
#[error("unreadable {kind} job: {reason}")]
pub struct Unreadable {
    /// The stored kind.
    pub kind: String,
    /// What is wrong with it.
    pub reason: String,
}

impl Job {
    /// The job as stored: its kind and its payload (a JSON object, as text).
    pub fn to_row(&self) -> (&'static str, String) {
        let kind = self.kind();
        let payload = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut tagged)) => {
                tagged.remove("payload").unwrap_or(serde_json::Value::Null)
            }
            _ => serde_json::Value::Null,
        };
        (kind, payload.to_string())
    }

    /// A job read back from its stored kind and payload.
    ///
    /// # Errors
    /// [`Unreadable`] for an unknown kind or a payload that does not fit it.
    pub fn from_row(kind: &str, payload: &str) -> Result<Job, Unreadable> {
        let unreadable = |reason: String| Unreadable {
            kind: kind.to_owned(),
            reason,
        };
        let payload: serde_json::Value =
            serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?;
        serde_json::from_value(serde_json::json!({ "kind": kind, "payload": payload }))
            .map_err(|e| unreadable(e.to_string()))
    }

    /// Its kind, as stored (`open_ticket`, `notify_merchant`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Job::OpenTicket { .. } => "open_ticket",
            Job::NotifyMerchant { .. } => "notify_merchant",
            Job::NotifyNote { .. } => "notify_note",
            Job::ApprovalReminder { .. } => "approval_reminder",
            Job::Expire { .. } => "expire",
            Job::StaffPost { .. } => "staff_post",
            Job::StaffPostLogo { .. } => "staff_post_logo",
            Job::RefreshStaffPosts { .. } => "refresh_staff_posts",
            Job::HelpRequest(_) => "help_request",
            Job::StaffHelp { .. } => "staff_help",
            Job::DeskHelp(_) => "desk_help",
            Job::DeskComment { .. } => "desk_comment",
            Job::NotifyMessages { .. } => "notify_messages",
            Job::MetaAlert { .. } => "meta_alert",
            Job::StaffAlert { .. } => "staff_alert",
            Job::MetaChange(_) => "meta_change",
            Job::MetaPoll { .. } => "meta_poll",
            Job::MetaAddNumber { .. } => "meta_add_number",
            Job::MetaRequestCode { .. } => "meta_request_code",
            Job::MetaVerifyCode { .. } => "meta_verify_code",
            Job::MetaRegister { .. } => "meta_register",
            Job::MetaSubscribe { .. } => "meta_subscribe",
            Job::SignupExchange { .. } => "signup_exchange",
        }
    }

    /// The request it is about, if any.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Job::OpenTicket { request_id, .. }
            | Job::NotifyMerchant { request_id, .. }
            | Job::NotifyNote { request_id, .. }
            | Job::ApprovalReminder { request_id, .. }
            | Job::Expire { request_id, .. }
            | Job::StaffPost { request_id, .. }
            | Job::StaffPostLogo { request_id, .. }
            | Job::RefreshStaffPosts { request_id }
            | Job::DeskComment { request_id, .. }
            | Job::NotifyMessages { request_id, .. }
            | Job::MetaAddNumber { request_id }
            | Job::MetaRequestCode { request_id, .. }
            | Job::MetaVerifyCode { request_id, .. }
            | Job::MetaRegister { request_id }
            | Job::MetaSubscribe { request_id }
            | Job::SignupExchange { request_id, .. } => Some(request_id),
            Job::MetaAlert { request_id, .. } => request_id.as_deref(),
            Job::HelpRequest(_)
            | Job::StaffHelp { .. }
            | Job::DeskHelp(_)
            | Job::StaffAlert { .. }
            | Job::MetaChange(_)
            | Job::MetaPoll { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_stored_as_before_and_read_back() {
        let help = HelpWanted {
            channel: "telegram".into(),
            user_id: "42".into(),
            draft_id: Some("d".into()),
            step: StepId::Phone,
            locale: Locale::PtBr,
        };
        let cases = [
            (
                Job::NotifyMerchant {
                    request_id: "r".into(),
                    status: RequestStatus::InReview,
                    reason: None,
                    since: Some(7),
                },
                "notify_merchant",
                r#"{"reason":null,"request_id":"r","since":7,"status":"in_review"}"#,
            ),
            (
                Job::StaffHelp {
                    board: "discord".into(),
                    help: help.clone(),
                },
                "staff_help",
                r#"{"board":"discord","channel":"telegram","draft_id":"d","locale":"pt-BR","step":"phone","user_id":"42"}"#,
            ),
            (
                Job::HelpRequest(help),
                "help_request",
                r#"{"channel":"telegram","draft_id":"d","locale":"pt-BR","step":"phone","user_id":"42"}"#,
            ),
        ];
        for (job, kind, payload) in cases {
            let (stored_kind, stored) = job.to_row();
            assert_eq!(stored_kind, kind);
            let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
            let expected: serde_json::Value = serde_json::from_str(payload).unwrap();
            assert_eq!(stored, expected, "{kind}");
            assert_eq!(Job::from_row(kind, payload).unwrap(), job, "{kind}");
        }
    }

    #[test]
    fn an_unknown_kind_or_a_bad_payload_is_unreadable_not_a_panic() {
        for (kind, payload) in [
            ("send_fax", "{}"),
            ("notify_merchant", "{\"request_id\": 3}"),
            ("expire", "not json"),
        ] {
            let error = Job::from_row(kind, payload).unwrap_err();
            assert_eq!(error.kind, kind);
        }
    }
}
