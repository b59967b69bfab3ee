//! `GET /v1/ask`'s reading of a question, without HTTP: p50 per question over a 100-stat
//! catalogue (the 26-stat test catalogue, four times over, renamed). Goal: ≤ 200 µs.
//! Run: `cargo bench -p stats-api --bench ask`.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use stats_api::ask::AskIndex;
use stats_api::catalogue::Catalogue;

const TEST_CATALOGUE: &str = include_str!("../tests/fixtures/ask_catalogue.toml");

const QUESTIONS: &[&str] = &[
    "how many people do we have",
    "who invited the most members",
    "signups over the last 6 months",
    "new people this week",
    "top 5 referrers since March",
    "how many accounts were deleted in the last 3 months",
    "actve membrs",
    "what's the weather",
];

/// Words no entry uses, which are looked up in WordNet.
const PARAPHRASES: &[&str] = &[
    "how many souls are in here",
    "who got expelled",
    "which nations do our folks come from",
    "how many erased their profiles recently",
];

fn hundred_stats() -> Catalogue {
    let base = Catalogue::parse(TEST_CATALOGUE).expect("the test catalogue parses");
    let mut catalogue = base.clone();
    while catalogue.stats.len() < 100 {
        let mut s = base.stats[catalogue.stats.len() % base.stats.len()].clone();
        s.name = format!("s{}_{}", catalogue.stats.len(), s.name);
        catalogue.stats.push(s);
    }
    catalogue
}

fn ask(c: &mut Criterion) {
    let catalogue = hundred_stats();
    let index = AskIndex::build(&catalogue);
    let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let mut i = 0;
    c.bench_function("ask one question, 100 stats", |b| {
        b.iter(|| {
            i = (i + 1) % QUESTIONS.len();
            index.ask(QUESTIONS[i], today).unwrap()
        })
    });
    c.bench_function("ask a paraphrase, 100 stats", |b| {
        b.iter(|| {
            i = (i + 1) % PARAPHRASES.len();
            index.ask(PARAPHRASES[i], today).unwrap()
        })
    });
    // What a catalogue load (or reload) costs, WordNet's table already inflated.
    c.bench_function("index 100 stats", |b| {
        b.iter(|| AskIndex::build(&catalogue))
    });
}

criterion_group!(benches, ask);
criterion_main!(benches);
