//! Meta's side of onboarding, for a Solution Partner: the webhook that tells the partner when a
//! store's admin accepts its request and how the display name review ended, and the Graph API
//! client that adds, verifies and registers the store's number.
//!
//! Sources (Meta's WhatsApp Business Platform documentation): webhooks
//! (`developers.facebook.com/documentation/business-messaging/whatsapp/webhooks`, fields
//! `account_update` and `phone_number_name_update`), registering phone numbers
//! (`…/solution-providers/registering-phone-numbers`), managing client accounts
//! (`…/solution-providers/manage-accounts`) and error codes (`…/support/error-codes`).

pub mod graph;
pub mod signup;
pub mod webhook;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// One change of a webhook notification (`entry[].changes[]`), with what identifies it.
///
/// A notification is `{"object": "whatsapp_business_account", "entry": [{"id": WABA_ID,
/// "time": UNIX_SECONDS, "changes": [{"field": FIELD, "value": {…}}]}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// SHA-256 (hex) of the entry's id and time, the field and the value: Meta sends the same
    /// change again until it is acknowledged, and it is handled once.
    pub key: String,
    /// The entry's id: the WhatsApp Business account the change is about.
    pub waba_id: String,
    /// The entry's time (Unix seconds), when given.
    #[serde(default)]
    pub time: Option<i64>,
    /// `account_update`, `phone_number_name_update`, …
    pub field: String,
    /// The change itself.
    pub value: Value,
}

/// Why a webhook body is not a notification.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a WhatsApp Business Account notification: {0}")]
pub struct Malformed(pub &'static str);

/// An id as Meta writes it: a string or, in some samples, a number.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The changes of a webhook body, in order.
///
/// # Errors
/// [`Malformed`] when the body is not JSON, names another `object`, or has no `entry` list
/// of `{id, changes: [{field, value}]}`.
pub fn changes(body: &[u8]) -> Result<Vec<Change>, Malformed> {
    let payload: Value = serde_json::from_slice(body).map_err(|_| Malformed("not JSON"))?;
    match payload.get("object") {
        None => {}
        Some(Value::String(object)) if object == "whatsapp_business_account" => {}
        Some(_) => return Err(Malformed("another object")),
    }
    let entries = payload["entry"]
        .as_array()
        .ok_or(Malformed("no entry list"))?;
    let mut out = Vec::new();
    for entry in entries {
        let waba_id = id_text(&entry["id"]).ok_or(Malformed("an entry without id"))?;
        let time = entry["time"].as_i64();
        let list = entry["changes"]
            .as_array()
            .ok_or(Malformed("an entry without changes"))?;
        for change in list {
            let field = change["field"]
                .as_str()
                .ok_or(Malformed("a change without field"))?;
            let value = change
                .get("value")
                .filter(|v| v.is_object())
                .ok_or(Malformed("a change without value"))?;
            let mut hash = Sha256::new();
            // serde_json's maps are ordered by key: the same change hashes the same.
            for part in [
                waba_id.as_str(),
                &time.map(|t| t.to_string()).unwrap_or_default(),
                field,
                &value.to_string(),
            ] {
                hash.update(part.as_bytes());
                hash.update([0]);
            }
            out.push(Change {
                key: format!("{:x}", hash.finalize()),
                waba_id: waba_id.clone(),
                time,
                field: field.to_owned(),
                value: value.clone(),
            });
        }
    }
    Ok(out)
}

/// What a change means for the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `account_update` `PARTNER_ADDED` or `PARTNER_APP_INSTALLED`: the store's admin accepted
    /// the partner's request; the account is `waba_id`, owned by the portfolio
    /// `owner_business_id`.
    Accepted {
        /// `PARTNER_ADDED` or `PARTNER_APP_INSTALLED`.
        event: String,
        /// The client's WhatsApp Business account.
        waba_id: String,
        /// The client's business portfolio.
        owner_business_id: String,
    },
    /// `account_update` news staff must see on a known account: `PARTNER_REMOVED`,
    /// `PARTNER_APP_UNINSTALLED`, `ACCOUNT_VIOLATION` (`violation_info.violation_type`),
    /// `DISABLED_UPDATE` (`ban_info.waba_ban_state`), `ACCOUNT_DELETED`.
    Alert {
        /// The event's name.
        event: String,
        /// The account.
        waba_id: String,
        /// The violation type or ban state, when given.
        detail: Option<String>,
    },
    /// `phone_number_name_update`: the display name review ended.
    NameReview {
        /// The account.
        waba_id: String,
        /// The number, digits only (Meta's `display_phone_number`, `15550783881`).
        phone_digits: String,
        /// `APPROVED`, `REJECTED`, `DEFERRED` or `PENDING`.
        decision: String,
        /// The name reviewed.
        requested_name: String,
        /// Why it was rejected (`NAME_FORMAT_UNACCEPTABLE`, …), when it was.
        rejection_reason: Option<String>,
    },
    /// Anything else (a field or event the bot does not act on).
    Other,
}

