//! Every template's output, for ordinary, empty, hostile and oversized data, parsed as JSON and
//! checked against Block Kit's limits.

use crate::helpers::*;
use bot::commands::{Commands, Plan};
use bot::explanation::{ArgIssue, Explanation};
use bot::render::{self, Context};
use bot::slack::message::Message;
use serde_json::{Value, json};
use stats_contract::{ResponseType, StatInfo, StatResult};

pub(crate) const CTX: Context<'static> = Context { command: "/stats" };
pub(crate) const HOSTILE: &str =
    "<!channel> & <!here> <@U0BOSS> <https://evil.example|click> \"quoted\" \\ \n";

pub(crate) fn parse(reply: &Message) -> Value {
    let value: Value = serde_json::from_str(&reply.to_json())
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", &reply.to_json()));
    assert_valid_message(&value);
    value
}

/// Nothing a user could see contains a `<` the bot did not put there itself.
pub(crate) fn assert_harmless(reply: &Value) {
    let text = visible_text(reply);
    for (i, _) in text.match_indices('<') {
        assert!(
            text[i..].starts_with("<!date^"),
            "unescaped `<` at {i} in:\n{text}"
        );
    }
    assert!(!text.contains("<!channel>") && !text.contains("<!here>"));
}

pub(crate) fn stat_result(display: &str, columns: &[(&str, &str)], rows: Vec<Value>) -> StatResult {
    serde_json::from_value(json!({
        "name": "s", "title": "A stat", "display": display, "params": {},
        "columns": columns.iter().map(|(n, t)| json!({"name": n, "type": t})).collect::<Vec<_>>(),
        "rows": rows, "truncated": false, "generated_at": "2026-11-22T23:59:00Z"
    }))
    .unwrap()
}

pub(crate) fn members(name: Value, total: i64) -> StatResult {
    let mut result = members_result("x");
    result.rows[0].insert("newest_name".into(), name);
    result.rows[0].insert("total".into(), json!(total));
    result
}

pub(crate) fn render_members(data: &StatResult) -> Value {
    let commands = Commands::new(&[]);
    let members = commands.find("members").unwrap();
    assert!(matches!(
        members.plan(&Default::default()),
        Ok(Plan::Fetch { .. })
    ));
    parse(&members.render(&CTX, Some(data)).unwrap())
}

#[test]
fn members_template_handles_hostile_long_missing_and_singular() {
    let reply = render_members(&members(json!(HOSTILE), 1234));
    assert_harmless(&reply);
    assert!(visible_text(&reply).contains("&lt;!channel&gt; &amp; &lt;!here&gt;"));

    let reply = render_members(&members(json!("ß".repeat(5000)), 1234));
    assert!(visible_text(&reply).contains('…'));

    let reply = render_members(&members(Value::Null, 1234));
    assert!(!visible_text(&reply).contains("newest"));

    let reply = render_members(&members(json!("Ada"), 1));
    assert!(
        reply["text"]
            .as_str()
            .unwrap()
            .starts_with("There is currently 1 member.")
    );

    let reply = render_members(&members(Value::Null, 0));
    assert_eq!(reply["text"], "There are no members yet.");
}

#[test]
fn members_without_a_total_is_an_error_not_a_wrong_sentence() {
    let mut data = members_result("Ada");
    data.rows.clear();
    let commands = Commands::new(&[]);
    assert!(
        commands
            .find("members")
            .unwrap()
            .render(&CTX, Some(&data))
            .is_err()
    );
}

#[test]
fn figures_template_stays_in_limits() {
    let columns: Vec<(String, &str)> = (0..60)
        .map(|i| (format!("col_{i}_{HOSTILE}"), "string"))
        .collect();
    let columns: Vec<(&str, &str)> = columns.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let row: serde_json::Map<String, Value> = columns
        .iter()
        .map(|(n, _)| (n.to_string(), json!(HOSTILE.repeat(100))))
        .collect();
    let big = stat_result("figures", &columns, vec![Value::Object(row)]);
    let reply = parse(&render::figures(&"T".repeat(500), ResponseType::InChannel, &big).unwrap());
    assert_harmless(&reply);
    assert!(visible_text(&reply).contains("…and 20 more."));

    let empty = stat_result("figures", &[("total", "integer")], vec![]);
    let reply = parse(&render::figures("Empty", ResponseType::Ephemeral, &empty).unwrap());
    assert_eq!(reply["response_type"], "ephemeral");
    assert!(visible_text(&reply).contains("No data yet."));

    let typed = stat_result(
        "figures",
        &[
            ("n", "integer"),
            ("x", "number"),
            ("ok", "boolean"),
            ("at", "datetime"),
            ("none", "string"),
        ],
        vec![
            json!({"n": 1234567, "x": "12.50", "ok": true, "at": "2026-01-02T03:04:05Z", "none": null}),
        ],
    );
    let reply = parse(&render::figures("Typed", ResponseType::InChannel, &typed).unwrap());
    let text = visible_text(&reply);
    for shown in ["1,234,567", "12.5", "yes", "2026-01-02 03:04 UTC", "—"] {
        assert!(text.contains(shown), "{shown} missing from {text}");
    }
}

