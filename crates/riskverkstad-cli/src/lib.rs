//! `riskverkstad`: the command line over the core. Knows argv, output formats and exit codes;
//! everything else is the core's. A library with one entry, [`main`], so that the installed
//! package can serve the command from the app's binary too (one copy of the core, not two).
//!
//! Exit codes: 0 success, 1 a failure the user can act on (the message says what to do),
//! 2 a usage error.

mod actions;
mod analysis;
mod classification;
mod controls;
mod database;
mod documents;
mod exchange;
mod incidents;
mod output;
mod plan;
mod records;
mod register;
mod requirements;
mod security;
mod systems;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use riskverkstad_core::Error;
use riskverkstad_core::store::Store;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Riskverkstad: systemförteckning, informationsklassning och riskanalys för kommuner.
#[derive(Parser)]
#[command(name = "riskverkstad", version, about, long_about = None)]
struct Cli {
    /// Databasfilen (standard: plattformens datamapp, t.ex. ~/.local/share/riskverkstad/riskverkstad.db).
    #[arg(long, global = true, env = "RISKVERKSTAD_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    /// Fil med databasens lösenfras (annars miljövariabeln RISKVERKSTAD_PASSPHRASE, eller en
    /// fråga när en terminal är ansluten).
    #[arg(long, global = true, value_name = "FIL")]
    passphrase_file: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Skapar en realistisk demokommun i en ny databas.
    Demo(database::DemoArgs),
    /// Skapar en ny, krypterad databas med organisationen och den första förvaltningen.
    New(database::NewArgs),
    /// Databasens lösenfras: byt den, eller kryptera en okrypterad databas.
    Passphrase {
        #[command(subcommand)]
        command: security::PassphraseCommand,
    },
    /// Säkerhetskopior: skapa, lista, kontrollera, återställ.
    Backup {
        #[command(subcommand)]
        command: security::BackupCommand,
    },
    /// Systemförteckningen.
    Systems {
        #[command(subcommand)]
        command: systems::SystemsCommand,
    },
    /// Systemförteckningen som Excel-, ods- eller csv-fil: import med kolumnmappning, export.
    Register {
        #[command(subcommand)]
        command: register::RegisterCommand,
    },
    /// Årshjulet: det som är försenat eller snart ska göras.
    Due(systems::DueArgs),
    /// Kravuppföljning: ett systems krav med status, och bedömningar.
    Requirements {
        #[command(subcommand)]
        command: requirements::RequirementsCommand,
    },
    /// Handlingsplanens åtgärder: lista, skapa, följa upp och stänga.
    Actions {
        #[command(subcommand)]
        command: actions::ActionsCommand,
    },
    /// Incidenter: registrera, följ tidsfristerna (cybersäkerhetslagen, GDPR), rapportera och dra lärdomar.
    Incidents {
        #[command(subcommand)]
        command: incidents::IncidentsCommand,
    },
    /// Återkommande kontroller (behörighetsgranskning, logguppföljning, återläsningstest …): lista, lägg upp, registrera gjorda.
    Controls {
        #[command(subcommand)]
        command: controls::ControlsCommand,
    },
    /// Tidsbegränsade avsteg från krav: registrera, lista, återkalla.
    Exceptions {
        #[command(subcommand)]
        command: controls::ExceptionsCommand,
    },
    /// Systemsäkerhetsplanen: planens texter, och planen framtagen och fryst som ny version.
    Plan {
        #[command(subcommand)]
        command: plan::PlanCommand,
    },
    /// Informationsklassning: utkast, fastställande och höjning av skyddsnivå.
    Classification {
        #[command(subcommand)]
        command: classification::ClassificationCommand,
    },
    /// Riskanalyser: lista, gör en ny (utifrån den förra), ändra.
    Analysis {
        #[command(subcommand)]
        command: analysis::AnalysisCommand,
    },
    /// Vilken post som helst: lista, visa och ändra fält (för skript).
    Records {
        #[command(subcommand)]
        command: records::RecordsCommand,
    },
    /// Metoden: visa den som gäller, spara en ändrad som ny version.
    Method {
        #[command(subcommand)]
        command: records::MethodCommand,
    },
    /// Kontrollerar databasens integritet och granskningsloggens kedja.
    Check {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Visar databasen: fil, schemaversion, installation, metod och antal poster.
    Info {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Skapar ett beslutsunderlag som PDF: driftgodkannande, riskacceptans, klassning,
    /// handlingsplan eller lagesbild.
    Report {
        #[command(flatten)]
        document: documents::DocumentArgs,
        /// Öppen sammanfattning: utan detaljer om risker och sårbarheter.
        #[arg(long)]
        open_summary: bool,
        /// PDF-filen som skrivs.
        #[arg(long, value_name = "FIL.pdf")]
        out: PathBuf,
    },
    /// Fattade beslut: fatta ett nytt (PDF:en arkiveras oföränderlig), lista versioner, spara en.
    Decision {
        #[command(subcommand)]
        command: documents::DecisionCommand,
    },
    /// Ångrar den senaste ändringen som inte redan är ångrad (som en ny, loggad ändring).
    Undo {
        /// Visa bara vad som skulle ångras.
        #[arg(long)]
        dry_run: bool,
    },
    /// Avdelningens identitet och nyckelpar för signerade paket.
    Keys {
        #[command(subcommand)]
        command: exchange::KeysCommand,
    },
    /// Betrodda nycklar: andra avdelningar vars paket tas emot.
    Trust {
        #[command(subcommand)]
        command: exchange::TrustCommand,
    },
    /// Skriver ett signerat paket: hela databasen, en förvaltning eller valda system.
    Export {
        /// Paketfilen som skrivs.
        #[arg(long, value_name = "FIL")]
        out: PathBuf,
        /// Bara denna förvaltning (namn eller kortnamn).
        #[arg(long, value_name = "NAMN")]
        forvaltning: Option<String>,
        /// Bara dessa system (namn eller id; kan upprepas).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: Vec<String>,
        /// Kryptera till mottagarens publika nyckel (OpenSSH-fil).
        #[arg(long, value_name = "PUBLIK_NYCKELFIL")]
        encrypt_to: Option<PathBuf>,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Kontrollerar ett paket: signatur, avsändare, nummer och innehåll. Skriver ingenting.
    Verify {
        /// Paketfilen.
        file: PathBuf,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Läser in ett paket: visar planen (nya, ändrade, raderade, konflikter) och tillämpar den.
    Import {
        /// Paketfilen.
        file: PathBuf,
        /// Visa bara planen; skriv ingenting.
        #[arg(long)]
        dry_run: bool,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Konflikter från inlästa paket: samma post ändrad på båda håll.
    Conflicts {
        #[command(subcommand)]
        command: exchange::ConflictsCommand,
    },
    /// Granskningsloggen: vem ändrade vad och när.
    Audit(database::AuditArgs),
}

/// A failure to report: the message, and the exit code.
struct Failure {
    message: String,
    hint: Option<String>,
    code: u8,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        let hint = match &e {
            Error::Open { .. } | Error::NotADatabase { .. } => {
                Some("Kontrollera sökvägen i --db (eller RISKVERKSTAD_DB). En ny demodatabas skapas med `riskverkstad demo`.".into())
            }
            Error::Corrupt { .. } => Some("Kör `riskverkstad check` för detaljer.".into()),
            Error::NoMatch { what: "inget system", .. } => {
                Some("Sök med `riskverkstad systems list --search ORD`.".into())
            }
            _ => None,
        };
        Failure { message: format!("{e} [{}]", e.code()), hint, code: 1 }
    }
}

impl From<riskverkstad_report::ReportError> for Failure {
    fn from(e: riskverkstad_report::ReportError) -> Failure {
        match e {
            riskverkstad_report::ReportError::Core(e) => e.into(),
            other => Failure { message: other.to_string(), hint: None, code: 1 },
        }
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure { message: message.into(), hint: None, code: 2 }
}

/// Runs the command line with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = String::new();
    let result = run(cli, &mut out);
    // A closed pipe (`riskverkstad systems list | head`) is a normal end, not an error.
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("riskverkstad: fel: kunde inte skriva utdata: {e}");
        return ExitCode::from(1);
    }
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("riskverkstad: fel: {}", f.message);
            if let Some(h) = f.hint {
                eprintln!("tips: {h}");
            }
            ExitCode::from(f.code)
        }
    }
}

fn db_path(cli_db: Option<PathBuf>) -> Result<PathBuf, Failure> {
    match cli_db {
        Some(p) => Ok(p),
        None => dirs::data_dir()
            .map(|d| d.join("riskverkstad").join("riskverkstad.db"))
            .ok_or_else(|| usage("ingen datamapp hittades för användaren; ange databasfilen med --db")),
    }
}

/// Opens the existing database at `path` for everyday work (asking for the passphrase when it
/// is encrypted; the day's first open makes a backup).
fn open(path: &Path) -> Result<Store, Failure> {
    security::open(path, riskverkstad_core::usecase::open::Purpose::Work)
}

fn today(arg: Option<NaiveDate>) -> NaiveDate {
    arg.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// A date argument, ÅÅÅÅ-MM-DD, refused in Swedish (a usage error, exit 2).
pub fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("«{text}» är inget datum; skriv ÅÅÅÅ-MM-DD, till exempel 2026-11-30"))
}

