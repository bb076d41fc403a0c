//! Spreadsheet files in and out. [`read`] takes an xlsx, ods or csv file's bytes and gives one
//! plain [`Table`]: the header row, then every row with its number in the file, each cell
//! as text, number, boolean or date. [`write_xlsx`] and [`write_csv`] write a table back.
//!
//! The crate knows nothing of the register: which column is which field is the core's
//! business. Invariants: a cell never silently changes kind (a date stays a date, a number a
//! number, text is trimmed but otherwise kept); rows keep the number they had in the file, so
//! a report can say "rad 17"; a file beyond [`Limits`] is refused before it is parsed.

use calamine::{Data, Reader};
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Cursor;

/// What went wrong, in Swedish.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read as the format it claims to be.
    #[error("Filen kunde inte läsas som {format}: {detail}")]
    Unreadable {
        /// "xlsx", "ods" or "csv".
        format: &'static str,
        /// What the reader said.
        detail: String,
    },
    /// The named sheet is not in the workbook.
    #[error("Bladet «{wanted}» finns inte i arbetsboken. Blad: {}.", available.join(", "))]
    NoSheet {
        /// The sheet asked for.
        wanted: String,
        /// The sheets there are.
        available: Vec<String>,
    },
    /// No header row: the sheet is empty.
    #[error("Bladet «{0}» är tomt: ingen rubrikrad hittades.")]
    Empty(String),
    /// Beyond the limits.
    #[error("Filen är för stor: {0}.")]
    TooLarge(String),
    /// Writing failed.
    #[error("Filen kunde inte skrivas: {0}")]
    Write(String),
}

/// The result type.
pub type Result<T> = std::result::Result<T, Error>;

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Cell {
    /// Nothing there.
    Empty,
    /// Text (trimmed).
    Text(String),
    /// A number (an Excel serial date in a cell not formatted as a date arrives as one).
    Number(f64),
    /// TRUE/FALSE.
    Bool(bool),
    /// A date (from a date-formatted cell; the time of day, if any, is dropped).
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text, as a person would read it: numbers without a needless ".0", dates as
    /// ISO dates, booleans as Ja/Nej.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n}"),
            Cell::Bool(b) => if *b { "Ja" } else { "Nej" }.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// Whether the cell holds nothing (or only white space).
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A sheet as a table: the header row and the rows under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// The sheet's name (the file name's stem for csv).
    pub sheet: String,
    /// The header row's cells as text, one per column.
    pub headers: Vec<String>,
    /// The rows under the header, each as long as `headers` (padded with empty cells). Rows
    /// with nothing in them are left out.
    pub rows: Vec<Row>,
}

/// One row and where it was in the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Its row number in the file, 1-based as a spreadsheet shows it.
    pub number: usize,
    /// Its cells.
    pub cells: Vec<Cell>,
}

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Office Open XML (Excel).
    Xlsx,
    /// OpenDocument (LibreOffice).
    Ods,
    /// Comma/semicolon/tab separated text.
    Csv,
}

/// What was found out about a file while reading it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The format.
    pub format: Format,
    /// The workbook's sheets (one for csv).
    pub sheets: Vec<String>,
    /// For csv: the encoding ("UTF-8", "UTF-8 med BOM", "Windows-1252").
    pub encoding: Option<String>,
    /// For csv: the delimiter.
    pub delimiter: Option<char>,
}

impl Source {
    /// The format as people read it: "xlsx", or "csv, Windows-1252, avgränsare \";\"".
    pub fn describe(&self) -> String {
        let format = format!("{:?}", self.format).to_lowercase();
        match (&self.encoding, self.delimiter) {
            (Some(e), Some(d)) => {
                let d = if d == '\t' { "tab".to_string() } else { format!("\"{d}\"") };
                format!("{format}, {e}, avgränsare {d}")
            }
            _ => format,
        }
    }
}

/// How large a file is read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of the file.
    pub max_bytes: usize,
    /// Rows.
    pub max_rows: usize,
    /// Columns.
    pub max_columns: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // A municipality's register has hundreds to a few thousand rows and tens of columns.
        Limits { max_bytes: 64 << 20, max_rows: 100_000, max_columns: 500 }
    }
}

/// The format of a file by its content (a zip holding an OpenDocument mimetype is ods, any
/// other zip xlsx, anything else csv).
pub fn detect(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(200)];
        if head.windows(46).any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet") {
            Format::Ods
        } else {
            Format::Xlsx
        }
    } else {
        Format::Csv
    }
}

