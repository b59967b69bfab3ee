//! The bot's tests, in one binary: the service over HTTP against a stand-in stats API (its
//! `/v1/ask` in `fake_ask`), questions in words (`asking`), Lambda events, deferred answers
//! through `response_url`, button presses, alerts' command and buttons, the Events API
//! (mentions and DMs: `events`, `events_threads`; `unfurls`; `home_tab`), the outbound Slack
//! client against a stand-in Web API, every template's output, and the fuzz targets' oracles
//! (`properties`).

mod alerts;
mod asking;
mod chart_and_question_templates;
mod deferred_answers;
mod events;
mod events_threads;
mod fake_ask;
mod helpers;
mod home_tab;
mod interactions;
mod lambda_events;
mod properties;
mod slack_client;
mod slash_commands;
mod stat_fixtures;
mod templates;
mod unfurls;
