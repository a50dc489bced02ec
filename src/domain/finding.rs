//! Verdicts and findings: what a rule says about a value, as a stable code plus the arguments
//! its localized message needs.

use serde::{Deserialize, Serialize};

/// How a finding weighs on the value it is about. Ordered from mildest to gravest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Nothing to say: the value is taken as it is.
    Accept,
    /// Taken, but the merchant is told the risk and the ticket notes it.
    Warn,
    /// Taken once the merchant confirms; the ticket is tagged for a human.
    Review,
    /// Refused: the merchant is asked again, with the reason.
    Reject,
}

impl Verdict {
    /// The stable lowercase name used in JSON and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Warn => "warn",
            Verdict::Review => "review",
            Verdict::Reject => "reject",
        }
    }
}

/// One argument of a finding's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Arg {
    /// Text shown as it is (the offending word, a code point).
    Text(String),
    /// A number, formatted for the reader's locale.
    Number(i64),
    /// Another message, rendered in the reader's locale (a category label, say).
    Message(Box<Message>),
    /// A calendar date, written the way the reader's locale writes dates.
    Date(chrono::NaiveDate),
}

/// A message to render: a Fluent id and its arguments. Never a rendered string: the reader's
/// locale decides the words at the last moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The Fluent message id.
    pub id: String,
    /// Arguments, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, Arg)>,
}

impl Message {
    /// A message without arguments.
    pub fn new(id: impl Into<String>) -> Self {
        Message {
            id: id.into(),
            args: Vec::new(),
        }
    }

    /// Adds an argument.
    pub fn arg(mut self, name: &str, value: Arg) -> Self {
        self.args.push((name.to_owned(), value));
        self
    }

    /// Adds a text argument.
    pub fn text(self, name: &str, value: impl Into<String>) -> Self {
        self.arg(name, Arg::Text(value.into()))
    }

    /// Adds a number argument.
    pub fn num(self, name: &str, value: i64) -> Self {
        self.arg(name, Arg::Number(value))
    }

    /// Adds an argument that is another message.
    pub fn nested(self, name: &str, message: Message) -> Self {
        self.arg(name, Arg::Message(Box::new(message)))
    }

    /// Adds a date argument.
    pub fn date(self, name: &str, date: chrono::NaiveDate) -> Self {
        self.arg(name, Arg::Date(date))
    }
}

/// What one rule found: a verdict and a stable dotted code such as `phone.short_code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// How grave it is.
    pub verdict: Verdict,
    /// Stable code; see the README for the list.
    pub code: String,
    /// Arguments of the message, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, Arg)>,
}

impl Finding {
    /// A finding without arguments.
    pub fn new(verdict: Verdict, code: &str) -> Self {
        Finding {
            verdict,
            code: code.to_owned(),
            args: Vec::new(),
        }
    }

    /// Adds a numeric argument.
    pub fn num(mut self, name: &str, value: impl TryInto<i64>) -> Self {
        let value = value.try_into().unwrap_or(i64::MAX);
        self.args.push((name.to_owned(), Arg::Number(value)));
        self
    }

    /// Adds a textual argument.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Self {
        self.args.push((name.to_owned(), Arg::Text(value.into())));
        self
    }

    /// Adds an argument that is itself a message id.
    pub fn message(mut self, name: &str, id: impl Into<String>) -> Self {
        self.args
            .push((name.to_owned(), Arg::Message(Box::new(Message::new(id)))));
        self
    }

    /// The localizable message of this finding.
    pub fn to_message(&self) -> Message {
        Message {
            id: self.message_id(),
            args: self.args.clone(),
        }
    }

    /// The Fluent message id of this finding: `finding-` and the code with dots and
    /// underscores turned into dashes (`phone.short_code` → `finding-phone-short-code`).
    pub fn message_id(&self) -> String {
        format!("finding-{}", self.code.replace(['.', '_'], "-"))
    }
}

/// A value that passed its rules, with whatever the rules noticed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parsed<T> {
    /// The valid value.
    pub value: T,
    /// Warnings and review notes (never a rejection).
    #[serde(default)]
    pub findings: Vec<Finding>,
}

impl<T> Parsed<T> {
    /// A value with no finding.
    pub fn clean(value: T) -> Self {
        Parsed {
            value,
            findings: Vec::new(),
        }
    }

    /// The gravest verdict among the findings (`Accept` when there are none).
    pub fn verdict(&self) -> Verdict {
        verdict_of(&self.findings)
    }

    /// Whether a finding asks for the merchant's confirmation before the value is taken.
    pub fn needs_review(&self) -> bool {
        self.verdict() == Verdict::Review
    }
}

/// Why a value was refused: one or more findings, all of them rejections.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rejected: {}", .findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>().join(", "))]
pub struct Rejection {
    /// Every finding, the rejections first.
    pub findings: Vec<Finding>,
}

impl Rejection {
    /// A rejection for a single reason.
    pub fn one(finding: Finding) -> Self {
        Rejection {
            findings: vec![finding],
        }
    }

    /// Whether any finding has this code.
    pub fn has(&self, code: &str) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}

/// The gravest verdict of a list of findings.
pub fn verdict_of(findings: &[Finding]) -> Verdict {
    findings
        .iter()
        .map(|f| f.verdict)
        .max()
        .unwrap_or(Verdict::Accept)
}

/// Turns findings into a parse result: a rejection (with the rejecting findings only) if any
/// finding rejects, else the value.
pub fn conclude<T>(value: T, mut findings: Vec<Finding>) -> Result<Parsed<T>, Rejection> {
    if findings.iter().any(|f| f.verdict == Verdict::Reject) {
        findings.retain(|f| f.verdict == Verdict::Reject);
        Err(Rejection { findings })
    } else {
        Ok(Parsed { value, findings })
    }
}

/// The rejection given for a character no free-text field accepts (see
/// [`super::text::hidden_char`]): `input.control_char` or `input.invisible_char`, naming it as a
/// code point (`U+202E`).
pub(crate) fn check_hidden(text: &str, line_breaks: bool) -> Result<(), Rejection> {
    use super::text::{Hidden, code_point, hidden_char};
    match hidden_char(text, line_breaks) {
        None => Ok(()),
        Some((c, why)) => {
            let code = match why {
                Hidden::Control => "input.control_char",
                Hidden::Invisible => "input.invisible_char",
            };
            Err(Rejection::one(
                Finding::new(Verdict::Reject, code).text("char", code_point(c)),
            ))
        }
    }
}

/// The rejection of a text that looks within `max` characters but counts more as Meta counts
/// them (each emoji part, each accent typed apart, is one).
pub(crate) fn counted_length(counted: usize, max: usize) -> Finding {
    Finding::new(Verdict::Reject, "input.counted_length")
        .num("counted", counted as i64)
        .num("max", max as i64)
}

/// The rejection given for an empty answer, or one longer than any field accepts.
pub(crate) fn check_input_size(field: &str, input: &str) -> Result<(), Rejection> {
    if input.trim().is_empty() {
        return Err(Rejection::one(Finding::new(Verdict::Reject, "input.empty")));
    }
    let chars = input.chars().take(super::MAX_INPUT_CHARS + 1).count();
    if chars > super::MAX_INPUT_CHARS {
        return Err(Rejection::one(
            Finding::new(Verdict::Reject, "input.too_long")
                .num("max", super::MAX_INPUT_CHARS as i64)
                .text("field", field),
        ));
    }
    Ok(())
}
