//! What one HTTP answer from Slack comes to (`retry::Answer`): a 429 and its `Retry-After`,
//! another status, `"ok": false` and its `error`, or the body; a `response_url`'s plain `ok`.
//! Read by the one client (`client`) for every call.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde_json::Value;

use super::retry::Answer;

/// The answer to one call, read.
pub(super) async fn answer(sent: reqwest::Result<reqwest::Response>) -> Answer {
    let response = match sent {
        Ok(response) => response,
        Err(error) => {
            // Without the URL: a response_url is a secret of its own.
            tracing::debug!(error = %error.without_url(), "a call to Slack failed");
            return Answer::NetworkError;
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
        return Answer::RateLimited(retry_after);
    }
    if !(200..300).contains(&status) {
        return Answer::Status(status);
    }
    // response_url answers `ok` as text; the Web API answers JSON with `ok`.
    let json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Answer::Ok(Value::Null);
    }
    let body: Value = match response.bytes().await.map(|b| serde_json::from_slice(&b)) {
        Ok(Ok(body)) => body,
        _ => return Answer::Status(status),
    };
    if body.get("ok").is_none_or(|ok| ok == true) {
        return Answer::Ok(body);
    }
    match body["error"].as_str().unwrap_or("unknown_error") {
        "ratelimited" => Answer::RateLimited(None),
        code => Answer::SlackError(code.chars().take(64).collect()),
    }
}
