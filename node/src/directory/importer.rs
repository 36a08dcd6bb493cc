//! `caremesh import facilities`: a file of directory data into a node's own listings.
//!
//! Import streams the file row by row (feature by feature for GeoJSON) through
//! [`Listings::upsert`], so memory stays flat on files of millions of rows. Each row's id is
//! bound to this node ([`ImportIds`]: a keyed hash of the node's origin and the row's source
//! reference, so no peer can publish under it first), the reference prefixed with the file
//! name's stem (`hospitals.csv` row `42` → `hospitals:42`): two files
//! that both number their rows from 1 do not overwrite each other, and importing the same
//! file again, under the same name, finds the same listings and changes nothing. A file
//! imported under another name makes new listings.
//!
//! The node must not be running meanwhile: sled locks its database, and
//! [`crate::app::App::open_offline`] says so when it cannot take the lock.

pub mod ids;
pub mod progress;

use std::cell::Cell;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use super::import::{Format, ImportError, ImportedFacility, RowError, parse_csv, visit_geojson};
use super::listings::Listings;
use crate::error::ServiceError;
use ids::ImportIds;
use progress::{Counting, Progress};

/// Refused rows listed in the report itself; beyond this many they go to a file.
pub const MAX_LISTED_REFUSALS: usize = 50;

/// Why an import or export failed as a whole (single bad rows are only refused).
#[derive(Debug, thiserror::Error)]
pub enum ImporterError {
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
    /// Writing the list of refused rows failed.
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
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

/// Imports `path` (CSV, or GeoJSON by extension) into this node's `listings`, then flushes
/// the store. With `progress`, shows progress on stderr (see [`progress`]).
pub fn import_file(
    listings: &Listings,
    path: &Path,
    progress: bool,
) -> Result<ImportReport, ImporterError> {
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
    let read = Rc::new(Cell::new(0));
    let reader = Counting::new(BufReader::with_capacity(1 << 16, file), read.clone());
    let mut state = State {
        listings: listings.bulk(),
        ids: ImportIds::of(&**listings.store(), listings.origin())
            .map_err(|source| ImporterError::Store { row: 0, source })?,
        stem,
        report: ImportReport::default(),
        refusals: Refusals {
            path: PathBuf::from(refused_name),
            listed: Vec::new(),
            file: None,
            count: 0,
        },
        progress: Progress::new(progress, total_bytes, read),
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
    state.progress.finish();
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
    /// Row ids bound to this node (see `importer/ids.rs`).
    ids: ImportIds,
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
        let id = self.ids.for_row(&imported.source_ref, |id| {
            Ok(self.listings.get(id).ok().map(|f| f.meta.origin))
        });
        let id = match id {
            Ok(id) => id,
            Err(source) => {
                return Err(ImporterError::Store {
                    row: number,
                    source,
                });
            }
        };
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
