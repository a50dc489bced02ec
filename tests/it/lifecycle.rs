//! The request lifecycle on both backends: staff moves, fixes asked of the merchant,
//! notifications through the outbox, timers, retries, and two workers sharing one queue.

use crate::support::{TestClock, TestDb, answers_to_summary, backends, thursday_noon};
use chrono::Duration;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use waba_onboard::conversation::{Inbound, StepId};
use waba_onboard::domain::{RequestStatus, Role};
use waba_onboard::i18n::{self, Locale};
use waba_onboard::jobs::Job;
use waba_onboard::service::lifecycle::{Actor, Lifecycle, LifecycleError};
use waba_onboard::service::listing::ListQuery;
use waba_onboard::service::merchant::{Bot, Merchant};
use waba_onboard::service::pipeline::Period;
use waba_onboard::service::reports::{self, Surface};
use waba_onboard::storage::{NewJob, Store, UserKey};
use waba_onboard::tickets::{
    BoxFuture, BuiltinDesk, ConsoleNotifier, RetryPolicy, TicketDesk, Worker,
};

fn staff() -> Actor {
    Actor {
        role: Role::Staff,
        id: "cli:bob".into(),
    }
}

fn worker(db_store: &Store, clock: &TestClock, desk: Arc<dyn TicketDesk>) -> Worker {
    Worker::new(
        db_store.clone(),
        desk,
        vec![Arc::new(ConsoleNotifier::new(db_store.clone()))],
        Arc::new(clock.clone()),
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::seconds(10),
            max_delay: Duration::minutes(10),
        },
    )
}

/// A console merchant with a submitted request WA-000001.
async fn submitted(db: &TestDb, clock: &TestClock) -> (Bot, Merchant) {
    let bot = db.bot(clock).await;
    let ana = submit(&bot, "ana", Locale::PtBr, "(11) 98765-4321").await;
    (bot, ana)
}

/// A console merchant speaking `locale` who confirms a request for `phone`.
async fn submit(bot: &Bot, user: &str, locale: Locale, phone: &str) -> Merchant {
    let merchant = Merchant {
        key: UserKey::new("console", user),
        locale_hint: Some(locale),
    };
    let mut inputs = answers_to_summary(phone);
    inputs.push(Inbound::Choice("confirm".into()));
    for (i, input) in inputs.into_iter().enumerate() {
        bot.handle(&merchant, &format!("{user}-setup-{i}"), input)
            .await
            .unwrap();
    }
    merchant
}

/// What a console merchant finds at the start of their next `chat`: each notification in the
/// language the bot recorded for it, the way the console shows it.
async fn notifications(store: &Store, user: &str) -> Vec<String> {
    crate::support::console_news(store, user, thursday_noon()).await
}

#[tokio::test]
async fn staff_move_a_request_and_the_merchant_hears_of_each_move_in_their_language() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let (bot, _ana) = submitted(&db, &clock).await;
        submit(&bot, "ben", Locale::En, "+55 21 98765-4321").await;
        let store = bot.store().clone();
        let worker = worker(&store, &clock, Arc::new(BuiltinDesk));
        let lifecycle = Lifecycle::new(store.clone(), Arc::new(clock.clone()));
        worker.run_until_idle().await.unwrap();
        let request = store.request("WA-000001").await.unwrap().unwrap();
        assert_eq!(
            request.ticket_id.as_deref(),
            Some("WA-000001"),
            "{}",
            db.label
        );

        lifecycle
            .advance("WA-000001", RequestStatus::InReview, &staff(), None)
            .await
            .unwrap();
        lifecycle
            .advance(
                "WA-000001",
                RequestStatus::AwaitingClientApproval,
                &staff(),
                Some("enviado"),
            )
            .await
            .unwrap();
        for to in [RequestStatus::InReview, RequestStatus::Cancelled] {
            lifecycle
                .advance("WA-000002", to, &staff(), Some("duplicate store"))
                .await
                .unwrap();
        }
        worker.run_until_idle().await.unwrap();
        // Each merchant hears of each move once, whole, in their own language.
        insta::assert_snapshot!(
            "console_notifications_pt_br",
            notifications(&store, "ana").await.join("\n---\n")
        );
        insta::assert_snapshot!(
            "console_notifications_en",
            notifications(&store, "ben").await.join("\n---\n")
        );
        // Seen notifications are not shown twice.
        assert!(notifications(&store, "ana").await.is_empty());
        let report = lifecycle.report("WA-000001").await.unwrap();
        let moves: Vec<_> = report.history.iter().map(|h| h.to.as_str()).collect();
        assert_eq!(
            moves,
            ["submitted", "in_review", "awaiting_client_approval"]
        );
        assert_eq!(report.history[1].actor, "cli:bob");
        assert_eq!(report.expected.unwrap().to_string(), "2026-12-01");
        assert!(!report.overdue);
        drop(bot);
        store.close().await;
    }
}

