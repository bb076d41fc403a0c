//! Finding a record by what a person types: a system, a förvaltning or a person by its id, its
//! exact name (any case), or a unique part of its name. One set of rules for every place a
//! name is typed (the CLI's arguments, the report requests); an ambiguous name is an error
//! that lists the candidates with their ids, never a guess.

use crate::error::{Error, Result};
use crate::ids::{ForvaltningId, PersonId, SystemId};
use crate::model::{Forvaltning, Person, System};
use crate::store::Read;

/// The system `query` means: its id, its exact name (any case), or the only system whose
/// name contains it.
pub fn system(store: &impl Read, query: &str) -> Result<SystemId> {
    let q = query.trim();
    if let Ok(id) = q.parse::<SystemId>()
        && let Some(s) = store.find::<System>(id)?
    {
        return Ok(s.id);
    }
    let systems = store.list::<System>()?;
    let hits = best(&systems, q, |s| vec![s.name.as_str()]);
    one(hits, q, "inget system", "system", "Ange hela namnet eller systemets id.", |s| format!("{} ({})", s.name, s.id))
        .map(|s| s.id)
}

/// The förvaltning `query` means: its id, name or short name (any case), or the only one
/// whose name contains it.
pub fn forvaltning(store: &impl Read, query: &str) -> Result<ForvaltningId> {
    let q = query.trim();
    let all = store.list::<Forvaltning>()?;
    if let Some(f) = all.iter().find(|f| f.id.to_string() == q) {
        return Ok(f.id);
    }
    let hits = best(&all, q, |f| vec![f.name.as_str(), f.short_name.as_str()]);
    let listed = all.iter().map(|f| format!("{} ({})", f.name, f.short_name)).collect::<Vec<_>>().join(", ");
    one(hits, q, "ingen förvaltning", "förvaltningar", "Ange hela namnet eller kortnamnet.", |f| {
        format!("{} ({})", f.name, f.short_name)
    })
    .map(|f| f.id)
    .map_err(|e| match e {
        Error::NoMatch { what, query, .. } => {
            Error::NoMatch { what, query, detail: format!(" (som namn eller kortnamn). Förvaltningar: {listed}") }
        }
        other => other,
    })
}

/// The person `query` means: their id, exact name or e-mail address (any case), or the only
/// person whose name contains it.
pub fn person(store: &impl Read, query: &str) -> Result<PersonId> {
    let q = query.trim();
    let people = store.list::<Person>()?;
    if let Some(p) = people.iter().find(|p| p.id.to_string() == q) {
        return Ok(p.id);
    }
    let hits = best(&people, q, |p| {
        let mut names = vec![p.name.as_str()];
        names.extend(p.email.as_deref());
        names
    });
    one(hits, q, "ingen person", "personer", "Ange hela namnet eller e-postadressen.", |p| p.name.clone()).map(|p| p.id)
}

/// The records whose names equal `query` (any case); if none does, those whose first name
/// contains it.
fn best<'a, T>(all: &'a [T], query: &str, names: impl Fn(&T) -> Vec<&str>) -> Vec<&'a T> {
    let wanted = query.to_lowercase();
    let exact: Vec<&T> = all.iter().filter(|t| names(t).iter().any(|n| n.to_lowercase() == wanted)).collect();
    if !exact.is_empty() || wanted.is_empty() {
        return exact;
    }
    all.iter().filter(|t| names(t).first().is_some_and(|n| n.to_lowercase().contains(&wanted))).collect()
}

fn one<'a, T>(
    hits: Vec<&'a T>,
    query: &str,
    what: &'static str,
    plural: &'static str,
    hint: &'static str,
    show: impl Fn(&T) -> String,
) -> Result<&'a T> {
    match hits.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::NoMatch { what, query: query.to_string(), detail: String::new() }),
        many => Err(Error::Ambiguous {
            plural,
            query: query.to_string(),
            candidates: many.iter().take(10).map(|t| show(t)).collect::<Vec<_>>().join("; ")
                + if many.len() > 10 { format!("; … ({} till)", many.len() - 10) } else { String::new() }.as_str(),
            hint,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        crate::demo::build(&mut s, &crate::demo::DemoConfig { systems: 30, seed: 2, ..Default::default() }).unwrap();
        s
    }

    #[test]
    fn a_system_is_found_by_id_exact_name_or_a_unique_part() {
        let s = store();
        let eko = system(&s, "ekonomisystem").unwrap();
        assert_eq!(system(&s, &eko.to_string()).unwrap(), eko);
        let named: System = s.get(eko).unwrap();
        assert_eq!(named.name, "Ekonomisystem");
        let many = system(&s, "system").unwrap_err().to_string();
        assert!(many.contains("passar flera system") && many.contains("\"system\" matchar"), "{many}");
        assert!(many.contains("Ekonomisystem (") && many.matches("; ").count() >= 2, "{many}");
        let none = system(&s, "Finns inte").unwrap_err();
        assert_eq!(none.code(), "no_match");
        assert!(none.to_string().contains("inget system heter \"Finns inte\""), "{none}");
    }

    #[test]
    fn a_forvaltning_by_name_short_name_or_id_and_the_list_when_none_fits() {
        let s = store();
        let soc = forvaltning(&s, "soc").unwrap();
        assert_eq!(forvaltning(&s, &soc.to_string()).unwrap(), soc);
        assert_eq!(forvaltning(&s, "Socialförvaltningen").unwrap(), soc);
        let none = forvaltning(&s, "Finns inte").unwrap_err().to_string();
        assert!(none.contains("ingen förvaltning heter \"Finns inte\"") && none.contains("(SOC)"), "{none}");
    }

    #[test]
    fn a_person_by_name_or_e_mail_address() {
        let s = store();
        let p = s.list::<Person>().unwrap().into_iter().find(|p| p.email.is_some()).unwrap();
        assert_eq!(person(&s, p.email.as_deref().unwrap()).unwrap(), p.id);
        assert_eq!(person(&s, &p.name.to_uppercase()).unwrap(), p.id);
        assert!(person(&s, "Ingen Alls").unwrap_err().to_string().contains("ingen person heter"));
    }
}
