//! Text normalization shared by the lexicon and the symptoms a person types.
//!
//! The text is NFKC-normalized and lowercased; punctuation and emoji break words, and the
//! kind of break (a comma, or the end of a sentence) is kept because negation and
//! "near each other" stop there. Each word gets two keys:
//! - an English stem (Snowball), for Latin words: breathing, breathes and breathe meet;
//! - a sound key, for Hindi in either script: Devanagari goes to chat-style Latin letters
//!   first, then both lose what chat spelling varies freely (aspiration, doubled letters,
//!   long vowels, w/v, z/j, the final a/e/i of inflection), so saans, sans and सांस meet,
//!   and so do seene, sine, seena and सीने.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

use super::devanagari;

/// What separates a word from the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Gap {
    /// Spaces, hyphens, slashes, emoji.
    Space,
    /// A comma, colon or dash: a clause ends.
    Clause,
    /// A full stop, `?`, `!`, `;`, danda or a new line: a sentence ends.
    Sentence,
}

/// One word of normalized text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// The word, lowercased, nukta and joiners removed, Devanagari digits as ASCII.
    pub text: String,
    /// English stem, for words in Latin letters.
    pub stem: Option<String>,
    /// Sound key, for every word.
    pub sound: String,
    /// The break before this word.
    pub gap: Gap,
}

/// What to do with one (already lowercased) character.
enum Class {
    /// Part of a word, possibly replaced by a canonical character.
    Keep(char),
    /// Removed without breaking the word (apostrophes, joiners, nukta).
    Drop,
    /// Ends the current word.
    Break(Gap),
}

fn classify(c: char) -> Class {
    match c {
        '\'' | '\u{2019}' | '\u{02BC}' | '\u{200C}' | '\u{200D}' | '\u{093C}' => Class::Drop,
        // Chandrabindu and anusvara are written interchangeably (दाँत / दांत).
        '\u{0901}' => Class::Keep('\u{0902}'),
        // Devanagari digits count like ASCII ones.
        '\u{0966}'..='\u{096F}' => Class::Keep(char::from(b'0' + (u32::from(c) - 0x0966) as u8)),
        '\u{0964}' | '\u{0965}' | '.' | '!' | '?' | ';' | '\n' | '\r' => {
            Class::Break(Gap::Sentence)
        }
        ',' | ':' | '\u{2013}' | '\u{2014}' | '(' | ')' => Class::Break(Gap::Clause),
        '\u{0900}'..='\u{097F}' => Class::Keep(c),
        // Combining accents stay inside the word they decorate.
        '\u{0300}'..='\u{036F}' => Class::Keep(c),
        _ if c.is_alphanumeric() => Class::Keep(c),
        _ => Class::Break(Gap::Space),
    }
}

/// Splits `text` into normalized tokens.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let stemmer = Stemmer::create(Algorithm::English);
    let mut out = Vec::new();
    let mut word = String::new();
    let mut gap = Gap::Space;
    // NFKC changes nothing in ASCII text: skip it there.
    let normalized: Box<dyn Iterator<Item = char>> = if text.is_ascii() {
        Box::new(text.chars())
    } else {
        Box::new(text.nfkc())
    };
    let mut chars = normalized.flat_map(char::to_lowercase).peekable();
    while let Some(c) = chars.next() {
        // A decimal point inside a number (38.5) does not end a sentence.
        if c == '.'
            && word.bytes().last().is_some_and(|b| b.is_ascii_digit())
            && chars.peek().is_some_and(char::is_ascii_digit)
        {
            word.push(c);
            continue;
        }
        match classify(c) {
            Class::Keep(k) => word.push(k),
            Class::Drop => {}
            Class::Break(kind) => {
                if !word.is_empty() {
                    out.push(token(&word, gap, &stemmer));
                    word.clear();
                    gap = Gap::Space;
                }
                gap = gap.max(kind);
            }
        }
    }
    if !word.is_empty() {
        out.push(token(&word, gap, &stemmer));
    }
    out
}

fn token(word: &str, gap: Gap, stemmer: &Stemmer) -> Token {
    let latin = word.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
    let (stem, sound) = if latin {
        let stem = word
            .bytes()
            .any(|b| b.is_ascii_alphabetic())
            .then(|| stemmer.stem(word).into_owned());
        (stem, sound_key(word))
    } else {
        (None, sound_key(&devanagari::to_latin(word)))
    };
    Token {
        text: word.to_owned(),
        stem,
        sound,
        gap,
    }
}

/// Letter groups that chat spelling of Hindi writes in several ways, and the one kept;
/// longer groups first.
const SOUND_FOLDS: &[(&[u8], u8)] = &[
    (b"chh", b'c'),
    (b"ch", b'c'),
    (b"sh", b's'),
    (b"ph", b'f'),
    (b"kh", b'k'),
    (b"gh", b'g'),
    (b"th", b't'),
    (b"dh", b'd'),
    (b"bh", b'b'),
    (b"jh", b'j'),
    (b"rh", b'r'),
    (b"ck", b'k'),
    (b"ey", b'e'),
    (b"ee", b'i'),
    (b"oo", b'u'),
    (b"ai", b'e'),
    (b"ei", b'e'),
    (b"au", b'o'),
    (b"w", b'v'),
    (b"z", b'j'),
    (b"q", b'k'),
];

