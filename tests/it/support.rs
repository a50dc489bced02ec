//! Test scaffolding: a fresh database per test (SQLite always; PostgreSQL when
//! `WABA_TEST_POSTGRES_URL` is set, and required when `CI=true`), a fixed clock, image fixtures.

use chrono::{DateTime, TimeZone, Utc};
use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use waba_onboard::clock::Clock;
use waba_onboard::service::merchant::Bot;
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

/// The values a merchant gives in the shared script (the phone is each test's own).
pub struct Answers {
    pub store_account: &'static str,
    pub email: &'static str,
    pub business_id: &'static str,
    pub display_name: &'static str,
}

/// Ana's answers: every value accepted (the display name asks to confirm the brand).
pub const ANA: Answers = Answers {
    store_account: "minhaloja",
    email: "ana@minhaloja.com.br",
    business_id: "123456789012345",
    display_name: "Loja Azul",
};

/// Every answer from the start of a conversation to its summary, as channels report them.
pub fn answers_to_summary(phone: &str) -> Vec<waba_onboard::conversation::Inbound> {
    use waba_onboard::conversation::Inbound;
    let text = |s: &str| Inbound::Text(s.to_owned());
    let choice = |s: &str| Inbound::Choice(s.to_owned());
    vec![
        Inbound::Start,
        choice("no"),
        text(ANA.store_account),
        text(ANA.email),
        text(ANA.business_id),
        choice("yes"),
        text(ANA.display_name),
        choice("yes"),
        Inbound::File {
            name: "logo.png".into(),
            bytes: png(640, 640),
        },
        text(phone),
        choice("yes"),
        choice("yes"),
        choice("not_in_use"),
        choice("RETAIL"),
        choice("skip"),
        choice("verified"),
    ]
}

/// The lines a Portuguese-speaking console merchant types from hello to a confirmed request.
pub fn typed_answers(logo: &Path) -> String {
    format!(
        "2\n{}\n{}\n{}\n1\n{}\n1\n{}\n(11) 98765-4321\n1\n1\n1\n20\n/pular\n1\n1\n",
        ANA.store_account,
        ANA.email,
        ANA.business_id,
        ANA.display_name,
        logo.display()
    )
}

/// Runs the real binary on `db` with `input` on standard input, as the login `bob`, with no
/// locale in the environment; returns the exit code, standard output and standard error.
pub fn run_binary(
    db: &str,
    args: &[&str],
    input: &str,
    env: &[(&str, &str)],
) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut command = Command::new(env!("CARGO_BIN_EXE_waba-onboard"));
    command
        .args(args)
        .env("WABA_DATABASE_URL", db)
        .env("USER", "bob")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        stderr,
    )
}

/// What a console merchant was notified since the last look, each notification in the language
/// the bot recorded for it (the way `chat` shows them at its start).
pub async fn console_news(store: &Store, user: &str, now: DateTime<Utc>) -> Vec<String> {
    store
        .take_console_inbox(user, now)
        .await
        .unwrap()
        .into_iter()
        .map(|(message, locale)| {
            waba_onboard::i18n::render(
                locale.expect("the merchant's language is recorded"),
                &message,
            )
        })
        .collect()
}

/// Runs `worker` until the outbox is empty, moving `clock` ten minutes between rounds so that
/// jobs waiting for their next try come due, with a real pause too (a platform's 429 holds the
/// fleet off in real time); then checks that no job is left and none failed.
pub async fn drain_outbox(
    worker: &waba_onboard::tickets::Worker,
    store: &Store,
    clock: &TestClock,
    label: &str,
) {
    for _ in 0..20 {
        worker.run_until_idle().await.unwrap();
        if store.outbox_depth().await.unwrap() == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        *clock.0.lock().unwrap() += chrono::Duration::minutes(10);
    }
    assert_eq!(store.outbox_depth().await.unwrap(), 0, "{label}: jobs left");
    assert!(
        store.failed_jobs().await.unwrap().is_empty(),
        "{label}: jobs failed"
    );
}
