//! What an evaluation found, as data: verdicts, the conditions not met with
//! the quantities and records behind them, the evidence behind those met,
//! and how far each route is from being met. No sentence is built here;
//! `render` words these facts for a reader.

use super::Verdict;
use crate::date::Date;
use crate::profile::DegreeLevel;
use crate::ruleset::{
    Alternative, EarnedBound, FileId, Requirement, RequirementKind, RoleId, RuleSet,
    TrainingMeasure, Validity,
};
use std::fmt;

/// What kind of condition a gap or a piece of evidence is about (the
/// contract's `unmet[].kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum UnmetKind {
    Degree,
    /// A degree of the right level in the wrong field.
    Field,
    /// The right degree or programme, accredited by the wrong body (or none).
    Accreditation,
    Certification,
    License,
    Experience,
    Coursework,
    Training,
    ContinuingEducation,
    /// Another role's eligibility.
    Role,
    Other,
}

impl UnmetKind {
    pub const ALL: [UnmetKind; 11] = [
        UnmetKind::Degree,
        UnmetKind::Field,
        UnmetKind::Accreditation,
        UnmetKind::Certification,
        UnmetKind::License,
        UnmetKind::Experience,
        UnmetKind::Coursework,
        UnmetKind::Training,
        UnmetKind::ContinuingEducation,
        UnmetKind::Role,
        UnmetKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnmetKind::Degree => "degree",
            UnmetKind::Field => "field",
            UnmetKind::Accreditation => "accreditation",
            UnmetKind::Certification => "certification",
            UnmetKind::License => "license",
            UnmetKind::Experience => "experience",
            UnmetKind::Coursework => "coursework",
            UnmetKind::Training => "training",
            UnmetKind::ContinuingEducation => "continuing_education",
            UnmetKind::Role => "role",
            UnmetKind::Other => "other",
        }
    }

    pub fn from_keyword(word: &str) -> Option<UnmetKind> {
        UnmetKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == word)
    }

    /// The kind of gap a condition gives when it is not met for the plain
    /// reason (a degree that is missing, not one in the wrong field).
    pub fn of(rules: &RuleSet, requirement: &Requirement) -> UnmetKind {
        match &requirement.kind {
            RequirementKind::Degree(_) => UnmetKind::Degree,
            RequirementKind::Program(_) | RequirementKind::Training(_) => UnmetKind::Training,
            RequirementKind::Coursework(_) => UnmetKind::Coursework,
            RequirementKind::Certification(_) => UnmetKind::Certification,
            RequirementKind::License(_) => UnmetKind::License,
            RequirementKind::Experience(_) | RequirementKind::Serving(_) => UnmetKind::Experience,
            RequirementKind::ContinuingEducation(_) => UnmetKind::ContinuingEducation,
            RequirementKind::Role(_) => UnmetKind::Role,
            RequirementKind::Use(definition) => rules
                .definitions
                .get(*definition)
                .map_or(UnmetKind::Other, |definition| {
                    UnmetKind::of(rules, &definition.requirement)
                }),
            _ => UnmetKind::Other,
        }
    }
}

impl fmt::Display for UnmetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Units of `needed`/`have` (the contract's `unit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Unit {
    Months,
    SemesterHours,
    Hours,
    Count,
    /// Weeks of training (added to the contract's four units).
    Weeks,
}

impl Unit {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Months => "months",
            Unit::SemesterHours => "semester_hours",
            Unit::Hours => "hours",
            Unit::Count => "count",
            Unit::Weeks => "weeks",
        }
    }
}

/// A quantity a condition asks for and what the profile has of it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantity {
    pub needed: f64,
    /// Exactly as counted; see [`Quantity::shown_have`] for display.
    pub have: f64,
    pub unit: Unit,
}

impl Quantity {
    pub fn met(&self) -> bool {
        meets(self.have, self.needed)
    }

