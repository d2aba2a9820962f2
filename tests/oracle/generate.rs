//! Profiles from a seeded PRNG, built from what the shipped rules name (the
//! vocabularies, credentials, licence types, accreditors, tags, states and
//! thresholds), so that many land near a threshold: experience a few days
//! either side of 6, 12, 24, 36, 60 months or the hours asked for, dates on
//! and next to window edges, expiry days and 29 February.

use eligo::ruleset::{
    ExperienceRule, ExperienceUnit, LicenseState, Requirement, RequirementKind, RuleSet,
    TrainingMeasure, VocabularyKind,
};
use eligo::{Date, Profile, SourceFile};
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Everything the rules name, gathered once.
#[derive(Default)]
pub struct Vocabulary {
    pub areas: Vec<String>,
    pub settings: Vec<String>,
    pub jobs: Vec<String>,
    pub fields: Vec<String>,
    pub subjects: Vec<String>,
    pub topics: Vec<String>,
    pub programs: Vec<String>,
    pub credentials: Vec<(String, String)>,
    pub license_types: Vec<String>,
    pub states: Vec<String>,
    pub accreditors: Vec<String>,
    pub tags: Vec<String>,
    pub experience_rules: Vec<ExperienceRule>,
    pub training_minimums: Vec<(TrainingMeasure, f64)>,
    pub coursework_minimums: Vec<f64>,
    pub continuing_hours: Vec<f64>,
    pub windows: Vec<u32>,
}

fn terms(rules: &RuleSet, kind: VocabularyKind) -> Vec<String> {
    let Some(vocabulary) = rules.vocabularies.by_kind.get(&kind) else {
        return Vec::new();
    };
    // Terms as written and every alias a profile may use.
    let mut out: BTreeSet<String> = vocabulary.terms.values().cloned().collect();
    out.extend(vocabulary.lookup.keys().cloned());
    out.into_iter().collect()
}

impl Vocabulary {
    pub fn of(rules: &RuleSet) -> Vocabulary {
        let mut v = Vocabulary {
            areas: terms(rules, VocabularyKind::Area),
            settings: terms(rules, VocabularyKind::Setting),
            jobs: terms(rules, VocabularyKind::Job),
            fields: terms(rules, VocabularyKind::Field),
            subjects: terms(rules, VocabularyKind::Subject),
            topics: terms(rules, VocabularyKind::Topic),
            programs: terms(rules, VocabularyKind::Program),
            ..Vocabulary::default()
        };
        let mut states = BTreeSet::from(["CA".to_string(), "TX".to_string(), "NY".to_string()]);
        let mut credentials = BTreeSet::new();
        let mut license_types = BTreeSet::new();
        let mut accreditors = BTreeSet::new();
        let mut tags = BTreeSet::new();
        let mut windows = BTreeSet::new();
        let mut visit = |requirement: &Requirement| match &requirement.kind {
            RequirementKind::Certification(rule) => {
                for option in &rule.options {
                    credentials.insert((option.issuer.clone(), option.name.clone()));
                }
            }
            RequirementKind::License(rule) => {
                if let LicenseState::Code(code) = &rule.state {
                    states.insert(code.clone());
                }
                license_types.extend(rule.types.iter().flatten().cloned());
            }
            RequirementKind::Degree(rule) => {
                accreditors.extend(rule.accredited_by.iter().flatten().cloned());
                windows.extend(rule.within_years);
            }
            RequirementKind::Program(rule) => {
                accreditors.extend(rule.accredited_by.iter().flatten().cloned());
                windows.extend(rule.within_years);
            }
            RequirementKind::Training(rule) => {
                accreditors.extend(rule.accredited_by.iter().flatten().cloned());
                windows.extend(rule.within_years);
                v.training_minimums.extend(rule.minimums.iter().copied());
            }
            RequirementKind::Experience(rule) => {
                states.extend(rule.states.iter().flatten().cloned());
                tags.extend(rule.tags.iter().flatten().cloned());
                windows.extend(rule.within_years);
                v.experience_rules.push(rule.clone());
            }
            RequirementKind::Coursework(rule) => {
                v.coursework_minimums.extend(rule.minimum_semester_hours);
            }
            RequirementKind::ContinuingEducation(rule) => {
                v.continuing_hours.push(rule.hours);
                windows.extend(rule.within_years);
            }
            RequirementKind::StateIn(listed) => states.extend(listed.iter().cloned()),
            _ => {}
        };
        for role in &rules.roles {
            walk(&role.requirement, &mut visit);
        }
        for definition in &rules.definitions {
            walk(&definition.requirement, &mut visit);
        }
        v.states = states.into_iter().collect();
        v.credentials = credentials.into_iter().collect();
        v.license_types = license_types.into_iter().collect();
        v.accreditors = accreditors.into_iter().collect();
        v.tags = tags.into_iter().collect();
        v.windows = windows.into_iter().collect();
        v
    }
}