#[tokio::test]
async fn refused_moves_change_nothing_and_say_why() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let (bot, ana) = submitted(&db, &clock).await;
        let store = bot.store().clone();
        let lifecycle = Lifecycle::new(store.clone(), Arc::new(clock.clone()));
        let merchant = Actor::merchant(&ana.key);
        let outcomes = [
            lifecycle
                .advance("WA-000001", RequestStatus::Active, &staff(), None)
                .await,
            lifecycle
                .advance("WA-000001", RequestStatus::InReview, &merchant, None)
                .await,
            lifecycle
                .advance("WA-000001", RequestStatus::Rejected, &staff(), None)
                .await,
            lifecycle
                .advance("WA-999999", RequestStatus::InReview, &staff(), None)
                .await,
            lifecycle
                .advance(
                    "WA-000001",
                    RequestStatus::Cancelled,
                    &Actor::merchant(&UserKey::new("console", "eve")),
                    None,
                )
                .await,
        ];
        let ids: Vec<String> = outcomes
            .iter()
            .map(|o| o.as_ref().unwrap_err().message().id)
            .collect();
        assert_eq!(
            ids,
            [
                "transition-not-allowed",
                "transition-forbidden",
                "lifecycle-reason-required",
                "lifecycle-not-found",
                "lifecycle-not-yours"
            ],
            "{}",
            db.label
        );
        let asked = lifecycle
            .ask("WA-000001", &["colour".into()], "x", &staff())
            .await;
        assert!(matches!(asked, Err(LifecycleError::UnknownField(_))));
        let report = lifecycle.report("WA-000001").await.unwrap();
        assert_eq!(report.status, RequestStatus::Submitted);
        assert_eq!(report.history.len(), 1);
        store.close().await;
    }
}

#[tokio::test]
async fn asking_for_a_field_reopens_just_that_question_and_the_fix_returns_to_review() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let (bot, ana) = submitted(&db, &clock).await;
        let store = bot.store().clone();
        let lifecycle = Lifecycle::new(store.clone(), Arc::new(clock.clone()));
        lifecycle
            .advance("WA-000001", RequestStatus::InReview, &staff(), None)
            .await
            .unwrap();
        lifecycle
            .ask(
                "WA-000001",
                &["display_name".into()],
                "O site diz Loja Azul Calçados",
                &staff(),
            )
            .await
            .unwrap();
        let start = bot.handle(&ana, "fix-1", Inbound::Start).await.unwrap();
        assert_eq!(start.step, StepId::DisplayName, "{}", db.label);
        assert_eq!(start.replies[0].message.id, "fix-intro");
        bot.handle(&ana, "fix-2", Inbound::Text("Loja Azul Calçados".into()))
            .await
            .unwrap();
        let summary = bot
            .handle(&ana, "fix-3", Inbound::Choice("yes".into()))
            .await
            .unwrap();
        assert_eq!(
            summary.step,
            StepId::Summary,
            "only the asked field is asked again"
        );
        let sent = bot
            .handle(&ana, "fix-4", Inbound::Choice("confirm".into()))
            .await
            .unwrap();
        assert_eq!(sent.replies.last().unwrap().message.id, "resubmitted");
        let request = store.request("WA-000001").await.unwrap().unwrap();
        assert_eq!(request.status, "in_review", "{}", db.label);
        assert_eq!(request.display_name, "Loja Azul Calçados");
        assert!(request.info_fields.is_empty());
        let history = store.history(&request.id).await.unwrap();
        assert_eq!(history.last().unwrap().actor, "merchant:console:ana");
        // Still one request.
        assert_eq!(store.list_requests(None).await.unwrap().len(), 1);
        store.close().await;
    }
}

/// A desk that fails a number of times, then works.
struct FlakyDesk {
    failures_left: AtomicUsize,
    calls: AtomicUsize,
}

