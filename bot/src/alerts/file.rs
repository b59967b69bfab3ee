//! The `BOT_ALERTS` file: `[[alerts]]` entries, read and checked once at start-up. Pure: text in,
//! alerts or every mistake (naming the alert and the key) out.
//!
//! Each key has its own small check, so the file can move onto a shared settings checker without
//! rewording anything. Only what the file itself can get wrong is checked here: whether the stat
//! exists and has the column is known only when the check runs (the catalogue changes without a
//! redeploy), and then the alert goes to `error` instead.

use std::time::Duration;

use chrono_tz::Tz;
use toml::{Table, Value};

use super::condition::{Comparison, Milestone, Rule};
use crate::channel_id::is_channel_id;
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

/// Reads an alerts file. `Err` holds one line per mistake, each naming the alert and the key.
pub fn parse(text: &str) -> Result<Vec<Alert>, Vec<String>> {
    let table: Table = text
        .parse()
        .map_err(|e: toml::de::Error| vec![format!("not valid TOML: {}", e.message())])?;
    let mut problems = Vec::new();
    for key in table.keys().filter(|k| *k != "alerts") {
        problems.push(format!(
            "unknown key `{key}` at the top level{}: the file holds only [[alerts]] entries",
            did_you_mean(key, &["alerts"])
        ));
    }
    let entries = match table.get("alerts") {
        None => Vec::new(),
        Some(Value::Array(entries)) => entries.clone(),
        Some(_) => {
            problems.push("`alerts` must be [[alerts]] entries".into());
            Vec::new()
        }
    };
    let mut alerts: Vec<Alert> = Vec::new();
    // Every name given so far, the broken alerts' too: a duplicate is a mistake either way.
    let mut names: Vec<&str> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(entry) = entry.as_table() else {
            problems.push(format!("alert #{}: not a table", i + 1));
            continue;
        };
        let given = entry.get("name").and_then(Value::as_str).map(str::trim);
        let label = match given {
            Some(name) if !name.is_empty() => format!("alert \"{name}\" (#{})", i + 1),
            _ => format!("alert #{}", i + 1),
        };
        if let Some(name) = given.filter(|n| !n.is_empty()) {
            if names.contains(&name) {
                problems.push(format!("{label}: key `name`: another alert has this name"));
            }
            names.push(name);
        }
        match alert(entry) {
            Ok(alert) => alerts.push(alert),
            Err(mistakes) => problems.extend(mistakes.into_iter().map(|m| format!("{label}: {m}"))),
        }
    }
    if problems.is_empty() {
        Ok(alerts)
    } else {
        Err(problems)
    }
}

/// Collects an entry's mistakes as "key `…`: why".
struct Mistakes(Vec<String>);

impl Mistakes {
    fn keep<T>(&mut self, key: &str, checked: Result<T, String>) -> Option<T> {
        checked
            .map_err(|why| self.0.push(format!("key `{key}`: {why}")))
            .ok()
    }
}

/// One entry, or its mistakes.
fn alert(entry: &Table) -> Result<Alert, Vec<String>> {
    let mut m = Mistakes(Vec::new());
    for key in entry.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        let why = if key == "stats" {
            "unknown key: an alert checks one stat, e.g. stat = \"growth 7\"".into()
        } else {
            format!(
                "unknown key{}; an alert takes {}",
                did_you_mean(key, &KEYS),
                KEYS.join(", ")
            )
        };
        m.keep::<()>(key, Err(why));
    }
    let required = |key: &str| text(entry.get(key))?.ok_or_else(|| "missing".to_string());
    let optional = |key: &str| text(entry.get(key));
    let name = m.keep("name", required("name").and_then(name));
    let channel = m.keep("channel", required("channel").and_then(channel));
    let stat = m.keep("stat", required("stat").and_then(stat));
    let schedule = m.keep("schedule", required("schedule").and_then(|s| cron(&s)));
    let timezone = m.keep(
        "timezone",
        optional("timezone").and_then(|z| z.map_or(Ok(Tz::UTC), |z| schedule::zone(&z))),
    );
    let hold = m.keep(
        "for",
        optional("for").and_then(|d| d.map_or(Ok(Duration::ZERO), |d| duration(&d))),
    );
    let when = m.keep(
        "when",
        optional("when").and_then(|w| w.map(|w| when(&w)).transpose()),
    );
    let milestone = m.keep(
        "milestone",
        optional("milestone").and_then(|w| w.map(|w| milestone(&w)).transpose()),
    );
    let title = m
        .keep(
            "title",
            optional("title").and_then(|t| t.map(title).transpose()),
        )
        .flatten();
    let has = |key: &str| entry.contains_key(key);
    if let Err((key, why)) = one_rule(has("when"), has("milestone"), has("for")) {
        m.keep::<()>(key, Err(why));
    }
    let rule = match (when.flatten(), milestone.flatten()) {
        (Some(when), None) => Some(Rule::When(when)),
        (None, Some(milestone)) => Some(Rule::Milestone(milestone)),
        _ => None,
    };
    match (name, channel, stat, schedule, timezone, rule, hold) {
        (
            Some(name),
            Some(channel),
            Some(stat),
            Some(schedule),
            Some(timezone),
            Some(rule),
            Some(hold),
        ) if m.0.is_empty() => Ok(Alert {
            name,
            channel,
            stat,
            schedule,
            timezone,
            rule,
            hold,
            title,
        }),
        _ => Err(m.0),
    }
}

