//! `serve` under load, as operators run it: the release binary, one chat platform through its
//! real webhook path (`WABA_LOAD_PLATFORM`: `telegram`, the default, `discord` or `slack`), the
//! builtin desk, the default outbox settings. A fake of the platform's API in this process keeps
//! the platform's limits, answers 429 above them as the platform does, and records when it took
//! each call:
//!
//! - **Telegram** (Bot API webhook): at most 30 messages, sent or edited, in one second of its
//!   clock, and 1 a second in a private chat; the rest answered 429 with `retry_after` 1.
//! - **Discord** (HTTP interactions, signed with Ed25519): a merchant's answer is the
//!   interaction's HTTP response (or, deferred, the edit of it); REST calls (the DMs that carry
//!   notifications) keep the global 50 requests a second and 5 messages in 5 s in a channel.
//! - **Slack** (Events API and interactivity, signed with the signing secret): replies are
//!   `chat.postMessage` calls, 1 a second in a channel; `conversations.open` and `chat.update`
//!   keep Tier 3 (50 a minute), `users.info` Tier 4 (100 a minute); 429 with `Retry-After`.
//!
//! The run:
//! - **start-up**: from spawning `serve` to `/readyz` answering 200; then until the outbox has
//!   opened the tickets of the seeded requests (`serve`'s first work, done before the load).
//! - **phase 1** (`WABA_LOAD_SECS`, 60): `WABA_LOAD_MERCHANTS` (300) merchants, each in a chat
//!   of their own, act every 10 s (their first acts spread over 10 s), walking the real
//!   conversation from its start to a confirmed request, wrong answers first, choices as presses
//!   of the buttons the bot sent (on Discord, the text answers in its form, wrong ones first). A
//!   message's latency runs from just before its POST to the fake's receipt of the reply (on
//!   Discord, to the HTTP response, or the edit of a deferred one).
//! - **phase 2** (`WABA_LOAD_SECS`): the chats go on while, at its start, staff move the
//!   `WABA_LOAD_NOTIFICATIONS` (300) seeded requests to `in_review` in one transaction: that
//!   many notifications queued at once, to be delivered within the platform's limits.
//! - **idle** (`WABA_LOAD_IDLE_SECS`, 60): no traffic at all.
//!
//! Throughout: `serve`'s resident memory and CPU time (`/proc`, every 100 ms), and the 429s.
//! The merchants and the fake share the machine with `serve`. `cargo bench --bench load` runs
//! on SQLite in a temporary directory; with
//! `WABA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test` on PostgreSQL, in a
//! database of its own, dropped afterwards. Other `WABA_*` variables reach `serve`
//! (`WABA_OUTBOX_WORKERS`, `WABA_OUTBOX_POLL_INTERVAL_MS`, …).

#[path = "../support/mod.rs"]
mod support;

mod discord;
mod slack;
mod telegram;

use serde_json::Value;
use sqlx::Connection;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
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

/// The merchant of the first seeded request; the others follow.
const SEEDED: i64 = 900_000;
/// The merchant of the first simulated conversation; each new conversation takes the next.
const SIMULATED: i64 = 1_000_000;
/// A merchant's pace: a message every 10 s.
const PACE: Duration = Duration::from_secs(10);
/// How long the bench waits for queued work to be done before going on anyway.
const PATIENCE: Duration = Duration::from_secs(300);
/// Clock ticks a second in `/proc/PID/stat` (`USER_HZ`, 100 on Linux).
const TICKS_PER_SEC: f64 = 100.0;

/// The platform the merchants are on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Platform {
    Telegram,
    Discord,
    Slack,
}

impl Platform {
    fn from_env() -> Platform {
        match std::env::var("WABA_LOAD_PLATFORM")
            .unwrap_or_default()
            .to_lowercase()
            .as_str()
        {
            "" | "telegram" => Platform::Telegram,
            "discord" => Platform::Discord,
            "slack" => Platform::Slack,
            other => panic!("WABA_LOAD_PLATFORM: telegram, discord or slack, not {other}"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Platform::Telegram => "Telegram",
            Platform::Discord => "Discord",
            Platform::Slack => "Slack",
        }
    }

    /// The channel's name in user keys.
    fn channel(self) -> &'static str {
        match self {
            Platform::Telegram => "telegram",
            Platform::Discord => "discord",
            Platform::Slack => "slack",
        }
    }

