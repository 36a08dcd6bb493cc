//! The tables of `config.toml` (`[node]`, `[http]`, `[api]`, `[federation]`, `[telegram]`,
//! `[matrix]`, `[directory]`, `[health]`, `[appointments]`, `[marketplace]`) and their
//! defaults.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

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
    /// How long `POST /diagnose` keeps a query, in seconds.
    #[serde(default = "default_diagnose_ttl")]
    pub diagnose_ttl_secs: u64,
    /// Live `/diagnose` queries one client (IP address) may hold.
    #[serde(default = "default_diagnose_per_client")]
    pub diagnose_per_client: u64,
    /// Live `/diagnose` queries the node holds in all.
    #[serde(default = "default_diagnose_max")]
    pub diagnose_max: u64,
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
fn default_diagnose_ttl() -> u64 {
    86_400
}
fn default_diagnose_per_client() -> u64 {
    1_000
}
fn default_diagnose_max() -> u64 {
    100_000
}
fn default_rate() -> u32 {
    30_000
}
fn default_retry_max() -> u64 {
    60
}
pub(super) fn default_node() -> NodeSection {
    NodeSection {
        name: default_name(),
        data_dir: default_data_dir(),
        public_url: None,
        key_file: default_key_file(),
        cache_mb: default_cache_mb(),
    }
}
pub(super) fn default_http() -> HttpSection {
    HttpSection {
        listen: default_listen(),
    }
}
pub(super) fn default_api() -> ApiSection {
    ApiSection {
        admin_token_file: default_admin_token_file(),
        diagnose_ttl_secs: default_diagnose_ttl(),
        diagnose_per_client: default_diagnose_per_client(),
        diagnose_max: default_diagnose_max(),
    }
}
pub(super) fn default_federation() -> FederationSection {
    FederationSection {
        policy: Policy::default(),
        peers: Vec::new(),
        blocklist: Vec::new(),
        rate_limit_per_minute: default_rate(),
        retry_max_secs: default_retry_max(),
    }
}
