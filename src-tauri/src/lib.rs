//! The Riskverkstad desktop app: builder, state, menu and the IPC boundary. Every command
//! delegates to `riskverkstad-core` (see `commands.rs`); nothing here knows the domain.

pub mod bindings;
mod commands;
mod dialogs;
mod error;
mod state;
mod zoom;

use state::{AppState, OpenMode};
use tauri::menu::{MenuBuilder, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder};
use tauri::{Emitter, Manager};

/// What the menu asked to open.
enum Opening {
    File(OpenMode),
    Demo,
}

/// Shows what the open numbered `number` gave, unless a newer open started meanwhile (a file
/// picked from the menu while the start-up open still ran): the session or its gate, then what
/// follows the first view (a file found damaged there goes behind the damaged gate); or why
/// it did not open. The UI hears of each.
fn show_opened(app: &tauri::AppHandle, number: u64, opened: Result<state::Opened, error::IpcError>) {
    let state = app.state::<AppState>();
    match opened {
        Ok(opened) => {
            if state.show_if_newest(number, opened) {
                state.set_opening(None);
                let _ = app.emit("database-changed", ());
                if state.settle(riskverkstad_core::ids::Timestamp::now()) {
                    let _ = app.emit("database-changed", ());
                }
            }
        }
        // The message may name the file; nothing of its content is logged.
        Err(e) => {
            eprintln!("riskverkstad: en databas kunde inte öppnas [{}]", e.code);
            if state.opens.load(std::sync::atomic::Ordering::SeqCst) == number {
                state.set_opening(None);
                let _ = app.emit("open-failed", format!("Databasen kunde inte öppnas: {}", e.message));
            }
        }
    }
}

/// Starts the app.
pub fn run() {
    let result = tauri::Builder::default()
        .manage(AppState::default())
        .setup(|app| {
            let _ = dialogs::APP.set(app.handle().clone());
            // The zoom the window was left at.
            let level = zoom::load(&state::data_dir());
            if let Ok(mut kept) = app.state::<AppState>().zoom.lock() {
                *kept = level;
            }
            if level != zoom::NORMAL
                && let Some(window) = app.get_webview_window("main")
                && let Err(e) = zoom::show(window.as_ref(), level)
            {
                eprintln!("riskverkstad: {}", e.message);
            }
            // The window shows at once; the database opens beside it, and the quick check of
            // the whole file and the day's backup follow its first view.
            let starting = app.handle().clone();
            let state = app.state::<AppState>();
            state.set_opening(Some("Öppnar databasen …"));
            let number = state.next_open();
            std::thread::spawn(move || show_opened(&starting, number, state::open_at_start()));
            // The idle lock: an encrypted database left alone is closed and its key dropped.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                loop {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                    if handle.state::<AppState>().lock_if_idle(std::time::Instant::now()) {
                        let _ = handle.emit("locked", ());
                    }
                }
            });
            let file = SubmenuBuilder::new(app, "Arkiv")
                .item(&MenuItemBuilder::with_id("new_db", "Ny databas…").accelerator("CmdOrCtrl+Shift+N").build(app)?)
                .item(&MenuItemBuilder::with_id("open_db", "Öppna databas…").accelerator("CmdOrCtrl+O").build(app)?)
                .item(&MenuItemBuilder::with_id("open_demo", "Öppna demokommunen").build(app)?)
                .separator()
                .item(&PredefinedMenuItem::quit(app, Some("Avsluta"))?)
                .build()?;
            app.set_menu(MenuBuilder::new(app).item(&file).build()?)?;
            Ok(())
        })
        .on_page_load(zoom::on_page_load)
        .on_menu_event(|app, event| {
            // The dialog runs here; opening (a check of the whole file, perhaps building the
            // demo) runs on its own thread, with the UI told it is busy and then what happened.
            let picked: Option<(std::path::PathBuf, Opening)> = match event.id().as_ref() {
                "new_db" => rfd::FileDialog::new()
                    .set_title("Ny databas")
                    .add_filter("Riskverkstad-databas", &["db"])
                    .set_file_name("riskverkstad.db")
                    .save_file()
                    .map(|p| (p, Opening::File(OpenMode::Create))),
                "open_db" => rfd::FileDialog::new()
                    .set_title("Öppna databas")
                    .add_filter("Riskverkstad-databas", &["db"])
                    .pick_file()
                    .map(|p| (p, Opening::File(OpenMode::Existing))),
                "open_demo" => Some((state::data_dir().join("demo.db"), Opening::Demo)),
                _ => None,
            };
            let Some((path, how)) = picked else { return };
            let app = app.clone();
            let number = app.state::<AppState>().next_open();
            std::thread::spawn(move || {
                let busy = match how {
                    Opening::Demo if !path.exists() => "Bygger demokommunen …",
                    _ => "Öppnar databasen …",
                };
                let _ = app.emit("busy", busy);
                let opened = match how {
                    Opening::File(mode) => state::open_file(&path, mode),
                    Opening::Demo => state::open_demo(&path),
                };
                show_opened(&app, number, opened);
            });
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("riskverkstad: programmet kunde inte starta: {e}");
        std::process::exit(1);
    }
}
