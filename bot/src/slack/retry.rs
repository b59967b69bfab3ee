//! The one retry policy for everything the bot sends to Slack (`response_url` posts and Web API
//! calls): a 429 waits as long as `Retry-After` says, 5xx and network errors back off doubling,
//! all inside one time budget and a number of calls; `"ok": false` and other 4xx are final, and
//! each common Slack error says what an admin should do. Pure.

use std::time::Duration;

use serde_json::Value;

/// A 429 without a readable `Retry-After` waits this long.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// How many calls, and the first wait after a failed one, for one kind of call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_calls: u32,
    pub first_backoff: Duration,
}

/// What one call came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// 2xx (and `"ok": true` for the Web API), with the body (`Null` when it is not JSON).
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

impl Answer {
    /// Whether a post that came to this may have been posted all the same (the request left,
    /// the answer did not come back readable): retrying it blindly could post twice.
    pub fn maybe_posted(&self) -> bool {
        matches!(self, Answer::NetworkError | Answer::Status(500..=599))
    }

    /// A short word for the log.
    pub fn describe(&self) -> String {
        match self {
            Answer::Ok(_) => "ok".into(),
            Answer::SlackError(code) => code.clone(),
            Answer::RateLimited(_) => "rate_limited".into(),
            Answer::Status(status) => format!("http_{status}"),
            Answer::NetworkError => "network_error".into(),
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

/// Why sending stopped without Slack taking it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GiveUp {
    /// `"ok": false` with this code: final.
    Slack(String),
    /// A 4xx other than 429, or a redirect: final.
    Refused(u16),
    OutOfCalls,
    /// The next call would start after the budget runs out.
    OutOfTime,
    /// A Web API call without `SLACK_BOT_TOKEN`.
    NoToken,
}

impl GiveUp {
    pub fn as_str(&self) -> &str {
        match self {
            GiveUp::Slack(code) => code,
            GiveUp::Refused(_) => "refused",
            GiveUp::OutOfCalls => "out_of_calls",
            GiveUp::OutOfTime => "out_of_time",
            GiveUp::NoToken => "no_token",
        }
    }

    /// Whether trying again later (the next tick) could help.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            GiveUp::Slack(_) | GiveUp::Refused(_) | GiveUp::NoToken
        )
    }
}

/// The policy. `calls_made` counts the call just made; `elapsed` is the time since the budget
/// started; `budget` is how long calling may go on.
pub fn next_step(
    limits: Limits,
    answer: &Answer,
    calls_made: u32,
    elapsed: Duration,
    budget: Duration,
) -> NextStep {
    let wait = match answer {
        Answer::Ok(_) => return NextStep::Done,
        Answer::SlackError(code) => return NextStep::GiveUp(GiveUp::Slack(code.clone())),
        Answer::Status(status) if !(500..600).contains(status) => {
            return NextStep::GiveUp(GiveUp::Refused(*status));
        }
        Answer::RateLimited(retry_after) => retry_after.unwrap_or(DEFAULT_RETRY_AFTER),
        Answer::Status(_) | Answer::NetworkError => doubling(limits.first_backoff, calls_made),
    };
    if calls_made >= limits.max_calls {
        return NextStep::GiveUp(GiveUp::OutOfCalls);
    }
    if elapsed.saturating_add(wait) >= budget {
        return NextStep::GiveUp(GiveUp::OutOfTime);
    }
    NextStep::RetryAfter(wait)
}

/// `first`, doubling after each further failure: the wait after the `failed`-th failed try
/// (1-based).
pub fn doubling(first: Duration, failed: u32) -> Duration {
    first.saturating_mul(1 << failed.clamp(1, 16).saturating_sub(1))
}

/// What an admin should do about a Slack error code, for the one log line it gets.
pub fn advice(code: &str) -> &'static str {
    match code {
        "not_in_channel" => {
            "the bot is not in the channel: invite it there (/invite @statsbot), or give the app \
             the chat:write.public scope for public channels"
        }
        "channel_not_found" => {
            "no channel with that ID is visible to the bot: check the channel ID, and invite the \
             bot (/invite @statsbot) if the channel is private"
        }
        "is_archived" => "the channel is archived: unarchive it or point the bot elsewhere",
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
        "message_not_found" | "cant_update_message" | "edit_window_closed" => {
            "the message to update is gone or not the bot's: a new one is posted next time"
        }
        "msg_too_long" | "invalid_blocks" | "too_many_attachments" | "invalid_metadata_format" => {
            "Slack refused the message itself: a bug, please report it with this log line"
        }
        "no_token" => "set SLACK_BOT_TOKEN to the app's bot token (xoxb-…)",
        _ => "see Slack's documentation of the method for this error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEB: Limits = Limits {
        max_calls: 5,
        first_backoff: Duration::from_secs(1),
    };
    const BUDGET: Duration = Duration::from_secs(60);
    const EARLY: Duration = Duration::from_secs(1);

    #[test]
    fn waits_double_from_the_first() {
        let first = Duration::from_millis(500);
        let waits: Vec<u128> = (0..=5).map(|n| doubling(first, n).as_millis()).collect();
        assert_eq!(waits, [500, 500, 1000, 2000, 4000, 8000]);
        assert!(doubling(first, u32::MAX) >= doubling(first, 5));
    }

    #[test]
    fn ok_is_done_and_slack_errors_and_4xx_are_final() {
        assert_eq!(
            next_step(WEB, &Answer::Ok(Value::Null), 1, EARLY, BUDGET),
            NextStep::Done
        );
        let not_in_channel = Answer::SlackError("not_in_channel".into());
        assert_eq!(
            next_step(WEB, &not_in_channel, 1, EARLY, BUDGET),
            NextStep::GiveUp(GiveUp::Slack("not_in_channel".into()))
        );
        for status in [301, 400, 403, 404, 410] {
            assert_eq!(
                next_step(WEB, &Answer::Status(status), 1, EARLY, BUDGET),
                NextStep::GiveUp(GiveUp::Refused(status))
            );
        }
    }

    #[test]
    fn a_429_waits_as_long_as_slack_says_within_the_budget() {
        let seven = Answer::RateLimited(Some(Duration::from_secs(7)));
        assert_eq!(
            next_step(WEB, &seven, 1, EARLY, BUDGET),
            NextStep::RetryAfter(Duration::from_secs(7))
        );
        assert_eq!(
            next_step(WEB, &Answer::RateLimited(None), 1, EARLY, BUDGET),
            NextStep::RetryAfter(DEFAULT_RETRY_AFTER)
        );
        // Slack asks for longer than the budget has left: give up now rather than overrun.
        let long = Answer::RateLimited(Some(Duration::from_secs(120)));
        assert_eq!(
            next_step(WEB, &long, 1, EARLY, BUDGET),
            NextStep::GiveUp(GiveUp::OutOfTime)
        );
    }

    #[test]
    fn server_and_network_errors_back_off_doubling_up_to_the_last_call() {
        let steps: Vec<NextStep> = (1..=5)
            .map(|calls| next_step(WEB, &Answer::Status(503), calls, EARLY, BUDGET))
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
        let late = Duration::from_secs(57);
        assert_eq!(
            next_step(WEB, &Answer::NetworkError, 3, late, BUDGET),
            NextStep::GiveUp(GiveUp::OutOfTime)
        );
        assert!(Answer::NetworkError.maybe_posted());
        assert!(Answer::Status(502).maybe_posted());
        assert!(!Answer::RateLimited(None).maybe_posted());
        assert!(!Answer::SlackError("x".into()).maybe_posted());
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
}