/// Writes a file the user asked for, so that no one sees half of it.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    Ok(riskverkstad_core::files::write_atomic(path, bytes)?)
}

/// Runs a command; what it prints for stdout is collected in `out`.
fn run(cli: Cli, out: &mut String) -> Result<u8, Failure> {
    let path = db_path(cli.db)?;
    security::set_passphrase_file(cli.passphrase_file);
    match cli.command {
        Command::New(args) => database::new(&path, args, out),
        Command::Passphrase { command } => security::passphrase(&path, command, out),
        Command::Backup { command } => security::backup(&path, command, out),
        Command::Demo(args) => database::demo(&path, args, out),
        Command::Systems { command } => systems::run(&path, command, out),
        Command::Due(args) => systems::due(&path, args, out),
        Command::Requirements { command } => requirements::run(&path, command, out),
        Command::Actions { command } => actions::run(&path, command, out),
        Command::Incidents { command } => incidents::run(&path, command, out),
        Command::Controls { command } => controls::controls(&path, command, out),
        Command::Exceptions { command } => controls::exceptions(&path, command, out),
        Command::Plan { command } => plan::run(&path, command, out),
        Command::Classification { command } => classification::run(&path, command, out),
        Command::Analysis { command } => analysis::run(&path, command, out),
        Command::Records { command } => records::run(&path, command, out),
        Command::Method { command } => records::method(&path, command, out),
        Command::Check { json } => database::check(&path, json, out),
        Command::Report { document, open_summary, out: file } => {
            documents::report(&path, document, open_summary, &file, out)
        }
        Command::Decision { command } => documents::decision(&path, command, out),
        Command::Keys { command } => exchange::keys(command, &path, out),
        Command::Trust { command } => exchange::trust(command, &path, out),
        Command::Export { out: file, forvaltning, system, encrypt_to, json } => {
            exchange::export(&path, &file, forvaltning, system, encrypt_to, json, out)
        }
        Command::Verify { file, json } => exchange::verify(&path, &file, json, out),
        Command::Import { file, dry_run, json } => exchange::import(&path, &file, dry_run, json, out),
        Command::Conflicts { command } => exchange::conflicts(command, &path, out),
        Command::Register { command } => register::run(command, &path, out),
        Command::Undo { dry_run } => database::undo(&path, dry_run, out),
        Command::Info { json } => database::info(&path, json, out),
        Command::Audit(args) => database::audit(&path, args, out),
    }
}
