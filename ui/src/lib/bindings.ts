// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit: run
// `RISKVERKSTAD_WRITE_BINDINGS=1 cargo test -p riskverkstad-app bindings` after changing them.
/* eslint-disable */
import { invoke } from "@tauri-apps/api/core";

export type InstallationId = string;

export type Timestamp = string;

export type OrganisationId = string;

export type ForvaltningId = string;

export type UnitId = string;

export type PersonId = string;

export type ExternalPartyId = string;

export type SystemId = string;

export type InformationSetId = string;

export type RoleAssignmentId = string;

export type DependencyId = string;

export type SystemInformationSetId = string;

export type MethodVersionId = string;

export type ClassificationId = string;

export type ProtectionRaiseId = string;

export type RequirementId = string;

export type RequirementStatusId = string;

export type ThreatId = string;

export type RiskAnalysisId = string;

export type RiskId = string;

export type ActionId = string;

export type ActionLinkId = string;

export type DecisionId = string;

export type IncidentId = string;

export type IncidentLinkId = string;

export type RecipientId = string;

export type IncidentReportId = string;

export type ControlKindId = string;

export type ControlId = string;

export type ControlRunId = string;

export type ExceptionId = string;

export type ExtraRequirementId = string;

export type SecurityPlanId = string;

export type Aspect = "K" | "R" | "T" | "S";

export type Mandate = "riskagare" | "systemagare" | "forvaltningschef" | "namnd";

export type BackupReason = "daglig" | "import" | "migrering" | "aterlasning" | "manuell" | "skadad";

export type ForvaltningKind = "forvaltning" | "bolag";

export type Role = "systemagare" | "informationsagare" | "systemforvaltare" | "teknisk_forvaltare" | "verksamhetsansvarig" | "it_ansvarig" | "dataskyddsombud" | "objektagare" | "forvaltningsledare";

export type PartyKind = "leverantor" | "myndighet" | "annan";

export type SystemCategory = "verksamhetssystem" | "stodsystem" | "infrastruktur" | "plattform";

export type Lifecycle = "planerad" | "under_inforande" | "i_drift" | "under_avveckling" | "avvecklad";

export type OperationForm = "egen_drift" | "extern_drift" | "molntjanst";

export type DataLocation = "sverige" | "eu_ees" | "tredje_land";

export type Nis2 = "ej_tillampligt" | "viktig" | "vasentlig";

export type DependencyKind = "api" | "fil" | "replikering" | "manuell" | "annan";

export type DependencyCriticality = "helt" | "betydande" | "begransad" | "ej";

export type ClassificationStatus = "utkast" | "faststalld";

export type RaiseReason = "ackumulering" | "aggregering" | "integration";

export type Compliance = "uppfyllt" | "delvis" | "ej_uppfyllt" | "ej_tillampligt";

export type RequirementBasis = "basniva" | "skyddsniva" | "tillaggskrav";

export type ThreatCategory = "antagonistisk" | "misstag" | "tekniskt_fel" | "infrastruktur" | "natur" | "administrativ";

export type AnalysisStatus = "pagar" | "klar";

export type Treatment = "reducera" | "acceptera" | "undvika" | "overfora";

export type ActionStatus = "planerad" | "pagar" | "genomford" | "avbruten";

export type DecisionKind = "driftgodkannande" | "riskacceptans" | "klassning" | "handlingsplan" | "lagesbild" | "systemsakerhetsplan";

export type DecisionState = "utkast" | "beslutad" | "ersatt";

export type DecisionOutcome = "driftgodkanns" | "med_villkor" | "inte";

export type IncidentStatus = "oppen" | "under_hantering" | "avslutad";

export type Answer = "vet_ej" | "nej" | "ja";

export type ControlResult = "utan_anmarkning" | "med_avvikelser";

export type ControlFigures = "inga" | "konton" | "aterlasning";

export type RequirementSource = "lag" | "avtal" | "verksamhet" | "hot";

export type ReportKind = "tidig_varning" | "incidentanmalan" | "slutrapport" | "gdpr";

export type DeadlineState = "loper" | "missad" | "skickad" | "skickad_sent" | "vantar";

export type DueKind = "klassning_saknas" | "omklassning" | "riskanalys" | "atgard" | "avtal" | "beslut" | "systemoversyn" | "riskbehandling" | "omprovning" | "aterlasningstest" | "kravuppfoljning" | "villkor" | "registerbrist" | "incidentrapport" | "riskanalys_incident" | "kontroll" | "avsteg";

export type DueState = "forsenad" | "snart";

export type GapKind = "systemagare_saknas" | "informationsagare_saknas" | "information_saknas" | "dpia_obesvarad" | "bitradesavtal_obesvarat" | "kontinuitet_saknas" | "aterlasning_ej_testad" | "systemsakerhetsplan_saknas";

export type Place = "fakta" | "roller" | "information" | "krav" | "risker" | "atgarder" | "beslut" | "sakerhet" | "incident" | "kontroller";

export type Organisation = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: OrganisationId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Name ("Norrvik kommun").
 */
name: string, 
/**
 * Organisationsnummer.
 */
org_number: string | null, };

export type Forvaltning = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ForvaltningId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The organisation it belongs to.
 */
organisation_id: OrganisationId, 
/**
 * Name.
 */
name: string, 
/**
 * Short name ("SOC").
 */
short_name: string, 
/**
 * Förvaltning or bolag.
 */
kind: ForvaltningKind, };

export type Unit = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: UnitId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Its förvaltning.
 */
forvaltning_id: ForvaltningId, 
/**
 * Name.
 */
name: string, };

export type Person = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: PersonId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Full name.
 */
name: string, 
/**
 * E-mail address.
 */
email: string | null, 
/**
 * Job title.
 */
title: string | null, 
/**
 * Förvaltning.
 */
forvaltning_id: ForvaltningId | null, 
/**
 * Unit.
 */
unit_id: UnitId | null, };

export type ExternalParty = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ExternalPartyId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Name.
 */
name: string, 
/**
 * Kind.
 */
kind: PartyKind, 
/**
 * Organisationsnummer.
 */
org_number: string | null, };

export type System = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: SystemId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Name.
 */
name: string, 
/**
 * Other names people use.
 */
aliases: Array<string>, 
/**
 * What it is for.
 */
description: string, 
/**
 * Category.
 */
category: SystemCategory, 
/**
 * Owning förvaltning or bolag.
 */
forvaltning_id: ForvaltningId, 
/**
 * Owning unit.
 */
unit_id: UnitId | null, 
/**
 * pm3 object.
 */
pm3_object: string | null, 
/**
 * Life-cycle status.
 */
lifecycle: Lifecycle, 
/**
 * In operation since.
 */
in_operation_since: string | null, 
/**
 * Planned or actual decommissioning date.
 */
decommission_on: string | null, 
/**
 * Supplier.
 */
supplier_id: ExternalPartyId | null, 
/**
 * Contract end date.
 */
contract_end: string | null, 
/**
 * Notice period in months.
 */
notice_period_months: number | null, 
/**
 * Whether the contract contains security requirements (None: unknown).
 */
security_requirements_in_contract: boolean | null, 
/**
 * Operation form.
 */
operation_form: OperationForm | null, 
/**
 * Data location.
 */
data_location: DataLocation | null, 
/**
 * Holds personal data.
 */
personal_data: boolean | null, 
/**
 * Holds sensitive personal data (GDPR art. 9).
 */
sensitive_personal_data: boolean | null, 
/**
 * DPIA (konsekvensbedömning) done.
 */
dpia_done: boolean | null, 
/**
 * Processor agreement (personuppgiftsbiträdesavtal) in place.
 */
processor_agreement: boolean | null, 
/**
 * Verksamhetskritisk.
 */
business_critical: boolean, 
/**
 * Samhällsviktig.
 */
samhallsviktig: boolean, 
/**
 * Why it is samhällsviktig.
 */
samhallsviktig_reason: string | null, 
/**
 * NIS2 classification.
 */
nis2: Nis2, 
/**
 * Säkerhetsskydd applies.
 */
sakerhetsskydd: boolean, 
/**
 * RTO: longest acceptable outage, hours.
 */
rto_hours: number | null, 
/**
 * RPO: longest acceptable data loss, hours.
 */
rpo_hours: number | null, 
/**
 * Backup frequency ("dagligen").
 */
backup_frequency: string | null, 
/**
 * When restore was last tested.
 */
restore_tested_on: string | null, 
/**
 * MFA in use.
 */
mfa: boolean | null, 
/**
 * Logging in place.
 */
logging: boolean | null, 
/**
 * Systemsäkerhetsplan exists.
 */
system_security_plan: boolean | null, 
/**
 * Last review date.
 */
last_review_on: string | null, 
/**
 * Who did the last review.
 */
last_review_by: PersonId | null, 
/**
 * What else the department records about the system (a column of its Excel list
 * that has no field here), kept by name in the order it came, and written back on
 * export.
 */
extra: Array<ExtraAttribute>, };

export type InformationSet = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: InformationSetId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Name ("Journalanteckningar").
 */
name: string, 
/**
 * What it holds.
 */
description: string, 
/**
 * The förvaltning responsible.
 */
forvaltning_id: ForvaltningId | null, 
/**
 * Holds personal data.
 */
personal_data: boolean | null, 
/**
 * Holds sensitive personal data (art. 9).
 */
sensitive_personal_data: boolean | null, };

export type RoleAssignment = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: RoleAssignmentId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The person.
 */
person_id: PersonId, 
/**
 * The role.
 */
role: Role, 
/**
 * The system, for system roles.
 */
system_id: SystemId | null, 
/**
 * The information set, for information roles.
 */
information_set_id: InformationSetId | null, };

export type Dependency = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: DependencyId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The system that depends.
 */
system_id: SystemId, 
/**
 * The system depended on.
 */
depends_on_system_id: SystemId | null, 
/**
 * The external party depended on.
 */
depends_on_party_id: ExternalPartyId | null, 
/**
 * How.
 */
kind: DependencyKind, 
/**
 * Notes.
 */
description: string | null, 
/**
 * How critical it is to the depending system (None: not said).
 */
criticality: DependencyCriticality | null, };

export type SystemInformationSet = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: SystemInformationSetId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The system.
 */
system_id: SystemId, 
/**
 * The information set.
 */
information_set_id: InformationSetId, };

export type MethodVersion = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: MethodVersionId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * 1, 2, 3 … in order.
 */
number: number, 
/**
 * What changed.
 */
note: string, 
/**
 * The method.
 */
definition: Method, };

export type Classification = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ClassificationId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The information set.
 */
information_set_id: InformationSetId, 
/**
 * The method version it was made under.
 */
method_version_id: MethodVersionId, 
/**
 * Draft or decided.
 */
status: ClassificationStatus, 
/**
 * One assessment per aspect assessed.
 */
assessments: Array<AspectAssessment>, 
/**
 * Who took part in the workshop.
 */
participants: Array<string>, 
/**
 * Date of the workshop.
 */
classified_on: string, 
/**
 * Who decided (fastställde) it.
 */
decided_by: PersonId | null, 
/**
 * When it was decided.
 */
decided_on: string | null, };

export type ProtectionRaise = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ProtectionRaiseId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The system.
 */
system_id: SystemId, 
/**
 * The aspect raised.
 */
aspect: Aspect, 
/**
 * The level raised to.
 */
level: number, 
/**
 * Why.
 */
reason: RaiseReason, 
/**
 * Motivation (required).
 */
motivering: string, 
/**
 * Who decided.
 */
decided_by: PersonId | null, 
/**
 * When.
 */
decided_on: string, 
/**
 * The method version it was made under.
 */
method_version_id: MethodVersionId, };

export type Requirement = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: RequirementId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Code ("K-03").
 */
code: string, 
/**
 * Title.
 */
title: string, 
/**
 * What must be in place and how it is verified.
 */
description: string, 
/**
 * The aspect.
 */
aspect: Aspect, 
/**
 * Applies from this level up.
 */
min_level: number, 
/**
 * ISO/IEC 27002:2022 control numbers ("8.5").
 */
iso_controls: Array<string>, 
/**
 * Shipped with Riskverkstad (may still be edited).
 */
builtin: boolean, 
/**
 * Part of the baseline (basnivå): applies to every system whatever its class.
 */
baseline: boolean, };

export type RequirementStatus = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: RequirementStatusId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The system.
 */
system_id: SystemId, 
/**
 * The requirement.
 */
requirement_id: RequirementId, 
/**
 * Status.
 */
status: Compliance, 
/**
 * How the requirement is met ("hur").
 */
how: string, 
/**
 * When it was assessed.
 */
assessed_on: string | null, 
/**
 * Why the requirement does not apply (required for ej tillämpligt).
 */
reason: string, 
/**
 * The evidence (underlag): what shows that it is met.
 */
evidence: string, 
/**
 * Where the evidence is kept: a document, a diarienummer, a link.
 */
evidence_ref: string, 
/**
 * Who assessed it.
 */
assessed_by: PersonId | null, };

export type Threat = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ThreatId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Code ("H-01").
 */
code: string, 
/**
 * Name.
 */
name: string, 
/**
 * Category.
 */
category: ThreatCategory, 
/**
 * Description.
 */
description: string, 
/**
 * Aspects typically affected.
 */
aspects: Array<Aspect>, 
/**
 * Example cause ("På grund av …").
 */
orsak: string, 
/**
 * Example event ("inträffar …").
 */
handelse: string, 
/**
 * Example consequence ("vilket leder till …").
 */
konsekvens: string, 
/**
 * Shipped with Riskverkstad.
 */
builtin: boolean, };

export type RiskAnalysis = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: RiskAnalysisId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Title.
 */
title: string, 
/**
 * Scope (avgränsning).
 */
scope: string, 
/**
 * Date of the analysis.
 */
analysed_on: string, 
/**
 * Participants.
 */
