//! Exchange: the department identity, the trust list, bundles exported through the native
//! save dialog and imported through the open dialog (the signer first, then the plan, then
//! one transaction), and conflicts.

use super::today;
use crate::error::IpcError;
use crate::state::AppState;
use riskverkstad_core::exchange::{
    self, Allowance, Conflict, Identity, ImportProgress, ImportReport, Limits, PublicKey, Resolution, Scope,
    SignerInfo, TrustTerms, TrustedKey,
};
use riskverkstad_core::ids::ForvaltningId;
use serde::Serialize;

/// What the Utbyte tab shows: the identity, the trust list and the conflicts waiting.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExchangeState {
    pub identity: Option<Identity>,
    pub trusted: Vec<TrustedKey>,
    pub conflicts: Vec<Conflict>,
    /// Records whose out-of-scope changes from a sender arrive as conflicts.
    pub allowances: Vec<Allowance>,
}

/// A bundle chosen for import: who signed it and, when the signer is trusted, the plan; or
/// why it is refused.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BundlePreview {
    pub file: String,
    pub signer: Option<SignerInfo>,
    pub report: Option<ImportReport>,
    pub refusal: Option<IpcError>,
}

fn exchange_state(s: &crate::state::Session) -> Result<ExchangeState, IpcError> {
    Ok(ExchangeState {
        identity: exchange::identity(&s.store)?,
        trusted: exchange::trust_list(&s.store)?,
        conflicts: exchange::conflicts(&s.store, false)?,
        allowances: exchange::allowances(&s.store)?,
    })
}

/// The preview of the pending bundle: its signer (shown before anything else) and, if the
/// signer is trusted, the plan; a refusal is reported, not raised, so the fingerprint shows.
fn preview(state: &AppState, s: &crate::state::Session, file: String) -> Result<BundlePreview, IpcError> {
    let bytes = s.pending_bundle.as_deref().ok_or_else(|| IpcError::new("no_bundle", "Inget paket är valt."))?;
    let signer = match exchange::bundle_signer(&s.store, bytes) {
        Ok(si) => Some(si),
        Err(e) => return Ok(BundlePreview { file, signer: None, report: None, refusal: Some(e.into()) }),
    };
    let planned = exchange::plan_import_with(&s.store, bytes, Limits::default(), &mut |p| state.publish_progress(p));
    state.clear_progress();
    match planned {
        Ok(report) => Ok(BundlePreview { file, signer, report: Some(report), refusal: None }),
        Err(e) => Ok(BundlePreview { file, signer, report: None, refusal: Some(e.into()) }),
    }
}

/// The department identity, the trust list and the conflicts waiting.
pub fn exchange_overview(state: &AppState) -> Result<ExchangeState, IpcError> {
    state.with(|s| exchange_state(s))
}

/// Creates the department identity: a new key pair, the private key in a file beside the
/// database.
pub fn create_identity(state: &AppState, department: String) -> Result<ExchangeState, IpcError> {
    state.with(|s| {
        exchange::init_identity(&mut s.store, &department)?;
        exchange_state(s)
    })
}

