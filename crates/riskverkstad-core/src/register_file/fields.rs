//! The register's columns in a spreadsheet: which fields there are, what departments call
//! them, how a header row is mapped onto them, and how messy cell values are read.

use crate::model::{DataLocation, ExtraAttribute, Lifecycle, Nis2, OperationForm, SystemCategory};
use chrono::NaiveDate;
use riskverkstad_sheets::Cell;
use serde::{Deserialize, Serialize};

macro_rules! fields {
    ($( $var:ident = $key:literal / $header:literal [$($syn:literal),*] ),+ $(,)?) => {
        /// A register field a spreadsheet column can be mapped to.
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Field {
            $( #[doc = $header] #[serde(rename = $key)] $var ),+
        }

        impl Field {
            /// Every field, in the order of an exported file's columns.
            pub const ALL: &'static [Field] = &[$(Field::$var),+];

            /// The stable key (mapping files hold it).
            pub fn key(self) -> &'static str {
                match self { $(Field::$var => $key),+ }
            }

            /// The column header an export writes (Swedish).
            pub fn header(self) -> &'static str {
                match self { $(Field::$var => $header),+ }
            }

            /// Other headers departments use for it, normalised.
            fn synonyms(self) -> &'static [&'static str] {
                match self { $(Field::$var => &[$($syn),*]),+ }
            }
        }
    };
}