impl TicketDesk for FlakyDesk {
    fn open_ticket<'a>(
        &'a self,
        request: &'a waba_onboard::domain::OnboardingRequest,
    ) -> BoxFuture<'a, anyhow::Result<String>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if self.failures_left.load(Ordering::SeqCst) > 0 {
                self.failures_left.fetch_sub(1, Ordering::SeqCst);
                anyhow::bail!("desk unavailable (503)");
            }
            Ok(format!("T-{}", request.reference))
        })
    }
}

#[tokio::test]
async fn failed_jobs_are_retried_with_backoff_and_given_up_visibly() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let (bot, _) = submitted(&db, &clock).await;
        let store = bot.store().clone();
        let desk = Arc::new(FlakyDesk {
            failures_left: AtomicUsize::new(3),
            calls: AtomicUsize::new(0),
        });
        let w = Worker::new(
            store.clone(),
            desk.clone(),
            vec![Arc::new(ConsoleNotifier::new(store.clone()))],
            Arc::new(clock.clone()),
            RetryPolicy {
                max_attempts: 5,
                base_delay: Duration::seconds(10),
                max_delay: Duration::minutes(10),
            },
        );
        w.run_until_idle().await.unwrap();
        assert_eq!(
            desk.calls.load(Ordering::SeqCst),
            1,
            "not retried before its time"
        );
        // Fails three times, then succeeds: backoff of about 10 s, 20 s, 40 s (±20 %).
        for (wait, calls) in [(13, 2), (25, 3), (49, 4)] {
            w.run_until_idle().await.unwrap();
            assert_eq!(
                desk.calls.load(Ordering::SeqCst),
                calls - 1,
                "{}: too early",
                db.label
            );
            *clock.0.lock().unwrap() += Duration::seconds(wait);
            w.run_until_idle().await.unwrap();
            assert_eq!(desk.calls.load(Ordering::SeqCst), calls, "{}", db.label);
        }
        let request = store.request("WA-000001").await.unwrap().unwrap();
        assert_eq!(request.ticket_id.as_deref(), Some("T-WA-000001"));

        // A ticket already opened is not opened again by a second job.
        let down = Arc::new(FlakyDesk {
            failures_left: AtomicUsize::new(usize::MAX),
            calls: AtomicUsize::new(0),
        });
        let again = |key: &str| NewJob {
            job: Job::OpenTicket {
                request_id: request.id.clone(),
                reference: None,
            },
            dedupe_key: Some(key.into()),
            due_at: thursday_noon(),
            created_at: thursday_noon(),
        };
        let mut tx = store.begin().await.unwrap();
        tx.enqueue(&again("again")).await.unwrap();
        tx.commit().await.unwrap();
        let w = worker(&store, &clock, down.clone());
        w.run_until_idle().await.unwrap();
        assert_eq!(
            down.calls.load(Ordering::SeqCst),
            0,
            "{}: a ticket already set is not reopened",
            db.label
        );
        assert!(store.failed_jobs().await.unwrap().is_empty());

        // A desk that never answers: three tries, then the job is failed and shown.
        sqlx::query("UPDATE requests SET ticket_id = NULL WHERE id = $1")
            .bind(&request.id)
            .execute(store.pool())
            .await
            .unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.enqueue(&again("third")).await.unwrap();
        tx.commit().await.unwrap();
        for _ in 0..6 {
            w.run_until_idle().await.unwrap();
            *clock.0.lock().unwrap() += Duration::minutes(11);
        }
        assert_eq!(down.calls.load(Ordering::SeqCst), 3, "{}", db.label);
        let failed = store.failed_jobs().await.unwrap();
        assert_eq!(failed.len(), 1, "{}", db.label);
        assert_eq!(
            (failed[0].kind.as_str(), failed[0].attempts),
            ("open_ticket", 3)
        );
        assert!(
            failed[0]
                .last_error
                .as_deref()
                .unwrap()
                .contains("desk unavailable (503)"),
            "{failed:?}"
        );
        assert_eq!(store.outbox_depth().await.unwrap(), 0);
        store.close().await;
    }
}

