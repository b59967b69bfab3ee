//! Periods and numbers in a question: "today", "last week" (weeks start on Monday), "this
//! month", "since March", "in October", "in 2024", "the last 30 days", "6 months", "top 5".
//! Dates are UTC and computed from `today`, which the caller passes in (tests fix it).

use chrono::{Datelike, Days, NaiveDate};

use super::calendar::{Period, Unit, back, calendar, month_end};
use super::period_words::{named_month_word, number, year};
use super::words::Word;

/// What the words say besides which stat: a period, a ranking size, other numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    pub period: Option<Period>,
    /// "top 5", "5 best": how many to list.
    pub top: Option<i64>,
    /// Numbers said with nothing else to go with.
    pub numbers: Vec<i64>,
    /// Which words were read as a period or a number (the matcher does not need them).
    pub used: Vec<bool>,
    /// A number said with a unit that is out of the usual range (e.g. "0 days").
    pub refused: Option<String>,
}

/// The most recent `month` (this year's if it has begun, else last year's), or of `year`.
fn named_month(today: NaiveDate, month: u32, year: Option<i32>) -> Option<NaiveDate> {
    let y = year.unwrap_or(if month <= today.month() {
        today.year()
    } else {
        today.year() - 1
    });
    NaiveDate::from_ymd_opt(y, month, 1)
}

