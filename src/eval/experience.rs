//! `experience >= N months|hours …`: full-time-equivalent months or hours of
//! matching work, per the contract in design.md.
//!
//! Months: on each day, the `hours_per_week / 7` of every matching job are
//! added and capped at the full-time threshold's daily share; months are the
//! counted full-time days / (365.25 / 12). Hours: `hours_per_week / 7` per day
//! and job, uncapped. Jobs are clipped to the window (both ends included), an
//! absent `end` runs to the evaluation date. The daily total only changes
//! where a job starts or ends, so the count sweeps over those boundaries
//! instead of over days.

use super::window::Window;
use super::{
    Collected, Counted, Evaluator, Fact, Finding, Reason, Record, Unit, UnmetKind, Verdict, meets,
    same, same_label,
};
use crate::date::Date;
use crate::profile::Experience;
use crate::ruleset::{
    AfterRule, ExperienceRule, ExperienceUnit, FileId, Requirement, TermSet, VocabularyKind,
};

/// A matching job's days in the window (inclusive) and weekly hours.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Stint {
    first: i64,
    last: i64,
    hours_per_week: f64,
}

/// Where `experience … after …` starts counting.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Anchor {
    From(Date),
    /// The credential is held, with no `earned` date.
    Undated,
    /// Not held (or, for a degree, not completed by the evaluation date).
    Missing,
}

/// Up to this many matching jobs are counted without allocating.
const INLINE_STINTS: usize = 16;

impl<'r> Evaluator<'r, '_, '_> {
    pub(super) fn experience(
        &self,
        requirement: &'r Requirement,
        rule: &ExperienceRule,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let anchor = rule.after.as_ref().map(|after| self.anchor(after));
        let window = match anchor {
            Some(Anchor::From(date)) => {
                Window::new(self.as_of, rule.within_years).starting_no_earlier(date)
            }
            _ => Window::new(self.as_of, rule.within_years),
        };
        let have = match anchor {
            Some(Anchor::Missing) => 0.0,
            _ => self.experience_amount(rule, &window),
        };
        // A verdict alone needs the areas only when the amount is enough, and
        // an outline only how many: their names are for the explanation.
        let without_work = if rule.each_area && (self.explain || meets(have, rule.amount)) {
            self.areas_without_work(rule, &window)
        } else {
            AreasWithoutWork::default()
        };
        let enough = meets(have, rule.amount) && without_work.count == 0;
        // Without the date the credential was earned, enough work in all may
        // or may not be enough after it.
        let verdict = match anchor {
            Some(Anchor::Undated) if enough => Verdict::Undetermined,
            Some(Anchor::Undated | Anchor::Missing) => Verdict::NotEligible,
            _ => Verdict::of(enough),
        };
        let met = verdict == Verdict::Eligible;
        if self.explain {
            let unit = match rule.unit {
                ExperienceUnit::Months => Unit::Months,
                ExperienceUnit::Hours => Unit::Hours,
            };
            let findings = if self.detail {
                self.job_findings(rule, &window, met)
            } else {
                Vec::new()
            };
            if met {
                self.met(found, requirement, file, |mut evidence| {
                    evidence.quantity = Some(super::Quantity {
                        needed: rule.amount,
                        have,
                        unit,
                    });
                    evidence.findings = findings;
                    evidence
                });
            } else {
                let mut gap = self
                    .unmet(UnmetKind::Experience, verdict, requirement, file)
                    .quantity(rule.amount, have, unit)
                    .findings(findings);
                match anchor {
                    Some(Anchor::From(date)) => gap = gap.fact(Fact::CountsFrom(date)),
                    Some(Anchor::Undated) => {
                        gap.distance = super::distances::UNDETERMINED;
                        gap = gap.fact(Fact::AfterUndated);
                    }
                    Some(Anchor::Missing) => gap = gap.fact(Fact::AfterMissing),
                    None => {}
                }
                if without_work.count > 0 {
                    // A month's rotation per area still to work in, which the
                    // months still short can include.
                    let rotations = without_work.count as f64 / super::distances::MONTHS_PER_UNIT;
                    gap.distance = gap.distance.max(rotations);
                    if self.detail {
                        gap = gap.fact(Fact::AreasWithoutWork(without_work.names(rule)));
                    }
                }
                if self.profile.experience.is_empty() {
                    gap = gap.fact(Fact::NoneListed);
                }
                found.gaps.push(gap);
            }
        }
        verdict
    }

