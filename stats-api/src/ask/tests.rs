//! The question sets: over the shipped catalogue and over a larger test catalogue
//! (`tests/fixtures/ask_catalogue.toml`), direct questions, paraphrases, periods, typos and
//! questions neither can answer. Each prints its top-1, top-3 and confident-wrong counts.

use chrono::NaiveDate;

use super::AskIndex;
use super::question_sets::{Case, HELD_OUT, HELD_OUT_2, SHIPPED_CASES, TEST_CASES};
use crate::catalogue::{Catalogue, DEFAULT_CATALOGUE};

const TEST_CATALOGUE: &str = include_str!("../../tests/fixtures/ask_catalogue.toml");
pub(super) const SLACK_CATALOGUE: &str =
    include_str!("../../tests/fixtures/ask_catalogue_slack.toml");
pub(super) const THIRD_CATALOGUE: &str =
    include_str!("../../tests/fixtures/ask_catalogue_third.toml");
pub(super) const BLIND_A_CATALOGUE: &str =
    include_str!("../../tests/fixtures/ask_catalogue_blind_a.toml");
pub(super) const BLIND_B_CATALOGUE: &str =
    include_str!("../../tests/fixtures/ask_catalogue_blind_b.toml");
pub(super) const BLIND_C_CATALOGUE: &str =
    include_str!("../../tests/fixtures/ask_catalogue_blind_c.toml");
pub(super) const BLIND_D_CATALOGUE: &str =
    include_str!("../../tests/fixtures/ask_catalogue_blind_d.toml");

/// A Wednesday: this week began on Monday 2026-11-30.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

pub(super) fn index(text: &str) -> AskIndex {
    AskIndex::build(&Catalogue::parse(text).unwrap())
}

pub(super) struct Tally {
    pub(super) questions: usize,
    pub(super) top1: usize,
    pub(super) top3: usize,
    pub(super) confident_wrong: usize,
    /// Right first matches given confidently (answered at once, no buttons).
    pub(super) confident_right: usize,
    pub(super) unanswerable: usize,
    pub(super) unanswerable_confident: usize,
    /// Unanswerable questions given any (not confident) match at all.
    pub(super) unanswerable_matched: usize,
    pub(super) failures: Vec<String>,
}

pub(super) fn run(index: &AskIndex, cases: &[Case]) -> Tally {
    let mut t = Tally {
        questions: 0,
        top1: 0,
        top3: 0,
        confident_wrong: 0,
        confident_right: 0,
        unanswerable: 0,
        unanswerable_confident: 0,
        unanswerable_matched: 0,
        failures: Vec::new(),
    };
    for (q, expected, params) in cases {
        let a = index.ask(q, today()).unwrap();
        let right = |m: &stats_contract::AskMatch| {
            expected.split('|').any(|e| e == m.stat)
                && params
                    .iter()
                    .all(|(k, v)| m.params.get(*k).and_then(|x| x.as_str()) == Some(*v))
        };
        let got: Vec<String> = a
            .matches
            .iter()
            .map(|m| format!("{} {:.2}", m.invocation, m.score))
            .collect();
        if expected.is_empty() {
            t.unanswerable += 1;
            if !a.matches.is_empty() {
                t.unanswerable_matched += 1;
            }
            if a.confident {
                t.unanswerable_confident += 1;
                t.failures
                    .push(format!("CONFIDENT on unanswerable {q:?}: {got:?}"));
            }
            continue;
        }
        t.questions += 1;
        let first = a.matches.first().is_some_and(right);
        if first {
            t.top1 += 1;
            t.confident_right += usize::from(a.confident);
            // ASK_UNSURE=1: which right answers come as buttons, to see what confidence costs.
            if !a.confident && std::env::var_os("ASK_UNSURE").is_some() {
                t.failures.push(format!("right, unsure {q:?}: {got:?}"));
            }
        } else {
            t.failures.push(format!(
                "{q:?} → want {expected} {params:?}, got {got:?} (confident {})",
                a.confident
            ));
        }
        if a.matches.iter().any(right) {
            t.top3 += 1;
        }
        if a.confident && !first {
            t.confident_wrong += 1;
            t.failures.push(format!("CONFIDENT WRONG {q:?}: {got:?}"));
        }
    }
    t
}

pub(super) fn report(name: &str, t: &Tally) {
    println!(
        "{name}: {} questions: top-1 {}/{} ({:.0}%), top-3 {}/{} ({:.0}%), confident wrong {}, confident right {}; \
         {} unanswerable: {} answered confidently, {} given any match",
        t.questions,
        t.top1,
        t.questions,
        100.0 * t.top1 as f64 / t.questions as f64,
        t.top3,
        t.questions,
        100.0 * t.top3 as f64 / t.questions as f64,
        t.confident_wrong,
        t.confident_right,
        t.unanswerable,
        t.unanswerable_confident,
        t.unanswerable_matched
    );
    for f in &t.failures {
        println!("  {f}");
    }
}

