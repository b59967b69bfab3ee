//! How long a chart takes to draw and encode at the default size (800×400): a 24-period
//! series (a line) and a 10-row ranking. Goal: at most 5 ms each.
//!
//! `cargo bench -p stats-api --bench chart` (no database); `bench/charts.sh` runs it beside
//! matplotlib drawing the same rows.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stats_api::chart::{Chart, Kind, Size, draw};

/// The same rows as bench/charts-matplotlib.py.
pub fn series() -> Chart {
    Chart {
        kind: Kind::Series,
        title: "Signups per month".into(),
        as_of: Some("2026-12-02 03:10 UTC".into()),
        labels: (0..24)
            .map(|i| format!("{}-{:02}", 2025 + i / 12, i % 12 + 1))
            .collect(),
        values: (0..24)
            .map(|i| Some(f64::from(120 + i * 37 % 90 + i * 15)))
            .collect(),
        running: false,
    }
}

pub fn ranked() -> Chart {
    let names = [
        "Ada Lovelace",
        "Grace Hopper",
        "Zoë Ångström",
        "Юрий Гагарин",
        "Alan Turing",
        "Katherine Johnson",
        "Linus Torvalds",
        "Margaret Hamilton",
        "Dennis Ritchie",
        "Barbara Liskov",
    ];
    Chart {
        kind: Kind::Ranked,
        title: "Mentors by members invited".into(),
        as_of: Some("2026-12-02 03:10 UTC".into()),
        labels: names.iter().map(|n| n.to_string()).collect(),
        values: (0..10).map(|i| Some(f64::from(1480 - i * 130))).collect(),
        running: false,
    }
}

fn charts(c: &mut Criterion) {
    let (series, ranked) = (series(), ranked());
    c.bench_function("chart_series_24_periods_800x400", |b| {
        b.iter(|| draw::png(black_box(&series), Size::DEFAULT))
    });
    c.bench_function("chart_ranked_10_rows_800x400", |b| {
        b.iter(|| draw::png(black_box(&ranked), Size::DEFAULT))
    });
}

criterion_group!(benches, charts);
criterion_main!(benches);
