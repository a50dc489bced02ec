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

/// Why a character is refused in free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// A control character: C0 and C1 controls (U+0000–U+001F, U+007F–U+009F), line and
    /// paragraph separators (U+2028, U+2029).
    Control,
    /// A character that shows nothing or reorders what follows: format characters (zero-width
    /// space U+200B, soft hyphen, byte order mark), bidirectional controls (U+061C, U+200E,
    /// U+200F, U+202A–U+202E, U+2066–U+2069), fillers, and tag characters outside an emoji flag.
    Invisible,
}

/// The one rule for free text (e-mail, description, display name, staff reasons): the first
/// character no field accepts, and why. Kept: letters, marks, symbols and emoji, including the
/// zero-width joiner and variation selectors that build emoji and the tag characters of a
/// subdivision flag (🏴 followed by tags); line breaks and tabs where `line_breaks`. Refused:
/// see [`Hidden`]. Such characters are what Trojan Source and terminal escape attacks are made
/// of (CVE-2021-42574).
pub fn hidden_char(text: &str, line_breaks: bool) -> Option<(char, Hidden)> {
    let mut in_flag = false;
    for c in text.chars() {
        let tag = ('\u{E0020}'..='\u{E007F}').contains(&c);
        in_flag = match c {
            '\u{1F3F4}' => true,
            _ if tag => in_flag,
            _ => false,
        };
        if (c == '\n' || c == '\t') && line_breaks {
            continue;
        }
        let category = c.general_category();
        if c.is_control()
            || matches!(
                category,
                GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator
            )
        {
            return Some((c, Hidden::Control));
        }
        if (category == GeneralCategory::Format && c != '\u{200D}' && !(tag && in_flag))
            || is_filler(c)
        {
            return Some((c, Hidden::Invisible));
        }
    }
    None
}

/// Characters that show nothing but are not of the Format category: Hangul and Braille fillers,
/// the combining grapheme joiner.
pub fn is_filler(c: char) -> bool {
    matches!(
        c,
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}' | '\u{034F}'
    )
}

/// `text` made safe to show on any surface (a terminal, a chat): every character [`hidden_char`]
/// refuses is written as its code point in brackets (`[U+202E]`), so that no value can move the
/// cursor, rewrite a terminal's title, clear a screen or reverse the text after it. Line breaks
/// and tabs are kept.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    if hidden_char(text, true).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some((c, _)) = hidden_char(rest, true) {
        let at = rest.find(c).unwrap_or(rest.len());
        out.push_str(&rest[..at]);
        out.push('[');
        out.push_str(&code_point(c));
        out.push(']');
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// How many characters a person sees in `text`: extended grapheme clusters (UAX #29), so that
/// "é" typed as e + accent, 🇧🇷 or 👩‍👩‍👧 count once each.
pub fn visible_length(text: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    text.graphemes(true).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_refuses_what_hides_or_reorders_text() {
        let refused = [
            ("ana\u{9B}@loja.com", '\u{9B}', Hidden::Control),
            ("a\u{1b}]0;x\u{7}", '\u{1b}', Hidden::Control),
            ("abc\u{2028}", '\u{2028}', Hidden::Control),
            ("abc\u{202E}cba", '\u{202E}', Hidden::Invisible),
            ("abc\u{2066}x\u{2069}", '\u{2066}', Hidden::Invisible),
            ("abc\u{200F}", '\u{200F}', Hidden::Invisible),
            ("a\u{200B}b", '\u{200B}', Hidden::Invisible),
            ("a\u{E0041}b", '\u{E0041}', Hidden::Invisible),
            ("a\u{3164}b", '\u{3164}', Hidden::Invisible),
            ("linha\nnova", '\n', Hidden::Control),
        ];
        for (text, c, why) in refused {
            assert_eq!(hidden_char(text, false), Some((c, why)), "{text:?}");
        }
        // Emoji built with joiners, variation selectors and a subdivision flag are kept.
        for text in [
            "Família 👩\u{200D}👩\u{200D}👧",
            "Amor ❤\u{FE0F}",
            "Escócia 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
            "linha\nnova\tcom tab",
            "São Paulo – 100% à vista",
        ] {
            assert_eq!(hidden_char(text, true), None, "{text:?}");
        }
    }

    #[test]
    fn hidden_characters_are_shown_as_code_points() {
        assert_eq!(
            shown("evil\u{1b}]0;OWNED\u{7}\u{1b}[2J"),
            "evil[U+001B]]0;OWNED[U+0007][U+001B][2J"
        );
        assert_eq!(shown("Loja \u{202E}luzA"), "Loja [U+202E]luzA");
        assert_eq!(shown("linha\nnova"), "linha\nnova");
        assert!(matches!(shown("Loja Azul"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn lengths_count_what_people_see() {
        assert_eq!(visible_length("Cafe\u{301}"), 4);
        assert_eq!(visible_length("🇧🇷"), 1);
        assert_eq!(visible_length("👩\u{200D}👩\u{200D}👧"), 1);
        assert_eq!(visible_length("a"), 1);
    }
}
