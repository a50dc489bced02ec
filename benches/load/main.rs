//! `serve` under load, as operators run it: the release binary, Telegram in webhook mode, the
//! builtin desk, the default outbox settings. A fake Bot API in this process keeps Telegram's
//! limits (at most 30 messages, sent or edited, in one second of its clock, and 1 a second in a
//! private chat; the rest answered 429 with `retry_after` 1, as Telegram does) and records when
//! it took each message.
//!
//! - **start-up**: from spawning `serve` to `/readyz` answering 200; then until the outbox has
//!   opened the tickets of the seeded requests (`serve`'s first work, done before the load).
//! - **phase 1** (`WABA_LOAD_SECS`, 60): `WABA_LOAD_MERCHANTS` (300) merchants, each in a
//!   private chat, POST a message every 10 s (their first ones spread over 10 s) to the webhook,
//!   walking the real conversation from `/start` to a confirmed request, a wrong answer first at
//!   four questions, choices as presses of the buttons the bot sent. A message's latency runs
//!   from just before its POST to the fake's receipt of the next `sendMessage` to that chat.
//! - **phase 2** (`WABA_LOAD_SECS`): the chats go on while, at its start, staff move the
//!   `WABA_LOAD_NOTIFICATIONS` (300) seeded requests to `in_review` in one transaction: that
//!   many notifications queued at once, to be delivered within Telegram's 30 messages a second.
//! - **idle** (`WABA_LOAD_IDLE_SECS`, 60): no traffic at all.
//!
//! Throughout: `serve`'s resident memory and CPU time (`/proc`, every 100 ms), and the 429s.
//! The merchants and the fake share the machine with `serve`. `cargo bench --bench load` runs
//! on SQLite in a temporary directory; with
//! `WABA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test` on PostgreSQL, in a
//! database of its own, dropped afterwards. Other `WABA_*` variables reach `serve`
//! (`WABA_OUTBOX_WORKERS`, `WABA_OUTBOX_POLL_INTERVAL_MS`, …).

mod support;

use serde_json::{Value, json};
use sqlx::Connection;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{logo, script};
use waba_onboard::clock::SystemClock;
use waba_onboard::conversation::{Inbound, StepId};
use waba_onboard::domain::{RequestStatus, Role};
use waba_onboard::i18n::Locale;
use waba_onboard::service::lifecycle::{self, Actor};
use waba_onboard::service::merchant::{Bot, Merchant};
use waba_onboard::storage::{Store, UserKey};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// The bot's token (the bot's id before the colon).
const TOKEN: &str = "123456:LOAD-token";
/// The webhook's secret token.
const SECRET: &str = "load-secret_1";
/// The chat of the first seeded merchant; the others follow.
const SEEDED: i64 = 900_000;
/// The chat of the first simulated merchant; each new conversation takes the next chat.
const SIMULATED: i64 = 1_000_000;
/// A merchant's pace: a message every 10 s.
const PACE: Duration = Duration::from_secs(10);
/// How long the bench waits for queued work to be done before going on anyway.
const PATIENCE: Duration = Duration::from_secs(300);
/// Clock ticks a second in `/proc/PID/stat` (`USER_HZ`, 100 on Linux).
const TICKS_PER_SEC: f64 = 100.0;

/// What the fake Bot API took, refused and knows; times count from the run's start.
#[derive(Default)]
struct Api {
    logo: Arc<Vec<u8>>,
    /// The seeded merchants' chats, where the notifications go.
    seeded: Range<i64>,
    messages: i64,
    /// The second being counted, and the messages taken in it.
    second: u64,
    in_second: u32,
    /// When the last message to each chat was taken.
    last_in_chat: HashMap<i64, Duration>,
    /// When each message (sent or edited) was taken.
    taken: Vec<Duration>,
    /// When each call was answered 429.
    refused: Vec<Duration>,
    /// When each `sendMessage` to each chat was taken.
    sent: HashMap<i64, Vec<Duration>>,
    /// The data of the buttons of the latest keyboard sent to each chat, and its message's id.
    keyboards: HashMap<i64, (Vec<String>, i64)>,
    /// When each message to a seeded chat was taken.
    notified: Vec<Duration>,
    /// Calls of methods this fake does not serve, by method.
    unexpected: BTreeMap<String, usize>,
}

