//! The `caremesh` command.

use std::path::PathBuf;

use anyhow::Context;
use caremesh_node::config::Config;
use caremesh_node::init::{InitOptions, init};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "caremesh",
    version,
    about = "A federated node for health-care supply and care discovery"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Make a new node folder: config.toml, node.key and admin.token.
    Init {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long, default_value = "caremesh node")]
        name: String,
        #[arg(long, default_value = "127.0.0.1:7700")]
        listen: String,
        #[arg(long)]
        public_url: Option<String>,
    },
    /// Run the node (HTTP API, federation, bots). Without --config: data in ./caremesh-data,
    /// listening on 127.0.0.1:7700.
    Run {
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Chat with the running node in this terminal, like a chat user (lines from stdin;
    /// buttons show as numbered choices).
    Chat {
        #[arg(long)]
        config: PathBuf,
        /// Speak as this existing member (e.g. `admin`).
        #[arg(long = "as")]
        as_handle: Option<String>,
    },
    /// Print performance figures.
    Bench {
        #[command(subcommand)]
        what: caremesh_node::bench::BenchCommand,
    },
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CAREMESH_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    match cli.command.unwrap_or(Command::Run { config: None }) {
        Command::Init {
            dir,
            name,
            listen,
            public_url,
        } => {
            let path = init(&InitOptions {
                dir,
                name,
                listen,
                public_url,
            })?;
            println!(
                "node created: {}\nrun it with: caremesh run --config {}",
                path.display(),
                path.display()
            );
            Ok(())
        }
        Command::Run { config } => {
            let (config, first_run) = match config {
                Some(path) => (Config::load(&path)?, false),
                None => (Config::embedded_default(), true),
            };
            runtime.block_on(caremesh_node::server::run(config, first_run))?;
            Ok(())
        }
        Command::Chat { config, as_handle } => {
            let config = Config::load(&config)?;
            runtime.block_on(caremesh_node::chat::terminal::run(&config, as_handle))
        }
        Command::Bench { what } => runtime.block_on(caremesh_node::bench::run(what)),
    }
}
