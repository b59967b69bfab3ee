//! Declared parameters, and the values a request gives them: parsed, checked against their
//! bounds, defaults filled in.

use std::collections::HashSet;

use chrono::NaiveDate;
use stats_contract::params::{Refusal, Rule, check};

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

pub use stats_contract::params::{DATE_MAX, DATE_MIN, ParamValue, date_bounds};

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

    /// The rule a value must follow: the one check both services share.
    pub fn rule(&self) -> Rule<'_> {
        match &self.kind {
            ParamKind::Integer { min, max, .. } => Rule::Integer {
                min: *min,
                max: *max,
            },
            ParamKind::String {
                allowed,
                max_length,
                ..
            } => Rule::String {
                allowed,
                max_length: Some(*max_length),
            },
            ParamKind::Date { min, max, .. } => Rule::Date {
                min: *min,
                max: *max,
            },
            ParamKind::Boolean { .. } => Rule::Boolean,
        }
    }

    /// Parses a raw value; the error says what a valid one looks like.
    pub fn parse(&self, raw: &str) -> std::result::Result<ParamValue, String> {
        check(&self.rule(), raw).map_err(|refusal| match refusal {
            // The value read fine, so echoing it is safe and helps.
            Refusal::OutOfRange { .. } => {
                format!("{}; got {}", refusal.explain(&self.name), raw.trim())
            }
            _ => refusal.explain(&self.name),
        })
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
        assert!(
            d.parse("03/01/2024")
                .unwrap_err()
                .contains(stats_contract::params::DATE_WRITTEN)
        );
        assert_eq!(
            d.parse("2024-3-1").unwrap(),
            ParamValue::Date(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap())
        );
        assert!(
            d.parse("2019-12-31")
                .unwrap_err()
                .contains("from 2020-01-01 to 9999-12-31")
        );
        let b = p(ParamKind::Boolean { default: None });
        assert_eq!(b.parse("Yes").unwrap(), ParamValue::Boolean(true));
        assert!(b.parse("maybe").unwrap_err().contains("yes or no"));
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
            "24-1-5",
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
