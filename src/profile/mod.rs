//! A candidate's profile: the typed form of the profile file (contract in
//! design.md). Loading and validation live in `load`; nothing here evaluates.

use crate::date::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Degree levels in ascending order; "bachelor or higher" accepts a master's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
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
        DegreeLevel::ALL.into_iter().find(|level| level.keyword() == word)
    }
}

/// One candidate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Defaults to the file name without its extension.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// For age limits only.
    #[serde(default)]
    pub birth_date: Option<Date>,
    /// Where the candidate intends to work: a USPS code such as `CA` (`PR` included).
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub education: Vec<Education>,
    /// Academic credit only; continuing education never counts here.
    #[serde(default)]
    pub coursework: Vec<Coursework>,
    #[serde(default)]
    pub certifications: Vec<Certification>,
    #[serde(default)]
    pub licenses: Vec<License>,
    #[serde(default)]
    pub experience: Vec<Experience>,
    #[serde(default)]
    pub training: Vec<Training>,
    #[serde(default)]
    pub continuing_education: Vec<ContinuingEducation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Education {
    pub degree: DegreeLevel,
    #[serde(default)]
    pub field: Option<String>,
    /// Absent: still in progress, so it does not count.
    #[serde(default)]
    pub completed: Option<Date>,
    /// The programme's accrediting body, e.g. `NAACLS`.
    #[serde(default)]
    pub accreditation: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coursework {
    pub subject: String,
    /// Exactly one of `semester_hours` and `quarter_hours`.
    #[serde(default)]
    pub semester_hours: Option<f64>,
    /// A quarter hour counts as 2/3 of a semester hour.
    #[serde(default)]
    pub quarter_hours: Option<f64>,
    #[serde(default)]
    pub topic: Option<String>,
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    pub issuer: String,
    pub name: String,
    #[serde(default)]
    pub earned: Option<Date>,
    #[serde(default)]
    pub expires: Option<Date>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct License {
    /// USPS code of the issuing state.
    pub state: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub issued: Option<Date>,
    #[serde(default)]
    pub expires: Option<Date>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Experience {
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub setting: Option<String>,
    /// Where the work was done.
    #[serde(default)]
    pub state: Option<String>,
    /// Whether the candidate held the licence that state requires for the work.
    #[serde(default)]
    pub licensed: Option<bool>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub start: Date,
    /// Absent or null: ongoing, counted up to the evaluation date.
    #[serde(default)]
    pub end: Option<Date>,
    /// Defaults to 40.
    #[serde(default)]
    pub hours_per_week: Option<f64>,
}

impl Experience {
    pub const DEFAULT_HOURS_PER_WEEK: f64 = 40.0;

    pub fn hours_per_week(&self) -> f64 {
        self.hours_per_week.unwrap_or(Self::DEFAULT_HOURS_PER_WEEK)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Training {
    pub program: String,
    #[serde(default)]
    pub accreditation: Option<String>,
    #[serde(default)]
    pub completed: Option<Date>,
    #[serde(default)]
    pub duration_weeks: Option<f64>,
    #[serde(default)]
    pub didactic_hours: Option<f64>,
    #[serde(default)]
    pub clinical_hours: Option<f64>,
    #[serde(default)]
    pub venipunctures: Option<u32>,
    #[serde(default)]
    pub skin_punctures: Option<u32>,
    #[serde(default)]
    pub arterial_punctures: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContinuingEducation {
    pub completed: Date,
    pub hours: f64,
    #[serde(default)]
    pub topic: Option<String>,
}
