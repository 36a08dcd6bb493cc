//! The triage rules file: its TOML shape, the specialty vocabulary it may use, and the
//! checks that turn reviewed data into [`Rule`]s with compiled patterns.
//!
//! A pattern is written in lexicon concepts: `chest + pain|pressure` (each `+` term near the
//! others, in one sentence, in any order; `|` for alternatives), `&` for another group that
//! may be anywhere in the text (`neck + stiff & fever`), and `!concept` for a concept that
//! must not occur. Red flags may not use `!`: other words never switch off a danger sign,
//! only a negation of the sign itself does.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::lexicon::Lexicon;
use super::question::{Question, RawQuestion};
use super::scan::Pattern;
use super::{TriageError, Urgency};
use crate::specialties::is_specialty;

/// The rules file format this code reads.
pub const RULES_VERSION: u32 = 2;

/// One checked rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier, reported in assessments.
    pub id: String,
    /// What the rule recognises, in English and Hindi (required for red flags).
    pub name: Option<(String, String)>,
    /// Patterns as written in the file; any one fires the rule.
    pub when: Vec<String>,
    /// Vocabulary slugs, most relevant first.
    pub specialties: Vec<String>,
    /// How soon care is needed when this rule fires.
    pub urgency: Urgency,
    /// The public reference the rule was reviewed against.
    pub source: String,
    /// A danger sign that needs care at once.
    pub red_flag: bool,
    /// Counts only beside another rule (a newborn, a pregnancy): it then lifts the urgency
    /// to at least its own and adds its specialties.
    pub modifier: bool,
    /// Rules this more specific one replaces when both fire (never red flags).
    pub overrides: Vec<String>,
    /// Extra advice in English and Hindi, shown when the rule fires.
    pub advice: Option<(String, String)>,
    /// Texts that must fire the rule (checked by the tests).
    pub examples: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: u32,
    #[serde(rename = "rule", default)]
    rules: Vec<RawRule>,
    #[serde(rename = "question", default)]
    questions: Vec<RawQuestion>,
}

/// A checked rules file.
pub(crate) struct Parsed {
    pub rules: Vec<Rule>,
    /// The compiled patterns of each rule, by rule index.
    pub patterns: Vec<Vec<Pattern>>,
    pub questions: Vec<Question>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    name_en: Option<String>,
    name_hi: Option<String>,
    #[serde(default)]
    when: Vec<String>,
    #[serde(default)]
    specialties: Vec<String>,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    red_flag: bool,
    #[serde(default)]
    modifier: bool,
    #[serde(default)]
    overrides: Vec<String>,
    advice_en: Option<String>,
    advice_hi: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
}

pub(crate) fn invalid(rule: &str, field: &'static str, problem: impl Into<String>) -> TriageError {
    TriageError::Rule {
        rule: rule.to_owned(),
        field,
        problem: problem.into(),
    }
}

/// Parses and checks a rules file against `lexicon`.
pub(crate) fn parse(text: &str, lexicon: &Lexicon) -> Result<Parsed, TriageError> {
    let raw: RawFile = toml::from_str(text).map_err(|source| TriageError::Parse { source })?;
    if raw.version != RULES_VERSION {
        return Err(TriageError::Version {
            found: raw.version,
            expected: RULES_VERSION,
        });
    }
    if raw.rules.is_empty() {
        return Err(TriageError::Empty);
    }
    let mut ids = BTreeSet::new();
    let mut rules = Vec::with_capacity(raw.rules.len());
    let mut patterns = Vec::with_capacity(raw.rules.len());
    for r in raw.rules {
        let rule = check(r)?;
        if !ids.insert(rule.id.clone()) {
            return Err(invalid(&rule.id, "id", "is used by another rule"));
        }
        let compiled = rule
            .when
            .iter()
            .map(|p| compile(&rule.id, rule.red_flag, p, lexicon))
            .collect::<Result<Vec<_>, _>>()?;
        patterns.push(compiled);
        rules.push(rule);
    }
    check_overrides(&rules)?;
    let questions = raw
        .questions
        .into_iter()
        .map(|q| q.check(lexicon))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Parsed {
        rules,
        patterns,
        questions,
    })
}

fn check_overrides(rules: &[Rule]) -> Result<(), TriageError> {
    for rule in rules {
        for other in &rule.overrides {
            let problem = match rules.iter().find(|r| r.id == *other) {
                None => format!("`{other}` is not a rule"),
                Some(r) if r.red_flag => {
                    format!("`{other}` is a red flag and cannot be overridden")
                }
                Some(r) if r.id == rule.id => "names the rule itself".to_owned(),
                Some(_) => continue,
            };
            return Err(invalid(&rule.id, "overrides", problem));
        }
    }
    Ok(())
}

