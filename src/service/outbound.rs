//! The fleet's outbound budget. A platform's limits belong to the bot token, not to the
//! process: Telegram takes about 30 messages a second from a bot, 1 a second in a chat and 20 a
//! minute in a group ([Bot API FAQ](https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this));
//! Discord 50 requests a second ([rate limits](https://discord.com/developers/docs/topics/rate-limits#global-rate-limit));
//! Slack about 1 message a second in a channel ([rate limits](https://api.slack.com/apis/rate-limits#posting-messages)).
//! So every instance takes its slots from one schedule kept in the database (the generic cell
//! rate algorithm: per key, the time the next call may be made), and the limits hold for the
//! whole fleet, whatever the number of instances.
//!
//! Two lanes share the budget. A **reply** (the answer to a merchant's own message) books the
//! first free slot, however far. **Queued** work (the outbox's notifications and staff posts)
//! books a slot only when it is at most [`HORIZON`] away, and otherwise waits: queued work never
//! books the future ahead of replies, so a reply waits behind at most [`HORIZON`] of queued
//! calls, while queued calls still fill every slot replies leave free.
//!
//! A 429 from the platform ([`Outbound::rate_limited`]) holds every instance's calls on that
//! platform off for the time it asks.

use crate::storage::{Slot, Store};
use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How far ahead queued work may book a slot (microseconds): a reply waits behind this much of
/// queued calls at most.
pub const HORIZON_US: i64 = 100_000;

/// The share of a platform's published limit the fleet uses, in percent: slots are spaced a
/// little wider than the limit, so that network jitter between the slot and the platform's
/// receipt of the call (up to about 3 % of a second's worth) never puts one call too many in a
/// platform's second.
pub const HEADROOM_PERCENT: i64 = 97;

/// Queued work that has made no call yet is [`Deferred`] rather than kept waiting longer than
/// this (microseconds).
pub const DEFER_AFTER_US: i64 = 250_000;

/// A call that wakes this much after its slot (microseconds; a starved process) takes new
/// slots, once: calls woken late together would otherwise reach the platform closer than their
/// slots, above its limit in that second. Its chat's slot is taken anew too: the chat's next
/// call may already hold the slot after the old one.
pub const LATE_US: i64 = 20_000;

/// Idle keys are forgotten after an hour, in microseconds ([`Outbound::prune`]).
const KEEP_IDLE_US: i64 = 3_600_000_000;

/// Which lane a platform call travels in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// An answer to a merchant's own message: booked at once, ahead of queued work.
    Reply,
    /// Outbox work (notifications, staff posts, alerts): fills the slots replies leave.
    Queued,
}

impl Lane {
    /// Its name in metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Lane::Reply => "reply",
            Lane::Queued => "queued",
        }
    }
}

tokio::task_local! {
    /// Set inside [`queued`]: whether the queued work has made a call yet.
    static QUEUED: Cell<bool>;
}

/// Runs `work` (one outbox job's platform work) in the queued lane: every platform call it
/// makes through an [`Outbound`] yields to replies, and until its first call it is
/// [`Deferred`] rather than kept waiting long. The outbox worker runs its platform work so;
/// everything else is a reply.
pub async fn queued<F: Future>(work: F) -> F::Output {
    QUEUED.scope(Cell::new(false), work).await
}

/// The lane of the running task ([`Lane::Reply`] unless inside [`queued`]).
pub fn lane() -> Lane {
    QUEUED.try_with(|_| Lane::Queued).unwrap_or(Lane::Reply)
}

/// Whether queued work may still be handed back rather than wait: it has made no call yet (a
/// job whose first message went out waits for the rest, so that nothing is sent twice).
fn may_defer() -> bool {
    QUEUED.try_with(|called| !called.get()).unwrap_or(false)
}

fn mark_called() {
    let _ = QUEUED.try_with(|called| called.set(true));
}

