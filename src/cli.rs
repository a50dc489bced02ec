//! The command line (DESIGN §5).

use crate::app::Enabled;
use crate::channels::{console, files};
use crate::clock::SystemClock;
use crate::config::Config;
use crate::conversation::{Note, Reply, StepId};
use crate::domain::{
    BusinessPhone, BusinessPortfolioId, Category, Description, DisplayName, Email, Finding, Logo,
    Message, Parsed, PhoneRegion, Rejection, StoreAccount, Verdict,
};
use crate::i18n::{self, Locale};
use crate::service::merchant::Bot;
use crate::storage::Store;
use crate::{serve, telemetry};
use clap::{Parser, Subcommand};
use std::process::ExitCode;
use std::sync::Arc;

/// Prints a line on standard output; a closed pipe (`… | head`) ends the output quietly
/// instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Prints on standard output, like [`outln`], without a newline.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

mod staff;

/// Onboards e-commerce stores onto the WhatsApp Business Platform.
#[derive(Debug, Parser)]
#[command(name = "waba-onboard", version, about)]
pub struct Cli {
    /// Database: sqlite://FILE or postgres://… (default sqlite://waba-onboard.db)
    #[arg(long, global = true, env = "WABA_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Configuration file (TOML); every key can also come from the environment.
    #[arg(long, global = true, env = "WABA_CONFIG")]
    pub config: Option<std::path::PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Talk to the bot in this terminal (the console channel).
    Chat {
        /// Language: en or pt-BR (default: from the environment's LANG).
        #[arg(long)]
        lang: Option<String>,
        /// Who you are on the console (default: the login name).
        #[arg(long)]
        user: Option<String>,
        /// Print each reply as one JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Run the bot: channels from the configuration, HTTP endpoints, workers.
    Serve,
    /// Configuration.
    Config {
        /// The operation.
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// The desk where staff work requests.
    Desk {
        /// The operation.
        #[command(subcommand)]
        action: DeskAction,
    },
    /// Staff operations on requests (the builtin desk).
    Requests {
        /// The operation.
        #[command(subcommand)]
        action: RequestsAction,
    },
    /// Meta's side of requests: changes kept for staff, registration PINs.
    Meta {
        /// The operation.
        #[command(subcommand)]
        action: MetaAction,
    },
    /// The pipeline over a period: requests per status now, business days spent in each
    /// status (median, 90th percentile), late stays, weekly arrivals by channel, time to active,
    /// the oldest open requests.
    Stats {
        /// First day (YYYY-MM-DD, São Paulo); default: the 30 days ending on --until. A year at
        /// most.
        #[arg(long)]
        since: Option<String>,
        /// Last day (YYYY-MM-DD); default: today.
        #[arg(long)]
        until: Option<String>,
        /// Also write the chart (the funnel of the period and the weekly time to active) to
        /// this PNG file.
        #[arg(long, value_name = "FILE.png")]
        chart: Option<std::path::PathBuf>,
        /// Language of the text and the chart: en or pt-BR.
        #[arg(long)]
        lang: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check one value against the onboarding rules.
    Validate {
        /// phone, display-name, business-id, logo, email, store-account, category, description
        field: String,
        /// The value (for logo, a file path).
        value: String,
        /// Region for numbers without a country code (BR, US, …).
        #[arg(long)]
        region: Option<String>,
        /// Language of the output: en or pt-BR.
        #[arg(long)]
        lang: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Configuration operations.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Validates the configuration and prints it, secrets redacted.
    Check,
}

/// Desk operations.
#[derive(Debug, Subcommand)]
pub enum DeskAction {
    /// Checks the configured desk (Zendesk: the credentials, the custom fields, the status
    /// tags, the webhook); exit code 1 when something needs fixing.
    Check,
}

/// Operations on Meta's side of requests.
#[derive(Debug, Subcommand)]
pub enum MetaAction {
    /// Changes from Meta's webhook that matched no request, or several, and alerts on known
    /// accounts, newest first.
    Events {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// The two-step verification PIN a request's number was registered with, for the store's
    /// admin who asks for it (a secret: shown here, never logged).
    Pin {
        /// The request's reference (WA-000042).
        reference: String,
    },
}

/// The formats of `requests export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values, RFC 4180 (CRLF line ends), with a header row.
    Csv,
    /// A JSON array of objects keyed like the CSV's header.
    Json,
}

/// Staff operations.
#[derive(Debug, Subcommand)]
pub enum RequestsAction {
    /// Open requests (or those of one status), grouped by status, oldest first, with their age
    /// and deadline, a page at a time.
    List {
        /// Only this status (submitted, in_review, …; a final one too).
        #[arg(long)]
        status: Option<String>,
        /// Only requests that came through this channel (telegram, discord, slack, console).
        #[arg(long)]
        channel: Option<String>,
        /// Only requests past their expected date.
        #[arg(long)]
        overdue: bool,
        /// Only requests open at least this many business days.
        #[arg(long, value_name = "DAYS")]
        older_than: Option<u16>,
        /// Requests per page.
        #[arg(long, default_value_t = crate::service::listing::CLI_PAGE as u16, value_parser = clap::value_parser!(u16).range(1..))]
        limit: u16,
        /// The page, from 1.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        page: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Requests as rows for a spreadsheet (CSV per RFC 4180, or JSON): reference, status,
    /// store account, channel, dates, business days in status, overdue, findings' codes.
    Export {
        /// csv or json.
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Only this status (submitted, in_review, …).
        #[arg(long)]
        status: Option<String>,
        /// Only requests submitted on or after this day (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// Only requests submitted on or before this day (YYYY-MM-DD).
        #[arg(long)]
        until: Option<String>,
        /// Add the store's contact (e-mail, phone, business portfolio ID, chat id): personal
        /// data, for whoever may hold it.
        #[arg(long)]
        include_contact: bool,
        /// Write to this file instead of the standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// One request: every field, its findings, its timeline.
    Show {
        /// Reference (WA-000042) or store account.
        reference: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Moves a request to another status.
    Advance {
        /// Reference.
        reference: String,
        /// The new status.
        #[arg(long)]
        to: String,
        /// Why (required to reject).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Asks the merchant to fix fields (→ needs_info).
    Ask {
        /// Reference.
        reference: String,
        /// A field (step id) to fix; repeat or separate with commas.
        #[arg(long = "field", required = true, value_delimiter = ',')]
        fields: Vec<String>,
        /// What is wrong, shown to the merchant.
        #[arg(long)]
        reason: String,
    },
    /// Erases the personal data of a request at its merchant's request (LGPD, art. 18): the
    /// contact, the answers, the logo, the notes and the chat's traces; an open request is
    /// cancelled first. The reference, statuses and dates stay for the statistics. Cannot be
    /// undone.
    Erase {
        /// Reference.
        reference: String,
        /// Erase indeed (without it, nothing is done).
        #[arg(long)]
        confirm: bool,
    },
    /// Adds a note to a request.
    Note {
        /// Reference.
        reference: String,
        /// The note.
        #[arg(long)]
        text: String,
        /// Show it to the merchant too.
        #[arg(long)]
        visible: bool,
    },
}

/// Exit code for a usage error.
const USAGE: u8 = 2;

/// The locale of the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`).
fn environment_locale() -> Locale {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .map(|value| Locale::negotiate(&value))
        .unwrap_or_default()
}

fn parse_lang(lang: Option<&str>) -> Result<Option<Locale>, ExitCode> {
    match lang {
        None => Ok(None),
        Some(tag) => match Locale::parse_exact(tag) {
            Some(locale) => Ok(Some(locale)),
            None => {
                eprintln!(
                    "{}",
                    i18n::render(
                        environment_locale(),
                        &Message::new("cli-unknown-language").text("lang", tag)
                    )
                );
                Err(ExitCode::from(USAGE))
            }
        },
    }
}

/// Loads the configuration: the file of `--config`, the environment, then `--database-url`.
fn load_config(cli: &Cli) -> Result<Config, ExitCode> {
    let invalid = |key: String, problem: Message| {
        eprintln!(
            "{}",
            i18n::render(
                environment_locale(),
                &Message::new("config-invalid")
                    .text("key", key)
                    .nested("problem", problem)
            )
        );
        ExitCode::from(USAGE)
    };
    let text = match &cli.config {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some((path.display().to_string(), text)),
            Err(error) => {
                return Err(invalid(
                    path.display().to_string(),
                    Message::new("config-unreadable").text("detail", error.to_string()),
                ));
            }
        },
        None => None,
    };
    let loaded = Config::load(
        text.as_ref()
            .map(|(path, text)| (path.as_str(), text.as_str())),
        |name| std::env::var(name).ok(),
    );
    match loaded {
        Ok(mut config) => {
            if let Some(url) = &cli.database_url {
                config.database_url = url.clone();
            }
            Ok(config)
        }
        Err(error) => Err(invalid(error.key, error.problem)),
    }
}

/// Runs the command line; the exit code follows DESIGN §5.
pub async fn run(cli: Cli) -> ExitCode {
    let config = match &cli.command {
        // `validate` needs no configuration at all.
        Command::Validate { .. } => Config::default(),
        _ => match load_config(&cli) {
            Ok(config) => config,
            Err(code) => return code,
        },
    };
    let serving = matches!(cli.command, Command::Serve);
    telemetry::init_logs(&config.log_format, if serving { "info" } else { "warn" });
    let database_url = config.database_url.clone();
    match cli.command {
        Command::Serve => match serve::run(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "serve failed");
                let message = match error.downcast_ref::<crate::serve::StartError>() {
                    Some(start) => start.0.clone(),
                    None => Message::new("serve-failed").text("problem", format!("{error:#}")),
                };
                eprintln!("{}", i18n::render(environment_locale(), &message));
                ExitCode::FAILURE
            }
        },
        Command::Config {
            action: ConfigAction::Check,
        } => {
            out!("{}", config.redacted_toml());
            ExitCode::SUCCESS
        }
        Command::Desk {
            action: DeskAction::Check,
        } => {
            let locale = environment_locale();
            let Some(settings) = (config.desk == "zendesk")
                .then(|| config.zendesk.settings(&config.staff_locale))
                .flatten()
            else {
                outln!("{}", i18n::text(locale, "desk-check-builtin"));
                return ExitCode::SUCCESS;
            };
            let store = match open_store(&database_url, locale).await {
                Ok(store) => store,
                Err(code) => return code,
            };
            let clock: Arc<dyn crate::clock::Clock> = Arc::new(SystemClock);
            let desk = crate::tickets::ZendeskDesk::new(
                settings,
                store.clone(),
                crate::service::lifecycle::Lifecycle::new(store.clone(), clock),
            );
            let lines = desk.check().await;
            store.close().await;
            for line in &lines {
                let mark = if line.ok { "✓" } else { "✗" };
                outln!("{mark} {}", i18n::render(locale, &line.message));
            }
            if lines.iter().all(|l| l.ok) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Validate {
            field,
            value,
            region,
            lang,
            json,
        } => {
            let locale = match parse_lang(lang.as_deref()) {
                Ok(locale) => locale.unwrap_or_else(environment_locale),
                Err(code) => return code,
            };
            validate(&field, &value, region.as_deref(), locale, json)
        }
        Command::Requests { action } => {
            let locale = environment_locale();
            match open_store(&database_url, locale).await {
                Ok(store) => {
                    let channels = Enabled::from_config(&config, &store, Arc::new(SystemClock));
                    let code = staff::run(&store, &channels, action, locale).await;
                    store.close().await;
                    code
                }
                Err(code) => code,
            }
        }
        Command::Meta { action } => {
            let locale = environment_locale();
            match open_store(&database_url, locale).await {
                Ok(store) => {
                    let code = meta_command(&store, action, locale).await;
                    store.close().await;
                    code
                }
                Err(code) => code,
            }
        }
        Command::Stats {
            since,
            until,
            chart,
            lang,
            json,
        } => {
            let locale = match parse_lang(lang.as_deref()) {
                Ok(locale) => locale.unwrap_or_else(environment_locale),
                Err(code) => return code,
            };
            let options = staff::StatsOptions {
                since,
                until,
                chart,
                json,
            };
            match open_store(&database_url, locale).await {
                Ok(store) => {
                    let channels = Enabled::from_config(&config, &store, Arc::new(SystemClock));
                    let code = staff::stats(&store, &channels, options, locale).await;
                    store.close().await;
                    code
                }
                Err(code) => code,
            }
        }
        Command::Chat { lang, user, json } => {
            let locale = match parse_lang(lang.as_deref()) {
                Ok(locale) => locale.or_else(|| Some(environment_locale())),
                Err(code) => return code,
            };
            let user = user
                .or_else(|| std::env::var("USER").ok())
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| "local".to_owned());
            // The id is shown to staff: one that could hide or rewrite text is refused.
            if let Some((c, _)) = crate::domain::text::hidden_char(&user, false) {
                eprintln!(
                    "{}",
                    i18n::render(
                        locale.unwrap_or_default(),
                        &Message::new("cli-bad-user")
                            .text("char", crate::domain::text::code_point(c))
                    )
                );
                return ExitCode::from(USAGE);
            }
            let store = match open_store(&database_url, locale.unwrap_or_default()).await {
                Ok(store) => store,
                Err(code) => return code,
            };
            let bot = Bot::new(store.clone(), Arc::new(SystemClock)).with_signup(
                config
                    .signup_settings
                    .as_ref()
                    .map(crate::service::signup::SignupLinks::new),
            );
            let output = if json {
                console::Output::Json
            } else {
                console::Output::Human
            };
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let channels = Enabled::from_config(&config, &store, Arc::new(SystemClock));
            let worker = tokio::spawn(
                staff::worker(&store, &channels)
                    .with_job_lease(std::time::Duration::from_secs(config.outbox.job_lease_secs))
                    .run(std::time::Duration::from_secs(1), stopped),
            );
            let result = console::run(&bot, &user, locale, output).await;
            let _ = stop.send(true);
            let _ = worker.await;
            store.close().await;
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    tracing::error!(error = format!("{error:#}"), "chat failed");
                    eprintln!(
                        "{}",
                        i18n::text(locale.unwrap_or_default(), "error-internal")
                    );
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// `meta events` and `meta pin`.
async fn meta_command(store: &Store, action: MetaAction, locale: Locale) -> ExitCode {
    let failed = |error: anyhow::Error| {
        tracing::error!(error = format!("{error:#}"), "meta command failed");
        eprintln!("{}", i18n::text(locale, "error-internal"));
        ExitCode::FAILURE
    };
    match action {
        MetaAction::Events { limit } => {
            let kept = match store.kept_meta_events(limit.clamp(1, 10_000)).await {
                Ok(kept) => kept,
                Err(error) => return failed(error),
            };
            if kept.is_empty() {
                outln!("{}", i18n::text(locale, "meta-events-none"));
            }
            for event in kept {
                let reference = match &event.request_id {
                    Some(id) => match store.request_by_id(id).await {
                        Ok(request) => request.map(|r| r.reference),
                        Err(error) => return failed(error),
                    },
                    None => None,
                };
                let dash = || "-".to_owned();
                let at = crate::domain::deadline::local_date(event.received_at);
                let message = Message::new("meta-events-line")
                    .num("id", event.id)
                    .text(
                        "at",
                        format!(
                            "{at} {}",
                            event
                                .received_at
                                .with_timezone(&chrono_tz::America::Sao_Paulo)
                                .format("%H:%M")
                        ),
                    )
                    .text("field", event.field)
                    .text("event", event.event)
                    .text("outcome", event.outcome)
                    .text("account", event.waba_id.unwrap_or_else(dash))
                    .text("business", event.business_id.unwrap_or_else(dash))
                    .text("reference", reference.unwrap_or_else(dash));
                outln!("{}", i18n::render(locale, &message));
            }
            ExitCode::SUCCESS
        }
        MetaAction::Pin { reference } => {
            let request = match store.request(reference.trim()).await {
                Ok(Some(request)) => request,
                Ok(None) => {
                    eprintln!(
                        "{}",
                        i18n::render(
                            locale,
                            &Message::new("lifecycle-not-found").text("reference", reference)
                        )
                    );
                    return ExitCode::from(2);
                }
                Err(error) => return failed(error),
            };
            match store.registration(&request.id).await {
                Ok(Some(registration)) if registration.pin.is_some() => {
                    outln!("{}", registration.pin.unwrap_or_default());
                    ExitCode::SUCCESS
                }
                Ok(_) => {
                    eprintln!(
                        "{}",
                        i18n::render(
                            locale,
                            &Message::new("meta-pin-none").text("reference", request.reference)
                        )
                    );
                    ExitCode::FAILURE
                }
                Err(error) => failed(error),
            }
        }
    }
}

async fn open_store(url: &str, locale: Locale) -> Result<Store, ExitCode> {
    match Store::connect(url).await {
        Ok(store) => Ok(store),
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "cannot open the database");
            eprintln!(
                "{}",
                i18n::render(
                    locale,
                    &Message::new("cli-database-unavailable")
                        .text("url", crate::config::redact_url(url))
                )
            );
            Err(ExitCode::FAILURE)
        }
    }
}

/// The outcome of one validation, whatever the field.
struct Checked {
    normalized: Option<String>,
    findings: Vec<Finding>,
}

fn checked<T>(result: Result<Parsed<T>, Rejection>, show: impl Fn(&T) -> String) -> Checked {
    match result {
        Ok(parsed) => Checked {
            normalized: Some(show(&parsed.value)),
            findings: parsed.findings,
        },
        Err(rejection) => Checked {
            normalized: None,
            findings: rejection.findings,
        },
    }
}

fn validate(
    field: &str,
    value: &str,
    region: Option<&str>,
    locale: Locale,
    json: bool,
) -> ExitCode {
    let usage = |message: Message| {
        eprintln!("{}", i18n::render(locale, &message));
        ExitCode::from(USAGE)
    };
    let region = match region {
        None => match locale {
            Locale::PtBr => PhoneRegion::BRAZIL,
            Locale::En => PhoneRegion::NONE,
        },
        Some(code) => match PhoneRegion::from_code(code) {
            Some(region) => region,
            None => return usage(Message::new("cli-unknown-region").text("region", code)),
        },
    };
    let outcome = match field {
        "phone" => checked(BusinessPhone::parse(value, region), |v| v.e164().to_owned()),
        "display-name" => checked(DisplayName::parse(value), |v| v.as_str().to_owned()),
        "business-id" => checked(BusinessPortfolioId::parse(value), |v| v.as_str().to_owned()),
        "email" => checked(Email::parse(value), |v| v.as_str().to_owned()),
        "store-account" => checked(StoreAccount::parse(value), |v| v.as_str().to_owned()),
        "description" => checked(Description::parse(value), |v| v.as_str().to_owned()),
        "category" => checked(
            Category::parse(value, |c| i18n::in_every_locale(c.message_id())),
            |v| v.code().to_owned(),
        ),
        "logo" => match files::read_logo(&files::clean_path(value)) {
            Ok((_, bytes)) => checked(Logo::parse(&bytes), |v| {
                format!(
                    "{} {}x{} {}",
                    v.format.as_str(),
                    v.width,
                    v.height,
                    v.byte_size
                )
            }),
            Err(problem) => Checked {
                normalized: None,
                findings: vec![problem.finding()],
            },
        },
        other => return usage(Message::new("cli-unknown-field").text("field", other)),
    };
    let verdict = match &outcome.normalized {
        None => Verdict::Reject,
        Some(_) => crate::domain::finding::verdict_of(&outcome.findings),
    };
    if json {
        let problems: Vec<_> = outcome
            .findings
            .iter()
            .map(|f| serde_json::json!({"code": f.code, "message": i18n::render(locale, &f.to_message())}))
            .collect();
        let document = serde_json::json!({
            "field": field,
            "verdict": verdict.as_str(),
            "normalized": outcome.normalized,
            "problems": problems,
        });
        outln!("{document}");
    } else {
        let mut heading = Message::new(format!("validate-{}", verdict.as_str()));
        if let Some(normalized) = &outcome.normalized {
            heading = heading.text("value", normalized.clone());
        }
        let reply = Reply {
            step: StepId::Summary,
            message: heading,
            notes: outcome
                .findings
                .iter()
                .map(|f| Note {
                    field: None,
                    message: match f.verdict {
                        Verdict::Reject | Verdict::Accept => f.to_message(),
                        Verdict::Warn | Verdict::Review => {
                            Message::new(format!("verdict-{}", f.verdict.as_str()))
                                .nested("text", f.to_message())
                        }
                    },
                })
                .collect(),
            choices: Vec::new(),
            progress: None,
        };
        outln!("{}", reply.render(locale).text);
    }
    if verdict == Verdict::Reject {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
