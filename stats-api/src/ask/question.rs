//! A question's words as the matcher weighs them: typos corrected, periods read, and which
//! words decide (content), which only help (hints), which begin a WordNet phrase ("called
//! off"), and which only say the counted are people.

use chrono::NaiveDate;

use super::matcher::Index;
use super::periods::{self, Reading};
use super::related;
use super::vocabulary;
use super::words::{self, Word};

pub struct Question {
    pub ws: Vec<Word>,
    /// What `why` says of every match: words read as other words.
    pub notes: Vec<String>,
    pub reading: Reading,
    /// The words that decide: each word's place and the concepts it says.
    pub content: Vec<(usize, Vec<&'static str>)>,
    /// Stop words with a concept, and period words: they only help.
    pub hints: Vec<(usize, Vec<&'static str>)>,
    /// The WordNet phrase each word begins (`called off` → `call_off`).
    pub phrase_at: Vec<Option<String>>,
    /// Whether each word is part of a vocabulary phrase ("community size").
    pub in_phrase: Vec<bool>,
    /// Whether each content word only says the counted are people.
    pub implied: Vec<bool>,
}

pub fn read(index: &Index, query: &str, today: NaiveDate) -> Question {
    let mut notes = Vec::new();
    let ws: Vec<Word> = words::words(query)
        .into_iter()
        .map(|w| {
            if w.stop {
                return w;
            }
            match index.correct(&w.text) {
                Some(fixed) => {
                    notes.push(format!(
                        "\u{201c}{}\u{201d} read as \u{201c}{fixed}\u{201d}",
                        w.text
                    ));
                    words::word(fixed.to_string())
                }
                None => w,
            }
        })
        .collect();
    let reading = periods::read(&ws, today);
    let found = vocabulary::concepts(&ws);
    let in_phrase = |i: usize| {
        found
            .iter()
            .any(|f| f.end - f.start > 1 && f.start <= i && i < f.end)
    };
    let concepts_at = |i: usize| -> Vec<&'static str> {
        found
            .iter()
            .filter(|f| f.start <= i && i < f.end)
            .map(|f| f.concept)
            .collect()
    };
    // "called off": a word no concept reads that makes a phrase with the next means the
    // phrase, and its particle is no word of its own.
    let phrase_at = related::phrases(&ws, |i| {
        concepts_at(i).is_empty() && !in_phrase(i) && !reading.used[i]
    });
    let particle = |i: usize| i > 0 && phrase_at[i - 1].is_some();
    // Content words decide; hints (stop words with a concept, period words) only help.
    let mut content: Vec<(usize, Vec<&'static str>)> = Vec::new();
    let mut hints: Vec<(usize, Vec<&'static str>)> = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        let cs = concepts_at(i);
        if particle(i) && cs.is_empty() {
            continue;
        }
        if !w.stop && !reading.used[i] {
            content.push((i, cs));
        } else if !cs.is_empty() || reading.used[i] {
            hints.push((i, cs));
        }
    }
    // "how many folks pitch in": beside a word that says what is counted, "people" only
    // says they are people (volunteers, donors and learners are): an entry that does not
    // say it is not the less covered.
    let people = |j: usize| content[j].1 == ["member"];
    let implied: Vec<bool> = (0..content.len())
        .map(|j| people(j) && (0..content.len()).any(|k| !people(k)))
        .collect();
    let in_phrase = (0..ws.len()).map(in_phrase).collect();
    Question {
        ws,
        notes,
        reading,
        content,
        hints,
        phrase_at,
        in_phrase,
        implied,
    }
}
