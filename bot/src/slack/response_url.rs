//! Posting a deferred answer to the `response_url` Slack sent with the command: which URLs the
//! bot will post to, when it tries again, and the posting itself.
//!
//! A `response_url` is as good as a password for the channel it came from (anyone holding it
//! may post there for 30 minutes), so it never reaches a log line; only its host does.

use std::time::{Duration, Instant};

use reqwest::Url;

use crate::error::{Error, Result};
use crate::slack::message::Message;

/// Slack's own hosts for `response_url`, commercial and GovSlack. Matched exactly.
pub const SLACK_HOSTS: [&str; 2] = ["hooks.slack.com", "hooks.slack-gov.com"];
/// Slack accepts up to 5 posts to one `response_url`…
pub const MAX_POSTS: u32 = 5;
/// …within 30 minutes of the command.
pub const LIFETIME: Duration = Duration::from_secs(30 * 60);
/// The wait after the first failed post; it doubles after each further one (0.5, 1, 2, 4 s).
pub const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// One post: Slack answers in well under a second when it is well.
const POST_TIMEOUT: Duration = Duration::from_secs(3);

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

/// What one post came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostOutcome {
    /// Slack answered with this HTTP status.
    Status(u16),
    /// No answer: refused, reset, timed out.
    NetworkError,
}

/// What to do after a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    Delivered,
    RetryAfter(Duration),
    GiveUp(GiveUp),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUp {
    /// A 4xx (expired or used up URL, a message Slack will not take) or a redirect: final.
    Refused(u16),
    OutOfPosts,
    /// The next try would land after the window closes.
    OutOfTime,
}

impl GiveUp {
    pub fn as_str(self) -> &'static str {
        match self {
            GiveUp::Refused(_) => "refused",
            GiveUp::OutOfPosts => "out_of_posts",
            GiveUp::OutOfTime => "out_of_time",
        }
    }
}

/// The retry policy. `posts_made` counts the post just made; `elapsed` is the time since the
/// command arrived; `window` is how long posting may go on ([`LIFETIME`], or less when the Lambda
/// invocation ends sooner). Network errors and 5xx are retried with doubling waits; anything
/// else is final. Pure.
pub fn after_post(
    outcome: PostOutcome,
    posts_made: u32,
    elapsed: Duration,
    window: Duration,
) -> NextStep {
    match outcome {
        PostOutcome::Status(status) if (200..300).contains(&status) => NextStep::Delivered,
        PostOutcome::Status(status) if !(500..600).contains(&status) => {
            NextStep::GiveUp(GiveUp::Refused(status))
        }
        PostOutcome::Status(_) | PostOutcome::NetworkError => {
            if posts_made >= MAX_POSTS {
                return NextStep::GiveUp(GiveUp::OutOfPosts);
            }
            let wait = backoff(posts_made);
            if elapsed.saturating_add(wait) >= window {
                return NextStep::GiveUp(GiveUp::OutOfTime);
            }
            NextStep::RetryAfter(wait)
        }
    }
}

/// The wait after the `failed_posts`-th failed post (1-based). Pure.
pub fn backoff(failed_posts: u32) -> Duration {
    crate::slack::retry::doubling(FIRST_BACKOFF, failed_posts)
}

/// How a delivery ended, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub posts: u32,
    pub result: std::result::Result<(), GiveUp>,
}

/// Posts answers to response URLs. One per process: connections to Slack are reused.
#[derive(Clone)]
pub struct ResponseUrlClient {
    http: reqwest::Client,
}

impl ResponseUrlClient {
    pub fn new() -> Result<Self> {
        service_kit::tls::install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(POST_TIMEOUT)
            .connect_timeout(POST_TIMEOUT.min(Duration::from_secs(2)))
            // A redirect would carry the answer to a host nobody checked.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("statsbot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client for response_url: {e}")))?;
        Ok(ResponseUrlClient { http })
    }

