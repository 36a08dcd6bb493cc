//! `/symptoms` against a fake node: a clear text gets its answer at once; a vague one gets
//! one follow-up question, whose yes, no or typed answer is added to the symptoms before
//! the one final answer.

#[path = "support/fake_port.rs"]
#[allow(dead_code)]
mod fake_port;

use std::sync::Arc;

use caremesh_bots::chat::{ChatUser, Input, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::reply::Reply;
use caremesh_bots::session::MemorySessions;
use fake_port::FakePort;

fn engine() -> Engine {
    let port = Arc::new(FakePort::default());
    Engine::new(port, Arc::new(MemorySessions::default()), "Test node")
}

fn user() -> ChatUser {
    ChatUser::direct(Platform::Telegram, "88")
}

async fn say(engine: &Engine, text: &str) -> Vec<Reply> {
    engine.handle(&Input::text(&user(), text)).await
}

fn text_of(replies: &[Reply]) -> String {
    replies
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_clear_text_is_answered_at_once() {
    let e = engine();
    let r = text_of(&say(&e, "/symptoms toothache since yesterday").await);
    assert!(r.contains("Urgency: routine"), "{r}");
    assert!(r.contains("not a diagnosis"), "{r}");
}

#[tokio::test]
async fn a_vague_text_gets_one_question_and_a_yes_decides() {
    let e = engine();
    let r = say(&e, "/symptoms my breathing is odd").await;
    assert_eq!(text_of(&r), "Is the breathing hard?");
    let buttons: Vec<&str> = r[0].all_buttons().map(|b| b.data.as_str()).collect();
    assert_eq!(buttons, ["=symptoms-more:yes", "=symptoms-more:no"]);
    let r = text_of(
        &e.handle(&Input::button(&user(), "=symptoms-more:yes"))
            .await,
    );
    assert!(r.contains("Urgency: emergency"), "{r}");
    assert!(
        r.contains("You said: my breathing is odd. difficulty breathing"),
        "{r}"
    );
    // The dialogue is over: the next text is not taken as an answer.
    let r = text_of(&say(&e, "yes").await);
    assert!(!r.contains("Urgency"), "{r}");
}

#[tokio::test]
async fn a_no_or_a_typed_answer_is_added_to_the_symptoms() {
    let e = engine();
    say(&e, "/symptoms my breathing is odd").await;
    let r = text_of(&say(&e, "नहीं").await);
    assert!(
        r.contains("You said: my breathing is odd. no trouble"),
        "{r}"
    );
    assert!(r.contains("Urgency: routine"), "{r}");
    say(&e, "/symptoms odd feeling").await;
    let r = text_of(&say(&e, "since 3 days, in the stomach").await);
    assert!(
        r.contains("You said: odd feeling. since 3 days, in the stomach"),
        "{r}"
    );
    // Asked once only: the combined text still "odd", yet no second question.
    assert!(r.contains("Urgency:"), "{r}");
}
