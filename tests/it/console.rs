//! The console channel, as a newcomer uses it: the real binary, piped input, rendered replies.

use crate::support::{
    TestClock, TestDb, answers_to_summary, png, run_binary, thursday_noon, write,
};
use chrono::Utc;
use serde_json::Value;
use waba_onboard::conversation::{Inbound, StepId};
use waba_onboard::domain::deadline;
use waba_onboard::i18n::{self, Locale};
use waba_onboard::service::merchant::Merchant;
use waba_onboard::storage::UserKey;

/// Runs `waba-onboard chat` with `input` on standard input.
fn chat(db: &str, args: &[&str], input: &str) -> (i32, String) {
    let mut all = vec!["chat"];
    all.extend_from_slice(args);
    let (code, out, _) = run_binary(db, &all, input, &[]);
    (code, out)
}

/// Replaces what depends on the day the test runs.
fn stable(transcript: &str, locale: Locale, dir: &std::path::Path) -> String {
    let now = Utc::now();
    let expected = i18n::format_date(locale, deadline::add_business_days(now, 3));
    let today = i18n::format_date(locale, deadline::local_date(now));
    transcript
        .replace(&expected, "[EXPECTED DATE]")
        .replace(&today, "[TODAY]")
        .replace(&dir.display().to_string(), "[DIR]")
}

#[test]
fn a_complete_conversation_in_portuguese_with_wrong_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("chat.db").display());
    let logo = write(dir.path(), "logo.png", &png(640, 640));
    let wide = write(dir.path(), "faixa.png", &png(800, 200));
    let input = [
        "2",
        "Minha Loja",
        "minhaloja",
        "ana@",
        "ana@minhaloja.com.br",
        "123",
        "1234.5678.9012.345",
        "Ainda não",
        "1",
        "LOJA AZUL!!",
        "Loja Azul",
        "sim",
        &format!("\"{}\"", wide.display()),
        dir.path()
            .join("nao-existe.png")
            .display()
            .to_string()
            .as_str(),
        &logo.display().to_string(),
        "190",
        "(11) 98765-4321",
        "1",
        "1",
        "1",
        "vestuário",
        "/pular",
        "3",
        "1",
    ]
    .join("\n");
    let (code, out) = chat(&db, &["--lang", "pt-BR", "--user", "ana"], &input);
    assert_eq!(code, 0);
    assert!(out.contains("WA-000001"), "{out}");
    insta::assert_snapshot!("conversation_pt_br", stable(&out, Locale::PtBr, dir.path()));
}

#[test]
fn a_complete_conversation_in_english_with_wrong_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("chat.db").display());
    let logo = write(dir.path(), "logo.png", &png(512, 512));
    let input = [
        "No",
        "mystore",
        "ana@mystore.com",
        "123456789012345",
        "1",
        "Blue Shoes Official",
        "Blue Shoes",
        "1",
        &dir.path().display().to_string(),
        &logo.display().to_string(),
        "911",
        "650 253 0000",
        "+1 650 253 0000",
        "yes",
        "yes",
        "3",
        "Shopping and retail",
        "Shoes for the whole family since 1998.",
        "2",
        "/back",
        "2",
        "2",
        "email",
        "sales@mystore.com",
        "3",
        "2",
        "Confirm and send",
        "/status",
    ]
    .join("\n");
    let (code, out) = chat(&db, &["--lang", "en", "--user", "ana"], &input);
    assert_eq!(code, 0);
    assert!(out.contains("Done! Your request is WA-000001."), "{out}");
    insta::assert_snapshot!("conversation_en", stable(&out, Locale::En, dir.path()));
}

