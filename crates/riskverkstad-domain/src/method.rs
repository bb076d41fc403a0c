//! The method as data: classification scales per aspect, consequence areas with a description
//! per area × level, the risk matrix with its bands, colours and acceptance rules.
//!
//! A method is stored as an immutable, numbered [`crate::model::MethodVersion`]. Every stored
//! assessment records the version it was made under; changing the method adds a version and
//! never reinterprets what was stored (see [`Method::same_classification_scale`]).

use crate::error::Invalid;
use serde::{Deserialize, Serialize};

text_enum! {
    /// An aspect of information security (KLASSA/MSB).
    pub enum Aspect {
        /// Konfidentialitet.
        K = "K" / "Konfidentialitet",
        /// Riktighet.
        R = "R" / "Riktighet",
        /// Tillgänglighet.
        T = "T" / "Tillgänglighet",
        /// Spårbarhet (can be switched off per organisation).
        S = "S" / "Spårbarhet",
    }
}

text_enum! {
    /// Who may accept a risk, from the lowest mandate to the highest. A higher mandate may
    /// always accept what a lower one may.
    pub enum Mandate {
        /// The risk's owner (riskägare).
        Riskagare = "riskagare" / "Riskägare",
        /// The system's owner (systemägare).
        Systemagare = "systemagare" / "Systemägare",
        /// The head of the förvaltning.
        Forvaltningschef = "forvaltningschef" / "Förvaltningschef",
        /// The political committee (nämnd).
        Namnd = "namnd" / "Nämnd",
    }
}

/// One step of a scale.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleLevel {
    /// The stored value: 0-based for classification scales, 1-based for risk scales.
    pub value: u8,
    /// The name people use ("Betydande skada", "Stor").
    pub name: String,
    /// Colour as `#rrggbb`.
    pub color: String,
    /// A short description that guides the workshop.
    pub description: String,
}

/// The classification scale of one aspect.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassificationScale {
    /// The aspect.
    pub aspect: Aspect,
    /// The levels, values 0, 1, 2 … in order; 3 to 6 of them.
    pub levels: Vec<ScaleLevel>,
    /// The level from which the requirement catalogue no longer applies and a special analysis
    /// is required (KLASSA: 4, "Synnerligen allvarlig skada"); `None` when the scale has none.
    pub special_analysis_from: Option<u8>,
}

/// A row of the classification matrix: one consequence area with a guiding description for
/// each level value.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsequenceArea {
    /// Stable key ("individ", "ekonomi").
    pub key: String,
    /// Name shown in the matrix.
    pub name: String,
    /// Description per level value (index = value), as many as the longest scale has levels.
    pub descriptions: Vec<String>,
}

/// What a risk band demands before a risk in it may be accepted.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcceptanceRule {
    /// The lowest mandate that may accept a risk in this band.
    pub lowest_mandate: Mandate,
    /// Within how many days of the analysis a risk in this band must be treated or accepted;
    /// `None` when there is no deadline.
    pub treat_within_days: Option<u32>,
    /// Who is to be informed when a risk in the band is accepted (free text roles).
    pub inform: Vec<String>,
}

/// A band of the risk matrix.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskBand {
    /// Stable key ("lag", "medel", "hog", "extrem").
    pub key: String,
    /// Name ("Hög").
    pub name: String,
    /// Colour as `#rrggbb`.
    pub color: String,
    /// Lowest risk value in the band (inclusive).
    pub min_value: u32,
    /// Highest risk value in the band (inclusive).
    pub max_value: u32,
    /// The band's acceptance rules.
    pub acceptance: AcceptanceRule,
}

impl RiskBand {
    /// The band's values in words: "8–12", or "16" when it holds one value only.
    pub fn values(&self) -> String {
        if self.min_value == self.max_value {
            self.min_value.to_string()
        } else {
            format!("{}–{}", self.min_value, self.max_value)
        }
    }
}

/// A cell of the matrix placed in a band other than its value says, e.g. to weight a high
/// consequence with low probability into a higher band.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellOverride {
    /// Probability value.
    pub probability: u8,
    /// Consequence value.
    pub consequence: u8,
    /// The band key the cell belongs to.
    pub band: String,
}

/// The risk matrix: probability × consequence, banded.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskMatrix {
    /// Sannolikhet, values 1..=n.
    pub probability: Vec<ScaleLevel>,
    /// Konsekvens, values 1..=m.
    pub consequence: Vec<ScaleLevel>,
    /// Bands in rising severity; together they cover every value 1..=n·m.
    pub bands: Vec<RiskBand>,
    /// Cells placed in another band than their value gives.
    pub cell_overrides: Vec<CellOverride>,
}