#[tokio::test]
async fn a_job_that_keeps_failing_gives_up_after_the_limit() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let store = db.store().await;
        let mut tx = store.begin().await.unwrap();
        tx.enqueue(&NewJob {
            job: Job::NotifyMerchant {
                request_id: "missing".into(),
                status: RequestStatus::InReview,
                reason: None,
                since: None,
            },
            dedupe_key: None,
            due_at: thursday_noon(),
            created_at: thursday_noon(),
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let w = worker(&store, &clock, Arc::new(BuiltinDesk));
        for _ in 0..5 {
            w.run_until_idle().await.unwrap();
            *clock.0.lock().unwrap() += Duration::minutes(11);
        }
        let failed = store.failed_jobs().await.unwrap();
        assert_eq!(failed.len(), 1, "{}", db.label);
        assert_eq!(failed[0].attempts, 3);
        assert!(
            failed[0]
                .last_error
                .as_deref()
                .unwrap()
                .contains("not found")
        );
        assert_eq!(store.outbox_depth().await.unwrap(), 0);
        store.close().await;
    }
}

#[tokio::test]
async fn two_workers_run_every_job_exactly_once() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let (bot, _) = submitted(&db, &clock).await;
        let store = bot.store().clone();
        let request = store.request("WA-000001").await.unwrap().unwrap();
        // The request's own jobs first, so that only the notes are left to share.
        worker(&store, &clock, Arc::new(BuiltinDesk))
            .run_until_idle()
            .await
            .unwrap();
        notifications(&store, "ana").await;
        let jobs = 60;
        let mut tx = store.begin().await.unwrap();
        for i in 0..jobs {
            tx.enqueue(&NewJob {
                job: Job::NotifyNote {
                    request_id: request.id.clone(),
                    text: format!("nota {i}"),
                },
                dedupe_key: None,
                due_at: thursday_noon(),
                created_at: thursday_noon(),
            })
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        // Two workers on two separate connection pools, as two processes would be.
        let other_store = db.store().await;
        let a = worker(&store, &clock, Arc::new(BuiltinDesk));
        let b = worker(&other_store, &clock, Arc::new(BuiltinDesk));
        let (ra, rb) = tokio::join!(a.run_until_idle(), b.run_until_idle());
        let claimed = ra.unwrap() + rb.unwrap();
        let notes = notifications(&store, "ana").await;
        assert_eq!(notes.len(), jobs, "{}: every note once", db.label);
        let mut unique = notes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), jobs, "{}: no note twice", db.label);
        assert_eq!(claimed, jobs, "{}: each job claimed once", db.label);
        other_store.close().await;
        store.close().await;
    }
}

#[tokio::test]
async fn an_unaccepted_request_is_reminded_then_expires_after_90_days() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let (bot, _) = submitted(&db, &clock).await;
        let store = bot.store().clone();
        let lifecycle = Lifecycle::new(store.clone(), Arc::new(clock.clone()));
        let w = worker(&store, &clock, Arc::new(BuiltinDesk));
        lifecycle
            .advance("WA-000001", RequestStatus::InReview, &staff(), None)
            .await
            .unwrap();
        lifecycle
            .advance(
                "WA-000001",
                RequestStatus::AwaitingClientApproval,
                &staff(),
                None,
            )
            .await
            .unwrap();
        w.run_until_idle().await.unwrap();
        notifications(&store, "ana").await;
        // Past the expected date (Tuesday 1 December): a reminder, and staff see it overdue.
        *clock.0.lock().unwrap() = thursday_noon() + Duration::days(6);
        w.run_until_idle().await.unwrap();
        let reminder = notifications(&store, "ana").await.join("\n");
        assert!(
            reminder.contains("Lembrete da solicitação WA-000001"),
            "{}: {reminder}",
            db.label
        );
        assert!(lifecycle.report("WA-000001").await.unwrap().overdue);
        let period = Period::last_days(lifecycle.today(), 30);
        assert_eq!(lifecycle.stats(period).await.unwrap().overdue_now, 1);
        // Ninety days later the system expires it.
        *clock.0.lock().unwrap() = thursday_noon() + Duration::days(91);
        w.run_until_idle().await.unwrap();
        let report = lifecycle.report("WA-000001").await.unwrap();
        assert_eq!(report.status, RequestStatus::Expired, "{}", db.label);
        assert_eq!(report.history.last().unwrap().actor, "system");
        let expired = notifications(&store, "ana").await.join("\n");
        assert!(expired.contains("expirou"), "{expired}");
        store.close().await;
    }
}

async fn store_has(bot: &Bot, reference: &str) -> bool {
    bot.store().request(reference).await.unwrap().is_some()
}

