//! The incident documents: the early warning, the incident notification and the final report
//! under cybersäkerhetslagen, the record of a personal data breach for IMY (each with what that
//! step asks for), and the incidentlogg of a period. Incident reports fall under secrecy
//! (OSL 18 kap. 8 §) and are marked so.

use super::*;
use riskverkstad_core::incident::{Now, ReportKind};
use riskverkstad_core::views::{IncidentRow, incident_view, incidents};

fn text(t: &str) -> String {
    if t.trim().is_empty() { "Ej angivet".into() } else { t.trim().to_string() }
}

fn names(lines: &[riskverkstad_core::views::LinkLine]) -> String {
    if lines.is_empty() {
        "Inga angivna".into()
    } else {
        lines.iter().map(|l| l.name.clone()).collect::<Vec<_>>().join(", ")
    }
}

/// The report `kind` of one incident, as of `now`.
pub(crate) fn report(
    store: &Store,
    id: riskverkstad_core::ids::IncidentId,
    kind: ReportKind,
    now: Now,
) -> Result<(String, String, Vec<Block>)> {
    let v = incident_view(store, id, now)?;
    let i = &v.row.incident;
    let method = store.method().definition.clone();
    let people = person_names(store)?;
    let handler = i.handler_id.and_then(|p| people.get(&p).cloned()).unwrap_or_else(|| "Ej utsedd".into());
    let consequence = i
        .consequence
        .and_then(|c| method.risk_matrix.consequence.iter().find(|l| l.value == c))
        .map(|l| format!("{} – {}", l.value, l.name))
        .unwrap_or_else(|| "Ej bedömd".into());
    let aspects = if i.aspects.is_empty() {
        "Ej angivna".to_string()
    } else {
        i.aspects.iter().map(|a| a.label()).collect::<Vec<_>>().join(", ")
    };
    let threat = match i.threat_id {
        Some(t) => store.find::<Threat>(t)?.map(|t| format!("{} {}", t.code, t.name)),
        None => None,
    };
    let supplier = match i.supplier_id {
        Some(s) => store.find::<ExternalParty>(s)?.map(|p| p.name),
        None => None,
    };
    let deadline = v.row.deadlines.iter().find(|d| d.kind == kind);
    let mut b = vec![Block::Facts(vec![
        ("Incident".into(), i.title.clone()),
        ("Blev känd".into(), format!("{} (svensk tid)", i.known_at.local())),
        ("Upptäcktes".into(), i.detected_at.map(|t| t.local()).unwrap_or_else(|| "Ej angivet".into())),
        ("Inträffade".into(), i.occurred_at.map(|t| t.local()).unwrap_or_else(|| "Ej känt".into())),
        ("Ansvarig förvaltning".into(), text(&v.forvaltning)),
        ("Handläggare".into(), handler),
        ("Rapporterad av".into(), text(&i.reported_by)),
        ("Status".into(), i.status.label().into()),
    ])];
    b.push(Block::Heading("Rapporten".into()));
    let mut facts = vec![("Rapport".into(), kind.label().to_string()), ("Regel".into(), kind.rule().to_string())];
    if let Some(d) = deadline {
        facts.push((
            "Senast".into(),
            d.due_at
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|| "När incidentanmälan är skickad".into()),
        ));
        facts.push(("Läge".into(), d.state.label().into()));
    }
    let sent: Vec<String> = v
        .reports
        .iter()
        .filter(|r| r.report.kind == kind)
        .map(|r| {
            let reference =
                if r.report.reference.is_empty() { String::new() } else { format!(", ref. {}", r.report.reference) };
            format!("{} till {}{reference}", r.report.sent_at.local(), r.recipient)
        })
        .collect();
    facts.push(("Skickad".into(), if sent.is_empty() { "Ej skickad".into() } else { sent.join("; ") }));
    b.push(Block::Facts(facts));
    b.push(Block::Heading("Vad som hände".into()));
    b.push(Block::Paragraph(text(&i.description)));
    b.push(Block::Facts(vec![
        ("Berörda system".into(), names(&v.systems)),
        ("Berörd information".into(), names(&v.information_sets)),
        ("Påverkade aspekter".into(), aspects),
        ("Leverantör inblandad".into(), supplier.unwrap_or_else(|| "Ingen angiven".into())),
    ]));
    match kind {
        ReportKind::TidigVarning => {
            b.push(Block::Heading("Tidig varning".into()));
            b.push(Block::Facts(vec![
                (
                    "Misstänkt orsak".into(),
                    text(&threat.clone().map(|t| format!("{t}. {}", i.cause)).unwrap_or_else(|| i.cause.clone())),
                ),
                (
                    "Avsiktlig handling".into(),
                    match i.malicious {
                        Answer::Ja => "Ja, misstänks".into(),
                        Answer::Nej => "Nej".into(),
                        Answer::VetEj => "Vet ej ännu".into(),
                    },
                ),
                ("Gränsöverskridande påverkan".into(), text(&i.cross_border)),
                ("Betydande incident".into(), significant(i)),
            ]));
        }
        ReportKind::Incidentanmalan => {
            b.push(Block::Heading("Incidentanmälan".into()));
            b.push(Block::Facts(vec![
                ("Allvarlighetsgrad".into(), consequence),
                ("Påverkan".into(), text(&i.impact)),
                ("Indikatorer på intrång".into(), text(&i.indicators)),
                (
                    "Misstänkt orsak".into(),
                    text(&threat.clone().map(|t| format!("{t}. {}", i.cause)).unwrap_or_else(|| i.cause.clone())),
                ),
                ("Gränsöverskridande påverkan".into(), text(&i.cross_border)),
                ("Vidtagna åtgärder".into(), text(&i.measures)),
                ("Betydande incident".into(), significant(i)),
            ]));
        }
        ReportKind::Slutrapport => {
            b.push(Block::Heading("Slutrapport".into()));
            b.push(Block::Facts(vec![
                ("Allvarlighetsgrad".into(), consequence),
                ("Påverkan".into(), text(&i.impact)),
                ("Grundorsak".into(), text(&i.root_cause)),
                ("Hot som inträffade".into(), threat.unwrap_or_else(|| "Inget ur hotkatalogen".into())),
                ("Vidtagna och pågående åtgärder".into(), text(&i.measures)),
                ("Gränsöverskridande påverkan".into(), text(&i.cross_border)),
                ("Lärdomar".into(), text(&i.lessons)),
            ]));
            if !v.actions.is_empty() || !v.risks.is_empty() {
                b.push(Block::Heading("Det incidenten gav".into()));
                let mut rows: Vec<Row> = v
                    .actions
                    .iter()
                    .map(|a| Row::new(vec!["Åtgärd".into(), a.title.clone(), date(a.due_on), a.status.label().into()]))
                    .collect();
                rows.extend(
                    v.risks
                        .iter()
                        .map(|r| Row::new(vec!["Risk".into(), r.name.clone(), String::new(), "I riskanalysen".into()])),
                );
                b.push(Block::Table {
                    headers: vec!["Vad".into(), "Titel".into(), "Klart senast".into(), "Status".into()],
                    widths: vec![1.6, 6.0, 2.2, 2.2],
                    rows,
                });
            }
        }
        ReportKind::Gdpr => {
            b.push(Block::Heading("Personuppgiftsincident (GDPR art. 33)".into()));
            b.push(Block::Facts(vec![
                ("Personuppgiftsincident".into(), i.personal_data_breach.label().into()),
                ("Kategorier av personuppgifter".into(), text(&i.personal_data_categories)),
                (
                    "Ungefärligt antal berörda personer".into(),
                    i.people_affected.map(|n| n.to_string()).unwrap_or_else(|| "Ej känt".into()),
                ),
                ("Sannolika följder".into(), text(&i.impact)),
                ("Vidtagna och planerade åtgärder".into(), text(&i.measures)),
                (
                    "Information till de registrerade (art. 34)".into(),
                    i.subjects_informed_on
                        .map(|d| format!("Informerade {d}"))
                        .unwrap_or_else(|| "Ej informerade".into()),
                ),
            ]));
        }
    }
    b.push(Block::Signatures(vec![
        "Ort och datum".into(),
        "Informationssäkerhetssamordnare".into(),
        "Namnförtydligande".into(),
    ]));
    Ok((format!("{} – {}", kind.label(), i.title), v.forvaltning.clone(), b))
}

