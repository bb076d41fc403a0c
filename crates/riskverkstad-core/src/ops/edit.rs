//! Editing a record from a form or a command line: the one save both shells call for every
//! record kind ([`Edit::save`]), with each kind's rules of what editing may not touch.
//!
//! Every field a person sees can be changed, unless the domain forbids it: a kind made and
//! changed only through its own use case ([`Edit::THROUGH`]: a decision is made and then
//! frozen, a classification is made in a workshop and fastställd by its owner, a method is
//! saved as a new version), or a field another use case sets ([`Edit::FIXED`]: a risk's
//! acceptance is given within its band's mandate). Every record kind implements [`Edit`]
//! (the registry [`crate::for_each_record!`] requires it), so a new kind cannot be left
//! without an answer.

use crate::error::{Error, Result};
use crate::model::*;
use crate::store::{Read, Record, Store};
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// How a record kind is edited.
pub trait Edit: Record {
    /// The audit log's names of a new record and of a change ("Nytt system", "Ändra system").
    const NAMES: (&'static str, &'static str);
    /// Fields editing does not change, each with the use case that does (in Swedish).
    const FIXED: &'static [(&'static str, &'static str)] = &[];
    /// For a kind only its own use cases make and change: which, in Swedish.
    const THROUGH: Option<&'static str> = None;

    /// Saves `rec` from a form: new when its id is nil, else a change of the stored one (its
    /// revision must be the stored one). Refused, nothing written, for a kind edited only
    /// through its use case, or when a fixed field differs from the stored record.
    fn save(store: &mut Store, rec: Self, today: NaiveDate) -> Result<Self> {
        let _ = today;
        save_checked(store, rec)
    }
}

/// [`Edit::save`]'s default: the kind's and the fields' rules checked, then stored.
fn save_checked<R: Edit>(store: &mut Store, rec: R) -> Result<R> {
    if let Some(through) = R::THROUGH {
        return Err(Error::invalid(R::LABEL.to_lowercase(), format!("ändras inte här: {through}")));
    }
    let (new, change) = R::NAMES;
    if rec.id().into().is_nil() {
        return store.write(new, |w| w.insert(rec));
    }
    let before: R = store.get(rec.id())?;
    check_fixed(&before, &rec)?;
    store.write(change, |w| w.update(rec))
}

/// Refuses a change of a field the kind does not let editing change.
pub fn check_fixed<R: Edit>(before: &R, after: &R) -> Result<()> {
    if R::FIXED.is_empty() {
        return Ok(());
    }
    let (b, a) = (crate::store::to_object(before)?, crate::store::to_object(after)?);
    for (field, through) in R::FIXED {
        if b.get(*field) != a.get(*field) {
            let label = crate::record::swedish_name(field).unwrap_or(field);
            return Err(Error::invalid(label, format!("ändras inte här: {through}")));
        }
    }
    Ok(())
}

/// How one field of a kind is edited: listed by `riskverkstad records fields`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldEditing {
    /// The field's name (as in JSON).
    pub field: String,
    /// Its Swedish name.
    pub label: String,
    /// Whether editing changes it.
    pub editable: bool,
    /// When not: what does, in Swedish.
    pub through: Option<String>,
}

/// Every field of `R` and whether editing changes it (the common fields never).
pub fn fields_of<R: Edit>() -> Vec<FieldEditing> {
    R::COLUMNS
        .iter()
        .map(|(field, _)| {
            let fixed = R::FIXED.iter().find(|(f, _)| f == field).map(|(_, why)| *why);
            let through = R::THROUGH.or(fixed);
            FieldEditing {
                field: field.to_string(),
                label: crate::record::swedish_name(field).unwrap_or(field).to_string(),
                editable: through.is_none(),
                through: through.map(str::to_string),
            }
        })
        .collect()
}

