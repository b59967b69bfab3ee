//! Logs through `tracing`: readable lines locally, JSON lines on Lambda (CloudWatch).

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

/// `RUST_LOG` takes `target=level` lists (e.g. `info,sqlx=warn`); the default is info.
pub fn init() {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|s| s.parse::<Targets>().ok())
        .unwrap_or_else(|| {
            Targets::new()
                .with_default(LevelFilter::INFO)
                .with_target("sqlx", LevelFilter::WARN)
        });
    let on_lambda = std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some();
    let json = on_lambda.then(|| {
        tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .without_time()
    });
    let plain = (!on_lambda).then(|| tracing_subscriber::fmt::layer().with_target(false));
    // A second init (tests) is harmless.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(json)
        .with(plain)
        .try_init();
}
