//! The health routes of the OpenAPI document (docs/api.md "Health IDs, records, consent"),
//! still described by hand: a bridge until their handlers carry `#[utoipa::path]` like the
//! rest. [`add`] puts them into the generated document; `scripts/api-check.sh` leaves these
//! paths out of the schemathesis run until then.

use serde_json::{Value, json};
use utoipa::openapi::OpenApi;
use utoipa::openapi::path::PathItem;
use utoipa::openapi::{RefOr, Schema};

/// Adds the health paths and schemas to `doc`.
pub fn add(doc: &mut OpenApi) -> Result<(), serde_json::Error> {
    let mut items = serde_json::Map::new();
    for (path, method, operation) in paths().into_iter().chain(super::appointments::paths()) {
        let item = items.entry(path.to_owned()).or_insert_with(|| json!({}));
        item[method] = operation;
    }
    let items: std::collections::BTreeMap<String, PathItem> =
        serde_json::from_value(Value::Object(items))?;
    let schemas: std::collections::BTreeMap<String, RefOr<Schema>> =
        serde_json::from_value(schemas())?;
    doc.paths.paths.extend(items);
    let components = doc.components.get_or_insert_with(Default::default);
    components.schemas.extend(schemas);
    Ok(())
}

fn schema(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn list_of(key: &str, item: &str) -> Value {
    json!({ "type": "object", "properties": { key: { "type": "array", "items": schema(item) } } })
}

/// One operation: summary, who may call it, body schema, answer schema, extra parameters.
pub(super) struct Op<'a> {
    pub summary: &'a str,
    pub auth: bool,
    pub body: Option<Value>,
    pub answer: Value,
    pub params: &'a [(&'a str, &'a str, &'a str)],
}

pub(super) fn operation(op: Op<'_>, path: &str) -> Value {
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
        "tags": ["health"],
        "parameters": params,
        "responses": {
            "200": { "description": "success", "content": { "application/json": { "schema": op.answer } } },
            "400": { "description": "bad input; `field` names it", "content": { "application/json": { "schema": schema("ErrorBody") } } },
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

pub(super) fn op<'a>(summary: &'a str, auth: bool, body: Option<Value>, answer: Value) -> Op<'a> {
    Op {
        summary,
        auth,
        body,
        answer,
        params: &[],
    }
}

fn get_op(summary: &str, answer: Value, path: &str) -> Value {
    operation(op(summary, true, None, answer), path)
}

/// `(path, method, operation)` of every health route.
fn paths() -> Vec<(&'static str, &'static str, Value)> {
    let text = json!({ "type": "string" });
    let binary = json!({ "type": "string", "format": "binary" });
    let ids = "/api/v1/health-ids";
    let hid = "/api/v1/health-ids/{hid}";
    let profile = "/api/v1/health-ids/{hid}/profile";
    let records = "/api/v1/health-ids/{hid}/records";
    let record = "/api/v1/health-ids/{hid}/records/{id}";
    let content = "/api/v1/health-ids/{hid}/records/{id}/content";
    let consents = "/api/v1/consents";
    let issue = json!({ "type": "object", "properties": { "dependant": schema("NewDependant") } });
    vec![
        (
            ids,
            "post",
            operation(
                op(
                    "Issue a health ID: one's own (`{}`) or a dependant's (patient)",
                    true,
                    Some(issue),
                    schema("HealthId"),
                ),
                ids,
            ),
        ),
        (
            ids,
            "get",
            get_op(
                "Health IDs held and guarded (patient)",
                list_of("health_ids", "HealthId"),
                ids,
            ),
        ),
        (
            hid,
            "delete",
            get_op(
                "Erase a health ID: grants revoked, data deleted (holder, guardian)",
                text.clone(),
                hid,
            ),
        ),
        (
            profile,
            "get",
            get_op("The profile (holder, guardian)", schema("Profile"), profile),
        ),
        (
            profile,
            "put",
            operation(
                op(
                    "Replace the profile (holder, guardian)",
                    true,
                    Some(schema("Profile")),
                    schema("Profile"),
                ),
                profile,
            ),
        ),
        (
            "/api/v1/health-ids/{hid}/audit",
            "get",
            get_op(
                "The audit log (holder, guardian)",
                list_of("audit", "AuditEntry"),
                "/api/v1/health-ids/{hid}/audit",
            ),
        ),
        (
            "/api/v1/health-ids/{hid}/fhir",
            "get",
            get_op(
                "FHIR R4 Bundle (holder, guardian)",
                json!({"type": "object"}),
                "/api/v1/health-ids/{hid}/fhir",
            ),
        ),
        (
            "/api/v1/health-ids/{hid}/card",
            "get",
            get_op(
                "The card, PNG (holder, guardian)",
                binary.clone(),
                "/api/v1/health-ids/{hid}/card",
            ),
        ),
        (
            records,
            "post",
            operation(
                Op {
                    params: &[
                        (
                            "type",
                            "string",
                            "lab_report, imaging, prescription, discharge_summary, vaccination, other",
                        ),
                        ("title", "string", "1-200 characters"),
                        ("date", "string", "YYYY-MM-DD"),
                    ],
                    ..op(
                        "Upload a record: the raw bytes with their Content-Type, up to 20 MiB; 201 stored here, 202 sent home (staff)",
                        true,
                        Some(binary.clone()),
                        schema("Uploaded"),
                    )
                },
                records,
            ),
        ),
        (
            records,
            "get",
            get_op(
                "Records (holder, guardian, staff under a live grant)",
                list_of("records", "Record"),
                records,
            ),
        ),
        (
            record,
            "delete",
            get_op("Erase a record (holder, guardian)", text.clone(), record),
        ),
        (
            content,
            "get",
            get_op("A record's bytes (as for the list)", binary, content),
        ),
        (
            consents,
            "post",
            operation(
                op(
                    "Ask for consent (staff)",
                    true,
                    Some(schema("ConsentAsk")),
                    schema("Consent"),
                ),
                consents,
            ),
        ),
        (
            consents,
            "get",
            get_op(
                "Consents: a patient's own, a facility's asks",
                list_of("consents", "Consent"),
                consents,
            ),
        ),
        (
            "/api/v1/consents/{id}/grant",
            "post",
            get_op(
                "Grant (holder, guardian)",
                schema("Consent"),
                "/api/v1/consents/{id}/grant",
            ),
        ),
        (
            "/api/v1/consents/{id}/deny",
            "post",
            get_op(
                "Deny (holder, guardian)",
                schema("Consent"),
                "/api/v1/consents/{id}/deny",
            ),
        ),
        (
            "/api/v1/consents/{id}/revoke",
            "post",
            get_op(
                "Revoke a grant (holder, guardian)",
                schema("Consent"),
                "/api/v1/consents/{id}/revoke",
            ),
        ),
        (
            "/federation/v1/health/read",
            "post",
            operation(
                op(
                    "A read under consent, relayed to the home node (MessagePack; docs/protocol.md §9.4)",
                    false,
                    Some(text.clone()),
                    text,
                ),
                "",
            ),
        ),
    ]
}