impl Api {
    /// Whether a message to `chat` at `at` keeps Telegram's limits; it is then counted,
    /// otherwise the refusal is.
    fn admit(&mut self, chat: i64, at: Duration) -> bool {
        if at.as_secs() != self.second {
            self.second = at.as_secs();
            self.in_second = 0;
        }
        let last = self.last_in_chat.get(&chat).copied();
        let chat_busy = last.is_some_and(|last| at.saturating_sub(last) < Duration::from_secs(1));
        if self.in_second >= 30 || (chat > 0 && chat_busy) {
            self.refused.push(at);
            return false;
        }
        self.in_second += 1;
        self.last_in_chat.insert(chat, at);
        self.taken.push(at);
        true
    }
}

/// The fake Bot API: every method `serve` calls for merchants, answered as Telegram does.
struct FakeTelegram {
    api: Arc<Mutex<Api>>,
    started: Instant,
}

fn ok(result: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "ok": true, "result": result }))
}

fn private_chat(id: i64) -> Value {
    json!({ "id": id, "type": "private", "first_name": "Loja" })
}

impl Respond for FakeTelegram {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let mut api = self.api.lock().unwrap();
        let at = self.started.elapsed();
        let path = request.url.path();
        // `/file/bot{token}/{path}`: the only file merchants send is the logo.
        if path.starts_with("/file/") {
            return ResponseTemplate::new(200).set_body_bytes(api.logo.to_vec());
        }
        // `/bot{token}/{method}`; method names are case-insensitive, teloxide capitalizes them.
        let method = path.rsplit('/').next().unwrap_or_default().to_lowercase();
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let chat = body["chat_id"].as_i64().unwrap_or_default();
        match method.as_str() {
            "sendmessage" | "editmessagetext" | "editmessagereplymarkup" => {
                if !api.admit(chat, at) {
                    return ResponseTemplate::new(429).set_body_json(json!({
                        "ok": false, "error_code": 429,
                        "description": "Too Many Requests: retry after 1",
                        "parameters": { "retry_after": 1 },
                    }));
                }
                api.messages += 1;
                let id = body["message_id"].as_i64().unwrap_or(api.messages);
                // A reply is a message sent, or a message edited to say it (not the buttons
                // taken off an answered question).
                if method != "editmessagereplymarkup" {
                    api.sent.entry(chat).or_default().push(at);
                }
                if method == "sendmessage" {
                    if api.seeded.contains(&chat) {
                        api.notified.push(at);
                    }
                    if let Some(rows) = body["reply_markup"]["inline_keyboard"].as_array() {
                        let data: Vec<String> = rows
                            .iter()
                            .filter_map(Value::as_array)
                            .flatten()
                            .filter_map(|button| button["callback_data"].as_str())
                            .map(str::to_owned)
                            .collect();
                        api.keyboards.insert(chat, (data, id));
                    }
                }
                ok(json!({
                    "message_id": id, "date": chrono::Utc::now().timestamp(),
                    "chat": private_chat(chat), "text": body["text"].as_str().unwrap_or_default(),
                }))
            }
            "answercallbackquery" | "setmycommands" | "setwebhook" | "deletewebhook" => {
                ok(json!(true))
            }
            "getme" => ok(json!({
                "id": 123_456, "is_bot": true, "first_name": "Onboarding",
                "username": "waba_onboard_bot", "can_join_groups": true,
                "can_read_all_group_messages": false, "supports_inline_queries": false,
                "has_main_web_app": false,
            })),
            "getfile" => {
                let id = body["file_id"].as_str().unwrap_or("logo").to_owned();
                ok(json!({
                    "file_id": id, "file_unique_id": format!("u{id}"),
                    "file_size": api.logo.len(), "file_path": format!("documents/{id}.png"),
                }))
            }
            _ => {
                *api.unexpected.entry(method.clone()).or_default() += 1;
                ResponseTemplate::new(404).set_body_json(json!({
                    "ok": false, "error_code": 404, "description": "Not Found",
                }))
            }
        }
    }
}

