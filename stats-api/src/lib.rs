//! statsbot's stats API: declared stats over a MySQL/MariaDB database, as JSON over HTTP.

pub mod auth;
pub mod cache;
pub mod catalogue;
pub mod config;
pub mod database;
pub mod demo_data;
pub mod error;
pub mod named_params;
pub mod openapi;
pub mod routes;
pub mod schema;
pub mod startup;
pub mod telemetry;
pub mod test_database;

pub use config::Settings;
pub use error::{Error, Result};
pub use startup::Application;
