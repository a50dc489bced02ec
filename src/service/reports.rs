//! Requests as staff and managers read them, rendered in their language: one request in full,
//! the open requests by status, the counts. The command line prints these; chat channels send
//! them.

use crate::conversation::StepId;
use crate::domain::RequestStatus;
use crate::domain::text::shown;
use crate::domain::{BusinessPhone, Message, deadline};
use crate::i18n::{self, Locale};
use crate::service::lifecycle::Report;
use crate::service::listing::{ListQuery, Page};
use crate::service::pipeline::PipelineStats;
use crate::storage::SignupSession;

fn field(step: StepId) -> Message {
    Message::new(format!("field-{}", step.slug()))
}

fn labelled(locale: Locale, label: Message, value: String) -> String {
    i18n::render(
        locale,
        &Message::new("note-about-field")
            .nested("field", label)
            .text("text", value),
    )
}

fn flag(locale: Locale, id: &str) -> String {
    format!(" [{}]", i18n::text(locale, id))
}

/// One request in full: fields, findings, age, history and notes.
pub fn report_text(report: &Report, locale: Locale) -> String {
    let r = &report.request;
    let mut out = vec![i18n::render(
        locale,
        &Message::new("requests-show-title")
            .text("reference", &r.reference)
            .nested("status", Message::new(report.status.staff_message_id())),
    )];
    let category = i18n::text(
        locale,
        &format!("category-{}", r.category.to_lowercase().replace('_', "-")),
    );
    let description = r
        .description
        .clone()
        .unwrap_or_else(|| i18n::text(locale, "value-skipped"));
    let logo = format!(
        "{} {}×{}, {}",
        r.logo_format.to_uppercase(),
        r.logo_width,
        r.logo_height,
        i18n::format_size(locale, u64::try_from(r.logo_bytes).unwrap_or(0))
    );
    for (step, value) in [
        (StepId::StoreAccount, r.store_account.clone()),
        (StepId::Email, r.requester_email.clone()),
        (StepId::BusinessId, r.business_portfolio_id.clone()),
        (StepId::DisplayName, r.display_name.clone()),
        (StepId::Phone, BusinessPhone::international_of(&r.phone)),
        (StepId::Category, category),
        (StepId::Description, description),
        (StepId::Logo, logo),
    ] {
        out.push(labelled(locale, field(step), value));
    }
    let mut status = i18n::render(
        locale,
        &Message::new("requests-show-age").num("days", i64::from(report.days_in_status)),
    );
    if let Some(date) = report.expected {
        status.push_str("; ");
        status.push_str(&i18n::render(
            locale,
            &Message::new("requests-show-expected").date("date", date),
        ));
    }
    if report.overdue {
        status.push_str(&flag(locale, "requests-flag-overdue"));
    }
    if r.unreachable {
        status.push_str(&flag(locale, "requests-flag-unreachable"));
    }
    if let Some(erased) = r.erased_at {
        status.push_str("; ");
        status.push_str(&i18n::render(
            locale,
            &Message::new("requests-show-erased").date("date", deadline::local_date(erased)),
        ));
    }
    out.push(labelled(
        locale,
        Message::new("requests-show-status"),
        status,
    ));
    if let Some(signup) = &report.signup {
        out.push(labelled(
            locale,
            Message::new("signup-path"),
            i18n::render(locale, &signup_path(signup)),
        ));
    }
    for problem in &r.problems {
        let step = StepId::parse(&problem.field).unwrap_or(StepId::Summary);
        let finding = Message {
            id: format!("finding-{}", problem.code.replace(['.', '_'], "-")),
            args: problem.args.clone(),
        };
        out.push(labelled(
            locale,
            field(step),
            i18n::render(
                locale,
                &Message::new(format!("verdict-{}", problem.verdict.as_str()))
                    .nested("text", finding),
            ),
        ));
    }
    out.push(i18n::text(locale, "requests-show-history"));
    let label = |status: &str| {
        RequestStatus::parse(status)
            .map(|s| i18n::text(locale, &s.staff_message_id()))
            .unwrap_or_else(|| status.to_owned())
    };
    for entry in &report.history {
        let mut text = format!(
            "  {}  {} → {}  ({})",
            i18n::format_date(locale, deadline::local_date(entry.at)),
            entry
                .from
                .as_deref()
                .map(label)
                .unwrap_or_else(|| "—".to_owned()),
            label(&entry.to),
            shown(&entry.actor)
        );
        if let Some(reason) = &entry.reason {
            text.push_str(&format!(": {}", shown(reason)));
        }
        out.push(text);
    }
    for note in &report.notes {
        out.push(format!(
            "  {}  {}{}: {}",
            i18n::format_date(locale, deadline::local_date(note.at)),
            shown(&note.author),
            if note.visible_to_merchant {
                " (👁)"
            } else {
                ""
            },
            shown(&note.body)
        ));
    }
    out.join("\n")
}

