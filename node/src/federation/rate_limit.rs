//! Per-origin token buckets for inbox pushes. Kept in memory: a restart forgives.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Allows `per_minute` pushes per sender, with bursts up to a tenth of that (at least 10).
pub struct RateLimit {
    per_minute: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimit {
    /// A limiter with this rate.
    pub fn new(per_minute: u32) -> Self {
        let per_minute = f64::from(per_minute.max(1));
        Self {
            per_minute,
            burst: (per_minute / 10.0).max(10.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `origin`; false when the sender is over its rate.
    pub fn allow(&self, origin: &str) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 100_000 {
            buckets.clear(); // bound memory against floods of made-up origins
        }
        let (tokens, last) = buckets
            .entry(origin.to_owned())
            .or_insert((self.burst, now));
        let refill = now.duration_since(*last).as_secs_f64() * self.per_minute / 60.0;
        *tokens = (*tokens + refill).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_refuses() {
        let limit = RateLimit::new(60);
        let allowed = (0..20).filter(|_| limit.allow("http://a")).count();
        assert_eq!(allowed, 10);
        assert!(limit.allow("http://b"));
    }
}