/// A string value, trimmed; `None` when absent.
fn text(value: Option<&Value>) -> Result<Option<String>, String> {
    match value {
        None => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Err("empty".into()),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(other) => Err(format!("must be a string, not {}", other.type_str())),
    }
}

/// `schedule`: 5-field cron, as digests'.
pub fn cron(text: &str) -> Result<Cron, String> {
    Cron::parse(text).map_err(|why| format!("{text:?}: {why}"))
}

/// `when`: a comparison.
pub fn when(text: &str) -> Result<Comparison, String> {
    Comparison::parse(text).map_err(|why| format!("{text:?}: {why}"))
}

/// `milestone`: `COLUMN every N`.
pub fn milestone(text: &str) -> Result<Milestone, String> {
    Milestone::parse(text).map_err(|why| format!("{text:?}: {why}"))
}

/// `name`: letters, digits, - and _.
pub fn name(name: String) -> Result<String, String> {
    let fine = name.chars().count() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if fine {
        Ok(name)
    } else {
        Err(format!(
            "{name:?}: letters, digits, - and _ only, at most {MAX_NAME}"
        ))
    }
}

/// `channel`: an ID, by the same rule as digests'.
pub fn channel(channel: String) -> Result<String, String> {
    if is_channel_id(&channel) {
        Ok(channel)
    } else {
        Err(format!(
            "{channel:?} is not a channel ID: C or G then capital letters and digits, e.g. \
             \"C0123456789\" (in Slack: the channel's name → About → Channel ID)"
        ))
    }
}

/// `stat`: as typed after `/stats`.
pub fn stat(stat: String) -> Result<String, String> {
    if stat.starts_with('/') {
        let rest = stat
            .split_once(char::is_whitespace)
            .map_or("", |(_, rest)| rest.trim());
        return Err(format!(
            "{stat:?}: write it as typed after /stats, e.g. {rest:?}"
        ));
    }
    if stat.chars().count() > MAX_STAT {
        return Err(format!("longer than {MAX_STAT} characters"));
    }
    Ok(stat)
}

/// `title`: a header's length at most.
pub fn title(title: String) -> Result<String, String> {
    if title.chars().count() > MAX_TITLE {
        Err(format!("longer than {MAX_TITLE} characters"))
    } else {
        Ok(title)
    }
}

/// `for`: a whole number then `s`, `m`, `h` or `d`: `"30s"`, `"30m"`, `"2h"`, `"1d"`.
pub fn duration(text: &str) -> Result<Duration, String> {
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
    let bad =
        || format!("{text:?} is not a duration: a whole number then s, m, h or d, e.g. \"30m\"");
    let n: u64 = text[..unit_at].parse().map_err(|_| bad())?;
    if seconds == 0 {
        return Err(bad());
    }
    match n.checked_mul(seconds).map(Duration::from_secs) {
        Some(d) if d.is_zero() => Err(format!("{text:?}: leave `for` out to fire at once")),
        Some(d) if d <= MAX_HOLD => Ok(d),
        _ => Err(format!("{text:?}: at most 30 days")),
    }
}

/// Exactly one of `when` and `milestone`; `for` only with `when`. The key at fault and why.
fn one_rule(when: bool, milestone: bool, hold: bool) -> Result<(), (&'static str, String)> {
    match (when, milestone) {
        (true, true) => Err(("milestone", "give either `when` or `milestone`, not both".into())),
        (false, false) => Err((
            "when",
            "missing: give `when` (e.g. \"total >= 1000\") or `milestone` (e.g. \"total every 100\")"
                .into(),
        )),
        (false, true) if hold => Err((
            "for",
            "only with `when`: a milestone is announced as soon as it is passed".into(),
        )),
        _ => Ok(()),
    }
}

/// " (did you mean `title`?)" when `given` is a near miss of one of `known`.
fn did_you_mean(given: &str, known: &[&str]) -> String {
    let limit = (given.chars().count() / 3).max(1);
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(given, k), k))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

/// In `file/tests.rs`.
#[cfg(test)]
mod tests;
