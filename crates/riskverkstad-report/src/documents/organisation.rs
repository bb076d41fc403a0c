//! The documents about a förvaltning or the whole organisation: the handlingsplan and the
//! lägesbild (drawn from the core's `Situation`), with the trend since the last decided one.

use super::*;
use riskverkstad_core::views::Situation;

pub(super) fn plan_rows(
    store: &Store,
    req: &ReportRequest,
    organisation: &str,
) -> Result<(String, Vec<ActionPlanRow>)> {
    let mut rows = action_plan(store, req.date)?;
    let scope = if let Some(id) = req.system {
        let s: System = store.get(id)?;
        rows.retain(|r| r.action.system_id == Some(id));
        s.name
    } else if let Some(f) = req.forvaltning {
        let fv: Forvaltning = store.get(f)?;
        let systems: std::collections::HashSet<SystemId> =
            store.list_by::<System>("forvaltning_id", &f.to_string())?.into_iter().map(|s| s.id).collect();
        rows.retain(|r| r.action.system_id.is_some_and(|s| systems.contains(&s)));
        fv.name
    } else {
        organisation.to_string()
    };
    Ok((scope, rows))
}

pub(super) fn handlingsplan(rows: &[ActionPlanRow], req: &ReportRequest) -> Vec<Block> {
    let open: Vec<&ActionPlanRow> = rows.iter().filter(|r| r.action.status.is_open()).collect();
    let overdue = open.iter().filter(|r| r.overdue).count();
    let mut b = vec![Block::Paragraph(format!(
        "{}, varav {} försenade. Åtgärderna är grupperade per ansvarig och ordnade efter datum; försenade är markerade.",
        count(open.len(), "öppen åtgärd", "öppna åtgärder"),
        overdue
    ))];
    let mut by_owner: Vec<(String, Vec<&ActionPlanRow>)> = Vec::new();
    for r in &open {
        let owner = r.responsible.clone().unwrap_or_else(|| "Ingen ansvarig utsedd".into());
        match by_owner.iter_mut().find(|(o, _)| *o == owner) {
            Some((_, list)) => list.push(r),
            None => by_owner.push((owner, vec![r])),
        }
    }
    by_owner.sort_by(|a, b| a.0.cmp(&b.0));
    for (owner, mut list) in by_owner {
        list.sort_by_key(|r| r.action.due_on);
        b.push(Block::Heading(format!("{owner} ({})", list.len())));
        b.push(Block::Table {
            headers: vec!["Åtgärd".into(), "System".into(), "Behandlar".into(), "Klart senast".into(), "Status".into()],
            widths: vec![4.5, 3.0, 3.6, 2.2, 1.6],
            rows: list
                .iter()
                .map(|r| {
                    let treats = if req.open_summary {
                        String::new()
                    } else {
                        r.risks.iter().chain(r.requirements.iter()).cloned().collect::<Vec<_>>().join("; ")
                    };
                    let mut row = Row::new(vec![
                        r.action.title.clone(),
                        r.system.clone().unwrap_or_default(),
                        treats,
                        format!("{}{}", date(r.action.due_on), if r.overdue { " (försenad)" } else { "" }),
                        r.action.status.label().into(),
                    ]);
                    row.alert = r.overdue;
                    row
                })
                .collect(),
        });
    }
    b.push(Block::Signatures(vec![
        "Ort och datum".into(),
        "Förvaltningschef, namnteckning".into(),
        "Namnförtydligande".into(),
    ]));
    b
}

