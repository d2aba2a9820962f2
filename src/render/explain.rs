//! A role in plain English, for a candidate: what it requires (routes as
//! "Option 1 / Option 2"), when it is in force, its notes and its sources.
//! The explanation is data (`Explanation`); `render_text` and serde give the
//! two presentations.

use crate::date::Date;
use crate::render::describe;
use crate::ruleset::{
    Alternative, Requirement, RequirementKind as K, Role, RuleSet, Source, Validity,
};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    pub role: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// "in force from 2024-12-28", or absent when always in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_force: Option<String>,
    pub requirements: Vec<Item>,
    pub notes: Vec<String>,
    pub sources: Vec<SourceEntry>,
    /// `cite`: the text the role encodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
    /// `clia_position`: e.g. `{ "code": "TS", "complexity": "high" }`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clia_position: Option<PositionEntry>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PositionEntry {
    pub code: &'static str,
    pub complexity: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct SourceEntry {
    pub reference: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust: Option<&'static str>,
    /// The day the rule was last checked against the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked: Option<crate::date::Date>,
}

/// One line of the explanation, possibly with nested lines.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Item {
    /// A single condition: "a bachelor's degree or higher".
    Condition {
        kind: &'static str,
        text: String,
    },
    /// Alternatives: named routes become "Option 1 (route 1)".
    OneOf {
        options: Vec<Choice>,
    },
    AtLeast {
        count: usize,
        of: Vec<Item>,
    },
    /// "Not: …"
    Not {
        item: Box<Item>,
    },
    /// A requirement that applies only when `condition` holds (or, for
    /// `unless`, when it does not).
    If {
        condition: String,
        negated: bool,
        then: Vec<Item>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        otherwise: Vec<Item>,
    },
    /// Requirements judged on a past (or other) date: `as_of DATE { … }`.
    AsOf {
        date: String,
        items: Vec<Item>,
    },
}

#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    /// "Option 1"
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// "ended 2023-01-01", "from 2024-12-28"
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_force: Option<String>,
    /// Whether the option can qualify anyone on the explanation's date.
    pub open: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub requirements: Vec<Item>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceEntry>,
    /// `cite`: the paragraph the route encodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
}

/// Explains `role` as of `today` (used only to say which dated routes are open).
pub fn explain(rules: &RuleSet, role: &Role, today: Date) -> Explanation {
    Explanation {
        role: role.id.clone(),
        title: role.title.clone(),
        description: role.description.clone(),
        in_force: validity_text(&role.validity),
        requirements: items(rules, &role.requirement, today),
        notes: role.notes.clone(),
        sources: role.sources.iter().map(source_entry).collect(),
        cite: role.cite.clone(),
        clia_position: role.clia_position.map(|position| PositionEntry {
            code: position.code.code(),
            complexity: position.complexity.keyword(),
        }),
    }
}

fn source_entry(source: &Source) -> SourceEntry {
    SourceEntry {
        reference: source.reference.clone(),
        title: source.title.clone(),
        trust: source.trust.map(|t| t.keyword()),
        checked: source.checked,
    }
}

fn validity_text(validity: &Validity) -> Option<String> {
    match (validity.from, validity.until) {
        (None, None) => None,
        (Some(from), None) => Some(format!("from {from}")),
        (None, Some(until)) => Some(format!("until {}", until.add_days(-1))),
        (Some(from), Some(until)) => Some(format!("from {from} until {}", until.add_days(-1))),
    }
}

/// The items of a block; a `use` is shown inline, as if written there.
fn items(rules: &RuleSet, requirement: &Requirement, today: Date) -> Vec<Item> {
    match &requirement.kind {
        K::All(parts) => parts
            .iter()
            .flat_map(|part| items(rules, part, today))
            .collect(),
        K::Use(definition) => match rules.definitions.get(*definition) {
            Some(definition) => items(rules, &definition.requirement, today),
            None => Vec::new(),
        },
        _ => vec![item(rules, requirement, today)],
    }
}

