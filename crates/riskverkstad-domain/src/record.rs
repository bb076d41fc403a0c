//! What the store needs to know of a record kind, without the store: its table, its columns
//! and how each is stored, the meta fields every record has, its own field checks, and the one
//! list of record kinds ([`crate::for_each_record!`]).
//!
//! A record kind is defined once with `record!` in [`crate::model`]; the struct, the table
//! name and the column list come from that one definition.

pub use crate::column::{ColKind, SqlKind};
use crate::error::Invalid;
use crate::ids::{InstallationId, Timestamp};
use crate::method::Method;
use serde::{Serialize, de::DeserializeOwned};

/// Field checks a record can make on its own, given the method in force.
pub trait Validate {
    /// Checks the record's own fields; the default accepts everything.
    fn validate(&self, _method: &Method) -> Result<(), Invalid> {
        Ok(())
    }
}

/// A stored record kind. Implemented by the `record!` macro; see [`crate::model`].
pub trait Record: Serialize + DeserializeOwned + Clone + PartialEq + Validate {
    /// The typed id.
    type Id: Copy + Eq + std::hash::Hash + std::fmt::Display + From<uuid::Uuid> + Into<uuid::Uuid>;
    /// The table.
    const TABLE: &'static str;
    /// The Swedish name of the kind, definite form ("Systemet"), for messages.
    const LABEL: &'static str;
    /// The record's own columns (after the common id, origin, revision, created_at,
    /// updated_at), named as its fields.
    const COLUMNS: &'static [(&'static str, ColKind)];
    /// The references that make a record part of what it refers to (a risk belongs to its
    /// analysis, a role assignment to its system): a bundle of a förvaltning or of chosen
    /// systems carries the records that hang on them through these columns.
    const OWNED_BY: &'static [&'static str];
    /// The id.
    fn id(&self) -> Self::Id;
    /// The revision.
    fn revision(&self) -> i64;
    /// The origin installation.
    fn origin(&self) -> InstallationId;
    /// Creation time.
    fn created_at(&self) -> Timestamp;
    /// Last change time.
    fn updated_at(&self) -> Timestamp;
    /// Sets the common fields.
    fn set_meta(
        &mut self,
        id: Self::Id,
        origin: InstallationId,
        revision: i64,
        created_at: Timestamp,
        updated_at: Timestamp,
    );
}

/// The common columns every record table starts with.
pub const META_COLUMNS: &[(&str, ColKind)] = &[
    ("id", ColKind::Text),
    ("origin", ColKind::Text),
    ("revision", ColKind::Int),
    ("created_at", ColKind::Text),
    ("updated_at", ColKind::Text),
];

