//! The demo's recurring duties, so a newcomer sees them at once: controls done in time, due
//! soon, late and done with findings (which became an action), one for a whole förvaltning; an
//! exception that holds and one that ran out with its gap back; an extra requirement from a
//! contract; and the first system's systemsäkerhetsplan texts. Fixed, not drawn: the random
//! sequence of the rest of the demo stays as it was.

use super::builder::{Builder, World};
use crate::error::Result;
use crate::method::Mandate;
use crate::model::*;
use crate::ops::controls::record_done;
use crate::store::Read;
use chrono::{Duration, NaiveDate};

impl Builder<'_, '_> {
    pub(super) fn controls(&mut self, world: &World) -> Result<()> {
        let today = self.today;
        let kinds = self.w.list::<ControlKind>()?;
        let kind = |name: &str| kinds.iter().find(|k| k.name == name).cloned();
        let system = |i: usize| world.systems.get(i % world.systems.len().max(1)).copied();
        let samordnare = |f| world.people.get(&f).map(|p| p.samordnare);

        // (kind, system index, method, first due, done: (days ago, result, findings, figures))
        type Done<'a> = (i64, ControlResult, &'a str, (Option<u32>, Option<u32>, Option<u32>));
        let plans: [(&str, usize, &str, Option<Done>); 4] = [
            // Done eleven months ago without remarks: due within the month.
            (
                "Behörighetsgranskning",
                0,
                "Behörighetslistan samkörs mot personalsystemet; chefer intygar sina medarbetares behörigheter.",
                Some((335, ControlResult::UtanAnmarkning, "", (Some(212), Some(9), None))),
            ),
            // Done fourteen months ago: late.
            (
                "Återläsningstest",
                1,
                "En hel databas läses tillbaka till testmiljön och kontrolleras mot produktion.",
                Some((425, ControlResult::UtanAnmarkning, "", (None, None, Some(6)))),
            ),
            // Monthly, done ten days ago with findings: an action came of it.
            (
                "Logguppföljning",
                2,
                "Säkerhetsloggen granskas mot larmlistan.",
                Some((
                    10,
                    ControlResult::MedAvvikelser,
                    "Upprepade misslyckade inloggningar från utländska adresser utreddes inte.",
                    (None, None, None),
                )),
            ),
            // Never done, first due two months ago: late.
            ("Leverantörsuppföljning", 3, "Leverantörens säkerhetsrapport gås igenom mot avtalets krav.", None),
        ];
        for (name, i, method, done) in plans {
            let (Some(k), Some((sid, f))) = (kind(name), system(i)) else { continue };
            let s: System = self.w.get(sid)?;
            let first_due = match done {
                Some((ago, ..)) => today - Duration::days(ago),
                None => today - Duration::days(60),
            };
            let control = self.w.insert(Control {
                kind_id: k.id,
                title: format!("{} – {}", k.name, s.name),
                system_id: Some(sid),
                forvaltning_id: Some(f),
                interval_months: k.interval_months,
                responsible_id: samordnare(f),
                method: method.into(),
                requirement_codes: k.requirement_codes.clone(),
                first_due,
                ..Default::default()
            })?;
            if let Some((ago, result, findings, (reviewed, removed, hours))) = done {
                let by = self.names(&[samordnare(f).unwrap_or_default()])?.into_iter().next().unwrap_or_default();
                let run = ControlDone {
                    control_id: control.id,
                    done_on: today - Duration::days(ago),
                    done_by: if by.is_empty() { "Informationssäkerhetssamordnaren".into() } else { by },
                    result,
                    findings: findings.into(),
                    note: String::new(),
                    method: String::new(),
                    accounts_reviewed: reviewed,
                    accounts_removed: removed,
                    restore_hours: hours,
                };
                record_done(self.w, &control, &k, &run)?;
            }
        }

        // A control of the whole kommunstyrelseförvaltning, due in three weeks.
        if let Some(k) = kind("Kontinuitetsövning") {
            self.w.insert(Control {
                kind_id: k.id,
                title: "Kontinuitetsövning – Kommunstyrelseförvaltningen".into(),
                forvaltning_id: Some(world.ks),
                interval_months: k.interval_months,
                responsible_id: samordnare(world.ks),
                method: "Skrivbordsövning: ett dygns avbrott i e-post och ärendehantering.".into(),
                requirement_codes: k.requirement_codes.clone(),
                first_due: today + Duration::days(21),
                ..Default::default()
            })?;
        }

