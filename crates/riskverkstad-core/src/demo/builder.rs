//! Building the demo municipality inside one write, step by step: the organisation, its
//! people and the parties outside it, then each system with its roles, dependencies,
//! information and classifications, a raise now and then, requirement statuses, risk
//! analyses with their actions, and decisions. Every random choice is drawn from one seeded
//! generator in a fixed order, so that the same seed and day give the same municipality.

use super::vocabulary::{SystemEntry, Vocabulary};
use crate::error::Result;
use crate::ids::*;
use crate::method::RiskMatrix;
use crate::model::*;
use crate::store::Read;
use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};

pub(super) struct People {
    pub(super) chef: PersonId,
    pub(super) samordnare: PersonId,
    enhetschefer: Vec<PersonId>,
    forvaltare: Vec<PersonId>,
    tekniker: Vec<PersonId>,
}

pub(super) struct Builder<'w, 'a> {
    pub w: &'w mut crate::store::Writer<'a>,
    pub rng: ChaCha8Rng,
    pub vocab: &'w Vocabulary,
    pub today: NaiveDate,
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

/// What the demo has built so far, that later steps draw on.
pub(super) struct World {
    pub(super) forvaltningar: Vec<Forvaltning>,
    pub(super) units: HashMap<ForvaltningId, Vec<Unit>>,
    /// The kommunstyrelseförvaltning: systems without a home go there.
    pub(super) ks: ForvaltningId,
    pub(super) people: HashMap<ForvaltningId, People>,
    pub(super) suppliers: Vec<(ExternalPartyId, OperationForm, DataLocation)>,
    pub(super) parties: Vec<ExternalPartyId>,
    pub(super) requirements: Vec<Requirement>,
    pub(super) threats: Vec<Threat>,
    pub(super) method_version: MethodVersionId,
    pub(super) matrix: RiskMatrix,
    pub(super) used_system_names: HashSet<String>,
    pub(super) systems: Vec<(SystemId, ForvaltningId)>,
    /// An information set several systems share (personal data, not sensitive).
    pub(super) shared_set: Option<InformationSetId>,
    pub(super) first_analysis: bool,
}

/// Where the `i`th system goes and what it is called.
struct Placed<'v> {
    template: &'v SystemEntry,
    round: usize,
    i: usize,
    forvaltning: ForvaltningId,
    f_short: String,
    unit: Option<Unit>,
    name: String,
}

/// Who works with one system.
#[derive(Clone, Copy)]
pub(super) struct Staff {
    pub(super) chef: PersonId,
    pub(super) samordnare: PersonId,
    pub(super) owner: PersonId,
    pub(super) systemforvaltare: PersonId,
    pub(super) tekniker: PersonId,
    pub(super) enhetschef: PersonId,
}

/// The system templates taken round-robin over förvaltningar, so that even a small demo has
/// systems in every förvaltning and bolag.
fn system_order(vocab: &Vocabulary) -> Vec<&SystemEntry> {
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
    order
}

impl Builder<'_, '_> {
    pub(super) fn days_ago(&mut self, range: std::ops::Range<i64>) -> NaiveDate {
        self.today - Duration::days(self.rng.random_range(range))
    }

