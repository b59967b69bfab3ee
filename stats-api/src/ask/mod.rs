//! `GET /v1/ask?q=<words>`: a question in words, read as declared stats and the parameters
//! the words fix — without a language model, from the catalogue's own words and a built-in
//! vocabulary. An [`AskIndex`] is built when a catalogue is loaded (or reloaded); a question
//! is then a pure function of the index, the words and today's date.
//!
//! `words` (normalising), `vocabulary` (what people call things), `periods` (dates and
//! numbers), `question` (which words decide), `fill` (parameters), `matcher` (which entries
//! fit), `lexicon` and `related` (WordNet), `confidence` (what keeps an answer from being
//! given at once).

mod calendar;
mod confidence;
mod fill;
mod lexicon;
mod lookalikes;
mod matcher;
mod period_words;
mod periods;
mod question;
mod rare_words;
mod related;
mod vocabulary;
mod words;

use chrono::NaiveDate;
use serde_json::{Map, Value};
use stats_contract::{AskAnswer, AskMatch};

use crate::catalogue::Catalogue;
use crate::error::Error;

pub use lookalikes::lookalikes;
pub use rare_words::rare_words;

/// How `why` says a word of the question matched no entry at all.
pub const UNMATCHED: &str = "matches nothing in the catalogue";

/// The longest question read, in characters.
pub const MAX_QUESTION_CHARS: usize = 300;
/// At most this many matches are given.
const MAX_MATCHES: usize = 3;
/// Below this an entry is not offered at all.
const MIN_SCORE: f32 = 0.2;
/// A confident first match scores at least this, covers this share of the words, and leads
/// the second by this much.
const CONFIDENT_SCORE: f32 = 0.6;
const CONFIDENT_COVERAGE: f32 = 1.0;
/// A question that says the entry's name ("members", "top inviters") fits it best: the share
/// of the name's words said moves a score by up to this much.
const NAME_SAID: f32 = 0.15;
const CONFIDENT_LEAD: f32 = 0.12;
/// An entry that cannot take the period the words name fits less well.
const PERIOD_UNTAKEN: f32 = 0.5;
/// An entry with a required parameter the words did not fix cannot run as asked.
const REQUIRED_MISSING: f32 = 0.8;
/// "top 5" asks for a ranking: an entry with no count to take it fits less well.
const TOP_UNTAKEN: f32 = 0.85;
/// "most", "top", "leaderboard" ask for a ranking: an entry that ranks nothing fits less well.
const UNRANKED: f32 = 0.7;
/// A ranking nobody asked for fits a little less than a plain answer.
const UNASKED_RANKING: f32 = 0.92;
/// An entry whose name says its number is an average or a rate, when the words ask for
/// neither, fits less well: "how many referrals" is not "average invites per mentor".
const MODIFIER_UNASKED: f32 = 0.85;
/// "who …" asks for people: a list of them (ranked) fits a little better than a figure.
const WHO_UNLISTED: f32 = 0.97;
/// Fields that say what an entry is; a confident answer needs a word matched in one of them,
/// or two words in its description (which mentions many things the entry does not count).
const STRONG_FIELDS: &[&str] = &["name", "title", "examples", "allowed values"];
/// Each allowed value or boolean the words fixed raises an entry's score by this share.
const CHOICE_SAID: f32 = 0.1;
/// "people" beside what is counted ("how many folks pitch in") counts this share of a word.
const PEOPLE_IMPLIED: f32 = 0.5;
/// Words that only hint (a unit word, "per", "where", "how many") make this share of a score.
const HINT: f32 = 0.15;

/// A catalogue's words, indexed for questions. Built with the catalogue, swapped with it.
#[derive(Debug)]
pub struct AskIndex(matcher::Index);

impl AskIndex {
    pub fn build(catalogue: &Catalogue) -> AskIndex {
        AskIndex(matcher::Index::build(catalogue))
    }

