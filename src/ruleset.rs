//! The checked rule set: every name resolved, every vocabulary term looked up,
//! every quantity in its canonical unit. This is what evaluation reads; it is
//! built only by `check`, so its invariants hold by construction.

use crate::date::Date;
use crate::profile::DegreeLevel;
use crate::source::{SourceFile, Span};
use std::collections::{BTreeMap, HashMap};

pub use crate::syntax::ast::{ExperienceUnit, TrainingMeasure, Trust};

/// Index into `RuleSet::files`.
pub type FileId = usize;
/// A role of a [`RuleSet`]: `rules[id]` is the role. Only a rule set makes
/// them (by id, [`RuleSet::role_id`], or all of them, [`RuleSet::role_ids`]),
/// so an id never points past the roles of the set it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoleId(u32);

impl RoleId {
    /// The role's position in [`RuleSet::roles`] (sorted by id).
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn from_index(index: usize) -> RoleId {
        // A rule set is capped far below 2^32 roles (the loader's size limits).
        RoleId(u32::try_from(index).unwrap_or(u32::MAX))
    }
}
/// Index into `RuleSet::definitions`.
pub type DefinitionId = usize;

#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    pub files: Vec<SourceFile>,
    /// Sorted by id.
    pub roles: Vec<Role>,
    /// `let NAME = { … }` blocks, referenced by `use NAME`.
    pub definitions: Vec<Definition>,
    pub vocabularies: Vocabularies,
    pub tests: Vec<RuleTest>,
    /// Which rules these are: a hash of the files' normalised text and their
    /// paths inside the rule set ([`crate::fingerprint`]), 16 hex digits.
    pub fingerprint: String,
}

impl RuleSet {
    /// The latest `checked` date of any source in the rule set: how recently
    /// the published requirements behind these rules were last read. `None`
    /// when no source carries a date.
    pub fn newest_source(&self) -> Option<Date> {
        let mut newest = None;
        let mut note = |sources: &[Source]| {
            for date in sources.iter().filter_map(|source| source.checked) {
                newest = newest.max(Some(date));
            }
        };
        let mut pending: Vec<&Requirement> = Vec::new();
        for role in &self.roles {
            note(&role.sources);
            pending.push(&role.requirement);
        }
        pending.extend(self.definitions.iter().map(|d| &d.requirement));
        while let Some(requirement) = pending.pop() {
            if let RequirementKind::Any(alternatives) = &requirement.kind {
                for route in alternatives.iter().filter_map(|a| a.route.as_ref()) {
                    note(&route.sources);
                }
            }
            pending.extend(requirement.children());
        }
        newest
    }

    pub fn role_id(&self, id: &str) -> Option<RoleId> {
        self.roles
            .binary_search_by(|role| role.id.as_str().cmp(id))
            .ok()
            .map(RoleId::from_index)
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.role_id(id).map(|role| &self[role])
    }

    /// The role, or `None` for an id of another, larger rule set.
    pub fn get(&self, role: RoleId) -> Option<&Role> {
        self.roles.get(role.index())
    }

    /// Every role, in id order.
    pub fn role_ids(&self) -> impl ExactSizeIterator<Item = RoleId> + use<> {
        (0..self.roles.len()).map(RoleId::from_index)
    }
}

/// The role's position, for messages about a role no rule set has.
impl std::fmt::Display for RoleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::ops::Index<RoleId> for RuleSet {
    type Output = Role;

    fn index(&self, role: RoleId) -> &Role {
        &self.roles[role.index()]
    }
}

#[derive(Clone, Debug)]
pub struct Role {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub notes: Vec<String>,
    /// `cite`: the text the role encodes, e.g. `42 CFR 493.1489`.
    pub cite: Option<String>,
    /// `clia_position`: the role's CLIA position and complexity.
    pub clia_position: Option<CliaPosition>,
    pub sources: Vec<Source>,
    pub validity: Validity,
    /// The role's body: an `All` of its conditions.
    pub requirement: Requirement,
    pub file: FileId,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub reference: String,
    pub trust: Option<Trust>,
    pub title: Option<String>,
    /// The day the rule was last checked against the source (`checked D`).
    pub checked: Option<Date>,
}