        self.exceptions_and_extras(world, today)
    }

    fn exceptions_and_extras(&mut self, world: &World, today: NaiveDate) -> Result<()> {
        let code = |c: &str| world.requirements.iter().find(|r| r.code == c).map(|r| r.id);
        let chef = |f| world.people.get(&f).map(|p| p.chef);
        // An exception that holds: patches within the set time cannot be met until the supplier's
        // next version.
        if let (Some((sid, f)), Some(req)) = (world.systems.first().copied(), code("K-04")) {
            self.w.insert(Exception {
                system_id: sid,
                requirement_id: req,
                reason: "Leverantörens nuvarande version stöds inte på det senaste operativsystemet; uppgradering planeras till nästa version.".into(),
                compensating: "Servern är isolerad i eget nätsegment och nås bara via hoppserver.".into(),
                probability: Some(2),
                consequence: Some(2),
                approved_by: chef(f),
                approved_as: Mandate::Forvaltningschef,
                approved_on: today - Duration::days(90),
                valid_until: today + Duration::days(180),
                ..Default::default()
            })?;
        }
        // One that ran out twenty days ago, with its requirement still unmet: the gap is back.
        if let (Some((sid, f)), Some(req)) = (world.systems.get(1).copied(), code("K-01")) {
            self.w.insert(Exception {
                system_id: sid,
                requirement_id: req,
                reason: "Gemensamt konto i reservrutinen tills personliga konton finns i nya versionen.".into(),
                compensating: "Kontot är spärrat utom vid avbrott; användning loggas.".into(),
                approved_by: chef(f),
                approved_as: Mandate::Systemagare,
                approved_on: today - Duration::days(400),
                valid_until: today - Duration::days(20),
                ..Default::default()
            })?;
            let statuses = self.w.list_by::<RequirementStatus>("system_id", &sid.to_string())?;
            match statuses.into_iter().find(|s| s.requirement_id == req) {
                Some(s) => {
                    self.w.update(RequirementStatus {
                        status: Compliance::EjUppfyllt,
                        how: "Gemensamt konto finns kvar i reservrutinen.".into(),
                        ..s
                    })?;
                }
                None => {
                    self.w.insert(RequirementStatus {
                        system_id: sid,
                        requirement_id: req,
                        status: Compliance::EjUppfyllt,
                        how: "Gemensamt konto finns kvar i reservrutinen.".into(),
                        assessed_on: Some(today - Duration::days(60)),
                        ..Default::default()
                    })?;
                }
            }
        }
        // An extra requirement from a contract on the first system.
        if let (Some((sid, _)), Some(req)) = (world.systems.first().copied(), code("T-10")) {
            self.w.insert(ExtraRequirement {
                system_id: sid,
                requirement_id: req,
                source: RequirementSource::Avtal,
                note: "Driftavtal 2025-031, bilaga 2: redundant drift i två datahallar.".into(),
                ..Default::default()
            })?;
        }
        // The first system's systemsäkerhetsplan texts.
        if let Some((sid, _)) = world.systems.first().copied() {
            self.w.insert(SecurityPlan {
                system_id: sid,
                access_profiles: "Tre profiler: läsare (alla medarbetare i förvaltningen), handläggare (beslutas av enhetschef), administratör (två namngivna i IT-enheten, separata konton).".into(),
                logging: "Inloggningar, behörighetsändringar och administrativa händelser loggas centralt och sparas i två år; logguppföljning varje månad av systemförvaltaren.".into(),
                backup: "Daglig säkerhetskopia med 30 dagars historik, en kopia utanför produktionsmiljön; återläsning testas årligen.".into(),
                continuity: "Reservrutin på papper med blanketter i pärm hos enhetschef; övas årligen.".into(),
                organisation: "Systemägare: förvaltningschefen. Systemförvaltare och teknisk förvaltare enligt rollerna i registret; leverantörens support nås dygnet runt.".into(),
                other: String::new(),
                ..Default::default()
            })?;
        }
        Ok(())
    }
}
