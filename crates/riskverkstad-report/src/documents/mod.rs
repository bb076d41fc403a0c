//! What each document says: content gathered from the core's read models, as layout blocks.

use crate::layout::{Block, Frame, HeatCell, HeatMap, Row};
use crate::{OPEN, ReportError, ReportRequest, Result, SECRET};
use chrono::NaiveDate;
use riskverkstad_core::ids::{PersonId, SystemId};
use riskverkstad_core::method::{Aspect, RiskMatrix};
use riskverkstad_core::model::*;
use riskverkstad_core::risk;
use riskverkstad_core::store::{Read, Store};
use riskverkstad_core::views::{ActionPlanRow, RiskView, SystemView, action_plan};
use std::collections::HashMap;

mod incidents;
mod organisation;
mod plan;
mod system;

use organisation::{handlingsplan, lagesbild, plan_rows};
use plan::systemsakerhetsplan;
use system::{driftgodkannande, klassning, riskacceptans};

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

/// The subject's part of a document id: the last 8 characters of its id, the random part
/// (ids are time-ordered, so systems registered in the same minute share their first ones).
fn short(id: impl std::fmt::Display) -> String {
    let hex = id.to_string().replace('-', "").to_uppercase();
    hex[hex.len().saturating_sub(8)..].to_string()
}

/// An incident document: one incident's report, or the incidentlogg of a period. Secret
/// (OSL 18 kap. 8 §); as of `now`, which also dates it.
pub fn build_incident(
    store: &Store,
    doc: &crate::IncidentDocument,
    now: riskverkstad_core::incident::Now,
) -> Result<Content> {
    let organisation = store.list::<Organisation>()?.into_iter().next().map(|o| o.name).unwrap_or_default();
    let (title, context, prefix, id, blocks) = match doc {
        crate::IncidentDocument::Report { incident, kind } => {
            let (title, context, blocks) = incidents::report(store, *incident, *kind, now)?;
            let prefix = match kind {
                riskverkstad_core::incident::ReportKind::TidigVarning => "TV",
                riskverkstad_core::incident::ReportKind::Incidentanmalan => "IA",
                riskverkstad_core::incident::ReportKind::Slutrapport => "SR",
                riskverkstad_core::incident::ReportKind::Gdpr => "PU",
            };
            (title, context, prefix, short(incident), blocks)
        }
        crate::IncidentDocument::Log { from, to } => {
            let (title, blocks) = incidents::log(store, *from, *to, now)?;
            (title, String::new(), "IL", format!("{from}"), blocks)
        }
    };
    let organisation = if context.is_empty() { organisation } else { format!("{organisation} · {context}") };
    let identity = format!("Dokument-id {prefix}-{id} · {}", now.at.format("%Y-%m-%d %H:%M"));
    Ok(Content { frame: Frame { organisation, marking: SECRET.into(), title, identity }, blocks, key_figures: None })
}

pub fn build(store: &Store, req: &ReportRequest) -> Result<Content> {
    let organisation = store.list::<Organisation>()?.into_iter().next().map(|o| o.name).unwrap_or_default();
    // The title is the kind's own name and what the document is about.
    let mut key_figures = None;
    let (subject, context, id_subject, mut blocks) = match req.kind {
        DecisionKind::Driftgodkannande
        | DecisionKind::Riskacceptans
        | DecisionKind::Klassning
        | DecisionKind::Systemsakerhetsplan => {
            let v = system_view(store, req)?;
            let b = match req.kind {
                DecisionKind::Driftgodkannande => driftgodkannande(store, &v, req)?,
                DecisionKind::Riskacceptans => riskacceptans(store, &v, req)?,
                DecisionKind::Systemsakerhetsplan => systemsakerhetsplan(store, &v, req)?,
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
        DecisionKind::Systemsakerhetsplan => "SSP",
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
            .map(|b| (b.name.chars().take(1).collect(), format!("{} ({})", b.name, b.values()), b.color.clone()))
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

fn open_actions(v: &SystemView, people: &HashMap<PersonId, String>) -> Block {
    let rows: Vec<Row> = v
        .actions
        .iter()
        .filter(|a| a.status.is_open())
        .map(|a| {
            let late = v.overdue_actions.contains(&a.id);
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
