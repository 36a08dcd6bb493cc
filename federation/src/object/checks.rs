//! The checks every kind's schema is built from: ids, origins, text other people read,
//! coordinates, quantities, sealed content and the fields of [`Meta`].

use super::{MAX_QUANTITY, MAX_TEXT, MAX_VERSION, Meta};
use crate::error::SchemaError;

pub(super) fn field(name: &'static str, problem: impl Into<String>) -> SchemaError {
    SchemaError {
        field: name,
        problem: problem.into(),
    }
}

pub(super) fn check_ulid(name: &'static str, value: &str) -> Result<(), SchemaError> {
    ulid::Ulid::from_string(value)
        .map(|_| ())
        .map_err(|_| field(name, "is not a ULID"))
}

/// Is `c` a Unicode bidirectional control that reorders text (embeddings and overrides
/// U+202A–U+202E, isolates U+2066–U+2069)? Text that other people read must not carry
/// them: an override makes a reader see characters in another order than they are stored
/// (a phone number or a name that reads as something else). The marks U+200E, U+200F and
/// U+061C are not among them: they only settle the direction of neutral characters next to
/// them, reverse nothing, and real right-to-left text (an Arabic address with a number)
/// carries them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first bidirectional control in `text`, described for an error message
/// (`U+202E at character 3`), or `None`.
pub fn find_bidi_control(text: &str) -> Option<String> {
    text.chars()
        .enumerate()
        .find(|(_, c)| is_bidi_control(*c))
        .map(|(at, c)| format!("U+{:04X} at character {}", u32::from(c), at + 1))
}

/// A text field someone else reads: at most [`MAX_TEXT`] bytes, no bidi controls.
pub(super) fn check_text(name: &'static str, value: &str) -> Result<(), SchemaError> {
    if value.len() > MAX_TEXT {
        return Err(field(name, format!("is longer than {MAX_TEXT} bytes")));
    }
    if let Some(found) = find_bidi_control(value) {
        return Err(field(
            name,
            format!("holds a bidirectional control character ({found}); remove it"),
        ));
    }
    Ok(())
}

pub(super) fn check_origin(name: &'static str, value: &str) -> Result<(), SchemaError> {
    crate::origin::check(value).map_err(|e| {
        field(
            name,
            format!("is not an origin in its normal form: {}", e.problem),
        )
    })
}

pub(super) fn check_sealed(sealed: &[u8], max: usize) -> Result<(), SchemaError> {
    if sealed.len() < crate::health_seal::OVERHEAD {
        return Err(field("sealed", "is too short to be sealed content"));
    }
    if sealed.len() > max {
        return Err(field("sealed", format!("is longer than {max} bytes")));
    }
    Ok(())
}

pub(super) fn check_coords(lat_e7: i32, lon_e7: i32) -> Result<(), SchemaError> {
    if !(-900_000_000..=900_000_000).contains(&lat_e7) {
        return Err(field("lat_e7", "is outside -90..90 degrees"));
    }
    if !(-1_800_000_000..=1_800_000_000).contains(&lon_e7) {
        return Err(field("lon_e7", "is outside -180..180 degrees"));
    }
    Ok(())
}

pub(super) fn check_quantity(
    name: &'static str,
    q: u32,
    allow_zero: bool,
) -> Result<(), SchemaError> {
    if (q == 0 && !allow_zero) || q > MAX_QUANTITY {
        return Err(field(name, format!("must be between 1 and {MAX_QUANTITY}")));
    }
    Ok(())
}

/// A catalog or vocabulary slug: lowercase ASCII letters, digits, `-` and `_`.
pub fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

pub(super) fn validate_meta(meta: &Meta) -> Result<(), SchemaError> {
    check_ulid("id", &meta.id)?;
    check_origin("origin", &meta.origin)?;
    if meta.version == 0 {
        return Err(field("version", "must be at least 1"));
    }
    if meta.version > MAX_VERSION {
        return Err(field("version", format!("must be at most {MAX_VERSION}")));
    }
    if meta.updated_at < meta.created_at {
        return Err(field("updated_at", "is before created_at"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_a_bidi_control_is_refused_naming_the_field() {
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}',
        ] {
            let err = check_text("name", &format!("City{c}Hospital"));
            assert_eq!(err.as_ref().map_err(|e| e.field), Err("name"), "{c:?}");
        }
        let err = check_text("note", "call \u{202E}0987").err();
        assert!(err.is_some_and(|e| e.problem.contains("U+202E at character 6")));
        // Right-to-left script itself is fine: only the invisible controls are refused.
        assert!(check_text("name", "مستشفى المدينة").is_ok());
        assert!(check_text("name", "अस्पताल").is_ok());
        // The marks reverse nothing, and real right-to-left data carries them.
        for c in ['\u{200E}', '\u{200F}', '\u{061C}'] {
            assert!(
                check_text("street", &format!("شارع 12{c} - 4")).is_ok(),
                "{c:?}"
            );
        }
    }
}
