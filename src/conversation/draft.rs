//! The state of one merchant's conversation: where they are and what they answered so far.

use crate::domain::{
    BusinessPhone, BusinessPortfolioId, Category, Description, DisplayName, Email, Finding, Logo,
    Parsed, StoreAccount, Verdict,
};
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The steps of the conversation, in order. Their ids are stable: they name the steps in
/// `chat --json` and in `requests ask --field`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepId {
    /// Does the store already have a WhatsApp Business account elsewhere? (informational)
    ExistingAccount,
    /// The commerce platform account name.
    StoreAccount,
    /// The contact e-mail.
    Email,
    /// The business portfolio (Business Manager) ID.
    BusinessId,
    /// The portfolio's admin will be available to accept the partner's request.
    AdminAvailable,
    /// The WhatsApp display name.
    DisplayName,
    /// The profile picture.
    Logo,
    /// The WhatsApp number.
    Phone,
    /// What the merchant attests about the number.
    PhoneAttestations,
    /// Meta's business vertical.
    Category,
    /// The optional business description.
    Description,
    /// Whether Meta has verified the business.
    BusinessVerification,
    /// Everything collected, to confirm or edit.
    Summary,
    /// Submitted: the request exists.
    Done,
}

impl StepId {
    /// The steps that collect a field, in order.
    pub const FIELDS: [StepId; 12] = [
        StepId::ExistingAccount,
        StepId::StoreAccount,
        StepId::Email,
        StepId::BusinessId,
        StepId::AdminAvailable,
        StepId::DisplayName,
        StepId::Logo,
        StepId::Phone,
        StepId::PhoneAttestations,
        StepId::Category,
        StepId::Description,
        StepId::BusinessVerification,
    ];

    /// The stable id (`business_id`).
    pub fn as_str(self) -> &'static str {
        match self {
            StepId::ExistingAccount => "existing_account",
            StepId::StoreAccount => "store_account",
            StepId::Email => "email",
            StepId::BusinessId => "business_id",
            StepId::AdminAvailable => "admin_available",
            StepId::DisplayName => "display_name",
            StepId::Logo => "logo",
            StepId::Phone => "phone",
            StepId::PhoneAttestations => "phone_attestations",
            StepId::Category => "category",
            StepId::Description => "description",
            StepId::BusinessVerification => "business_verification",
            StepId::Summary => "summary",
            StepId::Done => "done",
        }
    }

    /// The step with this id.
    pub fn parse(id: &str) -> Option<StepId> {
        let id = id.trim().replace('-', "_");
        StepId::FIELDS
            .into_iter()
            .chain([StepId::Summary, StepId::Done])
            .find(|s| s.as_str() == id)
    }

    /// The id as it appears inside message ids (`business-id`).
    pub fn slug(self) -> String {
        self.as_str().replace('_', "-")
    }

    /// Position among the field steps, from 1.
    pub fn position(self) -> Option<usize> {
        StepId::FIELDS
            .iter()
            .position(|s| *s == self)
            .map(|i| i + 1)
    }

    /// The field step after this one (the summary after the last).
    pub fn next(self) -> StepId {
        match self.position() {
            Some(n) if n < StepId::FIELDS.len() => StepId::FIELDS[n],
            Some(_) => StepId::Summary,
            None => self,
        }
    }

    /// The field step before this one.
    pub fn previous(self) -> Option<StepId> {
        match self {
            StepId::Summary => Some(StepId::BusinessVerification),
            _ => match self.position() {
                Some(n) if n > 1 => Some(StepId::FIELDS[n - 2]),
                _ => None,
            },
        }
    }

    /// The fields staff may ask a merchant to fix (the values of the request).
    pub const FIXABLE: [StepId; 8] = [
        StepId::StoreAccount,
        StepId::Email,
        StepId::BusinessId,
        StepId::DisplayName,
        StepId::Logo,
        StepId::Phone,
        StepId::Category,
        StepId::Description,
    ];

    /// Whether `/skip` may pass this step.
    pub fn is_optional(self) -> bool {
        self == StepId::Description
    }

    /// Whether the answer is typed text (rather than a choice or a file).
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            StepId::StoreAccount
                | StepId::Email
                | StepId::BusinessId
                | StepId::DisplayName
                | StepId::Phone
                | StepId::Description
        )
    }
}

