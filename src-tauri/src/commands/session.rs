//! What is open: the app's info, the gates in front of a database (unlock, a new database's
//! passphrase, the restore of a damaged one), the idle lock, passphrase and backups, undo.

use crate::error::IpcError;
use crate::state::{AppState, Gate, GateKind, Session, shown};
use riskverkstad_core::backup::{self, BackupCheck, BackupInfo, BackupReason, Rekeyed};
use riskverkstad_core::ids::Timestamp;
use riskverkstad_core::model::Organisation;
use riskverkstad_core::store::{Passphrase, Read as _, SCHEMA_VERSION, Store, Strength, UndoTarget};
use riskverkstad_core::usecase::open::{self as opening, Purpose};
use serde::Serialize;
use std::path::Path;

/// What is open.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AppInfo {
    /// The database file.
    pub path: String,
    /// True for the demo database.
    pub is_demo: bool,
    /// The organisation's name.
    pub organisation: String,
    /// The installation's name.
    pub installation: String,
    /// Schema version.
    pub schema_version: u32,
    /// Method version in force.
    pub method_version: u32,
    /// True when the database has no organisation yet (a new database): show the setup.
    pub needs_setup: bool,
    /// True when the file is encrypted (SQLCipher).
    pub encrypted: bool,
    /// The day the app counts as today, when a test has set it (`RISKVERKSTAD_TODAY`).
    pub test_today: Option<chrono::NaiveDate>,
}

/// Inställningar → Säkerhet: encryption, backups and the idle lock.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SecurityOverview {
    /// True when the file is encrypted.
    pub encrypted: bool,
    /// True for the demo database.
    pub is_demo: bool,
    /// The backups folder.
    pub folder: String,
    /// The backups, newest first.
    pub backups: Vec<BackupInfo>,
    /// When a restore (or a verification of every backup) was last done.
    pub restore_tested: Option<Timestamp>,
    /// Minutes without use before the app locks.
    pub idle_lock_minutes: u32,
    /// What the backups take together, against their limit.
    pub backup_usage: riskverkstad_core::backup::BackupUsage,
}

fn security_overview_of(s: &Session) -> Result<SecurityOverview, IpcError> {
    Ok(SecurityOverview {
        encrypted: s.store.is_encrypted(),
        is_demo: s.is_demo,
        folder: riskverkstad_core::backup::folder_for(&s.store)?.display().to_string(),
        backups: riskverkstad_core::backup::list_for(&s.store)?,
        restore_tested: s.store.restore_tested()?,
        idle_lock_minutes: s.idle_lock_minutes,
        backup_usage: riskverkstad_core::backup::usage(&s.store)?,
    })
}

/// Replaces the open store by what `f` makes of it (a restore, a new key). When `f` fails
/// after closing the file, the file is opened again with the key it had, or with `new_key`
/// (a passphrase change that got as far as the swap); a file that then does not open shows
/// the damaged gate, or the unlock gate.
fn swap_store<T>(
    state: &AppState,
    new_key: Option<Passphrase>,
    f: impl FnOnce(Store) -> riskverkstad_core::Result<(Store, T)>,
) -> Result<T, IpcError> {
    let session = state.take()?;
    let is_demo = session.is_demo;
    let path = session.store.path().map(|p| p.to_path_buf());
    let key = session.store.passphrase().cloned();
    match f(session.store) {
        Ok((store, out)) => {
            state.replace(Session::new(store, is_demo));
            Ok(out)
        }
        Err(e) => {
            if let Some(path) = path {
                let now = Timestamp::now();
                let reopened = opening::open(&path, key.clone(), Purpose::Maintenance, now).or_else(|first| {
                    match (&first, new_key) {
                        (riskverkstad_core::Error::WrongPassphrase { .. }, Some(k)) => {
                            opening::open(&path, Some(k), Purpose::Maintenance, now)
                        }
                        _ => Err(first),
                    }
                });
                match reopened.map(|o| shown(o, is_demo)) {
                    Ok(opened) => {
                        state.show(opened);
                    }
                    Err(again) => {
                        let gate = Gate {
                            kind: GateKind::Locked,
                            path: path.display().to_string(),
                            message: again.to_string(),
                            backup: None,
                            encrypted: false,
                        };
                        state.close_behind(gate, None);
                    }
                }
            }
            Err(e.into())
        }
    }
}

/// What database is open, and whether it is the demo.
pub fn app_info(state: &AppState) -> Result<AppInfo, IpcError> {
    state.with(|s| {
        let organisation = s.store.list::<Organisation>()?.into_iter().next();
        let needs_setup = organisation.is_none();
        let organisation = organisation.map(|o| o.name).unwrap_or_default();
        Ok(AppInfo {
            path: s.store.path().map(|p| p.display().to_string()).unwrap_or_default(),
            is_demo: s.is_demo,
            organisation,
            installation: s.store.installation().name.clone(),
            schema_version: SCHEMA_VERSION as u32,
            method_version: s.store.method().number,
            needs_setup,
            encrypted: s.store.is_encrypted(),
            test_today: super::test_today(),
        })
    })
}

/// The change that undo would reverse, if any.
pub fn undo_target(state: &AppState) -> Result<Option<UndoTarget>, IpcError> {
    state.with(|s| Ok(s.store.undo_target()?))
}

/// Undoes the change the user saw named (its first audit entry); returns its name.
pub fn undo(state: &AppState, first_seq: u32) -> Result<String, IpcError> {
    state.write(|s| Ok(s.store.undo_expecting(i64::from(first_seq))?))
}