#[tokio::test]
async fn stats_read_the_pipeline_from_the_stored_history() {
    for db in backends().await {
        // Thursday 26 November: Ana (console) and Bia (Telegram) submit.
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        submit(&bot, "ana", Locale::PtBr, "(11) 98765-4321").await;
        let bia = Merchant {
            key: UserKey::new("telegram", "bia"),
            locale_hint: Some(Locale::En),
        };
        let mut inputs = answers_to_summary("+55 21 98765-4321");
        // Another store: one open request per store account.
        inputs[2] = Inbound::Text("lojadabia".into());
        inputs.push(Inbound::Choice("confirm".into()));
        for (i, input) in inputs.into_iter().enumerate() {
            bot.handle(&bia, &format!("bia-{i}"), input).await.unwrap();
        }
        assert!(
            store_has(&bot, "WA-000002").await,
            "{}: Bia's request is stored",
            db.label
        );
        let store = bot.store().clone();
        let lifecycle = Lifecycle::new(store.clone(), Arc::new(clock.clone()));
        // Ana's goes to active on Tuesday 1 December; Bia's waits in submitted.
        for (to, days) in [
            (RequestStatus::InReview, 0),
            (RequestStatus::AwaitingClientApproval, 1),
            (RequestStatus::ApprovedByClient, 3),
            (RequestStatus::NumberRegistered, 0),
            (RequestStatus::Active, 1),
        ] {
            *clock.0.lock().unwrap() += Duration::days(days);
            lifecycle
                .advance("WA-000001", to, &staff(), None)
                .await
                .unwrap();
        }
        let stats = lifecycle
            .stats(Period::last_days(lifecycle.today(), 30))
            .await
            .unwrap();
        let stage = |status| stats.stages.iter().find(|s| s.status == status).unwrap();
        assert_eq!(stage(RequestStatus::Active).now, 1, "{}", db.label);
        assert_eq!(stage(RequestStatus::Submitted).now, 1);
        // Ana's left submitted the same day; Bia's has waited Thursday, Friday and Monday:
        // past the one business day expected.
        let submitted = stage(RequestStatus::Submitted);
        assert_eq!(
            (submitted.stays, submitted.median_days, submitted.overdue),
            (2, Some(1.5), 1),
            "{}",
            db.label
        );
        // Friday 27 to Monday 30 waiting for the store's admin: one business day.
        assert_eq!(
            stage(RequestStatus::AwaitingClientApproval).median_days,
            Some(1.0)
        );
        let reached: Vec<usize> = stats.funnel.iter().map(|(_, n)| *n).collect();
        assert_eq!(reached, [2, 1, 0, 1, 1, 1, 1, 0, 0, 0], "{}", db.label);
        // Thursday 26 November to Tuesday 1 December: three business days.
        assert_eq!(stats.median_days_to_active, Some(3.0));
        let weeks: Vec<_> = stats
            .weeks
            .iter()
            .filter(|w| !w.submitted.is_empty() || w.activated > 0)
            .map(|w| (w.start.to_string(), w.submitted.clone(), w.activated))
            .collect();
        assert_eq!(
            weeks,
            [
                (
                    "2026-11-23".to_owned(),
                    [("console".to_owned(), 1), ("telegram".to_owned(), 1)].into(),
                    0
                ),
                ("2026-11-30".to_owned(), Default::default(), 1),
            ],
            "{}",
            db.label
        );
        assert_eq!(stats.oldest_open.len(), 1);
        assert_eq!(stats.oldest_open[0].reference, "WA-000002");
        assert!(stats.oldest_open[0].overdue);
        assert_eq!(stats.overdue_now, 1);
        let pending = lifecycle.list(ListQuery::new(None, 20)).await.unwrap();
        assert_eq!(pending.total, 1, "active is not pending");
        assert_eq!(pending.rows[0].request.reference, "WA-000002");
        // What staff and managers read, in their words, in both languages.
        for locale in Locale::ALL {
            let report = lifecycle.report("WA-000001").await.unwrap();
            let texts = [
                reports::report_text(&report, locale),
                reports::list_text(&pending, locale, Surface::Cli),
                reports::stats_text(&stats, locale),
            ]
            .join("\n\n----\n\n");
            insta::assert_snapshot!(format!("staff_texts_{}", locale.tag()), texts);
        }
        store.close().await;
    }
}

