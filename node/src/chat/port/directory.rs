//! Finding care: nearby facilities and blood banks through the directory's finder, services
//! and prices, typed places from the gazetteer, and triage of typed symptoms.

use std::ops::ControlFlow;

use caremesh_bots::port::{
    Directory, FacilityInfo, FollowUpInfo, Place, PortResult, ServicesInfo, TriageInfo,
};
use caremesh_federation::BloodGroup;
use caremesh_federation::object::FacilityKind;

use super::ChatNode;
use crate::chat::views::facility_info;
use crate::directory::finder::Search;
use crate::directory::search::Query;
use crate::error::ServiceError;

impl ChatNode {
    /// Listings near `at` that match `query`, as chat cards, nearest first.
    fn cards(&self, at: (f64, f64), query: Query, limit: usize) -> PortResult<Vec<FacilityInfo>> {
        Ok(self
            .app
            .finder
            .find(&Search::nearest(at, query, limit))?
            .iter()
            .map(|hit| facility_info(&hit.facility, Some(at)))
            .collect())
    }

    /// The listing with this id, or the first whose name contains `name` (streaming: a
    /// node may hold a million listings).
    fn named(&self, name: &str) -> Result<Option<caremesh_federation::Facility>, ServiceError> {
        if let Ok(f) = self.app.listings.get(name.trim()) {
            return Ok(Some(f));
        }
        let wanted = name.trim().to_lowercase();
        let mut found = None;
        self.app.listings.visit(|f| {
            if f.name.to_lowercase().contains(&wanted) {
                found = Some(f);
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })?;
        Ok(found)
    }
}

#[async_trait::async_trait]
impl Directory for ChatNode {
    async fn nearby(
        &self,
        at: (f64, f64),
        kind: Option<FacilityKind>,
        limit: usize,
    ) -> PortResult<Vec<FacilityInfo>> {
        let query = Query {
            kind,
            ..Default::default()
        };
        self.cards(at, query, limit)
    }

    async fn blood(
        &self,
        at: (f64, f64),
        group: BloodGroup,
        limit: usize,
    ) -> PortResult<Vec<FacilityInfo>> {
        let query = Query {
            kind: Some(FacilityKind::BloodBank),
            blood_group: Some(group.as_str().to_owned()),
            ..Default::default()
        };
        self.cards(at, query, limit)
    }

    async fn services(&self, name: &str) -> PortResult<Option<ServicesInfo>> {
        Ok(self.named(name)?.map(|f| ServicesInfo {
            facility: f.name.clone(),
            services: f
                .services
                .iter()
                .map(|s| {
                    (
                        s.name.clone(),
                        format!("{:.2}", s.price_minor as f64 / 100.0),
                        s.currency.clone(),
                    )
                })
                .collect(),
        }))
    }

    async fn place(&self, text: &str) -> PortResult<Option<Place>> {
        Ok(self.app.places.find(text).map(|p| Place {
            name: p.name.clone(),
            lat: p.lat,
            lon: p.lon,
        }))
    }

    /// Retracted listings are not shown.
    async fn facility(&self, id: &str) -> PortResult<Option<FacilityInfo>> {
        let Ok(f) = self.app.listings.get(id.trim()) else {
            return Ok(None);
        };
        Ok((!f.retracted).then(|| facility_info(&f, None)))
    }

    async fn symptoms(&self, text: &str) -> PortResult<TriageInfo> {
        let a = self.app.triage.assess(text);
        Ok(TriageInfo {
            specialties: a.specialties,
            urgency: a.urgency.as_str().to_owned(),
            advice: a.advice,
            follow_up: a.follow_up.map(|f| FollowUpInfo {
                question: f.question,
                yes: f.yes,
                no: f.no,
            }),
        })
    }
}
