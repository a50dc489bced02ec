//! `requests …` and `stats`: the builtin desk on the command line. The operator acts as staff,
//! recorded as `cli:<login name>`.

use super::RequestsAction;
use crate::app::Enabled;
use crate::clock::SystemClock;
use crate::conversation::StepId;
use crate::domain::{Message, RequestStatus, Role, deadline};
use crate::i18n::{self, Locale};
use crate::service::chart;
use crate::service::export;
use crate::service::lifecycle::{Actor, Lifecycle, LifecycleError, Report};
use crate::service::listing::{ListQuery, Listed, Page};
use crate::service::pipeline::{self, Period, PeriodError};
use crate::service::reports::Surface;
use crate::service::staff::{Reason, Staff, StaffAction, StaffError};
use crate::storage::Store;
use crate::tickets::{RetryPolicy, Worker};
use serde_json::{Value, json};
use std::process::ExitCode;
use std::sync::Arc;

/// The outbox worker of the command line: the desk and the channels of the configuration (the
/// console inbox always), like `serve`'s.
pub fn worker(store: &Store, channels: &Enabled) -> Worker {
    channels.worker(store, Arc::new(SystemClock), RetryPolicy::default())
}

fn operator() -> Actor {
    let login = std::env::var("USER")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "operator".to_owned());
    Actor {
        role: Role::Staff,
        id: format!("cli:{login}"),
    }
}

fn say(locale: Locale, message: Message) {
    outln!("{}", i18n::render(locale, &message));
}

fn refused(locale: Locale, error: &StaffError) -> ExitCode {
    if let Some(cause) = error.internal() {
        tracing::error!(error = format!("{cause:#}"), "requests command failed");
    }
    eprintln!("{}", i18n::render(locale, &error.message()));
    ExitCode::FAILURE
}

fn refuse(locale: Locale, error: &LifecycleError) -> ExitCode {
    if let LifecycleError::Internal(cause) = error {
        tracing::error!(error = format!("{cause:#}"), "requests command failed");
    }
    eprintln!("{}", i18n::render(locale, &error.message()));
    ExitCode::FAILURE
}

async fn drain(store: &Store, channels: &Enabled) {
    if let Err(error) = worker(store, channels).run_until_idle().await {
        tracing::error!(error = format!("{error:#}"), "outbox worker failed");
    }
}

/// A status as typed; an unknown one is a usage error (exit 2).
fn parse_status(locale: Locale, text: &str) -> Result<RequestStatus, ExitCode> {
    RequestStatus::parse(text).ok_or_else(|| {
        eprintln!(
            "{}",
            i18n::render(
                locale,
                &Message::new("cli-unknown-status").text("status", text)
            )
        );
        ExitCode::from(2)
    })
}

/// `--status`, if given.
fn parse_status_option(
    locale: Locale,
    text: Option<&str>,
) -> Result<Option<RequestStatus>, ExitCode> {
    text.map(|s| parse_status(locale, s)).transpose()
}

