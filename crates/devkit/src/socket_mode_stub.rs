//! A stand-in for Slack's side of Socket Mode on 127.0.0.1: `apps.connections.open` (checks the
//! app-level token, answers a `ws://` URL with a one-time ticket) and the WebSocket it names,
//! speaking the frames Slack documents — `hello` (`num_connections`, `debug_info`,
//! `connection_info.app_id`), envelopes of each type (`slash_commands`, `interactive`,
//! `events_api`), `disconnect` before it closes a connection — and recording each ack by its
//! `envelope_id`. It can drop a connection mid-envelope and deliver that envelope again on the
//! next one (`retry_attempt`, `retry_reason`), as Slack does. Used by the tests; never by the
//! service. Point the bot at it with `SLACK_API_URL` set to [`SocketModeStub::api_url`] and
//! `SLACK_APP_TOKEN` to [`SocketModeStub::app_token`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

mod link;
mod shared;

use link::accept;
pub use shared::{APP_ID, Ack};
use shared::{Command, Sent, Shared, again, random_hex, send_newest};

/// What an envelope carries, as its `type` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SlashCommands,
    Interactive,
    EventsApi,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::SlashCommands => "slash_commands",
            Kind::Interactive => "interactive",
            Kind::EventsApi => "events_api",
        }
    }
}

/// A running stand-in. Stops when dropped.
pub struct SocketModeStub {
    api_addr: SocketAddr,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl SocketModeStub {
    pub async fn start() -> std::io::Result<Self> {
        let ws = TcpListener::bind("127.0.0.1:0").await?;
        let http = TcpListener::bind("127.0.0.1:0").await?;
        let (changes, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            app_token: format!("xapp-1-{APP_ID}-1234567890-{}", random_hex()),
            changes,
            ..Shared::default()
        });
        *shared.ws_addr.lock().expect("lock poisoned") = Some(ws.local_addr()?);
        let api_addr = http.local_addr()?;
        let app = Self::routes_for(shared.clone());
        let tasks = vec![
            tokio::spawn(accept(ws, shared.clone())),
            tokio::spawn(async move {
                if let Err(error) = axum::serve(http, app).await {
                    tracing::error!(%error, "Socket Mode stand-in stopped");
                }
            }),
        ];
        Ok(SocketModeStub {
            api_addr,
            shared,
            tasks,
        })
    }

    /// `POST /api/apps.connections.open`, to serve beside another Web API stand-in.
    pub fn routes(&self) -> Router {
        Self::routes_for(self.shared.clone())
    }

    fn routes_for(shared: Arc<Shared>) -> Router {
        Router::new()
            .route("/api/apps.connections.open", post(open))
            .with_state(shared)
    }

    /// The Web API base answering `apps.connections.open`, for `SLACK_API_URL`.
    pub fn api_url(&self) -> String {
        format!("http://{}/api", self.api_addr)
    }

    /// The app-level token it accepts (`xapp-…`), for `SLACK_APP_TOKEN`.
    pub fn app_token(&self) -> &str {
        &self.shared.app_token
    }

    /// Every connection URL handed out (each carries its ticket).
    pub fn issued_urls(&self) -> Vec<String> {
        self.shared.issued.lock().expect("lock poisoned").clone()
    }

    /// Connections that said hello so far.
    pub fn hellos(&self) -> u64 {
        self.shared.hellos.load(Ordering::SeqCst)
    }

    /// Connections open now.
    pub fn open_connections(&self) -> usize {
        self.shared.links.lock().expect("lock poisoned").len()
    }

    /// The most connections that were open at once.
    pub fn peak_connections(&self) -> u64 {
        self.shared.peak.load(Ordering::SeqCst)
    }

    /// Every ack so far.
    pub fn acks(&self) -> Vec<Ack> {
        self.shared.acks.lock().expect("lock poisoned").clone()
    }

    /// Sends a fresh envelope on the newest connection Slack has not announced it will close;
    /// returns its `envelope_id`, or `None` when no connection is open.
    pub fn deliver(
        &self,
        kind: Kind,
        payload: Value,
        accepts_response_payload: bool,
    ) -> Option<String> {
        let (id, frame) = self.envelope(kind, payload, accepts_response_payload);
        send_newest(&self.shared, frame).then_some(id)
    }

