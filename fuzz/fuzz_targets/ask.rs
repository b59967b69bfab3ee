//! Asking in words, the whole path: any bytes as a question (as `GET /v1/ask`'s query string
//! and, when UTF-8, as the words themselves), over a catalogue chosen from the shipped and test
//! catalogues and a day chosen from awkward ones → matches → parameters. Oracle: no panic; at
//! most 3 matches, best first; each parameter passes its stat's own check; each invocation
//! starts with `/stats `; confident only with a first match.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stats_api::ask::AskIndex;
use stats_api::catalogue::Catalogue;
use stats_contract::AskAnswer;

const CATALOGUES: &[&str] = &[
    stats_api::catalogue::DEFAULT_CATALOGUE,
    include_str!("../../stats-api/tests/fixtures/ask_catalogue.toml"),
    include_str!("../../stats-api/tests/fixtures/ask_catalogue_slack.toml"),
    include_str!("../../stats-api/tests/fixtures/ask_catalogue_third.toml"),
];

/// Days that move periods across edges: a leap day, a year's first and last, a Monday, the
/// ends of the DATE range.
const DAYS: &[(i32, u32, u32)] = &[
    (2026, 12, 2),
    (2024, 2, 29),
    (2025, 1, 1),
    (2025, 12, 31),
    (2026, 11, 30),
    (1000, 1, 1),
    (9999, 12, 31),
];

fn indexes() -> &'static [(Catalogue, AskIndex)] {
    static INDEXES: OnceLock<Vec<(Catalogue, AskIndex)>> = OnceLock::new();
    INDEXES.get_or_init(|| {
        CATALOGUES
            .iter()
            .map(|text| {
                let catalogue = Catalogue::parse(text).expect("a shipped or test catalogue");
                let index = AskIndex::build(&catalogue);
                (catalogue, index)
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, question)) = data.split_first() else {
        return;
    };
    let (catalogue, index) = &indexes()[usize::from(choice & 0x3) % CATALOGUES.len()];
    let (y, m, d) = DAYS[usize::from(choice >> 2) % DAYS.len()];
    let today = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a real day");
    // As a query string, the way the route reads it (`q=` and anything else).
    let query = String::from_utf8_lossy(question);
    if let Ok(answer) = index.ask_query(Some(query.as_ref()), today) {
        check(catalogue, &answer);
    }
    if let Ok(words) = std::str::from_utf8(question)
        && let Ok(answer) = index.ask(words, today)
    {
        assert_eq!(answer.query, words.trim());
        check(catalogue, &answer);
    }
});

fn check(catalogue: &Catalogue, answer: &AskAnswer) {
    assert!(answer.matches.len() <= 3, "{answer:?}");
    assert!(
        answer.matches.windows(2).all(|w| w[0].score >= w[1].score),
        "not best first: {answer:?}"
    );
    assert!(!answer.confident || !answer.matches.is_empty(), "{answer:?}");
    for m in &answer.matches {
        assert!(m.invocation.starts_with("/stats "), "{m:?}");
        assert!((0.0..=1.0).contains(&m.score), "{m:?}");
        let stat = catalogue.get(&m.stat).expect("a match names a stat");
        for (name, value) in &m.params {
            let param = stat
                .params
                .iter()
                .find(|p| &p.name == name)
                .unwrap_or_else(|| panic!("`{}` has no parameter `{name}`", m.stat));
            let value = value.as_str().expect("parameters are strings");
            if let Err(refusal) = stats_contract::params::check(&param.rule(), value) {
                panic!("{name}={value:?} fails its check ({refusal:?}): {answer:?}");
            }
        }
    }
}