    /// The day from which work counts for `experience … after …`.
    fn anchor(&self, after: &AfterRule) -> Anchor {
        let earliest = |dates: &mut dyn Iterator<Item = Option<Date>>| {
            let mut held = false;
            let mut first: Option<Date> = None;
            for date in dates {
                held = true;
                if let Some(date) = date.filter(|&date| date <= self.as_of) {
                    first = Some(first.map_or(date, |first| first.min(date)));
                }
            }
            match (held, first) {
                (_, Some(date)) => Anchor::From(date),
                (true, None) => Anchor::Undated,
                (false, None) => Anchor::Missing,
            }
        };
        match after {
            AfterRule::Certification(options) => earliest(
                &mut self
                    .profile
                    .certifications
                    .iter()
                    .filter(|held| {
                        options.iter().any(|option| {
                            same(&option.issuer, &held.issuer) && same(&option.name, &held.name)
                        })
                    })
                    .map(|held| held.earned),
            ),
            // A degree in progress is not held: only completed ones count.
            AfterRule::Degree(level) => match earliest(
                &mut self
                    .profile
                    .education
                    .iter()
                    .filter(|entry| entry.degree >= *level && entry.completed.is_some())
                    .map(|entry| entry.completed),
            ) {
                Anchor::Undated => Anchor::Missing,
                anchor => anchor,
            },
        }
    }

    /// Months or hours of matching work in the window.
    fn experience_amount(&self, rule: &ExperienceRule, window: &Window) -> f64 {
        let mut inline = [Stint::default(); INLINE_STINTS];
        let mut spilled = Vec::new();
        let mut count = 0;
        for job in &self.profile.experience {
            if !self.job_matches(rule, job) {
                continue;
            }
            let Some(stint) = stint(job, window) else {
                continue;
            };
            if count < INLINE_STINTS {
                inline[count] = stint;
            } else {
                if spilled.is_empty() {
                    spilled.extend_from_slice(&inline);
                }
                spilled.push(stint);
            }
            count += 1;
        }
        let stints = if count > INLINE_STINTS {
            &mut spilled[..]
        } else {
            &mut inline[..count]
        };
        amount(rule, stints)
    }

    /// `in each of`: the rule's areas (canonical terms, in order) in which
    /// no matching work falls in the window.
    fn areas_without_work(&self, rule: &ExperienceRule, window: &Window) -> AreasWithoutWork {
        let Some(areas) = &rule.areas else {
            return AreasWithoutWork::default();
        };
        // Which areas have work, as bits while they fit (the common case).
        let mut worked = AreasWithoutWork {
            count: 0,
            bits: 0,
            beyond: vec![false; areas.terms.len().saturating_sub(64)],
        };
        let vocabulary = self.rules.vocabularies.by_kind.get(&VocabularyKind::Area);
        for job in &self.profile.experience {
            let Some(area) = job.area.as_deref() else {
                continue;
            };
            if !self.job_matches(rule, job) || stint(job, window).is_none() {
                continue;
            }
            // `Vocabularies::canonical`, without allocating for short ASCII values.
            let mut buffer = [0u8; 64];
            let owned;
            let key = match super::normalize_ascii(area, &mut buffer) {
                Some(key) => key,
                None => {
                    owned = crate::ruleset::normalize_term(area);
                    owned.as_str()
                }
            };
            let canonical = match vocabulary {
                None => Some(key),
                Some(vocabulary) => vocabulary.lookup.get(key).map(String::as_str),
            };
            let index = canonical.and_then(|area| {
                areas
                    .terms
                    .binary_search_by(|term| term.as_str().cmp(area))
                    .ok()
            });
            match index {
                Some(index) if index < 64 => worked.bits |= 1 << index,
                Some(index) => worked.beyond[index - 64] = true,
                None => {}
            }
        }
        // From here on, the bits are the areas *without* work.
        worked.bits = !worked.bits & low_bits(areas.terms.len());
        for flag in &mut worked.beyond {
            *flag = !*flag;
        }
        worked.count =
            worked.bits.count_ones() as usize + worked.beyond.iter().filter(|&&flag| flag).count();
        worked
    }

