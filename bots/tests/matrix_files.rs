//! Health records through the real Matrix bot on a real Synapse, in encrypted DMs: staff
//! send a report as an `m.file` (encrypted by their client), the bot fetches and decrypts it
//! with the SDK's media API and stores it; the patient lists the records and gets the file
//! back as an encrypted `m.file`, whose decrypted bytes are the report's.
//! Both people use matrix-sdk clients (plain HTTP calls cannot encrypt).
//! `CAREMESH_SKIP_SYNAPSE=1` skips it (with a message).

#![recursion_limit = "256"]

#[path = "support/fake_port.rs"]
#[allow(dead_code)]
mod fake_port;
#[path = "support/synapse.rs"]
#[allow(dead_code)]
mod synapse;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use caremesh_bots::chat::{ChatUser, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::matrix::{Matrix, MatrixConfig};
use caremesh_bots::port::Role;
use caremesh_bots::session::MemorySessions;
use fake_port::FakePort;
use matrix_sdk::Client;
use matrix_sdk::attachment::AttachmentConfig;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::message::{
    MessageType, OriginalSyncRoomMessageEvent, RoomMessageEventContent, TextMessageEventContent,
};
use matrix_sdk::ruma::{OwnedUserId, UserId};
use synapse::Synapse;

/// How long a person waits for the bot.
const WAIT: Duration = Duration::from_secs(60);

/// A person on an encrypting matrix-sdk client, keeping every message it could decrypt.
struct Person {
    client: Client,
    seen: Arc<Mutex<Vec<OriginalSyncRoomMessageEvent>>>,
    sync: tokio::task::JoinHandle<()>,
}

impl Person {
    async fn login(url: &str, user: &str, password: &str, dir: &Path) -> Result<Self> {
        let client = Client::builder()
            .homeserver_url(url)
            .sqlite_store(dir.join(user), None)
            .build()
            .await?;
        client
            .matrix_auth()
            .login_username(user, password)
            .send()
            .await?;
        client.sync_once(SyncSettings::default()).await?;
        let seen: Arc<Mutex<Vec<OriginalSyncRoomMessageEvent>>> = Arc::default();
        let kept = seen.clone();
        client.add_event_handler(move |event: OriginalSyncRoomMessageEvent| {
            let kept = kept.clone();
            async move { kept.lock().unwrap_or_else(|e| e.into_inner()).push(event) }
        });
        let syncing = client.clone();
        let sync = tokio::spawn(async move {
            let _ = syncing.sync(SyncSettings::default()).await;
        });
        Ok(Self { client, seen, sync })
    }

