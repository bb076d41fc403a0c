//! Encryption at rest and backups through the CLI: a new encrypted database, the passphrase
//! from the environment, a file or a terminal prompt, wrong passphrases, rekeying, backups,
//! their verification and restore, and processes killed in the middle of writing.

use riskverkstad_core::store::{FileKind, Passphrase, Read, Store, file_kind};
use riskverkstad_tests::{command, run, run_with, workbook, workdir};
use std::path::{Path, PathBuf};

const FIRST: &str = "korp vattenkanna blyerts sjuttio";
const SECOND: &str = "åtta ekorrar på Storgatan ✓";

fn with(p: &str) -> [(&'static str, &str); 1] {
    [("RISKVERKSTAD_PASSPHRASE", p)]
}

fn backups_of(db: &Path) -> PathBuf {
    riskverkstad_core::backup::folder(db)
}

fn raw_contains(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn an_encrypted_database_is_created_unlocked_rekeyed_backed_up_verified_and_restored() {
    let dir = workdir();
    let db = dir.path().join("soc.db");
    // Too short a passphrase: refused, no file.
    let short = run_with(
        &db,
        &["new", "--organisation", "Vännäs kommun", "--forvaltning", "Socialförvaltningen"],
        &with("kort"),
    );
    assert_eq!(short.code, 1);
    assert!(short.stderr.contains("minst 12 tecken"), "{}", short.stderr);
    assert!(!db.exists());
    let new = run_with(
        &db,
        &["new", "--organisation", "Vännäs kommun", "--forvaltning", "Socialförvaltningen"],
        &with(FIRST),
    );
    assert_eq!(new.code, 0, "{}", new.stderr);
    assert_eq!(file_kind(&db).unwrap(), FileKind::Encrypted);

    // Without a passphrase (no terminal), with a wrong one, with an empty one: clear, exit 1.
    let none = run(&db, &["info"]);
    assert_eq!(none.code, 1);
    assert!(none.stderr.contains("är krypterad") && none.stderr.contains("RISKVERKSTAD_PASSPHRASE"), "{}", none.stderr);
    let wrong = run_with(&db, &["info"], &with("fel lösenfras helt och hållet"));
    assert_eq!(wrong.code, 1);
    assert!(wrong.stderr.contains("Lösenfrasen stämmer inte"), "{}", wrong.stderr);
    assert!(!wrong.stderr.contains("hmac") && !wrong.stderr.contains("file is not a database"), "{}", wrong.stderr);
    let empty = run_with(&db, &["info"], &with(""));
    assert_eq!(empty.code, 1);
    assert!(empty.stderr.contains("tom"), "{}", empty.stderr);

    // From a file (a trailing line break is not part of it) and from the environment.
    let file = dir.path().join("lösenfras.txt");
    std::fs::write(&file, format!("{FIRST}\n")).unwrap();
    let info = run(&db, &["--passphrase-file", file.to_str().unwrap(), "info", "--json"]).json();
    assert_eq!(info["encrypted"], true);
    assert_eq!(info["backups"], 1, "the day's first open made a backup: {info}");
    let due = run_with(&db, &["due", "--json"], &with(FIRST)).json();
    assert!(
        due.as_array().unwrap().iter().any(|d| d["kind"] == "aterlasningstest"),
        "the restore test is due until it is done: {due}"
    );

    // Some content, then a backup of it.
    let table = workbook::register(40, 3);
    let xlsx = dir.path().join("lista.xlsx");
    std::fs::write(&xlsx, riskverkstad_sheets::write_xlsx(&table).unwrap()).unwrap();
    let import = run_with(&db, &["register", "import", xlsx.to_str().unwrap()], &with(FIRST));
    assert_eq!(import.code, 0, "{}", import.stderr);
    let created = run_with(&db, &["backup", "create", "--json"], &with(FIRST)).json();
    let manual = created["file_name"].as_str().unwrap().to_string();
    let list = run_with(&db, &["backup", "list", "--json"], &with(FIRST)).json();
    let reasons: Vec<&str> = list.as_array().unwrap().iter().map(|b| b["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"manuell") && reasons.contains(&"import") && reasons.contains(&"daglig"), "{reasons:?}");
    // What they take together, against the limit; a limit out of bounds is refused.
    let text = run_with(&db, &["backup", "list"], &with(FIRST)).stdout;
    assert!(text.contains("Totalt 3 kopior") && text.contains("av högst 2048 MB"), "{text}");
    let usage = run_with(&db, &["backup", "limit", "--json"], &with(FIRST)).json();
    assert_eq!((usage["count"].as_u64(), usage["limit_mb"].as_u64()), (Some(3), Some(2048)), "{usage}");
    let sizes: u64 = list.as_array().unwrap().iter().map(|b| b["bytes"].as_u64().unwrap()).sum();
    assert_eq!(usage["bytes"].as_u64(), Some(sizes));
    let low = run_with(&db, &["backup", "limit", "20"], &with(FIRST));
    assert_eq!(low.code, 1, "{}", low.stdout);
    assert!(low.stderr.contains("mellan 100 och 1048576 MB (fick 20)"), "{}", low.stderr);
    let set = run_with(&db, &["backup", "limit", "300"], &with(FIRST));
    assert!(set.stdout.contains("av högst 300 MB"), "{}{}", set.stdout, set.stderr);

    // Change the passphrase: the old one stops working, the backups follow.
    let change = run_with(
        &db,
        &["passphrase", "change"],
        &[("RISKVERKSTAD_PASSPHRASE", FIRST), ("RISKVERKSTAD_NEW_PASSPHRASE", SECOND)],
    );
    assert_eq!(change.code, 0, "{}", change.stderr);
    assert!(change.stdout.contains("Säkerhetskopior krypterade med den nya lösenfrasen: 3"), "{}", change.stdout);
    assert_eq!(run_with(&db, &["info"], &with(FIRST)).code, 1);
    let verify = run_with(&db, &["backup", "verify", "--json"], &with(SECOND));
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
    let checks = verify.json();
    assert!(checks.as_array().unwrap().iter().all(|c| c["ok"] == true), "{checks}");
    let due = run_with(&db, &["due", "--json"], &with(SECOND)).json();
    assert!(!due.as_array().unwrap().iter().any(|d| d["kind"] == "aterlasningstest"), "{due}");

    // A change after the manual backup, undone by restoring it.
    let systems = |p: &str| run_with(&db, &["systems", "list", "--json"], &with(p)).json().as_array().unwrap().len();
    let before = systems(SECOND);
    let table2 = workbook::register(60, 3);
    std::fs::write(&xlsx, riskverkstad_sheets::write_xlsx(&table2).unwrap()).unwrap();
    assert_eq!(run_with(&db, &["register", "import", xlsx.to_str().unwrap()], &with(SECOND)).code, 0);
    assert!(systems(SECOND) > before);
    let restore = run_with(&db, &["backup", "restore", &manual], &with(SECOND));
    assert_eq!(restore.code, 0, "{}", restore.stderr);
    assert!(restore.stdout.contains("är återställd"), "{}", restore.stdout);
    assert_eq!(systems(SECOND), before);
    let check = run_with(&db, &["check"], &with(SECOND));
    assert_eq!(check.code, 0, "{}", check.stdout);

    // No plaintext anywhere: a system name from the list is not in any file's bytes.
    let name = workbook::system_name(0);
    for f in std::fs::read_dir(dir.path()).unwrap().chain(std::fs::read_dir(backups_of(&db)).unwrap()) {
        let f = f.unwrap().path();
        if f.is_file() && f.extension().is_none_or(|e| e != "xlsx" && e != "txt") {
            assert!(!raw_contains(&f, &name), "{} holds {name} in plaintext", f.display());
        }
    }
}

#[test]
fn the_plain_demo_is_encrypted_in_place_and_a_damaged_database_points_to_its_newest_sound_backup() {
    let dir = workdir();
    let db = dir.path().join("demo.db");
    assert_eq!(run(&db, &["demo", "--systems", "20", "--today", "2026-11-22"]).code, 0);
    let name = run(&db, &["systems", "list", "--json"]).json()[0]["name"].as_str().unwrap().to_string();
    assert_eq!(run(&db, &["info", "--json"]).json()["encrypted"], false);
    let change = run_with(&db, &["passphrase", "change"], &[("RISKVERKSTAD_NEW_PASSPHRASE", FIRST)]);
    assert_eq!(change.code, 0, "{}", change.stderr);
    assert!(change.stdout.contains("Databasen är nu krypterad"), "{}", change.stdout);
    assert_eq!(file_kind(&db).unwrap(), FileKind::Encrypted);
    assert!(!raw_contains(&db, &name));
    for b in std::fs::read_dir(backups_of(&db)).unwrap() {
        assert!(!raw_contains(&b.unwrap().path(), &name), "backups are encrypted too");
    }

    // Damage the database: the error names the backup that verifies, and restore uses it.
    // Later 16 KB pages damaged, the first (which proves the key) intact.
    let mut bytes = std::fs::read(&db).unwrap();
    for page in 2..bytes.len() / 16384 {
        bytes[page * 16384 + 200] ^= 0x5A;
    }
    std::fs::write(&db, &bytes).unwrap();
    let opened = run_with(&db, &["systems", "list"], &with(FIRST));
    assert_eq!(opened.code, 1);
    assert!(
        opened.stderr.contains("skadad") || opened.stderr.contains("inte en Riskverkstad-databas"),
        "{}",
        opened.stderr
    );
    let hint = opened.stderr.lines().find(|l| l.starts_with("tips:")).unwrap_or_else(|| panic!("{}", opened.stderr));
    assert!(hint.contains("riskverkstad backup restore"), "{hint}");
    let file = hint.rsplit('`').nth(1).unwrap().rsplit(' ').next().unwrap();
    let restore = run_with(&db, &["backup", "restore", file], &with(FIRST));
    assert_eq!(restore.code, 0, "{}", restore.stderr);
    assert_eq!(run_with(&db, &["systems", "list", "--json"], &with(FIRST)).json().as_array().unwrap().len(), 20);
    let kept: Vec<String> = std::fs::read_dir(backups_of(&db))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(kept.iter().any(|n| n.ends_with("-skadad.db")), "the damaged file is kept: {kept:?}");
}

#[test]
fn the_passphrase_is_asked_for_at_a_terminal() {
    // `script` gives the CLI a terminal; what is piped to it is typed at the prompt.
    if std::process::Command::new("script").arg("--version").output().is_err() {
        panic!("`script` (util-linux) is needed for this test");
    }
    let dir = workdir();
    let db = dir.path().join("t.db");
    assert_eq!(run_with(&db, &["new", "--organisation", "K", "--forvaltning", "F"], &with(FIRST)).code, 0);
    let line = format!("{} --db {} info", riskverkstad_tests::bin().display(), db.display());
    let typed = |text: &str| {
        let mut child = std::process::Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env_remove("RISKVERKSTAD_PASSPHRASE")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        std::thread::sleep(std::time::Duration::from_millis(300));
        child.stdin.take().unwrap().write_all(format!("{text}\n").as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (code, out) = typed(FIRST);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Lösenfras för"), "the prompt: {out}");
    assert!(out.contains("krypterad (SQLCipher)"), "{out}");
    assert!(!out.contains(FIRST), "the passphrase is not echoed: {out}");
    let (code, out) = typed("inte rätt alls men lång");
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("Lösenfrasen stämmer inte"), "{out}");
}

/// Which of the two passphrases opens `path` soundly, if either, and how many systems it has.
fn sound_with(path: &Path) -> Option<(&'static str, u64)> {
    for p in [FIRST, SECOND] {
        if let Ok(store) = Store::unlock(path, Some(Passphrase::new(p.into())))
            && store.check().is_ok_and(|r| r.is_sound())
        {
            return Some((p, Read::count::<riskverkstad_core::model::System>(&store).unwrap()));
        }
    }
    None
}

#[test]
fn killed_at_random_moments_during_writes_backups_and_rekeying_the_database_or_its_newest_backup_opens() {
    let dir = workdir();
    let db = dir.path().join("k.db");
    assert_eq!(run_with(&db, &["new", "--organisation", "K", "--forvaltning", "Kultur"], &with(FIRST)).code, 0);
    let rows = [150, 250];
    let lists: Vec<PathBuf> = (0..2)
        .map(|i| {
            let p = dir.path().join(format!("lista{i}.xlsx"));
            std::fs::write(&p, riskverkstad_sheets::write_xlsx(&workbook::register(rows[i], 11 + i as u64)).unwrap())
                .unwrap();
            p
        })
        .collect();
    let named = |i: usize| (0..rows[i]).filter(|r| !workbook::is_nameless(*r)).count() as u64;
    // A simple, seeded generator: the same moments every run.
    let mut seed: u64 = 0x5eed_1234;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut current = FIRST;
    let mut systems = 0;
    let (mut fine, mut from_backup, mut finished) = (0, 0, 0);
    for round in 0..60 {
        let other = if current == FIRST { SECOND } else { FIRST };
        let list = lists[round % 2].to_str().unwrap().to_string();
        let args: Vec<&str> = match round % 3 {
            0 => vec!["register", "import", &list],
            1 => vec!["backup", "create"],
            _ => vec!["passphrase", "change"],
        };
        let mut child =
            command(&db, &args, &[("RISKVERKSTAD_PASSPHRASE", current), ("RISKVERKSTAD_NEW_PASSPHRASE", other)])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(next(900)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        finished += usize::from(status.success());
        match sound_with(&db) {
            Some((p, n)) => {
                fine += 1;
                // What a finished run committed is there; nothing committed earlier is lost.
                if status.success() {
                    match round % 3 {
                        0 => assert!(n >= named(round % 2), "round {round}: a finished import left {n} systems"),
                        2 => assert_eq!(p, other, "round {round}: a finished passphrase change"),
                        _ => {}
                    }
                }
                assert!(n >= systems, "round {round}: {systems} systems became {n}");
                systems = n;
                current = p;
            }
            None => {
                // The newest backup must then open and pass the checks: restore it.
                let newest = std::fs::read_dir(backups_of(&db))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|e| e == "db"))
                    .max()
                    .unwrap();
                let (p, n) = sound_with(&newest)
                    .unwrap_or_else(|| panic!("round {round}: neither the database nor {} opens", newest.display()));
                systems = n;
                let restored = run_with(&db, &["backup", "restore", newest.to_str().unwrap()], &with(p));
                assert_eq!(restored.code, 0, "round {round}: {}", restored.stderr);
                from_backup += 1;
                current = p;
            }
        }
        // Opening cleared what the killed process left half-written.
        let leftovers: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .chain(std::fs::read_dir(backups_of(&db)).unwrap())
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
    eprintln!(
        "60 rounds: {fine} sound after the kill, {from_backup} restored from the newest backup, {finished} finished before the kill"
    );
    assert_eq!(fine + from_backup, 60);
    assert!(finished < 50, "most processes were killed while working ({finished} finished)");
    // The last state is usable by the CLI.
    let check = run_with(&db, &["check"], &with(current));
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let _ = Read::count::<riskverkstad_core::model::System>(
        &Store::unlock(&db, Some(Passphrase::new(current.into()))).unwrap(),
    );
}
