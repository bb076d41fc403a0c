//! A municipality's published system register as such files come (issue #18's patterns, the
//! file itself invented): organisation paths of three levels with the bolag at the second,
//! a dozen system names recurring in different förvaltningar, names holding commas and
//! parentheses, dependency cells `Name: criticality (kind)` with several entries per cell,
//! graded yes/no answers, life-cycle and category phrases, several role holders per cell,
//! contract ends as dates or as text, and questions "Har … genomförts under det senaste
//! året?". Deterministic per size and seed; [`MunicipalSheet`] says what a correct import
//! must make of it.

use chrono::NaiveDate;
use riskverkstad_sheets::{Cell, Row, Table};

/// The municipality's own name (its organisation).
pub const MUNICIPALITY: &str = "Norrviks kommun";
/// The group of companies, the first level of every path.
pub const GROUP: &str = "Norrviks kommunkoncern";

/// The förvaltningar.
pub const FORVALTNINGAR: &[&str] = &[
    "Socialförvaltningen",
    "Utbildningsförvaltningen",
    "Kultur- och fritidsförvaltningen",
    "Miljö- och byggförvaltningen",
    "Stadsbyggnadsförvaltningen",
    "Kommunstyrelseförvaltningen",
    "Tekniska förvaltningen",
    "Arbetsmarknadsförvaltningen",
];

/// The municipal companies, at the second level of their paths.
pub const BOLAG: &[&str] = &["Norrvik Energi AB", "Norrviks Bostäder AB", "Norrvik Hamn AB"];

/// Names a dozen systems share across förvaltningar.
pub const SHARED: &[&str] = &[
    "Office 365",
    "Platina",
    "W3D3",
    "Stratsys",
    "Hypergene",
    "Tidrapport",
    "Visma Proceedo",
    "Agresso",
    "Qlik Sense",
    "Evolution",
    "Teams-telefoni",
    "Intranätet",
];

/// Systems whose names hold commas and parentheses.
pub const HARD_NAMES: &[&str] = &[
    "Kartverktyg NIS, TCN (SEE, SN)",
    "Procapita (SoL, LSS)",
    "Kommunens GIS, karta (intern)",
    "Ekonomisystem Raindance",
];

/// Names that are no system in the file: dependencies on them are on external parties.
pub const EXTERNAL: &[&str] = &["Skatteverket Navet", "Inera SITHS", "Försäkringskassan (SSBTEK)"];

/// The headers, as the municipality writes them.
pub const HEADERS: &[&str] = &[
    "Systemnamn",
    "Organisation",
    "Beskrivning",
    "Systemkategori",
    "Var i systemets livscykel befinner sig systemet?",
    "Systemägare",
    "Systemansvariga verksamhet",
    "Systemansvariga IT",
    "Leverantör",
    "Drift internt eller externt",
    "Avtalstiden löper ut datum",
    "Verksamhetskritiskt",
    "Personuppgifter",
    "Beroende till andra system",
    "Har informationssäkerhetsklassning genomförts under det senaste året?",
    "Har riskanalys genomförts under det senaste året?",
    "Antal användare",
    "Kommentar",
];

const CRITICALITY: &[&str] = &[
    "Helt verksamhetskritiskt",
    "Till betydande del verksamhetskritiskt",
    "Till betydande del ej verksamhetskritisk",
    "Ej verksamhetskritiskt",
];
const KINDS: &[&str] = &["API", "fil", "Filöverföring", "SSO"];
const CATEGORIES: &[&str] =
    &["Kärnverksamhetssystem", "Stöd- och verksamhetsgemensamma system", "Tekniska plattformar och infrastruktur"];
const LIFECYCLE: &[&str] = &["Under förvaltning", "Under aktiv vidareutveckling", "Under avveckling"];
const PEOPLE: &[&str] = &[
    "Anna Ek",
    "Bo Berg",
    "Cecilia Ceder",
    "David Dahl",
    "Eva Ekström",
    "Fredrik Falk",
    "Gun Gran",
    "Hans Holm",
    "Ida Ås",
    "Johan Jansson",
];
const WORDS: &[&str] =
    &["Ärendesystem", "Bokningssystem", "Verksamhetsstöd", "Registret", "Portalen", "Planeringsverktyg"];
/// The suppliers rows name (an empty cell is a row without one).
pub const SUPPLIERS: &[&str] = &["CGI Sverige AB", "Tieto Evry", "Visma", "Lokal leverantör", ""];

/// Whether `name` is an external party the file names ([`EXTERNAL`] or a supplier): any
/// other party an import makes of it was invented from a fragment.
pub fn names_party(name: &str) -> bool {
    !name.is_empty() && (EXTERNAL.contains(&name) || SUPPLIERS.contains(&name))
}

/// The file and what a correct import makes of it.
#[derive(Debug, Clone)]
pub struct MunicipalSheet {
    /// The file.
    pub table: Table,
    /// Systems (every row is one: none is the same as another).
    pub systems: usize,
    /// Dependencies on systems in the file.
    pub dependencies_on_systems: usize,
    /// Dependencies on the [`EXTERNAL`] names.
    pub dependencies_on_parties: usize,
    /// Questions answered "Nej" (each an action to plan).
    pub no_answers: usize,
    /// Rows whose contract end is text (kept as a note).
    pub contract_texts: usize,
}

/// A small deterministic generator for sample sheets (the same numbers for the same seed on
/// every machine); the tests' department workbook draws from it too.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number.
    pub fn number(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    /// One of `from`.
    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.number() as usize) % from.len()]
    }
    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.number() % 100 < percent
    }
}

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
}

