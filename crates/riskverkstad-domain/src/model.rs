//! The domain's records, one type per concept, named as in `docs/ARCHITECTURE.md`'s glossary.
//! Each record has a UUID v7 id, its origin installation, a revision and UTC timestamps (added
//! by `record!`), and checks its own fields in [`Validate`]. Checks that need other records
//! (the high-water mark, acceptance rules) live in [`crate::profile`] and [`crate::risk`].

use crate::error::Invalid;
use crate::ids::*;
use crate::method::{Aspect, Mandate, Method};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::record::Validate;

fn required(field: &str, value: &str) -> Result<(), Invalid> {
    if value.trim().is_empty() { Err(Invalid::new(field, "får inte vara tomt")) } else { Ok(()) }
}

text_enum! {
    /// Förvaltning or kommunalt bolag.
    pub enum ForvaltningKind {
        /// A förvaltning.
        Forvaltning = "forvaltning" / "Förvaltning",
        /// A municipal company.
        Bolag = "bolag" / "Bolag",
    }
}

text_enum! {
    /// The roles a person can hold for a system or an information set.
    pub enum Role {
        /// Accountable for a system.
        Systemagare = "systemagare" / "Systemägare",
        /// Accountable for an information set.
        Informationsagare = "informationsagare" / "Informationsägare",
        /// Business-side administrator of a system.
        Systemforvaltare = "systemforvaltare" / "Systemförvaltare",
        /// Technical administrator.
        TekniskForvaltare = "teknisk_forvaltare" / "Teknisk förvaltare",
        /// Responsible for the business that uses the system.
        Verksamhetsansvarig = "verksamhetsansvarig" / "Verksamhetsansvarig",
        /// IT manager.
        ItAnsvarig = "it_ansvarig" / "IT-ansvarig",
        /// Data protection officer.
        Dataskyddsombud = "dataskyddsombud" / "Dataskyddsombud",
        /// pm3 object owner.
        Objektagare = "objektagare" / "Objektägare",
        /// pm3 förvaltningsledare.
        Forvaltningsledare = "forvaltningsledare" / "Förvaltningsledare",
    }
}

text_enum! {
    /// Kind of external party.
    pub enum PartyKind {
        /// A supplier.
        Leverantor = "leverantor" / "Leverantör",
        /// A public authority.
        Myndighet = "myndighet" / "Myndighet",
        /// Anything else.
        Annan = "annan" / "Annan",
    }
}

text_enum! {
    /// System category.
    pub enum SystemCategory {
        /// Supports the core business.
        Verksamhetssystem = "verksamhetssystem" / "Verksamhetssystem",
        /// Supports administration.
        Stodsystem = "stodsystem" / "Stödsystem",
        /// Infrastructure.
        Infrastruktur = "infrastruktur" / "Infrastruktur",
        /// A platform other systems build on.
        Plattform = "plattform" / "Plattform",
    }
}

text_enum! {
    /// Life-cycle status.
    pub enum Lifecycle {
        /// Planned.
        Planerad = "planerad" / "Planerad",
        /// Being introduced.
        UnderInforande = "under_inforande" / "Under införande",
        /// In operation.
        IDrift = "i_drift" / "I drift",
        /// Being phased out.
        UnderAvveckling = "under_avveckling" / "Under avveckling",
        /// Phased out.
        Avvecklad = "avvecklad" / "Avvecklad",
    }
}

text_enum! {
    /// How the system is operated.
    pub enum OperationForm {
        /// Run by the municipality.
        EgenDrift = "egen_drift" / "Egen drift",
        /// Run by a supplier.
        ExternDrift = "extern_drift" / "Extern drift",
        /// Cloud service / SaaS.
        Molntjanst = "molntjanst" / "Molntjänst/SaaS",
    }
}

text_enum! {
    /// Where the data is stored and processed.
    pub enum DataLocation {
        /// In Sweden.
        Sverige = "sverige" / "Sverige",
        /// In the EU/EEA.
        EuEes = "eu_ees" / "EU/EES",
        /// In a third country.
        TredjeLand = "tredje_land" / "Tredje land",
    }
}