    pub(super) fn pick<'v, T>(&mut self, items: &'v [T]) -> &'v T {
        items.choose(&mut self.rng).expect("demo vocabulary lists are never empty")
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    pub(super) fn run(mut self, n: usize) -> Result<()> {
        let mut world = self.organisation()?;
        self.people(&mut world, n)?;
        self.parties(&mut world)?;
        let order = system_order(self.vocab);
        for i in 0..n {
            self.system(&mut world, &order, i)?;
        }
        self.incidents(&world)?;
        self.controls(&world)
    }

    /// The organisation, its förvaltningar and units, and what systems are checked against.
    fn organisation(&mut self) -> Result<World> {
        let vocab = self.vocab;
        let org = self.w.insert(Organisation {
            name: vocab.organisation.clone(),
            org_number: Some("212000-0000".into()),
            ..Default::default()
        })?;
        let mut world = World {
            forvaltningar: Vec::new(),
            units: HashMap::new(),
            ks: ForvaltningId::default(),
            people: HashMap::new(),
            suppliers: Vec::new(),
            parties: Vec::new(),
            requirements: self.w.list::<Requirement>()?,
            threats: self.w.list::<Threat>()?,
            method_version: self.w.method().id,
            matrix: self.w.method().definition.risk_matrix.clone(),
            used_system_names: HashSet::new(),
            systems: Vec::new(),
            shared_set: None,
            first_analysis: true,
        };
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
                world.units.entry(fv.id).or_default().push(unit);
            }
            world.forvaltningar.push(fv);
        }
        world.ks = world.forvaltningar[0].id;
        Ok(world)
    }

    /// People: a chef, a samordnare, enhetschefer, förvaltare and tekniker per förvaltning.
    fn people(&mut self, world: &mut World, n: usize) -> Result<()> {
        let vocab = self.vocab;
        let mut used_names = HashSet::new();
        let mut used_emails = HashSet::new();
        let per_forvaltning = n.div_ceil(world.forvaltningar.len());

        for f in &world.forvaltningar {
            let f_units = world.units.get(&f.id).cloned().unwrap_or_default();
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
            let chef = person(self, "forvaltningschef", None)?;
            let samordnare = person(self, "informationssakerhetssamordnare", None)?;
            let mut enhetschefer = Vec::new();
            for u in &f_units {
                enhetschefer.push(person(self, "enhetschef", Some(u.id))?);
            }
            let staff = (per_forvaltning / 3).max(2);
            let mut forvaltare = Vec::new();
            let mut tekniker = Vec::new();
            for i in 0..staff {
                let unit = f_units.get(i % f_units.len().max(1)).map(|u| u.id);
                forvaltare.push(person(self, "systemforvaltare", unit)?);
                if i % 2 == 0 {
                    tekniker.push(person(self, "it_tekniker", None)?);
                }
            }
            if f.id == world.ks {
                person(self, "dataskyddsombud", None)?;
            }
            world.people.insert(f.id, People { chef, samordnare, enhetschefer, forvaltare, tekniker });
        }
        Ok(())
    }

    /// External parties: suppliers and the authorities systems exchange data with.
    fn parties(&mut self, world: &mut World) -> Result<()> {
        let vocab = self.vocab;

        for s in &vocab.suppliers {
            let p = self.w.insert(ExternalParty {
                name: s.name.clone(),
                kind: PartyKind::Leverantor,
                ..Default::default()
            })?;
            world.suppliers.push((p.id, s.operation, s.data_location));
        }

        for name in &vocab.external_parties {
            let kind =
                if name.contains("AB") || name.contains("centralen") { PartyKind::Annan } else { PartyKind::Myndighet };
            world.parties.push(self.w.insert(ExternalParty { name: name.clone(), kind, ..Default::default() })?.id);
        }

        Ok(())
    }

    /// The `i`th system with everything around it.
    fn system(&mut self, world: &mut World, order: &[&SystemEntry], i: usize) -> Result<()> {
        let template = order[i % order.len()];
        let round = i / order.len();
        let home = template
            .forvaltning
            .as_deref()
            .and_then(|f| world.forvaltningar.iter().find(|x| x.name == f).map(|x| x.id))
            .unwrap_or(world.ks);
        let forvaltning = if round > 0 && self.chance(0.5) { self.pick(&world.forvaltningar).id } else { home };
        let f_short =
            world.forvaltningar.iter().find(|f| f.id == forvaltning).map(|f| f.short_name.clone()).unwrap_or_default();
        let f_units = world.units.get(&forvaltning).cloned().unwrap_or_default();
        let unit = if f_units.is_empty() { None } else { Some(self.pick(&f_units).clone()) };
        let mut candidates = vec![template.name.clone(), format!("{} ({f_short})", template.name)];
        if let Some(u) = &unit {
            candidates.push(format!("{} – {}", template.name, u.name));
        }
        let name = candidates.into_iter().find(|c| !world.used_system_names.contains(c)).unwrap_or_else(|| {
            (2..)
                .map(|k| format!("{} ({f_short}) {k}", template.name))
                .find(|c| !world.used_system_names.contains(c))
                .unwrap_or_default()
        });
        world.used_system_names.insert(name.clone());
        // The levels this instance's information sets get: the template's, varied a little
        // after the first round.
        let mut set_levels = Vec::new();
        for s in &template.information_sets {
            let vary = |b: &mut Self, l: u8| {
                if round == 0 || l == 4 { l } else { (l as i8 + b.rng.random_range(-1..=1)).clamp(0, 3) as u8 }
            };
            set_levels.push([vary(self, s.k), vary(self, s.r), vary(self, s.t), vary(self, s.s)]);
        }
        let placed = Placed { template, round, i, forvaltning, f_short, unit, name };
        let (system, staff) = self.new_system(world, &placed, &set_levels)?;
        let sid = system.id;
        self.roles(sid, staff)?;
        self.dependencies(world, sid)?;
        let mut hwm = self.information(world, template, &set_levels, i, sid, forvaltning, staff)?;
        self.raise(world, sid, &mut hwm, staff)?;
        let in_use = matches!(system.lifecycle, Lifecycle::IDrift | Lifecycle::UnderAvveckling);
        if in_use {
            self.requirement_statuses(world, sid, &hwm, staff)?;
            self.analysis(world, &system, staff)?;
        }
        world.systems.push((sid, forvaltning));
        Ok(())
    }

    /// The system itself: its facts drawn for the template, in its förvaltning and unit, with
    /// the people who own and run it.
    fn new_system(
        &mut self,
        world: &mut World,
        placed: &Placed<'_>,
        set_levels: &[[u8; 4]],
    ) -> Result<(System, Staff)> {
        let (template, round, i, forvaltning) = (placed.template, placed.round, placed.i, placed.forvaltning);
        let (f_short, unit, name) = (&placed.f_short, &placed.unit, placed.name.clone());
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
        let (supplier, operation, location) = *self.pick(&world.suppliers);
        let since = self.days_ago(200..5000);
        let nis2 = if template.samhallsviktig {
            Nis2::Vasentlig
        } else if template.critical && self.chance(0.5) {
            Nis2::Viktig
        } else {
            Nis2::EjTillampligt
        };
        let p = &world.people[&forvaltning];
        let (chef, samordnare) = (p.chef, p.samordnare);
        let systemforvaltare = *self.pick(&p.forvaltare);
        let tekniker = *self.pick(&p.tekniker);
        let enhetschef = if p.enhetschefer.is_empty() { chef } else { *self.pick(&p.enhetschefer) };
        let owner = if template.critical { chef } else { enhetschef };
        let critical = template.critical;
        let contract_end =
            if self.chance(0.9) { Some(self.today + Duration::days(self.rng.random_range(-60..1400))) } else { None };
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
        Ok((system, Staff { chef, samordnare, owner, systemforvaltare, tekniker, enhetschef }))
    }

    /// The system's roles: owner, förvaltare, tekniker, and now and then a verksamhetsansvarig.
    fn roles(&mut self, sid: SystemId, staff: Staff) -> Result<()> {
        let Staff { owner, systemforvaltare, tekniker, enhetschef, .. } = staff;
        for (role, person) in [
            (Role::Systemagare, owner),
            (Role::Systemforvaltare, systemforvaltare),
            (Role::TekniskForvaltare, tekniker),
        ] {
            self.w.insert(RoleAssignment { person_id: person, role, system_id: Some(sid), ..Default::default() })?;
        }
        if self.chance(0.3) {
            self.w.insert(RoleAssignment {
                person_id: enhetschef,
                role: Role::Verksamhetsansvarig,
                system_id: Some(sid),
                ..Default::default()
            })?;
        }
        Ok(())
    }

    /// Dependencies: on earlier systems and on external parties.
    fn dependencies(&mut self, world: &mut World, sid: SystemId) -> Result<()> {
        // Dependencies: on earlier systems and on external parties.
        if !world.systems.is_empty() && self.chance(0.6) {
            for _ in 0..self.rng.random_range(1..=2) {
                let (target, _) = *self.pick(&world.systems);
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
            let party = *self.pick(&world.parties);
            self.w.insert(Dependency {
                system_id: sid,
                depends_on_party_id: Some(party),
                kind: DependencyKind::Fil,
                description: Some("Filöverföring av underlag".into()),
                ..Default::default()
            })?;
        }
        Ok(())
    }

    pub(super) fn names(&mut self, ids: &[PersonId]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for id in ids {
            let name = self.w.get::<Person>(*id)?.name;
            if !out.contains(&name) {
                out.push(name);
            }
        }
        Ok(out)
    }
}
