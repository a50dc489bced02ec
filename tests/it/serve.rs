//! `waba-onboard serve` as operators run it: the real binary, its endpoints, its shutdown, two
//! instances on one PostgreSQL, and what its logs never contain.

use crate::support::{TestDb, backends, png, run_binary, typed_answers, write};
use chrono::Utc;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use waba_onboard::jobs::Job;
use waba_onboard::storage::{NewJob, Store};

fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned())?;
    Some((status, body))
}

/// POSTs a JSON body; the status and the body.
pub(crate) fn get_post(port: u16, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

pub(crate) struct Server {
    child: Child,
    port: u16,
    logs: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    pub(crate) fn start(db: &str, extra: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_waba-onboard"));
        command
            .arg("serve")
            .env("WABA_DATABASE_URL", db)
            .env("WABA_HTTP_ADDR", "127.0.0.1:0")
            .env("WABA_OUTBOX_POLL_INTERVAL_MS", "50")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in extra {
            command.env(k, v);
        }
        let mut child = command.spawn().unwrap();
        // The port the server bound, from its "listening" log line; the rest of the logs kept.
        let logs = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let sink = logs.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if line.contains("listening")
                    && let Some(port) = line
                        .rsplit(':')
                        .next()
                        .and_then(|p| p.trim().parse::<u16>().ok())
                {
                    let _ = port_tx.send(port);
                }
                sink.lock().unwrap().push_str(&line);
                sink.lock().unwrap().push('\n');
            }
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("serve did not start: {}", logs.lock().unwrap()));
        Server { child, port, logs }
    }

    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    pub(crate) fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    pub(crate) fn wait(mut self) -> (i32, String) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                let logs = self.logs.lock().unwrap().clone();
                return (status.code().unwrap_or(-1), logs);
            }
            assert!(Instant::now() < deadline, "serve did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn metric(&self, name: &str) -> Option<f64> {
        let (_, body) = get(self.port, "/metrics")?;
        body.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn queue_notes(store: &Store, request_id: &str, count: usize) {
    let mut tx = store.begin().await.unwrap();
    for i in 0..count {
        tx.enqueue(&NewJob {
            job: Job::NotifyNote {
                request_id: request_id.into(),
                text: format!("nota {i}"),
            },
            dedupe_key: None,
            due_at: Utc::now(),
            created_at: Utc::now(),
        })
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// A database with one submitted console request from `ana`, made with `chat`.
pub(crate) fn with_request(db: &TestDb) -> String {
    let dir = tempfile::tempdir().unwrap();
    let logo = write(dir.path(), "logo.png", &png(640, 640));
    let (code, out, err) = run_binary(
        &db.url,
        &["chat", "--lang", "pt-BR", "--user", "ana"],
        &typed_answers(&logo),
        &[],
    );
    assert_eq!(code, 0, "{out}{err}");
    "WA-000001".to_owned()
}

async fn inbox_count(store: &Store) -> usize {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM console_inbox WHERE message LIKE '%nota %'")
        .fetch_one(store.pool())
        .await
        .unwrap() as usize
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    for db in backends().await {
        with_request(&db);
        let server = Server::start(&db.url, &[]);
        assert_eq!(get(server.port, "/healthz").unwrap().0, 200);
        assert_eq!(get(server.port, "/readyz").unwrap().0, 200, "{}", db.label);
        let (status, metrics) = get(server.port, "/metrics").unwrap();
        assert_eq!(status, 200);
        assert!(
            metrics.contains("waba_requests{status=\"submitted\"} 1"),
            "{metrics}"
        );
        assert!(metrics.contains("waba_outbox_depth"), "{metrics}");
        assert!(metrics.contains("waba_leader 1"), "{metrics}");
        assert_eq!(get(server.port, "/nope").unwrap().0, 404);
        server.signal("TERM");
        let (code, logs) = server.wait();
        assert_eq!(code, 0, "{logs}");
        assert!(logs.contains("stopped"), "{logs}");
    }
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let Some(db) = backends().await.into_iter().find(|d| d.label == "postgres") else {
        eprintln!("needs PostgreSQL: skipped");
        return;
    };
    let server = Server::start(&db.url, &[]);
    assert_eq!(get(server.port, "/readyz").unwrap().0, 200);
    drop(db); // drops the database, connections and all
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if get(server.port, "/readyz").map(|r| r.0) == Some(503) {
            break;
        }
        assert!(Instant::now() < deadline, "readyz kept answering 200");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        get(server.port, "/healthz").unwrap().0,
        200,
        "alive even so"
    );
}

#[tokio::test]
async fn sigterm_during_work_loses_nothing_and_does_nothing_twice() {
    let db = TestDb::sqlite();
    with_request(&db);
    let store = db.store().await;
    let request = store.request("WA-000001").await.unwrap().unwrap();
    let jobs = 400;
    queue_notes(&store, &request.id, jobs).await;
    let server = Server::start(&db.url, &[("WABA_OUTBOX_WORKERS", "2")]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while inbox_count(&store).await == 0 {
        assert!(Instant::now() < deadline, "no job ran");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.signal("TERM");
    let (code, logs) = server.wait();
    assert_eq!(code, 0, "{logs}");
    let delivered = inbox_count(&store).await;
    let done: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'notify_note' AND status = 'done'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(
        delivered as i64, done,
        "every job marked done has its effect, and only those"
    );
    // A new instance finishes the rest.
    let server = Server::start(&db.url, &[]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while inbox_count(&store).await < jobs {
        if Instant::now() > deadline {
            let rows: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
                "SELECT status, attempts, locked_until FROM outbox WHERE status <> 'done' LIMIT 5",
            )
            .fetch_all(store.pool())
            .await
            .unwrap();
            panic!(
                "the rest did not run: {rows:?}, {} delivered\n{logs}",
                inbox_count(&store).await
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(inbox_count(&store).await, jobs, "nothing twice");
    server.signal("INT");
    assert_eq!(server.wait().0, 0);
    store.close().await;
}

#[tokio::test]
async fn two_instances_share_one_postgresql_and_hand_over_the_scheduler() {
    let Some(db) = backends().await.into_iter().find(|d| d.label == "postgres") else {
        eprintln!("needs PostgreSQL: skipped");
        return;
    };
    with_request(&db);
    let store = db.store().await;
    let request = store.request("WA-000001").await.unwrap().unwrap();
    let jobs = 300;
    queue_notes(&store, &request.id, jobs).await;
    let lease = [("WABA_LEADER_LEASE_SECS", "2")];
    let a = Server::start(&db.url, &lease);
    let b = Server::start(&db.url, &lease);
    let deadline = Instant::now() + Duration::from_secs(60);
    while store.outbox_depth().await.unwrap() > 0 || inbox_count(&store).await < jobs {
        assert!(Instant::now() < deadline, "the jobs did not all run");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(inbox_count(&store).await, jobs, "no job ran twice");
    // Exactly one holds the scheduler; kill it and the other takes over.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let leaders: Vec<f64> = [&a, &b]
        .iter()
        .map(|s| s.metric("waba_leader").unwrap())
        .collect();
    assert_eq!(leaders.iter().sum::<f64>(), 1.0, "{leaders:?}");
    let (leader, other) = if leaders[0] == 1.0 { (a, b) } else { (b, a) };
    leader.signal("KILL");
    let _ = leader.wait();
    let deadline = Instant::now() + Duration::from_secs(15);
    while other.metric("waba_leader") != Some(1.0) {
        assert!(
            Instant::now() < deadline,
            "the scheduler was not taken over"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    other.signal("TERM");
    assert_eq!(other.wait().0, 0);
    store.close().await;
}

#[test]
fn a_complete_conversation_leaves_no_personal_data_in_the_logs() {
    let dir = tempfile::tempdir().unwrap();

    let logo = write(dir.path(), "logo.png", &png(640, 640));
    let answers = format!("{}/status\n", typed_answers(&logo));
    for format in ["json", "text"] {
        // A database each: the second would find the number on the first's open request.
        let db = format!(
            "sqlite://{}",
            dir.path().join(format!("{format}.db")).display()
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_waba-onboard"))
            .args([
                "chat",
                "--lang",
                "pt-BR",
                "--user",
                &format!("ana-{format}"),
            ])
            .env("WABA_DATABASE_URL", &db)
            .env("WABA_LOG_FORMAT", format)
            .env("RUST_LOG", "trace")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(answers.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        let logs = String::from_utf8_lossy(&output.stderr);
        assert!(logs.lines().count() > 20, "the logs were captured: {logs}");
        for secret in [
            "5511987654321",
            "98765-4321",
            "987654321",
            "ana@minhaloja",
            "123456789012345",
        ] {
            assert!(!logs.contains(secret), "{format} logs contain {secret}");
        }
        // They were logged, and masked: what support matches a request by.
        for masked in ["***4321", "***@minhaloja.com.br", "***2345"] {
            assert!(logs.contains(masked), "{format} logs lack {masked}: {logs}");
        }
    }
}
