//! Reading a row's plain fields into a system, one step per field: each step reads its cell
//! with the field's reader (a date, a whole number, free text) or, for a closed-set field
//! (yes/no, a category, a life-cycle status …), through the value mapping, and sets the
//! field, or says why the value could not be used (the field is then left as it was).

use super::fields::{Field, date, several, whole};
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

/// Reads `cell` as `field` into `s`; `key` gives what a closed-set field's value becomes
/// under the value mapping. An error says why the value could not be used; `s` is then as it
/// was. A field that is not a plain field is left alone.
pub fn read(
    field: Field,
    cell: &Cell,
    s: &mut System,
    key: &dyn Fn(&Cell) -> Result<Option<String>, String>,
) -> Result<(), String> {
    let boolean = |c: &Cell| key(c).map(|k| k.map(|k| k == "ja"));
    fn choice<E>(
        c: &Cell,
        key: &dyn Fn(&Cell) -> Result<Option<String>, String>,
        parse: fn(&str) -> Option<E>,
    ) -> Result<Option<E>, String> {
        match key(c)? {
            None => Ok(None),
            Some(k) => parse(&k).map(Some).ok_or_else(|| format!("«{k}» är inget giltigt värde")),
        }
    }
    match field {
        Field::Aliases => s.aliases = several(&cell.text()),
        Field::Description => s.description = text(cell).unwrap_or_default(),
        Field::Category => {
            if let Some(v) = choice(cell, key, SystemCategory::parse)? {
                s.category = v;
            }
        }
        Field::Pm3Object => s.pm3_object = text(cell),
        Field::Lifecycle => {
            if let Some(v) = choice(cell, key, Lifecycle::parse)? {
                s.lifecycle = v;
            }
        }
        Field::InOperationSince => s.in_operation_since = date(cell)?,
        Field::DecommissionOn => s.decommission_on = date(cell)?,
        Field::ContractEnd => s.contract_end = date(cell)?,
        Field::NoticePeriod => s.notice_period_months = whole(cell)?,
        Field::SecurityRequirementsInContract => s.security_requirements_in_contract = boolean(cell)?,
        Field::OperationForm => {
            s.operation_form = choice(cell, key, OperationForm::parse)?;
        }
        Field::DataLocation => {
            s.data_location = choice(cell, key, DataLocation::parse)?;
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
            if let Some(v) = choice(cell, key, Nis2::parse)? {
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
