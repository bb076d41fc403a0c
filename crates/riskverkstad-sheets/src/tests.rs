#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn sample() -> Table {
    Table {
        sheet: "Systemförteckning".into(),
        headers: vec!["Systemnamn".into(), "Avtal löper ut".into(), "RTO (h)".into(), "Beskrivning".into()],
        rows: vec![
            Row {
                number: 2,
                cells: vec![
                    Cell::Text("Procapita".into()),
                    Cell::Date(d(2027, 3, 31)),
                    Cell::Number(24.0),
                    Cell::Text("Verksamhetssystem\nför IFO".into()),
                ],
            },
            Row {
                number: 3,
                cells: vec![Cell::Text("Å-systemet".into()), Cell::Empty, Cell::Number(0.5), Cell::Empty],
            },
        ],
    }
}

#[test]
fn an_xlsx_round_trip_keeps_text_dates_numbers_and_line_breaks() {
    let bytes = write_xlsx(&sample()).unwrap();
    assert_eq!(detect(&bytes), Format::Xlsx);
    let (table, source) = read(&bytes, None, "x", Limits::default()).unwrap();
    assert_eq!(source.format, Format::Xlsx);
    assert_eq!(source.sheets, ["Systemförteckning"]);
    assert_eq!(table, sample());
}

#[test]
fn a_windows_1252_csv_with_semicolons_and_line_breaks_in_cells_is_read() {
    let text = "\r\n;;\r\nSystemnamn;Förvaltning;Beskrivning\r\nLönesystem;Kommunstyrelseförvaltningen;\"Lön; och\r\npersonal\"\r\n\r\nÄrendehantering;Miljöförvaltningen;Diarium\r\n";
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!lossy);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let (table, source) = read(&bytes, None, "register", Limits::default()).unwrap();
    assert_eq!(source.encoding.as_deref(), Some("Windows-1252"));
    assert_eq!(source.delimiter, Some(';'));
    assert_eq!(table.headers, ["Systemnamn", "Förvaltning", "Beskrivning"]);
    assert_eq!(table.rows.len(), 2, "the empty line is left out");
    assert_eq!(table.rows[0].cells[2], Cell::Text("Lön; och\r\npersonal".into()));
    // Row numbers are the lines the rows start on, as a person finds them in the file.
    assert_eq!((table.rows[0].number, table.rows[1].number), (4, 7));
    assert_eq!(table.rows[1].cells[1], Cell::Text("Miljöförvaltningen".into()));
}

#[test]
fn utf8_csv_with_and_without_bom_and_commas_or_tabs() {
    for (bytes, encoding, delimiter) in [
        ("\u{feff}Namn,Ägare\nA,Åsa\n".as_bytes().to_vec(), "UTF-8 med BOM", ','),
        ("Namn\tÄgare\nA\tÅsa\n".as_bytes().to_vec(), "UTF-8", '\t'),
    ] {
        let (table, source) = read(&bytes, None, "f", Limits::default()).unwrap();
        assert_eq!(source.encoding.as_deref(), Some(encoding));
        assert_eq!(source.delimiter, Some(delimiter));
        assert_eq!(table.headers, ["Namn", "Ägare"]);
        assert_eq!(table.rows[0].cells, [Cell::Text("A".into()), Cell::Text("Åsa".into())]);
    }
}

#[test]
fn a_column_without_a_header_is_named_by_its_letter_and_rows_are_padded() {
    let (table, _) = read(b"Namn;;\nA;;x\nB\n", None, "f", Limits::default()).unwrap();
    assert_eq!(table.headers, ["Namn", "Kolumn B", "Kolumn C"]);
    assert_eq!(table.rows[1].cells, [Cell::Text("B".into()), Cell::Empty, Cell::Empty]);
    assert_eq!(column_letters(0), "A");
    assert_eq!(column_letters(25), "Z");
    assert_eq!(column_letters(26), "AA");
    assert_eq!(column_letters(701), "ZZ");
}

#[test]
fn an_ods_file_is_read_with_its_dates() {
    use std::io::Write;
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Register">
<table:table-row><table:table-cell office:value-type="string"><text:p>Namn</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Avtal löper ut</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Lönesystem</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2027-06-30"><text:p>2027-06-30</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;
    let mut buf = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        zip.write_all(manifest.as_bytes()).unwrap();
        zip.start_file("content.xml", stored).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert_eq!(detect(&bytes), Format::Ods);
    let (table, source) = read(&bytes, Some("register"), "x", Limits::default()).unwrap();
    assert_eq!(source.format, Format::Ods);
    assert_eq!(table.headers, ["Namn", "Avtal löper ut"]);
    assert_eq!(table.rows[0].cells, [Cell::Text("Lönesystem".into()), Cell::Date(d(2027, 6, 30))]);
}

#[test]
fn a_missing_sheet_an_empty_file_and_a_too_large_one_are_refused_clearly() {
    let bytes = write_xlsx(&sample()).unwrap();
    let e = read(&bytes, Some("Blad9"), "x", Limits::default()).unwrap_err().to_string();
    assert!(e.contains("«Blad9»") && e.contains("Systemförteckning"), "{e}");
    let e = read(b"\n;;\n", None, "tom", Limits::default()).unwrap_err().to_string();
    assert!(e.contains("tomt"), "{e}");
    let small = Limits { max_bytes: 10, ..Limits::default() };
    assert!(matches!(read(&bytes, None, "x", small), Err(Error::TooLarge(_))));
    let few = Limits { max_rows: 1, ..Limits::default() };
    assert!(matches!(read(b"a\n1\n2\n3\n", None, "x", few), Err(Error::TooLarge(_))));
    let junk = b"PK\x03\x04 not a zip at all";
    assert!(matches!(read(junk, None, "x", Limits::default()), Err(Error::Unreadable { .. })));
}

proptest! {
    /// Whatever text the cells hold (delimiters, quotes, line breaks, åäö), csv written here
    /// reads back the same.
    #[test]
    fn csv_round_trips_any_text(cells in proptest::collection::vec("[a-zåäöA-Z0-9;,\"\n ]{0,12}", 1..24)) {
        let width = 3;
        let norm = |s: &str| text(s);
        let headers: Vec<String> = (0..width).map(|i| format!("H{i}")).collect();
        let rows: Vec<Row> = cells
            .chunks(width)
            .enumerate()
            .map(|(i, chunk)| {
                let mut c: Vec<Cell> = chunk.iter().map(|s| norm(s)).collect();
                c.resize(width, Cell::Empty);
                Row { number: i + 2, cells: c }
            })
            .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
            .collect();
        let table = Table { sheet: "t".into(), headers, rows };
        let (back, _) = read(&write_csv(&table).unwrap(), None, "t", Limits::default()).unwrap();
        prop_assert_eq!(&back.headers, &table.headers);
        let cells_of = |t: &Table| t.rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>();
        prop_assert_eq!(cells_of(&back), cells_of(&table));
    }
}
