//! Running the `test` items of a rule set: each test's profile against its
//! expectations, and which conditions the tests have seen both met and unmet.

use crate::diagnostic::Diagnostic;
use crate::eval::{self, Context, Coverage, RoleOutcome, Unmet};
use crate::profile::Profile;
use crate::render::{Voice, Words};
use crate::ruleset::{ExpectedUnmet, FileId, RuleSet, RuleTest};
use std::path::Path;

/// The result of one rule test.
#[derive(Debug)]
pub struct TestResult<'r> {
    pub test: &'r RuleTest,
    /// Why the test failed; empty when it passed. `render::rule_tests`
    /// words each as a line.
    pub failures: Vec<Failure>,
    /// The profile could not be read: the test is an error, not a pass or fail.
    pub profile_errors: Vec<Diagnostic>,
}

impl TestResult<'_> {
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.profile_errors.is_empty()
    }
}

/// One way a rule test fails, as data.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Failure {
    /// Another verdict than expected, with the unmet conditions found.
    Verdict {
        role: String,
        expected: String,
        got: &'static str,
        unmet: Vec<Actual>,
    },
    /// Another route met (or closest) than expected.
    Route {
        role: String,
        expected: String,
        got: Option<String>,
    },
    /// `met KIND by …` not found; what was found instead.
    Met {
        role: String,
        kind: String,
        records: Vec<String>,
        /// `None`: no condition of that kind is met; else the summaries of
        /// those met (empty: met without records).
        found: Option<Vec<String>>,
    },
    /// An expected unmet condition not found.
    UnmetMissing {
        role: String,
        expected: ExpectedUnmet,
    },
    /// An unmet condition no expectation names.
    UnmetUnexpected { role: String, actual: Actual },
    /// After unmet mismatches: every unmet condition found.
    UnmetFound(Vec<Actual>),
}

/// Every test's result, in rule-set order, and the coverage they achieved.
pub struct TestRun<'r> {
    pub results: Vec<TestResult<'r>>,
    pub coverage: Coverage,
}

/// Runs every test of the rule set whose file name or test name contains
/// `filter` (all when `None`).
pub fn run_tests<'r>(rules: &'r RuleSet, filter: Option<&str>) -> TestRun<'r> {
    run_tests_within(rules, filter, None)
}

/// [`run_tests`] with test profile paths kept inside `root`, the rule set's
/// folder (`None`: each rule file's own folder).
pub fn run_tests_within<'r>(
    rules: &'r RuleSet,
    filter: Option<&str>,
    root: Option<&Path>,
) -> TestRun<'r> {
    let mut coverage = Coverage::new();
    let results = rules
        .tests
        .iter()
        .filter(|test| {
            filter.is_none_or(|f| test.name.contains(f) || rules.files[test.file].name.contains(f))
        })
        .map(|test| run_one(rules, test, root, &mut coverage))
        .collect();
    TestRun { results, coverage }
}

fn load_test_profile(
    rules: &RuleSet,
    test: &RuleTest,
    root: Option<&Path>,
) -> Result<Profile, Vec<Diagnostic>> {
    let file = &rules.files[test.file];
    let own_folder;
    let root = match root {
        Some(root) => root,
        None => {
            own_folder = crate::loader::rule_set_folder(Path::new(&file.name));
            &own_folder
        }
    };
    let at = || crate::loader::test_profile_span(file, test.span);
    crate::loader::load_test_profile(file, &test.name, &test.profile, &at, root)
}