#[test]
fn json_mode_prints_one_object_per_reply_with_the_step_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("chat.db").display());
    let (code, out) = chat(&db, &["--lang", "en", "--json"], "2\nminhaloja\n/help\n");
    assert_eq!(code, 0);
    let replies: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let steps: Vec<&str> = replies
        .iter()
        .map(|r| r["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "existing_account",
            "existing_account",
            "store_account",
            "email",
            "email",
            "email"
        ]
    );
    let question = &replies[1];
    assert_eq!(question["progress"]["step"], 1);
    assert_eq!(question["progress"]["of"], 12);
    assert_eq!(question["choices"][1]["key"], "no");
    assert_eq!(question["choices"][1]["label"], "No");
    let email = &replies[3];
    assert_eq!(email["choices"].as_array().unwrap().len(), 0);
    assert!(email["text"].as_str().unwrap().contains("e-mail"));
}

#[test]
fn a_returning_user_continues_where_they_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("chat.db").display());
    let (_, first) = chat(&db, &["--lang", "pt-BR", "--user", "bia"], "2\nloja\n");
    assert!(first.contains("Suas respostas estão salvas"), "{first}");
    let (code, second) = chat(&db, &["--lang", "pt-BR", "--user", "bia", "--json"], "1\n");
    assert_eq!(code, 0);
    let replies: Vec<Value> = second
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        replies[1]["text"]
            .as_str()
            .unwrap()
            .contains("Você parou no passo 3"),
        "{second}"
    );
    assert_eq!(replies.last().unwrap()["step"], "email");
    // Another console user starts from the beginning.
    let (_, other) = chat(&db, &["--lang", "en", "--user", "caio", "--json"], "");
    assert!(
        other
            .lines()
            .next()
            .unwrap()
            .contains("\"step\":\"existing_account\"")
    );
}

#[test]
fn bad_lines_get_a_clear_answer_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("chat.db").display());
    let huge = "a".repeat(100 * 1024);
    let input = format!("2\n\n{huge}\n/frobnicate\n\u{7}\u{1b}[2J\nminhaloja\n");
    let (code, out) = chat(&db, &["--lang", "en", "--json"], &input);
    assert_eq!(code, 0);
    let texts: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("The answer was empty")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("at most 4,096 characters")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("I don’t know the command /frobnicate")),
        "{texts:?}"
    );
    assert!(
        texts.last().unwrap().contains("e-mail"),
        "the valid answer still goes through"
    );
}

/// One rule for every free-text answer: controls and direction overrides are refused, naming
/// the character, in the merchant's language; what is echoed back cannot drive the terminal;
/// a user id that could is refused before anything starts.
#[test]
fn hidden_characters_are_refused_on_the_way_in_and_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("chat.db").display());
    let input = "2\nminhaloja\nana\u{9B}@minhaloja.com\nana\u{202E}@minhaloja.com\n\
                 /x\u{1b}]0;OWNED\u{7}\u{1b}[2J\nana@minhaloja.com\n";
    let (code, out) = chat(&db, &["--lang", "pt-BR", "--user", "ana"], input);
    assert_eq!(code, 0);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{9B}') && !out.contains('\u{202E}'));
    let lines: Vec<&str> = out.lines().collect();
    for expected in [
        "• Contém um caractere de controle (U+009B), que não pode fazer parte de uma resposta; \
         digite de novo sem ele, por favor.",
        "• Contém um caractere invisível ou de direção de texto (U+202E), que costuma vir junto \
         quando se copia um texto; digite de novo em vez de colar, por favor.",
    ] {
        assert!(lines.contains(&expected), "{expected:?} not in\n{out}");
    }
    assert!(
        out.contains("/x[U+001B]]0;OWNED[U+0007][U+001B][2J"),
        "the unknown command is echoed as code points:\n{out}"
    );
    let (code, out, err) = run_binary(
        &db,
        &[
            "chat",
            "--lang",
            "en",
            "--user",
            "evil\u{1b}]0;OWNED\u{7}\u{1b}[2J",
        ],
        "2\n",
        &[],
    );
    assert_eq!(code, 2, "{out}");
    assert_eq!(
        err.trim(),
        "The user name contains a control or invisible character (U+001B): choose a plain \
         name with --user."
    );
}

