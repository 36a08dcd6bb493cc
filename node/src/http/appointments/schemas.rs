//! Schemas of the appointment and order inputs that the derives cannot state, built from
//! the lists and limits the service checks against.

use caremesh_federation::object::{ServiceKind, Weekday};
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, Object, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type,
};

use crate::appointments::orders::PRESCRIPTION_TYPES;
use crate::specialties::SLUGS;

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// Text with something besides blanks, up to `max` characters.
fn words(max: usize) -> Object {
    string()
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(r"\S"))
        .build()
}

/// A name of up to 200 characters (a service, a medicine).
pub fn name() -> Object {
    words(200)
}

/// An id or name given in a query or body: not blank.
pub fn not_blank() -> Object {
    string().min_length(Some(1)).pattern(Some(r"\S")).build()
}

/// A local time `HH:MM` (`24:00` ends a day).
pub fn hhmm() -> Object {
    string()
        .pattern(Some(r"^\s*(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)\s*$"))
        .build()
}

/// Weekdays, each once.
pub fn weekdays() -> ArrayBuilder {
    let day = string().enum_values(Some(Weekday::ALL.map(Weekday::as_str)));
    ArrayBuilder::new()
        .items(day)
        .min_items(Some(1))
        .unique_items(true)
}

/// A bookable service's kind.
fn service_kind() -> Object {
    string()
        .enum_values(Some(ServiceKind::ALL.map(ServiceKind::as_str)))
        .build()
}

/// A specialty slug.
fn specialty() -> Object {
    string().enum_values(Some(SLUGS)).build()
}

/// An ISO 4217 code, any case.
fn currency() -> Object {
    string().pattern(Some(r"^\s*[A-Za-z]{3}\s*$")).build()
}

/// A prescription's content type.
pub fn prescription_type() -> Object {
    string().enum_values(Some(PRESCRIPTION_TYPES)).build()
}

/// `schema`, or null (for an optional field).
fn or_null(schema: Object) -> Schema {
    Schema::OneOf(
        OneOfBuilder::new()
            .item(schema)
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .build(),
    )
}

/// An optional service kind.
pub fn optional_kind() -> Schema {
    or_null(service_kind())
}

/// An optional specialty slug.
pub fn optional_specialty() -> Schema {
    or_null(specialty())
}

/// An optional ISO 4217 code.
pub fn optional_currency() -> Schema {
    or_null(currency())
}

/// Local dates `YYYY-MM-DD`.
pub fn dates() -> ArrayBuilder {
    let date = string().format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)));
    ArrayBuilder::new().items(date)
}