/// The record `rec` with `changes` (field, typed text) applied: each field named as in JSON
/// or by its Swedish name (any case), each value read as the field's type needs it (empty:
/// none; ja/nej; a number; a date ÅÅÅÅ-MM-DD; a key; a list as JSON or separated by commas;
/// JSON). Refused when a field is unknown, a common field, or not editable, or when a value
/// does not fit.
pub fn patched<R: Edit>(rec: &R, changes: &[(String, String)]) -> Result<R> {
    let mut object = crate::store::to_object(rec)?;
    let mut typed = rec.clone();
    for (name, text) in changes {
        let field = field_named::<R>(name)?;
        let label = crate::record::swedish_name(field).unwrap_or(field);
        if let Some(f) = fields_of::<R>().into_iter().find(|f| f.field == field)
            && let Some(through) = f.through
        {
            return Err(Error::invalid(label, format!("ändras inte här: {through}")));
        }
        let mut fitted = None;
        for candidate in candidates(text) {
            let mut trial = object.clone();
            trial.insert(field.to_string(), candidate);
            if let Ok(r) = serde_json::from_value::<R>(Value::Object(trial.clone())) {
                fitted = Some((trial, r));
                break;
            }
        }
        let Some((next, r)) = fitted else {
            return Err(Error::invalid(label, format!("«{text}» passar inte fältet {field}")));
        };
        object = next;
        typed = r;
    }
    Ok(typed)
}

/// The field `name` means: its JSON name or its Swedish name, any case.
fn field_named<R: Edit>(name: &str) -> Result<&'static str> {
    let wanted = name.trim().to_lowercase();
    if crate::store::META_COLUMNS.iter().any(|(c, _)| *c == wanted) {
        return Err(Error::invalid(name, "de gemensamma fälten (id, ursprung, version, tider) sätts av programmet"));
    }
    R::COLUMNS
        .iter()
        .map(|(c, _)| *c)
        .find(|c| *c == wanted || crate::record::swedish_name(c).is_some_and(|s| s.to_lowercase() == wanted))
        .ok_or_else(|| {
            let names: Vec<&str> = R::COLUMNS.iter().map(|(c, _)| *c).collect();
            Error::invalid(name, format!("{} har inget sådant fält; fälten är {}", R::LABEL, names.join(", ")))
        })
}

/// The JSON values a typed text may mean, the most specific first.
fn candidates(text: &str) -> Vec<Value> {
    let t = text.trim();
    let mut out = Vec::new();
    if t.is_empty() {
        out.push(Value::Null);
        out.push(Value::String(String::new()));
        out.push(Value::Array(vec![]));
        return out;
    }
    match t.to_lowercase().as_str() {
        "ja" | "true" => out.push(Value::Bool(true)),
        "nej" | "false" => out.push(Value::Bool(false)),
        _ => {}
    }
    if let Ok(v) = serde_json::from_str::<Value>(t)
        && !v.is_string()
    {
        out.push(v);
    }
    out.push(Value::String(t.to_string()));
    out.push(Value::Array(
        t.split(',').map(|p| p.trim()).filter(|p| !p.is_empty()).map(|p| Value::String(p.to_string())).collect(),
    ));
    out
}

/// A record in the form people read and scripts parse: its JSON object.
pub fn object_of<R: Record>(rec: &R) -> Result<Map<String, Value>> {
    crate::store::to_object(rec)
}

macro_rules! plain {
    ($($t:ty => $new:literal / $change:literal),* $(,)?) => {
        $( impl Edit for $t { const NAMES: (&'static str, &'static str) = ($new, $change); } )*
    };
}

plain!(
    Organisation => "Ny organisation" / "Ändra organisation",
    Unit => "Ny enhet" / "Ändra enhet",
    Person => "Ny person" / "Ändra person",
    ExternalParty => "Ny extern part" / "Ändra extern part",
    System => "Nytt system" / "Ändra system",
    InformationSet => "Ny informationsmängd" / "Ändra informationsmängd",
    RoleAssignment => "Ny roll" / "Ändra roll",
    Dependency => "Nytt beroende" / "Ändra beroende",
);

impl Edit for Forvaltning {
    const NAMES: (&'static str, &'static str) = ("Ny förvaltning", "Ändra förvaltning");
    const FIXED: &'static [(&'static str, &'static str)] =
        &[("organisation_id", "en förvaltning hör till databasens organisation")];
}

