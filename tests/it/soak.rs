//! The crash soak, short version: merchants talk to `chat` on the console while its process is
//! killed (SIGKILL) at random moments and started again; in the end every conversation is
//! complete, none went back a step after a restart, no request exists twice, and every outbox
//! job ran, its ticket opened once. `WABA_SOAK_MERCHANTS` (default 8) sets how many merchants
//! talk at once; see the README's "Reliability" section for the long run.

use crate::support::{ANA, TestDb, backends, png, write};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;
use waba_onboard::clock::SystemClock;
use waba_onboard::storage::Store;
use waba_onboard::tickets::{BuiltinDesk, ConsoleNotifier, RetryPolicy, Worker};

/// How long the console stays silent before its turn is taken as over.
const QUIET: Duration = Duration::from_millis(200);

/// One `chat` process and the reply lines it prints.
struct Console {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Console {
    fn start(db: &str, user: &str) -> Console {
        let mut child = Command::new(env!("CARGO_BIN_EXE_waba-onboard"))
            .args(["chat", "--json", "--lang", "pt-BR", "--user", user])
            .env("WABA_DATABASE_URL", db)
            .env("WABA_OUTBOX_JOB_LEASE_SECS", "2")
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Console {
            child,
            stdin,
            lines,
        }
    }

    /// The replies of the turn under way, once the console has been quiet for a moment (none
    /// when it died).
    fn turn(&self) -> Vec<Value> {
        let mut replies = Vec::new();
        let mut wait = Duration::from_secs(20);
        loop {
            match self.lines.recv_timeout(wait) {
                Ok(line) => {
                    replies.push(serde_json::from_str(&line).unwrap());
                    wait = QUIET;
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    return replies;
                }
            }
        }
    }

    fn say(&mut self, line: &str) -> bool {
        writeln!(self.stdin, "{line}").is_ok() && self.stdin.flush().is_ok()
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A little randomness without a dependency: the low bits of a fresh UUID.
fn random(below: u64) -> u64 {
    (uuid::Uuid::new_v4().as_u128() as u64) % below
}

/// The answer to the question `reply` asks, for merchant `n`.
fn answer(reply: &Value, n: usize, logo: &str) -> String {
    let step = reply["step"].as_str().unwrap_or_default();
    let keys: Vec<&str> = reply["choices"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["key"].as_str()).collect())
        .unwrap_or_default();
    if !keys.is_empty() {
        let preferred = [
            "no_account",
            "no",
            "yes",
            "continue",
            "confirm",
            "not_in_use",
            "RETAIL",
            "verified",
            "team",
        ];
        let wanted = match step {
            "existing_account" => "no",
            _ => preferred
                .iter()
                .copied()
                .find(|p| *p != "no" && keys.contains(p))
                .unwrap_or(keys[0]),
        };
        return if keys.contains(&wanted) {
            wanted
        } else {
            keys[0]
        }
        .to_owned();
    }
    match step {
        "store_account" => format!("loja{n}"),
        "email" => format!("dono{n}@loja{n}.com.br"),
        "business_id" => ANA.business_id.to_owned(),
        "display_name" => format!("Loja Azul {n}"),
        "logo" => logo.to_owned(),
        "phone" => format!("+55 11 9{:04}-4321", 8000 + n),
        "description" => "/pular".to_owned(),
        _ => "/start".to_owned(),
    }
}

/// Merchant `n` talks until their request is sent, the console killed now and then; returns
/// the restarts.
fn converse(db: &str, n: usize, logo: &str) -> usize {
    let user = format!("soak{n}");
    let mut kills = 0;
    let mut console = Console::start(db, &user);
    let mut replies = console.turn();
    let mut reached = 0;
    for _ in 0..200 {
        if replies.iter().any(|r| r["step"] == "done") {
            console.kill();
            return kills;
        }
        let Some(question) = replies.last().cloned() else {
            // It died before answering: start again.
            console.kill();
            console = Console::start(db, &user);
            replies = console.turn();
            continue;
        };
        if let Some(step) = question["progress"]["step"].as_u64() {
            assert!(
                step >= reached,
                "{user} went back from step {reached} to {step}: {replies:?}"
            );
            reached = reached.max(step);
        }
        let line = answer(&question, n, logo);
        if !console.say(&line) || random(4) == 0 {
            // Killed at a random moment: before, during or after the answer's transaction.
            std::thread::sleep(Duration::from_millis(random(40)));
            console.kill();
            kills += 1;
            console = Console::start(db, &user);
        }
        replies = console.turn();
    }
    panic!("{user} never finished: {replies:?}");
}

async fn soak(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let logo = write(dir.path(), "logo.png", &png(640, 640));
    let logo = logo.display().to_string();
    let merchants: usize = std::env::var("WABA_SOAK_MERCHANTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(8);
    let talks: Vec<_> = (1..=merchants)
        .map(|n| {
            let (url, logo) = (db.url.clone(), logo.clone());
            std::thread::spawn(move || converse(&url, n, &logo))
        })
        .collect();
    let kills: usize = talks.into_iter().map(|t| t.join().unwrap()).sum();
    // What the killed consoles left claimed is taken over once their leases run out.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let store = Store::connect(&db.url).await.unwrap();
    Worker::new(
        store.clone(),
        std::sync::Arc::new(BuiltinDesk),
        vec![std::sync::Arc::new(ConsoleNotifier::new(store.clone()))],
        std::sync::Arc::new(SystemClock),
        RetryPolicy::default(),
    )
    .run_until_idle()
    .await
    .unwrap();
    let count = |sql: &'static str| {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(store.pool())
                .await
                .unwrap()
        }
    };
    let requests = count("SELECT COUNT(*) FROM requests").await;
    let users = count("SELECT COUNT(DISTINCT user_id) FROM requests").await;
    let tickets = count("SELECT COUNT(*) FROM requests WHERE ticket_id = reference").await;
    let open_tickets = count("SELECT COUNT(*) FROM outbox WHERE kind = 'open_ticket'").await;
    let left = count("SELECT COUNT(*) FROM outbox WHERE status <> 'done'").await;
    eprintln!(
        "{}: {merchants} conversations, {kills} kills, {requests} requests, {open_tickets} ticket jobs, {left} jobs left",
        db.label
    );
    assert_eq!(requests, merchants as i64, "{}: one request each", db.label);
    assert_eq!(users, merchants as i64, "{}", db.label);
    assert_eq!(tickets, requests, "{}: every ticket opened", db.label);
    assert_eq!(
        open_tickets, requests,
        "{}: each ticket opened once",
        db.label
    );
    assert_eq!(left, 0, "{}: every job ran", db.label);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversations_survive_their_process_killed_at_random_moments() {
    for db in backends().await {
        soak(&db).await;
    }
}
