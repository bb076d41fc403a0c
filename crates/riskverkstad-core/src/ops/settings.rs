//! Inställningar: setting up a new database, saving any record from a form, and changing the
//! method as a new version after a preview of what the change means for stored assessments.

use crate::error::{Error, Result};
use crate::method::{Aspect, Method};
use crate::model::*;
use crate::risk;
use crate::store::{Read, Store};
use serde::Serialize;

/// Creates the organisation and its first förvaltning in a new, empty database.
/// Refused when the database already has an organisation.
pub fn setup(store: &mut Store, organisation: &str, forvaltning: &str, short_name: &str) -> Result<Forvaltning> {
    if store.count::<Organisation>()? > 0 {
        return Err(Error::invalid("organisation", "databasen har redan en organisation"));
    }
    store.write("Ny organisation", |w| {
        let org = w.insert(Organisation { name: organisation.trim().to_string(), ..Default::default() })?;
        w.insert(Forvaltning {
            organisation_id: org.id,
            name: forvaltning.trim().to_string(),
            short_name: short_name.trim().to_string(),
            ..Default::default()
        })
    })
}

/// How many stored assessments a band has, under the method in force and under a draft.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandShift {
    /// The band's name (in the draft when it exists there, else in force).
    pub band: String,
    /// Risks in the band today.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub now: u64,
    /// Risks in the band if they were reassessed under the draft.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub draft: u64,
}

/// What a draft method would mean, before it is saved as a new version.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodPreview {
    /// Why the draft cannot be used, or `None` when it can.
    pub problem: Option<String>,
    /// True when the draft equals the method in force (nothing to save).
    pub unchanged: bool,
    /// Risks assessed under the method in force.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub risks: u64,
    /// Of those, the ones whose cell lies in another band under the draft.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub risks_changing_band: u64,
    /// True when the risk scales or bands change, so that existing risks will be shown as
    /// "gjord enligt tidigare skala" (never reinterpreted).
    pub risk_scale_changes: bool,
    /// Classifications made under the method in force.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub classifications: u64,
    /// The aspects whose classification scale changes (their assessments will be marked).
    pub changed_aspects: Vec<Aspect>,
    /// Risks per band now and under the draft.
    pub bands: Vec<BandShift>,
}

/// Previews a draft method against the stored assessments made under the method in force.
pub fn preview_method(store: &Store, draft: &Method) -> Result<MethodPreview> {
    let current = store.method();
    let risks: Vec<Risk> = {
        let analyses: std::collections::HashSet<_> = store
            .list::<RiskAnalysis>()?
            .into_iter()
            .filter(|a| a.method_version_id == current.id)
            .map(|a| a.id)
            .collect();
        store.list::<Risk>()?.into_iter().filter(|r| analyses.contains(&r.analysis_id)).collect()
    };
    let classifications =
        store.list::<Classification>()?.into_iter().filter(|c| c.method_version_id == current.id).count() as u64;
    let problem = draft.validate().err();
    let now_m = &current.definition.risk_matrix;
    let draft_m = &draft.risk_matrix;
    // Matched by key, so that a renamed band is one row; named as in the draft.
    let mut keys: Vec<String> = draft_m.bands.iter().map(|b| b.key.clone()).collect();
    let mut bands: Vec<BandShift> =
        draft_m.bands.iter().map(|b| BandShift { band: b.name.clone(), now: 0, draft: 0 }).collect();
    let mut changing = 0;
    for r in &risks {
        let before = risk::level(now_m, r.probability, r.consequence);
        let after = if problem.is_none() { risk::level(draft_m, r.probability, r.consequence) } else { None };
        if let Some(b) = &before {
            match keys.iter().position(|k| *k == b.band_key) {
                Some(i) => bands[i].now += 1,
                None => {
                    keys.push(b.band_key.clone());
                    bands.push(BandShift { band: b.band_name.clone(), now: 1, draft: 0 });
                }
            }
        }
        if let Some(x) = after.as_ref().and_then(|a| bands.get_mut(a.band_index)) {
            x.draft += 1;
        }
        if problem.is_none() && before.map(|b| b.band_key) != after.map(|a| a.band_key) {
            changing += 1;
        }
    }
    let changed_aspects = Aspect::ALL
        .iter()
        .copied()
        .filter(|a| {
            let used = current.definition.aspects().contains(a) || draft.aspects().contains(a);
            used && !current.definition.same_classification_scale(draft, *a)
        })
        .collect();
    Ok(MethodPreview {
        problem,
        unchanged: *draft == current.definition,
        risks: risks.len() as u64,
        risks_changing_band: changing,
        risk_scale_changes: !current.definition.same_risk_scale(draft),
        classifications,
        changed_aspects,
        bands,
    })
}

