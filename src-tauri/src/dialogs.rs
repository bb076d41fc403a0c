//! Native dialogs opened for commands. GTK wants its dialogs on the main thread, and commands
//! run on a worker thread: the dialog is run there and its answer sent back.

use crate::error::IpcError;
use std::path::PathBuf;
use std::sync::OnceLock;
use tauri::AppHandle;

/// The app, set once at start, so that a command can reach the main thread.
pub static APP: OnceLock<AppHandle> = OnceLock::new();

/// Asks where to save a PDF; `None` when the user cancels.
pub fn save_pdf(suggested: &str) -> Result<Option<PathBuf>, IpcError> {
    if let Some(p) = scripted("RISKVERKSTAD_DIALOG_SAVE") {
        return Ok(Some(p));
    }
    let name = suggested.to_string();
    on_main(move || {
        rfd::FileDialog::new().set_title("Spara som PDF").add_filter("PDF", &["pdf"]).set_file_name(&name).save_file()
    })
}

/// For test automation only: WebDriver cannot reach a native dialog, so when
/// `RISKVERKSTAD_DIALOG_SAVE` / `RISKVERKSTAD_DIALOG_OPEN` name a file, the dialog answers
/// with it instead of opening.
fn scripted(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Asks where to save a bundle; `None` when the user cancels.
pub fn save_bundle(suggested: &str) -> Result<Option<PathBuf>, IpcError> {
    if let Some(p) = scripted("RISKVERKSTAD_DIALOG_SAVE") {
        return Ok(Some(p));
    }
    let name = suggested.to_string();
    on_main(move || {
        rfd::FileDialog::new()
            .set_title("Spara paket")
            .add_filter("Riskverkstad-paket", &["rvb"])
            .set_file_name(&name)
            .save_file()
    })
}

/// Asks for a bundle to open; `None` when the user cancels.
pub fn open_bundle() -> Result<Option<PathBuf>, IpcError> {
    if let Some(p) = scripted("RISKVERKSTAD_DIALOG_OPEN") {
        return Ok(Some(p));
    }
    on_main(|| {
        rfd::FileDialog::new().set_title("Läs in paket").add_filter("Riskverkstad-paket", &["rvb", "age"]).pick_file()
    })
}

/// Asks for a system register file (xlsx, ods, csv); `None` when the user cancels.
pub fn open_register() -> Result<Option<PathBuf>, IpcError> {
    if let Some(p) = scripted("RISKVERKSTAD_DIALOG_OPEN") {
        return Ok(Some(p));
    }
    on_main(|| {
        rfd::FileDialog::new()
            .set_title("Importera systemförteckning")
            .add_filter("Kalkylblad", &["xlsx", "ods", "csv", "txt"])
            .pick_file()
    })
}

/// Asks where to save the register as Excel (or csv); `None` when the user cancels.
pub fn save_register(suggested: &str) -> Result<Option<PathBuf>, IpcError> {
    if let Some(p) = scripted("RISKVERKSTAD_DIALOG_SAVE") {
        return Ok(Some(p));
    }
    let name = suggested.to_string();
    on_main(move || {
        rfd::FileDialog::new()
            .set_title("Exportera till Excel")
            .add_filter("Excel", &["xlsx"])
            .add_filter("CSV (semikolon)", &["csv"])
            .set_file_name(&name)
            .save_file()
    })
}

fn on_main(f: impl FnOnce() -> Option<PathBuf> + Send + 'static) -> Result<Option<PathBuf>, IpcError> {
    let app = APP.get().ok_or_else(|| IpcError::new("internal", "Programmet har inte startat färdigt."))?;
    let (tx, rx) = std::sync::mpsc::channel();
    app.run_on_main_thread(move || {
        let _ = tx.send(f());
    })
    .map_err(|e| IpcError::new("dialog", format!("Dialogen kunde inte öppnas: {e}")))?;
    rx.recv().map_err(|_| IpcError::new("dialog", "Dialogen stängdes utan svar."))
}
