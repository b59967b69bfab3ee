//! The words people use for community numbers, grouped into concepts: "people", "folks" and
//! "headcount" all mean members; "signed up" and "newcomers" mean joining. A concept found in a
//! question matches the same concept found in a catalogue entry, whichever words each used.

use std::sync::LazyLock;

use super::words::{Word, stem};

/// Concept name → the phrasings that mean it (one or more words each).
/// The table itself, one concept a line (`concept: phrasing, phrasing, …`).
const TABLE: &str = include_str!("vocabulary.txt");

/// Concept name → the phrasings that mean it (one or more words each).
static CONCEPTS: LazyLock<Vec<(&'static str, Vec<&'static str>)>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(concept, phrasings)| {
            let phrasings = phrasings
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty());
            (concept.trim(), phrasings.collect())
        })
        .collect()
});

/// One phrasing, as stems.
struct Phrase {
    concept: &'static str,
    stems: Vec<String>,
    /// Which of its words are superlatives ("busiest"): their stem is the plain adjective's,
    /// but "busy" asks for no ranking.
    superlative: Vec<bool>,
}

static PHRASES: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    let mut phrases: Vec<Phrase> = CONCEPTS
        .iter()
        .flat_map(|(concept, phrasings)| {
            phrasings.iter().map(move |p| Phrase {
                concept,
                stems: p.split_whitespace().map(stem).collect(),
                superlative: p.split_whitespace().map(|w| w.ends_with("iest")).collect(),
            })
        })
        .collect();
    // Longest first, so "sign up" is read before "up".
    phrases.sort_by_key(|p| std::cmp::Reverse(p.stems.len()));
    phrases
});

/// The one-word phrasings of `concept` ("people", "folks", … for member).
pub fn single_words(concept: &str) -> impl Iterator<Item = &'static str> {
    CONCEPTS
        .iter()
        .filter(move |(c, _)| *c == concept)
        .flat_map(|(_, p)| p.iter().copied())
        .filter(|p| !p.contains(' '))
}

/// Every word a phrasing uses, for typo correction.
pub fn known_words() -> impl Iterator<Item = &'static str> {
    CONCEPTS
        .iter()
        .flat_map(|(_, p)| p.iter().flat_map(|p| p.split_whitespace()))
}

/// A concept found in a text: which words (`start..end`) said it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub concept: &'static str,
    pub start: usize,
    pub end: usize,
}

/// The concepts in `words`, a word in more than one phrasing (of different concepts) giving
/// each. Multi-word phrasings are read first and their words not read again alone.
pub fn concepts(words: &[Word]) -> Vec<Found> {
    let mut found = Vec::new();
    let mut in_phrase = vec![false; words.len()];
    for phrase in PHRASES.iter() {
        let n = phrase.stems.len();
        if n > words.len() {
            continue;
        }
        for start in 0..=words.len() - n {
            if n > 1 && in_phrase[start..start + n].iter().any(|&b| b) {
                continue;
            }
            if n == 1 && in_phrase[start] {
                continue;
            }
            let fits = words[start..start + n]
                .iter()
                .zip(&phrase.stems)
                .zip(&phrase.superlative)
                .all(|((w, s), sup)| &w.stem == s && (!sup || w.text.ends_with("iest")));
            if fits {
                if n > 1 {
                    in_phrase[start..start + n]
                        .iter_mut()
                        .for_each(|b| *b = true);
                }
                let f = Found {
                    concept: phrase.concept,
                    start,
                    end: start + n,
                };
                if !found.contains(&f) {
                    found.push(f);
                }
            }
        }
    }
    shapes(words, &mut found);
    found
}

/// Stems of the words that make "per …"/"each …" a time series ("per week") rather than a
/// breakdown ("per plan", "each country").
const TIME_STEMS: &[&str] = &[
    "day",
    "week",
    "month",
    "year",
    "wk",
    "mo",
    "yr",
    "quarter",
    "hour",
    "minute",
    "fortnight",
    "night",
    "time",
    "period",
];

/// Words that turn being active (or posting) into its opposite when they come just before.
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "hasn", "haven", "isn", "don", "doesn", "didn", "wasn", "weren", "aren",
    "without", "stopped", "hasnt", "havent", "isnt", "dont", "doesnt", "didnt", "wasnt", "werent",
    "arent", "cant",
];

/// Whether a negation comes within three words before word `i`.
pub fn negated(words: &[Word], i: usize) -> bool {
    words[i.saturating_sub(3)..i]
        .iter()
        .any(|w| NEGATIONS.contains(&w.text.as_str()))
}

/// What the grammar says: a negation turns activity into inactivity; a superlative
/// ("chattiest") asks for a ranking; "per"/"each"/"every" before anything but a time asks for
/// a breakdown.
fn shapes(words: &[Word], found: &mut Vec<Found>) {
    // "not logged in", "hasn't posted": inactive, in a question and in an entry's words alike.
    for f in found.iter_mut() {
        if negated(words, f.start) && matches!(f.concept, "active" | "message") {
            f.concept = "inactive";
        }
    }
    for (i, w) in words.iter().enumerate() {
        let at = |c: &str, found: &[Found]| {
            found
                .iter()
                .any(|f| f.concept == c && f.start <= i && i < f.end)
        };
        if w.text.len() >= 6 && w.text.ends_with("iest") && !at("top", found) && !at("age", found) {
            found.push(Found {
                concept: "top",
                start: i,
                end: i + 1,
            });
        }
        if matches!(w.text.as_str(), "per" | "each" | "every") {
            let next = words[i + 1..].iter().find(|n| !n.stop);
            let timed = next.is_none_or(|n| TIME_STEMS.contains(&n.stem.as_str()));
            if !timed {
                for f in found.iter_mut() {
                    if f.concept == "series" && f.start == i && f.end == i + 1 {
                        f.concept = "group";
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::words::words;
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        concepts(&words(text))
            .into_iter()
            .map(|f| f.concept)
            .collect()
    }

    #[test]
    fn the_words_people_use_name_the_same_concepts() {
        assert!(names("how many folks do we have").contains(&"member"));
        assert!(names("headcount").contains(&"member"));
        assert!(names("who signed up").contains(&"join"));
        assert!(names("newcomers this month").contains(&"join"));
        assert!(names("people who churned").contains(&"leave"));
        assert!(names("who brought in the most referrals").contains(&"invite"));
        assert!(names("leaderboard").contains(&"top"));
        assert!(names("chattiest people").contains(&"top"));
        assert!(names("the busiest channel").contains(&"top"));
        assert!(!names("how busy was the chat").contains(&"top"));
        assert!(names("messages per day").contains(&"series"));
        assert!(names("members on each plan").contains(&"group"));
        assert!(!names("members on each plan").contains(&"series"));
        // A phrase's words are not read again alone: "sign up" is joining, not growth.
        assert!(!names("sign up").contains(&"grow"));
    }
}
