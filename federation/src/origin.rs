//! Origins: who a node is. An origin is a scheme (`http` or `https`), a host and, when it
//! is not the scheme's default, a port, and nothing else: no user, no path, no query, no
//! fragment. Its one written form is lowercase, without the default port and without a
//! trailing slash (`https://node.example`, `http://127.0.0.1:7700`).
//!
//! Every origin the protocol carries (in objects, envelopes, signed request headers,
//! identity documents) must already be in that form, so two spellings can never name one
//! node, and a URL made from an origin reaches only the node's own routes. What people type
//! (config, the peers API) is normalised by [`normalize`] first.

use url::Url;

/// Longest origin accepted, in bytes.
pub const MAX_ORIGIN: usize = 200;

/// Text that is not an origin.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{shown}` is not an origin ({problem}); write scheme://host[:port], e.g. https://node.example"
)]
pub struct OriginError {
    /// The text, cut to a readable length.
    pub shown: String,
    /// What is wrong with it.
    pub problem: &'static str,
}

fn refuse(text: &str, problem: &'static str) -> OriginError {
    let shown: String = text.chars().take(80).collect();
    OriginError { shown, problem }
}

/// The origin `text` names, in its one written form: scheme and host lowercased, the
/// default port and a trailing `/` dropped. Refuses anything else a URL may carry.
pub fn normalize(text: &str) -> Result<String, OriginError> {
    let text = text.trim();
    if text.len() > MAX_ORIGIN {
        return Err(refuse(text, "longer than 200 bytes"));
    }
    let url = Url::parse(text).map_err(|_| refuse(text, "not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse(text, "the scheme is not http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(text, "it carries a user or password"));
    }
    if url.path() != "/" {
        return Err(refuse(text, "it has a path"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse(text, "it has a query or fragment"));
    }
    let host = url.host_str().filter(|h| !h.is_empty());
    let host = host.ok_or_else(|| refuse(text, "it has no host"))?;
    let origin = match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    };
    if origin.len() > MAX_ORIGIN {
        return Err(refuse(text, "longer than 200 bytes"));
    }
    Ok(origin)
}

/// Checks that `text` is an origin already in its one written form, as everything on the
/// wire must be.
pub fn check(text: &str) -> Result<(), OriginError> {
    let normal = normalize(text)?;
    if normal == text {
        Ok(())
    } else {
        Err(refuse(
            text,
            "not in its normal form (lowercase, no default port, no /)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_written_form() {
        for (given, normal) in [
            ("https://Node.Example", "https://node.example"),
            ("HTTPS://node.example:443/", "https://node.example"),
            ("http://node.example:80", "http://node.example"),
            ("http://127.0.0.1:7700/", "http://127.0.0.1:7700"),
            ("https://node.example:8443", "https://node.example:8443"),
            ("http://[::1]:7700", "http://[::1]:7700"),
            (" https://node.example ", "https://node.example"),
        ] {
            assert_eq!(normalize(given).as_deref(), Ok(normal), "{given}");
        }
        assert!(check("https://node.example").is_ok());
        assert!(check("https://node.example/").is_err());
        assert!(check("https://Node.example").is_err());
        assert!(check("https://node.example:443").is_err());
    }

    #[test]
    fn nothing_but_scheme_host_and_port() {
        for bad in [
            "node.example",
            "ftp://node.example",
            "https://user:pw@node.example",
            "https://user@node.example",
            "https://node.example/federation",
            "https://node.example/?origin=x",
            "https://node.example#x",
            "https://node.example/../admin",
            "file:///etc/passwd",
            "https://",
            "",
        ] {
            let e = normalize(bad).unwrap_err();
            assert!(e.to_string().contains("is not an origin"), "{bad}: {e}");
        }
        let long = format!("https://{}.example", "a".repeat(300));
        assert!(normalize(&long).is_err());
    }
}
