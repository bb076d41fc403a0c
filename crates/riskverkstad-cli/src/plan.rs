//! A system's systemsäkerhetsplan: `plan set` (the texts only the plan says), `plan show`, and
//! `plan make` (drawn from the register and those texts, and frozen as the next version; the
//! earlier one is superseded and kept).

use crate::{Failure, date, open, output, today, usage, write_file};
use chrono::NaiveDate;
use clap::Subcommand;
use riskverkstad_core::find;
use riskverkstad_core::model::{DecisionKind, Role, RoleAssignment, SecurityPlan};
use riskverkstad_core::ops::edit::Edit;
use riskverkstad_core::store::Read;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum PlanCommand {
    /// Skriver planens egna texter (det som inte finns i registret); utelämnade fält behålls.
    Set {
        /// Systemet (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// Behörighetsprofiler.
        #[arg(long, value_name = "TEXT")]
        access_profiles: Option<String>,
        /// Loggning och logguppföljning.
        #[arg(long, value_name = "TEXT")]
        logging: Option<String>,
        /// Säkerhetskopiering och återställning.
        #[arg(long, value_name = "TEXT")]
        backup: Option<String>,
        /// Kontinuitet och reservrutiner.
        #[arg(long, value_name = "TEXT")]
        continuity: Option<String>,
        /// Organisationen kring systemet.
        #[arg(long, value_name = "TEXT")]
        organisation: Option<String>,
        /// Övrigt.
        #[arg(long, value_name = "TEXT")]
        other: Option<String>,
    },
    /// Visar planens texter och versionerna som tagits fram.
    Show {
        /// Systemet (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Ritar planen ur registret och planens texter och fryser den som nästa version.
    Make {
        /// Systemet (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// PDF-filen som skrivs.
        #[arg(long, value_name = "FIL.pdf")]
        out: PathBuf,
        /// Den som fastställer planen (namn eller e-post); annars systemägaren.
        #[arg(long, value_name = "NAMN")]
        decided_by: Option<String>,
        /// Giltig till och med (ÅÅÅÅ-MM-DD); annars ett år.
        #[arg(long, value_name = "DATUM", value_parser = date)]
        valid_until: Option<NaiveDate>,
        /// Diarienummer.
        #[arg(long, value_name = "DNR")]
        diarienummer: Option<String>,
        /// Planens datum (ÅÅÅÅ-MM-DD); annars i dag.
        #[arg(long, value_name = "DATUM", value_parser = date)]
        date: Option<NaiveDate>,
    },
}

pub fn run(path: &Path, command: PlanCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        PlanCommand::Set { system, access_profiles, logging, backup, continuity, organisation, other } => {
            let mut store = open(path)?;
            let system_id = find::system(&store, &system)?;
            let current = store
                .list_by::<SecurityPlan>("system_id", &system_id.to_string())?
                .into_iter()
                .next()
                .unwrap_or(SecurityPlan { system_id, ..Default::default() });
            let keep = |new: Option<String>, old: String| new.map(|t| t.trim().to_string()).unwrap_or(old);
            let plan = SecurityPlan {
                access_profiles: keep(access_profiles, current.access_profiles.clone()),
                logging: keep(logging, current.logging.clone()),
                backup: keep(backup, current.backup.clone()),
                continuity: keep(continuity, current.continuity.clone()),
                organisation: keep(organisation, current.organisation.clone()),
                other: keep(other, current.other.clone()),
                ..current
            };
            Edit::save(&mut store, plan, today(None))?;
            let _ = writeln!(out, "Systemsäkerhetsplanens texter är sparade.");
            Ok(0)
        }
        PlanCommand::Show { system, json } => {
            let store = open(path)?;
            let system_id = find::system(&store, &system)?;
            let plan = store.list_by::<SecurityPlan>("system_id", &system_id.to_string())?.into_iter().next();
            let subject = riskverkstad_core::decisions::Subject {
                kind: DecisionKind::Systemsakerhetsplan,
                system_id: Some(system_id),
                forvaltning_id: None,
            };
            let versions = riskverkstad_core::decisions::history(&store, &subject)?;
            if json {
                #[derive(serde::Serialize)]
                struct Shown<'a> {
                    texts: Option<&'a SecurityPlan>,
                    versions: &'a [riskverkstad_core::model::Decision],
                }
                return output::json(out, &Shown { texts: plan.as_ref(), versions: &versions }).map(|_| 0);
            }
            match &plan {
                None => {
                    let _ = writeln!(out, "Planens texter är inte skrivna (riskverkstad plan set).");
                }
                Some(p) => {
                    for (label, text) in [
                        ("Behörighetsprofiler", &p.access_profiles),
                        ("Loggning", &p.logging),
                        ("Säkerhetskopiering", &p.backup),
                        ("Kontinuitet", &p.continuity),
                        ("Organisation", &p.organisation),
                        ("Övrigt", &p.other),
                    ] {
                        let _ = writeln!(out, "{label}: {}", if text.is_empty() { "–" } else { text });
                    }
                }
            }
            if versions.is_empty() {
                let _ = writeln!(out, "Ingen version framtagen.");
            }
            for d in &versions {
                let _ = writeln!(
                    out,
                    "Version {}  {}  {}{}",
                    d.version,
                    d.decided_on.map(|x| x.to_string()).unwrap_or_default(),
                    d.state.label(),
                    d.valid_until.map(|u| format!(", gäller t.o.m. {u}")).unwrap_or_default()
                );
            }
            Ok(0)
        }
        PlanCommand::Make { system, out: file, decided_by, valid_until, diarienummer, date: day } => {
            let mut store = open(path)?;
            let system_id = find::system(&store, &system)?;
            let decided_by = match decided_by {
                Some(p) => find::person(&store, &p)?,
                None => store
                    .list_by::<RoleAssignment>("system_id", &system_id.to_string())?
                    .into_iter()
                    .find(|a| a.role == Role::Systemagare)
                    .map(|a| a.person_id)
                    .ok_or_else(|| {
                        usage("systemet har ingen systemägare som fastställer planen; ange --decided-by NAMN")
                    })?,
            };
            let mut request = riskverkstad_report::ReportRequest::new(DecisionKind::Systemsakerhetsplan, today(day));
            request.system = Some(system_id);
            request.diarienummer = diarienummer;
            let decided = riskverkstad_report::Decided { decided_by, valid_until, ..Default::default() };
            let (frozen, rendered) = riskverkstad_report::decide(&mut store, &request, decided)?;
            write_file(&file, &rendered.bytes)?;
            let _ = writeln!(
                out,
                "Systemsäkerhetsplanen är framtagen och fryst: version {} ({}), gäller t.o.m. {}, {} sid{}, skrevs till {}.",
                frozen.version,
                frozen.decided_on.map(|d| d.to_string()).unwrap_or_default(),
                frozen.valid_until.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
                rendered.pages,
                if rendered.pages == 1 { "a" } else { "or" },
                file.display()
            );
            Ok(0)
        }
    }
}
