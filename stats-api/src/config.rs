//! Settings from the environment (the README's configuration table), checked once at start-up.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use service_kit::database_url::default_database_url;
use service_kit::{Env, EnvError, Secret};
use sqlx::mysql::MySqlConnectOptions;

use crate::chart::link::Links;
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: Secret,
    pub tokens: Vec<Secret>,
    /// Local bind address; port 0 picks a free one.
    pub addr: String,
    /// `None`: the catalogue shipped inside the binary.
    pub catalogue_path: Option<PathBuf>,
    /// Server-side limit on one query.
    pub query_timeout: Duration,
    /// Rows a stat may return before it is cut (a stat's own `max_rows` may lower it).
    pub max_rows: usize,
    pub max_connections: u32,
    /// How long a request waits for a database connection before answering 503.
    pub acquire_timeout: Duration,
    /// When each entry is checked against the database (see [`LiveCheck`]).
    pub live_check: LiveCheck,
    /// Signed chart links in JSON answers, when `STATS_API_PUBLIC_URL` is set.
    pub chart_links: Option<Links>,
    /// The most bytes of answers the cache holds (`STATS_API_CACHE_BYTES`); 0 keeps none.
    pub cache_bytes: usize,
}

/// When the catalogue's entries are checked against the live database. Both refuse to serve a
/// stat that fails the check; they differ in what start-up costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveCheck {
    /// Every entry at start-up, several at a time; start-up fails on any problem. Locally.
    AtStartup,
    /// Each entry on its first use (on the connection that then runs it), so a Lambda cold
    /// start costs the same for 3 stats or 300. The whole catalogue is checked before a
    /// deploy instead (`cargo run -- catalogue check`).
    OnFirstUse,
}

/// Tokens shorter than this are refused: a guessable token is no lock.
pub const MIN_TOKEN_LEN: usize = 16;

impl Settings {
    /// The documented defaults, for a database and accepted tokens.
    pub fn new(database_url: impl Into<String>, tokens: Vec<Secret>) -> Settings {
        Settings {
            database_url: Secret::new(database_url),
            tokens,
            addr: "127.0.0.1:8081".into(),
            catalogue_path: None,
            query_timeout: Duration::from_millis(5_000),
            max_rows: 1_000,
            max_connections: 5,
            acquire_timeout: Duration::from_millis(2_000),
            live_check: LiveCheck::AtStartup,
            chart_links: None,
            cache_bytes: crate::cache::DEFAULT_BYTES,
        }
    }

    pub fn from_env() -> Result<Settings> {
        Settings::from_vars(&Env::process(), service_kit::on_lambda())
    }

    /// The settings from environment variables read through `env` (a map, in tests).
    /// On Lambda the pool holds one connection by default: every instance has its own pool,
    /// and instances multiply under load against the community's database.
    pub fn from_vars<F: Fn(&str) -> Option<String>>(
        env: &Env<F>,
        on_lambda: bool,
    ) -> Result<Settings> {
        let tokens = env.optional("STATS_API_TOKENS").ok_or_else(|| {
            Error::Config(
                "STATS_API_TOKENS is not set: give one or more bearer tokens, comma-separated"
                    .into(),
            )
        })?;
        let mut defaults = Settings::new(default_database_url(), Vec::new());
        if on_lambda {
            defaults.max_connections = 1;
            defaults.live_check = LiveCheck::OnFirstUse;
        }
        let settings = Settings {
            database_url: Secret::new(
                env.optional("DATABASE_URL")
                    .unwrap_or_else(default_database_url),
            ),
            tokens: parse_tokens(&tokens)?,
            addr: env.optional("STATS_API_ADDR").unwrap_or(defaults.addr),
            catalogue_path: env.optional("STATS_CATALOGUE").map(PathBuf::from),
            query_timeout: env.millis("STATS_QUERY_TIMEOUT_MS", defaults.query_timeout)?,
            max_rows: env.number("STATS_MAX_ROWS", defaults.max_rows as u64)? as usize,
            max_connections: env
                .number("STATS_DB_MAX_CONNECTIONS", defaults.max_connections.into())?
                as u32,
            acquire_timeout: env.millis("STATS_DB_ACQUIRE_TIMEOUT_MS", defaults.acquire_timeout)?,
            live_check: defaults.live_check,
            chart_links: Links::from_vars(env)?,
            cache_bytes: usize::try_from(
                env.number("STATS_API_CACHE_BYTES", defaults.cache_bytes as u64)?,
            )
            .unwrap_or(usize::MAX),
        };
        if settings.max_connections == 0 {
            return Err(Error::Config(
                "STATS_DB_MAX_CONNECTIONS is 0: the pool needs at least 1 connection to answer anything"
                    .into(),
            ));
        }
        settings.connect_options()?;
        Ok(settings)
    }

