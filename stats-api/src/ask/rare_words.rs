//! `catalogue check`'s other warning: an entry whose title people would not say. A title of
//! words no dictionary and no vocabulary knows ("CSAT", "MAU", "Evt rating" is half known) is
//! found only by someone who already knows its name; `examples` in the words people use fix it.

use super::lexicon::lexicon;
use super::vocabulary::concepts;
use super::words::words;
use crate::catalogue::Catalogue;

/// One line per entry without `examples` whose title has no word people ask with.
pub fn rare_words(catalogue: &Catalogue) -> Vec<String> {
    let lex = lexicon();
    catalogue
        .stats
        .iter()
        .filter(|s| s.examples.is_empty())
        .filter_map(|stat| {
            let ws = words(&stat.title);
            let found = concepts(&ws);
            let subject: Vec<(usize, &str)> = ws
                .iter()
                .enumerate()
                // A period ("30d", "weekly") says when, not what.
                .filter(|(_, w)| {
                    !w.stop
                        && w.text.chars().all(|c| c.is_alphabetic())
                        && super::calendar::Unit::from_word(&w.stem).is_none()
                })
                .map(|(i, w)| (i, w.text.as_str()))
                .collect();
            let known =
                |i: usize, w: &str| lex.knows(w) || found.iter().any(|f| f.start <= i && i < f.end);
            let rare: Vec<&str> = subject
                .iter()
                .filter(|(i, w)| !known(*i, w))
                .map(|(_, w)| *w)
                .collect();
            // Every word of the title rare (one technical word, or only abbreviations).
            (!subject.is_empty() && rare.len() == subject.len()).then(|| {
                let quoted: Vec<String> = rare
                    .iter()
                    .map(|w| format!("\u{201c}{w}\u{201d}"))
                    .collect();
                format!(
                    "catalogue entry `{}`: its title \u{201c}{}\u{201d} is in words people rarely \
                     ask with ({}): add `examples`, questions in the words people use, e.g. \
                     examples = [\"how happy are customers with support\"]",
                    stat.name,
                    stat.title,
                    quoted.join(", ")
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::DEFAULT_CATALOGUE;

    fn entry(name: &str, title: &str, examples: &str) -> String {
        format!(
            "[[stats]]\nname = \"{name}\"\ntitle = \"{title}\"\ndescription = \"A number.\"\ndisplay = \"figures\"\nsql = \"SELECT 1 AS n\"\n{examples}\n"
        )
    }

    #[test]
    fn titles_of_technical_words_alone_are_told_and_plain_ones_are_not() {
        assert_eq!(
            rare_words(&Catalogue::parse(DEFAULT_CATALOGUE).unwrap()),
            Vec::<String>::new()
        );
        let text = entry("csat", "CSAT", "")
            + &entry("nrr", "NRR 30d", "")
            + &entry("nps", "NPS", "examples = [\"would people recommend us\"]")
            + &entry("csat_by_agent", "CSAT by agent", "")
            + &entry("growth", "Growth", "");
        let found = rare_words(&Catalogue::parse(&text).unwrap());
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].contains("`csat`") && found[0].contains("\u{201c}csat\u{201d}"),
            "{found:?}"
        );
        assert!(found[0].contains("add `examples`"), "{found:?}");
        assert!(found[1].contains("`nrr`"), "{found:?}");
    }
}
