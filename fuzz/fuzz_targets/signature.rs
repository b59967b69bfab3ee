//! Signature verification and the form behind it: any headers and body are answered without a
//! panic, only the true signature is accepted, and a verified body parses or is refused cleanly.
#![no_main]

use arbitrary::{Result, Unstructured};
use bot::slack::signature::{MAX_SKEW_SECS, Rejection, sign, verify};
use bot::slack::slash_command::{SlashCommand, is_ssl_check, parse_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let secret: &str = u.arbitrary()?;
    let timestamp: Option<&str> = u.arbitrary()?;
    let signature: Option<&str> = u.arbitrary()?;
    let now: i64 = u.arbitrary()?;
    let sent_at: u64 = u.int_in_range(0..=999_999_999_999)?;
    let skew: i64 = u.int_in_range(-400..=400)?;
    let flip: usize = u.arbitrary()?;
    let body = u.bytes(u.len())?;

    // Anything: only the signature `sign` gives (in either hex case) gets through.
    if verify(secret, timestamp, signature, body, now).is_ok() {
        let expected = sign(secret, timestamp.unwrap(), body);
        assert!(signature.unwrap().eq_ignore_ascii_case(&expected));
    }

    // What Slack sends: verifies inside the window, is stale outside it, and fails once any
    // byte of the body changes.
    let timestamp = sent_at.to_string();
    let signature = sign(secret, &timestamp, body);
    let now = sent_at as i64 + skew;
    let verdict = verify(secret, Some(&timestamp), Some(&signature), body, now);
    if secret.is_empty() {
        // No secret (Socket Mode only): an empty key would let anyone sign.
        assert_eq!(verdict, Err(Rejection::NoSecret));
    } else if skew.unsigned_abs() <= MAX_SKEW_SECS {
        assert_eq!(verdict, Ok(()));
    } else {
        assert_eq!(verdict, Err(Rejection::StaleTimestamp));
    }
    if !secret.is_empty() && !body.is_empty() && skew.unsigned_abs() <= MAX_SKEW_SECS {
        let mut tampered = body.to_vec();
        tampered[flip % body.len()] ^= 1;
        let verdict = verify(secret, Some(&timestamp), Some(&signature), &tampered, now);
        assert_eq!(verdict, Err(Rejection::WrongSignature));
    }

    // The verified bytes, parsed as the routes parse them.
    is_ssl_check(body);
    if let Ok(command) = SlashCommand::parse(body) {
        command.command_name();
        parse_text(&command.text);
    }
    Ok(())
}
