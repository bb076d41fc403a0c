//! The core's errors. Messages are Swedish and name the file, record or field concerned, so
//! the CLI can print them as they are and the shell can pass them to the UI as
//! `{code, message}` (see [`Error::code`]).

use std::path::PathBuf;

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub use riskverkstad_domain::error::Invalid;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database file could not be opened or created.
    #[error("Databasen {path} kunde inte öppnas: {detail}")]
    Open {
        /// The file.
        path: PathBuf,
        /// SQLite's or the OS's explanation.
        detail: String,
    },
    /// A new database was asked for where a file already is.
    #[error(
        "Filen {path} finns redan. Välj ett nytt filnamn; en befintlig databas öppnas, den ersätts aldrig av en ny."
    )]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The file is not a (readable) Riskverkstad database.
    #[error(
        "Filen {path} är inte en Riskverkstad-databas som går att läsa (den kan vara skadad, krypterad eller en annan sorts fil)."
    )]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// The database was written by a newer Riskverkstad.
    #[error(
        "Databasen {path} har schemaversion {found}, men den här versionen av Riskverkstad kan bara läsa till och med schemaversion {supported}. Uppdatera Riskverkstad; databasen har inte ändrats."
    )]
    SchemaTooNew {
        /// The file.
        path: PathBuf,
        /// The schema version found in the file.
        found: usize,
        /// The newest schema version this build knows.
        supported: usize,
    },
    /// The database is encrypted and no passphrase was given.
    #[error("Databasen {path} är krypterad. Ange lösenfrasen för att öppna den.")]
    PassphraseRequired {
        /// The file.
        path: PathBuf,
    },
    /// The passphrase does not decrypt the database.
    #[error("Lösenfrasen stämmer inte för databasen {path}. Ingenting har ändrats; försök igen.")]
    WrongPassphrase {
        /// The file.
        path: PathBuf,
    },
    /// A passphrase that cannot be used (empty, too short for a new key …).
    #[error("{0}")]
    Passphrase(String),
    /// A file could not be written.
    #[error("Filen {path} kunde inte sparas: {detail}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS's explanation.
        detail: String,
    },
    /// A file could not be read.
    #[error("Filen {path} kunde inte läsas: {detail}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS's explanation.
        detail: String,
    },
    /// A spreadsheet (a register file) could not be read or written.
    #[error("{file}: {detail}")]
    Sheet {
        /// The file's name.
        file: String,
        /// What was wrong.
        detail: String,
    },
    /// A backup could not be made, verified or restored.
    #[error("Säkerhetskopiering: {0}")]
    Backup(String),
    /// SQLite's integrity check failed.
    #[error(
        "Databasen {path} är skadad (integritetskontrollen svarade: {detail}). Återställ den från en säkerhetskopia."
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What the check reported.
        detail: String,
    },
    /// A schema migration failed; the transaction was rolled back.
    #[error("Uppgraderingen av databasschemat misslyckades och ingenting ändrades: {0}")]
    Migration(String),
    /// A record does not exist.
    #[error("{label} med id {id} finns inte.")]
    NotFound {
        /// What kind of record, in Swedish.
        label: &'static str,
        /// The id looked for.
        id: String,
    },
    /// Nothing has the name (or id) a person typed.
    #[error("Sökningen «{query}» gav inget: {what} heter \"{query}\"{detail}.")]
    NoMatch {
        /// "inget system", "ingen förvaltning", "ingen person".
        what: &'static str,
        /// What was typed.
        query: String,
        /// What there is to choose from, if short.
        detail: String,
    },
    /// Several records have (or contain) the name a person typed.
    #[error("Sökningen «{query}» passar flera {plural}: \"{query}\" matchar {candidates}. {hint}")]
    Ambiguous {
        /// "system", "förvaltningar", "personer".
        plural: &'static str,
        /// What was typed.
        query: String,
        /// The candidates, "Namn (id)", separated by "; ".
        candidates: String,
        /// How to say which.
        hint: &'static str,
    },
    /// Someone else changed the record since it was read.
    #[error(
        "{label} {id} har ändrats sedan den lästes (revision {expected} väntades, {found} finns). Läs in den igen och gör ändringen på nytt."
    )]
    StaleRevision {
        /// What kind of record, in Swedish.
        label: &'static str,
        /// The record's id.
        id: String,
        /// The revision the change was based on.
        expected: i64,
        /// The revision in the database.
        found: i64,
    },
    /// Input did not pass validation; nothing was written.
    #[error("Ogiltig uppgift – {0}")]
    Invalid(Invalid),
    /// A reference to a record that does not exist, or a deletion that would leave one dangling.
    #[error(
        "{label}: ändringen hänvisar till en post som inte finns, eller tar bort en post som andra poster hänvisar till. Ingenting ändrades."
    )]
    Reference {
        /// What kind of record was written.
        label: &'static str,
    },
    /// A stored record could not be read back into its type.
    #[error("Posten {id} i tabellen {table} kunde inte läsas: {detail}")]
    Decode {
        /// The table.
        table: &'static str,
        /// The record's id.
        id: String,
        /// What did not fit.
        detail: String,
    },
    /// The method (scales, areas, matrix, bands) is not usable.
    #[error("Metoden är ogiltig: {0}")]
    InvalidMethod(String),
    /// The last change cannot be undone (nothing to undo, or changed since).
    #[error("Kan inte ångra: {0}")]
    Undo(String),
    /// A decision could not be archived, or an archived one cannot change or be read.
    #[error("Beslutsarkivet: {0}")]
    Frozen(String),
    /// A bundle was refused by its container checks (structure, size, signature, hashes).
    #[error("{0}")]
    Bundle(#[from] riskverkstad_bundle::Error),
    /// An exchange step was refused (no identity, unknown or revoked signer, replay …).
    #[error("{message}")]
    Exchange {
        /// A stable key for scripts and the UI.
        code: &'static str,
        /// The Swedish explanation.
        message: String,
    },
    /// Any other SQLite error.
    #[error("Databasfel: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl Error {
    /// A short, stable code the UI may branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Open { .. } => "open",
            Error::Exists { .. } => "exists",
            Error::NotADatabase { .. } => "not_a_database",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::Corrupt { .. } => "corrupt",
            Error::PassphraseRequired { .. } => "passphrase_required",
            Error::WrongPassphrase { .. } => "wrong_passphrase",
            Error::Passphrase(_) => "passphrase",
            Error::Write { .. } => "write",
            Error::Read { .. } => "read",
            Error::Sheet { .. } => "sheet",
            Error::Backup(_) => "backup",
            Error::Migration(_) => "migration",
            Error::NotFound { .. } => "not_found",
            Error::NoMatch { .. } => "no_match",
            Error::Ambiguous { .. } => "ambiguous",
            Error::StaleRevision { .. } => "stale_revision",
            Error::Invalid(_) => "invalid",
            Error::Reference { .. } => "reference",
            Error::Decode { .. } => "decode",
            Error::InvalidMethod(_) => "invalid_method",
            Error::Undo(_) => "undo",
            Error::Frozen(_) => "frozen",
            Error::Bundle(e) => e.code(),
            Error::Exchange { code, .. } => code,
            Error::Sqlite(_) => "database",
        }
    }

    /// Shorthand for a validation error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Invalid(Invalid::new(field, message))
    }
}

impl From<Invalid> for Error {
    fn from(i: Invalid) -> Error {
        Error::Invalid(i)
    }
}