/// Queued work whose budget is taken for longer than [`DEFER_AFTER_US`] (a chat written to a
/// moment ago, a platform's hold): the outbox hands the job back for `wait`, without counting a
/// try, and runs other jobs meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the platform's budget is taken for {} ms", .wait.as_millis())]
pub struct Deferred {
    /// How long until the budget is free.
    pub wait: Duration,
}

/// A rate: at most `calls` calls in `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Calls allowed in the period (0: no limit of ours, only the holds the platform asks
    /// for).
    pub calls: u32,
    /// The period.
    pub per: Duration,
}

impl Rate {
    /// `calls` a second.
    pub const fn per_second(calls: u32) -> Rate {
        Rate {
            calls,
            per: Duration::from_secs(1),
        }
    }

    /// `calls` a minute.
    pub const fn per_minute(calls: u32) -> Rate {
        Rate {
            calls,
            per: Duration::from_secs(60),
        }
    }

    /// Microseconds between two calls' slots, [`HEADROOM_PERCENT`] included, rounded up;
    /// `None` for no limit.
    pub fn pace_us(&self) -> Option<i64> {
        if self.calls == 0 {
            return None;
        }
        let per = i64::try_from(self.per.as_micros()).unwrap_or(i64::MAX / 200);
        let divisor = i64::from(self.calls) * HEADROOM_PERCENT;
        Some(((per * 100 + divisor - 1) / divisor).max(1))
    }
}

/// One limit a call must keep: a key of the schedule and its rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// The key: `telegram` for the platform's overall limit, `telegram:chat:42` for one chat's.
    pub key: String,
    /// Its rate.
    pub rate: Rate,
    /// One chat's: its calls follow one another, so its pace counts from when a call was
    /// answered, not only from its slot ([`Outbound::answered`]).
    pub chat: bool,
}

impl Limit {
    /// A platform's overall limit (its key is the platform's name).
    pub fn overall(platform: &str, rate: Rate) -> Limit {
        Limit {
            key: platform.to_owned(),
            rate,
            chat: false,
        }
    }

    /// A limit of its own (a Slack method's tier: `slack:chat.update`).
    pub fn keyed(key: String, rate: Rate) -> Limit {
        Limit {
            key,
            rate,
            chat: false,
        }
    }

    /// One chat's (channel's) limit on a platform.
    pub fn chat(platform: &str, chat: &str, rate: Rate) -> Limit {
        Limit {
            key: format!("{platform}:chat:{chat}"),
            rate,
            chat: true,
        }
    }
}

/// The time (Unix microseconds) of the slot a call was made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slotted(i64);

/// The fleet's outbound budget, on the shared store.
#[derive(Clone)]
pub struct Outbound {
    store: Store,
    instance: Arc<str>,
}

impl Outbound {
    /// The budget kept in `store`, for this process ([`crate::telemetry::instance`]).
    pub fn new(store: Store) -> Outbound {
        Outbound {
            store,
            instance: crate::telemetry::instance().into(),
        }
    }

    /// The same budget, for the instance `instance` (its name in metrics).
    pub fn for_instance(mut self, instance: &str) -> Outbound {
        self.instance = instance.into();
        self
    }

