//! The WhatsApp display name, checked against Meta's display name guidelines before Meta sees it.
//!
//! Rejected: fewer than 3 or more than 75 characters; invisible, direction-control or control
//! characters; emoji; ™ ® ©; a URL or e-mail form; all capitals (except acronyms and company
//! forms); capitals at random ("ZeNvIa"); Meta's brand names and "official"/"verified" in English
//! or Portuguese; repeated punctuation. Warned: a name made only of generic terms or only of
//! places (from the lists in `data/display_name/`); all lower case; promotional wording.
//! Reviewed: that it matches the brand on the store's website, which only a person can check.
//! Source: Meta's display name guidelines
//! (<https://www.facebook.com/business/help/757569725593362>).

use super::finding::{
    Finding, Parsed, Rejection, Verdict, check_input_size, conclude, counted_length,
};
use super::text::{code_point, fold, is_filler, visible_length, words};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeEmoji, UnicodeGeneralCategory};

/// A display name such as `Loja Azul`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

/// Words Meta reserves: its own brands. Matched inside words too ("WhatsAppStore").
const RESERVED_BRANDS: &[&str] = &["whatsapp", "facebook", "instagram"];
/// Reserved whole words, in English and Portuguese forms.
const RESERVED_WORDS: &[&str] = &[
    "meta",
    "official",
    "oficial",
    "oficiais",
    "verified",
    "verificado",
    "verificada",
    "verificados",
    "verificadas",
];
/// Generic terms (kinds of store, products, foods, services) in pt-BR and en, folded; a name
/// made only of these says nothing of the brand. Meta's display name guidelines refuse names
/// that are "only a generic term" (its examples: "Juice", "Fashion").
const GENERIC_TERMS: &str = include_str!("../../data/display_name/generic.txt");
/// Countries, regions, Brazilian states and large cities, world cities, in pt-BR and en, folded;
/// Meta's guidelines refuse names that are "only a geographic location".
const PLACES: &str = include_str!("../../data/display_name/places.txt");
/// Words that join terms without naming anything ("Sapatos e Bolsas", "Pizza do Rio").
const CONNECTORS: &[&str] = &[
    "a", "as", "o", "os", "e", "de", "da", "do", "das", "dos", "em", "na", "no", "nas", "nos",
    "the", "and", "of", "in", "n",
];
/// Longest entry of the term lists, in words.
const LONGEST_TERM: usize = 8;
/// Company-form suffixes that stay in capitals in any name ("JBS S.A.", "Silva LTDA").
const COMPANY_FORMS: &[&str] = &[
    "sa", "s/a", "ltda", "me", "mei", "epp", "eireli", "inc", "llc", "ltd", "corp", "co", "plc",
    "gmbh",
];

/// Promotional words and phrases (folded: lower case, no accents).
const PROMOTIONAL_WORDS: &[&str] = &[
    "sale",
    "promocao",
    "promocoes",
    "promo",
    "gratis",
    "free",
    "desconto",
    "descontos",
    "discount",
    "liquidacao",
    "oferta",
    "ofertas",
    "offer",
    "deal",
    "deals",
    "barato",
    "cheap",
    "queima",
];
const PROMOTIONAL_PHRASES: &[&str] = &["% off", "%off", "black friday", "frete gratis"];
/// Top-level domains that make a word look like a web address.
const DOMAIN_SUFFIXES: &[&str] = &[
    "com", "br", "net", "org", "io", "app", "shop", "store", "online", "site", "co", "info", "biz",
    "me", "tv", "us", "uk", "pt", "ar", "mx", "es", "de", "fr", "it", "xyz", "club", "digital",
    "tech", "loja", "website", "web", "link", "ly",
];

impl DisplayName {
    /// Fewest characters (as a person sees them, after trimming).
    pub const MIN: usize = 3;
    /// Most characters, as a person sees them and as Meta counts them (Unicode scalar values).
    pub const MAX: usize = 75;

