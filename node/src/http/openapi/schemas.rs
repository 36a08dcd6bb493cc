//! The schemas of the OpenAPI document.

use serde_json::{Value, json};

use super::schema;

fn object(required: &[&str], props: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": props })
}

/// `components.schemas`: the JSON shapes of docs/api.md.
pub(super) fn schemas() -> Value {
    let s = json!({"type": "string"});
    let n = json!({"type": "number"});
    let i = json!({"type": "integer"});
    let meta = json!({"id": s, "origin": s, "version": i, "created_at": s, "updated_at": s});
    let with_meta = |extra: Value| {
        let mut props = meta.as_object().cloned().unwrap_or_default();
        props.extend(extra.as_object().cloned().unwrap_or_default());
        Value::Object(props)
    };
    let facility_fields = json!({
        "kind": {"type": "string", "enum": ["hospital", "clinic", "nursing_home", "lab", "pharmacy", "blood_bank", "maker_hub"]},
        "name": s, "lat": n, "lon": n, "contact": s, "hours": s,
        "ownership": {"type": "string", "enum": ["government", "private", "public", "public_private", "charity"]},
        "address": object(&[], json!({"street": s, "city": s, "state": s, "zip": s, "country": s})),
        "specialties": {"type": "array", "items": s},
        "services": {"type": "array", "items": object(&["name", "price"], json!({"name": s, "price": n, "currency": s}))},
        "blood_stock": {"type": "object", "additionalProperties": i},
        "printers": {"type": "array", "items": object(&["model"], json!({"model": s, "build_volume_mm": {"type": "array", "items": i}, "nozzle_mm": n, "materials": {"type": "array", "items": s}}))},
    });
    json!({
        "Error": object(&["error"], json!({"error": object(&["code", "message"], json!({"code": s, "message": s, "field": s}))})),
        "Node": object(&[], json!({"name": s, "url": s, "version": s, "protocol": s, "peers": i})),
        "ProductStats": object(&[], json!({"product": s, "needed": i, "accepted": i, "received": i, "requests": i})),
        "FacilityInput": object(&["kind", "name", "lat", "lon"], facility_fields.clone()),
        "Facility": object(&["id", "kind", "name", "lat", "lon"], with_meta(facility_fields).as_object().map(|m| {
            let mut m = m.clone();
            m.insert("retracted".into(), json!({"type": "boolean"}));
            m.insert("distance_km".into(), n.clone());
            Value::Object(m)
        }).unwrap_or_default()),
        "MemberInput": object(&["handle", "role"], json!({"handle": s, "role": {"type": "string", "enum": ["requester", "maker", "patient", "staff", "admin"]}, "facility_id": s, "contact": s, "address": s, "lat": n, "lon": n})),
        "MemberCreated": object(&["id", "handle", "role", "token"], json!({"id": s, "handle": s, "role": s, "facility_id": s, "token": s})),
        "RequestInput": object(&["facility_id", "product", "quantity"], json!({"facility_id": s, "product": s, "quantity": i, "needed_by": s, "note": s})),
        "Request": object(&["id", "product", "quantity"], with_meta(json!({"facility_id": s, "facility_name": s, "lat": n, "lon": n, "product": s, "quantity": i, "needed_by": s, "note": s, "status": s, "accepted": i, "received": i, "remaining": i, "distance_km": n}))),
        "ProposalInput": object(&["quantity", "material"], json!({"quantity": i, "material": {"type": "string", "enum": ["PLA", "PETG", "ABS", "ASA", "TPU", "nylon"]}, "eta": s})),
        "Proposal": object(&["id", "quantity", "material"], with_meta(json!({"request_id": s, "request_origin": s, "maker": s, "material": s, "quantity": i, "eta": s, "status": s, "accepted_quantity": i, "contact": s, "address": s, "distance_km": n}))),
        "DecisionInput": object(&["verdict"], json!({"verdict": {"type": "string", "enum": ["accept", "defer", "decline"]}, "quantity": i})),
        "Decided": object(&["proposal", "request", "capped"], json!({"proposal": schema("Proposal"), "request": schema("Request"), "capped": {"type": "boolean"}})),
        "Peer": object(&["url"], json!({"url": s, "key": s, "source": s})),
        "PeerInput": object(&["url"], json!({"url": s, "key": s})),
        "TriageInput": object(&["symptoms"], json!({"symptoms": s, "lat": n, "lon": n})),
        "Assessment": object(&["specialties", "urgency", "advice", "disclaimer"], json!({"specialties": {"type": "array", "items": s}, "urgency": {"type": "string", "enum": ["self_care", "routine", "urgent", "emergency"]}, "advice": s, "disclaimer": s, "red_flags": {"type": "array", "items": s}, "matched": {"type": "array", "items": s}, "ruled_out": {"type": "array", "items": s}, "follow_up": {"type": "object", "properties": {"id": s, "question": s, "yes": s, "no": s}}, "language": {"type": "string", "enum": ["en", "hi"]}, "emergency_number": s, "nearest_emergency": {"type": "array", "items": schema("Facility")}})),
        "DiagnosisQuery": object(&["query", "query_id"], json!({"query": s, "query_id": object(&["query_id"], json!({"query_id": s}))})),
        "LocationQuery": object(&["location", "cust_id", "query_id"], json!({"location": object(&["lat", "lng"], json!({"lat": n, "lng": n})), "cust_id": object(&["cust_id"], json!({"cust_id": s})), "query_id": object(&["query_id"], json!({"query_id": s}))})),
        "FacilitiesResult": object(&["name", "address", "geolocation", "contact", "facility_type", "ownership", "specialties", "stars", "reviews", "rank", "estimated_time"], json!({"name": s, "address": object(&[], json!({"name": s, "street": s, "city": s, "state": s, "zip": s, "country": s})), "geolocation": object(&["lat", "lng"], json!({"lat": n, "lng": n})), "contact": s, "facility_type": s, "ownership": s, "specialties": {"type": "array", "items": s}, "stars": {"type": "integer", "minimum": 1, "maximum": 5}, "reviews": {"type": "integer", "minimum": 0}, "rank": {"type": "integer", "minimum": 1, "maximum": 20}, "estimated_time": {"type": "number", "description": "minutes: road = 1.3 × straight line at 25 km/h"}})),
        "BatchReply": object(&["txn", "results"], json!({"txn": s, "results": {"type": "array", "items": object(&["outcome"], json!({"outcome": s, "check": s, "message": s}))}})),
        "Identity": object(&["protocol", "url", "name", "keys"], json!({"protocol": s, "url": s, "name": s, "keys": {"type": "array", "items": object(&["id", "key"], json!({"id": s, "key": s, "valid_until": i}))}})),
    })
}
