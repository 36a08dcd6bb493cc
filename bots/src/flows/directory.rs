//! `/nearby` and `/blood` (facilities near a shared location, typed coordinates or a typed
//! place), `/map`, `/services` and `/symptoms`.

use caremesh_federation::object::FacilityKind;
use caremesh_federation::vocabulary::BloodGroup;

use serde::{Deserialize, Serialize};

use super::place::{self, Where};
use super::{Answer, Question, Step, ask, done, id_arg, km};
use crate::engine::{MAX_INPUT_CHARS, Turn};
use crate::lang::words::{self, ChatWord, labels};
use crate::lang::{common, directory as t};
use crate::port::{FacilityInfo, TriageInfo};
use crate::reply::{Button, Pin, Reply};

/// `/nearby` and `/blood` wait for a place.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Nearby {
    kind: Option<FacilityKind>,
    /// `/blood`: a blood group that must be in stock.
    #[serde(default)]
    blood: Option<BloodGroup>,
}

impl Question for Nearby {
    fn tag(&self) -> &'static str {
        "nearby"
    }
}

/// `/symptoms` waits for the symptoms text, then (when triage needs it) for the answer to
/// one follow-up question about them.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Symptoms {
    /// Set while the follow-up question is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follow_up: Option<FollowUp>,
}

/// The symptoms as typed and the words a yes or a no adds to them.
#[derive(Debug, Serialize, Deserialize)]
struct FollowUp {
    text: String,
    yes: Option<String>,
    no: Option<String>,
}

impl Question for Symptoms {
    fn tag(&self) -> &'static str {
        match self.follow_up {
            None => "symptoms",
            Some(_) => "symptoms-more",
        }
    }
}

fn ask_where(
    turn: &Turn<'_>,
    kind: Option<FacilityKind>,
    blood: Option<BloodGroup>,
    first: Option<Reply>,
) -> Step {
    let mut replies: Vec<Reply> = first.into_iter().collect();
    replies.push(
        turn.say(t::ASK_NEARBY, &[])
            .with_location_request(turn.t(common::SHARE_LOCATION, &[])),
    );
    ask(replies, Nearby { kind, blood })
}

/// Searches where `said` says, or asks where.
async fn search(
    turn: &Turn<'_>,
    said: Where,
    kind: Option<FacilityKind>,
    blood: Option<BloodGroup>,
) -> Step {
    match said {
        Where::At(at, name) => nearby_at(turn, at, name, kind, blood).await,
        Where::Nothing => ask_where(turn, kind, blood, None),
        Where::Unknown(_) | Where::Skipped => {
            let why = place::not_understood(turn, &said);
            ask_where(turn, kind, blood, Some(why))
        }
    }
}

/// `/nearby [kind] [place]`: facilities near a shared location, typed coordinates or a
/// typed place.
pub(crate) async fn nearby(turn: &Turn<'_>, args: &str) -> Step {
    let mut words: Vec<&str> = args.split_whitespace().collect();
    let kind = words::find::<FacilityKind>(&words).map(|(kind, named)| {
        words.drain(named);
        kind
    });
    let said = place::typed(turn, &words).await?;
    search(turn, said, kind, None).await
}

/// `/blood O- [place]`: blood banks with that group in stock, near a location. The group
/// may be one word or a few ("O negative", "ओ पॉज़िटिव").
pub(crate) async fn blood(turn: &Turn<'_>, args: &str) -> Step {
    let mut words: Vec<&str> = args.split_whitespace().collect();
    let Some((group, named)) = words::find::<BloodGroup>(&words) else {
        let groups = labels::<BloodGroup>(turn.lang);
        return done(vec![turn.say(t::BLOOD_USAGE, &[&groups])]);
    };
    words.drain(named);
    let said = place::typed(turn, &words).await?;
    search(turn, said, Some(FacilityKind::BloodBank), Some(group)).await
}

/// `/services NAME`: a facility's services and prices.
pub(crate) async fn services(turn: &Turn<'_>, args: &str) -> Step {
    let name = args.trim();
    if name.is_empty() {
        return done(vec![turn.say(t::SERVICES_USAGE, &[])]);
    }
    match turn.directory().services(name).await? {
        Some(info) if !info.services.is_empty() => {
            let mut lines = vec![turn.t(t::SERVICES_HEADER, &[&info.facility])];
            lines.extend(
                info.services
                    .iter()
                    .map(|(s, price, currency)| turn.t(t::SERVICE_LINE, &[s, price, currency])),
            );
            done(vec![Reply::text(lines.join("\n"))])
        }
        _ => done(vec![turn.say(t::NO_SERVICES, &[name])]),
    }
}

/// The answer to "where?" of `/nearby` and `/blood`.
pub(crate) async fn nearby_step(turn: &Turn<'_>, state: Nearby, answer: Answer) -> Step {
    let Nearby { kind, blood } = state;
    match place::answer(turn, &answer).await? {
        Where::Nothing => {
            let why = turn.say(common::BAD_LOCATION, &[]);
            ask_where(turn, kind, blood, Some(why))
        }
        said => search(turn, said, kind, blood).await,
    }
}

/// Results shown as cards, and pins offered.
const CARDS: usize = 10;
const PIN_BUTTONS: usize = 5;