impl Edit for SystemInformationSet {
    const NAMES: (&'static str, &'static str) =
        ("Ny koppling till informationsmängd", "Ändra koppling till informationsmängd");
    const FIXED: &'static [(&'static str, &'static str)] = &[
        ("system_id", "en koppling tas bort och görs om"),
        ("information_set_id", "en koppling tas bort och görs om"),
    ];
}

impl Edit for Requirement {
    const NAMES: (&'static str, &'static str) = ("Nytt krav", "Ändra krav");
    const FIXED: &'static [(&'static str, &'static str)] = &[("builtin", "anger att kravet följer med programmet")];
}

impl Edit for RequirementStatus {
    const NAMES: (&'static str, &'static str) = ("Kravbedömning", "Kravbedömning");
    const FIXED: &'static [(&'static str, &'static str)] =
        &[("system_id", "en bedömning gäller sitt system"), ("requirement_id", "en bedömning gäller sitt krav")];
}

impl Edit for Threat {
    const NAMES: (&'static str, &'static str) = ("Nytt hot", "Ändra hot");
    const FIXED: &'static [(&'static str, &'static str)] = &[("builtin", "anger att hotet följer med programmet")];
}

impl Edit for MethodVersion {
    const NAMES: (&'static str, &'static str) = ("Ny metodversion", "Ny metodversion");
    const THROUGH: Option<&'static str> =
        Some("en metodversion ändras aldrig; metodredigeraren sparar en ny version (riskverkstad method save)");
}

impl Edit for Classification {
    const NAMES: (&'static str, &'static str) = ("Klassning", "Klassning");
    const THROUGH: Option<&'static str> = Some(
        "en klassning görs i klassningsworkshopen och fastställs av informationsägaren (riskverkstad classification new/decide)",
    );
}

impl Edit for ProtectionRaise {
    const NAMES: (&'static str, &'static str) = ("Höj skyddsnivå", "Höj skyddsnivå");
    const THROUGH: Option<&'static str> =
        Some("en höjning görs med Höj skyddsnivå och återkallas (riskverkstad classification raise/withdraw)");
}

impl Edit for RiskAnalysis {
    const NAMES: (&'static str, &'static str) = ("Ny riskanalys", "Ändra riskanalys");
    const FIXED: &'static [(&'static str, &'static str)] = &[
        ("system_id", "en analys gäller sitt system; gör en ny analys"),
        ("process", "en analys gäller sin process; gör en ny analys"),
        ("method_version_id", "analysen är gjord enligt sin metodversion"),
        ("based_on", "den analys den gjordes om från"),
    ];
}

impl Edit for Risk {
    const NAMES: (&'static str, &'static str) = ("Ny risk", "Ändra risk");
    const FIXED: &'static [(&'static str, &'static str)] = &[
        ("analysis_id", "en risk hör till sin analys"),
        ("accepted_by", "en risk accepteras inom bandets mandat (Acceptera risk)"),
        ("accepted_as", "en risk accepteras inom bandets mandat (Acceptera risk)"),
        ("accepted_on", "en risk accepteras inom bandets mandat (Acceptera risk)"),
        ("acceptance_reason", "en risk accepteras inom bandets mandat (Acceptera risk)"),
    ];

    /// A risk moved on the matrix (before or after treatment) is no longer the risk that was
    /// accepted: its acceptance goes with the move and must be given again within the new
    /// band's mandate. A new risk is never saved as accepted.
    fn save(store: &mut Store, rec: Self, today: NaiveDate) -> Result<Self> {
        let _ = today;
        if rec.id.is_nil() {
            return save_checked(store, Risk::unaccepted(rec));
        }
        let before: Risk = store.get(rec.id)?;
        check_fixed(&before, &rec)?;
        let moved = (before.probability, before.consequence, before.residual_probability, before.residual_consequence)
            != (rec.probability, rec.consequence, rec.residual_probability, rec.residual_consequence);
        let rec = if moved && before.accepted_by.is_some() { Risk::unaccepted(rec) } else { rec };
        store.write(Self::NAMES.1, |w| w.update(rec))
    }
}

