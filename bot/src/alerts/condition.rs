//! An alert's rule: `when = "COLUMN OP NUMBER" | "COLUMN OP COLUMN" | "COLUMN OP COLUMN ± N%"`
//! or `milestone = "COLUMN every N"`, parsed once from the file and evaluated against each
//! answer of the stat. Pure.
//!
//! N% is of the right-hand column: `recent < previous - 20%` holds when `recent` is below 80% of
//! `previous`, computed exactly (`number`). Which names exist, and the checking itself, are in
//! `evaluate`.

use std::cmp::Ordering;
use std::fmt;

use super::number::{Num, readable};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

const OPS: [(&str, Op); 6] = [
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("==", Op::Eq),
    ("!=", Op::Ne),
    ("<", Op::Lt),
    (">", Op::Gt),
];

impl Op {
    pub(super) fn holds(self, ordering: Ordering) -> bool {
        match self {
            Op::Lt => ordering.is_lt(),
            Op::Le => ordering.is_le(),
            Op::Gt => ordering.is_gt(),
            Op::Ge => ordering.is_ge(),
            Op::Eq => ordering.is_eq(),
            Op::Ne => ordering.is_ne(),
        }
    }

    /// The relation that does hold: `<`, `=` or `>`.
    pub(super) fn actual(ordering: Ordering) -> Op {
        match ordering {
            Ordering::Less => Op::Lt,
            Ordering::Equal => Op::Eq,
            Ordering::Greater => Op::Gt,
        }
    }

    pub(super) fn ascii(self) -> &'static str {
        OPS.iter().find(|(_, op)| *op == self).expect("listed").0
    }

    /// As people read it: `≥`.
    pub(super) fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::Eq => "=",
            Op::Ne => "≠",
        }
    }

    /// Before "80% of `previous`".
    pub(super) fn words(self) -> &'static str {
        match self {
            Op::Lt => "below",
            Op::Le => "at or below",
            Op::Gt => "above",
            Op::Ge => "at or above",
            Op::Eq => "exactly",
            Op::Ne => "not",
        }
    }
}

/// What the left-hand column is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Right {
    Number(Num),
    /// Another column, scaled by `1 + percent/100` when a percentage is given.
    Column {
        name: String,
        percent: Option<Num>,
    },
}

/// `COLUMN OP …`.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub column: String,
    pub op: Op,
    pub right: Right,
}

/// `COLUMN every N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub column: String,
    pub every: u64,
}

/// Exactly one of `when` and `milestone`.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    When(Comparison),
    Milestone(Milestone),
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

const OP_CHARS: [char; 4] = ['<', '>', '=', '!'];

impl Comparison {
    /// Parses `recent < previous - 20%`; the error says what is wrong and what would be right.
    pub fn parse(text: &str) -> Result<Comparison, String> {
        let text = text.trim();
        let Some(at) = text.find(OP_CHARS) else {
            if let Some(typographic) = text.chars().find(|c| matches!(c, '≤' | '≥' | '≠')) {
                return Err(format!(
                    "unknown operator `{typographic}`: use one of < <= > >= == !="
                ));
            }
            return Err(
                "no operator: write COLUMN OP NUMBER, COLUMN OP COLUMN or COLUMN OP \
                        COLUMN ± N%, e.g. \"total >= 1000\""
                    .into(),
            );
        };
        let column = text[..at].trim();
        if !is_name(column) {
            return Err(format!(
                "{column:?} before the operator is not a column name (letters, digits and _)"
            ));
        }
        let rest = &text[at..];
        let end = rest.find(|c| !OP_CHARS.contains(&c)).unwrap_or(rest.len());
        let op = match OPS.iter().find(|(s, _)| *s == &rest[..end]) {
            Some((_, op)) => *op,
            None => {
                return Err(format!(
                    "unknown operator `{}`: use one of < <= > >= == !=",
                    &rest[..end]
                ));
            }
        };
        let right = rest[end..].trim();
        if right.is_empty() {
            return Err(format!(
                "nothing after `{}`: a number or a column",
                op.ascii()
            ));
        }
        Ok(Comparison {
            column: column.into(),
            op,
            right: parse_right(right)?,
        })
    }
}

