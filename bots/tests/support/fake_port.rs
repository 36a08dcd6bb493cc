//! An in-memory node behind the engine's port, recording notices.

use std::collections::BTreeMap;
use std::sync::Mutex;

use caremesh_bots::chat::ChatUser;
use caremesh_bots::notice::Notice;
use caremesh_bots::port::*;
use caremesh_federation::BloodGroup;
use caremesh_federation::object::{FacilityKind, ProposalStatus, RequestStatus, Verdict};

#[path = "fake_health.rs"]
pub mod health;

#[path = "fake_appointments.rs"]
pub mod appointments;

#[path = "fake_orders.rs"]
pub mod orders;

#[derive(Default)]
pub struct State {
    pub health: health::HealthState,
    pub appointments: appointments::AppointmentsState,
    pub orders: orders::OrdersState,
    pub links: BTreeMap<String, String>,
    pub accounts: BTreeMap<String, Account>,
    pub requests: BTreeMap<String, RequestInfo>,
    pub proposals: BTreeMap<String, (ProposalInfo, String)>,
    pub subs: BTreeMap<String, Subscription>,
    pub codes: BTreeMap<String, String>,
    pub notices: Vec<(Option<String>, Notice)>,
    pub next: u32,
    /// Every text `place` was asked to find.
    pub places_asked: Vec<String>,
}

#[derive(Default)]
pub struct FakePort {
    pub state: Mutex<State>,
}

impl FakePort {
    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// Adds an approved member linked to `who`.
    pub fn add(&self, who: &ChatUser, handle: &str, role: Role) {
        let mut s = self.lock();
        s.links.insert(who.key(), handle.into());
        s.accounts.insert(
            handle.into(),
            Account {
                handle: handle.into(),
                role,
                approved: true,
                location: Some((18.5, 73.8)),
            },
        );
    }
}

pub fn not_found(what: &str, id: &str) -> PortError {
    PortError::NotFound {
        what: what.into(),
        id: id.into(),
    }
}

#[async_trait::async_trait]
impl Accounts for FakePort {
    async fn account(&self, who: &ChatUser) -> PortResult<Option<Account>> {
        let s = self.lock();
        Ok(s.links
            .get(&who.key())
            .and_then(|h| s.accounts.get(h))
            .cloned())
    }
    async fn register(&self, who: &ChatUser, r: Registration) -> PortResult<Account> {
        let mut s = self.lock();
        let handle = format!(
            "u{}",
            who.user
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(20)
                .collect::<String>()
        );
        let account = Account {
            handle: handle.clone(),
            role: r.role,
            approved: r.role != Role::Requester,
            location: r.location,
        };
        s.links.insert(who.key(), handle.clone());
        s.accounts.insert(handle, account.clone());
        Ok(account)
    }
    async fn approve(
        &self,
        _admin: &Account,
        handle: &str,
        _facility: Option<&str>,
    ) -> PortResult<Account> {
        let mut s = self.lock();
        let a = s
            .accounts
            .get_mut(handle)
            .filter(|a| !a.approved)
            .ok_or_else(|| not_found("waiting registration", handle))?;
        a.approved = true;
        Ok(a.clone())
    }
    async fn pending(&self) -> PortResult<Vec<String>> {
        Ok(self
            .lock()
            .accounts
            .values()
            .filter(|a| !a.approved)
            .map(|a| a.handle.clone())
            .collect())
    }
    async fn set_location(&self, a: &Account, at: (f64, f64)) -> PortResult<()> {
        if let Some(acc) = self.lock().accounts.get_mut(&a.handle) {
            acc.location = Some(at);
        }
        Ok(())
    }
    async fn create_link_code(&self, by: &Account) -> PortResult<String> {
        self.lock()
            .codes
            .insert("CODE1234".into(), by.handle.clone());
        Ok("CODE1234".into())
    }
    async fn redeem_link_code(&self, who: &ChatUser, code: &str) -> PortResult<Account> {
        let mut s = self.lock();
        let handle = s.codes.remove(code).ok_or_else(|| PortError::Invalid {
            field: "code".into(),
            problem: "is unknown".into(),
        })?;
        s.links.insert(who.key(), handle.clone());
        s.accounts
            .get(&handle)
            .cloned()
            .ok_or_else(|| not_found("member", &handle))
    }
    async fn notify_admins(&self, notice: Notice) -> PortResult<()> {
        self.lock().notices.push((None, notice));
        Ok(())
    }
    async fn notify(&self, handle: &str, notice: Notice) -> PortResult<()> {
        self.lock().notices.push((Some(handle.into()), notice));
        Ok(())
    }
}

