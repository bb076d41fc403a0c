//! Incidents: `incidents new`, `list`, `show`, `report` (PDF), `sent`, `link`/`unlink`,
//! `risk` (Skapa risk från incident), `action`, `log` (incidentlogg), `recipients` and
//! `recipient` (the recipients of reports, which the organisation keeps).

use crate::{Failure, date, open, output, today, usage, write_file};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use riskverkstad_core::find;
use riskverkstad_core::incident::{Deadline, Now, ReportKind};
use riskverkstad_core::model::*;
use riskverkstad_core::ops;
use riskverkstad_core::store::Read;
use riskverkstad_core::views::{IncidentRow, incident_view, incidents};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum IncidentsCommand {
    /// Registrerar en incident; klockorna börjar när den blev känd.
    New(NewArgs),
    /// Listar incidenterna med deras tidsfrister, nyast först.
    List {
        /// Bara de som inte är avslutade.
        #[arg(long)]
        open: bool,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        clock: Clock,
    },
    /// Visar en incident: uppgifter, tidsfrister, skickade rapporter, kopplingar.
    Show {
        /// Incidentens id (eller de sista 8 tecknen).
        id: String,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        clock: Clock,
    },
    /// Skriver en rapport som PDF: tidig-varning, incidentanmalan, slutrapport eller gdpr.
    Report {
        /// Incidentens id.
        id: String,
        /// Vilken rapport.
        #[arg(long, value_name = "TYP", value_parser = report_kind)]
        kind: ReportKind,
        /// PDF-filen som skrivs.
        #[arg(long, value_name = "FIL.pdf")]
        out: PathBuf,
        #[command(flatten)]
        clock: Clock,
    },
    /// Markerar en rapport som skickad: när, till vem, med vilken referens.
    Sent {
        /// Incidentens id.
        id: String,
        /// Vilken rapport: tidig-varning, incidentanmalan, slutrapport eller gdpr.
        #[arg(long, value_name = "TYP", value_parser = report_kind)]
        kind: ReportKind,
        /// När den skickades ("ÅÅÅÅ-MM-DD TT:MM", svensk tid).
        #[arg(long, value_name = "TIDPUNKT", value_parser = moment)]
        at: Moment,
        /// Mottagaren (namn, se `riskverkstad incidents recipients`).
        #[arg(long, value_name = "MOTTAGARE")]
        to: String,
        /// Mottagarens referens (ärendenummer).
        #[arg(long, value_name = "REF")]
        reference: Option<String>,
    },
    /// Kopplar en incident till ett berört system, en informationsmängd, en risk eller en åtgärd.
    Link(LinkArgs),
    /// Tar bort en koppling (kopplingens id, se `incidents show`).
    Unlink {
        /// Incidentens id.
        id: String,
        /// Kopplingens id (eller de sista 8 tecknen).
        link: String,
    },
    /// Skapa risk från incident: en förifylld risk i systemets pågående riskanalys.
    Risk {
        /// Incidentens id.
        id: String,
        /// Systemet vars riskanalys risken hamnar i (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// Räkna som om det vore denna dag (ÅÅÅÅ-MM-DD).
        #[arg(long, value_name = "DATUM", value_parser = date)]
        today: Option<NaiveDate>,
    },
    /// En åtgärd som incidenten gav, kopplad till den.
    Action {
        /// Incidentens id.
        id: String,
        /// Vad som ska göras.
        #[arg(long, value_name = "TEXT")]
        title: String,
        /// Klar senast (ÅÅÅÅ-MM-DD).
        #[arg(long, value_name = "DATUM", value_parser = date)]
        due: Option<NaiveDate>,
        /// Ansvarig (namn eller e-post).
        #[arg(long, value_name = "NAMN")]
        owner: Option<String>,
        /// Systemet (annars incidentens första system).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: Option<String>,
    },
    /// Incidentlogg för en period som PDF: alla incidenter, antal per typ och system.
    Log {
        /// Första dagen (ÅÅÅÅ-MM-DD).
        #[arg(long, value_name = "DATUM", value_parser = date)]
        from: NaiveDate,
        /// Sista dagen (ÅÅÅÅ-MM-DD).
        #[arg(long, value_name = "DATUM", value_parser = date)]
        to: NaiveDate,
        /// PDF-filen som skrivs.
        #[arg(long, value_name = "FIL.pdf")]
        out: PathBuf,
        #[command(flatten)]
        clock: Clock,
    },
    /// Listar mottagarna av incidentrapporter.
    Recipients {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Lägger till eller ändrar en mottagare (efter namn).
    Recipient {
        /// Namnet.
        #[arg(long, value_name = "NAMN")]
        name: String,
        /// Rapporter som brukar gå dit (kan upprepas): tidig-varning, incidentanmalan, slutrapport, gdpr.
        #[arg(long, value_name = "TYP", value_parser = report_kind)]
        receives: Vec<ReportKind>,
        /// Hur mottagaren nås.
        #[arg(long, value_name = "TEXT")]
        address: Option<String>,
        /// Anteckning.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
}

#[derive(Args)]
pub struct NewArgs {
    /// Rubrik.
    #[arg(long, value_name = "TEXT")]
    title: String,
    /// När incidenten blev känd ("ÅÅÅÅ-MM-DD TT:MM", svensk tid).
    #[arg(long, value_name = "TIDPUNKT", value_parser = moment)]
    known_at: Moment,
    /// Berört system (namn eller id; kan upprepas).
    #[arg(long, value_name = "NAMN_ELLER_ID")]
    system: Vec<String>,
    /// En betydande incident enligt cybersäkerhetslagen.
    #[arg(long)]
    significant: bool,
    /// En personuppgiftsincident (GDPR art. 33).
    #[arg(long)]
    personal_data: bool,
    /// Vad som hände.
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,
    /// Vem som rapporterade.
    #[arg(long, value_name = "TEXT")]
    reported_by: Option<String>,
}

#[derive(Args)]
pub struct LinkArgs {
    /// Incidentens id.
    id: String,
    /// Ett berört system (namn eller id).
    #[arg(long, value_name = "NAMN_ELLER_ID", group = "target")]
    system: Option<String>,
    /// En berörd informationsmängd (namn eller id).
    #[arg(long, value_name = "NAMN_ELLER_ID", group = "target")]
    information_set: Option<String>,
    /// En risk som incidenten visade (riskens id).
    #[arg(long, value_name = "ID", group = "target")]
    risk: Option<String>,
    /// En åtgärd som incidenten gav (åtgärdens id).
    #[arg(long, value_name = "ID", group = "target")]
    action: Option<String>,
}

/// The moment the clocks are read at.
#[derive(Args)]
pub struct Clock {
    /// Räkna som om klockan vore denna ("ÅÅÅÅ-MM-DD TT:MM", svensk tid); annars nu.
    #[arg(long, value_name = "TIDPUNKT", value_parser = moment)]
    now: Option<Moment>,
}

impl Clock {
    fn now(&self) -> Now {
        match self.now {
            Some(m) => Now::at(m.at()),
            None => Now::at(chrono::Local::now().fixed_offset()),
        }
    }
}

fn report_kind(text: &str) -> Result<ReportKind, String> {
    ReportKind::from_arg(text)
        .ok_or_else(|| format!("okänd rapport «{text}»; välj tidig-varning, incidentanmalan, slutrapport eller gdpr"))
}

fn moment(text: &str) -> Result<Moment, String> {
    Moment::parse(text)
}

/// A deadline as `incidents list --json` writes it.
#[derive(Serialize)]
struct DeadlineLine {
    kind: &'static str,
    due_at: Option<String>,
    sent_at: Option<String>,
    state: &'static str,
    minutes_left: Option<i64>,
}

/// An incident as `incidents list --json` writes it.
#[derive(Serialize)]
struct Line<'a> {
    id: String,
    title: &'a str,
    status: &'static str,
    known_at: String,
    significant: bool,
    personal_data_breach: &'static str,
    serious: bool,
    late: bool,
    systems: &'a [String],
    deadlines: Vec<DeadlineLine>,
}

fn deadline_line(d: &Deadline) -> DeadlineLine {
    DeadlineLine {
        kind: d.kind.key(),
        due_at: d.due_at.map(|t| t.to_rfc3339()),
        sent_at: d.sent_at.map(|t| t.to_rfc3339()),
        state: d.state.key(),
        minutes_left: d.minutes_left,
    }
}

fn line(r: &IncidentRow) -> Line<'_> {
    let i = &r.incident;
    Line {
        id: i.id.to_string(),
        title: &i.title,
        status: i.status.key(),
        known_at: i.known_at.to_string(),
        significant: i.significant,
        personal_data_breach: i.personal_data_breach.key(),
        serious: r.serious,
        late: r.late,
        systems: &r.systems,
        deadlines: r.deadlines.iter().map(deadline_line).collect(),
    }
}