impl RiskMatrix {
    /// The index of the band a cell lies in: an override for the cell if there is one, else
    /// the band whose value range holds probability × consequence. `None` outside the scales.
    pub fn band_index(&self, probability: u8, consequence: u8) -> Option<usize> {
        let on_scale = |levels: &[ScaleLevel], v: u8| levels.iter().any(|l| l.value == v);
        if !on_scale(&self.probability, probability) || !on_scale(&self.consequence, consequence) {
            return None;
        }
        if let Some(o) =
            self.cell_overrides.iter().find(|o| o.probability == probability && o.consequence == consequence)
        {
            return self.bands.iter().position(|b| b.key == o.band);
        }
        let value = probability as u32 * consequence as u32;
        self.bands.iter().position(|b| (b.min_value..=b.max_value).contains(&value))
    }
}

/// A whole method.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Method {
    /// A name for this method ("KLASSA/MSB standard").
    pub name: String,
    /// Whether spårbarhet (S) is assessed.
    pub traceability_enabled: bool,
    /// One scale per aspect K, R, T, S.
    pub classification_scales: Vec<ClassificationScale>,
    /// The rows of the classification matrix.
    pub consequence_areas: Vec<ConsequenceArea>,
    /// The risk matrix.
    pub risk_matrix: RiskMatrix,
}

impl Default for Method {
    fn default() -> Self {
        Method::default_klassa()
    }
}

impl crate::column::SqlKind for Vec<Aspect> {
    const KIND: crate::column::ColKind = crate::column::ColKind::Json;
}

impl crate::column::SqlKind for Method {
    const KIND: crate::column::ColKind = crate::column::ColKind::Json;
}

fn level(value: u8, name: &str, color: &str, description: &str) -> ScaleLevel {
    ScaleLevel { value, name: name.into(), color: color.into(), description: description.into() }
}

impl Method {
    /// Whether `level` on `aspect`'s scale is at or above the level where the requirement
    /// catalogues stop and a special analysis is needed ("särskild analys krävs").
    pub fn needs_special_analysis(&self, aspect: Aspect, level: u8) -> bool {
        self.scale(aspect).and_then(|s| s.special_analysis_from).is_some_and(|from| level >= from)
    }

    /// The aspects assessed under this method (S only when switched on).
    pub fn aspects(&self) -> Vec<Aspect> {
        Aspect::ALL.iter().copied().filter(|a| *a != Aspect::S || self.traceability_enabled).collect()
    }

    /// The scale of an aspect.
    pub fn scale(&self, aspect: Aspect) -> Option<&ClassificationScale> {
        self.classification_scales.iter().find(|s| s.aspect == aspect)
    }

    /// True when `aspect`'s scale is the same in `self` and `other`, so that stored levels
    /// mean the same thing under both.
    pub fn same_classification_scale(&self, other: &Method, aspect: Aspect) -> bool {
        match (self.scale(aspect), other.scale(aspect)) {
            (Some(a), Some(b)) => {
                a.special_analysis_from == b.special_analysis_from
                    && a.levels.len() == b.levels.len()
                    && a.levels.iter().zip(&b.levels).all(|(x, y)| x.value == y.value && x.name == y.name)
            }
            _ => false,
        }
    }

    /// True when the risk scales and bands are the same in `self` and `other`.
    pub fn same_risk_scale(&self, other: &Method) -> bool {
        let (a, b) = (&self.risk_matrix, &other.risk_matrix);
        let names = |l: &[ScaleLevel]| l.iter().map(|x| (x.value, x.name.clone())).collect::<Vec<_>>();
        names(&a.probability) == names(&b.probability)
            && names(&a.consequence) == names(&b.consequence)
            && a.bands
                .iter()
                .map(|x| (&x.key, x.min_value, x.max_value))
                .eq(b.bands.iter().map(|x| (&x.key, x.min_value, x.max_value)))
            && a.cell_overrides == b.cell_overrides
    }

    /// Checks that a level is on the aspect's scale.
    pub fn check_level(&self, aspect: Aspect, value: u8) -> Result<(), Invalid> {
        let scale =
            self.scale(aspect).ok_or_else(|| Invalid::new(aspect.label(), "aspekten saknar skala i metoden"))?;
        if scale.levels.iter().any(|l| l.value == value) {
            Ok(())
        } else {
            Err(Invalid::new(
                aspect.label(),
                format!("nivå {value} finns inte på skalan (0–{})", scale.levels.len().saturating_sub(1)),
            ))
        }
    }

