//! `GET /api/v1/openapi.json`: the OpenAPI 3.0 description of every route of the listener.
//! `node/tests/openapi.rs` checks that every route the router registers is described here.

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};

mod appointments;
mod health;
mod schemas;
use schemas::schemas;

pub fn router() -> Router {
    Router::new().route("/api/v1/openapi.json", get(|| async { Json(document()) }))
}

pub(super) fn schema(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn list_of(key: &str, item: &str) -> Value {
    json!({ "type": "object", "properties": { key: { "type": "array", "items": schema(item) } } })
}

/// One operation: summary, who may call it, body schema, answer schema, extra parameters.
struct Op<'a> {
    summary: &'a str,
    auth: bool,
    body: Option<Value>,
    answer: Value,
    params: &'a [(&'a str, &'a str, &'a str)],
}

fn operation(op: Op<'_>, path: &str) -> Value {
    let mut params: Vec<Value> = path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    params.extend(op.params.iter().map(|(name, ty, description)| {
        json!({ "name": name, "in": "query", "required": false, "description": description, "schema": { "type": ty } })
    }));
    let mut out = json!({
        "summary": op.summary,
        "parameters": params,
        "responses": {
            "200": { "description": "success", "content": { "application/json": { "schema": op.answer } } },
            "400": { "description": "bad input; `field` names it", "content": { "application/json": { "schema": schema("Error") } } },
            "default": { "description": "error", "content": { "application/json": { "schema": schema("Error") } } },
        },
    });
    if let Some(body) = op.body {
        out["requestBody"] =
            json!({ "required": true, "content": { "application/json": { "schema": body } } });
    }
    if op.auth {
        out["security"] = json!([{ "bearer": [] }]);
    }
    out
}

fn op<'a>(summary: &'a str, auth: bool, body: Option<Value>, answer: Value) -> Op<'a> {
    Op {
        summary,
        auth,
        body,
        answer,
        params: &[],
    }
}

const NEAR: [(&str, &str, &str); 4] = [
    ("lat", "number", "degrees"),
    ("lon", "number", "degrees"),
    ("radius_km", "number", "only within this distance"),
    ("limit", "integer", "most results"),
];

