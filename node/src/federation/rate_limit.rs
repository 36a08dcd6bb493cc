//! Per-sender token buckets for the inbox, counted in envelopes. Kept in memory (a restart
//! forgives) and bounded: only senders whose request signature verified get a bucket, and
//! the least recently seen are forgotten first.
//!
//! A push is [`RateLimit::peek`]ed before its body is read (an empty bucket is refused at
//! once, for the price of a header) and [`RateLimit::take`]n once its signature verified
//! and its envelopes are counted, so nobody can spend another peer's budget.

use std::sync::Mutex;
use std::time::Instant;

use caremesh_federation::batch::MAX_BATCH_ENVELOPES;
use hashlink::LruCache;

/// Senders whose buckets are kept.
const SENDERS: usize = 10_000;

/// Allows `per_minute` envelopes per sender, in bursts of up to ten seconds' worth (and
/// never less than two full batches, so a full push always fits an idle bucket).
pub struct RateLimit {
    per_second: f64,
    burst: f64,
    buckets: Mutex<LruCache<String, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimit {
    /// A limiter allowing `per_minute` envelopes per sender.
    pub fn new(per_minute: u32) -> Self {
        let per_second = f64::from(per_minute.max(1)) / 60.0;
        Self {
            per_second,
            burst: (per_second * 10.0).max(2.0 * MAX_BATCH_ENVELOPES as f64),
            buckets: Mutex::new(LruCache::new(SENDERS)),
        }
    }

    fn level(&self, bucket: Option<&Bucket>, now: Instant) -> f64 {
        match bucket {
            Some(b) => {
                let refill = now.duration_since(b.at).as_secs_f64() * self.per_second;
                (b.tokens + refill).min(self.burst)
            }
            None => self.burst,
        }
    }

    /// False when `sender` has no token left. Changes nothing.
    pub fn peek(&self, sender: &str) -> bool {
        let buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        self.level(buckets.peek(sender), Instant::now()) >= 1.0
    }

    /// Takes `count` tokens (at least one: an empty push costs one) from `sender`'s bucket;
    /// false, taking nothing, when there are not that many.
    pub fn take(&self, sender: &str, count: usize) -> bool {
        let now = Instant::now();
        let want = count.max(1) as f64;
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let tokens = self.level(buckets.get(sender), now);
        if tokens < want {
            return false;
        }
        buckets.insert(
            sender.to_owned(),
            Bucket {
                tokens: tokens - want,
                at: now,
            },
        );
        true
    }

    /// Seconds until `sender` has `count` tokens again (for `Retry-After`).
    pub fn wait_secs(&self, sender: &str, count: usize) -> u64 {
        let buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let missing = count.max(1) as f64 - self.level(buckets.peek(sender), Instant::now());
        (missing.max(0.0) / self.per_second).ceil() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_envelopes_in_bursts() {
        // 600 a minute: 10 a second, bursts of 100.
        let limit = RateLimit::new(600);
        assert!(limit.take("http://a", 50));
        assert!(limit.take("http://a", 50));
        assert!(!limit.take("http://a", 50), "the burst is spent");
        assert!(!limit.peek("http://a"));
        assert!(limit.wait_secs("http://a", 50) >= 4);
        // Other senders have their own bucket; peeking creates none.
        assert!(limit.peek("http://b"));
        assert!(limit.take("http://b", 0));
    }

    #[test]
    fn forgets_the_least_recent_senders() {
        let limit = RateLimit::new(60);
        for i in 0..SENDERS + 10 {
            limit.take(&format!("http://n{i}"), 1);
        }
        let len = limit.buckets.lock().unwrap().len();
        assert_eq!(len, SENDERS);
    }
}