#[test]
fn the_issues_done_when_questions_are_answered_confidently() {
    let i = index(DEFAULT_CATALOGUE);
    for (q, invocation) in [
        ("how many people do we have", "/stats members"),
        ("who invited the most members", "/stats mentors"),
        ("signups over the last 6 months", "/stats signups 6"),
        ("new people this week", "/stats growth 7"),
    ] {
        let a = i.ask(q, today()).unwrap();
        assert!(a.confident, "{q}: {a:?}");
        assert_eq!(a.matches[0].invocation, invocation, "{q}");
        assert!(!a.matches[0].why.is_empty());
    }
    let a = i.ask("what's the weather", today()).unwrap();
    assert!(!a.confident && a.matches.is_empty(), "{a:?}");
}

#[test]
fn parameters_are_given_as_a_person_would_type_them() {
    let i = index(TEST_CATALOGUE);
    let first = |q: &str| i.ask(q, today()).unwrap().matches.remove(0);
    let m = first("how many joined between 2026-01-01 and 2026-02-01");
    assert_eq!(m.invocation, "/stats joined_between 2026-01-01 2026-02-01");
    // A parameter the words did not fix comes first: the next is given by name.
    let m = first("top 3 posters");
    assert_eq!(m.invocation, "/stats top_posters limit=3");
    assert_eq!(
        m.params,
        serde_json::json!({ "limit": "3" })
            .as_object()
            .unwrap()
            .clone()
    );
    let m = first("how many members on the team plan");
    assert_eq!(
        (m.stat.as_str(), m.params["plan"].as_str()),
        ("paying_members", Some("team"))
    );
    let m = first("banned members without expired bans");
    assert_eq!(m.params["include_expired"], "false");
    let m = first("banned members including expired bans");
    assert_eq!(m.params["include_expired"], "true");
}

#[test]
fn examples_are_checked_like_every_key() {
    let entry = |examples: &str| {
        format!(
            "[[stats]]\nname = \"members\"\ntitle = \"Members\"\ndescription = \"How many.\"\ndisplay = \"figures\"\nsql = \"SELECT 1 AS n\"\n{examples}\n"
        )
    };
    let ok = Catalogue::parse(&entry("examples = [\"how big are we\"]")).unwrap();
    assert_eq!(ok.stats[0].examples, ["how big are we"]);
    for (bad, says) in [
        (
            "examples = \"how big are we\"",
            "`examples` must be a list of strings",
        ),
        ("examples = [1, 2]", "`examples` must be a list of strings"),
        (
            "examples = [\" \"]",
            "each of `examples` must be a phrasing of 1–300 characters",
        ),
        (
            "exampels = [\"x\"]",
            "unknown key `exampels` (did you mean `examples`?)",
        ),
    ] {
        let err = Catalogue::parse(&entry(bad)).unwrap_err().to_string();
        assert!(
            err.contains("catalogue entry `members`") && err.contains(says),
            "{bad}: {err}"
        );
    }
    let long = format!("examples = [\"{}\"]", "a".repeat(301));
    assert!(Catalogue::parse(&entry(&long)).is_err());
}

#[test]
fn out_of_bounds_periods_are_not_clamped() {
    let a = index(DEFAULT_CATALOGUE)
        .ask("signups over the last 200 months", today())
        .unwrap();
    assert_eq!(a.matches[0].stat, "signups");
    assert!(a.matches[0].params.is_empty(), "{a:?}");
    assert!(!a.confident);
    assert!(
        a.matches[0].why.iter().any(|w| w.contains("from 1 to 120")),
        "{a:?}"
    );
}

#[test]
fn empty_and_long_questions_are_refused() {
    let i = index(DEFAULT_CATALOGUE);
    assert!(i.ask("   ", today()).is_err());
    assert!(i.ask(&"members ".repeat(50), today()).is_err());
    assert!(i.ask(&"é".repeat(300), today()).is_ok());
}

#[test]
fn second_held_out_questions() {
    let t = run(&index(TEST_CATALOGUE), HELD_OUT_2);
    report("second held out (test catalogue)", &t);
    assert_eq!(t.unanswerable_confident, 0);
    assert!(t.confident_wrong <= 1);
}

#[test]
fn slack_held_out_questions() {
    let t = run(
        &index(SLACK_CATALOGUE),
        super::question_sets_slack::SLACK_CASES,
    );
    report("Slack-style held out (second catalogue)", &t);
    assert_eq!(t.unanswerable_confident, 0);
    assert!(
        t.confident_wrong * 100 <= t.questions,
        "confident wrong above 1%"
    );
    assert!(t.top1 * 100 >= t.questions * 90, "top-1 below 90%");
}

#[test]
fn third_held_out_questions() {
    let t = run(
        &index(THIRD_CATALOGUE),
        super::question_sets_third::THIRD_CASES,
    );
    report("third held out (third catalogue)", &t);
    // Questions and a catalogue no rule was written for: the same bar as the test catalogue's.
    assert!(t.top1 * 100 >= t.questions * 85, "top-1 below 85%");
    assert!(t.top3 * 100 >= t.questions * 95, "top-3 below 95%");
    assert!(
        t.confident_wrong <= 1,
        "more than one confident wrong answer"
    );
    assert_eq!(
        t.unanswerable_confident, 0,
        "an unanswerable question answered"
    );
}

