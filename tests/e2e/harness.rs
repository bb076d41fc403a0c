//! The harness: the app built under test, tauri-driver in front of WebKitWebDriver, one app
//! per story with its own data folder, and the helpers stories share.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

/// Stories run one at a time: each owns the driver ports and a window.
pub static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn app_binary() -> PathBuf {
    // `RISKVERKSTAD_APP=target/release/riskverkstad-app` measures a release build.
    if let Some(p) = std::env::var_os("RISKVERKSTAD_APP") {
        return std::fs::canonicalize(&p)
            .unwrap_or_else(|e| panic!("RISKVERKSTAD_APP {}: {e}", PathBuf::from(&p).display()));
    }
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("riskverkstad-app");
    assert!(
        bin.is_file(),
        "{} is missing: build it with `cargo build -p riskverkstad-app` (the .ci/test script does)",
        bin.display()
    );
    bin
}

pub fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return p.into();
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo"));
    home.join("bin/tauri-driver")
}

/// A system page's tabs (their `tab-…` test ids), in order.
pub const SYSTEM_TABS: [&str; 11] = [
    "fakta",
    "roller",
    "beroenden",
    "information",
    "krav",
    "risker",
    "atgarder",
    "incidenter",
    "kontroller",
    "beslut",
    "historik",
];

/// Inställningar's tabs (their `settings-tab-…` test ids), in order.
pub const SETTINGS_TABS: [&str; 10] =
    ["organisation", "forvaltningar", "personer", "parter", "metod", "hot", "krav", "mottagare", "utbyte", "sakerhet"];

/// A running tauri-driver and a WebDriver session on the app; both end on drop.
pub struct App {
    driver: Option<WebDriver>,
    process: Child,
    _data: tempfile::TempDir,
}

impl App {
    pub async fn start(db: Option<&Path>) -> (App, Duration) {
        let (app, started) = App::launch(db).await;
        // Cold start: until the first view shows the organisation.
        app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
        (app, started.elapsed())
    }

    /// Starts the app without waiting for any view; returns when the session exists.
    pub async fn launch(db: Option<&Path>) -> (App, Instant) {
        App::launch_env(db, &[]).await
    }

