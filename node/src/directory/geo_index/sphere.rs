//! Spherical geometry: the haversine distance, the lower bound from a point to a
//! latitude/longitude box, coordinate checks and the integer grid behind the quadtree.
//!
//! Searches rank by the haversine term `h = sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2)`, which
//! grows with the great-circle distance, and turn it into kilometres only for the results.
//! [`haversine_km`] goes through the same [`hav`] so an index distance and a caller's own
//! distance for the same pair of points are the same `f64`.

/// Mean earth radius (IUGG) in kilometres, the sphere all distances are measured on.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Levels of the quadtree grid: latitude and longitude are quantised to 31 bits each.
pub(super) const GRID_BITS: u32 = 31;

/// Shrinks a box bound so that rounding can never put it above the `h` of a point inside.
const BOUND_SLACK: f64 = 1.0 - 1e-12;

/// Great-circle distance in kilometres between two points given in degrees (WGS84 latitude
/// and longitude, taken on a sphere of radius [`EARTH_RADIUS_KM`]).
///
/// Longitudes need not be normalised: 179.99 and -179.99 are 0.02° apart.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    h_to_km(hav(phi1, phi1.cos(), phi2, phi2.cos(), lon2 - lon1))
}

/// The haversine term for two latitudes (radians, with their cosines) and a longitude
/// difference in degrees.
#[inline]
pub(super) fn hav(phi1: f64, cos1: f64, phi2: f64, cos2: f64, dlon_deg: f64) -> f64 {
    let a = ((phi2 - phi1) * 0.5).sin();
    let b = (dlon_deg.to_radians() * 0.5).sin();
    a * a + cos1 * cos2 * (b * b)
}

/// Kilometres for a haversine term.
#[inline]
pub(super) fn h_to_km(h: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * h.clamp(0.0, 1.0).sqrt().asin()
}

/// The haversine term of a distance, padded up a little so that no point at exactly
/// `km` is dropped by rounding; callers recheck candidates in kilometres. Distances of half
/// the circumference or more give a term above every real one.
pub(super) fn km_to_h_ceiling(km: f64) -> f64 {
    let angle = km / EARTH_RADIUS_KM;
    if angle >= std::f64::consts::PI {
        return f64::INFINITY;
    }
    let s = (angle * 0.5).sin();
    s * s * (1.0 + 1e-9) + 1e-300
}

/// Whether a latitude/longitude pair can be indexed: finite, latitude within ±90°.
pub(super) fn valid_position(lat: f64, lon: f64) -> bool {
    lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat)
}

/// Maps a finite longitude into [-180, 180).
pub(super) fn normalize_lon(lon: f64) -> f64 {
    if (-180.0..180.0).contains(&lon) {
        return lon;
    }
    let wrapped = (lon + 180.0).rem_euclid(360.0) - 180.0;
    // rem_euclid can round up to 360 for tiny negative inputs.
    if wrapped >= 180.0 { -180.0 } else { wrapped }
}

/// Grid cell of a valid position at the finest level: (latitude row, longitude column).
pub(super) fn grid_cell(lat: f64, lon: f64) -> (u32, u32) {
    let max = (1u32 << GRID_BITS) - 1;
    let scale = f64::from(1u32 << GRID_BITS);
    // `as` saturates, and the inputs are already within range; min() handles lat = 90.
    let row = (((lat + 90.0) / 180.0) * scale) as u32;
    let col = (((lon + 180.0) / 360.0) * scale) as u32;
    (row.min(max), col.min(max))
}

/// Quadrant (0..4) of a grid cell at tree depth `depth` (0 at the root).
#[inline]
pub(super) fn quadrant(cell: (u32, u32), depth: u32) -> usize {
    let shift = GRID_BITS - 1 - depth;
    (((cell.0 >> shift) & 1) << 1 | ((cell.1 >> shift) & 1)) as usize
}

/// Morton code of a grid cell; sorting by it lists cells in quadtree order.
pub(super) fn morton(cell: (u32, u32)) -> u64 {
    spread(cell.0) << 1 | spread(cell.1)
}

/// Spreads the bits of `x` to the even bit positions of a u64.
fn spread(x: u32) -> u64 {
    let mut v = u64::from(x);
    v = (v | v << 16) & 0x0000_ffff_0000_ffff;
    v = (v | v << 8) & 0x00ff_00ff_00ff_00ff;
    v = (v | v << 4) & 0x0f0f_0f0f_0f0f_0f0f;
    v = (v | v << 2) & 0x3333_3333_3333_3333;
    (v | v << 1) & 0x5555_5555_5555_5555
}

/// A query point, with what every distance computation from it needs.
#[derive(Clone, Copy, Debug)]
pub(super) struct Origin {
    pub phi: f64,
    pub cos_phi: f64,
    pub lon: f64,
}

impl Origin {
    /// The origin for a valid, normalised position.
    pub fn new(lat: f64, lon: f64) -> Self {
        let phi = lat.to_radians();
        Self {
            phi,
            cos_phi: phi.cos(),
            lon,
        }
    }

