//! The `response_url` Slack sends with a command or a press: which URLs the bot will post to,
//! and how many posts in how long Slack takes. The posting is `client::SlackClient::respond`.
//!
//! A `response_url` is as good as a password for the channel it came from (anyone holding it
//! may post there for 30 minutes), so it never reaches a log line; only its host does.

use std::time::Duration;

use reqwest::Url;

use super::retry::Limits;

/// Slack's own hosts for `response_url`, commercial and GovSlack. Matched exactly.
pub const SLACK_HOSTS: [&str; 2] = ["hooks.slack.com", "hooks.slack-gov.com"];
/// Slack accepts up to 5 posts to one `response_url`…
pub const MAX_POSTS: u32 = 5;
/// …within 30 minutes of the command.
pub const LIFETIME: Duration = Duration::from_secs(30 * 60);
/// At most [`MAX_POSTS`]; the wait after the first failed post doubles after each further one
/// (0.5, 1, 2, 4 s).
pub const LIMITS: Limits = Limits {
    max_calls: MAX_POSTS,
    first_backoff: Duration::from_millis(500),
};
/// One post: Slack answers in well under a second when it is well.
pub const POST_TIMEOUT: Duration = Duration::from_secs(3);

/// Why a command's `response_url` will not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Unreadable,
    /// Not Slack over HTTPS, and not under `SLACK_ALLOW_RESPONSE_URL`.
    NotAllowed,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Missing => "no response_url",
            Refusal::Unreadable => "response_url is not a URL",
            Refusal::NotAllowed => "response_url is not Slack's",
        }
    }
}

/// The URL to post a deferred answer to, if `raw` may have one: `https://` on one of
/// [`SLACK_HOSTS`] (default port, no credentials), or anything starting with `local_prefix`
/// (`SLACK_ALLOW_RESPONSE_URL`, checked by [`check_local_prefix`]). Pure.
pub fn check(raw: &str, local_prefix: Option<&str>) -> Result<Url, Refusal> {
    if raw.trim().is_empty() {
        return Err(Refusal::Missing);
    }
    let url = Url::parse(raw.trim()).map_err(|_| Refusal::Unreadable)?;
    // `https://hooks.slack.com@evil.example/` has evil.example as its host, but credentials
    // have no business in a response_url either way.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refusal::NotAllowed);
    }
    let on_slack = url.scheme() == "https"
        && url.port().is_none()
        && url
            .host_str()
            .is_some_and(|host| SLACK_HOSTS.contains(&host));
    // The URL as parsed, not as sent: what is compared is what will be connected to.
    let local = local_prefix.is_some_and(|prefix| url.as_str().starts_with(prefix));
    if on_slack || local {
        Ok(url)
    } else {
        Err(Refusal::NotAllowed)
    }
}

