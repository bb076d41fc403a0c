//! Declarative helpers that keep one definition per concept: a record's struct, its table and
//! its columns come from one `record!` invocation; a stored enum's key, Swedish label and SQL
//! kind come from one `text_enum!` invocation.

/// Defines an enum stored as text. Each variant has a stable key (what the database, the
/// JSON output and bundles hold) and a Swedish label (what people read).
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$m:meta])*
        pub enum $name:ident {
            $( $(#[$vm:meta])* $var:ident = $key:literal / $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name {
            $( $(#[$vm])* #[serde(rename = $key)] $var ),+
        }

        impl $name {
            /// Every variant, in the order people see them.
            pub const ALL: &'static [$name] = &[ $( $name::$var ),+ ];

            /// The stable key stored in the database and written in JSON.
            pub fn key(self) -> &'static str {
                match self { $( $name::$var => $key ),+ }
            }

            /// The Swedish label shown to people.
            pub fn label(self) -> &'static str {
                match self { $( $name::$var => $label ),+ }
            }

            /// Parses a stable key or (case-insensitively) a Swedish label.
            pub fn parse(text: &str) -> Option<$name> {
                let t = text.trim();
                $( if t == $key || t.eq_ignore_ascii_case($key) || t.to_lowercase() == $label.to_lowercase() { return Some($name::$var); } )+
                None
            }
        }

        impl Default for $name {
            /// The first variant.
            fn default() -> Self {
                $name::ALL[0]
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl $crate::column::SqlKind for $name {
            const KIND: $crate::column::ColKind = $crate::column::ColKind::Text;
        }
    };
}

/// Defines a stored record: the struct with the common record fields (id, origin, revision,
/// created/updated timestamps) followed by its own fields, and its [`crate::record::Record`]
/// implementation with the table name and the column list derived from the fields.
macro_rules! record {
    (
        $(#[$m:meta])*
        pub struct $name:ident ($id:ident) in $table:literal, $label:literal $(, owned by [$($owner:ident),+])? {
            $( $(#[$fm:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub struct $name {
            /// The record's id (UUID v7, time-ordered).
            pub id: $id,
            /// The installation (department) where the record was created.
            pub origin: $crate::ids::InstallationId,
            /// Incremented on every change; 1 when created.
            #[cfg_attr(feature = "ts", ts(type = "number"))]
            pub revision: i64,
            /// When the record was created (UTC).
            pub created_at: $crate::ids::Timestamp,
            /// When the record was last changed (UTC).
            pub updated_at: $crate::ids::Timestamp,
            $( $(#[$fm])* pub $field: $ty ),*
        }

        impl $crate::record::Record for $name {
            type Id = $id;
            const TABLE: &'static str = $table;
            const LABEL: &'static str = $label;
            const COLUMNS: &'static [(&'static str, $crate::column::ColKind)] = &[
                $( (stringify!($field), <$ty as $crate::column::SqlKind>::KIND) ),*
            ];
            const OWNED_BY: &'static [&'static str] = &[$($(stringify!($owner)),+)?];
            fn id(&self) -> $id { self.id }
            fn set_meta(&mut self, id: $id, origin: $crate::ids::InstallationId, revision: i64,
                        created_at: $crate::ids::Timestamp, updated_at: $crate::ids::Timestamp) {
                self.id = id;
                self.origin = origin;
                self.revision = revision;
                self.created_at = created_at;
                self.updated_at = updated_at;
            }
            fn revision(&self) -> i64 { self.revision }
            fn created_at(&self) -> $crate::ids::Timestamp { self.created_at }
            fn origin(&self) -> $crate::ids::InstallationId { self.origin }
            fn updated_at(&self) -> $crate::ids::Timestamp { self.updated_at }
        }
    };
}
