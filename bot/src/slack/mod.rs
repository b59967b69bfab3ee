//! Slack's wire: what Slack sends (the signature and its check, the slash command form,
//! interaction payloads), what the bot sends back (Block Kit's limits) and the outbound calls
//! (`response_url`, the Web API).

pub mod blocks;
pub mod interaction;
pub mod message;
pub mod response_url;
mod retry;
pub mod signature;
pub mod slash_command;
pub mod verification;
pub mod web_api;
