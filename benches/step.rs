//! The durable conversation step, per message, side by side with the stock way and the floor,
//! in one run on one machine:
//!
//! - **durable step**: one inbound message through the whole durable path (event id recorded,
//!   draft loaded and locked, engine step with every answer validated, draft saved, the request
//!   and its ticket job written on a confirmation, commit), with realistic traffic: 500 chats
//!   taking turns, each walking the real conversation from `/start` to a confirmed request, a
//!   wrong answer first at the e-mail, the business portfolio ID, the display name and the
//!   phone number; a chat that has confirmed starts over as a new merchant with a new number.
//! - **teloxide `SqliteStorage` get + update**: the stock way a Rust bot keeps dialogue state
//!   (teloxide's dialogue storage, JSON serializer), reading and writing the same drafts for the
//!   same 500 chats; once on a file as teloxide opens it (rollback journal, `synchronous=FULL`,
//!   SQLite's and sqlx's defaults), once on a file already in WAL mode.
//! - **bare one-row upsert transaction**: `BEGIN`, one upsert of a draft-sized value, `COMMIT`,
//!   through the same pool (same driver and settings) as the durable step.
//!
//! On SQLite, and on PostgreSQL when `WABA_TEST_POSTGRES_URL` is set (in a database of its own,
//! dropped afterwards), where the durable step is measured again with 16 conversations at once
//! through the pool. The ratios are printed at the end.
//!
//! `WABA_TEST_POSTGRES_URL=postgres://… cargo bench --bench step`

mod support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sqlx::Connection;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{logo, script};
use teloxide::dispatching::dialogue::serializer::Json;
use teloxide::dispatching::dialogue::{SqliteStorage, Storage};
use teloxide::types::ChatId;
use waba_onboard::clock::SystemClock;
use waba_onboard::conversation::{Draft, Inbound, StepId};
use waba_onboard::i18n::Locale;
use waba_onboard::service::merchant::{Bot, Merchant};
use waba_onboard::storage::{Backend, Store, UserKey};

/// Chats taking turns.
const CHATS: usize = 500;
/// Conversations at once in the concurrent run.
const CONCURRENT: usize = 16;

/// One chat's place in its conversation.
struct Chat {
    merchant: Merchant,
    script: Vec<Inbound>,
    next: usize,
}

/// Chats taking turns, one message each.
struct Traffic {
    label: String,
    chats: Vec<Chat>,
    turn: usize,
    merchants: u64,
    events: u64,
    logo: Arc<Vec<u8>>,
}

impl Traffic {
    /// `chats` chats whose merchants are numbered from `first` (so that runs never share a
    /// number or a chat).
    fn new(label: &str, chats: usize, first: u64, logo: Arc<Vec<u8>>) -> Traffic {
        let mut traffic = Traffic {
            label: label.to_owned(),
            chats: Vec::with_capacity(chats),
            turn: 0,
            merchants: first,
            events: 0,
            logo,
        };
        for _ in 0..chats {
            let chat = traffic.new_chat();
            traffic.chats.push(chat);
        }
        traffic
    }

    fn new_chat(&mut self) -> Chat {
        self.merchants += 1;
        let n = self.merchants;
        Chat {
            merchant: Merchant {
                key: UserKey::new("bench", &format!("{}-{n}", self.label)),
                locale_hint: Some(if n.is_multiple_of(2) {
                    Locale::PtBr
                } else {
                    Locale::En
                }),
            },
            script: script(n as i64, &self.logo),
            next: 0,
        }
    }

    /// Sends the next message of the next chat.
    async fn send(&mut self, bot: &Bot) {
        self.events += 1;
        // Platform event ids grow (Telegram's update ids, the console's UUIDv7).
        let event = format!("{}-{:012}", self.label, self.events);
        let turn = self.turn;
        self.turn = (turn + 1) % self.chats.len();
        let chat = &mut self.chats[turn];
        let input = chat.script[chat.next].clone();
        chat.next += 1;
        let outcome = bot.handle(&chat.merchant, &event, input).await.unwrap();
        assert!(!outcome.duplicate);
        if chat.next == chat.script.len() {
            assert_eq!(
                outcome.step,
                StepId::Done,
                "the script did not reach a confirmed request"
            );
            self.chats[turn] = self.new_chat();
        }
    }
}

/// Mean time per message of each measurement, kept across criterion's batches.
#[derive(Default)]
struct Means(Mutex<BTreeMap<String, (Duration, u64)>>);

impl Means {
    fn add(&self, name: &str, elapsed: Duration, iters: u64) {
        let mut all = self.0.lock().unwrap();
        let entry = all.entry(name.to_owned()).or_default();
        entry.0 += elapsed;
        entry.1 += iters;
    }

    fn per_message(&self, name: &str) -> Option<Duration> {
        let all = self.0.lock().unwrap();
        all.get(name)
            .filter(|(_, n)| *n > 0)
            .map(|(d, n)| *d / u32::try_from(*n).unwrap_or(u32::MAX))
    }
}

