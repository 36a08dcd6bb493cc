//! The health routes of the OpenAPI document (docs/api.md "Health IDs, records, consent").

use serde_json::{Value, json};

use super::{Op, list_of, op, operation, schema};

fn get_op(summary: &str, answer: Value, path: &str) -> Value {
    operation(op(summary, true, None, answer), path)
}

/// `(path, method, operation)` of every health route.
pub(super) fn paths() -> Vec<(&'static str, &'static str, Value)> {
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
pub(super) fn schemas() -> Value {
    let s = json!({"type": "string"});
    let i = json!({"type": "integer"});
    let strings = json!({"type": "array", "items": s});
    let object = |required: &[&str], props: Value| json!({ "type": "object", "required": required, "properties": props });
    json!({
        "NewDependant": object(&["name", "birth_year"], json!({"name": s, "birth_year": i})),
        "HealthId": object(&["health_id", "address", "name", "guardians"], json!({"health_id": s, "address": s, "name": s, "guardians": strings, "birth_year": i})),
        "Profile": object(&[], json!({"blood_group": s, "allergies": strings, "conditions": strings, "medications": strings, "emergency_contact": {}})),
        "AuditEntry": object(&["at", "node", "who", "action"], json!({"at": s, "node": s, "who": s, "action": s, "record_id": s, "consent_id": s, "check": s})),
        "Uploaded": object(&["id", "sha256", "status"], json!({"id": s, "sha256": s, "status": {"type": "string", "enum": ["stored", "sending"]}})),
        "Record": object(&["id", "type", "title", "date", "facility", "content_type", "size", "sha256"], json!({"id": s, "type": s, "title": s, "date": s, "facility": object(&["id", "name", "node"], json!({"id": s, "name": s, "node": s})), "content_type": s, "size": i, "sha256": s, "uploaded_at": s})),
        "ConsentAsk": object(&["health_id", "purpose", "record_types", "expires"], json!({"health_id": s, "purpose": {"type": "string", "enum": ["care", "referral", "insurance", "research"]}, "record_types": strings, "from": s, "to": s, "expires": s})),
        "Consent": object(&["id", "status"], json!({"id": s, "health_id": s, "purpose": s, "record_types": strings, "from": s, "to": s, "expires": s, "status": {"type": "string", "enum": ["requested", "granted", "denied", "revoked", "expired"]}, "requester": object(&[], json!({"node": s, "facility_id": s, "facility_name": s, "member": s})), "home": s, "created_at": s, "decided_at": s, "decided_by": s})),
    })
}
