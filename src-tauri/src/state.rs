//! The open database, held in Tauri state, and where it lives on disk.

use crate::error::IpcError;
use riskverkstad_core::exchange::ImportProgress;
use riskverkstad_core::register::Register;
use riskverkstad_core::store::{Read as _, Store};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
}

impl Session {
    pub fn new(store: Store, is_demo: bool) -> Session {
        Session { store, is_demo, register: None, generation: 1, pending_bundle: None, pending_register: None }
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

/// The app's state: at most one open database.
#[derive(Default)]
pub struct AppState {
    pub session: Mutex<Option<Session>>,
    /// How far a running bundle import (or its preview) has come; read without the session
    /// lock, which the import holds.
    pub progress: Mutex<Option<ImportProgress>>,
}

impl AppState {
    /// Runs `f` with the open session.
    pub fn with<T>(&self, f: impl FnOnce(&mut Session) -> Result<T, IpcError>) -> Result<T, IpcError> {
        let mut guard = self
            .session
            .lock()
            .map_err(|_| IpcError::new("internal", "Programmet är i ett felaktigt läge; starta om Riskverkstad."))?;
        let session = guard
            .as_mut()
            .ok_or_else(|| IpcError::new("no_database", "Ingen databas är öppen. Välj Arkiv → Öppna databas."))?;
        f(session)
    }

    /// Runs a write `f` and drops the caches afterwards.
    pub fn write<T>(&self, f: impl FnOnce(&mut Session) -> Result<T, IpcError>) -> Result<T, IpcError> {
        self.with(|s| {
            let out = f(s);
            s.changed();
            out
        })
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

    pub fn replace(&self, session: Session) {
        if let Ok(mut guard) = self.session.lock() {
            *guard = Some(session);
        }
    }
}

/// Where the app keeps its files: `RISKVERKSTAD_DATA_DIR`, else the platform data folder.
pub fn data_dir() -> PathBuf {
    std::env::var_os("RISKVERKSTAD_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("riskverkstad")))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The database to open at start: `RISKVERKSTAD_DB` if set, else the demo database in the
/// data folder, built on first start so that a newcomer sees a living example.
pub fn open_at_start() -> Result<Session, IpcError> {
    if let Some(path) = std::env::var_os("RISKVERKSTAD_DB") {
        return Ok(Session::new(Store::open(Path::new(&path))?, false));
    }
    let path = data_dir().join("demo.db");
    open_demo(&path)
}

/// How a chosen file is opened.
pub enum OpenMode {
    /// Create it if it does not exist (Ny databas).
    Create,
    /// It must exist (Öppna databas).
    Existing,
}

/// Opens the user's own database file, chosen in a native dialog.
pub fn open_file(path: &Path, mode: OpenMode) -> Result<Session, IpcError> {
    let store = match mode {
        OpenMode::Create => Store::open(path)?,
        OpenMode::Existing => Store::open_existing(path)?,
    };
    Ok(Session::new(store, false))
}

/// Opens the demo database at `path`, building the demo municipality if the file is new.
pub fn open_demo(path: &Path) -> Result<Session, IpcError> {
    let mut store = Store::open(path)?;
    if store.count::<riskverkstad_core::model::System>()? == 0 {
        riskverkstad_core::demo::build(&mut store, &riskverkstad_core::demo::DemoConfig::default())?;
    }
    Ok(Session::new(store, true))
}
