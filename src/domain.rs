//! The rules of the domain: one file per value the merchant gives, each built only through its
//! `parse` constructor. Pure: no I/O, no async, no clock. A value that exists is valid; what
//! parsing noticed along the way travels with it as [`Finding`]s.

pub mod business_phone;
pub mod business_portfolio_id;
pub mod category;
pub mod deadline;
pub mod description;
pub mod display_name;
pub mod email;
pub mod finding;
pub mod logo;
pub mod onboarding_request;
mod phone_metadata;
pub mod request_status;
pub mod store_account;
pub mod text;
pub(crate) mod wrapping;

pub use business_phone::{BusinessPhone, CodeMethod, PhoneRegion, RegistrationNumber};
pub use business_portfolio_id::BusinessPortfolioId;
pub use category::Category;
pub use description::Description;
pub use display_name::DisplayName;
pub use email::Email;
pub use finding::{Arg, Finding, Message, Parsed, Rejection, Verdict};
pub use logo::{Logo, LogoFormat};
pub use onboarding_request::{LogoSummary, OnboardingRequest};
pub use request_status::{RequestStatus, Role, TransitionError};
pub use store_account::StoreAccount;

/// Longest text any field accepts before its own rules even run; longer input is refused at once
/// so that a pasted megabyte costs nothing.
pub const MAX_INPUT_CHARS: usize = 4096;
