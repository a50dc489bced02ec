//! The worker's Graph API calls: the registration of a number, step by step, and the poll of
//! the partner's client accounts. Each call runs outside any transaction; what it did is
//! recorded by `service::meta::record` with the job's completion. A refusal is an outcome (the
//! merchant and staff are told what it means); a server or network failure is retried with
//! the worker's backoff.

use super::{Done, Missing, Worker};
use crate::config::{MetaSettings, Secret, SignupSettings};
use crate::domain::BusinessPhone;
use crate::i18n::Locale;
use crate::jobs::Job;
use crate::meta::graph::{Graph, GraphError, Problem, Step};
use crate::service::meta::{Outcome, code_language};
use crate::storage::{NewJob, Registration};
use anyhow::Context;
use std::sync::atomic::{AtomicI64, Ordering};

/// What the worker needs of Meta.
#[derive(Debug)]
pub struct MetaWork {
    graph: Option<Graph>,
    /// The app's id and secret, for Embedded Signup's code exchange.
    signup: Option<(String, Secret)>,
    from_chat: bool,
    partner_business_id: Option<String>,
    poll_minutes: u32,
    last_slot: AtomicI64,
}

impl MetaWork {
    /// From the configured settings.
    pub fn new(settings: &MetaSettings) -> anyhow::Result<MetaWork> {
        let graph = settings.graph.as_ref().map(Graph::new).transpose()?;
        Ok(MetaWork {
            from_chat: settings.register_from_chat && graph.is_some(),
            partner_business_id: settings
                .graph
                .as_ref()
                .and_then(|g| g.partner_business_id.clone()),
            poll_minutes: settings.poll_minutes,
            graph,
            signup: None,
            last_slot: AtomicI64::new(-1),
        })
    }

    /// Exchanges Embedded Signup's codes with the app of these settings.
    pub fn with_signup(mut self, settings: Option<&SignupSettings>) -> MetaWork {
        self.signup = settings.map(|s| (s.app_id.clone(), s.app_secret.clone()));
        self
    }

    /// Whether numbers are registered from the chat.
    pub fn from_chat(&self) -> bool {
        self.from_chat
    }
}

/// A refusal as an outcome; any other failure as it is (retried).
fn refused(request_id: &str, step: Step, error: anyhow::Error) -> anyhow::Result<Done> {
    match error.downcast::<GraphError>() {
        Ok(graph) => {
            let problem = Problem::of(&graph, step);
            Ok(Done::Meta(Outcome::Refused {
                request_id: request_id.to_owned(),
                step,
                problem,
                wait: problem.wait(&graph),
                said: graph.message,
            }))
        }
        Err(other) => Err(other),
    }
}

impl Worker {
    fn graph(&self) -> anyhow::Result<&Graph> {
        self.meta
            .as_deref()
            .and_then(|m| m.graph.as_ref())
            .ok_or_else(|| Missing("meta".to_owned()).into())
    }

    /// The client for calls about a request's account: with the business token when its store
    /// created the account in Embedded Signup, else with the partner's system-user token.
    async fn graph_for(&self, request_id: &str) -> anyhow::Result<Graph> {
        let graph = self.graph()?;
        Ok(match self.store.signup(request_id).await? {
            Some(session) if session.business_token.is_some() => {
                graph.with_token(session.business_token.as_deref().unwrap_or_default())
            }
            _ => graph.clone(),
        })
    }

    async fn registration(&self, request_id: &str) -> anyhow::Result<Registration> {
        self.store
            .registration(request_id)
            .await?
            .with_context(|| format!("no registration for request {request_id}"))
    }

