//! Errors of the domain services. The HTTP layer maps them to statuses.

use crate::store::StoreError;

/// Why a service refused or failed an operation.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Input that breaks a rule about one field.
    #[error("`{field}` {problem}")]
    Invalid {
        field: &'static str,
        problem: String,
    },
    /// The caller may not do this.
    #[error("{reason}")]
    Forbidden { reason: String },
    /// No such thing here.
    #[error("{what} `{id}` not found")]
    NotFound { what: &'static str, id: String },
    /// The state of things does not allow it (over-supply, already decided...).
    #[error("{problem}")]
    Conflict { problem: String },
    /// Storage failed; not the caller's fault.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored envelope could not be decoded; not the caller's fault.
    #[error("stored object `{id}` is unreadable: {problem}")]
    Corrupt { id: String, problem: String },
}

impl ServiceError {
    /// Shorthand for [`ServiceError::Invalid`].
    pub fn invalid(field: &'static str, problem: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            problem: problem.into(),
        }
    }

    /// Shorthand for [`ServiceError::NotFound`].
    pub fn not_found(what: &'static str, id: &str) -> Self {
        Self::NotFound {
            what,
            id: id.to_owned(),
        }
    }

    /// Shorthand for [`ServiceError::Forbidden`].
    pub fn forbidden(reason: impl Into<String>) -> Self {
        Self::Forbidden {
            reason: reason.into(),
        }
    }

    /// Shorthand for [`ServiceError::Conflict`].
    pub fn conflict(problem: impl Into<String>) -> Self {
        Self::Conflict {
            problem: problem.into(),
        }
    }
}
