//! The `BOT_HOME` file: the stats the Home tab shows, `[[home]]` entries read and checked once at
//! start-up with the settings-file checker the digests use (a broken file stops the bot, every
//! mistake named). [`parse`] is pure; [`read`] reads the file. Whether each stat exists is the
//! catalogue's business, which changes without a redeploy: checked when the tab is built.

use std::path::Path;

use settings_file::{Entries, Fields, Mistake};

use crate::error::{Error, Result};
use crate::slack::slash_command::{Invocation, parse_text};

/// One stat on the Home tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeStat {
    /// As a user types it after `/stats`, e.g. `signups 6`.
    pub stat: String,
    /// A line above it (mrkdwn, shown as typed: `&`, `<`, `>` ping nobody).
    pub title: Option<String>,
}

impl HomeStat {
    pub fn invocation(&self) -> Invocation {
        parse_text(&self.stat)
    }
}

const KEYS: [&str; 2] = ["stat", "title"];
/// A Home tab has room for about this many answers (100 blocks, 250 kB).
pub const MAX_STATS: usize = 10;
const MAX_TITLE: usize = 150;

pub const HOME: Entries = Entries {
    array: "home",
    entry: "home entry",
    file: "the Home tab's file",
    at_least_one: false,
};

/// Reads and checks the file at `path` (`BOT_HOME`); the error lists every mistake.
pub fn read(path: &Path) -> Result<Vec<HomeStat>> {
    settings_file::read("BOT_HOME", path, HOME.file, parse).map_err(Error::Settings)
}

/// Reads a Home tab file's text: its stats, or every mistake in it.
pub fn parse(text: &str) -> std::result::Result<Vec<HomeStat>, Vec<Mistake>> {
    let (stats, mut mistakes) = HOME.check(text, &KEYS, entry, |h| h.stat.clone());
    if stats.len() > MAX_STATS {
        mistakes.push(Mistake::file(format!(
            "{} stats on the Home tab; at most {MAX_STATS} fit it",
            stats.len()
        )));
    }
    if mistakes.is_empty() {
        Ok(stats)
    } else {
        Err(mistakes)
    }
}

fn entry(f: &mut Fields<'_>) -> Option<HomeStat> {
    let stat = f.required_text("stat", ": as typed after /stats, e.g. \"signups 6\"");
    if let Some(stat) = &stat
        && parse_text(stat).subcommand.is_empty()
    {
        f.mistake("stat", "`stat` is empty; name a stat, e.g. \"members\"");
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
    Some(HomeStat { stat: stat?, title })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> String {
        let mistakes = parse(text).unwrap_err();
        let lines: Vec<String> = mistakes.iter().map(Mistake::to_string).collect();
        lines.join("\n")
    }

    #[test]
    fn the_shipped_example_reads() {
        let example = include_str!("../../home.example.toml");
        let stats = parse(example).unwrap();
        assert_eq!(stats.len(), 3);
        assert_eq!(stats[0].stat, "members");
    }

    #[test]
    fn a_good_file_reads() {
        let stats = parse(
            "[[home]]\nstat = \"members\"\n\n[[home]]\nstat = \"signups 6\"\ntitle = \"*Growth*\"\n",
        )
        .unwrap();
        assert_eq!(stats.len(), 2);
        assert_eq!(stats[1].invocation().args.positional, ["6"]);
        assert_eq!(stats[1].title.as_deref(), Some("*Growth*"));
        assert!(parse("").unwrap().is_empty(), "no stats: the default tab");
    }

    #[test]
    fn each_mistake_names_the_entry_and_the_key() {
        for (text, says) in [
            (
                "[[home]]\ntitle = \"x\"",
                "home entry `#1`: `stat` is missing",
            ),
            ("[[home]]\nstat = \"  \"", "`stat` is empty"),
            ("[[home]]\nstat = 3", "`stat`"),
            (
                "[[home]]\nstat = \"members\"\nstats = \"x\"",
                "unknown key `stats`",
            ),
            (
                "[[home]]\nstat = \"members\"\ntitel = \"x\"",
                "(did you mean `title`?)",
            ),
            (
                "stat = \"members\"",
                "unknown key `stat` at the top of the Home tab's file",
            ),
            ("[[home]\n", "not valid TOML"),
        ] {
            let got = problems(text);
            assert!(got.contains(says), "{text}\n{got}");
        }
        let many = "[[home]]\nstat = \"members\"\n".repeat(2);
        assert!(problems(&many).contains("declared twice"));
        let eleven: String = (1..=11)
            .map(|n| format!("[[home]]\nstat = \"signups {n}\"\n"))
            .collect();
        assert!(
            problems(&eleven).contains("at most 10"),
            "{}",
            problems(&eleven)
        );
    }
}
