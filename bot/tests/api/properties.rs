//! The fuzz targets' oracles (`fuzz/`), checked on stable with generated inputs: signatures,
//! `/stats` text, and every message rendered from any stat result. Also the inputs the fuzzer
//! found, kept as regressions.

use crate::helpers::{assert_valid_message, members_result, visible_text};
use bot::commands::{self, HelpEntry};
use bot::commands::{Commands, Plan};
use bot::explanation::Explanation;
use bot::flows::working::working;
use bot::render::{self, Context};
use bot::slack::message::Message;
use bot::slack::signature::{MAX_SKEW_SECS, Rejection, sign, verify};
use bot::slack::slash_command::{Invocation, SlashCommand, is_ssl_check, parse_text};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};
use stats_contract::{Column, ColumnType, Display, ResponseType, StatInfo, StatResult};

/// Slack's control sequences and entities, quotes, odd characters, values the formatters parse.
const FRAGMENTS: &[&str] = &[
    "<!channel>",
    "<!here>",
    "<@U0BOSS>",
    "<#C0GENERAL>",
    "<!date^1^{date}|x>",
    "&",
    "&amp;",
    "&lt;",
    "<",
    ">",
    "\"",
    "\\",
    "\n",
    "\u{0}",
    "“",
    "”",
    "'",
    "=",
    " ",
    "_",
    "ß",
    "👍🏽",
    "2019-03-04T10:00:00Z",
    "-9223372036854775808",
    "1e308",
    "12.5",
];

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>(),
        select(FRAGMENTS).prop_map(String::from),
        (select(FRAGMENTS), 1..300usize).prop_map(|(f, n)| f.repeat(n)),
    ];
    prop::collection::vec(piece, 0..4).prop_map(|pieces| pieces.concat())
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        text().prop_map(Value::from),
    ]
}

const COLUMN_TYPES: &[ColumnType] = &[
    ColumnType::Integer,
    ColumnType::Number,
    ColumnType::String,
    ColumnType::Boolean,
    ColumnType::Datetime,
    ColumnType::Date,
    ColumnType::Json,
    ColumnType::Other,
];

fn stat_result() -> impl Strategy<Value = StatResult> {
    let columns = prop::collection::vec((text(), select(COLUMN_TYPES)), 0..45);
    let display = prop::option::of(select(
        &[Display::Figures, Display::Ranked, Display::Series][..],
    ));
    (columns, 0..26usize, text(), display, any::<bool>())
        .prop_flat_map(|(columns, rows, title, display, truncated)| {
            let row = prop::collection::vec(prop::option::weighted(0.9, value()), columns.len());
            (
                Just((columns, title, display, truncated)),
                prop::collection::vec(row, rows),
            )
        })
        .prop_map(|((columns, title, display, truncated), rows)| {
            let rows = rows
                .into_iter()
                .map(|cells| {
                    let mut row = Map::new();
                    for ((name, _), cell) in columns.iter().zip(cells) {
                        if let Some(cell) = cell {
                            row.insert(name.clone(), cell);
                        }
                    }
                    row
                })
                .collect();
            StatResult {
                name: "s".into(),
                title,
                display,
                params: Map::new(),
                columns: columns
                    .into_iter()
                    .map(|(name, kind)| Column { name, kind })
                    .collect(),
                rows,
                truncated,
                generated_at: Some("2026-11-22T23:59:00Z".into()),
                chart_url: None,
            }
        })
}

/// A catalogue with every parameter type and bound.
fn catalogue() -> Vec<StatInfo> {
    serde_json::from_value(json!([
        {"name": "signups", "title": "Signups", "display": "series",
         "params": [{"name": "months", "type": "integer", "default": 12, "min": 1, "max": 120}]},
        {"name": "joined", "title": "Joined <!channel>", "display": "figures", "params": [
            {"name": "since", "type": "date", "min": "2000-01-01", "max": "2100-12-31"},
            {"name": "role", "type": "string", "allowed": ["admin", "member"], "default": "member"},
            {"name": "q", "type": "string", "max_length": 5, "default": ""},
            {"name": "mentor", "type": "boolean", "default": false}
        ]}
    ]))
    .unwrap()
}

/// What the bot answers, as `flows::run` does without the network; `data` stands for the stats
/// API's answer to a planned fetch.
fn answer(
    commands: &Commands,
    ctx: &Context<'_>,
    invocation: &Invocation,
    data: &StatResult,
) -> Message {
    let Some(command) = commands.find(&invocation.subcommand) else {
        return Explanation::UnknownCommand {
            given: bot::slack::blocks::clip(&invocation.subcommand, 40).into_owned(),
            suggestion: commands.suggest(&invocation.subcommand).map(String::from),
        }
        .reply(ctx);
    };
    let data = match command.plan(&invocation.args) {
        Err(issue) => {
            let usage = command.usage();
            return Explanation::BadArgument { usage, issue }.reply(ctx);
        }
        Ok(Plan::Local) => None,
        Ok(Plan::Fetch { .. }) => Some(data),
    };
    command
        .render(ctx, data)
        .unwrap_or_else(|e| Explanation::from_error(e, None).reply(ctx))
}

