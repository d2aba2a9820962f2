//! One sentence per gap: what the condition needs, then why the profile
//! falls short, from the findings and facts evaluation recorded.

use super::{Voice, Words, join_or, needs, number, prose};
use crate::date::Date;
use crate::eval::{Fact, Reason, Record, Unit, Unmet, Verdict};
use crate::profile::{DegreeLevel, Education};
use crate::ruleset::{
    CertificationRule, ExperienceRule, LicenseRule, RequirementKind, RoleId, TermSet, Validity,
};
use std::borrow::Cow;

/// How a gap's sentence opens.
#[derive(Clone, Debug, PartialEq)]
pub enum Lead<'w> {
    /// "needs " + this noun phrase; alternatives merge with "or". Borrowed
    /// when it was worded ahead ([`super::Phrases`]).
    Needs(Cow<'w, str>),
    /// A complete opening clause.
    Says(String),
}

/// Most reasons a sentence lists for the work that does not count.
const MAX_WORK_REASONS: usize = 3;

/// The gap as one sentence: "needs ASCP MLT certification; your ASCP MLT
/// expired on 2024-08-01".
pub fn message(words: Words<'_>, gap: &Unmet<'_>) -> String {
    let mut message = String::new();
    write_message(words, gap, &mut message);
    message
}

/// [`message`], appended to `out` (a buffer reused from gap to gap).
pub fn write_message(words: Words<'_>, gap: &Unmet<'_>, out: &mut String) {
    let (lead, details) = gap_sentence(words, gap);
    match lead {
        Lead::Needs(phrase) => {
            out.push_str("needs ");
            out.push_str(&phrase);
        }
        Lead::Says(text) => out.push_str(&text),
    }
    for detail in details {
        out.push_str("; ");
        out.push_str(&detail);
    }
}

