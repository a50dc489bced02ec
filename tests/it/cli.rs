//! `waba-onboard validate`, run as a user runs it: the real binary, its exit codes, its JSON.

use crate::support::{png, write};
use serde_json::Value;
use std::process::Command;

fn validate(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_waba-onboard"))
        .arg("validate")
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn json(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.push("--json");
    let (code, stdout, stderr) = validate(&all);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout} {stderr}"));
    (code, value)
}

#[test]
fn every_field_gives_a_verdict_an_exit_code_and_the_documented_json() {
    /// (field, value, extra args, exit code, verdict, a code among the problems)
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a [&'a str],
        i32,
        &'a str,
        Option<&'a str>,
    );
    let cases: &[Case] = &[
        (
            "phone",
            "(11) 98765-4321",
            &["--lang", "pt-BR"],
            0,
            "accept",
            None,
        ),
        (
            "phone",
            "(11) 3456-7890",
            &["--region", "BR"],
            0,
            "warn",
            Some("phone.fixed_line"),
        ),
        (
            "phone",
            "0800 123 4567",
            &["--region", "br"],
            0,
            "warn",
            Some("phone.toll_free"),
        ),
        (
            "phone",
            "190",
            &["--lang", "pt-BR"],
            1,
            "reject",
            Some("phone.short_code"),
        ),
        ("phone", "28282", &[], 1, "reject", Some("phone.short_code")),
        (
            "phone",
            "11 98765-4321",
            &["--lang", "en"],
            1,
            "reject",
            Some("phone.missing_country_code"),
        ),
        (
            "display-name",
            "Loja Azul",
            &[],
            0,
            "review",
            Some("display_name.brand_match"),
        ),
        (
            "display-name",
            "LOJA AZUL",
            &[],
            1,
            "reject",
            Some("display_name.all_caps"),
        ),
        (
            "display-name",
            "Loja Oficial",
            &[],
            1,
            "reject",
            Some("display_name.reserved_word"),
        ),
        ("business-id", "1234 5678 9012 345", &[], 0, "accept", None),
        (
            "business-id",
            "1234567890",
            &[],
            0,
            "warn",
            Some("business_id.unusual_length"),
        ),
        (
            "business-id",
            "12ab",
            &[],
            1,
            "reject",
            Some("business_id.not_digits"),
        ),
        ("email", "ana@loja.com.br", &[], 0, "accept", None),
        ("email", "ana@", &[], 1, "reject", Some("email.invalid")),
        ("store-account", "minhaloja", &[], 0, "accept", None),
        (
            "store-account",
            "minha loja",
            &[],
            1,
            "reject",
            Some("store_account.space"),
        ),
        ("category", "Compras e varejo", &[], 0, "accept", None),
        (
            "category",
            "alcohol",
            &[],
            0,
            "review",
            Some("category.restricted"),
        ),
        (
            "category",
            "spaceships",
            &[],
            1,
            "reject",
            Some("category.unknown"),
        ),
        (
            "description",
            "Moda praia desde 1998",
            &[],
            0,
            "accept",
            None,
        ),
    ];
    for (field, value, extra, code, verdict, problem) in cases {
        let mut args = vec![*field, *value];
        args.extend_from_slice(extra);
        let (exit, doc) = json(&args);
        let case = format!("{field} {value:?}");
        assert_eq!(exit, *code, "{case}: {doc}");
        assert_eq!(doc["field"], *field, "{case}");
        assert_eq!(doc["verdict"], *verdict, "{case}: {doc}");
        assert_eq!(
            doc["normalized"].is_null(),
            *verdict == "reject",
            "{case}: {doc}"
        );
        let problems = doc["problems"].as_array().unwrap();
        for p in problems {
            assert!(
                p["code"].is_string() && p["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{case}"
            );
        }
        if let Some(problem) = problem {
            assert!(
                problems.iter().any(|p| p["code"] == *problem),
                "{case}: {doc}"
            );
        }
    }
    let (_, doc) = json(&["phone", "(11) 98765-4321", "--region", "BR"]);
    assert_eq!(doc["normalized"], "+5511987654321");
    // The value a request would carry, once read out of what was pasted, and how it was read.
    for (args, normalized, message) in [
        (
            ["phone", "https://wa.me/573001234567"],
            "+573001234567",
            "Number read from the link: +57 300 1234567.",
        ),
        (
            [
                "business-id",
                "https://business.facebook.com/settings/info?business_id=1234567890123456",
            ],
            "1234567890123456",
            "Read from the link: business portfolio ID 1234567890123456.",
        ),
        (
            ["phone", "+39 06 1234 5678"],
            "+390612345678",
            "This is a landline: the registration code will come by voice call, so the line \
             must be answered directly (no menu, IVR or call forwarding).",
        ),
        (["email", "Ana <ana@Loja.com>"], "ana@loja.com", ""),
    ] {
        let (exit, doc) = json(&[args[0], args[1], "--lang", "en"]);
        assert_eq!(exit, 0, "{args:?}: {doc}");
        assert_eq!(doc["normalized"], normalized, "{args:?}");
        let messages: Vec<&str> = doc["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["message"].as_str())
            .collect();
        let expected: Vec<&str> = [message].into_iter().filter(|m| !m.is_empty()).collect();
        assert_eq!(messages, expected, "{args:?}");
    }
}

#[test]
fn human_output_is_localized() {
    let (code, out, _) = validate(&["phone", "190", "--lang", "pt-BR"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("Recusado."), "{out}");
    assert!(out.contains("190 é um número curto"), "{out}");
    let (code, out, _) = validate(&["phone", "190", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(out.contains("190 is a short number"), "{out}");
    let (code, out, _) = validate(&["display-name", "Juice", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "Warning: “Juice” is only a generic term: Meta refuses names that don’t identify \
             your brand (its own examples are “Juice” and “Fashion”). Add your brand’s own name."
        ),
        "{out}"
    );
    let (code, out, _) = validate(&["display-name", "Rio de Janeiro", "--lang", "pt-BR"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "Aviso: “Rio de Janeiro” é só o nome de um lugar: a Meta recusa nomes que são \
             apenas uma localização geográfica. Inclua o nome próprio da sua marca."
        ),
        "{out}"
    );
    let (code, out, _) = validate(&["display-name", "ZeNvIa", "--lang", "pt-BR"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("As letras maiúsculas em “ZeNvIa” parecem aleatórias"),
        "{out}"
    );
}

#[test]
fn usage_errors_exit_with_2_and_a_clear_message() {
    let (code, _, err) = validate(&["colour", "blue"]);
    assert_eq!(code, 2);
    assert!(err.contains("Unknown field “colour”"), "{err}");
    let (code, _, err) = validate(&["phone", "190", "--region", "ZZZ", "--lang", "pt-BR"]);
    assert_eq!(code, 2);
    assert!(err.contains("Região desconhecida"), "{err}");
    let (code, _, err) = validate(&["phone", "190", "--lang", "klingon"]);
    assert_eq!(code, 2);
    assert!(err.contains("klingon"), "{err}");
    let (code, _, _) = validate(&["phone"]);
    assert_eq!(code, 2);
}

#[test]
fn logos_are_judged_by_their_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "logo.png", &png(640, 640));
    let wide = write(dir.path(), "wide.png", &png(800, 600));
    let gif = write(
        dir.path(),
        "renamed.png",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    );
    let pdf = write(dir.path(), "doc.png", b"%PDF-1.4\n%\xe2\xe3\n");
    let svg = write(
        dir.path(),
        "vector.png",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let mut jpeg = Vec::new();
    image::ImageBuffer::from_pixel(640, 640, image::Rgb([9u8, 9, 9]))
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    jpeg.truncate(jpeg.len() / 3);
    let truncated = write(dir.path(), "cut.jpg", &jpeg);
    let text = write(
        dir.path(),
        "notes.png",
        "não é imagem \u{0}\u{fffd}".as_bytes(),
    );
    let big = write(dir.path(), "big.png", &vec![0u8; 6 * 1024 * 1024]);
    let cases = [
        (good.display().to_string(), 0, None),
        (wide.display().to_string(), 1, Some("logo.not_square")),
        (
            gif.display().to_string(),
            1,
            Some("logo.unsupported_format"),
        ),
        (
            pdf.display().to_string(),
            1,
            Some("logo.unsupported_format"),
        ),
        (
            svg.display().to_string(),
            1,
            Some("logo.unsupported_format"),
        ),
        (truncated.display().to_string(), 1, Some("logo.corrupt")),
        (text.display().to_string(), 1, Some("logo.unknown_format")),
        (big.display().to_string(), 1, Some("logo.too_large")),
        (
            dir.path().display().to_string(),
            1,
            Some("logo.is_directory"),
        ),
        (
            dir.path().join("missing.png").display().to_string(),
            1,
            Some("logo.file_not_found"),
        ),
    ];
    for (path, code, problem) in cases {
        let (exit, doc) = json(&["logo", &path]);
        assert_eq!(exit, code, "{path}: {doc}");
        if let Some(problem) = problem {
            assert_eq!(doc["problems"][0]["code"], problem, "{path}: {doc}");
        }
    }
}

#[test]
fn twenty_chats_started_at_once_on_a_new_database_all_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("new.db").display());
    let started: Vec<_> = (0..20)
        .map(|i| {
            let db = db.clone();
            std::thread::spawn(move || {
                crate::support::run_binary(&db, &["chat", "--user", &format!("loja{i}")], "", &[])
            })
        })
        .collect();
    for chat in started {
        let (code, out, err) = chat.join().unwrap();
        assert_eq!(code, 0, "{out}{err}");
        assert!(!err.contains("database"), "{err}");
    }
}
