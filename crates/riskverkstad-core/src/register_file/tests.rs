#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use super::*;
use crate::demo::{DemoConfig, build};
use crate::ids::*;
use crate::model::*;
use crate::register_file::organisation::LevelRole;
use crate::store::{Read, Store};
use riskverkstad_sheets::{Cell, Row, Table};

fn table(headers: &[&str], rows: &[Vec<Cell>]) -> Table {
    Table {
        sheet: "Blad1".into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows.iter().enumerate().map(|(i, c)| Row { number: i + 2, cells: c.clone() }).collect(),
    }
}

fn t(s: &str) -> Cell {
    if s.is_empty() { Cell::Empty } else { Cell::Text(s.into()) }
}

/// A municipality with an organisation and two förvaltningar, nothing else.
fn municipality() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.write("Ny organisation", |w| {
        let o = w.insert(Organisation { name: "Norrvik kommun".into(), ..Default::default() })?;
        for (name, short) in [("Socialförvaltningen", "SOC"), ("Kommunstyrelseförvaltningen", "KSF")] {
            w.insert(Forvaltning {
                organisation_id: o.id,
                name: name.into(),
                short_name: short.into(),
                ..Default::default()
            })?;
        }
        Ok(())
    })
    .unwrap();
    s
}

const HEADERS: &[&str] = &[
    "Systemnamn",
    "Förvaltning/Enhet",
    "Systemägare",
    "Systemansvarig",
    "Avtalets slutdatum",
    "Livscykel",
    "Personuppgifter",
    "Beroende till",
    "K",
    "Kostnad per år",
];

fn messy() -> Table {
    table(
        HEADERS,
        &[
            vec![
                t("Procapita"),
                t("Norrvik kommun / Socialförvaltningen / IFO"),
                t("Anna Andersson"),
                t("bertil.berg@norrvik.se"),
                Cell::Number(46477.0),
                t("I drift"),
                t("x"),
                t("Lifecare, Nationella tjänsteplattformen"),
                t("3"),
                t("120 000"),
            ],
            vec![
                t("Lifecare"),
                t("Socialförvaltningen"),
                t("Anna Andersson; Cecilia Ceder <cecilia@norrvik.se>"),
                t(""),
                t("31/12/2026"),
                t("Under avveckling"),
                t("Ja"),
                t(""),
                t(""),
                t(""),
            ],
            vec![t(""), t("Socialförvaltningen"), t(""), t(""), t(""), t(""), t(""), t(""), t(""), t("")],
            vec![
                t("Diariet"),
                t("Miljö- och byggförvaltningen"),
                t(""),
                t(""),
                t("snart"),
                t("Drift"),
                t("kanske"),
                t(""),
                t(""),
                t(""),
            ],
            vec![t("Procapita"), t("Socialförvaltningen"), t(""), t(""), t(""), t(""), t(""), t(""), t(""), t("")],
        ],
    )
}

#[test]
fn a_proposed_mapping_takes_each_field_once_and_keeps_the_rest_as_extra() {
    let headers: Vec<String> = HEADERS.iter().map(|h| h.to_string()).collect();
    let m = Mapping::propose(&headers);
    let fields: Vec<Option<Field>> = m.columns.iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        [
            Some(Field::Name),
            Some(Field::Organisation),
            Some(Field::Owner),
            Some(Field::Manager),
            Some(Field::ContractEnd),
            Some(Field::Lifecycle),
            Some(Field::PersonalData),
            Some(Field::DependsOn),
            Some(Field::K),
            None
        ]
    );
    m.check(&headers).unwrap();
    let mut twice = m.clone();
    twice.columns[9].field = Some(Field::Name);
    let e = twice.check(&headers).unwrap_err().to_string();
    assert!(e.contains("Systemnamn") && e.contains("Kostnad per år"), "{e}");
    // A saved mapping is reused by header; a new column is proposed.
    let mut saved = m.clone();
    saved.columns[5].field = None;
    let mut more = headers.clone();
    more.push("Driftform".into());
    let adapted = saved.adapt(&more);
    assert_eq!(adapted.columns[5].field, None, "the saved choice wins");
    assert_eq!(adapted.columns[10].field, Some(Field::OperationForm));
}

