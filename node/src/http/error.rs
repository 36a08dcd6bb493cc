//! The HTTP edge's error: a status and `{"error": {"code", "message", "field"?}}`. Internal
//! failures are logged and answered with a generic 500/503 that reveals nothing inside.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caremesh_federation::Check;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ServiceError;
use crate::federation::inbox::Refusal;
use crate::health::HealthError;
use crate::health::prefixes::RouteError;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
}

impl ApiError {
    /// A 400 about one field.
    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid",
            message: message.into(),
            field: Some(field),
        }
    }

    /// Any status with a code.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// 401 for a missing or unknown token.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
}

/// The JSON body of every error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable word: `invalid`, `invalid_json`, `unauthorized`, `forbidden`, `not_found`,
    /// `conflict`, a federation check name, ...
    pub code: &'static str,
    /// For people.
    pub message: String,
    /// The field or parameter at fault, for bad input.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub field: Option<&'static str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid { field, problem } => {
                Self::field(field, format!("`{field}` {problem}"))
            }
            ServiceError::Forbidden { reason } => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", reason)
            }
            e @ ServiceError::NotFound { .. } => {
                Self::new(StatusCode::NOT_FOUND, "not_found", e.to_string())
            }
            ServiceError::Conflict { problem } => {
                Self::new(StatusCode::CONFLICT, "conflict", problem)
            }
            e @ (ServiceError::Store(_) | ServiceError::Corrupt { .. }) => {
                tracing::error!(error = %e, "internal error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; see the node's log",
                )
            }
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        let status = match r.check {
            Check::BodySize => StatusCode::PAYLOAD_TOO_LARGE,
            Check::Header | Check::Clock | Check::Signature | Check::UnknownKey => {
                StatusCode::UNAUTHORIZED
            }
            Check::PeerPolicy => StatusCode::FORBIDDEN,
            Check::Replay => StatusCode::CONFLICT,
            Check::RateLimit => StatusCode::TOO_MANY_REQUESTS,
            Check::Decode | Check::Schema | Check::Ownership | Check::VersionOrder => {
                StatusCode::BAD_REQUEST
            }
            Check::Storage => StatusCode::SERVICE_UNAVAILABLE,
            Check::Open | Check::Facility | Check::Deposit | Check::Ask => StatusCode::BAD_REQUEST,
            Check::UnknownHealthId => StatusCode::NOT_FOUND,
        };
        tracing::warn!(check = %r.check, message = %r.message, "push refused");
        Self {
            status,
            code: r.check.as_str(),
            message: r.message,
            field: None,
        }
    }
}

impl From<HealthError> for ApiError {
    fn from(e: HealthError) -> Self {
        let message = e.to_string();
        match e {
            HealthError::Service(e) => e.into(),
            HealthError::NoConsent { .. } => {
                Self::new(StatusCode::FORBIDDEN, "no_consent", message)
            }
            HealthError::UnsupportedType { .. } => Self {
                field: Some("Content-Type"),
                ..Self::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    message,
                )
            },
            HealthError::TooLarge { .. } => {
                Self::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
            }
            HealthError::Route(RouteError::Mismatch { .. }) => {
                Self::new(StatusCode::CONFLICT, "prefix_mismatch", message)
            }
            HealthError::Route(
                RouteError::UnknownPrefix { .. } | RouteError::UnknownHost { .. },
            ) => Self::new(StatusCode::NOT_FOUND, "unknown_prefix", message),
            HealthError::Unreachable { .. } => {
                tracing::warn!(error = %message, "home node unreachable");
                Self::new(StatusCode::BAD_GATEWAY, "home_unreachable", message)
            }
        }
    }
}

/// A handler result.
pub type ApiResult<T> = Result<T, ApiError>;

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        ServiceError::from(e).into()
    }
}
