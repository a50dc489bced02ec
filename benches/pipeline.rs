//! The managers' view with 50,000 requests in the database: a page of `requests list` /
//! `/pending`, the statistics of the last 30 days, and the export's rows, on SQLite and (when
//! `WABA_TEST_POSTGRES_URL` is set, in a database of its own, dropped afterwards) PostgreSQL.
//!
//! `cargo bench --bench pipeline`

use chrono::{Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use sqlx::Connection;
use waba_onboard::service::export::{self, Filter};
use waba_onboard::service::listing::{self, ListQuery};
use waba_onboard::service::pipeline::{self, Period};
use waba_onboard::storage::Store;

const REQUESTS: i64 = 50_000;

/// Seeds `REQUESTS` requests, one a minute up to now, in five statuses and three channels, each
/// with its creation and its last move in the history.
async fn seed(url: &str, postgres: bool) {
    let store = Store::connect(url).await.unwrap();
    store.close().await;
    sqlx::any::install_default_drivers();
    let mut db = sqlx::AnyConnection::connect(url).await.unwrap();
    let start = (Utc::now() - Duration::minutes(REQUESTS + 1)).timestamp_millis();
    let requests = if postgres {
        format!(
            "INSERT INTO requests (id, reference, status, channel, user_id, locale, store_account, \
             requester_email, business_portfolio_id, display_name, phone, category, description, \
             existing_account, business_verification, whatsapp_use, logo, logo_format, logo_width, \
             logo_height, logo_bytes, problems, created_at, updated_at, status_changed_at, ticket_id) \
             SELECT 'bench-' || i, 'WA-' || lpad(i::text, 6, '0'), \
             (ARRAY['active','in_review','submitted','awaiting_client_approval','rejected'])[i % 5 + 1], \
             (ARRAY['telegram','discord','slack'])[i % 3 + 1], 'u' || i, 'pt-BR', 'loja' || i, \
             'ana@loja.com.br', '123456789012345', 'Loja ' || i, '+5511' || lpad(i::text, 9, '0'), \
             'RETAIL', NULL, 0, 'verified', 'not_in_use', ''::bytea, 'png', 640, 640, 7680, '[]', \
             {start} + i::bigint * 60000, {start} + i::bigint * 60000, {start} + i::bigint * 60000 + 3600000, i::text \
             FROM generate_series(1, {REQUESTS}) AS i"
        )
    } else {
        format!(
            "INSERT INTO requests (id, reference, status, channel, user_id, locale, store_account, \
             requester_email, business_portfolio_id, display_name, phone, category, description, \
             existing_account, business_verification, whatsapp_use, logo, logo_format, logo_width, \
             logo_height, logo_bytes, problems, created_at, updated_at, status_changed_at, ticket_id) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {REQUESTS}) \
             SELECT 'bench-' || i, printf('WA-%06d', i), \
             CASE i % 5 WHEN 0 THEN 'active' WHEN 1 THEN 'in_review' WHEN 2 THEN 'submitted' \
             WHEN 3 THEN 'awaiting_client_approval' ELSE 'rejected' END, \
             CASE i % 3 WHEN 0 THEN 'telegram' WHEN 1 THEN 'discord' ELSE 'slack' END, \
             'u' || i, 'pt-BR', 'loja' || i, 'ana@loja.com.br', '123456789012345', 'Loja ' || i, \
             printf('+5511%09d', i), 'RETAIL', NULL, 0, 'verified', 'not_in_use', x'', 'png', 640, \
             640, 7680, '[]', {start} + i * 60000, {start} + i * 60000, \
             {start} + i * 60000 + 3600000, i FROM n"
        )
    };
    sqlx::query(&requests).execute(&mut db).await.unwrap();
    for history in [
        "INSERT INTO request_history (request_id, from_status, to_status, at, actor) \
         SELECT id, NULL, 'submitted', created_at, 'bench' FROM requests",
        "INSERT INTO request_history (request_id, from_status, to_status, at, actor) \
         SELECT id, 'submitted', status, status_changed_at, 'bench' FROM requests \
         WHERE status <> 'submitted'",
    ] {
        sqlx::query(history).execute(&mut db).await.unwrap();
    }
    db.close().await.unwrap();
}

fn databases(
    runtime: &tokio::runtime::Runtime,
    dir: &std::path::Path,
) -> Vec<(&'static str, String)> {
    let sqlite = format!("sqlite://{}", dir.join("bench.db").display());
    runtime.block_on(seed(&sqlite, false));
    let mut all = vec![("sqlite", sqlite)];
    if let Ok(admin) = std::env::var("WABA_TEST_POSTGRES_URL") {
        let name = format!("waba_bench_{}", uuid::Uuid::new_v4().simple());
        runtime.block_on(async {
            let mut db = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut db)
                .await
                .unwrap();
        });
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => admin.clone(),
        };
        runtime.block_on(seed(&url, true));
        all.push(("postgres", url));
    }
    all
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut group = c.benchmark_group("managers_view_50k");
    group.sample_size(10);
    let dir = tempfile::tempdir().unwrap();
    for (label, url) in databases(&runtime, dir.path()) {
        let store = runtime.block_on(Store::connect(&url)).unwrap();
        let now = Utc::now();
        let today = waba_onboard::domain::deadline::local_date(now);
        group.bench_function(format!("{label}/first_page_of_open_requests"), |b| {
            b.iter(|| {
                let page = runtime
                    .block_on(listing::list(&store, ListQuery::new(None, 20), now))
                    .unwrap();
                assert_eq!(page.rows.len(), 20);
            });
        });
        group.bench_function(format!("{label}/stats_last_30_days"), |b| {
            b.iter(|| {
                let stats = runtime
                    .block_on(pipeline::stats(
                        &store,
                        Period::last_days(today, pipeline::DEFAULT_DAYS),
                        now,
                    ))
                    .unwrap();
                assert!(stats.submitted > 0);
            });
        });
        group.bench_function(format!("{label}/export_rows"), |b| {
            b.iter(|| {
                let rows = runtime
                    .block_on(export::rows(&store, &Filter::default(), now))
                    .unwrap();
                assert_eq!(rows.len() as i64, REQUESTS);
            });
        });
        runtime.block_on(store.close());
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
