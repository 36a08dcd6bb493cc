//! `caremesh bench chat`: the engine's time per message over an in-process node (sled, no
//! network), and the time to find who to notify about one new need among many subscribers.

use std::time::Instant;

use caremesh_bots::chat::{ChatUser, Input, Platform};
use caremesh_bots::port::Subscription;
use caremesh_node::chat::subscribers::SubscriberIndex;
use caremesh_node::fixtures::{node_config, spawn_node};
use rand::{Rng, SeedableRng};

use super::{ms, percentile};

/// The lines a benchmark chat user sends, in turn.
const LINES: [&str; 8] = [
    "/help",
    "/needs",
    "/stats",
    "/frobnicate",
    "/need",
    "/cancel",
    "/subscribe",
    "/mute",
];

/// Runs the benchmark and prints its figures.
pub async fn run(messages: usize, subscribers: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let node = spawn_node(node_config(dir.path(), "bench", &[])).await?;
    let engine = caremesh_node::chat::engine(&node.app);
    let who = ChatUser::direct(Platform::Terminal, "bench");
    engine.handle(&Input::text(&who, "/register")).await;
    engine.handle(&Input::button(&who, "=role:maker")).await;
    engine.handle(&Input::text(&who, "18.52,73.85")).await;
    let mut times = Vec::with_capacity(messages);
    for i in 0..messages {
        let input = Input::text(&who, LINES[i % LINES.len()]);
        let start = Instant::now();
        let replies = engine.handle(&input).await;
        times.push(start.elapsed());
        anyhow::ensure!(!replies.is_empty(), "no reply to {:?}", input.event);
    }
    node.stop();
    times.sort();
    println!(
        "engine: {messages} messages, p50 {:.3} ms, p99 {:.3} ms per message (goal p99 < 1 ms)",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    );
    notify_lookup(subscribers);
    Ok(())
}

fn notify_lookup(subscribers: usize) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let subs: Vec<(String, Subscription)> = (0..subscribers)
        .map(|i| {
            let sub = Subscription {
                radius_km: rng.gen_range(5.0..150.0),
                products: if rng.gen_bool(0.5) {
                    Vec::new()
                } else {
                    vec!["face-shield".into()]
                },
                location: (rng.gen_range(8.0..35.0), rng.gen_range(68.0..97.0)),
                muted: rng.gen_bool(0.05),
            };
            (format!("maker-{i}"), sub)
        })
        .collect();
    let build = Instant::now();
    let index = SubscriberIndex::new(subs);
    let built = build.elapsed();
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..200 {
        let at = (rng.gen_range(8.0..35.0), rng.gen_range(68.0..97.0));
        let start = Instant::now();
        found += index.who_wants("face-shield", at).len();
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "notify: {} subscribers (index built in {:.1} ms), who to notify for one new need: p50 {:.3} ms, p99 {:.3} ms (goal < 20 ms), {:.0} recipients on average",
        index.len(),
        built.as_secs_f64() * 1e3,
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        found as f64 / times.len() as f64
    );
}
