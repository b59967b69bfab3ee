//! `statsbot dev` reads each service's documented settings through that service's own reader.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use devkit::response_receiver::ResponseReceiver;
use devkit::test_database::{TestDatabase, server_url};
use statsbot::dev::{DevOptions, Stack};
use statsbot::slash::{form_body, send};

use crate::helpers::CatalogueFile;

/// The shipped catalogue, with `members` sleeping 2 s on the database every time.
fn members_taking_two_seconds() -> String {
    let shipped = stats_api::catalogue::DEFAULT_CATALOGUE;
    let slow = shipped
        .replacen(
            "FROM (SELECT 1 AS one) AS always",
            "FROM (SELECT SLEEP(2) AS pause) AS always",
            1,
        )
        .replacen("cache_seconds = 60", "cache_seconds = 0", 1);
    assert_ne!(
        slow, shipped,
        "the shipped members SQL changed: update this test"
    );
    slow
}

#[tokio::test]
async fn the_dev_stack_honours_a_non_default_bot_deadline() {
    let db = TestDatabase::new().await;
    let catalogue = CatalogueFile::new(&members_taking_two_seconds());
    let vars: HashMap<String, String> = [
        ("DATABASE_URL", server_url()),
        ("BOT_ADDR", "127.0.0.1:0".into()),
        ("STATS_API_ADDR", "127.0.0.1:0".into()),
        ("STATS_CATALOGUE", catalogue.0.display().to_string()),
        // 300 ms instead of the default 2000: a 2 s stat is acknowledged at once.
        ("BOT_DEADLINE_MS", "300".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut options = DevOptions::from_vars(vars);
    options.database = db.name.clone();
    let stack = Stack::start(&options).await.expect("the dev stack starts");

    let receiver = ResponseReceiver::start().await.unwrap();
    let body = form_body("/stats", "members", "T0DEV", "U0DEV", &receiver.url());
    let started = Instant::now();
    let (status, reply) = send(
        &format!("{}/slack/commands", stack.state.bot_url),
        &stack.state.signing_secret,
        body,
    )
    .await
    .unwrap();
    let acknowledged = started.elapsed();
    assert_eq!(status, 200);
    assert!(
        reply["text"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Working on it"),
        "{reply}"
    );
    assert!(
        acknowledged < Duration::from_millis(1500),
        "acknowledged after {acknowledged:?}: BOT_DEADLINE_MS was not honoured"
    );
    let answer = receiver
        .first_delivery(Duration::from_secs(10))
        .await
        .expect("the answer follows through response_url");
    assert!(
        answer.body.to_string().contains("There are currently"),
        "{}",
        answer.body
    );
    stack.stop().await;
}
