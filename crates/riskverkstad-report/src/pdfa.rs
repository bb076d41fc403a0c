//! What makes the file PDF/A-2b (ISO 19005-2, level B) beyond what printpdf writes: PDF 1.7,
//! XMP metadata carrying the PDF/A identification and the same title, tool and dates as the
//! Info dictionary, and an sRGB output intent for the DeviceRGB colours the layout uses.
//! Fonts are embedded by the writer; nothing is encrypted. Deterministic: no instance ids,
//! the dates are the document's.

use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

/// sRGB IEC 61966-2.1 (v2, from Debian's icc-profiles-free, zlib licence: color/LICENSE-sRGB.txt).
const SRGB: &[u8] = include_bytes!("../color/sRGB.icc");

const CREATOR: &str = "Riskverkstad";
const PRODUCER: &str = "Riskverkstad (printpdf)";

/// A text string in the Info dictionary: UTF-16BE with a byte order mark, so å, ä, ö and
/// dashes survive any reader.
fn text(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn xml_escape(s: &str) -> String {
    // Control characters are not allowed in XML 1.0.
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The XMP packet. Its values must equal the Info dictionary's (PDF/A checks both).
pub(crate) fn xmp(title: &str, at: &str) -> String {
    let title = xml_escape(title);
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreateDate>{at}</xmp:CreateDate>
   <xmp:ModifyDate>{at}</xmp:ModifyDate>
   <xmp:MetadataDate>{at}</xmp:MetadataDate>
   <xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{PRODUCER}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}'
    )
}

/// Makes `pdf` PDF/A-2b as described above; `date` is the document's (noon UTC).
pub(crate) fn conform(pdf: &mut Document, title: &str, date: chrono::NaiveDate) -> lopdf::Result<()> {
    pdf.version = "1.7".into();
    let at = date.and_hms_opt(12, 0, 0).unwrap_or_default();
    let xmp_date = at.format("%Y-%m-%dT%H:%M:%S+00:00").to_string();
    let pdf_date = at.format("D:%Y%m%d%H%M%S+00'00'").to_string().into_bytes();

    // The Info dictionary, rewritten with exactly the entries the XMP mirrors.
    let mut info = Dictionary::new();
    info.set("Title", text(title));
    info.set("Creator", text(CREATOR));
    info.set("Producer", text(PRODUCER));
    info.set("CreationDate", Object::String(pdf_date.clone(), StringFormat::Literal));
    info.set("ModDate", Object::String(pdf_date, StringFormat::Literal));
    let info_id = pdf.add_object(info);
    pdf.trailer.set("Info", Object::Reference(info_id));

    let mut meta = Dictionary::new();
    meta.set("Type", Object::Name(b"Metadata".to_vec()));
    meta.set("Subtype", Object::Name(b"XML".to_vec()));
    // Not compressed: PDF/A wants the metadata readable as it is.
    let meta_id = pdf.add_object(Stream::new(meta, xmp(title, &xmp_date).into_bytes()).with_compression(false));

    let mut icc = Dictionary::new();
    icc.set("N", Object::Integer(3));
    icc.set("Alternate", Object::Name(b"DeviceRGB".to_vec()));
    let icc_id = pdf.add_object(Stream::new(icc, SRGB.to_vec()));
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
    intent.set("OutputConditionIdentifier", Object::String(b"sRGB IEC61966-2.1".to_vec(), StringFormat::Literal));
    intent.set("Info", Object::String(b"sRGB IEC61966-2.1".to_vec(), StringFormat::Literal));
    intent.set("RegistryName", Object::String(b"http://www.color.org".to_vec(), StringFormat::Literal));
    intent.set("DestOutputProfile", Object::Reference(icc_id));

    let catalog = pdf.catalog_mut()?;
    catalog.set("Metadata", Object::Reference(meta_id));
    catalog.set("OutputIntents", Object::Array(vec![Object::Dictionary(intent)]));
    // The old Info dictionary is no longer referenced.
    pdf.prune_objects();
    // Flate every stream that may be (the embedded fonts are most of the file); the XMP
    // packet stays readable.
    pdf.compress();
    Ok(())
}