#[async_trait::async_trait]
impl Market for FakePort {
    async fn products(&self) -> PortResult<Vec<Product>> {
        Ok(["face-shield", "n95-mask", "gloves"]
            .iter()
            .map(|s| Product {
                slug: s.to_string(),
                name: s.replace('-', " "),
            })
            .collect())
    }
    async fn create_request(&self, _by: &Account, need: NeedDraft) -> PortResult<RequestInfo> {
        let mut s = self.lock();
        s.next += 1;
        let r = RequestInfo {
            id: format!("R{}", s.next),
            origin: "http://a".into(),
            product: need.product,
            quantity: need.quantity,
            accepted: 0,
            received: 0,
            status: RequestStatus::Open,
            facility_name: need.facility_id,
            location: (18.5, 73.8),
            distance_km: Some(0.0),
        };
        s.requests.insert(r.id.clone(), r.clone());
        Ok(r)
    }
    async fn open_requests(&self, _by: &Account, limit: usize) -> PortResult<Vec<RequestInfo>> {
        Ok(self.lock().requests.values().take(limit).cloned().collect())
    }
    async fn get_request(&self, id: &str) -> PortResult<RequestInfo> {
        self.lock()
            .requests
            .get(id)
            .cloned()
            .ok_or_else(|| not_found("request", id))
    }
    async fn create_proposal(&self, by: &Account, o: OfferDraft) -> PortResult<ProposalInfo> {
        let mut s = self.lock();
        let r = s
            .requests
            .get(&o.request_id)
            .cloned()
            .ok_or_else(|| not_found("request", &o.request_id))?;
        s.next += 1;
        let p = ProposalInfo {
            id: format!("P{}", s.next),
            request_id: r.id,
            product: r.product,
            maker: by.handle.clone(),
            material: o.material,
            quantity: o.quantity,
            accepted: 0,
            status: ProposalStatus::Pending,
            eta_days: Some(3),
            distance_km: Some(2.0),
            contact: Some("+91 000".into()),
        };
        s.proposals
            .insert(p.id.clone(), (p.clone(), by.handle.clone()));
        Ok(p)
    }
    async fn proposals(&self, _by: &Account) -> PortResult<Vec<ProposalInfo>> {
        Ok(self
            .lock()
            .proposals
            .values()
            .map(|(p, _)| p.clone())
            .collect())
    }
    async fn decide(&self, _by: &Account, id: &str, v: Verdict) -> PortResult<ProposalInfo> {
        let mut s = self.lock();
        let (p, _) = s
            .proposals
            .get_mut(id)
            .ok_or_else(|| not_found("proposal", id))?;
        if !matches!(p.status, ProposalStatus::Pending | ProposalStatus::Deferred) {
            return Err(PortError::Conflict {
                problem: format!("proposal is {}", p.status.as_str()),
            });
        }
        p.status = match v {
            Verdict::Accept => ProposalStatus::Accepted,
            Verdict::Defer => ProposalStatus::Deferred,
            Verdict::Decline => ProposalStatus::Declined,
            Verdict::Received => ProposalStatus::Received,
            Verdict::Lapse => ProposalStatus::Lapsed,
        };
        if v == Verdict::Accept {
            p.accepted = p.quantity;
        }
        Ok(p.clone())
    }
    async fn mark_shipped(&self, _by: &Account, id: &str) -> PortResult<ProposalInfo> {
        let mut s = self.lock();
        let (p, _) = s
            .proposals
            .get_mut(id)
            .ok_or_else(|| not_found("proposal", id))?;
        p.status = ProposalStatus::Shipped;
        Ok(p.clone())
    }
    async fn mark_received(&self, _by: &Account, id: &str) -> PortResult<ProposalInfo> {
        let mut s = self.lock();
        let (p, _) = s
            .proposals
            .get_mut(id)
            .ok_or_else(|| not_found("proposal", id))?;
        p.status = ProposalStatus::Received;
        Ok(p.clone())
    }
    async fn subscription(&self, by: &Account) -> PortResult<Option<Subscription>> {
        Ok(self.lock().subs.get(&by.handle).cloned())
    }
    async fn set_subscription(&self, by: &Account, sub: Subscription) -> PortResult<()> {
        self.lock().subs.insert(by.handle.clone(), sub);
        Ok(())
    }
    async fn stats(&self) -> PortResult<Vec<StatRow>> {
        Ok(vec![StatRow {
            product: "face-shield".into(),
            needed: 100,
            accepted: 40,
            received: 20,
        }])
    }
}

