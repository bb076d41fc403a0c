//! The duties that come back: a recurring control set up, a time it was done (which dates the
//! next, assesses the requirements it evidences, and turns deviations into an action), a
//! time-limited exception approved within its band's mandate or withdrawn, an extra
//! requirement put on a system or taken off, the kinds of control.

use crate::error::{Error, Result};
use crate::ids::{ControlId, ExceptionId, ExtraRequirementId, PersonId, SystemId};
use crate::method::Mandate;
use crate::model::*;
use crate::store::{Read, Store, Writer};
use chrono::{Duration, NaiveDate};

/// A new recurring control, as a person sets it up.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewControl {
    /// The kind.
    pub kind_id: crate::ids::ControlKindId,
    /// The system controlled; none for a control of a förvaltning or the organisation.
    #[serde(default)]
    pub system_id: Option<SystemId>,
    /// The förvaltning, for a control without a system.
    #[serde(default)]
    pub forvaltning_id: Option<crate::ids::ForvaltningId>,
    /// Who does it.
    #[serde(default)]
    pub responsible_id: Option<PersonId>,
    /// How often, in months (the kind's interval when not given).
    #[serde(default)]
    pub interval_months: Option<u8>,
    /// How it is done.
    #[serde(default)]
    pub method: String,
    /// When it is first due (today when not given).
    #[serde(default)]
    pub first_due: Option<NaiveDate>,
}

/// Sets up a recurring control: titled by its kind and system, evidencing the kind's
/// requirements, in the system's förvaltning.
pub fn new_control(store: &mut Store, draft: &NewControl, today: NaiveDate) -> Result<Control> {
    let kind: ControlKind = store.get(draft.kind_id)?;
    let system = draft.system_id.map(|s| store.get::<System>(s)).transpose()?;
    if let Some(s) = &system
        && store
            .list_by::<Control>("system_id", &s.id.to_string())?
            .iter()
            .any(|c| c.kind_id == kind.id && c.runs(today))
    {
        return Err(Error::invalid(
            "kontrollmoment",
            format!("{} har redan ett kontrollmoment av typen {}; ändra det i stället", s.name, kind.name),
        ));
    }
    let title = match &system {
        Some(s) => format!("{} – {}", kind.name, s.name),
        None => kind.name.clone(),
    };
    let control = Control {
        kind_id: kind.id,
        title,
        system_id: system.as_ref().map(|s| s.id),
        forvaltning_id: system.as_ref().map(|s| s.forvaltning_id).or(draft.forvaltning_id),
        interval_months: draft.interval_months.unwrap_or(kind.interval_months),
        responsible_id: draft.responsible_id,
        method: draft.method.trim().to_string(),
        requirement_codes: kind.requirement_codes.clone(),
        first_due: draft.first_due.unwrap_or(today),
        ended_on: None,
        ..Default::default()
    };
    store.write("Nytt kontrollmoment", |w| w.insert(control))
}

/// What recording a done control changed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ControlOutcome {
    /// The run recorded.
    pub run: ControlRun,
    /// When the control is next due.
    pub next_due: NaiveDate,
    /// The requirement statuses it assessed, with the control as evidence.
    pub statuses: Vec<RequirementStatus>,
    /// The action its deviations became, if any.
    pub action: Option<Action>,
    /// A restore test slower than the system's RTO: the hours achieved and the RTO.
    #[cfg_attr(feature = "ts", ts(type = "[number, number] | null"))]
    pub over_rto: Option<(u32, u32)>,
}

/// Records a control as done, in one transaction: the run; on the control's system, the
/// status of each requirement it evidences (uppfyllt without remarks, delvis with deviations
/// or a restore slower than the RTO), with the run as evidence, unless a later assessment
/// stands; a restore test dates the system's last tested restore; deviations become an
/// action due in a month, for the control's responsible person. Refused, nothing written, for
/// a date after `today`, a stopped control or a run without who did it.
pub fn control_done(store: &mut Store, done: &ControlDone, today: NaiveDate) -> Result<ControlOutcome> {
    if done.done_on > today {
        return Err(Error::invalid(
            "utförd",
            format!("{} har inte varit än; en kontroll dateras den dag den gjordes", done.done_on),
        ));
    }
    let control: Control = store.get(done.control_id)?;
    if !control.runs(done.done_on) {
        return Err(Error::invalid(
            "kontrollmoment",
            format!("«{}» upphörde {}; starta det igen först", control.title, control.ended_on.unwrap_or(today)),
        ));
    }
    let kind: ControlKind = store.get(control.kind_id)?;
    let name = format!("Kontroll utförd: {}", control.title);
    store.write(&name, |w| record_done(w, &control, &kind, done))
}

