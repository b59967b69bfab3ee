//! The `BOT_ALERTS` file: `[[alerts]]` entries, read and checked once at start-up with the
//! settings-file checker digests and the catalogue use. [`parse`] is pure: text in, alerts or
//! every mistake (naming the alert and the key, with a did-you-mean for unknown keys) out;
//! [`read`] reads the file.
//!
//! Only what the file itself can get wrong is checked here: whether the stat exists and has the
//! column is known only when the check runs (the catalogue changes without a redeploy), and then
//! the alert goes to `error` instead.

use std::path::Path;
use std::time::Duration;

use chrono_tz::Tz;
use settings_file::{Entries, Fields, Mistake};

use super::condition::{Comparison, Milestone, Rule};
use crate::channel_id::{is_channel_id, not_a_channel_id};
use crate::error::{Error, Result};
use crate::flows::jobs::Scheduled;
use crate::schedule::{self, Cron};
use crate::slack::slash_command::{Invocation, parse_text};

/// An alert as declared.
#[derive(Debug, Clone)]
pub struct Alert {
    pub name: String,
    /// A channel ID, `C…` or `G…`.
    pub channel: String,
    /// As a user types it after `/stats`, e.g. `growth 7`.
    pub stat: String,
    pub schedule: Cron,
    pub timezone: Tz,
    pub rule: Rule,
    /// `for`: how long the condition must hold before it fires (zero: at once).
    pub hold: Duration,
    pub title: Option<String>,
}

impl Alert {
    /// The stat as an invocation, parsed the way `/stats` parses its text.
    pub fn invocation(&self) -> Invocation {
        parse_text(&self.stat)
    }

    /// The message's title: `title`, else the name.
    pub fn heading(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }
}

impl Scheduled for Alert {
    fn name(&self) -> &str {
        &self.name
    }

    fn schedule(&self) -> &Cron {
        &self.schedule
    }

    fn timezone(&self) -> &Tz {
        &self.timezone
    }
}

const KEYS: [&str; 9] = [
    "name",
    "channel",
    "stat",
    "schedule",
    "timezone",
    "when",
    "milestone",
    "for",
    "title",
];
/// Typed after `cargo run -- alert`, shown in `/stats alerts`, written in message metadata.
const MAX_NAME: usize = 40;
const MAX_TITLE: usize = 150;
const MAX_STAT: usize = 200;
/// A longer `for` would outlast any sensible schedule; it is almost surely a typo.
const MAX_HOLD: Duration = Duration::from_secs(30 * 24 * 3600);

/// The alerts file as a settings file: `[[alerts]]` entries, none at all being fine.
pub const ALERTS: Entries = Entries {
    array: "alerts",
    entry: "alert",
    file: "the alerts file",
    at_least_one: false,
};

/// Reads and checks the alerts file at `path` (`BOT_ALERTS`); the error lists every mistake,
/// each naming its alert and key.
pub fn read(path: &Path) -> Result<Vec<Alert>> {
    settings_file::read("BOT_ALERTS", path, ALERTS.file, parse).map_err(Error::Settings)
}

/// Reads an alerts file's text: the alerts, or every mistake in it.
pub fn parse(text: &str) -> std::result::Result<Vec<Alert>, Vec<Mistake>> {
    let (alerts, mistakes) = ALERTS.check(text, &KEYS, alert, |a| a.name.clone());
    if mistakes.is_empty() {
        Ok(alerts)
    } else {
        Err(mistakes)
    }
}

/// `key`'s text checked by `check`; a refusal is noted as "`key` …: why".
fn checked<T>(
    f: &mut Fields<'_>,
    key: &str,
    text: Option<String>,
    check: impl FnOnce(&str) -> std::result::Result<T, String>,
) -> Option<T> {
    let text = text?;
    match check(&text) {
        Ok(value) => Some(value),
        Err(why) => {
            f.mistake(key, format!("`{key}` {text:?}: {why}"));
            None
        }
    }
}

