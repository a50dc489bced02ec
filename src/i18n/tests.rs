use super::*;
use crate::conversation::StepId;
use crate::domain::Category;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

/// Every message id of a locale with the variables it uses.
fn messages(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
    let mut all = BTreeMap::new();
    for (source_locale, name, text) in SOURCES {
        if *source_locale != locale {
            continue;
        }
        let resource = fluent_syntax::parser::parse(*text)
            .unwrap_or_else(|(_, errors)| panic!("{locale}/{name}: {errors:?}"));
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut variables = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    collect_pattern(pattern, &mut variables);
                }
                let previous = all.insert(message.id.name.to_owned(), variables);
                assert!(
                    previous.is_none(),
                    "{locale}: {} defined twice",
                    message.id.name
                );
            }
        }
    }
    all
}

fn collect_pattern(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            collect_expression(expression, out);
        }
    }
}

fn collect_expression(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            collect_inline(selector, out);
            for variant in variants {
                collect_pattern(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => collect_inline(inline, out),
    }
}

fn collect_inline(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => collect_expression(expression, out),
        _ => {}
    }
}

#[test]
fn both_locales_define_the_same_messages_with_the_same_variables() {
    let en = messages(Locale::En);
    let pt = messages(Locale::PtBr);
    let en_ids: BTreeSet<_> = en.keys().collect();
    let pt_ids: BTreeSet<_> = pt.keys().collect();
    assert_eq!(
        en_ids.difference(&pt_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "ids missing from pt-BR"
    );
    assert_eq!(
        pt_ids.difference(&en_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "ids missing from en"
    );
    for (id, variables) in &en {
        assert_eq!(Some(variables), pt.get(id), "variables of {id} differ");
    }
}

/// Literals shaped like message ids that are not: the `validate` field names and the binary.
const NOT_MESSAGES: &[&str] = &[
    "business-id",
    "display-name",
    "store-account",
    "waba-onboard",
    "x-request-id",
    "pt-br",
    "staff-status",
    "telegram-polling",
    "x-telegram-bot-api-secret-token",
    "x-signature-ed25519",
    "x-signature-timestamp",
    "x-zendesk-webhook-signature",
    "waba-pending",
    "waba-stats",
    "waba-status",
    "x-zendesk-webhook-signature-timestamp",
    "x-hub-signature-256",
];

/// Files whose dotted literals are configuration keys, host names or Web API methods, not
/// finding codes.
const NOT_CODES: &[&str] = &[
    "config.rs",
    "merchant.rs",
    "wrapping.rs",
    "zendesk.rs",
    "slack.rs",
    "slack/staff.rs",
    "meta/webhook.rs",
    "meta/signup.rs",
    "service/staff.rs",
];

/// Literal message ids and finding codes written in the code (outside tests).
fn ids_in_source() -> BTreeSet<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut ids = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tests.rs") {
                continue;
            }
            let codes_allowed = !NOT_CODES.iter().any(|f| path.ends_with(f));
            let source = std::fs::read_to_string(&path).unwrap();
            let source = source.split("#[cfg(test)]").next().unwrap_or_default();
            for literal in source.split('"').skip(1).step_by(2) {
                let is_id = literal.contains('-')
                    && literal.starts_with(|c: char| c.is_ascii_lowercase())
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !literal.ends_with('-');
                let is_code = literal.split('.').count() == 2
                    && !literal.ends_with(".ftl")
                    && !literal.starts_with('.')
                    && !literal.ends_with('.')
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
                if is_id && !NOT_MESSAGES.contains(&literal) {
                    ids.insert(literal.to_owned());
                } else if is_code && codes_allowed {
                    ids.insert(format!("finding-{}", literal.replace(['.', '_'], "-")));
                }
            }
        }
    }
    ids
}

