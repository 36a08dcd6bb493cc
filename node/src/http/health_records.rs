//! `/api/v1/health-ids/{HID}/records`: uploads by staff (raw bytes with their
//! `Content-Type`, up to 20 MiB), the list, the content (streamed range by range), and
//! erasure of a record. Every handler parses and calls [`Health`]; the rules are there.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use caremesh_federation::health_seal::MAX_RECORD_BYTES;
use caremesh_federation::object::{RecordFacility, RecordItem};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{Caller, Params};
use super::health_ids::HidPath;
use super::openapi::schemas::Binary;
use crate::health::reads::Content;
use crate::health::record::RecordType;
use crate::health::uploads::{Upload, UploadStatus, Uploaded};
use crate::health::{Health, HealthError};
use crate::services::Services;

/// The most an upload body may hold: 20 MiB of bytes as base64 inside a FHIR
/// DocumentReference, with room for the JSON around them.
const MAX_BODY: usize = (MAX_RECORD_BYTES as usize / 3 + 1) * 4 + 64 * 1024;
/// Oversized bodies up to this are read (and dropped) before the 413, so a client that
/// sends its whole body before reading gets the answer, not a broken pipe.
const DRAIN: usize = 64 << 20;

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(list_records, upload))
        .routes(routes!(erase_record))
        .routes(routes!(read_content))
}

/// The query of an upload; read parameter by parameter so that errors name the parameter;
/// this type only describes it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct UploadQuery {
    /// Needed unless the body is a FHIR DocumentReference that states it.
    #[param(schema_with = record_type)]
    r#type: Option<String>,
    /// 1 to 200 characters; needed unless the body is a FHIR DocumentReference that states it.
    #[param(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    title: Option<String>,
    /// The report's date, `YYYY-MM-DD` (or RFC 3339: its date is taken); needed unless the
    /// body is a FHIR DocumentReference that states it.
    #[param(format = Date)]
    date: Option<String>,
}

/// A record type, as the API names it.
pub(super) fn record_type() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(RecordType::ALL.map(RecordType::as_str)))
        .description(Some("the kind of report"))
        .build()
}

/// The record id in the path, after the health ID.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct RecordPath {
    /// The record's id (a ULID).
    id: String,
}

/// The facility that uploaded a record, and its node.
#[derive(Serialize, ToSchema)]
struct FacilityView {
    id: String,
    name: String,
    /// The node's origin.
    node: String,
}

/// A record as listed.
#[derive(Serialize, ToSchema)]
struct RecordView {
    id: String,
    #[serde(rename = "type")]
    #[schema(schema_with = record_type)]
    record_type: String,
    title: String,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    date: String,
    facility: FacilityView,
    content_type: String,
    size: u64,
    /// Hex SHA-256 of the bytes.
    sha256: String,
    #[schema(format = DateTime)]
    uploaded_at: String,
}

/// A health ID's records, newest first.
#[derive(Serialize, ToSchema)]
struct RecordList {
    records: Vec<RecordView>,
}

/// The body, if at most [`MAX_BODY`] bytes; its size otherwise.
async fn read_capped(body: Body) -> Result<Vec<u8>, ApiError> {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "body",
                format!("cannot read body: {e}"),
            )
        })?;
        seen += chunk.len();
        if seen <= MAX_BODY {
            kept.extend_from_slice(&chunk);
        } else if seen > DRAIN {
            break;
        }
    }
    if seen > MAX_BODY {
        return Err(HealthError::TooLarge { size: seen as u64 }.into());
    }
    Ok(kept)
}

/// Uploads a record for a health ID here or on any node: the raw bytes with their
/// `Content-Type` (PDF, JPEG, PNG, text or a FHIR DocumentReference), up to 20 MiB; 201 when
/// stored here (the home node), 202 when on its way home (staff).
#[utoipa::path(post, path = "/api/v1/health-ids/{hid}/records", tag = "health",
    params(HidPath, UploadQuery),
    request_body(content(
        (Binary = "application/pdf"), (Binary = "image/jpeg"), (Binary = "image/png"),
        (String = "text/plain"), (Object = "application/fhir+json"))),
    security(("bearer" = [])),
    responses((status = CREATED, body = Uploaded, description = "stored here, the home node"),
        (status = ACCEPTED, body = Uploaded, description = "sealed and on its way home"),
        (status = BAD_REQUEST, body = ErrorBody), (status = NOT_FOUND, body = ErrorBody),
        (status = PAYLOAD_TOO_LARGE, body = ErrorBody),
        (status = UNSUPPORTED_MEDIA_TYPE, body = ErrorBody)))]