    /// Waits until one call on `platform` keeps every limit of `limits` (narrowest first: a
    /// chat's, then the platform's) for the whole fleet, then returns: the caller makes the call
    /// at once. The wait depends on the running task's [`lane`]. A reply whose budget cannot be
    /// read (the database away) goes ahead, the platform's own 429 still guarding; queued work
    /// gets the error and is retried by the outbox. Returns the slot's time, for
    /// [`Outbound::answered`].
    pub async fn pace(&self, platform: &str, limits: &[Limit]) -> anyhow::Result<Slotted> {
        let lane = lane();
        let started = Instant::now();
        // The holds platforms asked for (429s), kept beside the limits' slots.
        let holds: Vec<String> = limits.iter().map(|l| hold_key(&l.key)).collect();
        let mut earliest = now_us();
        let mut rebooked = false;
        let at = loop {
            let at = self.book(platform, limits, earliest, lane).await?;
            sleep_until(at).await;
            // A hold asked for since the slots were taken: new slots, after it.
            match self.store.latest_slot(&holds).await {
                Ok(Some(until)) if until > now_us() => {
                    if lane == Lane::Queued {
                        defer_if_far(until)?;
                    }
                    earliest = until;
                }
                Ok(_) if !rebooked && now_us() > at + LATE_US => {
                    rebooked = true;
                    earliest = now_us();
                }
                Ok(_) => break at,
                Err(error) if lane == Lane::Reply => {
                    tracing::warn!(error = format!("{error:#}"), platform, "cannot read holds");
                    break at;
                }
                Err(error) => return Err(error),
            }
        };
        if lane == Lane::Queued {
            mark_called();
        }
        let metrics = crate::telemetry::metrics();
        metrics
            .outbound_wait
            .get_or_create(&crate::telemetry::LaneLabels {
                platform: platform.to_owned(),
                lane: lane.as_str().to_owned(),
            })
            .observe(started.elapsed().as_secs_f64());
        metrics
            .outbound_calls
            .get_or_create(&crate::telemetry::CallerLabels {
                platform: platform.to_owned(),
                instance: self.instance.to_string(),
            })
            .inc();
        Ok(Slotted(at))
    }

    /// Takes a slot on every limit at or after `earliest`, narrowest first, and moves those
    /// that came before the call's time; returns that time.
    async fn book(
        &self,
        platform: &str,
        limits: &[Limit],
        earliest: i64,
        lane: Lane,
    ) -> anyhow::Result<i64> {
        let mut at = earliest;
        // The slots taken, to move those taken before the call's time (a chat's slot, when the
        // platform's came later) so that the next call keeps its pace from the real one.
        let mut taken: Vec<(&Limit, i64, i64)> = Vec::with_capacity(limits.len());
        for limit in limits {
            // No rate: only the holds the platform asks for, read after the booking.
            let Some(pace) = limit.rate.pace_us() else {
                continue;
            };
            // A chat's slot may be a second away: the shared limits are booked when it comes,
            // so that a call waiting for its chat never holds back every other chat's calls
            // (a shared slot taken a second ahead pushes the whole schedule behind it).
            if !limit.chat && taken.iter().any(|(l, _, _)| l.chat) {
                sleep_until(at).await;
            }
            match self.slot(&limit.key, at, pace, lane).await {
                Ok(slot) => {
                    taken.push((limit, slot, pace));
                    at = at.max(slot);
                }
                Err(error) if error.downcast_ref::<Deferred>().is_some() => return Err(error),
                Err(error) if lane == Lane::Reply => {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        platform,
                        "cannot read the outbound budget; replying anyway"
                    );
                    return Ok(at);
                }
                Err(error) => return Err(error),
            }
        }
        for (limit, slot, pace) in taken {
            if slot < at
                && let Err(error) = self.store.push_slot(&limit.key, at + pace).await
            {
                tracing::warn!(error = format!("{error:#}"), "cannot move a slot");
            }
        }
        Ok(at)
    }

    /// Tells the budget that the call made in `slotted` was answered now. A call that reached
    /// the platform late (a slow network, a busy machine) may have arrived less than a chat's
    /// pace before the next call's slot: that chat's next slot then counts from now, so that two
    /// calls never reach a chat closer than its pace.
    pub async fn answered(&self, limits: &[Limit], slotted: Slotted) {
        let now = now_us();
        for limit in limits.iter().filter(|limit| limit.chat) {
            let Some(pace) = limit.rate.pace_us() else {
                continue;
            };
            // The headroom covers a call that took up to the pace's margin.
            let margin = pace * (100 - HEADROOM_PERCENT) / 100;
            if now > slotted.0 + margin
                && let Err(error) = self.store.push_slot(&limit.key, now + pace).await
            {
                tracing::warn!(error = format!("{error:#}"), "cannot move a chat's slot");
            }
        }
    }

    /// The slot of one key at or after `earliest`: a reply books the first free one; queued
    /// work books one at most [`HORIZON_US`] away, waiting until there is one.
    async fn slot(&self, key: &str, earliest: i64, pace: i64, lane: Lane) -> anyhow::Result<i64> {
        loop {
            let now = now_us();
            let latest = match lane {
                Lane::Reply => None,
                Lane::Queued => Some(now.max(earliest) + HORIZON_US),
            };
            match self
                .store
                .take_slot(key, earliest.max(now), pace, latest)
                .await?
            {
                Slot::Taken(at) => return Ok(at),
                Slot::Busy(free) => {
                    defer_if_far(free)?;
                    sleep_until(free - HORIZON_US).await;
                }
            }
        }
    }

    /// Records the platform's "too many requests" (HTTP 429, `retry_after`) on the limit keyed
    /// `key` (a platform's overall key, or a method's where the platform limits each method):
    /// no instance makes a call keeping that limit before that time has passed.
    pub async fn rate_limited(&self, platform: &str, key: &str, retry_after: Duration) {
        crate::telemetry::metrics()
            .rate_limited
            .get_or_create(&crate::telemetry::PlatformLabel {
                platform: platform.to_owned(),
            })
            .inc();
        let wait = i64::try_from(retry_after.as_micros()).unwrap_or(i64::MAX / 2);
        tracing::warn!(
            platform,
            wait_ms = wait / 1000,
            "the platform asked to slow down; the fleet waits"
        );
        let until = now_us().saturating_add(wait);
        // The slots taken from now on come after it; those already taken see the hold.
        let pushed = self.store.push_slot(key, until).await;
        let held = self.store.push_slot(&hold_key(key), until).await;
        if let Err(error) = pushed.and(held) {
            tracing::error!(
                error = format!("{error:#}"),
                platform,
                "cannot hold the fleet's calls off"
            );
        }
    }

    /// Forgets the keys idle for an hour (chats written to long ago); returns how many.
    pub async fn prune(&self) -> anyhow::Result<u64> {
        self.store.prune_slots(now_us() - KEEP_IDLE_US).await
    }
}

