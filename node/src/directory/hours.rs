//! Opening hours in the common subset of OpenStreetMap's `opening_hours`: `24/7`,
//! `09:00-17:00` (every day), `Mo-Fr 09:00-17:00; Sa 09:00-13:00`, `Mo,We 10:00-12:00,16:00-19:00`,
//! and ranges past midnight (`Fr 20:00-02:00`). Anything else is "unknown".

const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

fn day(text: &str) -> Option<usize> {
    DAYS.iter().position(|d| *d == text)
}

fn days(spec: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for part in spec.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a.trim())?, day(b.trim())?);
                let mut d = a;
                loop {
                    out.push(d);
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => out.push(day(part.trim())?),
        }
    }
    Some(out)
}

fn minutes(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 1440).then_some(h * 60 + m)
}

/// Whether a facility with these hours is open on `weekday` (0 = Monday) at `minute` of the
/// day; `None` when the hours are empty or not in the understood subset.
pub fn is_open(hours: &str, weekday: usize, minute: u32) -> Option<bool> {
    let hours = hours.trim();
    if hours.is_empty() {
        return None;
    }
    if matches!(hours, "24/7" | "24x7") {
        return Some(true);
    }
    let mut open = false;
    for rule in hours.split(';').map(str::trim).filter(|r| !r.is_empty()) {
        let (day_spec, times) = match rule.split_once(' ') {
            Some((d, t)) if d.chars().next().is_some_and(char::is_alphabetic) => (days(d)?, t),
            _ => ((0..7).collect(), rule),
        };
        if times.trim() == "off" {
            continue;
        }
        for range in times.split(',') {
            let (from, to) = range.split_once('-')?;
            let (from, to) = (minutes(from)?, minutes(to)?);
            let yesterday = (weekday + 6) % 7;
            open |= if from <= to {
                day_spec.contains(&weekday) && (from..to).contains(&minute)
            } else {
                (day_spec.contains(&weekday) && minute >= from)
                    || (day_spec.contains(&yesterday) && minute < to)
            };
        }
    }
    Some(open)
}

/// Standard UTC offsets, in minutes, of countries that keep one time zone all year (ISO
/// 3166 alpha-2 codes, as addresses and OSM `addr:country` carry them).
const FIXED_OFFSETS: [(&str, i32); 16] = [
    ("IN", 330),
    ("LK", 330),
    ("NP", 345),
    ("BD", 360),
    ("BT", 360),
    ("PK", 300),
    ("MM", 390),
    ("AF", 270),
    ("AE", 240),
    ("OM", 240),
    ("SA", 180),
    ("KE", 180),
    ("ET", 180),
    ("UG", 180),
    ("TZ", 180),
    ("NG", 60),
];

/// The local time offset used for a listing's "open now": its country's when that country
/// keeps one zone without daylight saving (India and its neighbours, and a few more), else
/// mean solar time from its longitude (the nearest whole hour). No daylight saving rules.
pub fn utc_offset_minutes(country: &str, lon: f64) -> i32 {
    let code = country.trim();
    let by_country = FIXED_OFFSETS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, m)| *m)
        .or_else(|| {
            ["india", "bharat", "भारत"]
                .contains(&code.to_lowercase().as_str())
                .then_some(330)
        });
    by_country.unwrap_or_else(|| {
        let hours = if lon.is_finite() {
            (lon / 15.0).round()
        } else {
            0.0
        };
        (hours.clamp(-12.0, 14.0) as i32) * 60
    })
}

#[cfg(test)]
mod tests {
    use super::{is_open, utc_offset_minutes};

    #[test]
    fn offsets_by_country_else_longitude() {
        assert_eq!(utc_offset_minutes("IN", 73.85), 330);
        assert_eq!(
            utc_offset_minutes("India", 93.9),
            330,
            "one zone for all of India"
        );
        assert_eq!(utc_offset_minutes("np", 85.3), 345);
        assert_eq!(utc_offset_minutes("", 73.85), 300, "no country: solar time");
        assert_eq!(utc_offset_minutes("FR", 2.35), 0);
        assert_eq!(utc_offset_minutes("US", -122.4), -480);
        assert_eq!(utc_offset_minutes("", f64::NAN), 0);
    }

    #[test]
    fn common_forms() {
        assert_eq!(is_open("24/7", 3, 200), Some(true));
        assert_eq!(
            is_open("Mo-Fr 09:00-17:00; Sa 09:00-13:00", 0, 9 * 60),
            Some(true)
        );
        assert_eq!(
            is_open("Mo-Fr 09:00-17:00; Sa 09:00-13:00", 5, 14 * 60),
            Some(false)
        );
        assert_eq!(
            is_open("Mo-Fr 09:00-17:00; Sa 09:00-13:00", 6, 10 * 60),
            Some(false)
        );
        assert_eq!(is_open("08:00-20:00", 6, 19 * 60 + 59), Some(true));
        assert_eq!(
            is_open("Fr 20:00-02:00", 5, 60),
            Some(true),
            "Friday night runs into Saturday"
        );
        assert_eq!(
            is_open("Mo,We 10:00-12:00,16:00-19:00", 2, 17 * 60),
            Some(true)
        );
        assert_eq!(
            is_open("Su-Tu 10:00-11:00", 0, 10 * 60 + 30),
            Some(true),
            "wrapping day range"
        );
        assert_eq!(is_open("by appointment", 0, 0), None);
        assert_eq!(is_open("", 0, 0), None);
        assert_eq!(is_open("Mo 25:00-26:00", 0, 0), None);
    }
}
