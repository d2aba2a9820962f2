//! A candidate's profile: the typed form of the profile file (contract in
//! design.md). Loading and validation live in `load`; nothing here evaluates.

use crate::date::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod load;
pub mod schema;

pub use load::{
    PathStep, load_profile, parse_profile, parse_profile_line, validate_profile, value_span,
};
pub use schema::profile_schema;

/// Degree levels in ascending order; "bachelor or higher" accepts a master's.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DegreeLevel {
    HighSchool,
    Associate,
    Bachelor,
    Master,
    Doctorate,
}

impl DegreeLevel {
    pub const ALL: [DegreeLevel; 5] = [
        DegreeLevel::HighSchool,
        DegreeLevel::Associate,
        DegreeLevel::Bachelor,
        DegreeLevel::Master,
        DegreeLevel::Doctorate,
    ];

    /// The keyword used in profiles and rule files.
    pub fn keyword(self) -> &'static str {
        match self {
            DegreeLevel::HighSchool => "high_school",
            DegreeLevel::Associate => "associate",
            DegreeLevel::Bachelor => "bachelor",
            DegreeLevel::Master => "master",
            DegreeLevel::Doctorate => "doctorate",
        }
    }

    /// How the level reads in a sentence ("a bachelor's degree").
    pub fn phrase(self) -> &'static str {
        match self {
            DegreeLevel::HighSchool => "a high school diploma",
            DegreeLevel::Associate => "an associate degree",
            DegreeLevel::Bachelor => "a bachelor's degree",
            DegreeLevel::Master => "a master's degree",
            DegreeLevel::Doctorate => "a doctoral degree",
        }
    }

    pub fn from_keyword(word: &str) -> Option<DegreeLevel> {
        DegreeLevel::ALL
            .into_iter()
            .find(|level| level.keyword() == word)
    }
}

/// One candidate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Defaults to the file name without its extension.
    #[serde(default)]
    pub id: Option<String>,
    /// The candidate's name, for reports.
    #[serde(default)]
    pub name: Option<String>,
    /// For age limits only.
    #[serde(default)]
    pub birth_date: Option<Date>,
    /// Where the candidate intends to work: a USPS code such as `CA` (`PR` included).
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Z]{2}$"))]
    pub state: Option<String>,
    /// Degrees and diplomas, completed or in progress.
    #[serde(default)]
    pub education: Vec<Education>,
    /// Academic credit only; continuing education never counts here.
    #[serde(default)]
    pub coursework: Vec<Coursework>,
    /// Certifications held, e.g. ASCP MLT.
    #[serde(default)]
    pub certifications: Vec<Certification>,
    /// State licences held.
    #[serde(default)]
    pub licenses: Vec<License>,
    /// Jobs, past and present.
    #[serde(default)]
    pub experience: Vec<Experience>,
    /// Training programmes, e.g. phlebotomy.
    #[serde(default)]
    pub training: Vec<Training>,
    /// Continuing-education courses (never counted as coursework).
    #[serde(default)]
    pub continuing_education: Vec<ContinuingEducation>,
    /// The positions the person holds in a laboratory (role ids), for
    /// `eligo roster` and `eligo record`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<Position>,
}

/// How a record was checked, e.g. `{ "by": "primary source: ASCP", "on": "2026-03-02" }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// What the evidence is: `primary source: ASCP`, `transcript on file`.
    #[schemars(length(min = 1))]
    pub by: String,
    /// When it was checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
}

/// A position the person holds, e.g. `{ "role": "clia-technical-supervisor", "specialties": ["chemistry"] }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The role id of the position in the rule set.
    pub role: String,
    /// For a technical consultant or supervisor: the specialties the person is responsible for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specialties: Vec<String>,
}

/// A degree or diploma.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Education {
    /// The level: `high_school`, `associate`, `bachelor`, `master` or `doctorate`.
    pub degree: DegreeLevel,
    /// The field of study, e.g. `medical laboratory technology`.
    #[serde(default)]
    pub field: Option<String>,
    /// Absent: still in progress, so it does not count.
    #[serde(default)]
    pub completed: Option<Date>,
    /// For a programme in progress: the date it is expected to be completed.
    /// Counts only where a rule accepts a programme `scheduled` to finish.
    #[serde(default)]
    pub expected: Option<Date>,
    /// The programme's accrediting body, e.g. `NAACLS`.
    #[serde(default)]
    pub accreditation: Option<String>,
    /// Where it was awarded, e.g. `US`.
    #[serde(default)]
    pub country: Option<String>,
    /// How the record was checked, when it was: absent means self-reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verification>,
}

