//! Support for end-to-end tests: real `caremesh` processes on loopback, each in its own
//! temporary folder, driven over HTTP.

pub mod appointments;
pub mod chat;
pub mod facility;
pub mod health;
pub mod market;
pub mod rogue;
pub mod rogue_health;
pub mod scope;
pub mod telegram;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::Value;

/// The `caremesh` binary next to the test executable (built by `cargo test --workspace`).
pub fn binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let debug_dir = exe
        .parent()
        .and_then(Path::parent)
        .context("test executable has no target folder")?;
    let bin = debug_dir.join(format!("caremesh{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        bail!(
            "{} is missing: run `cargo test --workspace` (it builds the binary) or `cargo build --workspace`",
            bin.display()
        );
    }
    Ok(bin)
}

/// Runs `cmd` to its end with `input` on its stdin, capturing stdout and stderr.
pub fn output_with_stdin(cmd: &mut Command, input: &str) -> anyhow::Result<Output> {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .context("no stdin")?
        .write_all(input.as_bytes())?;
    Ok(child.wait_with_output()?)
}

/// Runs a `caremesh chat` command with `lines` on stdin; returns what it printed, or fails
/// with its stderr when it exits with an error.
pub fn run_chat(cmd: &mut Command, lines: &str) -> anyhow::Result<String> {
    let out = output_with_stdin(cmd, lines)?;
    anyhow::ensure!(
        out.status.success(),
        "chat failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Sends `req` with a JSON body and an optional bearer token; returns status and JSON (or
/// null).
async fn send_json(
    mut req: reqwest::RequestBuilder,
    token: Option<&str>,
    body: &Value,
) -> anyhow::Result<(u16, Value)> {
    req = req.json(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await?;
    let status = resp.status().as_u16();
    Ok((status, resp.json().await.unwrap_or(Value::Null)))
}

/// A free loopback port (the listener is closed again; a start retries on a clash).
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// A node process and its folder.
pub struct Node {
    pub name: String,
    pub dir: PathBuf,
    pub url: String,
    pub admin: String,
    child: Option<Child>,
}

impl Node {
    /// `caremesh init` in `root/name` on a free port, with these peers written to its config.
    pub fn init(root: &Path, name: &str, peers: &[&str]) -> anyhow::Result<Node> {
        let port = free_port()?;
        let dir = root.join(name);
        let url = format!("http://127.0.0.1:{port}");
        let out = Command::new(binary()?)
            .args(["init", "--dir"])
            .arg(&dir)
            .args([
                "--name",
                name,
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--public-url",
                &url,
            ])
            .output()?;
        if !out.status.success() {
            bail!(
                "init {name} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let admin = std::fs::read_to_string(dir.join("admin.token"))?
            .trim()
            .to_owned();
        let node = Node {
            name: name.to_owned(),
            dir,
            url,
            admin,
            child: None,
        };
        node.set_peers(peers)?;
        Ok(node)
    }

    /// [`Node::init`] and [`Node::start`]: a running node with these peers.
    pub async fn started(root: &Path, name: &str, peers: &[&str]) -> anyhow::Result<Node> {
        let mut node = Node::init(root, name, peers)?;
        node.start().await?;
        Ok(node)
    }

    /// Appends peer tables to the config.
    pub fn set_peers(&self, peers: &[&str]) -> anyhow::Result<()> {
        let path = self.dir.join("config.toml");
        let mut text = std::fs::read_to_string(&path)?;
        for peer in peers {
            text.push_str(&format!("\n[[federation.peers]]\nurl = \"{peer}\"\n"));
        }
        std::fs::write(path, text)?;
        Ok(())
    }

    /// Replaces the `[federation]` table's policy line with `lines` (which name the policy
    /// and any other key of the table, e.g. a blocklist or a rate limit).
    pub fn set_federation(&self, lines: &str) -> anyhow::Result<()> {
        let path = self.dir.join("config.toml");
        let text = std::fs::read_to_string(&path)?;
        let table = "[federation]\npolicy = \"allowlist\"\n";
        anyhow::ensure!(text.contains(table), "no [federation] table to replace");
        std::fs::write(
            path,
            text.replace(table, &format!("[federation]\n{lines}\n")),
        )?;
        Ok(())
    }

    /// Appends raw text to the config (e.g. a blocklist).
    pub fn append_config(&self, extra: &str) -> anyhow::Result<()> {
        let path = self.dir.join("config.toml");
        let text = std::fs::read_to_string(&path)? + extra;
        std::fs::write(path, text)?;
        Ok(())
    }

    /// Starts `caremesh run` and waits for `/healthz`.
    pub async fn start(&mut self) -> anyhow::Result<()> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("node.log"))?;
        let child = Command::new(binary()?)
            .args(["run", "--config"])
            .arg(self.dir.join("config.toml"))
            .env("CAREMESH_LOG", "info,caremesh_node=debug")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(r) = reqwest::get(format!("{}/healthz", self.url)).await
                && r.status().is_success()
            {
                return Ok(());
            }
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                bail!("{} exited with {status}; log:\n{}", self.name, self.log());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("{} did not become healthy; log:\n{}", self.name, self.log())
    }

    /// SIGKILL: no shutdown, no final flush.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM, as systemd stops a node, and waits for it to exit; returns whether it exited
    /// with success.
    pub fn stop(&mut self) -> anyhow::Result<bool> {
        let Some(mut child) = self.child.take() else {
            return Ok(true);
        };
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()?;
        if !sent.success() {
            let _ = child.kill();
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Some(status) = child.try_wait()? {
                return Ok(status.success());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        bail!("{} did not stop within 30 s of SIGTERM", self.name)
    }

    /// The node's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("node.log")).unwrap_or_default()
    }

    /// GET with an optional bearer token; returns status and JSON (or null).
    pub async fn get(&self, path: &str, token: Option<&str>) -> anyhow::Result<(u16, Value)> {
        let mut req = reqwest::Client::new().get(format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        Ok((status, resp.json().await.unwrap_or(Value::Null)))
    }

    /// POST JSON with an optional bearer token.
    pub async fn post(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> anyhow::Result<(u16, Value)> {
        let req = reqwest::Client::new().post(format!("{}{path}", self.url));
        send_json(req, token, body).await
    }

    /// PUT JSON with an optional bearer token.
    pub async fn put(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> anyhow::Result<(u16, Value)> {
        let req = reqwest::Client::new().put(format!("{}{path}", self.url));
        send_json(req, token, body).await
    }

    /// One unlabelled value of `GET /metrics` (`caremesh_<name>`), if present.
    pub async fn metric(&self, name: &str) -> anyhow::Result<Option<f64>> {
        let text = reqwest::get(format!("{}/metrics", self.url))
            .await?
            .text()
            .await?;
        let prefix = format!("caremesh_{name} ");
        Ok(text
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .and_then(|v| v.trim().parse().ok()))
    }

    /// The process id of the running node.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Runs `caremesh <args> --config <this node's config>` to its end.
    pub fn command(&self, args: &[&str]) -> anyhow::Result<Output> {
        Ok(Command::new(binary()?)
            .args(args)
            .arg("--config")
            .arg(self.dir.join("config.toml"))
            .output()?)
    }

    /// Runs `caremesh chat` against this node with `lines` on stdin (as `handle` when
    /// given) and returns what it printed; fails when the chat exits with an error.
    pub fn chat(&self, handle: Option<&str>, lines: &str) -> anyhow::Result<String> {
        run_chat(&mut self.chat_command(handle)?, lines)
    }

    /// The `caremesh chat` command against this node, as `handle` when given; a test sets
    /// its working folder where downloads should land.
    pub fn chat_command(&self, handle: Option<&str>) -> anyhow::Result<Command> {
        let mut cmd = Command::new(binary()?);
        cmd.args(["chat", "--config"])
            .arg(self.dir.join("config.toml"));
        if let Some(handle) = handle {
            cmd.args(["--as", handle]);
        }
        Ok(cmd)
    }

    /// Creates a member as admin and returns its token.
    pub async fn member(&self, body: Value) -> anyhow::Result<String> {
        let (status, v) = self
            .post("/api/v1/members", Some(&self.admin), &body)
            .await?;
        if status != 201 {
            bail!("member creation on {} answered {status}: {v}", self.name);
        }
        Ok(v["token"].as_str().context("no token")?.to_owned())
    }
}

/// Two nodes in `root` that peer with each other, not started yet (a test may add to their
/// configs first).
pub fn init_pair(root: &Path, first: &str, second: &str) -> anyhow::Result<(Node, Node)> {
    let one = Node::init(root, first, &[])?;
    let two = Node::init(root, second, &[&one.url])?;
    one.set_peers(&[&two.url])?;
    Ok((one, two))
}

/// [`init_pair`], both started; `first` starts first.
pub async fn start_pair(root: &Path, first: &str, second: &str) -> anyhow::Result<(Node, Node)> {
    let (mut one, mut two) = init_pair(root, first, second)?;
    one.start().await?;
    two.start().await?;
    Ok((one, two))
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Polls `check` until it returns `Some` or `limit` passes.
pub async fn eventually<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = check().await? {
            return Ok(v);
        }
        if Instant::now() > deadline {
            bail!("timed out waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
