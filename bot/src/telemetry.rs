//! Logging with `tracing`: JSON lines on Lambda (CloudWatch), readable lines elsewhere.
//! The level comes from `RUST_LOG` (e.g. `info` or `bot=debug,info`), `info` by default.

use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub fn init() {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|spec| spec.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(Level::INFO));
    let registry = tracing_subscriber::registry().with(filter);
    // Err means a subscriber is already set (tests, or the root package): keep that one.
    let _ = if on_lambda() {
        registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(false)
                    .with_ansi(false),
            )
            .try_init()
    } else {
        registry.with(tracing_subscriber::fmt::layer()).try_init()
    };
}

/// The Lambda runtime sets this; it is how the bot knows where it runs.
pub fn on_lambda() -> bool {
    std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some()
}
