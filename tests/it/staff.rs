//! The staff workflow at the service level, once for every channel: every action and query
//! by every role, on both backends; refusals say why, in the reader's language, and change
//! nothing.

use crate::support::{TestClock, TestDb, answers_to_summary, backends, thursday_noon};
use std::sync::Arc;
use waba_onboard::conversation::{Inbound, StepId};
use waba_onboard::domain::{RequestStatus, Role};
use waba_onboard::i18n::{self, Locale};
use waba_onboard::service::events::EventId;
use waba_onboard::service::lifecycle::Actor;
use waba_onboard::service::merchant::{Bot, Merchant};
use waba_onboard::service::reports::Surface;
use waba_onboard::service::staff::{Reason, Staff, StaffAction, StaffQuery};
use waba_onboard::storage::UserKey;

/// Merchant `n`'s confirmed request, `WA-00000n` (in order of calls).
async fn submit(bot: &Bot, n: usize) -> (String, UserKey) {
    let key = UserKey::new("console", &format!("m{n}"));
    let merchant = Merchant {
        key: key.clone(),
        locale_hint: Some(Locale::En),
    };
    let mut answers = answers_to_summary(&format!("+55 11 9{:04}-4321", 8000 + n));
    answers.push(Inbound::Choice("confirm".into()));
    for (i, answer) in answers.into_iter().enumerate() {
        bot.handle(&merchant, &format!("m{n}-{i}"), answer)
            .await
            .unwrap();
    }
    let reference = bot.store().requests_of(&key).await.unwrap()[0]
        .reference
        .clone();
    (reference, key)
}

fn reason() -> Reason {
    Reason::parse("The website shows another brand").unwrap()
}

fn actions(reference: &str) -> Vec<(&'static str, StaffAction, RequestStatus)> {
    let reference = reference.to_owned();
    vec![
        (
            "move",
            StaffAction::Move {
                reference: reference.clone(),
                to: RequestStatus::InReview,
                reason: None,
            },
            RequestStatus::InReview,
        ),
        (
            "ask",
            StaffAction::AskFix {
                reference: reference.clone(),
                fields: vec![StepId::DisplayName],
                reason: reason(),
            },
            RequestStatus::NeedsInfo,
        ),
        (
            "reject",
            StaffAction::Reject {
                reference: reference.clone(),
                reason: reason(),
            },
            RequestStatus::Rejected,
        ),
        (
            "cancel",
            StaffAction::Move {
                reference: reference.clone(),
                to: RequestStatus::Cancelled,
                reason: None,
            },
            RequestStatus::Cancelled,
        ),
        (
            "note",
            StaffAction::Note {
                reference,
                text: "Called the store".into(),
                visible: true,
            },
            RequestStatus::Submitted,
        ),
    ]
}

#[tokio::test]
async fn every_action_by_every_role_is_done_or_refused_with_its_reason() {
    // (role, action) → the message the actor reads; the owner may cancel, managers only ask.
    let expected: &[(&str, &str, &str)] = &[
        ("staff", "move", "requests-moved"),
        ("staff", "ask", "requests-asked"),
        ("staff", "reject", "requests-moved"),
        ("staff", "cancel", "requests-moved"),
        ("staff", "note", "requests-noted"),
        ("manager", "move", "transition-forbidden"),
        ("manager", "ask", "transition-forbidden"),
        ("manager", "reject", "transition-forbidden"),
        ("manager", "cancel", "transition-forbidden"),
        ("manager", "note", "staff-only"),
        ("merchant", "move", "transition-forbidden"),
        ("merchant", "ask", "transition-forbidden"),
        ("merchant", "reject", "transition-forbidden"),
        ("merchant", "cancel", "requests-moved"),
        ("merchant", "note", "staff-only"),
    ];
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let staff = Staff::new(bot.store().clone(), Arc::new(clock.clone()));
        let mut n = 0;
        for (role_name, action_name, outcome) in expected {
            n += 1;
            let (reference, owner) = submit(&bot, n).await;
            let actor = match *role_name {
                "staff" => Actor {
                    role: Role::Staff,
                    id: "test:staff".into(),
                },
                "manager" => Actor {
                    role: Role::Manager,
                    id: "test:manager".into(),
                },
                _ => Actor::merchant(&owner),
            };
            let (_, action, moved_to) = actions(&reference)
                .into_iter()
                .find(|(name, _, _)| name == action_name)
                .unwrap();
            let case = format!("{}: {role_name} {action_name}", db.label);
            let result = staff.act(&actor, action, None).await;
            let status = staff.lifecycle().report(&reference).await.unwrap().status;
            match result {
                Ok(done) => {
                    assert_eq!(done.id, *outcome, "{case}");
                    assert_eq!(status, moved_to, "{case}");
                }
                Err(refused) => {
                    assert_eq!(refused.message().id, *outcome, "{case}");
                    assert_eq!(status, RequestStatus::Submitted, "{case}: changed");
                    // Said in words, in both languages.
                    for locale in Locale::ALL {
                        let said = i18n::render(locale, &refused.message());
                        assert!(!said.contains(outcome), "{case}: {said}");
                    }
                }
            }
        }
        bot.store().close().await;
    }
}

