//! A stand-in for Slack's Web API on 127.0.0.1: `chat.postMessage` records what the bot posts
//! (and can answer as Slack does when things go wrong), `chat.update` changes a message the bot
//! posted (its text, blocks and metadata; another's: `cant_update_message`),
//! `conversations.history` returns the messages as they are now, metadata and authors included,
//! paged as Slack pages (`slack_channel`), `auth.test` says who the bot is (or fails as told).
//! Tests seed what else a busy channel holds: other apps' and members' messages. Used by the
//! tests and the dev stack (which prints each digest and alert posted, updated or replied to in
//! its thread); never by the service itself. The Events API features' calls (a thread's
//! replies, private messages, unfurls, Home tabs) are in `events`. Point the bot at it with
//! `SLACK_API_URL` set to [`SlackApiStub::url`].

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

mod events;

use crate::slack_channel::{Channels, Identity};

/// How the stand-in answers one `chat.postMessage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// HTTP 200, `"ok": true`: posted.
    Ok,
    /// HTTP 200, `"ok": false` with this `error` (`not_in_channel`, `invalid_auth`, …).
    SlackError(String),
    /// HTTP 429 with `Retry-After` in seconds.
    RateLimited(u64),
    /// Another HTTP status, no body.
    Status(u16),
}

/// One `chat.postMessage` the stand-in got.
#[derive(Debug, Clone)]
pub struct Post {
    pub at: Instant,
    /// The `Authorization` header as sent.
    pub authorization: String,
    /// The JSON body (a string value when it was not JSON).
    pub body: Value,
    pub answer: Answer,
    /// The message's `ts`, when the stand-in took it.
    pub ts: Option<String>,
}

/// What changed in the channel, for [`SlackApiStub::printing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Posted,
    Updated,
    RepliedInThread,
    /// `chat.postEphemeral`: one person saw it.
    Ephemeral,
    /// `chat.unfurl`: links previewed.
    Unfurled,
    /// `views.publish`: someone's Home tab.
    Published,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Posted => "posted",
            Change::Updated => "updated",
            Change::RepliedInThread => "replied in thread",
            Change::Ephemeral => "shown privately",
            Change::Unfurled => "unfurled",
            Change::Published => "published",
        }
    }
}

type OnPost = Box<dyn Fn(Change, &Value) + Send + Sync>;

struct Shared {
    /// Answers for the next posts, first post first; `Ok` once they run out.
    script: Mutex<VecDeque<Answer>>,
    /// When set, `conversations.history` answers `"ok": false` with this error.
    history_error: Mutex<Option<String>>,
    posts: Mutex<Vec<Post>>,
    /// `chat.update` calls, taken or not; `body["ts"]` names the message.
    updates: Mutex<Vec<Post>>,
    history_calls: Mutex<usize>,
    count: watch::Sender<usize>,
    on_post: Option<OnPost>,
    /// Every channel's messages: the bot's and those seeded.
    channels: Mutex<Channels>,
    /// Who `auth.test` says the bot is.
    identity: Identity,
    /// When set, `auth.test` answers `"ok": false` with this error.
    auth_error: Mutex<Option<String>>,
    auth_calls: Mutex<usize>,
}

/// A running stand-in. Stops when dropped.
pub struct SlackApiStub {
    addr: SocketAddr,
    shared: Arc<Shared>,
    recorded: Arc<events::Recorded>,
    count: watch::Receiver<usize>,
    task: JoinHandle<()>,
}

impl SlackApiStub {
    /// A stand-in that takes every post.
    pub async fn start() -> std::io::Result<Self> {
        Self::build(Vec::new(), None, None).await
    }

    /// A stand-in that takes every post and also serves `extra` (another stand-in's routes,
    /// e.g. Socket Mode's `apps.connections.open`) on the same Web API base.
    pub async fn beside(extra: Router) -> std::io::Result<Self> {
        Self::build(Vec::new(), None, Some(extra)).await
    }

    /// A stand-in that answers its first posts with `answers`, then takes them.
    pub async fn answering(answers: Vec<Answer>) -> std::io::Result<Self> {
        Self::build(answers, None, None).await
    }

