//! The department identity (name, key pair) and the trust list of other departments' keys.

use super::exchange_error;
use crate::error::{Error, Result};
use crate::ids::Timestamp;
use crate::store::{Read, Store};
use riskverkstad_bundle::{Fingerprint, Opened, PublicKey, SecretKey};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::path::Path;

/// This installation's department identity.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    /// The department's name.
    pub name: String,
    /// The public key, OpenSSH one-line form (what others add to their trust list).
    pub public_key: String,
    /// Its fingerprint.
    pub fingerprint: Fingerprint,
    /// When it was made.
    pub created_at: String,
    /// The last bundle number used.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub last_sequence: u64,
    /// Where the private key file is.
    pub key_file: Option<String>,
}

/// A trusted (or revoked) key.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct TrustedKey {
    /// The department's name, as the receiver calls it.
    pub name: String,
    /// Its fingerprint.
    pub fingerprint: Fingerprint,
    /// The public key.
    pub public_key: String,
    /// When it was added, and by whom.
    pub added_at: String,
    /// Who added it.
    pub added_by: String,
    /// When it was revoked, if it is.
    pub revoked_at: Option<String>,
}

/// What the receiver thinks of a bundle's signer.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustState {
    /// In the trust list.
    Trusted,
    /// In the trust list, revoked.
    Revoked,
    /// Not in the trust list.
    Unknown,
    /// This installation's own key.
    Own,
}

/// A bundle's signer, as shown before anything is decided.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct SignerInfo {
    /// The sender's name as the bundle gives it.
    pub name: String,
    /// The key, OpenSSH form.
    pub public_key: String,
    /// Its fingerprint.
    pub fingerprint: Fingerprint,
    /// Trusted, revoked, unknown or own.
    pub trust: TrustState,
    /// The name in the trust list, if any.
    pub trusted_as: Option<String>,
}

fn check_name(name: &str) -> Result<String> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 120 || n.chars().any(char::is_control) {
        return Err(Error::invalid("namn", "ange ett namn på högst 120 tecken"));
    }
    Ok(n.to_string())
}