    /// [`App::launch`] with more environment for the app (the scripted dialog answers).
    pub async fn launch_env(db: Option<&Path>, env: &[(&str, &Path)]) -> (App, Instant) {
        let data = tempfile::tempdir().unwrap();
        // tauri-driver can accept the connection before it can serve a session, or fail to get
        // one when WebKitWebDriver's port was taken in between (seen on CI machines: "error
        // sending request"): a session is asked for a few times, and then tauri-driver is
        // started again on new ports, up to three times.
        let mut launch = 0;
        let (process, driver, started) = loop {
            launch += 1;
            let (mut process, port) = spawn_driver(db, env, data.path()).await;
            let mut caps = Capabilities::new();
            caps.set("browserName", "wry").unwrap();
            caps.set("tauri:options", serde_json::json!({ "application": app_binary() })).unwrap();
            let started = Instant::now();
            let mut attempt = 0;
            let session = loop {
                attempt += 1;
                match WebDriver::new(format!("http://127.0.0.1:{port}"), caps.clone()).await {
                    Err(e) if attempt < 5 && e.to_string().contains("error sending request") => {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    other => break other,
                }
            };
            match session {
                Ok(d) => break (process, d, started),
                Err(e) => {
                    // No App owns the driver yet: end its process group before trying again.
                    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", process.id())]).status();
                    let _ = process.wait();
                    if launch >= 3 {
                        panic!("no WebDriver session after {launch} starts of tauri-driver: {e}");
                    }
                }
            }
        };
        (App { driver: Some(driver), process, _data: data }, started)
    }

    pub fn d(&self) -> &WebDriver {
        self.driver.as_ref().unwrap()
    }

    pub async fn el(&self, css: &str) -> WebElement {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(e) = self.d().find(By::Css(css)).await {
                return e;
            }
            if Instant::now() >= deadline {
                self.failed().await;
                panic!("no element {css} (screenshot: riskverkstad-e2e-failure.png in the temp folder)");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs axe-core (the UI's pinned npm package) on what the window shows and returns the
    /// serious and critical WCAG 2.1 A/AA violations, one line each: the rule, what it asks
    /// and the first elements that break it.
    pub async fn axe(&self) -> Vec<String> {
        self.axe_run(r#"{ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }"#, true)
            .await
    }

    /// The text in the window that does not reach 7:1 against its background (axe-core's
    /// color-contrast-enhanced, WCAG 1.4.6): what presentation mode promises the projector.
    pub async fn below_7_to_1(&self) -> Vec<String> {
        self.axe_run(r#"{ runOnly: { type: "rule", values: ["color-contrast-enhanced"] } }"#, false).await
    }

    /// Runs axe-core with `options` (a JavaScript object literal) and returns its violations,
    /// only the serious and critical ones when `serious_only`.
    async fn axe_run(&self, options: &str, serious_only: bool) -> Vec<String> {
        let loaded = self.d().execute("return typeof window.axe === 'object';", Vec::new()).await.unwrap();
        if loaded.json() != &serde_json::Value::Bool(true) {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("axe-core is not installed ({}): run npm ci in ui/ ({e})", path.display()));
            self.d().execute(format!("{source}\nreturn true;"), Vec::new()).await.unwrap();
        }
        let script = r#"
            const done = arguments[arguments.length - 1];
            const options = Object.assign(OPTIONS, { resultTypes: ["violations"] });
            axe.run(document, options).then(
                (r) => done(r.violations
                    .filter((v) => !SERIOUS_ONLY || v.impact === "serious" || v.impact === "critical")
                    .map((v) => `${v.id} (${v.impact}): ${v.help} – ${v.nodes.length} st: ` +
                        v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(" | "))),
                (e) => done(["axe-core failed: " + e]),
            );
        "#;
        let script = script.replace("OPTIONS", options).replace("SERIOUS_ONLY", &serious_only.to_string());
        let ret = self.d().execute_async(script, Vec::new()).await.unwrap();
        serde_json::from_value(ret.json().clone()).unwrap_or_else(|e| panic!("axe-core's answer: {e}"))
    }

    /// Fails the story when axe-core finds a serious or critical violation in what the window
    /// shows now (`place` names it).
    pub async fn assert_accessible(&self, place: &str) {
        let found = self.axe().await;
        assert!(found.is_empty(), "{place}: {} serious or critical violations:\n{}", found.len(), found.join("\n"));
    }

    /// What the window showed when a story failed, for whoever reads the failure.
    async fn failed(&self) {
        let _ = self.d().screenshot(&std::env::temp_dir().join("riskverkstad-e2e-failure.png")).await;
    }

    pub async fn click(&self, css: &str) {
        self.el(css).await.click().await.unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    }

    pub async fn text(&self, css: &str) -> String {
        self.el(css).await.text().await.unwrap()
    }

    pub async fn wait_text(&self, css: &str, wanted: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut seen = String::from("(not found)");
        loop {
            if let Ok(e) = self.d().find(By::Css(css)).await
                && let Ok(t) = e.text().await
            {
                if t.contains(wanted) {
                    return t;
                }
                seen = t;
            }
            if Instant::now() >= deadline {
                self.failed().await;
                let seen: String = seen.chars().take(600).collect();
                panic!(
                    "{css} never showed \"{wanted}\"; it showed: {seen}\n(screenshot: riskverkstad-e2e-failure.png in the temp folder)"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_attr(&self, css: &str, attr: &str, wanted: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(e) = self.d().find(By::Css(css)).await
                && e.attr(attr).await.ok().flatten().as_deref() == Some(wanted)
            {
                return;
            }
            if Instant::now() >= deadline {
                self.failed().await;
                panic!("{css} never had {attr}={wanted} (screenshot: riskverkstad-e2e-failure.png in the temp folder)");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn screenshot(&self, name: &str) {
        // A screenshot right after an assertion can show a stale frame.
        tokio::time::sleep(Duration::from_millis(700)).await;
        // RISKVERKSTAD_SCREENSHOTS sends them elsewhere (the package's smoke run).
        let folder = std::env::var_os("RISKVERKSTAD_SCREENSHOTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join("docs/screenshots"));
        let path = folder.join(format!("{name}.png"));
        self.d().screenshot(&path).await.unwrap();
    }

    pub async fn open_system(&self, name: &str) {
        self.click("[data-testid='nav-register']").await;
        let search = self.el("[data-testid='register-search']").await;
        search.clear().await.unwrap();
        search.send_keys(name).await.unwrap();
        // The name is unique in these stories: the search narrows the register to it.
        self.wait_text("[data-testid='register-count']", "1 av ").await;
        self.click("[data-testid='register-row']").await;
        let shown = self.wait_text("[data-testid='system-name']", "").await;
        assert_eq!(shown, name);
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        self.el(css).await.send_keys(text).await.unwrap();
    }

    /// Picks the option of a `<select>` whose text contains `label`.
    /// Picks the option of a `<select>` whose text contains `label`, the select scrolled into
    /// view first (WebKit refuses an option of a select below the fold as not interactable).
    pub async fn select(&self, css: &str, label: &str) {
        let select = self.el(css).await;
        select.scroll_into_view().await.unwrap();
        for option in select.find_all(By::Css("option")).await.unwrap() {
            if option.text().await.unwrap().contains(label) {
                option.click().await.unwrap();
                return;
            }
        }
        panic!("{css} has no option {label}");
    }

    /// Waits until nothing matches `css` (a dialog closed); if it stays, says what it shows.
    pub async fn wait_gone(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            match self.d().find(By::Css(css)).await {
                Err(_) => return,
                Ok(e) if Instant::now() >= deadline => {
                    let shown = e.text().await.unwrap_or_default();
                    self.failed().await;
                    panic!("{css} never closed; it shows: {shown}");
                }
                Ok(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Picks the first option with a value (not the placeholder) of a `<select>`.
    pub async fn select_first(&self, css: &str) -> String {
        let select = self.el(css).await;
        for option in select.find_all(By::Css("option")).await.unwrap() {
            if !option.value().await.unwrap().unwrap_or_default().is_empty() {
                let text = option.text().await.unwrap();
                option.click().await.unwrap();
                return text;
            }
        }
        panic!("{css} has no options");
    }

    pub async fn create_system(&self, name: &str) {
        self.click("[data-testid='nav-register']").await;
        // Loaded: the count names the total (a click must not race the first render).
        self.wait_text("[data-testid='register-count']", " av ").await;
        self.click("[data-testid='new-system']").await;
        self.el("[data-testid='new-system-name']").await.send_keys(name).await.unwrap();
        self.click("[data-testid='new-system-create']").await;
        self.wait_text("[data-testid='system-name']", name).await;
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(driver) = self.driver.take()
            && let Ok(rt) = tokio::runtime::Handle::try_current()
        {
            let _ = std::thread::scope(|s| s.spawn(|| rt.block_on(driver.quit())).join());
        }
        let group = format!("-{}", self.process.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.process.wait();
    }
}

pub const PASSPHRASE: &str = "korp vattenkanna blyerts sjuttio";

pub fn passphrase(text: &str) -> riskverkstad_core::store::Passphrase {
    riskverkstad_core::store::Passphrase::new(text.into())
}

/// Starts tauri-driver on new ports for the app with `db` and `env`, and waits until it
/// listens; returns it with its port.
async fn spawn_driver(db: Option<&Path>, env: &[(&str, &Path)], data: &Path) -> (Child, u16) {
    let (port, native) = (free_port(), free_port());
    let mut cmd = Command::new(tauri_driver());
    // Its own process group, so that WebKitWebDriver and the app end with it.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    cmd.args([
        "--port",
        &port.to_string(),
        "--native-port",
        &native.to_string(),
        "--native-driver",
        "/usr/bin/WebKitWebDriver",
    ])
    .env("RISKVERKSTAD_DATA_DIR", data)
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    match db {
        Some(db) => cmd.env("RISKVERKSTAD_DB", db),
        None => cmd.env_remove("RISKVERKSTAD_DB"),
    };
    for (k, v) in env {
        cmd.env(k, v);
    }
    let process = cmd.spawn().unwrap_or_else(|e| {
        panic!(
            "tauri-driver could not start ({e}); install it with `cargo install tauri-driver --version 2.1.0 --locked`"
        )
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "tauri-driver did not listen on {port}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (process, port)
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn count_of(text: &str) -> usize {
    text.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(usize::MAX)
}
