//! The system register (systemförteckning): systems, what they depend on, and the
//! information sets they hold.

use super::required;
use crate::error::Invalid;
use crate::ids::*;
use crate::method::Method;
use crate::record::Validate;
use chrono::NaiveDate;

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
        /// Some other way, or not said (a register file that names none; its own word is
        /// kept in the description).
        Annan = "annan" / "Annat",
    }
}

text_enum! {
    /// How much the depending system's business rests on what it depends on: the graded
    /// answer municipal registers give ("Helt verksamhetskritiskt" … "Ej
    /// verksamhetskritiskt").
    pub enum DependencyCriticality {
        /// Wholly critical: the business stops without it.
        Helt = "helt" / "Helt verksamhetskritiskt",
        /// Critical to a considerable degree.
        Betydande = "betydande" / "Till betydande del verksamhetskritiskt",
        /// To a considerable degree not critical.
        Begransad = "begransad" / "Till betydande del ej verksamhetskritiskt",
        /// Not critical.
        Ej = "ej" / "Ej verksamhetskritiskt",
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
        /// How critical it is to the depending system (None: not said).
        #[serde(default)]
        pub criticality: Option<DependencyCriticality>,
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
