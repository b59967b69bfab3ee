//! Which declared stats fit a question's words: BM25 over each entry's fields (name, title,
//! examples, description, parameters, allowed values), weighted by field, with each word
//! matched by its stem or by a concept of the built-in vocabulary, whichever fits better.
//! The index is built once per catalogue; a question costs a few hash look-ups a word.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use stats_contract::Display;

use super::fill::{Role, role};
use super::related::Related;
use super::vocabulary::{self, concepts};
use super::words::{Word, name_text, words};
use crate::catalogue::{Catalogue, Param};

/// BM25's saturation: a word said three times in an entry is not three times the evidence.
const K1: f32 = 0.6;

/// How much a word in each field counts.
const NAME: f32 = 3.0;
const TITLE: f32 = 2.5;
const EXAMPLES: f32 = 1.2;
const DESCRIPTION: f32 = 1.5;
const ALLOWED: f32 = 1.0;
const PARAMS: f32 = 0.5;
/// A ranked entry answers "top"/"most"; a series answers "per month", "over time".
const SHAPE: f32 = 1.5;

/// Where a term from the way an entry is shown (ranked, series, figures) comes from.
pub const SHAPE_FIELD: &str = "way it is shown";

/// Concepts that say the shape of an answer rather than what it counts (units stay: they
/// tell `signups_weekly` from `signups_monthly`).
const SHAPE_CONCEPTS: &[&str] = &["series", "group", "top", "count"];
/// Concepts that make a number a different number: an average of invites is not invites.
pub const MODIFIERS: &[&str] = &["average", "rate"];

/// Concepts that are units of time: a period, which the periods read.
const UNIT_CONCEPTS: &[&str] = &["month", "week", "day", "year"];

/// A word related through WordNet matches much less than the word or its concept.
const RELATED: f32 = 0.6;

/// A concept matches a little less than the word itself.
const CONCEPT: f32 = 0.9;

/// One entry as the matcher sees it.
#[derive(Debug)]
pub struct Doc {
    pub name: String,
    pub params: Vec<(Param, Role)>,
    /// Each word of the name, as the terms that match it (its stem, its concepts).
    pub name_terms: Vec<Vec<String>>,
    /// The same for the title.
    pub title_terms: Vec<Vec<String>>,
    /// The same for the description's first clause, which says what the entry counts
    /// ("Members who joined in the last N days").
    pub lead_terms: Vec<Vec<String>>,
    /// Rows ranked by a value: what "top", "most" and "leaderboard" ask for.
    pub ranked: bool,
    /// Concepts in the name that change what its number is (`avg_…`, `…_rate`).
    pub modifiers: Vec<&'static str>,
    /// Weighted term frequency: a term (a stem, or `@concept`) → Σ field weight × count.
    terms: HashMap<String, f32>,
    /// Where each term came from, for the "why" (the first, heaviest field that had it).
    origin: HashMap<String, &'static str>,
}

#[derive(Debug)]
pub struct Index {
    pub docs: Vec<Doc>,
    /// The entries' words (as written, with the term each counts as), and the same by their
    /// WordNet senses, filed on the first question: a cold start that answers a stat never
    /// inflates WordNet.
    lex_words: Vec<(String, String)>,
    related: OnceLock<Related>,
    idf: HashMap<String, f32>,
    /// Every word the catalogue and the vocabulary use, by length, for typo correction.
    dictionary: Vec<Vec<String>>,
    known: HashSet<String>,
    /// Their stems: a word whose stem is known ("lost" → lose) is no typo.
    known_stems: HashSet<String>,
}

/// Each word of a name or title that says what the entry is about, as the terms that match it
/// (its stem, its concepts).
fn subject_terms(ws: &[Word]) -> Vec<Vec<String>> {
    let found = concepts(ws);
    ws.iter()
        .enumerate()
        // `30d`, the `n` of `joins_last_n_days`: no word anyone says.
        .filter(|(_, w)| {
            !w.stop && w.text.len() > 1 && !w.text.contains(|c: char| c.is_ascii_digit())
        })
        // `messages_per_day`, `joins_last_n_days`: the answer's shape or period, not its
        // subject.
        .filter(|(i, _)| !period_shaped(ws, *i))
        .map(|(i, w)| {
            let mut ts = vec![w.stem.clone()];
            ts.extend(
                found
                    .iter()
                    .filter(|f| f.start <= i && i < f.end)
                    .map(|f| format!("@{}", f.concept)),
            );
            ts
        })
        // `per`, `top`, `by`: the answer's shape, which has its own weight.
        .filter(|ts| ts.len() == 1 || !ts[1..].iter().all(|t| SHAPE_CONCEPTS.contains(&&t[1..])))
        .collect()
}

