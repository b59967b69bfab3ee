//! Starts both services on free ports against a fresh database, and speaks to the bot as Slack.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use devkit::test_database::TestDatabase;
use serde_json::Value;
use service_kit::Secret;
use statsbot::slash::{form_body, send};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub const SECRET: &str = "e2e-signing-secret-0123456789";
pub const TOKEN: &str = "e2e-api-token-0123456789abcdef";

/// A running stats API that can be stopped and started again on the same address.
pub struct Api {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

pub async fn start_api(
    db: &TestDatabase,
    addr: &str,
    catalogue: Option<PathBuf>,
    query_timeout: Option<Duration>,
) -> (Api, SocketAddr) {
    let mut settings = stats_api::Settings::new(db.url(), vec![Secret::new(TOKEN)]);
    settings.addr = addr.to_string();
    settings.catalogue_path = catalogue;
    if let Some(limit) = query_timeout {
        settings.query_timeout = limit;
    }
    let app = stats_api::Application::build(settings)
        .await
        .expect("the stats API starts");
    let bound = app.local_addr();
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let _ = app
            .run_with_shutdown(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .await;
    });
    (Api { stop, task }, bound)
}

impl Api {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

pub struct Stack {
    pub db: TestDatabase,
    pub api: Option<Api>,
    pub api_addr: SocketAddr,
    pub bot_url: String,
    /// The running bot's shared state: its deferred work, its command list.
    pub bot: bot::state::AppState,
    pub catalogue: Option<PathBuf>,
    pub query_timeout: Option<Duration>,
    pub http: reqwest::Client,
}

pub async fn spawn_stack(catalogue: Option<PathBuf>) -> Stack {
    spawn_stack_with(catalogue, None, |_| {}).await
}

/// A stack whose stats API stops queries after `query_timeout` (its default when `None`), and
/// whose bot is configured further by `configure`.
pub async fn spawn_stack_with(
    catalogue: Option<PathBuf>,
    query_timeout: Option<Duration>,
    configure: impl FnOnce(&mut bot::Config),
) -> Stack {
    let db = TestDatabase::new().await;
    let (api, api_addr) = start_api(&db, "127.0.0.1:0", catalogue.clone(), query_timeout).await;
    let mut config = bot::config::Config::new(SECRET, format!("http://{api_addr}"), TOKEN);
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.catalogue_ttl = Duration::from_secs(1);
    configure(&mut config);
    let bot = bot::startup::Application::build(config)
        .await
        .expect("the bot starts");
    let bot_url = format!("http://{}/slack/commands", bot.local_addr());
    let state = bot.state();
    tokio::spawn(bot.run_until_stopped());
    let _ = rustls::crypto::ring::default_provider().install_default();
    Stack {
        db,
        api: Some(api),
        api_addr,
        bot_url,
        bot: state,
        catalogue,
        query_timeout,
        http: reqwest::Client::new(),
    }
}

impl Stack {
    /// Waits until every answer the bot started has been delivered or given up on: after this,
    /// nothing more comes from what was sent so far.
    pub async fn settled(&self) {
        self.bot.deferred().finish().await;
    }

    /// What Slack would get back for `/stats <text>`, signed with the right secret.
    pub async fn slash(&self, text: &str) -> Value {
        let body = form_body("/stats", text, "T0E2E", "U0E2E", "");
        let (status, reply) = send(&self.bot_url, SECRET, body)
            .await
            .expect("the bot answers");
        assert_eq!(status, 200, "Slack needs a 200: {reply}");
        reply
    }

    /// Everything a person would read in the reply, blocks and fallback.
    pub async fn slash_text(&self, text: &str) -> String {
        let reply = self.slash(text).await;
        format!("{}\n{}", reply["text"], reply["blocks"])
    }

    pub async fn stop_api(&mut self) {
        if let Some(api) = self.api.take() {
            api.stop().await;
        }
    }

    pub async fn start_api_again(&mut self) {
        let (api, _) = start_api(
            &self.db,
            &self.api_addr.to_string(),
            self.catalogue.clone(),
            self.query_timeout,
        )
        .await;
        self.api = Some(api);
    }
}

/// 4625 → "4,625", as the bot writes figures.
pub fn grouped(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A catalogue file for one test, removed on drop.
pub struct CatalogueFile(pub PathBuf);

impl CatalogueFile {
    pub fn new(text: &str) -> CatalogueFile {
        let path = std::env::temp_dir().join(format!(
            "statsbot-e2e-{}-{}.toml",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
        ));
        std::fs::write(&path, text).unwrap();
        CatalogueFile(path)
    }
}

impl Drop for CatalogueFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The shipped catalogue, with `members` sleeping `seconds` on the database every time (never
/// cached): a stat slower than a deadline.
pub fn members_sleeping(seconds: u32) -> String {
    let shipped = stats_api::catalogue::DEFAULT_CATALOGUE;
    let slow = shipped
        .replacen(
            "FROM (SELECT 1 AS one) AS always",
            &format!("FROM (SELECT SLEEP({seconds}) AS pause) AS always"),
            1,
        )
        .replacen("cache_seconds = 60", "cache_seconds = 0", 1);
    assert_ne!(
        slow, shipped,
        "the shipped members SQL changed: update this helper"
    );
    slow
}

/// The dev stack's options on `db`, on free ports, serving `catalogue`, with the environment
/// `extra` adds.
pub fn dev_options(
    db: &devkit::test_database::TestDatabase,
    catalogue: &CatalogueFile,
    extra: &[(&str, &str)],
) -> statsbot::dev::DevOptions {
    let mut vars: std::collections::HashMap<String, String> = [
        ("DATABASE_URL", devkit::test_database::server_url()),
        ("BOT_ADDR", "127.0.0.1:0".into()),
        ("STATS_API_ADDR", "127.0.0.1:0".into()),
        ("STATS_CATALOGUE", catalogue.0.display().to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut options = statsbot::dev::DevOptions::from_vars(vars);
    options.database = db.name.clone();
    options
}

/// A dev stack on `db`, on free ports, serving `catalogue`, with the environment `extra` adds.
pub async fn dev_stack(
    db: &devkit::test_database::TestDatabase,
    catalogue: &CatalogueFile,
    extra: &[(&str, &str)],
) -> statsbot::dev::Stack {
    statsbot::dev::Stack::start(&dev_options(db, catalogue, extra))
        .await
        .expect("the dev stack starts")
}

/// `/stats <text>` to a dev stack, signed with its secret; the reply as text.
pub async fn ask_dev(stack: &statsbot::dev::Stack, text: &str, response_url: &str) -> Value {
    let body = form_body("/stats", text, "T0DEV", "U0DEV", response_url);
    let (status, reply) = send(
        &format!("{}/slack/commands", stack.state.bot_url),
        &stack.state.signing_secret,
        body,
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "Slack needs a 200: {reply}");
    reply
}

/// What `/stats members` must say, straight from the database.
pub async fn members_truth(pool: &sqlx::MySqlPool) -> (i64, i64, String) {
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL")
        .fetch_one(pool)
        .await
        .unwrap();
    let invited = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users u JOIN users m ON m.id = u.invited_by \
         WHERE u.deleted_at IS NULL AND m.is_mentor = 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let newest = sqlx::query_scalar(
        "SELECT name FROM users WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (total, invited, newest)
}
