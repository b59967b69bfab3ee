//! Slack's Web API, for digests: `chat.postMessage` to post one, `conversations.history` to see
//! whether it was posted already; the retry policy (pure) and the calls.
//!
//! The bot token (`SLACK_BOT_TOKEN`, `xoxb-…`) lets anyone post as the bot: it goes into the
//! `Authorization` header and nowhere else, never into a log line, an error or a message.
//! Slack answers most failures with HTTP 200 and `"ok": false` and an `error` code; those are
//! final (retrying `not_in_channel` changes nothing). A 429 says when to come back
//! (`Retry-After`); 5xx and network errors are retried with doubling waits, within a budget.

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use serde_json::{Value, json};
use service_kit::Secret;

use crate::error::{Error, Result};
use crate::slack::message::{Message, Metadata};

/// Slack's Web API base; `SLACK_API_URL` replaces it for local testing.
pub const DEFAULT_URL: &str = "https://slack.com/api";
/// At most this many calls for one message.
pub const MAX_CALLS: u32 = 5;
/// The wait after the first failed call; it doubles after each further one (1, 2, 4, 8 s).
pub const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// A 429 without a readable `Retry-After` waits this long.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);
/// One call: Slack answers in well under a second when it is well.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// The marker a digest's message carries (Slack message metadata), to be recognised later.
pub const DIGEST_EVENT_TYPE: &str = "statsbot_digest";

/// What one call came to.
#[derive(Debug, Clone, PartialEq)]
pub enum CallOutcome {
    /// HTTP 200 and `"ok": true`, with the body.
    Ok(Value),
    /// HTTP 200 and `"ok": false`, with Slack's `error` code.
    SlackError(String),
    /// HTTP 429 (or `ratelimited`), with the `Retry-After` Slack gave.
    RateLimited(Option<Duration>),
    /// Another HTTP status.
    Status(u16),
    /// No answer: refused, reset, timed out.
    NetworkError,
}

impl CallOutcome {
    /// Whether a post that came to this may have been posted all the same (the request left,
    /// the answer did not come back readable): retrying it blindly could post twice.
    pub fn maybe_posted(&self) -> bool {
        matches!(
            self,
            CallOutcome::NetworkError | CallOutcome::Status(500..=599)
        )
    }

    /// A short word for the log.
    pub fn describe(&self) -> String {
        match self {
            CallOutcome::Ok(_) => "ok".into(),
            CallOutcome::SlackError(code) => code.clone(),
            CallOutcome::RateLimited(_) => "rate_limited".into(),
            CallOutcome::Status(status) => format!("http_{status}"),
            CallOutcome::NetworkError => "network_error".into(),
        }
    }
}

/// What to do after a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    Done,
    RetryAfter(Duration),
    GiveUp(GiveUp),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GiveUp {
    /// `"ok": false` with this code: final.
    Slack(String),
    /// A 4xx other than 429: final.
    Refused(u16),
    OutOfCalls,
    /// The next call would start after the budget runs out.
    OutOfTime,
}

impl GiveUp {
    pub fn as_str(&self) -> &str {
        match self {
            GiveUp::Slack(code) => code,
            GiveUp::Refused(_) => "refused",
            GiveUp::OutOfCalls => "out_of_calls",
            GiveUp::OutOfTime => "out_of_time",
        }
    }

    /// Whether trying again later (the next tick) could help.
    pub fn is_final(&self) -> bool {
        matches!(self, GiveUp::Slack(_) | GiveUp::Refused(_))
    }
}

/// The retry policy. `calls_made` counts the call just made; `elapsed` is the time since the
/// first; `budget` is how long calling may go on. Pure.
pub fn after_call(
    outcome: &CallOutcome,
    calls_made: u32,
    elapsed: Duration,
    budget: Duration,
) -> NextStep {
    let wait = match outcome {
        CallOutcome::Ok(_) => return NextStep::Done,
        CallOutcome::SlackError(code) => return NextStep::GiveUp(GiveUp::Slack(code.clone())),
        CallOutcome::Status(status) if !(500..600).contains(status) => {
            return NextStep::GiveUp(GiveUp::Refused(*status));
        }
        CallOutcome::RateLimited(retry_after) => retry_after.unwrap_or(DEFAULT_RETRY_AFTER),
        CallOutcome::Status(_) | CallOutcome::NetworkError => backoff(calls_made),
    };
    if calls_made >= MAX_CALLS {
        return NextStep::GiveUp(GiveUp::OutOfCalls);
    }
    if elapsed.saturating_add(wait) >= budget {
        return NextStep::GiveUp(GiveUp::OutOfTime);
    }
    NextStep::RetryAfter(wait)
}

/// The wait after the `failed_calls`-th failed call (1-based). Pure.
pub fn backoff(failed_calls: u32) -> Duration {
    crate::slack::retry::doubling(FIRST_BACKOFF, failed_calls)
}

