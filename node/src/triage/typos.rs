//! Forgiving one typo in an English word (chset, breathng, unconcious) when exactly one
//! lexicon word is that close. Candidates come from a one-deletion index (SymSpell's idea),
//! then a real edit-distance check keeps only a letter missing, a letter added, or two
//! neighbours swapped. A changed letter is not forgiven: it turns real words into others
//! (soaking into shaking). Hindi is left out on purpose: chat spelling of Hindi varies by
//! design, the sound key and skeleton absorb that, and one more letter of slack there turns
//! unrelated words into each other.

use std::collections::HashMap;

/// Shortest word (in letters) for which a typo is forgiven.
const TYPO_MIN_LEN: usize = 5;

/// English spellings of lexicon words and their one-deletion index.
#[derive(Clone, Debug, Default)]
pub(crate) struct Typos {
    /// Spellings (words and stems) with their lexicon word.
    spellings: Vec<(String, usize)>,
    /// A spelling with one letter deleted, or whole → indexes into `spellings`.
    index: HashMap<String, Vec<usize>>,
}

impl Typos {
    /// Registers `spelling` as a way to write lexicon word `word`.
    pub(crate) fn add(&mut self, spelling: &str, word: usize) {
        if spelling.chars().count() < TYPO_MIN_LEN
            || self.spellings.iter().any(|(k, _)| k == spelling)
        {
            return;
        }
        let at = self.spellings.len();
        for variant in std::iter::once(spelling.to_owned()).chain(deletions(spelling)) {
            self.index.entry(variant).or_default().push(at);
        }
        self.spellings.push((spelling.to_owned(), word));
    }

    /// The one lexicon word within one typo of any of `keys`, if exactly one is.
    pub(crate) fn find<'a>(&self, keys: impl Iterator<Item = &'a str>) -> Option<usize> {
        let mut found = None;
        for key in keys {
            if key.chars().count() < TYPO_MIN_LEN || key.bytes().any(|b| b.is_ascii_digit()) {
                continue;
            }
            for variant in std::iter::once(key.to_owned()).chain(deletions(key)) {
                for &i in self.index.get(&variant).into_iter().flatten() {
                    let (spelling, word) = &self.spellings[i];
                    if spelling == key {
                        return Some(*word);
                    }
                    if !one_edit(key, spelling) {
                        continue;
                    }
                    match found {
                        None => found = Some(*word),
                        Some(f) if f != *word => return None,
                        Some(_) => {}
                    }
                }
            }
        }
        found
    }
}

/// Whether `a` and `b` differ by exactly one edit: a letter inserted or deleted, or two
/// neighbours swapped.
fn one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    match long.len() - short.len() {
        0 if prefix == short.len() => false,
        0 => {
            let rest = prefix + 1;
            rest < short.len()
                && short[prefix] == long[rest]
                && short[rest] == long[prefix]
                && short[rest + 1..] == long[rest + 1..]
        }
        1 => short[prefix..] == long[prefix + 1..],
        _ => false,
    }
}

fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    chars
        .into_iter()
        .map(move |(i, c)| format!("{}{}", &word[..i], &word[i + c.len_utf8()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_means_one() {
        assert!(one_edit("chset", "chest"));
        assert!(one_edit("breathng", "breathing"));
        assert!(one_edit("unconcious", "unconscious"));
        assert!(!one_edit("paim", "pain"));
        assert!(!one_edit("soaking", "shaking"));
        assert!(!one_edit("salah", "slash"));
        assert!(!one_edit("pain", "pain"));
        assert!(!one_edit("abc", "abcde"));
    }

    #[test]
    fn ambiguous_typos_find_nothing() {
        let mut t = Typos::default();
        t.add("chest", 1);
        t.add("chess", 2);
        assert_eq!(t.find(["chest"].into_iter()), Some(1));
        assert_eq!(t.find(["chset"].into_iter()), Some(1));
        assert_eq!(t.find(["chesz"].into_iter()), None);
        assert_eq!(t.find(["ches"].into_iter()), None);
    }
}
