//! One inbound message through the whole durable path (event id recorded, draft loaded and
//! locked, engine step, draft saved, commit), beside a bare one-row upsert transaction on the
//! same database, on SQLite and (when `WABA_TEST_POSTGRES_URL` is set) PostgreSQL.
//!
//! `cargo bench --bench step`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::sync::Arc;
use waba_onboard::clock::SystemClock;
use waba_onboard::conversation::Inbound;
use waba_onboard::i18n::Locale;
use waba_onboard::service::merchant::{Bot, Merchant};
use waba_onboard::storage::{Backend, Store, UserKey};

fn databases() -> Vec<(&'static str, String, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec![(
        "sqlite",
        format!("sqlite://{}", dir.path().join("bench.db").display()),
        Some(dir),
    )];
    if let Ok(url) = std::env::var("WABA_TEST_POSTGRES_URL") {
        all.push(("postgres", url, None));
    }
    all
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for (label, url, _dir) in databases() {
        let store = runtime.block_on(Store::connect(&url)).unwrap();
        let bot = Bot::new(store.clone(), Arc::new(SystemClock));
        let merchant = Merchant {
            key: UserKey::new("bench", &uuid::Uuid::new_v4().to_string()),
            locale_hint: Some(Locale::PtBr),
        };
        runtime.block_on(async {
            for (i, input) in [
                Inbound::Start,
                Inbound::Choice("no".into()),
                Inbound::Text("minhaloja".into()),
            ]
            .into_iter()
            .enumerate()
            {
                bot.handle(&merchant, &format!("warmup-{i}"), input)
                    .await
                    .unwrap();
            }
            sqlx::query(
                "CREATE TABLE IF NOT EXISTS bench_kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
            )
            .execute(store.pool())
            .await
            .unwrap();
        });
        let mut group = c.benchmark_group(label);
        group.throughput(Throughput::Elements(1));
        let mut sequence = 0u64;
        group.bench_function("durable conversation step", |b| {
            b.iter(|| {
                // Platform event ids grow (Telegram's update ids, the console's UUIDv7).
                sequence += 1;
                let event = format!("bench-{label}-{sequence:012}");
                runtime.block_on(async {
                    let outcome = bot
                        .handle(&merchant, &event, Inbound::Text("/help".into()))
                        .await
                        .unwrap();
                    assert!(!outcome.duplicate);
                })
            })
        });
        group.bench_function("bare one-row upsert transaction", |b| {
            b.iter(|| {
                runtime.block_on(async {
                    let mut tx = match store.backend() {
                        Backend::Sqlite => store.pool().begin_with("BEGIN IMMEDIATE").await,
                        Backend::Postgres => store.pool().begin().await,
                    }
                    .unwrap();
                    sqlx::query(
                        "INSERT INTO bench_kv (k, v) VALUES ($1, $2) \
                         ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                    )
                    .bind("key")
                    .bind(uuid::Uuid::new_v4().to_string())
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                    tx.commit().await.unwrap();
                })
            })
        });
        group.finish();
        runtime.block_on(async {
            sqlx::query("DROP TABLE bench_kv")
                .execute(store.pool())
                .await
                .unwrap();
            store.close().await;
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