fields! {
    Name = "name" / "Systemnamn" ["namn", "system", "systemets namn", "informationssystem", "it system", "applikation"],
    Aliases = "aliases" / "Andra namn" ["alias", "aliasnamn", "även kallat", "kallas även", "övriga namn"],
    Description = "description" / "Beskrivning" ["beskrivning av systemet", "syfte", "användning", "kort beskrivning"],
    Category = "category" / "Kategori" ["systemkategori", "systemtyp", "typ av system", "systemklass", "kategori av system"],
    Organisation = "organisation" / "Förvaltning" ["förvaltning/bolag", "organisation", "verksamhet", "förvaltning bolag", "ägande förvaltning", "nämnd", "förvaltning/enhet"],
    Unit = "unit" / "Enhet" ["avdelning", "ansvarig enhet", "enhet/avdelning"],
    Pm3Object = "pm3_object" / "Förvaltningsobjekt (pm3)" ["förvaltningsobjekt", "pm3", "pm3-objekt", "objekt"],
    Lifecycle = "lifecycle" / "Livscykel" ["status", "livscykelstatus", "systemstatus", "fas", "var i systemets livscykel befinner sig systemet", "var i livscykeln befinner sig systemet", "livscykelfas"],
    InOperationSince = "in_operation_since" / "I drift sedan" ["driftstart", "i drift från", "driftsatt", "infört"],
    DecommissionOn = "decommission_on" / "Avvecklas" ["avvecklingsdatum", "avveckling", "planerad avveckling"],
    Owner = "owner" / "Systemägare" ["ägare", "systemägare namn", "system owner"],
    Manager = "manager" / "Systemförvaltare" ["systemansvarig", "förvaltare", "objektägare", "systemförvaltare namn", "förvaltningsledare", "systemansvariga verksamhet", "systemansvarig verksamhet", "systemansvariga", "verksamhetens systemansvarig"],
    TechnicalManager = "technical_manager" / "Teknisk förvaltare" ["systemansvariga it", "systemansvarig it", "it systemansvarig", "teknisk systemansvarig", "tekniskt ansvarig", "teknisk förvaltning", "it förvaltare"],
    Supplier = "supplier" / "Leverantör" ["leverantörens namn", "systemleverantör", "leverantor", "tillverkare"],
    ContractEnd = "contract_end" / "Avtalet löper ut" ["avtal löper ut", "avtalets slutdatum", "avtalsslut", "avtal till", "avtalet upphör", "avtal t o m", "slutdatum avtal", "avtalstiden löper ut datum", "avtalstiden löper ut", "avtalstid"],
    NoticePeriod = "notice_period_months" / "Uppsägningstid (månader)" ["uppsägningstid", "uppsägning"],
    SecurityRequirementsInContract = "security_requirements_in_contract" / "Säkerhetskrav i avtalet" ["säkerhetskrav i avtal", "säkerhetskrav"],
    OperationForm = "operation_form" / "Driftform" ["drift", "driftsform", "driftmiljö", "hosting", "drift internt eller externt", "driftas internt eller externt", "intern eller extern drift"],
    DataLocation = "data_location" / "Datalagring" ["datalagring plats", "var lagras data", "lagringsplats", "land för lagring"],
    PersonalData = "personal_data" / "Personuppgifter" ["innehåller personuppgifter", "personuppgifter ja/nej", "pu"],
    SensitivePersonalData = "sensitive_personal_data" / "Känsliga personuppgifter" ["känsliga pu", "art 9", "särskilda kategorier"],
    DpiaDone = "dpia_done" / "Konsekvensbedömning (DPIA) gjord" ["dpia", "konsekvensbedömning"],
    ProcessorAgreement = "processor_agreement" / "Personuppgiftsbiträdesavtal" ["pub-avtal", "pub avtal", "biträdesavtal"],
    BusinessCritical = "business_critical" / "Verksamhetskritiskt" ["verksamhetskritisk", "kritiskt", "kritisk"],
    Samhallsviktig = "samhallsviktig" / "Samhällsviktigt" ["samhällsviktig", "samhällsviktig verksamhet"],
    SamhallsviktigReason = "samhallsviktig_reason" / "Varför samhällsviktigt" ["motivering samhällsviktig"],
    Nis2 = "nis2" / "NIS2" ["nis 2", "nis2-klassning"],
    Sakerhetsskydd = "sakerhetsskydd" / "Säkerhetsskydd" ["säkerhetsskyddsklassat"],
    RtoHours = "rto_hours" / "RTO (timmar)" ["rto", "max avbrottstid", "maximal avbrottstid"],
    RpoHours = "rpo_hours" / "RPO (timmar)" ["rpo", "max dataförlust"],
    BackupFrequency = "backup_frequency" / "Säkerhetskopiering" ["backup", "backupfrekvens"],
    RestoreTestedOn = "restore_tested_on" / "Återläsning testad" ["återläsningstest", "senaste återläsningstest"],
    Mfa = "mfa" / "Flerfaktorsinloggning" ["mfa", "tvåfaktor", "stark autentisering"],
    Logging = "logging" / "Loggning" ["loggning finns", "loggar"],
    SystemSecurityPlan = "system_security_plan" / "Systemsäkerhetsplan" ["ssp", "säkerhetsplan"],
    LastReviewOn = "last_review_on" / "Senast granskad" ["senaste granskning", "granskad"],
    DependsOn = "depends_on" / "Beroende till" ["beroenden", "beroende av", "beror på", "integrationer", "beroende till andra system", "systemberoenden", "beroenden till andra system"],
    DependedOnBy = "depended_on_by" / "Beroende från" ["används av", "beroende system"],
    K = "k" / "K" ["konfidentialitet", "k-nivå"],
    R = "r" / "R" ["riktighet", "r-nivå"],
    T = "t" / "T" ["tillgänglighet", "t-nivå"],
    S = "s" / "S" ["spårbarhet", "s-nivå"],
    DoneLastYear = "done_last_year" / "Gjort det senaste året (fråga)" [],
    Id = "id" / "Id (Riskverkstad)" ["id", "systemid", "system id", "uuid"],
}

