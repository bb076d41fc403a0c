//! A new database's starting content: the installation identity, method version 1 (the
//! defaults of `docs/DOMAIN.md`) and the built-in threat and requirements catalogues. Written in
//! one transaction, through the audited writer, the first time a database is opened.

use super::{Installation, Read, Writer, audit};
use crate::error::Result;
use crate::ids::{IdSource, InstallationId, Timestamp};
use crate::method::Method;
use crate::model::MethodVersion;
/// The audit log's name for creating a database; the start of history, never undone.
pub const SEED_ACTION: &str = "Ny databas";

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// The audit log's name for giving a database that predates incidents (schema < 10) the
/// default recipients of incident reports.
pub const RECIPIENTS_ACTION: &str = "Mottagare av incidentrapporter";

/// The schema version that brought incidents and their recipients.
const INCIDENTS_SCHEMA: usize = 10;

/// The audit log's name for giving a database that predates recurring controls (schema < 12)
/// the built-in kinds of control and its baseline requirements.
pub const CONTROLS_ACTION: &str = "Kontrolltyper och basnivå";

/// The schema version that brought recurring controls and the baseline.
const CONTROLS_SCHEMA: usize = 12;

pub(crate) fn ensure_initialised(
    conn: &mut Connection,
    actor: &str,
    migrated_from: usize,
) -> Result<(Installation, MethodVersion)> {
    let existing = read_installation(conn)?;
    let is_new = existing.is_none();
    let installation = match existing {
        Some(i) => i,
        None => {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let installation = Installation {
                id: InstallationId(uuid::Uuid::now_v7()),
                name: "Ny installation".into(),
                created_at: Timestamp::now(),
            };
            tx.execute(
                "INSERT INTO installation (id, name, created_at) VALUES (?1, ?2, ?3)",
                params![installation.id.to_string(), installation.name, installation.created_at.to_string()],
            )?;
            let chain = audit::Chain::load(&tx)?;
            let definition = Method::default_klassa();
            let mut w = Writer {
                tx,
                origin: installation.id,
                actor: actor.to_string(),
                action: SEED_ACTION.into(),
                now: installation.created_at,
                ids: IdSource::Random,
                method: MethodVersion { definition: definition.clone(), ..Default::default() },
                chain,
            };
            w.insert(MethodVersion {
                number: 1,
                note: "Standardmetod (KLASSA/MSB)".into(),
                definition,
                ..Default::default()
            })?;
            for t in crate::catalog::builtin_threats() {
                w.insert(t)?;
            }
            for r in crate::catalog::builtin_requirements() {
                w.insert(r)?;
            }
            for r in crate::model::default_recipients() {
                w.insert(r)?;
            }
            for k in crate::model::builtin_control_kinds() {
                w.insert(k)?;
            }
            w.tx.commit()?;
            installation
        }
    };
    let method = current_method(conn, &installation)?;
    if !is_new && migrated_from > 0 && migrated_from < INCIDENTS_SCHEMA {
        seed_recipients(conn, &installation, actor, &method)?;
    }
    if !is_new && migrated_from > 0 && migrated_from < CONTROLS_SCHEMA {
        seed_controls(conn, &installation, actor, &method)?;
    }
    Ok((installation, method))
}

/// A database upgraded to incidents gets the default recipients of reports, once, audited
/// like any change (a database that already has recipients keeps its own).
fn seed_recipients(
    conn: &mut Connection,
    installation: &Installation,
    actor: &str,
    method: &MethodVersion,
) -> Result<()> {
    audited(conn, installation, actor, method, RECIPIENTS_ACTION, |w| {
        let have: i64 = w.tx.query_row("SELECT count(*) FROM recipient", [], |r| r.get(0))?;
        if have == 0 {
            for r in crate::model::default_recipients() {
                w.insert(r)?;
            }
        }
        Ok(())
    })
}

/// A database upgraded to recurring controls gets the built-in kinds of control (unless it
/// has kinds of its own) and its built-in baseline requirements marked as such, once, audited.
fn seed_controls(
    conn: &mut Connection,
    installation: &Installation,
    actor: &str,
    method: &MethodVersion,
) -> Result<()> {
    audited(conn, installation, actor, method, CONTROLS_ACTION, |w| {
        let have: i64 = w.tx.query_row("SELECT count(*) FROM control_kind", [], |r| r.get(0))?;
        if have == 0 {
            for k in crate::model::builtin_control_kinds() {
                w.insert(k)?;
            }
        }
        let baseline: Vec<String> =
            crate::catalog::builtin_requirements().into_iter().filter(|r| r.baseline).map(|r| r.code).collect();
        for r in w.list::<crate::model::Requirement>()? {
            if r.builtin && !r.baseline && baseline.contains(&r.code) {
                w.update(crate::model::Requirement { baseline: true, ..r })?;
            }
        }
        Ok(())
    })
}

/// Runs `f` with an audited writer named `action`, in one transaction.
fn audited(
    conn: &mut Connection,
    installation: &Installation,
    actor: &str,
    method: &MethodVersion,
    action: &str,
    f: impl FnOnce(&mut Writer<'_>) -> Result<()>,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let chain = audit::Chain::load(&tx)?;
    let mut w = Writer {
        tx,
        origin: installation.id,
        actor: actor.to_string(),
        action: action.into(),
        now: Timestamp::now(),
        ids: IdSource::Random,
        method: method.clone(),
        chain,
    };
    f(&mut w)?;
    w.tx.commit()?;
    Ok(())
}

fn read_installation(conn: &Connection) -> Result<Option<Installation>> {
    let row = conn
        .query_row("SELECT id, name, created_at FROM installation LIMIT 1", [], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })
        .optional()?;
    Ok(match row {
        Some((id, name, created_at)) => Some(Installation {
            id: id.parse().map_err(|e: uuid::Error| crate::Error::Decode {
                table: "installation",
                id: id.clone(),
                detail: e.to_string(),
            })?,
            name,
            created_at: created_at.parse().map_err(|e: chrono::ParseError| crate::Error::Decode {
                table: "installation",
                id,
                detail: e.to_string(),
            })?,
        }),
        None => None,
    })
}

/// The newest of this installation's own method versions (versions that arrived in bundles
/// are kept for the assessments made under them, never put in force).
fn current_method(conn: &Connection, installation: &Installation) -> Result<MethodVersion> {
    let id: Option<String> = conn
        .query_row(
            "SELECT id FROM method_version WHERE origin = ?1 ORDER BY number DESC LIMIT 1",
            [installation.id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let id = id.ok_or_else(|| crate::Error::InvalidMethod("databasen saknar metod".into()))?;
    let id = id.parse().map_err(|e: uuid::Error| crate::Error::Decode {
        table: "method_version",
        id: id.clone(),
        detail: e.to_string(),
    })?;
    super::records::get::<MethodVersion>(conn, id)
}
