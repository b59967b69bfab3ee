//! The `BOT_DIGESTS` file: `[[digests]]` entries, read and checked once at start-up. Pure: text
//! in, digests or every mistake (naming the entry and the key) out.
//!
//! Only what the file itself can get wrong is checked here. Whether each stat exists and takes
//! those arguments is the stats API's catalogue's business, and the catalogue changes without
//! a redeploy: that is checked when the digest runs.

use chrono_tz::Tz;
use toml::{Table, Value};

use super::schedule::{self, Cron};
use crate::slack::slash_command::{Invocation, parse_text};

/// A digest as declared.
#[derive(Debug, Clone)]
pub struct Digest {
    pub name: String,
    /// A channel ID, `C…` or `G…`.
    pub channel: String,
    pub schedule: Cron,
    pub timezone: Tz,
    /// Each as a user types it after `/stats`, e.g. `growth 7`.
    pub stats: Vec<String>,
    pub title: Option<String>,
    pub intro: Option<String>,
}

impl Digest {
    /// The stats as invocations, parsed the way `/stats` parses its text.
    pub fn invocations(&self) -> Vec<Invocation> {
        self.stats.iter().map(|s| parse_text(s)).collect()
    }

    /// The header: `title`, else the name.
    pub fn heading(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }
}

const KEYS: [&str; 7] = [
    "name", "channel", "schedule", "timezone", "stats", "title", "intro",
];
/// A digest's name is typed after `cargo run -- digest` and shows in `/stats digests`.
const MAX_NAME: usize = 40;
/// A digest's message has room for about this many stats (Block Kit's 50 blocks).
pub const MAX_STATS: usize = 20;
const MAX_TITLE: usize = 150;
const MAX_INTRO: usize = 2000;

/// Reads a digests file. `Err` holds one line per mistake, each naming the entry and the key.
pub fn parse(text: &str) -> Result<Vec<Digest>, Vec<String>> {
    let table: Table = text
        .parse()
        .map_err(|e: toml::de::Error| vec![format!("not valid TOML: {}", e.message())])?;
    let mut problems = Vec::new();
    for key in table.keys().filter(|k| *k != "digests") {
        problems.push(format!(
            "unknown key `{key}` at the top level: the file holds only [[digests]] entries"
        ));
    }
    let entries = match table.get("digests") {
        None => Vec::new(),
        Some(Value::Array(entries)) => entries.clone(),
        Some(_) => {
            problems.push("`digests` must be [[digests]] entries".into());
            Vec::new()
        }
    };
    let mut digests: Vec<Digest> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(entry) = entry.as_table() else {
            problems.push(format!("digest #{}: not a table", i + 1));
            continue;
        };
        match digest(entry) {
            Ok(digest) => {
                if digests.iter().any(|d| d.name == digest.name) {
                    problems.push(format!(
                        "digest \"{}\" (#{}): key `name`: another digest has this name",
                        digest.name,
                        i + 1
                    ));
                } else {
                    digests.push(digest);
                }
            }
            Err(mistakes) => {
                let label = match entry.get("name").and_then(Value::as_str) {
                    Some(name) if !name.trim().is_empty() => {
                        format!("digest \"{}\" (#{})", name.trim(), i + 1)
                    }
                    _ => format!("digest #{}", i + 1),
                };
                problems.extend(mistakes.into_iter().map(|m| format!("{label}: {m}")));
            }
        }
    }
    if problems.is_empty() {
        Ok(digests)
    } else {
        Err(problems)
    }
}

