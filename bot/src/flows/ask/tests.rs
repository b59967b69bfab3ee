use serde_json::json;
use stats_contract::StatInfo;

use super::*;

fn commands() -> Commands {
    let catalogue: Vec<StatInfo> = serde_json::from_value(json!([
        {"name": "members", "title": "Members", "display": "figures", "params": []},
        {"name": "signups", "title": "Signups", "description": "New members per month.",
         "display": "series",
         "params": [{"name": "months", "type": "integer", "default": 12, "min": 1, "max": 120}]},
        {"name": "growth", "title": "Growth", "display": "figures",
         "params": [{"name": "days", "type": "integer", "default": 30, "min": 1, "max": 365}]}
    ]))
    .unwrap();
    Commands::new(&catalogue)
}

fn asked(text: &str) -> Option<Asking> {
    asking(&commands(), &parse_text(text))
}

fn found(stat: &str, invocation: &str) -> AskMatch {
    AskMatch {
        stat: stat.into(),
        params: Default::default(),
        invocation: invocation.into(),
        score: 0.5,
        why: Vec::new(),
    }
}

fn answer(confident: bool, matches: Vec<AskMatch>) -> AskAnswer {
    AskAnswer {
        query: "q".into(),
        confident,
        matches,
    }
}

#[test]
fn words_that_name_no_command_are_asked_but_a_one_word_typo_is_not() {
    assert_eq!(
        asked("how many people joined this week"),
        Some(Asking::Words)
    );
    assert_eq!(
        asked("headcount"),
        Some(Asking::Words),
        "no command is close"
    );
    assert_eq!(asked("memebrs"), None, "a typo keeps its suggestion");
    assert_eq!(
        asked("memebrs this week"),
        Some(Asking::Words),
        "several words are a question"
    );
}

#[test]
fn a_stat_followed_by_words_is_asked_and_by_arguments_is_not() {
    assert_eq!(asked("signups over the last 6 months"), Some(Asking::Unfit));
    assert_eq!(asked("signups 6"), None, "runs");
    assert_eq!(asked("signups lots"), None, "one bad argument is explained");
    assert_eq!(
        asked("signups months=lots please"),
        None,
        "written as arguments"
    );
    assert_eq!(asked("members"), None);
    assert_eq!(asked("help me please"), None, "help takes any words");
}

#[test]
fn the_question_is_the_text_as_typed() {
    assert_eq!(
        words(&parse_text(
            "How many &lt;!channel&gt; joined since=2024-01-01"
        )),
        "how many <!channel> joined since=2024-01-01"
    );
}

#[test]
fn a_confident_answer_reads_as_its_first_match_and_offers_the_rest() {
    let read = read(&answer(
        true,
        vec![
            found("growth", "/stats growth 7"),
            found("signups", "signups 6"),
            found("growth", "growth 7"),
        ],
    ));
    assert_eq!(
        read,
        Reading::Confident {
            first: parse_text("growth 7"),
            others: vec![parse_text("signups 6")],
        },
        "the slash command dropped, the repeat left out"
    );
}

#[test]
fn an_unsure_answer_offers_at_most_three_choices_and_none_is_nothing() {
    let matches = vec![
        found("growth", "growth 7"),
        found("signups", "/custom signups 6"),
        found("members", "members"),
        found("growth", "growth 30"),
    ];
    assert_eq!(
        read(&answer(false, matches)),
        Reading::Choices(vec![
            parse_text("growth 7"),
            parse_text("signups 6"),
            parse_text("members")
        ])
    );
    assert_eq!(read(&answer(true, Vec::new())), Reading::Nothing);
    assert_eq!(read(&answer(false, Vec::new())), Reading::Nothing);
}

#[test]
fn a_match_without_an_invocation_runs_its_stat_and_params() {
    let mut bare = found("Growth", "/stats");
    bare.params.insert("days".into(), json!("7"));
    bare.params.insert("mentors".into(), json!(true));
    assert_eq!(
        read(&answer(true, vec![bare])),
        Reading::Confident {
            first: parse_text("growth days=7 mentors=true"),
            others: Vec::new(),
        }
    );
    // Nothing the bot could run: not confident in anything.
    let nameless = found(" ", "");
    let read = read(&answer(true, vec![nameless, found("members", "members")]));
    assert_eq!(read, Reading::Choices(vec![parse_text("members")]));
}

#[test]
fn choices_carry_the_description_of_stats_the_bot_knows() {
    let choices = choices(
        &commands(),
        &[parse_text("signups 6"), parse_text("gone 1")],
    );
    assert_eq!(
        choices,
        vec![
            Choice {
                value: "signups 6".into(),
                description: "New members per month.".into()
            },
            Choice {
                value: "gone 1".into(),
                description: String::new()
            }
        ]
    );
}
