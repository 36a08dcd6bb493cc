//! Files only their owner may read: the node key, the admin token, the health vault key.

use std::io::Write;
use std::path::Path;

/// Writes a new file readable only by its owner (mode 0600 on Unix); refuses to overwrite.
pub fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}
