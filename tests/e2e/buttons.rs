//! Buttons through the real bot, stats API and database: run a stat from help, then share the
//! private answer in the channel, with the numbers the database holds.

use serde_json::Value;
use statsbot::press;
use statsbot::slash::press_button;

use crate::helpers::{SECRET, grouped, members_truth, spawn_stack_with};

const USER: &str = "U0E2E";

fn button(message: &Value, wanted: &str) -> press::Button {
    let offered = press::buttons(message);
    press::find(&offered, wanted)
        .unwrap_or_else(|| panic!("no {wanted} button in {message}"))
        .clone()
}

#[tokio::test]
async fn run_from_help_then_share_posts_the_true_numbers_in_the_channel() {
    let stack = spawn_stack_with(None, None, |config| {
        config.allow_response_url = Some("http://127.0.0.1:".into());
    })
    .await;
    let help = stack.slash("help").await;

    let posts = press_button(
        &stack.bot_url,
        SECRET,
        &button(&help, "run:members"),
        "T0E2E",
        USER,
    )
    .await
    .unwrap();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    let private = &posts[0];
    assert_eq!(private["response_type"], "ephemeral", "{private}");
    assert_eq!(private["replace_original"], false, "help stays: {private}");

    let posts = press_button(
        &stack.bot_url,
        SECRET,
        &button(private, "share"),
        "T0E2E",
        USER,
    )
    .await
    .unwrap();
    assert_eq!(
        posts.len(),
        2,
        "the shared answer, then the deletion: {posts:#?}"
    );
    let shared = &posts[0];
    if let Err(problems) = bot::slack::blocks::check(shared) {
        panic!("invalid Block Kit {problems:?}:\n{shared:#}");
    }
    assert_eq!(shared["response_type"], "in_channel", "{shared}");
    assert_eq!(posts[1], serde_json::json!({ "delete_original": true }));

    let pool = &stack.db.pool;
    let (total, invited, _newest) = members_truth(pool).await;
    let fallback = shared["text"].as_str().unwrap();
    assert!(
        fallback.contains(&format!("There are currently {} members.", grouped(total))),
        "{fallback}"
    );
    assert!(
        fallback.contains(&format!(
            "{} of them were invited by a mentor",
            grouped(invited)
        )),
        "{fallback}"
    );
    assert_eq!(
        shared["text"], private["text"],
        "the numbers shown privately (the stats API's cache answers the share)"
    );
    let blocks = shared["blocks"].to_string();
    assert!(
        blocks.contains(&format!("Shared by <@{USER}> · numbers from <!date^")),
        "{blocks}"
    );
}
