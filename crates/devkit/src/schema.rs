//! The reference schema's migrations (`migrations/` at the repository root), embedded, and
//! creating a database to hold them (dev stack, tests, benchmarks).

use std::str::FromStr;

use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
use sqlx::{AssertSqlSafe, Executor};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// `mysql://user@host:port[/db][?query]` with its database replaced by `database`.
pub fn url_with_database(url: &str, database: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{}/{database}{query}", &base[..host_end])
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
        .acquire_timeout(std::time::Duration::from_secs(5))
        // Not the database the URL may name: it may not exist yet.
        .connect_with(server.clone().database("information_schema"))
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

#[cfg(test)]
mod tests {
    use super::url_with_database;

    #[test]
    fn the_database_is_replaced_or_added_and_the_rest_kept() {
        assert_eq!(
            url_with_database("mysql://root@127.0.0.1:3306", "x"),
            "mysql://root@127.0.0.1:3306/x"
        );
        assert_eq!(
            url_with_database("mysql://u:p@h/app?ssl-mode=required", "x"),
            "mysql://u:p@h/x?ssl-mode=required"
        );
    }
}