#[async_trait::async_trait]
impl Directory for FakePort {
    async fn nearby(
        &self,
        _at: (f64, f64),
        kind: Option<FacilityKind>,
        _limit: usize,
    ) -> PortResult<Vec<FacilityInfo>> {
        if kind == Some(FacilityKind::Pharmacy) {
            return Ok(self.lock().orders.pharmacies.clone());
        }
        self.local_facilities().await
    }
    /// The fake has no blood banks.
    async fn blood(
        &self,
        _at: (f64, f64),
        _group: BloodGroup,
        _limit: usize,
    ) -> PortResult<Vec<FacilityInfo>> {
        Ok(Vec::new())
    }
    async fn services(&self, _name: &str) -> PortResult<Option<ServicesInfo>> {
        Ok(None)
    }
    async fn place(&self, text: &str) -> PortResult<Option<Place>> {
        self.lock().places_asked.push(text.to_owned());
        Ok(text.eq_ignore_ascii_case("pune").then(|| Place {
            name: "Pune".into(),
            lat: 18.52,
            lon: 73.86,
        }))
    }
    async fn facility(&self, id: &str) -> PortResult<Option<FacilityInfo>> {
        Ok(self
            .local_facilities()
            .await?
            .into_iter()
            .find(|f| f.id == id))
    }
    /// "odd" texts get a follow-up question; "difficulty" makes an emergency.
    async fn symptoms(&self, text: &str) -> PortResult<TriageInfo> {
        let emergency = text.contains("difficulty");
        Ok(TriageInfo {
            specialties: vec!["general_medicine".into()],
            urgency: if emergency { "emergency" } else { "routine" }.into(),
            advice: format!("You said: {text}"),
            follow_up: (text.contains("odd") && !emergency).then(|| FollowUpInfo {
                question: "Is the breathing hard?".into(),
                yes: Some("difficulty breathing".into()),
                no: Some("no trouble".into()),
            }),
        })
    }
}

#[async_trait::async_trait]
impl Listings for FakePort {
    async fn local_facilities(&self) -> PortResult<Vec<FacilityInfo>> {
        Ok(["City Hospital", "Rural Clinic"]
            .iter()
            .enumerate()
            .map(|(i, n)| FacilityInfo {
                id: format!("F{i}"),
                name: n.to_string(),
                kind: FacilityKind::Hospital,
                contact: if i == 0 {
                    "+91 20 1234 5678".into()
                } else {
                    String::new()
                },
                distance_km: None,
                lat: 18.52 + i as f64 / 100.0,
                lon: 73.85,
                address: if i == 0 {
                    "1 Station Road, Pune".into()
                } else {
                    String::new()
                },
            })
            .collect())
    }
    async fn create_facility(
        &self,
        _by: &Account,
        draft: FacilityDraft,
    ) -> PortResult<FacilityInfo> {
        Err(PortError::Forbidden {
            reason: format!("the fake node keeps no listings ({})", draft.name),
        })
    }
    async fn update_facility(
        &self,
        _by: &Account,
        id: &str,
        _change: FacilityChange,
    ) -> PortResult<FacilityInfo> {
        Err(not_found("facility", id))
    }
}