participants: Array<string>, 
/**
 * The system analysed, if any.
 */
system_id: SystemId | null, 
/**
 * The process analysed, if not a system.
 */
process: string | null, 
/**
 * The method version it was made under.
 */
method_version_id: MethodVersionId, 
/**
 * Being worked on or finished (an analysis from before statuses were kept is
 * finished).
 */
status: AnalysisStatus, 
/**
 * The earlier analysis this one was redone from, if any.
 */
based_on: RiskAnalysisId | null, };

export type Risk = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: RiskId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The analysis it belongs to.
 */
analysis_id: RiskAnalysisId, 
/**
 * The threat from the catalogue, if picked from it.
 */
threat_id: ThreatId | null, 
/**
 * Short title.
 */
title: string, 
/**
 * Cause.
 */
orsak: string, 
/**
 * Event.
 */
handelse: string, 
/**
 * Consequence.
 */
konsekvens: string, 
/**
 * Affected aspects.
 */
aspects: Array<Aspect>, 
/**
 * Sannolikhet.
 */
probability: number, 
/**
 * Konsekvens.
 */
consequence: number, 
/**
 * Chosen treatment.
 */
treatment: Treatment | null, 
/**
 * What the treatment is.
 */
treatment_description: string, 
/**
 * Residual probability after treatment.
 */
residual_probability: number | null, 
/**
 * Residual consequence after treatment.
 */
residual_consequence: number | null, 
/**
 * Riskägare.
 */
owner_id: PersonId | null, 
/**
 * Who accepted the (residual) risk.
 */
accepted_by: PersonId | null, 
/**
 * The mandate under which it was accepted.
 */
accepted_as: Mandate | null, 
/**
 * When.
 */
accepted_on: string | null, 
/**
 * Why.
 */
acceptance_reason: string | null, 
/**
 * Copied from the previous analysis and not yet looked at again.
 */
needs_review: boolean, };

export type Action = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ActionId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Title.
 */
title: string, 
/**
 * Description.
 */
description: string, 
/**
 * The system concerned, if any.
 */
system_id: SystemId | null, 
/**
 * Responsible person.
 */
responsible_id: PersonId | null, 
/**
 * Due date.
 */
due_on: string | null, 
/**
 * Status.
 */
status: ActionStatus, 
/**
 * When it was done (or cancelled).
 */
completed_on: string | null, 
/**
 * A note on progress ("väntar på leverantören").
 */
note: string, 
/**
 * The driftgodkännande whose condition the action fulfils, if any.
 */
decision_id: DecisionId | null, };

export type ActionLink = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ActionLinkId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The action.
 */
action_id: ActionId, 
/**
 * The risk it treats.
 */
risk_id: RiskId | null, 
/**
 * The requirement it closes the gap for (on the action's system).
 */
requirement_id: RequirementId | null, };

export type Decision = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: DecisionId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Kind.
 */
kind: DecisionKind, 
/**
 * Title.
 */
title: string, 
/**
 * The system concerned.
 */
system_id: SystemId | null, 
/**
 * The förvaltning concerned.
 */
forvaltning_id: ForvaltningId | null, 
/**
 * Version: 1 for the first decision on the subject, then 2, 3 …
 */
version: number, 
/**
 * Summary of the content.
 */
summary: string, 
/**
 * State.
 */
state: DecisionState, 
/**
 * Diarienummer.
 */
diarienummer: string | null, 
/**
 * Beslutsfattare.
 */
decided_by: PersonId | null, 
/**
 * Föredragande.
 */
presented_by: PersonId | null, 
/**
 * Decision date.
 */
decided_on: string | null, 
/**
 * Valid until (re-examination date).
 */
valid_until: string | null, 
/**
 * The outcome (driftgodkännande).
 */
outcome: DecisionOutcome | null, 
/**
 * Conditions with dates (driftgodkännande med villkor).
 */
conditions: Array<Condition>, 
/**
 * The SHA-256 of the frozen PDF (see [`crate::decisions`]); `None` for a decision
 * recorded without its document.
 */
document_sha256: string | null, 
/**
 * A lägesbild's key figures, for the trend shown in the next one.
 */
key_figures: KeyFigures | null, };

export type Incident = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: IncidentId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Short title.
 */
title: string, 
/**
 * What happened.
 */
description: string, 
/**
 * The förvaltning that handles it (the first affected system's, unless chosen).
 */
forvaltning_id: ForvaltningId | null, 
/**
 * When it occurred, if known.
 */
occurred_at: Moment | null, 
/**
 * When it was detected, if other than when it became known here.
 */
detected_at: Moment | null, 
/**
 * When it became known to the organisation: the clocks start here.
 */
known_at: Moment, 
/**
 * Who reported it (a name, a unit, a supplier).
 */
reported_by: string, 
/**
 * Who handles it.
 */
handler_id: PersonId | null, 
/**
 * The aspects affected (K, R, T, S).
 */
aspects: Array<Aspect>, 
/**
 * The consequence on the organisation's risk scale (1..=n), when assessed.
 */
consequence: number | null, 
/**
 * The threat from the catalogue that came true, if one fits.
 */
threat_id: ThreatId | null, 
/**
 * The cause as known (suspected at first, the root cause later).
 */
cause: string, 
/**
 * A supplier involved.
 */
supplier_id: ExternalPartyId | null, 
/**
 * Whether personal data was breached.
 */
personal_data_breach: Answer, 
/**
 * Which categories of personal data.
 */
personal_data_categories: string, 
/**
 * About how many people are affected.
 */
people_affected: number | null, 
/**
 * When the people affected were told (GDPR art. 34), if they were.
 */
subjects_informed_on: string | null, 
/**
 * A betydande incident under cybersäkerhetslagen (2025:1506).
 */
significant: boolean, 
/**
 * The coordinator's reasoning on whether it is betydande.
 */
significance_reasoning: string, 
/**
 * Severity and impact: what it did to the business and to others.
 */
impact: string, 
/**
 * Effects across borders (other EU member states), if any.
 */
cross_border: string, 
/**
 * Indicators of compromise, where there are any.
 */
indicators: string, 
/**
 * Measures taken, to contain and to repair.
 */
measures: string, 
/**
 * The root cause, once found.
 */
root_cause: string, 
/**
 * Lessons learned.
 */
lessons: string, 
/**
 * Where it stands.
 */
status: IncidentStatus, 
/**
 * When it was closed.
 */
closed_on: string | null, 
/**
 * Whether it is suspected to be caused by a deliberate or unlawful act (the early
 * warning asks; an incident from before this was kept is not yet known).
 */
malicious: Answer, };

export type IncidentLink = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: IncidentLinkId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The incident.
 */
incident_id: IncidentId, 
/**
 * An affected system.
 */
system_id: SystemId | null, 
/**
 * An affected information set.
 */
information_set_id: InformationSetId | null, 
/**
 * A risk the incident showed.
 */
risk_id: RiskId | null, 
/**
 * An action the incident gave.
 */
action_id: ActionId | null, };

export type Recipient = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: RecipientId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Name ("CERT-SE (Myndigheten för civilt försvar)").
 */
name: string, 
/**
 * The reports that usually go to it.
 */
receives: Array<ReportKind>, 
/**
 * How to reach it (a web form, an address, a telephone number).
 */
address: string, 
/**
 * A note.
 */
note: string, };

export type IncidentReport = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: IncidentReportId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The incident.
 */
incident_id: IncidentId, 
/**
 * Which report.
 */
kind: ReportKind, 
/**
 * When it was sent.
 */
sent_at: Moment, 
/**
 * To whom.
 */
recipient_id: RecipientId, 
/**
 * The recipient's reference (ärendenummer), when given.
 */
reference: string, 
/**
 * A note.
 */
note: string, };

export type ControlKind = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ControlKindId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * Name ("Behörighetsgranskning").
 */
name: string, 
/**
 * What is done and what it shows.
 */
description: string, 
/**
 * How often, in months, unless a control says otherwise.
 */
interval_months: number, 
/**
 * The requirements (by code) a done control of this kind evidences ("K-08").
 */
requirement_codes: Array<string>, 
/**
 * The figures recorded each time.
 */
figures: ControlFigures, 
/**
 * Shipped with Riskverkstad (may still be edited).
 */
builtin: boolean, };

export type Control = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ControlId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The kind.
 */
kind_id: ControlKindId, 
/**
 * Title ("Behörighetsgranskning – Ekonomisystem").
 */
title: string, 
/**
 * The system controlled; none for a control of a förvaltning or the organisation.
 */
system_id: SystemId | null, 
/**
 * The förvaltning it belongs to (the system's, unless it has none).
 */
forvaltning_id: ForvaltningId | null, 
/**
 * How often, in months.
 */
interval_months: number, 
/**
 * Who does it (a named person, as the instructions demand).
 */
responsible_id: PersonId | null, 
/**
 * How it is done ("samkörs mot lönesystemet").
 */
method: string, 
/**
 * The requirements (by code) a done control evidences on its system.
 */
requirement_codes: Array<string>, 
/**
 * When it is first due, before it has ever been done.
 */
first_due: string, 
/**
 * When it was stopped (the system retired, the duty moved); none while it runs.
 */
ended_on: string | null, };

export type ControlRun = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ControlRunId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The control.
 */
control_id: ControlId, 
/**
 * When it was done.
 */
done_on: string, 
/**
 * Who did it (a name, as they sign it).
 */
done_by: string, 
/**
 * How it was done this time, if other than the control's method.
 */
method: string, 
/**
 * The result.
 */
result: ControlResult, 
/**
 * What was found (deviations become actions).
 */
findings: string, 
/**
 * A note.
 */
note: string, 
/**
 * Accounts reviewed (an access review).
 */
accounts_reviewed: number | null, 
/**
 * Accounts removed (an access review).
 */
accounts_removed: number | null, 
/**
 * The restore time achieved, in hours (a restore test), against the system's RTO.
 */
restore_hours: number | null, };

export type Exception = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ExceptionId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The system.
 */
system_id: SystemId, 
/**
 * The requirement deviated from.
 */
requirement_id: RequirementId, 
/**
 * Why the requirement is not met.
 */
reason: string, 
/**
 * What compensates meanwhile.
 */
compensating: string, 
/**
 * The risk accepted meanwhile: probability on the method's scale, when assessed.
 */
probability: number | null, 
/**
 * The risk accepted meanwhile: consequence on the method's scale, when assessed.
 */
consequence: number | null, 
/**
 * Who approved it.
 */
approved_by: PersonId | null, 
/**
 * The mandate under which it was approved (at least the risk band's).
 */
approved_as: Mandate, 
/**
 * When it was approved.
 */
approved_on: string, 
/**
 * The last day it holds.
 */
valid_until: string, 
/**
 * When it was withdrawn before its end (the requirement met, or the exception refused
 * on review); none while it holds.
 */
withdrawn_on: string | null, };

export type ExtraRequirement = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: ExtraRequirementId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The system.
 */
system_id: SystemId, 
/**
 * The requirement.
 */
requirement_id: RequirementId, 
/**
 * Where it comes from.
 */
source: RequirementSource, 
/**
 * The law, contract, need or threat, in words ("Avtal 2024-117, bilaga 3").
 */
note: string, };

export type SecurityPlan = { 
/**
 * The record's id (UUID v7, time-ordered).
 */
id: SecurityPlanId, 
/**
 * The installation (department) where the record was created.
 */
origin: InstallationId, 
/**
 * Incremented on every change; 1 when created.
 */
revision: number, 
/**
 * When the record was created (UTC).
 */
created_at: Timestamp, 
/**
 * When the record was last changed (UTC).
 */
updated_at: Timestamp, 
/**
 * The system.
 */
system_id: SystemId, 
/**
 * Access profiles (behörighetsprofiler): who gets which rights, and how.
 */
access_profiles: string, 
/**
 * What is logged, where, how long, and who follows it up how often.
 */
logging: string, 
/**
 * Backup and restore: what, how often, where kept, the time to restore.
 */
backup: string, 
/**
 * Continuity: reserve routines and how they are known and practised.
 */
continuity: string, 
/**
 * The organisation around the system (förvaltning, support, supplier contacts).
 */
organisation: string, 
/**
 * Anything else the plan must say.
 */
other: string, };

export type ScaleLevel = { 
/**
 * The stored value: 0-based for classification scales, 1-based for risk scales.
 */
value: number, 
/**
 * The name people use ("Betydande skada", "Stor").
 */
name: string, 
/**
 * Colour as `#rrggbb`.
 */
color: string, 
/**
 * A short description that guides the workshop.
 */
description: string, };

export type ClassificationScale = { 
/**
 * The aspect.
 */
aspect: Aspect, 
/**
 * The levels, values 0, 1, 2 … in order; 3 to 6 of them.
 */
levels: Array<ScaleLevel>, 
/**
 * The level from which the requirement catalogue no longer applies and a special analysis
 * is required (KLASSA: 4, "Synnerligen allvarlig skada"); `None` when the scale has none.
 */
special_analysis_from: number | null, };

export type ConsequenceArea = { 
/**
 * Stable key ("individ", "ekonomi").
 */
key: string, 
/**
 * Name shown in the matrix.
 */
name: string, 
/**
 * Description per level value (index = value), as many as the longest scale has levels.
 */
descriptions: Array<string>, };

export type AcceptanceRule = { 
/**
 * The lowest mandate that may accept a risk in this band.
 */
lowest_mandate: Mandate, 
/**
 * Within how many days of the analysis a risk in this band must be treated or accepted;
 * `None` when there is no deadline.
 */
treat_within_days: number | null, 
/**
 * Who is to be informed when a risk in the band is accepted (free text roles).
 */
inform: Array<string>, };

