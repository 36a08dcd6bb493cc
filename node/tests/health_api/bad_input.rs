//! Bad input on the health API: each refused with the right status, naming the field, with
//! nothing stored.

use super::*;

#[tokio::test]
async fn bad_health_input_is_refused_and_nothing_is_stored() {
    let api = api();
    let (patient, staff, hid) = people(&api).await;
    let loner = api
        .member(json!({"handle": "no_facility", "role": "staff"}))
        .await;
    let query = "type=lab_report&title=CBC&date=2026-11-02";
    let mut wrong_digit = hid.clone();
    let last = wrong_digit.pop().unwrap();
    wrong_digit.push(if last == '0' { '1' } else { '0' });
    let answer = upload(&api, &staff, &wrong_digit, query, "text/plain", LAB).await;
    field_error(&answer, "HID");
    let answer = upload(&api, &patient, &hid, query, "text/plain", LAB).await;
    assert_eq!(answer.0, StatusCode::FORBIDDEN, "{answer:?}");
    let answer = upload(&api, &loner, &hid, query, "text/plain", LAB).await;
    assert_eq!(answer.0, StatusCode::FORBIDDEN, "{answer:?}");
    let answer = upload(
        &api,
        &staff,
        &hid,
        "type=xray&title=a&date=2026-11-02",
        "text/plain",
        LAB,
    )
    .await;
    field_error(&answer, "type");
    let answer = upload(
        &api,
        &staff,
        &hid,
        "type=lab_report&date=2026-11-02",
        "text/plain",
        LAB,
    )
    .await;
    field_error(&answer, "title");
    let answer = upload(&api, &staff, &hid, query, "text/plain", b"").await;
    assert_eq!(answer.0, StatusCode::BAD_REQUEST, "{answer:?}");
    let answer = upload(&api, &staff, &hid, query, "application/zip", b"PK\x03\x04").await;
    assert_eq!(answer.0, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{answer:?}");
    let big = vec![b'a'; 20 * 1024 * 1024 + 1];
    let answer = upload(&api, &staff, &hid, query, "text/plain", &big).await;
    assert_eq!(answer.0, StatusCode::PAYLOAD_TOO_LARGE, "{answer:?}");
    assert_eq!(
        record_ids(&api, &patient, &hid).await,
        (StatusCode::OK, vec![])
    );

    let other = api
        .member(json!({"handle": "ravi", "role": "patient"}))
        .await;
    let (s, _) = api
        .get(&format!("/api/v1/health-ids/{hid}/profile"), Some(&other))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "other people's IDs");
    let (s, _) = api
        .get(
            &format!("/api/v1/health-ids/{wrong_digit}/audit"),
            Some(&patient),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    let ask = |body: Value| {
        let (api, staff) = (&api, staff.clone());
        async move { api.post("/api/v1/consents", &staff, body.clone()).await }
    };
    let good = json!({"health_id": hid, "purpose": "care", "record_types": ["lab_report"],
        "expires": in_a_month()});
    for (field, value) in [
        ("health_id", json!(wrong_digit)),
        ("purpose", json!("curiosity")),
        ("record_types", json!(["gossip"])),
        ("expires", json!("soon")),
    ] {
        let mut body = good.clone();
        body[field] = value;
        field_error(&ask(body).await, field);
    }
    let (s, _) = api.post("/api/v1/consents", &patient, good.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "patients do not ask");
    let (s, v) = api.get("/api/v1/consents", Some(&patient)).await;
    assert_eq!(
        (s, v["consents"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0))
    );
}
