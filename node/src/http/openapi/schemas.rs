//! Schemas the derives cannot state: the controlled vocabularies, built from the lists the
//! node checks against so the document cannot drift from them (specialty slugs, catalog
//! products, blood groups, urgencies), unsigned counts, and the API's dates.

use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, KnownFormat, Object, ObjectBuilder, OneOfBuilder, Schema,
    SchemaFormat, Type,
};

use crate::catalog::Catalog;
use crate::specialties::SLUGS;

/// Somewhere in the text, a character that is not white space: the server refuses blank text.
const NOT_BLANK: &str = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";

/// Text of 1 to `max` characters, not blank.
fn not_blank(max: usize) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(NOT_BLANK))
        .description(Some(format!("1 to {max} characters, not blank")))
        .build()
}

/// A short name: 1 to 64 characters, not blank.
pub fn name_64() -> Object {
    not_blank(64)
}

/// An id from another system: 1 to 128 characters, not blank.
pub fn id_128() -> Object {
    not_blank(128)
}

/// Free text: 1 to 10000 characters, not blank.
pub fn text_10000() -> Object {
    not_blank(10_000)
}

/// One specialty slug.
fn specialty() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(SLUGS))
        .build()
}

/// A list of specialty slugs, as facilities carry them (at most 64).
pub fn specialties() -> ArrayBuilder {
    ArrayBuilder::new().items(specialty()).max_items(Some(64))
}

/// The `specialty` query parameter: slugs separated by commas, spaces around them allowed.
pub fn specialty_param() -> Object {
    let one = format!(" *({}) *", SLUGS.join("|"));
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^{one}(,{one})*$")))
        .description(Some(
            "specialty slugs, comma-separated; a listing must have all of them",
        ))
        .build()
}

/// A product slug of this node's catalog.
pub fn product() -> Object {
    let catalog = Catalog::builtin();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(catalog.products().iter().map(|p| p.slug.clone())))
        .description(Some("catalog slug"))
        .build()
}

/// The `blood_group` query parameter: a group in stock, any case, `+` also as a space (as a
/// `+` in a query string decodes).
pub fn blood_group_param() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^([oObB]|[aA][bB]?)[-+ ]$"))
        .description(Some("a blood group in stock, e.g. O- or AB+"))
        .build()
}

/// A member's role.
pub fn role() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(crate::members::Role::ALL.map(|r| r.as_str())))
        .build()
}

/// A triage urgency.
pub fn urgency() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(crate::triage::Urgency::ALL.map(|u| u.as_str())))
        .build()
}

/// A whole number that fits 32 unsigned bits (units, millimetres).
pub fn units() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(0))
        .maximum(Some(u32::MAX))
        .build()
}

/// A printer's build volume: width, depth and height in mm.
pub fn build_volume() -> ArrayBuilder {
    ArrayBuilder::new()
        .items(units())
        .min_items(Some(3))
        .max_items(Some(3))
        .description(Some("width, depth, height in mm"))
}

/// Blood group → units in stock.
pub fn blood_stock() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::RefOr(units().into())))
        .description(Some("blood group → units in stock"))
        .build()
}

fn api_text(format: KnownFormat) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(format)))
}

/// An optional date: `YYYY-MM-DD` (the end of that day, UTC) or RFC 3339, or null.
pub fn api_date() -> Schema {
    Schema::OneOf(
        OneOfBuilder::new()
            .item(api_text(KnownFormat::Date))
            .item(api_text(KnownFormat::DateTime))
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .description(Some("`YYYY-MM-DD` (the end of that day, UTC) or RFC 3339"))
            .build(),
    )
}

/// A required time: `YYYY-MM-DD` (the end of that day, UTC) or RFC 3339.
pub fn api_time() -> Schema {
    Schema::OneOf(
        OneOfBuilder::new()
            .item(api_text(KnownFormat::Date))
            .item(api_text(KnownFormat::DateTime))
            .description(Some("`YYYY-MM-DD` (the end of that day, UTC) or RFC 3339"))
            .build(),
    )
}

/// Bytes of another format than JSON (MessagePack on the federation routes).
pub struct Binary;

impl utoipa::PartialSchema for Binary {
    fn schema() -> utoipa::openapi::RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for Binary {}
