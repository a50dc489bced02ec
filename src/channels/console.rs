//! The console channel: the whole conversation on standard input and output.
//!
//! ```text
//! $ waba-onboard chat --lang en
//! [Step 1 of 12]
//! Does your store already have a WhatsApp Business account, with us or with another partner?
//!   1) Yes
//!   2) No
//! > 2
//! ```
//!
//! One message per line; a choice is answered by its number, label or key; at the logo step a
//! line is a file path. Piped input works like a terminal; the end of input keeps the draft.
//! With `--json`, each reply is one JSON object per line, for scripts.

use super::files;
use crate::conversation::{Command, Inbound, RenderedReply, StepId};
use crate::domain::text::fold;
use crate::i18n::{self, Locale, Message};
use crate::service::UserKey;
use crate::service::merchant::{Bot, Merchant};
use std::io::{IsTerminal, Write};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, BufReader};

/// Longest line read; the rest of a longer line is dropped (the rules refuse it anyway).
const MAX_LINE_BYTES: usize = 1024 * 1024;

/// How replies are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// For people.
    Human,
    /// One JSON object per reply.
    Json,
}

/// Runs a conversation until the end of standard input.
pub async fn run(
    bot: &Bot,
    user_id: &str,
    locale: Option<Locale>,
    output: Output,
) -> anyhow::Result<()> {
    let stdin = tokio::io::stdin();
    let mut reader = BufReader::new(stdin);
    let interactive = std::io::stdin().is_terminal() && output == Output::Human;
    let mut out = std::io::stdout().lock();
    converse(
        bot,
        user_id,
        locale,
        output,
        interactive,
        &mut reader,
        &mut out,
    )
    .await
}

/// The conversation loop, on any input and output.
pub async fn converse<R: AsyncBufRead + Unpin, W: Write>(
    bot: &Bot,
    user_id: &str,
    locale: Option<Locale>,
    output: Output,
    interactive: bool,
    input: &mut R,
    out: &mut W,
) -> anyhow::Result<()> {
    let merchant = Merchant {
        key: UserKey::new("console", user_id),
        locale_hint: locale,
    };
    let mut state = Screen {
        locale: locale.unwrap_or_default(),
        step: StepId::ExistingAccount,
        choices: Vec::new(),
    };
    show_notifications(bot, &merchant, &state, output, out).await?;
    send(bot, &merchant, Inbound::Start, &mut state, output, out).await?;
    loop {
        if interactive {
            write!(out, "> ")?;
            out.flush()?;
        }
        let Some(line) = read_line(input, MAX_LINE_BYTES).await? else {
            break;
        };
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        let inbound = state.inbound(line);
        send(bot, &merchant, inbound, &mut state, output, out).await?;
    }
    // Said only of answers that are kept (not after /cancel or /erase).
    if output == Output::Human && state.step != StepId::Done && bot.has_draft(&merchant).await? {
        writeln!(out, "{}", i18n::text(state.locale, "console-saved"))?;
    }
    Ok(())
}

/// What the screen shows now, to read the next line in context.
struct Screen {
    locale: Locale,
    step: StepId,
    choices: Vec<(String, String)>,
}

impl Screen {
    fn inbound(&self, line: &str) -> Inbound {
        let trimmed = line.trim();
        let at_logo = self.step == StepId::Logo && self.choices.is_empty();
        // At the logo step "/home/ana/logo.png" is a path, not an unknown command.
        let is_path = at_logo && matches!(Command::parse(trimmed), Some(Command::Unknown(_)));
        if trimmed.starts_with('/') && !is_path {
            return Inbound::Text(trimmed.to_owned());
        }
        if !self.choices.is_empty() {
            if let Ok(n) = trimmed.parse::<usize>()
                && let Some((key, _)) = n.checked_sub(1).and_then(|i| self.choices.get(i))
            {
                return Inbound::Choice(key.clone());
            }
            let wanted = fold(trimmed);
            if let Some((key, _)) = self
                .choices
                .iter()
                .find(|(key, label)| fold(key) == wanted || fold(label) == wanted)
            {
                return Inbound::Choice(key.clone());
            }
            return Inbound::Text(line.to_owned());
        }
        if at_logo && !trimmed.is_empty() {
            return match files::read_logo(&files::clean_path(trimmed)) {
                Ok((name, bytes)) => Inbound::File { name, bytes },
                Err(problem) => Inbound::Unreadable(problem),
            };
        }
        Inbound::Text(line.to_owned())
    }
}