/// Whether word `i` of a name or title only says the answer's period or shape: a unit after
/// `per`, `by`, `n`, `last` or a number (`per_day`, `last_n_days`, `30_days`), or `last`/`past`
/// before a number or unit.
fn period_shaped(ws: &[Word], i: usize) -> bool {
    let is_unit = |w: &Word| super::calendar::Unit::from_word(&w.stem).is_some();
    let is_number = |w: &Word| w.text.chars().all(|c| c.is_ascii_digit());
    let after_shape = i > 0
        && (matches!(
            ws[i - 1].text.as_str(),
            "per" | "by" | "each" | "a" | "n" | "last" | "past"
        ) || is_number(&ws[i - 1]));
    let before_period = matches!(ws[i].text.as_str(), "last" | "past" | "rolling")
        && ws
            .get(i + 1)
            .is_some_and(|n| n.text.len() == 1 || is_number(n) || is_unit(n));
    (after_shape && is_unit(&ws[i])) || before_period
}

/// A description's first clause: up to its first comma, stop, colon, semicolon or bracket.
fn lead_clause(description: &str) -> &str {
    description
        .split([',', '.', ';', ':', '(', '\u{2014}'])
        .next()
        .unwrap_or("")
}

/// The share of `terms` (from [`subject_terms`]) that `asked` holds.
pub fn said_share(terms: &[Vec<String>], asked: &HashSet<String>) -> f32 {
    if terms.is_empty() {
        return 0.0;
    }
    let said = terms
        .iter()
        .filter(|ts| ts.iter().any(|t| asked.contains(t.as_str())))
        .count();
    said as f32 / terms.len() as f32
}

/// The terms of a text: each non-stop word's stem, and every concept said.
fn terms_of(ws: &[Word]) -> Vec<String> {
    let found = concepts(ws);
    // "have not posted" is about not posting: "posted" is no evidence for posting.
    let negated = |i: usize| {
        vocabulary::negated(ws, i)
            && found
                .iter()
                .any(|f| f.concept == "inactive" && f.start <= i && i < f.end)
    };
    let mut out: Vec<String> = ws
        .iter()
        .enumerate()
        .filter(|(i, w)| !w.stop && !w.stem.chars().all(|c| c.is_ascii_digit()) && !negated(*i))
        .map(|(_, w)| w.stem.clone())
        .collect();
    out.extend(found.into_iter().map(|f| format!("@{}", f.concept)));
    out
}

