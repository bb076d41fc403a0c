//! Every record a user can see, the user can change, in the app and from the command line,
//! unless the domain forbids it. This test lists every record kind and field of the core
//! (from the registry, through `riskverkstad records kinds`) and fails when one has no
//! editor: a kind without an app command that the UI calls, or without a CLI path; an
//! editable field that no view which saves its kind binds; a kind made only through its own
//! use case whose commands are missing in either shell. So the next missing editor is found
//! here, not by a user.

use riskverkstad_tests::{run, workdir};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Per record kind: the app commands that create or change it, and the CLI commands that do.
/// A new record kind must be added here, with its editors.
const EDITORS: &[(&str, &[&str], &[&str])] = &[
    ("organisation", &["save_organisation", "setup"], &["new", "records set"]),
    ("forvaltning", &["save_forvaltning"], &["records set"]),
    ("unit", &["save_unit"], &["records set"]),
    ("person", &["save_person"], &["records set"]),
    ("external_party", &["save_external_party"], &["records set"]),
    ("system", &["create_system", "save_system"], &["systems new", "records set"]),
    ("information_set", &["add_information_set", "save_information_set"], &["systems add-set", "records set"]),
    ("role_assignment", &["save_role", "remove_role"], &["systems role", "records set"]),
    ("dependency", &["save_dependency", "remove_dependency"], &["records set"]),
    ("system_information_set", &["add_information_set"], &["systems add-set"]),
    ("requirement", &["save_requirement"], &["records set"]),
    ("requirement_status", &["assess_requirements"], &["requirements set", "records set"]),
    ("threat", &["save_threat"], &["records set"]),
    ("method_version", &["save_method"], &["method save"]),
    ("classification", &["classify", "decide_classification"], &["classification new", "classification decide"]),
    ("protection_raise", &["raise_protection", "withdraw_raise"], &["classification raise", "classification withdraw"]),
    ("risk_analysis", &["new_analysis", "save_analysis"], &["analysis new", "analysis set", "records set"]),
    ("risk", &["add_risk", "save_risk", "accept_risk"], &["records set"]),
    ("action", &["add_action", "save_action"], &["actions new", "actions set", "records set"]),
    ("action_link", &["add_action"], &["actions new"]),
    ("decision", &["decide"], &["decision make"]),
    ("incident", &["new_incident", "save_incident"], &["incidents new", "records set"]),
    ("incident_link", &["link_incident", "unlink_incident"], &["incidents link", "incidents unlink"]),
    ("recipient", &["save_recipient"], &["incidents recipient", "records set"]),
    ("incident_report", &["mark_report_sent", "save_incident_report"], &["incidents sent", "records set"]),
    ("control_kind", &["save_control_kind"], &["controls kind", "records set"]),
    ("control", &["new_control", "save_control"], &["controls new", "controls stop", "records set"]),
    ("control_run", &["control_done", "save_control_run"], &["controls done", "records set"]),
    (
        "exception",
        &["new_exception", "save_exception", "withdraw_exception"],
        &["exceptions new", "exceptions withdraw", "records set"],
    ),
    (
        "extra_requirement",
        &["save_extra_requirement", "remove_extra_requirement"],
        &["requirements extra", "records set"],
    ),
    ("security_plan", &["save_security_plan"], &["plan set", "records set"]),
];

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The name of the generated wrapper that invokes `command` (`save_external_party` →
/// `saveExternalParty`), read from `bindings.ts`: none when the bindings have no wrapper for it.
fn wrapper_name(bindings: &str, command: &str) -> Option<String> {
    let at = bindings.find(&format!("invoke(\"{command}\""))?;
    let head = &bindings[..at];
    let start = head.rfind("export function ")? + "export function ".len();
    head[start..].split('(').next().map(str::to_string)
}

/// Every .svelte and .ts file of the UI (the generated bindings left out), by path.
fn ui_sources() -> BTreeMap<PathBuf, String> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "svelte" || e == "ts")
                && path.file_name().is_some_and(|n| n != "bindings.ts")
            {
                out.insert(path.clone(), std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&workspace().join("ui/src"), &mut out);
    out
}

/// Whether `text` gives `field` a value a person chose: the name occurs other than set to a
/// constant (`field: null`, `field: ""`, `field: []`, `field: false`).
fn binds(text: &str, field: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find(field) {
        let before = rest[..i].chars().last();
        let after = &rest[i + field.len()..];
        let whole = !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_');
        let constant = [": null", ": \"\"", ": []", ": false"].iter().any(|k| after.starts_with(k));
        if whole && !constant {
            return true;
        }
        rest = after;
    }
    false
}

