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
use super::phone_metadata::PhoneMetadata;
use super::wrapping;
use phonenumber::metadata::{Database, Descriptor, Metadata};
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
        let mut readings = Vec::new();
        let unwrapped;
        let mut trimmed = input.trim();
        if let Some(link) = wrapping::link(trimmed) {
            // A click-to-chat link always holds the full international number, without `+`.
            unwrapped = format!("+{}", number_in_link(&link)?);
            trimmed = &unwrapped;
            readings.push("phone.read_from_link");
        } else if let Some((_, value)) =
            wrapping::label(trimmed, |c| c.is_ascii_digit() || matches!(c, '+' | '('))
        {
            trimmed = value;
        }
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
        let (metadata, parsed) = PhoneMetadata::parse(region.0, &text);
        let database = metadata.get();
        let number = match parsed {
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
        let number = match outdated_mobile(database, &number) {
            Some((repaired, code)) => {
                readings.push(code);
                repaired
            }
            None => number,
        };
        let national = number.national().to_string();
        if !number.is_valid_with(database) {
            if national.len() <= SHORT_NUMBER_MAX_DIGITS {
                return Err(short_code(&national));
            }
            return Err(Rejection::one(Finding::new(
                Verdict::Reject,
                "phone.invalid",
            )));
        }
        let e164 = e164(&number);
        let readings = readings.into_iter().map(|code| {
            Finding::new(Verdict::Accept, code).text("number", readable(database, &number))
        });
        let finding = match number_type(database, &number) {
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
        conclude(BusinessPhone(e164), readings.chain(finding).collect())
    }

    /// Loads what reading and showing numbers need: the metadata of Brazil's numbers (read by
    /// calling code, see `phone_metadata`), and the whole database the crate's formatter loads
    /// to show a number in international format (about 100 ms), so that no merchant's answer
    /// waits for them. `serve` calls it off the async threads at start.
    pub fn load_metadata() {
        PhoneMetadata::preload();
        let _ = phonenumber::metadata::DATABASE.by_id("BR");
    }

    /// The number in E.164 form.
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The number as Meta's Graph API takes it when a number is added to a WhatsApp Business
    /// account (`POST /{waba-id}/phone_numbers`: `cc` and `phone_number`), and how its
    /// verification code can reach it; `None` if the stored E.164 no longer parses.
    pub fn registration(e164: &str) -> Option<RegistrationNumber> {
        let (metadata, parsed) = PhoneMetadata::parse(None, e164);
        let number = parsed.ok()?;
        let method = match number_type(metadata.get(), &number) {
            Type::Mobile | Type::FixedLineOrMobile => CodeMethod::Sms,
            _ => CodeMethod::Voice,
        };
        Some(RegistrationNumber {
            country_code: number.code().value().to_string(),
            national: number.national().to_string(),
            method,
        })
    }

    /// A stored E.164 number for people to read (`+55 11 98765-4321`); as stored if it no
    /// longer parses.
    pub fn international_of(e164: &str) -> String {
        let (metadata, parsed) = PhoneMetadata::parse(None, e164);
        parsed
            .map(|n| readable(metadata.get(), &n))
            .unwrap_or_else(|_| e164.to_owned())
    }

    /// The number for people to read (`+55 11 98765-4321`).
    pub fn international(&self) -> String {
        BusinessPhone::international_of(&self.0)
    }
}

/// How Meta sends a number's 6-digit verification code (`request_code`'s `code_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CodeMethod {
    /// A text message: numbers that can receive one (mobile, fixed line or mobile).
    Sms,
    /// A voice call that reads the code: every other accepted type (fixed line, toll-free,
    /// VoIP, UAN), which cannot receive text messages.
    Voice,
}

impl CodeMethod {
    /// `SMS` or `VOICE`, as the Graph API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeMethod::Sms => "SMS",
            CodeMethod::Voice => "VOICE",
        }
    }

    /// A method by its Graph API name.
    pub fn parse(text: &str) -> Option<CodeMethod> {
        match text {
            "SMS" => Some(CodeMethod::Sms),
            "VOICE" => Some(CodeMethod::Voice),
            _ => None,
        }
    }
}

/// A stored number split the way the Graph API adds it to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationNumber {
    /// The country calling code, digits only (`55`).
    pub country_code: String,
    /// The national significant number, digits only (`11987654321`).
    pub national: String,
    /// How the verification code can reach it.
    pub method: CodeMethod,
}

