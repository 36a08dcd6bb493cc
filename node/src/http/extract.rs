//! Extractors whose rejections use the API's error format: JSON bodies, query parameters,
//! and the calling member.

use std::collections::HashMap;

use axum::extract::{FromRef, FromRequest, FromRequestParts, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::ApiError;
use crate::members::{Member, Members, Role};

/// A JSON body; bad JSON gets a 400 that says where.
pub struct Body<T>(pub T);

/// A body's bytes, with the API's 413 when it is larger than the route allows.
pub struct RawBody(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::body::Bytes::from_request(req, state)
            .await
            .map(RawBody)
            .map_err(|e| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_size",
                    format!("cannot read body: {e}"),
                )
            })
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        let bad = |e: serde_json::Error| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("body is not the expected JSON: {e}"),
            )
        };
        let mut value: Value = serde_json::from_slice(&bytes).map_err(bad)?;
        whole_numbers(&mut value);
        serde_json::from_value(value).map(Body).map_err(bad)
    }
}

/// JSON does not tell `2` from `2.0`, but serde does: integral numbers written with a
/// fraction become integers, so that whole-number fields take them too. Beyond 2^53 a
/// float is not exact and stays what it is.
pub fn whole_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() <= 9_007_199_254_740_992.0
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
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

    /// A whole-number parameter from 0 to 2^63 − 1, if given (`5.0` is 5).
    pub fn u64(&self, name: &'static str) -> Result<Option<u64>, ApiError> {
        let Some(v) = self.0.get(name) else {
            return Ok(None);
        };
        let whole = v.parse::<u64>().ok().or_else(|| {
            v.parse::<f64>()
                .ok()
                .filter(|f| f.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(f))
                .map(|f| f as u64)
        });
        match whole {
            Some(n) if n <= i64::MAX as u64 => Ok(Some(n)),
            _ => Err(ApiError::field(
                name,
                format!("`{name}` must be a whole number from 0 to 2^63 − 1, got `{v}`"),
            )),
        }
    }

    /// A text parameter, if given; given empty, it is refused.
    pub fn text(&self, name: &'static str) -> Result<Option<&str>, ApiError> {
        match self.0.get(name).map(String::as_str) {
            Some("") => Err(ApiError::field(
                name,
                format!("`{name}` is empty: give a value or leave it out"),
            )),
            other => Ok(other),
        }
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

/// An optional JSON body: none, blanks or `null` give the default; anything else must be
/// the expected JSON (a 400 that says where otherwise).
pub struct OptionalBody<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        let trimmed = bytes.trim_ascii();
        if trimmed.is_empty() || trimmed == b"null" {
            return Ok(OptionalBody(T::default()));
        }
        let bad = |e: serde_json::Error| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("body is not the expected JSON: {e}"),
            )
        };
        let mut value: Value = serde_json::from_slice(trimmed).map_err(bad)?;
        whole_numbers(&mut value);
        serde_json::from_value(value).map(OptionalBody).map_err(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn numbers_are_numbers_however_written() {
        let mut v: Value =
            serde_json::from_str(r#"{"q": 5.0, "xs": [1.0, 2.5], "big": 1e300}"#).expect("JSON");
        whole_numbers(&mut v);
        assert_eq!(v["q"], serde_json::json!(5));
        assert_eq!(v["xs"], serde_json::json!([1, 2.5]));
        assert!(v["big"].is_f64(), "beyond 2^53 a float stays a float");
        let p = params(&[
            ("limit", "5.0"),
            ("after", "-1"),
            ("huge", "9223372036854775808"),
        ]);
        assert_eq!(p.u64("limit").expect("5.0"), Some(5));
        assert_eq!(p.u64("after").unwrap_err().field, Some("after"));
        assert_eq!(p.u64("huge").unwrap_err().field, Some("huge"));
    }

    #[test]
    fn an_empty_parameter_is_refused_not_ignored() {
        let p = params(&[("kind", ""), ("service", "x")]);
        assert_eq!(p.text("kind").unwrap_err().field, Some("kind"));
        assert_eq!(p.text("service").expect("given"), Some("x"));
        assert_eq!(p.text("absent").expect("absent"), None);
    }
}
