//! Ticket desks and the outbox worker. A desk is where staff work a request: the builtin desk
//! (the request in our database is the ticket) or Zendesk. The worker runs what
//! transactions queued: opening tickets, notifying merchants, timers.

mod builtin;
mod worker;
pub mod zendesk;

pub use builtin::{BuiltinDesk, ConsoleNotifier};
pub use worker::{MetaWork, RetryPolicy, Worker};
pub use zendesk::ZendeskDesk;

use crate::domain::{Message, OnboardingRequest};
use crate::i18n::Locale;
use crate::storage::RequestRow;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::pin::Pin;

/// A boxed future, for object-safe async traits.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where staff work requests.
pub trait TicketDesk: Send + Sync {
    /// Opens the ticket of a request and returns its id on the desk. It runs outside any
    /// database transaction (a remote desk is an HTTP call away) and may run again for the same
    /// request when its outcome could not be recorded: a desk must then return the ticket it
    /// opened the first time (the request's UUID is the ticket's external id and idempotency
    /// key). The worker records the id with the job's completion.
    fn open_ticket<'a>(
        &'a self,
        request: &'a OnboardingRequest,
    ) -> BoxFuture<'a, anyhow::Result<String>>;

    /// Whether the desk lives elsewhere (Zendesk), so that moves and help requests must be
    /// carried to it; the builtin desk is the database itself.
    fn is_remote(&self) -> bool {
        false
    }

    /// Shows the request's current status on its ticket (a move made elsewhere: the chat, the
    /// command line). Runs with the staff posts' refresh after every move.
    fn sync<'a>(&'a self, _request: &'a RequestRow) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }

    /// Adds a comment to the request's ticket (the request has one when this runs, or the
    /// comment has nowhere to go and is dropped: the note kept on the request stays).
    fn comment<'a>(
        &'a self,
        _request: &'a RequestRow,
        _note: &'a DeskNote,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }

    /// Tells the request's ticket that its merchant asked for a person.
    fn help_wanted<'a>(&'a self, _help: &'a HelpWanted) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }

    /// Removes what the desk keeps of a request whose personal data was erased here (LGPD,
    /// art. 18): runs instead of [`TicketDesk::sync`] once the request is erased, and again
    /// after a failure, so what is already gone is not an error. The builtin desk is the
    /// database itself, erased already.
    fn erase<'a>(&'a self, _request: &'a RequestRow) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }
}

/// How a call to a remote desk or platform failed, for the worker to decide when to try again.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// Asked to wait (HTTP 429 with `Retry-After`): tried again after that long.
    #[error("rate limited: retry after {} s", .0.as_secs())]
    RetryAfter(std::time::Duration),
    /// Refused for good (a 4xx other than 429): not tried again; the job is kept among the
    /// failed jobs, with this text, for staff to see.
    #[error("refused: {0}")]
    Refused(String),
}

/// Whether a notification reached the merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// It was delivered (or durably queued for the merchant).
    Delivered,
    /// The merchant cannot be reached on that channel (blocked the bot, closed DMs).
    Unreachable,
}

/// Delivers notifications to merchants on one channel.
pub trait Notifier: Send + Sync {
    /// The channel it serves (`console`, `telegram`, …).
    fn channel(&self) -> &'static str;

    /// Delivers `messages`, rendered in `locale`, to `user_id`. It runs outside any
    /// transaction (a platform call can be slow); a job whose delivery is not recorded is
    /// delivered again, so a notification is delivered at least once.
    fn notify<'a>(
        &'a self,
        user_id: &'a str,
        locale: Locale,
        messages: &'a [Message],
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, anyhow::Result<Delivery>>;
}

/// Where staff see requests in a chat channel (a message in a Telegram group): each new request
/// is posted there, and the post is edited as the request moves.
pub trait StaffBoard: Send + Sync {
    /// The channel it serves.
    fn channel(&self) -> &'static str;

    /// Posts a request for staff (with its logo, where the post can carry it); returns how the
    /// channel identifies the post.
    fn post<'a>(
        &'a self,
        request: &'a RequestRow,
        logo: &'a [u8],
    ) -> BoxFuture<'a, anyhow::Result<String>>;

    /// Shows the logo beside a post that cannot carry it (a job of its own, so that neither
    /// is sent twice when the other fails).
    fn post_logo<'a>(
        &'a self,
        _request: &'a RequestRow,
        _post: &'a str,
        _logo: &'a [u8],
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }

    /// Shows the request as it stands now on its post.
    fn refresh<'a>(
        &'a self,
        request: &'a RequestRow,
        post: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<()>>;

    /// Tells staff that a merchant asked for a person.
    fn help_wanted<'a>(&'a self, help: &'a HelpWanted) -> BoxFuture<'a, anyhow::Result<()>>;

    /// Shows staff an alert (Meta's news that a person must look at), rendered in the staff
    /// language.
    fn alert<'a>(&'a self, alert: &'a Message) -> BoxFuture<'a, anyhow::Result<()>>;
}

/// A merchant who asked for a person, and where they stand (the payload of a help job).
pub use crate::jobs::HelpWanted;

/// A comment for a request's ticket.
pub use crate::jobs::DeskNote;
