//! The WhatsApp business number, parsed with libphonenumber's metadata (the `phonenumber`
//! crate) and held in E.164.
//!
//! Number-type policy (DESIGN §2): mobile and fixed-line-or-mobile are accepted; fixed line,
//! toll-free, VoIP and UAN are accepted with a warning (the registration code then comes by voice
//! call, which IVRs and call forwarding swallow); shared cost, personal and premium rate numbers
//! go to review; pagers, voicemail, short numbers and anything invalid or of unknown type are
//! rejected.
//!
//! Short numbers (emergency, service and SMS short codes: 190, 192, 100, 911, 112, 28282) have no
//! metadata in the crate, so they are recognised by shape before parsing: an answer of 2 to 6
//! digits with no country code, or a number whose national part has at most 6 digits and which
//! the metadata does not know as a valid full number, is a short number. No region numbers a
//! WhatsApp-capable line with so few digits, except a handful of tiny territories whose full
//! numbers the metadata does validate (those are accepted by type, as any other).

use super::finding::{Finding, Parsed, Rejection, Verdict, check_input_size, conclude};
use phonenumber::{Mode, ParseError, PhoneNumber, Type, country};
use serde::{Deserialize, Serialize};

/// Longest national part that is still a short number.
const SHORT_NUMBER_MAX_DIGITS: usize = 6;

/// The region a number without a country code is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneRegion(Option<country::Id>);

impl PhoneRegion {
    /// No default region: the number must carry its country code.
    pub const NONE: PhoneRegion = PhoneRegion(None);
    /// Brazil, the default for Portuguese.
    pub const BRAZIL: PhoneRegion = PhoneRegion(Some(country::Id::BR));

    /// A region by its ISO 3166 code (`BR`, `us`), if the metadata knows it.
    pub fn from_code(code: &str) -> Option<PhoneRegion> {
        code.trim()
            .to_ascii_uppercase()
            .parse::<country::Id>()
            .ok()
            .map(|id| PhoneRegion(Some(id)))
    }
}

/// A business phone number in E.164 form (`+5511987654321`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BusinessPhone(String);

impl BusinessPhone {
    /// Parses a number, reading it in `region` when it has no country code.
    pub fn parse(input: &str, region: PhoneRegion) -> Result<Parsed<BusinessPhone>, Rejection> {
        check_input_size("phone", input)?;
        let trimmed = input.trim();
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let international = trimmed.starts_with('+') || trimmed.starts_with("00");

        if !international
            && (2..=SHORT_NUMBER_MAX_DIGITS).contains(&digits.len())
            && trimmed
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '#' | '*'))
        {
            return Err(short_code(&digits));
        }
        let text = match (region.0, trimmed.strip_prefix("00")) {
            // Without a region the international prefix cannot be known; 00 is the common one.
            (None, Some(rest)) => format!("+{rest}"),
            _ => trimmed.to_owned(),
        };
        if region.0.is_none() && !text.starts_with('+') && !text.starts_with("tel:+") {
            return Err(Rejection::one(Finding::new(
                Verdict::Reject,
                "phone.missing_country_code",
            )));
        }
        if super::text::fold(trimmed).contains("ramal") {
            return Err(Rejection::one(Finding::new(
                Verdict::Reject,
                "phone.extension",
            )));
        }
        let number = match phonenumber::parse(region.0, &text) {
            Ok(number) => number,
            Err(ParseError::TooShortNsn | ParseError::TooShortAfterIdd) => {
                return Err(short_code(&digits));
            }
            Err(ParseError::TooLong) => {
                return Err(Rejection::one(Finding::new(
                    Verdict::Reject,
                    "phone.too_long",
                )));
            }
            Err(ParseError::InvalidCountryCode) => {
                return Err(Rejection::one(Finding::new(
                    Verdict::Reject,
                    "phone.invalid_country_code",
                )));
            }
            Err(_) => {
                return Err(Rejection::one(Finding::new(
                    Verdict::Reject,
                    "phone.invalid",
                )));
            }
        };
        if number.extension().is_some() {
            return Err(Rejection::one(Finding::new(
                Verdict::Reject,
                "phone.extension",
            )));
        }
        let national = number.national().to_string();
        if !number.is_valid() {
            if national.len() <= SHORT_NUMBER_MAX_DIGITS {
                return Err(short_code(&national));
            }
            return Err(Rejection::one(Finding::new(
                Verdict::Reject,
                "phone.invalid",
            )));
        }
        let e164 = e164(&number);
        let finding = match number.number_type(&phonenumber::metadata::DATABASE) {
            Type::Mobile | Type::FixedLineOrMobile => None,
            Type::FixedLine => Some(Finding::new(Verdict::Warn, "phone.fixed_line")),
            Type::TollFree => Some(Finding::new(Verdict::Warn, "phone.toll_free")),
            Type::Voip => Some(Finding::new(Verdict::Warn, "phone.voip")),
            Type::Uan => Some(Finding::new(Verdict::Warn, "phone.uan")),
            Type::SharedCost => Some(Finding::new(Verdict::Review, "phone.shared_cost")),
            Type::PersonalNumber => Some(Finding::new(Verdict::Review, "phone.personal_number")),
            Type::PremiumRate => Some(Finding::new(Verdict::Review, "phone.premium_rate")),
            Type::Pager => Some(Finding::new(Verdict::Reject, "phone.pager")),
            Type::Voicemail => Some(Finding::new(Verdict::Reject, "phone.voicemail")),
            Type::ShortCode | Type::Emergency => return Err(short_code(&national)),
            Type::StandardRate | Type::Carrier | Type::NoInternational | Type::Unknown => {
                Some(Finding::new(Verdict::Reject, "phone.unknown_type"))
            }
        };
        conclude(BusinessPhone(e164), finding.into_iter().collect())
    }

    /// The number in E.164 form.
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The number for people to read (`+55 11 98765-4321`).
    pub fn international(&self) -> String {
        phonenumber::parse(None, &self.0)
            .map(|n| n.format().mode(Mode::International).to_string())
            .unwrap_or_else(|_| self.0.clone())
    }
}