pub(super) fn lagesbild(
    store: &Store,
    req: &ReportRequest,
    organisation: &str,
) -> Result<(String, Vec<Block>, KeyFigures)> {
    let method = store.method().definition.clone();
    let s = Situation::load(store, req.forvaltning, organisation, req.date)?;
    let f = &s.key_figures;
    let mut b = vec![Block::Facts(vec![
        ("Omfattning".into(), s.scope.clone()),
        ("System".into(), f.systems.to_string()),
        ("Verksamhetskritiska".into(), f.critical.to_string()),
        ("Risker".into(), s.risks.len().to_string()),
        ("Försenat i årshjulet".into(), s.overdue.len().to_string()),
    ])];
    if s.by_origin.len() > 1 {
        b.extend(origins(&s));
    }
    b.push(Block::Heading("System per högsta skyddsnivå".into()));
    let unclassified = f.by_level.len().saturating_sub(1);
    b.push(Block::Table {
        headers: vec!["Skyddsnivå".into(), "System".into()],
        widths: vec![4.0, 2.0],
        rows: f
            .by_level
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let label = if i == unclassified { "Ej klassade".to_string() } else { format!("Nivå {i}") };
                Row::new(vec![label, n.to_string()])
            })
            .collect(),
    });
    b.push(Block::Heading("Risker per band".into()));
    b.push(band_counts(&s.risks, &method.risk_matrix));
    if s.other_scale > 0 {
        let n = s.other_scale;
        let (what, are) = if n == 1 { ("risk", "är bedömd") } else { ("risker", "är bedömda") };
        b.push(Block::Note(format!(
            "{n} {what} {are} enligt en annan riskskala (en tidigare metodversion eller avsändarens metod) och räknas inte in här; de visas med sin egen skala i respektive riskanalys."
        )));
    }
    b.push(heat_maps(&method.risk_matrix, &s.risks));
    b.push(Block::Heading("Försenat i årshjulet".into()));
    b.extend(overdue(&s, req));
    b.push(Block::Heading("Brister i registret".into()));
    b.push(if s.gaps.is_empty() {
        Block::Paragraph("Registret saknar inga av de uppgifter som följs upp.".into())
    } else {
        Block::Table {
            headers: vec!["Brist".into(), "Antal".into()],
            widths: vec![6.0, 1.5],
            rows: s.gaps.iter().map(|g| Row::new(vec![g.kind.label().to_string(), g.count.to_string()])).collect(),
        }
    });
    b.extend(controls_and_exceptions(store, req)?);
    b.extend(super::incidents::for_situation(store, req.date, req.forvaltning)?);
    b.push(Block::Heading("Utveckling sedan föregående lägesbild".into()));
    b.push(trend(store, req, f)?);
    Ok((s.scope.clone(), b, s.key_figures.clone()))
}

/// Where the picture comes from, when records came from several installations.
fn origins(s: &Situation) -> Vec<Block> {
    vec![
        Block::Heading("Per ursprung".into()),
        Block::Table {
            headers: vec!["Ursprung".into(), "System".into(), "Verksamhetskritiska".into(), "Risker".into()],
            widths: vec![5.0, 1.6, 2.6, 1.6],
            rows: s
                .by_origin
                .iter()
                .map(|o| Row::new(vec![o.origin.clone(), o.systems.to_string(), o.critical.to_string(), o.risks.to_string()]))
                .collect(),
        },
        Block::Note(
            "Ursprung är den installation där posten skapades; poster från andra förvaltningar har kommit i signerade paket."
                .into(),
        ),
    ]
}

/// What is overdue in the yearly cycle (the first 40; the rest are counted).
fn overdue(s: &Situation, req: &ReportRequest) -> Vec<Block> {
    const SHOWN: usize = 40;
    if s.overdue.is_empty() {
        return vec![Block::Paragraph("Inget är försenat.".into())];
    }
    let mut b = vec![Block::Table {
        headers: vec!["Datum".into(), "Vad".into(), "Gäller".into()],
        widths: vec![1.8, 3.0, 6.0],
        rows: s
            .overdue
            .iter()
            .take(SHOWN)
            .map(|d| {
                let subject =
                    if req.open_summary { d.subject.clone() } else { format!("{} – {}", d.subject, d.message) };
                Row::new(vec![d.due_on.to_string(), d.kind.label().into(), subject])
            })
            .collect(),
    }];
    if s.overdue.len() > SHOWN {
        b.push(Block::Note(format!(
            "Ytterligare {} försenade poster finns i Riskverkstads årshjul.",
            s.overdue.len() - SHOWN
        )));
    }
    b
}

