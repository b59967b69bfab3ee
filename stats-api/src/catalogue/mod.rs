//! The catalogue of declared stats: read from one human-edited TOML file, checked without a
//! database (`toml_file` → `toml_entry` → `toml_param`, [`check_text`]) and against the live one
//! (`database::check_catalogue`), every [`Mistake`] collected and named by entry (and
//! parameter) with the settings-file checker the bot's files use too. Requests' parameter
//! values are checked in `params`; what clients see of it is `listing`.

mod listing;
mod params;
mod toml_entry;
mod toml_file;
mod toml_param;

use std::time::Duration;

pub use params::{DATE_MAX, DATE_MIN, Param, ParamKind, ParamValue, date_bounds};
pub use settings_file::Mistake;
pub use stats_contract::{Display, ResponseType};

use crate::error::{Error, Result};
use crate::named_params::PositionalSql;

/// The catalogue as a settings file: `[[stats]]` entries, at least one; its mistakes say
/// "catalogue entry `signups`: …".
pub const CATALOGUE: settings_file::Entries = settings_file::Entries {
    array: "stats",
    entry: "catalogue entry",
    file: "the catalogue",
    at_least_one: true,
};

/// Several mistakes as one message: the mistake itself, or a count and one a line.
pub fn describe_mistakes(mistakes: &[Mistake]) -> String {
    settings_file::describe(mistakes, CATALOGUE.file)
}

/// The catalogue shipped with statsbot, used when `STATS_CATALOGUE` is not set.
pub const DEFAULT_CATALOGUE: &str = include_str!("../../catalogue.toml");

#[derive(Debug, Clone)]
pub struct Catalogue {
    pub stats: Vec<Stat>,
}

#[derive(Debug, Clone)]
pub struct Stat {
    pub name: String,
    pub title: String,
    pub description: String,
    pub display: Display,
    pub response_type: ResponseType,
    pub cache_ttl: Duration,
    pub max_rows: Option<usize>,
    pub sql: PositionalSql,
    pub params: Vec<Param>,
    /// Phrasings an admin adds so that `/v1/ask` finds the stat (optional key `examples`).
    pub examples: Vec<String>,
}

/// Checks a catalogue file's text without a database: every mistake in it, each naming the
/// entry (and parameter). `cargo run -- catalogue check`, start-up and reloads all use it.
pub fn check_text(text: &str) -> std::result::Result<Catalogue, Vec<Mistake>> {
    toml_file::check(text)
}

/// Like [`check_text`], but also gives the entries that hold when others do not, so that a
/// check before a deploy can try those on the database too and report everything at once.
pub fn check_each(text: &str) -> (Catalogue, Vec<Mistake>) {
    let (stats, problems) = toml_file::check_each(text);
    (Catalogue { stats }, problems)
}

impl Catalogue {
    /// [`check_text`], its problems as one error.
    pub fn parse(text: &str) -> Result<Catalogue> {
        check_text(text).map_err(Error::Catalogue)
    }

    pub fn get(&self, name: &str) -> Option<&Stat> {
        self.stats.iter().find(|s| s.name == name)
    }
}

impl Stat {
    /// The values to bind, in placeholder order.
    pub fn bind_order<'a>(&self, values: &'a [(String, ParamValue)]) -> Vec<&'a ParamValue> {
        self.sql
            .names
            .iter()
            .map(|name| {
                &values
                    .iter()
                    .find(|(n, _)| n == name)
                    .expect("placeholders are checked against params at load")
                    .1
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One entry with one bounded parameter, for the tests of each part.
    pub(super) const SIGNUPS: &str = r#"
name = "signups"
title = "Signups"
description = "New members per month"
display = "series"
sql = "SELECT :months AS m"
[[stats.params]]
name = "months"
type = "integer"
default = 12
min = 1
max = 120
"#;

    pub(super) fn one(stat_toml: &str) -> Result<Catalogue> {
        Catalogue::parse(&format!("[[stats]]\n{stat_toml}"))
    }

    #[test]
    fn the_shipped_catalogue_loads_with_its_three_stats() {
        let c = Catalogue::parse(DEFAULT_CATALOGUE).unwrap();
        for name in ["members", "signups", "mentors"] {
            assert!(c.get(name).is_some(), "missing {name}");
        }
    }
}
