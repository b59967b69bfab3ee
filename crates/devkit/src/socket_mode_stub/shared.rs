//! What the stand-in's API and its connections share: the tickets, the open links, the
//! envelopes sent and the acks received, and how an envelope is sent (again).

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

/// The app the stand-in is (its token: `SocketModeStub::app_token`).
pub const APP_ID: &str = "A0123ABCD";

/// One ack the bot sent.
#[derive(Debug, Clone)]
pub struct Ack {
    pub envelope_id: String,
    /// The answer it carried, if any.
    pub payload: Option<Value>,
    /// The connection it came on (1 for the first opened).
    pub connection: u64,
    /// How long after the envelope was sent (on any connection) it came.
    pub after: Duration,
    /// Whether the stand-in had sent an envelope with that id.
    pub known: bool,
}

pub(super) enum Command {
    Send(String),
    /// Close as Slack does after a `disconnect`: a close frame, then gone.
    Close,
    /// Gone at once, without a close frame (a lost link).
    Drop,
    /// Send this envelope, read nothing more (its ack is lost), drop the link a moment later.
    SendThenDrop(String),
    /// Stop reading (no pongs, no acks) until dropped: a link gone silent.
    Silent,
}

pub(super) struct Link {
    pub(super) id: u64,
    pub(super) commands: mpsc::UnboundedSender<Command>,
    /// Said `disconnect` to it.
    pub(super) leaving: bool,
}

pub(super) struct Sent {
    pub(super) frame: Value,
    pub(super) at: Instant,
    pub(super) acked: bool,
}

#[derive(Default)]
pub(super) struct Shared {
    pub(super) app_token: String,
    pub(super) ws_addr: Mutex<Option<SocketAddr>>,
    pub(super) tickets: Mutex<HashSet<String>>,
    pub(super) issued: Mutex<Vec<String>>,
    pub(super) links: Mutex<Vec<Link>>,
    pub(super) sent: Mutex<Vec<Sent>>,
    pub(super) acks: Mutex<Vec<Ack>>,
    /// Envelopes to deliver again on the next connection (theirs was dropped before the ack).
    pub(super) redeliver: Mutex<Vec<String>>,
    pub(super) opened: AtomicU64,
    /// The most connections open at once so far.
    pub(super) peak: AtomicU64,
    pub(super) hellos: AtomicU64,
    pub(super) ids: AtomicU64,
    pub(super) changes: watch::Sender<u64>,
}

impl Shared {
    pub(super) fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }
}

/// Envelope `id` as Slack sends it again, counted as a retry; `None` when none was sent.
pub(super) fn again(shared: &Shared, id: &str) -> Option<String> {
    let mut sent = shared.sent.lock().expect("lock poisoned");
    let envelope = sent.iter_mut().find(|s| s.frame["envelope_id"] == id)?;
    let attempt = envelope.frame["retry_attempt"].as_u64().unwrap_or(0) + 1;
    envelope.frame["retry_attempt"] = json!(attempt);
    envelope.frame["retry_reason"] = json!("timeout");
    Some(envelope.frame.to_string())
}

pub(super) fn record_ack(shared: &Shared, connection: u64, text: &str) {
    let Ok(ack) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let Some(envelope_id) = ack["envelope_id"].as_str() else {
        return;
    };
    let (known, after) = {
        let mut sent = shared.sent.lock().expect("lock poisoned");
        match sent
            .iter_mut()
            .find(|s| s.frame["envelope_id"] == envelope_id)
        {
            Some(envelope) => {
                envelope.acked = true;
                (true, envelope.at.elapsed())
            }
            None => (false, Duration::ZERO),
        }
    };
    shared.acks.lock().expect("lock poisoned").push(Ack {
        envelope_id: envelope_id.to_string(),
        payload: ack.get("payload").filter(|p| !p.is_null()).cloned(),
        connection,
        after,
        known,
    });
    shared.changed();
}

/// Sends `frame` on the newest connection not leaving; false when there is none.
pub(super) fn send_newest(shared: &Shared, frame: String) -> bool {
    let links = shared.links.lock().expect("lock poisoned");
    links
        .iter()
        .rev()
        .find(|l| !l.leaving)
        .is_some_and(|link| link.commands.send(Command::Send(frame)).is_ok())
}

/// 16 hex digits, different each call (std's random hasher keys): tickets and tokens.
pub(super) fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    format!("{bits:016x}")
}
