//! The optional business description: at most 512 characters; above 256 it is long enough that
//! WhatsApp shows only its beginning, which earns a warning.

use super::finding::{Finding, Parsed, Rejection, Verdict, check_input_size, conclude};
use super::text::code_point;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// A business description.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Description(String);

impl Description {
    /// Most characters.
    pub const MAX: usize = 512;
    /// Above this, a warning.
    pub const COMFORTABLE: usize = 256;

    /// Parses a description.
    pub fn parse(input: &str) -> Result<Parsed<Description>, Rejection> {
        check_input_size("description", input)?;
        let value: String = input.trim().nfc().collect();
        if let Some(bad) = value
            .chars()
            .find(|c| c.is_control() && *c != '\n' && *c != '\t')
        {
            return Err(Rejection::one(
                Finding::new(Verdict::Reject, "description.control_char")
                    .text("char", code_point(bad)),
            ));
        }
        let length = value.chars().count();
        let mut findings = Vec::new();
        if length > Self::MAX {
            findings.push(
                Finding::new(Verdict::Reject, "description.too_long")
                    .num("length", length as i64)
                    .num("max", Self::MAX as i64),
            );
        } else if length > Self::COMFORTABLE {
            findings.push(
                Finding::new(Verdict::Warn, "description.long")
                    .num("length", length as i64)
                    .num("comfortable", Self::COMFORTABLE as i64),
            );
        }
        conclude(Description(value), findings)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Description {
    type Error = Rejection;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Description::parse(&value).map(|p| p.value)
    }
}

impl From<Description> for String {
    fn from(value: Description) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_bounded() {
        assert_eq!(
            Description::parse(" Moda praia ").unwrap().value.as_str(),
            "Moda praia"
        );
        let warn = Description::parse(&"a".repeat(300)).unwrap();
        assert_eq!(warn.findings[0].code, "description.long");
        assert!(Description::parse(&"a".repeat(512)).is_ok());
        assert!(
            Description::parse(&"ã".repeat(513))
                .unwrap_err()
                .has("description.too_long")
        );
        assert!(
            Description::parse("a\u{7}b")
                .unwrap_err()
                .has("description.control_char")
        );
        assert!(Description::parse("").unwrap_err().has("input.empty"));
    }

    #[test]
    fn the_description_is_stored_as_written() {
        let stored: String = Description::parse("Moda praia").unwrap().value.into();
        assert_eq!(stored, "Moda praia");
    }
}
