//! The `statsbot` command's one error type. Each variant names the layer that failed (its
//! settings, the database, the bot's answer, the simulator's own receiver, a file) and says
//! what to do next.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A setting the command needs is missing or the dev stack it reads them from is not up.
    #[error("settings: {0}")]
    Settings(String),

    #[error(
        "no database answers at {location} ({cause}).\n\
         Start MariaDB:  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql\n\
         or point DATABASE_URL at a MySQL/MariaDB server where this user may create a database."
    )]
    NoDatabase { location: String, cause: String },

    #[error("database: {0}")]
    Database(#[from] sqlx::Error),

    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    #[error("private MariaDB: {0}")]
    PrivateMariaDb(#[from] devkit::private_mariadb::Error),

    #[error("stats API: {0}")]
    StatsApi(#[from] stats_api::Error),

    #[error("bot: {0}")]
    Bot(#[from] bot::error::Error),

    /// `statsbot ask`: the dev stack's stats API did not answer the question as it should.
    #[error("the stats API at {url}: {problem}")]
    StatsApiAnswer { url: String, problem: String },

    /// The bot did not answer the simulator's request at all.
    #[error(
        "the bot at {url} did not answer ({cause}).\n\
         Is the dev stack running? Start it with: cargo run -- dev"
    )]
    BotUnreachable { url: String, cause: String },

    /// The bot answered, but not with the 200 Slack needs.
    #[error("the bot answered HTTP {status}: {reply}")]
    BotAnswer { status: u16, reply: String },

    /// The simulator's own `response_url` stand-in got nothing in time.
    #[error(
        "{what} reached the simulator's response_url within {seconds} s \
         (does the bot allow it? SLACK_ALLOW_RESPONSE_URL=http://127.0.0.1:)"
    )]
    NothingReceived { what: &'static str, seconds: u64 },

    /// `--press` named a button the message does not have.
    #[error("no button `{wanted}` on that message; it has: {offered}")]
    NoSuchButton { wanted: String, offered: String },

    #[error("cannot read the catalogue {}: {source}", path.display())]
    CatalogueFile {
        path: PathBuf,
        source: std::io::Error,
    },

    /// `catalogue check` found problems: the report names each.
    #[error("\n{0}")]
    CatalogueBroken(String),

    /// `digest NAME` or `alert NAME` named an entry its file does not have.
    #[error("no {what} named {name:?} in {file}; there are: {known}")]
    NotInFile {
        what: &'static str,
        name: String,
        file: String,
        known: String,
    },

    #[error("digest not posted: {0} (the log says why)")]
    DigestNotPosted(String),

    /// `--save-charts` could not fetch a chart link the answer carried.
    #[error("the chart at {url}: {why}")]
    Chart { url: String, why: String },

    #[error("the alert's message was not sent: {0}")]
    AlertNotSent(String),

    #[error("no random numbers from the OS: {0}")]
    Random(String),

    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The names a file has, for [`Error::NotInFile`]: "a, b" or "none".
pub fn known_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}