/// In force on and after `from`, and before (not on) `until`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Validity {
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl Validity {
    pub fn in_force(&self, as_of: Date) -> bool {
        self.from.is_none_or(|from| as_of >= from) && self.until.is_none_or(|until| as_of < until)
    }

    pub fn is_always(&self) -> bool {
        self.from.is_none() && self.until.is_none()
    }
}

#[derive(Clone, Debug)]
pub struct Definition {
    pub name: String,
    pub requirement: Requirement,
    pub file: FileId,
}

/// One node of a role's requirement tree.
#[derive(Clone, Debug)]
pub struct Requirement {
    pub kind: RequirementKind,
    /// Where it is written, in the file of the role or definition that holds it.
    pub span: Span,
    /// Unique within the rule set (for test coverage).
    pub node: u32,
}

impl Requirement {
    /// The requirements written directly inside this one, in order: the
    /// parts of `all` and `at least`, the alternatives of `any`, the bodies
    /// of `not`, `when` and `as_of`. A `use` is not followed.
    pub fn children(&self) -> impl Iterator<Item = &Requirement> {
        let (parts, alternatives, boxed): (
            &[Requirement],
            &[Alternative],
            [Option<&Requirement>; 3],
        ) = match &self.kind {
            RequirementKind::All(parts) | RequirementKind::AtLeast { of: parts, .. } => {
                (parts, &[], [None; 3])
            }
            RequirementKind::Any(alternatives) => (&[], alternatives, [None; 3]),
            RequirementKind::Not(body) | RequirementKind::AsOf { body, .. } => {
                (&[], &[], [Some(body), None, None])
            }
            RequirementKind::When {
                guard,
                then,
                otherwise,
            } => (&[], &[], [Some(guard), Some(then), otherwise.as_deref()]),
            _ => (&[], &[], [None; 3]),
        };
        parts
            .iter()
            .chain(
                alternatives
                    .iter()
                    .map(|alternative| &alternative.requirement),
            )
            .chain(boxed.into_iter().flatten())
    }
}

#[derive(Clone, Debug)]
pub enum RequirementKind {
    All(Vec<Requirement>),
    /// One alternative suffices; routes that are not in force are skipped.
    Any(Vec<Alternative>),
    AtLeast {
        count: usize,
        of: Vec<Requirement>,
    },
    Not(Box<Requirement>),
    /// `when` and `unless` (an `unless G { B }` is `when G {} else { B }`).
    When {
        guard: Box<Requirement>,
        then: Box<Requirement>,
        otherwise: Option<Box<Requirement>>,
    },
    Degree(DegreeRule),
    Program(ProgramRule),
    Coursework(CourseworkRule),
    Certification(CertificationRule),
    License(LicenseRule),
    Experience(ExperienceRule),
    /// In a position on every day from `since` to the evaluation date.
    Serving(ServingRule),
    Training(TrainingRule),
    ContinuingEducation(ContinuingEducationRule),
    Age {
        minimum: u32,
    },
    /// Eligible for another role.
    Role(RoleId),
    /// A shared `let` block.
    Use(DefinitionId),
    /// The candidate's state (where they intend to work) is one of these USPS codes.
    StateIn(Vec<String>),
    /// The evaluation date is on or after `date` (or before it).
    Date {
        on_or_after: bool,
        date: Date,
    },
    /// `as_of DATE { … }`: `body` evaluated on `date` instead of the
    /// evaluation date (the earlier text of a rule, for grandfathering).
    AsOf {
        date: Date,
        body: Box<Requirement>,
    },
}

#[derive(Clone, Debug)]
pub struct Alternative {
    /// Present when the alternative is a named `route`.
    pub route: Option<Route>,
    pub requirement: Requirement,
}

#[derive(Clone, Debug)]
pub struct Route {
    pub name: String,
    pub validity: Validity,
    pub description: Option<String>,
    pub notes: Vec<String>,
    pub sources: Vec<Source>,
    /// `cite`: the paragraph the route encodes, e.g. `42 CFR 493.1489(b)(2)`.
    pub cite: Option<String>,
}

/// A CLIA personnel position as form CMS-209 lists it, and the testing
/// complexity it is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CliaPosition {
    pub code: CliaPositionCode,
    pub complexity: Complexity,
}

/// The position columns of form CMS-209 (Laboratory Personnel Report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CliaPositionCode {
    LaboratoryDirector,
    ClinicalConsultant,
    TechnicalConsultant,
    TechnicalSupervisor,
    GeneralSupervisor,
    TestingPersonnel,
    CytologyGeneralSupervisor,
    Cytotechnologist,
}