    /// A stand-in that calls `on_post` with each change it takes: a post, an update (the body
    /// as sent, with the message's `ts`), a reply in a thread (the dev stack prints them).
    pub async fn printing(
        on_post: impl Fn(Change, &Value) + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        Self::build(Vec::new(), Some(Box::new(on_post)), None).await
    }

    async fn build(
        answers: Vec<Answer>,
        on_post: Option<OnPost>,
        extra: Option<Router>,
    ) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (sender, count) = watch::channel(0);
        let shared = Arc::new(Shared {
            script: Mutex::new(answers.into()),
            history_error: Mutex::default(),
            posts: Mutex::default(),
            updates: Mutex::default(),
            history_calls: Mutex::default(),
            count: sender,
            on_post,
            channels: Mutex::default(),
            identity: Identity::default(),
            auth_error: Mutex::default(),
            auth_calls: Mutex::default(),
        });
        let app = Router::new()
            .route("/api/chat.postMessage", post(post_message))
            .route("/api/chat.update", post(update))
            .route("/api/conversations.history", get(history))
            .route("/api/auth.test", post(auth_test).get(auth_test))
            .with_state(shared.clone());
        let recorded = Arc::new(events::Recorded::default());
        let mut app = app.merge(events::routes(shared.clone(), recorded.clone()));
        if let Some(extra) = extra {
            app = app.merge(extra);
        }
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "Slack Web API stand-in stopped");
            }
        });
        Ok(SlackApiStub {
            addr,
            shared,
            recorded,
            count,
            task,
        })
    }

    /// The Web API base URL, for `SLACK_API_URL`.
    pub fn url(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    /// From now on, `conversations.history` fails with `error` (e.g. `not_in_channel`).
    pub fn fail_history(&self, error: &str) {
        *self.shared.history_error.lock().expect("lock poisoned") = Some(error.into());
    }

    /// Who `auth.test` says the bot is; its posts carry these IDs.
    pub fn identity(&self) -> &Identity {
        &self.shared.identity
    }

    /// From now on, `auth.test` fails with `error` (e.g. `invalid_auth`).
    pub fn fail_auth(&self, error: &str) {
        *self.shared.auth_error.lock().expect("lock poisoned") = Some(error.into());
    }

    pub fn auth_calls(&self) -> usize {
        *self.shared.auth_calls.lock().expect("lock poisoned")
    }

    /// A message someone else posted in `channel` (`slack_channel::other_app`, `member`,
    /// `chatter`); returns its `ts`. It is not a post of the bot's: `posts()` leaves it out.
    pub fn seed(&self, channel: &str, message: Value) -> String {
        self.shared
            .channels
            .lock()
            .expect("lock poisoned")
            .seed(channel, message)
    }

    /// The message with `ts` in `channel` as it is now (as history shows it).
    pub fn message(&self, channel: &str, ts: &str) -> Option<Value> {
        let channels = self.shared.channels.lock().expect("lock poisoned");
        channels
            .all()
            .iter()
            .find(|m| m.channel == channel && m.ts == ts)
            .map(|m| m.message.clone())
    }

    /// Answers for the next posts.
    pub fn script(&self, answers: Vec<Answer>) {
        self.shared
            .script
            .lock()
            .expect("lock poisoned")
            .extend(answers);
    }

    /// Every post so far, taken or not.
    pub fn posts(&self) -> Vec<Post> {
        self.shared.posts.lock().expect("lock poisoned").clone()
    }

    /// The posts it took: what Slack would show.
    pub fn taken(&self) -> Vec<Post> {
        self.posts()
            .into_iter()
            .filter(|p| p.answer == Answer::Ok)
            .collect()
    }

    /// Every `chat.update` so far, taken or not.
    pub fn updates(&self) -> Vec<Post> {
        self.shared.updates.lock().expect("lock poisoned").clone()
    }

    pub fn history_calls(&self) -> usize {
        *self.shared.history_calls.lock().expect("lock poisoned")
    }

    /// Waits up to `timeout` until `n` posts (taken or not) have arrived.
    pub async fn wait_for_posts(&self, n: usize, timeout: Duration) -> bool {
        let mut count = self.count.clone();
        tokio::time::timeout(timeout, count.wait_for(|c| *c >= n))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

impl Drop for SlackApiStub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn post_message(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // When it arrived, before any work here: what the bot's pace controls.
    let at = Instant::now();
    let answer = shared
        .script
        .lock()
        .expect("lock poisoned")
        .pop_front()
        .unwrap_or(Answer::Ok);
    let body: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if answer == Answer::Ok
        && let Some(on_post) = &shared.on_post
    {
        let change = if body.get("thread_ts").is_some_and(|t| !t.is_null()) {
            Change::RepliedInThread
        } else {
            Change::Posted
        };
        on_post(change, &body);
    }
    let ts = (answer == Answer::Ok).then(|| {
        shared
            .channels
            .lock()
            .expect("lock poisoned")
            .post(&shared.identity, &body)
    });
    let count = {
        let mut posts = shared.posts.lock().expect("lock poisoned");
        posts.push(Post {
            at,
            authorization,
            body: body.clone(),
            answer: answer.clone(),
            ts: ts.clone(),
        });
        posts.len()
    };
    shared.count.send_replace(count);
    match answer {
        Answer::Ok => Json(json!({
            "ok": true,
            "channel": body["channel"],
            "ts": ts,
            "message": { "text": body["text"], "metadata": body["metadata"],
                         "bot_id": shared.identity.bot_id, "app_id": shared.identity.app_id }
        })),
        Answer::SlackError(error) => Json(json!({ "ok": false, "error": error })),
        Answer::RateLimited(seconds) => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, seconds.to_string())],
            )
                .into_response();
        }
        Answer::Status(status) => {
            return StatusCode::from_u16(status)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                .into_response();
        }
    }
    .into_response()
}

