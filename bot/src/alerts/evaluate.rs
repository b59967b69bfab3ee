//! A rule checked against one answer of its stat: which numbers a condition can name, and
//! whether it holds, with the condition in words. Pure.
//!
//! Names a condition can use: a figures stat's columns (its one row); a ranked stat's columns
//! (its first row, the top) and `rows` (the row count); a series stat's columns (its last row,
//! the newest), `rows`, and `last` and `previous` (the last two values of its value column, the
//! last one). A column of the stat's own shadows those.

use std::cmp::Ordering;
use std::fmt;

use stats_contract::{Display, StatResult};

use super::condition::{Comparison, Milestone, Op, Right, Rule};
use super::machine::{Observation, Reading};
use super::number::{Num, readable};

/// Why an answer could not be checked: the alert goes to `error`, and the log says this once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    NoRow,
    NoColumn { name: String, known: Vec<String> },
    NotANumber { name: String, value: String },
    TooFewRows { name: String, rows: usize },
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::NoRow => f.write_str("the stat answered no row"),
            Unreadable::NoColumn { name, known } => {
                write!(f, "the stat has no column `{name}`")?;
                let close = known
                    .iter()
                    .map(|k| (strsim::jaro_winkler(name, k), k))
                    .filter(|(score, _)| *score > 0.8)
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((_, k)) = close {
                    write!(f, " (did you mean `{k}`?)")?;
                }
                write!(f, "; it has {}", known.join(", "))
            }
            Unreadable::NotANumber { name, value } => {
                write!(f, "`{name}` is not a number here: {value}")
            }
            Unreadable::TooFewRows { name, rows } => {
                write!(
                    f,
                    "`{name}` needs at least 2 rows; the stat answered {rows}"
                )
            }
        }
    }
}

/// A named number in a stat's answer; see the module's comment for which names exist.
pub fn lookup(result: &StatResult, display: Display, name: &str) -> Result<Num, Unreadable> {
    let row = match display {
        Display::Figures | Display::Ranked => 0,
        Display::Series => result.rows.len().saturating_sub(1),
    };
    if result.columns.iter().any(|c| c.name == name) {
        if result.rows.is_empty() {
            return Err(Unreadable::NoRow);
        }
        return number(result, row, name);
    }
    let value_column = result.columns.last().map(|c| c.name.as_str()).unwrap_or("");
    let rows = result.rows.len();
    match (display, name) {
        (Display::Ranked | Display::Series, "rows") => Ok(Num::int(rows as i64)),
        (Display::Series, "last" | "previous") => {
            let back = if name == "last" { 1 } else { 2 };
            if rows < back {
                return Err(Unreadable::TooFewRows {
                    name: name.into(),
                    rows,
                });
            }
            number(result, rows - back, value_column)
        }
        _ => {
            let mut known: Vec<String> = result.columns.iter().map(|c| c.name.clone()).collect();
            if display != Display::Figures {
                known.push("rows".into());
            }
            if display == Display::Series {
                known.extend(["last".into(), "previous".into()]);
            }
            Err(Unreadable::NoColumn {
                name: name.into(),
                known,
            })
        }
    }
}

fn number(result: &StatResult, row: usize, name: &str) -> Result<Num, Unreadable> {
    let value = result.value(row, name);
    Num::from_json(value).ok_or_else(|| Unreadable::NotANumber {
        name: name.into(),
        value: if value.is_null() {
            "empty".into()
        } else {
            value.to_string()
        },
    })
}

/// A comparison checked against one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub holds: bool,
    /// The left-hand column's value.
    pub value: Num,
    /// "`recent` is 70, below 80% of `previous` (100)": plain text, not yet escaped.
    pub words: String,
}

impl Comparison {
    pub fn evaluate(
        &self,
        result: &StatResult,
        display: Display,
    ) -> Result<Evaluation, Unreadable> {
        let value = lookup(result, display, &self.column)?;
        let (threshold, against) = match &self.right {
            Right::Number(n) => (*n, readable(*n)),
            Right::Column { name, percent } => {
                let other = lookup(result, display, name)?;
                match percent {
                    None => (other, format!("`{name}` ({})", readable(other))),
                    Some(p) => {
                        let share = Num::int(100).plus(*p);
                        (
                            other.times(share.percent()),
                            format!("{}% of `{name}` ({})", readable(share), readable(other)),
                        )
                    }
                }
            }
        };
        // Incomparable only when a float is NaN, which `Num::parse` never makes.
        let ordering = value.partial_cmp(&threshold).unwrap_or(Ordering::Equal);
        let holds = self.op.holds(ordering);
        let percent = matches!(
            self.right,
            Right::Column {
                percent: Some(_),
                ..
            }
        );
        // Holding, it reads as the condition; not holding, as the actual relation.
        let relation = match (holds, percent) {
            (true, false) => self.op.symbol(),
            (true, true) => self.op.words(),
            (false, false) => Op::actual(ordering).symbol(),
            (false, true) => Op::actual(ordering).words(),
        };
        Ok(Evaluation {
            holds,
            value,
            words: format!(
                "`{}` is {}, {relation} {against}",
                self.column,
                readable(value)
            ),
        })
    }
}

