//! The chat world the appointment and order tests share: an engine over the fake node with
//! a clinic offering a vaccination and a cardiology consultation, a pharmacy nearby, people in
//! it, and helpers that read replies (from [`replies`]) and play the pharmacy.

use std::sync::Arc;

use caremesh_bots::chat::{ChatUser, Input, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::notice::{AppointmentNews, Notice, OrderNews};
use caremesh_bots::port::*;
use caremesh_bots::reply::Reply;
use caremesh_bots::session::MemorySessions;
use caremesh_federation::object::FacilityKind;
use caremesh_federation::vocabulary::RecordType;

#[path = "fake_port.rs"]
pub mod fake_port;
#[path = "replies.rs"]
pub mod replies;

use fake_port::FakePort;
pub use replies::{assert_says, button, text};

pub const CLINIC: &str = "01JCLINIC0000000000000000F";

pub struct Chat {
    pub engine: Engine,
    pub port: Arc<FakePort>,
}

impl Chat {
    /// A clinic offering a vaccination and a cardiology consultation; today there is
    /// 2026-11-28 (a Saturday), with free slots on the 29th.
    pub fn new() -> Self {
        let port = Arc::new(FakePort::default());
        let engine = Engine::new(port.clone(), Arc::new(MemorySessions::default()), "Test");
        {
            let mut s = port.lock();
            let offer = |service: &str, kind: &str, specialty: Option<&str>| BookableInfo {
                facility_id: CLINIC.into(),
                facility_name: "City Clinic".into(),
                service: service.into(),
                kind: kind.into(),
                specialty: specialty.map(str::to_owned),
                price: "250.00".into(),
                currency: "INR".into(),
                distance_km: Some(1.5),
                today: "2026-11-28".into(),
            };
            s.appointments.bookable = vec![
                offer("Vaccination", "vaccination", None),
                offer("Heart check", "consultation", Some("cardiology")),
            ];
            let slot = |hm: &str| SlotInfo {
                start: format!("2026-11-29T{hm}:00+05:30"),
                free: 1,
            };
            s.appointments.slots.insert(
                (CLINIC.into(), "2026-11-29".into()),
                vec![slot("09:30"), slot("10:00"), slot("10:30")],
            );
        }
        Self { engine, port }
    }

    pub async fn say(&self, who: &ChatUser, text: &str) -> Vec<Reply> {
        self.engine.handle(&Input::text(who, text)).await
    }

    pub async fn press(&self, who: &ChatUser, data: &str) -> Vec<Reply> {
        self.engine.handle(&Input::button(who, data)).await
    }

    pub fn account(&self, handle: &str) -> Account {
        self.port.lock().accounts[handle].clone()
    }

    /// A patient with their own health ID and a dependant ("Amma").
    pub async fn patient_with_dependant(&self, who: &ChatUser) -> String {
        self.port.add(who, "ravi", Role::Patient);
        let ravi = self.account("ravi");
        self.port.issue_health_id(&ravi, None).await.unwrap();
        let amma = DependantDraft {
            name: "Amma".into(),
            birth_year: 1950,
        };
        let id = self.port.issue_health_id(&ravi, Some(amma)).await.unwrap();
        id.number
    }

    /// A patient "meera" who holds no health ID of her own and guards one dependant per
    /// name; their numbers, in that order.
    pub async fn guardian_without_own_id(&self, who: &ChatUser, names: &[&str]) -> Vec<String> {
        self.port.add(who, "meera", Role::Patient);
        let meera = self.account("meera");
        let mut numbers = Vec::new();
        for name in names {
            let draft = DependantDraft {
                name: (*name).into(),
                birth_year: 2015,
            };
            let id = self
                .port
                .issue_health_id(&meera, Some(draft))
                .await
                .unwrap();
            numbers.push(id.number);
        }
        numbers
    }

    /// A patient `handle` with their own health ID.
    pub async fn patient_with_id(&self, who: &ChatUser, handle: &str) {
        self.port.add(who, handle, Role::Patient);
        let account = self.account(handle);
        self.port.issue_health_id(&account, None).await.unwrap();
    }
}

pub fn user(id: &str) -> ChatUser {
    ChatUser::direct(Platform::Terminal, id)
}

pub async fn booked(
    chat: &Chat,
    handle: &str,
    answer: impl FnOnce(&mut AppointmentInfo),
) -> String {
    let draft = BookingDraft {
        facility_id: CLINIC.into(),
        service: "Vaccination".into(),
        start: "2026-11-29T10:00:00+05:30".into(),
        health_id: None,
    };
    let a = chat.port.book(&chat.account(handle), draft).await.unwrap();
    let mut s = chat.port.lock();
    let entry = &mut s.appointments.booked.get_mut(&a.id).unwrap().1;
    entry.end = "2026-11-29T10:15:00+05:30".into();
    answer(entry);
    a.id
}

pub const PHARMACY: &str = "01JPHARMACY00000000000000F";

/// The chat world with one pharmacy nearby (the order tests).
pub fn world() -> Chat {
    let chat = Chat::new();
    chat.port.lock().orders.pharmacies = vec![FacilityInfo {
        id: PHARMACY.into(),
        name: "Sai Medicals".into(),
        kind: FacilityKind::Pharmacy,
        contact: String::new(),
        distance_km: Some(0.8),
        lat: 18.51,
        lon: 73.81,
        address: "FC Road, Pune".into(),
    }];
    chat
}

/// A prescription record for the health ID `number`.
pub fn prescription_on_record(chat: &Chat, number: &str) {
    let record = RecordInfo {
        id: "rx1".into(),
        record_type: RecordType::Prescription,
        title: "Dr Rao, fever".into(),
        date: "2026-11-20".into(),
        facility: "City Clinic".into(),
        content_type: "text/plain".into(),
        size: 12,
    };
    let digits = number.replace('-', "");
    chat.port
        .lock()
        .health
        .records
        .entry(digits)
        .or_default()
        .push((record, b"paracetamol".to_vec()));
}

/// A placed order of `handle`'s, as the fake pharmacy then changes it.
pub async fn placed(chat: &Chat, handle: &str, change: impl FnOnce(&mut OrderInfo)) -> String {
    let draft = OrderDraft {
        facility_id: PHARMACY.into(),
        items: vec![
            OrderLine {
                name: "paracetamol 500mg".into(),
                quantity: 10,
            },
            OrderLine {
                name: "cetirizine".into(),
                quantity: 2,
            },
        ],
        health_id: None,
        prescription: None,
    };
    let o = chat
        .port
        .place_order(&chat.account(handle), draft)
        .await
        .unwrap();
    pharmacy_changes(chat, &o.id, change);
    o.id
}

/// Order `id` as the fake pharmacy changes it.
pub fn pharmacy_changes(chat: &Chat, id: &str, change: impl FnOnce(&mut OrderInfo)) {
    change(&mut chat.port.lock().orders.orders.get_mut(id).unwrap().1);
}

/// What `who` is told of news about order `id`.
pub async fn told(chat: &Chat, who: &ChatUser, id: &str, news: OrderNews) -> Vec<Reply> {
    let notice = Notice::Order {
        order_id: id.into(),
        news,
    };
    chat.engine.render_notice(who, &notice).await
}

/// What `who` is told of news about appointment `id`.
pub async fn told_of_appointment(
    chat: &Chat,
    who: &ChatUser,
    id: &str,
    news: AppointmentNews,
) -> Vec<Reply> {
    let notice = Notice::Appointment {
        appointment_id: id.into(),
        news,
    };
    chat.engine.render_notice(who, &notice).await
}
