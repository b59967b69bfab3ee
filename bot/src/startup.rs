//! Building the app: one axum `Router`, served by the Lambda runtime (through lambda_http's
//! adapter, with a layer that finishes deferred answers) on Lambda, or by a local `TcpListener`
//! (port 0 allowed, for tests) elsewhere.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tokio::net::TcpListener;

use crate::catalogue::{Available, CommandCache};
use crate::config::Config;
use crate::deferred::{Deferred, FinishDeferredLayer};
use crate::error::{Error, Result};
use crate::response_url::ResponseUrlClient;
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
    response_url: ResponseUrlClient,
    deferred: Deferred,
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
            response_url: ResponseUrlClient::new()?,
            deferred: Deferred::new(),
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

    pub fn response_url(&self) -> &ResponseUrlClient {
        &self.0.response_url
    }

    /// Answers still on their way to `response_url`.
    pub fn deferred(&self) -> &Deferred {
        &self.0.deferred
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
    state: AppState,
}

impl Application {
    /// Binds `config.addr` (port 0 picks a free port).
    pub async fn build(config: Config) -> Result<Self> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let state = AppState::new(config)?;
        Ok(Application {
            listener,
            addr,
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
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
        let deferred = self.state.deferred().clone();
        axum::serve(self.listener, router(self.state))
            .with_graceful_shutdown(signal)
            .await?;
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

    let state = AppState::new(config)?;
    let finish_deferred = FinishDeferredLayer::new(state.deferred().clone());
    let handler = lambda_http::Adapter::from(router(state));
    Runtime::new(handler)
        .layer(finish_deferred)
        .layer(TracingLayer::new())
        .run()
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
