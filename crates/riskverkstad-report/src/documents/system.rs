//! The documents about one system: the driftgodkännande, the riskacceptans and the
//! klassningsprotokoll.

use super::*;

/// "1 brist"/"3 brister", with "en brist" for one where the sentence wants it.
fn count_of(n: usize, one: &str, many: &str) -> String {
    if one.starts_with("en ") && n == 1 { one.to_string() } else { count(n, one.trim_start_matches("en "), many) }
}
pub(super) fn driftgodkannande(store: &Store, v: &SystemView, req: &ReportRequest) -> Result<Vec<Block>> {
    let method = store.method().definition.clone();
    let people = person_names(store)?;
    // The risks in force: the latest analysis's by the document's date (a redone analysis
    // replaces the one before; one made after the date is not yet part of it).
    let current = v.analyses.iter().find(|a| a.analysis.analysed_on <= req.date);
    let risks: Vec<RiskView> = current.map(|a| a.risks.clone()).unwrap_or_default();
    let gaps: Vec<_> = v.requirements.iter().filter(|r| r.gap).collect();
    let high = risks
        .iter()
        .filter(|r| r.residual.as_ref().is_some_and(|l| l.band_index + 2 >= method.risk_matrix.bands.len()))
        .count();
    let mut b = vec![facts(v, req)];
    b.push(Block::Heading("1. Ärendet".into()));
    b.push(Block::Paragraph(format!(
        "Beslut om driftgodkännande av {} för {}. Godkännandet omfattar systemet med de informationsmängder, beroenden och krav som redovisas nedan.",
        v.system.name, v.forvaltning
    )));
    if !v.system.description.trim().is_empty() {
        b.push(Block::Paragraph(format!("Systemets syfte: {}", v.system.description.trim())));
    }
    b.push(Block::Heading("2. Underlag".into()));
    b.push(Block::Heading("2.1 Informationsklassning och skyddsnivå".into()));
    b.push(profile_table(v));
    b.push(Block::Heading("2.2 Krav och hur de uppfylls".into()));
    b.push(Block::Paragraph(compliance_summary(v, gaps.len())));
    if !req.open_summary && !v.requirements.is_empty() {
        b.push(requirement_table(&v.requirements));
    }
    b.push(Block::Heading("2.3 Riskanalys".into()));
    match current {
        Some(a) => b.push(Block::Paragraph(format!(
            "Riskanalysen «{}» genomfördes {} och omfattar {}; {} har efter åtgärder ett av de två högsta banden.",
            a.analysis.title,
            a.analysis.analysed_on,
            count(risks.len(), "risk", "risker"),
            high
        ))),
        None => b.push(Block::Paragraph("Ingen riskanalys är gjord för systemet.".into())),
    }
    b.push(heat_maps(&method.risk_matrix, &risks));
    if req.open_summary {
        b.push(band_counts(&risks, &method.risk_matrix));
        b.push(Block::Note("Öppen sammanfattning: enskilda risker och sårbarheter redovisas inte.".into()));
    } else if !risks.is_empty() {
        b.push(risk_table(&risks));
    }
    b.push(Block::Heading("2.4 Öppna åtgärder".into()));
    b.push(open_actions(v, &people));
    b.push(Block::Heading("2.5 Genomförda åtgärder".into()));
    b.push(closed_actions(v, &people, req.date));
    if let Some(conditions) = previous_conditions(v, req.date) {
        b.push(Block::Heading("2.6 Villkor i föregående driftgodkännande".into()));
        b.push(conditions);
    }
    b.extend(decision_part(req, gaps.len(), high, &people));
    Ok(b)
}

/// How many requirements are met, partly met, not met, not applicable and not assessed.
fn compliance_summary(v: &SystemView, gaps: usize) -> String {
    let count =
        |c: Compliance| v.requirements.iter().filter(|r| r.status.as_ref().is_some_and(|s| s.status == c)).count();
    let unassessed = v.requirements.iter().filter(|r| r.status.is_none()).count();
    let stale = v.requirements.iter().filter(|r| r.status.is_some() && r.due_again).count();
    let mut text = format!(
        "{} gäller för systemets skyddsnivåer. Uppfyllda: {}, delvis uppfyllda: {}, inte uppfyllda: {}, inte tillämpliga: {}, inte bedömda: {}. Brister: {}.",
        count_of(v.requirements.len(), "krav", "krav"),
        count(Compliance::Uppfyllt),
        count(Compliance::Delvis),
        count(Compliance::EjUppfyllt),
        count(Compliance::EjTillampligt),
        unassessed,
        gaps
    );
    if stale > 0 {
        text.push_str(&format!(" Äldre än 12 månader och ska bedömas igen: {stale}."));
    }
    text
}