/// The Swedish name of a record field, if it has one: how a field is named to people wherever
/// records are compared field by field (conflicts, merge plans, history). Every field of every
/// record kind has one (a test in the core checks).
pub fn swedish_name(field: &str) -> Option<&'static str> {
    Some(match field {
        "id" => "Id",
        "origin" => "Ursprung",
        "revision" => "Version",
        "created_at" => "Skapad",
        "updated_at" => "Ändrad",
        "acceptance_reason" => "Motivering till riskacceptans",
        "accepted_as" => "Accepterad som",
        "accepted_by" => "Accepterad av",
        "accepted_on" => "Accepterad den",
        "action_id" => "Åtgärd",
        "aliases" => "Andra namn",
        "analysed_on" => "Analysdatum",
        "analysis_id" => "Riskanalys",
        "aspect" => "Aspekt",
        "aspects" => "Aspekter",
        "assessed_on" => "Bedömd den",
        "assessed_by" => "Bedömd av",
        "assessments" => "Bedömningar",
        "backup_frequency" => "Säkerhetskopiering",
        "based_on" => "Bygger på analys",
        "builtin" => "Medföljer programmet",
        "business_critical" => "Verksamhetskritiskt",
        "category" => "Kategori",
        "classified_on" => "Klassningsdatum",
        "code" => "Kod",
        "completed_on" => "Genomförd den",
        "conditions" => "Villkor",
        "consequence" => "Konsekvensnivå",
        "contract_end" => "Avtalet löper ut",
        "criticality" => "Kritikalitet",
        "data_location" => "Datalagring",
        "decided_by" => "Beslutad av",
        "decided_on" => "Beslutsdatum",
        "decision_id" => "Villkor i beslut",
        "decommission_on" => "Avvecklas",
        "definition" => "Metod",
        "depends_on_party_id" => "Beror på extern part",
        "depends_on_system_id" => "Beror på system",
        "description" => "Beskrivning",
        "diarienummer" => "Diarienummer",
        "document_sha256" => "Arkiverat dokument",
        "dpia_done" => "Konsekvensbedömning (DPIA) gjord",
        "due_on" => "Klar senast",
        "email" => "E-post",
        "evidence" => "Belägg",
        "evidence_ref" => "Referens till belägg",
        "extra" => "Övriga uppgifter",
        "forvaltning_id" => "Förvaltning",
        "handelse" => "Händelse",
        "how" => "Hur kravet uppfylls",
        "in_operation_since" => "I drift sedan",
        "information_set_id" => "Informationsmängd",
        "iso_controls" => "ISO/IEC 27002-åtgärder",
        "key_figures" => "Nyckeltal",
        "kind" => "Typ",
        "konsekvens" => "Konsekvens",
        "last_review_by" => "Senast granskad av",
        "last_review_on" => "Senast granskad",
        "level" => "Nivå",
        "lifecycle" => "Livscykel",
        "logging" => "Loggning",
        "method_version_id" => "Metodversion",
        "mfa" => "Flerfaktorsinloggning",
        "min_level" => "Gäller från nivå",
        "motivering" => "Motivering",
        "name" => "Namn",
        "needs_review" => "Ska granskas",
        "nis2" => "NIS2",
        "note" => "Anteckning",
        "notice_period_months" => "Uppsägningstid (månader)",
        "number" => "Nummer",
        "operation_form" => "Driftform",
        "org_number" => "Organisationsnummer",
        "organisation_id" => "Organisation",
        "orsak" => "Orsak",
        "outcome" => "Utfall",
        "owner_id" => "Ägare",
        "participants" => "Deltagare",
        "person_id" => "Person",
        "personal_data" => "Personuppgifter",
        "pm3_object" => "Förvaltningsobjekt (pm3)",
        "presented_by" => "Föredragande",
        "probability" => "Sannolikhet",
        "process" => "Process",
        "processor_agreement" => "Personuppgiftsbiträdesavtal",
        "reason" => "Skäl",
        "requirement_id" => "Krav",
        "residual_consequence" => "Kvarstående konsekvens",
        "residual_probability" => "Kvarstående sannolikhet",
        "responsible_id" => "Ansvarig",
        "restore_tested_on" => "Återläsning testad",
        "risk_id" => "Risk",
        "role" => "Roll",
        "rpo_hours" => "RPO (timmar)",
        "rto_hours" => "RTO (timmar)",
        "sakerhetsskydd" => "Säkerhetsskydd",
        "samhallsviktig" => "Samhällsviktigt",
        "samhallsviktig_reason" => "Varför samhällsviktigt",
        "scope" => "Avgränsning",
        "security_requirements_in_contract" => "Säkerhetskrav i avtalet",
        "sensitive_personal_data" => "Känsliga personuppgifter",
        "short_name" => "Kortnamn",
        "state" => "Läge",
        "status" => "Status",
        "summary" => "Sammanfattning",
        "supplier_id" => "Leverantör",
        "system_id" => "System",
        "system_security_plan" => "Systemsäkerhetsplan",
        "threat_id" => "Hot",
        "title" => "Titel",
        "treatment" => "Riskhantering",
        "treatment_description" => "Beskrivning av hanteringen",
        "unit_id" => "Enhet",
        "valid_until" => "Giltig till",
        "version" => "Version",
        "address" => "Adress",
        "cause" => "Orsak",
        "closed_on" => "Avslutad den",
        "cross_border" => "Gränsöverskridande påverkan",
        "detected_at" => "Upptäcktes",
        "handler_id" => "Handläggare",
        "impact" => "Allvarlighet och påverkan",
        "incident_id" => "Incident",
        "indicators" => "Indikatorer",
        "known_at" => "Blev känd",
        "lessons" => "Lärdomar",
        "measures" => "Vidtagna åtgärder",
        "occurred_at" => "Inträffade",
        "people_affected" => "Antal berörda personer",
        "personal_data_breach" => "Personuppgiftsincident",
        "malicious" => "Misstänkt avsiktlig handling",
        "personal_data_categories" => "Kategorier av personuppgifter",
        "receives" => "Tar emot",
        "recipient_id" => "Mottagare",
        "reference" => "Referens",
        "reported_by" => "Rapporterad av",
        "root_cause" => "Grundorsak",
        "sent_at" => "Skickad",
        "significance_reasoning" => "Motivering (betydande incident)",
        "significant" => "Betydande incident",
        "subjects_informed_on" => "Berörda informerade den",
        "baseline" => "Basnivå",
        "interval_months" => "Intervall (månader)",
        "requirement_codes" => "Krav som styrks",
        "figures" => "Mätvärden",
        "kind_id" => "Kontrolltyp",
        "method" => "Metod",
        "first_due" => "Första gången",
        "ended_on" => "Upphörde",
        "control_id" => "Kontrollmoment",
        "done_on" => "Utförd",
        "done_by" => "Utförd av",
        "result" => "Resultat",
        "findings" => "Avvikelser",
        "accounts_reviewed" => "Granskade konton",
        "accounts_removed" => "Borttagna konton",
        "restore_hours" => "Uppnådd återställningstid (timmar)",
        "compensating" => "Kompenserande åtgärder",
        "approved_by" => "Godkänt av",
        "approved_as" => "Godkänt som",
        "approved_on" => "Godkänt den",
        "withdrawn_on" => "Återkallat den",
        "source" => "Källa",
        "access_profiles" => "Behörighetsprofiler",
        "backup" => "Säkerhetskopiering och återställning",
        "continuity" => "Kontinuitet och reservrutiner",
        "other" => "Övrigt",
        "organisation" => "Organisation kring systemet",
        _ => return None,
    })
}

