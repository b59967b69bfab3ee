//! The stand-in's side of the Events API features: `conversations.replies` (a thread of the
//! channel as `slack_channel` holds it: the bot's posts and the messages seeded, paged),
//! `chat.postEphemeral`, `chat.unfurl` and `views.publish` (recorded and checked as Slack checks
//! them), and, for the `statsbot` command in another process, `/dev/messages` (seed a message;
//! its `ts` comes back) and `/dev/record` (everything the bot did, as JSON).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{Answer, Change, Json, Post, Shared, SlackApiStub};

/// What Slack's views.publish takes at most.
const MAX_VIEW_BLOCKS: usize = 100;
const MAX_VIEW_BYTES: usize = 250 * 1024;

/// What the Events API features did.
#[derive(Default)]
pub(super) struct Recorded {
    ephemerals: Mutex<Vec<Post>>,
    unfurls: Mutex<Vec<Post>>,
    views: Mutex<Vec<Post>>,
    replies_calls: Mutex<usize>,
}

#[derive(Clone)]
struct Both {
    shared: Arc<Shared>,
    recorded: Arc<Recorded>,
}

pub(super) fn routes(shared: Arc<Shared>, recorded: Arc<Recorded>) -> Router {
    Router::new()
        .route("/api/conversations.replies", get(replies))
        .route("/api/chat.postEphemeral", post(post_ephemeral))
        .route("/api/chat.unfurl", post(unfurl))
        .route("/api/views.publish", post(publish))
        .route("/dev/messages", post(seed))
        .route("/dev/record", get(record))
        .with_state(Both { shared, recorded })
}

impl SlackApiStub {
    /// Every `chat.postEphemeral`, taken.
    pub fn ephemerals(&self) -> Vec<Post> {
        self.recorded
            .ephemerals
            .lock()
            .expect("lock poisoned")
            .clone()
    }

    /// Every `chat.unfurl`, taken or not.
    pub fn unfurls(&self) -> Vec<Post> {
        self.recorded.unfurls.lock().expect("lock poisoned").clone()
    }

    /// Every `views.publish`, taken or not.
    pub fn views(&self) -> Vec<Post> {
        self.recorded.views.lock().expect("lock poisoned").clone()
    }

    pub fn replies_calls(&self) -> usize {
        *self.recorded.replies_calls.lock().expect("lock poisoned")
    }

    /// The bot's posts in the thread under `ts` in `channel`, as Slack shows them now.
    pub fn thread_replies(&self, channel: &str, ts: &str) -> Vec<Value> {
        bot_posts(&self.shared)
            .into_iter()
            .filter(|m| m["channel"] == channel && m["thread_ts"] == ts)
            .collect()
    }
}

/// The bot's posts as the channel shows them now (updates applied), each with its `channel`.
fn bot_posts(shared: &Shared) -> Vec<Value> {
    let channels = shared.channels.lock().expect("lock poisoned");
    channels
        .all()
        .iter()
        .filter(|m| m.by_bot)
        .map(|m| {
            let mut message = m.message.clone();
            message["channel"] = json!(m.channel);
            message
        })
        .collect()
}

fn ts_key(ts: &Value) -> (u64, u64) {
    let ts = ts.as_str().unwrap_or_default();
    let (secs, micros) = ts.split_once('.').unwrap_or((ts, "0"));
    (secs.parse().unwrap_or(0), micros.parse().unwrap_or(0))
}

/// `conversations.replies`: the thread's first message and its replies, oldest first, between
/// `oldest` and `latest` (exclusive), `limit` a page, paged by `cursor`.
async fn replies(State(both): State<Both>, Query(query): Query<Vec<(String, String)>>) -> Response {
    *both.recorded.replies_calls.lock().expect("lock poisoned") += 1;
    let arg = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (Some(channel), Some(root)) = (arg("channel"), arg("ts")) else {
        return Json(json!({"ok": false, "error": "invalid_arguments"})).into_response();
    };
    let all: Vec<Value> = {
        let channels = both.shared.channels.lock().expect("lock poisoned");
        let in_channel = channels.all().iter().filter(|m| m.channel == channel);
        in_channel.map(|m| m.message.clone()).collect()
    };
    if !all.iter().any(|m| m["ts"] == root.as_str()) {
        return Json(json!({"ok": false, "error": "thread_not_found"})).into_response();
    }
    let mut thread: Vec<Value> = all
        .into_iter()
        .filter(|m| m["ts"] == root.as_str() || m["thread_ts"] == root.as_str())
        .collect();
    thread.sort_by_key(|m| ts_key(&m["ts"]));
    let oldest = arg("oldest").map(|o| ts_key(&Value::from(o)));
    let latest = arg("latest").map(|l| ts_key(&Value::from(l)));
    thread.retain(|m| {
        let at = ts_key(&m["ts"]);
        oldest.is_none_or(|o| at > o) && latest.is_none_or(|l| at < l)
    });
    let limit: usize = arg("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(100)
        .clamp(1, 1000);
    let start: usize = arg("cursor")
        .and_then(|c| c.strip_prefix("next:").and_then(|n| n.parse().ok()))
        .unwrap_or(0);
    let page: Vec<Value> = thread.iter().skip(start).take(limit).cloned().collect();
    let more = start + limit < thread.len();
    let cursor = if more {
        format!("next:{}", start + limit)
    } else {
        String::new()
    };
    Json(json!({
        "ok": true, "messages": page, "has_more": more,
        "response_metadata": { "next_cursor": cursor }
    }))
    .into_response()
}

fn read(headers: &HeaderMap, body: &Bytes) -> (String, Value) {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()));
    (authorization, body)
}

