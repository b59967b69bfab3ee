//! Bearer-token check for `/v1/*`; without a token, a signed chart link (see `chart::link`).

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{Uri, header::AUTHORIZATION},
    middleware::Next,
    response::{IntoResponse, Response},
};
use subtle::{Choice, ConstantTimeEq};

use service_kit::Secret;

use crate::chart::link::{self, Refusal};
use crate::error::Error;
use crate::state::AppState;

pub async fn require_token(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let given = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    match given {
        Some(token) if token_matches(&state.tokens, token) => next.run(request).await,
        // No token: a signed chart link opens its chart, and only that.
        _ if request.uri().query().is_some_and(carries_signature) => {
            match signed_link(&state, request.uri()) {
                Ok(()) => next.run(request).await,
                Err(e) => e.into_response(),
            }
        }
        _ => Error::Unauthorized.into_response(),
    }
}

fn carries_signature(query: &str) -> bool {
    query.split('&').any(|pair| pair.starts_with("sig="))
}

fn signed_link(state: &AppState, uri: &Uri) -> Result<(), Error> {
    let links = state.chart_links.as_ref().ok_or(Error::BadSignature)?;
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    link::check(&links.key, uri.path(), uri.query().unwrap_or(""), now).map_err(|r| match r {
        Refusal::BadSignature => Error::BadSignature,
        Refusal::Expired => Error::LinkExpired,
    })
}

/// The token from `Bearer <token>`; the scheme is case-insensitive (RFC 7235).
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Compares against every accepted token in constant time, so timing tells nothing about how
/// much of a guess was right.
pub fn token_matches(accepted: &[Secret], given: &str) -> bool {
    accepted
        .iter()
        .fold(Choice::from(0), |found, token| {
            found | token.expose().as_bytes().ct_eq(given.as_bytes())
        })
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_accepted_token_passes_and_nothing_else_does() {
        let accepted = [
            Secret::new("first-token-0123456789"),
            Secret::new("second-token-0123456789"),
        ];
        assert!(token_matches(&accepted, "second-token-0123456789"));
        assert!(!token_matches(&accepted, "second-token-012345678"));
        assert!(!token_matches(&accepted, ""));
        assert_eq!(bearer_token("bearer abc"), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
    }
}
