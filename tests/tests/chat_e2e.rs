//! The whole supply conversation through the real bots of two federating `caremesh`
//! processes: a requester on node A talks Matrix (a real Synapse from
//! `scripts/synapse.sh`), a maker on node B talks Telegram (the fake Bot API of
//! `caremesh_e2e::telegram`, which queues updates and records what the bot sends).
//!
//! register (the node admin approves the requester over `POST /api/v1/chat`) → `/subscribe`
//! on B → `/need` on A → the maker is notified on B → `/offer` → the requester gets the
//! proposal and presses Accept → the maker is told → `/shipped` → `/received` → `/stats`.
//!
//! `CAREMESH_SKIP_SYNAPSE=1` skips it (with a message).

#[path = "../../bots/tests/support/synapse.rs"]
#[allow(dead_code)]
mod synapse;

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use caremesh_e2e::Node;
use caremesh_e2e::telegram::{FakeTelegram, button_data};
use serde_json::{Value, json};
use synapse::{Human, Synapse};

const WAIT: Duration = Duration::from_secs(30);

/// The maker's Telegram user and private chat id.
const MAKER: i64 = 7001;

/// The requester's DM with the bot.
struct Dm {
    human: Human,
    room: String,
    bot: String,
}

impl Dm {
    /// Sends `text`; returns the bot's answer to it (a rich reply, an `m.notice`).
    async fn ask(&mut self, text: &str) -> Result<String> {
        let id = self.human.send_text(&self.room, text).await?;
        let bot = self.bot.clone();
        let event = self
            .human
            .wait_for(&self.room, |e| {
                e["sender"] == bot.as_str()
                    && e["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == id.as_str()
            })
            .await?;
        anyhow::ensure!(event["content"]["msgtype"] == "m.notice", "{event}");
        Ok(body(&event).to_owned())
    }

    /// Waits for a message from the bot (a notification) that contains `needle`.
    async fn notice(&mut self, needle: &str) -> Result<String> {
        let bot = self.bot.clone();
        let event = self
            .human
            .wait_for(&self.room, |e| {
                e["sender"] == bot.as_str() && body(e).contains(needle)
            })
            .await?;
        anyhow::ensure!(event["content"]["msgtype"] == "m.notice", "{event}");
        Ok(body(&event).to_owned())
    }
}

fn body(e: &Value) -> &str {
    e["content"]["body"].as_str().unwrap_or_default()
}

/// The number of the numbered choice (`N. label`) whose label contains `label`.
fn choice(body: &str, label: &str) -> Result<String> {
    body.lines()
        .filter_map(|l| l.split_once(". "))
        .find(|(n, l)| n.parse::<u32>().is_ok() && l.contains(label))
        .map(|(n, _)| n.to_owned())
        .with_context(|| format!("no choice {label:?} in {body:?}"))
}

/// The id at the end of a message (`… Id: X`).
fn id_after(text: &str, marker: &str) -> Result<String> {
    let rest = text
        .split_once(marker)
        .with_context(|| format!("no {marker:?} in {text:?}"))?
        .1;
    let id: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    anyhow::ensure!(!id.is_empty(), "empty id after {marker:?} in {text:?}");
    Ok(id)
}

/// One line of the terminal chat spoken by the node admin (as the `admin` member).
async fn admin_says(node: &Node, text: &str) -> Result<String> {
    let (status, v) = node
        .post(
            "/api/v1/chat",
            Some(&node.admin),
            &json!({"user": "ops", "as_member": "admin",
                "event": {"type": "text", "text": text}}),
        )
        .await?;
    anyhow::ensure!(status == 200, "chat answered {status}: {v}");
    let texts: Vec<&str> = v["replies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["text"].as_str())
        .collect();
    Ok(texts.join("\n"))
}

async fn facility(node: &Node, name: &str, lat: f64, lon: f64) -> Result<String> {
    let (status, v) = node
        .post(
            "/api/v1/facilities",
            Some(&node.admin),
            &json!({"kind": "hospital", "name": name, "lat": lat, "lon": lon,
                "specialties": ["emergency_medicine"]}),
        )
        .await?;
    anyhow::ensure!(status == 201, "facility creation answered {status}: {v}");
    Ok(v["id"].as_str().context("facility id")?.to_owned())
}

fn step(began: Instant, what: &str) {
    eprintln!("[{:>6.1}s] {what}", began.elapsed().as_secs_f64());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn need_offer_accept_ship_receive_across_matrix_and_telegram() -> Result<()> {
    if std::env::var("CAREMESH_SKIP_SYNAPSE").is_ok_and(|v| v == "1") {
        eprintln!("CAREMESH_SKIP_SYNAPSE=1: skipping the chat end-to-end test (it needs Synapse)");
        return Ok(());
    }
    let began = Instant::now();
    let synapse = Synapse::start()?;
    step(began, &format!("synapse up at {}", synapse.url));
    synapse.register("caremesh", "bot-pass")?;
    synapse.register("asha", "human-pass")?;
    let (fake_telegram, telegram_url) = FakeTelegram::start().await?;
    let telegram = fake_telegram.chat(MAKER);

    // Two nodes that peer with each other: A runs the Matrix bot, B the Telegram bot.
    let root = tempfile::tempdir()?;
    let mut a = Node::init(root.path(), "a", &[])?;
    let mut b = Node::init(root.path(), "b", &[])?;
    a.set_peers(&[&b.url])?;
    b.set_peers(&[&a.url])?;
    std::fs::write(a.dir.join("matrix.password"), "bot-pass\n")?;
    a.append_config(&format!(
        "\n[matrix]\nhomeserver = \"{}\"\nuser = \"@caremesh:localhost\"\npassword_file = \"matrix.password\"\n",
        synapse.url
    ))?;
    std::fs::write(b.dir.join("telegram.token"), "123:ABC\n")?;
    b.append_config(&format!(
        "\n[telegram]\ntoken_file = \"telegram.token\"\napi_url = \"{telegram_url}\"\n"
    ))?;
    a.start().await?;
    b.start().await?;
    step(began, "nodes A and B up");

    // Two facilities on A, so the requester chooses one.
    facility(&a, "Ruby Hall Clinic", 18.5310, 73.8770).await?;
    let sassoon = facility(&a, "Sassoon General", 18.5204, 73.8567).await?;

    // The requester opens a DM with A's bot on Synapse.
    let human = Human::login(&synapse.url, "asha", "human-pass").await?;
    let bot = "@caremesh:localhost".to_owned();
    let room = {
        let deadline = Instant::now() + WAIT;
        loop {
            // The node starts its bots after /healthz may already answer: wait for the login.
            if a.log().contains("Matrix bot running") {
                break;
            }
            if Instant::now() > deadline {
                bail!("A's Matrix bot did not start; log:\n{}", a.log());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        human.create_dm(&bot).await?
    };
    human.wait_joined(&room, &bot).await?;
    let mut dm = Dm { human, room, bot };
    step(began, "A's bot joined the requester's DM");

    // Maker on B registers over Telegram (no location yet) and subscribes.
    let mark = telegram.text("/register");
    let roles = telegram.sent(mark, "Who are you?").await?;
    let maker_role = button_data(&roles, "=role:maker")?;
    let mark = telegram.press(&maker_role);
    telegram.sent(mark, "Where are you?").await?;
    let mark = telegram.text("/skip");
    let registered = telegram.sent(mark, "Done: you are").await?;
    step(
        began,
        &format!("maker registered on B: {}", registered["text"]),
    );
    let mark = telegram.text("/subscribe 50");
    telegram.sent(mark, "Which products?").await?;
    let mark = telegram.text("all");
    telegram.sent(mark, "Where are you?").await?;
    let mark = telegram.location(18.5074, 73.8077);
    let subscribed = telegram
        .sent(mark, "Subscribed: needs within 50 km")
        .await?;
    assert!(
        subscribed["text"]
            .as_str()
            .is_some_and(|t| t.contains("All products")),
        "{subscribed}"
    );
    step(began, "maker subscribed on B");

    // Requester on A registers over Matrix; the node admin approves.
    let welcome = dm.ask("!start").await?;
    assert!(welcome.contains("Welcome to"), "{welcome}");
    let role = dm.ask(&choice(&welcome, "register")?).await?;
    assert!(role.contains("Who are you?"), "{role}");
    let asked = dm.ask(&choice(&role, "requester")?).await?;
    assert!(asked.contains("Where are you?"), "{asked}");
    let pending = dm.ask("18.5204,73.8567").await?;
    assert!(pending.contains("An admin must approve"), "{pending}");
    let handle = pending
        .strip_prefix("Thanks, ")
        .and_then(|t| t.split_once(". An admin"))
        .map(|(h, _)| h.to_owned())
        .with_context(|| format!("no handle in {pending:?}"))?;
    let early = dm.ask("!need").await?;
    assert!(
        !early.contains("What do you need?"),
        "not approved yet: {early}"
    );
    let listed = admin_says(&a, "/pending").await?;
    assert!(listed.contains(&handle), "{listed}");
    // With two facilities the admin names the one the requester acts for.
    let approved = admin_says(&a, &format!("/approve {handle} {sassoon}")).await?;
    assert!(
        approved.contains(&format!("{handle} is approved")),
        "{approved}"
    );
    dm.notice("Your registration was approved").await?;
    step(began, &format!("requester {handle} approved on A"));

    // The guided /need on Matrix: product, quantity, needed-by, facility.
    let products = dm.ask("!need").await?;
    assert!(products.contains("What do you need?"), "{products}");
    let quantity = dm.ask(&choice(&products, "Face shield")?).await?;
    assert!(quantity.contains("How many?"), "{quantity}");
    let by = dm.ask("200").await?;
    assert!(by.contains("Needed within how many days?"), "{by}");
    let facilities = dm.ask(&choice(&by, "7")?).await?;
    assert!(facilities.contains("For which facility?"), "{facilities}");
    let mark = telegram.mark();
    let posted_at = Instant::now();
    let posted = dm.ask(&choice(&facilities, "Sassoon General")?).await?;
    assert!(
        posted.contains("Posted: 200 × face-shield for Sassoon General"),
        "{posted}"
    );
    let need = id_after(&posted, "Id:")?;
    let (_, on_a) = a.get(&format!("/api/v1/requests/{need}"), None).await?;
    assert_eq!(on_a["facility_id"], sassoon.as_str(), "{on_a}");
    step(began, &format!("need {need} posted on A"));

    // The maker on B is told within seconds, with an Offer button.
    let alert = telegram.sent(mark, "New need near you").await?;
    let alerted_after = posted_at.elapsed();
    let alert_text = alert["text"].as_str().unwrap_or_default();
    assert!(
        alert_text.contains("200 × face-shield at Sassoon General"),
        "{alert}"
    );
    assert!(
        alerted_after < Duration::from_secs(10),
        "alert took {alerted_after:?}"
    );
    let offer = button_data(&alert, "/offer ")?;
    assert_eq!(offer, format!("/offer {need}"));
    step(
        began,
        &format!("maker alerted on B after {alerted_after:?}"),
    );

    // The guided /offer on Telegram: quantity, material (button), days.
    let mark = telegram.press(&offer);
    telegram
        .sent(mark, "200 still needed. How many can you make?")
        .await?;
    let mark = telegram.text("150");
    let materials = telegram.sent(mark, "Which material?").await?;
    let petg = button_data(&materials, "=material:PETG")?;
    let mark = telegram.press(&petg);
    telegram
        .sent(mark, "In how many days can you deliver?")
        .await?;
    let mark = telegram.text("7");
    telegram.sent(mark, "Offer sent: 150 × face-shield").await?;
    step(began, "maker offered on B");

    // The requester gets the proposal on Matrix and presses Accept.
    let proposal = dm.notice("New offer on your need for face-shield").await?;
    assert!(proposal.contains("150 × PETG"), "{proposal}");
    assert!(
        proposal.contains("offers 150 × face-shield in PETG"),
        "{proposal}"
    );
    let proposal_id = id_after(&proposal, "Id:")?;
    let mark = telegram.mark();
    let accepted = dm.ask(&choice(&proposal, "Accept")?).await?;
    assert!(accepted.contains("Accepted 150 of 150"), "{accepted}");
    step(began, &format!("requester accepted {proposal_id} on A"));

    // The maker is told on Telegram, with a Shipped button.
    let told = telegram
        .sent(mark, "Your offer of 150 × face-shield was accepted")
        .await?;
    let shipped = button_data(&told, "/shipped ")?;
    assert_eq!(shipped, format!("/shipped {proposal_id}"));
    let mark = telegram.text(&shipped);
    telegram.sent(mark, "Marked shipped").await?;
    step(began, "maker shipped on B");

    // The requester hears of the shipment and confirms receipt.
    let shipment = dm.notice("were shipped by").await?;
    assert!(shipment.contains("150 × face-shield"), "{shipment}");
    assert!(
        shipment.contains(&format!("received {proposal_id}")),
        "{shipment}"
    );
    let mark = telegram.mark();
    let received = dm.ask(&format!("!received {proposal_id}")).await?;
    assert!(
        received.contains("Receipt of 150 × face-shield confirmed"),
        "{received}"
    );
    telegram
        .sent(mark, "Your 150 × face-shield arrived")
        .await?;
    step(began, "requester received on A; maker told on B");

    // /stats on A shows the received quantity.
    let stats = dm.ask("!stats").await?;
    assert!(stats.contains("face-shield: 200 / 150 / 150"), "{stats}");
    step(began, "stats show it; done");

    drop(a);
    drop(b);
    drop(synapse);
    Ok(())
}
