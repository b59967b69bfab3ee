//! A throwaway database for tests: its own name, the schema, the demo rows, dropped afterwards.
//! Used by the stats API's tests and benchmarks and the end-to-end tests; never by the services.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::NaiveDateTime;
use sqlx::{AssertSqlSafe, Executor, MySqlPool};

use service_kit::{Env, database_url};

use crate::demo_data::{self, DemoOptions};
use crate::private_mariadb;
use crate::schema;

/// The server the tests use: `DATABASE_URL` (default `mysql://root@127.0.0.1:3306`) when it
/// answers; else, when `mariadbd` is installed, the private MariaDB the dev stack uses
/// (`target/dev-mariadb`, port 3307), started once for every test and test binary. When neither,
/// `DATABASE_URL`, and [`TestDatabase::new`] says how to start a server.
pub fn server_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let url = database_url::server_url(&Env::process());
        let answers = database_url::address(&url).is_some_and(|a| private_mariadb::answers(&a));
        let Some(server) = private_mariadb::find_server().filter(|_| !answers) else {
            return url;
        };
        eprintln!(
            "No database answers at {}; using the private MariaDB under target/dev-mariadb",
            database_url::location(&url)
        );
        match private_mariadb::ensure(&server, &private_mariadb::dev_dir(), private_mariadb::PORT) {
            Ok(private) => private.url,
            Err(e) => panic!("{e}"),
        }
    })
    .clone()
}

/// The demo data every test starts from (small: tests are about behaviour, not volume).
pub fn demo_options() -> DemoOptions {
    let end: NaiveDateTime = chrono::Utc::now().naive_utc();
    DemoOptions::new(2_000, end)
}

/// A fresh database with the schema and demo rows; dropped when the value is.
pub struct TestDatabase {
    pub name: String,
    pub pool: MySqlPool,
    /// The rows loaded, to compute expected answers without SQL.
    pub users: Vec<demo_data::DemoUser>,
}

impl TestDatabase {
    pub async fn new() -> TestDatabase {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "statsbot_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            chrono::Utc::now().timestamp_subsec_micros()
        );
        let pool = schema::prepare_database(&server_url(), &name)
            .await
            .unwrap_or_else(|e| {
                // The location only: DATABASE_URL may carry a password.
                panic!(
                    "cannot reach MariaDB/MySQL at {} ({e}).\n\
                     Start one: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql\n\
                     or point DATABASE_URL at a server where this user may create databases,\n\
                     or install MariaDB (mariadbd), and the tests start a private one under target/.",
                    service_kit::database_url::location(&server_url())
                )
            });
        let users = demo_data::generate(&demo_options());
        demo_data::load(&pool, &users)
            .await
            .expect("load demo data");
        TestDatabase { name, pool, users }
    }

    pub fn url(&self) -> String {
        schema::url_with_database(&server_url(), &self.name)
    }

    pub async fn count_users(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

impl Drop for TestDatabase {
    /// Ends the database's other connections first: a test that failed mid-query can leave a
    /// service's connection inside a transaction, and `DROP DATABASE` would wait on its lock.
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs outside async: use a short-lived runtime on its own thread.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let Ok(pool) = MySqlPool::connect(&server_url()).await else {
                    return;
                };
                let others: Vec<i64> = sqlx::query_scalar(
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()",
                )
                .bind(&name)
                .fetch_all(&pool)
                .await
                .unwrap_or_default();
                for id in others {
                    let _ = pool.execute(AssertSqlSafe(format!("KILL CONNECTION {id}"))).await;
                }
                let _ = pool
                    .execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS `{name}`")))
                    .await;
            })
        })
        .join();
    }
}
