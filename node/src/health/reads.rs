//! Reading records: the holder and guardians at the home node directly; staff (of any node)
//! under a live grant, checked at the home node on every read — through a read relayed
//! there when the home is another node. Content comes in ranges of 1 MiB, each checked
//! again, so a revocation ends a download at its next range; nothing is cached.

use caremesh_federation::object::{AnswerContent, MAX_RANGE, ReadContent, ReadOp, RecordItem};

use super::audit::{Action, Entry};
use super::consent::Status;
use super::error::{HealthError, HealthResult};
use super::hid::HealthId;
use super::prefixes::Home;
use super::record::RecordMeta;
use super::service::Health;
use crate::error::ServiceError;
use crate::members::{Member, Role};

/// How a member reaches the records of one health ID.
enum Access {
    /// Holder or guardian, at the home node.
    Own,
    /// Staff of this node under grants held here (the ID is issued here).
    Local { consents: Vec<String> },
    /// Staff of this node under grants from the home node `home`.
    Remote { home: String, consents: Vec<String> },
}

/// How the next range of a record is fetched.
enum Fetch {
    Own { record: RecordMeta },
    Local { read: ReadContent },
    Remote { home: String, read: ReadContent },
}

/// A record's bytes, range by range: [`Content::next`] until `None`.
pub struct Content {
    pub content_type: String,
    pub size: u64,
    /// A name for the file, from the record's title and type, when this node keeps the
    /// record (a read under a grant answers bytes only).
    pub title: Option<String>,
    first: Option<Vec<u8>>,
    offset: u64,
    fetch: Fetch,
    health: Health,
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Content")
            .field("content_type", &self.content_type)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// A refusal from the home node, as the caller gets it.
fn refusal(check: &str, message: String) -> HealthError {
    if check == "not_found" {
        HealthError::Service(ServiceError::NotFound {
            what: "record",
            id: message,
        })
    } else {
        HealthError::no_consent(message)
    }
}

impl Content {
    /// The next piece of the bytes, or `None` at the end.
    pub async fn next(&mut self) -> HealthResult<Option<Vec<u8>>> {
        if let Some(first) = self.first.take() {
            self.offset = first.len() as u64;
            return Ok(Some(first));
        }
        if self.offset >= self.size {
            return Ok(None);
        }
        let answer = match &mut self.fetch {
            Fetch::Own { record } => self.health.range(record, self.offset, MAX_RANGE).await?,
            Fetch::Local { read } => {
                read.offset = self.offset;
                let here = self.health.origin().to_owned();
                self.health.consent_read(&here, read).await?
            }
            Fetch::Remote { home, read } => {
                read.offset = self.offset;
                self.health.remote_read(home, read).await?
            }
        };
        match answer {
            AnswerContent::Content { bytes, offset, .. }
                if offset == self.offset && !bytes.is_empty() =>
            {
                self.offset += bytes.len() as u64;
                Ok(Some(bytes))
            }
            AnswerContent::Refused { check, message } => Err(refusal(&check, message)),
            AnswerContent::Content { .. } | AnswerContent::Records { .. } => Err(
                HealthError::unreachable("the home node answered another range than asked"),
            ),
        }
    }

    /// All the bytes (for chat, which sends a record as one document).
    pub async fn collect(mut self) -> HealthResult<Vec<u8>> {
        let mut out = Vec::with_capacity(self.size as usize);
        while let Some(piece) = self.next().await? {
            out.extend_from_slice(&piece);
        }
        Ok(out)
    }
}

impl Health {
    /// How `member` may read the records of `id`; refusals are audited at home.
    async fn access(&self, member: &Member, id: &HealthId) -> HealthResult<Access> {
        let inner = &self.inner;
        let now = self.now();
        match inner.prefixes.home_of(id)?? {
            Home::Here => {
                if inner.ids.relation(member, id)?.is_some() {
                    return Ok(Access::Own);
                }
                if member.role != Role::Staff {
                    return Err(ServiceError::not_found("health ID", &id.to_string()).into());
                }
                let facility = self.staff_facility(member)?;
                let held = inner.consents.for_id(id)?;
                let mine: Vec<_> = held
                    .iter()
                    .filter(|h| {
                        let r = &h.consent.requester;
                        r.node == inner.here && r.facility_id == facility.meta.id
                    })
                    .collect();
                let live: Vec<String> = mine
                    .iter()
                    .filter(|h| h.consent.status_at(now) == Status::Granted)
                    .map(|h| h.consent.id.clone())
                    .collect();
                if live.is_empty() {
                    let entry = Entry {
                        check: Some("consent_status".into()),
                        consent_id: mine.last().map(|h| h.consent.id.clone()),
                        ..self.entry_here(member, Action::Refused)
                    };
                    if inner.ids.get(id)?.is_some() {
                        self.record(id, entry)?;
                    }
                    return Err(no_grant());
                }
                Ok(Access::Local { consents: live })
            }
            Home::Node(home) => {
                let facility = self.staff_facility(member)?;
                let live = inner.asks.for_read(&facility.meta.id, id, &home, now)?;
                if live.is_empty() {
                    return Err(no_grant());
                }
                let consents = live.into_iter().map(|a| a.consent.id).collect();
                Ok(Access::Remote { home, consents })
            }
        }
    }

