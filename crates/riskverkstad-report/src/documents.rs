//! What each document says: content gathered from the core's read models, as layout blocks.

use crate::layout::{Block, Frame, HeatCell, HeatMap, Row};
use crate::{OPEN, ReportError, ReportRequest, Result, SECRET};
use chrono::NaiveDate;
use riskverkstad_core::due::DueState;
use riskverkstad_core::ids::{PersonId, SystemId};
use riskverkstad_core::method::{Aspect, RiskMatrix};
use riskverkstad_core::model::*;
use riskverkstad_core::risk;
use riskverkstad_core::store::{Read, Store};
use riskverkstad_core::views::{ActionPlanRow, RiskView, SystemView, action_plan};
use std::collections::HashMap;

/// A document's frame and body.
pub struct Content {
    pub frame: Frame,
    pub blocks: Vec<Block>,
    /// A lägesbild's key figures (kept with the decision for the next one's trend).
    pub key_figures: Option<KeyFigures>,
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "–".into())
}

/// "1 risk", "3 risker".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn short(id: impl std::fmt::Display) -> String {
    id.to_string().replace('-', "")[..8].to_uppercase()
}

pub fn build(store: &Store, req: &ReportRequest) -> Result<Content> {
    let organisation = store.list::<Organisation>()?.into_iter().next().map(|o| o.name).unwrap_or_default();
    // The title is the kind's own name and what the document is about.
    let mut key_figures = None;
    let (subject, context, id_subject, mut blocks) = match req.kind {
        DecisionKind::Driftgodkannande | DecisionKind::Riskacceptans | DecisionKind::Klassning => {
            let v = system_view(store, req)?;
            let b = match req.kind {
                DecisionKind::Driftgodkannande => driftgodkannande(store, &v, req)?,
                DecisionKind::Riskacceptans => riskacceptans(store, &v, req)?,
                _ => klassning(store, &v)?,
            };
            (v.system.name.clone(), v.forvaltning.clone(), short(v.system.id), b)
        }
        DecisionKind::Handlingsplan => {
            let (scope, rows) = plan_rows(store, req, &organisation)?;
            let b = handlingsplan(&rows, req);
            (scope.clone(), scope, scope_id(req), b)
        }
        DecisionKind::Lagesbild => {
            let (scope, b, figures) = lagesbild(store, req, &organisation)?;
            key_figures = Some(figures);
            (scope.clone(), scope, scope_id(req), b)
        }
    };
    // A frozen decision says what was decided, by whom and when, above the signatures (the
    // driftgodkännande has its own section for it).
    if let Some(d) = &req.decision
        && req.kind != DecisionKind::Driftgodkannande
    {
        let people = person_names(store)?;
        let at = blocks.iter().rposition(|b| matches!(b, Block::Signatures(_))).unwrap_or(blocks.len());
        blocks.splice(at..at, [Block::Heading("Beslut".into()), decision_facts(d, &people)]);
    }
    let title = format!("{} – {subject}", req.kind.label());
    // The klassningsprotokoll holds no risk or vulnerability details; the others do, unless
    // they are the open summary.
    let secret = req.kind != DecisionKind::Klassning && !req.open_summary;
    let version = match &req.decision {
        Some(d) => d.version,
        None => riskverkstad_core::decisions::next_version(store, &req.subject())?,
    };
    let prefix = match req.kind {
        DecisionKind::Driftgodkannande => "DG",
        DecisionKind::Riskacceptans => "RA",
        DecisionKind::Klassning => "KP",
        DecisionKind::Handlingsplan => "HP",
        DecisionKind::Lagesbild => "LB",
    };
    let marking = req.marking.clone().unwrap_or_else(|| if secret { SECRET.into() } else { OPEN.into() });
    let variant = match (&req.decision, req.open_summary) {
        (_, true) => " · öppen sammanfattning",
        (Some(_), false) => " · beslutad",
        (None, false) => " · underlag",
    };
    let mut identity = format!("Dokument-id {prefix}-{id_subject} · version {version} · {}{variant}", req.date);
    if let Some(d) = &req.diarienummer {
        identity.push_str(&format!(" · Dnr {d}"));
    }
    let organisation = if context.is_empty() || context == organisation {
        organisation
    } else {
        format!("{organisation} · {context}")
    };
    Ok(Content { frame: Frame { organisation, marking, title, identity }, blocks, key_figures })
}

