//! A small page layout for decision documents: blocks (headings, wrapped paragraphs, tables
//! with repeated headers, heat maps, tick boxes, a signature block) flowed onto A4 pages with
//! a header and footer on every page, then drawn with printpdf.
//!
//! Text is measured with the embedded font's own advance widths, so wrapping is exact and
//! nothing is cut or runs over the margin. Coordinates here are millimetres from the top of
//! the page; they are turned into PDF points (from the bottom) only when drawn.

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfFontHandle, PdfPage, Point, Pt, Rect, Rgb,
    TextItem,
};

/// A4 in millimetres.
pub const PAGE_W: f32 = 210.0;
/// A4 in millimetres.
pub const PAGE_H: f32 = 297.0;
const MARGIN_X: f32 = 20.0;
const TOP: f32 = 26.0;
const BOTTOM: f32 = 20.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
const PT_PER_MM: f32 = 72.0 / 25.4;

/// A font face with its metrics.
pub struct Face {
    pub id: FontId,
    pub parsed: ParsedFont,
    /// The font file as shipped, for subsetting per document.
    pub bytes: &'static [u8],
}

impl Face {
    /// `text` as it is drawn: a character the font has no glyph for becomes "?" (PDF/A allows
    /// no .notdef glyph in the text), control characters a space.
    pub fn drawable(&self, text: &str) -> String {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    ' '
                } else if self.parsed.lookup_glyph_index(c as u32).is_some_and(|g| g != 0) {
                    c
                } else {
                    '?'
                }
            })
            .collect()
    }

    /// The width of `text` at `size` points, in millimetres.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let upem = self.parsed.units_per_em.max(1) as f32;
        let units: f32 = text
            .chars()
            .map(|c| {
                self.parsed
                    .lookup_glyph_index(c as u32)
                    .and_then(|g| self.parsed.get_glyph_width(g))
                    .unwrap_or((upem * 0.5) as u16) as f32
            })
            .sum();
        units / upem * size / PT_PER_MM
    }

    /// `text` broken into lines no wider than `width` mm at `size` pt: at spaces where
    /// possible, inside a word only when the word alone is too wide. Newlines are kept.
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
                if self.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line is broken by characters.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }
}

impl Face {
    /// The first line of `text` wrapped to `width`, with "…" when more was cut.
    pub fn one_line(&self, text: &str, size: f32, width: f32) -> String {
        let lines = self.wrap(text, size, width);
        match lines.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [first, ..] => {
                let mut s = first.clone();
                while !s.is_empty() && self.width(&format!("{s} …"), size) > width {
                    s.pop();
                }
                format!("{} …", s.trim_end())
            }
        }
    }
}

/// The two faces a document uses.
pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

/// A colour as `#rrggbb`; anything else is mid grey.
pub fn hex(c: &str) -> (f32, f32, f32) {
    let v = u32::from_str_radix(c.trim_start_matches('#'), 16).unwrap_or(0x999999);
    (((v >> 16) & 255) as f32 / 255.0, ((v >> 8) & 255) as f32 / 255.0, (v & 255) as f32 / 255.0)
}

/// WCAG 2.1 relative luminance of an sRGB colour given in 0–1.
fn luminance((r, g, b): (f32, f32, f32)) -> f32 {
    let lin = |v: f32| if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// The contrast ratio of two colours (1 to 21).
pub fn contrast(a: (f32, f32, f32), b: (f32, f32, f32)) -> f32 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The text colour for a background: black or white, whichever contrasts more (as the
/// app's heat map does), so that a band's letter and count read on any colour a method picks.
pub fn text_on(background: (f32, f32, f32)) -> (f32, f32, f32) {
    let dark = (0.0, 0.0, 0.0);
    let light = (1.0, 1.0, 1.0);
    if contrast(background, dark) >= contrast(background, light) { dark } else { light }
}

/// One cell of a heat map.
#[derive(Debug, Clone)]
pub struct HeatCell {
    /// The band's letter, shown in the cell so that colour is not the only carrier.
    pub letter: String,
    /// The band's colour.
    pub color: String,
    /// How many risks lie in the cell.
    pub count: u32,
}

/// A heat map: rows from the highest consequence down, columns by rising probability.
#[derive(Debug, Clone)]
pub struct HeatMap {
    pub title: String,
    pub rows: Vec<(String, Vec<HeatCell>)>,
    pub columns: Vec<String>,
}

/// A row of a table.
#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Vec<String>,
    /// Shown in bold red (overdue, a gap).
    pub alert: bool,
}

impl Row {
    pub fn new(cells: Vec<String>) -> Row {
        Row { cells, alert: false }
    }
}

/// What a document is made of.
#[derive(Debug, Clone)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    /// Small grey text.
    Note(String),
    /// Label: value lines.
    Facts(Vec<(String, String)>),
    /// Column widths are relative.
    Table {
        headers: Vec<String>,
        widths: Vec<f32>,
        rows: Vec<Row>,
    },
    /// Heat maps side by side, with one legend below.
    HeatMaps {
        maps: Vec<HeatMap>,
        legend: Vec<(String, String, String)>,
    },
    /// Tick boxes, one per line, each with an optional line to fill in.
    Choices {
        items: Vec<String>,
        /// The option that was decided (ticked and bold), on a frozen decision.
        chosen: Option<usize>,
    },
    /// Signature lines.
    Signatures(Vec<String>),
    Space(f32),
}

