//! Settings, read once from the environment at start-up.

use std::net::SocketAddr;
use std::time::Duration;

use crate::error::{Error, Result};

/// A value that must never reach a log line. `Debug` prints `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_CATALOGUE_TTL: Duration = Duration::from_secs(60);
/// Slack gives up after 3000 ms; leave room for the network between Slack and us.
pub const DEFAULT_STATS_API_TIMEOUT: Duration = Duration::from_millis(2500);

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
    /// `BOT_STATS_API_TIMEOUT_MS`: the whole budget for answering one command.
    pub stats_api_timeout: Duration,
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
            stats_api_timeout: DEFAULT_STATS_API_TIMEOUT,
        }
    }

    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like `from_env`, reading variables through `lookup` (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let required = |name: &str| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| Error::Config(format!("{name} is not set")))
        };
        let mut config = Config::new(
            required("SLACK_SIGNING_SECRET")?,
            required("STATS_API_URL")?,
            required("STATS_API_TOKEN")?,
        );
        if !config.stats_api_url.starts_with("http://")
            && !config.stats_api_url.starts_with("https://")
        {
            return Err(Error::Config(
                "STATS_API_URL must start with http:// or https://".into(),
            ));
        }
        if let Some(addr) = lookup("BOT_ADDR") {
            config.addr = addr
                .parse()
                .map_err(|_| Error::Config(format!("BOT_ADDR {addr:?} is not host:port")))?;
        }
        if let Some(ids) = lookup("SLACK_TEAM_IDS") {
            config.team_ids = ids
                .split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(String::from)
                .collect();
        }
        if let Some(secs) = lookup("BOT_CATALOGUE_TTL_SECONDS") {
            config.catalogue_ttl =
                Duration::from_secs(parse_number("BOT_CATALOGUE_TTL_SECONDS", &secs)?);
        }
        if let Some(ms) = lookup("BOT_STATS_API_TIMEOUT_MS") {
            config.stats_api_timeout =
                Duration::from_millis(parse_number("BOT_STATS_API_TIMEOUT_MS", &ms)?);
        }
        Ok(config)
    }

    pub fn team_allowed(&self, team_id: &str) -> bool {
        self.team_ids.is_empty() || self.team_ids.iter().any(|id| id == team_id)
    }
}

fn parse_number(name: &str, value: &str) -> Result<u64> {
    value
        .trim()
        .parse()
        .map_err(|_| Error::Config(format!("{name} {value:?} is not a whole number")))
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
    fn debug_output_never_shows_secrets() {
        let config = Config::from_lookup(lookup(&REQUIRED)).unwrap();
        let shown = format!("{config:?}");
        assert!(shown.contains("[redacted]"));
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
}
