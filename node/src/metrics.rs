//! Counters for `GET /metrics`, in the Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Labelled counters.
#[derive(Default)]
pub struct Metrics {
    counters: Mutex<BTreeMap<(&'static str, String), u64>>,
}

impl Metrics {
    /// Adds `n` to the counter `name{label}`.
    pub fn add(&self, name: &'static str, label: &str, n: u64) {
        let mut c = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        *c.entry((name, label.to_owned())).or_insert(0) += n;
    }

    /// The text exposition, with extra gauges appended.
    pub fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        let mut out = String::new();
        let counters = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        let mut last = "";
        for ((name, label), value) in counters.iter() {
            if *name != last {
                let _ = writeln!(out, "# TYPE caremesh_{name} counter");
                last = name;
            }
            if label.is_empty() {
                let _ = writeln!(out, "caremesh_{name} {value}");
            } else {
                let _ = writeln!(out, "caremesh_{name}{{{label}}} {value}");
            }
        }
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP caremesh_{name} {help}\n# TYPE caremesh_{name} gauge\ncaremesh_{name} {value}"
            );
        }
        out
    }
}
