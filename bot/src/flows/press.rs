//! A button press. Slack has had its empty 200 (a press has no inline answer); what the press
//! asks for is worked out here and posted to the action's `response_url` on the deferred path.
//! This is the one place that decides what each button does.

use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use reqwest::Url;

use super::{Presentation, Request, ask, run_as};
use crate::alerts::{self, runner::Report};
use crate::explanation::{Explanation, Outcome};
use crate::render::{Context, asking, sharing};
use crate::slack::blocks;
use crate::slack::interaction::{self, BlockActions, Press, UserId};
use crate::slack::message::Message;
use crate::slack::response_url;
use crate::slack::retry::GiveUp;
use crate::slack::slash_command;
use crate::state::AppState;

/// A press as Slack posted it: what it asks for, read once here, then [`press`]. Returns the
/// subcommand it runs (for the log line) and its outcome.
pub fn pressed(
    state: &AppState,
    actions: &BlockActions,
    arrived: Instant,
    window: Duration,
) -> (String, Outcome) {
    let Some(action) = &actions.action else {
        return (String::new(), Outcome::Ok);
    };
    let press = interaction::press(action);
    if press == Press::RefreshHome {
        let outcome = crate::home::refresh_pressed(state, &actions.user, arrived, window);
        return ("home".into(), outcome);
    }
    if let Press::AnswerHere(invocation) = &press {
        let subcommand = blocks::clip(&invocation.subcommand, 40).into_owned();
        let outcome =
            crate::mentions::in_place::pressed(state, actions, invocation.clone(), arrived, window);
        return (subcommand, outcome);
    }
    let invocation = match &press {
        Press::Run(invocation) | Press::Share(invocation) | Press::AnswerHere(invocation) => {
            invocation.clone()
        }
        Press::HelpPage(_) => slash_command::parse_text("help"),
        Press::Readings(readings) => readings.first().cloned().unwrap_or_default(),
        // Named in the log line as what it stands for; nothing runs it.
        Press::SilenceAlert { alert, .. } | Press::CheckAlert(alert) => {
            slash_command::parse_text(&format!("alerts {alert}"))
        }
        Press::Stale | Press::RefreshHome => Default::default(),
    };
    let request = Request {
        command: "/stats".to_string(),
        invocation,
        team_id: actions.team_id.clone(),
        user_id: actions.user.to_string(),
        response_url: actions.response_url.clone(),
        arrived,
        window,
    };
    let subcommand = blocks::clip(&request.invocation.subcommand, 40).into_owned();
    let by = Presser {
        user: actions.user.clone(),
        channel: actions.channel_id.clone(),
    };
    (subcommand, press_now(state, request, press, by))
}

/// Who pressed, and in which channel (the payload's `channel.id`).
struct Presser {
    user: UserId,
    channel: String,
}

/// What the press asks for is worked out and posted to the action's `response_url` on the
/// deferred path, like a slow command's answer. `request.invocation` is what `Run` and `Share`
/// run; `by` is who pressed, where.
fn press_now(state: &AppState, request: Request, press: Press, by: Presser) -> Outcome {
    let allowed = state.config().allow_response_url.as_deref();
    let url = match response_url::check(&request.response_url, allowed) {
        Ok(url) => url,
        Err(refusal) => {
            tracing::warn!(
                reason = refusal.as_str(),
                "a button press with nowhere to answer; nothing done"
            );
            return Outcome::Internal;
        }
    };
    state
        .deferred()
        .spawn(answer_press(state.clone(), url, request, press, by));
    Outcome::Deferred
}

async fn answer_press(state: AppState, url: Url, request: Request, press: Press, by: Presser) {
    let subcommand = blocks::clip(&request.invocation.subcommand, 40).into_owned();
    let closes = request.arrived + request.window;
    let work = press_replies(&state, &request, press, by);
    let Ok((replies, outcome)) = tokio::time::timeout_at(closes.into(), work).await else {
        tracing::warn!(
            subcommand,
            delivered = false,
            gave_up = GiveUp::OutOfTime.as_str(),
            posts = 0,
            press = true,
            // The same line as a deferred answer's, so that one alarm counts both.
            "deferred answer"
        );
        return;
    };
    let (mut posts, mut result) = (0, Ok(()));
    // In order, and no further once one fails: the private answer is deleted only once the
    // shared one is out.
    for reply in &replies {
        let sent = state
            .slack()
            .respond(&url, reply, request.arrived, request.window)
            .await;
        posts += sent.calls;
        result = sent.result.map(drop);
        if result.is_err() {
            break;
        }
    }
    tracing::info!(
        subcommand,
        outcome = outcome.as_str(),
        delivered = result.is_ok(),
        gave_up = result.as_ref().err().map(GiveUp::as_str),
        posts,
        latency_ms = request.arrived.elapsed().as_millis() as u64,
        press = true,
        "deferred answer"
    );
}