    fn read_of(member: &Member, consent_id: &str, id: &HealthId, op: ReadOp) -> ReadContent {
        ReadContent {
            consent_id: consent_id.to_owned(),
            health_id: id.digits(),
            op,
            record_id: None,
            offset: 0,
            length: MAX_RANGE,
            member: member.handle.clone(),
        }
    }

    /// One read under each grant until one is not refused (lists: every grant's records).
    async fn under_grants(
        &self,
        home: Option<&str>,
        reads: Vec<ReadContent>,
    ) -> HealthResult<Vec<(ReadContent, AnswerContent)>> {
        let mut answered = Vec::new();
        let mut refused = None;
        for read in reads {
            let answer = match home {
                None => self.consent_read(&self.inner.here, &read).await?,
                Some(home) => self.remote_read(home, &read).await?,
            };
            match answer {
                AnswerContent::Refused { check, message } => refused = Some((check, message)),
                answer => answered.push((read, answer)),
            }
        }
        match (answered.is_empty(), refused) {
            (true, Some((check, message))) => Err(refusal(&check, message)),
            _ => Ok(answered),
        }
    }

    /// The records of a health ID that `member` may see.
    pub async fn list_records(&self, member: &Member, hid: &str) -> HealthResult<Vec<RecordItem>> {
        let id = Self::parse_id("HID", hid)?;
        let (home, consents) = match self.access(member, &id).await? {
            Access::Own => {
                let records = self.inner.records.list(&id)?;
                self.record(&id, self.entry_here(member, Action::Listed))?;
                return Ok(records.iter().map(super::answer::item).collect());
            }
            Access::Local { consents } => (None, consents),
            Access::Remote { home, consents } => (Some(home), consents),
        };
        let reads = consents
            .iter()
            .map(|c| Self::read_of(member, c, &id, ReadOp::List))
            .collect();
        let mut items: Vec<RecordItem> = Vec::new();
        for (_, answer) in self.under_grants(home.as_deref(), reads).await? {
            if let AnswerContent::Records { records } = answer {
                for record in records {
                    if !items.iter().any(|i| i.id == record.id) {
                        items.push(record);
                    }
                }
            }
        }
        Ok(items)
    }

    /// The bytes of one record that `member` may read, range by range.
    pub async fn read_content(
        &self,
        member: &Member,
        hid: &str,
        record_id: &str,
    ) -> HealthResult<Content> {
        let id = Self::parse_id("HID", hid)?;
        let (home, consents) = match self.access(member, &id).await? {
            Access::Own => return self.own_content(member, &id, record_id).await,
            Access::Local { consents } => (None, consents),
            Access::Remote { home, consents } => (Some(home), consents),
        };
        let reads = consents
            .iter()
            .map(|c| ReadContent {
                record_id: Some(record_id.to_owned()),
                ..Self::read_of(member, c, &id, ReadOp::Content)
            })
            .collect();
        let answered = self.under_grants(home.as_deref(), reads).await?;
        let Some((
            read,
            AnswerContent::Content {
                content_type,
                size,
                bytes,
                ..
            },
        )) = answered.into_iter().next()
        else {
            return Err(HealthError::unreachable(
                "the home node answered no content",
            ));
        };
        let (fetch, title) = match home {
            None => {
                let kept = self.inner.records.get(&id, record_id)?;
                (Fetch::Local { read }, kept.as_ref().map(file_title))
            }
            Some(home) => (Fetch::Remote { home, read }, None),
        };
        let mut content = self.content(content_type, size, bytes, fetch);
        content.title = title;
        Ok(content)
    }

    async fn own_content(
        &self,
        member: &Member,
        id: &HealthId,
        record_id: &str,
    ) -> HealthResult<Content> {
        let record = self
            .inner
            .records
            .get(id, record_id)?
            .ok_or_else(|| ServiceError::not_found("record", record_id))?;
        let first = self.range(&record, 0, MAX_RANGE).await?;
        let entry = Entry {
            record_id: Some(record.id.clone()),
            ..self.entry_here(member, Action::Read)
        };
        self.audit_read_once(id, entry)?;
        let AnswerContent::Content { bytes, .. } = first else {
            return Err(ServiceError::not_found("record", record_id).into());
        };
        let (content_type, size) = (record.content_type.clone(), record.size);
        let title = file_title(&record);
        let mut content = self.content(content_type, size, bytes, Fetch::Own { record });
        content.title = Some(title);
        Ok(content)
    }

    fn content(&self, content_type: String, size: u64, first: Vec<u8>, fetch: Fetch) -> Content {
        Content {
            content_type,
            size,
            title: None,
            first: Some(first),
            offset: 0,
            fetch,
            health: self.clone(),
        }
    }
}

/// A file name's words for a record: its type and title.
fn file_title(record: &RecordMeta) -> String {
    format!("{} {}", record.record_type.as_str(), record.title)
}

fn no_grant() -> HealthError {
    HealthError::no_consent(
        "no live grant covers this health ID for your facility: ask with POST /api/v1/consents",
    )
}
