//! Every keyword of the rule language, defined once. Each entry names its
//! grammar rule (`Rule::kw_*`, so the compiler checks it exists) and where
//! the keyword may start something; the parser's error messages, its
//! recovery, the lexer's item boundaries and the language server's
//! completion all read this table. A test checks it against the grammar
//! text, so adding a keyword touches the grammar and this table only.

use super::parser::Rule;

/// Where a keyword is used, as bit flags.
pub type Uses = u8;
/// In the grammar's `reserved` list: never a bare value.
pub const RESERVED: Uses = 1;
/// Starts a condition or statement inside a block.
pub const STATEMENT: Uses = 2;
/// Starts a top-level item.
pub const ITEM: Uses = 4;
/// Starts a statement of a `test` item.
pub const TEST: Uses = 8;
/// Begins a clause after a condition (`within`, `setting`, …).
pub const CLAUSE: Uses = 16;

pub struct Keyword {
    pub(super) rule: Rule,
    /// The word as written.
    pub text: &'static str,
    /// How it reads in "starts with one of" help (`at least`, `state in`).
    pub lead: &'static str,
    /// The word in backticks, as error messages name it.
    pub quoted: &'static str,
    pub uses: Uses,
    /// One line on what it means, as the editor's hover shows it.
    pub doc: &'static str,
}

impl Keyword {
    pub fn is(&self, uses: Uses) -> bool {
        self.uses & uses != 0
    }
}

macro_rules! first {
    ($first:literal $(, $rest:literal)*) => {
        $first
    };
}

macro_rules! keywords {
    ($($rule:ident $text:literal $(as $lead:literal)? : $($use:ident)|+ => $doc:literal;)*) => {
        pub const KEYWORDS: &[Keyword] = &[$(Keyword {
            rule: Rule::$rule,
            text: $text,
            lead: first!($($lead,)? $text),
            quoted: concat!("`", $text, "`"),
            uses: 0 $(| $use)+,
            doc: $doc,
        }),*];

        /// A keyword's own grammar rule (filtered out of the parse tree).
        pub(super) fn is_keyword(rule: Rule) -> bool {
            matches!(rule, $(Rule::$rule)|*)
        }
    };
}

// `NONE` marks a word that is only part of a longer phrase (`at least`).
const NONE: Uses = 0;

