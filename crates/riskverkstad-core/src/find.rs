//! Finding a record by what a person types: a system, a förvaltning or a person by its id, its
//! exact name (any case), or a unique part of its name. One set of rules for every place a
//! name is typed (the CLI's arguments, the report requests); an ambiguous name is an error
//! that lists the candidates with their ids, never a guess.

use crate::error::{Error, Result};
use crate::ids::{
    ActionId, ExternalPartyId, ForvaltningId, IncidentId, InformationSetId, PersonId, RecipientId, RequirementId,
    SystemId,
};
use crate::model::{
    Action, ExternalParty, Forvaltning, Incident, InformationSet, Person, Recipient, Requirement, System,
    SystemInformationSet,
};
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

/// The information set of `system` that `query` means: its id, its exact name (any case), or
/// the only one of the system's sets whose name contains it.
pub fn information_set(store: &impl Read, system: SystemId, query: &str) -> Result<InformationSetId> {
    let q = query.trim();
    let mut sets = Vec::new();
    for link in store.list_by::<SystemInformationSet>("system_id", &system.to_string())? {
        sets.push(store.get::<InformationSet>(link.information_set_id)?);
    }
    if let Some(s) = sets.iter().find(|s| s.id.to_string() == q) {
        return Ok(s.id);
    }
    let listed = sets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ");
    let hits = best(&sets, q, |s| vec![s.name.as_str()]);
    one(hits, q, "ingen av systemets informationsmängder", "informationsmängder", "Ange hela namnet.", |s| {
        format!("{} ({})", s.name, s.id)
    })
    .map(|s| s.id)
    .map_err(|e| match e {
        Error::NoMatch { what, query, .. } => Error::NoMatch {
            what,
            query,
            detail: if listed.is_empty() {
                " (systemet har inga informationsmängder)".into()
            } else {
                format!(". Systemets informationsmängder: {listed}")
            },
        },
        other => other,
    })
}

/// The requirement with the code `query` (any case, "k-03" is "K-03") or the id.
pub fn requirement(store: &impl Read, query: &str) -> Result<RequirementId> {
    let q = query.trim();
    let all = store.list::<Requirement>()?;
    all.iter().find(|r| r.id.to_string() == q || r.code.eq_ignore_ascii_case(q)).map(|r| r.id).ok_or_else(|| {
        Error::NoMatch {
            what: "inget krav",
            query: q.to_string(),
            detail: " (som kravkod). Kraven listas med `riskverkstad requirements list --system SYSTEM`".into(),
        }
    })
}

/// The short form of an id that lists show: its last 8 characters, the random part of a
/// time-ordered id (records made in the same minute share their first characters).
pub fn short_id(id: &str) -> &str {
    id.get(id.len().saturating_sub(8)..).unwrap_or(id)
}

/// Whether `query` (lower case, at least 8 characters) is the start or the end of `id`: a
/// short id as lists show it, or the first characters of a whole one.
pub fn id_matches(id: &str, query: &str) -> bool {
    query.len() >= 8 && (id.starts_with(query) || id.ends_with(query))
}

/// The record of kind `R` with the id `query`, or whose id starts or ends with it (at least 8
/// characters; lists show the last 8). Several matches are an error asking for the whole id.
pub fn record<R: crate::store::Record>(store: &impl Read, query: &str) -> Result<R> {
    let q = query.trim().to_lowercase();
    if let Ok(uuid) = q.parse::<uuid::Uuid>() {
        return store.get::<R>(R::Id::from(uuid));
    }
    let hits: Vec<R> = store.list::<R>()?.into_iter().filter(|r| id_matches(&r.id().to_string(), &q)).collect();
    match <[R; 1]>::try_from(hits) {
        Ok([one]) => Ok(one),
        Err(hits) if hits.is_empty() => Err(Error::NotFound { label: R::LABEL, id: query.trim().to_string() }),
        Err(hits) => {
            Err(Error::invalid("id", format!("«{}» passar {} poster; ange hela id:t", query.trim(), hits.len())))
        }
    }
}

/// The action with the id `query`, or whose id starts or ends with it (at least 8
/// characters; lists show the last 8), or with exactly that title when only one has it.
pub fn action(store: &impl Read, query: &str) -> Result<ActionId> {
    by_id_or_title(
        store,
        query,
        "ingen åtgärd",
        "åtgärder",
        "Ange åtgärdens id (se `riskverkstad actions list`).",
        |a: &Action| (a.id, a.title.as_str()),
    )
}

/// The incident with the id `query`, or whose id starts or ends with it (at least 8
/// characters; lists show the last 8), or with exactly that title when only one has it.
pub fn incident(store: &impl Read, query: &str) -> Result<IncidentId> {
    by_id_or_title(
        store,
        query,
        "ingen incident",
        "incidenter",
        "Ange incidentens id (se `riskverkstad incidents list`).",
        |i: &Incident| (i.id, i.title.as_str()),
    )
}

/// The recurring control with the id `query`, or whose id starts or ends with it (at least 8
/// characters; lists show the last 8), or with exactly that title when only one has it.
pub fn control(store: &impl Read, query: &str) -> Result<crate::ids::ControlId> {
    by_id_or_title(
        store,
        query,
        "inget kontrollmoment",
        "kontrollmoment",
        "Ange kontrollmomentets id (se `riskverkstad controls list`).",
        |c: &crate::model::Control| (c.id, c.title.as_str()),
    )
}

