//! "For whom?", the step `/book` and `/order` share: a member with dependants chooses
//! themself (only when she holds her own health ID) or one of them; a member with no ID of
//! her own and one dependant is not asked. A button, the number on it, the name, or "me"
//! ("मैं") is understood.
//!
//! A dialogue keeps the person as a position in the member's own list of health IDs, never
//! the number or the name.

use serde::{Deserialize, Serialize};

use crate::engine::Turn;
use crate::lang::Text;
use crate::lang::common;
use crate::lang::words::ME;
use crate::port::HealthIdInfo;
use crate::reply::{Button, Reply};

/// Who a dialogue is for: the member themself, or the health ID at a position in their list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(super) struct Person(Option<usize>);

impl Person {
    /// The member themself.
    pub(super) const ME: Person = Person(None);

    /// The person's health ID in the member's list: a dependant's, else the member's own.
    pub(super) fn id(self, ids: &[HealthIdInfo]) -> Option<&HealthIdInfo> {
        match self.0.and_then(|i| ids.get(i)) {
            Some(id) => Some(id),
            None => ids.iter().find(|i| i.own),
        }
    }

    /// The dependant's health ID number, as drafts carry it; `None` for the member's own.
    pub(super) fn dependant(self, ids: &[HealthIdInfo]) -> Option<String> {
        self.id(ids).filter(|i| !i.own).map(|i| i.number.clone())
    }

    /// How a confirmation names the person: "you", or the dependant's name.
    pub(super) fn name(self, turn: &Turn<'_>, ids: &[HealthIdInfo]) -> String {
        match self.id(ids).filter(|i| !i.own) {
            Some(id) => id.name.clone(),
            None => turn.t(common::YOU, &[]),
        }
    }
}

/// Whether "for whom?" must be asked.
pub(super) enum ForWhom {
    /// The question to send.
    Ask(Reply),
    /// Nothing to choose: the member without dependants, or the one dependant of a member
    /// holding no health ID of her own.
    Known(Person),
}

/// The question `text`, answered under `tag`: a button for the member when she holds her
/// own health ID, and one per dependant; `Known` when there is nobody else to choose.
pub(super) fn question(
    turn: &Turn<'_>,
    ids: &[HealthIdInfo],
    text: Text,
    tag: &'static str,
) -> ForWhom {
    if let Some(person) = unasked(ids) {
        return ForWhom::Known(person);
    }
    let mut buttons = Vec::new();
    if holds_own(ids) {
        buttons.push(Button::answer(turn.t(common::YOU, &[]), tag, "me"));
    }
    buttons.extend(
        ids.iter()
            .enumerate()
            .filter(|(_, id)| !id.own)
            .map(|(i, id)| Button::answer(&id.name, tag, (i + 1).to_string())),
    );
    ForWhom::Ask(turn.say(text, &[]).grid(buttons, 2))
}

/// Who it is for when there is nothing to ask; `None` when the member must choose.
fn unasked(ids: &[HealthIdInfo]) -> Option<Person> {
    let mut dependants = ids.iter().enumerate().filter(|(_, id)| !id.own);
    match (dependants.next(), dependants.next()) {
        (None, _) => Some(Person::ME),
        (Some((only, _)), None) if !holds_own(ids) => Some(Person(Some(only))),
        _ => None,
    }
}

/// Whether the member holds a health ID of her own.
fn holds_own(ids: &[HealthIdInfo]) -> bool {
    ids.iter().any(|id| id.own)
}

/// The person an answer names; `None` when it names nobody in the member's list ("me"
/// names nobody for a member holding no health ID of her own).
pub(super) fn chosen(ids: &[HealthIdInfo], said: &str) -> Option<Person> {
    let said = said.trim();
    if ME.matches(said) && holds_own(ids) {
        return Some(Person::ME);
    }
    let position = match said.parse::<usize>() {
        Ok(n) => n.checked_sub(1).filter(|i| *i < ids.len())?,
        Err(_) => ids
            .iter()
            .position(|i| i.name.trim().eq_ignore_ascii_case(said))?,
    };
    Some(match ids.get(position) {
        Some(id) if !id.own => Person(Some(position)),
        _ => Person::ME,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(name: &str, own: bool) -> HealthIdInfo {
        HealthIdInfo {
            number: format!("{name}-number"),
            address: String::new(),
            name: name.into(),
            own,
            birth_year: None,
            guardians: vec![],
        }
    }

    fn family() -> Vec<HealthIdInfo> {
        vec![id("Ravi", true), id("Amma", false), id("Chotu", false)]
    }

    #[test]
    fn a_button_its_number_or_the_name_choose_a_dependant() {
        let ids = family();
        let amma = Some(Person(Some(1)));
        assert_eq!(chosen(&ids, "2"), amma);
        assert_eq!(chosen(&ids, "amma"), amma);
        assert_eq!(chosen(&ids, " Amma "), amma);
        assert_eq!(
            Person(Some(1)).dependant(&ids).as_deref(),
            Some("Amma-number")
        );
    }

    #[test]
    fn me_in_any_language_or_ones_own_entry_is_the_member() {
        let ids = family();
        for said in ["me", "Me", "मैं", "1", "ravi"] {
            assert_eq!(chosen(&ids, said), Some(Person::ME), "{said}");
        }
        assert_eq!(Person::ME.id(&ids).map(|i| i.name.as_str()), Some("Ravi"));
        assert_eq!(Person::ME.dependant(&ids), None);
    }

    #[test]
    fn anything_else_names_nobody() {
        let ids = family();
        for said in ["0", "4", "grandpa", "", "-1"] {
            assert_eq!(chosen(&ids, said), None, "{said}");
        }
    }

    #[test]
    fn without_an_own_id_me_names_nobody_and_one_dependant_is_chosen_unasked() {
        let amma_only = vec![id("Amma", false)];
        assert_eq!(unasked(&amma_only), Some(Person(Some(0))));
        assert_eq!(
            Person(Some(0)).dependant(&amma_only).as_deref(),
            Some("Amma-number")
        );
        let two = vec![id("Amma", false), id("Chotu", false)];
        assert_eq!(unasked(&two), None, "several dependants: asked");
        for said in ["me", "मैं"] {
            assert_eq!(chosen(&two, said), None, "{said}");
        }
        assert_eq!(chosen(&two, "2"), Some(Person(Some(1))));
        assert_eq!(chosen(&two, "amma"), Some(Person(Some(0))));
    }

    #[test]
    fn with_an_own_id_only_dependants_make_a_question() {
        assert_eq!(unasked(&[id("Ravi", true)]), Some(Person::ME));
        assert_eq!(unasked(&[]), Some(Person::ME));
        assert_eq!(unasked(&[id("Ravi", true), id("Amma", false)]), None);
        assert_eq!(unasked(&family()), None);
    }

    #[test]
    fn a_position_kept_from_before_still_reads() {
        let ids = family();
        let kept: Person = serde_json::from_str("2").expect("a bare position");
        assert_eq!(kept.dependant(&ids).as_deref(), Some("Chotu-number"));
        let own: Person = serde_json::from_str("0").expect("the own position");
        assert_eq!(own.dependant(&ids), None);
        assert_eq!(
            serde_json::to_string(&Person::ME).ok().as_deref(),
            Some("null")
        );
    }
}
