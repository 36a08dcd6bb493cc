//! The lexicon (`data/triage_lexicon.toml`): concepts, the words and phrases that mean them
//! in English, Hindi and Hinglish, and how a typed word finds its lexicon word (same stem,
//! same sound key, same consonants, or one typo away when nothing else is as close).

use std::collections::{BTreeSet, HashMap};

use serde::Deserialize;

use super::TriageError;
use super::normalize::{self, Token};
use super::typos::Typos;

/// Index of a concept in [`Lexicon::concepts`].
pub(crate) type ConceptId = usize;

/// The lexicon format this code reads.
const LEXICON_VERSION: u32 = 1;

/// Shortest consonant skeleton used to match a word whose vowels differ.
const SKELETON_MIN_LEN: usize = 4;

/// What a concept is, which decides how negation treats it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    Sign,
    Body,
    Person,
    Action,
    Quality,
    NegationBefore,
    NegationAfter,
    History,
    Boundary,
    Conjunction,
}

/// One concept.
#[derive(Clone, Debug)]
pub(crate) struct Concept {
    pub id: String,
    pub kind: Kind,
}

/// A concept found in the text, over tokens `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Occurrence {
    pub concept: ConceptId,
    pub start: usize,
    pub end: usize,
}

/// A phrase: the lexicon words in order, and the concepts it means.
#[derive(Clone, Debug)]
struct Phrase {
    words: Vec<usize>,
    concepts: Vec<ConceptId>,
}

/// Loaded concepts with their word indexes. Build once and share.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lexicon {
    pub concepts: Vec<Concept>,
    by_id: HashMap<String, ConceptId>,
    /// English word written `=word` in the file, matched as spelled, not by stem.
    exact: HashMap<String, usize>,
    /// English stem → lexicon word.
    stems: HashMap<String, usize>,
    /// Sound key → lexicon word.
    sounds: HashMap<String, usize>,
    /// Consonant skeleton → lexicon word, `None` when two words share it.
    skeletons: HashMap<String, Option<usize>>,
    /// English spellings and stems, for typos.
    typos: Typos,
    /// First lexicon word of a phrase → the phrases starting with it.
    phrases: HashMap<usize, Vec<Phrase>>,
    words: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: u32,
    #[serde(rename = "concept", default)]
    concepts: Vec<RawConcept>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    id: String,
    kind: Kind,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    hi: Vec<String>,
    #[serde(default)]
    implies: Vec<String>,
}

fn invalid(concept: &str, field: &'static str, problem: impl Into<String>) -> TriageError {
    TriageError::Concept {
        concept: concept.to_owned(),
        field,
        problem: problem.into(),
    }
}

/// Unique-or-ambiguous insertion for the loose indexes.
fn insert_loose(map: &mut HashMap<String, Option<usize>>, key: String, word: usize) {
    map.entry(key)
        .and_modify(|w| {
            if *w != Some(word) {
                *w = None;
            }
        })
        .or_insert(Some(word));
}

impl Lexicon {
    /// Parses and checks a lexicon file.
    pub(crate) fn from_toml(text: &str) -> Result<Lexicon, TriageError> {
        let raw: RawFile = toml::from_str(text).map_err(|source| TriageError::Parse { source })?;
        if raw.version != LEXICON_VERSION {
            return Err(TriageError::Version {
                found: raw.version,
                expected: LEXICON_VERSION,
            });
        }
        let mut lexicon = Lexicon::default();
        for c in &raw.concepts {
            if !caremesh_federation::object::is_slug(&c.id) {
                return Err(invalid(&c.id, "id", "must be a slug (a-z, 0-9, `_`, `-`)"));
            }
            let id = lexicon.concepts.len();
            if lexicon.by_id.insert(c.id.clone(), id).is_some() {
                return Err(invalid(&c.id, "id", "is used by another concept"));
            }
            lexicon.concepts.push(Concept {
                id: c.id.clone(),
                kind: c.kind,
            });
        }
        let mut phrases: HashMap<Vec<usize>, BTreeSet<ConceptId>> = HashMap::new();
        for c in &raw.concepts {
            let mut meant = vec![lexicon.by_id[&c.id]];
            for other in &c.implies {
                let id = lexicon.concept(other).ok_or_else(|| {
                    invalid(&c.id, "implies", format!("`{other}` is not a concept"))
                })?;
                meant.push(id);
            }
            if c.en.is_empty() && c.hi.is_empty() {
                return Err(invalid(&c.id, "en", "and `hi` are both empty"));
            }
            for (phrase, english) in
                c.en.iter()
                    .map(|p| (p, true))
                    .chain(c.hi.iter().map(|p| (p, false)))
            {
                let words = lexicon.add_phrase(phrase, english);
                if words.is_empty() {
                    return Err(invalid(
                        &c.id,
                        if english { "en" } else { "hi" },
                        format!("`{phrase}` has no words"),
                    ));
                }
                phrases
                    .entry(words)
                    .or_default()
                    .extend(meant.iter().copied());
            }
        }
        for (words, concepts) in phrases {
            lexicon.phrases.entry(words[0]).or_default().push(Phrase {
                words,
                concepts: concepts.into_iter().collect(),
            });
        }
        Ok(lexicon)
    }

