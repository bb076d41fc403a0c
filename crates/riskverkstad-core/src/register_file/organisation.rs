//! Organisation paths: a column that says where a system belongs as a path ("Kommunkoncern /
//! Kommun / Socialförvaltningen / Äldreomsorg", or "Kommunkoncern / Norrvik Energi AB" for a
//! company). Each level has a role the person chooses (proposed from what the levels hold):
//! the organisation itself, a grouping (the municipality within its group of companies), the
//! förvaltning or bolag, or the unit. A path that stops at a grouping level, or whose
//! grouping part is a company's name, names a bolag there.

use super::fields::normalise;
use crate::model::ForvaltningKind;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What one level of an organisation path is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelRole {
    /// The organisation (kommunen, kommunkoncernen): not stored per system.
    Organisation,
    /// A grouping above the förvaltningar (the municipality within its group): skipped,
    /// except that a company named there is a bolag.
    Grupp,
    /// The förvaltning or bolag.
    Forvaltning,
    /// The unit (deeper levels are joined to it: "Enhet / Grupp").
    Enhet,
}

impl LevelRole {
    /// The Swedish name.
    pub fn label(self) -> &'static str {
        match self {
            LevelRole::Organisation => "Organisation (sparas inte per system)",
            LevelRole::Grupp => "Gruppering (hoppas över; bolag tas som bolag)",
            LevelRole::Forvaltning => "Förvaltning eller bolag",
            LevelRole::Enhet => "Enhet",
        }
    }
}

/// One level found in a path column, with what it is taken as.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelFound {
    /// 1 for the first.
    pub level: u32,
    /// How many different values it has.
    pub distinct: u32,
    /// The most common values.
    pub examples: Vec<String>,
    /// What it is taken as.
    pub role: LevelRole,
    /// Why, when proposed.
    pub why: String,
}