/// The gate shown instead of the app when no database is open (locked, new, damaged).
pub fn gate(state: &AppState) -> Result<Option<Gate>, IpcError> {
    Ok(state.gate())
}

/// Opens the locked database with `passphrase`. A wrong one changes nothing.
pub fn unlock(state: &AppState, passphrase: String) -> Result<AppInfo, IpcError> {
    let gate = state.waiting(None, "Ingen databas väntar på lösenfras.")?;
    let opened =
        opening::open(Path::new(&gate.path), Some(Passphrase::new(passphrase)), Purpose::Work, Timestamp::now())?;
    if let Some(g) = state.show(shown(opened, false)) {
        return Err(IpcError::new(if g.kind == GateKind::Damaged { "corrupt" } else { "locked" }, g.message));
    }
    app_info(state)
}

/// Creates the new database behind the gate, encrypted with `passphrase`.
pub fn create_database(state: &AppState, passphrase: String) -> Result<AppInfo, IpcError> {
    let gate = state.waiting(Some(GateKind::New), "Ingen ny databas väntar.")?;
    let opened = opening::create(Path::new(&gate.path), Passphrase::new(passphrase), Timestamp::now())?;
    state.show(shown(opened, false));
    app_info(state)
}

/// How strong a passphrase being chosen is (nothing is stored).
pub fn passphrase_strength(state: &AppState, passphrase: String) -> Result<Strength, IpcError> {
    let _ = state;
    let passphrase = Passphrase::new(passphrase);
    Ok(riskverkstad_core::store::strength(passphrase.expose()))
}

/// Locks the open encrypted database now: it is closed and its key dropped.
pub fn lock(state: &AppState) -> Result<bool, IpcError> {
    Ok(state.lock("Låst. Ange lösenfrasen för att fortsätta."))
}

/// Notes that the person is active (typing, clicking), so the idle lock waits.
pub fn note_activity(state: &AppState) -> Result<bool, IpcError> {
    state.touch();
    Ok(true)
}

/// Encryption, backups and the idle lock of the open database.
pub fn security_overview(state: &AppState) -> Result<SecurityOverview, IpcError> {
    state.with(|s| security_overview_of(s))
}

/// Makes a backup now.
pub fn create_backup(state: &AppState) -> Result<SecurityOverview, IpcError> {
    state.with(|s| {
        riskverkstad_core::backup::create(&s.store, BackupReason::Manuell, Timestamp::now())?;
        security_overview_of(s)
    })
}

/// Opens every backup and runs the integrity and audit-chain checks; records the restore
/// test when all pass.
pub fn verify_backups(state: &AppState) -> Result<Vec<BackupCheck>, IpcError> {
    state.with(|s| Ok(riskverkstad_core::backup::verify_all(&mut s.store, Timestamp::now())?))
}

/// Replaces the database by the backup `file_name` (verified first; the current state
/// is backed up before it is replaced).
pub fn restore_backup(state: &AppState, file_name: String) -> Result<AppInfo, IpcError> {
    // A name of the backups folder: the core refuses any name the folder does not list.
    let name = std::path::PathBuf::from(&file_name);
    swap_store(state, None, |store| Ok((riskverkstad_core::backup::restore(store, &name, Timestamp::now())?, ())))?;
    app_info(state)
}

/// Restores the damaged database behind the gate from its newest sound backup.
pub fn restore_damaged(state: &AppState, file_name: String) -> Result<AppInfo, IpcError> {
    let (gate, key) = state
        .gate
        .lock()
        .ok()
        .and_then(|g| g.clone())
        .ok_or_else(|| IpcError::new("no_gate", "Ingen skadad databas väntar."))?;
    // Only the backup the gate offers (checked when it was offered).
    if gate.kind != GateKind::Damaged || gate.backup.as_ref().is_none_or(|b| b.backup.file_name != file_name) {
        return Err(IpcError::new("invalid", "Välj säkerhetskopian som erbjuds."));
    }
    let db = std::path::PathBuf::from(&gate.path);
    let backup = backup::folder(&db).join(&file_name);
    let store = backup::restore_file(&db, &backup, key, Timestamp::now())?;
    state.replace(Session::new(store, false));
    app_info(state)
}

/// Sets a new passphrase (the current one must be given), or encrypts a plain database.
pub fn change_passphrase(state: &AppState, current: String, replacement: String) -> Result<Rekeyed, IpcError> {
    let current = Passphrase::new(current);
    let new = Passphrase::new(replacement);
    state.with(|s| {
        if s.store.is_encrypted() && !s.store.passphrase_is(&current) {
            return Err(IpcError::new(
                "wrong_passphrase",
                "Den nuvarande lösenfrasen stämmer inte. Ingenting har ändrats.",
            ));
        }
        new.check_new()?;
        Ok(())
    })?;
    let rekeyed =
        swap_store(state, Some(new.clone()), |store| riskverkstad_core::backup::change_passphrase(store, new))?;
    state.with(|s| {
        s.is_demo = false;
        Ok(rekeyed)
    })
}

/// Sets the backups' total size limit and rotates the folder to it.
pub fn set_backup_limit(state: &AppState, limit_mb: u32) -> Result<SecurityOverview, IpcError> {
    state.with(|s| {
        riskverkstad_core::backup::set_limit(&mut s.store, limit_mb, Timestamp::now())?;
        security_overview_of(s)
    })
}

/// Sets the minutes without use before the app locks.
pub fn set_idle_lock_minutes(state: &AppState, minutes: u32) -> Result<SecurityOverview, IpcError> {
    state.with(|s| {
        s.store.set_idle_lock_minutes(minutes)?;
        s.idle_lock_minutes = minutes;
        security_overview_of(s)
    })
}
