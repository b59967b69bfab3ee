//! Questions in words: `/stats <words>` that name no command, asked of the stand-in stats API's
//! `/v1/ask` (answers set per test), answered from its reading; the buttons that come with it
//! pressed as Slack would press them.

use std::time::{Duration, Instant};

use crate::fake_ask::reading;
use crate::helpers::*;
use crate::interactions::{
    assert_private_beside, bot_allowed_to_answer, buttons, deliveries, press,
};
use devkit::response_receiver::ResponseReceiver;
use serde_json::Value;

const PEOPLE: &str = "how many people do we have";

fn button(message: &Value, action_id: &str) -> Option<String> {
    buttons(message)
        .into_iter()
        .find(|(id, _)| id == action_id)
        .map(|(_, value)| value)
}

/// `members` clearly; `signups 6` a distant second.
fn answer_people(api: &FakeApi) {
    api.answer(
        PEOPLE,
        true,
        vec![
            reading("members", "/stats members", &[], 0.92),
            reading("signups", "signups 6", &[("months", "6")], 0.41),
        ],
    );
}

#[tokio::test]
async fn a_confident_reading_is_answered_at_once_saying_how_it_was_read() {
    let api = spawn_fake_api().await;
    let bot = spawn_bot(config(&api.url())).await;
    answer_people(&api);

    let reply = ask(&bot, "How many people do we have").await;
    assert_eq!(api.questions(), [PEOPLE], "the whole text, asked once");
    assert_eq!(response_type(&reply), "in_channel", "as `members` answers");
    let text = visible_text(&reply);
    assert!(
        text.contains("There are currently *1,234* members."),
        "{text}"
    );
    assert!(text.contains("Read as `/stats members`"), "{text}");
    assert_eq!(
        button(&reply, "other_readings").as_deref(),
        Some("signups 6")
    );
    assert_eq!(button(&reply, "share"), None, "already in the channel");
}

#[tokio::test]
async fn a_confident_reading_runs_with_its_parameters_and_keeps_the_share_button() {
    let api = spawn_fake_api().await;
    let bot = spawn_bot(config(&api.url())).await;
    let question = "who invited the most members";
    api.answer(
        question,
        true,
        vec![reading(
            "mentors",
            "/stats mentors 5",
            &[("limit", "5")],
            0.88,
        )],
    );

    let reply = ask(&bot, question).await;
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("limit=5"));
    assert_eq!(response_type(&reply), "ephemeral", "mentors is private");
    let text = visible_text(&reply);
    assert!(text.contains("Grace Hopper — *40*"), "{text}");
    assert!(text.contains("Read as `/stats mentors 5`"), "{text}");
    assert_eq!(button(&reply, "share").as_deref(), Some("mentors 5"));
    assert_eq!(button(&reply, "other_readings"), None, "no other reading");
}

#[tokio::test]
async fn an_unsure_reading_offers_buttons_that_run_what_they_say() {
    let api = spawn_fake_api().await;
    let bot = bot_allowed_to_answer(&api).await;
    api.answer(
        "new people",
        false,
        vec![
            reading("signups", "signups 1", &[("months", "1")], 0.52),
            reading("members", "members", &[], 0.47),
        ],
    );

    let reply = ask(&bot, "new people").await;
    assert_eq!(response_type(&reply), "ephemeral");
    let text = visible_text(&reply);
    assert!(text.contains("Did you mean"), "{text}");
    assert!(
        text.contains("`/stats signups 1`\nNew members per month over the last N months."),
        "each with what it is: {text}"
    );
    assert_eq!(
        buttons(&reply),
        [
            ("run".to_string(), "signups 1".to_string()),
            ("run".to_string(), "members".to_string())
        ]
    );
    assert_eq!(
        api.last_query.lock().unwrap().as_deref(),
        None,
        "nothing run"
    );

    let receiver = ResponseReceiver::start().await.unwrap();
    press(&bot, "run", "signups 1", &receiver).await;
    let posts = deliveries(&bot, &receiver, 1).await;
    assert_private_beside(&posts[0]);
    assert!(visible_text(&posts[0].body).contains("Signups per month"));
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=1"));
    assert_eq!(
        button(&posts[0].body, "share").as_deref(),
        Some("signups 1")
    );
}

#[tokio::test]
async fn other_readings_are_offered_privately_and_run_when_pressed() {
    let api = spawn_fake_api().await;
    let bot = bot_allowed_to_answer(&api).await;
    answer_people(&api);
    let reply = ask(&bot, PEOPLE).await;
    let value = button(&reply, "other_readings").expect("an Other readings button");

    let receiver = ResponseReceiver::start().await.unwrap();
    press(&bot, "other_readings", &value, &receiver).await;
    let offered = &deliveries(&bot, &receiver, 1).await[0];
    assert_private_beside(offered);
    let text = visible_text(&offered.body);
    assert!(text.contains("Did you mean"), "{text}");
    assert!(
        !text.contains("not sure how to read"),
        "no question to echo: {text}"
    );
    assert_eq!(
        buttons(&offered.body),
        [("run".to_string(), "signups 6".to_string())]
    );
    assert_eq!(api.questions(), [PEOPLE], "not asked again");

    let receiver = ResponseReceiver::start().await.unwrap();
    press(&bot, "run", "signups 6", &receiver).await;
    let answered = &deliveries(&bot, &receiver, 1).await[0];
    assert!(visible_text(&answered.body).contains("Signups per month"));
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=6"));
}