/// "Tidig varning: senast 2026-11-28 16:00, 3 h 20 min kvar".
fn deadline_text(d: &Deadline) -> String {
    let when = d.due_at.map(|t| format!("senast {}", t.format("%Y-%m-%d %H:%M"))).unwrap_or_default();
    let state = match (&d.left, d.sent_at) {
        (Some(left), _) => left.clone(),
        (None, Some(at)) => format!("{} {}", d.state.label().to_lowercase(), at.format("%Y-%m-%d %H:%M")),
        (None, None) => d.state.label().to_lowercase(),
    };
    if when.is_empty() {
        format!("{}: {state}", d.kind.label())
    } else {
        format!("{}: {when}, {state}", d.kind.label())
    }
}

pub fn run(path: &Path, command: IncidentsCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        IncidentsCommand::New(args) => new(path, args, out),
        IncidentsCommand::List { open: only_open, json, clock } => list(path, only_open, json, clock.now(), out),
        IncidentsCommand::Show { id, json, clock } => show(path, &id, json, clock.now(), out),
        IncidentsCommand::Report { id, kind, out: file, clock } => {
            let store = open(path)?;
            let incident = find::incident(&store, &id)?;
            let doc = riskverkstad_report::IncidentDocument::Report { incident, kind };
            let r = riskverkstad_report::render_incident(&store, &doc, clock.now())?;
            write_file(&file, &r.bytes)?;
            written(out, &r, &file);
            Ok(0)
        }
        IncidentsCommand::Sent { id, kind, at, to, reference } => {
            let mut store = open(path)?;
            let incident_id = find::incident(&store, &id)?;
            let recipient_id = find::recipient(&store, &to)?;
            let sent =
                ReportSent { incident_id, kind, sent_at: at, recipient_id, reference: reference.unwrap_or_default() };
            let r = ops::report_sent(&mut store, &sent)?;
            let _ = writeln!(out, "{} markerad som skickad {} ({})", kind.label(), r.sent_at.local(), r.id);
            Ok(0)
        }
        IncidentsCommand::Link(args) => link(path, args, out),
        IncidentsCommand::Unlink { id, link } => {
            let mut store = open(path)?;
            let incident = find::incident(&store, &id)?;
            let l: IncidentLink = find::record(&store, &link)?;
            if l.incident_id != incident {
                return Err(usage(format!("kopplingen {link} hör inte till incidenten {id}")));
            }
            ops::unlink_incident(&mut store, l.id)?;
            let _ = writeln!(out, "Kopplingen togs bort.");
            Ok(0)
        }
        IncidentsCommand::Risk { id, system, today: day } => {
            let mut store = open(path)?;
            let incident = find::incident(&store, &id)?;
            let system = find::system(&store, &system)?;
            let risk = ops::risk_from_incident(&mut store, incident, system, today(day))?;
            let analysis: RiskAnalysis = store.get(risk.analysis_id)?;
            let _ =
                writeln!(out, "{}\nRisken «{}» finns i «{}» och ska granskas.", risk.id, risk.title, analysis.title);
            Ok(0)
        }
        IncidentsCommand::Action { id, title, due, owner, system } => {
            let mut store = open(path)?;
            let incident = find::incident(&store, &id)?;
            let new = NewAction {
                title,
                description: String::new(),
                system_id: system.map(|s| find::system(&store, &s)).transpose()?,
                responsible_id: owner.map(|p| find::person(&store, &p)).transpose()?,
                due_on: due,
                risk_id: None,
                requirement_id: None,
            };
            let action = ops::action_from_incident(&mut store, incident, &new)?;
            let _ = writeln!(out, "{}", action.id);
            Ok(0)
        }
        IncidentsCommand::Log { from, to, out: file, clock } => {
            if to < from {
                return Err(usage(format!("perioden slutar ({to}) före den börjar ({from})")));
            }
            let store = open(path)?;
            let doc = riskverkstad_report::IncidentDocument::Log { from, to };
            let r = riskverkstad_report::render_incident(&store, &doc, clock.now())?;
            write_file(&file, &r.bytes)?;
            written(out, &r, &file);
            Ok(0)
        }
        IncidentsCommand::Recipients { json } => {
            let store = open(path)?;
            let all = store.list::<Recipient>()?;
            if json {
                return output::json(out, &all).map(|_| 0);
            }
            for r in &all {
                let receives: Vec<&str> = r.receives.iter().map(|k| k.label()).collect();
                let _ = writeln!(
                    out,
                    "{}  {}{}",
                    find::short_id(&r.id.to_string()),
                    r.name,
                    if receives.is_empty() { String::new() } else { format!(" ({})", receives.join(", ")) }
                );
            }
            Ok(0)
        }
        IncidentsCommand::Recipient { name, receives, address, note } => {
            let mut store = open(path)?;
            let existing =
                store.list::<Recipient>()?.into_iter().find(|r| r.name.trim().eq_ignore_ascii_case(name.trim()));
            let mut r = existing.unwrap_or_else(|| Recipient { name: name.trim().to_string(), ..Default::default() });
            if !receives.is_empty() {
                r.receives = receives;
            }
            if let Some(a) = address {
                r.address = a;
            }
            if let Some(n) = note {
                r.note = n;
            }
            let saved = ops::save_recipient(&mut store, r)?;
            let _ = writeln!(out, "{}", saved.id);
            Ok(0)
        }
    }
}

