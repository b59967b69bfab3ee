//! THE check of a parameter value, shared by the stats API (which enforces it) and the bot (which
//! checks typed arguments before asking): one reading of `2024-1-5`, one set of words for a
//! refusal, whoever refuses.

use chrono::NaiveDate;

/// The range of MySQL's and MariaDB's DATE type. Date values are held to it, declared bounds or
/// not: outside it the server refuses the value or compares it wrongly.
pub const DATE_MIN: NaiveDate = NaiveDate::from_ymd_opt(1000, 1, 1).unwrap();
pub const DATE_MAX: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();

/// How a date is written, in the same words in every refusal of a date.
pub const DATE_WRITTEN: &str = "a date written YYYY-MM-DD, like 2024-01-31";

/// What a value must be, borrowed from a declaration (the API's catalogue entry or the bot's copy
/// of the published one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule<'a> {
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// `allowed` empty: any text up to `max_length` characters.
    String {
        allowed: &'a [String],
        max_length: Option<usize>,
    },
    /// Without declared bounds, the database's DATE range.
    Date {
        min: Option<NaiveDate>,
        max: Option<NaiveDate>,
    },
    Boolean,
}

/// A value that passed its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    Integer(i64),
    /// As declared when `allowed` is set (`Mentors` reads as `mentors`).
    String(String),
    Date(NaiveDate),
    Boolean(bool),
}

impl ParamValue {
    /// As the stats API echoes it in an answer's `params`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            ParamValue::Integer(n) => (*n).into(),
            ParamValue::String(s) => s.as_str().into(),
            ParamValue::Date(_) => self.to_string().into(),
            ParamValue::Boolean(b) => (*b).into(),
        }
    }
}

/// Written as the stats API takes it in a query string (dates padded: `2024-01-05`).
impl std::fmt::Display for ParamValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamValue::Integer(n) => write!(f, "{n}"),
            ParamValue::String(s) => f.write_str(s),
            ParamValue::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            ParamValue::Boolean(b) => write!(f, "{b}"),
        }
    }
}

/// Why a value does not fit its rule; [`Refusal::explain`] says it in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotInteger {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// Bounds as written (`1`, `2024-01-01`); for dates always both.
    OutOfRange {
        min: Option<String>,
        max: Option<String>,
    },
    NotAllowed {
        allowed: Vec<String>,
    },
    TooLong {
        max_length: usize,
    },
    NotDate {
        min: NaiveDate,
        max: NaiveDate,
    },
    NotBoolean,
}

impl Refusal {
    /// The refusal for parameter `name`, e.g. "`since` must be a date written YYYY-MM-DD, like
    /// 2024-01-31, from 1000-01-01 to 9999-12-31".
    pub fn explain(&self, name: &str) -> String {
        match self {
            Refusal::NotInteger { min, max } => match bounds_hint(min, max) {
                Some(hint) => format!("`{name}` must be a whole number, {hint}"),
                None => format!("`{name}` must be a whole number"),
            },
            Refusal::OutOfRange { min, max } => {
                format!(
                    "`{name}` must be {}",
                    bounds_hint(min, max).unwrap_or_default()
                )
            }
            Refusal::NotAllowed { allowed } => {
                format!("`{name}` must be one of: {}", allowed.join(", "))
            }
            Refusal::TooLong { max_length } => {
                format!("`{name}` must be at most {max_length} characters")
            }
            Refusal::NotDate { min, max } => {
                format!("`{name}` must be {DATE_WRITTEN}, from {min} to {max}")
            }
            Refusal::NotBoolean => format!("`{name}` must be yes or no (true or false)"),
        }
    }
}

/// "from 1 to 5", "at least 1", "at most 5": what follows "must be".
pub fn bounds_hint<T: std::fmt::Display>(min: &Option<T>, max: &Option<T>) -> Option<String> {
    match (min, max) {
        (Some(lo), Some(hi)) => Some(format!("from {lo} to {hi}")),
        (Some(lo), None) => Some(format!("at least {lo}")),
        (None, Some(hi)) => Some(format!("at most {hi}")),
        (None, None) => None,
    }
}

/// A date parameter's bounds as enforced: the declared ones, else the database's.
pub fn date_bounds(min: Option<NaiveDate>, max: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
    (min.unwrap_or(DATE_MIN), max.unwrap_or(DATE_MAX))
}

/// `YYYY-M-D`: a 4-digit year, a 1- or 2-digit month and day (`2024-1-5` is 5 January 2024),
/// a real day in the database's range. Nothing else: not `24-1-5`, `+2024-01-01`, `10000-01-01`
/// or `2024-02-30`, which chrono alone would partly take.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, widths: std::ops::RangeInclusive<usize>| {
        widths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some() || !digits(year, 4..=4) || !digits(month, 1..=2) {
        return None;
    }
    if !digits(day, 1..=2) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
    (DATE_MIN..=DATE_MAX).contains(&date).then_some(date)
}

