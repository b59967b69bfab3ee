//! The stats API over real HTTP against a real MariaDB/MySQL, each test on its own database.

mod ask;
mod auth_and_errors;
mod catalogue_checks;
mod charts;
mod csv_answers;
mod database_limits;
mod date_parameters;
mod error_responses;
mod helpers;
mod hostile_input;
mod openapi;
mod outages;
mod properties;
mod reload;
mod shipped_stats;
mod values_cache_and_limits;