text_enum! {
    /// Classification under the NIS2 law (cybersäkerhetslagen).
    pub enum Nis2 {
        /// Not applicable (the default).
        EjTillampligt = "ej_tillampligt" / "Ej tillämplig",
        /// Important.
        Viktig = "viktig" / "Viktig",
        /// Essential.
        Vasentlig = "vasentlig" / "Väsentlig",
    }
}

text_enum! {
    /// How a system depends on another.
    pub enum DependencyKind {
        /// An API integration.
        Api = "api" / "API",
        /// File transfer.
        Fil = "fil" / "Fil",
        /// Replication.
        Replikering = "replikering" / "Replikering",
        /// A manual step.
        Manuell = "manuell" / "Manuell",
    }
}

text_enum! {
    /// Status of a classification.
    pub enum ClassificationStatus {
        /// Draft.
        Utkast = "utkast" / "Utkast",
        /// Decided.
        Faststalld = "faststalld" / "Fastställd",
    }
}

text_enum! {
    /// Why a system's level is raised above its information sets'.
    pub enum RaiseReason {
        /// Large volumes.
        Ackumulering = "ackumulering" / "Ackumulering",
        /// Sets more sensitive combined.
        Aggregering = "aggregering" / "Aggregering",
        /// Integration with higher-level systems.
        Integration = "integration" / "Integration",
    }
}

text_enum! {
    /// A system's status against a requirement.
    pub enum Compliance {
        /// Met.
        Uppfyllt = "uppfyllt" / "Uppfyllt",
        /// Partly met.
        Delvis = "delvis" / "Delvis uppfyllt",
        /// Not met.
        EjUppfyllt = "ej_uppfyllt" / "Ej uppfyllt",
        /// Not applicable.
        EjTillampligt = "ej_tillampligt" / "Ej tillämpligt",
    }
}

text_enum! {
    /// Threat categories of the catalogue.
    pub enum ThreatCategory {
        /// Antagonistic threats and cyber attacks.
        Antagonistisk = "antagonistisk" / "Antagonistiska hot och cyberangrepp",
        /// Human mistakes.
        Misstag = "misstag" / "Mänskliga misstag",
        /// Technical failures.
        Tekniskt = "tekniskt_fel" / "Tekniska fel",
        /// Infrastructure and suppliers.
        Infrastruktur = "infrastruktur" / "Infrastruktur och leverantörer",
        /// Nature and physical environment.
        Natur = "natur" / "Natur och fysisk miljö",
        /// Administrative shortcomings.
        Administrativ = "administrativ" / "Administrativa brister",
    }
}

text_enum! {
    /// Risk treatment.
    pub enum Treatment {
        /// Reduce.
        Reducera = "reducera" / "Reducera",
        /// Accept.
        Acceptera = "acceptera" / "Acceptera",
        /// Avoid.
        Undvika = "undvika" / "Undvika",
        /// Transfer.
        Overfora = "overfora" / "Överföra",
    }
}

text_enum! {
    /// Action status.
    pub enum ActionStatus {
        /// Planned.
        Planerad = "planerad" / "Planerad",
        /// In progress.
        Pagar = "pagar" / "Pågår",
        /// Done.
        Genomford = "genomford" / "Genomförd",
        /// Cancelled.
        Avbruten = "avbruten" / "Avbruten",
    }
}

impl ActionStatus {
    /// True while the action still has to be done.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Planerad | ActionStatus::Pagar)
    }
}

text_enum! {
    /// Kinds of decision documents.
    pub enum DecisionKind {
        /// Approval for operation.
        Driftgodkannande = "driftgodkannande" / "Driftgodkännande",
        /// Risk acceptance.
        Riskacceptans = "riskacceptans" / "Riskacceptans",
        /// Classification record.
        Klassning = "klassning" / "Klassningsprotokoll",
        /// Action plan.
        Handlingsplan = "handlingsplan" / "Handlingsplan",
        /// Situation report.
        Lagesbild = "lagesbild" / "Lägesbild",
    }
}

text_enum! {
    /// State of a decision record.
    pub enum DecisionState {
        /// Being prepared.
        Utkast = "utkast" / "Utkast",
        /// Decided and frozen.
        Beslutad = "beslutad" / "Beslutad",
        /// Replaced by a later version.
        Ersatt = "ersatt" / "Ersatt",
    }
}

