//! `statsbot alert NAME`: checks one alert now against the running dev stack and prints its
//! state and the message it would post (nothing sent); `--post` does what the check asks
//! (posts, updates or resolves it in the dev stack's Slack stand-in, or `SLACK_API_URL`).

use std::io::IsTerminal;

use chrono::Utc;

use crate::dev_state::DevState;
use crate::error::{Error, Result, known_names};
use crate::terminal;

/// The shipped example, which the dev stack uses unless `BOT_ALERTS` names another file.
pub const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/bot/alerts.example.toml");

fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

pub struct AlertOptions {
    pub name: String,
    /// Do what the check asks, through the Web API.
    pub post: bool,
    pub json: bool,
}

/// `cargo run -- alert NAME [--post]`.
pub async fn run(options: AlertOptions) -> Result<()> {
    let state = DevState::running()?;
    let (app, file) = state.bot("BOT_ALERTS", state.alerts_file.as_ref(), EXAMPLE)?;
    let Some(alert) = app.features.alerts.find(&options.name) else {
        return Err(Error::NotInFile {
            what: "alert",
            name: options.name,
            file,
            known: known_names(
                app.features
                    .alerts
                    .book()
                    .alerts()
                    .iter()
                    .map(|e| e.name.as_str()),
            ),
        });
    };
    let preview = app
        .features
        .alerts
        .preview(app.state.services(), &alert)
        .await
        .ok_or_else(|| Error::AlertNotSent("no such alert in this process".into()))?;
    let status = preview.state.status().as_str();
    let since = preview
        .state
        .since()
        .map(|s| format!(" since {}", s.format("%Y-%m-%d %H:%M UTC")))
        .unwrap_or_default();
    let why = preview
        .state
        .failure
        .as_ref()
        .map(|f| format!(": {}", f.why))
        .unwrap_or_default();
    println!("alert {:?}: {status}{since}{why}", alert.name);
    if let Some(message) = &preview.message {
        if options.json {
            println!("{}", serde_json::to_string_pretty(message).expect("JSON"));
        } else {
            let mut shown = message.to_value();
            shown["response_type"] = "in_channel".into();
            println!("{}", terminal::render(&shown, color()));
        }
    }
    let next = alert.schedule.next_after(Utc::now(), &alert.timezone);
    let next = next.map_or("never".into(), |n| {
        n.format("%Y-%m-%d %H:%M UTC").to_string()
    });
    let note = format!(
        "(alert {:?} → <#{}>, next check {next}; a check now would: {}; {})",
        alert.name,
        alert.channel,
        preview.would,
        if options.post {
            "doing it now…"
        } else {
            "nothing sent: --post does it"
        }
    );
    eprintln!("{}", terminal::dim(&note, color()));
    if !options.post {
        return Ok(());
    }
    match app
        .features
        .alerts
        .check(app.state.services(), &alert, Utc::now())
        .await
    {
        bot::alerts::runner::Report::Checked {
            did, slack_calls, ..
        } => {
            let done = format!("({did}, {slack_calls} Slack call(s))");
            eprintln!("{}", terminal::dim(&done, color()));
            Ok(())
        }
        other => Err(Error::AlertNotSent(format!("{other:?}"))),
    }
}
