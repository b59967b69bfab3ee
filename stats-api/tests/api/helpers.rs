//! Starts the real stats API on a free port against its own throwaway database.

use std::time::Duration;

use service_kit::Secret;
use stats_api::config::Settings;

pub const TOKEN: &str = "test-token-0123456789abcdef";
pub const OTHER_TOKEN: &str = "second-token-0123456789abcdef";

pub use devkit::schema::url_with_database as with_database;
pub use devkit::test_database::{TestDatabase, server_url};

pub fn settings(database_url: &str) -> Settings {
    Settings {
        addr: "127.0.0.1:0".into(),
        acquire_timeout: Duration::from_millis(1_500),
        ..Settings::new(
            database_url,
            vec![Secret::new(TOKEN), Secret::new(OTHER_TOKEN)],
        )
    }
}

/// A running stats API.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDatabase,
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.json().await.expect("a JSON body"))
    }
}

pub async fn spawn_app() -> TestApp {
    let db = TestDatabase::new().await;
    spawn_app_with(db, |s| s).await
}

/// Starts the service on `db` with settings adjusted by `adjust`.
pub async fn spawn_app_with(
    db: TestDatabase,
    adjust: impl FnOnce(Settings) -> Settings,
) -> TestApp {
    let settings = adjust(settings(&db.url()));
    let address = start(settings).await.expect("the stats API starts");
    TestApp {
        address,
        client: client(),
        db,
    }
}

pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// Builds and runs the service in the background; returns its base URL.
pub async fn start(settings: Settings) -> stats_api::Result<String> {
    let app = stats_api::Application::build(settings).await?;
    let address = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped());
    Ok(address)
}

/// Writes a catalogue file for one test.
pub fn catalogue_file(text: &str) -> tempfile_path::TempPath {
    tempfile_path::TempPath::with_contents(text)
}

pub mod tempfile_path {
    /// A file under the system temp dir, removed on drop.
    pub struct TempPath(pub std::path::PathBuf);

    impl TempPath {
        pub fn with_contents(text: &str) -> TempPath {
            static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
            let path = std::env::temp_dir().join(format!(
                "statsbot-catalogue-{}-{}.toml",
                std::process::id(),
                N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            ));
            std::fs::write(&path, text).unwrap();
            TempPath(path)
        }
    }

    impl Drop for TempPath {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}
