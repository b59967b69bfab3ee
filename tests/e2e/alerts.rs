//! Alerts end to end: the real stats API on a real database, the bot's alert job, and a real
//! HTTP server on loopback standing in for Slack's Web API. Ticks are run with chosen times, as
//! the scheduler would bring them; the database's rows are changed to move the values.

use std::collections::HashMap;

use bot::alerts::machine::Status;
use bot::alerts::runner::Report;
use bot::startup::Bot;
use chrono::{DateTime, Utc};
use devkit::slack_api_stub::{Answer, Post, SlackApiStub};
use devkit::test_database::TestDatabase;
use serde_json::Value;
use statsbot::press;

use crate::helpers::{Api, CatalogueFile, SECRET, TOKEN, start_api};
use crate::logs::Logs;

pub(crate) const BOT_TOKEN: &str = "xoxb-e2e-0000-al3rt-bot-token";
pub(crate) const CHANNEL: &str = "C0E2E000002";

/// The shipped catalogue, never cached (each check sees the rows as they are, and each stats
/// API call is a query the log counts), and
/// `pair`: how many of the first 100 members are active (`recent`) of how many there are
/// (`previous`), to move a percent condition one row at a time.
fn catalogue() -> String {
    let shipped = stats_api::catalogue::DEFAULT_CATALOGUE;
    let fresh = shipped
        .replace("cache_seconds = 60", "cache_seconds = 0")
        .replace("cache_seconds = 300", "cache_seconds = 0");
    assert_ne!(
        fresh, shipped,
        "the shipped members entry changed: update this"
    );
    format!(
        "{fresh}\n[[stats]]\nname = \"pair\"\ntitle = \"Pair\"\ndescription = \"Active of the first 100 members.\"\ndisplay = \"figures\"\n\
         sql = \"\"\"\nSELECT\n  (SELECT COUNT(*) FROM users WHERE id <= 100 AND deleted_at IS NULL) AS recent,\n  \
         (SELECT COUNT(*) FROM users WHERE id <= 100) AS previous\n\"\"\"\n"
    )
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub(crate) struct AlertStack {
    db: TestDatabase,
    _api: Api,
    api_url: String,
    pub(crate) slack: SlackApiStub,
    file: CatalogueFile,
    _catalogue: CatalogueFile,
}

pub(crate) async fn alert_stack(alerts: &str, answers: Vec<Answer>) -> AlertStack {
    let db = TestDatabase::new().await;
    let catalogue = CatalogueFile::new(&catalogue());
    let (api, addr) = start_api(&db, "127.0.0.1:0", Some(catalogue.0.clone()), None).await;
    let slack = SlackApiStub::answering(answers).await.unwrap();
    AlertStack {
        db,
        _api: api,
        api_url: format!("http://{addr}"),
        slack,
        file: CatalogueFile::new(alerts),
        _catalogue: catalogue,
    }
}

impl AlertStack {
    fn vars(&self) -> HashMap<&'static str, String> {
        HashMap::from([
            ("SLACK_SIGNING_SECRET", SECRET.to_string()),
            ("STATS_API_URL", self.api_url.clone()),
            ("STATS_API_TOKEN", TOKEN.to_string()),
            ("BOT_ALERTS", self.file.0.display().to_string()),
            ("SLACK_BOT_TOKEN", BOT_TOKEN.to_string()),
            ("SLACK_API_URL", self.slack.url()),
            ("SLACK_ALLOW_RESPONSE_URL", "http://127.0.0.1:".to_string()),
        ])
    }

    /// A bot process, as at start-up; each call is a fresh process (a restart).
    pub(crate) fn bot(&self) -> Bot {
        let vars = self.vars();
        let config = bot::Config::from_lookup(|name| vars.get(name).cloned()).unwrap();
        bot::startup::build(config).unwrap()
    }

    pub(crate) async fn active_members(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL")
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    /// Members with the lowest ids leave (`n` > 0) or the last who left come back (`n` < 0).
    pub(crate) async fn members_leave(&self, n: i64) {
        let sql = if n > 0 {
            "UPDATE users SET deleted_at = UTC_TIMESTAMP() WHERE deleted_at IS NULL ORDER BY id LIMIT ?"
        } else {
            "UPDATE users SET deleted_at = NULL WHERE deleted_at IS NOT NULL ORDER BY id DESC LIMIT ?"
        };
        sqlx::query(sql)
            .bind(n.abs())
            .execute(&self.db.pool)
            .await
            .unwrap();
    }
}

pub(crate) async fn tick(bot: &Bot, at: &str) -> Vec<(String, Report)> {
    let at = utc(at);
    let runner = bot.features.alerts.runner();
    runner.run_due(bot.state.services(), at, at).await
}

pub(crate) fn did(reports: &[(String, Report)], name: &str) -> &'static str {
    match reports.iter().find(|(n, _)| n == name).map(|(_, r)| r) {
        Some(Report::Checked { did, .. }) => did,
        other => panic!("{name}: {other:?}"),
    }
}

