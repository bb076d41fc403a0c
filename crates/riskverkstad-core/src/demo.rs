//! The demo municipality: a realistic, fictional Swedish kommun with förvaltningar, people,
//! systems with dependencies, information sets, classifications, risk analyses with risks in
//! every band, actions, decisions and some overdue items. Deterministic for a given seed and
//! `today`: the same content and the same ids.

use crate::error::{Error, Result};
use crate::ids::*;
use crate::method::{Aspect, Mandate};
use crate::model::*;
use crate::store::{Read, Store, WriteOptions};
use chrono::{Duration, NaiveDate, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// How big a demo, from which seed, as of which day.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Number of systems (default 60).
    pub systems: usize,
    /// The seed: the same seed and day give the same municipality.
    pub seed: u64,
    /// The day the demo is built for (dates are spread around it); `None`: today (UTC).
    pub today: Option<NaiveDate>,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig { systems: 60, seed: 1, today: None }
    }
}

/// What the demo created.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DemoSummary {
    /// Förvaltningar and bolag.
    pub forvaltningar: usize,
    /// People.
    pub people: usize,
    /// Systems.
    pub systems: usize,
    /// Information sets.
    pub information_sets: usize,
    /// Classifications.
    pub classifications: usize,
    /// Risk analyses.
    pub risk_analyses: usize,
    /// Risks.
    pub risks: usize,
    /// Actions.
    pub actions: usize,
    /// Decisions.
    pub decisions: usize,
}

/// The largest demo that can be asked for.
pub const MAX_SYSTEMS: usize = 20_000;

#[derive(Deserialize)]
struct Vocabulary {
    organisation: String,
    forvaltningar: Vec<ForvaltningEntry>,
    first_names: Vec<String>,
    last_names: Vec<String>,
    titles: HashMap<String, String>,
    suppliers: Vec<SupplierEntry>,
    external_parties: Vec<String>,
    systems: Vec<SystemEntry>,
    risk_scenarios: Vec<ScenarioEntry>,
    actions: Vec<String>,
    analysis_scopes: Vec<String>,
}

#[derive(Deserialize)]
struct ForvaltningEntry {
    name: String,
    short: String,
    kind: ForvaltningKind,
    units: Vec<String>,
}

#[derive(Deserialize)]
struct SupplierEntry {
    name: String,
    operation: OperationForm,
    data_location: DataLocation,
}

#[derive(Deserialize)]
struct SystemEntry {
    name: String,
    aliases: Vec<String>,
    description: String,
    category: SystemCategory,
    forvaltning: Option<String>,
    critical: bool,
    samhallsviktig: bool,
    information_sets: Vec<SetEntry>,
}

#[derive(Deserialize)]
struct SetEntry {
    name: String,
    description: String,
    k: u8,
    r: u8,
    t: u8,
    s: u8,
    personal_data: bool,
    sensitive: bool,
}

#[derive(Deserialize)]
struct ScenarioEntry {
    title: String,
    orsak: String,
    handelse: String,
    konsekvens: String,
    aspects: Vec<Aspect>,
}

const VOCABULARY: &str = include_str!("../data/demo.json");

/// 2026-01-01T00:00:00Z: the time part of the demo's UUID v7 ids.
const ID_BASE_MILLIS: u64 = 1_767_225_600_000;

struct People {
    chef: PersonId,
    samordnare: PersonId,
    enhetschefer: Vec<PersonId>,
    forvaltare: Vec<PersonId>,
    tekniker: Vec<PersonId>,
}

/// Builds the demo into an empty database, in one transaction.
pub fn build(store: &mut Store, config: &DemoConfig) -> Result<DemoSummary> {
    if config.systems == 0 || config.systems > MAX_SYSTEMS {
        return Err(Error::invalid(
            "antal system",
            format!("ange mellan 1 och {MAX_SYSTEMS} system (fick {})", config.systems),
        ));
    }
    if store.count::<System>()? > 0 || store.count::<Organisation>()? > 0 {
        return Err(Error::invalid(
            "databas",
            "databasen innehåller redan en organisation eller system; skapa demokommunen i en ny databasfil",
        ));
    }
    let vocab: Vocabulary = serde_json::from_str(VOCABULARY).map_err(|e| Error::invalid("demodata", e.to_string()))?;
    let today = config.today.unwrap_or_else(|| Utc::now().date_naive());
    let options = WriteOptions { ids: IdSource::seeded(config.seed, ID_BASE_MILLIS) };
    let seed = config.seed;
    let n = config.systems;
    store.write_with("Skapa demokommun", options, |w| {
        Builder { w, rng: ChaCha8Rng::seed_from_u64(seed), vocab: &vocab, today }.run(n)
    })?;
    Ok(DemoSummary {
        forvaltningar: store.count::<Forvaltning>()? as usize,
        people: store.count::<Person>()? as usize,
        systems: store.count::<System>()? as usize,
        information_sets: store.count::<InformationSet>()? as usize,
        classifications: store.count::<Classification>()? as usize,
        risk_analyses: store.count::<RiskAnalysis>()? as usize,
        risks: store.count::<Risk>()? as usize,
        actions: store.count::<Action>()? as usize,
        decisions: store.count::<Decision>()? as usize,
    })
}