    /// Whether a job passes every filter of the rule (dates aside).
    pub(super) fn job_matches(&self, rule: &ExperienceRule, job: &Experience) -> bool {
        self.each_miss(rule, job, |_| false)
    }

    /// Every filter a job fails, in the order the rule reads.
    pub(super) fn job_misses(&self, rule: &ExperienceRule, job: &Experience) -> Vec<Reason> {
        let mut misses = Vec::new();
        self.each_miss(rule, job, |miss| {
            misses.push(miss);
            true
        });
        misses
    }

    /// Calls `miss` for each filter the job fails while it returns true;
    /// true when the job fails none.
    fn each_miss(
        &self,
        rule: &ExperienceRule,
        job: &Experience,
        mut miss: impl FnMut(Reason) -> bool,
    ) -> bool {
        let fails = |set: &Option<TermSet>, value: Option<&str>| {
            set.as_ref()
                .is_some_and(|set| !self.opt_term_in(set, value))
        };
        let mut clean = true;
        let mut report = |reason| {
            clean = false;
            miss(reason)
        };
        if fails(&rule.settings, job.setting.as_deref()) && !report(Reason::Setting) {
            return false;
        }
        if fails(&rule.areas, job.area.as_deref()) && !report(Reason::Area) {
            return false;
        }
        if fails(&rule.jobs, job.role.as_deref()) && !report(Reason::Job) {
            return false;
        }
        let wrong_state = |states: &Vec<String>| {
            !job.state
                .as_deref()
                .is_some_and(|here| states.iter().any(|state| same(state, here)))
        };
        if rule.states.as_ref().is_some_and(wrong_state) && !report(Reason::WorkState) {
            return false;
        }
        if rule.licensed && job.licensed != Some(true) && !report(Reason::Unlicensed) {
            return false;
        }
        let untagged = |tags: &Vec<String>| {
            !job.tags
                .iter()
                .any(|tag| tags.iter().any(|wanted| same_label(tag, wanted)))
        };
        if rule.tags.as_ref().is_some_and(untagged) && !report(Reason::Untagged) {
            return false;
        }
        clean
    }

    /// Each job as read for the condition: what it counts, and why not all
    /// or nothing. When the condition is met only the jobs that count.
    fn job_findings(&self, rule: &ExperienceRule, window: &Window, met: bool) -> Vec<Finding> {
        let mut findings = Vec::new();
        for (index, job) in self.profile.experience.iter().enumerate() {
            let mut reasons = self.job_misses(rule, job);
            let hours_per_week = job.hours_per_week();
            if !(hours_per_week.is_finite() && hours_per_week > 0.0) {
                reasons.push(Reason::NoHours);
            }
            let years = rule.within_years.unwrap_or_default();
            if job.start > self.as_of {
                reasons.push(Reason::StartsAfterAsOf { on: job.start });
            } else if let Some(window_from) = window.start
                && job.start < window_from
            {
                let ended_before = job.end.is_some_and(|end| end < window_from);
                reasons.push(match (window.anchored, ended_before) {
                    (true, true) => Reason::BeforeCredential { from: window_from },
                    (true, false) => Reason::ClippedToCredential { from: window_from },
                    (false, true) => Reason::BeforeWindow { window_from, years },
                    (false, false) => Reason::ClippedToWindow { window_from, years },
                });
            }
            if rule.unit == ExperienceUnit::Months
                && hours_per_week.is_finite()
                && hours_per_week > 0.0
                && hours_per_week < rule.fulltime_hours_per_week
            {
                reasons.push(Reason::PartTime {
                    hours_per_week,
                    full_time: rule.fulltime_hours_per_week,
                });
            }
            let excluded = reasons.iter().any(|reason| reason.excludes());
            if excluded && met {
                continue;
            }
            let amount = if excluded {
                None
            } else {
                stint(job, window).map(|one| amount(rule, &mut [one]))
            };
            findings.push(Finding {
                record: Record::Experience(index),
                counted: match (excluded, reasons.is_empty()) {
                    (true, _) => Counted::No,
                    (false, true) => Counted::Yes,
                    (false, false) => Counted::Partly,
                },
                amount,
                reasons,
            });
        }
        findings
    }
}

