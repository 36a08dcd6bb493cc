//! Extractors whose rejections use the API's error format: JSON bodies, query parameters,
//! and the calling member.

use std::collections::HashMap;

use axum::extract::{FromRef, FromRequest, FromRequestParts, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::members::{Member, Members, Role};

/// A JSON body; bad JSON gets a 400 that says where.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_size",
                    format!("cannot read body: {e}"),
                )
            })?;
        serde_json::from_slice(&bytes).map(Body).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("body is not the expected JSON: {e}"),
            )
        })
    }
}

/// Query parameters read one by one, so errors name the parameter.
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(map) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", e.body_text()))?;
        Ok(Params(map))
    }
}

impl Params {
    /// A number parameter, if given.
    pub fn f64(&self, name: &'static str) -> Result<Option<f64>, ApiError> {
        match self.0.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| {
                    ApiError::field(name, format!("`{name}` must be a number, got `{v}`"))
                }),
        }
    }

    /// A whole-number parameter, if given.
    pub fn u64(&self, name: &'static str) -> Result<Option<u64>, ApiError> {
        match self.0.get(name) {
            None => Ok(None),
            Some(v) => v.parse::<u64>().map(Some).map_err(|_| {
                ApiError::field(name, format!("`{name}` must be a whole number, got `{v}`"))
            }),
        }
    }

    /// A text parameter, if given and not empty.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// `lat` and `lon` together, or neither.
    pub fn point(&self) -> Result<Option<(f64, f64)>, ApiError> {
        match (self.f64("lat")?, self.f64("lon")?) {
            (Some(lat), Some(lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => {
                Ok(Some((lat, lon)))
            }
            (Some(_), Some(_)) => Err(ApiError::field(
                "lat",
                "`lat` must be within ±90 and `lon` within ±180",
            )),
            (None, None) => Ok(None),
            (Some(_), None) => Err(ApiError::field("lon", "`lon` is required with `lat`")),
            (None, Some(_)) => Err(ApiError::field("lat", "`lat` is required with `lon`")),
        }
    }
}

/// The member calling, from `Authorization: Bearer <token>`.
pub struct Caller(pub Member);

impl<S> FromRequestParts<S> for Caller
where
    Members: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| ApiError::unauthorized("missing `Authorization: Bearer <token>`"))?;
        let token = header
            .strip_prefix("Bearer ")
            .ok_or_else(|| ApiError::unauthorized("Authorization must be `Bearer <token>`"))?;
        match Members::from_ref(state).authenticate(token.trim())? {
            Some(member) => Ok(Caller(member)),
            None => Err(ApiError::unauthorized("unknown token")),
        }
    }
}

impl Caller {
    /// Refuses callers whose role is not listed.
    pub fn require(&self, roles: &[Role]) -> Result<&Member, ApiError> {
        if roles.contains(&self.0.role) {
            Ok(&self.0)
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("this needs the role {roles:?}; you are {:?}", self.0.role),
            ))
        }
    }
}