#[tokio::test]
async fn staff_and_managers_ask_and_merchants_cannot() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let staff = Staff::new(bot.store().clone(), Arc::new(clock.clone()));
        let (reference, owner) = submit(&bot, 1).await;
        let queries = || {
            vec![
                StaffQuery::Status {
                    reference_or_account: reference.to_lowercase(),
                },
                StaffQuery::Pending {
                    status: Some(RequestStatus::Submitted),
                    page: 1,
                },
                StaffQuery::Stats { since: None },
            ]
        };
        for role in [Role::Staff, Role::Manager] {
            let actor = Actor {
                role,
                id: "test:someone".into(),
            };
            for query in queries() {
                let answer = staff.ask(&actor, query.clone()).await.unwrap();
                let text = answer.render(Locale::En, Surface::Cli);
                match query {
                    StaffQuery::Stats { .. } => {
                        assert!(text.contains("submitted: 1 now"), "{text}")
                    }
                    _ => assert!(text.contains(&reference), "{}: {text}", db.label),
                }
            }
        }
        for query in queries() {
            let refused = staff
                .ask(&Actor::merchant(&owner), query)
                .await
                .unwrap_err();
            assert_eq!(refused.message().id, "staff-queries-not-allowed");
        }
        // An unknown reference is said so.
        let unknown = staff
            .ask(
                &Actor {
                    role: Role::Manager,
                    id: "test:m".into(),
                },
                StaffQuery::Status {
                    reference_or_account: "WA-999999".into(),
                },
            )
            .await
            .unwrap_err();
        assert_eq!(unknown.message().id, "lifecycle-not-found");
        // A period from a given day; a day that is no day, or after today, is said so.
        let manager = Actor {
            role: Role::Manager,
            id: "test:m".into(),
        };
        let since = StaffQuery::Stats {
            since: Some(" 2026-11-02 ".into()),
        };
        let text = staff
            .ask(&manager, since)
            .await
            .unwrap()
            .render(Locale::PtBr, Surface::Telegram);
        assert!(
            text.starts_with("Funil de 2 de novembro de 2026 a 26 de novembro de 2026"),
            "{text}"
        );
        for (typed, id) in [
            ("02/11/2026", "pipeline-date-malformed"),
            ("2026-11-27", "pipeline-date-future"),
        ] {
            let refused = staff
                .ask(
                    &manager,
                    StaffQuery::Stats {
                        since: Some(typed.into()),
                    },
                )
                .await
                .unwrap_err();
            assert_eq!(refused.message().id, id, "{typed}");
        }
        bot.store().close().await;
    }
}

#[tokio::test]
async fn a_move_that_needs_more_is_refused_until_it_has_it() {
    let db = TestDb::sqlite();
    let clock = TestClock::at(thursday_noon());
    let bot = db.bot(&clock).await;
    let staff = Staff::new(bot.store().clone(), Arc::new(clock.clone()));
    let (reference, _) = submit(&bot, 1).await;
    let actor = Actor {
        role: Role::Staff,
        id: "test:staff".into(),
    };
    for (to, refusal) in [
        (RequestStatus::Rejected, "staff-reason-missing"),
        (RequestStatus::NeedsInfo, "lifecycle-no-fields"),
    ] {
        let refused = staff
            .act(
                &actor,
                StaffAction::Move {
                    reference: reference.clone(),
                    to,
                    reason: None,
                },
                None,
            )
            .await
            .unwrap_err();
        assert_eq!(refused.message().id, refusal);
    }
    // The same press delivered twice moves once; the second is recognised as such.
    let event = EventId::new("telegram", "123456:1");
    let press = || StaffAction::Move {
        reference: reference.clone(),
        to: RequestStatus::InReview,
        reason: None,
    };
    staff.act(&actor, press(), Some(&event)).await.unwrap();
    let again = staff.act(&actor, press(), Some(&event)).await.unwrap_err();
    assert!(again.is_duplicate(), "{again:?}");
    assert_eq!(
        staff
            .lifecycle()
            .report(&reference)
            .await
            .unwrap()
            .history
            .len(),
        2
    );
}

