//! A stand-in for Slack's Web API on 127.0.0.1: `chat.postMessage` records what the bot posts
//! (and can answer as Slack does when things go wrong), `chat.update` changes a message posted
//! (its text, blocks and metadata), `conversations.history` returns the messages as they are
//! now, metadata included (replies in threads are not the channel's). Used by the tests and the
//! dev stack (which prints each digest and alert posted, updated or replied to in its thread);
//! never by the service itself. The Events API features' calls (a thread's replies, private
//! messages, unfurls, Home tabs) are in `events`. Point the bot at it with
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
pub use events::{BOT_ID, BOT_USER_ID};

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
        Self::build(Vec::new(), None).await
    }

    /// A stand-in that answers its first posts with `answers`, then takes them.
    pub async fn answering(answers: Vec<Answer>) -> std::io::Result<Self> {
        Self::build(answers, None).await
    }

    /// A stand-in that calls `on_post` with each change it takes: a post, an update (the body
    /// as sent, with the message's `ts`), a reply in a thread (the dev stack prints them).
    pub async fn printing(
        on_post: impl Fn(Change, &Value) + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        Self::build(Vec::new(), Some(Box::new(on_post))).await
    }

    async fn build(answers: Vec<Answer>, on_post: Option<OnPost>) -> std::io::Result<Self> {
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
        });
        let app = Router::new()
            .route("/api/chat.postMessage", post(post_message))
            .route("/api/chat.update", post(update))
            .route("/api/conversations.history", get(history))
            .with_state(shared.clone());
        let recorded = Arc::new(events::Recorded::default());
        let app = app.merge(events::routes(shared.clone(), recorded.clone()));
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
    let count = {
        let mut posts = shared.posts.lock().expect("lock poisoned");
        posts.push(Post {
            at: Instant::now(),
            authorization,
            body: body.clone(),
            answer: answer.clone(),
        });
        posts.len()
    };
    shared.count.send_replace(count);
    match answer {
        Answer::Ok => Json(json!({
            "ok": true,
            "channel": body["channel"],
            "ts": format!("{}.000100", count),
            "message": { "text": body["text"], "metadata": body["metadata"] }
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
/// with that `ts` in the channel (`message_not_found` when there is none).
async fn update(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let mut answer = shared
        .script
        .lock()
        .expect("lock poisoned")
        .pop_front()
        .unwrap_or(Answer::Ok);
    let body: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    let exists = {
        let posts = shared.posts.lock().expect("lock poisoned");
        posts.iter().enumerate().any(|(i, p)| {
            p.answer == Answer::Ok
                && p.body["channel"] == body["channel"]
                && body["ts"] == format!("{}.000100", i + 1).as_str()
        })
    };
    if answer == Answer::Ok && !exists {
        answer = Answer::SlackError("message_not_found".into());
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

/// The messages taken for the channel, newest first, with their metadata (as
/// `include_all_metadata=true` gives them); replies in threads are not the channel's, as in
/// Slack. `oldest` is not applied: tests set their own clocks.
async fn history(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    *shared.history_calls.lock().expect("lock poisoned") += 1;
    if let Some(error) = shared.history_error.lock().expect("lock poisoned").clone() {
        return Json(json!({ "ok": false, "error": error })).into_response();
    }
    let channel = query
        .iter()
        .find(|(k, _)| k == "channel")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let posts = shared.posts.lock().expect("lock poisoned");
    let updates = shared.updates.lock().expect("lock poisoned");
    let messages: Vec<Value> = posts
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, p)| p.answer == Answer::Ok && p.body["channel"] == channel.as_str())
        .filter(|(_, p)| p.body.get("thread_ts").is_none_or(Value::is_null))
        .map(|(i, p)| {
            let ts = format!("{}.000100", i + 1);
            // As the last taken update left it.
            let now = updates
                .iter()
                .rev()
                .find(|u| u.answer == Answer::Ok && u.body["ts"] == ts.as_str())
                .map_or(&p.body, |u| &u.body);
            json!({
                "type": "message",
                "ts": ts,
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
                "text": now["text"],
                "metadata": now["metadata"],
            })
        })
        .collect();
    Json(json!({ "ok": true, "messages": messages, "has_more": false })).into_response()
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