/// The sound key of a word in Latin letters: see the module documentation. One pass:
/// letter groups fold, then runs of one letter collapse.
pub(crate) fn sound_key(word: &str) -> String {
    let bytes = word.as_bytes();
    let mut out = String::with_capacity(word.len() + 1);
    let mut i = 0;
    while i < bytes.len() {
        let (c, len) = SOUND_FOLDS
            .iter()
            .find(|(from, _)| bytes[i..].starts_with(from))
            .map_or((bytes[i], 1), |(from, to)| (*to, from.len()));
        if bytes[i].is_ascii() {
            if out.as_bytes().last() != Some(&c) {
                out.push(char::from(c));
            }
            i += len;
        } else {
            // Not Latin (a stray mark): keep the character whole.
            let ch = word[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    // Hindi inflects with the last vowel (seena, seene; bachcha, bachche, bachchi).
    if out.len() >= 3 && out.ends_with(['a', 'e', 'i', 'y']) {
        out.pop();
        out.push('@');
    }
    out
}

/// The first letter and the consonants of a sound key: a looser key for words whose
/// vowels vary (zehar, jahar), used only when it is long enough to tell words apart.
pub(crate) fn skeleton(sound: &str) -> String {
    let mut chars = sound.chars();
    let mut out: String = chars.next().into_iter().collect();
    out.extend(chars.filter(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | '@')));
    out
}

/// Whether `c` is a Devanagari letter or vowel sign (digits and punctuation excluded).
pub(crate) fn is_devanagari_letter(c: char) -> bool {
    matches!(u32::from(c), 0x0900..=0x0963 | 0x0971..=0x097F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.text).collect()
    }

    fn sounds(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.sound).collect()
    }

    #[test]
    fn punctuation_emoji_and_case_break_words() {
        assert_eq!(texts("Chest-PAIN!!  😱 now"), ["chest", "pain", "now"]);
        assert!(texts("").is_empty());
        assert!(texts("🙂🙂 ,,, ").is_empty());
        assert_eq!(texts("can't"), ["cant"]);
        assert_eq!(texts("temp 38.5. ok"), ["temp", "38.5", "ok"]);
        assert_eq!(texts("१०१ बुखार"), ["101", "बुखार"]);
    }

    #[test]
    fn breaks_are_kept() {
        let gaps: Vec<Gap> = tokens("no pain, fever. cough")
            .iter()
            .map(|t| t.gap)
            .collect();
        assert_eq!(gaps, [Gap::Space, Gap::Space, Gap::Clause, Gap::Sentence]);
        let gaps: Vec<Gap> = tokens("दर्द। बुखार").iter().map(|t| t.gap).collect();
        assert_eq!(gaps, [Gap::Space, Gap::Sentence]);
    }

    #[test]
    fn english_words_stem() {
        let stems: Vec<Option<String>> = tokens("breathing breathe")
            .into_iter()
            .map(|t| t.stem)
            .collect();
        assert_eq!(stems[0], stems[1]);
        assert_eq!(tokens("सांस")[0].stem, None);
    }

    #[test]
    fn spelling_variants_share_a_sound_key() {
        for group in [
            &["saans", "sans", "सांस", "साँस"][..],
            &["seene", "sine", "seena", "सीने", "सीना"],
            &["chhati", "chati", "chaati", "छाती"],
            &["behosh", "beyhosh", "बेहोश"],
            &["bachcha", "bacha", "baccha", "bachche", "बच्चा", "बच्चे"],
            &["bukhar", "bukhaar", "बुखार"],
            &["khoon", "khun", "खून"],
            &["dhadkan", "धड़कन", "धड\u{093C}कन"],
            &["lakwa", "lakva", "लकवा"],
            &["pet", "pait", "पेट"],
            &["zyada", "jyada", "ज़्यादा", "ज्यादा"],
            &["takleef", "taklif", "तकलीफ", "तकलीफ़"],
            &["swas", "shwas", "श्वास"],
        ] {
            let keys: Vec<String> = group.iter().map(|w| sounds(w).concat()).collect();
            assert!(keys.iter().all(|k| *k == keys[0]), "{group:?}: {keys:?}");
        }
        assert_ne!(sounds("dil"), sounds("dheela"));
        assert_ne!(sounds("sar"), sounds("sir"));
    }

    #[test]
    fn skeletons_drop_vowels_after_the_first_letter() {
        assert_eq!(
            skeleton(&sound_key("dhadkan")),
            skeleton(&sound_key("dhadakan"))
        );
        assert_eq!(skeleton("ulti"), "ult");
    }
}
