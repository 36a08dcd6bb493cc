//! What the health service tells people, as chat notices: to the holder and guardians of a
//! health ID when a record arrives or consent is asked, to the asking staff member when a
//! consent is decided or records they could read are erased, to the uploader when an upload
//! reached its home node. Notices carry ids only; what they concern is read with the
//! person's rights when they press its button.

use caremesh_bots::notice::Notice;

use crate::health::notices::Notice as HealthNotice;
use crate::services::Services;

/// One notice to send: the member's handle, a marker that makes it go out once (`None`:
/// each time), and the notice.
pub(super) type Addressed = (String, Option<String>, Notice);

/// The handles of members by id (the health service names holders and guardians by id).
fn handles_of(app: &Services, ids: &[String]) -> Vec<String> {
    let members = app.members.list().unwrap_or_else(|e| {
        tracing::warn!(error = %e, "cannot read members for a health notice");
        Vec::new()
    });
    members
        .into_iter()
        .filter(|m| ids.contains(&m.id))
        .map(|m| m.handle)
        .collect()
}

/// The chat notices a health notice becomes.
pub(super) fn addressed(app: &Services, notice: HealthNotice) -> Vec<Addressed> {
    match notice {
        HealthNotice::RecordStored {
            record_id, tell, ..
        } => handles_of(app, &tell)
            .into_iter()
            .map(|h| {
                let marker = Some(format!("hrec:{record_id}:{h}"));
                let record_id = record_id.clone();
                (h, marker, Notice::RecordArrived { record_id })
            })
            .collect(),
        HealthNotice::ConsentAsked {
            consent_id, tell, ..
        } => handles_of(app, &tell)
            .into_iter()
            .map(|h| {
                let marker = Some(format!("hask:{consent_id}:{h}"));
                let consent_id = consent_id.clone();
                (h, marker, Notice::ConsentAsked { consent_id })
            })
            .collect(),
        HealthNotice::ConsentDecided { consent_id, member } => {
            // A consent is decided more than once (granted, then revoked): each is told.
            vec![(member, None, Notice::ConsentDecided { consent_id })]
        }
        HealthNotice::UploadAnswered {
            deposit_id,
            stored,
            member,
        } => {
            let marker = Some(format!("hup:{deposit_id}"));
            let notice = Notice::UploadAnswered {
                upload_id: deposit_id,
                stored,
            };
            vec![(member, marker, notice)]
        }
        HealthNotice::Erased {
            consent_id,
            record_id,
            member,
        } => {
            let what = record_id.as_deref().unwrap_or("all");
            let marker = Some(format!("herase:{consent_id}:{what}"));
            vec![(member, marker, Notice::Erased { consent_id })]
        }
    }
}
