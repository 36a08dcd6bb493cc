//! Ages and durations written with a number ("5 day old baby", "2 saal ka bachcha",
//! "fever for 4 days", "तीन हफ्ते से"): they become concepts the rules use (`newborn`,
//! `young_infant`, `baby`, `child`, `long_time`).

use super::lexicon::{ConceptId, Lexicon, Occurrence};
use super::normalize::{self, Token};

/// Number words, by the sound key of their spelling.
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("a", 1),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("ek", 1),
    ("do", 2),
    ("teen", 3),
    ("char", 4),
    ("chaar", 4),
    ("paanch", 5),
    ("panch", 5),
    ("chhe", 6),
    ("chhah", 6),
    ("saat", 7),
    ("aath", 8),
    ("nau", 9),
    ("das", 10),
    ("एक", 1),
    ("दो", 2),
    ("तीन", 3),
    ("चार", 4),
    ("पांच", 5),
    ("छह", 6),
    ("सात", 7),
    ("आठ", 8),
    ("नौ", 9),
    ("दस", 10),
];

/// Units of time and their length in days, by the sound key or English stem of a spelling.
const UNITS: &[(&str, u32)] = &[
    ("day", 1),
    ("days", 1),
    ("din", 1),
    ("दिन", 1),
    ("week", 7),
    ("weeks", 7),
    ("hafta", 7),
    ("hafte", 7),
    ("हफ्ता", 7),
    ("हफ्ते", 7),
    ("month", 30),
    ("months", 30),
    ("mahina", 30),
    ("mahine", 30),
    ("महीना", 30),
    ("महीने", 30),
    ("year", 365),
    ("years", 365),
    ("yr", 365),
    ("yrs", 365),
    ("saal", 365),
    ("baras", 365),
    ("साल", 365),
    ("वर्ष", 365),
];

/// Three days or more is a long time for an acute complaint (NHS: see a GP about a fever
/// or a cough that is not better after 3 days, or 3 weeks for a cough).
const LONG_DAYS: u32 = 3;

/// The concepts ages and durations become, and the ones that say "a child" after "ka".
#[derive(Clone, Debug)]
pub(crate) struct Quantities {
    numbers: Vec<(String, u32)>,
    units: Vec<(String, u32)>,
    newborn: ConceptId,
    young_infant: ConceptId,
    baby: ConceptId,
    child: ConceptId,
    kin: ConceptId,
    long_time: ConceptId,
}

/// Each spelling by its sound key and by its letters (English stems compare with those).
fn keyed(list: &[(&str, u32)]) -> Vec<(String, u32)> {
    list.iter()
        .flat_map(|(w, n)| {
            let sound = normalize::tokens(w).first().map(|t| t.sound.clone());
            [Some((*w).to_owned()), sound]
                .into_iter()
                .flatten()
                .map(move |k| (k, *n))
        })
        .collect()
}

impl Quantities {
    /// The concept missing from the lexicon, if one is.
    pub(crate) fn new(lexicon: &Lexicon) -> Result<Quantities, &'static str> {
        let id = |name: &'static str| lexicon.concept(name).ok_or(name);
        Ok(Quantities {
            numbers: keyed(NUMBER_WORDS),
            units: keyed(UNITS),
            newborn: id("newborn")?,
            young_infant: id("young_infant")?,
            baby: id("baby")?,
            child: id("child")?,
            kin: id("kin")?,
            long_time: id("long_time")?,
        })
    }

    fn number(&self, token: &Token) -> Option<u32> {
        if let Ok(n) = token.text.parse::<u32>() {
            return Some(n);
        }
        self.numbers
            .iter()
            .find(|(w, _)| *w == token.sound)
            .map(|(_, n)| *n)
    }

    fn unit(&self, token: &Token) -> Option<u32> {
        let stem = token.stem.as_deref();
        self.units
            .iter()
            .find(|(w, _)| *w == token.sound || *w == token.text || Some(w.as_str()) == stem)
            .map(|(_, d)| *d)
    }

    /// Ages and durations in `tokens`, given the concepts already `found` there.
    pub(crate) fn find(&self, tokens: &[Token], found: &[Occurrence]) -> Vec<Occurrence> {
        let mut out = Vec::new();
        for i in 0..tokens.len().saturating_sub(1) {
            let (Some(n), Some(days)) = (self.number(&tokens[i]), self.unit(&tokens[i + 1])) else {
                continue;
            };
            let age_end = self.age_end(tokens, found, i + 2);
            let total = n.saturating_mul(days);
            let concepts: &[ConceptId] = match age_end {
                Some(_) if total <= 28 => &[self.newborn, self.young_infant, self.baby, self.child],
                Some(_) if total < 90 => &[self.young_infant, self.baby, self.child],
                Some(_) if total < 365 => &[self.baby, self.child],
                Some(_) if total < 12 * 365 => &[self.child],
                Some(_) => &[],
                None if total >= LONG_DAYS => &[self.long_time],
                None => &[],
            };
            let end = age_end.unwrap_or(i + 2);
            out.extend(concepts.iter().map(|&concept| Occurrence {
                concept,
                start: i,
                end,
            }));
        }
        out
    }

    /// Where an age ends, if the words at `at` make the number an age: "old" (English), or
    /// "ka/ke/ki" and a word for a child ("2 saal ka bachcha").
    fn age_end(&self, tokens: &[Token], found: &[Occurrence], at: usize) -> Option<usize> {
        let next = tokens.get(at)?;
        if next.text == "old" {
            return Some(at + 1);
        }
        if !matches!(next.sound.as_str(), "ka" | "ke" | "ki") {
            return None;
        }
        let childish = [self.child, self.baby, self.newborn, self.kin];
        found
            .iter()
            .any(|o| o.start == at + 1 && childish.contains(&o.concept))
            .then_some(at + 1)
    }
}
