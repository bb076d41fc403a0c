//! Files written so that a crash leaves either the old file or the whole new one: written
//! beside the target under a temporary name, synced, made owner-only, then renamed, and the
//! folder synced. Everything the product writes to disk goes through here: backups, re-keyed
//! databases, key files, and what the shells save for the user (PDFs, bundles, spreadsheets).

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: a reader sees the old file or the whole new one,
/// never half of it, and after a crash the new file is either complete or absent. The file is
/// readable by its owner only (its content is often secret under OSL 18 kap. 8 §).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = sibling(path, ".tmp");
    let written = std::fs::write(&tmp, bytes).and_then(|_| commit(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(|e| Error::Write { path: path.to_path_buf(), detail: e.to_string() })
}

/// Makes `tmp` durable and readable by its owner only, and moves it to `dest` in one step;
/// then makes the rename durable.
pub(crate) fn commit(tmp: &Path, dest: &Path) -> std::io::Result<()> {
    owner_only(tmp);
    sync(tmp)?;
    std::fs::rename(tmp, dest)?;
    sync_folder(dest);
    Ok(())
}

/// Makes `path` (a folder, a database file) readable by its owner only, on systems with Unix
/// permissions. SQLite gives the WAL the database file's permissions.
pub(crate) fn owner_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if path.is_dir() { 0o700 } else { 0o600 };
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// `path` with `suffix` appended to its file name.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Makes `path` durable (through a handle that may write: Windows flushes only those).
pub(crate) fn sync(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new().write(true).open(path).and_then(|f| f.sync_all())
}

/// Makes the folder holding `path` durable, so that a rename or removal in it is (not
/// possible on Windows, where renames are durable by themselves).
pub(crate) fn sync_folder(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    #[cfg(unix)]
    let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    #[cfg(not(unix))]
    let _ = dir;
}

/// Reads the file at `path` when it is at most `max` bytes; a larger one is refused before it
/// is read (`too_large` builds the refusal from its size).
pub fn read_limited(path: &Path, max: u64, too_large: impl FnOnce(u64) -> Error) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path).map_err(|e| read_error(path, e))?.len();
    if size > max {
        return Err(too_large(size));
    }
    std::fs::read(path).map_err(|e| read_error(path, e))
}

fn read_error(path: &Path, e: std::io::Error) -> Error {
    Error::Read { path: path.to_path_buf(), detail: e.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_replaces_the_whole_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("beslut.pdf");
        std::fs::write(&path, b"gammalt innehall som ar langre").unwrap();
        write_atomic(&path, b"nytt").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"nytt");
        assert!(!sibling(&path, ".tmp").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn an_atomic_write_into_a_missing_folder_fails_with_the_path_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("finns-inte").join("paket.rvb");
        let e = write_atomic(&path, b"x").unwrap_err();
        assert_eq!(e.code(), "write");
        assert!(e.to_string().contains("paket.rvb"), "{e}");
        assert!(!dir.path().join("finns-inte").exists());
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stor.rvb");
        std::fs::write(&path, vec![0u8; 100]).unwrap();
        let e = read_limited(&path, 99, |size| Error::invalid("paket", format!("{size} byte"))).unwrap_err();
        assert!(e.to_string().contains("100 byte"), "{e}");
        assert_eq!(read_limited(&path, 100, |_| unreachable!()).unwrap().len(), 100);
        let missing = read_limited(&dir.path().join("saknas"), 100, |_| unreachable!()).unwrap_err();
        assert_eq!(missing.code(), "read");
    }
}
