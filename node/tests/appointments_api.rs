//! The appointment API on one node through `app(state)`, with the node's background work
//! running: staff publish a schedule, anyone lists the slots, patients book and the
//! facility's desk decides (never more than the capacity), the agenda, cancels; and bad
//! input refused naming the field, with nothing stored.

#[path = "support/api.rs"]
mod support;

use std::time::Duration;

use axum::http::StatusCode;
use chrono::{Datelike, Utc};
use serde_json::{Value, json};
use support::{Api, api_running, field_error};

/// A Monday at least a week ahead, `YYYY-MM-DD`.
fn monday() -> String {
    let today = Utc::now().date_naive();
    let ahead = 7 + (7 - today.weekday().num_days_from_monday()) % 7;
    (today + chrono::Days::new(u64::from(ahead)))
        .format("%Y-%m-%d")
        .to_string()
}

struct Clinic {
    facility: String,
    staff: String,
    patients: Vec<String>,
}

async fn clinic(api: &Api) -> Clinic {
    let facility = api.facility().await;
    let staff = api
        .member(json!({"handle": "dr_rao", "role": "staff", "facility_id": facility}))
        .await;
    let mut patients = Vec::new();
    for handle in ["meera", "ravi"] {
        let token = api
            .member(json!({"handle": handle, "role": "patient"}))
            .await;
        let (s, v) = api
            .call("POST", "/api/v1/health-ids", Some(&token), Some("{}"))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        patients.push(token);
    }
    Clinic {
        facility,
        staff,
        patients,
    }
}

fn schedule(capacity: i64) -> Value {
    json!({
        "service": "General OPD", "specialty": "general_medicine", "price": 200,
        "days": ["mon", "wed"], "start": "10:00", "end": "11:00", "slot_minutes": 30,
        "capacity": capacity, "time_zone": "Asia/Kolkata",
    })
}

/// Polls one appointment until its status leaves `requested`.
async fn decided(api: &Api, who: &str, id: &str) -> Value {
    for _ in 0..100 {
        let (s, v) = api
            .get(&format!("/api/v1/appointments/{id}"), Some(who))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        if v["status"] != "requested" {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("appointment {id} was never decided");
}

#[tokio::test]
async fn bad_schedules_are_refused_naming_the_field_and_nothing_is_stored() {
    let api = api_running();
    let c = clinic(&api).await;
    let path = format!("/api/v1/facilities/{}/schedules", c.facility);
    let cases = [
        ("capacity", json!({"capacity": 0})),
        ("days", json!({"days": ["mon", "someday"]})),
        ("start", json!({"start": "25:00"})),
        ("time_zone", json!({"time_zone": "Mars/Olympus"})),
        ("slot_minutes", json!({"slot_minutes": 0})),
    ];
    for (field, change) in cases {
        let mut body = schedule(1);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        field_error(&api.post(&path, &c.staff, body).await, field);
    }
    // A patient is not staff of the facility.
    let (s, _) = api.post(&path, &c.patients[0], schedule(1)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = api.get(&path, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["schedules"], json!([]), "nothing stored: {v}");
    // A good one, then one overlapping it is refused.
    let (s, v) = api.post(&path, &c.staff, schedule(1)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["start"].as_str(), v["capacity"].as_u64()),
        (Some("10:00"), Some(1))
    );
    let (s, v) = api.post(&path, &c.staff, schedule(2)).await;
    assert!(s.is_client_error(), "{s} {v}");
    let (_, v) = api.get(&path, None).await;
    assert_eq!(v["schedules"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn booking_is_decided_by_the_desk_within_capacity_and_a_cancel_frees_the_slot() {
    let api = api_running();
    let c = clinic(&api).await;
    let path = format!("/api/v1/facilities/{}/schedules", c.facility);
    let (s, v) = api.post(&path, &c.staff, schedule(1)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let day = monday();
    let slots_path = format!("/api/v1/facilities/{}/slots?date={day}", c.facility);
    let (s, v) = api.get(&slots_path, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let slots = v["slots"].as_array().unwrap().clone();
    assert_eq!(slots.len(), 2, "{v}");
    let first = slots[0]["start"].as_str().unwrap().to_owned();
    assert_eq!(first, format!("{day}T10:00:00+05:30"));
    assert_eq!(slots[0]["free"], 1);
    field_error(
        &api.get(&format!("/api/v1/facilities/{}/slots", c.facility), None)
            .await,
        "date",
    );

    let book = |who: usize, start: &str| {
        let body = json!({"facility_id": c.facility, "service": "General OPD", "start": start});
        api.post("/api/v1/appointments", &c.patients[who], body)
    };
    // Bad bookings: a time outside the schedule, an unknown facility.
    let outside = format!("{day}T12:00:00+05:30");
    field_error(&book(0, &outside).await, "start");
    let unknown = json!({"facility_id": "01JD3V5Q0000000000000000X1", "service": "General OPD", "start": first});
    field_error(
        &api.post("/api/v1/appointments", &c.patients[0], unknown)
            .await,
        "facility_id",
    );

    let (s, mine) = book(0, &first).await;
    assert_eq!(s, StatusCode::CREATED, "{mine}");
    assert_eq!(mine["status"], "requested");
    let mine = decided(&api, &c.patients[0], mine["id"].as_str().unwrap()).await;
    assert_eq!(mine["status"], "confirmed", "{mine}");
    let (_, theirs) = book(1, &first).await;
    let theirs = decided(&api, &c.patients[1], theirs["id"].as_str().unwrap()).await;
    assert_eq!(theirs["status"], "refused", "{theirs}");
    // A refusal carries the next free slots (from now on), never the full one.
    let next: Vec<&str> = theirs["next_free"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        !next.is_empty() && !next.contains(&first.as_str()),
        "{theirs}"
    );
    assert_eq!(theirs["check"], "full", "{theirs}");

    // The agenda: staff only.
    let agenda = format!("/api/v1/appointments?facility_id={}&date={day}", c.facility);
    let (s, v) = api.get(&agenda, Some(&c.staff)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["appointments"].as_array().unwrap().len(), 1, "{v}");
    let (s, _) = api.get(&agenda, Some(&c.patients[1])).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The patient cancels (well before the cutoff): the slot is free again.
    let id = mine["id"].as_str().unwrap();
    let (s, v) = api
        .post(
            &format!("/api/v1/appointments/{id}/cancel"),
            &c.patients[0],
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let mut free = 0;
    for _ in 0..100 {
        let (_, v) = api.get(&slots_path, None).await;
        free = v["slots"][0]["free"].as_u64().unwrap();
        if free == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(free, 1, "the cancel freed the slot");
    let (_, v) = api.get("/api/v1/appointments", Some(&c.patients[0])).await;
    assert_eq!(v["appointments"][0]["status"], "cancelled", "{v}");
}
