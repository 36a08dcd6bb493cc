//! `/symptoms` on the terminal chat of a running node, in English, Hindi and Hinglish: a
//! clear emergency is answered at once; a vague text gets one follow-up question whose
//! answer decides.

use caremesh_e2e::Node;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn symptoms_in_three_languages_with_one_follow_up_question() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::started(root.path(), "triage-chat", &[]).await?;

    // English: described, not named; answered at once, with the number and the disclaimer.
    let out = node.chat(
        None,
        "/symptoms his arm went weak suddenly and speech is slurred\n",
    )?;
    assert!(out.contains("Urgency: emergency"), "{out}");
    assert!(
        out.contains("112") && out.contains("not a diagnosis"),
        "{out}"
    );
    assert!(out.contains("stroke"), "the danger sign is named: {out}");

    // English, vague: one question with yes/no choices; choice 1 (yes) decides.
    let out = node.chat(None, "/symptoms my breathing feels strange\n1\n")?;
    assert!(out.contains("Is the breathing hard"), "{out}");
    assert!(out.contains("Urgency: emergency"), "{out}");
    assert_eq!(
        out.matches("Is the breathing hard").count(),
        1,
        "asked once: {out}"
    );

    // Hinglish, vague: how many days? The typed answer makes it a same-day visit.
    let out = node.chat(None, "/symptoms mujhe bukhar hai\n4 din se\n")?;
    assert!(out.contains("बुखार कितने दिन से है"), "{out}");
    assert!(out.contains("urgent"), "{out}");

    // Hindi in Devanagari, in a Hindi chat, vague about the chest: the choices are in
    // Hindi, and a typed "हाँ" makes it an emergency.
    let out = node.chat(None, "/lang हिन्दी\n/symptoms सीने में कुछ अजीब लग रहा है\nहाँ\n")?;
    assert!(out.contains("क्या सीने में दर्द"), "{out}");
    assert!(out.contains("[1] हाँ"), "{out}");
    assert!(out.contains("emergency") && out.contains("112"), "{out}");
    assert!(out.contains("निदान नहीं"), "{out}");
    assert!(out.contains("दिल के दौरे"), "the danger sign is named: {out}");

    // Hindi, a negated red flag: no question needed, and no emergency.
    let out = node.chat(None, "/symptoms सीने में दर्द नहीं है, बस दो दिन से सूखी खांसी\n")?;
    assert!(!out.contains("emergency"), "{out}");
    assert!(out.contains("self_care"), "{out}");
    node.stop()?;
    Ok(())
}
