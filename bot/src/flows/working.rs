//! The immediate reply when the answer will follow through `response_url`.

use askama::Template;

use crate::render::Context;
use crate::slack::blocks;
use crate::slack::message::Message;

#[derive(Template)]
#[template(path = "flows/working.json")]
struct WorkingView<'a> {
    command: &'a str,
    subcommand: &'a str,
}

/// The short private note sent within Slack's deadline when the answer is still being worked
/// out. Never fails, like an `Explanation`'s message.
pub fn working(ctx: &Context<'_>, subcommand: &str) -> Message {
    let command = blocks::clip(ctx.command, 40);
    let subcommand = blocks::clip(subcommand, 40);
    let view = WorkingView {
        command: &command,
        subcommand: &subcommand,
    };
    match view.render() {
        Ok(json) => Message::rendered(json),
        Err(e) => {
            tracing::error!(error = %e, "working template failed");
            Message::plain("Working on it…")
        }
    }
}
