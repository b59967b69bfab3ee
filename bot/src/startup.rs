//! Building the app: one axum `Router`, served by the Lambda runtime (through lambda_http's
//! adapter, with a layer that finishes deferred answers) on Lambda, or by a local `TcpListener`
//! (port 0 allowed, for tests) elsewhere.

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::deferred::FinishDeferredLayer;
use crate::error::{Error, Result};
use crate::features::Features;
use crate::flows::scheduled;
use crate::registry::Registry;
use crate::routes;
use crate::slack::client::SlackClient;
use crate::slack::verification::{self, BODY_LIMIT};
use crate::state::AppState;

/// The bot put together: what its handlers share, and its features (for tools and tests that
/// reach into one: `features.alerts`).
pub struct Bot {
    pub state: AppState,
    pub features: Features,
}

/// Builds the bot from `config`: the one Slack client, every feature registered with it, the
/// state around them.
pub fn build(config: Config) -> Result<Bot> {
    let slack = SlackClient::new(&config.slack_api_url, config.slack_bot_token.clone())?;
    let mut registry = Registry::default();
    let features = Features::register(&config, &slack, &mut registry);
    let state = AppState::new(config, slack, registry.into_parts())?;
    Ok(Bot { state, features })
}

/// The routes, also under `/{stage}/…`: an API Gateway stage other than `$default` is the
/// first part of the path (lambda_http keeps it unless `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH`
/// is set).
///
/// Every route under `/slack/` is behind [`verification::verify`]: a Slack route is added
/// to `slack` below, never beside it.
pub fn router(state: AppState) -> Router {
    let slack = Router::new()
        .route("/slack/commands", post(routes::slash_command))
        .route("/slack/interactions", post(routes::interaction))
        .route("/slack/events", post(routes::events))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            verification::verify,
        ));
    let routes = Router::new()
        .merge(slack)
        .route("/healthz", get(routes::healthz));
    Router::new()
        .merge(routes.clone())
        .nest("/{stage}", routes)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// The local server.
pub struct Application {
    listener: TcpListener,
    addr: SocketAddr,
    bot: Bot,
}

impl Application {
    /// Binds `config.addr` (port 0 picks a free port).
    pub async fn build(config: Config) -> Result<Self> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let bot = build(config)?;
        Ok(Application {
            listener,
            addr,
            bot,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// What the handlers share, e.g. to wait for deferred work in a test.
    pub fn state(&self) -> AppState {
        self.bot.state.clone()
    }

    /// The features, e.g. to run a digest pass in a test.
    pub fn features(&self) -> &Features {
        &self.bot.features
    }

    pub async fn run_until_stopped(self) -> Result<()> {
        self.run_with_shutdown(std::future::pending()).await
    }

    /// Serves until `signal` completes, then finishes the requests in flight and the answers
    /// still on their way to `response_url`.
    pub async fn run_with_shutdown(
        self,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        let state = self.bot.state;
        let deferred = state.deferred().clone();
        let limits = service_kit::server::Limits::default();
        // Scheduled jobs run beside the server and stop with it.
        let (stopping, stopped) = tokio::sync::watch::channel(false);
        let signal = async move {
            signal.await;
            let _ = stopping.send(true);
        };
        let until_stopped = move |mut stopped: tokio::sync::watch::Receiver<bool>| async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        };
        // Over Socket Mode too when SLACK_APP_TOKEN is set; stopped with the server.
        #[cfg(feature = "socket-mode")]
        let socket = state.config().slack_app_token.clone().map(|token| {
            let stop = until_stopped(stopped.clone());
            tokio::spawn(crate::socket::run(state.clone(), token, stop))
        });
        let jobs = tokio::spawn(scheduled::run_local(state.clone(), until_stopped(stopped)));
        let served = service_kit::server::serve(self.listener, router(state), limits, signal).await;
        if served.is_err() {
            jobs.abort();
        }
        let _ = jobs.await;
        #[cfg(feature = "socket-mode")]
        if let Some(socket) = socket {
            let _ = socket.await;
        }
        served?;
        if deferred.pending() > 0 {
            tracing::info!(
                pending = deferred.pending(),
                "finishing deferred answers before stopping"
            );
        }
        deferred.finish().await;
        Ok(())
    }
}

/// Runs the Router under the Lambda runtime: what `lambda_http::run` does (its adapter and the
/// runtime's tracing layer), plus [`FinishDeferredLayer`], so that an answer deferred to
/// `response_url` is posted before the runtime asks for the next event and the environment
/// freezes.
pub async fn run_lambda(config: Config) -> Result<()> {
    use lambda_http::lambda_runtime::{Runtime, layers::TracingLayer};

    let state = build(config)?.state;
    let finish_deferred = FinishDeferredLayer::new(state.deferred().clone());
    // Slack's HTTP events to the Router, EventBridge Scheduler's ticks to the scheduled jobs.
    let handler = scheduled::lambda_handler(state.clone(), router(state));
    Runtime::new(handler)
        .layer(finish_deferred)
        .layer(TracingLayer::new())
        .run()
        .await
        .map_err(|e| Error::Lambda(e.to_string()))
}

/// Lambda when `AWS_LAMBDA_RUNTIME_API` is set, otherwise a local server on `BOT_ADDR` that
/// stops on Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<()> {
    if service_kit::on_lambda() {
        if config.slack_app_token.is_some() {
            tracing::warn!(
                "SLACK_APP_TOKEN ignored: Socket Mode needs a long-lived process, not Lambda"
            );
        }
        return run_lambda(config).await;
    }
    let app = Application::build(config).await?;
    tracing::info!(addr = %app.local_addr(), "bot listening");
    app.run_with_shutdown(service_kit::shutdown::signal()).await
}
