//! Days and times the way people type them, in English, Hindi and Hinglish: "tmrw",
//! "monday", "कल", "परसों", "1 dec", "2026-12-01"; "10am", "10:30", "2 pm", "शाम 5",
//! "10 baje". Days count from the facility's today; times are the facility's local time.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Weekday};

/// Words for today, tomorrow and the day after.
const RELATIVE: [(&[&str], i64); 3] = [
    (&["today", "aaj", "आज", "tdy"], 0),
    (
        &[
            "tomorrow", "tmrw", "tmr", "tmrow", "tomorow", "tommorow", "kal", "कल",
        ],
        1,
    ),
    (
        &["day after tomorrow", "parso", "parson", "परसों", "परसो"],
        2,
    ),
];

/// Weekday names, Monday first.
const WEEKDAYS: [(Weekday, &[&str]); 7] = [
    (Weekday::Mon, &["mon", "monday", "somvar", "सोमवार", "सोम"]),
    (
        Weekday::Tue,
        &["tue", "tues", "tuesday", "mangalvar", "मंगलवार", "मंगल"],
    ),
    (
        Weekday::Wed,
        &["wed", "weds", "wednesday", "budhvar", "बुधवार", "बुध"],
    ),
    (
        Weekday::Thu,
        &[
            "thu",
            "thur",
            "thurs",
            "thursday",
            "guruvar",
            "गुरुवार",
            "गुरु",
            "वीरवार",
        ],
    ),
    (
        Weekday::Fri,
        &["fri", "friday", "shukravar", "शुक्रवार", "शुक्र"],
    ),
    (
        Weekday::Sat,
        &["sat", "saturday", "shanivar", "शनिवार", "शनि"],
    ),
    (
        Weekday::Sun,
        &["sun", "sunday", "ravivar", "रविवार", "रवि", "इतवार"],
    ),
];

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Devanagari digits as ASCII, lower case, trimmed, without the words around a day or time.
fn normal(text: &str) -> String {
    let ascii: String = text
        .chars()
        .map(|c| match c {
            '०'..='९' => char::from(b'0' + (c as u32 - '०' as u32) as u8),
            other => other,
        })
        .collect();
    ascii
        .to_lowercase()
        .replace(['.', ','], " ")
        .split_whitespace()
        .filter(|w| !matches!(*w, "on" | "at" | "next" | "this" | "को" | "बजे" | "baje"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The day `text` names, counted from `today`; `None` when it names none.
pub(crate) fn day(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let said = normal(text);
    if let Ok(date) = NaiveDate::parse_from_str(&said, "%Y-%m-%d") {
        return Some(date);
    }
    if let Some((_, ahead)) = RELATIVE.iter().find(|(w, _)| w.contains(&said.as_str())) {
        return today.checked_add_signed(Duration::days(*ahead));
    }
    if let Some((weekday, _)) = WEEKDAYS.iter().find(|(_, w)| w.contains(&said.as_str())) {
        let ahead =
            (weekday.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
        return today.checked_add_signed(Duration::days(i64::from(ahead)));
    }
    day_of_month(&said, today)
}

/// "1 dec", "dec 1", "1/12", or a day of the month alone ("5": the next 5th).
fn day_of_month(said: &str, today: NaiveDate) -> Option<NaiveDate> {
    let parts: Vec<&str> = said
        .split(['/', '-', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    let month_of = |w: &str| {
        MONTHS
            .iter()
            .position(|m| w.starts_with(m))
            .map(|i| i as u32 + 1)
            .or_else(|| w.parse::<u32>().ok().filter(|m| (1..=12).contains(m)))
    };
    let (d, month) = match parts.as_slice() {
        [d] => (d.parse::<u32>().ok()?, None),
        [d, m] if d.parse::<u32>().is_ok() => (d.parse().ok()?, Some(month_of(m)?)),
        [m, d] => (d.parse().ok()?, Some(month_of(m)?)),
        _ => return None,
    };
    let candidates = (0..14).filter_map(|i| {
        let (y, m) = ((today.year() * 12 + today.month0() as i32 + i) / 12, {
            (today.month0() as i32 + i) % 12 + 1
        });
        NaiveDate::from_ymd_opt(y, m as u32, d)
    });
    candidates
        .filter(|date| month.is_none_or(|m| date.month() == m))
        .find(|date| *date >= today)
}

/// Minutes after local midnight of the time `text` names ("10am", "14:30", "शाम 5").
pub(crate) fn time(text: &str) -> Option<u32> {
    let said = normal(&text.replace('.', ":"));
    let later = [
        "pm",
        "evening",
        "sham",
        "शाम",
        "dopahar",
        "दोपहर",
        "raat",
        "रात",
    ]
    .iter()
    .any(|w| said.contains(w));
    let digits: String = said
        .chars()
        .map(|c| {
            if c.is_ascii_digit() || c == ':' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let token = digits.split_whitespace().next()?;
    let (h, m) = match token.split_once(':') {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None if token.len() >= 3 => {
            let (h, m) = token.split_at(token.len() - 2);
            (h.parse().ok()?, m.parse().ok()?)
        }
        None => (token.parse().ok()?, 0),
    };
    let h = if later && h < 12 {
        h + 12
    } else if said.contains("am") && h == 12 {
        0
    } else {
        h
    };
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// A slot's start as the facility's local wall clock.
pub(crate) fn local(rfc3339: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(rfc3339).ok()
}

/// `HH:MM` of a start.
pub(crate) fn hhmm(rfc3339: &str) -> String {
    local(rfc3339).map_or_else(|| rfc3339.to_owned(), |t| t.format("%H:%M").to_string())
}

/// `Mon 2026-11-30 10:00` of a start.
pub(crate) fn when(rfc3339: &str) -> String {
    local(rfc3339).map_or_else(
        || rfc3339.to_owned(),
        |t| t.format("%a %Y-%m-%d %H:%M").to_string(),
    )
}

/// `Mon 2026-11-30` of a date.
pub(crate) fn day_label(date: NaiveDate) -> String {
    date.format("%a %Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn days_people_type() {
        let today = d("2026-11-28"); // a Saturday
        assert_eq!(day("today", today), Some(today));
        assert_eq!(day("Tmrw", today), Some(d("2026-11-29")));
        assert_eq!(day("कल", today), Some(d("2026-11-29")));
        assert_eq!(day("परसों", today), Some(d("2026-11-30")));
        assert_eq!(day("monday", today), Some(d("2026-11-30")));
        assert_eq!(day("next Mon", today), Some(d("2026-11-30")));
        assert_eq!(day("सोमवार", today), Some(d("2026-11-30")));
        assert_eq!(day("sat", today), Some(today));
        assert_eq!(day("2026-12-03", today), Some(d("2026-12-03")));
        assert_eq!(day("1 dec", today), Some(d("2026-12-01")));
        assert_eq!(day("Dec 1", today), Some(d("2026-12-01")));
        assert_eq!(day("5", today), Some(d("2026-12-05")));
        assert_eq!(day("30", today), Some(d("2026-11-30")));
        assert_eq!(day("१ dec", today), Some(d("2026-12-01")));
        assert_eq!(day("someday", today), None);
        assert_eq!(day("31 feb", today), None);
    }

    #[test]
    fn times_people_type() {
        assert_eq!(time("10am"), Some(600));
        assert_eq!(time("10 AM"), Some(600));
        assert_eq!(time("10:30"), Some(630));
        assert_eq!(time("10.30"), Some(630));
        assert_eq!(time("2pm"), Some(840));
        assert_eq!(time("2:15 pm"), Some(855));
        assert_eq!(time("14:00"), Some(840));
        assert_eq!(time("1030"), Some(630));
        assert_eq!(time("शाम 5 बजे"), Some(1020));
        assert_eq!(time("सुबह १० बजे"), Some(600));
        assert_eq!(time("12am"), Some(0));
        assert_eq!(time("25:00"), None);
        assert_eq!(time("soon"), None);
    }
}