/// The merchants' side: the webhook, the fake's records, and what was measured.
struct Load {
    client: reqwest::Client,
    webhook: String,
    api: Arc<Mutex<Api>>,
    started: Instant,
    logo_bytes: usize,
    /// The next update's id: ids grow, and none is used twice.
    next_update: AtomicI64,
    /// The chat of the next conversation to start.
    next_chat: AtomicI64,
    /// Each message sent: when, and its latency when it was answered.
    samples: Mutex<Vec<(Duration, Option<Duration>, usize)>>,
    /// Webhook answers other than 200 (the update is delivered again a second later).
    not_ok: AtomicU64,
    /// Messages unanswered, or presses of a button the chat did not have: the merchant starts
    /// over in a new chat.
    lost: AtomicU64,
    /// Conversations that reached a confirmed request.
    confirmed: AtomicU64,
}

impl Load {
    /// The run's clock.
    fn now(&self) -> Duration {
        self.started.elapsed()
    }

    async fn sleep_until(&self, at: Duration) {
        tokio::time::sleep_until(tokio::time::Instant::from_std(self.started + at)).await;
    }

    /// The update Telegram sends for `said` in `chat`, with the next update id; `None` for a
    /// press of a button the chat's latest keyboard does not have.
    fn update(&self, chat: i64, said: &Inbound) -> Option<Value> {
        let id = self.next_update.fetch_add(1, Ordering::Relaxed);
        let date = chrono::Utc::now().timestamp();
        let language = if chat % 2 == 0 { "pt-br" } else { "en" };
        let from = json!({
            "id": chat, "is_bot": false, "first_name": "Loja", "language_code": language,
        });
        let mut message = json!({
            "message_id": id, "date": date, "chat": private_chat(chat), "from": from,
        });
        match said {
            Inbound::Start => message["text"] = json!("/start"),
            Inbound::Text(text) => message["text"] = json!(text),
            Inbound::File { .. } => {
                message["document"] = json!({
                    "file_id": format!("logo{id}"), "file_unique_id": format!("ulogo{id}"),
                    "file_size": self.logo_bytes, "file_name": "logo.png",
                    "mime_type": "image/png",
                });
            }
            Inbound::Choice(key) => {
                let (data, pressed) = {
                    let api = self.api.lock().unwrap();
                    let (buttons, message_id) = api.keyboards.get(&chat)?;
                    let suffix = format!(":{key}");
                    (
                        buttons.iter().find(|d| d.ends_with(&suffix))?.clone(),
                        *message_id,
                    )
                };
                return Some(json!({ "update_id": id, "callback_query": {
                    "id": format!("cb{id}"), "from": from, "chat_instance": "load", "data": data,
                    "message": {
                        "message_id": pressed, "date": date, "chat": private_chat(chat),
                        "text": "question",
                    },
                } }));
            }
            other => unreachable!("not in the script: {other:?}"),
        }
        Some(json!({ "update_id": id, "message": message }))
    }