#[test]
fn notification_texts_in_both_languages() {
    let expected = chrono::NaiveDate::from_ymd_opt(2026, 12, 1);
    for locale in [Locale::En, Locale::PtBr] {
        let mut text = String::new();
        for status in RequestStatus::ALL {
            let reason = matches!(status, RequestStatus::Rejected | RequestStatus::NeedsInfo)
                .then_some("the website shows another brand");
            let fields = i18n::text(locale, "field-display-name");
            for message in waba_onboard::conversation::status_notification(
                "WA-000042",
                status,
                reason,
                waba_onboard::service::lifecycle::expected_date(status, thursday_noon())
                    .or(expected),
                &fields,
            ) {
                text.push_str(&format!("{status}: {}\n", i18n::render(locale, &message)));
            }
        }
        for message in waba_onboard::conversation::approval_reminder("WA-000042", expected.unwrap())
            .iter()
            .chain(&waba_onboard::conversation::note_notification(
                "WA-000042",
                "Ligamos para a loja.",
            ))
        {
            text.push_str(&format!("{}\n", i18n::render(locale, message)));
        }
        insta::assert_snapshot!(format!("notifications_{}", locale.tag()), text);
    }
}

#[tokio::test]
async fn an_abandoned_draft_is_nudged_once_then_forgotten_after_seven_days() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let store = bot.store().clone();
        let ana = Merchant {
            key: UserKey::new("console", "ana"),
            locale_hint: Some(Locale::PtBr),
        };
        bot.handle(&ana, "a1", Inbound::Start).await.unwrap();
        bot.handle(&ana, "a2", Inbound::Choice("no".into()))
            .await
            .unwrap();
        let w = worker(&store, &clock, Arc::new(BuiltinDesk));
        *clock.0.lock().unwrap() += Duration::hours(23);
        w.run_until_idle().await.unwrap();
        assert!(notifications(&store, "ana").await.is_empty());
        *clock.0.lock().unwrap() += Duration::hours(2);
        // Two sweeps at once (the scheduler and a command line) remind once.
        let other = worker(&store, &clock, Arc::new(BuiltinDesk));
        let (a, b) = tokio::join!(w.sweep_drafts(), other.sweep_drafts());
        a.unwrap();
        b.unwrap();
        w.run_until_idle().await.unwrap();
        let nudges = notifications(&store, "ana").await;
        assert_eq!(nudges.len(), 1, "{}: once: {nudges:?}", db.label);
        assert!(
            nudges[0].contains("você parou em “Conta da loja”"),
            "{nudges:?}"
        );
        *clock.0.lock().unwrap() += Duration::days(7);
        w.run_until_idle().await.unwrap();
        let expired = notifications(&store, "ana").await.join("\n");
        assert!(
            expired.contains("apagada depois de 7 dias"),
            "{}: {expired}",
            db.label
        );
        assert!(store.draft(&ana.key).await.unwrap().is_none());
        let remembered: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbound_events")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(
            remembered, 0,
            "{}: event ids older than a week are forgotten",
            db.label
        );
        store.close().await;
    }
}

#[tokio::test]
async fn a_merchant_withdraws_their_request_from_the_chat() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let (bot, ana) = submitted(&db, &clock).await;
        let asked = bot
            .handle(&ana, "w1", Inbound::Text("/cancelar".into()))
            .await
            .unwrap();
        assert_eq!(
            asked.replies[0].message.id, "ask-confirm-cancel-request",
            "{}",
            db.label
        );
        let done = bot
            .handle(&ana, "w2", Inbound::Choice("yes".into()))
            .await
            .unwrap();
        assert_eq!(done.replies[0].message.id, "request-cancelled");
        let store = bot.store().clone();
        let request = store.request("WA-000001").await.unwrap().unwrap();
        assert_eq!(request.status, "cancelled", "{}", db.label);
        let history = store.history(&request.id).await.unwrap();
        assert_eq!(history.last().unwrap().actor, "merchant:console:ana");
        // The number is free again, and /restart starts a new request.
        let again = bot
            .handle(&ana, "w3", Inbound::Text("/restart".into()))
            .await
            .unwrap();
        assert_eq!(again.step, StepId::ExistingAccount);
        store.close().await;
    }
}