/// A mobile number written the way it was before its country renumbered mobiles, still shown
/// that way by WhatsApp for older accounts, read as it is dialled today; `None` when `number` is
/// valid or is not such a number. Only an invalid number is repaired, and only into a valid one:
/// - Mexico dropped the `1` after `+52` from mobile numbers in August 2019 (IFT, Plan Técnico
///   Fundamental de Numeración): `+52 1 55 1234 5678` → `+52 55 1234 5678`.
/// - Brazil added the ninth digit `9` to every mobile by 2016 (Anatel, Resolução 553/2010):
///   `+55 21 8765-4321` → `+55 21 98765-4321`. Ten-digit numbers whose first digit after the
///   area code is 2–5 are landlines and stay as they are.
fn outdated_mobile(
    database: &Database,
    number: &PhoneNumber,
) -> Option<(PhoneNumber, &'static str)> {
    if number.is_valid_with(database) {
        return None;
    }
    let national = number.national().to_string();
    let (text, code) = match number.code().value() {
        52 if national.len() == 11 && national.starts_with('1') => (
            format!("+52{}", &national[1..]),
            "phone.old_mexican_mobile_prefix",
        ),
        55 if national.len() == 10 && matches!(national.as_bytes()[2], b'6'..=b'9') => (
            format!("+55{}9{}", &national[..2], &national[2..]),
            "phone.brazilian_ninth_digit",
        ),
        _ => return None,
    };
    // The same calling code: `database` holds it.
    let repaired = phonenumber::parse_with(database, None, &text).ok()?;
    repaired.is_valid_with(database).then_some((repaired, code))
}

/// The type of a valid number. The crate types a number by its national digits without their
/// leading zeros (phonenumber 0.3.10), so the landlines of Italy, San Marino and the Vatican,
/// and the numbers of Benin, Côte d'Ivoire, Congo, Gabon, Burkina Faso and others whose national
/// numbers begin with `0`, come out `Unknown` although they are valid. For those the type is
/// read here from the same metadata, with the zeros kept, in the order libphonenumber reads it
/// (`PhoneNumberUtil::getNumberTypeHelper`).
fn number_type(database: &Database, number: &PhoneNumber) -> Type {
    let typed = number.number_type(database);
    if typed != Type::Unknown || number.national().zeros() == 0 {
        return typed;
    }
    let national = number.national().to_string();
    metadata_for(database, number.code().value(), &national)
        .map_or(Type::Unknown, |metadata| type_in(metadata, &national))
}

/// The region's metadata for a national number with its leading zeros: the only region of the
/// country code, or the first whose leading digits (or, lacking those, whose patterns) match.
fn metadata_for<'a>(database: &'a Database, code: u16, national: &str) -> Option<&'a Metadata> {
    let regions = database.region(&code)?;
    if let [only] = regions.as_slice() {
        return if *only == "001" {
            database.by_code(&code)?.into_iter().next()
        } else {
            database.by_id(*only)
        };
    }
    regions
        .into_iter()
        .filter_map(|region| database.by_id(region))
        .find(|metadata| match metadata.leading_digits() {
            Some(leading) => leading.find(national).is_some_and(|m| m.start() == 0),
            None => type_in(metadata, national) != Type::Unknown,
        })
}

/// The type of `national` (with its leading zeros) by the region's number patterns.
fn type_in(metadata: &Metadata, national: &str) -> Type {
    let descriptors = metadata.descriptors();
    let matches =
        |descriptor: Option<&Descriptor>| descriptor.is_some_and(|d| d.is_match(national));
    if !descriptors.general().is_match(national) {
        return Type::Unknown;
    }
    let special = [
        (descriptors.premium_rate(), Type::PremiumRate),
        (descriptors.toll_free(), Type::TollFree),
        (descriptors.shared_cost(), Type::SharedCost),
        (descriptors.voip(), Type::Voip),
        (descriptors.personal_number(), Type::PersonalNumber),
        (descriptors.pager(), Type::Pager),
        (descriptors.uan(), Type::Uan),
        (descriptors.voicemail(), Type::Voicemail),
    ];
    if let Some((_, kind)) = special.into_iter().find(|(d, _)| matches(*d)) {
        return kind;
    }
    if matches(descriptors.fixed_line()) {
        let same_patterns = match (descriptors.fixed_line(), descriptors.mobile()) {
            (Some(fixed), Some(mobile)) => {
                fixed.national_number().as_str() == mobile.national_number().as_str()
            }
            _ => false,
        };
        return if same_patterns || matches(descriptors.mobile()) {
            Type::FixedLineOrMobile
        } else {
            Type::FixedLine
        };
    }
    if matches(descriptors.mobile()) {
        Type::Mobile
    } else {
        Type::Unknown
    }
}

