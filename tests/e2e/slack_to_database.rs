//! A person's `/stats …` reaches the database and comes back right.

use crate::helpers::{SECRET, TOKEN, grouped, members_truth, spawn_stack};
use crate::logs::Logs;

#[tokio::test]
async fn stats_members_in_slack_says_what_the_database_says() {
    let stack = spawn_stack(None).await;
    let pool = &stack.db.pool;
    let (total, invited, newest) = members_truth(pool).await;

    let reply = stack.slash("members").await;
    assert_eq!(reply["response_type"], "in_channel");
    let fallback = reply["text"].as_str().unwrap();
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
    assert!(
        fallback.contains(&format!("The newest member is {newest}")),
        "{fallback}"
    );
    let section = reply["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(
        section.contains(&format!("*{}*", grouped(total))),
        "{section}"
    );
    assert!(
        section.contains("<!date^"),
        "Slack formats the join date: {section}"
    );
}

#[tokio::test]
async fn a_hostile_member_name_reaches_slack_harmless() {
    let stack = spawn_stack(None).await;
    sqlx::query(
        "INSERT INTO users (name, email, created_at) VALUES ('<!channel> & <@U123> <b>', 'evil@example.org', NOW() + INTERVAL 1 DAY)",
    )
    .execute(&stack.db.pool)
    .await
    .unwrap();
    let reply = stack.slash("members").await;
    let section = reply["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(
        section.contains("&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;b&gt;"),
        "{section}"
    );
    assert!(
        !section.contains("<!channel>") && !section.contains("<@U123>"),
        "{section}"
    );
}

#[tokio::test]
async fn help_lists_every_stat_in_the_catalogue() {
    let stack = spawn_stack(None).await;
    let catalogue: serde_json::Value = stack
        .http
        .get(format!("http://{}/v1/stats", stack.api_addr))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reply = stack.slash("help").await;
    assert_eq!(reply["response_type"], "ephemeral");
    let shown = reply["blocks"].to_string();
    let stats = catalogue["stats"].as_array().unwrap();
    assert!(stats.len() >= 3);
    for stat in stats {
        let name = stat["name"].as_str().unwrap();
        assert!(
            shown.contains(&format!("/stats {name}")),
            "{name} missing from help: {shown}"
        );
    }
    assert_eq!(
        stack.slash("").await["blocks"],
        reply["blocks"],
        "empty text is help too"
    );
}

#[tokio::test]
async fn the_stats_api_answers_developers_with_a_token_only() {
    let stack = spawn_stack(None).await;
    let url = format!("http://{}/v1/stats/signups?months=3", stack.api_addr);
    let anonymous = stack.http.get(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let forged = stack
        .http
        .get(&url)
        .bearer_auth(SECRET)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401, "the Slack secret is not an API token");
    let ok = stack
        .http
        .get(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let body: serde_json::Value = ok.json().await.unwrap();
    assert_eq!(body["rows"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_forged_slack_request_gets_nothing() {
    let stack = spawn_stack(None).await;
    let body = statsbot::slash::form_body("/stats", "members", "T0E2E", "U0E2E", "");
    let (status, reply) = statsbot::slash::send(&stack.bot_url, "not-the-secret", body)
        .await
        .unwrap();
    assert_eq!(status, 401);
    assert!(!reply.to_string().contains("members"), "{reply}");
}

/// Issue 23: a right-to-left override in `/stats` text reached the bot's log raw, so the line
/// read backwards from where it sat. Both services run here; every line either writes must
/// show it escaped.
#[tokio::test(flavor = "current_thread")]
async fn a_bidi_override_in_stats_text_is_logged_escaped() {
    let stack = spawn_stack(None).await;
    let logs = Logs::default();
    let _capture = logs.capture();
    stack.slash("\u{202e}srebmem").await;
    stack
        .slash("how many \u{202e}members\u{2066} joined this week")
        .await;
    // Asking in words finishes after the reply.
    stack.settled().await;
    let text = logs.text();
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    assert!(!text.chars().any(bidi), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("slash command"))
        .unwrap_or_else(|| panic!("no slash command line: {text}"));
    assert!(line.contains("subcommand=\\u{202e}srebmem"), "{line}");
    assert!(text.contains("\\u{2066}"), "{text}");
}
