//! Marketplace rules on the in-memory store with a hand-moved clock.

use std::sync::Arc;

use caremesh_federation::NodeKey;
use caremesh_federation::object::{Kind, Material, ProposalStatus, Verdict};

use super::*;
use crate::members::{Members, NewMember};
use crate::store::memory::MemoryStore;
use crate::testing::{ManualClock, publisher};

fn market() -> (Marketplace, Arc<ManualClock>, Member, Member) {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let clock = ManualClock::new();
    let publisher = publisher(store.clone());
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

/// A need posted by `admin` for the node's facility.
fn need(market: &Marketplace, admin: &Member) -> Request {
    let facility = market.store.list_objects(Kind::Facility).unwrap()[0]
        .object
        .id
        .clone();
    market
        .create_request(admin, crate::fixtures::request(&facility))
        .unwrap()
}

#[test]
fn unshipped_acceptances_lapse_after_their_eta() {
    let (market, clock, admin, maker) = market();
    let request = need(&market, &admin);
    let now = clock.now_ms();
    let new = |eta| NewProposal {
        quantity: Some(50),
        material: Some(Material::Pla),
        eta: Some(eta),
    };
    // One waiting proposal per maker per request: each is accepted before the next.
    let offer = |eta| {
        let p = market
            .create_proposal(&maker, &request.meta.id, new(eta))
            .unwrap();
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
        p
    };
    let late = offer(now + 1_000);
    let shipped = offer(now + 1_000);
    let on_time = offer(now + 86_400_000);
    market.mark_shipped(&maker, &shipped.meta.id).unwrap();
    assert_eq!(market.lapse_overdue().unwrap(), 0, "nothing is overdue yet");
    clock.advance(60_000);
    assert_eq!(market.lapse_overdue().unwrap(), 1);
    assert_eq!(market.lapse_overdue().unwrap(), 0, "a lapse happens once");
    let state = market
        .proposal_state(market.get_proposal(&late.meta.id).unwrap())
        .unwrap();
    assert_eq!(state.status(), ProposalStatus::Lapsed);
    let state = market
        .proposal_state(market.get_proposal(&on_time.meta.id).unwrap())
        .unwrap();
    assert_eq!(state.status(), ProposalStatus::Accepted, "not yet due");
    assert_eq!(market.get_request(&request.meta.id).unwrap().accepted, 100);
}

#[test]
fn only_the_home_node_decides_and_contact_is_sealed() {
    let (market, _, admin, maker) = market();
    let request = need(&market, &admin);
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

/// Stores `object` as if a peer had brought it, signed by `key` (bypassing admission, as
/// objects stored by older releases might have been).
fn slip_in(market: &Marketplace, object: caremesh_federation::Object, key: &NodeKey) {
    let env = caremesh_federation::Envelope::seal(&object, key).unwrap();
    let new = crate::objects::to_new_object(&env, &object, Some("http://rogue.test"));
    market.store.put_object(new, None).unwrap();
}

#[test]
fn foreign_decisions_never_count_and_are_never_signed_here() {
    use caremesh_federation::object::{Decision, Meta};
    let (market, clock, admin, maker) = market();
    let request = need(&market, &admin);
    let now = clock.now_ms();
    let honest = market
        .create_proposal(
            &maker,
            &request.meta.id,
            NewProposal {
                quantity: Some(50),
                material: Some(Material::Pla),
                eta: Some(now + 1_000),
            },
        )
        .unwrap();
    // A rogue's "accept 10,000,000" on the honest proposal, with the lowest possible id.
    let forged = Decision {
        meta: Meta {
            id: "00000000000000000000000000".into(),
            origin: "http://rogue.test".into(),
            version: 1,
            created_at: now,
            updated_at: now,
        },
        proposal_id: honest.meta.id.clone(),
        proposal_origin: honest.meta.origin.clone(),
        request_id: request.meta.id.clone(),
        verdict: Verdict::Accept,
        quantity: 10_000_000,
    };
    slip_in(&market, forged.clone().into(), &NodeKey::generate());
    let state = market.proposal_state(honest.clone()).unwrap();
    assert_eq!(state.status(), ProposalStatus::Pending);
    assert_eq!(state.accepted_quantity(), 0);
    // The requester's own acceptance goes through and counts what it accepted.
    let accept = Decide {
        verdict: Verdict::Accept,
        quantity: None,
    };
    let decided = market.decide(&admin, &honest.meta.id, accept).unwrap();
    assert_eq!(decided.request.accepted, 50);
    assert_eq!(decided.state.accepted_quantity(), 50);
    // The lapse sweep releases only what this node accepted, and signs only its own.
    clock.advance(60_000);
    assert_eq!(market.lapse_overdue().unwrap(), 1);
    assert_eq!(market.get_request(&request.meta.id).unwrap().accepted, 0);
    let stored = crate::objects::get::<Decision>(&*market.store, &forged.meta.id).unwrap();
    assert_eq!(stored, Some(forged), "the foreign decision was rewritten");
}

fn member(market: &Marketplace, handle: &str, role: Role, facility: Option<&str>) -> Member {
    Members::new(market.store.clone())
        .create(
            NewMember {
                handle: handle.into(),
                role: Some(role),
                facility_id: facility.map(str::to_owned),
                contact: "+91 6".into(),
                ..Default::default()
            },
            0,
        )
        .unwrap()
        .0
}

fn offer(quantity: i64) -> NewProposal {
    NewProposal {
        quantity: Some(quantity),
        material: Some(Material::Petg),
        eta: None,
    }
}

fn refused_by(result: Result<impl std::fmt::Debug, ServiceError>, check: &str) {
    match result {
        Err(ServiceError::Conflict { problem }) => assert!(problem.starts_with(check), "{problem}"),
        other => panic!("expected a 409 `{check}`, got {other:?}"),
    }
}

#[test]
fn one_waiting_proposal_per_maker_per_request() {
    let (market, _, admin, maker) = market();
    let request = need(&market, &admin);
    let first = market
        .create_proposal(&maker, &request.meta.id, offer(5))
        .unwrap();
    refused_by(
        market.create_proposal(&maker, &request.meta.id, offer(5)),
        "one_pending_proposal",
    );
    let other = member(&market, "maker2", Role::Maker, None);
    market
        .create_proposal(&other, &request.meta.id, offer(5))
        .unwrap();
    // Once decided (declined), the maker may offer again.
    let decline = Decide {
        verdict: Verdict::Decline,
        quantity: None,
    };
    market.decide(&admin, &first.meta.id, decline).unwrap();
    market
        .create_proposal(&maker, &request.meta.id, offer(5))
        .unwrap();
    let mine = market.my_proposals(&maker).unwrap();
    assert_eq!(mine.len(), 2, "the refused offer was not stored");
}

#[test]
fn quotas_bound_members_but_not_the_admin() {
    let (market, clock, admin, maker) = market();
    let policy = MarketplaceSection {
        max_open_proposals: 2,
        max_units_per_proposal: 100,
        max_requests_per_day: 2,
        ..Default::default()
    };
    let market = market.with_policy(policy);
    let requests: Vec<Request> = (0..3).map(|_| need(&market, &admin)).collect();
    refused_by(
        market.create_proposal(&maker, &requests[0].meta.id, offer(101)),
        "max_units_per_proposal",
    );
    for r in &requests[..2] {
        market
            .create_proposal(&maker, &r.meta.id, offer(100))
            .unwrap();
    }
    refused_by(
        market.create_proposal(&maker, &requests[2].meta.id, offer(1)),
        "max_open_proposals",
    );
    market
        .create_proposal(&admin, &requests[2].meta.id, offer(5_000))
        .unwrap();

    let facility = requests[0].facility_id.clone();
    let nurse = member(&market, "nurse", Role::Requester, Some(&facility));
    for _ in 0..2 {
        market
            .create_request(&nurse, crate::fixtures::request(&facility))
            .unwrap();
    }
    refused_by(
        market.create_request(&nurse, crate::fixtures::request(&facility)),
        "max_requests_per_day",
    );
    clock.advance(24 * 60 * 60 * 1000 + 1);
    market
        .create_request(&nurse, crate::fixtures::request(&facility))
        .unwrap();
}

#[test]
fn requesters_post_only_for_the_facility_they_are_tied_to() {
    let (market, _, admin, _) = market();
    let facility = need(&market, &admin).facility_id;
    // Left untied by the admin (facility_id is optional in the API): any local facility.
    let untied = member(&market, "untied", Role::Requester, None);
    market
        .create_request(&untied, crate::fixtures::request(&facility))
        .unwrap();
    let elsewhere = member(&market, "elsewhere", Role::Requester, Some("01ELSEWHERE"));
    let err = market
        .create_request(&elsewhere, crate::fixtures::request(&facility))
        .unwrap_err();
    assert!(matches!(err, ServiceError::Forbidden { .. }), "{err}");
}
