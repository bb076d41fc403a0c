//! Native dialogs opened for commands. GTK wants its dialogs on the main thread, and commands
//! run on a worker thread: the dialog is run there and its answer sent back.

use crate::error::IpcError;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tauri::AppHandle;

/// The app, set once at start, so that a command can reach the main thread.
pub static APP: OnceLock<AppHandle> = OnceLock::new();

/// Asks where to save a PDF; `None` when the user cancels.
pub fn save_pdf(suggested: &str) -> Result<Option<PathBuf>, IpcError> {
    let app = APP.get().ok_or_else(|| IpcError::new("internal", "Programmet har inte startat färdigt."))?;
    let (tx, rx) = std::sync::mpsc::channel();
    let name = suggested.to_string();
    app.run_on_main_thread(move || {
        let picked = rfd::FileDialog::new()
            .set_title("Spara som PDF")
            .add_filter("PDF", &["pdf"])
            .set_file_name(&name)
            .save_file();
        let _ = tx.send(picked);
    })
    .map_err(|e| IpcError::new("dialog", format!("Dialogen kunde inte öppnas: {e}")))?;
    rx.recv().map_err(|_| IpcError::new("dialog", "Dialogen stängdes utan svar."))
}

/// Writes `bytes` beside `path` and renames, so that a reader never sees half a file.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), IpcError> {
    let tmp = path.with_extension("pdf.tmp");
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| IpcError::new("write", format!("Filen {} kunde inte sparas: {e}", path.display())))
}
