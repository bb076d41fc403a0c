//! The department's private key file beside the database (`<database>.id_ed25519`): an
//! OpenSSH Ed25519 key, readable only by its owner, encrypted with the database's passphrase
//! when the database is encrypted, and re-encrypted when the passphrase changes. It is never
//! in the database, a bundle, an error message or a log.

use super::Store;
use super::passphrase::Passphrase;
use crate::error::{Error, Result};
use riskverkstad_bundle::SecretKey;
use std::path::Path;

fn key_file_error(message: String) -> Error {
    Error::Exchange { code: "key_file", message }
}

/// Writes the private key so that only its owner can read it, never over an existing file.
fn write_private_key(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let fail = |e: std::io::Error| key_file_error(format!("Nyckelfilen {} kunde inte skrivas: {e}", path.display()));
    let mut f = options.open(path).map_err(fail)?;
    f.write_all(text.as_bytes()).map_err(fail)?;
    f.sync_all().map_err(fail)
}

/// The private key file rewritten for a new passphrase, written beside the key before the
/// database is swapped and moved over it after.
fn staged_key_path(key: &Path) -> std::path::PathBuf {
    crate::files::sibling(key, super::layout::STAGED)
}

impl Store {
    /// The private key file and the key in it, opened with the database's passphrase.
    pub(crate) fn read_private_key(&self) -> Result<(&Path, SecretKey)> {
        let path = self.key_path().ok_or_else(|| key_file_error("ingen nyckelfil".into()))?;
        let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            key_file_error(format!("Avdelningens privata nyckel {} kunde inte läsas: {e}", path.display()))
        })?);
        let key = SecretKey::from_openssh_with(&text, self.passphrase().map(|p| p.expose()))?;
        Ok((path, key))
    }

    /// Writes a new private key file at `path` (never over an existing one), encrypted with the
    /// database's passphrase when the database is encrypted.
    pub(crate) fn write_private_key(&self, path: &Path, key: &SecretKey) -> Result<()> {
        write_private_key(path, &key.to_openssh_with(self.passphrase().map(|p| p.expose()))?)
    }

    /// Writes the private key file encrypted with `new` beside the current one, if there is a
    /// key file; returns where. Nothing replaces the current file yet.
    pub(crate) fn stage_private_key(&self, new: Option<&Passphrase>) -> Result<Option<std::path::PathBuf>> {
        let Some(path) = self.key_path().filter(|p| p.is_file()) else { return Ok(None) };
        let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            key_file_error(format!("Avdelningens privata nyckel {} kunde inte läsas: {e}", path.display()))
        })?);
        let key = SecretKey::from_openssh_with(&text, self.passphrase().map(|p| p.expose()))?;
        let staged = staged_key_path(path);
        let _ = std::fs::remove_file(&staged);
        write_private_key(&staged, &key.to_openssh_with(new.map(|p| p.expose()))?)?;
        Ok(Some(staged))
    }

    /// Finishes a passphrase change that stopped between the database and its key file: a
    /// staged key file that opens with this database's passphrase replaces the key file;
    /// one that does not is removed.
    pub(crate) fn settle_private_key(&self) {
        let Some(path) = self.key_path() else { return };
        let staged = staged_key_path(path);
        let Ok(text) = std::fs::read_to_string(&staged).map(zeroize::Zeroizing::new) else { return };
        let opens = match SecretKey::from_openssh_with(&text, self.passphrase().map(|p| p.expose())) {
            // A key written for a passphrase opens only with it; a plain one fits a plain
            // database only.
            Ok(_) => self.passphrase().is_some() == SecretKey::file_is_encrypted(&text),
            Err(_) => false,
        };
        if opens {
            let _ = std::fs::rename(&staged, path);
        } else {
            let _ = std::fs::remove_file(&staged);
        }
    }
}
