//! A running service swaps in an edited catalogue if it holds (through the reload API, or
//! SIGHUP for the standalone binary), and keeps serving the last good one if it does not.

use std::process::Command;
use std::time::{Duration, Instant};

use stats_api::catalogue::DEFAULT_CATALOGUE;

use crate::helpers::{TOKEN, TestDatabase, catalogue_file, client, settings};

const ACTIVE: &str = r#"
[[stats]]
name = "active"
title = "Active"
description = "Members who joined in the last N days"
display = "figures"
sql = "SELECT COUNT(*) AS joined FROM users WHERE deleted_at IS NULL AND created_at >= NOW() - INTERVAL :days DAY"
[[stats.params]]
name = "days"
type = "integer"
default = 30
min = 1
"#;

const GHOSTS: &str = r#"
[[stats]]
name = "ghosts"
title = "Ghosts"
description = "A table that is not there"
display = "figures"
sql = "SELECT COUNT(*) AS n FROM ghosts"
"#;

async fn status(http: &reqwest::Client, url: String) -> u16 {
    http.get(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .map_or(0, |r| r.status().as_u16())
}

#[tokio::test]
async fn a_reload_that_holds_serves_at_once_with_a_fresh_cache_one_that_does_not_changes_nothing() {
    let db = TestDatabase::new().await;
    let app = stats_api::Application::build(settings(&db.url()))
        .await
        .unwrap();
    let address = format!("http://{}", app.local_addr());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    let http = client();
    let get = |path: &str| {
        let request = http.get(format!("{address}{path}")).bearer_auth(TOKEN);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<serde_json::Value>().await.unwrap())
        }
    };

    let (_, before) = get("/v1/stats/members").await;
    sqlx::query(
        "INSERT INTO users (name, email, created_at, updated_at) VALUES ('New', 'new@reload.test', NOW(), NOW())",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let (_, cached) = get("/v1/stats/members").await;
    assert_eq!(cached["rows"], before["rows"], "the answer is cached");
    assert_eq!(get("/v1/stats/active").await.0, 404);

    state
        .reload(&format!("{DEFAULT_CATALOGUE}\n{ACTIVE}"))
        .await
        .expect("a sound catalogue reloads");
    let (status, active) = get("/v1/stats/active?days=7").await;
    assert_eq!(status, 200, "{active}");
    assert_eq!(active["params"]["days"], 7);
    let (_, listing) = get("/v1/stats").await;
    assert!(listing.to_string().contains("\"active\""), "{listing}");
    let (_, doc) = get("/openapi.json").await;
    assert!(doc["paths"].get("/v1/stats/active").is_some());
    let (_, after) = get("/v1/stats/members").await;
    assert_eq!(
        after["rows"][0]["total"],
        before["rows"][0]["total"].as_i64().unwrap() + 1,
        "the cache went with the old catalogue"
    );

    // Broken statically, and broken against the database: every problem back, nothing changed.
    let problems = state
        .reload("[[stats]]\nname = \"x\"\ndispaly = \"figures\"\n")
        .await
        .unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|p| p == "catalogue entry `x`: unknown key `dispaly` (did you mean `display`?)"),
        "{text:#?}"
    );
    let problems = state
        .reload(&format!("{DEFAULT_CATALOGUE}\n{GHOSTS}"))
        .await
        .unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].entry.as_deref(), Some("ghosts"));
    assert_eq!(
        get("/v1/stats/active").await.0,
        200,
        "the last good catalogue serves"
    );
    assert_eq!(get("/v1/stats/ghosts").await.0, 404);
}

/// The real binary, its output in a file; killed on drop.
struct Running {
    child: std::process::Child,
    log: std::path::PathBuf,
}

impl Running {
    fn hangup(&self) {
        let sent = Command::new("kill")
            .args(["-HUP", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool, running: &Running) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{what} did not happen; the service said:\n{}",
        running.output()
    );
}

#[tokio::test]
async fn sighup_rereads_the_catalogue_file_and_a_broken_edit_leaves_the_old_one_serving() {
    let db = TestDatabase::new().await;
    let file = catalogue_file(DEFAULT_CATALOGUE);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log =
        std::env::temp_dir().join(format!("statsbot-sighup-{}-{port}.log", std::process::id()));
    let out = std::fs::File::create(&log).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_stats-api"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "info")
        .env("DATABASE_URL", db.url())
        .env("STATS_API_TOKENS", TOKEN)
        .env("STATS_API_ADDR", format!("127.0.0.1:{port}"))
        .env("STATS_CATALOGUE", &file.0)
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .expect("start the stats-api binary");
    let running = Running { child, log };
    let http = client();
    let url = |path: &str| format!("http://127.0.0.1:{port}{path}");

    eventually(
        "start-up",
        async || status(&http, url("/v1/stats/members")).await == 200,
        &running,
    )
    .await;
    assert_eq!(status(&http, url("/v1/stats/active")).await, 404);

    std::fs::write(&file.0, format!("{DEFAULT_CATALOGUE}\n{ACTIVE}")).unwrap();
    running.hangup();
    eventually(
        "the reload",
        async || status(&http, url("/v1/stats/active")).await == 200,
        &running,
    )
    .await;

    std::fs::write(&file.0, format!("{DEFAULT_CATALOGUE}\n{ACTIVE}\n{GHOSTS}")).unwrap();
    running.hangup();
    eventually(
        "the refusal",
        async || running.output().contains("catalogue reload refused"),
        &running,
    )
    .await;
    let said = running.output();
    assert!(said.contains("catalogue entry `ghosts`"), "{said}");
    assert_eq!(status(&http, url("/v1/stats/active")).await, 200, "{said}");
    assert_eq!(status(&http, url("/v1/stats/ghosts")).await, 404, "{said}");
}
