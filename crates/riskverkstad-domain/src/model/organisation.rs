//! The organisation and its people: kommun, förvaltningar and bolag, units, people, who holds
//! which role for a system or an information set, and the parties outside (suppliers,
//! authorities).

use super::required;
use crate::error::Invalid;
use crate::ids::*;
use crate::method::Method;
use crate::record::Validate;

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

impl Role {
    /// The roles every system should have someone in; a system without one of them is a gap
    /// to follow up.
    pub const KEY_FOR_SYSTEM: &'static [Role] =
        &[Role::Systemagare, Role::Informationsagare, Role::Systemforvaltare, Role::TekniskForvaltare];
}

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
