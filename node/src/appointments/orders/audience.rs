//! Who hears about an order in chat: on the patient's node, who ordered and, for a health
//! ID, its holder and every guardian; on the pharmacy's node, the pharmacy and the step
//! of the newest version that came in (its staff are told).

use caremesh_federation::object::{Order, OrderContent, OrderStep};

use super::{OrderedRecord, key};
use crate::appointments::Appointments;
use crate::error::ServiceError;
use crate::objects;

impl Appointments {
    /// Handles of the members told about the answers to order `order_id`; `None` when it
    /// was not made here.
    pub fn order_audience(&self, order_id: &str) -> Result<Option<Vec<String>>, ServiceError> {
        let Some(record) = self
            .records
            .get::<OrderedRecord>("ordered record", &key(order_id))?
        else {
            return Ok(None);
        };
        let mut to = match &record.content.health_id {
            Some(h) => self.people.to_tell(h)?,
            None => Vec::new(),
        };
        to.push(record.content.ordered_by.clone());
        to.sort();
        to.dedup();
        Ok(Some(to))
    }

    /// The pharmacy and the step of the newest version of order `order_id` when it is
    /// addressed here; `None` otherwise.
    pub fn order_at_counter(
        &self,
        order_id: &str,
    ) -> Result<Option<(String, OrderStep)>, ServiceError> {
        let Some(order) = objects::get::<Order>(&*self.store, order_id)? else {
            return Ok(None);
        };
        if order.addressee != self.here() {
            return Ok(None);
        }
        let content: OrderContent = self.open(&order.place(), &order.sealed)?;
        Ok(Some((content.facility_id, content.step)))
    }
}
