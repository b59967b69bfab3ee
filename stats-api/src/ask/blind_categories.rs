//! The blind sets by category (each case's trailing comment in its source): top-1, top-3,
//! confident wrong, and for requests and unanswerable questions how many were answered at once.
//! Prints numbers only, never the questions. And the sets' own tests, with their thresholds.

use super::question_sets::Case;
use super::tests::{BLIND_A_CATALOGUE, BLIND_B_CATALOGUE, Tally, index, report, run};

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

pub(super) fn by_category(name: &str, catalogue: &str, source: &str, cases: &[Case]) {
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

/// Issue 27's blind sets: first runs are recorded untuned (in the README and each set's
/// header); the thresholds are what the changes after reach.
#[test]
fn blind_a_questions() {
    let t = run(
        &index(BLIND_A_CATALOGUE),
        super::question_sets_blind_a::BLIND_A_CASES,
    );
    report("blind A (meetup catalogue)", &t);
    // What issue 27's changes reach (first run: top-1 58, top-3 68, 2 confident wrong, one
    // request answered at once; after the first round 59, 73, 2); far from the targets
    // (top-1 ≥ 90%, top-3 ≥ 97%).
    assert_eq!(t.unanswerable_confident, 0);
    assert_eq!(t.confident_wrong, 0);
    assert!(t.top1 >= 70 && t.top3 >= 77, "blind A fell back");
}

#[test]
fn blind_b_questions() {
    let t = run(
        &index(BLIND_B_CATALOGUE),
        super::question_sets_blind_b::BLIND_B_CASES,
    );
    report("blind B (SaaS support catalogue)", &t);
    // First run: top-1 62, top-3 68, 2 confident wrong (after the first round 64, 71, 1).
    assert_eq!(t.unanswerable_confident, 0);
    assert_eq!(t.confident_wrong, 0);
    assert!(t.top1 >= 65 && t.top3 >= 72, "blind B fell back");
}
