//! Encryption at rest: the passphrase a database is keyed with (SQLCipher), how strong a new
//! one is, what kind of file a database path holds before anything opens it, and the keyed
//! connection every open (of the database, a backup, a copy) starts from.
//!
//! Invariants:
//! - a passphrase lives only in a [`Passphrase`], which wipes its memory when dropped and
//!   never prints itself; the key statement sent to SQLCipher is built in a wiped buffer;
//! - nothing is written to a file before the key has been checked by reading it.

use crate::error::{Error, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::io::Read as _;
use std::path::Path;
use zeroize::Zeroizing;

/// The fewest characters (not bytes) a new passphrase may have.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// A passphrase: any Unicode text without NUL, of any length. Wiped from memory on drop.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

impl Passphrase {
    /// Takes ownership of `text` (so that no unwiped copy is left behind by the caller).
    /// A trailing line break (from a file or a prompt) is not part of it.
    pub fn new(text: String) -> Passphrase {
        let mut text = Zeroizing::new(text);
        while text.ends_with('\n') || text.ends_with('\r') {
            text.pop();
        }
        Passphrase(text)
    }

    /// The text.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Refuses what cannot be a passphrase at all: empty, or containing NUL.
    pub fn usable(&self) -> Result<()> {
        if self.0.is_empty() {
            return Err(Error::Passphrase("Lösenfrasen är tom.".into()));
        }
        if self.0.contains('\0') {
            return Err(Error::Passphrase("Lösenfrasen får inte innehålla NUL-tecken.".into()));
        }
        Ok(())
    }

    /// Refuses a passphrase too short to be chosen for a new key; returns its strength.
    pub fn check_new(&self) -> Result<Strength> {
        self.usable()?;
        let s = strength(&self.0);
        if !s.long_enough {
            return Err(Error::Passphrase(format!(
                "Lösenfrasen måste ha minst {MIN_PASSPHRASE_CHARS} tecken (den har {}).",
                s.chars
            )));
        }
        Ok(s)
    }

    /// Sends the key to SQLCipher: the first statement on a fresh connection.
    /// A failure is reported without SQLite's text, which would quote the statement.
    pub(crate) fn apply(&self, conn: &Connection) -> Result<()> {
        quiet(conn)?;
        conn.execute_batch(&self.statement("key"))
            .map_err(|_| Error::Passphrase("Nyckeln kunde inte ges till databasen (SQLCipher).".into()))
    }

    /// `PRAGMA <pragma> = '<passphrase>'` in a buffer that is wiped when dropped. (A pragma
    /// cannot take a bound parameter.)
    fn statement(&self, pragma: &str) -> Zeroizing<String> {
        let mut sql = Zeroizing::new(String::with_capacity(self.0.len() * 2 + 20));
        sql.push_str("PRAGMA ");
        sql.push_str(pragma);
        sql.push_str(" = '");
        for c in self.0.chars() {
            if c == '\'' {
                sql.push('\'');
            }
            sql.push(c);
        }
        sql.push('\'');
        sql
    }
}

/// Turns off SQLCipher's own log (by default to stderr: "hmac check failed for pgno=1" on a
/// wrong key). Failures reach people as [`Error`]s in Swedish, nowhere else.
pub(crate) fn quiet(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("PRAGMA cipher_log_level = NONE; PRAGMA cipher_default_page_size = 16384")
}

/// How strong a passphrase is: the hint shown while choosing one.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Strength {
    /// 0 (guessed at once) to 4 (very hard to guess), zxcvbn's score.
    pub score: u8,
    /// The score in words ("Svag", "Stark" …).
    pub label: String,
    /// What would make it stronger, in Swedish (empty when it is strong).
    pub hint: String,
    /// How many characters it has.
    pub chars: usize,
    /// Whether it has at least [`MIN_PASSPHRASE_CHARS`] characters.
    pub long_enough: bool,
}

/// The strength of `text`, estimated by zxcvbn (common passwords, names, words, dates,
/// keyboard patterns and repeats count for little). Only the first 256 characters are
/// estimated: beyond them a passphrase is strong anyway, and the estimate grows with length.
pub fn strength(text: &str) -> Strength {
    let chars = text.chars().count();
    let head: Zeroizing<String> = Zeroizing::new(text.chars().take(256).collect());
    let score: u8 = if head.is_empty() { 0 } else { zxcvbn::zxcvbn(&head, &["riskverkstad", "kommun"]).score().into() };
    let long_enough = chars >= MIN_PASSPHRASE_CHARS;
    let label = ["Mycket svag", "Svag", "Medel", "Stark", "Mycket stark"][score.min(4) as usize].to_string();
    let hint = if !long_enough {
        format!(
            "Minst {MIN_PASSPHRASE_CHARS} tecken. Flera ovanliga ord i följd är lätta att minnas och svåra att gissa."
        )
    } else if score < 3 {
        "Lägg till fler ord som inte hör ihop; undvik kända fraser, namn, datum och tangentmönster.".to_string()
    } else {
        String::new()
    };
    Strength { score, label, hint, chars, long_enough }
}

