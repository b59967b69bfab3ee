//! The `BOT_DIGESTS` file: `[[digests]]` entries, read and checked once at start-up with the
//! settings-file checker the catalogue uses too. [`parse`] is pure: text in, digests or every
//! mistake (naming the entry and the key) out; [`read`] reads the file.
//!
//! Only what the file itself can get wrong is checked here. Whether each stat exists and takes
//! those arguments is the stats API's catalogue's business, and the catalogue changes without
//! a redeploy: that is checked when the digest runs.

use std::path::Path;

use chrono_tz::Tz;
use settings_file::{Entries, Fields, Mistake, Value, a_type};

use crate::channel_id::{is_channel_id, not_a_channel_id};
use crate::error::{Error, Result};
use crate::flows::jobs::Scheduled;
use crate::schedule::{self, Cron};
use crate::slack::slash_command::{Invocation, parse_text};

/// A digest as declared.
#[derive(Debug, Clone)]
pub struct Digest {
    pub name: String,
    /// A channel ID (`crate::channel_id`).
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

impl Scheduled for Digest {
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

const KEYS: [&str; 7] = [
    "name", "channel", "schedule", "timezone", "stats", "title", "intro",
];
/// A digest's name is typed after `cargo run -- digest` and shows in `/stats digests`.
const MAX_NAME: usize = 40;
/// A digest's message has room for about this many stats (Block Kit's 50 blocks).
pub const MAX_STATS: usize = 20;
const MAX_TITLE: usize = 150;
const MAX_INTRO: usize = 2000;

/// The digests file as a settings file: `[[digests]]` entries, none at all being fine.
pub const DIGESTS: Entries = Entries {
    array: "digests",
    entry: "digest",
    file: "the digests file",
    at_least_one: false,
};

/// Reads and checks the digests file at `path` (`BOT_DIGESTS`); the error lists every mistake,
/// each naming its entry and key.
pub fn read(path: &Path) -> Result<Vec<Digest>> {
    settings_file::read("BOT_DIGESTS", path, DIGESTS.file, parse).map_err(Error::Settings)
}

/// Reads a digests file's text: the digests, or every mistake in it.
pub fn parse(text: &str) -> std::result::Result<Vec<Digest>, Vec<Mistake>> {
    let (digests, mistakes) = DIGESTS.check(text, &KEYS, digest, |d| d.name.clone());
    if mistakes.is_empty() {
        Ok(digests)
    } else {
        Err(mistakes)
    }
}

/// One entry; what is wrong with it is noted in `f`.
fn digest(f: &mut Fields<'_>) -> Option<Digest> {
    let name = f.required_text("name", "");
    if let Some(name) = &name
        && (name.chars().count() > MAX_NAME
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        f.mistake(
            "name",
            format!("`name` {name:?}: letters, digits, - and _ only, at most {MAX_NAME}"),
        );
    }
    let channel = f.required_text("channel", ": a channel ID, e.g. \"C0123456789\"");
    if let Some(channel) = &channel
        && !is_channel_id(channel)
    {
        f.mistake("channel", not_a_channel_id("channel", channel));
    }
    let schedule = f
        .required_text("schedule", ": 5-field cron, e.g. \"0 9 * * MON\"")
        .and_then(|s| match Cron::parse(&s) {
            Ok(cron) => Some(cron),
            Err(why) => {
                f.mistake("schedule", format!("`schedule` {s:?}: {why}"));
                None
            }
        });
    let timezone = match f.text("timezone") {
        None if f.get("timezone").is_none() => Some(Tz::UTC),
        None => None,
        Some(name) => match schedule::zone(&name) {
            Ok(tz) => Some(tz),
            Err(why) => {
                f.mistake("timezone", format!("`timezone`: {why}"));
                None
            }
        },
    };
    let stats = stats(f);
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
    let intro = f.text("intro");
    if intro
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_INTRO)
    {
        f.mistake(
            "intro",
            format!("`intro` is longer than {MAX_INTRO} characters"),
        );
    }
    Some(Digest {
        name: name?,
        channel: channel?,
        schedule: schedule?,
        timezone: timezone?,
        stats: stats?,
        title,
        intro,
    })
}

/// `stats`: 1 to [`MAX_STATS`] invocations, as typed after `/stats`.
fn stats(f: &mut Fields<'_>) -> Option<Vec<String>> {
    let items = match f.get("stats") {
        None => {
            f.mistake(
                "stats",
                "`stats` is missing; e.g. stats = [\"members\", \"growth 7\"]",
            );
            return None;
        }
        Some(Value::Array(items)) => items,
        Some(other) => {
            f.mistake(
                "stats",
                format!("`stats` must be a list of strings, not {}", a_type(other)),
            );
            return None;
        }
    };
    let stats: Vec<String> = items
        .iter()
        .filter_map(|item| item.as_str().map(str::trim))
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if stats.len() < items.len() {
        f.mistake(
            "stats",
            "`stats`: every entry must be a non-empty string, e.g. \"growth 7\"",
        );
    }
    if items.is_empty() {
        f.mistake(
            "stats",
            "`stats` is empty; name at least one stat, e.g. [\"members\"]",
        );
    } else if items.len() > MAX_STATS {
        f.mistake(
            "stats",
            format!(
                "`stats` has {} stats; at most {MAX_STATS} fit one message",
                items.len()
            ),
        );
    }
    Some(stats)
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
        let mistakes = parse(text).unwrap_err();
        mistakes
            .iter()
            .map(Mistake::to_string)
            .collect::<Vec<_>>()
            .join("\n")
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
                "digest `weekly`: `schedule` \"0 9 * * MONDAY\": day of week field",
            ),
            ("schedule = \"every monday\"", "`schedule`"),
            (
                "timezone = \"Europe/Berlni\"",
                "digest `weekly`: `timezone`: \"Europe/Berlni\" is not an IANA",
            ),
            (
                "channel = \"#general\"",
                "digest `weekly`: `channel` \"#general\" is not a channel ID",
            ),
            (
                "channel = \"C0BARS\"",
                "digest `weekly`: `channel` \"C0BARS\" is not a channel ID: C (public) or G \
                 (private) then 8 to 19 capital letters or digits, 9 to 20 characters in all",
            ),
            ("channel = \"U0123456789\"", "`channel`"),
            ("stats = []", "digest `weekly`: `stats` is empty"),
            ("stats = \"members\"", "`stats` must be a list"),
            ("stats = [\"members\", \"\"]", "`stats`: every entry"),
            ("colour = \"blue\"", "digest `weekly`: unknown key `colour`"),
            ("intervals = 3", "unknown key `intervals`"),
            (
                "chanel = \"C0123456789\"",
                "unknown key `chanel` (did you mean `channel`?)",
            ),
            ("name = \"\"", "digest `#1`: `name` is empty"),
            ("name = \"two words\"", "`name`"),
        ] {
            let text = entry(extra);
            let got = problems(&text);
            assert!(got.contains(says), "{extra}\n{got}");
        }
        let no_name = "[[digests]]\nchannel = \"C0123456789\"\nschedule = \"0 9 * * *\"\nstats = [\"members\"]";
        assert!(problems(no_name).contains("digest `#1`: `name` is missing"));
    }

    #[test]
    fn duplicate_names_and_stray_top_level_keys_are_refused() {
        let twice = format!("{}\n{}", entry(""), entry(""));
        assert!(
            problems(&twice).contains("digest `weekly`: declared twice"),
            "{}",
            problems(&twice)
        );
        let stray = format!("channel = \"C1\"\n{}", entry(""));
        assert!(problems(&stray).contains("unknown key `channel` at the top of the digests file"));
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
}