/// Reads the period and numbers in `words`. The first period said is the one used.
pub fn read(words: &[Word], today: NaiveDate) -> Reading {
    let mut r = Reading {
        used: vec![false; words.len()],
        ..Reading::default()
    };
    let text = |i: usize| words.get(i).map_or("", |w| w.text.as_str());
    let stem = |i: usize| words.get(i).map_or("", |w| w.stem.as_str());
    let mut i = 0;
    while i < words.len() {
        let t = text(i);
        let mut took = 0;
        let mut period = None;
        let is_start_word = matches!(t, "since" | "from" | "after" | "starting");
        let is_end_word = matches!(t, "until" | "till" | "before" | "through" | "to");
        if let Some(d) = stats_contract::params::parse_date(t) {
            period = Some(Period {
                said: t.to_string(),
                start: Some(d),
                end: None,
                length: None,
            });
            took = 1;
        } else if (is_start_word || is_end_word)
            && let Some(d) = stats_contract::params::parse_date(text(i + 1))
        {
            let (start, end) = if is_end_word {
                (None, Some(d))
            } else {
                (Some(d), None)
            };
            period = Some(Period {
                said: format!("{t} {d}"),
                start,
                end,
                length: None,
            });
            took = 2;
        } else if t == "today" || t == "yesterday" {
            let d = if t == "today" {
                today
            } else {
                today - Days::new(1)
            };
            period = Some(Period {
                said: t.to_string(),
                start: Some(d),
                end: Some(d),
                length: Some((1, Unit::Day)),
            });
            took = 1;
        } else if t == "fortnight" {
            period = Some(Period {
                said: "a fortnight".into(),
                start: back(today, 14, Unit::Day),
                end: None,
                length: Some((14, Unit::Day)),
            });
            took = 1;
        } else if matches!(t, "start" | "beginning")
            && text(i + 1) == "of"
            && let Some(at) = [i + 2, i + 3]
                .into_iter()
                .find(|&j| Unit::from_word(stem(j)).is_some())
                .filter(|&j| j == i + 2 || matches!(text(i + 2), "the" | "this"))
        {
            // "since the start of the year": this calendar unit, to today.
            let unit = Unit::from_word(stem(at)).expect("found above");
            let mut p = calendar("this", unit, today);
            p.said = format!("the start of the {}", unit.name(1));
            p.end = None;
            period = Some(p);
            took = at + 1 - i;
        } else if text(i + 1) == "quarter"
            && matches!(
                t,
                "this" | "current" | "last" | "previous" | "past" | "prior"
            )
        {
            // A quarter: the last 3 months, counted back from today.
            period = Some(Period {
                said: format!("{t} quarter"),
                start: back(today, 3, Unit::Month),
                end: None,
                length: Some((3, Unit::Month)),
            });
            took = 2;
        } else if let Some(unit) = Unit::from_word(stem(i + 1)).filter(|_| {
            matches!(
                t,
                "this" | "current" | "last" | "previous" | "past" | "prior"
            ) && words[i + 1].text == words[i + 1].stem
        }) {
            // "this week", "last month": one calendar unit (a singular unit word).
            period = Some(calendar(t, unit, today));
            took = 2;
        } else if let (Some(n), Some((times, unit))) = (
            number(t),
            Unit::from_word(stem(i + 1)).map(|u| (1, u)).or(matches!(
                text(i + 1),
                "quarter" | "quarters"
            )
            .then_some((3, Unit::Month))),
        ) {
            let n = n * times;
            // "6 months", "30 days", "a week": counted back from today.
            let lead = i
                .checked_sub(1)
                .map(text)
                .filter(|p| matches!(*p, "last" | "past" | "previous" | "recent" | "prior"));
            let said = match lead {
                Some(p) => format!("{p} {t} {}", text(i + 1)),
                None => format!("{t} {}", text(i + 1)),
            };
            if lead.is_some() {
                r.used[i - 1] = true;
            }
            if n <= 0 {
                r.refused = Some(said);
            } else {
                period = Some(Period {
                    said,
                    start: back(today, n, unit),
                    end: None,
                    length: Some((n, unit)),
                });
            }
            took = 2;
        } else if let Some(m) = named_month_word(t, text(i.wrapping_sub(1))) {
            // "since March", "in October 2024", "october signups".
            let y = year(text(i + 1));
            let prev = text(i.wrapping_sub(1));
            if let Some(first) = named_month(today, m, y) {
                // "between March and June": open until the second month closes it.
                let since = matches!(prev, "since" | "from" | "after" | "starting" | "between");
                let until = matches!(prev, "until" | "till" | "before" | "through");
                period = Some(Period {
                    said: [prev, t, if y.is_some() { text(i + 1) } else { "" }]
                        .iter()
                        .filter(|s| !s.is_empty() && !matches!(**s, "of"))
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" "),
                    start: (!until).then_some(first),
                    end: if since { None } else { Some(month_end(first)) },
                    length: None,
                });
            }
            took = if y.is_some() { 2 } else { 1 };
        } else if let Some(y) = year(t).filter(|_| {
            matches!(
                text(i.wrapping_sub(1)),
                "in" | "since" | "during" | "of" | "from" | "for"
            )
        }) {
            let prev = text(i.wrapping_sub(1));
            let first = NaiveDate::from_ymd_opt(y, 1, 1).expect("a year in range");
            period = Some(Period {
                said: format!("{prev} {t}"),
                start: Some(first),
                end: (!matches!(prev, "since" | "from"))
                    .then(|| NaiveDate::from_ymd_opt(y, 12, 31).expect("a year in range")),
                length: None,
            });
            took = 1;
        } else if let Some(n) = number(t).filter(|_| !matches!(t, "a" | "an" | "single")) {
            let prev = stem(i.wrapping_sub(1));
            let next = stem(i + 1);
            if matches!(
                prev,
                "top" | "best" | "first" | "biggest" | "highest" | "most"
            ) || matches!(next, "top" | "best" | "most" | "biggest" | "highest")
            {
                r.top.get_or_insert(n);
            } else if !matches!(next, "hour" | "minute" | "second" | "percent" | "pct") {
                // "48 hours", "10 percent" count something no parameter here takes.
                r.numbers.push(n);
            }
            took = 1;
        }
        if let Some(p) = period {
            match &mut r.period {
                None => r.period = Some(p),
                // "between 2026-01-01 and 2026-02-01", "from March to June": the second ends it.
                Some(first) if first.end.is_none() && first.length.is_none() => {
                    if let (Some(from), Some(to)) = (first.start, p.end.or(p.start))
                        && to >= from
                    {
                        first.end = Some(to);
                        first.said = format!("{} to {}", first.said, p.said);
                    }
                }
                Some(_) => {}
            }
            if i > 0
                && matches!(
                    text(i - 1),
                    "since"
                        | "from"
                        | "in"
                        | "during"
                        | "after"
                        | "until"
                        | "before"
                        | "starting"
                        | "between"
                        | "to"
                        | "and"
                )
            {
                r.used[i - 1] = true;
            }
        }
        for u in r.used.iter_mut().skip(i).take(took) {
            *u = true;
        }
        i += took.max(1);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::super::calendar::length_in;
    use super::super::words::words;
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// Wednesday 2 December 2026.
    fn period(text: &str) -> Period {
        read(&words(text), d("2026-12-02"))
            .period
            .unwrap_or_else(|| panic!("no period in {text:?}"))
    }

    fn range(text: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let p = period(text);
        (p.start, p.end)
    }

    #[test]
    fn calendar_periods_in_utc_with_weeks_from_monday() {
        let some = |s: &str| Some(d(s));
        assert_eq!(range("today"), (some("2026-12-02"), some("2026-12-02")));
        assert_eq!(range("yesterday"), (some("2026-12-01"), some("2026-12-01")));
        assert_eq!(range("this week"), (some("2026-11-30"), None));
        assert_eq!(range("last week"), (some("2026-11-23"), some("2026-11-29")));
        assert_eq!(range("this month"), (some("2026-12-01"), None));
        assert_eq!(
            range("last month"),
            (some("2026-11-01"), some("2026-11-30"))
        );
        assert_eq!(range("this year"), (some("2026-01-01"), None));
        assert_eq!(range("last year"), (some("2025-01-01"), some("2025-12-31")));
        // A month not yet begun this year is last year's.
        assert_eq!(range("since March"), (some("2026-03-01"), None));
        assert_eq!(
            range("in October"),
            (some("2026-10-01"), some("2026-10-31"))
        );
        assert_eq!(
            range("in December"),
            (some("2026-12-01"), some("2026-12-31"))
        );
        assert_eq!(range("since may 2025"), (some("2025-05-01"), None));
        assert_eq!(range("in 2025"), (some("2025-01-01"), some("2025-12-31")));
        assert_eq!(range("since 2024-03-01"), (some("2024-03-01"), None));
        assert_eq!(range("until 2024-03-01"), (None, some("2024-03-01")));
        assert_eq!(
            range("between 2026-01-01 and 2026-02-01"),
            (some("2026-01-01"), some("2026-02-01"))
        );
        assert_eq!(
            range("from March to June"),
            (some("2026-03-01"), some("2026-06-30"))
        );
        assert_eq!(
            range("between may and july"),
            (some("2026-05-01"), some("2026-07-31"))
        );
        assert_eq!(
            range("from jan to apr"),
            (some("2026-01-01"), some("2026-04-30"))
        );
        // Counted back from today, today included.
        assert_eq!(range("the last 30 days"), (some("2026-11-03"), None));
        assert_eq!(range("past 2 weeks"), (some("2026-11-19"), None));
        assert_eq!(range("last 6 months"), (some("2026-06-03"), None));
        assert_eq!(range("last quarter"), (some("2026-09-03"), None));
        assert_eq!(range("2 quarters"), (some("2026-06-03"), None));
        assert_eq!(
            range("since the start of the year"),
            (some("2026-01-01"), None)
        );
        assert_eq!(
            range("from the beginning of this month"),
            (some("2026-12-01"), None)
        );
    }

    #[test]
    fn lengths_convert_between_units_and_say_when_they_are_approximate() {
        let today = d("2026-12-02");
        let len = |text: &str, unit| length_in(&period(text), unit, today);
        assert_eq!(len("this week", Unit::Day), Some((7, true)));
        assert_eq!(len("last 6 months", Unit::Month), Some((6, true)));
        assert_eq!(len("last 6 months", Unit::Day), Some((180, false)));
        assert_eq!(len("2 years", Unit::Month), Some((24, true)));
        assert_eq!(len("14 days", Unit::Week), Some((2, true)));
        assert_eq!(len("10 days", Unit::Week), None);
        assert_eq!(len("since March", Unit::Month), Some((10, true)));
        assert_eq!(len("since 2026-11-30", Unit::Day), Some((3, true)));
        // Over before today: no count of the last N units says it.
        assert_eq!(len("in October", Unit::Day), None);
        assert_eq!(len("in 2025", Unit::Month), None);
    }

    #[test]
    fn numbers_say_how_many_or_stand_alone() {
        let r = read(&words("top 5 mentors"), d("2026-12-02"));
        assert_eq!((r.top, r.period), (Some(5), None));
        let r = read(&words("the 3 best inviters"), d("2026-12-02"));
        assert_eq!(r.top, Some(3));
        let r = read(&words("signups 7"), d("2026-12-02"));
        assert_eq!(r.numbers, [7]);
        let r = read(&words("may I see the members"), d("2026-12-02"));
        assert_eq!(r.period, None);
        let r = read(&words("joined in the last 0 days"), d("2026-12-02"));
        assert_eq!((r.period, r.refused.is_some()), (None, true));
    }
}
