//! Refuses, with the documented JSON errors, requests the service will not read: a URL or
//! headers past their limits, or a large body on a GET. It runs before routing and the token
//! check. Other methods go on to routing, whose answer is 405 with `Allow` (the method is what
//! is wrong, whatever the body); a small body on a GET is read, dropped and the GET answered.
//! (The server in front keeps its own, larger limits; this is what clients see below them.)

use axum::{
    body::{Body, HttpBody},
    extract::Request,
    http::Method,
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::error::{Error, Result};

/// The longest path and query accepted, in bytes.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header bytes accepted, counted as `name: value\r\n` lines.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// The most header lines accepted (the local server lets up to 1,000 through to here).
pub const MAX_HEADERS: usize = 100;
/// The largest body a GET may carry; it is ignored (no route reads one).
pub const MAX_BODY_BYTES: usize = 8 * 1024;

pub async fn enforce(request: Request, next: Next) -> Response {
    if let Err(e) = check(&request) {
        return e.into_response();
    }
    match without_body(request).await {
        Ok(request) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

/// A GET's or HEAD's body read (up to [`MAX_BODY_BYTES`]) and dropped; other methods untouched.
/// A chunked body has no known size, so it is read to learn it.
async fn without_body(request: Request) -> Result<Request> {
    let is_read = matches!(*request.method(), Method::GET | Method::HEAD);
    if !is_read || request.body().size_hint().exact() == Some(0) {
        return Ok(request);
    }
    if request.body().size_hint().lower() > MAX_BODY_BYTES as u64 {
        return Err(Error::PayloadTooLarge(MAX_BODY_BYTES));
    }
    let (parts, body) = request.into_parts();
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| Error::PayloadTooLarge(MAX_BODY_BYTES))?;
    Ok(Request::from_parts(parts, Body::empty()))
}

fn check(request: &Request) -> Result<()> {
    let uri = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if uri > MAX_URI_BYTES {
        return Err(Error::UriTooLong(MAX_URI_BYTES));
    }
    let headers: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers > MAX_HEADER_BYTES || request.headers().len() > MAX_HEADERS {
        return Err(Error::HeadersTooLarge {
            max_headers: MAX_HEADERS,
            max_bytes: MAX_HEADER_BYTES,
        });
    }
    Ok(())
}
