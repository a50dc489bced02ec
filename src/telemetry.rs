//! Logs and metrics. Logs go to standard error, as text or JSON, through a writer that masks
//! phone numbers, portfolio ids and e-mail addresses whatever logged them (only the last digits
//! and the e-mail domain stay). Metrics are Prometheus counters and gauges.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use regex::Regex;
use std::io::Write;
use std::sync::{LazyLock, Mutex};

/// Masks personal data in a line of text: a phone number or a portfolio id (a run of 10 or more
/// digits, with the spaces, hyphens and parentheses people write in numbers) keeps its last 4
/// digits; an e-mail address keeps its domain. What only looks like one is kept whole: digits
/// inside a longer token (a hex id, `WA-000042`, `elapsed=12.0034567891s`: a run touching a
/// letter, an underscore or a decimal point), and UUIDs (request ids).
pub fn mask(text: &str) -> String {
    static DIGITS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\+?\d(?:[\d\s()\-]*\d)?").expect("valid pattern"));
    static EMAIL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[\w.%+\-]+@([\w\-]+(?:\.[\w\-]+)+)").expect("valid pattern"));
    static UUID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
            .expect("valid pattern")
    });
    let text = EMAIL.replace_all(text, "***@$1");
    let uuids: Vec<(usize, usize)> = UUID
        .find_iter(&text)
        .map(|m| (m.start(), m.end()))
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for run in DIGITS.find_iter(&text) {
        let (start, end) = (run.start(), run.end());
        let in_uuid = uuids.iter().any(|&(s, e)| start < e && end > s);
        let digits: Vec<char> = run.as_str().chars().filter(char::is_ascii_digit).collect();
        if digits.len() < 10 || in_uuid || part_of_token(&text, start, end) {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str("***");
        out.extend(&digits[digits.len() - 4..]);
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether the run `text[start..end]` continues a longer token: a letter, digit or underscore
/// beside it, or a decimal point between it and a digit.
fn part_of_token(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    let (b1, b2) = (before.next(), before.next());
    let (a1, a2) = (after.next(), after.next());
    b1.is_some_and(word)
        || a1.is_some_and(word)
        || (b1 == Some('.') && b2.is_some_and(|c| c.is_ascii_digit()))
        || (a1 == Some('.') && a2.is_some_and(|c| c.is_ascii_digit()))
}

/// This process's id among the instances sharing a database: the host's name and a random
/// suffix (`web-1-3f2a…`). It holds leases and labels metrics.
pub fn instance() -> &'static str {
    static INSTANCE: LazyLock<String> = LazyLock::new(|| {
        let host = std::fs::read_to_string("/etc/hostname")
            .map(|h| h.trim().to_owned())
            .ok()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "instance".to_owned());
        format!("{host}-{}", uuid::Uuid::new_v4().simple())
    });
    &INSTANCE
}

/// A writer that masks what passes through it, line by line.
pub struct MaskingWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Write for MaskingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            self.inner
                .write_all(mask(&String::from_utf8_lossy(&line)).as_bytes())?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.inner
                .write_all(mask(&String::from_utf8_lossy(&rest)).as_bytes())?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for MaskingWriter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Starts logging to standard error, as `text` or `json`; `RUST_LOG` filters (default `info`
/// for `serve`, `warn` otherwise).
pub fn init_logs(format: &str, default_level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let writer = || MaskingWriter {
        inner: std::io::stderr(),
        pending: Vec::new(),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    let _ = if format == "json" {
        builder.json().with_current_span(true).try_init()
    } else {
        builder.with_ansi(false).try_init()
    };
}

/// Labels by channel and direction.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ChannelLabels {
    /// `console`, `telegram`, …
    pub channel: String,
    /// `in` or `out`.
    pub direction: String,
}

/// A finding code.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CodeLabel {
    /// The code.
    pub code: String,
}

/// A request status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabel {
    /// The status id.
    pub status: String,
}

/// A job kind.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    /// The kind.
    pub kind: String,
}

/// A platform and the instance calling it.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CallerLabels {
    /// `telegram`, `discord`, `slack`.
    pub platform: String,
    /// The instance's id (host name and a random suffix).
    pub instance: String,
}

/// A platform and the lane of a call (`reply` or `queued`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LaneLabels {
    /// `telegram`, `discord`, `slack`.
    pub platform: String,
    /// `reply` (an answer to a merchant's own message) or `queued` (notifications, staff posts).
    pub lane: String,
}

/// A platform.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PlatformLabel {
    /// `telegram`, `discord`, `slack`.
    pub platform: String,
}

/// The buckets of the budget's waits, in seconds: 1 ms to about 16 s.
fn wait_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 4.0, 8))
}

/// Delivery outcomes.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DeliveryLabels {
    /// The channel.
    pub channel: String,
    /// `delivered` or `unreachable`.
    pub outcome: String,
}

