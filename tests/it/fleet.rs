//! Three instances on one PostgreSQL database share one Telegram bot: its limits (30 messages
//! a second, 1 a second in a chat) hold for the fleet, against a fake Bot API that counts the
//! messages it takes in each second and answers 429 above the limits, as Telegram does.

use crate::support::{TestDb, backends};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use waba_onboard::channels::telegram::{Settings, Telegram, telegram_limits};
use waba_onboard::clock::SystemClock;
use waba_onboard::i18n::Locale;
use waba_onboard::jobs::Job;
use waba_onboard::service::Services;
use waba_onboard::storage::{NewJob, Store};
use waba_onboard::tickets::{BuiltinDesk, RetryPolicy, Worker};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

const TOKEN: &str = "123456:FLEET-token";
const INSTANCES: usize = 3;
const MERCHANTS: i64 = 100;
const NOTES_EACH: i64 = 3;
/// A merchant who writes to the bot during the burst.
const WRITER: i64 = 5000;

/// A message the fake Bot API took.
#[derive(Debug, Clone)]
struct Taken {
    instance: usize,
    chat: i64,
    text: String,
    at: Duration,
}

struct Api {
    /// When the fake started: the times of `taken` count from it.
    started: Instant,
    taken: Vec<Taken>,
    /// Calls answered 429.
    refused: usize,
    /// Why (`overall` or `chat`), with when.
    refusals: Vec<(&'static str, Duration)>,
    /// The instance whose next send is held unanswered (as if the instance died in the call).
    hold: Option<usize>,
    /// The text of the held send: never delivered.
    held: Option<String>,
    /// Once this many messages were taken, the next call is asked to wait a second (429 with
    /// `retry_after`), as Telegram does when it is busy.
    slow_down_after: Option<usize>,
    /// When it was asked to.
    slowed_at: Option<Duration>,
}

#[derive(Clone)]
struct FakeTelegram {
    api: Arc<Mutex<Api>>,
}

impl Respond for FakeTelegram {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        // `/i{instance}/bot{token}/{method}`: each instance calls through its own prefix.
        let mut parts = request.url.path().trim_start_matches('/').split('/');
        let instance: usize = parts
            .next()
            .and_then(|p| p.strip_prefix('i'))
            .and_then(|n| n.parse().ok())
            .unwrap_or(usize::MAX);
        let method = parts.nth(1).unwrap_or_default().to_lowercase();
        if method != "sendmessage" {
            eprintln!("unexpected call: {method}");
            return ResponseTemplate::new(404);
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let chat = body["chat_id"].as_i64().unwrap_or_default();
        let text = body["text"].as_str().unwrap_or_default().to_owned();
        let mut api = self.api.lock().unwrap();
        let at = api.started.elapsed();
        if api.hold == Some(instance) {
            api.hold = None;
            api.held = Some(text);
            return ResponseTemplate::new(200).set_delay(Duration::from_secs(3600));
        }
        // Telegram takes about 30 messages a second from a bot: this fake counts those it took
        // in each second of its clock; and one a second in a chat: none in the last second.
        let second = at.as_secs();
        let overall = api
            .taken
            .iter()
            .filter(|t| t.at.as_secs() == second)
            .count();
        if api.slow_down_after.is_some_and(|n| api.taken.len() >= n) {
            api.slow_down_after = None;
            api.slowed_at = Some(at);
            return ResponseTemplate::new(429).set_body_json(json!({
                "ok": false,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": { "retry_after": 1 },
            }));
        }
        let second_ago = at.saturating_sub(Duration::from_secs(1));
        let in_chat = api
            .taken
            .iter()
            .filter(|t| t.chat == chat && t.at > second_ago)
            .count();
        if overall >= 30 || in_chat >= 1 {
            api.refused += 1;
            let why = if overall >= 30 { "overall" } else { "chat" };
            api.refusals.push((why, at));
            return ResponseTemplate::new(429).set_body_json(json!({
                "ok": false,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": { "retry_after": 1 },
            }));
        }
        let id = api.taken.len() + 1;
        api.taken.push(Taken {
            instance,
            chat,
            text: text.clone(),
            at,
        });
        ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "result": {
                "message_id": id,
                "date": 1_764_169_200,
                "chat": { "id": chat, "type": "private", "first_name": "Loja" },
                "text": text,
            },
        }))
    }
}

