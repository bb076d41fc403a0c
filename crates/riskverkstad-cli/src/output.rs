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
use riskverkstad_core::ids::SystemId;
use riskverkstad_core::model::*;
use riskverkstad_core::profile::{ProtectionProfile, SPECIAL_ANALYSIS, current_classification};
use riskverkstad_core::register::RegisterRow;
use riskverkstad_core::store::{AuditEntry, Read, SCHEMA_VERSION, Store};
use riskverkstad_core::{queries, risk};
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
            counts,
        })
    }

    pub fn print(&self, o: &mut String) {
        outln!(o, "Databas:       {}", self.path);
        outln!(o, "Schemaversion: {}", self.schema_version);
        outln!(o, "Installation:  {} ({})", self.installation.name, self.installation.id);
        outln!(o, "Metod:         version {} – {}", self.method_version, self.method_name);
        for (what, n) in &self.counts {
            outln!(o, "  {n:>7} {what}");
        }
    }
}

#[derive(Serialize)]
struct RoleLine {
    role: Role,
    person: String,
}

#[derive(Serialize)]
struct SetLine {
    id: String,
    name: String,
    status: Option<ClassificationStatus>,
    levels: Vec<(riskverkstad_core::method::Aspect, u8)>,
}

#[derive(Serialize)]
struct RiskLine {
    title: String,
    band: String,
    value: u32,
    residual_band: Option<String>,
    treatment: Option<Treatment>,
    acceptance_ok: Option<bool>,
    earlier_scale: bool,
}

#[derive(Serialize)]
struct GapLine {
    code: String,
    title: String,
    status: Option<Compliance>,
}

/// One system with everything around it.
#[derive(Serialize)]
pub struct SystemDetail {
    system: System,
    forvaltning: String,
    supplier: Option<String>,
    profile: ProtectionProfile,
    roles: Vec<RoleLine>,
    information_sets: Vec<SetLine>,
    depends_on: Vec<String>,
    depended_on_by: Vec<String>,
    requirements_applicable: usize,
    gaps: Vec<GapLine>,
    risks: Vec<RiskLine>,
    open_actions: Vec<String>,
    decisions: Vec<String>,
}

impl SystemDetail {
    pub fn load(store: &Store, id: SystemId) -> Result<SystemDetail, Failure> {
        let system: System = store.get(id)?;
        let key = id.to_string();
        let people: HashMap<_, _> = store.list::<Person>()?.into_iter().map(|p| (p.id, p.name)).collect();
        let systems: HashMap<_, _> = store.list::<System>()?.into_iter().map(|s| (s.id, s.name)).collect();
        let parties: HashMap<_, _> = store.list::<ExternalParty>()?.into_iter().map(|p| (p.id, p.name)).collect();
        let forvaltning = store.get::<Forvaltning>(system.forvaltning_id)?.name;
        let roles = store
            .list_by::<RoleAssignment>("system_id", &key)?
            .into_iter()
            .map(|r| RoleLine { role: r.role, person: people.get(&r.person_id).cloned().unwrap_or_default() })
            .collect();
        let mut information_sets = Vec::new();
        for link in store.list_by::<SystemInformationSet>("system_id", &key)? {
            let set: InformationSet = store.get(link.information_set_id)?;
            let cs = store.list_by::<Classification>("information_set_id", &set.id.to_string())?;
            let current = current_classification(&cs);
            information_sets.push(SetLine {
                id: set.id.to_string(),
                name: set.name,
                status: current.map(|c| c.status),
                levels: current
                    .map(|c| c.assessments.iter().map(|a| (a.aspect, a.level)).collect())
                    .unwrap_or_default(),
            });
        }
        let depends_on = store
            .list_by::<Dependency>("system_id", &key)?
            .into_iter()
            .map(|d| {
                let target = d
                    .depends_on_system_id
                    .and_then(|s| systems.get(&s))
                    .or_else(|| d.depends_on_party_id.and_then(|p| parties.get(&p)));
                format!("{} ({})", target.cloned().unwrap_or_default(), d.kind.label())
            })
            .collect();
        let depended_on_by = store
            .list_by::<Dependency>("depends_on_system_id", &key)?
            .into_iter()
            .map(|d| format!("{} ({})", systems.get(&d.system_id).cloned().unwrap_or_default(), d.kind.label()))
            .collect();
        let method = &store.method().definition;
        let versions = store.method_versions()?;
        let requirements = queries::system_requirements(store, method, id)?;
        let gaps = requirements
            .iter()
            .filter(|r| r.gap)
            .map(|r| GapLine {
                code: r.requirement.code.clone(),
                title: r.requirement.title.clone(),
                status: r.status.as_ref().map(|s| s.status),
            })
            .collect();
        let owners: Vec<_> = store
            .list_by::<RoleAssignment>("system_id", &key)?
            .into_iter()
            .filter(|r| r.role == Role::Systemagare)
            .map(|r| r.person_id)
            .collect();
        let mut risks = Vec::new();
        for a in store.list_by::<RiskAnalysis>("system_id", &key)? {
            let made_under = versions.get(&a.method_version_id);
            for r in store.list_by::<Risk>("analysis_id", &a.id.to_string())? {
                let assessed = risk::assessed(method, made_under, &r);
                let Some(inherent) = assessed.inherent else { continue };
                let residual = assessed.residual;
                let ctx = risk::AcceptanceContext { risk_owner: r.owner_id, system_owners: owners.clone() };
                let acceptance_ok =
                    r.accepted_by.and_then(|_| risk::check_acceptance(method, &r, &ctx)).map(|c| c.rules_met());
                risks.push(RiskLine {
                    title: r.title,
                    band: inherent.band_name,
                    value: inherent.value,
                    residual_band: residual.map(|x| x.band_name),
                    treatment: r.treatment,
                    acceptance_ok,
                    earlier_scale: assessed.earlier_scale,
                });
            }
        }
        let open_actions = store
            .list_by::<Action>("system_id", &key)?
            .into_iter()
            .filter(|a| a.status.is_open())
            .map(|a| {
                format!("{} – {} ({})", a.due_on.map(|d| d.to_string()).unwrap_or_default(), a.title, a.status.label())
            })
            .collect();
        let decisions = store
            .list_by::<Decision>("system_id", &key)?
            .into_iter()
            .map(|d| {
                format!(
                    "{} v{} – {}{}",
                    d.kind.label(),
                    d.version,
                    d.state.label(),
                    d.valid_until.map(|v| format!(", gäller till {v}")).unwrap_or_default()
                )
            })
            .collect();
        Ok(SystemDetail {
            supplier: system.supplier_id.and_then(|s| parties.get(&s).cloned()),
            profile: queries::system_profile(store, method, id)?,
            requirements_applicable: requirements.len(),
            gaps,
            system,
            forvaltning,
            roles,
            information_sets,
            depends_on,
            depended_on_by,
            risks,
            open_actions,
            decisions,
        })
    }

