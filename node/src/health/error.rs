//! Errors of the health service. Beyond the domain's usual refusals ([`ServiceError`]), a
//! health call can be refused for want of consent, for the shape of an upload, or because
//! the home node of a number cannot be found or reached. The HTTP edge maps each to its
//! status (`http/health_ids.rs`); the chat port shows the message.

use caremesh_federation::health_seal::MAX_RECORD_BYTES;

use super::prefixes::RouteError;
use super::vault::VaultError;
use crate::error::ServiceError;
use crate::store::StoreError;

/// Why a health call was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum HealthError {
    /// Bad input, wrong role, unknown id, conflict, or storage trouble.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// No live grant covers this read; `message` says which check failed.
    #[error("{message}")]
    NoConsent { message: String },
    /// An upload of a type this node does not keep.
    #[error(
        "content type `{content_type}` is not accepted: send application/pdf, image/jpeg, image/png, text/plain or application/fhir+json"
    )]
    UnsupportedType { content_type: String },
    /// An upload over the size limit.
    #[error(
        "the upload holds {size} bytes; records are limited to {MAX_RECORD_BYTES} bytes (20 MiB)"
    )]
    TooLarge { size: u64 },
    /// The number or address leads to no known node, or to two.
    #[error(transparent)]
    Route(#[from] RouteError),
    /// The home node could not be reached, or its answer could not be trusted.
    #[error("the health ID's home node cannot be reached now: {problem}")]
    Unreachable { problem: String },
}

impl HealthError {
    /// A refusal for want of consent.
    pub fn no_consent(message: impl Into<String>) -> Self {
        HealthError::NoConsent {
            message: message.into(),
        }
    }

    /// Something this node made or keeps could not be encoded or read (`id` names it); the
    /// edge hides `problem` behind a 500.
    pub fn corrupt(id: impl Into<String>, problem: impl std::fmt::Display) -> Self {
        HealthError::Service(ServiceError::Corrupt {
            id: id.into(),
            problem: problem.to_string(),
        })
    }

    /// The home node could not be reached.
    pub fn unreachable(problem: impl Into<String>) -> Self {
        HealthError::Unreachable {
            problem: problem.into(),
        }
    }
}

impl From<StoreError> for HealthError {
    fn from(e: StoreError) -> Self {
        HealthError::Service(e.into())
    }
}

impl From<VaultError> for HealthError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::NotFound { record_id } => {
                HealthError::Service(ServiceError::not_found("record", &record_id))
            }
            other => HealthError::Service(super::profile::vault_err(other)),
        }
    }
}

/// A result of the health service.
pub type HealthResult<T> = Result<T, HealthError>;
