//! The directory index across restarts: its snapshot (written at a clean stop, or earlier)
//! plus the store's log since, or a rebuild from the listings when there is no usable
//! snapshot. Every way must answer the same searches.

use caremesh_federation::Meta;
use caremesh_federation::object::{Facility, FacilityKind};
use caremesh_node::app::{App, snapshot_path};
use caremesh_node::directory::search::{Found, Query};
use caremesh_node::fixtures;
use caremesh_node::fixtures::node_config;

fn open(dir: &std::path::Path) -> App {
    App::open(node_config(dir, "snapshot", &[]), true).expect("node opens")
}

/// A deterministic pseudo-random stream (an LCG), so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

const KINDS: [FacilityKind; 3] = [
    FacilityKind::Hospital,
    FacilityKind::Clinic,
    FacilityKind::BloodBank,
];
const SPECIALTIES: [&str; 3] = ["cardiology", "pediatrics", "emergency_medicine"];

fn listing(meta: Meta, rng: &mut Lcg, n: usize) -> Facility {
    let mut f = fixtures::facility(meta);
    f.name = format!("facility {n}");
    f.lat_e7 = ((18.0 + rng.next()) * 1e7) as i32;
    f.lon_e7 = ((73.3 + rng.next()) * 1e7) as i32;
    f.kind = KINDS[n % KINDS.len()];
    f.specialties = vec![SPECIALTIES[n % SPECIALTIES.len()].to_owned()];
    f.hours = if n.is_multiple_of(4) {
        "24/7"
    } else {
        "Mo-Fr 09:00-17:00"
    }
    .into();
    if f.kind == FacilityKind::BloodBank {
        f.blood_stock.insert("O-".into(), (n % 3) as u32);
    }
    f
}

/// Answers to a fixed set of searches, for comparing one start with another.
fn answers(app: &App) -> Vec<Vec<Found>> {
    let d = &app.services.finder.index();
    let mut out = Vec::new();
    for (lat, lon) in [(18.5, 73.8), (18.1, 73.4), (18.9, 74.2), (19.5, 75.0)] {
        out.push(d.nearest(lat, lon, 15, &Query::default(), None));
        out.push(d.within(lat, lon, 20.0, &Query::default(), usize::MAX));
        for (i, kind) in KINDS.iter().enumerate() {
            let query = Query {
                kind: Some(*kind),
                specialties: vec![SPECIALTIES[i].to_owned()],
                ..Query::default()
            };
            out.push(d.nearest(lat, lon, 5, &query, Some(60.0)));
        }
        let blood = Query {
            blood_group: Some("O-".into()),
            ..Query::default()
        };
        out.push(d.nearest(lat, lon, 5, &blood, None));
        let open = Query {
            always_open: true,
            ..Query::default()
        };
        out.push(d.nearest(lat, lon, 5, &open, None));
    }
    out
}

#[test]
fn the_directory_index_survives_clean_stops_crashes_and_bad_snapshots() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = Lcg(42);
    let (expected, count) = {
        let app = open(dir.path());
        let admin = app.services.members.get("admin").unwrap().unwrap();
        let mut ids = Vec::new();
        for n in 0..400 {
            let f = app
                .services
                .listings
                .create(&admin, |meta| listing(meta, &mut rng, n))
                .expect("create");
            ids.push(f.meta.id);
        }
        for id in ids.iter().step_by(20) {
            app.services.listings.retract(&admin, id).expect("retract");
        }
        // Some of these were retracted: an update brings them back.
        for (n, id) in ids.iter().enumerate().skip(3).step_by(17) {
            app.services
                .listings
                .update(&admin, id, |meta| listing(meta, &mut rng, n + 1))
                .expect("move");
        }
        app.store.flush().unwrap();
        let expected = answers(&app);
        let found = expected.iter().filter(|a| !a.is_empty()).count();
        assert!(
            found * 4 > expected.len() * 3,
            "most searches find something"
        );
        (expected, app.services.finder.index().len())
        // Dropped without `close`: a crash.
    };

    let app = open(dir.path());
    assert_eq!(
        app.directory_loaded.rebuilt_because.as_deref(),
        Some("no snapshot file"),
        "a crash before any snapshot: rebuilt"
    );
    assert_eq!(app.directory_loaded.count, count);
    assert_eq!(answers(&app), expected, "rebuilt after a crash");
    app.close().expect("clean stop");
    drop(app);

    let app = open(dir.path());
    assert_eq!(
        app.directory_loaded.rebuilt_because, None,
        "read the snapshot"
    );
    assert_eq!(app.directory_loaded.count, count);
    assert_eq!(answers(&app), expected, "read from the snapshot");
    // Changes made on a snapshot-loaded index reach the next snapshot.
    let admin = app.services.members.get("admin").unwrap().unwrap();
    let mut rng = Lcg(7);
    for n in 400..420 {
        app.services
            .listings
            .create(&admin, |meta| listing(meta, &mut rng, n))
            .expect("create");
    }
    let expected = answers(&app);
    app.close().expect("clean stop");
    drop(app);

    let app = open(dir.path());
    assert_eq!(app.directory_loaded.rebuilt_because, None);
    assert_eq!(
        answers(&app),
        expected,
        "later listings are in the snapshot"
    );
    // A crash after a snapshot: the snapshot plus the log since it.
    let admin = app.services.members.get("admin").unwrap().unwrap();
    let mut late = Vec::new();
    for n in 420..440 {
        let f = app
            .services
            .listings
            .create(&admin, |meta| listing(meta, &mut rng, n))
            .expect("create");
        late.push(f.meta.id);
    }
    app.services
        .listings
        .retract(&admin, &late[3])
        .expect("retract");
    app.services
        .listings
        .update(&admin, &late[5], |meta| listing(meta, &mut rng, 999))
        .expect("move");
    app.store.flush().unwrap();
    let expected = answers(&app);
    drop(app);
    let app = open(dir.path());
    assert_eq!(
        app.directory_loaded.rebuilt_because, None,
        "snapshot plus log"
    );
    assert!(
        app.directory_loaded.replayed >= 22,
        "{:?}",
        app.directory_loaded
    );
    assert_eq!(
        answers(&app),
        expected,
        "the log brings the snapshot up to date"
    );
    app.close().expect("clean stop");
    drop(app);

    // A snapshot from another node's store is not used.
    let other = tempfile::tempdir().expect("tempdir");
    drop(open(other.path()));
    std::fs::copy(
        snapshot_path(&dir.path().join("data")),
        snapshot_path(&other.path().join("data")),
    )
    .expect("copy snapshot");
    let stranger = open(other.path());
    assert_eq!(
        stranger.directory_loaded.rebuilt_because.as_deref(),
        Some("the snapshot was taken from another store")
    );
    assert!(stranger.services.finder.index().is_empty());
    drop(stranger);

    let path = snapshot_path(&dir.path().join("data"));
    let mut bytes = std::fs::read(&path).expect("snapshot written");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(&path, &bytes).expect("damage");
    let app = open(dir.path());
    assert_eq!(
        app.directory_loaded.rebuilt_because.as_deref(),
        Some("snapshot checksum does not match")
    );
    assert_eq!(answers(&app), expected, "rebuilt after damage");
    app.close().expect("clean stop");
    drop(app);

    std::fs::remove_file(&path).expect("remove");
    let app = open(dir.path());
    assert_eq!(
        app.directory_loaded.rebuilt_because.as_deref(),
        Some("no snapshot file")
    );
    assert_eq!(answers(&app), expected, "rebuilt without the file");
}
