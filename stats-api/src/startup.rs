//! Builds the service: catalogue checked against the live database, state, Router, listener.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::{Router, body::Bytes};
use tokio::net::TcpListener;

use crate::cache::Cache;
use crate::catalogue::{Catalogue, DEFAULT_CATALOGUE};
use crate::config::Settings;
use crate::database;
use crate::error::{Error, Result};
use crate::state::{AppState, ReadyStat};
use crate::{openapi, routes};

pub fn load_catalogue(settings: &Settings) -> Result<Catalogue> {
    match &settings.catalogue_path {
        None => Catalogue::parse(DEFAULT_CATALOGUE),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Error::CatalogueFile(format!("cannot read the catalogue {}: {e}", path.display()))
            })?;
            Catalogue::parse(&text).map_err(|e| match e {
                Error::CatalogueFile(m) => Error::CatalogueFile(format!("{}: {m}", path.display())),
                other => other,
            })
        }
    }
}

pub async fn build_state(settings: &Settings) -> Result<Arc<AppState>> {
    let catalogue = load_catalogue(settings)?;
    let pool = database::pool(settings)?;
    let columns = database::check_catalogue(&pool, &catalogue)
        .await
        .map_err(|e| match e {
            Error::DatabaseUnavailable(source) => Error::Config(format!(
                "cannot reach the database at {} to check the catalogue: {source}",
                settings.database_location()
            )),
            other => other,
        })?;
    let listing = stats_contract::Catalogue::from(&catalogue);
    let catalogue_json =
        Bytes::from(serde_json::to_vec(&listing).map_err(|e| Error::Internal(e.to_string()))?);
    let stats: HashMap<String, ReadyStat> = catalogue
        .stats
        .into_iter()
        .zip(columns)
        .map(|(stat, columns)| (stat.name.clone(), ReadyStat { stat, columns }))
        .collect();
    let mut ordered: Vec<&ReadyStat> = stats.values().collect();
    ordered.sort_by(|a, b| a.stat.name.cmp(&b.stat.name));
    let openapi_json = Bytes::from(openapi::document(&ordered).to_string());
    Ok(Arc::new(AppState {
        pool,
        stats,
        tokens: settings.tokens.clone(),
        cache: Cache::default(),
        max_rows: settings.max_rows,
        query_timeout: settings.query_timeout,
        catalogue_json,
        openapi_json,
    }))
}

/// The service bound to its local address, ready to run.
pub struct Application {
    listener: TcpListener,
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
            router: routes::router(state),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
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