/// Academic credit in one subject, as on a transcript.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coursework {
    /// What the credit counts towards, e.g. `chemistry`; hours add up per subject.
    pub subject: String,
    /// Exactly one of `semester_hours` and `quarter_hours`.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub semester_hours: Option<f64>,
    /// A quarter hour counts as 2/3 of a semester hour.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub quarter_hours: Option<f64>,
    /// What the course covered, e.g. `microbiology`.
    #[serde(default)]
    pub topic: Option<String>,
    /// How the record was checked, when it was: absent means self-reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verification>,
}

impl Coursework {
    /// Credit in semester hours (quarter hours converted at 2/3).
    pub fn semester_hours(&self) -> f64 {
        match (self.semester_hours, self.quarter_hours) {
            (Some(semester), _) => semester,
            (None, Some(quarter)) => quarter * 2.0 / 3.0,
            (None, None) => 0.0,
        }
    }
}

/// A certification; it counts from `earned` to `expires` (each when given).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    /// The certifying body, e.g. `ASCP`.
    pub issuer: String,
    /// The credential, e.g. `MLT`.
    pub name: String,
    #[serde(default)]
    pub earned: Option<Date>,
    /// Not before `earned`.
    #[serde(default)]
    pub expires: Option<Date>,
    /// The certificate number, for records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// How the record was checked, when it was: absent means self-reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verification>,
}

/// A state licence; it counts from `issued` to `expires` (each when given).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct License {
    /// USPS code of the issuing state.
    #[schemars(regex(pattern = r"^[A-Z]{2}$"))]
    pub state: String,
    /// The kind of licence, e.g. `MLT`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub issued: Option<Date>,
    /// Not before `issued`.
    #[serde(default)]
    pub expires: Option<Date>,
    /// The licence number, for records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// How the record was checked, when it was: absent means self-reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verification>,
}

/// A job, past or present.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Experience {
    /// The job, e.g. `medical laboratory technician`.
    #[serde(default)]
    pub role: Option<String>,
    /// The laboratory area, e.g. `hematology`.
    #[serde(default)]
    pub area: Option<String>,
    /// Where, e.g. `clinical laboratory`.
    #[serde(default)]
    pub setting: Option<String>,
    /// USPS code of the state where the work was done.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Z]{2}$"))]
    pub state: Option<String>,
    /// Whether the candidate held the licence that state requires for the work.
    #[serde(default)]
    pub licensed: Option<bool>,
    /// Free labels, e.g. `supervisory`, `teaching`, `high_complexity`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The first day of the job.
    pub start: Date,
    /// Absent or null: ongoing, counted up to the evaluation date. Not before `start`.
    #[serde(default)]
    pub end: Option<Date>,
    /// Average hours worked per week; defaults to 40.
    #[serde(default)]
    #[schemars(range(min = 0, max = 168))]
    pub hours_per_week: Option<f64>,
    /// The employer, for records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    /// The laboratory's name, for records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub laboratory: Option<String>,
    /// The laboratory's CLIA number: two digits, `D`, seven digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{2}D[0-9]{7}$"))]
    pub clia_number: Option<String>,
    /// How the record was checked, when it was: absent means self-reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verification>,
}

impl Experience {
    pub const DEFAULT_HOURS_PER_WEEK: f64 = 40.0;

    pub fn hours_per_week(&self) -> f64 {
        self.hours_per_week.unwrap_or(Self::DEFAULT_HOURS_PER_WEEK)
    }
}

/// A training programme, e.g. in phlebotomy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// The programme, e.g. `phlebotomy`.
    pub program: String,
    /// The programme's accrediting body, e.g. `NAACLS`.
    #[serde(default)]
    pub accreditation: Option<String>,
    #[serde(default)]
    pub completed: Option<Date>,
    /// For a programme in progress: the date it is expected to be completed
    /// (as for an education entry).
    #[serde(default)]
    pub expected: Option<Date>,
    /// Length of the programme in weeks.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub duration_weeks: Option<f64>,
    /// Classroom hours.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub didactic_hours: Option<f64>,
    /// Supervised clinical hours.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub clinical_hours: Option<f64>,
    /// Number of venipunctures performed.
    #[serde(default)]
    pub venipunctures: Option<u32>,
    /// Number of skin punctures performed.
    #[serde(default)]
    pub skin_punctures: Option<u32>,
    /// Number of arterial punctures performed.
    #[serde(default)]
    pub arterial_punctures: Option<u32>,
    /// How the record was checked, when it was: absent means self-reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verification>,
}

/// A continuing-education course; it never counts as academic coursework.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContinuingEducation {
    pub completed: Date,
    /// Contact hours.
    #[schemars(range(min = 0))]
    pub hours: f64,
    /// What the course covered, e.g. `hematology update`.
    #[serde(default)]
    pub topic: Option<String>,
    /// How the record was checked, when it was: absent means self-reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verification>,
}
