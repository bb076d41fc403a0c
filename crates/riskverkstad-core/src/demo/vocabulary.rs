//! The demo's vocabulary (`data/demo.json`): the municipality, its förvaltningar and units,
//! names, suppliers, system templates with their information sets, risk scenarios and
//! actions.

use crate::method::Aspect;
use crate::model::*;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
pub(super) struct Vocabulary {
    pub(super) organisation: String,
    pub(super) forvaltningar: Vec<ForvaltningEntry>,
    pub(super) first_names: Vec<String>,
    pub(super) last_names: Vec<String>,
    pub(super) titles: HashMap<String, String>,
    pub(super) suppliers: Vec<SupplierEntry>,
    pub(super) external_parties: Vec<String>,
    pub(super) systems: Vec<SystemEntry>,
    pub(super) risk_scenarios: Vec<ScenarioEntry>,
    pub(super) actions: Vec<String>,
    pub(super) analysis_scopes: Vec<String>,
}

#[derive(Deserialize)]
pub(super) struct ForvaltningEntry {
    pub(super) name: String,
    pub(super) short: String,
    pub(super) kind: ForvaltningKind,
    pub(super) units: Vec<String>,
}

#[derive(Deserialize)]
pub(super) struct SupplierEntry {
    pub(super) name: String,
    pub(super) operation: OperationForm,
    pub(super) data_location: DataLocation,
}

#[derive(Deserialize)]
pub(super) struct SystemEntry {
    pub(super) name: String,
    pub(super) aliases: Vec<String>,
    pub(super) description: String,
    pub(super) category: SystemCategory,
    pub(super) forvaltning: Option<String>,
    pub(super) critical: bool,
    pub(super) samhallsviktig: bool,
    pub(super) information_sets: Vec<SetEntry>,
}

#[derive(Deserialize)]
pub(super) struct SetEntry {
    pub(super) name: String,
    pub(super) description: String,
    pub(super) k: u8,
    pub(super) r: u8,
    pub(super) t: u8,
    pub(super) s: u8,
    pub(super) personal_data: bool,
    pub(super) sensitive: bool,
}

#[derive(Deserialize)]
pub(super) struct ScenarioEntry {
    pub(super) title: String,
    pub(super) orsak: String,
    pub(super) handelse: String,
    pub(super) konsekvens: String,
    pub(super) aspects: Vec<Aspect>,
}

pub(super) const VOCABULARY: &str = include_str!("../../data/demo.json");
