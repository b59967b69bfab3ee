//! What a user is told when something goes wrong — briefly, privately, and without the
//! details, which go to the log — and the word each outcome gets in the log line.

use askama::Template;
use stats_contract::{ErrorCode, ResponseType};

use crate::error::Error;
use crate::render::Context;
use crate::slack::blocks;
use crate::slack::message::Message;

/// What went wrong, for the person who typed the command. Details stay in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explanation {
    UnknownCommand {
        given: String,
        suggestion: Option<String>,
    },
    BadArgument {
        usage: String,
        issue: ArgIssue,
    },
    TeamNotAllowed,
    /// Slack's form gave this field more than once; nothing was run.
    RepeatedField {
        field: String,
    },
    /// A button press the bot cannot read: not one of its buttons, or a value it never made.
    StaleButton,
    ApiUnreachable,
    ApiSlow,
    ApiRefused,
    ApiNonsense,
    DatabaseUnavailable,
    QueryTimeout,
    StatGone {
        name: String,
    },
    /// A question in words the stats API would not read: empty, or too long.
    BadQuestion,
    /// Something else the stats API reported, with its own message.
    ApiSaid {
        message: String,
    },
    Internal,
}

/// Why an argument does not fit the parameter declared for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgIssue {
    TooMany {
        max: usize,
    },
    Unknown {
        name: String,
        known: String,
    },
    Duplicate {
        name: String,
    },
    Missing {
        name: String,
    },
    NotInteger {
        name: String,
        value: String,
    },
    OutOfRange {
        name: String,
        value: String,
        min: Option<String>,
        max: Option<String>,
    },
    NotAllowed {
        name: String,
        value: String,
        allowed: String,
    },
    TooLong {
        name: String,
        max_length: usize,
    },
    NotDate {
        name: String,
        value: String,
    },
    NotBoolean {
        name: String,
        value: String,
    },
    /// The stats API's own explanation (400 `bad_parameter`).
    Rejected {
        message: String,
    },
}

impl Explanation {
    /// What this problem is called in the log line.
    pub fn outcome(&self) -> Outcome {
        match self {
            Explanation::UnknownCommand { .. } => Outcome::UnknownCommand,
            Explanation::BadArgument { .. } => Outcome::BadArgument,
            Explanation::TeamNotAllowed => Outcome::TeamNotAllowed,
            Explanation::RepeatedField { .. } => Outcome::RepeatedField,
            Explanation::StaleButton => Outcome::StaleButton,
            Explanation::ApiUnreachable => Outcome::ApiUnreachable,
            Explanation::ApiSlow => Outcome::ApiTimeout,
            Explanation::ApiRefused => Outcome::ApiUnauthorized,
            Explanation::ApiNonsense => Outcome::ApiNonsense,
            Explanation::DatabaseUnavailable => Outcome::DatabaseUnavailable,
            Explanation::QueryTimeout => Outcome::QueryTimeout,
            Explanation::StatGone { .. } => Outcome::UnknownStat,
            Explanation::BadQuestion => Outcome::BadQuestion,
            Explanation::ApiSaid { .. } => Outcome::ApiError,
            Explanation::Internal => Outcome::Internal,
        }
    }