#[test]
fn a_messy_list_is_planned_row_by_row_then_imported_in_one_go_and_again_changes_nothing() {
    let mut s = municipality();
    let file = messy();
    let mapping = Mapping::propose(&file.headers);
    let plan = crate::register_file::plan_register_import(&s, &file, &mapping).unwrap();
    assert_eq!(s.count::<System>().unwrap(), 0, "a dry run writes nothing");
    let actions: Vec<(u32, RowAction)> = plan.rows.iter().map(|r| (r.row, r.action)).collect();
    assert_eq!(
        actions,
        [
            (2, RowAction::Create),
            (3, RowAction::Create),
            (4, RowAction::Skip),
            (5, RowAction::Create),
            (6, RowAction::Skip)
        ]
    );
    assert_eq!(plan.rows[2].reason.as_deref(), Some("systemnamn saknas (kolumnen «Systemnamn»)"));
    assert_eq!(plan.rows[4].reason.as_deref(), Some("samma system som rad 2"));
    // Values that cannot be read are listed once with their rows, not warned about per row.
    assert!(plan.rows[3].warnings.is_empty(), "{:?}", plan.rows[3].warnings);
    let unread: Vec<(&str, &str, &[u32])> =
        plan.unread_values.iter().map(|u| (u.column.as_str(), u.value.as_str(), u.rows.as_slice())).collect();
    assert_eq!(unread, [("Avtalets slutdatum", "snart", &[5][..]), ("Personuppgifter", "kanske", &[5][..])]);
    assert!(plan.unread_values[0].kept.contains("anteckning"), "{}", plan.unread_values[0].kept);
    assert_eq!(plan.new_organisation, ["Miljö- och byggförvaltningen", "Socialförvaltningen / IFO"]);
    assert_eq!(plan.new_people, ["Anna Andersson", "Bertil Berg", "Cecilia Ceder"]);
    assert_eq!(plan.unresolved_dependencies, ["Nationella tjänsteplattformen"]);
    assert!(
        plan.rows[0]
            .warnings
            .iter()
            .any(|w| w.column == "K" && w.message.contains("K 3 i filen, systemet är inte klassat"))
    );
    assert_eq!((plan.counts.created, plan.counts.skipped), (3, 2));

    let done = crate::register_file::import_register(&mut s, &file, &mapping, Some(&plan.digest)).unwrap();
    assert!(done.applied);
    assert!(s.check().unwrap().is_sound(), "{:?}", s.check().unwrap().problems);
    let systems = s.list::<System>().unwrap();
    let procapita = systems.iter().find(|x| x.name == "Procapita").unwrap();
    assert_eq!(procapita.contract_end, chrono::NaiveDate::from_ymd_opt(2027, 3, 31), "an Excel serial date");
    assert_eq!(procapita.personal_data, Some(true), "x is yes");
    let units = s.list::<Unit>().unwrap();
    assert_eq!(procapita.unit_id, units.iter().find(|u| u.name == "IFO").map(|u| u.id), "the path's unit");
    assert_eq!(
        procapita.extra,
        [
            ExtraAttribute { name: "Kostnad per år".into(), value: "120 000".into() },
            ExtraAttribute { name: "K enligt förteckningen".into(), value: "3".into() }
        ],
        "nothing in the file is lost"
    );
    let lifecare = systems.iter().find(|x| x.name == "Lifecare").unwrap();
    let deps = s.list::<Dependency>().unwrap();
    assert!(
        deps.iter().any(|d| d.system_id == procapita.id && d.depends_on_system_id == Some(lifecare.id)),
        "a later row"
    );
    let party =
        s.list::<ExternalParty>().unwrap().into_iter().find(|p| p.name == "Nationella tjänsteplattformen").unwrap();
    assert!(deps.iter().any(|d| d.system_id == procapita.id && d.depends_on_party_id == Some(party.id)));
    let people = s.list::<Person>().unwrap();
    let cecilia = people.iter().find(|p| p.name == "Cecilia Ceder").unwrap();
    assert_eq!(cecilia.email.as_deref(), Some("cecilia@norrvik.se"));
    let owners: Vec<PersonId> = s
        .list::<RoleAssignment>()
        .unwrap()
        .into_iter()
        .filter(|r| r.system_id == Some(lifecare.id) && r.role == Role::Systemagare)
        .map(|r| r.person_id)
        .collect();
    assert_eq!(owners.len(), 2, "two owners in one cell");

    // The same file again: every imported row unchanged, nothing new.
    let again = crate::register_file::plan_register_import(&s, &file, &mapping).unwrap();
    assert_eq!((again.counts.created, again.counts.updated, again.counts.unchanged), (0, 0, 3), "{:?}", again.rows);
    assert!(again.new_people.is_empty() && again.new_organisation.is_empty() && again.new_parties.is_empty());
    let before = s.count::<System>().unwrap();
    crate::register_file::import_register(&mut s, &file, &mapping, None).unwrap();
    assert_eq!(s.count::<System>().unwrap(), before);

    // An updated file: a changed value updates the matched system only.
    let mut updated = file.clone();
    updated.rows[1].cells[5] = t("Avvecklad");
    let plan = crate::register_file::plan_register_import(&s, &updated, &mapping).unwrap();
    assert_eq!(plan.rows[1].action, RowAction::Update);
    assert_eq!(plan.rows[1].changes, ["Livscykel"]);
    // The plan shown is the plan applied: a stale digest is refused and nothing is written.
    let e =
        crate::register_file::import_register(&mut s, &updated, &mapping, Some("föråldrad")).unwrap_err().to_string();
    assert!(e.contains("granska planen igen"), "{e}");
    crate::register_file::import_register(&mut s, &updated, &mapping, Some(&plan.digest)).unwrap();
    let lifecare: System = s.get(lifecare.id).unwrap();
    assert_eq!(lifecare.lifecycle, Lifecycle::Avvecklad);
}