/// The gap's lead and its details, each detail said once.
pub fn gap_sentence<'w>(words: Words<'w>, gap: &Unmet<'_>) -> (Lead<'w>, Vec<String>) {
    let mut details = Details::default();
    let voice = words.voice;
    let lead = match &gap.requirement.kind {
        RequirementKind::Experience(rule) => {
            details.has(gap);
            experience_details(words, rule, gap, &mut details);
            rule_lead(words, gap, || needs::experience(rule))
        }
        RequirementKind::Serving(rule) => {
            for fact in &gap.facts {
                match *fact {
                    Fact::ServiceGap {
                        since,
                        from,
                        resumed,
                    } => details.push(service_gap(since, from, resumed)),
                    Fact::ServiceNotStarted { since } => {
                        details.push(format!("the evaluation date is before {since}"))
                    }
                    _ => {}
                }
            }
            experience_details(words, &rule.work, gap, &mut details);
            rule_lead(words, gap, || needs::serving(rule))
        }
        RequirementKind::Certification(rule) => {
            for finding in &gap.findings {
                let name = certificate_name(words, rule, finding.record);
                for reason in &finding.reasons {
                    details.push(match reason {
                        Reason::NotYetValid { on } => format!(
                            "{} {name} was earned after the evaluation date (on {on})",
                            voice.your()
                        ),
                        Reason::Expired { on } => {
                            format!("{} {name} expired on {on}", voice.your())
                        }
                        Reason::EarnedOutside { on, bound } => {
                            let side = if bound.on_or_after {
                                "before"
                            } else {
                                "on or after"
                            };
                            format!(
                                "{} {name} was earned on {on}, {side} {}",
                                voice.your(),
                                bound.date
                            )
                        }
                        Reason::NoEarnedDate => match voice {
                            Voice::Candidate => {
                                format!("your {name} has no `earned` date: add it to your profile")
                            }
                            Voice::Applicant | Voice::Staff => format!(
                                "{} {name} has no `earned` date in the profile",
                                voice.your()
                            ),
                        },
                        _ => continue,
                    });
                }
            }
            details.see(words, rule.see);
            rule_lead(words, gap, || needs::certification(rule))
        }
        RequirementKind::License(rule) => license_sentence(words, rule, gap, &mut details),
        RequirementKind::Degree(rule) => {
            match gap.findings.first() {
                None => details.push(format!("{} degree", words.lists_no())),
                Some(finding) => {
                    if let Some(entry) = education(words, finding.record) {
                        degree_details(voice, entry, &finding.reasons, &mut details);
                    }
                }
            }
            rule_lead(words, gap, || needs::degree(rule))
        }
        RequirementKind::Program(rule) => {
            match gap.findings.first() {
                None => details.push(format!("{} such programme", words.lists_no())),
                Some(finding) => {
                    let noun = programme_noun(words, finding.record, "programme");
                    for reason in &finding.reasons {
                        details.push(record_reason(voice, &noun, finding.record, words, reason));
                    }
                }
            }
            rule_lead(words, gap, || needs::program(rule))
        }
        RequirementKind::Coursework(rule) => {
            details.has(gap);
            for fact in &gap.facts {
                match fact {
                    Fact::NoneListed => {
                        details.push(format!("{} such coursework", words.lists_no()))
                    }
                    Fact::NoTopicCourse { .. } => {
                        let topics = rule
                            .including
                            .as_ref()
                            .map(|topics| join_or(&topics.written))
                            .unwrap_or_default();
                        details.push(format!("has no course in {topics}"));
                    }
                    _ => {}
                }
            }
            rule_lead(words, gap, || needs::coursework(rule))
        }
        RequirementKind::ContinuingEducation(rule) => {
            details.has(gap);
            for fact in &gap.facts {
                if let Fact::HoursOutsideWindow {
                    hours,
                    window_from,
                    years,
                } = fact
                {
                    details.push(format!(
                        "{} more hours fall outside {} or after the evaluation date",
                        number(*hours),
                        window_name(*years, *window_from)
                    ));
                }
            }
            rule_lead(words, gap, || needs::continuing_education(rule))
        }
        RequirementKind::Training(rule) => {
            let programs = join_or(&rule.programs.written);
            let lead = match gap.measure {
                Some(measure) => Lead::Needs(Cow::Owned(format!(
                    "{} in {programs} training",
                    needs::measure(measure, gap.quantity.map_or(0.0, |q| q.needed))
                ))),
                None => rule_lead(words, gap, || needs::training(rule)),
            };
            if gap.facts.contains(&Fact::NoneListed) {
                details.push(format!("{} such training", words.lists_no()));
            }
            for finding in &gap.findings {
                let noun = programme_noun(words, finding.record, "training");
                for reason in &finding.reasons {
                    details.push(match *reason {
                        Reason::Measure { measure, .. } => {
                            let shown = gap.quantity.map_or(0.0, |q| q.shown_have());
                            format!(
                                "{} {noun} lists {}",
                                voice.your(),
                                needs::measure(measure, shown)
                            )
                        }
                        _ => record_reason(voice, &noun, finding.record, words, reason),
                    });
                }
            }
            lead
        }
        RequirementKind::AtLeast { count, of } => {
            let met = gap.quantity.map_or(0.0, |q| q.have);
            let mut text = format!(
                "needs at least {count} of these {} conditions; meets {}",
                of.len(),
                number(met)
            );
            let missing: Vec<String> = gap
                .facts
                .iter()
                .flat_map(|fact| match fact {
                    Fact::PartsNotMet(parts) => parts.clone(),
                    _ => Vec::new(),
                })
                .filter_map(|index| of.get(index))
                .map(|part| needs::describe(words.rules, part))
                .collect();
            if !missing.is_empty() {
                text.push_str(&format!("; not met: {}", missing.join("; ")));
            }
            Lead::Says(text)
        }
        RequirementKind::Not(inner) => {
            let need = needs::describe(words.rules, inner);
            Lead::Says(match need.strip_prefix("to ") {
                Some(verb) => format!("must not {verb}"),
                None => format!("must not have {need}"),
            })
        }
        RequirementKind::Role(role) => {
            if gap.facts.contains(&Fact::BrokenRuleSet) {
                Lead::Says("role references nest too deeply (a cycle in the rule set?)".into())
            } else {
                if let (Verdict::Undetermined, Some(first)) = (gap.verdict, gap.role_gaps.first()) {
                    details.push(format!("for that role, {}", message(words, first)));
                }
                rule_lead(words, gap, || needs::role_need(words.rules, *role))
            }
        }
        RequirementKind::StateIn(states) => match gap.facts.first() {
            Some(Fact::State(state)) => {
                details.push(format!("{} to work in {state}", voice.you_intend()));
                Lead::Needs(Cow::Owned(needs::state(states)))
            }
            _ => {
                details.push(no_state(voice));
                Lead::Says(format!(
                    "depends on the state where {} to work",
                    voice.you_intend()
                ))
            }
        },
        RequirementKind::Date { on_or_after, date } => {
            if let Some(Fact::EvaluationDate(as_of)) = gap.facts.first() {
                details.push(format!("the evaluation date is {as_of}"));
            }
            Lead::Says(if *on_or_after {
                format!("applies only from {date}")
            } else {
                format!("applies only before {date}")
            })
        }
        RequirementKind::Age { minimum } => {
            match gap.facts.first() {
                Some(Fact::Age(Some(age))) => details.push(format!("is {age}")),
                _ => details.push(match voice {
                    Voice::Candidate => {
                        "your age is unknown: add `birth_date` to your profile".to_string()
                    }
                    Voice::Applicant | Voice::Staff => format!(
                        "{} age is unknown: the profile has no `birth_date`",
                        voice.your()
                    ),
                }),
            }
            Lead::Needs(Cow::Owned(needs::age(*minimum)))
        }
        RequirementKind::Any(_) if !gap.alternatives.is_empty() => {
            Lead::Needs(Cow::Owned(either_or(words, &gap.alternatives)))
        }
        _ => Lead::Needs(Cow::Owned(needs::describe(words.rules, gap.requirement))),
    };
    if let Some(date) = gap.as_of {
        details.push(format!("judged as of {date}"));
    }
    // Facts that replace the condition's own reading.
    for fact in &gap.facts {
        match fact {
            Fact::RoleNotInForce(validity) => {
                return (Lead::Says(role_validity(*validity)), Vec::new());
            }
            Fact::RouteNotInForce { validity, as_of } => {
                return (
                    Lead::Says(route_validity(gap.route, *validity, *as_of)),
                    Vec::new(),
                );
            }
            Fact::BrokenRuleSet if !matches!(gap.requirement.kind, RequirementKind::Role(_)) => {
                return (
                    Lead::Says("the rule set has no such shared definition".into()),
                    Vec::new(),
                );
            }
            _ => {}
        }
    }
    (lead, details.into_vec())
}