/// One entry, or its mistakes as "key `…`: why".
fn digest(entry: &Table) -> Result<Digest, Vec<String>> {
    let mut mistakes = Vec::new();
    let mut say = |key: &str, why: String| mistakes.push(format!("key `{key}`: {why}"));
    for key in entry.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        say(
            key,
            format!("unknown key; a digest takes {}", KEYS.join(", ")),
        );
    }
    let text = |key: &str, required: bool, say: &mut dyn FnMut(&str, String)| -> Option<String> {
        match entry.get(key) {
            None if required => {
                say(key, "missing".into());
                None
            }
            None => None,
            Some(Value::String(s)) if s.trim().is_empty() => {
                say(key, "empty".into());
                None
            }
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(other) => {
                say(key, format!("must be a string, not {}", other.type_str()));
                None
            }
        }
    };
    let name = text("name", true, &mut say);
    if let Some(name) = &name
        && (name.chars().count() > MAX_NAME
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        say(
            "name",
            format!("{name:?}: letters, digits, - and _ only, at most {MAX_NAME}"),
        );
    }
    let channel = text("channel", true, &mut say);
    if let Some(channel) = &channel
        && !is_channel_id(channel)
    {
        say(
            "channel",
            format!(
                "{channel:?} is not a channel ID: C or G then capital letters and digits, e.g. \
                 \"C0123456789\" (in Slack: the channel's name → About → Channel ID)"
            ),
        );
    }
    let cron = text("schedule", true, &mut say).and_then(|s| {
        Cron::parse(&s)
            .map_err(|why| say("schedule", format!("{s:?}: {why}")))
            .ok()
    });
    let timezone = match text("timezone", false, &mut say) {
        None => Some(Tz::UTC),
        Some(name) => schedule::zone(&name)
            .map_err(|why| say("timezone", why))
            .ok(),
    };
    let stats = match entry.get("stats") {
        None => {
            say(
                "stats",
                "missing; e.g. stats = [\"members\", \"growth 7\"]".into(),
            );
            None
        }
        Some(Value::Array(items)) => {
            let mut stats = Vec::new();
            for item in items {
                match item.as_str().map(str::trim) {
                    Some(s) if !s.is_empty() => stats.push(s.to_string()),
                    _ => say(
                        "stats",
                        "every entry must be a non-empty string, e.g. \"growth 7\"".into(),
                    ),
                }
            }
            if items.is_empty() {
                say(
                    "stats",
                    "empty; name at least one stat, e.g. [\"members\"]".into(),
                );
            } else if items.len() > MAX_STATS {
                say(
                    "stats",
                    format!("{} stats; at most {MAX_STATS} fit one message", items.len()),
                );
            }
            Some(stats)
        }
        Some(other) => {
            say(
                "stats",
                format!("must be a list of strings, not {}", other.type_str()),
            );
            None
        }
    };
    let title = text("title", false, &mut say);
    if title
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TITLE)
    {
        say("title", format!("longer than {MAX_TITLE} characters"));
    }
    let intro = text("intro", false, &mut say);
    if intro
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_INTRO)
    {
        say("intro", format!("longer than {MAX_INTRO} characters"));
    }
    match (name, channel, cron, timezone, stats) {
        (Some(name), Some(channel), Some(schedule), Some(timezone), Some(stats))
            if mistakes.is_empty() =>
        {
            Ok(Digest {
                name,
                channel,
                schedule,
                timezone,
                stats,
                title,
                intro,
            })
        }
        _ => Err(mistakes),
    }
}