    /// What the user is told about an error from a command's run; the detail goes to the log.
    pub fn from_error(error: Error, stat: Option<&str>) -> Explanation {
        tracing::warn!(%error, stat, "command failed");
        match error {
            Error::ApiUnreachable(_) => Explanation::ApiUnreachable,
            Error::ApiTimeout => Explanation::ApiSlow,
            Error::ApiUnauthorized => Explanation::ApiRefused,
            Error::ApiNonsense(_) => Explanation::ApiNonsense,
            Error::Api { code, message, .. } => match code {
                ErrorCode::BadParameter => Explanation::BadArgument {
                    usage: String::new(),
                    issue: ArgIssue::Rejected {
                        message: blocks::clip(&message, 300).into_owned(),
                    },
                },
                ErrorCode::UnknownStat => Explanation::StatGone {
                    name: stat.unwrap_or_default().to_string(),
                },
                ErrorCode::DatabaseUnavailable => Explanation::DatabaseUnavailable,
                ErrorCode::QueryTimeout => Explanation::QueryTimeout,
                ErrorCode::Unauthorized => Explanation::ApiRefused,
                ErrorCode::Internal => Explanation::Internal,
                ErrorCode::BadQuestion => Explanation::BadQuestion,
                _ if message.is_empty() => Explanation::Internal,
                _ => Explanation::ApiSaid {
                    message: blocks::clip(&message, 300).into_owned(),
                },
            },
            _ => Explanation::Internal,
        }
    }
}

/// How a command ended, one word in its log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered inline.
    Ok,
    /// Acknowledged; the answer follows through `response_url`.
    Deferred,
    UnknownCommand,
    BadArgument,
    TeamNotAllowed,
    RepeatedField,
    StaleButton,
    ApiUnreachable,
    ApiTimeout,
    ApiUnauthorized,
    ApiNonsense,
    DatabaseUnavailable,
    QueryTimeout,
    UnknownStat,
    ApiError,
    Internal,
    /// A question in words answered with a choice of readings.
    DidYouMean,
    /// A question in words that fits no stat.
    NoMatch,
    BadQuestion,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Deferred => "deferred",
            Outcome::UnknownCommand => "unknown_command",
            Outcome::BadArgument => "bad_argument",
            Outcome::TeamNotAllowed => "team_not_allowed",
            Outcome::RepeatedField => "repeated_field",
            Outcome::StaleButton => "stale_button",
            Outcome::ApiUnreachable => "api_unreachable",
            Outcome::ApiTimeout => "api_timeout",
            Outcome::ApiUnauthorized => "api_unauthorized",
            Outcome::ApiNonsense => "api_nonsense",
            Outcome::DatabaseUnavailable => "database_unavailable",
            Outcome::QueryTimeout => "query_timeout",
            Outcome::UnknownStat => "unknown_stat",
            Outcome::ApiError => "api_error",
            Outcome::Internal => "internal",
            Outcome::DidYouMean => "did_you_mean",
            Outcome::NoMatch => "no_match",
            Outcome::BadQuestion => "bad_question",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The explanation as the text of a Slack message: escaped for Slack and for JSON.
#[derive(Template)]
#[template(path = "explanation.json")]
struct ExplanationView<'a> {
    command: &'a str,
    explanation: &'a Explanation,
    nl: &'static str,
}

/// The same words as written, for a log line or another message's wording to escape once.
#[derive(Template)]
#[template(path = "explanation.json", escape = "none")]
struct ExplanationWords<'a> {
    command: &'a str,
    explanation: &'a Explanation,
    nl: &'static str,
}

impl Explanation {
    /// An ephemeral message explaining the problem. Never fails: a broken template would
    /// otherwise leave the user with Slack's generic error.
    pub fn reply(&self, ctx: &Context<'_>) -> Message {
        let command = blocks::clip(ctx.command, 40);
        let view = ExplanationView {
            command: &command,
            explanation: self,
            nl: "\n",
        };
        match view.render() {
            Ok(text) => Message::new(text).with_response_type(ResponseType::Ephemeral),
            Err(e) => {
                tracing::error!(error = %e, "explanation template failed");
                Message::plain("Something went wrong.")
            }
        }
    }

    /// What [`Explanation::reply`] says, as plain words (not escaped).
    pub fn words(&self, ctx: &Context<'_>) -> String {
        let view = ExplanationWords {
            command: &blocks::clip(ctx.command, 40),
            explanation: self,
            nl: "\n",
        };
        view.render().unwrap_or_else(|e| {
            tracing::error!(error = %e, "explanation template failed");
            "Something went wrong.".into()
        })
    }
}
