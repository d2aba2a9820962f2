//! Lowering of conditions: AST statements → `Requirement` trees, with every
//! value resolved and every quantity checked for range and type.

use super::{Checker, lower_source, vocabulary};
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, suggestion};
use crate::ruleset::{self as rs, FileId, Requirement, RequirementKind as K, VocabularyKind};
use crate::source::Span;
use crate::syntax::ast;

/// Where a block stands: metadata (`source`, `description`, `note`) belongs
/// only at the top of a role or route.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Role,
    Route,
    Definition,
    Nested,
}

/// A block as an `All` of its conditions.
pub(super) fn lower_block(
    checker: &mut Checker<'_>,
    file: FileId,
    block: &ast::Block,
    place: Place,
) -> Requirement {
    let mut items = Vec::new();
    for statement in &block.statements {
        match statement {
            ast::Statement::Condition(condition) => {
                if let Some(requirement) = lower_condition(checker, file, condition) {
                    items.push(requirement);
                }
            }
            ast::Statement::CliaPosition(position) => {
                if !matches!(place, Place::Role) {
                    checker.error(
                        Diagnostic::error(
                            Code::Misplaced,
                            "`clia_position` belongs at the top of a role",
                        )
                        .at(checker.source(file), position.span)
                        .label("not allowed here")
                        .help("a position is the role's: move it to the role's block"),
                    );
                }
            }
            ast::Statement::Source(_)
            | ast::Statement::Description(_)
            | ast::Statement::Note(_)
            | ast::Statement::Cite(_) => {
                if !matches!(place, Place::Role | Place::Route) {
                    let keyword = match statement {
                        ast::Statement::Source(_) => "source",
                        ast::Statement::Description(_) => "description",
                        ast::Statement::Cite(_) => "cite",
                        _ => "note",
                    };
                    checker.error(
                        Diagnostic::error(
                            Code::Misplaced,
                            format!("`{keyword}` belongs at the top of a role or route"),
                        )
                        .at(checker.source(file), statement.span())
                        .label("not allowed here")
                        .help("move it to the enclosing role or route"),
                    );
                }
            }
            ast::Statement::Route(route) => {
                checker.error(
                    Diagnostic::error(Code::Misplaced, "`route` belongs directly inside `any`")
                        .at(checker.source(file), route.name.span)
                        .label("route outside `any`")
                        .help("wrap the routes in `any { route \"1\" { … } route \"2\" { … } }`"),
                );
            }
        }
    }
    Requirement {
        kind: K::All(items),
        span: block.span,
        node: checker.node(),
    }
}

/// Credentials as a rule names them, each checked against the vocabulary.
fn credentials(
    checker: &mut Checker<'_>,
    file: FileId,
    names: &[ast::CredentialName],
) -> Option<Vec<rs::CredentialName>> {
    for option in names {
        let written = ast::Atom {
            text: format!("{} {}", option.issuer.text, option.name.text),
            quoted: true,
            span: option.span,
        };
        vocabulary::resolve_terms(
            checker,
            file,
            &ast::Terms::One(written),
            VocabularyKind::Credential,
        )?;
    }
    let mut options: Vec<rs::CredentialName> = names
        .iter()
        .map(|option| rs::CredentialName {
            issuer: option.issuer.text.clone(),
            name: option.name.text.clone(),
        })
        .collect();
    options.dedup();
    Some(options)
}

/// The filters that pick the jobs an `experience` or `serving` condition reads.
struct WorkFilters<'a> {
    areas: &'a Option<ast::Terms>,
    settings: &'a Option<ast::Terms>,
    jobs: &'a Option<ast::Terms>,
    states: &'a Option<ast::Terms>,
    licensed: bool,
    tags: &'a Option<ast::Terms>,
}

