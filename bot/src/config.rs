//! Settings, read once from the environment at start-up.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use service_kit::{Env, Secret};

use crate::alerts::{self, Alert};
use crate::digests::{self, Digest};
use crate::error::{Error, Result};
use crate::home::{self, file::HomeStat};
use crate::slack::{client, response_url};

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_CATALOGUE_TTL: Duration = Duration::from_secs(60);
/// Slack gives up 3000 ms after it sends the command. The budget starts when the request reaches
/// the handler, after a cold start and the network: a second is left for those.
pub const DEFAULT_DEADLINE: Duration = Duration::from_millis(2000);
/// A deadline this close to Slack's 3000 ms leaves nothing for the network; refused at start-up.
pub const MAX_DEADLINE: Duration = Duration::from_millis(2900);
/// A slow answer is posted to `response_url`, so one stats API call may take longer than Slack
/// waits: past the stats API's own default query limit (5 s), inside the Lambda's 30 s.
pub const DEFAULT_STATS_API_TIMEOUT: Duration = Duration::from_millis(10_000);
/// Socket Mode: a ping every 10 s notices a dead connection within 20 s.
pub const DEFAULT_SOCKET_PING: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct Config {
    /// `SLACK_SIGNING_SECRET`
    pub signing_secret: Secret,
    /// `STATS_API_URL`, e.g. `http://127.0.0.1:8081` (no trailing `/v1`).
    pub stats_api_url: String,
    /// `STATS_API_TOKEN`
    pub stats_api_token: Secret,
    /// `BOT_ADDR`, for the local server; port 0 picks a free port.
    pub addr: SocketAddr,
    /// `SLACK_TEAM_IDS`: workspaces allowed to use the bot; empty allows all.
    pub team_ids: Vec<String>,
    /// `BOT_CATALOGUE_TTL_SECONDS`: how long the list of stats is trusted before asking again.
    pub catalogue_ttl: Duration,
    /// `BOT_DEADLINE_MS`: how long a command may take to answer inline; past it the bot answers
    /// "working on it" and posts the answer to `response_url` when it is ready.
    pub deadline: Duration,
    /// `BOT_STATS_API_TIMEOUT_MS`: the overall limit for one stats API call (in the slow path;
    /// inline, the deadline comes first).
    pub stats_api_timeout: Duration,
    /// `SLACK_ALLOW_RESPONSE_URL`: a URL prefix accepted as `response_url` besides Slack's own
    /// hosts, for local testing, e.g. `http://127.0.0.1:`.
    pub allow_response_url: Option<String>,
    /// `BOT_DIGESTS`: the digests read from that file (none when unset).
    pub digests: Arc<Vec<Digest>>,
    /// `BOT_ALERTS`: the alerts read from that file (none when unset).
    pub alerts: Arc<Vec<Alert>>,
    /// `SLACK_BOT_TOKEN` (`xoxb-…`): every Web API call (digests, alerts, mentions, unfurls, the
    /// Home tab); required when a settings file declares any.
    pub slack_bot_token: Option<Secret>,
    /// `SLACK_API_URL`: Slack's Web API base, `https://slack.com/api` unless testing.
    pub slack_api_url: String,
    /// `SLACK_APP_TOKEN` (`xapp-…`, scope `connections:write`): when set, Slack's commands,
    /// presses and events come over Socket Mode (`socket/`), and `SLACK_SIGNING_SECRET` may be
    /// left out (then every HTTP request to `/slack/…` is refused).
    pub slack_app_token: Option<Secret>,
    /// How often a Socket Mode connection is pinged; one that stays silent for two of these is
    /// replaced. Not a setting: tests shorten it.
    pub socket_ping: Duration,
    /// `BOT_HOME`: the stats the Home tab shows (none: the catalogue's first).
    pub home: Arc<Vec<HomeStat>>,
    /// `STATS_API_PUBLIC_URL`: the stats API's address as people see it (its links), when it
    /// differs from `STATS_API_URL`; links under it are unfurled.
    pub stats_api_public_url: Option<String>,
}