    /// Haversine term from this origin to a point in degrees.
    #[inline]
    pub fn hav_to(&self, lat: f64, lon: f64) -> f64 {
        let phi = lat.to_radians();
        hav(self.phi, self.cos_phi, phi, phi.cos(), lon - self.lon)
    }

    /// A lower bound of the haversine term from this origin to any point of the box
    /// `[lat_min, lat_max] × [lon_min, lon_max]` (degrees, longitudes in [-180, 180)).
    ///
    /// The latitude gap and the longitude gap are bounded separately: the gap in latitude
    /// is exact, and for the longitude part the smaller of the two edge cosines stands in
    /// for the unknown latitude (cos is concave on [-90°, 90°]). Longitudes wrap, so a box
    /// at -179.9° is 0.2° from an origin at 179.9°.
    pub fn bound_to_box(&self, lat_min: f64, lat_max: f64, lon_min: f64, lon_max: f64) -> f64 {
        let (lo, hi) = (lat_min.to_radians(), lat_max.to_radians());
        let dphi = if self.phi < lo {
            lo - self.phi
        } else if self.phi > hi {
            self.phi - hi
        } else {
            0.0
        };
        let a = (dphi * 0.5).sin();
        let mut h = a * a;
        let dlon = lon_gap(self.lon, lon_min, lon_max);
        if dlon > 0.0 {
            let b = (dlon.to_radians() * 0.5).sin();
            h += self.cos_phi * lo.cos().min(hi.cos()) * (b * b);
        }
        h * BOUND_SLACK
    }
}

/// Degrees of longitude (0..=180) between `lon` and the nearest longitude in
/// `[lon_min, lon_max]`, going either way round.
fn lon_gap(lon: f64, lon_min: f64, lon_max: f64) -> f64 {
    let (east, west) = if lon < lon_min {
        (lon_min - lon, lon - lon_max + 360.0)
    } else if lon > lon_max {
        (lon_min - lon + 360.0, lon - lon_max)
    } else {
        return 0.0;
    };
    east.min(west).clamp(0.0, 180.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng, rngs::StdRng};

    #[test]
    fn known_distances() {
        // One degree of latitude, and a quarter of a meridian.
        let deg = haversine_km(0.0, 0.0, 1.0, 0.0);
        assert!((deg - 111.195_08).abs() < 1e-3, "{deg}");
        let quarter = haversine_km(0.0, 10.0, 90.0, -70.0);
        assert!((quarter - EARTH_RADIUS_KM * std::f64::consts::FRAC_PI_2).abs() < 1e-6);
        // Across the antimeridian.
        let across = haversine_km(0.0, 179.99, 0.0, -179.99);
        assert!((across - 0.02 * 111.195_08).abs() < 1e-3, "{across}");
        assert_eq!(haversine_km(12.0, 77.0, 12.0, 77.0), 0.0);
    }

    #[test]
    fn normalizes_longitudes() {
        assert_eq!(normalize_lon(180.0), -180.0);
        assert_eq!(normalize_lon(190.0), -170.0);
        assert_eq!(normalize_lon(-190.0), 170.0);
        assert_eq!(normalize_lon(-180.0), -180.0);
        assert_eq!(normalize_lon(-1e-17), -1e-17);
        let tiny = normalize_lon(-360.0 - 1e-15);
        assert!((-180.0..180.0).contains(&tiny), "{tiny}");
    }

    #[test]
    fn morton_order_matches_quadrants() {
        let cell = (0b101u32 << 28, 0b011u32 << 28);
        assert_eq!(quadrant(cell, 0), 0b10);
        assert_eq!(quadrant(cell, 1), 0b01);
        assert_eq!(quadrant(cell, 2), 0b11);
        assert_eq!(morton(cell) >> 56, 0b10_01_11);
        assert_eq!(
            grid_cell(90.0, 179.999_999_999),
            ((1 << 31) - 1, (1 << 31) - 1)
        );
        assert_eq!(grid_cell(-90.0, -180.0), (0, 0));
    }

    /// The box bound never exceeds the haversine term of a point inside the box, including
    /// boxes at the poles, across longitude 180 from the origin, and points on the edges.
    #[test]
    fn box_bound_is_a_lower_bound() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..20_000 {
            let a: f64 = rng.gen_range(-90.0..=90.0);
            let b: f64 = (a + rng.gen_range(0.0..5.0f64)).min(90.0);
            let c: f64 = rng.gen_range(-180.0..180.0);
            let d: f64 = (c + rng.gen_range(0.0..5.0f64)).min(179.999);
            let origin = Origin::new(rng.gen_range(-90.0..=90.0), rng.gen_range(-180.0..180.0));
            let bound = origin.bound_to_box(a, b, c, d);
            for _ in 0..4 {
                let lat = if rng.gen_bool(0.3) {
                    a
                } else {
                    rng.gen_range(a..=b)
                };
                let lon = if rng.gen_bool(0.3) {
                    d
                } else {
                    rng.gen_range(c..=d)
                };
                let h = origin.hav_to(lat, lon);
                assert!(
                    bound <= h,
                    "bound {bound} > {h} at {lat},{lon} box {a} {b} {c} {d}"
                );
            }
        }
    }
}
