//! Embedded Signup, the second path: the store's admin creates the WhatsApp Business account
//! in Meta's own window (Meta's "Embedded Signup" pages), pre-filled with what the bot
//! validated, instead of waiting for the partner to send a request.
//!
//! - On confirming, a merchant offered the path chooses it; the request is created as on the
//!   ticket path and the bot gives a link (`{public_url}/signup/{token}`): a random token, used
//!   once, valid [`SignupSettings::link_minutes`]; only its SHA-256 is stored.
//! - The page posts the session's outcome. `FINISH` records the account and number ids, moves
//!   the request to `approved_by_client` (actor `meta`), exchanges the code for the business
//!   token and registers the number; `CANCEL` records the step where the merchant stopped;
//!   `ERROR` keeps Meta's words for staff. Each is told in the merchant's chat, with what to do
//!   next: `/signup` for a new link, `/team` for our team to create the account.
//! - The rest (display name review, going active) comes through Meta's webhooks, as on the
//!   ticket path.

use crate::clock::Clock;
use crate::config::SignupSettings;
use crate::conversation::{self, Command, Inbound, Reply};
use crate::domain::{BusinessPhone, Message, RequestStatus};
use crate::i18n::Locale;
use crate::jobs::Job;
use crate::service::lifecycle::{self, Actor, LifecycleError};
use crate::service::meta::{Stage, alert, new_pin, tell, wait_message};
pub use crate::service::reports::step_label;
use crate::storage::{NewJob, Registration, RequestRow, SignupSession, Store, Tx, UserKey};
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// Where the bot's links lead and how long they last.
#[derive(Debug, Clone)]
pub struct SignupLinks {
    public_url: url::Url,
    minutes: u32,
}

impl SignupLinks {
    /// From the configured settings.
    pub fn new(settings: &SignupSettings) -> SignupLinks {
        SignupLinks {
            public_url: settings.public_url.clone(),
            minutes: settings.link_minutes,
        }
    }

    /// Opens a new link to the request's signup (the request's older links stop working) and
    /// returns what to tell the merchant: the link, whom it is for, and for how long it works.
    pub async fn open(
        &self,
        tx: &mut Tx,
        request: &RequestRow,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Message> {
        let token = new_token();
        let expires_at = now + Duration::minutes(i64::from(self.minutes));
        tx.use_signup_links(&request.id, now).await?;
        tx.add_signup_link(&token_hash(&token), &request.id, now, expires_at)
            .await?;
        let url = format!(
            "{}/signup/{token}",
            self.public_url.as_str().trim_end_matches('/')
        );
        Ok(Message::new("signup-link")
            .text("reference", request.reference.clone())
            .text("url", url)
            .nested(
                "valid",
                wait_message(Duration::minutes(i64::from(self.minutes))),
            ))
    }
}

/// A token: two v4 UUIDs from the operating system's random source (244 random bits), as 64
/// hexadecimal digits.
fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The stored form of a token: its SHA-256, in hexadecimal.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Whether `token` has the shape of the bot's tokens (64 lowercase hexadecimal digits); any
/// other is refused before the database is asked.
pub fn well_formed(token: &str) -> bool {
    token.len() == 64
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Why a link does not open the signup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// No such link (mistyped, or not ours).
    Unknown,
    /// It was used, replaced by a newer one, or the request moved on.
    Used,
    /// Past its time.
    Expired,
    /// The page's anti-forgery value is missing or wrong.
    Forged,
}

impl LinkRefusal {
    /// The page text's message id.
    pub fn message_id(self) -> &'static str {
        match self {
            LinkRefusal::Unknown => "signup-page-unknown",
            LinkRefusal::Used => "signup-page-used",
            LinkRefusal::Expired => "signup-page-expired",
            LinkRefusal::Forged => "signup-page-forged",
        }
    }
}

