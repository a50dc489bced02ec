//! Listings at scale on both backends: the database selects and pages (status, channel,
//! lateness and age turned into SQL), and its pages are the ones the same selection made in
//! memory gives, for every filter.

use crate::support::{backends, thursday_noon};
use chrono::Duration;
use sqlx::Connection;
use waba_onboard::domain::RequestStatus;
use waba_onboard::service::listing::{self, ListQuery};

const STATUSES: [&str; 6] = [
    "submitted",
    "in_review",
    "needs_info",
    "awaiting_client_approval",
    "active",
    "rejected",
];
const CHANNELS: [&str; 3] = ["telegram", "discord", "console"];

/// 120 requests submitted every 12 hours up to Thursday 26 November 2026, in six statuses and
/// three channels, each in its status since a few hours to a few weeks.
async fn seed(url: &str) {
    sqlx::any::install_default_drivers();
    let mut db = sqlx::AnyConnection::connect(url).await.unwrap();
    for i in 0..120_i64 {
        let created = thursday_noon() - Duration::hours(12 * (120 - i));
        let changed = created + Duration::hours((i * 7) % 200);
        let changed = changed.min(thursday_noon());
        sqlx::query(
            "INSERT INTO requests (id, reference, status, channel, user_id, locale, \
             store_account, requester_email, business_portfolio_id, display_name, phone, \
             category, existing_account, business_verification, whatsapp_use, logo, logo_format, \
             logo_width, logo_height, logo_bytes, problems, created_at, updated_at, \
             status_changed_at) VALUES ($1, $2, $3, $4, $5, 'pt-BR', $6, 'a@loja.com.br', \
             '123456789012345', $7, $8, 'RETAIL', 0, 'verified', 'not_in_use', $9, 'png', 640, \
             640, 7680, '[]', $10, $10, $11)",
        )
        .bind(format!("id-{i}"))
        .bind(format!("WA-{:06}", i + 1))
        .bind(STATUSES[(i % 6) as usize])
        .bind(CHANNELS[(i % 3) as usize])
        .bind(format!("u{i}"))
        .bind(format!("loja{i}"))
        .bind(format!("Loja {i}"))
        .bind(format!("+55119{:08}", i))
        .bind(Vec::<u8>::new())
        .bind(created.timestamp_millis())
        .bind(changed.timestamp_millis())
        .execute(&mut db)
        .await
        .unwrap();
    }
    db.close().await.unwrap();
}

#[tokio::test]
async fn the_database_pages_as_the_selection_in_memory_does() {
    for db in backends().await {
        let store = db.store().await;
        seed(&db.url).await;
        let now = thursday_noon();
        let mut queries = Vec::new();
        for status in [
            None,
            Some(RequestStatus::InReview),
            Some(RequestStatus::Active),
        ] {
            for channel in [None, Some("discord".to_owned())] {
                for (overdue, older_than) in [(false, None), (true, None), (false, Some(10))] {
                    for (limit, page) in [(7, 1), (7, 3), (50, 1), (5, 99)] {
                        queries.push(ListQuery {
                            status,
                            channel: channel.clone(),
                            overdue,
                            older_than,
                            limit,
                            page,
                        });
                    }
                }
            }
        }
        let everything = store.request_summaries().await.unwrap();
        assert_eq!(everything.len(), 120);
        let mut seen_late = false;
        for query in queries {
            let paged = listing::list(&store, query.clone(), now).await.unwrap();
            let expected = listing::select(everything.clone(), query.clone(), now).unwrap();
            assert_eq!(paged, expected, "{}: {query:?}", db.label);
            seen_late |= query.overdue && paged.total > 0;
        }
        assert!(seen_late, "some requests are late");
        store.close().await;
    }
}