/// Answers that bring a fresh conversation to each field step, in order.
fn script() -> Vec<Inbound> {
    answers_to_summary("(11) 98765-4321")
}

#[tokio::test]
async fn every_command_works_at_every_step() {
    let db = TestDb::sqlite();
    let clock = TestClock::at(thursday_noon());
    let bot = db.bot(&clock).await;
    let commands = [
        "/help",
        "/back",
        "/skip",
        "/cancel",
        "/restart",
        "/language",
        "/status",
        "/human",
        "/xyz",
    ];
    let mut visited = 0;
    for (n, command) in (0..=StepId::FIELDS.len()).flat_map(|n| commands.map(|c| (n, c))) {
        let merchant = Merchant {
            key: UserKey::new("matrix", &format!("{n}{command}")),
            locale_hint: Some(Locale::PtBr),
        };
        let mut step = StepId::ExistingAccount;
        let mut event = 0;
        // The script answers until step n is reached (the summary when n == 12).
        for input in script() {
            if step.position() == Some(n + 1)
                || (n == StepId::FIELDS.len() && step == StepId::Summary)
            {
                break;
            }
            event += 1;
            let id = format!("{n}{command}:{event}");
            step = bot.handle(&merchant, &id, input).await.unwrap().step;
        }
        let outcome = bot
            .handle(
                &merchant,
                &format!("{n}{command}"),
                Inbound::Text(command.to_owned()),
            )
            .await
            .unwrap();
        let ids: Vec<&str> = outcome
            .replies
            .iter()
            .map(|r| r.message.id.as_str())
            .collect();
        let case = format!(
            "{command} at {} (n = {n}): {ids:?} → {:?}",
            step.as_str(),
            outcome.step
        );
        assert!(!ids.is_empty(), "{case}");
        match command {
            "/help" => assert_eq!(
                ids[0],
                format!("help-{}", step.as_str().replace('_', "-")),
                "{case}"
            ),
            "/back" => assert_eq!(outcome.step, step.previous().unwrap_or(step), "{case}"),
            "/skip" if step == StepId::Description => {
                assert_eq!(outcome.step, StepId::BusinessVerification, "{case}")
            }
            "/skip" => assert_eq!(ids[0], "cannot-skip", "{case}"),
            "/cancel" => assert_eq!(ids, ["ask-confirm-cancel"], "{case}"),
            "/restart" => assert_eq!(ids, ["ask-confirm-restart"], "{case}"),
            "/language" => assert_eq!(ids, ["ask-language"], "{case}"),
            "/status" => assert_eq!(ids[0], "status-none", "{case}"),
            "/human" => assert_eq!(ids[0], "human-requested", "{case}"),
            _ => assert_eq!(ids[0], "unknown-command", "{case}"),
        }
        if command != "/back" && command != "/skip" {
            assert_eq!(outcome.step, step, "{case}: the step stays");
        }
        visited += 1;
    }
    assert_eq!(visited, 13 * commands.len());
    assert!(
        !bot.store()
            .pending_jobs("help_request")
            .await
            .unwrap()
            .is_empty()
    );
}

