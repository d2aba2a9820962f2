//! "Within the last N years": the interval `[as_of − N years, as_of]`, both
//! ends included (design.md, "Windows"). Without N, everything up to the
//! evaluation date.

use super::Reason;
use crate::date::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Window {
    pub years: Option<u32>,
    /// First day in the window (`None`: unbounded).
    pub start: Option<Date>,
    /// Last day in the window: the evaluation date.
    pub end: Date,
    /// Whether `start` is the day a credential was earned (`experience …
    /// after …`) rather than the `within` window's first day.
    pub anchored: bool,
}

impl Window {
    pub fn new(as_of: Date, years: Option<u32>) -> Window {
        Window {
            years,
            start: years.map(|years| as_of.years_before(years)),
            end: as_of,
            anchored: false,
        }
    }

    /// The window, opening no earlier than `date`.
    pub fn starting_no_earlier(mut self, date: Date) -> Window {
        if self.start.is_none_or(|start| date > start) {
            self.start = Some(date);
            self.anchored = true;
        }
        self
    }

    pub fn contains(&self, date: Date) -> bool {
        date <= self.end && self.start.is_none_or(|start| date >= start)
    }

    /// Why a completion date (of a degree, programme or training) does not
    /// count, or `None` when it does.
    pub fn completion_miss(&self, completed: Option<Date>) -> Option<Reason> {
        match completed {
            None => Some(Reason::InProgress),
            Some(date) if date > self.end => Some(Reason::CompletedAfterAsOf { on: date }),
            Some(date) if !self.contains(date) => Some(Reason::CompletedBeforeWindow {
                on: date,
                window_from: self.start.unwrap_or(date),
                years: self.years.unwrap_or_default(),
            }),
            Some(_) => None,
        }
    }

    /// Like `completion_miss`, for a condition that also accepts a programme
    /// `scheduled` to finish: in progress, with an `expected` completion on
    /// or after the evaluation date. `Ok(Some(expected))` when it counts as
    /// scheduled, `Ok(None)` when completed.
    pub fn completion_or_scheduled(
        &self,
        scheduled: bool,
        completed: Option<Date>,
        expected: Option<Date>,
    ) -> Result<Option<Date>, Reason> {
        match (completed, expected) {
            (None, Some(on)) if scheduled && on >= self.end => Ok(Some(on)),
            _ => self.completion_miss(completed).map_or(Ok(None), Err),
        }
    }

    /// The days (since 1970-01-01, both ends included) of `[start, end]`
    /// that lie in the window; `end` absent means ongoing.
    pub fn clip(&self, start: Date, end: Option<Date>) -> Option<(i64, i64)> {
        let first = self.start.map_or(start, |window| window.max(start));
        let last = end.map_or(self.end, |end| end.min(self.end));
        (first <= last).then(|| (first.days(), last.days()))
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
        assert_eq!(window.completion_miss(None), Some(Reason::InProgress));
        assert_eq!(
            window.completion_miss(Some(d("2026-11-22"))),
            Some(Reason::CompletedAfterAsOf {
                on: d("2026-11-22")
            })
        );
        assert_eq!(
            window.completion_miss(Some(d("2021-11-20"))),
            Some(Reason::CompletedBeforeWindow {
                on: d("2021-11-20"),
                window_from: d("2021-11-21"),
                years: 5
            })
        );
        assert_eq!(window.completion_miss(Some(d("2021-11-21"))), None);
        let open = Window::new(d("2026-11-21"), None);
        assert_eq!(open.completion_miss(Some(d("1990-01-01"))), None);
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
}
