use super::*;
use crate::alerts::file::parse;
use crate::alerts::machine::{Failure, MessageRef, Reading, Silence};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn alert(extra: &str) -> Alert {
    let text = format!(
        "[[alerts]]\nname = \"headcount\"\nchannel = \"C0123456789\"\nstat = \"members\"\n\
         schedule = \"*/15 * * * *\"\n{extra}"
    );
    parse(&text).unwrap().remove(0)
}

fn firing(words: &str) -> AlertState {
    AlertState {
        phase: Phase::Firing {
            since: at("2026-03-09T08:00:00Z"),
            reading: Reading {
                value: "38".into(),
                words: words.into(),
            },
            message: Some(MessageRef {
                channel: "C0123456789".into(),
                ts: "1773043200.000100".into(),
            }),
        },
        ..AlertState::default()
    }
}

#[test]
fn a_firing_message_says_what_since_when_and_offers_buttons() {
    let alert = alert("when = \"total >= 38\"\ntitle = \"Headcount\"");
    let m = message(
        &alert,
        &firing("`total` is 38, ≥ 38"),
        at("2026-03-09T08:20:00Z"),
    );
    assert_eq!(m.title, "Headcount");
    assert_eq!(m.text, "Headcount: `total` is 38, ≥ 38");
    assert_eq!(m.condition, "`total` is 38, ≥ 38");
    assert_eq!(
        m.since.as_deref(),
        Some("Since <!date^1773043200^{date_short_pretty} at {time}|2026-03-09 08:00 UTC>")
    );
    assert_eq!(m.state, "Firing");
    assert_eq!(m.silenced, None);
    assert!(m.buttons);
}

#[test]
fn resolved_says_how_long_it_lasted_and_the_value_in_the_thread() {
    let alert = alert("when = \"total >= 38\"");
    let state = AlertState {
        phase: Phase::Resolved {
            since: at("2026-03-09T08:00:00Z"),
            ended: at("2026-03-09T10:05:00Z"),
            reading: Reading {
                value: "12".into(),
                words: "`total` is 12, < 38".into(),
            },
            message: None,
        },
        ..AlertState::default()
    };
    let m = message(&alert, &state, at("2026-03-09T10:05:00Z"));
    assert_eq!(m.title, "headcount", "the name when there is no title");
    assert_eq!(
        m.state,
        "Resolved after 2 h 5 min (<!date^1773050700^{date_short_pretty} at {time}|2026-03-09 10:05 UTC>)"
    );
    assert!(!m.buttons);
    assert_eq!(
        resolution_reply(&state).as_deref(),
        Some("Resolved after 2 h 5 min: `total` is 12, &lt; 38."),
        "the condition's `<` escaped"
    );
    assert_eq!(resolution_reply(&firing("x")), None);
}

#[test]
fn a_silence_names_who_and_until_when_while_it_lasts() {
    let alert = alert("when = \"total >= 38\"");
    let mut state = firing("`total` is 38, ≥ 38");
    state.silence = Some(Silence {
        until: at("2026-03-09T09:00:00Z"),
        by: "U0123456789".into(),
    });
    let line = message(&alert, &state, at("2026-03-09T08:30:00Z")).silenced;
    assert_eq!(
        line.as_deref(),
        Some(
            "Silenced by <@U0123456789> until <!date^1773046800^{date_short_pretty} at {time}|2026-03-09 09:00 UTC>"
        )
    );
    assert_eq!(
        message(&alert, &state, at("2026-03-09T09:00:00Z")).silenced,
        None
    );
    // Read back from a message, the user is data: never a mention unless it is an ID.
    state.silence.as_mut().unwrap().by = "<!channel>".into();
    let line = message(&alert, &state, at("2026-03-09T08:30:00Z"))
        .silenced
        .unwrap();
    assert!(
        line.starts_with("Silenced by &lt;!channel&gt; until"),
        "{line}"
    );
}