/// A header as compared: lower case, letters and digits only, single spaces.
pub fn normalise(header: &str) -> String {
    let lower = header.to_lowercase();
    let mut out = String::new();
    for ch in lower.chars() {
        if ch.is_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// How well a header fits a field: 1.0 for the field's own header or a synonym, less for a
/// near spelling. K/R/T/S take only exact names (single letters are too easy to match).
pub fn score(header: &str, field: Field) -> f64 {
    let h = normalise(header);
    if h.is_empty() {
        return 0.0;
    }
    if field == Field::DoneLastYear {
        return if question(header).is_some() { 1.0 } else { 0.0 };
    }
    let own = normalise(field.header());
    let names = std::iter::once(own.as_str()).chain(field.synonyms().iter().copied());
    let mut best: f64 = 0.0;
    for n in names {
        let n = normalise(n);
        if n == h {
            return 1.0;
        }
        if matches!(field, Field::K | Field::R | Field::T | Field::S | Field::Id) {
            continue;
        }
        best = best.max(strsim::normalized_levenshtein(&n, &h));
    }
    best
}

/// What a question header asks to have been done ("Har riskanalys genomförts under det
/// senaste året?" → "riskanalys"), for a header that asks whether something was done in the
/// last year; none for any other header.
pub fn question(header: &str) -> Option<String> {
    let h = normalise(header);
    let rest = h.strip_prefix("har ")?;
    let recent = ["senaste året", "senaste 12 månaderna", "senaste tolv månaderna", "i år", "under året"];
    if !recent.iter().any(|r| rest.contains(r)) {
        return None;
    }
    let verb = ["genomförts", "gjorts", "utförts", "genomförs", "uppdaterats", "setts över", "granskats"]
        .iter()
        .filter_map(|v| rest.find(&format!(" {v}")).map(|i| (i, v.len())))
        .min()?;
    let what = rest[..verb.0].trim();
    let what = what.strip_prefix("en ").or_else(|| what.strip_prefix("ett ")).unwrap_or(what);
    (!what.is_empty()).then(|| what.to_string())
}

/// Why a header was proposed for a field (for the mapping step).
pub fn why(header: &str, field: Field, score: f64) -> String {
    let h = normalise(header);
    if field == Field::DoneLastYear {
        return format!(
            "fråga om «{}» det senaste året; nej blir en åtgärd att planera",
            question(header).unwrap_or_default()
        );
    }
    if normalise(field.header()) == h {
        return "fältets eget namn".into();
    }
    if let Some(s) = field.synonyms().iter().find(|s| normalise(s) == h) {
        return format!("synonym «{s}»");
    }
    format!("liknar «{}» ({} %)", field.header(), (score * 100.0).round())
}

impl Field {
    /// Whether several columns may hold the field (questions "Har … genomförts under det
    /// senaste året?": each one its own).
    pub fn several_columns(self) -> bool {
        self == Field::DoneLastYear
    }
}

/// The lowest similarity at which a header is proposed for a field.
pub const PROPOSE_AT: f64 = 0.8;

/// Lines of a cell with several values: comma, semicolon or line break separated.
/// Semicolons and line breaks separate when the cell has any (an exported file uses "; "), so
/// that a comma inside a value survives; otherwise commas do.
pub fn several(text: &str) -> Vec<String> {
    let parts: Vec<&str> = if text.contains([';', '\n', '\r']) {
        text.split([';', '\n', '\r']).collect()
    } else {
        text.split(',').collect()
    };
    parts.into_iter().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// People in one cell: separated by semicolons or line breaks; commas only when every part is
/// a whole name or an e-mail address ("Anna Ek, Bo Berg"), not "Andersson, Anna".
pub fn people(text: &str) -> Vec<String> {
    if text.contains([';', '\n', '\r']) {
        return several(text).iter().flat_map(|p| people(p)).collect();
    }
    for joiner in [" och ", " & ", " / "] {
        if text.contains(joiner) {
            return text.split(joiner).flat_map(people).collect();
        }
    }
    let parts: Vec<String> = several(text);
    if parts.len() > 1 && parts.iter().all(|p| p.contains(' ') || p.contains('@')) {
        parts
    } else {
        Some(text.trim().to_string()).filter(|t| !t.is_empty()).into_iter().collect()
    }
}

/// Reads a yes/no cell: Ja/Nej, x, 1/0, sant/falskt, true/false, j/n. Empty is `Ok(None)`.
pub fn boolean(cell: &Cell) -> Result<Option<bool>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Bool(b) => Ok(Some(*b)),
        Cell::Number(n) if *n == 1.0 => Ok(Some(true)),
        Cell::Number(n) if *n == 0.0 => Ok(Some(false)),
        other => {
            let t = other.text().trim().to_lowercase();
            match t.as_str() {
                "" => Ok(None),
                "ja" | "j" | "x" | "1" | "sant" | "true" | "yes" | "y" | "finns" | "✓" => Ok(Some(true)),
                "nej" | "n" | "0" | "falskt" | "false" | "no" | "saknas" | "-" => Ok(Some(false)),
                _ => Err(format!("«{}» är inte ja eller nej", other.text())),
            }
        }
    }
}

/// Reads a date: a date cell, an Excel serial number, or text as 2027-03-31, 2027/03/31,
/// 20270331, 31/3/2027, 31.3.2027 or 2027-03 (the first of the month).
pub fn date(cell: &Cell) -> Result<Option<NaiveDate>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(*d)),
        Cell::Number(n) if (20_000.0..80_000.0).contains(n) => {
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or("datum")?;
            Ok(epoch.checked_add_days(chrono::Days::new(n.trunc() as u64)))
        }
        other => {
            let t = other.text();
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            // A serial number that arrived as text (a csv of a number-formatted date cell).
            if t.len() == 5
                && let Ok(n) = t.parse::<f64>()
                && (20_000.0..80_000.0).contains(&n)
            {
                return date(&Cell::Number(n));
            }
            // A four-digit year only: "31/12/26" is not the year 26.
            let plausible = |d: NaiveDate| (1900..=2200).contains(&chrono::Datelike::year(&d));
            for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y.%m.%d"] {
                if let Ok(d) = NaiveDate::parse_from_str(t, f)
                    && plausible(d)
                {
                    return Ok(Some(d));
                }
            }
            if let Ok(d) = NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d")
                && plausible(d)
            {
                return Ok(Some(d));
            }
            Err(format!("«{t}» är inget datum (skriv till exempel 2027-03-31)"))
        }
    }
}