impl Config {
    /// The required settings; everything else takes its default.
    pub fn new(
        signing_secret: impl Into<String>,
        stats_api_url: impl Into<String>,
        stats_api_token: impl Into<String>,
    ) -> Self {
        Config {
            signing_secret: Secret::new(signing_secret),
            stats_api_url: stats_api_url.into(),
            stats_api_token: Secret::new(stats_api_token),
            addr: DEFAULT_ADDR.parse().expect("valid default address"),
            team_ids: Vec::new(),
            catalogue_ttl: DEFAULT_CATALOGUE_TTL,
            deadline: DEFAULT_DEADLINE,
            stats_api_timeout: DEFAULT_STATS_API_TIMEOUT,
            allow_response_url: None,
            digests: Arc::default(),
            alerts: Arc::default(),
            slack_bot_token: None,
            slack_api_url: client::DEFAULT_API_URL.into(),
            slack_app_token: None,
            socket_ping: DEFAULT_SOCKET_PING,
            stats_api_public_url: None,
            home: Arc::default(),
        }
    }

    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like `from_env`, reading variables through `lookup` (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let env = Env::new(lookup);
        let app_token = socket_token(env.optional("SLACK_APP_TOKEN"))?;
        // Over Socket Mode, Slack signs nothing: the secret is only for HTTP, which is then off.
        let signing_secret = match &app_token {
            Some(_) => env.optional("SLACK_SIGNING_SECRET").unwrap_or_default(),
            None => env.required("SLACK_SIGNING_SECRET")?,
        };
        let mut config = Config::new(
            signing_secret,
            env.required("STATS_API_URL")?,
            env.required("STATS_API_TOKEN")?,
        );
        config.slack_app_token = app_token;
        if !config.stats_api_url.starts_with("http://")
            && !config.stats_api_url.starts_with("https://")
        {
            return Err(Error::Settings(
                "STATS_API_URL must start with http:// or https://".into(),
            ));
        }
        if let Some(url) = env.optional("STATS_API_PUBLIC_URL") {
            if !(url.starts_with("http://") || url.starts_with("https://"))
                || url.contains(['?', '#'])
            {
                return Err(Error::Settings(
                    "STATS_API_PUBLIC_URL must be the stats API's base URL, http:// or https://, \
                     without a query"
                        .into(),
                ));
            }
            config.stats_api_public_url = Some(url.trim_end_matches('/').to_string());
        }
        if let Some(addr) = env.optional("BOT_ADDR") {
            config.addr = addr
                .parse()
                .map_err(|_| Error::Settings(format!("BOT_ADDR {addr:?} is not host:port")))?;
        }
        config.team_ids = env.list("SLACK_TEAM_IDS");
        config.catalogue_ttl = env.seconds("BOT_CATALOGUE_TTL_SECONDS", DEFAULT_CATALOGUE_TTL)?;
        config.stats_api_timeout =
            env.millis("BOT_STATS_API_TIMEOUT_MS", DEFAULT_STATS_API_TIMEOUT)?;
        config.deadline = env.millis("BOT_DEADLINE_MS", DEFAULT_DEADLINE)?;
        if config.deadline > MAX_DEADLINE {
            return Err(Error::Settings(format!(
                "BOT_DEADLINE_MS {} leaves no time to reach Slack, which gives up at 3000; \
                 at most {} please",
                config.deadline.as_millis(),
                MAX_DEADLINE.as_millis()
            )));
        }
        if let Some(prefix) = env.optional("SLACK_ALLOW_RESPONSE_URL") {
            response_url::check_local_prefix(&prefix).map_err(|why| {
                Error::Settings(format!("SLACK_ALLOW_RESPONSE_URL {prefix:?}: {why}"))
            })?;
            config.allow_response_url = Some(prefix);
        }
        // The two files and the token are checked together: every mistake at once.
        let mut mistakes = Vec::new();
        if let Some(path) = env.optional("BOT_DIGESTS") {
            match digests::file::read(Path::new(&path)) {
                Ok(digests) => config.digests = Arc::new(digests),
                Err(error) => mistakes.push(why(error)),
            }
        }
        if let Some(path) = env.optional("BOT_ALERTS") {
            match alerts::file::read(Path::new(&path)) {
                Ok(alerts) => config.alerts = Arc::new(alerts),
                Err(error) => mistakes.push(why(error)),
            }
        }
        if let Some(path) = env.optional("BOT_HOME") {
            match home::file::read(Path::new(&path)) {
                Ok(stats) => config.home = Arc::new(stats),
                Err(error) => mistakes.push(why(error)),
            }
        }
        config.slack_bot_token = env.optional("SLACK_BOT_TOKEN").map(Secret::new);
        if let Some(url) = env.optional("SLACK_API_URL") {
            if !url.starts_with("http://") && !url.starts_with("https://") {
                return Err(Error::Settings(
                    "SLACK_API_URL must start with http:// or https://".into(),
                ));
            }
            config.slack_api_url = url.trim_end_matches('/').to_string();
        }
        if config.slack_bot_token.is_none() {
            let declared = |var, what, count| (count > 0).then(|| format!("{var} declares {what}"));
            let needs: Vec<String> = [
                declared("BOT_DIGESTS", "digests", config.digests.len()),
                declared("BOT_ALERTS", "alerts", config.alerts.len()),
                declared("BOT_HOME", "a Home tab", config.home.len()),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !needs.is_empty() {
                mistakes.push(format!(
                    "SLACK_BOT_TOKEN is not set: {}, and posting them needs the app's Bot User \
                     OAuth Token (xoxb-…)",
                    needs.join(" and ")
                ));
            }
        }
        if !mistakes.is_empty() {
            return Err(Error::Settings(mistakes.join("\n")));
        }
        Ok(config)
    }

    pub fn team_allowed(&self, team_id: &str) -> bool {
        self.team_ids.is_empty() || self.team_ids.iter().any(|id| id == team_id)
    }
}

/// `SLACK_APP_TOKEN`, checked for its kind (never echoed): an app-level token, in a build that
/// has Socket Mode.
fn socket_token(token: Option<String>) -> Result<Option<Secret>> {
    let Some(token) = token else {
        return Ok(None);
    };
    if !token.starts_with("xapp-") {
        return Err(Error::Settings(
            "SLACK_APP_TOKEN must be the app's app-level token (xapp-…, with connections:write: \
             Basic Information → App-Level Tokens), not a bot or user token"
                .into(),
        ));
    }
    if !cfg!(feature = "socket-mode") {
        return Err(Error::Settings(
            "SLACK_APP_TOKEN is set, but this bot was built without Socket Mode (the \
             `socket-mode` feature, left out of the Lambda build); unset it, or build with it"
                .into(),
        ));
    }
    Ok(Some(Secret::new(token)))
}

/// A settings error's words, without the "settings: " its `Display` adds.
fn why(error: Error) -> String {
    match error {
        Error::Settings(why) => why,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    const REQUIRED: [(&str, &str); 3] = [
        ("SLACK_SIGNING_SECRET", "signing-s3cr3t"),
        ("STATS_API_URL", "http://127.0.0.1:8081"),
        ("STATS_API_TOKEN", "token-s3cr3t"),
    ];

    #[test]
    fn defaults_apply_when_only_the_required_variables_are_set() {
        let config = Config::from_lookup(lookup(&REQUIRED)).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert!(config.team_allowed("T123"));
        assert_eq!(config.catalogue_ttl, DEFAULT_CATALOGUE_TTL);
        assert_eq!(config.deadline, Duration::from_millis(2000));
        assert_eq!(config.allow_response_url, None);
    }

    #[test]
    fn the_deadline_must_leave_time_to_reach_slack() {
        let with_deadline = |ms| {
            let mut vars = REQUIRED.to_vec();
            vars.push(("BOT_DEADLINE_MS", ms));
            Config::from_lookup(lookup(&vars))
        };
        assert_eq!(
            with_deadline("1500").unwrap().deadline,
            Duration::from_millis(1500)
        );
        let err = with_deadline("3000").unwrap_err();
        assert!(err.to_string().contains("BOT_DEADLINE_MS"), "{err}");
    }

    #[test]
    fn a_local_response_url_prefix_must_end_its_host() {
        let mut vars = REQUIRED.to_vec();
        vars.push(("SLACK_ALLOW_RESPONSE_URL", "http://127.0.0.1:"));
        let config = Config::from_lookup(lookup(&vars)).unwrap();
        assert_eq!(
            config.allow_response_url.as_deref(),
            Some("http://127.0.0.1:")
        );

        let mut vars = REQUIRED.to_vec();
        vars.push(("SLACK_ALLOW_RESPONSE_URL", "http://localhost"));
        let err = Config::from_lookup(lookup(&vars)).unwrap_err();
        assert!(
            err.to_string().contains("SLACK_ALLOW_RESPONSE_URL"),
            "{err}"
        );
    }

    #[test]
    fn missing_secret_is_an_error_that_names_the_variable() {
        let err = Config::from_lookup(lookup(&REQUIRED[1..])).unwrap_err();
        assert!(err.to_string().contains("SLACK_SIGNING_SECRET"), "{err}");
    }

    #[test]
    fn team_allowlist_is_a_comma_list() {
        let mut vars = REQUIRED.to_vec();
        vars.push(("SLACK_TEAM_IDS", " T1, T2 ,"));
        let config = Config::from_lookup(lookup(&vars)).unwrap();
        assert!(config.team_allowed("T2"));
        assert!(!config.team_allowed("T3"));
    }

    #[test]
    fn an_app_token_turns_socket_mode_on_and_makes_the_signing_secret_optional() {
        let mut vars = REQUIRED[1..].to_vec();
        vars.push(("SLACK_APP_TOKEN", "xapp-1-A0123ABCD-s3cr3t"));
        let config = Config::from_lookup(lookup(&vars)).unwrap();
        assert_eq!(
            config.slack_app_token.as_ref().map(Secret::expose),
            Some("xapp-1-A0123ABCD-s3cr3t")
        );
        assert_eq!(config.signing_secret.expose(), "");
        assert!(!format!("{config:?}").contains("s3cr3t"));

        let mut vars = REQUIRED.to_vec();
        vars.push(("SLACK_APP_TOKEN", "xoxb-s3cr3t"));
        let err = Config::from_lookup(lookup(&vars)).unwrap_err().to_string();
        assert!(
            err.contains("SLACK_APP_TOKEN") && err.contains("xapp-"),
            "{err}"
        );
        assert!(!err.contains("s3cr3t"), "{err}");
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let config = Config::from_lookup(lookup(&REQUIRED)).unwrap();
        let shown = format!("{config:?}");
        assert!(shown.contains("[redacted]"));
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
}