export type RiskBand = { 
/**
 * Stable key ("lag", "medel", "hog", "extrem").
 */
key: string, 
/**
 * Name ("Hög").
 */
name: string, 
/**
 * Colour as `#rrggbb`.
 */
color: string, 
/**
 * Lowest risk value in the band (inclusive).
 */
min_value: number, 
/**
 * Highest risk value in the band (inclusive).
 */
max_value: number, 
/**
 * The band's acceptance rules.
 */
acceptance: AcceptanceRule, };

export type CellOverride = { 
/**
 * Probability value.
 */
probability: number, 
/**
 * Consequence value.
 */
consequence: number, 
/**
 * The band key the cell belongs to.
 */
band: string, };

export type RiskMatrix = { 
/**
 * Sannolikhet, values 1..=n.
 */
probability: Array<ScaleLevel>, 
/**
 * Konsekvens, values 1..=m.
 */
consequence: Array<ScaleLevel>, 
/**
 * Bands in rising severity; together they cover every value 1..=n·m.
 */
bands: Array<RiskBand>, 
/**
 * Cells placed in another band than their value gives.
 */
cell_overrides: Array<CellOverride>, };

export type Method = { 
/**
 * A name for this method ("KLASSA/MSB standard").
 */
name: string, 
/**
 * Whether spårbarhet (S) is assessed.
 */
traceability_enabled: boolean, 
/**
 * One scale per aspect K, R, T, S.
 */
classification_scales: Array<ClassificationScale>, 
/**
 * The rows of the classification matrix.
 */
consequence_areas: Array<ConsequenceArea>, 
/**
 * The risk matrix.
 */
risk_matrix: RiskMatrix, };

export type AspectAssessment = { 
/**
 * The aspect.
 */
aspect: Aspect, 
/**
 * The resulting level (the worst area's level when areas are assessed).
 */
level: number, 
/**
 * Why (required).
 */
motivering: string, 
/**
 * Per consequence area: the level of the worst consequence.
 */
areas: Array<AreaAssessment>, };

export type AreaAssessment = { 
/**
 * The consequence area's key.
 */
area: string, 
/**
 * The level of the worst consequence in that area.
 */
level: number, };

export type AspectDraft = { 
/**
 * The aspect.
 */
aspect: Aspect, 
/**
 * A level chosen directly (used when no area is assessed).
 */
level: number | null, 
/**
 * Per consequence area: the level of the worst consequence.
 */
areas: Array<AreaAssessment>, 
/**
 * Why.
 */
motivering: string, };

export type ClassificationDraft = { 
/**
 * The information set classified.
 */
information_set_id: InformationSetId, 
/**
 * The aspects assessed (an aspect without a level is left out).
 */
assessments: Array<AspectDraft>, 
/**
 * Who took part in the workshop.
 */
participants: Array<string>, };

export type NewRisk = { 
/**
 * The analysis it belongs to.
 */
analysis_id: RiskAnalysisId, 
/**
 * The threat from the catalogue, if picked from it.
 */
threat_id: ThreatId | null, 
/**
 * Short title.
 */
title: string, 
/**
 * Cause.
 */
orsak: string, 
/**
 * Event.
 */
handelse: string, 
/**
 * Consequence.
 */
konsekvens: string, 
/**
 * Affected aspects.
 */
aspects: Array<Aspect>, 
/**
 * Sannolikhet.
 */
probability: number, 
/**
 * Konsekvens.
 */
consequence: number, };

export type NewAction = { 
/**
 * Title.
 */
title: string, 
/**
 * Description.
 */
description: string, 
/**
 * The system concerned, if any.
 */
system_id: SystemId | null, 
/**
 * Responsible person.
 */
responsible_id: PersonId | null, 
/**
 * Due date.
 */
due_on: string | null, 
/**
 * The risk it treats, if any.
 */
risk_id: RiskId | null, 
/**
 * The requirement whose gap it closes (on its system), if any.
 */
requirement_id: RequirementId | null, };

export type NewAnalysis = { 
/**
 * The system analysed.
 */
system_id: SystemId, 
/**
 * Title (a default naming the system and the date when blank).
 */
title: string, 
/**
 * Scope (avgränsning).
 */
scope: string, 
/**
 * Participants.
 */
participants: Array<string>, 
/**
 * Date of the analysis (today when not given).
 */
analysed_on: string | null, 
/**
 * Start from a copy of the latest analysis's risks.
 */
from_previous: boolean, };

export type Assessment = { 
/**
 * The requirement.
 */
requirement_id: RequirementId, 
/**
 * Status.
 */
status: Compliance, 
/**
 * How the requirement is met.
 */
how: string, 
/**
 * Why it does not apply (required for ej tillämpligt).
 */
reason: string, 
/**
 * The evidence.
 */
evidence: string, 
/**
 * Where the evidence is kept.
 */
evidence_ref: string, 
/**
 * Who assessed it.
 */
assessed_by: PersonId | null, 
/**
 * When (today when not given).
 */
assessed_on: string | null, };

export type Faststallande = { 
/**
 * The draft decided.
 */
classification_id: ClassificationId, 
/**
 * Who decides: the information set's informationsägare.
 */
decided_by: PersonId, 
/**
 * When (today when not given).
 */
decided_on: string | null, 
/**
 * Who took part, when it is to be changed from the workshop's list.
 */
participants: Array<string> | null, };

export type Gap = { 
/**
 * What is missing.
 */
kind: GapKind, 
/**
 * The system concerned.
 */
system_id: SystemId, 
/**
 * Its name.
 */
system: string, 
/**
 * The information set concerned, for a gap of an information set.
 */
information_set_id: InformationSetId | null, 
/**
 * The förvaltning concerned.
 */
forvaltning_id: ForvaltningId, 
/**
 * The name of what is missing something (the system or the information set).
 */
subject: string, 
/**
 * Since when it has been missing (when the record was made).
 */
since: string, 
/**
 * What is missing and how to fix it, in Swedish.
 */
message: string, 
/**
 * Where it is fixed.
 */
place: Place, };

export type GapCount = { 
/**
 * The kind.
 */
kind: GapKind, 
/**
 * How many.
 */
count: number, };

export type ClassificationPreview = { 
/**
 * The classification as it would be stored (each aspect's level decided by its worst area).
 */
classification: Classification, 
/**
 * The system's protection profile with it.
 */
profile: ProtectionProfile, 
/**
 * The aspects this classification puts at a level that needs a special analysis.
 */
special_analysis: Array<Aspect>, };

export type Condition = { 
/**
 * What must be done.
 */
text: string, 
/**
 * By when.
 */
due_on: string | null, };

export type KeyFigures = { 
/**
 * Systems in scope.
 */
systems: number, 
/**
 * Of which verksamhetskritiska.
 */
critical: number, 
/**
 * Systems per highest protection level: index = level, the last entry = not classified.
 */
by_level: Array<number>, 
/**
 * Risks per band, by band name, lowest band first.
 */
by_band: Array<[string, number]>, 
/**
 * Overdue items in the yearly cycle.
 */
overdue: number, };

export type ExtraAttribute = { 
/**
 * The name (the column header it came from).
 */
name: string, 
/**
 * The value, as text.
 */
value: string, };

export type DecisionVersion = { 
/**
 * The decision.
 */
id: DecisionId, 
/**
 * Its kind.
 */
kind: DecisionKind, 
/**
 * Its title.
 */
title: string, 
/**
 * The förvaltning it concerns (`None`: the whole organisation).
 */
forvaltning_id: ForvaltningId | null, 
/**
 * 1, 2, 3 …
 */
version: number, 
/**
 * Beslutad or ersatt.
 */
state: DecisionState, 
/**
 * The outcome (driftgodkännande).
 */
outcome: DecisionOutcome | null, 
/**
 * When it was decided.
 */
decided_on: string | null, 
/**
 * Who decided it.
 */
decided_by: string | null, 
/**
 * Valid until.
 */
valid_until: string | null, 
/**
 * Diarienummer.
 */
diarienummer: string | null, 
/**
 * The frozen document's SHA-256, if it has one.
 */
document_sha256: string | null, 
/**
 * Its size in bytes (0 without a document).
 */
document_bytes: number, };

export type AspectProfile = { 
/**
 * The aspect.
 */
aspect: Aspect, 
/**
 * The highest level among the information sets' current classifications; `None` when
 * none is classified on this aspect.
 */
high_water_mark: number | null, 
/**
 * The highest raise recorded for the system on this aspect.
 */
raised_to: number | null, 
/**
 * The resulting level: the higher of the two.
 */
level: number | null, 
/**
 * Why it is raised, when the raise decides the level.
 */
raise_reasons: Array<RaiseReason>, 
/**
 * The information sets that set the high-water mark.
 */
decided_by_sets: Array<InformationSetId>, 
/**
 * True when some assessment behind the level was made under an earlier scale of this
 * aspect ("gjord enligt tidigare skala"): shown as such until re-examined.
 */
earlier_scale: boolean, 
/**
 * True when the level is at or above the scale's special-analysis limit (KLASSA level 4:
 * "särskild analys krävs – kontakta säkerhetsskyddschefen").
 */
special_analysis: boolean, };

export type ProtectionProfile = { 
/**
 * One entry per aspect assessed under the method in force.
 */
aspects: Array<AspectProfile>, 
/**
 * Information sets of the system that have no classification.
 */
unclassified_sets: Array<InformationSetId>, 
/**
 * True when some level comes from a classification that is only a draft.
 */
from_drafts: boolean, };

export type RiskLevel = { 
/**
 * Sannolikhet.
 */
probability: number, 
/**
 * Konsekvens.
 */
consequence: number, 
/**
 * Probability × consequence.
 */
value: number, 
/**
 * The band's index in the matrix (0 = lowest).
 */
band_index: number, 
/**
 * The band's key.
 */
band_key: string, 
/**
 * The band's name.
 */
band_name: string, };

export type AcceptanceProblem = "NotAccepted" | "NoMandate" | { "MandateTooLow": { 
/**
 * What the band demands at least.
 */
required: Mandate, 
/**
 * What was recorded.
 */
given: Mandate, } } | "NotRiskOwner" | "NotSystemOwner" | "NoReason" | "NoDate";

export type AcceptanceCheck = { 
/**
 * The (residual) level that was accepted.
 */
level: RiskLevel, 
/**
 * The lowest mandate the band allows to accept.
 */
required: Mandate, 
/**
 * Whom the band says to inform.
 */
inform: Array<string>, 
/**
 * What is wrong; empty when the rules are met.
 */
problems: Array<AcceptanceProblem>, };

export type DueItem = { 
/**
 * What kind.
 */
kind: DueKind, 
/**
 * Overdue or due soon.
 */
state: DueState, 
/**
 * The date it is or was due.
 */
due_on: string, 
/**
 * The id of the record concerned.
 */
subject_id: string, 
/**
 * The name of the record concerned.
 */
subject: string, 
/**
 * The system concerned, if any.
 */
system_id: SystemId | null, 
/**
 * The förvaltning concerned, if known.
 */
forvaltning_id: ForvaltningId | null, 
/**
 * What to do, in Swedish.
 */
message: string, 
/**
 * Where in the app it is dealt with.
 */
place: Place, 
/**
 * The kind of register gap, for a [`DueKind::Registerbrist`].
 */
gap: GapKind | null, };

export type Levels = { 
/**
 * Konfidentialitet.
 */
K: number | null, 
/**
 * Riktighet.
 */
R: number | null, 
/**
 * Tillgänglighet.
 */
T: number | null, 
/**
 * Spårbarhet (None also when S is switched off).
 */
S: number | null, };

export type RegisterRow = { 
/**
 * The system's id.
 */
id: SystemId, 
/**
 * Name.
 */
name: string, 
/**
 * Aliases.
 */
aliases: Array<string>, 
/**
 * Description.
 */
description: string, 
/**
 * The förvaltning's id.
 */
forvaltning_id: ForvaltningId, 
/**
 * The förvaltning's name.
 */
forvaltning: string, 
/**
 * The unit's name.
 */
unit: string | null, 
/**
 * Category.
 */
category: SystemCategory, 
/**
 * Life-cycle status.
 */
lifecycle: Lifecycle, 
/**
 * The supplier's id.
 */
supplier_id: ExternalPartyId | null, 
/**
 * The supplier's name.
 */
supplier: string | null, 
/**
 * Holds personal data.
 */
personal_data: boolean | null, 
/**
 * Critical (verksamhetskritisk, samhällsviktig or NIS2).
 */
critical: boolean, 
/**
 * Samhällsviktig.
 */
samhallsviktig: boolean, 
/**
 * NIS2.
 */
nis2: Nis2, 
/**
 * The protection profile.
 */
profile: Levels, 
/**
 * The highest level.
 */
max_level: number | null, 
/**
 * Some level needs a special analysis.
 */
special_analysis: boolean, 
/**
 * Some level was assessed under an earlier scale.
 */
earlier_scale: boolean, 
/**
 * Where the system was registered: this installation's or a sending department's name
 * (the combined register of a central office).
 */
origin_name: string, 
/**
 * Who made its current version and who sent it, when that was not the origin itself
 * ("ändrad av B, skickad av Centralen"); none when it was changed here last.
 */
changed_by: string | null, };

export type SortKey = "name" | "forvaltning" | "level" | "lifecycle";

export type RegisterQuery = { 
/**
 * Words that must all occur in the name, an alias, the description, the supplier or the
 * förvaltning (case-insensitive).
 */
text: string, 
/**
 * Only this förvaltning.
 */
forvaltning: ForvaltningId | null, 
/**
 * Only this life-cycle status.
 */
lifecycle: Lifecycle | null, 
/**
 * Only systems whose highest level is at least this.
 */
min_level: number | null, 
/**
 * Only critical (true) or non-critical (false) systems.
 */
critical: boolean | null, 
/**
 * Only systems with (true) or without (false) personal data.
 */
personal_data: boolean | null, 
/**
 * Only this supplier.
 */
supplier: ExternalPartyId | null, 
/**
 * Order.
 */
sort: SortKey, };

