//! The reference schema's migrations (`migrations/` at the repository root), embedded, and
//! creating a database to hold them (dev stack, tests, benchmarks).

use std::str::FromStr;

use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
use sqlx::{AssertSqlSafe, Executor};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The options for `server_url` with its database replaced by `database`.
pub fn options_for(server_url: &str, database: &str) -> sqlx::Result<MySqlConnectOptions> {
    Ok(MySqlConnectOptions::from_str(server_url)?.database(database))
}

/// Creates `database` on the server at `server_url` if it is missing, and migrates it.
/// `database` must be a plain identifier (letters, digits, `_`).
pub async fn prepare_database(server_url: &str, database: &str) -> sqlx::Result<MySqlPool> {
    assert!(
        database
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "database names here are plain identifiers"
    );
    let server = MySqlConnectOptions::from_str(server_url)?;
    let admin = MySqlPoolOptions::new()
        .max_connections(1)
        .connect_with(server.clone())
        .await?;
    admin
        .execute(AssertSqlSafe(format!(
            "CREATE DATABASE IF NOT EXISTS `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )))
        .await?;
    admin.close().await;
    let pool = MySqlPoolOptions::new()
        .max_connections(4)
        .connect_with(server.database(database))
        .await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}
