//! Opening a database file, as both shells do it: the file's kind decides whether a
//! passphrase is needed; a file that does not open as it is (damaged) comes back with the
//! newest backup that verifies, to offer; a database that opens gets the day's backup.

use crate::backup::{self, BackupCheck, BackupInfo};
use crate::error::{Error, Result};
use crate::ids::Timestamp;
use crate::store::{FileKind, Passphrase, Read as _, Store, file_kind};
use std::path::{Path, PathBuf};

/// What the database is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Everyday work: the day's first open makes a backup.
    Work,
    /// Work on the file itself (a backup, a restore, a passphrase change), which makes its
    /// own copies: no daily backup first.
    Maintenance,
    /// A window's first view: the database is shown first; SQLite's quick check of the whole
    /// file and the day's backup, whose time grows with the file, follow in
    /// [`after_first_view`].
    FirstView,
    /// The full check (`Store::check`), which reads the whole file itself: no quick check
    /// first, no daily backup.
    FullCheck,
}

/// What [`after_first_view`] found.
// Made once per open and taken apart at once: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Settled {
    /// The file passed the quick check.
    Sound {
        /// The day's backup, as in [`Opened::Open`].
        daily_backup: Result<Option<BackupInfo>>,
    },
    /// It did not: close it and offer the backup, as for a file that does not open.
    Damaged {
        /// What the check said.
        error: Error,
        /// The newest backup that verifies with the database's key, if any.
        backup: Option<BackupCheck>,
    },
}

/// What follows a [`Purpose::FirstView`] open of `path` once the view is up, on a connection of
/// its own (the shown one stays free for the view): the quick check of the whole file, then
/// the day's backup.
pub fn after_first_view(path: &Path, passphrase: Option<Passphrase>, now: Timestamp) -> Settled {
    match Store::unlock(path, passphrase.clone()) {
        Ok(store) => Settled::Sound { daily_backup: backup::daily(&store, now) },
        Err(error @ (Error::Corrupt { .. } | Error::NotADatabase { .. })) => {
            let backup = backup::newest_sound(path, passphrase.as_ref()).ok().flatten();
            Settled::Damaged { error, backup }
        }
        Err(e) => Settled::Sound { daily_backup: Err(e) },
    }
}

/// What opening a file gave.
// Made once per open and taken apart at once: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Opened {
    /// The database is open.
    Open {
        /// The store.
        store: Store,
        /// The day's backup: made, already made today (`Ok(None)`), or why it could not be
        /// made (not a reason to refuse to open; say so).
        daily_backup: Result<Option<BackupInfo>>,
    },
    /// The file is encrypted and no passphrase was given.
    NeedsPassphrase {
        /// The file.
        path: PathBuf,
    },
    /// The file does not open as it is (damaged, or not a database).
    Damaged {
        /// The file.
        path: PathBuf,
        /// What opening it said.
        error: Error,
        /// The newest backup that verifies with the passphrase given, if any: what to offer.
        backup: Option<BackupCheck>,
        /// The passphrase it was tried with (to open the backups with).
        passphrase: Option<Passphrase>,
    },
}

impl std::fmt::Debug for Opened {
    /// Names the outcome and the file; never the passphrase.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Opened::Open { store, .. } => write!(f, "Open({:?})", store.path()),
            Opened::NeedsPassphrase { path } => write!(f, "NeedsPassphrase({})", path.display()),
            Opened::Damaged { path, error, backup, .. } => {
                write!(f, "Damaged({}, {error}, backup: {:?})", path.display(), backup.as_ref().map(|b| &b.backup))
            }
        }
    }
}

