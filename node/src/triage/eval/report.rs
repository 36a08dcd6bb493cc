//! Figures over the evaluation set: per part and language, with the misses by name.

use std::collections::BTreeMap;
use std::fmt;

use super::super::{Triage, Urgency};
use super::{Case, GOAL_SENSITIVITY, GOAL_SPECIALTY_HIT, GOAL_SPECIFICITY, Language, Part};

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

    #[test]
    fn ratios_count_what_they_say() {
        let f = Figures {
            cases: 10,
            emergencies: 4,
            caught: 3,
            false_alarms: 1,
            urgency_right: 7,
            specialty_hits: 9,
            misses: Vec::new(),
        };
        assert_eq!(f.sensitivity(), 0.75);
        assert_eq!(f.specificity(), 5.0 / 6.0);
        assert_eq!(f.urgency_accuracy(), 0.7);
        assert_eq!(f.specialty_hit_rate(), 0.9);
        assert_eq!(Figures::default().sensitivity(), 1.0);
    }
}
