//! What each condition of a rule set needs, worded once.
//!
//! The opening of a gap's sentence ("needs a programme in medical laboratory
//! science accredited by NAACLS, completed in the last 5 years") depends on
//! the condition alone, not on the profile; batch screening words it once
//! per rule set instead of once per row. Only the rest of the sentence (what
//! the applicant has) is built per profile.

use super::needs;
use crate::ruleset::{Requirement, RequirementKind, RuleSet};

/// The needs phrase of every condition whose phrase depends on the rule
/// alone, by requirement node.
#[derive(Clone)]
pub struct Phrases<'r> {
    rules: &'r RuleSet,
    by_node: Vec<Option<(&'r Requirement, Box<str>)>>,
}

impl<'r> Phrases<'r> {
    pub fn new(rules: &'r RuleSet) -> Phrases<'r> {
        let mut by_node: Vec<Option<(&'r Requirement, Box<str>)>> = Vec::new();
        let mut pending: Vec<&'r Requirement> = rules
            .roles
            .iter()
            .map(|role| &role.requirement)
            .chain(rules.definitions.iter().map(|d| &d.requirement))
            .collect();
        while let Some(requirement) = pending.pop() {
            pending.extend(requirement.children());
            let Some(phrase) = rule_phrase(rules, requirement) else {
                continue;
            };
            let Ok(node) = usize::try_from(requirement.node) else {
                continue;
            };
            if by_node.len() <= node {
                by_node.resize_with(node + 1, || None);
            }
            by_node[node] = Some((requirement, phrase.into_boxed_str()));
        }
        Phrases { rules, by_node }
    }

    /// Whether these are the phrases of `rules` (the very rule set).
    pub(super) fn of(&self, rules: &RuleSet) -> bool {
        std::ptr::eq(self.rules, rules)
    }

    /// The phrase of this very requirement, if it has one worded ahead.
    pub(super) fn needs(&self, requirement: &Requirement) -> Option<&str> {
        let node = usize::try_from(requirement.node).ok()?;
        match self.by_node.get(node)? {
            Some((worded, phrase)) if std::ptr::eq(*worded, requirement) => Some(phrase),
            _ => None,
        }
    }
}

impl std::fmt::Debug for Phrases<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let worded = self.by_node.iter().flatten().count();
        f.debug_struct("Phrases").field("worded", &worded).finish()
    }
}

/// What the condition needs, when that depends on the rule alone: the same
/// words `sentences` would build for its gap.
pub(super) fn rule_phrase(rules: &RuleSet, requirement: &Requirement) -> Option<String> {
    Some(match &requirement.kind {
        RequirementKind::Experience(rule) => needs::experience(rule),
        RequirementKind::Serving(rule) => needs::serving(rule),
        RequirementKind::Certification(rule) => needs::certification(rule),
        RequirementKind::Degree(rule) => needs::degree(rule),
        RequirementKind::Program(rule) => needs::program(rule),
        RequirementKind::Coursework(rule) => needs::coursework(rule),
        RequirementKind::ContinuingEducation(rule) => needs::continuing_education(rule),
        RequirementKind::Training(rule) => needs::training(rule),
        RequirementKind::Role(role) => needs::role_need(rules, *role),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Context, Unmet, evaluate_role};
    use crate::render::{Lead, Voice, Words, gap_sentence, message};
    use crate::ruleset::TestProfile;

    fn every_gap<'g>(gaps: &'g [Unmet<'g>], out: &mut Vec<&'g Unmet<'g>>) {
        for gap in gaps {
            out.push(gap);
            every_gap(&gap.alternatives, out);
            every_gap(&gap.role_gaps, out);
        }
    }

    /// Over the shipped rules' own test profiles, every gap's sentence is
    /// the same with the phrases worded ahead as without them, and the
    /// phrases are in fact used.
    #[test]
    fn worded_ahead_reads_exactly_as_worded_per_row() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let loaded = crate::loader::load_rules(&folder).expect("the shipped rules load");
        let rules = loaded.rules.expect("a rule set");
        let phrases = Phrases::new(&rules);
        let (mut compared, mut borrowed) = (0, 0);
        for test in &rules.tests {
            let TestProfile::Inline { text, .. } = &test.profile else {
                continue;
            };
            let Ok(profile) = serde_json::from_str(text) else {
                continue;
            };
            let ctx = Context::new(test.as_of).with_state(test.state.clone());
            for role in rules.role_ids() {
                let outcome = evaluate_role(&rules, role, &profile, &ctx);
                let plain = Words::new(&rules, &profile, Voice::Applicant);
                let ahead = plain.with_phrases(&phrases);
                let mut gaps = Vec::new();
                every_gap(&outcome.unmet, &mut gaps);
                for route in &outcome.routes {
                    every_gap(&route.unmet, &mut gaps);
                }
                for gap in gaps {
                    assert_eq!(message(ahead, gap), message(plain, gap), "{}", test.name);
                    compared += 1;
                    if let Lead::Needs(std::borrow::Cow::Borrowed(_)) = gap_sentence(ahead, gap).0 {
                        borrowed += 1;
                    }
                }
            }
        }
        assert!(compared > 10_000, "only {compared} gaps compared");
        assert!(
            borrowed * 2 > compared,
            "{borrowed} of {compared} worded ahead"
        );
    }

    #[test]
    fn phrases_of_another_rule_set_are_not_used() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let load = || {
            crate::loader::load_rules(&folder)
                .expect("the shipped rules load")
                .rules
                .expect("a rule set")
        };
        let (one, other) = (load(), load());
        let phrases = Phrases::new(&other);
        let profile = crate::profile::Profile::default();
        let words = Words::new(&one, &profile, Voice::Applicant).with_phrases(&phrases);
        assert!(words.phrases.is_none());
        let words = Words::new(&other, &profile, Voice::Applicant).with_phrases(&phrases);
        assert!(words.phrases.is_some());
    }
}
