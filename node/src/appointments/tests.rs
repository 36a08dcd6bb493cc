//! Appointment rules on in-memory nodes with a hand-moved clock: a facility's node F and a
//! patient's node A, objects carried between them through the kinds' admission rules as
//! the inbox would.

mod after_booking;
mod flows;
mod next_free;
mod orders;
mod retry;

use std::collections::BTreeMap;
use std::sync::Arc;

use caremesh_federation::object::{Booking, Object, Order};
use caremesh_federation::{Envelope, Identity, NodeKey, codec};

use super::people::{People, Person};
use super::*;
use crate::directory::listings::Listings;
use crate::health::vault::RecordsKey;
use crate::kinds::{self, Admission, Gates};
use crate::members::{Member, Members, NewMember, Role};
use crate::objects::to_new_object;
use crate::store::memory::MemoryStore;
use crate::testing::{ManualClock, publisher_at};

/// The 14 digits of a valid health ID with serial `n`.
fn hid(n: u32) -> String {
    crate::health::hid::HealthId::from_parts(42173, n)
        .unwrap()
        .digits()
}

/// 2026-11-30 00:00 in Kolkata, a Monday.
const MONDAY: i64 = 1_795_977_000_000;
const HOUR: i64 = 3_600_000;

/// People of a test node: each patient member holds one health ID; `guards` adds a
/// dependant.
#[derive(Default)]
struct FakePeople {
    /// health id → (name, member ids who act for it).
    ids: std::sync::Mutex<BTreeMap<String, (String, Vec<Member>)>>,
}

impl FakePeople {
    fn add(&self, id: &str, name: &str, members: &[&Member]) {
        self.ids.lock().unwrap().insert(
            id.into(),
            (name.into(), members.iter().map(|m| (*m).clone()).collect()),
        );
    }
}

impl People for FakePeople {
    fn person(&self, member: &Member, health_id: Option<&str>) -> Result<Person, ServiceError> {
        let ids = self.ids.lock().unwrap();
        let found = ids.iter().find(|(id, (_, who))| {
            who.iter().any(|m| m.id == member.id) && health_id.is_none_or(|h| h == id.as_str())
        });
        match found {
            Some((id, (name, _))) => Ok(Person {
                health_id: id.clone(),
                name: name.clone(),
            }),
            None => Err(ServiceError::forbidden("not the holder or a guardian")),
        }
    }

    fn acts_for(&self, member: &Member, health_id: &str) -> Result<bool, ServiceError> {
        let ids = self.ids.lock().unwrap();
        Ok(ids
            .get(health_id)
            .is_some_and(|(_, who)| who.iter().any(|m| m.id == member.id)))
    }

    fn to_tell(&self, health_id: &str) -> Result<Vec<String>, ServiceError> {
        let ids = self.ids.lock().unwrap();
        Ok(ids
            .get(health_id)
            .map(|(_, who)| who.iter().map(|m| m.handle.clone()).collect())
            .unwrap_or_default())
    }
}

/// One in-memory node.
struct Node {
    app: Appointments,
    store: Arc<dyn Store>,
    origin: String,
    key: NodeKey,
    members: Members,
    people: Arc<FakePeople>,
    listings: Listings,
}

impl Node {
    fn new(origin: &str, clock: &Arc<ManualClock>) -> Node {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let publisher = publisher_at(store.clone(), origin);
        let key = publisher.key().clone();
        let vault = Vault::new(
            RecordsKey::generate(),
            Arc::new(object_store::memory::InMemory::new()),
        );
        let people = Arc::new(FakePeople::default());
        let settings = Settings {
            offer_hold: std::time::Duration::from_secs(15 * 60),
            ..Settings::default()
        };
        let app = Appointments::new(
            publisher.clone(),
            clock.clone(),
            vault,
            people.clone(),
            settings,
        );
        Node {
            app,
            members: Members::new(store.clone()),
            listings: Listings::new(publisher, clock.clone()),
            store,
            origin: origin.into(),
            key,
            people,
        }
    }

    fn member(&self, handle: &str, role: Role, facility_id: Option<&str>) -> Member {
        self.members
            .create(
                NewMember {
                    handle: handle.into(),
                    role: Some(role),
                    facility_id: facility_id.map(str::to_owned),
                    ..Default::default()
                },
                0,
            )
            .unwrap()
            .0
    }

    /// A patient holding the health ID `id`.
    fn patient(&self, handle: &str, id: &str) -> Member {
        let m = self.member(handle, Role::Patient, None);
        self.people.add(id, &format!("{handle} (name)"), &[&m]);
        m
    }

    fn identity(&self) -> Identity {
        Identity::new(&self.origin, "test", &self.key)
    }

    /// Offers every object of `self` that `to` lacks to `to`, through the admission rules,
    /// and lets `to` decide on the bookings and orders it received. Returns refusals.
    fn deliver(&self, to: &Node) -> Vec<(String, caremesh_federation::Check)> {
        self.deliver_with(to, true)
    }