    pub fn connect_options(&self) -> Result<MySqlConnectOptions> {
        MySqlConnectOptions::from_str(self.database_url.expose())
            .map_err(|_| Error::Config("DATABASE_URL is not a valid mysql:// URL".into()))
    }

    pub fn database_location(&self) -> String {
        service_kit::database_url::location(self.database_url.expose())
    }
}

impl From<EnvError> for Error {
    fn from(e: EnvError) -> Self {
        Error::Config(e.0)
    }
}

pub fn parse_tokens(list: &str) -> Result<Vec<Secret>> {
    let tokens: Vec<Secret> = list
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(Secret::new)
        .collect();
    if tokens.is_empty() {
        return Err(Error::Config("STATS_API_TOKENS has no token in it".into()));
    }
    if tokens.iter().any(|t| t.expose().len() < MIN_TOKEN_LEN) {
        return Err(Error::Config(format!(
            "every token in STATS_API_TOKENS must be at least {MIN_TOKEN_LEN} characters"
        )));
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_split_trimmed_and_must_be_long() {
        let t = parse_tokens(" aaaaaaaaaaaaaaaa , bbbbbbbbbbbbbbbbbbbb,").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].expose(), "bbbbbbbbbbbbbbbbbbbb");
        let err = parse_tokens("short").unwrap_err().to_string();
        assert!(
            err.contains("at least 16") && !err.contains("short"),
            "{err}"
        );
    }

    #[test]
    fn settings_come_from_the_environment_with_defaults() {
        let vars = [
            ("STATS_API_TOKENS", "aaaaaaaaaaaaaaaa"),
            ("STATS_MAX_ROWS", " 50 "),
            ("STATS_API_ADDR", " "),
        ];
        let env = Env::new(|name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        });
        let s = Settings::from_vars(&env, false).unwrap();
        assert_eq!(
            s.database_url.expose(),
            "mysql://root@127.0.0.1:3306/statsbot_dev"
        );
        assert_eq!(s.addr, "127.0.0.1:8081");
        assert_eq!(s.max_rows, 50);
        assert_eq!(s.query_timeout, Duration::from_millis(5_000));
        assert_eq!(s.cache_bytes, 64 * 1024 * 1024);

        let none = Env::new(|_: &str| None);
        let err = Settings::from_vars(&none, false).unwrap_err().to_string();
        assert!(err.contains("STATS_API_TOKENS is not set"), "{err}");
    }

    #[test]
    fn on_lambda_the_pool_holds_one_connection_unless_told_otherwise() {
        let vars = |extra: Option<&'static str>| {
            Env::new(move |name: &str| match name {
                "STATS_API_TOKENS" => Some("aaaaaaaaaaaaaaaa".into()),
                "STATS_DB_MAX_CONNECTIONS" => extra.map(String::from),
                _ => None,
            })
        };
        let local = Settings::from_vars(&vars(None), false).unwrap();
        assert_eq!(local.max_connections, 5);
        let lambda = Settings::from_vars(&vars(None), true).unwrap();
        assert_eq!(lambda.max_connections, 1);
        let chosen = Settings::from_vars(&vars(Some("3")), true).unwrap();
        assert_eq!(chosen.max_connections, 3);
        let err = Settings::from_vars(&vars(Some("0")), false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("STATS_DB_MAX_CONNECTIONS is 0") && err.contains("at least 1"),
            "{err}"
        );
    }

    #[test]
    fn on_lambda_entries_are_checked_on_first_use() {
        let env = Env::new(|name: &str| (name == "STATS_API_TOKENS").then(|| "a".repeat(16)));
        let local = Settings::from_vars(&env, false).unwrap();
        assert_eq!(local.live_check, LiveCheck::AtStartup);
        let lambda = Settings::from_vars(&env, true).unwrap();
        assert_eq!(lambda.live_check, LiveCheck::OnFirstUse);
    }

    #[test]
    fn secrets_and_credentials_never_print() {
        let s = Settings {
            database_url: Secret::new("mysql://stats:hunter2@db.internal:3307/app"),
            tokens: vec![Secret::new("tok-0123456789abcdef")],
            addr: "127.0.0.1:0".into(),
            catalogue_path: None,
            query_timeout: Duration::from_secs(1),
            max_rows: 10,
            max_connections: 1,
            acquire_timeout: Duration::from_secs(1),
            live_check: LiveCheck::AtStartup,
            chart_links: Some(Links {
                public_url: "https://stats.example.org".into(),
                key: Secret::new("chart-key-0123456789abcdef0123456789"),
                ttl_seconds: 60,
            }),
            cache_bytes: 1024,
        };
        let shown = format!("{s:?} {}", s.database_location());
        assert!(
            !shown.contains("hunter2")
                && !shown.contains("tok-0123")
                && !shown.contains("chart-key"),
            "{shown}"
        );
        assert!(shown.contains("db.internal:3307/app"), "{shown}");
    }
}
