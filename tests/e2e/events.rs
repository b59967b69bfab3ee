//! The Events API through the whole dev stack, as a new user would try it (issue 25's "Done
//! when"): Slack-shaped events signed with the stack's secret (the `statsbot mention`, `dm`,
//! `unfurl`, `home` payloads), the real stats API and its `/v1/ask` on a real database, and the
//! stack's Slack stand-in read back over HTTP as the CLI reads it.

use std::time::Duration;

use devkit::test_database::TestDatabase;
use serde_json::Value;
use stats_api::catalogue::DEFAULT_CATALOGUE;
use statsbot::events::{
    CHANNEL, DM, bot_user, callback, dm_event, event_id, home_event, link_event, mention_event,
    message, send,
};
use statsbot::stand_in::{Record, StandIn};

use crate::helpers::{CatalogueFile, dev_stack, grouped, members_truth};

const USER: &str = "U0E2E0USER";
const TEAM: &str = "T0E2E0TEAM";

struct Slack<'a> {
    stack: &'a statsbot::dev::Stack,
    stand_in: StandIn,
}

impl<'a> Slack<'a> {
    fn of(stack: &'a statsbot::dev::Stack) -> Slack<'a> {
        let api = stack
            .state
            .slack_api_url
            .as_deref()
            .expect("the stack's stand-in");
        Slack {
            stack,
            stand_in: StandIn::new(api),
        }
    }

    /// Sends `event` signed, as Slack would, to `bot` (the stack's unless another is given);
    /// returns the body sent.
    async fn send_to(&self, bot: &str, event: Value, retry: Option<u32>) -> Value {
        let body = callback(&event_id().unwrap(), TEAM, event);
        self.resend_to(bot, &body, retry).await;
        body
    }

    async fn resend_to(&self, bot: &str, body: &Value, retry: Option<u32>) {
        let url = format!("{bot}/slack/events");
        let (status, acked) = send(&url, &self.stack.state.signing_secret, body, retry)
            .await
            .unwrap();
        assert_eq!(status, 200);
        assert!(
            acked < Duration::from_millis(1500),
            "acknowledged after {acked:?}"
        );
    }

    /// `@statsbot {words}` in the channel (in `thread` if given): the body sent, the message's
    /// `ts`, and the bot's replies in the thread once they came.
    async fn mention(&self, words: &str, thread: Option<&str>) -> (Value, String, Vec<Value>) {
        let text = format!("<@{}> {words}", bot_user());
        let ts = self
            .stand_in
            .seed(&message(CHANNEL, USER, &text, thread))
            .await
            .unwrap();
        let root = thread.unwrap_or(&ts).to_string();
        let before = self.replies(&root).await.len();
        let bot = self.stack.state.bot_url.clone();
        let body = self
            .send_to(&bot, mention_event(USER, words, &ts, thread), None)
            .await;
        let (record, came) = self
            .stand_in
            .wait_for(Duration::from_secs(20), |r| {
                in_thread(r, &root).len() > before
            })
            .await
            .unwrap();
        assert!(came, "no reply to {words:?}");
        (body, ts, in_thread(&record, &root)[before..].to_vec())
    }

    async fn replies(&self, root: &str) -> Vec<Value> {
        in_thread(&self.stand_in.record().await.unwrap(), root)
    }
}

fn in_thread(record: &Record, root: &str) -> Vec<Value> {
    let posts = record.posts.iter();
    posts.filter(|p| p["thread_ts"] == root).cloned().collect()
}

fn text(message: &Value) -> String {
    format!("{}\n{}", message["text"], message["blocks"])
}

#[tokio::test]
async fn a_mention_is_answered_in_its_thread_and_a_follow_up_changes_the_period() {
    let db = TestDatabase::new().await;
    let catalogue = CatalogueFile::new(DEFAULT_CATALOGUE);
    let stack = dev_stack(&db, &catalogue, &[]).await;
    let slack = Slack::of(&stack);

    let (total, _, _) = members_truth(&db.pool).await;
    let (_, ts, replies) = slack.mention("how many people do we have", None).await;
    assert_eq!(replies.len(), 1, "{replies:#?}");
    let reply = text(&replies[0]);
    assert!(reply.contains(&grouped(total)), "{reply}");
    assert!(reply.contains("Read as `/stats members`"), "{reply}");
    assert_eq!(replies[0]["thread_ts"], ts.as_str());

    let (_, root, first) = slack.mention("signups over the last 6 months", None).await;
    assert!(
        text(&first[0]).contains("Read as `/stats signups 6`"),
        "{}",
        text(&first[0])
    );
    let (_, _, follow) = slack.mention("and the last 3 months?", Some(&root)).await;
    assert_eq!(follow.len(), 1);
    let follow = text(&follow[0]);
    assert!(follow.contains("Read as `/stats signups 3`"), "{follow}");
    assert!(
        follow.contains("signups.png?") && follow.contains("months=3"),
        "its chart: {follow}"
    );

    let (_, _, afresh) = slack.mention("what about mentors?", Some(&root)).await;
    let afresh = text(&afresh[0]);
    assert!(afresh.contains("Mentors by members invited"), "{afresh}");
    stack.stop().await;
}

#[tokio::test]
async fn a_redelivered_event_gets_no_second_reply_even_from_a_restarted_bot() {
    let db = TestDatabase::new().await;
    let catalogue = CatalogueFile::new(DEFAULT_CATALOGUE);
    let stack = dev_stack(&db, &catalogue, &[]).await;
    let slack = Slack::of(&stack);
    let (body, ts, replies) = slack.mention("members", None).await;
    assert_eq!(replies.len(), 1);

    // Slack missed the acknowledgement and sends it again: to the same bot…
    slack.resend_to(&stack.state.bot_url, &body, Some(1)).await;
    // …and to a bot started afresh, knowing nothing, behind the same Slack.
    let mut config = bot::Config::from_lookup(|name| match name {
        "SLACK_SIGNING_SECRET" => Some(stack.state.signing_secret.clone()),
        "STATS_API_URL" => Some(stack.state.api_url.clone()),
        "STATS_API_TOKEN" => Some(stack.state.api_token.clone()),
        "SLACK_API_URL" => stack.state.slack_api_url.clone(),
        "SLACK_BOT_TOKEN" => stack.state.slack_bot_token.clone(),
        _ => None,
    })
    .unwrap();
    config.addr = "127.0.0.1:0".parse().unwrap();
    let restarted = bot::startup::Application::build(config).await.unwrap();
    let restarted_url = format!("http://{}", restarted.local_addr());
    let state = restarted.state();
    tokio::spawn(restarted.run_until_stopped());
    slack.resend_to(&restarted_url, &body, Some(2)).await;
    state.deferred().finish().await;
    stack.settled().await;
    assert_eq!(slack.replies(&ts).await.len(), 1, "answered once");
    stack.stop().await;
}

#[tokio::test]
async fn a_dm_a_pasted_link_and_the_home_tab() {
    let db = TestDatabase::new().await;
    let catalogue = CatalogueFile::new(DEFAULT_CATALOGUE);
    let stack = dev_stack(&db, &catalogue, &[]).await;
    let slack = Slack::of(&stack);
    let bot = stack.state.bot_url.clone();

    // A DM, answered in the conversation.
    let ts = slack
        .stand_in
        .seed(&message(DM, USER, "signups 3", None))
        .await
        .unwrap();
    slack
        .send_to(&bot, dm_event(USER, "signups 3", &ts), None)
        .await;
    let in_dm = |r: &Record| r.posts.iter().any(|p| p["channel"] == DM);
    let (record, came) = slack
        .stand_in
        .wait_for(Duration::from_secs(20), in_dm)
        .await
        .unwrap();
    assert!(came, "no reply in the DM");
    let reply = record.posts.iter().find(|p| p["channel"] == DM).unwrap();
    assert!(reply.get("thread_ts").is_none_or(Value::is_null), "{reply}");
    assert!(text(reply).contains("Signups per month"), "{reply}");

    // A stats link pasted in the channel unfurls with its chart, signed afresh.
    let link = format!("{}/v1/stats/signups?months=6", stack.state.api_url);
    let ts = slack
        .stand_in
        .seed(&message(CHANNEL, USER, &format!("<{link}>"), None))
        .await
        .unwrap();
    slack
        .send_to(&bot, link_event(USER, &link, &ts), None)
        .await;
    let unfurled = |r: &Record| !r.unfurls.is_empty();
    let (record, came) = slack
        .stand_in
        .wait_for(Duration::from_secs(20), unfurled)
        .await
        .unwrap();
    assert!(came, "not unfurled");
    let unfurl = &record.unfurls[0];
    assert_eq!(unfurl["channel"], CHANNEL);
    assert_eq!(unfurl["ts"], ts.as_str());
    let preview = &unfurl["unfurls"][&link]["blocks"];
    let image = preview
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "image")
        .expect("a chart");
    let chart = image["image_url"].as_str().unwrap();
    assert!(
        chart.contains("signups.png?") && chart.contains("sig="),
        "{chart}"
    );
    let fetched = reqwest::get(chart).await.unwrap();
    assert_eq!(fetched.status(), 200, "the chart opens without a token");

    // The Home tab: the example's dashboard.
    slack.send_to(&bot, home_event(USER), None).await;
    let published = |r: &Record| !r.views.is_empty();
    let (record, came) = slack
        .stand_in
        .wait_for(Duration::from_secs(20), published)
        .await
        .unwrap();
    assert!(came, "no Home tab");
    let view = &record.views[0];
    assert_eq!(view["user_id"], USER);
    let shown = view["view"].to_string();
    let (total, _, _) = members_truth(&db.pool).await;
    assert!(shown.contains(&grouped(total)), "{shown}");
    assert!(
        shown.contains("home_refresh") && shown.contains("Signups per month"),
        "{shown}"
    );
    bot::slack::blocks::check_view(&view["view"]).unwrap();
    stack.stop().await;
}