/// Whether `riskverkstad <path> --help` exists.
fn cli_has(db: &Path, path: &str) -> bool {
    let mut args: Vec<&str> = path.split(' ').collect();
    args.push("--help");
    run(db, &args).code == 0
}

#[test]
fn every_record_kind_and_field_has_an_editor_in_the_app_and_on_the_command_line() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    let commands = std::fs::read_to_string(workspace().join("src-tauri/commands.txt")).unwrap();
    let commands: Vec<&str> = commands.lines().map(str::trim).collect();
    let ui = ui_sources();
    let bindings = std::fs::read_to_string(workspace().join("ui/src/lib/bindings.ts")).unwrap();
    let kinds = run(&db, &["records", "kinds", "--json"]).json();
    let mut missing = Vec::new();
    for kind in kinds.as_array().unwrap() {
        let table = kind["table"].as_str().unwrap();
        let Some((_, app, cli)) = EDITORS.iter().find(|(t, _, _)| *t == table) else {
            missing.push(format!("{table}: a record kind without editors (add it to EDITORS with its commands)"));
            continue;
        };
        for c in *app {
            if !commands.contains(c) {
                missing.push(format!("{table}: the app has no command {c}"));
            }
        }
        // The views that save this kind: the files that call one of its commands.
        let calls: Vec<String> = app
            .iter()
            .filter_map(|c| match wrapper_name(&bindings, c) {
                Some(name) => Some(format!("api.{name}(")),
                None => {
                    missing.push(format!("{table}: ui/src/lib/bindings.ts has no wrapper for {c}"));
                    None
                }
            })
            .collect();
        let views: Vec<&String> = ui.values().filter(|text| calls.iter().any(|c| text.contains(c))).collect();
        if views.is_empty() {
            missing.push(format!("{table}: no view calls {}", calls.join(" or ")));
        }
        for c in *cli {
            if !cli_has(&db, c) {
                missing.push(format!("{table}: the CLI has no `riskverkstad {c}`"));
            }
        }
        for f in kind["fields"].as_array().unwrap().iter().filter(|f| f["editable"] == true) {
            let field = f["field"].as_str().unwrap();
            if !views.iter().any(|text| binds(text, field)) {
                missing.push(format!("{table}.{field}: no view that saves {table} lets a person set it"));
            }
            if !cli.contains(&"records set") && !cli.iter().any(|c| cli_flag(&db, c, field)) {
                missing.push(format!("{table}.{field}: no CLI command sets it"));
            }
        }
    }
    assert!(missing.is_empty(), "missing editors:\n{}", missing.join("\n"));
}

/// Whether `riskverkstad <path> --help` names a flag for `field` (its name with dashes, or
/// its name without the `_id` of a reference).
fn cli_flag(db: &Path, path: &str, field: &str) -> bool {
    let mut args: Vec<&str> = path.split(' ').collect();
    args.push("--help");
    let help = run(db, &args).stdout;
    let flag = format!("--{}", field.trim_end_matches("_id").replace('_', "-"));
    help.contains(&flag)
}

/// The same edit path the list above relies on, tried on a real file: for every kind edited
/// field by field, one free-text field of a stored record is changed through `records set`.
#[test]
fn the_generic_edit_path_changes_a_field_of_every_kind_that_has_one() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--systems", "8", "--today", "2026-11-22"]).code, 0);
    let kinds = run(&db, &["records", "kinds", "--json"]).json();
    let mut tried = 0;
    for kind in kinds.as_array().unwrap().iter().filter(|k| k["through"].is_null()) {
        let table = kind["table"].as_str().unwrap();
        let records = run(&db, &["records", "list", table]).json();
        let Some(record) = records.as_array().unwrap().first() else { continue };
        let text_fields: Vec<&str> = kind["fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["editable"] == true)
            .map(|f| f["field"].as_str().unwrap())
            .filter(|f| ["name", "title", "description", "how", "note", "scope", "orsak"].contains(f))
            .collect();
        let Some(field) = text_fields.first() else { continue };
        let id = record["id"].as_str().unwrap();
        let value = format!("{} (ändrad)", record[*field].as_str().unwrap_or(""));
        let set = run(&db, &["records", "set", table, id, &format!("{field}={value}")]);
        assert_eq!(set.code, 0, "{table}.{field}: {}", set.stderr);
        let shown: Value = run(&db, &["records", "show", table, id]).json();
        assert_eq!(shown[*field].as_str(), Some(value.trim()), "{table}.{field}");
        tried += 1;
    }
    assert!(tried >= 10, "only {tried} kinds tried");
}