/// Meta's `current_step` in words (the steps of Embedded Signup's screens); an unknown or
/// missing step is "one of the first screens".
pub fn step_label(step: Option<&str>) -> Message {
    let known = [
        "BUSINESS_ACCOUNT_SELECTION",
        "WABA_PHONE_PROFILE_PICKER",
        "PHONE_NUMBER_SETUP",
        "PHONE_NUMBER_VERIFICATION",
        "PERMISSIONS",
    ];
    match step.filter(|s| known.contains(s)) {
        Some(step) => Message::new(format!(
            "signup-step-{}",
            step.to_lowercase().replace('_', "-")
        )),
        None => Message::new("signup-step-unknown"),
    }
}

/// Where a request on the Embedded Signup path stands, for staff.
fn signup_path(signup: &SignupSession) -> Message {
    let message = Message::new(format!("signup-path-{}", signup.state));
    match signup.state.as_str() {
        "cancelled" => message.nested("step", step_label(signup.stopped_at.as_deref())),
        "error" => message.text(
            "said",
            shown(signup.error_message.as_deref().unwrap_or_default()),
        ),
        _ => message,
    }
}

/// Where a listing is read: the command to type for the next page differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `requests list … --page N`.
    Cli,
    /// `/pending [status] N`.
    Telegram,
    /// `/pending status:… page:N`.
    Discord,
    /// `/waba-pending [status] N`.
    Slack,
}

/// The command that shows page `page` of `query`'s listing on `surface`.
fn page_command(surface: Surface, locale: Locale, query: &ListQuery, page: usize) -> String {
    let status = query.status.map(RequestStatus::as_str);
    let discord = |id: &str| i18n::text(locale, id);
    match surface {
        Surface::Cli => format!("--page {page}"),
        Surface::Telegram => match status {
            Some(status) => format!("/pending {status} {page}"),
            None => format!("/pending {page}"),
        },
        Surface::Slack => match status {
            Some(status) => format!("/waba-pending {status} {page}"),
            None => format!("/waba-pending {page}"),
        },
        Surface::Discord => {
            let pending = discord("discord-command-pending-name");
            let page_option = discord("discord-option-page-name");
            match status {
                Some(status) => format!(
                    "/{pending} {}:{status} {page_option}:{page}",
                    discord("discord-option-status-name")
                ),
                None => format!("/{pending} {page_option}:{page}"),
            }
        }
    }
}

/// A page of requests grouped by status (with each status's count over every page), a line
/// each with age, expected date and flags, and where the next page is.
pub fn list_text(page: &Page, locale: Locale, surface: Surface) -> String {
    if page.total == 0 {
        return i18n::text(locale, "requests-none");
    }
    let mut out = Vec::new();
    let mut current = None;
    for listed in &page.rows {
        if current != Some(listed.status) {
            current = Some(listed.status);
            let count = page.per_status.get(&listed.status).copied().unwrap_or(0);
            out.push(i18n::render(
                locale,
                &Message::new("requests-group")
                    .nested("status", Message::new(listed.status.staff_message_id()))
                    .num("count", count as i64),
            ));
        }
        let r = &listed.request;
        let mut line = Message::new("requests-line")
            .text("reference", &r.reference)
            .text("account", &r.store_account)
            .text("name", &r.display_name)
            .num("days", i64::from(listed.days_in_status));
        line = match listed.expected {
            Some(date) => line.date("expected", date),
            None => line.text("expected", "—"),
        };
        let mut text = i18n::render(locale, &line);
        for (on, id) in [
            (listed.overdue, "requests-flag-overdue"),
            (r.unreachable, "requests-flag-unreachable"),
            (r.ticket_id.is_none(), "requests-flag-no-ticket"),
        ] {
            if on {
                text.push_str(&flag(locale, id));
            }
        }
        out.push(format!("  {text}"));
    }
    if page.pages > 1 {
        let at = page.query.page;
        let (id, to) = if at < page.pages {
            ("requests-page", at + 1)
        } else {
            ("requests-page-last", 1)
        };
        let footer = Message::new(id)
            .num("page", at as i64)
            .num("pages", page.pages as i64)
            .num("total", page.total as i64)
            .text("command", page_command(surface, locale, &page.query, to));
        out.push(i18n::render(locale, &footer));
    }
    out.join("\n")
}

