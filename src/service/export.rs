//! Requests as rows for a spreadsheet: one row per request with the fields a manager sorts and
//! counts by, written as CSV (RFC 4180, through the `csv` crate) or JSON. The store's contact
//! (e-mail, phone, business portfolio ID, the requester's chat id) is personal data and is left
//! out unless asked for.

use crate::domain::{RequestStatus, deadline};
use crate::storage::{RequestRow, Store};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

/// Which requests an export holds.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only requests in this status.
    pub status: Option<RequestStatus>,
    /// Only requests submitted on or after this day (São Paulo).
    pub since: Option<NaiveDate>,
    /// Only requests submitted on or before this day (São Paulo).
    pub until: Option<NaiveDate>,
    /// With the store's contact: `requester_email`, `phone` (E.164), `business_portfolio_id`,
    /// `requester` (`channel:user id`).
    pub include_contact: bool,
}

/// The columns, in order; the contact's last.
pub const COLUMNS: &[&str] = &[
    "reference",
    "status",
    "store_account",
    "display_name",
    "category",
    "channel",
    "created_at",
    "last_move_at",
    "business_days_in_status",
    "expected_by",
    "overdue",
    "path",
    "signup_state",
    "ticket_id",
    "merchant_unreachable",
    "findings",
];

/// The contact's columns, with `--include-contact`.
pub const CONTACT_COLUMNS: &[&str] = &[
    "requester_email",
    "phone",
    "business_portfolio_id",
    "requester",
];

