//! "For whom?", the step `/book` and `/order` share: a member with dependants chooses
//! themself or one of them. A button, the number on it, the name, or "me" ("मैं") is
//! understood.
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

/// The question `text` with a button for the member and one per dependant, answered under
/// `tag`; `None` when the member has no dependants (then it is for the member, unasked).
pub(super) fn question(
    turn: &Turn<'_>,
    ids: &[HealthIdInfo],
    text: Text,
    tag: &'static str,
) -> Option<Reply> {
    let dependants: Vec<Button> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !id.own)
        .map(|(i, id)| Button::answer(&id.name, tag, (i + 1).to_string()))
        .collect();
    if dependants.is_empty() {
        return None;
    }
    let mut buttons = vec![Button::answer(turn.t(common::YOU, &[]), tag, "me")];
    buttons.extend(dependants);
    Some(turn.say(text, &[]).grid(buttons, 2))
}

/// The person an answer names; `None` when it names nobody in the member's list.
pub(super) fn chosen(ids: &[HealthIdInfo], said: &str) -> Option<Person> {
    let said = said.trim();
    if ME.matches(said) {
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