fn item(rules: &RuleSet, requirement: &Requirement, today: Date) -> Item {
    match &requirement.kind {
        K::Any(alternatives) => Item::OneOf {
            options: alternatives
                .iter()
                .enumerate()
                .map(|(index, alternative)| choice(rules, index, alternative, today))
                .collect(),
        },
        K::AtLeast { count, of } => Item::AtLeast {
            count: *count,
            of: of.iter().map(|part| item(rules, part, today)).collect(),
        },
        K::Not(inner) => Item::Not {
            item: Box::new(item(rules, inner, today)),
        },
        K::When {
            guard,
            then,
            otherwise,
        } => {
            let then_items = items(rules, then, today);
            let otherwise_items = otherwise
                .as_ref()
                .map(|o| items(rules, o, today))
                .unwrap_or_default();
            // `unless G { B }` is stored as `when G {} else { B }`.
            if then_items.is_empty() {
                Item::If {
                    condition: guard_text(rules, guard),
                    negated: true,
                    then: otherwise_items,
                    otherwise: Vec::new(),
                }
            } else {
                Item::If {
                    condition: guard_text(rules, guard),
                    negated: false,
                    then: then_items,
                    otherwise: otherwise_items,
                }
            }
        }
        K::AsOf { date, body } => Item::AsOf {
            date: date.to_string(),
            items: items(rules, body, today),
        },
        K::All(_) | K::Use(_) => {
            // A nested block reads as one condition list.
            let nested = items(rules, requirement, today);
            match nested.len() {
                1 => nested
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| condition(rules, requirement)),
                _ => Item::AtLeast {
                    count: nested.len(),
                    of: nested,
                },
            }
        }
        _ => condition(rules, requirement),
    }
}

fn condition(rules: &RuleSet, requirement: &Requirement) -> Item {
    let mut text = describe(rules, requirement);
    let see = match &requirement.kind {
        K::Certification(rule) => rule.see,
        K::License(rule) => rule.see,
        _ => None,
    };
    if let Some(role) = see.and_then(|see| rules.get(see)) {
        text.push_str(&format!(" (see `eligo explain {}`)", role.id));
    }
    Item::Condition {
        kind: kind_name(&requirement.kind),
        text,
    }
}

fn kind_name(kind: &K) -> &'static str {
    match kind {
        K::Degree(_) => "degree",
        K::Program(_) | K::Training(_) => "training",
        K::Coursework(_) => "coursework",
        K::Certification(_) => "certification",
        K::License(_) => "license",
        K::Experience(_) | K::Serving(_) => "experience",
        K::ContinuingEducation(_) => "continuing_education",
        K::Role(_) => "role",
        _ => "other",
    }
}

/// A guard as a clause: "you will work in CA or NY", "the date is on or after 2025-01-01".
fn guard_text(rules: &RuleSet, guard: &Requirement) -> String {
    match &guard.kind {
        K::StateIn(states) => format!("you will work in {}", crate::render::join_or(states)),
        K::Date {
            on_or_after: true,
            date,
        } => format!("you apply on or after {date}"),
        K::Date {
            on_or_after: false,
            date,
        } => format!("you apply before {date}"),
        K::Not(inner) => match &inner.kind {
            K::StateIn(states) => {
                format!("you will not work in {}", crate::render::join_or(states))
            }
            _ => format!("you do not have {}", describe(rules, inner)),
        },
        _ => {
            let text = describe(rules, guard);
            match text.strip_prefix("to ") {
                Some(verb) => format!("you {verb}"),
                None => format!("you have {text}"),
            }
        }
    }
}

fn choice(rules: &RuleSet, index: usize, alternative: &Alternative, today: Date) -> Choice {
    let label = format!("Option {}", index + 1);
    match &alternative.route {
        Some(route) => Choice {
            label,
            route: Some(route.name.clone()),
            in_force: match (route.validity.from, route.validity.until) {
                (_, Some(until)) if until <= today => Some(format!("ended {until}")),
                _ => validity_text(&route.validity),
            },
            open: route.validity.in_force(today),
            description: route.description.clone(),
            requirements: items(rules, &alternative.requirement, today),
            notes: route.notes.clone(),
            sources: route.sources.iter().map(source_entry).collect(),
            cite: route.cite.clone(),
        },
        None => Choice {
            label,
            route: None,
            in_force: None,
            open: true,
            description: None,
            requirements: items(rules, &alternative.requirement, today),
            notes: Vec::new(),
            sources: Vec::new(),
            cite: None,
        },
    }
}

