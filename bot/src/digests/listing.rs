//! `/stats digests`: each digest's name, channel and next run.

use askama::Template;
use chrono::{DateTime, Utc};

use crate::channel_id::is_channel_id;
use crate::error::Result;
use crate::render::Context;
use crate::slack::blocks;
use crate::slack::message::Message;

pub struct DigestEntry {
    pub name: String,
    /// A channel ID; written as a channel mention only when it is one.
    pub channel: String,
    pub schedule: String,
    pub timezone: String,
    pub next: Option<DateTime<Utc>>,
    pub stats: usize,
}

/// Each line is at most about 250 characters escaped; 10 fit a section with room to spare.
const PER_SECTION: usize = 10;
const MAX_LISTED: usize = 40;

struct Line {
    name: String,
    channel: String,
    channel_is_id: bool,
    schedule: String,
    timezone: String,
    next_unix: Option<i64>,
    next: String,
    stats: usize,
}

#[derive(Template)]
#[template(path = "digests/listing.json")]
struct DigestsView<'a> {
    command: &'a str,
    sections: Vec<&'a [Line]>,
    count: usize,
    more: usize,
}

pub fn digests(ctx: &Context<'_>, entries: &[DigestEntry]) -> Result<Message> {
    let lines: Vec<Line> = entries
        .iter()
        .take(MAX_LISTED)
        .map(|e| Line {
            name: blocks::clip(&e.name, 40).into_owned(),
            channel: blocks::clip(&e.channel, 24).into_owned(),
            channel_is_id: is_channel_id(&e.channel),
            schedule: blocks::clip(&e.schedule, 60).into_owned(),
            timezone: blocks::clip(&e.timezone, 40).into_owned(),
            next_unix: e.next.map(|n| n.timestamp()),
            next: e
                .next
                .map(|n| n.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default(),
            stats: e.stats,
        })
        .collect();
    let view = DigestsView {
        command: &blocks::clip(ctx.command, 40),
        sections: lines.chunks(PER_SECTION).collect(),
        count: entries.len(),
        more: entries.len() - lines.len(),
    };
    Ok(Message::rendered(view.render()?))
}
