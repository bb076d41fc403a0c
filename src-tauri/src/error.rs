//! The error that crosses IPC: a short code the UI may branch on and a Swedish message.

use serde::Serialize;

/// An error as the UI receives it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct IpcError {
    /// Short, stable code ("invalid", "not_found", "no_database" …).
    pub code: String,
    /// What happened and what to do, in Swedish.
    pub message: String,
}

impl IpcError {
    pub fn new(code: &str, message: impl Into<String>) -> IpcError {
        IpcError { code: code.into(), message: message.into() }
    }
}

impl From<riskverkstad_core::Error> for IpcError {
    fn from(e: riskverkstad_core::Error) -> IpcError {
        IpcError { code: e.code().into(), message: e.to_string() }
    }
}

impl From<riskverkstad_report::ReportError> for IpcError {
    fn from(e: riskverkstad_report::ReportError) -> IpcError {
        match e {
            riskverkstad_report::ReportError::Core(e) => e.into(),
            other => IpcError { code: "report".into(), message: other.to_string() },
        }
    }
}