/// `SLACK_ALLOW_RESPONSE_URL` must pin a host: `http://127.0.0.1:` or `http://localhost/`, not
/// `http://localhost`, which `http://localhost.evil.example/` also starts with. Pure.
pub fn check_local_prefix(prefix: &str) -> Result<(), &'static str> {
    let Some(rest) = prefix
        .strip_prefix("http://")
        .or_else(|| prefix.strip_prefix("https://"))
    else {
        return Err("must start with http:// or https://");
    };
    if rest.contains('@') {
        return Err("must not contain credentials");
    }
    match rest.find([':', '/']) {
        Some(end) if end > 0 => Ok(()),
        _ => Err("must end the host with `:` (any port) or `/`, e.g. http://127.0.0.1:"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCAL: Option<&str> = Some("http://127.0.0.1:");

    fn allowed(raw: &str) -> bool {
        check(raw, LOCAL).is_ok()
    }

    #[test]
    fn slacks_hosts_over_https_are_allowed() {
        assert!(allowed(
            "https://hooks.slack.com/commands/T0001/1234/abcdEFGH"
        ));
        assert!(allowed("https://hooks.slack-gov.com/commands/T0001/1/x"));
        assert!(
            allowed("https://HOOKS.SLACK.COM/commands/1"),
            "hosts ignore case"
        );
        assert_eq!(check("", None), Err(Refusal::Missing));
        assert_eq!(check("  ", None), Err(Refusal::Missing));
        assert_eq!(
            check("hooks.slack.com/commands", None),
            Err(Refusal::Unreadable)
        );
    }

    #[test]
    fn look_alike_hosts_and_tricks_are_refused() {
        for raw in [
            "http://hooks.slack.com/commands/1",             // not HTTPS
            "https://hooks.slack.com.evil.example/commands", // a prefix, not the host
            "https://evil.example/hooks.slack.com/commands",
            "https://hooks.slack.com@evil.example/commands", // userinfo: the host is evil.example
            "https://user:pw@hooks.slack.com/commands/1",
            "https://evilhooks.slack.com/commands/1",
            "https://slack.com/commands/1",
            "https://hooks.slack.com:8443/commands/1", // another port, another service
            "https://hooks.slack.com./commands/1",     // the trailing-dot spelling
            "https://hooks.slack.co/commands/1",
            "https://hooks.slack-gov.com.evil.example/x",
            "ftp://hooks.slack.com/commands/1",
        ] {
            assert_eq!(check(raw, LOCAL), Err(Refusal::NotAllowed), "{raw}");
        }
    }

    #[test]
    fn the_local_prefix_allows_only_what_starts_with_it() {
        assert!(allowed("http://127.0.0.1:40123/response"));
        assert!(!allowed("http://127.0.0.1.evil.example:80/x"));
        assert!(!allowed("http://127.0.0.1:80@evil.example/x"));
        assert!(!allowed("http://localhost:40123/response"));
        assert_eq!(
            check("http://127.0.0.1:40123/response", None),
            Err(Refusal::NotAllowed),
            "nothing local without the setting"
        );
    }

    #[test]
    fn a_local_prefix_must_pin_its_host() {
        assert!(check_local_prefix("http://127.0.0.1:").is_ok());
        assert!(check_local_prefix("http://localhost/").is_ok());
        assert!(check_local_prefix("https://relay.internal:8443/slack/").is_ok());
        assert!(check_local_prefix("http://localhost").is_err());
        assert!(check_local_prefix("http://").is_err());
        assert!(check_local_prefix("127.0.0.1:").is_err());
        assert!(check_local_prefix("http://me@127.0.0.1:").is_err());
    }

    use crate::slack::retry::{Answer, GiveUp, NextStep, next_step};

    const EARLY: Duration = Duration::from_secs(3);

    #[test]
    fn posts_back_off_from_half_a_second_up_to_five_within_the_window() {
        let waits: Vec<NextStep> = (1..=5)
            .map(|posts| next_step(LIMITS, &Answer::Status(503), posts, EARLY, LIFETIME))
            .collect();
        assert_eq!(
            waits,
            [
                NextStep::RetryAfter(Duration::from_millis(500)),
                NextStep::RetryAfter(Duration::from_millis(1000)),
                NextStep::RetryAfter(Duration::from_millis(2000)),
                NextStep::RetryAfter(Duration::from_millis(4000)),
                NextStep::GiveUp(GiveUp::OutOfCalls),
            ]
        );
        let almost = LIFETIME - Duration::from_millis(600);
        assert_eq!(
            next_step(LIMITS, &Answer::NetworkError, 2, almost, LIFETIME),
            NextStep::GiveUp(GiveUp::OutOfTime)
        );
        // A Lambda invocation that ends in 5 s narrows the window the same way.
        let ends_soon = Duration::from_secs(5);
        assert_eq!(
            next_step(
                LIMITS,
                &Answer::NetworkError,
                3,
                Duration::from_secs(4),
                ends_soon
            ),
            NextStep::GiveUp(GiveUp::OutOfTime)
        );
    }
}
