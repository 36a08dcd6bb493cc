//! Facilities listed on a node by its admin, and their staff.

use anyhow::Context;
use serde_json::{Value, json};

use crate::Node;

impl Node {
    /// Lists the facility `body` as the admin; returns its id.
    pub async fn facility(&self, body: &Value) -> anyhow::Result<String> {
        let (status, v) = self
            .post("/api/v1/facilities", Some(&self.admin), body)
            .await?;
        anyhow::ensure!(status == 201, "facility on {}: {status} {v}", self.name);
        Ok(v["id"].as_str().context("facility id")?.to_owned())
    }

    /// Lists the facility `body` and makes `handle` a staff member of it: (facility id,
    /// staff token).
    pub async fn facility_with_staff(
        &self,
        body: &Value,
        handle: &str,
    ) -> anyhow::Result<(String, String)> {
        let id = self.facility(body).await?;
        let token = self
            .member(json!({"handle": handle, "role": "staff", "facility_id": id}))
            .await?;
        Ok((id, token))
    }
}
