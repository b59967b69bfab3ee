//! Helpers for the bot's tests: a stand-in stats API serving the contract's JSON, a bot on a free port,
//! and requests signed the way Slack signs them.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde_json::Value;
use stats_contract::{ApiError, Catalogue, ErrorBody, ErrorCode, StatResult};

pub const SECRET: &str = "test-signing-secret";
pub const TOKEN: &str = "test-stats-token";

/// How the stand-in API behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Normal,
    /// Answers after this long.
    Slow(Duration),
    /// Refuses every token.
    Unauthorized,
    /// 200 with a body that is not the contract's.
    Nonsense,
}

#[derive(Clone)]
pub struct FakeApi {
    pub addr: SocketAddr,
    /// Requests received, of any kind.
    pub hits: Arc<AtomicUsize>,
    pub catalogue: Arc<Mutex<Vec<Value>>>,
    pub results: Arc<Mutex<HashMap<String, Value>>>,
    pub mode: Arc<Mutex<Mode>>,
    /// The query string of the last `GET /v1/stats/{name}`.
    pub last_query: Arc<Mutex<Option<String>>>,
    /// `GET /v1/ask`: the answers set by the test, and the questions asked (`fake_ask`).
    pub ask: crate::fake_ask::Asked,
}

impl FakeApi {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    pub fn set_result(&self, name: &str, result: &StatResult) {
        self.results
            .lock()
            .unwrap()
            .insert(name.into(), to_json(result));
    }

    /// Adds a catalogue entry: a `StatInfo`, or any JSON (an entry the bot cannot read).
    pub fn declare(&self, stat: &impl Serialize) {
        self.catalogue.lock().unwrap().push(to_json(stat));
    }
}

pub use crate::stat_fixtures::*;

/// Starts the stand-in stats API on a free port with `members`, `signups` and `mentors`.
pub async fn spawn_fake_api() -> FakeApi {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = FakeApi {
        addr: listener.local_addr().unwrap(),
        hits: Arc::default(),
        catalogue: Arc::new(Mutex::new(
            [members_stat(), signups_stat(), mentors_stat()]
                .iter()
                .map(to_json)
                .collect(),
        )),
        results: Arc::new(Mutex::new(HashMap::from([
            (
                "members".to_string(),
                to_json(&members_result("Ada Lovelace")),
            ),
            ("signups".to_string(), to_json(&signups_result(12))),
            ("mentors".to_string(), to_json(&mentors_result())),
        ]))),
        mode: Arc::new(Mutex::new(Mode::Normal)),
        last_query: Arc::default(),
        ask: Default::default(),
    };
    let app = Router::new()
        .route("/v1/stats", get(catalogue))
        .route("/v1/stats/{name}", get(stat))
        .route("/v1/ask", get(crate::fake_ask::ask))
        .with_state(api.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    api
}

fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).expect("plain data")
}

pub(crate) fn api_error(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    api_error_on(status, code, message, None)
}

fn api_error_on(
    status: StatusCode,
    code: ErrorCode,
    message: &str,
    parameter: Option<&str>,
) -> Response {
    let body = ErrorBody {
        error: ApiError {
            code,
            message: message.into(),
            parameter: parameter.map(String::from),
        },
    };
    (status, axum::Json(body)).into_response()
}

/// The checks every route makes first: counting, mode, bearer token.
pub(crate) async fn gate(api: &FakeApi, headers: &HeaderMap) -> Option<Response> {
    api.hits.fetch_add(1, Ordering::SeqCst);
    let mode = *api.mode.lock().unwrap();
    match mode {
        Mode::Slow(delay) => tokio::time::sleep(delay).await,
        Mode::Unauthorized => {
            return Some(api_error(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                "bad token",
            ));
        }
        Mode::Nonsense => return Some((StatusCode::OK, "<html>surprise</html>").into_response()),
        Mode::Normal => {}
    }
    let expected = format!("Bearer {TOKEN}");
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return Some(api_error(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "bad token",
        ));
    }
    None
}

async fn catalogue(State(api): State<FakeApi>, headers: HeaderMap) -> Response {
    if let Some(refusal) = gate(&api, &headers).await {
        return refusal;
    }
    let stats = api.catalogue.lock().unwrap().clone();
    axum::Json(Catalogue { stats }).into_response()
}

