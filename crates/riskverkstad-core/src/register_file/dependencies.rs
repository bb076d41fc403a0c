//! Dependency cells as municipal registers write them: several entries per cell, each a plain
//! name or `Name: criticality (kind)`, where the names themselves may hold commas and
//! parentheses ("Kartverktyg NIS, TCN (SEE, SN): Till betydande del verksamhetskritiskt
//! (API)"). A cell is split only at a separator outside parentheses (the separators are the
//! mapping's, which the person sees and changes); in the `Name: …` form an entry ends only
//! where the next one's name begins, so a comma inside a name never splits it; in a plain
//! list, pieces whose joined text is a known system's name are joined again.

use crate::model::DependencyKind;

/// The separators a dependency cell is split at, unless the mapping says otherwise.
pub fn default_separators() -> Vec<String> {
    vec![";".into(), "\n".into(), ",".into()]
}

/// One entry of a dependency cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name of what is depended on.
    pub name: String,
    /// The criticality as written ("Helt verksamhetskritiskt").
    pub criticality: Option<String>,
    /// The kind as written ("API").
    pub kind: Option<String>,
}

/// Pieces of `text` between the separators outside parentheses, each with the separator that
/// followed it.
fn pieces(text: &str, separators: &[String]) -> Vec<(String, String)> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut seps: Vec<&str> = separators.iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
    seps.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    // An unclosed parenthesis would hold the rest of the cell together: then parentheses do
    // not count.
    let balanced = {
        let mut d = 0i32;
        bytes.iter().all(|b| {
            d += match b {
                b'(' | b'[' => 1,
                b')' | b']' => -1,
                _ => 0,
            };
            d >= 0
        }) && d == 0
    };
    while i < text.len() {
        match bytes[i] {
            b'(' | b'[' if balanced => depth += 1,
            b')' | b']' if balanced => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth == 0
            && let Some(sep) = seps.iter().find(|s| text[i..].starts_with(**s))
        {
            out.push((text[start..i].to_string(), sep.to_string()));
            i += sep.len();
            start = i;
            continue;
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    out.push((text[start..].to_string(), String::new()));
    out
}

/// The position of the first colon outside parentheses.
fn colon(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, ch) in text.char_indices() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            // "https://…" holds no entry's colon.
            ':' if depth == 0 && !text[i + 1..].starts_with('/') => return Some(i),
            _ => {}
        }
    }
    None
}

/// A trailing "(…)" at the end of `text`: the text before it and what is inside.
pub fn trailing_group(text: &str) -> Option<(&str, &str)> {
    let t = text.trim_end();
    if !t.ends_with(')') {
        return None;
    }
    let mut depth = 0i32;
    for (i, ch) in t.char_indices().rev() {
        match ch {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some((t[..i].trim_end(), t[i + 1..t.len() - 1].trim()));
                }
            }
            _ => {}
        }
    }
    None
}

/// The note an import writes in a dependency's description for a kind word it does not
/// know, and for a criticality phrase nobody mapped (an export writes them back).
pub const KIND_NOTE: &str = "Sätt enligt förteckningen: ";
/// See [`KIND_NOTE`].
pub const CRITICALITY_NOTE: &str = "Kritikalitet enligt förteckningen: ";

/// The kind word and criticality phrase an import kept in a description ([`KIND_NOTE`],
/// [`CRITICALITY_NOTE`]).
pub fn notes(description: Option<&str>) -> (Option<&str>, Option<&str>) {
    let mut kind = None;
    let mut criticality = None;
    for part in description.unwrap_or_default().split(". ") {
        if let Some(k) = part.strip_prefix(KIND_NOTE) {
            kind = Some(k.trim());
        } else if let Some(c) = part.strip_prefix(CRITICALITY_NOTE) {
            criticality = Some(c.trim());
        }
    }
    (kind, criticality)
}

/// A description with the import's notes set: `kind` and `criticality` are `None` to keep
/// the note there is, `Some(None)` to remove it, `Some(Some(word))` to set it; the person's
/// own text is kept.
pub fn with_notes(
    description: Option<&str>,
    kind: Option<Option<&str>>,
    criticality: Option<Option<&str>>,
) -> Option<String> {
    let (old_kind, old_criticality) = notes(description);
    let own: Vec<&str> = description
        .unwrap_or_default()
        .split(". ")
        .filter(|p| !p.trim().is_empty() && !p.starts_with(KIND_NOTE) && !p.starts_with(CRITICALITY_NOTE))
        .collect();
    let mut parts: Vec<String> = own.iter().map(|p| p.to_string()).collect();
    if let Some(k) = kind.unwrap_or(old_kind) {
        parts.push(format!("{KIND_NOTE}{k}"));
    }
    if let Some(c) = criticality.unwrap_or(old_criticality) {
        parts.push(format!("{CRITICALITY_NOTE}{c}"));
    }
    (!parts.is_empty()).then(|| parts.join(". "))
}