pub(crate) fn headcount(above: i64) -> String {
    format!(
        "[[alerts]]\nname = \"headcount\"\nchannel = \"{CHANNEL}\"\nstat = \"members\"\n\
         schedule = \"*/15 * * * *\"\nwhen = \"total > {above}\"\ntitle = \"Headcount\"\n"
    )
}

pub(crate) fn payload(post: &Post) -> &Value {
    &post.body["metadata"]["event_payload"]
}

#[tokio::test(flavor = "current_thread")]
async fn one_message_per_incident_held_over_ticks_and_a_restart_resolved_in_its_thread() {
    let logs = Logs::default();
    let _capture = logs.capture();
    // The alert fires when one member more than now is active.
    let probe = alert_stack("", vec![]).await;
    let total = probe.active_members().await;
    let stack = alert_stack(&headcount(total), vec![]).await;
    assert_eq!(stack.active_members().await, total, "the same demo data");
    let first = stack.bot();

    assert_eq!(
        did(&tick(&first, "2026-03-09T10:00:00Z").await, "headcount"),
        "nothing"
    );
    assert!(stack.slack.posts().is_empty(), "nothing posted while ok");
    assert_eq!(
        stack.slack.history_calls(),
        1,
        "the channel read once at the first check"
    );

    // A member who had left comes back (the demo data has some).
    stack.members_leave(-1).await;
    assert_eq!(stack.active_members().await, total + 1);

    assert_eq!(
        did(&tick(&first, "2026-03-09T10:15:00Z").await, "headcount"),
        "post"
    );
    let posts = stack.slack.taken();
    assert_eq!(posts.len(), 1, "fires once");
    let incident = &posts[0];
    assert_eq!(incident.authorization, format!("Bearer {BOT_TOKEN}"));
    assert_eq!(incident.body["channel"], CHANNEL);
    assert_eq!(
        bot::slack::blocks::check(&incident.body),
        Ok(()),
        "{:#}",
        incident.body
    );
    assert_eq!(incident.body["metadata"]["event_type"], "statsbot_alert");
    assert_eq!(payload(incident)["alert"], "headcount");
    assert_eq!(payload(incident)["state"], "firing");
    assert_eq!(payload(incident)["value"], (total + 1).to_string());
    let shown = incident.body.to_string();
    assert!(shown.contains("Headcount"), "{shown}");
    let labels: Vec<String> = press::buttons(&incident.body)
        .into_iter()
        .map(|b| b.label)
        .collect();
    assert_eq!(labels, ["Silence 1 h", "Silence 24 h", "Check now"]);
    assert!(
        shown.contains("There are currently"),
        "the stat's own answer: {shown}"
    );

    // Held: the same value on the next ticks sends nothing at all.
    assert_eq!(
        did(&tick(&first, "2026-03-09T10:30:00Z").await, "headcount"),
        "nothing"
    );
    // A restart: a new process reads the channel back and carries on with the same message.
    let second = stack.bot();
    let reads = stack.slack.history_calls();
    assert_eq!(
        did(&tick(&second, "2026-03-09T10:45:00Z").await, "headcount"),
        "nothing"
    );
    assert_eq!(
        stack.slack.history_calls(),
        reads + 1,
        "one read for the new process"
    );
    assert_eq!(stack.slack.posts().len(), 1, "no second message");
    assert!(stack.slack.updates().is_empty());

    // The value changes while it fires: the same message is updated.
    stack.members_leave(-1).await;
    assert_eq!(
        did(&tick(&second, "2026-03-09T11:00:00Z").await, "headcount"),
        "update"
    );
    let updates = stack.slack.updates();
    assert_eq!(updates.len(), 1);
    assert_eq!(
        updates[0].body["ts"],
        stack.slack.taken()[0].ts.as_deref().unwrap()
    );
    assert_eq!(payload(&updates[0])["value"], (total + 2).to_string());

    // It ends: the message says resolved, and a reply in its thread says so.
    stack.members_leave(3).await;
    assert_eq!(
        did(&tick(&second, "2026-03-09T11:15:00Z").await, "headcount"),
        "resolve"
    );
    let updates = stack.slack.updates();
    assert_eq!(updates.len(), 2);
    assert_eq!(payload(&updates[1])["state"], "resolved");
    assert!(
        updates[1].body.to_string().contains("Resolved after 1 h"),
        "{:#}",
        updates[1].body
    );
    assert!(
        press::buttons(&updates[1].body).is_empty(),
        "no buttons once resolved"
    );
    let posts = stack.slack.taken();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[1].body["thread_ts"], posts[0].ts.as_deref().unwrap());
    assert!(
        posts[1].body["text"]
            .as_str()
            .unwrap()
            .starts_with("Resolved after 1 h")
    );

    // Later it fires again: a new incident, a new message.
    stack.members_leave(-2).await;
    assert_eq!(
        did(&tick(&second, "2026-03-09T12:00:00Z").await, "headcount"),
        "post"
    );
    let posts = stack.slack.taken();
    assert_eq!(posts.len(), 3);
    assert!(posts[2].body.get("thread_ts").is_none_or(Value::is_null));
    assert_eq!(payload(&posts[2])["since"], "2026-03-09T12:00:00Z");

    // `/stats alerts` lists it, privately, with its state.
    let listed = bot::flows::run(
        second.state.command_cache().clone(),
        "/stats".into(),
        bot::slack::slash_command::parse_text("alerts"),
    )
    .await
    .reply
    .to_json();
    assert!(listed.contains("*headcount* → <#C0E2E000002>"), "{listed}");
    assert!(listed.contains("firing since"), "{listed}");
    assert!(listed.contains("\"ephemeral\""), "{listed}");
    assert!(
        !logs.text().contains(BOT_TOKEN),
        "the bot token is never logged"
    );
}

