//! One command per stat in the stats API's catalogue, rendered by its display kind.

use serde_json::Value;

use super::{Command, Plan};
use crate::error::{Error, Result};
use crate::explanation::ArgIssue;
use crate::render::{self, Context};
use crate::slack::blocks;
use crate::slack::message::Message;
use crate::slack::slash_command::Args;
use stats_contract::params::{self, Refusal};
use stats_contract::{Display, ParamInfo, ResponseType, StatInfo, StatResult};

/// User input echoed back in an explanation is kept short.
const MAX_ECHO: usize = 40;

pub struct StatCommand {
    name: String,
    info: StatInfo,
}

impl StatCommand {
    pub fn new(info: StatInfo) -> Self {
        StatCommand {
            name: info.name.to_lowercase(),
            info,
        }
    }
}

impl Command for StatCommand {
    fn name(&self) -> &str {
        &self.name
    }

    fn description(&self) -> &str {
        if self.info.description.is_empty() {
            &self.info.title
        } else {
            &self.info.description
        }
    }

    /// `signups [months=12]`: required parameters in `<>`, optional ones with their default.
    fn usage(&self) -> String {
        let mut usage = self.name.clone();
        for param in &self.info.params {
            match &param.default {
                None => usage.push_str(&format!(" <{}>", param.name)),
                Some(default) => usage.push_str(&format!(" [{}={}]", param.name, plain(default))),
            }
        }
        usage
    }

    fn plan(&self, args: &Args) -> Result<Plan, ArgIssue> {
        Ok(Plan::Fetch {
            stat: self.info.name.clone(),
            params: bind_args(&self.info.params, args)?,
        })
    }

    fn render(&self, _ctx: &Context<'_>, data: Option<&StatResult>) -> Result<Message> {
        let data = data.ok_or_else(|| Error::Rendering("a stat rendered without data".into()))?;
        let title = &self.info.title;
        let response_type = self.info.response_type;
        match data.display.unwrap_or(self.info.display) {
            Display::Figures => render::figures(title, response_type, data),
            Display::Ranked => render::ranked(title, response_type, data),
            Display::Series => render::series(title, response_type, data),
        }
    }

    fn response_type(&self) -> ResponseType {
        self.info.response_type
    }

    fn display(&self) -> Option<Display> {
        Some(self.info.display)
    }