/// The explanation as text a candidate reads top to bottom.
pub fn render_text(explanation: &Explanation) -> String {
    let mut out = format!("{} ({})\n", explanation.title, explanation.role);
    if let Some(in_force) = &explanation.in_force {
        out.push_str(&format!("In force {in_force}.\n"));
    }
    match (&explanation.cite, &explanation.clia_position) {
        (Some(cite), Some(position)) => out.push_str(&format!(
            "{cite}; CLIA position {} ({} complexity).\n",
            position.code, position.complexity
        )),
        (Some(cite), None) => out.push_str(&format!("{cite}.\n")),
        (None, Some(position)) => out.push_str(&format!(
            "CLIA position {} ({} complexity).\n",
            position.code, position.complexity
        )),
        (None, None) => {}
    }
    if let Some(description) = &explanation.description {
        out.push('\n');
        out.push_str(&wrap(description, 0, 0));
    }
    out.push('\n');
    let requirements = &explanation.requirements;
    if let [Item::OneOf { options }] = requirements.as_slice() {
        if options.iter().any(|o| o.route.is_some()) {
            out.push_str("You qualify through any one of these options:\n");
            render_options(&mut out, options, 1);
        } else {
            out.push_str("You need one of the following:\n");
            render_alternatives(&mut out, options, 1);
        }
    } else if requirements.is_empty() {
        out.push_str("This role has no requirements.\n");
    } else {
        out.push_str("You need all of the following:\n");
        render_items(&mut out, requirements, 1);
    }
    if !explanation.notes.is_empty() {
        out.push_str("\nNotes:\n");
        for note in &explanation.notes {
            out.push_str(&wrap(&format!("- {note}"), 2, 2));
        }
    }
    out.push_str("\nSources:\n");
    render_sources(&mut out, &explanation.sources, 1, "- ");
    out
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

fn render_items(out: &mut String, items: &[Item], depth: usize) {
    for item in items {
        render_item(out, item, depth);
    }
}

fn render_item(out: &mut String, item: &Item, depth: usize) {
    let pad = indent(depth);
    match item {
        Item::Condition { text, .. } => out.push_str(&format!("{pad}• {text}\n")),
        Item::OneOf { options } => {
            out.push_str(&format!("{pad}• one of:\n"));
            if options.iter().any(|o| o.route.is_some()) {
                render_options(out, options, depth + 1);
            } else {
                render_alternatives(out, options, depth + 1);
            }
        }
        Item::AtLeast { count, of } if *count == of.len() => {
            out.push_str(&format!("{pad}• all of:\n"));
            render_items(out, of, depth + 1);
        }
        Item::AtLeast { count, of } => {
            out.push_str(&format!("{pad}• at least {count} of:\n"));
            render_items(out, of, depth + 1);
        }
        Item::Not { item } => match item.as_ref() {
            Item::Condition { text, .. } => out.push_str(&format!("{pad}• not {text}\n")),
            other => {
                out.push_str(&format!("{pad}• none of this:\n"));
                render_item(out, other, depth + 1);
            }
        },
        Item::If {
            condition,
            negated,
            then,
            otherwise,
        } => {
            let word = if *negated { "unless" } else { "if" };
            out.push_str(&format!("{pad}• {word} {condition}:\n"));
            render_items(out, then, depth + 1);
            if !otherwise.is_empty() {
                out.push_str(&format!("{pad}• otherwise:\n"));
                render_items(out, otherwise, depth + 1);
            }
        }
        Item::AsOf { date, items } => {
            out.push_str(&format!("{pad}• on {date}, all of:\n"));
            render_items(out, items, depth + 1);
        }
    }
}

fn render_options(out: &mut String, options: &[Choice], depth: usize) {
    let pad = indent(depth);
    for option in options {
        let mut header = format!("{pad}{}", option.label);
        match (&option.route, &option.cite) {
            (Some(route), Some(cite)) => header.push_str(&format!(" (route {route}, {cite})")),
            (Some(route), None) => header.push_str(&format!(" (route {route})")),
            _ => {}
        }
        if let Some(in_force) = &option.in_force {
            header.push_str(&format!(", {in_force}"));
        }
        if !option.open {
            header.push_str(" — does not qualify anyone today");
        }
        out.push_str(&format!("{header}:\n"));
        if let Some(description) = &option.description {
            out.push_str(&wrap(description, depth * 2 + 2, 0));
        }
        render_items(out, &option.requirements, depth + 1);
        for note in &option.notes {
            out.push_str(&wrap(&format!("note: {note}"), depth * 2 + 2, 6));
        }
        if !option.sources.is_empty() {
            render_sources(out, &option.sources, depth + 1, "source: ");
        }
    }
}

/// Unnamed alternatives: one bullet each (a group of conditions as "all of").
fn render_alternatives(out: &mut String, options: &[Choice], depth: usize) {
    for option in options {
        match option.requirements.as_slice() {
            [single] => render_item(out, single, depth),
            several => {
                out.push_str(&format!("{}• all of:\n", indent(depth)));
                render_items(out, several, depth + 1);
            }
        }
    }
}

fn render_sources(out: &mut String, sources: &[SourceEntry], depth: usize, bullet: &str) {
    let pad = indent(depth);
    for source in sources {
        let mut line = format!("{pad}{bullet}");
        if let Some(title) = &source.title {
            line.push_str(&format!("{title}: "));
        }
        line.push_str(&source.reference);
        match (source.trust, source.checked) {
            (Some(trust), Some(checked)) => {
                line.push_str(&format!(" [{trust}, checked {checked}]"))
            }
            (Some(trust), None) => line.push_str(&format!(" [{trust}]")),
            (None, Some(checked)) => line.push_str(&format!(" [checked {checked}]")),
            (None, None) => {}
        }
        out.push_str(&line);
        out.push('\n');
    }
}

/// Wraps prose at 80 columns: the first line indented by `indent`, the
/// others by `hang` more.
fn wrap(text: &str, indent: usize, hang: usize) -> String {
    let mut out = String::new();
    let mut line = " ".repeat(indent);
    let mut line_has_words = false;
    for word in text.split_whitespace() {
        if line_has_words && line.chars().count() + 1 + word.chars().count() > 80 {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(indent + hang);
            line_has_words = false;
        }
        if line_has_words {
            line.push(' ');
        }
        line.push_str(word);
        line_has_words = true;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// `explain --format json`: the explanation with the rule set's identity
/// after its fields.
pub fn explain_json(rule_set: &crate::ruleset::RuleSet, explanation: &Explanation) -> String {
    #[derive(serde::Serialize)]
    struct Document<'a> {
        #[serde(flatten)]
        explanation: &'a Explanation,
        rules: super::json::RulesInfo<'a>,
    }
    let document = Document {
        explanation,
        rules: super::json::RulesInfo::of(rule_set),
    };
    format!(
        "{}\n",
        serde_json::to_string_pretty(&document).unwrap_or_default()
    )
}

/// `eligo vocabulary`: the JSON document and the text, for `kinds`.
pub fn vocabulary_documents(
    rule_set: &crate::ruleset::RuleSet,
    kinds: &[crate::ruleset::VocabularyKind],
) -> (String, String) {
    let mut json = serde_json::Map::new();
    let mut text = String::new();
    for &kind in kinds {
        let Some(vocabulary) = rule_set.vocabularies.by_kind.get(&kind) else {
            text.push_str(&format!(
                "{}: no vocabulary; any value is compared as written\n\n",
                kind.keyword()
            ));
            continue;
        };
        let mut terms = Vec::new();
        text.push_str(&format!("{}:\n", kind.keyword()));
        for (canonical, written) in &vocabulary.terms {
            let mut aliases: Vec<&str> = vocabulary
                .lookup
                .iter()
                .filter(|(spelling, target)| *target == canonical && *spelling != canonical)
                .map(|(spelling, _)| spelling.as_str())
                .collect();
            aliases.sort_unstable();
            if aliases.is_empty() {
                text.push_str(&format!("  {written}\n"));
            } else {
                text.push_str(&format!("  {written}  (also: {})\n", aliases.join(", ")));
            }
            terms.push(serde_json::json!({ "term": written, "aliases": aliases }));
        }
        let groups: serde_json::Map<String, serde_json::Value> = vocabulary
            .groups
            .iter()
            .map(|(name, members)| (name.clone(), serde_json::json!(members)))
            .collect();
        for (name, members) in &vocabulary.groups {
            text.push_str(&format!("  group \"{name}\": {}\n", members.join(", ")));
        }
        text.push('\n');
        json.insert(
            kind.keyword().to_string(),
            serde_json::json!({ "terms": terms, "groups": groups }),
        );
    }
    (
        format!(
            "{}\n",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        ),
        text,
    )
}