fn instant(at: DateTime<Utc>) -> Value {
    json!(at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// One request as a row: each column's name and value (text, number, boolean or null).
/// `signup` is the state of its Embedded Signup session, if it has one: `path` is then `self`
/// (unless the merchant went back to the team, state `team`), else `team`.
pub fn row(
    request: &RequestRow,
    signup: Option<&str>,
    now: DateTime<Utc>,
    days: &deadline::BusinessDays,
    include_contact: bool,
) -> Vec<(&'static str, Value)> {
    let status = RequestStatus::parse(&request.status);
    let expected = status.and_then(|s| s.expected_by(request.status_changed_at));
    let overdue = expected.is_some_and(|d| deadline::local_date(now) > d)
        && status.is_some_and(|s| !s.is_final());
    let mut codes: Vec<&str> = request.problems.iter().map(|p| p.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut row = vec![
        ("reference", json!(request.reference)),
        ("status", json!(request.status)),
        ("store_account", json!(request.store_account)),
        ("display_name", json!(request.display_name)),
        ("category", json!(request.category)),
        ("channel", json!(request.requester.channel)),
        ("created_at", instant(request.created_at)),
        ("last_move_at", instant(request.status_changed_at)),
        (
            "business_days_in_status",
            json!(days.between(request.status_changed_at, now)),
        ),
        (
            "expected_by",
            expected.map_or(Value::Null, |d| json!(d.to_string())),
        ),
        ("overdue", json!(overdue)),
        (
            "path",
            json!(match signup {
                Some(state) if state != "team" => "self",
                _ => "team",
            }),
        ),
        ("signup_state", json!(signup)),
        ("ticket_id", json!(request.ticket_id)),
        ("merchant_unreachable", json!(request.unreachable)),
        ("findings", json!(codes.join(" "))),
    ];
    if include_contact {
        row.extend([
            ("requester_email", json!(request.requester_email)),
            ("phone", json!(request.phone)),
            (
                "business_portfolio_id",
                json!(request.business_portfolio_id),
            ),
            ("requester", json!(request.requester.key())),
        ]);
    }
    row
}

/// The rows of the requests `filter` selects, oldest first, as of `now`.
///
/// # Errors
/// A storage failure.
pub async fn rows(
    store: &Store,
    filter: &Filter,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Vec<(&'static str, Value)>>> {
    let mut rows = Vec::new();
    let signups = store.signup_states().await?;
    let requests = store.list_requests(filter.status).await?;
    let first = requests.first().map_or(now, |r| r.created_at);
    let days = deadline::BusinessDays::covering(
        deadline::local_date(first.min(now)),
        deadline::local_date(now),
    );
    for request in requests {
        let day = deadline::local_date(request.created_at);
        if filter.since.is_some_and(|since| day < since)
            || filter.until.is_some_and(|until| day > until)
        {
            continue;
        }
        let signup = signups.get(&request.id).map(String::as_str);
        rows.push(row(&request, signup, now, &days, filter.include_contact));
    }
    Ok(rows)
}

/// A cell as a spreadsheet should read it: text that starts like a formula (`=`, `+`, `-`,
/// `@`, a tab or a carriage return: a display name typed by a merchant, a phone in E.164) is
/// prefixed with `'`, so it is shown as text and never run (OWASP, "CSV Injection").
fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => return String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

/// Writes rows as CSV per RFC 4180: a header row, CRLF line ends, fields quoted where needed,
/// formula-like text defused (see [`cell`]). No rows still give the header.
///
/// # Errors
/// A write failure.
pub fn write_csv(
    out: impl std::io::Write,
    rows: &[Vec<(&'static str, Value)>],
    include_contact: bool,
) -> anyhow::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let mut header: Vec<&str> = COLUMNS.to_vec();
    if include_contact {
        header.extend(CONTACT_COLUMNS);
    }
    writer.write_record(&header)?;
    for row in rows {
        writer.write_record(row.iter().map(|(_, value)| cell(value)))?;
    }
    writer.flush()?;
    Ok(())
}

/// Rows as a JSON array of objects.
pub fn to_json(rows: &[Vec<(&'static str, Value)>]) -> Value {
    Value::Array(
        rows.iter()
            .map(|row| {
                Value::Object(
                    row.iter()
                        .map(|(key, value)| ((*key).to_owned(), value.clone()))
                        .collect::<Map<String, Value>>(),
                )
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::UserKey;
    use chrono::TimeZone;

    #[test]
    fn every_row_has_the_headers_columns_in_their_order() {
        let at = Utc.with_ymd_and_hms(2026, 11, 26, 15, 0, 0).unwrap();
        let request = RequestRow {
            id: "id".into(),
            reference: "WA-000001".into(),
            status: "in_review".into(),
            requester: UserKey::new("telegram", "42"),
            locale: "pt-BR".into(),
            store_account: "minhaloja".into(),
            requester_email: "ana@minhaloja.com.br".into(),
            business_portfolio_id: "123456789012345".into(),
            display_name: "=1+1".into(),
            phone: "+5511987654321".into(),
            category: "RETAIL".into(),
            description: None,
            existing_account: false,
            business_verification: "verified".into(),
            whatsapp_use: "not_in_use".into(),
            logo_format: "png".into(),
            logo_width: 640,
            logo_height: 640,
            logo_bytes: 7_680,
            problems: Vec::new(),
            created_at: at,
            updated_at: at,
            status_changed_at: at,
            ticket_id: None,
            info_fields: Vec::new(),
            info_reason: None,
            unreachable: false,
            erased_at: None,
        };
        let days =
            deadline::BusinessDays::covering(deadline::local_date(at), deadline::local_date(at));
        for contact in [false, true] {
            let row = row(&request, None, at, &days, contact);
            let keys: Vec<&str> = row.iter().map(|(key, _)| *key).collect();
            let mut header = COLUMNS.to_vec();
            if contact {
                header.extend(CONTACT_COLUMNS);
            }
            assert_eq!(keys, header);
            let mut csv = Vec::new();
            write_csv(&mut csv, &[row], contact).unwrap();
            let csv = String::from_utf8(csv).unwrap();
            assert!(
                csv.contains(",'=1+1,"),
                "a formula is shown, not run: {csv}"
            );
        }
    }
}