keywords! {
    kw_accredited "accredited": RESERVED | CLAUSE => "`accredited by ACCREDITORS`: only from a programme or institution accredited by one of them";
    kw_after "after": RESERVED | CLAUSE => "`after degree >= LEVEL` or `after certification NAMES`: only work from the day the degree was completed or the certification earned counts";
    kw_age "age": RESERVED | STATEMENT => "`age >= N`: the candidate's age on the evaluation date (undetermined without `birth_date`)";
    kw_aka "aka": RESERVED => "`\"term\" aka \"alias\", …`: other spellings a profile may use for a vocabulary term";
    kw_all "all": RESERVED | STATEMENT => "`all { … }`: every condition of the block (what any block means)";
    kw_any "any": RESERVED | STATEMENT => "`any { … }`: one of the alternatives (routes or conditions) suffices";
    kw_as "as": RESERVED | CLAUSE => "`as JOBS`: only experience whose `role` is one of these";
    kw_as_of "as_of": RESERVED | STATEMENT | TEST => "`as_of DATE`: in a test, the evaluation date; `as_of DATE { … }` in a role judges the block as of that date (an earlier text that grandfathers people)";
    kw_at "at" as "at least": RESERVED | STATEMENT => "`at least N of { … }`: N of the conditions";
    kw_by "by": RESERVED => "`accredited by …`, `met KIND by RECORDS`: part of those clauses";
    kw_certification "certification": RESERVED | STATEMENT => "`certification ISSUER NAME` or `[…]`: a certification valid on the evaluation date; `earned >= DATE` and `see ROLE` may follow";
    kw_checked "checked": CLAUSE => "`source … checked DATE`: the day the rule was last checked against that source";
    kw_continuing_education "continuing_education": RESERVED | STATEMENT => "`continuing_education >= N hours [in TOPICS] [within N years]`: continuing-education hours";
    kw_coursework "coursework": RESERVED | STATEMENT => "`coursework >= N semester_hours|quarter_hours [in SUBJECTS] [including TOPICS]`: academic credit (quarter hours count 2/3)";
    kw_date "date": RESERVED | STATEMENT => "`date >= DATE` or `date < DATE`: the evaluation date is on or after, or before, DATE";
    kw_degree "degree": RESERVED | STATEMENT => "`degree >= LEVEL [in FIELDS] [accredited by …] [within N years]`: a completed degree of that level or higher";
    kw_description "description": RESERVED | STATEMENT => "`description \"…\"`: what the role or route is, shown by `eligo explain` (one per item)";
    kw_each "each": RESERVED => "`in each of AREAS`: the total across the areas, with some work in every one";
    kw_earned "earned": RESERVED | CLAUSE => "`earned >= DATE` (or `< DATE`): only a certification earned on or after (before) the date";
    kw_else "else": RESERVED => "`when GUARD { … } else { … }`: the requirements when the guard does not hold";
    kw_expect "expect": RESERVED | TEST => "`expect ROLE eligible|not_eligible|undetermined [{ … }]`: what a test expects, with optional `route`, `met` and `unmet` lines";
    kw_met "met": NONE => "`met KIND [by RECORDS]`: in a test, a condition of that kind is met (by those profile records)";
    kw_experience "experience": RESERVED | STATEMENT => "`experience >= N months|hours [fulltime H] [in AREAS | in each of AREAS] [setting …] [as …] [state …] [licensed] [tagged …] [within N years] [after …]`: full-time-equivalent work";
    kw_from "from": RESERVED => "`from DATE`: the first day a role or route is in force";
    kw_fulltime "fulltime": RESERVED | CLAUSE => "`fulltime H`: the hours a week that count as full time (default 35)";
    kw_group "group": NONE => "`group \"name\" = \"term\", …`: a vocabulary name that stands for all those terms";
    kw_have "have": NONE => "`unmet KIND have N`: in a test, what the profile has";
    kw_in "in": RESERVED | CLAUSE => "`in TERMS`: only records in one of these areas, fields or subjects; `state in LIST`: the candidate's state is one of them";
    kw_including "including": RESERVED | CLAUSE => "`including TOPICS`: at least one course on the topic";
    kw_least "least": NONE => "`at least N of { … }`: N of the conditions";
    kw_let "let": ITEM => "`let NAME = [terms]` or `let NAME = { conditions }`: a named list or block, used by name or with `use NAME`";
    kw_license "license": RESERVED | STATEMENT => "`license STATE|state TYPES [see ROLE]`: a licence of one of those types, valid on the evaluation date (`state`: where the candidate intends to work)";
    kw_licensed "licensed": RESERVED | CLAUSE => "`licensed`: only experience where the candidate held the licence the work required";
    kw_message "message": NONE => "`unmet KIND message \"…\"`: in a test, the words of the unmet condition";
    kw_needed "needed": NONE => "`unmet KIND needed N`: in a test, the quantity the condition needs";
    kw_not "not": RESERVED | STATEMENT => "`not CONDITION` or `not { … }`: the opposite of one condition or block";
    kw_note "note": RESERVED | STATEMENT => "`note \"…\"`: a caveat shown by `eligo explain` (any number)";
    kw_cite "cite": STATEMENT => "`cite \"42 CFR 493.1489(b)(2)\"`: the paragraph a role or route encodes, shown in records";
    kw_clia_position "clia_position": STATEMENT => "`clia_position CODE moderate|high`: the role's CLIA position (form CMS-209's code) and complexity";
    kw_of "of": RESERVED => "`in each of AREAS`, `at least N of { … }`: part of those clauses";
    kw_profile "profile": RESERVED | TEST => "`profile \"file.json\"` or `profile \"\"\"{ … }\"\"\"`: a test's profile, a file inside the rule set or inline";
    kw_program "program": RESERVED | STATEMENT => "`program PROGRAMMES [accredited by …] [within N years] [scheduled]`: a completed programme (an education or training entry)";
    kw_role "role": RESERVED | STATEMENT | ITEM => "`role ID \"Title\" [from DATE] [until DATE] { … }` defines a role; inside a block, `role ID` means eligible for that role";
    kw_route "route": RESERVED | STATEMENT => "`route \"name\" [from DATE] [until DATE] { … }`: one way to qualify, with its own sources and dates; in a test, the route expected";
    kw_scheduled "scheduled": RESERVED | CLAUSE => "`scheduled`: a programme still in progress counts when its `expected` completion date is on or after the evaluation date";
    kw_see "see": RESERVED => "`see ROLE`: the role that explains how to earn the credential";
    kw_serving "serving": RESERVED | STATEMENT => "`serving as JOBS [in …] [setting …] since DATE`: in the position on that date and every day after it, up to the evaluation date";
    kw_setting "setting": RESERVED | CLAUSE => "`setting SETTINGS`: only experience in one of these settings";
    kw_since "since": RESERVED => "`serving as JOBS since DATE`: in the position from that date on";
    kw_source "source": RESERVED | STATEMENT => "`source \"URL or citation\" [trust official|secondary|forum|weak] [\"what it is\"]`: where the requirement comes from";
    kw_state "state" as "state in": RESERVED | STATEMENT | TEST | CLAUSE => "`state in LIST`: the candidate's state is one of them; `state [CA]` on experience: work in those states; `license state …`: the state where the candidate intends to work; in a test, the state";
    kw_tagged "tagged": RESERVED | CLAUSE => "`tagged TAGS`: only experience with one of these tags (e.g. `high_complexity`)";
    kw_test "test": ITEM => "`test \"what it shows\" { as_of … profile … expect … }`: a rule test, run by `eligo test`";
    kw_training "training": RESERVED | STATEMENT => "`training PROGRAMMES [accredited by …] [within N years] [where MEASURE >= N, …]`: a completed training programme meeting every minimum";
    kw_trust "trust": RESERVED => "`trust official|secondary|forum|weak`: how far a source can be trusted";
    kw_unless "unless": RESERVED | STATEMENT => "`unless GUARD { … }`: the requirements when the guard does not hold";
    kw_unmet "unmet": RESERVED => "`unmet KIND [route \"…\"] [needed N] [have N] [message \"…\"]`: in a test, a condition expected unmet";
    kw_until "until": RESERVED => "`until DATE`: the first day a role or route is no longer in force";
    kw_use "use": RESERVED | STATEMENT => "`use NAME`: the conditions of a `let` block";
    kw_vocabulary "vocabulary": ITEM => "`vocabulary KIND { … }`: the terms of a vocabulary (area, setting, field, credential, accreditor…) with aliases and groups";
    kw_when "when": RESERVED | STATEMENT => "`when GUARD { … } [else { … }]`: requirements that apply only when the guard holds";
    kw_where "where": RESERVED | CLAUSE => "`where MEASURE >= N, …`: a training programme's minimums (hours, venipunctures, weeks…)";
    kw_within "within": RESERVED | CLAUSE => "`within N years`: only what falls in the N years up to the evaluation date (both ends included)";
    kw_years "years": NONE => "`within N years`: only what falls in the N years up to the evaluation date";
}