/// Reads a whole number (hours, months): a number cell, or text such as "24", "24 h",
/// "24 timmar", "3 mån". Empty is `Ok(None)`.
pub fn whole(cell: &Cell) -> Result<Option<u32>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n <= u32::MAX as f64 => Ok(Some(*n as u32)),
        other => {
            let t = other.text();
            let digits: String = t.trim().chars().take_while(|c| c.is_ascii_digit()).collect();
            let rest = t.trim()[digits.len()..].trim().to_lowercase();
            let unit_ok = rest.is_empty()
                || ["h", "tim", "timmar", "timme", "t", "mån", "månader", "månad", "mån."].contains(&rest.as_str());
            match digits.parse::<u32>() {
                Ok(n) if unit_ok => Ok(Some(n)),
                _ if t.trim().is_empty() => Ok(None),
                _ => Err(format!("«{}» är inget heltal", t.trim())),
            }
        }
    }
}

/// Reads a level 0–9 (K/R/T/S): "2", "K2", "nivå 2". Empty is `Ok(None)`.
pub fn level(cell: &Cell) -> Result<Option<u8>, String> {
    let t = cell.text();
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    if t.trim().is_empty() {
        return Ok(None);
    }
    match digits.parse::<u8>() {
        Ok(n) if digits.len() == 1 => Ok(Some(n)),
        _ => Err(format!("«{}» är ingen nivå", t.trim())),
    }
}

/// The words departments use for a category, beyond its key and label.
pub const CATEGORY_WORDS: &[(&str, SystemCategory)] = &[
    ("kärnverksamhetssystem", SystemCategory::Verksamhetssystem),
    ("kärnverksamhet", SystemCategory::Verksamhetssystem),
    ("verksamhetsgemensam", SystemCategory::Stodsystem),
    ("administrativt", SystemCategory::Stodsystem),
    ("tekniska plattformar och infrastruktur", SystemCategory::Infrastruktur),
    ("teknisk plattform", SystemCategory::Plattform),
    ("plattform", SystemCategory::Plattform),
    ("stöd", SystemCategory::Stodsystem),
    ("infra", SystemCategory::Infrastruktur),
    ("verksamhet", SystemCategory::Verksamhetssystem),
];