/// `chat.update`: answered from the same script as posts; a taken update changes the message
/// with that `ts` in the channel (`message_not_found` when there is none, `cant_update_message`
/// when it is not the bot's).
async fn update(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let mut answer = shared
        .script
        .lock()
        .expect("lock poisoned")
        .pop_front()
        .unwrap_or(Answer::Ok);
    let body: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    if answer == Answer::Ok
        && let Err(error) = shared.channels.lock().expect("lock poisoned").update(&body)
    {
        answer = Answer::SlackError(error.into());
    }
    if answer == Answer::Ok
        && let Some(on_post) = &shared.on_post
    {
        on_post(Change::Updated, &body);
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    shared.updates.lock().expect("lock poisoned").push(Post {
        at: Instant::now(),
        authorization,
        body: body.clone(),
        answer: answer.clone(),
        ts: body["ts"].as_str().map(String::from),
    });
    match answer {
        Answer::Ok => Json(json!({
            "ok": true, "channel": body["channel"], "ts": body["ts"], "text": body["text"]
        }))
        .into_response(),
        Answer::SlackError(error) => Json(json!({ "ok": false, "error": error })).into_response(),
        Answer::RateLimited(seconds) => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, seconds.to_string())],
        )
            .into_response(),
        Answer::Status(status) => StatusCode::from_u16(status)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
    }
}

/// The channel's messages as they are now, newest first, paged and windowed as Slack does
/// (`slack_channel::Channels::history`); every author's, metadata included.
async fn history(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    *shared.history_calls.lock().expect("lock poisoned") += 1;
    if let Some(error) = shared.history_error.lock().expect("lock poisoned").clone() {
        return Json(json!({ "ok": false, "error": error })).into_response();
    }
    let answer = shared
        .channels
        .lock()
        .expect("lock poisoned")
        .history(&query);
    Json(answer).into_response()
}

/// `auth.test`: who the bot is (`SlackApiStub::identity`), or the error set by `fail_auth`.
async fn auth_test(State(shared): State<Arc<Shared>>) -> Response {
    *shared.auth_calls.lock().expect("lock poisoned") += 1;
    if let Some(error) = shared.auth_error.lock().expect("lock poisoned").clone() {
        return Json(json!({ "ok": false, "error": error })).into_response();
    }
    Json(shared.identity.auth_test()).into_response()
}

struct Json(Value);

impl IntoResponse for Json {
    fn into_response(self) -> Response {
        (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            self.0.to_string(),
        )
            .into_response()
    }
}