/// "needs " + what the condition needs: worded ahead when the rule set's
/// phrases are at hand, else now.
fn rule_lead<'w>(words: Words<'w>, gap: &Unmet<'_>, word: impl FnOnce() -> String) -> Lead<'w> {
    match words
        .phrases
        .and_then(|phrases| phrases.needs(gap.requirement))
    {
        Some(phrase) => Lead::Needs(Cow::Borrowed(phrase)),
        None => Lead::Needs(Cow::Owned(word())),
    }
}

/// "A or B", or, when the alternatives carry reasons or read as lists,
/// "one of: A (has 22 months); or B (has 13.4 months)" — each reason kept
/// beside the requirement it belongs to.
fn either_or(words: Words<'_>, alternatives: &[Unmet<'_>]) -> String {
    if let Some(text) = experience_in_one_of(words, alternatives) {
        return text;
    }
    let mut parts = Vec::new();
    let mut with_reasons = 0;
    for alternative in alternatives {
        let (lead, details) = gap_sentence(words, alternative);
        let need = match lead {
            Lead::Needs(need) => need.into_owned(),
            Lead::Says(text) => text,
        };
        parts.push(if details.is_empty() {
            need
        } else {
            with_reasons += 1;
            format!("{need} ({})", details.join("; "))
        });
    }
    let commas = parts.iter().filter(|part| part.contains(',')).count();
    if with_reasons > 0 || commas > 1 {
        format!("one of: {}", parts.join("; or "))
    } else {
        join_or(&parts)
    }
}

