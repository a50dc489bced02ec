//! The lifecycle of an onboarding request: ten statuses and who may move a request between them.
//!
//! ```text
//! submitted ─► in_review ─► awaiting_client_approval ─► approved_by_client ─► number_registered ─► active
//!                 ▲   │              │
//!                 │   ▼              └─► expired (system, 90 days)
//!              needs_info ◄── any open status (staff)
//! any open status ─► rejected (staff) │ cancelled (merchant or staff)
//! ```

use serde::{Deserialize, Serialize};

/// Where a request stands. Stored as TEXT by [`RequestStatus::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Confirmed by the merchant; ticket opened.
    Submitted,
    /// Staff are checking the data.
    InReview,
    /// Staff asked the merchant to fix named fields.
    NeedsInfo,
    /// The partner's request was sent; the store's admin must accept it in Business Manager.
    AwaitingClientApproval,
    /// The admin accepted.
    ApprovedByClient,
    /// Number added, code verified, registered.
    NumberRegistered,
    /// Display name approved; integration live (final).
    Active,
    /// Refused, with a reason (final).
    Rejected,
    /// Withdrawn by the merchant or staff (final).
    Cancelled,
    /// Not accepted within 90 days (final).
    Expired,
}

/// Who acts on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The merchant who asked (on their own requests only).
    Merchant,
    /// The partner's support staff.
    Staff,
    /// Managers: they query, they do not move requests.
    Manager,
    /// The bot itself (timers), a desk webhook, or Meta (its webhooks and the Graph API).
    System,
}

/// Why a move is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The request is in a final status.
    #[error("{from:?} is final")]
    Final {
        /// Its status.
        from: RequestStatus,
    },
    /// No such move exists.
    #[error("{from:?} cannot move to {to:?}")]
    NotAllowed {
        /// From.
        from: RequestStatus,
        /// To.
        to: RequestStatus,
    },
    /// The move exists but not for this role.
    #[error("{role:?} may not move {from:?} to {to:?}")]
    Forbidden {
        /// Who tried.
        role: Role,
        /// From.
        from: RequestStatus,
        /// To.
        to: RequestStatus,
    },
}

impl TransitionError {
    /// The Fluent message id that explains it.
    pub fn message_id(&self) -> &'static str {
        match self {
            TransitionError::Final { .. } => "transition-final",
            TransitionError::NotAllowed { .. } => "transition-not-allowed",
            TransitionError::Forbidden { .. } => "transition-forbidden",
        }
    }
}

