//! The open database, held in Tauri state, and where it lives on disk; or, when none is open,
//! the gate in front of one (its passphrase, a new passphrase, or a restore).

use crate::error::IpcError;
use riskverkstad_core::backup::BackupCheck;
use riskverkstad_core::exchange::ImportProgress;
use riskverkstad_core::ids::Timestamp;
use riskverkstad_core::register_list::Register;
use riskverkstad_core::store::{Passphrase, Store};
use riskverkstad_core::usecase::open::{self as opening, Purpose};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// An open database and what is cached from it.
pub struct Session {
    pub store: Store,
    pub is_demo: bool,
    register: Option<Register>,
    generation: u32,
    /// A bundle chosen for import, kept between showing its plan and applying it.
    pub pending_bundle: Option<Vec<u8>>,
    /// A register file chosen for import: its bytes and path, kept between the mapping, the
    /// dry run and the import.
    pub pending_register: Option<(Vec<u8>, std::path::PathBuf)>,
    /// Minutes without use before the app locks (encrypted databases only).
    pub idle_lock_minutes: u32,
}

impl Session {
    pub fn new(store: Store, is_demo: bool) -> Session {
        let idle_lock_minutes =
            store.idle_lock_minutes().unwrap_or(riskverkstad_core::store::DEFAULT_IDLE_LOCK_MINUTES);
        Session {
            store,
            is_demo,
            register: None,
            generation: 1,
            pending_bundle: None,
            pending_register: None,
            idle_lock_minutes,
        }
    }

    /// The register, loaded on first use after each change.
    pub fn register(&mut self) -> Result<&Register, IpcError> {
        if self.register.is_none() {
            self.register = Some(Register::load(&self.store)?);
        }
        Ok(self.register.as_ref().expect("just loaded"))
    }

    /// Drops what was cached; call after every write.
    pub fn changed(&mut self) {
        self.register = None;
        self.generation = self.generation.wrapping_add(1);
    }

    /// Changes with every write, so the UI can tell stale register positions.
    pub fn generation(&self) -> u32 {
        self.generation
    }
}

/// What stands in front of a database that is not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum GateKind {
    /// Encrypted: give its passphrase.
    Locked,
    /// A new database: choose its passphrase.
    New,
    /// It does not open (damaged): restore a backup.
    Damaged,
}

/// The gate shown instead of the app when no database is open.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Gate {
    /// Which gate.
    pub kind: GateKind,
    /// The database file.
    pub path: String,
    /// Why it is shown, in Swedish.
    pub message: String,
    /// For a damaged database: the newest backup that verifies, if any.
    pub backup: Option<BackupCheck>,
    /// For a damaged database: whether it is encrypted (another passphrase may be tried).
    pub encrypted: bool,
}

/// The app's state: at most one open database, or a gate.
pub struct AppState {
    pub session: Mutex<Option<Session>>,
    /// How far a running bundle import (or its preview) has come; read without the session
    /// lock, which the import holds.
    pub progress: Mutex<Option<ImportProgress>>,
    /// The gate, and the passphrase a damaged database was unlocked with (to open its backups).
    pub gate: Mutex<Option<(Gate, Option<Passphrase>)>>,
    /// When the person last did something.
    pub activity: Mutex<Instant>,
    /// What is being opened while the window already shows ("Öppnar databasen …").
    pub opening: Mutex<Option<String>>,
    /// How many opens have started ([`AppState::next_open`]).
    pub opens: std::sync::atomic::AtomicU64,
    /// The page zoom in percent ([`crate::zoom`]).
    pub zoom: Mutex<u16>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            session: Mutex::new(None),
            progress: Mutex::new(None),
            gate: Mutex::new(None),
            activity: Mutex::new(Instant::now()),
            opening: Mutex::new(None),
            opens: std::sync::atomic::AtomicU64::new(0),
            zoom: Mutex::new(crate::zoom::NORMAL),
        }
    }
}

fn poisoned() -> IpcError {
    IpcError::new("internal", "Programmet är i ett felaktigt läge; starta om Riskverkstad.")
}

/// Whether a session idle since `last` should lock at `now`. Only an encrypted database
/// locks (a plain one has no key to drop).
pub fn should_lock(last: Instant, now: Instant, idle: Duration, encrypted: bool) -> bool {
    encrypted && now.saturating_duration_since(last) >= idle
}

