//! The catalogue of declared stats: read from one human-edited TOML file, checked once here
//! (names, parameter types, defaults, placeholders), and against the live database at start-up
//! (see `database::check_catalogue`).

use std::collections::HashSet;
use std::time::Duration;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::named_params::{PositionalSql, to_positional};

/// The catalogue shipped with statsbot, used when `STATS_CATALOGUE` is not set.
pub const DEFAULT_CATALOGUE: &str = include_str!("../catalogue.toml");

/// Subcommand names the bot keeps for itself.
const RESERVED_NAMES: &[&str] = &["help"];

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    Figures,
    Ranked,
    Series,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    InChannel,
    Ephemeral,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub description: String,
    pub kind: ParamKind,
}

#[derive(Debug, Clone)]
pub enum ParamKind {
    Integer {
        default: Option<i64>,
        min: Option<i64>,
        max: Option<i64>,
    },
    String {
        default: Option<String>,
        allowed: Vec<String>,
        max_length: usize,
    },
    Date {
        default: Option<NaiveDate>,
        min: Option<NaiveDate>,
        max: Option<NaiveDate>,
    },
    Boolean {
        default: Option<bool>,
    },
}

/// A parameter's value, parsed and checked against its declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Integer(i64),
    String(String),
    Date(NaiveDate),
    Boolean(bool),
}

impl ParamValue {
    pub fn to_json(&self) -> Value {
        match self {
            ParamValue::Integer(n) => json!(n),
            ParamValue::String(s) => json!(s),
            ParamValue::Date(d) => json!(d.format("%Y-%m-%d").to_string()),
            ParamValue::Boolean(b) => json!(b),
        }
    }
}

impl std::fmt::Display for ParamValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamValue::Integer(n) => write!(f, "{n}"),
            ParamValue::String(s) => write!(f, "{s}"),
            ParamValue::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            ParamValue::Boolean(b) => write!(f, "{b}"),
        }
    }
}

/// Default cap on a string parameter's length, when the entry sets none.
const DEFAULT_MAX_LENGTH: usize = 200;

impl Catalogue {
    pub fn parse(text: &str) -> Result<Catalogue> {
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

    pub fn get(&self, name: &str) -> Option<&Stat> {
        self.stats.iter().find(|s| s.name == name)
    }

    /// `GET /v1/stats`: what each stat is and takes, never its SQL.
    pub fn to_json(&self) -> Value {
        json!({ "stats": self.stats.iter().map(Stat::to_json).collect::<Vec<_>>() })
    }
}

impl Stat {
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "display": self.display.as_str(),
            "response_type": self.response_type.as_str(),
            "cache_seconds": self.cache_ttl.as_secs(),
            "params": self.params.iter().map(Param::to_json).collect::<Vec<_>>(),
        })
    }

    /// Checks request parameters against the declaration: unknown, repeated, missing, mistyped
    /// or out-of-bounds values are refused; defaults fill the gaps. Declared order is kept.
    pub fn resolve_params(&self, given: &[(String, String)]) -> Result<Vec<(String, ParamValue)>> {
        let mut seen = HashSet::new();
        for (key, _) in given {
            if !self.params.iter().any(|p| &p.name == key) {
                let takes = if self.params.is_empty() {
                    "it takes no parameters".to_string()
                } else {
                    let names: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
                    format!("it takes: {}", names.join(", "))
                };
                return Err(bad(
                    key,
                    format!("`{}` has no parameter `{key}`; {takes}", self.name),
                ));
            }
            if !seen.insert(key) {
                return Err(bad(key, format!("`{key}` is given more than once")));
            }
        }
        self.params
            .iter()
            .map(|param| {
                let raw = given.iter().find(|(k, _)| k == &param.name).map(|(_, v)| v);
                let value = match raw {
                    Some(raw) => param.parse(raw).map_err(|m| bad(&param.name, m))?,
                    None => param
                        .default()
                        .ok_or_else(|| bad(&param.name, format!("`{}` is required", param.name)))?,
                };
                Ok((param.name.clone(), value))
            })
            .collect()
    }

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

