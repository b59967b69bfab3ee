//! Real JSON types, the per-stat cache, and the row cap.

use crate::helpers::{TestDatabase, catalogue_file, spawn_app, spawn_app_with};

const CATALOGUE: &str = r#"
[[stats]]
name = "types"
title = "Types"
description = "One of each"
display = "figures"
sql = """
SELECT SUM(is_mentor) AS mentors,
       AVG(id) AS mean_id,
       MAX(created_at) AS last_join,
       DATE(MIN(created_at)) AS first_day,
       COUNT(*) > 0 AS any_users,
       NULL AS nothing,
       CAST(:since AS DATE) AS since,
       :verbose AS verbose,
       :who AS who
FROM users
"""
[[stats.params]]
name = "since"
type = "date"
default = "2020-01-31"
[[stats.params]]
name = "verbose"
type = "boolean"
default = false
[[stats.params]]
name = "who"
type = "string"
allowed = ["me", "you"]
default = "me"

[[stats]]
name = "people"
title = "People"
description = "Rows with a flag"
display = "ranked"
max_rows = 3
sql = "SELECT name, is_mentor, created_at FROM users ORDER BY id"

[[stats]]
name = "live"
title = "Live count"
description = "Never cached"
display = "figures"
sql = "SELECT COUNT(*) AS total FROM users WHERE deleted_at IS NULL"
"#;

#[tokio::test]
async fn values_come_back_as_real_json_types() {
    let file = catalogue_file(CATALOGUE);
    let app = spawn_app_with(TestDatabase::new().await, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s
    })
    .await;
    let (status, body) = app
        .get_json("/v1/stats/types?since=2024-02-29&verbose=yes&who=you")
        .await;
    assert_eq!(status, 200, "{body}");
    let row = &body["rows"][0];
    let mentors = app.db.users.iter().filter(|u| u.is_mentor).count() as u64;
    assert_eq!(row["mentors"], mentors, "a DECIMAL SUM is a JSON integer");
    assert!(row["mean_id"].is_f64(), "{}", row["mean_id"]);
    let last = row["last_join"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(last).is_ok() && last.ends_with('Z'),
        "{last}"
    );
    assert_eq!(row["first_day"].as_str().unwrap().len(), 10);
    assert_eq!(row["any_users"], 1);
    assert!(row["nothing"].is_null());
    assert_eq!(row["since"], "2024-02-29");
    assert_eq!(row["verbose"], 1);
    assert_eq!(row["who"], "you");
    assert_eq!(body["params"]["verbose"], true);

    let (status, body) = app.get_json("/v1/stats/people").await;
    assert_eq!(status, 200, "{body}");
    assert!(body["rows"][0]["is_mentor"].is_boolean(), "{body}");

    let (status, body) = app.get_json("/v1/stats/types?since=2024-02-30").await;
    assert_eq!(
        (status, body["error"]["parameter"].as_str()),
        (400, Some("since"))
    );
    let (status, body) = app.get_json("/v1/stats/types?who=them").await;
    assert_eq!(
        (status, body["error"]["parameter"].as_str()),
        (400, Some("who"))
    );
}

#[tokio::test]
async fn a_cached_stat_is_reused_for_its_ttl_and_an_uncached_one_is_not() {
    let file = catalogue_file(CATALOGUE);
    let app = spawn_app_with(TestDatabase::new().await, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s
    })
    .await;
    let app_default = spawn_app().await;

    let first = app_default.get("/v1/stats/members").await;
    assert_eq!(first.headers()["cache-control"], "private, max-age=59");
    let first: serde_json::Value = first.json().await.unwrap();
    sqlx::query("INSERT INTO users (name, email, created_at) VALUES ('Late Joiner', 'late@example.org', NOW())")
        .execute(&app_default.db.pool)
        .await
        .unwrap();
    let (_, second) = app_default.get_json("/v1/stats/members").await;
    assert_eq!(second["rows"], first["rows"], "served from the cache");
    assert_eq!(second["generated_at"], first["generated_at"]);
    let (_, other_params) = app_default.get_json("/v1/stats/signups?months=2").await;
    assert_eq!(
        other_params["params"]["months"], 2,
        "parameters are part of the key"
    );

    let before = app.get("/v1/stats/live").await;
    assert_eq!(before.headers()["cache-control"], "no-store");
    let before: serde_json::Value = before.json().await.unwrap();
    sqlx::query("INSERT INTO users (name, email, created_at) VALUES ('Late Joiner', 'late@example.org', NOW())")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (_, after) = app.get_json("/v1/stats/live").await;
    assert_eq!(
        after["rows"][0]["total"].as_u64().unwrap(),
        before["rows"][0]["total"].as_u64().unwrap() + 1
    );
}

#[tokio::test]
async fn the_row_cap_cuts_results_and_says_so() {
    let file = catalogue_file(CATALOGUE);
    let app = spawn_app_with(TestDatabase::new().await, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s.max_rows = 5;
        s
    })
    .await;
    let (status, body) = app.get_json("/v1/stats/people").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["rows"].as_array().unwrap().len(),
        3,
        "the stat's own max_rows"
    );
    assert_eq!(body["truncated"], true);

    let (status, body) = app.get_json("/v1/stats/mentors?limit=20").await;
    assert_eq!(status, 404, "this catalogue has no mentors stat: {body}");
    let (status, body) = app.get_json("/v1/stats/types").await;
    assert_eq!((status, body["truncated"].as_bool()), (200, Some(false)));
    // The connection that was cut mid-result still works.
    for _ in 0..6 {
        let (status, _) = app.get_json("/v1/stats/live").await;
        assert_eq!(status, 200);
    }
}
