//! General knowledge of English words, offline: Princeton WordNet 3.0 reduced to each word's
//! common senses and the senses one step from them (`stats-api/wordnet/`, made by
//! `stats-api/tools/wordnet_table.sh`). It says whether a word is English (so a real word is
//! never "corrected" into a catalogue word) and how closely two words are related (so
//! "expelled" can find "banned", weakly).

use std::collections::HashMap;
use std::sync::LazyLock;

/// The table, zlib-compressed; decompressed once, on first use.
static COMPRESSED: &[u8] = include_bytes!("../../wordnet/wordnet.zlib");

/// How much a word's sense counts by its rank (WordNet lists the most common first).
const RANK: [f32; 3] = [1.0, 0.9, 0.8];
/// A sense one step away: derivationally related, similar, or of the same verb group…
const NEAR: f32 = 0.8;
/// …or more general (a hypernym).
const HYPERNYM: f32 = 0.65;

pub struct Lexicon {
    text: String,
    /// Each sense's line: hypernyms, then near senses.
    senses: Vec<(u32, u32)>,
    /// The words' lines, sorted by word.
    words: Vec<(u32, u32)>,
    /// Irregular forms' lines (`mice mouse`), sorted by form.
    forms: Vec<(u32, u32)>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let bytes = fdeflate::decompress_to_vec(COMPRESSED).expect("the compiled-in WordNet table");
    Lexicon::parse(String::from_utf8(bytes).expect("the WordNet table is UTF-8"))
});

pub fn lexicon() -> &'static Lexicon {
    &LEXICON
}

impl Lexicon {
    fn parse(text: String) -> Lexicon {
        let mut sections: Vec<Vec<(u32, u32)>> = vec![Vec::new()];
        let mut start = 0usize;
        for line in text.split_inclusive('\n') {
            let end = start + line.trim_end_matches('\n').len();
            if &text[start..end] == "%" {
                sections.push(Vec::new());
            } else if let Some(last) = sections.last_mut() {
                last.push((start as u32, end as u32));
            }
            start += line.len();
        }
        let forms = sections.pop().unwrap_or_default();
        let words = sections.pop().unwrap_or_default();
        let senses = sections.pop().unwrap_or_default();
        Lexicon {
            text,
            senses,
            words,
            forms,
        }
    }

    fn line(&self, (start, end): (u32, u32)) -> &str {
        &self.text[start as usize..end as usize]
    }