/// Values pasted inside a link, a label or a display form are read for what they carry, and the
/// merchant is told how an answer was read; a link holding some other id is refused by name.
#[test]
fn pasted_links_and_labels_are_read_for_the_value_they_carry() {
    let dir = tempfile::tempdir().unwrap();
    let logo = write(dir.path(), "logo.png", &png(640, 640));
    let cases = [
        (
            "en",
            vec![
                "No",
                "mystore",
                "Ana Souza <ana@MyStore.com>",
                "WABA ID: 1234567890123456",
                "https://www.facebook.com/mystore",
                "Business ID - 1234 5678 9012 3456",
                "1",
                "Blue Shoes",
                "1",
                "LOGO",
                "https://wa.me/message/ABCDEFG",
                "https://wa.me/5215512345678?text=Hi",
                "yes",
                "yes",
                "3",
                "Shopping and retail",
                "/skip",
                "2",
            ],
            vec![
                "• That is the ID of a WhatsApp Business Account (WABA), not of the business \
                 portfolio. In Meta Business Suite, open Settings > Business info and copy the ID \
                 under the business name.",
                "• That is the address of a Facebook or Instagram page; we need the business \
                 portfolio ID. In Meta Business Suite, open Settings > Business info and copy \
                 the ID under the business name.",
                "• A wa.me/message link doesn’t show the number it opens: type the number itself, \
                 with the country code.",
                "Number read from the link: +52 55 1234 5678.",
                "Mexican mobile numbers no longer take a 1 after +52, so I read it as \
                 +52 55 1234 5678.",
                "Does this number belong to your company?",
            ],
            [
                "• Contact e-mail: ana@mystore.com",
                "• Business portfolio ID: 1234567890123456",
                "• Phone number: +52 55 1234 5678",
            ],
        ),
        (
            "pt-BR",
            vec![
                "Não",
                "minhaloja",
                "mailto:ana@minhaloja.com.br?subject=WhatsApp",
                "https://business.facebook.com/latest/inbox?asset_id=1234567890123456",
                "https://business.facebook.com/latest/settings/business_info?business_id=1234567890123456",
                "Sim",
                "Loja Azul",
                "Sim",
                "LOGO",
                "https://api.whatsapp.com/send?text=oi",
                "Celular (WhatsApp): (21) 8765-4321",
                "Sim",
                "1",
                "1",
                "vestuário",
                "/pular",
                "3",
            ],
            vec![
                "• Esse link aponta para uma página ou outro ativo (asset_id), não para o \
                 Gerenciador de Negócios. No Meta Business Suite, abra Configurações > \
                 Informações da empresa e copie a identificação que aparece abaixo do nome da \
                 empresa.",
                "Identificação lida do link: 1234567890123456.",
                "• Esse link do WhatsApp não tem número de telefone: digite o próprio número, com \
                 o código do país.",
                "Os celulares do Brasil agora têm o 9 depois do DDD, então li o número como \
                 +55 21 98765-4321.",
                "Esse número consegue receber SMS ou ligação do exterior? É assim que a Meta \
                 envia o código de registro.",
            ],
            [
                "• E-mail de contato: ana@minhaloja.com.br",
                "• Identificação do Gerenciador de Negócios: 1234567890123456",
                "• Número de telefone: +55 21 98765-4321",
            ],
        ),
    ];
    for (lang, input, lines, summary) in cases {
        let db = format!(
            "sqlite://{}",
            dir.path().join(format!("{lang}.db")).display()
        );
        let input = input
            .iter()
            .map(|line| line.replace("LOGO", &logo.display().to_string()))
            .collect::<Vec<_>>()
            .join("\n");
        let (code, out) = chat(&db, &["--lang", lang, "--user", "ana"], &input);
        assert_eq!(code, 0, "{out}");
        let shown: Vec<&str> = out.lines().collect();
        for line in lines {
            assert!(shown.contains(&line), "{lang}: {line:?} not in\n{out}");
        }
        // What was read is what the request carries: the summary lists the unwrapped values.
        for value in summary {
            assert!(shown.contains(&value), "{lang}: {value:?} not in\n{out}");
        }
    }
}

#[test]
fn a_console_merchant_erases_their_answers_and_is_not_told_they_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("chat.db").display());
    let (code, out) = chat(
        &db,
        &["--lang", "pt-BR", "--user", "bia"],
        "2\nloja\n/apagar\n1\n",
    );
    assert_eq!(code, 0);
    assert!(out.contains("Os seus dados foram apagados"), "{out}");
    assert!(!out.contains("Suas respostas estão salvas"), "{out}");
    // The next chat starts from the beginning.
    let (_, again) = chat(&db, &["--lang", "en", "--user", "bia"], "");
    assert!(!again.contains("Welcome back"), "{again}");
}
