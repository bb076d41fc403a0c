//! The department identity (name, key pair) and the trust list of other departments' keys.

use super::exchange_error;
use crate::error::{Error, Result};
use crate::ids::Timestamp;
use crate::store::{Read, Store};
use riskverkstad_bundle::{Fingerprint, Opened, PublicKey, SecretKey};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::collections::HashMap;
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

/// What a trusted key may send (docs/bundle-format.md, "Authority per sender").
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SenderRole {
    /// A department: changes only what it made and what belongs to its förvaltningar, and
    /// moves only its own counters.
    Avdelning,
    /// A central office: relays every installation's changes, and vouches for their keys.
    Central,
}

impl SenderRole {
    /// The word stored and typed (`avdelning`, `central`).
    pub fn as_str(self) -> &'static str {
        match self {
            SenderRole::Avdelning => "avdelning",
            SenderRole::Central => "central",
        }
    }

    /// The role from its word.
    pub fn parse(text: &str) -> Result<SenderRole> {
        match text.trim().to_lowercase().as_str() {
            "avdelning" | "förvaltning" | "forvaltning" => Ok(SenderRole::Avdelning),
            "central" | "centralt kontor" => Ok(SenderRole::Central),
            other => Err(Error::invalid("roll", format!("\"{other}\" är ingen roll; ange avdelning eller central"))),
        }
    }

    /// In Swedish, for messages.
    pub fn label(self) -> &'static str {
        match self {
            SenderRole::Avdelning => "avdelning",
            SenderRole::Central => "centralt kontor",
        }
    }
}

/// The terms a key is trusted on: its role, the förvaltningar a department answers for, who
/// compared the fingerprint with the sender, and until when the trust holds.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TrustTerms {
    /// Avdelning or central.
    pub role: SenderRole,
    /// The förvaltningar (by name) a department answers for, besides what it made itself.
    pub forvaltningar: Vec<String>,
    /// Who compared the fingerprint with the sender (by phone or on paper).
    pub compared_by: String,
    /// The last day bundles signed with the key are taken in (YYYY-MM-DD), if it ends.
    pub expires_on: Option<String>,
}

impl TrustTerms {
    /// A department answering for `forvaltningar`, compared by `compared_by`, no expiry.
    pub fn department(forvaltningar: &[&str], compared_by: &str) -> TrustTerms {
        TrustTerms {
            role: SenderRole::Avdelning,
            forvaltningar: forvaltningar.iter().map(|s| s.to_string()).collect(),
            compared_by: compared_by.to_string(),
            expires_on: None,
        }
    }

    /// A central office, compared by `compared_by`, no expiry.
    pub fn central(compared_by: &str) -> TrustTerms {
        TrustTerms {
            role: SenderRole::Central,
            forvaltningar: vec![],
            compared_by: compared_by.to_string(),
            expires_on: None,
        }
    }

    fn checked(&self) -> Result<TrustTerms> {
        let mut forvaltningar: Vec<String> = Vec::new();
        for f in &self.forvaltningar {
            let f = f.trim();
            if f.is_empty() {
                continue;
            }
            if f.chars().count() > 200 || f.chars().any(char::is_control) {
                return Err(Error::invalid("förvaltningar", "ett förvaltningsnamn är för långt eller har styrtecken"));
            }
            if !forvaltningar.iter().any(|x| x.to_lowercase() == f.to_lowercase()) {
                forvaltningar.push(f.to_string());
            }
        }
        let compared_by = self.compared_by.trim().to_string();
        if compared_by.is_empty() || compared_by.chars().count() > 120 {
            return Err(Error::invalid(
                "jämfört av",
                "ange vem som jämförde fingeravtrycket med avsändaren (högst 120 tecken)",
            ));
        }
        let expires_on = match self.expires_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(d) => Some(
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| Error::invalid("giltig till", format!("\"{d}\" är inget datum (ÅÅÅÅ-MM-DD)")))?
                    .to_string(),
            ),
        };
        Ok(TrustTerms { role: self.role, forvaltningar, compared_by, expires_on })
    }
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
    /// What it may send: its role and förvaltningar, who compared it, its expiry.
    pub terms: TrustTerms,
    /// When the fingerprint was compared (when the terms' `compared_by` was recorded).
    pub compared_at: Option<String>,
    /// Whether its expiry has passed (bundles it signs are refused).
    pub expired: bool,
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
    /// In the trust list, past its expiry.
    Expired,
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
    /// The terms it is trusted on, if it is in the trust list.
    pub terms: Option<TrustTerms>,
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