/// Alternatives that are one experience condition but for its area, or but
/// for its tags (a year in one specialty, six months in one subspecialty),
/// said once: "12 months of full-time experience in a clinical laboratory in
/// high complexity work, all in one of chemistry, hematology or immunology;
/// has 8.7 months in chemistry, the most in one". `None` when they differ in
/// anything else or carry facts of their own, which the long form keeps.
fn experience_in_one_of(words: Words<'_>, alternatives: &[Unmet<'_>]) -> Option<String> {
    if alternatives.len() < 2 {
        return None;
    }
    let rules = alternatives
        .iter()
        .map(|gap| match &gap.requirement.kind {
            RequirementKind::Experience(rule)
                if gap.alternatives.is_empty()
                    && gap.quantity.is_some()
                    && gap
                        .facts
                        .iter()
                        .all(|fact| matches!(fact, Fact::NoneListed)) =>
            {
                Some(rule)
            }
            _ => None,
        })
        .collect::<Option<Vec<&ExperienceRule>>>()?;
    let first = rules[0];
    let terms = |set: &Option<TermSet>| set.as_ref().map(|set| set.terms.clone());
    let alike = |rule: &ExperienceRule| {
        rule.amount == first.amount
            && rule.unit == first.unit
            && rule.fulltime_hours_per_week == first.fulltime_hours_per_week
            && !rule.each_area
            && terms(&rule.settings) == terms(&first.settings)
            && terms(&rule.jobs) == terms(&first.jobs)
            && rule.states == first.states
            && rule.licensed == first.licensed
            && rule.within_years == first.within_years
            && rule.after.is_none()
    };
    if !rules.iter().all(|rule| alike(rule)) {
        return None;
    }
    let same_tags = rules.iter().all(|rule| rule.tags == first.tags);
    let same_areas = rules
        .iter()
        .all(|rule| terms(&rule.areas) == terms(&first.areas));
    let (base, labels): (ExperienceRule, Vec<String>) =
        if same_tags && !same_areas && rules.iter().all(|rule| rule.areas.is_some()) {
            let labels = rules
                .iter()
                .map(|rule| join_or(rule.areas.as_ref().map_or(&[][..], |a| &a.written[..])))
                .collect();
            (
                ExperienceRule {
                    areas: None,
                    ..first.clone()
                },
                labels,
            )
        } else if same_areas && !same_tags && rules.iter().all(|rule| rule.tags.is_some()) {
            let labels = rules
                .iter()
                .map(|rule| {
                    let tags: Vec<String> = rule.tags.iter().flatten().map(|t| prose(t)).collect();
                    join_or(&tags)
                })
                .collect();
            (
                ExperienceRule {
                    tags: None,
                    ..first.clone()
                },
                labels,
            )
        } else {
            return None;
        };
    // Said once only when the alternatives read each record alike but for
    // that one filter: a reason they share (work outside microbiology) is
    // said once after; any other difference keeps the long form, which
    // gives each alternative its own reasons.
    let differing = if base.areas.is_none() {
        Reason::Area
    } else {
        Reason::Untagged
    };
    let others = |finding: &crate::eval::Finding| -> Vec<Reason> {
        finding
            .reasons
            .iter()
            .filter(|reason| **reason != differing)
            .copied()
            .collect()
    };
    let shared = |gap: &Unmet<'_>| -> Vec<(Record, Vec<Reason>)> {
        gap.findings
            .iter()
            .map(|finding| (finding.record, others(finding)))
            .collect()
    };
    let common = shared(&alternatives[0]);
    if !alternatives.iter().all(|gap| shared(gap) == common) {
        return None;
    }
    let mut text = needs::experience(&base);
    let work = if base.tags.is_none() && first.tags.is_some() {
        " work"
    } else {
        ""
    };
    text.push_str(&format!(", all in one of {}{work}", join_or(&labels)));
    // The nearest alternative: the most counted, the first on a tie.
    let mut most: Option<(f64, &str)> = None;
    for (gap, label) in alternatives.iter().zip(&labels) {
        let have = gap.quantity.map_or(0.0, |quantity| quantity.shown_have());
        if most.is_none_or(|(best, _)| have > best) {
            most = Some((have, label));
        }
    }
    let unit = match first.unit {
        crate::ruleset::ExperienceUnit::Months => "months",
        crate::ruleset::ExperienceUnit::Hours => "hours",
    };
    match most {
        Some((have, label)) if have > 0.0 => text.push_str(&format!(
            "; has {} {unit} in {label}, the most in one",
            number(have)
        )),
        _ => text.push_str(&format!("; has 0 {unit} in each")),
    }
    // The shared reasons, as the first alternative words them once the
    // differing filter is set aside.
    let mut reread = alternatives[0].clone();
    for finding in &mut reread.findings {
        finding.reasons.retain(|reason| *reason != differing);
    }
    let mut details = Details::default();
    experience_details(words, &base, &reread, &mut details);
    for detail in details.into_vec() {
        text.push_str("; ");
        text.push_str(&detail);
    }
    Some(text)
}

