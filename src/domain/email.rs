//! The merchant's contact e-mail: a valid address of at most 128 characters.

use super::finding::{
    Finding, Parsed, Rejection, Verdict, check_hidden, check_input_size, conclude,
};
use serde::{Deserialize, Serialize};

/// A contact e-mail address; the domain part is kept in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Most characters.
    pub const MAX: usize = 128;

    /// Parses an e-mail address.
    pub fn parse(input: &str) -> Result<Parsed<Email>, Rejection> {
        check_input_size("email", input)?;
        check_hidden(input, false)?;
        let trimmed = address_in(input.trim());
        let length = trimmed.chars().count();
        if length > Self::MAX {
            return Err(Rejection::one(
                Finding::new(Verdict::Reject, "email.too_long")
                    .num("length", length as i64)
                    .num("max", Self::MAX as i64),
            ));
        }
        let options = email_address::Options::default()
            .without_display_text()
            .without_domain_literal();
        let Ok(address) = email_address::EmailAddress::parse_with_options(trimmed, options) else {
            return Err(Rejection::one(Finding::new(
                Verdict::Reject,
                "email.invalid",
            )));
        };
        let domain = address.domain().to_lowercase();
        // A bare host ("loja@localhost") cannot receive the partner's mail.
        if !domain.contains('.') || domain.ends_with('.') || domain.starts_with('.') {
            return Err(Rejection::one(Finding::new(
                Verdict::Reject,
                "email.invalid",
            )));
        }
        conclude(
            Email(format!("{}@{}", address.local_part(), domain)),
            Vec::new(),
        )
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The address inside what was pasted: a `mailto:` link (`mailto:ana@loja.com?subject=Oi`), a
/// display form (`Ana Souza <ana@loja.com>`), a label (`E-mail: ana@loja.com`). When exactly one
/// word holds an `@`, that word without its brackets and closing punctuation is the address;
/// otherwise the text is left as it is, for the address rules to judge.
fn address_in(text: &str) -> &str {
    if let Some(rest) = text
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
        .map(|_| &text[7..])
    {
        return rest.split('?').next().unwrap_or_default().trim();
    }
    let mut words = text
        .split(|c: char| c.is_whitespace() || c == ':')
        .filter(|w| w.contains('@'));
    match (words.next(), words.next()) {
        (Some(word), None) if word.len() < text.len() => word
            .trim_matches(|c| {
                matches!(
                    c,
                    '<' | '>' | '(' | ')' | '[' | ']' | '"' | '\'' | ',' | ';'
                )
            })
            .trim_end_matches('.'),
        _ => text,
    }
}

impl TryFrom<String> for Email {
    type Error = Rejection;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value).map(|p| p.value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_the_domain_lowercased() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("ana@Loja.COM.br", Ok("ana@loja.com.br")),
            (" contato@minhaloja.com ", Ok("contato@minhaloja.com")),
            ("ana", Err("email.invalid")),
            ("ana@", Err("email.invalid")),
            ("@loja.com", Err("email.invalid")),
            ("ana@localhost", Err("email.invalid")),
            ("Ana <ana@Loja.com>", Ok("ana@loja.com")),
            ("E-mail: ana@loja.com.", Ok("ana@loja.com")),
            ("e-mail:ana@loja.com", Ok("ana@loja.com")),
            (
                "mailto:contato@loja.com?subject=WhatsApp",
                Ok("contato@loja.com"),
            ),
            ("MAILTO:contato@loja.com", Ok("contato@loja.com")),
            ("ana@loja.com ou bia@loja.com", Err("email.invalid")),
            ("mailto:", Err("email.invalid")),
            ("ana\u{9B}@loja.com", Err("input.control_char")),
            ("ana\u{202E}@loja.com", Err("input.invisible_char")),
            ("ana@loja.com\u{200B}", Err("input.invisible_char")),
            ("ana @loja.com", Err("email.invalid")),
            ("", Err("input.empty")),
        ];
        for (input, expected) in cases {
            match (Email::parse(input), expected) {
                (Ok(p), Ok(want)) => assert_eq!(p.value.as_str(), *want, "case {input:?}"),
                (Err(r), Err(code)) => assert!(r.has(code), "case {input:?}: {r:?}"),
                (got, want) => panic!("case {input:?}: got {got:?}, want {want:?}"),
            }
        }
        let long = format!("{}@loja.com", "a".repeat(120));
        assert!(Email::parse(&long).unwrap_err().has("email.too_long"));
    }
}
