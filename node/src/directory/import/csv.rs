//! CSV facility lists.
//!
//! With a header (column order free, names case-insensitive): `id`, `kind`, `name`, `lat`,
//! `lon` (also `latitude`, `longitude`, `lng`), `ownership`, `street`, `city`, `state`, `zip`,
//! `country`, `contact` (or `phone`), `specialties` (slugs separated by `;`), `services`
//! (`name:price:currency;…`, price a decimal such as `150.50`), `hours`, `blood_stock`
//! (`O-:12;A+:3`). Required: `kind`, `name`, `lat`, `lon`; without `id` a row's source
//! reference is a hash of its kind, name and coordinates.
//!
//! Without a header, the layout written by `gen_facilities.py facilities N`:
//! `id, name, kind, "{spec1,spec2}", lat, lon`.

use std::collections::BTreeMap;
use std::io::Read;

use ::csv::{ReaderBuilder, StringRecord, Trim};
use caremesh_federation::object::{Facility, Meta};

use super::fields::{blood_stock, services, specialties};
use super::{
    ImportError, ImportedFacility, RowCheck, RowError, SeenRefs, content_ref, parse_kind,
    parse_ownership,
};

/// Counts from one CSV import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvSummary {
    /// Data rows read (header excluded).
    pub rows: usize,
    /// Rows passed to the callback as facilities.
    pub imported: usize,
    /// Rows passed to the callback as errors.
    pub refused: usize,
    /// The file had no header and was read in the `gen_facilities.py` layout.
    pub headerless: bool,
}

/// Where each known column sits.
#[derive(Default)]
struct Layout {
    id: Option<usize>,
    kind: usize,
    name: usize,
    lat: usize,
    lon: usize,
    ownership: Option<usize>,
    street: Option<usize>,
    city: Option<usize>,
    state: Option<usize>,
    zip: Option<usize>,
    country: Option<usize>,
    contact: Option<usize>,
    specialties: Option<usize>,
    services: Option<usize>,
    hours: Option<usize>,
    blood_stock: Option<usize>,
}

impl Layout {
    /// The layout named by a header row, or `None` if the row is not a header.
    fn from_header(header: &StringRecord) -> Option<Result<Layout, ImportError>> {
        let mut found: BTreeMap<&'static str, usize> = BTreeMap::new();
        for (i, raw) in header.iter().enumerate() {
            let name = raw
                .trim_start_matches('\u{feff}')
                .trim()
                .to_ascii_lowercase();
            if let Some(column) = canonical_column(&name) {
                found.entry(column).or_insert(i);
            }
        }
        if !found.contains_key("kind") && !found.contains_key("name") {
            return None;
        }
        for column in ["kind", "name", "lat", "lon"] {
            if !found.contains_key(column) {
                let found = header.iter().collect::<Vec<_>>().join(",");
                return Some(Err(ImportError::MissingColumn { column, found }));
            }
        }
        let at = |column: &str| found.get(column).copied();
        Some(Ok(Layout {
            // Present: checked just above.
            kind: at("kind").unwrap_or_default(),
            name: at("name").unwrap_or_default(),
            lat: at("lat").unwrap_or_default(),
            lon: at("lon").unwrap_or_default(),
            id: at("id"),
            ownership: at("ownership"),
            street: at("street"),
            city: at("city"),
            state: at("state"),
            zip: at("zip"),
            country: at("country"),
            contact: at("contact"),
            specialties: at("specialties"),
            services: at("services"),
            hours: at("hours"),
            blood_stock: at("blood_stock"),
        }))
    }

    /// The headerless `gen_facilities.py` layout, if `first` looks like one of its rows.
    fn generated(first: &StringRecord) -> Option<Layout> {
        let looks_generated = first.len() == 6
            && first.get(0).is_some_and(|id| id.parse::<u64>().is_ok())
            && first.get(4).is_some_and(|lat| lat.parse::<f64>().is_ok())
            && first.get(5).is_some_and(|lon| lon.parse::<f64>().is_ok());
        looks_generated.then(|| Layout {
            id: Some(0),
            name: 1,
            kind: 2,
            specialties: Some(3),
            lat: 4,
            lon: 5,
            ..Layout::default()
        })
    }
}

fn canonical_column(name: &str) -> Option<&'static str> {
    let column = match name {
        "id" => "id",
        "kind" => "kind",
        "name" => "name",
        "lat" | "latitude" => "lat",
        "lon" | "lng" | "long" | "longitude" => "lon",
        "ownership" => "ownership",
        "street" => "street",
        "city" => "city",
        "state" => "state",
        "zip" | "postcode" | "pincode" => "zip",
        "country" => "country",
        "contact" | "phone" => "contact",
        "specialties" => "specialties",
        "services" => "services",
        "hours" | "opening_hours" => "hours",
        "blood_stock" => "blood_stock",
        _ => return None,
    };
    Some(column)
}