text_enum! {
    /// The outcome of a driftgodkännande.
    pub enum DecisionOutcome {
        /// Approved.
        Driftgodkanns = "driftgodkanns" / "Driftgodkänns",
        /// Approved with conditions.
        MedVillkor = "med_villkor" / "Driftgodkänns med villkor",
        /// Not approved.
        Inte = "inte" / "Driftgodkänns inte",
    }
}

macro_rules! sql_json {
    ($($t:ty),*) => {$(
        impl crate::column::SqlKind for $t { const KIND: crate::column::ColKind = crate::column::ColKind::Json; }
    )*};
}

/// One aspect's assessment in a classification.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AspectAssessment {
    /// The aspect.
    pub aspect: Aspect,
    /// The resulting level (the worst area's level when areas are assessed).
    pub level: u8,
    /// Why (required).
    pub motivering: String,
    /// Per consequence area: the level of the worst consequence.
    pub areas: Vec<AreaAssessment>,
}

/// The level chosen for one consequence area.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaAssessment {
    /// The consequence area's key.
    pub area: String,
    /// The level of the worst consequence in that area.
    pub level: u8,
}

/// A condition attached to a driftgodkännande.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// What must be done.
    pub text: String,
    /// By when.
    pub due_on: Option<NaiveDate>,
}

/// The key figures of a lägesbild, kept with the frozen decision so that the next lägesbild
/// can show the trend since it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct KeyFigures {
    /// Systems in scope.
    pub systems: u32,
    /// Of which verksamhetskritiska.
    pub critical: u32,
    /// Systems per highest protection level: index = level, the last entry = not classified.
    pub by_level: Vec<u32>,
    /// Risks per band, by band name, lowest band first.
    pub by_band: Vec<(String, u32)>,
    /// Overdue items in the yearly cycle.
    pub overdue: u32,
}

sql_json!(Vec<AspectAssessment>, Vec<Condition>, KeyFigures);

record! {
    /// The municipality (kommun) or other organisation.
    pub struct Organisation(OrganisationId) in "organisation", "Organisationen" {
        /// Name ("Norrvik kommun").
        pub name: String,
        /// Organisationsnummer.
        pub org_number: Option<String>,
    }
}

record! {
    /// A förvaltning or kommunalt bolag.
    pub struct Forvaltning(ForvaltningId) in "forvaltning", "Förvaltningen" {
        /// The organisation it belongs to.
        pub organisation_id: OrganisationId,
        /// Name.
        pub name: String,
        /// Short name ("SOC").
        pub short_name: String,
        /// Förvaltning or bolag.
        pub kind: ForvaltningKind,
    }
}

record! {
    /// A unit (enhet) within a förvaltning.
    pub struct Unit(UnitId) in "unit", "Enheten", owned by [forvaltning_id] {
        /// Its förvaltning.
        pub forvaltning_id: ForvaltningId,
        /// Name.
        pub name: String,
    }
}

record! {
    /// A person: role holder, participant, decision maker.
    pub struct Person(PersonId) in "person", "Personen", owned by [forvaltning_id] {
        /// Full name.
        pub name: String,
        /// E-mail address.
        pub email: Option<String>,
        /// Job title.
        pub title: Option<String>,
        /// Förvaltning.
        pub forvaltning_id: Option<ForvaltningId>,
        /// Unit.
        pub unit_id: Option<UnitId>,
    }
}

record! {
    /// A person holding a role for a system or an information set (exactly one of them).
    pub struct RoleAssignment(RoleAssignmentId) in "role_assignment", "Rolltilldelningen", owned by [system_id, information_set_id] {
        /// The person.
        pub person_id: PersonId,
        /// The role.
        pub role: Role,
        /// The system, for system roles.
        pub system_id: Option<SystemId>,
        /// The information set, for information roles.
        pub information_set_id: Option<InformationSetId>,
    }
}

record! {
    /// A supplier, authority or other party outside the organisation.
    pub struct ExternalParty(ExternalPartyId) in "external_party", "Den externa parten" {
        /// Name.
        pub name: String,
        /// Kind.
        pub kind: PartyKind,
        /// Organisationsnummer.
        pub org_number: Option<String>,
    }
}

