//! Signed HTTP requests between nodes.
//!
//! A request carries one header,
//! `Authorization: Caremesh origin="<url>",destination="<url>",key="ed25519:1",created=<unix s>,expires=<unix s>,nonce="<text>",sig="<base64>"`,
//! whose signature covers the lines of [`signing_string`]: a fixed prefix, the method, the
//! path with query, origin, destination, created, expires, nonce and the SHA-256 of the body
//! in hex. The receiver checks the clock window and the nonce against a replay cache.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::batch::Check;
use crate::error::RequestAuthError;
use crate::key::NodeKey;

/// The authorization scheme name.
pub const SCHEME: &str = "Caremesh";
/// How long a signed request stays valid after it was made, in seconds.
pub const LIFETIME_SECS: i64 = 120;
/// Tolerated clock difference between nodes, in seconds (±5 minutes).
pub const CLOCK_WINDOW_SECS: i64 = 300;

/// The parsed authorization header of a signed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestAuth {
    pub origin: String,
    pub destination: String,
    pub key_id: String,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds.
    pub expires: i64,
    pub nonce: String,
    pub sig: [u8; 64],
}

/// The bytes a request signature covers.
pub fn signing_string(
    auth: &RequestAuth,
    method: &str,
    path_and_query: &str,
    body: &[u8],
) -> Vec<u8> {
    let digest = hex::encode(Sha256::digest(body));
    format!(
        "caremesh-request-v1\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        path_and_query,
        auth.origin,
        auth.destination,
        auth.created,
        auth.expires,
        auth.nonce,
        digest
    )
    .into_bytes()
}

fn err(check: Check, message: impl Into<String>) -> RequestAuthError {
    RequestAuthError {
        check,
        message: message.into(),
    }
}

impl RequestAuth {
    /// Signs a request made now (`now` in unix seconds).
    pub fn sign(
        key: &NodeKey,
        origin: &str,
        destination: &str,
        method: &str,
        path_and_query: &str,
        body: &[u8],
        now: i64,
    ) -> Self {
        let mut auth = RequestAuth {
            origin: origin.to_owned(),
            destination: destination.to_owned(),
            key_id: key.id().to_owned(),
            created: now,
            expires: now + LIFETIME_SECS,
            nonce: ulid::Ulid::new().to_string(),
            sig: [0; 64],
        };
        auth.sig = key.sign(&signing_string(&auth, method, path_and_query, body));
        auth
    }

    /// The header value.
    pub fn to_header(&self) -> String {
        format!(
            "{SCHEME} origin=\"{}\",destination=\"{}\",key=\"{}\",created={},expires={},nonce=\"{}\",sig=\"{}\"",
            self.origin,
            self.destination,
            self.key_id,
            self.created,
            self.expires,
            self.nonce,
            STANDARD_NO_PAD.encode(self.sig)
        )
    }

    /// Parses a header value; the `header` check.
    pub fn parse(value: &str) -> Result<Self, RequestAuthError> {
        let params = value
            .strip_prefix(SCHEME)
            .and_then(|rest| rest.strip_prefix(' '))
            .ok_or_else(|| {
                err(
                    Check::Header,
                    format!("authorization is not `{SCHEME} ...`"),
                )
            })?;
        let mut fields = Fields::default();
        for part in params.split(',') {
            let (name, raw) = part
                .trim()
                .split_once('=')
                .ok_or_else(|| err(Check::Header, format!("parameter `{part}` has no `=`")))?;
            fields.set(name, raw.trim_matches('"'))?;
        }
        fields.finish()
    }

    /// The `clock` check: created not in the future, not expired, lifetime sane. Any
    /// `created` and `expires` a header carries are answered, extremes included.
    pub fn check_clock(&self, now: i64) -> Result<(), RequestAuthError> {
        if self.created > now.saturating_add(CLOCK_WINDOW_SECS) {
            return Err(err(
                Check::Clock,
                format!("created {} is ahead of our clock {now}", self.created),
            ));
        }
        if self.expires.saturating_add(CLOCK_WINDOW_SECS) < now {
            return Err(err(
                Check::Clock,
                format!("expired at {} (our clock {now})", self.expires),
            ));
        }
        // Saturating: a peer may send any i64, and no value may overflow here.
        let lifetime = self.expires.saturating_sub(self.created);
        if self.expires < self.created || lifetime > 2 * CLOCK_WINDOW_SECS {
            return Err(err(
                Check::Clock,
                "expires must be after created and within 10 minutes",
            ));
        }
        Ok(())
    }

