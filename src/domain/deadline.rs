//! Business-day arithmetic on the Brazilian national calendar, counted in America/Sao_Paulo,
//! for the dates promised to merchants.

use bdays::HolidayCalendar;
use bdays::calendars::brazil::BRSettlement;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::America::Sao_Paulo;

/// Business days the partner's request usually takes to be accepted.
pub const APPROVAL_BUSINESS_DAYS: i32 = 3;

/// The local date in São Paulo of an instant.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Sao_Paulo).date_naive()
}

/// The date `days` business days after `from` (a request made on a holiday or a weekend starts
/// counting on the next business day).
pub fn add_business_days(from: DateTime<Utc>, days: i32) -> NaiveDate {
    BRSettlement.advance_bdays(local_date(from), days)
}

/// Business days elapsed between two instants (0 within the same business day).
pub fn business_days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i32 {
    BRSettlement.bdays(local_date(from), local_date(to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn three_business_days_skip_weekends_and_national_holidays() {
        // Thursday 2026-11-19, 13:00 in São Paulo: Friday 20 is Consciência Negra.
        let thursday = Utc.with_ymd_and_hms(2026, 11, 19, 16, 0, 0).unwrap();
        assert_eq!(
            add_business_days(thursday, 3),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
        // 01:00 UTC on Saturday is still Friday evening in São Paulo.
        let friday_night = Utc.with_ymd_and_hms(2026, 11, 28, 1, 0, 0).unwrap();
        assert_eq!(
            local_date(friday_night),
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
        );
        assert_eq!(business_days_between(thursday, friday_night), 5);
    }

    #[test]
    fn deadlines_skip_carnival_and_good_friday() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 15, 0, 0).unwrap();
        // Friday 5 February 2027; Carnival is Monday 8 and Tuesday 9.
        assert_eq!(add_business_days(at(2027, 2, 5), 3), date(2027, 2, 12));
        // Thursday 25 March 2027; Good Friday is 26 March.
        assert_eq!(add_business_days(at(2027, 3, 25), 3), date(2027, 3, 31));
        // Entered on Saturday: counting starts on Monday.
        assert_eq!(add_business_days(at(2026, 11, 28), 3), date(2026, 12, 3));
        // Entered on the 20 November holiday itself.
        assert_eq!(add_business_days(at(2026, 11, 20), 3), date(2026, 11, 26));
    }
}
