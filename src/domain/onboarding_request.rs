//! A confirmed request as a ticket desk reads it: every validated field, the findings noted on
//! it, and where it stands in the lifecycle, typed (a status is a [`RequestStatus`], not text).
//! Its `id` (a UUID) is the ticket's external id and idempotency key on a remote desk.

use super::{Finding, RequestStatus};
use chrono::{DateTime, Utc};

/// The merchant's confirmed request.
#[derive(Debug, Clone, PartialEq)]
pub struct OnboardingRequest {
    /// Its UUID (the draft's): the external id and idempotency key of its ticket.
    pub id: String,
    /// Its reference, as people name it (`WA-000042`).
    pub reference: String,
    /// Where it stands.
    pub status: RequestStatus,
    /// The requester's channel (`console`, `telegram`, `discord`).
    pub channel: String,
    /// The requester's language tag (`en`, `pt-BR`).
    pub locale: String,
    /// The store's account on the commerce platform.
    pub store_account: String,
    /// The contact e-mail.
    pub requester_email: String,
    /// The business portfolio (Business Manager) id: digits only.
    pub business_portfolio_id: String,
    /// The display name.
    pub display_name: String,
    /// The phone number, E.164 (`+5511987654321`).
    pub phone: String,
    /// Meta's vertical (`RETAIL`, …).
    pub category: String,
    /// The description, if given.
    pub description: Option<String>,
    /// The logo's format (`png`, `jpeg`), side in pixels and size in bytes.
    pub logo: LogoSummary,
    /// What validation noted (warnings, reviews), with the field each is about (a step id).
    pub findings: Vec<(String, Finding)>,
    /// When the merchant confirmed it.
    pub created_at: DateTime<Utc>,
}

/// What a ticket says of the logo (the image itself is uploaded apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogoSummary {
    /// `png` or `jpeg`.
    pub format: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// File size in bytes.
    pub bytes: u64,
}
