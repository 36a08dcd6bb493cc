//! The OpenAPI schemas of a profile's fields as given in `PUT .../profile`: what the handlers
//! accept, stated for schemathesis and clients.

use super::{BloodGroup, MAX_ENTRIES, MAX_ENTRY_CHARS};

/// What an entry may be, as an OpenAPI pattern: some non-space, no control character.
const TEXT_PATTERN: &str = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$";
/// A phone line as an OpenAPI pattern: a digit, no control character.
const PHONE_PATTERN: &str = r"^[^\x00-\x1f\x7f-\x9f]*[0-9][^\x00-\x1f\x7f-\x9f]*$";

/// The OpenAPI schema of an entry.
pub(super) fn entry_schema() -> utoipa::openapi::ObjectBuilder {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .max_length(Some(MAX_ENTRY_CHARS))
        .pattern(Some(TEXT_PATTERN))
}

/// The OpenAPI schema of a list of entries.
pub(super) fn entries_schema() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(entry_schema())
        .max_items(Some(MAX_ENTRIES))
        .build()
}

/// The OpenAPI schema of an emergency contact as given: a text line, or a person.
pub(super) fn contact_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::{ObjectBuilder, Type};
    let phone = entry_schema().pattern(Some(PHONE_PATTERN));
    let person = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("name", entry_schema())
        .property("phone", phone)
        .property("relation", entry_schema())
        .required("name")
        .required("phone")
        .additional_properties(Some(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
        ));
    utoipa::openapi::Schema::OneOf(
        utoipa::openapi::schema::OneOfBuilder::new()
            .item(entry_schema())
            .item(person)
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .build(),
    )
}

/// The OpenAPI schema of a blood group as given: a group, or empty for none.
pub(super) fn blood_group_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::Type::String,
            utoipa::openapi::Type::Null,
        ]))
        .enum_values(Some(
            BloodGroup::ALL
                .iter()
                .map(|g| Some(g.as_str()))
                .chain([Some(""), None]),
        ))
        .build()
}
