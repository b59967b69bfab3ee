//! An Events API delivery (`POST /slack/events`, or a Socket Mode `events_api` envelope):
//! acknowledged at once, worked on after (the deferred path: after the response locally, inside
//! the same invocation on Lambda). No feature is named here: each registers an
//! `registry::EventHandler` that says which events it takes and does the work.
//!
//! Slack redelivers an event it thinks was missed, to any instance. The in-process set of recent
//! `event_id`s (`recent_events`) drops the redeliveries this process has in hand or has done (a
//! quick retry while the first is still working included); a feature that posts checks Slack
//! itself for a redelivery that reached a fresh process (its reply carries the `event_id`).

use std::sync::Arc;

use crate::slack::blocks;
use crate::slack::events::{self, Callback, Delivery, Envelope};
use crate::state::AppState;

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
        let team = blocks::clip(&callback.team_id, 20);
        tracing::info!(event = %kind, team = %team, "event from a workspace not allowed; ignored");
        return;
    }
    let handlers: Vec<_> = (state.events().iter())
        .filter(|h| h.wants(&callback.event))
        .cloned()
        .collect();
    if handlers.is_empty() {
        tracing::debug!(event = %kind, "event no feature takes");
        return;
    }
    if let Some(seen) = state.recent_events().claim(&callback.event_id) {
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
        for handler in handlers {
            let work = handler.handle(worker.services(), &callback, &delivery);
            if tokio::time::timeout_at(closes.into(), work).await.is_err() {
                let feature = handler.name();
                tracing::warn!(event = %kind, event_id = %event_id, feature, "an event's work ran out of time");
            }
        }
        worker.recent_events().finish(&callback.event_id);
    });
}