    /// `GET /v1/ask`'s query string (`q=…`), read and logged (the words escaped).
    pub fn ask_query(&self, query: Option<&str>, today: NaiveDate) -> Result<AskAnswer, Error> {
        let given: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
            .map_err(|_| Error::BadQuestion("the query string is not valid URL encoding".into()))?;
        let q = given.iter().find(|(k, _)| k == "q").map_or("", |(_, v)| v);
        let answer = self.ask(q, today)?;
        // What people ask, and whether it was understood, tells an admin what to add.
        tracing::info!(
            question = ?answer.query,
            confident = answer.confident,
            first = answer.matches.first().map_or("", |m| m.invocation.as_str()),
            "question read"
        );
        Ok(answer)
    }

    /// Reads `question` (`today`: the UTC date periods are counted from).
    pub fn ask(&self, question: &str, today: NaiveDate) -> Result<AskAnswer, Error> {
        let query = question.trim();
        if query.is_empty() {
            return Err(Error::BadQuestion(
                "`q` is empty: ask in words, e.g. ?q=how many members joined this week".into(),
            ));
        }
        // Counted before trimming, as the OpenAPI's `maxLength` counts.
        let chars = question.chars().count();
        if chars > MAX_QUESTION_CHARS {
            return Err(Error::BadQuestion(format!(
                "`q` is {chars} characters; a question may have at most {MAX_QUESTION_CHARS}"
            )));
        }
        Ok(self.read(query, today))
    }

