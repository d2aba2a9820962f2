//! Checking: typed ASTs of every rule file → one `RuleSet`, with names
//! resolved, vocabulary terms looked up and units converted. Every problem is
//! collected, not just the first. Nothing here reads profiles or evaluates.

mod conditions;
mod rule_tests;
mod sources;
mod vocabulary;

pub use conditions::DEFAULT_FULLTIME_HOURS;
pub use vocabulary::{STATE_CODES, is_state_code};

use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, suggestion};
use crate::ruleset::{self, FileId, RuleSet, Validity};
use crate::source::{SourceFile, Span};
use crate::syntax::ast;
use std::collections::{BTreeMap, HashMap};

/// A parsed rule file, ready for checking.
pub struct ParsedFile {
    pub source: SourceFile,
    pub ast: ast::File,
}

/// What checking found: the rule set when there are no errors, and every
/// diagnostic (errors and warnings) in file order.
pub struct Checked {
    pub rules: Option<RuleSet>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks a whole rule set. Names declared in `also_declared` (items of
/// files that failed to parse) are taken as existing, so one syntax error
/// does not cascade into "undefined" errors elsewhere.
pub fn check(files: &[ParsedFile], also_declared: &[String]) -> Checked {
    let mut checker = Checker::new(files, also_declared);
    checker.run();
    let Checker {
        diagnostics, rules, ..
    } = checker;
    let mut diagnostics = diagnostics;
    sort_diagnostics(&mut diagnostics);
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    Checked {
        rules: (!has_errors).then_some(rules),
        diagnostics,
    }
}

/// File order, then position, so output is deterministic.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                d.file.as_ref().map(|f| f.name.clone()),
                d.span.map(|s| s.start),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// Where a declaration lives, for "first defined here" notes.
fn location(file: &SourceFile, span: Span) -> String {
    let (line, column) = file.line_col(span.start);
    format!("{}:{line}:{column}", file.name)
}

/// A `let` as declared, before resolution.
struct LetDecl<'a> {
    file: FileId,
    decl: &'a ast::Let,
}

struct Checker<'a> {
    files: &'a [ParsedFile],
    also_declared: &'a [String],
    diagnostics: Vec<Diagnostic>,
    rules: RuleSet,
    /// Role id → (file, AST), sorted by id.
    roles: BTreeMap<String, (FileId, &'a ast::Role)>,
    lets: HashMap<String, LetDecl<'a>>,
    /// `let` blocks resolved into definitions, by name.
    definition_ids: HashMap<String, ruleset::DefinitionId>,
    next_node: u32,
    /// The validity of the role being resolved, so its routes can be checked against it.
    role_validity: Validity,
}

impl<'a> Checker<'a> {
    fn new(files: &'a [ParsedFile], also_declared: &'a [String]) -> Checker<'a> {
        Checker {
            files,
            also_declared,
            diagnostics: Vec::new(),
            rules: RuleSet {
                files: files.iter().map(|f| f.source.clone()).collect(),
                ..RuleSet::default()
            },
            roles: BTreeMap::new(),
            lets: HashMap::new(),
            definition_ids: HashMap::new(),
            next_node: 0,
            role_validity: Validity::default(),
        }
    }

    fn source(&self, file: FileId) -> &'a SourceFile {
        &self.files[file].source
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records a warning: reported, but the rule set stays usable.
    fn warn(&mut self, diagnostic: Diagnostic) {
        debug_assert!(!diagnostic.is_error());
        self.diagnostics.push(diagnostic);
    }

    fn node(&mut self) -> u32 {
        self.next_node += 1;
        self.next_node
    }

    fn run(&mut self) {
        self.collect_declarations();
        self.rules.vocabularies = vocabulary::build(self);
        self.resolve_definitions();
        self.resolve_roles();
        self.check_cycles();
        self.rules.tests = rule_tests::resolve(self);
    }

    fn collect_declarations(&mut self) {
        for (file_id, parsed) in self.files.iter().enumerate() {
            for item in &parsed.ast.items {
                match item {
                    ast::Item::Role(role) => self.declare_role(file_id, role),
                    ast::Item::Let(decl) => {
                        let name = decl.name.name.clone();
                        if let Some(previous) = self.lets.get(&name) {
                            let first =
                                location(self.source(previous.file), previous.decl.name.span);
                            self.error(
                                Diagnostic::error(Code::DuplicateName, format!("`{name}` is defined twice"))
                                    .at(&parsed.source, decl.name.span)
                                    .label("defined again here")
                                    .note(format!("first defined at {first}"))
                                    .help("rename one of them; a rule set shares one namespace across its files"),
                            );
                        } else {
                            self.lets.insert(
                                name,
                                LetDecl {
                                    file: file_id,
                                    decl,
                                },
                            );
                        }
                    }
                    ast::Item::Vocabulary(_) | ast::Item::Test(_) => {}
                }
            }
        }
    }

