//! The inbox's health gate (docs/protocol.md §9.6): a health object addressed to this node
//! is opened and checked before anything of it is stored; each refusal names its check, and
//! its message names no person (the inbox logs it).

use caremesh_federation::Check;
use caremesh_federation::health_seal::{CHUNK_BYTES, MAX_RECORD_BYTES};
use caremesh_federation::object::{
    Announcement, AskContent, Chunk, Consent, ConsentAsk, ConsentContent, Deposit, DepositContent,
    Erasure, ErasureContent, Facility, ReceiptContent,
};
use serde::de::DeserializeOwned;
use serde_bytes::ByteBuf;

use super::consent::{self, NewConsent, Purpose, PurposeCodes, Requester};
use super::hid::{HealthId, host_of_url};
use super::prefixes::Claim;
use super::record::{RecordType, RecordTypeCodes};
use super::rules::HealthGate;
use super::service::Health;
use super::uploads::{CONTENT_TYPES, Sent, check_title, record_date, sent_key};
use crate::federation::inbox::Refusal;
use crate::kinds::Admission;
use crate::store::Space;

fn refuse(check: Check, message: impl Into<String>) -> Refusal {
    Refusal {
        check,
        message: message.into(),
    }
}

fn storage(e: impl std::fmt::Display) -> Refusal {
    refuse(Check::Storage, e.to_string())
}

fn schema(field: &str, problem: &str) -> Refusal {
    refuse(Check::Schema, format!("sealed `{field}` {problem}"))
}

