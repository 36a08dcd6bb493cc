//! `caremesh bench triage`: the time to assess a 500-character text (goal: under 1 ms at
//! p99), per language, beside an anchor measured on the same texts in the same run: only
//! lowercasing them and splitting on white space, the least any text handling costs.

use std::time::{Duration, Instant};

use caremesh_node::triage::Triage;
use caremesh_node::triage::eval::{self, Language};

use super::{ms, percentile};

/// Length of every timed text, in characters.
const TEXT_CHARS: usize = 500;

/// Texts of exactly [`TEXT_CHARS`] characters in `language`, made of evaluation cases
/// joined into one message each (a long description, several complaints in a row).
fn texts(cases: &[eval::Case], language: Language) -> Vec<String> {
    let lines: Vec<&str> = cases
        .iter()
        .filter(|c| c.language == language)
        .map(|c| c.text.as_str())
        .collect();
    (0..lines.len())
        .map(|start| {
            let mut text = String::new();
            let mut i = start;
            while text.chars().count() < TEXT_CHARS {
                text.push_str(lines[i % lines.len()]);
                text.push_str(". ");
                i += 1;
            }
            text.chars().take(TEXT_CHARS).collect()
        })
        .collect()
}

fn time_each(texts: &[String], rounds: usize, mut f: impl FnMut(&str)) -> Vec<Duration> {
    let mut times = Vec::with_capacity(texts.len() * rounds);
    for _ in 0..rounds {
        for text in texts {
            let start = Instant::now();
            f(text);
            times.push(start.elapsed());
        }
    }
    times.sort();
    times
}

/// Runs the benchmark and prints its figures.
pub fn run(samples: usize) -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        println!("note: a debug build; run `cargo run --release -- bench triage` for real figures");
    }
    let start = Instant::now();
    let triage = Triage::builtin()?;
    println!("rules and lexicon loaded in {:.1} ms", ms(start.elapsed()));
    let cases = eval::parse(eval::BUILTIN_EVAL)?;
    let mut all = Vec::new();
    for language in Language::ALL {
        let texts = texts(&cases, language);
        if texts.is_empty() {
            continue;
        }
        let rounds = samples.div_ceil(texts.len()).max(1);
        // Warm caches and the allocator before timing.
        time_each(&texts, 1, |t| drop(triage.assess(t)));
        let assess = time_each(&texts, rounds, |t| drop(triage.assess(t)));
        let split = time_each(&texts, rounds, |t| {
            let words = t.to_lowercase().split_whitespace().count();
            std::hint::black_box(words);
        });
        println!(
            "{:<9} {} texts x {rounds}: assess p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms   \
             (goal p99 < 1 ms; anchor lowercase+split p50 {:.4} ms, p99 {:.4} ms)",
            language.as_str(),
            texts.len(),
            ms(percentile(&assess, 0.5)),
            ms(percentile(&assess, 0.99)),
            ms(percentile(&assess, 1.0)),
            ms(percentile(&split, 0.5)),
            ms(percentile(&split, 0.99)),
        );
        all.extend(assess);
    }
    all.sort();
    println!(
        "all       {} assessments of {TEXT_CHARS} characters: p50 {:.3} ms, p99 {:.3} ms   (goal p99 < 1 ms)",
        all.len(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
    );
    Ok(())
}