/// An experience rule with the filters resolved and no amount.
fn work_rule(
    checker: &mut Checker<'_>,
    file: FileId,
    filters: WorkFilters<'_>,
) -> Option<rs::ExperienceRule> {
    Some(rs::ExperienceRule {
        amount: 0.0,
        unit: ast::ExperienceUnit::Months,
        fulltime_hours_per_week: DEFAULT_FULLTIME_HOURS,
        areas: optional_terms(checker, file, filters.areas, VocabularyKind::Area)?,
        each_area: false,
        settings: optional_terms(checker, file, filters.settings, VocabularyKind::Setting)?,
        jobs: optional_terms(checker, file, filters.jobs, VocabularyKind::Job)?,
        states: match filters.states {
            Some(terms) => Some(vocabulary::resolve_states(checker, file, terms)?),
            None => None,
        },
        licensed: filters.licensed,
        tags: optional_labels(checker, file, filters.tags)?,
        within_years: None,
        after: None,
    })
}

fn lower_condition(
    checker: &mut Checker<'_>,
    file: FileId,
    condition: &ast::Condition,
) -> Option<Requirement> {
    let span = condition.span;
    let kind = match &condition.kind {
        ast::ConditionKind::Degree(degree) => K::Degree(rs::DegreeRule {
            minimum: degree.level,
            fields: optional_terms(checker, file, &degree.fields, VocabularyKind::Field)?,
            accredited_by: optional_accreditors(checker, file, &degree.accredited_by)?,
            within_years: within(checker, file, &degree.within)?,
        }),
        ast::ConditionKind::Program(program) => K::Program(rs::ProgramRule {
            programs: vocabulary::resolve_terms(
                checker,
                file,
                &program.programs,
                VocabularyKind::Program,
            )?,
            accredited_by: optional_accreditors(checker, file, &program.accredited_by)?,
            within_years: within(checker, file, &program.within)?,
            scheduled: program.scheduled.is_some(),
        }),
        ast::ConditionKind::Coursework(coursework) => {
            if coursework.minimum.is_none()
                && coursework.including.is_none()
                && coursework.subjects.is_none()
            {
                checker.error(
                    Diagnostic::error(Code::Incomplete, "coursework needs an amount, a subject or `including`")
                        .at(checker.source(file), span)
                        .label("asks for nothing")
                        .help("e.g. `coursework >= 6 semester_hours in \"chemistry\"` or `coursework including \"microbiology\"`"),
                );
                return None;
            }
            let written_minimum = match &coursework.minimum {
                Some((amount, unit)) => Some((
                    quantity(checker, file, amount, "hours", 0.0, 10_000.0)?,
                    *unit,
                )),
                None => None,
            };
            K::Coursework(rs::CourseworkRule {
                minimum_semester_hours: written_minimum.map(|(amount, unit)| match unit {
                    ast::CreditUnit::SemesterHours => amount,
                    ast::CreditUnit::QuarterHours => amount * 2.0 / 3.0,
                }),
                written_minimum,
                subjects: optional_terms(
                    checker,
                    file,
                    &coursework.subjects,
                    VocabularyKind::Subject,
                )?,
                including: optional_terms(
                    checker,
                    file,
                    &coursework.including,
                    VocabularyKind::Topic,
                )?,
            })
        }
        ast::ConditionKind::Certification(certification) => {
            let options = credentials(checker, file, &certification.options)?;
            let see = match &certification.see {
                Some(id) => Some(checker.role_reference(file, id)?),
                None => None,
            };
            let earned = certification.earned.as_ref().map(|bound| rs::EarnedBound {
                on_or_after: bound.on_or_after,
                date: bound.date.date,
            });
            K::Certification(rs::CertificationRule {
                options,
                earned,
                see,
            })
        }
        ast::ConditionKind::License(license) => {
            let state = match &license.state {
                ast::LicenseState::Candidate(_) => rs::LicenseState::Candidate,
                ast::LicenseState::Code(atom) => {
                    let terms = ast::Terms::One(atom.clone());
                    let states = vocabulary::resolve_states(checker, file, &terms)?;
                    rs::LicenseState::Code(states.into_iter().next()?)
                }
            };
            let see = match &license.see {
                Some(id) => Some(checker.role_reference(file, id)?),
                None => None,
            };
            K::License(rs::LicenseRule {
                state,
                types: optional_labels(checker, file, &license.types)?,
                see,
            })
        }
        ast::ConditionKind::Experience(experience) => {
            let (unit_name, max) = match experience.unit {
                ast::ExperienceUnit::Months => ("months", 1200.0),
                ast::ExperienceUnit::Hours => ("hours", 200_000.0),
            };
            let amount = quantity(checker, file, &experience.amount, unit_name, 0.0, max)?;
            let fulltime = match (&experience.fulltime, experience.unit) {
                (Some(hours), ast::ExperienceUnit::Hours) => {
                    checker.error(
                        Diagnostic::error(Code::Type, "`fulltime` applies to months, not hours")
                            .at(checker.source(file), hours.span)
                            .label("hours are counted as worked, with no full-time cap")
                            .help("remove `fulltime`, or count the experience in `months`"),
                    );
                    return None;
                }
                (Some(hours), _) => quantity(checker, file, hours, "hours a week", 1.0, 168.0)?,
                (None, _) => DEFAULT_FULLTIME_HOURS,
            };
            let filters = WorkFilters {
                areas: &experience.areas,
                settings: &experience.settings,
                jobs: &experience.jobs,
                states: &experience.states,
                licensed: experience.licensed.is_some(),
                tags: &experience.tags,
            };
            let mut rule = work_rule(checker, file, filters)?;
            rule.amount = amount;
            rule.unit = experience.unit;
            rule.fulltime_hours_per_week = fulltime;
            rule.each_area = experience.each_area;
            rule.within_years = within(checker, file, &experience.within)?;
            rule.after = match &experience.after {
                None => None,
                Some(ast::After::Degree { level, .. }) => Some(rs::AfterRule::Degree(*level)),
                Some(ast::After::Certification(names)) => Some(rs::AfterRule::Certification(
                    credentials(checker, file, names)?,
                )),
            };
            K::Experience(rule)
        }
        ast::ConditionKind::Serving(serving) => {
            let filters = WorkFilters {
                areas: &serving.areas,
                settings: &serving.settings,
                jobs: &serving.jobs,
                states: &serving.states,
                licensed: serving.licensed.is_some(),
                tags: &serving.tags,
            };
            if serving.jobs.is_none() && serving.areas.is_none() && serving.tags.is_none() {
                checker.error(
                    Diagnostic::error(Code::Incomplete, "`serving` needs a position")
                        .at(checker.source(file), span)
                        .label("any work at all would count")
                        .help("name the position, e.g. `serving as \"technical supervisor\" since 2024-12-28`"),
                );
                return None;
            }
            K::Serving(rs::ServingRule {
                since: serving.since.date,
                work: work_rule(checker, file, filters)?,
            })
        }
        ast::ConditionKind::AsOf { date, body } => {
            let body = lower_block(checker, file, body, Place::Nested);
            if matches!(&body.kind, K::All(items) if items.is_empty()) {
                checker.error(
                    Diagnostic::error(Code::EmptyBlock, "`as_of` has no conditions")
                        .at(checker.source(file), span)
                        .label("met by everyone")
                        .help("add the conditions to evaluate on that date, or remove the block"),
                );
                return None;
            }
            K::AsOf {
                date: date.date,
                body: Box::new(body),
            }
        }
        ast::ConditionKind::Training(training) => {
            let mut minimums = Vec::new();
            for minimum in &training.minimums {
                let value = quantity(
                    checker,
                    file,
                    &minimum.minimum,
                    minimum.measure.keyword(),
                    0.0,
                    100_000.0,
                )?;
                minimums.push((minimum.measure, value));
            }
            minimums.sort_by_key(|(measure, _)| *measure);
            K::Training(rs::TrainingRule {
                programs: vocabulary::resolve_terms(
                    checker,
                    file,
                    &training.programs,
                    VocabularyKind::Program,
                )?,
                accredited_by: optional_accreditors(checker, file, &training.accredited_by)?,
                within_years: within(checker, file, &training.within)?,
                minimums,
                scheduled: training.scheduled.is_some(),
            })
        }
        ast::ConditionKind::ContinuingEducation(ce) => {
            K::ContinuingEducation(rs::ContinuingEducationRule {
                hours: quantity(checker, file, &ce.hours, "hours", 0.0, 10_000.0)?,
                topics: optional_terms(checker, file, &ce.topics, VocabularyKind::Topic)?,
                within_years: within(checker, file, &ce.within)?,
            })
        }
        ast::ConditionKind::Age(years) => K::Age {
            minimum: whole(checker, file, years, "an age", 0, 120)?,
        },
        ast::ConditionKind::Role(id) => K::Role(checker.role_reference(file, id)?),
        ast::ConditionKind::Use(name) => {
            match (
                checker.definition_ids.get(&name.name),
                checker.lets.get(&name.name),
            ) {
                (Some(index), _) => K::Use(*index),
                (None, Some(_)) => {
                    checker.error(
                        Diagnostic::error(
                            Code::Type,
                            format!("`{}` is a list, not a block of conditions", name.name),
                        )
                        .at(checker.source(file), name.span)
                        .label("cannot be used as a condition")
                        .help(format!(
                            "use the list as a value, e.g. `state in {}`",
                            name.name
                        )),
                    );
                    return None;
                }
                (None, None) => {
                    let blocks: Vec<&str> =
                        checker.definition_ids.keys().map(String::as_str).collect();
                    let help = suggestion(&name.name, blocks)
                        .unwrap_or_else(|| format!("define it with `let {} = {{ … }}`", name.name));
                    checker.error(
                        Diagnostic::error(
                            Code::UnknownName,
                            format!("nothing named `{}` is defined", name.name),
                        )
                        .at(checker.source(file), name.span)
                        .label("unknown name")
                        .help(help),
                    );
                    return None;
                }
            }
        }
        ast::ConditionKind::StateIn(terms) => {
            K::StateIn(vocabulary::resolve_states(checker, file, terms)?)
        }
        ast::ConditionKind::Date { on_or_after, date } => K::Date {
            on_or_after: *on_or_after,
            date: date.date,
        },
        ast::ConditionKind::All(block) => {
            let kind = lower_block(checker, file, block, Place::Nested).kind;
            if matches!(&kind, K::All(items) if items.is_empty()) {
                // An empty `all` is met by everyone: surely not what was meant.
                checker.error(
                    Diagnostic::error(Code::EmptyBlock, "`all` has no conditions")
                        .at(checker.source(file), span)
                        .label("met by everyone")
                        .help("add the conditions that must all hold, or remove the `all`"),
                );
                return None;
            }
            kind
        }
        ast::ConditionKind::Any(block) => K::Any(lower_any(checker, file, block, span)?),
        ast::ConditionKind::AtLeast { count, body } => {
            let of = match lower_block(checker, file, body, Place::Nested).kind {
                K::All(items) => items,
                _ => unreachable!("a block lowers to All"),
            };
            let max = u32::try_from(of.len()).unwrap_or(u32::MAX);
            if of.is_empty() {
                checker.error(
                    Diagnostic::error(Code::EmptyBlock, "`at least` has no conditions")
                        .at(checker.source(file), body.span)
                        .label("empty"),
                );
                return None;
            }
            let count = whole(checker, file, count, "a count", 1, max)? as usize;
            K::AtLeast { count, of }
        }
        ast::ConditionKind::Not(inner) => K::Not(Box::new(lower_condition(checker, file, inner)?)),
        ast::ConditionKind::When {
            guard,
            then,
            otherwise,
        } => K::When {
            guard: Box::new(lower_condition(checker, file, guard)?),
            then: Box::new(lower_block(checker, file, then, Place::Nested)),
            otherwise: otherwise
                .as_ref()
                .map(|block| Box::new(lower_block(checker, file, block, Place::Nested))),
        },
        ast::ConditionKind::Unless { guard, then } => {
            let guard = Box::new(lower_condition(checker, file, guard)?);
            let nothing = Requirement {
                kind: K::All(Vec::new()),
                span: guard.span,
                node: checker.node(),
            };
            K::When {
                guard,
                then: Box::new(nothing),
                otherwise: Some(Box::new(lower_block(checker, file, then, Place::Nested))),
            }
        }
    };
    Some(Requirement {
        kind,
        span,
        node: checker.node(),
    })
}

