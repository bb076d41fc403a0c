//! Where a database's files live beside it: the backups folder (`<name>-säkerhetskopior`)
//! and the names of the copies in it (time and reason, so that a listing needs no database),
//! and the suffixes of what is staged or temporary while a copy, a restore or a passphrase
//! change is under way.

use crate::error::{Error, Result};
use crate::ids::Timestamp;
use chrono::{DateTime, NaiveDateTime, Utc};
use std::path::{Path, PathBuf};

riskverkstad_domain::text_enum! {
    /// Why a backup was made.
    pub enum BackupReason {
        /// The first open of the day.
        Daglig = "daglig" / "Daglig",
        /// Before a bundle or register import.
        Import = "import" / "Före import",
        /// Before the schema was upgraded.
        Migrering = "migrering" / "Före uppgradering av databasen",
        /// Before a restore replaced the database.
        Aterlasning = "aterlasning" / "Före återläsning",
        /// Asked for.
        Manuell = "manuell" / "Manuell",
        /// A database that could not be opened, kept as it was before a restore replaced it.
        Skadad = "skadad" / "Skadad databas, sparad före återläsning",
    }
}

/// One backup file.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackupInfo {
    /// The file's name in the backups folder.
    pub file_name: String,
    /// When it was made.
    pub taken_at: Timestamp,
    /// Why.
    pub reason: BackupReason,
    /// Its size in bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

/// The backups folder of the database at `db`: `<name>-säkerhetskopior` beside it.
pub fn folder(db: &Path) -> PathBuf {
    let stem = stem(db);
    db.with_file_name(format!("{stem}-säkerhetskopior"))
}

pub(crate) fn stem(db: &Path) -> String {
    db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "databas".into())
}

pub(crate) const STAMP: &str = "%Y-%m-%d-%H%M%S%.3f";

pub(crate) fn file_name(db: &Path, at: Timestamp, reason: BackupReason) -> String {
    format!("{}-{}-{}.db", stem(db), at.0.format(STAMP), reason.key())
}

/// Reads a backup's time and reason from its name; `None` for any other file.
fn parse_name(db: &Path, name: &str) -> Option<(Timestamp, BackupReason)> {
    let rest = name.strip_prefix(&format!("{}-", stem(db)))?.strip_suffix(".db")?;
    let (stamp, reason) = rest.rsplit_once('-')?;
    let reason = BackupReason::ALL.iter().copied().find(|r| r.key() == reason)?;
    // A second copy in the same millisecond gets a "-2" before the reason.
    let stamp = match stamp.rsplit_once('-') {
        Some((s, n)) if n.len() < 3 && n.chars().all(|c| c.is_ascii_digit()) && s.len() >= 21 => s,
        _ => stamp,
    };
    let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?;
    Some((Timestamp(DateTime::from_naive_utc_and_offset(at, Utc)), reason))
}

/// The backups of the database at `db`, newest first.
pub fn list(db: &Path) -> Result<Vec<BackupInfo>> {
    let dir = folder(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(&dir, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(&dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((taken_at, reason)) = parse_name(db, &name) else { continue };
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.push(BackupInfo { file_name: name, taken_at, reason, bytes });
    }
    out.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then_with(|| b.file_name.cmp(&a.file_name)));
    Ok(out)
}

/// The suffix of a backup re-encrypted under a new passphrase, waiting to replace it.
pub(crate) const STAGED: &str = ".ny-nyckel";

/// A file operation on a backup (or the database being copied) that failed.
pub(crate) fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Backup(format!("{}: {e}", path.display()))
}

/// The WAL, shared-memory index and journal beside `db`.
pub(crate) fn sides(db: &Path) -> [PathBuf; 3] {
    ["-wal", "-shm", "-journal"].map(|side| crate::files::sibling(db, side))
}
