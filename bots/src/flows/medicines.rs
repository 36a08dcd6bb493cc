//! A list of medicines typed the way people type it: one per line or comma separated,
//! each a name with how many ("paracetamol 500mg x 10", "cetirizine 2 strips",
//! "10 crocin", "ORS ×3", "डोलो 650 - 15 गोली"). A line without a count is one of it.
//! The strength stays part of the name ("500mg", "650"): only a number standing alone,
//! after `x`/`×`/`*`/`-`, or before a pack word (strips, tablets, गोली) is the count.

use crate::port::OrderLine;

/// The most medicines one order lists (the node's limit).
pub(crate) const MAX_ITEMS: usize = 50;
/// The largest count of one medicine (the node's limit).
pub(crate) const MAX_QUANTITY: u32 = 10_000;

/// Why a list could not be read; each names the line at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ListError {
    /// Nothing but spaces and separators.
    Empty,
    /// More than [`MAX_ITEMS`] lines.
    TooMany,
    /// A line with no name, only numbers.
    NoName(String),
    /// A count of 0 or over [`MAX_QUANTITY`].
    BadCount(String),
}

/// Words for packs and doses that follow a count ("2 strips", "15 गोली").
const PACKS: [&str; 24] = [
    "strip",
    "strips",
    "tab",
    "tabs",
    "tablet",
    "tablets",
    "cap",
    "caps",
    "capsule",
    "capsules",
    "bottle",
    "bottles",
    "pack",
    "packs",
    "box",
    "boxes",
    "pcs",
    "nos",
    "no",
    "गोली",
    "गोलियाँ",
    "पत्ता",
    "पत्ते",
    "शीशी",
];

/// Reads a typed list.
pub(crate) fn parse(text: &str) -> Result<Vec<OrderLine>, ListError> {
    let lines: Vec<&str> = text
        .split(['\n', ',', ';', '،'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(ListError::Empty);
    }
    if lines.len() > MAX_ITEMS {
        return Err(ListError::TooMany);
    }
    lines.into_iter().map(line).collect()
}

/// One medicine and its count.
fn line(text: &str) -> Result<OrderLine, ListError> {
    let spaced = text
        .replace(['×', '*'], " x ")
        .replace(" - ", " x ")
        .replace(':', " ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut count: Option<u32> = None;
    let mut name: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        let lower = word.to_lowercase();
        let next_is_pack = words
            .get(i + 1)
            .is_some_and(|w| PACKS.contains(&w.to_lowercase().as_str()));
        let after_x = i > 0 && words[i - 1].eq_ignore_ascii_case("x");
        let at_edge = i == 0 || i + 1 == words.len();
        let number = count_of(&lower);
        match number {
            // "x10", "10x": a count glued to its x.
            Some(n) if count.is_none() && (after_x || next_is_pack || glued_x(&lower)) => {
                count = Some(n);
                if next_is_pack {
                    i += 1;
                }
            }
            // A bare number at the start or end of a line that already has a name word:
            // "10 crocin", "crocin 10" (but "dolo 650" keeps 650 when nothing else counts).
            Some(n) if count.is_none() && at_edge && is_bare(&lower) && has_letters(&words) => {
                if i == 0 || !looks_like_strength(&name) {
                    count = Some(n);
                } else {
                    name.push(word);
                }
            }
            _ if lower == "x" => {}
            _ => name.push(word),
        }
        i += 1;
    }
    let name = name.join(" ");
    if !name.chars().any(char::is_alphabetic) {
        return Err(ListError::NoName(text.to_owned()));
    }
    let quantity = count.unwrap_or(1);
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(ListError::BadCount(text.to_owned()));
    }
    Ok(OrderLine { name, quantity })
}

/// The number in "10", "x10", "10x" (ASCII or Devanagari digits).
fn count_of(word: &str) -> Option<u32> {
    let digits: String = word
        .trim_start_matches('x')
        .trim_end_matches('x')
        .chars()
        .map(|c| match c {
            '०'..='९' => char::from_u32(c as u32 - '०' as u32 + '0' as u32).unwrap_or(c),
            other => other,
        })
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn glued_x(word: &str) -> bool {
    word.len() > 1 && (word.starts_with('x') || word.ends_with('x'))
}

fn is_bare(word: &str) -> bool {
    !word.starts_with('x') && !word.ends_with('x')
}

fn has_letters(words: &[&str]) -> bool {
    words
        .iter()
        .any(|w| w.chars().any(char::is_alphabetic) && !w.eq_ignore_ascii_case("x"))
}

/// A name made of one word, which a trailing number is the strength of ("dolo 650").
fn looks_like_strength(name: &[&str]) -> bool {
    name.len() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> (String, u32) {
        let l = line(text).unwrap();
        (l.name, l.quantity)
    }

    #[test]
    fn counts_are_read_the_way_people_write_them() {
        let cases = [
            ("paracetamol 500mg x 10", "paracetamol 500mg", 10),
            ("paracetamol 500mg x10", "paracetamol 500mg", 10),
            ("cetirizine 2 strips", "cetirizine", 2),
            ("10 crocin", "crocin", 10),
            ("ORS ×3", "ORS", 3),
            ("Azithromycin 500 mg 3 tabs", "Azithromycin 500 mg", 3),
            ("amoxicillin 250mg - 15", "amoxicillin 250mg", 15),
            ("dolo 650", "dolo 650", 1),
            ("vitamin d3 60k 4", "vitamin d3 60k", 4),
            ("डोलो 650 x १५", "डोलो 650", 15),
            ("पैरासिटामोल 2 पत्ते", "पैरासिटामोल", 2),
            ("insulin pen", "insulin pen", 1),
        ];
        for (typed, name, qty) in cases {
            assert_eq!(one(typed), (name.to_owned(), qty), "{typed}");
        }
    }

    #[test]
    fn a_list_splits_on_lines_and_commas() {
        let list = parse("paracetamol 500mg x 10, cetirizine 2 strips\n\n ORS x3 ;").unwrap();
        let names: Vec<_> = list.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["paracetamol 500mg", "cetirizine", "ORS"]);
    }

    #[test]
    fn bad_lists_name_the_line_at_fault() {
        assert_eq!(parse(" , \n"), Err(ListError::Empty));
        assert_eq!(parse("x 10"), Err(ListError::NoName("x 10".into())));
        assert_eq!(
            parse("crocin x 0"),
            Err(ListError::BadCount("crocin x 0".into()))
        );
        assert_eq!(
            parse("crocin x 20000"),
            Err(ListError::BadCount("crocin x 20000".into()))
        );
        let long = vec!["crocin"; MAX_ITEMS + 1].join(",");
        assert_eq!(parse(&long), Err(ListError::TooMany));
    }
}