async fn upload(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
    params: Params,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<Uploaded>)> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(size) = declared.filter(|n| *n > DRAIN as u64) {
        return Err(HealthError::TooLarge { size }.into());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let upload = Upload {
        record_type: params.text("type")?.map(str::to_owned),
        title: params.text("title")?.map(str::to_owned),
        date: params.text("date")?.map(str::to_owned),
        content_type,
        bytes: read_capped(body).await?,
    };
    let uploaded = health.upload(&member, &hid, upload).await?;
    let status = match uploaded.status {
        UploadStatus::Stored => StatusCode::CREATED,
        UploadStatus::Sending => StatusCode::ACCEPTED,
    };
    Ok((status, Json(uploaded)))
}

impl FacilityView {
    fn of(facility: &RecordFacility) -> Self {
        Self {
            id: facility.id.clone(),
            name: facility.name.clone(),
            node: facility.node.clone(),
        }
    }
}

impl RecordView {
    fn of(record: &RecordItem) -> Self {
        Self {
            id: record.id.clone(),
            record_type: record.record_type.clone(),
            title: record.title.clone(),
            date: record.date.clone(),
            facility: FacilityView::of(&record.facility),
            content_type: record.content_type.clone(),
            size: record.size,
            sha256: record.sha256.clone(),
            uploaded_at: super::time::format(record.uploaded_at),
        }
    }
}

/// A health ID's records: for the holder and guardians here, for staff under a live grant
/// (from any node: their node fetches the list from the home node).
#[utoipa::path(get, path = "/api/v1/health-ids/{hid}/records", tag = "health", params(HidPath),
    security(("bearer" = [])),
    responses((status = OK, body = RecordList), (status = BAD_REQUEST, body = ErrorBody),
        (status = FORBIDDEN, body = ErrorBody, description = "`no_consent`: no live grant covers this"),
        (status = NOT_FOUND, body = ErrorBody)))]
async fn list_records(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
) -> ApiResult<Json<RecordList>> {
    let records = health.list_records(&member, &hid).await?;
    let records = records.iter().map(RecordView::of).collect();
    Ok(Json(RecordList { records }))
}

/// A record's bytes, with its content type (as for the list).
#[utoipa::path(get, path = "/api/v1/health-ids/{hid}/records/{id}/content", tag = "health",
    params(HidPath, RecordPath), security(("bearer" = [])),
    responses((status = OK, description = "the bytes, with the record's own `Content-Type`",
            content((Binary = "application/pdf"), (Binary = "image/jpeg"), (Binary = "image/png"),
                (String = "text/plain"), (Object = "application/fhir+json"))),
        (status = BAD_REQUEST, body = ErrorBody),
        (status = FORBIDDEN, body = ErrorBody, description = "`no_consent`: no live grant covers this"),
        (status = NOT_FOUND, body = ErrorBody)))]
async fn read_content(
    State(health): State<Health>,
    Caller(member): Caller,
    Path((hid, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let content = health.read_content(&member, &hid, &id).await?;
    let (content_type, size) = (content.content_type.clone(), content.size);
    let pieces = futures::stream::unfold(Some(content), |state: Option<Content>| async move {
        let mut content = state?;
        match content.next().await {
            Ok(Some(bytes)) => Some((Ok(bytes), Some(content))),
            Ok(None) => None,
            Err(e) => {
                // The status is sent; a refusal mid-way (a revoked grant) ends the stream.
                tracing::warn!(error = %e, "record download ended early");
                Some((Err(std::io::Error::other("read ended")), None))
            }
        }
    });
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_LENGTH, size.to_string()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    Ok((headers, Body::from_stream(pieces)).into_response())
}

/// Erases a record here and in every grant's reach (holder, guardian).
#[utoipa::path(delete, path = "/api/v1/health-ids/{hid}/records/{id}", tag = "health",
    params(HidPath, RecordPath), security(("bearer" = [])),
    responses((status = NO_CONTENT, description = "erased"), (status = BAD_REQUEST, body = ErrorBody),
        (status = NOT_FOUND, body = ErrorBody)))]
async fn erase_record(
    State(health): State<Health>,
    Caller(member): Caller,
    Path((hid, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    health.erase_record(&member, &hid, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
