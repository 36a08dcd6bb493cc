//! Matching people's own words: common words, word order, spelling, negation,
//! combinations, described emergencies and follow-up questions.

use super::*;

#[test]
fn common_words_do_not_raise_red_flags() {
    let t = triage();
    for text in [
        "food poisoning after street food",
        "my dad has a skin rash",
        "I am fit but have knee pain",
        "blood test report needed",
        "bleeding gums when brushing",
        "help me, I have a cold",
    ] {
        let a = t.assess(text);
        assert!(a.red_flags.is_empty(), "{text}: {:?}", a.red_flags);
        assert!(a.urgency < Urgency::Emergency, "{text}");
    }
}

#[test]
fn words_between_and_either_order_still_match() {
    let t = triage();
    for text in [
        "pain in the middle of my chest",
        "my chest is hurting a lot",
        "seene mein bahut tez dard",
        "chhati ke beech mein dard",
        "सीने में बहुत तेज़ दर्द",
        "छाती में भारी दबाव",
    ] {
        assert!(
            t.assess(text).red_flags.contains(&"chest_pain".to_owned()),
            "{text}"
        );
    }
}

#[test]
fn spelling_variants_and_typos_meet() {
    let t = triage();
    for text in [
        "saans lene mein dikkat",
        "sans lene me dikat",
        "swas lene mein taklif",
        "shwas lene me takleef",
        "श्वास लेने में तकलीफ़",
        "साँस लेने में दिक्कत",
        "breathng is very hard",
    ] {
        let a = t.assess(text);
        assert!(
            a.red_flags.contains(&"breathing_difficulty".to_owned()),
            "{text}: {a:?}"
        );
    }
    for text in [
        "wo behosh hai",
        "woh beyhosh hai",
        "वह बेहोश है",
        "he is unconcious",
    ] {
        assert!(
            t.assess(text).red_flags.contains(&"unconscious".to_owned()),
            "{text}"
        );
    }
}

#[test]
fn a_negated_sign_lowers_and_a_red_flag_elsewhere_still_wins() {
    let t = triage();
    for text in [
        "no chest pain, just a dry cough",
        "seene mein dard nahi hai, bas khansi",
        "सीने में दर्द नहीं है, बस खांसी",
    ] {
        let a = t.assess(text);
        assert!(a.red_flags.is_empty(), "{text}: {a:?}");
        assert!(
            a.ruled_out.contains(&"chest_pain".to_owned()),
            "{text}: {a:?}"
        );
        assert!(a.urgency < Urgency::Urgent, "{text}");
    }
    for text in [
        "no fever but sudden chest pain and sweating",
        "bukhar nahi hai par seene mein dard",
        "no chest pain but she can't breathe",
    ] {
        let a = t.assess(text);
        assert_eq!(a.urgency, Urgency::Emergency, "{text}: {a:?}");
    }
    // A negated verb is the sign itself: "not breathing", "the blood does not stop".
    for (text, flag) in [
        ("he is not breathing", "breathing_difficulty"),
        ("khoon ruk hi nahi raha", "heavy_bleeding"),
        ("not responding to us", "unconscious"),
    ] {
        assert!(
            t.assess(text).red_flags.contains(&flag.to_owned()),
            "{text}"
        );
    }
}

#[test]
fn combinations_name_the_red_flag() {
    let t = triage();
    let a = t.assess("fever with a stiff neck and a rash");
    assert_eq!(a.red_flags, ["meningitis_signs"], "{a:?}");
    assert!(a.advice.contains("meningitis"), "{}", a.advice);
    assert!(!a.matched.contains(&"headache".to_owned()));
    let a = t.assess("pregnant and bleeding since morning");
    assert!(
        a.red_flags.contains(&"pregnancy_bleeding".to_owned()),
        "{a:?}"
    );
    assert_eq!(
        a.specialties.first().map(String::as_str),
        Some("obstetrics_gynecology")
    );
    // A newborn lifts a rash from routine to see-a-doctor-today; a fever to an emergency.
    assert_eq!(t.assess("rash on the arm").urgency, Urgency::Routine);
    assert_eq!(
        t.assess("newborn with a rash on the arm").urgency,
        Urgency::Urgent
    );
    assert_eq!(
        t.assess("2 din ke bachche ko bukhar").urgency,
        Urgency::Emergency
    );
    assert_eq!(
        t.assess("10 saal ke bete ko bukhar").urgency,
        Urgency::Urgent
    );
    // A past event is history, not today's emergency.
    let a = t.assess("my father had a stroke last year and needs physiotherapy");
    assert!(a.red_flags.is_empty(), "{a:?}");
    assert!(a.ruled_out.contains(&"stroke_signs".to_owned()), "{a:?}");
}

