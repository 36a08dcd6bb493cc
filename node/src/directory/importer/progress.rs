//! Import progress on stderr: a bar on a terminal (indicatif), otherwise a plain line every
//! 2 % of the file or 100,000 rows, for logs and CI.

use std::cell::Cell;
use std::io::{IsTerminal, Read};
use std::rc::Rc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

/// Counts the bytes read, for progress by share of the file.
pub struct Counting<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R> Counting<R> {
    /// `inner`, counted into `read`.
    pub fn new(inner: R, read: Rc<Cell<u64>>) -> Self {
        Self { inner, read }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

enum Show {
    Off,
    Bar(ProgressBar),
    Lines { next_bytes: u64, next_rows: usize },
}

/// The progress of one import.
pub struct Progress {
    show: Show,
    total_bytes: u64,
    read: Rc<Cell<u64>>,
    started: Instant,
}

impl Progress {
    /// Progress through a file of `total_bytes`, read through a [`Counting`] reader sharing
    /// `read`; `enabled` false shows nothing.
    pub fn new(enabled: bool, total_bytes: u64, read: Rc<Cell<u64>>) -> Self {
        let show = match (enabled, std::io::stderr().is_terminal()) {
            (false, _) => Show::Off,
            (true, true) => Show::Bar(bar(total_bytes)),
            (true, false) => Show::Lines {
                next_bytes: 0,
                next_rows: 100_000,
            },
        };
        Self {
            show,
            total_bytes,
            read,
            started: Instant::now(),
        }
    }

    /// After `rows` rows.
    pub fn tick(&mut self, rows: usize) {
        let bytes = self.read.get();
        let rate = rows as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
        match &mut self.show {
            Show::Off => {}
            Show::Bar(bar) => {
                bar.set_position(bytes);
                if rows.is_multiple_of(1_000) {
                    bar.set_message(format!("{rows} rows, {rate:.0} rows/s"));
                }
            }
            Show::Lines {
                next_bytes,
                next_rows,
            } => {
                if bytes < *next_bytes && rows < *next_rows {
                    return;
                }
                let step = (self.total_bytes / 50).max(1);
                *next_bytes = (bytes / step + 1) * step;
                *next_rows = (rows / 100_000 + 1) * 100_000;
                let share = 100.0 * bytes as f64 / self.total_bytes.max(1) as f64;
                eprintln!("import: {share:5.1} %  {rows} rows  {rate:.0} rows/s");
            }
        }
    }

    /// The import is over: the bar goes (the report follows).
    pub fn finish(&self) {
        if let Show::Bar(bar) = &self.show {
            bar.finish_and_clear();
        }
    }
}

fn bar(total_bytes: u64) -> ProgressBar {
    let bar = ProgressBar::new(total_bytes);
    // The template is a constant: it always parses; the default style would do otherwise.
    if let Ok(style) =
        ProgressStyle::with_template("import {bar:40} {percent:>3}% {msg}  ({eta} left)")
    {
        bar.set_style(style);
    }
    bar
}
