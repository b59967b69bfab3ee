//! Button presses: Slack's signed `block_actions` payloads (shaped like the documented one in
//! `tests/fixtures/block_actions_button.json`) posted to `/slack/interactions`, answered through
//! the action's `response_url` (a local receiver).

use std::time::{Duration, Instant};

use crate::helpers::*;
use devkit::response_receiver::{Post, ResponseReceiver};
use serde_json::{Value, json};
use stats_contract::StatInfo;

const FIXTURE: &str = include_str!("../fixtures/block_actions_button.json");
const PRESSER: &str = "U2147483697";

/// The documented payload, with this button and `response_url`.
fn payload(action_id: &str, value: &str, response_url: &str) -> Value {
    let mut payload: Value = serde_json::from_str(FIXTURE).unwrap();
    payload["response_url"] = json!(response_url);
    payload["actions"][0]["action_id"] = json!(action_id);
    payload["actions"][0]["value"] = json!(value);
    payload
}

/// The form Slack posts: one field, `payload`, the JSON.
fn press_form(payload: &Value) -> String {
    serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap()
}

pub(crate) async fn bot_allowed_to_answer(api: &FakeApi) -> TestBot {
    let mut config = config(&api.url());
    config.allow_response_url = Some("http://127.0.0.1:".into());
    spawn_bot(config).await
}

/// Presses a button as Slack would; Slack needs an empty 200, quickly.
pub(crate) async fn press(bot: &str, action_id: &str, value: &str, receiver: &ResponseReceiver) {
    let started = Instant::now();
    let body = press_form(&payload(action_id, value, &receiver.url()));
    let response = post_signed(bot, "/slack/interactions", SECRET, now(), body).await;
    assert_eq!(response.status(), 200, "{action_id} {value}");
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "acknowledged after {:?}",
        started.elapsed()
    );
    assert_eq!(response.text().await.unwrap(), "", "nothing inline");
}

/// Waits for the bot's work to end, then takes its `n` delivered posts: no others follow.
pub(crate) async fn deliveries(bot: &TestBot, receiver: &ResponseReceiver, n: usize) -> Vec<Post> {
    bot.settled().await;
    let delivered = receiver.delivered();
    assert_eq!(delivered.len(), n, "{delivered:#?}");
    delivered
}