/// Applies `$mac!(Type)` to every record kind, in dependency order (referenced kinds first):
/// **the one registration of a record kind**. The store's check and undo, the bundle export
/// and import, and the UI bindings all walk this list; a test (`tests/record_kinds.rs` in the
/// core) proves that every kind listed here takes part in each of them, and that every record
/// table of the schema is listed.
#[macro_export]
macro_rules! for_each_record {
    ($mac:ident) => {
        $mac!($crate::model::Organisation);
        $mac!($crate::model::Forvaltning);
        $mac!($crate::model::Unit);
        $mac!($crate::model::Person);
        $mac!($crate::model::ExternalParty);
        $mac!($crate::model::System);
        $mac!($crate::model::InformationSet);
        $mac!($crate::model::RoleAssignment);
        $mac!($crate::model::Dependency);
        $mac!($crate::model::SystemInformationSet);
        $mac!($crate::model::MethodVersion);
        $mac!($crate::model::Classification);
        $mac!($crate::model::ProtectionRaise);
        $mac!($crate::model::Requirement);
        $mac!($crate::model::RequirementStatus);
        $mac!($crate::model::Threat);
        $mac!($crate::model::RiskAnalysis);
        $mac!($crate::model::Risk);
        $mac!($crate::model::Action);
        $mac!($crate::model::ActionLink);
        $mac!($crate::model::Decision);
        $mac!($crate::model::Incident);
        $mac!($crate::model::IncidentLink);
        $mac!($crate::model::Recipient);
        $mac!($crate::model::IncidentReport);
        $mac!($crate::model::ControlKind);
        $mac!($crate::model::Control);
        $mac!($crate::model::ControlRun);
        $mac!($crate::model::Exception);
        $mac!($crate::model::ExtraRequirement);
        $mac!($crate::model::SecurityPlan);
    };
}