/// What the signup page of a valid link needs.
#[derive(Debug, Clone)]
pub struct Page {
    /// The merchant's language.
    pub locale: Locale,
    /// The request's reference.
    pub reference: String,
    /// The business number as people write it (`+55 11 98765-4321`).
    pub phone: String,
    /// The value the page sends back with its events (`X-Signup-Csrf`).
    pub csrf: String,
    /// `extras.setup` of `FB.login`: what Meta's screens are pre-filled with (Meta's "Embedded
    /// Signup" pages: "Pre-filled data").
    pub setup: Value,
}

/// One session event, as the page posts it (from Meta's `WA_EMBEDDED_SIGNUP` message and the
/// login callback's `authResponse.code`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "event", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SessionEvent {
    /// The account was created (`FINISH`; `FINISH_ONLY_WABA` has no number id).
    Finish {
        /// The WhatsApp Business account id.
        waba_id: String,
        /// The number's id, when it was added and verified in the window.
        #[serde(default)]
        phone_number_id: Option<String>,
        /// The code to exchange for the business token.
        #[serde(default)]
        code: Option<String>,
    },
    /// The merchant closed the window (`CANCEL`), at Meta's `current_step`.
    Cancel {
        /// Where they stopped (`PHONE_NUMBER_VERIFICATION`, …).
        #[serde(default)]
        current_step: Option<String>,
    },
    /// Meta reported an error (`CANCEL` with `error_message`).
    Error {
        /// Meta's words.
        error_message: String,
        /// Meta's error id, for support.
        #[serde(default)]
        error_id: Option<String>,
    },
}

/// Most characters of Meta's words kept.
const MAX_SAID: usize = 500;

impl SessionEvent {
    /// Parses a posted body; `None` when it is not an event with well-formed fields (ids are
    /// digits, a step is capitals and underscores).
    pub fn parse(body: &[u8]) -> Option<SessionEvent> {
        let event: SessionEvent = serde_json::from_slice(body).ok()?;
        let id = |v: &str| !v.is_empty() && v.len() <= 32 && v.bytes().all(|b| b.is_ascii_digit());
        let ok = match &event {
            SessionEvent::Finish {
                waba_id,
                phone_number_id,
                code,
            } => {
                id(waba_id)
                    && phone_number_id.as_deref().is_none_or(id)
                    && code.as_deref().is_none_or(|c| {
                        !c.is_empty() && c.len() <= 2048 && c.bytes().all(|b| b.is_ascii_graphic())
                    })
            }
            SessionEvent::Cancel { current_step } => current_step.as_deref().is_none_or(|s| {
                s.len() <= 64 && s.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
            }),
            SessionEvent::Error { error_id, .. } => error_id
                .as_deref()
                .is_none_or(|v| v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric())),
        };
        ok.then_some(event)
    }
}

/// What the page shows after an event was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// The account was created.
    Finished,
    /// The merchant stopped.
    Cancelled,
    /// Meta reported an error.
    Failed,
}

/// The page side of Embedded Signup: links opened, events received.
#[derive(Clone)]
pub struct SignupService {
    store: Store,
    clock: Arc<dyn Clock>,
    settings: Arc<SignupSettings>,
}

impl SignupService {
    /// On a store, with a clock and the settings.
    pub fn new(store: Store, clock: Arc<dyn Clock>, settings: SignupSettings) -> SignupService {
        SignupService {
            store,
            clock,
            settings: Arc::new(settings),
        }
    }

    /// The settings.
    pub fn settings(&self) -> &SignupSettings {
        &self.settings
    }

    /// The anti-forgery value of a token: HMAC-SHA256 of it under the app secret, in hex.
    fn csrf(&self, token: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.settings.app_secret.expose().as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(b"signup-page:");
        mac.update(token.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// The page of a link, or why it does not open (with the merchant's language when the
    /// link is known).
    pub async fn page(&self, token: &str) -> Result<Page, (LinkRefusal, Option<Locale>)> {
        let now = self.clock.now();
        let unknown = (LinkRefusal::Unknown, None);
        if !well_formed(token) {
            return Err(unknown);
        }
        let link = match self.store.signup_link(&token_hash(token)).await {
            Ok(Some(link)) => link,
            Ok(None) => return Err(unknown),
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "cannot read a signup link");
                return Err(unknown);
            }
        };
        let (request, session) = match (
            self.store.request_by_id(&link.request_id).await,
            self.store.signup(&link.request_id).await,
        ) {
            (Ok(Some(request)), Ok(Some(session))) => (request, session),
            _ => return Err(unknown),
        };
        let locale = Locale::negotiate(&request.locale);
        usable(&link, &session, &request, now).map_err(|refusal| (refusal, Some(locale)))?;
        Ok(Page {
            locale,
            reference: request.reference.clone(),
            phone: BusinessPhone::international_of(&request.phone),
            csrf: self.csrf(token),
            setup: setup(&request),
        })
    }

