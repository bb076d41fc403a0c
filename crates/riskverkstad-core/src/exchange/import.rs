//! Import: a bundle checked completely (container, signature, signer, sequence, every
//! entry) before anything is written, the merge planned, then applied in one transaction
//! in which the plan is made again.

use super::IMPORT_ACTION;
use super::apply::{apply, gather};
use super::exchange_error;
use super::incoming::decode;
pub use super::incoming::{BundleSummary, ImportProgress, Incoming, Progress};
use super::kinds::foreign_keys;
use super::plan::MergePlan;
use super::plan::{self};
use super::trust::{SenderRole, SignerInfo, TrustState, decryption_key, signer_info};
use crate::error::Result;
use crate::store::{Read, Store};
use riskverkstad_bundle::{Limits, Manifest, Opened};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use std::collections::HashMap;

/// The result of an import.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// The bundle.
    pub bundle: BundleSummary,
    /// The plan (applied unless `applied` is false).
    pub plan: MergePlan,
    /// Whether it was written.
    pub applied: bool,
}

/// Opens a bundle and checks the container and the signature, then the signer against the
/// trust list: refused when unknown (the error names the fingerprint) or revoked, or when
/// it is this installation's own. Decodes nothing else.
pub fn open_bundle(store: &Store, bytes: &[u8], limits: Limits) -> Result<(Opened, SignerInfo)> {
    let key = decryption_key(store, bytes)?;
    let opened = riskverkstad_bundle::open(bytes, limits, key.as_ref())?;
    let signer = signer_info(store, &opened)?;
    match &signer.trust {
        TrustState::Trusted => Ok((opened, signer)),
        TrustState::Own => Err(exchange_error(
            "own_bundle",
            "Paketet är exporterat från den här installationen; det läses inte in här.",
        )),
        TrustState::Revoked => Err(exchange_error(
            "revoked_signer",
            format!(
                "Avsändarens nyckel ({}, fingeravtryck {}) är återkallad här. Paketet tas inte emot.",
                signer.trusted_as.clone().unwrap_or_default(),
                signer.fingerprint.readable
            ),
        )),
        TrustState::Expired => Err(exchange_error(
            "expired_signer",
            format!(
                "Förtroendet för avsändarens nyckel ({}, fingeravtryck {}) gällde till och med {}. Paketet tas inte emot; förläng det i listan över betrodda nycklar om avsändaren fortfarande ska skicka.",
                signer.trusted_as.clone().unwrap_or_default(),
                signer.fingerprint.readable,
                signer.terms.as_ref().and_then(|t| t.expires_on.clone()).unwrap_or_default()
            ),
        )),
        TrustState::Unknown => Err(exchange_error(
            "unknown_signer",
            format!(
                "Paketet är signerat av en okänd nyckel: \"{}\", fingeravtryck {} ({}). Jämför fingeravtrycket med avsändaren (per telefon eller på papper) och lägg till nyckeln i listan över betrodda nycklar innan du läser in paketet.",
                signer.name, signer.fingerprint.readable, signer.fingerprint.openssh
            ),
        )),
    }
}

/// Checks a bundle completely without writing: container, signature, signer, sequence
/// number, and every payload entry. Returns the decoded content.
pub fn read_bundle(store: &Store, bytes: &[u8], limits: Limits) -> Result<(Incoming, bool)> {
    read_bundle_with(store, bytes, limits, &mut |_| {})
}

/// [`read_bundle`], reporting its steps to `progress`.
pub fn read_bundle_with(
    store: &Store,
    bytes: &[u8],
    limits: Limits,
    progress: Progress<'_>,
) -> Result<(Incoming, bool)> {
    progress(&ImportProgress::step("Kontrollerar signatur och avsändare"));
    let (mut opened, signer) = open_bundle(store, bytes, limits)?;
    let already = check_sequence_in(store.conn(), &opened.manifest, &opened.file_sha256)?;
    progress(&ImportProgress::step("Läser och kontrollerar posterna"));
    let incoming = decode(&mut opened, signer, store)?;
    Ok((incoming, already))
}

/// Plans an import without writing anything.
pub fn plan_import(store: &Store, bytes: &[u8], limits: Limits) -> Result<ImportReport> {
    plan_import_with(store, bytes, limits, &mut |_| {})
}

/// [`plan_import`], reporting its steps to `progress`.
pub fn plan_import_with(store: &Store, bytes: &[u8], limits: Limits, progress: Progress<'_>) -> Result<ImportReport> {
    let (incoming, already) = read_bundle_with(store, bytes, limits, progress)?;
    progress(&ImportProgress::step("Jämför med databasen"));
    planned(store, &incoming, already)
}

/// The plan of a read bundle against this database, not applied.
fn planned(store: &Store, incoming: &Incoming, already: bool) -> Result<ImportReport> {
    let fks = foreign_keys(store.conn())?;
    let local = gather(store.conn(), origins(store)?, incoming, &fks)?;
    let plan = plan::plan(&local, &incoming.records(), &fks);
    Ok(ImportReport { bundle: incoming.summary(already), plan, applied: false })
}

/// Imports a bundle: checks it, plans the merge again inside one transaction and applies
/// it. With `expected_digest`, refuses if the plan is not the one shown (the database
/// changed in between). Re-importing the very same bundle changes nothing.
pub fn import_bundle(
    store: &mut Store,
    bytes: &[u8],
    limits: Limits,
    expected_digest: Option<&str>,
) -> Result<ImportReport> {
    import_bundle_with(store, bytes, limits, expected_digest, &mut |_| {})
}

