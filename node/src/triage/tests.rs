use super::*;

mod wording;

fn triage() -> Triage {
    match Triage::builtin() {
        Ok(t) => t,
        Err(e) => panic!("builtin rules do not load: {e}"),
    }
}

#[test]
fn builtin_rules_load_and_cover_the_red_flags() {
    let t = triage();
    let red: Vec<&str> = t
        .rules()
        .iter()
        .filter(|r| r.red_flag)
        .map(|r| r.id.as_str())
        .collect();
    for id in [
        "chest_pain",
        "breathing_difficulty",
        "stroke_signs",
        "heavy_bleeding",
        "unconscious",
        "seizure",
        "sick_child",
        "severe_burn",
        "poisoning",
        "suicidal_thoughts",
        "severe_allergy",
        "pregnancy_bleeding",
    ] {
        assert!(red.contains(&id), "missing red flag {id}");
    }
    assert!(t.rules().len() >= 40, "only {} rules", t.rules().len());
}

/// What is wrong with `example` as an example of `rule`, if anything.
fn example_problem(t: &Triage, rule: &Rule, example: &str) -> Option<String> {
    let a = t.assess(example);
    if !a.matched.contains(&rule.id) {
        return Some(format!("did not fire: {:?}", a.matched));
    }
    if a.urgency < rule.urgency {
        return Some(format!("urgency {:?}", a.urgency));
    }
    if let Some(slug) = rule.specialties.iter().find(|s| !a.specialties.contains(s)) {
        return Some(format!("lost {slug}"));
    }
    if a.red_flags.contains(&rule.id) != rule.red_flag {
        return Some(format!("red flags {:?}", a.red_flags));
    }
    // Inside a sentence, in capitals, with punctuation around it.
    let sentence = format!("Since yesterday: {}!! please help.", example.to_uppercase());
    if !t.assess(&sentence).matched.contains(&rule.id) {
        return Some(format!("not in the sentence `{sentence}`"));
    }
    None
}

