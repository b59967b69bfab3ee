//! The crate's one error type, and how each kind reaches an API client.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use stats_contract::{ApiError, ErrorBody, ErrorCode};

use settings_file::Mistake;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("configuration: {0}")]
    Config(String),

    /// Every problem found in a catalogue, statically or against the database.
    #[error("{}", settings_file::describe(.0, "the catalogue"))]
    Catalogue(Vec<Mistake>),

    /// A stat whose live check failed on first use (on Lambda, where entries are checked
    /// lazily): it answers this rather than risk a wrong answer.
    #[error("catalogue entry `{stat}`: {problem}")]
    StatBroken { stat: String, problem: String },

    #[error("{message}")]
    BadParameter { parameter: String, message: String },

    /// `GET /v1/ask` without a question, or with one too long.
    #[error("{0}")]
    BadQuestion(String),

    #[error("missing or invalid bearer token")]
    Unauthorized,

    #[error("there is no stat called `{0}`")]
    UnknownStat(String),

    #[error("no such route")]
    NotFound,

    #[error("this route only answers GET (and HEAD)")]
    MethodNotAllowed,

    #[error("the request body is over {0} bytes; no route reads one")]
    PayloadTooLarge(usize),

    #[error("the URL is longer than {0} bytes")]
    UriTooLong(usize),

    #[error(
        "the request headers are more than {max_headers} or larger than {max_bytes} bytes in all"
    )]
    HeadersTooLarge {
        max_headers: usize,
        max_bytes: usize,
    },

    #[error("{0}")]
    NotChartable(String),

    #[error("this chart link is not valid: it was changed, or it is not a link this service made")]
    BadSignature,

    #[error("this chart link has expired; ask for the stat again for a new one")]
    LinkExpired,

    #[error("the database is unavailable")]
    DatabaseUnavailable(#[source] sqlx::Error),

    #[error("the query took longer than its time limit and was stopped")]
    QueryTimeout,

    #[error("the stat `{0}` tried to change data; stats are read-only")]
    WriteAttempted(String),

    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),

    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadParameter { .. } | Error::BadQuestion(_) => StatusCode::BAD_REQUEST,
            Error::Unauthorized => StatusCode::UNAUTHORIZED,
            Error::UnknownStat(_) | Error::NotFound => StatusCode::NOT_FOUND,
            Error::NotChartable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::BadSignature | Error::LinkExpired => StatusCode::FORBIDDEN,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            Error::HeadersTooLarge { .. } => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Error::DatabaseUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::QueryTimeout => StatusCode::GATEWAY_TIMEOUT,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code clients switch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::BadParameter { .. } => ErrorCode::BadParameter,
            Error::BadQuestion(_) => ErrorCode::BadQuestion,
            Error::Unauthorized => ErrorCode::Unauthorized,
            Error::UnknownStat(_) => ErrorCode::UnknownStat,
            Error::NotFound => ErrorCode::NotFound,
            Error::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            Error::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            Error::UriTooLong(_) => ErrorCode::UriTooLong,
            Error::HeadersTooLarge { .. } => ErrorCode::HeadersTooLarge,
            Error::DatabaseUnavailable(_) => ErrorCode::DatabaseUnavailable,
            Error::QueryTimeout => ErrorCode::QueryTimeout,
            Error::WriteAttempted(_) => ErrorCode::StatWrites,
            Error::StatBroken { .. } => ErrorCode::StatBroken,
            Error::NotChartable(_) => ErrorCode::NotChartable,
            Error::BadSignature => ErrorCode::BadSignature,
            Error::LinkExpired => ErrorCode::LinkExpired,
            _ => ErrorCode::Internal,
        }
    }

    /// What a client may read: internals stay in the log.
    fn public_message(&self) -> String {
        match self {
            Error::Config(_) | Error::Catalogue(_) | Error::Database(_) | Error::Internal(_) => {
                "internal error; the details are in the service's log".into()
            }
            Error::StatBroken { stat, .. } => format!(
                "the stat `{stat}` does not fit the database (its SQL or columns failed the \
                 catalogue check); an admin must fix its entry: the details are in the service's log"
            ),
            other => other.to_string(),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            // sqlx errors carry the server's message, never the URL or password.
            let cause = std::error::Error::source(&self).map(|s| s.to_string());
            tracing::error!(code = %self.code(), error = %self, cause, "request failed");
        }
        let parameter = match &self {
            Error::BadParameter { parameter, .. } => Some(parameter.clone()),
            _ => None,
        };
        let body = ErrorBody {
            error: ApiError {
                code: self.code(),
                message: self.public_message(),
                parameter,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if matches!(self, Error::Unauthorized) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
