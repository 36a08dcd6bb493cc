//! What people call the protocol's values in each language, and the one parser per value
//! type ([`ChatWord::parse`]): a word typed in chat (English, Hindi or Hinglish, or the wire
//! spelling) becomes the protocol's enum here and nowhere else. The first word of each
//! language is how chat shows the value.

use caremesh_federation::object::{FacilityKind, Material, ProposalStatus};
use caremesh_federation::vocabulary::BloodGroup;

use super::Lang;
use crate::role::Role;

mod appointments;
mod health;

/// Words for one thing in every language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    en: &'static [&'static str],
    hi: &'static [&'static str],
}

impl Words {
    /// Words in English and Hindi; each language needs at least one.
    pub const fn new(en: &'static [&'static str], hi: &'static [&'static str]) -> Words {
        assert!(
            !en.is_empty() && !hi.is_empty(),
            "every language needs a word"
        );
        Words { en, hi }
    }

    /// The words in `lang`.
    pub fn pick(self, lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::En => self.en,
            Lang::Hi => self.hi,
        }
    }

    /// How chat shows the thing in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        self.pick(lang).first().copied().unwrap_or_default()
    }

    /// Every word in every language.
    pub fn all(self) -> impl Iterator<Item = &'static str> {
        self.en.iter().chain(self.hi).copied()
    }

    /// True when `text` is one of the words, in any language.
    pub fn matches(self, text: &str) -> bool {
        let wanted = normalize(text);
        self.all().any(|w| normalize(w) == wanted)
    }
}

/// Lowercase, `_` and `-` as spaces, single spaces.
fn normalize(text: &str) -> String {
    text.to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A protocol value people can name in chat.
pub trait ChatWord: Copy + 'static {
    /// Every value.
    fn all() -> &'static [Self];
    /// The wire spelling (also understood when typed).
    fn wire(self) -> &'static str;
    /// What people call it.
    fn words(self) -> Words;

    /// The value `text` names, in any language; `None` when it names none.
    fn parse(text: &str) -> Option<Self> {
        let wanted = normalize(text);
        if wanted.is_empty() {
            return None;
        }
        Self::all()
            .iter()
            .copied()
            .find(|v| normalize(v.wire()) == wanted || v.words().matches(&wanted))
    }

    /// How chat shows the value in `lang`.
    fn label(self, lang: Lang) -> &'static str {
        self.words().label(lang)
    }
}

/// The first value named by one to three adjacent words of `words` ("blood bank", "दवा की
/// दुकान"), with the range of words that named it.
pub fn find<T: ChatWord>(words: &[&str]) -> Option<(T, std::ops::Range<usize>)> {
    for start in 0..words.len() {
        for len in (1..=3).rev() {
            let Some(window) = words.get(start..start + len) else {
                continue;
            };
            if let Some(value) = T::parse(&window.join(" ")) {
                return Some((value, start..start + len));
            }
        }
    }
    None
}

/// Every label of `T` in `lang`, for a usage line.
pub fn labels<T: ChatWord>(lang: Lang) -> String {
    T::all()
        .iter()
        .map(|v| v.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ChatWord for FacilityKind {
    fn all() -> &'static [Self] {
        &FacilityKind::ALL
    }
    fn wire(self) -> &'static str {
        self.as_str()
    }
    fn words(self) -> Words {
        match self {
            FacilityKind::Hospital => Words::new(&["hospital"], &["अस्पताल", "aspatal"]),
            FacilityKind::Clinic => Words::new(
                &["clinic", "dispensary"],
                &["क्लिनिक", "दवाखाना", "dawakhana"],
            ),
            FacilityKind::NursingHome => Words::new(&["nursing home"], &["नर्सिंग होम"]),
            FacilityKind::Lab => Words::new(
                &["lab", "laboratory", "diagnostic centre"],
                &["लैब", "जाँच केंद्र", "प्रयोगशाला"],
            ),
            FacilityKind::Pharmacy => Words::new(
                &["pharmacy", "chemist", "medical store"],
                &["दवा की दुकान", "फ़ार्मेसी", "फार्मेसी", "केमिस्ट", "dawa ki dukan"],
            ),
            FacilityKind::BloodBank => {
                Words::new(&["blood bank"], &["ब्लड बैंक", "रक्त कोष", "रक्त बैंक"])
            }
            FacilityKind::MakerHub => Words::new(&["maker hub", "makerspace"], &["मेकर हब"]),
        }
    }
}