    fn cache_seconds(&self) -> Option<u64> {
        self.info.cache_seconds
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Matches arguments to the declared parameters (positional ones in declared order) and checks
/// each against its type. Returns query parameters in declared order; defaults are left to the
/// stats API.
pub fn bind_args(params: &[ParamInfo], args: &Args) -> Result<Vec<(String, String)>, ArgIssue> {
    if args.positional.len() > params.len() {
        return Err(ArgIssue::TooMany { max: params.len() });
    }
    let mut given: Vec<Option<&str>> = vec![None; params.len()];
    for (slot, value) in given.iter_mut().zip(&args.positional) {
        *slot = Some(value);
    }
    for (key, value) in &args.named {
        let Some(index) = params.iter().position(|p| p.name.eq_ignore_ascii_case(key)) else {
            return Err(ArgIssue::Unknown {
                name: blocks::clip(key, MAX_ECHO).into_owned(),
                known: params
                    .iter()
                    .map(|p| format!("`{}`", p.name))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        if given[index].replace(value).is_some() {
            return Err(ArgIssue::Duplicate {
                name: params[index].name.clone(),
            });
        }
    }
    let mut bound = Vec::new();
    for (param, value) in params.iter().zip(given) {
        match value {
            Some(value) => bound.push((param.name.clone(), check(param, value)?)),
            None if param.required() => {
                return Err(ArgIssue::Missing {
                    name: param.name.clone(),
                });
            }
            None => {}
        }
    }
    Ok(bound)
}

/// The value as the stats API expects it, or why it does not fit: the stats API's own check
/// (`stats_contract::params`), so both read `2024-1-5` alike and refuse the same values.
fn check(param: &ParamInfo, value: &str) -> Result<String, ArgIssue> {
    let Some(rule) = param.rule() else {
        return Ok(value.to_string());
    };
    let checked = params::check(&rule, value);
    let name = param.name.clone();
    let value = blocks::clip(value, MAX_ECHO).into_owned();
    match checked {
        Ok(checked) => Ok(checked.to_string()),
        Err(refusal) => Err(match refusal {
            Refusal::NotInteger { .. } => ArgIssue::NotInteger { name, value },
            Refusal::OutOfRange { min, max } => ArgIssue::OutOfRange {
                name,
                value,
                min,
                max,
            },
            Refusal::NotAllowed { allowed } => ArgIssue::NotAllowed {
                name,
                value,
                allowed: allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            },
            Refusal::TooLong { max_length } => ArgIssue::TooLong { name, max_length },
            Refusal::NotDate { .. } => ArgIssue::NotDate { name, value },
            Refusal::NotBoolean => ArgIssue::NotBoolean { name, value },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slack::slash_command::parse_text;
    use serde_json::json;

    fn params() -> Vec<ParamInfo> {
        serde_json::from_value(json!([
            { "name": "months", "type": "integer", "default": 12, "min": 1, "max": 120 },
            { "name": "kind", "type": "string", "allowed": ["all", "mentors"], "default": "all" },
            { "name": "since", "type": "date", "min": "2000-01-01" },
            { "name": "active", "type": "boolean", "default": false }
        ]))
        .unwrap()
    }

    fn bind(text: &str) -> Result<Vec<(String, String)>, ArgIssue> {
        bind_args(&params(), &parse_text(text).args)
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn positional_then_named_in_declared_order() {
        assert_eq!(
            bind("x 6 since=2024-01-31 KIND=Mentors active=yes").unwrap(),
            pairs(&[
                ("months", "6"),
                ("kind", "mentors"),
                ("since", "2024-01-31"),
                ("active", "true")
            ])
        );
    }

    #[test]
    fn each_type_explains_what_it_wants() {
        assert!(matches!(
            bind("x abc since=2024-01-01"),
            Err(ArgIssue::NotInteger { .. })
        ));
        assert_eq!(
            bind("x 500 since=2024-01-01"),
            Err(ArgIssue::OutOfRange {
                name: "months".into(),
                value: "500".into(),
                min: Some("1".into()),
                max: Some("120".into()),
            })
        );
        assert!(matches!(
            bind("x kind=robots since=2024-01-01"),
            Err(ArgIssue::NotAllowed { .. })
        ));
        assert!(matches!(
            bind("x since=31/01/2024"),
            Err(ArgIssue::NotDate { .. })
        ));
        assert!(matches!(
            bind("x since=1999-12-31"),
            Err(ArgIssue::OutOfRange { .. })
        ));
        assert!(matches!(
            bind("x since=2024-01-01 active=maybe"),
            Err(ArgIssue::NotBoolean { .. })
        ));
    }

    /// The stats API's reading: `2024-1-5` is 5 January 2024, `24-1-5` no date at all.
    #[test]
    fn dates_read_as_the_stats_api_reads_them() {
        assert_eq!(
            bind("x since=2024-1-5").unwrap(),
            pairs(&[("since", "2024-01-05")])
        );
        assert_eq!(
            bind("x since=24-1-5"),
            Err(ArgIssue::NotDate {
                name: "since".into(),
                value: "24-1-5".into()
            })
        );
        assert!(matches!(
            bind("x since=2024-02-30"),
            Err(ArgIssue::NotDate { .. })
        ));
    }

    #[test]
    fn required_unknown_duplicate_and_extra_arguments() {
        assert_eq!(
            bind("x"),
            Err(ArgIssue::Missing {
                name: "since".into()
            })
        );
        assert!(matches!(
            bind("x colour=red"),
            Err(ArgIssue::Unknown { .. })
        ));
        assert_eq!(
            bind("x 6 months=7"),
            Err(ArgIssue::Duplicate {
                name: "months".into()
            })
        );
        assert_eq!(
            bind("x 1 all 2024-01-01 no extra"),
            Err(ArgIssue::TooMany { max: 4 })
        );
    }
}