    /// Parses a display name.
    pub fn parse(input: &str) -> Result<Parsed<DisplayName>, Rejection> {
        check_input_size("display_name", input)?;
        let normalized: String = input.nfc().collect();
        let mut findings = Vec::new();

        if let Some(bad) = normalized
            .chars()
            .find(|c| c.general_category() == GeneralCategory::Format || is_invisible(*c))
        {
            findings.push(
                Finding::new(Verdict::Reject, "display_name.invisible_char")
                    .text("char", code_point(bad)),
            );
        }
        if let Some(bad) = normalized.chars().find(|c| {
            c.is_control()
                || matches!(
                    c.general_category(),
                    GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator
                )
        }) {
            findings.push(
                Finding::new(Verdict::Reject, "display_name.control_char")
                    .text("char", code_point(bad)),
            );
        }
        // Collapse runs of spaces; trimming happens here too.
        let value = normalized
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let length = visible_length(&value);
        let counted = value.chars().count();
        if !(Self::MIN..=Self::MAX).contains(&length) {
            findings.push(
                Finding::new(Verdict::Reject, "display_name.length")
                    .num("length", length as i64)
                    .num("min", Self::MIN as i64)
                    .num("max", Self::MAX as i64),
            );
        } else if counted > Self::MAX {
            findings.push(counted_length(counted, Self::MAX));
        }
        if let Some(symbol) = value.chars().find(|c| matches!(c, '™' | '®' | '©' | '℠')) {
            findings
                .push(Finding::new(Verdict::Reject, "display_name.symbol").text("symbol", symbol));
        }
        if let Some(emoji) = first_emoji(&value) {
            findings.push(Finding::new(Verdict::Reject, "display_name.emoji").text("emoji", emoji));
        }
        // The rules below judge what the characters are (compatibility form: "…" is "...",
        // fullwidth "ＷｈａｔｓＡｐｐ" is "WhatsApp"); the name kept is what the merchant typed.
        let judged: String = value.nfkc().collect();
        let folded = fold(&judged);
        if looks_like_email(&folded) {
            findings.push(Finding::new(Verdict::Reject, "display_name.email"));
        } else if looks_like_url(&folded) {
            findings.push(Finding::new(Verdict::Reject, "display_name.url"));
        }
        if is_all_caps(&judged) {
            findings.push(Finding::new(Verdict::Reject, "display_name.all_caps"));
        }
        if let Some(word) = reserved_word(&judged) {
            findings.push(
                Finding::new(Verdict::Reject, "display_name.reserved_word").text("word", word),
            );
        }
        if let Some(run) = repeated_punctuation(&judged) {
            findings.push(
                Finding::new(Verdict::Reject, "display_name.repeated_punctuation")
                    .text("punctuation", as_typed(&value, &run)),
            );
        }

        if let Some(word) = odd_case_word(&judged) {
            findings
                .push(Finding::new(Verdict::Reject, "display_name.odd_case").text("word", word));
        } else if is_all_lower_case(&judged) {
            findings.push(Finding::new(Verdict::Warn, "display_name.lower_case"));
        }
        match only_terms(&folded) {
            Some(Terms::Places) => findings.push(
                Finding::new(Verdict::Warn, "display_name.place").text("word", value.clone()),
            ),
            Some(Terms::Generic) => findings.push(
                Finding::new(Verdict::Warn, "display_name.generic").text("word", value.clone()),
            ),
            None => {}
        }
        if let Some(word) = promotional(&folded, &value) {
            findings
                .push(Finding::new(Verdict::Warn, "display_name.promotional").text("word", word));
        }
        findings.push(
            Finding::new(Verdict::Review, "display_name.brand_match").text("name", value.clone()),
        );
        conclude(DisplayName(value), findings)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters that show nothing but are not of the Format category: fillers, and the variation
/// selectors a name without emoji has no use for.
fn is_invisible(c: char) -> bool {
    is_filler(c) || matches!(c, '\u{FE00}'..='\u{FE0D}' | '\u{E0100}'..='\u{E01EF}')
}

fn first_emoji(value: &str) -> Option<String> {
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii() || matches!(c, '™' | '®' | '©' | '℠') {
            continue;
        }
        let pictographic_by_selector = chars.peek() == Some(&'\u{FE0F}');
        if c.is_emoji_char() || pictographic_by_selector || c == '\u{FE0F}' || c == '\u{20E3}' {
            return Some(c.to_string());
        }
    }
    None
}

fn looks_like_email(folded: &str) -> bool {
    folded.split_whitespace().any(|token| {
        token
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
    })
}

fn looks_like_url(folded: &str) -> bool {
    if folded.contains("://") || folded.contains("www.") {
        return true;
    }
    folded.split_whitespace().any(|token| {
        let token = token.trim_end_matches(['/', ',', ';', ':', '!', '?']);
        let mut parts = token.split('.');
        let first = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        !first.is_empty()
            && first.chars().all(|c| c.is_alphanumeric() || c == '-')
            && rest.last().is_some_and(|tld| DOMAIN_SUFFIXES.contains(tld))
            && rest.iter().all(|p| !p.is_empty())
    })
}

/// Every cased letter in upper case, in a name that is not only acronyms: one word of more than
/// five letters, or two or more words one of which is more than an acronym. An acronym is a word
/// of at most three letters ("IBM", "JBS"), letters joined by dots or `&` ("S.A.", "C&A"), or a
/// company form ("LTDA"); a single word of up to five letters ("VTEX") passes as one too. Names
/// with some lower case ("ACME Store") pass.
fn is_all_caps(value: &str) -> bool {
    let cased: Vec<&str> = value
        .split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_uppercase() || c.is_lowercase()))
        .collect();
    if cased.is_empty() || value.chars().any(char::is_lowercase) {
        return false;
    }
    let letters = |w: &str| w.chars().filter(|c| c.is_uppercase()).count();
    let acronym = |w: &str| {
        letters(w) <= 3
            || w.contains(['.', '&'])
                && w.split(['.', '&'])
                    .all(|part| part.chars().filter(|c| c.is_uppercase()).count() <= 1)
            || COMPANY_FORMS.contains(&fold(w.trim_matches('.')).as_str())
    };
    match cased.as_slice() {
        [one] => letters(one) > 5,
        many => !many.iter().all(|w| acronym(w)),
    }
}

