//! Socket Mode (`SLACK_APP_TOKEN`): Slack's commands, presses and events over a WebSocket the
//! bot opens, instead of HTTP requests to a public URL. For trying the bot from a laptop and for
//! hosts Slack cannot reach; production on Lambda stays HTTP (a Lambda cannot hold a socket).
//!
//! - [`run`] (here): the supervisor. One connection serves; when Slack announces it will close
//!   one (`disconnect`), its replacement opens at once and the old one is closed a moment after
//!   the new one says `hello`, so no envelope is dropped; a lost connection is replaced after a
//!   backoff with jitter ([`backoff`]); never more than two at once.
//! - [`connection`]: one WebSocket — open, hello, frames, pings, acks.
//! - [`envelopes`]: one envelope to the same flow as its HTTP twin, and its ack.
//!
//! The log says connected, disconnecting and reconnecting, with the connection's host: never a
//! token or the connection URL (it carries a ticket).

mod backoff;
mod connection;
mod envelopes;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use service_kit::Secret;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use backoff::Backoff;
use connection::{Connection, Event};
use envelopes::Envelopes;

use crate::state::AppState;

/// Slack allows 10 per app; two are enough to hand over from one to the next.
const MAX_CONNECTIONS: usize = 2;
/// How long an old connection stays open once its replacement said hello: its acks in flight
/// go out (an envelope is acked within 3 s).
const DRAIN: Duration = Duration::from_secs(3);

struct Live {
    close_at: watch::Sender<Option<Instant>>,
    ready: bool,
    /// Slack said it will close it.
    leaving: bool,
    task: JoinHandle<()>,
}

/// Keeps a Socket Mode connection open with `token` until `stop` completes, then closes them.
pub async fn run(state: AppState, token: Secret, stop: impl Future<Output = ()>) {
    let ping_every = state.config().socket_ping;
    let envelopes = Arc::new(Envelopes::default());
    let (events_tx, mut events) = mpsc::channel(16);
    let mut live: BTreeMap<u64, Live> = BTreeMap::new();
    let mut next_id = 0u64;
    // Attempts in a row that never reached hello.
    let mut failures = 0u32;
    let mut open_at = Some(Instant::now());
    let far = Instant::now() + Duration::from_secs(365 * 24 * 3600);
    tokio::pin!(stop);
    loop {
        let can_open = open_at.is_some() && live.len() < MAX_CONNECTIONS;
        tokio::select! {
            () = &mut stop => break,
            _ = tokio::time::sleep_until(open_at.unwrap_or(far).into()), if can_open => {
                open_at = None;
                next_id += 1;
                let (close_at, closing) = watch::channel(None);
                let connection = Connection {
                    id: next_id,
                    state: state.clone(),
                    envelopes: envelopes.clone(),
                    ping_every,
                    events: events_tx.clone(),
                    close_at: closing,
                };
                let task = tokio::spawn(connection.run(token.clone()));
                live.insert(next_id, Live { close_at, ready: false, leaving: false, task });
            }
            Some(event) = events.recv() => match event {
                Event::Ready { id, host, num_connections } => {
                    failures = 0;
                    if let Some(connection) = live.get_mut(&id) {
                        connection.ready = true;
                    }
                    tracing::info!(connection = id, %host, num_connections, "Socket Mode connected");
                    // Its predecessors finish their acks, then close.
                    for old in live.values().filter(|c| c.leaving) {
                        old.close_at.send_replace(Some(Instant::now() + DRAIN));
                    }
                }
                Event::Disconnect { id, reason } => {
                    let reason = reason.escape_debug().to_string();
                    tracing::info!(connection = id, %reason, "Slack will close a Socket Mode connection; opening its replacement");
                    if let Some(connection) = live.get_mut(&id) {
                        connection.leaving = true;
                    }
                    if !serving(&live) && open_at.is_none() {
                        open_at = Some(Instant::now());
                    }
                }
                Event::Closed { id, ready, why } => {
                    let Some(closed) = live.remove(&id) else { continue };
                    if !ready {
                        failures = failures.saturating_add(1);
                    }
                    if serving(&live) {
                        tracing::info!(connection = id, "Socket Mode connection closed; another one serves");
                        continue;
                    }
                    let wait = if closed.leaving && ready {
                        Duration::ZERO
                    } else {
                        Backoff::DEFAULT.wait(failures, backoff::draw())
                    };
                    let at = Instant::now() + wait;
                    open_at = Some(open_at.map_or(at, |planned| planned.min(at)));
                    tracing::warn!(
                        connection = id,
                        why = %why.escape_debug(),
                        failures,
                        wait_ms = wait.as_millis() as u64,
                        "Socket Mode connection lost; reconnecting"
                    );
                }
            },
        }
    }
    let now = Instant::now();
    for connection in live.values() {
        connection.close_at.send_replace(Some(now));
    }
    for (_, connection) in live {
        let _ = tokio::time::timeout(DRAIN, connection.task).await;
    }
    tracing::info!("Socket Mode stopped");
}

/// Whether a connection is up or coming up that Slack has not announced it will close.
fn serving(live: &BTreeMap<u64, Live>) -> bool {
    live.values().any(|c| !c.leaving)
}
