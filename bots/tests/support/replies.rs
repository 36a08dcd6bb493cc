//! Reading the bot's replies in tests: all their text, a button by its label or by what it
//! sends, and an assertion that shows every reply when a text is missing.

use caremesh_bots::reply::Reply;

/// The text of every reply, one per line.
pub fn text(replies: &[Reply]) -> String {
    replies
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the first button whose label contains `label` sends.
pub fn button<'a>(replies: &'a [Reply], label: &str) -> &'a str {
    replies
        .iter()
        .flat_map(|r| r.all_buttons())
        .find(|b| b.label.contains(label))
        .map(|b| b.data.as_str())
        .unwrap_or_else(|| panic!("no button {label:?} in {replies:#?}"))
}

/// What the first button sending something that starts with `starts` sends.
pub fn button_data<'a>(replies: &'a [Reply], starts: &str) -> &'a str {
    replies
        .iter()
        .flat_map(|r| r.all_buttons())
        .find(|b| b.data.starts_with(starts))
        .map(|b| b.data.as_str())
        .unwrap_or_else(|| panic!("no button {starts} in {replies:?}"))
}

/// Fails, showing the replies, unless their text contains `wanted`.
#[track_caller]
pub fn assert_says(replies: &[Reply], wanted: &str) {
    let all = text(replies);
    assert!(all.contains(wanted), "{wanted:?} not in {replies:#?}");
}
