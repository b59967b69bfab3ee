//! Every feature, put together once and registered with one line each. A feature is a folder
//! of its own (its settings file, logic, wording, templates and messages) that registers what
//! it adds (`crate::registry`: commands, scheduled jobs, buttons, event handlers); nothing else
//! names it. The fields are for tools and tests that reach into a feature (`cargo run -- alert
//! NAME`); a feature nobody reaches into needs only its line in [`Features::register`].

use crate::alerts::Alerts;
use crate::config::Config;
use crate::digests::Digests;
use crate::registry::Registry;
use crate::slack::client::SlackClient;

pub struct Features {
    pub digests: Digests,
    pub alerts: Alerts,
}

impl Features {
    /// Builds every feature from its settings and registers it. `slack` is the one Slack client.
    pub fn register(config: &Config, slack: &SlackClient, registry: &mut Registry) -> Features {
        crate::mentions::register(registry);
        crate::unfurl::register(config, registry);
        crate::home::register(&config.home, registry);
        Features {
            digests: Digests::register(&config.digests, registry),
            alerts: Alerts::register(&config.alerts, slack, registry),
        }
    }
}