/// The areas of an `in each of` without matching work: how many, and which
/// (bits for the first 64 of the rule's terms, flags for the rest), so that
/// an outline can count them without naming them.
#[derive(Default)]
struct AreasWithoutWork {
    count: usize,
    bits: u64,
    beyond: Vec<bool>,
}

impl AreasWithoutWork {
    /// Their canonical terms, in the rule's order.
    fn names(&self, rule: &ExperienceRule) -> Vec<String> {
        let Some(areas) = &rule.areas else {
            return Vec::new();
        };
        areas
            .terms
            .iter()
            .enumerate()
            .filter(|&(index, _)| match index.checked_sub(64) {
                None => self.bits & (1 << index) != 0,
                Some(beyond) => self.beyond.get(beyond).copied().unwrap_or(false),
            })
            .map(|(_, area)| area.clone())
            .collect()
    }
}

/// A mask of the lowest `count` bits (all 64 from 64 up).
fn low_bits(count: usize) -> u64 {
    if count >= 64 {
        u64::MAX
    } else {
        (1u64 << count) - 1
    }
}

fn amount(rule: &ExperienceRule, stints: &mut [Stint]) -> f64 {
    match rule.unit {
        ExperienceUnit::Hours => hours(stints),
        ExperienceUnit::Months => fte_months(stints, rule.fulltime_hours_per_week),
    }
}

fn stint(job: &Experience, window: &Window) -> Option<Stint> {
    let hours_per_week = job.hours_per_week();
    // Also rejects NaN.
    if !(hours_per_week.is_finite() && hours_per_week > 0.0) {
        return None;
    }
    let (first, last) = window.clip(job.start, job.end)?;
    Some(Stint {
        first,
        last,
        hours_per_week,
    })
}

/// A week of hours of experience from jobs that overlap: the most that
/// concurrent jobs add up to (the default `hours_per_week` of a job).
const HOURS_WEEK_CAP: f64 = 40.0;

/// Hours of experience: per day, the matching jobs' `hours_per_week / 7`
/// add up to at most a 40-hour week's share, but never to less than the
/// longest single job's, so the same job listed twice counts once, two
/// part-time jobs add up, and one long-hours job keeps its own hours.
/// A sweep over the starts and ends, O(n log n) in the number of jobs.
fn hours(stints: &[Stint]) -> f64 {
    if let [single] = stints {
        return (single.last - single.first + 1) as f64 * single.hours_per_week / 7.0;
    }
    // (day, +1 starts / -1 ends after the day before, weekly hours)
    let mut events: Vec<(i64, bool, f64)> = Vec::with_capacity(stints.len() * 2);
    for s in stints {
        events.push((s.first, true, s.hours_per_week));
        events.push((s.last + 1, false, s.hours_per_week));
    }
    events.sort_unstable_by_key(|event| event.0);
    // Weekly hours in force (as bits: non-negative floats order like their
    // bits), with how many jobs give each.
    let mut active: std::collections::BTreeMap<u64, usize> = std::collections::BTreeMap::new();
    let mut sum = 0.0;
    let mut hour_days = 0.0;
    let mut index = 0;
    while index < events.len() {
        let day = events[index].0;
        while index < events.len() && events[index].0 == day {
            let (_, starts, rate) = events[index];
            let key = rate.to_bits();
            if starts {
                *active.entry(key).or_insert(0) += 1;
                sum += rate;
            } else if let Some(count) = active.get_mut(&key) {
                *count -= 1;
                sum -= rate;
                if *count == 0 {
                    active.remove(&key);
                }
            }
            index += 1;
        }
        if active.is_empty() {
            // No rounding left over between separate runs of work.
            sum = 0.0;
        }
        let Some(&(next, _, _)) = events.get(index) else {
            break;
        };
        let longest = active
            .keys()
            .next_back()
            .map_or(0.0, |&bits| f64::from_bits(bits));
        hour_days += (next - day) as f64 * longest.max(sum.min(HOURS_WEEK_CAP));
    }
    hour_days / 7.0
}