export type RequirementRow = { 
/**
 * The requirement.
 */
requirement: Requirement, 
/**
 * The system's status against it, if assessed.
 */
status: RequirementStatus | null, 
/**
 * True when it is a gap: not met, partly met, or not yet assessed.
 */
gap: boolean, 
/**
 * True when its assessment is older than 12 months (or has no date): assess it again.
 */
due_again: boolean, 
/**
 * The open actions linked to it (closing its gap), by id.
 */
actions: Array<ActionId>, 
/**
 * Why it applies: the baseline, the protection level, or an extra requirement.
 */
basis: RequirementBasis, 
/**
 * Where an extra requirement comes from, for one.
 */
extra: ExtraRequirement | null, 
/**
 * The exception (avsteg) that holds today, if any: no gap while it holds.
 */
exception: Exception | null, };

export type Installation = { 
/**
 * Stable id, the `origin` of every record created here.
 */
id: InstallationId, 
/**
 * A name people recognise (the department).
 */
name: string, 
/**
 * When the database was created.
 */
created_at: Timestamp, };

export type AuditEntry = { 
/**
 * Position in the log, 1, 2, 3 …
 */
seq: number, 
/**
 * When (UTC).
 */
at: string, 
/**
 * Who (the local user name).
 */
actor: string, 
/**
 * The user action ("Ny klassning").
 */
action: string, 
/**
 * insert, update or delete.
 */
operation: string, 
/**
 * The table.
 */
record_table: string, 
/**
 * The record's id.
 */
record_id: string, 
/**
 * Format 2: the changed fields before (an update) or the whole record (a delete), as
 * JSON. Format 1: the whole record before. None for an insert.
 */
before: string | null, 
/**
 * Format 2: the changed fields after (an update), as JSON; None otherwise. Format 1: the
 * whole record after (None for a delete).
 */
after: string | null, 
/**
 * Format 2: the SHA-256 of the record after the write ([`state_hash`]); None for a
 * delete and in format 1.
 */
state: string | null, 
/**
 * [`FORMAT_FULL`] or [`FORMAT_CHANGES`].
 */
format: number, 
/**
 * The previous entry's hash.
 */
prev_hash: string, 
/**
 * This entry's hash.
 */
hash: string, };

export type CheckReport = { 
/**
 * Entries in the audit log.
 */
audit_entries: number, 
/**
 * Records checked against the log.
 */
records_checked: number, 
/**
 * Each problem, in Swedish, naming the table, record or log position.
 */
problems: Array<string>, };

export type UndoTarget = { 
/**
 * Its name in the audit log ("Ny risk").
 */
action: string, 
/**
 * When it was made (UTC).
 */
at: string, 
/**
 * Who made it.
 */
actor: string, 
/**
 * How many records it changed.
 */
changes: number, 
/**
 * Its first audit entry: what [`Store::undo_expecting`] checks.
 */
first_seq: number, 
/**
 * Why it cannot be undone (it added a method version), or `None`.
 */
refused: string | null, };

export type BandShift = { 
/**
 * The band's name (in the draft when it exists there, else in force).
 */
band: string, 
/**
 * Risks in the band today.
 */
now: number, 
/**
 * Risks in the band if they were reassessed under the draft.
 */
draft: number, };

export type MethodPreview = { 
/**
 * Why the draft cannot be used, or `None` when it can.
 */
problem: string | null, 
/**
 * True when the draft equals the method in force (nothing to save).
 */
unchanged: boolean, 
/**
 * Risks assessed under the method in force.
 */
risks: number, 
/**
 * Of those, the ones whose cell lies in another band under the draft.
 */
risks_changing_band: number, 
/**
 * True when the risk scales or bands change, so that existing risks will be shown as
 * "gjord enligt tidigare skala" (never reinterpreted).
 */
risk_scale_changes: boolean, 
/**
 * Classifications made under the method in force.
 */
classifications: number, 
/**
 * The aspects whose classification scale changes (their assessments will be marked).
 */
changed_aspects: Array<Aspect>, 
/**
 * Risks per band now and under the draft.
 */
bands: Array<BandShift>, };

export type RoleHolder = { 
/**
 * The assignment.
 */
assignment: RoleAssignment, 
/**
 * The person's name.
 */
person: string, };

export type SetView = { 
/**
 * The information set.
 */
set: InformationSet, 
/**
 * Its classification in force, if any.
 */
classification: Classification | null, 
/**
 * Every classification of it, newest first.
 */
history: Array<Classification>, 
/**
 * Who holds a role for it (the informationsägare decides its classification).
 */
roles: Array<RoleHolder>, };

export type DependencyView = { 
/**
 * The dependency.
 */
dependency: Dependency, 
/**
 * The name of the system or party on the other side.
 */
other: string, };

export type RiskView = { 
/**
 * The risk.
 */
risk: Risk, 
/**
 * Before treatment.
 */
inherent: RiskLevel | null, 
/**
 * After treatment.
 */
residual: RiskLevel | null, 
/**
 * Made under an earlier risk matrix.
 */
earlier_scale: boolean, 
/**
 * Whether an acceptance meets the band's rules (`None` when not accepted).
 */
acceptance_ok: boolean | null, 
/**
 * What is wrong with the acceptance, in Swedish.
 */
acceptance_problems: Array<string>, };

export type AnalysisView = { 
/**
 * The analysis.
 */
analysis: RiskAnalysis, 
/**
 * Its risks.
 */
risks: Array<RiskView>, };

export type SystemView = { 
/**
 * The system.
 */
system: System, 
/**
 * Its förvaltning's name.
 */
forvaltning: string, 
/**
 * Its supplier's name.
 */
supplier: string | null, 
/**
 * The protection profile.
 */
profile: ProtectionProfile, 
/**
 * Role holders.
 */
roles: Array<RoleHolder>, 
/**
 * Information sets.
 */
information_sets: Array<SetView>, 
/**
 * What it depends on.
 */
depends_on: Array<DependencyView>, 
/**
 * What depends on it.
 */
depended_on_by: Array<DependencyView>, 
/**
 * Requirements at its levels, with status.
 */
requirements: Array<RequirementRow>, 
/**
 * Risk analyses, newest first.
 */
analyses: Array<AnalysisView>, 
/**
 * Actions for the system.
 */
actions: Array<Action>, 
/**
 * The actions that are late (open, past their due date), by id.
 */
overdue_actions: Array<ActionId>, 
/**
 * The key roles ([`Role::KEY_FOR_SYSTEM`]) nobody holds for the system.
 */
missing_roles: Array<Role>, 
/**
 * Decisions about the system.
 */
decisions: Array<Decision>, 
/**
 * Raises of its protection level above its information's.
 */
raises: Array<ProtectionRaise>, 
/**
 * The incidents that touched it, newest first, with their clocks (read at noon of
 * `today`; the Incidenter view reads them to the minute).
 */
incidents: Array<IncidentRow>, };

export type ForvaltningSummary = { 
/**
 * The förvaltning.
 */
forvaltning: Forvaltning, 
/**
 * Its systems.
 */
systems: number, 
/**
 * Its critical systems.
 */
critical: number, 
/**
 * Its overdue items in the yearly cycle.
 */
overdue: number, };

export type HeatCell = { 
/**
 * Probability.
 */
probability: number, 
/**
 * Consequence.
 */
consequence: number, 
/**
 * The band's index.
 */
band_index: number, 
/**
 * Number of risks before treatment.
 */
inherent: number, 
/**
 * Number of risks after treatment.
 */
residual: number, };

export type TopRisk = { 
/**
 * The risk.
 */
view: RiskView, 
/**
 * The system's id.
 */
system_id: SystemId | null, 
/**
 * The system's name.
 */
system: string, };

export type Overview = { 
/**
 * The organisation's name.
 */
organisation: string, 
/**
 * The day it was computed for.
 */
today: string, 
/**
 * Per förvaltning.
 */
forvaltningar: Array<ForvaltningSummary>, 
/**
 * Systems per highest protection level (index = level; the last entry counts systems
 * without a classified level).
 */
systems_by_level: Array<number>, 
/**
 * The heat map over every risk of the organisation, all cells.
 */
heat_map: Array<HeatCell>, 
/**
 * The most urgent of what is due or overdue (at most [`Overview::SHOWN`]); the full list
 * is `gather::due_list`.
 */
due: Array<DueItem>, 
/**
 * How many items are due or overdue in all.
 */
due_total: number, 
/**
 * The highest residual risks not accepted.
 */
top_risks: Array<TopRisk>, 
/**
 * The oldest open actions past their due date (at most [`Overview::SHOWN`]).
 */
overdue_actions: Array<Action>, 
/**
 * How many open actions are past their due date in all.
 */
overdue_actions_total: number, 
/**
 * The register's gaps per kind (each is also an overdue item of the yearly cycle).
 */
gaps: Array<GapCount>, 
/**
 * The incidents not yet closed, with their clocks (newest first).
 */
open_incidents: Array<IncidentRow>, };

export type ActionPlanRow = { 
/**
 * The action.
 */
action: Action, 
/**
 * The system's name.
 */
system: string | null, 
/**
 * The responsible person's name.
 */
responsible: string | null, 
/**
 * The titles of the risks it treats.
 */
risks: Array<string>, 
/**
 * The codes of the requirements whose gaps it closes.
 */
requirements: Array<string>, 
/**
 * The decision whose condition it fulfils ("Driftgodkännande version 2"), if any.
 */
condition_of: string | null, 
/**
 * Open and past its due date.
 */
overdue: boolean, };

export type IncidentRow = { 
/**
 * The incident.
 */
incident: Incident, 
/**
 * The names of the systems it touched.
 */
systems: Array<string>, 
/**
 * Its deadlines and how each stands.
 */
deadlines: Array<Deadline>, 
/**
 * A serious incident (betydande, or near the top of the consequence scale).
 */
serious: boolean, 
/**
 * A deadline was missed and nothing has been sent for it.
 */
late: boolean, };

export type IncidentView = { 
/**
 * The incident and its clocks.
 */
row: IncidentRow, 
/**
 * The affected systems.
 */
systems: Array<LinkLine>, 
/**
 * The affected information sets.
 */
information_sets: Array<LinkLine>, 
/**
 * The risks it showed.
 */
risks: Array<LinkLine>, 
/**
 * The actions it gave, with their status.
 */
actions: Array<Action>, 
/**
 * The links of those actions (to remove one).
 */
action_links: Array<LinkLine>, 
/**
 * The reports sent, oldest first.
 */
reports: Array<ReportLine>, 
/**
 * The recipients of reports to choose from.
 */
recipients: Array<Recipient>, 
/**
 * The name of the förvaltning that handles it.
 */
forvaltning: string, };

export type LinkLine = { 
/**
 * The link.
 */
link: IncidentLink, 
/**
 * What it points at, by name ("Ekonomisystem", "Risk: Intrång via leverantör").
 */
name: string, };

export type ReportLine = { 
/**
 * The report.
 */
report: IncidentReport, 
/**
 * To whom.
 */
recipient: string, };

export type NewIncident = { 
/**
 * Short title.
 */
title: string, 
/**
 * What happened, as first told.
 */
description: string, 
/**
 * When it became known.
 */
known_at: Moment, 
/**
 * Who reported it.
 */
reported_by: string, 
/**
 * Affected systems.
 */
system_ids: Array<SystemId>, 
/**
 * A betydande incident under cybersäkerhetslagen.
 */
significant: boolean, 
/**
 * Whether personal data was breached.
 */
personal_data_breach: Answer, };

export type ReportSent = { 
/**
 * The incident.
 */
incident_id: IncidentId, 
/**
 * Which report.
 */
kind: ReportKind, 
/**
 * When it was sent.
 */
sent_at: Moment, 
/**
 * To whom.
 */
recipient_id: RecipientId, 
/**
 * The recipient's reference, if any.
 */
reference: string, };

export type Moment = string;

export type Deadline = { 
/**
 * Which report.
 */
kind: ReportKind, 
/**
 * When it is due, in Swedish time; none while it waits for another report.
 */
due_at: string | null, 
/**
 * When it was first sent.
 */
sent_at: string | null, 
/**
 * How it stands.
 */
state: DeadlineState, 
/**
 * Minutes left until it is due (negative once missed); none when sent or waiting.
 */
minutes_left: number | null, 
/**
 * The time left as the clocks say it ("3 h 20 min kvar", "MISSAD sedan 1 dygn 2 h");
 * none when sent or waiting.
 */
left: string | null, };

export type ControlRow = { 
/**
 * The control.
 */
control: Control, 
/**
 * Its kind's name.
 */
kind: string, 
/**
 * The figures its kind records.
 */
figures: ControlFigures, 
/**
 * The system's name, or the förvaltning's, or the organisation's ("Hela organisationen").
 */
scope: string, 
/**
 * Who does it, by name.
 */
responsible: string | null, 
/**
 * When it was last done.
 */
last_done: string | null, 
/**
 * How it went then.
 */
last_result: ControlResult | null, 
/**
 * When it is next due (none once it has stopped).
 */
next_due: string | null, 
/**
 * Late, or due within 30 days; none when neither (or stopped).
 */
state: DueState | null, 
/**
 * How many times it was done.
 */
runs: number, };

export type ControlView = { 
/**
 * The control and where it stands.
 */
row: ControlRow, 
/**
 * The times it was done, newest first.
 */
runs: Array<ControlRun>, 
/**
 * The requirements it evidences, by code and title ("K-08 Årlig översyn av behörigheter").
 */
requirements: Array<string>, };

export type ExceptionRow = { 
/**
 * The exception.
 */
exception: Exception, 
/**
 * The system's name.
 */
system: string, 
/**
 * The requirement's code ("K-06").
 */
code: string, 
/**
 * The requirement's title.
 */
requirement: string, 
/**
 * Who approved it, by name.
 */
approved_by: string | null, 
/**
 * Whether it holds today.
 */
holds: boolean, 
/**
 * Where it stands, in Swedish ("Gäller t.o.m. 2027-06-30", "Gick ut 2026-06-30",
 * "Återkallat 2026-05-01").
 */
standing: string, 
/**
 * Ends within 30 days, or ended with its requirement still unmet.
 */
state: DueState | null, };

