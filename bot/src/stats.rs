//! The stats API's JSON, as `docs/stats-api-contract.md` describes it.

use serde::Deserialize;
use serde_json::{Map, Value};

/// `GET /v1/stats`. Entries are kept as raw JSON here and checked one by one, so one stat the
/// bot cannot understand does not hide all the others.
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogueBody {
    pub stats: Vec<Value>,
}

/// One declared stat from the catalogue.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StatInfo {
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub display: DisplayKind,
    #[serde(default)]
    pub response_type: ResponseType,
    #[serde(default)]
    pub cache_seconds: Option<u64>,
    #[serde(default)]
    pub params: Vec<ParamSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisplayKind {
    /// One row; every column is a figure.
    Figures,
    /// Rows; the first column is the label, the last the value.
    Ranked,
    /// Rows in time order; the first column is the period, the last the value.
    Series,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ParamSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ParamKind,
    #[serde(default)]
    pub description: String,
    /// Absent when the parameter is required.
    #[serde(default)]
    pub default: Option<Value>,
    /// A number for integers, `YYYY-MM-DD` for dates.
    #[serde(default)]
    pub min: Option<Value>,
    #[serde(default)]
    pub max: Option<Value>,
    #[serde(default)]
    pub allowed: Option<Vec<String>>,
    #[serde(default)]
    pub max_length: Option<usize>,
}

impl ParamSpec {
    pub fn required(&self) -> bool {
        self.default.is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    Integer,
    String,
    Date,
    Boolean,
    /// A type newer than this bot: passed through unchecked, the API still validates it.
    #[serde(other)]
    Other,
}

/// `GET /v1/stats/{name}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StatResult {
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub display: Option<DisplayKind>,
    #[serde(default)]
    pub params: Map<String, Value>,
    pub columns: Vec<Column>,
    pub rows: Vec<Map<String, Value>>,
    #[serde(default)]
    pub truncated: bool,
    #[serde(default)]
    pub generated_at: Option<String>,
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

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ColumnKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Integer,
    Number,
    String,
    Boolean,
    Datetime,
    Date,
    Time,
    Bytes,
    #[serde(other)]
    Other,
}

/// `{"error": {...}}`, the body of every non-2xx answer.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorBody {
    pub error: ApiError,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiError {
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub parameter: Option<String>,
}
