//! What tests, benchmarks and the `statsbot` command need around the services, kept out of
//! them: the reference schema's migrations, deterministic demo data, throwaway test databases
//! (on a private MariaDB when no server answers), a stand-in for Slack's `response_url`, and
//! one for Slack's Web API (with the channels it holds, `slack_channel`).
//! Services never depend on this crate (only their tests and benchmarks do).

pub mod demo_data;
pub mod private_mariadb;
pub mod response_receiver;
pub mod schema;
pub mod slack_api_stub;
pub mod slack_channel;
pub mod test_database;
