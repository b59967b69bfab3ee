//! Bearer-token check for `/v1/*`.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::header::AUTHORIZATION,
    middleware::Next,
    response::{IntoResponse, Response},
};
use subtle::{Choice, ConstantTimeEq};

use service_kit::Secret;

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
        _ => Error::Unauthorized.into_response(),
    }
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