    /// Checks that probability and consequence are on the risk scales.
    pub fn check_risk_cell(&self, probability: u8, consequence: u8) -> Result<(), Invalid> {
        let m = &self.risk_matrix;
        if !m.probability.iter().any(|l| l.value == probability) {
            return Err(Invalid::new(
                "sannolikhet",
                format!("värdet {probability} finns inte på skalan 1–{}", m.probability.len()),
            ));
        }
        if !m.consequence.iter().any(|l| l.value == consequence) {
            return Err(Invalid::new(
                "konsekvens",
                format!("värdet {consequence} finns inte på skalan 1–{}", m.consequence.len()),
            ));
        }
        Ok(())
    }

    /// Checks that the method is usable: scales of 3–6 contiguous levels, descriptions for
    /// every area × level, bands covering every reachable value exactly once.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("metoden behöver ett namn".into());
        }
        for aspect in Aspect::ALL {
            let scale = self.scale(*aspect).ok_or_else(|| format!("skala saknas för {}", aspect.label()))?;
            if !(3..=6).contains(&scale.levels.len()) {
                return Err(format!("skalan för {} har {} nivåer; 3–6 krävs", aspect.label(), scale.levels.len()));
            }
            for (i, l) in scale.levels.iter().enumerate() {
                if l.value as usize != i {
                    return Err(format!("skalan för {} måste ha värdena 0, 1, 2 … i ordning", aspect.label()));
                }
                if l.name.trim().is_empty() {
                    return Err(format!("nivå {} för {} saknar namn", l.value, aspect.label()));
                }
            }
            if let Some(s) = scale.special_analysis_from
                && s as usize >= scale.levels.len()
            {
                return Err(format!("gränsen för särskild analys ({s}) ligger utanför skalan för {}", aspect.label()));
            }
        }
        if self.classification_scales.len() != Aspect::ALL.len() {
            return Err("varje aspekt ska ha exakt en skala".into());
        }
        let longest = self.classification_scales.iter().map(|s| s.levels.len()).max().unwrap_or(0);
        if self.consequence_areas.is_empty() {
            return Err("minst ett konsekvensområde krävs".into());
        }
        for area in &self.consequence_areas {
            if area.descriptions.len() != longest {
                return Err(format!(
                    "konsekvensområdet {} har {} beskrivningar men skalorna har {} nivåer",
                    area.name,
                    area.descriptions.len(),
                    longest
                ));
            }
        }
        let m = &self.risk_matrix;
        for (label, scale) in [("sannolikhet", &m.probability), ("konsekvens", &m.consequence)] {
            if !(3..=6).contains(&scale.len()) {
                return Err(format!("skalan för {label} har {} steg; 3–6 krävs", scale.len()));
            }
            if scale.iter().enumerate().any(|(i, l)| l.value as usize != i + 1) {
                return Err(format!("skalan för {label} måste ha värdena 1, 2, 3 … i ordning"));
            }
        }
        let max = (m.probability.len() * m.consequence.len()) as u32;
        let mut expected = 1;
        for band in &m.bands {
            if band.min_value != expected || band.max_value < band.min_value {
                return Err(format!(
                    "riskbanden måste täcka värdena 1–{max} i följd utan luckor (bandet {} börjar på {} men {} väntades)",
                    band.name, band.min_value, expected
                ));
            }
            expected = band.max_value + 1;
        }
        if expected != max + 1 {
            return Err(format!("riskbanden måste täcka värdena 1–{max}; de slutar på {}", expected - 1));
        }
        for o in &m.cell_overrides {
            self.check_risk_cell(o.probability, o.consequence).map_err(|e| e.to_string())?;
            if !m.bands.iter().any(|b| b.key == o.band) {
                return Err(format!(
                    "cellen {}×{} pekar på ett band som inte finns: {}",
                    o.probability, o.consequence, o.band
                ));
            }
        }
        Ok(())
    }

    /// The default method of `docs/DOMAIN.md`: KLASSA/MSB levels 0–4 for K, R, T and S, seven
    /// consequence areas, a 4×4 risk matrix with the bands Låg, Medelhög, Hög, Extremt hög.
    pub fn default_klassa() -> Method {
        Method {
            name: "KLASSA/MSB standard".into(),
            traceability_enabled: true,
            classification_scales: klassa_scales(),
            consequence_areas: klassa_areas(),
            risk_matrix: klassa_matrix(),
        }
    }
}

