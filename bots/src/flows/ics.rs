//! A confirmed appointment as an iCalendar file (RFC 5545), for the person's calendar app:
//! one event with the exact start and end (UTC), the facility as its location and, when
//! known, its coordinates. The person's name and health ID stay out of it.

use chrono::{DateTime, Utc};

use crate::port::AppointmentInfo;
use crate::reply::Document;

/// `20261130T043000Z` of an RFC 3339 instant.
fn utc(rfc3339: &str) -> Option<String> {
    let t = DateTime::parse_from_rfc3339(rfc3339).ok()?;
    Some(t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string())
}

/// Text escaped for a property value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a character), ending in CRLF.
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The calendar file of an appointment; `summary` is its title in the person's language.
/// `None` when its times cannot be read.
pub(crate) fn calendar(a: &AppointmentInfo, summary: &str, now: DateTime<Utc>) -> Option<Document> {
    let (start, end) = (utc(&a.start)?, utc(&a.end)?);
    let mut out = String::new();
    let location = [a.facility_name.as_str(), a.address.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//caremesh//appointments//EN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}@caremesh", a.id),
        format!("DTSTAMP:{}", now.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART:{start}"),
        format!("DTEND:{end}"),
        format!("SUMMARY:{}", escape(summary)),
        format!("LOCATION:{}", escape(&location)),
    ];
    if let Some((lat, lon)) = a.place {
        lines.push(format!("GEO:{lat:.6};{lon:.6}"));
    }
    lines.extend(["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"].map(str::to_owned));
    for l in &lines {
        line(&mut out, l);
    }
    Some(Document {
        name: "appointment.ics".to_owned(),
        content_type: "text/calendar".to_owned(),
        bytes: out.into_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn appointment() -> AppointmentInfo {
        AppointmentInfo {
            id: "01JAPPT".into(),
            status: "confirmed".into(),
            facility_id: "f1".into(),
            facility_name: "City Clinic; Ward 2".into(),
            service: "Vaccination".into(),
            start: "2026-11-30T10:00:00+05:30".into(),
            end: "2026-11-30T10:15:00+05:30".into(),
            health_id: "42-1730-0000-0011".into(),
            name: "Asha Rao".into(),
            place: Some((18.52, 73.85)),
            address: "MG Road, Pune".into(),
            today: "2026-11-29".into(),
            ..AppointmentInfo::default()
        }
    }

    #[test]
    fn an_event_at_the_exact_instant_without_the_persons_name() {
        let now = DateTime::parse_from_rfc3339("2026-11-29T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let doc = calendar(&appointment(), "Vaccination at City Clinic", now).unwrap();
        let text = String::from_utf8(doc.bytes).unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20261130T043000Z\r\n"));
        assert!(text.contains("DTEND:20261130T044500Z\r\n"));
        assert!(text.contains("LOCATION:City Clinic\\; Ward 2\\, MG Road\\, Pune\r\n"));
        assert!(text.contains("GEO:18.520000;73.850000\r\n"));
        assert!(!text.contains("Asha") && !text.contains("1730"));
        assert!(text.lines().all(|l| l.len() <= 75));
        assert_eq!(doc.content_type, "text/calendar");
    }

    #[test]
    fn long_lines_fold_between_characters() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "टीका".repeat(20)));
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "टीका".repeat(20))
        );
    }
}