/// The posts a press makes, in order, and its outcome for the log.
async fn press_replies(
    state: &AppState,
    request: &Request,
    press: Press,
    by: Presser,
) -> (Vec<Message>, Outcome) {
    let ctx = Context {
        command: &request.command,
    };
    // Beside the message pressed, never in its place.
    let problem = |problem: Explanation| {
        let reply = sharing::replacing_original(problem.reply(&ctx), false);
        (vec![reply], problem.outcome())
    };
    if !state.config().team_allowed(&request.team_id) {
        return problem(Explanation::TeamNotAllowed);
    }
    let run = |presentation| {
        run_as(
            state.clone(),
            request.command.clone(),
            request.invocation.clone(),
            presentation,
        )
    };
    match press {
        Press::Stale | Press::RefreshHome => problem(Explanation::StaleButton),
        Press::HelpPage(page) => {
            let available = state.commands().await;
            match available.commands.help_page(&ctx, page) {
                Ok(reply) => (vec![sharing::replacing_original(reply, true)], Outcome::Ok),
                Err(error) => problem(Explanation::from_error(error, None)),
            }
        }
        Press::Readings(readings) => {
            let available = state.commands().await;
            let choices = ask::choices(&available.commands, &readings);
            match asking::did_you_mean(&ctx, None, &choices) {
                Ok(reply) => (
                    vec![sharing::replacing_original(reply, false)],
                    Outcome::DidYouMean,
                ),
                Err(error) => problem(Explanation::from_error(error, None)),
            }
        }
        Press::SilenceAlert { alert, hours } => {
            let words = alert_press(state, &alert, &by.channel, Some((hours, by.user))).await;
            (vec![private_note(&words)], Outcome::Ok)
        }
        Press::CheckAlert(alert) => {
            let words = alert_press(state, &alert, &by.channel, None).await;
            (vec![private_note(&words)], Outcome::Ok)
        }
        // Answered in place through the Web API (`pressed`), never here.
        Press::AnswerHere(_) => problem(Explanation::StaleButton),
        Press::Run(_) => {
            let answered = run(Presentation::Private).await;
            let reply = sharing::replacing_original(answered.reply, false);
            (vec![reply], answered.outcome)
        }
        Press::Share(_) => {
            let answered = run(Presentation::SharedBy(by.user)).await;
            if answered.outcome != Outcome::Ok {
                let reply = sharing::replacing_original(answered.reply, false);
                return (vec![reply], answered.outcome);
            }
            (
                vec![answered.reply, Message::delete_original()],
                answered.outcome,
            )
        }
    }
}

/// An alert's button, pressed in `channel`: silence it for `hours` by `by`, or (`None`) check
/// it now. The alert's message is updated in place by the alerts' runner; the presser is told
/// what was done. A button acts only in the alert's own channel (its value names an alert, and
/// anyone could copy it into a message elsewhere); a silence runs from the press.
async fn alert_press(
    state: &AppState,
    name: &str,
    channel: &str,
    silence: Option<(u32, UserId)>,
) -> String {
    let Some(alert) = state.alerts().find(name) else {
        return format!("There is no alert `{name}` any more.");
    };
    if alert.channel != channel {
        tracing::info!(
            alert = %name,
            pressed_in = %channel,
            "an alert's button pressed outside the alert's channel; nothing done"
        );
        return format!(
            "This button belongs to the alert `{name}` in <#{}>: press it there. Nothing was changed.",
            alert.channel
        );
    }
    let report = match silence {
        Some((hours, by)) => {
            let until = Utc::now() + TimeDelta::hours(i64::from(hours));
            let report = alerts::runner::silence(state, &alert, by.as_str(), until).await;
            if matches!(report, Report::Checked { .. }) {
                let until = alerts::wording::date(until);
                return format!(
                    "Alert `{name}` is silenced until {until}: no new messages for it till then."
                );
            }
            report
        }
        None => {
            let report = alerts::runner::check(state, &alert, Utc::now(), false).await;
            if let Report::Checked { status, .. } = &report {
                return format!("Alert `{name}` checked: {}.", status.as_str());
            }
            report
        }
    };
    tracing::warn!(
        alert = %name,
        ?report,
        "an alert's button could not do its work"
    );
    format!("Alert `{name}`: Slack did not take the change; try again in a moment.")
}

/// A private note beside the message pressed, never in its place.
fn private_note(text: &str) -> Message {
    sharing::replacing_original(Message::plain(text), false)
}