struct Builder<'w, 'a> {
    w: &'w mut crate::store::Writer<'a>,
    rng: ChaCha8Rng,
    vocab: &'w Vocabulary,
    today: NaiveDate,
}

fn email_part(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ó' => 'o',
            'é' | 'è' | 'ë' => 'e',
            'ü' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect()
}

impl Builder<'_, '_> {
    fn days_ago(&mut self, range: std::ops::Range<i64>) -> NaiveDate {
        self.today - Duration::days(self.rng.random_range(range))
    }

    fn pick<'v, T>(&mut self, items: &'v [T]) -> &'v T {
        items.choose(&mut self.rng).expect("demo vocabulary lists are never empty")
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn run(mut self, n: usize) -> Result<()> {
        let vocab = self.vocab;
        let org = self.w.insert(Organisation {
            name: vocab.organisation.clone(),
            org_number: Some("212000-0000".into()),
            ..Default::default()
        })?;

        // Förvaltningar and units.
        let mut forvaltningar = Vec::new();
        let mut units: HashMap<ForvaltningId, Vec<Unit>> = HashMap::new();
        for f in &vocab.forvaltningar {
            let fv = self.w.insert(Forvaltning {
                organisation_id: org.id,
                name: f.name.clone(),
                short_name: f.short.clone(),
                kind: f.kind,
                ..Default::default()
            })?;
            for u in &f.units {
                let unit = self.w.insert(Unit { forvaltning_id: fv.id, name: u.clone(), ..Default::default() })?;
                units.entry(fv.id).or_default().push(unit);
            }
            forvaltningar.push(fv);
        }
        let ks = forvaltningar[0].id;
        let by_name: HashMap<&str, ForvaltningId> = forvaltningar.iter().map(|f| (f.name.as_str(), f.id)).collect();

        // People: a chef, a samordnare, enhetschefer, förvaltare and tekniker per förvaltning.
        let mut used_names = HashSet::new();
        let mut used_emails = HashSet::new();
        let per_forvaltning = n.div_ceil(forvaltningar.len());
        let mut people: HashMap<ForvaltningId, People> = HashMap::new();
        for f in &forvaltningar {
            let f_units = units.get(&f.id).cloned().unwrap_or_default();
            let mut person = |b: &mut Self, title_key: &str, unit: Option<UnitId>| -> Result<PersonId> {
                let name = loop {
                    let first = b.pick(&vocab.first_names).clone();
                    let last = b.pick(&vocab.last_names).clone();
                    let mut candidate = format!("{first} {last}");
                    if used_names.contains(&candidate) {
                        let initial = (b'A' + b.rng.random_range(0..26u8)) as char;
                        candidate = format!("{first} {initial}. {last}");
                    }
                    if used_names.insert(candidate.clone()) {
                        break candidate;
                    }
                };
                let base = name
                    .split(' ')
                    .map(email_part)
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(".")
                    .replace("..", ".");
                let mut email = format!("{base}@norrvik.se");
                let mut i = 2;
                while !used_emails.insert(email.clone()) {
                    email = format!("{base}{i}@norrvik.se");
                    i += 1;
                }
                let p = b.w.insert(Person {
                    name,
                    email: Some(email),
                    title: vocab.titles.get(title_key).cloned(),
                    forvaltning_id: Some(f.id),
                    unit_id: unit,
                    ..Default::default()
                })?;
                Ok(p.id)
            };
            let chef = person(&mut self, "forvaltningschef", None)?;
            let samordnare = person(&mut self, "informationssakerhetssamordnare", None)?;
            let mut enhetschefer = Vec::new();
            for u in &f_units {
                enhetschefer.push(person(&mut self, "enhetschef", Some(u.id))?);
            }
            let staff = (per_forvaltning / 3).max(2);
            let mut forvaltare = Vec::new();
            let mut tekniker = Vec::new();
            for i in 0..staff {
                let unit = f_units.get(i % f_units.len().max(1)).map(|u| u.id);
                forvaltare.push(person(&mut self, "systemforvaltare", unit)?);
                if i % 2 == 0 {
                    tekniker.push(person(&mut self, "it_tekniker", None)?);
                }
            }
            if f.id == ks {
                person(&mut self, "dataskyddsombud", None)?;
            }
            people.insert(f.id, People { chef, samordnare, enhetschefer, forvaltare, tekniker });
        }

        // External parties: suppliers and the authorities systems exchange data with.
        let mut suppliers = Vec::new();
        for s in &vocab.suppliers {
            let p = self.w.insert(ExternalParty {
                name: s.name.clone(),
                kind: PartyKind::Leverantor,
                ..Default::default()
            })?;
            suppliers.push((p.id, s.operation, s.data_location));
        }
        let mut parties = Vec::new();
        for name in &vocab.external_parties {
            let kind =
                if name.contains("AB") || name.contains("centralen") { PartyKind::Annan } else { PartyKind::Myndighet };
            parties.push(self.w.insert(ExternalParty { name: name.clone(), kind, ..Default::default() })?.id);
        }

        let requirements = self.w.list::<Requirement>()?;
        let threats = self.w.list::<Threat>()?;
        let method_version = self.w.method().id;
        let matrix = self.w.method().definition.risk_matrix.clone();

        // Systems with their information, classifications, risks, actions and decisions.
        let mut used_system_names = HashSet::new();
        let mut systems: Vec<(SystemId, ForvaltningId)> = Vec::new();
        let mut shared_set: Option<InformationSetId> = None;
        let mut first_analysis = true;
        // Templates taken round-robin over förvaltningar, so that even a small demo has systems
        // in every förvaltning and bolag.
        let mut order: Vec<&SystemEntry> = Vec::new();
        let mut queues: Vec<Vec<&SystemEntry>> = Vec::new();
        for f in std::iter::once(None).chain(vocab.forvaltningar.iter().map(|f| Some(f.name.as_str()))) {
            queues.push(vocab.systems.iter().filter(|s| s.forvaltning.as_deref() == f).collect());
        }
        while queues.iter().any(|q| !q.is_empty()) {
            for q in queues.iter_mut().filter(|q| !q.is_empty()) {
                order.push(q.remove(0));
            }
        }
        for i in 0..n {
            let template = order[i % order.len()];
            let round = i / order.len();
            let home = template.forvaltning.as_deref().and_then(|f| by_name.get(f).copied()).unwrap_or(ks);
            let forvaltning = if round > 0 && self.chance(0.5) { self.pick(&forvaltningar).id } else { home };
            let f_short =
                forvaltningar.iter().find(|f| f.id == forvaltning).map(|f| f.short_name.clone()).unwrap_or_default();
            let f_units = units.get(&forvaltning).cloned().unwrap_or_default();
            let unit = if f_units.is_empty() { None } else { Some(self.pick(&f_units).clone()) };
            let mut candidates = vec![template.name.clone(), format!("{} ({f_short})", template.name)];
            if let Some(u) = &unit {
                candidates.push(format!("{} – {}", template.name, u.name));
            }
            let name = candidates.into_iter().find(|c| !used_system_names.contains(c)).unwrap_or_else(|| {
                (2..)
                    .map(|k| format!("{} ({f_short}) {k}", template.name))
                    .find(|c| !used_system_names.contains(c))
                    .unwrap_or_default()
            });
            used_system_names.insert(name.clone());

            // The levels this instance's information sets get: the template's, varied a little
            // after the first round.
            let mut set_levels = Vec::new();
            for s in &template.information_sets {
                let vary = |b: &mut Self, l: u8| {
                    if round == 0 || l == 4 { l } else { (l as i8 + b.rng.random_range(-1..=1)).clamp(0, 3) as u8 }
                };
                set_levels.push([
                    vary(&mut self, s.k),
                    vary(&mut self, s.r),
                    vary(&mut self, s.t),
                    vary(&mut self, s.s),
                ]);
            }
            let personal = template.information_sets.iter().any(|s| s.personal_data);
            let sensitive = template.information_sets.iter().any(|s| s.sensitive);
            let level4 = set_levels.iter().any(|l| l.contains(&4));

            let lifecycle = match self.rng.random_range(0..100) {
                0..4 => Lifecycle::Planerad,
                4..10 => Lifecycle::UnderInforande,
                10..16 => Lifecycle::UnderAvveckling,
                16..19 => Lifecycle::Avvecklad,
                _ => Lifecycle::IDrift,
            };
            let (supplier, operation, location) = *self.pick(&suppliers);
            let since = self.days_ago(200..5000);
            let nis2 = if template.samhallsviktig {
                Nis2::Vasentlig
            } else if template.critical && self.chance(0.5) {
                Nis2::Viktig
            } else {
                Nis2::EjTillampligt
            };
            let p = &people[&forvaltning];
            let (chef, samordnare) = (p.chef, p.samordnare);
            let systemforvaltare = *self.pick(&p.forvaltare);
            let tekniker = *self.pick(&p.tekniker);
            let enhetschef = if p.enhetschefer.is_empty() { chef } else { *self.pick(&p.enhetschefer) };
            let owner = if template.critical { chef } else { enhetschef };
            let critical = template.critical;
            let contract_end = if self.chance(0.9) {
                Some(self.today + Duration::days(self.rng.random_range(-60..1400)))
            } else {
                None
            };
            let system = System {
                name,
                aliases: if round == 0 { template.aliases.clone() } else { Vec::new() },
                description: template.description.clone(),
                category: template.category,
                forvaltning_id: forvaltning,
                unit_id: unit.as_ref().map(|u| u.id),
                pm3_object: Some(format!("{f_short}-{:04}", i + 1)),
                lifecycle,
                in_operation_since: (lifecycle != Lifecycle::Planerad).then_some(since),
                decommission_on: match lifecycle {
                    Lifecycle::UnderAvveckling => Some(self.today + Duration::days(self.rng.random_range(30..400))),
                    Lifecycle::Avvecklad => Some(self.days_ago(10..150).max(since)),
                    _ => None,
                },
                supplier_id: Some(supplier),
                contract_end,
                notice_period_months: contract_end.map(|_| *[3u32, 6, 6, 12].choose(&mut self.rng).unwrap_or(&6)),
                security_requirements_in_contract: Some(self.chance(0.6)),
                operation_form: Some(operation),
                data_location: Some(location),
                personal_data: Some(personal),
                sensitive_personal_data: Some(sensitive),
                dpia_done: if sensitive { Some(self.chance(0.7)) } else { None },
                processor_agreement: if personal && operation != OperationForm::EgenDrift {
                    Some(self.chance(0.85))
                } else {
                    None
                },
                business_critical: critical,
                samhallsviktig: template.samhallsviktig,
                samhallsviktig_reason: template.samhallsviktig.then(|| {
                    "Avbrott påverkar samhällsviktig verksamhet och invånares liv, hälsa eller grundläggande behov."
                        .to_string()
                }),
                nis2,
                sakerhetsskydd: level4,
                rto_hours: Some(if critical {
                    *[4u32, 8, 24].choose(&mut self.rng).unwrap_or(&8)
                } else {
                    *[24u32, 72, 168].choose(&mut self.rng).unwrap_or(&72)
                }),
                rpo_hours: Some(if critical {
                    *[1u32, 4, 24].choose(&mut self.rng).unwrap_or(&4)
                } else {
                    *[24u32, 48].choose(&mut self.rng).unwrap_or(&24)
                }),
                backup_frequency: Some(if critical { "Varje timme" } else { "Dagligen" }.to_string()),
                restore_tested_on: if self.chance(0.7) { Some(self.days_ago(20..700)) } else { None },
                mfa: Some(self.chance(if critical { 0.8 } else { 0.55 })),
                logging: Some(self.chance(0.8)),
                system_security_plan: Some(self.chance(if critical { 0.7 } else { 0.35 })),
                last_review_on: Some(self.days_ago(5..420)),
                last_review_by: Some(samordnare),
                ..Default::default()
            };
            let system = self.w.insert(system)?;
            let sid = system.id;
            for (role, person) in [
                (Role::Systemagare, owner),
                (Role::Systemforvaltare, systemforvaltare),
                (Role::TekniskForvaltare, tekniker),
            ] {
                self.w.insert(RoleAssignment {
                    person_id: person,
                    role,
                    system_id: Some(sid),
                    ..Default::default()
                })?;
            }
            if self.chance(0.3) {
                self.w.insert(RoleAssignment {
                    person_id: enhetschef,
                    role: Role::Verksamhetsansvarig,
                    system_id: Some(sid),
                    ..Default::default()
                })?;
            }

            // Dependencies: on earlier systems and on external parties.
            if !systems.is_empty() && self.chance(0.6) {
                for _ in 0..self.rng.random_range(1..=2) {
                    let (target, _) = *self.pick(&systems);
                    let kind = *self.pick(DependencyKind::ALL);
                    let exists = self
                        .w
                        .list_by::<Dependency>("system_id", &sid.to_string())?
                        .iter()
                        .any(|d| d.depends_on_system_id == Some(target));
                    if !exists {
                        self.w.insert(Dependency {
                            system_id: sid,
                            depends_on_system_id: Some(target),
                            kind,
                            description: None,
                            ..Default::default()
                        })?;
                    }
                }
            }
            if self.chance(0.3) {
                let party = *self.pick(&parties);
                self.w.insert(Dependency {
                    system_id: sid,
                    depends_on_party_id: Some(party),
                    kind: DependencyKind::Fil,
                    description: Some("Filöverföring av underlag".into()),
                    ..Default::default()
                })?;
            }

            // Information sets and their classifications.
            let mut hwm = [0u8; 4];
            for (s, levels) in template.information_sets.iter().zip(&set_levels) {
                let set = self.w.insert(InformationSet {
                    name: s.name.clone(),
                    description: s.description.clone(),
                    forvaltning_id: Some(forvaltning),
                    personal_data: Some(s.personal_data),
                    sensitive_personal_data: Some(s.sensitive),
                    ..Default::default()
                })?;
                self.w.insert(SystemInformationSet {
                    system_id: sid,
                    information_set_id: set.id,
                    ..Default::default()
                })?;
                self.w.insert(RoleAssignment {
                    person_id: owner,
                    role: Role::Informationsagare,
                    information_set_id: Some(set.id),
                    ..Default::default()
                })?;
                if shared_set.is_none() && s.personal_data && !s.sensitive {
                    shared_set = Some(set.id);
                }
                if i > 3 && self.chance(0.05) {
                    continue; // left unclassified: shows up in the yearly cycle
                }
                for (h, l) in hwm.iter_mut().zip(levels) {
                    *h = (*h).max(*l);
                }
                self.classify(set.id, *levels, method_version, &[samordnare, systemforvaltare, owner], chef)?;
            }
            if let Some(shared) = shared_set.filter(|_| self.chance(0.08)) {
                let linked = self
                    .w
                    .list_by::<SystemInformationSet>("system_id", &sid.to_string())?
                    .iter()
                    .any(|l| l.information_set_id == shared);
                if !linked {
                    self.w.insert(SystemInformationSet {
                        system_id: sid,
                        information_set_id: shared,
                        ..Default::default()
                    })?;
                }
            }

            // A raise now and then (aggregering/ackumulering).
            if self.chance(0.04)
                && let Some(a) = (0..4).find(|a| hwm[*a] < 3)
            {
                let reason = if self.chance(0.5) { RaiseReason::Aggregering } else { RaiseReason::Ackumulering };
                hwm[a] += 1;
                let decided_on = self.days_ago(30..300);
                self.w.insert(ProtectionRaise {
                        system_id: sid,
                        aspect: Aspect::ALL[a],
                        level: hwm[a],
                        reason,
                        motivering: match reason {
                            RaiseReason::Aggregering => "Sammanställda uppgifter från flera informationsmängder ger en mer känslig helhet än varje mängd för sig.".into(),
                            _ => "Systemet samlar mycket stora mängder uppgifter om många personer.".into(),
                        },
                        decided_by: Some(owner),
                        decided_on,
                        method_version_id: method_version,
                        ..Default::default()
                    })?;
            }

            let in_use = matches!(lifecycle, Lifecycle::IDrift | Lifecycle::UnderAvveckling);
            // Requirement statuses for part of the register; gaps get actions now and then.
            if in_use && self.chance(0.3) {
                for req in &requirements {
                    let level = hwm[Aspect::ALL.iter().position(|a| *a == req.aspect).unwrap_or(0)];
                    if level < req.min_level {
                        continue;
                    }
                    let status = match self.rng.random_range(0..100) {
                        0..55 => Compliance::Uppfyllt,
                        55..75 => Compliance::Delvis,
                        75..95 => Compliance::EjUppfyllt,
                        _ => Compliance::EjTillampligt,
                    };
                    let how = match status {
                        Compliance::Uppfyllt => "Verifierat vid senaste översynen.".to_string(),
                        Compliance::Delvis => "Uppfyllt för delar av systemet; se handlingsplanen.".to_string(),
                        Compliance::EjUppfyllt => String::new(),
                        _ => "Kravet är inte relevant för systemets funktion.".to_string(),
                    };
                    let assessed_on = Some(self.days_ago(10..400));
                    self.w.insert(RequirementStatus {
                        system_id: sid,
                        requirement_id: req.id,
                        status,
                        how,
                        assessed_on,
                        ..Default::default()
                    })?;
                    if status == Compliance::EjUppfyllt && self.chance(0.3) {
                        let action = self.action(
                            sid,
                            systemforvaltare,
                            format!("Åtgärda krav {}: {}", req.code, req.title),
                            None,
                            330,
                        )?;
                        self.w.insert(ActionLink {
                            action_id: action,
                            requirement_id: Some(req.id),
                            ..Default::default()
                        })?;
                    }
                }
            }

            // Risk analyses: critical systems almost always, others sometimes.
            if in_use && self.chance(if critical { 0.9 } else { 0.35 }) {
                let analysed_on = self.days_ago(20..520);
                let scope = self.pick(&vocab.analysis_scopes).clone();
                let participants = [samordnare, systemforvaltare, owner, tekniker];
                let names = self.names(&participants)?;
                let analysis = self.w.insert(RiskAnalysis {
                    title: format!("Riskanalys {}", system.name),
                    scope,
                    analysed_on,
                    participants: names,
                    system_id: Some(sid),
                    process: None,
                    method_version_id: method_version,
                    ..Default::default()
                })?;
                let cells: Vec<(u8, u8)> = if first_analysis {
                    vec![(1, 1), (1, 2), (2, 3), (3, 2), (3, 4), (4, 4)]
                } else {
                    (0..self.rng.random_range(3..=7))
                        .map(|_| (self.rng.random_range(1..=4), self.rng.random_range(1..=4)))
                        .collect()
                };
                first_analysis = false;
                let mut scenarios: Vec<&ScenarioEntry> = vocab.risk_scenarios.iter().collect();
                for (p, c) in cells {
                    let k = self.rng.random_range(0..scenarios.len());
                    let scenario = scenarios.swap_remove(k);
                    let threat = self.pick(&threats).id;
                    let band = crate::risk::band_index(&matrix, p, c).unwrap_or(0);
                    let mut risk = Risk {
                        analysis_id: analysis.id,
                        threat_id: Some(threat),
                        title: scenario.title.clone(),
                        orsak: scenario.orsak.clone(),
                        handelse: scenario.handelse.clone(),
                        konsekvens: scenario.konsekvens.clone(),
                        aspects: scenario.aspects.clone(),
                        probability: p,
                        consequence: c,
                        owner_id: Some(systemforvaltare),
                        ..Default::default()
                    };
                    let accept = band == 0 || (band == 1 && self.chance(0.4));
                    if accept {
                        risk.treatment = Some(Treatment::Acceptera);
                        risk.treatment_description =
                            "Risken bedöms som acceptabel i förhållande till kostnaden för ytterligare åtgärder."
                                .into();
                        let (by, mandate) = if band == 0 {
                            (systemforvaltare, Mandate::Riskagare)
                        } else if self.chance(0.85) {
                            (owner, Mandate::Systemagare)
                        } else {
                            (systemforvaltare, Mandate::Riskagare) // against the band's rules: the check shows it
                        };
                        risk.accepted_by = Some(by);
                        risk.accepted_as = Some(mandate);
                        risk.accepted_on = Some(analysed_on + Duration::days(self.rng.random_range(0..20)));
                        risk.acceptance_reason = Some(
                            "Befintliga skydd och rutiner bedöms tillräckliga; följs upp vid nästa riskanalys.".into(),
                        );
                        self.w.insert(risk)?;
                    } else {
                        risk.treatment = Some(Treatment::Reducera);
                        risk.treatment_description = "Risken reduceras med åtgärder i handlingsplanen.".into();
                        risk.residual_probability = Some((p as i8 - self.rng.random_range(1..=2)).max(1) as u8);
                        risk.residual_consequence = Some((c as i8 - self.rng.random_range(0..=1)).max(1) as u8);
                        let risk = self.w.insert(risk)?;
                        let count = if band >= 3 { 2 } else { 1 };
                        let within = matrix.bands[band].acceptance.treat_within_days.unwrap_or(330).min(330) as i64;
                        for _ in 0..count {
                            let title = self.pick(&vocab.actions).clone();
                            let responsible = if self.chance(0.5) { systemforvaltare } else { tekniker };
                            let action = self.action(sid, responsible, title, Some(analysed_on), within)?;
                            self.w.insert(ActionLink {
                                action_id: action,
                                risk_id: Some(risk.id),
                                ..Default::default()
                            })?;
                        }
                    }
                }

                // A driftgodkännande after the analysis for part of the systems; sometimes
                // renewed, so that version 1 is replaced by version 2.
                if self.chance(0.4) {
                    self.decision(&system, analysed_on, chef, samordnare)?;
                }
            }
            systems.push((sid, forvaltning));
        }
        Ok(())
    }

    fn names(&mut self, ids: &[PersonId]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for id in ids {
            let name = self.w.get::<Person>(*id)?.name;
            if !out.contains(&name) {
                out.push(name);
            }
        }
        Ok(out)
    }

    fn classify(
        &mut self,
        set: InformationSetId,
        levels: [u8; 4],
        method_version: MethodVersionId,
        participants: &[PersonId],
        chef: PersonId,
    ) -> Result<()> {
        let method = self.w.method().definition.clone();
        let mut assessments = Vec::new();
        for (aspect, level) in Aspect::ALL.iter().zip(levels) {
            // The worst area carries the level; a couple of others lie at or below it.
            let worst = self.pick(&method.consequence_areas).clone();
            let mut areas = vec![AreaAssessment { area: worst.key.clone(), level }];
            for other in method.consequence_areas.iter().filter(|a| a.key != worst.key).take(2) {
                areas.push(AreaAssessment { area: other.key.clone(), level: self.rng.random_range(0..=level) });
            }
            let description = worst.descriptions.get(level as usize).cloned().unwrap_or_default();
            assessments.push(AspectAssessment {
                aspect: *aspect,
                level,
                motivering: format!(
                    "Värsta konsekvens för {} gäller {}: {}",
                    aspect.label().to_lowercase(),
                    worst.name.to_lowercase(),
                    description
                ),
                areas,
            });
        }
        let decided = self.chance(0.88);
        let classified_on = self.days_ago(15..450);
        let decided_on =
            decided.then(|| (classified_on + Duration::days(self.rng.random_range(0..20))).min(self.today));
        let names = self.names(participants)?;
        self.w.insert(Classification {
            information_set_id: set,
            method_version_id: method_version,
            status: if decided { ClassificationStatus::Faststalld } else { ClassificationStatus::Utkast },
            assessments,
            participants: names,
            classified_on,
            decided_by: decided.then_some(chef),
            decided_on,
            ..Default::default()
        })?;
        Ok(())
    }

    /// An action starting at `from` (an analysis date; else some time ago), due within
    /// `within_days`.
    fn action(
        &mut self,
        system: SystemId,
        responsible: PersonId,
        title: String,
        from: Option<NaiveDate>,
        within_days: i64,
    ) -> Result<ActionId> {
        let start = from.unwrap_or_else(|| self.days_ago(30..300));
        let due = start + Duration::days(self.rng.random_range(within_days / 3..=within_days));
        let (status, completed_on) = if due < self.today {
            match self.rng.random_range(0..100) {
                0..75 => (
                    ActionStatus::Genomford,
                    Some((due - Duration::days(self.rng.random_range(0..20))).min(self.today)),
                ),
                75..90 => (ActionStatus::Pagar, None),
                90..97 => (ActionStatus::Planerad, None),
                _ => (ActionStatus::Avbruten, None),
            }
        } else if self.chance(0.5) {
            (ActionStatus::Planerad, None)
        } else {
            (ActionStatus::Pagar, None)
        };
        let action = self.w.insert(Action {
            description: format!("{title}. Följs upp av informationssäkerhetssamordnaren."),
            title,
            system_id: Some(system),
            responsible_id: Some(responsible),
            due_on: Some(due),
            status,
            completed_on,
            ..Default::default()
        })?;
        Ok(action.id)
    }

    fn decision(
        &mut self,
        system: &System,
        analysed_on: NaiveDate,
        chef: PersonId,
        samordnare: PersonId,
    ) -> Result<()> {
        let decided_on = (analysed_on + Duration::days(self.rng.random_range(5..60))).min(self.today);
        let months = if self.chance(0.5) { 12 } else { 24 };
        let with_conditions = self.chance(0.35);
        let year = decided_on.format("%Y");
        let number = self.rng.random_range(100..999);
        let mut d = Decision {
            kind: DecisionKind::Driftgodkannande,
            title: format!("Driftgodkännande av {}", system.name),
            system_id: Some(system.id),
            forvaltning_id: Some(system.forvaltning_id),
            version: 1,
            summary: "Underlaget omfattar klassning, kravuppfyllnad, riskanalys och handlingsplan.".into(),
            state: DecisionState::Beslutad,
            diarienummer: Some(format!("{year}/{number}")),
            decided_by: Some(chef),
            presented_by: Some(samordnare),
            decided_on: Some(decided_on),
            valid_until: Some(add_months(decided_on, months)),
            outcome: Some(if with_conditions { DecisionOutcome::MedVillkor } else { DecisionOutcome::Driftgodkanns }),
            conditions: if with_conditions {
                vec![Condition {
                    text: "Multifaktorautentisering ska vara införd för alla användare.".into(),
                    due_on: Some(decided_on + Duration::days(120)),
                }]
            } else {
                Vec::new()
            },
            ..Default::default()
        };
        if months == 12 && self.chance(0.3) {
            // Renewed: the first version is replaced by a second.
            let first = self.w.insert(Decision { state: DecisionState::Ersatt, ..d.clone() })?;
            let renewed_on = add_months(decided_on, 12).min(self.today);
            d.version = first.version + 1;
            d.decided_on = Some(renewed_on);
            d.valid_until = Some(add_months(renewed_on, 12));
        }
        self.w.insert(d)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn the_vocabulary_parses() {
        let v: Vocabulary = serde_json::from_str(VOCABULARY).unwrap();
        assert!(v.systems.len() >= 60);
        assert!(v.forvaltningar.len() >= 6);
        for s in &v.systems {
            assert!(!s.information_sets.is_empty(), "{}", s.name);
            if let Some(f) = &s.forvaltning {
                assert!(v.forvaltningar.iter().any(|x| &x.name == f), "{f}");
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_municipality() {
        let build_once = |seed| {
            let mut store = Store::open_in_memory().unwrap();
            build(&mut store, &DemoConfig { systems: 20, seed, today: Some(day()) }).unwrap();
            let systems: Vec<(SystemId, String)> =
                store.list::<System>().unwrap().into_iter().map(|s| (s.id, s.name)).collect();
            let risks: Vec<(u8, u8)> =
                store.list::<Risk>().unwrap().into_iter().map(|r| (r.probability, r.consequence)).collect();
            (systems, risks)
        };
        assert_eq!(build_once(5), build_once(5));
        assert_ne!(build_once(5), build_once(6));
    }

    #[test]
    fn a_demo_has_every_band_overdue_items_and_a_sound_database() {
        let mut store = Store::open_in_memory().unwrap();
        let summary = build(&mut store, &DemoConfig { systems: 60, seed: 1, today: Some(day()) }).unwrap();
        assert_eq!(summary.systems, 60);
        assert!(
            summary.forvaltningar >= 6 && summary.people > 30 && summary.risks > 20 && summary.decisions > 0,
            "{summary:?}"
        );
        let matrix = &store.method().definition.risk_matrix;
        let bands: HashSet<usize> = store
            .list::<Risk>()
            .unwrap()
            .iter()
            .filter_map(|r| crate::risk::inherent(matrix, r))
            .map(|l| l.band_index)
            .collect();
        assert_eq!(bands.len(), matrix.bands.len(), "risks in every band");
        let due = crate::queries::due_list(&store, day()).unwrap();
        for kind in [crate::due::DueKind::Omklassning, crate::due::DueKind::Atgard, crate::due::DueKind::Avtal] {
            assert!(due.iter().any(|d| d.kind == kind), "{kind:?} missing from the yearly cycle");
        }
        assert!(store.count::<Dependency>().unwrap() > 10);
        let report = store.check().unwrap();
        assert!(report.is_sound(), "{:?}", report.problems);
    }

    #[test]
    fn a_demo_into_a_database_with_systems_is_refused() {
        let mut store = Store::open_in_memory().unwrap();
        build(&mut store, &DemoConfig { systems: 3, seed: 1, today: Some(day()) }).unwrap();
        let e = build(&mut store, &DemoConfig { systems: 3, seed: 1, today: Some(day()) }).unwrap_err();
        assert!(e.to_string().contains("ny databasfil"), "{e}");
        assert!(
            build(&mut Store::open_in_memory().unwrap(), &DemoConfig { systems: 0, ..Default::default() }).is_err()
        );
    }
}
