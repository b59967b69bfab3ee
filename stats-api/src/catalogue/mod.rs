//! The catalogue of declared stats: read from one human-edited TOML file, checked once
//! (`toml_file`), and against the live database at start-up (`database::check_catalogue`).
//! Requests' parameter values are checked in `params`; what clients see of it is `listing`.

mod listing;
mod params;
mod toml_file;

use std::time::Duration;

pub use params::{DATE_MAX, DATE_MIN, Param, ParamKind, ParamValue, date_bounds, parse_plain_date};
pub use stats_contract::{Display, ResponseType};

use crate::error::Result;
use crate::named_params::PositionalSql;

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
}

impl Catalogue {
    /// Reads and checks a catalogue file's text; the error names the entry and its problem.
    pub fn parse(text: &str) -> Result<Catalogue> {
        toml_file::parse(text)
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
