//! How a record's fields are stored: each field type names its column kind, so that a record
//! kind's column list comes from its struct alone.

/// How a column is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    /// TEXT: strings, dates, ids, enum keys.
    Text,
    /// INTEGER.
    Int,
    /// INTEGER 0/1.
    Bool,
    /// TEXT holding JSON: lists and nested structures.
    Json,
}

/// The storage kind of a field type.
pub trait SqlKind {
    /// How the type is stored.
    const KIND: ColKind;
}

impl SqlKind for String {
    const KIND: ColKind = ColKind::Text;
}
impl SqlKind for chrono::NaiveDate {
    const KIND: ColKind = ColKind::Text;
}
impl SqlKind for bool {
    const KIND: ColKind = ColKind::Bool;
}
impl SqlKind for u8 {
    const KIND: ColKind = ColKind::Int;
}
impl SqlKind for u32 {
    const KIND: ColKind = ColKind::Int;
}
impl SqlKind for i64 {
    const KIND: ColKind = ColKind::Int;
}
impl<T: SqlKind> SqlKind for Option<T> {
    const KIND: ColKind = T::KIND;
}
impl SqlKind for Vec<String> {
    const KIND: ColKind = ColKind::Json;
}