impl CliaPositionCode {
    pub const ALL: [CliaPositionCode; 8] = [
        CliaPositionCode::LaboratoryDirector,
        CliaPositionCode::ClinicalConsultant,
        CliaPositionCode::TechnicalConsultant,
        CliaPositionCode::TechnicalSupervisor,
        CliaPositionCode::GeneralSupervisor,
        CliaPositionCode::TestingPersonnel,
        CliaPositionCode::CytologyGeneralSupervisor,
        CliaPositionCode::Cytotechnologist,
    ];

    /// The form's abbreviation, as rule files write it.
    pub fn code(self) -> &'static str {
        match self {
            CliaPositionCode::LaboratoryDirector => "LD",
            CliaPositionCode::ClinicalConsultant => "CC",
            CliaPositionCode::TechnicalConsultant => "TC",
            CliaPositionCode::TechnicalSupervisor => "TS",
            CliaPositionCode::GeneralSupervisor => "GS",
            CliaPositionCode::TestingPersonnel => "TP",
            CliaPositionCode::CytologyGeneralSupervisor => "CT/GS",
            CliaPositionCode::Cytotechnologist => "CT",
        }
    }

    pub fn from_code(code: &str) -> Option<CliaPositionCode> {
        CliaPositionCode::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Whether the form asks for the specialties the person is responsible
    /// for (technical consultant and supervisor).
    pub fn has_specialties(self) -> bool {
        matches!(
            self,
            CliaPositionCode::TechnicalConsultant | CliaPositionCode::TechnicalSupervisor
        )
    }
}

/// Testing complexity under CLIA (waived testing needs no personnel rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Complexity {
    Moderate,
    High,
}

impl Complexity {
    pub fn keyword(self) -> &'static str {
        match self {
            Complexity::Moderate => "moderate",
            Complexity::High => "high",
        }
    }

    /// The form's letter: `M` or `H`.
    pub fn letter(self) -> &'static str {
        match self {
            Complexity::Moderate => "M",
            Complexity::High => "H",
        }
    }

    pub fn from_keyword(word: &str) -> Option<Complexity> {
        [Complexity::Moderate, Complexity::High]
            .into_iter()
            .find(|c| c.keyword() == word)
    }
}

/// Vocabularies whose terms rule files may name and profiles may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VocabularyKind {
    /// Experience area (`hematology`).
    Area,
    /// Experience setting (`clinical laboratory`).
    Setting,
    /// Experience job title (`medical laboratory technician`).
    Job,
    /// Field of a degree.
    Field,
    /// Coursework subject.
    Subject,
    /// Coursework or continuing-education topic.
    Topic,
    /// Training programme or education field named by `program`/`training`.
    Program,
    /// Certification, written `ISSUER NAME` (`ASCP MLS`): checked, not aliased.
    Credential,
    /// Accrediting body (`NAACLS`): checked, not aliased.
    Accreditor,
}

impl VocabularyKind {
    pub const ALL: [VocabularyKind; 9] = [
        VocabularyKind::Area,
        VocabularyKind::Setting,
        VocabularyKind::Job,
        VocabularyKind::Field,
        VocabularyKind::Subject,
        VocabularyKind::Topic,
        VocabularyKind::Program,
        VocabularyKind::Credential,
        VocabularyKind::Accreditor,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            VocabularyKind::Area => "area",
            VocabularyKind::Setting => "setting",
            VocabularyKind::Job => "job",
            VocabularyKind::Field => "field",
            VocabularyKind::Subject => "subject",
            VocabularyKind::Topic => "topic",
            VocabularyKind::Program => "program",
            VocabularyKind::Credential => "credential",
            VocabularyKind::Accreditor => "accreditor",
        }
    }

    pub fn from_keyword(word: &str) -> Option<VocabularyKind> {
        VocabularyKind::ALL
            .into_iter()
            .find(|kind| kind.keyword() == word)
    }

    /// Help for an unknown vocabulary name: the nearest one, or the list.
    pub fn help_for(word: &str) -> String {
        crate::diagnostic::suggestion(word, VocabularyKind::ALL.map(VocabularyKind::keyword))
            .unwrap_or_else(|| {
                let names = VocabularyKind::ALL.map(|kind| format!("`{}`", kind.keyword()));
                format!("vocabularies: {}", names.join(", "))
            })
    }
}