/// What an admin should do about a Slack error code, for the one log line it gets. Pure.
pub fn advice(code: &str) -> &'static str {
    match code {
        "not_in_channel" => {
            "the bot is not in the channel: invite it there (/invite @statsbot), or give the app \
             the chat:write.public scope for public channels"
        }
        "channel_not_found" => {
            "no channel with that ID is visible to the bot: check the digest's channel ID, and \
             invite the bot (/invite @statsbot) if the channel is private"
        }
        "is_archived" => "the channel is archived: unarchive it or point the digest elsewhere",
        "invalid_auth" | "not_authed" | "token_revoked" | "token_expired" => {
            "Slack refused SLACK_BOT_TOKEN: copy the Bot User OAuth Token (xoxb-…) from the app's \
             OAuth & Permissions page again"
        }
        "account_inactive" => {
            "the token belongs to a deactivated user or an uninstalled app: reinstall the app and \
             use its new bot token"
        }
        "missing_scope" => {
            "the app lacks a scope: add chat:write, chat:write.public, channels:history and \
             groups:history (infra/slack-app-manifest.yaml) and reinstall it"
        }
        "msg_too_long" | "invalid_blocks" | "too_many_attachments" => {
            "Slack refused the message itself: a bug, please report it with this log line"
        }
        _ => "see Slack's documentation of chat.postMessage for this error",
    }
}

/// One digest's marker: which digest, for which occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub digest: String,
    pub occurrence: String,
}

impl Marker {
    /// Slack message metadata carrying the marker.
    pub fn metadata(&self) -> Metadata {
        Metadata {
            event_type: DIGEST_EVENT_TYPE.into(),
            event_payload: json!({ "digest": self.digest, "occurrence": self.occurrence }),
        }
    }

    /// The markers among the messages of a `conversations.history` answer. Pure.
    pub fn found_in(history: &Value) -> Vec<Marker> {
        history["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| m["metadata"]["event_type"] == DIGEST_EVENT_TYPE)
            .filter_map(|m| {
                let payload = &m["metadata"]["event_payload"];
                Some(Marker {
                    digest: payload["digest"].as_str()?.to_string(),
                    occurrence: payload["occurrence"].as_str()?.to_string(),
                })
            })
            .collect()
    }
}

/// `chat.postMessage`'s body: the message and where it goes.
#[derive(serde::Serialize)]
struct PostMessage<'a> {
    channel: &'a str,
    #[serde(flatten)]
    message: &'a Message,
    unfurl_links: bool,
    unfurl_media: bool,
}

/// Calls Slack's Web API with the bot token. One per process: connections are reused.
#[derive(Clone)]
pub struct SlackApi {
    http: reqwest::Client,
    base: String,
    token: Secret,
}

impl SlackApi {
    /// `base` is `SLACK_API_URL` (e.g. `https://slack.com/api`), without a trailing `/`.
    pub fn new(base: &str, token: Secret) -> Result<Self> {
        service_kit::tls::install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(CALL_TIMEOUT)
            .connect_timeout(Duration::from_secs(3))
            // A redirect could carry the token to another host.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("statsbot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client for Slack's Web API: {e}")))?;
        Ok(SlackApi {
            http,
            base: base.trim_end_matches('/').to_string(),
            token,
        })
    }

    /// `chat.postMessage`: one call, its outcome. `message` holds `text` and `blocks`.
    pub async fn post_message(
        &self,
        channel: &str,
        message: &Message,
        marker: &Marker,
    ) -> CallOutcome {
        let mut message = message.clone();
        message.metadata = Some(marker.metadata());
        let body = serde_json::to_string(&PostMessage {
            channel,
            message: &message,
            unfurl_links: false,
            unfurl_media: false,
        })
        .expect("a message always serializes");
        let sent = self
            .http
            .post(format!("{}/chat.postMessage", self.base))
            .header(AUTHORIZATION, self.bearer())
            .header(CONTENT_TYPE, "application/json; charset=utf-8")
            .body(body)
            .send()
            .await;
        outcome(sent).await
    }

    /// The digest markers among `channel`'s messages since `oldest` (Unix seconds).
    pub async fn markers_since(
        &self,
        channel: &str,
        oldest: i64,
    ) -> Result<Vec<Marker>, CallOutcome> {
        let url = reqwest::Url::parse_with_params(
            &format!("{}/conversations.history", self.base),
            [
                ("channel", channel),
                ("oldest", &oldest.to_string()),
                ("include_all_metadata", "true"),
                ("limit", "200"),
            ],
        )
        .map_err(|_| CallOutcome::Status(0))?;
        let sent = self
            .http
            .get(url)
            .header(AUTHORIZATION, self.bearer())
            .send()
            .await;
        match outcome(sent).await {
            CallOutcome::Ok(body) => Ok(Marker::found_in(&body)),
            other => Err(other),
        }
    }

    fn bearer(&self) -> String {
        format!("Bearer {}", self.token.expose())
    }
}

