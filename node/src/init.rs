//! `caremesh init`: a new node folder with its config, key and admin token.

use std::path::{Path, PathBuf};

use crate::private_file;

/// Why a node folder could not be made.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{path} already exists: refusing to overwrite an existing node. Choose another --dir.")]
    Exists { path: PathBuf },
    #[error("--{flag} {problem}")]
    Argument { flag: &'static str, problem: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What `init` needs.
#[derive(Clone, Debug)]
pub struct InitOptions {
    pub dir: PathBuf,
    pub name: String,
    pub listen: String,
    pub public_url: Option<String>,
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// Writes `config.toml`, `node.key` and `admin.token` into a new node folder.
pub fn init(options: &InitOptions) -> Result<PathBuf, InitError> {
    if options.listen.parse::<std::net::SocketAddr>().is_err() {
        return Err(InitError::Argument {
            flag: "listen",
            problem: format!("`{}` is not host:port", options.listen),
        });
    }
    let public_url = options
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", options.listen));
    let public_url =
        caremesh_federation::origin::normalize(&public_url).map_err(|e| InitError::Argument {
            flag: "public-url",
            problem: e.to_string(),
        })?;
    let config_path = options.dir.join("config.toml");
    for name in ["config.toml", "node.key", "admin.token"] {
        let path = options.dir.join(name);
        if path.exists() {
            return Err(InitError::Exists { path });
        }
    }
    let write_err = |path: &Path| {
        let path = path.to_owned();
        move |source| InitError::Write { path, source }
    };
    std::fs::create_dir_all(&options.dir).map_err(write_err(&options.dir))?;
    let key = caremesh_federation::NodeKey::generate();
    private_file::write(&options.dir.join("node.key"), &key.to_file_text())
        .map_err(write_err(&options.dir.join("node.key")))?;
    let token = crate::members::new_token();
    private_file::write(&options.dir.join("admin.token"), &format!("{token}\n"))
        .map_err(write_err(&options.dir.join("admin.token")))?;
    let text = format!(
        "# caremesh node config; every key is explained in config.example.toml.\n\n\
         [node]\nname = {}\ndata_dir = \"data\"\npublic_url = {}\nkey_file = \"node.key\"\n\n\
         [http]\nlisten = {}\n\n[api]\nadmin_token_file = \"admin.token\"\n\n\
         [federation]\npolicy = \"allowlist\"\n\n\
         # Add a table per peer:\n# [[federation.peers]]\n# url = \"https://peer.example\"\n",
        toml_string(&options.name),
        toml_string(&public_url),
        toml_string(&options.listen),
    );
    std::fs::write(&config_path, text).map_err(write_err(&config_path))?;
    Ok(config_path)
}
