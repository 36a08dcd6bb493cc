//! The terminal front end: replies as text with buttons as numbered choices; a typed number
//! presses the matching button.

use crate::chat::Event;
use crate::lang::{Key, Lang};
use crate::reply::Reply;

/// Replies rendered for a terminal, and the button payloads in the order they are numbered.
pub fn render(replies: &[Reply]) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut choices = Vec::new();
    for reply in replies {
        out.push_str(&reply.text);
        out.push('\n');
        for button in reply.all_buttons() {
            choices.push(button.data.clone());
            out.push_str(&format!("  [{}] {}\n", choices.len(), button.label));
        }
        if let Some(label) = &reply.request_location {
            out.push_str(&format!("  ({label}: lat,lon)\n"));
        }
    }
    (out, choices)
}

/// What a typed line means: a number within the last choices presses that button.
pub fn event_for_line(line: &str, choices: &[String]) -> Event {
    let trimmed = line.trim();
    match trimmed.parse::<usize>() {
        Ok(n) if (1..=choices.len()).contains(&n) => Event::Button {
            data: choices[n - 1].clone(),
        },
        _ => Event::Text {
            text: trimmed.to_owned(),
        },
    }
}

/// The command menu (name, description) in `lang`, taken from the help text.
pub fn command_menu(lang: Lang) -> Vec<(String, String)> {
    lang.template(Key::Help)
        .lines()
        .filter_map(|l| l.strip_prefix("{p}"))
        .filter_map(|l| {
            let (usage, about) = l.split_once(" – ")?;
            let name = usage.split([' ', ',']).next()?;
            Some((name.to_owned(), about.trim().to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Button;

    #[test]
    fn numbers_press_buttons_and_other_text_stays_text() {
        let reply = Reply::text("Pick").row(vec![
            Button::command("A", "/accept 1"),
            Button::command("B", "/decline 1"),
        ]);
        let (text, choices) = render(&[reply]);
        assert!(text.contains("[2] B"), "{text}");
        assert_eq!(
            event_for_line("2", &choices),
            Event::Button {
                data: "/decline 1".into()
            }
        );
        assert_eq!(
            event_for_line("3", &choices),
            Event::Text { text: "3".into() }
        );
        let menu = command_menu(Lang::En);
        assert!(menu.iter().any(|(n, _)| n == "need"), "{menu:?}");
    }
}
