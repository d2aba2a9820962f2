//! Checking of `test` items: each names a date, one profile and expectations
//! about roles that exist. The profiles themselves are read by `eligo test`.

use super::Checker;
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, suggestion};
use crate::ruleset::{Expectation, ExpectedMet, ExpectedUnmet, RoleId, RuleTest, TestProfile};
use crate::source::SourceFile;
use crate::syntax::ast;

pub const VERDICTS: [&str; 3] = ["eligible", "not_eligible", "undetermined"];

pub const UNMET_KINDS: [&str; 11] = [
    "degree",
    "field",
    "accreditation",
    "certification",
    "license",
    "experience",
    "coursework",
    "training",
    "continuing_education",
    "role",
    "other",
];

pub(super) fn resolve(checker: &mut Checker<'_>) -> Vec<RuleTest> {
    let files = checker.files;
    let mut tests = Vec::new();
    // Test names identify tests in `eligo test` output: each once per rule set.
    let mut names: std::collections::HashMap<&str, (usize, crate::source::Span)> =
        std::collections::HashMap::new();
    for (file_id, parsed) in files.iter().enumerate() {
        let source = &parsed.source;
        for item in &parsed.ast.items {
            let ast::Item::Test(test) = item else {
                continue;
            };
            if let Some(&(first_file, first_span)) = names.get(test.name.value.as_str()) {
                let first = &files[first_file].source;
                let (line, column) = first.line_col(first_span.start);
                checker.error(
                    Diagnostic::error(
                        Code::DuplicateName,
                        format!("test \"{}\" is declared twice", test.name.value),
                    )
                    .at(source, test.name.span)
                    .label("second test with this name")
                    .help(format!(
                        "the first is at {}:{line}:{column}; give every test its own name",
                        first.name
                    )),
                );
            } else {
                names.insert(test.name.value.as_str(), (file_id, test.name.span));
            }
            let mut as_of = None;
            let mut state = None;
            let mut profile = None;
            let mut expectations = Vec::new();
            for statement in &test.statements {
                match statement {
                    ast::TestStatement::AsOf(date) => {
                        once(checker, source, &mut as_of, date.date, date.span, "as_of")
                    }
                    ast::TestStatement::State(atom) => {
                        if !super::vocabulary::is_state_code(&atom.text) {
                            checker.error(
                                Diagnostic::error(
                                    Code::UnknownState,
                                    format!("`{}` is not a US state or territory code", atom.text),
                                )
                                .at(source, atom.span)
                                .label("not a state code")
                                .help("use a USPS code such as `CA`"),
                            );
                        }
                        once(
                            checker,
                            source,
                            &mut state,
                            atom.text.clone(),
                            atom.span,
                            "state",
                        );
                    }
                    ast::TestStatement::ProfileFile(path) => {
                        let folder = std::path::Path::new(&source.name)
                            .parent()
                            .map(std::path::Path::to_path_buf)
                            .unwrap_or_default();
                        once(
                            checker,
                            source,
                            &mut profile,
                            TestProfile::File(folder.join(&path.value)),
                            path.span,
                            "profile",
                        );
                    }
                    ast::TestStatement::ProfileInline(text) => {
                        let inline = TestProfile::Inline {
                            text: text.value.clone(),
                            offset: text.span.start + 3,
                        };
                        once(checker, source, &mut profile, inline, text.span, "profile");
                    }
                    ast::TestStatement::Expect(expect) => {
                        if let Some(expectation) = expectation(checker, file_id, expect) {
                            expectations.push(expectation);
                        }
                    }
                }
            }
            let missing = |what: &str, example: &str| {
                Diagnostic::error(
                    Code::Incomplete,
                    format!("test \"{}\" has no `{what}`", test.name.value),
                )
                .at(source, test.name.span)
                .label(format!("`{what}` missing"))
                .help(format!("add e.g. `{example}`"))
            };
            if as_of.is_none() {
                checker.error(
                    missing("as_of", "as_of 2026-11-21")
                        .note("a pinned date keeps the test's answer the same every day"),
                );
            }
            if profile.is_none() {
                checker.error(missing("profile", "profile \"profiles/ana.json\""));
            }
            if expectations.is_empty()
                && !test
                    .statements
                    .iter()
                    .any(|s| matches!(s, ast::TestStatement::Expect(_)))
            {
                checker.error(missing("expect", "expect ascp-mls eligible"));
            }
            if let (Some(as_of), Some(profile)) = (as_of, profile) {
                tests.push(RuleTest {
                    name: test.name.value.clone(),
                    file: file_id,
                    span: test.span,
                    as_of,
                    state,
                    profile,
                    expectations,
                });
            }
        }
    }
    tests
}

fn once<T>(
    checker: &mut Checker<'_>,
    source: &crate::source::SourceFile,
    slot: &mut Option<T>,
    value: T,
    span: crate::source::Span,
    what: &str,
) {
    if slot.is_some() {
        checker.error(
            Diagnostic::error(Code::DuplicateClause, format!("a test has one `{what}`"))
                .at(source, span)
                .label("second one")
                .help("split it into two tests"),
        );
    } else {
        *slot = Some(value);
    }
}

