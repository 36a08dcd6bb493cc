//! Triage: from the symptoms a person types (English, Hindi, or Hindi in Latin letters) to
//! the specialties to look for, how urgent it is, and short advice.
//!
//! The rules are reviewed data in `data/triage_rules.toml`, embedded in the binary. Each rule
//! lists phrases; a phrase matches when its words appear in the text in order and on word
//! boundaries, after both are normalized the same way (see `normalize`). The highest urgency
//! among matched rules wins; when nothing matches the answer is general medicine, routine.
//! This is signposting, never a diagnosis.

mod advice;
pub mod eval;
mod normalize;
mod rules;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

pub use rules::{RULES_VERSION, Rule, SPECIALTIES, is_specialty};

/// The rules file shipped with the node.
const BUILTIN_RULES: &str = include_str!("../data/triage_rules.toml");

/// India's single emergency number, used by [`Triage::assess`].
pub const DEFAULT_EMERGENCY_NUMBER: &str = "112";

/// Longest input considered, in characters; the rest is ignored.
pub const MAX_SYMPTOMS_CHARS: usize = 50_000;

/// Words that mark romanized Hindi (Hinglish) and are not English words.
const HINGLISH_MARKERS: &[&str] = &[
    "hai", "hain", "mein", "ko", "ki", "ka", "ke", "nahi", "bahut", "dard", "bukhar", "mera",
    "meri", "mere", "raha", "rahi", "rahe", "gaya", "gayi", "ulti", "chakkar", "khoon", "saans",
    "seene", "pita", "mata", "bachcha", "bacche", "hoon", "aur", "se", "tez", "jalan", "ho", "ji",
    "gaye", "hua", "hui", "kya", "kuch", "abhi", "bhi", "mujhe", "usne", "liya", "kar", "tha",
    "thi", "behosh", "khansi", "sar", "kamar", "haath", "aankh", "kaan",
];

/// How soon care is needed. Ordered: `SelfCare < Routine < Urgent < Emergency`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Care at home or from a pharmacist; a doctor if it persists or gets worse.
    SelfCare,
    /// Book a visit.
    Routine,
    /// See a doctor today.
    Urgent,
    /// Call the emergency number or go to an emergency department now.
    Emergency,
}

impl Urgency {
    /// Every urgency, least urgent first.
    pub const ALL: [Urgency; 4] = [
        Urgency::SelfCare,
        Urgency::Routine,
        Urgency::Urgent,
        Urgency::Emergency,
    ];

    /// The name used in the rules file and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::SelfCare => "self_care",
            Urgency::Routine => "routine",
            Urgency::Urgent => "urgent",
            Urgency::Emergency => "emergency",
        }
    }

    /// The urgency named `text` (`self_care`, `routine`, `urgent`, `emergency`).
    pub fn parse(text: &str) -> Option<Urgency> {
        Urgency::ALL.into_iter().find(|u| u.as_str() == text)
    }

    fn weight(self) -> i32 {
        match self {
            Urgency::SelfCare => 1,
            Urgency::Routine => 1,
            Urgency::Urgent => 2,
            Urgency::Emergency => 3,
        }
    }
}

/// The language the symptoms were written in, and the advice is given in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English.
    En,
    /// Hindi, in Devanagari or in Latin letters.
    Hi,
}

/// The answer to a triage question. Serialized as
/// `{specialties, urgency, advice, red_flags, matched, disclaimer, language, emergency_number}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Specialty slugs to look for, most relevant first, without duplicates.
    pub specialties: Vec<String>,
    /// The highest urgency among matched rules.
    pub urgency: Urgency,
    /// Advice in the detected language.
    pub advice: String,
    /// Ids of matched rules that are red flags.
    pub red_flags: Vec<String>,
    /// Ids of all matched rules, in file order.
    pub matched: Vec<String>,
    /// Says that this is not a diagnosis.
    pub disclaimer: &'static str,
    /// The detected language.
    pub language: Lang,
    /// The emergency number the advice refers to.
    pub emergency_number: String,
}

/// A rules file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TriageError {
    /// The text is not TOML of the expected shape.
    #[error("triage rules are not valid: {source}")]
    Parse {
        #[source]
        source: toml::de::Error,
    },
    /// The file declares a format this code does not read.
    #[error("triage rules version {found} is not supported (expected {expected})")]
    Version { found: u32, expected: u32 },
    /// The file holds no rules.
    #[error("triage rules file has no [[rule]] entries")]
    Empty,
    /// One rule breaks a check.
    #[error("triage rule `{rule}`: field `{field}` {problem}")]
    Rule {
        rule: String,
        field: &'static str,
        problem: String,
    },
}

/// A phrase, as normalized tokens, and the rule it belongs to.
#[derive(Clone, Debug)]
struct Phrase {
    rule: usize,
    tokens: Vec<String>,
}

/// Loaded, checked rules with a lookup index. Build once and share.
#[derive(Clone, Debug)]
pub struct Triage {
    rules: Vec<Rule>,
    /// First token of a phrase → the phrases that start with it.
    index: HashMap<String, Vec<Phrase>>,
    markers: HashSet<String>,
}

