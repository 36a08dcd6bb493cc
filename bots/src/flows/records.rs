//! `/records [ID]` lists a health ID's records (the holder's and guardians' own, or staff's
//! under a consent grant), `/records get ID RECORD` sends one back as a document, `/records
//! delete ID RECORD` erases one (after a second press). Staff upload by sending a file with
//! the health ID, the record type and a title as its caption (`/upload` explains how).

use caremesh_federation::vocabulary::RecordType;

use super::health::{choose, digits, take_id};
use super::{Gate, Step, done, pass};
use crate::chat::FileIn;
use crate::engine::Turn;
use crate::lang::words::{self, ChatWord, labels};
use crate::lang::{common, records as t};
use crate::port::{Account, RecordUpload};
use crate::reply::{Button, Reply};
use crate::role::Role;

/// Download buttons one list shows.
const LIST_BUTTONS: usize = 20;

/// `/records [ID]`, `/records get ID RECORD`, `/records delete ID RECORD [confirm]`.
pub(crate) async fn start(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let (word, rest) = args.trim().split_once(' ').unwrap_or((args.trim(), ""));
    match word.to_lowercase().as_str() {
        "get" | "download" => get(turn, by, rest).await,
        "delete" | "erase" => erase(turn, by, rest).await,
        _ => list(turn, by, args).await,
    }
}

async fn list(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let (typed, _) = take_id(args);
    if typed.is_none() && by.role != Role::Patient {
        return done(vec![turn.say(t::RECORDS_USAGE, &[])]);
    }
    let number = match choose(turn, &by, typed.as_deref(), "records").await? {
        Ok(n) => n,
        Err(reply) => return done(vec![reply]),
    };
    let records = match turn.health().records(&by, &number).await {
        Ok(r) => r,
        Err(e) => return super::refusal(turn, e),
    };
    if records.is_empty() {
        return done(vec![turn.say(t::NO_RECORDS, &[&number])]);
    }
    let mut lines = vec![turn.t(t::RECORDS_HEADER, &[&number])];
    for (i, r) in records.iter().enumerate() {
        lines.push(turn.t(
            t::RECORD_LINE,
            &[
                &(i + 1).to_string(),
                &r.date,
                r.record_type.label(turn.lang),
                &r.title,
                &r.facility,
                &size(r.size),
            ],
        ));
    }
    let n = digits(&number);
    let buttons = records
        .iter()
        .take(LIST_BUTTONS)
        .enumerate()
        .map(|(i, r)| Button::command(format!("⬇ {}", i + 1), format!("/records get {n} {}", r.id)))
        .collect();
    done(vec![Reply::text(lines.join("\n")).grid(buttons, 5)])
}

/// A size for people: `312 KB`.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} B"),
    }
}

/// The record id after the health ID, or the usage line.
fn record_arg(turn: &Turn<'_>, args: &str) -> Result<(String, String, bool), Reply> {
    let (typed, rest) = take_id(args);
    let mut words = rest.split_whitespace();
    match (typed, words.next().and_then(super::id_arg)) {
        (Some(id), Some(record)) => {
            let confirmed = words
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("confirm"));
            Ok((id, record, confirmed))
        }
        _ => Err(turn.say(t::RECORD_USAGE, &[])),
    }
}

async fn get(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let (number, record, _) = match record_arg(turn, args) {
        Ok(found) => found,
        Err(usage) => return done(vec![usage]),
    };
    let document = match turn.health().record_file(&by, &number, &record).await {
        Ok(d) => d,
        Err(e) => return super::refusal(turn, e),
    };
    let caption = turn.t(t::DOCUMENT_CAPTION, &[&document.name, &number]);
    let mut reply = Reply::document(document, caption);
    if by.role == Role::Patient {
        reply = reply.row(vec![Button::command(
            turn.t(t::ERASE_RECORD_BUTTON, &[]),
            format!("/records delete {} {record}", digits(&number)),
        )]);
    }
    done(vec![reply])
}

async fn erase(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let (number, record, confirmed) = match record_arg(turn, args) {
        Ok(found) => found,
        Err(usage) => return done(vec![usage]),
    };
    if !confirmed {
        let yes = Button::command(
            turn.t(t::ERASE_RECORD_YES, &[]),
            format!("/records delete {} {record} confirm", digits(&number)),
        );
        let no = Button::command(turn.t(t::KEEP_RECORD, &[]), "/cancel");
        return done(vec![
            turn.say(t::ERASE_RECORD_CONFIRM, &[]).row(vec![yes, no]),
        ]);
    }
    match turn.health().erase_record(&by, &number, &record).await {
        Ok(()) => done(vec![turn.say(t::RECORD_ERASED, &[])]),
        Err(e) => super::refusal(turn, e),
    }
}

/// `/upload`: how staff upload.
pub(crate) async fn upload(turn: &Turn<'_>, _by: Account, _args: &str) -> Step {
    let types = labels::<RecordType>(turn.lang);
    done(vec![turn.say(t::UPLOAD_USAGE, &[&types])])
}