/// Reads a file: `sheet` names the sheet to read (default: the first); `name` is used as the
/// sheet name of a csv file.
pub fn read(bytes: &[u8], sheet: Option<&str>, name: &str, limits: Limits) -> Result<(Table, Source)> {
    if bytes.len() > limits.max_bytes {
        return Err(Error::TooLarge(format!("{} byte, högst {} byte läses", bytes.len(), limits.max_bytes)));
    }
    match detect(bytes) {
        Format::Csv => read_csv(bytes, name, limits),
        format => read_workbook(bytes, format, sheet, limits),
    }
}

fn read_workbook(bytes: &[u8], format: Format, sheet: Option<&str>, limits: Limits) -> Result<(Table, Source)> {
    let label = if format == Format::Ods { "ods" } else { "xlsx" };
    let unreadable = |e: calamine::Error| Error::Unreadable { format: label, detail: e.to_string() };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let sheets = book.sheet_names().to_vec();
    let wanted = match sheet {
        Some(s) => sheets
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(s.trim()))
            .cloned()
            .ok_or_else(|| Error::NoSheet { wanted: s.to_string(), available: sheets.clone() })?,
        None => sheets.first().cloned().ok_or_else(|| Error::Empty(String::new()))?,
    };
    let range = book.worksheet_range(&wanted).map_err(unreadable)?;
    let (height, width) = range.get_size();
    if height > limits.max_rows + 1 || width > limits.max_columns {
        return Err(Error::TooLarge(format!(
            "bladet har {height} rader och {width} kolumner, högst {} rader och {} kolumner läses",
            limits.max_rows, limits.max_columns
        )));
    }
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let first_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let rows = range.rows().enumerate().map(|(i, cells)| {
        let mut out = vec![Cell::Empty; first_col];
        out.extend(cells.iter().map(cell_of));
        (first_row + i + 1, out)
    });
    let table = table_of(wanted.clone(), rows)?;
    Ok((table, Source { format, sheets, encoding: None, delimiter: None }))
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => text(s),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => dt.as_datetime().map(|t| Cell::Date(t.date())).unwrap_or(Cell::Number(dt.as_f64())),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(Cell::Date)
            .unwrap_or_else(|| text(s)),
        Data::DurationIso(s) => text(s),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

fn text(s: &str) -> Cell {
    let t = s.trim();
    if t.is_empty() { Cell::Empty } else { Cell::Text(t.to_string()) }
}

/// The header is the first row with anything in it; the rows under it keep their numbers.
fn table_of(sheet: String, rows: impl Iterator<Item = (usize, Vec<Cell>)>) -> Result<Table> {
    let mut rows = rows.filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((_, header)) = rows.next() else { return Err(Error::Empty(sheet)) };
    let mut headers: Vec<String> = header.iter().map(Cell::text).collect();
    while headers.last().is_some_and(|h| h.is_empty()) {
        headers.pop();
    }
    let mut body: Vec<Row> = rows.map(|(number, cells)| Row { number, cells }).collect();
    // A column without a header but with values still counts: it is named by its letter.
    let width =
        body.iter().map(|r| r.cells.iter().rposition(|c| !c.is_empty()).map_or(0, |p| p + 1)).max().unwrap_or(0);
    let columns = width.max(headers.len());
    headers.resize(columns, String::new());
    for (i, h) in headers.iter_mut().enumerate() {
        if h.is_empty() {
            *h = format!("Kolumn {}", column_letters(i));
        }
    }
    for r in &mut body {
        r.cells.resize(headers.len(), Cell::Empty);
    }
    Ok(Table { sheet, headers, rows: body })
}

/// A column's letters as a spreadsheet shows them: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

fn read_csv(bytes: &[u8], name: &str, limits: Limits) -> Result<(Table, Source)> {
    let (text, encoding) = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut lines = Lines { text: text.as_bytes(), at: 0, line: 1 };
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Error::Unreadable { format: "csv", detail: e.to_string() })?;
        if i > limits.max_rows || record.len() > limits.max_columns {
            return Err(Error::TooLarge(format!(
                "högst {} rader och {} kolumner läses",
                limits.max_rows, limits.max_columns
            )));
        }
        // The row number is the line the record starts on, counted from its byte offset (the
        // reader's own line count skips blank lines), so that it can be found in the file.
        let number = record.position().map(|p| lines.line_at(p.byte() as usize)).unwrap_or(i + 1);
        rows.push((number, record.iter().map(self::text).collect::<Vec<_>>()));
    }
    let table = table_of(name.to_string(), rows.into_iter())?;
    Ok((
        table,
        Source {
            format: Format::Csv,
            sheets: vec![name.to_string()],
            encoding: Some(encoding.to_string()),
            delimiter: Some(delimiter),
        },
    ))
}

