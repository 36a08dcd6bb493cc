//! Notifications: newly stored objects (local or federated, from the node's events) and queued
//! notices become messages on each recipient's chats. New needs go to subscribed makers
//! within their radius whose products match; a new offer or a shipment to the need's
//! requester; a decision to the offer's maker; what the health service tells (records
//! arrived, consent asked or decided: `super::health_notices`); what was addressed here,
//! read from the store's log so that a crash loses none (`super::directed`): the
//! facilities' answers to bookings made here (`super::appointment_notices`), medicine
//! orders, to the patient and to the pharmacy's staff (`super::order_notices`). A marker per notification and recipient in
//! the store makes each one go out once, across restarts and re-deliveries.

use std::sync::Arc;
use std::time::Duration;

use caremesh_bots::engine::Engine;
use caremesh_bots::notice::Notice;
use caremesh_federation::object::{Decision, Object, Proposal, Request, Verdict};
use tokio::sync::Notify;
use tokio::sync::broadcast::error::RecvError;

use super::Outbounds;
use super::directed::{self, Directed};
use super::records::ChatRecords;
use super::subscribers::SubscriberIndex;
use super::views::{proposal_info, request_info};
use crate::app::App;
use crate::events::Events;
use crate::kinds::{self, Announcement};
use crate::members::Role;
use crate::services::Services;
use crate::store::Store;

mod delivery;

/// How often queued notices and subscription changes are looked for.
const POLL: Duration = Duration::from_millis(250);
/// How often markers of old notifications are pruned (and once at start).
const PRUNE_EVERY: Duration = Duration::from_secs(3_600);
/// Tries to send one notification to one chat.
const SEND_ATTEMPTS: u32 = 3;

/// The notification fan-out of one node.
pub struct Fanout {
    app: Services,
    events: Events,
    store: Arc<dyn Store>,
    records: ChatRecords,
    engine: Engine,
    outbounds: Arc<Outbounds>,
    index: SubscriberIndex,
    index_stamp: Option<String>,
    queue_stamp: Option<String>,
    directed: Directed,
    cursor: Option<u64>,
}

impl Fanout {
    /// A fan-out sending through `outbounds`.
    pub fn new(app: &App, engine: Engine, outbounds: Outbounds) -> Self {
        Self {
            records: ChatRecords::new(app.store.clone()),
            store: app.store.clone(),
            app: app.services.clone(),
            events: app.events.clone(),
            engine,
            outbounds: Arc::new(outbounds),
            index: SubscriberIndex::default(),
            index_stamp: None,
            queue_stamp: None,
            directed: Directed::new(app.services.clone(), app.store.clone()),
            cursor: None,
        }
    }

    /// Runs until `shutdown`.
    pub async fn run(mut self, shutdown: Arc<Notify>) {
        let mut events = self.events.subscribe();
        let mut health = self.app.health.subscribe();
        let mut tick = tokio::time::interval(POLL);
        let mut prune = tokio::time::interval(PRUNE_EVERY);
        self.follow().await;
        loop {
            tokio::select! {
                _ = shutdown.notified() => return,
                event = events.recv() => match event {
                    Ok(object) if directed::followed(&object) => self.follow().await,
                    Ok(object) => self.on_object(&object),
                    Err(RecvError::Lagged(n)) => tracing::warn!(missed = n, "chat notifications fell behind"),
                    Err(RecvError::Closed) => return,
                },
                notice = health.recv() => match notice {
                    Ok(notice) => self.on_health(notice),
                    Err(RecvError::Lagged(n)) => tracing::warn!(missed = n, "health notifications fell behind"),
                    Err(RecvError::Closed) => return,
                },
                _ = tick.tick() => {
                    self.drain_queue();
                    if self.cursor.is_none_or(|c| self.directed.behind(c)) {
                        self.follow().await;
                    }
                }
                _ = prune.tick() => self.prune_sent(),
            }
        }
    }

    /// Forgets old markers of sent notifications, drops notices held too long and releases
    /// those whose member has a chat (a link cut short by a crash), off the async threads;
    /// at start too (the first tick is immediate).
    fn prune_sent(&self) {
        let (records, now) = (self.records.clone(), self.app.clock.now_ms());
        tokio::task::spawn_blocking(move || {
            match records.prune_sent(now) {
                Ok(0) => {}
                Ok(n) => tracing::info!(forgotten = n, "old notification markers pruned"),
                Err(e) => tracing::warn!(error = %e, "cannot prune notification markers"),
            }
            match records.prune_held(now) {
                Ok(0) => {}
                Ok(n) => tracing::info!(dropped = n, "held notices dropped (too old)"),
                Err(e) => tracing::warn!(error = %e, "cannot prune held notices"),
            }
            if let Err(e) = records.release_stranded() {
                tracing::warn!(error = %e, "cannot release held notices of linked members");
            }
        });
    }

    fn refresh_index(&mut self) {
        let stamp = self.records.subscription_stamp().ok().flatten();
        if stamp.is_some() && stamp == self.index_stamp {
            return;
        }
        match self.records.subscriptions() {
            Ok(subs) => {
                self.index = SubscriberIndex::new(subs);
                self.index_stamp = stamp;
            }
            Err(e) => tracing::warn!(error = %e, "cannot read chat subscriptions"),
        }
    }

