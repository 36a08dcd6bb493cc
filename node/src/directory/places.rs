//! The gazetteer: place names people type ("/nearby hospital Pune", "/blood O- दिल्ली") and
//! where they are. Built in: `node/data/places.csv` (Indian cities); an operator adds local
//! places with `[directory] places_file` in the same format.

use std::collections::BTreeMap;
use std::path::Path;

const BUILTIN: &str = include_str!("../../data/places.csv");

/// A known place.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub name: String,
    pub state: String,
    pub lat: f64,
    pub lon: f64,
}

/// Why a places file was refused.
#[derive(Debug, thiserror::Error)]
pub enum PlacesError {
    #[error("cannot read places file {path}: {source}. Fix directory.places_file.")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "places file {source_name} line {line}: {problem}. Each row is name,state,lat,lon,aliases."
    )]
    Row {
        source_name: String,
        line: u64,
        problem: String,
    },
}

/// Places by normalised name and alias.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    by_name: BTreeMap<String, Place>,
}

/// Lower case, punctuation to spaces, single spaces: the form names are looked up in.
fn key(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_punctuation() || c == '।' {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Gazetteer {
    /// The built-in places.
    pub fn builtin() -> Result<Self, PlacesError> {
        let mut g = Self::default();
        g.add_csv("node/data/places.csv", BUILTIN)?;
        Ok(g)
    }

    /// The built-in places plus the operator's file, whose rows win.
    pub fn with_file(path: Option<&Path>) -> Result<Self, PlacesError> {
        let mut g = Self::builtin()?;
        if let Some(path) = path {
            let text = std::fs::read_to_string(path).map_err(|source| PlacesError::Read {
                path: path.display().to_string(),
                source,
            })?;
            g.add_csv(&path.display().to_string(), &text)?;
        }
        Ok(g)
    }

    /// Adds the rows of a places CSV (`#` starts a comment line; the first other line is
    /// the header).
    pub fn add_csv(&mut self, source_name: &str, text: &str) -> Result<(), PlacesError> {
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        for row in reader.records() {
            let fail = |line: u64, problem: String| PlacesError::Row {
                source_name: source_name.to_owned(),
                line,
                problem,
            };
            let row = row.map_err(|e| {
                let line = e.position().map_or(0, csv::Position::line);
                fail(line, e.to_string())
            })?;
            let line = row.position().map_or(0, csv::Position::line);
            let field = |i: usize| row.get(i).unwrap_or("");
            let name = field(0);
            if name.is_empty() {
                return Err(fail(line, "the name is empty".into()));
            }
            let degrees = |i: usize, what: &str, max: f64| {
                field(i)
                    .parse::<f64>()
                    .ok()
                    .filter(|d| d.is_finite() && d.abs() <= max)
                    .ok_or_else(|| {
                        fail(
                            line,
                            format!("{what} `{}` is not a number within ±{max}", field(i)),
                        )
                    })
            };
            let place = Place {
                name: name.to_owned(),
                state: field(1).to_owned(),
                lat: degrees(2, "lat", 90.0)?,
                lon: degrees(3, "lon", 180.0)?,
            };
            let names = std::iter::once(name).chain(field(4).split('|'));
            for n in names.map(key).filter(|n| !n.is_empty()) {
                self.by_name.insert(n, place.clone());
            }
        }
        Ok(())
    }

    /// Number of names and aliases known.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Whether no place is known.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The place named in `text`: the whole text, else the longest run of its words that
    /// is a known name ("Kothrud, Pune" finds "Kothrud" when known, else "Pune").
    pub fn find(&self, text: &str) -> Option<&Place> {
        let k = key(text);
        if let Some(p) = self.by_name.get(&k) {
            return Some(p);
        }
        let words: Vec<&str> = k.split(' ').filter(|w| !w.is_empty()).collect();
        (1..words.len())
            .rev()
            .flat_map(|n| words.windows(n))
            .find_map(|w| self.by_name.get(&w.join(" ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_builtin_names_aliases_and_scripts() {
        let g = Gazetteer::builtin().expect("built-in places parse");
        assert!(g.len() > 200, "{} names", g.len());
        let pune = g.find("Pune").expect("Pune");
        assert_eq!((pune.lat, pune.lon), (18.52, 73.86));
        assert_eq!(g.find("poona").map(|p| &p.name), Some(&pune.name));
        assert_eq!(g.find("पुणे").map(|p| &p.name), Some(&pune.name));
        assert_eq!(
            g.find("  BOMBAY. ").map(|p| p.name.as_str()),
            Some("Mumbai")
        );
        assert_eq!(g.find("नई दिल्ली").map(|p| p.name.as_str()), Some("Delhi"));
        assert_eq!(
            g.find("Port Blair").map(|p| p.name.as_str()),
            Some("Port Blair")
        );
        assert_eq!(
            g.find("Shivajinagar, Pune, Maharashtra")
                .map(|p| p.name.as_str()),
            Some("Pune")
        );
        assert_eq!(g.find("Atlantis"), None);
        assert_eq!(g.find(""), None);
    }

    #[test]
    fn places_operator_rows_win_and_bad_rows_name_the_line() {
        let mut g = Gazetteer::builtin().expect("built-in");
        g.add_csv(
            "local.csv",
            "name,state,lat,lon,aliases\nKothrud,Maharashtra,18.5074,73.8077,कोथरूड\n\
             Pune,Maharashtra,18.53,73.85,\n",
        )
        .expect("local rows");
        assert_eq!(g.find("kothrud pune").map(|p| p.lat), Some(18.5074));
        assert_eq!(g.find("Pune").map(|p| p.lat), Some(18.53));
        let err = g
            .add_csv("local.csv", "name,state,lat,lon\nX,Y,95,10\n")
            .expect_err("latitude out of range");
        assert!(
            err.to_string().contains("line 2") && err.to_string().contains("lat `95`"),
            "{err}"
        );
        let err = g
            .add_csv("local.csv", "name,state,lat,lon\n,Y,1,2\n")
            .expect_err("no name");
        assert!(err.to_string().contains("name is empty"), "{err}");
    }
}
