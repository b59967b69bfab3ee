use super::*;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-09T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + TimeDelta::minutes(minute)
}

fn seen(holds: bool, value: i64) -> Observation {
    Observation::Condition {
        holds,
        reading: Reading {
            value: value.to_string(),
            words: format!("`total` is {value}, …"),
        },
    }
}

fn msg() -> MessageRef {
    MessageRef {
        channel: "C0123456789".into(),
        ts: "1773043200.000100".into(),
    }
}

const NO_HOLD: Duration = Duration::ZERO;

/// Runs checks one after another, each a minute apart, returning each action.
fn run(mut state: AlertState, checks: &[Observation], hold: Duration) -> (AlertState, Vec<Action>) {
    let mut actions = Vec::new();
    for (minute, check) in checks.iter().enumerate() {
        let (next, action) = step(&state, check.clone(), at(minute as i64), hold);
        state = if action == Action::Post {
            next.posted(msg())
        } else {
            next
        };
        actions.push(action);
    }
    (state, actions)
}

#[test]
fn nothing_is_posted_while_ok_and_one_message_per_incident() {
    let (state, actions) = run(
        AlertState::default(),
        &[
            seen(false, 5),
            seen(false, 5),
            seen(true, 38),
            seen(true, 38),
            seen(true, 39),
            seen(false, 30),
            seen(false, 30),
            seen(true, 40),
        ],
        NO_HOLD,
    );
    use Action::*;
    assert_eq!(
        actions,
        [
            Nothing,
            Nothing,
            Post,
            Nothing,
            Update,
            Resolve { reply: true },
            Nothing,
            Post
        ]
    );
    assert_eq!(state.status(), Status::Firing);
    assert_eq!(state.since(), Some(at(7)), "firing again is a new incident");
}

#[test]
fn resolved_says_how_long_and_the_value_and_keeps_the_message() {
    let (state, _) = run(
        AlertState::default(),
        &[seen(true, 38), seen(true, 38), seen(false, 12)],
        NO_HOLD,
    );
    assert_eq!(
        state.phase,
        Phase::Resolved {
            since: at(0),
            ended: at(2),
            reading: Reading {
                value: "12".into(),
                words: "`total` is 12, …".into()
            },
            message: Some(msg()),
        }
    );
    assert_eq!(state.since(), Some(at(2)));
    assert_eq!(state.message(), Some(&msg()));
}

#[test]
fn for_makes_it_wait_until_the_condition_has_held_that_long() {
    let ten = Duration::from_secs(600);
    let mut checks = vec![seen(true, 1); 10];
    checks.push(seen(true, 1));
    let (state, actions) = run(AlertState::default(), &checks, ten);
    assert!(
        actions[..10].iter().all(|a| *a == Action::Nothing),
        "{actions:?}"
    );
    assert_eq!(actions[10], Action::Post, "at exactly ten minutes");
    assert_eq!(state.since(), Some(at(0)), "since it began to hold");

    // A pause in between starts the wait again.
    let (state, actions) = run(
        AlertState::default(),
        &[seen(true, 1), seen(false, 0), seen(true, 1), seen(true, 1)],
        Duration::from_secs(120),
    );
    assert_eq!(state.status(), Status::Pending);
    assert_eq!(state.since(), Some(at(2)));
    assert!(actions.iter().all(|a| *a == Action::Nothing));
}

#[test]
fn an_error_is_logged_once_per_reason_and_firing_carries_on() {
    let gone = || Observation::Failed {
        why: "the stat has no column `total`".into(),
    };
    let (state, actions) = run(
        AlertState::default(),
        &[
            seen(true, 38),
            gone(),
            gone(),
            Observation::Failed {
                why: "unknown stat `growth`".into(),
            },
            seen(true, 38),
        ],
        NO_HOLD,
    );
    assert_eq!(
        actions,
        [
            Action::Post,
            Action::LogError {
                why: "the stat has no column `total`".into()
            },
            Action::Nothing,
            Action::LogError {
                why: "unknown stat `growth`".into()
            },
            Action::Nothing,
        ],
        "back with the same value: the same message, no call"
    );
    assert_eq!(state.status(), Status::Firing);
    assert_eq!(state.message(), Some(&msg()));

    let (failing, _) = step(&AlertState::default(), gone(), at(0), NO_HOLD);
    let (still, _) = step(&failing, gone(), at(5), NO_HOLD);
    assert_eq!(still.status(), Status::Error);
    assert_eq!(still.since(), Some(at(0)));
}