/// Lower-case, `_` and `-` read as spaces, runs of white space folded.
pub fn normalize_term(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|word| !word.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[derive(Clone, Debug, Default)]
pub struct Vocabularies {
    pub by_kind: BTreeMap<VocabularyKind, Vocabulary>,
}

impl Vocabularies {
    /// The canonical term for a profile value: through the vocabulary's
    /// aliases when the kind has a vocabulary, else the normalized value.
    /// `None` when the kind has a vocabulary that does not know the value.
    pub fn canonical(&self, kind: VocabularyKind, value: &str) -> Option<String> {
        let key = normalize_term(value);
        match self.by_kind.get(&kind) {
            None => Some(key),
            Some(vocabulary) => vocabulary.lookup.get(&key).cloned(),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    /// Canonical (normalized) term → how it is written in the rule file.
    pub terms: BTreeMap<String, String>,
    /// Normalized term or alias → canonical term.
    pub lookup: HashMap<String, String>,
    /// Normalized group name → canonical member terms.
    pub groups: BTreeMap<String, Vec<String>>,
}

/// A set of canonical terms of one vocabulary, as a condition asks for them.
#[derive(Clone, Debug)]
pub struct TermSet {
    pub kind: VocabularyKind,
    /// Canonical terms, sorted and unique.
    pub terms: Vec<String>,
    /// How the rule names them, for explanations: `["chemistry", "biology"]`
    /// or a group name like `laboratory science`.
    pub written: Vec<String>,
    /// Every normalized spelling that matches: the terms and all their
    /// aliases, so evaluation needs no vocabulary lookup.
    pub accepted: Vec<String>,
}

impl TermSet {
    /// A set of terms and the spellings that match them, from `vocabularies`.
    pub fn new(
        kind: VocabularyKind,
        terms: Vec<String>,
        written: Vec<String>,
        vocabularies: &Vocabularies,
    ) -> TermSet {
        let mut accepted = terms.clone();
        if let Some(vocabulary) = vocabularies.by_kind.get(&kind) {
            accepted.extend(
                vocabulary
                    .lookup
                    .iter()
                    .filter(|(_, canonical)| terms.binary_search(canonical).is_ok())
                    .map(|(spelling, _)| spelling.clone()),
            );
        }
        accepted.sort();
        accepted.dedup();
        TermSet {
            kind,
            terms,
            written,
            accepted,
        }
    }

    /// Whether a profile value belongs to the set.
    pub fn matches(&self, value: &str) -> bool {
        let key = normalize_term(value);
        self.accepted.contains(&key)
    }
}

#[derive(Clone, Debug)]
pub struct DegreeRule {
    pub minimum: DegreeLevel,
    pub fields: Option<TermSet>,
    /// Accrediting bodies, upper-case; any one suffices.
    pub accredited_by: Option<Vec<String>>,
    pub within_years: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct ProgramRule {
    pub programs: TermSet,
    pub accredited_by: Option<Vec<String>>,
    pub within_years: Option<u32>,
    /// A programme in progress counts when the profile gives its `expected`
    /// completion date.
    pub scheduled: bool,
}

#[derive(Clone, Debug)]
pub struct CourseworkRule {
    /// Already converted to semester hours.
    pub minimum_semester_hours: Option<f64>,
    /// As written, for explanations (`9 quarter_hours`).
    pub written_minimum: Option<(f64, crate::syntax::ast::CreditUnit)>,
    pub subjects: Option<TermSet>,
    /// At least one course (in `subjects`, when given) with one of these topics.
    pub including: Option<TermSet>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CredentialName {
    pub issuer: String,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct CertificationRule {
    /// Any one of these, valid on the evaluation date.
    pub options: Vec<CredentialName>,
    /// Only a credential earned on or after (or before) a date.
    pub earned: Option<EarnedBound>,
    /// A role that explains how to earn it.
    pub see: Option<RoleId>,
}

/// `earned >= DATE` (`on_or_after`) or `earned < DATE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EarnedBound {
    pub on_or_after: bool,
    pub date: Date,
}

impl EarnedBound {
    pub fn admits(&self, earned: Date) -> bool {
        (earned >= self.date) == self.on_or_after
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LicenseState {
    /// Where the candidate intends to work (undetermined when unknown).
    Candidate,
    Code(String),
}

#[derive(Clone, Debug)]
pub struct LicenseRule {
    pub state: LicenseState,
    /// Licence types, upper-case; `None` accepts any licence from the state.
    pub types: Option<Vec<String>>,
    pub see: Option<RoleId>,
}

#[derive(Clone, Debug)]
pub struct ExperienceRule {
    pub amount: f64,
    pub unit: ExperienceUnit,
    /// Hours a week counted as full time (months only).
    pub fulltime_hours_per_week: f64,
    pub areas: Option<TermSet>,
    /// `in each of`: besides the total, some matching work in every one of
    /// `areas`' terms.
    pub each_area: bool,
    pub settings: Option<TermSet>,
    pub jobs: Option<TermSet>,
    /// USPS codes where the work must have been done.
    pub states: Option<Vec<String>>,
    /// Only work for which the candidate held the licence required.
    pub licensed: bool,
    /// Any one of these tags.
    pub tags: Option<Vec<String>>,
    pub within_years: Option<u32>,
    /// Only work on or after the day this credential was earned.
    pub after: Option<AfterRule>,
}

/// What counted experience must follow.
#[derive(Clone, Debug)]
pub enum AfterRule {
    /// The earliest `earned` date of a held certification among these.
    Certification(Vec<CredentialName>),
    /// The earliest `completed` date of a degree of this level or higher.
    Degree(DegreeLevel),
}

/// `serving … since DATE`.
#[derive(Clone, Debug)]
pub struct ServingRule {
    pub since: Date,
    /// Which jobs are the position: only the filters of this rule are read
    /// (areas, settings, jobs, states, licensed, tags); its amount, unit,
    /// full-time hours and window are unused.
    pub work: ExperienceRule,
}

#[derive(Clone, Debug)]
pub struct TrainingRule {
    pub programs: TermSet,
    pub accredited_by: Option<Vec<String>>,
    pub within_years: Option<u32>,
    pub minimums: Vec<(TrainingMeasure, f64)>,
    /// As for programmes: one in progress with an `expected` date counts.
    pub scheduled: bool,
}

#[derive(Clone, Debug)]
pub struct ContinuingEducationRule {
    pub hours: f64,
    pub topics: Option<TermSet>,
    pub within_years: Option<u32>,
}

/// A rule test: a profile, a date and what each named role must come out as.
#[derive(Clone, Debug)]
pub struct RuleTest {
    pub name: String,
    pub file: FileId,
    pub span: Span,
    pub as_of: Date,
    pub state: Option<String>,
    pub profile: TestProfile,
    pub expectations: Vec<Expectation>,
}

#[derive(Clone, Debug)]
pub enum TestProfile {
    /// Resolved against the rule file's folder.
    File(std::path::PathBuf),
    /// Inline JSON, with the byte offset of its first character in the rule file.
    Inline { text: String, offset: usize },
}

#[derive(Clone, Debug)]
pub struct Expectation {
    pub role: RoleId,
    pub verdict: String,
    pub unmet: Option<Vec<ExpectedUnmet>>,
    /// `route "R"`: the route met, or the closest.
    pub route: Option<(String, Span)>,
    /// `met KIND by RECORD, …`.
    pub met: Vec<ExpectedMet>,
    pub span: Span,
}

/// Evidence a rule test asks for: a condition of `kind` met, with each of
/// `records` among the profile records that meet it.
#[derive(Clone, Debug)]
pub struct ExpectedMet {
    pub kind: String,
    pub records: Vec<crate::eval::Record>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ExpectedUnmet {
    pub kind: String,
    pub route: Option<String>,
    pub needed: Option<f64>,
    pub have: Option<f64>,
    pub message: Option<String>,
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_underscores_and_spaces() {
        assert_eq!(normalize_term("  Blood_Banking  "), "blood banking");
        assert_eq!(
            normalize_term("Clinical\tLaboratory"),
            "clinical laboratory"
        );
    }

    #[test]
    fn validity_includes_from_and_excludes_until() {
        let d = |s: &str| Date::parse(s).unwrap();
        let v = Validity {
            from: Some(d("2020-01-01")),
            until: Some(d("2023-01-01")),
        };
        assert!(v.in_force(d("2020-01-01")));
        assert!(v.in_force(d("2022-12-31")));
        assert!(!v.in_force(d("2023-01-01")));
        assert!(!v.in_force(d("2019-12-31")));
    }
}