export type ControlDone = { 
/**
 * The control.
 */
control_id: ControlId, 
/**
 * When it was done.
 */
done_on: string, 
/**
 * Who did it.
 */
done_by: string, 
/**
 * The result.
 */
result: ControlResult, 
/**
 * What was found.
 */
findings: string, 
/**
 * A note.
 */
note: string, 
/**
 * How it was done this time, if other than the control's method.
 */
method: string, 
/**
 * Accounts reviewed.
 */
accounts_reviewed: number | null, 
/**
 * Accounts removed.
 */
accounts_removed: number | null, 
/**
 * Restore time achieved, in hours.
 */
restore_hours: number | null, };

export type NewControl = { 
/**
 * The kind.
 */
kind_id: ControlKindId, 
/**
 * The system controlled; none for a control of a förvaltning or the organisation.
 */
system_id: SystemId | null, 
/**
 * The förvaltning, for a control without a system.
 */
forvaltning_id: ForvaltningId | null, 
/**
 * Who does it.
 */
responsible_id: PersonId | null, 
/**
 * How often, in months (the kind's interval when not given).
 */
interval_months: number | null, 
/**
 * How it is done.
 */
method: string, 
/**
 * When it is first due (today when not given).
 */
first_due: string | null, };

export type NewException = { 
/**
 * The system.
 */
system_id: SystemId, 
/**
 * The requirement.
 */
requirement_id: RequirementId, 
/**
 * Why.
 */
reason: string, 
/**
 * What compensates.
 */
compensating: string, 
/**
 * The risk accepted meanwhile: probability.
 */
probability: number | null, 
/**
 * The risk accepted meanwhile: consequence.
 */
consequence: number | null, 
/**
 * Who approved it.
 */
approved_by: PersonId | null, 
/**
 * Under which mandate (the band's lowest when not given; systemägare without a risk).
 */
approved_as: Mandate | null, 
/**
 * When (today when not given).
 */
approved_on: string | null, 
/**
 * The last day it holds.
 */
valid_until: string, };

export type ControlOutcome = { 
/**
 * The run recorded.
 */
run: ControlRun, 
/**
 * When the control is next due.
 */
next_due: string, 
/**
 * The requirement statuses it assessed, with the control as evidence.
 */
statuses: Array<RequirementStatus>, 
/**
 * The action its deviations became, if any.
 */
action: Action | null, 
/**
 * A restore test slower than the system's RTO: the hours achieved and the RTO.
 */
over_rto: [number, number] | null, };

export type Fingerprint = { 
/**
 * OpenSSH's form, `SHA256:…` (what `ssh-keygen -l -f key.pub` prints).
 */
openssh: string, 
/**
 * 32 characters in 8 groups of 4 (the first 160 bits, Crockford base32: digits and
 * capitals without I, L, O, U), for reading aloud on the phone or comparing on paper.
 */
readable: string, };

export type Identity = { 
/**
 * The department's name.
 */
name: string, 
/**
 * The public key, OpenSSH one-line form (what others add to their trust list).
 */
public_key: string, 
/**
 * Its fingerprint.
 */
fingerprint: Fingerprint, 
/**
 * When it was made.
 */
created_at: string, 
/**
 * The last bundle number used.
 */
last_sequence: number, 
/**
 * Where the private key file is.
 */
key_file: string | null, };

export type TrustedKey = { 
/**
 * The department's name, as the receiver calls it.
 */
name: string, 
/**
 * Its fingerprint.
 */
fingerprint: Fingerprint, 
/**
 * The public key.
 */
public_key: string, 
/**
 * When it was added, and by whom.
 */
added_at: string, 
/**
 * Who added it.
 */
added_by: string, 
/**
 * When it was revoked, if it is.
 */
revoked_at: string | null, 
/**
 * What it may send: its role and förvaltningar, who compared it, its expiry.
 */
terms: TrustTerms, 
/**
 * When the fingerprint was compared (when the terms' `compared_by` was recorded).
 */
compared_at: string | null, 
/**
 * Whether its expiry has passed (bundles it signs are refused).
 */
expired: boolean, };

export type TrustState = "trusted" | "revoked" | "unknown" | "own" | "expired";

export type SenderRole = "avdelning" | "central";

export type TrustTerms = { 
/**
 * Avdelning or central.
 */
role: SenderRole, 
/**
 * The förvaltningar (by name) a department answers for, besides what it made itself.
 */
forvaltningar: Array<string>, 
/**
 * Who compared the fingerprint with the sender (by phone or on paper).
 */
compared_by: string, 
/**
 * The last day bundles signed with the key are taken in (YYYY-MM-DD), if it ends.
 */
expires_on: string | null, };

export type Allowance = { 
/**
 * The sender, by its name in the trust list.
 */
sender: string, 
/**
 * The record's table.
 */
table: string, 
/**
 * The record's id.
 */
record_id: string, 
/**
 * The record as people know it (its name or title), when it is here.
 */
title: string, 
/**
 * The kind of record in Swedish ("Systemet").
 */
label: string, 
/**
 * When, and by whom.
 */
allowed_at: string, 
/**
 * Who allowed it.
 */
allowed_by: string, };

export type Refusal = { 
/**
 * The table.
 */
table: string, 
/**
 * The kind of record in Swedish ("Systemet").
 */
label: string, 
/**
 * The record's local id.
 */
id: string, 
/**
 * A name people recognise.
 */
title: string, 
/**
 * Why, naming the sender and whose the record is.
 */
reason: string, 
/**
 * Whether the receiver may let this sender's changes of the record through as conflicts
 * (an out-of-scope change may; a forged counter never).
 */
allowable: boolean, };

export type SignerInfo = { 
/**
 * The sender's name as the bundle gives it.
 */
name: string, 
/**
 * The key, OpenSSH form.
 */
public_key: string, 
/**
 * Its fingerprint.
 */
fingerprint: Fingerprint, 
/**
 * Trusted, revoked, unknown or own.
 */
trust: TrustState, 
/**
 * The name in the trust list, if any.
 */
trusted_as: string | null, 
/**
 * The terms it is trusted on, if it is in the trust list.
 */
terms: TrustTerms | null, };

export type ChangeKind = "new" | "changed" | "deleted" | "conflict" | "matched";

export type FieldDiff = { 
/**
 * The field (column) name.
 */
field: string, 
/**
 * The field's name in Swedish, as people know it ("Beskrivning").
 */
label: string, 
/**
 * Its value here (null if the record is not here).
 */
mine: unknown, 
/**
 * Its value in the bundle (null if deleted there).
 */
theirs: unknown, };

export type PlannedChange = { 
/**
 * The table.
 */
table: string, 
/**
 * The kind of record in Swedish ("Systemet").
 */
label: string, 
/**
 * The record's local id (the id it has or will have here).
 */
id: string, 
/**
 * A name people recognise (name, title or code).
 */
title: string, 
/**
 * What happens.
 */
kind: ChangeKind, 
/**
 * Why, for conflicts and matches.
 */
reason: string | null, 
/**
 * The fields that differ (changed, conflicts, matches).
 */
fields: Array<FieldDiff>, 
/**
 * Where my version was last changed (installation name), if I have one.
 */
mine_origin: string | null, 
/**
 * Where theirs comes from (the record's origin installation, by name).
 */
theirs_origin: string, 
/**
 * Who made theirs (installation name): proven by its change attestation, or by the
 * bundle's signature when the sender made it. `None` when not proven (a relayed change
 * without an attestation).
 */
made_by: string | null, };

export type KindCounts = { 
/**
 * The table.
 */
table: string, 
/**
 * The kind in Swedish.
 */
label: string, 
/**
 * New records.
 */
new: number, 
/**
 * Changed records.
 */
changed: number, 
/**
 * Unchanged (or newer here).
 */
unchanged: number, 
/**
 * Deleted records.
 */
deleted: number, 
/**
 * Conflicts.
 */
conflicts: number, 
/**
 * Matched to a local record under another id.
 */
matched: number, };

export type MergePlan = { 
/**
 * Per kind of record.
 */
counts: Array<KindCounts>, 
/**
 * Every change (unchanged records are only counted).
 */
changes: Array<PlannedChange>, 
/**
 * Records unchanged (the same here, or newer here).
 */
unchanged: number, 
/**
 * Whether the sender's method differs from the one in force here: its assessments keep
 * their scale and are shown as made under the sender's method.
 */
method_differs: boolean, 
/**
 * A digest of what would be written; the app shows a plan and applies only the same one.
 */
digest: string, 
/**
 * Who sent the bundle (its name in the trust list, else as it names itself).
 */
sender: string, 
/**
 * Changes the sender may not make: while there is one, the bundle is not imported.
 */
refusals: Array<Refusal>, 
/**
 * Things to look at before importing (a sender touching förvaltningar it has not sent
 * before).
 */
warnings: Array<string>, };

export type BundleSummary = { 
/**
 * The sending department, as the manifest names it.
 */
sender: string, 
/**
 * The name it has in the trust list here.
 */
trusted_as: string | null, 
/**
 * The signer's fingerprint.
 */
fingerprint: Fingerprint, 
/**
 * The sender's installation id.
 */
installation_id: string, 
/**
 * The sequence number.
 */
sequence: number, 
/**
 * When it was made.
 */
created_at: string, 
/**
 * What it holds, in words.
 */
scope: string, 
/**
 * Format version.
 */
format_version: number, 
/**
 * Whether it arrived encrypted.
 */
encrypted: boolean, 
/**
 * Records per table (as decoded), and "tombstones".
 */
counts: { [key in string]: bigint }, 
/**
 * Frozen decision documents carried.
 */
documents: number, 
/**
 * SHA-256 of the file.
 */
file_sha256: string, 
/**
 * Whether exactly this bundle was imported here already.
 */
already_imported: boolean, };

export type ImportReport = { 
/**
 * The bundle.
 */
bundle: BundleSummary, 
/**
 * The plan (applied unless `applied` is false).
 */
plan: MergePlan, 
/**
 * Whether it was written.
 */
applied: boolean, };

export type ImportProgress = { 
/**
 * The step, in Swedish ("Skriver poster").
 */
step: string, 
/**
 * Done of `total` in this step (0 of 0 for a step without a count).
 */
done: number, 
/**
 * The step's size.
 */
total: number, };

export type Field = "name" | "aliases" | "description" | "category" | "organisation" | "unit" | "pm3_object" | "lifecycle" | "in_operation_since" | "decommission_on" | "owner" | "manager" | "technical_manager" | "supplier" | "contract_end" | "notice_period_months" | "security_requirements_in_contract" | "operation_form" | "data_location" | "personal_data" | "sensitive_personal_data" | "dpia_done" | "processor_agreement" | "business_critical" | "samhallsviktig" | "samhallsviktig_reason" | "nis2" | "sakerhetsskydd" | "rto_hours" | "rpo_hours" | "backup_frequency" | "restore_tested_on" | "mfa" | "logging" | "system_security_plan" | "last_review_on" | "depends_on" | "depended_on_by" | "k" | "r" | "t" | "s" | "done_last_year" | "id";

export type ColumnMapping = { 
/**
 * The column's header in the file.
 */
header: string, 
/**
 * The field, or none.
 */
field: Field | null, 
/**
 * Why it was proposed ("synonym «systemansvarig»"), or that it was chosen or saved.
 */
why: string, };

export type Mapping = { 
/**
 * One per column, in the file's order.
 */
columns: Array<ColumnMapping>, 
/**
 * The role of each level of the organisation column's paths (empty: proposed from the
 * file).
 */
levels: Array<LevelRole>, 
/**
 * What the values of the closed-set columns become.
 */
values: Array<ValueChoice>, 
/**
 * Where a dependency cell is split (outside parentheses).
 */
separators: Array<string>, };

export type RowAction = "create" | "update" | "unchanged" | "skip";

export type RowProblem = { 
/**
 * The column's header.
 */
column: string, 
/**
 * What was wrong and what was done instead.
 */
message: string, };

export type RowReport = { 
/**
 * Its row number in the file.
 */
row: number, 
/**
 * The system's name as the file gives it.
 */
name: string, 
/**
 * What happens.
 */
action: RowAction, 
/**
 * Why a row is skipped.
 */
reason: string | null, 
/**
 * The fields that change (Swedish names).
 */
changes: Array<string>, 
/**
 * Values that could not be used, with the column.
 */
warnings: Array<RowProblem>, };

export type ImportCounts = { 
/**
 * New systems.
 */
created: number, 
/**
 * Changed systems.
 */
updated: number, 
/**
 * Systems already as the file says.
 */
unchanged: number, 
/**
 * Rows not imported.
 */
skipped: number, 
/**
 * Values reported (the rows are still imported).
 */
warnings: number, };

export type RegisterImportReport = { 
/**
 * The sheet read.
 */
sheet: string, 
/**
 * Counts.
 */
counts: ImportCounts, 
/**
 * Every row.
 */
rows: Array<RowReport>, 
/**
 * Förvaltningar and units that will be created ("Förvaltning / Enhet").
 */
new_organisation: Array<string>, 
/**
 * People who will be created.
 */
new_people: Array<string>, 
/**
 * Suppliers and external parties that will be created.
 */
new_parties: Array<string>, 
/**
 * Dependencies on names that are no system here or in the file: kept as dependencies on
 * an external party of that name.
 */
unresolved_dependencies: Array<string>, 
/**
 * The levels of the organisation column's paths and what each is taken as.
 */
organisation_levels: Array<LevelFound>, 
/**
 * The förvaltningar and units the file's systems land in (new ones marked).
 */
organisation_tree: Array<OrgNode>, 
/**
 * Values not read (nobody mapped them, or no date or number), once each with their rows.
 */
unread_values: Array<UnreadValue>, 
/**
 * Actions made from questions answered "nej" ("System: Genomför riskanalys").
 */
new_actions: Array<string>, 
/**
 * Dependencies added.
 */
new_dependencies: number, 
/**
 * Existing dependencies given the criticality or kind the file says.
 */
changed_dependencies: number, 
/**
 * A digest of what would be written; the import applies only the plan shown.
 */
digest: string, 
/**
 * Whether it was written.
 */
applied: boolean, };