/// Hours a week that count as full time when a rule does not say (ASCP's definition).
pub const DEFAULT_FULLTIME_HOURS: f64 = 35.0;

fn lower_any(
    checker: &mut Checker<'_>,
    file: FileId,
    block: &ast::Block,
    span: Span,
) -> Option<Vec<rs::Alternative>> {
    let mut alternatives = Vec::new();
    // Names seen so far, to report a duplicate: a map, so that checking
    // stays linear in the number of routes.
    let mut route_names: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
    for statement in &block.statements {
        match statement {
            ast::Statement::Route(route) => {
                if let Some(&first) = route_names.get(route.name.value.as_str()) {
                    checker.error(
                        Diagnostic::error(
                            Code::DuplicateName,
                            format!("route \"{}\" is declared twice", route.name.value),
                        )
                        .at(checker.source(file), route.name.span)
                        .label("second route with this name")
                        .secondary(first, "first one here")
                        .help("give every route of an `any` its own name"),
                    );
                }
                route_names
                    .entry(route.name.value.as_str())
                    .or_insert(route.name.span);
                let validity = checker.validity(file, &route.validity, "route");
                let role = checker.role_validity;
                let starts_after_role_ends = matches!((validity.from, role.until), (Some(from), Some(until)) if from >= until);
                let ends_before_role_starts = matches!((validity.until, role.from), (Some(until), Some(from)) if until <= from);
                if starts_after_role_ends || ends_before_role_starts {
                    let span = match (&route.validity.from, &route.validity.until) {
                        (Some(from), _) if starts_after_role_ends => from.span,
                        (_, Some(until)) => until.span,
                        _ => route.name.span,
                    };
                    checker.error(
                        Diagnostic::error(
                            Code::Unreachable,
                            "this route is never in force while its role is",
                        )
                        .at(checker.source(file), span)
                        .label("outside the role's dates")
                        .help(
                            "align the route's `from`/`until` with the role's, or remove the route",
                        ),
                    );
                }
                let mut sources = Vec::new();
                let mut notes = Vec::new();
                let mut description = None;
                let mut cite: Option<String> = None;
                for inner in &route.body.statements {
                    match inner {
                        ast::Statement::Source(source) => sources.push(lower_source(source)),
                        ast::Statement::Note(note) => notes.push(note.value.clone()),
                        ast::Statement::Description(text) => description = Some(text.value.clone()),
                        ast::Statement::Cite(text) => {
                            if cite.is_some() {
                                checker.error(
                                    Diagnostic::error(
                                        Code::DuplicateClause,
                                        "a route has one `cite`",
                                    )
                                    .at(checker.source(file), text.span)
                                    .label("second citation")
                                    .help("join the two paragraphs in one citation"),
                                );
                            }
                            cite = Some(text.value.clone());
                        }
                        _ => {}
                    }
                }
                let asks_nothing = !route
                    .body
                    .statements
                    .iter()
                    .any(|inner| matches!(inner, ast::Statement::Condition(_)));
                if asks_nothing {
                    // An empty route is met by everyone: surely not what was meant.
                    checker.error(
                        Diagnostic::error(
                            Code::EmptyBlock,
                            format!("route \"{}\" has no conditions", route.name.value),
                        )
                        .at(checker.source(file), route.name.span)
                        .label("met by everyone")
                        .help("add the route's conditions, or remove the route"),
                    );
                }
                let requirement = lower_block(checker, file, &route.body, Place::Route);
                alternatives.push(rs::Alternative {
                    route: Some(rs::Route {
                        name: route.name.value.clone(),
                        validity,
                        description,
                        notes,
                        sources,
                        cite,
                    }),
                    requirement,
                });
            }
            ast::Statement::Condition(condition) => {
                if let Some(requirement) = lower_condition(checker, file, condition) {
                    alternatives.push(rs::Alternative {
                        route: None,
                        requirement,
                    });
                }
            }
            other => {
                checker.error(
                    Diagnostic::error(
                        Code::Misplaced,
                        "only routes and conditions belong inside `any`",
                    )
                    .at(checker.source(file), other.span())
                    .label("not an alternative")
                    .help("move it to the enclosing role or into a route"),
                );
            }
        }
    }
    if block.statements.is_empty() {
        checker.error(
            Diagnostic::error(Code::EmptyBlock, "`any` has no alternatives")
                .at(checker.source(file), span)
                .label("nothing can satisfy this")
                .help("add routes or conditions, or remove the `any`"),
        );
        return None;
    }
    Some(alternatives)
}

