//! Any record by its kind's table name: listed, shown and edited field by field, for scripts
//! (`riskverkstad records`). The edit goes through the kind's own save ([`Edit::save`]), so a
//! script meets the same rules as the form in the app.

use crate::error::{Error, Result};
use crate::ops::edit::{Edit, FieldEditing, fields_of, patched};
use crate::store::{Read, Record, Store};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

/// A record kind and how its fields are edited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindEditing {
    /// The table name (what `records` takes).
    pub table: &'static str,
    /// The Swedish name.
    pub label: &'static str,
    /// When the kind is made and changed only through its own use case: which.
    pub through: Option<&'static str>,
    /// Its fields.
    pub fields: Vec<FieldEditing>,
}

fn kind_of<R: Edit>() -> KindEditing {
    KindEditing { table: R::TABLE, label: R::LABEL, through: R::THROUGH, fields: fields_of::<R>() }
}

/// Every record kind, in the registry's order.
pub fn kinds() -> Vec<KindEditing> {
    let mut out = Vec::new();
    macro_rules! push {
        ($t:ty) => {
            out.push(kind_of::<$t>());
        };
    }
    crate::for_each_record!(push);
    out
}

/// The kind with the table name `table`.
pub fn kind(table: &str) -> Result<KindEditing> {
    let t = table.trim().to_lowercase();
    kinds().into_iter().find(|k| k.table == t || k.label.to_lowercase() == t).ok_or_else(|| {
        let names: Vec<&str> = kinds().iter().map(|k| k.table).collect();
        Error::invalid("posttyp", format!("«{table}» är ingen posttyp; posttyperna är {}", names.join(", ")))
    })
}

/// Every record of a kind, as JSON objects.
pub fn list(store: &Store, table: &str) -> Result<Vec<Map<String, Value>>> {
    let table = kind(table)?.table;
    let mut out = None;
    macro_rules! list {
        ($t:ty) => {
            if out.is_none() && <$t as Record>::TABLE == table {
                out = Some(list_typed::<$t>(store));
            }
        };
    }
    crate::for_each_record!(list);
    out.unwrap_or_else(|| Ok(Vec::new()))
}

/// One record of a kind, by its id or a unique start of it (at least 8 characters).
pub fn show(store: &Store, table: &str, id: &str) -> Result<Map<String, Value>> {
    let table = kind(table)?.table;
    let mut out = None;
    macro_rules! show {
        ($t:ty) => {
            if out.is_none() && <$t as Record>::TABLE == table {
                out = Some(find_typed::<$t>(store, id).and_then(|r| crate::store::to_object(&r)));
            }
        };
    }
    crate::for_each_record!(show);
    out.unwrap_or_else(|| Err(Error::invalid("posttyp", table.to_string())))
}

/// Changes fields of one record (each `(field, text)` as [`patched`] reads it) through the
/// kind's save, in one transaction; returns the stored record.
pub fn set(
    store: &mut Store,
    table: &str,
    id: &str,
    changes: &[(String, String)],
    today: NaiveDate,
) -> Result<Map<String, Value>> {
    if changes.is_empty() {
        return Err(Error::invalid("ändringar", "ange minst ett FÄLT=VÄRDE"));
    }
    let kind = kind(table)?;
    if let Some(through) = kind.through {
        return Err(Error::invalid(kind.label.to_lowercase(), format!("ändras inte här: {through}")));
    }
    let table = kind.table;
    let mut out = None;
    macro_rules! set {
        ($t:ty) => {
            if out.is_none() && <$t as Record>::TABLE == table {
                out = Some(set_typed::<$t>(store, id, changes, today));
            }
        };
    }
    crate::for_each_record!(set);
    out.unwrap_or_else(|| Err(Error::invalid("posttyp", table.to_string())))
}

fn list_typed<R: Record>(store: &Store) -> Result<Vec<Map<String, Value>>> {
    store.list::<R>()?.iter().map(crate::store::to_object).collect()
}

fn find_typed<R: Record>(store: &Store, id: &str) -> Result<R> {
    crate::find::record(store, id)
}

fn set_typed<R: Edit>(
    store: &mut Store,
    id: &str,
    changes: &[(String, String)],
    today: NaiveDate,
) -> Result<Map<String, Value>> {
    let rec: R = find_typed(store, id)?;
    let resolved = resolve_names::<R>(store, changes)?;
    let changed = patched(&rec, &resolved)?;
    let stored = R::save(store, changed, today)?;
    crate::store::to_object(&stored)
}

