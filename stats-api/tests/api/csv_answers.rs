//! `GET /v1/stats/{name}.csv` and `Accept: text/csv`: the same rows as RFC 4180 CSV, safe to
//! open in a spreadsheet; errors stay JSON.

use crate::helpers::{TOKEN, TestApp, TestDatabase, catalogue_file, client, spawn_app_with};

const CATALOGUE: &str = r#"
[[stats]]
name = "people"
title = "People"
description = "Members who signed up for the CSV test"
display = "ranked"
cache_seconds = 60
sql = """
SELECT name, 0 - CAST(id AS SIGNED) AS minus_id, NULL AS nothing
  FROM users
 WHERE email LIKE '%@csv.test' AND id > :after
 ORDER BY id
"""
[[stats.params]]
name = "after"
type = "integer"
default = 0
"#;

async fn app() -> (TestApp, Vec<i64>) {
    let db = TestDatabase::new().await;
    let mut ids = Vec::new();
    for (name, email) in [
        ("=HYPERLINK(\"http://x\",\"y\")", "formula@csv.test"),
        ("Smith, \"Jr\"", "quotes@csv.test"),
        ("-1", "minus@csv.test"),
        ("Ada", "ada@csv.test"),
    ] {
        let done = sqlx::query(
            "INSERT INTO users (name, email, created_at, updated_at) VALUES (?, ?, NOW(), NOW())",
        )
        .bind(name)
        .bind(email)
        .execute(&db.pool)
        .await
        .unwrap();
        ids.push(done.last_insert_id() as i64);
    }
    let file = catalogue_file(CATALOGUE);
    let app = spawn_app_with(db, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s
    })
    .await;
    (app, ids)
}

async fn fetch(app: &TestApp, path: &str, accept: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(TOKEN);
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn rows_come_as_csv_by_suffix_or_accept_header_quoted_and_neutralised() {
    let (app, ids) = app().await;
    let expected = format!(
        "name,minus_id,nothing\r\n\
         \"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-{},\r\n\
         \"Smith, \"\"Jr\"\"\",-{},\r\n\
         '-1,-{},\r\n\
         Ada,-{},\r\n",
        ids[0], ids[1], ids[2], ids[3]
    );
    for (path, accept) in [
        ("/v1/stats/people.csv", None),
        ("/v1/stats/people", Some("text/csv")),
        ("/v1/stats/people", Some("application/json;q=0.5, text/csv")),
        // The suffix wins over the header.
        ("/v1/stats/people.csv", Some("application/json")),
    ] {
        let response = fetch(&app, path, accept).await;
        assert_eq!(response.status(), 200, "{path} {accept:?}");
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        assert!(
            headers["cache-control"]
                .to_str()
                .unwrap()
                .starts_with("private, max-age="),
            "{headers:?}"
        );
        assert_eq!(headers["vary"], "accept");
        assert_eq!(
            response.text().await.unwrap(),
            expected,
            "{path} {accept:?}"
        );
    }

    // Parameters work as for JSON.
    let after = fetch(
        &app,
        &format!("/v1/stats/people.csv?after={}", ids[2]),
        None,
    )
    .await;
    assert_eq!(
        after.text().await.unwrap(),
        format!("name,minus_id,nothing\r\nAda,-{},\r\n", ids[3])
    );

    // JSON is still the default, with its own cache entry.
    for accept in [
        None,
        Some("*/*"),
        Some("application/json, text/csv"),
        Some("text/csv;q=0"),
    ] {
        let response = fetch(&app, "/v1/stats/people", accept).await;
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "{accept:?}"
        );
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["rows"][0]["name"], "=HYPERLINK(\"http://x\",\"y\")");
        assert_eq!(body["rows"][0]["minus_id"], -ids[0]);
    }
}

#[tokio::test]
async fn errors_are_still_json() {
    let (app, _) = app().await;
    for (path, status, code) in [
        ("/v1/stats/nope.csv", 404, "unknown_stat"),
        ("/v1/stats/people.csv?after=soon", 400, "bad_parameter"),
        ("/v1/stats/people.csv?colour=red", 400, "bad_parameter"),
    ] {
        let response = fetch(&app, path, Some("text/csv")).await;
        assert_eq!(response.status(), status, "{path}");
        assert_eq!(response.headers()["content-type"], "application/json");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{path}: {body}");
    }
    let anonymous = client()
        .get(format!("{}/v1/stats/people.csv", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(anonymous.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn openapi_documents_the_csv_answer() {
    let (app, _) = app().await;
    let (_, doc) = app.get_json("/openapi.json").await;
    let csv = &doc["paths"]["/v1/stats/people"]["get"]["responses"]["200"]["content"]["text/csv"];
    assert_eq!(csv["schema"]["type"], "string", "{doc}");
    let said = csv["schema"]["description"].as_str().unwrap();
    assert!(
        said.contains("name,minus_id,nothing") && said.contains("'"),
        "{said}"
    );
}