/// `C…` (public) or `G…` (private) then capital letters and digits: a channel ID as Slack shows
/// it. Checked before it is ever written into a message as `<#C…>`.
pub fn is_channel_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('C' | 'G'))
        && (9..=20).contains(&s.len())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
        [[digests]]
        name = "weekly"
        channel = "C0123456789"
        schedule = "0 9 * * MON"
        timezone = "Europe/Berlin"
        stats = ["members", "growth 7", "signups 3"]
        title = "This week in numbers"
        intro = "Good morning!"

        [[digests]]
        name = "daily"
        channel = "G0123456789"
        schedule = "30 8 * * *"
        stats = ["members"]
    "#;

    #[test]
    fn a_good_file_reads_with_defaults() {
        let digests = parse(GOOD).unwrap();
        assert_eq!(digests.len(), 2);
        assert_eq!(digests[0].timezone, chrono_tz::Europe::Berlin);
        assert_eq!(digests[0].heading(), "This week in numbers");
        assert_eq!(digests[0].invocations()[1].subcommand, "growth");
        assert_eq!(digests[0].invocations()[1].args.positional, ["7"]);
        assert_eq!(digests[1].timezone, Tz::UTC);
        assert_eq!(digests[1].heading(), "daily");
        assert!(parse("").unwrap().is_empty(), "no digests is fine");
    }

    fn problems(text: &str) -> String {
        parse(text).unwrap_err().join("\n")
    }

    fn entry(extra: &str) -> String {
        let base = [
            ("name", "name = \"weekly\""),
            ("channel", "channel = \"C0123456789\""),
            ("schedule", "schedule = \"0 9 * * MON\""),
            ("stats", "stats = [\"members\"]"),
        ];
        let mut lines = vec!["[[digests]]".to_string()];
        for (key, line) in base {
            if !extra.contains(&format!("{key} =")) {
                lines.push(line.into());
            }
        }
        lines.push(extra.into());
        lines.join("\n")
    }

    #[test]
    fn each_mistake_names_the_entry_and_the_key() {
        for (extra, says) in [
            (
                "schedule = \"0 9 * * MONDAY\"",
                "digest \"weekly\" (#1): key `schedule`: \"0 9 * * MONDAY\": day of week field",
            ),
            ("schedule = \"every monday\"", "key `schedule`"),
            (
                "timezone = \"Europe/Berlni\"",
                "digest \"weekly\" (#1): key `timezone`: \"Europe/Berlni\" is not an IANA",
            ),
            (
                "channel = \"#general\"",
                "digest \"weekly\" (#1): key `channel`: \"#general\" is not a channel ID",
            ),
            ("channel = \"U0123456789\"", "key `channel`"),
            ("stats = []", "digest \"weekly\" (#1): key `stats`: empty"),
            ("stats = \"members\"", "key `stats`: must be a list"),
            ("stats = [\"members\", \"\"]", "key `stats`: every entry"),
            (
                "colour = \"blue\"",
                "digest \"weekly\" (#1): key `colour`: unknown key",
            ),
            ("name = \"\"", "digest #1: key `name`: empty"),
            ("name = \"two words\"", "key `name`"),
        ] {
            let text = entry(extra);
            let got = problems(&text);
            assert!(got.contains(says), "{extra}\n{got}");
        }
        let no_name = "[[digests]]\nchannel = \"C0123456789\"\nschedule = \"0 9 * * *\"\nstats = [\"members\"]";
        assert!(problems(no_name).contains("digest #1: key `name`: missing"));
    }

    #[test]
    fn duplicate_names_and_stray_top_level_keys_are_refused() {
        let twice = format!("{}\n{}", entry(""), entry(""));
        assert!(
            problems(&twice).contains("digest \"weekly\" (#2): key `name`: another digest"),
            "{}",
            problems(&twice)
        );
        let stray = format!("channel = \"C1\"\n{}", entry(""));
        assert!(problems(&stray).contains("unknown key `channel` at the top level"));
        assert!(problems("[[digests]\n").contains("not valid TOML"));
    }

    #[test]
    fn every_broken_entry_is_reported_at_once() {
        let text = format!(
            "{}\n{}",
            entry("timezone = \"Nowhere\""),
            entry("name = \"other\"\nschedule = \"61 * * * *\"")
        );
        let got = parse(&text).unwrap_err();
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn channel_ids_are_checked_before_they_are_written() {
        assert!(is_channel_id("C0123456789"));
        assert!(is_channel_id("G01ABCDEF"));
        assert!(!is_channel_id("C012>|x"));
        assert!(!is_channel_id("c0123456789"));
        assert!(!is_channel_id("C01"));
        assert!(!is_channel_id("D0123456789"));
    }
}
