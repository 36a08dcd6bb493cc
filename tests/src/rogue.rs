//! A rogue peer for end-to-end tests: a real HTTP server on loopback with its own ed25519
//! key and identity endpoint, able to forge anything a peer can send. It signs and pushes
//! batches (as itself, or with any key it is given), answers `GET /federation/v1/identity`
//! with its own identity or one it made up for another origin (or with a redirect or an
//! error of its choosing), serves whatever it likes to pulls, accepts every push to its
//! inbox, and records every request it gets, so a test can tell what a node asked of it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use caremesh_federation::batch::{INBOX_PATH, OBJECTS_PATH};
use caremesh_federation::identity::IDENTITY_PATH;
use caremesh_federation::object::{
    Decision, Facility, Material, Meta, Proposal, ProposalStatus, Request, RequestStatus, Verdict,
};
use caremesh_federation::request_auth::RequestAuth;
use caremesh_federation::{
    Batch, BatchReply, Envelope, Identity, NodeKey, Object, Outcome, PullPage, codec,
};
use serde_json::Value;

/// How the rogue answers identity requests for its own origin.
#[derive(Clone, Debug)]
pub enum IdentityAnswer {
    /// Its identity document (the default).
    Own,
    /// A redirect to this URL.
    Redirect(String),
    /// An error status with this body.
    Error(u16, String),
}

#[derive(Default)]
struct Shared {
    identity: Mutex<Option<Identity>>,
    answer: Mutex<Option<IdentityAnswer>>,
    /// Identities it claims to have cached for other origins (`?origin=`).
    relayed: Mutex<BTreeMap<String, Identity>>,
    /// Served to pulls, all on one page.
    pull: Mutex<Vec<Envelope>>,
    /// Envelopes pushed to its inbox.
    received: Mutex<Vec<Envelope>>,
    /// Path and query of every request it got.
    hits: Mutex<Vec<String>>,
}

/// A running rogue peer. Its server stops when it is dropped.
pub struct Rogue {
    /// Its origin, `http://127.0.0.1:<port>`.
    pub url: String,
    /// Its own key (id `ed25519:1`).
    pub key: NodeKey,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
    http: reqwest::Client,
}

impl Drop for Rogue {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The current time in unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Rogue {
    /// Starts a rogue on a free loopback port with a fresh key.
    pub async fn start() -> anyhow::Result<Rogue> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        Self::serve(listener, NodeKey::generate()).await
    }

