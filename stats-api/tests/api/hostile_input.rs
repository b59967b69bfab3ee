//! Issue 23, the stats API's side: what an attacker (or an unlucky client) tried, each now
//! harmless. Chart sizes no longer multiply what is cached, the cache keeps to its bound in
//! bytes, and a chart link is signed when served, so it is good for its whole TTL.

use std::sync::Arc;
use std::time::Duration;

use service_kit::Secret;
use stats_api::chart::link::Links;
use stats_api::state::AppState;

use crate::helpers::{TOKEN, TestDatabase, catalogue_file, client, settings};

const PUBLIC: &str = "https://stats.example.org";

/// A 400-row ranking (`board`) and its answer cached for 5 minutes.
const CATALOGUE: &str = r#"
[[stats]]
name = "board"
title = "Leaderboard"
description = "Every member of the hostile-input tests, ranked"
display = "ranked"
cache_seconds = 300
sql = """
SELECT name, id + :bonus AS points
  FROM users
 WHERE email LIKE '%@hostile.test'
 ORDER BY points DESC, id
"""
[[stats.params]]
name = "bonus"
type = "integer"
default = 0
"#;

struct Api {
    address: String,
    state: Arc<AppState>,
    http: reqwest::Client,
    _db: TestDatabase,
}

impl Api {
    /// The stats API on its own database with 400 members, its cache bound to `cache_bytes`,
    /// chart links living `ttl` seconds.
    async fn start(cache_bytes: usize, ttl: u64) -> Api {
        let db = TestDatabase::new().await;
        sqlx::query(
            "INSERT INTO users (name, email, created_at, updated_at)
             WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
             SELECT CONCAT('Member number ', i, ' of the hostile test'),
                    CONCAT('m', i, '@hostile.test'), NOW(), NOW()
               FROM n",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        let file = catalogue_file(CATALOGUE);
        let mut s = settings(&db.url());
        s.catalogue_path = Some(file.0.clone());
        std::mem::forget(file);
        s.cache_bytes = cache_bytes;
        s.chart_links = Some(Links {
            public_url: PUBLIC.into(),
            key: Secret::new("test-chart-key-0123456789abcdef0123456789"),
            ttl_seconds: ttl,
        });
        let app = stats_api::Application::build(s).await.unwrap();
        let address = format!("http://{}", app.local_addr());
        let state = app.state();
        tokio::spawn(app.run_until_stopped());
        Api {
            address,
            state,
            http: client(),
            _db: db,
        }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.address))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
    }

    fn cached(&self) -> (usize, usize) {
        let served = self.state.served();
        (served.cache.len(), served.cache.bytes())
    }
}

#[tokio::test]
async fn three_hundred_chart_sizes_of_a_big_ranking_cache_its_rows_once() {
    let bound = 2 * 1024 * 1024;
    let api = Api::start(bound, 600).await;
    let json: serde_json::Value = api.get("/v1/stats/board").await.json().await.unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 400);
    let (entries, bytes) = api.cached();
    assert_eq!(entries, 1);
    assert!(bytes > 400 * 100, "400 rows weigh {bytes} bytes");
    // 300 distinct sizes (small ones: a debug build draws slowly; the size is not in the
    // cache's key at all, and `bench/cache-memory.sh` draws big ones on a release build).
    for i in 0..300u32 {
        let (width, height) = (320 + i, 200 + i % 7);
        let response = api
            .get(&format!(
                "/v1/stats/board.png?width={width}&height={height}"
            ))
            .await;
        assert_eq!(response.status(), 200, "{width}×{height}");
        assert_eq!(response.headers()["content-type"], "image/png");
        assert_eq!(api.cached(), (1, bytes), "after {width}×{height}");
    }
}

#[tokio::test]
async fn the_cache_keeps_to_its_bound_in_bytes_dropping_the_least_recently_used() {
    let (_, one) = {
        // How much one answer weighs, measured on an unbounded neighbour.
        let wide = Api::start(usize::MAX, 600).await;
        wide.get("/v1/stats/board").await;
        wide.cached()
    };
    let bound = 3 * one + one / 2;
    let api = Api::start(bound, 600).await;
    for bonus in 0..300 {
        let path = format!("/v1/stats/board.png?bonus={bonus}&width=320&height=200");
        if bonus % 30 == 0 {
            assert_eq!(api.get(&path).await.status(), 200);
        } else {
            assert_eq!(
                api.get(&format!("/v1/stats/board?bonus={bonus}"))
                    .await
                    .status(),
                200
            );
        }
        let (entries, bytes) = api.cached();
        assert!(bytes <= bound, "{bytes} > {bound} after bonus={bonus}");
        assert!(entries <= 3, "{entries} entries");
    }
}

/// The JSON answer's chart link, pointed at the running app.
async fn chart_url(api: &Api) -> String {
    let body: serde_json::Value = api.get("/v1/stats/board").await.json().await.unwrap();
    let url = body["chart_url"].as_str().expect("a chart_url");
    url.replace(PUBLIC, &api.address)
}

fn expires(url: &str) -> u64 {
    let (_, rest) = url.split_once("expires=").unwrap();
    rest.split('&').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_link_is_signed_when_served_so_a_cached_answer_never_hands_out_a_dead_one() {
    // Links live 2 s; the answer is cached for 300 s.
    let api = Api::start(64 << 20, 2).await;
    let first = chart_url(&api).await;
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let later = api.get("/v1/stats/board").await;
    let age: u64 = later.headers()["cache-control"]
        .to_str()
        .unwrap()
        .trim_start_matches("private, max-age=")
        .parse()
        .unwrap();
    assert!(age < 300, "served from the cache ({age})");
    let second = chart_url(&api).await;
    assert!(expires(&second) >= expires(&first) + 2, "{first} {second}");
    let open = |url: String| {
        let http = api.http.clone();
        async move { http.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(open(first).await, 403, "the first link has expired");
    assert_eq!(open(second).await, 200, "the one just served opens");
}