/// Ids the code composes at run time.
fn composed_ids() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for step in StepId::FIELDS
        .into_iter()
        .chain([StepId::Summary, StepId::Done])
    {
        ids.insert(format!("help-{}", step.slug()));
    }
    // Every step has a label, the summary and the end too: a merchant who asks for a person
    // after sending is shown to staff at "done".
    for step in StepId::FIELDS
        .into_iter()
        .chain([StepId::Summary, StepId::Done])
    {
        ids.insert(crate::conversation::field_label(step).id);
    }
    for step in StepId::FIELDS {
        if step != StepId::PhoneAttestations {
            ids.insert(format!("ask-{}", step.slug()));
        }
    }
    for step in [
        StepId::StoreAccount,
        StepId::Email,
        StepId::BusinessId,
        StepId::DisplayName,
        StepId::Logo,
        StepId::Phone,
        StepId::PhoneAttestations,
        StepId::Category,
        StepId::Description,
    ] {
        ids.insert(format!("rejected-{}", step.slug()));
        ids.insert(format!("requirements-{}", step.slug()));
    }
    for step in [StepId::DisplayName, StepId::Phone, StepId::Category] {
        ids.insert(format!("ask-review-{}", step.slug()));
    }
    for category in Category::ALL {
        ids.insert(category.message_id().to_owned());
    }
    for verdict in ["accept", "warn", "review", "reject"] {
        ids.insert(format!("verdict-{verdict}"));
        ids.insert(format!("validate-{verdict}"));
    }
    for key in ["verified", "not-verified", "unknown"] {
        ids.insert(format!("choice-verification-{key}"));
    }
    use crate::channels::telegram::{MERCHANT_COMMANDS, STAFF_COMMANDS};
    for (_, _, id) in MERCHANT_COMMANDS.iter().chain(STAFF_COMMANDS) {
        ids.insert(format!("telegram-command-{id}"));
    }
    for command in [
        "onboard", "status", "cancel", "language", "help", "back", "human", "erase", "pending",
        "stats", "request",
    ] {
        ids.insert(format!("discord-command-{command}-name"));
        ids.insert(format!("discord-command-{command}-description"));
    }
    for option in ["logo", "status", "reference"] {
        ids.insert(format!("discord-option-{option}-name"));
        ids.insert(format!("discord-option-{option}-description"));
    }
    for step in StepId::FIELDS.into_iter().filter(|s| s.takes_text()) {
        ids.insert(format!("discord-label-{}", step.slug()));
        ids.insert(format!("discord-placeholder-{}", step.slug()));
    }
    for month in 1..=12 {
        ids.insert(format!("month-{month}"));
    }
    for status in [
        "submitted",
        "in-review",
        "needs-info",
        "awaiting-client-approval",
        "approved-by-client",
        "number-registered",
        "active",
        "rejected",
        "cancelled",
        "expired",
    ] {
        ids.insert(format!("status-{status}"));
        ids.insert(format!("notify-{status}"));
    }
    ids
}

#[test]
fn every_message_the_code_uses_exists_in_every_locale() {
    let used: BTreeSet<String> = ids_in_source().union(&composed_ids()).cloned().collect();
    assert!(
        used.len() > 150,
        "the scan found too few ids: {}",
        used.len()
    );
    for locale in Locale::ALL {
        let defined = messages(locale);
        let missing: Vec<_> = used
            .iter()
            .filter(|id| !defined.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "{locale} lacks {missing:?}");
    }
}

#[test]
fn locale_tags_are_negotiated() {
    for tag in ["pt", "pt-br", "pt_BR", "pt-PT", "PT", "pt_BR.UTF-8"] {
        assert_eq!(Locale::negotiate(tag), Locale::PtBr, "{tag}");
    }
    for tag in ["en", "en-US", "es", "", "C.UTF-8", "zz"] {
        assert_eq!(Locale::negotiate(tag), Locale::En, "{tag}");
    }
}

#[test]
fn rendering_uses_the_locale_numbers_dates_and_no_isolation_marks() {
    let message = Message::new("finding-logo-too-large")
        .num("bytes", 6_291_456)
        .num("max", 5_242_880);
    let en = render(Locale::En, &message);
    let pt = render(Locale::PtBr, &message);
    assert!(en.contains("6,291,456 bytes"), "{en}");
    assert!(pt.contains("6.291.456 bytes"), "{pt}");
    assert!(!en.contains('\u{2068}') && !pt.contains('\u{2069}'));
    let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert_eq!(format_date(Locale::En, date), "December 1, 2026");
    assert_eq!(format_date(Locale::PtBr, date), "1 de dezembro de 2026");
}

#[test]
fn a_missing_id_falls_back_to_the_id_itself() {
    assert_eq!(text(Locale::PtBr, "no-such-message"), "no-such-message");
}

/// Variables that carry a count shown to people (a measured length, a number of days or jobs, a
/// size in bytes or pixels). The limits (`$max`, `$min`…) are constants of the rules, none of
/// them 1, and need no plural.
const COUNTS: &[&str] = &[
    "length", "bytes", "days", "count", "width", "height", "side",
];