fn optional_terms(
    checker: &mut Checker<'_>,
    file: FileId,
    terms: &Option<ast::Terms>,
    kind: VocabularyKind,
) -> Option<Option<rs::TermSet>> {
    match terms {
        Some(terms) => vocabulary::resolve_terms(checker, file, terms, kind).map(Some),
        None => Some(None),
    }
}

fn optional_labels(
    checker: &mut Checker<'_>,
    file: FileId,
    terms: &Option<ast::Terms>,
) -> Option<Option<Vec<String>>> {
    match terms {
        Some(terms) => vocabulary::resolve_labels(checker, file, terms).map(Some),
        None => Some(None),
    }
}

/// Accrediting bodies, checked against `vocabulary accreditor` when there is one.
fn optional_accreditors(
    checker: &mut Checker<'_>,
    file: FileId,
    terms: &Option<ast::Terms>,
) -> Option<Option<Vec<String>>> {
    if let Some(terms) = terms {
        vocabulary::resolve_terms(checker, file, terms, VocabularyKind::Accreditor)?;
    }
    optional_labels(checker, file, terms)
}

fn within(
    checker: &mut Checker<'_>,
    file: FileId,
    within: &Option<ast::Within>,
) -> Option<Option<u32>> {
    match within {
        Some(within) => whole(checker, file, &within.years, "a number of years", 1, 100).map(Some),
        None => Some(None),
    }
}

/// A whole number in `min..=max`.
fn whole(
    checker: &mut Checker<'_>,
    file: FileId,
    number: &ast::Number,
    what: &str,
    min: u32,
    max: u32,
) -> Option<u32> {
    let value = number.value;
    if value.fract() != 0.0 || value < f64::from(min) || value > f64::from(max) {
        checker.error(
            Diagnostic::error(Code::Range, format!("`{value}` is not valid as {what}"))
                .at(checker.source(file), number.span)
                .label(format!("expected a whole number from {min} to {max}")),
        );
        return None;
    }
    Some(value as u32)
}

/// A quantity in `min..=max`.
fn quantity(
    checker: &mut Checker<'_>,
    file: FileId,
    number: &ast::Number,
    unit: &str,
    min: f64,
    max: f64,
) -> Option<f64> {
    let value = number.value;
    if !(min..=max).contains(&value) {
        checker.error(
            Diagnostic::error(Code::Range, format!("{value} {unit} is out of range"))
                .at(checker.source(file), number.span)
                .label(format!("expected {min} to {max}")),
        );
        return None;
    }
    Some(value)
}