/// Checks one raw value (surrounding spaces ignored) against its rule.
pub fn check(rule: &Rule<'_>, raw: &str) -> Result<ParamValue, Refusal> {
    let raw = raw.trim();
    match *rule {
        Rule::Integer { min, max } => {
            let n: i64 = raw.parse().map_err(|_| Refusal::NotInteger { min, max })?;
            if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                return Err(Refusal::OutOfRange {
                    min: min.map(|m| m.to_string()),
                    max: max.map(|m| m.to_string()),
                });
            }
            Ok(ParamValue::Integer(n))
        }
        Rule::String {
            allowed,
            max_length,
        } => {
            let value = if allowed.is_empty() {
                raw
            } else {
                allowed
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(raw))
                    .ok_or_else(|| Refusal::NotAllowed {
                        allowed: allowed.to_vec(),
                    })?
            };
            if let Some(max_length) = max_length
                && value.chars().count() > max_length
            {
                return Err(Refusal::TooLong { max_length });
            }
            Ok(ParamValue::String(value.to_string()))
        }
        Rule::Date { min, max } => {
            let (lo, hi) = date_bounds(min, max);
            let date = parse_date(raw).ok_or(Refusal::NotDate { min: lo, max: hi })?;
            if date < lo || date > hi {
                return Err(Refusal::OutOfRange {
                    min: Some(lo.to_string()),
                    max: Some(hi.to_string()),
                });
            }
            Ok(ParamValue::Date(date))
        }
        Rule::Boolean => match raw.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "on" | "1" => Ok(ParamValue::Boolean(true)),
            "false" | "no" | "n" | "off" | "0" => Ok(ParamValue::Boolean(false)),
            _ => Err(Refusal::NotBoolean),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const ANY_DATE: Rule<'static> = Rule::Date {
        min: None,
        max: None,
    };

    #[test]
    fn a_date_is_a_four_digit_year_then_month_and_day_padded_or_not() {
        assert_eq!(parse_date("2024-1-5"), Some(day(2024, 1, 5)));
        assert_eq!(parse_date("2024-01-05"), Some(day(2024, 1, 5)));
        assert_eq!(parse_date("2024-12-31"), Some(day(2024, 12, 31)));
        assert_eq!(
            check(&ANY_DATE, " 2024-1-5 ").unwrap().to_string(),
            "2024-01-05"
        );
        for odd in [
            "24-1-5",
            "024-1-5",
            "2024-001-05",
            "2024-1-005",
            "+2024-01-01",
            "-2024-01-01",
            "10000-01-01",
            "0999-12-31",
            "2024-02-30",
            "2024-13-01",
            "2024-01-01T00:00",
            "2024-01-01-",
            "2024--5",
            "2024-1",
            "31/01/2024",
            "",
        ] {
            assert_eq!(parse_date(odd), None, "{odd}");
            assert_eq!(
                check(&ANY_DATE, odd),
                Err(Refusal::NotDate {
                    min: DATE_MIN,
                    max: DATE_MAX
                }),
                "{odd}"
            );
        }
        assert_eq!(parse_date("1000-1-1"), Some(DATE_MIN));
        assert_eq!(parse_date("9999-12-31"), Some(DATE_MAX));
    }

    #[test]
    fn a_refused_date_says_how_to_write_one_and_the_range() {
        let message = check(&ANY_DATE, "24-1-5").unwrap_err().explain("since");
        assert_eq!(
            message,
            "`since` must be a date written YYYY-MM-DD, like 2024-01-31, \
             from 1000-01-01 to 9999-12-31"
        );
        let bounded = Rule::Date {
            min: Some(day(2020, 1, 1)),
            max: None,
        };
        assert_eq!(
            check(&bounded, "2019-12-31").unwrap_err().explain("since"),
            "`since` must be from 2020-01-01 to 9999-12-31"
        );
        assert_eq!(
            check(&bounded, "2020-1-1"),
            Ok(ParamValue::Date(day(2020, 1, 1)))
        );
    }

    #[test]
    fn integers_strings_and_booleans() {
        let months = Rule::Integer {
            min: Some(1),
            max: Some(120),
        };
        assert_eq!(check(&months, " 6"), Ok(ParamValue::Integer(6)));
        assert_eq!(
            check(&months, "0").unwrap_err().explain("months"),
            "`months` must be from 1 to 120"
        );
        assert_eq!(
            check(&months, "six").unwrap_err().explain("months"),
            "`months` must be a whole number, from 1 to 120"
        );
        let allowed = ["all".to_string(), "mentors".to_string()];
        let kind = Rule::String {
            allowed: &allowed,
            max_length: Some(10),
        };
        assert_eq!(
            check(&kind, "Mentors"),
            Ok(ParamValue::String("mentors".into()))
        );
        assert_eq!(
            check(&kind, "robots").unwrap_err().explain("kind"),
            "`kind` must be one of: all, mentors"
        );
        let text = Rule::String {
            allowed: &[],
            max_length: Some(3),
        };
        assert_eq!(
            check(&text, "abcd"),
            Err(Refusal::TooLong { max_length: 3 })
        );
        for yes in ["yes", "Y", "true", "on", "1"] {
            assert_eq!(check(&Rule::Boolean, yes), Ok(ParamValue::Boolean(true)));
        }
        for no in ["no", "N", "FALSE", "off", "0"] {
            assert_eq!(check(&Rule::Boolean, no), Ok(ParamValue::Boolean(false)));
        }
        assert_eq!(check(&Rule::Boolean, "maybe"), Err(Refusal::NotBoolean));
    }
}
