//! `GET /v1/ask?q=<words>`: a question in words, read as declared stats and their parameters.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The answer to a question: at most three matches, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskAnswer {
    /// The question as it was read (trimmed).
    pub query: String,
    /// True only when the first match is clearly the right one: a client may run it at once.
    pub confident: bool,
    /// Empty when no declared stat fits the words.
    pub matches: Vec<AskMatch>,
}

/// One declared stat that fits the words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskMatch {
    pub stat: String,
    /// Only the parameters the words fixed, as the strings `GET /v1/stats/{name}` takes.
    #[serde(default)]
    pub params: Map<String, Value>,
    /// What a person would type in Slack, e.g. `/stats growth 7`.
    pub invocation: String,
    /// How well the words fit, 0 to 1 (comparable within one answer).
    pub score: f64,
    /// How the words were read: which matched what, which fixed which parameter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<String>,
}