/// Line numbers of byte offsets that only ever grow (records are read in order), counted
/// once through the text.
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl Lines<'_> {
    /// The 1-based line a record starts on, given the offset where the reader began reading it
    /// (which is before any blank lines it skipped).
    fn line_at(&mut self, byte: usize) -> usize {
        let mut start = byte.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.at {
            self.line += self.text[self.at..start].iter().filter(|b| **b == b'\n').count();
            self.at = start;
        }
        self.line
    }
}

/// UTF-8 (with or without a byte-order mark) when the bytes are valid UTF-8, else
/// Windows-1252, which is what Excel on a Swedish Windows saves as "CSV".
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 med BOM");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => (encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(), "Windows-1252"),
    }
}

/// The delimiter of the header line: the most frequent of `;`, `,` and tab outside quotes
/// (semicolon on a tie: Swedish Excel's choice, since the comma is the decimal sign).
fn sniff_delimiter(text: &str) -> char {
    let mut counts = [(';', 0usize), (',', 0), ('\t', 0)];
    let mut quoted = false;
    for ch in text.chars() {
        match ch {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            c if !quoted => {
                for (d, n) in counts.iter_mut() {
                    if *d == c {
                        *n += 1;
                    }
                }
            }
            _ => {}
        }
    }
    counts.iter().fold((';', 0), |best, &(d, n)| if n > best.1 { (d, n) } else { best }).0
}

/// Writes a table as an xlsx workbook: a bold, frozen header row with a filter, column widths
/// from the content, dates as real dates (yyyy-mm-dd), numbers as numbers.
pub fn write_xlsx(table: &Table) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format as XFormat, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::Write(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sanitize_sheet_name(&table.sheet)).map_err(err)?;
    let bold = XFormat::new().set_bold();
    let date = XFormat::new().set_num_format("yyyy-mm-dd");
    let wrap = XFormat::new().set_text_wrap();
    for (c, h) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold).map_err(err)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.cells.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(t) if t.contains('\n') => {
                    sheet.write_string_with_format(r, c, t, &wrap).map_err(err)?;
                }
                Cell::Text(t) => {
                    sheet.write_string(r, c, t).map_err(err)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(r, c, *n).map_err(err)?;
                }
                Cell::Bool(b) => {
                    sheet.write_string(r, c, if *b { "Ja" } else { "Nej" }).map_err(err)?;
                }
                Cell::Date(d) => {
                    sheet.write_datetime_with_format(r, c, d, &date).map_err(err)?;
                }
            }
        }
    }
    for (c, h) in table.headers.iter().enumerate() {
        let widest = table
            .rows
            .iter()
            .take(2000)
            .filter_map(|r| r.cells.get(c))
            .map(|cell| cell.text().lines().map(|l| l.chars().count()).max().unwrap_or(0))
            .chain(std::iter::once(h.chars().count() + 2))
            .max()
            .unwrap_or(8);
        sheet.set_column_width(c as u16, (widest as f64 + 1.0).clamp(8.0, 60.0)).map_err(err)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    // Printed: landscape A4, as wide as the page, the header on every page.
    sheet.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0).map_err(err)?;
    if !table.headers.is_empty() {
        sheet.autofilter(0, 0, table.rows.len() as u32, table.headers.len() as u16 - 1).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

/// Writes a table as the file name asks: csv for a name ending in .csv, else xlsx.
pub fn write_for(path: &std::path::Path, table: &Table) -> Result<Vec<u8>> {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) { write_csv(table) } else { write_xlsx(table) }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sanitize_sheet_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if clean.trim().is_empty() { "Systemförteckning".into() } else { clean }
}

/// Writes a table as csv the way Swedish Excel opens it directly: UTF-8 with a byte-order
/// mark, semicolons, dates as yyyy-mm-dd, booleans as Ja/Nej.
pub fn write_csv(table: &Table) -> Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut out);
        w.write_record(&table.headers).map_err(|e| Error::Write(e.to_string()))?;
        for row in &table.rows {
            w.write_record(row.cells.iter().map(Cell::text)).map_err(|e| Error::Write(e.to_string()))?;
        }
        w.flush().map_err(|e| Error::Write(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