    /// The id of the concept named `name`.
    pub(crate) fn concept(&self, name: &str) -> Option<ConceptId> {
        self.by_id.get(name).copied()
    }

    /// Registers the words of one phrase and returns their ids. An English phrase written
    /// `=words` is matched as spelled ("=burning" is not "burn").
    fn add_phrase(&mut self, phrase: &str, english: bool) -> Vec<usize> {
        if let Some(spelled) = phrase.strip_prefix('=').filter(|_| english) {
            let mut words = Vec::new();
            for t in normalize::tokens(spelled) {
                let word = match self.exact.get(&t.text) {
                    Some(&w) => w,
                    None => {
                        self.words += 1;
                        self.exact.insert(t.text, self.words - 1);
                        self.words - 1
                    }
                };
                words.push(word);
            }
            return words;
        }
        normalize::tokens(phrase)
            .iter()
            .map(|t| self.add_word(t, english))
            .collect()
    }

    fn add_word(&mut self, token: &Token, english: bool) -> usize {
        let existing = if english {
            token.stem.as_ref().and_then(|s| self.stems.get(s))
        } else {
            self.sounds.get(&token.sound)
        };
        let word = match existing {
            Some(&word) => word,
            None => self.new_word(token, english),
        };
        if english {
            self.typos.add(&token.text, word);
            if let Some(stem) = &token.stem {
                self.typos.add(stem, word);
            }
        }
        word
    }

    fn new_word(&mut self, token: &Token, english: bool) -> usize {
        let word = self.words;
        self.words += 1;
        if english {
            let stem = token.stem.clone().unwrap_or_else(|| token.text.clone());
            self.stems.insert(stem, word);
        } else {
            self.sounds.insert(token.sound.clone(), word);
            let skeleton = normalize::skeleton(&token.sound);
            if skeleton.chars().count() >= SKELETON_MIN_LEN {
                insert_loose(&mut self.skeletons, skeleton, word);
            }
        }
        word
    }

    /// The lexicon words a typed token may be: its English reading (spelling or stem) and
    /// its Hindi reading (sound key), the one the text's language suggests first ("pee" is
    /// "drink" in Hinglish, "urine" in English). Looser matches (same consonants, one typo)
    /// only when neither reading is a lexicon word.
    fn resolve(&self, token: &Token, hinglish: bool) -> [Option<usize>; 2] {
        let english = self
            .exact
            .get(&token.text)
            .or_else(|| token.stem.as_ref().and_then(|s| self.stems.get(s)))
            .copied();
        let hindi = self.sounds.get(&token.sound).copied();
        if english.is_some() || hindi.is_some() {
            return if hinglish {
                [hindi, english]
            } else {
                [english, hindi]
            };
        }
        let skeleton = normalize::skeleton(&token.sound);
        if skeleton.chars().count() >= SKELETON_MIN_LEN
            && let Some(&Some(w)) = self.skeletons.get(&skeleton)
        {
            return [Some(w), None];
        }
        [self.typo(token), None]
    }

    /// A lexicon word one typo away from the token, when exactly one is.
    fn typo(&self, token: &Token) -> Option<usize> {
        let latin = token.stem.is_some();
        let keys = [latin.then_some(token.text.as_str()), token.stem.as_deref()];
        self.typos.find(keys.into_iter().flatten())
    }

    /// The concepts in `tokens`: at each position the longest phrase that starts there.
    /// `hinglish`: the text is Hindi in Latin letters.
    pub(crate) fn find(&self, tokens: &[Token], hinglish: bool) -> Vec<Occurrence> {
        let words: Vec<[Option<usize>; 2]> =
            tokens.iter().map(|t| self.resolve(t, hinglish)).collect();
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            match self.longest_at(tokens, &words, i) {
                Some(p) => {
                    let end = i + p.words.len();
                    found.extend(p.concepts.iter().map(|&concept| Occurrence {
                        concept,
                        start: i,
                        end,
                    }));
                    i = end;
                }
                None => i += 1,
            }
        }
        found
    }

    /// The longest phrase starting at token `i`, within one sentence; between equally long
    /// ones, the one read the way the text's language suggests.
    fn longest_at(
        &self,
        tokens: &[Token],
        words: &[[Option<usize>; 2]],
        i: usize,
    ) -> Option<&Phrase> {
        let fits = |p: &&Phrase| {
            let end = i + p.words.len();
            end <= words.len()
                && p.words
                    .iter()
                    .zip(&words[i..end])
                    .all(|(a, readings)| readings.contains(&Some(*a)))
                && tokens[i + 1..end]
                    .iter()
                    .all(|t| t.gap < normalize::Gap::Sentence)
        };
        let mut best: Option<&Phrase> = None;
        for first in words[i].iter().flatten() {
            for p in self.phrases.get(first).into_iter().flatten().filter(fits) {
                if best.is_none_or(|b| p.words.len() > b.words.len()) {
                    best = Some(p);
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests;