    /// `have` to one decimal, never rounded up to a threshold it misses.
    pub fn shown_have(&self) -> f64 {
        let rounded = (self.have * 10.0).round() / 10.0;
        if !self.met() && rounded >= self.needed {
            (self.have * 10.0).floor() / 10.0
        } else {
            rounded
        }
    }

    /// How far from met, in the units of [`distance`](self::distances):
    /// roughly years of full-time effort.
    pub fn effort(&self) -> f64 {
        let short = (self.needed - self.have.max(0.0)).max(0.0);
        if self.met() {
            return 0.0;
        }
        match self.unit {
            Unit::Months => short / distances::MONTHS_PER_UNIT,
            Unit::SemesterHours => short / distances::SEMESTER_HOURS_PER_UNIT,
            Unit::Hours => short / distances::WORK_HOURS_PER_UNIT,
            Unit::Count | Unit::Weeks => self.shortfall() * distances::TRAINING_FIGURES,
        }
    }

    /// How far from met, as a share of the need (0 when met, at most 1).
    pub fn shortfall(&self) -> f64 {
        if self.met() || self.needed.is_nan() || self.needed <= 0.0 {
            0.0
        } else {
            ((self.needed - self.have.max(0.0)) / self.needed).clamp(0.0, 1.0)
        }
    }
}

/// How far a gap is from met, so that routes can be compared by what they
/// still take rather than by how many things they lack. The unit is about a
/// year of full-time effort: a missing certificate, licence, programme or
/// training counts 1, a missing degree [`DEGREE`](distances::DEGREE), and a
/// quantity its shortfall in years of work or study (docs/output.md,
/// "Distance").
pub mod distances {
    /// Months of experience in one unit.
    pub const MONTHS_PER_UNIT: f64 = 12.0;
    /// Hours of experience in one unit (a year at 35 hours a week).
    pub const WORK_HOURS_PER_UNIT: f64 = 35.0 * 52.0;
    /// Semester hours in one unit (a full-time academic year).
    pub const SEMESTER_HOURS_PER_UNIT: f64 = 30.0;
    /// Hours of continuing education in one unit.
    pub const CE_HOURS_PER_UNIT: f64 = 40.0;
    /// A training figure (venipunctures, weeks, clinical hours) missing
    /// entirely: a quarter, since the rest of the programme is done.
    pub const TRAINING_FIGURES: f64 = 0.25;
    /// A missing degree.
    pub const DEGREE: f64 = 2.0;
    /// A missing fact (no `state`): supplying it is a small step.
    pub const UNDETERMINED: f64 = 0.5;
}

/// Tolerance for "at least": thresholds are inclusive, so a total that equals
/// the threshold up to floating-point noise meets it.
pub(crate) fn meets(have: f64, needed: f64) -> bool {
    have + 1e-9 * needed.abs().max(1.0) >= needed
}

/// A record of the profile, by its list and place (`experience[1]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Record {
    Education(usize),
    Coursework(usize),
    Certification(usize),
    License(usize),
    Experience(usize),
    Training(usize),
    ContinuingEducation(usize),
}

impl Record {
    /// The profile field holding the record.
    pub fn list(self) -> &'static str {
        match self {
            Record::Education(_) => "education",
            Record::Coursework(_) => "coursework",
            Record::Certification(_) => "certifications",
            Record::License(_) => "licenses",
            Record::Experience(_) => "experience",
            Record::Training(_) => "training",
            Record::ContinuingEducation(_) => "continuing_education",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Record::Education(index)
            | Record::Coursework(index)
            | Record::Certification(index)
            | Record::License(index)
            | Record::Experience(index)
            | Record::Training(index)
            | Record::ContinuingEducation(index) => index,
        }
    }

    /// Parses a JSON path such as `experience[1]`.
    pub fn parse(path: &str) -> Option<Record> {
        let (list, rest) = path.split_once('[')?;
        let index: usize = rest.strip_suffix(']')?.parse().ok()?;
        Some(match list {
            "education" => Record::Education(index),
            "coursework" => Record::Coursework(index),
            "certifications" => Record::Certification(index),
            "licenses" => Record::License(index),
            "experience" => Record::Experience(index),
            "training" => Record::Training(index),
            "continuing_education" => Record::ContinuingEducation(index),
            _ => return None,
        })
    }
}