impl Index {
    pub fn build(catalogue: &Catalogue) -> Index {
        let mut docs = Vec::with_capacity(catalogue.stats.len());
        let mut known: HashSet<String> = HashSet::new();
        // Every word the entries use, as written, with the term it counts as.
        let mut lex_words: Vec<(String, String)> = Vec::new();
        for stat in &catalogue.stats {
            let mut fields: Vec<(f32, &'static str, Vec<Word>)> = vec![
                (NAME, "name", words(&name_text(&stat.name))),
                (TITLE, "title", words(&stat.title)),
                (DESCRIPTION, "description", words(&stat.description)),
            ];
            for example in &stat.examples {
                fields.push((EXAMPLES, "examples", words(example)));
            }
            for p in &stat.params {
                fields.push((PARAMS, "parameters", words(&p.name.replace('_', " "))));
                fields.push((PARAMS, "parameters", words(&p.description)));
                if let crate::catalogue::ParamKind::String { allowed, .. } = &p.kind {
                    for a in allowed {
                        fields.push((ALLOWED, "allowed values", words(&a.replace('_', " "))));
                    }
                }
            }
            let mut terms: HashMap<String, f32> = HashMap::new();
            let mut origin: HashMap<String, &'static str> = HashMap::new();
            for (weight, field, ws) in &fields {
                known.extend(ws.iter().map(|w| w.text.clone()));
                lex_words.extend(
                    ws.iter()
                        // "in the last N days": a period, which the periods read, not a
                        // word anyone's paraphrase should find ("run out" is not "last").
                        .filter(|w| {
                            !w.stop && !super::period_words::KNOWN_WORDS.contains(&w.text.as_str())
                        })
                        .map(|w| (w.text.clone(), w.stem.clone())),
                );
                for t in terms_of(ws) {
                    *terms.entry(t.clone()).or_default() += weight;
                    origin.entry(t).or_insert(field);
                }
            }
            let shape = match stat.display {
                Display::Ranked => Some("@top"),
                Display::Series => Some("@series"),
                Display::Figures => Some("@count"),
            };
            if let Some(t) = shape {
                *terms.entry(t.into()).or_default() += SHAPE;
                origin.entry(t.into()).or_insert(SHAPE_FIELD);
            }
            let name_words = words(&stat.name.replace(['_', '-'], " "));
            let name_concepts = concepts(&name_words);
            let name_terms = subject_terms(&name_words);
            let title_terms = subject_terms(&words(&stat.title));
            let lead_terms = subject_terms(&words(lead_clause(&stat.description)));
            let modifiers = name_concepts
                .iter()
                .map(|f| f.concept)
                .filter(|c| MODIFIERS.contains(c))
                .collect();
            docs.push(Doc {
                name: stat.name.clone(),
                name_terms,
                title_terms,
                lead_terms,
                params: stat.params.iter().map(|p| (p.clone(), role(p))).collect(),
                ranked: stat.display == Display::Ranked,
                modifiers,
                terms,
                origin,
            });
        }
        // The concepts the entries say, through each of their one-word phrasings.
        let said: HashSet<&str> = docs
            .iter()
            .flat_map(|d| d.terms.keys())
            .filter_map(|t| t.strip_prefix('@'))
            .filter(|c| !SHAPE_CONCEPTS.contains(c) && !UNIT_CONCEPTS.contains(c))
            .collect();
        for concept in said {
            lex_words.extend(
                vocabulary::single_words(concept)
                    .filter(|w| !super::period_words::KNOWN_WORDS.contains(w))
                    .map(|w| (w.to_string(), format!("@{concept}"))),
            );
        }
        let n = docs.len() as f32;
        let mut df: HashMap<&str, f32> = HashMap::new();
        for d in &docs {
            for t in d.terms.keys() {
                *df.entry(t.as_str()).or_default() += 1.0;
            }
        }
        let idf = df
            .into_iter()
            .map(|(t, df)| (t.to_string(), (1.0 + (n - df + 0.5) / (df + 0.5)).ln()))
            .collect();
        known.extend(vocabulary::known_words().map(str::to_string));
        known.extend(
            super::period_words::KNOWN_WORDS
                .iter()
                .map(|w| w.to_string()),
        );
        let plain: Vec<String> = super::words::PLAIN.iter().map(|w| w.to_string()).collect();
        let mut dictionary: Vec<Vec<String>> = vec![Vec::new(); 40];
        for w in &known {
            if w.len() >= 3 && w.len() < 40 && w.chars().all(|c| c.is_ascii_lowercase()) {
                dictionary[w.len()].push(w.clone());
            }
        }
        dictionary.iter_mut().for_each(|b| b.sort());
        // Plain words are known (never corrected) but no correction leads to one.
        known.extend(plain);
        let known_stems = known.iter().map(|w| super::words::stem(w)).collect();
        Index {
            docs,
            lex_words,
            related: OnceLock::new(),
            idf,
            dictionary,
            known,
            known_stems,
        }
    }

    /// The closest known word to a misspelt one, when it is close enough to be a typo.
    pub fn correct(&self, word: &str) -> Option<&str> {
        let len = word.chars().count();
        if len < 3
            || self.known.contains(word)
            || !word.chars().all(|c| c.is_ascii_lowercase())
            || self.known_stems.contains(&super::words::stem(word))
            // A real word is no typo: "roster" is not "poster".
            || super::lexicon::lexicon().knows(word)
            // `sept`, `oct`: a month, which the periods read.
            || super::period_words::named_month_word(word, "since").is_some()
        {
            return None;
        }
        // Three letters are too few to guess from, but for a period word ("wek", "dya").
        if len == 3 {
            return super::period_words::KNOWN_WORDS
                .iter()
                .copied()
                .filter(|k| k.len() == 4)
                .find(|k| strsim::osa_distance(word, k) == 1);
        }
        // The word, else its stem ("refferals" → refferal → referral), else its completion.
        let stem = super::words::stem(word);
        self.nearest(word)
            .or_else(|| {
                (stem != word && stem.len() >= 4)
                    .then(|| self.nearest(&stem))
                    .flatten()
            })
            .or_else(|| self.complete(word))
    }

