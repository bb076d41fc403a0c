//! Value mapping's vocabulary: for each column mapped to a field with a closed set of values (yes/no, a
//! category, a life-cycle status, an operation form, a dependency's criticality), the
//! distinct values the file holds and what each becomes. Proposed from the words departments
//! use (each proposal says why), kept in the mapping file, changed by the person; a value
//! nobody mapped is left unread, listed once with its rows, and kept as an extra attribute.

use super::fields::{
    CATEGORY_WORDS, DATA_LOCATION_WORDS, Field, LIFECYCLE_WORDS, NIS2_WORDS, OPERATION_FORM_WORDS, boolean, normalise,
};
use crate::model::{DataLocation, DependencyCriticality, Lifecycle, Nis2, OperationForm, SystemCategory};
use riskverkstad_sheets::Cell;
use serde::{Deserialize, Serialize};

/// What one value of one column becomes.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueChoice {
    /// The column's header.
    pub header: String,
    /// The value as the file writes it.
    pub value: String,
    /// The key of what it becomes ("ja", "nej", a category's key …); none: left unread.
    pub becomes: Option<String>,
    /// Why it was proposed ("synonym «stöd»"), or that the person chose it.
    #[serde(default)]
    pub how: String,
}

/// A value the file holds in a value-mapped column, how often, and what it becomes (see
/// `value_mapping`).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueFound {
    /// The column's header.
    pub header: String,
    /// The field it is mapped to.
    pub field: Field,
    /// The value.
    pub value: String,
    /// The rows it is on.
    pub rows: u32,
    /// What it becomes (a key of the field's targets), or none.
    pub becomes: Option<String>,
    /// Why.
    pub how: String,
}

/// One thing a value can become: its key and its Swedish label.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueTarget {
    /// The key (kept in the mapping file).
    pub key: String,
    /// The label.
    pub label: String,
}

const YES_NO: &[(&str, &str)] = &[("ja", "Ja"), ("nej", "Nej")];

fn pairs<E: Copy>(all: &[E], key: fn(E) -> &'static str, label: fn(E) -> &'static str) -> Vec<ValueTarget> {
    all.iter().map(|e| ValueTarget { key: key(*e).into(), label: label(*e).into() }).collect()
}

/// Whether a field is yes/no.
pub fn is_yes_no(field: Field) -> bool {
    matches!(
        field,
        Field::SecurityRequirementsInContract
            | Field::PersonalData
            | Field::SensitivePersonalData
            | Field::DpiaDone
            | Field::ProcessorAgreement
            | Field::BusinessCritical
            | Field::Samhallsviktig
            | Field::Sakerhetsskydd
            | Field::Mfa
            | Field::Logging
            | Field::SystemSecurityPlan
            | Field::DoneLastYear
    )
}

/// What a value of `field` can become; none for a field whose values are read as they are
/// (names, dates, numbers, free text).
pub fn targets(field: Field) -> Option<Vec<ValueTarget>> {
    if is_yes_no(field) {
        return Some(YES_NO.iter().map(|(k, l)| ValueTarget { key: (*k).into(), label: (*l).into() }).collect());
    }
    Some(match field {
        Field::Category => pairs(SystemCategory::ALL, SystemCategory::key, SystemCategory::label),
        Field::Lifecycle => pairs(Lifecycle::ALL, Lifecycle::key, Lifecycle::label),
        Field::OperationForm => pairs(OperationForm::ALL, OperationForm::key, OperationForm::label),
        Field::DataLocation => pairs(DataLocation::ALL, DataLocation::key, DataLocation::label),
        Field::Nis2 => pairs(Nis2::ALL, Nis2::key, Nis2::label),
        Field::DependsOn | Field::DependedOnBy => {
            pairs(DependencyCriticality::ALL, DependencyCriticality::key, DependencyCriticality::label)
        }
        _ => return None,
    })
}

/// A graded answer read as yes or no: "Helt verksamhetskritiskt" and "Till betydande del
/// verksamhetskritiskt" are yes, "Till betydande del ej …" and "Ej …" are no. "Delvis" is
/// left to the person.
fn graded(n: &str) -> Option<(bool, &'static str)> {
    let negated = n.contains(" ej ") || n.contains(" inte ") || n.starts_with("ej ") || n.starts_with("inte ");
    if n.starts_with("helt") && !negated {
        return Some((true, "graderat svar: helt"));
    }
    if n.starts_with("till betydande del") || n.starts_with("i hög grad") || n.starts_with("till stor del") {
        return Some((
            !negated,
            if negated { "graderat svar: till betydande del ej" } else { "graderat svar: till betydande del" },
        ));
    }
    if n.starts_with("ej ") || n.starts_with("inte ") || n.starts_with("i låg grad") {
        return Some((false, "graderat svar: ej"));
    }
    None
}

/// The graded criticality of a phrase ("Till betydande del verksamhetskritiskt").
fn criticality(n: &str) -> Option<(DependencyCriticality, &'static str)> {
    Some(match graded(n)? {
        (true, why) if why.ends_with("helt") => (DependencyCriticality::Helt, why),
        (true, why) => (DependencyCriticality::Betydande, why),
        (false, why) if why.ends_with("ej") && !n.starts_with("ej ") && !n.starts_with("inte ") => {
            (DependencyCriticality::Begransad, why)
        }
        (false, why) => (DependencyCriticality::Ej, why),
    })
}

