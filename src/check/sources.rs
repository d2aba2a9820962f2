//! How well a requirement is sourced: a warning (`weak-sources`) for a route,
//! or a role without routes, whose every source is tagged `forum` or `weak`.
//! A route without `source` lines of its own rests on its role's sources.
//! Sources without a trust tag are not judged. Reads the AST only; never
//! changes what the rule set means.

use super::Checker;
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::ruleset::FileId;
use crate::syntax::ast::{self, Trust};

/// The `source` lines written directly in a block.
fn own_sources(block: &ast::Block) -> Vec<&ast::Source> {
    block
        .statements
        .iter()
        .filter_map(|statement| match statement {
            ast::Statement::Source(source) => Some(source),
            _ => None,
        })
        .collect()
}

/// True when there are sources and all of them are tagged `forum` or `weak`.
fn only_weak(sources: &[&ast::Source]) -> bool {
    !sources.is_empty()
        && sources
            .iter()
            .all(|source| matches!(source.trust, Some((Trust::Forum | Trust::Weak, _))))
}

/// Every route of a block, at any depth (routes sit inside `any`, which may
/// sit inside `when`, `all`, another route…).
fn collect_routes<'a>(block: &'a ast::Block, out: &mut Vec<&'a ast::Route>) {
    for statement in &block.statements {
        match statement {
            ast::Statement::Route(route) => {
                out.push(route);
                collect_routes(&route.body, out);
            }
            ast::Statement::Condition(condition) => collect_in_condition(condition, out),
            ast::Statement::Source(_)
            | ast::Statement::Description(_)
            | ast::Statement::Note(_)
            | ast::Statement::Cite(_)
            | ast::Statement::CliaPosition(_) => {}
        }
    }
}

fn collect_in_condition<'a>(condition: &'a ast::Condition, out: &mut Vec<&'a ast::Route>) {
    use ast::ConditionKind as K;
    match &condition.kind {
        K::All(body) | K::Any(body) | K::AtLeast { body, .. } => collect_routes(body, out),
        K::Not(inner) => collect_in_condition(inner, out),
        K::When {
            then, otherwise, ..
        } => {
            collect_routes(then, out);
            if let Some(otherwise) = otherwise {
                collect_routes(otherwise, out);
            }
        }
        K::Unless { then, .. } | K::AsOf { body: then, .. } => collect_routes(then, out),
        K::Serving(_)
        | K::Degree(_)
        | K::Program(_)
        | K::Coursework(_)
        | K::Certification(_)
        | K::License(_)
        | K::Experience(_)
        | K::Training(_)
        | K::ContinuingEducation(_)
        | K::Age(_)
        | K::Role(_)
        | K::Use(_)
        | K::StateIn(_)
        | K::Date { .. } => {}
    }
}

const HELP: &str = "cite the official text (certifying body, agency, statute or regulation) with `trust official`, or a secondary source that copies it; if none can be found, say so in a `note`";

/// Warns about the routes of `role` (or the role itself, when it has no
/// routes) that rest only on forum or weak sources.
pub(super) fn check_role(checker: &mut Checker<'_>, file: FileId, role: &ast::Role) {
    let role_sources = own_sources(&role.body);
    let mut routes = Vec::new();
    collect_routes(&role.body, &mut routes);
    let source = checker.source(file);
    if routes.is_empty() {
        if only_weak(&role_sources) {
            checker.warn(
                Diagnostic::warning(
                    Code::WeakSources,
                    format!(
                        "role `{}` rests only on forum or weak sources",
                        role.id.name
                    ),
                )
                .at(source, role.id.span)
                .label("every source of this role is tagged `forum` or `weak`")
                .help(HELP),
            );
        }
        return;
    }
    for route in routes {
        let own = own_sources(&route.body);
        let (sources, inherited) = if own.is_empty() {
            (&role_sources, true)
        } else {
            (&own, false)
        };
        if !only_weak(sources) {
            continue;
        }
        let mut diagnostic = Diagnostic::warning(
            Code::WeakSources,
            format!(
                "route \"{}\" of `{}` rests only on forum or weak sources",
                route.name.value, role.id.name
            ),
        )
        .at(source, route.name.span)
        .label("every source of this route is tagged `forum` or `weak`")
        .help(HELP);
        if inherited {
            diagnostic = diagnostic
                .note("the route has no `source` of its own, so the role's sources count for it");
        }
        checker.warn(diagnostic);
    }
}
