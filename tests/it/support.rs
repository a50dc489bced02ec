//! Test scaffolding: a fresh database per test (SQLite always; PostgreSQL when
//! `WABA_TEST_POSTGRES_URL` is set, and required when `CI=true`), a fixed clock, image fixtures.

use chrono::{DateTime, TimeZone, Utc};
use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use waba_onboard::bot::{Bot, Clock};
use waba_onboard::storage::Store;

/// A clock the test moves.
#[derive(Clone)]
pub struct TestClock(pub Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn at(at: DateTime<Utc>) -> Self {
        TestClock(Arc::new(Mutex::new(at)))
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// Thursday 2026-11-26, 12:00 in São Paulo.
pub fn thursday_noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 15, 0, 0).unwrap()
}

/// A database for one test, dropped with it.
pub struct TestDb {
    pub label: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        TestDb {
            label: "sqlite",
            url,
            _dir: Some(dir),
            postgres: None,
        }
    }

    async fn postgres(admin_url: &str) -> anyhow::Result<TestDb> {
        let name = format!("waba_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(admin_url).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
        admin.close().await?;
        Ok(TestDb {
            label: "postgres",
            url: replace_database(admin_url, &name),
            _dir: None,
            postgres: Some((admin_url.to_owned(), name)),
        })
    }

    pub async fn store(&self) -> Store {
        Store::connect(&self.url).await.unwrap()
    }

    pub async fn bot(&self, clock: &TestClock) -> Bot {
        Bot::new(self.store().await, Arc::new(clock.clone()))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres.take() else {
            return;
        };
        // Drop is synchronous: a short-lived runtime on its own thread removes the database.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await;
                }
            });
        })
        .join();
    }
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// Every backend the contract runs on: SQLite, and PostgreSQL when configured. With `CI=true`
/// a missing or unreachable PostgreSQL fails the test instead of skipping it.
pub async fn backends() -> Vec<TestDb> {
    let mut all = vec![TestDb::sqlite()];
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    match std::env::var("WABA_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => match TestDb::postgres(&url).await {
            Ok(db) => all.push(db),
            Err(error) => panic!("PostgreSQL at WABA_TEST_POSTGRES_URL is unreachable: {error:#}"),
        },
        _ if ci => {
            panic!("CI=true but WABA_TEST_POSTGRES_URL is not set: the PostgreSQL suite must run")
        }
        _ => eprintln!("WABA_TEST_POSTGRES_URL is not set: PostgreSQL runs skipped (SQLite only)"),
    }
    all
}

/// A PNG of one colour.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::ImageBuffer::from_pixel(width, height, image::Rgb([0u8, 90, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Writes a file into a directory and returns its path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}
