//! The stats API's wire contract (`docs/stats-api-contract.md`) as serde types: the stats API
//! serializes them, the bot and the tests' stand-ins read and write the same ones.
//!
//! Readers are tolerant where the contract may grow: a parameter or column type, or an error
//! code, that this version does not know still deserializes (as `Other`/`ErrorCode::Other`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

mod ask;
pub mod params;
pub mod period;

pub use ask::{AskAnswer, AskMatch};

/// `GET /v1/stats`. The bot reads it as `Catalogue<serde_json::Value>` and checks entries one by
/// one, so one entry it cannot understand does not hide the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue<S = StatInfo> {
    pub stats: Vec<S>,
}

/// One declared stat: what it is, what it takes, how to show it. Never its SQL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatInfo {
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub display: Display,
    #[serde(default)]
    pub response_type: ResponseType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_seconds: Option<u64>,
    #[serde(default)]
    pub params: Vec<ParamInfo>,
}

/// How a stat is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Display {
    /// One row; every column is a figure.
    Figures,
    /// Rows; the first column is the label, the last the value.
    Ranked,
    /// Rows in time order; the first column is the period, the last the value.
    Series,
}

impl Display {
    pub fn as_str(self) -> &'static str {
        match self {
            Display::Figures => "figures",
            Display::Ranked => "ranked",
            Display::Series => "series",
        }
    }
}

/// Who sees a stat's answer in Slack.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseType {
    #[default]
    InChannel,
    Ephemeral,
}

impl ResponseType {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseType::InChannel => "in_channel",
            ResponseType::Ephemeral => "ephemeral",
        }
    }
}

/// A declared parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ParamType,
    #[serde(default)]
    pub description: String,
    /// Absent when the parameter is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// A number for integers, `YYYY-MM-DD` for dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
}

impl ParamInfo {
    pub fn required(&self) -> bool {
        self.default.is_none()
    }

    /// The rule a value for this parameter must follow, read from what the catalogue published;
    /// `None` for a type newer than this reader (the stats API still checks it).
    pub fn rule(&self) -> Option<params::Rule<'_>> {
        let int = |v: &Option<Value>| v.as_ref().and_then(Value::as_i64);
        let date = |v: &Option<Value>| {
            v.as_ref()
                .and_then(Value::as_str)
                .and_then(params::parse_date)
        };
        Some(match self.kind {
            ParamType::Integer => params::Rule::Integer {
                min: int(&self.min),
                max: int(&self.max),
            },
            ParamType::String => params::Rule::String {
                allowed: self.allowed.as_deref().unwrap_or_default(),
                max_length: self.max_length,
            },
            ParamType::Date => params::Rule::Date {
                min: date(&self.min),
                max: date(&self.max),
            },
            ParamType::Boolean => params::Rule::Boolean,
            ParamType::Other => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamType {
    Integer,
    String,
    Date,
    Boolean,
    /// A type newer than this reader: passed through unchecked, the API still validates it.
    #[serde(other)]
    Other,
}

/// `GET /v1/stats/{name}`: columns with their types, rows as objects in column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatResult {
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<Display>,
    /// The parameters the stat ran with, defaults included.
    #[serde(default)]
    pub params: Map<String, Value>,
    pub columns: Vec<Column>,
    pub rows: Vec<Map<String, Value>>,
    #[serde(default)]
    pub truncated: bool,
    /// RFC 3339, UTC: when the numbers were read from the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    /// A signed, expiring link to this answer's chart (series and ranked stats, when the stats
    /// API knows its public URL): it opens without a token, until it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart_url: Option<String>,
}

impl StatResult {
    /// The value of `column` in row `row`, `Null` when absent.
    pub fn value(&self, row: usize, column: &str) -> &Value {
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .unwrap_or(&Value::Null)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ColumnType,
}

/// A result column's type as clients see it (not the database's own column type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    Integer,
    Number,
    String,
    Boolean,
    Datetime,
    Date,
    Time,
    Json,
    Null,
    /// A type newer than this reader.
    #[serde(other)]
    Other,
}

/// `{"error": {...}}`, the body of every non-2xx answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ApiError,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    #[serde(default)]
    pub message: String,
    /// The parameter at fault, for `bad_parameter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

/// The stable codes clients switch on. A code this reader does not know is kept as
/// [`ErrorCode::Other`], so a newer stats API does not make its errors unreadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    BadParameter,
    Unauthorized,
    UnknownStat,
    NotFound,
    DatabaseUnavailable,
    QueryTimeout,
    StatWrites,
    /// The stat failed its check against the database on first use (its entry needs fixing).
    StatBroken,
    Internal,
    /// The route exists, but only for GET (the answer carries `Allow`).
    MethodNotAllowed,
    /// The request had a body; no route takes one.
    PayloadTooLarge,
    UriTooLong,
    HeadersTooLarge,
    /// A chart was asked of a figures stat, or of rows that cannot be drawn.
    NotChartable,
    /// A chart link whose signature does not match what it asks for.
    BadSignature,
    /// A chart link past its expiry.
    LinkExpired,
    /// `GET /v1/ask` without a question, or with one too long to read.
    BadQuestion,
    Other(String),
}

impl ErrorCode {
    /// Every code this version knows, with its name on the wire.
    pub const KNOWN: [(ErrorCode, &'static str); 17] = [
        (ErrorCode::BadParameter, "bad_parameter"),
        (ErrorCode::Unauthorized, "unauthorized"),
        (ErrorCode::UnknownStat, "unknown_stat"),
        (ErrorCode::NotFound, "not_found"),
        (ErrorCode::DatabaseUnavailable, "database_unavailable"),
        (ErrorCode::QueryTimeout, "query_timeout"),
        (ErrorCode::StatWrites, "stat_writes"),
        (ErrorCode::StatBroken, "stat_broken"),
        (ErrorCode::Internal, "internal"),
        (ErrorCode::MethodNotAllowed, "method_not_allowed"),
        (ErrorCode::PayloadTooLarge, "payload_too_large"),
        (ErrorCode::UriTooLong, "uri_too_long"),
        (ErrorCode::HeadersTooLarge, "headers_too_large"),
        (ErrorCode::NotChartable, "not_chartable"),
        (ErrorCode::BadSignature, "bad_signature"),
        (ErrorCode::LinkExpired, "link_expired"),
        (ErrorCode::BadQuestion, "bad_question"),
    ];

    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::Other(code) => code,
            known => {
                Self::KNOWN
                    .iter()
                    .find(|(code, _)| code == known)
                    .expect("every known code is listed")
                    .1
            }
        }
    }