    /// Posts `reply` to `url` (already [`check`]ed) until it is delivered or [`after_post`] says
    /// stop. `arrived` is when the command reached the bot.
    pub async fn deliver(
        &self,
        url: &Url,
        reply: &Message,
        arrived: Instant,
        window: Duration,
    ) -> Delivery {
        let host = url.host_str().unwrap_or_default();
        let mut posts = 0;
        if arrived.elapsed() >= window {
            return Delivery {
                posts,
                result: Err(GiveUp::OutOfTime),
            };
        }
        loop {
            posts += 1;
            let outcome = self.post(url, reply).await;
            match after_post(outcome, posts, arrived.elapsed(), window) {
                NextStep::Delivered => {
                    return Delivery {
                        posts,
                        result: Ok(()),
                    };
                }
                NextStep::GiveUp(why) => {
                    tracing::warn!(host, ?outcome, posts, "gave up on a response_url");
                    return Delivery {
                        posts,
                        result: Err(why),
                    };
                }
                NextStep::RetryAfter(wait) => {
                    tracing::info!(
                        host,
                        ?outcome,
                        posts,
                        wait_ms = wait.as_millis() as u64,
                        "response_url post failed; trying again"
                    );
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn post(&self, url: &Url, reply: &Message) -> PostOutcome {
        let sent = self
            .http
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(reply.to_json())
            .send()
            .await;
        match sent {
            Ok(response) => PostOutcome::Status(response.status().as_u16()),
            Err(error) => {
                tracing::debug!(error = %error.without_url(), "response_url post failed");
                PostOutcome::NetworkError
            }
        }
    }
}

impl std::fmt::Debug for ResponseUrlClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseUrlClient").finish_non_exhaustive()
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

    const WINDOW: Duration = LIFETIME;
    const EARLY: Duration = Duration::from_secs(3);

    #[test]
    fn success_is_final_and_4xx_or_redirects_are_never_retried() {
        for status in [200, 204] {
            assert_eq!(
                after_post(PostOutcome::Status(status), 1, EARLY, WINDOW),
                NextStep::Delivered
            );
        }
        for status in [301, 400, 403, 404, 410, 429] {
            assert_eq!(
                after_post(PostOutcome::Status(status), 1, EARLY, WINDOW),
                NextStep::GiveUp(GiveUp::Refused(status)),
                "{status}"
            );
        }
    }

    #[test]
    fn server_and_network_errors_back_off_doubling_up_to_five_posts() {
        let waits: Vec<NextStep> = (1..=5)
            .map(|posts| after_post(PostOutcome::Status(503), posts, EARLY, WINDOW))
            .collect();
        assert_eq!(
            waits,
            [
                NextStep::RetryAfter(Duration::from_millis(500)),
                NextStep::RetryAfter(Duration::from_millis(1000)),
                NextStep::RetryAfter(Duration::from_millis(2000)),
                NextStep::RetryAfter(Duration::from_millis(4000)),
                NextStep::GiveUp(GiveUp::OutOfPosts),
            ]
        );
        assert_eq!(
            after_post(PostOutcome::NetworkError, 2, EARLY, WINDOW),
            NextStep::RetryAfter(Duration::from_secs(1))
        );
        assert_eq!(
            after_post(PostOutcome::NetworkError, 5, EARLY, WINDOW),
            NextStep::GiveUp(GiveUp::OutOfPosts)
        );
    }

    #[test]
    fn no_retry_lands_after_the_window() {
        let almost = LIFETIME - Duration::from_millis(600);
        assert_eq!(
            after_post(PostOutcome::Status(500), 1, almost, LIFETIME),
            NextStep::RetryAfter(FIRST_BACKOFF)
        );
        assert_eq!(
            after_post(PostOutcome::Status(500), 2, almost, LIFETIME),
            NextStep::GiveUp(GiveUp::OutOfTime)
        );
        // A Lambda invocation that ends in 5 s narrows the window the same way.
        assert_eq!(
            after_post(
                PostOutcome::NetworkError,
                3,
                Duration::from_secs(4),
                Duration::from_secs(5)
            ),
            NextStep::GiveUp(GiveUp::OutOfTime)
        );
    }

    #[test]
    fn backoff_never_overflows() {
        assert_eq!(backoff(0), FIRST_BACKOFF);
        assert!(backoff(u32::MAX) >= backoff(5));
    }
}