/// The change since the newest earlier lägesbild of the same scope that was decided (its key
/// figures are kept with the decision).
fn trend(store: &Store, req: &ReportRequest, now: &KeyFigures) -> Result<Block> {
    let history = riskverkstad_core::decisions::history(store, &req.subject())?;
    let this = req.decision.as_ref().map(|d| d.version).unwrap_or(u32::MAX);
    let Some((then, on)) =
        history.iter().rev().filter(|d| d.version < this).find_map(|d| Some((d.key_figures.clone()?, d.decided_on)))
    else {
        return Ok(Block::Paragraph(
            "Ingen tidigare lägesbild är fastställd för jämförelse. När en lägesbild fastställs som beslut sparas dess nyckeltal, och nästa lägesbild visar förändringen."
                .into(),
        ));
    };
    let change = |a: u32, b: u32| match a as i64 - b as i64 {
        0 => "oförändrat".to_string(),
        d if d > 0 => format!("+{d}"),
        d => format!("−{}", -d),
    };
    let mut rows = vec![
        ("System".to_string(), now.systems, then.systems),
        ("Verksamhetskritiska".to_string(), now.critical, then.critical),
    ];
    for (name, n) in &now.by_band {
        let before = then.by_band.iter().find(|(b, _)| b == name).map(|(_, c)| *c).unwrap_or(0);
        rows.push((format!("Risker i bandet {name}"), *n, before));
    }
    let unclassified = |f: &KeyFigures| f.by_level.last().copied().unwrap_or(0);
    rows.push(("Ej klassade system".into(), unclassified(now), unclassified(&then)));
    rows.push(("Försenat i årshjulet".into(), now.overdue, then.overdue));
    Ok(Block::Table {
        headers: vec!["Nyckeltal".into(), "Nu".into(), format!("Förra ({})", date(on)), "Förändring".into()],
        widths: vec![4.4, 1.6, 2.6, 2.2],
        rows: rows
            .into_iter()
            .map(|(label, a, b)| {
                let mut row = Row::new(vec![label, a.to_string(), b.to_string(), change(a, b)]);
                row.alert = false;
                row
            })
            .collect(),
    })
}

/// The recurring controls (how many run, are late, found deviations in the last year) and the
/// exceptions register: those that hold, and those that ran out with the gap back.
fn controls_and_exceptions(store: &Store, req: &ReportRequest) -> Result<Vec<Block>> {
    use riskverkstad_core::due::DueState;
    // The förvaltning's systems, read once.
    let scoped: Option<std::collections::HashSet<SystemId>> = match req.forvaltning {
        Some(f) => Some(store.list_by::<System>("forvaltning_id", &f.to_string())?.into_iter().map(|s| s.id).collect()),
        None => None,
    };
    let in_scope = |system: Option<SystemId>, forvaltning: Option<riskverkstad_core::ids::ForvaltningId>| match &scoped
    {
        None => true,
        Some(systems) => forvaltning == req.forvaltning || system.is_some_and(|s| systems.contains(&s)),
    };
    let controls: Vec<_> = riskverkstad_core::views::controls(store, None, req.date)?
        .into_iter()
        .filter(|c| c.next_due.is_some() && in_scope(c.control.system_id, c.control.forvaltning_id))
        .collect();
    let year_ago = riskverkstad_core::ids::add_months(req.date, -12);
    let deviations = store
        .list::<ControlRun>()?
        .into_iter()
        .filter(|r| r.result == ControlResult::MedAvvikelser && r.done_on > year_ago && r.done_on <= req.date)
        .filter(|r| controls.iter().any(|c| c.control.id == r.control_id))
        .count();
    let mut b = vec![Block::Heading("Kontroller och avsteg".into())];
    b.push(Block::Facts(vec![
        ("Kontrollmoment".into(), controls.len().to_string()),
        ("Försenade".into(), controls.iter().filter(|c| c.state == Some(DueState::Forsenad)).count().to_string()),
        ("Med avvikelser senaste året".into(), deviations.to_string()),
    ]));
    let exceptions: Vec<_> = riskverkstad_core::views::exceptions(store, None, req.date)?
        .into_iter()
        .filter(|e| (e.holds || e.state == Some(DueState::Forsenad)) && in_scope(Some(e.exception.system_id), None))
        .collect();
    if exceptions.is_empty() {
        b.push(Block::Paragraph("Inga avsteg från kraven gäller.".into()));
    } else {
        b.push(Block::Table {
            headers: vec!["System".into(), "Krav".into(), "Läge".into(), "Godkänt av".into()],
            widths: vec![3.4, 1.2, 3.6, 2.6],
            rows: exceptions
                .iter()
                .map(|e| {
                    let standing = if e.state == Some(DueState::Forsenad) {
                        format!("{} – brist igen", e.standing)
                    } else {
                        e.standing.clone()
                    };
                    let mut row = Row::new(vec![
                        e.system.clone(),
                        e.code.clone(),
                        standing,
                        e.approved_by.clone().unwrap_or_else(|| "–".into()),
                    ]);
                    row.alert = e.state == Some(DueState::Forsenad);
                    row
                })
                .collect(),
        });
    }
    Ok(b)
}