impl Triage {
    /// The rules shipped with the node.
    pub fn builtin() -> Result<Triage, TriageError> {
        Triage::from_toml(BUILTIN_RULES)
    }

    /// Rules from TOML text, checked: every rule needs an id, phrases, specialties from the
    /// vocabulary, an urgency and a source.
    pub fn from_toml(text: &str) -> Result<Triage, TriageError> {
        let rules = rules::parse(text)?;
        let mut index: HashMap<String, Vec<Phrase>> = HashMap::new();
        for (i, rule) in rules.iter().enumerate() {
            for phrase in &rule.phrases {
                let tokens = normalize::tokens(phrase);
                if let Some(first) = tokens.first() {
                    index
                        .entry(first.clone())
                        .or_default()
                        .push(Phrase { rule: i, tokens });
                }
            }
        }
        let markers = HINGLISH_MARKERS
            .iter()
            .map(|m| normalize::fold(m))
            .collect();
        Ok(Triage {
            rules,
            index,
            markers,
        })
    }

    /// The loaded rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Assesses `symptoms`, with advice that names India's emergency number (112).
    pub fn assess(&self, symptoms: &str) -> Assessment {
        self.assess_with(symptoms, DEFAULT_EMERGENCY_NUMBER)
    }

    /// Assesses `symptoms`, with advice that names `emergency_number`.
    pub fn assess_with(&self, symptoms: &str, emergency_number: &str) -> Assessment {
        let text = match symptoms.char_indices().nth(MAX_SYMPTOMS_CHARS) {
            Some((cut, _)) => &symptoms[..cut],
            None => symptoms,
        };
        let tokens = normalize::tokens(text);
        let language = self.detect_language(text, &tokens);
        let hits = self.match_rules(&tokens);
        let matched: Vec<&Rule> = hits.iter().map(|&i| &self.rules[i]).collect();
        let (specialties, urgency) = if matched.is_empty() {
            (vec!["general_medicine".to_owned()], Urgency::Routine)
        } else {
            (
                rank_specialties(&matched),
                matched
                    .iter()
                    .map(|r| r.urgency)
                    .max()
                    .unwrap_or(Urgency::Routine),
            )
        };
        let advice = advice::compose(&advice::Context {
            language,
            urgency,
            specialties: &specialties,
            matched: &matched,
            emergency_number,
        });
        Assessment {
            red_flags: matched
                .iter()
                .filter(|r| r.red_flag)
                .map(|r| r.id.clone())
                .collect(),
            matched: matched.iter().map(|r| r.id.clone()).collect(),
            specialties,
            urgency,
            advice,
            disclaimer: advice::disclaimer(language),
            language,
            emergency_number: emergency_number.to_owned(),
        }
    }

    /// Indexes of the rules with at least one phrase in `tokens`, in file order.
    fn match_rules(&self, tokens: &[String]) -> Vec<usize> {
        let mut hit = vec![false; self.rules.len()];
        for (start, token) in tokens.iter().enumerate() {
            let Some(candidates) = self.index.get(token) else {
                continue;
            };
            let rest = &tokens[start..];
            for phrase in candidates {
                if rest.starts_with(&phrase.tokens) {
                    hit[phrase.rule] = true;
                }
            }
        }
        hit.iter()
            .enumerate()
            .filter(|(_, h)| **h)
            .map(|(i, _)| i)
            .collect()
    }

    /// Devanagari script wins; otherwise enough Hinglish marker words mean Hindi.
    fn detect_language(&self, text: &str, tokens: &[String]) -> Lang {
        let devanagari = text
            .chars()
            .filter(|&c| normalize::is_devanagari_letter(c))
            .count();
        let latin = text.chars().filter(char::is_ascii_alphabetic).count();
        if devanagari > 0 && devanagari >= latin {
            return Lang::Hi;
        }
        let markers = tokens.iter().filter(|t| self.markers.contains(*t)).count();
        if markers > 0 && markers * 4 >= tokens.len() {
            Lang::Hi
        } else {
            Lang::En
        }
    }
}

/// Orders specialties by a score: earlier in a rule's list and more urgent rules count more,
/// and a specialty named by several matched rules adds up. Ties keep first appearance.
fn rank_specialties(matched: &[&Rule]) -> Vec<String> {
    let mut scores: BTreeMap<&str, (i32, usize)> = BTreeMap::new();
    let mut order = 0;
    for rule in matched {
        for (pos, slug) in rule.specialties.iter().enumerate() {
            let rank = i32::try_from(pos.min(3)).unwrap_or(3);
            let entry = scores.entry(slug.as_str()).or_insert((0, order));
            entry.0 += rule.urgency.weight() * 4 - rank;
            order += 1;
        }
    }
    let mut ranked: Vec<(&str, (i32, usize))> = scores.into_iter().collect();
    ranked.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)));
    ranked
        .into_iter()
        .map(|(slug, _)| slug.to_owned())
        .collect()
}
