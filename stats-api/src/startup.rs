//! Builds the service: the catalogue checked (against the live database at start-up, or each
//! stat on first use on Lambda), state, Router, listener; and the SIGHUP reload.
//!
//! Why Lambda checks lazily: start-up there is the cold start every new instance pays, and a
//! full live check costs one database round trip per entry (9 ms exec → first answer with 3
//! stats, 25 ms with 100, on loopback; far more across a network). So on Lambda the catalogue
//! is checked statically at init, and each stat against the database on its first use, on the
//! connection that then runs it (the prepared statement is reused, so the check adds no round
//! trip). A stat that fails its check answers 500 `stat_broken` and never runs. The whole
//! catalogue is checked against the database before a deploy, by `cargo run -- catalogue
//! check` in CI. Locally, start-up checks every entry (several at a time) and refuses to start
//! on any problem.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

use crate::catalogue::{self, Catalogue, DEFAULT_CATALOGUE, Mistake};
use crate::config::{LiveCheck, Settings};
use crate::database;
use crate::error::{Error, Result};
use crate::routes;
use crate::state::{AppState, Served};

/// The catalogue's text: the file `STATS_CATALOGUE` names, else the shipped one.
pub fn catalogue_text(settings: &Settings) -> std::result::Result<String, Vec<Mistake>> {
    match &settings.catalogue_path {
        None => Ok(DEFAULT_CATALOGUE.to_string()),
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            vec![Mistake::file(format!(
                "cannot read the catalogue {} (STATS_CATALOGUE): {e}",
                path.display()
            ))]
        }),
    }
}

/// The catalogue, checked without a database.
pub fn load_catalogue(settings: &Settings) -> Result<Catalogue> {
    let text = catalogue_text(settings).map_err(Error::Catalogue)?;
    catalogue::check_text(&text).map_err(Error::Catalogue)
}

pub async fn build_state(settings: &Settings) -> Result<Arc<AppState>> {
    let catalogue = load_catalogue(settings)?;
    let pool = database::pool(settings)?;
    let columns = match settings.live_check {
        LiveCheck::AtStartup => Some(
            database::check_catalogue(&pool, &catalogue)
                .await
                .map_err(Error::Catalogue)?,
        ),
        LiveCheck::OnFirstUse => None,
    };
    Ok(Arc::new(AppState::new(
        pool,
        settings,
        Served::new(catalogue, columns, settings.cache_bytes),
    )))
}

/// Re-reads the catalogue on every SIGHUP and serves it if it holds (see
/// [`AppState::reload`]); the last good one keeps serving otherwise. Without `STATS_CATALOGUE`
/// the shipped catalogue is served and there is nothing to re-read.
pub async fn reload_on_hangup(state: Arc<AppState>, path: Option<PathBuf>) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangups = signal(SignalKind::hangup())?;
    while hangups.recv().await.is_some() {
        match &path {
            Some(path) => {
                tracing::info!(catalogue = %path.display(), "SIGHUP: re-reading the catalogue");
                // The outcome is logged by `reload_file`.
                let _ = state.reload_file(path).await;
            }
            None => tracing::warn!(
                "SIGHUP: STATS_CATALOGUE is not set, so the shipped catalogue is served; nothing to re-read"
            ),
        }
    }
    Ok(())
}

/// The service bound to its local address, ready to run.
pub struct Application {
    listener: TcpListener,
    state: Arc<AppState>,
    router: Router,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application> {
        let state = build_state(&settings).await?;
        let listener = TcpListener::bind(&settings.addr)
            .await
            .map_err(|e| Error::Config(format!("cannot listen on {}: {e}", settings.addr)))?;
        Ok(Application {
            listener,
            router: routes::router(state.clone()),
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The running service's state: `state().reload(text)` swaps in a new catalogue if it
    /// holds (the dev stack's file watch uses it).
    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_with_shutdown(std::future::pending()).await
    }

    pub async fn run_with_shutdown(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let limits = service_kit::server::Limits::default();
        service_kit::server::serve(self.listener, self.router, limits, shutdown).await
    }
}
