use super::*;
use crate::conversation::draft::WhatsappUse;
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
}

pub(crate) fn logo_png(side: u32) -> Vec<u8> {
    let img = image::ImageBuffer::from_pixel(side, side, image::Rgb([0u8, 90, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn text(s: &str) -> Inbound {
    Inbound::Text(s.to_owned())
}

fn run(mut draft: Draft, inputs: Vec<Inbound>) -> (Draft, Vec<Reply>, Vec<Effect>) {
    let mut replies = Vec::new();
    let mut effects = Vec::new();
    for input in inputs {
        let t = step(draft, input, now());
        draft = t.draft;
        replies.extend(t.replies);
        effects.extend(t.effects);
    }
    (draft, replies, effects)
}

fn ids(replies: &[Reply]) -> Vec<&str> {
    replies.iter().map(|r| r.message.id.as_str()).collect()
}

fn happy_inputs() -> Vec<Inbound> {
    vec![
        Inbound::Start,
        Inbound::Choice("no".into()),
        text("minhaloja"),
        text("ana@minhaloja.com.br"),
        text("123456789012345"),
        Inbound::Choice("yes".into()),
        text("Loja Azul"),
        Inbound::Choice("yes".into()),
        Inbound::File {
            name: "logo.png".into(),
            bytes: logo_png(640),
        },
        text("+55 (11) 98765-4321"),
        Inbound::Choice("yes".into()),
        Inbound::Choice("yes".into()),
        Inbound::Choice("not_in_use".into()),
        Inbound::Choice("RETAIL".into()),
        Inbound::Choice("skip".into()),
        Inbound::Choice("verified".into()),
    ]
}

#[test]
fn a_complete_conversation_reaches_the_summary_and_submits_once_confirmed() {
    let (draft, replies, effects) = run(Draft::new(Locale::PtBr, now()), happy_inputs());
    assert_eq!(draft.step, StepId::Summary, "{:?}", ids(&replies));
    assert_eq!(draft.answers.first_missing(), None);
    assert_eq!(
        effects,
        vec![Effect::CheckPhoneAvailable {
            e164: "+5511987654321".into()
        }]
    );
    let (draft, _, effects) = run(draft, vec![text("Confirmar e enviar")]);
    assert_eq!(draft.step, StepId::Done);
    assert_eq!(effects, vec![Effect::Submit]);
    // A second confirmation finds the request already sent and does nothing.
    let (draft, replies, effects) = run(draft, vec![Inbound::Choice("confirm".into())]);
    assert_eq!(draft.step, StepId::Done);
    assert!(effects.is_empty());
    assert_eq!(ids(&replies), ["ask-done"]);
}

#[test]
fn a_refused_answer_says_why_asks_again_and_keeps_the_draft() {
    let (draft, _, _) = run(
        Draft::new(Locale::En, now()),
        vec![Inbound::Start, Inbound::Choice("no".into())],
    );
    let before = draft.answers.clone();
    let t = step(draft, text("Minha Loja"), now());
    assert_eq!(t.draft.step, StepId::StoreAccount);
    assert_eq!(t.draft.answers, before);
    assert_eq!(
        ids(&t.replies),
        ["rejected-store-account", "ask-store-account"]
    );
    assert_eq!(
        t.replies[0].notes[0].message.id,
        "finding-store-account-space"
    );
}

#[test]
fn three_failures_show_the_requirements_and_offer_a_person() {
    let (draft, _, _) = run(
        Draft::new(Locale::En, now()),
        vec![Inbound::Start, Inbound::Choice("no".into())],
    );
    let (draft, replies, _) = run(draft, vec![text("a"), text("b"), text("c")]);
    assert_eq!(draft.failures, 3);
    let last = &ids(&replies)[replies.len() - 4..];
    assert_eq!(
        last,
        [
            "rejected-store-account",
            "requirements-store-account",
            "offer-human",
            "ask-store-account"
        ]
    );
    let (draft, replies, effects) = run(draft, vec![Inbound::Choice("/human".into())]);
    assert_eq!(effects, vec![Effect::RequestHuman]);
    assert_eq!(ids(&replies), ["human-requested", "ask-store-account"]);
    assert_eq!(draft.step, StepId::StoreAccount);
}

#[test]
fn commands_work_at_any_step() {
    let (draft, _, _) = run(
        Draft::new(Locale::En, now()),
        vec![
            Inbound::Start,
            Inbound::Choice("no".into()),
            text("minhaloja"),
        ],
    );
    assert_eq!(draft.step, StepId::Email);
    let (draft, replies, _) = run(draft.clone(), vec![text("/skip")]);
    assert_eq!(ids(&replies), ["cannot-skip", "ask-email"]);
    let (draft, replies, _) = run(draft, vec![text("/back")]);
    assert_eq!(draft.step, StepId::StoreAccount);
    assert_eq!(replies[0].notes[0].message.id, "current-answer");
    let (draft, replies, _) = run(draft, vec![text("/help")]);
    assert_eq!(ids(&replies), ["help-store-account", "ask-store-account"]);
    let (draft, replies, _) = run(draft, vec![text("/nonsense")]);
    assert_eq!(ids(&replies), ["unknown-command", "ask-store-account"]);
    let (draft, _, effects) = run(draft, vec![text("/status")]);
    assert_eq!(effects, vec![Effect::ShowStatus]);
    let (draft, _, _) = run(draft, vec![text("/language"), text("Português (Brasil)")]);
    assert_eq!(draft.locale, Locale::PtBr);
    assert!(draft.locale_chosen);
    let (draft, replies, effects) = run(draft, vec![text("/cancelar"), text("não")]);
    assert!(effects.is_empty());
    assert_eq!(
        ids(&replies),
        ["ask-confirm-cancel", "not-cancelled", "ask-store-account"]
    );
    let (draft, _, _) = run(draft, vec![text("/restart"), Inbound::Choice("yes".into())]);
    assert_eq!(draft.step, StepId::ExistingAccount);
    assert!(!draft.has_progress());
    let (_, _, effects) = run(draft, vec![text("/cancel"), text("1")]);
    assert!(
        effects.is_empty(),
        "a number is not an option key for the engine"
    );
}

#[test]
fn editing_from_the_summary_comes_straight_back() {
    let (draft, _, _) = run(Draft::new(Locale::En, now()), happy_inputs());
    let (draft, replies, _) = run(
        draft,
        vec![
            Inbound::Choice("edit".into()),
            Inbound::Choice("email".into()),
        ],
    );
    assert_eq!(draft.step, StepId::Email);
    assert_eq!(ids(&replies), ["ask-field-to-edit", "ask-email"]);
    let (draft, replies, _) = run(draft, vec![text("novo@minhaloja.com.br")]);
    assert_eq!(draft.step, StepId::Summary);
    assert_eq!(ids(&replies), ["ask-summary"]);
    assert_eq!(
        draft.answers.email.unwrap().value.as_str(),
        "novo@minhaloja.com.br"
    );
}

#[test]
fn a_reviewed_value_waits_for_confirmation() {
    let mut draft = Draft::new(Locale::En, now());
    draft.step = StepId::DisplayName;
    let (draft, replies, _) = run(draft, vec![text("Loja Azul")]);
    assert_eq!(ids(&replies), ["ask-review-display-name"]);
    assert!(draft.answers.display_name.is_none());
    let (draft, _, _) = run(draft, vec![Inbound::Choice("no".into())]);
    assert!(draft.answers.display_name.is_none());
    assert_eq!(draft.step, StepId::DisplayName);
    let (draft, _, _) = run(
        draft,
        vec![text("Loja Azul"), Inbound::Choice("yes".into())],
    );
    assert_eq!(draft.step, StepId::Logo);
    assert!(draft.answers.display_name.is_some());
}

#[test]
fn attestations_refuse_a_number_the_company_does_not_own() {
    let mut draft = Draft::new(Locale::En, now());
    draft.step = StepId::PhoneAttestations;
    let (draft, replies, _) = run(draft, vec![Inbound::Choice("no".into())]);
    assert_eq!(
        ids(&replies),
        ["rejected-phone-attestations", "ask-phone-owned"]
    );
    let (draft, replies, _) = run(
        draft,
        vec![
            Inbound::Choice("yes".into()),
            Inbound::Choice("yes".into()),
            Inbound::Choice("business_app".into()),
        ],
    );
    assert_eq!(draft.step, StepId::Category);
    assert_eq!(
        draft.answers.attestations.whatsapp_use,
        Some(WhatsappUse::BusinessApp)
    );
    assert!(ids(&replies).contains(&"noted-with-warnings"));
}

#[test]
fn a_form_is_checked_field_by_field() {
    let (draft, replies, effects) = run(
        Draft::new(Locale::PtBr, now()),
        vec![Inbound::Fields(vec![
            (StepId::StoreAccount, "minhaloja".into()),
            (StepId::Email, "not an email".into()),
            (StepId::DisplayName, "LOJA AZUL".into()),
            (StepId::Phone, "11 98765-4321".into()),
        ])],
    );
    assert!(draft.answers.store_account.is_some());
    assert!(draft.answers.email.is_none());
    assert!(draft.answers.display_name.is_none());
    assert!(draft.answers.phone.is_some());
    let problems = &replies[0];
    assert_eq!(problems.message.id, "form-problems");
    let fields: Vec<_> = problems.notes.iter().map(|n| n.field).collect();
    assert_eq!(fields, [Some(StepId::Email), Some(StepId::DisplayName)]);
    assert_eq!(effects.len(), 1);
    assert_eq!(draft.step, StepId::ExistingAccount);
}

#[test]
fn a_number_on_another_open_request_is_refused() {
    let mut draft = Draft::new(Locale::PtBr, now());
    draft.step = StepId::Phone;
    let t = phone_taken(draft.clone(), "WA-000007", now());
    assert_eq!(t.draft.answers, draft.answers);
    assert_eq!(t.replies[0].notes[0].message.id, "finding-phone-duplicate");
    assert_eq!(t.draft.failures, 1);
}

#[test]
fn a_returning_merchant_is_offered_to_continue_or_restart() {
    let (draft, _, _) = run(
        Draft::new(Locale::En, now()),
        vec![
            Inbound::Start,
            Inbound::Choice("yes".into()),
            text("minhaloja"),
        ],
    );
    let (draft, replies, _) = run(draft, vec![Inbound::Start]);
    assert_eq!(ids(&replies), ["welcome-back", "ask-resume"]);
    let (draft, replies, _) = run(draft, vec![Inbound::Choice("continue".into())]);
    assert_eq!(ids(&replies), ["ask-email"]);
    assert_eq!(draft.step, StepId::Email);
}

#[test]
fn a_new_number_from_the_summary_asks_its_attestations_again() {
    let (draft, _, _) = run(Draft::new(Locale::PtBr, now()), happy_inputs());
    assert_eq!(draft.step, StepId::Summary);
    let (draft, replies, _) = run(
        draft,
        vec![
            Inbound::Choice("edit".into()),
            Inbound::Choice("phone".into()),
            text("(21) 99876-5432"),
        ],
    );
    assert_eq!(draft.step, StepId::PhoneAttestations, "{:?}", ids(&replies));
    assert!(!draft.answers.attestations.is_complete());
    let (draft, _, _) = run(
        draft,
        vec![
            Inbound::Choice("yes".into()),
            Inbound::Choice("yes".into()),
            Inbound::Choice("not_in_use".into()),
        ],
    );
    assert_eq!(
        draft.step,
        StepId::Summary,
        "then straight back to the summary"
    );
    // The same number again keeps what was attested.
    let (draft, _, _) = run(
        draft,
        vec![
            Inbound::Choice("edit".into()),
            Inbound::Choice("phone".into()),
            text("(21) 99876-5432"),
        ],
    );
    assert_eq!(draft.step, StepId::Summary);
}

#[test]
fn a_value_waiting_for_confirmation_survives_a_new_session() {
    let mut draft = Draft::new(Locale::En, now());
    draft.step = StepId::DisplayName;
    let (draft, _, _) = run(draft, vec![text("Loja Azul")]);
    let (draft, replies, _) = run(draft, vec![Inbound::Start]);
    assert_eq!(ids(&replies), ["welcome-back", "ask-review-display-name"]);
    let (draft, _, _) = run(draft, vec![Inbound::Choice("yes".into())]);
    assert_eq!(
        draft.answers.display_name.unwrap().value.as_str(),
        "Loja Azul"
    );
}

#[test]
fn during_a_fix_restart_starts_the_fix_over_and_cancel_withdraws_the_request() {
    let (mut draft, _, _) = run(Draft::new(Locale::En, now()), happy_inputs());
    draft.step = StepId::Done;
    draft.start_fixing(
        "WA-000001",
        vec![StepId::Email, StepId::DisplayName],
        "typo",
    );
    let (draft, _, _) = run(draft, vec![text("novo@minhaloja.com.br")]);
    assert_eq!(draft.step, StepId::DisplayName);
    let (draft, replies, _) = run(draft, vec![text("/restart")]);
    assert_eq!(draft.step, StepId::Email, "{:?}", ids(&replies));
    assert!(draft.fixing.is_some());
    let (draft, replies, effects) =
        run(draft, vec![text("/cancel"), Inbound::Choice("yes".into())]);
    assert_eq!(ids(&replies)[0], "ask-confirm-cancel-request");
    assert_eq!(effects, vec![Effect::CancelRequest]);
    assert_eq!(draft.step, StepId::Done);
    assert!(draft.fixing.is_none());
}

// ---- cases found by mutation testing: each a behaviour a merchant would notice ---------------

/// The inputs up to the description question.
fn up_to_description() -> Vec<Inbound> {
    let mut inputs = happy_inputs();
    inputs.truncate(14);
    inputs
}

#[test]
fn every_question_says_which_step_it_is_in_the_merchants_language() {
    let (_, replies, _) = run(Draft::new(Locale::En, now()), happy_inputs()[..5].to_vec());
    let question = replies.last().unwrap();
    assert_eq!(question.message.id, "ask-admin-available");
    assert_eq!(
        question.progress_line(Locale::En).as_deref(),
        Some("Step 5 of 12")
    );
    assert_eq!(
        question.progress_line(Locale::PtBr).as_deref(),
        Some("Passo 5 de 12")
    );
}

#[test]
fn a_number_taken_at_the_summary_is_fixed_then_straight_back_to_the_summary() {
    let (draft, _, _) = run(Draft::new(Locale::PtBr, now()), happy_inputs());
    assert_eq!(draft.step, StepId::Summary);
    let taken = phone_taken(draft, "WA-000007", now());
    assert_eq!(taken.draft.step, StepId::Phone);
    let (draft, _, _) = run(
        taken.draft,
        vec![
            text("(21) 98765-4321"),
            Inbound::Choice("yes".into()),
            Inbound::Choice("yes".into()),
            Inbound::Choice("not_in_use".into()),
        ],
    );
    // The new number's attestations, then the summary: not the category and the rest again.
    assert_eq!(draft.step, StepId::Summary);
}

#[test]
fn back_after_the_request_is_sent_changes_nothing() {
    let (draft, _, _) = run(Draft::new(Locale::PtBr, now()), happy_inputs());
    let (draft, _, _) = run(draft, vec![Inbound::Choice("confirm".into())]);
    assert_eq!(draft.step, StepId::Done);
    let (after, _, effects) = run(draft.clone(), vec![text("/voltar")]);
    assert_eq!(after.step, StepId::Done);
    assert!(effects.is_empty());
}

#[test]
fn the_skip_button_skips_the_description_and_a_typed_one_is_kept() {
    let (draft, _, _) = run(Draft::new(Locale::PtBr, now()), up_to_description());
    assert_eq!(draft.step, StepId::Description);
    let (skipped, _, _) = run(draft.clone(), vec![Inbound::Choice("skip".into())]);
    assert!(
        matches!(skipped.answers.description, Some(Optional::Skipped)),
        "{:?}",
        skipped.answers.description
    );
    // From a form: a description written there is kept, an empty one skips.
    let (given, _, _) = run(
        draft.clone(),
        vec![Inbound::Fields(vec![(
            StepId::Description,
            "Sapatos para toda a família".into(),
        )])],
    );
    match &given.answers.description {
        Some(Optional::Given(d)) => assert_eq!(d.value.as_str(), "Sapatos para toda a família"),
        other => panic!("{other:?}"),
    }
    let (empty, _, _) = run(
        draft,
        vec![Inbound::Fields(vec![(StepId::Description, "  ".into())])],
    );
    assert!(matches!(empty.answers.description, Some(Optional::Skipped)));
}

#[test]
fn a_draft_set_aside_says_so_when_it_comes_back() {
    let (draft, _, _) = run(
        Draft::new(Locale::PtBr, now()),
        happy_inputs()[..4].to_vec(),
    );
    let back = crate::conversation::parked_draft_back(&draft);
    assert_eq!(ids(&back)[0], "parked-draft-back");
}

/// An edit of an earlier answer changes it and comes back to the summary; an edited number needs
/// its attestations again; an edit that cannot be placed, or comes after sending, changes
/// nothing and says how to change an answer.
#[test]
fn edits_change_the_answer_they_edit_and_come_back() {
    let (mut draft, _, _) = run(Draft::new(Locale::En, now()), happy_inputs());
    assert_eq!(draft.step, StepId::Summary);
    draft.remember_answer("m-email".into(), StepId::Email);
    draft.remember_answer("m-phone".into(), StepId::Phone);
    let edit = |message: &str, text: &str| Inbound::Edit {
        message: message.into(),
        text: text.into(),
    };
    let (draft, replies, _) = run(draft, vec![edit("m-email", "sales@minhaloja.com.br")]);
    assert_eq!(ids(&replies), ["edit-applied", "ask-summary"]);
    assert_eq!(draft.step, StepId::Summary);
    assert_eq!(
        draft.answers.email.as_ref().unwrap().value.as_str(),
        "sales@minhaloja.com.br"
    );
    let (draft, replies, effects) = run(draft, vec![edit("m-phone", "+55 21 98765-4321")]);
    assert_eq!(ids(&replies), ["edit-applied", "ask-phone-owned"]);
    assert_eq!(draft.step, StepId::PhoneAttestations);
    assert_eq!(
        effects,
        vec![Effect::CheckPhoneAvailable {
            e164: "+5521987654321".into()
        }]
    );
    let (draft, replies, _) = run(draft, vec![edit("m-unknown", "anything")]);
    assert_eq!(ids(&replies), ["edit-unknown", "ask-phone-owned"]);
    assert_eq!(draft.step, StepId::PhoneAttestations);
    let (draft, replies, _) = run(draft, vec![edit("m-email", "not an e-mail")]);
    assert_eq!(ids(&replies), ["edit-not-applied", "ask-phone-owned"]);
    assert_eq!(
        draft.answers.email.as_ref().unwrap().value.as_str(),
        "sales@minhaloja.com.br"
    );
    let mut sent = draft;
    sent.step = StepId::Done;
    let (sent, replies, _) = run(sent, vec![edit("m-email", "x@minhaloja.com.br")]);
    assert_eq!(ids(&replies), ["edit-after-send", "ask-done"]);
    assert_eq!(
        sent.answers.email.as_ref().unwrap().value.as_str(),
        "sales@minhaloja.com.br"
    );
}

#[test]
fn a_contact_card_answers_the_phone_question_only() {
    let mut inputs = happy_inputs();
    inputs.truncate(9);
    let (draft, _, _) = run(Draft::new(Locale::PtBr, now()), inputs);
    assert_eq!(draft.step, StepId::Phone);
    let card = |phone: &str| Inbound::Contact {
        phone: phone.into(),
    };
    let (draft, _, _) = run(draft, vec![card("5511987654321")]);
    assert_eq!(draft.step, StepId::PhoneAttestations);
    assert_eq!(
        draft.answers.phone.as_ref().unwrap().value.e164(),
        "+5511987654321"
    );
    let (draft, replies, _) = run(draft, vec![card("+5511912345678")]);
    assert_eq!(ids(&replies), ["contact-not-expected", "ask-phone-owned"]);
    assert_eq!(
        draft.answers.phone.as_ref().unwrap().value.e164(),
        "+5511987654321"
    );
}

/// A form's fields pasted with their labels, or as links, are read for the value inside.
#[test]
fn form_fields_pasted_with_labels_or_links_are_unwrapped() {
    let mut inputs = happy_inputs();
    inputs.truncate(2);
    let (draft, _, _) = run(Draft::new(Locale::PtBr, now()), inputs);
    assert_eq!(draft.step, StepId::StoreAccount);
    let (draft, _, _) = run(
        draft,
        vec![Inbound::Fields(vec![
            (StepId::StoreAccount, "minhaloja".into()),
            (StepId::Email, "E-mail: Ana <ana@MinhaLoja.com.br>".into()),
            (
                StepId::BusinessId,
                "https://business.facebook.com/settings/info?business_id=123456789012345".into(),
            ),
        ])],
    );
    let answers = &draft.answers;
    assert_eq!(
        answers.email.as_ref().unwrap().value.as_str(),
        "ana@minhaloja.com.br"
    );
    assert_eq!(
        answers.business_id.as_ref().unwrap().value.as_str(),
        "123456789012345"
    );
}

/// Asked to confirm a name, a merchant who types another name has answered again: the new name
/// is checked (and asked to be confirmed) in place of the first.
#[test]
fn typing_a_new_value_at_a_confirmation_answers_the_question_again() {
    let mut inputs = happy_inputs();
    inputs.truncate(6);
    inputs.push(text("Rio de Janeiro"));
    let (draft, replies, _) = run(Draft::new(Locale::PtBr, now()), inputs);
    assert_eq!(ids(&replies).last(), Some(&"ask-review-display-name"));
    let (draft, replies, _) = run(draft, vec![text("Loja Azul")]);
    assert_eq!(ids(&replies), ["ask-review-display-name"]);
    let Some(Pending::ConfirmReview { answer }) = &draft.pending else {
        panic!("{:?}", draft.pending);
    };
    let PendingAnswer::DisplayName { value } = answer.as_ref() else {
        panic!("{answer:?}");
    };
    assert_eq!(value.value.as_str(), "Loja Azul");
    // "Sim" still confirms.
    let (draft, _, _) = run(draft, vec![text("Sim")]);
    assert_eq!(draft.step, StepId::Logo);
    assert_eq!(
        draft.answers.display_name.as_ref().unwrap().value.as_str(),
        "Loja Azul"
    );
}