    /// Takes an event the page posted with `csrf`: checked, recorded, told, in one
    /// transaction. A link takes one event (the session's outcome); a second is refused.
    pub async fn event(
        &self,
        token: &str,
        csrf: &str,
        event: SessionEvent,
    ) -> Result<Taken, LinkRefusal> {
        if !well_formed(token) {
            return Err(LinkRefusal::Unknown);
        }
        if !bool::from(self.csrf(token).as_bytes().ct_eq(csrf.trim().as_bytes())) {
            return Err(LinkRefusal::Forged);
        }
        match self.take(token, event).await {
            Ok(taken) => taken,
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "cannot record a signup event");
                Err(LinkRefusal::Unknown)
            }
        }
    }

    async fn take(
        &self,
        token: &str,
        event: SessionEvent,
    ) -> anyhow::Result<Result<Taken, LinkRefusal>> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let hash = token_hash(token);
        let Some(request) = self.store.signup_link(&hash).await? else {
            return Ok(Err(LinkRefusal::Unknown));
        };
        let Some(requester) = self
            .store
            .request_by_id(&request.request_id)
            .await?
            .map(|r| r.requester)
        else {
            return Ok(Err(LinkRefusal::Unknown));
        };
        // Locks in the order of a merchant's message (`/signup`, `/team`): their draft row,
        // the request, its session, then its links.
        tx.lock_draft_row(&requester).await?;
        let Some(request) = tx.lock_request_by_id(&request.request_id).await? else {
            return Ok(Err(LinkRefusal::Unknown));
        };
        let Some(mut session) = tx.lock_signup(&request.id).await? else {
            return Ok(Err(LinkRefusal::Unknown));
        };
        let Some(link) = tx.lock_signup_link(&hash).await? else {
            return Ok(Err(LinkRefusal::Unknown));
        };
        if let Err(refusal) = usable(&link, &session, &request, now) {
            return Ok(Err(refusal));
        }
        tx.use_signup_links(&request.id, now).await?;
        session.updated_at = now;
        let reference = request.reference.clone();
        let taken = match event {
            SessionEvent::Finish {
                waba_id,
                phone_number_id,
                code,
            } => {
                finish(
                    &mut tx,
                    &request,
                    &mut session,
                    waba_id,
                    phone_number_id,
                    code,
                    now,
                )
                .await?;
                Taken::Finished
            }
            SessionEvent::Cancel { current_step } => {
                session.state = "cancelled".to_owned();
                session.stopped_at = current_step.clone();
                tell(
                    &mut tx,
                    &request.id,
                    vec![
                        Message::new("signup-cancelled")
                            .text("reference", reference)
                            .nested("step", step_label(current_step.as_deref())),
                    ],
                    now,
                )
                .await?;
                Taken::Cancelled
            }
            SessionEvent::Error {
                error_message,
                error_id,
            } => {
                let said: String = error_message.chars().take(MAX_SAID).collect();
                session.state = "error".to_owned();
                session.error_message = Some(said.clone());
                tell(
                    &mut tx,
                    &request.id,
                    vec![
                        Message::new("signup-failed")
                            .text("reference", reference.clone())
                            .text("said", said.clone()),
                    ],
                    now,
                )
                .await?;
                alert(
                    &mut tx,
                    Some(&request.id),
                    Message::new("signup-alert-error")
                        .text("reference", reference)
                        .text("said", said)
                        .text("id", error_id.unwrap_or_default()),
                    now,
                )
                .await?;
                Taken::Failed
            }
        };
        tx.save_signup(&session).await?;
        tx.enqueue(&NewJob::refresh_staff_posts(&request.id, now))
            .await?;
        tx.commit().await?;
        tracing::info!(
            reference = %request.reference,
            outcome = ?taken,
            "Embedded Signup session event"
        );
        Ok(Ok(taken))
    }
}