/// Compiles one pattern of rule (or question) `id`: `a + b|c & d & !e`.
pub(crate) fn compile(
    id: &str,
    red_flag: bool,
    text: &str,
    lexicon: &Lexicon,
) -> Result<Pattern, TriageError> {
    let concept = |name: &str| {
        lexicon.concept(name.trim()).ok_or_else(|| {
            invalid(
                id,
                "when",
                format!("`{}` in `{text}` is not a concept", name.trim()),
            )
        })
    };
    let mut pattern = Pattern {
        groups: Vec::new(),
        absent: Vec::new(),
    };
    for part in text.split('&').map(str::trim) {
        if let Some(names) = part.strip_prefix('!') {
            if red_flag {
                let problem = format!("`{text}`: a red flag cannot be switched off by `!`");
                return Err(invalid(id, "when", problem));
            }
            for name in names.split('|') {
                pattern.absent.push(concept(name)?);
            }
            continue;
        }
        let mut group = Vec::new();
        for term in part.split('+') {
            let alternatives = term
                .split('|')
                .map(concept)
                .collect::<Result<Vec<_>, _>>()?;
            group.push(alternatives);
        }
        pattern.groups.push(group);
    }
    if pattern.groups.is_empty() {
        return Err(invalid(
            id,
            "when",
            format!("`{text}` has no concept to look for"),
        ));
    }
    Ok(pattern)
}

fn check(r: RawRule) -> Result<Rule, TriageError> {
    let id = r.id.trim().to_owned();
    if !caremesh_federation::object::is_slug(&id) {
        return Err(invalid(&r.id, "id", "must be a slug (a-z, 0-9, `_`, `-`)"));
    }
    if r.when.is_empty() {
        return Err(invalid(&id, "when", "is empty"));
    }
    check_specialties(&id, &r.specialties)?;
    let urgency = Urgency::parse(&r.urgency).ok_or_else(|| {
        invalid(
            &id,
            "urgency",
            format!(
                "`{}` is not emergency, urgent, routine or self_care",
                r.urgency
            ),
        )
    })?;
    if r.source.trim().is_empty() {
        return Err(invalid(
            &id,
            "source",
            "is empty: cite the public reference",
        ));
    }
    check_flag(&id, &r, urgency)?;
    let advice = pair(&id, "advice_en", r.advice_en, r.advice_hi)?;
    let name = pair(&id, "name_en", r.name_en, r.name_hi)?;
    if r.red_flag && name.is_none() {
        return Err(invalid(
            &id,
            "name_en",
            "a red flag needs name_en and name_hi",
        ));
    }
    if r.examples.is_empty() {
        return Err(invalid(
            &id,
            "examples",
            "is empty: give texts that must fire the rule",
        ));
    }
    Ok(Rule {
        id,
        name,
        when: r.when,
        specialties: r.specialties,
        urgency,
        source: r.source,
        red_flag: r.red_flag,
        modifier: r.modifier,
        overrides: r.overrides,
        advice,
        examples: r.examples,
    })
}

/// A red flag is urgent or more, and stands alone.
fn check_flag(id: &str, r: &RawRule, urgency: Urgency) -> Result<(), TriageError> {
    if r.red_flag && urgency <= Urgency::Routine {
        return Err(invalid(
            id,
            "urgency",
            "a red flag cannot be routine or self_care",
        ));
    }
    if r.red_flag && (r.modifier || !r.overrides.is_empty()) {
        return Err(invalid(
            id,
            "red_flag",
            "a red flag stands alone: no modifier, no overrides",
        ));
    }
    Ok(())
}

/// An English text and its Hindi twin: both or neither, both non-empty.
pub(crate) fn pair(
    id: &str,
    field: &'static str,
    en: Option<String>,
    hi: Option<String>,
) -> Result<Option<(String, String)>, TriageError> {
    match (en, hi) {
        (None, None) => Ok(None),
        (Some(en), Some(hi)) if !en.trim().is_empty() && !hi.trim().is_empty() => {
            Ok(Some((en, hi)))
        }
        _ => Err(invalid(
            id,
            field,
            "needs its Hindi twin (`_hi`) beside it, both non-empty",
        )),
    }
}

fn check_specialties(id: &str, specialties: &[String]) -> Result<(), TriageError> {
    if specialties.is_empty() {
        return Err(invalid(id, "specialties", "is empty"));
    }
    let mut seen = BTreeSet::new();
    for slug in specialties {
        if !is_specialty(slug) {
            return Err(invalid(
                id,
                "specialties",
                format!("`{slug}` is not in the vocabulary"),
            ));
        }
        if !seen.insert(slug) {
            return Err(invalid(id, "specialties", format!("lists `{slug}` twice")));
        }
    }
    Ok(())
}
