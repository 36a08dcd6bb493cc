//! Pure translation between Matrix text and the engine: `geo:` URIs, and commands
//! addressed to the bot in group rooms. (Numbered choices: [`crate::front::numbered`].)

/// Degrees from a `geo:lat,lon[,alt][;params]` URI (RFC 5870), if valid.
pub fn geo_uri(uri: &str) -> Option<(f64, f64)> {
    let rest = uri.trim().strip_prefix("geo:")?;
    let coords = rest.split(';').next()?;
    let mut parts = coords.split(',');
    let lat: f64 = parts.next()?.trim().parse().ok()?;
    let lon: f64 = parts.next()?.trim().parse().ok()?;
    let valid = lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0;
    valid.then_some((lat, lon))
}

/// The text addressed to the bot in a group room, without the mention; `None` when the bot
/// is not mentioned. `mentioned` is true when the event's `m.mentions` names the bot.
pub fn addressed<'a>(
    body: &'a str,
    user_id: &str,
    names: &[&str],
    mentioned: bool,
) -> Option<&'a str> {
    let trimmed = body.trim_start();
    let localpart = user_id
        .strip_prefix('@')
        .and_then(|u| u.split(':').next())
        .unwrap_or(user_id);
    let mut candidates: Vec<&str> = [user_id, localpart]
        .into_iter()
        .chain(names.iter().copied())
        .filter(|c| !c.is_empty())
        .collect();
    // Longest first: "Caremesh Bot" before "caremesh".
    candidates.sort_by_key(|c| std::cmp::Reverse(c.len()));
    for name in candidates {
        let Some(head) = trimmed.get(..name.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(name) {
            continue;
        }
        let rest = &trimmed[name.len()..];
        let after = rest.trim_start_matches([':', ',']);
        // "caremeshes" does not mention "caremesh".
        if after.len() < rest.len() || after.is_empty() || after.starts_with(char::is_whitespace) {
            return Some(after.trim());
        }
    }
    mentioned.then(|| trimmed.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn geo_uris_parse_and_garbage_does_not() {
        assert_eq!(geo_uri("geo:18.52,73.85"), Some((18.52, 73.85)));
        assert_eq!(geo_uri("geo:18.52,73.85,560;u=35"), Some((18.52, 73.85)));
        assert_eq!(geo_uri("geo:95,73"), None);
        assert_eq!(geo_uri("geo:NaN,1"), None);
        assert_eq!(geo_uri("18.5,73.8"), None);
        assert_eq!(geo_uri("geo:"), None);
    }

    #[test]
    fn commands_in_rooms_need_a_mention() {
        let me = "@caremesh:localhost";
        assert_eq!(addressed("caremesh: !help", me, &[], false), Some("!help"));
        assert_eq!(
            addressed("@caremesh:localhost !needs", me, &[], false),
            Some("!needs")
        );
        assert_eq!(
            addressed("Caremesh Bot, !stats", me, &["Caremesh Bot"], false),
            Some("!stats")
        );
        assert_eq!(addressed("!help", me, &[], false), None);
        assert_eq!(addressed("caremeshes are great", me, &[], false), None);
        assert_eq!(addressed("!help", me, &[], true), Some("!help"));
    }
}
