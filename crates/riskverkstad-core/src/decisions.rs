//! Frozen decisions (arkivlagen): when a decision is made, its PDF is stored with the decision
//! record and never changes; a later decision on the same subject is a new version, and the
//! earlier ones stay retrievable.
//!
//! The PDF itself is drawn by the report crate (the core does not lay out documents): the
//! caller takes a [`draft`], fills in what was decided, renders it, and hands the bytes to
//! [`freeze`]. Invariants, enforced here and by triggers in the schema (migration 0003):
//! - a document is stored once, addressed by its SHA-256, and is never updated or deleted;
//! - a decision with a document keeps what was decided: only its state may move on
//!   (beslutad → ersatt, when a newer version is decided);
//! - versions of one subject (kind, system or förvaltning) are numbered 1, 2, 3 … without gaps.

use crate::error::{Error, Result};
use crate::ids::{DecisionId, ForvaltningId, PersonId, SystemId};
use crate::model::{Decision, DecisionKind, DecisionOutcome, DecisionState, Person, Role, RoleAssignment};
use crate::store::{Read, Store};
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use serde::Serialize;

/// What a decision is about: a system, a förvaltning, or (both `None`) the whole organisation.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Subject {
    /// The document kind.
    pub kind: DecisionKind,
    /// The system (driftgodkännande, riskacceptans, klassning; optionally handlingsplan).
    pub system_id: Option<SystemId>,
    /// The förvaltning, when the subject is not a system.
    pub forvaltning_id: Option<ForvaltningId>,
}

impl Subject {
    fn holds(&self, d: &Decision) -> bool {
        d.kind == self.kind
            && d.system_id == self.system_id
            && (self.system_id.is_some() || d.forvaltning_id == self.forvaltning_id)
    }
}

/// The decisions on `subject`, oldest version first.
pub fn history(store: &impl Read, subject: &Subject) -> Result<Vec<Decision>> {
    let mut all: Vec<Decision> = match subject.system_id {
        Some(s) => store.list_by::<Decision>("system_id", &s.to_string())?,
        None => store.list::<Decision>()?,
    };
    all.retain(|d| subject.holds(d));
    all.sort_by_key(|d| d.version);
    Ok(all)
}

/// The version number the next decision on `subject` gets (1 for the first).
pub fn next_version(store: &impl Read, subject: &Subject) -> Result<u32> {
    Ok(history(store, subject)?.last().map(|d| d.version + 1).unwrap_or(1))
}

/// A new decision on `subject`, not yet stored: the next version, decided today by nobody yet.
/// The caller fills in who decides, the outcome and conditions, renders the PDF from it and
/// passes both to [`freeze`].
pub fn draft(store: &impl Read, subject: &Subject, title: &str, decided_on: NaiveDate) -> Result<Decision> {
    subject.check()?;
    // A system's decision belongs to the system's own förvaltning.
    let forvaltning_id = match subject.system_id {
        Some(s) => Some(store.get::<crate::model::System>(s)?.forvaltning_id),
        None => subject.forvaltning_id,
    };
    Ok(Decision {
        kind: subject.kind,
        title: title.to_string(),
        system_id: subject.system_id,
        forvaltning_id,
        version: next_version(store, subject)?,
        state: DecisionState::Beslutad,
        decided_on: Some(decided_on),
        ..Default::default()
    })
}

impl Subject {
    /// Whether the kind fits the subject: the system documents (and a systemsäkerhetsplan)
    /// need a system, a lägesbild is
    /// about a förvaltning or the organisation, a handlingsplan about either.
    pub fn check(&self) -> Result<()> {
        match (self.kind, self.system_id) {
            (
                DecisionKind::Driftgodkannande
                | DecisionKind::Riskacceptans
                | DecisionKind::Klassning
                | DecisionKind::Systemsakerhetsplan,
                None,
            ) => Err(Error::invalid("system", format!("{} gäller ett system: ange vilket", self.kind.label()))),
            (DecisionKind::Lagesbild, Some(_)) => Err(Error::invalid(
                "system",
                "en lägesbild gäller en förvaltning eller hela organisationen, inte ett system",
            )),
            _ => Ok(()),
        }
    }
}