/// The health schemas of `components.schemas`.
fn schemas() -> Value {
    let s = json!({"type": "string"});
    let i = json!({"type": "integer"});
    let strings = json!({"type": "array", "items": s});
    let object = |required: &[&str], props: Value| match required {
        [] => json!({ "type": "object", "properties": props }),
        _ => json!({ "type": "object", "required": required, "properties": props }),
    };
    json!({
        "NewDependant": object(&["name", "birth_year"], json!({"name": s, "birth_year": i})),
        "HealthId": object(&["health_id", "address", "name", "guardians"], json!({"health_id": s, "address": s, "name": s, "guardians": strings, "birth_year": i})),
        "Profile": object(&[], json!({"blood_group": s, "allergies": strings, "conditions": strings, "medications": strings, "emergency_contact": {"oneOf": [s, object(&["name", "phone"], json!({"name": s, "phone": s, "relation": s}))]}})),
        "AuditEntry": object(&["at", "node", "who", "action"], json!({"at": s, "node": s, "who": s, "action": s, "record_id": s, "consent_id": s, "check": s})),
        "Uploaded": object(&["id", "sha256", "status"], json!({"id": s, "sha256": s, "status": {"type": "string", "enum": ["stored", "sending"]}})),
        "Record": object(&["id", "type", "title", "date", "facility", "content_type", "size", "sha256"], json!({"id": s, "type": s, "title": s, "date": s, "facility": object(&["id", "name", "node"], json!({"id": s, "name": s, "node": s})), "content_type": s, "size": i, "sha256": s, "uploaded_at": s})),
        "ConsentAsk": object(&["health_id", "purpose", "record_types", "expires"], json!({"health_id": s, "purpose": {"type": "string", "enum": ["care", "referral", "insurance", "research"]}, "record_types": strings, "from": s, "to": s, "expires": s})),
        "Consent": object(&["id", "status"], json!({"id": s, "health_id": s, "purpose": s, "record_types": strings, "from": s, "to": s, "expires": s, "status": {"type": "string", "enum": ["requested", "granted", "denied", "revoked", "expired"]}, "requester": object(&[], json!({"node": s, "facility_id": s, "facility_name": s, "member": s})), "home": s, "created_at": s, "decided_at": s, "decided_by": s})),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_hand_written_part_parses() {
        let mut doc = super::OpenApi::default();
        super::add(&mut doc).expect("the health description parses");
        assert!(doc.paths.paths.contains_key("/api/v1/consents"));
    }
}