/// Reads a CSV file row by row and hands each row to `on_row`, as a facility or as the
/// reason it was refused. Rows are not kept: memory stays flat on files of millions of rows
/// (only a 16-byte hash per id is remembered, to refuse duplicates). Fails only if the input
/// cannot be read or the header lacks a required column.
pub fn parse_csv<R: Read>(
    reader: R,
    mut on_row: impl FnMut(Result<ImportedFacility, RowError>),
) -> Result<CsvSummary, ImportError> {
    let mut csv = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(Trim::All)
        .from_reader(reader);
    let mut record = StringRecord::new();
    let mut summary = CsvSummary::default();
    if !read(&mut csv, &mut record)? {
        return Ok(summary);
    }
    let layout = match Layout::from_header(&record) {
        Some(layout) => layout?,
        None => {
            let Some(layout) = Layout::generated(&record) else {
                let found = record.iter().collect::<Vec<_>>().join(",");
                return Err(ImportError::MissingColumn {
                    column: "kind",
                    found,
                });
            };
            summary.headerless = true;
            layout
        }
    };
    let mut seen = SeenRefs::default();
    let mut pending_first = summary.headerless;
    loop {
        let outcome = if pending_first {
            pending_first = false;
            Ok(true)
        } else {
            csv.read_record(&mut record)
        };
        let result = match outcome {
            Ok(false) => break,
            Ok(true) => parse_row(&layout, &record, summary.rows + 1, &mut seen),
            Err(e) if matches!(e.kind(), ::csv::ErrorKind::Io(_)) => return Err(io_error(e)),
            Err(e) => Err(RowError {
                row: summary.rows + 1,
                source_ref: None,
                field: "record",
                problem: e.to_string(),
            }),
        };
        summary.rows += 1;
        match &result {
            Ok(_) => summary.imported += 1,
            Err(_) => summary.refused += 1,
        }
        on_row(result);
    }
    Ok(summary)
}

fn read<R: Read>(
    csv: &mut ::csv::Reader<R>,
    record: &mut StringRecord,
) -> Result<bool, ImportError> {
    match csv.read_record(record) {
        Ok(more) => Ok(more),
        Err(e) if matches!(e.kind(), ::csv::ErrorKind::Io(_)) => Err(io_error(e)),
        // A first line that is not UTF-8 cannot be a header we know.
        Err(e) => Err(ImportError::MissingColumn {
            column: "kind",
            found: e.to_string(),
        }),
    }
}

fn io_error(e: ::csv::Error) -> ImportError {
    match e.into_kind() {
        ::csv::ErrorKind::Io(source) => ImportError::Read {
            format: "CSV",
            source,
        },
        other => ImportError::Read {
            format: "CSV",
            source: std::io::Error::other(format!("{other:?}")),
        },
    }
}

/// One data row to a facility.
fn parse_row(
    layout: &Layout,
    record: &StringRecord,
    row: usize,
    seen: &mut SeenRefs,
) -> Result<ImportedFacility, RowError> {
    let get = |i: usize| record.get(i).unwrap_or("");
    let opt = |i: Option<usize>| i.map_or("", get);
    let (kind, name, lat, lon) = (
        get(layout.kind),
        get(layout.name),
        get(layout.lat),
        get(layout.lon),
    );
    let source_ref = match opt(layout.id) {
        "" => content_ref(&[kind, name, lat, lon]),
        id => id.to_owned(),
    };
    let check = RowCheck {
        row,
        source_ref: Some(&source_ref),
    };
    if !seen.insert(&source_ref) {
        return Err(check.error("id", "duplicates the id of an earlier row"));
    }
    let kind = match kind {
        "" => return Err(check.error("kind", "is missing")),
        k => parse_kind(k).ok_or_else(|| {
            check.error(
                "kind",
                format!(
                    "`{k}` is not a facility kind (hospital, clinic, \
                nursing_home, lab, pharmacy, blood_bank, maker_hub)"
                ),
            )
        })?,
    };
    let name = check.name(name)?;
    let (lat_e7, lon_e7) =
        check.coords(number(&check, "lat", lat)?, number(&check, "lon", lon)?)?;
    let mut f = Facility::new(Meta::default(), kind, name, lat_e7, lon_e7);
    f.ownership = match opt(layout.ownership) {
        "" => None,
        o => Some(parse_ownership(o).ok_or_else(|| {
            check.error(
                "ownership",
                format!(
                    "`{o}` is not government, private, public, \
                public_private or charity"
                ),
            )
        })?),
    };
    f.address.street = check.text("street", opt(layout.street))?;
    f.address.city = check.text("city", opt(layout.city))?;
    f.address.state = check.text("state", opt(layout.state))?;
    f.address.zip = check.text("zip", opt(layout.zip))?;
    f.address.country = check.text("country", opt(layout.country))?;
    f.contact = check.text("contact", opt(layout.contact))?;
    f.hours = check.text("hours", opt(layout.hours))?;
    f.specialties =
        specialties(opt(layout.specialties)).map_err(|p| check.error("specialties", p))?;
    f.services = services(opt(layout.services)).map_err(|p| check.error("services", p))?;
    f.blood_stock =
        blood_stock(opt(layout.blood_stock)).map_err(|p| check.error("blood_stock", p))?;
    Ok(ImportedFacility {
        source_ref,
        facility: f,
    })
}

fn number(check: &RowCheck<'_>, field: &'static str, value: &str) -> Result<f64, RowError> {
    if value.is_empty() {
        return Err(check.error(field, "is missing: a facility needs coordinates"));
    }
    value
        .parse()
        .map_err(|_| check.error(field, format!("`{value}` is not a number")))
}

#[cfg(test)]
mod tests;