/// The record's JSON path: `experience[1]`.
impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.list(), self.index())
    }
}

/// How a record fared against one condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Counted {
    /// Satisfies the condition (or counts in full toward its quantity).
    Yes,
    /// Counts toward the quantity, but not all of it (see the reasons).
    Partly,
    No,
}

impl Counted {
    pub fn as_str(self) -> &'static str {
        match self {
            Counted::Yes => "yes",
            Counted::Partly => "partly",
            Counted::No => "no",
        }
    }
}

/// Why a record did not count, or counted only in part. The record's own
/// values (its setting, its accreditation) are read from the profile by the
/// renderer; a reason carries what the record does not hold.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Reason {
    /// Earned or issued after the evaluation date.
    NotYetValid {
        on: Date,
    },
    Expired {
        on: Date,
    },
    /// A licence of a type the condition does not accept.
    LicenseType,
    /// A degree below the minimum level.
    DegreeLevel {
        minimum: DegreeLevel,
    },
    /// No `completed` date: in progress.
    InProgress,
    CompletedAfterAsOf {
        on: Date,
    },
    /// Completed before the window opened.
    CompletedBeforeWindow {
        on: Date,
        window_from: Date,
        years: u32,
    },
    /// A degree or course in a field or subject the condition does not name.
    Field,
    /// Accredited by a body the condition does not name (or by none).
    Accreditation,
    /// Work in a setting, area or job, or a state, the condition does not name.
    Setting,
    Area,
    Job,
    WorkState,
    /// Work without the licence the state requires.
    Unlicensed,
    /// Work without any of the tags the condition asks for.
    Untagged,
    /// Work with no hours a week (or a nonsensical number).
    NoHours,
    /// Work that starts after the evaluation date.
    StartsAfterAsOf {
        on: Date,
    },
    /// Work that ended before the window opened.
    BeforeWindow {
        window_from: Date,
        years: u32,
    },
    /// Work before the window opened does not count; the rest does.
    ClippedToWindow {
        window_from: Date,
        years: u32,
    },
    /// Part-time work counts pro rata: `hours_per_week` of `full_time`.
    PartTime {
        hours_per_week: f64,
        full_time: f64,
    },
    /// A training figure below the condition's minimum.
    Measure {
        measure: TrainingMeasure,
        needed: f64,
        have: f64,
    },
    /// Continuing education on another topic, or coursework on no listed topic.
    Topic,
    /// A certification earned outside the dates the condition accepts.
    EarnedOutside {
        on: Date,
        bound: EarnedBound,
    },
    /// A certification with no `earned` date, where the condition needs one.
    NoEarnedDate,
    /// A programme in progress with its expected completion date
    /// (`program … scheduled`).
    Scheduled {
        on: Date,
    },
    /// `experience … after …`: work that ended before the credential was
    /// earned (or the degree completed), and work clipped to that day.
    BeforeCredential {
        from: Date,
    },
    ClippedToCredential {
        from: Date,
    },
    /// Work in the position that ended before the date service must run from.
    EndedBeforeService {
        on: Date,
    },
}