impl RequestStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [RequestStatus; 10] = [
        RequestStatus::Submitted,
        RequestStatus::InReview,
        RequestStatus::NeedsInfo,
        RequestStatus::AwaitingClientApproval,
        RequestStatus::ApprovedByClient,
        RequestStatus::NumberRegistered,
        RequestStatus::Active,
        RequestStatus::Rejected,
        RequestStatus::Cancelled,
        RequestStatus::Expired,
    ];

    /// The stable id (`awaiting_client_approval`).
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Submitted => "submitted",
            RequestStatus::InReview => "in_review",
            RequestStatus::NeedsInfo => "needs_info",
            RequestStatus::AwaitingClientApproval => "awaiting_client_approval",
            RequestStatus::ApprovedByClient => "approved_by_client",
            RequestStatus::NumberRegistered => "number_registered",
            RequestStatus::Active => "active",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Cancelled => "cancelled",
            RequestStatus::Expired => "expired",
        }
    }

    /// The status with this id (dashes accepted for underscores).
    pub fn parse(id: &str) -> Option<RequestStatus> {
        let id = id.trim().to_ascii_lowercase().replace('-', "_");
        RequestStatus::ALL.into_iter().find(|s| s.as_str() == id)
    }

    /// The message id of its label as the merchant reads it (`status-in-review`: "in review by
    /// our team").
    pub fn message_id(self) -> String {
        format!("status-{}", self.as_str().replace('_', "-"))
    }

    /// The message id of its label as staff and managers read it (`staff-status-needs-info`:
    /// "waiting for the merchant's corrections").
    pub fn staff_message_id(self) -> String {
        format!("staff-status-{}", self.as_str().replace('_', "-"))
    }

    /// Whether nothing can happen to the request any more.
    pub fn is_final(self) -> bool {
        match self {
            RequestStatus::Active
            | RequestStatus::Rejected
            | RequestStatus::Cancelled
            | RequestStatus::Expired => true,
            RequestStatus::Submitted
            | RequestStatus::InReview
            | RequestStatus::NeedsInfo
            | RequestStatus::AwaitingClientApproval
            | RequestStatus::ApprovedByClient
            | RequestStatus::NumberRegistered => false,
        }
    }

    /// The roles that may make the move `self → to`, or why none may.
    fn movers(self, to: RequestStatus) -> Result<&'static [Role], TransitionError> {
        use RequestStatus::*;
        if self.is_final() {
            return Err(TransitionError::Final { from: self });
        }
        Ok(match (self, to) {
            (_, Cancelled) => &[Role::Merchant, Role::Staff],
            (_, Rejected) => &[Role::Staff],
            (NeedsInfo, InReview) => &[Role::Merchant],
            // Meta rejecting the display name sends the request back to the merchant.
            (NumberRegistered, NeedsInfo) => &[Role::Staff, Role::System],
            (_, NeedsInfo) if self != NeedsInfo => &[Role::Staff],
            (Submitted, InReview) => &[Role::Staff],
            (InReview, AwaitingClientApproval) => &[Role::Staff],
            (AwaitingClientApproval, ApprovedByClient) => &[Role::Staff, Role::System],
            // The store's admin created the account in Embedded Signup (Meta's session event).
            (Submitted | InReview, ApprovedByClient) => &[Role::System],
            (AwaitingClientApproval, Expired) => &[Role::System],
            // Staff, or Meta (its webhooks and the registration the bot drives).
            (ApprovedByClient, NumberRegistered) => &[Role::Staff, Role::System],
            (NumberRegistered, Active) => &[Role::Staff, Role::System],
            _ => return Err(TransitionError::NotAllowed { from: self, to }),
        })
    }

    /// Checks that `role` may move a request from `self` to `to`.
    pub fn check(self, to: RequestStatus, role: Role) -> Result<(), TransitionError> {
        if self.movers(to)?.contains(&role) {
            Ok(())
        } else {
            Err(TransitionError::Forbidden {
                role,
                from: self,
                to,
            })
        }
    }

    /// The statuses `role` may move a request to from here (for buttons and help).
    pub fn next_for(self, role: Role) -> Vec<RequestStatus> {
        RequestStatus::ALL
            .into_iter()
            .filter(|to| self.check(*to, role).is_ok())
            .collect()
    }

    /// Business days the status usually lasts before the request should have moved on; `None`
    /// when the wait is on the merchant or the status is final.
    pub fn expected_business_days(self) -> Option<i32> {
        match self {
            RequestStatus::Submitted => Some(1),
            RequestStatus::InReview => Some(2),
            RequestStatus::AwaitingClientApproval => Some(super::deadline::APPROVAL_BUSINESS_DAYS),
            RequestStatus::ApprovedByClient => Some(2),
            RequestStatus::NumberRegistered => Some(2),
            RequestStatus::NeedsInfo
            | RequestStatus::Active
            | RequestStatus::Rejected
            | RequestStatus::Cancelled
            | RequestStatus::Expired => None,
        }
    }
}

impl RequestStatus {
    /// The date a request that entered this status at `since` should have moved on by (São
    /// Paulo, business days of the Brazilian calendar); `None` when
    /// [`RequestStatus::expected_business_days`] is.
    pub fn expected_by(self, since: chrono::DateTime<chrono::Utc>) -> Option<chrono::NaiveDate> {
        self.expected_business_days()
            .map(|days| super::deadline::add_business_days(since, days))
    }
}

