//! The glue between channels, the conversation engine and storage: one inbound message, one
//! transaction. The event id is recorded (a redelivered event is skipped), the draft is loaded
//! and locked, the engine runs, its effects are carried out, and everything commits together.

use crate::clock::Clock;
use crate::conversation::{
    self, Draft, Effect, Inbound, Reply, RequestOverview, StepId, Transition,
};
use crate::domain::{Message, RequestStatus, deadline};
use crate::i18n::Locale;
use crate::jobs::{DeskNote, HelpWanted, Job};
use crate::service::lifecycle::{self, Actor, LifecycleError};
use crate::service::signup::SignupLinks;
use crate::storage::{NewJob, NewRequest, SignupSession, Store, Tx, UserKey};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// A merchant as a channel sees them.
#[derive(Debug, Clone)]
pub struct Merchant {
    /// Channel and user id.
    pub key: UserKey,
    /// The language the platform reports, used until the merchant chooses one.
    pub locale_hint: Option<Locale>,
}

/// What came of one inbound message.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The language to render the replies in.
    pub locale: Locale,
    /// The replies, in order.
    pub replies: Vec<Reply>,
    /// The event had already been processed; nothing was done.
    pub duplicate: bool,
    /// On a duplicate, the question the conversation is at: a chat channel asks it again, in
    /// case the first answer never reached the merchant.
    pub question: Option<Reply>,
    /// The step the conversation is at now.
    pub step: StepId,
}

/// What becomes of the merchant's draft after a message.
enum DraftFate {
    /// Saved as the engine left it.
    Save,
    /// Forgotten (cancelled).
    Delete,
    /// Replaced by the draft that was parked while an earlier request was fixed.
    Replace(Box<Draft>),
}

/// The onboarding service.
#[derive(Clone)]
pub struct Bot {
    store: Store,
    clock: Arc<dyn Clock>,
    signup: Option<SignupLinks>,
}