export type UnreadValue = { 
/**
 * The column's header.
 */
column: string, 
/**
 * The value.
 */
value: string, 
/**
 * The rows.
 */
rows: Array<number>, 
/**
 * What was done with it.
 */
kept: string, };

export type OrgNode = { 
/**
 * Its name.
 */
name: string, 
/**
 * Förvaltning or bolag.
 */
kind: string, 
/**
 * Made by this import.
 */
new: boolean, 
/**
 * How many of the file's systems land in it.
 */
systems: number, 
/**
 * Its units the file's systems land in.
 */
units: Array<UnitNode>, };

export type UnitNode = { 
/**
 * Its name.
 */
name: string, 
/**
 * Made by this import.
 */
new: boolean, 
/**
 * How many of the file's systems land in it.
 */
systems: number, };

export type LevelFound = { 
/**
 * 1 for the first.
 */
level: number, 
/**
 * How many different values it has.
 */
distinct: number, 
/**
 * The most common values.
 */
examples: Array<string>, 
/**
 * What it is taken as.
 */
role: LevelRole, 
/**
 * Why, when proposed.
 */
why: string, };

export type LevelRole = "organisation" | "grupp" | "forvaltning" | "enhet";

export type ValueChoice = { 
/**
 * The column's header.
 */
header: string, 
/**
 * The value as the file writes it.
 */
value: string, 
/**
 * The key of what it becomes ("ja", "nej", a category's key …); none: left unread.
 */
becomes: string | null, 
/**
 * Why it was proposed ("synonym «stöd»"), or that the person chose it.
 */
how: string, };

export type ValueFound = { 
/**
 * The column's header.
 */
header: string, 
/**
 * The field it is mapped to.
 */
field: Field, 
/**
 * The value.
 */
value: string, 
/**
 * The rows it is on.
 */
rows: number, 
/**
 * What it becomes (a key of the field's targets), or none.
 */
becomes: string | null, 
/**
 * Why.
 */
how: string, };

export type ValueTarget = { 
/**
 * The key (kept in the mapping file).
 */
key: string, 
/**
 * The label.
 */
label: string, };

export type Conflict = { 
/**
 * Its id.
 */
id: string, 
/**
 * The table.
 */
table: string, 
/**
 * The kind of record in Swedish.
 */
label: string, 
/**
 * The record's id.
 */
record_id: string, 
/**
 * A name people recognise.
 */
title: string, 
/**
 * Why it is a conflict.
 */
reason: string, 
/**
 * The fields that differ, mine and theirs.
 */
fields: Array<FieldDiff>, 
/**
 * Whether the record is deleted here.
 */
mine_deleted: boolean, 
/**
 * Whether the record is deleted there.
 */
theirs_deleted: boolean, 
/**
 * Where theirs was created (installation name).
 */
theirs_origin: string, 
/**
 * Who made theirs (installation name), when proven; `None` when not.
 */
theirs_maker: string | null, 
/**
 * The department whose bundle brought it.
 */
sender: string, 
/**
 * When it was found.
 */
detected_at: string, 
/**
 * When it was settled, if it is.
 */
resolved_at: string | null, 
/**
 * How: "mine", "theirs" or "edited".
 */
resolution: string | null, 
/**
 * By whom.
 */
resolved_by: string | null, };

export type Resolution = { "keep": "mine" } | { "keep": "theirs" } | { "keep": "fields", 
/**
 * The fields to take from theirs.
 */
theirs: Array<string>, };

export type IpcError = { 
/**
 * Short, stable code ("invalid", "not_found", "no_database" …).
 */
code: string, 
/**
 * What happened and what to do, in Swedish.
 */
message: string, };

export type AppInfo = { 
/**
 * The database file.
 */
path: string, 
/**
 * True for the demo database.
 */
is_demo: boolean, 
/**
 * The organisation's name.
 */
organisation: string, 
/**
 * The installation's name.
 */
installation: string, 
/**
 * Schema version.
 */
schema_version: number, 
/**
 * Method version in force.
 */
method_version: number, 
/**
 * True when the database has no organisation yet (a new database): show the setup.
 */
needs_setup: boolean, 
/**
 * True when the file is encrypted (SQLCipher).
 */
encrypted: boolean, 
/**
 * The day the app counts as today, when a test has set it (`RISKVERKSTAD_TODAY`).
 */
test_today: string | null, };

export type RegisterPage = { 
/**
 * Changes with every write; positions from another generation are stale.
 */
generation: number, 
/**
 * Every row, by name.
 */
rows: Array<RegisterRow>, };

export type RegisterHits = { 
/**
 * The generation of the rows the positions refer to.
 */
generation: number, 
/**
 * Positions of the matching rows, in the query's order.
 */
positions: Array<number>, };

export type ReportPreview = { 
/**
 * The document's title.
 */
title: string, 
/**
 * The secrecy marking in its header.
 */
marking: string, 
/**
 * Document id, version and date.
 */
identity: string, 
/**
 * Number of pages.
 */
pages: number, 
/**
 * Size in bytes.
 */
bytes: number, 
/**
 * SHA-256 of the bytes: the same input gives the same document.
 */
sha256: string, 
/**
 * Its headings, in order.
 */
headings: Array<string>, };

export type ExchangeState = { identity: Identity | null, trusted: Array<TrustedKey>, conflicts: Array<Conflict>, 
/**
 * Records whose out-of-scope changes from a sender arrive as conflicts.
 */
allowances: Array<Allowance>, };

export type BundlePreview = { file: string, signer: SignerInfo | null, report: ImportReport | null, refusal: IpcError | null, };

export type RegisterColumn = { 
/**
 * The header in the file.
 */
header: string, 
/**
 * The field it is mapped to, or none (kept as an extra attribute).
 */
field: Field | null, 
/**
 * The first few values, to recognise the column by.
 */
samples: Array<string>, 
/**
 * Why the field was proposed, or that it was saved.
 */
why: string, };

export type FieldChoice = { 
/**
 * The field.
 */
field: Field, 
/**
 * Its Swedish name.
 */
header: string, 
/**
 * What its values can become (a closed-set field), or none (read as they are).
 */
values: Array<ValueTarget> | null, 
/**
 * Whether several columns may hold it (the yearly questions).
 */
several: boolean, };

export type RegisterFilePreview = { 
/**
 * The file.
 */
file: string, 
/**
 * "xlsx", "ods" or "csv", with the encoding and delimiter of a csv.
 */
format: string, 
/**
 * The workbook's sheets.
 */
sheets: Array<string>, 
/**
 * The sheet read.
 */
sheet: string, 
/**
 * Rows under the header.
 */
rows: number, 
/**
 * The columns and their mapping.
 */
columns: Array<RegisterColumn>, 
/**
 * Every field, for the mapping's choices.
 */
fields: Array<FieldChoice>, 
/**
 * The dry run under this mapping, or why there is none.
 */
report: RegisterImportReport | null, 
/**
 * Why the mapping cannot be used yet (a field chosen twice, no name column).
 */
problem: string | null, 
/**
 * Whether the mapping came from the one saved with the last import.
 */
saved_mapping: boolean, 
/**
 * The distinct values of the closed-set columns, with what each becomes.
 */
values: Array<ValueFound>, 
/**
 * Every value choice of the mapping (those of values this file does not hold are kept
 * for the next file); sent back with the mapping.
 */
value_choices: Array<ValueChoice>, 
/**
 * The roles of the organisation paths' levels in use (as the mapping says, or proposed).
 */
levels: Array<LevelRole>, 
/**
 * Where dependency cells are split.
 */
separators: Array<string>, 
/**
 * The roles a level can be given.
 */
level_choices: Array<LevelChoice>, };

export type LevelChoice = { 
/**
 * The role.
 */
role: LevelRole, 
/**
 * Its Swedish name.
 */
label: string, };

export type SecurityOverview = { 
/**
 * True when the file is encrypted.
 */
encrypted: boolean, 
/**
 * True for the demo database.
 */
is_demo: boolean, 
/**
 * The backups folder.
 */
folder: string, 
/**
 * The backups, newest first.
 */
backups: Array<BackupInfo>, 
/**
 * When a restore (or a verification of every backup) was last done.
 */
restore_tested: Timestamp | null, 
/**
 * Minutes without use before the app locks.
 */
idle_lock_minutes: number, 
/**
 * What the backups take together, against their limit.
 */
backup_usage: BackupUsage, };

export type Gate = { 
/**
 * Which gate.
 */
kind: GateKind, 
/**
 * The database file.
 */
path: string, 
/**
 * Why it is shown, in Swedish.
 */
message: string, 
/**
 * For a damaged database: the newest backup that verifies, if any.
 */
backup: BackupCheck | null, 
/**
 * For a damaged database: whether it is encrypted (another passphrase may be tried).
 */
encrypted: boolean, };

export type GateKind = "locked" | "new" | "damaged";

export type ZoomChange = "in" | "out" | "reset";

export type Zoomed = { 
/**
 * The level now, in percent.
 */
percent: number, 
/**
 * Why the level could not be kept for the next start, when it could not (the window is
 * zoomed all the same).
 */
not_kept: string | null, };

export type BackupInfo = { 
/**
 * The file's name in the backups folder.
 */
file_name: string, 
/**
 * When it was made.
 */
taken_at: Timestamp, 
/**
 * Why.
 */
reason: BackupReason, 
/**
 * Its size in bytes.
 */
bytes: number, };

export type BackupCheck = { 
/**
 * The backup.
 */
backup: BackupInfo, 
/**
 * Whether it opened with the key and passed the integrity and audit-chain checks.
 */
ok: boolean, 
/**
 * Its schema version.
 */
schema_version: number, 
/**
 * How many systems it holds.
 */
systems: number, 
/**
 * Audit entries checked.
 */
audit_entries: number, 
/**
 * What was wrong, in Swedish (empty when ok).
 */
problems: Array<string>, };

export type BackupUsage = { 
/**
 * The copies (those of a damaged database included).
 */
count: number, 
/**
 * Their total size in bytes.
 */
bytes: number, 
/**
 * The most they may take together, in MB ([`DEFAULT_LIMIT_MB`] unless set).
 */
limit_mb: number, };

export type Rekeyed = { 
/**
 * Backups now encrypted with the new passphrase.
 */
backups: number, 
/**
 * Backups that could not be (file and reason): they keep their earlier key.
 */
left_as_they_were: Array<string>, };

export type Strength = { 
/**
 * 0 (guessed at once) to 4 (very hard to guess), zxcvbn's score.
 */
score: number, 
/**
 * The score in words ("Svag", "Stark" …).
 */
label: string, 
/**
 * What would make it stronger, in Swedish (empty when it is strong).
 */
hint: string, 
/**
 * How many characters it has.
 */
chars: number, 
/**
 * Whether it has at least [`MIN_PASSPHRASE_CHARS`] characters.
 */
long_enough: boolean, };

export type Decided = { 
/**
 * Beslutsfattare.
 */
decided_by: PersonId, 
/**
 * Föredragande.
 */
presented_by: PersonId | null, 
/**
 * The outcome (required for a driftgodkännande).
 */
outcome: DecisionOutcome | null, 
/**
 * Conditions with dates (driftgodkänns med villkor).
 */
conditions: Array<Condition>, 
/**
 * Valid until / re-examined by (a driftgodkännande defaults to a year).
 */
valid_until: string | null, 
/**
 * The assessment (bedömning), if the decider wrote one.
 */
assessment: string, };