    /// [`Node::deliver`], deciding on what arrived only when `process`.
    fn deliver_with(&self, to: &Node, process: bool) -> Vec<(String, caremesh_federation::Check)> {
        let gates = Gates {
            appointments: Some(Arc::new(to.app.clone())),
            ..Gates::default()
        };
        let mut refused = Vec::new();
        for entry in self.store.log_after(0, 100_000).unwrap() {
            let Some(stored) = self.store.get_object(&entry.id).unwrap() else {
                continue;
            };
            if stored.seq != entry.seq || entry.addressee.as_deref() == Some(self.origin.as_str()) {
                continue;
            }
            let env: Envelope = codec::decode("envelope", &stored.object.envelope).unwrap();
            let object = env.decode().unwrap();
            if let Err(r) = kinds::admit(
                &object,
                &Admission::new(&*to.store, &to.origin, &self.origin, &gates),
            ) {
                refused.push((entry.id.clone(), r.check));
                continue;
            }
            to.store
                .put_object(to_new_object(&env, &object, Some(&self.origin)), None)
                .unwrap();
            match &object {
                _ if !process => {}
                Object::Booking(b) if b.addressee == to.origin => {
                    to.app.process_booking(&b.meta.id).unwrap()
                }
                Object::Order(o) if o.addressee == to.origin => {
                    to.app.process_order(&o.meta.id).unwrap()
                }
                _ => {}
            }
        }
        refused
    }
}

/// A clinic on F (with a schedule of three one-hour slots, capacity 1, every day, 09:00 to
/// 12:00 in Kolkata), its staff member, and a patient's node A that knows F.
struct World {
    clock: Arc<ManualClock>,
    f: Node,
    a: Node,
    staff: Member,
    facility_id: String,
    schedule: caremesh_federation::object::Schedule,
}

fn schedule_input(capacity: i64) -> ScheduleInput {
    ScheduleInput {
        service: Some("General OPD".into()),
        specialty: Some("general_medicine".into()),
        price: Some(200.0),
        days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .map(String::from)
            .to_vec(),
        start: Some("09:00".into()),
        end: Some("12:00".into()),
        slot_minutes: Some(60),
        capacity: Some(capacity),
        closures: vec!["2026-12-25".into()],
        cancel_cutoff_minutes: Some(120),
        ..Default::default()
    }
}

fn world(capacity: i64) -> World {
    let clock = ManualClock::at(MONDAY);
    let f = Node::new("http://f.test", &clock);
    let a = Node::new("http://a.test", &clock);
    let admin = f.member("admin1", Role::Admin, None);
    let facility = f
        .listings
        .create(&admin, |meta| caremesh_federation::object::Facility {
            kind: caremesh_federation::object::FacilityKind::Clinic,
            ..crate::fixtures::facility(meta)
        })
        .unwrap();
    let staff = f.member("dr.rao", Role::Staff, Some(&facility.meta.id));
    let schedule = f
        .app
        .create_schedule(&staff, &facility.meta.id, &schedule_input(capacity))
        .unwrap();
    Identities::new(a.store.clone()).put(&f.identity()).unwrap();
    Identities::new(f.store.clone()).put(&a.identity()).unwrap();
    assert!(f.deliver(&a).is_empty());
    World {
        clock,
        f,
        a,
        staff,
        facility_id: facility.meta.id,
        schedule,
    }
}

impl World {
    /// The start of slot `n` (0, 1, 2) on day `day` (0 = Monday 30 Nov).
    fn slot(&self, day: i64, n: i64) -> String {
        let start = MONDAY + day * 24 * HOUR + (9 + n) * HOUR;
        let tz: chrono_tz::Tz = "Asia/Kolkata".parse().unwrap();
        chrono::DateTime::from_timestamp_millis(start)
            .unwrap()
            .with_timezone(&tz)
            .to_rfc3339()
    }

    fn book(&self, on: &Node, who: &Member, start: &str) -> Result<AppointmentView, ServiceError> {
        on.app.book(
            who,
            &NewBooking {
                facility_id: Some(self.facility_id.clone()),
                service: Some("general opd".into()),
                start: Some(start.into()),
                ..Default::default()
            },
        )
    }

    /// Carries everything A → F → A.
    fn exchange(&self) {
        assert!(self.a.deliver(&self.f).is_empty());
        assert!(self.f.deliver(&self.a).is_empty());
    }

    fn advance(&self, ms: i64) {
        self.clock.advance(ms);
    }
}

fn bookings_of(node: &Node) -> Vec<Booking> {
    crate::objects::list::<Booking>(&*node.store).unwrap()
}

fn orders_of(node: &Node) -> Vec<Order> {
    crate::objects::list::<Order>(&*node.store).unwrap()
}

/// An appointment's status, as its view says it.
fn status(view: &AppointmentView) -> &'static str {
    view.status
}