/// How a requirement is met (or why it does not apply) and the evidence, in one cell.
pub(super) fn how_text(g: &riskverkstad_core::gather::RequirementRow) -> String {
    let Some(s) = g.status.as_ref() else { return String::new() };
    let main = if s.status == Compliance::EjTillampligt { &s.reason } else { &s.how };
    let evidence = [s.evidence.as_str(), s.evidence_ref.as_str()]
        .iter()
        .filter(|x| !x.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    match (main.trim().is_empty(), evidence.is_empty()) {
        (_, true) => main.clone(),
        (true, false) => format!("Underlag: {evidence}"),
        (false, false) => format!("{main}. Underlag: {evidence}"),
    }
}

/// A requirement's status as the documents print it: "Ej uppfyllt – undantag t.o.m. …" while
/// an exception holds.
pub(super) fn status_text(g: &riskverkstad_core::gather::RequirementRow) -> String {
    let status = g.status.as_ref().map(|s| s.status.label().to_string()).unwrap_or_else(|| "Ej bedömt".into());
    match &g.exception {
        Some(e) => format!("{status} – undantag t.o.m. {}", e.valid_until),
        None => status,
    }
}

/// Every requirement with its status and how it is met (or why it does not apply) and the
/// evidence; the gaps marked.
fn requirement_table(rows: &[riskverkstad_core::gather::RequirementRow]) -> Block {
    Block::Table {
        headers: vec!["Krav".into(), "Rubrik".into(), "Status".into(), "Hur / underlag".into()],
        widths: vec![1.3, 4.2, 2.0, 4.3],
        rows: rows
            .iter()
            .map(|g| {
                let mut row = Row::new(vec![
                    g.requirement.code.clone(),
                    g.requirement.title.clone(),
                    status_text(g),
                    how_text(g),
                ]);
                row.alert = g.gap;
                row
            })
            .collect(),
    }
}

/// The actions done or cancelled in the year before the document's date.
fn closed_actions(v: &SystemView, people: &HashMap<PersonId, String>, on: chrono::NaiveDate) -> Block {
    let since = riskverkstad_core::ids::add_months(on, -12);
    let mut closed: Vec<&Action> = v
        .actions
        .iter()
        .filter(|a| !a.status.is_open() && a.completed_on.is_some_and(|d| d >= since && d <= on))
        .collect();
    closed.sort_by_key(|a| a.completed_on);
    if closed.is_empty() {
        return Block::Paragraph("Inga åtgärder har genomförts det senaste året.".into());
    }
    Block::Table {
        headers: vec!["Åtgärd".into(), "Ansvarig".into(), "Klar".into(), "Status".into()],
        widths: vec![5.0, 2.6, 2.4, 1.6],
        rows: closed
            .iter()
            .map(|a| {
                Row::new(vec![
                    a.title.clone(),
                    a.responsible_id.and_then(|p| people.get(&p).cloned()).unwrap_or_else(|| "–".into()),
                    date(a.completed_on),
                    a.status.label().into(),
                ])
            })
            .collect(),
    }
}

/// The conditions of the driftgodkännande in force, with how far each has come: named when
/// the approval comes up for renewal.
fn previous_conditions(v: &SystemView, on: chrono::NaiveDate) -> Option<Block> {
    let previous = v
        .decisions
        .iter()
        .filter(|d| d.kind == DecisionKind::Driftgodkannande && d.state == DecisionState::Beslutad)
        .max_by_key(|d| d.version)?;
    let actions: Vec<&Action> = v.actions.iter().filter(|a| a.decision_id == Some(previous.id)).collect();
    if actions.is_empty() {
        return None;
    }
    Some(Block::Table {
        headers: vec!["Villkor".into(), "Senast".into(), "Läge".into()],
        widths: vec![6.0, 2.4, 3.0],
        rows: actions
            .iter()
            .map(|a| {
                let state = match a.completed_on {
                    Some(d) if !a.status.is_open() => format!("{} {d}", a.status.label()),
                    _ => a.status.label().to_string(),
                };
                let mut row = Row::new(vec![a.title.clone(), date(a.due_on), state]);
                row.alert = a.is_overdue(on);
                row
            })
            .collect(),
    })
}

/// The risks, highest band first, before and after treatment.
fn risk_table(risks: &[RiskView]) -> Block {
    let mut sorted = risks.to_vec();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.inherent.as_ref().map(|l| (l.band_index, l.value))));
    Block::Table {
        headers: vec!["Risk".into(), "Före".into(), "Efter".into(), "Behandling".into()],
        widths: vec![6.0, 2.2, 2.2, 2.2],
        rows: sorted
            .iter()
            .map(|r| {
                let level = |l: &Option<risk::RiskLevel>| {
                    l.as_ref().map(|l| format!("{} ({})", l.band_name, l.value)).unwrap_or_else(|| "–".into())
                };
                Row::new(vec![
                    r.risk.title.clone(),
                    level(&r.inherent),
                    level(&r.residual),
                    r.risk.treatment.map(|t| t.label().to_string()).unwrap_or_else(|| "Ej beslutad".into()),
                ])
            })
            .collect(),
    }
}

