//! The systemsäkerhetsplan: a system's plan drawn from the register (identity and roles,
//! classification and profile, dependencies, the baseline, level and extra requirements with
//! how each is met, the recurring controls and the exceptions) and the free-text parts only the
//! plan says (access profiles, logging, backup, continuity, the organisation). Frozen like a
//! decision, a later version supersedes it.

use super::system::{how_text, status_text};
use super::*;
use riskverkstad_core::views::{ControlRow, ExceptionRow};

pub(super) fn systemsakerhetsplan(store: &Store, v: &SystemView, req: &ReportRequest) -> Result<Vec<Block>> {
    let plan =
        store.list_by::<SecurityPlan>("system_id", &v.system.id.to_string())?.into_iter().next().unwrap_or_default();
    // The controls that run; a stopped one is history, not part of the plan.
    let controls: Vec<ControlRow> = riskverkstad_core::views::controls(store, Some(v.system.id), req.date)?
        .into_iter()
        .filter(|c| c.next_due.is_some())
        .collect();
    let exceptions: Vec<ExceptionRow> = riskverkstad_core::views::exceptions(store, Some(v.system.id), req.date)?
        .into_iter()
        .filter(|e| e.holds)
        .collect();
    let s = &v.system;
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "Ja",
        Some(false) => "Nej",
        None => "Ej besvarat",
    };
    let text = |t: &str, none: &str| if t.trim().is_empty() { none.to_string() } else { t.trim().to_string() };

    let mut b = vec![Block::Facts(vec![
        ("System".into(), s.name.clone()),
        ("Förvaltning".into(), v.forvaltning.clone()),
        ("Syfte".into(), text(&s.description, "Ej beskrivet")),
        ("Kategori".into(), s.category.label().into()),
        ("Livscykel".into(), s.lifecycle.label().into()),
        ("Samhällsviktigt".into(), if s.samhallsviktig { "Ja".into() } else { "Nej".into() }),
        ("Verksamhetskritiskt".into(), if s.business_critical { "Ja".into() } else { "Nej".into() }),
        ("Leverantör".into(), v.supplier.clone().unwrap_or_else(|| "–".into())),
        ("Datum".into(), req.date.to_string()),
    ])];

    b.push(Block::Heading("1. Roller och organisation".into()));
    b.push(Block::Facts(vec![
        ("Systemägare".into(), role_holders(v, Role::Systemagare)),
        ("Systemförvaltare".into(), role_holders(v, Role::Systemforvaltare)),
        ("Teknisk förvaltare".into(), role_holders(v, Role::TekniskForvaltare)),
        ("Informationsägare".into(), role_holders(v, Role::Informationsagare)),
    ]));
    b.push(Block::Paragraph(text(&plan.organisation, "Organisationen kring systemet är inte beskriven i planen.")));

    b.push(Block::Heading("2. Klassning och skyddsprofil".into()));
    b.push(profile_table(v));

    b.push(Block::Heading("3. Beroenden".into()));
    if v.depends_on.is_empty() {
        b.push(Block::Paragraph("Systemet har inga registrerade beroenden.".into()));
    } else {
        b.push(Block::Table {
            headers: vec!["Beroende av".into(), "Typ".into(), "Kritikalitet".into(), "Beskrivning".into()],
            widths: vec![3.2, 1.6, 2.6, 3.6],
            rows: v
                .depends_on
                .iter()
                .map(|d| {
                    Row::new(vec![
                        d.other.clone(),
                        d.dependency.kind.label().into(),
                        d.dependency.criticality.map(|c| c.label().to_string()).unwrap_or_else(|| "–".into()),
                        d.dependency.description.clone().unwrap_or_default(),
                    ])
                })
                .collect(),
        });
    }

    b.push(Block::Heading("4. Krav och hur de uppfylls".into()));
    let by = |basis: RequirementBasis| v.requirements.iter().filter(|r| r.basis == basis).count();
    b.push(Block::Paragraph(format!(
        "Basnivån gäller alla system ({}); skyddsnivån ger {}; tilläggskrav: {}. Brister: {}. Avsteg som gäller: {}.",
        count(by(RequirementBasis::Basniva), "krav", "krav"),
        count(by(RequirementBasis::Skyddsniva), "krav", "krav"),
        by(RequirementBasis::Tillaggskrav),
        v.requirements.iter().filter(|r| r.gap).count(),
        exceptions.len()
    )));
    if !req.open_summary && !v.requirements.is_empty() {
        b.push(Block::Table {
            headers: vec!["Krav".into(), "Rubrik".into(), "Grund".into(), "Status".into(), "Hur / underlag".into()],
            widths: vec![1.2, 3.4, 1.7, 2.2, 3.6],
            rows: v
                .requirements
                .iter()
                .map(|g| {
                    let basis = match &g.extra {
                        Some(e) if g.basis == RequirementBasis::Tillaggskrav => {
                            format!("{} ({})", g.basis.label(), e.source.label().to_lowercase())
                        }
                        _ => g.basis.label().to_string(),
                    };
                    let mut row = Row::new(vec![
                        g.requirement.code.clone(),
                        g.requirement.title.clone(),
                        basis,
                        status_text(g),
                        how_text(g),
                    ]);
                    row.alert = g.gap;
                    row
                })
                .collect(),
        });
    }

    // A duty's controls are those evidencing its requirement (a kind may be renamed).
    let of_kind = |code: &str| {
        controls.iter().filter(|c| c.control.requirement_codes.iter().any(|x| x == code)).cloned().collect::<Vec<_>>()
    };
    b.push(Block::Heading("5. Behörigheter".into()));
    b.push(Block::Paragraph(text(&plan.access_profiles, "Behörighetsprofilerna är inte beskrivna i planen.")));
    b.push(Block::Paragraph(control_sentence(&of_kind("K-08"), "behörighetsgranskning")));

    b.push(Block::Heading("6. Loggning och logguppföljning".into()));
    b.push(Block::Facts(vec![("Loggning finns".into(), yes_no(s.logging).into())]));
    b.push(Block::Paragraph(text(&plan.logging, "Loggningens omfattning och uppföljning är inte beskriven i planen.")));
    b.push(Block::Paragraph(control_sentence(&of_kind("S-06"), "logguppföljning")));

    b.push(Block::Heading("7. Säkerhetskopiering och återställning".into()));
    let hours = |h: Option<u32>| h.map(|h| format!("{h} timmar")).unwrap_or_else(|| "Ej angiven".into());
    let restore =
        controls.iter().filter(|c| c.figures == ControlFigures::Aterlasning).filter_map(|c| c.last_done).max();
    let achieved = last_restore_hours(store, &controls)?;
    b.push(Block::Facts(vec![
        ("Återställningstid (RTO)".into(), hours(s.rto_hours)),
        ("Max dataförlust (RPO)".into(), hours(s.rpo_hours)),
        ("Återläsning senast testad".into(), date(restore.max(s.restore_tested_on))),
        (
            "Uppnådd återställningstid".into(),
            match (achieved, s.rto_hours) {
                (Some(h), Some(rto)) if h > rto => format!("{h} timmar – längre än RTO"),
                (Some(h), Some(_)) => format!("{h} timmar – inom RTO"),
                (Some(h), None) => format!("{h} timmar"),
                (None, _) => "Ej mätt".into(),
            },
        ),
    ]));
    b.push(Block::Paragraph(text(&plan.backup, "Säkerhetskopieringen är inte beskriven i planen.")));

    b.push(Block::Heading("8. Kontinuitet och reservrutiner".into()));
    b.push(Block::Paragraph(text(&plan.continuity, "Reservrutinerna är inte beskrivna i planen.")));
    b.push(Block::Paragraph(control_sentence(&of_kind("T-12"), "kontinuitetsövning")));

    b.push(Block::Heading("9. Återkommande kontroller".into()));
    if controls.is_empty() {
        b.push(Block::Paragraph("Inga kontrollmoment är upplagda för systemet.".into()));
    } else {
        b.push(Block::Table {
            headers: vec!["Kontroll".into(), "Intervall".into(), "Ansvarig".into(), "Senast".into(), "Nästa".into()],
            widths: vec![3.6, 1.4, 2.4, 2.6, 1.6],
            rows: controls
                .iter()
                .map(|c| {
                    let mut row = Row::new(vec![
                        c.kind.clone(),
                        c.control.interval_text(),
                        c.responsible.clone().unwrap_or_else(|| "–".into()),
                        match (c.last_done, c.last_result) {
                            (Some(d), Some(r)) => format!("{d}, {}", r.label().to_lowercase()),
                            _ => "Aldrig gjord".into(),
                        },
                        date(c.next_due),
                    ]);
                    row.alert = c.state == Some(riskverkstad_core::due::DueState::Forsenad);
                    row
                })
                .collect(),
        });
    }

    b.push(Block::Heading("10. Avsteg".into()));
    if exceptions.is_empty() {
        b.push(Block::Paragraph("Inga avsteg från kraven gäller.".into()));
    } else {
        b.push(Block::Table {
            headers: vec!["Krav".into(), "Skäl och kompenserande åtgärder".into(), "Godkänt".into(), "T.o.m.".into()],
            widths: vec![1.2, 5.6, 2.6, 1.6],
            rows: exceptions
                .iter()
                .map(|e| {
                    let why = if e.exception.compensating.trim().is_empty() {
                        e.exception.reason.clone()
                    } else {
                        format!("{} Kompenserande: {}", e.exception.reason, e.exception.compensating)
                    };
                    Row::new(vec![
                        e.code.clone(),
                        why,
                        format!(
                            "{} ({})",
                            e.approved_by.clone().unwrap_or_else(|| "–".into()),
                            e.exception.approved_as.label().to_lowercase()
                        ),
                        e.exception.valid_until.to_string(),
                    ])
                })
                .collect(),
        });
    }
    if !plan.other.trim().is_empty() {
        b.push(Block::Heading("11. Övrigt".into()));
        b.push(Block::Paragraph(plan.other.trim().to_string()));
    }
    b.push(Block::Signatures(vec!["Ort och datum".into(), "Systemägare".into(), "Namnförtydligande".into()]));
    Ok(b)
}

