use caremesh_federation::object::{FacilityKind, Ownership};

use super::*;
use crate::directory::import::fields::price_minor;

const GEN_SAMPLE: &str = include_str!("../../../../tests/fixtures/gen_facilities_sample.csv");

/// Parses `text`, returning the facilities and the errors in order.
fn run(text: &str) -> (Vec<ImportedFacility>, Vec<RowError>, CsvSummary) {
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    let summary = match parse_csv(text.as_bytes(), |r| match r {
        Ok(f) => ok.push(f),
        Err(e) => bad.push(e),
    }) {
        Ok(s) => s,
        Err(e) => panic!("file refused: {e}"),
    };
    (ok, bad, summary)
}

const HEADER: &str = "id,kind,name,lat,lon,ownership,street,city,state,zip,country,contact,\
    specialties,services,hours,blood_stock\n";

#[test]
fn import_csv_reads_every_documented_column() {
    let text = format!(
        "{HEADER}h1,hospital,City Hospital,28.6139,77.2090,government,1 Ring Rd,Delhi,Delhi,\
         110001,IN,+91 11 2345 6789,cardiology;emergency_medicine,\"X-ray:350.5:inr;ECG:200:INR\",\
         24/7,O-:12;A+:3\n"
    );
    let (ok, bad, summary) = run(&text);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(
        summary,
        CsvSummary {
            rows: 1,
            imported: 1,
            refused: 0,
            headerless: false
        }
    );
    let f = &ok[0].facility;
    assert_eq!(ok[0].source_ref, "h1");
    assert_eq!(
        (f.kind, f.name.as_str()),
        (FacilityKind::Hospital, "City Hospital")
    );
    assert_eq!((f.lat_e7, f.lon_e7), (286_139_000, 772_090_000));
    assert_eq!(f.ownership, Some(Ownership::Government));
    assert_eq!(
        (f.address.city.as_str(), f.address.zip.as_str()),
        ("Delhi", "110001")
    );
    assert_eq!(f.contact, "+91 11 2345 6789");
    assert_eq!(f.specialties, ["cardiology", "emergency_medicine"]);
    assert_eq!(f.services.len(), 2);
    assert_eq!(
        (f.services[0].price_minor, f.services[0].currency.as_str()),
        (35_050, "INR")
    );
    assert_eq!(f.hours, "24/7");
    assert_eq!(f.blood_stock.get("O-"), Some(&12));
}

#[test]
fn import_csv_column_order_is_free_and_id_is_optional() {
    let text = "Longitude, Name ,LAT,kind\n77.1,Corner Pharmacy,28.5,pharmacy\n";
    let (ok, bad, _) = run(text);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(ok[0].facility.kind, FacilityKind::Pharmacy);
    assert_eq!(ok[0].facility.lon_e7, 771_000_000);
    assert!(ok[0].source_ref.starts_with("sha256:"));
}

#[test]
fn import_csv_refuses_malformed_rows_with_row_and_field() {
    let text = "id,kind,name,lat,lon,services,blood_stock,ownership,specialties\n\
        a,hospital,Good,10,20,,,,\n\
        b,spaceport,Bad kind,10,20,,,,\n\
        c,clinic,,10,20,,,,\n\
        d,clinic,No coords,,,,,,\n\
        e,clinic,Far north,91,20,,,,\n\
        f,clinic,Text lat,ten,20,,,,\n\
        g,clinic,Bad price,10,20,ECG:12.345:INR,,,\n\
        h,blood_bank,Bad group,10,20,,Z+:3,,\n\
        i,clinic,Bad owner,10,20,,,pirates,\n\
        j,clinic,Bad specialty,10,20,,,,astrology\n\
        a,clinic,Duplicate,10,20,,,,\n";
    let (ok, bad, summary) = run(text);
    assert_eq!(ok.len(), 1);
    assert_eq!(
        (summary.rows, summary.imported, summary.refused),
        (11, 1, 10)
    );
    let got: Vec<(usize, &str)> = bad.iter().map(|e| (e.row, e.field)).collect();
    assert_eq!(
        got,
        [
            (2, "kind"),
            (3, "name"),
            (4, "lat"),
            (5, "lat"),
            (6, "lat"),
            (7, "services"),
            (8, "blood_stock"),
            (9, "ownership"),
            (10, "specialties"),
            (11, "id"),
        ]
    );
    assert_eq!(bad[9].source_ref.as_deref(), Some("a"));
    assert!(bad[2].problem.contains("coordinates"), "{}", bad[2].problem);
}