/// What every page shows.
#[derive(Debug, Clone)]
pub struct Frame {
    pub organisation: String,
    pub marking: String,
    pub title: String,
    /// "Dokument-id … · version … · 2026-11-22 · Dnr …"
    pub identity: String,
}

struct Page {
    ops: Vec<Op>,
}

struct Writer<'a> {
    fonts: &'a Fonts,
    pages: Vec<Page>,
    y: f32,
}

const BODY: f32 = 9.5;
const LINE: f32 = 4.6;

impl<'a> Writer<'a> {
    fn new(fonts: &'a Fonts) -> Writer<'a> {
        let mut w = Writer { fonts, pages: Vec::new(), y: 0.0 };
        w.new_page();
        w
    }

    fn new_page(&mut self) {
        self.pages.push(Page { ops: Vec::new() });
        self.y = TOP;
    }

    fn room(&self) -> f32 {
        PAGE_H - BOTTOM - self.y
    }

    /// Starts a new page unless `height` fits on this one.
    fn ensure(&mut self, height: f32) {
        if self.room() < height && self.y > TOP + 0.1 {
            self.new_page();
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        &mut self.pages.last_mut().expect("a page").ops
    }

    fn text(&mut self, x: f32, baseline: f32, text: &str, size: f32, bold: bool, rgb: (f32, f32, f32)) {
        let face = if bold { &self.fonts.bold } else { &self.fonts.regular };
        let (font, text) = (face.id.clone(), face.drawable(text));
        let ops = self.ops();
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFillColor { col: rgb_color(rgb) });
        ops.push(Op::SetFont { font: PdfFontHandle::External(font), size: Pt(size) });
        ops.push(Op::SetTextCursor { pos: point(x, baseline) });
        ops.push(Op::ShowText { items: vec![TextItem::Text(text)] });
        ops.push(Op::EndTextSection);
    }

    fn rect(&mut self, x: f32, top: f32, w: f32, h: f32, fill: Option<(f32, f32, f32)>, stroke: bool) {
        let ops = self.ops();
        let mode = match (fill, stroke) {
            (Some(_), true) => PaintMode::FillStroke,
            (Some(_), false) => PaintMode::Fill,
            _ => PaintMode::Stroke,
        };
        if let Some(f) = fill {
            ops.push(Op::SetFillColor { col: rgb_color(f) });
        }
        ops.push(Op::SetOutlineColor { col: rgb_color((0.35, 0.38, 0.42)) });
        ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
        let mut r = Rect::from_xywh(
            Pt(x * PT_PER_MM),
            Pt((PAGE_H - top - h) * PT_PER_MM),
            Pt(w * PT_PER_MM),
            Pt(h * PT_PER_MM),
        );
        r.mode = Some(mode);
        ops.push(Op::DrawRectangle { rectangle: r });
    }

    fn hline(&mut self, x1: f32, x2: f32, y: f32, thickness: f32) {
        self.line((x1, y), (x2, y), thickness, (0.35, 0.38, 0.42));
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32, rgb: (f32, f32, f32)) {
        let ops = self.ops();
        ops.push(Op::SetOutlineColor { col: rgb_color(rgb) });
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint { p: point(from.0, from.1), bezier: false },
                    LinePoint { p: point(to.0, to.1), bezier: false },
                ],
                is_closed: false,
            },
        });
    }

    /// Wrapped lines, continued on the next page when the page is full.
    fn lines(&mut self, lines: &[String], x: f32, size: f32, bold: bool, rgb: (f32, f32, f32)) {
        let step = size * 0.48;
        for l in lines {
            self.ensure(step);
            self.y += step;
            self.text(x, self.y - 1.0, l, size, bold, rgb);
        }
    }

    fn block(&mut self, b: &Block) {
        let ink = (0.1, 0.12, 0.15);
        match b {
            Block::Heading(t) => {
                self.ensure(LINE * 4.0);
                self.y += 3.0;
                let lines = self.fonts.bold.wrap(t, 12.5, CONTENT_W);
                self.lines(&lines, MARGIN_X, 12.5, true, (0.12, 0.23, 0.37));
                self.y += 1.5;
            }
            Block::Paragraph(t) => {
                let lines = self.fonts.regular.wrap(t, BODY, CONTENT_W);
                self.lines(&lines, MARGIN_X, BODY, false, ink);
                self.y += 1.5;
            }
            Block::Note(t) => {
                let lines = self.fonts.regular.wrap(t, 8.0, CONTENT_W);
                self.lines(&lines, MARGIN_X, 8.0, false, (0.38, 0.42, 0.47));
                self.y += 1.0;
            }
            Block::Facts(pairs) => {
                let label_w = 52.0;
                for (k, v) in pairs {
                    let lines = self.fonts.regular.wrap(v, BODY, CONTENT_W - label_w);
                    // A label longer than its column wraps inside it (it ran into the value).
                    let label = self.fonts.bold.wrap(k, BODY, label_w - 3.0);
                    self.ensure(LINE * lines.len().min(3).max(label.len()) as f32);
                    let top = self.y;
                    for (i, l) in label.iter().enumerate() {
                        self.text(MARGIN_X, top + LINE * (i + 1) as f32 - 1.0, l, BODY, true, ink);
                    }
                    self.lines(&lines, MARGIN_X + label_w, BODY, false, ink);
                    let label_bottom = top + LINE * label.len().max(1) as f32;
                    if self.y < label_bottom {
                        self.y = label_bottom;
                    }
                }
                self.y += 1.5;
            }
            Block::Table { headers, widths, rows } => self.table(headers, widths, rows),
            Block::HeatMaps { maps, legend } => self.heat_maps(maps, legend),
            Block::Choices { items, chosen } => {
                for (i, item) in items.iter().enumerate() {
                    let ticked = *chosen == Some(i);
                    let face = if ticked { &self.fonts.bold } else { &self.fonts.regular };
                    let lines = face.wrap(item, BODY, CONTENT_W - 10.0);
                    self.ensure(LINE * lines.len() as f32 + 3.0);
                    let top = self.y + 1.2;
                    self.rect(MARGIN_X, top, 4.0, 4.0, None, true);
                    if ticked {
                        // A cross, so that the choice shows without colour and on a copy.
                        self.line((MARGIN_X + 0.6, top + 0.6), (MARGIN_X + 3.4, top + 3.4), 0.9, ink);
                        self.line((MARGIN_X + 0.6, top + 3.4), (MARGIN_X + 3.4, top + 0.6), 0.9, ink);
                    }
                    self.lines(&lines, MARGIN_X + 8.0, BODY, ticked, ink);
                    self.y += 3.0;
                }
            }
            Block::Signatures(labels) => {
                self.ensure(labels.len() as f32 * 14.0 + 4.0);
                for l in labels {
                    self.y += 11.0;
                    self.hline(MARGIN_X, MARGIN_X + 110.0, self.y, 0.6);
                    self.y += 3.5;
                    self.text(MARGIN_X, self.y, l, 8.0, false, (0.38, 0.42, 0.47));
                }
                self.y += 3.0;
            }
            Block::Space(mm) => self.y += mm,
        }
    }

    fn table(&mut self, headers: &[String], widths: &[f32], rows: &[Row]) {
        let total: f32 = widths.iter().sum::<f32>().max(0.001);
        let cols: Vec<f32> = widths.iter().map(|w| w / total * CONTENT_W).collect();
        let pad = 1.4;
        let size = 8.5;
        let step = size * 0.46;
        let wrap_row = |face: &Face, cells: &[String]| -> Vec<Vec<String>> {
            cells.iter().zip(&cols).map(|(c, w)| face.wrap(c, size, w - 2.0 * pad)).collect()
        };
        let header_lines = wrap_row(&self.fonts.bold, headers);
        let header_h = header_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * step + 2.0 * pad;
        let draw_row = |w: &mut Writer<'_>, lines: &[Vec<String>], h: f32, header: bool, alert: bool| {
            let top = w.y;
            if header {
                w.rect(MARGIN_X, top, CONTENT_W, h, Some((0.90, 0.92, 0.95)), false);
            }
            let mut x = MARGIN_X;
            for (cell, cw) in lines.iter().zip(&cols) {
                for (i, l) in cell.iter().enumerate() {
                    let rgb = if alert { (0.72, 0.11, 0.11) } else { (0.1, 0.12, 0.15) };
                    w.text(x + pad, top + pad + (i as f32 + 1.0) * step - 0.9, l, size, header || alert, rgb);
                }
                x += cw;
            }
            w.y = top + h;
            w.hline(MARGIN_X, MARGIN_X + CONTENT_W, w.y, if header { 0.8 } else { 0.3 });
        };
        self.ensure(header_h + step + 2.0 * pad);
        draw_row(self, &header_lines, header_h, true, false);
        for r in rows {
            let face = if r.alert { &self.fonts.bold } else { &self.fonts.regular };
            let mut lines = wrap_row(face, &r.cells);
            let fresh_room = PAGE_H - BOTTOM - TOP - header_h;
            loop {
                let n = lines.iter().map(Vec::len).max().unwrap_or(1);
                let h = n as f32 * step + 2.0 * pad;
                if h <= self.room() {
                    draw_row(self, &lines, h, false, r.alert);
                    break;
                }
                let fresh = self.y <= TOP + header_h + 0.1;
                // A row that fits on a page of its own moves to the next page, under a
                // repeated header; a taller one is split, as many lines per page as fit, so
                // every page takes at least one line and the loop ends.
                if fresh || h > fresh_room {
                    let fit = ((self.room() - 2.0 * pad) / step).floor() as usize;
                    if fit >= 1 {
                        let rest: Vec<Vec<String>> = lines
                            .iter_mut()
                            .map(|c| if c.len() > fit { c.split_off(fit) } else { Vec::new() })
                            .collect();
                        draw_row(self, &lines, fit as f32 * step + 2.0 * pad, false, r.alert);
                        lines = rest;
                    }
                }
                self.new_page();
                draw_row(self, &header_lines, header_h, true, false);
            }
        }
        self.y += 3.0;
    }

    fn heat_maps(&mut self, maps: &[HeatMap], legend: &[(String, String, String)]) {
        let n = maps.first().map(|m| m.columns.len()).unwrap_or(4).max(1) as f32;
        let rows = maps.first().map(|m| m.rows.len()).unwrap_or(4).max(1) as f32;
        let axis = 24.0;
        let gap = 10.0;
        let map_w = (CONTENT_W - gap * (maps.len().max(1) as f32 - 1.0)) / maps.len().max(1) as f32;
        let cell_w = ((map_w - axis) / n).min(16.0);
        let cell_h = 9.0;
        let height = 8.0 + rows * cell_h + 13.0 + 6.0 * legend.len().div_ceil(2) as f32 + 4.0;
        self.ensure(height);
        let top = self.y;
        for (i, m) in maps.iter().enumerate() {
            let left = MARGIN_X + i as f32 * (map_w + gap);
            self.text(left, top + 4.5, &m.title, 9.5, true, (0.12, 0.23, 0.37));
            for (r, (label, cells)) in m.rows.iter().enumerate() {
                let y = top + 7.0 + r as f32 * cell_h;
                let label = self.fonts.regular.wrap(label, 7.0, axis - 2.0);
                self.text(
                    left,
                    y + cell_h / 2.0 + 1.0,
                    label.first().map(String::as_str).unwrap_or(""),
                    7.0,
                    false,
                    (0.3, 0.33, 0.37),
                );
                for (c, cell) in cells.iter().enumerate() {
                    let x = left + axis + c as f32 * cell_w;
                    let fill = hex(&cell.color);
                    let ink = text_on(fill);
                    self.rect(x, y, cell_w - 0.8, cell_h - 0.8, Some(fill), true);
                    self.text(x + 0.8, y + 3.0, &cell.letter, 6.5, false, ink);
                    if cell.count > 0 {
                        let s = cell.count.to_string();
                        let w = self.fonts.bold.width(&s, 10.0);
                        self.text(x + (cell_w - 0.8 - w) / 2.0, y + cell_h / 2.0 + 1.6, &s, 10.0, true, ink);
                    }
                }
            }
            let y = top + 7.0 + rows * cell_h + 3.5;
            for (c, label) in m.columns.iter().enumerate() {
                let x = left + axis + c as f32 * cell_w;
                let short = self.fonts.regular.wrap(label, 6.5, cell_w - 0.5);
                for (k, l) in short.iter().take(2).enumerate() {
                    self.text(x, y + k as f32 * 3.0, l, 6.5, false, (0.3, 0.33, 0.37));
                }
            }
            self.text(left, y + 7.0, "↑ Konsekvens · → Sannolikhet", 6.5, false, (0.38, 0.42, 0.47));
        }
        let mut y = top + 7.0 + rows * cell_h + 17.0;
        for pair in legend.chunks(2) {
            let mut x = MARGIN_X;
            for (letter, name, color) in pair {
                self.rect(x, y - 3.2, 4.0, 4.0, Some(hex(color)), true);
                self.text(x + 6.0, y, &format!("{letter} = {name}"), 8.0, false, (0.1, 0.12, 0.15));
                x += CONTENT_W / 2.0;
            }
            y += 6.0;
        }
        self.y = y + 2.0;
    }

    /// Header and footer on every page, now that the number of pages is known.
    fn frame(&mut self, frame: &Frame) {
        let total = self.pages.len();
        for i in 0..total {
            let mut page = std::mem::replace(&mut self.pages[i], Page { ops: Vec::new() });
            let mut w = Writer { fonts: self.fonts, pages: Vec::new(), y: 0.0 };
            w.pages.push(Page { ops: Vec::new() });
            let grey = (0.38, 0.42, 0.47);
            w.text(MARGIN_X, 12.0, &frame.organisation, 8.0, false, grey);
            let mw = self.fonts.bold.width(&frame.marking, 8.5);
            w.text(PAGE_W - MARGIN_X - mw, 12.0, &frame.marking, 8.5, true, (0.55, 0.08, 0.08));
            let title = self.fonts.bold.one_line(&frame.title, 9.0, CONTENT_W - mw - 10.0);
            w.text(MARGIN_X, 17.0, &title, 9.0, true, (0.12, 0.23, 0.37));
            w.hline(MARGIN_X, PAGE_W - MARGIN_X, 20.0, 0.6);
            w.hline(MARGIN_X, PAGE_W - MARGIN_X, PAGE_H - 14.0, 0.4);
            let id = self.fonts.regular.one_line(&frame.identity, 7.0, CONTENT_W - 30.0);
            w.text(MARGIN_X, PAGE_H - 10.0, &id, 7.0, false, grey);
            let pages = format!("Sida {} av {}", i + 1, total);
            let pw = self.fonts.regular.width(&pages, 8.0);
            w.text(PAGE_W - MARGIN_X - pw, PAGE_H - 10.0, &pages, 8.0, false, grey);
            page.ops.extend(w.pages.remove(0).ops);
            self.pages[i] = page;
        }
    }
}