record! {
    /// A system in the register (systemförteckning).
    pub struct System(SystemId) in "system", "Systemet" {
        /// Name.
        pub name: String,
        /// Other names people use.
        pub aliases: Vec<String>,
        /// What it is for.
        pub description: String,
        /// Category.
        pub category: SystemCategory,
        /// Owning förvaltning or bolag.
        pub forvaltning_id: ForvaltningId,
        /// Owning unit.
        pub unit_id: Option<UnitId>,
        /// pm3 object.
        pub pm3_object: Option<String>,
        /// Life-cycle status.
        pub lifecycle: Lifecycle,
        /// In operation since.
        pub in_operation_since: Option<NaiveDate>,
        /// Planned or actual decommissioning date.
        pub decommission_on: Option<NaiveDate>,
        /// Supplier.
        pub supplier_id: Option<ExternalPartyId>,
        /// Contract end date.
        pub contract_end: Option<NaiveDate>,
        /// Notice period in months.
        pub notice_period_months: Option<u32>,
        /// Whether the contract contains security requirements (None: unknown).
        pub security_requirements_in_contract: Option<bool>,
        /// Operation form.
        pub operation_form: Option<OperationForm>,
        /// Data location.
        pub data_location: Option<DataLocation>,
        /// Holds personal data.
        pub personal_data: Option<bool>,
        /// Holds sensitive personal data (GDPR art. 9).
        pub sensitive_personal_data: Option<bool>,
        /// DPIA (konsekvensbedömning) done.
        pub dpia_done: Option<bool>,
        /// Processor agreement (personuppgiftsbiträdesavtal) in place.
        pub processor_agreement: Option<bool>,
        /// Verksamhetskritisk.
        pub business_critical: bool,
        /// Samhällsviktig.
        pub samhallsviktig: bool,
        /// Why it is samhällsviktig.
        pub samhallsviktig_reason: Option<String>,
        /// NIS2 classification.
        pub nis2: Nis2,
        /// Säkerhetsskydd applies.
        pub sakerhetsskydd: bool,
        /// RTO: longest acceptable outage, hours.
        pub rto_hours: Option<u32>,
        /// RPO: longest acceptable data loss, hours.
        pub rpo_hours: Option<u32>,
        /// Backup frequency ("dagligen").
        pub backup_frequency: Option<String>,
        /// When restore was last tested.
        pub restore_tested_on: Option<NaiveDate>,
        /// MFA in use.
        pub mfa: Option<bool>,
        /// Logging in place.
        pub logging: Option<bool>,
        /// Systemsäkerhetsplan exists.
        pub system_security_plan: Option<bool>,
        /// Last review date.
        pub last_review_on: Option<NaiveDate>,
        /// Who did the last review.
        pub last_review_by: Option<PersonId>,
        /// What else the department records about the system (a column of its Excel list
        /// that has no field here), kept by name in the order it came, and written back on
        /// export.
        #[serde(default)]
        pub extra: Vec<ExtraAttribute>,
    }
}

/// A named value kept with a system that has no field of its own.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct ExtraAttribute {
    /// The name (the column header it came from).
    pub name: String,
    /// The value, as text.
    pub value: String,
}

impl crate::column::SqlKind for Vec<ExtraAttribute> {
    const KIND: crate::column::ColKind = crate::column::ColKind::Json;
}

impl System {
    /// Critical for the yearly cycle: verksamhetskritisk, samhällsviktig or covered by NIS2.
    pub fn is_critical(&self) -> bool {
        self.business_critical || self.samhallsviktig || self.nis2 != Nis2::EjTillampligt
    }
}

record! {
    /// A system's dependency on another system or on an external party (exactly one).
    pub struct Dependency(DependencyId) in "dependency", "Beroendet", owned by [system_id] {
        /// The system that depends.
        pub system_id: SystemId,
        /// The system depended on.
        pub depends_on_system_id: Option<SystemId>,
        /// The external party depended on.
        pub depends_on_party_id: Option<ExternalPartyId>,
        /// How.
        pub kind: DependencyKind,
        /// Notes.
        pub description: Option<String>,
    }
}