fn significant(i: &Incident) -> String {
    let answer = if i.significant { "Ja" } else { "Nej" };
    if i.significance_reasoning.trim().is_empty() {
        answer.into()
    } else {
        format!("{answer}. {}", i.significance_reasoning.trim())
    }
}

/// The incidentlogg of `from..=to`: every incident that became known in the period, and the
/// counts per kind and per system.
pub(crate) fn log(store: &Store, from: NaiveDate, to: NaiveDate, now: Now) -> Result<(String, Vec<Block>)> {
    let rows: Vec<IncidentRow> =
        incidents(store, now)?.into_iter().filter(|r| (from..=to).contains(&r.incident.known_at.date())).collect();
    let mut oldest_first = rows.clone();
    oldest_first.reverse();
    let count_of = |f: &dyn Fn(&IncidentRow) -> bool| rows.iter().filter(|r| f(r)).count().to_string();
    let mut b = vec![Block::Facts(vec![
        ("Period".into(), format!("{from} – {to}")),
        ("Incidenter".into(), rows.len().to_string()),
        ("Betydande (cybersäkerhetslagen)".into(), count_of(&|r| r.incident.significant)),
        ("Personuppgiftsincidenter".into(), count_of(&|r| r.incident.personal_data_breach == Answer::Ja)),
        ("Allvarliga".into(), count_of(&|r| r.serious)),
        ("Med missad rapporttid".into(), count_of(&|r| r.late)),
        ("Ej avslutade".into(), count_of(&|r| r.incident.status.is_open())),
    ])];
    b.push(Block::Heading("Incidenter".into()));
    if rows.is_empty() {
        b.push(Block::Paragraph("Inga incidenter blev kända under perioden.".into()));
    } else {
        b.push(Block::Table {
            headers: vec!["Blev känd".into(), "Incident".into(), "System".into(), "Typ".into(), "Status".into()],
            widths: vec![2.6, 4.4, 3.0, 2.4, 1.8],
            rows: oldest_first
                .iter()
                .map(|r| {
                    let i = &r.incident;
                    let mut kind = Vec::new();
                    if i.significant {
                        kind.push("Betydande");
                    }
                    if i.personal_data_breach == Answer::Ja {
                        kind.push("Personuppgifter");
                    }
                    let mut row = Row::new(vec![
                        i.known_at.local(),
                        i.title.clone(),
                        r.systems.join(", "),
                        if kind.is_empty() { "Övrig".into() } else { kind.join(", ") },
                        i.status.label().into(),
                    ]);
                    row.alert = r.late;
                    row
                })
                .collect(),
        });
    }
    b.push(Block::Heading("Per system".into()));
    let mut per_system: Vec<(String, usize)> = Vec::new();
    for r in &rows {
        let systems = if r.systems.is_empty() { vec!["Inget system angivet".to_string()] } else { r.systems.clone() };
        for s in systems {
            match per_system.iter_mut().find(|(n, _)| *n == s) {
                Some((_, c)) => *c += 1,
                None => per_system.push((s, 1)),
            }
        }
    }
    per_system.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    b.push(Block::Table {
        headers: vec!["System".into(), "Incidenter".into()],
        widths: vec![6.0, 2.0],
        rows: per_system.into_iter().map(|(s, n)| Row::new(vec![s, n.to_string()])).collect(),
    });
    b.push(Block::Note(
        "Rader i rött: en rapport som skulle ha skickats enligt cybersäkerhetslagen eller GDPR är inte skickad.".into(),
    ));
    Ok((format!("Incidentlogg {from} – {to}"), b))
}

