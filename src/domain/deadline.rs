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

/// Midnight in São Paulo at the start of a date, as an instant.
pub fn local_midnight(date: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone as _;
    let local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // On a day daylight saving time started at midnight (Brazil until 2019), the day began at
    // 01:00.
    [local, local + chrono::Duration::hours(1)]
        .into_iter()
        .find_map(|t| Sao_Paulo.from_local_datetime(&t).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

/// The latest date `d` up to `today` with at least `days` business days from `d` to `today`
/// (as [`business_days_between`] counts them): a request submitted on `d` or before has been
/// open that long. [`NaiveDate::MIN`] when that is before 1900 (nothing is that old).
pub fn business_days_before(today: NaiveDate, days: i32) -> NaiveDate {
    // The calendar knows Easter from 1583 on; no request is older than 1900.
    let floor = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    let (mut date, mut count) = (today, 0);
    while count < days {
        match date.pred_opt() {
            Some(before) if before >= floor => date = before,
            _ => return NaiveDate::MIN,
        }
        count += i32::from(BRSettlement.is_bday(date));
    }
    date
}

/// Business days elapsed between two instants (0 within the same business day).
pub fn business_days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i32 {
    BRSettlement.bdays(local_date(from), local_date(to))
}

/// Business days counted over a span of dates at the cost of a subtraction: the calendar is
/// asked once per date of the span, not once per date of every interval. Counts agree with
/// [`business_days_between`] (the first date counts, the last does not); an instant outside the
/// span is counted the slow way.
#[derive(Debug, Clone)]
pub struct BusinessDays {
    first: NaiveDate,
    /// `before[k]`: business days from `first` up to, not including, `first + k` days.
    before: Vec<i32>,
}

impl BusinessDays {
    /// Ready for any two instants whose São Paulo dates fall from `from` to `to`.
    pub fn covering(from: NaiveDate, to: NaiveDate) -> BusinessDays {
        let days = usize::try_from((to - from).num_days().max(0) + 1).unwrap_or(0);
        let mut before = Vec::with_capacity(days + 1);
        let mut count = 0;
        before.push(0);
        for date in from.iter_days().take(days) {
            count += i32::from(BRSettlement.is_bday(date));
            before.push(count);
        }
        BusinessDays {
            first: from,
            before,
        }
    }

    fn index(&self, date: NaiveDate) -> Option<i32> {
        let k = usize::try_from((date - self.first).num_days()).ok()?;
        self.before.get(k).copied()
    }

    /// Business days elapsed between two instants, as [`business_days_between`].
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i32 {
        match (self.index(local_date(from)), self.index(local_date(to))) {
            (Some(a), Some(b)) => b - a,
            _ => business_days_between(from, to),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_day_a_request_has_been_open_n_business_days_since() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let noon = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(15, 0, 0).unwrap());
        for days in [0, 1, 2, 5, 17, 40] {
            let date = business_days_before(today, days);
            assert!(business_days_between(noon(date), noon(today)) >= days);
            let next = date.succ_opt().unwrap();
            assert!(days == 0 || business_days_between(noon(next), noon(today)) < days);
        }
        assert_eq!(business_days_before(today, i32::MAX), NaiveDate::MIN);
    }

    #[test]
    fn counts_over_a_span_agree_with_the_calendar() {
        let first = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let span = BusinessDays::covering(first, NaiveDate::from_ymd_opt(2027, 1, 31).unwrap());
        let noon = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(15, 0, 0).unwrap());
        for a in first.iter_days().step_by(3).take(50) {
            for b in first.iter_days().step_by(7).take(22) {
                assert_eq!(
                    span.between(noon(a), noon(b)),
                    business_days_between(noon(a), noon(b)),
                    "{a} → {b}"
                );
            }
        }
        // Outside the span: the slow way, the same answer.
        let far = noon(NaiveDate::from_ymd_opt(2028, 3, 1).unwrap());
        assert_eq!(
            span.between(noon(first), far),
            business_days_between(noon(first), far)
        );
    }

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