    /// Merchant `n`'s user id on the platform.
    fn user(self, n: i64) -> String {
        match self {
            Platform::Telegram | Platform::Discord => n.to_string(),
            Platform::Slack => slack::user(n),
        }
    }

    /// Merchant `n`'s chat with the bot, as the fake keys the messages sent there.
    fn chat(self, n: i64) -> String {
        match self {
            Platform::Telegram | Platform::Discord => n.to_string(),
            Platform::Slack => slack::dm(n),
        }
    }

    /// What merchant `n` does, from the conversation's start to a confirmed request.
    fn plan(self, n: i64) -> Vec<Act> {
        match self {
            Platform::Discord => discord::plan(n),
            Platform::Telegram | Platform::Slack => {
                script(n, &[]).into_iter().map(Act::Said).collect()
            }
        }
    }

    /// The environment that enables the platform in `serve`, its API at `api_url`.
    fn env(self, api_url: &str) -> Vec<(&'static str, String)> {
        match self {
            Platform::Telegram => telegram::env(api_url),
            Platform::Discord => discord::env(api_url),
            Platform::Slack => slack::env(api_url),
        }
    }

    /// The webhook the merchants' messages are POSTed to.
    fn webhook(self, port: u16) -> String {
        let path = match self {
            Platform::Telegram => "telegram",
            Platform::Discord => "discord",
            Platform::Slack => "slack",
        };
        format!("http://127.0.0.1:{port}/webhooks/{path}")
    }
}

/// One thing a merchant does.
#[derive(Clone, Debug)]
enum Act {
    /// A turn of the conversation as the chat sends it (a message, a file, a button pressed).
    Said(Inbound),
    /// Discord: the button that opens the form pressed.
    OpenForm,
    /// Discord: the form submitted with these fields.
    Form(Vec<(&'static str, String)>),
}

/// A limit a fake keeps, per key (the platform, a chat, a method).
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// At most this many calls in any window of this length.
    Window(usize, Duration),
    /// At most this many in one second of the fake's clock (Telegram's count).
    PerSecond(u32),
}

/// The windows of [`Rule`]s, by key.
#[derive(Default)]
struct Limiter {
    windows: HashMap<String, VecDeque<Duration>>,
    seconds: HashMap<String, (u64, u32)>,
}

impl Limiter {
    /// Whether a call at `at` keeps every rule; it is then counted under each key.
    fn admit(&mut self, rules: &[(String, Rule)], at: Duration) -> bool {
        let fits = rules.iter().all(|(key, rule)| match *rule {
            Rule::Window(most, window) => self.windows.get(key).is_none_or(|taken| {
                taken
                    .iter()
                    .rev()
                    .take_while(|t| at.saturating_sub(**t) < window)
                    .count()
                    < most
            }),
            Rule::PerSecond(most) => self
                .seconds
                .get(key)
                .is_none_or(|(second, n)| *second != at.as_secs() || *n < most),
        });
        if fits {
            for (key, rule) in rules {
                match *rule {
                    Rule::Window(most, _) => {
                        let taken = self.windows.entry(key.clone()).or_default();
                        taken.push_back(at);
                        while taken.len() > most {
                            taken.pop_front();
                        }
                    }
                    Rule::PerSecond(_) => {
                        let entry = self.seconds.entry(key.clone()).or_default();
                        if entry.0 != at.as_secs() {
                            *entry = (at.as_secs(), 0);
                        }
                        entry.1 += 1;
                    }
                }
            }
        }
        fits
    }
}

/// What the fake API took, refused and knows; times count from the run's start.
#[derive(Default)]
struct Api {
    logo: Arc<Vec<u8>>,
    /// The seeded merchants' chats, where the notifications go.
    seeded: HashSet<String>,
    /// Ids for what the fake creates (messages).
    next_id: i64,
    limiter: Limiter,
    /// When each call that counts against the platform's limits was taken.
    taken: Vec<Duration>,
    /// When each call was answered 429.
    refused: Vec<Duration>,
    /// When each reply was taken, by chat (a message sent, or edited to say something).
    sent: HashMap<String, Vec<Duration>>,
    /// The ids of the controls (buttons, menus) of the latest message with some in each chat,
    /// and the message's id.
    keyboards: HashMap<String, (Vec<String>, String)>,
    /// The latest edit of each deferred Discord answer, by interaction token.
    edits: HashMap<String, Value>,
    /// When each message to a seeded chat was taken.
    notified: Vec<Duration>,
    /// Calls this fake does not serve, by method and path.
    unexpected: BTreeMap<String, usize>,
}

impl Api {
    /// Whether a call keeps `rules` at `at`: counted as taken, or as refused.
    fn admit(&mut self, rules: &[(String, Rule)], at: Duration) -> bool {
        if self.limiter.admit(rules, at) {
            self.taken.push(at);
            true
        } else {
            self.refused.push(at);
            false
        }
    }

