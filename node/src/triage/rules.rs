//! The triage rules file: its TOML shape, the specialty vocabulary it may use, and the
//! checks that turn reviewed data into [`Rule`]s.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::{TriageError, Urgency, normalize};

/// The rules file format this code reads.
pub const RULES_VERSION: u32 = 1;

/// The specialty vocabulary of DESIGN.md: slug, English label, Hindi label. Shared by
/// facilities, triage and search; extend only by adding.
pub const SPECIALTIES: &[(&str, &str, &str)] = &[
    ("general_medicine", "general medicine", "सामान्य चिकित्सा"),
    (
        "emergency_medicine",
        "emergency medicine",
        "आपातकालीन चिकित्सा",
    ),
    ("cardiology", "cardiology (heart)", "हृदय रोग"),
    ("pulmonology", "pulmonology (lungs)", "फेफड़े के रोग"),
    ("neurology", "neurology (brain and nerves)", "तंत्रिका रोग"),
    ("pediatrics", "pediatrics (children)", "बाल रोग"),
    (
        "obstetrics_gynecology",
        "obstetrics and gynecology",
        "स्त्री एवं प्रसूति रोग",
    ),
    ("orthopedics", "orthopedics (bones and joints)", "हड्डी रोग"),
    ("general_surgery", "general surgery", "सामान्य शल्य चिकित्सा"),
    ("dermatology", "dermatology (skin)", "त्वचा रोग"),
    ("ent", "ENT (ear, nose and throat)", "नाक, कान, गला रोग"),
    ("ophthalmology", "ophthalmology (eyes)", "नेत्र रोग"),
    ("psychiatry", "psychiatry (mental health)", "मानसिक स्वास्थ्य"),
    ("infectious_disease", "infectious diseases", "संक्रामक रोग"),
    (
        "gastroenterology",
        "gastroenterology (stomach and liver)",
        "पेट एवं लिवर रोग",
    ),
    ("nephrology", "nephrology (kidneys)", "गुर्दा रोग"),
    ("urology", "urology (urinary tract)", "मूत्र रोग"),
    ("oncology", "oncology (cancer)", "कैंसर रोग"),
    (
        "endocrinology",
        "endocrinology (diabetes and hormones)",
        "मधुमेह एवं हार्मोन रोग",
    ),
    ("dentistry", "dentistry", "दंत चिकित्सा"),
    ("radiology", "radiology (X-ray and scans)", "एक्स-रे एवं स्कैन"),
    ("pathology", "pathology (laboratory tests)", "लैब जांच"),
    (
        "anesthesiology",
        "anesthesiology and pain care",
        "एनेस्थीसिया एवं दर्द उपचार",
    ),
    ("physiotherapy", "physiotherapy", "फिजियोथेरेपी"),
    ("dialysis", "dialysis", "डायलिसिस"),
    ("trauma_care", "trauma care", "ट्रॉमा (चोट) उपचार"),
    ("geriatrics", "geriatrics (older people)", "वृद्धावस्था रोग"),
    ("neonatology", "neonatology (newborns)", "नवजात शिशु रोग"),
    (
        "prosthetics_orthotics",
        "prosthetics and orthotics",
        "कृत्रिम अंग एवं ब्रेस",
    ),
    (
        "medical_device_repair",
        "medical device repair",
        "चिकित्सा उपकरण मरम्मत",
    ),
    ("oxygen_supply", "oxygen supply", "ऑक्सीजन आपूर्ति"),
];

/// Whether `slug` belongs to the specialty vocabulary.
pub fn is_specialty(slug: &str) -> bool {
    SPECIALTIES.iter().any(|(s, _, _)| *s == slug)
}

/// The English and Hindi labels of a vocabulary slug (the slug itself if unknown).
pub(crate) fn specialty_labels(slug: &str) -> (&str, &str) {
    SPECIALTIES
        .iter()
        .find(|(s, _, _)| *s == slug)
        .map_or((slug, slug), |(_, en, hi)| (*en, *hi))
}

/// One checked rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier, reported in assessments.
    pub id: String,
    /// Phrases as written in the file.
    pub phrases: Vec<String>,
    /// Vocabulary slugs, most relevant first.
    pub specialties: Vec<String>,
    /// How soon care is needed when this rule matches.
    pub urgency: Urgency,
    /// The public reference the rule was reviewed against.
    pub source: String,
    /// A danger sign that needs care at once.
    pub red_flag: bool,
    /// Extra advice in English and Hindi, shown when the rule matches.
    pub advice: Option<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: u32,
    #[serde(rename = "rule", default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    specialties: Vec<String>,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    red_flag: bool,
    advice_en: Option<String>,
    advice_hi: Option<String>,
}

