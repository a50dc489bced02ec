//! The optional business description: at most 512 characters (Unicode scalar values, each emoji
//! part counting as one); above 256 it is long enough that WhatsApp shows only its beginning,
//! which earns a warning. Lengths shown to the merchant count what they see (grapheme
//! clusters). Line breaks are kept; controls and invisible characters are refused,
//! as in every free-text field.

use super::finding::{
    Finding, Parsed, Rejection, Verdict, check_hidden, check_input_size, conclude, counted_length,
};
use super::text::visible_length;
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
        check_hidden(&value, true)?;
        let length = visible_length(&value);
        let counted = value.chars().count();
        let mut findings = Vec::new();
        if length > Self::MAX {
            findings.push(
                Finding::new(Verdict::Reject, "description.too_long")
                    .num("length", length as i64)
                    .num("max", Self::MAX as i64),
            );
        } else if counted > Self::MAX {
            findings.push(counted_length(counted, Self::MAX));
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
                .has("input.control_char")
        );
        assert!(Description::parse("").unwrap_err().has("input.empty"));
    }

    #[test]
    fn hidden_characters_are_refused_line_breaks_and_emoji_kept() {
        for (text, code) in [
            ("Moda \u{202E}aiarp", "input.invisible_char"),
            ("Moda \u{2066}praia\u{2069}", "input.invisible_char"),
            ("Moda\u{200F} praia", "input.invisible_char"),
            ("Moda\u{2028}praia", "input.control_char"),
            ("Moda\u{E0041}praia", "input.invisible_char"),
            ("Moda\u{9B}praia", "input.control_char"),
        ] {
            assert!(Description::parse(text).unwrap_err().has(code), "{text:?}");
        }
        let kept = "Moda praia 👩\u{200D}👩\u{200D}👧\nDesde 1998 ❤\u{FE0F}";
        assert_eq!(Description::parse(kept).unwrap().value.as_str(), kept);
    }

    #[test]
    fn lengths_are_shown_as_seen_and_limits_checked_as_counted() {
        // 110 family emoji: 110 seen, 550 counted.
        let family = "👩\u{200D}👩\u{200D}👧".repeat(110);
        let refused = Description::parse(&family).unwrap_err();
        assert_eq!(refused.findings[0].code, "input.counted_length");
        assert_eq!(
            refused.findings[0].args,
            vec![
                ("counted".to_owned(), crate::domain::Arg::Number(550)),
                ("max".to_owned(), crate::domain::Arg::Number(512))
            ]
        );
        let warned =
            Description::parse(&format!("{}{}", "a".repeat(250), "🇧🇷".repeat(10))).unwrap();
        assert_eq!(warned.findings[0].code, "description.long");
        assert_eq!(
            warned.findings[0].args[0],
            ("length".to_owned(), crate::domain::Arg::Number(260))
        );
    }

    #[test]
    fn the_description_is_stored_as_written() {
        let stored: String = Description::parse("Moda praia").unwrap().value.into();
        assert_eq!(stored, "Moda praia");
    }
}
