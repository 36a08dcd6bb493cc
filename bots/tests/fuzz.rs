//! A few thousand random and hostile messages and button payloads: every one gets a
//! non-empty reply and nothing panics.

#[path = "support/fuzz_chat.rs"]
mod fuzz_chat;

use std::sync::Arc;

use caremesh_bots::chat::{ChatUser, Event, Input, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::port::Role;
use caremesh_bots::session::MemorySessions;
use fuzz_chat::fake_port::FakePort;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const PIECES: [&str; 40] = [
    "/need",
    "/needs",
    "/offer",
    "/offer R1",
    "/accept",
    "/accept P9",
    "/register",
    "/subscribe",
    "!mute",
    "/lang",
    "/lang xx",
    "/link",
    "/link ZZZ",
    "/approve",
    "/nearby",
    "/nearby Atlantis",
    "/nearby 🏥 ✨",
    "/map",
    "/facility",
    "/facility new",
    "/facility 01J blood Q 9",
    "/map ../../etc",
    "/blood A",
    "/symptoms",
    "/stats",
    "/cancel",
    "/skip",
    "/proposals",
    "/shipped",
    "/received P1",
    "-1",
    "0",
    "99999999999999999999",
    "18.5,73.8",
    "NaN,inf",
    "face-shield",
    "PLA",
    "🤖",
    "\u{0}\u{202e}",
    "all",
];

fn random_event(rng: &mut StdRng) -> Event {
    match rng.gen_range(0..6) {
        0 => Event::Text {
            text: (0..rng.gen_range(0..4))
                .map(|_| PIECES[rng.gen_range(0..PIECES.len())])
                .collect::<Vec<_>>()
                .join(" "),
        },
        1 => Event::Text {
            text: (0..rng.gen_range(0..300))
                .map(|_| char::from_u32(rng.gen_range(0..0x11_0000)).unwrap_or('?'))
                .collect(),
        },
        2 => Event::Button {
            data: format!(
                "={}:{}",
                [
                    "role", "product", "need-qty", "need-by", "facility", "material", "eta",
                    "radius", "products", "x"
                ][rng.gen_range(0..10)],
                PIECES[rng.gen_range(0..PIECES.len())]
            ),
        },
        3 => Event::Button {
            data: PIECES[rng.gen_range(0..PIECES.len())].to_owned(),
        },
        4 => Event::Location {
            lat: rng.gen_range(-200.0..200.0),
            lon: if rng.gen_bool(0.1) {
                f64::NAN
            } else {
                rng.gen_range(-400.0..400.0)
            },
        },
        _ => Event::Text {
            text: "x".repeat(rng.gen_range(3990..4010)),
        },
    }
}

#[tokio::test]
async fn thousands_of_hostile_inputs_all_get_answers() {
    let port = Arc::new(FakePort::default());
    let engine = Engine::new(
        port.clone(),
        Arc::new(MemorySessions::default()),
        "Fuzz node",
    );
    let users: Vec<ChatUser> = (0..6)
        .map(|i| {
            ChatUser::direct(
                if i % 2 == 0 {
                    Platform::Telegram
                } else {
                    Platform::Matrix
                },
                format!("{i}"),
            )
        })
        .collect();
    port.add(&users[0], "admin", Role::Admin);
    port.add(&users[1], "maker", Role::Maker);
    port.add(&users[2], "nurse", Role::Requester);
    let mut rng = StdRng::seed_from_u64(0x0ca7e);
    for i in 0..4000 {
        let from = users[rng.gen_range(0..users.len())].clone();
        let event = random_event(&mut rng);
        let replies = engine
            .handle(&Input {
                from,
                event: event.clone(),
            })
            .await;
        assert!(!replies.is_empty(), "message {i} {event:?} got no reply");
        assert!(
            replies.iter().all(|r| !r.text.trim().is_empty()),
            "message {i} {event:?} got an empty reply"
        );
        for b in replies.iter().flat_map(|r| r.all_buttons()) {
            assert!(
                b.data.len() <= 64,
                "button payload fits Telegram's 64 bytes: {}",
                b.data
            );
        }
    }
}

/// Replays every file of the `chat` fuzz corpus (`fuzz/corpus/chat/`) on stable, through the
/// same function as the cargo-fuzz target.
#[test]
fn chat_fuzz_corpus() {
    caremesh_federation::fuzzing::replay_corpus("chat", fuzz_chat::chat);
}
