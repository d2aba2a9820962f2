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
    ($($rule:ident $text:literal $(as $lead:literal)? : $($use:ident)|+;)*) => {
        pub const KEYWORDS: &[Keyword] = &[$(Keyword {
            rule: Rule::$rule,
            text: $text,
            lead: first!($($lead,)? $text),
            quoted: concat!("`", $text, "`"),
            uses: 0 $(| $use)+,
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
    kw_accredited "accredited": RESERVED | CLAUSE;
    kw_after "after": RESERVED | CLAUSE;
    kw_age "age": RESERVED | STATEMENT;
    kw_aka "aka": RESERVED;
    kw_all "all": RESERVED | STATEMENT;
    kw_any "any": RESERVED | STATEMENT;
    kw_as "as": RESERVED | CLAUSE;
    kw_as_of "as_of": RESERVED | STATEMENT | TEST;
    kw_at "at" as "at least": RESERVED | STATEMENT;
    kw_by "by": RESERVED;
    kw_certification "certification": RESERVED | STATEMENT;
    kw_continuing_education "continuing_education": RESERVED | STATEMENT;
    kw_coursework "coursework": RESERVED | STATEMENT;
    kw_date "date": RESERVED | STATEMENT;
    kw_degree "degree": RESERVED | STATEMENT;
    kw_description "description": RESERVED | STATEMENT;
    kw_each "each": RESERVED;
    kw_earned "earned": RESERVED | CLAUSE;
    kw_else "else": RESERVED;
    kw_expect "expect": RESERVED | TEST;
    kw_met "met": NONE;
    kw_experience "experience": RESERVED | STATEMENT;
    kw_from "from": RESERVED;
    kw_fulltime "fulltime": RESERVED | CLAUSE;
    kw_group "group": NONE;
    kw_have "have": NONE;
    kw_in "in": RESERVED | CLAUSE;
    kw_including "including": RESERVED | CLAUSE;
    kw_least "least": NONE;
    kw_let "let": ITEM;
    kw_license "license": RESERVED | STATEMENT;
    kw_licensed "licensed": RESERVED | CLAUSE;
    kw_message "message": NONE;
    kw_needed "needed": NONE;
    kw_not "not": RESERVED | STATEMENT;
    kw_note "note": RESERVED | STATEMENT;
    kw_cite "cite": STATEMENT;
    kw_clia_position "clia_position": STATEMENT;
    kw_of "of": RESERVED;
    kw_profile "profile": RESERVED | TEST;
    kw_program "program": RESERVED | STATEMENT;
    kw_role "role": RESERVED | STATEMENT | ITEM;
    kw_route "route": RESERVED | STATEMENT;
    kw_scheduled "scheduled": RESERVED | CLAUSE;
    kw_see "see": RESERVED;
    kw_serving "serving": RESERVED | STATEMENT;
    kw_setting "setting": RESERVED | CLAUSE;
    kw_since "since": RESERVED;
    kw_source "source": RESERVED | STATEMENT;
    kw_state "state" as "state in": RESERVED | STATEMENT | TEST | CLAUSE;
    kw_tagged "tagged": RESERVED | CLAUSE;
    kw_test "test": ITEM;
    kw_training "training": RESERVED | STATEMENT;
    kw_trust "trust": RESERVED;
    kw_unless "unless": RESERVED | STATEMENT;
    kw_unmet "unmet": RESERVED;
    kw_until "until": RESERVED;
    kw_use "use": RESERVED | STATEMENT;
    kw_vocabulary "vocabulary": ITEM;
    kw_when "when": RESERVED | STATEMENT;
    kw_where "where": RESERVED | CLAUSE;
    kw_within "within": RESERVED | CLAUSE;
    kw_years "years": NONE;
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
