//! One envelope from Slack to the flow its HTTP twin goes through (`flows::slash`,
//! `flows::press`, `flows::event`), and its ack: a slash command's answer rides in the ack when Slack accepts
//! one (as the HTTP 200's body would), anything else is acked at once and answered through
//! `response_url`, as over HTTP.
//!
//! Each envelope is worked on once per process. Slack delivers one again when its ack did not
//! arrive (a connection lost mid-envelope, `retry_attempt` > 0), on this connection or another:
//! the redelivery gets the first delivery's ack again and runs nothing a second time.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};

use crate::flows::{event, press, slash};
use crate::slack::blocks;
use crate::slack::events;
use crate::slack::message::Message;
use crate::slack::response_url;
use crate::slack::socket_mode::{self, Envelope, Kind};
use crate::state::AppState;

/// How many envelopes are remembered, and for how long: Slack redelivers within minutes.
const REMEMBERED: usize = 1000;
const REMEMBERED_FOR: Duration = Duration::from_secs(30 * 60);

/// What an envelope's ack carries once its work says so; `None` while it works.
type Outcome = Option<Option<Message>>;

/// The envelopes this process has taken, across all its connections.
#[derive(Default)]
pub(super) struct Envelopes {
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    order: VecDeque<(Instant, String)>,
    acks: HashMap<String, watch::Receiver<Outcome>>,
}

enum Claim {
    First(watch::Sender<Outcome>),
    Again(watch::Receiver<Outcome>),
}

impl Envelopes {
    /// Works on `envelope` (read at `arrived`) and sends its ack to `acks` (the connection it
    /// came on) within Slack's 3 s.
    pub(super) async fn handle(
        &self,
        state: &AppState,
        envelope: Envelope,
        arrived: Instant,
        acks: mpsc::Sender<String>,
    ) {
        let id = envelope.envelope_id.clone();
        let ack = |payload: Option<&Message>| {
            let acks = acks.clone();
            let text = socket_mode::ack(&id, payload);
            async move {
                // A closed connection loses the ack: Slack delivers the envelope again.
                let _ = acks.send(text).await;
            }
        };
        let done = match self.claim(&id) {
            Claim::First(done) => done,
            Claim::Again(mut first) => {
                tracing::info!(
                    kind = envelope.kind.as_str(),
                    retry_attempt = envelope.retry_attempt,
                    retry_reason = %blocks::clip(&envelope.retry_reason, 40).escape_debug(),
                    "Socket Mode envelope delivered again: acked as the first time, nothing run twice"
                );
                let deadline = arrived + state.config().deadline;
                let waited =
                    tokio::time::timeout_at(deadline.into(), first.wait_for(Option::is_some));
                let payload = match waited.await {
                    Ok(Ok(outcome)) => outcome.clone().flatten(),
                    _ => None,
                };
                ack(payload.as_ref()).await;
                return;
            }
        };
        let window = response_url::LIFETIME;
        match envelope.kind {
            Kind::SlashCommands if envelope.accepts_response_payload => {
                let reply = match socket_mode::slash_command(&envelope.payload) {
                    Ok(command) => Some(slash::command(state, command, arrived, window).await),
                    Err(error) => {
                        tracing::warn!(%error, "a slash command envelope that cannot be read; nothing run");
                        None
                    }
                };
                done.send_replace(Some(reply.clone()));
                ack(reply.as_ref()).await;
            }
            Kind::SlashCommands => {
                // No answer in this ack: what the HTTP 200 would carry goes to response_url.
                done.send_replace(Some(None));
                ack(None).await;
                match socket_mode::slash_command(&envelope.payload) {
                    Ok(command) => {
                        let state = state.clone();
                        state.clone().deferred().spawn(async move {
                            let url = command.response_url.clone();
                            let reply = slash::command(&state, command, arrived, window).await;
                            respond(&state, &url, &reply, arrived, window).await;
                        });
                    }
                    Err(error) => {
                        tracing::warn!(%error, "a slash command envelope that cannot be read; nothing run");
                    }
                }
            }
            Kind::Interactive => {
                done.send_replace(Some(None));
                ack(None).await;
                match socket_mode::interaction(envelope.payload) {
                    Ok(interaction) => press::interaction(state, interaction, arrived, window),
                    Err(error) => {
                        tracing::warn!(%error, "an interactive envelope that cannot be read; nothing done");
                    }
                }
            }
            Kind::EventsApi => {
                done.send_replace(Some(None));
                ack(None).await;
                // The HTTP route's flow; the exactly-once rule is its (a redelivery on another
                // connection or to another process has the same `event_id`).
                let delivery = events::Delivery {
                    retry_num: envelope.retry_attempt,
                    retry_reason: Some(envelope.retry_reason.clone()).filter(|r| !r.is_empty()),
                    arrived,
                    window,
                };
                match events::read(envelope.payload) {
                    Ok(read) => {
                        event::handle_envelope(state, read, delivery);
                    }
                    Err(error) => {
                        tracing::warn!(%error, "an events_api envelope that cannot be read; nothing done");
                    }
                }
            }
        }
    }

    /// The first delivery of `id` works on it; any later one waits for its ack.
    fn claim(&self, id: &str) -> Claim {
        let mut seen = self.seen.lock().expect("lock poisoned");
        let now = Instant::now();
        while let Some((at, old)) = seen.order.front() {
            if seen.order.len() < REMEMBERED && now.duration_since(*at) < REMEMBERED_FOR {
                break;
            }
            let old = old.clone();
            seen.acks.remove(&old);
            seen.order.pop_front();
        }
        if let Some(first) = seen.acks.get(id) {
            return Claim::Again(first.clone());
        }
        let (done, first) = watch::channel(None);
        seen.acks.insert(id.to_string(), first);
        seen.order.push_back((now, id.to_string()));
        Claim::First(done)
    }
}

/// Posts `reply` to the command's `response_url`, when it is one the bot may post to.
async fn respond(state: &AppState, url: &str, reply: &Message, arrived: Instant, window: Duration) {
    let allowed = state.config().allow_response_url.as_deref();
    match response_url::check(url, allowed) {
        Ok(url) => {
            state.slack().respond(&url, reply, arrived, window).await;
        }
        Err(refusal) => tracing::warn!(
            reason = refusal.as_str(),
            "a slash command over Socket Mode with nowhere to answer"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_is_claimed_once_and_its_later_deliveries_wait_for_it() {
        let envelopes = Envelopes::default();
        let Claim::First(done) = envelopes.claim("e-1") else {
            panic!("the first delivery works")
        };
        let Claim::Again(first) = envelopes.claim("e-1") else {
            panic!("a redelivery waits")
        };
        assert!(first.borrow().is_none());
        done.send_replace(Some(Some(Message::plain("3 members"))));
        assert!(first.borrow().clone().flatten().is_some());
        assert!(matches!(envelopes.claim("e-2"), Claim::First(_)));
    }

    #[test]
    fn only_the_latest_envelopes_are_remembered() {
        let envelopes = Envelopes::default();
        for i in 0..REMEMBERED + 5 {
            let _ = envelopes.claim(&format!("e-{i}"));
        }
        let seen = envelopes.seen.lock().unwrap();
        assert_eq!(seen.order.len(), REMEMBERED);
        assert_eq!(seen.acks.len(), REMEMBERED);
        assert!(!seen.acks.contains_key("e-0"));
    }
}