fn run_one<'r>(
    rules: &'r RuleSet,
    test: &'r RuleTest,
    root: Option<&Path>,
    coverage: &mut Coverage,
) -> TestResult<'r> {
    let profile = match load_test_profile(rules, test, root) {
        Ok(profile) => profile,
        Err(profile_errors) => {
            return TestResult {
                test,
                failures: Vec::new(),
                profile_errors,
            };
        }
    };
    let ctx = Context::new(test.as_of).with_state(test.state.clone());
    let mut failures = Vec::new();
    for expectation in &test.expectations {
        let role = &rules[expectation.role];
        let outcome =
            eval::evaluate_role_with_coverage(rules, expectation.role, &profile, &ctx, coverage);
        if outcome.verdict.as_str() != expectation.verdict {
            let words = Words::new(rules, &profile, Voice::Candidate);
            failures.push(Failure::Verdict {
                role: role.id.clone(),
                expected: expectation.verdict.clone(),
                got: outcome.verdict.as_str(),
                unmet: outcome
                    .unmet
                    .iter()
                    .map(|unmet| Actual::new(words, unmet))
                    .collect(),
            });
            continue;
        }
        let words = Words::new(rules, &profile, Voice::Candidate);
        if let Some((route, _)) = &expectation.route {
            let actual = outcome.route_name(rules);
            if actual != Some(route.as_str()) {
                failures.push(Failure::Route {
                    role: role.id.clone(),
                    expected: route.clone(),
                    got: actual.map(str::to_string),
                });
            }
        }
        for met in &expectation.met {
            if let Some(failure) = check_met(words, &role.id, met, &outcome) {
                failures.push(failure);
            }
        }
        if let Some(expected) = &expectation.unmet {
            // Naming a route compares with that route's unmet conditions (and
            // those outside the routes), so a test can pin the gap of a route
            // that is not the closest one.
            let actual: Vec<Actual> = match expected.iter().find_map(|e| e.route.as_ref()) {
                Some(route) => outcome
                    .routes
                    .iter()
                    .filter(|r| route_label(rules, r) == *route)
                    .flat_map(|r| r.unmet.iter())
                    .chain(outcome.unmet.iter().filter(|u| u.route.is_none()))
                    .map(|unmet| Actual::new(words, unmet))
                    .collect(),
                None => outcome
                    .unmet
                    .iter()
                    .map(|unmet| Actual::new(words, unmet))
                    .collect(),
            };
            failures.extend(compare_unmet(&role.id, expected, &actual));
        }
    }
    TestResult {
        test,
        failures,
        profile_errors: Vec::new(),
    }
}

/// `met KIND by RECORDS`: some condition of that kind is met with every one
/// of the records among those that count; the failure says what was found.
fn check_met(
    words: Words<'_>,
    role: &str,
    expected: &crate::ruleset::ExpectedMet,
    outcome: &RoleOutcome<'_>,
) -> Option<Failure> {
    let counted = |met: &eval::Met<'_>| -> Vec<eval::Record> {
        met.findings
            .iter()
            .filter(|finding| finding.counted != eval::Counted::No)
            .map(|finding| finding.record)
            .collect()
    };
    let of_kind: Vec<&eval::Met<'_>> = outcome
        .evidence
        .iter()
        .filter(|met| met.kind.as_str() == expected.kind)
        .collect();
    let found = of_kind.iter().any(|met| {
        let records = counted(met);
        expected
            .records
            .iter()
            .all(|record| records.contains(record))
    });
    if found {
        return None;
    }
    let found = (!of_kind.is_empty()).then(|| {
        of_kind
            .iter()
            .map(|met| crate::render::evidence::summary(words, met))
            .filter(|summary| !summary.is_empty())
            .collect()
    });
    Some(Failure::Met {
        role: role.to_string(),
        kind: expected.kind.clone(),
        records: expected.records.iter().map(|r| r.to_string()).collect(),
        found,
    })
}

/// An unmet condition as a rule test compares it: its data and its
/// sentence (a test's `message "…"` matches the words).
#[derive(Clone, Debug, PartialEq)]
pub struct Actual {
    pub kind: &'static str,
    pub route: Option<String>,
    pub needed: Option<f64>,
    pub have: Option<f64>,
    pub message: String,
}

impl Actual {
    fn new(words: Words<'_>, unmet: &Unmet<'_>) -> Actual {
        Actual {
            kind: unmet.kind.as_str(),
            route: unmet.route.map(str::to_string),
            needed: unmet.needed(),
            have: unmet.have(),
            message: crate::render::message(words, unmet),
        }
    }
}

