//! The appointment routes of the OpenAPI document (docs/api.md "Appointments"), still
//! described by hand: a bridge until their handlers carry `#[utoipa::path]` like the rest.
//! [`add`] puts them into the generated document; `scripts/api-check.sh` leaves these paths
//! out of the schemathesis run until then.

use serde_json::{Value, json};
use utoipa::openapi::OpenApi;
use utoipa::openapi::path::PathItem;

/// Adds the appointment paths to `doc`.
pub fn add(doc: &mut OpenApi) -> Result<(), serde_json::Error> {
    let mut items = serde_json::Map::new();
    for (path, method, operation) in super::appointments::paths() {
        let item = items.entry(path.to_owned()).or_insert_with(|| json!({}));
        item[method] = operation;
    }
    let items: std::collections::BTreeMap<String, PathItem> =
        serde_json::from_value(Value::Object(items))?;
    doc.paths.paths.extend(items);
    Ok(())
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
        "tags": ["appointments"],
        "parameters": params,
        "responses": {
            "200": { "description": "success", "content": { "application/json": { "schema": op.answer } } },
            "400": { "description": "bad input; `field` names it", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } } },
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_hand_written_part_parses() {
        let mut doc = super::OpenApi::default();
        super::add(&mut doc).expect("the appointment description parses");
        assert!(doc.paths.paths.contains_key("/api/v1/appointments"));
    }
}