impl Reason {
    /// A short stable name for JSON (`expired`, `clipped_to_window`).
    pub fn code(self) -> &'static str {
        match self {
            Reason::NotYetValid { .. } => "not_yet_valid",
            Reason::Expired { .. } => "expired",
            Reason::LicenseType => "license_type",
            Reason::DegreeLevel { .. } => "degree_level",
            Reason::InProgress => "in_progress",
            Reason::CompletedAfterAsOf { .. } => "completed_after_as_of",
            Reason::CompletedBeforeWindow { .. } => "completed_before_window",
            Reason::Field => "field",
            Reason::Accreditation => "accreditation",
            Reason::Setting => "setting",
            Reason::Area => "area",
            Reason::Job => "job",
            Reason::WorkState => "work_state",
            Reason::Unlicensed => "unlicensed",
            Reason::Untagged => "untagged",
            Reason::NoHours => "no_hours",
            Reason::StartsAfterAsOf { .. } => "starts_after_as_of",
            Reason::BeforeWindow { .. } => "before_window",
            Reason::ClippedToWindow { .. } => "clipped_to_window",
            Reason::PartTime { .. } => "part_time",
            Reason::Measure { .. } => "measure",
            Reason::Topic => "topic",
            Reason::EarnedOutside { .. } => "earned_outside",
            Reason::NoEarnedDate => "no_earned_date",
            Reason::Scheduled { .. } => "scheduled",
            Reason::EndedBeforeService { .. } => "ended_before_service",
            Reason::BeforeCredential { .. } => "before_credential",
            Reason::ClippedToCredential { .. } => "clipped_to_credential",
        }
    }

    /// Whether the reason keeps the record from counting at all (rather
    /// than trimming what it counts).
    pub fn excludes(self) -> bool {
        !matches!(
            self,
            Reason::ClippedToWindow { .. }
                | Reason::ClippedToCredential { .. }
                | Reason::PartTime { .. }
                | Reason::Scheduled { .. }
        )
    }
}

/// One record read for a condition: whether it counted, why (not), and
/// what it contributed to the condition's quantity.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub record: Record,
    pub counted: Counted,
    /// What it adds toward the quantity (months of work on its own, before
    /// any overlap with other jobs is capped; hours; semester hours).
    pub amount: Option<f64>,
    pub reasons: Vec<Reason>,
}

impl Finding {
    pub fn counted(record: Record) -> Finding {
        Finding {
            record,
            counted: Counted::Yes,
            amount: None,
            reasons: Vec::new(),
        }
    }

    pub fn not_counted(record: Record, reasons: Vec<Reason>) -> Finding {
        Finding {
            record,
            counted: Counted::No,
            amount: None,
            reasons,
        }
    }
}

/// A fact about a condition that no single record carries.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Fact {
    /// The profile lists no record of the kind the condition reads.
    NoneListed,
    /// The condition depends on the state where the candidate intends to
    /// work, and the profile gives none.
    NoState,
    /// No licence of the accepted types from any state (so the missing
    /// state does not matter).
    NoLicenseAnywhere,
    /// The state evaluated against, when it is not one the condition lists.
    State(String),
    /// `coursework … including TOPIC`: no matching course has the topic.
    NoTopicCourse { courses: usize },
    /// Hours of continuing education that fall outside the window or after
    /// the evaluation date.
    HoursOutsideWindow {
        hours: f64,
        window_from: Option<Date>,
        years: Option<u32>,
    },
    /// The candidate's age in whole years, or `None` without `birth_date`.
    Age(Option<i64>),
    /// A `date` condition: the evaluation date.
    EvaluationDate(Date),
    /// The role is not in force on the evaluation date.
    RoleNotInForce(Validity),
    /// The route is not in force on the evaluation date.
    RouteNotInForce { validity: Validity, as_of: Date },
    /// `at least N of`: the parts not met, by index.
    PartsNotMet(Vec<usize>),
    /// A referenced role's first gap when it is undetermined.
    RoleUndetermined(Box<Fact>),
    /// The rule set is broken in a way the checker rejects (a cycle of
    /// role references, a missing role or definition).
    BrokenRuleSet,
    /// `in each of`: the areas with no matching work (canonical terms).
    AreasWithoutWork(Vec<String>),
    /// `serving … since`: the first day from `since` with no work in the
    /// position, and the day such work resumed (if it did).
    ServiceGap {
        since: Date,
        from: Date,
        resumed: Option<Date>,
    },
    /// `experience … after …`: work counts from this day.
    CountsFrom(Date),
    /// `experience … after certification …`: the certification is held with
    /// no `earned` date.
    AfterUndated,
    /// `experience … after …`: the credential is not held (the degree not
    /// completed), so no work counts.
    AfterMissing,
    /// `serving … since` evaluated before the date service must run from.
    ServiceNotStarted { since: Date },
}

