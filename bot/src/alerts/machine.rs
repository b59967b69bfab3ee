//! An alert's state and how one check moves it: a pure function from the previous state and
//! what the check saw to the next state and the one thing to do in Slack. No clock (the caller
//! says when "now" is), no I/O.
//!
//! Decided here:
//! - `for` (the hold): the condition must hold that long, counted from the first check that saw
//!   it hold, before the alert fires; the incident's "since" is that first check.
//! - `error` rides beside the phase rather than replacing it: a firing alert whose stat fails
//!   stays firing (its message untouched) and carries on from there when the stat answers again.
//!   Each new reason is logged once; the same reason again is nothing.
//! - Silenced: the state is still tracked, so `/stats alerts` tells the truth, and an incident's
//!   existing message is still updated in place (its value, and resolved) — but nothing new
//!   appears in the channel: no incident message, no thread reply, no milestone. An incident that
//!   starts while silenced is posted when the silence ends, if it still fires then; one that
//!   starts and ends within the silence is never posted. Milestones passed while silenced are not
//!   announced later.
//! - A milestone's first check only sets the baseline; then one post per check that passes a
//!   higher multiple, naming the highest. The mark never goes down, so falling back and rising
//!   past an announced multiple again posts nothing.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::number::Num;

/// An incident's message in Slack, for `chat.update` and thread replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRef {
    pub channel: String,
    pub ts: String,
}

/// What the last check read: the value, and the condition in words with it (plain text).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reading {
    pub value: String,
    pub words: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Never checked, and nothing read back from the channel.
    Unknown,
    Ok {
        since: DateTime<Utc>,
    },
    /// The condition holds, not yet for as long as `for` asks.
    Pending {
        since: DateTime<Utc>,
        reading: Reading,
    },
    /// `message` is `None` while the incident has not been posted (it began while silenced).
    Firing {
        since: DateTime<Utc>,
        reading: Reading,
        message: Option<MessageRef>,
    },
    Resolved {
        since: DateTime<Utc>,
        ended: DateTime<Utc>,
        reading: Reading,
        message: Option<MessageRef>,
    },
}

/// The alert could not be checked: since when, and why (logged once per reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub since: DateTime<Utc>,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silence {
    pub until: DateTime<Utc>,
    /// A Slack user ID.
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertState {
    pub phase: Phase,
    pub failure: Option<Failure>,
    pub silence: Option<Silence>,
    /// A milestone alert's mark: the highest multiple announced, or the baseline.
    pub milestone: Option<i64>,
    pub last_check: Option<DateTime<Utc>>,
}

impl Default for AlertState {
    fn default() -> Self {
        AlertState {
            phase: Phase::Unknown,
            failure: None,
            silence: None,
            milestone: None,
            last_check: None,
        }
    }
}

/// The state as people are told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Unknown,
    Ok,
    Pending,
    Firing,
    Resolved,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unknown => "not checked yet",
            Status::Ok => "ok",
            Status::Pending => "pending",
            Status::Firing => "firing",
            Status::Resolved => "resolved",
            Status::Error => "error",
        }
    }
}

impl AlertState {
    pub fn status(&self) -> Status {
        if self.failure.is_some() {
            return Status::Error;
        }
        match self.phase {
            Phase::Unknown => Status::Unknown,
            Phase::Ok { .. } => Status::Ok,
            Phase::Pending { .. } => Status::Pending,
            Phase::Firing { .. } => Status::Firing,
            Phase::Resolved { .. } => Status::Resolved,
        }
    }

    /// Since when the status has been what it is.
    pub fn since(&self) -> Option<DateTime<Utc>> {
        if let Some(failure) = &self.failure {
            return Some(failure.since);
        }
        match &self.phase {
            Phase::Unknown => None,
            Phase::Ok { since } | Phase::Pending { since, .. } | Phase::Firing { since, .. } => {
                Some(*since)
            }
            Phase::Resolved { ended, .. } => Some(*ended),
        }
    }

    /// The silence, while it lasts.
    pub fn silenced_at(&self, now: DateTime<Utc>) -> Option<&Silence> {
        self.silence.as_ref().filter(|s| s.until > now)
    }

    /// The incident's message, firing or resolved.
    pub fn message(&self) -> Option<&MessageRef> {
        match &self.phase {
            Phase::Firing { message, .. } | Phase::Resolved { message, .. } => message.as_ref(),
            _ => None,
        }
    }

    /// After an [`Action::Post`]: where the incident's message went.
    pub fn posted(mut self, at: MessageRef) -> AlertState {
        if let Phase::Firing { message, .. } = &mut self.phase {
            *message = Some(at);
        }
        self
    }
}

/// What one check saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Observation {
    /// A `when` condition, checked.
    Condition { holds: bool, reading: Reading },
    /// A milestone's column, read.
    Milestone { value: Num, every: u64 },
    /// The stat failed, or the column is gone or not a number.
    Failed { why: String },
}

