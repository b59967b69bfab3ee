//! The bot's tests, in one binary: the service over HTTP against a stand-in stats API, Lambda
//! events, deferred answers through `response_url`, button presses, and every template's output.

mod deferred_answers;
mod helpers;
mod interactions;
mod lambda_events;
mod properties;
mod slash_commands;
mod templates;
