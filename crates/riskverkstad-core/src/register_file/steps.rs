//! Reading a row's plain fields into a system, one step per field: each step reads its cell
//! with the field's reader (yes/no, a date, a whole number, a known word) and sets the field,
//! or says why the value could not be used (the field is then left as it was).

use super::fields::{
    CATEGORY_WORDS, DATA_LOCATION_WORDS, Field, LIFECYCLE_WORDS, NIS2_WORDS, OPERATION_FORM_WORDS, boolean, choice,
    date, several, whole,
};
use crate::model::{DataLocation, Lifecycle, Nis2, OperationForm, System, SystemCategory};
use riskverkstad_sheets::Cell;

/// The fields a step reads, in the order they are read.
pub const PLAIN: &[Field] = &[
    Field::Aliases,
    Field::Description,
    Field::Category,
    Field::Pm3Object,
    Field::Lifecycle,
    Field::InOperationSince,
    Field::DecommissionOn,
    Field::ContractEnd,
    Field::NoticePeriod,
    Field::SecurityRequirementsInContract,
    Field::OperationForm,
    Field::DataLocation,
    Field::PersonalData,
    Field::SensitivePersonalData,
    Field::DpiaDone,
    Field::ProcessorAgreement,
    Field::BusinessCritical,
    Field::Samhallsviktig,
    Field::SamhallsviktigReason,
    Field::Nis2,
    Field::Sakerhetsskydd,
    Field::RtoHours,
    Field::RpoHours,
    Field::BackupFrequency,
    Field::RestoreTestedOn,
    Field::Mfa,
    Field::Logging,
    Field::SystemSecurityPlan,
    Field::LastReviewOn,
];

fn text(c: &Cell) -> Option<String> {
    Some(c.text().trim().to_string()).filter(|t| !t.is_empty())
}

/// Reads `cell` as `field` into `s`. An error says why the value could not be used; `s` is then
/// as it was. A field that is not a plain field is left alone.
pub fn read(field: Field, cell: &Cell, s: &mut System) -> Result<(), String> {
    match field {
        Field::Aliases => s.aliases = several(&cell.text()),
        Field::Description => s.description = text(cell).unwrap_or_default(),
        Field::Category => {
            if let Some(v) = choice(cell, SystemCategory::parse, CATEGORY_WORDS, "kategori")? {
                s.category = v;
            }
        }
        Field::Pm3Object => s.pm3_object = text(cell),
        Field::Lifecycle => {
            if let Some(v) = choice(cell, Lifecycle::parse, LIFECYCLE_WORDS, "livscykelstatus")? {
                s.lifecycle = v;
            }
        }
        Field::InOperationSince => s.in_operation_since = date(cell)?,
        Field::DecommissionOn => s.decommission_on = date(cell)?,
        Field::ContractEnd => s.contract_end = date(cell)?,
        Field::NoticePeriod => s.notice_period_months = whole(cell)?,
        Field::SecurityRequirementsInContract => s.security_requirements_in_contract = boolean(cell)?,
        Field::OperationForm => {
            s.operation_form = choice(cell, OperationForm::parse, OPERATION_FORM_WORDS, "driftform")?;
        }
        Field::DataLocation => {
            s.data_location = choice(cell, DataLocation::parse, DATA_LOCATION_WORDS, "plats för datalagring")?;
        }
        Field::PersonalData => s.personal_data = boolean(cell)?,
        Field::SensitivePersonalData => s.sensitive_personal_data = boolean(cell)?,
        Field::DpiaDone => s.dpia_done = boolean(cell)?,
        Field::ProcessorAgreement => s.processor_agreement = boolean(cell)?,
        Field::BusinessCritical => {
            if let Some(v) = boolean(cell)? {
                s.business_critical = v;
            }
        }
        Field::Samhallsviktig => {
            if let Some(v) = boolean(cell)? {
                s.samhallsviktig = v;
            }
        }
        Field::SamhallsviktigReason => s.samhallsviktig_reason = text(cell),
        Field::Nis2 => {
            if let Some(v) = choice(cell, Nis2::parse, NIS2_WORDS, "NIS2-klass")? {
                s.nis2 = v;
            }
        }
        Field::Sakerhetsskydd => {
            if let Some(v) = boolean(cell)? {
                s.sakerhetsskydd = v;
            }
        }
        Field::RtoHours => s.rto_hours = whole(cell)?,
        Field::RpoHours => s.rpo_hours = whole(cell)?,
        Field::BackupFrequency => s.backup_frequency = text(cell),
        Field::RestoreTestedOn => s.restore_tested_on = date(cell)?,
        Field::Mfa => s.mfa = boolean(cell)?,
        Field::Logging => s.logging = boolean(cell)?,
        Field::SystemSecurityPlan => s.system_security_plan = boolean(cell)?,
        Field::LastReviewOn => s.last_review_on = date(cell)?,
        _ => {}
    }
    Ok(())
}

/// Makes what was read consistent, saying what it changed: sensitive personal data means
/// personal data; a decommissioning before the start of operation is left empty.
pub fn reconcile(s: &mut System, warn: &mut dyn FnMut(Field, String)) {
    if s.sensitive_personal_data == Some(true) && s.personal_data == Some(false) {
        warn(
            Field::SensitivePersonalData,
            "känsliga personuppgifter utan personuppgifter; personuppgifter sätts till ja".into(),
        );
        s.personal_data = Some(true);
    }
    if let (Some(a), Some(b)) = (s.in_operation_since, s.decommission_on)
        && b < a
    {
        warn(Field::DecommissionOn, format!("avvecklingsdatum {b} ligger före driftstart {a}; lämnas tomt"));
        s.decommission_on = None;
    }
}