/// Who decided, when, and until when it holds.
fn decision_facts(d: &Decision, people: &HashMap<PersonId, String>) -> Block {
    let name = |p: Option<PersonId>| p.and_then(|p| people.get(&p).cloned()).unwrap_or_else(|| "–".into());
    let mut facts = vec![("Beslutat av".into(), name(d.decided_by)), ("Beslutsdatum".into(), date(d.decided_on))];
    if d.presented_by.is_some() {
        facts.push(("Föredragande".into(), name(d.presented_by)));
    }
    if d.valid_until.is_some() && d.kind != DecisionKind::Driftgodkannande {
        facts.push(("Giltigt till och med".into(), date(d.valid_until)));
    }
    if let Some(n) = &d.diarienummer {
        facts.push(("Diarienummer".into(), n.clone()));
    }
    // The driftgodkännande prints the assessment in its own section.
    if d.kind != DecisionKind::Driftgodkannande && !d.summary.trim().is_empty() {
        facts.push(("Bedömning".into(), d.summary.trim().to_string()));
    }
    Block::Facts(facts)
}

fn scope_id(req: &ReportRequest) -> String {
    req.forvaltning.map(short).unwrap_or_else(|| "ORG".into())
}

fn system_view(store: &Store, req: &ReportRequest) -> Result<SystemView> {
    let id = req.system.ok_or(ReportError::SystemRequired(req.kind.label()))?;
    Ok(SystemView::load(store, id, req.date)?)
}

fn person_names(store: &Store) -> Result<HashMap<PersonId, String>> {
    Ok(store.list::<Person>()?.into_iter().map(|p| (p.id, p.name)).collect())
}

fn role_holders(v: &SystemView, role: Role) -> String {
    let names: Vec<&str> = v.roles.iter().filter(|r| r.assignment.role == role).map(|r| r.person.as_str()).collect();
    if names.is_empty() { "Ej utsedd".into() } else { names.join(", ") }
}

fn facts(v: &SystemView, req: &ReportRequest) -> Block {
    Block::Facts(vec![
        ("System".into(), v.system.name.clone()),
        ("Förvaltning".into(), v.forvaltning.clone()),
        ("Systemägare".into(), role_holders(v, Role::Systemagare)),
        ("Systemförvaltare".into(), role_holders(v, Role::Systemforvaltare)),
        ("Livscykel".into(), v.system.lifecycle.label().into()),
        ("Leverantör".into(), v.supplier.clone().unwrap_or_else(|| "–".into())),
        ("Datum".into(), req.date.to_string()),
    ])
}

fn profile_table(v: &SystemView) -> Block {
    let motivations: HashMap<Aspect, Vec<String>> = {
        let mut m: HashMap<Aspect, Vec<String>> = HashMap::new();
        for s in &v.information_sets {
            if let Some(c) = &s.classification {
                for a in &c.assessments {
                    if !a.motivering.trim().is_empty() {
                        m.entry(a.aspect)
                            .or_default()
                            .push(format!("{} (nivå {}): {}", s.set.name, a.level, a.motivering));
                    }
                }
            }
        }
        m
    };
    let rows = v
        .profile
        .aspects
        .iter()
        .map(|a| {
            let level = a.level.map(|l| l.to_string()).unwrap_or_else(|| "Ej klassad".into());
            let mut why = motivations.get(&a.aspect).cloned().unwrap_or_default().join("\n");
            if !a.raise_reasons.is_empty() {
                let reasons: Vec<&str> = a.raise_reasons.iter().map(|r| r.label()).collect();
                why.push_str(&format!("\nHöjd skyddsnivå ({}).", reasons.join(", ")));
            }
            if a.earlier_scale {
                why.push_str("\nGjord enligt tidigare skala.");
            }
            let mut row = Row::new(vec![a.aspect.label().into(), level, why]);
            row.alert = a.special_analysis;
            row
        })
        .collect();
    Block::Table {
        headers: vec!["Aspekt".into(), "Nivå".into(), "Motivering".into()],
        widths: vec![2.2, 1.0, 7.0],
        rows,
    }
}

