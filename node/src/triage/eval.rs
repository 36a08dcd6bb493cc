//! The labelled evaluation set (`data/triage_eval.txt`) and the figures `caremesh triage eval`
//! prints: emergency sensitivity, specificity, urgency accuracy and specialty hit rate, for
//! the development and the held-out part, per language, with the misses by name.
//!
//! The split is fixed by the case ids, not chosen after looking: a case is held out when the
//! FNV-1a hash of its scenario (the id without the language prefix) is divisible by three,
//! so a case and its translations always land in the same part.

mod report;

use std::collections::BTreeSet;

pub use report::{Figures, Miss, Printed, Report, Shortfall, evaluate};

use super::{Urgency, is_specialty};

/// The evaluation set shipped with the node.
pub const BUILTIN_EVAL: &str = include_str!("../../data/triage_eval.txt");

/// Goal on the held-out part, in every language: emergencies recognised as emergencies.
pub const GOAL_SENSITIVITY: f64 = 0.98;
/// Goal on the held-out part: non-emergencies not called emergencies.
pub const GOAL_SPECIFICITY: f64 = 0.90;
/// Goal on the held-out part: the first specialty is an acceptable one.
pub const GOAL_SPECIALTY_HIT: f64 = 0.85;

/// The language and script a case is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    /// English.
    En,
    /// Hindi in Devanagari.
    Hi,
    /// Hindi in Latin letters.
    Hinglish,
}

impl Language {
    /// Every language of the set, in report order.
    pub const ALL: [Language; 3] = [Language::En, Language::Hi, Language::Hinglish];

    /// The tag used in the file and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Hi => "hi",
            Language::Hinglish => "hinglish",
        }
    }

    fn parse(text: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.as_str() == text)
    }
}

/// The part of the set a case belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// Rules are written against these cases.
    Development,
    /// Only measured, never tuned on.
    HeldOut,
}

impl std::str::FromStr for Part {
    type Err = String;

    fn from_str(text: &str) -> Result<Part, String> {
        [Part::Development, Part::HeldOut]
            .into_iter()
            .find(|p| p.as_str() == text)
            .ok_or_else(|| format!("`{text}` is not dev or held-out"))
    }
}

impl Part {
    /// The name used in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Development => "dev",
            Part::HeldOut => "held-out",
        }
    }
}

/// One labelled case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// `<lang>-<scenario>`, unique.
    pub id: String,
    /// Language and script of `text`.
    pub language: Language,
    /// The urgency the case should get.
    pub urgency: Urgency,
    /// Acceptable first specialties.
    pub specialties: Vec<String>,
    /// What the person typed.
    pub text: String,
    /// The public source the label follows.
    pub source: String,
    /// Set for cases after a `## part: dev` line: written after the rules, development
    /// whatever their hash.
    pub pinned: Option<Part>,
}

impl Case {
    /// The id without its language prefix, shared by translations of one scenario.
    pub fn scenario(&self) -> &str {
        self.id.split_once('-').map_or(self.id.as_str(), |(_, s)| s)
    }