/// The process's metrics.
pub struct Metrics {
    registry: Mutex<Registry>,
    /// Messages in and out, per channel.
    pub messages: Family<ChannelLabels, Counter>,
    /// Validation findings per code.
    pub findings: Family<CodeLabel, Counter>,
    /// Requests per status (set at scrape time).
    pub requests: Family<StatusLabel, Gauge>,
    /// Jobs waiting.
    pub outbox_depth: Gauge,
    /// Age in seconds of the oldest due job.
    pub outbox_oldest_due_seconds: Gauge,
    /// Job failures per kind.
    pub job_failures: Family<KindLabel, Counter>,
    /// Notification deliveries per channel and outcome.
    pub notifications: Family<DeliveryLabels, Counter>,
    /// 1 while this instance holds the single-instance duties.
    pub leader: Gauge,
    /// Platform calls made through the fleet's budget, per platform and instance.
    pub outbound_calls: Family<CallerLabels, Counter>,
    /// Seconds a call waited for the fleet's budget, per platform and lane.
    pub outbound_wait: Family<LaneLabels, Histogram, fn() -> Histogram>,
    /// Answers "too many requests" (HTTP 429) received, per platform.
    pub rate_limited: Family<PlatformLabel, Counter>,
}

/// The metrics of this process.
pub fn metrics() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
        let mut registry = Registry::with_prefix("waba");
        let m = Metrics {
            registry: Mutex::new(Registry::default()),
            messages: Family::default(),
            findings: Family::default(),
            requests: Family::default(),
            outbox_depth: Gauge::default(),
            outbox_oldest_due_seconds: Gauge::default(),
            job_failures: Family::default(),
            notifications: Family::default(),
            leader: Gauge::default(),
            outbound_calls: Family::default(),
            outbound_wait: Family::new_with_constructor(wait_histogram),
            rate_limited: Family::default(),
        };
        registry.register(
            "messages",
            "Messages received and sent, per channel",
            m.messages.clone(),
        );
        registry.register(
            "validation_findings",
            "Validation findings, per code",
            m.findings.clone(),
        );
        registry.register("requests", "Requests, per status", m.requests.clone());
        registry.register(
            "outbox_depth",
            "Outbox jobs waiting",
            m.outbox_depth.clone(),
        );
        registry.register(
            "outbox_oldest_due_age_seconds",
            "Age of the oldest due outbox job",
            m.outbox_oldest_due_seconds.clone(),
        );
        registry.register(
            "job_failures",
            "Outbox job failures, per kind",
            m.job_failures.clone(),
        );
        registry.register(
            "notification_deliveries",
            "Notifications to merchants, per channel and outcome",
            m.notifications.clone(),
        );
        registry.register(
            "leader",
            "1 while this instance holds the single-instance duties",
            m.leader.clone(),
        );
        registry.register(
            "outbound_calls",
            "Platform calls made through the fleet's budget, per platform and instance",
            m.outbound_calls.clone(),
        );
        registry.register(
            "outbound_wait_seconds",
            "Time a platform call waited for the fleet's budget, per platform and lane",
            m.outbound_wait.clone(),
        );
        registry.register(
            "rate_limited",
            "Answers too many requests (HTTP 429) received, per platform",
            m.rate_limited.clone(),
        );
        *m.registry.lock().expect("not poisoned") = registry;
        m
    });
    &METRICS
}

impl Metrics {
    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        let registry = self.registry.lock().expect("not poisoned");
        let _ = prometheus_client::encoding::text::encode(&mut out, &registry);
        out
    }

    /// Counts a message.
    pub fn message(&self, channel: &str, direction: &str, count: u64) {
        self.messages
            .get_or_create(&ChannelLabels {
                channel: channel.to_owned(),
                direction: direction.to_owned(),
            })
            .inc_by(count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_masked_and_the_rest_kept() {
        assert_eq!(mask("phone +5511987654321 ok"), "phone ***4321 ok");
        assert_eq!(mask("tel (11) 98765-4321."), "tel (***4321.");
        assert_eq!(mask("id 123456789012345"), "id ***2345");
        assert_eq!(mask("mail ana.souza@loja.com.br"), "mail ***@loja.com.br");
        assert_eq!(
            mask("mail joão.conceição@loja.com.br."),
            "mail ***@loja.com.br."
        );
        let kept = "2026-11-26T04:52:29.669840Z step=3 WA-000042 190";
        assert_eq!(mask(kept), kept);
        // A portfolio id at the end of a sentence, or in a path, is still masked.
        assert_eq!(mask("portfolio 123456789012345."), "portfolio ***2345.");
        assert_eq!(mask("GET /v21.0/123456789012345/x"), "GET /v21.0/***2345/x");
    }

    #[test]
    fn ids_durations_and_counts_are_not_personal_data() {
        for kept in [
            // Request ids (UUIDs), with groups of digits only.
            "request_id=12345678-1234-4234-8234-123456789012",
            "request_id=3f2a8c41-0b7d-4e5f-9a12-1234567890ab",
            // Instance ids: the host's name and a simple UUID.
            "instance=web-1-0123456789abcdef0123456789abcdef",
            "instance=web-1-1234567890123456789012345678abcd",
            // Durations and counts.
            "elapsed=12.0012345678s",
            "elapsed_ms=12345678901ms",
            "rows=1234567 pages=12",
        ] {
            assert_eq!(mask(kept), kept);
        }
    }
}
