//! Digests end to end: the real stats API on a real database, the bot's digest runner, and a
//! real HTTP server on loopback standing in for Slack's Web API. Passes are run with chosen
//! "scheduled" times, as EventBridge Scheduler's ticks would bring them.

use std::collections::HashMap;
use std::time::Duration;

use bot::digests::Report;
use bot::slack::retry::GiveUp;
use bot::startup::Bot;
use chrono::{DateTime, Utc};
use devkit::slack_api_stub::{Answer, SlackApiStub};
use devkit::test_database::TestDatabase;
use serde_json::Value;

use crate::helpers::{Api, CatalogueFile, TOKEN, grouped, start_api};
use crate::logs::Logs;

const BOT_TOKEN: &str = "xoxb-e2e-0000-s3cr3t-bot-token";
const CHANNEL: &str = "C0E2E000001";

const WEEKLY: &str = r#"
[[digests]]
name = "weekly"
channel = "C0E2E000001"
schedule = "0 9 * * MON"
timezone = "Europe/Berlin"
stats = ["members", "growth 7", "signups 3", "gone_stat"]
title = "This week in numbers"
intro = "Good morning, <!channel> & all."
"#;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

struct DigestStack {
    db: TestDatabase,
    _api: Api,
    api_url: String,
    slack: SlackApiStub,
    file: CatalogueFile,
}

async fn digest_stack(digests: &str, answers: Vec<Answer>) -> DigestStack {
    let db = TestDatabase::new().await;
    let (api, addr) = start_api(&db, "127.0.0.1:0", None, None).await;
    let slack = SlackApiStub::answering(answers).await.unwrap();
    DigestStack {
        db,
        _api: api,
        api_url: format!("http://{addr}"),
        slack,
        file: CatalogueFile::new(digests),
    }
}

impl DigestStack {
    fn vars(&self) -> HashMap<&'static str, String> {
        HashMap::from([
            ("SLACK_SIGNING_SECRET", "e2e-signing-secret".to_string()),
            ("STATS_API_URL", self.api_url.clone()),
            ("STATS_API_TOKEN", TOKEN.to_string()),
            ("BOT_DIGESTS", self.file.0.display().to_string()),
            ("SLACK_BOT_TOKEN", BOT_TOKEN.to_string()),
            ("SLACK_API_URL", self.slack.url()),
        ])
    }

    /// A bot process's state, configured from the environment as at start-up; each call is
    /// a fresh process (another Lambda environment, or the bot after a restart).
    fn bot(&self) -> Bot {
        let vars = self.vars();
        let config = bot::Config::from_lookup(|name| vars.get(name).cloned()).unwrap();
        bot::startup::build(config).unwrap()
    }
}

async fn pass(bot: &Bot, at: &str) -> Vec<(String, Report)> {
    let at = utc(at);
    let runner = bot.features.digests.runner();
    runner.run_due(bot.state.services(), at, at).await
}

fn marker(post: &Value) -> (String, String) {
    let payload = &post["metadata"]["event_payload"];
    (
        payload["digest"].as_str().unwrap().to_string(),
        payload["occurrence"].as_str().unwrap().to_string(),
    )
}