#[test]
fn silenced_nothing_new_appears_but_the_message_follows_the_value() {
    let (firing, _) = run(AlertState::default(), &[seen(true, 38)], NO_HOLD);
    let (silenced, action) = silence(&firing, "U0123456789", at(60));
    assert_eq!(action, Action::Update, "the message says who silenced it");
    let (changed, action) = step(&silenced, seen(true, 39), at(1), NO_HOLD);
    assert_eq!(action, Action::Update, "updated in place");
    let (resolved, action) = step(&changed, seen(false, 2), at(2), NO_HOLD);
    assert_eq!(action, Action::Resolve { reply: false }, "no thread reply");
    let (again, action) = step(&resolved, seen(true, 50), at(3), NO_HOLD);
    assert_eq!(action, Action::Nothing, "no new incident message");
    assert_eq!(again.status(), Status::Firing);
    assert_eq!(again.message(), None);
    let (still, action) = step(&again, seen(true, 51), at(59), NO_HOLD);
    assert_eq!(action, Action::Nothing);
    // The silence ends: the incident that is still going is posted now.
    let (after, action) = step(&still, seen(true, 51), at(60), NO_HOLD);
    assert_eq!(action, Action::Post);
    assert_eq!(after.silence, None);
    assert_eq!(after.since(), Some(at(3)));
}

#[test]
fn an_incident_within_a_silence_is_never_posted_and_expiry_clears_the_line() {
    let (quiet, _) = silence(&AlertState::default(), "U0123456789", at(30));
    let (state, actions) = run(
        quiet,
        &[seen(true, 1), seen(false, 0), seen(false, 0)],
        NO_HOLD,
    );
    assert!(actions.iter().all(|a| *a == Action::Nothing), "{actions:?}");
    assert_eq!(state.status(), Status::Resolved);
    assert_eq!(state.message(), None);

    let (firing, _) = run(AlertState::default(), &[seen(true, 38)], NO_HOLD);
    let (silenced, _) = silence(&firing, "U0123456789", at(10));
    assert!(silenced.silenced_at(at(9)).is_some());
    assert!(silenced.silenced_at(at(10)).is_none());
    let (after, action) = step(&silenced, seen(true, 38), at(10), NO_HOLD);
    assert_eq!(action, Action::Update, "the silenced line goes");
    assert_eq!(after.silence, None);
    let (_, action) = step(&after, seen(true, 38), at(11), NO_HOLD);
    assert_eq!(action, Action::Nothing);
}

fn total(value: i64) -> Observation {
    Observation::Milestone {
        value: Num::int(value),
        every: 100,
    }
}

#[test]
fn milestones_post_once_per_multiple_passed_upwards() {
    let (state, actions) = run(
        AlertState::default(),
        &[
            total(950),
            total(999),
            total(1001),
            total(1050),
            total(990),
            total(1010),
            total(1320),
            total(1399),
        ],
        NO_HOLD,
    );
    use Action::*;
    assert_eq!(
        actions,
        [
            Nothing, // the baseline
            Nothing,
            PostMilestone {
                reached: 1000,
                value: "1001".into()
            },
            Nothing,
            Nothing, // down…
            Nothing, // …and back past 1000: announced already
            PostMilestone {
                reached: 1300,
                value: "1320".into()
            }, // past 1100, 1200 and 1300: once, the highest
            Nothing,
        ]
    );
    assert_eq!(state.milestone, Some(1300));
    assert_eq!(state.status(), Status::Ok);
}

#[test]
fn milestones_passed_while_silenced_are_not_announced_later() {
    let (baseline, _) = step(&AlertState::default(), total(950), at(0), NO_HOLD);
    let (quiet, _) = silence(&baseline, "U0123456789", at(5));
    let (passed, action) = step(&quiet, total(1010), at(1), NO_HOLD);
    assert_eq!(action, Action::Nothing);
    let (_, action) = step(&passed, total(1020), at(6), NO_HOLD);
    assert_eq!(action, Action::Nothing);
    let (_, action) = step(&passed, total(1100), at(6), NO_HOLD);
    assert!(matches!(
        action,
        Action::PostMilestone { reached: 1100, .. }
    ));
}

#[test]
fn check_now_is_a_step_at_once_and_a_repeated_tick_changes_nothing() {
    let (firing, _) = run(AlertState::default(), &[seen(true, 38)], NO_HOLD);
    let (again, action) = step(&firing, seen(true, 38), at(0), NO_HOLD);
    assert_eq!(action, Action::Nothing);
    assert_eq!(again.phase, firing.phase);
}

#[test]
fn a_post_that_did_not_go_through_is_tried_again_on_the_next_check() {
    let (unposted, action) = step(&AlertState::default(), seen(true, 38), at(0), NO_HOLD);
    assert_eq!(action, Action::Post);
    // Slack refused; the runner records no message.
    let (again, action) = step(&unposted, seen(true, 38), at(1), NO_HOLD);
    assert_eq!(action, Action::Post);
    assert_eq!(again.since(), Some(at(0)), "the same incident");
    let (_, action) = step(&again.posted(msg()), seen(true, 38), at(2), NO_HOLD);
    assert_eq!(action, Action::Nothing);
}
