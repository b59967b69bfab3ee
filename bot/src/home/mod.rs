//! The app's Home tab (`app_home_opened`, tab `home` → `views.publish`): a dashboard of the
//! stats the `BOT_HOME` file declares (`file`), each as `/stats` answers it with its chart, a
//! line of how to ask, and a Refresh button (`view`). Without a file (or with an empty one): the
//! catalogue's first stat that runs with its defaults, and how to ask. The Messages tab is the
//! DM, answered by `mentions`.
//!
//! Slack sends `app_home_opened` on every visit. The view is built at most once per the stats'
//! cache time (the shortest `cache_seconds` among them) and published to a user at most once
//! in that time; Refresh builds and publishes it again at once.

pub mod file;
mod view;

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use self::file::HomeStat;
use self::view::Part;
use crate::config::Config;
use crate::explanation::Outcome;
use crate::flows;
use crate::flows::event::{Delivery, EventFeature, Work};
use crate::slack::events::{Callback, Event};
use crate::slack::interaction::UserId;
use crate::slack::slash_command::Args;
use crate::state::AppState;

const COMMAND: &str = "/stats";
const BUDGET: Duration = Duration::from_secs(30);
/// How long a view is reused when its stats say nothing, and the bounds on what they say: a
/// stat that is never cached still does not make every visit a build.
const DEFAULT_TTL: Duration = Duration::from_secs(60);
const MIN_TTL: Duration = Duration::from_secs(10);
const MAX_TTL: Duration = Duration::from_secs(3600);
/// Users whose last publish is remembered; past it the stalest are forgotten.
const MAX_USERS: usize = 10_000;

/// The feature, registered in `state::event_features`.
pub struct HomeTab {
    stats: Arc<Vec<HomeStat>>,
    /// The last view built, when, and how long it holds.
    built: Mutex<Option<Built>>,
    /// Each user's last publish: until when it holds.
    published: Mutex<HashMap<String, Instant>>,
}

#[derive(Clone)]
struct Built {
    view: Arc<Value>,
    until: Instant,
    ttl: Duration,
}

impl HomeTab {
    pub fn new(config: &Config) -> Self {
        HomeTab {
            stats: config.home.clone(),
            built: Mutex::default(),
            published: Mutex::default(),
        }
    }

    /// Publishes the tab to `user`: the view built within its cache time and not published to
    /// them within it, unless `fresh` (Refresh), which builds and publishes it now.
    pub(crate) async fn publish(&self, state: &AppState, user: &UserId, fresh: bool) -> Outcome {
        let now = Instant::now();
        if !fresh && self.published_until(user).is_some_and(|until| until > now) {
            tracing::debug!("the Home tab was published to this user within its cache time");
            return Outcome::Ok;
        }
        let last = self.built.lock().expect("lock poisoned").clone();
        let built = match last {
            Some(built) if !fresh && built.until > now => built,
            _ => {
                let built = self.build(state).await;
                *self.built.lock().expect("lock poisoned") = Some(built.clone());
                built
            }
        };
        let sent = state
            .slack()
            .publish_view(user.as_str(), &built.view, BUDGET)
            .await;
        tracing::info!(
            fresh,
            delivered = sent.result.is_ok(),
            gave_up = sent.result.as_ref().err().map(|g| g.as_str().to_string()),
            latency_ms = now.elapsed().as_millis() as u64,
            "Home tab published"
        );
        if sent.result.is_err() {
            return Outcome::Internal;
        }
        self.remember(user, Instant::now() + built.ttl);
        Outcome::Ok
    }

    fn published_until(&self, user: &UserId) -> Option<Instant> {
        let published = self.published.lock().expect("lock poisoned");
        published.get(user.as_str()).copied()
    }

    fn remember(&self, user: &UserId, until: Instant) {
        let mut published = self.published.lock().expect("lock poisoned");
        if published.len() >= MAX_USERS {
            let now = Instant::now();
            published.retain(|_, until| *until > now);
            while published.len() >= MAX_USERS {
                let Some(stalest) = published
                    .iter()
                    .min_by_key(|(_, u)| **u)
                    .map(|(k, _)| k.clone())
                else {
                    break;
                };
                published.remove(&stalest);
            }
        }
        published.insert(user.to_string(), until);
    }

