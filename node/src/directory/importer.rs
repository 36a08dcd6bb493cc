//! `caremesh import facilities` and `caremesh export facilities`: files of directory data in
//! and out of a node's own listings.
//!
//! Import streams the file row by row (feature by feature for GeoJSON) through
//! [`Listings::upsert`], so memory stays flat on files of millions of rows. Each row's id is [`ImportedFacility::id`] of its source reference
//! prefixed with the file name's stem (`hospitals.csv` row `42` → `hospitals:42`): two files
//! that both number their rows from 1 do not overwrite each other, and importing the same
//! file again, under the same name, finds the same listings and changes nothing. A file
//! imported under another name makes new listings.
//!
//! The node must not be running meanwhile: sled locks its database, and
//! [`open_offline`] says so when it cannot take the lock.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use caremesh_federation::object::Facility;

use super::export::{fhir_entries, geojson_feature, to_fhir_bundle, to_geojson};
use super::import::{Format, ImportError, ImportedFacility, RowError, parse_csv, visit_geojson};
use super::listings::Listings;
use crate::app::{App, StartError};
use crate::config::Config;
use crate::error::ServiceError;

/// Refused rows listed in the report itself; beyond this many they go to a file.
pub const MAX_LISTED_REFUSALS: usize = 50;

/// Why an import or export failed as a whole (single bad rows are only refused).
#[derive(Debug, thiserror::Error)]
pub enum ImporterError {
    /// The node could not be opened.
    #[error(
        "cannot open the node: {0}\n\
         (import and export open the node's database directly: stop `caremesh run` on this \
         data_dir first — sled allows one process at a time)"
    )]
    Open(#[source] StartError),
    /// The input file could not be opened.
    #[error("cannot open {path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file's extension is not one the importer reads.
    #[error("{0}: unknown format; use a .csv, .geojson or .json file")]
    Format(PathBuf),
    /// The file cannot be parsed at all.
    #[error(transparent)]
    Parse(#[from] ImportError),
    /// Storing failed for a reason other than the row's content (disk, database).
    #[error("storing row {row} failed: {source}")]
    Store {
        row: usize,
        #[source]
        source: ServiceError,
    },
    /// Writing the list of refused rows or the export failed.
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Opens a node that is not running, for an offline import or export.
pub fn open_offline(config: Config, first_run: bool) -> Result<App, ImporterError> {
    App::open(config, first_run).map_err(ImporterError::Open)
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Rows read (CSV data rows or GeoJSON features).
    pub rows: usize,
    /// Listings that did not exist before.
    pub new: usize,
    /// Existing listings whose content changed.
    pub updated: usize,
    /// Existing listings with the same content (nothing published).
    pub unchanged: usize,
    /// Rows refused, by the parser or by the listing's validation.
    pub refused: usize,
    /// The refused rows when there are at most [`MAX_LISTED_REFUSALS`] of them.
    pub refusals: Vec<RowError>,
    /// Where every refused row was written when there were more.
    pub refused_file: Option<PathBuf>,
    /// Wall time of the import, flush included.
    pub elapsed: Duration,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        writeln!(
            f,
            "{} rows in {:.1} s ({:.0} rows/s): {} new, {} updated, {} unchanged, {} refused",
            self.rows,
            secs,
            self.rows as f64 / secs,
            self.new,
            self.updated,
            self.unchanged,
            self.refused
        )?;
        for refusal in &self.refusals {
            writeln!(f, "  refused: {refusal}")?;
        }
        if let Some(path) = &self.refused_file {
            writeln!(f, "  every refused row is listed in {}", path.display())?;
        }
        Ok(())
    }
}

/// Collects refusals: in memory up to [`MAX_LISTED_REFUSALS`], then all of them streamed to
/// `FILE.refused.txt`.
struct Refusals {
    path: PathBuf,
    listed: Vec<RowError>,
    file: Option<BufWriter<File>>,
    count: usize,
}

impl Refusals {
    fn add(&mut self, error: RowError) -> Result<(), ImporterError> {
        self.count += 1;
        let write_err = |source| ImporterError::Write {
            path: self.path.clone(),
            source,
        };
        if self.file.is_none() && self.listed.len() < MAX_LISTED_REFUSALS {
            self.listed.push(error);
            return Ok(());
        }
        if self.file.is_none() {
            let mut file = BufWriter::new(File::create(&self.path).map_err(write_err)?);
            for earlier in self.listed.drain(..) {
                writeln!(file, "{earlier}").map_err(write_err)?;
            }
            self.file = Some(file);
        }
        if let Some(file) = &mut self.file {
            writeln!(file, "{error}").map_err(write_err)?;
        }
        Ok(())
    }
}

/// Counts the bytes read, for progress by share of the file.
struct Counting<R> {
    inner: R,
    read: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// Prints a progress line to stderr every 2 % of the file or every 100,000 rows.
struct Progress {
    enabled: bool,
    total_bytes: u64,
    read: std::rc::Rc<std::cell::Cell<u64>>,
    started: Instant,
    next_bytes: u64,
    next_rows: usize,
}

impl Progress {
    fn tick(&mut self, rows: usize) {
        let bytes = self.read.get();
        if !self.enabled || (bytes < self.next_bytes && rows < self.next_rows) {
            return;
        }
        let step = (self.total_bytes / 50).max(1);
        self.next_bytes = (bytes / step + 1) * step;
        self.next_rows = (rows / 100_000 + 1) * 100_000;
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        let share = 100.0 * bytes as f64 / self.total_bytes.max(1) as f64;
        eprintln!(
            "import: {share:5.1} %  {rows} rows  {:.0} rows/s",
            rows as f64 / secs
        );
    }
}

/// Imports `path` (CSV, or GeoJSON by extension) into `app`'s own listings, then flushes
/// the store. With `progress`, prints progress lines to stderr.
pub fn import_file(app: &App, path: &Path, progress: bool) -> Result<ImportReport, ImporterError> {
    let started = Instant::now();
    let format = Format::from_path(path).ok_or_else(|| ImporterError::Format(path.to_owned()))?;
    let file_err = |source| ImporterError::File {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(file_err)?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("import")
        .to_owned();
    let mut refused_name = path.as_os_str().to_owned();
    refused_name.push(".refused.txt");
    let read = std::rc::Rc::new(std::cell::Cell::new(0));
    let reader = Counting {
        inner: BufReader::with_capacity(1 << 16, file),
        read: read.clone(),
    };
    let mut state = State {
        listings: app.services.listings.bulk(),
        stem,
        report: ImportReport::default(),
        refusals: Refusals {
            path: PathBuf::from(refused_name),
            listed: Vec::new(),
            file: None,
            count: 0,
        },
        progress: Progress {
            enabled: progress,
            total_bytes,
            read,
            started,
            next_bytes: 0,
            next_rows: 100_000,
        },
        failed: None,
    };
    match format {
        Format::Csv => {
            parse_csv(reader, |row| state.row(row))?;
        }
        Format::GeoJson => {
            visit_geojson(reader, |row| state.row(row))?;
        }
    }
    if let Some(failure) = state.failed.take() {
        return Err(failure);
    }
    state
        .listings
        .finish()
        .map_err(|source| ImporterError::Store {
            row: state.report.rows,
            source,
        })?;
    let mut report = state.report;
    report.refused = state.refusals.count;
    if let Some(mut file) = state.refusals.file {
        file.flush().map_err(|source| ImporterError::Write {
            path: state.refusals.path.clone(),
            source,
        })?;
        report.refused_file = Some(state.refusals.path);
    } else {
        report.refusals = state.refusals.listed;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The import in progress; rows arrive through a callback, so the first fatal error is kept
/// and later rows are skipped.
struct State {
    /// The node's listings in bulk mode: flushed once, by `finish`, before the report.
    listings: Listings,
    stem: String,
    report: ImportReport,
    refusals: Refusals,
    progress: Progress,
    failed: Option<ImporterError>,
}

impl State {
    fn row(&mut self, row: Result<ImportedFacility, RowError>) {
        if self.failed.is_some() {
            return;
        }
        self.report.rows += 1;
        let number = self.report.rows;
        if let Err(e) = self.store(number, row) {
            self.failed = Some(e);
        }
        self.progress.tick(number);
    }

    fn store(
        &mut self,
        number: usize,
        row: Result<ImportedFacility, RowError>,
    ) -> Result<(), ImporterError> {
        let mut imported = match row {
            Ok(imported) => imported,
            Err(error) => return self.refusals.add(error),
        };
        imported.source_ref = format!("{}:{}", self.stem, imported.source_ref);
        let id = imported.id();
        let source_ref = imported.source_ref.clone();
        match self
            .listings
            .upsert(&id, |meta| imported.into_facility(meta))
        {
            Ok((_, false)) => self.report.unchanged += 1,
            // A listing's first version is 1; a changed one is a later version.
            Ok((stored, true)) if stored.meta.version > 1 => self.report.updated += 1,
            Ok((_, true)) => self.report.new += 1,
            Err(ServiceError::Invalid { field, problem }) => {
                self.refusals.add(RowError {
                    row: number,
                    source_ref: Some(source_ref),
                    field,
                    problem,
                })?;
            }
            Err(ServiceError::Conflict { problem }) => {
                self.refusals.add(RowError {
                    row: number,
                    source_ref: Some(source_ref),
                    field: "id",
                    problem,
                })?;
            }
            Err(source) => {
                return Err(ImporterError::Store {
                    row: number,
                    source,
                });
            }
        }
        Ok(())
    }
}

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
pub fn export(app: &App, format: ExportFormat) -> Result<serde_json::Value, ServiceError> {
    let facilities: Vec<Facility> = app.services.listings.list()?;
    Ok(match format {
        ExportFormat::Geojson => to_geojson(&facilities),
        ExportFormat::Fhir => to_fhir_bundle(&facilities),
    })
}

/// Writes the same document as [`export`] to `out` (or stdout), one listing at a time, so
/// memory stays flat however many listings there are. Returns the features or entries
/// written; with `progress`, reports every 100,000 listings on stderr.
pub fn export_to(
    app: &App,
    format: ExportFormat,
    out: Option<&Path>,
    progress: bool,
) -> anyhow::Result<usize> {
    let target = out.map_or_else(|| PathBuf::from("-"), Path::to_owned);
    let write_err = |source| ImporterError::Write {
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
    let (mut written, mut listings) = (0usize, 0usize);
    let mut failed: Option<std::io::Error> = None;
    let started = Instant::now();
    app.services.listings.visit(|f| {
        let items = match format {
            ExportFormat::Geojson => vec![geojson_feature(&f)],
            ExportFormat::Fhir => fhir_entries(&f),
        };
        for item in items {
            let comma: &[u8] = if written == 0 { b"" } else { b"," };
            let result = writer
                .write_all(comma)
                .and_then(|()| serde_json::to_writer(&mut writer, &item).map_err(Into::into));
            if let Err(e) = result {
                failed = Some(e);
                return ControlFlow::Break(());
            }
            written += 1;
        }
        listings += 1;
        if progress && listings.is_multiple_of(100_000) {
            eprintln!(
                "export: {listings} listings, {written} {key} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        ControlFlow::Continue(())
    })?;
    if let Some(e) = failed {
        return Err(write_err(e).into());
    }
    writer.write_all(b"]}\n").map_err(write_err)?;
    writer.flush().map_err(write_err)?;
    Ok(written)
}