fn expectation(
    checker: &mut Checker<'_>,
    file: usize,
    expect: &ast::Expect,
) -> Option<Expectation> {
    let source = checker.source(file);
    let role = checker.role_reference(file, &expect.role);
    let verdict = expect.verdict.name.clone();
    let mut ok = role.is_some();
    if !VERDICTS.contains(&verdict.as_str()) {
        let help = suggestion(&verdict, VERDICTS)
            .unwrap_or_else(|| "verdicts: `eligible`, `not_eligible`, `undetermined`".into());
        checker.error(
            Diagnostic::error(Code::UnknownKeyword, format!("unknown verdict `{verdict}`"))
                .at(source, expect.verdict.span)
                .label("not a verdict")
                .help(help),
        );
        ok = false;
    }
    let mut unmet = None;
    let mut route = None;
    let mut met = Vec::new();
    if let Some(block) = &expect.block {
        let mut list = Vec::new();
        for line in block {
            match line {
                ast::ExpectLine::Unmet(item) => {
                    ok &= known_kind(checker, source, &item.kind);
                    list.push(ExpectedUnmet {
                        kind: item.kind.name.clone(),
                        route: item.route.as_ref().map(|r| r.value.clone()),
                        needed: item.needed.as_ref().map(|n| n.value),
                        have: item.have.as_ref().map(|n| n.value),
                        message: item.message.as_ref().map(|m| m.value.clone()),
                        span: item.span,
                    });
                }
                ast::ExpectLine::Route(name) => {
                    if route.is_some() {
                        checker.error(
                            Diagnostic::error(Code::Duplicate, "`route` is given twice")
                                .at(source, name.span)
                                .label("second `route`")
                                .help("a test expects one route per role"),
                        );
                        ok = false;
                    }
                    ok &= known_route(checker, source, role, name);
                    route = Some((name.value.clone(), name.span));
                }
                ast::ExpectLine::Met(item) => {
                    ok &= known_kind(checker, source, &item.kind);
                    let mut records = Vec::new();
                    for record in &item.records {
                        match crate::eval::Record::parse(&record.name) {
                            Some(parsed) => records.push(parsed),
                            None => {
                                checker.error(
                                    Diagnostic::error(
                                        Code::UnknownKeyword,
                                        format!("`{}` is not a profile record", record.name),
                                    )
                                    .at(source, record.span)
                                    .label("not a record")
                                    .help(
                                        "records are a profile list and an index: `education[0]`, \
                                         `coursework[1]`, `certifications[0]`, `licenses[0]`, \
                                         `experience[2]`, `training[0]`, `continuing_education[0]`",
                                    ),
                                );
                                ok = false;
                            }
                        }
                    }
                    met.push(ExpectedMet {
                        kind: item.kind.name.clone(),
                        records,
                        span: item.span,
                    });
                }
            }
        }
        if verdict == "eligible" && !list.is_empty() {
            checker.error(
                Diagnostic::error(
                    Code::Contradiction,
                    "an eligible verdict has no unmet conditions",
                )
                .at(source, expect.span)
                .label("expects eligible and unmet conditions")
                .help("expect `not_eligible` or remove the `unmet` lines"),
            );
            ok = false;
        }
        // Braces with only `route`/`met` lines say nothing about the gaps.
        if !list.is_empty() || block.is_empty() {
            unmet = Some(list);
        }
    }
    if !ok {
        return None;
    }
    Some(Expectation {
        role: role?,
        verdict,
        unmet,
        route,
        met,
        span: expect.span,
    })
}

/// Whether `kind` names a kind of condition; reports it when not.
fn known_kind(checker: &mut Checker<'_>, source: &SourceFile, kind: &ast::Ident) -> bool {
    if UNMET_KINDS.contains(&kind.name.as_str()) {
        return true;
    }
    let help = suggestion(&kind.name, UNMET_KINDS).unwrap_or_else(|| {
        format!(
            "kinds: {}",
            UNMET_KINDS.map(|k| format!("`{k}`")).join(", ")
        )
    });
    checker.error(
        Diagnostic::error(
            Code::UnknownKeyword,
            format!("unknown condition kind `{}`", kind.name),
        )
        .at(source, kind.span)
        .label("not a kind of condition")
        .help(help),
    );
    false
}

/// Whether the role has a route of that name; reports it when not.
fn known_route(
    checker: &mut Checker<'_>,
    source: &SourceFile,
    role: Option<RoleId>,
    name: &ast::Str,
) -> bool {
    let Some(role) = role.and_then(|role| checker.rules.get(role)) else {
        return true;
    };
    let id = role.id.clone();
    let names: Vec<String> = crate::eval::top_level_routes(&role.requirement)
        .map(|(_, alternatives)| {
            alternatives
                .iter()
                .filter_map(|alternative| alternative.route.as_ref().map(|r| r.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    if names.contains(&name.value) {
        return true;
    }
    let help = if names.is_empty() {
        format!("`{id}` has no routes")
    } else {
        let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        format!("the routes of `{id}`: {}", listed.join(", "))
    };
    checker.error(
        Diagnostic::error(
            Code::UnknownName,
            format!("no route named `{}`", name.value),
        )
        .at(source, name.span)
        .label("not a route of this role")
        .help(help),
    );
    false
}
