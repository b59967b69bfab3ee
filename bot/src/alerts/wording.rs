//! What an alert says, as plain data for the message layer to lay out as Block Kit: the incident
//! message (title, condition with its value, since when, state, who silenced it), the reply in
//! its thread when it ends, a milestone's message, and the rows of `/stats alerts`. Pure.
//!
//! Every field but `title` is finished mrkdwn: data escaped (`&`, `<`, `>`), Slack's own tokens
//! (`<!date^…>`, `<@U…>`, `<#C…>`) written only around values checked to be safe. Put them into a
//! message with JSON escaping alone, never Slack-escaped again. `title` is plain text for a
//! header block, clipped to its 150 characters.

use std::borrow::Cow;

use chrono::{DateTime, TimeDelta, Utc};

use super::file::Alert;
use super::machine::{AlertState, Phase};
use super::number::{Num, readable};
use crate::channel_id::is_channel_id;
use crate::slack::blocks::{self, MAX_HEADER_TEXT};
use crate::slack::interaction::UserId;

/// An error's reason, a condition's words: data, kept to a readable length.
const MAX_WHY: usize = 300;
const MAX_WORDS: usize = 500;

/// Slack's mrkdwn escaping, exactly `&`, `<` and `>`: a column called `<!channel>` pings nobody.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
    )
}

/// `<!date^…>`: each reader sees the time in their own zone; the fallback is in UTC.
pub fn date(at: DateTime<Utc>) -> String {
    format!(
        "<!date^{}^{{date_short_pretty}} at {{time}}|{}>",
        at.timestamp(),
        at.format("%Y-%m-%d %H:%M UTC")
    )
}

/// `<@U…>` for a valid user ID, else the text escaped.
fn user(id: &str) -> String {
    match UserId::parse(id) {
        Some(id) => format!("<@{id}>"),
        None => escape(id).into_owned(),
    }
}

/// How long something lasted, in its two largest units: `2 h 5 min`, `3 d`, `45 s`.
pub fn lasted(span: TimeDelta) -> String {
    let seconds = span.num_seconds().max(0);
    if seconds < 60 {
        return format!("{seconds} s");
    }
    let units = [(86_400, "d"), (3600, "h"), (60, "min")];
    let parts: Vec<String> = units
        .iter()
        .scan(seconds, |left, &(size, unit)| {
            let n = *left / size;
            *left %= size;
            Some((n, unit))
        })
        .skip_while(|(n, _)| *n == 0)
        .take(2)
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}"))
        .collect();
    parts.join(" ")
}

/// An incident's message, in whatever state it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertMessage {
    /// Plain text, for the header.
    pub title: String,
    /// The notification's fallback: title and condition.
    pub text: String,
    /// "`total` is 38, ≥ 38".
    pub condition: String,
    /// "Since …" (the incident's start).
    pub since: Option<String>,
    /// "Firing", "Resolved after 2 h 5 min (…)", "Could not be checked since …: why".
    pub state: String,
    /// "Silenced by <@U…> until …", while it lasts.
    pub silenced: Option<String>,
    /// Whether Silence and Check now belong on it (while it fires).
    pub buttons: bool,
}

/// The message for `alert` in `state`.
pub fn message(alert: &Alert, state: &AlertState, now: DateTime<Utc>) -> AlertMessage {
    let title = blocks::clip(alert.heading(), MAX_HEADER_TEXT).into_owned();
    let rule = || escape(&alert.rule.in_words()).into_owned();
    let words = |w: &str| blocks::clip(&escape(w), MAX_WORDS).into_owned();
    let (condition, since, line) = match &state.phase {
        Phase::Unknown => (rule(), None, "Not checked yet".to_string()),
        Phase::Ok { since } => (rule(), Some(*since), "All clear".to_string()),
        Phase::Pending { since, reading } => (
            words(&reading.words),
            Some(*since),
            match TimeDelta::from_std(alert.hold) {
                Ok(hold) => format!(
                    "Pending: it fires if it still holds at {}",
                    date(*since + hold)
                ),
                Err(_) => "Pending".to_string(),
            },
        ),
        Phase::Firing { since, reading, .. } => {
            (words(&reading.words), Some(*since), "Firing".to_string())
        }
        Phase::Resolved {
            since,
            ended,
            reading,
            ..
        } => (
            words(&reading.words),
            Some(*since),
            format!(
                "Resolved after {} ({})",
                lasted(*ended - *since),
                date(*ended)
            ),
        ),
    };
    let line = match &state.failure {
        Some(failure) => format!(
            "{line}. Could not be checked since {}: {}",
            date(failure.since),
            blocks::clip(&escape(&failure.why), MAX_WHY)
        ),
        None => line,
    };
    AlertMessage {
        text: format!("{}: {condition}", escape(&title)),
        title,
        condition,
        since: since.map(|s| format!("Since {}", date(s))),
        state: line,
        silenced: silenced(state, now),
        buttons: matches!(state.phase, Phase::Firing { .. }),
    }
}

