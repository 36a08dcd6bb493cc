//! The appointment service's background work on a running node: decides on every booking
//! and order addressed here as it is stored (and, at start, on those a crash left
//! undecided), publishes again answers whose publication failed, expires offers,
//! republishes availability after changes, and hands due
//! reminders to whoever tells people (the chat side). Decisions run on blocking threads:
//! they take the desk's lock and wait for a flush.

use std::sync::Arc;
use std::time::Duration;

use caremesh_federation::Object;
use tokio::sync::{Notify, broadcast};

use super::Appointments;
use super::reminders::Reminder;
use crate::events::Events;

/// How often offers, availability and reminders are looked at when nothing arrives.
const TICK: Duration = Duration::from_secs(1);

/// Where due reminders go (the chat fan-out on a node with bots; a log line otherwise).
pub type ReminderSink = Arc<dyn Fn(Reminder) + Send + Sync>;

impl Appointments {
    /// Runs until `shutdown`: decisions, sweeps, availability and reminders.
    pub async fn run(self, events: Events, reminders: ReminderSink, shutdown: Arc<Notify>) {
        let mut arrivals = events.subscribe();
        self.recover().await;
        let mut tick = tokio::time::interval(TICK);
        loop {
            tokio::select! {
                _ = shutdown.notified() => return,
                arrival = arrivals.recv() => match arrival {
                    Ok(object) => self.take(&object).await,
                    Err(broadcast::error::RecvError::Lagged(_)) => self.recover().await,
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = self.desk.woken() => self.housekeeping(&reminders).await,
                _ = tick.tick() => self.housekeeping(&reminders).await,
            }
        }
    }

    /// Decides on what a crash or a lagging listener left undecided.
    async fn recover(&self) {
        let app = self.clone();
        let pending = tokio::task::spawn_blocking(move || {
            let bookings = app.recover_desk()?;
            let orders = app.recover_counter()?;
            for id in &bookings {
                app.process_booking(id)?;
            }
            for id in &orders {
                app.process_order(id)?;
            }
            Ok::<usize, crate::error::ServiceError>(bookings.len() + orders.len())
        })
        .await;
        match pending {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(decided = n, "undecided bookings and orders decided"),
            Ok(Err(e)) => tracing::error!(error = %e, "recovering the appointment desk failed"),
            Err(e) => tracing::error!(error = %e, "recovering the appointment desk panicked"),
        }
    }

    /// Decides on one stored object if it is a booking or an order addressed here.
    async fn take(&self, object: &Object) {
        if object.addressee() != Some(self.here()) {
            return;
        }
        let id = object.meta().id.clone();
        let app = self.clone();
        let decided = if matches!(object, Object::Booking(_)) {
            tokio::task::spawn_blocking(move || app.process_booking(&id)).await
        } else if matches!(object, Object::Order(_)) {
            tokio::task::spawn_blocking(move || app.process_order(&id)).await
        } else {
            return;
        };
        match decided {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(object_id = %object.meta().id, error = %e, "not decided yet")
            }
            Err(e) => {
                tracing::error!(object_id = %object.meta().id, error = %e, "deciding panicked")
            }
        }
    }

    /// Expired offers, availability to republish, reminders due.
    async fn housekeeping(&self, reminders: &ReminderSink) {
        let app = self.clone();
        let due = tokio::task::spawn_blocking(move || {
            app.retry_answers();
            app.sweep_desk()?;
            app.publish_availability()?;
            app.due_reminders()
        })
        .await;
        match due {
            Ok(Ok(due)) => due.into_iter().for_each(|r| reminders(r)),
            Ok(Err(e)) => tracing::warn!(error = %e, "appointment housekeeping failed"),
            Err(e) => tracing::error!(error = %e, "appointment housekeeping panicked"),
        }
    }
}