/// The department identity, if made.
pub fn identity(store: &Store) -> Result<Option<Identity>> {
    let row: Option<(String, String, String, i64)> = store
        .conn()
        .query_row("SELECT name, public_key, created_at, last_sequence FROM identity", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    row.map(|(name, public_key, created_at, last_sequence)| {
        let key = PublicKey::from_openssh(&public_key)?;
        Ok(Identity {
            name,
            fingerprint: key.fingerprint(),
            public_key,
            created_at,
            last_sequence: last_sequence as u64,
            key_file: store.key_path().map(|p| p.display().to_string()),
        })
    })
    .transpose()
}

/// Makes the department identity: a new Ed25519 key pair, the private key in its own file
/// ([`Store::key_path`], mode 0600), the name and public key in the database. The
/// installation takes the department's name.
pub fn init_identity(store: &mut Store, department: &str) -> Result<Identity> {
    let name = check_name(department)?;
    if let Some(existing) = identity(store)? {
        return Err(exchange_error(
            "identity_exists",
            format!(
                "Installationen har redan avdelningsidentiteten \"{}\" (fingeravtryck {}). En ny nyckel skulle göra den gamla oanvändbar för mottagarna.",
                existing.name, existing.fingerprint.readable
            ),
        ));
    }
    let path = store.key_path().map(Path::to_path_buf).ok_or_else(|| {
        exchange_error("key_file", "Databasen finns bara i minnet och har ingen plats för en nyckelfil.")
    })?;
    if path.exists() {
        return Err(exchange_error(
            "key_file",
            format!(
                "Det finns redan en nyckelfil {}; flytta den först om den inte hör till den här databasen.",
                path.display()
            ),
        ));
    }
    let key = SecretKey::generate(&name)?;
    let public = key.public();
    // Encrypted with the database's passphrase when the database is.
    store.write_private_key(&path, &key)?;
    let stored = store.connection().execute(
        "INSERT INTO identity (singleton, name, public_key, fingerprint, created_at) VALUES (1, ?1, ?2, ?3, ?4)",
        params![name, public.to_openssh(), public.fingerprint().openssh, Timestamp::now().to_string()],
    );
    if let Err(e) = stored {
        let _ = std::fs::remove_file(&path);
        return Err(e.into());
    }
    store.set_installation_name(&name)?;
    identity(store)?.ok_or_else(|| exchange_error("no_identity", "identiteten sparades inte"))
}

/// The private key, read from its file and checked against the identity.
pub(crate) fn secret_key(store: &Store, identity: &Identity) -> Result<SecretKey> {
    let (path, key) = store.read_private_key()?;
    if key.public() != PublicKey::from_openssh(&identity.public_key)? {
        return Err(exchange_error(
            "key_file",
            format!("Nyckelfilen {} hör inte till den här databasens avdelningsidentitet.", path.display()),
        ));
    }
    Ok(key)
}

/// The key that opens `bytes` if they are age-encrypted (to this installation, if to anyone
/// it can open); `None` for a plain bundle.
pub(crate) fn decryption_key(store: &Store, bytes: &[u8]) -> Result<Option<SecretKey>> {
    match identity(store)? {
        Some(id) if riskverkstad_bundle::is_encrypted(bytes) => Ok(Some(secret_key(store, &id)?)),
        _ => Ok(None),
    }
}

/// Adds a key to the trust list under `name`. Show [`PublicKey::fingerprint`] and get a
/// confirmation before calling this.
pub fn trust_add(store: &mut Store, key: &PublicKey, name: &str) -> Result<TrustedKey> {
    let name = check_name(name)?;
    let fp = key.fingerprint();
    if let Some(own) = identity(store)?
        && own.fingerprint == fp
    {
        return Err(exchange_error("own_key", "Det är den här installationens egen nyckel."));
    }
    if let Some(t) = trust_list(store)?.into_iter().find(|t| t.fingerprint == fp || t.name == name) {
        return Err(exchange_error(
            "trust_exists",
            if t.fingerprint == fp {
                format!(
                    "Nyckeln finns redan i listan som \"{}\"{}.",
                    t.name,
                    if t.revoked_at.is_some() { " (återkallad)" } else { "" }
                )
            } else {
                format!("Namnet \"{name}\" används redan för en annan nyckel ({}).", t.fingerprint.readable)
            },
        ));
    }
    let actor = store.actor().to_string();
    store.connection().execute(
        "INSERT INTO trusted_key (fingerprint, name, public_key, added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![fp.openssh, name, key.to_openssh(), Timestamp::now().to_string(), actor],
    )?;
    trust_list(store)?
        .into_iter()
        .find(|t| t.fingerprint == fp)
        .ok_or_else(|| exchange_error("trust", "nyckeln sparades inte"))
}

/// The trust list, by name.
pub fn trust_list(store: &Store) -> Result<Vec<TrustedKey>> {
    let mut stmt = store
        .conn()
        .prepare("SELECT name, public_key, added_at, added_by, revoked_at FROM trusted_key ORDER BY name")?;
    let rows: Vec<(String, String, String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(name, public_key, added_at, added_by, revoked_at)| {
            Ok(TrustedKey {
                name,
                fingerprint: PublicKey::from_openssh(&public_key)?.fingerprint(),
                public_key,
                added_at,
                added_by,
                revoked_at,
            })
        })
        .collect()
}

/// Revokes the key trusted as `name`: bundles it signed are refused from now on.
pub fn trust_revoke(store: &mut Store, name: &str) -> Result<TrustedKey> {
    let actor = store.actor().to_string();
    let n = store.connection().execute(
        "UPDATE trusted_key SET revoked_at = ?1, revoked_by = ?2 WHERE name = ?3 AND revoked_at IS NULL",
        params![Timestamp::now().to_string(), actor, name.trim()],
    )?;
    let found = trust_list(store)?.into_iter().find(|t| t.name == name.trim());
    match (n, found) {
        (1, Some(t)) => Ok(t),
        (_, Some(_)) => Err(exchange_error("trust", format!("Nyckeln \"{}\" är redan återkallad.", name.trim()))),
        (_, None) => {
            Err(exchange_error("trust", format!("Det finns ingen betrodd nyckel som heter \"{}\".", name.trim())))
        }
    }
}

/// Who signed an opened bundle, and what this installation thinks of the key.
pub(crate) fn signer_info(store: &Store, opened: &Opened) -> Result<SignerInfo> {
    let fp = opened.signer.fingerprint();
    let own = identity(store)?.is_some_and(|i| i.fingerprint == fp);
    let listed = trust_list(store)?.into_iter().find(|t| t.fingerprint == fp);
    let trust = match (&listed, own) {
        (_, true) => TrustState::Own,
        (Some(t), _) if t.revoked_at.is_some() => TrustState::Revoked,
        (Some(_), _) => TrustState::Trusted,
        (None, _) => TrustState::Unknown,
    };
    Ok(SignerInfo {
        name: opened.manifest.sender.name.clone(),
        public_key: opened.signer.to_openssh(),
        fingerprint: fp,
        trust,
        trusted_as: listed.map(|t| t.name),
    })
}

/// Reads only who signed a bundle (container and signature checked, the signer not yet
/// judged): for showing the fingerprint before offering to trust the key.
pub fn bundle_signer(store: &Store, bytes: &[u8]) -> Result<SignerInfo> {
    let key = decryption_key(store, bytes)?;
    let opened = riskverkstad_bundle::open(bytes, riskverkstad_bundle::Limits::default(), key.as_ref())?;
    signer_info(store, &opened)
}