/// [`control_done`] inside a write that has checked the date and that the control runs (the
/// demo records its controls through this too).
pub(crate) fn record_done(
    w: &mut Writer<'_>,
    control: &Control,
    kind: &ControlKind,
    done: &ControlDone,
) -> Result<ControlOutcome> {
    let run = w.insert(done.run())?;
    let system = control.system_id.map(|s| w.get::<System>(s)).transpose()?;
    let over_rto = match (&system, run.restore_hours) {
        (Some(s), Some(h)) => s.rto_hours.filter(|rto| h > *rto).map(|rto| (h, rto)),
        _ => None,
    };
    let mut statuses = Vec::new();
    let mut action = None;
    if let Some(s) = &system {
        if kind.figures == ControlFigures::Aterlasning && s.restore_tested_on.is_none_or(|d| d < run.done_on) {
            w.update(System { restore_tested_on: Some(run.done_on), ..s.clone() })?;
        }
        statuses = evidence(w, control, &run, s.id, over_rto)?;
    }
    if run.result == ControlResult::MedAvvikelser {
        action = Some(deviations_action(w, control, &run, control.system_id)?);
    }
    let next_due = control.next_due(Some(last_done(w, control.id)?.unwrap_or(run.done_on)));
    Ok(ControlOutcome { run, next_due, statuses, action, over_rto })
}

/// The latest date a control was done.
pub fn last_done(store: &impl Read, control: ControlId) -> Result<Option<NaiveDate>> {
    Ok(store.list_by::<ControlRun>("control_id", &control.to_string())?.iter().map(|r| r.done_on).max())
}

/// The requirements a run evidences on its system, assessed from it.
fn evidence(
    w: &mut Writer<'_>,
    control: &Control,
    run: &ControlRun,
    system: SystemId,
    over_rto: Option<(u32, u32)>,
) -> Result<Vec<RequirementStatus>> {
    let requirements = w.list::<Requirement>()?;
    let earlier = w.list_by::<RequirementStatus>("system_id", &system.to_string())?;
    let mut out = Vec::new();
    for code in &control.requirement_codes {
        let Some(r) = requirements.iter().find(|r| r.code.eq_ignore_ascii_case(code.trim())) else { continue };
        let before = earlier.iter().find(|s| s.requirement_id == r.id);
        if before.and_then(|b| b.assessed_on).is_some_and(|on| on > run.done_on) {
            continue; // a later assessment stands
        }
        let (status, how) = match (run.result, over_rto) {
            (ControlResult::UtanAnmarkning, None) => (Compliance::Uppfyllt, control.method.clone()),
            (ControlResult::UtanAnmarkning, Some((h, rto))) => {
                (Compliance::Delvis, format!("Återställningen tog {h} h mot RTO {rto} h."))
            }
            (ControlResult::MedAvvikelser, _) => (Compliance::Delvis, format!("Avvikelser: {}", run.findings)),
        };
        let how = if how.trim().is_empty() { run.method.clone() } else { how };
        let assessment = Assessment {
            requirement_id: r.id,
            status,
            how,
            reason: String::new(),
            evidence: format!(
                "Kontrollmoment «{}» utfört {} av {}: {}{}",
                control.title,
                run.done_on,
                run.done_by,
                run.result.label().to_lowercase(),
                figures(run)
            ),
            evidence_ref: format!("kontroll {}", crate::find::short_id(&run.id.to_string())),
            assessed_by: None,
            assessed_on: Some(run.done_on),
        };
        let stored = match before {
            Some(b) => w.update(assessment.status(system, Some(b), run.done_on))?,
            None => w.insert(assessment.status(system, None, run.done_on))?,
        };
        out.push(stored);
    }
    Ok(out)
}

