fn main() {
    // Every app command gets a permission of its own; the capability file grants exactly these
    // (a test in bindings.rs checks that commands.txt, the commands! list and the capability agree).
    println!("cargo:rerun-if-changed=commands.txt");
    let commands: &'static [&'static str] = Box::leak(
        include_str!("commands.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build configuration");
}