record! {
    /// An informationsmängd.
    pub struct InformationSet(InformationSetId) in "information_set", "Informationsmängden", owned by [forvaltning_id] {
        /// Name ("Journalanteckningar").
        pub name: String,
        /// What it holds.
        pub description: String,
        /// The förvaltning responsible.
        pub forvaltning_id: Option<ForvaltningId>,
        /// Holds personal data.
        pub personal_data: Option<bool>,
        /// Holds sensitive personal data (art. 9).
        pub sensitive_personal_data: Option<bool>,
    }
}

record! {
    /// An information set held by a system (many-to-many).
    pub struct SystemInformationSet(SystemInformationSetId) in "system_information_set", "Kopplingen mellan system och informationsmängd", owned by [system_id] {
        /// The system.
        pub system_id: SystemId,
        /// The information set.
        pub information_set_id: InformationSetId,
    }
}

record! {
    /// One immutable version of the method; the newest is in force.
    pub struct MethodVersion(MethodVersionId) in "method_version", "Metodversionen" {
        /// 1, 2, 3 … in order.
        pub number: u32,
        /// What changed.
        pub note: String,
        /// The method.
        pub definition: Method,
    }
}

record! {
    /// A classification of an information set: one assessment per aspect.
    pub struct Classification(ClassificationId) in "classification", "Klassningen", owned by [information_set_id] {
        /// The information set.
        pub information_set_id: InformationSetId,
        /// The method version it was made under.
        pub method_version_id: MethodVersionId,
        /// Draft or decided.
        pub status: ClassificationStatus,
        /// One assessment per aspect assessed.
        pub assessments: Vec<AspectAssessment>,
        /// Who took part in the workshop.
        pub participants: Vec<String>,
        /// Date of the workshop.
        pub classified_on: NaiveDate,
        /// Who decided (fastställde) it.
        pub decided_by: Option<PersonId>,
        /// When it was decided.
        pub decided_on: Option<NaiveDate>,
    }
}

impl Classification {
    /// The level of an aspect, if assessed.
    pub fn level(&self, aspect: Aspect) -> Option<u8> {
        self.assessments.iter().find(|a| a.aspect == aspect).map(|a| a.level)
    }
    /// The date the 12-month validity runs from: the decision date, else the workshop date.
    pub fn valid_from(&self) -> NaiveDate {
        self.decided_on.unwrap_or(self.classified_on)
    }
    /// The last day of validity (12 months).
    pub fn valid_until(&self) -> NaiveDate {
        crate::ids::add_months(self.valid_from(), 12)
    }
}

record! {
    /// A raise of a system's protection level above its information sets' high-water mark.
    pub struct ProtectionRaise(ProtectionRaiseId) in "protection_raise", "Höjningen av skyddsnivån", owned by [system_id] {
        /// The system.
        pub system_id: SystemId,
        /// The aspect raised.
        pub aspect: Aspect,
        /// The level raised to.
        pub level: u8,
        /// Why.
        pub reason: RaiseReason,
        /// Motivation (required).
        pub motivering: String,
        /// Who decided.
        pub decided_by: Option<PersonId>,
        /// When.
        pub decided_on: NaiveDate,
        /// The method version it was made under.
        pub method_version_id: MethodVersionId,
    }
}

record! {
    /// A requirement of the requirements catalogue, tied to an aspect level.
    pub struct Requirement(RequirementId) in "requirement", "Kravet" {
        /// Code ("K-03").
        pub code: String,
        /// Title.
        pub title: String,
        /// What must be in place and how it is verified.
        pub description: String,
        /// The aspect.
        pub aspect: Aspect,
        /// Applies from this level up.
        pub min_level: u8,
        /// ISO/IEC 27002:2022 control numbers ("8.5").
        pub iso_controls: Vec<String>,
        /// Shipped with Riskverkstad (may still be edited).
        pub builtin: bool,
    }
}

record! {
    /// A system's status against one requirement, and how it is met.
    pub struct RequirementStatus(RequirementStatusId) in "requirement_status", "Kravstatusen", owned by [system_id] {
        /// The system.
        pub system_id: SystemId,
        /// The requirement.
        pub requirement_id: RequirementId,
        /// Status.
        pub status: Compliance,
        /// How the requirement is met ("hur").
        pub how: String,
        /// When it was assessed.
        pub assessed_on: Option<NaiveDate>,
    }
}

