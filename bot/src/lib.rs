//! The Slack-facing half of statsbot: verifies Slack's requests, runs `/stats` invocations
//! against the stats API, and answers in Block Kit, within Slack's 3 s or later through
//! `response_url`. Runs as an AWS Lambda (lambda_http) or as a local server, with the same
//! axum `Router`. `README.md` beside this crate's `Cargo.toml` maps where things are.

pub mod alerts;
pub mod blocks;
pub mod command_cache;
pub mod commands;
pub mod config;
pub mod deferred;
pub mod digests;
pub mod error;
pub mod interaction;
pub mod pipeline;
pub mod problem;
pub mod render;
pub mod response_url;
pub mod retry;
pub mod routes;
pub mod scheduled;
pub mod signature;
pub mod slack_api;
pub mod slack_verification;
pub mod slash_command;
pub mod startup;
pub mod state;
pub mod stats_client;

pub use config::Config;
pub use error::{Error, Result};
pub use service_kit::Secret;