async fn outcome(sent: reqwest::Result<reqwest::Response>) -> CallOutcome {
    let response = match sent {
        Ok(response) => response,
        Err(error) => {
            // Without the URL: nothing secret is in it, but nothing is needed from it either.
            tracing::debug!(error = %error.without_url(), "Slack Web API call failed");
            return CallOutcome::NetworkError;
        }
    };
    let status = response.status().as_u16();
    if status == 429 {
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        return CallOutcome::RateLimited(retry_after);
    }
    if status != 200 {
        return CallOutcome::Status(status);
    }
    let body: Value = match response.bytes().await.map(|b| serde_json::from_slice(&b)) {
        Ok(Ok(body)) => body,
        _ => return CallOutcome::Status(status),
    };
    if body["ok"] == true {
        return CallOutcome::Ok(body);
    }
    match body["error"].as_str().unwrap_or("unknown_error") {
        "ratelimited" => CallOutcome::RateLimited(None),
        code => CallOutcome::SlackError(code.chars().take(64).collect()),
    }
}

impl std::fmt::Debug for SlackApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlackApi")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUDGET: Duration = Duration::from_secs(60);
    const EARLY: Duration = Duration::from_secs(1);

    #[test]
    fn ok_is_done_and_slack_errors_and_4xx_are_final() {
        assert_eq!(
            after_call(&CallOutcome::Ok(Value::Null), 1, EARLY, BUDGET),
            NextStep::Done
        );
        assert_eq!(
            after_call(
                &CallOutcome::SlackError("not_in_channel".into()),
                1,
                EARLY,
                BUDGET
            ),
            NextStep::GiveUp(GiveUp::Slack("not_in_channel".into()))
        );
        for status in [301, 400, 403, 404] {
            assert_eq!(
                after_call(&CallOutcome::Status(status), 1, EARLY, BUDGET),
                NextStep::GiveUp(GiveUp::Refused(status))
            );
        }
    }

    #[test]
    fn a_429_waits_as_long_as_slack_says() {
        assert_eq!(
            after_call(
                &CallOutcome::RateLimited(Some(Duration::from_secs(7))),
                1,
                EARLY,
                BUDGET
            ),
            NextStep::RetryAfter(Duration::from_secs(7))
        );
        assert_eq!(
            after_call(&CallOutcome::RateLimited(None), 1, EARLY, BUDGET),
            NextStep::RetryAfter(DEFAULT_RETRY_AFTER)
        );
        // Slack asks for longer than the budget has left: give up now rather than overrun.
        assert_eq!(
            after_call(
                &CallOutcome::RateLimited(Some(Duration::from_secs(120))),
                1,
                EARLY,
                BUDGET
            ),
            NextStep::GiveUp(GiveUp::OutOfTime)
        );
    }

    #[test]
    fn server_and_network_errors_back_off_doubling_up_to_five_calls() {
        let steps: Vec<NextStep> = (1..=5)
            .map(|calls| after_call(&CallOutcome::Status(503), calls, EARLY, BUDGET))
            .collect();
        assert_eq!(
            steps,
            [
                NextStep::RetryAfter(Duration::from_secs(1)),
                NextStep::RetryAfter(Duration::from_secs(2)),
                NextStep::RetryAfter(Duration::from_secs(4)),
                NextStep::RetryAfter(Duration::from_secs(8)),
                NextStep::GiveUp(GiveUp::OutOfCalls),
            ]
        );
        assert_eq!(
            after_call(
                &CallOutcome::NetworkError,
                3,
                Duration::from_secs(57),
                BUDGET
            ),
            NextStep::GiveUp(GiveUp::OutOfTime)
        );
        assert!(CallOutcome::NetworkError.maybe_posted());
        assert!(CallOutcome::Status(502).maybe_posted());
        assert!(!CallOutcome::RateLimited(None).maybe_posted());
        assert!(!CallOutcome::SlackError("x".into()).maybe_posted());
    }

    #[test]
    fn every_common_error_says_what_to_do() {
        assert!(advice("not_in_channel").contains("/invite @statsbot"));
        assert!(advice("channel_not_found").contains("channel ID"));
        assert!(advice("invalid_auth").contains("SLACK_BOT_TOKEN"));
        assert!(advice("account_inactive").contains("reinstall"));
        assert!(GiveUp::Slack("x".into()).is_final());
        assert!(!GiveUp::OutOfTime.is_final());
    }

    #[test]
    fn markers_are_read_from_history() {
        let marker = Marker {
            digest: "weekly".into(),
            occurrence: "2026-03-09T08:00:00Z".into(),
        };
        let history = json!({"ok": true, "messages": [
            {"text": "hello"},
            {"text": "d", "metadata": serde_json::to_value(marker.metadata()).unwrap()},
            {"text": "other", "metadata": {"event_type": "something_else", "event_payload": {}}}
        ]});
        assert_eq!(Marker::found_in(&history), [marker]);
    }

    #[test]
    fn debug_never_shows_the_token() {
        let api = SlackApi::new("http://127.0.0.1:1", Secret::new("xoxb-s3cr3t")).unwrap();
        assert!(!format!("{api:?}").contains("s3cr3t"));
    }
}
