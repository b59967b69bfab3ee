//! The questions the README and `/stats help` show as answered at once are answered at once
//! on the shipped catalogue, as the stat and parameters they show.

use chrono::NaiveDate;

use super::AskIndex;
use crate::catalogue::{Catalogue, DEFAULT_CATALOGUE};

const README: &str = include_str!("../../../README.md");
const HELP: &str = include_str!("../../../bot/templates/commands/help.json");

/// (the question as the README writes it, the invocation the README says it runs)
const ANSWERED_AT_ONCE: &[(&str, &str)] = &[
    // The feature list's first line, and `/stats help`'s "Or ask in words".
    ("how many joined this week", "/stats growth 7"),
    // `cargo run -- ask "new people this week"`, shown as confident.
    ("new people this week", "/stats growth 7"),
    // The curl example, `"confident":true`.
    ("signups over the last 6 months", "/stats signups 6"),
];

#[test]
fn the_readmes_questions_are_answered_at_once_as_it_says() {
    let index = AskIndex::build(&Catalogue::parse(DEFAULT_CATALOGUE).unwrap());
    let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    for (question, invocation) in ANSWERED_AT_ONCE {
        // Either spelling the README uses: in a command or in a URL.
        assert!(
            README.contains(question) || README.contains(&question.replace(' ', "+")),
            "the README no longer shows {question:?}: update this list"
        );
        let answer = index.ask(question, today).unwrap();
        assert!(
            answer.confident,
            "{question:?} is not answered at once: {answer:?}"
        );
        assert_eq!(answer.matches[0].invocation, *invocation, "{question:?}");
    }
    assert!(
        README.contains("/stats how many joined this week`"),
        "the feature list's question"
    );
    assert!(
        HELP.contains("how many joined this week"),
        "help's question"
    );
}
