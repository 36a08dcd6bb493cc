//! Reading the marketplace: requests near a point with filters, and totals by product.

use std::collections::BTreeMap;

use caremesh_federation::object::{Request, RequestStatus, from_e7};
use serde::Serialize;

use super::Marketplace;
use crate::directory::geo_index::haversine_km;
use crate::error::ServiceError;

/// Which requests to list.
#[derive(Clone, Debug, Default)]
pub struct RequestSearch {
    /// Where from; results are then nearest first, otherwise newest first.
    pub from: Option<(f64, f64)>,
    /// Only within this distance of `from`.
    pub radius_km: Option<f64>,
    /// Only for this catalog slug.
    pub product: Option<String>,
    /// Only in this status.
    pub status: Option<RequestStatus>,
    /// The most requests answered.
    pub limit: usize,
}

/// Needs, accepted and received quantities of one product, over every known request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProductStats {
    pub product: String,
    pub needed: u64,
    pub accepted: u64,
    pub received: u64,
    pub requests: u64,
}

impl Marketplace {
    /// Requests (this node's and federated ones) that match `search`, nearest first when it
    /// has a point, else newest first.
    pub fn requests_near(&self, search: &RequestSearch) -> Result<Vec<Request>, ServiceError> {
        let mut hits: Vec<(f64, Request)> = Vec::new();
        for r in self.list_requests()? {
            let wanted = search.product.as_ref().is_none_or(|p| *p == r.product)
                && search.status.is_none_or(|s| s == r.status);
            if !wanted {
                continue;
            }
            let d = search
                .from
                .map(|(a, b)| haversine_km(a, b, from_e7(r.lat_e7), from_e7(r.lon_e7)));
            if let (Some(d), Some(max)) = (d, search.radius_km)
                && d > max
            {
                continue;
            }
            hits.push((d.unwrap_or(-(r.meta.created_at as f64)), r));
        }
        hits.sort_by(|a, b| a.0.total_cmp(&b.0));
        hits.truncate(search.limit);
        Ok(hits.into_iter().map(|(_, r)| r).collect())
    }

    /// The `limit` open requests nearest to `from` (newest first without a point).
    pub fn open_requests_near(
        &self,
        from: Option<(f64, f64)>,
        limit: usize,
    ) -> Result<Vec<Request>, ServiceError> {
        self.requests_near(&RequestSearch {
            from,
            status: Some(RequestStatus::Open),
            limit,
            ..RequestSearch::default()
        })
    }

    /// Totals by product, in slug order.
    pub fn stats(&self) -> Result<Vec<ProductStats>, ServiceError> {
        let mut by_product: BTreeMap<String, ProductStats> = BTreeMap::new();
        for r in self.list_requests()? {
            let row = by_product
                .entry(r.product.clone())
                .or_insert_with(|| ProductStats {
                    product: r.product.clone(),
                    ..ProductStats::default()
                });
            row.needed += u64::from(r.quantity);
            row.accepted += u64::from(r.accepted);
            row.received += u64::from(r.received);
            row.requests += 1;
        }
        Ok(by_product.into_values().collect())
    }
}
