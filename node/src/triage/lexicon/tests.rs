use super::*;

fn lexicon() -> Lexicon {
    match Lexicon::from_toml(super::super::BUILTIN_LEXICON) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    }
}

fn concepts(l: &Lexicon, text: &str) -> Vec<String> {
    l.find(&normalize::tokens(text), false)
        .into_iter()
        .map(|o| l.concepts[o.concept].id.clone())
        .collect()
}

#[test]
fn scripts_and_spellings_meet_in_one_concept() {
    let l = lexicon();
    for text in [
        "saans",
        "sans",
        "swas",
        "सांस",
        "श्वास",
        "breathing",
        "breathe",
    ] {
        assert_eq!(concepts(&l, text), ["breath"], "{text}");
    }
    for text in ["seene", "sine", "chhati", "chati", "सीने", "छाती", "chest"] {
        assert_eq!(concepts(&l, text), ["chest"], "{text}");
    }
    for text in ["behosh", "beyhosh", "बेहोश", "unconscious", "unconcious"] {
        assert_eq!(concepts(&l, text), ["unconscious"], "{text}");
    }
}

#[test]
fn longest_phrase_wins_and_implies_adds() {
    let l = lexicon();
    assert_eq!(concepts(&l, "dil ka daura"), ["heart", "heart_attack"]);
    assert_eq!(concepts(&l, "daura"), ["seizure"]);
    assert_eq!(concepts(&l, "food poisoning"), ["food_poisoning"]);
}

#[test]
fn hindi_function_words_mean_nothing_else() {
    let l = lexicon();
    let allowed = ["and", "neg", "neg_after", "but", "everything", "many"];
    for word in [
        "ne",
        "ko",
        "ke",
        "ka",
        "ki",
        "se",
        "me",
        "mein",
        "hai",
        "hain",
        "ho",
        "tha",
        "thi",
        "the",
        "par",
        "pe",
        "to",
        "hi",
        "ye",
        "yeh",
        "wo",
        "woh",
        "ab",
        "jab",
        "kab",
        "kya",
        "koi",
        "kuch",
        "liye",
        "wala",
        "raha",
        "rahi",
        "gaya",
        "gayi",
        "hua",
        "hui",
        "kar",
        "ne",
        "को",
        "के",
        "का",
        "की",
        "से",
        "में",
        "है",
        "हैं",
        "था",
        "थी",
        "पर",
        "तो",
        "ही",
        "यह",
        "वह",
        "अब",
        "जब",
        "क्या",
        "कोई",
        "कुछ",
        "लिए",
        "रहा",
        "रही",
        "गया",
        "गई",
        "हुआ",
        "हुई",
        "कर",
        "ने",
        "bhi",
        "aur",
        "na",
        "nahi",
        "नहीं",
    ] {
        for c in concepts(&l, word) {
            assert!(allowed.contains(&c.as_str()), "`{word}` means `{c}`");
        }
    }
}

#[test]
fn typos_only_when_unambiguous() {
    let l = lexicon();
    assert!(concepts(&l, "salah").is_empty());
    assert_eq!(concepts(&l, "chset"), ["chest"]);
    assert_eq!(concepts(&l, "breathng"), ["breath"]);
    assert!(concepts(&l, "xyzzy").is_empty());
}

#[test]
fn bad_concepts_name_the_concept_and_field() {
    let bad = |text: &str, field: &str| match Lexicon::from_toml(text) {
        Err(TriageError::Concept { field: f, .. }) => assert_eq!(f, field, "{text}"),
        other => panic!("{text}: {other:?}"),
    };
    bad(
        "version = 1\n[[concept]]\nid = \"A B\"\nkind = \"sign\"\nen = [\"x\"]",
        "id",
    );
    bad(
        "version = 1\n[[concept]]\nid = \"a\"\nkind = \"sign\"",
        "en",
    );
    bad(
        "version = 1\n[[concept]]\nid = \"a\"\nkind = \"sign\"\nen = [\"x\"]\nimplies = [\"b\"]",
        "implies",
    );
    bad(
        "version = 1\n[[concept]]\nid = \"a\"\nkind = \"sign\"\nen = [\"x\"]\n[[concept]]\nid = \"a\"\nkind = \"body\"\nen = [\"y\"]",
        "id",
    );
}
