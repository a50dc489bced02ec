//! Whatever comes in, parsing gives a verdict and never panics.

use proptest::prelude::*;
use waba_onboard::conversation::{Draft, Inbound, StepId, step};
use waba_onboard::domain::{
    BusinessPhone, BusinessPortfolioId, Category, Description, DisplayName, Email, Logo,
    PhoneRegion, StoreAccount,
};
use waba_onboard::i18n::Locale;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn text_parsers_never_panic(input in any::<String>()) {
        let _ = StoreAccount::parse(&input);
        let _ = Email::parse(&input);
        let _ = BusinessPortfolioId::parse(&input);
        let _ = DisplayName::parse(&input);
        let _ = BusinessPhone::parse(&input, PhoneRegion::BRAZIL);
        let _ = BusinessPhone::parse(&input, PhoneRegion::NONE);
        let _ = Category::parse(&input, |_| vec![]);
        let _ = Description::parse(&input);
    }

    #[test]
    fn phone_like_input_never_panics(input in "[+0-9 ()\\-.#*a-z]{0,40}") {
        let _ = BusinessPhone::parse(&input, PhoneRegion::BRAZIL);
        let _ = BusinessPhone::parse(&input, PhoneRegion::NONE);
    }

    #[test]
    fn logo_parsing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = Logo::parse(&bytes);
    }

    #[test]
    fn image_headers_with_random_tails_never_panic(
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
        png in any::<bool>(),
    ) {
        let mut bytes = if png { b"\x89PNG\r\n\x1a\n".to_vec() } else { vec![0xFF, 0xD8, 0xFF, 0xE0] };
        bytes.extend(tail);
        let _ = Logo::parse(&bytes);
    }

    #[test]
    fn the_engine_answers_any_text_at_any_step(input in any::<String>(), index in 0usize..14) {
        let mut draft = Draft::new(Locale::PtBr, chrono::Utc::now());
        draft.step = StepId::FIELDS.into_iter().chain([StepId::Summary, StepId::Done]).nth(index).unwrap();
        let before = draft.answers.clone();
        let t = step(draft, Inbound::Text(input), chrono::Utc::now());
        prop_assert!(!t.replies.is_empty() || !t.effects.is_empty());
        // Free text never changes a closed-set answer it does not name.
        if t.replies.iter().any(|r| r.message.id.starts_with("rejected-")) {
            prop_assert_eq!(t.draft.answers, before);
        }
    }
}