fn heat_maps(matrix: &RiskMatrix, risks: &[RiskView]) -> Block {
    let map = |title: &str, after: bool| HeatMap {
        title: title.into(),
        rows: matrix
            .consequence
            .iter()
            .rev()
            .map(|c| {
                let cells = matrix
                    .probability
                    .iter()
                    .map(|p| {
                        let band = risk::band_index(matrix, p.value, c.value).and_then(|i| matrix.bands.get(i));
                        let count = risks
                            .iter()
                            .filter(|r| {
                                let l = if after { &r.residual } else { &r.inherent };
                                l.as_ref().is_some_and(|l| l.probability == p.value && l.consequence == c.value)
                            })
                            .count() as u32;
                        HeatCell {
                            letter: band.map(|b| b.name.chars().take(1).collect()).unwrap_or_default(),
                            color: band.map(|b| b.color.clone()).unwrap_or_default(),
                            count,
                        }
                    })
                    .collect();
                (format!("{} {}", c.value, c.name), cells)
            })
            .collect(),
        columns: matrix.probability.iter().map(|p| format!("{} {}", p.value, p.name)).collect(),
    };
    Block::HeatMaps {
        maps: vec![map("Före åtgärder", false), map("Efter åtgärder", true)],
        legend: matrix
            .bands
            .iter()
            .map(|b| {
                (
                    b.name.chars().take(1).collect(),
                    format!("{} ({}–{})", b.name, b.min_value, b.max_value),
                    b.color.clone(),
                )
            })
            .collect(),
    }
}

fn band_counts(risks: &[RiskView], matrix: &RiskMatrix) -> Block {
    let rows = matrix
        .bands
        .iter()
        .map(|b| {
            let before = risks.iter().filter(|r| r.inherent.as_ref().is_some_and(|l| l.band_key == b.key)).count();
            let after = risks.iter().filter(|r| r.residual.as_ref().is_some_and(|l| l.band_key == b.key)).count();
            Row::new(vec![b.name.clone(), before.to_string(), after.to_string()])
        })
        .collect();
    Block::Table {
        headers: vec!["Band".into(), "Före åtgärder".into(), "Efter åtgärder".into()],
        widths: vec![3.0, 2.0, 2.0],
        rows,
    }
}

fn open_actions(v: &SystemView, people: &HashMap<PersonId, String>, today: NaiveDate) -> Block {
    let rows: Vec<Row> = v
        .actions
        .iter()
        .filter(|a| a.status.is_open())
        .map(|a| {
            let late = a.due_on.is_some_and(|d| d < today);
            let mut row = Row::new(vec![
                a.title.clone(),
                a.responsible_id.and_then(|p| people.get(&p).cloned()).unwrap_or_else(|| "–".into()),
                format!("{}{}", date(a.due_on), if late { " (försenad)" } else { "" }),
                a.status.label().into(),
            ]);
            row.alert = late;
            row
        })
        .collect();
    if rows.is_empty() {
        return Block::Paragraph("Det finns inga öppna åtgärder.".into());
    }
    Block::Table {
        headers: vec!["Åtgärd".into(), "Ansvarig".into(), "Klart senast".into(), "Status".into()],
        widths: vec![5.0, 2.6, 2.4, 1.6],
        rows,
    }
}