    /// Starts a rogue on `listener` with `key`, e.g. to stand in for a node that is gone.
    pub async fn serve(listener: tokio::net::TcpListener, key: NodeKey) -> anyhow::Result<Rogue> {
        let url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared::default());
        *lock(&shared.identity) = Some(Identity::new(&url, "rogue", &key));
        let app = Router::new()
            .route(IDENTITY_PATH, get(identity))
            .route(OBJECTS_PATH, get(pull))
            .route(INBOX_PATH, post(inbox))
            .fallback(|| async { StatusCode::NOT_FOUND })
            .layer(axum::middleware::from_fn_with_state(shared.clone(), record))
            .with_state(shared.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Rogue {
            url,
            key,
            shared,
            server,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()?,
        })
    }

    /// Replaces the identity document it serves for itself.
    pub fn set_identity(&self, identity: Identity) {
        *lock(&self.shared.identity) = Some(identity);
    }

    /// How it answers `GET /federation/v1/identity` from now on.
    pub fn answer_identity(&self, answer: IdentityAnswer) {
        *lock(&self.shared.answer) = Some(answer);
    }

    /// Claims `identity` as the one it has cached for `identity.url`.
    pub fn relay_identity(&self, identity: Identity) {
        lock(&self.shared.relayed).insert(identity.url.clone(), identity);
    }

    /// Serves these envelopes to anyone who pulls.
    pub fn serve_pull(&self, envelopes: Vec<Envelope>) {
        *lock(&self.shared.pull) = envelopes;
    }

    /// Envelopes pushed to it so far.
    pub fn received(&self) -> Vec<Envelope> {
        lock(&self.shared.received).clone()
    }

    /// Path and query of every request it got so far.
    pub fn hits(&self) -> Vec<String> {
        lock(&self.shared.hits).clone()
    }

    /// Signs an object with its own key (the object may claim any origin).
    pub fn sign(&self, object: impl Into<Object>) -> Envelope {
        forge(object, &self.key)
    }

    /// Pushes envelopes to `to`'s inbox, signed as itself. Returns status and JSON.
    pub async fn push(&self, to: &str, envelopes: Vec<Envelope>) -> anyhow::Result<(u16, Value)> {
        let body = batch(envelopes)?;
        self.push_body(to, body, &self.key, &self.url).await
    }

    /// Pushes raw bytes, signed with `key` as `sender`.
    pub async fn push_body(
        &self,
        to: &str,
        body: Vec<u8>,
        key: &NodeKey,
        sender: &str,
    ) -> anyhow::Result<(u16, Value)> {
        let now = now_ms() / 1000;
        let auth = RequestAuth::sign(key, sender, to, "POST", INBOX_PATH, &body, now);
        let resp = self
            .http
            .post(format!("{to}{INBOX_PATH}"))
            .header(header::CONTENT_TYPE, "application/msgpack")
            .header(header::AUTHORIZATION, auth.to_header())
            .body(body)
            .send()
            .await?;
        let status = resp.status().as_u16();
        Ok((status, resp.json().await.unwrap_or(Value::Null)))
    }

    /// Fields of a new object claiming `origin`, made now.
    pub fn meta(origin: &str) -> Meta {
        let now = now_ms();
        Meta {
            id: ulid::Ulid::new().to_string(),
            origin: origin.to_owned(),
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// A request of its own (or claiming `origin`).
    pub fn request(origin: &str, quantity: u32) -> Request {
        Request {
            meta: Self::meta(origin),
            facility_id: ulid::Ulid::new().to_string(),
            facility_name: "Rogue Hospital".into(),
            lat_e7: 185_204_000,
            lon_e7: 738_567_000,
            product: "n95-mask".into(),
            quantity,
            needed_by: None,
            note: String::new(),
            status: RequestStatus::Open,
            accepted: 0,
            received: 0,
        }
    }

    /// A proposal of `origin` for `request_id` of `request_origin`.
    pub fn proposal(
        origin: &str,
        request_id: &str,
        request_origin: &str,
        quantity: u32,
    ) -> Proposal {
        Proposal {
            meta: Self::meta(origin),
            request_id: request_id.to_owned(),
            request_origin: request_origin.to_owned(),
            maker: "rogue".into(),
            material: Material::Pla,
            quantity,
            eta: None,
            status: ProposalStatus::Pending,
            // Shaped like a contact seal (version byte, key, tag); it opens nowhere.
            sealed_contact: [vec![2], vec![0; 48]].concat(),
            lat_e7: None,
            lon_e7: None,
        }
    }

    /// A decision of `origin` accepting `quantity` of `proposal`.
    pub fn decision(origin: &str, proposal: &Proposal, quantity: u32) -> Decision {
        Decision {
            meta: Self::meta(origin),
            proposal_id: proposal.meta.id.clone(),
            proposal_origin: proposal.meta.origin.clone(),
            request_id: proposal.request_id.clone(),
            verdict: Verdict::Accept,
            quantity,
        }
    }

    /// A facility listing of `origin`.
    pub fn facility(origin: &str, name: &str, contact: &str) -> Facility {
        Facility {
            meta: Self::meta(origin),
            kind: caremesh_federation::object::FacilityKind::Hospital,
            name: name.to_owned(),
            ownership: None,
            address: Default::default(),
            lat_e7: 185_204_000,
            lon_e7: 738_567_000,
            contact: contact.to_owned(),
            specialties: Vec::new(),
            services: Vec::new(),
            hours: String::new(),
            blood_stock: Default::default(),
            printers: Vec::new(),
            retracted: false,
        }
    }
}

/// Signs any object with any key; the envelope names the object's origin.
pub fn forge(object: impl Into<Object>, key: &NodeKey) -> Envelope {
    let object = object.into();
    let body = object.encode().unwrap_or_default();
    let sig = key
        .sign(&caremesh_federation::envelope::signing_input(
            object.kind(),
            &body,
        ))
        .to_vec();
    Envelope {
        kind: object.kind(),
        origin: object.meta().origin.clone(),
        key_id: key.id().to_owned(),
        body,
        sig,
    }
}

/// A batch body with a fresh transaction id.
pub fn batch(envelopes: Vec<Envelope>) -> anyhow::Result<Vec<u8>> {
    let batch = Batch {
        txn: ulid::Ulid::new().to_string(),
        envelopes,
    };
    codec::encode("batch", &batch).context("encoding a batch")
}

/// The outcome names of a push answer: `stored`, `duplicate`, or the refusing check.
pub fn outcomes(answer: &Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .map(|r| {
                    r.get("check")
                        .or(r.get("outcome"))
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn record(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let line = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    lock(&shared.hits).push(line);
    next.run(request).await
}

async fn identity(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    if let Some(origin) = query.get("origin") {
        return match lock(&shared.relayed).get(origin) {
            Some(identity) => axum::Json(identity.clone()).into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        };
    }
    let answer = lock(&shared.answer).clone().unwrap_or(IdentityAnswer::Own);
    match answer {
        IdentityAnswer::Own => axum::Json(lock(&shared.identity).clone()).into_response(),
        IdentityAnswer::Redirect(to) => {
            (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
        }
        IdentityAnswer::Error(status, body) => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body,
        )
            .into_response(),
    }
}

async fn pull(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let after = query
        .get("after")
        .and_then(|a| a.parse::<usize>().ok())
        .unwrap_or(0);
    let all = lock(&shared.pull).clone();
    let page = PullPage {
        next: all.len().max(after) as u64,
        envelopes: all.into_iter().skip(after).collect(),
        more: false,
    };
    match codec::encode("pull page", &page) {
        Ok(bytes) => ([(header::CONTENT_TYPE, "application/msgpack")], bytes).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn inbox(State(shared): State<Arc<Shared>>, _headers: HeaderMap, body: Bytes) -> Response {
    let Ok(batch) = codec::decode::<Batch>("batch", &body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let results = vec![Outcome::Stored; batch.envelopes.len()];
    lock(&shared.received).extend(batch.envelopes);
    axum::Json(BatchReply {
        txn: batch.txn,
        results,
    })
    .into_response()
}
