//! Chat records on the memory store.

use super::*;
use crate::store::memory::MemoryStore;
use caremesh_bots::chat::Platform;

#[test]
fn an_unreadable_session_starts_over_and_a_saved_one_comes_back() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let records = ChatRecords::new(store.clone());
    let who = ChatUser::direct(Platform::Telegram, "7");
    let key = format!("session/{}", who.key());
    store
        .put(Space::Chat, &key, &[record::FORMAT_V1, 0xc1])
        .expect("stored");
    assert_eq!(records.load(&who).expect("no error"), None);
    let session = Session {
        lang: caremesh_bots::lang::Lang::Hi,
        ..Session::default()
    };
    records.save(&who, &session).expect("saved");
    assert_eq!(records.load(&who).expect("read"), Some(session));
}

#[test]
fn a_session_of_the_release_before_flow_states_keeps_its_question() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let records = ChatRecords::new(store.clone());
    let who = ChatUser::direct(Platform::Telegram, "8");
    // The older release's `Dialogue` enum, tagged `dialogue`, as sled holds it.
    let old = serde_json::json!({"lang": "hi", "dialogue": {"dialogue": "offer",
        "request_id": "01J", "quantity": 4, "material": "petg"}});
    let mut bytes = vec![record::FORMAT_V1];
    bytes.extend(rmp_serde::to_vec_named(&old).expect("encoded"));
    store
        .put(Space::Chat, &format!("session/{}", who.key()), &bytes)
        .expect("stored");
    let session = records.load(&who).expect("read").expect("found");
    assert_eq!(session.lang, caremesh_bots::lang::Lang::Hi);
    let open = session.dialogue.clone().expect("question kept");
    assert_eq!(open.command, "offer");
    assert_eq!(open.state.get("quantity"), Some(&serde_json::json!(4)));
    assert_eq!(open.state.get("material"), Some(&serde_json::json!("petg")));
    records.save(&who, &session).expect("saved");
    assert_eq!(records.load(&who).expect("read"), Some(session));
}

#[test]
fn sent_markers_are_kept_for_a_while_then_forgotten() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let records = ChatRecords::new(store.clone());
    let day = 86_400_000;
    assert!(records.mark_sent("req:1:ravi", 0).unwrap());
    assert!(!records.mark_sent("req:1:ravi", day).unwrap(), "sent once");
    assert!(records.mark_sent("req:2:ravi", 10 * day).unwrap());
    // A marker of the release before, without a time.
    store
        .put(Space::Chat, "sent/prop:9", &[record::FORMAT_V1])
        .unwrap();
    records
        .put_code(
            "c1",
            &LinkCode {
                handle: "x".into(),
                expires_ms: 0,
            },
        )
        .unwrap();
    assert_eq!(records.prune_sent(SENT_KEPT_MS).unwrap(), 0);
    assert_eq!(records.prune_sent(SENT_KEPT_MS + day).unwrap(), 1);
    assert!(records.mark_sent("req:1:ravi", SENT_KEPT_MS + day).unwrap());
    assert!(!records.mark_sent("req:2:ravi", SENT_KEPT_MS + day).unwrap());
    // The old marker was dated at the first prune, so it lasts as long again.
    assert!(!records.mark_sent("prop:9", 2 * SENT_KEPT_MS).unwrap());
    assert_eq!(records.prune_sent(2 * SENT_KEPT_MS + 11 * day).unwrap(), 3);
    assert!(
        store.get(Space::Chat, "code/c1").unwrap().is_some(),
        "other families stay"
    );
}

#[test]
fn families_are_read_by_prefix() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let records = ChatRecords::new(store);
    let (a, b) = (
        ChatUser::direct(Platform::Telegram, "1"),
        ChatUser::direct(Platform::Matrix, "2"),
    );
    records.link(&a, "ravi").unwrap();
    records.link(&b, "ravi2").unwrap();
    assert_eq!(records.chats_of("ravi").unwrap(), [a]);
    assert_eq!(records.chats_of("ravi2").unwrap(), [b]);
    assert!(records.chats_of("rav").unwrap().is_empty());
}

#[test]
fn a_terminal_inbox_reads_in_the_order_it_was_written() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let records = ChatRecords::new(store);
    let who = ChatUser::direct(Platform::Terminal, "asha");
    let sent: Vec<caremesh_bots::reply::Reply> = (0..200)
        .map(|n| caremesh_bots::reply::Reply {
            text: format!("message {n}"),
            ..Default::default()
        })
        .collect();
    for reply in &sent {
        records.put_inbox(&who, reply).unwrap();
    }
    assert_eq!(records.take_inbox(&who).unwrap(), sent);
    assert!(records.take_inbox(&who).unwrap().is_empty());
}
