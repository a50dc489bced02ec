//! Requests as staff and managers read them, rendered in their language: one request in full,
//! the open requests by status, the counts. The command line prints these; chat channels send
//! them.

use crate::conversation::StepId;
use crate::domain::RequestStatus;
use crate::domain::text::shown;
use crate::domain::{Message, deadline};
use crate::i18n::{self, Locale};
use crate::service::lifecycle::{Report, Stats};
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
            .nested("status", Message::new(report.status.message_id())),
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
        "{} {}×{}, {} B",
        r.logo_format.to_uppercase(),
        r.logo_width,
        r.logo_height,
        r.logo_bytes
    );
    for (step, value) in [
        (StepId::StoreAccount, r.store_account.clone()),
        (StepId::Email, r.requester_email.clone()),
        (StepId::BusinessId, r.business_portfolio_id.clone()),
        (StepId::DisplayName, r.display_name.clone()),
        (StepId::Phone, r.phone.clone()),
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
            .map(|s| i18n::text(locale, &s.message_id()))
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

/// Requests grouped by status, a line each with age, expected date and flags.
pub fn list_text(reports: &[Report], locale: Locale) -> String {
    if reports.is_empty() {
        return i18n::text(locale, "requests-none");
    }
    let mut out = Vec::new();
    let mut current = None;
    for report in reports {
        if current != Some(report.status) {
            current = Some(report.status);
            let count = reports.iter().filter(|r| r.status == report.status).count();
            out.push(i18n::render(
                locale,
                &Message::new("requests-group")
                    .nested("status", Message::new(report.status.message_id()))
                    .num("count", count as i64),
            ));
        }
        let r = &report.request;
        let mut line = Message::new("requests-line")
            .text("reference", &r.reference)
            .text("account", &r.store_account)
            .text("name", &r.display_name)
            .num("days", i64::from(report.days_in_status));
        line = match report.expected {
            Some(date) => line.date("expected", date),
            None => line.text("expected", "—"),
        };
        let mut text = i18n::render(locale, &line);
        for (on, id) in [
            (report.overdue, "requests-flag-overdue"),
            (r.unreachable, "requests-flag-unreachable"),
            (r.ticket_id.is_none(), "requests-flag-no-ticket"),
        ] {
            if on {
                text.push_str(&flag(locale, id));
            }
        }
        out.push(format!("  {text}"));
    }
    out.join("\n")
}

/// Counts per status, the median business days to `active`, overdue and failed counts.
pub fn stats_text(stats: &Stats, locale: Locale) -> String {
    let mut out: Vec<String> = stats
        .per_status
        .iter()
        .map(|(status, count)| {
            labelled(locale, Message::new(status.message_id()), count.to_string())
        })
        .collect();
    let median = match stats.median_days_to_active {
        Some(days) => {
            let text = format!("{days:.1}");
            let text = match locale {
                Locale::PtBr => text.replace('.', ","),
                Locale::En => text,
            };
            Message::new("stats-median").text("days", text)
        }
        None => Message::new("stats-median-none"),
    };
    out.push(i18n::render(locale, &median));
    out.push(i18n::render(
        locale,
        &Message::new("stats-overdue").num("count", stats.overdue as i64),
    ));
    if stats.failed_jobs > 0 {
        out.push(i18n::render(
            locale,
            &Message::new("requests-failed-jobs").num("count", stats.failed_jobs as i64),
        ));
    }
    out.join("\n")
}
