//! Alerts as a scheduled job (`flows::jobs` says when each is due): per check, the stat's
//! answer (one stats API call per distinct invocation per tick, shared through `book`), the
//! rule observed (`evaluate`), the state moved (`machine::step`), and the one Slack action it
//! asks for, through the one Slack client: post (with the state as metadata), update, resolve
//! (update + a reply in its thread), a milestone's post. Nothing is sent when nothing changed.
//!
//! Never twice, never lost:
//! - the state is in memory (`book`), and read back from the channel's history (`channel`) at
//!   the first check of the channel's alerts, one read per channel, so a restart or a deploy
//!   carries on with the incident it had posted;
//! - before anything is sent the history is read again: a silence set elsewhere is kept, and an
//!   incident another environment (or this one, before a timeout) posted is updated instead;
//! - on Lambda one pass runs at a time (`ReservedConcurrentExecutions: 1`), and here one check
//!   per alert at a time (the slot's lock), buttons included.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::book::{Answer, Book, Slot};
use super::channel::{Refresh, read_back, recheck};
use super::evaluate::observe;
use super::machine::{self, Action, AlertState, MessageRef, Observation, Status};
use super::message;
use super::number::Num;
use super::{Alert, Rule};
use crate::explanation::Outcome;
use crate::flows;
use crate::flows::jobs::{Job, Runner};
use crate::services::Services;
use crate::slack::message::Message;
use crate::slack::retry::{self, GiveUp};
use crate::slack::slash_command::COMMAND;

/// One Slack write (retries included).
const WRITE_BUDGET: Duration = Duration::from_secs(20);

/// What became of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    Checked {
        status: Status,
        /// What was sent: `nothing`, `post`, `update`, `resolve`, `milestone`, `log_error`.
        did: &'static str,
        slack_calls: u32,
    },
    /// Slack did not take what the check asked for; the state says so, the next check retries.
    NotSent { did: &'static str, gave_up: GiveUp },
    /// No such alert in this process.
    Unknown,
}

/// Alerts as a scheduled job, with what this process knows of each.
pub struct AlertJob {
    pub book: Arc<Book>,
}

/// The alerts, and which occurrences this process has checked.
pub type AlertRunner = Runner<AlertJob>;

impl Job for AlertJob {
    const KIND: &'static str = "alert";
    type Entry = Alert;
    type Report = Report;

    fn run(
        &self,
        services: Services,
        alert: Arc<Alert>,
        occurrence: DateTime<Utc>,
    ) -> impl Future<Output = Report> + Send + 'static {
        let book = self.book.clone();
        async move { check(&book, &services, &alert, occurrence, true).await }
    }

    fn finished(report: &Report) -> bool {
        match report {
            Report::NotSent { gave_up, .. } => gave_up.is_final(),
            _ => true,
        }
    }
}

/// Checks `alert` as of `now` and does what the check asks. `shared`: the stat's answer is
/// shared with the tick's other checks of the same invocation (a button's check asks afresh).
pub async fn check(
    book: &Book,
    services: &Services,
    alert: &Alert,
    now: DateTime<Utc>,
    shared: bool,
) -> Report {
    let Some(slot) = book.slot(&alert.name) else {
        return Report::Unknown;
    };
    let _one_at_a_time = slot.busy.lock().await;
    let (next, action) = step(book, services, alert, slot, now, shared).await;
    act(services, alert, slot, next, action, now).await
}

/// The check itself, nothing sent: the state read back if need be, the stat asked, the rule
/// observed, the state moved; and, before a new incident, whether it is posted already.
async fn step(
    book: &Book,
    services: &Services,
    alert: &Alert,
    slot: &Slot,
    now: DateTime<Utc>,
    shared: bool,
) -> (AlertState, Action) {
    // A button's check (not shared) takes the channel's word first.
    let refresh = if shared { Refresh::Once } else { Refresh::All };
    let slack = &services.slack;
    read_back(book, slack, &alert.channel, now, refresh).await;
    let answer = if shared {
        book.answer(&alert.stat, now, fetch(services, alert)).await
    } else {
        fetch(services, alert).await
    };
    let observation = match &answer {
        Ok(fetched) => {
            slot.set_answer(fetched.reply.clone());
            observe(&alert.rule, &fetched.data, fetched.display)
        }
        Err(why) => Observation::Failed { why: why.clone() },
    };
    let (next, action) = machine::step(&slot.state(), observation, now, alert.hold);
    recheck(book, slack, alert, next, action, now).await
}

/// The stat's answer, as `/stats` would give it; why not, in words.
async fn fetch(services: &Services, alert: &Alert) -> Answer {
    let invocation = alert.invocation();
    let subcommand = invocation.subcommand.clone();
    flows::fetch(services.commands.clone(), COMMAND.into(), invocation)
        .await
        .map_err(|answered| match answered.outcome {
            Outcome::UnknownCommand | Outcome::UnknownStat => {
                format!("the stat `{subcommand}` is not in the stats API's catalogue")
            }
            Outcome::BadArgument => format!(
                "`{}` is refused: {}",
                alert.stat,
                answered
                    .reply
                    .to_parts()
                    .map(|p| p.text)
                    .unwrap_or_default()
            ),
            other => format!("the stats API did not answer ({})", other.as_str()),
        })
}