/// "Behörighetsgranskning görs var 12:e månad av Eva; senast 2026-03-01 utan anmärkning,
/// nästa senast 2027-03-01." or that none is set up.
fn control_sentence(controls: &[ControlRow], what: &str) -> String {
    let Some(c) = controls.first() else {
        return format!("Ingen {what} är upplagd som kontrollmoment.");
    };
    let who = c.responsible.as_deref().map(|p| format!(" av {p}")).unwrap_or_default();
    let last = match (c.last_done, c.last_result) {
        (Some(d), Some(r)) => format!("senast {d} {}", r.label().to_lowercase()),
        _ => "ännu aldrig gjord".into(),
    };
    let next = c.next_due.map(|d| format!(", nästa senast {d}")).unwrap_or_default();
    let method =
        if c.control.method.trim().is_empty() { String::new() } else { format!(" {}", c.control.method.trim()) };
    format!("{} görs {}{who}; {last}{next}.{method}", c.kind, c.control.interval_text())
}

/// The restore time achieved at the latest restore test that measured one.
fn last_restore_hours(store: &Store, controls: &[ControlRow]) -> Result<Option<u32>> {
    let mut best: Option<(NaiveDate, u32)> = None;
    for c in controls.iter().filter(|c| c.figures == ControlFigures::Aterlasning) {
        for r in store.list_by::<ControlRun>("control_id", &c.control.id.to_string())? {
            if let Some(h) = r.restore_hours
                && best.is_none_or(|(d, _)| r.done_on > d)
            {
                best = Some((r.done_on, h));
            }
        }
    }
    Ok(best.map(|(_, h)| h))
}
