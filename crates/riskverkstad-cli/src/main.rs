//! `riskverkstad`: the command line over the core. Knows argv, output formats and exit codes;
//! everything else is the core's.
//!
//! Exit codes: 0 success, 1 a failure the user can act on (the message says what to do),
//! 2 a usage error.

mod exchange;
mod output;
mod register;
mod security;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use riskverkstad_core::register::{Register, RegisterQuery, SortKey};
use riskverkstad_core::store::{Read, Store};
use riskverkstad_core::{Error, demo, queries};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
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
    Demo {
        /// Antal system.
        #[arg(long, default_value_t = 60)]
        systems: usize,
        /// Slumpfrö: samma frö och dag ger samma kommun.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Dagen demon byggs för (ÅÅÅÅ-MM-DD); standard är i dag.
        #[arg(long, value_name = "DATUM")]
        today: Option<NaiveDate>,
    },
    /// Skapar en ny, krypterad databas med organisationen och den första förvaltningen.
    New {
        /// Organisationens namn (kommunen).
        #[arg(long, value_name = "NAMN")]
        organisation: String,
        /// Den första förvaltningens namn.
        #[arg(long, value_name = "NAMN")]
        forvaltning: String,
        /// Förvaltningens kortnamn.
        #[arg(long, value_name = "KORTNAMN", default_value = "")]
        short_name: String,
        /// Fil med lösenfrasen (annars RISKVERKSTAD_NEW_PASSPHRASE, RISKVERKSTAD_PASSPHRASE
        /// eller en fråga två gånger).
        #[arg(long, value_name = "FIL")]
        new_passphrase_file: Option<PathBuf>,
    },
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
        command: SystemsCommand,
    },
    /// Systemförteckningen som Excel-, ods- eller csv-fil: import med kolumnmappning, export.
    Register {
        #[command(subcommand)]
        command: register::RegisterCommand,
    },
    /// Årshjulet: det som är försenat eller snart ska göras.
    Due {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
        /// Räkna som om det vore denna dag (ÅÅÅÅ-MM-DD).
        #[arg(long, value_name = "DATUM")]
        today: Option<NaiveDate>,
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
        document: DocumentArgs,
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
        command: DecisionCommand,
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
    Audit {
        /// Bara ändringar av denna post (id).
        #[arg(long, value_name = "ID")]
        record: Option<String>,
        /// Högst så många (de senaste).
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum SystemsCommand {
    /// Listar system, med sökning och filter.
    List(ListArgs),
    /// Visar ett system med skyddsprofil, roller, information och risker.
    Show {
        /// Systemets namn, del av namnet eller id.
        system: String,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Which document, about what, and how it is headed: shared by `report` and `decision make`.
#[derive(Args)]
struct DocumentArgs {
    /// Vilket dokument.
    #[arg(value_parser = ["driftgodkannande", "riskacceptans", "klassning", "handlingsplan", "lagesbild"])]
    kind: String,
    /// Systemet (namn eller id); krävs för driftgodkännande, riskacceptans och klassning.
    #[arg(long, value_name = "NAMN_ELLER_ID")]
    system: Option<String>,
    /// Förvaltningen (namn eller kortnamn) för lägesbild och handlingsplan; utan den hela organisationen.
    #[arg(long, value_name = "NAMN")]
    forvaltning: Option<String>,
    /// Sekretessmarkering i sidhuvudet (annars väljs den efter innehållet).
    #[arg(long, value_name = "TEXT")]
    marking: Option<String>,
    /// Diarienummer.
    #[arg(long, value_name = "DNR")]
    diarienummer: Option<String>,
    /// Dokumentets datum, för ett beslut beslutsdatumet (ÅÅÅÅ-MM-DD); annars i dag.
    #[arg(long, value_name = "DATUM")]
    date: Option<NaiveDate>,
}

impl DocumentArgs {
    /// The request these arguments name, with the system and förvaltning looked up.
    fn request(self, store: &Store) -> Result<riskverkstad_report::ReportRequest, Failure> {
        let kind = riskverkstad_report::ReportKind::parse(&self.kind)
            .ok_or_else(|| usage(format!("okänt dokument {}", self.kind)))?;
        let mut request = riskverkstad_report::ReportRequest::new(kind, today(self.date));
        request.system = self.system.map(|q| riskverkstad_report::find_system(store, &q)).transpose()?;
        request.forvaltning = self.forvaltning.map(|q| riskverkstad_report::find_forvaltning(store, &q)).transpose()?;
        request.marking = self.marking;
        request.diarienummer = self.diarienummer;
        Ok(request)
    }
}

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum DecisionCommand {
    /// Fattar ett beslut: ritar dokumentet som beslutat och arkiverar PDF:en med beslutet,
    /// som nästa version för systemet (eller förvaltningen/organisationen).
    Make {
        #[command(flatten)]
        document: DocumentArgs,
        /// Beslutsfattaren (namn eller e-post).
        #[arg(long, value_name = "NAMN")]
        decided_by: String,
        /// Föredraganden (namn eller e-post).
        #[arg(long, value_name = "NAMN")]
        presented_by: Option<String>,
        /// Driftgodkännandets utfall: driftgodkanns, med_villkor eller inte.
        #[arg(long, value_name = "UTFALL")]
        outcome: Option<String>,
        /// Ett villkor med sitt datum, "TEXT@ÅÅÅÅ-MM-DD" (driftgodkänns med villkor); kan upprepas.
        #[arg(long, value_name = "TEXT@DATUM")]
        condition: Vec<String>,
        /// Giltigt till och med (ÅÅÅÅ-MM-DD); ett driftgodkännande gäller annars ett år.
        #[arg(long, value_name = "DATUM")]
        valid_until: Option<NaiveDate>,
        /// Bedömningen, med beslutsfattarens ord.
        #[arg(long, value_name = "TEXT")]
        assessment: Option<String>,
        /// Skriv också den arkiverade PDF:en hit.
        #[arg(long, value_name = "FIL.pdf")]
        out: Option<PathBuf>,
    },
    /// Listar besluten och deras versioner.
    List {
        /// Bara beslut om detta system (namn eller id); utan: alla.
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: Option<String>,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sparar ett besluts arkiverade PDF, kontrollerad mot sin SHA-256.
    Save {
        /// Beslutets id (från `decision list`).
        id: String,
        /// PDF-filen som skrivs.
        #[arg(long, value_name = "FIL.pdf")]
        out: PathBuf,
    },
}

#[derive(Args)]
struct ListArgs {
    /// Ord som ska finnas i namn, alias, beskrivning, leverantör eller förvaltning.
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Bara denna förvaltning (namn eller kortnamn).
    #[arg(long, value_name = "NAMN")]
    forvaltning: Option<String>,
    /// Bara system vars högsta nivå är minst denna.
    #[arg(long, value_name = "NIVÅ")]
    min_level: Option<u8>,
    /// Bara kritiska system.
    #[arg(long)]
    critical: bool,
    /// Sortering: namn, forvaltning, niva, livscykel.
    #[arg(long, default_value = "namn")]
    sort: String,
    /// Skriv JSON.
    #[arg(long)]
    json: bool,
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

fn main() -> ExitCode {
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

fn open_existing(path: &std::path::Path) -> Result<Store, Failure> {
    security::open_existing(path)
}

fn today(arg: Option<NaiveDate>) -> NaiveDate {
    arg.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Runs a command; what it prints for stdout is collected in `out`.
fn run(cli: Cli, out: &mut String) -> Result<u8, Failure> {
    let path = db_path(cli.db)?;
    security::set_passphrase_file(cli.passphrase_file);
    match cli.command {
        Command::New { organisation, forvaltning, short_name, new_passphrase_file } => {
            if path.exists() {
                return Err(Failure {
                    message: format!("{} finns redan; välj ett nytt filnamn med --db", path.display()),
                    hint: None,
                    code: 1,
                });
            }
            let passphrase = match std::env::var(security::ENV_PASSPHRASE) {
                Ok(text) if new_passphrase_file.is_none() && std::env::var(security::ENV_NEW_PASSPHRASE).is_err() => {
                    let p = riskverkstad_core::store::Passphrase::new(text);
                    p.check_new()?;
                    p
                }
                _ => security::new_passphrase(new_passphrase_file.as_deref())?,
            };
            let mut store = Store::create(&path, Some(passphrase))?;
            riskverkstad_core::settings::setup(&mut store, &organisation, &forvaltning, &short_name)?;
            let _ = writeln!(out, "Ny krypterad databas: {}", path.display());
            let _ =
                writeln!(out, "Säkerhetskopior sparas i {}", riskverkstad_core::backup::folder_for(&store)?.display());
            Ok(0)
        }
        Command::Passphrase { command } => security::passphrase(&path, command, out),
        Command::Backup { command } => security::backup(&path, command, out),
        Command::Demo { systems, seed, today } => {
            if systems == 0 || systems > demo::MAX_SYSTEMS {
                return Err(usage(format!("--systems ska vara mellan 1 och {} (fick {systems})", demo::MAX_SYSTEMS)));
            }
            // Encrypted when a passphrase is given (environment or file), else a plain demo.
            let mut store = match security::given(&path, false)? {
                Some(p) if !path.exists() => Store::create(&path, Some(p))?,
                Some(p) => Store::unlock(&path, Some(p))?,
                None => Store::open(&path)?,
            };
            let started = std::time::Instant::now();
            let summary = demo::build(&mut store, &demo::DemoConfig { systems, seed, today })?;
            output::demo_summary(out, &path, &summary, started.elapsed());
            Ok(0)
        }
        Command::Systems { command: SystemsCommand::List(args) } => {
            let store = open_existing(&path)?;
            let sort = match args.sort.as_str() {
                "namn" | "name" => SortKey::Name,
                "forvaltning" | "förvaltning" => SortKey::Forvaltning,
                "niva" | "nivå" | "level" => SortKey::Level,
                "livscykel" | "lifecycle" => SortKey::Lifecycle,
                other => {
                    return Err(usage(format!(
                        "okänd sortering \"{other}\"; välj namn, forvaltning, niva eller livscykel"
                    )));
                }
            };
            let forvaltning = match &args.forvaltning {
                Some(name) => Some(find_forvaltning(&store, name)?),
                None => None,
            };
            let register = Register::load(&store)?;
            let query = RegisterQuery {
                text: args.search.unwrap_or_default(),
                forvaltning,
                min_level: args.min_level,
                critical: args.critical.then_some(true),
                sort,
                ..Default::default()
            };
            let hits = register.search(&query);
            if args.json {
                output::json(out, &hits)?;
            } else {
                output::register_table(out, &hits, register.rows().len());
            }
            Ok(0)
        }
        Command::Systems { command: SystemsCommand::Show { system, json } } => {
            let store = open_existing(&path)?;
            let id = find_system(&store, &system)?;
            let view = riskverkstad_core::views::SystemView::load(&store, id)?;
            if json {
                output::json(out, &view)?;
            } else {
                output::system(out, &view);
            }
            Ok(0)
        }
        Command::Due { json, today: day } => {
            let store = open_existing(&path)?;
            let items = queries::due_list(&store, today(day))?;
            if json {
                output::json(out, &items)?;
            } else {
                output::due_table(out, &store, &items)?;
            }
            Ok(0)
        }
        Command::Check { json } => {
            let store = open_existing(&path)?;
            let report = store.check()?;
            if json {
                output::json(out, &report)?;
            } else if report.is_sound() {
                let _ = writeln!(
                    out,
                    "Databasen {} är hel: integritetskontrollen gick igenom, {} poster stämmer med granskningsloggen och loggens {} poster bildar en obruten kedja.",
                    path.display(),
                    report.records_checked,
                    report.audit_entries
                );
            } else {
                eprintln!("Databasen {} har {} problem:", path.display(), report.problems.len());
                for p in &report.problems {
                    eprintln!("  – {p}");
                }
                eprintln!("Återställ från en säkerhetskopia, eller kontakta den som förvaltar Riskverkstad.");
            }
            Ok(if report.is_sound() { 0 } else { 1 })
        }
        Command::Report { document, open_summary, out: file } => {
            let store = open_existing(&path)?;
            let request = riskverkstad_report::ReportRequest { open_summary, ..document.request(&store)? };
            let kind = request.kind;
            let bytes = riskverkstad_report::render(&store, &request)?;
            write_file(&file, &bytes)?;
            let _ = writeln!(
                out,
                "Skrev {} ({}, {} byte, SHA-256 {}).",
                file.display(),
                kind.label(),
                bytes.len(),
                riskverkstad_report::sha256_hex(&bytes)
            );
            Ok(0)
        }
        Command::Decision { command } => decision(command, &path, out),
        Command::Keys { command } => exchange::keys(command, &path, out),
        Command::Trust { command } => exchange::trust(command, &path, out),
        Command::Export { out: file, forvaltning, system, encrypt_to, json } => {
            exchange::export(&path, &file, forvaltning, system, encrypt_to, json, out)
        }
        Command::Verify { file, json } => exchange::verify(&path, &file, json, out),
        Command::Import { file, dry_run, json } => exchange::import(&path, &file, dry_run, json, out),
        Command::Conflicts { command } => exchange::conflicts(command, &path, out),
        Command::Register { command } => register::run(command, &path, out),
        Command::Undo { dry_run } => {
            let mut store = open_existing(&path)?;
            if dry_run {
                match store.undo_target()? {
                    Some(t) => {
                        let _ = writeln!(
                            out,
                            "Nästa ångring: «{}» ({}, {}, {} ändrade poster)",
                            t.action, t.at, t.actor, t.changes
                        );
                    }
                    None => {
                        let _ = writeln!(out, "Det finns ingen ändring att ångra.");
                    }
                }
                return Ok(0);
            }
            let undone = store.undo()?;
            let _ = writeln!(out, "Ångrade «{undone}».");
            Ok(0)
        }
        Command::Info { json } => {
            let store = open_existing(&path)?;
            let info = output::Info::load(&store)?;
            if json {
                output::json(out, &info)?;
            } else {
                info.print(out);
            }
            Ok(0)
        }
        Command::Audit { record, limit, json } => {
            let store = open_existing(&path)?;
            let mut entries = store.audit_log(record.as_deref())?;
            let skip = entries.len().saturating_sub(limit);
            entries.drain(..skip);
            if json {
                output::json(out, &entries)?;
            } else {
                output::audit_table(out, &entries);
            }
            Ok(0)
        }
    }
}

fn find_forvaltning(store: &Store, name: &str) -> Result<riskverkstad_core::ids::ForvaltningId, Failure> {
    let all = store.list::<riskverkstad_core::model::Forvaltning>()?;
    let wanted = name.trim().to_lowercase();
    let hits: Vec<_> =
        all.iter().filter(|f| f.name.to_lowercase() == wanted || f.short_name.to_lowercase() == wanted).collect();
    match hits.as_slice() {
        [one] => Ok(one.id),
        _ => Err(Failure {
            message: format!("ingen förvaltning heter \"{name}\""),
            hint: Some(format!(
                "Förvaltningar: {}",
                all.iter().map(|f| format!("{} ({})", f.name, f.short_name)).collect::<Vec<_>>().join(", ")
            )),
            code: 1,
        }),
    }
}

/// A system by id, exact name, or a unique part of the name.
fn find_system(store: &Store, text: &str) -> Result<riskverkstad_core::ids::SystemId, Failure> {
    use riskverkstad_core::model::System;
    if let Ok(id) = text.parse()
        && let Some(s) = store.find::<System>(id)?
    {
        return Ok(s.id);
    }
    let register = Register::load(store)?;
    let wanted = text.trim().to_lowercase();
    let exact: Vec<_> = register.rows().iter().filter(|r| r.name.to_lowercase() == wanted).collect();
    if let [one] = exact.as_slice() {
        return Ok(one.id);
    }
    let partial: Vec<_> = register.rows().iter().filter(|r| r.name.to_lowercase().contains(&wanted)).collect();
    match partial.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Failure {
            message: format!("inget system heter \"{text}\""),
            hint: Some("Sök med `riskverkstad systems list --search ORD`.".into()),
            code: 1,
        }),
        many => Err(Failure {
            message: format!(
                "\"{text}\" matchar {} system: {}",
                many.len(),
                many.iter().take(10).map(|r| format!("{} ({})", r.name, r.id)).collect::<Vec<_>>().join("; ")
            ),
            hint: Some("Ange hela namnet eller systemets id.".into()),
            code: 1,
        }),
    }
}

/// Written beside the target and renamed, so a reader never sees half a file.
fn write_file(file: &std::path::Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut tmp = file.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, file)).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Failure { message: format!("kunde inte skriva {}: {e}", file.display()), hint: None, code: 1 }
    })
}

/// A person by exact name or e-mail (any case), or the only one whose name contains `text`.
fn find_person(store: &Store, text: &str) -> Result<riskverkstad_core::ids::PersonId, Failure> {
    use riskverkstad_core::model::Person;
    let people = store.list::<Person>()?;
    let wanted = text.trim().to_lowercase();
    let exact: Vec<&Person> = people
        .iter()
        .filter(|p| p.name.to_lowercase() == wanted || p.email.as_deref().is_some_and(|e| e.to_lowercase() == wanted))
        .collect();
    let hits = if exact.is_empty() {
        people.iter().filter(|p| p.name.to_lowercase().contains(&wanted)).collect()
    } else {
        exact
    };
    match hits.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Failure { message: format!("ingen person heter \"{text}\""), hint: None, code: 1 }),
        many => Err(Failure {
            message: format!(
                "\"{text}\" matchar {} personer: {}",
                many.len(),
                many.iter().take(10).map(|p| p.name.as_str()).collect::<Vec<_>>().join("; ")
            ),
            hint: Some("Ange hela namnet eller e-postadressen.".into()),
            code: 1,
        }),
    }
}

