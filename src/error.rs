//! The `statsbot` command's one error type: each says what to do next.

#[derive(Debug, thiserror::Error)]
pub enum Error {
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

    #[error("stats API: {0}")]
    StatsApi(#[from] stats_api::Error),

    #[error("bot: {0}")]
    Bot(#[from] bot::error::Error),

    #[error("{0}")]
    Slash(String),

    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
