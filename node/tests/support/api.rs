//! Shared by the API tests: a node in a temp dir behind `app(state)`, called with `oneshot`.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use caremesh_node::app::App;
use caremesh_node::fixtures::node_config;
use serde_json::{Value, json};
use tower::ServiceExt;

pub struct Api {
    router: axum::Router,
    _dir: tempfile::TempDir,
}

pub fn api() -> Api {
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(App::open(node_config(dir.path(), "test", &[]), true).unwrap());
    Api {
        router: caremesh_node::http::app(&app),
        _dir: dir,
    }
}

/// [`api`] with the node's background work running (booking decisions, delivery); call it
/// inside a tokio runtime, which stops that work when the test ends.
pub fn api_running() -> Api {
    app_running().1
}

/// Like [`api_running`], with the app itself, to start more of the node (its chat side).
pub fn app_running() -> (Arc<App>, Api) {
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(App::open(node_config(dir.path(), "test", &[]), true).unwrap());
    app.spawn_background(Arc::new(tokio::sync::Notify::new()));
    let api = Api {
        router: caremesh_node::http::app(&app),
        _dir: dir,
    };
    (app, api)
}

impl Api {
    pub fn admin(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("admin.token"))
            .unwrap()
            .trim()
            .to_owned()
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = req.body(Body::from(body.unwrap_or("").to_owned())).unwrap();
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 22)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// `GET path`, as `token` when given.
    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call("GET", path, token, None).await
    }

    /// `POST path` with a JSON body, as `who`.
    pub async fn post(&self, path: &str, who: &str, body: Value) -> (StatusCode, Value) {
        self.call("POST", path, Some(who), Some(&body.to_string()))
            .await
    }

    /// A request with a raw body and content type; the status, headers and body bytes.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", content_type);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let resp = self
            .router
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let (status, headers) = (resp.status(), resp.headers().clone());
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 26)
            .await
            .unwrap();
        (status, headers, bytes.to_vec())
    }

    /// The data folder of the node.
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub async fn facility(&self) -> String {
        let body = json!({"kind": "hospital", "name": "Ruby Hall", "lat": 18.53, "lon": 73.88});
        let (s, v) = self.post_facility(&body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["id"].as_str().unwrap().to_owned()
    }

    /// `POST /api/v1/facilities` as the admin.
    pub async fn post_facility(&self, body: &Value) -> (StatusCode, Value) {
        self.call(
            "POST",
            "/api/v1/facilities",
            Some(&self.admin()),
            Some(&body.to_string()),
        )
        .await
    }

    pub async fn member(&self, body: Value) -> String {
        let (s, v) = self
            .call(
                "POST",
                "/api/v1/members",
                Some(&self.admin()),
                Some(&body.to_string()),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["token"].as_str().unwrap().to_owned()
    }

    /// A pharmacy named `name`, its staff member `chemist` and a patient `meera`: the
    /// pharmacy's id and their tokens (chemist, meera).
    pub async fn pharmacy_with_people(&self, name: &str) -> (String, String, String) {
        let body = json!({"kind": "pharmacy", "name": name, "lat": 18.52, "lon": 73.85});
        let (s, v) = self.post_facility(&body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let pharmacy = v["id"].as_str().unwrap().to_owned();
        let staff = self
            .member(json!({"handle": "chemist", "role": "staff", "facility_id": pharmacy}))
            .await;
        let patient = self
            .member(json!({"handle": "meera", "role": "patient"}))
            .await;
        (pharmacy, staff, patient)
    }
}

pub fn field_error(answer: &(StatusCode, Value), field: &str) {
    assert_eq!(answer.0, StatusCode::BAD_REQUEST, "{answer:?}");
    assert_eq!(answer.1["error"]["field"], field, "{answer:?}");
    assert!(
        answer.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains(field),
        "{answer:?}"
    );
}
