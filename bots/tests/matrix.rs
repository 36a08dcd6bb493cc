//! The real Matrix bot against a real Synapse (installed and started by
//! `scripts/synapse.sh`): a human, driven by plain client-server API calls, invites the bot
//! to a DM and talks to it; a second start restores the session instead of logging in.
//! `CAREMESH_SKIP_SYNAPSE=1` skips it (with a message).

#[path = "support/fake_port.rs"]
#[allow(dead_code)]
mod fake_port;
#[path = "support/synapse.rs"]
mod synapse;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use caremesh_bots::chat::{ChatUser, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::matrix::{Matrix, MatrixConfig, Start};
use caremesh_bots::outbound::Outbound;
use caremesh_bots::reply::{Button, Reply};
use caremesh_bots::session::MemorySessions;
use fake_port::FakePort;
use serde_json::Value;
use synapse::{Human, Synapse};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running bot and the way to stop it.
struct Running {
    bot: Matrix,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

async fn start_bot(config: &MatrixConfig, engine: &Engine) -> Result<Running> {
    let bot = Matrix::connect(config).await?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(bot.clone().run(engine.clone(), async move {
        let _ = stopped.await;
    }));
    Ok(Running { bot, stop, task })
}

impl Running {
    async fn stop(self) -> Result<()> {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(30), self.task)
            .await
            .context("bot stops on shutdown")??;
        Ok(())
    }
}

/// Sends `text` and returns the bot's reply to it, checking it is an `m.notice` reply.
async fn ask(human: &mut Human, room: &str, bot: &str, text: &str) -> Result<String> {
    let id = human.send_text(room, text).await?;
    reply_to(human, room, bot, &id).await
}

async fn reply_to(human: &mut Human, room: &str, bot: &str, event_id: &str) -> Result<String> {
    let event = human
        .wait_for(room, |e| {
            e["sender"] == bot
                && e["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == event_id
        })
        .await?;
    assert_eq!(event["content"]["msgtype"], "m.notice", "{event}");
    Ok(event["content"]["body"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bot_joins_answers_and_restores_its_session_on_synapse() -> Result<()> {
    if std::env::var("CAREMESH_SKIP_SYNAPSE").is_ok_and(|v| v == "1") {
        eprintln!("CAREMESH_SKIP_SYNAPSE=1: skipping the Matrix test against a real Synapse");
        return Ok(());
    }
    let began = Instant::now();
    let synapse = Synapse::start()?;
    eprintln!("synapse up at {} after {:?}", synapse.url, began.elapsed());
    synapse.register("caremesh", "bot-pass")?;
    synapse.register("asha", "human-pass")?;
    synapse.register("ravi", "other-pass")?;
    let store = tempfile::tempdir()?;
    let config = MatrixConfig {
        homeserver: synapse.url.clone(),
        user: "caremesh".into(),
        password: Some("bot-pass".into()),
        dir: store.path().join("matrix"),
    };
    let engine = Engine::new(
        Arc::new(FakePort::default()),
        Arc::new(MemorySessions::default()),
        "Test node",
    );

    let first = start_bot(&config, &engine).await?;
    assert_eq!(first.bot.start(), Start::LoggedIn);
    let bot_id = first.bot.user_id().context("bot user id")?;
    let device = first.bot.device_id().context("bot device id")?;
    assert_eq!(bot_id, "@caremesh:localhost");

    let mut human = Human::login(&synapse.url, "asha", "human-pass").await?;
    let room = human.create_dm(&bot_id).await?;
    human.wait_joined(&room, &bot_id).await?;
    eprintln!("bot joined after {:?}", began.elapsed());

    let help = ask(&mut human, &room, &bot_id, "!help").await?;
    assert!(help.contains("!need") && !help.contains("/need"), "{help}");
    let garbage = ask(&mut human, &room, &bot_id, "zzz ~~ 💥 12a").await?;
    assert!(garbage.contains("I answer commands"), "{garbage}");
    let welcome = ask(&mut human, &room, &bot_id, "/start").await?;
    assert!(welcome.contains("Welcome to Test node"), "{welcome}");
    assert!(welcome.contains("1. register"), "{welcome}");
    let role = ask(&mut human, &room, &bot_id, "1").await?;
    assert!(
        role.contains("Who are you?"),
        "a typed 1 presses the first choice: {role}"
    );
    ask(&mut human, &room, &bot_id, "!cancel").await?;
    let at = human.send_location(&room, "geo:18.52,73.85").await?;
    let nearby = reply_to(&mut human, &room, &bot_id, &at).await?;
    assert!(nearby.contains("Rural Clinic"), "{nearby}");
    assert!(nearby.contains("1. 📍 1"), "map choices numbered: {nearby}");
    let pin = human
        .wait_for(&room, |e| {
            e["sender"] == bot_id.as_str() && e["content"]["msgtype"] == "m.location"
        })
        .await?;
    assert_eq!(
        pin["content"]["geo_uri"], "geo:18.520000,73.850000",
        "{pin}"
    );
    assert!(body_of(&pin).contains("City Hospital"), "{pin}");
    let typed = ask(&mut human, &room, &bot_id, "!nearby clinic pune").await?;
    assert!(typed.starts_with("Near Pune:"), "{typed}");
    let stats = ask(&mut human, &room, &bot_id, "!stats").await?;
    assert!(stats.contains("face-shield"), "{stats}");
    let chart = human
        .wait_for(&room, |e| {
            e["sender"] == bot_id.as_str() && e["content"]["msgtype"] == "m.image"
        })
        .await?;
    assert!(
        chart["content"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("mxc://")),
        "uploaded to the media repository: {chart}"
    );
    assert_eq!(chart["content"]["info"]["mimetype"], "image/png", "{chart}");

    assert!(
        human.has_cross_signing(&bot_id).await?,
        "cross-signing bootstrapped"
    );

    // In a group room the bot answers only when mentioned.
    let ward = human.create_group(&[&bot_id, "@ravi:localhost"]).await?;
    human.wait_joined(&ward, &bot_id).await?;
    let unmentioned = human.send_text(&ward, "!stats").await?;
    let mentioned = ask(&mut human, &ward, &bot_id, "caremesh: !help").await?;
    assert!(mentioned.contains("!need"), "{mentioned}");
    let answered_unmentioned = human
        .events(&ward)
        .iter()
        .any(|e| e["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == unmentioned.as_str());
    assert!(
        !answered_unmentioned,
        "the bot answered a message not meant for it"
    );

    // A notification from the node reaches the person's DM room.
    let asha = ChatUser {
        platform: Platform::Matrix,
        user: human.user_id.clone(),
        chat: room.clone(),
    };
    let notice =
        Reply::notice("New need near you").row(vec![Button::command("Offer", "/offer R1")]);
    first.bot.send(&asha, &[notice]).await?;
    let pushed = human
        .wait_for(&room, |e| {
            e["sender"] == bot_id.as_str()
                && e["content"]["body"]
                    .as_str()
                    .is_some_and(|b| b.starts_with("New need"))
        })
        .await?;
    assert_eq!(pushed["content"]["msgtype"], "m.notice");
    assert_eq!(pushed["content"]["body"], "New need near you\n1. Offer");
    // Registration made a device too; the bot's own login made exactly one more.
    let devices_before = synapse::devices(&synapse.url, &config.dir).await?;
    assert!(devices_before.contains(&device), "{devices_before:?}");
    first.stop().await?;
    eprintln!("first run done after {:?}", began.elapsed());

    // The second start restores the session: same device, no new login.
    let second = start_bot(
        &MatrixConfig {
            password: None,
            ..config.clone()
        },
        &engine,
    )
    .await?;
    assert_eq!(second.bot.start(), Start::Restored);
    assert_eq!(second.bot.device_id().as_deref(), Some(device.as_str()));
    let devices = synapse::devices(&synapse.url, &config.dir).await?;
    assert_eq!(devices, devices_before, "no new device on restart");
    let again = ask(&mut human, &room, &bot_id, "!help").await?;
    assert!(again.contains("!need"), "{again}");
    // Old commands are not answered twice after the restart.
    let answers_to_help = human
        .events(&room)
        .iter()
        .filter(|e| e["sender"] == bot_id.as_str() && body_of(e).contains("!need"))
        .count();
    assert_eq!(answers_to_help, 2, "one answer per !help");
    second.stop().await?;
    eprintln!("Matrix test done after {:?}", began.elapsed());
    drop(synapse);
    Ok(())
}

fn body_of(e: &Value) -> &str {
    e["content"]["body"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn without_a_session_or_password_the_bot_says_what_is_missing() -> Result<()> {
    // Without a session file and without a password the bot cannot start, and says why.
    let dir = tempfile::tempdir()?;
    let config = MatrixConfig {
        homeserver: "http://127.0.0.1:9".into(),
        user: "caremesh".into(),
        password: None,
        dir: dir.path().to_owned(),
    };
    match Matrix::connect(&config).await {
        Ok(_) => bail!("connected without a password or session"),
        Err(e) => assert!(e.to_string().contains("CAREMESH_MATRIX_PASSWORD"), "{e}"),
    }
    Ok(())
}
