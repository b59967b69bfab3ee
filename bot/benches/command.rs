//! verify + parse + route + render for `/stats members`, with the stats result in hand (no
//! network). Figure and target in bot/README.md, "Measured".
//! Run: `cargo bench -p bot --bench command`.

use std::hint::black_box;

use bot::commands::{Commands, Plan};
use bot::render::Context;
use bot::slack::signature;
use bot::slack::slash_command::{SlashCommand, parse_text};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use stats_contract::{StatInfo, StatResult};

const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const TIMESTAMP: &str = "1531420618";
const NOW: i64 = 1_531_420_618;
const BODY: &[u8] = b"token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&channel_id=C2147483705&channel_name=general&user_id=U2147483697&user_name=ada&command=%2Fstats&text=members&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id=13345224609.738474920.8088930838d88f008e0";

fn catalogue() -> Vec<StatInfo> {
    serde_json::from_value(json!([
        { "name": "members", "title": "Members", "display": "figures", "params": [] },
        { "name": "signups", "title": "Signups per month", "display": "series",
          "params": [{ "name": "months", "type": "integer", "default": 12, "min": 1, "max": 120 }] },
        { "name": "mentors", "title": "Mentors", "display": "ranked",
          "params": [{ "name": "limit", "type": "integer", "default": 10 }] }
    ]))
    .unwrap()
}

fn members_result() -> StatResult {
    serde_json::from_value(json!({
        "name": "members", "title": "Members", "display": "figures", "params": {},
        "columns": [
            { "name": "total", "type": "integer" },
            { "name": "invited_by_mentor", "type": "integer" },
            { "name": "newest_name", "type": "string" },
            { "name": "newest_joined_at", "type": "datetime" }
        ],
        "rows": [{ "total": 1234, "invited_by_mentor": 321, "newest_name": "Ada Lovelace",
                   "newest_joined_at": "2019-03-04T10:00:00Z" }],
        "truncated": false, "generated_at": "2026-11-22T23:59:00Z"
    }))
    .unwrap()
}

fn members_command(c: &mut Criterion) {
    let signature = signature::sign(SECRET, TIMESTAMP, BODY);
    let commands = Commands::new(&catalogue());
    let result = members_result();

    c.bench_function("verify+parse+route+render /stats members", |b| {
        b.iter(|| {
            let body = black_box(BODY);
            signature::verify(SECRET, Some(TIMESTAMP), Some(&signature), body, NOW).unwrap();
            let slash = SlashCommand::parse(body).unwrap();
            let invocation = parse_text(&slash.text);
            let command = commands.find(&invocation.subcommand).unwrap();
            assert!(matches!(
                command.plan(&invocation.args),
                Ok(Plan::Fetch { .. })
            ));
            let ctx = Context {
                command: slash.command_name(),
            };
            // The HTTP body, as the handler sends it.
            black_box(
                command
                    .render(&ctx, Some(black_box(&result)))
                    .unwrap()
                    .to_json(),
            )
        })
    });
}

criterion_group!(benches, members_command);
criterion_main!(benches);
