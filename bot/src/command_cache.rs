//! The command list built from the stats API's catalogue, cached for a short time so that a stat
//! an admin declares becomes `/stats <name>` within one TTL, without redeploying the bot.
//!
//! The cache is refreshed in the request that finds it stale (on Lambda nothing runs between
//! requests). If the catalogue cannot be fetched, the last good list is kept.
//!
//! It holds the stats API client too: the catalogue comes from there, and whoever runs a
//! command asks the same API for its stat.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::commands::{Command, Commands};
use crate::error::Error;
use crate::stats_client::StatsClient;

/// Cheap to clone: one cache, shared.
#[derive(Clone)]
pub struct CommandCache(Arc<Inner>);

struct Inner {
    client: StatsClient,
    ttl: Duration,
    current: RwLock<Option<Cached>>,
    /// One refresh at a time; others wait for it rather than all asking the API.
    refreshing: tokio::sync::Mutex<()>,
    /// The features' commands (`/stats digests`, `/stats alerts`), in every list.
    added: Vec<Arc<dyn Command>>,
    /// Built-in and added commands only, for when no catalogue was ever fetched.
    builtins: Arc<Commands>,
}

#[derive(Clone)]
struct Cached {
    expires: Instant,
    commands: Arc<Commands>,
}

/// The commands to route with, and why the catalogue's stats are missing if they are.
pub struct Available {
    pub commands: Arc<Commands>,
    pub catalogue_error: Option<Error>,
}

impl CommandCache {
    /// A cache of the catalogue `client` serves, trusted for `ttl`; every list it makes holds
    /// the `added` commands (the features').
    pub fn new(client: StatsClient, ttl: Duration, added: Vec<Arc<dyn Command>>) -> Self {
        CommandCache(Arc::new(Inner {
            client,
            ttl,
            current: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
            builtins: Arc::new(Commands::with(&[], &added)),
            added,
        }))
    }

    /// The stats API the catalogue comes from.
    pub fn client(&self) -> &StatsClient {
        &self.0.client
    }

    pub async fn get(&self) -> Available {
        let cache = &self.0;
        if let Some(fresh) = self.fresh() {
            return available(fresh);
        }
        let _guard = cache.refreshing.lock().await;
        // Another request may have refreshed while we waited.
        if let Some(fresh) = self.fresh() {
            return available(fresh);
        }
        match cache.client.catalogue().await {
            Ok(stats) => {
                let commands = Arc::new(Commands::with(&stats, &cache.added));
                *cache.current.write().expect("lock poisoned") = Some(Cached {
                    expires: Instant::now() + cache.ttl,
                    commands: commands.clone(),
                });
                available(commands)
            }
            Err(error) => {
                tracing::warn!(%error, "could not refresh the stats catalogue");
                match cache.current.read().expect("lock poisoned").clone() {
                    Some(stale) => available(stale.commands),
                    None => Available {
                        commands: cache.builtins.clone(),
                        catalogue_error: Some(error),
                    },
                }
            }
        }
    }

    /// Forces a refresh on the next request, e.g. after the API said a stat no longer exists.
    pub fn invalidate(&self) {
        if let Some(cached) = self.0.current.write().expect("lock poisoned").as_mut() {
            cached.expires = Instant::now();
        }
    }

    fn fresh(&self) -> Option<Arc<Commands>> {
        let current = self.0.current.read().expect("lock poisoned");
        current
            .as_ref()
            .filter(|c| Instant::now() < c.expires)
            .map(|c| c.commands.clone())
    }
}

impl std::fmt::Debug for CommandCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandCache")
            .field("ttl", &self.0.ttl)
            .finish_non_exhaustive()
    }
}

fn available(commands: Arc<Commands>) -> Available {
    Available {
        commands,
        catalogue_error: None,
    }
}
