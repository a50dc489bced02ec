//! The storage contract: the same behaviour on SQLite and PostgreSQL, observed through the bot
//! and the store.

use crate::support::{TestClock, TestDb, answers_to_summary, backends, png, thursday_noon};
use waba_onboard::conversation::{Inbound, StepId};
use waba_onboard::i18n::Locale;
use waba_onboard::service::merchant::{Bot, Merchant};
use waba_onboard::storage::UserKey;

fn merchant(id: &str) -> Merchant {
    Merchant {
        key: UserKey::new("test", id),
        locale_hint: Some(Locale::PtBr),
    }
}

fn text(s: &str) -> Inbound {
    Inbound::Text(s.to_owned())
}

fn choice(s: &str) -> Inbound {
    Inbound::Choice(s.to_owned())
}

/// Every answer up to the summary, for a given phone number.
fn answers(phone: &str) -> Vec<Inbound> {
    answers_to_summary(phone)
}

async fn say_all(bot: &Bot, who: &Merchant, inputs: Vec<Inbound>) -> StepId {
    let mut step = StepId::ExistingAccount;
    for input in inputs {
        let event = uuid::Uuid::new_v4().to_string();
        step = bot.handle(who, &event, input).await.unwrap().step;
    }
    step
}

/// Every reply of a turn, rendered in the language the bot chose for the merchant.
fn rendered(outcome: &waba_onboard::service::merchant::Outcome) -> String {
    outcome
        .replies
        .iter()
        .map(|r| r.render(outcome.locale).text)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Takes a merchant from hello to a confirmed request; its reference.
async fn submit(bot: &Bot, who: &Merchant, phone: &str) -> String {
    say_all(bot, who, answers(phone)).await;
    bot.handle(
        who,
        &format!("{}-confirm", who.key.user_id),
        choice("confirm"),
    )
    .await
    .unwrap();
    let requests = bot.store().requests_of(&who.key).await.unwrap();
    requests.last().expect("a request").reference.clone()
}

async fn on_every_backend<F, Fut>(test: F)
where
    F: Fn(TestDb) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for db in backends().await {
        eprintln!("backend: {}", db.label);
        test(db).await;
    }
}

#[tokio::test]
async fn migrations_apply_once_and_the_store_reports_ready() {
    on_every_backend(|db| async move {
        let first = db.store().await;
        assert!(first.is_ready().await, "{}", db.label);
        first.close().await;
        let again = db.store().await;
        assert!(again.is_ready().await, "{}", db.label);
        again.close().await;
    })
    .await;
}

#[tokio::test]
async fn a_confirmed_conversation_creates_one_request_with_its_ticket_job() {
    on_every_backend(|db| async move {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let ana = merchant("ana");
        assert_eq!(
            say_all(&bot, &ana, answers("(11) 98765-4321")).await,
            StepId::Summary
        );
        let confirmed = bot
            .handle(&ana, "confirm-1", choice("confirm"))
            .await
            .unwrap();
        let ids: Vec<_> = confirmed
            .replies
            .iter()
            .map(|r| r.message.id.as_str())
            .collect();
        assert_eq!(ids, ["submitted", "submitted-next-steps"], "{}", db.label);
        // Confirming again, as a new event, changes nothing.
        let again = bot
            .handle(&ana, "confirm-2", choice("confirm"))
            .await
            .unwrap();
        assert_eq!(again.replies[0].message.id, "ask-done");
        let requests = bot.store().requests_of(&ana.key).await.unwrap();
        assert_eq!(requests.len(), 1, "{}", db.label);
        let request = &requests[0];
        assert_eq!(request.reference, "WA-000001");
        assert_eq!(request.status, "submitted");
        assert_eq!(request.phone, "+5511987654321");
        assert_eq!(request.locale, "pt-BR");
        assert_eq!((request.logo_width, request.logo_height), (640, 640));
        assert!(
            request
                .problems
                .iter()
                .any(|p| p.code == "display_name.brand_match")
        );
        let jobs = bot.store().pending_jobs("open_ticket").await.unwrap();
        assert_eq!(jobs.len(), 1, "{}", db.label);
        assert!(
            matches!(&jobs[0], waba_onboard::jobs::Job::OpenTicket { reference: Some(r), .. } if r == "WA-000001"),
            "{jobs:?}"
        );
        bot.store().close().await;
    })
    .await;
}

#[tokio::test]
async fn a_redelivered_event_is_processed_once() {
    on_every_backend(|db| async move {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let ana = merchant("ana");
        bot.handle(&ana, "e1", Inbound::Start).await.unwrap();
        bot.handle(&ana, "e2", choice("no")).await.unwrap();
        let first = bot.handle(&ana, "e3", text("minhaloja")).await.unwrap();
        assert_eq!(first.step, StepId::Email);
        let redelivered = bot.handle(&ana, "e3", text("minhaloja")).await.unwrap();
        assert!(redelivered.duplicate, "{}", db.label);
        assert!(redelivered.replies.is_empty());
        assert_eq!(redelivered.step, StepId::Email, "{}", db.label);
        bot.store().close().await;
    })
    .await;
}

