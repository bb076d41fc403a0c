//! `keys`, `trust`, `export`, `verify`, `import` and `conflicts`: the bundle exchange.

use crate::{Failure, open, output, usage, write_file};
use clap::Subcommand;
use riskverkstad_core::exchange::{
    ChangeKind, ImportReport, Limits, PlannedChange, PublicKey, Resolution, Scope, SenderRole, TrustTerms,
};
use riskverkstad_core::find;
use riskverkstad_core::store::Store;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Skapar avdelningens identitet: namn och nyckelpar (Ed25519). Den privata nyckeln sparas
    /// bredvid databasen (DB.id_ed25519, bara läsbar för ägaren).
    Init {
        /// Avdelningens namn, som mottagarna ser det.
        #[arg(long, value_name = "NAMN")]
        department: String,
    },
    /// Visar identiteten och nyckelns fingeravtryck.
    Show {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Skriver den publika nyckeln (OpenSSH-format) till en fil att ge mottagarna.
    ExportPublic {
        /// Filen som skrivs.
        #[arg(long, value_name = "FIL")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum TrustCommand {
    /// Lägger till en annan avdelnings publika nyckel (en .pub-fil, eller ett paket den signerat).
    Add {
        /// Nyckelfilen eller paketet.
        file: PathBuf,
        /// Namnet avdelningen får i listan.
        #[arg(long, value_name = "NAMN")]
        name: String,
        /// Bekräfta utan fråga (efter att ha jämfört fingeravtrycket med avsändaren).
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        terms: TermsArgs,
    },
    /// Ändrar vad en betrodd nyckel får: roll, förvaltningar, vem som jämförde fingeravtrycket
    /// och hur länge förtroendet gäller. Det som inte anges behålls.
    Set {
        /// Namnet i listan.
        name: String,
        #[command(flatten)]
        terms: TermsArgs,
        /// Ta bort alla förvaltningar (före de --forvaltning som anges).
        #[arg(long)]
        clear_forvaltningar: bool,
        /// Förtroendet gäller tills vidare.
        #[arg(long, conflicts_with = "expires")]
        no_expiry: bool,
    },
    /// Släpper igenom en avsändares ändringar av en post utanför dess behörighet, som
    /// konflikter att avgöra (aldrig som automatiska ändringar).
    Allow {
        /// Avsändarens namn i listan.
        name: String,
        /// Posttypen (tabellen, t.ex. system), som avvisningen anger.
        table: String,
        /// Postens id, som avvisningen anger.
        id: String,
    },
    /// Tar tillbaka ett `trust allow`.
    Disallow {
        /// Avsändarens namn i listan.
        name: String,
        /// Posttypen.
        table: String,
        /// Postens id.
        id: String,
    },
    /// Listar betrodda och återkallade nycklar.
    List {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Återkallar en nyckel: paket den signerar tas inte längre emot.
    Revoke {
        /// Namnet i listan.
        name: String,
    },
}

/// What a key is trusted for, as `trust add` and `trust set` take it.
#[derive(clap::Args)]
pub struct TermsArgs {
    /// avdelning (ändrar bara det den själv skapat och det som hör till dess förvaltningar)
    /// eller central (för vidare alla installationers ändringar).
    #[arg(long, value_name = "ROLL", value_parser = ["avdelning", "central"])]
    role: Option<String>,
    /// En förvaltning avdelningen svarar för (kan upprepas).
    #[arg(long, value_name = "NAMN")]
    forvaltning: Vec<String>,
    /// Vem som jämförde fingeravtrycket med avsändaren (annars du själv).
    #[arg(long, value_name = "NAMN")]
    compared_by: Option<String>,
    /// Sista dag paket från nyckeln tas emot (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "DATUM")]
    expires: Option<String>,
}

#[derive(Subcommand)]
pub enum ConflictsCommand {
    /// Listar konflikter som väntar på beslut, fält för fält.
    List {
        /// Även avgjorda konflikter.
        #[arg(long)]
        all: bool,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Avgör en konflikt: behåll min version, ta deras, eller ta bara vissa fält från deras.
    Resolve {
        /// Konfliktens id (eller en unik början av det).
        id: String,
        /// mine (min version) eller theirs (deras).
        #[arg(long, value_parser = ["mine", "theirs"], required_unless_present = "field")]
        keep: Option<String>,
        /// Ta detta fält från deras version, resten från min (kan upprepas).
        #[arg(long, value_name = "FÄLT", conflicts_with = "keep")]
        field: Vec<String>,
    },
}

pub fn keys(command: KeysCommand, path: &Path, out: &mut String) -> Result<u8, Failure> {
    // `keys init` may start a new database (a central office begins with an empty one).
    let mut store = match command {
        // A new database: encrypted when a passphrase is given, else plain (and said so).
        KeysCommand::Init { .. } if !path.exists() => match crate::security::given(path, false)? {
            Some(p) => Store::create(path, Some(p))?,
            None => {
                eprintln!(
                    "riskverkstad: varning: {} skapas okrypterad; ange en lösenfras (RISKVERKSTAD_PASSPHRASE eller --passphrase-file) eller kryptera den med `riskverkstad passphrase change`",
                    path.display()
                );
                Store::open(path)?
            }
        },
        _ => open(path)?,
    };
    match command {
        KeysCommand::Init { department } => {
            let id = riskverkstad_core::exchange::init_identity(&mut store, &department)?;
            let _ = writeln!(out, "Skapade avdelningsidentiteten \"{}\".", id.name);
            print_identity(out, &id);
        }
        KeysCommand::Show { json } => {
            let id = riskverkstad_core::exchange::identity(&store)?.ok_or_else(no_identity)?;
            if json {
                output::json(out, &id)?;
            } else {
                print_identity(out, &id);
            }
        }
        KeysCommand::ExportPublic { out: file } => {
            let id = riskverkstad_core::exchange::identity(&store)?.ok_or_else(no_identity)?;
            write_file(&file, format!("{}\n", id.public_key).as_bytes())?;
            let _ = writeln!(out, "Skrev den publika nyckeln till {}.", file.display());
            let _ = writeln!(out, "Fingeravtryck: {}", id.fingerprint.readable);
        }
    }
    Ok(0)
}

fn no_identity() -> Failure {
    Failure {
        message: "installationen har ingen avdelningsidentitet ännu".into(),
        hint: Some("Skapa den med `riskverkstad keys init --department NAMN`.".into()),
        code: 1,
    }
}

fn print_identity(out: &mut String, id: &riskverkstad_core::exchange::Identity) {
    let _ = writeln!(out, "Avdelning:      {}", id.name);
    let _ = writeln!(out, "Fingeravtryck:  {}", id.fingerprint.readable);
    let _ = writeln!(out, "OpenSSH:        {}", id.fingerprint.openssh);
    let _ = writeln!(out, "Publik nyckel:  {}", id.public_key);
    if let Some(f) = &id.key_file {
        let _ = writeln!(out, "Privat nyckel:  {f}");
    }
    let _ = writeln!(out, "Senaste paket:  nr {}", id.last_sequence);
}

pub fn trust(command: TrustCommand, path: &Path, out: &mut String) -> Result<u8, Failure> {
    let mut store = open(path)?;
    match command {
        TrustCommand::Add { file, name, yes, terms } => {
            let bytes = riskverkstad_core::usecase::bundle_file::read(&file)?;
            let key = match std::str::from_utf8(&bytes).ok().filter(|t| t.trim_start().starts_with("ssh-")) {
                Some(text) => PublicKey::from_openssh(text).map_err(riskverkstad_core::Error::from)?,
                None => {
                    let signer = riskverkstad_core::exchange::bundle_signer(&store, &bytes)?;
                    let _ = writeln!(out, "Paketet är signerat av \"{}\".", signer.name);
                    PublicKey::from_openssh(&signer.public_key).map_err(riskverkstad_core::Error::from)?
                }
            };
            let fp = key.fingerprint();
            let _ = writeln!(out, "Fingeravtryck:  {}", fp.readable);
            let _ = writeln!(out, "OpenSSH:        {}", fp.openssh);
            if !yes {
                if !std::io::stdin().is_terminal() {
                    return Err(usage(
                        "jämför fingeravtrycket med avsändaren (per telefon eller på papper) och bekräfta med --yes",
                    ));
                }
                // Show what we have so far, then ask.
                print!("{out}");
                out.clear();
                eprint!("Stämmer fingeravtrycket med det avsändaren uppger? Lita på nyckeln som \"{name}\" [j/N]: ");
                let mut answer = String::new();
                let _ = std::io::stdin().read_line(&mut answer);
                if !matches!(answer.trim().to_lowercase().as_str(), "j" | "ja" | "y" | "yes") {
                    let _ = writeln!(out, "Avbrutet; nyckeln lades inte till.");
                    return Ok(1);
                }
            }
            let terms = TrustTerms {
                role: terms.role.as_deref().map(SenderRole::parse).transpose()?.unwrap_or(SenderRole::Avdelning),
                forvaltningar: terms.forvaltning,
                compared_by: terms.compared_by.unwrap_or_else(|| store.actor().to_string()),
                expires_on: terms.expires,
            };
            let t = riskverkstad_core::exchange::trust_add(&mut store, &key, &name, &terms)?;
            let _ = writeln!(out, "Litar nu på \"{}\" ({}).", t.name, t.fingerprint.readable);
            print_terms(out, &t);
        }
        TrustCommand::Set { name, terms: given, clear_forvaltningar, no_expiry } => {
            let Some(before) =
                riskverkstad_core::exchange::trust_list(&store)?.into_iter().find(|t| t.name == name.trim())
            else {
                return Err(Failure {
                    message: format!("det finns ingen betrodd nyckel som heter \"{}\"", name.trim()),
                    hint: Some("Se `riskverkstad trust list`.".into()),
                    code: 1,
                });
            };
            let mut terms = before.terms.clone();
            if let Some(r) = given.role.as_deref() {
                terms.role = SenderRole::parse(r)?;
            }
            if clear_forvaltningar {
                terms.forvaltningar.clear();
            }
            terms.forvaltningar.extend(given.forvaltning);
            if let Some(c) = given.compared_by {
                terms.compared_by = c;
            }
            if given.expires.is_some() {
                terms.expires_on = given.expires;
            }
            if no_expiry {
                terms.expires_on = None;
            }
            let t = riskverkstad_core::exchange::trust_set(&mut store, &name, &terms)?;
            let _ = writeln!(out, "Ändrade \"{}\".", t.name);
            print_terms(out, &t);
        }
        TrustCommand::Allow { name, table, id } => {
            let a = riskverkstad_core::exchange::allow_changes(&mut store, &name, &table, &id)?;
            let _ = writeln!(
                out,
                "Ändringar från \"{}\" av {} {} tas nu emot som konflikter att avgöra.",
                a.sender, a.table, a.record_id
            );
        }
        TrustCommand::Disallow { name, table, id } => {
            if riskverkstad_core::exchange::disallow_changes(&mut store, &name, &table, &id)? {
                let _ = writeln!(out, "Ändringar från \"{}\" av {table} {id} avvisas igen.", name.trim());
            } else {
                let _ = writeln!(out, "Det fanns inget medgivande för \"{}\" och {table} {id}.", name.trim());
            }
        }
        TrustCommand::List { json } => {
            let list = riskverkstad_core::exchange::trust_list(&store)?;
            if json {
                output::json(out, &list)?;
            } else if list.is_empty() {
                let _ = writeln!(out, "Inga betrodda nycklar.");
            } else {
                for t in list {
                    let state = match (&t.revoked_at, t.expired) {
                        (Some(at), _) => format!("ÅTERKALLAD {at}"),
                        (None, true) => "UTGÅNGEN".into(),
                        (None, false) => "betrodd".into(),
                    };
                    let _ = writeln!(
                        out,
                        "{:<30} {}  {}  ({}, tillagd {} av {})",
                        t.name, t.fingerprint.readable, t.fingerprint.openssh, state, t.added_at, t.added_by
                    );
                    print_terms(out, &t);
                }
                let allowed = riskverkstad_core::exchange::allowances(&store)?;
                if !allowed.is_empty() {
                    let _ = writeln!(out, "Ändringar utanför behörigheten som tas emot som konflikter:");
                    for a in allowed {
                        let _ = writeln!(
                            out,
                            "  {}: {} {} ({} {}; av {}, {})",
                            a.sender,
                            a.label.to_lowercase(),
                            a.title,
                            a.table,
                            a.record_id,
                            a.allowed_by,
                            a.allowed_at
                        );
                    }
                }
            }
        }
        TrustCommand::Revoke { name } => {
            let t = riskverkstad_core::exchange::trust_revoke(&mut store, &name)?;
            let _ = writeln!(
                out,
                "Återkallade \"{}\" ({}). Paket signerade med nyckeln tas inte längre emot.",
                t.name, t.fingerprint.readable
            );
        }
    }
    Ok(0)
}

fn print_terms(out: &mut String, t: &riskverkstad_core::exchange::TrustedKey) {
    let scope = if t.terms.forvaltningar.is_empty() {
        "bara det den själv skapat".to_string()
    } else {
        format!("det den själv skapat och {}", t.terms.forvaltningar.join(", "))
    };
    match t.terms.role {
        SenderRole::Central => {
            let _ = writeln!(out, "    Roll:         centralt kontor (för vidare alla installationers ändringar)");
        }
        SenderRole::Avdelning => {
            let _ = writeln!(out, "    Roll:         avdelning; får ändra {scope}");
        }
    }
    let _ = writeln!(
        out,
        "    Jämfört av:   {}{}",
        t.terms.compared_by,
        t.compared_at.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
    );
    if let Some(d) = &t.terms.expires_on {
        let _ = writeln!(out, "    Gäller t.o.m. {d}{}", if t.expired { " (utgången)" } else { "" });
    }
}

#[allow(clippy::too_many_arguments)]
pub fn export(
    path: &Path,
    file: &Path,
    forvaltning: Option<String>,
    systems: Vec<String>,
    encrypt_to: Option<PathBuf>,
    json: bool,
    out: &mut String,
) -> Result<u8, Failure> {
    let mut store = open(path)?;
    let scope = match (forvaltning, systems.is_empty()) {
        (Some(_), false) => return Err(usage("ange antingen --forvaltning eller --system, inte båda")),
        (Some(f), true) => Scope::Forvaltning(find::forvaltning(&store, &f)?),
        (None, false) => Scope::Systems(systems.iter().map(|s| find::system(&store, s)).collect::<Result<_, _>>()?),
        (None, true) => Scope::All,
    };
    let recipient = match encrypt_to {
        None => None,
        Some(p) => {
            let bytes = riskverkstad_core::usecase::bundle_file::read(&p)?;
            let text = String::from_utf8_lossy(&bytes);
            Some(PublicKey::from_openssh(&text).map_err(riskverkstad_core::Error::from)?)
        }
    };
    let started = std::time::Instant::now();
    let exported = riskverkstad_core::exchange::export_bundle(&mut store, &scope, recipient.as_ref())?;
    write_file(file, &exported.bytes)?;
    if json {
        output::json(
            out,
            &serde_json::json!({
                "file": file.display().to_string(),
                "bytes": exported.bytes.len(),
                "sha256": riskverkstad_core::decisions::sha256_hex(&exported.bytes),
                "sequence": exported.manifest.sequence,
                "scope": exported.manifest.scope,
                "counts": exported.manifest.counts,
                "encrypted_to": exported.encrypted_to,
            }),
        )?;
        return Ok(0);
    }
    let m = &exported.manifest;
    let _ = writeln!(
        out,
        "Skrev {} ({} byte) på {:.1} s.",
        file.display(),
        exported.bytes.len(),
        started.elapsed().as_secs_f64()
    );
    let _ = writeln!(out, "Avsändare:      {} (paket nr {})", m.sender.name, m.sequence);
    let _ = writeln!(out, "Innehåll:       {}", m.scope);
    let _ = writeln!(out, "Poster:         {}", counts_line(&m.counts));
    match &exported.encrypted_to {
        Some(fp) => {
            let _ = writeln!(out, "Krypterat till: {}", fp.readable);
        }
        None => {
            let _ = writeln!(
                out,
                "Okrypterat: innehållet kan vara sekretessbelagt (OSL 18 kap. 8 §); kryptera med --encrypt-to."
            );
        }
    }
    Ok(0)
}

fn counts_line(counts: &std::collections::BTreeMap<String, u64>) -> String {
    counts.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
}

pub fn verify(path: &Path, file: &Path, json: bool, out: &mut String) -> Result<u8, Failure> {
    let store = open(path)?;
    let bytes = riskverkstad_core::usecase::bundle_file::read(file)?;
    let (incoming, already) = riskverkstad_core::exchange::read_bundle(&store, &bytes, Limits::default())?;
    let s = incoming.summary(already);
    if json {
        output::json(out, &s)?;
        return Ok(0);
    }
    let _ = writeln!(out, "Paketet är oförändrat och signerat av en betrodd nyckel.");
    let _ =
        writeln!(out, "Avsändare:      {} (betrodd som \"{}\")", s.sender, s.trusted_as.clone().unwrap_or_default());
    let _ = writeln!(out, "Fingeravtryck:  {}", s.fingerprint.readable);
    let _ = writeln!(out, "OpenSSH:        {}", s.fingerprint.openssh);
    let _ = writeln!(out, "Paket nr:       {}{}", s.sequence, if already { " (redan inläst här)" } else { "" });
    let _ = writeln!(out, "Skapat:         {}", s.created_at);
    let _ = writeln!(out, "Innehåll:       {}", s.scope);
    let _ = writeln!(out, "Formatversion:  {}{}", s.format_version, if s.encrypted { ", krypterat" } else { "" });
    let _ = writeln!(out, "Poster:         {}", counts_line(&s.counts));
    let _ = writeln!(out, "Beslutsdokument: {}", s.documents);
    Ok(0)
}

pub fn import(path: &Path, file: &Path, dry_run: bool, json: bool, out: &mut String) -> Result<u8, Failure> {
    let mut store = open(path)?;
    let bytes = riskverkstad_core::usecase::bundle_file::read(file)?;
    // On a terminal, how far it has come goes to stderr (one line, rewritten); scripts that
    // read stdout see only the plan.
    let terminal = std::io::stderr().is_terminal();
    let mut last = String::new();
    let mut progress = |p: &riskverkstad_core::exchange::ImportProgress| {
        if !terminal {
            return;
        }
        let line = if p.total > 0 { format!("{} {} av {}", p.step, p.done, p.total) } else { p.step.clone() };
        if line != last {
            eprint!("\r\x1b[2K{line}");
            last = line;
        }
    };
    let report = if dry_run {
        riskverkstad_core::exchange::plan_import_with(&store, &bytes, Limits::default(), &mut progress)
    } else {
        riskverkstad_core::exchange::import_bundle_with(&mut store, &bytes, Limits::default(), None, &mut progress)
    };
    if terminal {
        eprint!("\r\x1b[2K");
    }
    let report = report?;
    // A dry run of a bundle that would be refused says so, and fails like the import would.
    let code = if report.plan.refusals.is_empty() { 0 } else { 1 };
    if json {
        output::json(out, &report)?;
        return Ok(code);
    }
    print_plan(out, &report);
    Ok(code)
}

/// Who made a change and who sent it, in words.
fn provenance(c: &PlannedChange, sender: &str) -> String {
    match c.made_by.as_deref() {
        Some(m) if m == sender => format!("gjord av {m}"),
        Some(m) => format!("gjord av {m}, skickad av {sender}"),
        None => format!("gjord av okänd (ej styrkt), skickad av {sender}"),
    }
}

fn print_plan(out: &mut String, r: &ImportReport) {
    let b = &r.bundle;
    let _ = writeln!(out, "Paket nr {} från {} ({}), {}.", b.sequence, b.sender, b.fingerprint.readable, b.scope);
    if b.already_imported {
        let _ = writeln!(out, "Paketet är redan inläst; ingenting ändrades.");
        return;
    }
    let p = &r.plan;
    if !p.refusals.is_empty() {
        let _ = writeln!(out, "Paketet avvisas: {} ändring(ar) som {} inte får göra här:", p.refusals.len(), p.sender);
        for f in p.refusals.iter().take(40) {
            let _ = writeln!(out, "  {}", f.reason);
            if f.allowable {
                let _ = writeln!(
                    out,
                    "      (släpp igenom som konflikt: riskverkstad trust allow \"{}\" {} {})",
                    p.sender, f.table, f.id
                );
            }
        }
        if p.refusals.len() > 40 {
            let _ = writeln!(out, "  … och {} till (--json visar alla)", p.refusals.len() - 40);
        }
    }
    for w in &p.warnings {
        let _ = writeln!(out, "Varning: {w}");
    }
    let _ = writeln!(
        out,
        "{:<44} {:>5} {:>7} {:>8} {:>8} {:>9} {:>8}",
        "Posttyp", "nya", "ändrade", "raderade", "konflikt", "matchade", "samma"
    );
    for c in &p.counts {
        let _ = writeln!(
            out,
            "{:<44} {:>5} {:>7} {:>8} {:>8} {:>9} {:>8}",
            c.label, c.new, c.changed, c.deleted, c.conflicts, c.matched, c.unchanged
        );
    }
    if p.method_differs {
        let _ = writeln!(
            out,
            "Obs: avsändaren använder en annan metod (skalor, områden eller matris). Deras bedömningar behåller sin skala och visas som gjorda enligt avsändarens metod."
        );
    }
    let listed: Vec<_> = p
        .changes
        .iter()
        .filter(|c| matches!(c.kind, ChangeKind::New | ChangeKind::Changed | ChangeKind::Deleted))
        .collect();
    for c in listed.iter().take(40) {
        let _ = writeln!(out, "  {:<9} {} {} ({})", c.kind.label(), c.label, c.title, provenance(c, &p.sender));
    }
    if listed.len() > 40 {
        let _ = writeln!(out, "  … och {} ändringar till (--json visar alla)", listed.len() - 40);
    }
    let conflicts: Vec<_> = p.changes.iter().filter(|c| c.kind == ChangeKind::Conflict).collect();
    if !conflicts.is_empty() {
        let _ = writeln!(out, "Konflikter ({}), behålls för beslut (`riskverkstad conflicts list`):", conflicts.len());
        for c in conflicts {
            let _ = writeln!(
                out,
                "  {} {}: {} (min: {}, deras: {})",
                c.label,
                c.title,
                c.reason.clone().unwrap_or_default(),
                c.mine_origin.clone().unwrap_or_else(|| "–".into()),
                provenance(c, &p.sender)
            );
            for f in c.fields.iter().take(8) {
                let _ = writeln!(out, "      {}", field_line(f));
            }
        }
    }
    if p.refusals.is_empty() {
        output::applied_or_dry_run(out, r.applied);
    } else {
        let _ = writeln!(out, "Provkörning: ingenting skrevs. Paketet skulle avvisas i sin helhet.");
    }
}

/// A differing field: its Swedish name, the column name `--field` takes, mine and theirs.
fn field_line(f: &riskverkstad_core::exchange::FieldDiff) -> String {
    format!("{} ({}): min {} | deras {}", f.label, f.field, short(&f.mine), short(&f.theirs))
}

fn short(v: &serde_json::Value) -> String {
    let t = match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "–".into(),
        other => other.to_string(),
    };
    if t.chars().count() > 60 { format!("{}…", t.chars().take(60).collect::<String>()) } else { t }
}

pub fn conflicts(command: ConflictsCommand, path: &Path, out: &mut String) -> Result<u8, Failure> {
    let mut store: Store = open(path)?;
    match command {
        ConflictsCommand::List { all, json } => {
            let list = riskverkstad_core::exchange::conflicts(&store, all)?;
            if json {
                output::json(out, &list)?;
            } else if list.is_empty() {
                let _ = writeln!(out, "Inga konflikter väntar.");
            } else {
                for c in list {
                    let state = match (&c.resolved_at, &c.resolution) {
                        (Some(at), Some(how)) => format!("avgjord {at} ({how})"),
                        _ => "väntar".into(),
                    };
                    let _ = writeln!(out, "{}  {} {} – {} [{}]", c.id, c.label, c.title, c.reason, state);
                    let made = match c.theirs_maker.as_deref() {
                        Some(m) if m == c.sender => format!("gjord och skickad av {m}"),
                        Some(m) => format!("gjord av {m}, skickad av {}", c.sender),
                        None => format!("gjord av okänd (ej styrkt), skickad av {}", c.sender),
                    };
                    let _ = writeln!(
                        out,
                        "    deras version {made} ({}); posten skapades av {}",
                        c.detected_at, c.theirs_origin
                    );
                    if c.mine_deleted {
                        let _ = writeln!(out, "    min: raderad");
                    }
                    if c.theirs_deleted {
                        let _ = writeln!(out, "    deras: raderad");
                    }
                    for f in &c.fields {
                        let _ = writeln!(out, "    {}", field_line(f));
                    }
                }
            }
        }
        ConflictsCommand::Resolve { id, keep, field } => {
            let open = riskverkstad_core::exchange::conflicts(&store, false)?;
            let hits: Vec<_> = open.iter().filter(|c| c.id.starts_with(id.trim())).collect();
            let c = match hits.as_slice() {
                [one] => (*one).clone(),
                [] => {
                    return Err(Failure {
                        message: format!("ingen öppen konflikt har id {id}"),
                        hint: Some("Se `riskverkstad conflicts list`.".into()),
                        code: 1,
                    });
                }
                _ => return Err(usage(format!("\"{id}\" passar flera konflikter; ange mer av id:t"))),
            };
            let resolution = match keep.as_deref() {
                Some("mine") => Resolution::Mine,
                Some("theirs") => Resolution::Theirs,
                _ => Resolution::Fields { theirs: field },
            };
            riskverkstad_core::exchange::resolve_conflict(&mut store, &c.id, &resolution)?;
            let _ =
                writeln!(out, "Avgjorde konflikten om {} {}. Resultatet skickas med nästa paket.", c.label, c.title);
        }
    }
    Ok(0)
}
