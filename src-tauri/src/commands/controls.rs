//! Recurring controls and exceptions: every control with where it stands, one control with its
//! runs, a control set up, changed, done or stopped, the kinds of control; the exceptions, one
//! approved or withdrawn; a system's extra requirements and its systemsäkerhetsplan's texts.

use super::today;
use crate::error::IpcError;
use crate::state::AppState;
use chrono::NaiveDate;
use riskverkstad_core::ids::*;
use riskverkstad_core::model::*;
use riskverkstad_core::ops::edit::Edit;
use riskverkstad_core::ops::{self, ControlOutcome, NewControl, NewException};
use riskverkstad_core::store::Read as _;
use riskverkstad_core::views::{ControlRow, ControlView, ExceptionRow};

/// Every control (or one system's), due ones first.
pub fn controls(state: &AppState, system_id: Option<SystemId>) -> Result<Vec<ControlRow>, IpcError> {
    state.with(|s| Ok(riskverkstad_core::views::controls(&s.store, system_id, today())?))
}

/// One control with every time it was done.
pub fn control(state: &AppState, id: ControlId) -> Result<ControlView, IpcError> {
    state.with(|s| Ok(riskverkstad_core::views::control_view(&s.store, id, today())?))
}

/// A new recurring control.
pub fn new_control(state: &AppState, control: NewControl) -> Result<Control, IpcError> {
    state.write(|s| Ok(ops::new_control(&mut s.store, &control, today())?))
}

/// Saves a changed control (stopping it sets its end date).
pub fn save_control(state: &AppState, control: Control) -> Result<Control, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, control, today())?))
}

/// Records a control as done.
pub fn control_done(state: &AppState, done: ControlDone) -> Result<ControlOutcome, IpcError> {
    state.write(|s| Ok(ops::control_done(&mut s.store, &done, today())?))
}

/// Corrects a recorded run (its note, figures, who did it).
pub fn save_control_run(state: &AppState, run: ControlRun) -> Result<ControlRun, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, run, today())?))
}

/// The kinds of control.
pub fn control_kinds(state: &AppState) -> Result<Vec<ControlKind>, IpcError> {
    state.with(|s| Ok(s.store.list()?))
}

/// Saves a kind of control (a nil id is new).
pub fn save_control_kind(state: &AppState, kind: ControlKind) -> Result<ControlKind, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, kind, today())?))
}

/// Every exception (or one system's).
pub fn exceptions(state: &AppState, system_id: Option<SystemId>) -> Result<Vec<ExceptionRow>, IpcError> {
    state.with(|s| Ok(riskverkstad_core::views::exceptions(&s.store, system_id, today())?))
}

/// A new exception, approved within its band's mandate.
pub fn new_exception(state: &AppState, exception: NewException) -> Result<Exception, IpcError> {
    state.write(|s| Ok(ops::new_exception(&mut s.store, &exception, today())?))
}

/// Saves a changed exception (its reason, compensation, dates).
pub fn save_exception(state: &AppState, exception: Exception) -> Result<Exception, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, exception, today())?))
}

/// Withdraws an exception from a day (today when not given).
pub fn withdraw_exception(state: &AppState, id: ExceptionId, on: Option<NaiveDate>) -> Result<Exception, IpcError> {
    state.write(|s| Ok(ops::withdraw_exception(&mut s.store, id, on.unwrap_or_else(today))?))
}

/// A system's extra requirements.
pub fn extra_requirements(state: &AppState, system_id: SystemId) -> Result<Vec<ExtraRequirement>, IpcError> {
    state.with(|s| Ok(s.store.list_by("system_id", &system_id.to_string())?))
}

/// Saves an extra requirement on a system (a nil id is new).
pub fn save_extra_requirement(state: &AppState, extra: ExtraRequirement) -> Result<ExtraRequirement, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, extra, today())?))
}

/// Takes an extra requirement off its system.
pub fn remove_extra_requirement(state: &AppState, id: ExtraRequirementId) -> Result<(), IpcError> {
    state.write(|s| Ok(ops::remove_extra_requirement(&mut s.store, id)?))
}

/// A system's systemsäkerhetsplan texts, if written.
pub fn security_plan(state: &AppState, system_id: SystemId) -> Result<Option<SecurityPlan>, IpcError> {
    state.with(|s| Ok(s.store.list_by::<SecurityPlan>("system_id", &system_id.to_string())?.into_iter().next()))
}

/// Saves a system's systemsäkerhetsplan texts.
pub fn save_security_plan(state: &AppState, plan: SecurityPlan) -> Result<SecurityPlan, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, plan, today())?))
}
