//! Building the app: one axum `Router`, served by lambda_http on Lambda or by a local
//! `TcpListener` (port 0 allowed, for tests) elsewhere.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tokio::net::TcpListener;

use crate::catalogue::{Available, CommandCache};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::routes;
use crate::stats_client::StatsClient;
use crate::telemetry;

/// What every request handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    client: StatsClient,
    commands: CommandCache,
}

impl AppState {
    pub fn new(config: Config) -> Result<Self> {
        let client = StatsClient::new(
            &config.stats_api_url,
            config.stats_api_token.clone(),
            config.stats_api_timeout,
        )?;
        let commands = CommandCache::new(config.catalogue_ttl);
        Ok(AppState(Arc::new(Inner {
            config,
            client,
            commands,
        })))
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub fn client(&self) -> &StatsClient {
        &self.0.client
    }

    pub async fn commands(&self) -> Available {
        self.0.commands.get(&self.0.client).await
    }

    pub fn invalidate_commands(&self) {
        self.0.commands.invalidate()
    }
}

/// The routes, also under `/{stage}/…`: an API Gateway REST API puts its stage name in front of
/// the path (lambda_http keeps it unless `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` is set).
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/slack/commands", post(routes::slash_command))
        .route("/healthz", get(routes::healthz));
    Router::new()
        .merge(routes.clone())
        .nest("/{stage}", routes)
        .layer(DefaultBodyLimit::max(routes::BODY_LIMIT))
        .with_state(state)
}

/// The local server.
pub struct Application {
    listener: TcpListener,
    addr: SocketAddr,
    router: Router,
}

impl Application {
    /// Binds `config.addr` (port 0 picks a free port).
    pub async fn build(config: Config) -> Result<Self> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let router = router(AppState::new(config)?);
        Ok(Application {
            listener,
            addr,
            router,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub async fn run_until_stopped(self) -> Result<()> {
        self.run_with_shutdown(std::future::pending()).await
    }

    /// Serves until `signal` completes, then finishes the requests in flight.
    pub async fn run_with_shutdown(
        self,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(signal)
            .await?;
        Ok(())
    }
}

/// Runs the Router under the Lambda runtime.
pub async fn run_lambda(config: Config) -> Result<()> {
    let router = router(AppState::new(config)?);
    lambda_http::run(router)
        .await
        .map_err(|e| Error::Lambda(e.to_string()))
}

/// Lambda when `AWS_LAMBDA_RUNTIME_API` is set, otherwise a local server on `BOT_ADDR` that
/// stops on Ctrl-C.
pub async fn run(config: Config) -> Result<()> {
    if telemetry::on_lambda() {
        return run_lambda(config).await;
    }
    let app = Application::build(config).await?;
    tracing::info!(addr = %app.local_addr(), "bot listening");
    app.run_with_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