/** Swedish labels of the stored enum values, generated from the Rust enums. */
export const LABELS = {
  Aspect: {
    "K": "Konfidentialitet",
    "R": "Riktighet",
    "T": "Tillgänglighet",
    "S": "Spårbarhet",
  },
  Mandate: {
    "riskagare": "Riskägare",
    "systemagare": "Systemägare",
    "forvaltningschef": "Förvaltningschef",
    "namnd": "Nämnd",
  },
  BackupReason: {
    "daglig": "Daglig",
    "import": "Före import",
    "migrering": "Före uppgradering av databasen",
    "aterlasning": "Före återläsning",
    "manuell": "Manuell",
    "skadad": "Skadad databas, sparad före återläsning",
  },
  ForvaltningKind: {
    "forvaltning": "Förvaltning",
    "bolag": "Bolag",
  },
  Role: {
    "systemagare": "Systemägare",
    "informationsagare": "Informationsägare",
    "systemforvaltare": "Systemförvaltare",
    "teknisk_forvaltare": "Teknisk förvaltare",
    "verksamhetsansvarig": "Verksamhetsansvarig",
    "it_ansvarig": "IT-ansvarig",
    "dataskyddsombud": "Dataskyddsombud",
    "objektagare": "Objektägare",
    "forvaltningsledare": "Förvaltningsledare",
  },
  PartyKind: {
    "leverantor": "Leverantör",
    "myndighet": "Myndighet",
    "annan": "Annan",
  },
  SystemCategory: {
    "verksamhetssystem": "Verksamhetssystem",
    "stodsystem": "Stödsystem",
    "infrastruktur": "Infrastruktur",
    "plattform": "Plattform",
  },
  Lifecycle: {
    "planerad": "Planerad",
    "under_inforande": "Under införande",
    "i_drift": "I drift",
    "under_avveckling": "Under avveckling",
    "avvecklad": "Avvecklad",
  },
  OperationForm: {
    "egen_drift": "Egen drift",
    "extern_drift": "Extern drift",
    "molntjanst": "Molntjänst/SaaS",
  },
  DataLocation: {
    "sverige": "Sverige",
    "eu_ees": "EU/EES",
    "tredje_land": "Tredje land",
  },
  Nis2: {
    "ej_tillampligt": "Ej tillämplig",
    "viktig": "Viktig",
    "vasentlig": "Väsentlig",
  },
  DependencyKind: {
    "api": "API",
    "fil": "Fil",
    "replikering": "Replikering",
    "manuell": "Manuell",
    "annan": "Annat",
  },
  DependencyCriticality: {
    "helt": "Helt verksamhetskritiskt",
    "betydande": "Till betydande del verksamhetskritiskt",
    "begransad": "Till betydande del ej verksamhetskritiskt",
    "ej": "Ej verksamhetskritiskt",
  },
  ClassificationStatus: {
    "utkast": "Utkast",
    "faststalld": "Fastställd",
  },
  RaiseReason: {
    "ackumulering": "Ackumulering",
    "aggregering": "Aggregering",
    "integration": "Integration",
  },
  Compliance: {
    "uppfyllt": "Uppfyllt",
    "delvis": "Delvis uppfyllt",
    "ej_uppfyllt": "Ej uppfyllt",
    "ej_tillampligt": "Ej tillämpligt",
  },
  RequirementBasis: {
    "basniva": "Basnivå",
    "skyddsniva": "Skyddsnivå",
    "tillaggskrav": "Tilläggskrav",
  },
  ThreatCategory: {
    "antagonistisk": "Antagonistiska hot och cyberangrepp",
    "misstag": "Mänskliga misstag",
    "tekniskt_fel": "Tekniska fel",
    "infrastruktur": "Infrastruktur och leverantörer",
    "natur": "Natur och fysisk miljö",
    "administrativ": "Administrativa brister",
  },
  AnalysisStatus: {
    "pagar": "Pågår",
    "klar": "Klar",
  },
  Treatment: {
    "reducera": "Reducera",
    "acceptera": "Acceptera",
    "undvika": "Undvika",
    "overfora": "Överföra",
  },
  ActionStatus: {
    "planerad": "Planerad",
    "pagar": "Pågår",
    "genomford": "Genomförd",
    "avbruten": "Avbruten",
  },
  DecisionKind: {
    "driftgodkannande": "Driftgodkännande",
    "riskacceptans": "Riskacceptans",
    "klassning": "Klassningsprotokoll",
    "handlingsplan": "Handlingsplan",
    "lagesbild": "Lägesbild",
    "systemsakerhetsplan": "Systemsäkerhetsplan",
  },
  DecisionState: {
    "utkast": "Utkast",
    "beslutad": "Beslutad",
    "ersatt": "Ersatt",
  },
  DecisionOutcome: {
    "driftgodkanns": "Driftgodkänns",
    "med_villkor": "Driftgodkänns med villkor",
    "inte": "Driftgodkänns inte",
  },
  IncidentStatus: {
    "oppen": "Öppen",
    "under_hantering": "Under hantering",
    "avslutad": "Avslutad",
  },
  Answer: {
    "vet_ej": "Vet ej",
    "nej": "Nej",
    "ja": "Ja",
  },
  ControlResult: {
    "utan_anmarkning": "Utan anmärkning",
    "med_avvikelser": "Med avvikelser",
  },
  ControlFigures: {
    "inga": "Inga",
    "konton": "Konton granskade och borttagna",
    "aterlasning": "Uppnådd återställningstid",
  },
  RequirementSource: {
    "lag": "Lag eller förordning",
    "avtal": "Avtal",
    "verksamhet": "Verksamhetens behov",
    "hot": "Hot eller risk",
  },
  ReportKind: {
    "tidig_varning": "Tidig varning",
    "incidentanmalan": "Incidentanmälan",
    "slutrapport": "Slutrapport",
    "gdpr": "Anmälan av personuppgiftsincident",
  },
  DeadlineState: {
    "loper": "Klockan går",
    "missad": "Missad",
    "skickad": "Skickad i tid",
    "skickad_sent": "Skickad för sent",
    "vantar": "Väntar på incidentanmälan",
  },
  DueKind: {
    "klassning_saknas": "Klassning saknas",
    "omklassning": "Årlig översyn av klassning",
    "riskanalys": "Årlig riskanalys",
    "atgard": "Åtgärd",
    "avtal": "Avtal löper ut",
    "beslut": "Beslut behöver förnyas",
    "systemoversyn": "Översyn av systemet",
    "riskbehandling": "Riskbehandling",
    "omprovning": "Omprövning efter ny information",
    "aterlasningstest": "Test av återläsning",
    "kravuppfoljning": "Kravuppföljning",
    "villkor": "Villkor i driftgodkännande",
    "registerbrist": "Brist i registret",
    "incidentrapport": "Incidentrapport",
    "riskanalys_incident": "Riskanalys efter allvarlig incident",
    "kontroll": "Kontrollmoment",
    "avsteg": "Avsteg löper ut",
  },
  DueState: {
    "forsenad": "Försenad",
    "snart": "Snart aktuell",
  },
  GapKind: {
    "systemagare_saknas": "Systemägare saknas",
    "informationsagare_saknas": "Informationsägare saknas",
    "information_saknas": "Informationsmängder saknas",
    "dpia_obesvarad": "Konsekvensbedömning (DPIA) obesvarad",
    "bitradesavtal_obesvarat": "Personuppgiftsbiträdesavtal obesvarat",
    "kontinuitet_saknas": "RTO/RPO saknas",
    "aterlasning_ej_testad": "Återläsning ej testad",
    "systemsakerhetsplan_saknas": "Systemsäkerhetsplan saknas",
  },
  Place: {
    "fakta": "Fakta",
    "roller": "Roller",
    "information": "Information och klassning",
    "krav": "Krav",
    "risker": "Risker",
    "atgarder": "Åtgärder",
    "beslut": "Beslut",
    "sakerhet": "Inställningar – säkerhet",
    "incident": "Incidenten",
    "kontroller": "Kontroller och avsteg",
  },
} as const;

/** What database is open, and whether it is the demo. */
export function appInfo(): Promise<AppInfo> {
  return invoke("app_info");
}

/** The organisation at a glance. */
export function overview(): Promise<Overview> {
  return invoke("overview");
}

/** Every recurring control (or one system's), due ones first. */
export function controls(systemId: SystemId | null): Promise<Array<ControlRow>> {
  return invoke("controls", { systemId });
}

/** One control with every time it was done. */
export function control(id: ControlId): Promise<ControlView> {
  return invoke("control", { id });
}

/** A new recurring control. */
export function newControl(control: NewControl): Promise<Control> {
  return invoke("new_control", { control });
}

/** Saves a changed control (stopping it sets its end date). */
export function saveControl(control: Control): Promise<Control> {
  return invoke("save_control", { control });
}

/** Records a control as done: the next date, the requirements it evidences, an action from deviations. */
export function controlDone(done: ControlDone): Promise<ControlOutcome> {
  return invoke("control_done", { done });
}

/** Corrects a recorded run. */
export function saveControlRun(run: ControlRun): Promise<ControlRun> {
  return invoke("save_control_run", { run });
}

/** The kinds of control. */
export function controlKinds(): Promise<Array<ControlKind>> {
  return invoke("control_kinds");
}

/** Saves a kind of control (a nil id is new). */
export function saveControlKind(kind: ControlKind): Promise<ControlKind> {
  return invoke("save_control_kind", { kind });
}

/** Every exception (or one system's), holding ones first. */
export function exceptions(systemId: SystemId | null): Promise<Array<ExceptionRow>> {
  return invoke("exceptions", { systemId });
}

/** A new exception, approved within its band's mandate. */
export function newException(exception: NewException): Promise<Exception> {
  return invoke("new_exception", { exception });
}

/** Saves a changed exception. */
export function saveException(exception: Exception): Promise<Exception> {
  return invoke("save_exception", { exception });
}

/** Withdraws an exception from a day (today when not given). */
export function withdrawException(id: ExceptionId, on: string | null): Promise<Exception> {
  return invoke("withdraw_exception", { id, on });
}

/** A system's extra requirements. */
export function extraRequirements(systemId: SystemId): Promise<Array<ExtraRequirement>> {
  return invoke("extra_requirements", { systemId });
}

/** Saves an extra requirement on a system (a nil id is new). */
export function saveExtraRequirement(extra: ExtraRequirement): Promise<ExtraRequirement> {
  return invoke("save_extra_requirement", { extra });
}

/** Takes an extra requirement off its system. */
export function removeExtraRequirement(id: ExtraRequirementId): Promise<null> {
  return invoke("remove_extra_requirement", { id });
}

/** A system's systemsäkerhetsplan texts, if written. */
export function securityPlan(systemId: SystemId): Promise<SecurityPlan | null> {
  return invoke("security_plan", { systemId });
}

/** Saves a system's systemsäkerhetsplan texts. */
export function saveSecurityPlan(plan: SecurityPlan): Promise<SecurityPlan> {
  return invoke("save_security_plan", { plan });
}

/** Every incident with its clocks, newest first. */
export function incidents(): Promise<Array<IncidentRow>> {
  return invoke("incidents");
}

/** One incident's page: the incident, its clocks, what it touched and gave, its reports. */
export function incident(id: IncidentId): Promise<IncidentView> {
  return invoke("incident", { id });
}

/** A new incident; the clocks start when it became known. */
export function newIncident(incident: NewIncident): Promise<Incident> {
  return invoke("new_incident", { incident });
}

/** Saves a changed incident. */
export function saveIncident(incident: Incident): Promise<Incident> {
  return invoke("save_incident", { incident });
}

/** Links an incident to a system, an information set, a risk or an action (one of them). */
export function linkIncident(incidentId: IncidentId, systemId: SystemId | null, informationSetId: InformationSetId | null, riskId: RiskId | null, actionId: ActionId | null): Promise<IncidentLink> {
  return invoke("link_incident", { incidentId, systemId, informationSetId, riskId, actionId });
}

/** Removes a link of an incident. */
export function unlinkIncident(linkId: IncidentLinkId): Promise<null> {
  return invoke("unlink_incident", { linkId });
}

/** Records that a report of an incident was sent. */
export function markReportSent(sent: ReportSent): Promise<IncidentReport> {
  return invoke("mark_report_sent", { sent });
}

/** Corrects a sent report. */
export function saveIncidentReport(report: IncidentReport): Promise<IncidentReport> {
  return invoke("save_incident_report", { report });
}

/** Skapa risk från incident: a prefilled risk in the system's ongoing analysis. */
export function riskFromIncident(incidentId: IncidentId, systemId: SystemId): Promise<Risk> {
  return invoke("risk_from_incident", { incidentId, systemId });
}

/** An action the incident gave, linked to it. */
export function actionFromIncident(incidentId: IncidentId, action: NewAction): Promise<Action> {
  return invoke("action_from_incident", { incidentId, action });
}

/** The recipients of incident reports. */
export function recipients(): Promise<Array<Recipient>> {
  return invoke("recipients");
}

/** Saves a recipient of incident reports (a nil id is new). */
export function saveRecipient(recipient: Recipient): Promise<Recipient> {
  return invoke("save_recipient", { recipient });
}

/** Saves an incident's report as PDF (a save dialog); the path, or none when cancelled. */
export function saveIncidentDocument(incidentId: IncidentId, kind: ReportKind): Promise<string | null> {
  return invoke("save_incident_document", { incidentId, kind });
}

/** Saves the incidentlogg of a period as PDF (a save dialog). */
export function saveIncidentLog(from: string, to: string): Promise<string | null> {
  return invoke("save_incident_log", { from, to });
}

/** Every row of the register. */
export function registerRows(): Promise<RegisterPage> {
  return invoke("register_rows");
}

/** The positions of the rows matching a search. */
export function registerSearch(query: RegisterQuery): Promise<RegisterHits> {
  return invoke("register_search", { query });
}

/** Förvaltningar and bolag. */
export function forvaltningar(): Promise<Array<Forvaltning>> {
  return invoke("forvaltningar");
}

/** People. */
export function people(): Promise<Array<Person>> {
  return invoke("people");
}

/** The threat catalogue. */
export function threats(): Promise<Array<Threat>> {
  return invoke("threats");
}

/** The method in force. */
export function method(): Promise<MethodVersion> {
  return invoke("method");
}

/** One system with everything around it. */
export function systemView(id: SystemId): Promise<SystemView> {
  return invoke("system_view", { id });
}

/** The history of a system and the records that refer to it. */
export function systemHistory(id: SystemId): Promise<Array<AuditEntry>> {
  return invoke("system_history", { id });
}

/** A new system in a förvaltning. */
export function createSystem(name: string, forvaltningId: ForvaltningId): Promise<System> {
  return invoke("create_system", { name, forvaltningId });
}

/** Saves a changed system (its revision must be the stored one). */
export function saveSystem(system: System): Promise<System> {
  return invoke("save_system", { system });
}

/** A new information set held by a system. */
export function addInformationSet(systemId: SystemId, name: string, description: string): Promise<InformationSet> {
  return invoke("add_information_set", { systemId, name, description });
}

/** Records a workshop's classification of an information set under the method in force, dated today. */
export function classify(draft: ClassificationDraft): Promise<Classification> {
  return invoke("classify", { draft });
}

/** What a workshop's draft would record, and the profile the system would then get (nothing is saved). */
export function profilePreview(systemId: SystemId, draft: ClassificationDraft): Promise<ClassificationPreview> {
  return invoke("profile_preview", { systemId, draft });
}

/** A new risk analysis of a system (the yearly redo from a copy of the last one's risks), dated today unless the draft has a date. */
export function newAnalysis(draft: NewAnalysis): Promise<RiskAnalysis> {
  return invoke("new_analysis", { draft });
}