/// A value of an enum by its key or label (compared normalised, so "Molntjänst SaaS" is
/// "Molntjänst/SaaS"), else by a word departments use: the same word, or the longest word the
/// value starts with ("avvecklat" is "avvecklad", not "avveckl…" as in under avveckling).
fn word<E: Copy>(
    n: &str,
    all: &[E],
    key: fn(E) -> &'static str,
    label: fn(E) -> &'static str,
    words: &[(&str, E)],
) -> Option<(String, String)> {
    if let Some(e) = all.iter().copied().find(|e| normalise(key(*e)) == n || normalise(label(*e)) == n) {
        return Some((key(e).into(), "samma som fältets värde".into()));
    }
    if let Some((w, e)) = words.iter().find(|(w, _)| normalise(w) == n) {
        return Some((key(*e).into(), format!("synonym «{w}»")));
    }
    words
        .iter()
        .filter(|(w, _)| n.starts_with(&normalise(w)))
        .max_by_key(|(w, _)| w.len())
        .map(|(w, e)| (key(*e).into(), format!("börjar med «{w}»")))
}

/// The proposal for one value of `field`: the key it becomes and why; none when nothing fits.
pub fn propose(field: Field, value: &str) -> Option<(String, String)> {
    let n = normalise(value);
    if n.is_empty() {
        return None;
    }
    if is_yes_no(field) {
        if let Ok(Some(b)) = boolean(&Cell::Text(value.to_string())) {
            return Some((if b { "ja" } else { "nej" }.into(), "ja/nej-ord".into()));
        }
        return graded(&n).map(|(b, why)| (if b { "ja" } else { "nej" }.into(), why.into()));
    }
    match field {
        Field::Category => word(&n, SystemCategory::ALL, SystemCategory::key, SystemCategory::label, CATEGORY_WORDS),
        Field::Lifecycle => word(&n, Lifecycle::ALL, Lifecycle::key, Lifecycle::label, LIFECYCLE_WORDS),
        Field::OperationForm => {
            word(&n, OperationForm::ALL, OperationForm::key, OperationForm::label, OPERATION_FORM_WORDS)
        }
        Field::DataLocation => word(&n, DataLocation::ALL, DataLocation::key, DataLocation::label, DATA_LOCATION_WORDS),
        Field::Nis2 => word(&n, Nis2::ALL, Nis2::key, Nis2::label, NIS2_WORDS),
        Field::DependsOn | Field::DependedOnBy => {
            word(&n, DependencyCriticality::ALL, DependencyCriticality::key, DependencyCriticality::label, &[])
                .or_else(|| criticality(&n).map(|(c, why)| (c.key().into(), why.into())))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graded_answers_and_phrases_are_proposed_with_the_reason() {
        let p = |f, v| propose(f, v).map(|(k, _)| k);
        assert_eq!(p(Field::BusinessCritical, "Helt verksamhetskritiskt").as_deref(), Some("ja"));
        assert_eq!(p(Field::BusinessCritical, "Till betydande del verksamhetskritiskt").as_deref(), Some("ja"));
        assert_eq!(p(Field::BusinessCritical, "Till betydande del ej verksamhetskritisk").as_deref(), Some("nej"));
        assert_eq!(p(Field::BusinessCritical, "Ej verksamhetskritiskt").as_deref(), Some("nej"));
        assert_eq!(p(Field::BusinessCritical, "Delvis"), None, "left to the person");
        assert_eq!(p(Field::Mfa, "x").as_deref(), Some("ja"));
        assert_eq!(p(Field::Lifecycle, "Under förvaltning").as_deref(), Some("i_drift"));
        assert_eq!(p(Field::Lifecycle, "Under aktiv vidareutveckling").as_deref(), Some("i_drift"));
        assert_eq!(p(Field::Lifecycle, "Under avveckling").as_deref(), Some("under_avveckling"));
        assert_eq!(p(Field::Category, "Kärnverksamhetssystem").as_deref(), Some("verksamhetssystem"));
        assert_eq!(p(Field::Category, "Stöd- och verksamhetsgemensamma system").as_deref(), Some("stodsystem"));
        assert_eq!(p(Field::Category, "Tekniska plattformar och infrastruktur").as_deref(), Some("infrastruktur"));
        assert_eq!(p(Field::OperationForm, "Internt").as_deref(), Some("egen_drift"));
        assert_eq!(p(Field::OperationForm, "Externt").as_deref(), Some("extern_drift"));
        assert_eq!(p(Field::DependsOn, "Till betydande del ej verksamhetskritiskt").as_deref(), Some("begransad"));
        assert_eq!(p(Field::DependsOn, "Helt verksamhetskritiskt").as_deref(), Some("helt"));
        let (_, why) = propose(Field::Category, "Kärnverksamhetssystem").unwrap();
        assert!(why.contains("kärnverksamhet"), "{why}");
    }
}
