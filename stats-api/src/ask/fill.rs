//! Parameters from the words: a period into a date parameter (by its role, start or end) or an
//! integer one (by its unit), "top 5" into a count, allowed values and booleans by their words.
//! Every value goes through the parameter's own check (`Param::parse`): a value outside its
//! bounds is not clamped — the parameter is left unfixed and the reading says why.

use chrono::NaiveDate;

use super::calendar::{Unit, length_in};
use super::periods::Reading;
use super::words::{Word, stem, words};
use crate::catalogue::{Param, ParamKind};

/// What a parameter is for, read once from its name and description when the index is built.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    /// An integer counted in a unit: "days", "How many months to show".
    Length(Unit),
    /// An integer that says how many rows: `limit`, `top`, "How many mentors to list".
    Count,
    /// A date that starts a period (`since`, `from`, …) or ends one (`until`, `to`, …).
    Start,
    End,
    /// A string with allowed values: each value's stem.
    Choice(Vec<String>),
    /// A boolean: its name's words.
    Flag(Vec<String>),
    Other,
}

const START_WORDS: &[&str] = &[
    "since", "from", "start", "after", "begin", "earliest", "first",
];
const END_WORDS: &[&str] = &[
    "until", "to", "end", "before", "through", "latest", "till", "last",
];
const COUNT_WORDS: &[&str] = &[
    "limit", "top", "n", "count", "size", "row", "list", "rank", "show",
];

pub fn role(param: &Param) -> Role {
    let name_words: Vec<String> = param.name.split('_').map(stem).collect();
    let all: Vec<String> = name_words
        .iter()
        .cloned()
        .chain(words(&param.description).into_iter().map(|w| w.stem))
        .collect();
    let has = |list: &[&str], ws: &[String]| ws.iter().any(|w| list.iter().any(|l| stem(l) == *w));
    match &param.kind {
        ParamKind::Integer { .. } => {
            let unit = name_words
                .iter()
                .chain(&all)
                .find_map(|w| Unit::from_word(w));
            match unit {
                Some(unit) => Role::Length(unit),
                None if has(COUNT_WORDS, &all) => Role::Count,
                None => Role::Other,
            }
        }
        ParamKind::Date { .. } => {
            // The name decides first: `until` described as "the last day to count" is an end.
            if has(END_WORDS, &name_words) {
                Role::End
            } else if has(START_WORDS, &name_words) || !has(END_WORDS, &all) {
                Role::Start
            } else {
                Role::End
            }
        }
        ParamKind::String { allowed, .. } if !allowed.is_empty() => {
            Role::Choice(allowed.iter().map(|a| stem(&a.to_lowercase())).collect())
        }
        ParamKind::Boolean { .. } => Role::Flag(
            name_words
                .into_iter()
                .filter(|w| {
                    !matches!(
                        w.as_str(),
                        "include" | "only" | "show" | "is" | "with" | "has"
                    )
                })
                .collect(),
        ),
        _ => Role::Other,
    }
}

/// The parameters the words fix for one stat.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filled {
    /// In declared order: (name, value as the API takes it).
    pub values: Vec<(String, String)>,
    pub why: Vec<String>,
    /// The words named a period and this stat took it.
    pub took_period: bool,
    /// How exactly: 1 for a date or the unit said, less for a converted length.
    pub period_fit: f32,
    /// How many allowed values and booleans the words fixed.
    pub choices: usize,
    /// A value the words gave is outside a parameter's bounds (left unfixed).
    pub refused: bool,
}

const NEGATIONS: &[&str] = &[
    "not",
    "no",
    "without",
    "exclude",
    "excluding",
    "except",
    "non",
    "dont",
    "didnt",
    "doesnt",
    "isnt",
];

