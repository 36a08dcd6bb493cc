//! Supply requests: a facility's need for a product and a quantity. Public: relayed to every
//! node so makers anywhere can find needs near them.

use serde::{Deserialize, Serialize};

use super::{
    Audience, Meta, ObjectKind, check_coords, check_quantity, check_text, check_ulid, field,
    is_slug,
};
use crate::error::SchemaError;

/// Lifecycle of a supply request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Open,
    Satisfied,
    Expired,
    Cancelled,
}

/// A need posted by a facility: a product and a quantity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub meta: Meta,
    pub facility_id: String,
    /// Copied from the facility so that any node can filter by distance.
    pub facility_name: String,
    pub lat_e7: i32,
    pub lon_e7: i32,
    /// A catalog slug such as `face-shield`.
    pub product: String,
    pub quantity: u32,
    /// Unix milliseconds.
    pub needed_by: Option<i64>,
    pub note: String,
    pub status: RequestStatus,
    /// Sum of accepted proposals; never above `quantity`.
    pub accepted: u32,
    pub received: u32,
}

public_kind!(Request, parent(_) => None, validate(r) => {
    check_ulid("facility_id", &r.facility_id)?;
    if !is_slug(&r.product) {
        return Err(field("product", "is not a catalog slug"));
    }
    check_quantity("quantity", r.quantity, false)?;
    check_text("note", &r.note)?;
    check_text("facility_name", &r.facility_name)?;
    check_coords(r.lat_e7, r.lon_e7)?;
    if r.accepted > r.quantity {
        return Err(field("accepted", "is above quantity"));
    }
    Ok(())
});