/// How the number is used on WhatsApp today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhatsappUse {
    /// Not registered on WhatsApp.
    NotInUse,
    /// On the consumer WhatsApp app: the account must be deleted before registration.
    ConsumerApp,
    /// On the WhatsApp Business app: it needs the coexistence onboarding.
    BusinessApp,
}

/// What the merchant attests about the number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attestations {
    /// The number belongs to the company.
    pub owned_by_company: Option<bool>,
    /// It can receive an SMS or voice call from abroad.
    pub reachable_from_abroad: Option<bool>,
    /// How it is used on WhatsApp today.
    pub whatsapp_use: Option<WhatsappUse>,
}

impl Attestations {
    /// Whether all three are answered.
    pub fn is_complete(&self) -> bool {
        self.owned_by_company.is_some()
            && self.reachable_from_abroad.is_some()
            && self.whatsapp_use.is_some()
    }

    /// What the attestations mean for the ticket.
    pub fn findings(&self) -> Vec<Finding> {
        match self.whatsapp_use {
            Some(WhatsappUse::ConsumerApp) => {
                vec![Finding::new(Verdict::Warn, "phone.in_use_consumer_app")]
            }
            Some(WhatsappUse::BusinessApp) => {
                vec![Finding::new(Verdict::Review, "phone.in_use_business_app")]
            }
            Some(WhatsappUse::NotInUse) | None => Vec::new(),
        }
    }
}

/// Whether Meta has verified the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BusinessVerification {
    /// Verified.
    Verified,
    /// Not verified.
    NotVerified,
    /// The merchant does not know.
    Unknown,
}

impl BusinessVerification {
    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            BusinessVerification::Verified => "verified",
            BusinessVerification::NotVerified => "not_verified",
            BusinessVerification::Unknown => "unknown",
        }
    }
}

/// The answer to an optional step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Optional<T> {
    /// The merchant skipped it.
    Skipped,
    /// The merchant answered.
    Given(T),
}

impl<T> Optional<T> {
    /// The answer, if given.
    pub fn given(&self) -> Option<&T> {
        match self {
            Optional::Skipped => None,
            Optional::Given(value) => Some(value),
        }
    }
}

/// Everything answered so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    /// Has a WhatsApp Business account elsewhere (informational).
    pub existing_account: Option<bool>,
    /// Store account.
    pub store_account: Option<Parsed<StoreAccount>>,
    /// Contact e-mail.
    pub email: Option<Parsed<Email>>,
    /// Business portfolio ID.
    pub business_id: Option<Parsed<BusinessPortfolioId>>,
    /// The admin is available to accept the partner's request.
    pub admin_available: Option<bool>,
    /// Display name.
    pub display_name: Option<Parsed<DisplayName>>,
    /// Logo.
    pub logo: Option<Parsed<Logo>>,
    /// Phone number.
    pub phone: Option<Parsed<BusinessPhone>>,
    /// Attestations about the phone.
    #[serde(default)]
    pub attestations: Attestations,
    /// Category.
    pub category: Option<Parsed<Category>>,
    /// Description, or the fact that it was skipped.
    pub description: Option<Optional<Parsed<Description>>>,
    /// Business verification.
    pub business_verification: Option<BusinessVerification>,
}

impl Answers {
    /// Whether a step has its answer.
    pub fn has(&self, step: StepId) -> bool {
        match step {
            StepId::ExistingAccount => self.existing_account.is_some(),
            StepId::StoreAccount => self.store_account.is_some(),
            StepId::Email => self.email.is_some(),
            StepId::BusinessId => self.business_id.is_some(),
            StepId::AdminAvailable => self.admin_available == Some(true),
            StepId::DisplayName => self.display_name.is_some(),
            StepId::Logo => self.logo.is_some(),
            StepId::Phone => self.phone.is_some(),
            StepId::PhoneAttestations => self.attestations.is_complete(),
            StepId::Category => self.category.is_some(),
            StepId::Description => self.description.is_some(),
            StepId::BusinessVerification => self.business_verification.is_some(),
            StepId::Summary | StepId::Done => false,
        }
    }