fn point(x_mm: f32, y_from_top_mm: f32) -> Point {
    Point { x: Pt(x_mm * PT_PER_MM), y: Pt((PAGE_H - y_from_top_mm) * PT_PER_MM) }
}

fn rgb_color((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb { r, g, b, icc_profile: None })
}

/// Flows `blocks` onto pages, with `frame` on each, as printpdf pages.
pub fn pages(fonts: &Fonts, frame: &Frame, blocks: &[Block]) -> Vec<PdfPage> {
    let mut w = Writer::new(fonts);
    // The title.
    let title = fonts.bold.wrap(&frame.title, 17.0, CONTENT_W);
    w.lines(&title, MARGIN_X, 17.0, true, (0.12, 0.23, 0.37));
    w.y += 3.0;
    for b in blocks {
        w.block(b);
    }
    w.frame(frame);
    w.pages.into_iter().map(|p| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), p.ops)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_on_a_band_reads_at_4_5_to_1_or_better_on_any_colour() {
        assert!((contrast((0.0, 0.0, 0.0), (1.0, 1.0, 1.0)) - 21.0).abs() < 1e-3);
        for v in 0..=255u32 {
            for c in [v << 16 | v << 8 | v, v << 16, v << 8, v, 0xff0000 | v << 8, 0x00ff00 | v] {
                let bg = hex(&format!("#{c:06x}"));
                assert!(contrast(bg, text_on(bg)) >= 4.5, "#{c:06x}");
            }
        }
        assert_eq!(text_on(hex("#f44336")), (0.0, 0.0, 0.0));
        assert_eq!(text_on(hex("#1a237e")), (1.0, 1.0, 1.0));
    }
}
