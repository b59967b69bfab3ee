//! Date parameters are held to the database's DATE range (1000-01-01 to 9999-12-31) whether or
//! not the catalogue declares bounds: a client's odd date is a 400 naming the parameter, never a
//! 500 or a silently wrong answer.

use crate::helpers::{TestApp, TestDatabase, catalogue_file, spawn_app_with};

const CATALOGUE: &str = r#"
[[stats]]
name = "joined"
title = "Joined since"
description = "Members who joined on or after a day; the date has no declared bounds"
display = "figures"
sql = "SELECT COUNT(*) AS joined, CAST(:since AS DATE) AS since FROM users WHERE created_at >= :since"
[[stats.params]]
name = "since"
type = "date"
default = "2000-01-01"

[[stats]]
name = "bounded"
title = "Bounded"
description = "A date with a declared lower bound only"
display = "figures"
sql = "SELECT CAST(:day AS DATE) AS day"
[[stats.params]]
name = "day"
type = "date"
default = "2021-06-01"
min = 2020-01-01
"#;

async fn app() -> (TestApp, crate::helpers::tempfile_path::TempPath) {
    let file = catalogue_file(CATALOGUE);
    let app = spawn_app_with(TestDatabase::new().await, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s
    })
    .await;
    (app, file)
}

#[tokio::test]
async fn dates_outside_the_database_range_or_not_plain_are_400_naming_the_parameter() {
    let (app, _file) = app().await;
    for given in [
        "-0001-01-01",
        "-2025-01-01",
        "%2B262142-12-31",
        "-262143-01-01",
        "%2B10000-01-01",
        "10000-01-01",
        "0999-12-31",
        "0000-01-01",
        "999-01-01",
        "24-1-5",
        "%2B2024-01-01",
        "2024-01-01T00:00:00",
    ] {
        let path = format!("/v1/stats/joined?since={given}");
        let (status, body) = app.get_json(&path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"]["code"], "bad_parameter", "{path}");
        assert_eq!(body["error"]["parameter"], "since", "{path}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("from 1000-01-01 to 9999-12-31"),
            "{path}: {message}"
        );
    }
    for edge in ["1000-01-01", "9999-12-31"] {
        let (status, body) = app
            .get_json(&format!("/v1/stats/joined?since={edge}"))
            .await;
        assert_eq!(status, 200, "{edge}: {body}");
        assert_eq!(body["rows"][0]["since"], edge);
    }
    let (_, far) = app.get_json("/v1/stats/joined?since=9999-12-31").await;
    assert_eq!(far["rows"][0]["joined"], 0, "nobody joins after 9999");
}

#[tokio::test]
async fn declared_bounds_read_as_english() {
    let (app, _file) = app().await;
    let (status, body) = app.get_json("/v1/stats/bounded?day=2019-12-31").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["message"],
        "`day` must be from 2020-01-01 to 9999-12-31; got 2019-12-31"
    );
    let (status, body) = app.get_json("/v1/stats/bounded?day=%2B10000-01-01").await;
    assert_eq!(status, 400, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("from 2020-01-01 to 9999-12-31"),
        "{message}"
    );
}

/// A person types `2024-1-5` and means 5 January 2024; `24-1-5` is no date, and the refusal says
/// how to write one in the words the bot uses too.
#[tokio::test]
async fn unpadded_months_and_days_read_as_the_date_a_person_means() {
    let (app, _file) = app().await;
    let (status, body) = app.get_json("/v1/stats/joined?since=2024-1-5").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["params"]["since"], "2024-01-05");
    assert_eq!(body["rows"][0]["since"], "2024-01-05");
    let (_, padded) = app.get_json("/v1/stats/joined?since=2024-01-05").await;
    assert_eq!(body["rows"][0]["joined"], padded["rows"][0]["joined"]);

    let (status, body) = app.get_json("/v1/stats/joined?since=24-1-5").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["parameter"], "since");
    assert_eq!(
        body["error"]["message"],
        format!(
            "`since` must be {}, from 1000-01-01 to 9999-12-31",
            stats_contract::params::DATE_WRITTEN
        )
    );
    assert!(stats_contract::params::DATE_WRITTEN.contains("YYYY-MM-DD"));
}
