//! The bot over real HTTP on a free port, talking to a stand-in stats API.

use std::time::{Duration, Instant};

use crate::helpers::*;
use serde_json::json;
use stats_contract::{ColumnType, Display};

async fn bot_and_api() -> (TestBot, FakeApi) {
    let api = spawn_fake_api().await;
    let bot = spawn_bot(config(&api.url())).await;
    (bot, api)
}

#[tokio::test]
async fn members_reads_like_the_design() {
    let (bot, _api) = bot_and_api().await;
    let reply = ask(&bot, "members").await;
    assert_eq!(response_type(&reply), "in_channel");
    let section = reply["blocks"][0]["text"]["text"].as_str().unwrap();
    assert_eq!(
        section,
        "There are currently *1,234* members. *321* of them were invited by a mentor.\n\
         The newest member is *Ada Lovelace*, who joined on \
         <!date^1551693600^{date}|March 4th, 2019>."
    );
    assert_eq!(
        reply["text"],
        "There are currently 1,234 members. 321 of them were invited by a mentor. \
         The newest member is Ada Lovelace, who joined on March 4th, 2019."
    );
}

#[tokio::test]
async fn subcommands_are_case_insensitive() {
    let (bot, _api) = bot_and_api().await;
    let reply = ask(&bot, "  MEMBERS ").await;
    assert!(visible_text(&reply).contains("1,234"));
}

#[tokio::test]
async fn hostile_member_names_cannot_ping_or_inject() {
    let (bot, api) = bot_and_api().await;
    api.set_result(
        "members",
        &members_result("<!channel> & <@U0BOSS|boss> >_<"),
    );
    let reply = ask(&bot, "members").await;
    let text = visible_text(&reply);
    assert!(
        text.contains("&lt;!channel&gt; &amp; &lt;@U0BOSS|boss&gt; &gt;_&lt;"),
        "{text}"
    );
    // The only control sequence left is the bot's own date.
    let controls: Vec<&str> = text
        .match_indices('<')
        .map(|(i, _)| &text[i..i + 7])
        .collect();
    assert_eq!(controls, ["<!date^"], "{text}");
}

#[tokio::test]
async fn a_series_stat_takes_arguments_and_draws_bars() {
    let (bot, api) = bot_and_api().await;
    let reply = ask(&bot, "signups months=3").await;
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=3"));
    let chart = reply["blocks"][1]["text"]["text"].as_str().unwrap();
    assert!(chart.starts_with("```\n2026-01 "), "{chart}");
    assert!(chart.contains('█'), "{chart}");
    assert_eq!(reply["blocks"][0]["text"]["text"], "Signups per month");

    ask(&bot, "signups 6").await;
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=6"));
}

#[tokio::test]
async fn a_stat_declared_ephemeral_answers_privately() {
    let (bot, _api) = bot_and_api().await;
    let reply = ask(&bot, "mentors").await;
    assert_eq!(response_type(&reply), "ephemeral");
    let list = reply["blocks"][1]["text"]["text"].as_str().unwrap();
    assert_eq!(list, "1. Grace Hopper — *40*\n2. Alan Turing — *12*");
}

#[tokio::test]
async fn help_lists_every_command_privately() {
    let (bot, _api) = bot_and_api().await;
    for text in ["", "help", "HELP me"] {
        let reply = ask(&bot, text).await;
        assert_eq!(response_type(&reply), "ephemeral");
        let shown = visible_text(&reply);
        for usage in [
            "/stats help",
            "/stats members",
            "/stats mentors [limit=10]",
            "/stats signups [months=12]",
        ] {
            assert!(shown.contains(usage), "{usage} missing from {shown}");
        }
        assert!(shown.contains("New members per month over the last N months."));
    }
}

#[tokio::test]
async fn unknown_subcommands_get_a_suggestion() {
    let (bot, _api) = bot_and_api().await;
    let reply = ask(&bot, "memebrs").await;
    assert_eq!(response_type(&reply), "ephemeral");
    assert_eq!(
        reply["text"],
        "I don't know `/stats memebrs`. Did you mean `/stats members`? `/stats help` lists everything I can tell you."
    );
    let reply = ask(&bot, "weather").await;
    let text = reply["text"].as_str().unwrap();
    assert!(!text.contains("Did you mean"), "{text}");
    assert!(text.contains("`/stats help`"), "{text}");
}

#[tokio::test]
async fn bad_arguments_are_explained_from_the_declared_type() {
    let (bot, api) = bot_and_api().await;
    let hits = api.hits();
    let reply = ask(&bot, "signups months=lots").await;
    assert_eq!(response_type(&reply), "ephemeral");
    assert_eq!(
        reply["text"],
        "`months` must be a whole number, not `lots`.\nUsage: `/stats signups [months=12]`"
    );
    let reply = ask(&bot, "signups 500").await;
    assert_eq!(
        reply["text"],
        "`months` must be between 1 and 120, and `500` is not.\nUsage: `/stats signups [months=12]`"
    );
    let reply = ask(&bot, "signups colour=red").await;
    assert!(
        reply["text"]
            .as_str()
            .unwrap()
            .starts_with("There is no `colour` here. You can give: `months`.")
    );
    let reply = ask(&bot, "members now").await;
    assert!(
        reply["text"]
            .as_str()
            .unwrap()
            .starts_with("That takes no arguments.")
    );
    // Only the catalogue was fetched: no stat was asked for with bad arguments.
    assert_eq!(api.hits(), hits + 1);

    // A refusal only the API knows about is passed on with the usage.
    let reply = ask(&bot, "signups 99").await;
    assert_eq!(
        reply["text"],
        "The stats service did not accept that: months=99 is reserved\nUsage: `/stats signups [months=12]`"
    );
}