/// Saves a draft method as the next version, in force from now. Refused when it is invalid or
/// the same as the method in force.
pub fn save_method(store: &mut Store, draft: Method, note: &str) -> Result<MethodVersion> {
    if draft == store.method().definition {
        return Err(Error::invalid("metod", "metoden är oförändrad; det finns ingen ny version att spara"));
    }
    if note.trim().is_empty() {
        return Err(Error::invalid("metod", "skriv varför metoden ändras (en kort motivering)"));
    }
    store.write("Ny metodversion", |w| w.add_method_version(draft, note.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_creates_the_organisation_once() {
        let mut store = Store::open_in_memory().unwrap();
        let f = setup(&mut store, "Norrvik kommun", "Kommunledningsförvaltningen", "KLF").unwrap();
        assert_eq!(f.short_name, "KLF");
        assert_eq!(store.list::<Organisation>().unwrap()[0].name, "Norrvik kommun");
        assert!(setup(&mut store, "Annan", "X", "X").is_err());
        assert_eq!(store.count::<Organisation>().unwrap(), 1);
    }

    #[test]
    fn a_form_save_inserts_a_nil_id_and_updates_otherwise() {
        use crate::ops::edit::Edit;
        let mut store = Store::open_in_memory().unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let p = Person::save(&mut store, Person { name: "Anna".into(), ..Default::default() }, day).unwrap();
        assert!(!p.id.is_nil());
        let q = Person::save(&mut store, Person { name: "Anna Berg".into(), ..p.clone() }, day).unwrap();
        assert_eq!((q.id, q.revision), (p.id, 2));
        assert!(Person::save(&mut store, Person { name: "  ".into(), ..Default::default() }, day).is_err());
        assert!(Person::save(&mut store, Person { name: "Gammal".into(), ..p }, day).is_err(), "a stale revision");
    }

    #[test]
    fn a_preview_counts_the_risks_that_change_band_and_the_marked_assessments() {
        let mut store = Store::open_in_memory().unwrap();
        crate::demo::build(&mut store, &crate::demo::DemoConfig { systems: 20, seed: 3, today: None }).unwrap();
        let same = preview_method(&store, &store.method().definition.clone()).unwrap();
        assert!(same.unchanged && same.problem.is_none());
        assert_eq!(same.risks_changing_band, 0);
        assert!(same.risks > 0 && same.classifications > 0);
        assert_eq!(same.bands.iter().map(|b| b.now).sum::<u64>(), same.risks);
        assert_eq!(same.bands.iter().map(|b| b.draft).sum::<u64>(), same.risks);

        // Everything from value 4 up is now the highest band.
        let mut draft = store.method().definition.clone();
        let n = draft.risk_matrix.bands.len();
        draft.risk_matrix.cell_overrides.clear();
        for (i, b) in draft.risk_matrix.bands.iter_mut().enumerate() {
            (b.min_value, b.max_value) = match i {
                0 => (1, 1),
                i if i + 1 == n => (4, 16),
                i => (i as u32 + 1, i as u32 + 1),
            };
        }
        let p = preview_method(&store, &draft).unwrap();
        assert_eq!(p.problem, None, "{:?}", p.problem);
        assert!(p.risk_scale_changes && !p.unchanged);
        assert!(p.risks_changing_band > 0);
        assert_eq!(p.bands.iter().map(|b| b.draft).sum::<u64>(), p.risks);
        assert!(p.changed_aspects.is_empty());

        let v = save_method(&mut store, draft, "Strängare band").unwrap();
        assert_eq!(v.number, 2);
        let same = store.method().definition.clone();
        assert!(save_method(&mut store, same, "igen").is_err());
    }

    #[test]
    fn an_invalid_draft_is_reported_not_saved() {
        let mut store = Store::open_in_memory().unwrap();
        let mut draft = store.method().definition.clone();
        draft.risk_matrix.bands.clear();
        let p = preview_method(&store, &draft).unwrap();
        assert!(p.problem.is_some());
        assert!(save_method(&mut store, draft, "tom").is_err());
        assert_eq!(store.method().number, 1);
    }
}
