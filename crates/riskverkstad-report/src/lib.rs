//! Beslutsunderlag: the five decision documents of the method (driftgodkännande,
//! riskacceptans, klassningsprotokoll, handlingsplan, lägesbild) as PDF, in Swedish.
//!
//! [`render`] gathers a document's content from the core's read models, lays it out on A4
//! pages ([`layout`]) and writes the PDF with printpdf. The same input gives the same bytes:
//! the fonts are the ones shipped in `fonts/`, every id in the file is derived from the
//! content, and the dates are the document's date, never the clock.
#![deny(missing_docs)]

mod documents;
#[allow(missing_docs)]
pub mod layout;
mod pdfa;
mod subset;

use layout::{Face, Fonts};
use printpdf::{FontId, ParsedFont, PdfDocument, PdfFont, PdfSaveOptions};
use riskverkstad_core::decisions::Subject;
use riskverkstad_core::ids::{ForvaltningId, SystemId};
use riskverkstad_core::model::{Decision, DecisionKind, KeyFigures};
use riskverkstad_core::store::Store;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

pub use riskverkstad_core::model::DecisionKind as ReportKind;

/// The secrecy marking for documents that hold risk or vulnerability details.
pub const SECRET: &str = "Sekretess enligt 18 kap. 8 § OSL";
/// The marking for documents without such details.
pub const OPEN: &str = "Öppen";

/// What to produce.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// Which document.
    pub kind: DecisionKind,
    /// The system (driftgodkännande, riskacceptans, klassning; optional for handlingsplan).
    pub system: Option<SystemId>,
    /// The förvaltning (lägesbild, handlingsplan); `None` is the whole organisation.
    pub forvaltning: Option<ForvaltningId>,
    /// The open summary: leaves out risk and vulnerability details.
    pub open_summary: bool,
    /// Overrides the secrecy marking chosen from the content.
    pub marking: Option<String>,
    /// Diarienummer, if the document has one.
    pub diarienummer: Option<String>,
    /// The document's date: printed, and the PDF's creation date. For a decision, its date.
    pub date: chrono::NaiveDate,
    /// The decision this document is the frozen record of (see [`decide`]); `None` for an
    /// underlag that is yet to be decided.
    pub decision: Option<Decision>,
}

impl ReportRequest {
    /// An underlag of `kind` dated `date`, for the whole organisation, with the marking chosen
    /// from its content.
    pub fn new(kind: DecisionKind, date: chrono::NaiveDate) -> ReportRequest {
        ReportRequest {
            kind,
            system: None,
            forvaltning: None,
            open_summary: false,
            marking: None,
            diarienummer: None,
            date,
            decision: None,
        }
    }

    /// What a decision on this document is about.
    pub fn subject(&self) -> Subject {
        Subject { kind: self.kind, system_id: self.system, forvaltning_id: self.forvaltning }
    }
}

/// What was decided (the core's: the rules of a decision live there).
pub use riskverkstad_core::usecase::decide::Decided;

/// Makes the decision: the core prepares it by the method's rules, this crate draws the
/// document as decided (dated the request's date, the outcome ticked, the decider named;
/// never the open summary), and the core freezes both as the next version of the subject,
/// in one transaction.
pub fn decide(store: &mut Store, request: &ReportRequest, decided: Decided) -> Result<(Decision, Rendered)> {
    use riskverkstad_core::usecase::decide::{self, Case, Drawn};
    let case = Case { subject: request.subject(), date: request.date, diarienummer: request.diarienummer.clone() };
    let mut rendered = None;
    let (frozen, _) = decide::decide(store, &case, decided, |store, d| {
        let req = ReportRequest { open_summary: false, decision: Some(d.clone()), ..request.clone() };
        let r = render_document(store, &req)?;
        let drawn = Drawn { bytes: r.bytes.clone(), title: r.title.clone(), key_figures: r.key_figures.clone() };
        rendered = Some(r);
        Ok::<_, ReportError>(drawn)
    })?;
    let rendered = rendered.ok_or_else(|| ReportError::Pdf("dokumentet ritades inte".into()))?;
    Ok((frozen, rendered))
}

/// Why a document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// From the store.
    #[error(transparent)]
    Core(#[from] riskverkstad_core::Error),
    /// The document is about a system and none was given.
    #[error("{0} gäller ett system: ange vilket (--system NAMN eller ID).")]
    SystemRequired(&'static str),
    /// The shipped font could not be read (a broken build).
    #[error("Typsnittet {0} kunde inte läsas.")]
    Font(&'static str),
    /// The PDF could not be written.
    #[error("PDF-filen kunde inte skapas: {0}")]
    Pdf(String),
}

/// A result with [`ReportError`].
pub type Result<T> = std::result::Result<T, ReportError>;

fn fonts() -> Result<&'static Fonts> {
    static FONTS: OnceLock<std::result::Result<Fonts, &'static str>> = OnceLock::new();
    let loaded = FONTS.get_or_init(|| {
        let face = |bytes: &'static [u8], id: &str, name: &'static str| {
            let mut warnings = Vec::new();
            ParsedFont::from_bytes(bytes, 0, &mut warnings)
                .map(|parsed| Face { id: FontId(id.to_string()), parsed, bytes })
                .ok_or(name)
        };
        Ok(Fonts {
            regular: face(include_bytes!("../fonts/DejaVuSans.ttf"), "DejaVuSans", "DejaVu Sans")?,
            bold: face(include_bytes!("../fonts/DejaVuSans-Bold.ttf"), "DejaVuSans-Bold", "DejaVu Sans Bold")?,
        })
    });
    loaded.as_ref().map_err(|name| ReportError::Font(name))
}

/// Produces the document as PDF bytes.
pub fn render(store: &Store, request: &ReportRequest) -> Result<Vec<u8>> {
    Ok(render_document(store, request)?.bytes)
}

/// A produced document and what a preview shows of it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Its title.
    pub title: String,
    /// The secrecy marking in its header.
    pub marking: String,
    /// Document id, version, date (the footer line).
    pub identity: String,
    /// Number of pages.
    pub pages: u32,
    /// Its headings, in order.
    pub headings: Vec<String>,
    /// A file name to suggest when saving ("Driftgodkannande-Ekonomisystem-2026-11-22.pdf").
    pub file_name: String,
    /// A lägesbild's key figures.
    pub key_figures: Option<KeyFigures>,
}