#[tokio::test]
async fn a_number_already_on_an_open_request_is_refused_at_the_phone_step() {
    on_every_backend(|db| async move {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let ana = merchant("ana");
        say_all(&bot, &ana, answers("(11) 98765-4321")).await;
        bot.handle(&ana, "ana-confirm", choice("confirm"))
            .await
            .unwrap();
        let bia = merchant("bia");
        let mut inputs = answers("(11) 98765-4321");
        inputs.truncate(10);
        assert_eq!(
            say_all(&bot, &bia, inputs).await,
            StepId::Phone,
            "{}",
            db.label
        );
        let draft = bot.store().draft(&bia.key).await.unwrap().unwrap();
        assert!(draft.answers.phone.is_none());
        // The reason names the open request, in the merchant's language.
        let again = bot
            .handle(&bia, "bia-phone-again", text("(11) 98765-4321"))
            .await
            .unwrap();
        assert_eq!(again.step, StepId::Phone, "{}", db.label);
        let said = rendered(&again);
        assert!(
            said.contains(
                "Este número já está na solicitação WA-000001, que continua aberta. \
                 Use outro número ou acompanhe aquela solicitação com /status."
            ),
            "{}: {said}",
            db.label
        );
        let retry = bot
            .handle(&bia, "bia-phone", text("(11) 91234-5678"))
            .await
            .unwrap();
        assert_eq!(retry.step, StepId::PhoneAttestations, "{}", db.label);
        bot.store().close().await;
    })
    .await;
}

#[tokio::test]
async fn a_restart_of_the_process_resumes_at_the_same_step_with_the_logo() {
    on_every_backend(|db| async move {
        let clock = TestClock::at(thursday_noon());
        let ana = merchant("ana");
        {
            let bot = db.bot(&clock).await;
            let mut inputs = answers("(11) 98765-4321");
            inputs.truncate(9);
            assert_eq!(say_all(&bot, &ana, inputs).await, StepId::Phone);
            bot.store().close().await;
        }
        let bot = db.bot(&clock).await;
        let resumed = bot.handle(&ana, "again", Inbound::Start).await.unwrap();
        assert_eq!(resumed.step, StepId::Phone, "{}", db.label);
        assert_eq!(resumed.replies[0].message.id, "welcome-back");
        let draft = bot.store().draft(&ana.key).await.unwrap().unwrap();
        let logo = draft.answers.logo.expect("the logo survives the restart");
        assert_eq!(
            logo.value.byte_size,
            png(640, 640).len() as u64,
            "{}",
            db.label
        );
        // The rest of the conversation still submits a request with the logo.
        let mut rest = answers("(11) 98765-4321");
        rest.drain(..9);
        rest.insert(0, choice("continue"));
        say_all(&bot, &ana, rest).await;
        bot.handle(&ana, "confirm", choice("confirm"))
            .await
            .unwrap();
        let request = &bot.store().requests_of(&ana.key).await.unwrap()[0];
        assert_eq!(
            request.logo_bytes as usize,
            png(640, 640).len(),
            "{}",
            db.label
        );
        bot.store().close().await;
    })
    .await;
}

#[tokio::test]
async fn references_are_numbered_in_order_and_status_lists_only_my_requests() {
    on_every_backend(|db| async move {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        for (who, phone) in [("ana", "(11) 98765-4321"), ("bia", "(21) 98765-4321")] {
            let m = merchant(who);
            say_all(&bot, &m, answers(phone)).await;
            bot.handle(&m, &format!("{who}-confirm"), choice("confirm"))
                .await
                .unwrap();
        }
        let bia = merchant("bia");
        let status = bot
            .handle(&bia, "bia-status", text("/status"))
            .await
            .unwrap();
        let line = &status.replies[0].notes[0].message;
        assert_eq!(line.id, "status-line");
        let rendered = status.replies[0].render(Locale::PtBr).text;
        assert!(rendered.contains("WA-000002"), "{rendered}");
        assert!(!rendered.contains("WA-000001"), "{rendered}");
        bot.store().close().await;
    })
    .await;
}

#[tokio::test]
async fn cancelling_deletes_the_draft_and_the_next_message_starts_afresh() {
    on_every_backend(|db| async move {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let ana = merchant("ana");
        say_all(
            &bot,
            &ana,
            vec![Inbound::Start, choice("no"), text("minhaloja")],
        )
        .await;
        let asked = bot.handle(&ana, "c1", text("/cancelar")).await.unwrap();
        assert_eq!(asked.replies[0].message.id, "ask-confirm-cancel");
        let done = bot.handle(&ana, "c2", choice("yes")).await.unwrap();
        assert_eq!(done.replies[0].message.id, "cancelled");
        assert!(
            bot.store().draft(&ana.key).await.unwrap().is_none(),
            "{}",
            db.label
        );
        let fresh = bot.handle(&ana, "c3", Inbound::Start).await.unwrap();
        assert_eq!(fresh.replies[0].message.id, "welcome");
        bot.store().close().await;
    })
    .await;
}