const PAIR: &str = r#"
[[alerts]]
name = "quiet"
channel = "C0E2E000003"
stat = "pair"
schedule = "*/15 * * * *"
when = "recent < previous - 20%"
for = "30m"
"#;

#[tokio::test(flavor = "current_thread")]
async fn a_percent_threshold_at_its_exact_boundary_and_for() {
    let stack = alert_stack(PAIR, vec![]).await;
    let pool = &stack.db.pool;
    sqlx::query("UPDATE users SET deleted_at = NULL WHERE id <= 100")
        .execute(pool)
        .await
        .unwrap();
    let previous: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id <= 100")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(previous, 100, "the demo data has members 1 to 100");
    // Exactly 80 of 100 active: 80 is not below 80% of 100.
    sqlx::query("UPDATE users SET deleted_at = UTC_TIMESTAMP() WHERE id <= 20")
        .execute(pool)
        .await
        .unwrap();
    let bot = stack.bot();
    assert_eq!(
        did(&tick(&bot, "2026-03-09T10:00:00Z").await, "quiet"),
        "nothing"
    );
    let status = |bot: &Bot| {
        let slot = bot.features.alerts.book().slot("quiet");
        slot.unwrap().state().status()
    };
    assert_eq!(status(&bot), Status::Ok, "at the boundary it does not hold");
    // One more leaves: 79 < 80. It must hold for 30 minutes before it fires.
    sqlx::query("UPDATE users SET deleted_at = UTC_TIMESTAMP() WHERE id = 21")
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(
        did(&tick(&bot, "2026-03-09T10:15:00Z").await, "quiet"),
        "nothing"
    );
    assert_eq!(status(&bot), Status::Pending);
    assert_eq!(
        did(&tick(&bot, "2026-03-09T10:30:00Z").await, "quiet"),
        "nothing"
    );
    assert!(stack.slack.posts().is_empty(), "pending posts nothing");
    assert_eq!(
        did(&tick(&bot, "2026-03-09T10:45:00Z").await, "quiet"),
        "post"
    );
    let posts = stack.slack.taken();
    assert_eq!(posts.len(), 1);
    assert_eq!(
        payload(&posts[0])["since"],
        "2026-03-09T10:15:00Z",
        "since it began to hold"
    );
    assert_eq!(payload(&posts[0])["value"], "79");
}

