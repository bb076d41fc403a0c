//! Riskverkstad's bundle container: what a department signs and sends, and the checks a
//! receiver makes before it decodes a single payload byte.
//!
//! A bundle is a zip file (optionally age-encrypted as a whole) whose entry `SHA256SUMS` lists
//! the SHA-256 of every other entry in `sha256sum` format and is signed with the sender's
//! Ed25519 key as an OpenSSH signature (`SHA256SUMS.sig`, namespace [`NAMESPACE`]). An
//! auditor checks a bundle with `ssh-keygen -Y verify` and `sha256sum -c`, without our code
//! (docs/bundle-format.md).
//!
//! This crate knows nothing of SQLite or of the records inside: it holds the keys, the
//! container and the limits. The core decodes the payload entries once [`open`] has checked
//! the container, the signature and the signer.

#![deny(missing_docs)]

mod container;
mod keys;

pub use container::{
    Entry, MANIFEST, Manifest, Opened, SIGNATURE, SUMS, Sender, is_encrypted, open, valid_name, write,
};
pub use keys::{Fingerprint, PublicKey, SecretKey};

/// The OpenSSH signature namespace of a bundle's `SHA256SUMS` (`ssh-keygen -Y verify -n`).
pub const NAMESPACE: &str = "riskverkstad-bundle";

/// The OpenSSH signature namespace of a change attestation: an installation's signature of
/// the record versions it made (`attestations.json`, docs/bundle-format.md, version 2).
pub const CHANGE_NAMESPACE: &str = "riskverkstad-change";

/// The bundle format this build writes and the newest it reads (version 1 still reads).
pub const FORMAT_VERSION: u32 = 2;

/// The entry that carries change attestations (format version 2).
pub const ATTESTATIONS: &str = "attestations.json";

/// The format name in `manifest.json`.
pub const FORMAT_NAME: &str = "riskverkstad-bundle";

/// Size limits checked before anything is decompressed, and enforced while it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest bundle file, as received (encrypted or not).
    pub max_file: u64,
    /// The most entries in the container.
    pub max_entries: usize,
    /// The largest single entry, decompressed.
    pub max_entry: u64,
    /// All entries together, decompressed.
    pub max_total: u64,
    /// The largest decompressed/compressed ratio of an entry larger than 1 MiB.
    pub max_ratio: u64,
}

impl Default for Limits {
    /// Room for a large municipality (5,000 systems, 50,000 risks is about 100 MB of JSON)
    /// with margin, and far below what a decompression bomb needs.
    fn default() -> Self {
        Limits { max_file: 1 << 30, max_entries: 200_000, max_entry: 512 << 20, max_total: 1 << 30, max_ratio: 200 }
    }
}

/// Why a bundle was refused or could not be made. Every message is Swedish and says what to
/// do; [`Error::code`] is a stable key for scripts.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file is larger than [`Limits::max_file`].
    #[error("Paketet är för stort ({size} byte, högst {max} byte tas emot).")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// Not a zip container (or truncated so that its directory is gone).
    #[error("Filen är inte ett Riskverkstad-paket eller är avkortad ({0}).")]
    NotABundle(String),
    /// The container's structure is wrong: an unknown, duplicated or escaping entry name,
    /// too many entries, an entry larger than the limits, a missing entry.
    #[error("Paketets innehåll är felaktigt: {0}")]
    Structure(String),
    /// A decompression bomb, or an entry whose data is not what its header says.
    #[error("Paketet packas upp till mer än tillåtet ({0}); det tas inte emot.")]
    Bomb(String),
    /// No signature, or one that is not an OpenSSH signature of the right namespace.
    #[error("Paketet saknar giltig signatur ({0}).")]
    Unsigned(String),
    /// The signature does not match the content: a changed byte.
    #[error("Signaturen stämmer inte: paketet har ändrats efter att det signerades ({0}).")]
    BadSignature(String),
    /// A listed entry's content does not have the listed hash.
    #[error("Posten {0} har ändrats efter att paketet signerades.")]
    Tampered(String),
    /// The signer is refused by the receiver (unknown or revoked): said by the caller.
    #[error("{0}")]
    Signer(String),
    /// The format version is newer than this build reads.
    #[error(
        "Paketet har formatversion {found}; den här versionen av Riskverkstad läser till och med version {supported}. Uppdatera programmet."
    )]
    FutureVersion {
        /// The bundle's version.
        found: u32,
        /// The newest this build reads.
        supported: u32,
    },
    /// `manifest.json` is not what it should be.
    #[error("Paketets manifest är felaktigt: {0}")]
    Manifest(String),
    /// The bundle is encrypted and no (or the wrong) key was given.
    #[error("Paketet är krypterat och kan inte öppnas med den här installationens nyckel ({0}).")]
    Decrypt(String),
    /// A key file could not be read or is not an Ed25519 OpenSSH key.
    #[error("Nyckeln kunde inte läsas: {0}")]
    Key(String),
    /// Writing a bundle failed.
    #[error("Paketet kunde inte skapas: {0}")]
    Write(String),
}

impl Error {
    /// A stable key for scripts and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Error::TooLarge { .. } => "bundle_too_large",
            Error::NotABundle(_) => "bundle_not_a_bundle",
            Error::Structure(_) => "bundle_structure",
            Error::Bomb(_) => "bundle_bomb",
            Error::Unsigned(_) => "bundle_unsigned",
            Error::BadSignature(_) => "bundle_bad_signature",
            Error::Tampered(_) => "bundle_tampered",
            Error::Signer(_) => "bundle_signer",
            Error::FutureVersion { .. } => "bundle_future_version",
            Error::Manifest(_) => "bundle_manifest",
            Error::Decrypt(_) => "bundle_decrypt",
            Error::Key(_) => "key",
            Error::Write(_) => "bundle_write",
        }
    }
}

/// A result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// The SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
