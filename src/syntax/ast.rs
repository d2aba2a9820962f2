//! The typed syntax tree of one rule file, exactly as written: names are not
//! resolved and vocabulary terms are not looked up (that is `check`'s job).
//! Spans are kept on every node and never affect equality.

use crate::date::Date;
use crate::profile::DegreeLevel;
use crate::source::Span;

/// One parsed `.elig` file.
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub items: Vec<Item>,
    /// Every `//` comment, in source order; only the formatter reads them.
    pub comments: Vec<Comment>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// Includes the leading `//`, excludes the line break.
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Role(Role),
    Let(Let),
    Vocabulary(Vocabulary),
    Test(Test),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Role(role) => role.span,
            Item::Let(definition) => definition.span,
            Item::Vocabulary(vocabulary) => vocabulary.span,
            Item::Test(test) => test.span,
        }
    }
}

/// A name: role id, `let` name, vocabulary kind, keyword argument.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal, unescaped.
#[derive(Clone, Debug, PartialEq)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    pub value: f64,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DateLit {
    pub date: Date,
    pub span: Span,
}

/// A list element or single value: a bare word (`CA`, `NAACLS`) or a string.
#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    pub text: String,
    pub quoted: bool,
    pub span: Span,
}

/// A value that names one or more terms: `"chemistry"`, `[CA, NY]`, or a `let` name.
#[derive(Clone, Debug, PartialEq)]
pub enum Terms {
    One(Atom),
    List { items: Vec<Atom>, span: Span },
    Name(Ident),
}

impl Terms {
    pub fn span(&self) -> Span {
        match self {
            Terms::One(atom) => atom.span,
            Terms::List { span, .. } => *span,
            Terms::Name(ident) => ident.span,
        }
    }
}

/// `from DATE` / `until DATE` on a role or route: in force on `from` and
/// after, and before (not on) `until`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Validity {
    pub from: Option<DateLit>,
    pub until: Option<DateLit>,
}

/// `role ID "Title" [from D] [until D] { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub id: Ident,
    pub title: Str,
    pub validity: Validity,
    pub body: Block,
    pub span: Span,
}

/// Statements between braces.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
#[expect(
    clippy::large_enum_variant,
    reason = "built once per file; boxing would only add noise"
)]
pub enum Statement {
    Source(Source),
    Description(Str),
    Note(Str),
    /// `cite "42 CFR 493.1489(b)(2)"`
    Cite(Str),
    /// `clia_position TS high`
    CliaPosition(CliaPosition),
    Route(Route),
    Condition(Condition),
}

/// `clia_position CODE COMPLEXITY`: checked against form CMS-209's codes.
#[derive(Clone, Debug, PartialEq)]
pub struct CliaPosition {
    /// `TS`, `GS`, `CT/GS`…, as written.
    pub code: Str,
    /// `moderate` or `high`, as written.
    pub complexity: Ident,
    pub span: Span,
}

impl Statement {
    pub fn span(&self) -> Span {
        match self {
            Statement::Source(source) => source.span,
            Statement::Description(text) | Statement::Note(text) | Statement::Cite(text) => {
                text.span
            }
            Statement::CliaPosition(position) => position.span,
            Statement::Route(route) => route.span,
            Statement::Condition(condition) => condition.span,
        }
    }
}

/// How far a source can be trusted (tags of the domain notes: O, S, F, X).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Trust {
    Official,
    Secondary,
    Forum,
    Weak,
}

impl Trust {
    pub const ALL: [Trust; 4] = [Trust::Official, Trust::Secondary, Trust::Forum, Trust::Weak];

    pub fn keyword(self) -> &'static str {
        match self {
            Trust::Official => "official",
            Trust::Secondary => "secondary",
            Trust::Forum => "forum",
            Trust::Weak => "weak",
        }
    }
}

/// `source "URL or citation" [trust official] ["what it is"] [checked DATE]`
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub reference: Str,
    pub trust: Option<(Trust, Span)>,
    pub title: Option<Str>,
    /// The day the rule was last checked against the source.
    pub checked: Option<DateLit>,
    pub span: Span,
}

/// `route "2" [from D] [until D] { … }`, only directly inside `any`.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub name: Str,
    pub validity: Validity,
    pub body: Block,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub kind: ConditionKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConditionKind {
    Degree(Degree),
    Program(Program),
    Coursework(Coursework),
    Certification(Certification),
    License(License),
    Experience(Experience),
    /// `serving as JOBS … since DATE`: in the position on every day since.
    Serving(Serving),
    Training(Training),
    ContinuingEducation(ContinuingEducation),
    /// `age >= 18`
    Age(Number),
    /// `role ID`: eligible for another role.
    Role(Ident),
    /// `use NAME`: a `let` block of conditions.
    Use(Ident),
    /// `state in TERMS`: the state where the candidate intends to work.
    StateIn(Terms),
    /// `date >= D` or `date < D`: the evaluation date.
    Date {
        on_or_after: bool,
        date: DateLit,
    },
    /// `all { … }`
    All(Block),
    /// `any { … }`: one of the alternatives (routes or conditions).
    Any(Block),
    /// `at least N of { … }`
    AtLeast {
        count: Number,
        body: Block,
    },
    /// `not CONDITION`
    Not(Box<Condition>),
    /// `when GUARD { … } [else { … }]`
    When {
        guard: Box<Condition>,
        then: Block,
        otherwise: Option<Block>,
    },
    /// `unless GUARD { … }`
    Unless {
        guard: Box<Condition>,
        then: Block,
    },
    /// `as_of DATE { … }`: the block evaluated on DATE.
    AsOf {
        date: DateLit,
        body: Block,
    },
}

