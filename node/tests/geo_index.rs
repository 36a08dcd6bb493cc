//! The spatial index against a brute-force haversine scan: random data sets that include
//! the antimeridian, the poles, quadtree cell borders and piles of identical points, with
//! filters, radii and limits; plus inserts, moves and removals against a model.

use std::collections::BTreeMap;

use caremesh_node::directory::geo_index::{
    Filter, GeoEntry, GeoError, GeoIndex, Hit, haversine_km,
};
use rand::{Rng, SeedableRng, rngs::StdRng};

/// A position from one of several regimes, longitudes in [-180, 180).
fn position(rng: &mut StdRng) -> (f64, f64) {
    match rng.gen_range(0..8) {
        // Anywhere, poles included.
        0 => (rng.gen_range(-90.0..=90.0), rng.gen_range(-180.0..180.0)),
        // Astride the antimeridian.
        1 => (
            rng.gen_range(-60.0..60.0),
            wrap(180.0 + rng.gen_range(-0.5..0.5)),
        ),
        // Around either pole, and exactly on them.
        2 => {
            let lat = if rng.gen_bool(0.1) {
                90.0
            } else {
                rng.gen_range(89.0..=90.0)
            };
            (
                if rng.gen_bool(0.5) { lat } else { -lat },
                rng.gen_range(-180.0..180.0),
            )
        }
        // On quadtree cell borders: dyadic fractions of the lat/lon ranges.
        3 => {
            let level = rng.gen_range(1..12);
            let lat = -90.0
                + 180.0 * f64::from(rng.gen_range(0..=1u32 << level)) / f64::from(1u32 << level);
            let lon = -180.0
                + 360.0 * f64::from(rng.gen_range(0..1u32 << level)) / f64::from(1u32 << level);
            (lat, lon)
        }
        // A pile of identical points (more than a leaf holds).
        4 => (12.5, 77.25),
        // Dense city-like clusters, as in gen_facilities.py.
        _ => {
            let centres = [
                (19.076, 72.878),
                (28.614, 77.209),
                (12.972, 77.595),
                (0.0, 0.0),
            ];
            let (clat, clon) = centres[rng.gen_range(0..centres.len())];
            let s = rng.gen_range(0.01..0.2);
            let lat: f64 = clat + s * (rng.r#gen::<f64>() - 0.5) * 4.0;
            let lon: f64 = clon + s * (rng.r#gen::<f64>() - 0.5) * 4.0;
            (lat.clamp(-90.0, 90.0), lon)
        }
    }
}

fn wrap(lon: f64) -> f64 {
    if lon >= 180.0 { lon - 360.0 } else { lon }
}

fn entry(rng: &mut StdRng, slot: u32) -> GeoEntry {
    let (lat, lon) = position(rng);
    let mut specialties = 0u64;
    for _ in 0..rng.gen_range(1..=3) {
        specialties |= 1 << rng.gen_range(0..30);
    }
    GeoEntry {
        slot,
        lat,
        lon,
        kind: rng.gen_range(0..6),
        specialties,
        flags: rng.gen_range(0..16),
    }
}

fn filter(rng: &mut StdRng) -> Filter {
    let mut f = Filter::default();
    if rng.gen_bool(0.5) {
        f.kind = Some(rng.gen_range(0..7));
    }
    for _ in 0..rng.gen_range(0..=2) {
        f.specialties_all |= 1 << rng.gen_range(0..31);
    }
    if rng.gen_bool(0.3) {
        f.flags_all = 1 << rng.gen_range(0..4);
    }
    if rng.gen_bool(0.3) {
        f.max_km = Some([0.5, 20.0, 300.0, 5000.0][rng.gen_range(0..4)]);
    }
    f
}

fn matches(e: &GeoEntry, f: &Filter) -> bool {
    f.kind.is_none_or(|k| k == e.kind)
        && e.specialties & f.specialties_all == f.specialties_all
        && e.flags & f.flags_all == f.flags_all
}

/// Every matching entry within `max_km`, nearest first, ties by slot, at most `k`.
fn brute(
    entries: &[GeoEntry],
    lat: f64,
    lon: f64,
    k: usize,
    f: &Filter,
    max_km: Option<f64>,
) -> Vec<Hit> {
    let mut hits: Vec<Hit> = entries
        .iter()
        .filter(|e| matches(e, f))
        .map(|e| Hit {
            slot: e.slot,
            distance_km: haversine_km(lat, lon, e.lat, e.lon),
        })
        .filter(|h| max_km.is_none_or(|m| h.distance_km <= m))
        .collect();
    hits.sort_by(|a, b| {
        a.distance_km
            .total_cmp(&b.distance_km)
            .then(a.slot.cmp(&b.slot))
    });
    hits.truncate(k);
    hits
}

/// Same slots in the same order; where slots differ, the distances must be equal (a tie).
fn assert_same(got: &[Hit], want: &[Hit], what: &str) {
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: lengths differ\n got {got:?}\nwant {want:?}"
    );
    for (g, w) in got.iter().zip(want) {
        let same = if g.slot == w.slot {
            g.distance_km == w.distance_km
        } else {
            (g.distance_km - w.distance_km).abs() <= 1e-9
        };
        assert!(
            same,
            "{what}: got {g:?}, want {w:?}\n got {got:?}\nwant {want:?}"
        );
    }
}

fn check_queries(index: &GeoIndex, entries: &[GeoEntry], rng: &mut StdRng, n: usize) {
    for i in 0..n {
        let (lat, lon) = position(rng);
        let f = filter(rng);
        if i % 3 == 0 {
            let radius = [0.0, 1.0, 10.0, 150.0, 2000.0, 30_000.0][rng.gen_range(0..6)];
            let limit = [1, 7, 100, usize::MAX][rng.gen_range(0..4)];
            let max_km = Some(f.max_km.map_or(radius, |m| m.min(radius)));
            let got = index.within(lat, lon, radius, &f, limit);
            let want = brute(entries, lat, lon, limit, &f, max_km);
            assert_same(
                &got,
                &want,
                &format!("within {radius} km of {lat},{lon} {f:?} limit {limit}"),
            );
        } else {
            let k = [1, 3, 10, 40][rng.gen_range(0..4)];
            let got = index.nearest(lat, lon, k, &f);
            let want = brute(entries, lat, lon, k, &f, f.max_km);
            assert_same(&got, &want, &format!("{k} nearest to {lat},{lon} {f:?}"));
        }
    }
}

#[test]
fn bulk_loaded_index_matches_brute_force() {
    let mut rng = StdRng::seed_from_u64(0x6e0);
    let entries: Vec<GeoEntry> = (0..6000)
        .map(|slot| entry(&mut rng, slot * 3 + 1))
        .collect();
    let index = GeoIndex::bulk_load(entries.clone()).expect("valid positions");
    assert_eq!(index.len(), entries.len());
    check_queries(&index, &entries, &mut rng, 2500);
}

#[test]
fn inserts_moves_and_removals_match_a_model() {
    let mut rng = StdRng::seed_from_u64(0xbeef);
    let first: Vec<GeoEntry> = (0..1500).map(|slot| entry(&mut rng, slot)).collect();
    let mut index = GeoIndex::bulk_load(first.clone()).expect("valid positions");
    let mut model: BTreeMap<u32, GeoEntry> = first.into_iter().map(|e| (e.slot, e)).collect();
    for round in 0..6 {
        for _ in 0..800 {
            let slot = rng.gen_range(0..3000);
            if rng.gen_bool(0.3) {
                assert_eq!(index.remove(slot), model.remove(&slot), "remove {slot}");
            } else {
                let e = entry(&mut rng, slot);
                let old = index.insert(e).expect("valid position");
                assert_eq!(old, model.insert(slot, e), "insert {slot}");
            }
        }
        assert_eq!(index.len(), model.len());
        for slot in (0..3000).step_by(7) {
            assert_eq!(
                index.get(slot),
                model.get(&slot).copied(),
                "round {round} slot {slot}"
            );
        }
        let entries: Vec<GeoEntry> = model.values().copied().collect();
        check_queries(&index, &entries, &mut rng, 250);
    }
    // Emptying the index leaves nothing behind.
    let slots: Vec<u32> = model.keys().copied().collect();
    for slot in slots {
        assert!(index.remove(slot).is_some());
    }
    assert!(index.is_empty());
    assert!(index.nearest(0.0, 0.0, 5, &Filter::default()).is_empty());
}

#[test]
fn finds_across_the_antimeridian_and_over_the_pole() {
    let mut index = GeoIndex::new();
    let far = |slot, lat, lon| GeoEntry {
        slot,
        lat,
        lon,
        kind: 1,
        specialties: 1,
        flags: 0,
    };
    for (slot, lat, lon) in [
        (1, 0.0, -179.99),
        (2, 0.0, 170.0),
        (3, 89.99, -90.0),
        (4, 80.0, 90.0),
    ] {
        index.insert(far(slot, lat, lon)).expect("valid position");
    }
    let hits = index.nearest(0.0, 179.99, 1, &Filter::default());
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].slot, 1);
    assert!((hits[0].distance_km - 2.2239).abs() < 1e-3, "{hits:?}");
    // 89.99°N 90°E to 89.99°N 90°W is 0.02° of arc through the pole.
    let hits = index.within(89.99, 90.0, 5.0, &Filter::default(), 10);
    assert_eq!(hits.iter().map(|h| h.slot).collect::<Vec<_>>(), vec![3]);
    assert!((hits[0].distance_km - 2.2239).abs() < 1e-3, "{hits:?}");
}

