//! `statsbot dev`: the whole stack in one process on demo data, with local credentials.

use std::collections::HashMap;
use std::path::PathBuf;

use devkit::demo_data::{self, DemoOptions};
use devkit::private_mariadb;
use devkit::schema;
use service_kit::Env;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

use crate::catalogue_watch::{self, Reload};
use crate::dev_state::DevState;
use crate::error::{Error, Result};

pub use service_kit::database_url::DEV_DATABASE;
pub const DEMO_MEMBERS: usize = 5_000;
/// Where `statsbot slash` listens for deferred answers: any port on 127.0.0.1.
pub const LOCAL_RESPONSE_URLS: &str = "http://127.0.0.1:";
/// The Home tab's shipped example, which the dev stack uses unless `BOT_HOME` names a file.
pub const HOME_EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/bot/home.example.toml");

pub struct DevOptions {
    /// `DATABASE_URL`: the server; the stack uses its own database on it.
    pub server_url: String,
    pub database: String,
    pub members: usize,
    /// The environment both services read their documented settings from, through their own
    /// settings readers (a map in tests). The stack fills in only what it must: its database,
    /// its stats API's address for the bot, and fresh credentials when none are set.
    pub vars: HashMap<String, String>,
    /// `--socket`: answer in the real workspace over Socket Mode (`SLACK_APP_TOKEN`,
    /// `SLACK_BOT_TOKEN`); Slack's Web API is the real one unless `SLACK_API_URL` says otherwise.
    pub socket: bool,
}

impl DevOptions {
    pub fn from_env() -> DevOptions {
        DevOptions::from_vars(std::env::vars().collect())
    }

    pub fn from_vars(vars: HashMap<String, String>) -> DevOptions {
        let env = Env::new(|name| vars.get(name).cloned());
        DevOptions {
            server_url: service_kit::database_url::server_url(&env),
            database: DEV_DATABASE.into(),
            members: DEMO_MEMBERS,
            vars,
            socket: false,
        }
    }

    fn var(&self, name: &str) -> Option<String> {
        Env::new(|name| self.vars.get(name).cloned()).optional(name)
    }

    /// Over Socket Mode the stack answers in a real workspace: both of the app's tokens are
    /// needed, and each missing one is named with where to find it.
    fn check_socket_tokens(&self) -> Result<()> {
        let missing: Vec<&str> = [
            (
                "SLACK_APP_TOKEN",
                "SLACK_APP_TOKEN (xapp-…: Basic Information → App-Level Tokens, with connections:write)",
            ),
            (
                "SLACK_BOT_TOKEN",
                "SLACK_BOT_TOKEN (xoxb-…: OAuth & Permissions → Bot User OAuth Token)",
            ),
        ]
        .into_iter()
        .filter(|(name, _)| self.var(name).is_none())
        .map(|(_, what)| what)
        .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Error::Settings(format!(
            "`dev --socket` answers in your Slack workspace and needs {}: create the app from \
             infra/slack-app-manifest.socket.yaml and install it (README: \"Try it in your \
             workspace\")",
            missing.join(" and ")
        )))
    }
}

/// Fresh local credentials: hex from the OS's random source.
pub fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| Error::Random(e.to_string()))?;
    Ok(hex::encode(buf))
}

/// `addr` with port 0 replaced by a port free now (so the stats API's links can name it).
fn fixed_addr(addr: &str) -> Result<String> {
    if !addr.ends_with(":0") {
        return Ok(addr.to_string());
    }
    let probe = std::net::TcpListener::bind(addr)?;
    Ok(probe.local_addr()?.to_string())
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

/// Both services running in this process, and the watch on their catalogue file.
pub struct Stack {
    pub state: DevState,
    /// The catalogue file being watched for edits.
    pub catalogue: PathBuf,
    reloads: broadcast::Sender<Reload>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    watcher: JoinHandle<()>,
    /// Slack's Web API stand-in: shows what the bot posts there (none over Socket Mode).
    _slack: Option<devkit::slack_api_stub::SlackApiStub>,
    /// The running bot's shared state: its deferred work, for tests that wait on it.
    bot: bot::state::AppState,
}

/// The shipped catalogue in this checkout: what the dev stack serves and watches unless
/// `STATS_CATALOGUE` names another file.
pub fn shipped_catalogue() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/stats-api/catalogue.toml"
    ))
}

