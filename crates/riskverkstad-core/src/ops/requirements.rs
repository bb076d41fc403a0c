//! Kravuppföljning: a system's assessment against its requirements, one requirement at a
//! time or a whole workshop's list at once.

use crate::error::{Error, Result};
use crate::ids::SystemId;
use crate::model::{Assessment, Requirement, RequirementStatus, System};
use crate::store::{Read, Store};
use chrono::NaiveDate;

/// Records `assessments` of `system`'s requirements in one transaction: each replaces the
/// system's earlier status for its requirement (kept as the same record, so its history
/// shows every assessment). An assessment without a date is made `today`. Refused, nothing
/// written, when one of them is not valid (ej tillämpligt without a reason, an unknown
/// requirement) or names a requirement twice.
pub fn assess(
    store: &mut Store,
    system: SystemId,
    assessments: &[Assessment],
    today: NaiveDate,
) -> Result<Vec<RequirementStatus>> {
    let mut seen = std::collections::HashSet::new();
    for a in assessments {
        if !seen.insert(a.requirement_id) {
            return Err(Error::invalid("krav", "samma krav är bedömt två gånger i samma bedömning"));
        }
        if let Some(on) = a.assessed_on
            && on > today
        {
            return Err(Error::invalid(
                "bedömd den",
                format!("{on} har inte varit än; en bedömning dateras den dag den gjordes"),
            ));
        }
    }
    let action = match assessments {
        [_] => "Kravbedömning".to_string(),
        many => format!("Kravbedömning ({} krav)", many.len()),
    };
    store.write(&action, |w| {
        w.get::<System>(system)?;
        let earlier = w.list_by::<RequirementStatus>("system_id", &system.to_string())?;
        let mut out = Vec::with_capacity(assessments.len());
        for a in assessments {
            let requirement: Requirement = w.get(a.requirement_id)?;
            let before = earlier.iter().find(|s| s.requirement_id == a.requirement_id);
            let status = a.status(system, before, today);
            let stored = match before {
                Some(_) => w.update(status),
                None => w.insert(status),
            }
            .map_err(|e| match e {
                Error::Invalid(i) => Error::invalid(format!("{} {}", requirement.code, i.field), i.message),
                other => other,
            })?;
            out.push(stored);
        }
        Ok(out)
    })
}
