//! What this process knows of each alert between checks: its state (in memory, rebuilt from the
//! channel's history at the first check), the last answer of its stat (for updates made by a
//! button), and one stats API answer per distinct invocation per tick, shared by every alert
//! that checks it.
//!
//! Bounded reads: a channel's history is read once per process (at its alerts' first check), and
//! again only when a check is about to post a new incident (another environment may have posted
//! it) or the last read failed (at most once per tick).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::OnceCell;

use super::Alert;
use super::machine::AlertState;
use crate::flows::Fetched;
use crate::flows::jobs::GRACE;
use crate::slack::message::Message;

/// A stat's answer for a check, or why there is none (in words for the log and the message).
pub type Answer = Result<Fetched, String>;

/// One answer, fetched by whichever check asks first.
type Shared = Arc<OnceCell<Answer>>;

/// One alert's memory.
#[derive(Default)]
pub struct Slot {
    /// Held for a whole check (and a button's action): one at a time per alert.
    pub busy: tokio::sync::Mutex<()>,
    state: Mutex<AlertState>,
    /// The stat's answer as last shown under the message.
    answer: Mutex<Option<Message>>,
    /// Why Slack last refused what this alert sent, so that each reason is explained once.
    refused: Mutex<Option<String>>,
}

impl Slot {
    pub fn state(&self) -> AlertState {
        self.state.lock().expect("lock poisoned").clone()
    }

    pub fn set_state(&self, state: AlertState) {
        *self.state.lock().expect("lock poisoned") = state;
    }

    pub fn answer(&self) -> Option<Message> {
        self.answer.lock().expect("lock poisoned").clone()
    }

    pub fn set_answer(&self, answer: Message) {
        *self.answer.lock().expect("lock poisoned") = Some(answer);
    }

    /// Notes how sending ended (`None`: taken); true when `why` is new, to be explained.
    pub fn refused(&self, why: Option<&str>) -> bool {
        let mut last = self.refused.lock().expect("lock poisoned");
        let new = why.is_some() && last.as_deref() != why;
        *last = why.map(String::from);
        new
    }
}

/// Whether a channel's history has been read back.
#[derive(Default)]
pub struct ChannelRead {
    pub done: bool,
    /// The tick of the last failed read: not tried again within it.
    pub failed_at: Option<DateTime<Utc>>,
    /// When (Unix seconds, this process's clock) the first whole read began: later reads need
    /// go back no further for an alert with no message then.
    pub whole_read_at: Option<i64>,
}

/// Every alert's memory. One per process, shared by the job and `/stats alerts`.
#[derive(Default)]
pub struct Book {
    alerts: Vec<Arc<Alert>>,
    slots: HashMap<String, Slot>,
    channels: HashMap<String, tokio::sync::Mutex<ChannelRead>>,
    /// (invocation as typed, tick) → its answer, fetched once.
    answers: Mutex<HashMap<(String, DateTime<Utc>), Shared>>,
}

impl Book {
    pub fn new(alerts: &[Alert]) -> Book {
        Book {
            alerts: alerts.iter().cloned().map(Arc::new).collect(),
            slots: alerts
                .iter()
                .map(|a| (a.name.clone(), Slot::default()))
                .collect(),
            channels: alerts
                .iter()
                .map(|a| (a.channel.clone(), Default::default()))
                .collect(),
            answers: Mutex::default(),
        }
    }

    pub fn alerts(&self) -> &[Arc<Alert>] {
        &self.alerts
    }

    pub fn find(&self, name: &str) -> Option<Arc<Alert>> {
        self.alerts.iter().find(|a| a.name == name).cloned()
    }

    /// The alert's memory (every declared alert has one).
    pub fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.get(name)
    }

    /// The channel's read-back record, locked while its history is read.
    pub fn channel(&self, channel: &str) -> Option<&tokio::sync::Mutex<ChannelRead>> {
        self.channels.get(channel)
    }

    /// States read back from `channel`'s history, taken by every alert of that channel this
    /// process has not checked yet (what it saw itself is newer), or by all when `all`.
    pub fn adopt(&self, channel: &str, found: BTreeMap<String, AlertState>, all: bool) {
        for alert in self.alerts.iter().filter(|a| a.channel == channel) {
            let (Some(slot), Some(state)) = (self.slots.get(&alert.name), found.get(&alert.name))
            else {
                continue;
            };
            let mut mine = slot.state.lock().expect("lock poisoned");
            if all || mine.last_check.is_none() {
                let last_check = mine.last_check;
                *mine = state.clone();
                mine.last_check = last_check;
            }
        }
    }

    /// The answer for `stat` at `tick`: fetched by the first alert that asks, shared by the
    /// rest; answers of ticks older than the grace window are dropped.
    pub async fn answer<F>(&self, stat: &str, tick: DateTime<Utc>, fetch: F) -> Answer
    where
        F: Future<Output = Answer>,
    {
        let cell = {
            let mut answers = self.answers.lock().expect("lock poisoned");
            // Kept for the grace window: a repeated tick of the same occurrence asks no more.
            let grace = TimeDelta::from_std(GRACE).unwrap_or(TimeDelta::MAX);
            answers.retain(|(_, at), _| tick - *at < grace);
            answers.entry((stat.to_string(), tick)).or_default().clone()
        };
        cell.get_or_init(|| fetch).await.clone()
    }
}
