//! The checks of an upload (docs/health.md §4), in order: content type, size, the FHIR
//! DocumentReference unwrapped, type, title, date, and that the bytes are what the type
//! says. Also used on deposits arriving at home (`gate.rs`).

use caremesh_federation::health_seal::MAX_RECORD_BYTES;
use chrono::NaiveDate;

use super::Upload;
use crate::error::ServiceError;
use crate::health::error::{HealthError, HealthResult};
use crate::health::fhir::parse_document_reference;
use crate::health::record::{RecordType, RecordTypeCodes};

/// Content types a record may have.
pub const CONTENT_TYPES: [&str; 5] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "text/plain",
    "application/fhir+json",
];
pub(super) const FHIR_JSON: &str = "application/fhir+json";

/// A record's description, checked.
pub(super) struct Described {
    pub record_type: RecordType,
    pub title: String,
    pub date: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The media type without parameters, lowercase.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether the bytes start as the type says.
fn looks_like(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "text/plain" => std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0')),
        _ => false,
    }
}

fn check_size(size: usize) -> HealthResult<()> {
    if size == 0 {
        return Err(ServiceError::invalid("content", "is empty: send the report's bytes").into());
    }
    if size as u64 > MAX_RECORD_BYTES {
        return Err(HealthError::TooLarge { size: size as u64 });
    }
    Ok(())
}

/// A record date, `YYYY-MM-DD`, from `YYYY-MM-DD` or RFC 3339.
pub(crate) fn record_date(text: &str) -> Option<String> {
    let text = text.trim();
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            chrono::DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| t.date_naive())
        })?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// Checks a record title.
pub(crate) fn check_title(title: &str) -> Result<String, ServiceError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
        return Err(ServiceError::invalid(
            "title",
            "must be 1 to 200 characters",
        ));
    }
    Ok(title.to_owned())
}

/// Checks an upload in the order of docs/health.md §4 and unwraps a FHIR DocumentReference.
pub(super) fn describe(upload: Upload) -> HealthResult<Described> {
    let mut content_type = media_type(&upload.content_type);
    if !CONTENT_TYPES.contains(&content_type.as_str()) {
        return Err(HealthError::UnsupportedType { content_type });
    }
    check_size(upload.bytes.len())?;
    let (mut record_type, mut title, mut date) = (upload.record_type, upload.title, upload.date);
    let mut bytes = upload.bytes;
    if content_type == FHIR_JSON {
        let doc = parse_document_reference(&bytes)
            .map_err(|e| ServiceError::invalid("content", e.to_string()))?;
        content_type = media_type(&doc.content_type);
        if content_type == FHIR_JSON || !CONTENT_TYPES.contains(&content_type.as_str()) {
            return Err(HealthError::UnsupportedType { content_type });
        }
        record_type = record_type.or(doc.record_type.map(|t| t.as_str().to_owned()));
        title = title.or(doc.title);
        date = date.or(doc.date);
        bytes = doc.bytes;
        check_size(bytes.len())?;
    }
    let record_type = record_type
        .as_deref()
        .and_then(RecordType::parse)
        .ok_or_else(|| {
            ServiceError::invalid(
                "type",
                "must be lab_report, imaging, prescription, discharge_summary, vaccination or other",
            )
        })?;
    let title = check_title(title.as_deref().unwrap_or_default())?;
    let date = date
        .as_deref()
        .and_then(record_date)
        .ok_or_else(|| ServiceError::invalid("date", "must be a date, YYYY-MM-DD"))?;
    if !looks_like(&content_type, &bytes) {
        return Err(ServiceError::invalid(
            "Content-Type",
            format!("the bytes are not {content_type}"),
        )
        .into());
    }
    Ok(Described {
        record_type,
        title,
        date,
        content_type,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(content_type: &str, bytes: &[u8]) -> Upload {
        Upload {
            record_type: Some("lab_report".into()),
            title: Some("CBC".into()),
            date: Some("2026-11-02".into()),
            content_type: content_type.into(),
            bytes: bytes.to_vec(),
        }
    }

    fn field(result: HealthResult<Described>) -> String {
        match result.err() {
            Some(HealthError::Service(ServiceError::Invalid { field, .. })) => field.into(),
            Some(other) => format!("{other:?}"),
            None => "ok".into(),
        }
    }

    #[test]
    fn uploads_are_checked_in_order() {
        assert_eq!(
            field(describe(upload("text/plain; charset=utf-8", b"Hb 13"))),
            "ok"
        );
        assert_eq!(field(describe(upload("text/plain", b""))), "content");
        assert!(matches!(
            describe(upload("application/zip", b"PK")),
            Err(HealthError::UnsupportedType { .. })
        ));
        let big = vec![b'a'; MAX_RECORD_BYTES as usize + 1];
        assert!(matches!(
            describe(upload("text/plain", &big)),
            Err(HealthError::TooLarge { .. })
        ));
        assert_eq!(
            field(describe(upload("application/pdf", b"hello"))),
            "Content-Type"
        );
        assert_eq!(
            field(describe(upload("image/png", b"\x89PNG\r\n\x1a\n..."))),
            "ok"
        );
        let mut bad = upload("text/plain", b"x");
        bad.record_type = Some("x-ray".into());
        assert_eq!(field(describe(bad)), "type");
        let mut bad = upload("text/plain", b"x");
        bad.title = Some(" ".into());
        assert_eq!(field(describe(bad)), "title");
        let mut bad = upload("text/plain", b"x");
        bad.date = Some("yesterday".into());
        assert_eq!(field(describe(bad)), "date");
    }

    #[test]
    fn a_fhir_document_reference_carries_its_own_description() {
        let doc = serde_json::json!({
            "resourceType": "DocumentReference",
            "status": "current",
            "type": {"coding": [{"system": "http://loinc.org", "code": "18748-4"}]},
            "description": "Chest X-ray",
            "content": [{"attachment": {"contentType": "image/png", "data": "iVBORw0KGgoAAAA=", "creation": "2026-10-01"}}]
        });
        let up = Upload {
            content_type: FHIR_JSON.into(),
            bytes: serde_json::to_vec(&doc).unwrap(),
            ..Upload::default()
        };
        let d = describe(up).unwrap();
        assert_eq!(d.record_type, RecordType::Imaging);
        assert_eq!(
            (d.title.as_str(), d.date.as_str()),
            ("Chest X-ray", "2026-10-01")
        );
        assert_eq!(d.content_type, "image/png");
        assert!(d.bytes.starts_with(b"\x89PNG"));
    }
}