#[tokio::test]
async fn words_that_fit_no_stat_get_a_hint_and_never_ping_anyone() {
    let api = spawn_fake_api().await;
    let bot = spawn_bot(config(&api.url())).await;
    // Slack writes a typed @channel as `<!channel>`.
    let reply = ask(&bot, "what's the weather <!channel>").await;
    assert_eq!(api.questions(), ["what's the weather <!channel>"]);
    assert_eq!(response_type(&reply), "ephemeral");
    assert_eq!(
        reply["text"],
        "I couldn't match “what's the weather &lt;!channel&gt;” to a stat. `/stats help` lists what I can answer."
    );

    api.answer(
        "people <!here> & co",
        false,
        vec![reading("members", "members", &[], 0.3)],
    );
    let reply = ask(&bot, "people <!here> &amp; co").await;
    let text = visible_text(&reply);
    assert!(text.contains("“people &lt;!here&gt; &amp; co”"), "{text}");
    assert!(!text.contains('<'), "{text}");
}

#[tokio::test]
async fn a_one_word_typo_keeps_its_suggestion_and_asks_nothing() {
    let api = spawn_fake_api().await;
    let bot = spawn_bot(config(&api.url())).await;
    let reply = ask(&bot, "memebrs").await;
    assert_eq!(
        reply["text"],
        "I don't know `/stats memebrs`. Did you mean `/stats members`? `/stats help` lists everything I can tell you."
    );
    let reply = ask(&bot, "signups 500").await;
    assert!(
        reply["text"]
            .as_str()
            .unwrap()
            .starts_with("`months` must be between")
    );
    assert!(api.questions().is_empty(), "{:?}", api.questions());
}

#[tokio::test]
async fn a_stat_followed_by_words_is_answered_when_they_read_clearly() {
    let api = spawn_fake_api().await;
    let bot = spawn_bot(config(&api.url())).await;
    let question = "signups over the last 6 months";
    api.answer(
        question,
        true,
        vec![reading(
            "signups",
            "/stats signups 6",
            &[("months", "6")],
            0.9,
        )],
    );
    let reply = ask(&bot, question).await;
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=6"));
    let text = visible_text(&reply);
    assert!(text.contains("Read as `/stats signups 6`"), "{text}");

    // Unsure: the arguments' own explanation, not a guess.
    let unsure = "signups of the mentors lately";
    api.answer(unsure, false, vec![reading("mentors", "mentors", &[], 0.4)]);
    let reply = ask(&bot, unsure).await;
    assert_eq!(
        reply["text"],
        "That takes at most one argument.\nUsage: `/stats signups [months=12]`"
    );
    assert_eq!(api.questions(), [question, unsure]);
}

#[tokio::test]
async fn when_the_stats_api_cannot_answer_the_user_is_told_why() {
    let api = spawn_fake_api().await;
    let mut config = config(&api.url());
    config.stats_api_timeout = Duration::from_millis(300);
    let bot = spawn_bot(config).await;
    ask(&bot, "members").await;

    // Every reply is a 200 with a private message (`ask` checks the 200).
    api.set_mode(Mode::Slow(Duration::from_secs(2)));
    let reply = ask(&bot, PEOPLE).await;
    assert_eq!(response_type(&reply), "ephemeral");
    assert_eq!(
        reply["text"],
        "The stats service took too long to answer. Please try again in a moment."
    );
    api.set_mode(Mode::Unauthorized);
    let reply = ask(&bot, PEOPLE).await;
    assert!(reply["text"].as_str().unwrap().contains("turned me away"));
    // A stat's name with words: its arguments' explanation, whatever happened to the question.
    let reply = ask(&bot, "signups over the last 6 months").await;
    assert_eq!(
        reply["text"],
        "That takes at most one argument.\nUsage: `/stats signups [months=12]`"
    );
    api.set_mode(Mode::Normal);

    let long = format!("how many {}", "very ".repeat(60));
    let reply = ask(&bot, &long).await;
    assert_eq!(response_type(&reply), "ephemeral");
    assert!(
        reply["text"]
            .as_str()
            .unwrap()
            .starts_with("I can only read a question of a few words"),
        "{reply}"
    );

    // A stats API from before questions: today's reply.
    api.without_ask();
    let reply = ask(&bot, "weather today").await;
    assert_eq!(
        reply["text"],
        "I don't know `/stats weather`. `/stats help` lists everything I can tell you."
    );
}

#[tokio::test]
async fn the_question_and_the_stat_share_one_deadline() {
    let api = spawn_fake_api().await;
    let mut config = config(&api.url());
    config.deadline = Duration::from_millis(400);
    config.allow_response_url = Some("http://127.0.0.1:".into());
    let bot = spawn_bot(config).await;
    ask(&bot, "members").await;
    answer_people(&api);
    // Each call alone is within the deadline; both are not.
    api.set_mode(Mode::Slow(Duration::from_millis(250)));

    let receiver = ResponseReceiver::start().await.unwrap();
    let started = Instant::now();
    let response = post_signed(
        &bot,
        "/slack/commands",
        SECRET,
        now(),
        form_answering_to("T0001", PEOPLE, &receiver.url()),
    )
    .await;
    let reply = json_body(response).await;
    assert!(started.elapsed() < Duration::from_millis(1000));
    assert_eq!(
        reply["text"],
        "Working on it: `/stats how many people do we have` is taking a moment. The answer will appear here as soon as it is ready."
    );
    let post = receiver
        .first_delivery(Duration::from_secs(10))
        .await
        .expect("the answer reaches response_url");
    assert_valid_message(&post.body);
    let text = visible_text(&post.body);
    assert!(text.contains("1,234"), "{text}");
    assert!(text.contains("Read as `/stats members`"), "{text}");
}
