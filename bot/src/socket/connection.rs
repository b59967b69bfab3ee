//! One Socket Mode connection: open a URL (`apps.connections.open`), connect, wait for `hello`,
//! then read frames — each envelope on a task of its own, its ack written back here — ping
//! Slack to notice a dead link, and tell the supervisor (`socket::run`) what happens to it.
//!
//! The URL carries a ticket, a secret: only its host is ever logged.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, watch};
use tokio_websockets::{ClientBuilder, Limits, Message};

use super::envelopes::Envelopes;
use crate::slack::socket_mode::{self, Frame};
use crate::state::AppState;

/// Slack says `hello` at once; a connection silent for this long after opening is no good.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// Slack's frames are a few KB; anything near this is not Slack.
const MAX_FRAME: usize = 1024 * 1024;

/// What happened to a connection, for the supervisor.
#[derive(Debug)]
pub(super) enum Event {
    /// `hello`: envelopes may come.
    Ready {
        id: u64,
        host: String,
        num_connections: u32,
    },
    /// `disconnect`: Slack will close it soon; its replacement should open now.
    Disconnect { id: u64, reason: String },
    /// It is gone (or never came up: `ready` false); `why` in plain words.
    Closed { id: u64, ready: bool, why: String },
}

/// What one connection needs.
pub(super) struct Connection {
    pub id: u64,
    pub state: AppState,
    pub envelopes: Arc<Envelopes>,
    /// A ping this often; nothing heard for two of them and the connection is dead.
    pub ping_every: Duration,
    pub events: mpsc::Sender<Event>,
    /// When set, close the connection at that time (a replacement is up, or the bot stops).
    pub close_at: watch::Receiver<Option<Instant>>,
}

impl Connection {
    /// Runs until the connection is gone, then says why.
    pub(super) async fn run(mut self, token: service_kit::Secret) {
        let id = self.id;
        let events = self.events.clone();
        let (ready, why) = match self.open_and_serve(&token).await {
            Ok(()) => (true, "closed".to_string()),
            Err((ready, why)) => (ready, why),
        };
        let _ = events.send(Event::Closed { id, ready, why }).await;
    }

    /// `Ok` when closed as asked; else whether it had said hello, and why it ended.
    async fn open_and_serve(&mut self, token: &service_kit::Secret) -> Result<(), (bool, String)> {
        let url = self
            .state
            .slack()
            .open_connection(token)
            .await
            .map_err(|error| (false, error.to_string()))?;
        let host = url.host_str().unwrap_or_default().to_string();
        let limits = Limits::default().max_payload_len(Some(MAX_FRAME));
        let builder = ClientBuilder::new()
            .uri(url.as_str())
            .map_err(|_| (false, format!("an unusable Socket Mode URL for {host}")))?
            .limits(limits);
        let connected = tokio::time::timeout(HELLO_TIMEOUT, builder.connect()).await;
        let mut socket = match connected {
            Ok(Ok((socket, _))) => socket,
            Ok(Err(error)) => return Err((false, format!("connecting to {host}: {error}"))),
            Err(_) => return Err((false, format!("connecting to {host}: timed out"))),
        };

        let (acks, mut to_send) = mpsc::channel::<String>(64);
        let mut ping = tokio::time::interval(self.ping_every);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut heard = Instant::now();
        let opened = Instant::now();
        let mut ready = false;
        let far = Instant::now() + Duration::from_secs(365 * 24 * 3600);
        loop {
            let close_at = self.close_at.borrow().unwrap_or(far);
            tokio::select! {
                frame = socket.next() => {
                    let message = match frame {
                        None => return Err((ready, "Slack closed the connection".into())),
                        Some(Err(error)) => return Err((ready, format!("reading: {error}"))),
                        Some(Ok(message)) => message,
                    };
                    heard = Instant::now();
                    if let Some((code, reason)) = message.as_close() {
                        let reason = reason.escape_debug().to_string();
                        return Err((ready, format!("Slack closed the connection ({}, {reason})", u16::from(code))));
                    }
                    let Some(text) = message.as_text() else {
                        continue;
                    };
                    match socket_mode::parse(text) {
                        Ok(Frame::Hello(hello)) => {
                            ready = true;
                            let _ = self.events.send(Event::Ready {
                                id: self.id,
                                host: host.clone(),
                                num_connections: hello.num_connections,
                            }).await;
                        }
                        Ok(Frame::Disconnect { reason }) => {
                            let _ = self.events.send(Event::Disconnect { id: self.id, reason }).await;
                        }
                        Ok(Frame::Envelope(envelope)) => {
                            let (state, envelopes, acks) =
                                (self.state.clone(), self.envelopes.clone(), acks.clone());
                            tokio::spawn(async move {
                                envelopes.handle(&state, envelope, heard, acks).await;
                            });
                        }
                        Ok(Frame::Other { kind }) => {
                            tracing::debug!(kind = %kind.escape_debug(), "Socket Mode frame ignored");
                        }
                        Err(error) => tracing::warn!(%error, "a Socket Mode frame ignored"),
                    }
                }
                Some(ack) = to_send.recv() => {
                    if let Err(error) = socket.send(Message::text(ack)).await {
                        return Err((ready, format!("sending an ack: {error}")));
                    }
                }
                _ = ping.tick() => {
                    if !ready && opened.elapsed() > HELLO_TIMEOUT {
                        return Err((false, "no hello from Slack".into()));
                    }
                    if heard.elapsed() > self.ping_every * 2 {
                        return Err((ready, "silent: no answer to pings".into()));
                    }
                    if let Err(error) = socket.send(Message::ping("statsbot")).await {
                        return Err((ready, format!("sending a ping: {error}")));
                    }
                }
                _ = tokio::time::sleep_until(close_at.into()) => {
                    let _ = socket.close().await;
                    return Ok(());
                }
                changed = self.close_at.changed() => {
                    // The supervisor is gone: nobody would reopen a connection.
                    if changed.is_err() {
                        let _ = socket.close().await;
                        return Ok(());
                    }
                }
            }
        }
    }
}