/// A window: `within N years` (counted back from the evaluation date).
#[derive(Clone, Debug, PartialEq)]
pub struct Within {
    pub years: Number,
    pub span: Span,
}

/// `degree >= LEVEL [in FIELDS] [accredited by ORGS] [within N years]`
#[derive(Clone, Debug, PartialEq)]
pub struct Degree {
    pub level: DegreeLevel,
    pub level_span: Span,
    pub fields: Option<Terms>,
    pub accredited_by: Option<Terms>,
    pub within: Option<Within>,
}

/// `program TERMS [accredited by ORGS] [within N years]`: a completed
/// programme, from `education` (its field) or `training` (its programme).
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub programs: Terms,
    pub accredited_by: Option<Terms>,
    pub within: Option<Within>,
    /// `scheduled`: a programme in progress with an `expected` date counts.
    pub scheduled: Option<Span>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreditUnit {
    SemesterHours,
    QuarterHours,
}

impl CreditUnit {
    pub fn keyword(self) -> &'static str {
        match self {
            CreditUnit::SemesterHours => "semester_hours",
            CreditUnit::QuarterHours => "quarter_hours",
        }
    }
}

/// `coursework [>= N semester_hours|quarter_hours] [in SUBJECTS] [including TOPICS]`
#[derive(Clone, Debug, PartialEq)]
pub struct Coursework {
    pub minimum: Option<(Number, CreditUnit)>,
    pub subjects: Option<Terms>,
    pub including: Option<Terms>,
}

/// `ISSUER NAME`, e.g. `ASCP MLT`.
#[derive(Clone, Debug, PartialEq)]
pub struct CredentialName {
    pub issuer: Atom,
    pub name: Atom,
    pub span: Span,
}

/// `certification ASCP MLT` or `certification [ASCP MLS, AMT MT] [see ROLE]`
#[derive(Clone, Debug, PartialEq)]
pub struct Certification {
    pub options: Vec<CredentialName>,
    /// `earned >= DATE` (or `< DATE`).
    pub earned: Option<EarnedBound>,
    pub see: Option<Ident>,
}

/// `earned >= DATE`: on or after the date; `earned < DATE`: before it.
#[derive(Clone, Debug, PartialEq)]
pub struct EarnedBound {
    pub on_or_after: bool,
    pub date: DateLit,
    pub span: Span,
}

/// The state a licence must be issued by.
#[derive(Clone, Debug, PartialEq)]
pub enum LicenseState {
    /// `state`: where the candidate intends to work.
    Candidate(Span),
    Code(Atom),
}

/// `license STATE|state [TYPES] [see ROLE]`
#[derive(Clone, Debug, PartialEq)]
pub struct License {
    pub state: LicenseState,
    pub types: Option<Terms>,
    pub see: Option<Ident>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExperienceUnit {
    /// Full-time-equivalent months.
    Months,
    /// Hours, uncapped.
    Hours,
}

/// `experience >= N months|hours [fulltime H] [in AREAS] [setting SETTINGS]
/// [as JOBS] [state STATES] [licensed] [tagged TAGS] [within N years]`
#[derive(Clone, Debug, PartialEq)]
pub struct Experience {
    pub amount: Number,
    pub unit: ExperienceUnit,
    /// Hours a week that count as full time (months only).
    pub fulltime: Option<Number>,
    pub areas: Option<Terms>,
    /// `in each of AREAS` (instead of `in`): some work in every one.
    pub each_area: bool,
    pub settings: Option<Terms>,
    pub jobs: Option<Terms>,
    pub states: Option<Terms>,
    pub licensed: Option<Span>,
    pub tags: Option<Terms>,
    pub within: Option<Within>,
    /// `after …`: only work from the day a credential was earned.
    pub after: Option<After>,
}

/// What experience must follow: `after certification ASCP MLT` or
/// `after degree >= bachelor`.
#[derive(Clone, Debug, PartialEq)]
pub enum After {
    Certification(Vec<CredentialName>),
    Degree { level: DegreeLevel, span: Span },
}

/// `serving [as JOBS] [in AREAS] [setting SETTINGS] [state STATES] [licensed]
/// [tagged TAGS] since DATE`
#[derive(Clone, Debug, PartialEq)]
pub struct Serving {
    pub areas: Option<Terms>,
    pub settings: Option<Terms>,
    pub jobs: Option<Terms>,
    pub states: Option<Terms>,
    pub licensed: Option<Span>,
    pub tags: Option<Terms>,
    pub since: DateLit,
}

/// The counted figures of a training programme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TrainingMeasure {
    Weeks,
    DidacticHours,
    ClinicalHours,
    Venipunctures,
    SkinPunctures,
    ArterialPunctures,
    /// Venipunctures and skin punctures together.
    Collections,
}

