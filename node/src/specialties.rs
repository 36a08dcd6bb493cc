//! The specialty vocabulary of DESIGN.md, written once: the slugs facilities, triage rules,
//! search, schedules and the API schemas share, with their English and Hindi labels.

/// How many slugs the vocabulary has.
const COUNT: usize = 31;

/// The specialty vocabulary: slug, English label, Hindi label. Extend only by adding at the
/// end: a slug's position is its bit in the search index.
pub const SPECIALTIES: [(&str, &str, &str); COUNT] = [
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

/// The slugs alone, in vocabulary order (for schemas, patterns and index bits).
pub const SLUGS: [&str; COUNT] = {
    let mut slugs = [""; COUNT];
    let mut i = 0;
    while i < COUNT {
        slugs[i] = SPECIALTIES[i].0;
        i += 1;
    }
    slugs
};

/// Whether `slug` belongs to the specialty vocabulary.
pub fn is_specialty(slug: &str) -> bool {
    SLUGS.contains(&slug)
}

/// The position of `slug` in the vocabulary: its bit in the search index.
pub fn position(slug: &str) -> Option<usize> {
    SLUGS.iter().position(|s| *s == slug)
}

/// The English and Hindi labels of a vocabulary slug (the slug itself if unknown).
pub fn labels(slug: &str) -> (&str, &str) {
    SPECIALTIES
        .iter()
        .find(|(s, _, _)| *s == slug)
        .map_or((slug, slug), |(_, en, hi)| (*en, *hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_labelled_table_and_are_unique() {
        assert_eq!(SLUGS[0], "general_medicine");
        assert_eq!(SLUGS[COUNT - 1], "oxygen_supply");
        for (i, slug) in SLUGS.iter().enumerate() {
            assert_eq!(position(slug), Some(i), "{slug} twice");
        }
        assert!(is_specialty("oxygen_supply") && !is_specialty("astrology"));
        assert_eq!(labels("ent").0, "ENT (ear, nose and throat)");
        assert_eq!(labels("astrology"), ("astrology", "astrology"));
    }
}
