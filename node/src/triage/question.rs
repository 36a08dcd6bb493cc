//! One follow-up question when a text leaves out what decides the urgency ("my breathing
//! feels strange": is it hard right now? "bukhar hai": for how many days?). Questions are
//! reviewed data in `data/triage_rules.toml` (`[[question]]`); the first that fits is
//! asked, never for an emergency. The chat asks it once, adds the answer to the text (a
//! "yes" or "no" becomes the question's `yes`/`no` words) and assesses again.

use serde::{Deserialize, Serialize};

use super::lexicon::Lexicon;
use super::rules::{compile, invalid, pair};
use super::scan::{Pattern, Scan};
use super::{Lang, TriageError};

/// A question for the person, in the language of their text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FollowUp {
    /// Stable identifier of the question.
    pub id: String,
    /// The question.
    pub question: String,
    /// Words to add to the text when the answer is yes, if a yes/no answer fits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yes: Option<String>,
    /// Words to add to the text when the answer is no.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no: Option<String>,
}

/// A question as written in the rules file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuestion {
    id: String,
    #[serde(default)]
    when: Vec<String>,
    #[serde(default)]
    if_nothing_matched: bool,
    question_en: Option<String>,
    question_hi: Option<String>,
    yes_en: Option<String>,
    yes_hi: Option<String>,
    no_en: Option<String>,
    no_hi: Option<String>,
    #[serde(default)]
    source: String,
}

/// A checked question.
#[derive(Clone, Debug)]
pub(crate) struct Question {
    id: String,
    patterns: Vec<Pattern>,
    if_nothing_matched: bool,
    question: (String, String),
    yes: Option<(String, String)>,
    no: Option<(String, String)>,
}

impl RawQuestion {
    /// Checks the question against `lexicon`.
    pub(crate) fn check(self, lexicon: &Lexicon) -> Result<Question, TriageError> {
        let id = self.id.trim().to_owned();
        if !caremesh_federation::object::is_slug(&id) {
            return Err(invalid(
                &self.id,
                "id",
                "must be a slug (a-z, 0-9, `_`, `-`)",
            ));
        }
        if self.when.is_empty() && !self.if_nothing_matched {
            return Err(invalid(
                &id,
                "when",
                "is empty and if_nothing_matched is not set",
            ));
        }
        if self.source.trim().is_empty() {
            return Err(invalid(
                &id,
                "source",
                "is empty: cite the public reference",
            ));
        }
        let question = pair(&id, "question_en", self.question_en, self.question_hi)?
            .ok_or_else(|| invalid(&id, "question_en", "is required, with question_hi"))?;
        let patterns = self
            .when
            .iter()
            .map(|p| compile(&id, false, p, lexicon))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Question {
            yes: pair(&id, "yes_en", self.yes_en, self.yes_hi)?,
            no: pair(&id, "no_en", self.no_en, self.no_hi)?,
            id,
            patterns,
            if_nothing_matched: self.if_nothing_matched,
            question,
        })
    }
}

impl Question {
    /// Whether the question fits a text: one of its patterns holds, or nothing matched and
    /// it is the question for that.
    pub(crate) fn fits(&self, scan: &Scan, nothing_matched: bool) -> bool {
        (self.if_nothing_matched && nothing_matched)
            || self.patterns.iter().any(|p| scan.holds_unsaid(p))
    }

    /// The question in `language`.
    pub(crate) fn ask(&self, language: Lang) -> FollowUp {
        let pick = |(en, hi): &(String, String)| match language {
            Lang::En => en.clone(),
            Lang::Hi => hi.clone(),
        };
        FollowUp {
            id: self.id.clone(),
            question: pick(&self.question),
            yes: self.yes.as_ref().map(pick),
            no: self.no.as_ref().map(pick),
        }
    }
}
