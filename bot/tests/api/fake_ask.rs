//! The stand-in stats API's `GET /v1/ask`: the answer a test set for the question, else no
//! match; an empty or over-long question is a 400 `bad_question`, as the real one says.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use stats_contract::{AskAnswer, AskMatch, ErrorCode};

use crate::helpers::{FakeApi, api_error, gate};

/// The real stats API's limit on a question.
const MAX_QUESTION: usize = 300;

#[derive(Clone, Default)]
pub struct Asked {
    answers: Arc<Mutex<HashMap<String, AskAnswer>>>,
    questions: Arc<Mutex<Vec<String>>>,
    /// An older stats API: no `/v1/ask` route (404 `not_found`).
    missing: Arc<AtomicBool>,
}

impl FakeApi {
    /// What `/v1/ask` answers to `question` (as the bot sends it).
    pub fn answer(&self, question: &str, confident: bool, matches: Vec<AskMatch>) {
        let answer = AskAnswer {
            query: question.into(),
            confident,
            matches,
        };
        let mut answers = self.ask.answers.lock().unwrap();
        answers.insert(question.into(), answer);
    }

    /// Every question asked so far, in order.
    pub fn questions(&self) -> Vec<String> {
        self.ask.questions.lock().unwrap().clone()
    }

    /// Stands for a stats API from before questions: `/v1/ask` is not found.
    pub fn without_ask(&self) {
        self.ask.missing.store(true, Ordering::SeqCst);
    }
}

/// A match as the stats API sends it; `params` as query-parameter strings.
pub fn reading(stat: &str, invocation: &str, params: &[(&str, &str)], score: f64) -> AskMatch {
    AskMatch {
        stat: stat.into(),
        params: params
            .iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect::<Map<_, _>>(),
        invocation: invocation.into(),
        score,
        why: vec![format!("{stat}: matched by the test")],
    }
}

pub async fn ask(
    State(api): State<FakeApi>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = gate(&api, &headers).await {
        return refusal;
    }
    if api.ask.missing.load(Ordering::SeqCst) {
        return api_error(StatusCode::NOT_FOUND, ErrorCode::NotFound, "no such route");
    }
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let question = pairs
        .iter()
        .find(|(key, _)| key == "q")
        .map(|(_, q)| q.trim().to_string())
        .unwrap_or_default();
    api.ask.questions.lock().unwrap().push(question.clone());
    if question.is_empty() || question.chars().count() > MAX_QUESTION {
        return api_error(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadQuestion,
            "q must be 1 to 300 characters",
        );
    }
    let answer = api.ask.answers.lock().unwrap().get(&question).cloned();
    let answer = answer.unwrap_or(AskAnswer {
        query: question,
        confident: false,
        matches: Vec::new(),
    });
    axum::Json(answer).into_response()
}
