//! The anchor of `caremesh bench booking`: a throwaway PostgreSQL 15 server (initdb in a
//! temp dir, a Unix socket only, run as the `postgres` user when we are root, as
//! scripts/bench-directory.sh does), one table `booking (slot, seat, health_id, name,
//! UNIQUE (slot, seat))`, and N single-row INSERTs through one `psql` connection, each its
//! own transaction with the default durable commit, like a desk decision here. Absent
//! PostgreSQL, the anchor is skipped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// Where Debian puts PostgreSQL 15's programs.
const BIN: &str = "/usr/lib/postgresql/15/bin";

fn program(name: &str) -> PathBuf {
    Path::new(BIN).join(name)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// `program args`, as `postgres` when we are root (PostgreSQL refuses to run as root).
fn command(name: &str, args: &[&str]) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"])
            .arg(program(name))
            .args(args);
        c
    } else {
        let mut c = Command::new(program(name));
        c.args(args);
        c
    }
}

fn run(name: &str, args: &[&str]) -> anyhow::Result<()> {
    let out = command(name, args).output()?;
    if !out.status.success() {
        bail!("{name} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

/// Stops the server when dropped.
struct Server {
    data: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = command("pg_ctl", &["-D", &self.data, "-m", "fast", "-w", "stop"]).output();
    }
}

/// The time of `n` inserts, or `None` when PostgreSQL is not installed.
pub fn inserts(n: usize) -> anyhow::Result<Option<Duration>> {
    if !["initdb", "pg_ctl", "psql"]
        .iter()
        .all(|p| program(p).exists())
    {
        return Ok(None);
    }
    let dir = tempfile::tempdir()?;
    let root = dir.path().to_str().context("temp dir")?.to_owned();
    if is_root() {
        run_plain("chown", &["postgres", &root])?;
    }
    let data = format!("{root}/data");
    run("initdb", &["-D", &data, "-A", "trust", "-U", "postgres"])?;
    let options = format!("-c listen_addresses='' -c unix_socket_directories={root}");
    run(
        "pg_ctl",
        &[
            "-D",
            &data,
            "-o",
            &options,
            "-w",
            "-l",
            &format!("{root}/log"),
            "start",
        ],
    )?;
    let _server = Server { data };
    let setup = "CREATE TABLE booking (slot bigint NOT NULL, seat int NOT NULL, \
        health_id text NOT NULL, name text NOT NULL, UNIQUE (slot, seat));";
    run(
        "psql",
        &[
            "-X", "-q", "-h", &root, "-U", "postgres", "-d", "postgres", "-c", setup,
        ],
    )?;
    let mut script = String::with_capacity(n * 100);
    for i in 0..n {
        script.push_str(&format!(
            "INSERT INTO booking VALUES ({}, {}, '{:014}', 'patient {i}');\n",
            i % 288,
            i / 288,
            10_000_000_000_000u64 + i as u64
        ));
    }
    let mut psql = command(
        "psql",
        &[
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            &root,
            "-U",
            "postgres",
            "-d",
            "postgres",
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()?;
    let started = Instant::now();
    psql.stdin
        .take()
        .context("psql stdin")?
        .write_all(script.as_bytes())?;
    let out = psql.wait_with_output()?;
    let took = started.elapsed();
    if !out.status.success() {
        bail!(
            "the inserts failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(Some(took))
}

fn run_plain(name: &str, args: &[&str]) -> anyhow::Result<()> {
    let status = Command::new(name).args(args).status()?;
    if !status.success() {
        bail!("{name} {args:?} failed");
    }
    Ok(())
}