fn readable(database: &Database, number: &PhoneNumber) -> String {
    number
        .format_with(database)
        .mode(Mode::International)
        .to_string()
}

/// The number a WhatsApp link carries: `wa.me/<digits>` and `wa.me/c/<digits>` (a catalogue),
/// `api.whatsapp.com/send?phone=<digits>` and `whatsapp://send?phone=<digits>` (Meta's
/// click-to-chat links, <https://faq.whatsapp.com/5913398998672934>). A `wa.me/message/…` short
/// link, a link without a number and a link to anywhere else are refused, each saying so.
fn number_in_link(link: &wrapping::Link) -> Result<String, Rejection> {
    let refuse = |code: &str| Err(Rejection::one(Finding::new(Verdict::Reject, code)));
    let number = if link.host == wrapping::WA_ME {
        match link.segments.as_slice() {
            [first, ..] if first == "message" => return refuse("phone.short_link"),
            [number] => Some(number.as_str()),
            [catalogue, number] if catalogue == "c" => Some(number.as_str()),
            _ => None,
        }
    } else if link.is_on(wrapping::WHATSAPP_COM) || link.scheme == "whatsapp" {
        link.param("phone")
    } else {
        return refuse("phone.link_elsewhere");
    };
    let number = number.unwrap_or_default().trim();
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let clean = number
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-'));
    if digits.is_empty() || !clean {
        return refuse("phone.link_without_number");
    }
    Ok(digits)
}