/// JSON, inside Block Kit's limits, and no `<` a user could see but the bot's `<!date^…>`.
fn assert_sendable(reply: &Message) {
    let message: Value = serde_json::from_str(&reply.to_json())
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", &reply.to_json()));
    assert_valid_message(&message);
    let blocks = message["blocks"].as_array().map_or(0, Vec::len);
    assert_eq!(reply.block_count(), blocks, "blocks counted as rendered");
    let text = visible_text(&message);
    for (i, _) in text.match_indices('<') {
        assert!(
            text[i..].starts_with("<!date^"),
            "unescaped `<` at {i}:\n{text}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn only_the_true_signature_verifies_and_only_inside_the_window(
        secret in ".*",
        body in prop::collection::vec(any::<u8>(), 0..300),
        sent_at in 0..=999_999_999_999u64,
        skew in -400..=400i64,
        flip in any::<prop::sample::Index>(),
        forged in ".*",
    ) {
        let timestamp = sent_at.to_string();
        let signature = sign(&secret, &timestamp, &body);
        let now = sent_at as i64 + skew;
        let verdict = verify(&secret, Some(&timestamp), Some(&signature), &body, now);
        if secret.is_empty() {
            // No secret (Socket Mode only): an empty key would let anyone sign.
            prop_assert_eq!(verdict, Err(Rejection::NoSecret));
        } else if skew.unsigned_abs() <= MAX_SKEW_SECS {
            prop_assert_eq!(verdict, Ok(()));
            if !body.is_empty() {
                let mut tampered = body.clone();
                tampered[flip.index(body.len())] ^= 1;
                let verdict = verify(&secret, Some(&timestamp), Some(&signature), &tampered, now);
                prop_assert_eq!(verdict, Err(Rejection::WrongSignature));
            }
        } else {
            prop_assert_eq!(verdict, Err(Rejection::StaleTimestamp));
        }
        if verify(&secret, Some(&timestamp), Some(&forged), &body, now).is_ok() {
            prop_assert!(forged.eq_ignore_ascii_case(&signature));
        }
        is_ssl_check(&body);
        if let Ok(command) = SlashCommand::parse(&body) {
            parse_text(&command.text);
        }
    }

    #[test]
    fn any_text_splits_and_gets_a_sendable_answer(text in text()) {
        let invocation = parse_text(&text);
        let subcommand = &invocation.subcommand;
        prop_assert!(!subcommand.contains(char::is_whitespace));
        prop_assert_eq!(subcommand, &subcommand.to_lowercase());
        for (key, _) in &invocation.args.named {
            prop_assert!(!key.is_empty());
            prop_assert!(key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'));
        }
        let commands = Commands::new(&catalogue());
        let ctx = Context { command: "/stats" };
        assert_sendable(&answer(&commands, &ctx, &invocation, &members_result("Ada")));
    }

    #[test]
    fn any_stat_result_renders_within_limits_and_harmless(
        result in stat_result(),
        title in text(),
        ephemeral in any::<bool>(),
    ) {
        let kind = if ephemeral { ResponseType::Ephemeral } else { ResponseType::InChannel };
        for render in [render::figures, render::ranked, render::series] {
            match render(&title, kind, &result) {
                Ok(reply) => assert_sendable(&reply),
                Err(e) => prop_assert!(result.columns.is_empty(), "{e}"),
            }
        }
        let commands = Commands::new(&catalogue());
        let ctx = Context { command: "/stats" };
        for name in ["members", "signups", "joined"] {
            if let Ok(reply) = commands.find(name).unwrap().render(&ctx, Some(&result)) {
                assert_sendable(&reply);
            }
        }
    }
}

proptest! {
    // Up to 400 entries each: fewer cases keep `cargo test` quick.
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn any_help_and_working_reply_is_sendable(
        command in text(),
        entries in prop::collection::vec((text(), text()), 0..400),
        subcommand in text(),
    ) {
        let ctx = Context { command: &command };
        let entries: Vec<HelpEntry> = entries
            .into_iter()
            .map(|(usage, description)| HelpEntry { run: Some(usage.clone()), usage, description })
            .collect();
        assert_sendable(&commands::help(&ctx, &entries).unwrap());
        assert_sendable(&working(&ctx, &subcommand));
    }
}

/// Found by `fuzz/fuzz_targets/render.rs` (`fuzz/regressions/render/blank_title`): a result
/// whose title and catalogue title are both empty rendered a header with empty text, which
/// Slack refuses.
#[test]
fn a_blank_title_still_renders_a_sendable_header() {
    let result = StatResult {
        name: String::new(),
        title: String::new(),
        display: None,
        params: Map::new(),
        columns: vec![],
        rows: vec![],
        truncated: false,
        generated_at: None,
        chart_url: None,
    };
    assert_sendable(&render::figures("", ResponseType::Ephemeral, &result).unwrap());
}
