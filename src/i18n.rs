//! Localization with Fluent. The `.ftl` files of `locales/` are embedded in the binary; every
//! word a person reads is rendered here from a message id and its arguments.
//!
//! Fallback: the reader's locale, then English, then the message id itself (logged as a bug).
//! Bidi-isolation marks are off: the output goes to chat platforms and terminals that show them
//! as stray characters.

use crate::domain::Arg;
pub use crate::domain::Message;
use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

/// The languages the bot speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Brazilian Portuguese.
    #[serde(rename = "pt-BR")]
    PtBr,
}

/// The embedded Fluent sources of each locale, as (file name, text).
pub const SOURCES: &[(Locale, &str, &str)] = &[
    (
        Locale::En,
        "findings.ftl",
        include_str!("../locales/en/findings.ftl"),
    ),
    (
        Locale::En,
        "conversation.ftl",
        include_str!("../locales/en/conversation.ftl"),
    ),
    (Locale::En, "cli.ftl", include_str!("../locales/en/cli.ftl")),
    (
        Locale::En,
        "staff.ftl",
        include_str!("../locales/en/staff.ftl"),
    ),
    (
        Locale::En,
        "telegram.ftl",
        include_str!("../locales/en/telegram.ftl"),
    ),
    (
        Locale::En,
        "chat.ftl",
        include_str!("../locales/en/chat.ftl"),
    ),
    (
        Locale::En,
        "discord.ftl",
        include_str!("../locales/en/discord.ftl"),
    ),
    (
        Locale::En,
        "meta.ftl",
        include_str!("../locales/en/meta.ftl"),
    ),
    (
        Locale::En,
        "signup.ftl",
        include_str!("../locales/en/signup.ftl"),
    ),
    (
        Locale::PtBr,
        "findings.ftl",
        include_str!("../locales/pt-BR/findings.ftl"),
    ),
    (
        Locale::PtBr,
        "conversation.ftl",
        include_str!("../locales/pt-BR/conversation.ftl"),
    ),
    (
        Locale::PtBr,
        "cli.ftl",
        include_str!("../locales/pt-BR/cli.ftl"),
    ),
    (
        Locale::PtBr,
        "staff.ftl",
        include_str!("../locales/pt-BR/staff.ftl"),
    ),
    (
        Locale::PtBr,
        "telegram.ftl",
        include_str!("../locales/pt-BR/telegram.ftl"),
    ),
    (
        Locale::PtBr,
        "chat.ftl",
        include_str!("../locales/pt-BR/chat.ftl"),
    ),
    (
        Locale::PtBr,
        "discord.ftl",
        include_str!("../locales/pt-BR/discord.ftl"),
    ),
    (
        Locale::PtBr,
        "meta.ftl",
        include_str!("../locales/pt-BR/meta.ftl"),
    ),
    (
        Locale::PtBr,
        "signup.ftl",
        include_str!("../locales/pt-BR/signup.ftl"),
    ),
];

impl Locale {
    /// Every locale.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::PtBr];

    /// The BCP 47 tag (`en`, `pt-BR`).
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::PtBr => "pt-BR",
        }
    }

    /// Picks the locale for a tag as platforms send it: `pt`, `pt-br`, `pt_BR`, `pt-PT` and
    /// `pt_BR.UTF-8` give Portuguese; anything else English.
    pub fn negotiate(tag: &str) -> Locale {
        let language = tag
            .trim()
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default();
        if language.eq_ignore_ascii_case("pt") {
            Locale::PtBr
        } else {
            Locale::En
        }
    }

    /// Parses a locale the user typed or configured, strictly (`en` or `pt-BR`, any case or
    /// separator).
    pub fn parse_exact(tag: &str) -> Option<Locale> {
        let squeezed: String = tag
            .trim()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        match squeezed.as_str() {
            "en" => Some(Locale::En),
            "ptbr" | "pt" => Some(Locale::PtBr),
            _ => None,
        }
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

struct Bundles {
    en: FluentBundle<FluentResource>,
    pt: FluentBundle<FluentResource>,
}

fn bundles() -> &'static Bundles {
    static BUNDLES: OnceLock<Bundles> = OnceLock::new();
    BUNDLES.get_or_init(|| Bundles {
        en: bundle(Locale::En),
        pt: bundle(Locale::PtBr),
    })
}