#[test]
fn every_example_of_every_rule_fires_its_rule() {
    let t = triage();
    let mut problems = Vec::new();
    for rule in t.rules() {
        for example in &rule.examples {
            if let Some(p) = example_problem(&t, rule, example) {
                problems.push(format!("{}: `{example}` {p}", rule.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_has_a_source_and_vocabulary_specialties() {
    for rule in triage().rules() {
        assert!(!rule.source.trim().is_empty(), "{}", rule.id);
        assert!(
            rule.specialties.iter().all(|s| is_specialty(s)),
            "{}",
            rule.id
        );
    }
}

#[test]
fn red_flags_in_english_and_hindi() {
    let t = triage();
    let cases = [
        (
            "my father has chest pain and is sweating",
            "chest_pain",
            Lang::En,
        ),
        ("mere pita ko seene mein dard hai", "chest_pain", Lang::Hi),
        ("मेरे पिता को सीने में दर्द है", "chest_pain", Lang::Hi),
        (
            "She can't breathe properly",
            "breathing_difficulty",
            Lang::En,
        ),
        (
            "maa ka saans phoolna shuru ho gaya hai",
            "breathing_difficulty",
            Lang::Hi,
        ),
        (
            "दादी को सांस लेने में तकलीफ हो रही है",
            "breathing_difficulty",
            Lang::Hi,
        ),
        (
            "his face drooping and slurred speech",
            "stroke_signs",
            Lang::En,
        ),
        ("papa ka muh tedha ho gaya hai", "stroke_signs", Lang::Hi),
        (
            "चाचा का चेहरा टेढ़ा हो गया और बोलने में दिक्कत है",
            "stroke_signs",
            Lang::Hi,
        ),
        (
            "heavy bleeding from the leg after a fall",
            "heavy_bleeding",
            Lang::En,
        ),
        ("बहुत खून बह रहा है", "heavy_bleeding", Lang::Hi),
        (
            "my brother fainted and is unconscious",
            "unconscious",
            Lang::En,
        ),
        ("dada ji behosh ho gaye hain", "unconscious", Lang::Hi),
        ("my son had seizures this morning", "seizure", Lang::En),
        ("बच्चे को दौरा पड़ा", "seizure", Lang::Hi),
        ("our baby not feeding since morning", "sick_child", Lang::En),
        (
            "mera bachcha doodh nahi pi raha aur bahut sust hai",
            "sick_child",
            Lang::Hi,
        ),
        (
            "severe burns on her arms from the stove",
            "severe_burn",
            Lang::En,
        ),
        ("वह आग से जल गया", "severe_burn", Lang::Hi),
        ("he drank poison", "poisoning", Lang::En),
        ("usne zeher kha liya hai", "poisoning", Lang::Hi),
        ("I want to kill myself", "suicidal_thoughts", Lang::En),
        ("मैं आत्महत्या के बारे में सोचता हूं", "suicidal_thoughts", Lang::Hi),
        (
            "severe allergic reaction after a bee sting, swollen lips",
            "severe_allergy",
            Lang::En,
        ),
        (
            "दवा के बाद चेहरे पर सूजन और गले में सूजन",
            "severe_allergy",
            Lang::Hi,
        ),
        ("I am pregnant and bleeding", "pregnancy_bleeding", Lang::En),
        ("गर्भावस्था में खून आ रहा है", "pregnancy_bleeding", Lang::Hi),
    ];
    for (text, flag, lang) in cases {
        let a = t.assess(text);
        assert!(
            a.red_flags.iter().any(|f| f == flag),
            "{text}: {:?}",
            a.red_flags
        );
        assert_eq!(a.urgency, Urgency::Emergency, "{text}");
        assert_eq!(a.language, lang, "{text}");
        assert!(a.advice.contains("112"), "{text}: {}", a.advice);
        assert!(
            a.specialties.iter().any(|s| s == "emergency_medicine"),
            "{text}"
        );
    }
}

#[test]
fn ordinary_symptoms_route_to_their_specialty() {
    let t = triage();
    let cases = [
        ("I have a skin rash on my arms", "dermatology"),
        ("ear pain since two days", "ent"),
        ("bad toothache", "dentistry"),
        ("knee pain when walking", "orthopedics"),
        ("red eye and blurred vision", "ophthalmology"),
        ("burning urine", "urology"),
        ("pet mein dard aur ulti", "gastroenterology"),
        ("बुखार और खांसी", "general_medicine"),
    ];
    for (text, slug) in cases {
        let a = t.assess(text);
        assert_eq!(
            a.specialties.first().map(String::as_str),
            Some(slug),
            "{text}: {a:?}"
        );
        assert!(a.red_flags.is_empty(), "{text}");
        assert!(a.urgency < Urgency::Emergency, "{text}");
    }
}

#[test]
fn highest_urgency_wins_and_specialties_are_deduped() {
    let a = triage().assess("fever, cough and chest pain, chest pain again");
    assert_eq!(a.urgency, Urgency::Emergency);
    assert_eq!(
        a.specialties.first().map(String::as_str),
        Some("emergency_medicine")
    );
    let mut unique = a.specialties.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), a.specialties.len());
    assert!(a.matched.contains(&"fever".to_owned()));
}

#[test]
fn fallback_is_general_medicine_routine() {
    let a = triage().assess("I feel a bit off today");
    assert_eq!(a.specialties, ["general_medicine"]);
    assert_eq!(a.urgency, Urgency::Routine);
    assert!(a.matched.is_empty() && a.red_flags.is_empty());
    assert!(a.advice.contains("general physician"), "{}", a.advice);
    assert!(a.disclaimer.starts_with("This is not a diagnosis"));
}

#[test]
fn garbage_input_never_panics() {
    let t = triage();
    let noise: String = (0..10_000u32)
        .map(|i| char::from_u32(0x20 + (i.wrapping_mul(7919) % 0x2FF0)).unwrap_or('?'))
        .collect();
    let long_devanagari = "सीने ".repeat(20_000);
    for text in [
        "",
        " ",
        "🤒🤕😷🚑",
        "\u{200D}\u{0301}",
        noise.as_str(),
        &long_devanagari,
    ] {
        let a = t.assess(text);
        assert!(!a.specialties.is_empty());
        assert!(!a.advice.is_empty());
    }
    // A red flag after 10,000 characters of noise is still found.
    let late = format!("{noise} chest pain");
    assert!(t.assess(&late).red_flags.contains(&"chest_pain".to_owned()));
}

#[test]
fn emergency_number_is_a_parameter() {
    let a = triage().assess_with("chest pain", "911");
    assert!(
        a.advice.contains("911") && !a.advice.contains("112"),
        "{}",
        a.advice
    );
    assert_eq!(a.emergency_number, "911");
}

#[test]
fn advice_follows_the_language() {
    let t = triage();
    let hi = t.assess("मुझे बुखार है");
    assert_eq!(hi.language, Lang::Hi);
    assert!(hi.advice.contains("डॉक्टर"), "{}", hi.advice);
    let en = t.assess("I have fever");
    assert_eq!(en.language, Lang::En);
    assert!(en.advice.contains("doctor"), "{}", en.advice);
}

#[test]
fn assessment_serializes_with_snake_case_urgency() {
    let a = triage().assess("chest pain");
    let json = match serde_json::to_value(&a) {
        Ok(v) => v,
        Err(e) => panic!("serialize: {e}"),
    };
    assert_eq!(json["urgency"], "emergency");
    assert_eq!(json["language"], "en");
    assert_eq!(json["red_flags"][0], "chest_pain");
    for key in [
        "specialties",
        "advice",
        "disclaimer",
        "matched",
        "emergency_number",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
}

fn rule_error(text: &str) -> (String, &'static str) {
    match Triage::from_toml(text, BUILTIN_LEXICON) {
        Err(TriageError::Rule { rule, field, .. }) => (rule, field),
        other => panic!("expected a rule error, got {other:?}"),
    }
}

#[test]
fn invalid_rules_are_refused_with_rule_and_field() {
    let ok = |extra: &str| {
        format!(
            "version = 2\n[[rule]]\nid = \"r1\"\nwhen = [\"tooth + pain\"]\nspecialties = \
             [\"dentistry\"]\nurgency = \"routine\"\nsource = \"NHS\"\nexamples = [\"toothache\"]\n{extra}"
        )
    };
    assert!(Triage::from_toml(&ok(""), BUILTIN_LEXICON).is_ok());
    let bad_slug = ok("").replace("dentistry", "teeth");
    assert_eq!(rule_error(&bad_slug), ("r1".to_owned(), "specialties"));
    let bad_urgency = ok("").replace("routine", "soon");
    assert_eq!(rule_error(&bad_urgency), ("r1".to_owned(), "urgency"));
    let no_source = ok("").replace("\"NHS\"", "\"\"");
    assert_eq!(rule_error(&no_source), ("r1".to_owned(), "source"));
    assert_eq!(
        rule_error(&ok("red_flag = true")),
        ("r1".to_owned(), "urgency")
    );
    let unknown_concept = ok("").replace("tooth + pain", "tooth + agony");
    assert_eq!(rule_error(&unknown_concept), ("r1".to_owned(), "when"));
    let switched_off = ok("red_flag = true\nname_en = \"a\"\nname_hi = \"b\"")
        .replace("routine", "emergency")
        .replace("tooth + pain", "tooth + pain & !mild");
    assert_eq!(rule_error(&switched_off), ("r1".to_owned(), "when"));
    let unnamed_flag = ok("red_flag = true").replace("routine", "emergency");
    assert_eq!(rule_error(&unnamed_flag), ("r1".to_owned(), "name_en"));
    let no_examples = ok("").replace("examples = [\"toothache\"]", "");
    assert_eq!(rule_error(&no_examples), ("r1".to_owned(), "examples"));
    let bad_override = ok("overrides = [\"nothing\"]");
    assert_eq!(rule_error(&bad_override), ("r1".to_owned(), "overrides"));
    let twice = format!("{}\n{}", ok(""), ok("").replace("version = 2\n", ""));
    assert_eq!(rule_error(&twice), ("r1".to_owned(), "id"));
    let v1 = ok("").replace("version = 2", "version = 1");
    assert!(matches!(
        Triage::from_toml(&v1, BUILTIN_LEXICON),
        Err(TriageError::Version { found: 1, .. })
    ));
    assert!(matches!(
        Triage::from_toml("version = [", BUILTIN_LEXICON),
        Err(TriageError::Parse { .. })
    ));
}