fn license_sentence(
    words: Words<'_>,
    rule: &LicenseRule,
    gap: &Unmet<'_>,
    details: &mut Details,
) -> Lead<'static> {
    let voice = words.voice;
    let mut state = None;
    for fact in &gap.facts {
        match fact {
            Fact::NoLicenseAnywhere => {
                details.push(format!("{} such licence from any state", words.lists_no()))
            }
            Fact::NoState => details.push(no_state(voice)),
            Fact::State(code) => state = Some(code.as_str()),
            _ => {}
        }
    }
    for finding in &gap.findings {
        let Record::License(index) = finding.record else {
            continue;
        };
        let Some(held) = words.profile.licenses.get(index) else {
            continue;
        };
        let name = format!(
            "{} {} licence",
            held.state.trim().to_ascii_uppercase(),
            held.kind.trim().to_ascii_uppercase()
        );
        if finding.reasons.contains(&Reason::LicenseType) {
            details.push(format!(
                "{} {name} is not of an accepted type",
                voice.your()
            ));
            continue;
        }
        for reason in &finding.reasons {
            details.push(match reason {
                Reason::NotYetValid { on } => format!(
                    "{} {name} was issued after the evaluation date (on {on})",
                    voice.your()
                ),
                Reason::Expired { on } => format!("{} {name} expired on {on}", voice.your()),
                _ => continue,
            });
        }
    }
    details.see(words, rule.see);
    Lead::Needs(Cow::Owned(needs::license(rule, state, voice)))
}