impl Edit for Action {
    const NAMES: (&'static str, &'static str) = ("Ny åtgärd", "Ändra åtgärd");
    const FIXED: &'static [(&'static str, &'static str)] = &[
        ("system_id", "en åtgärd hör till sitt system; skapa en ny för ett annat"),
        ("decision_id", "åtgärden för ett villkor görs när driftgodkännandet fattas"),
    ];

    /// An action's completion date follows its status ([`Action::settle`]).
    fn save(store: &mut Store, rec: Self, today: NaiveDate) -> Result<Self> {
        if rec.id.is_nil() {
            return save_checked(store, rec);
        }
        let before: Action = store.get(rec.id)?;
        check_fixed(&before, &rec)?;
        super::save_action(store, rec, today)
    }
}

impl Edit for ActionLink {
    const NAMES: (&'static str, &'static str) = ("Ny åtgärdskoppling", "Ändra åtgärdskoppling");
    const THROUGH: Option<&'static str> = Some(
        "en åtgärd kopplas när den skapas för en risk eller ett krav (riskverkstad actions new --risk/--requirement)",
    );
}

impl Edit for Decision {
    const NAMES: (&'static str, &'static str) = ("Beslut", "Beslut");
    const THROUGH: Option<&'static str> =
        Some("ett beslut fattas som ett nytt beslut och ändras sedan inte (riskverkstad decision make)");
}

impl Edit for Incident {
    const NAMES: (&'static str, &'static str) = ("Ny incident", "Ändra incident");

    /// An incident's closing date follows its status ([`Incident::settle`]).
    fn save(store: &mut Store, rec: Self, today: NaiveDate) -> Result<Self> {
        if rec.id.is_nil() {
            return save_checked(store, rec);
        }
        super::save_incident(store, rec, today)
    }
}

impl Edit for IncidentLink {
    const NAMES: (&'static str, &'static str) = ("Koppla incident", "Koppla incident");
    const THROUGH: Option<&'static str> = Some(
        "en incident kopplas till system, informationsmängder, risker och åtgärder på incidentens sida (riskverkstad incidents link/unlink)",
    );
}

impl Edit for Recipient {
    const NAMES: (&'static str, &'static str) = ("Ny mottagare", "Ändra mottagare");

    /// Two recipients never share a name (reports are sent to a recipient by name).
    fn save(store: &mut Store, rec: Self, _: NaiveDate) -> Result<Self> {
        super::save_recipient(store, rec)
    }
}

impl Edit for IncidentReport {
    const NAMES: (&'static str, &'static str) = ("Rapport skickad", "Ändra skickad rapport");
    const FIXED: &'static [(&'static str, &'static str)] =
        &[("incident_id", "en rapport hör till sin incident; markera en ny rapport som skickad")];
}

impl Edit for ControlKind {
    const NAMES: (&'static str, &'static str) = ("Ny kontrolltyp", "Ändra kontrolltyp");

    /// Two kinds never share a name (they are matched by name between installations).
    fn save(store: &mut Store, rec: Self, _: NaiveDate) -> Result<Self> {
        super::save_control_kind(store, rec)
    }
}

impl Edit for Control {
    const NAMES: (&'static str, &'static str) = ("Nytt kontrollmoment", "Ändra kontrollmoment");
    const FIXED: &'static [(&'static str, &'static str)] = &[
        ("system_id", "ett kontrollmoment gäller sitt system; avsluta det och lägg upp ett nytt"),
        ("kind_id", "ett kontrollmoment har sin kontrolltyp; avsluta det och lägg upp ett nytt"),
    ];

    /// A new one is set up as [`super::new_control`] does it; a system's control stays in the
    /// system's förvaltning.
    fn save(store: &mut Store, mut rec: Self, today: NaiveDate) -> Result<Self> {
        if let Some(s) = rec.system_id {
            rec.forvaltning_id = Some(store.get::<System>(s)?.forvaltning_id);
        }
        if rec.id.is_nil() {
            let draft = super::NewControl {
                kind_id: rec.kind_id,
                system_id: rec.system_id,
                forvaltning_id: rec.forvaltning_id,
                responsible_id: rec.responsible_id,
                interval_months: Some(rec.interval_months),
                method: rec.method,
                first_due: Some(rec.first_due),
            };
            return super::new_control(store, &draft, today);
        }
        save_checked(store, rec)
    }
}