/// The one thing to do in Slack (or the log) after a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// No call at all.
    Nothing,
    /// A new incident: `chat.postMessage`, then [`AlertState::posted`]. Until its message is
    /// recorded, the next check that still sees it firing says `Post` again: a failed post is
    /// retried on the next tick.
    Post,
    /// `chat.update` of the incident's message from the new state.
    Update,
    /// `chat.update` to resolved, and, when `reply`, a reply in its thread saying so.
    Resolve { reply: bool },
    /// A milestone passed: `reached` is the highest multiple passed.
    PostMilestone { reached: i64, value: String },
    /// The alert could not be checked, for a reason not logged before.
    LogError { why: String },
}

/// One check. `hold` is the alert's `for` (zero without one).
pub fn step(
    previous: &AlertState,
    observation: Observation,
    now: DateTime<Utc>,
    hold: Duration,
) -> (AlertState, Action) {
    let mut next = previous.clone();
    next.last_check = Some(now);
    if let Observation::Failed { why } = observation {
        // The silence is left as it is: its end is handled by the next check that answers.
        let new = previous.failure.as_ref().is_none_or(|f| f.why != why);
        if !new {
            return (next, Action::Nothing);
        }
        let since = previous.failure.as_ref().map_or(now, |f| f.since);
        next.failure = Some(Failure {
            since,
            why: why.clone(),
        });
        return (next, Action::LogError { why });
    }
    next.failure = None;
    let silence_ended = next.silence.as_ref().is_some_and(|s| s.until <= now);
    if silence_ended {
        next.silence = None;
    }
    let silenced = next.silence.is_some();
    let action = match observation {
        Observation::Failed { .. } => unreachable!("handled above"),
        Observation::Milestone { value, every } => {
            milestone(&mut next, value, every, now, silenced)
        }
        Observation::Condition {
            holds: true,
            reading,
        } => holding(&mut next, reading, now, hold, silenced, silence_ended),
        Observation::Condition {
            holds: false,
            reading,
        } => not_holding(&mut next, reading, now, silenced),
    };
    (next, action)
}

fn holding(
    next: &mut AlertState,
    reading: Reading,
    now: DateTime<Utc>,
    hold: Duration,
    silenced: bool,
    silence_ended: bool,
) -> Action {
    let post_unless_silenced = if silenced {
        Action::Nothing
    } else {
        Action::Post
    };
    let since = match &mut next.phase {
        Phase::Firing {
            reading: shown,
            message,
            ..
        } => {
            let changed = *shown != reading;
            *shown = reading;
            return match message {
                None => post_unless_silenced,
                Some(_) if changed || silence_ended => Action::Update,
                Some(_) => Action::Nothing,
            };
        }
        Phase::Pending { since, .. } => *since,
        Phase::Unknown | Phase::Ok { .. } | Phase::Resolved { .. } => now,
    };
    let hold = TimeDelta::from_std(hold).unwrap_or(TimeDelta::MAX);
    if now - since >= hold {
        next.phase = Phase::Firing {
            since,
            reading,
            message: None,
        };
        post_unless_silenced
    } else {
        next.phase = Phase::Pending { since, reading };
        Action::Nothing
    }
}

fn not_holding(
    next: &mut AlertState,
    reading: Reading,
    now: DateTime<Utc>,
    silenced: bool,
) -> Action {
    match std::mem::replace(&mut next.phase, Phase::Unknown) {
        Phase::Firing { since, message, .. } => {
            let action = match message {
                Some(_) => Action::Resolve { reply: !silenced },
                None => Action::Nothing,
            };
            next.phase = Phase::Resolved {
                since,
                ended: now,
                reading,
                message,
            };
            action
        }
        resolved @ Phase::Resolved { .. } => {
            next.phase = resolved;
            Action::Nothing
        }
        Phase::Ok { since } => {
            next.phase = Phase::Ok { since };
            Action::Nothing
        }
        Phase::Unknown | Phase::Pending { .. } => {
            next.phase = Phase::Ok { since: now };
            Action::Nothing
        }
    }
}

fn milestone(
    next: &mut AlertState,
    value: Num,
    every: u64,
    now: DateTime<Utc>,
    silenced: bool,
) -> Action {
    if next.phase == Phase::Unknown {
        next.phase = Phase::Ok { since: now };
    }
    let reached = value.multiples_of(every).saturating_mul(i128::from(every));
    let reached = i64::try_from(reached).unwrap_or(if reached < 0 { i64::MIN } else { i64::MAX });
    match next.milestone {
        Some(mark) if reached > mark => {
            next.milestone = Some(reached);
            if silenced {
                Action::Nothing
            } else {
                Action::PostMilestone {
                    reached,
                    value: value.to_string(),
                }
            }
        }
        Some(_) => Action::Nothing,
        None => {
            next.milestone = Some(reached);
            Action::Nothing
        }
    }
}

/// Someone pressed Silence: no new messages for this alert until `until`. The incident's
/// message, if any, is updated to say who silenced it and until when.
pub fn silence(previous: &AlertState, by: &str, until: DateTime<Utc>) -> (AlertState, Action) {
    let mut next = previous.clone();
    next.silence = Some(Silence {
        until,
        by: by.to_string(),
    });
    let action = match &next.phase {
        Phase::Firing {
            message: Some(_), ..
        } => Action::Update,
        _ => Action::Nothing,
    };
    (next, action)
}

/// In `machine/tests.rs`: every rule above, one test each.
#[cfg(test)]
mod tests;