impl std::fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::RequestStatus::*;
    use super::*;

    #[test]
    fn the_transition_table_follows_the_lifecycle() {
        // (from, to, role, allowed)
        let cases = [
            (Submitted, InReview, Role::Staff, true),
            (Submitted, InReview, Role::Merchant, false),
            (Submitted, InReview, Role::Manager, false),
            (InReview, NeedsInfo, Role::Staff, true),
            (InReview, AwaitingClientApproval, Role::Staff, true),
            (NeedsInfo, InReview, Role::Merchant, true),
            (NeedsInfo, InReview, Role::Staff, false),
            (NeedsInfo, NeedsInfo, Role::Staff, false),
            (AwaitingClientApproval, ApprovedByClient, Role::Staff, true),
            (AwaitingClientApproval, ApprovedByClient, Role::System, true),
            (AwaitingClientApproval, Expired, Role::System, true),
            (AwaitingClientApproval, Expired, Role::Staff, false),
            (ApprovedByClient, NumberRegistered, Role::Staff, true),
            (NumberRegistered, Active, Role::Staff, true),
            (NumberRegistered, NeedsInfo, Role::Staff, true),
            (NumberRegistered, NeedsInfo, Role::System, true),
            (InReview, NeedsInfo, Role::System, false),
            (NumberRegistered, Active, Role::System, true),
            (ApprovedByClient, Rejected, Role::Staff, true),
            (ApprovedByClient, Rejected, Role::Merchant, false),
            (InReview, Cancelled, Role::Merchant, true),
            (Submitted, Cancelled, Role::Staff, true),
            (Submitted, Active, Role::Staff, false),
            (InReview, Submitted, Role::Staff, false),
            (Active, Cancelled, Role::Staff, false),
            (Rejected, InReview, Role::Staff, false),
        ];
        for (from, to, role, allowed) in cases {
            assert_eq!(
                from.check(to, role).is_ok(),
                allowed,
                "{from} → {to} by {role:?}"
            );
        }
        assert_eq!(
            Active.check(Cancelled, Role::Staff),
            Err(TransitionError::Final { from: Active })
        );
        assert_eq!(
            Submitted.check(Active, Role::Staff),
            Err(TransitionError::NotAllowed {
                from: Submitted,
                to: Active
            })
        );
    }

    #[test]
    fn every_status_pair_and_role_follows_the_lifecycle_table() {
        const OPEN: [RequestStatus; 6] = [
            Submitted,
            InReview,
            NeedsInfo,
            AwaitingClientApproval,
            ApprovedByClient,
            NumberRegistered,
        ];
        // The table of DESIGN §4, written out move by move.
        let mut allowed: Vec<(RequestStatus, RequestStatus, Role)> = vec![
            (Submitted, InReview, Role::Staff),
            (InReview, NeedsInfo, Role::Staff),
            (InReview, AwaitingClientApproval, Role::Staff),
            (NeedsInfo, InReview, Role::Merchant),
            (AwaitingClientApproval, ApprovedByClient, Role::Staff),
            (AwaitingClientApproval, ApprovedByClient, Role::System),
            (AwaitingClientApproval, Expired, Role::System),
            (ApprovedByClient, NumberRegistered, Role::Staff),
            (NumberRegistered, Active, Role::Staff),
            // Meta: the number registered from the chat, the name approved or rejected.
            (ApprovedByClient, NumberRegistered, Role::System),
            (NumberRegistered, Active, Role::System),
            (NumberRegistered, NeedsInfo, Role::System),
            // Embedded Signup: the store created the account itself.
            (Submitted, ApprovedByClient, Role::System),
            (InReview, ApprovedByClient, Role::System),
        ];
        for from in OPEN {
            if from != NeedsInfo {
                allowed.push((from, NeedsInfo, Role::Staff));
            }
            allowed.push((from, Rejected, Role::Staff));
            allowed.push((from, Cancelled, Role::Staff));
            allowed.push((from, Cancelled, Role::Merchant));
        }
        let roles = [Role::Merchant, Role::Staff, Role::Manager, Role::System];
        let mut checked = 0;
        for from in RequestStatus::ALL {
            for to in RequestStatus::ALL {
                for role in roles {
                    let expected = allowed.contains(&(from, to, role));
                    assert_eq!(
                        from.check(to, role).is_ok(),
                        expected,
                        "{from} → {to} by {role:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 400);
    }

    #[test]
    fn statuses_round_trip_through_their_ids() {
        for status in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(RequestStatus::parse("in-review"), Some(InReview));
        assert_eq!(RequestStatus::parse("nope"), None);
        assert_eq!(
            Submitted.next_for(Role::Staff),
            [InReview, NeedsInfo, Rejected, Cancelled]
        );
    }

    #[test]
    fn each_refusal_has_its_message_and_statuses_print_as_their_ids() {
        let (from, to) = (RequestStatus::Active, RequestStatus::InReview);
        assert_eq!(
            TransitionError::Final { from }.message_id(),
            "transition-final"
        );
        assert_eq!(
            TransitionError::NotAllowed { from, to }.message_id(),
            "transition-not-allowed"
        );
        for status in RequestStatus::ALL {
            assert_eq!(status.to_string(), status.as_str());
        }
    }
}