pub fn fill(
    params: &[(Param, Role)],
    reading: &Reading,
    question: &[Word],
    today: NaiveDate,
) -> Filled {
    let mut out = Filled::default();
    let mut top = reading.top;
    let mut numbers = reading.numbers.iter().copied();
    for (param, role) in params {
        let mut fit = 1.0;
        let proposed: Option<(String, String)> = match role {
            Role::Length(unit) => match &reading.period {
                Some(p) => length_in(p, *unit, today).map(|(n, exact)| {
                    let same = p.length.is_some_and(|(_, u)| u == *unit);
                    fit = match (exact, same) {
                        (false, _) => 0.8,
                        (true, true) => 1.0,
                        (true, false) => 0.9,
                    };
                    let about = if exact { "" } else { "about " };
                    (
                        n.to_string(),
                        format!(
                            "\u{201c}{}\u{201d} → {} = {n} ({about}{n} {})",
                            p.said,
                            param.name,
                            unit.name(n)
                        ),
                    )
                }),
                None => numbers.next().map(|n| {
                    (
                        n.to_string(),
                        format!("\u{201c}{n}\u{201d} → {} = {n}", param.name),
                    )
                }),
            },
            Role::Count => top.take().or_else(|| numbers.next()).map(|n| {
                (
                    n.to_string(),
                    format!("\u{201c}{n}\u{201d} → {} = {n}", param.name),
                )
            }),
            Role::Start | Role::End => reading.period.as_ref().and_then(|p| {
                // A period that runs to today ("this week", "since March") ends today.
                let day = if *role == Role::Start {
                    p.start
                } else {
                    p.end.or(p.start.map(|_| today))
                };
                day.map(|d| {
                    let d = d.format("%Y-%m-%d").to_string();
                    let why = format!("\u{201c}{}\u{201d} → {} = {d}", p.said, param.name);
                    (d, why)
                })
            }),
            Role::Choice(stems) => question.iter().find_map(|w| {
                let at = stems.iter().position(|s| s == &w.stem)?;
                let ParamKind::String { allowed, .. } = &param.kind else {
                    return None;
                };
                let value = allowed[at].clone();
                let why = format!("\u{201c}{}\u{201d} → {} = {value}", w.text, param.name);
                Some((value, why))
            }),
            Role::Flag(names) if !names.is_empty() => {
                question.iter().enumerate().find_map(|(i, w)| {
                    if !names.contains(&w.stem) {
                        return None;
                    }
                    let negated = question[i.saturating_sub(2)..i]
                        .iter()
                        .any(|p| NEGATIONS.contains(&p.text.as_str()));
                    let value = (!negated).to_string();
                    let why = format!("\u{201c}{}\u{201d} → {} = {value}", w.text, param.name);
                    Some((value, why))
                })
            }
            _ => None,
        };
        let Some((value, why)) = proposed else {
            continue;
        };
        // The same check as any request: out of bounds is refused, not clamped.
        match param.parse(&value) {
            Ok(_) => {
                if matches!(role, Role::Length(_) | Role::Start | Role::End)
                    && reading.period.is_some()
                {
                    out.period_fit = if out.took_period {
                        out.period_fit.max(fit)
                    } else {
                        fit
                    };
                    out.took_period = true;
                }
                if matches!(role, Role::Choice(_) | Role::Flag(_)) {
                    out.choices += 1;
                }
                out.values.push((param.name.clone(), value));
                out.why.push(why);
            }
            Err(message) => {
                out.refused = true;
                out.why.push(format!("{why} is not used: {message}"));
            }
        }
    }
    // "in November" given to a stat that takes only a start counts the days after it too.
    if let Some(p) = &reading.period
        && p.end.is_some_and(|e| e < today)
        && out.took_period
        && !params
            .iter()
            .any(|(q, r)| *r == Role::End && out.values.iter().any(|(n, _)| n == &q.name))
    {
        out.period_fit = out.period_fit.min(0.8);
    }
    out
}

/// What a person types after `/stats`: positional values in parameter order while no
/// parameter is skipped, `name=value` after the first one the words did not fix.
pub fn invocation(stat: &str, params: &[(Param, Role)], values: &[(String, String)]) -> String {
    // As typed in Slack: the bot reads a leading `/stats ` (any `/word `) as the command.
    let mut out = format!("/stats {stat}");
    let mut positional = true;
    for (param, _) in params {
        match values.iter().find(|(n, _)| n == &param.name) {
            Some((_, value))
                if positional && !value.contains(char::is_whitespace) && !value.contains('=') =>
            {
                out.push(' ');
                out.push_str(value);
            }
            Some((name, value)) => {
                positional = false;
                out.push_str(&format!(" {name}={value}"));
            }
            None => positional = false,
        }
    }
    out
}
