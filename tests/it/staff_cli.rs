//! `requests` and `stats` as staff run them, and the notifications a console merchant finds at
//! the next chat.

use crate::support::{png, run_binary, typed_answers, write};
use serde_json::Value;

fn run(db: &str, args: &[&str], input: &str) -> (i32, String, String) {
    run_binary(db, args, input, &[])
}

#[test]
fn staff_work_a_request_from_the_command_line_and_the_merchant_sees_it_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("desk.db").display());
    let logo = write(dir.path(), "logo.png", &png(640, 640));
    let answers = typed_answers(&logo);
    let (code, out, _) = run(&db, &["chat", "--lang", "pt-BR", "--user", "ana"], &answers);
    assert_eq!(code, 0);
    assert!(out.contains("WA-000001"), "{out}");

    let (code, out, _) = run(&db, &["requests", "list", "--json"], "");
    assert_eq!(code, 0);
    let list: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list[0]["reference"], "WA-000001");
    assert_eq!(
        list[0]["ticket_id"], "WA-000001",
        "the builtin desk opened the ticket"
    );

    let (code, out, _) = run(&db, &["requests", "show", "WA-000001", "--json"], "");
    assert_eq!(code, 0);
    let show: Value = serde_json::from_str(&out).unwrap();
    for key in [
        "reference",
        "status",
        "store_account",
        "requester_email",
        "business_portfolio_id",
        "display_name",
        "phone",
        "category",
        "description",
        "locale",
        "channel",
        "logo",
        "problems",
        "created_at",
        "history",
    ] {
        assert!(
            show.get(key).is_some(),
            "requests show --json lacks {key}: {show}"
        );
    }
    assert_eq!(show["phone"], "+5511987654321");
    assert_eq!(show["logo"]["width"], 640);
    assert_eq!(show["problems"][0]["code"], "display_name.brand_match");
    assert!(chrono::DateTime::parse_from_rfc3339(show["created_at"].as_str().unwrap()).is_ok());

    // Bad operations: a clear message, the right exit code, nothing changed.
    let (code, _, err) = run(
        &db,
        &["requests", "advance", "WA-000001", "--to", "active"],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("can’t go from submitted to active"), "{err}");
    let (code, _, err) = run(
        &db,
        &["requests", "advance", "WA-000001", "--to", "done"],
        "",
    );
    assert_eq!(code, 2, "an unknown status is a usage error");
    assert!(err.contains("Unknown status “done”"), "{err}");
    let (code, _, err) = run(
        &db,
        &["requests", "advance", "WA-000042", "--to", "in_review"],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("There is no request WA-000042"), "{err}");
    let (code, _, _) = run(
        &db,
        &[
            "requests",
            "ask",
            "WA-000001",
            "--field",
            "colour",
            "--reason",
            "x",
        ],
        "",
    );
    assert_eq!(code, 1);

    let (code, out, _) = run(
        &db,
        &["requests", "advance", "WA-000001", "--to", "in_review"],
        "",
    );
    assert_eq!(code, 0, "{out}");
    let (code, _, _) = run(
        &db,
        &[
            "requests",
            "ask",
            "WA-000001",
            "--field",
            "display_name",
            "--reason",
            "O site diz Loja Azul Calçados",
        ],
        "",
    );
    assert_eq!(code, 0);
    let (_, out, _) = run(&db, &["requests", "show", "WA-000001", "--json"], "");
    let show: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(show["status"], "needs_info");
    assert_eq!(show["history"][2]["actor"], "cli:bob");
    assert_eq!(
        show["history"][2]["reason"],
        "O site diz Loja Azul Calçados"
    );

    // The merchant comes back: the news first, then exactly the field to fix.
    let (code, out, _) = run(
        &db,
        &["chat", "--lang", "pt-BR", "--user", "ana", "--json"],
        "Loja Azul Calçados\n1\n1\n",
    );
    assert_eq!(code, 0);
    let replies: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(replies[0]["step"], "notification");
    assert!(
        replies[0]["text"].as_str().unwrap().contains("em análise"),
        "{out}"
    );
    assert!(replies.iter().any(|r| {
        r["text"]
            .as_str()
            .unwrap()
            .contains("O site diz Loja Azul Calçados")
    }));
    assert_eq!(replies.last().unwrap()["step"], "done");
    let (_, out, _) = run(&db, &["requests", "show", "WA-000001", "--json"], "");
    let show: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(show["status"], "in_review");
    assert_eq!(show["display_name"], "Loja Azul Calçados");

    // Through every status to active; the merchant reads each move at the next chat.
    for to in [
        "awaiting_client_approval",
        "approved_by_client",
        "number_registered",
        "active",
    ] {
        let (code, out, err) = run(&db, &["requests", "advance", "WA-000001", "--to", to], "");
        assert_eq!(code, 0, "{to}: {out} {err}");
    }
    let (_, out, _) = run(
        &db,
        &["chat", "--lang", "en", "--user", "ana", "--json"],
        "",
    );
    let news: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["step"] == "notification")
        .map(|r| r["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(news.len(), 4, "{news:?}");
    assert!(
        news[0].contains("Configurações > Solicitações"),
        "in the merchant's language: {news:?}"
    );
    assert!(news[3].contains("está ativa"), "{news:?}");

    let (code, out, _) = run(&db, &["stats", "--json"], "");
    assert_eq!(code, 0);
    let stats: Value = serde_json::from_str(&out).unwrap();
    let stage = |status: &str| {
        stats["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["status"] == status)
            .cloned()
            .unwrap()
    };
    assert_eq!(stage("active")["now"], 1);
    assert_eq!(stage("in_review")["now"], 0);
    // In review twice: before the fix the merchant was asked for, and after.
    assert_eq!(stage("in_review")["stays"], 2);
    assert_eq!(stats["submitted"], 1);
    assert_eq!(stats["activated"], 1);
    assert_eq!(stats["median_days_to_active"], 0.0);
    assert_eq!(stats["overdue_now"], 0);

    // The same in words for a manager, and as a picture.
    let chart = dir.path().join("pipeline.png");
    let (code, out, err) = run(
        &db,
        &[
            "stats",
            "--lang",
            "pt-BR",
            "--chart",
            chart.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Funil de "), "{out}");
    assert!(out.contains("Enviadas: 1 · ativadas: 1"), "{out}");
    assert!(out.contains("ativa no WhatsApp: 1"), "{out}");
    let image = image::open(&chart).expect("a PNG").to_rgb8();
    assert_eq!(image.dimensions(), (1080, 1350));

    // The numbers go to a spreadsheet: CSV read back by the CSV crate, no contact by default.
    let (code, out, err) = run(&db, &["requests", "export"], "");
    assert_eq!(code, 0, "{err}");
    let mut csv = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[..3], ["reference", "status", "store_account"]);
    assert!(
        !header
            .iter()
            .any(|h| h == "phone" || h == "requester_email")
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let field = |name: &str| {
        let i = header.iter().position(|h| h == name).unwrap();
        rows[0][i].to_owned()
    };
    assert_eq!(field("reference"), "WA-000001");
    assert_eq!(field("status"), "active");
    assert_eq!(field("display_name"), "Loja Azul Calçados");
    assert_eq!(field("channel"), "console");
    assert_eq!(field("overdue"), "false");
    assert_eq!(field("path"), "team");
    assert!(!out.contains("ana@minhaloja.com.br") && !out.contains("+5511"));
    assert!(out.contains("\r\n"), "RFC 4180 ends lines with CRLF");
    // With the contact: the E.164 phone is text to a spreadsheet, not a number or a formula.
    let (code, out, _) = run(&db, &["requests", "export", "--include-contact"], "");
    assert_eq!(code, 0);
    let mut csv = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    let row = csv.records().next().unwrap().unwrap();
    let phone = header.iter().position(|h| h == "phone").unwrap();
    assert_eq!(&row[phone], "'+5511987654321");
    // The contact only when asked for; JSON keyed like the CSV.
    let (code, out, _) = run(
        &db,
        &[
            "requests",
            "export",
            "--format",
            "json",
            "--include-contact",
            "--status",
            "active",
        ],
        "",
    );
    assert_eq!(code, 0);
    let rows: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["requester_email"], "ana@minhaloja.com.br");
    assert_eq!(rows[0]["phone"], "+5511987654321");
    assert_eq!(rows[0]["overdue"], false);
    let (code, out, _) = run(
        &db,
        &[
            "requests",
            "export",
            "--status",
            "in_review",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!((code, out.trim()), (0, "[]"));
    let (code, out, err) = run(&db, &["requests", "export", "--since", "2999-01-01"], "");
    assert_eq!(code, 2, "{out} {err}");
    assert!(err.contains("is in the future"), "{err}");
    let (code, _, err) = run(&db, &["requests", "export", "--status", "done"], "");
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_bad_period_is_refused_with_exit_2_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("period.db").display());
    for (args, says) in [
        (
            vec!["stats", "--lang", "en", "--since", "03/11/2026"],
            "“03/11/2026” is not a date: write it as YYYY-MM-DD",
        ),
        (
            vec!["stats", "--lang", "en", "--until", "2999-01-01"],
            "is in the future",
        ),
        (
            vec![
                "stats",
                "--lang",
                "pt-BR",
                "--since",
                "2026-11-10",
                "--until",
                "2026-11-03",
            ],
            "está vazio: o primeiro dia não pode vir depois do último",
        ),
        (
            vec!["stats", "--lang", "en", "--since=-262143-01-01"],
            "is too long: ask for 366 days at most",
        ),
    ] {
        let (code, out, err) = run(&db, &args, "");
        assert_eq!(code, 2, "{args:?}: {out} {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.is_empty(), "{out}");
    }
    let chart = dir.path().join("quiet.png");
    let (code, out, _) = run(
        &db,
        &["stats", "--lang", "en", "--chart", chart.to_str().unwrap()],
        "",
    );
    assert_eq!(code, 0);
    assert!(out.contains("Nothing happened in this period"), "{out}");
    assert!(chart.exists());
    let (code, _, err) = run(
        &db,
        &[
            "stats",
            "--lang",
            "en",
            "--chart",
            dir.path().join("no/such/dir.png").to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("Couldn’t write the chart to"), "{err}");
}

#[test]
fn a_visible_note_reaches_the_merchant_and_an_internal_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("notes.db").display());
    let logo = write(dir.path(), "logo.png", &png(640, 640));
    let (code, _, _) = run(
        &db,
        &["chat", "--lang", "pt-BR", "--user", "ana"],
        &typed_answers(&logo),
    );
    assert_eq!(code, 0);
    let note = |text: &str, visible: bool| {
        let mut args = vec!["requests", "note", "WA-000001", "--text", text];
        if visible {
            args.push("--visible");
        }
        let (code, out, err) = run(&db, &args, "");
        assert_eq!(code, 0, "{out} {err}");
    };
    note("Ligamos para a loja e ninguém atendeu", false);
    note(
        "Tentamos ligar para a loja; responda por aqui quando puder.",
        true,
    );
    // Both are on the request, for staff.
    let (_, out, _) = run(&db, &["requests", "show", "WA-000001", "--json"], "");
    let show: Value = serde_json::from_str(&out).unwrap();
    let notes: Vec<&str> = show["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        notes,
        [
            "Ligamos para a loja e ninguém atendeu",
            "Tentamos ligar para a loja; responda por aqui quando puder."
        ]
    );
    // The merchant finds only the visible one, once.
    let news = |db: &str| -> Vec<String> {
        let (_, out, _) = run(db, &["chat", "--user", "ana", "--json"], "");
        out.lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|r| r["step"] == "notification")
            .map(|r| r["text"].as_str().unwrap().to_owned())
            .collect()
    };
    let seen = news(&db);
    assert_eq!(seen.len(), 1, "{seen:#?}");
    insta::assert_snapshot!("visible_note_pt_br", seen[0]);
    assert!(news(&db).is_empty());
}

/// Every text value of every table, for looking for personal data left behind.
async fn every_text(db: &str) -> String {
    sqlx::any::install_default_drivers();
    let store = waba_onboard::storage::Store::connect(db).await.unwrap();
    let mut all = String::new();
    for table in [
        "requests",
        "request_history",
        "request_notes",
        "drafts",
        "outbox",
        "console_inbox",
        "erasures",
    ] {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(store.pool())
            .await
            .unwrap();
        for row in rows {
            use sqlx::{Column, Row};
            for column in row.columns() {
                if let Ok(Some(text)) = row.try_get::<Option<String>, _>(column.ordinal()) {
                    all.push_str(&text);
                    all.push('\n');
                }
            }
        }
    }
    store.close().await;
    all
}

#[tokio::test]
async fn staff_erase_a_merchants_personal_data_and_keep_the_request_for_the_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("desk.db").display());
    let logo = write(dir.path(), "logo.png", &png(640, 640));
    let (code, out, _) = run(
        &db,
        &["chat", "--lang", "pt-BR", "--user", "ana"],
        &typed_answers(&logo),
    );
    assert_eq!(code, 0, "{out}");
    let (code, _, err) = run(
        &db,
        &[
            "requests",
            "note",
            "WA-000001",
            "--text",
            "Ana ligou do 11 98765-4321",
            "--visible",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let personal = [
        "ana@minhaloja.com.br",
        "123456789012345",
        "5511987654321",
        "98765-4321",
        "minhaloja",
        "Loja Azul",
    ];
    let before = every_text(&db).await;
    assert!(personal.iter().all(|p| before.contains(p)), "{before}");

    // Without --confirm nothing is done.
    let (code, _, err) = run(&db, &["requests", "erase", "WA-000001"], "");
    assert_eq!(code, 2);
    assert!(err.contains("--confirm"), "{err}");
    assert_eq!(every_text(&db).await, before);

    let (code, out, err) = run(&db, &["requests", "erase", "WA-000001", "--confirm"], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("WA-000001"), "{out}");
    let after = every_text(&db).await;
    for value in personal {
        assert!(!after.contains(value), "{value} left behind:\n{after}");
    }
    // The request stays, cancelled, with its history and the audit line.
    let (code, out, _) = run(&db, &["requests", "show", "WA-000001", "--json"], "");
    assert_eq!(code, 0);
    let show: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(show["status"], "cancelled");
    assert!(show["erased_at"].is_string(), "{show}");
    assert_eq!(show["history"].as_array().unwrap().len(), 2, "{show}");
    assert!(
        after.contains("cli:bob"),
        "the erasure is recorded with who asked"
    );
    let (code, out, _) = run(&db, &["stats", "--json"], "");
    assert_eq!(code, 0);
    assert!(out.contains("cancelled"), "{out}");
    // Erasing again changes nothing more.
    let (code, _, _) = run(&db, &["requests", "erase", "WA-000001", "--confirm"], "");
    assert_eq!(code, 0);
    assert_eq!(every_text(&db).await, after);
}