fn invalid(rule: &str, field: &'static str, problem: impl Into<String>) -> TriageError {
    TriageError::Rule {
        rule: rule.to_owned(),
        field,
        problem: problem.into(),
    }
}

/// Parses and checks a rules file.
pub(crate) fn parse(text: &str) -> Result<Vec<Rule>, TriageError> {
    let raw: RawFile = toml::from_str(text).map_err(|source| TriageError::Parse { source })?;
    if raw.version != RULES_VERSION {
        return Err(TriageError::Version {
            found: raw.version,
            expected: RULES_VERSION,
        });
    }
    if raw.rules.is_empty() {
        return Err(TriageError::Empty);
    }
    let mut ids = BTreeSet::new();
    // Normalized phrase → the rule that owns it, to refuse the same phrase in two rules.
    let mut owners: BTreeMap<Vec<String>, String> = BTreeMap::new();
    let mut rules = Vec::with_capacity(raw.rules.len());
    for r in raw.rules {
        let rule = check(r)?;
        if !ids.insert(rule.id.clone()) {
            return Err(invalid(&rule.id, "id", "is used by another rule"));
        }
        for phrase in &rule.phrases {
            let key = normalize::tokens(phrase);
            let owner = owners.entry(key).or_insert_with(|| rule.id.clone());
            if *owner != rule.id {
                let other = owner.clone();
                let problem = format!("has `{phrase}`, which rule `{other}` also has");
                return Err(invalid(&rule.id, "phrases", problem));
            }
        }
        rules.push(rule);
    }
    Ok(rules)
}

fn check(r: RawRule) -> Result<Rule, TriageError> {
    let id = r.id.trim().to_owned();
    if !caremesh_federation::object::is_slug(&id) {
        return Err(invalid(&r.id, "id", "must be a slug (a-z, 0-9, `_`, `-`)"));
    }
    check_phrases(&id, &r.phrases)?;
    check_specialties(&id, &r.specialties)?;
    let urgency = Urgency::parse(&r.urgency).ok_or_else(|| {
        invalid(
            &id,
            "urgency",
            format!(
                "`{}` is not emergency, urgent, routine or self_care",
                r.urgency
            ),
        )
    })?;
    if r.source.trim().is_empty() {
        return Err(invalid(
            &id,
            "source",
            "is empty: cite the public reference",
        ));
    }
    if r.red_flag && urgency <= Urgency::Routine {
        return Err(invalid(
            &id,
            "urgency",
            "a red flag cannot be routine or self_care",
        ));
    }
    let advice = match (r.advice_en, r.advice_hi) {
        (None, None) => None,
        (Some(en), Some(hi)) if !en.trim().is_empty() && !hi.trim().is_empty() => Some((en, hi)),
        _ => {
            return Err(invalid(
                &id,
                "advice_en",
                "needs advice_hi beside it, both non-empty",
            ));
        }
    };
    Ok(Rule {
        id,
        phrases: r.phrases,
        specialties: r.specialties,
        urgency,
        source: r.source,
        red_flag: r.red_flag,
        advice,
    })
}

fn check_phrases(id: &str, phrases: &[String]) -> Result<(), TriageError> {
    if phrases.is_empty() {
        return Err(invalid(id, "phrases", "is empty"));
    }
    for phrase in phrases {
        if normalize::tokens(phrase).is_empty() {
            return Err(invalid(id, "phrases", format!("`{phrase}` has no words")));
        }
    }
    Ok(())
}

fn check_specialties(id: &str, specialties: &[String]) -> Result<(), TriageError> {
    if specialties.is_empty() {
        return Err(invalid(id, "specialties", "is empty"));
    }
    let mut seen = BTreeSet::new();
    for slug in specialties {
        if !is_specialty(slug) {
            return Err(invalid(
                id,
                "specialties",
                format!("`{slug}` is not in the vocabulary"),
            ));
        }
        if !seen.insert(slug) {
            return Err(invalid(id, "specialties", format!("lists `{slug}` twice")));
        }
    }
    Ok(())
}
