//! `/stats digests`: the digests this bot posts, where, and when each next runs.

use std::sync::Arc;

use chrono::Utc;

use super::Digest;
use super::listing::{self, DigestEntry};
use crate::commands::{Command, Plan};
use crate::error::Result;
use crate::explanation::ArgIssue;
use crate::render::Context;
use crate::slack::message::Message;
use crate::slack::slash_command::Args;
use stats_contract::StatResult;

const NAME: &str = "digests";
const DESCRIPTION: &str = "The stats this bot posts on a schedule: where, and when next.";

pub struct DigestsCommand {
    digests: Arc<Vec<Digest>>,
}

impl DigestsCommand {
    pub fn new(digests: Arc<Vec<Digest>>) -> Self {
        DigestsCommand { digests }
    }
}

impl Command for DigestsCommand {
    fn name(&self) -> &str {
        NAME
    }

    fn description(&self) -> &str {
        DESCRIPTION
    }

    fn plan(&self, args: &Args) -> Result<Plan, ArgIssue> {
        if !args.is_empty() {
            return Err(ArgIssue::TooMany { max: 0 });
        }
        Ok(Plan::Local)
    }

    /// The one impure step: "next runs" is counted from the clock.
    fn render(&self, ctx: &Context<'_>, _data: Option<&StatResult>) -> Result<Message> {
        let now = Utc::now();
        let entries: Vec<DigestEntry> = self
            .digests
            .iter()
            .map(|d| DigestEntry {
                name: d.name.clone(),
                channel: d.channel.clone(),
                schedule: d.schedule.to_string(),
                timezone: d.timezone.name().to_string(),
                next: d.schedule.next_after(now, &d.timezone),
                stats: d.stats.len(),
            })
            .collect();
        listing::digests(ctx, &entries)
    }
}
