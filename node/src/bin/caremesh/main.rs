//! The `caremesh` command. A user's mistake (a bad flag, a missing file, a node that is not
//! running) ends with one line on stderr saying what to fix, and exit status 1 (2 for bad
//! flags), never a backtrace.

mod bench;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use caremesh_node::app::App;
use caremesh_node::config::Config;
use caremesh_node::directory::exporter::{ExportFormat, export_to};
use caremesh_node::directory::importer::import_file;
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
        /// The node's config; without it, the node `caremesh run` starts without one
        /// (./caremesh-data, 127.0.0.1:7700).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Speak as this existing member (e.g. `admin`).
        #[arg(long = "as")]
        as_handle: Option<String>,
    },
    /// Import directory data into a stopped node (see `caremesh import facilities --help`).
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export this node's directory data (the node must be stopped).
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Triage tools (see `caremesh triage eval --help`).
    Triage {
        #[command(subcommand)]
        what: TriageWhat,
    },
    /// The node's signing key (see `caremesh key rotate --help`).
    Key {
        #[command(subcommand)]
        what: KeyWhat,
    },
    /// The admin's bearer token (see `caremesh token rotate --help`).
    Token {
        #[command(subcommand)]
        what: TokenWhat,
    },
    /// Print performance figures.
    Bench {
        #[command(subcommand)]
        what: bench::BenchCommand,
    },
}

#[derive(Subcommand)]
enum TriageWhat {
    /// Run the built-in rules over a labelled evaluation set and print, for the development
    /// and the held-out part and per language: emergency sensitivity, specificity, urgency
    /// accuracy, specialty hit rate, and the misses by name.
    Eval {
        /// An evaluation file in the same format (default: the built-in set).
        #[arg(long)]
        file: Option<PathBuf>,
        /// List the misses of one part only: `dev` or `held-out`.
        #[arg(long)]
        misses: Option<caremesh_node::triage::eval::Part>,
        /// Exit with status 1 when a held-out goal is not met.
        #[arg(long)]
        check: bool,
    },
    /// Show how the rules read a text: each word, its concepts, the rules that fire.
    Explain { text: String },
}

#[derive(Subcommand)]
enum KeyWhat {
    /// Retire the node's key and make a new one (the node must be stopped). The new key is
    /// announced in the node's identity document, signed by the old one, so peers take it
    /// up by themselves; old objects still verify; anything the old key signs with a date
    /// after now is refused by peers.
    Rotate {
        #[arg(long)]
        config: PathBuf,
    },
}

#[derive(Subcommand)]
enum TokenWhat {
    /// Write a new admin token to the admin token file (mode 0600). The old token stops
    /// working at once: a running node reads the file before each token check, a stopped
    /// one when it starts.
    Rotate {
        #[arg(long)]
        config: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportWhat {
    /// Facility listings from CSV or OSM GeoJSON; re-importing the same file changes nothing.
    Facilities {
        file: PathBuf,
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ExportWhat {
    /// Every listing as GeoJSON or a FHIR R4 bundle.
    Facilities {
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[arg(long)]
        config: Option<PathBuf>,
        /// Output file (default: stdout).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// The config at `path`, or the default node (./caremesh-data) when none is given.
fn config_or_default(path: Option<PathBuf>) -> anyhow::Result<(Config, bool)> {
    Ok(match path {
        Some(path) => (Config::load(&path)?, false),
        None => (Config::embedded_default(), true),
    })
}

/// `caremesh triage eval`.
fn triage_eval(
    file: Option<PathBuf>,
    misses_of: Option<caremesh_node::triage::eval::Part>,
    check: bool,
) -> anyhow::Result<()> {
    use caremesh_node::triage::{Triage, eval};
    let text = match &file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        None => eval::BUILTIN_EVAL.to_owned(),
    };
    let report = eval::evaluate(&Triage::builtin()?, &eval::parse(&text)?);
    print!(
        "{}",
        eval::Printed {
            report: &report,
            misses_of
        }
    );
    if check && !report.unmet_goals().is_empty() {
        std::process::exit(1);
    }
    Ok(())
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CAREMESH_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        // Colours only on a terminal: log files and journald get plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    // Clap prints its own short message and usage for bad flags, and exits with status 2.
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("caremesh: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes on one line, without a backtrace.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for (i, cause) in e.chain().enumerate() {
        let text = cause.to_string();
        // Some messages quote their cause already; say it once.
        if i > 0 && line.contains(&text) {
            continue;
        }
        if i > 0 {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs one command.
fn run(cli: Cli) -> anyhow::Result<()> {
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
            let (config, _) = config_or_default(config)?;
            runtime.block_on(caremesh_node::chat::terminal::run_client(
                &config, as_handle,
            ))
        }
        Command::Triage {
            what:
                TriageWhat::Eval {
                    file,
                    misses,
                    check,
                },
        } => triage_eval(file, misses, check),
        Command::Triage {
            what: TriageWhat::Explain { text },
        } => {
            print!(
                "{}",
                caremesh_node::triage::Triage::builtin()?.explain(&text)
            );
            Ok(())
        }
        Command::Import {
            what: ImportWhat::Facilities { file, config },
        } => {
            let (config, first_run) = config_or_default(config)?;
            let app = App::open_offline(config, first_run)?;
            let report = import_file(&app.services.listings, &file, true)?;
            app.close()?;
            eprint!("{report}");
            Ok(())
        }
        Command::Export {
            what:
                ExportWhat::Facilities {
                    format,
                    config,
                    out,
                },
        } => {
            let (config, first_run) = config_or_default(config)?;
            let app = App::open_offline(config, first_run)?;
            // Progress only when the document goes to a file: stdout is the data.
            let count = export_to(
                &app.services.listings,
                format,
                out.as_deref(),
                out.is_some(),
            )?;
            eprintln!("exported {count} entries");
            Ok(())
        }
        Command::Key {
            what: KeyWhat::Rotate { config },
        } => {
            let config = Config::load(&config)?;
            let now = chrono::Utc::now();
            let rotated = caremesh_node::app::rotate_key(&config, now.timestamp_millis())?;
            println!(
                "key {} retired at {}; {} signs from now on ({}).\n\
                 Start the node: peers learn the new key from its identity document, \
                 where the old key vouches for it.",
                rotated.retired,
                now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                rotated.current,
                rotated.path.display()
            );
            Ok(())
        }
        Command::Token {
            what: TokenWhat::Rotate { config },
        } => {
            let config = Config::load(&config)?;
            let path = caremesh_node::app::rotate_admin_token(&config)?;
            println!(
                "new admin token written to {}; the old one gets 401 from now on \
                 (a running node reads the file before each token check).",
                path.display()
            );
            Ok(())
        }
        Command::Bench { what } => runtime.block_on(bench::run(what)),
    }
}
