//! The Business Manager (business portfolio) ID: digits only once spaces, dots and dashes are
//! stripped; 10–20 digits; anything but 15 or 16 digits is unusual and earns a warning. Kept as
//! a string, since it is an identifier, not a number.

use super::finding::{Finding, Parsed, Rejection, Verdict, check_input_size, conclude};
use super::text::code_point;
use serde::{Deserialize, Serialize};

/// A business portfolio ID such as `123456789012345`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BusinessPortfolioId(String);

impl BusinessPortfolioId {
    /// Fewest digits.
    pub const MIN: usize = 10;
    /// Most digits.
    pub const MAX: usize = 20;

    /// Parses a portfolio ID.
    pub fn parse(input: &str) -> Result<Parsed<BusinessPortfolioId>, Rejection> {
        check_input_size("business_id", input)?;
        let digits: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
            .collect();
        if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
            let shown = if bad.is_control() || bad.is_whitespace() {
                code_point(bad)
            } else {
                bad.to_string()
            };
            return Err(Rejection::one(
                Finding::new(Verdict::Reject, "business_id.not_digits").text("char", shown),
            ));
        }
        let length = digits.len();
        let mut findings = Vec::new();
        if !(Self::MIN..=Self::MAX).contains(&length) {
            findings.push(
                Finding::new(Verdict::Reject, "business_id.length")
                    .num("length", length as i64)
                    .num("min", Self::MIN as i64)
                    .num("max", Self::MAX as i64),
            );
        } else if !(15..=16).contains(&length) {
            findings.push(
                Finding::new(Verdict::Warn, "business_id.unusual_length")
                    .num("length", length as i64),
            );
        }
        conclude(BusinessPortfolioId(digits), findings)
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for BusinessPortfolioId {
    type Error = Rejection;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        BusinessPortfolioId::parse(&value).map(|p| p.value)
    }
}

impl From<BusinessPortfolioId> for String {
    fn from(value: BusinessPortfolioId) -> Self {
        value.0
    }
}

impl std::fmt::Display for BusinessPortfolioId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portfolio_ids_are_digits_of_the_usual_length() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("123456789012345", "accept", None),
            ("1234 5678 9012 3456", "accept", None),
            ("123.456.789-012345", "accept", None),
            ("1234567890", "warn", Some("business_id.unusual_length")),
            (
                "12345678901234567890",
                "warn",
                Some("business_id.unusual_length"),
            ),
            ("123456789", "reject", Some("business_id.length")),
            (
                "123456789012345678901",
                "reject",
                Some("business_id.length"),
            ),
            ("12345678901234a", "reject", Some("business_id.not_digits")),
            ("١٢٣٤٥٦٧٨٩٠١٢٣٤٥", "reject", Some("business_id.not_digits")),
            ("   ", "reject", Some("input.empty")),
        ];
        for (input, verdict, code) in cases {
            match BusinessPortfolioId::parse(input) {
                Ok(p) => {
                    assert_eq!(p.verdict().as_str(), *verdict, "case {input:?}");
                    assert_eq!(
                        p.findings.first().map(|f| f.code.as_str()),
                        *code,
                        "case {input:?}"
                    );
                    assert!(p.value.as_str().chars().all(|c| c.is_ascii_digit()));
                }
                Err(r) => {
                    assert_eq!(*verdict, "reject", "case {input:?}: {r:?}");
                    assert!(r.has(code.unwrap_or_default()), "case {input:?}: {r:?}");
                }
            }
        }
    }

    #[test]
    fn the_id_is_kept_as_its_digits() {
        let id = BusinessPortfolioId::parse("1234.5678.9012-345")
            .unwrap()
            .value;
        assert_eq!(id.as_str(), "123456789012345");
    }
}
