//! The OpenAPI document is made from the routers themselves; here: every documented route
//! exists on the router (answers something other than 404 / 405), every operation says
//! what it answers, and every `$ref` resolves. `tests/tests/api_check.rs` runs the
//! OpenAPI tools themselves against a running node.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use caremesh_node::app::App;
use caremesh_node::fixtures::node_config;
use serde_json::Value;
use tower::ServiceExt;

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("path item")
                .iter()
                .map(move |(method, op)| (method.clone(), path.clone(), op.clone()))
        })
        .collect()
}

#[tokio::test]
async fn the_document_describes_the_router() {
    let doc: Value = serde_json::to_value(caremesh_node::http::document()).expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let ops = operations(&doc);
    assert!(ops.len() >= 28, "too few operations: {}", ops.len());
    for (method, path, op) in &ops {
        let answers = op["responses"].as_object().expect("responses");
        assert!(
            answers.keys().any(|code| code.starts_with('2')),
            "{method} {path} has no success answer"
        );
        assert!(
            answers.contains_key("default"),
            "{method} {path}: no default"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let app = App::open(node_config(dir.path(), "openapi", &[]), true).unwrap();
    let router = caremesh_node::http::app(&app);
    for (method, path, _) in &ops {
        let uri = path.replace("{id}", "01JD3V5Q0000000000000000X1");
        let req = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&uri)
            .body(Body::empty())
            .unwrap();
        let status = router.clone().oneshot(req).await.unwrap().status();
        let unrouted = status == StatusCode::METHOD_NOT_ALLOWED
            || (status == StatusCode::NOT_FOUND && !path.contains('{') && path != "/geo");
        assert!(
            !unrouted,
            "{method} {path} is documented but the router answers {status}"
        );
    }
    // Every $ref points at a schema that exists; no empty `required` list.
    let text = doc.to_string();
    for part in text.split("#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "dangling $ref {name}"
        );
    }
    assert!(!text.contains("\"required\":[]"), "an empty required list");
}

#[tokio::test]
async fn the_node_serves_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(node_config(dir.path(), "openapi", &[]), true).unwrap();
    let req = Request::builder()
        .uri("/api/v1/openapi.json")
        .body(Body::empty())
        .unwrap();
    let resp = caremesh_node::http::app(&app).oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 22)
        .await
        .unwrap();
    let served: Value = serde_json::from_slice(&bytes).expect("JSON");
    let made = serde_json::to_value(caremesh_node::http::document()).expect("JSON");
    assert_eq!(served, made);
}

/// Who may call what (docs/api.md's tables, column "who"): `(METHOD, path)` of each row,
/// with `{…}` parameters written `{}`, and the row's who cell. A first cell may list
/// methods before a path (`` `GET`, `PUT /p` ``), several paths, or suffixes replacing the
/// last part of the path before (`` `POST /p/grant`, `/deny` ``).
fn role_rows(doc: &str) -> Vec<(String, String, String)> {
    let braces = |path: &str| {
        let path = path.split('?').next().unwrap_or(path);
        let mut out = String::new();
        let mut inside = false;
        for c in path.chars() {
            match (c, inside) {
                ('{', _) => (out.push_str("{}"), inside = true).1,
                ('}', _) => inside = false,
                (c, false) => out.push(c),
                (_, true) => {}
            }
        }
        out
    };
    let mut rows = Vec::new();
    for line in doc.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        let who = cells.get(1).copied().unwrap_or_default().to_owned();
        let (mut methods, mut last) = (Vec::new(), None::<(String, String)>);
        for token in cells[0].split('`').skip(1).step_by(2) {
            if let Some((method, path)) = token.split_once(' ') {
                methods.push(method.to_owned());
                for m in methods.drain(..) {
                    rows.push((m.clone(), braces(path), who.clone()));
                    last = Some((m, braces(path)));
                }
            } else if let (Some(suffix), Some((m, path))) = (token.strip_prefix('/'), &last) {
                let parent = path.rsplit_once('/').map_or("", |(p, _)| p);
                rows.push((m.clone(), format!("{parent}/{suffix}"), who.clone()));
            } else {
                methods.push(token.to_owned());
            }
        }
    }
    rows
}

/// Every `/api/v1` operation of the OpenAPI document has a row in docs/api.md saying who may
/// call it, naming roles of `members::Role` (or anyone): an endpoint cannot be added
/// without its line in the role table, and the table names no endpoint the node lacks.
#[test]
fn the_role_table_covers_every_api_operation() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api.md"))
        .expect("docs/api.md");
    let rows = role_rows(&text);
    let doc: Value = serde_json::to_value(caremesh_node::http::document()).expect("JSON");
    let served: Vec<(String, String)> = operations(&doc)
        .into_iter()
        .filter(|(_, path, _)| path.starts_with("/api/v1/"))
        .map(|(method, path, _)| (method.to_uppercase(), role_rows_path(&path)))
        .collect();
    let words = [
        "anyone",
        "admin",
        "staff",
        "requester",
        "maker",
        "patient",
        "member",
    ];
    for (method, path) in &served {
        let row = rows.iter().find(|(m, p, _)| m == method && p == path);
        let who = row
            .map(|(_, _, who)| who.to_lowercase())
            .unwrap_or_default();
        assert!(
            words.iter().any(|w| who.contains(w)) || who.contains("holder"),
            "{method} {path}: no row in docs/api.md naming who may call it ({who:?})"
        );
    }
    for (method, path, _) in &rows {
        assert!(
            !path.starts_with("/api/v1/") || served.contains(&(method.clone(), path.clone())),
            "docs/api.md lists {method} {path}, which the node does not serve"
        );
    }
}

/// A document path with its parameters written `{}`, as [`role_rows`] writes them.
fn role_rows_path(path: &str) -> String {
    role_rows(&format!("| `GET {path}` | x |"))
        .pop()
        .map(|(_, p, _)| p)
        .unwrap_or_default()
}