#[tokio::test]
async fn staff_alone_erase_a_request_and_it_stays_cancelled_without_its_personal_data() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let staff = Staff::new(bot.store().clone(), Arc::new(clock.clone()));
        let (reference, owner) = submit(&bot, 1).await;
        let erase = || StaffAction::Erase {
            reference: reference.clone(),
        };
        for actor in [
            Actor::merchant(&owner),
            Actor {
                role: Role::Manager,
                id: "test:manager".into(),
            },
        ] {
            let refused = staff.act(&actor, erase(), None).await.unwrap_err();
            assert_eq!(refused.message().id, "staff-only", "{}", db.label);
        }
        let staff_member = Actor {
            role: Role::Staff,
            id: "test:staff".into(),
        };
        let done = staff.act(&staff_member, erase(), None).await.unwrap();
        assert_eq!(done.id, "requests-erased", "{}", db.label);
        let report = staff.lifecycle().report(&reference).await.unwrap();
        let r = &report.request;
        assert_eq!(report.status, RequestStatus::Cancelled, "{}", db.label);
        assert!(r.erased_at.is_some());
        for field in [
            &r.phone,
            &r.requester_email,
            &r.business_portfolio_id,
            &r.store_account,
            &r.display_name,
            &r.requester.user_id,
        ] {
            assert!(field.is_empty(), "{}: {r:?}", db.label);
        }
        assert_eq!(r.logo_bytes, 0);
        // The merchant's own list no longer holds it; a new request with that number may come.
        assert!(bot.store().requests_of(&owner).await.unwrap().is_empty());
        // Again: nothing more.
        staff.act(&staff_member, erase(), None).await.unwrap();
    }
}

#[tokio::test]
async fn a_merchant_erases_their_data_from_the_chat_after_confirming() {
    use waba_onboard::conversation::Command;
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let (reference, owner) = submit(&bot, 1).await;
        let merchant = Merchant {
            key: owner.clone(),
            locale_hint: Some(Locale::PtBr),
        };
        let say = |n: &str, inbound: Inbound| {
            let bot = bot.clone();
            let merchant = merchant.clone();
            let event = format!("erase-{n}");
            async move { bot.handle(&merchant, &event, inbound).await.unwrap() }
        };
        let ids = |outcome: &waba_onboard::service::merchant::Outcome| -> Vec<String> {
            outcome
                .replies
                .iter()
                .map(|r| r.message.id.clone())
                .collect()
        };
        // Asked first; "no" keeps everything.
        let asked = say("1", Inbound::Command(Command::Erase)).await;
        assert!(
            ids(&asked).contains(&"ask-confirm-erase".to_owned()),
            "{:?}",
            ids(&asked)
        );
        let kept = say("2", Inbound::Choice("no".into())).await;
        assert_eq!(ids(&kept)[0], "not-erased");
        assert_eq!(bot.store().requests_of(&owner).await.unwrap().len(), 1);
        // Typed in Portuguese, then confirmed.
        say("3", Inbound::Text("/apagar".into())).await;
        let erased = say("4", Inbound::Choice("yes".into())).await;
        assert_eq!(ids(&erased), ["erased"], "{}", db.label);
        let told = i18n::render(Locale::PtBr, &erased.replies[0].message);
        assert!(told.contains("sua solicitação"), "{told}");
        assert!(bot.store().requests_of(&owner).await.unwrap().is_empty());
        assert!(bot.store().draft(&owner).await.unwrap().is_none());
        let staff = Staff::new(bot.store().clone(), Arc::new(clock.clone()));
        let report = staff.lifecycle().report(&reference).await.unwrap();
        assert_eq!(report.status, RequestStatus::Cancelled);
        assert!(report.request.erased_at.is_some());
        assert!(report.request.phone.is_empty());
        // The cancellation is the merchant's, in the history.
        assert_eq!(
            report.history.last().unwrap().actor,
            Actor::merchant(&owner).id
        );
    }
}