fn e164(number: &PhoneNumber) -> String {
    number.format().mode(Mode::E164).to_string()
}

fn short_code(digits: &str) -> Rejection {
    Rejection::one(Finding::new(Verdict::Reject, "phone.short_code").text("number", digits))
}

impl TryFrom<String> for BusinessPhone {
    type Error = Rejection;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        BusinessPhone::parse(&value, PhoneRegion::NONE).map(|p| p.value)
    }
}

impl From<BusinessPhone> for String {
    fn from(value: BusinessPhone) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, region, expected E.164 or rejection code, finding code if accepted)
    type Case = (
        &'static str,
        &'static str,
        Result<&'static str, &'static str>,
        Option<&'static str>,
    );
    const CASES: &[Case] = &[
        ("(11) 98765-4321", "BR", Ok("+5511987654321"), None),
        ("011 98765 4321", "BR", Ok("+5511987654321"), None),
        ("11987654321", "BR", Ok("+5511987654321"), None),
        ("+55 11 98765-4321", "BR", Ok("+5511987654321"), None),
        ("+55 11 98765-4321", "", Ok("+5511987654321"), None),
        ("0055 11 98765 4321", "", Ok("+5511987654321"), None),
        ("+1 650 253 0000", "", Ok("+16502530000"), None),
        (
            "(11) 3456-7890",
            "BR",
            Ok("+551134567890"),
            Some("phone.fixed_line"),
        ),
        (
            "0800 123 4567",
            "BR",
            Ok("+558001234567"),
            Some("phone.toll_free"),
        ),
        (
            "+1 800 555 0199",
            "",
            Ok("+18005550199"),
            Some("phone.toll_free"),
        ),
        (
            "+44 56 1234 5678",
            "",
            Ok("+445612345678"),
            Some("phone.voip"),
        ),
        (
            "+44 70 1234 5678",
            "",
            Ok("+447012345678"),
            Some("phone.personal_number"),
        ),
        (
            "+44 909 876 5432",
            "",
            Ok("+449098765432"),
            Some("phone.premium_rate"),
        ),
        ("+44 76 2345 6789", "", Err("phone.pager"), None),
        ("98765-4321", "", Err("phone.missing_country_code"), None),
        ("190", "BR", Err("phone.short_code"), None),
        ("192", "BR", Err("phone.short_code"), None),
        ("100", "BR", Err("phone.short_code"), None),
        ("911", "", Err("phone.short_code"), None),
        ("112", "", Err("phone.short_code"), None),
        ("28282", "BR", Err("phone.short_code"), None),
        ("+55 190", "", Err("phone.short_code"), None),
        ("+1 911", "", Err("phone.short_code"), None),
        ("(11) 8765-432", "BR", Err("phone.invalid"), None),
        (
            "+999 1234 5678",
            "",
            Err("phone.invalid_country_code"),
            None,
        ),
        (
            "+55 11 98765-4321 ramal 12",
            "",
            Err("phone.extension"),
            None,
        ),
        ("+1 650 253 0000 ext. 12", "", Err("phone.extension"), None),
        ("not a number", "BR", Err("phone.invalid"), None),
        ("", "BR", Err("input.empty"), None),
    ];

    #[test]
    fn numbers_follow_the_number_type_policy() {
        for (input, region, expected, finding) in CASES {
            let region = PhoneRegion::from_code(region).unwrap_or(PhoneRegion::NONE);
            match (BusinessPhone::parse(input, region), expected) {
                (Ok(p), Ok(want)) => {
                    assert_eq!(p.value.e164(), *want, "case {input:?}");
                    assert_eq!(
                        p.findings.first().map(|f| f.code.as_str()),
                        *finding,
                        "case {input:?}"
                    );
                }
                (Err(r), Err(code)) => assert!(r.has(code), "case {input:?}: {r:?}"),
                (got, want) => panic!("case {input:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn a_short_code_is_rejected_with_its_reason_and_digits() {
        let rejection = BusinessPhone::parse("28282", PhoneRegion::BRAZIL).unwrap_err();
        assert_eq!(rejection.findings[0].code, "phone.short_code");
        assert_eq!(
            rejection.findings[0].args,
            vec![(
                "number".to_owned(),
                crate::domain::Arg::Text("28282".into())
            )]
        );
    }

    #[test]
    fn the_number_is_shown_in_international_format() {
        let phone = BusinessPhone::parse("11987654321", PhoneRegion::BRAZIL)
            .unwrap()
            .value;
        assert_eq!(phone.international(), "+55 11 98765-4321");
        assert_eq!(phone.e164(), "+5511987654321");
    }
}
