//! An Events API delivery (`POST /slack/events`, or a Socket Mode `events_api` envelope):
//! acknowledged at once, worked on after (the deferred path: after the response locally, inside
//! the same invocation on Lambda). No feature is named here: each registers an [`EventFeature`]
//! (`state::event_features`, one line each) that says which events it takes and does the work.
//!
//! Slack redelivers an event it thinks was missed, to any instance. A small in-process set of
//! recent `event_id`s ([`Recent`]) drops the redeliveries this process has in hand or has done
//! (a quick retry while the first is still working included); a feature that posts checks
//! Slack itself for a redelivery that reached a fresh process (its reply carries the
//! `event_id`).

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::slack::blocks;
use crate::slack::events::{self, Callback, Envelope, Event};
use crate::state::AppState;

/// One delivery: which attempt, why Slack tried again, and the time the work may take.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// 0 on a first delivery; Slack's `X-Slack-Retry-Num` (or Socket Mode's `retry_attempt`).
    pub retry_num: u32,
    pub retry_reason: Option<String>,
    pub arrived: Instant,
    /// How long after `arrived` the work may go on (`flows::delivery_window`).
    pub window: Duration,
}

impl Delivery {
    pub fn is_redelivery(&self) -> bool {
        self.retry_num > 0
    }
}

/// What Slack gets back, at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ack {
    /// 200, empty.
    Ok,
    /// 200 with the `url_verification` challenge.
    Challenge(String),
    /// 400: not an Events API payload; nothing done.
    Malformed,
}

/// The work a feature does with an event, after the acknowledgement.
pub type Work = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A feature that acts on events (mentions, unfurls, the Home tab).
pub trait EventFeature: Send + Sync + 'static {
    /// For the log line.
    fn name(&self) -> &'static str;
    /// For `AppState::event_feature`: the feature as its own type again.
    fn as_any(&self) -> &dyn Any;
    /// Whether it acts on `event`. Pure and quick: the acknowledgement waits for it.
    fn wants(&self, event: &Event) -> bool;
    /// The work, on the deferred path.
    fn handle(&self, state: AppState, callback: Arc<Callback>, delivery: Delivery) -> Work;
}

/// The registered features and the recent event ids. One per process, in `AppState`.
pub struct Events {
    features: Vec<Box<dyn EventFeature>>,
    recent: Recent,
}

impl Events {
    pub fn new(features: Vec<Box<dyn EventFeature>>) -> Self {
        Events {
            features,
            recent: Recent::new(RECENT),
        }
    }

    pub fn features(&self) -> &[Box<dyn EventFeature>] {
        &self.features
    }

    pub fn recent(&self) -> &Recent {
        &self.recent
    }
}

/// How many event ids are remembered: Slack's redeliveries come within about 5 minutes, and a
/// busy workspace sends a few events a second at most to this app.
const RECENT: usize = 2048;

/// Reads a delivery's raw body, acknowledges it, and starts its work. The one entry point for
/// HTTP and Socket Mode alike.
pub fn handle(state: &AppState, body: &[u8], delivery: Delivery) -> Ack {
    match events::parse(body) {
        Ok(envelope) => handle_envelope(state, envelope, delivery),
        Err(error) => {
            tracing::warn!(%error, "signed event with an unreadable body; nothing done");
            Ack::Malformed
        }
    }
}

/// [`handle`], for a payload already read.
pub fn handle_envelope(state: &AppState, envelope: Envelope, delivery: Delivery) -> Ack {
    match envelope {
        Envelope::UrlVerification { challenge } => {
            tracing::info!("Slack checked the events URL");
            Ack::Challenge(challenge)
        }
        Envelope::AppRateLimited {
            team_id,
            minute_rate_limited,
        } => {
            tracing::warn!(
                team = %blocks::clip(&team_id, 20),
                minute_rate_limited,
                "Slack is dropping this app's events for a minute (over 30,000 an hour)"
            );
            Ack::Ok
        }
        Envelope::Other { kind } => {
            tracing::info!(kind = %blocks::clip(&kind, 40), "event envelope ignored");
            Ack::Ok
        }
        Envelope::Callback(callback) => {
            start(state, callback, delivery);
            Ack::Ok
        }
    }
}

