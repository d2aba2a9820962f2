//! A deliberately naive second implementation of the evaluation semantics,
//! written from the documentation (design.md "Profile file", docs/language.md
//! "Conditions" and "Composition"), sharing no code with `src/eval`: it reads
//! only the checked rule set and the profile.
//!
//! Naive on purpose: experience is counted day by day, stepping the calendar
//! one day at a time from the earliest job to the evaluation date, in exact
//! integer arithmetic (half hours), with no sweep, no fast path and no
//! short-circuit. Every condition kind is one small function, so a new kind
//! is one more match arm and one more function.

use eligo::ruleset::{
    CertificationRule, ContinuingEducationRule, CourseworkRule, DegreeRule, ExperienceRule,
    ExperienceUnit, LicenseRule, LicenseState, ProgramRule, Requirement, RequirementKind, RoleId,
    RuleSet, TermSet, TrainingMeasure, TrainingRule, Validity,
};
use eligo::syntax::ast::CreditUnit;
use eligo::{Date, Profile, Verdict};
use std::cell::RefCell;
use std::collections::HashMap;

/// A calendar day, compared as (year, month, day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i32, pub u32, pub u32);

impl Day {
    pub fn of(date: Date) -> Day {
        Day(date.year(), date.month(), date.day())
    }

    fn is_leap(year: i32) -> bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    fn month_length(year: i32, month: u32) -> u32 {
        match month {
            2 if Day::is_leap(year) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// The calendar's next day.
    pub fn next(self) -> Day {
        let Day(year, month, day) = self;
        if day < Day::month_length(year, month) {
            Day(year, month, day + 1)
        } else if month < 12 {
            Day(year, month + 1, 1)
        } else {
            Day(year + 1, 1, 1)
        }
    }

    /// The same calendar date `years` earlier; 29 February falls back to 28 February.
    pub fn years_before(self, years: u32) -> Day {
        let year = self.0 - years as i32;
        Day(year, self.1, self.2.min(Day::month_length(year, self.1)))
    }
}

/// A quantity as the oracle counts it: an exact fraction `numerator / denominator`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exact {
    pub numerator: i128,
    pub denominator: i128,
}

impl Exact {
    pub fn value(self) -> f64 {
        self.numerator as f64 / self.denominator as f64
    }

    /// Whether it reaches `needed` (thresholds are inclusive).
    pub fn reaches(self, needed: f64) -> bool {
        // Rule amounts are written with at most two decimals.
        let hundredths = (needed * 100.0).round() as i128;
        assert!(
            ((hundredths as f64) / 100.0 - needed).abs() < 1e-9,
            "the oracle expects amounts with at most two decimals, not {needed}"
        );
        self.numerator * 100 >= hundredths * self.denominator
    }

    /// The contract's `have`: one decimal, never rounded up to a threshold
    /// it misses (design.md: "has 23.9", not "24").
    pub fn shown(self, needed: f64) -> f64 {
        // Tenths, rounded half up, exactly.
        let tenths_floor = (self.numerator * 10).div_euclid(self.denominator);
        let remainder = (self.numerator * 10).rem_euclid(self.denominator);
        let rounded = if remainder * 2 >= self.denominator {
            tenths_floor + 1
        } else {
            tenths_floor
        };
        let rounded = rounded as f64 / 10.0;
        if !self.reaches(needed) && rounded >= needed {
            tenths_floor as f64 / 10.0
        } else {
            rounded
        }
    }

    /// How close `shown` is to a rounding boundary (in tenths): where the
    /// engine's floating point may legitimately round the other way.
    pub fn near_rounding_boundary(self) -> bool {
        let scaled = self.value() * 10.0;
        (scaled - scaled.floor() - 0.5).abs() < 1e-6 || (scaled - scaled.round()).abs() < 1e-6
    }
}

/// Half hours, exactly: every generated hours figure is a multiple of 0.5.
fn halves(hours: f64) -> i128 {
    let halves = hours * 2.0;
    assert!(
        halves.fract() == 0.0,
        "the oracle counts in half hours, not {hours}"
    );
    halves as i128
}

/// A 40-hour week, in half hours: the most overlapping jobs add up to
/// for hours of experience (docs/language.md).
const HOURS_WEEK_CAP_HALVES: i128 = 80;

pub struct Oracle<'a> {
    rules: &'a RuleSet,
    profile: &'a Profile,
    as_of: Day,
    /// `--state` or the profile's; blank counts as absent.
    state: Option<String>,
    /// Memos, per requirement node: the oracle is slow by design, and the
    /// same conditions recur in many roles.
    roles: RefCell<HashMap<RoleId, Verdict>>,
    verdicts: RefCell<HashMap<u32, Verdict>>,
    amounts: RefCell<HashMap<u32, Exact>>,
}