/// The words departments use for a life-cycle status.
pub const LIFECYCLE_WORDS: &[(&str, Lifecycle)] = &[
    ("under förvaltning", Lifecycle::IDrift),
    ("förvaltning", Lifecycle::IDrift),
    ("under aktiv vidareutveckling", Lifecycle::IDrift),
    ("under vidareutveckling", Lifecycle::IDrift),
    ("vidareutveckling", Lifecycle::IDrift),
    ("under avveckling", Lifecycle::UnderAvveckling),
    ("under införande", Lifecycle::UnderInforande),
    ("under upphandling", Lifecycle::Planerad),
    ("under utveckling", Lifecycle::UnderInforande),
    ("drift", Lifecycle::IDrift),
    ("aktiv", Lifecycle::IDrift),
    ("i bruk", Lifecycle::IDrift),
    ("införande", Lifecycle::UnderInforande),
    ("upphandling", Lifecycle::Planerad),
    ("plan", Lifecycle::Planerad),
    ("planerad avveckling", Lifecycle::UnderAvveckling),
    ("avveckl", Lifecycle::UnderAvveckling),
    ("avvecklad", Lifecycle::Avvecklad),
    ("avvecklat", Lifecycle::Avvecklad),
    ("avslutad", Lifecycle::Avvecklad),
    ("ur drift", Lifecycle::Avvecklad),
];

/// The words departments use for an operation form.
pub const OPERATION_FORM_WORDS: &[(&str, OperationForm)] = &[
    ("egen", OperationForm::EgenDrift),
    ("intern", OperationForm::EgenDrift),
    ("lokal", OperationForm::EgenDrift),
    ("on prem", OperationForm::EgenDrift),
    ("extern", OperationForm::ExternDrift),
    ("leverantör", OperationForm::ExternDrift),
    ("moln", OperationForm::Molntjanst),
    ("saas", OperationForm::Molntjanst),
    ("cloud", OperationForm::Molntjanst),
];

/// The words departments use for where data is stored.
pub const DATA_LOCATION_WORDS: &[(&str, DataLocation)] = &[
    ("sverige", DataLocation::Sverige),
    ("eu", DataLocation::EuEes),
    ("ees", DataLocation::EuEes),
    ("usa", DataLocation::TredjeLand),
    ("tredje", DataLocation::TredjeLand),
];

/// The words departments use for a NIS2 classification.
pub const NIS2_WORDS: &[(&str, Nis2)] = &[
    ("ej", Nis2::EjTillampligt),
    ("nej", Nis2::EjTillampligt),
    ("väsentlig", Nis2::Vasentlig),
    ("viktig", Nis2::Viktig),
];

/// The extra attribute a value that is not read is kept under: its column's header, or
/// "<header> enligt förteckningen" when that header is a field's own (an export writes the
/// field's column under it, and one file must not hold a header twice).
pub fn note_name(header: &str) -> String {
    if Field::ALL.iter().any(|f| normalise(f.header()) == normalise(header)) {
        format!("{} enligt förteckningen", header.trim())
    } else {
        header.trim().to_string()
    }
}

/// Sets (or, for an empty value, removes) an extra attribute by name.
pub fn set_extra(extra: &mut Vec<ExtraAttribute>, name: &str, value: String) {
    let key = name.trim().to_lowercase();
    let pos = extra.iter().position(|a| a.name.trim().to_lowercase() == key);
    match (pos, value.trim().is_empty()) {
        (Some(i), true) => {
            extra.remove(i);
        }
        (Some(i), false) => extra[i].value = value.trim().to_string(),
        (None, false) => extra.push(ExtraAttribute { name: name.trim().to_string(), value: value.trim().to_string() }),
        (None, true) => {}
    }
}

/// A person as a cell gives them: a name, an e-mail address, or "Name <e-mail>".
pub fn person_of(text: &str) -> (String, Option<String>) {
    let t = text.trim();
    if let (Some(open), Some(close)) = (t.find('<'), t.rfind('>'))
        && open < close
    {
        let email = t[open + 1..close].trim().to_lowercase();
        let name = t[..open].trim();
        if email.contains('@') && !email.contains(' ') {
            return (if name.is_empty() { name_from_email(&email) } else { name.to_string() }, Some(email));
        }
        // "Bo <IT-chef>": no address; the name is what is outside the brackets.
        return (if name.is_empty() { t.to_string() } else { name.to_string() }, None);
    }
    if t.contains('@') && !t.contains(' ') {
        let email = t.to_lowercase();
        return (name_from_email(&email), Some(email));
    }
    (t.to_string(), None)
}