/// Runs one `requests` operation.
pub async fn run(
    store: &Store,
    channels: &Enabled,
    action: RequestsAction,
    locale: Locale,
) -> ExitCode {
    let staff = Staff::new(store.clone(), Arc::new(SystemClock));
    let lifecycle = staff.lifecycle().clone();
    drain(store, channels).await;
    match action {
        RequestsAction::List {
            status,
            channel,
            overdue,
            older_than,
            limit,
            page,
            json,
        } => {
            let status = match parse_status_option(locale, status.as_deref()) {
                Ok(status) => status,
                Err(code) => return code,
            };
            let query = ListQuery {
                status,
                channel: channel.map(|c| c.trim().to_lowercase()),
                overdue,
                older_than: older_than.map(i32::from),
                limit: usize::from(limit),
                page: usize::try_from(page).unwrap_or(usize::MAX),
            };
            match lifecycle.list(query).await {
                Ok(page) => {
                    if json {
                        let all: Vec<Value> = page.rows.iter().map(listed_json).collect();
                        outln!("{}", Value::Array(all));
                    } else {
                        print_list(store, &page, locale).await;
                    }
                    ExitCode::SUCCESS
                }
                Err(error) => refuse(locale, &error),
            }
        }
        RequestsAction::Export {
            format,
            status,
            since,
            until,
            include_contact,
            output,
        } => {
            let today = lifecycle.today();
            let day =
                |text: Option<String>| text.map(|t| pipeline::parse_day(&t, today)).transpose();
            let status = match parse_status_option(locale, status.as_deref()) {
                Ok(status) => status,
                Err(code) => return code,
            };
            let period = day(since).and_then(|since| {
                let until = day(until)?;
                match (since, until) {
                    (Some(since), Some(until)) if since > until => {
                        Err(PeriodError::Empty { since, until })
                    }
                    _ => Ok((since, until)),
                }
            });
            let (since, until) = match period {
                Ok(period) => period,
                Err(error) => {
                    eprintln!("{}", i18n::render(locale, &error.message()));
                    return ExitCode::from(2);
                }
            };
            let filter = export::Filter {
                status,
                since,
                until,
                include_contact,
            };
            export_rows(store, &filter, format, output.as_deref(), locale).await
        }
        RequestsAction::Show { reference, json } => match lifecycle.find(&reference).await {
            Ok(reports) => {
                for report in &reports {
                    if json {
                        outln!("{}", report_json(report));
                    } else {
                        outln!("{}", crate::service::reports::report_text(report, locale));
                    }
                }
                ExitCode::SUCCESS
            }
            Err(error) => refuse(locale, &error),
        },
        RequestsAction::Advance {
            reference,
            to,
            reason,
        } => {
            let to = match parse_status(locale, &to) {
                Ok(to) => to,
                Err(code) => return code,
            };
            let action = if to == RequestStatus::Rejected {
                match Reason::parse(reason.as_deref().unwrap_or_default()) {
                    Ok(reason) => StaffAction::Reject { reference, reason },
                    Err(error) => return refused(locale, &error),
                }
            } else {
                StaffAction::Move {
                    reference,
                    to,
                    reason,
                }
            };
            act(&staff, store, channels, action, locale).await
        }
        RequestsAction::Erase { reference, confirm } => {
            if !confirm {
                eprintln!(
                    "{}",
                    i18n::render(
                        locale,
                        &Message::new("requests-erase-confirm").text("reference", reference.trim())
                    )
                );
                return ExitCode::from(2);
            }
            act(
                &staff,
                store,
                channels,
                StaffAction::Erase { reference },
                locale,
            )
            .await
        }
        RequestsAction::Ask {
            reference,
            fields,
            reason,
        } => {
            let mut steps = Vec::new();
            for field in fields {
                match StepId::parse(&field).filter(|s| s.position().is_some()) {
                    Some(step) => steps.push(step),
                    None => return refuse(locale, &LifecycleError::UnknownField(field)),
                }
            }
            let action = match Reason::parse(&reason) {
                Ok(reason) => StaffAction::AskFix {
                    reference,
                    fields: steps,
                    reason,
                },
                Err(error) => return refused(locale, &error),
            };
            act(&staff, store, channels, action, locale).await
        }
        RequestsAction::Note {
            reference,
            text,
            visible,
        } => {
            let action = StaffAction::Note {
                reference,
                text,
                visible,
            };
            act(&staff, store, channels, action, locale).await
        }
    }
}

/// `requests export`: the rows to the standard output or a file.
async fn export_rows(
    store: &Store,
    filter: &export::Filter,
    format: super::ExportFormat,
    output: Option<&std::path::Path>,
    locale: Locale,
) -> ExitCode {
    let rows = match export::rows(store, filter, chrono::Utc::now()).await {
        Ok(rows) => rows,
        Err(error) => return refuse(locale, &LifecycleError::Internal(error)),
    };
    let mut bytes = Vec::new();
    let written = match format {
        super::ExportFormat::Csv => export::write_csv(&mut bytes, &rows, filter.include_contact),
        super::ExportFormat::Json => {
            bytes = export::to_json(&rows).to_string().into_bytes();
            bytes.push(b'\n');
            Ok(())
        }
    };
    let written = written.and_then(|()| match output {
        Some(path) => std::fs::write(path, &bytes).map_err(anyhow::Error::from),
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .map_err(anyhow::Error::from)
        }
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}",
                i18n::render(
                    locale,
                    &Message::new("export-unwritable").text("detail", format!("{error:#}"))
                )
            );
            ExitCode::FAILURE
        }
    }
}

/// Does a staff action as the operator, then runs the jobs it queued.
async fn act(
    staff: &Staff,
    store: &Store,
    channels: &Enabled,
    action: StaffAction,
    locale: Locale,
) -> ExitCode {
    match staff.act(&operator(), action, None).await {
        Ok(done) => {
            drain(store, channels).await;
            say(locale, done);
            ExitCode::SUCCESS
        }
        Err(error) => refused(locale, &error),
    }
}

async fn print_list(store: &Store, page: &Page, locale: Locale) {
    outln!(
        "{}",
        crate::service::reports::list_text(page, locale, Surface::Cli)
    );
    if let Ok(failed) = store.failed_jobs().await
        && !failed.is_empty()
    {
        say(
            locale,
            Message::new("requests-failed-jobs").num("count", failed.len() as i64),
        );
        for job in failed {
            outln!(
                "  {} {} ({}×): {}",
                job.kind,
                job.job
                    .as_ref()
                    .and_then(|j| j.request_id())
                    .unwrap_or_default(),
                job.attempts,
                crate::domain::text::shown(&job.last_error.unwrap_or_default())
            );
        }
    }
    if let Ok(help) = store.help_requests().await
        && !help.is_empty()
    {
        say(
            locale,
            Message::new("requests-help-wanted").num("count", help.len() as i64),
        );
        for (at, help) in help {
            let message = Message::new("requests-help-line")
                .text("who", format!("{}:{}", help.channel, help.user_id))
                .nested("field", crate::conversation::field_label(help.step))
                .date("date", deadline::local_date(at));
            outln!("  {}", i18n::render(locale, &message));
        }
    }
}