fn bad(parameter: &str, message: String) -> Error {
    Error::BadParameter {
        parameter: parameter.to_string(),
        message,
    }
}

impl Display {
    pub fn as_str(self) -> &'static str {
        match self {
            Display::Figures => "figures",
            Display::Ranked => "ranked",
            Display::Series => "series",
        }
    }
}

impl ResponseType {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseType::InChannel => "in_channel",
            ResponseType::Ephemeral => "ephemeral",
        }
    }
}

impl Param {
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            ParamKind::Integer { .. } => "integer",
            ParamKind::String { .. } => "string",
            ParamKind::Date { .. } => "date",
            ParamKind::Boolean { .. } => "boolean",
        }
    }

    pub fn default(&self) -> Option<ParamValue> {
        match &self.kind {
            ParamKind::Integer { default, .. } => default.map(ParamValue::Integer),
            ParamKind::String { default, .. } => default.clone().map(ParamValue::String),
            ParamKind::Date { default, .. } => default.map(ParamValue::Date),
            ParamKind::Boolean { default } => default.map(ParamValue::Boolean),
        }
    }

    /// Parses a raw value; the error says what a valid one looks like.
    pub fn parse(&self, raw: &str) -> std::result::Result<ParamValue, String> {
        let name = &self.name;
        match &self.kind {
            ParamKind::Integer { min, max, .. } => {
                let n: i64 = raw.trim().parse().map_err(|_| {
                    format!("`{name}` must be a whole number{}", bounds_hint(min, max))
                })?;
                if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                    return Err(format!(
                        "`{name}` must be{}; got {n}",
                        bounds_hint(min, max)
                    ));
                }
                Ok(ParamValue::Integer(n))
            }
            ParamKind::String {
                allowed,
                max_length,
                ..
            } => {
                if !allowed.is_empty() && !allowed.iter().any(|a| a == raw) {
                    return Err(format!("`{name}` must be one of: {}", allowed.join(", ")));
                }
                if raw.chars().count() > *max_length {
                    return Err(format!("`{name}` must be at most {max_length} characters"));
                }
                Ok(ParamValue::String(raw.to_string()))
            }
            ParamKind::Date { min, max, .. } => {
                let d = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
                    .map_err(|_| format!("`{name}` must be a date like 2024-03-01"))?;
                if min.is_some_and(|m| d < m) || max.is_some_and(|m| d > m) {
                    return Err(format!(
                        "`{name}` must be{}; got {d}",
                        bounds_hint(min, max)
                    ));
                }
                Ok(ParamValue::Date(d))
            }
            ParamKind::Boolean { .. } => match raw.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "on" => Ok(ParamValue::Boolean(true)),
                "false" | "no" | "0" | "off" => Ok(ParamValue::Boolean(false)),
                _ => Err(format!("`{name}` must be true or false")),
            },
        }
    }

    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "name": self.name,
            "type": self.type_name(),
            "description": self.description,
        });
        if let Some(default) = self.default() {
            v["default"] = default.to_json();
        }
        match &self.kind {
            ParamKind::Integer { min, max, .. } => {
                if let Some(m) = min {
                    v["min"] = json!(m);
                }
                if let Some(m) = max {
                    v["max"] = json!(m);
                }
            }
            ParamKind::Date { min, max, .. } => {
                if let Some(m) = min {
                    v["min"] = json!(m.to_string());
                }
                if let Some(m) = max {
                    v["max"] = json!(m.to_string());
                }
            }
            ParamKind::String {
                allowed,
                max_length,
                ..
            } => {
                if !allowed.is_empty() {
                    v["allowed"] = json!(allowed);
                }
                v["max_length"] = json!(max_length);
            }
            ParamKind::Boolean { .. } => {}
        }
        v
    }
}

fn bounds_hint<T: std::fmt::Display>(min: &Option<T>, max: &Option<T>) -> String {
    match (min, max) {
        (Some(lo), Some(hi)) => format!(" from {lo} to {hi}"),
        (Some(lo), None) => format!(" of at least {lo}"),
        (None, Some(hi)) => format!(" of at most {hi}"),
        (None, None) => String::new(),
    }
}

