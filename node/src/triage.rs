//! Triage: from the symptoms a person types (English, Hindi, or Hindi in Latin letters) to
//! the specialties to look for, how urgent it is, and short advice.
//!
//! Two reviewed data files, embedded in the binary, drive it:
//! - `data/triage_lexicon.toml`: concepts (chest, pain, breath, newborn, "no"...) and the
//!   words that mean them in English, Hindi and Hinglish, matched after normalization
//!   (`normalize`: case, Unicode, stems, one sound key for both scripts and their spelling
//!   variants, forgiven typos);
//! - `data/triage_rules.toml`: rules written as concept patterns (`chest + pain`: near each
//!   other, in any order, whatever words sit between), each citing its public source.
//!
//! A negated sign does not count ("no chest pain"), a red flag elsewhere in the text still
//! does. The highest urgency among fired rules wins; modifiers (a newborn, a pregnancy) lift
//! it; when nothing fires the answer is general medicine, routine. Every answer lists the
//! rules that fired and those a negation ruled out. This is signposting, never a diagnosis.
//! `data/triage_eval.txt` measures it (see [`eval`]).

mod advice;
mod devanagari;
pub mod eval;
mod lexicon;
mod normalize;
mod quantities;
mod question;
mod reading;
mod rules;
mod scan;
#[cfg(test)]
mod tests;
mod typos;

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::specialties::is_specialty;
use lexicon::{ConceptId, Lexicon};
pub use question::FollowUp;
pub use rules::{RULES_VERSION, Rule};
use scan::{Pattern, Scan};

/// The rules file shipped with the node.
const BUILTIN_RULES: &str = include_str!("../data/triage_rules.toml");

/// The lexicon shipped with the node.
const BUILTIN_LEXICON: &str = include_str!("../data/triage_lexicon.toml");

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
    "thi", "behosh", "khansi", "sar", "kamar", "haath", "aankh", "kaan", "nhi", "nahin", "hu",
    "pe", "ne", "wo", "woh", "baad", "saath", "subah", "raat", "bohot", "bahot", "zyada", "jyada",
    "sans", "seena", "sine", "pet", "gayi", "ab", "lag", "laga", "wala", "wali", "chahiye",
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
            Urgency::SelfCare => 0,
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

/// The answer to a triage question. Serialized as `{specialties, urgency, advice,
/// red_flags, matched, ruled_out, disclaimer, language, emergency_number, follow_up?}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Specialty slugs to look for, most relevant first, without duplicates.
    pub specialties: Vec<String>,
    /// The highest urgency among fired rules.
    pub urgency: Urgency,
    /// Advice in the detected language, naming the danger signs found.
    pub advice: String,
    /// Ids of fired rules that are red flags.
    pub red_flags: Vec<String>,
    /// Ids of all fired rules, in file order.
    pub matched: Vec<String>,
    /// Ids of rules that would have fired but for a negation or a past marker ("no chest
    /// pain", "a stroke last year").
    pub ruled_out: Vec<String>,
    /// Says that this is not a diagnosis.
    pub disclaimer: &'static str,
    /// The detected language.
    pub language: Lang,
    /// The emergency number the advice refers to.
    pub emergency_number: String,
    /// One question to ask when the text leaves out what decides the urgency; never for
    /// an emergency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
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
    /// One lexicon concept breaks a check.
    #[error("triage lexicon concept `{concept}`: field `{field}` {problem}")]
    Concept {
        concept: String,
        field: &'static str,
        problem: String,
    },
    /// One rule breaks a check.
    #[error("triage rule `{rule}`: field `{field}` {problem}")]
    Rule {
        rule: String,
        field: &'static str,
        problem: String,
    },
}

/// Loaded, checked lexicon and rules. Build once and share.
#[derive(Clone, Debug)]
pub struct Triage {
    lexicon: Lexicon,
    quantities: quantities::Quantities,
    rules: Vec<Rule>,
    /// The compiled patterns of each rule, by rule index.
    patterns: Vec<Vec<Pattern>>,
    /// Indexes of the rules each rule overrides.
    overrides: Vec<Vec<usize>>,
    /// The concept a free negation word becomes.
    neg: ConceptId,
    /// Follow-up questions, in the order they are tried.
    questions: Vec<question::Question>,
    markers: HashSet<String>,
}

impl Triage {
    /// The lexicon and rules shipped with the node.
    pub fn builtin() -> Result<Triage, TriageError> {
        Triage::from_toml(BUILTIN_RULES, BUILTIN_LEXICON)
    }

