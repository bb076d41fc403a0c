//! The import's report as a table (saved as xlsx or csv next to the source file): one line
//! per row of the file with what happens to it and why, one per value not read with its rows,
//! then what the import creates.

use super::RegisterImportReport;
use riskverkstad_sheets::{Cell, Row, Table};

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
}

/// The report as a table with the columns Rad, System, Vad händer, Varför, Ändringar,
/// Varningar.
pub fn report_table(report: &RegisterImportReport) -> Table {
    let headers: Vec<String> =
        ["Rad", "System", "Vad händer", "Varför", "Ändringar", "Varningar"].iter().map(|h| h.to_string()).collect();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for r in &report.rows {
        let warnings: Vec<String> = r.warnings.iter().map(|w| format!("«{}»: {}", w.column, w.message)).collect();
        rows.push(vec![
            Cell::Number(r.row as f64),
            text(r.name.clone()),
            text(r.action.label()),
            text(r.reason.clone().unwrap_or_default()),
            text(r.changes.join(", ")),
            text(warnings.join("\n")),
        ]);
    }
    for u in &report.unread_values {
        let list: Vec<String> = u.rows.iter().map(u32::to_string).collect();
        rows.push(vec![
            text(format!("rader {}", list.join(", "))),
            Cell::Empty,
            text("värde inte läst"),
            text(format!("«{}» i kolumnen «{}»", u.value, u.column)),
            Cell::Empty,
            text(u.kept.clone()),
        ]);
    }
    let created = [
        ("ny förvaltning eller enhet", &report.new_organisation),
        ("ny person", &report.new_people),
        ("ny extern part", &report.new_parties),
        ("ny åtgärd", &report.new_actions),
    ];
    for (what, list) in created {
        for n in list {
            rows.push(vec![Cell::Empty, text(n.clone()), text(what), Cell::Empty, Cell::Empty, Cell::Empty]);
        }
    }
    Table {
        sheet: "Importrapport".into(),
        headers,
        rows: rows.into_iter().enumerate().map(|(i, cells)| Row { number: i + 2, cells }).collect(),
    }
}
