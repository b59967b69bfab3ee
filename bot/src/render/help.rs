//! `/stats help`: every command with its usage and description.

use askama::Template;

use super::{Context, Reply};
use crate::blocks;
use crate::error::Result;

pub struct HelpEntry {
    /// After the command name, e.g. `signups [months=12]`.
    pub usage: String,
    pub description: String,
}

/// A help line is at most 3 + 40 + 1 + 100 + 4 + 150 = 298 characters escaped; 8 of them fit a section.
const HELP_LINES_PER_SECTION: usize = 8;
const MAX_HELP_SECTIONS: usize = 45;

#[derive(Template)]
#[template(path = "help.json")]
struct HelpView<'a> {
    command: &'a str,
    sections: Vec<&'a [HelpEntry]>,
    names: Vec<&'a str>,
    more: usize,
}

pub fn help(ctx: &Context<'_>, entries: &[HelpEntry]) -> Result<Reply> {
    let command = blocks::clip(ctx.command, 40);
    let entries: Vec<HelpEntry> = entries
        .iter()
        .map(|e| HelpEntry {
            usage: blocks::clip(&e.usage, 100).into_owned(),
            description: blocks::clip(&e.description, 150).into_owned(),
        })
        .collect();
    let sections: Vec<&[HelpEntry]> = entries
        .chunks(HELP_LINES_PER_SECTION)
        .take(MAX_HELP_SECTIONS)
        .collect();
    let shown: usize = sections.iter().map(|s| s.len()).sum();
    let view = HelpView {
        command: &command,
        names: entries
            .iter()
            .map(|e| e.usage.split(' ').next().unwrap_or_default())
            .collect(),
        sections,
        more: entries.len() - shown,
    };
    Ok(Reply(view.render()?))
}
