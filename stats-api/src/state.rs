//! What every request handler shares, built by `startup`. The catalogue being served is one
//! value, [`Served`], swapped whole when a reload passes its checks: a request sees one catalogue
//! throughout, and the answer cache goes with the catalogue it was filled from.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use service_kit::Secret;
use sqlx::MySqlPool;
use stats_contract::Column;

use crate::ask::AskIndex;
use crate::cache::Cache;
use crate::catalogue::{self, Catalogue, Mistake, Stat};
use crate::chart::link::Links;
use crate::config::Settings;
use crate::error::Result;
use crate::{database, openapi};

pub struct AppState {
    pub pool: MySqlPool,
    pub tokens: Vec<Secret>,
    pub max_rows: usize,
    pub query_timeout: Duration,
    pub chart_links: Option<Links>,
    /// The answer cache's bound, for each catalogue served.
    pub cache_bytes: usize,
    served: RwLock<Arc<Served>>,
}

/// One checked catalogue, as served: its stats, its documents, and the answers cached from it.
pub struct Served {
    pub stats: HashMap<String, ReadyStat>,
    /// `GET /v1/stats`, rendered once, served as bytes.
    pub catalogue_json: Bytes,
    pub cache: Cache,
    /// `GET /v1/ask`: the catalogue's words, indexed when it is loaded.
    pub ask: AskIndex,
    /// `GET /openapi.json`: rendered once every stat's columns are known.
    openapi_json: OnceLock<Bytes>,
}

/// A declared stat, and the columns it returns once the live check has run: at start-up
/// (locally), or on the stat's first use (on Lambda; see `startup`).
pub struct ReadyStat {
    pub stat: Stat,
    pub columns: OnceLock<Vec<Column>>,
}

impl Served {
    /// `columns`: each stat's, from the live check, in catalogue order; `None` when the stats
    /// are checked on first use instead.
    pub fn new(
        catalogue: Catalogue,
        columns: Option<Vec<Vec<Column>>>,
        cache_bytes: usize,
    ) -> Served {
        let listing = stats_contract::Catalogue::from(&catalogue);
        let ask = AskIndex::build(&catalogue);
        let catalogue_json =
            Bytes::from(serde_json::to_vec(&listing).expect("the catalogue serializes"));
        let mut columns = columns.map(Vec::into_iter);
        let stats: HashMap<String, ReadyStat> = catalogue
            .stats
            .into_iter()
            .map(|stat| {
                let checked = OnceLock::new();
                if let Some(c) = columns.as_mut().and_then(Iterator::next) {
                    let _ = checked.set(c);
                }
                (
                    stat.name.clone(),
                    ReadyStat {
                        stat,
                        columns: checked,
                    },
                )
            })
            .collect();
        let served = Served {
            stats,
            catalogue_json,
            cache: Cache::new(cache_bytes),
            ask,
            openapi_json: OnceLock::new(),
        };
        if let Some(document) = served.openapi_if_checked() {
            let _ = served.openapi_json.set(document);
        }
        served
    }

    /// The stats in name order.
    fn ordered(&self) -> Vec<&ReadyStat> {
        let mut ordered: Vec<&ReadyStat> = self.stats.values().collect();
        ordered.sort_by(|a, b| a.stat.name.cmp(&b.stat.name));
        ordered
    }

    fn openapi_if_checked(&self) -> Option<Bytes> {
        let documented: Option<Vec<(&Stat, &[Column])>> = self
            .ordered()
            .into_iter()
            .map(|r| r.columns.get().map(|c| (&r.stat, c.as_slice())))
            .collect();
        documented.map(|d| Bytes::from(openapi::document(&d).to_string()))
    }

