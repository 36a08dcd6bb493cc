//! Text normalization shared by the rules and the symptoms a person types: lowercase,
//! punctuation and emoji become word breaks, Devanagari spelling variants fold together, and
//! Latin words lose simple plural endings, doubled letters and common Hinglish spelling
//! differences. The same folding runs over rule phrases and over input, so a phrase matches
//! whatever spelling folds to the same tokens.

/// The Devanagari block, letters, vowel signs and digits alike.
const DEVANAGARI: std::ops::RangeInclusive<u32> = 0x0900..=0x097F;

/// What to do with one (already lowercased) character.
enum Class {
    /// Part of a word, possibly replaced by a canonical character.
    Keep(char),
    /// Removed without breaking the word (apostrophes, joiners, nukta).
    Drop,
    /// Ends the current word.
    Break,
}

fn classify(c: char) -> Class {
    let code = u32::from(c);
    match c {
        '\'' | '\u{2019}' | '\u{02BC}' | '\u{200C}' | '\u{200D}' | '\u{093C}' => Class::Drop,
        // Chandrabindu and anusvara are written interchangeably (दाँत / दांत).
        '\u{0901}' => Class::Keep('\u{0902}'),
        // Precomposed nukta letters fold to their base consonant (ज़ → ज, ड़ → ड).
        '\u{0958}'..='\u{095F}' => Class::Keep(nukta_base(c)),
        // Danda and double danda end a sentence.
        '\u{0964}' | '\u{0965}' => Class::Break,
        _ if DEVANAGARI.contains(&code) => Class::Keep(c),
        // Combining accents stay inside the word they decorate.
        '\u{0300}'..='\u{036F}' => Class::Keep(c),
        _ if c.is_alphanumeric() => Class::Keep(c),
        _ => Class::Break,
    }
}

fn nukta_base(c: char) -> char {
    match c {
        '\u{0958}' => '\u{0915}',
        '\u{0959}' => '\u{0916}',
        '\u{095A}' => '\u{0917}',
        '\u{095B}' => '\u{091C}',
        '\u{095C}' => '\u{0921}',
        '\u{095D}' => '\u{0922}',
        '\u{095E}' => '\u{092B}',
        _ => '\u{092F}',
    }
}

/// Splits `text` into normalized word tokens.
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        match classify(c) {
            Class::Keep(k) => word.push(k),
            Class::Drop => {}
            Class::Break => flush(&mut word, &mut out),
        }
    }
    flush(&mut word, &mut out);
    out
}

fn flush(word: &mut String, out: &mut Vec<String>) {
    if !word.is_empty() {
        out.push(fold(word));
        word.clear();
    }
}

/// The canonical form of one lowercased word.
pub(crate) fn fold(word: &str) -> String {
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        let folded = collapse_doubles(&singular(word));
        return fold_hinglish(folded);
    }
    fold_hindi(word)
}

/// Drops simple English plural endings and a final silent `e`, so that `rashes` and `rash`,
/// `headaches` and `headache`, `allergies` and `allergy` fold together. Short words and
/// `-ss`, `-us`, `-is` endings are left alone.
fn singular(word: &str) -> String {
    if word.len() <= 3 {
        return word.to_owned();
    }
    let base = match word.strip_suffix("ies") {
        Some(stem) if stem.len() > 1 => format!("{stem}y"),
        _ if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") => {
            word.to_owned()
        }
        _ => word.strip_suffix('s').unwrap_or(word).to_owned(),
    };
    match base.strip_suffix('e') {
        Some(stem) if stem.len() >= 3 => stem.to_owned(),
        _ => base,
    }
}

/// Romanized Hindi doubles vowels and consonants freely (`bukhaar`, `chakkar`, `khoon`);
/// one letter of each run is kept.
fn collapse_doubles(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    for c in word.chars() {
        if last != Some(c) {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// Spelling variants of the same Hinglish word, as they look after `singular` and
/// `collapse_doubles`.
fn fold_hinglish(word: String) -> String {
    let canonical = match word.as_str() {
        "me" | "mai" | "main" | "men" | "mei" | "mien" => "mein",
        "nahin" | "nai" | "nhi" | "nahe" | "nah" => "nahi",
        // `seene`, `sine`, `seena`, `sina` after the steps above.
        "sen" | "sin" | "sena" | "sina" => "sen",
        "pait" => "pet",
        "sir" => "sar",
        _ => return word,
    };
    canonical.to_owned()
}

/// Spelling variants of the same Hindi word in Devanagari.
fn fold_hindi(word: &str) -> String {
    let canonical = match word {
        "मे" | "मैं" | "मैँ" => "में",
        "नही" => "नहीं",
        "सीना" | "सीनें" => "सीने",
        _ => word,
    };
    canonical.to_owned()
}

/// Whether `c` is a Devanagari letter or vowel sign (digits and punctuation excluded).
pub(crate) fn is_devanagari_letter(c: char) -> bool {
    matches!(u32::from(c), 0x0900..=0x0963 | 0x0971..=0x097F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_emoji_and_case_break_words() {
        assert_eq!(tokens("Chest-PAIN!!  😱 now"), ["chest", "pain", "now"]);
        assert_eq!(tokens(""), Vec::<String>::new());
        assert_eq!(tokens("🙂🙂 ,,, "), Vec::<String>::new());
    }

    #[test]
    fn plurals_and_doubles_fold_to_the_same_token() {
        assert_eq!(tokens("rashes"), tokens("rash"));
        assert_eq!(tokens("allergies"), tokens("allergy"));
        assert_eq!(tokens("seizures"), tokens("seizure"));
        assert_eq!(tokens("bukhaar"), tokens("bukhar"));
        assert_eq!(tokens("can't breathe"), ["cant", "breath"]);
        assert_eq!(tokens("headaches"), tokens("headache"));
        assert_eq!(tokens("sine"), tokens("seene"));
        assert_eq!(tokens("seene me dard"), tokens("seene mein dard"));
    }

    #[test]
    fn devanagari_marks_stay_and_variants_fold() {
        assert_eq!(tokens("सीने में दर्द।"), ["सीने", "में", "दर्द"]);
        // Decomposed nukta (ड + ़) and precomposed ड़ fold together.
        assert_eq!(tokens("पड\u{093C}ा"), tokens("प\u{095C}ा"));
        assert_eq!(tokens("दाँत"), tokens("दांत"));
    }
}