    /// The known word fewest edits away, one edit for short words and two for long ones.
    fn nearest(&self, word: &str) -> Option<&str> {
        let len = word.len();
        let max = if len >= 8 { 2 } else { 1 };
        let mut best: Option<(usize, &str)> = None;
        for l in len.saturating_sub(max)..=(len + max).min(self.dictionary.len() - 1) {
            for candidate in &self.dictionary[l] {
                // A typo rarely changes both of the first two letters: a cheap filter first.
                let (a, b) = (word.as_bytes(), candidate.as_bytes());
                if a[0] != b[0] && a[1] != b[1] {
                    continue;
                }
                // Edits and swapped neighbours ("teh"), without strsim's per-call map.
                let d = strsim::osa_distance(word, candidate);
                if d <= max && best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, candidate));
                }
            }
        }
        best.map(|(_, w)| w)
    }

    /// The shortest known word that `word` begins ("verif" → verify, "subscr" → subscribe):
    /// people cut words short in chat. Four letters at least, and at most twice as long.
    fn complete(&self, word: &str) -> Option<&str> {
        let len = word.len();
        if len < 4 {
            return None;
        }
        // `get`: a word as long as the longest bucket has no completion (a 40-letter word
        // sliced past the end).
        self.dictionary
            .get(len + 1..(2 * len + 1).min(self.dictionary.len()))?
            .iter()
            .find_map(|bucket| bucket.iter().find(|c| c.starts_with(word)))
            .map(String::as_str)
    }

    /// The entries' words by their WordNet senses.
    pub fn related(&self) -> &Related {
        self.related.get_or_init(|| {
            Related::build(self.lex_words.iter().map(|(w, t)| (w.as_str(), t.clone())))
        })
    }

    pub fn idf(&self, term: &str) -> f32 {
        self.idf.get(term).copied().unwrap_or(0.0)
    }
}

/// How one entry fits one word: the score, and what it matched (`term`, field).
#[derive(Debug, Clone)]
pub struct WordFit {
    pub score: f32,
    pub term: String,
    pub field: &'static str,
    /// Matched through a related word (WordNet), not the word or its concept.
    pub related: bool,
}

/// How `doc` fits a word through the related terms of [`Related::terms`]: the best of them.
pub fn related_fit(index: &Index, doc: &Doc, related: &[(String, f32)]) -> Option<WordFit> {
    related
        .iter()
        .filter_map(|(term, near)| {
            let tf = doc.terms.get(term)?;
            let sat = tf * (K1 + 1.0) / (tf + K1);
            Some(WordFit {
                score: RELATED * near * sat * index.idf(term).max(0.15),
                term: term.clone(),
                field: doc.origin[term],
                related: true,
            })
        })
        .max_by(|a, b| a.score.total_cmp(&b.score))
}

/// The best fit of `terms` (a word's stem and its concepts) in `doc`.
pub fn fit(index: &Index, doc: &Doc, stem: &str, concepts: &[&'static str]) -> Option<WordFit> {
    let score_of = |term: &str, factor: f32| {
        doc.terms.get(term).map(|tf| {
            let sat = tf * (K1 + 1.0) / (tf + K1);
            // A floor on idf: a word every entry has still says something.
            factor * sat * index.idf(term).max(0.15)
        })
    };
    // A word with a concept is read as the concept: "new" and "joined" are the same evidence,
    // whichever one an entry happens to use. Its own stem counts only where the concept is absent.
    let mut best: Option<WordFit> = None;
    for c in concepts {
        let term = format!("@{c}");
        if let Some(score) = score_of(&term, CONCEPT)
            && best.as_ref().is_none_or(|b| score > b.score)
        {
            best = Some(WordFit {
                score,
                field: doc.origin[&term],
                term,
                related: false,
            });
        }
    }
    if best.is_none() {
        best = score_of(stem, 1.0).map(|score| WordFit {
            score,
            term: stem.to_string(),
            field: doc.origin[stem],
            related: false,
        });
    }
    best
}