/// The first word whose capitals fall at random ("ZeNvIa", "LojA"): two or more places where a
/// capital follows a lower-case letter, or a single capital closing a word after lower case.
/// One such change is a brand's own style and passes: "iFood", "eBay", "McDonald's", "YouTube".
fn odd_case_word(value: &str) -> Option<String> {
    words(value).into_iter().find_map(|word| {
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        let rises = letters
            .windows(2)
            .filter(|pair| pair[0].is_lowercase() && pair[1].is_uppercase())
            .count();
        let closing_capital = letters.len() > 2
            && letters[letters.len() - 1].is_uppercase()
            && letters[letters.len() - 2].is_lowercase();
        (rises >= 2 || closing_capital).then(|| word.to_owned())
    })
}

/// Lower case throughout ("loja azul"): Meta asks for grammatically correct capitalization.
fn is_all_lower_case(value: &str) -> bool {
    value.chars().any(char::is_lowercase) && !value.chars().any(char::is_uppercase)
}

/// What a name made only of listed terms is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Terms {
    /// Only places ("São Paulo", "Rio de Janeiro").
    Places,
    /// Generic terms, with or without places ("Juice", "Sapatos e Bolsas", "Pizzaria Rio").
    Generic,
}

fn term_set(list: &'static str) -> std::collections::HashSet<&'static str> {
    list.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

/// Whether the folded name is covered entirely by listed terms (and connecting words), longest
/// terms first; `None` when some word names something else, the brand.
fn only_terms(folded: &str) -> Option<Terms> {
    use std::sync::LazyLock;
    static GENERIC: LazyLock<std::collections::HashSet<&str>> =
        LazyLock::new(|| term_set(GENERIC_TERMS));
    static PLACE: LazyLock<std::collections::HashSet<&str>> = LazyLock::new(|| term_set(PLACES));
    let name = words(folded);
    let (mut at, mut generic, mut place) = (0, false, false);
    while at < name.len() {
        let found = (1..=LONGEST_TERM.min(name.len() - at)).rev().find_map(|n| {
            let term = name[at..at + n].join(" ");
            if GENERIC.contains(term.as_str()) {
                Some((n, Some(Terms::Generic)))
            } else if PLACE.contains(term.as_str()) {
                Some((n, Some(Terms::Places)))
            } else if n == 1 && CONNECTORS.contains(&term.as_str()) && at > 0 {
                Some((1, None))
            } else {
                None
            }
        });
        let (n, kind) = found?;
        generic |= kind == Some(Terms::Generic);
        place |= kind == Some(Terms::Places);
        at += n;
    }
    match (generic, place) {
        (true, _) => Some(Terms::Generic),
        (false, true) => Some(Terms::Places),
        (false, false) => None,
    }
}

fn reserved_word(value: &str) -> Option<String> {
    for word in words(value) {
        let folded = fold(word);
        if RESERVED_WORDS.contains(&folded.as_str())
            || RESERVED_BRANDS.iter().any(|brand| folded.contains(brand))
        {
            return Some(word.to_owned());
        }
    }
    // "Whats App", "Face book": brands split by spaces or punctuation.
    let squeezed: String = fold(value)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    RESERVED_BRANDS
        .iter()
        .find(|brand| squeezed.contains(*brand))
        .map(|brand| (*brand).to_owned())
}

fn repeated_punctuation(value: &str) -> Option<String> {
    let chars: Vec<char> = value.chars().collect();
    chars.windows(2).find_map(|pair| {
        let (a, b) = (pair[0], pair[1]);
        let both_punct = is_punctuation(a) && is_punctuation(b);
        let repeated = a == b || (matches!(a, '!' | '?') && matches!(b, '!' | '?'));
        (both_punct && repeated).then(|| format!("{a}{b}"))
    })
}

/// The characters the merchant typed that became `run` once compatibility-normalized (`…` for
/// `..`), to name what they see; `run` itself when none did alone or side by side.
fn as_typed(typed: &str, run: &str) -> String {
    let chars: Vec<char> = typed.chars().collect();
    for width in 1..=run.chars().count().max(1) {
        for window in chars.windows(width) {
            let text: String = window.iter().collect();
            if text.nfkc().collect::<String>().contains(run) {
                return text;
            }
        }
    }
    run.to_owned()
}

fn is_punctuation(c: char) -> bool {
    use unicode_properties::GeneralCategoryGroup;
    c.general_category_group() == GeneralCategoryGroup::Punctuation
}

fn promotional(folded: &str, value: &str) -> Option<String> {
    if let Some(phrase) = PROMOTIONAL_PHRASES.iter().find(|p| folded.contains(*p)) {
        return Some((*phrase).to_owned());
    }
    words(value)
        .into_iter()
        .find(|w| PROMOTIONAL_WORDS.contains(&fold(w).as_str()))
        .map(str::to_owned)
}

impl TryFrom<String> for DisplayName {
    type Error = Rejection;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        DisplayName::parse(&value).map(|p| p.value)
    }
}

impl From<DisplayName> for String {
    fn from(value: DisplayName) -> Self {
        value.0
    }
}

impl std::fmt::Display for DisplayName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, gravest verdict, a code that must be among the findings). Every accepted name is
    /// at least `review`: only a person can match it with the brand on the store's website.
    const CASES: &[(&str, &str, &str)] = &[
        ("Loja Azul", "review", "display_name.brand_match"),
        ("ACME Store", "review", "display_name.brand_match"),
        ("IBM", "review", "display_name.brand_match"),
        ("VTEX", "review", "display_name.brand_match"),
        ("Café São Jorge", "review", "display_name.brand_match"),
        ("LOJA AZUL", "reject", "display_name.all_caps"),
        ("SUPERLOJA", "reject", "display_name.all_caps"),
        ("Loja Azul Oficial", "reject", "display_name.reserved_word"),
        ("Loja Verificada", "reject", "display_name.reserved_word"),
        ("Official Shoes", "reject", "display_name.reserved_word"),
        ("Meta Store", "reject", "display_name.reserved_word"),
        ("Metalúrgica Silva", "review", "display_name.brand_match"),
        ("WhatsApp Vendas", "reject", "display_name.reserved_word"),
        ("Lojas do Whats App", "reject", "display_name.reserved_word"),
        (
            "Insta Instagram Shop",
            "reject",
            "display_name.reserved_word",
        ),
        ("Loja Azul 🛍️", "reject", "display_name.emoji"),
        ("Loja 🇧🇷 Brasil", "reject", "display_name.emoji"),
        ("Loja ❤ Azul", "reject", "display_name.emoji"),
        ("Loja Azul™", "reject", "display_name.symbol"),
        ("Azul® Calçados", "reject", "display_name.symbol"),
        ("lojaazul.com.br", "reject", "display_name.url"),
        ("https://loja.example", "reject", "display_name.url"),
        ("www.lojaazul", "reject", "display_name.url"),
        ("contato@lojaazul.com", "reject", "display_name.email"),
        ("Loja Azul!!", "reject", "display_name.repeated_punctuation"),
        // What a phone keyboard types for "...", and fullwidth letters: judged as what they are.
        ("Loja Azul…", "reject", "display_name.repeated_punctuation"),
        (
            "Loja Azul．．",
            "reject",
            "display_name.repeated_punctuation",
        ),
        (
            "Ｗｈａｔｓａｐｐ Store",
            "reject",
            "display_name.reserved_word",
        ),
        ("ＬＯＪＡ ＡＺＵＬ", "reject", "display_name.all_caps"),
        ("Loja Azul?!", "reject", "display_name.repeated_punctuation"),
        ("Dr. Pet & Cia.", "review", "display_name.brand_match"),
        ("Lo", "reject", "display_name.length"),
        ("Loja\u{200B}Azul", "reject", "display_name.invisible_char"),
        ("Loja \u{202E}luzA", "reject", "display_name.invisible_char"),
        ("Loja\u{7}Azul", "reject", "display_name.control_char"),
        ("Shoes", "review", "display_name.generic"),
        // Meta's own examples of names that are only a generic term, and combinations of them.
        ("Juice", "review", "display_name.generic"),
        ("Fashion", "review", "display_name.generic"),
        ("Sapatos e Bolsas", "review", "display_name.generic"),
        ("Pet Shop", "review", "display_name.generic"),
        ("Pizzaria Rio", "review", "display_name.generic"),
        // Only a place.
        ("São Paulo", "review", "display_name.place"),
        ("Rio de Janeiro", "review", "display_name.place"),
        ("Portugal", "review", "display_name.place"),
        ("New York", "review", "display_name.place"),
        // Capitals at random are refused; a name in lower case throughout is warned.
        ("ZeNvIa", "reject", "display_name.odd_case"),
        ("LojA Azul", "reject", "display_name.odd_case"),
        ("loja azul", "review", "display_name.lower_case"),
        ("LOJA ABC", "reject", "display_name.all_caps"),
        ("Promoção Azul", "review", "display_name.promotional"),
        ("Loja Azul 50% OFF", "review", "display_name.promotional"),
        ("", "reject", "input.empty"),
    ];

    /// Real brands whose capitals, acronyms or words would trip a naive rule get no finding but
    /// the brand comparison every name gets.
    #[test]
    fn real_brands_written_their_own_way_pass() {
        for (name, why) in [
            (
                "iFood",
                "a lower-case first letter, then one capital: a brand's style",
            ),
            ("eBay", "the same, as eBay writes it"),
            (
                "McDonald's",
                "one capital inside a word, as in Mc/Mac names",
            ),
            ("YouTube", "two capitalised words run together"),
            ("C&A", "letters joined by & are an acronym"),
            ("JBS S.A.", "an acronym and a company form in capitals"),
            (
                "JBS LTDA",
                "the Brazilian company form LTDA stays in capitals",
            ),
            ("O Boticário", "an article before the brand"),
            ("Loja Azul", "a generic word with a distinctive one"),
            (
                "Café São Jorge",
                "a generic word and a saint's name, not a place on the list",
            ),
            ("IBM", "a three-letter acronym"),
        ] {
            let parsed = DisplayName::parse(name).unwrap();
            let codes: Vec<&str> = parsed.findings.iter().map(|f| f.code.as_str()).collect();
            assert_eq!(codes, ["display_name.brand_match"], "{name:?}: {why}");
        }
    }

    #[test]
    fn the_term_lists_are_folded_and_disjoint() {
        let generic = term_set(GENERIC_TERMS);
        let places = term_set(PLACES);
        assert!(generic.len() > 300 && places.len() > 500);
        for term in generic.iter().chain(places.iter()) {
            assert_eq!(fold(term), *term, "{term:?} is not folded");
            assert_eq!(words(term).join(" "), *term, "{term:?} is not plain words");
            assert!(words(term).len() <= LONGEST_TERM, "{term:?} is too long");
        }
        assert!(generic.is_disjoint(&places));
    }

    #[test]
    fn display_names_follow_meta_guidelines() {
        for (input, verdict, code) in CASES {
            let findings = match DisplayName::parse(input) {
                Ok(p) => {
                    assert_eq!(
                        p.verdict().as_str(),
                        *verdict,
                        "case {input:?}: {:?}",
                        p.findings
                    );
                    p.findings
                }
                Err(r) => {
                    assert_eq!(*verdict, "reject", "case {input:?}: {r:?}");
                    r.findings
                }
            };
            assert!(
                findings.iter().any(|f| f.code == *code),
                "case {input:?}: expected {code}, got {findings:?}"
            );
        }
    }

    #[test]
    fn a_name_is_trimmed_normalized_and_counted_in_scalar_values() {
        let decomposed = "Cafe\u{301}  Sa\u{303}o Paulo ";
        let parsed = DisplayName::parse(decomposed).unwrap();
        assert_eq!(parsed.value.as_str(), "Café São Paulo");
        let max = "á".repeat(75);
        assert!(DisplayName::parse(&max).is_ok());
        assert!(
            DisplayName::parse(&"á".repeat(76))
                .unwrap_err()
                .has("display_name.length")
        );
    }

    #[test]
    fn the_merchant_is_told_which_word_or_punctuation_is_wrong() {
        for (input, code, arg) in [
            (
                "Loja Azul..",
                "display_name.repeated_punctuation",
                "punctuation",
            ),
            (
                "Loja Azul?!",
                "display_name.repeated_punctuation",
                "punctuation",
            ),
            (
                "Loja Azul…",
                "display_name.repeated_punctuation",
                "punctuation",
            ),
            (
                "Loja Azul．．",
                "display_name.repeated_punctuation",
                "punctuation",
            ),
            ("Promoção Azul", "display_name.promotional", "word"),
            ("ZeNvIa Store", "display_name.odd_case", "word"),
            ("Moda Praia", "display_name.generic", "word"),
            ("Belo Horizonte", "display_name.place", "word"),
            ("Loja Azul 50% OFF", "display_name.promotional", "word"),
        ] {
            let findings = match DisplayName::parse(input) {
                Ok(p) => p.findings,
                Err(r) => r.findings,
            };
            let finding = findings
                .iter()
                .find(|f| f.code == code)
                .unwrap_or_else(|| panic!("{input:?}: {findings:?}"));
            let named = finding
                .args
                .iter()
                .find_map(|(name, value)| match value {
                    crate::domain::Arg::Text(text) if name == arg => Some(text.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("{input:?}: {finding:?}"));
            // What the merchant is shown is part of what they typed.
            assert!(
                fold(input).contains(fold(&named).trim()),
                "{input:?} names {named:?}"
            );
        }
        // Different punctuation marks side by side are not a repetition.
        assert!(DisplayName::parse("Dr. Pet & Cia.").is_ok());
    }
}
