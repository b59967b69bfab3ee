//! What the bot, the stats API and the `statsbot` command share: a [`Secret`] that never
//! prints, settings read from the environment, logging, the local HTTP server, the stop signal,
//! the TLS provider.

pub mod database_url;
pub mod env;
pub mod secret;
pub mod server;
pub mod shutdown;
pub mod telemetry;
#[cfg(feature = "rustls")]
pub mod tls;

pub use env::{Env, EnvError};
pub use secret::Secret;

/// The Lambda runtime sets `AWS_LAMBDA_RUNTIME_API`: how each service knows where it runs.
pub fn on_lambda() -> bool {
    std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some()
}
