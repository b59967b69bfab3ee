//! The catalogue file as people write it (TOML), and the checks that turn each entry into a
//! [`Stat`] or a message naming the entry and its problem.

use std::collections::HashSet;
use std::time::Duration;

use serde::Deserialize;

use super::{
    Catalogue, DATE_MAX, DATE_MIN, Display, Param, ParamKind, ResponseType, Stat, parse_plain_date,
};
use crate::error::{Error, Result};
use crate::named_params::to_positional;

/// Subcommand names the bot keeps for itself.
const RESERVED_NAMES: &[&str] = &["help"];

/// Default cap on a string parameter's length, when the entry sets none.
const DEFAULT_MAX_LENGTH: usize = 200;

pub(super) fn parse(text: &str) -> Result<Catalogue> {
    let raw: RawFile = toml::from_str(text)
        .map_err(|e| Error::CatalogueFile(format!("the catalogue is not valid: {e}")))?;
    if raw.stats.is_empty() {
        return Err(Error::CatalogueFile(
            "the catalogue declares no stats: add at least one [[stats]] entry".into(),
        ));
    }
    let mut seen = HashSet::new();
    let mut stats = Vec::with_capacity(raw.stats.len());
    for entry in raw.stats {
        let name = entry.name.clone();
        let stat = entry.check().map_err(|problem| Error::Catalogue {
            stat: name.clone(),
            problem,
        })?;
        if !seen.insert(stat.name.clone()) {
            return Err(Error::Catalogue {
                stat: name,
                problem: "declared twice".into(),
            });
        }
        stats.push(stat);
    }
    Ok(Catalogue { stats })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    stats: Vec<RawStat>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStat {
    name: String,
    title: String,
    description: String,
    display: String,
    response_type: Option<String>,
    #[serde(default)]
    cache_seconds: u64,
    max_rows: Option<usize>,
    sql: String,
    #[serde(default)]
    params: Vec<RawParam>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    description: String,
    default: Option<toml::Value>,
    min: Option<toml::Value>,
    max: Option<toml::Value>,
    #[serde(default)]
    allowed: Vec<String>,
    max_length: Option<usize>,
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl RawStat {
    fn check(self) -> std::result::Result<Stat, String> {
        if !valid_name(&self.name) {
            return Err("the name must be 1–32 lowercase letters, digits, `-` or `_`, starting with a letter".into());
        }
        if RESERVED_NAMES.contains(&self.name.as_str()) {
            return Err(format!("`{}` is reserved by the bot", self.name));
        }
        let title = self.title.trim().to_string();
        if title.is_empty() || title.chars().count() > 150 {
            return Err("the title must be 1–150 characters (Slack's header limit)".into());
        }
        if self.description.trim().is_empty() {
            return Err("the description is empty; people read it in `/stats help`".into());
        }
        let display = match self.display.as_str() {
            "figures" => Display::Figures,
            "ranked" => Display::Ranked,
            "series" => Display::Series,
            other => {
                return Err(format!(
                    "display `{other}` is not one of: figures, ranked, series"
                ));
            }
        };
        let response_type = match self.response_type.as_deref() {
            None | Some("in_channel") => ResponseType::InChannel,
            Some("ephemeral") => ResponseType::Ephemeral,
            Some(other) => {
                return Err(format!(
                    "response_type `{other}` is not one of: in_channel, ephemeral"
                ));
            }
        };
        if self.max_rows == Some(0) {
            return Err("max_rows must be at least 1".into());
        }
        let sql = to_positional(&self.sql).map_err(|e| format!("sql: {e}"))?;
        if sql.sql.trim().is_empty() {
            return Err("sql is empty".into());
        }
        let mut params = Vec::with_capacity(self.params.len());
        let mut seen = HashSet::new();
        for raw in self.params {
            let name = raw.name.clone();
            if !seen.insert(name.clone()) {
                return Err(format!("parameter `{name}` is declared twice"));
            }
            params.push(
                raw.check()
                    .map_err(|e| format!("parameter `{name}`: {e}"))?,
            );
        }
        for used in &sql.names {
            if !params.iter().any(|p| &p.name == used) {
                return Err(format!(
                    "the SQL uses `:{used}` but no parameter `{used}` is declared"
                ));
            }
        }
        if let Some(unused) = params.iter().find(|p| !sql.names.contains(&p.name)) {
            return Err(format!(
                "parameter `{}` is declared but the SQL never uses `:{}`",
                unused.name, unused.name
            ));
        }
        Ok(Stat {
            name: self.name,
            title,
            description: self.description.trim().to_string(),
            display,
            response_type,
            cache_ttl: Duration::from_secs(self.cache_seconds),
            max_rows: self.max_rows,
            sql,
            params,
        })
    }
}

impl RawParam {
    fn check(self) -> std::result::Result<Param, String> {
        if !self
            .name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            || !self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err("the name must be letters, digits and `_`".into());
        }
        let only = |allowed: &[&str]| -> std::result::Result<(), String> {
            let given = [
                ("min", self.min.is_some()),
                ("max", self.max.is_some()),
                ("allowed", !self.allowed.is_empty()),
                ("max_length", self.max_length.is_some()),
            ];
            match given.iter().find(|(k, set)| *set && !allowed.contains(k)) {
                Some((k, _)) => Err(format!("`{k}` does not apply to a {} parameter", self.kind)),
                None => Ok(()),
            }
        };
        let kind = match self.kind.as_str() {
            "integer" => {
                only(&["min", "max"])?;
                let int = |v: &Option<toml::Value>, what: &str| match v {
                    None => Ok(None),
                    Some(toml::Value::Integer(n)) => Ok(Some(*n)),
                    Some(_) => Err(format!("`{what}` must be a whole number")),
                };
                let (min, max) = (int(&self.min, "min")?, int(&self.max, "max")?);
                let default = int(&self.default, "default")?;
                ParamKind::Integer { default, min, max }
            }
            "string" => {
                only(&["allowed", "max_length"])?;
                let default = match &self.default {
                    None => None,
                    Some(toml::Value::String(s)) => Some(s.clone()),
                    Some(_) => return Err("`default` must be a string".into()),
                };
                ParamKind::String {
                    default,
                    allowed: self.allowed.clone(),
                    max_length: self.max_length.unwrap_or(DEFAULT_MAX_LENGTH),
                }
            }
            "date" => {
                only(&["min", "max"])?;
                let date = |v: &Option<toml::Value>, what: &str| match v {
                    None => Ok(None),
                    Some(v) => {
                        let text = match v {
                            toml::Value::String(s) => s.clone(),
                            toml::Value::Datetime(d) => d.to_string(),
                            _ => String::new(),
                        };
                        parse_plain_date(&text)
                            .filter(|d| (DATE_MIN..=DATE_MAX).contains(d))
                            .map(Some)
                            .ok_or_else(|| {
                                format!(
                                    "`{what}` must be a date like 2024-03-01, \
                                     from {DATE_MIN} to {DATE_MAX} (the database's DATE range)"
                                )
                            })
                    }
                };
                ParamKind::Date {
                    default: date(&self.default, "default")?,
                    min: date(&self.min, "min")?,
                    max: date(&self.max, "max")?,
                }
            }
            "boolean" => {
                only(&[])?;
                let default = match &self.default {
                    None => None,
                    Some(toml::Value::Boolean(b)) => Some(*b),
                    Some(_) => return Err("`default` must be true or false".into()),
                };
                ParamKind::Boolean { default }
            }
            other => {
                return Err(format!(
                    "type `{other}` is not one of: integer, string, date, boolean"
                ));
            }
        };
        let param = Param {
            name: self.name,
            description: self.description.trim().to_string(),
            kind,
        };
        check_bounds(&param)?;
        Ok(param)
    }
}

/// min ≤ max, and the default itself passes the checks a request's value would.
fn check_bounds(param: &Param) -> std::result::Result<(), String> {
    let inverted = match &param.kind {
        ParamKind::Integer {
            min: Some(lo),
            max: Some(hi),
            ..
        } => lo > hi,
        ParamKind::Date {
            min: Some(lo),
            max: Some(hi),
            ..
        } => lo > hi,
        ParamKind::String { allowed, .. } if allowed.iter().any(|a| a.is_empty()) => {
            return Err("`allowed` has an empty value".into());
        }
        _ => false,
    };
    if inverted {
        return Err("`min` is greater than `max`".into());
    }
    if let Some(default) = param.default() {
        param
            .parse(&default.to_string())
            .map_err(|e| format!("the default does not fit: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{SIGNUPS, one};
    use super::*;

    fn problem(err: Error) -> String {
        match err {
            Error::Catalogue { stat, problem } => format!("{stat}: {problem}"),
            other => other.to_string(),
        }
    }

    #[test]
    fn broken_entries_are_refused_with_the_entry_and_the_problem() {
        let cases = [
            (
                SIGNUPS.replace("\"signups\"", "\"Sign Ups\""),
                "Sign Ups: the name",
            ),
            (SIGNUPS.replace("\"series\"", "\"pie\""), "display `pie`"),
            (
                SIGNUPS.replace("default = 12", "default = 500"),
                "default does not fit",
            ),
            (
                SIGNUPS.replace("min = 1", "min = 200"),
                "greater than `max`",
            ),
            (SIGNUPS.replace("\"integer\"", "\"float\""), "type `float`"),
            (
                SIGNUPS.replace(":months", ":weeks"),
                "no parameter `weeks` is declared",
            ),
            (SIGNUPS.replace(":months", "1"), "never uses `:months`"),
            (
                SIGNUPS.replace("AS m", "AS m; DROP TABLE users"),
                "single statement",
            ),
            (SIGNUPS.replace("\"signups\"", "\"help\""), "reserved"),
            (
                SIGNUPS.replace("AS m", "AS m FOR UPDATE"),
                "`FOR UPDATE` locks rows",
            ),
        ];
        for (text, expected) in cases {
            let err = problem(one(&text).unwrap_err());
            assert!(err.contains(expected), "expected {expected:?} in {err:?}");
        }
    }

    #[test]
    fn unknown_keys_and_duplicates_are_refused() {
        let err = one(&format!("{SIGNUPS}\ncolour = \"red\""))
            .unwrap_err()
            .to_string();
        assert!(err.contains("colour"), "{err}");
        let twice = format!("[[stats]]\n{SIGNUPS}\n[[stats]]\n{SIGNUPS}");
        assert!(problem(Catalogue::parse(&twice).unwrap_err()).contains("declared twice"));
    }

    #[test]
    fn declared_dates_must_fit_the_database() {
        let date = |extra: &str| {
            one(&format!(
                "name = \"d\"\ntitle = \"D\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT :day AS day\"\n[[stats.params]]\nname = \"day\"\ntype = \"date\"\n{extra}"
            ))
        };
        assert!(date("min = 2020-01-01\nmax = \"9999-12-31\"").is_ok());
        for extra in [
            "min = 0999-12-31",
            "max = \"10000-01-01\"",
            "default = \"+2024-01-01\"",
            "default = \"0100-01-01\"",
        ] {
            let err = problem(date(extra).unwrap_err());
            assert!(
                err.contains("from 1000-01-01 to 9999-12-31"),
                "{extra}: {err}"
            );
        }
    }
}
