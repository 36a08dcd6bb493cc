use super::*;

fn name(parsed: Option<Parsed>) -> Option<(String, String)> {
    match parsed? {
        Parsed::Known(c, args) => Some((c.name.to_owned(), args)),
        Parsed::Unknown(n) => Some((format!("?{n}"), String::new())),
    }
}

#[test]
fn prefixes_bot_names_aliases_and_case() {
    assert_eq!(name(parse("/need")), Some(("need".into(), String::new())));
    assert_eq!(
        name(parse(" !Offer  01AB ")),
        Some(("offer".into(), "01AB".into()))
    );
    assert_eq!(
        name(parse("/help@caremesh_bot")),
        Some(("help".into(), String::new()))
    );
    assert_eq!(
        name(parse("/offers")),
        Some(("proposals".into(), String::new()))
    );
    assert_eq!(name(parse("hello")), None);
    assert_eq!(name(parse("/")), None);
    let long = format!("/{}", "x".repeat(500));
    assert!(matches!(parse(&long), Some(Parsed::Unknown(n)) if n.len() == 24));
}

#[test]
fn names_are_unique_and_help_and_menu_come_from_the_table() {
    let mut names: Vec<&str> = COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
        .collect();
    let count = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), count, "a name or alias used twice");
    let help = help(Lang::En, '!');
    assert!(
        help.contains("!offer ID – offer goods for a need"),
        "{help}"
    );
    assert!(help.contains("(!subscribe resumes)"), "{help}");
    let menu = menu(Lang::Hi);
    assert!(
        menu.iter()
            .any(|(n, about)| *n == "need" && about.contains("ज़रूरत"))
    );
    assert!(!menu.iter().any(|(n, _)| *n == "skip"));
    assert_eq!(find("nearby").and_then(Command::gate), None);
    assert_eq!(find("need").and_then(Command::gate), Some(Gate::Requester));
}