/// ", 212 konton granskade, 9 borttagna", ", återställt på 6 h".
fn figures(run: &ControlRun) -> String {
    let mut out = String::new();
    if let Some(n) = run.accounts_reviewed {
        out.push_str(&format!(", {n} konton granskade"));
    }
    if let Some(n) = run.accounts_removed {
        out.push_str(&format!(", {n} borttagna"));
    }
    if let Some(h) = run.restore_hours {
        out.push_str(&format!(", återställt på {h} h"));
    }
    out
}

/// The action a run's deviations become, linked (on a system) to the first requirement the
/// control evidences.
fn deviations_action(
    w: &mut Writer<'_>,
    control: &Control,
    run: &ControlRun,
    system: Option<SystemId>,
) -> Result<Action> {
    let action = w.insert(Action {
        title: format!("Åtgärda avvikelser: {}", control.title),
        description: run.findings.clone(),
        system_id: system,
        responsible_id: control.responsible_id,
        due_on: Some(run.done_on + Duration::days(30)),
        note: format!("Från kontrollen {} ({}).", run.done_on, run.done_by),
        ..Default::default()
    })?;
    let requirements = w.list::<Requirement>()?;
    if system.is_some()
        && let Some(r) = control
            .requirement_codes
            .iter()
            .find_map(|c| requirements.iter().find(|r| r.code.eq_ignore_ascii_case(c.trim())))
    {
        w.insert(ActionLink { action_id: action.id, requirement_id: Some(r.id), ..Default::default() })?;
    }
    Ok(action)
}

/// A new time-limited exception (avsteg), as a person asks for it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewException {
    /// The system.
    pub system_id: SystemId,
    /// The requirement.
    pub requirement_id: crate::ids::RequirementId,
    /// Why.
    pub reason: String,
    /// What compensates.
    #[serde(default)]
    pub compensating: String,
    /// The risk accepted meanwhile: probability.
    #[serde(default)]
    pub probability: Option<u8>,
    /// The risk accepted meanwhile: consequence.
    #[serde(default)]
    pub consequence: Option<u8>,
    /// Who approved it.
    #[serde(default)]
    pub approved_by: Option<PersonId>,
    /// Under which mandate (the band's lowest when not given; systemägare without a risk).
    #[serde(default)]
    pub approved_as: Option<Mandate>,
    /// When (today when not given).
    #[serde(default)]
    pub approved_on: Option<NaiveDate>,
    /// The last day it holds.
    pub valid_until: NaiveDate,
}

/// Approves a time-limited exception from a requirement that applies to the system. Refused,
/// nothing written, when the requirement does not apply to it, another exception from it
/// already holds, the mandate is below the risk band's, or the dates are wrong.
pub fn new_exception(store: &mut Store, draft: &NewException, today: NaiveDate) -> Result<Exception> {
    let system: System = store.get(draft.system_id)?;
    let requirement: Requirement = store.get(draft.requirement_id)?;
    let method = store.method().definition.clone();
    let rows = crate::gather::system_requirements(store, &method, system.id, today)?;
    if !rows.iter().any(|r| r.requirement.id == requirement.id) {
        return Err(Error::invalid(
            "krav",
            format!(
                "{} gäller inte {} (varken genom skyddsnivån, basnivån eller som tilläggskrav)",
                requirement.code, system.name
            ),
        ));
    }
    let mut exception = Exception {
        system_id: system.id,
        requirement_id: requirement.id,
        reason: draft.reason.trim().to_string(),
        compensating: draft.compensating.trim().to_string(),
        probability: draft.probability,
        consequence: draft.consequence,
        approved_by: draft.approved_by,
        approved_as: Mandate::Systemagare,
        approved_on: draft.approved_on.unwrap_or(today),
        valid_until: draft.valid_until,
        withdrawn_on: None,
        ..Default::default()
    };
    exception.approved_as = match (draft.approved_as, exception.band(&method)?) {
        (Some(m), _) => m,
        (None, Some((_, lowest))) => lowest.max(Mandate::Systemagare),
        (None, None) => Mandate::Systemagare,
    };
    check_exception(store, &exception, today)?;
    store.write(&format!("Avsteg från {}", requirement.code), |w| w.insert(exception))
}