fn decision(command: DecisionCommand, path: &std::path::Path, out: &mut String) -> Result<u8, Failure> {
    use riskverkstad_core::decisions;
    use riskverkstad_core::model::{Condition, DecisionOutcome};
    match command {
        DecisionCommand::Make {
            document,
            decided_by,
            presented_by,
            outcome,
            condition,
            valid_until,
            assessment,
            out: file,
        } => {
            let mut store = open_existing(path)?;
            let outcome = outcome
                .map(|o| {
                    DecisionOutcome::parse(&o)
                        .ok_or_else(|| usage(format!("okänt utfall {o}: driftgodkanns, med_villkor eller inte")))
                })
                .transpose()?;
            let conditions = condition
                .iter()
                .map(|c| match c.rsplit_once('@') {
                    Some((text, day)) => day
                        .trim()
                        .parse::<NaiveDate>()
                        .map(|d| Condition { text: text.trim().to_string(), due_on: Some(d) })
                        .map_err(|_| usage(format!("villkoret \"{c}\" har inget giltigt datum efter @ (ÅÅÅÅ-MM-DD)"))),
                    None => Ok(Condition { text: c.trim().to_string(), due_on: None }),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let request = document.request(&store)?;
            let decided = riskverkstad_report::Decided {
                decided_by: find_person(&store, &decided_by)?,
                presented_by: presented_by.map(|p| find_person(&store, &p)).transpose()?,
                outcome,
                conditions,
                valid_until,
                assessment: assessment.unwrap_or_default(),
            };
            let (frozen, rendered) = riskverkstad_report::decide(&mut store, &request, decided)?;
            if let Some(file) = &file {
                write_file(file, &rendered.bytes)?;
            }
            let _ = writeln!(
                out,
                "Beslutet är fattat och arkiverat: {} version {} ({}), id {}, {} byte, SHA-256 {}.",
                frozen.title,
                frozen.version,
                frozen.decided_on.map(|d| d.to_string()).unwrap_or_default(),
                frozen.id,
                rendered.bytes.len(),
                frozen.document_sha256.as_deref().unwrap_or("")
            );
            if let Some(file) = file {
                let _ = writeln!(out, "Skrev {}.", file.display());
            }
            Ok(0)
        }
        DecisionCommand::List { system, json } => {
            let store = open_existing(path)?;
            let rows = match system {
                Some(q) => decisions::versions(&store, Some(riskverkstad_report::find_system(&store, &q)?))?,
                None => {
                    let mut all = decisions::versions(&store, None)?;
                    for s in store.list::<riskverkstad_core::model::System>()? {
                        all.extend(decisions::versions(&store, Some(s.id))?);
                    }
                    all
                }
            };
            if json {
                output::json(out, &rows)?;
                return Ok(0);
            }
            if rows.is_empty() {
                let _ = writeln!(out, "Inga beslut.");
            }
            for v in rows {
                let _ = writeln!(
                    out,
                    "{}  {} v{}  {}  {}  {}  {}",
                    v.id,
                    v.title,
                    v.version,
                    v.state.label(),
                    v.decided_on.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
                    v.decided_by.unwrap_or_else(|| "–".into()),
                    match &v.document_sha256 {
                        Some(sha) => format!("PDF {} byte, SHA-256 {sha}", v.document_bytes),
                        None => "utan arkiverad PDF".into(),
                    }
                );
            }
            Ok(0)
        }
        DecisionCommand::Save { id, out: file } => {
            let store = open_existing(path)?;
            let id = id.trim().parse().map_err(|_| usage(format!("\"{id}\" är inget beslut-id")))?;
            let (d, bytes) = decisions::document_of(&store, id)?;
            write_file(&file, &bytes)?;
            let _ = writeln!(
                out,
                "Skrev {} ({} version {}, {} byte, SHA-256 {}).",
                file.display(),
                d.title,
                d.version,
                bytes.len(),
                decisions::sha256_hex(&bytes)
            );
            Ok(0)
        }
    }
}