    /// An encrypted DM with the bot, once the bot has joined it.
    async fn dm_with(&self, bot: &UserId) -> Result<Room> {
        let room = self.client.create_dm(bot).await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let member = room.get_member_no_sync(bot).await?;
            if member.is_some_and(|m| *m.membership() == MembershipState::Join) {
                break;
            }
            if Instant::now() > deadline {
                bail!("the bot did not join");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(room.encryption_state().is_encrypted(), "an encrypted DM");
        Ok(room)
    }

    /// Waits for a message from `bot` (after the first `after` seen) that `matches`.
    async fn wait_for(
        &self,
        bot: &UserId,
        after: usize,
        matches: impl Fn(&MessageType) -> bool,
    ) -> Result<MessageType> {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self
                .seen
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .skip(after)
                .filter(|e| e.sender == bot)
                .map(|e| e.content.msgtype.clone())
                .find(|m| matches(m));
            if let Some(found) = found {
                return Ok(found);
            }
            if Instant::now() > deadline {
                bail!("no such message from the bot");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn mark(&self) -> usize {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Sends `text`, then waits for a bot message whose body holds `needle`.
    async fn say(&self, room: &Room, bot: &UserId, text: &str, needle: &str) -> Result<()> {
        let mark = self.mark();
        room.send(RoomMessageEventContent::text_plain(text)).await?;
        self.wait_for(bot, mark, |m| m.body().contains(needle))
            .await
            .with_context(|| format!("an answer to {text:?} holding {needle:?}"))?;
        Ok(())
    }
}

impl Drop for Person {
    fn drop(&mut self) {
        self.sync.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_travel_as_encrypted_files_both_ways() -> Result<()> {
    if std::env::var("CAREMESH_SKIP_SYNAPSE").is_ok_and(|v| v == "1") {
        eprintln!("CAREMESH_SKIP_SYNAPSE=1: skipping the Matrix file test against a real Synapse");
        return Ok(());
    }
    let began = Instant::now();
    let synapse = Synapse::start()?;
    for (user, password) in [
        ("caremesh", "bot-pass"),
        ("asha", "a-pass"),
        ("ravi", "r-pass"),
    ] {
        synapse.register(user, password)?;
    }
    let port = Arc::new(FakePort::default());
    let matrix = |user: &str| ChatUser::direct(Platform::Matrix, format!("@{user}:localhost"));
    port.add(&matrix("asha"), "lab", Role::Staff);
    port.add(&matrix("ravi"), "u-ravi", Role::Patient);
    let engine = Engine::new(
        port.clone(),
        Arc::new(MemorySessions::default()),
        "Test node",
    );
    let dir = tempfile::tempdir()?;
    let bot = Matrix::connect(&MatrixConfig {
        homeserver: synapse.url.clone(),
        user: "caremesh".into(),
        password: Some("bot-pass".into()),
        dir: dir.path().join("bot"),
    })
    .await?;
    let bot_id: OwnedUserId = bot.user_id().context("bot user id")?.parse()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(bot.run(engine, async move {
        let _ = stopped.await;
    }));

    let ravi = Person::login(&synapse.url, "ravi", "r-pass", dir.path()).await?;
    let ravi_dm = ravi.dm_with(&bot_id).await?;
    ravi.say(&ravi_dm, &bot_id, "!healthid new", "42-1730-0000-0001")
        .await?;
    eprintln!("patient has an ID after {:?}", began.elapsed());

    let asha = Person::login(&synapse.url, "asha", "a-pass", dir.path()).await?;
    let asha_dm = asha.dm_with(&bot_id).await?;
    let report = b"%PDF-1.4\n% CBC: Hb 13.1 g/dL\n\x00\xff%%EOF\n".to_vec();
    let mark = asha.mark();
    let caption = TextMessageEventContent::plain("42-1730-0000-0001 lab report Blood count");
    asha_dm
        .send_attachment(
            "cbc.pdf",
            &mime::APPLICATION_PDF,
            report.clone(),
            AttachmentConfig::new().caption(Some(caption)),
        )
        .await?;
    asha.wait_for(&bot_id, mark, |m| {
        m.body().contains("Stored: \"Blood count\"")
    })
    .await
    .context("the upload is stored")?;
    let stored = port.lock().health.records["42173000000001"].clone();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].1, report, "the bot decrypted the file's bytes");
    eprintln!("uploaded after {:?}", began.elapsed());

    ravi.say(&ravi_dm, &bot_id, "!records", "Blood count")
        .await?;
    let mark = ravi.mark();
    ravi_dm
        .send(RoomMessageEventContent::text_plain("1"))
        .await?;
    let file = ravi
        .wait_for(&bot_id, mark, |m| matches!(m, MessageType::File(_)))
        .await
        .context("the record comes back as a file")?;
    let MessageType::File(file) = file else {
        bail!("not a file");
    };
    assert!(
        matches!(
            file.source,
            matrix_sdk::ruma::events::room::MediaSource::Encrypted(_)
        ),
        "sent encrypted in an encrypted room"
    );
    let bytes = ravi.client.media().get_file(&file, false).await?;
    assert_eq!(
        bytes.as_deref(),
        Some(report.as_slice()),
        "the record's bytes"
    );

    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(30), running).await??;
    eprintln!("Matrix file test done after {:?}", began.elapsed());
    drop(synapse);
    Ok(())
}