/// What a database path holds, judged from its first bytes without opening it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// No file (or an empty one): a new database.
    New,
    /// An ordinary SQLite file.
    Plain,
    /// Not an ordinary SQLite file, and sized in whole pages: a SQLCipher database (or noise
    /// that only the key can tell apart).
    Encrypted,
    /// Neither: not a database at all, or a truncated one.
    NotADatabase,
}

/// The kind of file at `path`.
pub fn file_kind(path: &Path) -> std::io::Result<FileKind> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::New),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(FileKind::New);
    }
    let mut head = [0u8; 16];
    let n = file.read(&mut head)?;
    if n == 16 && &head == b"SQLite format 3\0" {
        return Ok(FileKind::Plain);
    }
    // SQLCipher writes whole pages (512 to 65,536 bytes, a power of two).
    Ok(if len >= 512 && len % 512 == 0 { FileKind::Encrypted } else { FileKind::NotADatabase })
}

// Keyed connections: the only way a file is opened, here and by the copies.

pub(crate) fn open_error(e: rusqlite::Error, path: &Path) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::NotADatabase { path: path.to_path_buf() },
        Some(ErrorCode::DatabaseCorrupt) => Error::Corrupt { path: path.to_path_buf(), detail: e.to_string() },
        _ => Error::Open { path: path.to_path_buf(), detail: e.to_string() },
    }
}

/// Opens an existing file of `kind` and, when it is encrypted, applies the key.
pub(crate) fn open_keyed(path: &Path, kind: FileKind, passphrase: Option<&Passphrase>) -> Result<Connection> {
    match kind {
        FileKind::New => return Err(Error::Open { path: path.to_path_buf(), detail: "filen finns inte".into() }),
        FileKind::NotADatabase => return Err(Error::NotADatabase { path: path.to_path_buf() }),
        FileKind::Encrypted if passphrase.is_none() => {
            return Err(Error::PassphraseRequired { path: path.to_path_buf() });
        }
        _ => {}
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| Error::Open { path: path.to_path_buf(), detail: e.to_string() })?;
    quiet(&conn).map_err(|e| Error::Open { path: path.to_path_buf(), detail: e.to_string() })?;
    if let (FileKind::Encrypted, Some(p)) = (kind, passphrase) {
        p.usable()?;
        p.apply(&conn)?;
    }
    Ok(conn)
}

/// The first read of a file: it proves the key (an encrypted file that does not decrypt reads
/// as "not a database") and gives the schema version.
pub(crate) fn read_schema_version(conn: &Connection, path: &Path, kind: FileKind, keyed: bool) -> Result<usize> {
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(|e| open_error(e, path))?;
    match conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)) {
        Ok(v) => Ok(v.max(0) as usize),
        Err(e) if keyed && kind == FileKind::Encrypted && e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            Err(Error::WrongPassphrase { path: path.to_path_buf() })
        }
        Err(e) => Err(open_error(e, path)),
    }
}

/// The schema version of the file at `path`, read without changing it.
pub(crate) fn schema_version_of(path: &Path, kind: FileKind, passphrase: Option<&Passphrase>) -> Result<usize> {
    let conn = open_keyed(path, kind, passphrase)?;
    read_schema_version(&conn, path, kind, passphrase.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_statement_quotes_and_keeps_unicode() {
        let p = Passphrase::new("blåbär i 'Vännäs' ✓\n".into());
        assert_eq!(p.expose(), "blåbär i 'Vännäs' ✓");
        assert_eq!(&*p.statement("key"), "PRAGMA key = 'blåbär i ''Vännäs'' ✓'");
        assert_eq!(format!("{p:?}"), "Passphrase(…)");
    }

    #[test]
    fn strength_rewards_length_and_unrelated_words() {
        let weak = strength("password1234");
        assert!(weak.long_enough);
        assert!(weak.score <= 1, "{weak:?}");
        assert!(!weak.hint.is_empty());
        let strong = strength("korp vattenkanna blyerts sjuttio");
        assert!(strong.score >= 3, "{strong:?}");
        assert!(strong.hint.is_empty());
        let short = strength("kort");
        assert!(!short.long_enough);
        assert_eq!(short.chars, 4);
        // Characters, not bytes: twelve å are long enough.
        assert!(strength(&"å".repeat(12)).long_enough);
        // No upper limit, and a very long one is estimated quickly.
        let long = "ord ".repeat(10_000);
        assert_eq!(strength(&long).chars, 40_000);
    }

    #[test]
    fn new_passphrases_are_refused_when_short_empty_or_with_nul() {
        assert!(
            matches!(Passphrase::new("kort".into()).check_new(), Err(Error::Passphrase(m)) if m.contains("minst 12"))
        );
        assert!(matches!(Passphrase::new(String::new()).check_new(), Err(Error::Passphrase(m)) if m.contains("tom")));
        assert!(Passphrase::new("tolv tecken\0nu".into()).check_new().is_err());
        assert!(Passphrase::new("tolv tecken nu".into()).check_new().is_ok());
    }
}