/// The number in E.164 (`+5511987654321`): `+`, the calling code and the national significant
/// number with its leading zeros, as the crate's formatter writes `Mode::E164`. Written here
/// because that formatter loads the crate's whole database (about 90 ms) even when it is given
/// another (`unwrap_or(&DATABASE)`, phonenumber 0.3.10); reading and checking a number needs
/// only its calling code's metadata.
fn e164(number: &PhoneNumber) -> String {
    format!("+{}{}", number.code().value(), number.national())
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
        // Links and labels around the number.
        (
            "https://wa.me/573001234567",
            "",
            Ok("+573001234567"),
            Some("phone.read_from_link"),
        ),
        (
            "wa.me/5511987654321?text=Ol%C3%A1",
            "BR",
            Ok("+5511987654321"),
            Some("phone.read_from_link"),
        ),
        (
            "https://api.whatsapp.com/send/?phone=5511987654321&text=oi",
            "BR",
            Ok("+5511987654321"),
            Some("phone.read_from_link"),
        ),
        (
            "whatsapp://send?phone=+44%207400%20123456",
            "",
            Ok("+447400123456"),
            Some("phone.read_from_link"),
        ),
        (
            "https://wa.me/c/5511987654321",
            "",
            Ok("+5511987654321"),
            Some("phone.read_from_link"),
        ),
        (
            "https://wa.me/message/ABCDEF1GHIJK1",
            "",
            Err("phone.short_link"),
            None,
        ),
        (
            "https://wa.me/",
            "BR",
            Err("phone.link_without_number"),
            None,
        ),
        (
            "https://api.whatsapp.com/send?text=oi",
            "BR",
            Err("phone.link_without_number"),
            None,
        ),
        (
            "https://instagram.com/lojaazul",
            "BR",
            Err("phone.link_elsewhere"),
            None,
        ),
        ("wa.me/190", "BR", Err("phone.short_code"), None),
        ("Tel: +55 11 98765-4321", "", Ok("+5511987654321"), None),
        (
            "WhatsApp - (11) 98765-4321",
            "BR",
            Ok("+5511987654321"),
            None,
        ),
        (
            "Celular (WhatsApp): 11 98765-4321",
            "BR",
            Ok("+5511987654321"),
            None,
        ),
        ("tel:+5511987654321", "", Ok("+5511987654321"), None),
        // Forms WhatsApp shows: Mexico's old mobile 1, Argentina's mobile 9 and local 15.
        (
            "+52 1 55 1234 5678",
            "",
            Ok("+525512345678"),
            Some("phone.old_mexican_mobile_prefix"),
        ),
        (
            "00 52 1 (33) 1234-5678",
            "",
            Ok("+523312345678"),
            Some("phone.old_mexican_mobile_prefix"),
        ),
        ("+52 55 1234 5678", "", Ok("+525512345678"), None),
        (
            "https://wa.me/5215512345678",
            "",
            Ok("+525512345678"),
            Some("phone.read_from_link"),
        ),
        ("+54 9 11 1234-5678", "", Ok("+5491112345678"), None),
        ("011 15-1234-5678", "AR", Ok("+5491112345678"), None),
        ("+54 11 15 1234 5678", "", Ok("+5491112345678"), None),
        (
            "+55 21 8765-4321",
            "",
            Ok("+5521987654321"),
            Some("phone.brazilian_ninth_digit"),
        ),
        (
            "(21) 8765-4321",
            "BR",
            Ok("+5521987654321"),
            Some("phone.brazilian_ninth_digit"),
        ),
        (
            "(21) 2765-4321",
            "BR",
            Ok("+552127654321"),
            Some("phone.fixed_line"),
        ),
        // National numbers that keep their leading zero get their real type.
        (
            "+39 06 1234 5678",
            "",
            Ok("+390612345678"),
            Some("phone.fixed_line"),
        ),
        (
            "+39 02 1234 5678",
            "",
            Ok("+390212345678"),
            Some("phone.fixed_line"),
        ),
        ("+39 347 123 4567", "", Ok("+393471234567"), None),
        (
            "+39 06 698 12345",
            "",
            Ok("+390669812345"),
            Some("phone.fixed_line"),
        ),
        (
            "+378 0549 886377",
            "",
            Ok("+3780549886377"),
            Some("phone.fixed_line"),
        ),
        (
            "+229 01 20 21 12 34",
            "",
            Ok("+2290120211234"),
            Some("phone.fixed_line"),
        ),
        ("+229 01 95 12 34 56", "", Ok("+2290195123456"), None),
        (
            "+241 01 44 12 34",
            "",
            Ok("+24101441234"),
            Some("phone.fixed_line"),
        ),
        ("+225 01 23 45 67 89", "", Ok("+2250123456789"), None),
        ("+242 06 123 4567", "", Ok("+242061234567"), None),
        (
            "+225 21 23 45 67 89",
            "",
            Ok("+2252123456789"),
            Some("phone.fixed_line"),
        ),
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

    #[test]
    fn e164_is_written_as_the_crates_formatter_writes_it() {
        let mut checked = 0;
        for meta in phonenumber::metadata::DATABASE.iter() {
            let examples = [meta.descriptors().fixed_line(), meta.descriptors().mobile()];
            for example in examples
                .into_iter()
                .flatten()
                .filter_map(Descriptor::example)
            {
                let text = format!("+{} {example}", meta.country_code());
                if let Ok(number) = phonenumber::parse(None, &text) {
                    assert_eq!(
                        e164(&number),
                        number.format().mode(Mode::E164).to_string(),
                        "{text}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 400, "only {checked} numbers");
    }

    #[test]
    fn a_number_is_split_for_meta_and_its_code_comes_the_way_it_can_be_received() {
        let mobile = BusinessPhone::registration("+5511987654321").unwrap();
        assert_eq!(mobile.country_code, "55");
        assert_eq!(mobile.national, "11987654321");
        assert_eq!(mobile.method, CodeMethod::Sms);
        // A São Paulo landline cannot take a text message: the code is read by a call.
        let landline = BusinessPhone::registration("+551131234567").unwrap();
        assert_eq!(landline.method, CodeMethod::Voice);
        assert_eq!(landline.national, "1131234567");
        // An Italian landline keeps its leading zero.
        let rome = BusinessPhone::registration("+390612345678").unwrap();
        assert_eq!(
            (rome.country_code.as_str(), rome.national.as_str()),
            ("39", "0612345678")
        );
        assert_eq!(rome.method, CodeMethod::Voice);
        assert_eq!(BusinessPhone::registration("not a number"), None);
    }
}