/// KLASSA/MSB's levels 0–4, the same for every aspect, with special analysis from 4.
fn klassa_scales() -> Vec<ClassificationScale> {
    let levels = || {
        vec![
            level(0, "Ingen eller försumbar skada", "#e8f5e9", "Ingen eller obetydlig påverkan."),
            level(
                1,
                "Måttlig skada",
                "#fff9c4",
                "Begränsad påverkan som verksamheten hanterar inom ordinarie rutiner.",
            ),
            level(2, "Betydande skada", "#ffe0b2", "Märkbar påverkan som kräver särskilda åtgärder att hantera."),
            level(3, "Allvarlig skada", "#ffcdd2", "Allvarlig påverkan på individer, verksamhet eller ekonomi."),
            level(
                4,
                "Synnerligen allvarlig skada",
                "#b71c1c",
                "Synnerligen allvarlig påverkan, t.ex. på rikets säkerhet eller liv och hälsa i stor skala.",
            ),
        ]
    };

    Aspect::ALL
        .iter()
        .map(|a| ClassificationScale { aspect: *a, levels: levels(), special_analysis_from: Some(4) })
        .collect()
}

/// The seven consequence areas, with what each level means in each.
fn klassa_areas() -> Vec<ConsequenceArea> {
    let area = |key: &str, name: &str, d: [&str; 5]| ConsequenceArea {
        key: key.into(),
        name: name.into(),
        descriptions: d.iter().map(|s| s.to_string()).collect(),
    };
    let areas = vec![
        area(
            "individ",
            "Individ och personlig integritet",
            [
                "Ingen eller obetydlig påverkan på enskilda.",
                "Enstaka personer upplever obehag eller mindre kränkning av integriteten.",
                "Flera personer drabbas av integritetsintrång eller ekonomisk skada som går att reparera.",
                "Allvarligt integritetsintrång, t.ex. röjda känsliga personuppgifter eller skyddade personuppgifter.",
                "Synnerligen allvarlig skada för många individer, som röjd skyddad identitet i stor omfattning.",
            ],
        ),
        area(
            "liv_halsa",
            "Liv och hälsa",
            [
                "Ingen påverkan på liv eller hälsa.",
                "Lindrig, övergående påverkan på enskildas hälsa.",
                "Påverkan på hälsa som kräver vård eller insatser.",
                "Allvarlig skada på liv eller hälsa för enskilda.",
                "Dödsfall eller allvarlig skada på hälsa för många människor.",
            ],
        ),
        area(
            "ekonomi",
            "Ekonomi",
            [
                "Ingen eller försumbar ekonomisk påverkan.",
                "Kostnader som ryms inom enhetens budget.",
                "Kostnader som kräver omprioriteringar inom förvaltningens budget.",
                "Kostnader som påverkar kommunens samlade ekonomi.",
                "Ekonomisk skada som hotar kommunens förmåga att fullgöra sina åtaganden.",
            ],
        ),
        area(
            "verksamhet",
            "Verksamhetens förmåga",
            [
                "Ingen märkbar påverkan på verksamheten.",
                "Kortare störningar som hanteras med reservrutiner.",
                "Verksamheten kan inte utföra delar av sitt uppdrag under en längre tid.",
                "Verksamheten kan inte utföra centrala delar av sitt uppdrag.",
                "Samhällsviktig verksamhet upphör helt.",
            ],
        ),
        area(
            "fortroende",
            "Förtroende",
            [
                "Ingen påverkan på förtroendet för kommunen.",
                "Enstaka klagomål eller negativ uppmärksamhet lokalt.",
                "Negativ uppmärksamhet i media som skadar förtroendet.",
                "Allvarlig förtroendeskada i regional eller nationell media.",
                "Bestående förtroendeskada för kommunen som helhet.",
            ],
        ),
        area(
            "lagefterlevnad",
            "Lagefterlevnad",
            [
                "Inga överträdelser av lag eller avtal.",
                "Mindre avvikelse från interna regler eller avtal.",
                "Överträdelse av lag som kan leda till anmärkning eller vite.",
                "Allvarlig överträdelse, t.ex. sanktionsavgift enligt dataskyddsförordningen.",
                "Brott mot lag som skyddar rikets säkerhet eller synnerligen allvarlig överträdelse.",
            ],
        ),
        area(
            "samhalle_miljo",
            "Samhälle och miljö",
            [
                "Ingen påverkan på samhälle eller miljö.",
                "Begränsad lokal påverkan under kort tid.",
                "Påverkan på samhällsfunktioner eller miljö i delar av kommunen.",
                "Omfattande påverkan på samhällsviktiga funktioner eller miljön.",
                "Synnerligen allvarlig påverkan på samhället, t.ex. långvarigt avbrott i vattenförsörjning.",
            ],
        ),
    ];
    areas
}