/// Bedömning and beslut (or förslag till beslut): the assessment, the outcome ticked when
/// decided, conditions with dates, validity, who decided, signatures.
fn decision_part(req: &ReportRequest, gaps: usize, high: usize, people: &HashMap<PersonId, String>) -> Vec<Block> {
    let decision = req.decision.as_ref();
    let mut b = Vec::new();
    b.push(Block::Heading("3. Bedömning".into()));
    let assessment = decision.map(|d| d.summary.trim().to_string()).filter(|s| !s.is_empty()).unwrap_or_else(|| {
        format!(
            "Systemet har {} mot kraven och {} i de två högsta banden efter åtgärder. {}",
            count_of(gaps, "en brist", "brister"),
            count_of(high, "en risk", "risker"),
            if gaps == 0 && high == 0 {
                "Underlaget talar för ett driftgodkännande."
            } else {
                "Ett godkännande bör förenas med villkor om åtgärder med datum."
            }
        )
    });
    b.push(Block::Paragraph(assessment));
    b.push(Block::Heading(if decision.is_some() { "4. Beslut" } else { "4. Förslag till beslut" }.into()));
    let conditions: Vec<String> = decision
        .map(|d| d.conditions.iter().map(|c| format!("{} (senast {})", c.text, date(c.due_on))).collect())
        .unwrap_or_default();
    let chosen = decision.and_then(|d| d.outcome).map(|o| match o {
        DecisionOutcome::Driftgodkanns => 0,
        DecisionOutcome::MedVillkor => 1,
        DecisionOutcome::Inte => 2,
    });
    b.push(Block::Choices {
        items: vec![
            "Driftgodkänns".into(),
            if conditions.is_empty() {
                "Driftgodkänns med villkor (villkor och datum): ______________________________________________".into()
            } else {
                format!("Driftgodkänns med villkor: {}", conditions.join("; "))
            },
            "Driftgodkänns inte".into(),
        ],
        chosen,
    });
    let months = riskverkstad_core::usecase::decide::DRIFTGODKANNANDE_VALID_MONTHS;
    let valid =
        decision.and_then(|d| d.valid_until).or_else(|| req.date.checked_add_months(chrono::Months::new(months)));
    b.push(Block::Facts(vec![("Giltigt till och med".into(), date(valid)), ("Omprövas senast".into(), date(valid))]));
    if let Some(d) = decision {
        b.push(decision_facts(d, people));
    }
    b.push(Block::Signatures(vec![
        "Ort och datum".into(),
        "Systemägare, namnteckning".into(),
        "Namnförtydligande".into(),
    ]));
    b
}

