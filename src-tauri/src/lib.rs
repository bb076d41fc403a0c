//! The Riskverkstad desktop app: builder, state, menu and the IPC boundary. Every command
//! delegates to `riskverkstad-core` (see `commands.rs`); nothing here knows the domain.

pub mod bindings;
mod commands;
mod error;
mod state;

use state::{AppState, OpenMode};
use tauri::menu::{MenuBuilder, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder};
use tauri::{Emitter, Manager};

/// Starts the app.
pub fn run() {
    let result = tauri::Builder::default()
        .manage(AppState::default())
        .setup(|app| {
            let state = app.state::<AppState>();
            match state::open_at_start() {
                Ok(session) => state.replace(session),
                Err(e) => eprintln!("riskverkstad: kunde inte öppna databasen: {} [{}]", e.message, e.code),
            }
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
        .on_menu_event(|app, event| {
            let picked = match event.id().as_ref() {
                "new_db" => rfd::FileDialog::new()
                    .set_title("Ny databas")
                    .add_filter("Riskverkstad-databas", &["db"])
                    .set_file_name("riskverkstad.db")
                    .save_file()
                    .map(|p| state::open_file(&p, OpenMode::Create)),
                "open_db" => rfd::FileDialog::new()
                    .set_title("Öppna databas")
                    .add_filter("Riskverkstad-databas", &["db"])
                    .pick_file()
                    .map(|p| state::open_file(&p, OpenMode::Existing)),
                "open_demo" => Some(state::open_demo(&state::data_dir().join("demo.db"))),
                _ => None,
            };
            match picked {
                Some(Ok(session)) => {
                    app.state::<AppState>().replace(session);
                    let _ = app.emit("database-changed", ());
                }
                Some(Err(e)) => {
                    rfd::MessageDialog::new()
                        .set_title("Databasen kunde inte öppnas")
                        .set_description(&e.message)
                        .set_level(rfd::MessageLevel::Error)
                        .show();
                }
                None => {}
            }
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("riskverkstad: programmet kunde inte starta: {e}");
        std::process::exit(1);
    }
}