fn parse_right(text: &str) -> Result<Right, String> {
    if let Some(n) = Num::parse(text) {
        return Ok(Right::Number(n));
    }
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let (name, rest) = (&text[..end], text[end..].trim());
    if !is_name(name) || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "{text:?} after the operator is neither a number nor a column name"
        ));
    }
    if rest.is_empty() {
        return Ok(Right::Column {
            name: name.into(),
            percent: None,
        });
    }
    let example = format!("e.g. \"{name} - 20%\" or \"{name} + 10%\"");
    let (negative, amount) = match rest.chars().next() {
        Some('+') => (false, &rest[1..]),
        Some('-') => (true, &rest[1..]),
        Some('−') => (true, &rest['−'.len_utf8()..]),
        _ => {
            return Err(format!(
                "{rest:?} after `{name}`: only + N% or - N% may follow, {example}"
            ));
        }
    };
    let amount = amount.trim();
    let Some(number) = amount.strip_suffix('%').map(str::trim) else {
        return Err(format!(
            "{amount:?} after `{name}` must be a percentage of it, {example}"
        ));
    };
    match Num::parse(number) {
        Some(n) if n >= Num::int(0) && !(negative && n > Num::int(100)) => Ok(Right::Column {
            name: name.into(),
            percent: Some(if negative { n.times(Num::int(-1)) } else { n }),
        }),
        Some(_) => Err(format!(
            "{amount:?}: a percentage from 0% (and at most 100% below)"
        )),
        None => Err(format!("{amount:?} is not a percentage, {example}")),
    }
}

/// `recent < previous - 20%`, as written in the file (normalised spacing).
impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.column, self.op.ascii())?;
        match &self.right {
            Right::Number(n) => write!(f, "{n}"),
            Right::Column {
                name,
                percent: None,
            } => write!(f, "{name}"),
            Right::Column {
                name,
                percent: Some(p),
            } if *p < Num::int(0) => {
                write!(f, "{name} - {}%", p.times(Num::int(-1)))
            }
            Right::Column {
                name,
                percent: Some(p),
            } => write!(f, "{name} + {p}%"),
        }
    }
}

impl Milestone {
    /// Parses `total every 100`.
    pub fn parse(text: &str) -> Result<Milestone, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let [column, every, n] = words[..] else {
            return Err("write COLUMN every N, e.g. \"total every 100\"".into());
        };
        if !is_name(column) {
            return Err(format!(
                "{column:?} is not a column name (letters, digits and _)"
            ));
        }
        if every != "every" {
            return Err(format!(
                "{every:?} where `every` goes: write \"{column} every N\""
            ));
        }
        match n.parse::<u64>() {
            Ok(n) if n > 0 => Ok(Milestone {
                column: column.into(),
                every: n,
            }),
            _ => Err(format!(
                "{n:?}: N is a whole number above 0, e.g. \"{column} every 100\""
            )),
        }
    }
}

impl Comparison {
    /// The condition for a listing, without values: "`recent` below 80% of `previous`".
    pub fn in_words(&self) -> String {
        match &self.right {
            Right::Number(n) => format!("`{}` {} {}", self.column, self.op.symbol(), readable(*n)),
            Right::Column {
                name,
                percent: None,
            } => {
                format!("`{}` {} `{name}`", self.column, self.op.symbol())
            }
            Right::Column {
                name,
                percent: Some(p),
            } => format!(
                "`{}` {} {}% of `{name}`",
                self.column,
                self.op.words(),
                readable(Num::int(100).plus(*p))
            ),
        }
    }
}

impl Milestone {
    pub fn in_words(&self) -> String {
        format!(
            "`{}` passes a multiple of {}",
            self.column,
            readable(Num::int(self.every as i64))
        )
    }
}

