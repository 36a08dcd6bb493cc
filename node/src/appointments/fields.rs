//! Checks of the text fields people send with bookings, orders and quotes; each problem is
//! an error naming its field.

use crate::error::ServiceError;

/// The most characters of a free-text field (a note, the pharmacy's message).
pub const MAX_TEXT_CHARS: usize = 500;

/// A required field, trimmed: absent or blank is an error naming it.
pub fn required<'a>(
    value: &'a Option<String>,
    field: &'static str,
) -> Result<&'a str, ServiceError> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ServiceError::invalid(field, "is required"))
}

/// An optional free text (empty when absent) of at most [`MAX_TEXT_CHARS`] characters.
pub fn short_text(value: &Option<String>, field: &'static str) -> Result<String, ServiceError> {
    let text = value.clone().unwrap_or_default();
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ServiceError::invalid(
            field,
            format!("must be at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_required_field_is_named() {
        let err = required(&Some("  ".into()), "service").unwrap_err();
        assert!(err.to_string().contains("service"), "{err}");
        assert_eq!(required(&Some(" x ".into()), "service").unwrap(), "x");
        assert!(required(&None, "service").is_err());
    }

    #[test]
    fn a_long_text_is_refused_by_its_field() {
        assert_eq!(short_text(&None, "note").unwrap(), "");
        let at_limit = "अ".repeat(MAX_TEXT_CHARS);
        assert_eq!(
            short_text(&Some(at_limit.clone()), "note").unwrap(),
            at_limit
        );
        let err = short_text(&Some("a".repeat(MAX_TEXT_CHARS + 1)), "message").unwrap_err();
        assert!(err.to_string().contains("message"), "{err}");
    }
}
