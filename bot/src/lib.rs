//! The Slack-facing half of statsbot: verifies Slack's requests, runs `/stats` invocations
//! against the stats API, and answers in Block Kit, within Slack's 3 s or later through
//! `response_url`. Runs as an AWS Lambda (lambda_http) or as a local server, with the same
//! axum `Router`. `README.md` beside this crate's `Cargo.toml` maps where things are.

pub mod alerts;
mod channel_id;
pub mod command_cache;
pub mod commands;
pub mod config;
pub mod deferred;
pub mod digests;
pub mod error;
pub mod explanation;
pub mod features;
pub mod flows;
pub mod home;
mod mentions;
pub mod registry;
pub mod render;
mod routes;
mod schedule;
pub mod services;
pub mod slack;
#[cfg(feature = "socket-mode")]
mod socket;
pub mod startup;
pub mod state;
mod stats_client;
mod unfurl;

pub use config::Config;
pub use error::{Error, Result};
pub use service_kit::Secret;
