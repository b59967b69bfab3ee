use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;
use stats_contract::{Column, ColumnType, StatResult};

use super::*;

/// A value that weighs what it says.
#[derive(Clone, Debug, PartialEq)]
struct Blob(&'static str, usize);

impl Weight for Blob {
    fn weight(&self) -> usize {
        self.1
    }
}

const MINUTE: Duration = Duration::from_secs(60);

async fn put(cache: &Cache<Blob>, key: &str, blob: Blob) -> Blob {
    cache
        .get_or_load(key, MINUTE, || async { Ok::<_, ()>(blob) })
        .await
        .unwrap()
        .value
}

#[tokio::test]
async fn concurrent_misses_run_one_load_and_share_its_answer() {
    let cache = Arc::new(Cache::<Blob>::new(1 << 20));
    let loads = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (cache, loads) = (cache.clone(), loads.clone());
        tasks.push(tokio::spawn(async move {
            cache
                .get_or_load("members?", MINUTE, || async {
                    loads.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok::<_, ()>(Blob("answer", 10))
                })
                .await
                .map(|hit| hit.value)
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), Blob("answer", 10));
    }
    assert_eq!(loads.load(Ordering::SeqCst), 1);
    assert_eq!(cache.bytes(), 10 + 2 * "members?".len(), "counted once");
}

#[tokio::test]
async fn entries_expire_and_failures_are_not_kept() {
    let cache = Cache::<Blob>::new(1 << 20);
    let ttl = Duration::from_millis(30);
    let err = cache
        .get_or_load("k", ttl, || async { Err::<Blob, _>("down") })
        .await;
    assert!(err.is_err());
    let load = |b: Blob| move || async move { Ok::<_, ()>(b) };
    let first = cache
        .get_or_load("k", ttl, load(Blob("one", 5)))
        .await
        .unwrap();
    assert_eq!(first.value.0, "one");
    assert!(first.remaining <= ttl);
    let again = cache
        .get_or_load("k", ttl, load(Blob("two", 7)))
        .await
        .unwrap();
    assert_eq!(again.value.0, "one", "still fresh");
    tokio::time::sleep(ttl).await;
    let later = cache
        .get_or_load("k", ttl, load(Blob("two", 7)))
        .await
        .unwrap();
    assert_eq!(later.value.0, "two", "expired entry reloaded");
    assert_eq!(
        cache.bytes(),
        7 + 2,
        "the expired entry's bytes are given back"
    );
}

#[tokio::test]
async fn past_the_bound_the_least_recently_used_go() {
    // Each entry weighs 40 + 2 bytes for its one-letter key.
    let cache = Cache::<Blob>::new(100);
    put(&cache, "a", Blob("a", 40)).await;
    put(&cache, "b", Blob("b", 40)).await;
    // `a` is used again, so `b` is the least recently used when `c` comes.
    assert_eq!(put(&cache, "a", Blob("new a", 40)).await.0, "a");
    put(&cache, "c", Blob("c", 40)).await;
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.bytes(), 84);
    assert_eq!(put(&cache, "a", Blob("new a", 40)).await.0, "a", "kept");
    assert_eq!(
        put(&cache, "b", Blob("new b", 40)).await.0,
        "new b",
        "dropped"
    );
    // One answer bigger than the whole bound is served, not kept.
    assert_eq!(put(&cache, "huge", Blob("huge", 500)).await.0, "huge");
    assert!(cache.bytes() <= 100, "{}", cache.bytes());
    let none = Cache::<Blob>::new(0);
    assert_eq!(put(&none, "a", Blob("a", 1)).await.0, "a");
    assert!(none.is_empty());
}

/// A ranking of `rows` rows, like `/stats mentors 400`.
fn ranking(rows: usize) -> StatResult {
    StatResult {
        name: "mentors".into(),
        title: "Top mentors".into(),
        display: None,
        params: serde_json::Map::new(),
        columns: vec![
            Column {
                name: "name".into(),
                kind: ColumnType::String,
            },
            Column {
                name: "invited".into(),
                kind: ColumnType::Integer,
            },
        ],
        rows: (0..rows)
            .map(|i| {
                let row =
                    json!({"name": format!("Member number {i} of the community"), "invited": i});
                row.as_object().unwrap().clone()
            })
            .collect(),
        truncated: false,
        generated_at: Some("2026-12-02T10:00:00Z".into()),
        chart_url: None,
    }
}

#[test]
fn an_answers_weight_grows_with_its_rows() {
    let (small, big) = (ranking(1).weight(), ranking(400).weight());
    // Each row holds two keys, two values and a 30-odd byte name: well over 100 bytes.
    assert!(big > 400 * 100 + small, "{small} {big}");
    assert!(big < 400 * 1_000, "{big}");
}

#[tokio::test]
async fn three_hundred_big_answers_never_hold_more_than_the_bound() {
    let answer = Arc::new(ranking(400));
    let bound = 10 * answer.weight();
    let cache = Cache::<Arc<StatResult>>::new(bound);
    for i in 0..300 {
        let a = answer.clone();
        cache
            .get_or_load(&format!("mentors\u{1f}limit={i}"), MINUTE, || async {
                Ok::<_, ()>(a)
            })
            .await
            .unwrap();
        assert!(cache.bytes() <= bound, "{} > {bound} at {i}", cache.bytes());
    }
    assert_eq!(cache.len(), 9, "as many as fit");
}