    /// The part this case belongs to, fixed by its scenario.
    pub fn part(&self) -> Part {
        if let Some(part) = self.pinned {
            return part;
        }
        if fnv1a(self.scenario()).is_multiple_of(3) {
            Part::HeldOut
        } else {
            Part::Development
        }
    }
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// An evaluation file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("evaluation set line {line}: `{field}` {problem}")]
pub struct EvalError {
    /// 1-based line number.
    pub line: usize,
    /// The column at fault.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

/// Parses and checks an evaluation file (format in its header).
pub fn parse(text: &str) -> Result<Vec<Case>, EvalError> {
    let mut cases = Vec::new();
    let mut ids = BTreeSet::new();
    let mut source = String::new();
    let mut pinned = None;
    for (n, line) in text.lines().enumerate() {
        let at = |field, problem: String| EvalError {
            line: n + 1,
            field,
            problem,
        };
        let line = line.trim();
        if let Some(s) = line.strip_prefix("## source:") {
            source = s.trim().to_owned();
            continue;
        }
        if let Some(p) = line.strip_prefix("## part:") {
            // Only development can be pinned: a case written after the rules is never
            // held out.
            if p.trim() != Part::Development.as_str() {
                return Err(at("part", format!("`{}` can only be dev", p.trim())));
            }
            pinned = Some(Part::Development);
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut case = parse_case(line, &source).map_err(|(field, problem)| at(field, problem))?;
        case.pinned = pinned;
        if !ids.insert(case.id.clone()) {
            return Err(at("id", format!("`{}` is used twice", case.id)));
        }
        cases.push(case);
    }
    Ok(cases)
}

fn parse_case(line: &str, source: &str) -> Result<Case, (&'static str, String)> {
    let fields: Vec<&str> = line.splitn(5, '|').map(str::trim).collect();
    let [id, lang, urgency, specialties, text] = fields[..] else {
        return Err((
            "line",
            "needs 5 fields: id | lang | urgency | specialties | text".into(),
        ));
    };
    let language = Language::parse(lang)
        .ok_or_else(|| ("lang", format!("`{lang}` is not en, hi or hinglish")))?;
    if !id.starts_with(&format!("{lang}-")) || id.len() <= lang.len() + 1 {
        return Err(("id", format!("`{id}` must be `{lang}-<scenario>`")));
    }
    let urgency = Urgency::parse(urgency).ok_or_else(|| {
        (
            "urgency",
            format!("`{urgency}` is not emergency, urgent, routine or self_care"),
        )
    })?;
    let specialties: Vec<String> = specialties
        .split(',')
        .map(|s| s.trim().to_owned())
        .collect();
    if let Some(bad) = specialties.iter().find(|s| !is_specialty(s)) {
        return Err(("specialties", format!("`{bad}` is not in the vocabulary")));
    }
    if text.is_empty() {
        return Err(("text", "is empty".into()));
    }
    if source.is_empty() {
        return Err(("source", "no `## source:` line before this case".into()));
    }
    Ok(Case {
        id: id.to_owned(),
        language,
        urgency,
        specialties,
        text: text.to_owned(),
        source: source.to_owned(),
        pinned: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Vec<Case> {
        match parse(BUILTIN_EVAL) {
            Ok(cases) => cases,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn the_set_is_large_and_a_third_each_hindi_and_hinglish() {
        let cases = builtin();
        assert!(cases.len() >= 300, "{} cases", cases.len());
        for language in [Language::Hi, Language::Hinglish] {
            let n = cases.iter().filter(|c| c.language == language).count();
            assert!(n * 3 >= cases.len(), "{language:?}: {n} of {}", cases.len());
        }
        for urgency in Urgency::ALL {
            assert!(
                cases.iter().any(|c| c.urgency == urgency),
                "no {urgency:?} case"
            );
        }
        let held = cases.iter().filter(|c| c.part() == Part::HeldOut).count();
        assert!(held * 5 >= cases.len() && held * 2 <= cases.len(), "{held}");
    }

    /// The guard against quiet regressions: a rule change that loses an emergency anywhere
    /// in the set, in any language, fails here.
    #[test]
    fn emergency_sensitivity_on_the_whole_set_meets_the_goal() {
        let triage = match super::super::Triage::builtin() {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        let report = evaluate(&triage, &builtin());
        for language in [
            None,
            Some(Language::En),
            Some(Language::Hi),
            Some(Language::Hinglish),
        ] {
            let f = report.figures(None, language);
            let missed: Vec<&str> = f
                .misses
                .iter()
                .filter(|m| m.shortfall == Shortfall::MissedEmergency)
                .map(|m| m.id.as_str())
                .collect();
            assert!(
                f.sensitivity() >= GOAL_SENSITIVITY,
                "{language:?}: sensitivity {:.3}, missed {missed:?}",
                f.sensitivity()
            );
            assert!(
                f.specificity() >= GOAL_SPECIFICITY,
                "{language:?}: specificity {:.3}",
                f.specificity()
            );
        }
    }

    #[test]
    fn translations_share_their_part() {
        let cases = builtin();
        for c in &cases {
            for other in cases.iter().filter(|o| o.scenario() == c.scenario()) {
                assert_eq!(c.part(), other.part(), "{} / {}", c.id, other.id);
            }
        }
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn bad_lines_name_their_line_and_field() {
        let head = "## source: x\n";
        let check = |line: &str, field: &str| match parse(&format!("{head}{line}\n")) {
            Err(e) => assert_eq!((e.line, e.field), (2, field), "{line}: {e}"),
            Ok(_) => panic!("accepted {line}"),
        };
        check("en-a | en | emergency | emergency_medicine", "line");
        check("en-a | xx | emergency | emergency_medicine | t", "lang");
        check("hi-a | en | emergency | emergency_medicine | t", "id");
        check("en-a | en | soon | emergency_medicine | t", "urgency");
        check("en-a | en | routine | heart | t", "specialties");
        check("en-a | en | routine | cardiology | ", "text");
        let twice = format!("{head}en-a | en | routine | ent | t\nen-a | en | routine | ent | u\n");
        assert!(matches!(parse(&twice), Err(EvalError { line: 3, .. })));
        let pinned = parse(&format!(
            "{head}## part: dev\nen-zz | en | routine | ent | t\n"
        ));
        assert!(matches!(&pinned, Ok(c) if c[0].part() == Part::Development));
        assert!(matches!(
            parse("## part: held-out\n"),
            Err(EvalError { field: "part", .. })
        ));
        let unsourced = parse("en-a | en | routine | ent | t");
        assert!(matches!(
            unsourced,
            Err(EvalError {
                field: "source",
                ..
            })
        ));
    }
}
