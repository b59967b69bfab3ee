//! `/stats alerts`: each alert, its condition in words, its state and since when, its last and
//! next check, and who silenced it until when. Private.

use std::sync::Arc;

use chrono::Utc;

use super::{Command, Plan};
use crate::alerts::book::Book;
use crate::alerts::wording;
use crate::error::Result;
use crate::explanation::ArgIssue;
use crate::render::{Context, alert};
use crate::slack::message::Message;
use crate::slack::slash_command::Args;
use stats_contract::StatResult;

const NAME: &str = "alerts";
const DESCRIPTION: &str = "The alerts this bot checks: each one's condition, state and next check.";

pub struct Alerts {
    book: Arc<Book>,
}

impl Alerts {
    pub fn new(book: Arc<Book>) -> Self {
        Alerts { book }
    }
}

impl Command for Alerts {
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
        Ok(Plan::AlertStates)
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
        alert::listing(ctx.command, &rows)
    }
}
