//! The catalogue's words by their WordNet senses, built with the index: a question word that
//! no entry uses finds the entries' words it is related to ("expelled" → banished), and the
//! vocabulary's concepts through their phrasings ("arrivals" → joining). Weaker evidence than
//! the word itself: it helps find an entry, and never makes an answer confident on its own.

use std::collections::HashMap;

use super::lexicon::lexicon;
use super::words::Word;

/// Below this a relation is too far to count (two words under one hypernym are 0.42).
const MIN_RELATED: f32 = 0.5;

/// A word with more senses than this could mean too many things to relate ("say", "get",
/// "run"; "expel" has 4, "client" 3).
const MAX_SENSES: usize = 20;

/// At most this many related terms a word.
const MAX_TERMS: usize = 8;

/// Words that, after a verb, may make a phrase of it ("call off", "get back"), besides the stop
/// words ("turn in", "pitch in", "run out").
const PARTICLES: &[&str] = &[
    "off", "down", "back", "away", "through", "along", "apart", "together", "ahead", "forward",
];

/// The WordNet phrase each word of a question begins with a particle after it (`called off`
/// → `call_off`), for the words `free(i)` says no concept reads: such a word means its phrase.
pub fn phrases(ws: &[Word], free: impl Fn(usize) -> bool) -> Vec<Option<String>> {
    let lex = lexicon();
    (0..ws.len())
        .map(|i| {
            let next = ws.get(i + 1)?;
            let head = &ws[i];
            (!head.stop
                && free(i)
                && wordlike(&head.text)
                && (next.stop || PARTICLES.contains(&next.text.as_str())))
            .then(|| lex.phrase(&head.text, &next.text))
            .flatten()
        })
        .collect()
}

#[derive(Debug, Default)]
pub struct Related {
    /// A WordNet sense → the catalogue's terms (stems, `@concept`s) near it, and how near.
    by_sense: HashMap<u32, Vec<(String, f32)>>,
}

/// Whether a word is worth a look-up: letters only (a phrase's key joins its words with `_`),
/// three or more.
fn wordlike(text: &str) -> bool {
    text.len() >= 3 && text.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

impl Related {
    /// `words`: each catalogue word as written, with the term it counts as.
    pub fn build<'a>(words: impl Iterator<Item = (&'a str, String)>) -> Related {
        let mut best: HashMap<(u32, String), f32> = HashMap::new();
        let mut seen: std::collections::HashSet<(String, String)> = Default::default();
        let lex = lexicon();
        for (text, term) in words {
            if !wordlike(text) || !seen.insert((text.to_string(), term.clone())) {
                continue;
            }
            for (sense, weight) in lex.senses(text) {
                let w = best.entry((sense, term.clone())).or_default();
                *w = w.max(weight);
            }
        }
        let mut by_sense: HashMap<u32, Vec<(String, f32)>> = HashMap::new();
        for ((sense, term), weight) in best {
            by_sense.entry(sense).or_default().push((term, weight));
        }
        Related { by_sense }
    }

    /// The catalogue's terms related to `text` (a question word), nearest first, each with how
    /// near (0.5 to 1).
    pub fn terms(&self, text: &str) -> Vec<(String, f32)> {
        if !wordlike(text) || self.by_sense.is_empty() || lexicon().polysemy(text) > MAX_SENSES {
            return Vec::new();
        }
        let mut near: HashMap<&str, f32> = HashMap::new();
        for (sense, wq) in lexicon().senses(text) {
            for (term, wc) in self.by_sense.get(&sense).into_iter().flatten() {
                let w = near.entry(term.as_str()).or_default();
                *w = w.max(wq * wc);
            }
        }
        let mut out: Vec<(String, f32)> = near
            .into_iter()
            .filter(|(_, w)| *w >= MIN_RELATED)
            .map(|(t, w)| (t.to_string(), w))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // Each is looked up in every entry: the nearest few say what the word means.
        out.truncate(MAX_TERMS);
        out
    }
}