/// The words for how a dependency works, as registers write them.
const KIND_WORDS: &[(&str, DependencyKind)] = &[
    ("api", DependencyKind::Api),
    ("integration", DependencyKind::Api),
    ("webbtjänst", DependencyKind::Api),
    ("rest", DependencyKind::Api),
    ("soap", DependencyKind::Api),
    ("fil", DependencyKind::Fil),
    ("filöverföring", DependencyKind::Fil),
    ("sftp", DependencyKind::Fil),
    ("ftp", DependencyKind::Fil),
    ("replikering", DependencyKind::Replikering),
    ("manuell", DependencyKind::Manuell),
    ("manuellt", DependencyKind::Manuell),
    ("annan", DependencyKind::Annan),
    ("annat", DependencyKind::Annan),
];

/// The kind a word names, if it is one of the words for a kind.
pub fn kind(word: &str) -> Option<DependencyKind> {
    let w = word.trim().to_lowercase();
    DependencyKind::ALL
        .iter()
        .copied()
        .find(|k| k.key() == w || k.label().to_lowercase() == w)
        .or_else(|| KIND_WORDS.iter().find(|(k, _)| *k == w).map(|(_, k)| *k))
}

fn entry(text: &str) -> Option<Entry> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(c) = colon(t) {
        let name = t[..c].trim().to_string();
        let rest = t[c + 1..].trim();
        let (criticality, kind) = match trailing_group(rest) {
            Some((before, inside)) => (before, Some(inside.to_string())),
            None => (rest, None),
        };
        let criticality = Some(criticality.to_string()).filter(|c| !c.is_empty());
        return (!name.is_empty()).then_some(Entry { name, criticality, kind: kind.filter(|k| !k.is_empty()) });
    }
    // A plain name; a last "(API)" is its kind only when it is a word for one.
    match trailing_group(t) {
        Some((before, inside)) if !before.is_empty() && kind(inside).is_some() => {
            Some(Entry { name: before.to_string(), criticality: None, kind: Some(inside.to_string()) })
        }
        _ => Some(Entry { name: t.to_string(), criticality: None, kind: None }),
    }
}

/// Pieces of a plain list, neighbours joined where their joined text is a known name
/// (longest first, up to five pieces).
fn joined(parts: &[(String, String)], known: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut texts = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let mut taken = 1;
        for n in (2..=(parts.len() - i).min(5)).rev() {
            let joined: String = (i..i + n)
                .map(|j| if j + 1 < i + n { format!("{}{}", parts[j].0, parts[j].1) } else { parts[j].0.clone() })
                .collect();
            if known(joined.trim()) {
                texts.push(joined);
                taken = n;
                break;
            }
        }
        if taken == 1 {
            texts.push(parts[i].0.clone());
        }
        i += taken;
    }
    texts
}

/// The entries of a dependency cell (see the module's documentation).
pub fn parse(text: &str, separators: &[String]) -> Vec<Entry> {
    parse_known(text, separators, &|_| false)
}

