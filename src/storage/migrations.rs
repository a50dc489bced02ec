//! The migrations of both backends, embedded in the binary.

use super::Backend;
use sqlx::AnyPool;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use std::borrow::Cow;

const SQLITE: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../../migrations/sqlite/0001_initial.sql"),
    ),
    (
        2,
        "lifecycle",
        include_str!("../../migrations/sqlite/0002_lifecycle.sql"),
    ),
    (
        3,
        "draft nudges",
        include_str!("../../migrations/sqlite/0003_draft_nudges.sql"),
    ),
    (
        4,
        "leases",
        include_str!("../../migrations/sqlite/0004_leases.sql"),
    ),
    (
        5,
        "one open request per number",
        include_str!("../../migrations/sqlite/0005_one_open_request_per_number.sql"),
    ),
    (
        6,
        "event age",
        include_str!("../../migrations/sqlite/0006_event_age.sql"),
    ),
    (
        7,
        "staff board",
        include_str!("../../migrations/sqlite/0007_staff_board.sql"),
    ),
    (
        8,
        "console inbox locale",
        include_str!("../../migrations/sqlite/0008_console_inbox_locale.sql"),
    ),
    (
        9,
        "meta",
        include_str!("../../migrations/sqlite/0009_meta.sql"),
    ),
    (
        10,
        "signup",
        include_str!("../../migrations/sqlite/0010_signup.sql"),
    ),
    (
        11,
        "pipeline",
        include_str!("../../migrations/sqlite/0011_pipeline.sql"),
    ),
    (
        12,
        "send slots",
        include_str!("../../migrations/sqlite/0012_send_slots.sql"),
    ),
    (
        13,
        "erasure",
        include_str!("../../migrations/sqlite/0013_erasure.sql"),
    ),
    (
        14,
        "drafts in progress",
        include_str!("../../migrations/sqlite/0014_drafts_in_progress.sql"),
    ),
];

const POSTGRES: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        "lifecycle",
        include_str!("../../migrations/postgres/0002_lifecycle.sql"),
    ),
    (
        3,
        "draft nudges",
        include_str!("../../migrations/postgres/0003_draft_nudges.sql"),
    ),
    (
        4,
        "leases",
        include_str!("../../migrations/postgres/0004_leases.sql"),
    ),
    (
        5,
        "one open request per number",
        include_str!("../../migrations/postgres/0005_one_open_request_per_number.sql"),
    ),
    (
        6,
        "event age",
        include_str!("../../migrations/postgres/0006_event_age.sql"),
    ),
    (
        7,
        "staff board",
        include_str!("../../migrations/postgres/0007_staff_board.sql"),
    ),
    (
        8,
        "console inbox locale",
        include_str!("../../migrations/postgres/0008_console_inbox_locale.sql"),
    ),
    (
        9,
        "meta",
        include_str!("../../migrations/postgres/0009_meta.sql"),
    ),
    (
        10,
        "signup",
        include_str!("../../migrations/postgres/0010_signup.sql"),
    ),
    (
        11,
        "pipeline",
        include_str!("../../migrations/postgres/0011_pipeline.sql"),
    ),
    (
        12,
        "send slots",
        include_str!("../../migrations/postgres/0012_send_slots.sql"),
    ),
    (
        13,
        "erasure",
        include_str!("../../migrations/postgres/0013_erasure.sql"),
    ),
    (
        14,
        "drafts in progress",
        include_str!("../../migrations/postgres/0014_drafts_in_progress.sql"),
    ),
];

fn migrator(backend: Backend) -> Migrator {
    let sources = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    let migrations: Vec<Migration> = sources
        .iter()
        .map(|(version, description, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                Cow::Borrowed(*sql),
                false,
            )
        })
        .collect();
    Migrator {
        migrations: Cow::Owned(migrations),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

/// Applies what is missing. On PostgreSQL an advisory lock serializes instances starting
/// together; SQLite has none, so processes starting at once on a new file may race to apply the
/// same migration: the loser's transaction (the statements and their record) rolls back whole,
/// and it tries again, finding that migration applied.
pub async fn run(pool: &AnyPool, backend: Backend) -> Result<(), sqlx::migrate::MigrateError> {
    use sqlx::migrate::MigrateError;
    let migrator = migrator(backend);
    let mut tries: u64 = 0;
    loop {
        match migrator.run(pool).await {
            Err(MigrateError::Execute(_) | MigrateError::ExecuteMigration(..))
                if backend == Backend::Sqlite && tries < 30 =>
            {
                tries += 1;
                // A little apart, so that the racers do not meet again at once.
                let jitter = u64::from(uuid::Uuid::new_v4().as_u128() as u8) % 40;
                tokio::time::sleep(std::time::Duration::from_millis(10 + jitter)).await;
            }
            result => return result,
        }
    }
}

/// Whether every migration is applied.
pub async fn is_current(pool: &AnyPool, backend: Backend) -> bool {
    let latest = match backend {
        Backend::Sqlite => SQLITE.len(),
        Backend::Postgres => POSTGRES.len(),
    } as i64;
    let applied: Result<i64, _> =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(pool)
            .await;
    applied.is_ok_and(|n| n >= latest)
}