/// Case-insensitive equality of codes and names, ignoring surrounding space.
fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Tags: case, `_`, `-` and spaces do not matter.
fn same_tag(a: &str, b: &str) -> bool {
    let fold = |s: &str| -> String {
        s.trim()
            .chars()
            .map(|c| {
                if c == '_' || c == '-' || c.is_whitespace() {
                    ' '
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    };
    fold(a) == fold(b)
}

fn matches(set: &TermSet, value: Option<&str>) -> bool {
    value.is_some_and(|value| set.matches(value))
}

fn accredited(accepted: &Option<Vec<String>>, have: Option<&str>) -> bool {
    match accepted {
        None => true,
        Some(bodies) => have.is_some_and(|have| bodies.iter().any(|body| same(body, have))),
    }
}

fn kleene_all(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
    let verdicts: Vec<Verdict> = verdicts.into_iter().collect();
    if verdicts.contains(&Verdict::NotEligible) {
        Verdict::NotEligible
    } else if verdicts.contains(&Verdict::Undetermined) {
        Verdict::Undetermined
    } else {
        Verdict::Eligible
    }
}

fn kleene_any(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
    let verdicts: Vec<Verdict> = verdicts.into_iter().collect();
    if verdicts.contains(&Verdict::Eligible) {
        Verdict::Eligible
    } else if verdicts.contains(&Verdict::Undetermined) {
        Verdict::Undetermined
    } else {
        Verdict::NotEligible
    }
}

fn verdict(met: bool) -> Verdict {
    if met {
        Verdict::Eligible
    } else {
        Verdict::NotEligible
    }
}

impl<'a> Oracle<'a> {
    pub fn new(
        rules: &'a RuleSet,
        profile: &'a Profile,
        as_of: Date,
        state: Option<&str>,
    ) -> Oracle<'a> {
        let state = state
            .or(profile.state.as_deref())
            .map(str::trim)
            .filter(|state| !state.is_empty())
            .map(str::to_string);
        Oracle {
            rules,
            profile,
            as_of: Day::of(as_of),
            state,
            roles: RefCell::new(HashMap::new()),
            verdicts: RefCell::new(HashMap::new()),
            amounts: RefCell::new(HashMap::new()),
        }
    }

    pub fn profile(&self) -> &'a Profile {
        self.profile
    }

    /// The same profile and state judged on another day (an `as_of` block).
    pub fn on(&self, date: Date) -> Oracle<'a> {
        Oracle::new(self.rules, self.profile, date, self.state.as_deref())
    }

    fn in_force(&self, validity: &Validity) -> bool {
        validity.from.is_none_or(|from| self.as_of >= Day::of(from))
            && validity
                .until
                .is_none_or(|until| self.as_of < Day::of(until))
    }

    /// The window's first day: `within N years` counts back from the
    /// evaluation date, both ends included.
    fn window_start(&self, years: Option<u32>) -> Option<Day> {
        years.map(|years| self.as_of.years_before(years))
    }

    fn in_window(&self, day: Day, years: Option<u32>) -> bool {
        day <= self.as_of && self.window_start(years).is_none_or(|start| day >= start)
    }

    fn completed_in_window(&self, completed: Option<Date>, years: Option<u32>) -> bool {
        completed.is_some_and(|completed| self.in_window(Day::of(completed), years))
    }

    /// A credential counts where `from` (when given) ≤ evaluation date ≤ `expires` (when given).
    fn valid(&self, from: Option<Date>, expires: Option<Date>) -> bool {
        from.is_none_or(|from| Day::of(from) <= self.as_of)
            && expires.is_none_or(|expires| self.as_of <= Day::of(expires))
    }

    pub fn role(&self, role: RoleId) -> Verdict {
        if let Some(&known) = self.roles.borrow().get(&role) {
            return known;
        }
        let definition = &self.rules[role];
        let verdict = if self.in_force(&definition.validity) {
            self.eval(&definition.requirement)
        } else {
            Verdict::NotEligible
        };
        self.roles.borrow_mut().insert(role, verdict);
        verdict
    }

    pub fn eval(&self, requirement: &Requirement) -> Verdict {
        if let Some(&known) = self.verdicts.borrow().get(&requirement.node) {
            return known;
        }
        let verdict = self.decide(requirement);
        self.verdicts.borrow_mut().insert(requirement.node, verdict);
        verdict
    }

    /// Months or hours of matching work (see [`Oracle::count_experience`]), once per condition.
    pub fn experience_of(&self, requirement: &Requirement, rule: &ExperienceRule) -> Exact {
        if let Some(&known) = self.amounts.borrow().get(&requirement.node) {
            return known;
        }
        let amount = self.count_experience(rule);
        self.amounts.borrow_mut().insert(requirement.node, amount);
        amount
    }

    fn decide(&self, requirement: &Requirement) -> Verdict {
        match &requirement.kind {
            RequirementKind::All(parts) => kleene_all(parts.iter().map(|part| self.eval(part))),
            RequirementKind::Any(alternatives) => kleene_any(alternatives.iter().map(|alt| {
                let in_force = alt
                    .route
                    .as_ref()
                    .is_none_or(|route| self.in_force(&route.validity));
                if in_force {
                    self.eval(&alt.requirement)
                } else {
                    Verdict::NotEligible
                }
            })),
            RequirementKind::AtLeast { count, of } => self.at_least(*count, of).0,
            RequirementKind::Not(inner) => match self.eval(inner) {
                Verdict::Eligible => Verdict::NotEligible,
                Verdict::NotEligible => Verdict::Eligible,
                Verdict::Undetermined => Verdict::Undetermined,
            },
            RequirementKind::When {
                guard,
                then,
                otherwise,
            } => self.when(guard, then, otherwise.as_deref()),
            RequirementKind::Degree(rule) => self.degree(rule),
            RequirementKind::Program(rule) => self.program(rule),
            RequirementKind::Coursework(rule) => self.coursework(rule).0,
            RequirementKind::Certification(rule) => self.certification(rule),
            RequirementKind::License(rule) => self.license(rule),
            RequirementKind::Experience(rule) => self.experience(requirement, rule),
            RequirementKind::Training(rule) => self.training(rule),
            RequirementKind::ContinuingEducation(rule) => {
                verdict(self.continuing_education(rule).reaches(rule.hours))
            }
            RequirementKind::Age { minimum } => self.age(*minimum),
            RequirementKind::Role(role) => self.role(*role),
            RequirementKind::Use(definition) => {
                self.eval(&self.rules.definitions[*definition].requirement)
            }
            RequirementKind::StateIn(states) => match &self.state {
                None => Verdict::Undetermined,
                Some(state) => verdict(states.iter().any(|listed| same(listed, state))),
            },
            RequirementKind::Date { on_or_after, date } => {
                verdict((self.as_of >= Day::of(*date)) == *on_or_after)
            }
            // The body judged on another day: a fresh oracle of that day.
            RequirementKind::AsOf { date, body } => {
                Oracle::new(self.rules, self.profile, *date, self.state.as_deref()).eval(body)
            }
            RequirementKind::Serving(rule) => self.serving(rule),
        }
    }

    /// In the position on every day from `since` to the evaluation date,
    /// checked day by day.
    fn serving(&self, rule: &eligo::ruleset::ServingRule) -> Verdict {
        let since = Day::of(rule.since);
        if self.as_of < since {
            return Verdict::NotEligible;
        }
        let jobs: Vec<(Day, Day)> = self
            .profile
            .experience
            .iter()
            .filter(|job| self.job_matches(&rule.work, job))
            .map(|job| (Day::of(job.start), job.end.map_or(self.as_of, Day::of)))
            .collect();
        let mut day = since;
        while day <= self.as_of {
            if !jobs
                .iter()
                .any(|(first, last)| *first <= day && day <= *last)
            {
                return Verdict::NotEligible;
            }
            day = day.next();
        }
        Verdict::Eligible
    }

    /// `experience`: the amount (counted from the `after` day, when there is
    /// one), every `in each of` area worked in, and the `after` credential
    /// held with its date.
    fn experience(&self, requirement: &Requirement, rule: &ExperienceRule) -> Verdict {
        let enough = self.experience_of(requirement, rule).reaches(rule.amount)
            && self.every_area_worked(rule);
        match self.after_day(rule) {
            After::Missing => Verdict::NotEligible,
            After::Undated if enough => Verdict::Undetermined,
            After::Undated => Verdict::NotEligible,
            After::None | After::From(_) => verdict(enough),
        }
    }

    /// `in each of`: some day of matching work (hours above 0) in the
    /// counted window, in every area of the list.
    fn every_area_worked(&self, rule: &ExperienceRule) -> bool {
        self.areas_without_work(rule) == 0
    }

    /// `in each of`: how many of the listed areas have no matching work.
    pub fn areas_without_work(&self, rule: &ExperienceRule) -> usize {
        let (true, Some(areas)) = (rule.each_area, &rule.areas) else {
            return 0;
        };
        let start = self.counted_from(rule);
        areas
            .terms
            .iter()
            .filter(|term| {
                !self.profile.experience.iter().any(|job| {
                    let canonical = job.area.as_deref().and_then(|area| {
                        self.rules
                            .vocabularies
                            .canonical(eligo::ruleset::VocabularyKind::Area, area)
                    });
                    let last = job.end.map_or(self.as_of, Day::of).min(self.as_of);
                    canonical.as_deref() == Some(term.as_str())
                        && self.job_matches(rule, job)
                        && job.hours_per_week.unwrap_or(40.0) > 0.0
                        && Day::of(job.start) <= last
                        && start.is_none_or(|start| last >= start)
                })
            })
            .count()
    }

    /// `experience … after …`: the credential's day, as the oracle reads it.
    fn after_day(&self, rule: &ExperienceRule) -> After {
        let Some(after) = &rule.after else {
            return After::None;
        };
        let dates: Vec<Option<Date>> = match after {
            eligo::ruleset::AfterRule::Certification(options) => self
                .profile
                .certifications
                .iter()
                .filter(|held| {
                    options
                        .iter()
                        .any(|o| same(&o.issuer, &held.issuer) && same(&o.name, &held.name))
                })
                .map(|held| held.earned)
                .collect(),
            eligo::ruleset::AfterRule::Degree(level) => self
                .profile
                .education
                .iter()
                .filter(|entry| entry.degree >= *level && entry.completed.is_some())
                .map(|entry| entry.completed)
                .collect(),
        };
        let first = dates
            .iter()
            .flatten()
            .map(|date| Day::of(*date))
            .filter(|day| *day <= self.as_of)
            .min();
        match (first, dates.is_empty(), after) {
            (Some(day), _, _) => After::From(day),
            (None, false, eligo::ruleset::AfterRule::Certification(_)) => After::Undated,
            _ => After::Missing,
        }
    }

    /// The first day experience counts from: the window's and the `after` day's later.
    fn counted_from(&self, rule: &ExperienceRule) -> Option<Day> {
        let window = self.window_start(rule.within_years);
        match self.after_day(rule) {
            After::From(day) => Some(window.map_or(day, |start| start.max(day))),
            _ => window,
        }
    }

    /// `at least N of`: the verdict and how many parts are met.
    pub fn at_least(&self, count: usize, parts: &[Requirement]) -> (Verdict, usize) {
        let verdicts: Vec<Verdict> = parts.iter().map(|part| self.eval(part)).collect();
        let met = verdicts.iter().filter(|v| **v == Verdict::Eligible).count();
        let open = verdicts
            .iter()
            .filter(|v| **v == Verdict::Undetermined)
            .count();
        let verdict = if met >= count {
            Verdict::Eligible
        } else if met + open >= count {
            Verdict::Undetermined
        } else {
            Verdict::NotEligible
        };
        (verdict, met)
    }

    /// A guard that cannot be decided decides nothing when both branches hold.
    fn when(
        &self,
        guard: &Requirement,
        then: &Requirement,
        otherwise: Option<&Requirement>,
    ) -> Verdict {
        let otherwise_verdict = || otherwise.map_or(Verdict::Eligible, |o| self.eval(o));
        match self.eval(guard) {
            Verdict::Eligible => self.eval(then),
            Verdict::NotEligible => otherwise_verdict(),
            Verdict::Undetermined => {
                if self.eval(then) == Verdict::Eligible && otherwise_verdict() == Verdict::Eligible
                {
                    Verdict::Eligible
                } else {
                    Verdict::Undetermined
                }
            }
        }
    }

    fn degree(&self, rule: &DegreeRule) -> Verdict {
        verdict(self.profile.education.iter().any(|entry| {
            entry.degree >= rule.minimum
                && rule
                    .fields
                    .as_ref()
                    .is_none_or(|fields| matches(fields, entry.field.as_deref()))
                && accredited(&rule.accredited_by, entry.accreditation.as_deref())
                && self.completed_in_window(entry.completed, rule.within_years)
        }))
    }

    /// An education entry whose field, or a training entry whose programme, matches.
    fn program(&self, rule: &ProgramRule) -> Verdict {
        let counts =
            |accreditation: Option<&str>, completed: Option<Date>, expected: Option<Date>| {
                accredited(&rule.accredited_by, accreditation)
                    && (self.completed_in_window(completed, rule.within_years)
                        || self.scheduled(rule.scheduled, completed, expected))
            };
        let education = self.profile.education.iter().any(|entry| {
            matches(&rule.programs, entry.field.as_deref())
                && counts(
                    entry.accreditation.as_deref(),
                    entry.completed,
                    entry.expected,
                )
        });
        let training = self.profile.training.iter().any(|entry| {
            rule.programs.matches(&entry.program)
                && counts(
                    entry.accreditation.as_deref(),
                    entry.completed,
                    entry.expected,
                )
        });
        verdict(education || training)
    }

    /// The verdict and the credit counted, in semester hours (exact, in sixths).
    pub fn coursework(&self, rule: &CourseworkRule) -> (Verdict, Exact) {
        let mut sixths = 0i128;
        let mut courses = 0;
        let mut on_topic = false;
        for course in &self.profile.coursework {
            if !rule
                .subjects
                .as_ref()
                .is_none_or(|subjects| subjects.matches(&course.subject))
            {
                continue;
            }
            courses += 1;
            // A quarter hour is 2/3 of a semester hour: 6 sixths a semester
            // hour, 4 a quarter hour.
            if let Some(semester) = course.semester_hours {
                sixths += halves(semester) * 3;
            } else if let Some(quarter) = course.quarter_hours {
                sixths += halves(quarter) * 2;
            }
            if let Some(topics) = &rule.including {
                on_topic |= matches(topics, course.topic.as_deref());
            }
        }
        let total = Exact {
            numerator: sixths,
            denominator: 6,
        };
        let hours_met = match rule.written_minimum {
            Some((amount, CreditUnit::SemesterHours)) => total.reaches(amount),
            // The minimum as written, in quarter hours (4 sixths each).
            Some((amount, CreditUnit::QuarterHours)) => Exact {
                numerator: sixths,
                denominator: 4,
            }
            .reaches(amount),
            // `coursework in X` asks for one course in X; `coursework
            // including T` for one course on T.
            None => rule.including.is_some() || courses > 0,
        };
        let included = rule.including.is_none() || on_topic;
        (verdict(hours_met && included), total)
    }

    fn certification(&self, rule: &CertificationRule) -> Verdict {
        let held: Vec<&eligo::profile::Certification> = self
            .profile
            .certifications
            .iter()
            .filter(|held| {
                rule.options.iter().any(|option| {
                    same(&option.issuer, &held.issuer) && same(&option.name, &held.name)
                }) && self.valid(held.earned, held.expires)
            })
            .collect();
        let Some(bound) = rule.earned else {
            return verdict(!held.is_empty());
        };
        // `earned >= D` / `earned < D`; a held one without a date decides nothing.
        if held.iter().any(|held| {
            held.earned
                .is_some_and(|on| (on >= bound.date) == bound.on_or_after)
        }) {
            Verdict::Eligible
        } else if held.iter().any(|held| held.earned.is_none()) {
            Verdict::Undetermined
        } else {
            Verdict::NotEligible
        }
    }

    fn license(&self, rule: &LicenseRule) -> Verdict {
        let accepted = |kind: &str| {
            rule.types
                .as_ref()
                .is_none_or(|types| types.iter().any(|t| same(t, kind)))
        };
        let holds_from = |state: &str| {
            self.profile.licenses.iter().any(|held| {
                same(&held.state, state)
                    && accepted(&held.kind)
                    && self.valid(held.issued, held.expires)
            })
        };
        match &rule.state {
            LicenseState::Code(code) => verdict(holds_from(code)),
            LicenseState::Candidate => match &self.state {
                Some(state) => verdict(holds_from(state)),
                // Undetermined only if some state would make it met: a
                // valid licence of an accepted type from anywhere.
                None => {
                    let anywhere =
                        self.profile.licenses.iter().any(|held| {
                            accepted(&held.kind) && self.valid(held.issued, held.expires)
                        });
                    if anywhere {
                        Verdict::Undetermined
                    } else {
                        Verdict::NotEligible
                    }
                }
            },
        }
    }

    /// Whether a job passes every filter of an experience condition.
    fn job_matches(&self, rule: &ExperienceRule, job: &eligo::profile::Experience) -> bool {
        let filter = |set: &Option<TermSet>, value: Option<&str>| {
            set.as_ref().is_none_or(|set| matches(set, value))
        };
        filter(&rule.settings, job.setting.as_deref())
            && filter(&rule.areas, job.area.as_deref())
            && filter(&rule.jobs, job.role.as_deref())
            && rule.states.as_ref().is_none_or(|states| {
                job.state
                    .as_deref()
                    .is_some_and(|here| states.iter().any(|s| same(s, here)))
            })
            && (!rule.licensed || job.licensed == Some(true))
            && rule.tags.as_ref().is_none_or(|tags| {
                job.tags
                    .iter()
                    .any(|tag| tags.iter().any(|wanted| same_tag(tag, wanted)))
            })
    }

    /// Months (full-time equivalent) or hours of matching work, counted day
    /// by day over the window.
    fn count_experience(&self, rule: &ExperienceRule) -> Exact {
        // (first day, last day, weekly hours in half hours) of each matching job.
        let jobs: Vec<(Day, Day, i128)> = self
            .profile
            .experience
            .iter()
            .filter(|job| self.job_matches(rule, job))
            .map(|job| {
                // design.md: `hours_per_week` defaults to 40.
                let weekly = job.hours_per_week.unwrap_or(40.0);
                let end = job.end.map_or(self.as_of, Day::of);
                (Day::of(job.start), end, halves(weekly))
            })
            .filter(|(_, _, weekly)| *weekly > 0)
            .collect();
        if self.after_day(rule) == After::Missing {
            return Exact {
                numerator: 0,
                denominator: 1,
            };
        }
        let window_start = self.counted_from(rule);
        let Some(mut day) = jobs.iter().map(|(first, _, _)| *first).min() else {
            return Exact {
                numerator: 0,
                denominator: 1,
            };
        };
        let full_time = halves(rule.fulltime_hours_per_week);
        // Σ over days of the day's weekly hours (half hours): capped at full
        // time for months; for hours, added up to a 40-hour week but never
        // less than the longest single job.
        let mut half_hour_days = 0i128;
        while day <= self.as_of {
            if window_start.is_none_or(|start| day >= start) {
                let working: Vec<i128> = jobs
                    .iter()
                    .filter(|(first, last, _)| *first <= day && day <= *last)
                    .map(|(_, _, weekly)| *weekly)
                    .collect();
                let sum: i128 = working.iter().sum();
                half_hour_days += match rule.unit {
                    ExperienceUnit::Months => sum.min(full_time),
                    ExperienceUnit::Hours => {
                        let longest = working.iter().copied().max().unwrap_or(0);
                        longest.max(sum.min(HOURS_WEEK_CAP_HALVES))
                    }
                };
            }
            day = day.next();
        }
        match rule.unit {
            // Full-time days = half-hour-days / full time; months = days /
            // (365.25 / 12) = days * 48 / 1461.
            ExperienceUnit::Months => Exact {
                numerator: half_hour_days * 48,
                denominator: full_time * 1461,
            },
            // A day of a job counts hours_per_week / 7 hours.
            ExperienceUnit::Hours => Exact {
                numerator: half_hour_days,
                denominator: 14,
            },
        }
    }

    /// `scheduled`: in progress (no `completed`), expected on or after the evaluation date.
    fn scheduled(&self, accepted: bool, completed: Option<Date>, expected: Option<Date>) -> bool {
        accepted && completed.is_none() && expected.is_some_and(|on| Day::of(on) >= self.as_of)
    }

    fn training(&self, rule: &TrainingRule) -> Verdict {
        verdict(self.profile.training.iter().any(|entry| {
            rule.programs.matches(&entry.program)
                && accredited(&rule.accredited_by, entry.accreditation.as_deref())
                && (self.completed_in_window(entry.completed, rule.within_years)
                    || self.scheduled(rule.scheduled, entry.completed, entry.expected))
                && rule
                    .minimums
                    .iter()
                    .all(|&(measure, minimum)| training_measure(entry, measure) >= minimum)
        }))
    }

    /// Hours of continuing education on the topics, completed in the window.
    pub fn continuing_education(&self, rule: &ContinuingEducationRule) -> Exact {
        let mut total = 0i128;
        for entry in &self.profile.continuing_education {
            let on_topic = rule
                .topics
                .as_ref()
                .is_none_or(|topics| matches(topics, entry.topic.as_deref()));
            if on_topic && self.in_window(Day::of(entry.completed), rule.within_years) {
                total += halves(entry.hours);
            }
        }
        Exact {
            numerator: total,
            denominator: 2,
        }
    }

    fn age(&self, minimum: u32) -> Verdict {
        let Some(birth) = self.profile.birth_date else {
            return Verdict::Undetermined;
        };
        // Count birthdays one year at a time: the age is the number of
        // anniversaries on or before the evaluation date.
        let birth = Day::of(birth);
        let mut age = 0i64;
        let mut year = birth.0 + 1;
        while year <= self.as_of.0 {
            if Day(year, birth.1, birth.2) <= self.as_of {
                age += 1;
            }
            year += 1;
        }
        verdict(age >= i64::from(minimum))
    }
}

/// What a training entry reports for a measure; absent counts as 0.
pub fn training_measure(entry: &eligo::profile::Training, measure: TrainingMeasure) -> f64 {
    match measure {
        TrainingMeasure::Weeks => entry.duration_weeks.unwrap_or(0.0),
        TrainingMeasure::DidacticHours => entry.didactic_hours.unwrap_or(0.0),
        TrainingMeasure::ClinicalHours => entry.clinical_hours.unwrap_or(0.0),
        TrainingMeasure::Venipunctures => f64::from(entry.venipunctures.unwrap_or(0)),
        TrainingMeasure::SkinPunctures => f64::from(entry.skin_punctures.unwrap_or(0)),
        TrainingMeasure::ArterialPunctures => f64::from(entry.arterial_punctures.unwrap_or(0)),
        TrainingMeasure::Collections => {
            f64::from(entry.venipunctures.unwrap_or(0))
                + f64::from(entry.skin_punctures.unwrap_or(0))
        }
    }
}

/// Where `experience … after …` starts counting, as the oracle reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum After {
    /// No `after` clause.
    None,
    From(Day),
    /// The certification is held, with no `earned` date.
    Undated,
    Missing,
}
