//! Small text helpers shared by the rules.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Lower case without diacritics, for matching words ("Promoção" → "promocao").
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| c.general_category() != GeneralCategory::NonspacingMark)
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a text: runs of letters and digits.
pub fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// `U+200B` style name of a character.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}