pub(super) fn riskacceptans(store: &Store, v: &SystemView, req: &ReportRequest) -> Result<Vec<Block>> {
    let people = person_names(store)?;
    let accepted: Vec<&RiskView> =
        v.analyses.iter().flat_map(|a| a.risks.iter()).filter(|r| r.risk.accepted_by.is_some()).collect();
    let mut b = vec![facts(v, req)];
    b.push(Block::Heading("Accepterade risker".into()));
    b.push(Block::Paragraph(format!(
        "{} i systemets riskanalyser är accepterade. För varje risk anges bandet efter åtgärder, vem som accepterade den och i vilken roll, när och varför, och om bandets regler för acceptans är uppfyllda.",
        count(accepted.len(), "risk", "risker")
    )));
    if accepted.is_empty() {
        b.push(Block::Paragraph("Inga risker är accepterade.".into()));
    } else {
        b.push(Block::Table {
            headers: vec![
                "Risk".into(),
                "Band".into(),
                "Motivering".into(),
                "Accepterad av".into(),
                "Datum".into(),
                "Regler uppfyllda".into(),
            ],
            widths: vec![3.2, 2.0, 3.6, 2.6, 2.0, 2.0],
            rows: accepted
                .iter()
                .map(|r| {
                    let level = r.residual.as_ref().or(r.inherent.as_ref());
                    let who = format!(
                        "{} ({})",
                        r.risk.accepted_by.and_then(|p| people.get(&p).cloned()).unwrap_or_else(|| "okänd".into()),
                        r.risk.accepted_as.map(|m| m.label().to_lowercase()).unwrap_or_else(|| "roll saknas".into())
                    );
                    let ok = r.acceptance_ok.unwrap_or(false);
                    let rules =
                        if ok { "Ja".to_string() } else { format!("Nej: {}", r.acceptance_problems.join("; ")) };
                    let title = if req.open_summary {
                        "(redovisas inte i öppen sammanfattning)".into()
                    } else {
                        r.risk.title.clone()
                    };
                    let reason = if req.open_summary {
                        String::new()
                    } else {
                        r.risk.acceptance_reason.clone().unwrap_or_default()
                    };
                    let mut row = Row::new(vec![
                        title,
                        level.map(|l| format!("{} ({})", l.band_name, l.value)).unwrap_or_default(),
                        reason,
                        who,
                        date(r.risk.accepted_on),
                        rules,
                    ]);
                    row.alert = !ok;
                    row
                })
                .collect(),
        });
    }
    b.push(Block::Note(
        "Den som undertecknar intygar att riskerna ovan är kända och accepterade inom sitt mandat.".into(),
    ));
    b.push(Block::Signatures(vec!["Ort och datum".into(), "Namnteckning".into(), "Namnförtydligande och roll".into()]));
    Ok(b)
}

pub(super) fn klassning(store: &Store, v: &SystemView) -> Result<Vec<Block>> {
    let method = store.method().definition.clone();
    let mut b = vec![Block::Facts(vec![
        ("System".into(), v.system.name.clone()),
        ("Förvaltning".into(), v.forvaltning.clone()),
        ("Systemägare".into(), role_holders(v, Role::Systemagare)),
        ("Informationsägare".into(), role_holders(v, Role::Informationsagare)),
    ])];
    b.push(Block::Heading("Informationsmängder".into()));
    if v.information_sets.is_empty() {
        b.push(Block::Paragraph("Systemet har inga registrerade informationsmängder.".into()));
    }
    for s in &v.information_sets {
        b.push(Block::Heading(s.set.name.clone()));
        if !s.set.description.trim().is_empty() {
            b.push(Block::Paragraph(s.set.description.clone()));
        }
        match &s.classification {
            None => b.push(Block::Paragraph("Ej klassad.".into())),
            Some(c) => {
                b.push(Block::Facts(vec![
                    ("Klassad".into(), c.classified_on.to_string()),
                    ("Status".into(), c.status.label().into()),
                    (
                        "Deltagare".into(),
                        if c.participants.is_empty() { "–".into() } else { c.participants.join(", ") },
                    ),
                ]));
                b.push(Block::Table {
                    headers: vec!["Aspekt".into(), "Nivå".into(), "Motivering".into()],
                    widths: vec![2.2, 2.6, 6.0],
                    rows: c
                        .assessments
                        .iter()
                        .map(|a| {
                            let name = method
                                .scale(a.aspect)
                                .and_then(|sc| sc.levels.iter().find(|l| l.value == a.level))
                                .map(|l| format!("{} – {}", a.level, l.name))
                                .unwrap_or_else(|| a.level.to_string());
                            Row::new(vec![a.aspect.label().into(), name, a.motivering.clone()])
                        })
                        .collect(),
                });
            }
        }
    }
    b.push(Block::Heading("Systemets skyddsprofil".into()));
    b.push(Block::Paragraph(
        "Systemets skyddsnivå per aspekt är den högsta nivån bland dess informationsmängder (högvattenmärket), höjd där ett beslut om höjning finns."
            .into(),
    ));
    b.push(profile_table(v));
    let raises = store.list_by::<ProtectionRaise>("system_id", &v.system.id.to_string())?;
    if !raises.is_empty() {
        b.push(Block::Heading("Höjningar".into()));
        b.push(Block::Table {
            headers: vec!["Aspekt".into(), "Till nivå".into(), "Skäl".into(), "Motivering".into()],
            widths: vec![2.0, 1.4, 2.0, 6.0],
            rows: raises
                .iter()
                .map(|r| {
                    Row::new(vec![
                        r.aspect.label().into(),
                        r.level.to_string(),
                        r.reason.label().into(),
                        r.motivering.clone(),
                    ])
                })
                .collect(),
        });
    }
    b.push(Block::Signatures(vec![
        "Ort och datum".into(),
        "Informationsägare, namnteckning".into(),
        "Namnförtydligande".into(),
    ]));
    Ok(b)
}