#[test]
fn rejects_invalid_positions_without_panicking() {
    let good = GeoEntry {
        slot: 1,
        lat: 10.0,
        lon: 190.0,
        kind: 0,
        specialties: 0,
        flags: 0,
    };
    let mut index = GeoIndex::new();
    assert_eq!(index.insert(good), Ok(None));
    assert_eq!(index.get(1).map(|e| e.lon), Some(-170.0));
    for (lat, lon) in [
        (f64::NAN, 0.0),
        (0.0, f64::NAN),
        (91.0, 0.0),
        (0.0, f64::INFINITY),
    ] {
        let bad = GeoEntry {
            slot: 1,
            lat,
            lon,
            ..good
        };
        assert!(matches!(
            index.insert(bad),
            Err(GeoError::InvalidPosition { slot: 1, .. })
        ));
        assert!(GeoIndex::bulk_load(vec![good, bad]).is_err());
        assert!(index.nearest(lat, lon, 3, &Filter::default()).is_empty());
    }
    assert_eq!(
        index.get(1),
        Some(GeoEntry {
            lon: -170.0,
            ..good
        }),
        "failed insert changed nothing"
    );
    let any = Filter::default();
    assert!(index.within(10.0, -170.0, f64::NAN, &any, 5).is_empty());
    assert!(index.within(10.0, -170.0, -1.0, &any, 5).is_empty());
    assert!(
        index
            .nearest(
                10.0,
                -170.0,
                5,
                &Filter {
                    max_km: Some(f64::NAN),
                    ..any
                }
            )
            .is_empty()
    );
    assert_eq!(index.within(10.0, -170.0, 0.0, &any, 5).len(), 1);
    assert!(index.nearest(10.0, -170.0, 0, &any).is_empty());
}

#[test]
fn bulk_load_keeps_the_last_duplicate() {
    let e = |slot, lat, kind| GeoEntry {
        slot,
        lat,
        lon: 0.0,
        kind,
        specialties: 0,
        flags: 0,
    };
    let index = GeoIndex::bulk_load(vec![
        e(5, 1.0, 0),
        e(6, 2.0, 0),
        e(5, 3.0, 2),
        e(u32::MAX, 4.0, 1),
    ])
    .expect("valid positions");
    assert_eq!(index.len(), 3);
    assert_eq!(index.get(5), Some(e(5, 3.0, 2)));
    assert_eq!(index.get(u32::MAX), Some(e(u32::MAX, 4.0, 1)));
    let slots: Vec<u32> = index
        .nearest(0.0, 0.0, 10, &Filter::default())
        .iter()
        .map(|h| h.slot)
        .collect();
    assert_eq!(slots, vec![6, 5, u32::MAX]);
}
