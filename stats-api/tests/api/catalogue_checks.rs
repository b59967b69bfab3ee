//! A broken or writing catalogue entry never reaches users, and start-up says why.

use std::process::Command;
use std::time::Duration;

use stats_api::catalogue::{DEFAULT_CATALOGUE, check_text};
use stats_api::config::LiveCheck;
use stats_api::database;

use crate::helpers::{
    TOKEN, TestDatabase, catalogue_file, server_url, settings, spawn_app_with, start,
};

const GOOD: &str = r#"
[[stats]]
name = "count"
title = "Count"
description = "Everyone"
display = "figures"
sql = "SELECT COUNT(*) AS total FROM users"
"#;

fn with_entry(entry: &str) -> String {
    format!("{GOOD}\n[[stats]]\n{entry}")
}

async fn start_error(db: &TestDatabase, catalogue: &str) -> String {
    let file = catalogue_file(catalogue);
    let mut s = settings(&db.url());
    s.catalogue_path = Some(file.0.clone());
    match start(s).await {
        Ok(_) => panic!("the service started with a broken catalogue"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn entries_that_do_not_fit_the_database_stop_start_up_by_name() {
    let db = TestDatabase::new().await;
    let cases = [
        (
            "name = \"ghosts\"\ntitle = \"G\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT COUNT(*) AS n FROM ghosts\"",
            "ghosts",
            "doesn't exist",
        ),
        (
            "name = \"typo\"\ntitle = \"T\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT COUNT(*) AS n FROM users WHERE is_mentr = 1\"",
            "typo",
            "is_mentr",
        ),
        (
            "name = \"lonely\"\ntitle = \"L\"\ndescription = \"d\"\ndisplay = \"ranked\"\nsql = \"SELECT name FROM users\"",
            "lonely",
            "at least two columns",
        ),
        (
            "name = \"twins\"\ntitle = \"T\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT 1 AS a, 2 AS a\"",
            "twins",
            "two columns are called `a`",
        ),
    ];
    for (entry, name, problem) in cases {
        let err = start_error(&db, &with_entry(entry)).await;
        assert!(err.contains(&format!("`{name}`")), "{err}");
        assert!(err.contains(problem), "{err}");
    }
    let err = start_error(&db, "[[stats]]\nname = \"x\"\n").await;
    assert!(
        err.contains("catalogue entry `x`: `title` is missing")
            && err.contains("catalogue entry `x`: `sql` is missing"),
        "{err}"
    );
}

const GHOSTS: &str = "name = \"ghosts\"\ntitle = \"G\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT COUNT(*) AS n FROM ghosts\"";

#[tokio::test]
async fn the_live_check_names_every_broken_entry_at_once() {
    let db = TestDatabase::new().await;
    let text = format!(
        "{}\n[[stats]]\n{}\n[[stats]]\n{}",
        with_entry(GHOSTS),
        "name = \"typo\"\ntitle = \"T\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT COUNT(*) AS n FROM users WHERE is_mentr = 1\"",
        "name = \"lonely\"\ntitle = \"L\"\ndescription = \"d\"\ndisplay = \"ranked\"\nsql = \"SELECT name FROM users\"",
    );
    let catalogue = check_text(&text).expect("statically sound");
    let pool = database::pool(&settings(&db.url())).unwrap();
    let problems = database::check_catalogue(&pool, &catalogue)
        .await
        .unwrap_err();
    let named: Vec<Option<&str>> = problems.iter().map(|p| p.entry.as_deref()).collect();
    assert_eq!(
        named,
        [Some("ghosts"), Some("typo"), Some("lonely")],
        "{problems:#?}"
    );
    assert!(
        problems[1]
            .to_string()
            .starts_with("catalogue entry `typo`: the SQL does not prepare")
    );

    let err = start_error(&db, &text).await;
    assert!(err.starts_with("the catalogue has 3 mistakes:"), "{err}");
    for name in ["ghosts", "typo", "lonely"] {
        assert!(err.contains(&format!("catalogue entry `{name}`")), "{err}");
    }
}

#[tokio::test]
async fn a_database_without_the_schema_is_said_once_with_the_setting_and_the_fix() {
    let db = TestDatabase::new().await;
    sqlx::raw_sql("DROP TABLE users; DROP TABLE IF EXISTS _sqlx_migrations")
        .execute(&db.pool)
        .await
        .unwrap();
    let err = start_error(&db, DEFAULT_CATALOGUE).await;
    assert!(
        !err.contains("mistakes:"),
        "one problem, not one per stat: {err}"
    );
    assert!(
        err.contains(&format!("the database 127.0.0.1:3306/{}", db.name))
            && err.contains("DATABASE_URL")
            && err.contains("`users`")
            && err.contains("cargo run -- migrate"),
        "{err}"
    );

    // A URL that names no database at all.
    let err = match start(settings(&server_url())).await {
        Ok(_) => panic!("started without a database"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains("DATABASE_URL names no database") && !err.contains("mistakes:"),
        "{err}"
    );
}

#[tokio::test]
async fn checked_on_first_use_a_broken_stat_answers_stat_broken_and_never_runs() {
    let db = TestDatabase::new().await;
    let file = catalogue_file(&with_entry(GHOSTS));
    // What Lambda does: no live check at start-up, so a broken entry does not stop it.
    let app = spawn_app_with(db, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s.live_check = LiveCheck::OnFirstUse;
        s
    })
    .await;
    let (status, body) = app.get_json("/v1/stats/count").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["columns"][0]["name"], "total", "{body}");
    for _ in 0..2 {
        let (status, body) = app.get_json("/v1/stats/ghosts").await;
        assert_eq!(status, 500, "{body}");
        assert_eq!(body["error"]["code"], "stat_broken", "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("`ghosts`") && !message.contains("doesn't exist"),
            "the stat is named, the database's words stay in the log: {message}"
        );
    }
    // The catalogue lists both; the OpenAPI document, checked on its first request, only the
    // stat that holds.
    let (_, listing) = app.get_json("/v1/stats").await;
    assert_eq!(listing["stats"].as_array().unwrap().len(), 2);
    let (status, doc) = app.get_json("/openapi.json").await;
    assert_eq!(status, 200, "{doc}");
    assert!(doc["paths"].get("/v1/stats/count").is_some(), "{doc}");
    assert!(doc["paths"].get("/v1/stats/ghosts").is_none(), "{doc}");
}

#[tokio::test]
async fn checked_on_first_use_openapi_types_every_column() {
    let db = TestDatabase::new().await;
    let lazy = spawn_app_with(db, |mut s| {
        s.live_check = LiveCheck::OnFirstUse;
        s
    })
    .await;
    let (status, lazy_doc) = lazy.get_json("/openapi.json").await;
    assert_eq!(status, 200, "{lazy_doc}");
    let eager = spawn_app_with(TestDatabase::new().await, |s| s).await;
    let (_, eager_doc) = eager.get_json("/openapi.json").await;
    assert_eq!(lazy_doc, eager_doc);
}

#[tokio::test]
async fn a_stat_that_writes_is_refused_and_changes_nothing() {
    let db = TestDatabase::new().await;
    let before = db.count_users().await;

    // Plain DML returns no columns: refused at start-up.
    let err = start_error(
        &db,
        &with_entry("name = \"wipe\"\ntitle = \"W\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"DELETE FROM users\""),
    )
    .await;
    assert!(
        err.contains("`wipe`") && err.contains("no columns"),
        "{err}"
    );
    assert_eq!(db.count_users().await, before);

    // A write hidden in a function looks like a SELECT: the read-only transaction stops it.
    sqlx::raw_sql(
        "CREATE FUNCTION rename_first() RETURNS INT MODIFIES SQL DATA \
         BEGIN UPDATE users SET name = 'pwned' WHERE id = 1; RETURN 1; END",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let sneaky = with_entry(
        "name = \"sneaky\"\ntitle = \"S\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT rename_first() AS done\"",
    );
    let file = catalogue_file(&sneaky);
    let app = spawn_app_with(db, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s
    })
    .await;
    let (status, body) = app.get_json("/v1/stats/sneaky").await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["error"]["code"], "stat_writes");
    let name: String = sqlx::query_scalar("SELECT name FROM users WHERE id = 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_ne!(name, "pwned");
    assert_eq!(app.db.count_users().await, before);
}

#[tokio::test]
async fn a_locking_read_stops_start_up_by_name() {
    let db = TestDatabase::new().await;
    for clause in [
        "FOR UPDATE",
        "for update nowait",
        "FOR SHARE",
        "LOCK IN SHARE MODE",
    ] {
        let entry = format!(
            "name = \"locked\"\ntitle = \"L\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT COUNT(*) AS n FROM users {clause}\""
        );
        let err = start_error(&db, &with_entry(&entry)).await;
        assert!(
            err.contains("`locked`") && err.contains("lock"),
            "{clause}: {err}"
        );
    }
    // The words inside a string or a comment lock nothing.
    let fine = with_entry(
        "name = \"quoted\"\ntitle = \"Q\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT 'for update' AS n -- FOR UPDATE\"",
    );
    let file = catalogue_file(&fine);
    let app = spawn_app_with(db, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s
    })
    .await;
    let (status, body) = app.get_json("/v1/stats/quoted").await;
    assert_eq!(status, 200, "{body}");
}

/// Runs the real binary the way an operator would, and reads everything it printed.
fn run_binary(env: &[(&str, &str)], wait: Duration) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stats-api"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "debug")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the stats-api binary");
    let deadline = std::time::Instant::now() + wait;
    while std::time::Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