/// A route's name, or what a plain alternative among the routes asks for.
fn route_label(rules: &RuleSet, route: &eval::RouteOutcome<'_>) -> String {
    route.name().map_or_else(
        || crate::render::describe(rules, &route.alternative.requirement),
        str::to_string,
    )
}

fn matches(expected: &ExpectedUnmet, actual: &Actual) -> bool {
    let close = |a: f64, b: f64| (a - b).abs() < 0.05;
    expected.kind == actual.kind
        && expected
            .route
            .as_ref()
            .is_none_or(|route| actual.route.as_ref() == Some(route))
        && expected
            .needed
            .is_none_or(|n| actual.needed.is_some_and(|a| close(a, n)))
        && expected
            .have
            .is_none_or(|h| actual.have.is_some_and(|a| close(a, h)))
        && expected
            .message
            .as_ref()
            .is_none_or(|m| actual.message.contains(m.as_str()))
}

/// Pairs expected and actual unmet conditions; every one on either side must find a partner.
fn compare_unmet(role: &str, expected: &[ExpectedUnmet], actual: &[Actual]) -> Vec<Failure> {
    let mut used = vec![false; actual.len()];
    let mut failures = Vec::new();
    // The most specific expectations choose their partner first, so a bare
    // `unmet license` cannot take the one a detailed line needed.
    let specificity = |e: &ExpectedUnmet| {
        usize::from(e.route.is_some())
            + usize::from(e.needed.is_some())
            + usize::from(e.have.is_some())
            + usize::from(e.message.is_some())
    };
    let mut order: Vec<usize> = (0..expected.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(specificity(&expected[i])));
    let mut missing = vec![false; expected.len()];
    for &index in &order {
        let want = &expected[index];
        match (0..actual.len()).find(|&i| !used[i] && matches(want, &actual[i])) {
            Some(i) => used[i] = true,
            None => missing[index] = true,
        }
    }
    for (want, _) in expected
        .iter()
        .zip(&missing)
        .filter(|(_, missing)| **missing)
    {
        failures.push(Failure::UnmetMissing {
            role: role.to_string(),
            expected: want.clone(),
        });
    }
    for (index, unmet) in actual.iter().enumerate() {
        if !used[index] {
            failures.push(Failure::UnmetUnexpected {
                role: role.to_string(),
                actual: unmet.clone(),
            });
        }
    }
    if !failures.is_empty() && !actual.is_empty() {
        failures.push(Failure::UnmetFound(actual.to_vec()));
    }
    failures
}

/// The conditions no test has seen both met and unmet, as `path:line:col  text`.
pub fn uncovered(rules: &RuleSet, coverage: &Coverage) -> Vec<String> {
    use crate::ruleset::RequirementKind as K;
    let mut lines: Vec<(FileId, usize, String)> = coverage
        .nodes(rules)
        .into_iter()
        .filter(|node| {
            // Only leaf conditions: blocks are covered through their parts.
            !matches!(
                node.requirement.kind,
                K::All(_) | K::Any(_) | K::AtLeast { .. } | K::Not(_) | K::When { .. }
            )
        })
        .filter(|node| !node.seen.both_ways())
        .map(|node| {
            let file = &rules.files[node.file];
            let (line, column) = file.line_col(node.requirement.span.start);
            let text = &file.text[node.requirement.span.start..node.requirement.span.end];
            let first_line = text.lines().next().unwrap_or("").trim();
            let seen = match (node.seen.met, node.seen.unmet || node.seen.undetermined) {
                (false, false) => "never evaluated",
                (true, false) => "never unmet",
                _ => "never met",
            };
            let text = format!("{}:{line}:{column}  {first_line}  ({seen})", file.name);
            (node.file, node.requirement.span.start, text)
        })
        .collect();
    lines.sort_by(|a, b| {
        (rules.files[a.0].name.as_str(), a.1).cmp(&(rules.files[b.0].name.as_str(), b.1))
    });
    lines.into_iter().map(|(_, _, text)| text).collect()
}
