//! `caremesh import facilities` through the importer function: refused rows and their
//! reasons, idempotent re-import, search over the imported listings, and GeoJSON export.

use std::path::Path;

use caremesh_node::app::App;
use caremesh_node::directory::exporter::{ExportFormat, export, export_to};
use caremesh_node::directory::importer::import_file;
use caremesh_node::directory::search::Query;
use caremesh_node::fixtures::node_config;

const CSV: &str = "\
id,kind,name,lat,lon,specialties,contact
1,hospital,Sassoon General Hospital,18.5275,73.8730,cardiology;emergency_medicine,+91 20 2612 8000
2,clinic,Aundh Clinic,18.5590,73.8077,pediatrics,
3,pharmacy,Kothrud Pharmacy,not-a-number,73.8070,,
2,clinic,Aundh Clinic again,18.5591,73.8078,pediatrics,
4,lab,Pune Path Lab,,,pathology,
5,blood_bank,Ruby Hall Blood Bank,18.5330,73.8770,,
";

fn open(dir: &Path) -> App {
    App::open(node_config(dir, "import test", &[]), true).expect("temp node opens")
}

#[test]
fn import_refuses_bad_rows_is_idempotent_and_searchable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("pune.csv");
    std::fs::write(&file, CSV).expect("write csv");
    let app = open(dir.path());

    let report = import_file(&app.services.listings, &file, false).expect("import");
    assert_eq!(report.rows, 6, "{report}");
    assert_eq!(
        (report.new, report.updated, report.unchanged, report.refused),
        (3, 0, 0, 3),
        "{report}"
    );
    let reasons: Vec<(usize, &str)> = report.refusals.iter().map(|r| (r.row, r.field)).collect();
    assert_eq!(reasons, vec![(3, "lat"), (4, "id"), (5, "lat")], "{report}");
    assert!(report.refusals[1].problem.contains("duplicate"), "{report}");
    assert!(report.refused_file.is_none());

    let again = import_file(&app.services.listings, &file, false).expect("re-import");
    assert_eq!(
        (again.new, again.updated, again.unchanged, again.refused),
        (0, 0, 3, 3),
        "{again}"
    );

    let found = app
        .services
        .finder
        .index()
        .nearest(18.52, 73.85, 10, &Query::default(), None);
    assert_eq!(found.len(), 3);
    let nearest = app.services.listings.get(&found[0].id).expect("listing");
    assert_eq!(nearest.name, "Sassoon General Hospital");
    let hospitals = Query {
        specialties: vec!["cardiology".into()],
        ..Query::default()
    };
    assert_eq!(
        app.services
            .finder
            .index()
            .nearest(18.52, 73.85, 10, &hospitals, None)
            .len(),
        1
    );

    let doc = export(&app.services.listings, ExportFormat::Geojson).expect("export");
    assert_eq!(doc["type"], "FeatureCollection");
    assert_eq!(doc["features"].as_array().map(Vec::len), Some(3));

    // The streamed file is the same document, for both formats.
    for format in [ExportFormat::Geojson, ExportFormat::Fhir] {
        let path = dir.path().join("out.json");
        let count =
            export_to(&app.services.listings, format, Some(&path), true).expect("export_to");
        let text = std::fs::read_to_string(&path).expect("written");
        let streamed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let whole = export(&app.services.listings, format).expect("export");
        assert_eq!(streamed, whole, "{format:?}");
        let items = whole["features"].as_array().or(whole["entry"].as_array());
        assert_eq!(Some(count), items.map(Vec::len), "{format:?}");
    }
}

#[test]
fn import_changes_only_changed_rows_and_keeps_files_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = open(dir.path());
    let first = dir.path().join("a.csv");
    std::fs::write(&first, CSV).expect("write csv");
    import_file(&app.services.listings, &first, false).expect("import a");

    let edited = CSV.replace("Aundh Clinic,", "Aundh Children's Clinic,");
    std::fs::write(&first, &edited).expect("rewrite csv");
    let report = import_file(&app.services.listings, &first, false).expect("import edited");
    assert_eq!(
        (report.new, report.updated, report.unchanged),
        (0, 1, 2),
        "{report}"
    );

    let second = dir.path().join("b.csv");
    std::fs::write(&second, CSV).expect("write csv");
    let other = import_file(&app.services.listings, &second, false).expect("import b");
    assert_eq!(
        other.new, 3,
        "same ids in another file are other listings: {other}"
    );
    assert_eq!(app.services.finder.index().len(), 6);
}

#[test]
fn import_lists_many_refusals_in_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = open(dir.path());
    let file = dir.path().join("bad.csv");
    let mut csv = String::from("id,kind,name,lat,lon\n");
    for i in 0..60 {
        csv.push_str(&format!("{i},spa,Spa {i},18.5,73.8\n"));
    }
    std::fs::write(&file, csv).expect("write csv");
    let report = import_file(&app.services.listings, &file, false).expect("import");
    assert_eq!(report.refused, 60);
    assert!(report.refusals.is_empty());
    let listed = report.refused_file.expect("refused file");
    let text = std::fs::read_to_string(listed).expect("refused file readable");
    assert_eq!(text.lines().count(), 60);
    assert!(text.lines().all(|l| l.contains("`kind`")), "{text}");
}

#[test]
fn import_says_to_stop_the_node_when_the_store_is_locked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let _running = open(dir.path());
    let second =
        caremesh_node::app::App::open_offline(node_config(dir.path(), "import test", &[]), true);
    let message = second.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("stop `caremesh run`"), "{message}");
}

#[test]
fn import_geojson_streams_features_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = open(dir.path());
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osm_sample.geojson");
    let file = dir.path().join("osm.geojson");
    std::fs::copy(&sample, &file).expect("copy sample");
    let first = import_file(&app.services.listings, &file, false).expect("import");
    assert_eq!(first.rows, 14, "{first}");
    assert!(first.new > 0 && first.new + first.refused == 14, "{first}");
    let again = import_file(&app.services.listings, &file, false).expect("import again");
    assert_eq!(
        (again.new, again.updated, again.unchanged),
        (0, 0, first.new),
        "{again}"
    );
    assert_eq!(app.services.finder.index().len(), first.new);

    let broken = dir.path().join("broken.geojson");
    std::fs::write(&broken, r#"{"type":"Topology","features":[]}"#).expect("write");
    let err = import_file(&app.services.listings, &broken, false).expect_err("not a collection");
    assert!(err.to_string().contains("Topology"), "{err}");
    assert_eq!(
        app.services.finder.index().len(),
        first.new,
        "nothing changed"
    );
}