fn start(state: &AppState, callback: Box<Callback>, delivery: Delivery) {
    let kind = blocks::clip(callback.event.kind(), 40).into_owned();
    let event_id = blocks::clip(&callback.event_id, 40).into_owned();
    if !state.config().team_allowed(&callback.team_id) {
        tracing::info!(event = %kind, team = %blocks::clip(&callback.team_id, 20), "event from a workspace not allowed; ignored");
        return;
    }
    let events = state.events();
    let wanted: Vec<usize> = (events.features.iter().enumerate())
        .filter(|(_, f)| f.wants(&callback.event))
        .map(|(i, _)| i)
        .collect();
    if wanted.is_empty() {
        tracing::debug!(event = %kind, "event no feature takes");
        return;
    }
    if let Some(seen) = events.recent.claim(&callback.event_id) {
        tracing::info!(
            event = %kind,
            event_id = %event_id,
            retry_num = delivery.retry_num,
            retry_reason = %blocks::clip(delivery.retry_reason.as_deref().unwrap_or(""), 40),
            was = seen.as_str(),
            "a redelivery of an event this process has in hand; ignored"
        );
        return;
    }
    let callback: Arc<Callback> = Arc::from(callback);
    let worker = state.clone();
    state.deferred().spawn(async move {
        let closes = delivery.arrived + delivery.window;
        for i in wanted {
            let feature = &worker.events().features[i];
            let work = feature.handle(worker.clone(), callback.clone(), delivery.clone());
            if tokio::time::timeout_at(closes.into(), work).await.is_err() {
                tracing::warn!(event = %kind, event_id = %event_id, feature = feature.name(), "an event's work ran out of time");
            }
        }
        worker.events().recent.finish(&callback.event_id);
    });
}

/// What this process knows of a recent event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    InProgress,
    Done,
}

impl Seen {
    pub fn as_str(self) -> &'static str {
        match self {
            Seen::InProgress => "in_progress",
            Seen::Done => "done",
        }
    }
}

/// The last `capacity` event ids this process took, oldest forgotten first.
pub struct Recent {
    capacity: usize,
    inner: Mutex<RecentInner>,
}

#[derive(Default)]
struct RecentInner {
    seen: HashMap<String, Seen>,
    order: VecDeque<String>,
}

impl Recent {
    pub fn new(capacity: usize) -> Self {
        Recent {
            capacity: capacity.max(1),
            inner: Mutex::default(),
        }
    }

    /// Takes `event_id` as in progress; `Some` (what it was) when it was taken before.
    pub fn claim(&self, event_id: &str) -> Option<Seen> {
        let mut inner = self.inner.lock().expect("lock poisoned");
        if let Some(seen) = inner.seen.get(event_id) {
            return Some(*seen);
        }
        if inner.order.len() >= self.capacity
            && let Some(oldest) = inner.order.pop_front()
        {
            inner.seen.remove(&oldest);
        }
        inner.order.push_back(event_id.to_string());
        inner.seen.insert(event_id.to_string(), Seen::InProgress);
        None
    }

    /// Marks `event_id`'s work done.
    pub fn finish(&self, event_id: &str) {
        let mut inner = self.inner.lock().expect("lock poisoned");
        if let Some(seen) = inner.seen.get_mut(event_id) {
            *seen = Seen::Done;
        }
    }

    pub fn len(&self) -> usize {
        self.inner.lock().expect("lock poisoned").order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_taken_once_and_remembered_while_in_progress_and_after() {
        let recent = Recent::new(10);
        assert_eq!(recent.claim("Ev1"), None);
        assert_eq!(recent.claim("Ev1"), Some(Seen::InProgress));
        recent.finish("Ev1");
        assert_eq!(recent.claim("Ev1"), Some(Seen::Done));
        assert_eq!(recent.claim("Ev2"), None);
        assert_eq!(recent.len(), 2);
    }

    #[test]
    fn the_set_is_bounded_and_forgets_the_oldest() {
        let recent = Recent::new(3);
        for id in ["Ev1", "Ev2", "Ev3", "Ev4"] {
            assert_eq!(recent.claim(id), None);
        }
        assert_eq!(recent.len(), 3);
        assert_eq!(recent.claim("Ev4"), Some(Seen::InProgress));
        assert_eq!(recent.claim("Ev1"), None, "forgotten, taken again");
        assert_eq!(recent.len(), 3);
    }
}
