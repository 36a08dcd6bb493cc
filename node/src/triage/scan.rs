//! What a text says, concept by concept: where each concept occurs, which occurrences a
//! negation or a past marker cancels, and whether a rule's pattern holds.
//!
//! Negation is scoped. An English negation word ("no", "not", "without") cancels the first
//! sign in the next few words; a Hindi one ("nahi", "नहीं") the last sign in the few words
//! before it; "or"/"ya" carries it to the next sign. When a verb (an action: breathe, stop,
//! move) comes first, the negation is the verb's and cancels no sign. It stops at a comma, a sentence end,
//! "and"/"aur" and "but"/"lekin". Only signs are cancelled: in "no chest pain" the pain is,
//! not the chest. A negation word that cancels nothing is itself a concept, `neg`, so that
//! "saans nahi aa rahi" (breath does not come) can be a rule: `breath + neg`. A past marker
//! ("last year", "2 saal pehle") cancels the nearest sign on each side.

use super::lexicon::{ConceptId, Kind, Lexicon, Occurrence};
use super::normalize::{Gap, Token};

/// Widest span, in words, of the concepts of one pattern group ("pain in the middle of my
/// chest" spans 7).
const NEAR_SPAN: usize = 8;
/// Words after an English negation that it can reach.
const NEGATION_REACH_AFTER: usize = 4;
/// Words before a Hindi negation that it can reach.
const NEGATION_REACH_BEFORE: usize = 3;
/// Words on each side of a past marker that it can reach.
const HISTORY_REACH: usize = 4;
/// Words that carry a negation on to the next sign.
const COORDINATORS: &[&str] = &["or", "nor", "ya", "या", "either"];

/// One term of a pattern: any of these concepts.
pub(crate) type Term = Vec<ConceptId>;

/// A compiled rule pattern: every group holds somewhere (the terms of a group near each
/// other, in one sentence, in any order), and no `absent` concept occurs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub groups: Vec<Vec<Term>>,
    pub absent: Vec<ConceptId>,
}

/// A span of tokens and the sentence it starts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
    sentence: usize,
}

/// The concepts of one text.
#[derive(Debug)]
pub(crate) struct Scan {
    /// Occurrences that count, by concept.
    present: Vec<Vec<Span>>,
    /// Occurrences a negation or past marker cancelled, by concept.
    cancelled: Vec<Vec<Span>>,
    /// Tokens that are "but"-like words: no group spans them.
    contrast: Vec<bool>,
}

impl Scan {
    /// Reads `tokens` with their `found` concepts.
    pub(crate) fn new(
        lexicon: &Lexicon,
        tokens: &[Token],
        found: &[Occurrence],
        neg: ConceptId,
    ) -> Scan {
        let mut sentence = Vec::with_capacity(tokens.len());
        let mut n = 0;
        for (i, t) in tokens.iter().enumerate() {
            if i > 0 && t.gap == Gap::Sentence {
                n += 1;
            }
            sentence.push(n);
        }
        let mut stops = vec![false; tokens.len()];
        let mut contrast = vec![false; tokens.len()];
        for o in found {
            let k = lexicon.concepts[o.concept].kind;
            for i in o.start..o.end.min(tokens.len()) {
                stops[i] |= matches!(k, Kind::Boundary | Kind::Conjunction);
                contrast[i] |= k == Kind::Boundary;
            }
        }
        let words = Words {
            lexicon,
            tokens,
            found,
            stops,
        };
        let (cancelled, free) = words.negate();
        let mut scan = Scan {
            present: vec![Vec::new(); lexicon.concepts.len()],
            cancelled: vec![Vec::new(); lexicon.concepts.len()],
            contrast,
        };
        let span = |o: &Occurrence| Span {
            start: o.start,
            end: o.end,
            sentence: sentence.get(o.start).copied().unwrap_or(0),
        };
        for (o, gone) in found.iter().zip(&cancelled) {
            let kind = lexicon.concepts[o.concept].kind;
            if matches!(kind, Kind::NegationBefore | Kind::NegationAfter) {
                // A negation word counts as `neg` only when it cancelled nothing (below).
                continue;
            }
            let list = if *gone {
                &mut scan.cancelled
            } else {
                &mut scan.present
            };
            list[o.concept].push(span(o));
        }
        for i in free {
            scan.present[neg].push(span(&found[i]));
        }
        scan
    }

    /// Whether a negation or past marker cancelled anything.
    pub(crate) fn any_cancelled(&self) -> bool {
        self.cancelled.iter().any(|c| !c.is_empty())
    }

    /// Whether the occurrence of `concept` starting at `start` counts (was not cancelled).
    pub(crate) fn counts(&self, concept: ConceptId, start: usize) -> bool {
        self.present[concept].iter().any(|s| s.start == start)
    }

    /// Whether `pattern` holds; with `cancelled`, as if no negation had been written.
    pub(crate) fn holds(&self, pattern: &Pattern, cancelled: bool) -> bool {
        pattern.absent.iter().all(|&c| self.present[c].is_empty())
            && pattern
                .groups
                .iter()
                .all(|g| self.group_holds(g, cancelled))
    }