fn new(path: &Path, args: NewArgs, out: &mut String) -> Result<u8, Failure> {
    let mut store = open(path)?;
    let system_ids = args.system.iter().map(|s| find::system(&store, s)).collect::<Result<Vec<_>, _>>()?;
    let draft = NewIncident {
        title: args.title,
        description: args.description.unwrap_or_default(),
        known_at: args.known_at,
        reported_by: args.reported_by.unwrap_or_default(),
        system_ids,
        significant: args.significant,
        personal_data_breach: if args.personal_data { Answer::Ja } else { Answer::VetEj },
    };
    let incident = ops::new_incident(&mut store, &draft)?;
    let _ = writeln!(out, "{}", incident.id);
    Ok(0)
}

fn list(path: &Path, only_open: bool, json: bool, now: Now, out: &mut String) -> Result<u8, Failure> {
    let store = open(path)?;
    let rows: Vec<IncidentRow> =
        incidents(&store, now)?.into_iter().filter(|r| !only_open || r.incident.status.is_open()).collect();
    if json {
        let lines: Vec<Line> = rows.iter().map(line).collect();
        return output::json(out, &lines).map(|_| 0);
    }
    if rows.is_empty() {
        let _ = writeln!(out, "Inga incidenter.");
        return Ok(0);
    }
    for r in &rows {
        let i = &r.incident;
        let _ = writeln!(
            out,
            "{}  {}  {:<15}  {}{}",
            find::short_id(&i.id.to_string()),
            i.known_at.local(),
            i.status.label(),
            i.title,
            if r.systems.is_empty() { String::new() } else { format!(" [{}]", r.systems.join(", ")) }
        );
        for d in &r.deadlines {
            let _ = writeln!(out, "    {}", deadline_text(d));
        }
    }
    let late = rows.iter().filter(|r| r.late).count();
    let _ = writeln!(out, "{} incidenter, {late} med missad rapporttid.", rows.len());
    Ok(0)
}

