//! Dates in the API: `YYYY-MM-DD` (the end of that day, UTC) or RFC 3339 in; RFC 3339 out.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use super::error::ApiError;

/// Parses an API date or time into unix milliseconds.
pub fn parse(field: &'static str, text: &str) -> Result<i64, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.timestamp_millis());
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        && let Some(end) = d.and_hms_milli_opt(23, 59, 59, 999)
    {
        return Ok(end.and_utc().timestamp_millis());
    }
    Err(ApiError::field(
        field,
        format!("`{field}` must be YYYY-MM-DD or RFC 3339, got `{text}`"),
    ))
}

/// Parses an optional API date.
pub fn parse_opt(field: &'static str, text: Option<&str>) -> Result<Option<i64>, ApiError> {
    text.map(|t| parse(field, t)).transpose()
}

/// Formats unix milliseconds as RFC 3339 (UTC).
pub fn format(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_mean_end_of_day() {
        let ms = parse("needed_by", "2026-12-01").unwrap();
        assert_eq!(format(ms), "2026-12-01T23:59:59.999Z");
        assert_eq!(
            parse("x", "2026-12-01T10:00:00+05:30").unwrap(),
            parse("x", "2026-12-01T04:30:00Z").unwrap()
        );
        assert_eq!(
            parse("needed_by", "friday").unwrap_err().field,
            Some("needed_by")
        );
    }
}