/// Full-time-equivalent months: per day the matching hours capped at full
/// time. Sweeps over the (sorted) starts and ends, where the daily total can
/// change; `stints` is reordered.
fn fte_months(stints: &mut [Stint], fulltime_hours_per_week: f64) -> f64 {
    if !(fulltime_hours_per_week.is_finite() && fulltime_hours_per_week > 0.0) || stints.is_empty()
    {
        return 0.0;
    }
    let cap = fulltime_hours_per_week;
    // Σ over days of min(Σ hours_per_week, cap): hour-days of a 7-day week.
    let capped_hour_days = if let [single] = stints {
        (single.last - single.first + 1) as f64 * single.hours_per_week.min(cap)
    } else {
        sweep(stints, cap)
    };
    let fulltime_days = capped_hour_days / cap;
    fulltime_days / (365.25 / 12.0)
}

/// Sorts by start and walks the boundaries in order; the weekly hours in
/// force between two boundaries are those of the stints covering it. A
/// min-heap of ends would do for thousands of jobs; profiles hold a handful,
/// where the rescan of the active stints is faster and keeps sums exact.
fn sweep(stints: &mut [Stint], cap: f64) -> f64 {
    stints.sort_unstable_by_key(|s| s.first);
    let mut total = 0.0;
    let mut day = stints[0].first;
    let mut next_start = 0;
    loop {
        // Stints that started by `day` and are still running.
        while next_start < stints.len() && stints[next_start].first <= day {
            next_start += 1;
        }
        let started = &stints[..next_start];
        let mut rate = 0.0;
        let mut boundary = i64::MAX;
        for s in started.iter().filter(|s| s.last >= day) {
            rate += s.hours_per_week;
            boundary = boundary.min(s.last + 1);
        }
        if let Some(upcoming) = stints.get(next_start) {
            boundary = boundary.min(upcoming.first);
        }
        if boundary == i64::MAX {
            break;
        }
        total += (boundary - day) as f64 * rate.min(cap);
        day = boundary;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::eval::Verdict::*;
    use crate::ruleset::VocabularyKind;
    use serde_json::json;

    fn rule(amount: f64, unit: ExperienceUnit) -> ExperienceRule {
        ExperienceRule {
            amount,
            unit,
            fulltime_hours_per_week: 35.0,
            areas: None,
            each_area: false,
            settings: None,
            jobs: None,
            states: None,
            licensed: false,
            tags: None,
            within_years: None,
            after: None,
        }
    }

    fn months(amount: f64) -> ExperienceRule {
        rule(amount, ExperienceUnit::Months)
    }

    fn job(start: &str, end: Option<&str>, hours: f64) -> serde_json::Value {
        json!({ "start": start, "end": end, "hours_per_week": hours,
                "setting": "clinical laboratory", "area": "hematology" })
    }

    fn amount(rule: &ExperienceRule, jobs: Vec<serde_json::Value>, as_of: &str) -> f64 {
        let rules = rules_with_vocabulary();
        let profile = profile(json!({ "experience": jobs }));
        let ctx = crate::eval::Context::new(d(as_of));
        let ev = Evaluator::new(&rules, &profile, &ctx, None);
        ev.experience_amount(rule, &Window::new(d(as_of), rule.within_years))
    }

    fn verdict(
        rule: ExperienceRule,
        jobs: Vec<serde_json::Value>,
        as_of: &str,
    ) -> (Verdict, Vec<super::super::test_support::ShownUnmet>) {
        let rules = single_condition(experience_req(rule));
        let outcome = evaluate(&rules, json!({ "experience": jobs }), as_of);
        (outcome.verdict, outcome.unmet)
    }

    #[test]
    fn exactly_the_threshold_is_met_and_one_day_less_is_not() {
        // 1461 days at half time = 730.5 full-time days = 24.0 months exactly.
        let start = d("2020-01-01");
        let end = start.add_days(1460).to_string();
        let jobs = vec![job("2020-01-01", Some(&end), 17.5)];
        assert_eq!(amount(&months(24.0), jobs.clone(), "2026-01-01"), 24.0);
        assert_eq!(verdict(months(24.0), jobs, "2026-01-01").0, Eligible);

        let short = start.add_days(1459).to_string();
        let jobs = vec![job("2020-01-01", Some(&short), 17.5)];
        let (v, unmet) = verdict(months(24.0), jobs, "2026-01-01");
        assert_eq!(v, NotEligible);
        assert_eq!(
            unmet[0].have,
            Some(23.9),
            "23.98 is shown as 23.9, never 24"
        );
        assert_eq!(unmet[0].needed, Some(24.0));
        assert_eq!(unmet[0].unit, Some("months"));
    }

    #[test]
    fn full_time_is_capped_and_part_time_is_pro_rata() {
        // 40 h/week counts as 35: 365 days = 365 full-time days.
        let one_year = vec![job("2021-01-01", Some("2021-12-31"), 40.0)];
        let expected = 365.0 / (365.25 / 12.0);
        assert!((amount(&months(1.0), one_year, "2026-01-01") - expected).abs() < 1e-12);
        let part_time = vec![job("2021-01-01", Some("2021-12-31"), 17.5)];
        assert!((amount(&months(1.0), part_time, "2026-01-01") - expected / 2.0).abs() < 1e-12);
    }

    #[test]
    fn overlapping_jobs_are_not_double_counted() {
        let jobs = vec![
            job("2021-01-01", Some("2021-12-31"), 35.0),
            job("2021-07-01", Some("2022-06-30"), 35.0),
        ];
        let days = (d("2022-06-30").days() - d("2021-01-01").days() + 1) as f64;
        let got = amount(&months(1.0), jobs, "2026-01-01");
        assert!((got - days / (365.25 / 12.0)).abs() < 1e-9, "{got}");
    }

    #[test]
    fn two_part_time_jobs_add_up_to_the_cap() {
        // 20 + 20 h/week at the same time: 40, capped at 35 = full time.
        let together = vec![
            job("2021-01-01", Some("2021-12-31"), 20.0),
            job("2021-01-01", Some("2021-12-31"), 20.0),
        ];
        let alone = vec![job("2021-01-01", Some("2021-12-31"), 35.0)];
        let a = amount(&months(1.0), together, "2026-01-01");
        let b = amount(&months(1.0), alone, "2026-01-01");
        assert!((a - b).abs() < 1e-12);
        // 10 + 10: 20/35 of full time.
        let small = vec![
            job("2021-01-01", Some("2021-12-31"), 10.0),
            job("2021-01-01", Some("2021-12-31"), 10.0),
        ];
        assert!((amount(&months(1.0), small, "2026-01-01") - b * 20.0 / 35.0).abs() < 1e-12);
    }

    #[test]
    fn sweep_matches_a_day_by_day_count() {
        let jobs = [
            ("2019-03-05", Some("2020-02-29"), 12.0),
            ("2019-12-01", Some("2021-06-30"), 30.0),
            ("2020-02-29", None, 8.0),
            ("2020-06-01", Some("2020-06-01"), 40.0),
            ("2021-07-01", Some("2021-06-30"), 40.0), // ends before it starts
            ("2018-01-01", Some("2018-12-31"), 25.0),
        ];
        let as_of = d("2022-03-15");
        let window = Window::new(as_of, Some(3));
        let (lo, hi) = (window.start.unwrap().days(), as_of.days());
        let mut expected = 0.0;
        for day in lo..=hi {
            let mut rate = 0.0;
            for (start, end, hours) in jobs {
                let end = end.map_or(as_of, d).days();
                if d(start).days() <= day && day <= end {
                    rate += hours / 7.0;
                }
            }
            expected += f64::min(rate, 35.0 / 7.0) / (35.0 / 7.0);
        }
        expected /= 365.25 / 12.0;
        let jobs: Vec<_> = jobs.iter().map(|(s, e, h)| job(s, *e, *h)).collect();
        let mut rule = months(1.0);
        rule.within_years = Some(3);
        let got = amount(&rule, jobs, "2022-03-15");
        assert!((got - expected).abs() < 1e-9, "{got} vs {expected}");
    }

    #[test]
    fn many_jobs_spill_to_the_heap_and_still_count_once() {
        let jobs: Vec<_> = (0..40)
            .map(|_| job("2021-01-01", Some("2021-12-31"), 35.0))
            .collect();
        let got = amount(&months(1.0), jobs, "2026-01-01");
        assert!((got - 365.0 / (365.25 / 12.0)).abs() < 1e-9);
    }

    #[test]
    fn hours_are_uncapped() {
        // Overlapping jobs add up to a 40-hour week (see the hours tests below).
        let jobs = vec![
            job("2021-01-01", Some("2021-01-07"), 20.0),
            job("2021-01-01", Some("2021-01-07"), 20.0),
        ];
        assert_eq!(
            amount(&rule(1.0, ExperienceUnit::Hours), jobs, "2026-01-01"),
            40.0
        );
        // Exactly 1000 hours: 200 days at 35 h/week.
        let end = d("2021-01-01").add_days(199).to_string();
        let jobs = vec![job("2021-01-01", Some(&end), 35.0)];
        assert_eq!(
            verdict(
                rule(1000.0, ExperienceUnit::Hours),
                jobs.clone(),
                "2026-01-01"
            )
            .0,
            Eligible
        );
        let (v, unmet) = verdict(rule(1001.0, ExperienceUnit::Hours), jobs, "2026-01-01");
        assert_eq!(v, NotEligible);
        assert_eq!(unmet[0].unit, Some("hours"));
        assert_eq!(unmet[0].have, Some(1000.0));
    }

    #[test]
    fn window_includes_both_ends_and_ongoing_runs_to_as_of() {
        let mut rule = rule(1.0, ExperienceUnit::Hours);
        rule.within_years = Some(1);
        // One day at each end of the window: 2025-06-01 and 2026-06-01.
        let jobs = vec![
            job("2020-01-01", Some("2025-06-01"), 7.0),
            job("2026-06-01", None, 7.0),
        ];
        assert_eq!(amount(&rule, jobs, "2026-06-01"), 2.0);
        // A day earlier or later counts nothing.
        let jobs = vec![
            job("2020-01-01", Some("2025-05-31"), 7.0),
            job("2026-06-02", None, 7.0),
        ];
        assert_eq!(amount(&rule, jobs, "2026-06-01"), 0.0);
        // Start and end days both count.
        let rule_open = super::tests::rule(1.0, ExperienceUnit::Hours);
        assert_eq!(
            amount(
                &rule_open,
                vec![job("2026-01-01", Some("2026-01-02"), 7.0)],
                "2026-06-01"
            ),
            2.0
        );
    }

    #[test]
    fn filters_and_their_reasons() {
        let mut rule = months(24.0);
        rule.settings = Some(terms(VocabularyKind::Setting, &["clinical laboratory"]));
        rule.areas = Some(terms(
            VocabularyKind::Area,
            &["blood banking", "chemistry", "hematology"],
        ));
        rule.within_years = Some(4);
        let jobs = vec![
            job("2023-01-01", None, 40.0),
            json!({ "start": "2024-01-01", "setting": "research laboratory", "area": "hematology" }),
            json!({ "start": "2024-01-01", "setting": "clinical laboratory", "area": "microbiology" }),
        ];
        let (v, unmet) = verdict(rule, jobs, "2024-03-01");
        assert_eq!(v, NotEligible);
        assert_eq!(
            unmet[0].message,
            "needs 24 months of full-time experience in blood banking, chemistry or hematology \
             in a clinical laboratory in the last 4 years; has 14 months; work in a research \
             laboratory does not count: only work in a clinical laboratory does; work in \
             microbiology does not count: only work in blood banking, chemistry or hematology \
             does"
        );
        assert_eq!(unmet[0].kind, crate::eval::UnmetKind::Experience);
    }

    #[test]
    fn aliases_count_and_state_licence_and_tags_filter() {
        let mut rule = months(1.0);
        rule.areas = Some(terms(VocabularyKind::Area, &["blood banking"]));
        rule.states = Some(vec!["CA".into()]);
        rule.licensed = true;
        rule.tags = Some(vec!["high_complexity".into()]);
        let good = json!({ "start": "2025-01-01", "area": "BB", "state": "ca", "licensed": true,
                           "tags": ["High complexity"] });
        assert_eq!(
            verdict(rule.clone(), vec![good.clone()], "2026-01-01").0,
            Eligible
        );
        for (field, value, reason) in [
            (
                "state",
                json!("NV"),
                "work in NV does not count: only work in CA does",
            ),
            ("licensed", json!(false), "work without the state's licence"),
            (
                "tags",
                json!(["supervisory"]),
                "work not tagged high complexity does not count",
            ),
        ] {
            let mut bad = good.clone();
            bad[field] = value;
            let (v, unmet) = verdict(rule.clone(), vec![bad], "2026-01-01");
            assert_eq!(v, NotEligible);
            assert!(unmet[0].message.contains(reason), "{}", unmet[0].message);
        }
    }

    #[test]
    fn window_reason_names_the_first_day() {
        let mut rule = months(24.0);
        rule.within_years = Some(1);
        let (_, unmet) = verdict(
            rule,
            vec![job("2020-01-01", Some("2025-12-31"), 40.0)],
            "2026-06-01",
        );
        assert!(
            unmet[0]
                .message
                .ends_with("only work from 2025-06-01 counts (1-year window)"),
            "{}",
            unmet[0].message
        );
    }

    /// The hours semantics (README, "hours of experience"), day by day:
    /// the matching jobs' hours per day add up to at most 40/7 hours (a
    /// 40-hour week), but never to less than the longest single job's.
    fn hours_day_by_day(jobs: &[(&str, Option<&str>, f64)], as_of: &str) -> f64 {
        let as_of = d(as_of);
        let Some(lo) = jobs.iter().map(|(start, _, _)| d(start).days()).min() else {
            return 0.0;
        };
        let mut total = 0.0;
        for day in lo..=as_of.days() {
            let (mut sum, mut longest) = (0.0_f64, 0.0_f64);
            for (start, end, hours) in jobs {
                let end = end.map_or(as_of, d).days();
                if d(start).days() <= day && day <= end {
                    sum += hours / 7.0;
                    longest = longest.max(hours / 7.0);
                }
            }
            total += longest.max(sum.min(40.0 / 7.0));
        }
        total
    }

    #[test]
    fn hours_of_the_same_job_listed_twice_count_once() {
        // Issue 9: a four-month phlebotomy job listed under two areas.
        let one = vec![job("2025-01-01", Some("2025-04-30"), 40.0)];
        let twice = vec![
            job("2025-01-01", Some("2025-04-30"), 40.0),
            job("2025-01-01", Some("2025-04-30"), 40.0),
        ];
        let rule = rule(1.0, ExperienceUnit::Hours);
        let single = amount(&rule, one, "2026-01-01");
        assert!((single - 120.0 * 40.0 / 7.0).abs() < 1e-9, "{single}");
        assert_eq!(amount(&rule, twice, "2026-01-01"), single);
    }

    #[test]
    fn hours_match_a_day_by_day_count() {
        let cases: &[&[(&str, Option<&str>, f64)]] = &[
            // Two part-time jobs add up to the cap, and no further.
            &[
                ("2024-01-01", Some("2024-12-31"), 20.0),
                ("2024-03-01", None, 15.0),
            ],
            &[
                ("2024-01-01", Some("2024-12-31"), 30.0),
                ("2024-03-01", None, 30.0),
            ],
            // One job above 40 hours counts its own hours, alone or overlapped.
            &[("2024-01-01", Some("2024-06-30"), 50.0)],
            &[
                ("2024-01-01", Some("2024-06-30"), 50.0),
                ("2024-02-01", Some("2024-09-30"), 10.0),
            ],
            // Overlaps of every shape, a one-day job, an open end.
            &[
                ("2019-03-05", Some("2020-02-29"), 12.0),
                ("2019-12-01", Some("2021-06-30"), 30.0),
                ("2020-02-29", None, 8.0),
                ("2020-06-01", Some("2020-06-01"), 40.0),
                ("2018-01-01", Some("2018-12-31"), 25.0),
                ("2018-06-01", Some("2019-12-31"), 45.0),
            ],
        ];
        let rule = rule(1.0, ExperienceUnit::Hours);
        for jobs in cases {
            let expected = hours_day_by_day(jobs, "2022-03-15");
            let listed: Vec<_> = jobs.iter().map(|(s, e, h)| job(s, *e, *h)).collect();
            let got = amount(&rule, listed, "2022-03-15");
            assert!(
                (got - expected).abs() < 1e-6,
                "{jobs:?}: {got} vs {expected}"
            );
        }
    }
}
