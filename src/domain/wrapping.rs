//! What people wrap around a value when they paste or share it: a label in front ("ID:",
//! "Telefone (WhatsApp) -"), a link that carries the value (a `wa.me` click-to-chat link, a Meta
//! Business Suite address with `business_id=`, a `mailto:` link), or a display form
//! (`Ana <ana@loja.com>`). The rules read the value inside and say when the wrapper holds some
//! other value than the one asked for.

use url::Url;

/// A link found in an answer, read into its parts.
#[derive(Debug)]
pub(crate) struct Link {
    /// Lower-case host without a leading `www.` (`wa.me`, `business.facebook.com`); empty for
    /// links without a host (`whatsapp:`).
    pub host: String,
    /// The scheme (`https`, `whatsapp`, `mailto`, `tel`).
    pub scheme: String,
    /// The non-empty path segments.
    pub segments: Vec<String>,
    /// The query parameters, in order.
    pub query: Vec<(String, String)>,
}

impl Link {
    /// The first value of query parameter `name` (names compared without case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the host is `domain` or one of its subdomains.
    pub fn is_on(&self, domain: &str) -> bool {
        self.host == domain
            || self
                .host
                .strip_suffix(domain)
                .is_some_and(|rest| rest.ends_with('.'))
    }
}

/// Hosts people paste without a scheme, recognised as links all the same.
const BARE_HOSTS: &[&str] = &[
    "wa.me/",
    "api.whatsapp.com/",
    "web.whatsapp.com/",
    "whatsapp.com/",
    "business.facebook.com/",
    "facebook.com/",
    "m.facebook.com/",
    "fb.com/",
    "instagram.com/",
];

/// Reads `text` as a link when it is one: an absolute URL (`https://…`, `whatsapp://…`) or one of the known hosts written without a scheme (`wa.me/5511…`).
pub(crate) fn link(text: &str) -> Option<Link> {
    let text = text.trim();
    if text.contains(char::is_whitespace) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let bare = lower.strip_prefix("www.").unwrap_or(&lower);
    let url = if BARE_HOSTS.iter().any(|host| bare.starts_with(host)) {
        Url::parse(&format!("https://{text}")).ok()?
    } else if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("whatsapp:")
    {
        Url::parse(text).ok()?
    } else {
        return None;
    };
    let host = url
        .host_str()
        .unwrap_or_default()
        .to_ascii_lowercase()
        .trim_start_matches("www.")
        .to_owned();
    let segments = url
        .path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).map(decode).collect())
        .unwrap_or_default();
    Some(Link {
        query: url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        scheme: url.scheme().to_owned(),
        host,
        segments,
    })
}

/// WhatsApp's short links (<https://faq.whatsapp.com/5913398998672934>).
pub(crate) const WA_ME: &str = "wa.me";
/// WhatsApp's site, whose `send` pages carry `phone=`.
pub(crate) const WHATSAPP_COM: &str = "whatsapp.com";
/// Meta Business Suite.
pub(crate) const BUSINESS_SUITE: &str = "business.facebook.com";
/// Sites of pages and profiles, not of business portfolios.
pub(crate) const PAGE_SITES: &[&str] = &["facebook.com", "fb.com", "instagram.com"];

fn decode(segment: &str) -> String {
    url::form_urlencoded::parse(format!("x={segment}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| segment.to_owned())
}

/// Splits a leading label from the value it names: `"Business ID - 123"` → `("business id",
/// "123")`, `"Telefone (WhatsApp): +55 11…"` → `("telefone (whatsapp)", "+55 11…")`.
///
/// A label starts with a letter, holds letters, spaces, dots, slashes and apostrophes (and at
/// most one parenthesised part), and ends with `:`, `-`, `–`, `—`, `#`, `=` or plain space; the
/// value must then start with one of `starts` (digits, `+`, `(`, as the field allows). The label
/// comes back folded (lower case, no accents), for the rules to tell what it names.
pub(crate) fn label(text: &str, starts: impl Fn(char) -> bool) -> Option<(String, &str)> {
    let text = text.trim();
    let mut chars = text.char_indices().peekable();
    let (_, first) = chars.next()?;
    if !first.is_alphabetic() {
        return None;
    }
    let mut end = first.len_utf8();
    let mut in_parens = false;
    let mut had_parens = false;
    for (i, c) in chars {
        let fits = c.is_alphabetic()
            || matches!(c, '.' | '/' | '\'' | '’' | ' ' | '\u{a0}')
            || unicode_properties::UnicodeGeneralCategory::general_category(c)
                == unicode_properties::GeneralCategory::NonspacingMark
            || (c == '(' && !in_parens && !had_parens)
            || (c == ')' && in_parens);
        if !fits {
            break;
        }
        if c == '(' {
            in_parens = true;
        } else if c == ')' {
            in_parens = false;
            had_parens = true;
        }
        end = i + c.len_utf8();
    }
    if in_parens {
        return None;
    }
    let (name, rest) = text.split_at(end);
    let separated = name.ends_with([' ', '\u{a0}']);
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix([':', '：', '-', '–', '—', '#', '=']) {
        Some(after) => after.trim_start(),
        None if separated => rest,
        None => return None,
    };
    let name = name.trim_end_matches([' ', '\u{a0}', '.']);
    if name.is_empty() || !rest.starts_with(&starts) {
        return None;
    }
    Some((super::text::fold(name), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_split_from_their_values() {
        let digit = |c: char| c.is_ascii_digit();
        let cases = [
            ("ID: 123", Some(("id", "123"))),
            ("Business ID - 123", Some(("business id", "123"))),
            ("Identificação: 123", Some(("identificacao", "123"))),
            ("ID do portfólio — 123", Some(("id do portfolio", "123"))),
            ("BM 123", Some(("bm", "123"))),
            ("Nº 123", Some(("nº", "123"))),
            ("WABA ID (WhatsApp): 1", Some(("waba id (whatsapp)", "1"))),
            ("abc123", None),
            ("123", None),
            ("ID: abc", None),
            ("ID (x: 1", None),
        ];
        for (input, want) in cases {
            let got = label(input, digit);
            assert_eq!(
                got.as_ref().map(|(l, v)| (l.as_str(), *v)),
                want,
                "case {input:?}"
            );
        }
    }

    #[test]
    fn links_are_read_with_or_without_a_scheme() {
        let l = link("wa.me/5511987654321?text=Oi%20tudo").unwrap();
        assert_eq!(l.host, "wa.me");
        assert_eq!(l.segments, ["5511987654321"]);
        assert_eq!(l.param("TEXT"), Some("Oi tudo"));
        let l = link("https://www.business.facebook.com/settings/info?business_id=12").unwrap();
        assert!(l.is_on("facebook.com"));
        assert!(!l.is_on("book.com"));
        assert_eq!(l.param("business_id"), Some("12"));
        let l = link("whatsapp://send?phone=5511987654321").unwrap();
        assert_eq!(l.scheme, "whatsapp");
        assert_eq!(l.param("phone"), Some("5511987654321"));
        assert!(link("mailto:ana@loja.com").is_none());
        assert!(link("loja azul.com").is_none());
        assert!(link("+55 11 98765-4321").is_none());
        assert!(link("lojaazul.com.br").is_none());
    }
}