/// Whether a link still opens its request's signup.
fn usable(
    link: &crate::storage::SignupLink,
    session: &SignupSession,
    request: &RequestRow,
    now: DateTime<Utc>,
) -> Result<(), LinkRefusal> {
    let open = matches!(
        RequestStatus::parse(&request.status),
        Some(RequestStatus::Submitted | RequestStatus::InReview)
    );
    if link.used_at.is_some() || session.state != "offered" || !open {
        return Err(LinkRefusal::Used);
    }
    if link.expires_at <= now {
        return Err(LinkRefusal::Expired);
    }
    Ok(())
}

/// `extras.setup` from the validated request: the business (its portfolio, name, e-mail,
/// phone) and the WhatsApp profile (display name, category, description).
pub fn setup(request: &RequestRow) -> Value {
    let number = BusinessPhone::registration(&request.phone);
    let mut business = json!({
        "id": request.business_portfolio_id,
        "name": request.display_name,
        "email": request.requester_email,
    });
    if let Some(number) = &number {
        business["phone"] = json!({
            "code": number.country_code.parse::<u32>().unwrap_or_default(),
            "number": number.national,
        });
    }
    let mut phone = json!({
        "displayName": request.display_name,
        "category": request.category,
    });
    if let Some(description) = &request.description {
        phone["description"] = json!(description);
    }
    json!({ "business": business, "phone": phone })
}

/// `FINISH`: the account is the store's, shared with the partner. The request moves to
/// `approved_by_client`, and the number is registered (with the business token once the code
/// is exchanged), or added first when the window did not add it.
async fn finish(
    tx: &mut Tx,
    request: &RequestRow,
    session: &mut SignupSession,
    waba_id: String,
    phone_number_id: Option<String>,
    code: Option<String>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    session.state = "finished".to_owned();
    session.waba_id = Some(waba_id.clone());
    session.phone_number_id = phone_number_id.clone();
    let registering = phone_number_id.is_some();
    let told = Message::new(if registering {
        "signup-finished"
    } else {
        "signup-finished-no-number"
    })
    .text("reference", request.reference.clone());
    match lifecycle::move_telling(
        tx,
        request,
        RequestStatus::ApprovedByClient,
        &Actor::meta(),
        vec![told],
        now,
    )
    .await
    {
        Ok(()) | Err(LifecycleError::Transition(_)) => {}
        Err(other) => return Err(other.into()),
    }
    let stage = if registering {
        Stage::Registering
    } else {
        Stage::Adding
    };
    tx.save_registration(&Registration::starting(
        &request.id,
        waba_id,
        phone_number_id,
        stage.as_str(),
        registering.then(new_pin),
        now,
    ))
    .await?;
    let job = match (code, registering) {
        (Some(code), _) => Job::SignupExchange {
            request_id: request.id.clone(),
            code,
        },
        (None, true) => Job::MetaRegister {
            request_id: request.id.clone(),
        },
        (None, false) => Job::MetaAddNumber {
            request_id: request.id.clone(),
        },
    };
    tx.enqueue(&NewJob::now(job, None, now)).await?;
    Ok(())
}