    /// The Graph API part of a Meta job.
    pub(super) async fn meta_platform(&self, job: &Job) -> anyhow::Result<Done> {
        let graph = self.graph()?;
        let phone_id = |r: &Registration| {
            r.phone_number_id
                .clone()
                .context("the number was not added to the account yet")
        };
        match job {
            Job::MetaPoll { .. } => {
                let Some(partner) = self
                    .meta
                    .as_deref()
                    .and_then(|m| m.partner_business_id.as_deref())
                else {
                    return Ok(Done::Nothing);
                };
                Ok(Done::Polled(graph.client_accounts(partner).await?))
            }
            Job::MetaAddNumber { request_id } => {
                let request = self.request(request_id).await?;
                let registration = self.registration(request_id).await?;
                let number = BusinessPhone::registration(&request.phone)
                    .context("the stored number does not parse")?;
                let digits = request.phone.trim_start_matches('+');
                // Added by a run whose outcome was lost: found, not added twice.
                let found = match graph.phone_number_id(&registration.waba_id, digits).await {
                    Ok(found) => found,
                    Err(error) => return refused(request_id, Step::AddNumber, error),
                };
                let added = match found {
                    Some(id) => Ok(id),
                    None => {
                        graph
                            .add_phone_number(
                                &registration.waba_id,
                                &number.country_code,
                                &number.national,
                                &request.display_name,
                            )
                            .await
                    }
                };
                match added {
                    Ok(phone_number_id) => Ok(Done::Meta(Outcome::NumberAdded {
                        request_id: request_id.clone(),
                        phone_number_id,
                    })),
                    Err(error) => refused(request_id, Step::AddNumber, error),
                }
            }
            Job::MetaRequestCode { request_id, method } => {
                let request = self.request(request_id).await?;
                let registration = self.registration(request_id).await?;
                let language = code_language(Locale::negotiate(&request.locale));
                match graph
                    .request_code(&phone_id(&registration)?, *method, language)
                    .await
                {
                    Ok(()) => Ok(Done::Meta(Outcome::CodeSent {
                        request_id: request_id.clone(),
                        method: *method,
                    })),
                    Err(error) => refused(request_id, Step::RequestCode, error),
                }
            }
            Job::MetaVerifyCode { request_id, code } => {
                let registration = self.registration(request_id).await?;
                match graph.verify_code(&phone_id(&registration)?, code).await {
                    Ok(()) => Ok(Done::Meta(Outcome::Verified {
                        request_id: request_id.clone(),
                    })),
                    Err(error) => refused(request_id, Step::VerifyCode, error),
                }
            }
            Job::MetaRegister { request_id } => {
                let registration = self.registration(request_id).await?;
                let pin = registration.pin.clone().context("no PIN chosen")?;
                let graph = self.graph_for(request_id).await?;
                match graph.register(&phone_id(&registration)?, &pin).await {
                    Ok(()) => Ok(Done::Meta(Outcome::Registered {
                        request_id: request_id.clone(),
                    })),
                    Err(error) => refused(request_id, Step::Register, error),
                }
            }
            Job::MetaSubscribe { request_id } => {
                let registration = self.registration(request_id).await?;
                let graph = self.graph_for(request_id).await?;
                match graph.subscribe_app(&registration.waba_id).await {
                    Ok(()) => Ok(Done::Nothing),
                    Err(error) => refused(request_id, Step::Subscribe, error),
                }
            }
            Job::SignupExchange { request_id, code } => {
                let (app_id, app_secret) = self
                    .meta
                    .as_deref()
                    .and_then(|m| m.signup.as_ref())
                    .ok_or_else(|| Missing("signup".to_owned()))?;
                let exchanged = match graph.exchange_code(app_id, app_secret.expose(), code).await {
                    Ok(token) => Ok(token),
                    Err(error) => match error.downcast::<GraphError>() {
                        Ok(refused) => Err(refused.message),
                        Err(other) => return Err(other),
                    },
                };
                Ok(Done::Exchanged {
                    request_id: request_id.clone(),
                    exchanged,
                })
            }
            _ => Ok(Done::Nothing),
        }
    }

    /// Queues a look at the partner's client accounts, once per poll interval across
    /// instances, while requests await their admin's acceptance.
    pub async fn sweep_meta(&self) -> anyhow::Result<()> {
        let Some(meta) = self.meta.as_deref() else {
            return Ok(());
        };
        if meta.poll_minutes == 0 || meta.graph.is_none() || meta.partner_business_id.is_none() {
            return Ok(());
        }
        let now = self.clock.now();
        let slot = now.timestamp() / 60 / i64::from(meta.poll_minutes);
        if meta.last_slot.swap(slot, Ordering::Relaxed) == slot {
            return Ok(());
        }
        if self.store.portfolios_awaiting_approval().await?.is_empty() {
            return Ok(());
        }
        let mut tx = self.store.begin().await?;
        tx.enqueue(&NewJob::now(
            Job::MetaPoll { slot },
            Some(format!("meta_poll:{slot}")),
            now,
        ))
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