/// Every requirement of a tree, parents first.
pub fn walk(requirement: &Requirement, visit: &mut impl FnMut(&Requirement)) {
    visit(requirement);
    match &requirement.kind {
        RequirementKind::All(parts) | RequirementKind::AtLeast { of: parts, .. } => {
            parts.iter().for_each(|part| walk(part, visit))
        }
        RequirementKind::Any(alternatives) => alternatives
            .iter()
            .for_each(|alternative| walk(&alternative.requirement, visit)),
        RequirementKind::Not(inner) => walk(inner, visit),
        RequirementKind::When {
            guard,
            then,
            otherwise,
        } => {
            walk(guard, visit);
            walk(then, visit);
            if let Some(otherwise) = otherwise {
                walk(otherwise, visit);
            }
        }
        _ => {}
    }
}

pub struct Generator<'v> {
    rng: ChaCha8Rng,
    vocabulary: &'v Vocabulary,
    /// The evaluation dates profiles are built around.
    anchors: Vec<Date>,
}

fn day(date: Date) -> String {
    date.to_string()
}

impl<'v> Generator<'v> {
    pub fn new(seed: u64, vocabulary: &'v Vocabulary, anchors: Vec<Date>) -> Generator<'v> {
        Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            vocabulary,
            anchors,
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        items.choose(&mut self.rng).cloned()
    }

    fn word(&mut self, items: &[String]) -> Option<String> {
        // Now and then a value the vocabulary does not know, or a case variant.
        if self.chance(0.05) {
            return Some("underwater basket weaving".to_string());
        }
        let word = self.pick(items)?;
        // Spellings a profile may use for the same term: case, `_`, runs of space.
        Some(match self.rng.random_range(0..10) {
            0 => word.to_uppercase(),
            1 => word.replace(' ', "_"),
            2 => format!(" {}  ", word.replace(' ', "  ")),
            _ => word,
        })
    }

    /// A day near `anchor`: on it, a day either side, or further away.
    fn near(&mut self, anchor: Date) -> Date {
        let offset = match self.rng.random_range(0..6) {
            0 => 0,
            1 => -1,
            2 => 1,
            3 => self.rng.random_range(-40..40),
            _ => self.rng.random_range(-2000..400),
        };
        anchor.add_days(offset)
    }

    /// A date that matters for `as_of`: a window edge, the day itself, a leap day.
    fn edge(&mut self, as_of: Date) -> Date {
        let years = self.pick(&self.vocabulary.windows.clone()).unwrap_or(5);
        match self.rng.random_range(0..5) {
            0 => self.near(as_of.years_before(years)),
            1 => self.near(as_of),
            2 => {
                let leap = [2016, 2020, 2024, 2028][self.rng.random_range(0..4)];
                Date::new(leap, 2, 29)
                    .expect("a leap day")
                    .add_days(self.rng.random_range(-1..=1))
            }
            _ => as_of.add_days(-self.rng.random_range(0..4000)),
        }
    }

    fn hours_per_week(&mut self) -> f64 {
        match self.rng.random_range(0..7) {
            6 if self.chance(0.2) => 0.0,
            0 => 40.0,
            1 => 35.0,
            2 => 20.0,
            3 => f64::from(self.rng.random_range(1..=120)) / 2.0,
            4 => 17.5,
            _ => f64::from(self.rng.random_range(30..=60)),
        }
    }

    /// A job aimed at one experience condition: matching its filters (mostly)
    /// and about as long as it asks, ending near the evaluation date.
    fn job_for(&mut self, rule: &ExperienceRule, as_of: Date) -> Value {
        let mut job = serde_json::Map::new();
        let from = |set: &Option<eligo::ruleset::TermSet>, generator: &mut Self| {
            set.as_ref().and_then(|set| {
                if generator.chance(0.9) {
                    generator.pick(&set.accepted)
                } else {
                    generator.pick(&set.terms).map(|t| t.to_uppercase())
                }
            })
        };
        if let Some(setting) = from(&rule.settings, self).or_else(|| {
            let settings = self.vocabulary.settings.clone();
            self.word(&settings)
        }) {
            job.insert("setting".into(), json!(setting));
        }
        if let Some(area) = from(&rule.areas, self).or_else(|| {
            let areas = self.vocabulary.areas.clone();
            self.word(&areas)
        }) {
            job.insert("area".into(), json!(area));
        }
        if let Some(role) = from(&rule.jobs, self).or_else(|| {
            let jobs = self.vocabulary.jobs.clone();
            self.word(&jobs).filter(|_| self.chance(0.5))
        }) {
            job.insert("role".into(), json!(role));
        }
        let state = rule
            .states
            .as_ref()
            .and_then(|states| self.pick(states))
            .or_else(|| self.pick(&self.vocabulary.states.clone()));
        if let Some(state) = state {
            job.insert("state".into(), json!(state));
        }
        if rule.licensed || self.chance(0.3) {
            job.insert("licensed".into(), json!(self.chance(0.85)));
        }
        let tags: Vec<String> = rule
            .tags
            .iter()
            .flatten()
            .filter(|_| self.chance(0.8))
            .cloned()
            .collect();
        if !tags.is_empty() {
            job.insert("tags".into(), json!(tags));
        }
        let weekly = self.hours_per_week();
        if weekly != 40.0 || self.chance(0.5) {
            job.insert("hours_per_week".into(), json!(weekly));
        }
        // Days needed for the amount at these hours, give or take a few.
        let per_day = match rule.unit {
            ExperienceUnit::Months => {
                let full = weekly.min(rule.fulltime_hours_per_week) / rule.fulltime_hours_per_week;
                full * 12.0 / 365.25
            }
            ExperienceUnit::Hours => weekly / 7.0,
        };
        let needed_days = if per_day > 0.0 {
            ((rule.amount / per_day).ceil() as i64).min(20_000)
        } else {
            365
        };
        let length = match self.rng.random_range(0..4) {
            0 => needed_days,
            1 => needed_days + self.rng.random_range(-3..=3),
            2 => needed_days / 2 + self.rng.random_range(0..needed_days.max(1)),
            _ => self.rng.random_range(1..3000),
        }
        .max(1);
        let end = match self.rng.random_range(0..4) {
            0 => None,
            1 => Some(self.near(as_of)),
            _ => Some(as_of.add_days(-self.rng.random_range(0..600))),
        };
        let last = end.unwrap_or(as_of);
        let mut start = last.add_days(-(length - 1));
        // Now and then a job that starts or ends on the window's first day
        // (or next to it).
        let mut end = end;
        if let Some(years) = rule.within_years
            && self.chance(0.3)
        {
            let edge = as_of
                .years_before(years)
                .add_days(self.rng.random_range(-1..=1));
            if self.chance(0.5) {
                start = edge;
            } else {
                end = Some(edge);
                start = edge.add_days(-(length - 1));
            }
            if end.is_some_and(|end| end < start) {
                end = None;
            }
        }
        job.insert("start".into(), json!(day(start)));
        if let Some(end) = end {
            job.insert("end".into(), json!(day(end)));
        }
        Value::Object(job)
    }

    fn education(&mut self, as_of: Date) -> Value {
        let degrees = [
            "high_school",
            "associate",
            "bachelor",
            "master",
            "doctorate",
        ];
        let mut entry = json!({ "degree": degrees[self.rng.random_range(0..degrees.len())] });
        let fields: Vec<String> = self
            .vocabulary
            .fields
            .iter()
            .chain(&self.vocabulary.programs)
            .cloned()
            .collect();
        if let Some(field) = self.word(&fields) {
            entry["field"] = json!(field);
        }
        if self.chance(0.85) {
            entry["completed"] = json!(day(self.edge(as_of)));
        }
        if self.chance(0.7) {
            let accreditors = self.vocabulary.accreditors.clone();
            entry["accreditation"] = json!(self.pick(&accreditors));
        }
        entry
    }

    fn coursework(&mut self) -> Value {
        let subjects = self.vocabulary.subjects.clone();
        let mut entry =
            json!({ "subject": self.word(&subjects).unwrap_or_else(|| "chemistry".into()) });
        let minimum = self
            .pick(&self.vocabulary.coursework_minimums.clone())
            .unwrap_or(16.0);
        let halves = (minimum * 2.0 / self.rng.random_range(1..=4) as f64).round()
            + f64::from(self.rng.random_range(-2..=2));
        let hours = halves.max(0.0) / 2.0;
        if self.chance(0.7) {
            entry["semester_hours"] = json!(hours);
        } else {
            entry["quarter_hours"] = json!(hours);
        }
        if self.chance(0.6) {
            let topics = self.vocabulary.topics.clone();
            entry["topic"] = json!(self.word(&topics));
        }
        entry
    }

    fn certification(&mut self, as_of: Date) -> Value {
        let (issuer, name) = self
            .pick(&self.vocabulary.credentials.clone())
            .unwrap_or(("ASCP".into(), "MLT".into()));
        let mut entry = json!({ "issuer": issuer, "name": name });
        let earned = self.near(as_of);
        if self.chance(0.8) {
            entry["earned"] = json!(day(earned));
        }
        if self.chance(0.6) {
            let expires = self.near(as_of).max(earned);
            entry["expires"] = json!(day(expires));
        }
        entry
    }

    fn license(&mut self, as_of: Date) -> Value {
        let state = self
            .pick(&self.vocabulary.states.clone())
            .unwrap_or("CA".into());
        let kind = self
            .pick(&self.vocabulary.license_types.clone())
            .unwrap_or("MLT".into());
        let mut entry = json!({ "state": state, "type": kind });
        let issued = self.near(as_of);
        if self.chance(0.8) {
            entry["issued"] = json!(day(issued));
        }
        if self.chance(0.6) {
            entry["expires"] = json!(day(self.near(as_of).max(issued)));
        }
        entry
    }

    fn training(&mut self, as_of: Date) -> Value {
        let programs = self.vocabulary.programs.clone();
        let mut entry =
            json!({ "program": self.word(&programs).unwrap_or_else(|| "phlebotomy".into()) });
        if self.chance(0.7) {
            let accreditors = self.vocabulary.accreditors.clone();
            entry["accreditation"] = json!(self.pick(&accreditors));
        }
        if self.chance(0.85) {
            entry["completed"] = json!(day(self.edge(as_of)));
        }
        for (measure, key) in [
            (TrainingMeasure::Weeks, "duration_weeks"),
            (TrainingMeasure::DidacticHours, "didactic_hours"),
            (TrainingMeasure::ClinicalHours, "clinical_hours"),
            (TrainingMeasure::Venipunctures, "venipunctures"),
            (TrainingMeasure::SkinPunctures, "skin_punctures"),
            (TrainingMeasure::ArterialPunctures, "arterial_punctures"),
        ] {
            if self.chance(0.2) {
                continue;
            }
            let minimum = self
                .vocabulary
                .training_minimums
                .iter()
                .filter(|(m, _)| *m == measure)
                .map(|(_, minimum)| *minimum)
                .collect::<Vec<_>>();
            let base = self.pick(&minimum).unwrap_or(20.0);
            let value = (base + f64::from(self.rng.random_range(-2..=2))).max(0.0);
            entry[key] = match measure {
                TrainingMeasure::Venipunctures
                | TrainingMeasure::SkinPunctures
                | TrainingMeasure::ArterialPunctures => json!(value as u32),
                _ => json!(value),
            };
        }
        entry
    }

    fn continuing_education(&mut self, as_of: Date) -> Value {
        let hours = self
            .pick(&self.vocabulary.continuing_hours.clone())
            .unwrap_or(12.0);
        let hours = (hours / self.rng.random_range(1..=3) as f64 * 2.0).round() / 2.0
            + f64::from(self.rng.random_range(-1..=1)) / 2.0;
        let mut entry = json!({ "completed": day(self.edge(as_of)), "hours": hours.max(0.5) });
        if self.chance(0.7) {
            let topics = self.vocabulary.topics.clone();
            entry["topic"] = json!(self.word(&topics));
        }
        entry
    }

    /// One profile as JSON, built around one of the anchor dates.
    pub fn profile_json(&mut self) -> Value {
        let as_of = self.pick(&self.anchors.clone()).expect("anchor dates");
        let mut profile = serde_json::Map::new();
        if self.chance(0.7) {
            let states = self.vocabulary.states.clone();
            profile.insert("state".into(), json!(self.pick(&states)));
        }
        if self.chance(0.6) {
            // Near an 18th birthday, sometimes on 29 February.
            let birth = if self.chance(0.2) {
                Date::new(2008, 2, 29).expect("a leap day")
            } else {
                self.near(as_of.years_before(18))
            };
            profile.insert("birth_date".into(), json!(day(birth)));
        }
        let count = |generator: &mut Self, most: usize| generator.rng.random_range(0..=most);
        let n = count(self, 3);
        let education: Vec<Value> = (0..n).map(|_| self.education(as_of)).collect();
        profile.insert("education".into(), json!(education));
        let n = count(self, 4);
        let coursework: Vec<Value> = (0..n).map(|_| self.coursework()).collect();
        profile.insert("coursework".into(), json!(coursework));
        let n = count(self, 2);
        let certifications: Vec<Value> = (0..n).map(|_| self.certification(as_of)).collect();
        profile.insert("certifications".into(), json!(certifications));
        let n = count(self, 2);
        let licenses: Vec<Value> = (0..n).map(|_| self.license(as_of)).collect();
        profile.insert("licenses".into(), json!(licenses));
        let n = count(self, 4);
        let mut experience = Vec::new();
        for _ in 0..n {
            let rule = self
                .pick(&self.vocabulary.experience_rules.clone())
                .expect("experience rules");
            let job = self.job_for(&rule, as_of);
            // The same job listed twice under another area (issue 9, item 1).
            if self.chance(0.1) {
                let mut twin = job.clone();
                let areas = self.vocabulary.areas.clone();
                twin["area"] = json!(self.pick(&areas));
                experience.push(twin);
            }
            experience.push(job);
        }
        profile.insert("experience".into(), json!(experience));
        let n = count(self, 2);
        let training: Vec<Value> = (0..n).map(|_| self.training(as_of)).collect();
        profile.insert("training".into(), json!(training));
        let n = count(self, 3);
        let continuing: Vec<Value> = (0..n).map(|_| self.continuing_education(as_of)).collect();
        profile.insert("continuing_education".into(), json!(continuing));
        Value::Object(profile)
    }

    /// A profile that loads (through the same loader as `eligo check`), with its JSON.
    pub fn profile(&mut self) -> (Profile, Value) {
        let value = self.profile_json();
        let text = value.to_string();
        match eligo::parse_profile(&SourceFile::new("generated.json", text)) {
            Ok(profile) => (profile, value),
            Err(diagnostics) => panic!(
                "a generated profile does not load: {}\n{value:#}",
                eligo::diagnostic::render_human(&diagnostics, false)
            ),
        }
    }
}
