//! Personal data stays out of the logs: a whole conversation and staff's look at its request,
//! logged at `debug`, never show the merchant's phone, e-mail or portfolio id in full.

use crate::support::{ANA, TestDb, png, run_binary, typed_answers, write};

/// The values that must not appear, in the forms a log line could carry them.
const PERSONAL: [&str; 6] = [
    ANA.email,
    ANA.business_id,
    "98765-4321",
    "987654321",
    "11987654321",
    "5511987654321",
];

#[test]
fn a_conversation_and_staff_commands_log_no_personal_data_at_debug() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let logo = write(dir.path(), "logo.png", &png(640, 640));
    let debug = [("RUST_LOG", "debug")];
    let mut logs = String::new();
    let (code, out, err) = run_binary(
        &db.url,
        &["chat", "--lang", "pt-BR", "--user", "ana"],
        &typed_answers(&logo),
        &debug,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("WA-000001"), "{out}");
    logs.push_str(&err);
    for args in [
        &["requests", "list"][..],
        &["requests", "show", "WA-000001"],
        &["requests", "advance", "WA-000001", "--to", "in_review"],
        &["stats"],
        &["validate", "phone", "+55 11 98765-4321"],
        &["validate", "email", ANA.email],
        &["validate", "business-id", ANA.business_id],
    ] {
        let (code, out, err) = run_binary(&db.url, args, "", &debug);
        assert!(code == 0 || code == 1, "{args:?}: {out}{err}");
        logs.push_str(&err);
    }
    // The logs are there (at debug), and they name the request.
    assert!(logs.contains("DEBUG"), "{logs}");
    assert!(logs.contains("WA-000001"), "{logs}");
    // The submission was logged with the number, masked.
    assert!(logs.contains("***4321"), "{logs}");
    for value in PERSONAL {
        assert!(!logs.contains(value), "{value} in the logs:\n{logs}");
    }
}
