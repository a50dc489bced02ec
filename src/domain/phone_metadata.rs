//! libphonenumber's metadata (the `phonenumber` crate's), loaded by country calling code.
//!
//! The crate's own database loads all 240 regions at once and checks every pattern of them,
//! about 90 ms of a short process such as `validate phone`. The build script splits the same
//! metadata by calling code; a number is read with a database of only the codes it can be in:
//! its region's (for a number written without its code) and the code after its `+`. Calling
//! codes are prefix-free (ITU-T E.164), so a database that holds the number's code finds the
//! code the whole one would; when the code is not there (an international prefix such as
//! `00 1 …` read in a region, digits the quick look cannot read), the parser says
//! `InvalidCountryCode` and the number is read again with the whole database. Either way every
//! answer is the crate's own.

use phonenumber::metadata::{DATABASE, Database, loader};
use phonenumber::{ParseError, PhoneNumber, country};
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock, Mutex};

/// `(regions, codes)`, as the build script wrote them (see `build.rs`).
type Split = (Vec<(&'static str, u16)>, Vec<(u16, &'static [u8])>);

static SPLIT: LazyLock<Split> = LazyLock::new(|| {
    postcard::from_bytes(include_bytes!(concat!(
        env!("OUT_DIR"),
        "/phone-metadata.bin"
    )))
    .unwrap_or_default()
});

/// Databases already loaded, by their calling codes.
static LOADED: LazyLock<Mutex<BTreeMap<Vec<u16>, Arc<Database>>>> = LazyLock::new(Mutex::default);

/// Most databases kept at once: they are small, and the codes a process meets are few.
const MAX_LOADED: usize = 64;

/// A region's calling code (`BR` → 55).
fn code_of_region(region: country::Id) -> Option<u16> {
    let id: &str = region.as_ref();
    let regions = &SPLIT.0;
    regions
        .binary_search_by(|(r, _)| (*r).cmp(id))
        .ok()
        .map(|i| regions[i].1)
}

/// The calling code after the `+` a number is written with (`+55 11 …` → 55), if its first
/// characters after it are ASCII digits and separators.
fn code_after_plus(text: &str) -> Option<u16> {
    let rest = text.trim_start();
    let rest = rest
        .strip_prefix("tel:")
        .unwrap_or(rest)
        .strip_prefix('+')?;
    let mut digits = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '/' => {}
            _ => break,
        }
        if digits.len() == 3 {
            break;
        }
    }
    (1..=digits.len())
        .filter_map(|len| digits[..len].parse::<u16>().ok())
        .find(|code| SPLIT.1.binary_search_by_key(code, |(c, _)| *c).is_ok())
}

/// The database of `codes` (each code's every region), loaded once; `None` if a code's part
/// cannot be read (the whole database is then used).
fn database(codes: &[u16]) -> Option<Arc<Database>> {
    let mut key = codes.to_vec();
    key.sort_unstable();
    key.dedup();
    let mut loaded = LOADED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(database) = loaded.get(&key) {
        return Some(database.clone());
    }
    let mut metadata = Vec::new();
    for code in &key {
        let i = SPLIT.1.binary_search_by_key(code, |(c, _)| *c).ok()?;
        let part: Vec<loader::Metadata> = postcard::from_bytes(SPLIT.1[i].1).ok()?;
        metadata.extend(part);
    }
    let database = Arc::new(Database::from(metadata).ok()?);
    if loaded.len() >= MAX_LOADED {
        loaded.clear();
    }
    loaded.insert(key, database.clone());
    Some(database)
}

/// The metadata a number is read and judged with.
#[derive(Clone)]
pub(super) enum PhoneMetadata {
    /// The database of a few calling codes.
    Split(Arc<Database>),
    /// The crate's whole database.
    Whole,
}

impl PhoneMetadata {
    /// The database.
    pub(super) fn get(&self) -> &Database {
        match self {
            PhoneMetadata::Split(database) => database,
            PhoneMetadata::Whole => &DATABASE,
        }
    }