record! {
    /// A threat in the (editable) threat catalogue.
    pub struct Threat(ThreatId) in "threat", "Hotet" {
        /// Code ("H-01").
        pub code: String,
        /// Name.
        pub name: String,
        /// Category.
        pub category: ThreatCategory,
        /// Description.
        pub description: String,
        /// Aspects typically affected.
        pub aspects: Vec<Aspect>,
        /// Example cause ("På grund av …").
        pub orsak: String,
        /// Example event ("inträffar …").
        pub handelse: String,
        /// Example consequence ("vilket leder till …").
        pub konsekvens: String,
        /// Shipped with Riskverkstad.
        pub builtin: bool,
    }
}

record! {
    /// A risk analysis of a system or a process.
    pub struct RiskAnalysis(RiskAnalysisId) in "risk_analysis", "Riskanalysen", owned by [system_id] {
        /// Title.
        pub title: String,
        /// Scope (avgränsning).
        pub scope: String,
        /// Date of the analysis.
        pub analysed_on: NaiveDate,
        /// Participants.
        pub participants: Vec<String>,
        /// The system analysed, if any.
        pub system_id: Option<SystemId>,
        /// The process analysed, if not a system.
        pub process: Option<String>,
        /// The method version it was made under.
        pub method_version_id: MethodVersionId,
    }
}

record! {
    /// A risk: "På grund av (orsak) inträffar (händelse) vilket leder till (konsekvens)".
    pub struct Risk(RiskId) in "risk", "Risken", owned by [analysis_id] {
        /// The analysis it belongs to.
        pub analysis_id: RiskAnalysisId,
        /// The threat from the catalogue, if picked from it.
        pub threat_id: Option<ThreatId>,
        /// Short title.
        pub title: String,
        /// Cause.
        pub orsak: String,
        /// Event.
        pub handelse: String,
        /// Consequence.
        pub konsekvens: String,
        /// Affected aspects.
        pub aspects: Vec<Aspect>,
        /// Sannolikhet.
        pub probability: u8,
        /// Konsekvens.
        pub consequence: u8,
        /// Chosen treatment.
        pub treatment: Option<Treatment>,
        /// What the treatment is.
        pub treatment_description: String,
        /// Residual probability after treatment.
        pub residual_probability: Option<u8>,
        /// Residual consequence after treatment.
        pub residual_consequence: Option<u8>,
        /// Riskägare.
        pub owner_id: Option<PersonId>,
        /// Who accepted the (residual) risk.
        pub accepted_by: Option<PersonId>,
        /// The mandate under which it was accepted.
        pub accepted_as: Option<Mandate>,
        /// When.
        pub accepted_on: Option<NaiveDate>,
        /// Why.
        pub acceptance_reason: Option<String>,
    }
}

record! {
    /// An action (åtgärd) of the handlingsplan.
    pub struct Action(ActionId) in "action", "Åtgärden", owned by [system_id] {
        /// Title.
        pub title: String,
        /// Description.
        pub description: String,
        /// The system concerned, if any.
        pub system_id: Option<SystemId>,
        /// Responsible person.
        pub responsible_id: Option<PersonId>,
        /// Due date.
        pub due_on: Option<NaiveDate>,
        /// Status.
        pub status: ActionStatus,
        /// When it was done.
        pub completed_on: Option<NaiveDate>,
    }
}

record! {
    /// Links an action to a risk or to an unmet requirement (exactly one).
    pub struct ActionLink(ActionLinkId) in "action_link", "Åtgärdskopplingen", owned by [risk_id] {
        /// The action.
        pub action_id: ActionId,
        /// The risk it treats.
        pub risk_id: Option<RiskId>,
        /// The requirement it closes the gap for (on the action's system).
        pub requirement_id: Option<RequirementId>,
    }
}

