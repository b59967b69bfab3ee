//! Settings from the environment (DESIGN.md's contract), checked once at start-up.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::mysql::MySqlConnectOptions;

use crate::error::{Error, Result};

/// A value that must never reach a log, an error or a response.
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
}

pub const DEFAULT_DATABASE_URL: &str = "mysql://root@127.0.0.1:3306/test";
/// Tokens shorter than this are refused: a guessable token is no lock.
pub const MIN_TOKEN_LEN: usize = 16;

impl Settings {
    /// The defaults of DESIGN.md's contract for a database and accepted tokens.
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
        }
    }

    pub fn from_env() -> Result<Settings> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let number = |name: &str, default: u64| -> Result<u64> {
            match var(name) {
                None => Ok(default),
                Some(v) => v.trim().parse().map_err(|_| {
                    Error::Config(format!("{name} must be a whole number, got {v:?}"))
                }),
            }
        };
        let tokens = var("STATS_API_TOKENS").ok_or_else(|| {
            Error::Config(
                "STATS_API_TOKENS is not set: give one or more bearer tokens, comma-separated"
                    .into(),
            )
        })?;
        let settings = Settings {
            database_url: Secret::new(
                var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            ),
            tokens: parse_tokens(&tokens)?,
            addr: var("STATS_API_ADDR").unwrap_or_else(|| "127.0.0.1:8081".into()),
            catalogue_path: var("STATS_CATALOGUE").map(PathBuf::from),
            query_timeout: Duration::from_millis(number("STATS_QUERY_TIMEOUT_MS", 5_000)?),
            max_rows: number("STATS_MAX_ROWS", 1_000)? as usize,
            max_connections: number("STATS_DB_MAX_CONNECTIONS", 5)? as u32,
            acquire_timeout: Duration::from_millis(number("STATS_DB_ACQUIRE_TIMEOUT_MS", 2_000)?),
        };
        settings.connect_options()?;
        Ok(settings)
    }

    pub fn connect_options(&self) -> Result<MySqlConnectOptions> {
        MySqlConnectOptions::from_str(self.database_url.expose())
            .map_err(|_| Error::Config("DATABASE_URL is not a valid mysql:// URL".into()))
    }

    pub fn database_location(&self) -> String {
        database_location(self.database_url.expose())
    }
}

/// Where a database URL points, for logs and messages: host, port and database, no credentials.
pub fn database_location(url: &str) -> String {
    match MySqlConnectOptions::from_str(url) {
        Ok(o) => match o.get_database() {
            Some(db) => format!("{}:{}/{db}", o.get_host(), o.get_port()),
            None => format!("{}:{}", o.get_host(), o.get_port()),
        },
        Err(_) => "(invalid DATABASE_URL)".into(),
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
        };
        let shown = format!("{s:?} {}", s.database_location());
        assert!(
            !shown.contains("hunter2") && !shown.contains("tok-0123"),
            "{shown}"
        );
        assert!(shown.contains("db.internal:3307/app"), "{shown}");
    }
}