/** Saves a changed risk analysis: title, scope, participants, date, status. */
export function saveAnalysis(analysis: RiskAnalysis): Promise<RiskAnalysis> {
  return invoke("save_analysis", { analysis });
}

/** A new risk, placed on the matrix. */
export function addRisk(risk: NewRisk): Promise<Risk> {
  return invoke("add_risk", { risk });
}

/** Saves a changed risk (its revision must be the stored one). */
export function saveRisk(risk: Risk): Promise<Risk> {
  return invoke("save_risk", { risk });
}

/** A new action (planerad), linked to the risk it treats if it names one. */
export function addAction(action: NewAction): Promise<Action> {
  return invoke("add_action", { action });
}

/** Saves a changed action (its revision must be the stored one). */
export function saveAction(action: Action): Promise<Action> {
  return invoke("save_action", { action });
}

/** The handlingsplan: every action with its system, responsible and what it treats. */
export function actionPlan(): Promise<Array<ActionPlanRow>> {
  return invoke("action_plan");
}

/** The yearly cycle as of today. */
export function dueList(): Promise<Array<DueItem>> {
  return invoke("due_list");
}

/** Sets up a new, empty database: the organisation and its first förvaltning. */
export function setup(organisation: string, forvaltning: string, shortName: string): Promise<Forvaltning> {
  return invoke("setup", { organisation, forvaltning, shortName });
}

/** The organisation, if set up. */
export function organisation(): Promise<Organisation | null> {
  return invoke("organisation");
}

/** Saves the organisation's name and number. */
export function saveOrganisation(organisation: Organisation): Promise<Organisation> {
  return invoke("save_organisation", { organisation });
}

/** Saves a förvaltning or bolag: a new one (nil id) or a change. */
export function saveForvaltning(forvaltning: Forvaltning): Promise<Forvaltning> {
  return invoke("save_forvaltning", { forvaltning });
}

/** Saves a person: a new one (nil id) or a change. */
export function savePerson(person: Person): Promise<Person> {
  return invoke("save_person", { person });
}

/** Saves a threat of the catalogue: a new one (nil id) or a change. */
export function saveThreat(threat: Threat): Promise<Threat> {
  return invoke("save_threat", { threat });
}

/** The requirements catalogue. */
export function requirements(): Promise<Array<Requirement>> {
  return invoke("requirements");
}

/** Saves a requirement of the catalogue: a new one (nil id) or a change. */
export function saveRequirement(requirement: Requirement): Promise<Requirement> {
  return invoke("save_requirement", { requirement });
}

/** What a draft method would mean for the stored assessments (nothing is saved). */
export function methodPreview(draft: Method): Promise<MethodPreview> {
  return invoke("method_preview", { draft });
}

/** Saves a draft method as the next version, in force from now. */
export function saveMethod(draft: Method, note: string): Promise<MethodVersion> {
  return invoke("save_method", { draft, note });
}

/** Records a system's assessment against its requirements (one or a workshop's list), in one transaction. */
export function assessRequirements(systemId: SystemId, assessments: Array<Assessment>): Promise<Array<RequirementStatus>> {
  return invoke("assess_requirements", { systemId, assessments });
}

/** The information owner decides (fastställer) a draft classification. */
export function decideClassification(decision: Faststallande): Promise<Classification> {
  return invoke("decide_classification", { decision });
}

/** Raises a system's protection level above its information's, motivated. */
export function raiseProtection(raise: ProtectionRaise): Promise<ProtectionRaise> {
  return invoke("raise_protection", { raise });
}

/** Withdraws a raise of a system's protection level. */
export function withdrawRaise(id: ProtectionRaiseId): Promise<null> {
  return invoke("withdraw_raise", { id });
}

/** Saves an external party (supplier, authority …): a new one (nil id) or a change. */
export function saveExternalParty(party: ExternalParty): Promise<ExternalParty> {
  return invoke("save_external_party", { party });
}

/** Saves a changed information set: name, description, förvaltning, personal data. */
export function saveInformationSet(set: InformationSet): Promise<InformationSet> {
  return invoke("save_information_set", { set });
}

/** Units (enheter) of every förvaltning. */
export function units(): Promise<Array<Unit>> {
  return invoke("units");
}

/** Saves a unit: a new one (nil id) or a change. */
export function saveUnit(unit: Unit): Promise<Unit> {
  return invoke("save_unit", { unit });
}

/** External parties (suppliers, authorities …). */
export function externalParties(): Promise<Array<ExternalParty>> {
  return invoke("external_parties");
}

/** Gives a person a role for a system (nil id), or changes an assignment. */
export function saveRole(assignment: RoleAssignment): Promise<RoleAssignment> {
  return invoke("save_role", { assignment });
}

/** Removes a role assignment. */
export function removeRole(id: RoleAssignmentId): Promise<null> {
  return invoke("remove_role", { id });
}

/** Records that a system depends on another system or an external party. */
export function saveDependency(dependency: Dependency): Promise<Dependency> {
  return invoke("save_dependency", { dependency });
}

/** Removes a dependency. */
export function removeDependency(id: DependencyId): Promise<null> {
  return invoke("remove_dependency", { id });
}

/** Records acceptance of a risk within its band's rules; refused with the rule otherwise. */
export function acceptRisk(riskId: RiskId, by: PersonId, mandate: Mandate, reason: string): Promise<Risk> {
  return invoke("accept_risk", { riskId, by, mandate, reason });
}

/** Zooms the window a step in or out, or back to 100 %, and keeps the level for the next start. */
export function zoom(change: ZoomChange): Promise<Zoomed> {
  return invoke("zoom", { change });
}

/** The change that undo would reverse, if any. */
export function undoTarget(): Promise<UndoTarget | null> {
  return invoke("undo_target");
}

/** Undoes the change the user saw named (its first audit entry); returns its name. */
export function undo(firstSeq: number): Promise<string> {
  return invoke("undo", { firstSeq });
}

/** Produces a decision document and describes it (nothing is saved). */
export function reportPreview(kind: DecisionKind, systemId: SystemId | null, forvaltningId: ForvaltningId | null, openSummary: boolean): Promise<ReportPreview> {
  return invoke("report_preview", { kind, systemId, forvaltningId, openSummary });
}

/** The decisions about a system (every kind), or with null those about förvaltningar and the organisation; newest version first within each kind. */
export function decisionVersions(systemId: SystemId | null): Promise<Array<DecisionVersion>> {
  return invoke("decision_versions", { systemId });
}

/** Makes the decision: draws the document as decided and archives its PDF, unchangeable, as the next version of its subject. */
export function decide(kind: DecisionKind, systemId: SystemId | null, forvaltningId: ForvaltningId | null, decidedOn: string, diarienummer: string | null, decided: Decided): Promise<DecisionVersion> {
  return invoke("decide", { kind, systemId, forvaltningId, decidedOn, diarienummer, decided });
}

/** Saves a decision's archived PDF (checked against its SHA-256) where the user chooses; returns the path, or null when the dialog was cancelled. */
export function saveDecisionDocument(decisionId: DecisionId): Promise<string | null> {
  return invoke("save_decision_document", { decisionId });
}

/** Produces a decision document and saves it where the user chooses in the native save dialog; returns the path, or null when the dialog was cancelled. */
export function saveReport(kind: DecisionKind, systemId: SystemId | null, forvaltningId: ForvaltningId | null, openSummary: boolean): Promise<string | null> {
  return invoke("save_report", { kind, systemId, forvaltningId, openSummary });
}

/** The department identity, the trust list and the conflicts waiting. */
export function exchangeOverview(): Promise<ExchangeState> {
  return invoke("exchange_overview");
}

/** Creates the department identity: a new key pair, the private key in a file beside the database. */
export function createIdentity(department: string): Promise<ExchangeState> {
  return invoke("create_identity", { department });
}

/** Exports a signed bundle (the whole database or one förvaltning) to a file chosen in the native save dialog; returns the path, or null when cancelled. */
export function exportBundle(forvaltningId: ForvaltningId | null): Promise<string | null> {
  return invoke("export_bundle", { forvaltningId });
}

/** Chooses a bundle in the native open dialog and shows its signer and merge plan without writing anything; null when cancelled. */
export function chooseBundle(): Promise<BundlePreview | null> {
  return invoke("choose_bundle");
}

/** Trusts the signer of the chosen bundle under `name` (the UI has shown its fingerprint and the user confirmed), then shows the plan. */
export function trustBundleSigner(name: string, fingerprint: string, file: string, terms: TrustTerms): Promise<BundlePreview> {
  return invoke("trust_bundle_signer", { name, fingerprint, file, terms });
}

/** Changes what a trusted key may send: its role, förvaltningar, who compared its fingerprint, and until when. */
export function setTrustTerms(name: string, terms: TrustTerms): Promise<ExchangeState> {
  return invoke("set_trust_terms", { name, terms });
}

/** Lets the chosen bundle's sender change one record outside its scope, as conflicts to settle; then shows the plan again. */
export function allowChanges(sender: string, table: string, id: string, file: string): Promise<BundlePreview> {
  return invoke("allow_changes", { sender, table, id, file });
}

/** Takes back letting a sender's changes of a record through. */
export function disallowChanges(sender: string, table: string, id: string): Promise<ExchangeState> {
  return invoke("disallow_changes", { sender, table, id });
}

/** Applies the chosen bundle's plan in one transaction, if it is still the plan shown (`digest`). */
export function applyBundle(digest: string): Promise<ImportReport> {
  return invoke("apply_bundle", { digest });
}

/** Settles a conflict: mine, theirs, or the chosen fields from theirs. */
export function resolveConflict(id: string, resolution: Resolution): Promise<ExchangeState> {
  return invoke("resolve_conflict", { id, resolution });
}

/** How far the running bundle import (or its preview) has come; none when none runs. Answers while the import holds the database. */
export function importProgress(): Promise<ImportProgress | null> {
  return invoke("import_progress");
}

/** Chooses a register file (xlsx, ods, csv) in the native open dialog and shows its columns, the proposed (or last saved) mapping and the dry run; null when cancelled. */
export function chooseRegisterFile(): Promise<RegisterFilePreview | null> {
  return invoke("choose_register_file");
}

/** The chosen register file planned again under another sheet or mapping (writes nothing). */
export function planRegisterFile(sheet: string | null, mapping: Mapping | null): Promise<RegisterFilePreview> {
  return invoke("plan_register_file", { sheet, mapping });
}

/** Imports the chosen register file in one transaction, if the plan is still the one shown (`digest`); the mapping is saved for the next file. */
export function importRegisterFile(sheet: string | null, mapping: Mapping, digest: string): Promise<RegisterImportReport> {
  return invoke("import_register_file", { sheet, mapping, digest });
}

/** Saves the import's report as xlsx next to the chosen register file; returns the path. */
export function saveRegisterReport(sheet: string | null, mapping: Mapping): Promise<string> {
  return invoke("save_register_report", { sheet, mapping });
}

/** Exports the register (or one förvaltning's) as Excel or csv to a file chosen in the native save dialog; returns the path, or null when cancelled. */
export function exportRegisterFile(forvaltningId: ForvaltningId | null): Promise<string | null> {
  return invoke("export_register_file", { forvaltningId });
}

/** Revokes a trusted key: its bundles are refused from now on. */
export function revokeTrust(name: string): Promise<ExchangeState> {
  return invoke("revoke_trust", { name });
}

/** The gate shown instead of the app when no database is open (locked, new, damaged). */
export function gate(): Promise<Gate | null> {
  return invoke("gate");
}

/** Opens the locked database with `passphrase`. A wrong one changes nothing. */
export function unlock(passphrase: string): Promise<AppInfo> {
  return invoke("unlock", { passphrase });
}

/** Creates the new database behind the gate, encrypted with `passphrase`. */
export function createDatabase(passphrase: string): Promise<AppInfo> {
  return invoke("create_database", { passphrase });
}

/** How strong a passphrase being chosen is (nothing is stored). */
export function passphraseStrength(passphrase: string): Promise<Strength> {
  return invoke("passphrase_strength", { passphrase });
}

/** Locks the open encrypted database now: it is closed and its key dropped. */
export function lock(): Promise<boolean> {
  return invoke("lock");
}

/** Notes that the person is active (typing, clicking), so the idle lock waits. */
export function noteActivity(): Promise<boolean> {
  return invoke("note_activity");
}

/** Encryption, backups and the idle lock of the open database. */
export function securityOverview(): Promise<SecurityOverview> {
  return invoke("security_overview");
}

/** Makes a backup now. */
export function createBackup(): Promise<SecurityOverview> {
  return invoke("create_backup");
}

/** Opens every backup and runs the integrity and audit-chain checks; records the restore test when all pass. */
export function verifyBackups(): Promise<Array<BackupCheck>> {
  return invoke("verify_backups");
}

/** Replaces the database by the backup `file_name` (verified first; the current state is backed up before it is replaced). */
export function restoreBackup(fileName: string): Promise<AppInfo> {
  return invoke("restore_backup", { fileName });
}

/** Restores the damaged database behind the gate from its newest sound backup. */
export function restoreDamaged(fileName: string): Promise<AppInfo> {
  return invoke("restore_damaged", { fileName });
}

/** Sets a new passphrase (the current one must be given), or encrypts a plain database. */
export function changePassphrase(current: string, replacement: string): Promise<Rekeyed> {
  return invoke("change_passphrase", { current, replacement });
}

/** Sets the minutes without use before the app locks. */
export function setIdleLockMinutes(minutes: number): Promise<SecurityOverview> {
  return invoke("set_idle_lock_minutes", { minutes });
}

/** Sets the most the backups may take together (MB), and rotates to it at once. */
export function setBackupLimit(limitMb: number): Promise<SecurityOverview> {
  return invoke("set_backup_limit", { limitMb });
}