/// [`import_bundle`], reporting its steps (and the records written) to `progress`.
pub fn import_bundle_with(
    store: &mut Store,
    bytes: &[u8],
    limits: Limits,
    expected_digest: Option<&str>,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let (incoming, already) = read_bundle_with(store, bytes, limits, progress)?;
    if already {
        return planned(store, &incoming, true);
    }
    // A department's bundle is judged before anything (a backup included) is written. Inside
    // the transaction it is planned and judged again, unless the database is provably as it
    // was (no commit by another connection, no change by this one): then the plan is that one.
    let mut judged = None;
    if incoming.signer.terms.as_ref().is_none_or(|t| t.role == SenderRole::Avdelning) {
        let fks = foreign_keys(store.conn())?;
        let local = gather(store.conn(), origins(store)?, &incoming, &fks)?;
        let plan = plan::plan(&local, &incoming.records(), &fks);
        refuse_if_refused(&plan)?;
        judged = Some((stamp(store.conn())?, local, plan));
    }
    crate::backup::before_import(store)?;
    let action = format!("{IMPORT_ACTION} från {} (nr {})", incoming.sender_name(), incoming.manifest.sequence);
    let names = origins(store)?;
    let plan = store.write(&action, |w| {
        // The same checks again inside the transaction: nothing can slip in between.
        let sequence_again = check_sequence_in(w.tx(), &incoming.manifest, &incoming.file_sha256)?;
        if sequence_again {
            return Err(exchange_error("replay", "Paketet lästes in av någon annan under tiden."));
        }
        progress(&ImportProgress::step("Jämför med databasen"));
        let (local, plan) = match judged {
            Some((before, local, plan)) if stamp(w.tx())? == before => (local, plan),
            _ => {
                let fks = foreign_keys(w.tx())?;
                let local = gather(w.tx(), names, &incoming, &fks)?;
                let plan = plan::plan(&local, &incoming.records(), &fks);
                (local, plan)
            }
        };
        refuse_if_refused(&plan)?;
        if let Some(d) = expected_digest
            && d != plan.digest
        {
            return Err(exchange_error(
                "plan_changed",
                "Databasen har ändrats sedan planen visades. Granska planen igen innan du läser in paketet.",
            ));
        }
        apply(w, &plan, &incoming, &local, progress)?;
        let total = plan.changes.len() as u64;
        progress(&ImportProgress { step: "Sparar".into(), done: total, total });
        Ok(plan)
    })?;
    Ok(ImportReport { bundle: incoming.summary(false), plan, applied: true })
}

/// What says whether the database changed: `PRAGMA data_version` (moves when another
/// connection commits) and this connection's change count.
fn stamp(conn: &Connection) -> Result<(i64, u64)> {
    let version: i64 = conn.pragma_query_value(None, "data_version", |r| r.get(0))?;
    Ok((version, conn.total_changes()))
}

/// Refuses a plan with changes the sender may not make, naming the sender, the first records
/// and whose they are. Nothing has been written when this refuses.
fn refuse_if_refused(plan: &MergePlan) -> Result<()> {
    if plan.refusals.is_empty() {
        return Ok(());
    }
    let more = plan.refusals.len() - 1;
    let listed: Vec<&str> = plan.refusals.iter().take(5).map(|r| r.reason.as_str()).collect();
    let tail = if more >= 5 { format!(" (och {} till)", plan.refusals.len() - 5) } else { String::new() };
    let sender = &plan.sender;
    let mut how = String::new();
    if plan.refusals.iter().any(|r| !r.allowable) {
        how.push_str(&format!(
            " Är {sender} kommunens centrala kontor, som för vidare andras ändringar: ändra nyckelns roll till central (riskverkstad trust set \"{sender}\" --role central)."
        ));
    }
    if plan.refusals.iter().any(|r| r.allowable) {
        how.push_str(&format!(
            " Är ändringarna väntade: låt {sender} svara för postens förvaltning (riskverkstad trust set \"{sender}\" --forvaltning NAMN), eller släpp igenom dess ändringar av en viss post som konflikter att avgöra (riskverkstad trust allow \"{sender}\" TABELL ID)."
        ));
    }
    Err(exchange_error(
        "out_of_scope",
        format!("Paketet från {} tas inte emot: {}{tail}. Inget har skrivits.{how}", plan.sender, listed.join("; ")),
    ))
}

/// The names of the installations records come from (this one, every sender and every
/// installation whose key was learnt), by id.
pub fn origins(store: &Store) -> Result<HashMap<String, String>> {
    super::trust::installation_names(store.conn())
}

/// Refuses a sequence number not newer than the last imported from the sender, unless it is
/// the very same file (then `Ok(true)`: nothing to do).
fn check_sequence_in(conn: &Connection, m: &Manifest, file_sha256: &str) -> Result<bool> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT last_sequence, last_bundle_sha256 FROM peer WHERE fingerprint = ?1",
            [&m.sender.fingerprint],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match last {
        Some((seq, sha)) if seq as u64 == m.sequence && sha == file_sha256 => Ok(true),
        Some((seq, _)) if m.sequence <= seq as u64 => Err(exchange_error(
            "replay",
            format!(
                "Paketet från {} har nummer {}, men nummer {} är redan inläst. Ett äldre eller upprepat paket tas inte emot.",
                m.sender.name, m.sequence, seq
            ),
        )),
        _ => Ok(false),
    }
}