fn keep(list: &Mutex<Vec<Post>>, authorization: String, body: &Value, answer: Answer) {
    list.lock().expect("lock poisoned").push(Post {
        at: Instant::now(),
        authorization,
        body: body.clone(),
        answer,
        ts: None,
    });
}

fn refused(error: &str) -> Response {
    Json(json!({"ok": false, "error": error})).into_response()
}

async fn post_ephemeral(State(both): State<Both>, headers: HeaderMap, body: Bytes) -> Response {
    let (authorization, body) = read(&headers, &body);
    if !body["channel"].is_string() || !body["user"].is_string() {
        return refused("invalid_arguments");
    }
    keep(&both.recorded.ephemerals, authorization, &body, Answer::Ok);
    if let Some(on_post) = &both.shared.on_post {
        on_post(Change::Ephemeral, &body);
    }
    let count = both
        .recorded
        .ephemerals
        .lock()
        .expect("lock poisoned")
        .len();
    Json(json!({"ok": true, "message_ts": format!("{count}.000200")})).into_response()
}

/// `chat.unfurl`: `channel` + `ts`, or `unfurl_id` + `source`, and `unfurls`, a map from each
/// URL to its preview.
async fn unfurl(State(both): State<Both>, headers: HeaderMap, body: Bytes) -> Response {
    let (authorization, body) = read(&headers, &body);
    let posted = body["channel"].is_string() && body["ts"].is_string();
    let composer = body["unfurl_id"].is_string() && body["source"].is_string();
    let answer = if !posted && !composer {
        Answer::SlackError("missing_channel".into())
    } else if body["unfurls"].as_object().is_none_or(|u| u.is_empty()) {
        Answer::SlackError("invalid_unfurls_format".into())
    } else {
        Answer::Ok
    };
    keep(&both.recorded.unfurls, authorization, &body, answer.clone());
    match answer {
        Answer::SlackError(error) => refused(&error),
        _ => {
            if let Some(on_post) = &both.shared.on_post {
                on_post(Change::Unfurled, &body);
            }
            Json(json!({"ok": true})).into_response()
        }
    }
}

/// `views.publish`: a `home` view of at most 100 blocks and 250 kB.
async fn publish(State(both): State<Both>, headers: HeaderMap, body: Bytes) -> Response {
    let size = body.len();
    let (authorization, body) = read(&headers, &body);
    let view = &body["view"];
    let blocks = view["blocks"].as_array().map_or(0, Vec::len);
    let fits = blocks <= MAX_VIEW_BLOCKS && size <= MAX_VIEW_BYTES;
    let answer = if !body["user_id"].is_string() || view["type"] != "home" || !fits {
        Answer::SlackError("invalid_arguments".into())
    } else {
        Answer::Ok
    };
    keep(&both.recorded.views, authorization, &body, answer.clone());
    match answer {
        Answer::SlackError(error) => refused(&error),
        _ => {
            if let Some(on_post) = &both.shared.on_post {
                on_post(Change::Published, &body);
            }
            Json(json!({"ok": true, "view": {"id": "V0HOME0001", "type": "home"}})).into_response()
        }
    }
}

/// `POST /dev/messages`: a message someone else wrote in `channel`, for the `statsbot`
/// command; answers its `ts`, as Slack gives it.
async fn seed(State(both): State<Both>, body: Bytes) -> Response {
    match serde_json::from_slice::<Value>(&body) {
        Ok(mut message) if message["channel"].is_string() => {
            let channel = message["channel"].as_str().unwrap_or_default().to_string();
            if let Some(fields) = message.as_object_mut() {
                fields.remove("channel");
            }
            let mut channels = both.shared.channels.lock().expect("lock poisoned");
            let ts = channels.seed(&channel, message);
            Json(json!({"ok": true, "ts": ts})).into_response()
        }
        _ => refused("invalid_arguments"),
    }
}

/// `GET /dev/record`: what the bot did, for the `statsbot` command in another process.
fn record_all(both: &Both) -> Value {
    let bodies = |list: &Mutex<Vec<Post>>| -> Vec<Value> {
        let list = list.lock().expect("lock poisoned");
        let taken = list.iter().filter(|p| p.answer == Answer::Ok);
        taken.map(|p| p.body.clone()).collect()
    };
    json!({
        "posts": bot_posts(&both.shared),
        "ephemerals": bodies(&both.recorded.ephemerals),
        "unfurls": bodies(&both.recorded.unfurls),
        "views": bodies(&both.recorded.views),
    })
}

async fn record(State(both): State<Both>) -> Response {
    Json(record_all(&both)).into_response()
}