/// Where row `i` belongs: its path and its förvaltning or bolag.
fn place(i: usize) -> (String, &'static str) {
    let k = i % (FORVALTNINGAR.len() + BOLAG.len());
    if k < FORVALTNINGAR.len() {
        let f = FORVALTNINGAR[k];
        let path = if i.is_multiple_of(3) {
            format!("{GROUP} / {MUNICIPALITY} / {f} / Enhet {}", 1 + i % 2)
        } else {
            format!("{GROUP} / {MUNICIPALITY} / {f}")
        };
        (path, f)
    } else {
        let b = BOLAG[k - FORVALTNINGAR.len()];
        let path =
            if i.is_multiple_of(2) { format!("{GROUP} / {b}") } else { format!("{GROUP} / {b} / IT-avdelningen") };
        (path, b)
    }
}

/// The name of row `i`'s system: the shared names twice each (in two förvaltningar), then
/// the hard names, then unique ones.
pub fn system_name(i: usize) -> String {
    if i < SHARED.len() * 2 {
        SHARED[i / 2].to_string()
    } else if i < SHARED.len() * 2 + HARD_NAMES.len() {
        HARD_NAMES[i - SHARED.len() * 2].to_string()
    } else {
        format!("{} {}", WORDS[i % WORDS.len()], i)
    }
}

/// A municipal register of `rows` rows (at least 40).
pub fn municipal_sheet(rows: usize, seed: u64) -> MunicipalSheet {
    let rows = rows.max(40);
    let mut rng = Lcg(seed.wrapping_mul(2654435761).wrapping_add(17));
    let first_unique = SHARED.len() * 2 + HARD_NAMES.len();
    let mut out = Vec::with_capacity(rows);
    let (mut on_systems, mut on_parties, mut no_answers, mut contract_texts) = (0, 0, 0, 0);
    for i in 0..rows {
        let (path, _) = place(i);
        let name = system_name(i);
        let mut deps: Vec<String> = Vec::new();
        if i >= first_unique {
            // A system further down or up the file, by name, with criticality and kind.
            let j = first_unique + (i * 7 + 3) % (rows - first_unique);
            if j != i {
                deps.push(format!("{}: {} ({})", system_name(j), rng.pick(CRITICALITY), rng.pick(KINDS)));
                on_systems += 1;
            }
            // A name with commas and parentheses.
            if rng.chance(30) {
                deps.push(format!("{}: {} (API)", HARD_NAMES[i % HARD_NAMES.len()], rng.pick(CRITICALITY)));
                on_systems += 1;
            }
            // A name several förvaltningar use (the own förvaltning's first).
            if rng.chance(25) {
                deps.push(format!("{}: {}", SHARED[i % SHARED.len()], rng.pick(CRITICALITY)));
                on_systems += 1;
            }
            if rng.chance(20) {
                deps.push(format!("{}: Helt verksamhetskritiskt (API)", EXTERNAL[i % EXTERNAL.len()]));
                on_parties += 1;
            }
        }
        let separator = if rng.chance(70) { ", " } else { "\n" };
        let holders = |rng: &mut Lcg| match rng.number() % 4 {
            0 => rng.pick(PEOPLE).to_string(),
            1 => format!("{}, {}", rng.pick(&PEOPLE[..5]), rng.pick(&PEOPLE[5..])),
            2 => format!("{}; {}", rng.pick(&PEOPLE[..5]), rng.pick(&PEOPLE[5..])),
            _ => format!("{} och {}", rng.pick(&PEOPLE[..5]), rng.pick(&PEOPLE[5..])),
        };
        let contract = match rng.number() % 5 {
            0 => {
                Cell::Date(NaiveDate::from_ymd_opt(2027 + (i % 4) as i32, 1 + (i % 12) as u32, 28).unwrap_or_default())
            }
            1 => text(format!("{}-06-30", 2027 + i % 3)),
            2 => {
                contract_texts += 1;
                text("Löpande - uppsägningstid på 3-12 månader")
            }
            3 => {
                contract_texts += 1;
                text("Tillsvidare med 6 månaders uppsägning")
            }
            _ => Cell::Empty,
        };
        let mut answer = |rng: &mut Lcg| {
            if rng.chance(40) {
                no_answers += 1;
                "Nej"
            } else {
                "Ja"
            }
        };
        let classified = answer(&mut rng);
        let analysed = answer(&mut rng);
        let cells = vec![
            text(name.clone()),
            text(path),
            text(format!("{name} för verksamheten")),
            text(rng.pick(CATEGORIES)),
            text(rng.pick(LIFECYCLE)),
            text(rng.pick(PEOPLE)),
            text(holders(&mut rng)),
            text(holders(&mut rng).replace("; ", "\n")),
            text(rng.pick(SUPPLIERS)),
            text(if rng.chance(50) { "Internt" } else { "Externt" }),
            contract,
            text(rng.pick(CRITICALITY)),
            text(if rng.chance(60) { "Ja" } else { "Nej" }),
            text(deps.join(separator)),
            text(classified),
            text(analysed),
            if rng.chance(50) { Cell::Number((10 + i % 900) as f64) } else { text("ca 200") },
            text(if i % 10 == 0 { "Byts ut 2027" } else { "" }),
        ];
        out.push(Row { number: i + 2, cells });
    }
    MunicipalSheet {
        table: Table {
            sheet: "Systemförteckning".into(),
            headers: HEADERS.iter().map(|h| h.to_string()).collect(),
            rows: out,
        },
        systems: rows,
        dependencies_on_systems: on_systems,
        dependencies_on_parties: on_parties,
        no_answers,
        contract_texts,
    }
}
