//! Beslutsunderlag and decisions: previews, PDFs saved where the user chooses, decisions
//! made and their archived versions.

use super::today;
use crate::error::IpcError;
use crate::state::AppState;
use riskverkstad_core::decisions::DecisionVersion;
use riskverkstad_core::ids::*;
use riskverkstad_core::model::DecisionKind;
use riskverkstad_core::usecase::decide::Decided;
use serde::Serialize;

/// What a preview of a decision document shows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ReportPreview {
    /// The document's title.
    pub title: String,
    /// The secrecy marking in its header.
    pub marking: String,
    /// Document id, version and date.
    pub identity: String,
    /// Number of pages.
    pub pages: u32,
    /// Size in bytes.
    pub bytes: u32,
    /// SHA-256 of the bytes: the same input gives the same document.
    pub sha256: String,
    /// Its headings, in order.
    pub headings: Vec<String>,
}

fn report_request(
    kind: DecisionKind,
    system: Option<SystemId>,
    forvaltning: Option<ForvaltningId>,
    open_summary: bool,
) -> riskverkstad_report::ReportRequest {
    riskverkstad_report::ReportRequest {
        kind,
        system,
        forvaltning,
        open_summary,
        marking: None,
        diarienummer: None,
        date: today(),
        decision: None,
    }
}

/// Produces a decision document and describes it (nothing is saved).
pub fn report_preview(
    state: &AppState,
    kind: DecisionKind,
    system_id: Option<SystemId>,
    forvaltning_id: Option<ForvaltningId>,
    open_summary: bool,
) -> Result<ReportPreview, IpcError> {
    state.with(|s| {
        let r = riskverkstad_report::render_document(
            &s.store,
            &report_request(kind, system_id, forvaltning_id, open_summary),
        )?;
        Ok(ReportPreview {
            sha256: riskverkstad_report::sha256_hex(&r.bytes),
            bytes: r.bytes.len() as u32,
            title: r.title,
            marking: r.marking,
            identity: r.identity,
            pages: r.pages,
            headings: r.headings,
        })
    })
}

/// The decisions about a system (every kind), or with null those about förvaltningar and
/// the organisation; newest version first within each kind.
pub fn decision_versions(state: &AppState, system_id: Option<SystemId>) -> Result<Vec<DecisionVersion>, IpcError> {
    state.with(|s| Ok(riskverkstad_core::decisions::versions(&s.store, system_id)?))
}

/// Makes the decision: draws the document as decided and archives its PDF, unchangeable,
/// as the next version of its subject.
pub fn decide(
    state: &AppState,
    kind: DecisionKind,
    system_id: Option<SystemId>,
    forvaltning_id: Option<ForvaltningId>,
    decided_on: chrono::NaiveDate,
    diarienummer: Option<String>,
    decided: Decided,
) -> Result<DecisionVersion, IpcError> {
    state.write(|s| {
        let mut request = report_request(kind, system_id, forvaltning_id, false);
        request.date = decided_on;
        request.diarienummer = diarienummer;
        let (frozen, _) = riskverkstad_report::decide(&mut s.store, &request, decided)?;
        riskverkstad_core::decisions::versions(&s.store, system_id)?
            .into_iter()
            .find(|v| v.id == frozen.id)
            .ok_or_else(|| IpcError::new("internal", "Beslutet sparades men hittades inte i listan."))
    })
}

/// Saves a decision's archived PDF (checked against its SHA-256) where the user chooses;
/// returns the path, or null when the dialog was cancelled.
pub fn save_decision_document(state: &AppState, decision_id: DecisionId) -> Result<Option<String>, IpcError> {
    let (d, bytes) = state.with(|s| Ok(riskverkstad_core::decisions::document_of(&s.store, decision_id)?))?;
    let suffix = format!("v{}-{}", d.version, d.decided_on.map(|d| d.to_string()).unwrap_or_default());
    let Some(path) = crate::dialogs::save_pdf(&riskverkstad_report::file_name(&d.title, &suffix))? else {
        return Ok(None);
    };
    riskverkstad_core::files::write_atomic(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}

/// Produces a decision document and saves it where the user chooses in the native save
/// dialog; returns the path, or null when the dialog was cancelled.
pub fn save_report(
    state: &AppState,
    kind: DecisionKind,
    system_id: Option<SystemId>,
    forvaltning_id: Option<ForvaltningId>,
    open_summary: bool,
) -> Result<Option<String>, IpcError> {
    let r = state.with(|s| {
        Ok(riskverkstad_report::render_document(
            &s.store,
            &report_request(kind, system_id, forvaltning_id, open_summary),
        )?)
    })?;
    let Some(path) = crate::dialogs::save_pdf(&r.file_name)? else { return Ok(None) };
    riskverkstad_core::files::write_atomic(&path, &r.bytes)?;
    Ok(Some(path.display().to_string()))
}
