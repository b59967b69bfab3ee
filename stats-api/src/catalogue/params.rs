//! Declared parameters, and the values a request gives them: parsed, checked against their
//! bounds, defaults filled in.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::Stat;
use crate::error::{Error, Result};

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

/// The range of MySQL's and MariaDB's DATE type. Date parameters are held to it, declared bounds
/// or not: outside it the server refuses the value (a 500) or compares it wrongly.
pub const DATE_MIN: NaiveDate = NaiveDate::from_ymd_opt(1000, 1, 1).unwrap();
pub const DATE_MAX: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();

/// A date parameter's bounds as enforced: the declared ones, else the database's.
pub fn date_bounds(min: Option<NaiveDate>, max: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
    (min.unwrap_or(DATE_MIN), max.unwrap_or(DATE_MAX))
}

/// Only `YYYY-MM-DD` with a 4-digit year: chrono alone would also take `+10000-01-01`,
/// `-0001-01-01` or `2024-1-5`.
pub fn parse_plain_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    shape
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
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

impl Stat {
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
}

fn bad(parameter: &str, message: String) -> Error {
    Error::BadParameter {
        parameter: parameter.to_string(),
        message,
    }
}

impl Param {
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
                let n: i64 = raw
                    .trim()
                    .parse()
                    .map_err(|_| match bounds_hint(min, max) {
                        Some(hint) => format!("`{name}` must be a whole number, {hint}"),
                        None => format!("`{name}` must be a whole number"),
                    })?;
                if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                    let hint = bounds_hint(min, max).unwrap_or_default();
                    return Err(format!("`{name}` must be {hint}; got {n}"));
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
                let (lo, hi) = date_bounds(*min, *max);
                let d = parse_plain_date(raw.trim()).ok_or_else(|| {
                    format!(
                        "`{name}` must be a date like 2024-03-01 (YYYY-MM-DD), from {lo} to {hi}"
                    )
                })?;
                if d < lo || d > hi {
                    return Err(format!("`{name}` must be from {lo} to {hi}; got {d}"));
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
}

/// "from 1 to 5", "at least 1", "at most 5": what follows "must be".
fn bounds_hint<T: std::fmt::Display>(min: &Option<T>, max: &Option<T>) -> Option<String> {
    match (min, max) {
        (Some(lo), Some(hi)) => Some(format!("from {lo} to {hi}")),
        (Some(lo), None) => Some(format!("at least {lo}")),
        (None, Some(hi)) => Some(format!("at most {hi}")),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{SIGNUPS, one};
    use super::*;

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
                .contains("from 2020-01-01 to 9999-12-31")
        );
        let b = p(ParamKind::Boolean { default: None });
        assert_eq!(b.parse("Yes").unwrap(), ParamValue::Boolean(true));
        assert!(b.parse("maybe").unwrap_err().contains("true or false"));
    }

    #[test]
    fn bounds_read_as_english() {
        let int = |min, max| Param {
            name: "n".into(),
            description: String::new(),
            kind: ParamKind::Integer {
                default: None,
                min,
                max,
            },
        };
        assert_eq!(
            int(Some(1), None).parse("0").unwrap_err(),
            "`n` must be at least 1; got 0"
        );
        assert_eq!(
            int(None, Some(5)).parse("6").unwrap_err(),
            "`n` must be at most 5; got 6"
        );
        assert_eq!(
            int(Some(1), Some(5)).parse("9").unwrap_err(),
            "`n` must be from 1 to 5; got 9"
        );
        assert_eq!(
            int(Some(1), None).parse("one").unwrap_err(),
            "`n` must be a whole number, at least 1"
        );
    }

    #[test]
    fn dates_are_plain_and_within_the_database_range_bounds_or_not() {
        let d = Param {
            name: "since".into(),
            description: String::new(),
            kind: ParamKind::Date {
                default: None,
                min: None,
                max: None,
            },
        };
        for odd in [
            "-0001-01-01",
            "+10000-01-01",
            "10000-01-01",
            "0999-12-31",
            "+2024-01-01",
            "2024-1-5",
            "2024-02-30",
        ] {
            let err = d.parse(odd).unwrap_err();
            assert!(
                err.contains("from 1000-01-01 to 9999-12-31"),
                "{odd}: {err}"
            );
        }
        assert_eq!(
            d.parse("9999-12-31").unwrap(),
            ParamValue::Date(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap())
        );
        assert!(d.parse("1000-01-01").is_ok());
    }
}
