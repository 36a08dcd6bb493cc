//! `caremesh export facilities`: a node's listings out, as GeoJSON or a FHIR R4 bundle.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Instant;

use caremesh_federation::object::Facility;

use super::export::{fhir_entries, geojson_feature, to_fhir_bundle, to_geojson};
use super::listings::Listings;
use crate::error::ServiceError;

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A GeoJSON FeatureCollection.
    Geojson,
    /// A FHIR R4 Bundle of `Location` and `HealthcareService` resources.
    Fhir,
}

/// Every listing the node holds (not retracted) as one JSON document. The listings are
/// held in memory while the document is built; [`export_to`] streams instead.
pub fn export(
    listings: &Listings,
    format: ExportFormat,
) -> Result<serde_json::Value, ServiceError> {
    let facilities: Vec<Facility> = listings.list()?;
    Ok(match format {
        ExportFormat::Geojson => to_geojson(&facilities),
        ExportFormat::Fhir => to_fhir_bundle(&facilities),
    })
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The output could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The listings could not be read.
    #[error(transparent)]
    Read(#[from] ServiceError),
}

/// Writes the same document as [`export`] to `out` (or stdout), one listing at a time, so
/// memory stays flat however many listings there are. Returns the features or entries
/// written; with `progress`, reports every 100,000 listings on stderr.
pub fn export_to(
    listings: &Listings,
    format: ExportFormat,
    out: Option<&Path>,
    progress: bool,
) -> Result<usize, ExportError> {
    let target = out.map_or_else(|| PathBuf::from("-"), Path::to_owned);
    let write_err = |source| ExportError::Write {
        path: target.clone(),
        source,
    };
    let mut writer: Box<dyn Write> = match out {
        Some(path) => Box::new(BufWriter::new(File::create(path).map_err(write_err)?)),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let (head, key) = match format {
        ExportFormat::Geojson => (r#"{"type":"FeatureCollection","features":["#, "features"),
        ExportFormat::Fhir => (
            r#"{"resourceType":"Bundle","type":"collection","entry":["#,
            "entry",
        ),
    };
    writer.write_all(head.as_bytes()).map_err(write_err)?;
    let (mut written, mut seen) = (0usize, 0usize);
    let mut failed: Option<std::io::Error> = None;
    let started = Instant::now();
    listings.visit(|f| {
        if let Err(e) = write_items(&mut writer, &f, format, &mut written) {
            failed = Some(e);
            return ControlFlow::Break(());
        }
        seen += 1;
        if progress && seen.is_multiple_of(100_000) {
            eprintln!(
                "export: {seen} listings, {written} {key} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        ControlFlow::Continue(())
    })?;
    if let Some(e) = failed {
        return Err(write_err(e));
    }
    writer.write_all(b"]}\n").map_err(write_err)?;
    writer.flush().map_err(write_err)?;
    Ok(written)
}

/// Writes one listing's features or entries, each after a comma but the first.
fn write_items(
    writer: &mut dyn Write,
    f: &Facility,
    format: ExportFormat,
    written: &mut usize,
) -> std::io::Result<()> {
    let items = match format {
        ExportFormat::Geojson => vec![geojson_feature(f)],
        ExportFormat::Fhir => fhir_entries(f),
    };
    for item in items {
        if *written > 0 {
            writer.write_all(b",")?;
        }
        serde_json::to_writer(&mut *writer, &item)?;
        *written += 1;
    }
    Ok(())
}
