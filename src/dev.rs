//! `statsbot dev`: the whole stack in one process on demo data, with local credentials.

use std::net::SocketAddr;
use std::path::PathBuf;

use devkit::demo_data::{self, DemoOptions};
use devkit::schema;
use serde::{Deserialize, Serialize};
use service_kit::Secret;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::{Error, Result};
use crate::private_mariadb;

pub const DEV_DATABASE: &str = "statsbot_dev";
pub const DEMO_MEMBERS: usize = 5_000;
/// Where `statsbot slash` listens for deferred answers: any port on 127.0.0.1.
pub const LOCAL_RESPONSE_URLS: &str = "http://127.0.0.1:";

pub struct DevOptions {
    /// `DATABASE_URL`: the server; the stack uses its own database on it.
    pub server_url: String,
    pub database: String,
    pub api_addr: String,
    pub bot_addr: SocketAddr,
    pub catalogue: Option<PathBuf>,
    pub members: usize,
}

impl DevOptions {
    pub fn from_env() -> Result<DevOptions> {
        let env = service_kit::Env::process();
        let var = |name: &str| env.optional(name);
        let bot_addr = var("BOT_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        Ok(DevOptions {
            server_url: var("DATABASE_URL").unwrap_or_else(|| "mysql://root@127.0.0.1:3306".into()),
            database: DEV_DATABASE.into(),
            api_addr: var("STATS_API_ADDR").unwrap_or_else(|| "127.0.0.1:8081".into()),
            bot_addr: bot_addr
                .parse()
                .map_err(|_| Error::Slash(format!("BOT_ADDR {bot_addr:?} is not host:port")))?,
            catalogue: var("STATS_CATALOGUE").map(PathBuf::from),
            members: DEMO_MEMBERS,
        })
    }
}

/// What `slash` needs to talk to a running dev stack; written to `target/` while it runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevState {
    pub bot_url: String,
    pub api_url: String,
    pub signing_secret: String,
    pub api_token: String,
}

impl DevState {
    pub fn path() -> PathBuf {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/target/statsbot-dev.json"
        ))
    }

    pub fn load() -> Option<DevState> {
        serde_json::from_slice(&std::fs::read(Self::path()).ok()?).ok()
    }

    fn save(&self) -> Result<()> {
        let path = Self::path();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, serde_json::to_vec_pretty(self).expect("plain data"))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    }
}

/// Fresh local credentials: hex from the OS's random source.
pub fn random_hex(bytes: usize) -> Result<String> {
    use std::io::Read;
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Creates (if missing) and migrates `database` on the server at `server_url`.
pub async fn migrate(server_url: &str, database: &str) -> Result<sqlx::MySqlPool> {
    schema::prepare_database(server_url, database)
        .await
        .map_err(|e| match e {
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Tls(_) => {
                Error::NoDatabase {
                    location: service_kit::database_url::location(server_url),
                    cause: e.to_string(),
                }
            }
            sqlx::Error::Migrate(m) => Error::Migrate(*m),
            other => Error::Database(other),
        })
}

/// Migrates and (when empty) seeds the stack's database; says whether it seeded.
pub async fn prepare_database(server_url: &str, database: &str, members: usize) -> Result<bool> {
    let pool = migrate(server_url, database).await?;
    let end = chrono::Utc::now().naive_utc();
    let seeded = demo_data::seed_if_empty(&pool, &DemoOptions::new(members, end)).await?;
    pool.close().await;
    Ok(seeded)
}

/// Both services running in this process.
pub struct Stack {
    pub state: DevState,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Stack {
    pub async fn start(
        options: &DevOptions,
        signing_secret: String,
        api_token: String,
    ) -> Result<Stack> {
        let mut settings = stats_api::Settings::new(
            schema::url_with_database(&options.server_url, &options.database),
            vec![Secret::new(api_token.clone())],
        );
        settings.addr = options.api_addr.clone();
        settings.catalogue_path = options.catalogue.clone();
        let api = stats_api::Application::build(settings).await?;
        let api_url = format!("http://{}", api.local_addr());

        let mut config =
            bot::config::Config::new(signing_secret.clone(), api_url.clone(), api_token.clone());
        config.addr = options.bot_addr;
        // A catalogue edit shows up in Slack within seconds locally.
        config.catalogue_ttl = std::time::Duration::from_secs(5);
        // `statsbot slash` receives slow answers on 127.0.0.1, as Slack would on response_url.
        config.allow_response_url = Some(LOCAL_RESPONSE_URLS.into());
        let bot = bot::startup::Application::build(config).await?;
        let bot_url = format!("http://{}", bot.local_addr());

        let (stop, stopped) = watch::channel(false);
        let until_stopped = |mut rx: watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };
        let tasks = vec![
            tokio::spawn({
                let signal = until_stopped(stopped.clone());
                async move {
                    if let Err(e) = api.run_with_shutdown(signal).await {
                        tracing::error!("stats API stopped: {e}");
                    }
                }
            }),
            tokio::spawn({
                let signal = until_stopped(stopped);
                async move {
                    if let Err(e) = bot.run_with_shutdown(signal).await {
                        tracing::error!("bot stopped: {e}");
                    }
                }
            }),
        ];
        Ok(Stack {
            state: DevState {
                bot_url,
                api_url,
                signing_secret,
                api_token,
            },
            stop,
            tasks,
        })
    }

    /// Stops both services after the requests in flight.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// `cargo run -- dev`.
pub async fn run(mut options: DevOptions) -> Result<()> {
    println!("Preparing the `{}` database…", options.database);
    // Stopped after the stack, if we started one.
    let mut private = None;
    let seeded = match prepare_database(&options.server_url, &options.database, options.members)
        .await
    {
        Err(Error::NoDatabase { location, cause }) => {
            let Some(server) = private_mariadb::find_server() else {
                return Err(Error::NoDatabase { location, cause });
            };
            println!(
                "No database answers at {location}; starting a private MariaDB under target/dev-mariadb…"
            );
            let started =
                private_mariadb::start(&server, &private_mariadb::dev_dir(), private_mariadb::PORT)
                    .await?;
            options.server_url = started.url.clone();
            private = Some(started);
            prepare_database(&options.server_url, &options.database, options.members).await?
        }
        other => other?,
    };
    if seeded {
        println!(
            "Loaded demo data: {} members over six years.",
            options.members
        );
    }
    let stack = Stack::start(&options, random_hex(32)?, random_hex(24)?).await?;
    stack.state.save()?;
    let s = &stack.state;
    println!(
        "\nstatsbot is running on demo data.\n\
         \n  bot        {bot}/slack/commands\n  stats API  {api}/v1/stats\n\
         \nTry it (in another terminal):\n\
         \n  cargo run -- slash \"/stats members\"\n  cargo run -- slash \"/stats help\"\n  \
         curl -H \"Authorization: Bearer {token}\" {api}/v1/stats/members\n\
         \nCtrl-C stops everything.",
        bot = s.bot_url,
        api = s.api_url,
        token = s.api_token,
    );
    service_kit::shutdown::signal().await;
    println!("\nStopping…");
    stack.stop().await;
    let _ = std::fs::remove_file(DevState::path());
    if let Some(private) = private {
        println!("Stopping the private MariaDB…");
        private.stop().await?;
    }
    Ok(())
}
