//! What the CLI prints: tables for people, JSON for scripts.

use crate::Failure;
use std::fmt::Write as _;

/// `println!` into a string; writing to a `String` cannot fail.
macro_rules! outln {
    ($o:expr) => { let _ = writeln!($o); };
    ($o:expr, $($arg:tt)*) => { let _ = writeln!($o, $($arg)*); };
}
use riskverkstad_core::demo::DemoSummary;
use riskverkstad_core::due::{DueItem, DueState};
use riskverkstad_core::model::*;
use riskverkstad_core::profile::SPECIAL_ANALYSIS;
use riskverkstad_core::register_list::RegisterRow;
use riskverkstad_core::store::{AuditEntry, Read, SCHEMA_VERSION, Store};
use riskverkstad_core::views::SystemView;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

pub fn json<T: Serialize + ?Sized>(o: &mut String, value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure {
        message: format!("JSON kunde inte skrivas: {e}"),
        hint: None,
        code: 1,
    })?;
    outln!(o, "{text}");
    Ok(())
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n > width {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

fn level(l: Option<u8>) -> String {
    l.map(|v| v.to_string()).unwrap_or_else(|| "–".into())
}

pub fn demo_summary(o: &mut String, path: &Path, s: &DemoSummary, took: std::time::Duration) {
    outln!(o, "Demokommunen skapades i {} på {:.1} s:", path.display(), took.as_secs_f64());
    outln!(o, "  {} förvaltningar och bolag, {} personer", s.forvaltningar, s.people);
    outln!(o, "  {} system, {} informationsmängder, {} klassningar", s.systems, s.information_sets, s.classifications);
    outln!(
        o,
        "  {} riskanalyser med {} risker, {} åtgärder, {} beslut",
        s.risk_analyses,
        s.risks,
        s.actions,
        s.decisions
    );
    outln!(o, "Visa förteckningen med `riskverkstad --db {} systems list`.", path.display());
}

pub fn register_table(o: &mut String, rows: &[&RegisterRow], total: usize) {
    outln!(o, "{}  {}  K R T S  {}", pad("System", 44), pad("Förvaltning", 34), "Livscykel");
    for r in rows {
        let p = &r.profile;
        let mark = if r.special_analysis {
            " !"
        } else if r.earlier_scale {
            " *"
        } else {
            ""
        };
        outln!(
            o,
            "{}  {}  {} {} {} {}  {}{mark}",
            pad(&r.name, 44),
            pad(&r.forvaltning, 34),
            level(p.k),
            level(p.r),
            level(p.t),
            level(p.s),
            r.lifecycle.label()
        );
    }
    outln!(o, "{} av {} system.", rows.len(), total);
    if rows.iter().any(|r| r.special_analysis) {
        outln!(o, "! nivå 4: {SPECIAL_ANALYSIS}.");
    }
    if rows.iter().any(|r| r.earlier_scale) {
        outln!(o, "* gjord enligt tidigare skala: ska ses över.");
    }
}

pub fn due_table(o: &mut String, store: &Store, items: &[DueItem]) -> Result<(), Failure> {
    if items.is_empty() {
        outln!(o, "Inget i årshjulet är försenat eller snart aktuellt.");
        return Ok(());
    }
    let forvaltningar: HashMap<_, _> = store.list::<Forvaltning>()?.into_iter().map(|f| (f.id, f.short_name)).collect();
    let overdue = items.iter().filter(|i| i.state == DueState::Forsenad).count();
    outln!(o, "{}  {}  {}  {}  {}", pad("Status", 13), pad("Datum", 10), pad("Vad", 28), pad("Förv.", 5), "Gäller");
    for i in items {
        let f = i.forvaltning_id.and_then(|f| forvaltningar.get(&f)).map(String::as_str).unwrap_or("");
        outln!(
            o,
            "{}  {}  {}  {}  {}",
            pad(i.state.label(), 13),
            i.due_on,
            pad(i.kind.label(), 28),
            pad(f, 5),
            i.subject
        );
    }
    outln!(o, "{} försenade, {} snart aktuella.", overdue, items.len() - overdue);
    Ok(())
}

pub fn audit_table(o: &mut String, entries: &[AuditEntry]) {
    for e in entries {
        outln!(
            o,
            "{:>6}  {}  {}  {}  {} {} {}",
            e.seq,
            &e.at[..19],
            e.actor,
            e.action,
            e.operation,
            e.record_table,
            e.record_id
        );
    }
}

/// The database at a glance.
#[derive(Serialize)]
pub struct Info {
    path: String,
    schema_version: usize,
    installation: riskverkstad_core::store::Installation,
    method_version: u32,
    method_name: String,
    encrypted: bool,
    backup_folder: String,
    backups: usize,
    restore_tested: Option<riskverkstad_core::ids::Timestamp>,
    counts: Vec<(&'static str, u64)>,
}

impl Info {
    pub fn load(store: &Store) -> Result<Info, Failure> {
        let counts = vec![
            ("förvaltningar", store.count::<Forvaltning>()?),
            ("personer", store.count::<Person>()?),
            ("system", store.count::<System>()?),
            ("informationsmängder", store.count::<InformationSet>()?),
            ("klassningar", store.count::<Classification>()?),
            ("riskanalyser", store.count::<RiskAnalysis>()?),
            ("risker", store.count::<Risk>()?),
            ("åtgärder", store.count::<Action>()?),
            ("beslut", store.count::<Decision>()?),
            ("krav i katalogen", store.count::<Requirement>()?),
            ("hot i katalogen", store.count::<Threat>()?),
        ];
        Ok(Info {
            path: store.path().map(|p| p.display().to_string()).unwrap_or_default(),
            schema_version: SCHEMA_VERSION,
            installation: store.installation().clone(),
            method_version: store.method().number,
            method_name: store.method().definition.name.clone(),
            encrypted: store.is_encrypted(),
            backup_folder: riskverkstad_core::backup::folder_for(store)
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            backups: riskverkstad_core::backup::list_for(store).map(|b| b.len()).unwrap_or(0),
            restore_tested: store.restore_tested()?,
            counts,
        })
    }

    pub fn print(&self, o: &mut String) {
        outln!(o, "Databas:       {}", self.path);
        outln!(o, "Schemaversion: {}", self.schema_version);
        outln!(o, "Installation:  {} ({})", self.installation.name, self.installation.id);
        outln!(o, "Metod:         version {} – {}", self.method_version, self.method_name);
        outln!(o, "Kryptering:    {}", if self.encrypted { "krypterad (SQLCipher)" } else { "okrypterad" });
        outln!(o, "Säkerhetskopior: {} i {}", self.backups, self.backup_folder);
        let tested = self.restore_tested.map(|t| t.date().to_string()).unwrap_or_else(|| "aldrig".into());
        outln!(o, "Återläsning testad: {tested}");
        for (what, n) in &self.counts {
            outln!(o, "  {n:>7} {what}");
        }
    }
}

/// Prints one system with everything around it.
pub fn system(o: &mut String, v: &SystemView) {
    let s = &v.system;
    outln!(o, "{} ({})", s.name, s.id);
    if !s.aliases.is_empty() {
        outln!(o, "  Även kallat: {}", s.aliases.join(", "));
    }
    outln!(o, "  {}", s.description);
    outln!(
        o,
        "  Förvaltning: {}   Kategori: {}   Livscykel: {}",
        v.forvaltning,
        s.category.label(),
        s.lifecycle.label()
    );
    let contract = s.contract_end.map(|d| d.to_string()).unwrap_or_else(|| "–".into());
    outln!(o, "  Leverantör: {}   Avtal till: {contract}", v.supplier.as_deref().unwrap_or("–"));
    let yes = |b: bool| if b { "ja" } else { "nej" };
    outln!(
        o,
        "  Kritiskt: {}   Samhällsviktigt: {}   NIS2: {}",
        yes(s.business_critical),
        yes(s.samhallsviktig),
        s.nis2.label()
    );
    outln!(o, "Skyddsprofil:");
    for a in &v.profile.aspects {
        let mut notes = Vec::new();
        if !a.raise_reasons.is_empty() {
            notes.push(format!("höjd: {}", a.raise_reasons.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")));
        }
        if a.earlier_scale {
            notes.push("gjord enligt tidigare skala".into());
        }
        if a.special_analysis {
            notes.push(SPECIAL_ANALYSIS.into());
        }
        outln!(o, "  {:<17} {}  {}", a.aspect.label(), level(a.level), notes.join("; "));
    }
    outln!(o, "Roller:");
    for r in &v.roles {
        outln!(o, "  {:<20} {}", r.assignment.role.label(), r.person);
    }
    outln!(o, "Information:");
    for set in &v.information_sets {
        let levels = set
            .classification
            .as_ref()
            .map(|c| {
                c.assessments.iter().map(|a| format!("{}{}", a.aspect.key(), a.level)).collect::<Vec<_>>().join(" ")
            })
            .unwrap_or_else(|| "ej klassad".into());
        let status = set.classification.as_ref().map(|c| c.status.label()).unwrap_or("");
        outln!(o, "  {}  {levels}  {status}", set.set.name);
    }
    if !v.depends_on.is_empty() {
        let list: Vec<_> =
            v.depends_on.iter().map(|d| format!("{} ({})", d.other, d.dependency.kind.label())).collect();
        outln!(o, "Beror av: {}", list.join(", "));
    }
    if !v.depended_on_by.is_empty() {
        let list: Vec<_> =
            v.depended_on_by.iter().map(|d| format!("{} ({})", d.other, d.dependency.kind.label())).collect();
        outln!(o, "Används av: {}", list.join(", "));
    }
    let gaps: Vec<_> = v.requirements.iter().filter(|r| r.gap).collect();
    outln!(o, "Krav: {} gäller för skyddsnivåerna, {} är brister:", v.requirements.len(), gaps.len());
    for g in gaps {
        let status = g.status.as_ref().map(|s| s.status.label()).unwrap_or("ej bedömt");
        outln!(o, "  {} {} ({status})", g.requirement.code, g.requirement.title);
    }
    let risks: Vec<_> = v.analyses.iter().flat_map(|a| &a.risks).collect();
    outln!(o, "Risker ({}):", risks.len());
    for r in risks {
        let accepted = match r.acceptance_ok {
            Some(true) => ", accepterad enligt reglerna".to_string(),
            Some(false) => format!(", accepterad men {}", r.acceptance_problems.join("; ")),
            None => String::new(),
        };
        let earlier = if r.earlier_scale { " (gjord enligt tidigare skala)" } else { "" };
        let (band, value) = r.inherent.as_ref().map(|l| (l.band_name.as_str(), l.value)).unwrap_or(("–", 0));
        let residual = r.residual.as_ref().map(|l| l.band_name.as_str()).unwrap_or("–");
        outln!(o, "  [{band} {value}→{residual}] {}{accepted}{earlier}", r.risk.title);
    }
    let open: Vec<_> = v.actions.iter().filter(|a| a.status.is_open()).collect();
    if !open.is_empty() {
        outln!(o, "Öppna åtgärder:");
        for a in open {
            let due = a.due_on.map(|d| d.to_string()).unwrap_or_default();
            outln!(o, "  {due} – {} ({})", a.title, a.status.label());
        }
    }
    if !v.decisions.is_empty() {
        outln!(o, "Beslut:");
        for d in &v.decisions {
            let until = d.valid_until.map(|u| format!(", gäller till {u}")).unwrap_or_default();
            outln!(o, "  {} v{} – {}{until}", d.kind.label(), d.version, d.state.label());
        }
    }
}

/// The last line of an import: written, or only planned.
pub fn applied_or_dry_run(out: &mut String, applied: bool) {
    let _ = writeln!(
        out,
        "{}",
        if applied {
            "Inläst i en transaktion."
        } else {
            "Provkörning: ingenting skrevs (kör utan --dry-run för att läsa in)."
        }
    );
}
