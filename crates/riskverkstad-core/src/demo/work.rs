//! The work done on each demo system after it is made: its information sets and their
//! classifications, a raise now and then, requirement statuses, a risk analysis with risks,
//! acceptances and actions, and decisions. Still one seeded generator, in the same order.

use super::builder::{Builder, Staff, World};
use super::vocabulary::{ScenarioEntry, SystemEntry};
use crate::error::Result;
use crate::ids::*;
use crate::method::{Aspect, Mandate};
use crate::model::*;
use crate::store::Read;
use chrono::{Duration, NaiveDate};
use rand::Rng;

impl Builder<'_, '_> {
    /// Information sets and their classifications; returns the high-water mark per aspect.
    #[allow(clippy::too_many_arguments)] // one step of one system: every argument is its own
    pub(super) fn information(
        &mut self,
        world: &mut World,
        template: &SystemEntry,
        set_levels: &[[u8; 4]],
        i: usize,
        sid: SystemId,
        forvaltning: ForvaltningId,
        staff: Staff,
    ) -> Result<[u8; 4]> {
        let Staff { chef, samordnare, owner, systemforvaltare, .. } = staff;
        // Information sets and their classifications.
        let mut hwm = [0u8; 4];
        for (s, levels) in template.information_sets.iter().zip(set_levels) {
            let set = self.w.insert(InformationSet {
                name: s.name.clone(),
                description: s.description.clone(),
                forvaltning_id: Some(forvaltning),
                personal_data: Some(s.personal_data),
                sensitive_personal_data: Some(s.sensitive),
                ..Default::default()
            })?;
            self.w.insert(SystemInformationSet { system_id: sid, information_set_id: set.id, ..Default::default() })?;
            self.w.insert(RoleAssignment {
                person_id: owner,
                role: Role::Informationsagare,
                information_set_id: Some(set.id),
                ..Default::default()
            })?;
            if world.shared_set.is_none() && s.personal_data && !s.sensitive {
                world.shared_set = Some(set.id);
            }
            if i > 3 && self.chance(0.05) {
                continue; // left unclassified: shows up in the yearly cycle
            }
            for (h, l) in hwm.iter_mut().zip(levels) {
                *h = (*h).max(*l);
            }
            self.classify(set.id, *levels, world.method_version, &[samordnare, systemforvaltare, owner], chef)?;
        }
        if let Some(shared) = world.shared_set.filter(|_| self.chance(0.08)) {
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
        Ok(hwm)
    }

    /// A raise now and then (aggregering/ackumulering).
    pub(super) fn raise(&mut self, world: &mut World, sid: SystemId, hwm: &mut [u8; 4], staff: Staff) -> Result<()> {
        let owner = staff.owner;
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
                    method_version_id: world.method_version,
                    ..Default::default()
                })?;
        }
        Ok(())
    }

    /// Requirement statuses for part of the register; gaps get actions now and then.
    pub(super) fn requirement_statuses(
        &mut self,
        world: &mut World,
        sid: SystemId,
        hwm: &[u8; 4],
        staff: Staff,
    ) -> Result<()> {
        let systemforvaltare = staff.systemforvaltare;
        // Requirement statuses for part of the register; gaps get actions now and then.
        if self.chance(0.3) {
            for req in &world.requirements {
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
                    _ => String::new(),
                };
                let reason = match status {
                    Compliance::EjTillampligt => "Kravet är inte relevant för systemets funktion.".to_string(),
                    _ => String::new(),
                };
                let evidence = match status {
                    Compliance::Uppfyllt => "Protokoll från systemöversynen".to_string(),
                    _ => String::new(),
                };
                let assessed_on = Some(self.days_ago(10..400));
                self.w.insert(RequirementStatus {
                    system_id: sid,
                    requirement_id: req.id,
                    status,
                    how,
                    reason,
                    evidence,
                    assessed_on,
                    assessed_by: Some(systemforvaltare),
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
        Ok(())
    }

    /// A risk analysis (critical systems almost always, others sometimes) with its risks,
    /// acceptances and actions, and a driftgodkännande now and then.
    pub(super) fn analysis(&mut self, world: &mut World, system: &System, staff: Staff) -> Result<()> {
        let vocab = self.vocab;
        let (sid, critical) = (system.id, system.business_critical);
        let Staff { chef, samordnare, owner, systemforvaltare, tekniker, .. } = staff;
        // Risk analyses: critical systems almost always, others sometimes.
        if self.chance(if critical { 0.9 } else { 0.35 }) {
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
                method_version_id: world.method_version,
                status: AnalysisStatus::Klar,
                ..Default::default()
            })?;
            let cells: Vec<(u8, u8)> = if world.first_analysis {
                vec![(1, 1), (1, 2), (2, 3), (3, 2), (3, 4), (4, 4)]
            } else {
                (0..self.rng.random_range(3..=7))
                    .map(|_| (self.rng.random_range(1..=4), self.rng.random_range(1..=4)))
                    .collect()
            };
            world.first_analysis = false;
            let mut scenarios: Vec<&ScenarioEntry> = vocab.risk_scenarios.iter().collect();
            for (p, c) in cells {
                let k = self.rng.random_range(0..scenarios.len());
                let scenario = scenarios.swap_remove(k);
                let threat = self.pick(&world.threats).id;
                let band = crate::risk::band_index(&world.matrix, p, c).unwrap_or(0);
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
                        "Risken bedöms som acceptabel i förhållande till kostnaden för ytterligare åtgärder.".into();
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
                    let within = world.matrix.bands[band].acceptance.treat_within_days.unwrap_or(330).min(330) as i64;
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
                self.decision(system, analysed_on, chef, samordnare)?;
            }
        }
        Ok(())
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
