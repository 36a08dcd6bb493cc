//! Health IDs, records and consent for the chat. Until the node's health service is wired
//! in, every call says plainly that this node does not serve them yet.

use caremesh_bots::port::{
    Account, AuditLine, ConsentDecision, ConsentDraft, ConsentInfo, DependantDraft, Health,
    HealthIdInfo, PortError, PortResult, ProfileInfo, RecordInfo, RecordUpload, Uploaded,
};
use caremesh_bots::reply::Document;

use super::ChatNode;

fn not_served<T>() -> PortResult<T> {
    Err(PortError::Conflict {
        problem: "this node does not serve health records yet".into(),
    })
}

#[async_trait::async_trait]
impl Health for ChatNode {
    async fn health_ids(&self, _by: &Account) -> PortResult<Vec<HealthIdInfo>> {
        not_served()
    }
    async fn issue_health_id(
        &self,
        _by: &Account,
        _dependant: Option<DependantDraft>,
    ) -> PortResult<HealthIdInfo> {
        not_served()
    }
    async fn health_card(&self, _by: &Account, _health_id: &str) -> PortResult<Vec<u8>> {
        not_served()
    }
    async fn erase_health_id(&self, _by: &Account, _health_id: &str) -> PortResult<()> {
        not_served()
    }
    async fn profile(&self, _by: &Account, _health_id: &str) -> PortResult<ProfileInfo> {
        not_served()
    }
    async fn set_profile(
        &self,
        _by: &Account,
        _health_id: &str,
        _profile: ProfileInfo,
    ) -> PortResult<ProfileInfo> {
        not_served()
    }
    async fn records(&self, _by: &Account, _health_id: &str) -> PortResult<Vec<RecordInfo>> {
        not_served()
    }
    async fn record_file(
        &self,
        _by: &Account,
        _health_id: &str,
        _record_id: &str,
    ) -> PortResult<Document> {
        not_served()
    }
    async fn erase_record(
        &self,
        _by: &Account,
        _health_id: &str,
        _record_id: &str,
    ) -> PortResult<()> {
        not_served()
    }
    async fn upload_record(&self, _by: &Account, _upload: RecordUpload) -> PortResult<Uploaded> {
        not_served()
    }
    async fn consents(&self, _by: &Account) -> PortResult<Vec<ConsentInfo>> {
        not_served()
    }
    async fn decide_consent(
        &self,
        _by: &Account,
        _consent_id: &str,
        _decision: ConsentDecision,
    ) -> PortResult<ConsentInfo> {
        not_served()
    }
    async fn ask_consent(&self, _by: &Account, _draft: ConsentDraft) -> PortResult<ConsentInfo> {
        not_served()
    }
    async fn audit(&self, _by: &Account, _health_id: &str) -> PortResult<Vec<AuditLine>> {
        not_served()
    }
}
