//! Message catalogs: every user-facing string, in every language people can choose, side by
//! side (a [`Text`] holds one message in each language; a missing translation or a
//! placeholder in one language but not the other does not compile). Templates use `{0}`,
//! `{1}`… for arguments and `{p}` for the platform's command prefix (`/` or `!`).
//!
//! The catalogs follow the engine's areas: [`common`] (the engine itself, gates, errors),
//! [`account`], [`market`], [`directory`], [`listing`], [`health`] (health IDs, family,
//! profiles), [`records`] (records, uploads, consent). [`words`] holds what people call
//! the protocol's values (materials, facility kinds, blood groups, roles…) in each
//! language, with the one parser per value type.

pub mod account;
pub mod appointments;
pub mod common;
pub mod directory;
pub mod health;
pub mod listing;
pub mod market;
pub mod orders;
pub mod records;
pub mod words;

use serde::{Deserialize, Serialize};

/// A language people can choose with `/lang`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Hi,
}

impl Lang {
    /// Every language, in menu order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Hi];

    /// The code typed after `/lang` (and Telegram's `language_code`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Hi => "hi",
        }
    }

    /// A language by code or name.
    pub fn parse(text: &str) -> Option<Lang> {
        let wanted = text.trim().to_lowercase();
        Lang::ALL.into_iter().find(|lang| {
            wanted == lang.code()
                || words::LANGUAGE_NAMES
                    .pick(*lang)
                    .iter()
                    .any(|name| name.to_lowercase() == wanted)
        })
    }
}

/// One message in every language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    en: &'static str,
    hi: &'static str,
}

impl Text {
    /// A message; refuses (at compile time, for constants) translations whose placeholders
    /// differ.
    pub const fn new(en: &'static str, hi: &'static str) -> Text {
        assert!(
            placeholders(en.as_bytes()) == placeholders(hi.as_bytes()),
            "the translations of a message use different placeholders"
        );
        Text { en, hi }
    }

    /// The template in `lang`.
    pub fn pick(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Hi => self.hi,
        }
    }
}

/// A bit per placeholder used: `{0}`…`{9}` and `{p}`.
const fn placeholders(template: &[u8]) -> u16 {
    let mut used = 0u16;
    let mut i = 0;
    while i + 2 < template.len() {
        if template[i] == b'{' && template[i + 2] == b'}' {
            let c = template[i + 1];
            if c.is_ascii_digit() {
                used |= 1 << (c - b'0');
            } else if c == b'p' {
                used |= 1 << 10;
            }
        }
        i += 1;
    }
    used
}

/// How a command is described in `/help` and in Telegram's command menu: what follows its
/// name (may be empty) and what it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Help {
    pub args: Text,
    pub about: Text,
}

/// Fills a template: `{p}` becomes `prefix`, `{0}`… the arguments.
pub fn fill(template: &str, prefix: char, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        match name {
            "p" => out.push(prefix),
            _ => match name.parse::<usize>().ok().and_then(|i| args.get(i)) {
                Some(arg) => out.push_str(arg),
                None => out.push_str(&rest[open..open + close + 2]),
            },
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_prefix_and_arguments() {
        assert_eq!(fill("{p}need {0} x{1}", '!', &["a", "b"]), "!need a xb");
        assert_eq!(fill("{9} {", '/', &[]), "{9} {");
    }

    #[test]
    fn placeholders_are_counted_and_languages_parse() {
        assert_eq!(placeholders(b"{p}x {0} {1}{0}"), (1 << 10) | 0b11);
        assert_eq!(placeholders(b"{10} {"), 0);
        for text in [
            common::HELP_HEADER,
            market::NEED_LINE,
            market::PROPOSAL_LINE,
        ] {
            assert_ne!(text.pick(Lang::En), text.pick(Lang::Hi));
        }
        assert_eq!(Lang::parse(" Hindi "), Some(Lang::Hi));
        assert_eq!(Lang::parse("हिंदी"), Some(Lang::Hi));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