impl Change {
    /// The WhatsApp Business account the change is about: `waba_info.waba_id` when Meta names
    /// one (an `account_update` is sent on the partner's entry), else the entry's id.
    pub fn account(&self) -> String {
        match self.event() {
            Event::Accepted { waba_id, .. }
            | Event::Alert { waba_id, .. }
            | Event::NameReview { waba_id, .. } => waba_id,
            Event::Other => self.waba_id.clone(),
        }
    }

    /// What the change means.
    pub fn event(&self) -> Event {
        let value = &self.value;
        fn text(v: &Value) -> Option<&str> {
            v.as_str().map(str::trim).filter(|s| !s.is_empty())
        }
        match self.field.as_str() {
            "account_update" => {
                let event = text(&value["event"]).unwrap_or_default().to_owned();
                let waba_id =
                    id_text(&value["waba_info"]["waba_id"]).unwrap_or_else(|| self.waba_id.clone());
                match event.as_str() {
                    "PARTNER_ADDED" | "PARTNER_APP_INSTALLED" => {
                        match id_text(&value["waba_info"]["owner_business_id"]) {
                            Some(owner_business_id) => Event::Accepted {
                                event,
                                waba_id,
                                owner_business_id,
                            },
                            None => Event::Other,
                        }
                    }
                    "PARTNER_REMOVED"
                    | "PARTNER_APP_UNINSTALLED"
                    | "ACCOUNT_VIOLATION"
                    | "DISABLED_UPDATE"
                    | "ACCOUNT_DELETED" => Event::Alert {
                        detail: text(&value["violation_info"]["violation_type"])
                            .or_else(|| text(&value["ban_info"]["waba_ban_state"]))
                            .map(str::to_owned),
                        event,
                        waba_id,
                    },
                    _ => Event::Other,
                }
            }
            "phone_number_name_update" => {
                let phone_digits: String = text(&value["display_phone_number"])
                    .unwrap_or_default()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                match text(&value["decision"]) {
                    Some(decision) if !phone_digits.is_empty() => Event::NameReview {
                        waba_id: self.waba_id.clone(),
                        phone_digits,
                        decision: decision.to_ascii_uppercase(),
                        requested_name: text(&value["requested_verified_name"])
                            .unwrap_or_default()
                            .to_owned(),
                        rejection_reason: text(&value["rejection_reason"]).map(str::to_owned),
                    },
                    _ => Event::Other,
                }
            }
            _ => Event::Other,
        }
    }
}

/// The display name rejection reasons Meta documents (`phone_number_name_update`
/// `rejection_reason`); each has its explanation (`meta-name-rejected-<reason>`, lower case
/// with dashes). Any other reason is shown as Meta wrote it.
pub const NAME_REJECTION_REASONS: [&str; 6] = [
    "NAME_EMPLOYEE_ISSUE",
    "NAME_ENDCLIENT_NOTRELATED",
    "NAME_FORMAT_UNACCEPTABLE",
    "NAME_INDIVIDUAL_ISSUE",
    "NAME_NOT_CONSISTENT",
    "UNKNOWN",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notification_is_read_into_changes_each_with_a_stable_key() {
        let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","time":1731000000,"changes":[{"field":"account_update","value":{"event":"PARTNER_ADDED","waba_info":{"waba_id":"495708166922390","owner_business_id":"2729063490586005"}}}]}]}"#;
        let changes = changes(body).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(
            changes[0].event(),
            Event::Accepted {
                event: "PARTNER_ADDED".into(),
                waba_id: "495708166922390".into(),
                owner_business_id: "2729063490586005".into(),
            }
        );
        // The same change, its keys in another order, is the same change.
        let again = br#"{"entry":[{"time":1731000000,"id":"102290129340398","changes":[{"value":{"waba_info":{"owner_business_id":"2729063490586005","waba_id":"495708166922390"},"event":"PARTNER_ADDED"},"field":"account_update"}]}]}"#;
        assert_eq!(super::changes(again).unwrap()[0].key, changes[0].key);
    }

    #[test]
    fn a_name_review_gives_the_number_digits_and_the_reason() {
        let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","time":1,"changes":[{"field":"phone_number_name_update","value":{"display_phone_number":"+55 11 98765-4321","decision":"REJECTED","requested_verified_name":"Loja Azul","rejection_reason":"NAME_FORMAT_UNACCEPTABLE"}}]}]}"#;
        match changes(body).unwrap()[0].event() {
            Event::NameReview {
                phone_digits,
                decision,
                rejection_reason,
                ..
            } => {
                assert_eq!(phone_digits, "5511987654321");
                assert_eq!(decision, "REJECTED");
                assert_eq!(
                    rejection_reason.as_deref(),
                    Some("NAME_FORMAT_UNACCEPTABLE")
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bodies_that_are_not_notifications_are_refused() {
        for body in [
            &b"not json"[..],
            br#"[]"#,
            br#"{"object":"page","entry":[]}"#,
            br#"{"entry":[{"changes":[]}]}"#,
            br#"{"entry":[{"id":"1","changes":[{"field":"x"}]}]}"#,
            br#"{"entry":[{"id":"1","changes":[{"value":{}}]}]}"#,
        ] {
            assert!(changes(body).is_err(), "{}", String::from_utf8_lossy(body));
        }
    }
}