impl Milestone {
    /// The column's value now.
    pub fn evaluate(&self, result: &StatResult, display: Display) -> Result<Num, Unreadable> {
        lookup(result, display, &self.column)
    }
}

/// What one check of `rule` saw in the stat's answer. (A stat that did not answer at all is
/// the caller's `Observation::Failed`, with the reason a user would have been told.)
pub fn observe(rule: &Rule, result: &StatResult, display: Display) -> Observation {
    let failed = |why: Unreadable| Observation::Failed {
        why: why.to_string(),
    };
    match rule {
        Rule::When(comparison) => match comparison.evaluate(result, display) {
            Ok(e) => Observation::Condition {
                holds: e.holds,
                reading: Reading {
                    value: e.value.to_string(),
                    words: e.words,
                },
            },
            Err(why) => failed(why),
        },
        Rule::Milestone(milestone) => match milestone.evaluate(result, display) {
            Ok(value) => Observation::Milestone {
                value,
                every: milestone.every,
            },
            Err(why) => failed(why),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(display: &str, columns: &[(&str, &str)], rows: serde_json::Value) -> StatResult {
        serde_json::from_value(json!({
            "name": "s", "title": "S", "display": display,
            "columns": columns.iter().map(|(n, t)| json!({"name": n, "type": t})).collect::<Vec<_>>(),
            "rows": rows,
        }))
        .unwrap()
    }

    fn growth(recent: i64, previous: i64) -> StatResult {
        answer(
            "figures",
            &[
                ("period", "string"),
                ("recent", "integer"),
                ("previous", "integer"),
            ],
            json!([{"period": "last 7 days", "recent": recent, "previous": previous}]),
        )
    }

    fn check(when: &str, result: &StatResult) -> Evaluation {
        let display = result.display.unwrap();
        Comparison::parse(when)
            .unwrap()
            .evaluate(result, display)
            .unwrap()
    }

    #[test]
    fn a_percent_threshold_holds_exactly_past_its_boundary() {
        let rule = "recent < previous - 20%";
        assert!(
            !check(rule, &growth(80, 100)).holds,
            "80 is 80% of 100: not below"
        );
        assert!(check(rule, &growth(79, 100)).holds);
        // Where floats go wrong: 0.8 × 35 is 27.999999999999996 in f64.
        assert!(!check(rule, &growth(28, 35)).holds);
        assert!(check(rule, &growth(27, 35)).holds);
        assert!(check("recent <= previous - 20%", &growth(28, 35)).holds);
        assert!(!check("recent > previous + 10%", &growth(110, 100)).holds);
        assert!(check("recent > previous + 10%", &growth(111, 100)).holds);
    }

    #[test]
    fn the_condition_reads_pleasantly_with_its_values() {
        let members = answer(
            "figures",
            &[("total", "integer"), ("newest_name", "string")],
            json!([{"total": 1038, "newest_name": "Ada"}]),
        );
        let e = check("total >= 1000", &members);
        assert!(e.holds);
        assert_eq!(e.words, "`total` is 1,038, ≥ 1,000");
        assert_eq!(
            check("total < 1000", &members).words,
            "`total` is 1,038, > 1,000"
        );
        assert_eq!(
            check("total != 1038", &members).words,
            "`total` is 1,038, = 1,038"
        );
        assert_eq!(
            check("recent < previous - 20%", &growth(70, 100)).words,
            "`recent` is 70, below 80% of `previous` (100)"
        );
        assert_eq!(
            check("recent < previous - 20%", &growth(80, 100)).words,
            "`recent` is 80, exactly 80% of `previous` (100)"
        );
        assert_eq!(
            check("recent < previous", &growth(7, 9)).words,
            "`recent` is 7, < `previous` (9)"
        );
    }

    #[test]
    fn decimal_strings_count_as_numbers() {
        let sums = answer(
            "figures",
            &[("amount", "number")],
            json!([{"amount": "1234.50"}]),
        );
        assert!(check("amount > 1234.4", &sums).holds);
        assert!(!check("amount > 1234.5", &sums).holds);
        assert_eq!(check("amount == 1234.5", &sums).value.to_string(), "1234.5");
    }

    #[test]
    fn ranked_and_series_stats_offer_rows_last_and_previous() {
        let mentors = answer(
            "ranked",
            &[("mentor", "string"), ("invited", "integer")],
            json!([{"mentor": "Ada", "invited": 17}, {"mentor": "Bo", "invited": 3}]),
        );
        assert_eq!(check("rows >= 2", &mentors).words, "`rows` is 2, ≥ 2");
        assert_eq!(
            check("invited > 10", &mentors).value,
            Num::int(17),
            "the top row"
        );
        let signups = answer(
            "series",
            &[("month", "string"), ("signups", "integer")],
            json!([
                {"month": "2026-09", "signups": 50},
                {"month": "2026-10", "signups": 40},
                {"month": "2026-11", "signups": 31}
            ]),
        );
        assert!(check("last < previous - 20%", &signups).holds, "31 < 32");
        assert_eq!(check("rows == 3", &signups).value, Num::int(3));
        assert_eq!(
            check("signups > 0", &signups).value,
            Num::int(31),
            "the newest row"
        );
        let one = answer(
            "series",
            &[("month", "string"), ("signups", "integer")],
            json!([{"month": "2026-11", "signups": 31}]),
        );
        let err = Comparison::parse("last < previous")
            .unwrap()
            .evaluate(&one, Display::Series)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`previous` needs at least 2 rows; the stat answered 1"
        );
    }

    #[test]
    fn a_missing_or_unreadable_column_is_named() {
        let members = answer(
            "figures",
            &[
                ("total", "integer"),
                ("newest_name", "string"),
                ("gone", "integer"),
            ],
            json!([{"total": 10, "newest_name": "Ada", "gone": null}]),
        );
        let err = |when: &str| {
            Comparison::parse(when)
                .unwrap()
                .evaluate(&members, Display::Figures)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("totl > 1"),
            "the stat has no column `totl` (did you mean `total`?); it has total, newest_name, gone"
        );
        assert!(
            err("rows > 1").starts_with("the stat has no column `rows`"),
            "figures have no rows"
        );
        assert_eq!(
            err("newest_name > 1"),
            "`newest_name` is not a number here: \"Ada\""
        );
        assert_eq!(err("total > gone"), "`gone` is not a number here: empty");
        let empty = answer("figures", &[("total", "integer")], json!([]));
        let got = Milestone::parse("total every 10")
            .unwrap()
            .evaluate(&empty, Display::Figures)
            .unwrap_err();
        assert_eq!(got, Unreadable::NoRow);
    }

    #[test]
    fn an_alert_from_its_file_through_checks_to_actions() {
        use crate::alerts::file::parse;
        use crate::alerts::machine::{Action, AlertState, MessageRef, step};
        let alert = parse(
            "[[alerts]]\nname = \"quiet\"\nchannel = \"C0123456789\"\nstat = \"growth 7\"\n\
             schedule = \"* * * * *\"\nwhen = \"recent < previous - 20%\"",
        )
        .unwrap()
        .remove(0);
        let now = chrono::Utc::now();
        let mut state = AlertState::default();
        let mut actions = Vec::new();
        for (recent, previous) in [(80, 100), (79, 100), (60, 100), (80, 100)] {
            let seen = observe(&alert.rule, &growth(recent, previous), Display::Figures);
            let (next, action) = step(&state, seen, now, alert.hold);
            // The runner records where the message went; until it does, the post is retried.
            state = match action {
                Action::Post => next.posted(MessageRef {
                    channel: alert.channel.clone(),
                    ts: "1773043200.000100".into(),
                }),
                _ => next,
            };
            actions.push(action);
        }
        assert_eq!(
            actions,
            [
                Action::Nothing,
                Action::Post,
                Action::Update,
                Action::Resolve { reply: true }
            ]
        );
        let gone = answer("figures", &[("total", "integer")], json!([{"total": 1}]));
        let seen = observe(&alert.rule, &gone, Display::Figures);
        assert!(matches!(
            step(&state, seen, now, alert.hold).1,
            Action::LogError { why } if why.starts_with("the stat has no column `recent`")
        ));
    }
}