/// The parts of a path ("A / B > C" → A, B, C). A path written with spaced separators splits
/// only at those, so that "Vård/omsorg" in "Kommun / Vård/omsorg / Hemtjänst" stays one part.
pub fn split(text: &str) -> Vec<String> {
    let spaced = [" / ", " > ", " \\ ", " | "];
    let parts: Vec<&str> = if spaced.iter().any(|s| text.contains(s)) {
        let mut parts = vec![text];
        for sep in spaced {
            parts = parts.into_iter().flat_map(|p| p.split(sep)).collect();
        }
        parts
    } else {
        text.split(['/', '>', '\\', '|']).collect()
    };
    parts.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

/// Whether a name is a company's ("Norrvik Energi AB", "Norrviks Bostadsbolag"), not a
/// grouping of them ("Kommunala bolag") nor a förvaltning ("Bolagsförvaltningen").
pub fn is_company(name: &str) -> bool {
    let n = normalise(name);
    let last = n.rsplit(' ').next().unwrap_or_default();
    n.ends_with(" ab")
        || n.starts_with("ab ")
        || n.ends_with(" hb")
        || n.contains("aktiebolag")
        || ((last.ends_with("bolag") || last.ends_with("bolaget")) && last != "bolag" && !n.contains("förvaltning"))
}

/// Whether a name is an organisation's own ("Norrviks kommun", "Norrviks kommunkoncern",
/// "Region Norr", "Norrviks stad"), not a förvaltning's or a company's.
pub fn is_organisation(name: &str) -> bool {
    let n = normalise(name);
    let words =
        ["kommun", "kommunen", "kommunkoncern", "kommunkoncernen", "koncernen", "region", "regionen", "stad", "staden"];
    !n.contains("förvaltning") && !is_company(name) && n.split(' ').any(|w| words.contains(&w))
}

fn distinct_at(paths: &[Vec<String>], level: usize, deeper_only: bool) -> Vec<(String, usize)> {
    let mut count: HashMap<String, (String, usize)> = HashMap::new();
    for p in paths.iter().filter(|p| p.len() > level + usize::from(deeper_only)) {
        count.entry(normalise(&p[level])).or_insert_with(|| (p[level].clone(), 0)).1 += 1;
    }
    let mut v: Vec<(String, usize)> = count.into_values().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The proposed role of each level of `paths`, with why: a first level with one value (or
/// the organisation's own name) is the organisation; a next level with at most two values
/// under which lie many more is a grouping; then the förvaltning or bolag, then the unit.
pub fn propose(
    paths: &[Vec<String>],
    organisation: &str,
    is_forvaltning: &dyn Fn(&str) -> bool,
) -> Vec<(LevelRole, String)> {
    let depth = paths.iter().map(Vec::len).max().unwrap_or(0);
    let mut roles = Vec::new();
    let mut level = 0;
    if depth >= 2 {
        // Judged on the paths with more than one part, by the name alone (not by what this
        // database holds, so that the proposal is the same at every import of the file): one
        // value that is an organisation's name ("… kommun", "… kommunkoncern").
        let first = distinct_at(paths, 0, true);
        let one = first.len() == 1 && !is_forvaltning(&first[0].0) && is_organisation(&first[0].0);
        if one || (!first.is_empty() && first.iter().all(|(v, _)| normalise(v) == normalise(organisation))) {
            let why = if first.len() == 1 {
                format!("organisationens namn, samma på alla rader («{}»)", first[0].0)
            } else {
                "organisationens eget namn".to_string()
            };
            roles.push((LevelRole::Organisation, why));
            level = 1;
        }
    }
    // A grouping sits just below the organisation, with a level below it.
    if level == 1 && depth >= 3 {
        let here = distinct_at(paths, level, true);
        let below = distinct_at(paths, level + 1, false);
        let groups: Vec<&(String, usize)> = here.iter().filter(|(v, _)| !is_company(v)).collect();
        if !here.is_empty() && groups.len() <= 2 && below.len() > 2 * groups.len().max(1) {
            roles.push((
                LevelRole::Grupp,
                format!(
                    "{} med {} olika värden under sig («{}»)",
                    if groups.len() == 1 { "ett värde" } else { "två värden" },
                    below.len(),
                    groups.iter().map(|g| g.0.as_str()).collect::<Vec<_>>().join("», «")
                ),
            ));
            level += 1;
        }
    }
    if level < depth {
        let n = distinct_at(paths, level, false).len();
        roles.push((LevelRole::Forvaltning, format!("{n} olika värden")));
        level += 1;
    }
    while level < depth {
        let n = distinct_at(paths, level, false).len();
        roles.push((LevelRole::Enhet, format!("{n} olika värden")));
        level += 1;
    }
    roles
}

/// The levels of `paths` as found, taken under `roles`.
pub fn levels_found(paths: &[Vec<String>], roles: &[LevelRole], proposed: &[(LevelRole, String)]) -> Vec<LevelFound> {
    let depth = paths.iter().map(Vec::len).max().unwrap_or(0);
    (0..depth)
        .map(|i| {
            let d = distinct_at(paths, i, false);
            let role = roles.get(i).copied().unwrap_or(LevelRole::Enhet);
            let why = match proposed.get(i) {
                Some((r, why)) if *r == role => format!("föreslagen: {why}"),
                _ => "vald".to_string(),
            };
            LevelFound {
                level: i as u32 + 1,
                distinct: d.len() as u32,
                examples: d.iter().take(3).map(|(v, _)| v.clone()).collect(),
                role,
                why,
            }
        })
        .collect()
}

/// Where a path puts a system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The förvaltning or bolag, if the path names one.
    pub forvaltning: Option<String>,
    /// Förvaltning or bolag.
    pub kind: ForvaltningKind,
    /// The unit, if any.
    pub unit: Option<String>,
}

/// Places a path under `roles` (levels past the roles given are units).
pub fn place(parts: &[String], roles: &[LevelRole]) -> Placed {
    let role = |i: usize| roles.get(i).copied().unwrap_or(LevelRole::Enhet);
    let mut forvaltning: Option<(String, ForvaltningKind)> = None;
    let mut unit: Vec<String> = Vec::new();
    let mut last_group: Option<String> = None;
    for (i, p) in parts.iter().enumerate() {
        match role(i) {
            LevelRole::Organisation => {}
            LevelRole::Grupp if forvaltning.is_none() && is_company(p) => {
                forvaltning = Some((p.clone(), ForvaltningKind::Bolag));
            }
            LevelRole::Grupp if forvaltning.is_none() => last_group = Some(p.clone()),
            LevelRole::Grupp | LevelRole::Forvaltning | LevelRole::Enhet => match &forvaltning {
                None if role(i) != LevelRole::Enhet => {
                    let kind = if is_company(p) { ForvaltningKind::Bolag } else { ForvaltningKind::Forvaltning };
                    forvaltning = Some((p.clone(), kind));
                }
                _ => unit.push(p.clone()),
            },
        }
    }
    // A path that stops at a grouping names a bolag there ("Koncern / Norrvik Hamn"); a path
    // of one part names its förvaltning, whatever the levels of longer paths are.
    if forvaltning.is_none() {
        if let Some(g) = last_group {
            let kind = if normalise(&g).contains("förvaltning") {
                ForvaltningKind::Forvaltning
            } else {
                ForvaltningKind::Bolag
            };
            forvaltning = Some((g, kind));
        } else if let [only] = parts
            && !is_organisation(only)
        {
            let kind = if is_company(only) { ForvaltningKind::Bolag } else { ForvaltningKind::Forvaltning };
            forvaltning = Some((only.clone(), kind));
        }
    }
    let (forvaltning, kind) = match forvaltning {
        Some((f, k)) => (Some(f), k),
        None => (None, ForvaltningKind::Forvaltning),
    };
    Placed { forvaltning, kind, unit: (!unit.is_empty()).then(|| unit.join(" / ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<Vec<String>> {
        list.iter().map(|p| split(p)).collect()
    }

    #[test]
    fn three_levels_with_bolag_at_the_second_are_proposed_and_placed() {
        let p = paths(&[
            "Norrviks kommunkoncern / Norrviks kommun / Socialförvaltningen",
            "Norrviks kommunkoncern / Norrviks kommun / Socialförvaltningen / Äldreomsorg",
            "Norrviks kommunkoncern / Norrviks kommun / Utbildningsförvaltningen",
            "Norrviks kommunkoncern / Norrviks kommun / Kultur- och fritidsförvaltningen",
            "Norrviks kommunkoncern / Norrvik Energi AB",
            "Norrviks kommunkoncern / Norrviks Bostadsbolag / Förvaltning",
        ]);
        let proposed = propose(&p, "Norrviks kommun", &|_| false);
        let roles: Vec<LevelRole> = proposed.iter().map(|(r, _)| *r).collect();
        assert_eq!(roles, [LevelRole::Organisation, LevelRole::Grupp, LevelRole::Forvaltning, LevelRole::Enhet]);
        let at = |i: usize| place(&p[i], &roles);
        assert_eq!(at(0).forvaltning.as_deref(), Some("Socialförvaltningen"));
        assert_eq!(at(0).kind, ForvaltningKind::Forvaltning);
        assert_eq!(at(1).unit.as_deref(), Some("Äldreomsorg"));
        assert_eq!((at(4).forvaltning.as_deref(), at(4).kind), (Some("Norrvik Energi AB"), ForvaltningKind::Bolag));
        let b = at(5);
        assert_eq!(
            (b.forvaltning.as_deref(), b.kind, b.unit.as_deref()),
            (Some("Norrviks Bostadsbolag"), ForvaltningKind::Bolag, Some("Förvaltning"))
        );
        let found = levels_found(&p, &roles, &proposed);
        assert_eq!(found[2].distinct, 4, "three förvaltningar and the bolag's unit");
        assert!(found[0].why.contains("samma på alla rader"), "{}", found[0].why);
    }

    #[test]
    fn names_decide_what_is_a_company_or_the_organisation_and_spaced_paths_keep_slashes() {
        assert!(is_company("Norrvik Energi AB") && is_company("Norrviks Bostadsbolag") && is_company("Bostadsbolaget"));
        assert!(!is_company("Kommunala bolag") && !is_company("Bolagsförvaltningen") && !is_company("Bolagen"));
        assert!(is_organisation("Norrviks kommunkoncern") && is_organisation("Norrviks kommun"));
        assert!(!is_organisation("Kommunstyrelseförvaltningen") && !is_organisation("Stadsbyggnadsförvaltningen"));
        assert_eq!(split("Norrvik / Vård/omsorg / Hemtjänst"), ["Norrvik", "Vård/omsorg", "Hemtjänst"]);
        assert_eq!(split("Norrvik/Socialförvaltningen"), ["Norrvik", "Socialförvaltningen"]);
        // A system of the whole group names no förvaltning: none is made of the group's name.
        let roles = [LevelRole::Organisation, LevelRole::Grupp, LevelRole::Forvaltning];
        assert_eq!(place(&split("Norrviks kommunkoncern"), &roles).forvaltning, None);
        // A path that stops at the grouping level names a förvaltning there when it is one.
        let p = place(&split("Norrviks kommunkoncern / Socialförvaltningen"), &roles);
        assert_eq!((p.forvaltning.as_deref(), p.kind), (Some("Socialförvaltningen"), ForvaltningKind::Forvaltning));
        // One förvaltning's file with units, on a database that does not know it yet.
        let paths = vec![
            split("Socialförvaltningen / Äldreomsorg"),
            split("Socialförvaltningen / IFO"),
            split("Socialförvaltningen"),
        ];
        let roles: Vec<LevelRole> = propose(&paths, "Norrvik", &|_| false).into_iter().map(|(r, _)| r).collect();
        assert_eq!(roles, [LevelRole::Forvaltning, LevelRole::Enhet]);
    }

    #[test]
    fn two_levels_are_forvaltning_and_unit_unless_the_first_is_the_organisation() {
        let p = paths(&["Socialförvaltningen / Äldreomsorg", "Miljöförvaltningen / Tillsyn", "Miljöförvaltningen"]);
        let roles: Vec<LevelRole> = propose(&p, "Norrvik", &|_| false).into_iter().map(|(r, _)| r).collect();
        assert_eq!(roles, [LevelRole::Forvaltning, LevelRole::Enhet]);
        let p = paths(&["Norrviks kommun / Socialförvaltningen", "Norrviks kommun / Miljöförvaltningen"]);
        let roles: Vec<LevelRole> = propose(&p, "Norrvik", &|_| false).into_iter().map(|(r, _)| r).collect();
        assert_eq!(roles, [LevelRole::Organisation, LevelRole::Forvaltning]);
        assert_eq!(place(&p[1], &roles).forvaltning.as_deref(), Some("Miljöförvaltningen"));
    }
}