    /// `text` read as `phonenumber::parse` reads it (in `region` when it has no code), and the
    /// metadata to judge the number with (its code's, whatever else it holds).
    pub(super) fn parse(
        region: Option<country::Id>,
        text: &str,
    ) -> (PhoneMetadata, Result<PhoneNumber, ParseError>) {
        let codes: Vec<u16> = region
            .and_then(code_of_region)
            .into_iter()
            .chain(code_after_plus(text))
            .collect();
        if let Some(database) = (!codes.is_empty()).then(|| database(&codes)).flatten() {
            match phonenumber::parse_with(&database, region, text) {
                Err(ParseError::InvalidCountryCode) => {}
                parsed => return (PhoneMetadata::Split(database), parsed),
            }
        }
        (PhoneMetadata::Whole, phonenumber::parse(region, text))
    }

    /// Loads what the numbers of Brazil need, so that the first of them does not wait for it.
    pub(super) fn preload() {
        let _ = PhoneMetadata::parse(Some(country::Id::BR), "+55 11 98765-4321");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use phonenumber::Mode;
    use phonenumber::metadata::Descriptor;

    /// What a reading yields: the number, its validity, its type and its formats, or the error.
    fn reading(region: Option<country::Id>, text: &str, split: bool) -> String {
        let (metadata, parsed) = if split {
            PhoneMetadata::parse(region, text)
        } else {
            (PhoneMetadata::Whole, phonenumber::parse(region, text))
        };
        let database = metadata.get();
        match parsed {
            Ok(number) => format!(
                "{:?} {} {:?} {} {}",
                number,
                number.is_valid_with(database),
                number.number_type(database),
                number.format_with(database).mode(Mode::International),
                number.format_with(database).mode(Mode::National),
            ),
            Err(error) => format!("{error:?}"),
        }
    }

    #[test]
    fn every_example_number_of_every_region_reads_as_with_the_whole_database() {
        let mut checked = 0;
        for meta in DATABASE.iter() {
            let d = meta.descriptors();
            let examples = [
                Some(d.general()),
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.shared_cost(),
                d.personal_number(),
                d.voip(),
                d.pager(),
                d.uan(),
                d.voicemail(),
            ]
            .into_iter()
            .flatten()
            .filter_map(Descriptor::example);
            let region: Option<country::Id> = meta.id().parse().ok();
            for example in examples {
                let international = format!("+{} {example}", meta.country_code());
                for (hint, text) in [
                    (None, international),
                    (region, example.to_owned()),
                    (
                        Some(country::Id::BR),
                        format!("00{}{example}", meta.country_code()),
                    ),
                ] {
                    assert_eq!(
                        reading(hint, &text, true),
                        reading(hint, &text, false),
                        "{text} in {hint:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 2000, "only {checked} readings compared");
    }

    #[test]
    fn odd_writings_read_as_with_the_whole_database() {
        for (region, text) in [
            (Some(country::Id::BR), "(11) 98765-4321"),
            (Some(country::Id::BR), "+5５ 11 98765-4321"),
            (Some(country::Id::BR), "0055 11 98765-4321"),
            (Some(country::Id::BR), "0021 11 98765-4321"),
            (Some(country::Id::BR), "55 11 98765-4321"),
            (Some(country::Id::BR), "+1 212 555 0123"),
            (Some(country::Id::BR), "+52 1 55 1234 5678"),
            (Some(country::Id::BR), "+55 21 8765-4321"),
            (None, "tel:+1-212-555-0123"),
            (None, "+999 1234"),
            (None, "+0 1234 5678"),
            (None, "+"),
            (Some(country::Id::US), "011 55 11 98765 4321"),
            (Some(country::Id::IT), "06 1234 5678"),
            (None, "+39 06 1234 5678"),
            (None, "+7 (912) 345-67-89"),
            (None, "+882 1234 5678"),
        ] {
            assert_eq!(
                reading(region, text, true),
                reading(region, text, false),
                "{text} in {region:?}"
            );
        }
    }

    #[test]
    fn a_number_with_its_code_loads_only_its_code() {
        let (metadata, parsed) = PhoneMetadata::parse(None, "+55 11 98765-4321");
        assert!(parsed.is_ok());
        let PhoneMetadata::Split(database) = metadata else {
            panic!("the whole database was loaded");
        };
        assert!(database.by_code(&55).is_some());
        assert!(database.by_code(&1).is_none());
        assert_eq!(database.iter().count(), 1);
    }
}