    pub fn parse(code: &str) -> ErrorCode {
        Self::KNOWN
            .iter()
            .find(|(_, name)| *name == code)
            .map_or_else(|| ErrorCode::Other(code.to_string()), |(c, _)| c.clone())
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Ok(ErrorCode::parse(&code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_kept() {
        for (code, name) in ErrorCode::KNOWN {
            assert_eq!(ErrorCode::parse(name), code);
            assert_eq!(serde_json::to_value(&code).unwrap(), json!(name));
        }
        let body: ErrorBody =
            serde_json::from_value(json!({ "error": { "code": "teapot", "message": "short" } }))
                .unwrap();
        assert_eq!(body.error.code, ErrorCode::Other("teapot".into()));
        assert_eq!(body.error.code.as_str(), "teapot");
    }

    #[test]
    fn the_codes_for_refused_requests_are_known() {
        for name in [
            "method_not_allowed",
            "payload_too_large",
            "uri_too_long",
            "headers_too_large",
        ] {
            let code = ErrorCode::parse(name);
            assert!(!matches!(code, ErrorCode::Other(_)), "{name}");
            assert_eq!(code.as_str(), name);
        }
    }

    #[test]
    fn newer_types_still_read() {
        let param: ParamInfo =
            serde_json::from_value(json!({ "name": "x", "type": "duration" })).unwrap();
        assert_eq!(param.kind, ParamType::Other);
        assert!(param.required());
        let column: Column =
            serde_json::from_value(json!({ "name": "x", "type": "geometry" })).unwrap();
        assert_eq!(column.kind, ColumnType::Other);
    }

    #[test]
    fn rows_keep_their_column_order() {
        let text = r#"{"name":"s","columns":[],"rows":[{"z":1,"a":2}]}"#;
        let result: StatResult = serde_json::from_str(text).unwrap();
        let keys: Vec<&String> = result.rows[0].keys().collect();
        assert_eq!(keys, ["z", "a"]);
    }
}
