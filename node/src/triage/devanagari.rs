//! Devanagari to loose Latin letters, the way people write Hindi in chat (सांस → saans,
//! धड़कन → dhadkan), so that a word in either script folds to the same sound key.
//!
//! Formal schemes (ISO 15919, ITRANS) keep every inherent vowel (dhaḍakana); chat spelling
//! drops the ones Hindi does not pronounce. We apply the usual schwa-deletion rule: the
//! inherent `a` goes at the end of a word and between a vowel-consonant and a
//! consonant-vowel pair.

/// One written syllable: a consonant (or none, for an independent vowel) and its vowel.
struct Syllable {
    consonant: &'static str,
    vowel: Vowel,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Vowel {
    /// The inherent `a`, which may be silent.
    Inherent,
    /// No vowel (virama, or a dropped inherent `a`).
    None,
    /// A written vowel.
    Written(&'static str),
}

fn consonant(c: char) -> Option<&'static str> {
    Some(match c {
        'क' => "k",
        'ख' => "kh",
        'ग' => "g",
        'घ' => "gh",
        'ङ' | 'ञ' | 'ण' | 'न' => "n",
        'च' => "ch",
        'छ' => "chh",
        'ज' => "j",
        'झ' => "jh",
        'ट' | 'त' => "t",
        'ठ' | 'थ' => "th",
        'ड' | 'द' => "d",
        'ढ' | 'ध' => "dh",
        'प' => "p",
        'फ' => "ph",
        'ब' => "b",
        'भ' => "bh",
        'म' => "m",
        'य' => "y",
        'र' => "r",
        'ल' | 'ळ' => "l",
        'व' => "v",
        'श' | 'ष' => "sh",
        'स' => "s",
        'ह' => "h",
        _ => return None,
    })
}

fn independent_vowel(c: char) -> Option<&'static str> {
    Some(match c {
        'अ' => "a",
        'आ' => "aa",
        'इ' => "i",
        'ई' => "ee",
        'उ' => "u",
        'ऊ' => "oo",
        'ऋ' => "ri",
        'ए' | 'ऍ' | 'ऎ' => "e",
        'ऐ' => "ai",
        'ओ' | 'ऑ' | 'ऒ' => "o",
        'औ' => "au",
        _ => return None,
    })
}

/// Unicode puts each vowel sign (matra) this far above its independent vowel: ा U+093E is
/// आ U+0906 written after a consonant.
const SIGN_ABOVE_VOWEL: u32 = 0x38;

/// A vowel sign sounds as its independent vowel.
fn vowel_sign(c: char) -> Option<&'static str> {
    if !('\u{093E}'..='\u{094C}').contains(&c) {
        return None;
    }
    char::from_u32(u32::from(c) - SIGN_ABOVE_VOWEL).and_then(independent_vowel)
}

/// Latin letters for one Devanagari word (nukta already removed by normalization). Other
/// characters pass through unchanged.
pub(crate) fn to_latin(word: &str) -> String {
    let mut syllables: Vec<Syllable> = Vec::new();
    // Letters after each syllable (anusvara, visarga, or non-Devanagari text), by index.
    let mut tails: Vec<String> = Vec::new();
    let mut head = String::new();
    for c in word.chars() {
        if c == '\u{093C}' {
            // A nukta changes the sound a little, never the word.
            continue;
        }
        if let Some(k) = consonant(c) {
            syllables.push(Syllable {
                consonant: k,
                vowel: Vowel::Inherent,
            });
            tails.push(String::new());
        } else if let Some(v) = independent_vowel(c) {
            syllables.push(Syllable {
                consonant: "",
                vowel: Vowel::Written(v),
            });
            tails.push(String::new());
        } else if let Some(v) = vowel_sign(c) {
            if let Some(last) = syllables.last_mut() {
                last.vowel = Vowel::Written(v);
            }
        } else if c == '\u{094D}' {
            if let Some(last) = syllables.last_mut() {
                last.vowel = Vowel::None;
            }
        } else {
            let extra = match c {
                '\u{0902}' | '\u{0901}' => 'n',
                '\u{0903}' => 'h',
                other => other,
            };
            match tails.last_mut() {
                Some(tail) => tail.push(extra),
                None => head.push(extra),
            }
        }
    }
    drop_silent_schwas(&mut syllables, &tails);
    let mut out = head;
    for (s, tail) in syllables.iter().zip(&tails) {
        out.push_str(s.consonant);
        match s.vowel {
            Vowel::Inherent => out.push('a'),
            Vowel::Written(v) => out.push_str(v),
            Vowel::None => {}
        }
        out.push_str(tail);
    }
    out
}