#[test]
fn described_emergencies_are_recognised() {
    let t = triage();
    for (text, flag) in [
        (
            "his arm went weak suddenly and his speech is slurred",
            "stroke_signs",
        ),
        ("she took too many pills", "poisoning"),
        ("throat swelling up after eating peanuts", "severe_allergy"),
        (
            "fell from the ladder and has no feeling in his legs",
            "spinal_injury",
        ),
        ("he was bitten by a snake", "snakebite"),
        ("black stools and feeling faint", "gi_bleeding"),
        ("low sugar and confused", "low_blood_sugar"),
        ("the newborn is cold and not feeding", "newborn_danger"),
        ("baby breathing very fast", "breathing_difficulty"),
    ] {
        let a = t.assess(text);
        assert!(a.red_flags.contains(&flag.to_owned()), "{text}: {a:?}");
        assert_eq!(a.urgency, Urgency::Emergency, "{text}");
    }
}

#[test]
fn a_vague_text_gets_one_follow_up_question() {
    let t = triage();
    let ask = |text: &str| t.assess(text).follow_up.map(|f| f.id);
    assert_eq!(
        ask("my breathing feels strange").as_deref(),
        Some("breathing_hard")
    );
    assert_eq!(
        ask("something wrong in my chest").as_deref(),
        Some("chest_pain_check")
    );
    assert_eq!(
        ask("fell and hit his head").as_deref(),
        Some("head_injury_signs")
    );
    assert_eq!(ask("bukhar hai").as_deref(), Some("fever_days"));
    assert_eq!(ask("I feel a bit off today").as_deref(), Some("describe"));
    // Never for an emergency, and not when the text already decides.
    assert_eq!(ask("chest pain and sweating"), None);
    assert_eq!(ask("fever for 4 days"), None);
    assert_eq!(ask("toothache since yesterday"), None);
    assert_eq!(ask("no chest pain, just a dry cough"), None);
    // The question speaks the person's language, and its answer decides.
    let f = match t.assess("साँस में कुछ अजीब लग रहा है").follow_up
    {
        Some(f) => f,
        None => panic!("no question"),
    };
    assert!(f.question.contains("सांस"), "{}", f.question);
    let yes = format!("साँस में कुछ अजीब लग रहा है. {}", f.yes.unwrap_or_default());
    assert_eq!(t.assess(&yes).urgency, Urgency::Emergency);
    let no = format!("my breathing feels strange. {}", "no difficulty breathing");
    assert!(t.assess(&no).urgency < Urgency::Emergency);
    assert_eq!(t.assess("bukhar hai. 4 din").urgency, Urgency::Urgent);
    let head =
        t.assess("fell and hit his head. after the head injury vomiting, drowsy and confused");
    assert_eq!(head.urgency, Urgency::Emergency, "{head:?}");
}

#[test]
fn invalid_questions_are_refused_with_question_and_field() {
    let base = "version = 2\n[[rule]]\nid = \"r1\"\nwhen = [\"tooth + pain\"]\nspecialties = \
                [\"dentistry\"]\nurgency = \"routine\"\nsource = \"NHS\"\nexamples = [\"toothache\"]\n";
    let q = |body: &str| format!("{base}[[question]]\nid = \"q1\"\nsource = \"NHS\"\n{body}");
    let ok = q("when = [\"fever\"]\nquestion_en = \"a?\"\nquestion_hi = \"b?\"");
    assert!(Triage::from_toml(&ok, BUILTIN_LEXICON).is_ok());
    assert_eq!(
        rule_error(&q("question_en = \"a?\"\nquestion_hi = \"b?\"")),
        ("q1".to_owned(), "when")
    );
    assert_eq!(
        rule_error(&q("when = [\"fever\"]")),
        ("q1".to_owned(), "question_en")
    );
    assert_eq!(
        rule_error(&q(
            "when = [\"fevers\"]\nquestion_en = \"a?\"\nquestion_hi = \"b?\""
        )),
        ("q1".to_owned(), "when")
    );
    assert_eq!(
        rule_error(&q(
            "when = [\"fever\"]\nquestion_en = \"a?\"\nquestion_hi = \"b?\"\nyes_en = \"y\""
        )),
        ("q1".to_owned(), "yes_en")
    );
}