#[test]
fn an_exported_register_reimports_with_no_changes() {
    let mut s = Store::open_in_memory().unwrap();
    build(&mut s, &DemoConfig { systems: 25, seed: 5, today: None }).unwrap();
    // Something in every kind of column, an extra attribute included.
    let mut first: System = s.list::<System>().unwrap().remove(0);
    first.extra = vec![ExtraAttribute { name: "Kostnad per år".into(), value: "40 000".into() }];
    first.aliases = vec!["Gamla namnet".into(), "GN".into()];
    s.write("Ändra", |w| w.update(first)).unwrap();
    let table = export(&s, None).unwrap();
    assert_eq!(table.rows.len(), 25);
    assert!(table.headers.iter().any(|h| h == "Kostnad per år"));
    assert!(table.headers.len() >= 40, "{}", table.headers.len());
    let mapping = Mapping::propose(&table.headers);
    assert_eq!(mapping.columns.iter().filter(|c| c.field.is_none()).count(), 1, "{mapping:?}");
    let plan = crate::register_file::plan_register_import(&s, &table, &mapping).unwrap();
    let changed: Vec<&RowReport> = plan.rows.iter().filter(|r| r.action != RowAction::Unchanged).collect();
    assert!(changed.is_empty(), "{changed:#?}");
    assert_eq!(plan.counts.warnings, 0, "{:?}", plan.rows.iter().flat_map(|r| &r.warnings).collect::<Vec<_>>());
    // Through real files: xlsx and csv.
    for bytes in [riskverkstad_sheets::write_xlsx(&table).unwrap(), riskverkstad_sheets::write_csv(&table).unwrap()] {
        let (back, _) = riskverkstad_sheets::read(&bytes, None, "fil", Default::default()).unwrap();
        let plan = crate::register_file::plan_register_import(&s, &back, &Mapping::propose(&back.headers)).unwrap();
        assert_eq!(
            plan.counts.unchanged,
            25,
            "{:#?}",
            plan.rows.iter().filter(|r| r.action != RowAction::Unchanged).collect::<Vec<_>>()
        );
    }
}