fn experience_details(
    words: Words<'_>,
    rule: &ExperienceRule,
    gap: &Unmet<'_>,
    details: &mut Details,
) {
    let mut reasons: Vec<String> = Vec::new();
    let mut add = |reason: String| {
        if reasons.len() < MAX_WORK_REASONS && !reasons.contains(&reason) {
            reasons.push(reason);
        }
    };
    for finding in &gap.findings {
        let Record::Experience(index) = finding.record else {
            continue;
        };
        let Some(job) = words.profile.experience.get(index) else {
            continue;
        };
        // Work outside the window or after the evaluation date is not
        // worth a reason of its own when it fails a filter anyway.
        let dated_out = finding.reasons.iter().any(|reason| {
            matches!(
                reason,
                Reason::StartsAfterAsOf { .. } | Reason::BeforeWindow { .. } | Reason::NoHours
            )
        });
        let filter = finding.reasons.iter().find(|reason| {
            matches!(
                reason,
                Reason::Setting
                    | Reason::Area
                    | Reason::Job
                    | Reason::WorkState
                    | Reason::Unlicensed
                    | Reason::Untagged
            )
        });
        match filter {
            Some(miss) if !dated_out => add(work_reason(rule, job, *miss)),
            Some(_) => {}
            None => {
                for reason in &finding.reasons {
                    match reason {
                        Reason::ClippedToWindow { window_from, years }
                        | Reason::BeforeWindow { window_from, years } => add(format!(
                            "only work from {window_from} counts ({years}-year window)"
                        )),
                        Reason::ClippedToCredential { from }
                        | Reason::BeforeCredential { from } => {
                            add(format!("only work from {from} counts"))
                        }
                        Reason::StartsAfterAsOf { on } => {
                            add(format!("work starting {on} is after the evaluation date"))
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    // With nothing counted, "no such work in …" only repeats "has 0 months".
    let counted_some = gap.quantity.is_some_and(|quantity| quantity.have > 0.0);
    for fact in gap.facts.iter().filter(|_| counted_some) {
        if let Fact::AreasWithoutWork(areas) = fact {
            let written = words
                .rules
                .vocabularies
                .by_kind
                .get(&crate::ruleset::VocabularyKind::Area);
            let areas: Vec<String> = areas
                .iter()
                .map(|area| {
                    written
                        .and_then(|vocabulary| vocabulary.terms.get(area))
                        .cloned()
                        .unwrap_or_else(|| area.clone())
                })
                .collect();
            add(format!("no such work in {}", super::join_and(&areas)));
        }
    }
    for fact in &gap.facts {
        match fact {
            Fact::AfterMissing => add(match &rule.after {
                Some(crate::ruleset::AfterRule::Degree(_)) => {
                    format!("{} such completed degree", words.lists_no())
                }
                _ => format!("{} such certification", words.lists_no()),
            }),
            Fact::AfterUndated => add(match words.voice {
                Voice::Candidate => {
                    "your certification has no `earned` date: add it to your profile".to_string()
                }
                Voice::Applicant | Voice::Staff => format!(
                    "{} certification has no `earned` date in the profile",
                    words.voice.your()
                ),
            }),
            _ => {}
        }
    }
    if gap.facts.contains(&Fact::NoneListed) {
        add(format!("{} experience", words.lists_no()));
    }
    for reason in reasons {
        details.push(reason);
    }
}

/// Where service since `since` breaks: "no such work on 2024-12-28 (it
/// starts on 2025-01-06)", "no such work from 2025-07-01".
fn service_gap(since: Date, from: Date, resumed: Option<Date>) -> String {
    match resumed {
        Some(resumed) if from == since => {
            format!("no such work on {since} (it starts on {resumed})")
        }
        None if from == since => format!("no such work on {since}"),
        Some(resumed) => format!(
            "no such work from {from} to {}: service was not continuous",
            resumed.add_days(-1)
        ),
        None => format!("no such work from {from}"),
    }
}

/// Why one job does not count: "work in a research laboratory does not
/// count: only work in a clinical laboratory does".
fn work_reason(rule: &ExperienceRule, job: &crate::profile::Experience, miss: Reason) -> String {
    let accepts = |set: &Option<TermSet>| {
        set.as_ref()
            .map_or_else(String::new, |set| join_or(&set.written))
    };
    match miss {
        Reason::Setting => match job.setting.as_deref() {
            Some(setting) => format!(
                "work in a {setting} does not count: only work in a {} does",
                accepts(&rule.settings)
            ),
            None => format!(
                "work with no `setting` does not count: only work in a {} does",
                accepts(&rule.settings)
            ),
        },
        Reason::Area => match job.area.as_deref() {
            Some(area) => format!(
                "work in {area} does not count: only work in {} does",
                accepts(&rule.areas)
            ),
            None => format!(
                "work with no `area` does not count: only work in {} does",
                accepts(&rule.areas)
            ),
        },
        Reason::Job => match job.role.as_deref() {
            Some(role) => format!(
                "work as {role} does not count: only work as {} does",
                accepts(&rule.jobs)
            ),
            None => format!(
                "work with no `role` does not count: only work as {} does",
                accepts(&rule.jobs)
            ),
        },
        Reason::WorkState => {
            let states = rule.states.as_deref().map(join_or).unwrap_or_default();
            match job.state.as_deref() {
                Some(here) => format!("work in {here} does not count: only work in {states} does"),
                None => format!("work with no `state` does not count: only work in {states} does"),
            }
        }
        Reason::Unlicensed => {
            "work without the state's licence (`licensed` is not true) does not count".to_string()
        }
        _ => {
            let tags: Vec<String> = rule.tags.iter().flatten().map(|tag| prose(tag)).collect();
            format!("work not tagged {} does not count", join_or(&tags))
        }
    }
}

fn degree_details(voice: Voice, entry: &Education, reasons: &[Reason], details: &mut Details) {
    let noun = degree_noun(entry);
    for reason in reasons {
        details.push(match reason {
            Reason::DegreeLevel { .. } => {
                let in_progress = if entry.completed.is_none() {
                    " (in progress)"
                } else {
                    ""
                };
                format!(
                    "{} highest is {}{in_progress}",
                    voice.your(),
                    entry.degree.phrase()
                )
            }
            Reason::InProgress
                if reasons
                    .iter()
                    .any(|reason| matches!(reason, Reason::DegreeLevel { .. })) =>
            {
                // Said with the level.
                continue;
            }
            Reason::Field => match &entry.field {
                Some(field) => format!(
                    "{} {} is in {field}",
                    voice.your(),
                    level_noun(entry.degree)
                ),
                None => format!(
                    "{} {} has no `field`",
                    voice.your(),
                    level_noun(entry.degree)
                ),
            },
            Reason::Accreditation => {
                accreditation_detail(voice, &noun, entry.accreditation.as_deref())
            }
            other => format!("{} {noun} {}", voice.your(), completion(*other)),
        });
    }
}

/// A reason about a programme or training record, after "your …".
fn record_reason(
    voice: Voice,
    noun: &str,
    record: Record,
    words: Words<'_>,
    reason: &Reason,
) -> String {
    match reason {
        Reason::Accreditation => {
            let have = match record {
                Record::Education(index) => words
                    .profile
                    .education
                    .get(index)
                    .and_then(|entry| entry.accreditation.as_deref()),
                Record::Training(index) => words
                    .profile
                    .training
                    .get(index)
                    .and_then(|entry| entry.accreditation.as_deref()),
                _ => None,
            };
            accreditation_detail(voice, noun, have)
        }
        other => format!("{} {noun} {}", voice.your(), completion(*other)),
    }
}

/// How a completion date misses, after "your … ": "is in progress (no
/// `completed` date)", "was completed on 2019-05-15, outside the 5-year
/// window (from 2021-11-22)".
fn completion(reason: Reason) -> String {
    match reason {
        Reason::InProgress => "is in progress (no `completed` date)".to_string(),
        Reason::CompletedAfterAsOf { on } => {
            format!("was completed after the evaluation date (on {on})")
        }
        Reason::CompletedBeforeWindow {
            on,
            window_from,
            years,
        } => format!(
            "was completed on {on}, outside {}",
            window_name(Some(years), Some(window_from))
        ),
        other => other.code().replace('_', " "),
    }
}

/// `the 5-year window (from 2021-11-22)`.
fn window_name(years: Option<u32>, start: Option<Date>) -> String {
    match (years, start) {
        (Some(years), Some(start)) => format!("the {years}-year window (from {start})"),
        _ => "the window".to_string(),
    }
}

fn accreditation_detail(voice: Voice, noun: &str, have: Option<&str>) -> String {
    match have {
        Some(body) => format!("{} {noun} is accredited by {body}", voice.your()),
        None => format!("{} {noun} lists no `accreditation`", voice.your()),
    }
}

fn no_state(voice: Voice) -> String {
    format!(
        "{} has no `state`; add it or pass `--state`",
        voice.profile()
    )
}

fn role_validity(validity: Validity) -> String {
    let mut text = String::from("this role is in force only");
    if let Some(from) = validity.from {
        text.push_str(&format!(" from {from}"));
    }
    if let Some(until) = validity.until {
        text.push_str(&format!(" until {until}"));
    }
    text
}

/// "route 2 ended on 2023-01-01", "route 3 applies only from 2027-01-01".
fn route_validity(route: Option<&str>, validity: Validity, as_of: Date) -> String {
    let name = route.unwrap_or_default();
    match (validity.from, validity.until) {
        (_, Some(until)) if as_of >= until => format!("route {name} ended on {until}"),
        (Some(from), _) => format!("route {name} applies only from {from}"),
        _ => format!("route {name} is not in force"),
    }
}

/// `bachelor's degree` (without the article).
pub(crate) fn level_noun(level: DegreeLevel) -> &'static str {
    let phrase = level.phrase();
    phrase.split_once(' ').map_or(phrase, |(_, noun)| noun)
}

/// `bachelor's degree in biology`.
pub(crate) fn degree_noun(entry: &Education) -> String {
    match &entry.field {
        Some(field) => format!("{} in {field}", level_noun(entry.degree)),
        None => level_noun(entry.degree).to_string(),
    }
}

pub(crate) fn education<'p>(words: Words<'p>, record: Record) -> Option<&'p Education> {
    match record {
        Record::Education(index) => words.profile.education.get(index),
        _ => None,
    }
}

/// `bachelor's degree in biology`, or a training record as a `phlebotomy
/// programme` (`kind` "programme") or `phlebotomy training`.
pub(crate) fn programme_noun(words: Words<'_>, record: Record, kind: &str) -> String {
    match record {
        Record::Education(index) => words
            .profile
            .education
            .get(index)
            .map(degree_noun)
            .unwrap_or_default(),
        Record::Training(index) => words
            .profile
            .training
            .get(index)
            .map(|entry| format!("{} {kind}", entry.program))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A held certificate, named as the rule names it: `ASCP MLT`.
pub(crate) fn certificate_name(
    words: Words<'_>,
    rule: &CertificationRule,
    record: Record,
) -> String {
    let Record::Certification(index) = record else {
        return String::new();
    };
    let Some(held) = words.profile.certifications.get(index) else {
        return String::new();
    };
    rule.options
        .iter()
        .find(|option| {
            crate::eval::same(&option.issuer, &held.issuer)
                && crate::eval::same(&option.name, &held.name)
        })
        .map_or_else(
            || format!("{} {}", held.issuer, held.name),
            |option| format!("{} {}", option.issuer, option.name),
        )
}

/// Details in order, each said once.
#[derive(Default)]
struct Details(Vec<String>);

impl Details {
    fn push(&mut self, detail: String) {
        if !detail.is_empty() && !self.0.contains(&detail) {
            self.0.push(detail);
        }
    }

    /// "has 14.2 months" from the gap's quantity.
    fn has(&mut self, gap: &Unmet<'_>) {
        if let Some(quantity) = gap.quantity {
            let unit = match quantity.unit {
                Unit::Months => " months",
                Unit::SemesterHours => " semester hours",
                Unit::Hours => " hours",
                Unit::Weeks => " weeks",
                _ => "",
            };
            self.push(format!("has {}{unit}", number(quantity.shown_have())));
        }
    }

    /// "see `eligo explain ca-cls`".
    fn see(&mut self, words: Words<'_>, role: Option<RoleId>) {
        if let Some(role) = role.and_then(|role| words.rules.get(role)) {
            self.push(format!("see `eligo explain {}`", role.id));
        }
    }

    fn into_vec(self) -> Vec<String> {
        self.0
    }
}
