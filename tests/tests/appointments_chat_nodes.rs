//! After booking, in chat, between real nodes: a clinic on F (three places a day), two
//! patients in A's terminal chat, patients on C booking through the API. A slot taken on C
//! while Asha chooses it gets her a refusal with the next free slot as a button, which she
//! books; Bina's refusal on the now full day has Wait, a cancel on C brings her an offer
//! with Take, and she takes it; the clinic cancels Asha's appointment with a reason, which
//! reaches her chat. Each step is also checked through the API on A and on F. Staff's
//! `/agenda tomorrow` counts from the facility's date, not the UTC one.

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use caremesh_e2e::Node;
use caremesh_e2e::appointments::{
    agenda, book, clinic, day_ahead, decided, digits, facility, free_starts, patient, post,
    status_becomes, three_nodes,
};
use caremesh_e2e::chat::{button, chat, notices_until, press, say, tells, text};
use chrono::{NaiveDate, Timelike};
use serde_json::{Value, json};

/// Walks `/book` on A as `handle` up to the free times of `day`: the answer with them.
async fn to_the_slots(a: &Node, handle: &str, day: NaiveDate) -> Result<Value> {
    let v = say(a, handle, "/book").await?;
    anyhow::ensure!(text(&v).contains("What do you need?"), "{v}");
    let v = say(a, handle, "General OPD").await?;
    anyhow::ensure!(text(&v).contains("Near where?"), "{v}");
    let place = json!({"type": "location", "lat": 18.5, "lon": 73.8});
    let v = chat(a, handle, place).await?;
    let v = press(a, handle, &button(&v, "Ruby Clinic")?).await?;
    anyhow::ensure!(text(&v).contains("Which day?"), "{v}");
    let v = say(a, handle, &day.to_string()).await?;
    anyhow::ensure!(text(&v).contains("Free times"), "{v}");
    Ok(v)
}

/// Presses the slot button of `start` in `slots` and confirms.
async fn choose(a: &Node, handle: &str, slots: &Value, start: &str) -> Result<()> {
    let data = format!("=book-slot:{start}");
    anyhow::ensure!(
        slots.to_string().contains(&data),
        "{start} not offered: {slots}"
    );
    let v = press(a, handle, &data).await?;
    anyhow::ensure!(text(&v).contains("Book General OPD at Ruby Clinic"), "{v}");
    let v = press(a, handle, &button(&v, "Book")?).await?;
    anyhow::ensure!(text(&v).contains("Sent to Ruby Clinic"), "{v}");
    Ok(())
}

/// The notice holding `needle` that `handle` receives, as an answer holding only it.
async fn told(a: &Node, handle: &str, needle: &str) -> Result<Value> {
    let seen = notices_until(a, handle, needle).await?;
    let notice = seen.into_iter().find(|n| tells(n, needle));
    Ok(json!({ "notices": [notice.context("the notice")?] }))
}