#[test]
fn hard_cells_neither_fail_the_import_nor_lose_or_invent_data() {
    let mut s = municipality();
    s.write("Person", |w| w.insert(Person { name: "Anna Andersson".into(), ..Default::default() })).unwrap();
    let headers = &[
        "Systemnamn",
        "Förvaltning",
        "Systemägare",
        "Systemförvaltare",
        "Verksamhetskritisk",
        "Beroende från",
        "Andra namn",
    ];
    let first = table(
        headers,
        &[vec![
            t("Lönesystem"),
            t("Kommunstyrelseförvaltningen"),
            t("Anna Andersson <anna@norrvik.se>"),
            t("Bo <IT-chef>"),
            t("x"),
            t("Skatteverket"),
            t("Lön; Personal, HR"),
        ]],
    );
    let mapping = Mapping::propose(&first.headers);
    let plan = crate::register_file::plan_register_import(&s, &first, &mapping).unwrap();
    assert_eq!(plan.counts.created, 1, "{:?}", plan.rows);
    assert_eq!(plan.new_people, ["Bo"], "Anna is matched by name; 'IT-chef' is no e-mail address");
    assert!(plan.new_parties.is_empty(), "a party cannot depend on a system: nothing is invented");
    assert!(plan.rows[0].warnings.iter().any(|w| w.message.contains("registreras inte")), "{:?}", plan.rows);
    crate::register_file::import_register(&mut s, &first, &mapping, Some(&plan.digest)).unwrap();
    let sys = s.list::<System>().unwrap().into_iter().find(|x| x.name == "Lönesystem").unwrap();
    assert_eq!(sys.aliases, ["Lön", "Personal, HR"], "a comma inside a value survives");
    assert!(sys.business_critical);
    assert_eq!(s.list::<Person>().unwrap().len(), 2, "no second Anna");
    // An empty cell leaves a yes/no field as it was.
    let mut second = first.clone();
    second.rows[0].cells[4] = Cell::Empty;
    crate::register_file::import_register(&mut s, &second, &mapping, None).unwrap();
    assert!(s.get::<System>(sys.id).unwrap().business_critical);
    // Two columns under one header: refused before anything is read.
    let twice = table(&["Systemnamn", "Kommentar", "Kommentar"], &[vec![t("A"), t("x"), t("y")]]);
    let e = crate::register_file::plan_register_import(&s, &twice, &Mapping::propose(&twice.headers))
        .unwrap_err()
        .to_string();
    assert!(e.contains("«Kommentar» finns två gånger"), "{e}");
}