    /// Whether `pattern` holds with its `!` concepts not even mentioned, negated or not:
    /// a question about chest pain is not for someone who wrote "no chest pain".
    pub(crate) fn holds_unsaid(&self, pattern: &Pattern) -> bool {
        pattern.absent.iter().all(|&c| self.cancelled[c].is_empty()) && self.holds(pattern, false)
    }

    fn spans<'a>(&'a self, term: &'a Term, cancelled: bool) -> impl Iterator<Item = Span> + 'a {
        term.iter().flat_map(move |&c| {
            let extra: &[Span] = if cancelled { &self.cancelled[c] } else { &[] };
            self.present[c].iter().chain(extra).copied()
        })
    }

    fn group_holds(&self, group: &[Term], cancelled: bool) -> bool {
        // Cheapest first: a term with no occurrence at all fails the group at once.
        if group
            .iter()
            .any(|t| self.spans(t, cancelled).next().is_none())
        {
            return false;
        }
        self.extend(group, cancelled, None)
    }

    /// Backtracking: picks one occurrence per term, keeping them in one sentence and within
    /// [`NEAR_SPAN`] words.
    fn extend(&self, group: &[Term], cancelled: bool, window: Option<Span>) -> bool {
        let Some((term, rest)) = group.split_first() else {
            return true;
        };
        self.spans(term, cancelled).any(|s| {
            let next = match window {
                None => s,
                Some(w) if w.sentence != s.sentence => return false,
                Some(w) => Span {
                    start: w.start.min(s.start),
                    end: w.end.max(s.end),
                    sentence: w.sentence,
                },
            };
            next.end - next.start <= NEAR_SPAN
                && !self.contrast[next.start..next.end].iter().any(|c| *c)
                && self.extend(rest, cancelled, Some(next))
        })
    }
}

/// The words of a text with their concepts, and where negation stops (commas, sentence
/// ends, "and", "but").
struct Words<'a> {
    lexicon: &'a Lexicon,
    tokens: &'a [Token],
    found: &'a [Occurrence],
    stops: Vec<bool>,
}

impl Words<'_> {
    fn kind(&self, o: &Occurrence) -> Kind {
        self.lexicon.concepts[o.concept].kind
    }

    /// Which occurrences negation and past markers cancel, and the negation words that
    /// cancel nothing (they become `neg`).
    fn negate(&self) -> (Vec<bool>, Vec<usize>) {
        let mut cancelled = vec![false; self.found.len()];
        let mut free = Vec::new();
        for (i, o) in self.found.iter().enumerate() {
            let hits = match self.kind(o) {
                Kind::NegationBefore => self.after(o, NEGATION_REACH_AFTER),
                Kind::NegationAfter => self.before(o, NEGATION_REACH_BEFORE),
                Kind::History => {
                    let mut both = self.after(o, HISTORY_REACH);
                    both.truncate(1);
                    let mut before = self.before(o, HISTORY_REACH);
                    before.truncate(1);
                    both.extend(before);
                    both
                }
                _ => continue,
            };
            if hits.is_empty() && self.kind(o) != Kind::History {
                free.push(i);
            }
            for h in hits {
                cancelled[h] = true;
            }
        }
        (cancelled, free)
    }

    /// Signs cancelled by a negation that looks forward from `neg`, up to `words` words.
    fn after(&self, neg: &Occurrence, words: usize) -> Vec<usize> {
        let tokens = self.tokens;
        let mut reach = neg.end;
        while reach < tokens.len()
            && reach < neg.end + words
            && tokens[reach].gap < Gap::Clause
            && !self.stops[reach]
        {
            reach += 1;
        }
        let near = (0..self.found.len()).filter(|&i| {
            let o = &self.found[i];
            o.start >= neg.end && o.start < reach
        });
        self.signs(near, true)
    }

    /// Signs cancelled by a negation that looks back from `neg`, up to `words` words.
    fn before(&self, neg: &Occurrence, words: usize) -> Vec<usize> {
        let tokens = self.tokens;
        let mut from = neg.start;
        while from > 0
            && from + words > neg.start
            && tokens[from].gap < Gap::Clause
            && !self.stops[from - 1]
        {
            from -= 1;
        }
        let near = (0..self.found.len()).rev().filter(|&i| {
            let o = &self.found[i];
            o.end <= neg.start && o.end > from
        });
        self.signs(near, false)
    }

    /// The signs a negation cancels among `near` occurrences, nearest first: the first sign,
    /// and the next ones while "or"/"ya" joins them. A verb before any sign takes the
    /// negation itself ("not breathing", "khoon ruk nahi raha": the blood does not stop).
    fn signs(&self, near: impl Iterator<Item = usize>, forward: bool) -> Vec<usize> {
        let mut hits: Vec<usize> = Vec::new();
        for i in near {
            let o = &self.found[i];
            match self.kind(o) {
                Kind::Action if hits.is_empty() => break,
                Kind::Sign => {}
                _ => continue,
            }
            if let Some(&h) = hits.last() {
                let prev = &self.found[h];
                // The word between the two signs, in reading order.
                let joint = if forward { prev.end } else { o.end };
                if prev.start != o.start && !coordinator(self.tokens.get(joint)) {
                    break;
                }
            }
            hits.push(i);
        }
        hits
    }
}

fn coordinator(token: Option<&Token>) -> bool {
    token.is_some_and(|t| COORDINATORS.contains(&t.text.as_str()))
}