    fn drain_queue(&mut self) {
        let stamp = self.records.queue_stamp().ok().flatten();
        if stamp == self.queue_stamp {
            return;
        }
        self.queue_stamp = stamp;
        let queued = self.records.drain_queue().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot read queued chat notices");
            Vec::new()
        });
        for (handle, notice) in queued {
            match handle {
                Some(h) => self.deliver(&h, notice),
                None => {
                    let admins = self.app.members.list().unwrap_or_default();
                    for admin in admins.into_iter().filter(|m| m.role == Role::Admin) {
                        self.deliver(&admin.handle, notice.clone());
                    }
                }
            }
        }
        let linked = self.records.take_released().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot read newly linked members");
            Vec::new()
        });
        for handle in linked {
            self.release(&handle);
        }
    }

    /// Tells what was addressed here (answers to bookings and orders made here, orders for
    /// this node's pharmacies), read from the log past the cursor: `super::directed`.
    async fn follow(&mut self) {
        loop {
            let (directed, cursor) = (self.directed.clone(), self.cursor);
            let read = tokio::task::spawn_blocking(move || {
                let at = match cursor {
                    Some(at) => at,
                    None => directed.cursor()?,
                };
                directed.read(at).map(|batch| (at, batch))
            })
            .await;
            let (at, batch) = match read {
                Ok(Ok(read)) => read,
                Ok(Err(e)) => return tracing::warn!(error = %e, "cannot read the log for notices"),
                Err(e) => {
                    return tracing::error!(error = %e, "reading the log for notices panicked");
                }
            };
            self.cursor = Some(at);
            if batch.next == at {
                return;
            }
            let told = !batch.notices.is_empty();
            self.send_addressed(batch.notices);
            let (directed, next) = (self.directed.clone(), batch.next);
            match tokio::task::spawn_blocking(move || directed.advance(next, told)).await {
                Ok(Ok(())) => self.cursor = Some(next),
                Ok(Err(e)) => return tracing::warn!(error = %e, "notice cursor not saved"),
                Err(e) => return tracing::error!(error = %e, "saving the notice cursor panicked"),
            }
        }
    }

    /// Says what the object's kind announces (see `crate::kinds`).
    fn on_object(&mut self, object: &Object) {
        match kinds::announce(object, &self.app.node.origin) {
            Announcement::Silent => {}
            Announcement::Need(r) => self.on_request(r),
            Announcement::Offer(p) => self.on_proposal(p, false),
            Announcement::Shipped(p) => self.on_proposal(p, true),
            Announcement::Decision(d) => self.on_decision(d),
        }
    }

    /// Handles of the makers a new need should reach.
    pub fn recipients(&mut self, request: &Request) -> Vec<String> {
        self.refresh_index();
        let at = (
            caremesh_federation::object::from_e7(request.lat_e7),
            caremesh_federation::object::from_e7(request.lon_e7),
        );
        self.index
            .who_wants(&request.product, at)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    fn on_request(&mut self, r: &Request) {
        let owner = self.app.market.owner_of(&r.meta.id).ok().flatten();
        for handle in self.recipients(r) {
            if owner.as_deref() == Some(handle.as_str())
                || !self.first(&format!("req:{}:{handle}", r.meta.id))
            {
                continue;
            }
            let from = self
                .records
                .subscription(&handle)
                .ok()
                .flatten()
                .map(|s| s.location);
            self.deliver(
                &handle,
                Notice::NewRequest {
                    request: request_info(r, from),
                },
            );
        }
    }

    fn on_proposal(&mut self, p: &Proposal, shipped: bool) {
        let Ok(Some(requester)) = self.app.market.owner_of(&p.request_id) else {
            return;
        };
        let marker = if shipped {
            format!("ship:{}", p.meta.id)
        } else {
            format!("prop:{}", p.meta.id)
        };
        let Ok(state) = self.app.market.proposal_state(p.clone()) else {
            return;
        };
        if !self.first(&marker) {
            return;
        }
        let request = self.app.market.get_request(&p.request_id).ok();
        let proposal = proposal_info(&state, request.as_ref(), self.app.clock.now_ms());
        let notice = if shipped {
            Notice::Shipped { proposal }
        } else {
            Notice::NewProposal { proposal }
        };
        self.deliver(&requester, notice);
    }

    fn on_decision(&mut self, d: &Decision) {
        // A lapse is the node's own bookkeeping, not news for the maker.
        if d.verdict == Verdict::Lapse {
            return;
        }
        let Ok(proposal) = self.app.market.get_proposal(&d.proposal_id) else {
            return;
        };
        let Ok(state) = self.app.market.proposal_state(proposal.clone()) else {
            return;
        };
        let request = self.app.market.get_request(&d.request_id).ok();
        let notice = Notice::Decided {
            proposal: proposal_info(&state, request.as_ref(), self.app.clock.now_ms()),
            verdict: d.verdict,
        };
        if self.first(&format!("dec:{}:{}", d.meta.id, d.meta.version)) {
            self.deliver(&proposal.maker, notice);
        }
    }

    fn on_health(&self, notice: crate::health::notices::Notice) {
        self.send_addressed(super::health_notices::addressed(&self.app, notice));
    }
}