/// A reference typed as a name (a person, a system, a förvaltning, an external party) made
/// into the id it means; an id, an empty value and any other field are kept as typed.
fn resolve_names<R: Record>(store: &Store, changes: &[(String, String)]) -> Result<Vec<(String, String)>> {
    let fks = crate::exchange::kinds::foreign_keys(store.conn())?;
    let mut out = Vec::new();
    for (field, text) in changes {
        let column = R::COLUMNS
            .iter()
            .map(|(c, _)| *c)
            .find(|c| {
                *c == field.trim().to_lowercase()
                    || crate::record::swedish_name(c).is_some_and(|s| s.to_lowercase() == field.trim().to_lowercase())
            })
            .unwrap_or_default();
        let target = fks.iter().find(|f| f.table == R::TABLE && f.column == column).map(|f| f.target);
        let t = text.trim();
        let value = if t.is_empty() || t.parse::<uuid::Uuid>().is_ok() {
            t.to_string()
        } else {
            match target {
                Some("person") => crate::find::person(store, t)?.to_string(),
                Some("system") => crate::find::system(store, t)?.to_string(),
                Some("forvaltning") => crate::find::forvaltning(store, t)?.to_string(),
                Some("external_party") => crate::find::party(store, t)?.to_string(),
                _ => t.to_string(),
            }
        };
        out.push((field.clone(), value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Action, ActionStatus, Person, Risk, System};

    fn demo() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        crate::demo::build(&mut s, &crate::demo::DemoConfig { systems: 6, seed: 4, ..Default::default() }).unwrap();
        s
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn a_field_is_set_by_its_name_or_swedish_name_with_values_read_as_its_type_needs() {
        let mut s = demo();
        let sys = s.list::<System>().unwrap()[0].clone();
        let person = s.list::<Person>().unwrap()[0].clone();
        let changes = [
            ("pm3_object".to_string(), "Ekonomiobjektet".to_string()),
            ("RTO (timmar)".into(), "8".into()),
            ("mfa".into(), "ja".into()),
            ("aliases".into(), "Eko, Raindance".into()),
            ("last_review_on".into(), "2026-11-02".into()),
            ("last_review_by".into(), person.name.clone()),
            ("contract_end".into(), "".into()),
        ];
        let id = sys.id.to_string();
        set(&mut s, "system", crate::find::short_id(&id), &changes, day()).unwrap();
        let after: System = s.get(sys.id).unwrap();
        assert_eq!(after.pm3_object.as_deref(), Some("Ekonomiobjektet"));
        assert_eq!((after.rto_hours, after.mfa), (Some(8), Some(true)));
        assert_eq!(after.aliases, vec!["Eko".to_string(), "Raindance".into()]);
        assert_eq!(after.last_review_by, Some(person.id));
        assert_eq!(after.contract_end, None);
        assert_eq!(after.revision, sys.revision + 1, "one change, one revision");
    }

    #[test]
    fn what_editing_may_not_touch_is_refused_with_what_does_and_nothing_is_written() {
        let mut s = demo();
        let risk = s.list::<Risk>().unwrap()[0].clone();
        let before = s.audit_log(None).unwrap().len();
        let refused = set(&mut s, "risk", &risk.id.to_string(), &[("accepted_by".into(), "".into())], day());
        assert!(refused.unwrap_err().to_string().contains("Acceptera risk"));
        let wrong = set(&mut s, "risk", &risk.id.to_string(), &[("probability".into(), "hög".into())], day());
        assert!(wrong.unwrap_err().to_string().contains("«hög» passar inte"));
        let frozen = set(&mut s, "decision", "00000000", &[("title".into(), "x".into())], day()).unwrap_err();
        assert!(frozen.to_string().contains("ändras inte här"), "{frozen}");
        let unknown = set(&mut s, "sytem", "x", &[("name".into(), "x".into())], day()).unwrap_err();
        assert!(unknown.to_string().contains("posttyperna är organisation"), "{unknown}");
        assert_eq!(s.audit_log(None).unwrap().len(), before);
    }

    #[test]
    fn an_action_closed_by_a_script_gets_its_completion_date() {
        let mut s = demo();
        let action = s.list::<Action>().unwrap().into_iter().find(|a| a.status.is_open()).unwrap();
        set(&mut s, "action", &action.id.to_string(), &[("status".into(), "genomford".into())], day()).unwrap();
        let after: Action = s.get(action.id).unwrap();
        assert_eq!((after.status, after.completed_on), (ActionStatus::Genomford, Some(day())));
        assert_eq!(kinds().len(), {
            let mut n = 0;
            macro_rules! count {
                ($t:ty) => {
                    n += 1;
                };
            }
            crate::for_each_record!(count);
            n
        });
    }
}