#[test]
fn import_csv_header_without_required_column_is_refused() {
    let err = parse_csv("id,kind,name,lat\n1,clinic,A,10\n".as_bytes(), |_| {});
    assert!(
        matches!(err, Err(ImportError::MissingColumn { column: "lon", .. })),
        "{err:?}"
    );
    let err = parse_csv("just,some,words\n".as_bytes(), |_| {});
    assert!(
        matches!(err, Err(ImportError::MissingColumn { .. })),
        "{err:?}"
    );
    assert!(matches!(
        parse_csv("".as_bytes(), |_| {}),
        Ok(CsvSummary { rows: 0, .. })
    ));
}

#[test]
fn import_csv_reads_the_gen_facilities_layout() {
    let (ok, bad, summary) = run(GEN_SAMPLE);
    assert!(bad.is_empty(), "{bad:?}");
    assert!(summary.headerless);
    assert_eq!(ok.len(), 100);
    let first = &ok[0];
    assert_eq!(first.source_ref, "1");
    assert_eq!(first.facility.name, "hospital 1");
    assert_eq!(first.facility.kind, FacilityKind::Hospital);
    assert_eq!(first.facility.specialties, ["emergency_medicine"]);
    assert_eq!(
        (first.facility.lat_e7, first.facility.lon_e7),
        (293_936_050, 761_081_480)
    );
    assert!(ok.iter().any(|f| f.facility.specialties.len() == 3));
}

#[test]
fn import_csv_twice_gives_identical_facilities_and_ids() {
    let (a, _, _) = run(GEN_SAMPLE);
    let (b, _, _) = run(GEN_SAMPLE);
    assert_eq!(a, b);
    let ids_a: Vec<String> = a.iter().map(ImportedFacility::id).collect();
    let ids_b: Vec<String> = b.iter().map(ImportedFacility::id).collect();
    assert_eq!(ids_a, ids_b);
    let mut unique = ids_a.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids_a.len());
}

#[test]
fn import_csv_invalid_utf8_refuses_only_that_row() {
    let mut bytes = b"id,kind,name,lat,lon\n1,clinic,A,10,20\n2,clinic,".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b",10,20\n3,clinic,C,10,20\n");
    let (mut ok, mut bad) = (0, Vec::new());
    let summary = parse_csv(bytes.as_slice(), |r| match r {
        Ok(_) => ok += 1,
        Err(e) => bad.push(e),
    });
    assert!(summary.is_ok());
    assert_eq!(ok, 2);
    assert_eq!((bad[0].row, bad[0].field), (2, "record"));
}

#[test]
fn import_csv_prices_parse_without_floats() {
    assert_eq!(price_minor("150"), Some(15_000));
    assert_eq!(price_minor("150.5"), Some(15_050));
    assert_eq!(price_minor("0.05"), Some(5));
    assert_eq!(price_minor("1.234"), None);
    assert_eq!(price_minor("-3"), None);
    assert_eq!(price_minor(".5"), None);
    assert_eq!(price_minor("99999999999999999999"), None);
}

/// Throughput on a big file: `CAREMESH_IMPORT_BENCH=/path/to.csv cargo test --release -p
/// caremesh-node import_csv_throughput -- --ignored --nocapture`.
#[test]
#[ignore = "needs a large CSV named by CAREMESH_IMPORT_BENCH"]
fn import_csv_throughput() {
    let Ok(path) = std::env::var("CAREMESH_IMPORT_BENCH") else {
        println!("CAREMESH_IMPORT_BENCH not set; nothing measured");
        return;
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => std::io::BufReader::new(f),
        Err(e) => panic!("{path}: {e}"),
    };
    let started = std::time::Instant::now();
    let mut ids = 0usize;
    let summary = parse_csv(file, |r| {
        if let Ok(f) = r {
            ids += f.id().len();
        }
    });
    let elapsed = started.elapsed();
    let summary = match summary {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    println!("{summary:?} in {elapsed:?} ({ids} id bytes)");
    assert_eq!(summary.refused, 0);
}