/// A file name for a document: its title in ASCII with dashes, then `suffix`
/// ("Driftgodkannande-Ekonomisystem-2026-11-22.pdf").
pub fn file_name(title: &str, suffix: &str) -> String {
    let safe: String = title
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'Å' | 'Ä' => 'A',
            'ö' => 'o',
            'Ö' => 'O',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{safe}-{suffix}.pdf")
}

/// An incident document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncidentDocument {
    /// One incident's report: the early warning, the notification, the final report or the
    /// record of a personal data breach.
    Report {
        /// The incident.
        incident: riskverkstad_core::ids::IncidentId,
        /// Which report.
        kind: riskverkstad_core::incident::ReportKind,
    },
    /// The incidentlogg of a period (the days the incidents became known).
    Log {
        /// The first day.
        from: chrono::NaiveDate,
        /// The last day.
        to: chrono::NaiveDate,
    },
}

/// Produces an incident document as of `now` (its clocks and its date), with what a preview
/// shows of it.
pub fn render_incident(
    store: &Store,
    doc: &IncidentDocument,
    now: riskverkstad_core::incident::Now,
) -> Result<Rendered> {
    let content = documents::build_incident(store, doc, now)?;
    finish(content, now.today)
}

/// Produces the document with what a preview shows of it.
pub fn render_document(store: &Store, request: &ReportRequest) -> Result<Rendered> {
    let content = documents::build(store, request)?;
    finish(content, request.date)
}

fn finish(content: documents::Content, date: chrono::NaiveDate) -> Result<Rendered> {
    let fonts = fonts()?;
    let pages = layout::pages(fonts, &content.frame, &content.blocks);
    let count = pages.len() as u32;
    let headings = content
        .blocks
        .iter()
        .filter_map(|b| if let layout::Block::Heading(h) = b { Some(h.clone()) } else { None })
        .collect();
    let bytes = write_pdf(fonts, &content.frame.title, pages, date)?;
    Ok(Rendered {
        bytes,
        file_name: file_name(&content.frame.title, &date.to_string()),
        title: content.frame.title,
        marking: content.frame.marking,
        identity: content.frame.identity,
        pages: count,
        headings,
        key_figures: content.key_figures,
    })
}

fn write_pdf(fonts: &Fonts, title: &str, pages: Vec<printpdf::PdfPage>, date: chrono::NaiveDate) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(title);
    // Each font is embedded with only the glyphs this document draws: a frozen decision is
    // kept for decades and travels in bundles, and the whole DejaVu faces are 1.4 MB.
    let used = subset::used_chars(&pages);
    let mut tags = std::collections::HashMap::new();
    for face in [&fonts.regular, &fonts.bold] {
        let parsed = subset::face(face, used.get(&face.id)).map_err(ReportError::Pdf)?;
        doc.resources.fonts.map.insert(face.id.clone(), PdfFont::new(parsed));
        tags.insert(face.id.0.clone(), subset::tag(used.get(&face.id)));
    }
    doc.with_pages(pages);
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions { optimize: true, subset_fonts: false, secure: true, image_optimization: None };
    let mut pdf = doc.to_lopdf_document(&opts, &mut warnings);
    subset::name_subsets(&mut pdf, &tags);
    pdfa::conform(&mut pdf, title, date).map_err(|e| ReportError::Pdf(e.to_string()))?;
    // The file identifier is derived from the content (printpdf draws a random one), so that
    // the same input gives the same bytes and a document's SHA-256 identifies it.
    let mut bytes = Vec::new();
    pdf.trailer.set("ID", lopdf::Object::Array(vec![]));
    pdf.save_to(&mut bytes).map_err(|e| ReportError::Pdf(e.to_string()))?;
    let digest = Sha256::digest(&bytes);
    let id = lopdf::Object::String(digest[..16].to_vec(), lopdf::StringFormat::Hexadecimal);
    pdf.trailer.set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    let mut out = Vec::new();
    pdf.save_to(&mut out).map_err(|e| ReportError::Pdf(e.to_string()))?;
    Ok(out)
}

/// The SHA-256 of a document's bytes, as hex: what identifies a frozen document.
pub use riskverkstad_core::decisions::sha256_hex;
