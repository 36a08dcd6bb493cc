//! `/profile [ID]` shows a health ID's profile; `/profile edit [ID]` walks through blood
//! group, allergies, conditions, medications and emergency contact. Each answer is saved at
//! once (Skip keeps a field, "none" empties it), so the session never holds profile data:
//! only which field is asked and which of the member's IDs (its place in their list).

use caremesh_federation::vocabulary::BloodGroup;
use serde::{Deserialize, Serialize};

use super::health::{choose, digits, take_id};
use super::{Answer, Gate, Question, Step, again, ask, done};
use crate::engine::Turn;
use crate::lang::words::{ChatWord, NONE};
use crate::lang::{Text, common, health as t};
use crate::port::{Account, PortError, ProfileInfo};
use crate::reply::{Button, Reply};

/// The fields, in the order they are asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Field {
    BloodGroup,
    Allergies,
    Conditions,
    Medications,
    Contact,
}

impl Field {
    fn next(self) -> Option<Field> {
        match self {
            Field::BloodGroup => Some(Field::Allergies),
            Field::Allergies => Some(Field::Conditions),
            Field::Conditions => Some(Field::Medications),
            Field::Medications => Some(Field::Contact),
            Field::Contact => None,
        }
    }

    fn question(self) -> Text {
        match self {
            Field::BloodGroup => t::ASK_BLOOD_GROUP,
            Field::Allergies => t::ASK_ALLERGIES,
            Field::Conditions => t::ASK_CONDITIONS,
            Field::Medications => t::ASK_MEDICATIONS,
            Field::Contact => t::ASK_CONTACT,
        }
    }
}

/// `/profile edit` waits on one field of the ID at `place` of the member's list (which had
/// `of` entries: if it changed meanwhile, the edit stops rather than touch another person).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Editing {
    place: usize,
    of: usize,
    field: Field,
}

impl Question for Editing {
    fn tag(&self) -> &'static str {
        match self.field {
            Field::BloodGroup => "blood",
            Field::Allergies => "allergies",
            Field::Conditions => "conditions",
            Field::Medications => "medications",
            Field::Contact => "contact",
        }
    }
}

/// `/profile [ID]`, `/profile edit [ID]`.
pub(crate) async fn start(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let (word, rest) = args.trim().split_once(' ').unwrap_or((args.trim(), ""));
    let editing = word.eq_ignore_ascii_case("edit");
    let typed = if editing { rest } else { args };
    let command = if editing { "profile edit" } else { "profile" };
    let (typed, _) = take_id(typed);
    let number = match choose(turn, &by, typed.as_deref(), command).await? {
        Ok(n) => n,
        Err(reply) => return done(vec![reply]),
    };
    if !editing {
        return match turn.health().profile(&by, &number).await {
            Ok(profile) => done(vec![shown(turn, &number, &profile)]),
            Err(e) => super::refusal(turn, e),
        };
    }
    let ids = turn.health().health_ids(&by).await?;
    let Some(place) = ids
        .iter()
        .position(|i| digits(&i.number) == digits(&number))
    else {
        // Not theirs (or mistyped): the node says which.
        return match turn.health().profile(&by, &number).await {
            Err(e) => super::refusal(turn, e),
            Ok(_) => done(vec![turn.say(common::BAD_CHOICE, &[])]),
        };
    };
    let name = ids.get(place).map(|i| i.name.clone()).unwrap_or_default();
    let state = Editing {
        place,
        of: ids.len(),
        field: Field::BloodGroup,
    };
    let intro = turn.say(t::EDITING_PROFILE, &[&name]);
    ask(vec![intro, question(turn, state.field)], state)
}