/// Exports a signed bundle (the whole database or one förvaltning) to a file chosen in the
/// native save dialog; returns the path, or null when cancelled.
pub fn export_bundle(state: &AppState, forvaltning_id: Option<ForvaltningId>) -> Result<Option<String>, IpcError> {
    let name = state.with(|s| {
        let id = exchange::identity(&s.store)?
            .ok_or_else(|| IpcError::new("no_identity", "Skapa avdelningens identitet först."))?;
        Ok(format!("{}-{}.rvb", id.name.replace([' ', '/', '\\'], "_"), today()))
    })?;
    let Some(path) = crate::dialogs::save_bundle(&name)? else { return Ok(None) };
    let bytes = state.with(|s| {
        let scope = match forvaltning_id {
            Some(f) => Scope::Forvaltning(f),
            None => Scope::All,
        };
        Ok(exchange::export_bundle(&mut s.store, &scope, None)?.bytes)
    })?;
    riskverkstad_core::files::write_atomic(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}

/// Chooses a bundle in the native open dialog and shows its signer and merge plan without
/// writing anything; null when cancelled.
pub fn choose_bundle(state: &AppState) -> Result<Option<BundlePreview>, IpcError> {
    let Some(path) = crate::dialogs::open_bundle()? else { return Ok(None) };
    let bytes = riskverkstad_core::usecase::bundle_file::read(&path)?;
    state.with(|s| {
        s.pending_bundle = Some(bytes);
        preview(state, s, path.display().to_string()).map(Some)
    })
}

/// Trusts the signer of the chosen bundle under `name` on `terms` (the UI has shown its
/// fingerprint and the user said who compared it), then shows the plan.
pub fn trust_bundle_signer(
    state: &AppState,
    name: String,
    fingerprint: String,
    file: String,
    terms: TrustTerms,
) -> Result<BundlePreview, IpcError> {
    state.with(|s| {
        let bytes = s.pending_bundle.clone().ok_or_else(|| IpcError::new("no_bundle", "Inget paket är valt."))?;
        let signer = exchange::bundle_signer(&s.store, &bytes)?;
        if signer.fingerprint.openssh != fingerprint {
            return Err(IpcError::new("fingerprint", "Paketets nyckel är inte den som visades."));
        }
        let key = PublicKey::from_openssh(&signer.public_key).map_err(riskverkstad_core::Error::from)?;
        exchange::trust_add(&mut s.store, &key, &name, &terms)?;
        preview(state, s, file)
    })
}

/// Changes what a trusted key may send.
pub fn set_trust_terms(state: &AppState, name: String, terms: TrustTerms) -> Result<ExchangeState, IpcError> {
    state.with(|s| {
        exchange::trust_set(&mut s.store, &name, &terms)?;
        exchange_state(s)
    })
}

/// Lets `sender` change one record outside its scope (as conflicts), then shows the chosen
/// bundle's plan again.
pub fn allow_changes(
    state: &AppState,
    sender: String,
    table: String,
    id: String,
    file: String,
) -> Result<BundlePreview, IpcError> {
    state.with(|s| {
        exchange::allow_changes(&mut s.store, &sender, &table, &id)?;
        preview(state, s, file)
    })
}

/// Takes back [`allow_changes`].
pub fn disallow_changes(
    state: &AppState,
    sender: String,
    table: String,
    id: String,
) -> Result<ExchangeState, IpcError> {
    state.with(|s| {
        exchange::disallow_changes(&mut s.store, &sender, &table, &id)?;
        exchange_state(s)
    })
}

/// Applies the chosen bundle's plan in one transaction, if it is still the plan shown
/// (`digest`).
pub fn apply_bundle(state: &AppState, digest: String) -> Result<ImportReport, IpcError> {
    state.with(|s| {
        let bytes = s.pending_bundle.take().ok_or_else(|| IpcError::new("no_bundle", "Inget paket är valt."))?;
        let result = exchange::import_bundle_with(&mut s.store, &bytes, Limits::default(), Some(&digest), &mut |p| {
            state.publish_progress(p)
        });
        state.clear_progress();
        if result.is_err() {
            s.pending_bundle = Some(bytes);
        }
        let report = result?;
        s.changed();
        Ok(report)
    })
}

/// Settles a conflict: mine, theirs, or the chosen fields from theirs.
pub fn resolve_conflict(state: &AppState, id: String, resolution: Resolution) -> Result<ExchangeState, IpcError> {
    state.with(|s| {
        exchange::resolve_conflict(&mut s.store, &id, &resolution)?;
        s.changed();
        exchange_state(s)
    })
}

/// How far the running bundle import (or its preview) has come; none when none runs.
/// Answers while the import holds the database.
pub fn import_progress(state: &AppState) -> Result<Option<ImportProgress>, IpcError> {
    Ok(state.progress.lock().ok().and_then(|g| g.clone()))
}

/// Revokes a trusted key: its bundles are refused from now on.
pub fn revoke_trust(state: &AppState, name: String) -> Result<ExchangeState, IpcError> {
    state.with(|s| {
        exchange::trust_revoke(&mut s.store, &name)?;
        exchange_state(s)
    })
}