    /// The OpenAPI document. Stats not yet checked are checked now, together; one that fails
    /// its check is left out (it answers `stat_broken`) and the document is not kept, so it is
    /// rebuilt on the next request.
    pub async fn openapi_json(&self, pool: &MySqlPool) -> Result<Bytes> {
        if let Some(document) = self.openapi_json.get() {
            return Ok(document.clone());
        }
        let unchecked: Vec<&ReadyStat> = self
            .ordered()
            .into_iter()
            .filter(|r| r.columns.get().is_none())
            .collect();
        let stats: Vec<&Stat> = unchecked.iter().map(|r| &r.stat).collect();
        let results = database::check_stats(pool, &stats).await?;
        for (ready, result) in unchecked.iter().zip(results) {
            match result {
                Ok(columns) => {
                    let _ = ready.columns.set(columns);
                }
                Err(unfit) => tracing::error!(
                    stat = %ready.stat.name,
                    problem = %unfit.problem,
                    "the stat fails its check against the database; /openapi.json leaves it out"
                ),
            }
        }
        if let Some(document) = self.openapi_if_checked() {
            return Ok(self.openapi_json.get_or_init(|| document).clone());
        }
        let documented: Vec<(&Stat, &[Column])> = self
            .ordered()
            .into_iter()
            .filter_map(|r| r.columns.get().map(|c| (&r.stat, c.as_slice())))
            .collect();
        Ok(Bytes::from(openapi::document(&documented).to_string()))
    }
}

impl ReadyStat {
    /// The columns, once the stat has been checked against the database.
    pub fn columns(&self) -> &[Column] {
        self.columns.get().map_or(&[], Vec::as_slice)
    }
}

impl AppState {
    pub fn new(pool: MySqlPool, settings: &Settings, served: Served) -> AppState {
        AppState {
            pool,
            tokens: settings.tokens.clone(),
            max_rows: settings.max_rows,
            query_timeout: settings.query_timeout,
            chart_links: settings.chart_links.clone(),
            cache_bytes: settings.cache_bytes,
            served: RwLock::new(Arc::new(served)),
        }
    }

    /// The catalogue being served now; a request holds on to it until it is answered.
    pub fn served(&self) -> Arc<Served> {
        self.served.read().expect("served lock poisoned").clone()
    }

    /// Serves a new catalogue if it holds: checked statically and against the database exactly
    /// as at start-up (every entry), then swapped in whole, with an empty answer cache. On any
    /// problem nothing changes (the last good catalogue keeps serving) and every problem is
    /// returned. Both outcomes are logged.
    pub async fn reload(&self, text: &str) -> std::result::Result<(), Vec<Mistake>> {
        match self.check(text).await {
            Ok(served) => {
                let stats = served.stats.len();
                *self.served.write().expect("served lock poisoned") = Arc::new(served);
                tracing::info!(stats, "catalogue reloaded");
                Ok(())
            }
            Err(problems) => {
                tracing::error!(
                    problems = %catalogue::describe_mistakes(&problems),
                    "catalogue reload refused; the last good catalogue keeps serving"
                );
                Err(problems)
            }
        }
    }

    /// [`AppState::reload`] from a file (what SIGHUP and the dev stack's file watch do).
    pub async fn reload_file(&self, path: &Path) -> std::result::Result<(), Vec<Mistake>> {
        match std::fs::read_to_string(path) {
            Ok(text) => self.reload(&text).await,
            Err(e) => {
                let problems = vec![Mistake::file(format!(
                    "cannot read the catalogue {}: {e}",
                    path.display()
                ))];
                tracing::error!(
                    problems = %catalogue::describe_mistakes(&problems),
                    "catalogue reload refused; the last good catalogue keeps serving"
                );
                Err(problems)
            }
        }
    }

    async fn check(&self, text: &str) -> std::result::Result<Served, Vec<Mistake>> {
        let catalogue = catalogue::check_text(text)?;
        let columns = database::check_catalogue(&self.pool, &catalogue).await?;
        Ok(Served::new(catalogue, Some(columns), self.cache_bytes))
    }
}
