//! What the fuzz targets share: inputs built from the fuzzer's bytes, and the oracles.
//!
//! Inputs are structured (a `StatResult`, a `/stats` text) rather than raw JSON, so the fuzzer
//! spends its time in the renderers, not in serde rejecting malformed text.

use arbitrary::{Result, Unstructured};
use bot::commands::{Commands, Plan};
use bot::explanation::Explanation;
use bot::render::Context;
use bot::slack::message::Message;
use bot::slack::slash_command::Invocation;
use serde_json::{Map, Value, json};
use stats_contract::{Column, ColumnType, Display, ResponseType, StatInfo, StatResult};

/// Pieces that matter to the code under test: Slack's control sequences and entities, quotes,
/// multi-byte and control characters, dates and numbers in the shapes the formatters parse.
const FRAGMENTS: &[&str] = &[
    "<!channel>",
    "<!here>",
    "<@U0BOSS>",
    "<#C0GENERAL>",
    "<!date^1^{date}|x>",
    "<https://evil.example|click>",
    "&",
    "&amp;",
    "&lt;",
    "<",
    ">",
    "\"",
    "\\",
    "\n",
    "\u{0}",
    "\u{1b}[31m",
    "“",
    "”",
    "'",
    "=",
    " ",
    "_",
    "ß",
    "👍🏽",
    "…",
    "2019-03-04T10:00:00Z",
    "2019-03-04",
    "+262142-12-31T00:00:00Z",
    "-9223372036854775808",
    "18446744073709551615",
    "1e308",
    "12.5",
    "NaN",
    "inf",
];

const COLUMN_TYPES: &[ColumnType] = &[
    ColumnType::Integer,
    ColumnType::Number,
    ColumnType::String,
    ColumnType::Boolean,
    ColumnType::Datetime,
    ColumnType::Date,
    ColumnType::Time,
    ColumnType::Json,
    ColumnType::Null,
    ColumnType::Other,
];

const DISPLAYS: &[Display] = &[Display::Figures, Display::Ranked, Display::Series];

/// Text mixing arbitrary UTF-8 with [`FRAGMENTS`], sometimes repeated into long runs.
pub fn text(u: &mut Unstructured) -> Result<String> {
    let mut out = String::new();
    for _ in 0..u.int_in_range(0..=6)? {
        match u.int_in_range(0..=3)? {
            0 => out.push_str(u.arbitrary::<&str>()?),
            1 | 2 => out.push_str(u.choose(FRAGMENTS)?),
            _ => out.push_str(&u.choose(FRAGMENTS)?.repeat(u.int_in_range(1..=1000)?)),
        }
    }
    Ok(out)
}

fn value(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=7)? {
        0 => Value::Null,
        1 => json!(u.arbitrary::<bool>()?),
        2 => json!(u.arbitrary::<i64>()?),
        3 => json!(u.arbitrary::<u64>()?),
        4 => json!(u.arbitrary::<f64>()?), // NaN and infinities become null
        5 => json!([text(u)?]),
        _ => Value::String(text(u)?),
    })
}

/// A stat result of any shape: up to 64 columns of any type, up to 64 rows whose cells may be
/// missing or of a type other than their column's.
pub fn stat_result(u: &mut Unstructured) -> Result<StatResult> {
    let mut columns = Vec::new();
    for _ in 0..u.int_in_range(0..=64)? {
        columns.push(Column {
            name: text(u)?,
            kind: *u.choose(COLUMN_TYPES)?,
        });
    }
    let mut rows = Vec::new();
    for _ in 0..u.int_in_range(0..=64)? {
        let mut row = Map::new();
        for column in &columns {
            if u.ratio(7, 8)? {
                row.insert(column.name.clone(), value(u)?);
            }
        }
        rows.push(row);
    }
    Ok(StatResult {
        name: text(u)?,
        title: text(u)?,
        display: if u.arbitrary()? {
            Some(*u.choose(DISPLAYS)?)
        } else {
            None
        },
        params: Map::new(),
        columns,
        rows,
        truncated: u.arbitrary()?,
        generated_at: if u.arbitrary()? { Some(text(u)?) } else { None },
        chart_url: None,
    })
}

