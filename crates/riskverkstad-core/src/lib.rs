//! Riskverkstad's core: the whole method of Swedish municipal information security work
//! (system register, information classification, risk analysis, action plan, decisions and
//! the yearly cycle) over an embedded SQLite store.
//!
//! The core knows nothing of Tauri, windows, argv or exit codes. Everything the desktop app
//! and the `riskverkstad` CLI do goes through the small API re-exported here.
//!
//! ```
//! use riskverkstad_core::{demo, register_list::{Register, RegisterQuery}, store::Store};
//!
//! let mut store = Store::open_in_memory().unwrap();
//! demo::build(&mut store, &demo::DemoConfig { systems: 12, seed: 7, ..Default::default() }).unwrap();
//! let register = Register::load(&store).unwrap();
//! let hits = register.search(&RegisterQuery { text: "ekonomi".into(), ..Default::default() });
//! assert!(hits.len() <= 12);
//! ```
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod backup;
pub mod decisions;
pub mod demo;
pub mod error;
pub mod exchange;
pub mod files;
pub mod find;
pub mod gather;
pub mod ops;
pub mod register_file;
pub mod register_list;
pub mod store;
pub mod usecase;
pub mod views;

// The domain, re-exported where it has always been reachable: `riskverkstad_core::model::System`.
pub use riskverkstad_domain::{
    catalog, due, for_each_record, gaps, ids, incident, method, model, profile, record, risk,
};

pub use error::{Error, Result};

/// Applies `$mac!(Type)` to every enum stored as text (`text_enum!`): the list the UI's
/// types and Swedish labels are generated from.
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_text_enum {
    ($mac:ident) => {
        $mac!($crate::method::Aspect);
        $mac!($crate::method::Mandate);
        $mac!($crate::backup::BackupReason);
        $mac!($crate::model::ForvaltningKind);
        $mac!($crate::model::Role);
        $mac!($crate::model::PartyKind);
        $mac!($crate::model::SystemCategory);
        $mac!($crate::model::Lifecycle);
        $mac!($crate::model::OperationForm);
        $mac!($crate::model::DataLocation);
        $mac!($crate::model::Nis2);
        $mac!($crate::model::DependencyKind);
        $mac!($crate::model::DependencyCriticality);
        $mac!($crate::model::ClassificationStatus);
        $mac!($crate::model::RaiseReason);
        $mac!($crate::model::Compliance);
        $mac!($crate::model::RequirementBasis);
        $mac!($crate::model::ThreatCategory);
        $mac!($crate::model::AnalysisStatus);
        $mac!($crate::model::Treatment);
        $mac!($crate::model::ActionStatus);
        $mac!($crate::model::DecisionKind);
        $mac!($crate::model::DecisionState);
        $mac!($crate::model::DecisionOutcome);
        $mac!($crate::model::IncidentStatus);
        $mac!($crate::model::Answer);
        $mac!($crate::model::ControlResult);
        $mac!($crate::model::ControlFigures);
        $mac!($crate::model::RequirementSource);
        $mac!($crate::incident::ReportKind);
        $mac!($crate::incident::DeadlineState);
        $mac!($crate::due::DueKind);
        $mac!($crate::due::DueState);
        $mac!($crate::gaps::GapKind);
        $mac!($crate::gaps::Place);
    };
}
