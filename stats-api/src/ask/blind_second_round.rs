//! Issue 27's second blind round: sets C (a language-learning community) and D (a food bank),
//! written without reading the matcher after its changes for issue 27, and run once, untuned,
//! on what landed. That first run is the honest figure (README "Ask in words"); the thresholds
//! below hold what the changes after it reach (never below it), so a later change that reads
//! them worse fails.

use super::blind_categories::by_category;
use super::tests::{BLIND_C_CATALOGUE, BLIND_D_CATALOGUE, index, report, run};

#[test]
fn second_round_by_category() {
    by_category(
        "blind C",
        BLIND_C_CATALOGUE,
        include_str!("question_sets_blind_c.rs"),
        super::question_sets_blind_c::BLIND_C_CASES,
    );
    by_category(
        "blind D",
        BLIND_D_CATALOGUE,
        include_str!("question_sets_blind_d.rs"),
        super::question_sets_blind_d::BLIND_D_CASES,
    );
}

#[test]
fn blind_c_questions() {
    let t = run(
        &index(BLIND_C_CATALOGUE),
        super::question_sets_blind_c::BLIND_C_CASES,
    );
    report("blind C (language-learning catalogue)", &t);
    // First run, untuned (at 797b89d): top-1 60, top-3 69 of 84, none confident and wrong,
    // no request or unanswerable question answered at once.
    // After the second round's changes: 63 and 70.
    assert_eq!(t.unanswerable_confident, 0);
    assert_eq!(t.confident_wrong, 0);
    assert!(t.top1 >= 63 && t.top3 >= 70, "blind C fell back");
}

#[test]
fn blind_d_questions() {
    let t = run(
        &index(BLIND_D_CATALOGUE),
        super::question_sets_blind_d::BLIND_D_CASES,
    );
    report("blind D (food bank catalogue)", &t);
    // First run, untuned (at 797b89d): top-1 57, top-3 60 of 83, none confident and wrong,
    // one request answered at once ("log 3 hours for me").
    // After the second round's changes: 63 and 68, and no request answered at once.
    assert_eq!(t.unanswerable_confident, 0);
    assert_eq!(t.confident_wrong, 0);
    assert!(t.top1 >= 63 && t.top3 >= 68, "blind D fell back");
}