/// Every button in a message: (action_id, value).
pub(crate) fn buttons(message: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for block in message["blocks"].as_array().into_iter().flatten() {
        let elements = block["elements"].as_array().cloned().unwrap_or_default();
        for element in std::iter::once(&block["accessory"]).chain(&elements) {
            if element["type"] == "button" {
                found.push((
                    element["action_id"].as_str().unwrap().to_string(),
                    element["value"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    found
}

fn share_button(message: &Value) -> Option<String> {
    buttons(message)
        .into_iter()
        .find(|(id, _)| id == "share")
        .map(|(_, value)| value)
}

/// A private answer posted beside the message pressed.
pub(crate) fn assert_private_beside(post: &Post) {
    assert_valid_message(&post.body);
    assert_eq!(response_type(&post.body), "ephemeral", "{}", post.body);
    assert_eq!(post.body["replace_original"], false, "{}", post.body);
}

#[tokio::test]
async fn a_private_answer_carries_a_share_button_and_a_channel_answer_none() {
    let api = spawn_fake_api().await;
    let bot = spawn_bot(config(&api.url())).await;
    let private = ask(&bot, "mentors limit=5").await;
    assert_eq!(response_type(&private), "ephemeral");
    assert_eq!(
        share_button(&private).as_deref(),
        Some("mentors limit=5"),
        "{private}"
    );
    let public = ask(&bot, "members").await;
    assert!(buttons(&public).is_empty(), "{public}");
}

#[tokio::test]
async fn share_posts_the_answer_in_the_channel_then_deletes_the_private_one() {
    let api = spawn_fake_api().await;
    let bot = bot_allowed_to_answer(&api).await;
    let receiver = ResponseReceiver::start().await.unwrap();
    let private = ask(&bot, "mentors").await;
    let value = share_button(&private).expect("a share button");
    let hits = api.hits();

    press(&bot, "share", &value, &receiver).await;
    let posts = deliveries(&bot, &receiver, 2).await;
    let shared = &posts[0].body;
    assert_valid_message(shared);
    assert_eq!(response_type(shared), "in_channel", "{shared}");
    assert_eq!(shared["replace_original"], false, "a new message: {shared}");
    let (shared_blocks, private_blocks) = (
        shared["blocks"].as_array().unwrap(),
        private["blocks"].as_array().unwrap(),
    );
    assert_eq!(
        shared_blocks[..shared_blocks.len() - 1],
        private_blocks[..private_blocks.len() - 1],
        "the same answer, its button replaced by who shared it"
    );
    let text = visible_text(shared);
    assert!(text.contains("Grace Hopper — *40*"), "{text}");
    let generated = chrono::DateTime::parse_from_rfc3339("2026-11-22T23:59:00Z").unwrap();
    let line = format!(
        "Shared by <@{PRESSER}> · numbers from <!date^{}^{{date_short_pretty}} at {{time}}|2026-11-22 23:59 UTC>",
        generated.timestamp()
    );
    assert!(text.contains(&line), "{text}");
    assert!(share_button(shared).is_none(), "nothing left to share");
    assert_eq!(posts[1].body, json!({ "delete_original": true }));
    assert!(api.hits() > hits, "the share ran the stat again");
}

#[tokio::test]
async fn run_from_help_answers_the_presser_privately_with_its_own_share_button() {
    let api = spawn_fake_api().await;
    let bot = bot_allowed_to_answer(&api).await;
    let help = ask(&bot, "help").await;
    let runs: Vec<String> = buttons(&help)
        .into_iter()
        .filter(|(id, _)| id == "run")
        .map(|(_, value)| value)
        .collect();
    for stat in ["members", "mentors", "signups"] {
        assert!(runs.contains(&stat.to_string()), "{stat}: {help}");
    }
    assert!(
        !runs.contains(&"help".to_string()),
        "help has no Run button"
    );

    for (value, expect) in [("members", "1,234"), ("signups", "Signups per month")] {
        let receiver = ResponseReceiver::start().await.unwrap();
        press(&bot, "run", value, &receiver).await;
        let posts = deliveries(&bot, &receiver, 1).await;
        assert_private_beside(&posts[0]);
        let answer = &posts[0].body;
        assert!(visible_text(answer).contains(expect), "{answer}");
        assert_eq!(share_button(answer).as_deref(), Some(value), "{answer}");
    }
    assert_eq!(
        api.last_query.lock().unwrap().as_deref(),
        None,
        "signups ran with its defaults"
    );
}

#[tokio::test]
async fn help_pages_through_sixty_stats_within_slacks_limits() {
    let api = spawn_fake_api().await;
    for i in 0..60 {
        let mut stat: StatInfo = serde_json::from_value(json!({
            "name": format!("stat{i:02}"), "title": format!("Stat {i}"),
            "description": "<!channel> & a long description ".repeat(4), "display": "figures",
            "params": []
        }))
        .unwrap();
        if i == 7 {
            // Needs an argument: no Run button.
            stat.params = serde_json::from_value(
                json!([{ "name": "since", "type": "date", "description": "" }]),
            )
            .unwrap();
        }
        api.declare(&stat);
    }
    let bot = bot_allowed_to_answer(&api).await;
    let first = ask(&bot, "help").await;

    let mut pages = vec![first];
    let mut next = buttons(&pages[0])
        .into_iter()
        .find(|(id, _)| id == "help_next");
    while let Some((_, value)) = next {
        let receiver = ResponseReceiver::start().await.unwrap();
        press(&bot, "help_next", &value, &receiver).await;
        let page = deliveries(&bot, &receiver, 1).await.remove(0).body;
        assert_eq!(page["replace_original"], true, "pages replace each other");
        next = buttons(&page).into_iter().find(|(id, _)| id == "help_next");
        pages.push(page);
        assert!(pages.len() < 10, "no end to the pages");
    }
    // 60 stats, the test API's 3, help and the built-in commands: 20 a page.
    let count = pages.len();
    assert!((4..=5).contains(&count), "{count} pages");

    let mut runs = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        assert_valid_message(page);
        assert_eq!(response_type(page), "ephemeral");
        assert!(page["blocks"].as_array().unwrap().len() <= 50);
        assert!(
            visible_text(page).contains(&format!("Page {} of {count}", i + 1)),
            "{page}"
        );
        let previous = buttons(page)
            .into_iter()
            .find(|(id, _)| id == "help_previous");
        assert_eq!(
            previous.map(|(_, value)| value),
            (i > 0).then(|| i.to_string())
        );
        runs.extend(
            buttons(page)
                .into_iter()
                .filter(|(id, _)| id == "run")
                .map(|(_, value)| value),
        );
    }
    let mut expected: Vec<String> = (0..60)
        .filter(|i| *i != 7)
        .map(|i| format!("stat{i:02}"))
        .collect();
    expected.extend(["members", "mentors", "signups"].map(String::from));
    expected.sort();
    runs.retain(|run| {
        run.starts_with("stat") || ["members", "mentors", "signups"].contains(&run.as_str())
    });
    runs.sort();
    assert_eq!(
        runs, expected,
        "every stat runnable with its defaults, once"
    );
    let all: String = pages.iter().map(visible_text).collect();
    assert!(all.contains("/stats stat07 &lt;since&gt;"), "{all}");
}

#[tokio::test]
async fn forged_stale_future_malformed_and_oversized_presses_are_refused_and_nothing_happens() {
    let api = spawn_fake_api().await;
    let bot = bot_allowed_to_answer(&api).await;
    let receiver = ResponseReceiver::start().await.unwrap();
    let body = press_form(&payload("share", "members", &receiver.url()));
    let cases = [
        ("wrong secret", "not-the-secret", now(), 401),
        ("too old", SECRET, now() - 310, 401),
        ("from the future", SECRET, now() + 310, 401),
    ];
    for (why, secret, timestamp, status) in cases {
        let response =
            post_signed(&bot, "/slack/interactions", secret, timestamp, body.clone()).await;
        assert_eq!(response.status(), status, "{why}");
        assert_eq!(response.text().await.unwrap(), "", "{why}");
    }
    let unsigned = http_client()
        .post(format!("{bot}/slack/interactions"))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401, "unsigned");

    let mut bad_user = payload("share", "members", &receiver.url());
    bad_user["user"]["id"] = json!("U1> <!channel");
    let signed_but_broken = [
        ("not JSON", "payload=%7Bthe+payload".to_string()),
        ("no payload", "text=members".to_string()),
        ("payload twice", format!("{body}&{body}")),
        ("a user id that is not Slack's", press_form(&bad_user)),
    ];
    for (why, body) in signed_but_broken {
        let response = post_signed(&bot, "/slack/interactions", SECRET, now(), body).await;
        assert_eq!(response.status(), 400, "{why}");
    }
    let mut huge = payload("share", "members", &receiver.url());
    huge["state"]["values"] = json!({ "x": "y".repeat(20_000) });
    let response = post_signed(
        &bot,
        "/slack/interactions",
        SECRET,
        now(),
        press_form(&huge),
    )
    .await;
    assert_eq!(response.status(), 413, "oversized");

    bot.settled().await;
    assert!(receiver.posts().is_empty(), "{:?}", receiver.posts());
    assert_eq!(
        api.hits(),
        0,
        "a refused press must not reach the stats API"
    );
}

#[tokio::test]
async fn tampered_values_and_gone_stats_get_a_polite_private_reply() {
    let api = spawn_fake_api().await;
    let bot = bot_allowed_to_answer(&api).await;
    let cases = [
        ("share", "nosuchstat", "I don't know `/stats nosuchstat`"),
        (
            "share",
            "mentors limit=500",
            "`limit` must be between 1 and 50",
        ),
        ("run", "signups months=99", "months=99 is reserved"),
        ("run", "members <!channel>", "That takes no arguments."),
        ("help_next", "two", "That button doesn't work any more"),
        ("help_next", "0", "That button doesn't work any more"),
        (
            "delete_everything",
            "members",
            "That button doesn't work any more",
        ),
    ];
    for (action_id, value, says) in cases {
        let receiver = ResponseReceiver::start().await.unwrap();
        press(&bot, action_id, value, &receiver).await;
        let posts = deliveries(&bot, &receiver, 1).await;
        assert_private_beside(&posts[0]);
        let text = visible_text(&posts[0].body);
        assert!(text.contains(says), "{action_id} {value}: {text}");
        assert!(!text.contains("<!channel>"), "{text}");
    }

    // Gone from the stats API since the button was made: the private answer stays.
    api.results.lock().unwrap().remove("mentors");
    let receiver = ResponseReceiver::start().await.unwrap();
    press(&bot, "share", "mentors", &receiver).await;
    let posts = deliveries(&bot, &receiver, 1).await;
    assert_private_beside(&posts[0]);
    assert!(
        visible_text(&posts[0].body).contains("no longer available"),
        "{}",
        posts[0].body
    );
}

#[tokio::test]
async fn other_interactions_get_200_and_nothing_else() {
    let api = spawn_fake_api().await;
    let bot = bot_allowed_to_answer(&api).await;
    let receiver = ResponseReceiver::start().await.unwrap();
    let shortcut = json!({ "type": "shortcut", "callback_id": "x", "trigger_id": "1.2",
                           "user": { "id": PRESSER }, "team": { "id": "T0001" } });
    let mut no_actions = payload("share", "members", &receiver.url());
    no_actions["actions"] = json!([]);
    for body in [press_form(&shortcut), press_form(&no_actions)] {
        let response = post_signed(&bot, "/slack/interactions", SECRET, now(), body).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "");
    }
    bot.settled().await;
    assert!(receiver.posts().is_empty());
    assert_eq!(api.hits(), 0);
}

#[tokio::test]
async fn presses_work_under_the_stage_prefix_and_other_workspaces_are_refused_politely() {
    let api = spawn_fake_api().await;
    let mut config = config(&api.url());
    config.allow_response_url = Some("http://127.0.0.1:".into());
    config.team_ids = vec!["T0001".into()];
    let bot = spawn_bot(config).await;

    let receiver = ResponseReceiver::start().await.unwrap();
    let body = press_form(&payload("run", "members", &receiver.url()));
    let response = post_signed(&bot, "/Prod/slack/interactions", SECRET, now(), body).await;
    assert_eq!(response.status(), 200);
    let posts = deliveries(&bot, &receiver, 1).await;
    assert!(visible_text(&posts[0].body).contains("1,234"));

    let hits = api.hits();
    let receiver = ResponseReceiver::start().await.unwrap();
    let mut elsewhere = payload("share", "members", &receiver.url());
    elsewhere["team"]["id"] = json!("T9999");
    let response = post_signed(
        &bot,
        "/slack/interactions",
        SECRET,
        now(),
        press_form(&elsewhere),
    )
    .await;
    assert_eq!(response.status(), 200);
    let posts = deliveries(&bot, &receiver, 1).await;
    assert_private_beside(&posts[0]);
    assert!(visible_text(&posts[0].body).contains("only answers in the workspaces"));
    assert_eq!(api.hits(), hits, "nothing run for another workspace");
}

#[tokio::test]
async fn a_response_url_that_is_not_slacks_gets_nothing() {
    let api = spawn_fake_api().await;
    let bot = spawn_bot(config(&api.url())).await;
    let receiver = ResponseReceiver::start().await.unwrap();
    press(&bot, "share", "members", &receiver).await;
    bot.settled().await;
    assert!(receiver.posts().is_empty());
    assert_eq!(api.hits(), 0);
}

#[test]
fn the_fixture_is_what_the_bot_reads() {
    let body = press_form(&serde_json::from_str(FIXTURE).unwrap());
    let bot::slack::interaction::Interaction::BlockActions(actions) =
        bot::slack::interaction::parse(body.as_bytes()).unwrap()
    else {
        panic!("the fixture is block_actions");
    };
    assert_eq!(actions.user.as_str(), PRESSER);
    assert_eq!(actions.team_id, "T0001");
    assert!(actions.is_ephemeral);
    assert_eq!(
        bot::slack::interaction::press(actions.action.as_ref().unwrap()),
        bot::slack::interaction::Press::Share(bot::slack::slash_command::parse_text("mentors"))
    );
}