/// "anna.andersson@kommun.se" → "Anna Andersson".
fn name_from_email(email: &str) -> String {
    email
        .split('@')
        .next()
        .unwrap_or(email)
        .split(['.', '_', '-'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A short name for a new förvaltning: the initials of its words, upper case ("Miljö- och
/// byggförvaltningen" → "MOB").
pub fn short_name(name: &str) -> String {
    let s: String = name.split([' ', '-']).filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).collect();
    if s.is_empty() { "NY".into() } else { s.chars().take(6).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn headers_departments_use_are_recognised() {
        for (header, field) in [
            ("Systemnamn", Field::Name),
            ("System", Field::Name),
            ("Förvaltning/bolag", Field::Organisation),
            ("Systemansvarig", Field::Manager),
            ("Avtalets slutdatum", Field::ContractEnd),
            ("Avtal löper ut", Field::ContractEnd),
            ("Livscykel", Field::Lifecycle),
            ("Driftform", Field::OperationForm),
            ("PUB-avtal", Field::ProcessorAgreement),
            ("Samhällsviktig", Field::Samhallsviktig),
            ("Beroende till", Field::DependsOn),
            ("K", Field::K),
            ("Leverantor", Field::Supplier),
            ("Beskrivnig", Field::Description), // a typo is still close
        ] {
            let best = Field::ALL
                .iter()
                .copied()
                .max_by(|a, b| score(header, *a).total_cmp(&score(header, *b)))
                .expect("fields");
            assert_eq!(best, field, "{header}");
            assert!(score(header, field) >= PROPOSE_AT, "{header}: {}", score(header, field));
        }
        assert!(score("Kostnad per år", Field::K) < PROPOSE_AT);
        assert!(score("Kommentar", Field::Description) < PROPOSE_AT);
    }

    #[test]
    fn messy_values_are_read_or_refused_with_the_value_named() {
        assert_eq!(boolean(&text("x")), Ok(Some(true)));
        assert_eq!(boolean(&text("Nej")), Ok(Some(false)));
        assert_eq!(boolean(&Cell::Number(1.0)), Ok(Some(true)));
        assert_eq!(boolean(&Cell::Empty), Ok(None));
        assert!(boolean(&text("kanske")).unwrap_err().contains("kanske"));
        let d = NaiveDate::from_ymd_opt(2027, 3, 31).expect("date");
        for t in ["2027-03-31", "2027/03/31", "20270331", "31/3/2027", "31.3.2027"] {
            assert_eq!(date(&text(t)), Ok(Some(d)), "{t}");
        }
        assert_eq!(date(&Cell::Number(46477.0)), Ok(Some(d)), "an Excel serial date");
        assert_eq!(date(&text("46477")), Ok(Some(d)), "the same, as text in a csv");
        assert_eq!(date(&text("2027-03")), Ok(NaiveDate::from_ymd_opt(2027, 3, 1)));
        assert!(date(&text("snart")).is_err());
        assert_eq!(whole(&text("24 h")), Ok(Some(24)));
        assert_eq!(whole(&text("72")), Ok(Some(72)));
        assert_eq!(whole(&Cell::Number(4.0)), Ok(Some(4)));
        assert!(whole(&text("en dag")).is_err());
        assert_eq!(level(&text("K2")), Ok(Some(2)));
        assert_eq!(several("A; B, C\nD"), ["A", "B, C", "D"], "a comma inside a value survives");
        assert_eq!(several("A, B"), ["A", "B"]);
        assert_eq!(people("Andersson, Anna"), ["Andersson, Anna"]);
        assert_eq!(people("Anna Ek, Bo Berg"), ["Anna Ek", "Bo Berg"]);
        assert!(date(&text("31/12/26")).is_err(), "a two-digit year is no year 26");
        // Numbers outside the serial dates' range are no dates, as text or as numbers.
        for t in ["31.12", "12345", "-1000"] {
            assert!(date(&text(t)).is_err(), "{t}");
        }
        assert!(date(&Cell::Number(12345.0)).is_err());
        assert!(date(&Cell::Number(31.12)).is_err());
        let lc = |t: &str| super::super::values::propose(Field::Lifecycle, t).map(|(k, _)| k);
        assert_eq!(lc("Avvecklat").as_deref(), Some(crate::model::Lifecycle::Avvecklad.key()));
        assert_eq!(lc("avvecklas").as_deref(), Some(crate::model::Lifecycle::UnderAvveckling.key()));
    }
}