/// What a caption says: `ID TYPE [YYYY-MM-DD] [TITLE]`.
struct Caption {
    health_id: String,
    record_type: RecordType,
    date: Option<String>,
    title: String,
}

/// Reads a caption; the title defaults to the file's name without its extension.
fn caption(text: &str, file_name: &str) -> Option<Caption> {
    let (health_id, rest) = take_id(text);
    let health_id = health_id?;
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    let (record_type, named) = words::find::<RecordType>(&words)?;
    if named.start != 0 {
        return None;
    }
    words.drain(named);
    let is_date = |w: &&str| w.len() == 10 && w.chars().filter(|c| *c == '-').count() == 2;
    let date = words
        .iter()
        .position(is_date)
        .map(|i| words.remove(i).to_owned());
    let title = match words.join(" ") {
        t if t.trim().is_empty() => file_name
            .rsplit_once('.')
            .map_or(file_name, |(stem, _)| stem)
            .to_owned(),
        t => t,
    };
    Some(Caption {
        health_id,
        record_type,
        date,
        title,
    })
}

/// The media type of a file, from its first bytes where they tell (platforms often say
/// only `application/octet-stream`); the node checks it again.
fn content_type(file: &FileIn) -> String {
    let b = &file.bytes;
    let by_bytes = if b.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if file.content_type == "application/fhir+json"
        || (file.name.ends_with(".json") && b.first() == Some(&b'{'))
    {
        Some("application/fhir+json")
    } else if std::str::from_utf8(b).is_ok() {
        Some("text/plain")
    } else {
        None
    };
    by_bytes.map_or_else(|| file.content_type.clone(), str::to_owned)
}

/// A file someone sent: staff upload it as a record for the health ID in its caption.
pub(crate) async fn file_sent(turn: &Turn<'_>, file: &FileIn) -> Step {
    let by = match pass(turn, Gate::Staff).await? {
        Ok(a) => a,
        Err(_) => {
            let name: String = file.name.chars().take(64).collect();
            return done(vec![turn.say(common::FILE_NOT_SUPPORTED, &[&name])]);
        }
    };
    if file.is_unfetched() {
        return done(vec![turn.say(t::FILE_UNFETCHED, &[])]);
    }
    if file.is_too_large() {
        let mb = format!("{:.1}", file.size as f64 / (1024.0 * 1024.0));
        return done(vec![turn.say(t::FILE_TOO_LARGE, &[&mb])]);
    }
    let Some(said) = caption(&file.caption, &file.name) else {
        let types = labels::<RecordType>(turn.lang);
        return done(vec![turn.say(t::UPLOAD_USAGE, &[&types])]);
    };
    let upload = RecordUpload {
        health_id: said.health_id.clone(),
        record_type: said.record_type,
        title: said.title.chars().take(200).collect(),
        date: said.date,
        content_type: content_type(file),
        bytes: file.bytes.clone(),
    };
    match turn.health().upload_record(&by, upload).await {
        Ok(up) => {
            let text = if up.stored {
                t::UPLOAD_STORED
            } else {
                t::UPLOAD_SENDING
            };
            let sha: String = up.sha256.chars().take(12).collect();
            done(vec![turn.say(text, &[&said.title, &said.health_id, &sha])])
        }
        Err(e) => super::refusal(turn, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_name_the_id_type_date_and_title() {
        let c = caption(
            "42-1730-0000-0011 lab report 2024-05-01 Blood count",
            "x.pdf",
        );
        let c = c.expect("read");
        assert_eq!(c.health_id, "42-1730-0000-0011");
        assert_eq!(c.record_type, RecordType::LabReport);
        assert_eq!(c.date.as_deref(), Some("2024-05-01"));
        assert_eq!(c.title, "Blood count");
        let c = caption("42173000000011 x-ray", "chest scan.jpg").expect("read");
        assert_eq!(
            (c.record_type, c.title.as_str()),
            (RecordType::Imaging, "chest scan")
        );
        let c = caption("42173000000011 पर्चा", "rx.txt").expect("read");
        assert_eq!(c.record_type, RecordType::Prescription);
        assert!(
            caption("42173000000011 Blood count", "x.pdf").is_none(),
            "type needed"
        );
        assert!(caption("lab report", "x.pdf").is_none(), "ID needed");
    }

    #[test]
    fn content_types_come_from_the_bytes() {
        let file = |name: &str, bytes: &[u8]| {
            FileIn::new(name, "application/octet-stream", bytes.to_vec(), "")
        };
        assert_eq!(content_type(&file("a", b"%PDF-1.7 ...")), "application/pdf");
        assert_eq!(
            content_type(&file("a", &[0xFF, 0xD8, 0xFF, 0xE0])),
            "image/jpeg"
        );
        assert_eq!(content_type(&file("a.txt", b"Hb 13.2")), "text/plain");
        assert_eq!(
            content_type(&file("a.json", b"{\"resourceType\":1}")),
            "application/fhir+json"
        );
        assert_eq!(
            content_type(&file("a", &[0, 159, 146, 150])),
            "application/octet-stream"
        );
    }
}
