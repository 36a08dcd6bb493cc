//! `/api/v1/health-ids/{HID}/records`: uploads by staff (raw bytes with their
//! `Content-Type`, up to 20 MiB), the list, the content (streamed range by range), and
//! erasure of a record. Every handler parses and calls [`Health`]; the rules are there.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use caremesh_federation::health_seal::MAX_RECORD_BYTES;
use caremesh_federation::object::RecordItem;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Caller, Params};
use crate::health::reads::Content;
use crate::health::uploads::{Upload, UploadStatus};
use crate::health::{Health, HealthError};
use crate::services::Services;

/// The most an upload body may hold: 20 MiB of bytes as base64 inside a FHIR
/// DocumentReference, with room for the JSON around them.
const MAX_BODY: usize = (MAX_RECORD_BYTES as usize / 3 + 1) * 4 + 64 * 1024;
/// Oversized bodies up to this are read (and dropped) before the 413, so a client that
/// sends its whole body before reading gets the answer, not a broken pipe.
const DRAIN: usize = 64 << 20;

pub fn router() -> Router<Services> {
    Router::new()
        .route(
            "/api/v1/health-ids/{hid}/records",
            get(list_records).post(upload),
        )
        .route(
            "/api/v1/health-ids/{hid}/records/{id}",
            delete(erase_record),
        )
        .route(
            "/api/v1/health-ids/{hid}/records/{id}/content",
            get(read_content),
        )
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

async fn upload(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
    params: Params,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<Value>)> {
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
    Ok((status, Json(json!(uploaded))))
}

/// A record as listed, with its upload time in RFC 3339.
fn record_view(record: &RecordItem) -> Value {
    let mut view = json!(record);
    view["uploaded_at"] = json!(super::time::format(record.uploaded_at));
    view
}

async fn list_records(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
) -> ApiResult<Json<Value>> {
    let records = health.list_records(&member, &hid).await?;
    let views: Vec<Value> = records.iter().map(record_view).collect();
    Ok(Json(json!({ "records": views })))
}

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

async fn erase_record(
    State(health): State<Health>,
    Caller(member): Caller,
    Path((hid, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    health.erase_record(&member, &hid, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