/// Prints what happened to the merchant's requests since their last chat.
async fn show_notifications<W: Write>(
    bot: &Bot,
    merchant: &Merchant,
    state: &Screen,
    output: Output,
    out: &mut W,
) -> anyhow::Result<()> {
    // Each notice is shown in the language the merchant had when it was left; older notices
    // in the one of their conversation, else the session's.
    let conversation = match bot.store().draft(&merchant.key).await {
        Ok(Some(draft)) => Some(draft.locale),
        _ => None,
    };
    let messages = match bot
        .store()
        .take_console_inbox(&merchant.key.user_id, chrono::Utc::now())
        .await
    {
        Ok(messages) => messages,
        Err(error) => {
            tracing::error!(
                error = format!("{error:#}"),
                "cannot read the console inbox"
            );
            return Ok(());
        }
    };
    for (message, left_in) in messages {
        let locale = left_in.or(conversation).unwrap_or(state.locale);
        let reply = RenderedReply {
            step: "notification".to_owned(),
            text: i18n::render(locale, &message),
            choices: Vec::new(),
            progress: None,
        };
        print_reply(&reply, locale, output, out)?;
    }
    Ok(())
}

async fn send<W: Write>(
    bot: &Bot,
    merchant: &Merchant,
    inbound: Inbound,
    state: &mut Screen,
    output: Output,
    out: &mut W,
) -> anyhow::Result<()> {
    // Time-ordered ids keep the index of processed events compact.
    let event_id = format!("console:{}:{}", merchant.key.user_id, uuid::Uuid::now_v7());
    let outcome = match bot.handle(merchant, &event_id, inbound).await {
        Ok(outcome) => outcome,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "console message failed");
            let text = i18n::text(state.locale, "error-internal");
            match output {
                Output::Human => writeln!(out, "{text}")?,
                Output::Json => writeln!(
                    out,
                    "{}",
                    serde_json::json!({"step": "error", "text": text, "choices": [], "progress": null})
                )?,
            }
            return Ok(());
        }
    };
    state.locale = outcome.locale;
    state.step = outcome.step;
    for reply in &outcome.replies {
        let mut rendered = reply.render(outcome.locale);
        // In a terminal, a file is sent by typing its path.
        if matches!(reply.message.id.as_str(), "ask-logo" | "logo-expected-file") {
            rendered.text.push('\n');
            rendered
                .text
                .push_str(&i18n::text(outcome.locale, "console-logo-hint"));
        }
        print_reply(&rendered, outcome.locale, output, out)?;
        state.choices = rendered
            .choices
            .iter()
            .map(|c| (c.key.clone(), c.label.clone()))
            .collect();
    }
    Ok(())
}

fn print_reply<W: Write>(
    reply: &RenderedReply,
    locale: Locale,
    output: Output,
    out: &mut W,
) -> anyhow::Result<()> {
    match output {
        Output::Json => {
            writeln!(out, "{}", serde_json::to_string(reply)?)?;
        }
        Output::Human => {
            if let Some(progress) = reply.progress {
                let header = i18n::render(
                    locale,
                    &Message::new("progress")
                        .num("step", progress.step as i64)
                        .num("of", progress.of as i64),
                );
                writeln!(out, "[{header}]")?;
            }
            writeln!(out, "{}", reply.text)?;
            for (i, choice) in reply.choices.iter().enumerate() {
                writeln!(out, "  {}) {}", i + 1, choice.label)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Reads one line of at most `max` bytes (the rest of a longer line is skipped); `None` at the
/// end of input.
async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    max: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let mut read_any = false;
    loop {
        let buffer = reader.fill_buf().await?;
        if buffer.is_empty() {
            return Ok(read_any.then_some(line));
        }
        read_any = true;
        let newline = buffer.iter().position(|b| *b == b'\n');
        let chunk = &buffer[..newline.unwrap_or(buffer.len())];
        let room = max.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = newline.map_or(buffer.len(), |i| i + 1);
        reader.consume(used);
        if newline.is_some() {
            return Ok(Some(line));
        }
    }
}
