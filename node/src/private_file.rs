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

/// Replaces `path` with a new owner-only file holding `text`, atomically: written beside it
/// (`<name>.new`), synced, then renamed over it, so a reader sees the old text or the new,
/// never a part.
pub fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    let fresh = path.with_extension("new");
    match std::fs::remove_file(&fresh) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    write(&fresh, text)?;
    std::fs::File::open(&fresh)?.sync_all()?;
    std::fs::rename(&fresh, path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Closes the node's data folder to everyone but its owner, whatever the umask it was made
/// under: `data_dir` becomes 0700 (nothing below it can then be reached by others), and the
/// store's files below `data_dir/db` 0600 (folders there 0700). Called at every start after
/// the store opened. Only `data_dir` itself is changed, not the folders above it, and symbolic
/// links are not followed. A no-op off Unix.
pub fn restrict_data_dir(data_dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        set_mode(data_dir, 0o700)?;
        restrict_tree(&data_dir.join("db"))?;
    }
    Ok(())
}

#[cfg(unix)]
fn restrict_tree(path: &Path) -> std::io::Result<()> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if meta.is_dir() {
        set_mode(path, 0o700)?;
        for entry in std::fs::read_dir(path)? {
            restrict_tree(&entry?.path())?;
        }
    } else if meta.is_file() {
        set_mode(path, 0o600)?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let now = std::fs::symlink_metadata(path)?.permissions().mode() & 0o777;
    if now == mode {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_data_dir_and_store_files_become_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let db = data.join("db");
        std::fs::create_dir_all(db.join("blobs")).unwrap();
        let loose = |p: &Path, m: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
        };
        std::fs::write(db.join("conf"), "x").unwrap();
        std::fs::write(db.join("blobs").join("1"), "x").unwrap();
        std::fs::write(data.join("notes.txt"), "x").unwrap();
        loose(&data, 0o755);
        loose(&db, 0o755);
        loose(&db.join("conf"), 0o644);
        loose(&db.join("blobs").join("1"), 0o666);

        restrict_data_dir(&data).unwrap();

        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&db), 0o700);
        assert_eq!(mode(&db.join("blobs")), 0o700);
        assert_eq!(mode(&db.join("conf")), 0o600);
        assert_eq!(mode(&db.join("blobs").join("1")), 0o600);
        // Outside the store only the folder is closed; the parent is not touched.
        assert_eq!(mode(&data.join("notes.txt")) & 0o600, 0o600);
        assert_ne!(
            mode(dir.path()),
            0o700,
            "the folder above data_dir is left alone"
        );
    }
}