/// The exception with the id `query`, or whose id starts or ends with it (at least 8
/// characters).
pub fn exception(store: &impl Read, query: &str) -> Result<crate::ids::ExceptionId> {
    by_id_or_title(
        store,
        query,
        "inget avsteg",
        "avsteg",
        "Ange avstegets id (se `riskverkstad exceptions list`).",
        |e: &crate::model::Exception| (e.id, e.reason.as_str()),
    )
}

/// The kind of control `query` means: its id, exact name (any case), or the only one whose
/// name contains it; none fits, the message lists them.
pub fn control_kind(store: &impl Read, query: &str) -> Result<crate::ids::ControlKindId> {
    let q = query.trim();
    let all = store.list::<crate::model::ControlKind>()?;
    if let Some(k) = all.iter().find(|k| k.id.to_string() == q) {
        return Ok(k.id);
    }
    let listed = all.iter().map(|k| k.name.as_str()).collect::<Vec<_>>().join(", ");
    let hits = best(&all, q, |k| vec![k.name.as_str()]);
    one(hits, q, "ingen kontrolltyp", "kontrolltyper", "Ange hela namnet.", |k| k.name.clone()).map(|k| k.id).map_err(
        |e| match e {
            Error::NoMatch { what, query, .. } => {
                Error::NoMatch { what, query, detail: format!(". Kontrolltyperna: {listed}") }
            }
            other => other,
        },
    )
}

/// A record of a kind with a title by its id, a short id, or its exact title (any case).
fn by_id_or_title<R: crate::store::Record>(
    store: &impl Read,
    query: &str,
    what: &'static str,
    plural: &'static str,
    hint: &'static str,
    key: impl Fn(&R) -> (R::Id, &str),
) -> Result<R::Id> {
    let q = query.trim();
    if let Ok(uuid) = q.parse::<uuid::Uuid>()
        && store.find::<R>(R::Id::from(uuid))?.is_some()
    {
        return Ok(R::Id::from(uuid));
    }
    let all = store.list::<R>()?;
    let lower = q.to_lowercase();
    let mut hits: Vec<&R> = all.iter().filter(|r| id_matches(&key(r).0.to_string(), &lower)).collect();
    if hits.is_empty() {
        hits = all.iter().filter(|r| key(r).1.to_lowercase() == lower).collect();
    }
    one(hits, q, what, plural, hint, |r| format!("{} ({})", key(r).1, key(r).0)).map(|r| key(r).0)
}

/// The recipient of incident reports `query` means: its id, exact name (any case), or the
/// only one whose name contains it; none fits, the message lists them.
pub fn recipient(store: &impl Read, query: &str) -> Result<RecipientId> {
    let q = query.trim();
    let all = store.list::<Recipient>()?;
    if let Some(r) = all.iter().find(|r| r.id.to_string() == q) {
        return Ok(r.id);
    }
    let listed = all.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join("; ");
    let hits = best(&all, q, |r| vec![r.name.as_str()]);
    one(hits, q, "ingen mottagare", "mottagare", "Ange hela namnet.", |r| r.name.clone()).map(|r| r.id).map_err(|e| {
        match e {
            Error::NoMatch { what, query, .. } => Error::NoMatch {
                what,
                query,
                detail: format!(". Mottagarna (Inställningar → Mottagare av incidentrapporter): {listed}"),
            },
            other => other,
        }
    })
}

/// The external party `query` means: its id, exact name (any case) or organisationsnummer,
/// or the only one whose name contains it.
pub fn party(store: &impl Read, query: &str) -> Result<ExternalPartyId> {
    let q = query.trim();
    let all = store.list::<ExternalParty>()?;
    if let Some(p) = all.iter().find(|p| p.id.to_string() == q || p.org_number.as_deref() == Some(q)) {
        return Ok(p.id);
    }
    let hits = best(&all, q, |p| vec![p.name.as_str()]);
    one(hits, q, "ingen extern part", "externa parter", "Ange hela namnet eller organisationsnumret.", |p| {
        p.name.clone()
    })
    .map(|p| p.id)
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

    #[test]
    fn a_requirement_by_code_in_any_case_and_an_information_set_within_its_system() {
        let s = store();
        let r = s.list::<Requirement>().unwrap().into_iter().next().unwrap();
        assert_eq!(requirement(&s, &r.code.to_lowercase()).unwrap(), r.id);
        let none = requirement(&s, "X-99").unwrap_err().to_string();
        assert!(none.contains("inget krav heter \"X-99\""), "{none}");
        let link = s.list::<SystemInformationSet>().unwrap().into_iter().next().unwrap();
        let set: InformationSet = s.get(link.information_set_id).unwrap();
        assert_eq!(information_set(&s, link.system_id, &set.name.to_uppercase()).unwrap(), set.id);
        let other = information_set(&s, link.system_id, "Finns inte").unwrap_err().to_string();
        assert!(
            other.contains(&format!("Systemets informationsmängder: {}", set.name)) || other.contains(&set.name),
            "{other}"
        );
    }
}
