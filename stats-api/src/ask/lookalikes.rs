//! `catalogue check`'s warning: entries that their own words cannot tell apart. Each entry's
//! title is asked as a question; when another entry fits as well (or better), a person asking
//! for one may be given the other.

use chrono::NaiveDate;

use super::AskIndex;
use crate::catalogue::Catalogue;

/// How close a second entry may come to the first before the two count as lookalikes.
const TOO_CLOSE: f64 = 0.05;

/// One line per pair of entries that cannot be told apart, naming both and what to do.
pub fn lookalikes(catalogue: &Catalogue) -> Vec<String> {
    let index = AskIndex::build(catalogue);
    // Any date: titles name no periods that matter here.
    let today = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date");
    let mut pairs: Vec<(String, String, String)> = Vec::new();
    for stat in &catalogue.stats {
        let Ok(answer) = index.ask(&stat.title, today) else {
            continue;
        };
        let own = answer.matches.iter().find(|m| m.stat == stat.name);
        let own_score = own.map_or(0.0, |m| m.score);
        for other in answer.matches.iter().filter(|m| m.stat != stat.name) {
            if other.score + TOO_CLOSE >= own_score {
                let (a, b) = if stat.name < other.stat {
                    (stat.name.clone(), other.stat.clone())
                } else {
                    (other.stat.clone(), stat.name.clone())
                };
                if !pairs.iter().any(|(x, y, _)| *x == a && *y == b) {
                    pairs.push((a, b, stat.title.clone()));
                }
            }
        }
    }
    pairs
        .into_iter()
        .map(|(a, b, title)| {
            format!(
                "catalogue entries `{a}` and `{b}` are hard to tell apart by their words \
                 (asking \u{201c}{title}\u{201d} finds both): add `examples` to each, or make \
                 a title or description more specific"
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::DEFAULT_CATALOGUE;

    #[test]
    fn the_shipped_entries_are_told_apart_and_twins_are_not() {
        assert_eq!(
            lookalikes(&Catalogue::parse(DEFAULT_CATALOGUE).unwrap()),
            Vec::<String>::new()
        );
        let twin = |name: &str| {
            format!(
                "[[stats]]\nname = \"{name}\"\ntitle = \"Members\"\ndescription = \"How many members there are.\"\ndisplay = \"figures\"\nsql = \"SELECT 1 AS n\"\n"
            )
        };
        let found = lookalikes(&Catalogue::parse(&(twin("members") + &twin("people"))).unwrap());
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("`members` and `people`"), "{found:?}");
    }
}