/// The rules an exception keeps however it is saved: approved no later than `today`, and no
/// other exception from the same requirement on the same system holding at the same time.
pub(crate) fn check_exception(store: &impl Read, e: &Exception, today: NaiveDate) -> Result<()> {
    if e.approved_on > today {
        return Err(Error::invalid("godkänt den", format!("{} har inte varit än", e.approved_on)));
    }
    let code = store.get::<Requirement>(e.requirement_id)?.code;
    let overlapping = store.list_by::<Exception>("system_id", &e.system_id.to_string())?.into_iter().find(|o| {
        o.id != e.id
            && o.requirement_id == e.requirement_id
            && o.withdrawn(today).is_none()
            && o.approved_on <= e.valid_until
            && e.approved_on <= o.valid_until
    });
    if let Some(o) = overlapping {
        return Err(Error::invalid(
            "avsteg",
            format!(
                "ett avsteg från {code} gäller redan {} t.o.m. {}; ändra det eller återkalla det först",
                o.approved_on, o.valid_until
            ),
        ));
    }
    Ok(())
}

/// Withdraws an exception from `on` (the requirement met, or the exception refused on
/// review): from that day the requirement is a gap again unless it is met.
pub fn withdraw_exception(store: &mut Store, id: ExceptionId, on: NaiveDate) -> Result<Exception> {
    let e: Exception = store.get(id)?;
    if e.withdrawn_on.is_some() {
        return Err(Error::invalid("avsteg", "avsteget är redan återkallat"));
    }
    if on < e.approved_on {
        return Err(Error::invalid("återkallat den", format!("{on} är före beslutet om avsteget {}", e.approved_on)));
    }
    if on > e.valid_until {
        return Err(Error::invalid(
            "avsteg",
            format!("avsteget gällde bara t.o.m. {}; det behöver inte återkallas", e.valid_until),
        ));
    }
    store.write("Avsteg återkallat", |w| w.update(Exception { withdrawn_on: Some(on), ..e }))
}

/// Puts an extra requirement (tilläggskrav) on a system. Refused when the system already
/// carries it as one.
pub fn add_extra_requirement(store: &mut Store, extra: ExtraRequirement) -> Result<ExtraRequirement> {
    let system: System = store.get(extra.system_id)?;
    let requirement: Requirement = store.get(extra.requirement_id)?;
    if store
        .list_by::<ExtraRequirement>("system_id", &system.id.to_string())?
        .iter()
        .any(|e| e.requirement_id == requirement.id && e.id != extra.id)
    {
        return Err(Error::invalid(
            "tilläggskrav",
            format!("{} har redan {} som tilläggskrav", system.name, requirement.code),
        ));
    }
    if extra.id.is_nil() {
        store.write(&format!("Tilläggskrav {}", requirement.code), |w| w.insert(extra))
    } else {
        store.write(&format!("Ändra tilläggskrav {}", requirement.code), |w| w.update(extra))
    }
}

/// Takes an extra requirement off its system (its assessment is kept, and no longer due).
pub fn remove_extra_requirement(store: &mut Store, id: ExtraRequirementId) -> Result<()> {
    let extra: ExtraRequirement = store.get(id)?;
    store.write("Tilläggskrav borttaget", |w| w.delete::<ExtraRequirement>(extra.id))
}

/// Saves a kind of control; two kinds never share a name (they are matched by name).
pub fn save_control_kind(store: &mut Store, kind: ControlKind) -> Result<ControlKind> {
    super::refuse_taken_name(
        store,
        kind.id,
        &kind.name,
        |k: &ControlKind| &k.name,
        "kontrolltypens namn",
        "kontrolltyp",
    )?;
    if kind.id.is_nil() {
        store.write("Ny kontrolltyp", |w| w.insert(kind))
    } else {
        store.write("Ändra kontrolltyp", |w| w.update(kind))
    }
}

/// Saves a system's systemsäkerhetsplan texts: one per system.
pub fn save_security_plan(store: &mut Store, plan: SecurityPlan) -> Result<SecurityPlan> {
    let system: System = store.get(plan.system_id)?;
    let existing = store.list_by::<SecurityPlan>("system_id", &system.id.to_string())?;
    match existing.first() {
        Some(e) if e.id != plan.id => Err(Error::invalid(
            "systemsäkerhetsplan",
            format!("{} har redan en systemsäkerhetsplan; ändra den", system.name),
        )),
        Some(_) => store.write("Ändra systemsäkerhetsplan", |w| w.update(plan)),
        None => store.write("Ny systemsäkerhetsplan", |w| w.insert(SecurityPlan { id: Default::default(), ..plan })),
    }
}
