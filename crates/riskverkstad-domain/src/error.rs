//! The domain's one error: a failed validation, in Swedish, naming the field.

/// A failed validation: which field, and why, in Swedish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The field or concept concerned, in Swedish as people call it.
    pub field: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl Invalid {
    /// A validation failure for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Invalid {
        Invalid { field: field.into(), message: message.into() }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for Invalid {}