/// A condition not met (or undecidable), with everything needed to say why.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Unmet<'r> {
    pub kind: UnmetKind,
    /// `NotEligible` or `Undetermined`.
    pub verdict: Verdict,
    /// The innermost named route the condition belongs to.
    pub route: Option<&'r str>,
    /// The condition as written: its kind, amounts, filters and span.
    pub requirement: &'r Requirement,
    pub file: FileId,
    /// For quantities: needed and have.
    pub quantity: Option<Quantity>,
    /// For one minimum of a training condition: which one.
    pub measure: Option<TrainingMeasure>,
    /// The records read, with why each did not count (or counted).
    pub findings: Vec<Finding>,
    pub facts: Vec<Fact>,
    /// For an either/or of single conditions: each alternative's own gap.
    pub alternatives: Vec<Unmet<'r>>,
    /// For `requires ROLE`: that role's own gaps.
    pub role_gaps: Vec<Unmet<'r>>,
    /// How far from met (see docs/output.md, "Distance").
    pub distance: f64,
    /// Evaluated on this date rather than the evaluation date (inside an
    /// `as_of` block).
    pub as_of: Option<Date>,
    /// Built while routes are compared in outline: only its verdict and
    /// distance are read, so facts are not kept.
    pub(crate) outline: bool,
}

impl<'r> Unmet<'r> {
    #[inline]
    pub(crate) fn new(
        kind: UnmetKind,
        verdict: Verdict,
        requirement: &'r Requirement,
        file: FileId,
    ) -> Unmet<'r> {
        Unmet {
            kind,
            verdict,
            route: None,
            requirement,
            file,
            quantity: None,
            measure: None,
            findings: Vec::new(),
            facts: Vec::new(),
            alternatives: Vec::new(),
            role_gaps: Vec::new(),
            as_of: None,
            outline: false,
            distance: if verdict == Verdict::Undetermined {
                UNDETERMINED_DISTANCE
            } else {
                1.0
            },
        }
    }

    // Inlined: a builder step should not copy the whole gap in and out.
    #[inline]
    pub(crate) fn quantity(mut self, needed: f64, have: f64, unit: Unit) -> Unmet<'r> {
        let quantity = Quantity { needed, have, unit };
        self.distance = quantity.effort();
        self.quantity = Some(quantity);
        self
    }

    #[inline]
    pub(crate) fn fact(mut self, fact: Fact) -> Unmet<'r> {
        if !self.outline {
            self.facts.push(fact);
        }
        self
    }

    #[inline]
    pub(crate) fn findings(mut self, findings: Vec<Finding>) -> Unmet<'r> {
        self.findings = findings;
        self
    }

    /// `needed` as the contract has it (for quantities only).
    pub fn needed(&self) -> Option<f64> {
        self.quantity.map(|quantity| quantity.needed)
    }

    /// `have` as the contract has it: one decimal, never rounded up.
    pub fn have(&self) -> Option<f64> {
        self.quantity.map(|quantity| quantity.shown_have())
    }

    /// The contract's unit name.
    pub fn unit(&self) -> Option<&'static str> {
        self.quantity.map(|quantity| quantity.unit.as_str())
    }
}

pub(crate) const UNDETERMINED_DISTANCE: f64 = distances::UNDETERMINED;