/// Opens the existing database at `path` with `passphrase` (needed when it is encrypted,
/// ignored when it is not). A wrong passphrase is an error ([`Error::WrongPassphrase`], nothing
/// written); a missing file is an error, not a new database.
pub fn open(path: &Path, passphrase: Option<Passphrase>, purpose: Purpose, now: Timestamp) -> Result<Opened> {
    let kind = file_kind(path).map_err(|e| Error::Open { path: path.to_path_buf(), detail: e.to_string() })?;
    let passphrase = match kind {
        FileKind::New => return Err(Error::Open { path: path.to_path_buf(), detail: "filen finns inte".into() }),
        FileKind::Encrypted if passphrase.is_none() => return Ok(Opened::NeedsPassphrase { path: path.to_path_buf() }),
        FileKind::Encrypted => passphrase,
        FileKind::Plain | FileKind::NotADatabase => None,
    };
    let unlocked = match purpose {
        Purpose::FirstView | Purpose::FullCheck => Store::unlock_unchecked(path, passphrase.clone()),
        Purpose::Work | Purpose::Maintenance => Store::unlock(path, passphrase.clone()),
    };
    match unlocked {
        Ok(store) => Ok(opened(store, purpose, now)),
        Err(error @ (Error::Corrupt { .. } | Error::NotADatabase { .. })) => {
            let backup = backup::newest_sound(path, passphrase.as_ref()).ok().flatten();
            Ok(Opened::Damaged { path: path.to_path_buf(), error, backup, passphrase })
        }
        Err(e) => Err(e),
    }
}

/// Creates a new database at `path`, encrypted with `passphrase` (checked as a new one). An
/// existing file is never replaced: its backups and key file would be mixed up with the new
/// database's.
pub fn create(path: &Path, passphrase: Passphrase, now: Timestamp) -> Result<Opened> {
    passphrase.check_new()?;
    if path.exists() {
        return Err(Error::Exists { path: path.to_path_buf() });
    }
    Ok(opened(Store::create(path, Some(passphrase))?, Purpose::Work, now))
}

/// Opens the demo database at `path` (plain), building the demo municipality when the file
/// is new or holds no system, so that a newcomer sees a living example. A demo someone has
/// encrypted opens as any encrypted file.
pub fn open_demo(path: &Path, purpose: Purpose, now: Timestamp) -> Result<Opened> {
    if file_kind(path).is_ok_and(|k| k != FileKind::New) {
        return match open(path, None, purpose, now)? {
            Opened::Open { mut store, daily_backup } => {
                build_demo_if_empty(&mut store)?;
                Ok(Opened::Open { store, daily_backup })
            }
            other => Ok(other),
        };
    }
    let mut store = Store::open(path)?;
    build_demo_if_empty(&mut store)?;
    Ok(opened(store, purpose, now))
}

fn build_demo_if_empty(store: &mut Store) -> Result<()> {
    if store.count::<crate::model::System>()? == 0 {
        crate::demo::build(store, &crate::demo::DemoConfig::default())?;
    }
    Ok(())
}