fn paths() -> Vec<(&'static str, &'static str, Value)> {
    let search = [
        NEAR.as_slice(),
        &[
            ("kind", "string", "facility kind"),
            (
                "specialty",
                "string",
                "specialty slugs, comma-separated; all required",
            ),
            ("blood_group", "string", "in stock, e.g. O-"),
            ("service", "string", "a service name contains this"),
            (
                "open_now",
                "boolean",
                "open at this moment, in the listing's local time (its country's zone, else solar time from its longitude)",
            ),
        ],
    ]
    .concat();
    let requests_query = [
        NEAR.as_slice(),
        &[
            ("product", "string", "catalog slug"),
            ("status", "string", "open, satisfied..."),
        ],
    ]
    .concat();
    let text = json!({ "type": "string" });
    vec![
        (
            "/healthz",
            "get",
            operation(
                op("Health", false, None, json!({"type": "object"})),
                "/healthz",
            ),
        ),
        (
            "/metrics",
            "get",
            operation(
                op("Prometheus metrics (text)", false, None, text.clone()),
                "/metrics",
            ),
        ),
        (
            "/api/v1/openapi.json",
            "get",
            operation(
                op("This document", false, None, json!({"type": "object"})),
                "",
            ),
        ),
        (
            "/api/v1/node",
            "get",
            operation(op("The node", false, None, schema("Node")), ""),
        ),
        (
            "/api/v1/stats",
            "get",
            operation(
                op(
                    "Needed, accepted, received per product",
                    false,
                    None,
                    list_of("products", "ProductStats"),
                ),
                "",
            ),
        ),
        (
            "/api/v1/facilities",
            "get",
            operation(
                Op {
                    params: &search,
                    ..op(
                        "Facilities nearest first",
                        false,
                        None,
                        list_of("facilities", "Facility"),
                    )
                },
                "",
            ),
        ),
        (
            "/api/v1/facilities",
            "post",
            operation(
                op(
                    "Create a listing (admin, staff)",
                    true,
                    Some(schema("FacilityInput")),
                    schema("Facility"),
                ),
                "",
            ),
        ),
        (
            "/api/v1/facilities/{id}",
            "get",
            operation(
                op("One listing", false, None, schema("Facility")),
                "/api/v1/facilities/{id}",
            ),
        ),
        (
            "/api/v1/facilities/{id}",
            "put",
            operation(
                op(
                    "Replace a listing of this node",
                    true,
                    Some(schema("FacilityInput")),
                    schema("Facility"),
                ),
                "/api/v1/facilities/{id}",
            ),
        ),
        (
            "/api/v1/facilities/{id}",
            "delete",
            operation(
                op(
                    "Retract a listing of this node",
                    true,
                    None,
                    schema("Facility"),
                ),
                "/api/v1/facilities/{id}",
            ),
        ),
        (
            "/api/v1/members",
            "post",
            operation(
                op(
                    "Create a member (admin)",
                    true,
                    Some(schema("MemberInput")),
                    schema("MemberCreated"),
                ),
                "",
            ),
        ),
        (
            "/api/v1/requests",
            "get",
            operation(
                Op {
                    params: &requests_query,
                    ..op(
                        "Supply requests",
                        false,
                        None,
                        list_of("requests", "Request"),
                    )
                },
                "",
            ),
        ),
        (
            "/api/v1/requests",
            "post",
            operation(
                op(
                    "Post a need (requester)",
                    true,
                    Some(schema("RequestInput")),
                    schema("Request"),
                ),
                "",
            ),
        ),
        (
            "/api/v1/requests/{id}",
            "get",
            operation(
                op("One request", false, None, schema("Request")),
                "/api/v1/requests/{id}",
            ),
        ),
        (
            "/api/v1/requests/{id}/proposals",
            "get",
            operation(
                op(
                    "Proposals on a request (its requester)",
                    true,
                    None,
                    list_of("proposals", "Proposal"),
                ),
                "/api/v1/requests/{id}/proposals",
            ),
        ),
        (
            "/api/v1/requests/{id}/proposals",
            "post",
            operation(
                op(
                    "Offer goods (maker)",
                    true,
                    Some(schema("ProposalInput")),
                    schema("Proposal"),
                ),
                "/api/v1/requests/{id}/proposals",
            ),
        ),
        (
            "/api/v1/proposals/{id}/decision",
            "post",
            operation(
                op(
                    "Accept, defer or decline",
                    true,
                    Some(schema("DecisionInput")),
                    schema("Decided"),
                ),
                "/api/v1/proposals/{id}/decision",
            ),
        ),
        (
            "/api/v1/proposals/{id}/shipped",
            "post",
            operation(
                op("Mark shipped (maker)", true, None, schema("Proposal")),
                "/api/v1/proposals/{id}/shipped",
            ),
        ),
        (
            "/api/v1/proposals/{id}/received",
            "post",
            operation(
                op(
                    "Mark received (requester)",
                    true,
                    Some(
                        json!({"type": "object", "properties": {"quantity": {"type": "integer"}}}),
                    ),
                    schema("Decided"),
                ),
                "/api/v1/proposals/{id}/received",
            ),
        ),
        (
            "/api/v1/me/proposals",
            "get",
            operation(
                op(
                    "My proposals (maker)",
                    true,
                    None,
                    list_of("proposals", "Proposal"),
                ),
                "",
            ),
        ),
        (
            "/api/v1/peers",
            "get",
            operation(
                op("Peers (admin)", true, None, list_of("peers", "Peer")),
                "",
            ),
        ),
        (
            "/api/v1/peers",
            "post",
            operation(
                op(
                    "Add a peer (admin)",
                    true,
                    Some(schema("PeerInput")),
                    json!({"type": "object"}),
                ),
                "",
            ),
        ),
        (
            "/api/v1/triage",
            "post",
            operation(
                op(
                    "Specialties and urgency for symptoms (not a diagnosis)",
                    false,
                    Some(schema("TriageInput")),
                    schema("Assessment"),
                ),
                "",
            ),
        ),
        (
            "/api/v1/chat",
            "post",
            operation(
                op(
                    "One line of the terminal chat (admin)",
                    true,
                    Some(json!({"type": "object", "required": ["user", "text"]})),
                    json!({"type": "object"}),
                ),
                "",
            ),
        ),
        (
            "/diagnose",
            "post",
            operation(
                op(
                    "xcov19: store the triage of a query",
                    false,
                    Some(schema("DiagnosisQuery")),
                    json!({"type": "object"}),
                ),
                "",
            ),
        ),
        (
            "/geo",
            "post",
            operation(
                op(
                    "xcov19: facilities fit for a query near a point",
                    false,
                    Some(schema("LocationQuery")),
                    json!({"type": "array", "items": schema("FacilitiesResult")}),
                ),
                "",
            ),
        ),
        (
            "/federation/v1/inbox",
            "post",
            operation(
                op(
                    "Push signed envelopes (MessagePack; docs/protocol.md)",
                    false,
                    Some(text.clone()),
                    schema("BatchReply"),
                ),
                "",
            ),
        ),
        (
            "/federation/v1/objects",
            "get",
            operation(
                Op {
                    params: &[
                        ("after", "integer", "cursor"),
                        ("limit", "integer", "at most 500"),
                    ],
                    ..op(
                        "Pull public envelopes (MessagePack)",
                        false,
                        None,
                        text.clone(),
                    )
                },
                "",
            ),
        ),
        (
            "/federation/v1/identity",
            "get",
            operation(
                Op {
                    params: &[("origin", "string", "another node's cached identity")],
                    ..op("Node identity and keys", false, None, schema("Identity"))
                },
                "",
            ),
        ),
    ]
}

fn merged(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// The whole document.
pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for (path, method, operation) in self::paths()
        .into_iter()
        .chain(health::paths())
        .chain(appointments::paths())
    {
        let entry = paths.entry(path.to_owned()).or_insert_with(|| json!({}));
        entry[method] = operation;
    }
    json!({
        "openapi": "3.0.3",
        "info": { "title": "caremesh node", "version": env!("CARGO_PKG_VERSION"), "description": "Local API and federation routes of a caremesh node. See docs/api.md and docs/protocol.md." },
        "paths": paths,
        "components": {
            "schemas": merged(schemas(), health::schemas()),
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
        },
    })
}