impl Bot {
    /// A service on a store and a clock.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Bot {
        Bot {
            store,
            clock,
            signup: None,
        }
    }

    /// Offers Embedded Signup after the summary, with links from `links` (`None`: only the
    /// ticket path).
    pub fn with_signup(mut self, links: Option<SignupLinks>) -> Bot {
        self.signup = links;
        self
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The merchant's draft, if they have one (what the conversation is at: its step and
    /// language, for a channel to judge a button or form against).
    pub async fn draft(&self, merchant: &UserKey) -> anyhow::Result<Option<Draft>> {
        self.store.draft(merchant).await
    }

    /// Whether the merchant's event `event_id` (the platform's id, unscoped) was already
    /// handled: a redelivery, to be answered with the current question rather than judged
    /// against it (a redelivered button press belongs to the question it answered).
    pub async fn is_handled(&self, merchant: &Merchant, event_id: &str) -> anyhow::Result<bool> {
        self.store
            .event_seen(&format!("{}:{event_id}", merchant.key.channel))
            .await
    }

    /// Whether the merchant has a conversation under way (answers kept for later).
    pub async fn has_draft(&self, merchant: &Merchant) -> anyhow::Result<bool> {
        Ok(self.store.draft(&merchant.key).await?.is_some())
    }

    /// Handles one inbound message from a merchant, exactly once per `event_id`.
    ///
    /// A confirmation that loses a race for its phone number against another merchant's (the
    /// database's one-open-request-per-number index refuses it) is handled again, and is then
    /// answered like any number already taken.
    pub async fn handle(
        &self,
        merchant: &Merchant,
        event_id: &str,
        inbound: Inbound,
    ) -> anyhow::Result<Outcome> {
        self.handle_message(merchant, event_id, None, inbound).await
    }

    /// As [`Bot::handle`], for a message the merchant may edit later: `message` is the
    /// channel's reference of it (Telegram's `message_id`). A text that answers a question is
    /// remembered with its step, so that an [`Inbound::Edit`] of it reaches that step.
    #[tracing::instrument(skip_all, fields(channel = %merchant.key.channel, event = %event_id))]
    pub async fn handle_message(
        &self,
        merchant: &Merchant,
        event_id: &str,
        message: Option<&str>,
        inbound: Inbound,
    ) -> anyhow::Result<Outcome> {
        // Only a confirmation can lose that race, and it is never a file: a logo (up to 5 MiB)
        // is not copied for a retry it cannot need.
        let again = (!matches!(inbound, Inbound::File { .. })).then(|| inbound.clone());
        match self.handle_once(merchant, event_id, message, inbound).await {
            Err(error) if crate::storage::is_open_phone_conflict(&error) => match again {
                Some(inbound) => {
                    tracing::info!("phone number taken meanwhile; handled again");
                    self.handle_once(merchant, event_id, message, inbound).await
                }
                None => Err(error),
            },
            other => other,
        }
    }

    async fn handle_once(
        &self,
        merchant: &Merchant,
        event_id: &str,
        message: Option<&str>,
        inbound: Inbound,
    ) -> anyhow::Result<Outcome> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        // Event ids are unique per platform, not across platforms.
        let scoped_event = format!("{}:{event_id}", merchant.key.channel);
        let Some(stored) = tx.begin_inbound(&scoped_event, &merchant.key, now).await? else {
            tx.rollback().await?;
            tracing::info!("redelivered event skipped");
            let draft = self.store.draft(&merchant.key).await?;
            return Ok(Outcome {
                locale: draft
                    .as_ref()
                    .map(|d| d.locale)
                    .or(merchant.locale_hint)
                    .unwrap_or_default(),
                replies: Vec::new(),
                duplicate: true,
                question: draft.as_ref().map(conversation::current_question),
                step: draft.map(|d| d.step).unwrap_or(StepId::ExistingAccount),
            });
        };
        let mut draft =
            stored.unwrap_or_else(|| Draft::new(merchant.locale_hint.unwrap_or_default(), now));
        if let Some(hint) = merchant.locale_hint.filter(|_| !draft.locale_chosen) {
            draft.locale = hint;
        }
        // The code Meta sent for the merchant's number, and `/resend` or `/call`, are for
        // the registration of a request already sent, whatever the conversation is at.
        let side_turn = match crate::service::meta::merchant_turn(
            &mut tx,
            &merchant.key,
            &inbound,
            draft.step == StepId::Done,
            now,
        )
        .await?
        {
            Some(replies) => Some(replies),
            // `/signup` and `/team`, for a request on the Embedded Signup path.
            None => {
                crate::service::signup::merchant_turn(
                    &mut tx,
                    &merchant.key,
                    &inbound,
                    self.signup.as_ref(),
                    now,
                )
                .await?
            }
        };
        if let Some(replies) = side_turn {
            tx.commit().await?;
            return Ok(Outcome {
                locale: draft.locale,
                step: draft.step,
                replies,
                duplicate: false,
                question: None,
            });
        }
        draft.signup_offered = self.signup.is_some();
        let before = draft.clone();
        let answers_question = matches!(&inbound, Inbound::Text(text) if !text.trim_start().starts_with('/'))
            && before.pending.is_none()
            && before.step.takes_text();
        let mut transition = conversation::step(draft, inbound, now);
        if let Some(message) = message.filter(|_| answers_question) {
            transition
                .draft
                .remember_answer(message.to_owned(), before.step);
        }
        let (transition, fate) = self
            .apply_effects(&mut tx, merchant, before, transition, now)
            .await?;
        match &fate {
            DraftFate::Save => tx.save_draft(&merchant.key, &transition.draft).await?,
            DraftFate::Delete => {}
            DraftFate::Replace(parked) => {
                tx.save_draft(&merchant.key, parked).await?;
                tx.park_draft(&merchant.key.key(), None).await?;
            }
        }
        tx.commit().await?;
        tracing::debug!(step = transition.draft.step.as_str(), "inbound handled");
        let metrics = crate::telemetry::metrics();
        metrics.message(&merchant.key.channel, "in", 1);
        metrics.message(
            &merchant.key.channel,
            "out",
            transition.replies.len() as u64,
        );
        for code in &transition.findings {
            metrics
                .findings
                .get_or_create(&crate::telemetry::CodeLabel { code: code.clone() })
                .inc();
        }
        // When a draft set aside comes back, the conversation continues with it.
        let current = match &fate {
            DraftFate::Replace(parked) => parked.as_ref(),
            DraftFate::Save | DraftFate::Delete => &transition.draft,
        };
        Ok(Outcome {
            locale: current.locale,
            step: current.step,
            replies: transition.replies,
            duplicate: false,
            question: None,
        })
    }

    async fn apply_effects(
        &self,
        tx: &mut Tx,
        merchant: &Merchant,
        before: Draft,
        mut transition: Transition,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(Transition, DraftFate)> {
        let mut fate = DraftFate::Save;
        for effect in transition.effects.clone() {
            match effect {
                Effect::CheckPhoneAvailable { e164 } => {
                    if let Some(reference) = tx
                        .open_request_with_phone(&e164, transition.draft.id)
                        .await?
                    {
                        return Ok((
                            conversation::phone_taken(before, &reference, now),
                            DraftFate::Save,
                        ));
                    }
                }
                Effect::Submit | Effect::Resubmit => {
                    // The logo's bytes stay in the database until a request takes them.
                    if let Some(logo) = transition.draft.answers.logo.as_mut()
                        && logo.value.bytes.is_empty()
                        && let Some(bytes) = tx.draft_logo(&merchant.key).await?
                    {
                        logo.value.bytes = bytes.into();
                    }
                    let Some(request) =
                        NewRequest::from_draft(&transition.draft, &merchant.key, now)
                    else {
                        anyhow::bail!("the engine confirmed an incomplete draft");
                    };
                    // The number may have been taken since it was checked.
                    if let Some(reference) = tx
                        .open_request_with_phone(&request.phone, transition.draft.id)
                        .await?
                    {
                        return Ok((
                            conversation::phone_taken(before, &reference, now),
                            DraftFate::Save,
                        ));
                    }
                    if effect == Effect::Submit {
                        let links = self
                            .signup
                            .as_ref()
                            .filter(|_| transition.draft.self_signup);
                        submit(tx, &request, links, &mut transition, now).await?;
                    } else if let Some(parked) =
                        resubmit(tx, merchant, &request, &mut transition, now).await?
                    {
                        fate = DraftFate::Replace(Box::new(parked));
                    }
                }
                Effect::CancelRequest => {
                    let Some(row) = tx
                        .lock_request_by_id(&transition.draft.id.to_string())
                        .await?
                    else {
                        anyhow::bail!("the merchant's request no longer exists");
                    };
                    let actor = Actor::merchant(&merchant.key);
                    match lifecycle::move_in(tx, &row, RequestStatus::Cancelled, &actor, None, now)
                        .await
                    {
                        Ok(()) => transition
                            .replies
                            .push(conversation::request_cancelled_reply(&row.reference)),
                        Err(LifecycleError::Transition(_)) => transition
                            .replies
                            .push(conversation::cancel_refused(&row.reference, &row.status)),
                        Err(other) => return Err(other.into()),
                    }
                    if let Some(parked) = parked_draft(tx, merchant, &mut transition).await? {
                        fate = DraftFate::Replace(Box::new(parked));
                    }
                }
                Effect::ShowStatus => {
                    let requests = self.store.requests_of(&merchant.key).await?;
                    let mut overview = Vec::new();
                    for r in requests {
                        let timeline = self
                            .store
                            .history(&r.id)
                            .await?
                            .into_iter()
                            .map(|h| (deadline::local_date(h.at), h.to))
                            .collect();
                        overview.push(RequestOverview {
                            reference: r.reference,
                            status: r.status,
                            display_name: r.display_name,
                            created_at: deadline::local_date(r.created_at),
                            updated_at: deadline::local_date(r.status_changed_at),
                            timeline,
                        });
                    }
                    let mut replies =
                        conversation::status_replies(transition.draft.step, &overview);
                    replies.append(&mut transition.replies);
                    transition.replies = replies;
                }
                Effect::RequestHuman => {
                    tx.enqueue(&NewJob::now(
                        Job::HelpRequest(HelpWanted {
                            channel: merchant.key.channel.clone(),
                            user_id: merchant.key.user_id.clone(),
                            draft_id: Some(transition.draft.id.to_string()),
                            step: transition.draft.step,
                            locale: transition.draft.locale,
                        }),
                        None,
                        now,
                    ))
                    .await?;
                }
                Effect::Erase => {
                    let actor = Actor::merchant(&merchant.key);
                    let requests = tx.request_ids_of(&merchant.key).await?;
                    for id in &requests {
                        let Some(mut request) = tx.lock_request_by_id(id).await? else {
                            continue;
                        };
                        lifecycle::erase_in(tx, &mut request, &actor, now).await?;
                    }
                    // The draft, a parked one too, whatever the requests were.
                    tx.delete_draft(&merchant.key.key()).await?;
                    transition
                        .replies
                        .push(conversation::erased_reply(requests.len()));
                    fate = DraftFate::Delete;
                }
                Effect::DeleteDraft => {
                    tx.delete_draft(&merchant.key.key()).await?;
                    fate = DraftFate::Delete;
                }
                Effect::PassOn { text } => {
                    let id = transition.draft.id.to_string();
                    if tx.lock_request_by_id(&id).await?.is_some() {
                        let actor = Actor::merchant(&merchant.key);
                        tx.add_note(&id, &actor.id, &text, false, now).await?;
                        tx.enqueue(&NewJob::now(
                            Job::DeskComment {
                                request_id: id,
                                comment: DeskNote::Merchant { text },
                            },
                            None,
                            now,
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok((transition, fate))
    }
}

/// Creates the request of a confirmed draft, with its ticket job, and says so.
async fn submit(
    tx: &mut Tx,
    request: &NewRequest,
    signup: Option<&SignupLinks>,
    transition: &mut Transition,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let reference = tx.create_request(request).await?;
    // Support matches a request by the end of its number. Masked here, whatever subscriber
    // records the line: the last four digits of numbers and ids, the domain of e-mails.
    use crate::telemetry::mask;
    tracing::info!(
        %reference,
        phone = %mask(&request.phone),
        email = %mask(&request.requester_email),
        business_portfolio_id = %mask(&request.business_portfolio_id),
        "request submitted"
    );
    tx.enqueue(&NewJob::now(
        Job::OpenTicket {
            request_id: request.id.clone(),
            reference: Some(reference.clone()),
        },
        Some(format!("open_ticket:{}", request.id)),
        now,
    ))
    .await?;
    transition.draft.reference = Some(reference.clone());
    // The store creates its account itself: the link to Meta's window instead of the steps
    // of the ticket path.
    if let Some(links) = signup
        && let Some(row) = tx.lock_request_by_id(&request.id).await?
    {
        tx.save_signup(&SignupSession::offered(&request.id, now))
            .await?;
        let link = links.open(tx, &row, now).await?;
        transition.replies.extend([
            conversation::notice(Message::new("submitted").text("reference", reference.clone())),
            conversation::notice(link),
        ]);
        return Ok(());
    }
    let expected = deadline::add_business_days(now, deadline::APPROVAL_BUSINESS_DAYS);
    transition
        .replies
        .extend(conversation::submitted_replies(&reference, expected));
    Ok(())
}

/// Puts the fixed values on the request and sends it back to review; returns the draft that was
/// parked meanwhile, if any, to take the fixed one's place.
async fn resubmit(
    tx: &mut Tx,
    merchant: &Merchant,
    request: &NewRequest,
    transition: &mut Transition,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Draft>> {
    let Some(row) = tx.lock_request_by_id(&request.id).await? else {
        anyhow::bail!("the fixed request no longer exists");
    };
    let actor = Actor::merchant(&merchant.key);
    match lifecycle::move_in(tx, &row, RequestStatus::InReview, &actor, None, now).await {
        Ok(()) => {
            tx.update_request_values(request).await?;
            tx.enqueue(&NewJob::now(
                Job::DeskComment {
                    request_id: row.id.clone(),
                    comment: DeskNote::Fixed {
                        fields: row.info_fields.clone(),
                    },
                },
                None,
                now,
            ))
            .await?;
            transition
                .replies
                .push(conversation::resubmitted_reply(&row.reference));
        }
        Err(LifecycleError::Transition(_)) => {
            transition
                .replies
                .push(conversation::resubmit_refused(&row.reference, &row.status));
        }
        Err(other) => return Err(other.into()),
    }
    parked_draft(tx, merchant, transition).await
}

/// The draft set aside while a request was fixed, to take the finished fix's place.
async fn parked_draft(
    tx: &mut Tx,
    merchant: &Merchant,
    transition: &mut Transition,
) -> anyhow::Result<Option<Draft>> {
    let (_, parked) = tx.raw_drafts(&merchant.key.key()).await?;
    if let Some((json, logo)) = parked
        && let Ok(mut parked) = crate::storage::decode_stored_draft(&json, logo)
    {
        parked.logo_changed = true;
        // Its idle clock starts again now.
        parked.updated_at = transition.draft.updated_at;
        transition
            .replies
            .extend(conversation::parked_draft_back(&parked));
        return Ok(Some(parked));
    }
    Ok(None)
}
