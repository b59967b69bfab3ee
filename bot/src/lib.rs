//! The Slack-facing half of statsbot: verifies `/stats` slash commands, asks the stats API, and
//! answers in Block Kit, within Slack's 3 s or later through `response_url`. Runs as an AWS
//! Lambda (lambda_http) or as a local server, with the same axum `Router`.

pub mod blocks;
pub mod catalogue;
pub mod commands;
pub mod config;
pub mod deferred;
pub mod error;
pub mod render;
pub mod response_receiver;
pub mod response_url;
pub mod routes;
pub mod signature;
pub mod slash_command;
pub mod startup;
pub mod stats;
pub mod stats_client;
pub mod telemetry;

pub use config::{Config, Secret};
pub use error::{Error, Result};