/// The 4×4 risk matrix with the bands Låg, Medelhög, Hög and Extremt hög and who may accept
/// each.
fn klassa_matrix() -> RiskMatrix {
    let rule = |lowest: Mandate, days: Option<u32>, inform: &[&str]| AcceptanceRule {
        lowest_mandate: lowest,
        treat_within_days: days,
        inform: inform.iter().map(|s| s.to_string()).collect(),
    };
    let band = |key: &str, name: &str, color: &str, min: u32, max: u32, acceptance: AcceptanceRule| RiskBand {
        key: key.into(),
        name: name.into(),
        color: color.into(),
        min_value: min,
        max_value: max,
        acceptance,
    };
    RiskMatrix {
        probability: vec![
            level(1, "Mycket liten", "#e8f5e9", "Inträffar sällan, mer sällan än vart tionde år."),
            level(2, "Liten", "#fff9c4", "Kan inträffa någon gång under en tioårsperiod."),
            level(3, "Stor", "#ffe0b2", "Inträffar någon gång per år."),
            level(4, "Mycket stor", "#ffcdd2", "Inträffar flera gånger per år."),
        ],
        consequence: vec![
            level(1, "Försumbar", "#e8f5e9", "Ingen eller obetydlig skada."),
            level(2, "Måttlig", "#fff9c4", "Skada som hanteras inom ordinarie rutiner."),
            level(3, "Betydande", "#ffe0b2", "Skada som kräver särskilda insatser."),
            level(4, "Allvarlig", "#ffcdd2", "Allvarlig skada för individer, verksamhet eller kommunen."),
        ],
        bands: vec![
            band("lag", "Låg", "#4caf50", 1, 2, rule(Mandate::Riskagare, None, &[])),
            band(
                "medel",
                "Medelhög",
                "#ffeb3b",
                3,
                7,
                rule(Mandate::Systemagare, Some(365), &["Informationssäkerhetssamordnare"]),
            ),
            band(
                "hog",
                "Hög",
                "#ff9800",
                8,
                15,
                rule(Mandate::Forvaltningschef, Some(90), &["Systemägare", "Informationssäkerhetsansvarig"]),
            ),
            band(
                "extrem",
                "Extremt hög",
                "#f44336",
                16,
                16,
                rule(Mandate::Namnd, Some(30), &["Förvaltningschef", "Informationssäkerhetsansvarig", "Nämnd"]),
            ),
        ],
        cell_overrides: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_method_is_valid() {
        Method::default_klassa().validate().unwrap();
    }

    #[test]
    fn a_band_of_one_value_names_it_once() {
        let bands = Method::default_klassa().risk_matrix.bands;
        let words: Vec<String> = bands.iter().map(RiskBand::values).collect();
        assert_eq!(words, ["1–2", "3–7", "8–15", "16"]);
    }

    #[test]
    fn bands_with_a_gap_are_refused() {
        let mut m = Method::default_klassa();
        m.risk_matrix.bands[1].min_value = 4;
        let e = m.validate().unwrap_err();
        assert!(e.contains("utan luckor"), "{e}");
    }

    #[test]
    fn a_scale_with_two_levels_is_refused() {
        let mut m = Method::default_klassa();
        m.classification_scales[0].levels.truncate(2);
        m.classification_scales[0].special_analysis_from = None;
        assert!(m.validate().unwrap_err().contains("3–6"));
    }

    #[test]
    fn renaming_a_level_changes_the_scale_but_not_other_aspects() {
        let a = Method::default_klassa();
        let mut b = a.clone();
        b.classification_scales[0].levels[1].name = "Intern".into();
        assert!(!a.same_classification_scale(&b, Aspect::K));
        assert!(a.same_classification_scale(&b, Aspect::R));
        assert!(a.same_risk_scale(&b));
    }

    #[test]
    fn aspects_follow_the_traceability_switch() {
        let mut m = Method::default_klassa();
        assert_eq!(m.aspects().len(), 4);
        m.traceability_enabled = false;
        assert_eq!(m.aspects(), vec![Aspect::K, Aspect::R, Aspect::T]);
    }
}
