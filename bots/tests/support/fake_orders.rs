//! The order side of the fake node: pharmacies nearby, orders recorded as they come (the
//! test plays the pharmacy's node by changing them), and every step asked for.

use std::collections::BTreeMap;

use caremesh_bots::port::*;

use super::{FakePort, not_found};

#[derive(Default)]
pub struct OrdersState {
    pub pharmacies: Vec<FacilityInfo>,
    /// Orders by id, with the handle of who ordered.
    pub orders: BTreeMap<String, (String, OrderInfo)>,
    pub drafts: Vec<OrderDraft>,
    pub actions: Vec<(String, OrderAction)>,
    pub quotes: Vec<(String, QuoteDraft)>,
    pub counter_steps: Vec<(String, CounterStep)>,
}

/// An order as the fake pharmacy first sees it.
fn requested(id: &str, draft: &OrderDraft, pharmacy: &str, name: &str) -> OrderInfo {
    OrderInfo {
        id: id.into(),
        status: "requested".into(),
        facility_id: draft.facility_id.clone(),
        facility_name: pharmacy.into(),
        items: draft.items.clone(),
        quote: Vec::new(),
        total: "0.00".into(),
        currency: "INR".into(),
        pickup_at: None,
        message: String::new(),
        name: name.into(),
        prescription: draft.prescription.is_some(),
        pending: None,
        today: "2026-11-28".into(),
    }
}

impl FakePort {
    fn find_order(&self, id: &str) -> PortResult<(String, OrderInfo)> {
        self.lock()
            .orders
            .orders
            .get(id)
            .cloned()
            .ok_or_else(|| not_found("order", id))
    }
}

#[async_trait::async_trait]
impl Orders for FakePort {
    async fn place_order(&self, by: &Account, draft: OrderDraft) -> PortResult<OrderInfo> {
        if by.role != Role::Patient {
            return Err(PortError::Forbidden {
                reason: "only patients order medicines".into(),
            });
        }
        let mut s = self.lock();
        let pharmacy = s
            .orders
            .pharmacies
            .iter()
            .find(|p| p.id == draft.facility_id)
            .map(|p| p.name.clone())
            .ok_or_else(|| PortError::Invalid {
                field: "facility_id".into(),
                problem: "is not a pharmacy".into(),
            })?;
        s.next += 1;
        let id = format!("order{}", s.next);
        let name = if draft.health_id.is_some() {
            "Amma"
        } else {
            "ravi"
        };
        let info = requested(&id, &draft, &pharmacy, name);
        s.orders.drafts.push(draft);
        s.orders
            .orders
            .insert(id, (by.handle.clone(), info.clone()));
        Ok(info)
    }

    async fn my_orders(&self, by: &Account) -> PortResult<Vec<OrderInfo>> {
        let s = self.lock();
        Ok(s.orders
            .orders
            .values()
            .filter(|(h, _)| *h == by.handle)
            .map(|(_, o)| o.clone())
            .collect())
    }

    async fn order(&self, _by: &Account, id: &str) -> PortResult<OrderInfo> {
        Ok(self.find_order(id)?.1)
    }

    async fn order_action(
        &self,
        by: &Account,
        id: &str,
        action: OrderAction,
    ) -> PortResult<OrderInfo> {
        let (owner, mut o) = self.find_order(id)?;
        if owner != by.handle {
            return Err(not_found("order", id));
        }
        if action == OrderAction::Confirm && o.status != "quoted" {
            return Err(PortError::Conflict {
                problem: format!("only a quoted order is confirmed; this one is {}", o.status),
            });
        }
        o.pending = Some(format!("{action:?}").to_lowercase());
        let mut s = self.lock();
        s.orders.actions.push((id.into(), action));
        s.orders.orders.insert(id.into(), (owner, o.clone()));
        Ok(o)
    }

    async fn counter_orders(&self, by: &Account) -> PortResult<Vec<OrderInfo>> {
        if by.role != Role::Staff {
            return Err(PortError::Forbidden {
                reason: "only staff of the pharmacy".into(),
            });
        }
        let s = self.lock();
        Ok(s.orders.orders.values().map(|(_, o)| o.clone()).collect())
    }

    async fn quote(&self, _by: &Account, id: &str, quote: QuoteDraft) -> PortResult<OrderInfo> {
        let (owner, mut o) = self.find_order(id)?;
        if quote
            .pickup
            .as_deref()
            .is_some_and(|p| p < "2026-11-28T12:00")
        {
            return Err(PortError::Invalid {
                field: "pickup_at".into(),
                problem: "is in the past".into(),
            });
        }
        o.status = "quoted".into();
        let mut s = self.lock();
        s.orders.quotes.push((id.into(), quote));
        s.orders.orders.insert(id.into(), (owner, o.clone()));
        Ok(o)
    }

    async fn counter_step(
        &self,
        _by: &Account,
        id: &str,
        step: CounterStep,
    ) -> PortResult<OrderInfo> {
        let (owner, mut o) = self.find_order(id)?;
        o.status = match &step {
            CounterStep::Ready => "ready",
            CounterStep::Collected => "collected",
            CounterStep::Cancel { .. } => "cancelled",
        }
        .into();
        let mut s = self.lock();
        s.orders.counter_steps.push((id.into(), step));
        s.orders.orders.insert(id.into(), (owner, o.clone()));
        Ok(o)
    }
}