/// One `serve` instance as far as the outbox goes: its own pool, its own Telegram client and
/// two workers.
struct Instance {
    telegram: Telegram,
    workers: Vec<tokio::task::JoinHandle<()>>,
    /// Never sent: an instance ends by being killed (its tasks aborted).
    _stop: tokio::sync::watch::Sender<bool>,
}

async fn start(db: &TestDb, server: &MockServer, index: usize) -> Instance {
    // Logs show in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("waba_onboard=warn")
        .try_init();
    let store = db.store().await;
    let services =
        Services::new(store.clone(), Arc::new(SystemClock)).for_instance(&format!("fleet-{index}"));
    let settings = Settings {
        token: TOKEN.to_owned(),
        api_url: Some(format!("{}/i{index}", server.uri()).parse().unwrap()),
        staff_chat: None,
        managers: Default::default(),
        webhook: None,
        staff_locale: Locale::PtBr,
        lease_secs: 15,
        limits: telegram_limits(),
    };
    let telegram = Telegram::new(settings, services);
    let worker = Worker::new(
        store,
        Arc::new(BuiltinDesk),
        vec![telegram.notifier()],
        Arc::new(SystemClock),
        RetryPolicy::default(),
    )
    .without_scheduler()
    .with_job_lease(Duration::from_secs(5));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let workers = (0..2)
        .map(|_| {
            let stopped = stopped.clone();
            tokio::spawn(worker.clone().run(Duration::from_millis(20), stopped))
        })
        .collect();
    Instance {
        telegram,
        workers,
        _stop: stop,
    }
}

