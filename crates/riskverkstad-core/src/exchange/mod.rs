//! Exchange between departments: the department identity and its key, the trust list,
//! exporting a signed bundle, and importing one (verify → plan → apply in one transaction),
//! with conflicts kept for a person to settle.
//!
//! The container, the signature and the limits are `riskverkstad-bundle`'s; this module puts
//! records in and takes them out. The plan is a pure function ([`plan::plan`]) of the local
//! state and the bundle. Invariants:
//! - nothing is written before the container, the signature, the signer (trusted, not
//!   revoked, not expired), the installation it claims (bound to no other key), the sequence
//!   number (newer than the last from that sender), every payload entry (hash, shape,
//!   validation) and every change attestation (signed by the key bound to its installation)
//!   have been checked;
//! - nothing is written while the plan has a refusal: a department's bundle moves only its
//!   own counters and changes only what it made or what belongs to its förvaltningar (a
//!   record the receiver opted in for becomes a conflict instead);
//! - an import is one transaction, planned again inside it; a conflict never overwrites
//!   the local record;
//! - the private key lives in its own file (mode 0600), never in the database, a bundle or a
//!   log.

//!
//! The module by step: [`kinds`] (every record kind as the exchange handles it without its
//! type), `export` (a signed bundle of a scope), `import` (read and check a bundle, plan, apply
//! in one transaction), `conflicts` (kept for a person, settled), `trust` (the identity and the
//! trust list), [`plan`] (the pure merge plan).
//!
//! Operations are free functions over the [`Store`] (`exchange::import_bundle(&mut store, …)`),
//! as everywhere outside the store module.

mod allowance;
mod apply;
mod attest;
mod conflicts;
mod diff;
mod export;
mod import;
mod incoming;
mod inputs;
pub(crate) mod kinds;
pub mod plan;
mod provenance;
mod trust;

pub use allowance::{Allowance, allow_changes, allowances, disallow_changes};
pub use conflicts::{Conflict, Resolution, conflicts, resolve_conflict};
pub use export::{Exported, Scope, export_bundle};
pub use import::{
    BundleSummary, ImportProgress, ImportReport, Incoming, Progress, import_bundle, import_bundle_with, open_bundle,
    origins, plan_import, plan_import_with, read_bundle, read_bundle_with,
};
#[cfg(test)]
use kinds::kinds;
pub use kinds::table_order;
pub use plan::{ChangeKind, FieldDiff, KindCounts, MergePlan, PlannedChange, Refusal, WireRecord, WireTombstone};
pub use provenance::{LastChange, last_changes, with_makers};
pub use riskverkstad_bundle::{Fingerprint, Limits, PublicKey};
pub use trust::{
    Identity, SenderRole, SignerInfo, TrustState, TrustTerms, TrustedKey, bundle_signer, identity, init_identity,
    trust_add, trust_list, trust_revoke, trust_set,
};

use crate::error::Error;
#[cfg(doc)]
use crate::store::Store;

pub use crate::store::{IMPORT_ACTION, RESOLVE_ACTION};

fn exchange_error(code: &'static str, message: impl Into<String>) -> Error {
    Error::Exchange { code, message: message.into() }
}

#[cfg(test)]
mod tests;
