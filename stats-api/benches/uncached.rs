//! What the stats API adds to a query: uncached `members` over HTTP against the bare query,
//! timed alternately in the same run on 100,000 users. Target: at most 1.25× the bare query.
//!
//! `cargo bench -p stats-api --bench uncached` (uses database `statsbot_bench` at DATABASE_URL).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use devkit::demo_data::{self, DemoOptions};
use devkit::schema;
use service_kit::Secret;
use sqlx::{AssertSqlSafe, MySqlPool};
use stats_api::catalogue::{Catalogue, DEFAULT_CATALOGUE};
use stats_api::{Application, Settings};

const MEMBERS: usize = 100_000;
const ROUNDS: usize = 40;
const TOKEN: &str = "bench-token-0123456789abcdef";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() {
    // The tests' server: DATABASE_URL, its default, or the private MariaDB.
    let server = devkit::test_database::server_url();
    let pool = schema::prepare_database(&server, "statsbot_bench")
        .await
        .expect("a MariaDB/MySQL server at DATABASE_URL");
    // A fixed end date: the same 100,000 rows in every run.
    let end = NaiveDate::from_ymd_opt(2026, 11, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    if count as usize != MEMBERS {
        eprintln!("loading {MEMBERS} demo members into statsbot_bench…");
        sqlx::query("DELETE FROM users")
            .execute(&pool)
            .await
            .unwrap();
        demo_data::load(&pool, &demo_data::generate(&DemoOptions::new(MEMBERS, end)))
            .await
            .unwrap();
    }
    sqlx::query("ANALYZE TABLE users")
        .execute(&pool)
        .await
        .unwrap();

    // The shipped catalogue with caching off, so every request runs the query.
    let uncached = DEFAULT_CATALOGUE.replace("cache_seconds = 60", "cache_seconds = 0");
    let path = std::env::temp_dir().join("statsbot-bench-catalogue.toml");
    std::fs::write(&path, &uncached).unwrap();
    let bench_url = schema::url_with_database(&server, "statsbot_bench");
    let mut settings = Settings::new(bench_url.as_str(), vec![Secret::new(TOKEN)]);
    settings.addr = "127.0.0.1:0".into();
    settings.catalogue_path = Some(path);
    let app = Application::build(settings)
        .await
        .expect("stats API starts");
    let url = format!("http://{}/v1/stats/members", app.local_addr());
    tokio::spawn(app.run_until_stopped());

    let sql = Catalogue::parse(&uncached)
        .unwrap()
        .get("members")
        .unwrap()
        .sql
        .sql
        .clone();
    let bare_pool = MySqlPool::connect(&bench_url).await.unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();

    let bare = || async {
        let started = Instant::now();
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .fetch_one(&bare_pool)
            .await
            .unwrap();
        started.elapsed()
    };
    let api = || async {
        let started = Instant::now();
        let response = http.get(&url).bearer_auth(TOKEN).send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.bytes().await.unwrap();
        started.elapsed()
    };
    for _ in 0..5 {
        bare().await;
        api().await;
    }
    let (mut bare_times, mut api_times) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        bare_times.push(bare().await);
        api_times.push(api().await);
    }
    let (b, a) = (median(bare_times), median(api_times));
    let ratio = a.as_secs_f64() / b.as_secs_f64();
    println!(
        "uncached members on {MEMBERS} users, median of {ROUNDS}: bare query {:.2} ms, \
         stats API {:.2} ms, ratio {ratio:.3} (target ≤ 1.25)",
        b.as_secs_f64() * 1e3,
        a.as_secs_f64() * 1e3
    );
}