fn show(path: &Path, id: &str, json: bool, now: Now, out: &mut String) -> Result<u8, Failure> {
    let store = open(path)?;
    let id = find::incident(&store, id)?;
    let v = incident_view(&store, id, now)?;
    if json {
        return output::json(out, &v).map(|_| 0);
    }
    let i = &v.row.incident;
    let _ = writeln!(out, "{}\n{}", i.title, "=".repeat(i.title.chars().count()));
    let _ = writeln!(out, "Id: {}\nStatus: {}\nBlev känd: {}", i.id, i.status.label(), i.known_at.local());
    let _ = writeln!(
        out,
        "Betydande incident: {}\nPersonuppgiftsincident: {}\nMisstänkt avsiktlig handling: {}",
        if i.significant { "ja" } else { "nej" },
        i.personal_data_breach.label().to_lowercase(),
        i.malicious.label().to_lowercase()
    );
    if !i.description.is_empty() {
        let _ = writeln!(out, "Vad som hände: {}", i.description);
    }
    let _ = writeln!(out, "\nTidsfrister:");
    if v.row.deadlines.is_empty() {
        let _ = writeln!(out, "  Inga (varken betydande incident eller personuppgiftsincident).");
    }
    for d in &v.row.deadlines {
        let _ = writeln!(out, "  {}", deadline_text(d));
    }
    let _ = writeln!(out, "\nSkickade rapporter:");
    for r in &v.reports {
        let _ = writeln!(
            out,
            "  {} {} till {}{}",
            r.report.sent_at.local(),
            r.report.kind.label(),
            r.recipient,
            if r.report.reference.is_empty() { String::new() } else { format!(" (ref. {})", r.report.reference) }
        );
    }
    let _ = writeln!(out, "\nKopplingar:");
    for (what, lines) in [
        ("System", &v.systems),
        ("Informationsmängd", &v.information_sets),
        ("Risk", &v.risks),
        ("Åtgärd", &v.action_links),
    ] {
        for l in lines {
            let _ = writeln!(out, "  {}  {what}: {}", find::short_id(&l.link.id.to_string()), l.name);
        }
    }
    Ok(0)
}