pub(super) fn keyword(rule: Rule) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.rule == rule)
}

/// How each keyword with `uses` reads where it leads a statement.
pub(super) fn leads(uses: Uses) -> Vec<&'static str> {
    let mut leads: Vec<&str> = KEYWORDS
        .iter()
        .filter(|k| k.is(uses))
        .map(|k| k.lead)
        .collect();
    leads.sort_unstable();
    leads
}

/// Whether a word at the start of a line begins a top-level item.
pub fn starts_item(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.is(ITEM) && k.text == word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const GRAMMAR: &str = include_str!("../../grammar/eligo.pest");

    /// `kw_x = @{ "x" ~ !ident_char }` in the grammar, as (rule, word).
    fn grammar_keywords() -> BTreeSet<(String, String)> {
        GRAMMAR
            .lines()
            .filter_map(|line| {
                let (name, body) = line.split_once('=')?;
                let name = name.trim();
                if !name.starts_with("kw_") {
                    return None;
                }
                let word = body.split('"').nth(1)?;
                Some((name.to_string(), word.to_string()))
            })
            .collect()
    }

    #[test]
    fn the_table_is_the_grammars_keywords() {
        let table: BTreeSet<(String, String)> = KEYWORDS
            .iter()
            .map(|k| (format!("{:?}", k.rule), k.text.to_string()))
            .collect();
        assert_eq!(table, grammar_keywords());
        let rules: BTreeSet<String> = Rule::all_rules()
            .iter()
            .map(|rule| format!("{rule:?}"))
            .filter(|name| name.starts_with("kw_"))
            .collect();
        let in_table: BTreeSet<String> = table.into_iter().map(|(rule, _)| rule).collect();
        assert_eq!(rules, in_table, "every kw_ rule has an entry");
    }

    #[test]
    fn every_keyword_says_what_it_means() {
        for keyword in KEYWORDS {
            let example = keyword.doc.split('`').nth(1).unwrap_or("");
            assert!(
                keyword.doc.starts_with('`') && example.contains(keyword.text),
                "the doc of `{}` shows it in use: {}",
                keyword.text,
                keyword.doc
            );
        }
    }

    #[test]
    fn reserved_matches_the_grammars_reserved_list() {
        let start = GRAMMAR
            .find("reserved    = _{")
            .expect("the grammar has `reserved`");
        let end = start + GRAMMAR[start..].find('}').expect("`reserved` is closed");
        let listed: BTreeSet<&str> = GRAMMAR[start..end]
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|word| word.starts_with("kw_"))
            .collect();
        let reserved: BTreeSet<String> = KEYWORDS
            .iter()
            .filter(|k| k.is(RESERVED))
            .map(|k| format!("{:?}", k.rule))
            .collect();
        assert_eq!(
            reserved,
            listed
                .into_iter()
                .map(str::to_string)
                .collect::<BTreeSet<_>>()
        );
    }
}
