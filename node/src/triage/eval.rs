//! The labelled evaluation set (`data/triage_eval.txt`) and the figures `caremesh triage eval`
//! prints: emergency sensitivity, specificity, urgency accuracy and specialty hit rate, for
//! the development and the held-out part, per language, with the misses by name.
//!
//! The split is fixed by the case ids, not chosen after looking: a case is held out when the
//! FNV-1a hash of its scenario (the id without the language prefix) is divisible by three,
//! so a case and its translations always land in the same part.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::{Triage, Urgency, is_specialty};

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
}

impl Case {
    /// The id without its language prefix, shared by translations of one scenario.
    pub fn scenario(&self) -> &str {
        self.id.split_once('-').map_or(self.id.as_str(), |(_, s)| s)
    }

    /// The part this case belongs to, fixed by its scenario.
    pub fn part(&self) -> Part {
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
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let case = parse_case(line, &source).map_err(|(field, problem)| at(field, problem))?;
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
    })
}

/// How an answer fell short of its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shortfall {
    /// An emergency not called one: the miss that matters most.
    MissedEmergency,
    /// A non-emergency called an emergency.
    FalseAlarm,
    /// Another urgency than the label (both sides of the emergency line agree).
    Urgency,
    /// The first specialty is not an acceptable one.
    Specialty,
}

impl Shortfall {
    fn as_str(self) -> &'static str {
        match self {
            Shortfall::MissedEmergency => "missed emergency",
            Shortfall::FalseAlarm => "false alarm",
            Shortfall::Urgency => "urgency",
            Shortfall::Specialty => "specialty",
        }
    }
}

/// One case the rules got wrong, and what they did say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    pub id: String,
    pub shortfall: Shortfall,
    pub expected: Urgency,
    pub got: Urgency,
    pub first_specialty: String,
    pub fired: Vec<String>,
}

/// Counts over a group of cases.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub cases: usize,
    pub emergencies: usize,
    /// Emergencies answered as emergencies.
    pub caught: usize,
    /// Non-emergencies answered as emergencies.
    pub false_alarms: usize,
    pub urgency_right: usize,
    pub specialty_hits: usize,
    pub misses: Vec<Miss>,
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

impl Figures {
    /// Emergencies recognised, over emergencies.
    pub fn sensitivity(&self) -> f64 {
        ratio(self.caught, self.emergencies)
    }

    /// Non-emergencies not called emergencies, over non-emergencies.
    pub fn specificity(&self) -> f64 {
        let others = self.cases - self.emergencies;
        ratio(others - self.false_alarms, others)
    }

    /// Exact urgency, over cases.
    pub fn urgency_accuracy(&self) -> f64 {
        ratio(self.urgency_right, self.cases)
    }

    /// Acceptable first specialty, over cases.
    pub fn specialty_hit_rate(&self) -> f64 {
        ratio(self.specialty_hits, self.cases)
    }

    fn add(&mut self, case: &Case, triage: &Triage) {
        let a = triage.assess(&case.text);
        let first = a.specialties.first().cloned().unwrap_or_default();
        let expected_emergency = case.urgency == Urgency::Emergency;
        let got_emergency = a.urgency == Urgency::Emergency;
        self.cases += 1;
        self.emergencies += usize::from(expected_emergency);
        self.caught += usize::from(expected_emergency && got_emergency);
        self.false_alarms += usize::from(!expected_emergency && got_emergency);
        self.urgency_right += usize::from(a.urgency == case.urgency);
        let hit = case.specialties.contains(&first);
        self.specialty_hits += usize::from(hit);
        let shortfall = match (expected_emergency, got_emergency) {
            (true, false) => Some(Shortfall::MissedEmergency),
            (false, true) => Some(Shortfall::FalseAlarm),
            _ if a.urgency != case.urgency => Some(Shortfall::Urgency),
            _ if !hit => Some(Shortfall::Specialty),
            _ => None,
        };
        if let Some(shortfall) = shortfall {
            self.misses.push(Miss {
                id: case.id.clone(),
                shortfall,
                expected: case.urgency,
                got: a.urgency,
                first_specialty: first,
                fired: a.matched,
            });
        }
    }
}