    pub fn print(&self, o: &mut String) {
        let s = &self.system;
        outln!(o, "{} ({})", s.name, s.id);
        if !s.aliases.is_empty() {
            outln!(o, "  Även kallat: {}", s.aliases.join(", "));
        }
        outln!(o, "  {}", s.description);
        outln!(
            o,
            "  Förvaltning: {}   Kategori: {}   Livscykel: {}",
            self.forvaltning,
            s.category.label(),
            s.lifecycle.label()
        );
        outln!(
            o,
            "  Leverantör: {}   Avtal till: {}",
            self.supplier.as_deref().unwrap_or("–"),
            s.contract_end.map(|d| d.to_string()).unwrap_or("–".into())
        );
        outln!(
            o,
            "  Kritiskt: {}   Samhällsviktigt: {}   NIS2: {}",
            if s.business_critical { "ja" } else { "nej" },
            if s.samhallsviktig { "ja" } else { "nej" },
            s.nis2.label()
        );
        outln!(o, "Skyddsprofil:");
        for a in &self.profile.aspects {
            let mut notes = Vec::new();
            if !a.raise_reasons.is_empty() {
                notes.push(format!(
                    "höjd: {}",
                    a.raise_reasons.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")
                ));
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
        for r in &self.roles {
            outln!(o, "  {:<20} {}", r.role.label(), r.person);
        }
        outln!(o, "Information:");
        for set in &self.information_sets {
            let levels = set.levels.iter().map(|(a, l)| format!("{}{l}", a.key())).collect::<Vec<_>>().join(" ");
            outln!(
                o,
                "  {}  {}  {}",
                set.name,
                if levels.is_empty() { "ej klassad".into() } else { levels },
                set.status.map(|s| s.label()).unwrap_or("")
            );
        }
        if !self.depends_on.is_empty() {
            outln!(o, "Beror av: {}", self.depends_on.join(", "));
        }
        if !self.depended_on_by.is_empty() {
            outln!(o, "Används av: {}", self.depended_on_by.join(", "));
        }
        outln!(o, "Krav: {} gäller för skyddsnivåerna, {} är brister:", self.requirements_applicable, self.gaps.len());
        for g in &self.gaps {
            outln!(o, "  {} {} ({})", g.code, g.title, g.status.map(|s| s.label()).unwrap_or("ej bedömt"));
        }
        outln!(o, "Risker ({}):", self.risks.len());
        for r in &self.risks {
            let accepted = match r.acceptance_ok {
                Some(true) => ", accepterad enligt reglerna",
                Some(false) => ", accepterad UTAN att bandets regler är uppfyllda",
                None => "",
            };
            let earlier = if r.earlier_scale { " (gjord enligt tidigare skala)" } else { "" };
            outln!(
                o,
                "  [{} {}→{}] {}{accepted}{earlier}",
                r.band,
                r.value,
                r.residual_band.as_deref().unwrap_or("–"),
                r.title
            );
        }
        if !self.open_actions.is_empty() {
            outln!(o, "Öppna åtgärder:");
            for a in &self.open_actions {
                outln!(o, "  {a}");
            }
        }
        if !self.decisions.is_empty() {
            outln!(o, "Beslut:");
            for d in &self.decisions {
                outln!(o, "  {d}");
            }
        }
    }
}
