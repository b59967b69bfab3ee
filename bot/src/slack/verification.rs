//! The layer every Slack-facing route goes through: the request's signature is checked on the
//! exact bytes received, before any handler runs. A handler reads the body only as
//! [`Verified`], which nothing but this layer provides, so a route added without the layer
//! fails closed (500) instead of trusting a forged request.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::Error;
use crate::slack::signature::{self, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use crate::slack::slash_command;
use crate::state::AppState;

/// Slack's request bodies are a few hundred bytes (an interaction's JSON a few KB); anything
/// near this is not Slack.
pub const BODY_LIMIT: usize = 16 * 1024;
/// An event carries the message it is about (a mention's text and its rich-text blocks, up to
/// Slack's 40,000 characters): refusing a long one would only make Slack send it again.
pub const EVENT_BODY_LIMIT: usize = 256 * 1024;

/// A request body whose Slack signature checked out, and when the request arrived (Slack's
/// 3 s and `response_url`'s 30 minutes count from there).
#[derive(Debug, Clone)]
pub struct Verified {
    pub body: Bytes,
    pub arrived: Instant,
}

/// axum middleware: refuses unsigned, badly signed, stale and oversized requests with a 4xx and
/// an empty body; answers Slack's unsigned `ssl_check` with 200 and nothing else.
pub async fn verify(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let arrived = Instant::now();
    let (mut parts, body) = request.into_parts();
    let limit = if parts.uri.path().ends_with("/slack/events") {
        EVENT_BODY_LIMIT
    } else {
        BODY_LIMIT
    };
    let Ok(body) = axum::body::to_bytes(body, limit).await else {
        tracing::warn!("refused a request body over {limit} bytes");
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if slash_command::is_ssl_check(&body) {
        return StatusCode::OK.into_response();
    }
    // Hash the exact bytes received: re-encoding the form would change them.
    let verified = signature::verify(
        state.config().signing_secret.expose(),
        header_str(&parts.headers, TIMESTAMP_HEADER),
        header_str(&parts.headers, SIGNATURE_HEADER),
        &body,
        unix_now(),
    );
    if let Err(rejection) = verified {
        tracing::warn!(
            reason = rejection.as_str(),
            "refused an unsigned or badly signed request"
        );
        return Error::Signature(rejection).into_response();
    }
    parts.extensions.insert(Verified {
        body: body.clone(),
        arrived,
    });
    next.run(Request::from_parts(parts, Body::from(body))).await
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
