//! Links to the stats API pasted in Slack (`link_shared`), previewed with `chat.unfurl` as the
//! stat's answer with its chart; links the bot cannot read, private stats and other domains
//! left alone.

use devkit::slack_api_stub::SlackApiStub;
use serde_json::{Value, json};

use crate::events::{ASKER, CHANNEL, callback, deliver, events_bot};
use crate::helpers::*;

fn shared(slack: &SlackApiStub, event_id: &str, links: &[String], composer: bool) -> Value {
    let links: Vec<Value> = links
        .iter()
        .map(|url| json!({"domain": "127.0.0.1", "url": url}))
        .collect();
    let event = if composer {
        json!({"type": "link_shared", "channel": "COMPOSER", "is_bot_user_member": false,
            "user": ASKER, "message_ts": "U0456EFGH-909b5454-75f8-4ac4-b325-1b40e230bbd8-gryl3kb80b3wm49ihzoo35fyqoq08n2y",
            "unfurl_id": "U0456EFGH-909b5454-75f8-4ac4-b325-1b40e230bbd8-gryl3kb80b3wm49ihzoo35fyqoq08n2y",
            "source": "composer", "links": links, "event_ts": "1700000000.000100"})
    } else {
        json!({"type": "link_shared", "channel": CHANNEL, "is_bot_user_member": true,
            "user": ASKER, "message_ts": "1700000000.000200", "thread_ts": "1700000000.000100",
            "unfurl_id": "C0123456789.1700000000.000200.7b3d", "source": "conversations_history",
            "links": links, "event_ts": "1700000000.000300"})
    };
    callback(slack, event_id, event)
}

fn with_chart(api: &FakeApi) {
    let mut signups = signups_result(6);
    signups.chart_url = Some(format!(
        "{}/v1/stats/signups.png?expires=1999999999&months=6&sig=fresh0123",
        api.url()
    ));
    api.set_result("signups", &signups);
}

#[tokio::test]
async fn a_pasted_stats_link_unfurls_with_its_chart_and_other_domains_do_not() {
    let api = spawn_fake_api().await;
    with_chart(&api);
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let ours = format!("{}/v1/stats/signups?months=6", api.url());
    let elsewhere = "https://grafana.example.org/d/abc?orgId=1".to_string();
    deliver(
        &bot,
        &state,
        &shared(
            &slack,
            "Ev0LINK0001",
            &[ours.clone(), elsewhere.clone()],
            true,
        ),
        None,
    )
    .await;

    let unfurls = slack.unfurls();
    assert_eq!(unfurls.len(), 1, "{unfurls:#?}");
    let body = &unfurls[0].body;
    assert_eq!(body["source"], "composer");
    assert!(
        body["unfurl_id"]
            .as_str()
            .unwrap()
            .starts_with("U0456EFGH-")
    );
    let previews = body["unfurls"].as_object().unwrap();
    assert_eq!(previews.len(), 1, "only the stats API's link");
    let blocks = &previews[&ours]["blocks"];
    let text = visible_text(blocks);
    assert!(text.contains("Signups per month"), "{text}");
    assert!(text.contains("`/stats signups months=6`"), "{text}");
    let image = blocks
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "image")
        .expect("a chart");
    assert!(
        image["image_url"]
            .as_str()
            .unwrap()
            .contains("sig=fresh0123"),
        "signed afresh"
    );
    assert_valid_message(&json!({"text": "preview", "blocks": blocks}));
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=6"));
    assert!(slack.posts().is_empty(), "nothing posted in the channel");
}

#[tokio::test]
async fn a_posted_chart_link_unfurls_in_its_message() {
    let api = spawn_fake_api().await;
    with_chart(&api);
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let chart = format!(
        "{}/v1/stats/signups.png?expires=1700000600&months=3&width=800&sig=0a1b2c3d",
        api.url()
    );
    deliver(
        &bot,
        &state,
        &shared(&slack, "Ev0LINK0002", std::slice::from_ref(&chart), false),
        None,
    )
    .await;
    let unfurls = slack.unfurls();
    assert_eq!(unfurls.len(), 1);
    let body = &unfurls[0].body;
    assert_eq!(body["channel"], CHANNEL);
    assert_eq!(body["ts"], "1700000000.000200");
    assert!(
        body.get("unfurl_id").is_none(),
        "named by channel and ts once posted"
    );
    assert!(body["unfurls"][&chart]["blocks"].is_array());
    assert_eq!(
        api.last_query.lock().unwrap().as_deref(),
        Some("months=3"),
        "the link's own pairs dropped, the stat's kept"
    );
}

#[tokio::test]
async fn links_the_bot_cannot_read_and_private_stats_are_left_alone() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let base = api.url();
    let links = [
        format!("{base}/v1/stats/signups?months=999"),
        format!("{base}/v1/stats/signups?weeks=2"),
        format!("{base}/v1/stats/no_such_stat"),
        format!("{base}/v1/stats/mentors?limit=3"),
        format!("{base}/v1/ask?q=members"),
        "https://example.com/v1/stats/members".to_string(),
    ];
    deliver(
        &bot,
        &state,
        &shared(&slack, "Ev0LINK0003", &links, false),
        None,
    )
    .await;
    assert!(slack.unfurls().is_empty(), "{:#?}", slack.unfurls());
    assert!(
        slack.posts().is_empty() && slack.ephemerals().is_empty(),
        "no error posted"
    );
    assert_eq!(
        api.last_query.lock().unwrap().as_deref(),
        None,
        "no stat was fetched"
    );
}

#[tokio::test]
async fn at_most_three_links_a_message_are_previewed() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let links: Vec<String> = (1..=5)
        .map(|m| format!("{}/v1/stats/signups.csv?months={m}", api.url()))
        .collect();
    deliver(
        &bot,
        &state,
        &shared(&slack, "Ev0LINK0004", &links, false),
        None,
    )
    .await;
    let unfurls = slack.unfurls();
    assert_eq!(unfurls.len(), 1);
    let previews = unfurls[0].body["unfurls"].as_object().unwrap();
    assert_eq!(previews.len(), 3);
    assert!(previews.contains_key(&links[0]) && !previews.contains_key(&links[3]));
}
