//! Alerts end to end, continued: a 429, the buttons pressed in another process than the one
//! that ticks (as on Lambda), a second environment, and one tick of 100 alerts (the README's
//! figure). The stack and its helpers are `alerts.rs`'s.

use std::time::{Duration, Instant};

use bot::alerts::runner::Report;
use bot::state::AppState;
use devkit::slack_api_stub::Answer;
use statsbot::press;
use statsbot::slash::press_button_in;

use crate::alerts::{CHANNEL, alert_stack, did, headcount, payload, tick};
use crate::helpers::SECRET;
use crate::logs::Logs;

#[tokio::test(flavor = "current_thread")]
async fn a_429_is_honoured_and_the_incident_posted_once() {
    let probe = alert_stack("", vec![]).await;
    let total = probe.active_members().await;
    let stack = alert_stack(&headcount(total - 1), vec![Answer::RateLimited(1)]).await;
    let bot = stack.bot();
    let started = Instant::now();
    let reports = tick(&bot, "2026-03-09T10:00:00Z").await;
    assert_eq!(did(&reports, "headcount"), "post");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited as Retry-After asked"
    );
    let posts = stack.slack.posts();
    assert_eq!(posts.len(), 2, "the 429, then the post");
    assert_eq!(stack.slack.taken().len(), 1);
}

/// Serves the bot's routes (no local timer: the test drives the ticks) on a free port.
pub(crate) async fn serve(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = bot::startup::router(state);
    tokio::spawn(service_kit::server::serve(
        listener,
        router,
        service_kit::server::Limits::default(),
        std::future::pending(),
    ));
    format!("http://{addr}/slack/commands")
}

#[tokio::test(flavor = "current_thread")]
async fn silence_and_check_now_from_the_message_buttons() {
    let probe = alert_stack("", vec![]).await;
    let total = probe.active_members().await;
    let stack = alert_stack(&headcount(total - 1), vec![]).await;
    let bot = stack.bot();
    assert_eq!(
        did(&tick(&bot, "2026-03-09T10:00:00Z").await, "headcount"),
        "post"
    );
    let incident = stack.slack.taken()[0].body.clone();
    let offered = press::buttons(&incident);
    let url = serve(bot.state.clone()).await;

    let silence = press::find(&offered, "alert_silence_1h").unwrap();
    let replies = press_button_in(&url, SECRET, silence, "T0E2E", "U0E2E00001", CHANNEL)
        .await
        .unwrap();
    assert!(
        replies[0]["text"]
            .as_str()
            .unwrap()
            .contains("silenced until"),
        "{replies:#?}"
    );
    let updates = stack.slack.updates();
    assert_eq!(updates.len(), 1, "the message says it is silenced");
    assert_eq!(
        updates[0].body["ts"],
        stack.slack.taken()[0].ts.as_deref().unwrap()
    );
    assert!(
        updates[0]
            .body
            .to_string()
            .contains("Silenced by <@U0E2E00001> until")
    );
    assert_eq!(payload(&updates[0])["silenced_by"], "U0E2E00001");

    // Check now: the value changed, the message is updated at once.
    stack.members_leave(-1).await;
    let check = press::find(&offered, "alert_check").unwrap();
    let replies = press_button_in(&url, SECRET, check, "T0E2E", "U0E2E00001", CHANNEL)
        .await
        .unwrap();
    assert!(
        replies[0]["text"]
            .as_str()
            .unwrap()
            .contains("checked: firing"),
        "{replies:#?}"
    );
    let updates = stack.slack.updates();
    assert_eq!(updates.len(), 2);
    assert_eq!(payload(&updates[1])["value"], (total + 1).to_string());
    assert_eq!(
        payload(&updates[1])["silenced_by"],
        "U0E2E00001",
        "still silenced"
    );

    // A restart keeps the silence: it rides on the message.
    let restarted = stack.bot();
    stack.members_leave(5).await;
    assert_eq!(
        did(&tick(&restarted, "2026-03-09T10:15:00Z").await, "headcount"),
        "resolve"
    );
    assert_eq!(stack.slack.taken().len(), 1, "silenced: no thread reply");
    let resolved = restarted.features.alerts.book().slot("headcount");
    let resolved = resolved.unwrap().state();
    assert_eq!(resolved.silence.unwrap().by, "U0E2E00001");
}