    /// The `signature` check.
    pub fn verify(
        &self,
        key: &VerifyingKey,
        method: &str,
        path_and_query: &str,
        body: &[u8],
    ) -> Result<(), RequestAuthError> {
        let message = signing_string(self, method, path_and_query, body);
        key.verify_strict(&message, &Signature::from_bytes(&self.sig))
            .map_err(|_| {
                err(
                    Check::Signature,
                    format!("request signature of {} does not verify", self.origin),
                )
            })
    }
}

#[derive(Default)]
struct Fields {
    origin: Option<String>,
    destination: Option<String>,
    key: Option<String>,
    created: Option<i64>,
    expires: Option<i64>,
    nonce: Option<String>,
    sig: Option<[u8; 64]>,
}

impl Fields {
    fn set(&mut self, name: &str, value: &str) -> Result<(), RequestAuthError> {
        let number = |v: &str| {
            v.parse::<i64>()
                .map_err(|_| err(Check::Header, format!("`{name}` is not an integer")))
        };
        match name {
            "origin" => self.origin = Some(value.to_owned()),
            "destination" => self.destination = Some(value.to_owned()),
            "key" => self.key = Some(value.to_owned()),
            "created" => self.created = Some(number(value)?),
            "expires" => self.expires = Some(number(value)?),
            "nonce" if !value.is_empty() && value.len() <= 64 => {
                self.nonce = Some(value.to_owned())
            }
            "nonce" => return Err(err(Check::Header, "`nonce` must be 1 to 64 characters")),
            "sig" => {
                let bytes = STANDARD_NO_PAD
                    .decode(value.trim_end_matches('='))
                    .map_err(|_| err(Check::Header, "`sig` is not base64"))?;
                let sig = bytes
                    .try_into()
                    .map_err(|_| err(Check::Header, "`sig` is not 64 bytes"))?;
                self.sig = Some(sig);
            }
            _ => {} // unknown parameters are ignored for forward compatibility
        }
        Ok(())
    }

    fn finish(self) -> Result<RequestAuth, RequestAuthError> {
        let missing = |name: &str| err(Check::Header, format!("missing `{name}`"));
        for (name, value) in [("origin", &self.origin), ("destination", &self.destination)] {
            if let Some(value) = value {
                crate::origin::check(value)
                    .map_err(|e| err(Check::Header, format!("`{name}`: {e}")))?;
            }
        }
        Ok(RequestAuth {
            origin: self.origin.ok_or_else(|| missing("origin"))?,
            destination: self.destination.ok_or_else(|| missing("destination"))?,
            key_id: self.key.ok_or_else(|| missing("key"))?,
            created: self.created.ok_or_else(|| missing("created"))?,
            expires: self.expires.ok_or_else(|| missing("expires"))?,
            nonce: self.nonce.ok_or_else(|| missing("nonce"))?,
            sig: self.sig.ok_or_else(|| missing("sig"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let key = NodeKey::generate();
        let auth = RequestAuth::sign(
            &key,
            "http://a",
            "http://b",
            "POST",
            "/federation/v1/inbox",
            b"body",
            1_000,
        );
        let parsed = RequestAuth::parse(&auth.to_header()).unwrap();
        assert_eq!(parsed, auth);
        parsed
            .verify(&key.public(), "POST", "/federation/v1/inbox", b"body")
            .unwrap();
        let e = parsed
            .verify(&key.public(), "POST", "/federation/v1/inbox", b"bodz")
            .unwrap_err();
        assert_eq!(e.check, Check::Signature);
        assert!(parsed.check_clock(1_000).is_ok());
        assert_eq!(parsed.check_clock(2_000).unwrap_err().check, Check::Clock);
        assert_eq!(
            RequestAuth::parse("Bearer x").unwrap_err().check,
            Check::Header
        );
    }

    #[test]
    fn extreme_times_are_refused_not_overflowed() {
        let key = NodeKey::generate();
        let now = 1_795_000_000;
        for (created, expires) in [
            (i64::MIN, now),
            (now, i64::MAX),
            (i64::MIN, i64::MAX),
            (i64::MAX, i64::MIN),
        ] {
            let mut auth = RequestAuth::sign(&key, "http://a", "http://b", "POST", "/", b"", 0);
            (auth.created, auth.expires) = (created, expires);
            let header = auth.to_header();
            let parsed = RequestAuth::parse(&header).unwrap();
            assert_eq!(parsed.check_clock(now).unwrap_err().check, Check::Clock);
            assert!(auth.check_clock(i64::MAX).is_err() && auth.check_clock(i64::MIN).is_err());
        }
    }
}