record! {
    /// A decision (beslut) with its version; the PDF itself is produced by the report module.
    pub struct Decision(DecisionId) in "decision", "Beslutet", owned by [system_id, forvaltning_id] {
        /// Kind.
        pub kind: DecisionKind,
        /// Title.
        pub title: String,
        /// The system concerned.
        pub system_id: Option<SystemId>,
        /// The förvaltning concerned.
        pub forvaltning_id: Option<ForvaltningId>,
        /// Version: 1 for the first decision on the subject, then 2, 3 …
        pub version: u32,
        /// Summary of the content.
        pub summary: String,
        /// State.
        pub state: DecisionState,
        /// Diarienummer.
        pub diarienummer: Option<String>,
        /// Beslutsfattare.
        pub decided_by: Option<PersonId>,
        /// Föredragande.
        pub presented_by: Option<PersonId>,
        /// Decision date.
        pub decided_on: Option<NaiveDate>,
        /// Valid until (re-examination date).
        pub valid_until: Option<NaiveDate>,
        /// The outcome (driftgodkännande).
        pub outcome: Option<DecisionOutcome>,
        /// Conditions with dates (driftgodkännande med villkor).
        pub conditions: Vec<Condition>,
        /// The SHA-256 of the frozen PDF (see [`crate::decisions`]); `None` for a decision
        /// recorded without its document.
        pub document_sha256: Option<String>,
        /// A lägesbild's key figures, for the trend shown in the next one.
        pub key_figures: Option<KeyFigures>,
    }
}