impl ChatWord for Material {
    fn all() -> &'static [Self] {
        &Material::ALL
    }
    fn wire(self) -> &'static str {
        self.as_str()
    }
    fn words(self) -> Words {
        match self {
            Material::Pla => Words::new(&["PLA"], &["PLA", "पीएलए"]),
            Material::Petg => Words::new(&["PETG"], &["PETG", "पीईटीजी"]),
            Material::Abs => Words::new(&["ABS"], &["ABS", "एबीएस"]),
            Material::Asa => Words::new(&["ASA"], &["ASA"]),
            Material::Tpu => Words::new(&["TPU", "flexible"], &["TPU", "लचीला"]),
            Material::Nylon => Words::new(&["nylon"], &["नायलॉन", "nylon"]),
        }
    }
}

impl ChatWord for Role {
    fn all() -> &'static [Self] {
        &Role::ALL
    }
    fn wire(self) -> &'static str {
        self.as_str()
    }
    fn words(self) -> Words {
        match self {
            Role::Requester => Words::new(
                &[
                    "Health worker (requester)",
                    "health worker",
                    "nurse",
                    "doctor",
                ],
                &[
                    "स्वास्थ्य कर्मी (अनुरोधकर्ता)",
                    "स्वास्थ्य कर्मी",
                    "अनुरोधकर्ता",
                    "नर्स",
                    "डॉक्टर",
                ],
            ),
            Role::Maker => Words::new(&["Maker"], &["निर्माता", "मेकर"]),
            Role::Patient => Words::new(
                &["Patient (health ID)", "patient"],
                &["मरीज़ (हेल्थ ID)", "मरीज़", "मरीज"],
            ),
            Role::Staff => Words::new(&["staff"], &["स्टाफ़", "स्टाफ"]),
            Role::Admin => Words::new(&["admin"], &["एडमिन"]),
        }
    }
}

impl ChatWord for ProposalStatus {
    fn all() -> &'static [Self] {
        &ProposalStatus::ALL
    }
    fn wire(self) -> &'static str {
        self.as_str()
    }
    fn words(self) -> Words {
        match self {
            ProposalStatus::Pending => Words::new(&["pending"], &["लंबित"]),
            ProposalStatus::Accepted => Words::new(&["accepted"], &["स्वीकृत"]),
            ProposalStatus::Deferred => Words::new(&["deferred"], &["बाद के लिए"]),
            ProposalStatus::Declined => Words::new(&["declined"], &["अस्वीकृत"]),
            ProposalStatus::Withdrawn => Words::new(&["withdrawn"], &["वापस ली गई"]),
            ProposalStatus::Shipped => Words::new(&["shipped"], &["भेजी गई"]),
            ProposalStatus::Received => Words::new(&["received"], &["प्राप्त"]),
            ProposalStatus::Lapsed => Words::new(&["lapsed"], &["समय बीता"]),
        }
    }
}

/// Words for "positive" and "negative" after a blood group letter.
const POSITIVE: Words = Words::new(
    &["positive", "pos", "+ve"],
    &["पॉज़िटिव", "पॉजिटिव", "पोजिटिव", "धनात्मक"],
);
const NEGATIVE: Words = Words::new(&["negative", "neg", "-ve"], &["नेगेटिव", "निगेटिव", "ऋणात्मक"]);
/// Blood group letters written in Devanagari, longest first.
const GROUP_LETTERS: [(&str, &str); 4] = [("एबी", "AB"), ("ओ", "O"), ("ए", "A"), ("बी", "B")];

impl ChatWord for BloodGroup {
    fn all() -> &'static [Self] {
        &BloodGroup::ALL
    }
    fn wire(self) -> &'static str {
        self.as_str()
    }
    fn words(self) -> Words {
        // Groups are written the same way in every language; spellings such as "O
        // negative" or "ओ पॉज़िटिव" are read by `parse`.
        let word: &'static [&'static str] = match self {
            BloodGroup::ONeg => &["O-"],
            BloodGroup::OPos => &["O+"],
            BloodGroup::ANeg => &["A-"],
            BloodGroup::APos => &["A+"],
            BloodGroup::BNeg => &["B-"],
            BloodGroup::BPos => &["B+"],
            BloodGroup::AbNeg => &["AB-"],
            BloodGroup::AbPos => &["AB+"],
        };
        Words::new(word, word)
    }

    /// `o-`, `O+ve`, `B negative`, `ab pos`, `ओ पॉज़िटिव`…
    fn parse(text: &str) -> Option<Self> {
        let mut t: String = text.split_whitespace().collect::<String>().to_uppercase();
        for (words, sign) in [(NEGATIVE, "-"), (POSITIVE, "+")] {
            let mut spellings: Vec<&str> = words.all().collect();
            spellings.sort_by_key(|w| std::cmp::Reverse(w.len()));
            for w in spellings {
                t = t.replace(&w.to_uppercase(), sign);
            }
        }
        for (devanagari, latin) in GROUP_LETTERS {
            t = t.replace(devanagari, latin);
        }
        BloodGroup::from_wire(&t)
    }
}