async fn stat(
    State(api): State<FakeApi>,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = gate(&api, &headers).await {
        return refusal;
    }
    *api.last_query.lock().unwrap() = query.clone();
    if name == "signups" && query.as_deref() == Some("months=99") {
        // Stands for a check only the API knows about.
        return api_error_on(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadParameter,
            "months=99 is reserved",
            Some("months"),
        );
    }
    match api.results.lock().unwrap().get(&name) {
        Some(result) => axum::Json(result.clone()).into_response(),
        None => api_error(
            StatusCode::NOT_FOUND,
            ErrorCode::UnknownStat,
            "no such stat",
        ),
    }
}

/// A port nothing listens on: connecting to it is refused.
pub async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

pub fn config(stats_api_url: &str) -> bot::Config {
    let mut config = bot::Config::new(SECRET, stats_api_url, TOKEN);
    config.addr = "127.0.0.1:0".parse().unwrap();
    config
}

/// A bot started for a test: its base URL (what `&bot` reads as), and its work after the
/// response, which a test can wait for.
pub struct TestBot {
    pub url: String,
    deferred: bot::deferred::Deferred,
}

impl TestBot {
    /// Waits until every answer, press and post the bot has started has ended: after this,
    /// nothing more comes from what was sent so far.
    pub async fn settled(&self) {
        self.deferred.finish().await;
    }
}

impl std::ops::Deref for TestBot {
    type Target = str;

    fn deref(&self) -> &str {
        &self.url
    }
}

impl std::fmt::Display for TestBot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url)
    }
}

/// Starts the bot on a free port.
pub async fn spawn_bot(config: bot::Config) -> TestBot {
    let app = bot::startup::Application::build(config).await.unwrap();
    let url = format!("http://{}", app.local_addr());
    let deferred = app.state().deferred().clone();
    tokio::spawn(app.run_until_stopped());
    TestBot { url, deferred }
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A slash command form as Slack posts it.
pub fn form(team_id: &str, text: &str) -> String {
    form_answering_to(team_id, text, "https://hooks.slack.com/commands/1234/5678")
}

/// The same, with the `response_url` given (empty: none).
pub fn form_answering_to(team_id: &str, text: &str, response_url: &str) -> String {
    serde_urlencoded::to_string([
        ("token", "gIkuvaNzQIHg97ATvDxqgjtO"),
        ("team_id", team_id),
        ("team_domain", "example"),
        ("channel_id", "C2147483705"),
        ("channel_name", "general"),
        ("user_id", "U2147483697"),
        ("user_name", "ada"),
        ("command", "/stats"),
        ("text", text),
        ("response_url", response_url),
        ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
    ])
    .unwrap()
}

pub fn http_client() -> reqwest::Client {
    service_kit::tls::install_crypto_provider();
    reqwest::Client::new()
}

/// Posts `body` to the bot signed with `secret` at `timestamp`.
pub async fn post_signed(
    bot_url: &str,
    path: &str,
    secret: &str,
    timestamp: i64,
    body: String,
) -> reqwest::Response {
    let timestamp = timestamp.to_string();
    let signature = bot::slack::signature::sign(secret, &timestamp, body.as_bytes());
    http_client()
        .post(format!("{bot_url}{path}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-slack-request-timestamp", timestamp)
        .header("x-slack-signature", signature)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// `/stats {text}` from team T0001, properly signed; returns the reply as JSON.
pub async fn ask(bot_url: &str, text: &str) -> Value {
    let response = post_signed(
        bot_url,
        "/slack/commands",
        SECRET,
        now(),
        form("T0001", text),
    )
    .await;
    assert_eq!(response.status(), 200, "Slack needs a 200");
    let reply = json_body(response).await;
    assert_valid_message(&reply);
    reply
}

/// Valid Block Kit within Slack's limits.
pub fn assert_valid_message(reply: &Value) {
    if let Err(problems) = bot::slack::blocks::check(reply) {
        panic!("invalid Slack message {problems:?}:\n{reply:#}");
    }
}

/// Every piece of text a user could see: the fallback and all block texts.
pub fn visible_text(reply: &Value) -> String {
    let mut out = String::new();
    collect_text(reply, &mut out);
    out
}

fn collect_text(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("text", Value::String(s)) => {
                        out.push_str(s);
                        out.push('\n');
                    }
                    _ => collect_text(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_text(v, out)),
        _ => {}
    }
}

pub fn response_type(reply: &Value) -> &str {
    reply["response_type"].as_str().unwrap_or("ephemeral")
}

/// The body as JSON (reqwest's `json` feature is not enabled for the bot).
pub async fn json_body(response: reqwest::Response) -> Value {
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}