// ---- the file's shape, before checking ----

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
                        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                            .map(Some)
                            .map_err(|_| format!("`{what}` must be a date like 2024-03-01"))
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
        param.check_bounds()?;
        Ok(param)
    }
}

impl Param {
    /// min ≤ max, and the default itself passes the checks a request's value would.
    fn check_bounds(&self) -> std::result::Result<(), String> {
        let inverted = match &self.kind {
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
        if let Some(default) = self.default() {
            self.parse(&default.to_string())
                .map_err(|e| format!("the default does not fit: {e}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(stat_toml: &str) -> Result<Catalogue> {
        Catalogue::parse(&format!("[[stats]]\n{stat_toml}"))
    }

    const SIGNUPS: &str = r#"
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

    fn problem(err: Error) -> String {
        match err {
            Error::Catalogue { stat, problem } => format!("{stat}: {problem}"),
            other => other.to_string(),
        }
    }

    #[test]
    fn the_shipped_catalogue_loads_with_its_three_stats() {
        let c = Catalogue::parse(DEFAULT_CATALOGUE).unwrap();
        for name in ["members", "signups", "mentors"] {
            assert!(c.get(name).is_some(), "missing {name}");
        }
    }

    #[test]
    fn defaults_fill_in_and_values_are_checked_against_bounds() {
        let c = one(SIGNUPS).unwrap();
        let stat = c.get("signups").unwrap();
        let values = stat.resolve_params(&[]).unwrap();
        assert_eq!(values, [("months".to_string(), ParamValue::Integer(12))]);

        let given = |v: &str| stat.resolve_params(&[("months".into(), v.into())]);
        assert_eq!(given("3").unwrap()[0].1, ParamValue::Integer(3));
        let err = given("0").unwrap_err().to_string();
        assert!(
            err.contains("from 1 to 120") && err.contains("got 0"),
            "{err}"
        );
        let err = given("lots").unwrap_err().to_string();
        assert!(err.contains("whole number"), "{err}");
    }

    #[test]
    fn unknown_and_repeated_parameters_are_named() {
        let c = one(SIGNUPS).unwrap();
        let stat = c.get("signups").unwrap();
        match stat.resolve_params(&[("month".into(), "3".into())]) {
            Err(Error::BadParameter { parameter, message }) => {
                assert_eq!(parameter, "month");
                assert!(message.contains("it takes: months"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let twice = [("months".into(), "3".into()), ("months".into(), "4".into())];
        assert!(
            stat.resolve_params(&twice)
                .unwrap_err()
                .to_string()
                .contains("more than once")
        );
    }

    #[test]
    fn string_date_and_boolean_parameters_explain_themselves() {
        let p = |kind| Param {
            name: "x".into(),
            description: String::new(),
            kind,
        };
        let s = p(ParamKind::String {
            default: None,
            allowed: vec!["week".into(), "month".into()],
            max_length: 10,
        });
        assert!(s.parse("year").unwrap_err().contains("one of: week, month"));
        assert_eq!(s.parse("week").unwrap(), ParamValue::String("week".into()));
        let d = p(ParamKind::Date {
            default: None,
            min: NaiveDate::from_ymd_opt(2020, 1, 1),
            max: None,
        });
        assert!(d.parse("03/01/2024").unwrap_err().contains("2024-03-01"));
        assert!(
            d.parse("2019-12-31")
                .unwrap_err()
                .contains("at least 2020-01-01")
        );
        let b = p(ParamKind::Boolean { default: None });
        assert_eq!(b.parse("Yes").unwrap(), ParamValue::Boolean(true));
        assert!(b.parse("maybe").unwrap_err().contains("true or false"));
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
    fn the_public_description_has_no_sql() {
        let c = one(SIGNUPS).unwrap();
        let text = c.to_json().to_string();
        assert!(!text.contains("SELECT"), "{text}");
        assert!(text.contains("\"max\":120"), "{text}");
    }
}
