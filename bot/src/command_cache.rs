//! The command list built from the stats API's catalogue, cached for a short time so that a stat
//! an admin declares becomes `/stats <name>` within one TTL, without redeploying the bot.
//!
//! The cache is refreshed in the request that finds it stale (on Lambda nothing runs between
//! requests). If the catalogue cannot be fetched, the last good list is kept.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::commands::{Commands, Schedules};
use crate::error::Error;
use crate::stats_client::StatsClient;

pub struct CommandCache {
    ttl: Duration,
    current: RwLock<Option<Cached>>,
    /// One refresh at a time; others wait for it rather than all asking the API.
    refreshing: tokio::sync::Mutex<()>,
    /// Built-in commands only, for when no catalogue was ever fetched.
    builtins: Arc<Commands>,
    /// For `/stats digests` and `/stats alerts`.
    schedules: Schedules,
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
    /// A cache whose command lists include `/stats digests` and `/stats alerts` listing
    /// `schedules`.
    pub fn with_schedules(ttl: Duration, schedules: Schedules) -> Self {
        CommandCache {
            ttl,
            current: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
            builtins: Arc::new(Commands::with_schedules(&[], schedules.clone())),
            schedules,
        }
    }

    pub async fn get(&self, client: &StatsClient) -> Available {
        if let Some(fresh) = self.fresh() {
            return available(fresh);
        }
        let _guard = self.refreshing.lock().await;
        // Another request may have refreshed while we waited.
        if let Some(fresh) = self.fresh() {
            return available(fresh);
        }
        match client.catalogue().await {
            Ok(stats) => {
                let commands = Arc::new(Commands::with_schedules(&stats, self.schedules.clone()));
                *self.current.write().expect("lock poisoned") = Some(Cached {
                    expires: Instant::now() + self.ttl,
                    commands: commands.clone(),
                });
                available(commands)
            }
            Err(error) => {
                tracing::warn!(%error, "could not refresh the stats catalogue");
                match self.current.read().expect("lock poisoned").clone() {
                    Some(stale) => available(stale.commands),
                    None => Available {
                        commands: self.builtins.clone(),
                        catalogue_error: Some(error),
                    },
                }
            }
        }
    }

    /// Forces a refresh on the next request, e.g. after the API said a stat no longer exists.
    pub fn invalidate(&self) {
        if let Some(cached) = self.current.write().expect("lock poisoned").as_mut() {
            cached.expires = Instant::now();
        }
    }

    fn fresh(&self) -> Option<Arc<Commands>> {
        let current = self.current.read().expect("lock poisoned");
        current
            .as_ref()
            .filter(|c| Instant::now() < c.expires)
            .map(|c| c.commands.clone())
    }
}

fn available(commands: Arc<Commands>) -> Available {
    Available {
        commands,
        catalogue_error: None,
    }
}