impl TrainingMeasure {
    pub const ALL: [TrainingMeasure; 7] = [
        TrainingMeasure::Weeks,
        TrainingMeasure::DidacticHours,
        TrainingMeasure::ClinicalHours,
        TrainingMeasure::Venipunctures,
        TrainingMeasure::SkinPunctures,
        TrainingMeasure::ArterialPunctures,
        TrainingMeasure::Collections,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            TrainingMeasure::Weeks => "weeks",
            TrainingMeasure::DidacticHours => "didactic_hours",
            TrainingMeasure::ClinicalHours => "clinical_hours",
            TrainingMeasure::Venipunctures => "venipunctures",
            TrainingMeasure::SkinPunctures => "skin_punctures",
            TrainingMeasure::ArterialPunctures => "arterial_punctures",
            TrainingMeasure::Collections => "collections",
        }
    }

    pub fn from_keyword(word: &str) -> Option<TrainingMeasure> {
        TrainingMeasure::ALL
            .into_iter()
            .find(|m| m.keyword() == word)
    }
}

/// `MEASURE >= N` inside a training condition's `where` list.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasureMinimum {
    pub measure: TrainingMeasure,
    pub minimum: Number,
    pub span: Span,
}

/// `training TERMS [accredited by ORGS] [within N years] [where M >= N, …]`
#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    pub programs: Terms,
    pub accredited_by: Option<Terms>,
    pub within: Option<Within>,
    pub minimums: Vec<MeasureMinimum>,
    /// `scheduled`: see `Program::scheduled`.
    pub scheduled: Option<Span>,
}

/// `continuing_education >= N hours [in TOPICS] [within N years]`
#[derive(Clone, Debug, PartialEq)]
pub struct ContinuingEducation {
    pub hours: Number,
    pub topics: Option<Terms>,
    pub within: Option<Within>,
}

/// `let NAME = [ … ]` or `let NAME = { conditions }`
#[derive(Clone, Debug, PartialEq)]
pub struct Let {
    pub name: Ident,
    pub value: LetValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LetValue {
    List(Terms),
    Block(Block),
}

/// `vocabulary KIND { "term" aka "alias", …  group "name" = "term", … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Vocabulary {
    pub kind: Ident,
    pub entries: Vec<VocabularyEntry>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum VocabularyEntry {
    Term {
        term: Str,
        aliases: Vec<Str>,
        span: Span,
    },
    Group {
        name: Str,
        members: Vec<Str>,
        span: Span,
    },
}

impl VocabularyEntry {
    pub fn span(&self) -> Span {
        match self {
            VocabularyEntry::Term { span, .. } | VocabularyEntry::Group { span, .. } => *span,
        }
    }
}

/// `test "what it shows" { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Test {
    pub name: Str,
    pub statements: Vec<TestStatement>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TestStatement {
    /// `as_of DATE`
    AsOf(DateLit),
    /// `state CA`: overrides the profile's state, like `--state`.
    State(Atom),
    /// `profile "path/relative/to/this/file.json"`
    ProfileFile(Str),
    /// `profile """ { …json… } """`
    ProfileInline(Str),
    /// `expect ROLE VERDICT [{ unmet … }]`
    Expect(Expect),
}

impl TestStatement {
    pub fn span(&self) -> Span {
        match self {
            TestStatement::AsOf(date) => date.span,
            TestStatement::State(atom) => atom.span,
            TestStatement::ProfileFile(text) | TestStatement::ProfileInline(text) => text.span,
            TestStatement::Expect(expect) => expect.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expect {
    pub role: Ident,
    pub verdict: Ident,
    /// `None`: no braces, only the verdict is checked. `Some(vec![])`:
    /// nothing may be unmet.
    pub block: Option<Vec<ExpectLine>>,
    pub span: Span,
}

/// One line of an `expect` block.
#[derive(Clone, Debug, PartialEq)]
pub enum ExpectLine {
    Unmet(ExpectUnmet),
    /// `route "R"`: the route met, or the closest.
    Route(Str),
    Met(ExpectMet),
}

impl ExpectLine {
    pub fn span(&self) -> Span {
        match self {
            ExpectLine::Unmet(unmet) => unmet.span,
            ExpectLine::Route(route) => route.span,
            ExpectLine::Met(met) => met.span,
        }
    }
}

/// `met KIND [by RECORD, …]`: a condition of that kind is met, by those
/// profile records (`experience[0]`).
#[derive(Clone, Debug, PartialEq)]
pub struct ExpectMet {
    pub kind: Ident,
    pub records: Vec<Ident>,
    pub span: Span,
}

/// `unmet KIND [route "R"] [needed N] [have N] [message "substring"]`
#[derive(Clone, Debug, PartialEq)]
pub struct ExpectUnmet {
    pub kind: Ident,
    pub route: Option<Str>,
    pub needed: Option<Number>,
    pub have: Option<Number>,
    pub message: Option<Str>,
    pub span: Span,
}