#[tokio::test(flavor = "current_thread")]
async fn a_digest_posts_the_databases_true_numbers_in_valid_block_kit() {
    let stack = digest_stack(WEEKLY, vec![]).await;
    let logs = Logs::default();
    let _capture = logs.capture();
    let bot = stack.bot();

    // Monday 9 March 2026, 09:00 in Berlin (CET) is 08:00 UTC.
    let reports = pass(&bot, "2026-03-09T08:00:00Z").await;
    assert_eq!(
        reports,
        [("weekly".to_string(), Report::Posted { calls: 1 })]
    );

    let pool = &stack.db.pool;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL")
        .fetch_one(pool)
        .await
        .unwrap();
    let joined: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE deleted_at IS NULL \
         AND created_at > UTC_TIMESTAMP() - INTERVAL 7 DAY AND created_at <= UTC_TIMESTAMP()",
    )
    .fetch_one(pool)
    .await
    .unwrap();

    let posts = stack.slack.taken();
    assert_eq!(posts.len(), 1);
    let post = &posts[0];
    assert_eq!(post.authorization, format!("Bearer {BOT_TOKEN}"));
    let body = &post.body;
    assert_eq!(body["channel"], CHANNEL);
    assert_eq!(
        marker(body),
        ("weekly".into(), "2026-03-09T08:00:00Z".into())
    );
    assert_eq!(bot::slack::blocks::check(body), Ok(()), "{body:#}");

    let blocks = body["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["text"]["text"], "This week in numbers");
    assert_eq!(
        blocks[1]["text"]["text"], "Good morning, &lt;!channel&gt; &amp; all.",
        "the intro pings nobody"
    );
    let all = body.to_string();
    // `members`: its own template's sentence; `growth`: figures; `signups`: a series.
    assert!(
        all.contains(&format!("There are currently *{}* members", grouped(total))),
        "{all}"
    );
    assert!(
        all.contains(&format!("*Joined*\\n{}", grouped(joined))),
        "{all}"
    );
    assert!(all.contains("Signups per month"), "{all}");
    // The stat that is not in the catalogue is said in the message and the log; the rest posted.
    assert!(all.contains("`/stats gone_stat` is not shown"), "{all}");
    let text = body["text"].as_str().unwrap();
    assert!(text.starts_with("This week in numbers"), "{text}");
    assert!(text.contains(&grouped(total)), "{text}");
    let footer = blocks.last().unwrap()["elements"][0]["text"]
        .as_str()
        .unwrap();
    assert!(footer.contains("`/stats help` for more"), "{footer}");
    let log = logs.text();
    assert!(
        log.contains("stat=gone_stat") && log.contains("gone=true"),
        "{log}"
    );
    assert!(log.contains("digest posted"), "{log}");

    // `/stats digests` lists it, with its channel and next run.
    let listed = bot::flows::run(
        bot.state.command_cache().clone(),
        "/stats".into(),
        bot::slack::slash_command::parse_text("digests"),
    )
    .await;
    let listed = listed.reply.to_json();
    assert!(listed.contains("*weekly* → <#C0E2E000001>"), "{listed}");
    assert!(listed.contains("`0 9 * * MON`, Europe/Berlin"), "{listed}");
    assert!(listed.contains("\"ephemeral\""), "{listed}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_duplicated_trigger_posts_once_even_in_another_environment() {
    let stack = digest_stack(WEEKLY, vec![]).await;
    let first = stack.bot();
    let tick = "2026-03-09T08:00:00Z";
    assert_eq!(pass(&first, tick).await.len(), 1);
    // The scheduler delivers the same tick again: the same environment remembers.
    assert_eq!(pass(&first, tick).await, []);
    // A tick a few minutes later, inside the grace window: still the same occurrence.
    assert_eq!(pass(&first, "2026-03-09T08:04:00Z").await, []);
    // Another environment (or the bot after a deploy) gets it: the channel's history has the
    // marker.
    let second = stack.bot();
    assert_eq!(
        pass(&second, tick).await,
        [("weekly".to_string(), Report::AlreadyPosted)]
    );
    assert_eq!(stack.slack.taken().len(), 1, "posted once");
    assert!(stack.slack.history_calls() >= 2);
}

#[tokio::test(flavor = "current_thread")]
async fn a_429_is_retried_after_the_time_slack_asks_for() {
    let stack = digest_stack(WEEKLY, vec![Answer::RateLimited(2)]).await;
    let bot = stack.bot();
    let reports = pass(&bot, "2026-03-09T08:00:00Z").await;
    assert_eq!(
        reports,
        [("weekly".to_string(), Report::Posted { calls: 2 })]
    );
    let posts = stack.slack.posts();
    assert_eq!(posts.len(), 2);
    let waited = posts[1].at - posts[0].at;
    assert!(waited >= Duration::from_secs(2), "waited {waited:?}");
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");
    assert_eq!(marker(&posts[0].body), marker(&posts[1].body));
}

const MINUTELY: &str = r#"
[[digests]]
name = "minutely"
channel = "C0E2E000001"
schedule = "* * * * *"
stats = ["members"]
"#;

#[tokio::test(flavor = "current_thread")]
async fn slack_errors_are_logged_with_what_to_do_nothing_crashes_and_the_token_stays_secret() {
    let codes = [
        "not_in_channel",
        "channel_not_found",
        "invalid_auth",
        "account_inactive",
    ];
    let answers = codes
        .iter()
        .map(|c| Answer::SlackError(c.to_string()))
        .collect();
    let stack = digest_stack(MINUTELY, answers).await;
    let logs = Logs::default();
    let _capture = logs.capture();
    let bot = stack.bot();
    // The history cannot be read either (the bot is not in the channel): posted anyway.
    stack.slack.fail_history("not_in_channel");

    for (minute, code) in codes.iter().enumerate() {
        let at = format!("2026-03-09T08:0{minute}:00Z");
        let reports = pass(&bot, &at).await;
        assert_eq!(
            reports,
            [(
                "minutely".to_string(),
                Report::NotPosted {
                    gave_up: GiveUp::Slack(code.to_string())
                }
            )]
        );
        // Refused for good: the next tick does not repeat it.
        assert_eq!(pass(&bot, &at).await, []);
    }
    // A 5xx is retried (after looking for the marker); then Slack takes it.
    stack.slack.script(vec![Answer::Status(503)]);
    let reports = pass(&bot, "2026-03-09T08:05:00Z").await;
    assert_eq!(
        reports,
        [("minutely".to_string(), Report::Posted { calls: 2 })]
    );

    let log = logs.text();
    for (code, advice) in [
        ("not_in_channel", "/invite @statsbot"),
        ("channel_not_found", "check the channel ID"),
        ("invalid_auth", "Bot User OAuth Token"),
        ("account_inactive", "reinstall the app"),
    ] {
        let line = log
            .lines()
            .find(|l| l.contains(&format!("digest minutely not posted: Slack said {code}")))
            .unwrap_or_else(|| panic!("no line for {code}:\n{log}"));
        assert!(line.contains(advice), "{line}");
        assert!(line.contains("ERROR"), "{line}");
    }
    assert!(log.contains("posting anyway"), "{log}");
    assert!(
        !log.contains(BOT_TOKEN),
        "the token reached the log:\n{log}"
    );
    assert!(
        !log.contains("s3cr3t"),
        "part of the token reached the log:\n{log}"
    );
    // It was sent, though: to Slack, in the header.
    assert!(
        stack
            .slack
            .posts()
            .iter()
            .all(|p| p.authorization == format!("Bearer {BOT_TOKEN}"))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn broken_digest_files_are_refused_at_start_up_with_the_entry_named() {
    let stack = digest_stack(WEEKLY, vec![]).await;
    let broken = CatalogueFile::new(&format!(
        "{WEEKLY}\n[[digests]]\nname = \"daily\"\nchannel = \"general\"\nschedule = \"0 25 * * *\"\n\
         timezone = \"Europe/Berlni\"\nstats = []\ncolour = \"red\"\n\n{WEEKLY}"
    ));
    let mut vars = stack.vars();
    vars.insert("BOT_DIGESTS", broken.0.display().to_string());
    let error = bot::Config::from_lookup(|name| vars.get(name).cloned())
        .unwrap_err()
        .to_string();
    for says in [
        "the digests file has 6 mistakes:",
        "digest `daily`: `channel` \"general\" is not a channel ID: C (public) or G (private) \
         then 8 to 19 capital letters or digits, 9 to 20 characters in all",
        "digest `daily`: `schedule` \"0 25 * * *\": hour field",
        "digest `daily`: `timezone`: \"Europe/Berlni\"",
        "digest `daily`: `stats` is empty",
        "digest `daily`: unknown key `colour`",
        "digest `weekly`: declared twice",
    ] {
        assert!(error.contains(says), "missing {says:?} in:\n{error}");
    }
    assert!(!error.contains(BOT_TOKEN));

    // Digests without a token to post them with: refused too.
    let mut vars = stack.vars();
    vars.remove("SLACK_BOT_TOKEN");
    let error = bot::Config::from_lookup(|name| vars.get(name).cloned())
        .unwrap_err()
        .to_string();
    assert!(error.contains("SLACK_BOT_TOKEN"), "{error}");
}

const NIGHTLY_BERLIN: &str = r#"
[[digests]]
name = "nightly"
channel = "C0E2E000001"
schedule = "30 2 * * *"
timezone = "Europe/Berlin"
stats = ["members"]
"#;

#[tokio::test(flavor = "current_thread")]
async fn daylight_saving_skipped_and_repeated_times_run_as_documented() {
    let stack = digest_stack(NIGHTLY_BERLIN, vec![]).await;
    // 29 March 2026: Berlin skips 02:00-03:00. 02:30 runs at 03:00 CEST = 01:00 UTC.
    let bot = stack.bot();
    assert_eq!(
        pass(&bot, "2026-03-29T00:30:00Z").await,
        [],
        "01:30 CET: not yet"
    );
    assert_eq!(pass(&bot, "2026-03-29T01:00:00Z").await.len(), 1);
    // 25 October 2026: Berlin repeats 02:00-03:00. 02:30 runs at its first instant, 02:30 CEST
    // = 00:30 UTC, and not at 02:30 CET = 01:30 UTC, even in a fresh process.
    assert_eq!(pass(&bot, "2026-10-25T00:30:00Z").await.len(), 1);
    let fresh = stack.bot();
    assert_eq!(pass(&fresh, "2026-10-25T01:30:00Z").await, []);
    let occurrences: Vec<String> = stack
        .slack
        .taken()
        .iter()
        .map(|p| marker(&p.body).1)
        .collect();
    assert_eq!(
        occurrences,
        ["2026-03-29T01:00:00Z", "2026-10-25T00:30:00Z"]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_members_forged_marker_does_not_stop_the_digest() {
    let stack = digest_stack(WEEKLY, vec![]).await;
    let occurrence = "2026-03-09T08:00:00Z";
    let marker = serde_json::json!({"event_type": "statsbot_digest",
        "event_payload": {"digest": "weekly", "occurrence": occurrence}});
    for message in devkit::slack_channel::chatter(50) {
        stack.slack.seed(CHANNEL, message);
    }
    stack.slack.seed(
        CHANNEL,
        devkit::slack_channel::member("U0ATTACKER", "already posted, honest", Some(marker.clone())),
    );
    stack.slack.seed(
        CHANNEL,
        devkit::slack_channel::other_app("digest", Some(marker)),
    );
    let first = stack.bot();
    let reports = pass(&first, occurrence).await;
    assert!(
        matches!(reports.as_slice(), [(_, Report::Posted { .. })]),
        "{reports:?}"
    );
    // A busy Monday morning; then another environment pages back to the bot's own marker,
    // and posts nothing.
    for message in devkit::slack_channel::chatter(250) {
        stack.slack.seed(CHANNEL, message);
    }
    let reads = stack.slack.history_calls();
    let second = stack.bot();
    assert_eq!(
        pass(&second, occurrence).await,
        [("weekly".to_string(), Report::AlreadyPosted)]
    );
    assert_eq!(
        stack.slack.history_calls() - reads,
        2,
        "two pages, stopped once found"
    );
    assert_eq!(stack.slack.taken().len(), 1, "posted once");
}
