//! The business category: one of Meta's 21 verticals. Labels live in the locales; a category is
//! parsed from its code or from its label in any locale, ignoring case and accents.

use super::finding::{Finding, Parsed, Rejection, Verdict, check_input_size, conclude};
use super::text::{fold, words};
use serde::{Deserialize, Serialize};

macro_rules! categories {
    ($($variant:ident = $code:literal, $id:literal;)*) => {
        /// Meta's business verticals.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum Category {
            $(
                #[doc = concat!("`", $code, "`")]
                $variant,
            )*
        }

        impl Category {
            /// Every category, in Meta's order.
            pub const ALL: &'static [Category] = &[$(Category::$variant),*];

            /// Meta's code (`ALCOHOL`, `EVENT_PLAN`, …).
            pub fn code(self) -> &'static str {
                match self { $(Category::$variant => $code),* }
            }

            /// The Fluent message id of the label.
            pub fn message_id(self) -> &'static str {
                match self { $(Category::$variant => $id),* }
            }
        }
    };
}

categories! {
    Alcohol = "ALCOHOL", "category-alcohol";
    Apparel = "APPAREL", "category-apparel";
    Auto = "AUTO", "category-auto";
    Beauty = "BEAUTY", "category-beauty";
    Edu = "EDU", "category-edu";
    Entertain = "ENTERTAIN", "category-entertain";
    EventPlan = "EVENT_PLAN", "category-event-plan";
    Finance = "FINANCE", "category-finance";
    Govt = "GOVT", "category-govt";
    Grocery = "GROCERY", "category-grocery";
    Health = "HEALTH", "category-health";
    Hotel = "HOTEL", "category-hotel";
    Nonprofit = "NONPROFIT", "category-nonprofit";
    OnlineGambling = "ONLINE_GAMBLING", "category-online-gambling";
    OtcDrugs = "OTC_DRUGS", "category-otc-drugs";
    Other = "OTHER", "category-other";
    PhysicalGambling = "PHYSICAL_GAMBLING", "category-physical-gambling";
    ProfServices = "PROF_SERVICES", "category-prof-services";
    Restaurant = "RESTAURANT", "category-restaurant";
    Retail = "RETAIL", "category-retail";
    Travel = "TRAVEL", "category-travel";
}

impl Category {
    /// Parses a category from its code or from one of its labels, which `labels` gives for
    /// every locale.
    pub fn parse(
        input: &str,
        labels: impl Fn(Category) -> Vec<String>,
    ) -> Result<Parsed<Category>, Rejection> {
        check_input_size("category", input)?;
        let wanted = fold(input.trim());
        let as_code = wanted.replace([' ', '-'], "_");
        let exact = Category::ALL.iter().copied().find(|c| {
            c.code().eq_ignore_ascii_case(&as_code)
                || labels(*c).iter().any(|label| fold(label.trim()) == wanted)
        });
        // Otherwise a word of a label ("vestuário" for "Roupas e vestuário"), if only one
        // category has it.
        let found = exact.or_else(|| {
            let wanted_words = words(&wanted);
            if wanted.chars().count() < 4 || wanted_words.is_empty() {
                return None;
            }
            let mut candidates = Category::ALL.iter().copied().filter(|c| {
                labels(*c).iter().any(|label| {
                    let folded = fold(label);
                    let label_words = words(&folded);
                    label_words
                        .windows(wanted_words.len())
                        .any(|window| window == wanted_words.as_slice())
                })
            });
            let first = candidates.next()?;
            candidates.next().is_none().then_some(first)
        });
        let Some(category) = found else {
            return Err(Rejection::one(
                Finding::new(Verdict::Reject, "category.unknown")
                    .text("input", input.trim().chars().take(60).collect::<String>()),
            ));
        };
        let findings = if category.is_restricted() {
            vec![
                Finding::new(Verdict::Review, "category.restricted")
                    .message("category", category.message_id()),
            ]
        } else {
            Vec::new()
        };
        conclude(category, findings)
    }

    /// Whether Meta's commerce policy restricts this vertical, so that a person must review it.
    pub fn is_restricted(self) -> bool {
        match self {
            Category::Alcohol
            | Category::OnlineGambling
            | Category::PhysicalGambling
            | Category::OtcDrugs => true,
            Category::Apparel
            | Category::Auto
            | Category::Beauty
            | Category::Edu
            | Category::Entertain
            | Category::EventPlan
            | Category::Finance
            | Category::Govt
            | Category::Grocery
            | Category::Health
            | Category::Hotel
            | Category::Nonprofit
            | Category::Other
            | Category::ProfServices
            | Category::Restaurant
            | Category::Retail
            | Category::Travel => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(c: Category) -> Vec<String> {
        match c {
            Category::Apparel => vec!["Apparel".into(), "Vestuário".into()],
            _ => vec![],
        }
    }

    #[test]
    fn a_category_is_parsed_from_its_code_or_a_label() {
        assert_eq!(Category::ALL.len(), 21);
        assert_eq!(
            Category::parse("retail", labels).unwrap().value,
            Category::Retail
        );
        assert_eq!(
            Category::parse("event plan", labels).unwrap().value,
            Category::EventPlan
        );
        assert_eq!(
            Category::parse("VESTUARIO", labels).unwrap().value,
            Category::Apparel
        );
        assert_eq!(
            Category::parse("vestuário", labels).unwrap().value,
            Category::Apparel
        );
        let alcohol = Category::parse("ALCOHOL", labels).unwrap();
        assert_eq!(alcohol.findings[0].code, "category.restricted");
        assert!(
            Category::parse("spaceships", labels)
                .unwrap_err()
                .has("category.unknown")
        );
    }
}
