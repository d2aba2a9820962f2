//! `serving as JOBS … since DATE`: the profile shows work in the position on
//! `DATE` and on every day after it, up to the evaluation date (CLIA's "qualified
//! and serving on 2024-12-28, continuously since"). Jobs are the experience
//! entries that pass the condition's filters, at any weekly hours; an entry
//! without `end` runs to the evaluation date. Consecutive entries may chain
//! (one ends on the 31st, the next starts on the 1st); a day with no such
//! entry breaks the service.

use super::{Collected, Evaluator, Fact, Finding, Reason, Record, UnmetKind, Verdict};
use crate::date::Date;
use crate::ruleset::{FileId, Requirement, ServingRule};

/// Where continuous service from `since` to `until` breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Service {
    Unbroken,
    /// `from` is the first day without work in the position; `resumed` the
    /// next day with such work, when there is one.
    Gap {
        from: Date,
        resumed: Option<Date>,
    },
}

/// Whether the periods (first and last day, both included) cover every day
/// of `[since, until]`.
pub(crate) fn service(mut periods: Vec<(Date, Date)>, since: Date, until: Date) -> Service {
    periods.retain(|&(first, last)| first <= last && last >= since && first <= until);
    periods.sort_unstable();
    // The first day not yet covered.
    let mut uncovered = since;
    for &(first, last) in &periods {
        if first > uncovered {
            return Service::Gap {
                from: uncovered,
                resumed: Some(first),
            };
        }
        if last >= uncovered {
            uncovered = last.add_days(1);
        }
        if uncovered > until {
            return Service::Unbroken;
        }
    }
    if uncovered > until {
        Service::Unbroken
    } else {
        Service::Gap {
            from: uncovered,
            resumed: None,
        }
    }
}

impl<'r> Evaluator<'r, '_, '_> {
    pub(super) fn serving(
        &self,
        requirement: &'r Requirement,
        rule: &ServingRule,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let matching = || {
            self.profile
                .experience
                .iter()
                .enumerate()
                .filter(|(_, job)| self.job_matches(&rule.work, job))
        };
        let outcome = if self.as_of < rule.since {
            None
        } else {
            let periods = matching()
                .map(|(_, job)| {
                    (
                        job.start,
                        job.end.map_or(self.as_of, |end| end.min(self.as_of)),
                    )
                })
                .collect();
            Some(service(periods, rule.since, self.as_of))
        };
        let met = outcome == Some(Service::Unbroken);
        if !self.explain {
            return Verdict::of(met);
        }
        if met {
            self.met(found, requirement, file, |mut evidence| {
                evidence.findings = matching()
                    .filter(|(_, job)| {
                        job.start <= self.as_of && job.end.is_none_or(|end| end >= rule.since)
                    })
                    .map(|(index, _)| Finding::counted(Record::Experience(index)))
                    .collect();
                evidence
            });
            return Verdict::Eligible;
        }
        let findings = self
            .profile
            .experience
            .iter()
            .enumerate()
            .map(|(index, job)| {
                let mut reasons = self.job_misses(&rule.work, job);
                if reasons.is_empty() {
                    match job.end {
                        Some(end) if end < rule.since => {
                            reasons.push(Reason::EndedBeforeService { on: end })
                        }
                        _ if job.start > self.as_of => {
                            reasons.push(Reason::StartsAfterAsOf { on: job.start })
                        }
                        // Part of the service: the gap says what is missing.
                        _ => return Finding::counted(Record::Experience(index)),
                    }
                }
                Finding::not_counted(Record::Experience(index), reasons)
            })
            .collect();
        let fact = match outcome {
            Some(Service::Gap { from, resumed }) => Fact::ServiceGap {
                since: rule.since,
                from,
                resumed,
            },
            _ => Fact::ServiceNotStarted { since: rule.since },
        };
        let mut gap = self
            .unmet(
                UnmetKind::Experience,
                Verdict::NotEligible,
                requirement,
                file,
            )
            .fact(fact)
            .findings(findings);
        if self.profile.experience.is_empty() {
            gap = gap.fact(Fact::NoneListed);
        }
        found.gaps.push(gap);
        Verdict::NotEligible
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn periods(list: &[(&str, &str)]) -> Vec<(Date, Date)> {
        list.iter().map(|&(a, b)| (d(a), d(b))).collect()
    }

    #[test]
    fn chained_jobs_are_continuous_and_a_missing_day_breaks_them() {
        let since = d("2024-12-28");
        let until = d("2026-11-21");
        let chained = periods(&[("2020-01-01", "2025-03-31"), ("2025-04-01", "2026-11-21")]);
        assert_eq!(service(chained, since, until), Service::Unbroken);
        let broken = periods(&[("2020-01-01", "2025-03-30"), ("2025-04-01", "2026-11-21")]);
        assert_eq!(
            service(broken, since, until),
            Service::Gap {
                from: d("2025-03-31"),
                resumed: Some(d("2025-04-01"))
            }
        );
    }

    #[test]
    fn service_must_cover_the_first_day_and_run_to_the_end() {
        let since = d("2024-12-28");
        let until = d("2026-11-21");
        let hired_after = periods(&[("2025-01-06", "2026-11-21")]);
        assert_eq!(
            service(hired_after, since, until),
            Service::Gap {
                from: since,
                resumed: Some(d("2025-01-06"))
            }
        );
        let left = periods(&[("2019-01-01", "2025-06-30")]);
        assert_eq!(
            service(left, since, until),
            Service::Gap {
                from: d("2025-07-01"),
                resumed: None
            }
        );
        // Overlapping and nested periods, in any order.
        let messy = periods(&[
            ("2025-02-01", "2026-11-21"),
            ("2024-01-01", "2025-01-31"),
            ("2024-06-01", "2024-12-31"),
        ]);
        assert_eq!(service(messy, since, until), Service::Unbroken);
        // A single day of service on the first and only day.
        assert_eq!(
            service(periods(&[("2024-12-28", "2024-12-28")]), since, since),
            Service::Unbroken
        );
        assert_eq!(
            service(Vec::new(), since, until),
            Service::Gap {
                from: since,
                resumed: None
            }
        );
    }
}