    async fn build(&self, state: &AppState) -> Built {
        let stats = match self.stats.is_empty() {
            false => self.stats.as_ref().clone(),
            true => first_stat(state).await.into_iter().collect(),
        };
        let mut parts = Vec::with_capacity(stats.len());
        let mut ttl: Option<Duration> = None;
        for stat in &stats {
            let invocation = stat.invocation();
            {
                let available = state.commands().await;
                let cached = available
                    .commands
                    .find(&invocation.subcommand)
                    .and_then(|c| c.cache_seconds());
                if let Some(seconds) = cached {
                    let seconds = Duration::from_secs(seconds);
                    ttl = Some(ttl.map_or(seconds, |t| t.min(seconds)));
                }
            }
            let answered = flows::run(state.clone(), COMMAND.into(), invocation).await;
            parts.push(Part {
                title: stat.title.clone(),
                answer: answered.reply,
            });
        }
        let ttl = ttl.unwrap_or(DEFAULT_TTL).clamp(MIN_TTL, MAX_TTL);
        let view = view::view(COMMAND, &parts, chrono::Utc::now()).unwrap_or_else(|error| {
            tracing::error!(%error, "the Home tab could not be rendered");
            serde_json::json!({"type": "home", "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": "Something went wrong on my side. Type `/stats help` to ask."}}
            ]})
        });
        Built {
            view: Arc::new(view),
            until: Instant::now() + ttl,
            ttl,
        }
    }
}

/// The catalogue's first stat that runs with its defaults (the tab without a file).
async fn first_stat(state: &AppState) -> Option<HomeStat> {
    let catalogue = match state.client().catalogue().await {
        Ok(catalogue) => catalogue,
        Err(error) => {
            tracing::warn!(%error, "the Home tab could not read the catalogue");
            return None;
        }
    };
    let available = state.commands().await;
    catalogue
        .iter()
        .map(|stat| stat.name.to_lowercase())
        .find(|name| {
            available
                .commands
                .find(name)
                .is_some_and(|c| c.plan(&Args::default()).is_ok())
        })
        .map(|stat| HomeStat { stat, title: None })
}

impl EventFeature for HomeTab {
    fn name(&self) -> &'static str {
        "home"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn wants(&self, event: &Event) -> bool {
        matches!(event, Event::AppHomeOpened { tab, .. } if tab == "home")
    }

    fn handle(&self, state: AppState, callback: Arc<Callback>, _delivery: Delivery) -> Work {
        Box::pin(async move {
            let Event::AppHomeOpened { user, .. } = &callback.event else {
                return;
            };
            let (Some(user), Some(home)) = (UserId::parse(user), state.event_feature::<HomeTab>())
            else {
                return;
            };
            if state.config().slack_bot_token.is_none() {
                tracing::warn!("the Home tab cannot be published: SLACK_BOT_TOKEN is not set");
                return;
            }
            home.publish(&state, &user, false).await;
        })
    }
}

/// The Refresh button: the tab built and published again for `user`, after the
/// acknowledgement.
pub(crate) fn refresh_pressed(
    state: &AppState,
    user: &UserId,
    arrived: Instant,
    window: Duration,
) -> Outcome {
    if state.event_feature::<HomeTab>().is_none() || state.config().slack_bot_token.is_none() {
        return Outcome::Internal;
    }
    let (worker, user) = (state.clone(), user.clone());
    state.deferred().spawn(async move {
        let Some(home) = worker.event_feature::<HomeTab>() else {
            return;
        };
        let work = home.publish(&worker, &user, true);
        if tokio::time::timeout_at((arrived + window).into(), work)
            .await
            .is_err()
        {
            tracing::warn!("the Home tab's refresh ran out of time");
        }
    });
    Outcome::Deferred
}
