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

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use self::file::HomeStat;
use self::view::Part;
use crate::explanation::Outcome;
use crate::flows;
use crate::registry::{Buttons, EventHandler, Pressed, Registry, Work};
use crate::services::Services;
use crate::slack::events::{Callback, Delivery, Event};
use crate::slack::interaction::{Action, BlockActions, UserId};
use crate::slack::message::Blocks;
use crate::slack::slash_command::{Args, COMMAND};
use crate::slack::view::HomeView;

/// `action_id` of the Home tab's Refresh button (`templates/home/top.json`).
pub const REFRESH: &str = "home_refresh";
const BUDGET: Duration = Duration::from_secs(30);
/// How long a view is reused when its stats say nothing, and the bounds on what they say: a
/// stat that is never cached still does not make every visit a build.
const DEFAULT_TTL: Duration = Duration::from_secs(60);
const MIN_TTL: Duration = Duration::from_secs(10);
const MAX_TTL: Duration = Duration::from_secs(3600);
/// The tab when it could not be rendered.
const RENDERING_FAILED: &str = r#"{"type":"section","text":{"type":"mrkdwn","text":"Something went wrong on my side. Type `/stats help` to ask."}}"#;
/// Users whose last publish is remembered; past it the stalest are forgotten.
const MAX_USERS: usize = 10_000;

/// The Home tab of `stats` (`BOT_HOME`), registered: `app_home_opened`, and its Refresh button.
pub fn register(stats: &Arc<Vec<HomeStat>>, registry: &mut Registry) {
    let home = Arc::new(HomeTab::new(stats.clone()));
    registry.events(home.clone());
    registry.buttons(Arc::new(Refresh { home }));
}

/// The feature: the stats it shows, the last view built, who has it.
pub struct HomeTab {
    stats: Arc<Vec<HomeStat>>,
    /// The last view built, when, and how long it holds.
    built: Mutex<Option<Built>>,
    /// Each user's last publish: until when it holds.
    published: Mutex<HashMap<String, Instant>>,
}

#[derive(Clone)]
struct Built {
    view: Arc<HomeView>,
    until: Instant,
    ttl: Duration,
}

impl HomeTab {
    pub fn new(stats: Arc<Vec<HomeStat>>) -> Self {
        HomeTab {
            stats,
            built: Mutex::default(),
            published: Mutex::default(),
        }
    }

    /// Publishes the tab to `user`: the view built within its cache time and not published to
    /// them within it, unless `fresh` (Refresh), which builds and publishes it now.
    pub async fn publish(&self, services: &Services, user: &UserId, fresh: bool) -> Outcome {
        let now = Instant::now();
        if !fresh && self.published_until(user).is_some_and(|until| until > now) {
            tracing::debug!("the Home tab was published to this user within its cache time");
            return Outcome::Ok;
        }
        let last = self.built.lock().expect("lock poisoned").clone();
        let built = match last {
            Some(built) if !fresh && built.until > now => built,
            _ => {
                let built = self.build(services).await;
                *self.built.lock().expect("lock poisoned") = Some(built.clone());
                built
            }
        };
        let sent = services
            .slack
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

    async fn build(&self, services: &Services) -> Built {
        let stats = match self.stats.is_empty() {
            false => self.stats.as_ref().clone(),
            true => first_stat(services).await.into_iter().collect(),
        };
        let mut parts = Vec::with_capacity(stats.len());
        let mut ttl: Option<Duration> = None;
        for stat in &stats {
            let invocation = stat.invocation();
            {
                let available = services.commands.get().await;
                let cached = available
                    .commands
                    .find(&invocation.subcommand)
                    .and_then(|c| c.cache_seconds());
                if let Some(seconds) = cached {
                    let seconds = Duration::from_secs(seconds);
                    ttl = Some(ttl.map_or(seconds, |t| t.min(seconds)));
                }
            }
            let commands = services.commands.clone();
            let answered = flows::run(commands, COMMAND.into(), invocation).await;
            parts.push(Part {
                title: stat.title.clone(),
                answer: answered.reply,
            });
        }
        let ttl = ttl.unwrap_or(DEFAULT_TTL).clamp(MIN_TTL, MAX_TTL);
        let view = view::view(COMMAND, &parts, chrono::Utc::now()).unwrap_or_else(|error| {
            tracing::error!(%error, "the Home tab could not be rendered");
            HomeView::new(vec![Blocks::one(RENDERING_FAILED.into())])
        });
        Built {
            view: Arc::new(view),
            until: Instant::now() + ttl,
            ttl,
        }
    }
}

/// The catalogue's first stat that runs with its defaults (the tab without a file).
async fn first_stat(services: &Services) -> Option<HomeStat> {
    let catalogue = match services.stats().catalogue().await {
        Ok(catalogue) => catalogue,
        Err(error) => {
            tracing::warn!(%error, "the Home tab could not read the catalogue");
            return None;
        }
    };
    let available = services.commands.get().await;
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

impl EventHandler for HomeTab {
    fn name(&self) -> &'static str {
        "home"
    }

    fn wants(&self, event: &Event) -> bool {
        matches!(event, Event::AppHomeOpened { tab, .. } if tab == "home")
    }

    fn handle<'a>(
        &'a self,
        services: &'a Services,
        callback: &'a Callback,
        _delivery: &'a Delivery,
    ) -> Work<'a, ()> {
        Box::pin(async move {
            let Event::AppHomeOpened { user, .. } = &callback.event else {
                return;
            };
            if let Some(user) = UserId::parse(user) {
                self.publish(services, &user, false).await;
            }
        })
    }
}

/// The Refresh button: the tab built and published again, now, for whoever pressed it. A Home
/// tab has no `response_url`: nothing is posted there.
struct Refresh {
    home: Arc<HomeTab>,
}

impl Buttons for Refresh {
    fn owns(&self, action_id: &str) -> bool {
        action_id == REFRESH
    }

    fn press<'a>(
        &'a self,
        services: &'a Services,
        pressed: &'a BlockActions,
        _action: &'a Action,
    ) -> Work<'a, Pressed> {
        Box::pin(async move {
            let outcome = self.home.publish(services, &pressed.user, true).await;
            Pressed {
                replies: Vec::new(),
                outcome,
            }
        })
    }
}