#[test]
fn data_is_escaped_for_mrkdwn() {
    let alert = alert("when = \"total >= 38\"\ntitle = \"Q&A <team>\"");
    let mut state = firing("`a<b>` is 1 & more");
    state.failure = Some(Failure {
        since: at("2026-03-09T08:10:00Z"),
        why: "unknown stat `<!here>`".into(),
    });
    let m = message(&alert, &state, at("2026-03-09T08:20:00Z"));
    assert_eq!(m.title, "Q&A <team>", "a header is plain text");
    assert_eq!(m.text, "Q&amp;A &lt;team&gt;: `a&lt;b&gt;` is 1 &amp; more");
    assert!(
        m.state.ends_with(": unknown stat `&lt;!here&gt;`"),
        "{}",
        m.state
    );
    assert!(
        m.state
            .starts_with("Firing. Could not be checked since <!date^1773043800^")
    );
}

#[test]
fn a_milestone_names_the_multiple_passed_and_the_value() {
    let alert = alert("milestone = \"total every 1000\"\ntitle = \"A new milestone\"");
    let m = milestone(&alert, "total", 2000, Num::int(2004));
    assert_eq!(m.text, "A new milestone: `total` passed 2,000 (now 2,004)");
    assert!(!m.buttons);
}

#[test]
fn durations_read_in_their_two_largest_units() {
    assert_eq!(lasted(TimeDelta::seconds(45)), "45 s");
    assert_eq!(lasted(TimeDelta::minutes(1)), "1 min");
    assert_eq!(lasted(TimeDelta::minutes(125)), "2 h 5 min");
    assert_eq!(lasted(TimeDelta::hours(27)), "1 d 3 h");
    assert_eq!(lasted(TimeDelta::days(3)), "3 d");
    assert_eq!(lasted(TimeDelta::seconds(-5)), "0 s");
}

#[test]
fn a_listing_row_has_condition_state_checks_and_silence() {
    let alert = alert("when = \"total < 1000\"");
    let now = at("2026-03-09T08:07:00Z");
    let fresh = listing_row(&alert, &AlertState::default(), now);
    assert_eq!(
        fresh.line(),
        "• *headcount* → <#C0123456789>: `total` &lt; 1,000 in `members` — not checked yet; \
         checked never, next <!date^1773044100^{date_short_pretty} at {time}|2026-03-09 08:15 UTC>"
    );
    let mut state = firing("`total` is 990, < 1,000");
    state.last_check = Some(at("2026-03-09T08:00:00Z"));
    state.silence = Some(Silence {
        until: at("2026-03-09T09:00:00Z"),
        by: "U0123456789".into(),
    });
    let row = listing_row(&alert, &state, now);
    assert_eq!(
        row.state,
        "firing since <!date^1773043200^{date_short_pretty} at {time}|2026-03-09 08:00 UTC>"
    );
    assert_eq!(
        row.last_check,
        "<!date^1773043200^{date_short_pretty} at {time}|2026-03-09 08:00 UTC>"
    );
    assert!(row.line().ends_with(
        "; silenced by <@U0123456789> until <!date^1773046800^{date_short_pretty} at {time}|2026-03-09 09:00 UTC>"
    ));
    state.failure = Some(Failure {
        since: at("2026-03-09T08:05:00Z"),
        why: "the stat has no column `total`".into(),
    });
    let row = listing_row(&alert, &state, now);
    assert!(
        row.state.starts_with("error since <!date^1773043500^"),
        "{}",
        row.state
    );
    assert!(row.state.ends_with(": the stat has no column `total`"));
}

#[test]
fn pending_says_when_it_will_fire() {
    let alert = alert("when = \"total >= 38\"\nfor = \"30m\"");
    let state = AlertState {
        phase: Phase::Pending {
            since: at("2026-03-09T08:00:00Z"),
            reading: Reading {
                value: "38".into(),
                words: "`total` is 38, ≥ 38".into(),
            },
        },
        ..AlertState::default()
    };
    let m = message(&alert, &state, at("2026-03-09T08:10:00Z"));
    assert_eq!(
        m.state,
        "Pending: it fires if it still holds at <!date^1773045000^{date_short_pretty} at {time}|2026-03-09 08:30 UTC>"
    );
    assert!(!m.buttons);
}
