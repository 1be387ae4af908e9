//! Why an output folder cannot be read back: shared by [`crate::readback`]
//! and [`crate::insurance::readback`] (which the former calls), so that
//! neither imports the other's module in both directions.

/// Why a folder cannot be read back; the message names the file and the fix.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ReadbackError {
    pub path: String,
    pub message: String,
}