    /// A message taken for `chat` at `at`: a reply, or a notification in a seeded chat.
    fn message(&mut self, chat: &str, at: Duration) {
        self.sent.entry(chat.to_owned()).or_default().push(at);
        if self.seeded.contains(chat) {
            self.notified.push(at);
        }
    }

    fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn unexpected(&mut self, what: String) -> ResponseTemplate {
        *self.unexpected.entry(what).or_default() += 1;
        ResponseTemplate::new(404)
    }
}

/// The fake platform API: every call `serve` makes for merchants, answered as the platform does.
struct Fake {
    platform: Platform,
    api: Arc<Mutex<Api>>,
    started: Instant,
}

impl Respond for Fake {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let mut api = self.api.lock().unwrap();
        let at = self.started.elapsed();
        match self.platform {
            Platform::Telegram => telegram::respond(&mut api, at, request),
            Platform::Discord => discord::respond(&mut api, at, request),
            Platform::Slack => slack::respond(&mut api, at, request),
        }
    }
}

/// The ids of every control (`custom_id`, `action_id`, `callback_data`) in `value`, in order.
fn controls(value: &Value, field: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match value {
                    Value::String(id) if key == field => out.push(id.clone()),
                    _ => controls(value, field, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| controls(item, field, out)),
        _ => {}
    }
}

/// The merchants' side: the webhook, the fake's records, and what was measured.
struct Load {
    platform: Platform,
    client: reqwest::Client,
    webhook: String,
    /// The fake API's base URL (where files are fetched from).
    api_url: String,
    api: Arc<Mutex<Api>>,
    started: Instant,
    logo_bytes: usize,
    /// Discord's signing key.
    key: ed25519_dalek::SigningKey,
    /// The next update's, event's or interaction's id: ids grow, none is used twice.
    next_update: AtomicI64,
    /// The merchant of the next conversation to start.
    next_chat: AtomicI64,
    /// Each message sent: when, its latency when it was answered, its place in the plan.
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

    fn next_id(&self) -> i64 {
        self.next_update.fetch_add(1, Ordering::Relaxed)
    }

    /// The language of merchant `n`: Portuguese for even ones, English for odd ones.
    fn portuguese(n: i64) -> bool {
        n % 2 == 0
    }