/// A database of the bench's own: a SQLite file in a temporary directory, or a new PostgreSQL
/// database (its URL and the admin URL to drop it with).
enum Database {
    Sqlite(tempfile::TempDir),
    Postgres { admin: String, name: String },
}

impl Database {
    fn url(&self) -> String {
        match self {
            Database::Sqlite(dir) => format!("sqlite://{}", dir.path().join("bench.db").display()),
            Database::Postgres { admin, name } => match admin.rsplit_once('/') {
                Some((base, _)) => format!("{base}/{name}"),
                None => admin.clone(),
            },
        }
    }
}

fn databases(runtime: &tokio::runtime::Runtime) -> Vec<(&'static str, Database)> {
    let mut all = vec![("sqlite", Database::Sqlite(tempfile::tempdir().unwrap()))];
    if let Ok(admin) = std::env::var("WABA_TEST_POSTGRES_URL") {
        let name = format!("waba_bench_{}", uuid::Uuid::new_v4().simple());
        runtime.block_on(async {
            let mut db = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut db)
                .await
                .unwrap();
        });
        all.push(("postgres", Database::Postgres { admin, name }));
    }
    all
}

/// The durable step, one conversation at a time.
fn durable_step(c: &mut Criterion, runtime: &tokio::runtime::Runtime, bot: &Bot, label: &str) {
    let means = means();
    let logo = Arc::new(logo());
    let mut traffic = Traffic::new(&format!("{label}-1"), CHATS, 0, logo);
    // Every chat in the middle of a conversation before measuring.
    runtime.block_on(async {
        for _ in 0..CHATS * 7 {
            traffic.send(bot).await;
        }
    });
    let name = format!("{label}/durable step");
    let mut group = c.benchmark_group(label);
    group.throughput(Throughput::Elements(1));
    group.bench_function("durable step", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    traffic.send(bot).await;
                }
                let elapsed = start.elapsed();
                means.add(&name, elapsed, iters);
                elapsed
            })
        })
    });
    group.finish();
}

/// The durable step with `CONCURRENT` conversations at once, each its own chats.
fn durable_step_concurrent(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    bot: &Bot,
    label: &str,
) {
    let means = means();
    let logo = Arc::new(logo());
    let workers: Vec<Arc<tokio::sync::Mutex<Traffic>>> = (0..CONCURRENT)
        .map(|w| {
            let traffic = Traffic::new(
                &format!("{label}-c{w}"),
                CHATS / CONCURRENT,
                1_000_000 * (w as u64 + 1),
                logo.clone(),
            );
            Arc::new(tokio::sync::Mutex::new(traffic))
        })
        .collect();
    runtime.block_on(async {
        for worker in &workers {
            let mut traffic = worker.lock().await;
            for _ in 0..(CHATS / CONCURRENT) * 7 {
                traffic.send(bot).await;
            }
        }
    });
    let name = format!("{label}/durable step, {CONCURRENT} at once");
    let mut group = c.benchmark_group(label);
    group.throughput(Throughput::Elements(1));
    group.bench_function(format!("durable step, {CONCURRENT} at once"), |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                let tasks: Vec<_> = workers
                    .iter()
                    .enumerate()
                    .map(|(w, worker)| {
                        let worker = worker.clone();
                        let bot = bot.clone();
                        let share = iters / CONCURRENT as u64
                            + u64::from((w as u64) < iters % CONCURRENT as u64);
                        tokio::spawn(async move {
                            let mut traffic = worker.lock().await;
                            for _ in 0..share {
                                traffic.send(&bot).await;
                            }
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap();
                }
                let elapsed = start.elapsed();
                means.add(&name, elapsed, iters);
                elapsed
            })
        })
    });
    group.finish();
}

/// The bare one-row upsert transaction through the store's own pool, a draft-sized value.
fn bare_upsert(c: &mut Criterion, runtime: &tokio::runtime::Runtime, store: &Store, label: &str) {
    let means = means();
    let value = "x".repeat(1_500);
    runtime.block_on(async {
        sqlx::query("CREATE TABLE IF NOT EXISTS bench_kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
            .execute(store.pool())
            .await
            .unwrap();
    });
    let name = format!("{label}/bare upsert");
    let mut group = c.benchmark_group(label);
    group.throughput(Throughput::Elements(1));
    let mut turn = 0usize;
    group.bench_function("bare one-row upsert transaction", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    turn = (turn + 1) % CHATS;
                    let mut tx = match store.backend() {
                        Backend::Sqlite => store.pool().begin_with("BEGIN IMMEDIATE").await,
                        Backend::Postgres => store.pool().begin().await,
                    }
                    .unwrap();
                    sqlx::query(
                        "INSERT INTO bench_kv (k, v) VALUES ($1, $2) \
                         ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                    )
                    .bind(format!("chat-{turn}"))
                    .bind(&value)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                    tx.commit().await.unwrap();
                }
                let elapsed = start.elapsed();
                means.add(&name, elapsed, iters);
                elapsed
            })
        })
    });
    group.finish();
}

