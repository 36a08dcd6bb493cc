//! Notices about what was addressed here are read from the store's log, not from events: a
//! medicine order and its quote stored while the chat fan-out was down (as after a crash
//! between storing and telling) are told once it runs again, once each: the quote to the
//! patient's chat, the new order to the pharmacy's staff, held until their first chat.

#[path = "support/api.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use caremesh_bots::chat::{ChatUser, Platform};
use caremesh_bots::reply::Reply;
use caremesh_node::app::App;
use caremesh_node::chat::records::ChatRecords;
use serde_json::json;
use support::{Api, app_running};
use tokio::sync::Notify;

/// The chat side of `app` (fan-out and terminal inbox), until the returned notify.
async fn chat_running(app: &App) -> Arc<Notify> {
    let stop = Arc::new(Notify::new());
    caremesh_node::chat::spawn(app, stop.clone()).await;
    stop
}

/// What the terminal user `who` received in the next `wait`.
async fn received(records: &ChatRecords, who: &ChatUser, wait: Duration) -> Vec<Reply> {
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    while tokio::time::Instant::now() < deadline {
        got.extend(records.take_inbox(who).unwrap());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    got
}

fn count(replies: &[Reply], needle: &str) -> usize {
    replies.iter().filter(|r| r.text.contains(needle)).count()
}

/// Polls the patient's view of an order until its status is `want`.
async fn status_becomes(api: &Api, who: &str, id: &str, want: &str) {
    for _ in 0..200 {
        let (s, v) = api.get(&format!("/api/v1/orders/{id}"), Some(who)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        if v["status"] == want && v["pending"].is_null() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("order {id} never became {want}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_and_its_quote_stored_while_the_chat_was_down_are_told_once() {
    let (app, api) = app_running();
    let records = ChatRecords::new(app.store.clone());
    let (pharmacy, staff, patient) = api.pharmacy_with_people("Sai Medicals").await;
    let meera = ChatUser::direct(Platform::Terminal, "meera");
    records.link(&meera, "meera").unwrap();

    // The fan-out runs once (it starts reading the log where it ends), then stops.
    let stop = chat_running(&app).await;
    for _ in 0..100 {
        if records.cursor("cursor/directed").unwrap().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(records.cursor("cursor/directed").unwrap().is_some());
    stop.notify_one();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Ordered and quoted while nothing tells anyone.
    let order = json!({"facility_id": pharmacy, "items": [{"name": "Crocin 650", "quantity": 10}]});
    let (s, v) = api.post("/api/v1/orders", &patient, order).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_owned();
    let quote = json!({"items": [{"available": 10, "unit_price": 2.5}], "pickup_at": "2099-01-01T10:00:00Z"});
    for _ in 0..100 {
        let (s, _) = api
            .post(&format!("/api/v1/orders/{id}/quote"), &staff, quote.clone())
            .await;
        if s == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    status_becomes(&api, &patient, &id, "quoted").await;
    assert!(
        received(&records, &meera, Duration::from_millis(500))
            .await
            .is_empty()
    );

    // The fan-out runs again: the quote reaches her chat once; the chemist's is held.
    let stop = chat_running(&app).await;
    let told = received(&records, &meera, Duration::from_secs(3)).await;
    assert_eq!(
        count(&told, "Sai Medicals answered your order"),
        1,
        "{told:#?}"
    );
    let chemist = ChatUser::direct(Platform::Terminal, "chemist");
    records.link(&chemist, "chemist").unwrap();
    let held = received(&records, &chemist, Duration::from_secs(2)).await;
    assert_eq!(count(&held, "New medicine order for meera"), 1, "{held:#?}");

    // Once more from the start: nothing is told twice.
    stop.notify_one();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _stop = chat_running(&app).await;
    let again = received(&records, &meera, Duration::from_secs(1)).await;
    let again_staff = received(&records, &chemist, Duration::from_millis(100)).await;
    assert!(
        again.is_empty() && again_staff.is_empty(),
        "{again:#?} {again_staff:#?}"
    );
}