/// Does `action` for `alert`, now in state `next`, and keeps the state.
async fn act(
    services: &Services,
    alert: &Alert,
    slot: &Slot,
    mut next: AlertState,
    action: Action,
    now: DateTime<Utc>,
) -> Report {
    let slack = &services.slack;
    let channel = alert.channel.as_str();
    let name = alert.name.as_str();
    let did = did(&action);
    let answer = slot.answer();
    let rendered = |state: &AlertState| message::incident(alert, state, now, answer.as_ref());
    let mut calls = 0;
    let result = match &action {
        Action::Nothing => Ok(()),
        Action::LogError { why } => {
            // The alarm counts this line: keep its words.
            tracing::warn!(alert = %name, stat = %alert.stat, why = %why, "alert could not be checked");
            Ok(())
        }
        Action::Post => match rendered(&next) {
            Ok(message) => {
                let sent = slack.post_message(channel, &message, WRITE_BUDGET).await;
                calls += sent.calls;
                let ts = sent.ts().map(String::from);
                sent.result.map(|_| {
                    if let Some(ts) = ts {
                        let at = MessageRef {
                            channel: channel.to_string(),
                            ts,
                        };
                        next = next.clone().posted(at);
                    }
                })
            }
            Err(error) => Err(not_rendered(name, &error)),
        },
        Action::Update | Action::Resolve { .. } => {
            // The machine updates only an incident whose message it knows.
            match (next.message().cloned(), rendered(&next)) {
                (None, _) => Ok(()),
                (Some(at), Ok(message)) => {
                    let sent = slack.update(channel, &at.ts, &message, WRITE_BUDGET).await;
                    calls += sent.calls;
                    let mut result = sent.result.map(drop);
                    if let (Ok(()), Action::Resolve { reply: true }) = (&result, &action)
                        && let Some(reply) = message::resolution_reply(&next, &at.ts)
                    {
                        let sent = slack.post_message(channel, &reply, WRITE_BUDGET).await;
                        calls += sent.calls;
                        result = sent.result.map(drop);
                    }
                    result
                }
                (Some(_), Err(error)) => Err(not_rendered(name, &error)),
            }
        }
        Action::PostMilestone { reached, value } => {
            let column = match &alert.rule {
                Rule::Milestone(m) => m.column.as_str(),
                Rule::When(_) => "",
            };
            let value = Num::parse(value).unwrap_or(Num::int(*reached));
            match message::milestone(alert, column, *reached, value, &next) {
                Ok(message) => {
                    let sent = slack.post_message(channel, &message, WRITE_BUDGET).await;
                    calls += sent.calls;
                    sent.result.map(drop)
                }
                Err(error) => Err(not_rendered(name, &error)),
            }
        }
    };
    let status = next.status();
    slot.set_state(next);
    match result {
        Ok(()) => {
            slot.refused(None);
            if did != "nothing" && did != "log_error" {
                tracing::info!(
                    alert = %name,
                    channel,
                    did,
                    status = status.as_str(),
                    calls,
                    "alert"
                );
            }
            Report::Checked {
                status,
                did,
                slack_calls: calls,
            }
        }
        Err(gave_up) => {
            let why = gave_up.as_str();
            if slot.refused(Some(why)) {
                tracing::error!(
                    alert = %name,
                    channel,
                    did,
                    gave_up = why,
                    "alert's message not sent: {}",
                    retry::advice(why)
                );
            } else {
                tracing::debug!(alert = %name, did, gave_up = why, "alert's message not sent again");
            }
            Report::NotSent { did, gave_up }
        }
    }
}

fn not_rendered(name: &str, error: &crate::error::Error) -> GiveUp {
    tracing::error!(alert = %name, %error, "alert's message could not be rendered");
    GiveUp::Slack("render_failed".into())
}

fn did(action: &Action) -> &'static str {
    match action {
        Action::Nothing => "nothing",
        Action::Post => "post",
        Action::Update => "update",
        Action::Resolve { .. } => "resolve",
        Action::PostMilestone { .. } => "milestone",
        Action::LogError { .. } => "log_error",
    }
}

/// A Silence button: no new messages for `alert` until `until`, said on its message (and in its
/// metadata, so that a restart keeps it).
pub async fn silence(
    book: &Book,
    services: &Services,
    alert: &Alert,
    by: &str,
    until: DateTime<Utc>,
) -> Report {
    let Some(slot) = book.slot(&alert.name) else {
        return Report::Unknown;
    };
    let _one_at_a_time = slot.busy.lock().await;
    let now = services.now();
    // The tick may run in another environment: the incident's message as the channel has it.
    read_back(book, &services.slack, &alert.channel, now, Refresh::All).await;
    let (next, action) = machine::silence(&slot.state(), by, until);
    act(services, alert, slot, next, action, now).await
}

/// What a check now would do, nothing sent (for `cargo run -- alert`).
pub struct Preview {
    pub state: AlertState,
    /// `nothing`, `post`, `update`, `resolve`, `milestone`, `log_error`.
    pub would: &'static str,
    /// The message it would post or update to (the incident's, or the milestone's).
    pub message: Option<Message>,
}

/// Checks `alert` now without sending anything (the state it reaches is not kept).
pub async fn preview(book: &Book, services: &Services, alert: &Alert) -> Option<Preview> {
    let slot = book.slot(&alert.name)?;
    let _one_at_a_time = slot.busy.lock().await;
    let now = services.now();
    // The state read back is kept; only what this check would do is not.
    read_back(book, &services.slack, &alert.channel, now, Refresh::Once).await;
    let kept = slot.state();
    let (next, action) = step(book, services, alert, slot, now, false).await;
    slot.set_state(kept);
    let message = match (&action, &alert.rule) {
        (Action::PostMilestone { reached, value }, Rule::Milestone(m)) => {
            let value = Num::parse(value).unwrap_or(Num::int(*reached));
            message::milestone(alert, &m.column, *reached, value, &next).ok()
        }
        _ => message::incident(alert, &next, now, slot.answer().as_ref()).ok(),
    };
    Some(Preview {
        would: did(&action),
        state: next,
        message,
    })
}
