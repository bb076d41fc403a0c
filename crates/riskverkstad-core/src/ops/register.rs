//! The register: a new system, and the information sets it holds.

use crate::error::{Error, Result};
use crate::ids::{ForvaltningId, InformationSetId, SystemId};
use crate::model::{InformationSet, Lifecycle, System, SystemInformationSet};
use crate::store::{Read, Store};

/// A new system in a förvaltning, planerad until said otherwise.
pub fn create_system(store: &mut Store, name: &str, forvaltning: ForvaltningId) -> Result<System> {
    let system = System {
        name: name.trim().to_string(),
        forvaltning_id: forvaltning,
        lifecycle: Lifecycle::Planerad,
        ..Default::default()
    };
    store.write("Nytt system", |w| w.insert(system))
}

/// A new information set held by `system`, in the system's förvaltning, linked to it in the
/// same transaction.
pub fn add_information_set(
    store: &mut Store,
    system: SystemId,
    name: &str,
    description: &str,
) -> Result<InformationSet> {
    store.write("Ny informationsmängd", |w| {
        let s: System = w.get(system)?;
        let set = w.insert(InformationSet {
            name: name.trim().to_string(),
            description: description.trim().to_string(),
            forvaltning_id: Some(s.forvaltning_id),
            ..Default::default()
        })?;
        w.insert(SystemInformationSet { system_id: system, information_set_id: set.id, ..Default::default() })?;
        Ok(set)
    })
}

/// Links an information set to a system. The system must then be re-examined: the yearly
/// cycle lists it until a newer risk analysis or decision is recorded.
pub fn link_information_set(
    store: &mut Store,
    system: SystemId,
    set: InformationSetId,
) -> Result<SystemInformationSet> {
    store.write("Koppla informationsmängd", |w| {
        let existing = w.list_by::<SystemInformationSet>("system_id", &system.to_string())?;
        if existing.iter().any(|l| l.information_set_id == set) {
            return Err(Error::invalid("informationsmängd", "informationsmängden är redan kopplad till systemet"));
        }
        w.insert(SystemInformationSet { system_id: system, information_set_id: set, ..Default::default() })
    })
}
