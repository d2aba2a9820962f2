//! "Within the last N years": the interval `[as_of − N years, as_of]`, both
//! ends included (design.md, "Windows"). Without N, everything up to the
//! evaluation date.

use crate::date::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Window {
    pub years: Option<u32>,
    /// First day in the window (`None`: unbounded).
    pub start: Option<Date>,
    /// Last day in the window: the evaluation date.
    pub end: Date,
}

/// Why a dated item (a completed degree, programme or course) does not count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateMiss {
    /// No `completed` date: in progress.
    InProgress,
    /// Completed after the evaluation date.
    Future(Date),
    /// Completed before the window opens.
    Before(Date),
}

impl Window {
    pub fn new(as_of: Date, years: Option<u32>) -> Window {
        Window {
            years,
            start: years.map(|years| as_of.years_before(years)),
            end: as_of,
        }
    }

    pub fn contains(&self, date: Date) -> bool {
        date <= self.end && self.start.is_none_or(|start| date >= start)
    }

    /// Whether a completion date counts, and why not.
    pub fn check_completed(&self, completed: Option<Date>) -> Result<(), DateMiss> {
        match completed {
            None => Err(DateMiss::InProgress),
            Some(date) if date > self.end => Err(DateMiss::Future(date)),
            Some(date) if !self.contains(date) => Err(DateMiss::Before(date)),
            Some(_) => Ok(()),
        }
    }

    /// The days (since 1970-01-01, both ends included) of `[start, end]`
    /// that lie in the window; `end` absent means ongoing.
    pub fn clip(&self, start: Date, end: Option<Date>) -> Option<(i64, i64)> {
        let first = self.start.map_or(start, |window| window.max(start));
        let last = end.map_or(self.end, |end| end.min(self.end));
        (first <= last).then(|| (first.days(), last.days()))
    }

    /// `the 5-year window (from 2021-11-22)`.
    pub fn name(&self) -> String {
        match (self.years, self.start) {
            (Some(years), Some(start)) => format!("the {years}-year window (from {start})"),
            _ => "the window".to_string(),
        }
    }

    /// How a completion date misses, after "your … ": "is in progress (no
    /// `completed` date)", "was completed on 2019-05-15, outside the 5-year
    /// window (from 2021-11-22)".
    pub fn describe_miss(&self, miss: DateMiss) -> String {
        match miss {
            DateMiss::InProgress => "is in progress (no `completed` date)".to_string(),
            DateMiss::Future(date) => {
                format!("was completed after the evaluation date (on {date})")
            }
            DateMiss::Before(date) => format!("was completed on {date}, outside {}", self.name()),
        }
    }
}

/// ` in the last 4 years`, ` in the last year`, or nothing.
pub(crate) fn phrase(years: Option<u32>) -> String {
    match years {
        None => String::new(),
        Some(1) => " in the last year".to_string(),
        Some(years) => format!(" in the last {years} years"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn both_ends_are_included() {
        let window = Window::new(d("2026-11-21"), Some(5));
        assert_eq!(window.start, Some(d("2021-11-21")));
        assert!(window.contains(d("2021-11-21")));
        assert!(window.contains(d("2026-11-21")));
        assert!(!window.contains(d("2021-11-20")));
        assert!(!window.contains(d("2026-11-22")));
    }

    #[test]
    fn leap_day_falls_back_to_the_28th() {
        let window = Window::new(d("2024-02-29"), Some(1));
        assert_eq!(window.start, Some(d("2023-02-28")));
    }

    #[test]
    fn completion_checks_in_order() {
        let window = Window::new(d("2026-11-21"), Some(5));
        assert_eq!(window.check_completed(None), Err(DateMiss::InProgress));
        assert_eq!(
            window.check_completed(Some(d("2026-11-22"))),
            Err(DateMiss::Future(d("2026-11-22")))
        );
        assert_eq!(
            window.check_completed(Some(d("2021-11-20"))),
            Err(DateMiss::Before(d("2021-11-20")))
        );
        assert_eq!(window.check_completed(Some(d("2021-11-21"))), Ok(()));
        let open = Window::new(d("2026-11-21"), None);
        assert_eq!(open.check_completed(Some(d("1990-01-01"))), Ok(()));
    }

    #[test]
    fn clipping_keeps_inclusive_days() {
        let window = Window::new(d("2026-11-21"), Some(1));
        let (first, last) = window.clip(d("2020-01-01"), None).unwrap();
        assert_eq!(first, d("2025-11-21").days());
        assert_eq!(last, d("2026-11-21").days());
        assert_eq!(window.clip(d("2027-01-01"), None), None);
        assert_eq!(window.clip(d("2020-01-01"), Some(d("2025-11-20"))), None);
        let one_day = window.clip(d("2020-01-01"), Some(d("2025-11-21"))).unwrap();
        assert_eq!(one_day.0, one_day.1);
    }

    #[test]
    fn misses_read_as_sentences() {
        let window = Window::new(d("2026-11-22"), Some(5));
        assert_eq!(
            window.describe_miss(DateMiss::Before(d("2019-05-15"))),
            "was completed on 2019-05-15, outside the 5-year window (from 2021-11-22)"
        );
    }
}