/// The search itself: short cards (name, kind, distance, phone) with a map button for the
/// first few, then a map message for the nearest.
pub(crate) async fn nearby_at(
    turn: &Turn<'_>,
    at: (f64, f64),
    place: Option<String>,
    kind: Option<FacilityKind>,
    blood: Option<BloodGroup>,
) -> Step {
    let found = match blood {
        Some(group) => turn.directory().blood(at, group, CARDS).await?,
        None => turn.directory().nearby(at, kind, CARDS).await?,
    };
    let Some(nearest) = found.first() else {
        return done(vec![turn.say(t::NO_NEARBY, &[])]);
    };
    let mut lines: Vec<String> = place
        .map(|p| turn.t(t::NEAR_PLACE, &[&p]))
        .into_iter()
        .collect();
    for (i, f) in found.iter().enumerate() {
        let contact = if f.contact.is_empty() {
            turn.t(common::UNKNOWN, &[])
        } else {
            f.contact.clone()
        };
        lines.push(turn.t(
            t::NEARBY_CARD,
            &[
                &(i + 1).to_string(),
                &f.name,
                f.kind.label(turn.lang),
                &km(turn, f.distance_km),
                &contact,
            ],
        ));
    }
    let buttons = found
        .iter()
        .take(PIN_BUTTONS)
        .enumerate()
        .map(|(i, f)| Button::command(format!("📍 {}", i + 1), format!("/map {}", f.id)))
        .collect();
    let cards = Reply::text(lines.join("\n")).row(buttons);
    done(vec![cards, pin_of(nearest)])
}

fn pin_of(f: &FacilityInfo) -> Reply {
    Reply::pin(Pin {
        lat: f.lat,
        lon: f.lon,
        title: f.name.clone(),
        address: f.address.clone(),
    })
}

/// `/map ID`: a facility as a map message.
pub(crate) async fn map(turn: &Turn<'_>, args: &str) -> Step {
    let Some(id) = id_arg(args) else {
        return done(vec![turn.say(t::MAP_USAGE, &[])]);
    };
    match turn.directory().facility(&id).await? {
        Some(f) => done(vec![pin_of(&f)]),
        None => done(vec![turn.say(t::NO_SUCH_FACILITY, &[&id])]),
    }
}

/// `/symptoms [text]`: how soon and which specialty; asks for the text when none is given.
pub(crate) async fn symptoms(turn: &Turn<'_>, args: &str) -> Step {
    if args.trim().is_empty() {
        return ask(vec![turn.say(t::ASK_SYMPTOMS, &[])], Symptoms::default());
    }
    assess(turn, args).await
}

/// The symptoms text, or the answer to the follow-up question about it.
pub(crate) async fn symptoms_step(turn: &Turn<'_>, state: Symptoms, answer: Answer) -> Step {
    if let Some(follow_up) = state.follow_up {
        return follow_up_answered(turn, follow_up, answer).await;
    }
    match answer {
        Answer::Text(t) if !t.trim().is_empty() => assess(turn, &t).await,
        _ => ask(vec![turn.say(t::ASK_SYMPTOMS, &[])], state),
    }
}

/// A yes or a no adds the question's words, other text is added as typed, a skip adds
/// nothing; then the symptoms are assessed once more, with no second question.
async fn follow_up_answered(turn: &Turn<'_>, asked: FollowUp, answer: Answer) -> Step {
    let said = answer.as_text();
    let said = said.trim();
    let added = match (asked.yes, asked.no) {
        (Some(yes), _) if words::YES.matches(said) => yes,
        (_, Some(no)) if words::NO.matches(said) => no,
        _ if answer.is_skip() => String::new(),
        _ => said.to_owned(),
    };
    let whole = if added.is_empty() {
        asked.text
    } else {
        format!("{}. {added}", asked.text)
    };
    let triage = turn.directory().symptoms(&whole).await?;
    answer_with(turn, &triage)
}

/// Assesses `text`; when triage has a question that decides the urgency, asks it first.
async fn assess(turn: &Turn<'_>, text: &str) -> Step {
    let triage = turn.directory().symptoms(text).await?;
    let Some(follow_up) = triage.follow_up else {
        return answer_with(turn, &triage);
    };
    let mut question = Reply::text(follow_up.question);
    if follow_up.yes.is_some() || follow_up.no.is_some() {
        let (yes, no) = (words::YES.label(turn.lang), words::NO.label(turn.lang));
        question = question.row(vec![
            Button::answer(yes, "symptoms-more", "yes"),
            Button::answer(no, "symptoms-more", "no"),
        ]);
    }
    let follow_up = FollowUp {
        text: text.chars().take(MAX_INPUT_CHARS).collect(),
        yes: follow_up.yes,
        no: follow_up.no,
    };
    ask(
        vec![question],
        Symptoms {
            follow_up: Some(follow_up),
        },
    )
}

/// The answer, with a button that books the first specialty it names (`/book`).
fn answer_with(turn: &Turn<'_>, triage: &TriageInfo) -> Step {
    let reply = turn.say(
        t::SYMPTOMS_ANSWER,
        &[
            &triage.urgency,
            &triage.specialties.join(", "),
            &triage.advice,
        ],
    );
    let book = triage.specialties.first().map(|s| {
        let label = turn.t(crate::lang::appointments::BOOK_SPECIALTY_BUTTON, &[s]);
        Button::command(label, format!("/book {s}"))
    });
    done(vec![reply.row(book.into_iter().collect())])
}