#[tokio::test]
async fn a_draft_set_aside_for_a_fix_comes_back_and_an_idle_fix_is_never_forgotten() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let (bot, ana) = submitted(&db, &clock).await;
        let store = bot.store().clone();
        let lifecycle = Lifecycle::new(store.clone(), Arc::new(clock.clone()));
        // Ana starts a second request and stops at the e-mail.
        for (i, input) in [
            Inbound::Text("/restart".into()),
            Inbound::Choice("no".into()),
            Inbound::Text("outraloja".into()),
        ]
        .into_iter()
        .enumerate()
        {
            bot.handle(&ana, &format!("second-{i}"), input)
                .await
                .unwrap();
        }
        lifecycle
            .advance("WA-000001", RequestStatus::InReview, &staff(), None)
            .await
            .unwrap();
        lifecycle
            .ask("WA-000001", &["email".into()], "E-mail errado", &staff())
            .await
            .unwrap();
        // Weeks pass: the fix is reminded, not deleted.
        let w = worker(&store, &clock, Arc::new(BuiltinDesk));
        *clock.0.lock().unwrap() += Duration::days(8);
        w.run_until_idle().await.unwrap();
        let inbox = notifications(&store, "ana").await.join("\n");
        assert!(
            inbox.contains("ainda aguarda a sua correção"),
            "{}: {inbox}",
            db.label
        );
        assert!(
            store.draft(&ana.key).await.unwrap().is_some(),
            "{}",
            db.label
        );

        bot.handle(&ana, "fix-start", Inbound::Start).await.unwrap();
        bot.handle(
            &ana,
            "fix-email",
            Inbound::Text("certo@minhaloja.com.br".into()),
        )
        .await
        .unwrap();
        let sent = bot
            .handle(&ana, "fix-confirm", Inbound::Choice("confirm".into()))
            .await
            .unwrap();
        let ids: Vec<_> = sent.replies.iter().map(|r| r.message.id.as_str()).collect();
        assert_eq!(
            ids,
            ["resubmitted", "parked-draft-back", "ask-email"],
            "{}",
            db.label
        );
        assert_eq!(
            sent.step,
            StepId::Email,
            "the conversation goes on with the draft set aside"
        );
        let back = store.draft(&ana.key).await.unwrap().unwrap();
        assert_eq!(
            back.answers.store_account.unwrap().value.as_str(),
            "outraloja"
        );
        assert_eq!(
            store.request("WA-000001").await.unwrap().unwrap().status,
            "in_review"
        );
        store.close().await;
    }
}

#[tokio::test]
async fn a_job_for_a_channel_no_process_serves_is_left_to_others_then_failed_after_a_day() {
    for db in backends().await {
        let clock = TestClock::at(thursday_noon());
        let bot = db.bot(&clock).await;
        let store = bot.store().clone();
        // A Telegram merchant's request, worked by a process without Telegram.
        let merchant = Merchant {
            key: UserKey::new("telegram", "4242"),
            locale_hint: Some(Locale::En),
        };
        let mut inputs = answers_to_summary("+55 11 98765-4321");
        inputs.push(Inbound::Choice("confirm".into()));
        for (i, input) in inputs.into_iter().enumerate() {
            bot.handle(&merchant, &format!("t-{i}"), input)
                .await
                .unwrap();
        }
        let w = worker(&store, &clock, Arc::new(BuiltinDesk));
        w.run_until_idle().await.unwrap();
        Lifecycle::new(store.clone(), Arc::new(clock.clone()))
            .advance("WA-000001", RequestStatus::InReview, &staff(), None)
            .await
            .unwrap();
        // Left for a process that serves Telegram: no try spent, nothing failed.
        for _ in 0..3 {
            w.run_until_idle().await.unwrap();
            *clock.0.lock().unwrap() += Duration::hours(7);
        }
        let waiting = store.pending_jobs("notify_merchant").await.unwrap();
        assert_eq!(waiting.len(), 1, "{}", db.label);
        assert!(
            store.failed_jobs().await.unwrap().is_empty(),
            "{}",
            db.label
        );
        // A day on, nobody has served it: it fails, visibly.
        *clock.0.lock().unwrap() += Duration::hours(4);
        w.run_until_idle().await.unwrap();
        let failed = store.failed_jobs().await.unwrap();
        assert_eq!(failed.len(), 1, "{}", db.label);
        assert_eq!(failed[0].kind, "notify_merchant");
        assert!(
            failed[0]
                .last_error
                .as_deref()
                .unwrap()
                .contains("telegram channel is not served"),
            "{failed:?}"
        );
        assert!(
            store
                .pending_jobs("notify_merchant")
                .await
                .unwrap()
                .is_empty()
        );
        store.close().await;
    }
}