/// Adds a key to the trust list under `name`, on `terms`. Show [`PublicKey::fingerprint`]
/// and get a confirmation (who compared it) before calling this.
pub fn trust_add(store: &mut Store, key: &PublicKey, name: &str, terms: &TrustTerms) -> Result<TrustedKey> {
    let name = check_name(name)?;
    let terms = terms.checked()?;
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
    let now = Timestamp::now().to_string();
    store.connection().execute(
        "INSERT INTO trusted_key (fingerprint, name, public_key, added_at, added_by, role, forvaltningar, compared_by,
             compared_at, expires_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?4, ?9)",
        params![
            fp.openssh,
            name,
            key.to_openssh(),
            now,
            actor,
            terms.role.as_str(),
            serde_json::to_string(&terms.forvaltningar).unwrap_or_else(|_| "[]".into()),
            terms.compared_by,
            terms.expires_on
        ],
    )?;
    trust_list(store)?
        .into_iter()
        .find(|t| t.fingerprint == fp)
        .ok_or_else(|| exchange_error("trust", "nyckeln sparades inte"))
}

/// Changes the terms a key is trusted on (its role, förvaltningar, who compared it, expiry).
pub fn trust_set(store: &mut Store, name: &str, terms: &TrustTerms) -> Result<TrustedKey> {
    let terms = terms.checked()?;
    let before = trusted(store, name)?;
    // A new comparer is a new comparison; the same one keeps its date.
    let compared_at = if before.terms.compared_by == terms.compared_by {
        before.compared_at.clone()
    } else {
        Some(Timestamp::now().to_string())
    };
    store.connection().execute(
        "UPDATE trusted_key SET role = ?1, forvaltningar = ?2, compared_by = ?3, compared_at = ?4, expires_on = ?5
         WHERE name = ?6",
        params![
            terms.role.as_str(),
            serde_json::to_string(&terms.forvaltningar).unwrap_or_else(|_| "[]".into()),
            terms.compared_by,
            compared_at,
            terms.expires_on,
            name.trim()
        ],
    )?;
    trusted(store, name)
}

/// The key trusted (or revoked) as `name`.
pub(crate) fn trusted(store: &Store, name: &str) -> Result<TrustedKey> {
    trust_list(store)?.into_iter().find(|t| t.name == name.trim()).ok_or_else(|| {
        exchange_error("trust", format!("Det finns ingen betrodd nyckel som heter \"{}\".", name.trim()))
    })
}

/// The trust list, by name.
pub fn trust_list(store: &Store) -> Result<Vec<TrustedKey>> {
    let mut stmt = store.conn().prepare(
        "SELECT name, public_key, added_at, added_by, revoked_at, role, forvaltningar, compared_by, compared_at,
                expires_on
         FROM trusted_key ORDER BY name",
    )?;
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let today = chrono::Local::now().date_naive().to_string();
    rows.into_iter()
        .map(
            |(
                name,
                public_key,
                added_at,
                added_by,
                revoked_at,
                role,
                forvaltningar,
                compared_by,
                compared_at,
                expires_on,
            )| {
                let expired = expires_on.as_deref().is_some_and(|d| d < today.as_str());
                Ok(TrustedKey {
                    name,
                    fingerprint: PublicKey::from_openssh(&public_key)?.fingerprint(),
                    public_key,
                    added_at,
                    // Keys trusted before comparisons were recorded: whoever added them vouched.
                    terms: TrustTerms {
                        role: SenderRole::parse(&role)?,
                        forvaltningar: serde_json::from_str(&forvaltningar).unwrap_or_default(),
                        compared_by: compared_by.unwrap_or_else(|| added_by.clone()),
                        expires_on,
                    },
                    added_by,
                    revoked_at,
                    compared_at,
                    expired,
                })
            },
        )
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
        (Some(t), _) if t.expired => TrustState::Expired,
        (Some(_), _) => TrustState::Trusted,
        (None, _) => TrustState::Unknown,
    };
    Ok(SignerInfo {
        name: opened.manifest.sender.name.clone(),
        public_key: opened.signer.to_openssh(),
        fingerprint: fp,
        trust,
        terms: listed.as_ref().map(|t| t.terms.clone()),
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

/// The names of installations by id: every one whose key was learnt, every sender, and this
/// one.
pub(crate) fn installation_names(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut names: HashMap<String, String> = HashMap::new();
    for sql in [
        "SELECT installation_id, name FROM installation_key",
        "SELECT installation_id, name FROM peer",
        "SELECT id, name FROM installation",
    ] {
        let mut stmt = conn.prepare(sql)?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = row?;
            names.insert(id, name);
        }
    }
    Ok(names)
}