/// The key of the hold a platform asked for on `key`.
fn hold_key(key: &str) -> String {
    format!("{key}:hold")
}

/// [`Deferred`] when queued work that may still be handed back would wait past `free` (Unix
/// microseconds) for longer than [`DEFER_AFTER_US`].
fn defer_if_far(free: i64) -> anyhow::Result<()> {
    let wait = free - now_us();
    if wait > DEFER_AFTER_US && may_defer() {
        return Err(Deferred {
            wait: Duration::from_micros(wait.unsigned_abs()),
        }
        .into());
    }
    Ok(())
}

/// The wall clock in Unix microseconds: the schedule is shared by instances, so it is real
/// time (kept in step by NTP), not a test's clock.
fn now_us() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

async fn sleep_until(at: i64) {
    let wait = at - now_us();
    if wait > 0 {
        tokio::time::sleep(Duration::from_micros(wait.unsigned_abs())).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paces_leave_headroom_and_round_up() {
        // 30 a second: 1 s / 30 / 0.97 = 34 364.26 µs, so 29.1 calls a second.
        assert_eq!(Rate::per_second(30).pace_us(), Some(34_365));
        assert_eq!(Rate::per_second(1).pace_us(), Some(1_030_928));
        assert_eq!(Rate::per_minute(20).pace_us(), Some(3_092_784));
        assert_eq!(Rate::per_second(0).pace_us(), None);
    }

    #[tokio::test]
    async fn the_outbox_runs_in_the_queued_lane_and_the_rest_replies() {
        assert_eq!(lane(), Lane::Reply);
        assert_eq!(queued(async { lane() }).await, Lane::Queued);
        assert_eq!(lane(), Lane::Reply);
    }
}