/// teloxide's `SqliteStorage`: get + update of the chats' real drafts, on a file as teloxide
/// opens it, and on one already in WAL mode.
fn teloxide_storage(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    drafts: &[Draft],
    dir: &std::path::Path,
) {
    let means = means();
    let mut group = c.benchmark_group("sqlite");
    group.throughput(Throughput::Elements(1));
    for (journal, file) in [("stock", "teloxide.db"), ("wal", "teloxide-wal.db")] {
        let path = dir.join(file);
        let path = path.to_str().unwrap();
        let storage = runtime.block_on(async {
            if journal == "wal" {
                let mut db = sqlx::SqliteConnection::connect(&format!("sqlite:{path}?mode=rwc"))
                    .await
                    .unwrap();
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&mut db)
                    .await
                    .unwrap();
                db.close().await.unwrap();
            }
            let storage = SqliteStorage::open(path, Json).await.unwrap();
            for (i, draft) in drafts.iter().enumerate() {
                storage
                    .clone()
                    .update_dialogue(ChatId(i as i64), draft.clone())
                    .await
                    .unwrap();
            }
            storage
        });
        let name = format!("sqlite/teloxide {journal}");
        let mut turn = 0usize;
        group.bench_function(
            format!("teloxide SqliteStorage get + update ({journal})"),
            |b| {
                b.iter_custom(|iters| {
                    runtime.block_on(async {
                        let start = Instant::now();
                        for _ in 0..iters {
                            turn = (turn + 1) % drafts.len();
                            let chat = ChatId(turn as i64);
                            let draft: Draft = storage
                                .clone()
                                .get_dialogue(chat)
                                .await
                                .unwrap()
                                .expect("a stored dialogue");
                            storage.clone().update_dialogue(chat, draft).await.unwrap();
                        }
                        let elapsed = start.elapsed();
                        means.add(&name, elapsed, iters);
                        elapsed
                    })
                })
            },
        );
    }
    group.finish();
}

fn means() -> &'static Means {
    static MEANS: std::sync::OnceLock<Means> = std::sync::OnceLock::new();
    MEANS.get_or_init(Means::default)
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let teloxide_dir = tempfile::tempdir().unwrap();
    for (label, database) in databases(&runtime) {
        let store = runtime.block_on(Store::connect(&database.url())).unwrap();
        let bot = Bot::new(store.clone(), Arc::new(SystemClock));
        durable_step(c, &runtime, &bot, label);
        bare_upsert(c, &runtime, &store, label);
        if label == "sqlite" {
            // The drafts the chats are at, as teloxide's storage would keep them.
            let drafts: Vec<Draft> = runtime.block_on(async {
                let mut drafts = Vec::new();
                for n in 1..=CHATS as u64 * 2 {
                    let key = UserKey::new("bench", &format!("sqlite-1-{n}"));
                    if let Some(draft) = store.draft(&key).await.unwrap() {
                        drafts.push(draft);
                    }
                }
                drafts
            });
            assert!(!drafts.is_empty());
            teloxide_storage(c, &runtime, &drafts, teloxide_dir.path());
        } else {
            durable_step_concurrent(c, &runtime, &bot, label);
        }
        runtime.block_on(store.close());
        if let Database::Postgres { admin, name } = &database {
            runtime.block_on(async {
                let mut db = sqlx::PgConnection::connect(admin).await.unwrap();
                sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                    .execute(&mut db)
                    .await
                    .unwrap();
            });
        }
    }
    report();
}

/// The side-by-side table: each figure per message, and the ratios of message rates.
fn report() {
    let means = means();
    let rate = |name: &str| means.per_message(name).map(|d| 1.0 / d.as_secs_f64());
    let line = |name: &str| match means.per_message(name) {
        Some(d) => format!(
            "{:>10.1} µs  {:>8.0}/s",
            d.as_secs_f64() * 1e6,
            1.0 / d.as_secs_f64()
        ),
        None => "(not run)".to_owned(),
    };
    println!("\nPer message, side by side ({CHATS} chats taking turns):");
    for name in [
        "sqlite/durable step",
        "sqlite/teloxide stock",
        "sqlite/teloxide wal",
        "sqlite/bare upsert",
        "postgres/durable step",
        "postgres/bare upsert",
        &format!("postgres/durable step, {CONCURRENT} at once"),
    ] {
        println!("  {name:<40} {}", line(name));
    }
    let ratio = |a: &str, b: &str| match (rate(a), rate(b)) {
        (Some(a), Some(b)) => format!("{:.2}×", a / b),
        _ => "(not run)".to_owned(),
    };
    println!("Ratios of message rates:");
    for (a, b) in [
        ("sqlite/durable step", "sqlite/teloxide stock"),
        ("sqlite/durable step", "sqlite/teloxide wal"),
        ("sqlite/durable step", "sqlite/bare upsert"),
        ("postgres/durable step", "postgres/bare upsert"),
        (
            &format!("postgres/durable step, {CONCURRENT} at once"),
            "postgres/durable step",
        ),
    ] {
        println!("  {a} / {b}: {}", ratio(a, b));
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
