//! A database user at its connection limit is a 503 the service recovers from, and the
//! service's sessions tell the server to close them when a (Lambda) instance goes quiet.

use sqlx::mysql::MySqlConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Executor};
use std::str::FromStr;

use crate::helpers::{TestDatabase, catalogue_file, server_url, spawn_app_with, with_database};

const CATALOGUE: &str = r#"
[[stats]]
name = "count"
title = "Count"
description = "Everyone, never cached"
display = "figures"
sql = "SELECT COUNT(*) AS total FROM users"

[[stats]]
name = "session"
title = "Session"
description = "The session's idle limit"
display = "figures"
sql = "SELECT @@SESSION.wait_timeout AS wait_timeout"
"#;

const PASSWORD: &str = "limit-test-pw-0123";

/// A throwaway user allowed one connection, dropped when the value is.
struct LimitedUser {
    name: String,
}

impl LimitedUser {
    async fn create(db: &TestDatabase) -> LimitedUser {
        // The database's name is unique per test; a user name is at most 80 characters.
        let name = format!("lim_{}", &db.name["statsbot_test_".len()..]);
        for sql in [
            format!("DROP USER IF EXISTS '{name}'@'%'"),
            format!(
                "CREATE USER '{name}'@'%' IDENTIFIED BY '{PASSWORD}' WITH MAX_USER_CONNECTIONS 1"
            ),
            format!("GRANT SELECT ON `{}`.* TO '{name}'@'%'", db.name),
        ] {
            db.pool.execute(AssertSqlSafe(sql)).await.unwrap();
        }
        LimitedUser { name }
    }

    fn url(&self, db: &TestDatabase) -> String {
        let server = MySqlConnectOptions::from_str(&server_url()).unwrap();
        with_database(
            &format!(
                "mysql://{}:{PASSWORD}@{}:{}",
                self.name,
                server.get_host(),
                server.get_port()
            ),
            &db.name,
        )
    }

    /// Ends every connection the user has open (the service's idle ones included).
    async fn disconnect_all(&self, db: &TestDatabase) {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?")
                .bind(&self.name)
                .fetch_all(&db.pool)
                .await
                .unwrap();
        for id in ids {
            let _ = db
                .pool
                .execute(AssertSqlSafe(format!("KILL CONNECTION {id}")))
                .await;
        }
    }
}

impl Drop for LimitedUser {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs outside async: a short-lived runtime on its own thread.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(mut conn) = sqlx::MySqlConnection::connect(&server_url()).await {
                    let _ = conn
                        .execute(AssertSqlSafe(format!("DROP USER IF EXISTS '{name}'@'%'")))
                        .await;
                }
            })
        })
        .join();
    }
}

#[tokio::test]
async fn a_user_at_its_connection_limit_is_a_503_that_heals() {
    let db = TestDatabase::new().await;
    let user = LimitedUser::create(&db).await;
    let url = user.url(&db);
    let file = catalogue_file(CATALOGUE);
    let app = spawn_app_with(db, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s.database_url = service_kit::Secret::new(url.clone());
        // As on Lambda; a larger pool could race for a second connection at start.
        s.max_connections = 1;
        s
    })
    .await;
    let (status, body) = app.get_json("/v1/stats/count").await;
    assert_eq!(status, 200, "{body}");

    // Someone else holds the user's only connection.
    user.disconnect_all(&app.db).await;
    let held = MySqlConnectOptions::from_str(&url)
        .unwrap()
        .connect()
        .await
        .expect("the one allowed connection");
    for path in ["/v1/stats/count", "/readyz"] {
        let (status, body) = app.get_json(path).await;
        assert_eq!(status, 503, "{path}: {body}");
        assert_eq!(body["error"]["code"], "database_unavailable", "{path}");
    }

    held.close().await.unwrap();
    // The server frees the slot a moment after the client quits.
    let mut answer = app.get_json("/v1/stats/count").await;
    for _ in 0..20 {
        if answer.0 == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        answer = app.get_json("/v1/stats/count").await;
    }
    assert_eq!(answer.0, 200, "{}", answer.1);
    drop(app);
    drop(user);
}

#[tokio::test]
async fn sessions_ask_the_server_to_close_them_after_ten_idle_minutes() {
    let file = catalogue_file(CATALOGUE);
    let app = spawn_app_with(TestDatabase::new().await, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s
    })
    .await;
    let (status, body) = app.get_json("/v1/stats/session").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["rows"][0]["wait_timeout"], 600);
}
