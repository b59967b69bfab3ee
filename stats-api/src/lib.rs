//! statsbot's stats API: declared stats over a MySQL/MariaDB database, as JSON over HTTP.

pub mod ask;
pub mod auth;
pub mod cache;
pub mod catalogue;
pub mod chart;
pub mod config;
pub mod csv;
pub mod database;
pub mod error;
pub mod named_params;
pub mod openapi;
pub mod panic_boundary;
pub mod request_limits;
pub mod routes;
pub mod startup;
pub mod state;

pub use config::Settings;
pub use error::{Error, Result};
pub use startup::Application;