/// The figure in the README: one tick of 100 alerts over 10 invocations when nothing changed.
#[tokio::test(flavor = "current_thread")]
async fn a_tick_of_100_alerts_over_10_invocations_asks_each_once_and_sends_nothing() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let mut file = String::new();
    for i in 0..100 {
        let channel = if i % 2 == 0 { CHANNEL } else { "C0E2E000005" };
        let days = i % 10 + 1;
        file.push_str(&format!(
            "[[alerts]]\nname = \"a{i}\"\nchannel = \"{channel}\"\nstat = \"growth {days}\"\n\
             schedule = \"*/15 * * * *\"\nwhen = \"joined > 1000000000\"\n\n"
        ));
    }
    let stack = alert_stack(&file, vec![]).await;
    let bot = stack.bot();
    // The first tick reads each channel's history once and learns every alert is ok.
    let first = tick(&bot, "2026-03-09T10:00:00Z").await;
    assert_eq!(first.len(), 100);
    assert_eq!(stack.slack.history_calls(), 2, "one read per channel");
    let queried = || logs.text().matches("stat queried").count();
    assert_eq!(queried(), 10, "one stats API call per distinct invocation");

    let started = Instant::now();
    let second = tick(&bot, "2026-03-09T10:15:00Z").await;
    let took = started.elapsed();
    assert!(second.iter().all(|(_, r)| matches!(
        r,
        Report::Checked {
            did: "nothing",
            slack_calls: 0,
            ..
        }
    )));
    let stats_calls = queried() - 10;
    let slack_calls =
        stack.slack.posts().len() + stack.slack.updates().len() + stack.slack.history_calls() - 2;
    assert_eq!(stats_calls, 10);
    assert_eq!(slack_calls, 0);
    println!(
        "one tick, 100 alerts over 10 invocations, nothing changed: {stats_calls} stats API \
         calls, {slack_calls} Slack calls, {} ms",
        took.as_millis()
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_second_environment_takes_over_the_incident_instead_of_posting_it_again() {
    let probe = alert_stack("", vec![]).await;
    let total = probe.active_members().await;
    let stack = alert_stack(&headcount(total), vec![]).await;
    let (one, two) = (stack.bot(), stack.bot());
    assert_eq!(
        did(&tick(&one, "2026-03-09T10:00:00Z").await, "headcount"),
        "nothing"
    );
    assert_eq!(
        did(&tick(&two, "2026-03-09T10:00:00Z").await, "headcount"),
        "nothing"
    );
    stack.members_leave(-1).await;
    assert_eq!(
        did(&tick(&one, "2026-03-09T10:15:00Z").await, "headcount"),
        "post"
    );
    // The other environment read the channel before that post; it looks again before posting.
    assert_eq!(
        did(&tick(&two, "2026-03-09T10:15:00Z").await, "headcount"),
        "update"
    );
    assert_eq!(stack.slack.taken().len(), 1, "one message for the incident");
    assert_eq!(
        stack.slack.updates()[0].body["ts"],
        stack.slack.taken()[0].ts.as_deref().unwrap()
    );
}

#[tokio::test(flavor = "current_thread")]
async fn not_in_channel_is_explained_once_and_the_incident_posted_when_it_can_be() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let probe = alert_stack("", vec![]).await;
    let total = probe.active_members().await;
    let refused = Answer::SlackError("not_in_channel".into());
    let stack = alert_stack(&headcount(total - 1), vec![refused.clone(), refused]).await;
    let bot = stack.bot();
    for at in ["2026-03-09T10:00:00Z", "2026-03-09T10:15:00Z"] {
        let reports = tick(&bot, at).await;
        assert!(
            matches!(&reports[0].1, Report::NotSent { did: "post", .. }),
            "{reports:?}"
        );
    }
    let log = logs.text();
    assert_eq!(log.matches("alert's message not sent:").count(), 1, "{log}");
    assert!(log.contains("invite it there (/invite @statsbot)"), "{log}");
    // The client explains Slack's refusal once too; the second tick's is a debug line.
    let warned: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("Slack did not take it:"))
        .collect();
    assert_eq!(warned.len(), 1, "{log}");
    assert!(
        warned[0].contains("WARN") && warned[0].contains("not_in_channel"),
        "{log}"
    );
    assert_eq!(
        log.matches("Slack did not take it again").count(),
        1,
        "{log}"
    );
    // Invited: the next check posts the incident, once.
    assert_eq!(
        did(&tick(&bot, "2026-03-09T10:30:00Z").await, "headcount"),
        "post"
    );
    assert_eq!(stack.slack.taken().len(), 1);
}