/// The entries of a dependency cell, where `known` says whether a text is the name of a
/// system or party (so that a plain list's "Kartverktyg NIS, TCN" stays one name).
pub fn parse_known(text: &str, separators: &[String], known: &dyn Fn(&str) -> bool) -> Vec<Entry> {
    let parts = pieces(text, separators);
    let colon_form = parts.iter().any(|(p, _)| colon(p).is_some());
    let mut texts: Vec<String> = Vec::new();
    if colon_form {
        // An entry runs until the piece that holds its colon: the pieces before it, joined by
        // commas, belong to its name, unless the longer name is unknown and a shorter one, or
        // each piece on its own, is a known name. A piece ended by another separator (";", a
        // line break) and the pieces after the last colon are plain entries.
        let mut pending: Vec<(String, String)> = Vec::new();
        for (p, sep) in &parts {
            if let Some(c) = colon(p) {
                let name = &p[..c];
                let with = |k: usize| -> String {
                    let mut t: String = pending[k..].iter().map(|(p, s)| format!("{p}{s}")).collect();
                    t.push_str(name);
                    t
                };
                let k = (0..=pending.len()).find(|k| known(with(*k).trim())).unwrap_or_else(|| {
                    if !pending.is_empty() && pending.iter().all(|(p, _)| known(p.trim())) { pending.len() } else { 0 }
                });
                texts.extend(joined(&pending[..k], known));
                let mut t: String = pending[k..].iter().map(|(p, s)| format!("{p}{s}")).collect();
                t.push_str(p);
                texts.push(t);
                pending.clear();
            } else if sep.trim() == "," {
                pending.push((p.clone(), sep.clone()));
            } else {
                pending.push((p.clone(), String::new()));
                texts.extend(joined(&pending, known));
                pending.clear();
            }
        }
        texts.extend(joined(&pending, known));
    } else {
        texts = joined(&parts, known);
    }
    texts.iter().filter_map(|t| entry(t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn names_with_commas_and_parentheses_stay_whole() {
        let seps = default_separators();
        let cell = "Kartverktyg NIS, TCN (SEE, SN): Till betydande del verksamhetskritiskt (API), Ekonomisystem Raindance: Helt verksamhetskritiskt (fil); E-arkiv: Ej verksamhetskritiskt";
        let e = parse(cell, &seps);
        assert_eq!(names(&e), ["Kartverktyg NIS, TCN (SEE, SN)", "Ekonomisystem Raindance", "E-arkiv"]);
        assert_eq!(e[0].criticality.as_deref(), Some("Till betydande del verksamhetskritiskt"));
        assert_eq!(e[0].kind.as_deref(), Some("API"));
        assert_eq!(e[1].kind.as_deref(), Some("fil"));
        assert_eq!(e[2].kind, None);
        assert_eq!(e[2].criticality.as_deref(), Some("Ej verksamhetskritiskt"));
    }

    #[test]
    fn notes_are_set_and_removed_and_the_persons_own_text_kept() {
        let d = with_notes(Some("Nattlig batch"), Some(Some("SSO")), None);
        assert_eq!(d.as_deref(), Some("Nattlig batch. Sätt enligt förteckningen: SSO"));
        assert_eq!(notes(d.as_deref()), (Some("SSO"), None));
        let d = with_notes(d.as_deref(), None, Some(Some("Delvis kritiskt")));
        assert_eq!(notes(d.as_deref()), (Some("SSO"), Some("Delvis kritiskt")));
        assert_eq!(with_notes(d.as_deref(), Some(None), Some(None)).as_deref(), Some("Nattlig batch"));
        assert_eq!(with_notes(None, Some(None), None), None);
    }

    #[test]
    fn plain_lists_split_and_known_names_are_joined_again() {
        let seps = default_separators();
        assert_eq!(names(&parse("A, B; C\nD", &seps)), ["A", "B", "C", "D"]);
        assert_eq!(names(&parse("Procapita (SoL, LSS), Lifecare", &seps)), ["Procapita (SoL, LSS)", "Lifecare"]);
        let known = |t: &str| t == "Kartverktyg NIS, TCN";
        assert_eq!(
            names(&parse_known("Kartverktyg NIS, TCN, Lifecare", &seps, &known)),
            ["Kartverktyg NIS, TCN", "Lifecare"]
        );
        let e = parse("Lifecare (API)", &seps);
        assert_eq!((e[0].name.as_str(), e[0].kind.as_deref()), ("Lifecare", Some("API")));
        let e = parse("Procapita (SoL)", &seps);
        assert_eq!(
            (e[0].name.as_str(), e[0].kind.as_deref()),
            ("Procapita (SoL)", None),
            "not a kind: part of the name"
        );
        // In the `Name: …` form, a piece ended by ";" is an entry of its own.
        assert_eq!(names(&parse("B (fil); A: Helt (API)", &seps)), ["B", "A"]);
        assert_eq!(parse("B (fil); A: Helt (API)", &seps)[0].kind.as_deref(), Some("fil"));
        // In the `Name: …` form, known names decide where a comma splits.
        let known = |t: &str| ["Kartverktyg NIS, TCN", "Lifecare", "Visma"].contains(&t);
        assert_eq!(
            names(&parse_known("Kartverktyg NIS, TCN; Visma: Helt", &seps, &known)),
            ["Kartverktyg NIS, TCN", "Visma"]
        );
        assert_eq!(names(&parse_known("Lifecare, Visma: Helt", &seps, &known)), ["Lifecare", "Visma"]);
        assert_eq!(
            names(&parse_known("A, B, C, D, Kartverktyg NIS, TCN", &seps, &known)),
            ["A", "B", "C", "D", "Kartverktyg NIS, TCN"]
        );
        // An unclosed parenthesis holds nothing together; an address's colon is no entry's.
        assert_eq!(
            names(&parse("Lifecare (SoL; Procapita; Raindance", &seps)),
            ["Lifecare (SoL", "Procapita", "Raindance"]
        );
        assert_eq!(names(&parse("Lifecare, https://esb.kommun.se", &seps)), ["Lifecare", "https://esb.kommun.se"]);
        // The person's separators: only "|".
        assert_eq!(names(&parse("A, B | C", &["|".to_string()])), ["A, B", "C"]);
        assert!(parse("", &seps).is_empty());
        assert!(parse(" ;, ", &seps).is_empty());
    }
}