fn has_vowel(s: &Syllable) -> bool {
    s.vowel != Vowel::None
}

/// Drops the inherent `a` at the end of a word (after a consonant) and in the middle when a
/// vowel comes before it and a consonant with a vowel after it (धड़कन → dhadkan).
fn drop_silent_schwas(syllables: &mut [Syllable], tails: &[String]) {
    let n = syllables.len();
    if n > 1
        && let Some(last) = syllables.last_mut()
        && last.vowel == Vowel::Inherent
        && !last.consonant.is_empty()
        && tails[n - 1].is_empty()
    {
        last.vowel = Vowel::None;
    }
    for i in 1..n.saturating_sub(1) {
        let droppable = syllables[i].vowel == Vowel::Inherent
            && tails[i].is_empty()
            && has_vowel(&syllables[i - 1])
            && !syllables[i + 1].consonant.is_empty()
            && has_vowel(&syllables[i + 1]);
        if droppable {
            syllables[i].vowel = Vowel::None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{independent_vowel, to_latin, vowel_sign};

    #[test]
    fn vowel_signs_sound_as_their_vowels() {
        for (sign, vowel, latin) in [
            ('ा', 'आ', "aa"),
            ('ि', 'इ', "i"),
            ('ी', 'ई', "ee"),
            ('ु', 'उ', "u"),
            ('ू', 'ऊ', "oo"),
            ('ृ', 'ऋ', "ri"),
            ('ॅ', 'ऍ', "e"),
            ('ॆ', 'ऎ', "e"),
            ('े', 'ए', "e"),
            ('ै', 'ऐ', "ai"),
            ('ॉ', 'ऑ', "o"),
            ('ॊ', 'ऒ', "o"),
            ('ो', 'ओ', "o"),
            ('ौ', 'औ', "au"),
        ] {
            assert_eq!(vowel_sign(sign), Some(latin), "{sign}");
            assert_eq!(independent_vowel(vowel), Some(latin), "{vowel}");
        }
        for not_a_sign in ['ॄ', 'ॢ', 'ऽ', 'ं', 'आ', 'क', 'a'] {
            assert_eq!(vowel_sign(not_a_sign), None, "{not_a_sign}");
        }
    }

    #[test]
    fn words_come_out_as_chat_spelling() {
        for (deva, latin) in [
            ("सांस", "saans"),
            ("दर्द", "dard"),
            ("बुखार", "bukhaar"),
            ("धड़कन", "dhadkan"),
            ("लकवा", "lakvaa"),
            ("बेहोश", "behosh"),
            ("गर्दन", "gardan"),
            ("सीने", "seene"),
            ("बच्चा", "bachchaa"),
            ("नवजात", "navjaat"),
            ("कमजोरी", "kamjoree"),
            ("अकड़न", "akdan"),
            ("झटके", "jhatke"),
            ("पेट", "pet"),
        ] {
            assert_eq!(to_latin(deva), latin, "{deva}");
        }
    }

    #[test]
    fn stray_marks_and_latin_pass_through() {
        assert_eq!(to_latin("abc"), "abc");
        assert_eq!(to_latin("ं"), "n");
        assert_eq!(to_latin("ाि"), "");
    }
}