#[tokio::test]
async fn a_newly_declared_stat_becomes_a_command_without_restarting() {
    let api = spawn_fake_api().await;
    let mut config = config(&api.url());
    config.catalogue_ttl = Duration::ZERO;
    let bot = spawn_bot(config).await;

    let reply = ask(&bot, "languages").await;
    assert_eq!(
        reply["text"],
        "I couldn't match “languages” to a stat. `/stats help` lists what I can answer."
    );

    api.declare(&json!({
        "name": "languages", "title": "Languages spoken", "description": "Members per language.",
        "display": "ranked", "params": []
    }));
    api.set_result(
        "languages",
        &result(
            "languages",
            "Languages spoken",
            Display::Ranked,
            vec![
                column("language", ColumnType::String),
                column("members", ColumnType::Integer),
            ],
            vec![
                json!({ "language": "English", "members": 1000 }),
                json!({ "language": "Français", "members": 234 }),
            ],
        ),
    );
    let reply = ask(&bot, "languages").await;
    assert_eq!(response_type(&reply), "in_channel");
    assert!(visible_text(&reply).contains("2. Français — *234*"));
}

#[tokio::test]
async fn forged_requests_get_401_and_nothing_else_happens() {
    let (bot, api) = bot_and_api().await;
    let body = form("T0001", "members");
    // Well past the window: the exact edges are `signature`'s unit tests, and a second
    // may pass between signing and checking on a busy machine.
    let cases = [
        ("wrong secret", "not-the-secret", now()),
        ("too old", SECRET, now() - 310),
        ("from the future", SECRET, now() + 310),
    ];
    for (why, secret, timestamp) in cases {
        let response = post_signed(&bot, "/slack/commands", secret, timestamp, body.clone()).await;
        assert_eq!(response.status(), 401, "{why}");
        assert_eq!(response.text().await.unwrap(), "", "{why}");
    }
    let unsigned = http_client()
        .post(format!("{bot}/slack/commands"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    assert_eq!(
        api.hits(),
        0,
        "a forged request must not reach the stats API"
    );
}

#[tokio::test]
async fn ssl_check_gets_200_and_nothing_else() {
    let (bot, api) = bot_and_api().await;
    let response = http_client()
        .post(format!("{bot}/slack/commands"))
        .body("ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "");
    assert_eq!(api.hits(), 0);
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let (bot, api) = bot_and_api().await;
    let body = form("T0001", &"x".repeat(20_000));
    let response = post_signed(&bot, "/slack/commands", SECRET, now(), body).await;
    assert_eq!(response.status(), 413);
    assert_eq!(api.hits(), 0);
}

#[tokio::test]
async fn other_workspaces_get_a_polite_refusal() {
    let api = spawn_fake_api().await;
    let mut config = config(&api.url());
    config.team_ids = vec!["T0001".into()];
    let bot = spawn_bot(config).await;

    let response = post_signed(
        &bot,
        "/slack/commands",
        SECRET,
        now(),
        form("T9999", "members"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let reply = json_body(response).await;
    assert_eq!(response_type(&reply), "ephemeral");
    assert!(reply["text"].as_str().unwrap().starts_with("Sorry"));
    assert_eq!(api.hits(), 0);

    assert!(visible_text(&ask(&bot, "members").await).contains("1,234"));
}

#[tokio::test]
async fn the_stats_api_being_down_gets_a_short_private_explanation() {
    let bot = spawn_bot(config(&closed_port_url().await)).await;
    let started = Instant::now();
    let reply = ask(&bot, "members").await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(response_type(&reply), "ephemeral");
    assert_eq!(
        reply["text"],
        "I couldn't reach the stats service just now. Please try again in a minute."
    );
    // Without the catalogue a stat's name is not called a typo.
    let reply = ask(&bot, "signups").await;
    assert!(
        reply["text"]
            .as_str()
            .unwrap()
            .starts_with("I couldn't reach")
    );
}

#[tokio::test]
async fn a_slow_stats_api_is_cut_off_at_the_deadline_when_there_is_no_response_url() {
    let api = spawn_fake_api().await;
    api.set_mode(Mode::Slow(Duration::from_secs(5)));
    let mut config = config(&api.url());
    config.deadline = Duration::from_millis(300);
    let bot = spawn_bot(config).await;

    for response_url in [
        "",
        "not a url",
        "https://hooks.slack.com.evil.example/commands/1",
    ] {
        let started = Instant::now();
        let response = post_signed(
            &bot,
            "/slack/commands",
            SECRET,
            now(),
            form_answering_to("T0001", "members", response_url),
        )
        .await;
        assert_eq!(response.status(), 200);
        let reply = json_body(response).await;
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "{:?}",
            started.elapsed()
        );
        assert_valid_message(&reply);
        assert_eq!(response_type(&reply), "ephemeral");
        assert!(
            reply["text"].as_str().unwrap().contains("took too long"),
            "{response_url:?}: {reply}"
        );
    }
}

#[tokio::test]
async fn a_refused_token_or_nonsense_is_explained_without_detail() {
    let (bot, api) = bot_and_api().await;
    api.set_mode(Mode::Unauthorized);
    let reply = ask(&bot, "members").await;
    let text = visible_text(&reply);
    assert!(text.contains("turned me away"), "{text}");
    assert!(!text.contains(TOKEN));

    api.set_mode(Mode::Nonsense);
    let reply = ask(&bot, "members").await;
    assert!(visible_text(&reply).contains("couldn't read"));
    assert!(!visible_text(&reply).contains("surprise"));
}

#[tokio::test]
async fn healthz_answers_and_the_stage_prefix_works() {
    let (bot, _api) = bot_and_api().await;
    let client = http_client();
    for path in ["/healthz", "/Prod/healthz"] {
        let response = client.get(format!("{bot}{path}")).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    let response = post_signed(
        &bot,
        "/Prod/slack/commands",
        SECRET,
        now(),
        form("T0001", "members"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let reply = json_body(response).await;
    assert!(visible_text(&reply).contains("1,234"));
}

#[tokio::test]
async fn a_signed_command_with_a_repeated_field_gets_a_polite_reply_and_runs_nothing() {
    let (bot, api) = bot_and_api().await;
    for repeated in [
        "text=help",
        "user_id=U0OTHER",
        "response_url=https%3A%2F%2Fevil.example%2F",
    ] {
        let body = format!("{}&{repeated}", form("T0001", "members"));
        let response = post_signed(&bot, "/slack/commands", SECRET, now(), body).await;
        assert_eq!(response.status(), 200, "{repeated}: Slack needs a 200");
        let reply = json_body(response).await;
        assert_valid_message(&reply);
        assert_eq!(response_type(&reply), "ephemeral", "{repeated}");
        let field = repeated.split('=').next().unwrap();
        assert!(
            visible_text(&reply).contains(&format!("`{field}` twice")),
            "{repeated}: {reply}"
        );
    }
    assert_eq!(api.hits(), 0, "nothing is run for an ambiguous command");
}

#[tokio::test]
async fn a_stat_that_has_gone_is_dropped_from_help_at_once() {
    let (bot, api) = bot_and_api().await;
    assert!(visible_text(&ask(&bot, "help").await).contains("mentors"));

    // Removed from the stats API while the bot still trusts its list (60 s by default).
    api.catalogue
        .lock()
        .unwrap()
        .retain(|stat| stat["name"] != "mentors");
    api.results.lock().unwrap().remove("mentors");
    let reply = ask(&bot, "mentors").await;
    assert!(
        visible_text(&reply).contains("no longer available"),
        "{reply}"
    );
    let hits_after_gone = api.hits();

    let help = visible_text(&ask(&bot, "help").await);
    assert!(!help.contains("mentors"), "{help}");
    assert_eq!(
        api.hits(),
        hits_after_gone,
        "the list was refreshed when the stat was found gone, not by the next command"
    );
}

/// Dates are read by the stats API's own check: `2024-1-5` goes to the API as `2024-01-05`;
/// `24-1-5` is refused before any stat is asked for, saying `YYYY-MM-DD` in the API's words.
#[tokio::test]
async fn dates_are_read_as_the_stats_api_reads_them() {
    let (bot, api) = bot_and_api().await;
    let joined: stats_contract::StatInfo = serde_json::from_value(json!({
        "name": "joined", "title": "Joined since", "display": "figures",
        "params": [{ "name": "since", "type": "date", "default": "2000-01-01",
                     "min": "1000-01-01", "max": "9999-12-31" }]
    }))
    .unwrap();
    api.declare(&joined);
    api.set_result(
        "joined",
        &result(
            "joined",
            "Joined since",
            Display::Figures,
            vec![column("joined", ColumnType::Integer)],
            vec![json!({ "joined": 7 })],
        ),
    );

    let reply = ask(&bot, "joined 2024-1-5").await;
    assert!(visible_text(&reply).contains('7'), "{reply}");
    assert_eq!(
        api.last_query.lock().unwrap().as_deref(),
        Some("since=2024-01-05")
    );

    let hits = api.hits();
    let reply = ask(&bot, "joined since=24-1-5").await;
    assert_eq!(response_type(&reply), "ephemeral");
    let text = reply["text"].as_str().unwrap();
    assert!(
        text.starts_with(&format!(
            "`since` must be {}, not `24-1-5`.",
            stats_contract::params::DATE_WRITTEN
        )),
        "{text}"
    );
    assert_eq!(api.hits(), hits, "nothing was asked of the stats API");
}