fn driftgodkannande(store: &Store, v: &SystemView, req: &ReportRequest) -> Result<Vec<Block>> {
    let method = store.method().definition.clone();
    let people = person_names(store)?;
    let risks: Vec<RiskView> = v.analyses.iter().flat_map(|a| a.risks.iter().cloned()).collect();
    let gaps: Vec<_> = v.requirements.iter().filter(|r| r.gap).collect();
    // The decision being frozen, if this is one; a draft leaves the choice to the signer.
    let decision = req.decision.as_ref();
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
    b.push(Block::Heading("2.2 Krav och brister".into()));
    b.push(Block::Paragraph(format!(
        "{} krav gäller för systemets skyddsnivåer; {} av dem är inte uppfyllda eller inte bedömda.",
        v.requirements.len(),
        gaps.len()
    )));
    if !req.open_summary && !gaps.is_empty() {
        b.push(Block::Table {
            headers: vec!["Krav".into(), "Rubrik".into(), "Status".into(), "Hur".into()],
            widths: vec![1.3, 5.0, 2.0, 3.5],
            rows: gaps
                .iter()
                .map(|g| {
                    Row::new(vec![
                        g.requirement.code.clone(),
                        g.requirement.title.clone(),
                        g.status.as_ref().map(|s| s.status.label().to_string()).unwrap_or_else(|| "Ej bedömt".into()),
                        g.status.as_ref().map(|s| s.how.clone()).unwrap_or_default(),
                    ])
                })
                .collect(),
        });
    }
    b.push(Block::Heading("2.3 Riskanalys".into()));
    match v.analyses.first() {
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
        let mut sorted = risks.clone();
        sorted.sort_by_key(|r| std::cmp::Reverse(r.inherent.as_ref().map(|l| (l.band_index, l.value))));
        b.push(Block::Table {
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
        });
    }
    b.push(Block::Heading("2.4 Öppna åtgärder".into()));
    b.push(open_actions(v, &people, req.date));
    b.push(Block::Heading("3. Bedömning".into()));
    let assessment = decision.map(|d| d.summary.trim().to_string()).filter(|s| !s.is_empty()).unwrap_or_else(|| {
        format!(
            "Systemet har {} brister mot kraven och {} risker i de två högsta banden efter åtgärder. {}",
            gaps.len(),
            high,
            if gaps.is_empty() && high == 0 {
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
    let valid = decision.and_then(|d| d.valid_until).or_else(|| req.date.checked_add_months(chrono::Months::new(12)));
    b.push(Block::Facts(vec![("Giltigt till och med".into(), date(valid)), ("Omprövas senast".into(), date(valid))]));
    if let Some(d) = decision {
        b.push(decision_facts(d, &people));
    }
    b.push(Block::Signatures(vec![
        "Ort och datum".into(),
        "Systemägare, namnteckning".into(),
        "Namnförtydligande".into(),
    ]));
    Ok(b)
}

fn riskacceptans(store: &Store, v: &SystemView, req: &ReportRequest) -> Result<Vec<Block>> {
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

fn klassning(store: &Store, v: &SystemView) -> Result<Vec<Block>> {
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

fn plan_rows(store: &Store, req: &ReportRequest, organisation: &str) -> Result<(String, Vec<ActionPlanRow>)> {
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

fn handlingsplan(rows: &[ActionPlanRow], req: &ReportRequest) -> Vec<Block> {
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

fn lagesbild(store: &Store, req: &ReportRequest, organisation: &str) -> Result<(String, Vec<Block>, KeyFigures)> {
    let method = store.method().definition.clone();
    let snapshot = riskverkstad_core::queries::Snapshot::load(store)?;
    let (scope, systems): (String, Vec<&System>) = match req.forvaltning {
        Some(f) => {
            let fv: Forvaltning = store.get(f)?;
            (fv.name, snapshot.systems.iter().filter(|s| s.forvaltning_id == f).collect())
        }
        None => (organisation.to_string(), snapshot.systems.iter().collect()),
    };
    let ids: std::collections::HashSet<SystemId> = systems.iter().map(|s| s.id).collect();
    let profiles = snapshot.profiles(&method);
    let versions = &snapshot.versions;
    let analyses: HashMap<_, _> =
        snapshot.analyses.iter().filter(|a| a.system_id.is_some_and(|s| ids.contains(&s))).map(|a| (a.id, a)).collect();
    let (risks, other_scale): (Vec<RiskView>, Vec<RiskView>) = snapshot
        .risks
        .iter()
        .filter_map(|r| {
            let a = analyses.get(&r.analysis_id)?;
            Some(riskverkstad_core::views::risk_view(&method, versions.get(&a.method_version_id), r.clone(), &[]))
        })
        .partition(|v| !v.earlier_scale);
    let due: Vec<_> = snapshot
        .due(&method, req.date)
        .into_iter()
        .filter(|d| d.state == DueState::Forsenad)
        .filter(|d| req.forvaltning.is_none() || d.forvaltning_id == req.forvaltning)
        .collect();
    let levels = method.classification_scales.iter().map(|s| s.levels.len()).max().unwrap_or(0);
    let mut by_level = vec![0usize; levels + 1];
    for s in &systems {
        let l = profiles.get(&s.id).and_then(|p| p.max_level()).map(|l| l as usize).unwrap_or(levels);
        by_level[l.min(levels)] += 1;
    }
    let critical = systems.iter().filter(|s| s.is_critical()).count();
    let mut b = vec![Block::Facts(vec![
        ("Omfattning".into(), scope.clone()),
        ("System".into(), systems.len().to_string()),
        ("Verksamhetskritiska".into(), critical.to_string()),
        ("Risker".into(), risks.len().to_string()),
        ("Försenat i årshjulet".into(), due.len().to_string()),
    ])];
    // A centre that has merged departments' bundles sees where the picture comes from.
    let origins = riskverkstad_core::exchange::origins(store)?;
    let mut by_origin: std::collections::BTreeMap<String, (usize, usize, usize)> = Default::default();
    let name_of = |id: String| origins.get(&id).cloned().unwrap_or_else(|| format!("installation {id}"));
    for s in &systems {
        let e = by_origin.entry(name_of(s.origin.to_string())).or_default();
        e.0 += 1;
        e.1 += s.is_critical() as usize;
    }
    for r in &risks {
        by_origin.entry(name_of(r.risk.origin.to_string())).or_default().2 += 1;
    }
    if by_origin.len() > 1 {
        b.push(Block::Heading("Per ursprung".into()));
        b.push(Block::Table {
            headers: vec!["Ursprung".into(), "System".into(), "Verksamhetskritiska".into(), "Risker".into()],
            widths: vec![5.0, 1.6, 2.6, 1.6],
            rows: by_origin
                .iter()
                .map(|(name, (n, critical, risks))| {
                    Row::new(vec![name.clone(), n.to_string(), critical.to_string(), risks.to_string()])
                })
                .collect(),
        });
        b.push(Block::Note(
            "Ursprung är den installation där posten skapades; poster från andra förvaltningar har kommit i signerade paket."
                .into(),
        ));
    }
    b.push(Block::Heading("System per högsta skyddsnivå".into()));
    b.push(Block::Table {
        headers: vec!["Skyddsnivå".into(), "System".into()],
        widths: vec![4.0, 2.0],
        rows: by_level
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let label = if i == levels { "Ej klassade".to_string() } else { format!("Nivå {i}") };
                Row::new(vec![label, n.to_string()])
            })
            .collect(),
    });
    b.push(Block::Heading("Risker per band".into()));
    b.push(band_counts(&risks, &method.risk_matrix));
    if !other_scale.is_empty() {
        let n = other_scale.len();
        let (what, are) = if n == 1 { ("risk", "är bedömd") } else { ("risker", "är bedömda") };
        b.push(Block::Note(format!(
            "{n} {what} {are} enligt en annan riskskala (en tidigare metodversion eller avsändarens metod) och räknas inte in här; de visas med sin egen skala i respektive riskanalys."
        )));
    }
    b.push(heat_maps(&method.risk_matrix, &risks));
    b.push(Block::Heading("Försenat i årshjulet".into()));
    if due.is_empty() {
        b.push(Block::Paragraph("Inget är försenat.".into()));
    } else {
        const SHOWN: usize = 40;
        b.push(Block::Table {
            headers: vec!["Datum".into(), "Vad".into(), "Gäller".into()],
            widths: vec![1.8, 3.0, 6.0],
            rows: due
                .iter()
                .take(SHOWN)
                .map(|d| {
                    let subject =
                        if req.open_summary { d.subject.clone() } else { format!("{} – {}", d.subject, d.message) };
                    Row::new(vec![d.due_on.to_string(), d.kind.label().into(), subject])
                })
                .collect(),
        });
        if due.len() > SHOWN {
            b.push(Block::Note(format!(
                "Ytterligare {} försenade poster finns i Riskverkstads årshjul.",
                due.len() - SHOWN
            )));
        }
    }
    let figures = KeyFigures {
        systems: systems.len() as u32,
        critical: critical as u32,
        by_level: by_level.iter().map(|n| *n as u32).collect(),
        by_band: method
            .risk_matrix
            .bands
            .iter()
            .enumerate()
            .map(|(i, band)| {
                (
                    band.name.clone(),
                    risks.iter().filter(|r| r.inherent.as_ref().is_some_and(|l| l.band_index == i)).count() as u32,
                )
            })
            .collect(),
        overdue: due.len() as u32,
    };
    b.push(Block::Heading("Utveckling sedan föregående lägesbild".into()));
    b.push(trend(store, req, &figures)?);
    Ok((scope, b, figures))
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