impl Validate for Organisation {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("namn", &self.name)
    }
}
impl Validate for Forvaltning {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("namn", &self.name)
    }
}
impl Validate for Unit {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("namn", &self.name)
    }
}
impl Validate for Person {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("namn", &self.name)?;
        if let Some(e) = &self.email
            && (!e.contains('@') || e.trim() != e)
        {
            return Err(Invalid::new("e-post", format!("\"{e}\" är ingen e-postadress")));
        }
        Ok(())
    }
}
impl Validate for RoleAssignment {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        match (self.system_id, self.information_set_id) {
            (Some(_), None) | (None, Some(_)) => Ok(()),
            _ => Err(Invalid::new("roll", "en roll gäller antingen ett system eller en informationsmängd")),
        }
    }
}
impl Validate for ExternalParty {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("namn", &self.name)
    }
}
impl Validate for System {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("systemnamn", &self.name)?;
        let mut names = std::collections::HashSet::new();
        for a in &self.extra {
            if a.name.trim().is_empty() {
                return Err(Invalid::new("övriga uppgifter", "en uppgift saknar namn"));
            }
            if !names.insert(a.name.trim().to_lowercase()) {
                return Err(Invalid::new("övriga uppgifter", format!("«{}» finns två gånger", a.name)));
            }
        }
        if let (Some(a), Some(b)) = (self.in_operation_since, self.decommission_on)
            && b < a
        {
            return Err(Invalid::new("avvecklingsdatum", "kan inte ligga före driftstart"));
        }
        if self.sensitive_personal_data == Some(true) && self.personal_data == Some(false) {
            return Err(Invalid::new(
                "känsliga personuppgifter",
                "systemet kan inte ha känsliga personuppgifter utan att ha personuppgifter",
            ));
        }
        Ok(())
    }
}
impl Validate for Dependency {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        match (self.depends_on_system_id, self.depends_on_party_id) {
            (Some(s), None) if s == self.system_id => {
                Err(Invalid::new("beroende", "ett system kan inte bero av sig självt"))
            }
            (Some(_), None) | (None, Some(_)) => Ok(()),
            _ => Err(Invalid::new("beroende", "ange antingen ett system eller en extern part")),
        }
    }
}
impl Validate for InformationSet {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("namn", &self.name)
    }
}
impl Validate for SystemInformationSet {}
impl Validate for MethodVersion {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        self.definition.validate().map_err(|e| Invalid::new("metod", e))
    }
}
impl Validate for Classification {
    fn validate(&self, method: &Method) -> Result<(), Invalid> {
        // The stored levels are checked against the method in force when the classification
        // is written; a classification made under an earlier version is never re-checked.
        let mut seen = Vec::new();
        for a in &self.assessments {
            if seen.contains(&a.aspect) {
                return Err(Invalid::new(a.aspect.label(), "aspekten är bedömd två gånger"));
            }
            seen.push(a.aspect);
            method.check_level(a.aspect, a.level)?;
            required(&format!("motivering för {}", a.aspect.label()), &a.motivering)?;
            for area in &a.areas {
                if !method.consequence_areas.iter().any(|c| c.key == area.area) {
                    return Err(Invalid::new(
                        a.aspect.label(),
                        format!("konsekvensområdet \"{}\" finns inte i metoden", area.area),
                    ));
                }
                method.check_level(a.aspect, area.level)?;
            }
            if let Some(worst) = a.areas.iter().map(|x| x.level).max()
                && worst != a.level
            {
                return Err(Invalid::new(
                    a.aspect.label(),
                    format!("nivån ska vara det värsta konsekvensområdets nivå ({worst}), inte {}", a.level),
                ));
            }
        }
        if self.status == ClassificationStatus::Faststalld {
            for aspect in method.aspects() {
                if !seen.contains(&aspect) {
                    return Err(Invalid::new(aspect.label(), "en fastställd klassning måste bedöma alla aspekter"));
                }
            }
            if self.decided_by.is_none() || self.decided_on.is_none() {
                return Err(Invalid::new("fastställd av", "en fastställd klassning behöver beslutsfattare och datum"));
            }
        }
        Ok(())
    }
}
impl Validate for ProtectionRaise {
    fn validate(&self, method: &Method) -> Result<(), Invalid> {
        method.check_level(self.aspect, self.level)?;
        required("motivering för höjningen", &self.motivering)
    }
}
impl Validate for Requirement {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("kravkod", &self.code)?;
        required("kravrubrik", &self.title)?;
        for c in &self.iso_controls {
            if !crate::iso27002::is_iso27002_control(c) {
                return Err(Invalid::new("ISO/IEC 27002", format!("\"{c}\" är ingen åtgärd i ISO/IEC 27002:2022")));
            }
        }
        Ok(())
    }
}
impl Validate for RequirementStatus {}
impl Validate for Threat {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("hotets namn", &self.name)
    }
}
impl Validate for RiskAnalysis {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("rubrik", &self.title)?;
        if self.system_id.is_none() && self.process.as_deref().is_none_or(|p| p.trim().is_empty()) {
            return Err(Invalid::new("analysobjekt", "ange system eller process som analyseras"));
        }
        Ok(())
    }
}
impl Validate for Risk {
    fn validate(&self, method: &Method) -> Result<(), Invalid> {
        required("rubrik", &self.title)?;
        method.check_risk_cell(self.probability, self.consequence)?;
        match (self.residual_probability, self.residual_consequence) {
            (Some(p), Some(c)) => method.check_risk_cell(p, c)?,
            (None, None) => {}
            _ => return Err(Invalid::new("kvarstående risk", "ange både sannolikhet och konsekvens")),
        }
        if self.accepted_by.is_some() && self.acceptance_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(Invalid::new("motivering för acceptans", "en accepterad risk behöver en motivering"));
        }
        Ok(())
    }
}
impl Validate for Action {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("åtgärd", &self.title)?;
        if self.status == ActionStatus::Genomford && self.completed_on.is_none() {
            return Err(Invalid::new("genomförd", "ange när åtgärden genomfördes"));
        }
        Ok(())
    }
}
impl Validate for ActionLink {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        match (self.risk_id, self.requirement_id) {
            (Some(_), None) | (None, Some(_)) => Ok(()),
            _ => Err(Invalid::new("koppling", "en åtgärd kopplas till antingen en risk eller ett krav")),
        }
    }
}
impl Validate for Decision {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("rubrik", &self.title)?;
        if self.version == 0 {
            return Err(Invalid::new("version", "versionen börjar på 1"));
        }
        if self.state == DecisionState::Beslutad && (self.decided_by.is_none() || self.decided_on.is_none()) {
            return Err(Invalid::new("beslutsfattare", "ett fattat beslut behöver beslutsfattare och datum"));
        }
        if self.outcome == Some(DecisionOutcome::MedVillkor) && self.conditions.is_empty() {
            return Err(Invalid::new("villkor", "ett driftgodkännande med villkor behöver minst ett villkor"));
        }
        Ok(())
    }
}
