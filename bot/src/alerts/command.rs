//! `/stats alerts`: each alert, its condition in words, its state and since when, its last and
//! next check, and who silenced it until when. Private. The states are read back from the
//! alerts' channels first (on Lambda the bot's function never ticks: only the channels know).

use std::sync::Arc;

use chrono::Utc;

use super::book::Book;
use super::{channel, message, wording};
use crate::commands::{Command, Plan, Preparing};
use crate::error::Result;
use crate::explanation::ArgIssue;
use crate::render::Context;
use crate::slack::client::SlackClient;
use crate::slack::message::Message;
use crate::slack::slash_command::Args;
use stats_contract::StatResult;

const NAME: &str = "alerts";
const DESCRIPTION: &str = "The alerts this bot checks: each one's condition, state and next check.";

pub struct AlertsCommand {
    book: Arc<Book>,
    slack: SlackClient,
}

impl AlertsCommand {
    pub fn new(book: Arc<Book>, slack: SlackClient) -> Self {
        AlertsCommand { book, slack }
    }
}

impl Command for AlertsCommand {
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

    fn prepare(&self) -> Option<Preparing<'_>> {
        Some(Box::pin(channel::read_unchecked(&self.book, &self.slack)))
    }

    /// The one impure step: the states are this process's, "next check" is from the clock.
    fn render(&self, ctx: &Context<'_>, _data: Option<&StatResult>) -> Result<Message> {
        let now = Utc::now();
        let rows: Vec<wording::ListingRow> = self
            .book
            .alerts()
            .iter()
            .map(|a| {
                let state = self
                    .book
                    .slot(&a.name)
                    .map(|s| s.state())
                    .unwrap_or_default();
                wording::listing_row(a, &state, now)
            })
            .collect();
        message::listing(ctx.command, &rows)
    }
}