#[test]
fn questions_no_catalogue_answers_are_never_confident() {
    for catalogue in [DEFAULT_CATALOGUE, TEST_CATALOGUE, SLACK_CATALOGUE] {
        let i = index(catalogue);
        for q in super::question_sets_slack::UNANSWERABLE_ANYWHERE {
            let a = i.ask(q, today()).unwrap();
            assert!(!a.confident, "{q}: {:?}", a.matches.first());
        }
    }
}

#[test]
fn held_out_questions() {
    let t = run(&index(TEST_CATALOGUE), HELD_OUT);
    report("held out (test catalogue)", &t);
    assert_eq!(t.unanswerable_confident, 0);
    assert!(t.confident_wrong <= 1);
}

#[test]
fn the_shipped_catalogue_answers_its_question_set() {
    let t = run(&index(DEFAULT_CATALOGUE), SHIPPED_CASES);
    report("shipped catalogue", &t);
    // Known: "who joined most recently" reads as signups, confidently (see the README).
    assert!(
        t.confident_wrong <= 1,
        "more than one confident wrong answer"
    );
    assert_eq!(t.unanswerable_confident, 0);
    assert!(t.top1 * 100 >= t.questions * 90, "top-1 below 90%");
    assert!(t.top3 * 100 >= t.questions * 95, "top-3 below 95%");
}

#[test]
fn the_test_catalogue_answers_its_question_set() {
    let t = run(&index(TEST_CATALOGUE), TEST_CASES);
    report("test catalogue", &t);
    assert!(
        t.confident_wrong * 100 <= t.questions,
        "confident wrong above 1%"
    );
    assert_eq!(t.unanswerable_confident, 0);
    assert!(t.top1 * 100 >= t.questions * 85, "top-1 below 85%");
    assert!(t.top3 * 100 >= t.questions * 95, "top-3 below 95%");
}

#[test]
fn debug_questions() {
    let Ok(qs) = std::env::var("ASK_DEBUG") else {
        return;
    };
    let cat = match std::env::var("ASK_CAT").as_deref() {
        Ok("test") => TEST_CATALOGUE,
        Ok("slack") => SLACK_CATALOGUE,
        _ => DEFAULT_CATALOGUE,
    };
    // Or any catalogue file, to try a question on it.
    let file = std::env::var("ASK_CAT_FILE").map(|f| std::fs::read_to_string(f).unwrap());
    let i = index(file.as_deref().unwrap_or(cat));
    for q in qs.split('|') {
        let a = i.ask(q, today()).unwrap();
        if std::env::var("ASK_SHORT").is_ok() {
            let got: Vec<String> = a
                .matches
                .iter()
                .map(|m| format!("{} {:.2}", m.invocation, m.score))
                .collect();
            println!("{q:?} → {} {got:?}", if a.confident { "!" } else { "?" });
        } else {
            println!("{}", serde_json::to_string_pretty(&a).unwrap());
        }
    }
}

mod properties {
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use super::*;

    static BUILT: LazyLock<(Catalogue, AskIndex)> = LazyLock::new(|| {
        let catalogue = Catalogue::parse(TEST_CATALOGUE).unwrap();
        let index = AskIndex::build(&catalogue);
        (catalogue, index)
    });

    /// Words a question is made of, the awkward ones included.
    const PIECES: &[&str] = &[
        "how",
        "many",
        "members",
        "top",
        "last",
        "this",
        "past",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "quarter",
        "days",
        "since",
        "in",
        "until",
        "between",
        "and",
        "march",
        "may",
        "october",
        "2025",
        "0",
        "999999999",
        "-3",
        "1.5",
        "2024-02-30",
        "9999-12-31",
        "1000-01-01",
        "today",
        "yesterday",
        "start",
        "of",
        "the",
        "not",
        "without",
        "expired",
        "team",
        "plan",
        "membrs",
        "wek",
        "é",
        "🙂",
        "'",
        "%",
        "=",
        "signups",
        "mentors",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever is typed: no panic, at most 3 matches, and every fixed value passes the
        /// stat's own check (so running a match never gets a 400 for a value `ask` made up).
        #[test]
        fn any_question_reads_without_a_panic_and_fixes_only_valid_values(
            picks in proptest::collection::vec(0..PIECES.len(), 1..12),
            noise in ".{0,20}",
        ) {
            let (catalogue, index) = &*BUILT;
            let mut q: Vec<&str> = picks.iter().map(|&i| PIECES[i]).collect();
            q.push(&noise);
            let Ok(answer) = index.ask(&q.join(" "), today()) else { return Ok(()) };
            prop_assert!(answer.matches.len() <= 3);
            for m in &answer.matches {
                let stat = catalogue.get(&m.stat).unwrap();
                let given: Vec<(String, String)> = m
                    .params
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                    .collect();
                for (k, v) in &given {
                    let param = stat.params.iter().find(|p| &p.name == k).unwrap();
                    prop_assert!(param.parse(v).is_ok(), "{k}={v} for {}", m.stat);
                }
                prop_assert!(m.score.is_finite() && m.score >= 0.0 && m.score <= 1.0);
            }
        }
    }
}
