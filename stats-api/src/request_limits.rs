//! Refuses, with the documented JSON errors, requests the service will not read: a URL or
//! headers past their limits, or a body. It runs before routing and the token check.
//! (The server in front keeps its own, larger limits; this is what clients see below them.)

use axum::{
    body::HttpBody,
    extract::Request,
    http::header::TRANSFER_ENCODING,
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

pub async fn enforce(request: Request, next: Next) -> Response {
    match check(&request) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
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
    // Every route is a GET: a body is a client's mistake. A chunked body has no known size,
    // hence the header; an upper bound is no help (lambda_http's empty body has none).
    if request.body().size_hint().lower() > 0 || request.headers().contains_key(TRANSFER_ENCODING) {
        return Err(Error::PayloadTooLarge);
    }
    Ok(())
}