    fn read(&self, query: &str, today: NaiveDate) -> AskAnswer {
        let index = &self.0;
        let question::Question {
            ws,
            mut notes,
            reading,
            content,
            hints,
            phrase_at,
            in_phrase,
            implied,
        } = question::read(index, query, today);
        let answer = |matches| AskAnswer {
            query: query.to_string(),
            confident: false,
            matches,
        };
        if content.is_empty() || confidence::pleasantry(&ws) {
            return answer(Vec::new());
        }
        // The catalogue's words related to each content word that no concept reads.
        let related: Vec<Vec<(String, f32)>> = content
            .iter()
            .map(|(i, cs)| {
                if let Some(phrase) = &phrase_at[*i] {
                    index.related().terms(phrase)
                } else if cs.is_empty() && !in_phrase[*i] {
                    index.related().terms(&ws[*i].text)
                } else {
                    Vec::new()
                }
            })
            .collect();
        // Each entry's fit to each content word.
        let mut fits: Vec<Vec<Option<matcher::WordFit>>> = index
            .docs
            .iter()
            .map(|d| {
                content
                    .iter()
                    .zip(&related)
                    .map(|((i, cs), near)| {
                        // A word of a phrase ("community size", "called off") means the
                        // phrase, not itself.
                        let stem = if in_phrase[*i] || phrase_at[*i].is_some() {
                            ""
                        } else {
                            ws[*i].stem.as_str()
                        };
                        matcher::fit(index, d, stem, cs)
                            .or_else(|| matcher::related_fit(index, d, near))
                    })
                    .collect()
            })
            .collect();
        // …and weighs less than what is counted.
        for f in fits.iter_mut().flat_map(|f| f.iter_mut().zip(&implied)) {
            if let (Some(fit), true) = f {
                fit.score *= PEOPLE_IMPLIED;
            }
        }
        let best: Vec<f32> = (0..content.len())
            .map(|j| {
                fits.iter()
                    .filter_map(|f| f[j].as_ref())
                    .map(|f| f.score)
                    .fold(0.0, f32::max)
            })
            .collect();
        // Words no entry knows: no answer is confident with one (coverage), and an admin
        // reading the answer sees which words to add.
        for (j, (i, _)) in content.iter().enumerate() {
            if best[j] <= 0.0 {
                notes.push(format!("\u{201c}{}\u{201d} {UNMATCHED}", ws[*i].text));
            }
        }
        let best_sum: f32 = best.iter().sum();
        if best_sum <= 0.0 {
            return answer(Vec::new());
        }
        let asks_ranking = content.iter().any(|(_, cs)| cs.contains(&"top"));
        let asks_who = ws
            .iter()
            .any(|w| matches!(w.text.as_str(), "who" | "whos" | "whom"));
        // Every term the question says (content words and hints), for the name's share.
        let mut asked: std::collections::HashSet<String> = std::collections::HashSet::new();
        for (i, cs) in content.iter().chain(hints.iter()) {
            asked.insert(ws[*i].stem.clone());
            asked.extend(cs.iter().map(|c| format!("@{c}")));
        }
        let hint_of = |doc: &matcher::Doc| -> f32 {
            hints
                .iter()
                .filter_map(|(i, cs)| matcher::fit(index, doc, &ws[*i].stem, cs))
                .map(|f| f.score)
                .sum()
        };
        let hints_by_doc: Vec<f32> = index.docs.iter().map(hint_of).collect();
        let best_hint = hints_by_doc.iter().copied().fold(0.0, f32::max);
        let mut scored: Vec<Scored> = Vec::new();
        for (d, doc) in index.docs.iter().enumerate() {
            let got: f32 = fits[d].iter().flatten().map(|f| f.score).sum();
            if got <= 0.0 {
                continue;
            }
            let covered = fits[d]
                .iter()
                .zip(&implied)
                .filter(|(f, implied)| f.is_some() || **implied)
                .count() as f32;
            let coverage = covered / content.len() as f32;
            let relative = got / best_sum;
            let hint = if best_hint > 0.0 {
                hints_by_doc[d] / best_hint
            } else {
                1.0
            };
            let mut score = (relative * (1.0 - HINT) + hint * HINT) * (0.4 + 0.6 * coverage);
            if !doc.name_terms.is_empty() {
                score *= 1.0 - NAME_SAID + NAME_SAID * matcher::said_share(&doc.name_terms, &asked);
            }
            let filled = fill::fill(&doc.params, &reading, &ws, today);
            if reading.period.is_some() {
                score *= if filled.took_period {
                    filled.period_fit
                } else {
                    PERIOD_UNTAKEN
                };
            }
            if reading.top.is_some() && !doc.params.iter().any(|(_, r)| *r == fill::Role::Count) {
                score *= TOP_UNTAKEN;
            }
            if asks_ranking && !doc.ranked {
                score *= UNRANKED;
            } else if asks_who && !asks_ranking && !doc.ranked {
                score *= WHO_UNLISTED;
            } else if !asks_ranking && !asks_who && doc.ranked {
                score *= UNASKED_RANKING;
            }
            if doc
                .modifiers
                .iter()
                .any(|m| !asked.contains(format!("@{m}").as_str()))
            {
                score *= MODIFIER_UNASKED;
            }
            // An allowed value or a boolean the words named is strong evidence for its entry.
            score *= 1.0 + CHOICE_SAID * filled.choices as f32;
            if missing_required(doc, &filled) {
                score *= REQUIRED_MISSING;
            }
            scored.push(Scored {
                doc: d,
                score: score.min(1.0),
                coverage,
                filled,
            });
        }
        scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        scored.retain(|s| s.score >= MIN_SCORE);
        scored.truncate(MAX_MATCHES);
        let confident = scored.first().is_some_and(|top| {
            let second = scored.get(1).map_or(0.0, |s| s.score);
            let required_missing = missing_required(&index.docs[top.doc], &top.filled);
            // Words matched by what the entry says, not by the way it is shown.
            let matched: Vec<&matcher::WordFit> = fits[top.doc]
                .iter()
                .flatten()
                .filter(|f| f.field != matcher::SHAPE_FIELD && !f.related)
                .collect();
            // A word matched only through a related word is a guess at what it means.
            let guessed = fits[top.doc].iter().flatten().any(|f| f.related);
            let doc = &index.docs[top.doc];
            // What the entry is: its name, title, examples, allowed values, or what its
            // description's first clause says it counts.
            let named = matched.iter().any(|f| {
                STRONG_FIELDS.contains(&f.field)
                    || doc.lead_terms.iter().any(|ts| ts.contains(&f.term))
            });
            // "who …" asks for people; a figure or a series names nobody.
            let answers_who = !asks_who || doc.ranked;
            // One word is enough only when it is what the entry is about (half its name or
            // title): "time" alone is not "Average reply time".
            let enough = match matched.len() {
                0 => false,
                1 => {
                    matcher::said_share(&doc.name_terms, &asked) >= 0.5
                        || matcher::said_share(&doc.title_terms, &asked) >= 0.5
                        || matcher::said_share(&doc.lead_terms, &asked) >= 0.5
                }
                _ => true,
            };
            // The second fits every word but "people": the lead rests on a word that only says
            // who is counted.
            let rests_on_people = scored.get(1).is_some_and(|second| {
                let (a, b) = (&fits[top.doc], &fits[second.doc]);
                (0..content.len()).all(|j| implied[j] || b[j].is_some())
                    && (0..content.len()).any(|j| implied[j] && a[j].is_some() && b[j].is_none())
            });
            top.score >= CONFIDENT_SCORE
                && !guessed
                && !rests_on_people
                && (named || matched.len() >= 2)
                && enough
                && answers_who
                && !confidence::personal(&ws)
                && !confidence::request_to_change(&ws)
                && !(confidence::all_time(&ws) && confidence::counts_back(doc))
                && top.coverage >= CONFIDENT_COVERAGE
                && top.score - second >= CONFIDENT_LEAD
                && !top.filled.refused
                && reading.refused.is_none()
                && !required_missing
        });
        let matches = scored
            .into_iter()
            .map(|s| {
                let doc = &index.docs[s.doc];
                let mut why = notes.clone();
                for (j, (i, _)) in content.iter().enumerate() {
                    let w = match &phrase_at[*i] {
                        Some(_) => format!("{} {}", ws[*i].text, ws[*i + 1].text),
                        None => ws[*i].text.clone(),
                    };
                    if best[j] <= 0.0 {
                        continue;
                    }
                    why.push(match &fits[s.doc][j] {
                        Some(f) if f.related => format!(
                            "\u{201c}{w}\u{201d} is near \u{201c}{}\u{201d} (WordNet), as in the {}",
                            f.term.trim_start_matches('@'),
                            f.field
                        ),
                        Some(f) if f.term.starts_with('@') => {
                            format!(
                                "\u{201c}{w}\u{201d} means {}, as in the {}",
                                &f.term[1..],
                                f.field
                            )
                        }
                        Some(f) => format!("\u{201c}{w}\u{201d} is in the {}", f.field),
                        None => format!("\u{201c}{w}\u{201d}: not in this stat's words"),
                    });
                }
                why.extend(s.filled.why.iter().cloned());
                if let Some(period) = &reading.period
                    && !s.filled.took_period
                    && !s.filled.refused
                {
                    let said = &period.said;
                    why.push(format!(
                        "\u{201c}{said}\u{201d}: this stat takes no such period"
                    ));
                }
                if let Some(said) = &reading.refused {
                    why.push(format!("\u{201c}{said}\u{201d} is not a period"));
                }
                let params: Map<String, Value> = s
                    .filled
                    .values
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect();
                AskMatch {
                    stat: doc.name.clone(),
                    invocation: fill::invocation(&doc.name, &doc.params, &s.filled.values),
                    params,
                    score: (f64::from(s.score) * 1000.0).round() / 1000.0,
                    why,
                }
            })
            .collect();
        AskAnswer {
            query: query.to_string(),
            confident,
            matches,
        }
    }
}

fn missing_required(doc: &matcher::Doc, filled: &fill::Filled) -> bool {
    doc.params
        .iter()
        .any(|(p, _)| p.default().is_none() && !filled.values.iter().any(|(n, _)| n == &p.name))
}

struct Scored {
    doc: usize,
    score: f32,
    coverage: f32,
    filled: fill::Filled,
}

#[cfg(test)]
mod blind_categories;
#[cfg(test)]
mod blind_second_round;
#[cfg(test)]
mod hostile_questions;
#[cfg(test)]
mod question_sets;
#[cfg(test)]
mod question_sets_blind_a;
#[cfg(test)]
mod question_sets_blind_b;
#[cfg(test)]
mod question_sets_blind_c;
#[cfg(test)]
mod question_sets_blind_d;
#[cfg(test)]
mod question_sets_paraphrase;
#[cfg(test)]
mod question_sets_slack;
#[cfg(test)]
mod question_sets_third;
#[cfg(test)]
mod readme_examples;
#[cfg(test)]
mod tests;
