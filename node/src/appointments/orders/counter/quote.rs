//! The pharmacy's quote: what it has of each medicine ordered, the price of one, when to
//! come; checked line by line against the order.

use caremesh_federation::object::{OrderStatus, QuotedItem};
use serde::Deserialize;

use crate::appointments::Appointments;
use crate::appointments::fields::short_text;
use crate::appointments::orders::OrderView;
use crate::error::ServiceError;
use crate::members::Member;

/// A pharmacy's quote (`POST /api/v1/orders/{id}/quote`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteInput {
    /// Per line of the order, in its order: how many it has and the price of one (major
    /// units).
    pub items: Vec<QuoteLine>,
    /// ISO 4217; default `INR`.
    pub currency: Option<String>,
    /// RFC 3339.
    pub pickup_at: Option<String>,
    pub message: Option<String>,
}

/// One line of a quote.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteLine {
    pub available: u32,
    pub unit_price: f64,
}

impl Appointments {
    /// The pharmacy says what it has, the price and when to come.
    pub fn quote_order(
        &self,
        member: &Member,
        id: &str,
        quote: &QuoteInput,
    ) -> Result<OrderView, ServiceError> {
        let pickup_at = quote
            .pickup_at
            .as_deref()
            .map(crate::appointments::bookings::parse_start)
            .transpose()
            .map_err(|_| ServiceError::invalid("pickup_at", "must be RFC 3339"))?;
        let currency = quote
            .currency
            .as_deref()
            .unwrap_or("INR")
            .trim()
            .to_uppercase();
        caremesh_federation::object::check_currency(&currency)
            .map_err(|_| ServiceError::invalid("currency", "must be an ISO 4217 code like INR"))?;
        let message = short_text(&quote.message, "message")?;
        let now = self.now();
        self.at_counter(member, id, |r| {
            if !matches!(r.status, OrderStatus::Requested | OrderStatus::Quoted) {
                return Err(ServiceError::conflict(format!(
                    "the order is {}: quotes come before confirming",
                    r.status.as_str()
                )));
            }
            if quote.items.len() != r.content.items.len() {
                return Err(ServiceError::invalid(
                    "items",
                    format!(
                        "must give one line per medicine ordered ({})",
                        r.content.items.len()
                    ),
                ));
            }
            if pickup_at.is_some_and(|t| t < now) {
                return Err(ServiceError::invalid("pickup_at", "is in the past"));
            }
            let mut lines = Vec::new();
            for (asked, line) in r.content.items.iter().zip(&quote.items) {
                if line.available > asked.quantity
                    || !line.unit_price.is_finite()
                    || line.unit_price < 0.0
                {
                    return Err(ServiceError::invalid(
                        "items",
                        format!(
                            "`{}`: available must be 0 to {} and the price at least 0",
                            asked.name, asked.quantity
                        ),
                    ));
                }
                lines.push(QuotedItem {
                    name: asked.name.clone(),
                    quantity: asked.quantity,
                    available: line.available,
                    unit_price_minor: (line.unit_price * 100.0).round() as i64,
                });
            }
            r.total_minor = lines
                .iter()
                .map(|l| i64::from(l.available) * l.unit_price_minor)
                .sum();
            r.quote = lines;
            r.currency = currency;
            r.pickup_at = pickup_at;
            r.message = message;
            r.status = OrderStatus::Quoted;
            Ok(())
        })
    }
}