fn link(path: &Path, args: LinkArgs, out: &mut String) -> Result<u8, Failure> {
    let mut store = open(path)?;
    let incident = find::incident(&store, &args.id)?;
    let target = if let Some(s) = args.system {
        LinkTarget::System(find::system(&store, &s)?)
    } else if let Some(s) = args.information_set {
        let q = s.trim().to_lowercase();
        let sets = store.list::<InformationSet>()?;
        let hits: Vec<&InformationSet> =
            sets.iter().filter(|x| x.id.to_string() == q || x.name.trim().to_lowercase() == q).collect();
        match hits.as_slice() {
            [one] => LinkTarget::InformationSet(one.id),
            [] => return Err(usage(format!("ingen informationsmängd heter «{s}»"))),
            _ => return Err(usage(format!("flera informationsmängder heter «{s}»; ange id:t"))),
        }
    } else if let Some(r) = args.risk {
        LinkTarget::Risk(find::record::<Risk>(&store, &r)?.id)
    } else if let Some(a) = args.action {
        LinkTarget::Action(find::action(&store, &a)?)
    } else {
        return Err(usage("ange vad incidenten kopplas till: --system, --information-set, --risk eller --action"));
    };
    let l = ops::link_incident(&mut store, incident, target)?;
    let _ = writeln!(out, "{}", l.id);
    Ok(0)
}

/// "Tidig varning – X (1 sida) skrevs till FIL".
fn written(out: &mut String, r: &riskverkstad_report::Rendered, file: &Path) {
    let pages = if r.pages == 1 { "1 sida".to_string() } else { format!("{} sidor", r.pages) };
    let _ = writeln!(out, "{} ({pages}) skrevs till {}", r.title, file.display());
}
