//! `caremesh bench`: figures printed by running the real code paths on this machine, each
//! beside its anchor or goal in the same output. The benchmarks live in the binary, not in
//! the library: they use the library as any program would.
//!
//! - `ingest`: signed request envelopes pushed over loopback HTTP into a node's inbox
//!   (request signature, replay, batch verification, decode, schema, sled, group flush before
//!   each answer), beside the batch-verify-only rate of the same signatures in the same run.
//! - `propagation`: a line of in-process nodes on loopback; the time one request takes from
//!   the first to the last node (p50, p99), and the sustained end-to-end rate with loss count.
//! - `chat`: the chat engine's time per message, and the notification fan-out lookup.
//! - `directory`: import, start-up, memory and query percentiles of the care directory.
//! - `records`: a 20 MiB upload from a hospital node to the record's home node through a
//!   relay, beside a plain two-hop HTTP copy of the same bytes; consent-checked read latency.
//! - `booking`: confirmed bookings per second on one facility node with bookings from four
//!   patient nodes over loopback HTTP, and call → answer p50/p99, beside the same number of
//!   unique-constrained inserts into PostgreSQL over one connection.
//! - `triage`: the time to assess a 500-character text, per language, beside the time to
//!   only lowercase and split the same texts.

mod booking;
mod chat;
mod directory;
mod ingest;
mod propagation;
mod records;
mod triage;

use std::time::Duration;

use clap::Subcommand;

/// Which benchmark to run.
#[derive(Subcommand, Clone, Debug)]
pub enum BenchCommand {
    /// Inbox ingest rate vs. batch-verify-only rate.
    Ingest {
        /// Envelopes to push.
        #[arg(long, default_value_t = 40_000)]
        objects: usize,
        /// Pushes in flight at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
    },
    /// Propagation along a line of nodes.
    Propagation {
        #[arg(long, default_value_t = 5)]
        nodes: usize,
        /// Requests timed one at a time.
        #[arg(long, default_value_t = 200)]
        samples: usize,
        /// Requests published back to back for the sustained rate.
        #[arg(long, default_value_t = 10_000)]
        burst: usize,
    },
    /// Chat engine time per message and notification fan-out lookup.
    Chat {
        #[arg(long, default_value_t = 5_000)]
        messages: usize,
        #[arg(long, default_value_t = 100_000)]
        subscribers: usize,
    },
    /// Care directory: import, start-up, memory and query percentiles (see bench/directory.rs).
    Directory {
        /// `gen_facilities.py facilities N` output.
        #[arg(long)]
        facilities: std::path::PathBuf,
        /// `gen_facilities.py queries Q` output.
        #[arg(long)]
        queries: std::path::PathBuf,
        /// Measure the node already in this folder instead of importing into a new one.
        #[arg(long)]
        node_dir: Option<std::path::PathBuf>,
    },
    /// Health records: 20 MiB upload to the home node over two hops vs. a plain HTTP copy,
    /// and consent-checked read latency (p50, p99).
    Records {
        /// Reads timed.
        #[arg(long, default_value_t = 500)]
        reads: usize,
    },
    /// Bookings from 4 patient nodes to one facility node: confirmed/s and call → answer
    /// p50/p99, beside PostgreSQL inserts with a unique (slot, seat) constraint.
    Booking {
        /// Bookings made in all.
        #[arg(long, default_value_t = 2_000)]
        bookings: usize,
        /// Bookings in flight at once per patient node.
        #[arg(long, default_value_t = 8)]
        in_flight: usize,
    },
    /// Triage of 500-character texts: p50 and p99 per language (goal p99 < 1 ms).
    Triage {
        /// Assessments timed per language.
        #[arg(long, default_value_t = 20_000)]
        samples: usize,
    },
}

/// Runs a benchmark and prints its figures.
pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Ingest {
            objects,
            concurrency,
        } => ingest::run(objects, concurrency).await,
        BenchCommand::Propagation {
            nodes,
            samples,
            burst,
        } => propagation::run(nodes, samples, burst).await,
        BenchCommand::Chat {
            messages,
            subscribers,
        } => chat::run(messages, subscribers).await,
        BenchCommand::Directory {
            facilities,
            queries,
            node_dir,
        } => directory::run(&facilities, &queries, node_dir.as_deref()),
        BenchCommand::Records { reads } => records::run(reads).await,
        BenchCommand::Booking {
            bookings,
            in_flight,
        } => booking::run(bookings, in_flight).await,
        BenchCommand::Triage { samples } => triage::run(samples),
    }
}

/// The `p` quantile (0 to 1) of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// Milliseconds, for printing.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
