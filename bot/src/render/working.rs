//! The immediate reply when the answer will follow through `response_url`.

use askama::Template;

use super::{Context, Reply};
use crate::blocks;

#[derive(Template)]
#[template(path = "working.json")]
struct WorkingView<'a> {
    command: &'a str,
    subcommand: &'a str,
}

/// The short private note sent within Slack's deadline when the answer is still being worked
/// out. Never fails, like [`problem`].
pub fn working(ctx: &Context<'_>, subcommand: &str) -> Reply {
    let command = blocks::clip(ctx.command, 40);
    let subcommand = blocks::clip(subcommand, 40);
    let view = WorkingView {
        command: &command,
        subcommand: &subcommand,
    };
    match view.render() {
        Ok(json) => Reply(json),
        Err(e) => {
            tracing::error!(error = %e, "working template failed");
            Reply(r#"{"response_type":"ephemeral","text":"Working on it…"}"#.into())
        }
    }
}