/// The idle time: the database's setting, or `RISKVERKSTAD_IDLE_LOCK_SECONDS` (for tests).
pub fn idle_limit(minutes: u32) -> Duration {
    std::env::var("RISKVERKSTAD_IDLE_LOCK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(u64::from(minutes) * 60))
}

impl AppState {
    /// Runs `f` with the open session.
    pub fn with<T>(&self, f: impl FnOnce(&mut Session) -> Result<T, IpcError>) -> Result<T, IpcError> {
        self.touch();
        let mut guard = self.session.lock().map_err(|_| poisoned())?;
        let session = guard.as_mut().ok_or_else(|| match (self.gate(), self.opening()) {
            (Some(g), _) => IpcError::new("locked", g.message),
            (None, Some(what)) => IpcError::new("opening", what),
            (None, None) => IpcError::new("no_database", "Ingen databas är öppen. Välj Arkiv → Öppna databas."),
        })?;
        let out = f(session);
        // A long command (an import) is activity until it ends.
        self.touch();
        out
    }

    /// Runs a write `f` and drops the caches afterwards.
    pub fn write<T>(&self, f: impl FnOnce(&mut Session) -> Result<T, IpcError>) -> Result<T, IpcError> {
        self.with(|s| {
            let out = f(s);
            s.changed();
            out
        })
    }

    /// Notes that the person did something (the idle lock counts from here).
    pub fn touch(&self) {
        if let Ok(mut a) = self.activity.lock() {
            *a = Instant::now();
        }
    }

    /// A progress receiver that publishes to [`AppState::progress`].
    pub fn publish_progress(&self, p: &ImportProgress) {
        if let Ok(mut g) = self.progress.lock() {
            *g = Some(p.clone());
        }
    }

    /// Clears the progress when the import or preview is over.
    pub fn clear_progress(&self) {
        if let Ok(mut g) = self.progress.lock() {
            *g = None;
        }
    }

    /// Opens `session`, and lifts any gate.
    pub fn replace(&self, session: Session) {
        if let Ok(mut guard) = self.session.lock() {
            *guard = Some(session);
        }
        if let Ok(mut g) = self.gate.lock() {
            *g = None;
        }
        self.touch();
    }

    /// Closes what is open (dropping its key) and shows `gate` instead.
    pub fn close_behind(&self, gate: Gate, passphrase: Option<Passphrase>) {
        if let Ok(mut guard) = self.session.lock() {
            *guard = None;
        }
        if let Ok(mut g) = self.gate.lock() {
            *g = Some((gate, passphrase));
        }
    }

    /// Shows what opening a file gave: the session (lifting any gate), or the gate in front
    /// of the file, which is returned.
    pub fn show(&self, opened: Opened) -> Option<Gate> {
        match opened {
            Opened::Session(session) => {
                self.replace(*session);
                None
            }
            Opened::Gate(gate, key) => {
                let shown = gate.clone();
                self.close_behind(gate, key);
                Some(shown)
            }
        }
    }

    /// What is being opened, if anything.
    pub fn opening(&self) -> Option<String> {
        self.opening.lock().ok().and_then(|o| o.clone())
    }

    /// Notes that a database is being opened (`what` says so), or that it is done (`None`).
    pub fn set_opening(&self, what: Option<&str>) {
        if let Ok(mut o) = self.opening.lock() {
            *o = what.map(str::to_string);
        }
    }

    /// What follows the first view of a database opened for it: the quick check of the whole
    /// file, then the day's backup, on a connection of their own while the view goes on. A
    /// file found damaged is closed behind the damaged gate, with its newest sound backup
    /// offered, unless another file was opened meanwhile; returns whether it was closed.
    pub fn settle(&self, now: riskverkstad_core::ids::Timestamp) -> bool {
        let open_now = self.session.lock().ok().and_then(|guard| {
            let store = &guard.as_ref()?.store;
            Some((store.path()?.to_path_buf(), store.passphrase().cloned()))
        });
        let Some((path, passphrase)) = open_now else { return false };
        match opening::after_first_view(&path, passphrase.clone(), now) {
            opening::Settled::Sound { daily_backup } => {
                if let Err(e) = daily_backup {
                    eprintln!("riskverkstad: dagens säkerhetskopia kunde inte göras [{}]", e.code());
                }
                false
            }
            opening::Settled::Damaged { error, backup } => {
                let still_shown = self
                    .session
                    .lock()
                    .ok()
                    .is_some_and(|guard| guard.as_ref().and_then(|s| s.store.path()) == Some(path.as_path()));
                if !still_shown {
                    return false;
                }
                let damaged = opening::Opened::Damaged { path, error, backup, passphrase };
                if let Opened::Gate(gate, key) = shown(damaged, false) {
                    self.close_behind(gate, key);
                }
                true
            }
        }
    }

    /// A new number for an open about to start: an open shows its result only while its
    /// number is still the newest, so a slow start-up open cannot replace a file opened from
    /// the menu meanwhile.
    pub fn next_open(&self) -> u64 {
        self.opens.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }

    /// Shows what the open numbered `number` gave, unless a newer open started since;
    /// returns whether it was shown.
    pub fn show_if_newest(&self, number: u64, opened: Opened) -> bool {
        if self.opens.load(std::sync::atomic::Ordering::SeqCst) != number {
            return false;
        }
        self.show(opened);
        true
    }

    /// The gate waiting for the person (of `kind`, if given), or `missing` as an error.
    pub fn waiting(&self, kind: Option<GateKind>, missing: &str) -> Result<Gate, IpcError> {
        self.gate().filter(|g| kind.is_none_or(|k| g.kind == k)).ok_or_else(|| IpcError::new("no_gate", missing))
    }

    /// The gate shown, if no database is open.
    pub fn gate(&self) -> Option<Gate> {
        self.gate.lock().ok().and_then(|g| g.as_ref().map(|(g, _)| g.clone()))
    }

    /// Takes the open session out (to replace its store), or explains why there is none.
    pub fn take(&self) -> Result<Session, IpcError> {
        self.session
            .lock()
            .map_err(|_| poisoned())?
            .take()
            .ok_or_else(|| IpcError::new("no_database", "Ingen databas är öppen."))
    }

    /// Locks an open encrypted database: closes it, drops its key and shows the unlock gate.
    /// Returns whether it locked. `why` is what the gate says.
    pub fn lock(&self, why: &str) -> bool {
        let Ok(mut guard) = self.session.lock() else { return false };
        self.lock_held(&mut guard, why)
    }

    /// Locks with the session lock held: the gate is set before the session goes, so that a
    /// command in between sees "locked", never "no database".
    fn lock_held(&self, guard: &mut Option<Session>, why: &str) -> bool {
        let Some(session) = guard.as_ref() else { return false };
        if !session.store.is_encrypted() {
            return false;
        }
        let path = session.store.path().map(|p| p.display().to_string()).unwrap_or_default();
        if let Ok(mut g) = self.gate.lock() {
            *g = Some((
                Gate { kind: GateKind::Locked, path, message: why.to_string(), backup: None, encrypted: false },
                None,
            ));
        }
        *guard = None;
        true
    }

    /// Locks when the open database has been idle too long; returns whether it locked. The
    /// activity time is read with the session lock held (a command holds it while it runs).
    pub fn lock_if_idle(&self, now: Instant) -> bool {
        let Ok(mut guard) = self.session.lock() else { return false };
        let last = self.activity.lock().map(|a| *a).unwrap_or(now);
        let now = now.max(Instant::now());
        let due = guard
            .as_ref()
            .is_some_and(|s| should_lock(last, now, idle_limit(s.idle_lock_minutes), s.store.is_encrypted()));
        due && self.lock_held(&mut guard, "Låst efter en tid utan aktivitet. Ange lösenfrasen för att fortsätta.")
    }
}

/// Where the app keeps its files: `RISKVERKSTAD_DATA_DIR`, else the platform data folder.
pub fn data_dir() -> PathBuf {
    std::env::var_os("RISKVERKSTAD_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("riskverkstad")))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// What opening a file gave: a session, or a gate in front of it.
pub enum Opened {
    Session(Box<Session>),
    Gate(Gate, Option<Passphrase>),
}

/// The database to open at start: `RISKVERKSTAD_DB` if set (a new, encrypted one if the
/// file does not exist), else the demo database in the data folder, built on first start so
/// that a newcomer sees a living example.
pub fn open_at_start() -> Result<Opened, IpcError> {
    if let Some(path) = std::env::var_os("RISKVERKSTAD_DB") {
        // A file that does not exist yet becomes a new, encrypted database.
        let mode = if Path::new(&path).exists() { OpenMode::Existing } else { OpenMode::Create };
        return open_file(Path::new(&path), mode);
    }
    open_demo(&data_dir().join("demo.db"))
}

/// How a chosen file is opened.
pub enum OpenMode {
    /// A new file (Ny databas): a passphrase is chosen first.
    Create,
    /// It must exist (Öppna databas).
    Existing,
}

/// What the core's opening gave, as the app shows it: a session, or the gate in front of the
/// file (its passphrase, or a restore of a damaged file).
pub fn shown(opened: opening::Opened, is_demo: bool) -> Opened {
    match opened {
        opening::Opened::Open { store, daily_backup } => {
            // Failing to make the day's backup is not a reason to refuse to open.
            if let Err(e) = daily_backup {
                eprintln!("riskverkstad: dagens säkerhetskopia kunde inte göras [{}]", e.code());
            }
            Opened::Session(Box::new(Session::new(store, is_demo)))
        }
        opening::Opened::NeedsPassphrase { path } => {
            let shown = path.display().to_string();
            let message = format!("Databasen {shown} är krypterad. Ange lösenfrasen för att öppna den.");
            Opened::Gate(Gate { kind: GateKind::Locked, path: shown, message, backup: None, encrypted: false }, None)
        }
        opening::Opened::Damaged { path, error, backup, passphrase } => {
            let message = match &backup {
                Some(_) => format!("{error} Den senaste säkerhetskopian som klarar kontrollen kan läsas tillbaka."),
                None => format!("{error} Det finns ingen säkerhetskopia som klarar kontrollen."),
            };
            let encrypted = passphrase.is_some();
            let gate = Gate { kind: GateKind::Damaged, path: path.display().to_string(), message, backup, encrypted };
            Opened::Gate(gate, passphrase)
        }
    }
}

/// Opens the user's own database file, chosen in a native dialog: a plain one at once, an
/// encrypted one behind the unlock gate, a new one behind the choose-a-passphrase gate.
pub fn open_file(path: &Path, mode: OpenMode) -> Result<Opened, IpcError> {
    if let OpenMode::Create = mode {
        let message = "Välj en lösenfras för den nya databasen. Den krypterar allt i filen och i säkerhetskopiorna; utan den går databasen inte att öppna.".to_string();
        let gate =
            Gate { kind: GateKind::New, path: path.display().to_string(), message, backup: None, encrypted: false };
        return Ok(Opened::Gate(gate, None));
    }
    Ok(shown(opening::open(path, None, Purpose::FirstView, Timestamp::now())?, false))
}

/// Opens the demo database at `path`, building the demo municipality if the file is new. A
/// demo someone has encrypted opens behind the unlock gate, like any encrypted file.
pub fn open_demo(path: &Path) -> Result<Opened, IpcError> {
    Ok(shown(opening::open_demo(path, Purpose::FirstView, Timestamp::now())?, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_encrypted_database_locks_and_only_after_the_idle_time() {
        let start = Instant::now();
        let idle = Duration::from_secs(15 * 60);
        assert!(!should_lock(start, start + Duration::from_secs(14 * 60), idle, true));
        assert!(should_lock(start, start + idle, idle, true));
        assert!(!should_lock(start, start + Duration::from_secs(3600), idle, false));
        // A clock that went backwards does not lock.
        assert!(!should_lock(start + idle, start, idle, true));
    }

    #[test]
    fn an_idle_encrypted_session_is_locked_and_its_store_closed() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let key = Passphrase::new("korp vattenkanna blyerts sjuttio".into());
        let store = Store::create(&db, Some(key.clone())).unwrap();
        let state = AppState::default();
        state.replace(Session::new(store, false));
        let now = Instant::now();
        assert!(!state.lock_if_idle(now), "just used");
        assert!(state.lock_if_idle(now + Duration::from_secs(15 * 60 + 1)));
        assert!(state.session.lock().unwrap().is_none(), "the store (and its key) is dropped");
        let gate = state.gate().unwrap();
        assert_eq!(gate.kind, GateKind::Locked);
        let e = state.with(|_| Ok(())).unwrap_err();
        assert_eq!(e.code, "locked");
        // A plain database never locks.
        let plain = Store::create(&dir.path().join("p.db"), None).unwrap();
        state.replace(Session::new(plain, true));
        assert!(!state.lock_if_idle(now + Duration::from_secs(24 * 3600)));
        assert!(!state.lock("Låst"));
    }
}
