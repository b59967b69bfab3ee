//! Questions nobody means but anybody can send: words of any length and any script. Each is
//! read (or refused as too long) without a panic, over every catalogue the tests know.

use chrono::NaiveDate;

use super::AskIndex;
use crate::catalogue::{Catalogue, DEFAULT_CATALOGUE};
use crate::error::Error;

const CATALOGUES: &[&str] = &[
    DEFAULT_CATALOGUE,
    include_str!("../../tests/fixtures/ask_catalogue.toml"),
    include_str!("../../tests/fixtures/ask_catalogue_slack.toml"),
    include_str!("../../tests/fixtures/ask_catalogue_third.toml"),
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn indexes() -> Vec<AskIndex> {
    CATALOGUES
        .iter()
        .map(|c| AskIndex::build(&Catalogue::parse(c).unwrap()))
        .collect()
}

#[test]
fn words_of_any_length_are_read_without_a_panic() {
    for index in indexes() {
        // 40 letters was the first length past the completion's buckets.
        for n in [3, 4, 20, 38, 39, 40, 41, 60, 79, 80, 81, 150, 300] {
            for letter in ["q", "m", "e"] {
                let word = letter.repeat(n);
                let answer = index.ask(&word, today()).unwrap();
                assert_eq!(answer.query, word);
                // A prefix of a known word, made long: "membersssss…".
                let long = format!("member{}", "s".repeat(n));
                if long.chars().count() <= super::MAX_QUESTION_CHARS {
                    index
                        .ask(&format!("how many {long} joined"), today())
                        .unwrap();
                }
            }
        }
    }
}

#[test]
fn words_in_any_script_or_control_are_read_without_a_panic() {
    let odd: Vec<String> = vec![
        "会員は何人いますか".into(),
        "成员".repeat(30),
        "👍🏽👍🏽 members 🎉".into(),
        "🧑‍🤝‍🧑".repeat(20),
        "me\u{301}mbers joined e\u{301}\u{302}\u{303}".into(),
        "\u{301}".repeat(120),
        "כמה חברים הצטרפו השבוע".into(),
        "كم عدد الأعضاء".into(),
        "members \u{202e}keew siht\u{202c} joined".into(),
        "members\0joined\0this\0week".into(),
        "\0".repeat(300),
        "ǅǈǋ İı ß ﬁ ΣΣ".into(),
        "last 999999999 years".into(),
        "top 999999999 inviters since 9999-12-31".into(),
        "signups since 0000-01-01 until 2024-02-30".into(),
        "members 2wks 999999999999999999999999d".into(),
        "\u{feff}members\u{200b}this\u{2028}week".into(),
    ];
    for index in indexes() {
        for q in &odd {
            match index.ask(q, today()) {
                Ok(answer) => assert!(answer.matches.len() <= 3, "{q:?}"),
                Err(Error::BadQuestion(_)) => {}
                Err(e) => panic!("{q:?}: {e}"),
            }
        }
    }
}

#[test]
fn a_ten_kilobyte_word_is_refused_as_too_long() {
    for index in indexes() {
        for word in ["q".repeat(10_000), "語".repeat(4_000), "é".repeat(5_000)] {
            match index.ask(&word, today()) {
                Err(Error::BadQuestion(message)) => {
                    assert!(message.contains("at most 300"), "{message}")
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
