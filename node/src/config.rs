//! The node's configuration file (`config.toml`), its defaults and its checks.
//!
//! Every key is documented in `config.example.toml`. Relative paths resolve against the
//! folder of the config file. Unknown keys are refused, so a typo does not pass silently.

use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use serde::Deserialize;

mod sections;

pub use sections::*;
use sections::{default_api, default_federation, default_http, default_node};

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

/// The longest duration in minutes a config may give (offer holds, reminder leads).
const MINUTES_PER_YEAR: u64 = 365 * 24 * 60;

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
        self.validate_ranges()?;
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

    /// Numbers the node turns into bytes or durations: in a range where that cannot
    /// overflow (a huge `offer_hold_minutes` could overflow an offer's expiry time, a huge
    /// `cache_mb` wrapped to a tiny cache). The `config` fuzz target checks this property.
    fn validate_ranges(&self) -> Result<(), ConfigError> {
        let within = |key: &'static str, value: u64, range: RangeInclusive<u64>, fix| {
            if range.contains(&value) {
                Ok(())
            } else {
                Err(ConfigError::Invalid {
                    key,
                    problem: format!("{value} is outside {}..={}", range.start(), range.end()),
                    fix,
                })
            }
        };
        within(
            "node.cache_mb",
            self.node.cache_mb,
            1..=1_048_576,
            "Use MiB from 1 to 1048576 (1 TiB); 64 suits most nodes.",
        )?;
        within(
            "appointments.offer_hold_minutes",
            self.appointments.offer_hold_minutes,
            1..=MINUTES_PER_YEAR,
            "Use minutes from 1 to 525600 (a year); the default is 15.",
        )?;
        within(
            "api.diagnose_ttl_secs",
            self.api.diagnose_ttl_secs,
            1..=MINUTES_PER_YEAR * 60,
            "Use seconds from 1 to 31536000 (a year); the default is 86400 (a day).",
        )?;
        within(
            "api.diagnose_per_client",
            self.api.diagnose_per_client,
            1..=self.api.diagnose_max.max(1),
            "Use 1 to api.diagnose_max; the default is 1000.",
        )?;
        within(
            "api.diagnose_max",
            self.api.diagnose_max,
            1..=100_000_000,
            "Use 1 to 100000000; the default is 100000.",
        )?;
        for lead in &self.appointments.reminder_leads_minutes {
            within(
                "appointments.reminder_leads_minutes",
                *lead,
                0..=MINUTES_PER_YEAR,
                "Use minutes before the appointment, from 0 to 525600 (a year).",
            )?;
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
    fn numbers_that_would_overflow_are_refused() {
        for (text, key) in [
            ("[node]\ncache_mb = 17592186044416\n", "node.cache_mb"),
            ("[node]\ncache_mb = 0\n", "node.cache_mb"),
            (
                "[appointments]\noffer_hold_minutes = 153722867280912931\n",
                "appointments.offer_hold_minutes",
            ),
            (
                "[appointments]\nreminder_leads_minutes = [120, 9223372036854775807]\n",
                "appointments.reminder_leads_minutes",
            ),
        ] {
            let e = Config::parse_str(text, Path::new(".")).unwrap_err();
            assert!(e.to_string().contains(key), "{text}: {e}");
        }
        let ok = "[node]\ncache_mb = 1\n[appointments]\noffer_hold_minutes = 525600\n";
        Config::parse_str(ok, Path::new(".")).unwrap();
    }

    #[test]
    fn example_config_parses() {
        let text = include_str!("../../config.example.toml");
        Config::parse_str(text, Path::new(".")).unwrap();
    }
}
