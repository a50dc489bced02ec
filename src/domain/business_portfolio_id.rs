//! The Business Manager (business portfolio) ID: digits only once spaces, dots and dashes are
//! stripped; 10–20 digits; anything but 15 or 16 digits is unusual and earns a warning. Kept as
//! a string, since it is an identifier, not a number.

use super::finding::{Finding, Parsed, Rejection, Verdict, check_input_size, conclude};
use super::text::code_point;
use super::wrapping;
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
        let mut findings = Vec::new();
        let from_link;
        let mut text = input.trim();
        if let Some(link) = wrapping::link(text) {
            from_link = id_in_link(&link)?;
            text = &from_link;
            findings
                .push(Finding::new(Verdict::Accept, "business_id.read_from_link").text("id", text));
        } else if let Some((name, value)) = wrapping::label(text, |c| c.is_ascii_digit()) {
            if let Some(code) = other_id(&name) {
                return Err(Rejection::one(Finding::new(Verdict::Reject, code)));
            }
            text = value;
        }
        let digits: String = text
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

/// The id a link carries. Meta Business Suite addresses name the portfolio as `business_id=`
/// (`business.facebook.com/latest/settings/business_info?business_id=…`); they may name other
/// objects too, which are refused by name: `waba_id=` (a WhatsApp Business Account),
/// `asset_id=` (a Page or other asset), `act=` (an ad account). A link to a Facebook or
/// Instagram page, or any other link without `business_id=`, is refused as such.
fn id_in_link(link: &wrapping::Link) -> Result<String, Rejection> {
    let refuse = |code: &str| Err(Rejection::one(Finding::new(Verdict::Reject, code)));
    if let Some(id) = link.param("business_id") {
        return Ok(id.to_owned());
    }
    if link.param("waba_id").is_some() || link.param("whatsapp_business_account_id").is_some() {
        return refuse("business_id.waba_id");
    }
    if link.param("asset_id").is_some() || link.param("page_id").is_some() {
        return refuse("business_id.asset_id");
    }
    if link.param("act").is_some() {
        return refuse("business_id.ad_account_id");
    }
    let business_suite = link.is_on(wrapping::BUSINESS_SUITE);
    if !business_suite && wrapping::PAGE_SITES.iter().any(|site| link.is_on(site)) {
        return refuse("business_id.page_link");
    }
    refuse("business_id.link_without_id")
}

/// The finding for a label that names some other id than the portfolio's ("WABA ID:",
/// "ID da página:", "Ad account ID -"); `label` is folded.
fn other_id(label: &str) -> Option<&'static str> {
    let words = super::text::words(label);
    let has = |w: &str| words.contains(&w);
    if has("waba") || has("whatsapp") {
        Some("business_id.waba_id")
    } else if has("page") || has("pagina") {
        Some("business_id.page_id")
    } else if label.contains("ad account") || has("anuncio") || has("anuncios") {
        Some("business_id.ad_account_id")
    } else {
        None
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
            (
                "https://business.facebook.com/settings/info?business_id=1234567890123456",
                "accept",
                Some("business_id.read_from_link"),
            ),
            (
                "business.facebook.com/latest/home?asset_id=111&business_id=1234567890123456",
                "accept",
                Some("business_id.read_from_link"),
            ),
            (
                "https://business.facebook.com/latest/whatsapp_manager/phone_numbers?waba_id=1234567890123456",
                "reject",
                Some("business_id.waba_id"),
            ),
            (
                "https://business.facebook.com/latest/inbox?asset_id=1234567890123456",
                "reject",
                Some("business_id.asset_id"),
            ),
            (
                "https://adsmanager.facebook.com/adsmanager/manage/campaigns?act=1234567890",
                "reject",
                Some("business_id.ad_account_id"),
            ),
            (
                "https://www.facebook.com/lojaazul",
                "reject",
                Some("business_id.page_link"),
            ),
            (
                "https://lojaazul.com.br/?id=1234567890123456",
                "reject",
                Some("business_id.link_without_id"),
            ),
            (
                "https://business.facebook.com/settings/info?business_id=12345",
                "reject",
                Some("business_id.length"),
            ),
            ("ID: 1234567890123456", "accept", None),
            ("Business ID - 1234 5678 9012 3456", "accept", None),
            ("Identificação: 1234567890123456", "accept", None),
            ("BM 1234567890123456", "accept", None),
            (
                "WABA ID: 1234567890123456",
                "reject",
                Some("business_id.waba_id"),
            ),
            (
                "ID da conta do WhatsApp Business: 1234567890123456",
                "reject",
                Some("business_id.waba_id"),
            ),
            (
                "ID da página: 1234567890123456",
                "reject",
                Some("business_id.page_id"),
            ),
            (
                "Ad account ID - 1234567890123456",
                "reject",
                Some("business_id.ad_account_id"),
            ),
            (
                "ID: 12345678901234a",
                "reject",
                Some("business_id.not_digits"),
            ),
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
