//! The store's account name on the commerce platform: lowercase letters and digits, 2–63
//! characters. Upper case is folded, since account names are not case sensitive.

use super::finding::{Finding, Parsed, Rejection, Verdict, check_input_size, conclude};
use super::text::code_point;
use serde::{Deserialize, Serialize};

/// A store account name such as `minhaloja`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StoreAccount(String);

impl StoreAccount {
    /// Fewest characters.
    pub const MIN: usize = 2;
    /// Most characters.
    pub const MAX: usize = 63;

    /// Parses an account name.
    pub fn parse(input: &str) -> Result<Parsed<StoreAccount>, Rejection> {
        check_input_size("store_account", input)?;
        let value = input.trim().to_lowercase();
        let mut findings = Vec::new();
        if value.contains(char::is_whitespace) {
            findings.push(Finding::new(Verdict::Reject, "store_account.space"));
        } else if let Some(bad) = value
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        {
            let shown = if bad.is_whitespace() || bad.is_control() {
                code_point(bad)
            } else {
                bad.to_string()
            };
            findings
                .push(Finding::new(Verdict::Reject, "store_account.charset").text("char", shown));
        }
        let length = value.chars().count();
        if !(Self::MIN..=Self::MAX).contains(&length) {
            findings.push(
                Finding::new(Verdict::Reject, "store_account.length")
                    .num("length", length as i64)
                    .num("min", Self::MIN as i64)
                    .num("max", Self::MAX as i64),
            );
        }
        conclude(StoreAccount(value), findings)
    }

    /// The account name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for StoreAccount {
    type Error = Rejection;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        StoreAccount::parse(&value).map(|p| p.value)
    }
}

impl From<StoreAccount> for String {
    fn from(value: StoreAccount) -> Self {
        value.0
    }
}

impl std::fmt::Display for StoreAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_follow_the_platform_rules() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("minhaloja", Ok("minhaloja")),
            ("  Loja42 ", Ok("loja42")),
            ("ab", Ok("ab")),
            ("a", Err("store_account.length")),
            ("minha-loja", Err("store_account.charset")),
            ("minha loja", Err("store_account.space")),
            ("lojão", Err("store_account.charset")),
            ("", Err("input.empty")),
        ];
        for (input, expected) in cases {
            match (StoreAccount::parse(input), expected) {
                (Ok(p), Ok(want)) => assert_eq!(p.value.as_str(), *want, "case {input:?}"),
                (Err(r), Err(code)) => assert!(r.has(code), "case {input:?}: {r:?}"),
                (got, want) => panic!("case {input:?}: got {got:?}, want {want:?}"),
            }
        }
        let long = "a".repeat(64);
        assert!(
            StoreAccount::parse(&long)
                .unwrap_err()
                .has("store_account.length")
        );
    }
}
