//! Reading a GeoJSON FeatureCollection one feature at a time, so that a country's worth of
//! OpenStreetMap features does not have to fit in memory as one JSON tree.
//!
//! Features are handed on as they are read once the top-level `"type"` is known to be
//! `"FeatureCollection"` (exporters write it first). Features that come before the type are
//! kept until it is seen, and dropped if it is something else, so a document that is not a
//! FeatureCollection delivers nothing. A syntax error part-way delivers the features before
//! it and then fails, like a CSV file cut short.

use std::fmt;
use std::io::Read;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::super::ImportError;

const COLLECTION: &str = "FeatureCollection";

/// What the reader has seen so far, and where features go.
struct Doc<'a> {
    each: &'a mut dyn FnMut(&Value, usize),
    /// The top-level `type`, once read.
    kind: Option<String>,
    /// Features read before the type was known.
    pending: Vec<Value>,
    /// Features read (delivered, pending or skipped).
    count: usize,
    saw_features: bool,
}

impl Doc<'_> {
    fn confirmed(&self) -> bool {
        self.kind.as_deref() == Some(COLLECTION)
    }

    fn deliver_pending(&mut self) {
        let first = self.count - self.pending.len();
        for (i, feature) in self.pending.drain(..).enumerate() {
            (self.each)(&feature, first + i + 1);
        }
    }
}

/// Calls `each(feature, number)` (numbers from 1, in file order) for every feature of the
/// FeatureCollection read from `reader`.
pub fn for_each_feature<R: Read>(
    reader: R,
    each: &mut dyn FnMut(&Value, usize),
) -> Result<(), ImportError> {
    let mut doc = Doc {
        each,
        kind: None,
        pending: Vec::new(),
        count: 0,
        saw_features: false,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    de.deserialize_map(DocVisitor(&mut doc))
        .and_then(|()| de.end())
        .map_err(classify)?;
    if !doc.confirmed() {
        let problem = match &doc.kind {
            Some(kind) => format!("top-level `type` is \"{kind}\", not \"{COLLECTION}\""),
            None => "top-level `type` is missing".to_owned(),
        };
        return Err(ImportError::NotFeatureCollection { problem });
    }
    if !doc.saw_features {
        let problem = "`features` is missing".to_owned();
        return Err(ImportError::NotFeatureCollection { problem });
    }
    Ok(())
}

/// Read failures, JSON syntax errors, and JSON of the wrong shape, told apart.
fn classify(e: serde_json::Error) -> ImportError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Io => ImportError::Read {
            format: "GeoJSON",
            source: e.into(),
        },
        Category::Data => ImportError::NotFeatureCollection {
            problem: e.to_string(),
        },
        Category::Syntax | Category::Eof => ImportError::Json { source: e },
    }
}

struct DocVisitor<'d, 'a>(&'d mut Doc<'a>);

impl<'de> Visitor<'de> for DocVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let doc = self.0;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => {
                    let kind: Value = map.next_value()?;
                    doc.kind = Some(kind.as_str().unwrap_or("(not text)").to_owned());
                    if doc.confirmed() {
                        doc.deliver_pending();
                    } else {
                        doc.pending.clear();
                    }
                }
                "features" => {
                    map.next_value_seed(Features(&mut *doc))?;
                    doc.saw_features = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct Features<'d, 'a>(&'d mut Doc<'a>);

impl<'de> DeserializeSeed<'de> for Features<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`features` as an array")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let doc = self.0;
        let known_other = doc.kind.is_some() && !doc.confirmed();
        if known_other {
            while seq.next_element::<IgnoredAny>()?.is_some() {
                doc.count += 1;
            }
            return Ok(());
        }
        while let Some(feature) = seq.next_element::<Value>()? {
            doc.count += 1;
            if doc.confirmed() {
                (doc.each)(&feature, doc.count);
            } else {
                doc.pending.push(feature);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(json: &str) -> Result<Vec<(usize, String)>, ImportError> {
        let mut seen = Vec::new();
        for_each_feature(json.as_bytes(), &mut |f, n| {
            seen.push((n, f["name"].as_str().unwrap_or("").to_owned()));
        })?;
        Ok(seen)
    }

    #[test]
    fn geojson_stream_any_key_order_and_refusals() {
        let expect = vec![(1, "a".to_owned()), (2, "b".to_owned())];
        let first = r#"{"type":"FeatureCollection","bbox":[1,2,3,4],"features":[{"name":"a"},{"name":"b"}]}"#;
        assert_eq!(names(first).unwrap(), expect);
        let last =
            r#"{"features":[{"name":"a"},{"name":"b"}],"x":{"y":[1]},"type":"FeatureCollection"}"#;
        assert_eq!(names(last).unwrap(), expect);

        let wrong = names(r#"{"type":"Topology","features":[{"name":"a"}]}"#);
        assert!(
            matches!(&wrong, Err(ImportError::NotFeatureCollection { problem }) if problem.contains("Topology")),
            "{wrong:?}"
        );
        let mut delivered = 0;
        let late_wrong = r#"{"features":[{"name":"a"}],"type":"Point"}"#;
        let result = for_each_feature(late_wrong.as_bytes(), &mut |_, _| delivered += 1);
        assert!(
            result.is_err() && delivered == 0,
            "nothing from a non-collection"
        );
        let not_array = names(r#"{"type":"FeatureCollection","features":{"a":1}}"#);
        assert!(
            matches!(&not_array, Err(ImportError::NotFeatureCollection { problem }) if problem.contains("`features` as an array")),
            "{not_array:?}"
        );
        assert!(matches!(
            names(r#"{"type":"FeatureCollection"}"#),
            Err(ImportError::NotFeatureCollection { .. })
        ));
        assert!(matches!(
            names("[1,2]"),
            Err(ImportError::NotFeatureCollection { .. })
        ));
        assert!(matches!(names("{ nope"), Err(ImportError::Json { .. })));
        assert!(matches!(
            names(r#"{"type":"FeatureCollection","features":[]} trailing"#),
            Err(ImportError::Json { .. })
        ));

        let mut got = Vec::new();
        let cut = r#"{"type":"FeatureCollection","features":[{"name":"a"},{"name":"#;
        let result = for_each_feature(cut.as_bytes(), &mut |f, n| got.push((n, f["name"].clone())));
        assert!(
            matches!(result, Err(ImportError::Json { .. })),
            "{result:?}"
        );
        assert_eq!(got.len(), 1, "the features before the cut are delivered");
    }
}