    /// Rules and lexicon from TOML text, checked: every rule needs an id, patterns over
    /// lexicon concepts, specialties from the vocabulary, an urgency, a source and examples.
    pub fn from_toml(rules_text: &str, lexicon_text: &str) -> Result<Triage, TriageError> {
        let lexicon = Lexicon::from_toml(lexicon_text)?;
        let missing = |name: &str| TriageError::Concept {
            concept: name.to_owned(),
            field: "id",
            problem: "is required by the triage code but missing".to_owned(),
        };
        let quantities = quantities::Quantities::new(&lexicon).map_err(missing)?;
        let neg = lexicon.concept("neg").ok_or_else(|| missing("neg"))?;
        let rules::Parsed {
            rules,
            patterns,
            questions,
        } = rules::parse(rules_text, &lexicon)?;
        let overrides = rules
            .iter()
            .map(|r| {
                r.overrides
                    .iter()
                    .filter_map(|id| rules.iter().position(|o| o.id == *id))
                    .collect()
            })
            .collect();
        let markers = HINGLISH_MARKERS.iter().map(|m| (*m).to_owned()).collect();
        Ok(Triage {
            lexicon,
            quantities,
            rules,
            patterns,
            overrides,
            neg,
            questions,
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
        let read = self.read(text);
        let language = read.language;
        let (fired, ruled_out) = self.fire(&read.scan);
        let matched: Vec<&Rule> = fired.iter().map(|&i| &self.rules[i]).collect();
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
        let follow_up = (urgency < Urgency::Emergency)
            .then(|| {
                self.questions
                    .iter()
                    .find(|q| q.fits(&read.scan, matched.is_empty()))
            })
            .flatten()
            .map(|q| q.ask(language));
        Assessment {
            follow_up,
            red_flags: matched
                .iter()
                .filter(|r| r.red_flag)
                .map(|r| r.id.clone())
                .collect(),
            matched: matched.iter().map(|r| r.id.clone()).collect(),
            ruled_out: ruled_out
                .iter()
                .map(|&i| self.rules[i].id.clone())
                .collect(),
            specialties,
            urgency,
            advice,
            disclaimer: advice::disclaimer(language),
            language,
            emergency_number: emergency_number.to_owned(),
        }
    }

    /// The rules that fire (file order), and those only a negation kept from firing.
    /// Modifiers count only beside another rule; overridden rules drop out.
    fn fire(&self, scan: &Scan) -> (Vec<usize>, Vec<usize>) {
        let holds =
            |i: usize, cancelled: bool| self.patterns[i].iter().any(|p| scan.holds(p, cancelled));
        let mut fired: Vec<usize> = (0..self.rules.len()).filter(|&i| holds(i, false)).collect();
        if fired.iter().all(|&i| self.rules[i].modifier) {
            fired.clear();
        }
        let dropped: HashSet<usize> = fired
            .iter()
            .flat_map(|&i| self.overrides[i].iter().copied())
            .collect();
        fired.retain(|i| !dropped.contains(i));
        let ruled_out = if scan.any_cancelled() {
            (0..self.rules.len())
                .filter(|i| !fired.contains(i) && !dropped.contains(i) && holds(*i, true))
                .collect()
        } else {
            Vec::new()
        };
        (fired, ruled_out)
    }

    /// Devanagari script wins; otherwise enough Hinglish marker words mean Hindi.
    fn detect_language(&self, text: &str, tokens: &[normalize::Token]) -> Lang {
        let devanagari = text
            .chars()
            .filter(|&c| normalize::is_devanagari_letter(c))
            .count();
        let latin = text.chars().filter(char::is_ascii_alphabetic).count();
        if devanagari > 0 && devanagari >= latin {
            return Lang::Hi;
        }
        let markers = tokens
            .iter()
            .filter(|t| self.markers.contains(&t.text))
            .count();
        if markers > 0 && markers * 4 >= tokens.len() {
            Lang::Hi
        } else {
            Lang::En
        }
    }
}

/// Orders specialties by a score: earlier in a rule's list and more urgent rules count more,
/// and a specialty named by several fired rules adds up; red flags come before everything
/// else, so an emergency leads with the care it needs. Ties keep first appearance.
fn rank_specialties(matched: &[&Rule]) -> Vec<String> {
    let mut scores: BTreeMap<&str, (i32, usize)> = BTreeMap::new();
    let mut order = 0;
    for rule in matched {
        for (pos, slug) in rule.specialties.iter().enumerate() {
            let rank = i32::try_from(pos.min(3)).unwrap_or(3);
            let entry = scores.entry(slug.as_str()).or_insert((0, order));
            let flag = if rule.red_flag { 100 } else { 0 };
            entry.0 += flag + rule.urgency.weight() * 4 - rank;
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