    fn declare_role(&mut self, file_id: FileId, role: &'a ast::Role) {
        let source = &self.files[file_id].source;
        let id = &role.id.name;
        let valid_id = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !id.starts_with('-')
            && !id.ends_with('-');
        if !valid_id {
            let suggested: String = id
                .chars()
                .map(|c| {
                    if c == '_' {
                        '-'
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect();
            self.error(
                Diagnostic::error(
                    Code::RoleId,
                    format!("role id `{id}` is not lower-case letters, digits and `-`"),
                )
                .at(source, role.id.span)
                .label("invalid role id")
                .help(format!(
                    "role ids are stable names used on the command line, e.g. `{suggested}`"
                )),
            );
        }
        if valid_id && matches!(id.as_str(), "any" | "all" | "not") {
            // `role any` / `requires not` would read as the keyword.
            self.error(
                Diagnostic::error(
                    Code::RoleId,
                    format!("role id `{id}` is a keyword of the rule language"),
                )
                .at(source, role.id.span)
                .label("reserved word")
                .help(format!(
                    "choose another id, e.g. `{id}-role` or a name that says what the role is"
                )),
            );
        }
        if let Some((first_file, first)) = self.roles.get(id) {
            let first = location(self.source(*first_file), first.id.span);
            self.error(
                Diagnostic::error(Code::DuplicateName, format!("role `{id}` is defined twice"))
                    .at(source, role.id.span)
                    .label("defined again here")
                    .note(format!("first defined at {first}"))
                    .help("role ids must be unique across the whole rule set"),
            );
            return;
        }
        self.roles.insert(id.clone(), (file_id, role));
    }

    /// Resolves every `let NAME = { … }` block into a definition, in name order.
    fn resolve_definitions(&mut self) {
        let mut names: Vec<&String> = self
            .lets
            .iter()
            .filter(|(_, decl)| matches!(decl.decl.value, ast::LetValue::Block(_)))
            .map(|(name, _)| name)
            .collect();
        names.sort();
        let names: Vec<String> = names.into_iter().cloned().collect();
        for (index, name) in names.iter().enumerate() {
            self.definition_ids.insert(name.clone(), index);
        }
        for name in names {
            let Some(decl) = self.lets.get(&name) else {
                continue;
            };
            let (file, decl) = (decl.file, decl.decl);
            let ast::LetValue::Block(block) = &decl.value else {
                continue;
            };
            let requirement =
                conditions::lower_block(self, file, block, conditions::Place::Definition);
            self.rules.definitions.push(ruleset::Definition {
                name,
                requirement,
                file,
            });
        }
    }

    fn resolve_roles(&mut self) {
        // Role ids are known before bodies are resolved, so references resolve
        // to indices in the final, sorted order.
        let roles: Vec<(String, FileId, &'a ast::Role)> = self
            .roles
            .iter()
            .map(|(id, (file, role))| (id.clone(), *file, *role))
            .collect();
        for (id, file, role) in roles {
            let source = self.source(file);
            let mut sources = Vec::new();
            let mut description = None;
            let mut notes = Vec::new();
            let mut cite = None;
            let mut clia_position = None;
            for statement in &role.body.statements {
                match statement {
                    ast::Statement::Source(s) => sources.push(lower_source(s)),
                    ast::Statement::Description(text) => {
                        if description.is_some() {
                            self.error(
                                Diagnostic::error(
                                    Code::DuplicateClause,
                                    "a role has one `description`",
                                )
                                .at(source, text.span)
                                .label("second description")
                                .help("join the two texts, or make one a `note`"),
                            );
                        }
                        description = Some(text.value.clone());
                    }
                    ast::Statement::Note(text) => notes.push(text.value.clone()),
                    ast::Statement::Cite(text) => {
                        if cite.is_some() {
                            self.error(
                                Diagnostic::error(Code::DuplicateClause, "a role has one `cite`")
                                    .at(source, text.span)
                                    .label("second citation")
                                    .help("cite the role's section once; each route can `cite` its own paragraph"),
                            );
                        }
                        cite = Some(text.value.clone());
                    }
                    ast::Statement::CliaPosition(position) => {
                        if clia_position.is_some() {
                            self.error(
                                Diagnostic::error(
                                    Code::DuplicateClause,
                                    "a role has one `clia_position`",
                                )
                                .at(source, position.span)
                                .label("second position")
                                .help("write one role per CLIA position"),
                            );
                        }
                        clia_position = self.clia_position(file, position).or(clia_position);
                    }
                    ast::Statement::Route(_) | ast::Statement::Condition(_) => {}
                }
            }
            if sources.is_empty() {
                self.error(
                    Diagnostic::error(Code::MissingSource, format!("role `{id}` has no `source`"))
                        .at(source, role.id.span)
                        .label("no source for these requirements")
                        .help("add `source \"https://…\" trust official \"what it is\"` so explanations can cite it"),
                );
            }
            sources::check_role(self, file, role);
            let validity = self.validity(file, &role.validity, "role");
            self.role_validity = validity;
            let requirement =
                conditions::lower_block(self, file, &role.body, conditions::Place::Role);
            self.rules.roles.push(ruleset::Role {
                id,
                title: role.title.value.clone(),
                description,
                notes,
                cite,
                clia_position,
                sources,
                validity,
                requirement,
                file,
                span: role.span,
            });
        }
    }

    /// `clia_position CODE COMPLEXITY`, its two words checked.
    fn clia_position(
        &mut self,
        file: FileId,
        position: &ast::CliaPosition,
    ) -> Option<ruleset::CliaPosition> {
        let code = ruleset::CliaPositionCode::from_code(&position.code.value);
        if code.is_none() {
            let codes: Vec<&str> = ruleset::CliaPositionCode::ALL
                .iter()
                .map(|code| code.code())
                .collect();
            self.error(
                Diagnostic::error(
                    Code::UnknownValue,
                    format!(
                        "`{}` is not a CLIA position of form CMS-209",
                        crate::diagnostic::shorten(&position.code.value)
                    ),
                )
                .at(self.source(file), position.code.span)
                .label("unknown position")
                .help(format!(
                    "use one of {} (`\"CT/GS\"` in quotes)",
                    codes.join(", ")
                )),
            );
        }
        let complexity = ruleset::Complexity::from_keyword(&position.complexity.name);
        if complexity.is_none() {
            self.error(
                Diagnostic::error(
                    Code::UnknownValue,
                    format!(
                        "`{}` is not a testing complexity",
                        crate::diagnostic::shorten(&position.complexity.name)
                    ),
                )
                .at(self.source(file), position.complexity.span)
                .label("unknown complexity")
                .help("write `moderate` or `high`"),
            );
        }
        Some(ruleset::CliaPosition {
            code: code?,
            complexity: complexity?,
        })
    }

    /// Checks that a `from`/`until` pair leaves at least one day in force.
    fn validity(&mut self, file: FileId, validity: &ast::Validity, what: &str) -> Validity {
        let resolved = Validity {
            from: validity.from.as_ref().map(|d| d.date),
            until: validity.until.as_ref().map(|d| d.date),
        };
        if let (Some(from), Some(until)) = (&validity.from, &validity.until)
            && from.date >= until.date
        {
            self.error(
                    Diagnostic::error(Code::Unreachable, format!("this {what} is never in force"))
                        .at(self.source(file), from.span.to(until.span))
                        .label(format!("from {} until {} leaves no day", from.date, until.date))
                        .help("`from` is the first day in force and `until` the first day no longer in force"),
                );
        }
        resolved
    }

    /// The role index for `id`, or an error with a suggestion.
    fn role_reference(&mut self, file: FileId, ident: &ast::Ident) -> Option<ruleset::RoleId> {
        if let Some(index) = self.roles.keys().position(|id| *id == ident.name) {
            return Some(ruleset::RoleId::from_index(index));
        }
        if self.also_declared.contains(&ident.name) {
            return None;
        }
        let help = suggestion(&ident.name, self.roles.keys().map(String::as_str))
            .unwrap_or_else(|| "run `eligo roles` to list the roles of the rule set".to_string());
        self.error(
            Diagnostic::error(Code::UnknownName, format!("no role named `{}`", ident.name))
                .at(self.source(file), ident.span)
                .label("unknown role")
                .help(help),
        );
        None
    }

    /// Reports cycles between roles (through `role` and `use`) and between `let` blocks.
    fn check_cycles(&mut self) {
        // Edges: node → (target, file, span of the reference).
        // Nodes: roles 0..n, definitions n..n+m.
        let role_count = self.rules.roles.len();
        let mut edges: Vec<Vec<(usize, FileId, Span)>> =
            vec![Vec::new(); role_count + self.rules.definitions.len()];
        for (index, role) in self.rules.roles.iter().enumerate() {
            references(&role.requirement, role.file, role_count, &mut edges[index]);
        }
        for (index, definition) in self.rules.definitions.iter().enumerate() {
            references(
                &definition.requirement,
                definition.file,
                role_count,
                &mut edges[role_count + index],
            );
        }
        let name = |node: usize, rules: &RuleSet| -> String {
            if node < role_count {
                format!("role `{}`", rules.roles[node].id)
            } else {
                format!("`{}`", rules.definitions[node - role_count].name)
            }
        };
        // Iterative DFS with colours; report each cycle once, at its closing edge.
        let mut colour = vec![0u8; edges.len()];
        let mut cycles = Vec::new();
        for start in 0..edges.len() {
            if colour[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            let mut path = vec![start];
            colour[start] = 1;
            while let Some((node, next)) = stack.last_mut() {
                let node = *node;
                if let Some(&(target, file, span)) = edges[node].get(*next) {
                    *next += 1;
                    match colour[target] {
                        0 => {
                            colour[target] = 1;
                            stack.push((target, 0));
                            path.push(target);
                        }
                        1 => {
                            let from = path.iter().position(|n| *n == target).unwrap_or(0);
                            let mut chain: Vec<usize> = path[from..].to_vec();
                            chain.push(target);
                            cycles.push((file, span, chain));
                        }
                        _ => {}
                    }
                } else {
                    colour[node] = 2;
                    stack.pop();
                    path.pop();
                }
            }
        }
        for (file, span, chain) in cycles {
            let names: Vec<String> = chain.iter().map(|n| name(*n, &self.rules)).collect();
            let message = if chain.len() == 2 {
                format!("{} requires itself", names[0])
            } else {
                format!(
                    "{} requires itself through {}",
                    names[0],
                    names[1..names.len() - 1].join(", ")
                )
            };
            self.error(
                Diagnostic::error(Code::Cycle, message)
                    .at(self.source(file), span)
                    .label("this reference closes the cycle")
                    .note(format!("cycle: {}", names.join(" → ")))
                    .help("a requirement cannot depend on itself; remove one of the references"),
            );
        }
    }
}

fn lower_source(source: &ast::Source) -> ruleset::Source {
    ruleset::Source {
        reference: source.reference.value.clone(),
        trust: source.trust.map(|(trust, _)| trust),
        title: source.title.as_ref().map(|t| t.value.clone()),
        checked: source.checked.as_ref().map(|d| d.date),
    }
}

/// Collects the `role` and `use` references of a requirement tree.
fn references(
    requirement: &ruleset::Requirement,
    file: FileId,
    role_count: usize,
    out: &mut Vec<(usize, FileId, Span)>,
) {
    use ruleset::RequirementKind as K;
    match &requirement.kind {
        K::Role(id) => out.push((id.index(), file, requirement.span)),
        K::Use(definition) => out.push((role_count + definition, file, requirement.span)),
        K::All(items) | K::AtLeast { of: items, .. } => {
            for item in items {
                references(item, file, role_count, out);
            }
        }
        K::Any(alternatives) => {
            for alternative in alternatives {
                references(&alternative.requirement, file, role_count, out);
            }
        }
        K::Not(inner) | K::AsOf { body: inner, .. } => references(inner, file, role_count, out),
        K::When {
            guard,
            then,
            otherwise,
        } => {
            references(guard, file, role_count, out);
            references(then, file, role_count, out);
            if let Some(otherwise) = otherwise {
                references(otherwise, file, role_count, out);
            }
        }
        K::Degree(_)
        | K::Program(_)
        | K::Coursework(_)
        | K::Certification(_)
        | K::License(_)
        | K::Experience(_)
        | K::Serving(_)
        | K::Training(_)
        | K::ContinuingEducation(_)
        | K::Age { .. }
        | K::StateIn(_)
        | K::Date { .. } => {}
    }
}