/// The SHA-256 of `bytes` as lowercase hex: what identifies a frozen document (one
/// definition for the whole product, in the bundle crate, which hashes every entry with it).
pub use riskverkstad_bundle::sha256_hex;

/// Whether `decision` (from [`draft`], with what was decided) can be archived: its kind fits
/// its subject, it is decided by someone on a date, a driftgodkännande has an outcome, and
/// outcome and dated conditions appear only where the document shows them. The report crate
/// asks this before drawing; [`freeze`] asks it again.
pub fn check_complete(decision: &Decision, method: &crate::method::Method) -> Result<()> {
    Subject { kind: decision.kind, system_id: decision.system_id, forvaltning_id: decision.forvaltning_id }.check()?;
    if decision.kind != DecisionKind::Driftgodkannande
        && (decision.outcome.is_some() || !decision.conditions.is_empty())
    {
        return Err(Error::invalid("beslut", "utfall och villkor hör till ett driftgodkännande"));
    }
    if decision.outcome != Some(DecisionOutcome::MedVillkor) && !decision.conditions.is_empty() {
        return Err(Error::invalid("villkor", "villkor hör till beslutet «driftgodkänns med villkor»"));
    }
    if decision.conditions.iter().any(|c| c.text.trim().is_empty() || c.due_on.is_none()) {
        return Err(Error::invalid("villkor", "varje villkor behöver en text och ett datum"));
    }
    if decision.state != DecisionState::Beslutad {
        return Err(Error::invalid("status", "ett beslut som arkiveras ska vara fattat"));
    }
    if decision.kind == DecisionKind::Driftgodkannande && decision.outcome.is_none() {
        return Err(Error::invalid("beslut", "välj driftgodkänns, driftgodkänns med villkor eller driftgodkänns inte"));
    }
    crate::model::Validate::validate(decision, method)?;
    Ok(())
}

/// Stores `decision` (from [`draft`], with what was decided) and its rendered PDF, in one
/// transaction: the document once by its SHA-256, the decision as the next version of its
/// subject, and the earlier decided version marked ersatt. Refused when the decision is not
/// complete (beslutsfattare, datum, the outcome of a driftgodkännande) or when another
/// version was decided since the draft was made (the PDF would carry the wrong number).
pub fn freeze(store: &mut Store, decision: Decision, pdf: &[u8]) -> Result<Decision> {
    if !decision.id.is_nil() {
        return Err(Error::Frozen("ett beslut som redan finns kan inte fattas på nytt; fatta en ny version".into()));
    }
    check_complete(&decision, &store.method().definition)?;
    if !pdf.starts_with(b"%PDF-") {
        return Err(Error::invalid("dokument", "beslutsdokumentet är ingen PDF"));
    }
    let subject =
        Subject { kind: decision.kind, system_id: decision.system_id, forvaltning_id: decision.forvaltning_id };
    let action = format!("Beslut fattat: {} version {}", decision.kind.label(), decision.version);
    store.write(&action, |w| {
        let history = history(w, &subject)?;
        let next = history.last().map(|d| d.version + 1).unwrap_or(1);
        if decision.version != next {
            return Err(Error::Frozen(format!(
                "underlaget är ritat som version {} men nästa version är {next} (ett annat beslut har fattats under tiden); ta fram underlaget på nytt",
                decision.version
            )));
        }
        let sha = sha256_hex(pdf);
        w.conn().execute(
            "INSERT OR IGNORE INTO decision_document (sha256, bytes, stored_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![sha, pdf, w.now().to_string()],
        )?;
        // Only the state column changes (the store writes changed columns only), which is the
        // one change the schema allows a frozen decision.
        for earlier in history.into_iter().filter(|d| d.state == DecisionState::Beslutad) {
            w.update(Decision { state: DecisionState::Ersatt, ..earlier })?;
        }
        let frozen = w.insert(Decision { document_sha256: Some(sha), ..decision })?;
        // Each condition of a driftgodkännande med villkor becomes an action for the system
        // owner, due on the condition's date.
        let owner = match frozen.system_id {
            Some(s) => w
                .list_by::<RoleAssignment>("system_id", &s.to_string())?
                .into_iter()
                .find(|a| a.role == Role::Systemagare)
                .map(|a| a.person_id),
            None => None,
        };
        for action in frozen.condition_actions(owner) {
            w.insert(action)?;
        }
        // A systemsäkerhetsplan made here answers the register's question whether one exists.
        if frozen.kind == DecisionKind::Systemsakerhetsplan
            && let Some(s) = frozen.system_id
        {
            let system: crate::model::System = w.get(s)?;
            if system.system_security_plan != Some(true) {
                w.update(crate::model::System { system_security_plan: Some(true), ..system })?;
            }
        }
        Ok(frozen)
    })
}

