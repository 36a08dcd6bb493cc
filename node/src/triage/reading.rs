//! A text as the rules see it: tokens, language, concepts and what negation cancelled; and
//! `explain`, which shows that reading to people who review rules.

use super::lexicon::Occurrence;
use super::normalize::{self, Token};
use super::scan::Scan;
use super::{Lang, Triage};

/// A text as the rules see it.
pub(super) struct Reading {
    pub tokens: Vec<Token>,
    pub language: Lang,
    pub found: Vec<Occurrence>,
    pub scan: Scan,
}

impl Triage {
    /// Tokens, language, concepts and their negation for `text`.
    pub(super) fn read(&self, text: &str) -> Reading {
        let tokens = normalize::tokens(text);
        let language = self.detect_language(text, &tokens);
        let hinglish = language == Lang::Hi && !text.chars().any(normalize::is_devanagari_letter);
        let mut found = self.lexicon.find(&tokens, hinglish);
        found.extend(self.quantities.find(&tokens, &found));
        found.sort_by_key(|o| (o.start, o.end));
        let scan = Scan::new(&self.lexicon, &tokens, &found, self.neg);
        Reading {
            tokens,
            language,
            found,
            scan,
        }
    }

    /// How `symptoms` was read, for people who review rules: each word, the concepts found
    /// (a `~` marks one a negation or past marker cancelled), then the assessment.
    pub fn explain(&self, symptoms: &str) -> String {
        let read = self.read(symptoms);
        let mut out = String::new();
        for (i, t) in read.tokens.iter().enumerate() {
            let concepts: Vec<String> = read
                .found
                .iter()
                .filter(|o| o.start == i)
                .map(|o| {
                    let mark = if read.scan.counts(o.concept, o.start) {
                        ""
                    } else {
                        "~"
                    };
                    format!("{mark}{}", self.lexicon.concepts[o.concept].id)
                })
                .collect();
            out.push_str(&format!(
                "{:<16} {:<12} {}\n",
                t.text,
                t.sound,
                concepts.join(" ")
            ));
        }
        let a = self.assess(symptoms);
        out.push_str(&format!(
            "urgency {}; specialties {}; fired {}; ruled out {}\n",
            a.urgency.as_str(),
            a.specialties.join(", "),
            a.matched.join(", "),
            a.ruled_out.join(", ")
        ));
        out
    }
}