    /// POSTs an update to the webhook as Telegram does: again a second later while the answer
    /// is not 200, five times at most. Whether it was taken.
    async fn deliver(&self, update: &Value) -> bool {
        let body = update.to_string();
        for _ in 0..5 {
            let answer = self
                .client
                .post(&self.webhook)
                .header("content-type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                .body(body.clone())
                .send()
                .await;
            match answer {
                Ok(response) if response.status().as_u16() == 200 => {
                    let _ = response.bytes().await;
                    return true;
                }
                _ => {
                    self.not_ok.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
        false
    }

    /// How long after `at` the next `sendMessage` to `chat` was taken.
    fn reply_after(&self, chat: i64, at: Duration) -> Option<Duration> {
        let api = self.api.lock().unwrap();
        let sent = api.sent.get(&chat)?;
        sent.get(sent.partition_point(|t| *t < at)).map(|t| *t - at)
    }
}

/// One merchant: a message every [`PACE`] from `first` while before `until`, one at a time
/// (when the webhook takes longer than the pace to answer, the next message follows at once),
/// starting over in a new chat (a new store, a new number) after a confirmed request or a lost
/// message.
async fn merchant(load: Arc<Load>, first: Duration, until: Duration) {
    let mut chat = load.next_chat.fetch_add(1, Ordering::Relaxed);
    let mut plan = script(chat, &[]);
    let mut next = 0;
    let mut tick = first;
    while tick < until {
        load.sleep_until(tick).await;
        tick += PACE;
        let mut latency = None;
        if let Some(update) = load.update(chat, &plan[next]) {
            let at = load.now();
            if load.deliver(&update).await {
                latency = load.reply_after(chat, at);
            }
            load.samples.lock().unwrap().push((at, latency, next));
            next += 1;
        }
        tick = tick.max(load.now());
        if latency.is_none() {
            load.lost.fetch_add(1, Ordering::Relaxed);
        } else if next == plan.len() {
            load.confirmed.fetch_add(1, Ordering::Relaxed);
        } else {
            continue;
        }
        chat = load.next_chat.fetch_add(1, Ordering::Relaxed);
        plan = script(chat, &[]);
        next = 0;
    }
}

/// `count` Telegram merchants (chats from [`SEEDED`]), each through the whole conversation to
/// a confirmed request, through the library as `serve` does it; their requests' references.
async fn seed(store: &Store, count: usize, logo: &[u8]) -> Vec<String> {
    let bot = Bot::new(store.clone(), Arc::new(SystemClock));
    for chat in SEEDED..SEEDED + count as i64 {
        let merchant = Merchant {
            key: UserKey::new("telegram", &chat.to_string()),
            locale_hint: Some(if chat % 2 == 0 {
                Locale::PtBr
            } else {
                Locale::En
            }),
        };
        let mut step = None;
        for (k, inbound) in script(chat, logo).into_iter().enumerate() {
            let event = format!("seed-{chat}-{k}");
            step = Some(bot.handle(&merchant, &event, inbound).await.unwrap().step);
        }
        assert_eq!(
            step,
            Some(StepId::Done),
            "seeded merchant {chat} did not confirm"
        );
    }
    let references = sqlx::query_scalar::<_, String>("SELECT reference FROM requests")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(references.len(), count, "seeded requests");
    references
}

/// Moves every request of `references` to `in_review` as staff, in one transaction: as many
/// notifications queued at the same moment.
async fn move_all(store: &Store, references: &[String]) {
    let staff = Actor {
        role: Role::Staff,
        id: "cli:load".into(),
    };
    let now = chrono::Utc::now();
    let mut tx = store.begin().await.unwrap();
    for reference in references {
        let request = tx.lock_request(reference).await.unwrap().unwrap();
        lifecycle::move_in(
            &mut tx,
            &request,
            RequestStatus::InReview,
            &staff,
            None,
            now,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// The bench's database: a SQLite file in `dir`, or with `WABA_TEST_POSTGRES_URL` a new
/// PostgreSQL database; its URL, and for PostgreSQL the admin URL and the name to drop it by.
async fn database(dir: &Path) -> (String, Option<(String, String)>) {
    let Some(admin) = std::env::var("WABA_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        return (format!("sqlite://{}", dir.join("load.db").display()), None);
    };
    let name = format!("waba_load_{}", uuid::Uuid::new_v4().simple());
    admin_query(&admin, &format!("CREATE DATABASE {name}")).await;
    // The admin URL with the new database in its path, its query kept.
    let (base, query) = admin.split_once('?').unwrap_or((admin.as_str(), ""));
    let host = base.find("://").map_or(0, |i| i + 3);
    let end = base[host..].find('/').map_or(base.len(), |i| host + i);
    let mut url = format!("{}/{name}", &base[..end]);
    if !query.is_empty() {
        url = format!("{url}?{query}");
    }
    (url, Some((admin, name)))
}

async fn admin_query(admin: &str, sql: &str) {
    let mut db = sqlx::PgConnection::connect(admin).await.unwrap();
    sqlx::query(sql).execute(&mut db).await.unwrap();
    db.close().await.unwrap();
}

/// The `serve` process, killed if the bench ends without stopping it (a panic).
struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` on `database` in webhook mode, its Bot API at `api_url`, on a free port, its
/// logs into `log`.
fn spawn_serve(database: &str, api_url: &str, log: &Path) -> (Serve, u16) {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let child = Command::new(env!("CARGO_BIN_EXE_waba-onboard"))
        .arg("serve")
        .env("WABA_DATABASE_URL", database)
        .env("WABA_HTTP_ADDR", format!("127.0.0.1:{port}"))
        .env("WABA_TELEGRAM_TOKEN", TOKEN)
        .env("WABA_TELEGRAM_API_URL", api_url)
        .env(
            "WABA_TELEGRAM_WEBHOOK_URL",
            "https://bot.example/webhooks/telegram",
        )
        .env("WABA_TELEGRAM_WEBHOOK_SECRET", SECRET)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    (Serve(child), port)
}

/// The last lines of `serve`'s log.
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// Waits until `serve` answers `/readyz` with 200 (a minute at most).
async fn wait_ready(client: &reqwest::Client, child: &mut Child, port: u16, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "serve exited ({status}) before it was ready:\n{}",
                tail(log)
            );
        }
        let url = format!("http://127.0.0.1:{port}/readyz");
        if client
            .get(url)
            .send()
            .await
            .is_ok_and(|r| r.status().as_u16() == 200)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "serve not ready in a minute:\n{}",
            tail(log)
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Sends SIGTERM and waits for the exit (30 s at most, then SIGKILL): how long it took, and the
/// exit code.
async fn stop(child: &mut Child) -> (Duration, Option<i32>) {
    let asked = Instant::now();
    let pid = child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", pid.as_str()]).status();
    while asked.elapsed() < Duration::from_secs(30) {
        if let Some(status) = child.try_wait().unwrap() {
            return (asked.elapsed(), status.code());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    (asked.elapsed(), None)
}

/// A process's memory (KiB) and CPU time (clock ticks), as `/proc` tells them.
#[derive(Debug, Clone, Copy)]
struct Usage {
    rss: u64,
    hwm: u64,
    ticks: u64,
}

fn usage(pid: u32) -> Option<Usage> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |name: &str| {
        let line = status.lines().find_map(|line| line.strip_prefix(name))?;
        line.split_whitespace().next()?.parse::<u64>().ok()
    };
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields from the 3rd on, after the command's name in parentheses: utime and stime are the
    // 14th and 15th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Usage {
        rss: kib("VmRSS:")?,
        hwm: kib("VmHWM:")?,
        ticks,
    })
}

/// Samples `serve`'s usage every 100 ms, while it runs.
async fn sample(pid: u32, started: Instant, samples: Arc<Mutex<Vec<(Duration, Usage)>>>) {
    while let Some(usage) = usage(pid) {
        samples.lock().unwrap().push((started.elapsed(), usage));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn ms(duration: Option<Duration>) -> String {
    match duration {
        Some(d) if d < Duration::from_secs(1) => format!("{:.1} ms", d.as_secs_f64() * 1e3),
        Some(d) => format!("{:.2} s", d.as_secs_f64()),
        None => "-".to_owned(),
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// The `p`-th percentile (nearest rank) of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.max(1) - 1).copied()
}

/// One line of the table for a window of the run: the merchants' messages sent in it and their
/// latencies, the messages the fake took and refused, and `serve`'s peak RSS and mean CPU.
fn row(name: &str, window: Range<Duration>, load: &Load, usage: &[(Duration, Usage)]) {
    let secs = (window.end - window.start).as_secs_f64().max(1e-3);
    let samples = load.samples.lock().unwrap();
    let sent: Vec<_> = samples
        .iter()
        .filter(|(at, _, _)| window.contains(at))
        .collect();
    let mut latencies: Vec<Duration> = sent.iter().filter_map(|(_, latency, _)| *latency).collect();
    // Where in the conversation the slow replies were (above 100 ms), by the message's place.
    let mut slow: BTreeMap<usize, usize> = BTreeMap::new();
    for (_, latency, place) in &sent {
        if latency.is_some_and(|l| l > Duration::from_millis(100)) {
            *slow.entry(*place).or_default() += 1;
        }
    }
    if !slow.is_empty() {
        eprintln!("{name}: replies slower than 100 ms, by message of the conversation: {slow:?}");
    }
    latencies.sort();
    let api = load.api.lock().unwrap();
    let out = api.taken.iter().filter(|t| window.contains(*t)).count();
    let refused = api.refused.iter().filter(|t| window.contains(*t)).count();
    let used: Vec<_> = usage.iter().filter(|(at, _)| window.contains(at)).collect();
    let cpu = match (used.first(), used.last()) {
        (Some((from, first)), Some((to, last))) if to > from => {
            let ticks = last.ticks.saturating_sub(first.ticks) as f64;
            ticks / TICKS_PER_SEC / (*to - *from).as_secs_f64() * 100.0
        }
        _ => 0.0,
    };
    let peak = used.iter().map(|(_, u)| u.rss).max().unwrap_or_default();
    println!(
        "{name:<16} {:>6.1} {:>10} {:>10} {:>10} {:>6.1} {:>5} {:>10} {:>6.1} %",
        sent.len() as f64 / secs,
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(latencies.last().copied()),
        out as f64 / secs,
        refused,
        mib(peak),
        cpu,
    );
}

#[tokio::main]
async fn main() {
    let merchants = knob("WABA_LOAD_MERCHANTS", 300);
    let phase = Duration::from_secs(knob("WABA_LOAD_SECS", 60));
    let notifications = knob("WABA_LOAD_NOTIFICATIONS", 300) as usize;
    let idle = Duration::from_secs(knob("WABA_LOAD_IDLE_SECS", 60));
    let dir = tempfile::tempdir().unwrap();
    let (url, postgres) = database(dir.path()).await;
    let backend = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let logo = Arc::new(logo());

    let started = Instant::now();
    let api = Arc::new(Mutex::new(Api {
        logo: logo.clone(),
        seeded: SEEDED..SEEDED + notifications as i64,
        ..Api::default()
    }));
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let fake = FakeTelegram {
        api: api.clone(),
        started,
    };
    Mock::given(any()).respond_with(fake).mount(&server).await;

    eprintln!("seeding {notifications} confirmed requests on {backend} …");
    let seeding = Instant::now();
    let store = Store::connect(&url).await.unwrap();
    let references = seed(&store, notifications, &logo).await;
    let seeding = seeding.elapsed();

    let log = dir.path().join("serve.log");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    let spawned = Instant::now();
    let (mut serve, port) = spawn_serve(&url, &server.uri(), &log);
    wait_ready(&client, &mut serve.0, port, &log).await;
    let ready = spawned.elapsed();
    eprintln!(
        "serve ready in {}; opening the seeded tickets …",
        ms(Some(ready))
    );
    let backlog = Instant::now();
    while store.outbox_depth().await.unwrap() > 0 && backlog.elapsed() < PATIENCE {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let backlog = backlog.elapsed();

    let usage = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(sample(serve.0.id(), started, usage.clone()));
    let load = Arc::new(Load {
        client,
        webhook: format!("http://127.0.0.1:{port}/webhooks/telegram"),
        api: api.clone(),
        started,
        logo_bytes: logo.len(),
        next_update: AtomicI64::new(1),
        next_chat: AtomicI64::new(SIMULATED),
        samples: Mutex::new(Vec::new()),
        not_ok: AtomicU64::new(0),
        lost: AtomicU64::new(0),
        confirmed: AtomicU64::new(0),
    });

    eprintln!("phase 1: {merchants} merchants for {} s …", phase.as_secs());
    let start = load.now();
    let until = start + phase * 2;
    let tasks: Vec<_> = (0..merchants)
        .map(|i| {
            let first = start + PACE.mul_f64(i as f64 / merchants as f64);
            tokio::spawn(merchant(load.clone(), first, until))
        })
        .collect();
    load.sleep_until(start + phase).await;

    eprintln!("phase 2: the same, and {notifications} notifications queued at once …");
    let moved_at = load.now();
    move_all(&store, &references).await;
    let moves_took = load.now() - moved_at;
    load.sleep_until(until).await;
    for task in tasks {
        task.await.unwrap();
    }
    while api.lock().unwrap().notified.len() < notifications && load.now() < until + PATIENCE {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    eprintln!("idle for {} s …", idle.as_secs());
    let quiet = load.now();
    tokio::time::sleep(idle).await;
    let quiet = quiet..load.now();
    let (stopped_in, code) = stop(&mut serve.0).await;
    store.close().await;
    if let Some((admin, name)) = &postgres {
        admin_query(
            admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await;
    }

    println!(
        "\nwaba-onboard serve under load: {backend}, {merchants} merchants (a message every \
         10 s each), {notifications} notifications, phases of {} s\nstart-up: seeded in {}; \
         ready in {}; the seeded tickets opened {} after that",
        phase.as_secs(),
        ms(Some(seeding)),
        ms(Some(ready)),
        ms(Some(backlog))
    );
    println!(
        "\n{:<16} {:>6} {:>10} {:>10} {:>10} {:>6} {:>5} {:>10} {:>8}",
        "", "in/s", "p50", "p99", "max", "out/s", "429s", "peak RSS", "CPU"
    );
    let usage = usage.lock().unwrap();
    row("1 chat", start..start + phase, &load, &usage);
    row("2 chat + burst", start + phase..until, &load, &usage);
    row(
        &format!("idle ({} s)", idle.as_secs()),
        quiet,
        &load,
        &usage,
    );
    let api = api.lock().unwrap();
    let mut delivered = api.notified.clone();
    delivered.sort();
    match (delivered.first(), delivered.last()) {
        (Some(first), Some(last)) => {
            let span = last.saturating_sub(moved_at);
            let rate = delivered.len() as f64 / span.as_secs_f64().max(1e-3);
            println!(
                "\nnotifications: {} of {notifications} delivered, the first {} and the last {} \
                 after the moves (one transaction, {}): {rate:.1}/s, {:.0} % of Telegram's 30/s",
                delivered.len(),
                ms(Some(first.saturating_sub(moved_at))),
                ms(Some(span)),
                ms(Some(moves_took)),
                rate / 30.0 * 100.0
            );
        }
        _ => println!("\nnotifications: none delivered (of {notifications})"),
    }
    println!(
        "429s in all: {}; Bot API calls not served: {:?}\nmerchants: {} messages, {} requests \
         confirmed, {} messages lost, {} webhook answers other than 200",
        api.refused.len(),
        api.unexpected,
        load.samples.lock().unwrap().len(),
        load.confirmed.load(Ordering::Relaxed),
        load.lost.load(Ordering::Relaxed),
        load.not_ok.load(Ordering::Relaxed)
    );
    println!(
        "serve: peak RSS (VmHWM) {}; stopped {} after SIGTERM (exit code {})",
        usage.last().map_or("-".to_owned(), |(_, u)| mib(u.hwm)),
        ms(Some(stopped_in)),
        code.map_or("none: killed".to_owned(), |c| c.to_string())
    );
}