    /// POSTs `body` to `url` with `headers`, as a platform does: again a second later while the
    /// answer is not 200, five times at most. The answer's body when it was taken.
    async fn post(&self, url: &str, headers: &[(&str, String)], body: &str) -> Option<Vec<u8>> {
        for _ in 0..5 {
            let mut request = self.client.post(url).body(body.to_owned());
            for (name, value) in headers {
                request = request.header(*name, value);
            }
            match request.send().await {
                Ok(response) if response.status().as_u16() == 200 => {
                    return response.bytes().await.ok().map(|b| b.to_vec());
                }
                _ => {
                    self.not_ok.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
        None
    }

    /// How long after `at` the next reply to `chat` was taken.
    fn reply_after(&self, chat: &str, at: Duration) -> Option<Duration> {
        let api = self.api.lock().unwrap();
        let sent = api.sent.get(chat)?;
        sent.get(sent.partition_point(|t| *t < at)).map(|t| *t - at)
    }

    /// Waits up to 30 s for a reply to `chat` after `at`.
    async fn wait_reply(&self, chat: &str, at: Duration) -> Option<Duration> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(latency) = self.reply_after(chat, at) {
                return Some(latency);
            }
            if Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Merchant `n` does `act`; `None` when the act could not be done (a press of a button the
    /// chat does not have), otherwise the reply's latency if one came.
    async fn act(&self, n: i64, act: &Act, state: &mut Value) -> Option<Option<Duration>> {
        match self.platform {
            Platform::Telegram => telegram::act(self, n, act).await,
            Platform::Discord => discord::act(self, n, act, state).await,
            Platform::Slack => slack::act(self, n, act).await,
        }
    }
}

/// One merchant: an act every [`PACE`] from `first` while before `until`, one at a time (when
/// the webhook takes longer than the pace to answer, the next act follows at once), starting
/// over in a new chat (a new store, a new number) after a confirmed request or a lost message.
async fn merchant(load: Arc<Load>, first: Duration, until: Duration) {
    let mut n = load.next_chat.fetch_add(1, Ordering::Relaxed);
    let mut plan = load.platform.plan(n);
    let mut state = Value::Null;
    let mut next = 0;
    let mut tick = first;
    while tick < until {
        load.sleep_until(tick).await;
        tick += PACE;
        let at = load.now();
        let mut latency = None;
        if let Some(answered) = load.act(n, &plan[next], &mut state).await {
            latency = answered;
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
        n = load.next_chat.fetch_add(1, Ordering::Relaxed);
        plan = load.platform.plan(n);
        state = Value::Null;
        next = 0;
    }
}

/// `count` merchants of `platform` (from [`SEEDED`]), each through the whole conversation to
/// a confirmed request, through the library as `serve` does it; their requests' references.
async fn seed(store: &Store, platform: Platform, count: usize, logo: &[u8]) -> Vec<String> {
    let bot = Bot::new(store.clone(), Arc::new(SystemClock));
    for n in SEEDED..SEEDED + count as i64 {
        let merchant = Merchant {
            key: UserKey::new(platform.channel(), &platform.user(n)),
            locale_hint: Some(if Load::portuguese(n) {
                Locale::PtBr
            } else {
                Locale::En
            }),
        };
        let mut step = None;
        for (k, inbound) in script(n, logo).into_iter().enumerate() {
            let event = format!("seed-{n}-{k}");
            step = Some(bot.handle(&merchant, &event, inbound).await.unwrap().step);
        }
        assert_eq!(
            step,
            Some(StepId::Done),
            "seeded merchant {n} did not confirm"
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

/// Starts `serve` on `database` with `platform`, its API at `api_url`, on a free port, its
/// logs into `log`.
fn spawn_serve(platform: Platform, database: &str, api_url: &str, log: &Path) -> (Serve, u16) {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let child = Command::new(env!("CARGO_BIN_EXE_waba-onboard"))
        .arg("serve")
        .env("WABA_DATABASE_URL", database)
        .env("WABA_HTTP_ADDR", format!("127.0.0.1:{port}"))
        .envs(platform.env(api_url))
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
/// latencies, the calls the fake took and refused, and `serve`'s peak RSS and mean CPU.
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
    let platform = Platform::from_env();
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
        seeded: (SEEDED..SEEDED + notifications as i64)
            .map(|n| platform.chat(n))
            .collect(),
        ..Api::default()
    }));
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let fake = Fake {
        platform,
        api: api.clone(),
        started,
    };
    Mock::given(any()).respond_with(fake).mount(&server).await;

    eprintln!(
        "seeding {notifications} confirmed requests of {} merchants on {backend} …",
        platform.name()
    );
    let seeding = Instant::now();
    let store = Store::connect(&url).await.unwrap();
    let references = seed(&store, platform, notifications, &logo).await;
    let seeding = seeding.elapsed();

    let log = dir.path().join("serve.log");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    let spawned = Instant::now();
    let (mut serve, port) = spawn_serve(platform, &url, &server.uri(), &log);
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
        platform,
        client,
        webhook: platform.webhook(port),
        api_url: server.uri(),
        api: api.clone(),
        started,
        logo_bytes: logo.len(),
        key: discord::signing_key(),
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
        "\nwaba-onboard serve under load: {}, {backend}, {merchants} merchants (a message every \
         10 s each), {notifications} notifications, phases of {} s\nstart-up: seeded in {}; \
         ready in {}; the seeded tickets opened {} after that",
        platform.name(),
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
                 after the moves (one transaction, {}): {rate:.1}/s",
                delivered.len(),
                ms(Some(first.saturating_sub(moved_at))),
                ms(Some(span)),
                ms(Some(moves_took)),
            );
        }
        _ => println!("\nnotifications: none delivered (of {notifications})"),
    }
    println!(
        "429s in all: {}; API calls not served: {:?}\nmerchants: {} messages, {} requests \
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
