//! Slack's wire: what Slack sends (the signature and its check, the slash command form,
//! interaction payloads, the Events API's payloads: `events`, Socket Mode's frames:
//! `socket_mode`), what the bot sends back (the typed `message`, the Home tab's `view`,
//! `chat.unfurl`'s `link_previews`, Block Kit's limits: `blocks`; each written out once, `json`)
//! and the outbound calls (`client`: `response_url` and the Web API, the event features' calls
//! in `client::event_calls`, with one retry policy, `retry`, and one pace per channel, `pacer`;
//! each `ok:false` explained once in the log, `explained`); who the bot is (`identity`) and its
//! own messages in a channel's history, page by page (`history`).

mod answer;
pub mod blocks;
pub mod client;
pub mod events;
mod explained;
pub mod history;
pub mod history_page;
pub mod identity;
pub mod interaction;
pub mod json;
pub mod link_previews;
pub mod message;
mod pacer;
pub(crate) mod response_url;
pub mod retry;
pub mod signature;
pub mod slash_command;
#[cfg(feature = "socket-mode")]
pub mod socket_mode;
pub(crate) mod verification;
pub mod view;
