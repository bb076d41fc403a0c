//! The demo municipality: a realistic, fictional Swedish kommun with förvaltningar, people,
//! systems with dependencies, information sets, classifications, risk analyses with risks in
//! every band, actions, decisions and some overdue items. Deterministic for a given seed and
//! `today`: the same content and the same ids.

mod builder;
mod controls;
mod incidents;
pub mod municipal_sheet;
mod vocabulary;
mod work;

use builder::Builder;
use vocabulary::{VOCABULARY, Vocabulary};

use crate::error::{Error, Result};
use crate::ids::*;
use crate::model::*;
use crate::store::{Read, Store, WriteOptions};
use chrono::{NaiveDate, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// How big a demo, from which seed, as of which day.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Number of systems (default 60).
    pub systems: usize,
    /// The seed: the same seed and day give the same municipality.
    pub seed: u64,
    /// The day the demo is built for (dates are spread around it); `None`: today (UTC).
    pub today: Option<NaiveDate>,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig { systems: 60, seed: 1, today: None }
    }
}

/// What the demo created.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DemoSummary {
    /// Förvaltningar and bolag.
    pub forvaltningar: usize,
    /// People.
    pub people: usize,
    /// Systems.
    pub systems: usize,
    /// Information sets.
    pub information_sets: usize,
    /// Classifications.
    pub classifications: usize,
    /// Risk analyses.
    pub risk_analyses: usize,
    /// Risks.
    pub risks: usize,
    /// Actions.
    pub actions: usize,
    /// Decisions.
    pub decisions: usize,
}

/// The largest demo that can be asked for.
pub const MAX_SYSTEMS: usize = 20_000;

/// 2026-01-01T00:00:00Z: the time part of the demo's UUID v7 ids.
const ID_BASE_MILLIS: u64 = 1_767_225_600_000;

/// Builds the demo into an empty database, in one transaction.
pub fn build(store: &mut Store, config: &DemoConfig) -> Result<DemoSummary> {
    if config.systems == 0 || config.systems > MAX_SYSTEMS {
        return Err(Error::invalid(
            "antal system",
            format!("ange mellan 1 och {MAX_SYSTEMS} system (fick {})", config.systems),
        ));
    }
    if store.count::<System>()? > 0 || store.count::<Organisation>()? > 0 {
        return Err(Error::invalid(
            "databas",
            "databasen innehåller redan en organisation eller system; skapa demokommunen i en ny databasfil",
        ));
    }
    let vocab: Vocabulary = serde_json::from_str(VOCABULARY).map_err(|e| Error::invalid("demodata", e.to_string()))?;
    let today = config.today.unwrap_or_else(|| Utc::now().date_naive());
    let options = WriteOptions { ids: IdSource::seeded(config.seed, ID_BASE_MILLIS) };
    let seed = config.seed;
    let n = config.systems;
    store.write_with("Skapa demokommun", options, |w| {
        Builder { w, rng: ChaCha8Rng::seed_from_u64(seed), vocab: &vocab, today }.run(n)
    })?;
    Ok(DemoSummary {
        forvaltningar: store.count::<Forvaltning>()? as usize,
        people: store.count::<Person>()? as usize,
        systems: store.count::<System>()? as usize,
        information_sets: store.count::<InformationSet>()? as usize,
        classifications: store.count::<Classification>()? as usize,
        risk_analyses: store.count::<RiskAnalysis>()? as usize,
        risks: store.count::<Risk>()? as usize,
        actions: store.count::<Action>()? as usize,
        decisions: store.count::<Decision>()? as usize,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn the_vocabulary_parses() {
        let v: Vocabulary = serde_json::from_str(VOCABULARY).unwrap();
        assert!(v.systems.len() >= 60);
        assert!(v.forvaltningar.len() >= 6);
        for s in &v.systems {
            assert!(!s.information_sets.is_empty(), "{}", s.name);
            if let Some(f) = &s.forvaltning {
                assert!(v.forvaltningar.iter().any(|x| &x.name == f), "{f}");
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_municipality() {
        let build_once = |seed| {
            let mut store = Store::open_in_memory().unwrap();
            build(&mut store, &DemoConfig { systems: 20, seed, today: Some(day()) }).unwrap();
            let systems: Vec<(SystemId, String)> =
                store.list::<System>().unwrap().into_iter().map(|s| (s.id, s.name)).collect();
            let risks: Vec<(u8, u8)> =
                store.list::<Risk>().unwrap().into_iter().map(|r| (r.probability, r.consequence)).collect();
            (systems, risks)
        };
        assert_eq!(build_once(5), build_once(5));
        assert_ne!(build_once(5), build_once(6));
    }

    #[test]
    fn a_demo_has_every_band_overdue_items_and_a_sound_database() {
        let mut store = Store::open_in_memory().unwrap();
        let summary = build(&mut store, &DemoConfig { systems: 60, seed: 1, today: Some(day()) }).unwrap();
        assert_eq!(summary.systems, 60);
        assert!(
            summary.forvaltningar >= 6 && summary.people > 30 && summary.risks > 20 && summary.decisions > 0,
            "{summary:?}"
        );
        let matrix = &store.method().definition.risk_matrix;
        let bands: HashSet<usize> = store
            .list::<Risk>()
            .unwrap()
            .iter()
            .filter_map(|r| crate::risk::inherent(matrix, r))
            .map(|l| l.band_index)
            .collect();
        assert_eq!(bands.len(), matrix.bands.len(), "risks in every band");
        let due = crate::gather::due_list(&store, day()).unwrap();
        for kind in [crate::due::DueKind::Omklassning, crate::due::DueKind::Atgard, crate::due::DueKind::Avtal] {
            assert!(due.iter().any(|d| d.kind == kind), "{kind:?} missing from the yearly cycle");
        }
        assert!(store.count::<Dependency>().unwrap() > 10);
        let report = store.check().unwrap();
        assert!(report.is_sound(), "{:?}", report.problems);
    }

    #[test]
    fn a_demo_into_a_database_with_systems_is_refused() {
        let mut store = Store::open_in_memory().unwrap();
        build(&mut store, &DemoConfig { systems: 3, seed: 1, today: Some(day()) }).unwrap();
        let e = build(&mut store, &DemoConfig { systems: 3, seed: 1, today: Some(day()) }).unwrap_err();
        assert!(e.to_string().contains("ny databasfil"), "{e}");
        assert!(
            build(&mut Store::open_in_memory().unwrap(), &DemoConfig { systems: 0, ..Default::default() }).is_err()
        );
    }
}