#[test]
fn ranked_template_truncates_long_lists_with_and_n_more() {
    let rows: Vec<Value> = (0..1000)
        .map(|i| json!({"who": format!("{HOSTILE}{}", "w".repeat(i % 300)), "n": 1000 - i}))
        .collect();
    let mut data = stat_result("ranked", &[("who", "string"), ("n", "integer")], rows);
    data.truncated = true;
    let reply = parse(&render::ranked(HOSTILE, ResponseType::InChannel, &data).unwrap());
    assert_harmless(&reply);
    let text = visible_text(&reply);
    assert!(
        text.contains("…and 980 more. The stats service cut this list short."),
        "{text}"
    );

    let empty = stat_result("ranked", &[("who", "string"), ("n", "integer")], vec![]);
    parse(&render::ranked("Empty", ResponseType::InChannel, &empty).unwrap());
}

#[test]
fn series_template_keeps_the_newest_periods() {
    let rows: Vec<Value> = (0..500)
        .map(|i| json!({"period": format!("{i}{HOSTILE}"), "v": if i % 7 == 0 { Value::Null } else { json!(i) }}))
        .collect();
    let data = stat_result("series", &[("period", "string"), ("v", "integer")], rows);
    let reply = parse(&render::series("Long", ResponseType::InChannel, &data).unwrap());
    assert_harmless(&reply);
    let text = visible_text(&reply);
    assert!(text.contains("…and 476 more before these."), "{text}");
    assert!(text.contains("499"), "the newest value is shown");

    let negative = stat_result(
        "series",
        &[("period", "string"), ("v", "number")],
        vec![
            json!({"period": "a", "v": -5.5}),
            json!({"period": "b", "v": "7.25"}),
        ],
    );
    parse(&render::series("Mixed", ResponseType::InChannel, &negative).unwrap());

    let empty = stat_result("series", &[("period", "string"), ("v", "integer")], vec![]);
    let reply = parse(&render::series("Empty", ResponseType::InChannel, &empty).unwrap());
    assert!(visible_text(&reply).contains("Nothing to show yet."));
}

#[test]
fn help_template_stays_in_limits_with_hundreds_of_stats() {
    let catalogue: Vec<StatInfo> = (0..400)
        .map(|i| {
            serde_json::from_value(json!({
                "name": format!("stat{i}"), "title": HOSTILE, "description": HOSTILE.repeat(50),
                "display": "figures",
                "params": [{"name": "p".repeat(200), "type": "string", "default": HOSTILE}]
            }))
            .unwrap()
        })
        .collect();
    let commands = Commands::new(&catalogue);
    let help = commands.find("").unwrap();
    let reply = parse(&help.render(&CTX, None).unwrap());
    assert_harmless(&reply);
    assert_eq!(reply["response_type"], "ephemeral");
    assert!(visible_text(&reply).contains("Page 1 of 21"));
    let last = parse(&commands.help_page(&CTX, 1000).unwrap());
    assert_harmless(&last);
    assert!(
        visible_text(&last).contains("Page 21 of 21"),
        "past the end: the last page"
    );
}

