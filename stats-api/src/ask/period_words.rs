//! The words of dates and numbers: "seven", "a", "March" (but "may" only as a month after a
//! preposition), "oct", "2025" — and the list of them, so a typo of one can be corrected.

const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub fn number(text: &str) -> Option<i64> {
    if !text.is_empty() && text.len() <= 9 && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    NUMBER_WORDS
        .iter()
        .position(|w| *w == text)
        .map(|n| n as i64)
        .or(match text {
            "a" | "an" | "single" => Some(1),
            "thirty" => Some(30),
            "sixty" => Some(60),
            "ninety" => Some(90),
            "hundred" => Some(100),
            _ => None,
        })
}

fn month(text: &str, strict: bool) -> Option<u32> {
    let full = MONTHS.iter().position(|m| *m == text);
    let short = (!strict && text.len() >= 3 && text != "mar" && text != "may")
        .then(|| {
            MONTHS
                .iter()
                .position(|m| m.starts_with(text) && text.len() >= 3)
        })
        .flatten()
        .filter(|_| text.len() <= 4);
    full.or(short).map(|i| i as u32 + 1)
}

/// A month's number: full names anywhere (but "may" and "march" only after a preposition),
/// `oct`, `sept` and the like after one.
pub fn named_month_word(text: &str, prev: &str) -> Option<u32> {
    let after_preposition = matches!(
        prev,
        "since"
            | "from"
            | "in"
            | "during"
            | "after"
            | "of"
            | "until"
            | "before"
            | "for"
            | "through"
            | "between"
            | "to"
    );
    if matches!(text, "may" | "march") && !after_preposition {
        return None;
    }
    month(text, !after_preposition)
}

pub fn year(text: &str) -> Option<i32> {
    (text.len() == 4)
        .then(|| text.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1900..=2200).contains(y))
}

/// Words this module reads, so a typo of one can be corrected ("yesterdy", "mnths").
pub const KNOWN_WORDS: &[&str] = &[
    "today",
    "yesterday",
    "this",
    "last",
    "past",
    "previous",
    "since",
    "until",
    "before",
    "after",
    "during",
    "current",
    "week",
    "weeks",
    "month",
    "months",
    "day",
    "days",
    "year",
    "years",
    "fortnight",
    "quarter",
    "start",
    "beginning",
    "begin",
    "end",
    "ago",
    "lately",
    "recently",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "three",
    "four",
    "five",
    "seven",
    "eight",
    "nine",
    "twelve",
    "twenty",
    "thirty",
];