/// `MERCHANTS` Telegram merchants with a request each, and `NOTES_EACH` notes of staff's
/// queued for each at once, oldest first (each merchant's notes a moment apart).
async fn queue_burst(store: &Store) {
    let now = chrono::Utc::now().timestamp_millis();
    for i in 0..MERCHANTS {
        sqlx::query(
            "INSERT INTO requests (id, reference, status, channel, user_id, locale, \
             store_account, requester_email, business_portfolio_id, display_name, phone, \
             category, existing_account, business_verification, whatsapp_use, logo, logo_format, \
             logo_width, logo_height, logo_bytes, problems, created_at, updated_at, \
             status_changed_at) VALUES ($1, $2, 'in_review', 'telegram', $3, 'pt-BR', $4, \
             'a@loja.com.br', '123456789012345', $5, $6, 'RETAIL', 0, 'verified', 'not_in_use', \
             $7, 'png', 640, 640, 7680, '[]', $8, $8, $8)",
        )
        .bind(format!("req-{i}"))
        .bind(format!("WA-{:06}", i + 1))
        .bind((1000 + i).to_string())
        .bind(format!("loja{i}"))
        .bind(format!("Loja {i}"))
        .bind(format!("+55119{i:08}"))
        .bind(Vec::<u8>::new())
        .bind(now)
        .execute(store.pool())
        .await
        .unwrap();
    }
    let mut tx = store.begin().await.unwrap();
    for i in 0..MERCHANTS {
        for note in 0..NOTES_EACH {
            tx.enqueue(&NewJob {
                job: Job::NotifyNote {
                    request_id: format!("req-{i}"),
                    text: format!("nota-{i}-{note}"),
                },
                dedupe_key: None,
                due_at: chrono::Utc::now(),
                created_at: chrono::Utc::now(),
            })
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

/// The note each taken message carries (`nota-{merchant}-{n}`).
fn note_of(text: &str) -> Option<String> {
    let start = text.find("nota-")?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

/// What the fake took once `until` distinct notes are in (or `patience` ran out).
async fn delivered(api: &Arc<Mutex<Api>>, until: usize, patience: Duration) -> Vec<Taken> {
    let deadline = Instant::now() + patience;
    loop {
        let taken = api.lock().unwrap().taken.clone();
        let notes: std::collections::HashSet<_> =
            taken.iter().filter_map(|t| note_of(&t.text)).collect();
        if notes.len() >= until || Instant::now() > deadline {
            return taken;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn postgres() -> Option<TestDb> {
    let db = backends()
        .await
        .into_iter()
        .find(|db| db.label == "postgres");
    if db.is_none() {
        eprintln!("the fleet runs on PostgreSQL only: skipped (SQLite only)");
    }
    db
}

async fn fake() -> (MockServer, Arc<Mutex<Api>>) {
    let server = MockServer::start().await;
    let api = Arc::new(Mutex::new(Api {
        started: Instant::now(),
        taken: Vec::new(),
        refused: 0,
        refusals: Vec::new(),
        hold: None,
        held: None,
        slow_down_after: None,
        slowed_at: None,
    }));
    Mock::given(any())
        .respond_with(FakeTelegram { api: api.clone() })
        .mount(&server)
        .await;
    (server, api)
}

fn assert_exactly_once(taken: &[Taken], held: Option<&str>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for t in taken.iter().filter(|t| t.chat != WRITER) {
        let note = note_of(&t.text).unwrap_or_else(|| panic!("not a note: {}", t.text));
        assert_eq!(
            t.chat,
            1000 + note[5..].split('-').next().unwrap().parse::<i64>().unwrap(),
            "{note} went to the wrong chat"
        );
        *seen.entry(note).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "delivered twice: {twice:?}");
    let expected = (MERCHANTS * NOTES_EACH) as usize;
    assert_eq!(seen.len(), expected, "notes delivered");
    if let Some(held) = held {
        assert!(
            seen.contains_key(&note_of(held).unwrap()),
            "the held note was delivered later"
        );
    }
}

/// A burst under way: the database, the fake Bot API and the fleet working the queue.
struct Burst {
    /// One burst at a time: the fleets share this machine's two cores.
    _turn: tokio::sync::MutexGuard<'static, ()>,
    _db: TestDb,
    _server: MockServer,
    api: Arc<Mutex<Api>>,
    fleet: Vec<Instance>,
}

impl Burst {
    /// `INSTANCES` instances start on a queue of `MERCHANTS × NOTES_EACH` notes; `None` without
    /// PostgreSQL (outside CI).
    async fn start() -> Option<Burst> {
        static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
        let db = postgres().await?;
        let turn = TURN.lock().await;
        let store = db.store().await;
        let (server, api) = fake().await;
        queue_burst(&store).await;
        let mut fleet = Vec::new();
        for index in 0..INSTANCES {
            fleet.push(start(&db, &server, index).await);
        }
        Some(Burst {
            _turn: turn,
            _db: db,
            _server: server,
            api,
            fleet,
        })
    }

    /// Kills an instance: its tasks stop wherever they stand.
    fn kill(&mut self, index: usize) {
        for worker in self.fleet[index].workers.drain(..) {
            worker.abort();
        }
    }

    /// What the fake took once every note was in, after checking that nothing more comes, that
    /// every note came once and that no call was answered 429.
    async fn finish(mut self, held: Option<&str>) -> Vec<Taken> {
        let total = (MERCHANTS * NOTES_EACH) as usize;
        let taken = delivered(&self.api, total, Duration::from_secs(60)).await;
        // A moment more: anything sent twice would show now.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let after = self.api.lock().unwrap().taken.clone();
        assert_eq!(
            taken.len(),
            after.len(),
            "nothing more was sent: {:?}",
            &after[taken.len()..]
        );
        assert_exactly_once(&after, held);
        let api = self.api.lock().unwrap();
        assert_eq!(api.refused, 0, "calls answered 429: {:?}", api.refusals);
        drop(api);
        for index in 0..self.fleet.len() {
            self.kill(index);
        }
        taken
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_deliver_a_burst_once_within_telegrams_limits() {
    let Some(burst) = Burst::start().await else {
        return;
    };
    // A merchant writes to instance 1 while the burst is under way: the reply goes ahead of the
    // notifications still queued.
    delivered(&burst.api, 60, Duration::from_secs(30)).await;
    let update = json!({
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1_764_169_200,
            "chat": { "id": WRITER, "type": "private", "first_name": "Ana" },
            "from": { "id": WRITER, "is_bot": false, "first_name": "Ana", "language_code": "pt-br" },
            "text": "/start",
        },
    });
    // As the webhook reads it: from the text Telegram sends.
    let update: teloxide::types::Update = serde_json::from_str(&update.to_string()).unwrap();
    let asked = burst.api.lock().unwrap().started.elapsed();
    burst.fleet[1].telegram.handle(update).await.unwrap();
    let taken = burst.finish(None).await;
    let reply = taken
        .iter()
        .position(|t| t.chat == WRITER)
        .expect("the merchant was answered");
    let behind = taken.len() - reply - 1;
    eprintln!(
        "reply taken {:?} after the merchant wrote, with {behind} notifications still queued",
        taken[reply].at.saturating_sub(asked),
    );
    assert!(
        behind >= 100,
        "the reply waited behind the queue: {behind} notifications after it"
    );
    // Every instance sent: the budget is the fleet's, not one sender's.
    for index in 0..INSTANCES {
        assert!(
            taken.iter().any(|t| t.instance == index),
            "instance {index} sent nothing"
        );
    }
    // Each merchant's notes at least a second apart (Telegram's limit in a chat).
    let mut by_chat: HashMap<i64, Vec<Duration>> = HashMap::new();
    for t in &taken {
        by_chat.entry(t.chat).or_default().push(t.at);
    }
    for times in by_chat.values() {
        for pair in times.windows(2) {
            assert!(
                pair[1] - pair[0] >= Duration::from_millis(1000),
                "{times:?}"
            );
        }
    }
    // Close to the least time 30 a second allows (10 s for 300): the budget is used.
    let span = taken.last().unwrap().at - taken.first().unwrap().at;
    eprintln!(
        "{} messages in {span:?}: {:.1} a second",
        taken.len(),
        (taken.len() - 1) as f64 / span.as_secs_f64()
    );
    assert!(
        span < Duration::from_millis(13_000),
        "300 messages took {span:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_the_instance_in_a_send_hands_its_jobs_over_without_loss_or_duplicates() {
    let Some(mut burst) = Burst::start().await else {
        return;
    };
    // After 60 messages, instance 0's next send hangs; then instance 0 dies.
    delivered(&burst.api, 60, Duration::from_secs(30)).await;
    burst.api.lock().unwrap().hold = Some(0);
    let deadline = Instant::now() + Duration::from_secs(10);
    while burst.api.lock().unwrap().held.is_none() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let held = burst.api.lock().unwrap().held.clone();
    let held = held.expect("instance 0 sent again");
    burst.kill(0);
    burst.finish(Some(&held)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_429_to_one_instance_holds_the_whole_fleet_off_for_the_time_asked() {
    let Some(burst) = Burst::start().await else {
        return;
    };
    burst.api.lock().unwrap().slow_down_after = Some(90);
    let api = burst.api.clone();
    let taken = burst.finish(None).await;
    let slowed = api
        .lock()
        .unwrap()
        .slowed_at
        .expect("a call was asked to wait");
    // No instance called in the second Telegram asked for (a few milliseconds of clock aside).
    let early: Vec<_> = taken
        .iter()
        .filter(|t| t.at > slowed && t.at < slowed + Duration::from_millis(980))
        .collect();
    assert!(early.is_empty(), "called within the wait: {early:?}");
}
