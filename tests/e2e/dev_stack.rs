//! `statsbot dev` reads each service's documented settings through that service's own reader.

use std::time::{Duration, Instant};

use devkit::response_receiver::ResponseReceiver;
use devkit::test_database::TestDatabase;

use crate::helpers::{CatalogueFile, ask_dev, dev_stack, members_sleeping};

#[tokio::test]
async fn the_dev_stack_honours_a_non_default_bot_deadline() {
    let db = TestDatabase::new().await;
    let catalogue = CatalogueFile::new(&members_sleeping(2));
    // 300 ms instead of the default 2000: a 2 s stat is acknowledged at once.
    let stack = dev_stack(&db, &catalogue, &[("BOT_DEADLINE_MS", "300")]).await;

    let receiver = ResponseReceiver::start().await.unwrap();
    let started = Instant::now();
    let reply = ask_dev(&stack, "members", &receiver.url()).await;
    let acknowledged = started.elapsed();
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

#[tokio::test]
async fn statsbot_alert_and_digest_read_the_files_the_running_stack_reads() {
    let db = TestDatabase::new().await;
    let catalogue = CatalogueFile::new(stats_api::catalogue::DEFAULT_CATALOGUE);
    let alerts = CatalogueFile::new(
        "[[alerts]]\nname = \"shrinking\"\nchannel = \"C0123456789\"\nstat = \"members\"\n\
         schedule = \"*/5 * * * *\"\nwhen = \"total < 10\"\n",
    );
    let path = alerts.0.display().to_string();
    let stack = dev_stack(&db, &catalogue, &[("BOT_ALERTS", &path)]).await;
    // What `statsbot alert shrinking`, run without BOT_ALERTS, reads: the stack's file.
    assert_eq!(stack.state.alerts_file.as_deref(), Some(path.as_str()));
    let alert_reads =
        statsbot::dev_state::DevState::file(None, stack.state.alerts_file.as_ref(), "example");
    assert!(
        std::fs::read_to_string(alert_reads)
            .unwrap()
            .contains("shrinking")
    );
    // No BOT_DIGESTS: the shipped example, as an absolute path.
    let digests = stack.state.digests_file.clone().unwrap();
    assert!(
        digests.starts_with('/') && digests.ends_with("bot/digests.example.toml"),
        "{digests}"
    );
    stack.stop().await;
}
