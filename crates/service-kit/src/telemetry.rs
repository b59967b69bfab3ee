//! Logging with `tracing`: JSON lines on Lambda (CloudWatch), readable lines elsewhere, with
//! colour only when the output is a terminal. `RUST_LOG` takes `target=level` lists
//! (e.g. `info,sqlx=warn`); `default_filter` applies when it is unset or unreadable.

use std::io::IsTerminal;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

pub fn init(default_filter: &str) {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|spec| spec.parse::<Targets>().ok())
        .or_else(|| default_filter.parse().ok())
        .unwrap_or_default();
    let on_lambda = crate::on_lambda();
    let json = on_lambda.then(|| {
        tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_ansi(false)
    });
    let plain = (!on_lambda)
        .then(|| tracing_subscriber::fmt::layer().with_ansi(std::io::stdout().is_terminal()));
    // Err means a subscriber is already set (tests, or the statsbot command): keep that one.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(json)
        .with(plain)
        .try_init();
}