#[tokio::test]
async fn start_up_failures_explain_themselves_without_secrets() {
    let secret_password = "Sup3rSecretPassw0rd";
    let url = format!("mysql://root:{secret_password}@127.0.0.1:1/community");
    let (code, out) = run_binary(
        &[
            ("DATABASE_URL", &url),
            ("STATS_API_TOKENS", TOKEN),
            ("STATS_API_ADDR", "127.0.0.1:0"),
        ],
        Duration::from_secs(15),
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("cannot reach the database at 127.0.0.1:1/community"),
        "{out}"
    );
    assert!(
        !out.contains(secret_password) && !out.contains(TOKEN),
        "{out}"
    );

    let (code, out) = run_binary(&[("DATABASE_URL", &url)], Duration::from_secs(5));
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("STATS_API_TOKENS is not set"), "{out}");

    let db = TestDatabase::new().await;
    let file = catalogue_file(&with_entry(
        "name = \"ghosts\"\ntitle = \"G\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT COUNT(*) AS n FROM ghosts\"",
    ));
    let (code, out) = run_binary(
        &[
            ("DATABASE_URL", &db.url()),
            ("STATS_API_TOKENS", TOKEN),
            ("STATS_API_ADDR", "127.0.0.1:0"),
            ("STATS_CATALOGUE", file.0.to_str().unwrap()),
        ],
        Duration::from_secs(15),
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("catalogue entry `ghosts`") && out.contains("doesn't exist"),
        "{out}"
    );
}