pub fn response_type(u: &mut Unstructured) -> Result<ResponseType> {
    Ok(if u.arbitrary()? {
        ResponseType::InChannel
    } else {
        ResponseType::Ephemeral
    })
}

/// A catalogue with every parameter type and bound, as the stats API would list it.
pub fn catalogue() -> Vec<StatInfo> {
    serde_json::from_value(json!([
        {"name": "signups", "title": "Signups per month", "display": "series",
         "params": [{"name": "months", "type": "integer", "default": 12, "min": 1, "max": 120}]},
        {"name": "mentors", "title": "Top mentors", "display": "ranked", "response_type": "ephemeral",
         "params": [{"name": "limit", "type": "integer", "default": 10, "min": 1, "max": 50}]},
        {"name": "joined", "title": "Joined <!channel> & co", "description": "", "display": "figures",
         "params": [
            {"name": "since", "type": "date", "min": "2000-01-01", "max": "2100-12-31"},
            {"name": "until", "type": "date", "default": "2100-12-31"},
            {"name": "role", "type": "string", "allowed": ["admin", "member"], "default": "member"},
            {"name": "q", "type": "string", "max_length": 5, "default": ""},
            {"name": "mentor", "type": "boolean", "default": false},
            {"name": "x", "type": "future_type", "default": null}
         ]}
    ]))
    .expect("the fuzz catalogue is valid")
}

/// What the bot answers to `invocation`, as `flows::run` does without the network:
/// `data` stands for the stats API's answer. `None` when a fetch was planned but no data given.
pub fn answer(
    commands: &Commands,
    ctx: &Context<'_>,
    invocation: &Invocation,
    data: Option<&StatResult>,
) -> Option<Message> {
    let Some(command) = commands.find(&invocation.subcommand) else {
        let problem = Explanation::UnknownCommand {
            given: bot::slack::blocks::clip(&invocation.subcommand, 40).into_owned(),
            suggestion: commands.suggest(&invocation.subcommand).map(String::from),
        };
        return Some(problem.reply(ctx));
    };
    let data = match command.plan(&invocation.args) {
        Err(issue) => {
            let problem = Explanation::BadArgument {
                usage: command.usage(),
                issue,
            };
            return Some(problem.reply(ctx));
        }
        Ok(Plan::Local) => None,
        Ok(Plan::Fetch { .. }) => Some(data?),
    };
    Some(match command.render(ctx, data) {
        Ok(reply) => reply,
        Err(error) => Explanation::from_error(error, None).reply(ctx),
    })
}

/// The oracle for every message: JSON, inside Block Kit's limits, and no `<` a user could see
/// except the bot's own `<!date^…>` tokens (so no `<!channel>`, `<@U…>` or `<#C…>` from data).
pub fn assert_sendable(reply: &Message) -> Value {
    let message: Value = serde_json::from_str(&reply.to_json())
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", &reply.to_json()));
    if let Err(problems) = bot::slack::blocks::check(&message) {
        panic!("outside Block Kit's limits {problems:?}:\n{message:#}");
    }
    let text = visible_text(&message);
    for (i, _) in text.match_indices('<') {
        assert!(
            text[i..].starts_with("<!date^"),
            "unescaped `<` at {i} in:\n{text}"
        );
    }
    message
}

/// Every piece of text a user could see: the fallback and all block texts.
pub fn visible_text(message: &Value) -> String {
    fn collect(value: &Value, out: &mut String) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("text", Value::String(s)) => {
                            out.push_str(s);
                            out.push('\n');
                        }
                        _ => collect(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    collect(message, &mut out);
    out
}
