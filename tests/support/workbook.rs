//! A department's own Excel register, as they come: 42 columns under its own headers,
//! organisation paths, people as names or e-mail addresses, several values in one cell,
//! dates as dates, Excel serial numbers and text in several formats, Ja/Nej/x/1/0, numbers as
//! text, dependencies on systems further down and on names that are no system, rows without a
//! name, and columns Riskverkstad has no field for. Deterministic per seed.

use chrono::NaiveDate;
use riskverkstad_core::demo::municipal_sheet::Lcg;
use riskverkstad_sheets::{Cell, Row, Table};

/// The headers, as a department might have written them.
pub const HEADERS: &[&str] = &[
    "System",
    "Alias",
    "Beskrivning",
    "Systemkategori",
    "Förvaltning/Enhet",
    "Systemägare",
    "Systemansvarig",
    "Leverantör",
    "Avtalets slutdatum",
    "Uppsägningstid",
    "Säkerhetskrav i avtal",
    "Status",
    "Driftform",
    "Datalagring",
    "Personuppgifter",
    "Känsliga personuppgifter",
    "DPIA",
    "PUB-avtal",
    "Verksamhetskritisk",
    "Samhällsviktig",
    "Motivering samhällsviktig",
    "NIS2",
    "Säkerhetsskydd",
    "RTO",
    "RPO",
    "Backup",
    "Senaste återläsningstest",
    "MFA",
    "Loggning",
    "SSP",
    "Senaste granskning",
    "Beroende till",
    "I drift sedan",
    "Förvaltningsobjekt",
    "K",
    "R",
    "T",
    "Kostnad per år",
    "Antal användare",
    "Kommentar",
    "Kontaktperson leverantör",
    "Licensmodell",
];

/// The columns no field takes: kept as extra attributes.
pub const EXTRA: &[&str] =
    &["Kostnad per år", "Antal användare", "Kommentar", "Kontaktperson leverantör", "Licensmodell"];

fn t(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
}

/// The name of row `i`'s system (rows without a name excepted).
pub fn system_name(i: usize) -> String {
    const A: &[&str] =
        &["Pro", "Life", "Ekono", "Doku", "Bygg", "Skol", "Vård", "Lön", "Ärende", "Karta", "Tids", "Besöks"];
    const B: &[&str] = &[
        "capita",
        "care",
        "mi",
        "ment",
        "lov",
        "portal",
        "plan",
        "system",
        "hantering",
        "info",
        "rapport",
        "register",
    ];
    format!("{}{} {}", A[i % A.len()], B[(i / A.len()) % B.len()], i + 1)
}

/// Rows whose name is left empty (skipped by an import, with the reason).
pub fn is_nameless(i: usize) -> bool {
    i % 97 == 13
}