/// "Skip" typed as an answer.
pub const SKIP: Words = Words::new(&["skip"], &["छोड़ें", "छोड़ो", "chhodo"]);
/// "None" typed for an empty answer (no allergies, no blood group known).
pub const NONE: Words = Words::new(
    &["none", "no", "nothing", "-"],
    &["कोई नहीं", "नहीं", "कुछ नहीं", "kuch nahi"],
);
/// "Yes" typed or pressed.
pub const YES: Words = Words::new(
    &["yes", "y", "yeah", "yep"],
    &["हाँ", "हां", "जी", "जी हाँ", "haan", "han", "ha", "haa", "ji"],
);
/// "No" typed or pressed.
pub const NO: Words = Words::new(
    &["no", "n", "nope"],
    &["नहीं", "नही", "ना", "nahi", "nahin", "nhi", "na"],
);
/// The member themself, typed or pressed where a dialogue asks for whom.
pub const ME: Words = Words::new(
    &["me", "myself", "you", "self"],
    &["मैं", "मेरे लिए", "खुद", "आप", "main", "mere liye", "khud"],
);
/// "All" typed for every product.
pub const ALL: Words = Words::new(&["all"], &["सभी", "sab"]);
/// Words around a place name that are not part of it ("hospital near Pune", "पुणे में").
pub const FILLER: Words = Words::new(
    &[
        "near", "in", "at", "around", "me", "nearby", "closest", "nearest", "blood",
    ],
    &["के", "पास", "में", "नज़दीक", "नजदीक"],
);
/// Each language's own names, for `/lang`.
pub const LANGUAGE_NAMES: Words = Words::new(&["English"], &["हिन्दी", "हिंदी", "hindi"]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_materials_and_roles_parse_in_every_language() {
        assert_eq!(
            FacilityKind::parse("Blood bank"),
            Some(FacilityKind::BloodBank)
        );
        assert_eq!(
            FacilityKind::parse("blood_bank"),
            Some(FacilityKind::BloodBank)
        );
        assert_eq!(FacilityKind::parse("अस्पताल"), Some(FacilityKind::Hospital));
        assert_eq!(FacilityKind::parse("dawakhana"), Some(FacilityKind::Clinic));
        assert_eq!(FacilityKind::parse("Pune"), None);
        assert_eq!(Material::parse("petg"), Some(Material::Petg));
        assert_eq!(Material::parse("नायलॉन"), Some(Material::Nylon));
        assert_eq!(Role::parse("nurse"), Some(Role::Requester));
        assert_eq!(Role::parse("निर्माता"), Some(Role::Maker));
        assert_eq!(FacilityKind::BloodBank.label(Lang::En), "blood bank");
        assert_eq!(FacilityKind::BloodBank.label(Lang::Hi), "ब्लड बैंक");
        let words = ["pharmacy", "दवा", "की", "दुकान", "Pune"];
        assert_eq!(
            find::<FacilityKind>(&words[1..]),
            Some((FacilityKind::Pharmacy, 0..3))
        );
        assert_eq!(
            labels::<Material>(Lang::En),
            "PLA, PETG, ABS, ASA, TPU, nylon"
        );
    }

    #[test]
    fn blood_groups_in_many_spellings() {
        for (typed, group) in [
            ("o-", BloodGroup::ONeg),
            ("O+ve", BloodGroup::OPos),
            ("O-ve", BloodGroup::ONeg),
            ("B negative", BloodGroup::BNeg),
            ("ab pos", BloodGroup::AbPos),
            ("AB+", BloodGroup::AbPos),
            ("ओ पॉज़िटिव", BloodGroup::OPos),
            ("एबी नेगेटिव", BloodGroup::AbNeg),
        ] {
            assert_eq!(BloodGroup::parse(typed), Some(group), "{typed}");
        }
        for typed in ["purple", "C+", "", "O", "pune"] {
            assert_eq!(BloodGroup::parse(typed), None, "{typed}");
        }
    }
}
