//! Marketplace rules on the in-memory store with a hand-moved clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use caremesh_federation::NodeKey;
use caremesh_federation::object::{Kind, Material, ProposalStatus, Verdict};

use super::*;
use crate::events::Events;
use crate::members::{Members, NewMember};
use crate::store::memory::MemoryStore;

struct ManualClock(AtomicI64);

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

fn market() -> (Marketplace, Arc<ManualClock>, Member, Member) {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let clock = Arc::new(ManualClock(AtomicI64::new(1_800_000_000_000)));
    let publisher = Publisher::new(
        store.clone(),
        NodeKey::generate(),
        "http://a.test".into(),
        Default::default(),
        Events::new(),
    );
    let listings = crate::directory::listings::Listings::new(publisher.clone(), clock.clone());
    let members = Members::new(store);
    let admin = members
        .create(
            NewMember {
                handle: "admin1".into(),
                role: Some(Role::Admin),
                ..Default::default()
            },
            0,
        )
        .unwrap()
        .0;
    let maker = members
        .create(
            NewMember {
                handle: "maker".into(),
                role: Some(Role::Maker),
                contact: "+91 5".into(),
                ..Default::default()
            },
            0,
        )
        .unwrap()
        .0;
    listings.create(&admin, crate::fixtures::facility).unwrap();
    (
        Marketplace::new(publisher, clock.clone(), Arc::new(Catalog::builtin())),
        clock,
        admin,
        maker,
    )
}

#[test]
fn unshipped_acceptances_lapse_after_their_eta() {
    let (market, clock, admin, maker) = market();
    let facility = market.store.list_objects(Kind::Facility).unwrap()[0]
        .object
        .id
        .clone();
    let request = market
        .create_request(&admin, crate::fixtures::request(&facility))
        .unwrap();
    let now = clock.now_ms();
    let new = |eta| NewProposal {
        quantity: Some(50),
        material: Some(Material::Pla),
        eta: Some(eta),
    };
    let late = market
        .create_proposal(&maker, &request.meta.id, new(now + 1_000))
        .unwrap();
    let shipped = market
        .create_proposal(&maker, &request.meta.id, new(now + 1_000))
        .unwrap();
    let on_time = market
        .create_proposal(&maker, &request.meta.id, new(now + 86_400_000))
        .unwrap();
    for p in [&late, &shipped, &on_time] {
        market
            .decide(
                &admin,
                &p.meta.id,
                Decide {
                    verdict: Verdict::Accept,
                    quantity: None,
                },
            )
            .unwrap();
    }
    market.mark_shipped(&maker, &shipped.meta.id).unwrap();
    assert_eq!(market.lapse_overdue().unwrap(), 0, "nothing is overdue yet");
    clock.0.fetch_add(60_000, Ordering::SeqCst);
    assert_eq!(market.lapse_overdue().unwrap(), 1);
    assert_eq!(market.lapse_overdue().unwrap(), 0, "a lapse happens once");
    let state = market
        .proposal_state(market.get_proposal(&late.meta.id).unwrap())
        .unwrap();
    assert_eq!(state.status(), ProposalStatus::Lapsed);
    assert_eq!(market.get_request(&request.meta.id).unwrap().accepted, 100);
}

#[test]
fn only_the_home_node_decides_and_contact_is_sealed() {
    let (market, _, admin, maker) = market();
    let facility = market.store.list_objects(Kind::Facility).unwrap()[0]
        .object
        .id
        .clone();
    let request = market
        .create_request(&admin, crate::fixtures::request(&facility))
        .unwrap();
    let p = market
        .create_proposal(
            &maker,
            &request.meta.id,
            NewProposal {
                quantity: Some(5),
                material: Some(Material::Tpu),
                eta: None,
            },
        )
        .unwrap();
    assert!(
        !p.sealed_contact.windows(5).any(|w| w == b"+91 5"),
        "contact travels sealed"
    );
    let opened = market.proposal_state(p.clone()).unwrap();
    assert_eq!(opened.contact.unwrap().contact, "+91 5");
    let err = market
        .decide(
            &maker,
            &p.meta.id,
            Decide {
                verdict: Verdict::Accept,
                quantity: None,
            },
        )
        .unwrap_err();
    assert!(matches!(err, ServiceError::Forbidden { .. }), "{err}");
    let err = market
        .decide(
            &admin,
            &p.meta.id,
            Decide {
                verdict: Verdict::Accept,
                quantity: Some(6),
            },
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            ServiceError::Invalid {
                field: "quantity",
                ..
            }
        ),
        "{err}"
    );
}
