//! `/stats help` (and `/stats` alone): every command with its usage and description.

use super::help_page::{self, HelpEntry};
use super::{Command, Plan};
use crate::error::Result;
use crate::explanation::ArgIssue;
use crate::render::Context;
use crate::slack::message::Message;
use crate::slack::slash_command::Args;
use stats_contract::{ResponseType, StatResult};

pub(super) const NAME: &str = "help";
const DESCRIPTION: &str = "This list.";

pub(super) fn entry() -> HelpEntry {
    HelpEntry {
        usage: NAME.to_string(),
        description: DESCRIPTION.to_string(),
        run: None,
    }
}

pub struct Help {
    entries: Vec<HelpEntry>,
}

impl Help {
    pub fn new(entries: Vec<HelpEntry>) -> Self {
        Help { entries }
    }

    /// Page `page` (from 1); `render` is the first.
    pub fn page(&self, ctx: &Context<'_>, page: usize) -> Result<Message> {
        help_page::help_page(ctx, &self.entries, page)
    }
}

impl Command for Help {
    fn name(&self) -> &str {
        NAME
    }

    fn description(&self) -> &str {
        DESCRIPTION
    }

    /// Arguments are ignored: `/stats help members` still helps.
    fn plan(&self, _args: &Args) -> Result<Plan, ArgIssue> {
        Ok(Plan::Local)
    }

    fn render(&self, ctx: &Context<'_>, _data: Option<&StatResult>) -> Result<Message> {
        help_page::help(ctx, &self.entries)
    }

    fn response_type(&self) -> ResponseType {
        ResponseType::Ephemeral
    }
}
