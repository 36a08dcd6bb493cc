//! A real Synapse for tests (`scripts/synapse.sh`), stopped on drop, and a human Matrix user
//! driven with plain client-server API calls.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn script() -> PathBuf {
    repo().join("scripts/synapse.sh")
}

/// A Synapse in a temp dir; killed (by its PID file) when dropped, also when a test fails.
pub struct Synapse {
    pub url: String,
    dir: tempfile::TempDir,
    venv: PathBuf,
}

impl Synapse {
    pub fn start() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let venv = std::env::var_os("CAREMESH_SYNAPSE_VENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo().join(".cache/synapse-venv"));
        // Constructed first, so a half-started Synapse is stopped too.
        let mut synapse = Synapse {
            url: String::new(),
            dir,
            venv,
        };
        let out = Command::new(script())
            .arg("start")
            .arg(synapse.dir.path())
            .output()
            .context("run scripts/synapse.sh")?;
        if !out.status.success() {
            bail!(
                "synapse.sh start failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        synapse.url = stdout
            .split_whitespace()
            .next()
            .context("synapse.sh printed no URL")?
            .to_owned();
        Ok(synapse)
    }

    /// Registers a non-admin user with the shared secret.
    pub fn register(&self, name: &str, password: &str) -> Result<()> {
        let out = Command::new(self.venv.join("bin/register_new_matrix_user"))
            .arg("-c")
            .arg(self.dir.path().join("homeserver.yaml"))
            .args(["-u", name, "-p", password, "--no-admin", &self.url])
            .output()?;
        if !out.status.success() {
            bail!(
                "register {name}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }
}

impl Drop for Synapse {
    fn drop(&mut self) {
        let _ = Command::new(script())
            .arg("stop")
            .arg(self.dir.path())
            .status();
    }
}

/// The device ids of the user whose saved session is in `dir` (`session.json`).
pub async fn devices(url: &str, dir: &Path) -> Result<Vec<String>> {
    let session: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("session.json"))?)?;
    let token = session["access_token"].as_str().context("access_token")?;
    let body: Value = reqwest::Client::new()
        .get(format!("{url}/_matrix/client/v3/devices"))
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let mut ids: Vec<String> = body["devices"]
        .as_array()
        .context("devices")?
        .iter()
        .filter_map(|d| d["device_id"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    Ok(ids)
}

/// Percent-encodes a room or event id for a URL path.
fn path(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A person on Matrix: logs in, creates a DM, sends messages, reads `/sync`.
pub struct Human {
    http: reqwest::Client,
    url: String,
    token: String,
    pub user_id: String,
    since: Option<String>,
    /// Timeline events seen so far, per room.
    timeline: std::collections::BTreeMap<String, Vec<Value>>,
    txn: u64,
}

impl Human {
    pub async fn login(url: &str, user: &str, password: &str) -> Result<Self> {
        let http = reqwest::Client::new();
        let body: Value = http
            .post(format!("{url}/_matrix/client/v3/login"))
            .json(&json!({"type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": user}, "password": password}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(Self {
            http,
            url: url.to_owned(),
            token: body["access_token"].as_str().context("token")?.to_owned(),
            user_id: body["user_id"].as_str().context("user_id")?.to_owned(),
            since: None,
            timeline: Default::default(),
            txn: 0,
        })
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value> {
        let mut request = self
            .http
            .request(method, format!("{}/_matrix/client/v3{path}", self.url))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        let body: Value = response.json().await?;
        if !status.is_success() {
            bail!("{path}: {status} {body}");
        }
        Ok(body)
    }

    /// A private room marked as a DM, with `user` invited.
    pub async fn create_dm(&self, user: &str) -> Result<String> {
        let body = json!({"invite": [user], "is_direct": true, "preset": "trusted_private_chat"});
        let room = self
            .call(reqwest::Method::POST, "/createRoom", Some(body))
            .await?;
        Ok(room["room_id"].as_str().context("room_id")?.to_owned())
    }

    /// A private group room (not a DM) with `users` invited.
    pub async fn create_group(&self, users: &[&str]) -> Result<String> {
        let body = json!({"invite": users, "preset": "private_chat", "name": "Ward 3"});
        let room = self
            .call(reqwest::Method::POST, "/createRoom", Some(body))
            .await?;
        Ok(room["room_id"].as_str().context("room_id")?.to_owned())
    }

    /// Whether `user` published a cross-signing master key.
    pub async fn has_cross_signing(&self, user: &str) -> Result<bool> {
        let body = json!({"device_keys": {user: []}});
        let keys = self
            .call(reqwest::Method::POST, "/keys/query", Some(body))
            .await?;
        Ok(keys["master_keys"].get(user).is_some())
    }

    /// Waits until `user` has joined `room`.
    pub async fn wait_joined(&self, room: &str, user: &str) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let members = format!("/rooms/{}/joined_members", path(room));
        while Instant::now() < deadline {
            let body = self.call(reqwest::Method::GET, &members, None).await?;
            if body["joined"].get(user).is_some() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("{user} did not join {room}")
    }

    async fn send(&mut self, room: &str, content: Value) -> Result<String> {
        self.txn += 1;
        let at = format!(
            "/rooms/{}/send/m.room.message/t{}-{}",
            path(room),
            std::process::id(),
            self.txn
        );
        let body = self.call(reqwest::Method::PUT, &at, Some(content)).await?;
        Ok(body["event_id"].as_str().context("event_id")?.to_owned())
    }

    pub async fn send_text(&mut self, room: &str, text: &str) -> Result<String> {
        self.send(room, json!({"msgtype": "m.text", "body": text}))
            .await
    }

    pub async fn send_location(&mut self, room: &str, geo_uri: &str) -> Result<String> {
        let content = json!({"msgtype": "m.location", "body": "Pune", "geo_uri": geo_uri});
        self.send(room, content).await
    }

    /// The timeline events of `room` seen so far.
    pub fn events(&self, room: &str) -> &[Value] {
        self.timeline.get(room).map(Vec::as_slice).unwrap_or(&[])
    }

    async fn sync(&mut self) -> Result<()> {
        let mut query = vec![("timeout", "2000".to_owned())];
        if let Some(since) = &self.since {
            query.push(("since", since.clone()));
        }
        let body: Value = self
            .http
            .get(format!("{}/_matrix/client/v3/sync", self.url))
            .bearer_auth(&self.token)
            .query(&query)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        self.since = body["next_batch"].as_str().map(str::to_owned);
        if let Some(rooms) = body["rooms"]["join"].as_object() {
            for (id, room) in rooms {
                let events = room["timeline"]["events"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                self.timeline.entry(id.clone()).or_default().extend(events);
            }
        }
        Ok(())
    }

    /// Syncs until an event in `room` matches; returns it.
    pub async fn wait_for(
        &mut self,
        room: &str,
        matches: impl Fn(&Value) -> bool,
    ) -> Result<Value> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(found) = self.events(room).iter().find(|e| matches(e)) {
                return Ok(found.clone());
            }
            if Instant::now() > deadline {
                bail!(
                    "no matching event in {room}; seen: {:#?}",
                    self.events(room)
                );
            }
            self.sync().await?;
        }
    }
}
