//! Member handles for chat users, and one-time link codes.

use caremesh_bots::chat::ChatUser;
use caremesh_bots::port::{PortError, PortResult};
use rand::Rng;

/// A free handle for a chat user: `tg-<id>`, `mx-<localpart>-<server>`, `cli-<name>`, with
/// a number appended when taken.
pub fn derive_handle(
    who: &ChatUser,
    taken: &dyn Fn(&str) -> PortResult<bool>,
) -> PortResult<String> {
    let short = match who.platform {
        caremesh_bots::chat::Platform::Telegram => "tg",
        caremesh_bots::chat::Platform::Matrix => "mx",
        caremesh_bots::chat::Platform::Terminal => "cli",
    };
    let clean: String = who
        .user
        .trim_start_matches('@')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .take(48)
        .collect();
    let base = format!("{short}-{}", clean.trim_matches('-'));
    for n in 1..100 {
        let handle = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if !taken(&handle)? {
            return Ok(handle);
        }
    }
    Err(PortError::Conflict {
        problem: format!("no free handle near `{base}`"),
    })
}

/// A one-time code: 8 characters without look-alikes.
pub fn link_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}