impl Stack {
    /// Starts both services with their own settings readers over `options.vars`. Credentials
    /// come from `SLACK_SIGNING_SECRET` and `STATS_API_TOKEN` when set, else fresh ones.
    pub async fn start(options: &DevOptions) -> Result<Stack> {
        if options.socket {
            options.check_socket_tokens()?;
        }
        let signing_secret = match options.var("SLACK_SIGNING_SECRET") {
            Some(secret) => secret,
            None => random_hex(32)?,
        };
        let api_token = match options.var("STATS_API_TOKEN") {
            Some(token) => token,
            None => random_hex(24)?,
        };
        let database_url = schema::url_with_database(&options.server_url, &options.database);
        let catalogue = options
            .var("STATS_CATALOGUE")
            .map_or_else(shipped_catalogue, PathBuf::from);
        // Chart links open in a browser: the stats API signs them for its own address, with
        // a fresh key, so its address must be known before it starts.
        let api_addr = fixed_addr(
            &options
                .var("STATS_API_ADDR")
                .unwrap_or_else(|| "127.0.0.1:8081".into()),
        )?;
        // Slack's image proxy cannot fetch a chart from this machine: over Socket Mode, charts
        // only with a public STATS_API_PUBLIC_URL.
        let public_url = options
            .var("STATS_API_PUBLIC_URL")
            .or_else(|| (!options.socket).then(|| format!("http://{api_addr}")));
        let chart_key = match options.var("STATS_API_CHART_KEY") {
            Some(key) => key,
            None => random_hex(32)?,
        };
        let api_vars = |name: &str| match name {
            "DATABASE_URL" => Some(database_url.clone()),
            "STATS_API_ADDR" => Some(api_addr.clone()),
            "STATS_API_PUBLIC_URL" => public_url.clone(),
            "STATS_API_CHART_KEY" => Some(chart_key.clone()),
            "STATS_API_TOKENS" => Some(api_token.clone()),
            "STATS_CATALOGUE" => Some(catalogue.display().to_string()),
            _ => options.vars.get(name).cloned(),
        };
        let settings = stats_api::Settings::from_vars(&Env::new(api_vars), false)?;
        let api = stats_api::Application::build(settings).await?;
        let api_url = format!("http://{}", api.local_addr());

        // Digests and alerts: the shipped examples, posted to a stand-in that prints them. Over
        // Socket Mode, Slack is the real workspace: only the files set, posted there.
        let slack = match options.socket {
            false => Some(crate::digest::dev_slack_api().await?),
            true => None,
        };
        let slack_api_url = options
            .var("SLACK_API_URL")
            .or_else(|| slack.as_ref().map(|s| s.url()))
            .unwrap_or_else(|| bot::slack::client::DEFAULT_API_URL.into());
        let slack_bot_token = match options.var("SLACK_BOT_TOKEN") {
            Some(token) => token,
            None => format!("xoxb-dev-{}", random_hex(12)?),
        };
        // Absolute, so that `statsbot digest` and `alert` find them from any folder.
        let file = |name: &str, example: &str| {
            let path = options
                .var(name)
                .or_else(|| (!options.socket).then(|| example.into()))?;
            Some(
                std::path::absolute(&path)
                    .map(|p| p.display().to_string())
                    .unwrap_or(path),
            )
        };
        let digests_file = file("BOT_DIGESTS", crate::digest::EXAMPLE);
        let alerts_file = file("BOT_ALERTS", crate::alert::EXAMPLE);
        // The Home tab shows only to whoever opens it: the example, over Socket Mode too.
        let home_file = file("BOT_HOME", HOME_EXAMPLE).or_else(|| Some(HOME_EXAMPLE.into()));
        let bot_vars = |name: &str| match name {
            "BOT_DIGESTS" => digests_file.clone(),
            "BOT_ALERTS" => alerts_file.clone(),
            "BOT_HOME" => home_file.clone(),
            // Links to the stats API, as people see them, unfurl.
            "STATS_API_PUBLIC_URL" => public_url.clone(),
            "SLACK_API_URL" => Some(slack_api_url.clone()),
            "SLACK_BOT_TOKEN" => Some(slack_bot_token.clone()),
            "SLACK_SIGNING_SECRET" => Some(signing_secret.clone()),
            "STATS_API_URL" => Some(api_url.clone()),
            "STATS_API_TOKEN" => Some(api_token.clone()),
            // A catalogue edit shows up in Slack within seconds locally.
            "BOT_CATALOGUE_TTL_SECONDS" => options.var(name).or(Some("5".into())),
            // `statsbot slash` receives slow answers on 127.0.0.1, as Slack would on response_url.
            "SLACK_ALLOW_RESPONSE_URL" => options.var(name).or(Some(LOCAL_RESPONSE_URLS.into())),
            _ => options.vars.get(name).cloned(),
        };
        let config = bot::config::Config::from_lookup(bot_vars)?;
        let bot = bot::startup::Application::build(config).await?;
        let bot_url = format!("http://{}", bot.local_addr());
        let bot_state = bot.state();

        let (reloads, _) = broadcast::channel(16);
        let watcher = tokio::spawn(catalogue_watch::watch(
            catalogue.clone(),
            api.state(),
            bot.state(),
            {
                let reloads = reloads.clone();
                move |reload| {
                    let _ = reloads.send(reload);
                }
            },
        ));
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
                slack_api_url: Some(slack_api_url),
                // A real workspace's token is not written to a file: `digest` and `alert` read
                // SLACK_BOT_TOKEN from their own environment then.
                slack_bot_token: (!options.socket).then_some(slack_bot_token),
                digests_file,
                alerts_file,
                home_file,
            },
            catalogue,
            reloads,
            stop,
            tasks,
            watcher,
            _slack: slack,
            bot: bot_state,
        })
    }

    /// What each saved edit of the catalogue came to, from now on.
    pub fn reloads(&self) -> broadcast::Receiver<Reload> {
        self.reloads.subscribe()
    }

    /// Waits until everything the bot has started (deferred answers, events' work) has ended.
    pub async fn settled(&self) {
        self.bot.deferred().finish().await;
    }

    /// Stops both services after the requests in flight.
    pub async fn stop(self) {
        self.watcher.abort();
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// What the stack says once it runs: where things are and what to try.
fn banner(stack: &Stack, socket: bool) -> String {
    let s = &stack.state;
    let catalogue = stack.catalogue.display();
    if socket {
        return format!(
            "\nstatsbot is running on demo data and answers in your Slack workspace over Socket \
             Mode.\n\
             \n  stats API  {api}/v1/stats\n  bot        {bot}/healthz\n\
             \nTry it in Slack, in any channel, once the log says \"Socket Mode connected\":\n\
             \n  /stats members\n  /stats help\n  /stats how many joined this week\n\
             \nor mention @statsbot in a thread (\"@statsbot how many people do we have\"), DM it, \
             and open its Home tab.\n\
             \nCharts need a public STATS_API_PUBLIC_URL (Slack fetches them itself); without \
             one, answers come without them.\n\
             Edit {catalogue} and save: the change is served at once if it holds.\n\
             Ctrl-C stops everything.",
            bot = s.bot_url,
            api = s.api_url,
        );
    }
    format!(
        "\nstatsbot is running on demo data.\n\
         \n  bot        {bot}/slack/commands\n  stats API  {api}/v1/stats\n\
         \nTry it (in another terminal):\n\
         \n  cargo run -- slash \"/stats members\"\n  cargo run -- slash \"/stats help\"\n  \
         cargo run -- slash \"/stats how many joined this week\"\n  \
         cargo run -- slash \"/stats signups 12\" --save-charts /tmp/charts\n  \
         cargo run -- alert headcount\n  \
         cargo run -- mention \"how many people do we have\"\n  \
         cargo run -- dm \"signups 6\"\n  \
         cargo run -- unfurl \"{api}/v1/stats/signups?months=6\"\n  \
         cargo run -- home\n  \
         curl -H \"Authorization: Bearer {token}\" {api}/v1/stats/members\n\
         \nEdit {catalogue} and save: the change is served at once if it holds.\n\
         Ctrl-C stops everything.",
        bot = s.bot_url,
        api = s.api_url,
        token = s.api_token,
    )
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
                "No database answers at {location}; using a private MariaDB under target/dev-mariadb…"
            );
            let base = private_mariadb::dev_dir();
            let started = tokio::task::spawn_blocking(move || {
                private_mariadb::ensure(&server, &base, private_mariadb::PORT)
            })
            .await
            .expect("the start does not panic")?;
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
    let stack = Stack::start(&options).await?;
    stack.state.save()?;
    println!("{}", banner(&stack, options.socket));
    let mut reloads = stack.reloads();
    let catalogue = stack.catalogue.clone();
    let shown = tokio::spawn(async move {
        while let Ok(reload) = reloads.recv().await {
            println!("{}", catalogue_watch::describe(&catalogue, &reload));
        }
    });
    service_kit::shutdown::signal().await;
    shown.abort();
    println!("\nStopping…");
    stack.stop().await;
    let _ = std::fs::remove_file(DevState::path());
    // Only a server this stack started; one the tests left running stays up.
    if let Some(private) = private.filter(|p| p.started.is_some()) {
        println!("Stopping the private MariaDB…");
        tokio::task::spawn_blocking(move || private.stop())
            .await
            .expect("the stop does not panic")?;
    }
    Ok(())
}
