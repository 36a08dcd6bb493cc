//! The node's configuration file (`config.toml`), its defaults and its checks.
//!
//! Every key is documented in `config.example.toml`. Relative paths resolve against the
//! folder of the config file. Unknown keys are refused, so a typo does not pass silently.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A config file that cannot be used, with the key at fault and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}. Check the path given to --config.")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("config key `{key}` {problem}. {fix}")]
    Invalid {
        key: &'static str,
        problem: String,
        fix: &'static str,
    },
}

/// Whether unknown peers may push to this node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Only peers listed in config or added through the API.
    #[default]
    Allowlist,
    /// Any node with a valid identity, except those on the blocklist.
    Open,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSection {
    #[serde(default = "default_name")]
    pub name: String,
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// The URL peers reach this node at; also the `origin` of everything it signs.
    #[serde(default)]
    pub public_url: Option<String>,
    #[serde(default = "default_key_file")]
    pub key_file: PathBuf,
    /// sled page cache, in MiB.
    #[serde(default = "default_cache_mb")]
    pub cache_mb: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSection {
    #[serde(default = "default_listen")]
    pub listen: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiSection {
    #[serde(default = "default_admin_token_file")]
    pub admin_token_file: PathBuf,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerConfig {
    pub url: String,
    /// Optional pin: `ed25519:<base64>` of the peer's current key.
    #[serde(default)]
    pub key: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FederationSection {
    #[serde(default)]
    pub policy: Policy,
    #[serde(default)]
    pub peers: Vec<PeerConfig>,
    #[serde(default)]
    pub blocklist: Vec<String>,
    /// Envelopes per minute one sending peer may push before getting 429.
    #[serde(default = "default_rate")]
    pub rate_limit_per_minute: u32,
    /// Longest pause between delivery retries to a peer that is down, in seconds.
    #[serde(default = "default_retry_max")]
    pub retry_max_secs: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramSection {
    #[serde(default)]
    pub token_file: Option<PathBuf>,
    #[serde(default)]
    pub api_url: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixSection {
    pub homeserver: String,
    pub user: String,
    #[serde(default)]
    pub password_file: Option<PathBuf>,
}

/// The care directory.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectorySection {
    /// Extra places for typed `/nearby` locations (CSV like `node/data/places.csv`).
    #[serde(default)]
    pub places_file: Option<PathBuf>,
}

/// An operator's pin of a health ID prefix to the node that issues it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefixPin {
    pub prefix: u32,
    pub origin: String,
}

/// Health IDs and records (docs/health.md).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthSection {
    /// The records key (32 bytes as hex, mode 0600); default `records.key` beside the node key.
    #[serde(default)]
    pub records_key_file: Option<PathBuf>,
    /// The prefix of health IDs issued here (10000 to 99999); default: a free random one,
    /// chosen at the first start and kept.
    #[serde(default)]
    pub hid_prefix: Option<u32>,
    /// Prefixes pinned to an origin, overriding what announcements said.
    #[serde(default)]
    pub prefix_pins: Vec<PrefixPin>,
}

/// Appointments and medicine orders (docs/api.md "Appointments").
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppointmentsSection {
    /// How long a place offered to the first on a waiting list is held, in minutes.
    #[serde(default = "default_offer_hold")]
    pub offer_hold_minutes: u64,
    /// How long before an appointment reminders go out, in minutes.
    #[serde(default = "default_reminder_leads")]
    pub reminder_leads_minutes: Vec<u64>,
}

fn default_offer_hold() -> u64 {
    15
}
fn default_reminder_leads() -> Vec<u64> {
    vec![24 * 60, 120]
}

impl Default for AppointmentsSection {
    fn default() -> Self {
        Self {
            offer_hold_minutes: default_offer_hold(),
            reminder_leads_minutes: default_reminder_leads(),
        }
    }
}

/// The supply marketplace's policy for this node's own members (docs/operator.md,
/// "Members and quotas"). The admin is bound by none of the quotas.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketplaceSection {
    /// Chat users who register as makers wait for an admin's approval, like requesters.
    #[serde(default)]
    pub approve_makers: bool,
    /// Proposals one maker may have waiting for a decision (pending or deferred) at once.
    #[serde(default = "default_open_proposals")]
    pub max_open_proposals: u32,
    /// Units one proposal may offer.
    #[serde(default = "default_units_per_proposal")]
    pub max_units_per_proposal: u32,
    /// Needs one member may post in 24 hours.
    #[serde(default = "default_requests_per_day")]
    pub max_requests_per_day: u32,
}

fn default_open_proposals() -> u32 {
    20
}
fn default_units_per_proposal() -> u32 {
    10_000
}
fn default_requests_per_day() -> u32 {
    20
}

impl Default for MarketplaceSection {
    fn default() -> Self {
        Self {
            approve_makers: false,
            max_open_proposals: default_open_proposals(),
            max_units_per_proposal: default_units_per_proposal(),
            max_requests_per_day: default_requests_per_day(),
        }
    }
}

/// The whole file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default = "default_node")]
    pub node: NodeSection,
    #[serde(default = "default_http")]
    pub http: HttpSection,
    #[serde(default = "default_api")]
    pub api: ApiSection,
    #[serde(default = "default_federation")]
    pub federation: FederationSection,
    #[serde(default)]
    pub directory: DirectorySection,
    #[serde(default)]
    pub health: HealthSection,
    #[serde(default)]
    pub appointments: AppointmentsSection,
    #[serde(default)]
    pub marketplace: MarketplaceSection,
    #[serde(default)]
    pub telegram: Option<TelegramSection>,
    #[serde(default)]
    pub matrix: Option<MatrixSection>,
    /// Folder of the config file; relative paths resolve against it.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

fn default_name() -> String {
    "caremesh node".into()
}
fn default_data_dir() -> PathBuf {
    "caremesh-data".into()
}
fn default_key_file() -> PathBuf {
    "node.key".into()
}
fn default_cache_mb() -> u64 {
    64
}
fn default_listen() -> String {
    "127.0.0.1:7700".into()
}
fn default_admin_token_file() -> PathBuf {
    "admin.token".into()
}
fn default_rate() -> u32 {
    30_000
}
fn default_retry_max() -> u64 {
    60
}
fn default_node() -> NodeSection {
    NodeSection {
        name: default_name(),
        data_dir: default_data_dir(),
        public_url: None,
        key_file: default_key_file(),
        cache_mb: default_cache_mb(),
    }
}
fn default_http() -> HttpSection {
    HttpSection {
        listen: default_listen(),
    }
}
fn default_api() -> ApiSection {
    ApiSection {
        admin_token_file: default_admin_token_file(),
    }
}
fn default_federation() -> FederationSection {
    FederationSection {
        policy: Policy::default(),
        peers: Vec::new(),
        blocklist: Vec::new(),
        rate_limit_per_minute: default_rate(),
        retry_max_secs: default_retry_max(),
    }
}

impl Config {
    /// The embedded default: data in `./caremesh-data`, listening on 127.0.0.1:7700. The
    /// key and admin token files then live inside the data folder.
    pub fn embedded_default() -> Self {
        let mut config = defaults();
        config.node.key_file = config.node.data_dir.join("node.key");
        config.api.admin_token_file = config.node.data_dir.join("admin.token");
        config
    }

    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let base = path.parent().map(Path::to_owned).unwrap_or_default();
        Self::parse_str(&text, &base).map_err(|e| match e {
            ConfigError::Parse { message, .. } => ConfigError::Parse {
                path: path.to_owned(),
                message,
            },
            other => other,
        })
    }

    /// Parses config text whose relative paths resolve against `base`.
    pub fn parse_str(text: &str, base: &Path) -> Result<Self, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: PathBuf::new(),
            message: e.to_string(),
        })?;
        config.base_dir = base.to_owned();
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.listen_addr()?;
        if let Some(url) = &self.node.public_url {
            check_url("node.public_url", url)?;
        }
        for peer in &self.federation.peers {
            check_url("federation.peers.url", &peer.url)?;
        }
        for blocked in &self.federation.blocklist {
            check_url("federation.blocklist", blocked)?;
        }
        self.validate_health()?;
        if self.node.name.trim().is_empty() {
            return Err(ConfigError::Invalid {
                key: "node.name",
                problem: "is empty".into(),
                fix: "Give the node a name people recognise, e.g. \"District Hospital Pune\".",
            });
        }
        Ok(())
    }

    fn validate_health(&self) -> Result<(), ConfigError> {
        let prefix = |key: &'static str, p: u32| {
            if (10_000..=99_999).contains(&p) {
                Ok(())
            } else {
                Err(ConfigError::Invalid {
                    key,
                    problem: format!("{p} is not a five-digit prefix"),
                    fix: "Use a number from 10000 to 99999.",
                })
            }
        };
        if let Some(p) = self.health.hid_prefix {
            prefix("health.hid_prefix", p)?;
        }
        for pin in &self.health.prefix_pins {
            prefix("health.prefix_pins.prefix", pin.prefix)?;
            check_url("health.prefix_pins.origin", &pin.origin)?;
        }
        Ok(())
    }

    /// `http.listen` as an address.
    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.http.listen.parse().map_err(|_| ConfigError::Invalid {
            key: "http.listen",
            problem: format!("`{}` is not an address", self.http.listen),
            fix: "Use host:port, e.g. \"127.0.0.1:7700\" or \"0.0.0.0:7700\".",
        })
    }

    /// The public URL, defaulting to `http://<listen>`, as an origin in normal form
    /// (lowercase, no default port, no trailing `/`; `validate` refused anything else).
    pub fn public_url(&self) -> String {
        let url = self
            .node
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.http.listen));
        caremesh_federation::origin::normalize(&url)
            .unwrap_or_else(|_| url.trim_end_matches('/').to_owned())
    }

    /// A path from the config, resolved against the config file's folder.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_owned()
        } else {
            self.base_dir.join(path)
        }
    }

    /// The data folder.
    pub fn data_dir(&self) -> PathBuf {
        self.resolve(&self.node.data_dir)
    }
}

