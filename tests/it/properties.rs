//! Whatever comes in, parsing gives a verdict and never panics.

use proptest::prelude::*;
use waba_onboard::conversation::{Draft, Inbound, StepId, step};
use waba_onboard::domain::{
    BusinessPhone, BusinessPortfolioId, Category, Description, DisplayName, Email, Logo,
    PhoneRegion, RequestStatus, StoreAccount,
};
use waba_onboard::i18n::Locale;
use waba_onboard::service::staff::ButtonAction;

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

    /// Any callback data or custom id (forged, cut, of an older format) decodes to a checked
    /// staff action or to nothing; what decodes comes back the same from its compact form.
    #[test]
    fn staff_button_data_decodes_to_a_checked_action_or_nothing(
        data in prop_oneof![
            any::<String>(),
            "[sf]:[a-z_]{0,24}:WA-[0-9]{0,14}",
            "[sf]:[a-z_]{0,24}:.{0,16}",
        ],
    ) {
        if let Some(action) = ButtonAction::decode(&data) {
            let again = action.encode();
            prop_assert!(again.len() <= 64, "{again}");
            prop_assert_eq!(ButtonAction::decode(&again), Some(action));
        }
    }

    /// Every staff button fits Telegram's 64 bytes of callback data and decodes to itself.
    #[test]
    fn every_staff_button_fits_and_decodes_to_itself(
        status in 0usize..RequestStatus::ALL.len(),
        field in 0usize..StepId::FIXABLE.len(),
        number in 0u64..1_000_000_000_000,
    ) {
        let reference = format!("WA-{number:06}");
        for action in [
            ButtonAction::Move { reference: reference.clone(), to: RequestStatus::ALL[status] },
            ButtonAction::Field { reference: reference.clone(), field: StepId::FIXABLE[field] },
        ] {
            let data = action.encode();
            prop_assert!(data.len() <= 64, "{data}");
            let decoded = ButtonAction::decode(&data);
            prop_assert!(decoded.is_some(), "{data}");
            prop_assert_eq!(decoded.map(|d| d.encode()), Some(data));
        }
    }
}