const MILESTONE_AND_GONE: &str = r#"
[[alerts]]
name = "every_ten"
channel = "C0E2E000004"
stat = "members"
schedule = "*/15 * * * *"
milestone = "total every 10"

[[alerts]]
name = "same_stat"
channel = "C0E2E000004"
stat = "members"
schedule = "*/15 * * * *"
when = "total < 0"

[[alerts]]
name = "gone"
channel = "C0E2E000004"
stat = "gone_stat"
schedule = "*/15 * * * *"
when = "total > 1"
"#;

#[tokio::test(flavor = "current_thread")]
async fn a_milestone_posts_once_per_multiple_and_a_stat_gone_is_an_error_logged_once() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let stack = alert_stack(MILESTONE_AND_GONE, vec![]).await;
    let total = stack.active_members().await;
    // Just below a multiple of 10.
    let below = total % 10 + 1;
    stack.members_leave(below).await;
    let bot = stack.bot();
    let first = tick(&bot, "2026-03-09T10:00:00Z").await;
    assert_eq!(
        did(&first, "every_ten"),
        "nothing",
        "the first check sets the baseline"
    );
    assert_eq!(did(&first, "gone"), "log_error");
    let log = logs.text();
    assert_eq!(
        log.matches("alert could not be checked").count(),
        1,
        "{log}"
    );
    assert!(log.contains("alert=gone"), "{log}");
    assert!(log.contains("gone_stat"), "{log}");

    stack.members_leave(-below).await;
    let second = tick(&bot, "2026-03-09T10:15:00Z").await;
    assert_eq!(did(&second, "every_ten"), "milestone");
    assert_eq!(
        did(&second, "gone"),
        "nothing",
        "the same reason is not logged again"
    );
    assert_eq!(logs.text().matches("alert could not be checked").count(), 1);
    let posts = stack.slack.taken();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    let reached = total - total % 10;
    assert_eq!(payload(&posts[0])["milestone"], reached);
    assert!(
        posts[0].body.to_string().contains("`total` passed"),
        "{:#}",
        posts[0].body
    );
    assert_eq!(bot::slack::blocks::check(&posts[0].body), Ok(()));
    // The same value again: nothing more.
    assert_eq!(
        did(&tick(&bot, "2026-03-09T10:30:00Z").await, "every_ten"),
        "nothing"
    );
    assert_eq!(stack.slack.posts().len(), 1);
    let gone = bot.features.alerts.book().slot("gone").unwrap().state();
    assert_eq!(gone.status(), Status::Error);
}
