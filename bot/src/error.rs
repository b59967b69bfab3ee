//! The crate's one error type.
//!
//! Request-level failures (a forged signature, a body that is not a form) become HTTP statuses.
//! Everything a Slack user could run into while a command runs is turned into an ephemeral
//! message by the flows (`flows::run`, through `Explanation`), never a 5xx: Slack shows its own
//! unhelpful error for those.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use stats_contract::ErrorCode;

use crate::slack::signature::Rejection;

/// Grouped by the layer that failed: the bot's settings, Slack's request, the stats API,
/// Slack's Web API, the bot's own rendering, and the runtime.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Settings from the environment or a file named there (`BOT_DIGESTS`, `BOT_ALERTS`,
    /// `BOT_HOME`).
    #[error("settings: {0}")]
    Settings(String),

    #[error("request signature rejected: {0}")]
    Signature(Rejection),

    #[error("malformed slash command form: {0}")]
    BadForm(String),

    /// A Socket Mode frame that is not what Slack's docs describe.
    #[error("Socket Mode frame: {0}")]
    BadFrame(String),

    /// A signed form with a field given twice: answered politely, nothing run.
    #[error("the form gives `{0}` more than once")]
    RepeatedField(String),

    /// Connection refused, DNS failure, TLS failure: the stats API could not be reached.
    #[error("stats API unreachable: {0}")]
    ApiUnreachable(String),

    #[error("stats API did not answer in time")]
    ApiTimeout,

    #[error("stats API refused the bot's token")]
    ApiUnauthorized,

    /// A body that does not follow the contract.
    #[error("stats API answered something unexpected: {0}")]
    ApiNonsense(String),

    /// A well-formed error from the contract's table.
    #[error("stats API error {status} {code}: {message}")]
    Api {
        status: u16,
        code: ErrorCode,
        message: String,
        parameter: Option<String>,
    },

    /// The bot's own rendering mistake: a template that failed or made no Slack message.
    #[error("rendering: {0}")]
    Rendering(String),

    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),

    #[error("lambda runtime: {0}")]
    Lambda(String),

    /// Slack's Web API did not take a call: the method and why (never holds the bot token).
    #[error("Slack's Web API, {method}: {why}")]
    SlackApi { method: &'static str, why: String },
}

impl From<askama::Error> for Error {
    fn from(error: askama::Error) -> Self {
        Error::Rendering(error.to_string())
    }
}

impl From<service_kit::EnvError> for Error {
    fn from(error: service_kit::EnvError) -> Self {
        Error::Settings(error.0)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        // Bodies stay empty: a forger learns nothing, and Slack ignores them anyway.
        let status = match self {
            Error::Signature(_) => StatusCode::UNAUTHORIZED,
            Error::BadForm(_) | Error::RepeatedField(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        status.into_response()
    }
}
