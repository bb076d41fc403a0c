//! Architecture invariants that the compiler does not check by itself (docs/ARCHITECTURE.md):
//!
//! - no module cycles in the core or the domain crate: at every level, the sibling modules of
//!   one parent depend on each other in one direction only (a child may use what its parent's
//!   `mod.rs` defines; the parent is the facade that declares and re-exports it);
//! - the domain crate does no I/O and has no database: no rusqlite (or any SQL crate) among
//!   its dependencies, no file, network, process or environment access in its code.
//!
//! The module graph is read from the source text: `use` items and inline `crate::`, `super::`
//! and `self::` paths, outside test modules. Run with `cargo test -p riskverkstad-core --test
//! architecture`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path below the crate root: `["store", "open"]`.
type ModPath = Vec<String>;

fn crate_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name)
}

/// Every source file of a crate's `src/` with its module path (test files left out).
fn modules(src: &Path) -> BTreeMap<ModPath, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("below src");
            let mut segments: ModPath =
                rel.iter().map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
            if matches!(segments.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                segments.pop();
            }
            out.insert(segments, without_tests(&std::fs::read_to_string(&path).expect("read file")));
        }
    }
    out
}

/// The text of a file without its `#[cfg(test)]` items and comments.
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            // Skip the item that follows: to its closing brace, or its `;`.
            let mut depth = 0i32;
            for l in lines.by_ref() {
                depth += l.matches('{').count() as i32 - l.matches('}').count() as i32;
                if depth <= 0 && (l.contains('}') || l.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        let code = line.split("//").next().unwrap_or("");
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// Expands a `use` tree (`crate::{a::b, c::{d, e}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect();
    let Some(open) = tree.find('{') else { return vec![tree] };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).flat_map(|p| expand(&format!("{prefix}{p}"))).collect()
}

/// Every path a module's text names that starts at `crate`, `super` or `self`.
fn paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("use ") {
        let before = text[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(end) = text[i..].find(';') {
            out.extend(expand(&text[i + 4..i + end]));
        }
    }
    for start in ["crate::", "super::", "self::"] {
        for (i, _) in text.match_indices(start) {
            let before = text[..i].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '$') {
                continue;
            }
            let rest: String =
                text[i..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            out.push(rest);
        }
    }
    out
}

/// The module a path points into, resolved from the module `at` (a `mod.rs` or `lib.rs`
/// module when `facade`), as the longest prefix that is a known module.
fn target(path: &str, at: &ModPath, facade: bool, known: &BTreeSet<ModPath>) -> Option<ModPath> {
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let (mut base, rest): (ModPath, &[&str]) = match *segments.first()? {
        "crate" => (Vec::new(), &segments[1..]),
        "self" => (at.clone(), &segments[1..]),
        "super" => {
            let mut base = at.clone();
            let mut rest = &segments[..];
            // A file module's `super` is its folder's module; a facade's is the one above.
            if !facade {
                base.pop();
                rest = &rest[1..];
            }
            while rest.first() == Some(&"super") {
                base.pop();
                rest = &rest[1..];
            }
            (base, rest)
        }
        _ => return None,
    };
    let mut found = base.clone();
    for s in rest {
        base.push((*s).to_string());
        if known.contains(&base) {
            found = base.clone();
        } else {
            break;
        }
    }
    Some(found)
}

/// The cycles among sibling modules: for every edge `a → b`, the children of their common
/// parent that hold them; an edge between a module and its own ancestor is no sibling edge.
fn sibling_cycles(src: &Path) -> Vec<String> {
    let mods = modules(src);
    let known: BTreeSet<ModPath> = mods.keys().cloned().collect();
    let facades: BTreeSet<ModPath> =
        known.iter().filter(|m| m.is_empty() || src.join(m.join("/")).join("mod.rs").exists()).cloned().collect();
    let mut edges: BTreeMap<ModPath, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, text) in &mods {
        for p in paths(text) {
            let Some(to) = target(&p, from, facades.contains(from), &known) else { continue };
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common == from.len() || common == to.len() {
                continue;
            }
            edges
                .entry(from[..common].to_vec())
                .or_default()
                .entry(from[common].clone())
                .or_default()
                .insert(to[common].clone());
        }
    }
    let mut cycles = Vec::new();
    for (parent, graph) in &edges {
        // Depth-first search for a back edge.
        fn visit<'a>(
            n: &'a str,
            graph: &'a BTreeMap<String, BTreeSet<String>>,
            state: &mut BTreeMap<&'a str, u8>,
            trail: &mut Vec<&'a str>,
            found: &mut Option<String>,
        ) {
            state.insert(n, 1);
            trail.push(n);
            for m in graph.get(n).into_iter().flatten() {
                match state.get(m.as_str()) {
                    Some(1) if found.is_none() => {
                        let from = trail.iter().position(|t| *t == m).unwrap_or(0);
                        *found = Some(format!("{} → {m}", trail[from..].join(" → ")));
                    }
                    None => visit(m, graph, state, trail, found),
                    _ => {}
                }
            }
            trail.pop();
            state.insert(n, 2);
        }
        let mut state = BTreeMap::new();
        for n in graph.keys() {
            let mut found = None;
            if !state.contains_key(n.as_str()) {
                visit(n, graph, &mut state, &mut Vec::new(), &mut found);
            }
            if let Some(c) = found {
                cycles.push(format!("in crate::{}: {c}", parent.join("::")));
            }
        }
    }
    cycles
}

#[test]
fn the_core_has_no_module_cycle() {
    let cycles = sibling_cycles(&crate_dir("riskverkstad-core").join("src"));
    assert!(cycles.is_empty(), "module cycles in the core: {cycles:#?}");
}

#[test]
fn the_domain_has_no_module_cycle() {
    let cycles = sibling_cycles(&crate_dir("riskverkstad-domain").join("src"));
    assert!(cycles.is_empty(), "module cycles in the domain: {cycles:#?}");
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    // The check itself: two sibling modules that use each other are found.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("lib.rs"), "mod a;\nmod b;\n").expect("lib");
    std::fs::write(dir.path().join("a.rs"), "use crate::b::B;\npub struct A;\n").expect("a");
    std::fs::create_dir(dir.path().join("b")).expect("b/");
    std::fs::write(dir.path().join("b/mod.rs"), "mod c;\npub struct B;\n").expect("b");
    std::fs::write(dir.path().join("b/c.rs"), "use super::super::a::A;\nuse super::B;\n").expect("c");
    let cycles = sibling_cycles(dir.path());
    assert_eq!(cycles, vec!["in crate::: a → b → a".to_string()]);
    // A child using its parent's facade is no cycle.
    std::fs::write(dir.path().join("b/c.rs"), "use super::B;\n").expect("c");
    assert!(sibling_cycles(dir.path()).is_empty());
}

#[test]
fn the_domain_does_no_io_and_has_no_database() {
    let domain = crate_dir("riskverkstad-domain");
    let manifest = std::fs::read_to_string(domain.join("Cargo.toml")).expect("manifest");
    let deps = manifest.split("[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
    for forbidden in ["rusqlite", "sqlx", "diesel", "tauri", "riskverkstad-core", "riskverkstad-bundle"] {
        assert!(!deps.contains(forbidden), "the domain crate depends on {forbidden}");
    }
    for (module, text) in modules(&domain.join("src")) {
        for io in ["std::fs", "std::net", "std::process", "std::env", "File::open", "std::io::stdin"] {
            assert!(!text.contains(io), "domain module {module:?} uses {io}");
        }
    }
}
