//! The blind sets by category (each case's trailing comment in its source): top-1, top-3,
//! confident wrong, and for requests and unanswerable questions how many were answered at once.
//! Prints numbers only, never the questions.

use super::question_sets::Case;
use super::tests::{BLIND_A_CATALOGUE, BLIND_B_CATALOGUE, Tally, index, run};

/// Each case's category, read from its line's trailing `// category`, in order.
fn categories(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter(|l| l.trim_start().starts_with("(\""))
        .map(|l| l.rsplit_once("//").map_or("?", |(_, c)| c.trim()))
        .collect()
}

fn row(name: &str, t: &Tally) -> String {
    let pct = |n: usize, of: usize| {
        if of == 0 {
            "—".to_string()
        } else {
            format!("{n} ({:.0}%)", 100.0 * n as f64 / of as f64)
        }
    };
    format!(
        "| {name} | {} | {} | {} | {} | {} |",
        t.questions + t.unanswerable,
        pct(t.top1, t.questions),
        pct(t.top3, t.questions),
        t.confident_wrong,
        if t.unanswerable > 0 {
            format!("{} of {}", t.unanswerable_confident, t.unanswerable)
        } else {
            "—".into()
        }
    )
}

fn by_category(name: &str, catalogue: &str, source: &str, cases: &[Case]) {
    let cats = categories(source);
    assert_eq!(cats.len(), cases.len(), "{name}: one case a line");
    let i = index(catalogue);
    println!(
        "{name}\n| category | questions | top-1 | top-3 | confident wrong | answered at once (not answerable) |"
    );
    let mut names: Vec<&str> = cats.clone();
    names.sort();
    names.dedup();
    for cat in names {
        let some: Vec<Case> = cases
            .iter()
            .zip(&cats)
            .filter(|(_, c)| **c == cat)
            .map(|(case, _)| *case)
            .collect();
        println!("{}", row(cat, &run(&i, &some)));
    }
    println!("{}", row("all", &run(&i, cases)));
}

#[test]
fn blind_sets_by_category() {
    by_category(
        "blind A",
        BLIND_A_CATALOGUE,
        include_str!("question_sets_blind_a.rs"),
        super::question_sets_blind_a::BLIND_A_CASES,
    );
    by_category(
        "blind B",
        BLIND_B_CATALOGUE,
        include_str!("question_sets_blind_b.rs"),
        super::question_sets_blind_b::BLIND_B_CASES,
    );
}