/// One entry; what is wrong with it is noted in `f`.
fn alert(f: &mut Fields<'_>) -> Option<Alert> {
    if f.get("stats").is_some() {
        // Read as "unknown key `stats` (did you mean `stat`?)" already; say why too.
        f.mistake(
            "stats",
            "an alert checks one stat, e.g. stat = \"growth 7\"",
        );
    }
    let name = f.required_text("name", ": letters, digits, - and _");
    let name = checked(f, "name", name, self::name);
    let channel = f.required_text("channel", ": a channel ID, e.g. \"C0123456789\"");
    if let Some(channel) = &channel
        && !is_channel_id(channel)
    {
        f.mistake("channel", not_a_channel_id("channel", channel));
    }
    let stat = f.required_text("stat", ": as typed after /stats, e.g. \"growth 7\"");
    let stat = checked(f, "stat", stat, self::stat);
    let schedule = f.required_text("schedule", ": 5-field cron, e.g. \"*/15 * * * *\"");
    let schedule = checked(f, "schedule", schedule, Cron::parse);
    let timezone = match f.text("timezone") {
        None if f.get("timezone").is_none() => Some(Tz::UTC),
        None => None,
        Some(zone) => match schedule::zone(&zone) {
            Ok(tz) => Some(tz),
            Err(why) => {
                f.mistake("timezone", format!("`timezone`: {why}"));
                None
            }
        },
    };
    let hold = match f.text("for") {
        None if f.get("for").is_none() => Some(Duration::ZERO),
        None => None,
        given => checked(f, "for", given, duration),
    };
    let when = f.text("when");
    let when = checked(f, "when", when, Comparison::parse);
    let milestone = f.text("milestone");
    let milestone = checked(f, "milestone", milestone, Milestone::parse);
    let has = |key: &str| f.get(key).is_some();
    if let Err((key, why)) = one_rule(has("when"), has("milestone"), has("for")) {
        f.mistake(key, why);
    }
    let title = f.text("title");
    if title
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TITLE)
    {
        f.mistake(
            "title",
            format!("`title` is longer than {MAX_TITLE} characters"),
        );
    }
    let rule = match (when, milestone) {
        (Some(when), None) => Rule::When(when),
        (None, Some(milestone)) => Rule::Milestone(milestone),
        _ => return None,
    };
    Some(Alert {
        name: name?,
        channel: channel.filter(|c| is_channel_id(c))?,
        stat: stat?,
        schedule: schedule?,
        timezone: timezone?,
        rule,
        hold: hold?,
        title,
    })
}

/// `name`: letters, digits, - and _.
fn name(name: &str) -> std::result::Result<String, String> {
    let fine = name.chars().count() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if fine {
        Ok(name.to_string())
    } else {
        Err(format!("letters, digits, - and _ only, at most {MAX_NAME}"))
    }
}

/// `stat`: as typed after `/stats`.
fn stat(stat: &str) -> std::result::Result<String, String> {
    if stat.starts_with('/') {
        let rest = stat
            .split_once(char::is_whitespace)
            .map_or("", |(_, rest)| rest.trim());
        return Err(format!("write it as typed after /stats, e.g. {rest:?}"));
    }
    if stat.chars().count() > MAX_STAT {
        return Err(format!("longer than {MAX_STAT} characters"));
    }
    Ok(stat.to_string())
}
/// `for`: a whole number then `s`, `m`, `h` or `d`: `"30s"`, `"30m"`, `"2h"`, `"1d"`.
pub fn duration(text: &str) -> std::result::Result<Duration, String> {
    let unit_at = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let seconds = match &text[unit_at..] {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => 0,
    };
    let bad = || "not a duration: a whole number then s, m, h or d, e.g. \"30m\"".to_string();
    let n: u64 = text[..unit_at].parse().map_err(|_| bad())?;
    if seconds == 0 {
        return Err(bad());
    }
    match n.checked_mul(seconds).map(Duration::from_secs) {
        Some(d) if d.is_zero() => Err("leave `for` out to fire at once".into()),
        Some(d) if d <= MAX_HOLD => Ok(d),
        _ => Err("at most 30 days".into()),
    }
}

/// Exactly one of `when` and `milestone`; `for` only with `when`. The key at fault and why.
fn one_rule(
    when: bool,
    milestone: bool,
    hold: bool,
) -> std::result::Result<(), (&'static str, String)> {
    match (when, milestone) {
        (true, true) => Err(("milestone", "`milestone`: give either `when` or `milestone`, not both".into())),
        (false, false) => Err((
            "when",
            "`when` is missing: give `when` (e.g. \"total >= 1000\") or `milestone` (e.g. \"total every 100\")"
                .into(),
        )),
        (false, true) if hold => Err((
            "for",
            "`for` only goes with `when`: a milestone is announced as soon as it is passed".into(),
        )),
        _ => Ok(()),
    }
}

/// In `file/tests.rs`.
#[cfg(test)]
mod tests;
