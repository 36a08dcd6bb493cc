//! The health commands against a fake node: a patient's health ID and card, a dependant,
//! the guided profile, a staff upload by file, records listed and downloaded, consent asked,
//! granted, scoped and revoked, the audit, erasure; and what a session keeps (no health
//! data).

#[path = "support/fake_port.rs"]
mod fake_port;
#[path = "support/replies.rs"]
#[allow(dead_code)]
mod replies;

use std::sync::Arc;

use caremesh_bots::chat::{ChatUser, Event, FileIn, Input, MAX_FILE_BYTES, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::notice::Notice;
use caremesh_bots::port::{ConsentState, Role};
use caremesh_bots::reply::Reply;
use caremesh_bots::session::MemorySessions;
use caremesh_federation::vocabulary::{BloodGroup, RecordType};
use fake_port::FakePort;
use replies::{button_data, text};

struct Chat {
    engine: Engine,
    port: Arc<FakePort>,
    sessions: Arc<MemorySessions>,
}

impl Chat {
    fn new() -> Self {
        let port = Arc::new(FakePort::default());
        let sessions = Arc::new(MemorySessions::default());
        let engine = Engine::new(port.clone(), sessions.clone(), "Test node");
        Self {
            engine,
            port,
            sessions,
        }
    }

    async fn say(&self, who: &ChatUser, text: &str) -> Vec<Reply> {
        self.engine.handle(&Input::text(who, text)).await
    }

    async fn press(&self, who: &ChatUser, data: &str) -> Vec<Reply> {
        self.engine.handle(&Input::button(who, data)).await
    }

    async fn send_file(&self, who: &ChatUser, file: FileIn) -> Vec<Reply> {
        let input = Input {
            from: who.clone(),
            event: Event::File(file),
        };
        self.engine.handle(&input).await
    }
}

fn tg(id: &str) -> ChatUser {
    ChatUser::direct(Platform::Telegram, id)
}

/// A patient with their own health ID (the fake's first: 42-1730-0000-0001) and a staff member.
async fn patient_and_staff(chat: &Chat) -> (ChatUser, ChatUser) {
    let (patient, staff) = (tg("10"), tg("20"));
    chat.port.add(&staff, "lab", Role::Staff);
    let r = chat.say(&patient, "/register").await;
    let r = chat.press(&patient, button_data(&r, "=role:patient")).await;
    let r = chat.press(&patient, button_data(&r, "=reg-loc:skip")).await;
    assert!(text(&r).contains("Done: you are u10"), "{r:?}");
    let r = chat.say(&patient, "/healthid").await;
    assert!(text(&r).contains("no health ID yet"), "{r:?}");
    let r = chat.press(&patient, button_data(&r, "/healthid new")).await;
    assert!(text(&r).contains("Health ID: 42-1730-0000-0001"), "{r:?}");
    assert!(
        r.iter().any(|r| r.image.is_some()),
        "the card is an image: {r:?}"
    );
    (patient, staff)
}

#[tokio::test]
async fn a_patient_gets_a_card_adds_a_parent_and_keeps_a_profile_without_it_in_the_session() {
    let chat = Chat::new();
    let (patient, _) = patient_and_staff(&chat).await;
    let r = chat.say(&patient, "/healthid new").await;
    assert!(text(&r).contains("already hold"), "one own ID: {r:?}");
    let r = chat.say(&patient, "/family add").await;
    assert!(text(&r).contains("born"), "{r:?}");
    let r = chat.say(&patient, "nineteen fifty").await;
    assert!(text(&r).contains("whole number from 1900"), "{r:?}");
    chat.say(&patient, "1950").await;
    let r = chat.say(&patient, "Kamala Devi").await;
    assert!(
        text(&r).contains("Kamala Devi now has a health ID"),
        "{r:?}"
    );
    let r = chat.say(&patient, "/family").await;
    assert!(
        text(&r).contains("Kamala Devi (born 1950): 42-1730-0000-0002"),
        "{r:?}"
    );
    let r = chat
        .press(&patient, button_data(&r, "/profile 42173000000002"))
        .await;
    let r = chat
        .press(&patient, button_data(&r, "/profile edit 42173000000002"))
        .await;
    assert!(text(&r).contains("Profile of Kamala Devi"), "{r:?}");
    let r = chat.press(&patient, button_data(&r, "=blood:B+")).await;
    assert!(text(&r).contains("Allergies"), "{r:?}");
    chat.say(&patient, "penicillin, peanuts").await;
    let raw = chat.sessions.raw(&patient).expect("a session").to_string();
    assert!(
        !raw.contains("penicillin") && !raw.contains("4217300") && !raw.contains("Kamala"),
        "no health data in the session: {raw}"
    );
    chat.say(&patient, "/skip").await;
    chat.say(&patient, "metformin").await;
    let r = chat.say(&patient, "Ravi, +91 98000 00000").await;
    assert!(text(&r).contains("Profile saved"), "{r:?}");
    assert!(text(&r).contains("Allergies: penicillin, peanuts"), "{r:?}");
    let state = chat.port.lock();
    let kept = &state.health.profiles["42173000000002"];
    assert_eq!(kept.blood_group, Some(BloodGroup::BPos));
    assert_eq!(kept.medications, ["metformin"]);
    assert!(kept.conditions.is_empty());
    assert!(
        !state.health.profiles.contains_key("42173000000001"),
        "the parent's, not mine"
    );
}

fn scan(caption: &str) -> FileIn {
    FileIn::new(
        "cbc.pdf",
        "application/octet-stream",
        b"%PDF-1.4 blood count".to_vec(),
        caption,
    )
}

#[tokio::test]
async fn staff_upload_by_file_and_the_patient_lists_downloads_and_erases() {
    let chat = Chat::new();
    let (patient, staff) = patient_and_staff(&chat).await;
    let r = chat
        .send_file(&patient, scan("42-1730-0000-0001 lab report"))
        .await;
    assert!(
        text(&r).contains("can't use this file"),
        "patients do not upload: {r:?}"
    );
    let r = chat
        .send_file(&staff, scan("42-1730-0000-0001 Blood count"))
        .await;
    assert!(
        text(&r).contains("the record type"),
        "a type is needed: {r:?}"
    );
    let r = chat
        .send_file(&staff, scan("42-1730-0000-001 lab report"))
        .await;
    assert!(text(&r).contains("13 digits"), "a typo is named: {r:?}");
    let big = FileIn::too_large("mri.dcm", MAX_FILE_BYTES + 1, "42-1730-0000-0001 imaging");
    let r = chat.send_file(&staff, big).await;
    assert!(text(&r).contains("at most 20 MB"), "{r:?}");
    let r = chat
        .send_file(
            &staff,
            scan("42-1730-0000-0001 lab report 2024-05-01 Blood count"),
        )
        .await;
    assert!(text(&r).contains("Stored: \"Blood count\""), "{r:?}");
    let notice = chat.port.lock().notices.last().cloned();
    let Some((Some(to), notice @ Notice::RecordArrived { .. })) = notice else {
        panic!("the holder is told: {notice:?}");
    };
    assert_eq!(to, "u10");
    let told = chat.engine.render_notice(&patient, &notice).await;
    let r = chat.press(&patient, button_data(&told, "/records")).await;
    assert!(
        text(&r).contains("2024-05-01 · lab report: Blood count · City Lab"),
        "{r:?}"
    );
    let r = chat
        .press(&patient, button_data(&r, "/records get 42173000000001 "))
        .await;
    let document = r[0].document.as_deref().expect("a document");
    assert_eq!(document.bytes, b"%PDF-1.4 blood count");
    assert_eq!(
        (document.name.as_str(), document.content_type.as_str()),
        ("Blood_count.pdf", "application/pdf")
    );
    let r = chat
        .press(&patient, button_data(&r, "/records delete "))
        .await;
    assert!(text(&r).contains("cannot be undone"), "asks first: {r:?}");
    assert_eq!(chat.port.lock().health.records["42173000000001"].len(), 1);
    let r = chat
        .press(
            &patient,
            button_data(&r, "/records delete 42173000000001 01REC"),
        )
        .await;
    assert!(text(&r).contains("record is erased"), "{r:?}");
    assert!(chat.port.lock().health.records["42173000000001"].is_empty());
}

#[tokio::test]
async fn consent_is_asked_granted_for_lab_reports_only_revoked_and_audited() {
    let chat = Chat::new();
    let (patient, staff) = patient_and_staff(&chat).await;
    for (caption, body) in [("lab report CBC", "Hb 13"), ("x-ray Chest", "xray")] {
        let file = FileIn::new(
            "r.txt",
            "text/plain",
            body.as_bytes().to_vec(),
            format!("42173000000001 {caption}"),
        );
        chat.send_file(&staff, file).await;
    }
    let r = chat.say(&staff, "/records 42-1730-0000-0001").await;
    assert!(text(&r).contains("No consent"), "no grant yet: {r:?}");
    let r = chat.say(&staff, "/consent ask 42-1730-0000-0001").await;
    let r = chat
        .press(&staff, button_data(&r, "/consent ask 42173000000001 care"))
        .await;
    let r = chat
        .press(
            &staff,
            button_data(&r, "/consent ask 42173000000001 care lab_report"),
        )
        .await;
    let r = chat
        .press(
            &staff,
            button_data(&r, "/consent ask 42173000000001 care lab_report 30"),
        )
        .await;
    assert!(text(&r).contains("Asked."), "{r:?}");
    let notice = chat.port.lock().notices.last().cloned();
    let Some((_, notice @ Notice::ConsentAsked { .. })) = notice else {
        panic!("the holder is asked: {notice:?}");
    };
    let told = chat.engine.render_notice(&patient, &notice).await;
    let r = chat
        .press(&patient, button_data(&told, "/consent show "))
        .await;
    let card = text(&r);
    for shown in [
        "City Clinic (c.test)",
        "Asked by: lab",
        "Purpose: care",
        "Record types: lab report",
        "any date",
        "2025-02-01 10:00 UTC",
    ] {
        assert!(card.contains(shown), "{shown} in {card}");
    }
    let r = chat
        .press(&patient, button_data(&r, "/consent grant "))
        .await;
    assert!(text(&r).contains("Granted: City Clinic may read"), "{r:?}");
    let r = chat.say(&staff, "/records 42173000000001").await;
    assert!(
        text(&r).contains("CBC") && !text(&r).contains("Chest"),
        "scope: {r:?}"
    );
    let xray = chat.port.lock().health.records["42173000000001"]
        .iter()
        .find(|(i, _)| i.record_type == RecordType::Imaging)
        .map(|(i, _)| i.id.clone())
        .expect("x-ray stored");
    let r = chat
        .say(&staff, &format!("/records get 42173000000001 {xray}"))
        .await;
    assert!(
        text(&r).contains("No consent: the grant does not cover imaging"),
        "{r:?}"
    );
    let r = chat.say(&patient, "/consent").await;
    let r = chat
        .press(&patient, button_data(&r, "/consent revoke "))
        .await;
    assert!(text(&r).contains("Revoked"), "{r:?}");
    assert_eq!(
        chat.port.lock().health.consents[0].0.state,
        ConsentState::Revoked
    );
    let r = chat.say(&staff, "/records 42173000000001").await;
    assert!(text(&r).contains("No consent"), "revoked at once: {r:?}");
    let r = chat.say(&patient, "/consent audit").await;
    for action in [
        "record uploaded",
        "consent asked",
        "records listed",
        "read refused",
    ] {
        assert!(text(&r).contains(action), "{action} in {r:?}");
    }
    let r = chat.say(&patient, "/healthid delete").await;
    let r = chat
        .press(
            &patient,
            button_data(&r, "/healthid delete 42173000000001 confirm"),
        )
        .await;
    assert!(text(&r).contains("is erased"), "{r:?}");
    assert!(chat.port.lock().health.ids.is_empty());
}

#[tokio::test]
async fn health_commands_speak_hindi_and_refuse_the_wrong_roles() {
    let chat = Chat::new();
    let (patient, staff) = patient_and_staff(&chat).await;
    chat.say(&patient, "/lang hi").await;
    let r = chat.say(&patient, "/profile").await;
    assert!(text(&r).contains("ब्लड ग्रुप"), "{r:?}");
    let r = chat.say(&patient, "/upload").await;
    assert!(text(&r).contains("स्टाफ़"), "{r:?}");
    let r = chat.say(&staff, "/upload").await;
    assert!(
        text(&r).contains("lab report, imaging, prescription"),
        "{r:?}"
    );
    let r = chat.say(&staff, "/records").await;
    assert!(text(&r).contains("/records ID"), "staff name the ID: {r:?}");
    let r = chat.say(&staff, "/consent ask care all 30").await;
    assert!(text(&r).contains("Purposes: care, referral"), "{r:?}");
    let r = chat.say(&patient, "/records 7").await;
    assert!(text(&r).contains("7"), "{r:?}");
}