impl Rule {
    pub fn in_words(&self) -> String {
        match self {
            Rule::When(c) => c.in_words(),
            Rule::Milestone(m) => m.in_words(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(text: &str) -> Comparison {
        Comparison::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn n(s: &str) -> Num {
        Num::parse(s).unwrap()
    }

    #[test]
    fn the_three_forms_parse() {
        assert_eq!(
            when("total >= 1000"),
            Comparison {
                column: "total".into(),
                op: Op::Ge,
                right: Right::Number(Num::int(1000)),
            }
        );
        assert_eq!(when("change<-2.5").right, Right::Number(n("-2.5")));
        assert_eq!(
            when("joined < joined_the_period_before").right,
            Right::Column {
                name: "joined_the_period_before".into(),
                percent: None
            }
        );
        for (text, percent) in [
            ("recent < previous - 20%", "-20"),
            ("recent<previous-20%", "-20"),
            ("recent < previous − 20%", "-20"),
            ("recent > previous + 12.5 %", "12.5"),
        ] {
            assert_eq!(
                when(text).right,
                Right::Column {
                    name: "previous".into(),
                    percent: Some(n(percent))
                },
                "{text}"
            );
        }
        for (op, text) in [
            (Op::Lt, "a < 1"),
            (Op::Le, "a <= 1"),
            (Op::Gt, "a > 1"),
            (Op::Ge, "a >= 1"),
            (Op::Eq, "a == 1"),
            (Op::Ne, "a != 1"),
        ] {
            assert_eq!(when(text).op, op);
            assert_eq!(when(text).to_string(), text, "written back as read");
        }
        assert_eq!(
            when(" recent<previous-20% ").to_string(),
            "recent < previous - 20%"
        );
    }

    fn refused(text: &str) -> String {
        Comparison::parse(text).expect_err(text)
    }

    #[test]
    fn each_malformed_form_says_what_is_wrong() {
        assert_eq!(
            refused("total => 10"),
            "unknown operator `=>`: use one of < <= > >= == !="
        );
        assert!(refused("total = 10").starts_with("unknown operator `=`"));
        assert!(refused("total <> 10").starts_with("unknown operator `<>`"));
        assert!(refused("total is 10").starts_with("no operator"));
        assert!(refused("total ≥ 10").starts_with("unknown operator `≥`: use one of"));
        assert!(refused("total >=").starts_with("nothing after `>=`"));
        assert!(refused(">= 10").contains("not a column name"));
        assert!(refused("the total >= 10").contains("not a column name"));
        assert!(refused("total >= 10 members").contains("neither a number nor a column"));
        assert!(refused("recent < previous - 20").contains("must be a percentage"));
        assert!(refused("recent < previous * 2").contains("only + N% or - N%"));
        assert!(refused("recent < previous - x%").contains("not a percentage"));
        assert!(refused("recent < previous - 120%").contains("at most 100% below"));
    }

    #[test]
    fn milestones_parse_with_a_positive_whole_step() {
        assert_eq!(
            Milestone::parse("total every 100").unwrap(),
            Milestone {
                column: "total".into(),
                every: 100
            }
        );
        for (text, says) in [
            ("total every 0", "whole number above 0"),
            ("total every -5", "whole number above 0"),
            ("total every 2.5", "whole number above 0"),
            ("total each 100", "where `every` goes"),
            ("total every", "write COLUMN every N"),
            ("the total every 100", "write COLUMN every N"),
            ("tot-al every 100", "not a column name"),
        ] {
            let got = Milestone::parse(text).unwrap_err();
            assert!(got.contains(says), "{text}: {got}");
        }
    }

    #[test]
    fn conditions_in_words_for_a_listing() {
        assert_eq!(when("total >= 1000").in_words(), "`total` ≥ 1,000");
        assert_eq!(
            when("recent < previous - 20%").in_words(),
            "`recent` below 80% of `previous`"
        );
        assert_eq!(
            when("recent >= previous + 50%").in_words(),
            "`recent` at or above 150% of `previous`"
        );
        assert_eq!(
            Rule::Milestone(Milestone::parse("total every 1000").unwrap()).in_words(),
            "`total` passes a multiple of 1,000"
        );
    }
}
