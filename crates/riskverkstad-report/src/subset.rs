//! Font subsetting per document: the embedded fonts keep only the glyphs the document draws
//! (and .notdef), with their original advance widths, so the layout measured with the full
//! face stays exact. Deterministic: the same text gives the same subset bytes.

use crate::layout::Face;
use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use printpdf::{FontId, Op, ParsedFont, PdfFontHandle, PdfPage, TextItem};
use std::collections::{BTreeSet, HashMap};

/// The characters drawn in each font on `pages`.
pub(crate) fn used_chars(pages: &[PdfPage]) -> HashMap<FontId, BTreeSet<char>> {
    let mut used: HashMap<FontId, BTreeSet<char>> = HashMap::new();
    for page in pages {
        let mut current: Option<FontId> = None;
        for op in &page.ops {
            match op {
                Op::SetFont { font: PdfFontHandle::External(id), .. } => current = Some(id.clone()),
                Op::ShowText { items } => {
                    if let Some(font) = &current {
                        let set = used.entry(font.clone()).or_default();
                        for item in items {
                            if let TextItem::Text(t) = item {
                                set.extend(t.chars());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    used
}

/// `face` cut down to the glyphs of `chars` (none: only .notdef and the space).
pub(crate) fn face(face: &Face, chars: Option<&BTreeSet<char>>) -> Result<ParsedFont, String> {
    let mut glyphs: BTreeSet<u16> = chars
        .into_iter()
        .flatten()
        .chain([' '].iter())
        .filter_map(|c| face.parsed.lookup_glyph_index(*c as u32))
        .collect();
    glyphs.remove(&0);
    // .notdef first, no duplicates: what allsorts requires.
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let scope = ReadScope::new(face.bytes);
    let file = scope.read::<FontData<'_>>().map_err(|e| format!("typsnittet kunde inte läsas: {e}"))?;
    let provider = file.table_provider(0).map_err(|e| format!("typsnittet kunde inte läsas: {e}"))?;
    let bytes = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| format!("typsnittet kunde inte delas upp: {e}"))?;
    let mut warnings = Vec::new();
    ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or_else(|| "det uppdelade typsnittet kunde inte läsas".into())
}

/// The subset tag of a face's name ("ABCDEF+DejaVuSans", ISO 32000 9.6.4): six capitals
/// derived from the characters kept, so the same text gives the same tag.
pub(crate) fn tag(chars: Option<&BTreeSet<char>>) -> String {
    use sha2::{Digest, Sha256};
    let text: String = chars.into_iter().flatten().collect();
    Sha256::digest(text.as_bytes()).iter().take(6).map(|b| char::from(b'A' + b % 26)).collect()
}

/// Prefixes each subset font's names in `pdf` (font dictionaries' BaseFont, descriptors'
/// FontName) with its tag; `tags` maps the face's name to its tag.
pub(crate) fn name_subsets(pdf: &mut lopdf::Document, tags: &HashMap<String, String>) {
    for object in pdf.objects.values_mut() {
        let dict = match object {
            lopdf::Object::Dictionary(d) => d,
            lopdf::Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        for key in [b"BaseFont".as_slice(), b"FontName".as_slice()] {
            let Ok(lopdf::Object::Name(name)) = dict.get(key) else { continue };
            let Some(tag) = tags.get(String::from_utf8_lossy(name).as_ref()) else { continue };
            let tagged = format!("{tag}+{}", String::from_utf8_lossy(name)).into_bytes();
            dict.set(key, lopdf::Object::Name(tagged));
        }
    }
}
