//! Slack's request signature (v0): HMAC-SHA256 over `v0:{timestamp}:{raw body}`.
//!
//! Pure functions: the caller passes the clock in, so tests can pin "now".

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

pub const TIMESTAMP_HEADER: &str = "x-slack-request-timestamp";
pub const SIGNATURE_HEADER: &str = "x-slack-signature";

/// How far a request's timestamp may be from our clock, either way, before it counts as a replay.
pub const MAX_SKEW_SECS: u64 = 300;

type HmacSha256 = Hmac<Sha256>;

/// Why a request was refused. Logged, never shown to the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// No `SLACK_SIGNING_SECRET` (Socket Mode only): no request can be told to be Slack's.
    NoSecret,
    MissingTimestamp,
    MalformedTimestamp,
    StaleTimestamp,
    MissingSignature,
    MalformedSignature,
    WrongSignature,
}

impl Rejection {
    pub fn as_str(self) -> &'static str {
        match self {
            Rejection::NoSecret => "no signing secret set (Socket Mode only)",
            Rejection::MissingTimestamp => "missing timestamp",
            Rejection::MalformedTimestamp => "malformed timestamp",
            Rejection::StaleTimestamp => "timestamp outside the 300 s window",
            Rejection::MissingSignature => "missing signature",
            Rejection::MalformedSignature => "malformed signature",
            Rejection::WrongSignature => "signature does not match",
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `X-Slack-Signature` value Slack would send for this body at this timestamp.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    let tag = mac(secret, timestamp, body).finalize().into_bytes();
    format!("v0={}", hex::encode(tag))
}

/// Checks the headers Slack sent against the exact bytes of the body, with `now` in Unix seconds.
pub fn verify(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), Rejection> {
    // An empty key would let anyone sign.
    if secret.is_empty() {
        return Err(Rejection::NoSecret);
    }
    let timestamp = timestamp.ok_or(Rejection::MissingTimestamp)?;
    let sent_at = parse_timestamp(timestamp)?;
    if sent_at.abs_diff(now) > MAX_SKEW_SECS {
        return Err(Rejection::StaleTimestamp);
    }

    let signature = signature.ok_or(Rejection::MissingSignature)?;
    let tag = signature
        .strip_prefix("v0=")
        .and_then(decode_hex_32)
        .ok_or(Rejection::MalformedSignature)?;

    // verify_slice compares in constant time.
    mac(secret, timestamp, body)
        .verify_slice(&tag)
        .map_err(|_| Rejection::WrongSignature)
}

fn mac(secret: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
    mac
}

/// Digits only: `+12`, ` 12` or `12.0` are not what Slack sends.
fn parse_timestamp(timestamp: &str) -> Result<i64, Rejection> {
    if timestamp.is_empty()
        || timestamp.len() > 12
        || !timestamp.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Rejection::MalformedTimestamp);
    }
    timestamp.parse().map_err(|_| Rejection::MalformedTimestamp)
}

/// Slack sends lower-case hex; upper case is accepted too.
fn decode_hex_32(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Slack's worked example from "Verifying requests from Slack".
    const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    const TIMESTAMP: &str = "1531420618";
    const NOW: i64 = 1_531_420_618;
    const BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const SIGNATURE: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    fn check(timestamp: &str, signature: &str, body: &str, now: i64) -> Result<(), Rejection> {
        verify(
            SECRET,
            Some(timestamp),
            Some(signature),
            body.as_bytes(),
            now,
        )
    }

    #[test]
    fn slacks_documented_example_verifies() {
        assert_eq!(check(TIMESTAMP, SIGNATURE, BODY, NOW), Ok(()));
    }

    #[test]
    fn sign_reproduces_slacks_documented_signature() {
        assert_eq!(sign(SECRET, TIMESTAMP, BODY.as_bytes()), SIGNATURE);
    }

    #[test]
    fn without_a_secret_nothing_verifies_not_even_a_request_signed_with_the_empty_key() {
        let signature = sign("", TIMESTAMP, BODY.as_bytes());
        let checked = verify("", Some(TIMESTAMP), Some(&signature), BODY.as_bytes(), NOW);
        assert_eq!(checked, Err(Rejection::NoSecret));
    }

    #[test]
    fn uppercase_hex_in_the_signature_is_accepted() {
        let upper = format!("v0={}", SIGNATURE[3..].to_uppercase());
        assert_eq!(check(TIMESTAMP, &upper, BODY, NOW), Ok(()));
    }

    #[test]
    fn window_is_300_seconds_in_the_past_and_the_future() {
        assert_eq!(check(TIMESTAMP, SIGNATURE, BODY, NOW + 300), Ok(()));
        assert_eq!(check(TIMESTAMP, SIGNATURE, BODY, NOW - 300), Ok(()));
        assert_eq!(
            check(TIMESTAMP, SIGNATURE, BODY, NOW + 301),
            Err(Rejection::StaleTimestamp)
        );
        assert_eq!(
            check(TIMESTAMP, SIGNATURE, BODY, NOW - 301),
            Err(Rejection::StaleTimestamp)
        );
    }

    #[test]
    fn tampered_body_is_refused() {
        let tampered = BODY.replace("text=", "text=members");
        assert_eq!(
            check(TIMESTAMP, SIGNATURE, &tampered, NOW),
            Err(Rejection::WrongSignature)
        );
        // One byte more, appended, is still a different body.
        let longer = format!("{BODY}&");
        assert_eq!(
            check(TIMESTAMP, SIGNATURE, &longer, NOW),
            Err(Rejection::WrongSignature)
        );
    }

    #[test]
    fn tampered_timestamp_is_refused_even_inside_the_window() {
        assert_eq!(
            check("1531420619", SIGNATURE, BODY, NOW),
            Err(Rejection::WrongSignature)
        );
    }

    #[test]
    fn tampered_signature_is_refused() {
        let mut flipped = SIGNATURE.to_string();
        flipped.replace_range(10..11, "0");
        assert_ne!(flipped, SIGNATURE);
        assert_eq!(
            check(TIMESTAMP, &flipped, BODY, NOW),
            Err(Rejection::WrongSignature)
        );
        assert_eq!(
            verify(
                "another-secret",
                Some(TIMESTAMP),
                Some(SIGNATURE),
                BODY.as_bytes(),
                NOW
            ),
            Err(Rejection::WrongSignature)
        );
    }

    #[test]
    fn malformed_or_missing_headers_are_refused() {
        let body = BODY.as_bytes();
        assert_eq!(
            verify(SECRET, None, Some(SIGNATURE), body, NOW),
            Err(Rejection::MissingTimestamp)
        );
        assert_eq!(
            verify(SECRET, Some(TIMESTAMP), None, body, NOW),
            Err(Rejection::MissingSignature)
        );
        for timestamp in ["", "abc", "+1531420618", " 1531420618", "1531420618.0"] {
            assert_eq!(
                check(timestamp, SIGNATURE, BODY, NOW),
                Err(Rejection::MalformedTimestamp),
                "{timestamp:?}"
            );
        }
        let bad_signatures = [
            "",
            "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            "v0=a2114d57",
            "v0=z2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        ];
        for signature in bad_signatures {
            assert_eq!(
                check(TIMESTAMP, signature, BODY, NOW),
                Err(Rejection::MalformedSignature),
                "{signature:?}"
            );
        }
    }
}
