//! HTTP client for the stats API. One `reqwest::Client` for the process, so connections are
//! reused across commands (and across warm Lambda invocations).

use std::time::Duration;

use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use serde_json::Value;
use service_kit::Secret;
use stats_contract::{AskAnswer, Catalogue, ErrorBody, StatInfo, StatResult};

use crate::error::{Error, Result};

#[derive(Clone)]
pub struct StatsClient {
    http: reqwest::Client,
    base: Url,
    token: Secret,
}

impl std::fmt::Debug for StatsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatsClient")
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

impl StatsClient {
    pub fn new(base_url: &str, token: Secret, timeout: Duration) -> Result<Self> {
        let base = Url::parse(base_url)
            .map_err(|e| Error::Settings(format!("STATS_API_URL {base_url:?}: {e}")))?;
        if base.cannot_be_a_base() {
            return Err(Error::Settings(format!(
                "STATS_API_URL {base_url:?} is not a base URL"
            )));
        }
        let http = reqwest::Client::builder()
            // The roots are read at the first HTTPS call, not at start-up (service_kit::tls).
            .tls_backend_preconfigured(service_kit::tls::client_config())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(1)))
            .pool_idle_timeout(Duration::from_secs(60))
            .user_agent(concat!("statsbot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Settings(format!("HTTP client: {e}")))?;
        Ok(StatsClient { http, base, token })
    }

    /// The declared stats. Entries this bot cannot read are skipped and logged.
    pub async fn catalogue(&self) -> Result<Vec<StatInfo>> {
        let body: Catalogue<Value> = self.get(self.url(&["v1", "stats"], &[])).await?;
        let mut stats = Vec::with_capacity(body.stats.len());
        for entry in body.stats {
            match serde_json::from_value::<StatInfo>(entry) {
                Ok(stat) => stats.push(stat),
                Err(e) => {
                    tracing::warn!(error = %e, "skipping a catalogue entry the bot cannot read")
                }
            }
        }
        Ok(stats)
    }

    pub async fn stat(&self, name: &str, params: &[(String, String)]) -> Result<StatResult> {
        self.get(self.url(&["v1", "stats", name], params)).await
    }

    /// A question in words, read by the stats API as declared stats (`GET /v1/ask?q=…`).
    pub async fn ask(&self, question: &str) -> Result<AskAnswer> {
        let query = [("q".to_string(), question.to_string())];
        self.get(self.url(&["v1", "ask"], &query)).await
    }

    fn url(&self, segments: &[&str], params: &[(String, String)]) -> Url {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .expect("checked in new")
            .pop_if_empty()
            .extend(segments);
        if !params.is_empty() {
            url.query_pairs_mut().extend_pairs(params);
        }
        url
    }

    async fn get<T: DeserializeOwned>(&self, url: Url) -> Result<T> {
        let response = self
            .http
            .get(url)
            .bearer_auth(self.token.expose())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status();
        let body = response.bytes().await.map_err(transport_error)?;
        interpret(status, &body)
    }
}

fn transport_error(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::ApiTimeout
    } else {
        Error::ApiUnreachable(e.to_string())
    }
}

/// Turns a status and body into a value or one of the contract's errors. Pure.
fn interpret<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T> {
    if status.is_success() {
        return serde_json::from_slice(body).map_err(|e| {
            Error::ApiNonsense(format!("HTTP {status} with a body that does not fit: {e}"))
        });
    }
    if status == StatusCode::UNAUTHORIZED {
        return Err(Error::ApiUnauthorized);
    }
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody { error }) => Err(Error::Api {
            status: status.as_u16(),
            code: error.code,
            message: error.message,
            parameter: error.parameter,
        }),
        Err(_) => Err(Error::ApiNonsense(format!(
            "HTTP {status} without the contract's error body"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_a_base_path_and_encode_names_and_params() {
        let client = StatsClient::new(
            "https://api.example.org/prod/",
            Secret::new("t"),
            Duration::from_secs(1),
        )
        .unwrap();
        let url = client.url(
            &["v1", "stats", "a b"],
            &[("when".into(), "2024-01-01 & later".into())],
        );
        assert_eq!(
            url.as_str(),
            "https://api.example.org/prod/v1/stats/a%20b?when=2024-01-01+%26+later"
        );
    }

    #[test]
    fn a_question_is_one_encoded_query_parameter() {
        let client = StatsClient::new(
            "http://127.0.0.1:8081",
            Secret::new("t"),
            Duration::from_secs(1),
        )
        .unwrap();
        let url = client.url(
            &["v1", "ask"],
            &[("q".into(), "who's <!channel> & co?".into())],
        );
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:8081/v1/ask?q=who%27s+%3C%21channel%3E+%26+co%3F"
        );
    }

    #[test]
    fn errors_follow_the_contract() {
        let body = br#"{"error":{"code":"bad_parameter","message":"months must be at most 120","parameter":"months"}}"#;
        match interpret::<StatResult>(StatusCode::BAD_REQUEST, body) {
            Err(Error::Api {
                status: 400,
                code,
                parameter,
                ..
            }) => {
                assert_eq!(code, stats_contract::ErrorCode::BadParameter);
                assert_eq!(parameter.as_deref(), Some("months"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            interpret::<StatResult>(StatusCode::UNAUTHORIZED, b"{}"),
            Err(Error::ApiUnauthorized)
        ));
        assert!(matches!(
            interpret::<StatResult>(StatusCode::BAD_GATEWAY, b"<html>"),
            Err(Error::ApiNonsense(_))
        ));
        assert!(matches!(
            interpret::<StatResult>(StatusCode::OK, b"{\"rows\": 3}"),
            Err(Error::ApiNonsense(_))
        ));
    }
}