impl Edit for ControlRun {
    const NAMES: (&'static str, &'static str) = ("Kontroll utförd", "Ändra utförd kontroll");
    const FIXED: &'static [(&'static str, &'static str)] = &[
        ("control_id", "en utförd kontroll hör till sitt kontrollmoment; registrera en ny i stället"),
        (
            "result",
            "resultatet bedömde kraven och gav åtgärder när kontrollen registrerades; registrera kontrollen på nytt med rätt resultat",
        ),
    ];

    /// A new run is recorded as done (which dates the next and assesses the requirements).
    fn save(store: &mut Store, rec: Self, today: NaiveDate) -> Result<Self> {
        if rec.id.is_nil() {
            let done = ControlDone {
                control_id: rec.control_id,
                done_on: rec.done_on,
                done_by: rec.done_by,
                result: rec.result,
                findings: rec.findings,
                note: rec.note,
                method: rec.method,
                accounts_reviewed: rec.accounts_reviewed,
                accounts_removed: rec.accounts_removed,
                restore_hours: rec.restore_hours,
            };
            return Ok(super::control_done(store, &done, today)?.run);
        }
        if rec.done_on > today {
            return Err(Error::invalid(
                "utförd",
                format!("{} har inte varit än; en kontroll dateras den dag den gjordes", rec.done_on),
            ));
        }
        save_checked(store, rec)
    }
}

impl Edit for Exception {
    const NAMES: (&'static str, &'static str) = ("Avsteg", "Ändra avsteg");
    const FIXED: &'static [(&'static str, &'static str)] = &[
        ("system_id", "ett avsteg gäller sitt system; registrera ett nytt avsteg"),
        ("requirement_id", "ett avsteg gäller sitt krav; registrera ett nytt avsteg"),
        ("withdrawn_on", "ett avsteg återkallas med Återkalla (riskverkstad exceptions withdraw)"),
    ];

    /// A new one is approved as [`super::new_exception`] does it; a change keeps the rules:
    /// approved no later than today, and one at a time per requirement.
    fn save(store: &mut Store, rec: Self, today: NaiveDate) -> Result<Self> {
        if rec.id.is_nil() {
            let draft = super::NewException {
                system_id: rec.system_id,
                requirement_id: rec.requirement_id,
                reason: rec.reason,
                compensating: rec.compensating,
                probability: rec.probability,
                consequence: rec.consequence,
                approved_by: rec.approved_by,
                approved_as: Some(rec.approved_as),
                approved_on: Some(rec.approved_on),
                valid_until: rec.valid_until,
            };
            return super::new_exception(store, &draft, today);
        }
        super::controls::check_exception(store, &rec, today)?;
        save_checked(store, rec)
    }
}

impl Edit for ExtraRequirement {
    const NAMES: (&'static str, &'static str) = ("Tilläggskrav", "Ändra tilläggskrav");

    /// A system carries a requirement as an extra one once.
    fn save(store: &mut Store, rec: Self, _: NaiveDate) -> Result<Self> {
        super::add_extra_requirement(store, rec)
    }
}

impl Edit for SecurityPlan {
    const NAMES: (&'static str, &'static str) = ("Ny systemsäkerhetsplan", "Ändra systemsäkerhetsplan");
    const FIXED: &'static [(&'static str, &'static str)] =
        &[("system_id", "en systemsäkerhetsplan hör till sitt system")];

    /// One plan per system.
    fn save(store: &mut Store, rec: Self, _: NaiveDate) -> Result<Self> {
        if !rec.id.is_nil() {
            let before: SecurityPlan = store.get(rec.id)?;
            check_fixed(&before, &rec)?;
        }
        super::save_security_plan(store, rec)
    }
}

/// Compiles only when every record kind of the registry implements [`Edit`].
#[allow(dead_code)]
fn every_kind_is_editable() {
    fn edit<R: Edit>() {}
    macro_rules! check {
        ($t:ty) => {
            edit::<$t>();
        };
    }
    crate::for_each_record!(check);
}