fn defaults() -> Config {
    Config {
        node: default_node(),
        http: default_http(),
        api: default_api(),
        federation: default_federation(),
        directory: DirectorySection::default(),
        health: HealthSection::default(),
        appointments: AppointmentsSection::default(),
        marketplace: MarketplaceSection::default(),
        telegram: None,
        matrix: None,
        base_dir: PathBuf::from("."),
    }
}

/// A node's URL is its origin: scheme, host and port, nothing else.
fn check_url(key: &'static str, url: &str) -> Result<(), ConfigError> {
    caremesh_federation::origin::normalize(url)
        .map(|_| ())
        .map_err(|e| ConfigError::Invalid {
            key,
            problem: e.problem.to_owned(),
            fix: "Write scheme://host[:port] with no path, e.g. \"https://node.example.org\".",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_key() {
        let e = Config::parse_str("[http]\nlisten = \"nowhere\"\n", Path::new(".")).unwrap_err();
        assert!(e.to_string().contains("http.listen"), "{e}");
        let e = Config::parse_str("[node]\npubic_url = \"x\"\n", Path::new(".")).unwrap_err();
        assert!(e.to_string().contains("pubic_url"), "{e}");
        let e = Config::parse_str("[federation]\npolicy = \"sometimes\"\n", Path::new("."))
            .unwrap_err();
        assert!(e.to_string().contains("policy"), "{e}");
    }

    #[test]
    fn relative_paths_follow_the_config_file() {
        let c =
            Config::parse_str("[node]\ndata_dir = \"data\"\n", Path::new("/etc/caremesh")).unwrap();
        assert_eq!(c.data_dir(), PathBuf::from("/etc/caremesh/data"));
        assert_eq!(c.public_url(), "http://127.0.0.1:7700");
    }

    #[test]
    fn example_config_parses() {
        let text = include_str!("../../config.example.toml");
        Config::parse_str(text, Path::new(".")).unwrap();
    }
}