/// Incidents per quarter (the last four up to `to`) and per system, for the lägesbild.
pub(crate) fn for_situation(
    store: &Store,
    to: NaiveDate,
    forvaltning: Option<riskverkstad_core::ids::ForvaltningId>,
) -> Result<Vec<Block>> {
    use chrono::Datelike;
    let rows: Vec<IncidentRow> = incidents(store, Now::on(to))?
        .into_iter()
        .filter(|r| forvaltning.is_none() || r.incident.forvaltning_id == forvaltning)
        .collect();
    let quarter = |d: NaiveDate| (d.year(), (d.month() - 1) / 3 + 1);
    let (mut y, mut q) = quarter(to);
    let mut quarters = Vec::new();
    for _ in 0..4 {
        quarters.push((y, q));
        if q == 1 {
            (y, q) = (y - 1, 4);
        } else {
            q -= 1;
        }
    }
    quarters.reverse();
    let mut b = vec![Block::Heading("Incidenter per kvartal".into())];
    b.push(Block::Table {
        headers: vec![
            "Kvartal".into(),
            "Incidenter".into(),
            "Betydande".into(),
            "Personuppgifter".into(),
            "Missad rapporttid".into(),
        ],
        widths: vec![2.2, 2.0, 2.0, 2.4, 2.8],
        rows: quarters
            .iter()
            .map(|(y, q)| {
                let inq: Vec<&IncidentRow> = rows
                    .iter()
                    .filter(|r| quarter(r.incident.known_at.date()) == (*y, *q) && r.incident.known_at.date() <= to)
                    .collect();
                Row::new(vec![
                    format!("{y} K{q}"),
                    inq.len().to_string(),
                    inq.iter().filter(|r| r.incident.significant).count().to_string(),
                    inq.iter().filter(|r| r.incident.personal_data_breach == Answer::Ja).count().to_string(),
                    inq.iter().filter(|r| r.late).count().to_string(),
                ])
            })
            .collect(),
    });
    let first = NaiveDate::from_ymd_opt(quarters[0].0, (quarters[0].1 - 1) * 3 + 1, 1).unwrap_or(to);
    let mut per_system: Vec<(String, usize)> = Vec::new();
    for r in rows.iter().filter(|r| (first..=to).contains(&r.incident.known_at.date())) {
        for s in &r.systems {
            match per_system.iter_mut().find(|(n, _)| n == s) {
                Some((_, c)) => *c += 1,
                None => per_system.push((s.clone(), 1)),
            }
        }
    }
    per_system.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    per_system.truncate(10);
    b.push(Block::Heading("Incidenter per system".into()));
    b.push(if per_system.is_empty() {
        Block::Paragraph("Inga incidenter har kopplats till system under de fyra kvartalen.".into())
    } else {
        Block::Table {
            headers: vec!["System".into(), "Incidenter (fyra kvartal)".into()],
            widths: vec![6.0, 2.6],
            rows: per_system.into_iter().map(|(s, n)| Row::new(vec![s, n.to_string()])).collect(),
        }
    });
    Ok(b)
}