#[test]
fn every_problem_renders_as_a_private_valid_message() {
    let long = HOSTILE.repeat(30);
    let issues = [
        ArgIssue::TooMany { max: 0 },
        ArgIssue::TooMany { max: 1 },
        ArgIssue::TooMany { max: 3 },
        ArgIssue::Unknown {
            name: long.clone(),
            known: "`a`, `b`".into(),
        },
        ArgIssue::Unknown {
            name: "x".into(),
            known: String::new(),
        },
        ArgIssue::Duplicate { name: long.clone() },
        ArgIssue::Missing {
            name: "since".into(),
        },
        ArgIssue::NotInteger {
            name: "n".into(),
            value: long.clone(),
        },
        ArgIssue::OutOfRange {
            name: "n".into(),
            value: "0".into(),
            min: Some("1".into()),
            max: Some("9".into()),
        },
        ArgIssue::OutOfRange {
            name: "n".into(),
            value: "0".into(),
            min: Some("1".into()),
            max: None,
        },
        ArgIssue::OutOfRange {
            name: "n".into(),
            value: "0".into(),
            min: None,
            max: Some("9".into()),
        },
        ArgIssue::OutOfRange {
            name: "n".into(),
            value: "0".into(),
            min: None,
            max: None,
        },
        ArgIssue::NotAllowed {
            name: "k".into(),
            value: long.clone(),
            allowed: "`a`".into(),
        },
        ArgIssue::TooLong {
            name: "k".into(),
            max_length: 10,
        },
        ArgIssue::NotDate {
            name: "d".into(),
            value: long.clone(),
        },
        ArgIssue::NotBoolean {
            name: "b".into(),
            value: long.clone(),
        },
        ArgIssue::Rejected {
            message: long.clone(),
        },
    ];
    let mut problems: Vec<Explanation> = issues
        .into_iter()
        .map(|issue| Explanation::BadArgument {
            usage: long.clone(),
            issue,
        })
        .collect();
    problems.extend([
        Explanation::UnknownCommand {
            given: long.clone(),
            suggestion: Some("members".into()),
        },
        Explanation::UnknownCommand {
            given: "x".into(),
            suggestion: None,
        },
        Explanation::TeamNotAllowed,
        Explanation::RepeatedField {
            field: "text".into(),
        },
        Explanation::ApiUnreachable,
        Explanation::ApiSlow,
        Explanation::ApiRefused,
        Explanation::ApiNonsense,
        Explanation::DatabaseUnavailable,
        Explanation::QueryTimeout,
        Explanation::StatGone { name: long.clone() },
        Explanation::BadQuestion,
        Explanation::ApiSaid {
            message: long.clone(),
        },
        Explanation::Internal,
    ]);
    for problem in &problems {
        let reply = parse(&problem.reply(&CTX));
        assert_eq!(reply["response_type"], "ephemeral", "{problem:?}");
        assert_harmless(&reply);
        let text = reply["text"].as_str().unwrap();
        assert!(
            !text.contains("  ") && !text.starts_with(' '),
            "stray whitespace: {text:?}"
        );
    }
}

#[test]
fn working_on_it_is_short_private_and_harmless() {
    let reply = parse(&bot::flows::working::working(&CTX, "members"));
    assert_eq!(reply["response_type"], "ephemeral");
    assert!(
        reply["text"]
            .as_str()
            .unwrap()
            .starts_with("Working on it: `/stats members`"),
        "{reply}"
    );
    let hostile = parse(&bot::flows::working::working(&CTX, &HOSTILE.repeat(30)));
    assert_harmless(&hostile);
    assert!(hostile["text"].as_str().unwrap().chars().count() < 300);
    let bare = parse(&bot::flows::working::working(&CTX, ""));
    assert!(
        bare["text"].as_str().unwrap().contains("`/stats`"),
        "{bare}"
    );
}

#[test]
fn every_message_with_buttons_stays_in_limits_and_pings_nobody() {
    use bot::flows::sharing;
    use bot::slack::interaction::{UserId, invocation_value};
    use bot::slack::slash_command::parse_text;

    let hostile_rows = vec![json!({ "name": HOSTILE.repeat(40), "count": 1 }); 30];
    let result = stat_result(
        "ranked",
        &[("name", "string"), ("count", "integer")],
        hostile_rows,
    );
    let typed = format!(
        "find {} name=\"{}\"",
        "&<>".repeat(100),
        HOSTILE.replace('"', "")
    );
    let value = invocation_value(&parse_text(&typed));
    assert!(value.is_some(), "a hostile invocation still has a button");
    let by = UserId::parse("U0ADA").unwrap();
    let mut answers = Vec::new();
    for render in [render::figures, render::ranked, render::series] {
        let reply = render(HOSTILE, ResponseType::InChannel, &result).unwrap();
        let private = parse(&sharing::private_with_share(reply.clone(), value.as_deref()).unwrap());
        assert_eq!(private["response_type"], "ephemeral");
        assert_harmless(&private);
        let shared =
            sharing::shared_by(reply, &by, Some("2026-11-22T23:59:00Z"), chrono::Utc::now());
        let shared = parse(&shared.unwrap());
        assert_eq!(shared["response_type"], "in_channel");
        let text = visible_text(&shared);
        // The bot's own tokens only: the mention it wrote and the date.
        let tokens: Vec<&str> = text
            .match_indices('<')
            .map(|(i, _)| &text[i..i + 7])
            .collect();
        assert_eq!(tokens, ["<@U0ADA", "<!date^"], "{text}");
        answers.push(private);
        answers.push(shared);
    }
    // A message without blocks still shows its text once a button is added.
    let plain =
        Message::from_rendered(r#"{"response_type":"in_channel","text":"just text"}"#).unwrap();
    let with_button = parse(&sharing::private_with_share(plain, Some("members")).unwrap());
    assert_eq!(with_button["blocks"][0]["text"]["text"], "just text");
    for answer in &answers {
        assert!(answer["blocks"].as_array().unwrap().len() <= 50);
    }
}