/// `handle`'s appointments on A: (status, start) of each.
async fn mine(a: &Node, token: &str) -> Result<Vec<(String, String)>> {
    let (status, v) = a.get("/api/v1/appointments", Some(token)).await?;
    anyhow::ensure!(status == 200, "{v}");
    Ok(v["appointments"]
        .as_array()
        .context("appointments")?
        .iter()
        .map(|x| {
            let field = |k: &str| x[k].as_str().unwrap_or_default().to_owned();
            (field("status"), field("start"))
        })
        .collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusal_rebook_waitlist_offer_and_facility_cancel_in_chat() -> Result<()> {
    let root = tempfile::tempdir()?;
    let [mut f, mut a, mut c] = three_nodes(root.path(), &[]).await?;
    let result = scenario(&f, &a, &c).await;
    for node in [&mut f, &mut a, &mut c] {
        node.stop()?;
    }
    result
}

async fn scenario(f: &Node, a: &Node, c: &Node) -> Result<()> {
    let (clinic, staff) = clinic(f, "dr_rao").await?;
    let (asha, asha_hid) = patient(a, "asha").await?;
    let (bina, bina_hid) = patient(a, "bina").await?;
    let (c0, _) = patient(c, "chandra").await?;
    let (c1, c1_hid) = patient(c, "chitra").await?;
    let day = day_ahead(3)?;
    free_starts(c, &clinic, day, 3).await?;
    let starts = free_starts(a, &clinic, day, 3).await?;
    let first = book(c, &c0, &clinic, &starts[0], None).await?;
    anyhow::ensure!(decided(c, &c0, &first).await?["status"] == "confirmed");

    // Asha and Bina see two free times; C takes one of them before they press it.
    let asha_slots = to_the_slots(a, "asha", day).await?;
    let bina_slots = to_the_slots(a, "bina", day).await?;
    let taken = book(c, &c1, &clinic, &starts[1], None).await?;
    anyhow::ensure!(decided(c, &c1, &taken).await?["status"] == "confirmed");

    // Asha is refused with the next free time as a button, presses it, and is confirmed.
    choose(a, "asha", &asha_slots, &starts[1]).await?;
    let refused = told(a, "asha", "could not be booked").await?;
    let v = press(a, "asha", &button(&refused, "10:20")?).await?;
    anyhow::ensure!(text(&v).contains("Sent to Ruby Clinic"), "{v}");
    told(a, "asha", "Confirmed: General OPD at Ruby Clinic").await?;
    let want = [
        ("refused".to_owned(), starts[1].clone()),
        ("confirmed".to_owned(), starts[2].clone()),
    ];
    anyhow::ensure!(mine(a, &asha).await? == want, "{:?}", mine(a, &asha).await?);

    // Bina's press comes after the day filled: refused, she waits; a cancel on C offers
    // her the place, and she takes it.
    choose(a, "bina", &bina_slots, &starts[1]).await?;
    let refused = told(a, "bina", "could not be booked").await?;
    let v = press(a, "bina", &button(&refused, "Wait")?).await?;
    let waiting = if text(&v).contains("waiting list") {
        v
    } else {
        told(a, "bina", "waiting list").await?
    };
    anyhow::ensure!(text(&waiting).contains("number 1"), "{waiting}");
    post(
        c,
        &format!("/api/v1/appointments/{first}/cancel"),
        &c0,
        json!({}),
    )
    .await?;
    let offer = told(a, "bina", "A place came free").await?;
    let v = press(a, "bina", &button(&offer, "Take")?).await?;
    anyhow::ensure!(!text(&v).is_empty(), "{v}");
    told(a, "bina", "Confirmed: General OPD at Ruby Clinic").await?;
    let (status, start) = mine(a, &bina).await?.pop().context("bina's booking")?;
    anyhow::ensure!((status.as_str(), &start) == ("confirmed", &starts[0]));
    let on_f = agenda(f, &staff, &clinic, day, "confirmed").await?;
    let want = [
        (digits(&bina_hid), starts[0].clone()),
        (digits(&c1_hid), starts[1].clone()),
        (digits(&asha_hid), starts[2].clone()),
    ];
    anyhow::ensure!(on_f == BTreeSet::from(want), "F's agenda: {on_f:?}");

    facility_cancels(f, a, &staff, &asha).await?;
    agenda_tomorrow_is_local(f).await
}

/// Staff's `/agenda tomorrow` counts from today at the facility: a clinic in a zone whose
/// date is not the UTC date now (14 hours ahead from 11:00 UTC on, 11 hours behind before).
async fn agenda_tomorrow_is_local(f: &Node) -> Result<()> {
    let now = chrono::Utc::now();
    let (zone, offset) = if now.hour() >= 11 {
        ("Pacific/Kiritimati", 14 * 60)
    } else {
        ("Pacific/Pago_Pago", -11 * 60)
    };
    let (id, staff) = facility(f, "clinic", "Island Clinic", "dr_island").await?;
    let schedule = json!({"service": "Island OPD", "price": 100,
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "09:00", "end": "10:00",
        "slot_minutes": 30, "capacity": 1, "time_zone": zone});
    post(
        f,
        &format!("/api/v1/facilities/{id}/schedules"),
        &staff,
        schedule,
    )
    .await?;
    let tomorrow = (now + chrono::Duration::minutes(offset)).date_naive() + chrono::Days::new(1);
    anyhow::ensure!(tomorrow != now.date_naive() + chrono::Days::new(1));
    let v = say(f, "dr_island", "/agenda tomorrow").await?;
    anyhow::ensure!(
        text(&v).contains(&format!("No appointments on {tomorrow}")),
        "{v}"
    );
    Ok(())
}

/// The clinic cancels Asha's confirmed appointment with a reason: her chat on A shows it,
/// and A's API says who cancelled and why.
async fn facility_cancels(f: &Node, a: &Node, staff: &str, asha: &str) -> Result<()> {
    let (_, v) = a.get("/api/v1/appointments", Some(asha)).await?;
    let id = v["appointments"]
        .as_array()
        .and_then(|l| l.iter().find(|x| x["status"] == "confirmed"))
        .and_then(|x| x["id"].as_str())
        .context("asha's confirmed booking")?
        .to_owned();
    let reason = "the doctor is called to surgery";
    let body = json!({ "reason": reason });
    let line = post(f, &format!("/api/v1/appointments/{id}/cancel"), staff, body).await?;
    anyhow::ensure!(line["status"] == "cancelled", "{line}");
    let notice = told(a, "asha", "Ruby Clinic cancelled General OPD").await?;
    anyhow::ensure!(text(&notice).contains(reason), "{notice}");
    let path = format!("/api/v1/appointments/{id}");
    let v = status_becomes(a, asha, &path, "cancelled").await?;
    anyhow::ensure!(v["check"] == "facility" && v["reason"] == reason, "{v}");
    Ok(())
}