/// Figures per part (`None`: the whole set) and language (`None`: all languages).
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub groups: BTreeMap<(Option<Part>, Option<Language>), Figures>,
}

impl Report {
    /// The figures of one group (empty figures if the set has no such case).
    pub fn figures(&self, part: Option<Part>, language: Option<Language>) -> Figures {
        self.groups
            .get(&(part, language))
            .cloned()
            .unwrap_or_default()
    }

    /// The held-out goals that are not met, in words; empty when all are.
    pub fn unmet_goals(&self) -> Vec<String> {
        let mut unmet = Vec::new();
        let held = Some(Part::HeldOut);
        for language in Language::ALL {
            let s = self.figures(held, Some(language)).sensitivity();
            if s < GOAL_SENSITIVITY {
                unmet.push(format!(
                    "held-out {} emergency sensitivity {s:.3} < {GOAL_SENSITIVITY}",
                    language.as_str()
                ));
            }
        }
        let all = self.figures(held, None);
        if all.specificity() < GOAL_SPECIFICITY {
            unmet.push(format!(
                "held-out specificity {:.3} < {GOAL_SPECIFICITY}",
                all.specificity()
            ));
        }
        if all.specialty_hit_rate() < GOAL_SPECIALTY_HIT {
            unmet.push(format!(
                "held-out specialty hit {:.3} < {GOAL_SPECIALTY_HIT}",
                all.specialty_hit_rate()
            ));
        }
        unmet
    }
}

/// Runs every case through `triage`.
pub fn evaluate(triage: &Triage, cases: &[Case]) -> Report {
    let mut report = Report::default();
    for case in cases {
        for part in [None, Some(case.part())] {
            for language in [None, Some(case.language)] {
                report
                    .groups
                    .entry((part, language))
                    .or_default()
                    .add(case, triage);
            }
        }
    }
    report
}

/// The report as text; `misses_of` limits the misses listed to one part (`None`: both).
pub struct Printed<'a> {
    pub report: &'a Report,
    pub misses_of: Option<Part>,
}

fn part_name(part: Option<Part>) -> &'static str {
    part.map_or("whole", Part::as_str)
}

impl fmt::Display for Printed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<9} {:<9} {:>5} {:>5}  {:<18} {:<18} {:<18} {:<18}",
            "part",
            "language",
            "cases",
            "emerg",
            "sensitivity",
            "specificity",
            "urgency accuracy",
            "specialty hit"
        )?;
        for ((part, language), g) in &self.report.groups {
            let others = g.cases - g.emergencies;
            let cell = |r: f64, a: usize, b: usize| format!("{r:.3} ({a}/{b})");
            writeln!(
                f,
                "{:<9} {:<9} {:>5} {:>5}  {:<18} {:<18} {:<18} {:<18}",
                part_name(*part),
                language.map_or("all", Language::as_str),
                g.cases,
                g.emergencies,
                cell(g.sensitivity(), g.caught, g.emergencies),
                cell(g.specificity(), others - g.false_alarms, others),
                cell(g.urgency_accuracy(), g.urgency_right, g.cases),
                cell(g.specialty_hit_rate(), g.specialty_hits, g.cases),
            )?;
        }
        for part in [Part::Development, Part::HeldOut] {
            if self.misses_of.is_some_and(|p| p != part) {
                continue;
            }
            let mut misses = self.report.figures(Some(part), None).misses;
            misses.sort_by(|a, b| (a.shortfall, &a.id).cmp(&(b.shortfall, &b.id)));
            writeln!(f, "\n{} misses ({}):", part.as_str(), misses.len())?;
            for m in misses {
                writeln!(
                    f,
                    "  {:<16} {:<22} expected {}, got {} / {}; fired: {}",
                    m.shortfall.as_str(),
                    m.id,
                    m.expected.as_str(),
                    m.got.as_str(),
                    m.first_specialty,
                    if m.fired.is_empty() {
                        "-".to_owned()
                    } else {
                        m.fired.join(", ")
                    }
                )?;
            }
        }
        let unmet = self.report.unmet_goals();
        if unmet.is_empty() {
            writeln!(f, "\nheld-out goals: met")
        } else {
            writeln!(f, "\nheld-out goals NOT met: {}", unmet.join("; "))
        }
    }
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