fn silenced(state: &AlertState, now: DateTime<Utc>) -> Option<String> {
    let silence = state.silenced_at(now)?;
    Some(format!(
        "Silenced by {} until {}",
        user(&silence.by),
        date(silence.until)
    ))
}

/// The reply in the incident's thread when it ends.
pub fn resolution_reply(state: &AlertState) -> Option<String> {
    let Phase::Resolved {
        since,
        ended,
        reading,
        ..
    } = &state.phase
    else {
        return None;
    };
    Some(format!(
        "Resolved after {}: {}.",
        lasted(*ended - *since),
        blocks::clip(&escape(&reading.words), MAX_WORDS)
    ))
}

/// A milestone's message: the title, and "`total` passed 1,000 (now 1,004)".
pub fn milestone(alert: &Alert, column: &str, reached: i64, value: Num) -> AlertMessage {
    let title = blocks::clip(alert.heading(), MAX_HEADER_TEXT).into_owned();
    let condition = format!(
        "`{}` passed {} (now {})",
        escape(column),
        readable(Num::int(reached)),
        readable(value)
    );
    AlertMessage {
        text: format!("{}: {condition}", escape(&title)),
        title,
        condition,
        since: None,
        state: String::new(),
        silenced: None,
        buttons: false,
    }
}

/// One alert in `/stats alerts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingRow {
    pub name: String,
    /// `<#C…>`.
    pub channel: String,
    /// "`recent` below 80% of `previous` in `growth 7`".
    pub condition: String,
    /// "firing since …", "error since …: why", "not checked yet".
    pub state: String,
    pub last_check: String,
    pub next_check: String,
    pub silenced: Option<String>,
}

impl ListingRow {
    /// The row as one line of a section.
    pub fn line(&self) -> String {
        let mut line = format!(
            "• *{}* → {}: {} — {}; checked {}, next {}",
            self.name, self.channel, self.condition, self.state, self.last_check, self.next_check
        );
        if let Some(silenced) = &self.silenced {
            line.push_str("; ");
            line.push_str(&silenced.replacen("Silenced", "silenced", 1));
        }
        line
    }
}

pub fn listing_row(alert: &Alert, state: &AlertState, now: DateTime<Utc>) -> ListingRow {
    let status = state.status();
    let mut line = match state.since() {
        Some(since) => format!("{} since {}", status.as_str(), date(since)),
        None => status.as_str().to_string(),
    };
    if let Some(failure) = &state.failure {
        line.push_str(": ");
        line.push_str(&blocks::clip(&escape(&failure.why), MAX_WHY));
    }
    ListingRow {
        name: escape(&alert.name).into_owned(),
        channel: if is_channel_id(&alert.channel) {
            format!("<#{}>", alert.channel)
        } else {
            format!("`{}`", escape(&alert.channel))
        },
        condition: format!(
            "{} in `{}`",
            escape(&alert.rule.in_words()),
            escape(&alert.stat)
        ),
        state: line,
        last_check: state.last_check.map_or("never".into(), date),
        next_check: alert
            .schedule
            .next_after(now, &alert.timezone)
            .map_or("never".into(), date),
        silenced: silenced(state, now),
    }
}

/// In `wording/tests.rs`.
#[cfg(test)]
mod tests;
