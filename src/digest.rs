//! Digests on the dev stack: `statsbot digest NAME` renders one from the running stack in the
//! terminal (nothing posted; `--post` posts it now), and the dev stack's Slack Web API
//! stand-in, which prints each digest as the bot posts it.

use std::io::IsTerminal;

use chrono::{DurationRound, Utc};
use devkit::slack_api_stub::{Change, SlackApiStub};
use serde_json::Value;

use crate::dev_state::DevState;
use crate::error::{Error, Result, known_names};
use crate::terminal;

/// The shipped example, which the dev stack uses unless `BOT_DIGESTS` names another file.
pub const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/bot/digests.example.toml");

fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The dev stack's Slack Web API: prints each digest and alert as the bot posts it, updates it
/// or replies in its thread, each answer to a mention or DM, each private message, unfurl and
/// Home tab, as Slack would show it.
pub async fn dev_slack_api() -> Result<SlackApiStub> {
    Ok(SlackApiStub::printing(|change: Change, message: &Value| {
        let color = color();
        if let Some(shown) = crate::events::shown_by_stand_in(change, message, color) {
            println!("{shown}");
            return;
        }
        let channel = message["channel"].as_str().unwrap_or("?");
        let what = match message["metadata"]["event_type"].as_str() {
            Some("statsbot_alert") => format!(
                "alert {:?}",
                message["metadata"]["event_payload"]["alert"]
                    .as_str()
                    .unwrap_or("?")
            ),
            Some("statsbot_digest") => "digest".to_string(),
            Some("statsbot_answer") => "answer".to_string(),
            _ => "message".to_string(),
        };
        let at = match change {
            Change::Posted => format!("to <#{channel}>"),
            _ => format!(
                "in <#{channel}>, message {}",
                message["ts"]
                    .as_str()
                    .or(message["thread_ts"].as_str())
                    .unwrap_or("?")
            ),
        };
        let change = change.as_str();
        let note = format!("── {what} {change} {at} (Slack Web API stand-in) ──");
        println!(
            "\n{}\n{}\n",
            terminal::dim(&note, color),
            terminal::render(&in_channel(message), color)
        );
    })
    .await?)
}

/// A digest as the channel sees it (the terminal marks messages without `in_channel` private).
fn in_channel(message: &Value) -> Value {
    let mut shown = message.clone();
    shown["response_type"] = Value::from("in_channel");
    shown
}

pub struct DigestOptions {
    pub name: String,
    /// Post it now through the Web API (the dev stack's stand-in unless `SLACK_API_URL` is set).
    pub post: bool,
    pub json: bool,
}

/// `cargo run -- digest NAME [--post]`.
pub async fn run(options: DigestOptions) -> Result<()> {
    let state = DevState::running()?;
    let (app, file) = state.bot("BOT_DIGESTS", state.digests_file.as_ref(), EXAMPLE)?;
    let Some(digest) = app.features.digests.find(&options.name) else {
        return Err(Error::NotInFile {
            what: "digest",
            name: options.name,
            file,
            known: known_names(app.features.digests.all().iter().map(|e| e.name.as_str())),
        });
    };
    let now = Utc::now();
    let composed = bot::digests::runner::compose(app.state.services(), &digest, now).await?;
    if options.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&composed.message.to_value()).expect("JSON")
        );
    } else {
        println!(
            "{}",
            terminal::render(&in_channel(&composed.message.to_value()), color())
        );
    }
    let next = digest.schedule.next_after(now, &digest.timezone);
    let note = match next {
        Some(next) => format!(
            "(digest {:?} → <#{}>, next on its schedule at {} UTC; {})",
            digest.name,
            digest.channel,
            next.format("%Y-%m-%d %H:%M"),
            if options.post {
                "posting it now…"
            } else {
                "nothing posted: --post posts it now"
            }
        ),
        None => format!("(digest {:?} → <#{}>)", digest.name, digest.channel),
    };
    eprintln!("{}", terminal::dim(&note, color()));
    if !options.post {
        return Ok(());
    }
    // A post by hand is its own occurrence: this minute.
    let minute = now
        .duration_trunc(chrono::Duration::minutes(1))
        .unwrap_or(now);
    let marker = bot::digests::marker::Marker {
        digest: digest.name.clone(),
        occurrence: bot::digests::runner::occurrence_id(minute),
    };
    match bot::digests::runner::post(app.state.slack(), &digest, &composed, &marker).await {
        bot::digests::Report::Posted { calls } => {
            eprintln!(
                "{}",
                terminal::dim(&format!("(posted, {calls} call(s))"), color())
            );
            Ok(())
        }
        other => Err(Error::DigestNotPosted(format!("{other:?}"))),
    }
}