/// The profile as a message, with an Edit button.
fn shown(turn: &Turn<'_>, number: &str, p: &ProfileInfo) -> Reply {
    let list = |items: &[String]| {
        if items.is_empty() {
            "—".to_owned()
        } else {
            items.join(", ")
        }
    };
    let blood = p.blood_group.map(|g| g.as_str()).unwrap_or("—");
    let contact = p.emergency_contact.clone().unwrap_or_else(|| "—".into());
    turn.say(
        t::PROFILE,
        &[
            number,
            blood,
            &list(&p.allergies),
            &list(&p.conditions),
            &list(&p.medications),
            &contact,
        ],
    )
    .row(vec![Button::command(
        turn.t(t::EDIT_BUTTON, &[]),
        format!("/profile edit {}", digits(number)),
    )])
}

/// The question for `field`, with Skip (and the blood groups) as buttons.
fn question(turn: &Turn<'_>, field: Field) -> Reply {
    let tag = Editing {
        place: 0,
        of: 0,
        field,
    }
    .tag();
    let skip = Button::answer(turn.t(common::SKIP, &[]), tag, "skip");
    let reply = turn.say(field.question(), &[]);
    if field != Field::BloodGroup {
        return reply.row(vec![skip]);
    }
    let groups = BloodGroup::ALL
        .iter()
        .map(|g| Button::answer(g.as_str(), tag, g.as_str()))
        .collect();
    reply.grid(groups, 4).row(vec![skip])
}

/// Items typed as a list: commas, semicolons or lines between them; "none" for none.
fn items(text: &str) -> Vec<String> {
    if NONE.matches(text) {
        return Vec::new();
    }
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Applies an answer to `profile`; the reply that asks again when it cannot be read.
fn apply(turn: &Turn<'_>, field: Field, text: &str, p: &mut ProfileInfo) -> Result<(), Reply> {
    match field {
        Field::BloodGroup if NONE.matches(text) => p.blood_group = None,
        Field::BloodGroup => match BloodGroup::parse(text) {
            Some(g) => p.blood_group = Some(g),
            None => return Err(turn.say(t::BAD_BLOOD_GROUP, &[text])),
        },
        Field::Allergies => p.allergies = items(text),
        Field::Conditions => p.conditions = items(text),
        Field::Medications => p.medications = items(text),
        Field::Contact if NONE.matches(text) => p.emergency_contact = None,
        Field::Contact => p.emergency_contact = Some(text.trim().to_owned()),
    }
    Ok(())
}

/// One answer of `/profile edit`: saved at once, then the next field.
pub(crate) async fn step(turn: &Turn<'_>, state: Editing, answer: Answer) -> Step {
    let by = match again(turn, Gate::Member).await? {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    let ids = turn.health().health_ids(&by).await?;
    let Some(id) = ids.get(state.place).filter(|_| ids.len() == state.of) else {
        return done(vec![turn.say(t::IDS_CHANGED, &[])]);
    };
    let number = id.number.clone();
    if !answer.is_skip() {
        let text = match &answer {
            Answer::Text(text) => text.trim().to_owned(),
            Answer::Location(..) | Answer::Skip => String::new(),
        };
        let mut profile = turn.health().profile(&by, &number).await?;
        if let Err(again) = apply(turn, state.field, &text, &mut profile) {
            return ask(vec![again, question(turn, state.field)], state);
        }
        match turn.health().set_profile(&by, &number, profile).await {
            Ok(_) => {}
            Err(e @ PortError::Invalid { .. }) => {
                return ask(vec![turn.error(&e), question(turn, state.field)], state);
            }
            Err(e) => return super::refusal(turn, e),
        }
    }
    match state.field.next() {
        Some(field) => ask(vec![question(turn, field)], Editing { field, ..state }),
        None => {
            let profile = turn.health().profile(&by, &number).await?;
            done(vec![
                turn.say(t::PROFILE_SAVED, &[]),
                shown(turn, &number, &profile),
            ])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_split_and_none_empties_them() {
        assert_eq!(
            items("penicillin, peanuts;dust"),
            ["penicillin", "peanuts", "dust"]
        );
        assert!(items("none").is_empty());
        assert!(items("कोई नहीं").is_empty());
    }
}