/// A register of `rows` rows.
pub fn register(rows: usize, seed: u64) -> Table {
    let mut r = Lcg(seed.wrapping_add(0x9e37_79b9));
    let forvaltningar = [
        "Socialförvaltningen",
        "Kommunstyrelseförvaltningen",
        "Barn- och utbildningsförvaltningen",
        "Miljö- och byggförvaltningen",
        "Kultur- och fritidsförvaltningen",
    ];
    let units = ["IFO", "Äldreomsorg", "Ekonomi", "HR", "IT-enheten", "Grundskola", "Bygglov", "Bibliotek"];
    let people = [
        "Anna Andersson",
        "Bertil Berg",
        "Cecilia Ceder <cecilia.ceder@norrvik.se>",
        "david.dahl@norrvik.se",
        "Eva Ek",
        "Fredrik Fors; Gunilla Gran",
        "Hanna Holm",
    ];
    let suppliers = ["Tieto Evry", "CGI", "Visma", "Microsoft", "Egen utveckling", "Sokigo", "Hypergene"];
    let day = |d: u64| NaiveDate::from_ymd_opt(2024, 1, 1).and_then(|x| x.checked_add_days(chrono::Days::new(d)));
    let mut out = Vec::with_capacity(rows);
    for i in 0..rows {
        let name = if is_nameless(i) { String::new() } else { system_name(i) };
        let f = forvaltningar[i % forvaltningar.len()];
        let path = match i % 3 {
            0 => format!("Norrvik kommun / {f} / {}", r.pick(&units)),
            1 => format!("{f} / {}", r.pick(&units)),
            _ => f.to_string(),
        };
        let date_cell = |r: &mut Lcg| -> Cell {
            let Some(d) = day(r.number() % 1500) else { return Cell::Empty };
            match r.number() % 6 {
                0 => Cell::Date(d),
                1 => {
                    let serial = d.signed_duration_since(NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or(d)).num_days();
                    Cell::Number(serial as f64)
                }
                2 => t(d.format("%Y-%m-%d").to_string()),
                3 => t(d.format("%-d/%-m/%Y").to_string()),
                4 => t(d.format("%Y%m%d").to_string()),
                _ => Cell::Empty,
            }
        };
        let yes_no = |r: &mut Lcg| -> Cell {
            match r.number() % 7 {
                0 => t("Ja"),
                1 => t("Nej"),
                2 => t("x"),
                3 => Cell::Number(1.0),
                4 => Cell::Number(0.0),
                5 => t("nej"),
                _ => Cell::Empty,
            }
        };
        let personal = r.chance(60);
        let deps: Vec<String> = (0..(r.number() % 3))
            .map(|k| {
                if k == 1 && r.chance(30) {
                    r.pick(&["Skatteverket", "Försäkringskassan", "Inera HSA"]).to_string()
                } else {
                    // Another row's system, further down or further up.
                    let j = (i + 1 + (r.number() as usize % 40)) % rows.max(1);
                    if is_nameless(j) || j == i { "Skatteverket".into() } else { system_name(j) }
                }
            })
            .collect();
        let contract = if i == 41 { t("snart") } else { date_cell(&mut r) };
        let cells = vec![
            t(name),
            t(if r.chance(30) { format!("S{i}, Sys{i}") } else { String::new() }),
            t(format!("Stöd för {} inom {}.", r.pick(&["ärenden", "lön", "bokning", "journal", "planering"]), f)),
            t(r.pick(&["Verksamhetssystem", "Stödsystem", "Infrastruktur", "Plattform", ""])),
            t(path),
            t(r.pick(&people)),
            t(r.pick(&people)),
            t(r.pick(&suppliers)),
            contract,
            t(r.pick(&["3 mån", "6", "12", "", "1 månad"])),
            yes_no(&mut r),
            t(r.pick(&["I drift", "Drift", "Planerad", "Under införande", "Avvecklad", "i drift"])),
            t(r.pick(&["Egen drift", "SaaS", "Extern", "Molntjänst", ""])),
            t(r.pick(&["Sverige", "EU/EES", "EU", "Tredje land", ""])),
            if personal { t("Ja") } else { t("Nej") },
            if personal && r.chance(30) { t("x") } else { Cell::Empty },
            yes_no(&mut r),
            yes_no(&mut r),
            if r.chance(25) { t("x") } else { Cell::Empty },
            if r.chance(10) { t("Ja") } else { t("Nej") },
            t(if r.chance(10) { "Krävs för krisberedskap" } else { "" }),
            t(r.pick(&["Ej tillämplig", "Viktig", "Väsentlig", ""])),
            yes_no(&mut r),
            t(r.pick(&["24 h", "4", "72 timmar", "", "8"])),
            Cell::Number((r.number() % 48) as f64),
            t(r.pick(&["dagligen", "varje timme", "veckovis", ""])),
            date_cell(&mut r),
            yes_no(&mut r),
            yes_no(&mut r),
            yes_no(&mut r),
            date_cell(&mut r),
            t(deps.join(if r.chance(50) { ", " } else { "\n" })),
            date_cell(&mut r),
            t(r.pick(&["Ekonomi", "Vård och omsorg", "Skola", ""])),
            t(r.pick(&["1", "2", "K2", "3", ""])),
            t(r.pick(&["1", "2", "3", ""])),
            t(r.pick(&["2", "3", "", "4"])),
            t(format!("{} 000", 10 + r.number() % 900)),
            Cell::Number((r.number() % 2000) as f64),
            t(if r.chance(20) { "Byts ut 2027.\nUpphandling pågår." } else { "" }),
            t(r.pick(&["Kalle Kund, 070-123 45 67", "support@leverantor.se", ""])),
            t(r.pick(&["Per användare", "Fast pris", "Öppen källkod", ""])),
        ];
        debug_assert_eq!(cells.len(), HEADERS.len());
        out.push(Row { number: i + 2, cells });
    }
    Table { sheet: "Systemförteckning".into(), headers: HEADERS.iter().map(|h| h.to_string()).collect(), rows: out }
}

/// The same register as Swedish Excel saves "CSV (semikolonavgränsad)": Windows-1252,
/// semicolons, CRLF, dates as text.
pub fn windows_1252_csv(table: &Table) -> Vec<u8> {
    let mut text = String::new();
    let quote = |s: &str| {
        if s.contains([';', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
    };
    text.push_str(&table.headers.iter().map(|h| quote(h)).collect::<Vec<_>>().join(";"));
    text.push_str("\r\n");
    for row in &table.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|c| match c {
                Cell::Number(n) if n.fract() == 0.0 => format!("{}", *n as i64),
                Cell::Number(n) => format!("{n}").replace('.', ","),
                other => other.text(),
            })
            .map(|s| quote(&s))
            .collect();
        text.push_str(&cells.join(";"));
        text.push_str("\r\n");
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable, "the register is all Windows-1252");
    bytes.into_owned()
}
