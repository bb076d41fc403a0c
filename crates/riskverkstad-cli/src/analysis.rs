//! Risk analysis: `analysis list` (a system's analyses), `analysis new` (the yearly redo from
//! the previous one, or a fresh one) and `analysis set` (scope, participants, date, status).

use crate::{Failure, date, open, output, today, usage};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use riskverkstad_core::find;
use riskverkstad_core::model::{AnalysisStatus, NewAnalysis, RiskAnalysis};
use riskverkstad_core::ops::{self, edit::Edit};
use riskverkstad_core::store::Read;
use riskverkstad_core::views::SystemView;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Subcommand)]
pub enum AnalysisCommand {
    /// Listar ett systems riskanalyser, den senaste först.
    List {
        /// Systemet (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Gör en ny riskanalys av ett system, med --from-previous utifrån den senaste (dess risker
    /// kopieras och markeras för granskning).
    New(NewArgs),
    /// Ändrar en riskanalys: avgränsning, deltagare, datum, status.
    Set(SetArgs),
}

#[derive(Args)]
pub struct NewArgs {
    /// Systemet (namn eller id).
    #[arg(long, value_name = "NAMN_ELLER_ID")]
    system: String,
    /// Avgränsning (annars den föregående analysens, med --from-previous).
    #[arg(long, value_name = "TEXT")]
    scope: Option<String>,
    /// Utgå från den senaste analysen: riskerna kopieras och markeras för granskning.
    #[arg(long)]
    from_previous: bool,
    /// Rubrik (annars "Riskanalys SYSTEM DATUM").
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Deltagare, kommaseparerade.
    #[arg(long, value_name = "NAMN, NAMN")]
    participants: Option<String>,
    /// Analysdatum (ÅÅÅÅ-MM-DD); annars i dag.
    #[arg(long, value_name = "DATUM", value_parser = date)]
    date: Option<NaiveDate>,
}

#[derive(Args)]
pub struct SetArgs {
    /// Analysens id.
    id: String,
    /// pagar eller klar.
    #[arg(long, value_name = "STATUS")]
    status: Option<String>,
    /// Avgränsning.
    #[arg(long, value_name = "TEXT")]
    scope: Option<String>,
    /// Deltagare, kommaseparerade.
    #[arg(long, value_name = "NAMN, NAMN")]
    participants: Option<String>,
    /// Analysdatum (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "DATUM", value_parser = date)]
    date: Option<NaiveDate>,
    /// Rubrik.
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
}

/// One analysis as `analysis list --json` writes it.
#[derive(Serialize)]
struct Line<'a> {
    id: String,
    title: &'a str,
    scope: &'a str,
    analysed_on: NaiveDate,
    participants: &'a [String],
    status: &'static str,
    based_on: Option<String>,
    risks: usize,
    to_review: usize,
}

fn split(list: &str) -> Vec<String> {
    list.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

pub fn run(path: &Path, command: AnalysisCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        AnalysisCommand::List { system, json } => {
            let store = open(path)?;
            let id = find::system(&store, &system)?;
            let view = SystemView::load(&store, id, today(None))?;
            let lines: Vec<Line> = view
                .analyses
                .iter()
                .map(|a| Line {
                    id: a.analysis.id.to_string(),
                    title: &a.analysis.title,
                    scope: &a.analysis.scope,
                    analysed_on: a.analysis.analysed_on,
                    participants: &a.analysis.participants,
                    status: a.analysis.status.key(),
                    based_on: a.analysis.based_on.map(|b| b.to_string()),
                    risks: a.risks.len(),
                    to_review: a.risks.iter().filter(|r| r.risk.needs_review).count(),
                })
                .collect();
            if json {
                output::json(out, &lines)?;
            } else if lines.is_empty() {
                let _ = writeln!(out, "{} har ingen riskanalys.", view.system.name);
            } else {
                for l in &lines {
                    let _ = writeln!(
                        out,
                        "{}  {}  {:<6}  {} risker{}  {}",
                        riskverkstad_core::find::short_id(&l.id),
                        l.analysed_on,
                        AnalysisStatus::parse(l.status).map(|s| s.label()).unwrap_or(""),
                        l.risks,
                        if l.to_review > 0 { format!(" ({} att granska)", l.to_review) } else { String::new() },
                        l.title
                    );
                }
            }
            Ok(0)
        }
        AnalysisCommand::New(args) => {
            let mut store = open(path)?;
            let system_id = find::system(&store, &args.system)?;
            let draft = NewAnalysis {
                system_id,
                title: args.title.unwrap_or_default(),
                scope: args.scope.unwrap_or_default(),
                participants: args.participants.as_deref().map(split).unwrap_or_default(),
                analysed_on: args.date,
                from_previous: args.from_previous,
            };
            let analysis = ops::new_analysis(&mut store, &draft, today(None))?;
            let copied =
                store.list_by::<riskverkstad_core::model::Risk>("analysis_id", &analysis.id.to_string())?.len();
            let _ = writeln!(out, "{}", analysis.id);
            if args.from_previous {
                eprintln!("{copied} risker kopierade från föregående analys, markerade för granskning.");
            }
            Ok(0)
        }
        AnalysisCommand::Set(args) => set(path, args, out),
    }
}

fn set(path: &Path, args: SetArgs, out: &mut String) -> Result<u8, Failure> {
    let status = args
        .status
        .as_deref()
        .map(|s| AnalysisStatus::parse(s).ok_or_else(|| usage(format!("okänd status «{s}»; välj pagar eller klar"))))
        .transpose()?;
    let mut store = open(path)?;
    let mut analysis: RiskAnalysis = find::record(&store, &args.id)?;
    if let Some(s) = status {
        analysis.status = s;
    }
    if let Some(s) = args.scope {
        analysis.scope = s.trim().to_string();
    }
    if let Some(p) = args.participants {
        analysis.participants = split(&p);
    }
    if let Some(d) = args.date {
        analysis.analysed_on = d;
    }
    if let Some(t) = args.title {
        analysis.title = t.trim().to_string();
    }
    let stored = RiskAnalysis::save(&mut store, analysis, today(None))?;
    let _ = writeln!(out, "«{}»: {} ({}).", stored.title, stored.status.label().to_lowercase(), stored.analysed_on);
    Ok(0)
}
