//! One `[[stats.params]]` entry of the catalogue file: its keys, type, bounds and default,
//! checked so that every problem names the parameter (the entry is named by `toml_file`).

use settings_file::{Fields, Table, Value, a_type, did_you_mean};
use stats_contract::params::{DATE_WRITTEN, parse_date};

use super::{DATE_MAX, DATE_MIN, Param, ParamKind};

/// Default cap on a string parameter's length, when the entry sets none.
const DEFAULT_MAX_LENGTH: usize = 200;

const PARAM_KEYS: &[&str] = &[
    "name",
    "type",
    "description",
    "default",
    "min",
    "max",
    "allowed",
    "max_length",
];

const PARAM_TYPES: &str = "integer, string, date, boolean";

/// A mistake in a parameter: its key when there is one, and what is wrong.
pub(super) type ParamMistake = (Option<String>, String);

/// One `[[stats.params]]` entry: every mistake found in it.
pub(super) fn check_param(table: &Table) -> Result<Param, Vec<ParamMistake>> {
    let mut f = Fields::new(table, PARAM_KEYS);
    let name = f.required_string("name", "");
    let kind = f.required_string("type", &format!(": one of {PARAM_TYPES}"));
    let description = f.string("description").unwrap_or_default();
    let allowed = f.strings("allowed");
    let max_length = f.count("max_length");
    let (default, min, max) = (table.get("default"), table.get("min"), table.get("max"));
    let mut issues = f.take_mistakes();
    let key = |k: &str| Some(k.to_string());

    if let Some(name) = &name
        && !(name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        issues.push((
            key("name"),
            "the name must be letters, digits and `_`".into(),
        ));
    }
    let kind = kind.and_then(|kind| {
        let given = [
            ("min", min.is_some()),
            ("max", max.is_some()),
            ("allowed", table.contains_key("allowed")),
            ("max_length", table.contains_key("max_length")),
        ];
        let applies: &[&str] = match kind.as_str() {
            "integer" | "date" => &["min", "max"],
            "string" => &["allowed", "max_length"],
            _ => &[],
        };
        for (k, _) in given.iter().filter(|(k, set)| *set && !applies.contains(k)) {
            if ["integer", "string", "date", "boolean"].contains(&kind.as_str()) {
                issues.push((
                    key(k),
                    format!("`{k}` does not apply to a {kind} parameter"),
                ));
            }
        }
        match kind.as_str() {
            "integer" => {
                let mut int = |v: Option<&Value>, what: &str| match v {
                    None => None,
                    Some(Value::Integer(n)) => Some(*n),
                    Some(other) => {
                        issues.push((
                            key(what),
                            format!("`{what}` must be a whole number, not {}", a_type(other)),
                        ));
                        None
                    }
                };
                Some(ParamKind::Integer {
                    default: int(default, "default"),
                    min: int(min, "min"),
                    max: int(max, "max"),
                })
            }
            "string" => {
                let default = match default {
                    None => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(other) => {
                        issues.push((
                            key("default"),
                            format!("`default` must be a string, not {}", a_type(other)),
                        ));
                        None
                    }
                };
                Some(ParamKind::String {
                    default,
                    allowed: allowed.clone().unwrap_or_default(),
                    max_length: max_length.map_or(DEFAULT_MAX_LENGTH, |n| n as usize),
                })
            }
            "date" => {
                let mut date = |v: Option<&Value>, what: &str| {
                    let v = v?;
                    let text = match v {
                        Value::String(s) => s.clone(),
                        Value::Datetime(d) => d.to_string(),
                        _ => String::new(),
                    };
                    let parsed = parse_date(&text);
                    if parsed.is_none() {
                        issues.push((
                            key(what),
                            format!(
                                "`{what}` must be {DATE_WRITTEN}, \
                                 from {DATE_MIN} to {DATE_MAX} (the database's DATE range)"
                            ),
                        ));
                    }
                    parsed
                };
                Some(ParamKind::Date {
                    default: date(default, "default"),
                    min: date(min, "min"),
                    max: date(max, "max"),
                })
            }
            "boolean" => {
                let default = match default {
                    None => None,
                    Some(Value::Boolean(b)) => Some(*b),
                    Some(other) => {
                        issues.push((
                            key("default"),
                            format!("`default` must be true or false, not {}", a_type(other)),
                        ));
                        None
                    }
                };
                Some(ParamKind::Boolean { default })
            }
            other => {
                issues.push((
                    key("type"),
                    format!(
                        "type `{other}` is not one of: {PARAM_TYPES}{}",
                        did_you_mean(other, &["integer", "string", "date", "boolean"])
                    ),
                ));
                None
            }
        }
    });
    match (name, kind) {
        (Some(name), Some(kind)) if issues.is_empty() => {
            let param = Param {
                name,
                description: description.trim().to_string(),
                kind,
            };
            check_bounds(&param).map_err(|e| vec![(None, e)])?;
            Ok(param)
        }
        _ => Err(issues),
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