/// Words that may follow a count without agreeing with it: unit symbols and joining words.
const NOT_NOUNS: &[&str] = &["KB", "MB", "of", "de", "and", "e"];

/// The counts of `pattern` written before a noun outside a plural selection on that count.
fn unselected_counts(pattern: &ast::Pattern<&str>, selected: &[&str], out: &mut Vec<String>) {
    let elements = &pattern.elements;
    for (i, element) in elements.iter().enumerate() {
        let ast::PatternElement::Placeable { expression } = element else {
            continue;
        };
        match expression {
            ast::Expression::Select { selector, variants } => {
                let mut inner = selected.to_vec();
                if let ast::InlineExpression::VariableReference { id } = selector {
                    inner.push(id.name);
                }
                for variant in variants {
                    unselected_counts(&variant.value, &inner, out);
                }
            }
            ast::Expression::Inline(ast::InlineExpression::VariableReference { id }) => {
                let next = match elements.get(i + 1) {
                    Some(ast::PatternElement::TextElement { value }) => *value,
                    _ => "",
                };
                let word = next
                    .strip_prefix(' ')
                    .and_then(|rest| rest.split([' ', ';', ',', '.', ':', ')']).next())
                    .unwrap_or_default();
                let noun = word.starts_with(char::is_alphabetic) && !NOT_NOUNS.contains(&word);
                if COUNTS.contains(&id.name) && noun && !selected.contains(&id.name) {
                    out.push(format!("${} {word}", id.name));
                }
            }
            ast::Expression::Inline(_) => {}
        }
    }
}

/// "It has 1 characters" is what a count before a noun says without a plural selection.
#[test]
fn every_count_before_a_noun_is_pluralized() {
    for (locale, name, text) in SOURCES {
        let resource = fluent_syntax::parser::parse(*text).unwrap();
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry
                && let Some(pattern) = &message.value
            {
                let mut found = Vec::new();
                unselected_counts(pattern, &[], &mut found);
                assert!(
                    found.is_empty(),
                    "{locale}/{name}: {} writes {found:?} without a plural selection",
                    message.id.name
                );
            }
        }
    }
}

/// The plural forms render as a person reads them, in both languages, 0 included.
#[test]
fn counts_agree_with_their_nouns() {
    let cases = [
        (
            Locale::En,
            "finding-store-account-length",
            "length",
            1,
            "It has 1 character;",
        ),
        (
            Locale::En,
            "finding-store-account-length",
            "length",
            2,
            "It has 2 characters;",
        ),
        (
            Locale::PtBr,
            "finding-store-account-length",
            "length",
            1,
            "Tem 1 caractere;",
        ),
        (
            Locale::PtBr,
            "finding-store-account-length",
            "length",
            2,
            "Tem 2 caracteres;",
        ),
        (
            Locale::En,
            "finding-business-id-length",
            "length",
            1,
            "The ID has 1 digit;",
        ),
        (
            Locale::PtBr,
            "requests-show-age",
            "days",
            0,
            "0 dias úteis neste status",
        ),
        (
            Locale::PtBr,
            "requests-show-age",
            "days",
            1,
            "1 dia útil neste status",
        ),
        (
            Locale::En,
            "requests-show-age",
            "days",
            0,
            "0 business days in this status",
        ),
        (
            Locale::En,
            "requests-failed-jobs",
            "count",
            1,
            "1 job failed and needs attention:",
        ),
        (
            Locale::PtBr,
            "requests-failed-jobs",
            "count",
            2,
            "2 tarefas falharam",
        ),
    ];
    for (locale, id, var, n, expected) in cases {
        let message = crate::domain::Message::new(id)
            .num(var, n)
            .num("min", 2)
            .num("max", 63);
        let text = render(locale, &message);
        assert!(text.starts_with(expected), "{locale} {id} {n}: {text}");
    }
}

#[test]
fn decimals_and_sizes_as_each_language_writes_them() {
    assert_eq!(format_decimal(Locale::En, 6.5), "6.5");
    assert_eq!(format_decimal(Locale::PtBr, 6.5), "6,5");
    assert_eq!(format_decimal(Locale::PtBr, 3.0), "3");
    assert_eq!(format_decimal(Locale::En, 6.97), "7");
    assert_eq!(format_decimal(Locale::PtBr, 1234.54), "1.234,5");
    assert_eq!(format_size(Locale::PtBr, 7_680), "7,5 KB");
    assert_eq!(format_size(Locale::En, 1_258_291), "1.2 MB");
    assert_eq!(format_size(Locale::En, 850), "850 B");
}