fn bundle(locale: Locale) -> FluentBundle<FluentResource> {
    let langid: LanguageIdentifier = locale.tag().parse().expect("locale tags are valid");
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match locale {
        Locale::En => format_en,
        Locale::PtBr => format_pt,
    }));
    for (source_locale, name, text) in SOURCES {
        if *source_locale != locale {
            continue;
        }
        let resource = FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(_, errors)| {
            panic!("{}/{name} does not parse: {errors:?}", locale.tag())
        });
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("{}/{name} repeats ids: {errors:?}", locale.tag()));
    }
    bundle
}

fn format_en<M>(value: &FluentValue, _: &M) -> Option<String> {
    let (group, decimal) = separators(Locale::En);
    format_number(value, group, decimal)
}

fn format_pt<M>(value: &FluentValue, _: &M) -> Option<String> {
    let (group, decimal) = separators(Locale::PtBr);
    format_number(value, group, decimal)
}

/// Groups thousands with the locale's separator and keeps one decimal place, if any (`6.5`,
/// `1,234`; `6,5`, `1.234` in Portuguese).
fn format_number(value: &FluentValue, group: char, decimal: char) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let n = number.value;
    if !n.is_finite() {
        return None;
    }
    // Rounded to tenths first, so 6.97 reads 7, not 6 and a carried tenth.
    let tenths = (n.abs() * 10.0).round() as u64;
    let digits = (tenths / 10).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let sign = if n < 0.0 && tenths > 0 { "-" } else { "" };
    match tenths % 10 {
        0 => Some(format!("{sign}{grouped}")),
        tenth => Some(format!("{sign}{grouped}{decimal}{tenth}")),
    }
}

/// The separators of a locale's numbers: thousands, decimals.
fn separators(locale: Locale) -> (char, char) {
    match locale {
        Locale::En => (',', '.'),
        Locale::PtBr => ('.', ','),
    }
}

impl Locale {
    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        match self {
            Locale::En => &bundles().en,
            Locale::PtBr => &bundles().pt,
        }
    }
}

/// Renders a message in a locale.
pub fn render(locale: Locale, message: &Message) -> String {
    render_depth(locale, message, 0)
}

/// Renders a message id without arguments.
pub fn text(locale: Locale, id: &str) -> String {
    render(locale, &Message::new(id))
}

fn render_depth(locale: Locale, message: &Message, depth: u8) -> String {
    let mut args = FluentArgs::new();
    for (name, value) in &message.args {
        let value = match value {
            // A value is shown, never obeyed: no control or direction character gets through.
            Arg::Text(text) => FluentValue::from(crate::domain::text::shown(text).into_owned()),
            Arg::Number(n) => FluentValue::from(*n),
            Arg::Message(nested) if depth < 4 => {
                FluentValue::from(render_depth(locale, nested, depth + 1))
            }
            Arg::Message(nested) => FluentValue::from(nested.id.clone()),
            Arg::Date(date) => FluentValue::from(format_date(locale, *date)),
        };
        args.set(name.clone(), value);
    }
    for candidate in [locale, Locale::En] {
        let bundle = candidate.bundle();
        if let Some(pattern) = bundle.get_message(&message.id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(id = %message.id, locale = %candidate, ?errors, "message rendered with errors");
            }
            return text.into_owned();
        }
        tracing::warn!(id = %message.id, locale = %candidate, "message id missing from locale");
    }
    message.id.clone()
}

/// A date as the locale writes it (`Nov 26, 2026`, `26 de nov. de 2026`).
pub fn format_date(locale: Locale, date: NaiveDate) -> String {
    let month = text(locale, &format!("month-{}", date.month()));
    render(
        locale,
        &Message::new("date-long")
            .num("day", i64::from(date.day()))
            .text("month", month)
            .text("year", date.year().to_string()),
    )
}

/// A number as the locale writes it, to one decimal place (`6.5` / `6,5`; `3`, not `3.0`;
/// `1,234.5` / `1.234,5`).
pub fn format_decimal(locale: Locale, value: f64) -> String {
    let (group, decimal) = separators(locale);
    format_number(&FluentValue::from(value), group, decimal).unwrap_or_else(|| value.to_string())
}

/// A size in bytes as people read it: `850 B`, `12.5 KB`, `1.2 MB` (1 KB = 1,024 bytes).
pub fn format_size(locale: Locale, bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{} KB", format_decimal(locale, b / KB))
    } else {
        format!("{} MB", format_decimal(locale, b / KB / KB))
    }
}

/// A message rendered in every locale (to recognise a label typed in any language).
pub fn in_every_locale(id: &str) -> Vec<String> {
    Locale::ALL.iter().map(|l| text(*l, id)).collect()
}

#[cfg(test)]
mod tests;
