//! The stack keeps answering correctly while stats are added and the stats API restarts.

use std::time::Duration;

use stats_api::catalogue::DEFAULT_CATALOGUE;

use crate::helpers::{CatalogueFile, spawn_stack, spawn_stack_with};

const MENTOR_COUNT: &str = r#"
[[stats]]
name = "mentor-count"
title = "Mentors"
description = "How many mentors there are."
display = "figures"
cache_seconds = 0
sql = "SELECT COUNT(*) AS mentors FROM users WHERE is_mentor = 1 AND deleted_at IS NULL"
"#;

#[tokio::test]
async fn a_stat_declared_in_the_catalogue_becomes_a_command_without_restarting_the_bot() {
    let file = CatalogueFile::new(DEFAULT_CATALOGUE);
    // The list of stats is trusted for no time at all: the next command sees the new one.
    let trust_nothing = |config: &mut bot::Config| config.catalogue_ttl = Duration::ZERO;
    let mut stack = spawn_stack_with(Some(file.0.clone()), None, trust_nothing).await;
    let before = stack.slash_text("help").await;
    assert!(!before.contains("mentor-count"), "{before}");
    let unknown = stack.slash("mentor-count").await;
    assert_eq!(unknown["response_type"], "ephemeral");

    // An admin declares a stat; the stats API is redeployed; the bot is left alone.
    std::fs::write(&file.0, format!("{DEFAULT_CATALOGUE}\n{MENTOR_COUNT}")).unwrap();
    stack.stop_api().await;
    stack.start_api_again().await;

    let mentors: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE is_mentor = 1 AND deleted_at IS NULL")
            .fetch_one(&stack.db.pool)
            .await
            .unwrap();
    let help = stack.slash_text("help").await;
    assert!(help.contains("/stats mentor-count"), "{help}");
    assert!(help.contains("How many mentors there are."), "{help}");
    let reply = stack.slash("mentor-count").await;
    assert_eq!(reply["response_type"], "in_channel", "{reply}");
    assert!(
        reply.to_string().contains(&mentors.to_string()),
        "{mentors} in {reply}"
    );
}

#[tokio::test]
async fn the_bot_explains_an_outage_and_recovers_when_the_stats_api_restarts() {
    let mut stack = spawn_stack(None).await;
    let healthy = stack.slash("signups 3").await;
    assert_eq!(healthy["response_type"], "in_channel", "{healthy}");

    stack.stop_api().await;
    let down = stack.slash("signups 3").await;
    assert_eq!(down["response_type"], "ephemeral", "{down}");
    let text = down["text"].as_str().unwrap();
    assert!(text.contains("couldn't reach the stats service"), "{text}");
    assert!(!down.to_string().contains(crate::helpers::TOKEN));

    stack.start_api_again().await;
    let back = stack.slash("signups 3").await;
    assert_eq!(
        back["blocks"], healthy["blocks"],
        "the same answer once it is back"
    );
}