/// Records the code exchange (a job's transaction): the business token kept for the account's
/// calls, or Meta's refusal shown to staff (the partner's system-user token is used then);
/// then the number's registration goes on.
pub async fn record_exchange(
    tx: &mut Tx,
    request_id: &str,
    exchanged: Result<String, String>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let Some(mut session) = tx.lock_signup(request_id).await? else {
        return Ok(());
    };
    let Some(request) = tx.lock_request_by_id(request_id).await? else {
        return Ok(());
    };
    match exchanged {
        Ok(token) => session.business_token = Some(token),
        Err(said) => {
            alert(
                tx,
                Some(request_id),
                Message::new("signup-alert-exchange")
                    .text("reference", request.reference.clone())
                    .text("said", said),
                now,
            )
            .await?;
        }
    }
    session.updated_at = now;
    tx.save_signup(&session).await?;
    let job = if session.phone_number_id.is_some() {
        Job::MetaRegister {
            request_id: request_id.to_owned(),
        }
    } else {
        Job::MetaAddNumber {
            request_id: request_id.to_owned(),
        }
    };
    tx.enqueue(&NewJob::now(job, None, now)).await?;
    Ok(())
}

/// Handles `/signup` and `/team` of a merchant whose request is on the Embedded Signup path
/// and not finished, inside their message's transaction; `None` when there is no such
/// request (the conversation answers).
pub async fn merchant_turn(
    tx: &mut Tx,
    merchant: &UserKey,
    inbound: &Inbound,
    links: Option<&SignupLinks>,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Vec<Reply>>> {
    let command = match inbound {
        Inbound::Command(command) => Some(command.clone()),
        Inbound::Text(text) | Inbound::Choice(text) => Command::parse(text),
        _ => None,
    };
    let (Some(command @ (Command::Signup | Command::Team)), Some(links)) = (command, links) else {
        return Ok(None);
    };
    let Some(found) = tx
        .signups_of(merchant, &["offered", "cancelled", "error"])
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let Some(request) = tx.lock_request_by_id(&found.request_id).await? else {
        return Ok(None);
    };
    let Some(mut session) = tx.lock_signup(&request.id).await? else {
        return Ok(None);
    };
    session.updated_at = now;
    let say = |message: Message| Some(vec![conversation::notice(message)]);
    let reply = match command {
        Command::Signup => {
            let open = matches!(
                RequestStatus::parse(&request.status),
                Some(RequestStatus::Submitted | RequestStatus::InReview)
            );
            if !open {
                return Ok(say(
                    Message::new("signup-too-late").text("reference", request.reference.clone())
                ));
            }
            session.state = "offered".to_owned();
            let link = links.open(tx, &request, now).await?;
            say(link)
        }
        _ => {
            session.state = "team".to_owned();
            tx.use_signup_links(&request.id, now).await?;
            let actor = Actor::merchant(merchant);
            tx.add_note(&request.id, &actor.id, "/team", false, now)
                .await?;
            say(Message::new("signup-team").text("reference", request.reference.clone()))
        }
    };
    tx.save_signup(&session).await?;
    tx.enqueue(&NewJob::refresh_staff_posts(&request.id, now))
        .await?;
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (new_token(), new_token());
        assert!(well_formed(&a) && well_formed(&b));
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert!(!well_formed(&a.to_uppercase()));
        assert!(!well_formed(&a[..63]));
        assert!(!well_formed("../../etc/passwd"));
    }

    #[test]
    fn events_are_read_as_the_page_posts_them() {
        let finish =
            br#"{"event":"FINISH","waba_id":"123","phone_number_id":"456","code":"AQB-x"}"#;
        assert_eq!(
            SessionEvent::parse(finish),
            Some(SessionEvent::Finish {
                waba_id: "123".into(),
                phone_number_id: Some("456".into()),
                code: Some("AQB-x".into()),
            })
        );
        let cancel = br#"{"event":"CANCEL","current_step":"PHONE_NUMBER_VERIFICATION"}"#;
        assert!(matches!(
            SessionEvent::parse(cancel),
            Some(SessionEvent::Cancel { .. })
        ));
        for bad in [
            &br#"{"event":"FINISH","waba_id":"12a"}"#[..],
            br#"{"event":"FINISH","waba_id":"1","code":"a b"}"#,
            br#"{"event":"CANCEL","current_step":"<script>"}"#,
            br#"{"event":"DELETE"}"#,
            b"not json",
        ] {
            assert_eq!(
                SessionEvent::parse(bad),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