/// A listed request as JSON (no personal data: the contact is in `requests show`).
pub fn listed_json(listed: &Listed) -> Value {
    let r = &listed.request;
    json!({
        "reference": r.reference,
        "status": r.status,
        "store_account": r.store_account,
        "display_name": r.display_name,
        "channel": r.channel,
        "created_at": r.created_at.to_rfc3339(),
        "status_changed_at": r.status_changed_at.to_rfc3339(),
        "business_days_in_status": listed.days_in_status,
        "business_days_open": listed.days_open,
        "expected_by": listed.expected.map(|d| d.to_string()),
        "overdue": listed.overdue,
        "ticket_id": r.ticket_id,
        "unreachable": r.unreachable,
    })
}

/// The JSON of `requests show --json`: a request's report.
pub fn report_json(report: &Report) -> Value {
    let r = &report.request;
    json!({
        "reference": r.reference,
        "status": r.status,
        "store_account": r.store_account,
        "requester_email": r.requester_email,
        "business_portfolio_id": r.business_portfolio_id,
        "display_name": r.display_name,
        "phone": r.phone,
        "category": r.category,
        "description": r.description,
        "locale": r.locale,
        "channel": r.requester.channel,
        "logo": {
            "format": r.logo_format,
            "width": r.logo_width,
            "height": r.logo_height,
            "bytes": r.logo_bytes,
        },
        "problems": r.problems.iter().map(|p| json!({
            "field": p.field,
            "code": p.code,
            "verdict": p.verdict.as_str(),
        })).collect::<Vec<_>>(),
        "created_at": r.created_at.to_rfc3339(),
        "history": report.history.iter().map(|h| json!({
            "from": h.from,
            "to": h.to,
            "at": h.at.to_rfc3339(),
            "actor": h.actor,
            "reason": h.reason,
        })).collect::<Vec<_>>(),
        "ticket_id": r.ticket_id,
        "info_fields": r.info_fields,
        "info_reason": r.info_reason,
        "unreachable": r.unreachable,
        "erased_at": r.erased_at.map(|at| at.to_rfc3339()),
        "days_in_status": report.days_in_status,
        "expected_date": report.expected.map(|d| d.to_string()),
        "overdue": report.overdue,
        "notes": report.notes.iter().map(|n| json!({
            "at": n.at.to_rfc3339(),
            "author": n.author,
            "text": n.body,
            "visible_to_merchant": n.visible_to_merchant,
        })).collect::<Vec<_>>(),
    })
}

/// What `stats` was asked.
#[derive(Debug, Default)]
pub struct StatsOptions {
    /// `--since`, as typed.
    pub since: Option<String>,
    /// `--until`, as typed.
    pub until: Option<String>,
    /// `--chart`: where to write the PNG.
    pub chart: Option<std::path::PathBuf>,
    /// `--json`.
    pub json: bool,
}

/// `stats`: exit 2 for a bad period, 1 when the chart cannot be written.
pub async fn stats(
    store: &Store,
    channels: &Enabled,
    options: StatsOptions,
    locale: Locale,
) -> ExitCode {
    drain(store, channels).await;
    let lifecycle = Lifecycle::new(store.clone(), Arc::new(SystemClock));
    let period = match Period::parse(
        options.since.as_deref(),
        options.until.as_deref(),
        lifecycle.today(),
    ) {
        Ok(period) => period,
        Err(error) => {
            eprintln!("{}", i18n::render(locale, &error.message()));
            return ExitCode::from(2);
        }
    };
    let stats = match lifecycle.stats(period).await {
        Ok(stats) => stats,
        Err(error) => return refuse(locale, &error),
    };
    if let Some(path) = &options.chart {
        let written = chart::render(&stats, locale)
            .and_then(|png| std::fs::write(path, png).map_err(anyhow::Error::from));
        if let Err(error) = written {
            eprintln!(
                "{}",
                i18n::render(
                    locale,
                    &Message::new("pipeline-chart-unwritable")
                        .text("path", path.display().to_string())
                        .text("detail", format!("{error:#}"))
                )
            );
            return ExitCode::FAILURE;
        }
    }
    if options.json {
        outln!("{}", json!(stats));
    } else {
        outln!("{}", crate::service::reports::stats_text(&stats, locale));
    }
    ExitCode::SUCCESS
}