/// The frozen PDF with this SHA-256, checked against it.
pub fn document(store: &impl Read, sha256: &str) -> Result<Vec<u8>> {
    let bytes: Option<Vec<u8>> = store
        .conn()
        .prepare_cached("SELECT bytes FROM decision_document WHERE sha256 = ?1")?
        .query_row([sha256], |r| r.get(0))
        .optional()?;
    match bytes {
        Some(b) if sha256_hex(&b) == sha256 => Ok(b),
        Some(_) => Err(Error::Frozen(format!("det arkiverade dokumentet {sha256} har ändrats i databasen"))),
        None => Err(Error::NotFound { label: "Beslutsdokumentet", id: sha256.to_string() }),
    }
}

/// The frozen PDF of a decision.
pub fn document_of(store: &impl Read, id: DecisionId) -> Result<(Decision, Vec<u8>)> {
    let d: Decision = store.get(id)?;
    let sha = d.document_sha256.clone().ok_or_else(|| {
        Error::Frozen(format!("«{}» version {} registrerades utan arkiverat dokument", d.title, d.version))
    })?;
    let bytes = document(store, &sha)?;
    Ok((d, bytes))
}

/// One version of a decision, as the app lists it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionVersion {
    /// The decision.
    pub id: DecisionId,
    /// Its kind.
    pub kind: DecisionKind,
    /// Its title.
    pub title: String,
    /// The förvaltning it concerns (`None`: the whole organisation).
    pub forvaltning_id: Option<ForvaltningId>,
    /// 1, 2, 3 …
    pub version: u32,
    /// Beslutad or ersatt.
    pub state: DecisionState,
    /// The outcome (driftgodkännande).
    pub outcome: Option<DecisionOutcome>,
    /// When it was decided.
    pub decided_on: Option<NaiveDate>,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// Valid until.
    pub valid_until: Option<NaiveDate>,
    /// Diarienummer.
    pub diarienummer: Option<String>,
    /// The frozen document's SHA-256, if it has one.
    pub document_sha256: Option<String>,
    /// Its size in bytes (0 without a document).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub document_bytes: u64,
}

/// Every decision about a system (all kinds), or with `None` those about förvaltningar and the
/// organisation; newest first within each kind.
pub fn versions(store: &impl Read, system: Option<SystemId>) -> Result<Vec<DecisionVersion>> {
    let mut all: Vec<Decision> = match system {
        Some(s) => store.list_by::<Decision>("system_id", &s.to_string())?,
        None => store.list::<Decision>()?.into_iter().filter(|d| d.system_id.is_none()).collect(),
    };
    all.sort_by(|a, b| (a.kind.key(), b.version).cmp(&(b.kind.key(), a.version)));
    let people: std::collections::HashMap<PersonId, String> =
        store.list::<Person>()?.into_iter().map(|p| (p.id, p.name)).collect();
    let mut size = store.conn().prepare_cached("SELECT length(bytes) FROM decision_document WHERE sha256 = ?1")?;
    all.into_iter()
        .map(|d| {
            let document_bytes = match &d.document_sha256 {
                Some(sha) => size.query_row([sha], |r| r.get::<_, i64>(0)).optional()?.unwrap_or(0) as u64,
                None => 0,
            };
            Ok(DecisionVersion {
                id: d.id,
                kind: d.kind,
                title: d.title,
                forvaltning_id: d.forvaltning_id,
                version: d.version,
                state: d.state,
                outcome: d.outcome,
                decided_on: d.decided_on,
                decided_by: d.decided_by.and_then(|p| people.get(&p).cloned()),
                valid_until: d.valid_until,
                diarienummer: d.diarienummer,
                document_sha256: d.document_sha256,
                document_bytes,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