/// The number a formatted count of days agrees with: itself when whole, else one that reads
/// as plural (1.5 days).
fn unit(value: Option<f64>) -> i64 {
    match value {
        Some(v) if v.fract() == 0.0 => v as i64,
        _ => 2,
    }
}

fn days(locale: Locale, value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| i18n::format_decimal(locale, v))
}

/// The pipeline over a period, for a phone screen: the period, what came in and went live, each
/// stage (now, stays, median and 90th percentile, late stays), the weeks, the oldest open
/// requests.
pub fn stats_text(stats: &PipelineStats, locale: Locale) -> String {
    let period = &stats.period;
    let mut out = vec![i18n::render(
        locale,
        &Message::new("pipeline-title")
            .date("since", period.since)
            .date("until", period.until),
    )];
    if stats.is_quiet() {
        out.push(i18n::text(locale, "pipeline-quiet"));
    } else {
        out.push(i18n::render(
            locale,
            &Message::new("pipeline-summary")
                .num("submitted", stats.submitted as i64)
                .num("activated", stats.activated as i64),
        ));
        out.push(i18n::render(
            locale,
            &match stats.median_days_to_active {
                Some(median) => Message::new("pipeline-to-active")
                    .text("median", i18n::format_decimal(locale, median))
                    .text("p90", days(locale, stats.p90_days_to_active)),
                None => Message::new("pipeline-to-active-none"),
            },
        ));
    }
    out.push(String::new());
    out.push(i18n::text(locale, "pipeline-stages"));
    for stage in &stats.stages {
        let status = Message::new(stage.status.staff_message_id());
        let line = if stage.status.is_final() {
            Message::new("pipeline-stage-final")
                .nested("status", status)
                .num("now", stage.now as i64)
        } else if stage.stays == 0 {
            Message::new("pipeline-stage-idle")
                .nested("status", status)
                .num("now", stage.now as i64)
        } else {
            Message::new("pipeline-stage")
                .nested("status", status)
                .num("now", stage.now as i64)
                .num("stays", stage.stays as i64)
                .text("median", days(locale, stage.median_days))
                .num("unit", unit(stage.median_days))
                .text("p90", days(locale, stage.p90_days))
                .num("overdue", stage.overdue as i64)
        };
        out.push(format!("  {}", i18n::render(locale, &line)));
    }
    if !stats.is_quiet() {
        out.push(String::new());
        out.push(i18n::text(locale, "pipeline-weeks"));
        for week in &stats.weeks {
            let channels: Vec<String> = week
                .submitted
                .iter()
                .map(|(channel, count)| {
                    i18n::render(
                        locale,
                        &Message::new("pipeline-week-channel")
                            .text("channel", channel)
                            .num("count", *count as i64),
                    )
                })
                .collect();
            let line = Message::new("pipeline-week")
                .date("week", week.start)
                .num("submitted", week.submitted.values().sum::<usize>() as i64)
                .text("channels", channels.join(", "))
                .num("activated", week.activated as i64)
                .text("median", days(locale, week.median_days_to_active))
                .num("unit", unit(week.median_days_to_active));
            out.push(format!("  {}", i18n::render(locale, &line)));
        }
    }
    if !stats.oldest_open.is_empty() {
        out.push(String::new());
        out.push(i18n::text(locale, "pipeline-oldest"));
        for open in &stats.oldest_open {
            let mut line = i18n::render(
                locale,
                &Message::new("pipeline-oldest-line")
                    .text("reference", &open.reference)
                    .text("account", &open.store_account)
                    .nested("status", Message::new(open.status.staff_message_id()))
                    .num("days", i64::from(open.business_days_open)),
            );
            if open.overdue {
                line.push_str(&flag(locale, "requests-flag-overdue"));
            }
            out.push(format!("  {line}"));
        }
    }
    out.push(String::new());
    out.push(i18n::render(
        locale,
        &Message::new("stats-overdue").num("count", stats.overdue_now as i64),
    ));
    if stats.failed_jobs > 0 {
        out.push(i18n::render(
            locale,
            &Message::new("requests-failed-jobs").num("count", stats.failed_jobs as i64),
        ));
    }
    out.join("\n")
}
