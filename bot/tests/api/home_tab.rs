//! The Home tab: `app_home_opened` publishes the dashboard (`views.publish`) of the `BOT_HOME`
//! stats, once per the stats' cache time however often it is opened; Refresh publishes it again
//! at once; without a file, the catalogue's first stat.

use std::path::PathBuf;

use bot::state::AppState;
use devkit::slack_api_stub::SlackApiStub;
use serde_json::{Value, json};

use crate::events::{ASKER, callback, deliver};
use crate::helpers::*;

struct HomeFile(PathBuf);

impl HomeFile {
    fn new(text: &str) -> HomeFile {
        let path = std::env::temp_dir().join(format!(
            "statsbot-home-{}-{}.toml",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
        ));
        std::fs::write(&path, text).unwrap();
        HomeFile(path)
    }
}

impl Drop for HomeFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

async fn home_bot(
    api: &FakeApi,
    slack: &SlackApiStub,
    file: Option<&HomeFile>,
) -> (String, AppState) {
    let mut vars = vec![
        ("SLACK_SIGNING_SECRET".to_string(), SECRET.to_string()),
        ("STATS_API_URL".into(), api.url()),
        ("STATS_API_TOKEN".into(), TOKEN.into()),
        ("BOT_ADDR".into(), "127.0.0.1:0".into()),
        ("SLACK_BOT_TOKEN".into(), "xoxb-test-token".into()),
        ("SLACK_API_URL".into(), slack.url()),
    ];
    if let Some(file) = file {
        vars.push(("BOT_HOME".into(), file.0.display().to_string()));
    }
    let config = bot::Config::from_lookup(|name| {
        vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    })
    .unwrap();
    let app = bot::startup::Application::build(config).await.unwrap();
    let url = format!("http://{}", app.local_addr());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    (url, state)
}

fn opened(slack: &SlackApiStub, event_id: &str, tab: &str) -> Value {
    callback(
        slack,
        event_id,
        json!({"type": "app_home_opened", "user": ASKER, "channel": "D0123ABCD",
        "tab": tab, "event_ts": "1700000000.000100",
        "view": {"id": "V0123ABCD", "team_id": "T0001", "type": "home", "blocks": [],
                 "private_metadata": "", "callback_id": "", "hash": "1700000000.a1b2c3d4"}}),
    )
}

fn refresh_press() -> String {
    let payload = json!({
        "type": "block_actions",
        "user": {"id": ASKER, "username": "ada", "name": "ada", "team_id": "T0001"},
        "api_app_id": "A0BOT0STATS", "token": "Shh_its_a_seekrit",
        "container": {"type": "view", "view_id": "V0123ABCD"},
        "trigger_id": "12466734323.1395872398",
        "team": {"id": "T0001", "domain": "example"},
        "view": {"id": "V0123ABCD", "type": "home", "blocks": []},
        "actions": [{"action_id": "home_refresh", "block_id": "a1", "value": "home",
                     "text": {"type": "plain_text", "text": "Refresh"}, "type": "button",
                     "action_ts": "1548426417.840180"}]
    });
    serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap()
}

#[tokio::test]
async fn the_home_tab_shows_the_dashboard_once_per_cache_time_and_refresh_rebuilds_it() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let file = HomeFile::new(
        "[[home]]\nstat = \"members\"\n\n[[home]]\nstat = \"signups 6\"\ntitle = \"*Growth* <!here>\"\n",
    );
    let (bot, state) = home_bot(&api, &slack, Some(&file)).await;
    deliver(&bot, &state, &opened(&slack, "Ev0HOME0001", "home"), None).await;
    let views = slack.views();
    assert_eq!(views.len(), 1, "{views:#?}");
    let body = &views[0].body;
    assert_eq!(body["user_id"], ASKER);
    assert_eq!(body["view"]["type"], "home");
    bot::slack::blocks::check_view(&body["view"]).unwrap();
    let text = visible_text(&body["view"]);
    assert!(text.contains("1,234"), "members: {text}");
    assert!(text.contains("Signups per month"), "{text}");
    assert!(text.contains("*Growth* &lt;!here&gt;"), "escaped: {text}");
    assert!(
        text.contains("@statsbot how many joined this week"),
        "how to ask: {text}"
    );
    assert!(body.to_string().contains("home_refresh"));
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=6"));
    let hits = api.hits();

    // Opened again at once, by the same user: nothing built, nothing published.
    deliver(&bot, &state, &opened(&slack, "Ev0HOME0002", "home"), None).await;
    assert_eq!(slack.views().len(), 1);
    assert_eq!(api.hits(), hits, "no build per visit");
    // The Messages tab is the DM: nothing to publish.
    deliver(
        &bot,
        &state,
        &opened(&slack, "Ev0HOME0003", "messages"),
        None,
    )
    .await;
    assert_eq!(slack.views().len(), 1);

    // Refresh: built and published again, now.
    let response = post_signed(&bot, "/slack/interactions", SECRET, now(), refresh_press()).await;
    assert_eq!(response.status(), 200);
    state.deferred().finish().await;
    assert_eq!(slack.views().len(), 2);
    assert!(api.hits() > hits, "the stats were asked again");
}

#[tokio::test]
async fn without_a_file_the_home_tab_shows_the_catalogues_first_stat() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = home_bot(&api, &slack, None).await;
    deliver(&bot, &state, &opened(&slack, "Ev0HOME0004", "home"), None).await;
    let views = slack.views();
    assert_eq!(views.len(), 1);
    let text = visible_text(&views[0].body["view"]);
    assert!(
        text.contains("There are currently *1,234* members"),
        "{text}"
    );
    assert!(!text.contains("Signups per month"), "{text}");
    assert!(text.contains("/stats help"), "{text}");
}

#[tokio::test]
async fn a_broken_home_file_stops_the_bot_naming_every_mistake() {
    let file = HomeFile::new("[[home]]\nstta = \"members\"\n\n[[home]]\nstat = \"\"\n");
    let path = file.0.display().to_string();
    let vars = [
        ("SLACK_SIGNING_SECRET", SECRET),
        ("STATS_API_URL", "http://127.0.0.1:1"),
        ("STATS_API_TOKEN", TOKEN),
        ("SLACK_BOT_TOKEN", "xoxb-test-token"),
        ("BOT_HOME", path.as_str()),
    ];
    let error = bot::Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    })
    .unwrap_err()
    .to_string();
    assert!(error.contains("BOT_HOME"), "{error}");
    assert!(
        error.contains("unknown key `stta` (did you mean `stat`?)"),
        "{error}"
    );
    assert!(
        error.contains("home entry `#2`: `stat` is empty"),
        "{error}"
    );
}