    /// The first field step still unanswered.
    pub fn first_missing(&self) -> Option<StepId> {
        StepId::FIELDS.into_iter().find(|s| !self.has(*s))
    }

    /// Every finding of every answer that needs attention (warnings and points for review), by
    /// step. How an answer was read (a finding that accepts: a number taken from a link) was said
    /// when it was given and is not repeated here.
    pub fn findings(&self) -> Vec<(StepId, Finding)> {
        let mut all = Vec::new();
        let mut add = |step: StepId, findings: &[Finding]| {
            all.extend(
                findings
                    .iter()
                    .filter(|f| f.verdict > Verdict::Accept)
                    .cloned()
                    .map(|f| (step, f)),
            );
        };
        if let Some(p) = &self.store_account {
            add(StepId::StoreAccount, &p.findings);
        }
        if let Some(p) = &self.email {
            add(StepId::Email, &p.findings);
        }
        if let Some(p) = &self.business_id {
            add(StepId::BusinessId, &p.findings);
        }
        if let Some(p) = &self.display_name {
            add(StepId::DisplayName, &p.findings);
        }
        if let Some(p) = &self.logo {
            add(StepId::Logo, &p.findings);
        }
        if let Some(p) = &self.phone {
            add(StepId::Phone, &p.findings);
        }
        add(StepId::PhoneAttestations, &self.attestations.findings());
        if let Some(p) = &self.category {
            add(StepId::Category, &p.findings);
        }
        if let Some(Optional::Given(p)) = &self.description {
            add(StepId::Description, &p.findings);
        }
        all
    }
}

/// A question the bot asked that is not the step's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pending {
    /// "Continue where you stopped, or start over?"
    ResumeOrRestart,
    /// "Which language?"
    ChooseLanguage,
    /// "Really cancel?"
    ConfirmCancel,
    /// "Really start over?"
    ConfirmRestart,
    /// "Really withdraw the request you sent?"
    ConfirmCancelRequest,
    /// "Really erase your data, draft and requests, for good?"
    ConfirmErase,
    /// "Which field do you want to change?"
    ChooseFieldToEdit,
    /// "Shall our team create the account, or will you, now, in Meta's window?" (asked on
    /// confirming when Embedded Signup is offered).
    ChoosePath,
    /// "This value needs a person's review; keep it?"
    ConfirmReview {
        /// The value waiting for confirmation.
        answer: Box<PendingAnswer>,
    },
}

/// A value that passed its rules but needs the merchant's confirmation first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum PendingAnswer {
    /// A display name (always reviewed against the brand on the website).
    DisplayName {
        /// The name.
        value: Parsed<DisplayName>,
    },
    /// A phone number of a reviewed type.
    Phone {
        /// The number.
        value: Parsed<BusinessPhone>,
    },
    /// A restricted category.
    Category {
        /// The category.
        value: Parsed<Category>,
    },
}

impl PendingAnswer {
    /// The step it answers.
    pub fn step(&self) -> StepId {
        match self {
            PendingAnswer::DisplayName { .. } => StepId::DisplayName,
            PendingAnswer::Phone { .. } => StepId::Phone,
            PendingAnswer::Category { .. } => StepId::Category,
        }
    }

    /// Its findings.
    pub fn findings(&self) -> &[Finding] {
        match self {
            PendingAnswer::DisplayName { value } => &value.findings,
            PendingAnswer::Phone { value } => &value.findings,
            PendingAnswer::Category { value } => &value.findings,
        }
    }
}

