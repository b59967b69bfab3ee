//! The README's first question, `/stats how many joined this week`, through the dev stack on
//! the shipped catalogue: answered at once, as `/stats growth 7`, with the database's number.

use devkit::test_database::TestDatabase;

use crate::helpers::{CatalogueFile, ask_dev, dev_stack};

#[tokio::test]
async fn the_readmes_question_is_answered_at_once_with_the_databases_number() {
    let db = TestDatabase::new().await;
    let catalogue = CatalogueFile::new(stats_api::catalogue::DEFAULT_CATALOGUE);
    let stack = dev_stack(&db, &catalogue, &[]).await;

    let reply = ask_dev(&stack, "how many joined this week", "").await;
    let text = reply.to_string();
    assert!(!text.contains("not sure"), "{text}");
    assert!(!text.contains("Did you mean"), "{text}");
    assert!(text.contains("growth 7"), "the reading is shown: {text}");
    let joined: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE deleted_at IS NULL \
         AND created_at > UTC_TIMESTAMP() - INTERVAL 7 DAY AND created_at <= UTC_TIMESTAMP()",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(
        text.contains(&joined.to_string()),
        "the answer holds the {joined} members who joined in the last 7 days: {text}"
    );
}
