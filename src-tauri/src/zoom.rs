//! The page zoom (`Ctrl` and `+`, `-` or `0`, or `Ctrl` and the mouse wheel), kept between
//! starts: a window zoomed for a projector or for weak eyes opens as it was left. The level
//! belongs to the computer, not to the organisation's records, so it is kept in the data
//! folder (`fonster.json`), not in a database, and no bundle carries it.

use crate::error::IpcError;
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tauri::Manager;

/// One step of the zoom keys, in percent of the normal size (as Tauri's own zoom keys).
pub const STEP: u16 = 20;
/// The smallest level.
pub const MIN: u16 = 40;
/// The largest level: 300 % of a 1280-pixel window leaves a page 427 CSS pixels wide.
pub const MAX: u16 = 300;
/// The normal size.
pub const NORMAL: u16 = 100;

/// What a zoom key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ZoomChange {
    /// A step larger (`Ctrl` and `+`).
    In,
    /// A step smaller (`Ctrl` and `-`).
    Out,
    /// Back to 100 % (`Ctrl` and `0`).
    Reset,
}

/// The level after `change`, within [`MIN`]..=[`MAX`].
pub fn next(level: u16, change: ZoomChange) -> u16 {
    match change {
        ZoomChange::In => level.saturating_add(STEP).min(MAX),
        ZoomChange::Out => level.saturating_sub(STEP).max(MIN),
        ZoomChange::Reset => NORMAL,
    }
}

/// What the window keeps between starts.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    zoom_percent: u16,
}

/// The file the level is kept in.
pub fn file(dir: &Path) -> PathBuf {
    dir.join("fonster.json")
}

/// The level kept in `dir`: 100 % when none is kept; a file that cannot be read, or a level
/// outside the range, is logged and gives 100 % (the window still opens).
pub fn load(dir: &Path) -> u16 {
    let path = file(dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return NORMAL,
        Err(e) => {
            eprintln!("riskverkstad: {} kunde inte läsas ({e}); zoomen är 100 %", path.display());
            return NORMAL;
        }
    };
    match serde_json::from_str::<Saved>(&text) {
        Ok(s) if (MIN..=MAX).contains(&s.zoom_percent) => s.zoom_percent,
        Ok(s) => {
            eprintln!(
                "riskverkstad: {} anger zoomen {} %, utanför {MIN}–{MAX} %; zoomen är 100 %",
                path.display(),
                s.zoom_percent
            );
            NORMAL
        }
        Err(e) => {
            eprintln!("riskverkstad: {} kunde inte tolkas ({e}); zoomen är 100 %", path.display());
            NORMAL
        }
    }
}

/// Keeps `level` in `dir` (written atomically, owner-only, as everything the product writes).
pub fn save(dir: &Path, level: u16) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("Mappen {} kunde inte skapas: {e}", dir.display()))?;
    let text = format!("{{\"zoom_percent\":{level}}}");
    riskverkstad_core::files::write_atomic(&file(dir), text.as_bytes()).map_err(|e| e.to_string())
}

/// Sets the page's zoom to `level` percent.
pub fn show(webview: &tauri::Webview, level: u16) -> Result<(), IpcError> {
    webview
        .set_zoom(f64::from(level) / 100.0)
        .map_err(|e| IpcError::new("zoom_failed", format!("Fönstret kunde inte zoomas: {e}")))
}

/// What a zoom key did.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Zoomed {
    /// The level now, in percent.
    pub percent: u16,
    /// Why the level could not be kept for the next start, when it could not (the window is
    /// zoomed all the same).
    pub not_kept: Option<String>,
}

/// Zooms the main window as `change` asks and keeps the level for the next start. One change
/// at a time: two quick presses give two steps.
pub fn change(state: &AppState, change: ZoomChange) -> Result<Zoomed, IpcError> {
    let mut level = state.zoom.lock().map_err(|_| IpcError::new("internal", "Zoomen kunde inte läsas."))?;
    let new = next(*level, change);
    let app =
        crate::dialogs::APP.get().ok_or_else(|| IpcError::new("internal", "Programmet har inte startat färdigt."))?;
    let window =
        app.get_webview_window("main").ok_or_else(|| IpcError::new("internal", "Programmets fönster saknas."))?;
    show(window.as_ref(), new)?;
    *level = new;
    let not_kept = save(&crate::state::data_dir(), new).err();
    if let Some(why) = &not_kept {
        eprintln!("riskverkstad: zoomen kunde inte sparas till nästa start: {why}");
    }
    Ok(Zoomed { percent: new, not_kept })
}

/// Sets the kept level again once a page has loaded: a webview may reset its zoom when it
/// navigates or reloads (WebView2 does), and the level would then no longer be the one the
/// next key steps from.
pub fn on_page_load(webview: &tauri::Webview, payload: &tauri::webview::PageLoadPayload<'_>) {
    if payload.event() != tauri::webview::PageLoadEvent::Finished {
        return;
    }
    let level = webview.state::<AppState>().zoom.lock().map(|l| *l).unwrap_or(NORMAL);
    if let Err(e) = show(webview, level) {
        eprintln!("riskverkstad: {}", e.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_step_by_twenty_percent_within_the_range_and_zero_goes_back_to_normal() {
        let mut level = NORMAL;
        for _ in 0..5 {
            level = next(level, ZoomChange::In);
        }
        assert_eq!(level, 200);
        for _ in 0..20 {
            level = next(level, ZoomChange::In);
        }
        assert_eq!(level, MAX);
        for _ in 0..20 {
            level = next(level, ZoomChange::Out);
        }
        assert_eq!(level, MIN);
        assert_eq!(next(level, ZoomChange::Reset), NORMAL);
    }

    #[test]
    fn the_level_is_kept_between_starts_and_a_bad_file_gives_normal_size() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), NORMAL, "nothing kept yet");
        save(dir.path(), 160).unwrap();
        assert_eq!(load(dir.path()), 160);
        save(dir.path(), 80).unwrap();
        assert_eq!(load(dir.path()), 80, "the later level replaces the earlier");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["fonster.json"], "nothing left beside it");
        std::fs::write(file(dir.path()), "{\"zoom_percent\": 5000}").unwrap();
        assert_eq!(load(dir.path()), NORMAL, "out of range");
        std::fs::write(file(dir.path()), "inte json").unwrap();
        assert_eq!(load(dir.path()), NORMAL, "unreadable");
    }
}