/// What staff asked the merchant to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fixing {
    /// The request.
    pub reference: String,
    /// The fields to answer again, in order.
    pub fields: Vec<StepId>,
    /// Why, in staff's words.
    pub reason: String,
}

impl Draft {
    /// Turns a submitted draft into one that asks again for `fields` (after staff's request).
    pub fn start_fixing(&mut self, reference: &str, mut fields: Vec<StepId>, reason: &str) {
        fields.sort();
        fields.dedup();
        fields.retain(|f| f.position().is_some());
        let first = fields.first().copied().unwrap_or(StepId::Summary);
        if fields.contains(&StepId::PhoneAttestations) {
            self.answers.attestations = Attestations::default();
        }
        self.step = first;
        self.pending = None;
        self.editing = false;
        self.failures = 0;
        self.reference = Some(reference.to_owned());
        self.fixing = Some(Fixing {
            reference: reference.to_owned(),
            fields,
            reason: reason.to_owned(),
        });
        self.logo_changed = true;
    }
}

/// One merchant's conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Identifies the draft; the request created from it takes the same id.
    pub id: Uuid,
    /// The language the bot speaks with this merchant.
    pub locale: Locale,
    /// Whether the merchant chose the language (rather than it being detected).
    #[serde(default)]
    pub locale_chosen: bool,
    /// The current step.
    pub step: StepId,
    /// The answers so far.
    #[serde(default)]
    pub answers: Answers,
    /// Failed tries on the current step.
    #[serde(default)]
    pub failures: u8,
    /// Editing from the summary: go back to it after this step.
    #[serde(default)]
    pub editing: bool,
    /// A question waiting for its answer.
    #[serde(default)]
    pub pending: Option<Pending>,
    /// The reference of the request created from this draft.
    #[serde(default)]
    pub reference: Option<String>,
    /// Staff asked to fix these fields of the request made from this draft.
    #[serde(default)]
    pub fixing: Option<Fixing>,
    /// When the conversation began.
    pub created_at: DateTime<Utc>,
    /// When it last moved.
    pub updated_at: DateTime<Utc>,
    /// Which step each of the merchant's recent text messages answered, by the channel's
    /// reference of the message, newest last (at most [`Draft::ANSWERED_KEPT`]): an edit of one
    /// of them is applied to its step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered: Vec<(String, StepId)>,
    /// Whether the logo changed in the last step (storage keeps the bytes apart).
    #[serde(skip)]
    pub logo_changed: bool,
    /// Whether the merchant may create the account themselves in Embedded Signup (set by the
    /// service for each message, from the configuration).
    #[serde(skip)]
    pub signup_offered: bool,
    /// The merchant chose to create the account themselves in Embedded Signup.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub self_signup: bool,
}

impl Draft {
    /// How many answered messages are remembered for their edits.
    pub const ANSWERED_KEPT: usize = 32;

    /// Remembers that the message `message` answered `step`.
    pub fn remember_answer(&mut self, message: String, step: StepId) {
        self.answered.retain(|(m, _)| *m != message);
        self.answered.push((message, step));
        let excess = self.answered.len().saturating_sub(Self::ANSWERED_KEPT);
        self.answered.drain(..excess);
    }

    /// The step the message `message` answered, if it is remembered.
    pub fn answered_step(&self, message: &str) -> Option<StepId> {
        self.answered
            .iter()
            .find(|(m, _)| m == message)
            .map(|(_, step)| *step)
    }

    /// A new conversation.
    pub fn new(locale: Locale, now: DateTime<Utc>) -> Draft {
        Draft {
            id: Uuid::new_v4(),
            locale,
            locale_chosen: false,
            step: StepId::ExistingAccount,
            answers: Answers::default(),
            failures: 0,
            editing: false,
            pending: None,
            reference: None,
            fixing: None,
            created_at: now,
            updated_at: now,
            answered: Vec::new(),
            logo_changed: false,
            signup_offered: false,
            self_signup: false,
        }
    }

    /// Whether the merchant has answered anything yet.
    pub fn has_progress(&self) -> bool {
        self.answers != Answers::default()
    }
}
