//! Links to the stats API, previewed (`link_shared` → `chat.unfurl`): a stat's link (JSON,
//! `.csv`, or a signed `.png` chart link) under the stats API's public address
//! (`STATS_API_PUBLIC_URL`, else `STATS_API_URL`) shows the stat's answer with its chart (a
//! chart link signed afresh by the stats API) and how to ask for it in Slack. Its parameters are
//! checked like typed ones; a link the bot cannot read, a stat declared `ephemeral` (its answer
//! is meant for one person) and any other domain are left alone, and nothing is posted about
//! them. At most [`MAX_LINKS`] links a message.

mod link;

use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use reqwest::Url;
use stats_contract::ResponseType;

use crate::config::Config;
use crate::explanation::Outcome;
use crate::flows;
use crate::registry::{EventHandler, Registry, Work};
use crate::services::Services;
use crate::slack::blocks;
use crate::slack::client::UnfurlTarget;
use crate::slack::events::{Callback, Delivery, Event, LinkShared};
use crate::slack::interaction;
use crate::slack::link_previews::LinkPreviews;
use crate::slack::message::Blocks;
use crate::slack::slash_command::{Args, COMMAND, Invocation};

/// Links previewed in one message at most: each is a stat answered.
pub const MAX_LINKS: usize = 3;
const BUDGET: Duration = Duration::from_secs(30);

#[derive(Template)]
#[template(path = "unfurl/source.json")]
struct SourceView<'a> {
    command: &'a str,
    reading: &'a str,
}

/// Unfurls, registered: `link_shared` for links under the stats API's public address.
pub fn register(config: &Config, registry: &mut Registry) {
    let base = config
        .stats_api_public_url
        .as_deref()
        .unwrap_or(&config.stats_api_url);
    if let Ok(base) = Url::parse(base) {
        registry.events(Arc::new(Unfurls { base }));
    }
}

/// The feature's Events API handler.
pub struct Unfurls {
    /// The stats API's public address; links elsewhere are not the bot's.
    base: Url,
}

impl EventHandler for Unfurls {
    fn name(&self) -> &'static str {
        "unfurls"
    }

    fn wants(&self, event: &Event) -> bool {
        matches!(event, Event::LinkShared(shared) if !shared.links.is_empty())
    }

    fn handle<'a>(
        &'a self,
        services: &'a Services,
        callback: &'a Callback,
        _delivery: &'a Delivery,
    ) -> Work<'a, ()> {
        Box::pin(async move {
            if let Event::LinkShared(shared) = &callback.event {
                unfurl(services, shared, &self.base).await;
            }
        })
    }
}

async fn unfurl(services: &Services, shared: &LinkShared, base: &Url) {
    let mut previews = LinkPreviews::default();
    let mut seen = 0;
    for url in &shared.links {
        let Some(stat) = link::read(url, base) else {
            continue;
        };
        seen += 1;
        if seen > MAX_LINKS {
            break;
        }
        if previews.contains(url) {
            continue;
        }
        match preview(services, stat).await {
            Some(blocks) => previews.insert(url, blocks),
            None => tracing::debug!("a stats link the bot cannot read; left alone"),
        }
    }
    if previews.is_empty() {
        return;
    }
    let target = match (&shared.unfurl_id, shared.in_composer()) {
        (Some(unfurl_id), true) => UnfurlTarget::Composer {
            unfurl_id: unfurl_id.clone(),
            source: shared.source.clone().unwrap_or_default(),
        },
        _ => UnfurlTarget::Posted {
            channel: shared.channel.clone(),
            ts: shared.message_ts.clone(),
        },
    };
    let sent = services.slack.unfurl(&target, &previews, BUDGET).await;
    tracing::info!(
        links = previews.len(),
        composer = shared.in_composer(),
        delivered = sent.result.is_ok(),
        gave_up = sent.result.as_ref().err().map(|g| g.as_str().to_string()),
        "links unfurled"
    );
}

/// The preview's blocks for one stat's link: its answer as `/stats` gives it, and how to ask
/// for it. `None` when the stat or its parameters do not hold, or its answer is private.
async fn preview(services: &Services, stat: link::StatLink) -> Option<Vec<Blocks>> {
    let invocation = Invocation {
        subcommand: stat.stat,
        args: Args {
            positional: Vec::new(),
            named: stat.params,
        },
    };
    {
        let available = services.commands.get().await;
        let command = available.commands.find(&invocation.subcommand)?;
        // Only a catalogue stat's link, its parameters checked as typed ones are.
        if !matches!(
            command.plan(&invocation.args),
            Ok(crate::commands::Plan::Fetch { .. })
        ) || command.response_type() == ResponseType::Ephemeral
        {
            return None;
        }
    }
    let reading = interaction::invocation_value(&invocation)?;
    let answered = flows::run(services.commands.clone(), COMMAND.into(), invocation).await;
    if answered.outcome != Outcome::Ok {
        return None;
    }
    let mut reply = answered.reply;
    let source = SourceView {
        command: COMMAND,
        reading: &blocks::clip(&reading, 200),
    };
    reply.add_under(Blocks::one(source.render().ok()?)).ok()?;
    Some(reply.as_blocks())
}