/// A condition met, with the records that satisfy it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Met<'r> {
    pub kind: UnmetKind,
    pub route: Option<&'r str>,
    pub requirement: &'r Requirement,
    pub file: FileId,
    pub quantity: Option<Quantity>,
    /// The records that count (and, for quantities, those counted in part).
    pub findings: Vec<Finding>,
    /// For `requires ROLE`: how that role is met.
    pub via: Option<Box<Via<'r>>>,
    /// Evaluated on this date rather than the evaluation date (inside an
    /// `as_of` block).
    pub as_of: Option<Date>,
}

impl<'r> Met<'r> {
    pub(crate) fn new(kind: UnmetKind, requirement: &'r Requirement, file: FileId) -> Met<'r> {
        Met {
            kind,
            route: None,
            requirement,
            file,
            quantity: None,
            findings: Vec::new(),
            via: None,
            as_of: None,
        }
    }
}

/// How a referenced role is met: its route and evidence.
#[derive(Clone, Debug)]
pub struct Via<'r> {
    pub role: RoleId,
    pub route: Option<usize>,
    pub evidence: Vec<Met<'r>>,
}

/// One route of a role's top-level `any`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RouteOutcome<'r> {
    /// The route as written (a named `route`, or a plain condition).
    pub alternative: &'r Alternative,
    pub verdict: Verdict,
    pub in_force: bool,
    pub unmet: Vec<Unmet<'r>>,
    pub evidence: Vec<Met<'r>>,
    /// Sum of the unmet conditions' distances (0 when met).
    pub distance: f64,
}

impl<'r> RouteOutcome<'r> {
    /// The route's name, when it is a named route.
    pub fn name(&self) -> Option<&'r str> {
        self.alternative
            .route
            .as_ref()
            .map(|route| route.name.as_str())
    }
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RoleOutcome<'r> {
    pub role: RoleId,
    pub verdict: Verdict,
    /// Empty when eligible. Otherwise the unmet conditions outside the routes
    /// plus those of the closest route. Empty without `explain`.
    pub unmet: Vec<Unmet<'r>>,
    /// The conditions met: outside the routes, plus those of the route met
    /// (eligible) or of the closest route. Empty without `explain`.
    pub evidence: Vec<Met<'r>>,
    /// Every route of the role's top-level `any` of routes, in declaration
    /// order (empty when the role has none, or without `explain`/`routes`).
    pub routes: Vec<RouteOutcome<'r>>,
    /// Index among the role's routes of the closest route, when the role is
    /// not eligible.
    pub closest: Option<usize>,
    /// Index among the role's routes of the route met (eligible) or of the
    /// closest one (otherwise); `None` for a role without routes.
    pub route: Option<usize>,
    /// Sum of the distances of `unmet` (0 when eligible).
    pub distance: f64,
    /// What time alone does to the verdict, when asked for (see
    /// [`project`](super::project)).
    pub projection: Option<Box<super::Projection<'r>>>,
}

impl RoleOutcome<'_> {
    /// The name of [`RoleOutcome::route`], looked up in the rule set.
    pub fn route_name<'a>(&self, rules: &'a RuleSet) -> Option<&'a str> {
        let role = rules.get(self.role)?;
        let (_, alternatives) = super::top_level_routes(&role.requirement)?;
        alternatives
            .get(self.route?)?
            .route
            .as_ref()
            .map(|route| route.name.as_str())
    }
}

/// Every evaluated role of one profile.
#[derive(Clone, Debug)]
pub struct ProfileOutcome<'r> {
    /// The profile's id.
    pub profile: String,
    /// The state evaluated against (`--state`, else the profile's).
    pub state: Option<String>,
    pub roles: Vec<RoleOutcome<'r>>,
}

/// The sum of distances, for ranking routes and roles.
pub(crate) fn total_distance(gaps: &[Unmet<'_>]) -> f64 {
    gaps.iter().map(|gap| gap.distance).sum()
}
