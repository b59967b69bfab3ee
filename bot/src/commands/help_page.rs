//! `/stats help`: every command with its usage and description, a page at a time, each stat
//! that runs without arguments with a "Run" button.

use askama::Template;

use crate::error::Result;
use crate::render::Context;
use crate::slack::blocks::{self, MAX_BUTTON_VALUE};
use crate::slack::message::Message;

pub struct HelpEntry {
    /// After the command name, e.g. `signups [months=12]`.
    pub usage: String,
    pub description: String,
    /// What its "Run" button runs (the command's name); `None`: no button (help itself, or a
    /// command that needs arguments).
    pub run: Option<String>,
}

/// Commands a page: one section each (one button per section), well inside Slack's 50 blocks.
pub const HELP_PAGE_SIZE: usize = 20;

#[derive(Template)]
#[template(path = "commands/help.json")]
struct HelpView<'a> {
    command: &'a str,
    entries: Vec<HelpEntry>,
    page: usize,
    pages: usize,
}

/// The first page.
pub fn help(ctx: &Context<'_>, entries: &[HelpEntry]) -> Result<Message> {
    help_page(ctx, entries, 1)
}

/// Page `page` (counted from 1; past the end is the last page, as a catalogue may have shrunk
/// since the page buttons were made).
pub fn help_page(ctx: &Context<'_>, entries: &[HelpEntry], page: usize) -> Result<Message> {
    let command = blocks::clip(ctx.command, 40);
    let pages = entries.len().div_ceil(HELP_PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let entries: Vec<HelpEntry> = entries
        .iter()
        .skip((page - 1) * HELP_PAGE_SIZE)
        .take(HELP_PAGE_SIZE)
        .map(|e| HelpEntry {
            usage: blocks::clip(&e.usage, 100).into_owned(),
            description: blocks::clip(&e.description, 150).into_owned(),
            run: e.run.clone().filter(|run| {
                !run.trim().is_empty() && blocks::escaped_len(run) <= MAX_BUTTON_VALUE
            }),
        })
        .collect();
    let view = HelpView {
        command: &command,
        entries,
        page,
        pages,
    };
    Ok(Message::rendered(view.render()?))
}

impl HelpEntry {
    /// The command's name, for the notification text.
    pub fn name(&self) -> &str {
        self.usage.split(' ').next().unwrap_or_default()
    }
}