    /// A fresh envelope, remembered as sent: its id and its frame.
    fn envelope(
        &self,
        kind: Kind,
        payload: Value,
        accepts_response_payload: bool,
    ) -> (String, String) {
        let n = self.shared.ids.fetch_add(1, Ordering::SeqCst) + 1;
        let id = format!("{n:08x}-4d35-4d0b-b6aa-{}", &random_hex()[..12]);
        let frame = json!({
            "envelope_id": id,
            "type": kind.as_str(),
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
            "retry_attempt": 0,
            "retry_reason": "",
        });
        self.shared.sent.lock().expect("lock poisoned").push(Sent {
            frame: frame.clone(),
            at: Instant::now(),
            acked: false,
        });
        (id, frame.to_string())
    }

    /// Sends envelope `id` again, as Slack retries one (`retry_attempt` one more, `retry_reason`
    /// `timeout`), on the newest connection.
    pub fn redeliver(&self, id: &str) -> bool {
        match again(&self.shared, id) {
            Some(frame) => send_newest(&self.shared, frame),
            None => false,
        }
    }

    /// Sends a fresh envelope, reads nothing more (its ack is lost) and drops the connection a
    /// moment later; the envelope goes again on the next connection that says hello.
    pub fn deliver_then_drop(&self, kind: Kind, payload: Value, accepts: bool) -> Option<String> {
        let (id, frame) = self.envelope(kind, payload, accepts);
        self.shared
            .redeliver
            .lock()
            .expect("lock poisoned")
            .push(id.clone());
        let links = self.shared.links.lock().expect("lock poisoned");
        let link = links.iter().rev().find(|l| !l.leaving)?;
        link.commands.send(Command::SendThenDrop(frame)).ok()?;
        Some(id)
    }

    /// `disconnect` with `reason` (`refresh_requested`, `warning`) on every open connection,
    /// then closes them after `grace` (Slack: about 10 s).
    pub fn disconnect_all(&self, reason: &str, grace: Duration) {
        let frame = json!({
            "type": "disconnect",
            "reason": reason,
            "debug_info": { "host": "applink-stand-in" },
        })
        .to_string();
        let mut links = self.shared.links.lock().expect("lock poisoned");
        for link in links.iter_mut().filter(|l| !l.leaving) {
            link.leaving = true;
            let _ = link.commands.send(Command::Send(frame.clone()));
            let commands = link.commands.clone();
            tokio::spawn(async move {
                tokio::time::sleep(grace).await;
                let _ = commands.send(Command::Close);
            });
        }
    }

    /// The newest connection stops reading and answering (no pongs): a link gone silent.
    pub fn go_silent(&self) {
        self.command_newest(|| Command::Silent);
    }

    fn command_newest(&self, command: impl Fn() -> Command) {
        let links = self.shared.links.lock().expect("lock poisoned");
        if let Some(link) = links.iter().rev().find(|l| !l.leaving) {
            let _ = link.commands.send(command());
        }
    }

    /// Waits up to `timeout` for the ack of `envelope_id` (the last one, if it came again).
    pub async fn ack_of(&self, envelope_id: &str, timeout: Duration) -> Option<Ack> {
        let find = || {
            self.acks()
                .into_iter()
                .rev()
                .find(|a| a.envelope_id == envelope_id)
        };
        self.wait(timeout, || find().is_some()).await;
        find()
    }

    /// Waits up to `timeout` until `until` holds (checked on every change).
    pub async fn wait(&self, timeout: Duration, until: impl Fn() -> bool) -> bool {
        let mut changes = self.shared.changes.subscribe();
        tokio::time::timeout(timeout, async {
            while !until() {
                if changes.changed().await.is_err() {
                    return;
                }
            }
        })
        .await
        .is_ok()
            && until()
    }
}

impl Drop for SocketModeStub {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        for link in self.shared.links.lock().expect("lock poisoned").iter() {
            let _ = link.commands.send(Command::Drop);
        }
    }
}

/// `apps.connections.open`: an app-level token gets a one-time URL; others are refused as
/// Slack refuses them.
async fn open(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let answer = if token == shared.app_token {
        let ticket = format!("{}-{}", random_hex(), random_hex());
        let addr = shared
            .ws_addr
            .lock()
            .expect("lock poisoned")
            .expect("bound");
        let url = format!("ws://{addr}/link/?ticket={ticket}&app_id={APP_ID}");
        shared.tickets.lock().expect("lock poisoned").insert(ticket);
        shared
            .issued
            .lock()
            .expect("lock poisoned")
            .push(url.clone());
        json!({ "ok": true, "url": url })
    } else if token.starts_with("xoxb-") || token.starts_with("xoxp-") {
        json!({ "ok": false, "error": "not_allowed_token_type" })
    } else if token.is_empty() {
        json!({ "ok": false, "error": "not_authed" })
    } else {
        json!({ "ok": false, "error": "invalid_auth" })
    };
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        answer.to_string(),
    )
        .into_response()
}