/// Issue #18: a municipality's published register, with every pattern real ones have,
/// imports with no row lost and nothing invented; again it changes nothing; exported and
/// imported into another database it comes back the same.
#[test]
fn a_municipal_register_imports_whole_and_round_trips() {
    use crate::demo::municipal_sheet::{BOLAG, FORVALTNINGAR, MUNICIPALITY, municipal_sheet, names_party};
    let sheet = municipal_sheet(120, 4);
    let fresh = || {
        let mut s = Store::open_in_memory().unwrap();
        s.write("Ny organisation", |w| {
            let o = w.insert(Organisation { name: MUNICIPALITY.into(), ..Default::default() })?;
            w.insert(Forvaltning {
                organisation_id: o.id,
                name: "Socialförvaltningen".into(),
                short_name: "SOC".into(),
                ..Default::default()
            })?;
            Ok(())
        })
        .unwrap();
        s
    };
    let mut s = fresh();
    let file = &sheet.table;
    let mapping = crate::register_file::value_mapping::complete(Mapping::propose(&file.headers), file);
    let field = |h: &str| mapping.columns.iter().find(|c| c.header == h).unwrap().field;
    assert_eq!(field("Systemansvariga IT"), Some(Field::TechnicalManager));
    assert_eq!(field("Systemansvariga verksamhet"), Some(Field::Manager));
    assert_eq!(field("Drift internt eller externt"), Some(Field::OperationForm));
    assert_eq!(field("Avtalstiden löper ut datum"), Some(Field::ContractEnd));
    assert_eq!(field("Var i systemets livscykel befinner sig systemet?"), Some(Field::Lifecycle));
    assert_eq!(field("Har riskanalys genomförts under det senaste året?"), Some(Field::DoneLastYear));
    assert_eq!(
        field("Har informationssäkerhetsklassning genomförts under det senaste året?"),
        Some(Field::DoneLastYear)
    );
    assert_eq!(field("Beroende till andra system"), Some(Field::DependsOn));
    assert!(mapping.columns[6].why.contains("synonym"), "{:?}", mapping.columns[6]);
    // Every graded answer and phrase is proposed.
    let unmapped: Vec<&ValueChoice> = mapping.values.iter().filter(|v| v.becomes.is_none()).collect();
    assert!(unmapped.is_empty(), "{unmapped:?}");

    let plan = crate::register_file::plan_register_import(&s, file, &mapping).unwrap();
    assert_eq!(
        (plan.counts.created, plan.counts.skipped),
        (sheet.systems as u32, 0),
        "{:?}",
        plan.rows.iter().filter(|r| r.action == RowAction::Skip).collect::<Vec<_>>()
    );
    let roles: Vec<LevelRole> = plan.organisation_levels.iter().map(|l| l.role).collect();
    assert_eq!(roles, [LevelRole::Organisation, LevelRole::Grupp, LevelRole::Forvaltning, LevelRole::Enhet]);
    let bolag = plan.organisation_tree.iter().find(|n| n.name == BOLAG[0]).unwrap();
    assert!(bolag.new && bolag.kind == "Bolag", "{bolag:?}");
    assert_eq!(plan.organisation_tree.len(), FORVALTNINGAR.len() + BOLAG.len());
    let soc = plan.organisation_tree.iter().find(|n| n.name == "Socialförvaltningen").unwrap();
    assert!(!soc.new && soc.units.iter().any(|u| u.name == "Enhet 1" && u.new), "{soc:?}");
    // The contract texts are kept as notes and listed once each.
    let texts: u32 = plan
        .unread_values
        .iter()
        .filter(|u| u.column == "Avtalstiden löper ut datum")
        .map(|u| u.rows.len() as u32)
        .sum();
    assert_eq!(texts as usize, sheet.contract_texts);
    assert!(
        plan.unread_values.iter().all(|u| u.column == "Avtalstiden löper ut datum" || u.column == "Antal användare"),
        "{:?}",
        plan.unread_values
    );
    assert_eq!(plan.new_actions.len(), sheet.no_answers);
    // The ambiguous names are resolved and the choice said.
    assert!(plan.rows.iter().flat_map(|r| &r.warnings).any(|w| w.message.contains("finns i flera förvaltningar")));

    crate::register_file::import_register(&mut s, file, &mapping, Some(&plan.digest)).unwrap();
    assert!(s.check().unwrap().is_sound());
    let systems = s.list::<System>().unwrap();
    assert_eq!(systems.len(), sheet.systems, "zero lost rows");
    let parties: Vec<String> = s.list::<ExternalParty>().unwrap().into_iter().map(|p| p.name).collect();
    let bogus: Vec<&String> = parties.iter().filter(|p| !names_party(p)).collect();
    assert!(bogus.is_empty(), "no party from a fragment: {bogus:?}");
    let deps = s.list::<Dependency>().unwrap();
    let on_systems = deps.iter().filter(|d| d.depends_on_system_id.is_some()).count();
    assert_eq!(on_systems, sheet.dependencies_on_systems, "every dependency on a system in the file resolves");
    assert_eq!(deps.len() - on_systems, sheet.dependencies_on_parties);
    assert!(deps.iter().all(|d| d.criticality.is_some()), "criticality lands on the dependency");
    assert!(deps.iter().any(|d| d.kind == DependencyKind::Fil));
    assert!(
        deps.iter()
            .any(|d| d.kind == DependencyKind::Annan
                && d.description.as_deref() == Some("Sätt enligt förteckningen: SSO"))
    );
    let kart = systems.iter().find(|x| x.name == "Kartverktyg NIS, TCN (SEE, SN)").unwrap();
    assert!(deps.iter().any(|d| d.depends_on_system_id == Some(kart.id)));
    let forvaltningar = s.list::<Forvaltning>().unwrap();
    assert!(BOLAG.iter().all(|b| forvaltningar.iter().any(|f| f.name == *b && f.kind == ForvaltningKind::Bolag)));
    assert_eq!(s.count::<Action>().unwrap() as usize, sheet.no_answers);
    let tech = s.list::<RoleAssignment>().unwrap().into_iter().filter(|r| r.role == Role::TekniskForvaltare).count();
    assert!(tech > sheet.systems, "several IT holders per cell: {tech}");
    let noted = systems
        .iter()
        .filter(|x| x.extra.iter().any(|a| a.name == "Avtalstiden löper ut datum" && a.value.contains("uppsägning")))
        .count();
    assert_eq!(noted, sheet.contract_texts);

    // Again: nothing changes.
    let again = crate::register_file::plan_register_import(&s, file, &mapping).unwrap();
    let changed: Vec<&RowReport> = again.rows.iter().filter(|r| r.action != RowAction::Unchanged).collect();
    assert!(changed.is_empty(), "{:#?}", &changed[..changed.len().min(3)]);
    assert!(again.new_actions.is_empty() && again.new_parties.is_empty() && again.new_dependencies == 0);

    // Export → import into another database → export: the same register.
    let first = export(&s, None).unwrap();
    let mut other = fresh();
    let m2 = Mapping::propose(&first.headers);
    let p2 = crate::register_file::plan_register_import(&other, &first, &m2).unwrap();
    assert_eq!(
        p2.counts.created as usize,
        sheet.systems,
        "{:?}",
        p2.rows.iter().filter(|r| r.action == RowAction::Skip).collect::<Vec<_>>()
    );
    crate::register_file::import_register(&mut other, &first, &m2, None).unwrap();
    let second = export(&other, None).unwrap();
    let without_id = |t: &Table| -> Vec<Vec<String>> {
        let id = t.headers.iter().position(|h| h.starts_with("Id")).unwrap();
        let mut rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| r.cells.iter().enumerate().filter(|(i, _)| *i != id).map(|(_, c)| c.text()).collect())
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(first.headers, second.headers);
    let (a, b) = (without_id(&first), without_id(&second));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    let described = |s: &Store| {
        let names: std::collections::HashMap<SystemId, String> =
            s.list::<System>().unwrap().into_iter().map(|x| (x.id, x.name)).collect();
        let mut v: Vec<String> = s
            .list::<Dependency>()
            .unwrap()
            .into_iter()
            .map(|d| {
                let from = &names[&d.system_id];
                let to = d.depends_on_system_id.map(|t| names[&t].clone()).unwrap_or_default();
                format!("{from}→{to}|{:?}|{:?}|{:?}", d.criticality, d.kind, d.description)
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(described(&s), described(&other), "criticality, kind and kept words travel");
    // The actions from the questions are due in the yearly cycle.
    let due = crate::gather::due_list(&s, chrono::Local::now().date_naive()).unwrap();
    let atgard = due.iter().filter(|d| d.kind == crate::due::DueKind::Atgard).count();
    assert_eq!(atgard, sheet.no_answers, "each Nej is due within the month");
}

#[test]
fn a_saved_mapping_keeps_its_levels_values_and_separators_only_where_they_fit() {
    let headers = |h: &[&str]| h.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let mut saved = Mapping::propose(&headers(&["Systemnamn", "Organisation", "Verksamhetskritiskt"]));
    saved.levels = vec![LevelRole::Organisation, LevelRole::Grupp, LevelRole::Forvaltning];
    saved.separators = vec!["|".into()];
    saved.values = vec![ValueChoice {
        header: "Verksamhetskritiskt".into(),
        value: "Delvis".into(),
        becomes: Some("ja".into()),
        how: "valt".into(),
    }];
    let same = saved.adapt(&headers(&["Systemnamn", "Organisation", "Verksamhetskritiskt", "Kommentar"]));
    assert_eq!(same.levels, saved.levels, "the same organisation column keeps its levels");
    assert_eq!((same.values.clone(), same.separators.clone()), (saved.values.clone(), saved.separators.clone()));
    let other = saved.adapt(&headers(&["Systemnamn", "Förvaltning"]));
    assert!(other.levels.is_empty(), "another organisation column gets its levels proposed");
    // A value choice of the saved mapping decides; one that names no value of the field is refused.
    let file = table(
        &["Systemnamn", "Organisation", "Verksamhetskritiskt"],
        &[vec![t("A"), t("Socialförvaltningen"), t("Delvis")]],
    );
    let s = municipality();
    let plan = crate::register_file::plan_register_import(&s, &file, &same_for(&saved, &file)).unwrap();
    assert!(plan.unread_values.is_empty(), "{:?}", plan.unread_values);
    let mut bad = same_for(&saved, &file);
    bad.values[0].becomes = Some("kanske".into());
    let e = bad.check(&file.headers).unwrap_err().to_string();
    assert!(e.contains("«Delvis»") && e.contains("«kanske»"), "{e}");
}

fn same_for(saved: &Mapping, file: &Table) -> Mapping {
    crate::register_file::value_mapping::complete(saved.adapt(&file.headers), file)
}

#[test]
fn a_plain_list_keeps_a_later_rows_name_with_a_comma_whole() {
    let mut s = municipality();
    let file = table(
        &["Systemnamn", "Förvaltning", "Beroende till"],
        &[
            vec![t("Bygglov"), t("Socialförvaltningen"), t("Kartverktyg NIS, TCN, Lifecare")],
            vec![t("Kartverktyg NIS, TCN"), t("Socialförvaltningen"), t("")],
            vec![t("Lifecare"), t("Kommunstyrelseförvaltningen"), t("")],
        ],
    );
    let mapping = Mapping::propose(&file.headers);
    let plan = crate::register_file::plan_register_import(&s, &file, &mapping).unwrap();
    assert!(plan.new_parties.is_empty(), "{:?}", plan.new_parties);
    assert_eq!(plan.new_dependencies, 2);
    crate::register_file::import_register(&mut s, &file, &mapping, Some(&plan.digest)).unwrap();
    assert!(s.list::<Dependency>().unwrap().iter().all(|d| d.depends_on_system_id.is_some()));
}

/// What a second look at issue #18's import found, each now held: a second import of the same
/// file changes nothing, whatever the file says twice or the person added in between; an
/// export of what could not be read re-imports.
#[test]
fn second_imports_stay_still_and_exports_of_unread_values_reimport() {
    let mut s = Store::open_in_memory().unwrap();
    s.write("Ny organisation", |w| {
        w.insert(Organisation { name: "Norrviks kommun".into(), ..Default::default() })?;
        Ok(())
    })
    .unwrap();
    let file = table(
        &[
            "Systemnamn",
            "Organisation",
            "Systemansvarig",
            "Systemförvaltare",
            "Verksamhetskritiskt",
            "Beroende till",
            "Beroende från",
        ],
        &[
            vec![
                t("Procapita"),
                t("Socialförvaltningen / IFO"),
                t("Anna Ek"),
                t("Bo Berg"),
                t("Delvis"),
                t("Lifecare: Helt verksamhetskritiskt (API), Visma: Delvis kritiskt"),
                t(""),
            ],
            vec![
                t("Lifecare"),
                t("Socialförvaltningen / Äldreomsorg"),
                t(""),
                t(""),
                t("Ja"),
                t("Portalen (SSO)"),
                t("Procapita: Till betydande del verksamhetskritiskt"),
            ],
            vec![t("Portalen"), t("Socialförvaltningen"), t(""), t(""), t(""), t(""), t("")],
        ],
    );
    // The person keeps Systemansvarig as the förvaltare and Systemförvaltare as the technical one.
    let mut mapping = Mapping::propose(&file.headers);
    mapping.columns[2].field = Some(Field::Manager);
    mapping.columns[3].field = Some(Field::TechnicalManager);
    let mapping = crate::register_file::value_mapping::complete(mapping, &file);
    let plan = crate::register_file::plan_register_import(&s, &file, &mapping).unwrap();
    let roles: Vec<LevelRole> = plan.organisation_levels.iter().map(|l| l.role).collect();
    assert_eq!(roles, [LevelRole::Forvaltning, LevelRole::Enhet], "one förvaltning's file with units");
    crate::register_file::import_register(&mut s, &file, &mapping, Some(&plan.digest)).unwrap();
    assert_eq!(s.list::<Forvaltning>().unwrap().len(), 1);
    // The person adds to an imported dependency's description.
    let mut sso = s
        .list::<Dependency>()
        .unwrap()
        .into_iter()
        .find(|d| d.kind == DependencyKind::Annan && d.description.is_some())
        .unwrap();
    sso.description = Some(format!("Nattlig batch. {}", sso.description.clone().unwrap()));
    s.write("Ändra", |w| w.update(sso.clone())).unwrap();
    // Again, through the mapping as it is saved (adapted to the same headers): nothing changes.
    let saved: Mapping = serde_json::from_str(&serde_json::to_string(&mapping).unwrap()).unwrap();
    let again = crate::register_file::value_mapping::complete(saved.adapt(&file.headers), &file);
    assert_eq!(
        again.columns.iter().map(|c| c.field).collect::<Vec<_>>(),
        mapping.columns.iter().map(|c| c.field).collect::<Vec<_>>()
    );
    let second = crate::register_file::plan_register_import(&s, &file, &again).unwrap();
    let moved: Vec<&RowReport> = second.rows.iter().filter(|r| r.action != RowAction::Unchanged).collect();
    assert!(moved.is_empty(), "{moved:#?}");
    assert_eq!((second.new_dependencies, second.changed_dependencies), (0, 0));
    assert_eq!(s.get::<Dependency>(sso.id).unwrap().description, sso.description, "the person's text is kept");
    // The value nobody mapped is kept under a name an export can write beside the field's own column.
    let procapita = s.list::<System>().unwrap().into_iter().find(|x| x.name == "Procapita").unwrap();
    assert!(
        procapita.extra.iter().any(|a| a.name == "Verksamhetskritiskt enligt förteckningen" && a.value == "Delvis")
    );
    let visma = s
        .list::<Dependency>()
        .unwrap()
        .into_iter()
        .find(|d| d.depends_on_party_id.is_some() && d.system_id == procapita.id)
        .unwrap();
    assert_eq!(crate::register_file::dependencies::notes(visma.description.as_deref()).1, Some("Delvis kritiskt"));
    let exported = export(&s, None).unwrap();
    let m = Mapping::propose(&exported.headers);
    let plan = crate::register_file::plan_register_import(&s, &exported, &m).unwrap();
    assert!(plan.rows.iter().all(|r| r.action == RowAction::Unchanged), "{:#?}", plan.rows);
}