    /// The rest of the line of `key` in a sorted section.
    fn find<'a>(&'a self, section: &[(u32, u32)], key: &str) -> Option<&'a str> {
        let at = section
            .binary_search_by(|&span| {
                let line = self.line(span);
                line.split_once(' ').map_or(line, |(k, _)| k).cmp(key)
            })
            .ok()?;
        self.line(section[at]).split_once(' ').map(|(_, rest)| rest)
    }

    /// The dictionary forms of `word` that WordNet has: itself, its irregular base
    /// (`mice` → mouse), and what WordNet's own suffix rules give (`joined` → join).
    pub fn lemmas<'a>(&self, word: &'a str) -> Vec<std::borrow::Cow<'a, str>> {
        use std::borrow::Cow;
        let mut out: Vec<Cow<'a, str>> = Vec::new();
        let mut add = |w: Cow<'a, str>| {
            if !out.contains(&w) && self.find(&self.words, &w).is_some() {
                out.push(w);
            }
        };
        add(Cow::Borrowed(word));
        if let Some(base) = self.find(&self.forms, word) {
            add(Cow::Owned(base.to_string()));
        }
        // WordNet's detachment rules, for nouns, verbs and adjectives alike.
        const RULES: &[(&str, &str)] = &[
            ("s", ""),
            ("ses", "s"),
            ("xes", "x"),
            ("zes", "z"),
            ("ches", "ch"),
            ("shes", "sh"),
            ("men", "man"),
            ("ies", "y"),
            ("es", "e"),
            ("es", ""),
            ("ed", "e"),
            ("ed", ""),
            ("ing", "e"),
            ("ing", ""),
            ("er", ""),
            ("est", ""),
            ("er", "e"),
            ("est", "e"),
        ];
        for (suffix, with) in RULES {
            if let Some(rest) = word.strip_suffix(suffix)
                && rest.len() >= 2
            {
                add(Cow::Owned(format!("{rest}{with}")));
            }
        }
        out
    }

    /// The WordNet phrase two words make, as its key (`called` `off` → `call_off`), when there
    /// is one: a phrasal verb ("call off", "pitch in", "turn in") means what neither word does.
    pub fn phrase(&self, first: &str, second: &str) -> Option<String> {
        let particle = std::iter::once(std::borrow::Cow::Borrowed(second));
        let seconds: Vec<_> = particle.chain(self.lemmas(second)).collect();
        self.lemmas(first).into_iter().find_map(|head| {
            seconds.iter().find_map(|tail| {
                let key = format!("{head}_{tail}");
                self.find(&self.words, &key).is_some().then_some(key)
            })
        })
    }

    /// How many senses `word` has in all (its most meaningful dictionary form): "get" and
    /// "say" have dozens, "expel" a few.
    pub fn polysemy(&self, word: &str) -> usize {
        self.lemmas(word)
            .iter()
            .filter_map(|lemma| self.find(&self.words, lemma))
            .filter_map(|line| line.split_once(' ')?.1.parse().ok())
            .min()
            .unwrap_or(0)
    }

    /// Whether `word` is an English word, or a form of one.
    pub fn knows(&self, word: &str) -> bool {
        !self.lemmas(word).is_empty()
    }

    /// The senses of `word` and those one step from them, each with how near it is (1 for a
    /// word's most common sense).
    pub fn senses(&self, word: &str) -> HashMap<u32, f32> {
        let mut out: HashMap<u32, f32> = HashMap::new();
        let mut put = |sense: u32, weight: f32| {
            let w = out.entry(sense).or_default();
            *w = w.max(weight);
        };
        for lemma in self.lemmas(word) {
            let Some(line) = self.find(&self.words, &lemma) else {
                continue;
            };
            let list = line.split_once(' ').map_or(line, |(list, _)| list);
            for (rank, sense) in list
                .split(',')
                .filter_map(|s| s.parse::<u32>().ok())
                .enumerate()
            {
                let weight = RANK[rank.min(RANK.len() - 1)];
                put(sense, weight);
                let Some(&span) = self.senses.get(sense as usize) else {
                    continue;
                };
                let (hyper, near) = self.line(span).split_once(' ').unwrap_or(("", ""));
                for h in hyper.split(',').filter_map(|s| s.parse::<u32>().ok()) {
                    put(h, weight * HYPERNYM);
                }
                for n in near.split(',').filter_map(|s| s.parse::<u32>().ok()) {
                    put(n, weight * NEAR);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn related(a: &str, b: &str) -> f32 {
        let l = lexicon();
        let (sa, sb) = (l.senses(a), l.senses(b));
        sa.iter()
            .filter_map(|(s, wa)| sb.get(s).map(|wb| wa * wb))
            .fold(0.0, f32::max)
    }

    #[test]
    fn english_words_and_their_forms_are_known() {
        let l = lexicon();
        for word in [
            "roster", "rosters", "expelled", "mice", "quickest", "lurkers", "joined",
        ] {
            assert!(l.knows(word), "{word}");
        }
        for typo in ["membrs", "singups", "mentros", "growht", "attendence"] {
            assert!(!l.knows(typo), "{typo}");
        }
    }

    #[test]
    fn phrases_are_found_by_their_words_forms() {
        let l = lexicon();
        assert_eq!(l.phrase("called", "off").as_deref(), Some("call_off"));
        assert_eq!(l.phrase("turned", "in").as_deref(), Some("turn_in"));
        assert_eq!(l.phrase("members", "in"), None);
        assert!(l.polysemy("say") > 10 && l.polysemy("expelled") < 5);
    }

    #[test]
    fn related_words_are_near_and_unrelated_ones_are_not() {
        assert!(related("expelled", "banished") >= 0.6);
        assert!(related("clients", "customer") >= 0.8);
        assert!(related("roster", "list") >= 0.6);
        assert_eq!(related("pizza", "mentor"), 0.0);
        // A phrasal verb means what neither of its words does.
        assert!(related("call_off", "cancel") >= 0.8);
        assert_eq!(related("called", "cancel"), 0.0);
    }
}