#[tokio::test]
async fn the_database_itself_refuses_a_second_open_request_for_a_number() {
    on_every_backend(|db| async move {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let ana = merchant("ana");
        say_all(&bot, &ana, answers("(11) 98765-4321")).await;
        bot.handle(&ana, "ana-confirm", choice("confirm"))
            .await
            .unwrap();
        // A racing confirmation that slipped past the conversation's check.
        let draft = bot.store().draft(&ana.key).await.unwrap().unwrap();
        let mut twin = waba_onboard::storage::NewRequest::from_draft(
            &draft,
            &UserKey::new("test", "bia"),
            thursday_noon(),
        )
        .unwrap();
        twin.id = uuid::Uuid::new_v4().to_string();
        let mut tx = bot.store().begin().await.unwrap();
        let refused = tx
            .create_request(&twin)
            .await
            .expect_err("a second open request for one number");
        assert!(
            waba_onboard::storage::is_open_phone_conflict(&refused),
            "{}: refused for another reason: {refused:#}",
            db.label
        );
        drop(tx);
        assert_eq!(bot.store().list_requests(None).await.unwrap().len(), 1);
        // The same request with another number is accepted: the number was the reason.
        twin.phone = "+5521987654321".into();
        let mut tx = bot.store().begin().await.unwrap();
        tx.create_request(&twin).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(bot.store().list_requests(None).await.unwrap().len(), 2);
        bot.store().close().await;
    })
    .await;
}

#[tokio::test]
async fn a_closed_request_frees_its_number() {
    use waba_onboard::domain::{RequestStatus, Role};
    use waba_onboard::service::lifecycle::{Actor, Lifecycle};
    on_every_backend(|db| async move {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let lifecycle = Lifecycle::new(bot.store().clone(), std::sync::Arc::new(clock.clone()));
        let staff = Actor {
            role: Role::Staff,
            id: "cli:bob".into(),
        };
        let closings: [(&str, &[(RequestStatus, Actor)]); 3] = [
            ("cancelled", &[(RequestStatus::Cancelled, staff.clone())]),
            ("rejected", &[(RequestStatus::Rejected, staff.clone())]),
            (
                "expired",
                &[
                    (RequestStatus::InReview, staff.clone()),
                    (RequestStatus::AwaitingClientApproval, staff.clone()),
                    (RequestStatus::Expired, Actor::system()),
                ],
            ),
        ];
        for (i, (closing, moves)) in closings.iter().enumerate() {
            let owner = merchant(&format!("owner{i}"));
            let reference = submit(&bot, &owner, "(11) 98765-4321").await;
            for (to, actor) in moves.iter() {
                lifecycle
                    .advance(&reference, *to, actor, Some("closed for the test"))
                    .await
                    .unwrap();
            }
            // Someone else may now use the number.
            let next = merchant(&format!("next{i}"));
            let mut inputs = answers("(11) 98765-4321");
            inputs.truncate(10);
            assert_eq!(
                say_all(&bot, &next, inputs).await,
                StepId::PhoneAttestations,
                "{}: a {closing} request still holds its number",
                db.label
            );
        }
        bot.store().close().await;
    })
    .await;
}

#[tokio::test]
async fn two_merchants_confirming_one_number_at_once_make_one_request_and_one_ticket() {
    on_every_backend(|db| async move {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let (ana, bia) = (merchant("ana"), merchant("bia"));
        say_all(&bot, &ana, answers("(11) 98765-4321")).await;
        say_all(&bot, &bia, answers("(11) 98765-4321")).await;
        let (a, b) = tokio::join!(
            bot.handle(&ana, "ana-confirm", choice("confirm")),
            bot.handle(&bia, "bia-confirm", choice("confirm")),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(
            bot.store().list_requests(None).await.unwrap().len(),
            1,
            "{}",
            db.label
        );
        assert_eq!(
            bot.store().pending_jobs("open_ticket").await.unwrap().len(),
            1,
            "{}",
            db.label
        );
        // One of them is told the number is taken, and is back at the phone question.
        let (winner, loser) = if a.step == StepId::Done {
            (a, b)
        } else {
            (b, a)
        };
        assert_eq!(winner.step, StepId::Done, "{}", db.label);
        assert_eq!(loser.step, StepId::Phone, "{}", db.label);
        assert!(
            rendered(&loser).contains("Este número já está na solicitação WA-000001"),
            "{}: {}",
            db.label,
            rendered(&loser)
        );
        bot.store().close().await;
    })
    .await;
}
