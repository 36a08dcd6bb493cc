//! Parsing typed commands: `/need`, `!need` (Matrix), `/need@bot` (Telegram groups).

/// A command with its arguments (the rest of the line, trimmed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Start,
    Help,
    Register,
    Approve,
    Pending,
    Lang,
    Link,
    Need,
    Needs,
    Offer,
    Proposals,
    Accept,
    Defer,
    Decline,
    Shipped,
    Received,
    Subscribe,
    Mute,
    Nearby,
    Map,
    Facility,
    Blood,
    Services,
    Symptoms,
    Stats,
    Cancel,
    Skip,
    /// Not a command the engine knows; carries the (shortened) name typed.
    Unknown(String),
}

/// The longest command name echoed back in an "unknown command" answer.
const MAX_ECHO: usize = 24;

/// Every command name, for menus (Telegram's command list).
pub const NAMES: [&str; 26] = [
    "start",
    "help",
    "register",
    "approve",
    "pending",
    "lang",
    "link",
    "need",
    "needs",
    "offer",
    "proposals",
    "accept",
    "defer",
    "decline",
    "shipped",
    "received",
    "subscribe",
    "mute",
    "nearby",
    "map",
    "facility",
    "blood",
    "services",
    "symptoms",
    "stats",
    "cancel",
];

impl Command {
    fn from_name(name: &str) -> Command {
        match name {
            "start" => Command::Start,
            "help" => Command::Help,
            "register" => Command::Register,
            "approve" => Command::Approve,
            "pending" => Command::Pending,
            "lang" | "language" => Command::Lang,
            "link" => Command::Link,
            "need" => Command::Need,
            "needs" => Command::Needs,
            "offer" => Command::Offer,
            "proposals" | "offers" => Command::Proposals,
            "accept" => Command::Accept,
            "defer" => Command::Defer,
            "decline" => Command::Decline,
            "shipped" => Command::Shipped,
            "received" => Command::Received,
            "subscribe" => Command::Subscribe,
            "mute" => Command::Mute,
            "nearby" => Command::Nearby,
            "map" | "where" => Command::Map,
            "facility" | "listing" => Command::Facility,
            "blood" => Command::Blood,
            "services" => Command::Services,
            "symptoms" => Command::Symptoms,
            "stats" => Command::Stats,
            "cancel" | "stop" => Command::Cancel,
            "skip" => Command::Skip,
            other => Command::Unknown(other.chars().take(MAX_ECHO).collect()),
        }
    }
}

/// Splits `/name@bot args` into a command and its arguments; `None` for plain text.
pub fn parse(text: &str) -> Option<(Command, String)> {
    let text = text.trim();
    let rest = text.strip_prefix('/').or_else(|| text.strip_prefix('!'))?;
    let (word, args) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let name = word.split('@').next().unwrap_or(word).to_lowercase();
    if name.is_empty() {
        return None;
    }
    Some((Command::from_name(&name), args.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_bot_names_and_case() {
        assert_eq!(parse("/need"), Some((Command::Need, String::new())));
        assert_eq!(
            parse(" !Offer  01AB "),
            Some((Command::Offer, "01AB".into()))
        );
        assert_eq!(
            parse("/help@caremesh_bot"),
            Some((Command::Help, String::new()))
        );
        assert_eq!(parse("hello"), None);
        assert_eq!(parse("/"), None);
        let long = format!("/{}", "x".repeat(500));
        assert!(matches!(parse(&long), Some((Command::Unknown(n), _)) if n.len() == 24));
    }
}
