//! A button press. Slack has had its empty 200 (a press has no inline answer); what the press
//! asks for is worked out here and posted to the action's `response_url` on the deferred path.
//! This is the one place that decides what each of the core's buttons does; a feature's button
//! is handed to the feature that registered it (`registry::Buttons`).

use std::time::{Duration, Instant};

use reqwest::Url;

use super::ask::{self, message as asking};
use super::{Presentation, Request, run_as, sharing};
use crate::explanation::{Explanation, Outcome};
use crate::registry::Pressed;
use crate::render::Context;
use crate::slack::blocks;
use crate::slack::interaction::{self, Action, BlockActions, Interaction, Press, UserId};
use crate::slack::message::Message;
use crate::slack::response_url;
use crate::slack::retry::GiveUp;
use crate::slack::slash_command;
use crate::state::AppState;

/// An interaction as Slack sent it, already read (from a verified HTTP form, or a Socket Mode
/// envelope). Slack needs nothing back at once: a press is answered through its `response_url`;
/// anything but a button press is only logged.
pub fn interaction(state: &AppState, interaction: Interaction, arrived: Instant, window: Duration) {
    let actions = match interaction {
        Interaction::BlockActions(actions) => actions,
        Interaction::Other { kind } => {
            tracing::info!(kind = %blocks::clip(&kind, 40), "interaction ignored");
            return;
        }
    };
    let Some(action) = &actions.action else {
        return;
    };
    let (team, user) = (actions.team_id.clone(), actions.user.to_string());
    let action_id = blocks::clip(&action.action_id, 40).into_owned();
    let (subcommand, outcome) = pressed(state, &actions, arrived, window);
    tracing::info!(
        team = %team,
        user = %user,
        action = %action_id,
        subcommand = %subcommand,
        outcome = outcome.as_str(),
        "button pressed"
    );
}

/// A press as Slack posted it: a feature's button goes to the feature that made it
/// (`registry::Buttons`); the rest is read once here ([`interaction::press`]). Returns the
/// subcommand it runs (for the log line; a feature's button: its `action_id`) and its outcome.
fn pressed(
    state: &AppState,
    actions: &BlockActions,
    arrived: Instant,
    window: Duration,
) -> (String, Outcome) {
    let Some(action) = &actions.action else {
        return (String::new(), Outcome::Ok);
    };
    let press = match state.buttons(&action.action_id) {
        Some(_) => Pressing::Feature(action.clone()),
        None => Pressing::Core(interaction::press(action)),
    };
    let invocation = match &press {
        Pressing::Core(Press::Run(invocation) | Press::Share(invocation)) => invocation.clone(),
        Pressing::Core(Press::HelpPage(_)) => slash_command::parse_text("help"),
        Pressing::Core(Press::Readings(readings)) => readings.first().cloned().unwrap_or_default(),
        // Named in the log line by its button; nothing runs it as a command.
        Pressing::Feature(action) => slash_command::parse_text(&action.action_id),
        Pressing::Core(Press::Stale) => Default::default(),
    };
    let request = Request {
        command: slash_command::COMMAND.to_string(),
        invocation,
        team_id: actions.team_id.clone(),
        user_id: actions.user.to_string(),
        response_url: actions.response_url.clone(),
        arrived,
        window,
    };
    let subcommand = blocks::clip(&request.invocation.subcommand, 40).into_owned();
    (
        subcommand,
        press_now(state, request, press, actions.clone()),
    )
}

/// A press: one of the core's buttons, or a feature's.
enum Pressing {
    Core(Press),
    Feature(Action),
}

/// What the press asks for is worked out and posted to the action's `response_url` on the
/// deferred path, like a slow command's answer. `request.invocation` is what `Run` and `Share`
/// run; `actions` who pressed, where. A feature's button may need no `response_url` (a Home
/// tab has none): it is pressed all the same, and what it would post there is dropped.
fn press_now(
    state: &AppState,
    request: Request,
    press: Pressing,
    actions: BlockActions,
) -> Outcome {
    let allowed = state.config().allow_response_url.as_deref();
    let url = match (response_url::check(&request.response_url, allowed), &press) {
        (Ok(url), _) => Some(url),
        (Err(_), Pressing::Feature(_)) if request.response_url.is_empty() => None,
        (Err(refusal), _) => {
            tracing::warn!(
                reason = refusal.as_str(),
                "a button press with nowhere to answer; nothing done"
            );
            return Outcome::Internal;
        }
    };
    state
        .deferred()
        .spawn(answer_press(state.clone(), url, request, press, actions));
    Outcome::Deferred
}

async fn answer_press(
    state: AppState,
    url: Option<Url>,
    request: Request,
    press: Pressing,
    actions: BlockActions,
) {
    let subcommand = blocks::clip(&request.invocation.subcommand, 40).into_owned();
    let closes = request.arrived + request.window;
    let work = async {
        match press {
            Pressing::Core(press) => press_replies(&state, &request, press, actions.user).await,
            Pressing::Feature(action) => feature_press(&state, &request, &actions, &action).await,
        }
    };
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
        let Some(url) = &url else {
            tracing::warn!("a button's reply with no response_url to post it to; dropped");
            break;
        };
        let sent = state
            .slack()
            .respond(url, reply, request.arrived, request.window)
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

/// A feature's button: the feature says what it does (a team not allowed is told so first).
async fn feature_press(
    state: &AppState,
    request: &Request,
    actions: &BlockActions,
    action: &Action,
) -> (Vec<Message>, Outcome) {
    if !state.config().team_allowed(&request.team_id) {
        let problem = Explanation::TeamNotAllowed;
        let ctx = Context {
            command: &request.command,
        };
        let reply = sharing::replacing_original(problem.reply(&ctx), false);
        return (vec![reply], problem.outcome());
    }
    let Some(buttons) = state.buttons(&action.action_id) else {
        return (Vec::new(), Outcome::Internal);
    };
    let Pressed { replies, outcome } = buttons.press(state.services(), actions, action).await;
    (replies, outcome)
}

/// The posts a press makes, in order, and its outcome for the log.
async fn press_replies(
    state: &AppState,
    request: &Request,
    press: Press,
    by: UserId,
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
            state.command_cache().clone(),
            request.command.clone(),
            request.invocation.clone(),
            presentation,
        )
    };
    match press {
        Press::Stale => problem(Explanation::StaleButton),
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
        Press::Run(_) => {
            let answered = run(Presentation::Private).await;
            let reply = sharing::replacing_original(answered.reply, false);
            (vec![reply], answered.outcome)
        }
        Press::Share(_) => {
            let answered = run(Presentation::SharedBy(by)).await;
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
