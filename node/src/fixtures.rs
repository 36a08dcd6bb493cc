//! In-process nodes and fixed inputs for tests and benchmarks: a node's config in a
//! temporary folder, a node started on a free loopback port, a listing and a need.

use caremesh_federation::Meta;
use caremesh_federation::object::{Address, Facility, FacilityKind, Ownership};

use crate::app::StartError;
use crate::config::{Config, PeerConfig};
use crate::marketplace::NewRequest;
use crate::server::{RunningNode, start};

/// A hospital in Pune.
pub fn facility(meta: Meta) -> Facility {
    Facility {
        meta,
        kind: FacilityKind::Hospital,
        name: "Sassoon General Hospital (bench)".into(),
        ownership: Some(Ownership::Government),
        address: Address {
            city: "Pune".into(),
            state: "Maharashtra".into(),
            country: "IN".into(),
            ..Default::default()
        },
        lat_e7: 185_204_000,
        lon_e7: 738_567_000,
        contact: "+91 20 2612 8000".into(),
        specialties: vec!["emergency_medicine".into()],
        services: Vec::new(),
        hours: "24/7".into(),
        blood_stock: Default::default(),
        printers: Vec::new(),
        retracted: false,
    }
}

/// 200 face shields for that hospital.
pub fn request(facility_id: &str) -> NewRequest {
    NewRequest {
        facility_id: Some(facility_id.to_owned()),
        product: Some("face-shield".into()),
        quantity: Some(200),
        needed_by: None,
        note: "bench".into(),
    }
}

/// A config for an in-process node in `dir` with the given peers.
pub fn node_config(dir: &std::path::Path, name: &str, peers: &[String]) -> Config {
    let mut config = Config::embedded_default();
    config.node.name = name.to_owned();
    config.node.data_dir = dir.join("data");
    config.node.key_file = dir.join("node.key");
    config.api.admin_token_file = dir.join("admin.token");
    config.http.listen = "127.0.0.1:0".into();
    config.federation.peers = peers
        .iter()
        .map(|url| PeerConfig {
            url: url.clone(),
            key: None,
        })
        .collect();
    config.federation.rate_limit_per_minute = 10_000_000;
    config.federation.retry_max_secs = 2;
    config
}

/// Starts a node with its own listener on a free loopback port.
pub async fn spawn_node(config: Config) -> Result<RunningNode, StartError> {
    let addr = "127.0.0.1:0";
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: addr.to_owned(),
            source,
        })?;
    start(config, listener, true).await
}