/// The consent an ask makes, checked like an ask made here (field names in the message).
pub(super) fn ask_consent(
    ask: &ConsentAsk,
    content: &AskContent,
    now: i64,
) -> Result<consent::Consent, Refusal> {
    let health_id = HealthId::parse(&content.health_id)
        .map_err(|_| schema("health_id", "is not a valid health ID"))?;
    let purpose =
        Purpose::parse(&content.purpose).ok_or_else(|| schema("purpose", "is not a purpose"))?;
    let record_types = content
        .record_types
        .iter()
        .map(|t| {
            RecordType::parse(t).ok_or_else(|| schema("record_types", "names an unknown type"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let day = |field: &str, text: &Option<String>| -> Result<Option<i64>, Refusal> {
        text.as_deref()
            .map(|t| {
                chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(12, 0, 0))
                    .map(|d| d.and_utc().timestamp_millis())
                    .ok_or_else(|| schema(field, "is not YYYY-MM-DD"))
            })
            .transpose()
    };
    let new = NewConsent {
        health_id,
        purpose,
        record_types,
        from: day("from", &content.from)?,
        to: day("to", &content.to)?,
        expires: content.expires,
    };
    if content.member.is_empty() || content.member.len() > 64 {
        return Err(schema("member", "must be 1 to 64 bytes"));
    }
    let requester = Requester {
        node: ask.meta.origin.clone(),
        facility_id: content.facility.id.clone(),
        facility_name: content.facility.name.clone(),
        member: content.member.clone(),
    };
    new.validate(ask.meta.id.clone(), requester, now)
        .map_err(|e| refuse(Check::Schema, format!("sealed {e}")))
}

/// The checks of a deposit's description (sizes, vocabulary, formats).
fn check_deposit(deposit: &Deposit, c: &DepositContent) -> Result<HealthId, Refusal> {
    let id = HealthId::parse(&c.health_id)
        .map_err(|_| schema("health_id", "is not a valid health ID"))?;
    RecordType::parse(&c.record_type).ok_or_else(|| schema("type", "is not a record type"))?;
    check_title(&c.title).map_err(|_| schema("title", "must be 1 to 200 characters"))?;
    if record_date(&c.date).as_deref() != Some(c.date.as_str()) {
        return Err(schema("date", "is not YYYY-MM-DD"));
    }
    if !CONTENT_TYPES.contains(&c.content_type.as_str()) || c.content_type.contains("fhir") {
        return Err(schema("content_type", "is not a record content type"));
    }
    if c.size == 0 || c.size > MAX_RECORD_BYTES {
        return Err(schema("size", "must be 1 byte to 20 MiB"));
    }
    if c.chunk_size as usize != CHUNK_BYTES
        || u64::from(deposit.chunks) != c.size.div_ceil(CHUNK_BYTES as u64)
    {
        return Err(schema("chunk_size", "does not fit the deposit's chunks"));
    }
    let hex = c
        .sha256
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if c.sha256.len() != 64 || !hex {
        return Err(schema("sha256", "is not 64 lowercase hex digits"));
    }
    if c.uploader.is_empty() || c.uploader.len() > 64 {
        return Err(schema("uploader", "must be 1 to 64 bytes"));
    }
    Ok(id)
}

impl Health {
    fn open_for_gate<T: DeserializeOwned>(
        &self,
        place: &caremesh_federation::health_seal::Place,
        sealed: &[u8],
    ) -> Result<T, Refusal> {
        self.open_sealed(place, sealed)
            .map_err(|e| refuse(Check::Open, e))
    }

    /// The ID is issued here and not erased.
    fn issued_here(&self, id: &HealthId) -> Result<(), Refusal> {
        match self.inner.ids.get(id).map_err(storage)? {
            Some(_) => Ok(()),
            None => Err(refuse(
                Check::UnknownHealthId,
                "no health ID with that number is issued here",
            )),
        }
    }

    /// `facility_id` is a listed facility of `origin`.
    fn facility_of(
        &self,
        at: &Admission<'_>,
        facility_id: &str,
        origin: &str,
    ) -> Result<(), Refusal> {
        match at.stored::<Facility>(facility_id)? {
            Some(f) if f.meta.origin == origin && !f.retracted => Ok(()),
            Some(_) | None => Err(refuse(
                Check::Facility,
                format!("facility {facility_id} is not a facility listed by {origin}"),
            )),
        }
    }

    /// The description of a deposit addressed here: pending, or stored and not yet taken.
    fn deposit_of(
        &self,
        at: &Admission<'_>,
        chunk: &Chunk,
    ) -> Result<(u32, DepositContent, String), Refusal> {
        if let Some(p) = self.pending(&chunk.deposit_id).map_err(storage)? {
            return Ok((p.chunks, p.content, p.origin));
        }
        match at.stored::<Deposit>(&chunk.deposit_id)? {
            Some(d) if d.addressee == self.inner.here => {
                let content = self.open_for_gate(&d.place(), &d.sealed)?;
                Ok((d.chunks, content, d.meta.origin))
            }
            Some(_) | None => Err(refuse(
                Check::Deposit,
                format!("chunk for unknown deposit {}", chunk.deposit_id),
            )),
        }
    }
}

impl HealthGate for Health {
    fn announcement(&self, announcement: &Announcement) -> Result<(), Refusal> {
        let inner = &self.inner;
        let origin = &announcement.meta.origin;
        for prefix in &announcement.hid_prefixes {
            if let Claim::Taken { holder } =
                inner.prefixes.claim(*prefix, origin).map_err(storage)?
            {
                inner.metrics.add("health_prefix_conflicts_total", "", 1);
                if holder == inner.here {
                    tracing::error!(prefix, claimant = %origin, "another node announces this node's health ID prefix: block it");
                } else {
                    tracing::warn!(prefix, claimant = %origin, holder = %holder, "health ID prefix claimed twice; first seen wins");
                }
                return Err(refuse(
                    Check::Ownership,
                    format!("prefix {prefix} is announced by {holder}"),
                ));
            }
        }
        if let Some(host) = host_of_url(origin)
            && let Claim::Taken { holder } =
                inner.prefixes.claim_host(&host, origin).map_err(storage)?
        {
            tracing::warn!(host, claimant = %origin, holder = %holder, "health address host claimed twice; first seen wins");
        }
        Ok(())
    }

    fn deposit(&self, deposit: &Deposit, at: &Admission<'_>) -> Result<(), Refusal> {
        let content: DepositContent = self.open_for_gate(&deposit.place(), &deposit.sealed)?;
        let id = check_deposit(deposit, &content)?;
        self.issued_here(&id)?;
        self.facility_of(at, &content.facility.id, &deposit.meta.origin)
    }

    fn chunk(&self, chunk: &Chunk, at: &Admission<'_>) -> Result<(), Refusal> {
        let (chunks, content, origin) = self.deposit_of(at, chunk)?;
        if origin != chunk.meta.origin {
            return Err(refuse(
                Check::Deposit,
                "the chunk's deposit is another node's",
            ));
        }
        if chunk.index >= chunks {
            return Err(refuse(
                Check::Deposit,
                format!("index {} of {chunks} chunks", chunk.index),
            ));
        }
        let bytes: ByteBuf = self.open_for_gate(&chunk.place(), &chunk.sealed)?;
        let start = u64::from(chunk.index) * CHUNK_BYTES as u64;
        let want = (content.size - start.min(content.size)).min(CHUNK_BYTES as u64);
        if bytes.len() as u64 != want {
            return Err(refuse(
                Check::Deposit,
                format!(
                    "chunk {} holds {} bytes, not {want}",
                    chunk.index,
                    bytes.len()
                ),
            ));
        }
        Ok(())
    }

    fn receipt(
        &self,
        receipt: &caremesh_federation::object::Receipt,
        _at: &Admission<'_>,
    ) -> Result<(), Refusal> {
        let inner = &self.inner;
        let sent: Option<Sent> = inner
            .vault
            .get(
                &*inner.store,
                Space::Health,
                "upload",
                &sent_key(&receipt.deposit_id),
            )
            .map_err(storage)?;
        match sent {
            Some(s) if s.home == receipt.meta.origin => {}
            Some(_) | None => {
                return Err(refuse(
                    Check::Deposit,
                    "the receipt answers no upload sent from here to that node",
                ));
            }
        }
        self.open_for_gate::<ReceiptContent>(&receipt.place(), &receipt.sealed)
            .map(|_| ())
    }

    fn consent_ask(&self, ask: &ConsentAsk, at: &Admission<'_>) -> Result<(), Refusal> {
        let content: AskContent = self.open_for_gate(&ask.place(), &ask.sealed)?;
        let consent = ask_consent(ask, &content, self.now())?;
        self.issued_here(&consent.health_id)?;
        self.facility_of(at, &content.facility.id, &ask.meta.origin)
    }

    fn consent(&self, decision: &Consent, _at: &Admission<'_>) -> Result<(), Refusal> {
        let ask = self.inner.asks.get(&decision.ask_id).map_err(storage)?;
        let Some(ask) = ask.filter(|a| a.home == decision.meta.origin) else {
            return Err(refuse(
                Check::Ask,
                "the consent answers no ask this node sent to that node",
            ));
        };
        let content: ConsentContent = self.open_for_gate(&decision.place(), &decision.sealed)?;
        if content.health_id != ask.consent.health_id.digits() {
            return Err(refuse(
                Check::Ask,
                "the consent is for another health ID than its ask",
            ));
        }
        Ok(())
    }

    fn erasure(&self, erasure: &Erasure, _at: &Admission<'_>) -> Result<(), Refusal> {
        let content: ErasureContent = self.open_for_gate(&erasure.place(), &erasure.sealed)?;
        let id = HealthId::parse(&content.health_id)
            .map_err(|_| schema("health_id", "is not a valid health ID"))?;
        let asks = self
            .inner
            .asks
            .for_id_at(&id, &erasure.meta.origin)
            .map_err(storage)?;
        if asks.is_empty() {
            return Err(refuse(
                Check::Ask,
                "no consent this node asked of that node concerns the ID",
            ));
        }
        Ok(())
    }
}