fn opened(store: Store, purpose: Purpose, now: Timestamp) -> Opened {
    let daily_backup = match purpose {
        Purpose::Work => backup::daily(&store, now),
        Purpose::Maintenance | Purpose::FirstView | Purpose::FullCheck => Ok(None),
    };
    Opened::Open { store, daily_backup }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "korp vattenkanna blyerts sjuttio";

    #[test]
    fn an_encrypted_file_needs_its_passphrase_and_a_wrong_one_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let Opened::Open { store, daily_backup } = create(&db, Passphrase::new(KEY.into()), Timestamp::now()).unwrap()
        else {
            panic!("created")
        };
        assert!(daily_backup.unwrap().is_some(), "the first open of the day makes a backup");
        store.close().unwrap();
        assert!(matches!(open(&db, None, Purpose::Work, Timestamp::now()).unwrap(), Opened::NeedsPassphrase { .. }));
        let before = std::fs::read(&db).unwrap();
        let wrong = open(&db, Some(Passphrase::new("fel fel fel fel fel".into())), Purpose::Work, Timestamp::now());
        assert_eq!(wrong.unwrap_err().code(), "wrong_passphrase");
        assert_eq!(std::fs::read(&db).unwrap(), before);
        let Opened::Open { daily_backup, .. } =
            open(&db, Some(Passphrase::new(KEY.into())), Purpose::Work, Timestamp::now()).unwrap()
        else {
            panic!("opens")
        };
        assert!(daily_backup.unwrap().is_none(), "one daily backup a day");
        assert_eq!(create(&db, Passphrase::new(KEY.into()), Timestamp::now()).unwrap_err().code(), "exists");
    }

    #[test]
    fn a_damaged_file_comes_back_with_the_newest_backup_that_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        let mut store = Store::create(&db, None).unwrap();
        crate::demo::build(&mut store, &crate::demo::DemoConfig { systems: 5, seed: 1, ..Default::default() }).unwrap();
        backup::create(&store, backup::BackupReason::Manuell, Timestamp::now()).unwrap();
        store.close().unwrap();
        let mut bytes = std::fs::read(&db).unwrap();
        for b in bytes.iter_mut().skip(100).take(4000) {
            *b = 0x5a;
        }
        std::fs::write(&db, &bytes).unwrap();
        match open(&db, None, Purpose::Work, Timestamp::now()).unwrap() {
            Opened::Damaged { backup: Some(b), .. } => assert!(b.ok && b.systems == 5),
            other => panic!("expected a damaged file with a backup, got {other:?}"),
        }
    }

    #[test]
    fn a_first_view_shows_the_file_and_checks_it_after_finding_damage_the_open_did_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        let mut store = Store::create(&db, None).unwrap();
        crate::demo::build(&mut store, &crate::demo::DemoConfig { systems: 40, seed: 1, ..Default::default() })
            .unwrap();
        let pages: i64 = store.conn().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
        backup::create(&store, backup::BackupReason::Manuell, Timestamp::now()).unwrap();
        store.close().unwrap();
        let before = backup::list(&db).unwrap().len();

        // A sound file: opened without the check or a backup, both made after the view.
        let Opened::Open { store, daily_backup } = open(&db, None, Purpose::FirstView, Timestamp::now()).unwrap()
        else {
            panic!("opens")
        };
        assert!(daily_backup.unwrap().is_none(), "no backup before the first view");
        assert_eq!(backup::list(&db).unwrap().len(), before);
        let tomorrow = Timestamp(Timestamp::now().0 + chrono::Duration::days(1));
        match after_first_view(&db, None, tomorrow) {
            Settled::Sound { daily_backup } => assert!(daily_backup.unwrap().is_some(), "the day's backup"),
            Settled::Damaged { error, .. } => panic!("sound file found damaged: {error}"),
        }
        store.close().unwrap();

        // Damage in the file's last pages (a table's leaves), which opening does not read.
        let mut bytes = std::fs::read(&db).unwrap();
        let page = bytes.len() / pages as usize;
        let from = bytes.len() - 3 * page;
        for b in bytes.iter_mut().skip(from).take(2 * page) {
            *b = 0x5a;
        }
        std::fs::write(&db, &bytes).unwrap();
        let Opened::Open { store: _shown, .. } = open(&db, None, Purpose::FirstView, Timestamp::now()).unwrap() else {
            panic!("the first view opens without reading the damaged pages")
        };
        match after_first_view(&db, None, Timestamp::now()) {
            Settled::Damaged { error, backup: Some(b) } => {
                assert_eq!(error.code(), "corrupt", "{error}");
                assert!(b.ok && b.systems == 40);
            }
            Settled::Damaged { backup: None, .. } => panic!("the sound backups are offered"),
            Settled::Sound { .. } => panic!("the quick check after the view finds the damage"),
        }
        assert!(matches!(open(&db, None, Purpose::Work, Timestamp::now()).unwrap(), Opened::Damaged { .. }));
    }
}
