//! HTTP handlers: the catalogue, one stat (JSON, CSV or a PNG chart), health, readiness and the
//! OpenAPI document. Each request reads the catalogue being served once (`AppState::served`),
//! so a reload never changes it halfway.

use std::sync::Arc;
use std::time::Instant;

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, Uri, header},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::json;
use stats_contract::StatResult;

use crate::auth::require_token;
use crate::catalogue::ParamValue;
use crate::error::{Error, Result};
use crate::request_limits;
use crate::state::{AppState, ReadyStat};
use crate::{chart, csv, database};

pub fn router(state: Arc<AppState>) -> Router {
    // Every route is GET-only; axum adds `Allow` to the 405.
    let method_not_allowed = || async { Error::MethodNotAllowed };
    let v1 = Router::new()
        .route("/v1/stats", get(list_stats))
        .route("/v1/stats/{name}", get(one_stat))
        .route("/v1/ask", get(ask))
        .method_not_allowed_fallback(method_not_allowed)
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token));
    let router = Router::new()
        .merge(v1)
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/openapi.json", get(openapi))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(|| async { Error::NotFound })
        .layer(middleware::from_fn(request_limits::enforce))
        .with_state(state);
    crate::panic_boundary::around(router)
}

fn json_bytes(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn list_stats(State(state): State<Arc<AppState>>) -> Response {
    json_bytes(state.served().catalogue_json.clone())
}

async fn openapi(State(state): State<Arc<AppState>>) -> Result<Response> {
    Ok(json_bytes(state.served().openapi_json(&state.pool).await?))
}

/// `GET /v1/ask?q=<words>`: the served catalogue's stats that fit the words (never run here).
async fn ask(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<stats_contract::AskAnswer>> {
    let today = chrono::Utc::now().date_naive();
    Ok(Json(state.served().ask.ask_query(query.as_deref(), today)?))
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn readyz(State(state): State<Arc<AppState>>) -> Result<Json<serde_json::Value>> {
    database::ping(&state.pool).await?;
    Ok(Json(json!({ "status": "ready" })))
}

async fn one_stat(
    State(state): State<Arc<AppState>>,
    name: std::result::Result<Path<String>, PathRejection>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    // A name that does not decode (`%ff`) names no stat; it is shown as sent.
    let Ok(Path(name)) = name else {
        let raw = uri.path().trim_start_matches("/v1/stats/");
        return Error::UnknownStat(raw.to_string()).into_response();
    };
    // No stat's name has a `.` in it, so `members.csv` is always `members` as CSV.
    let (name, format) = if let Some(stem) = name.strip_suffix(".csv") {
        (stem, Format::Csv)
    } else if let Some(stem) = name.strip_suffix(".png") {
        (stem, Format::Png(chart::Size::DEFAULT))
    } else {
        (name.as_str(), Format::asked_by(&headers))
    };
    let mut response = named_stat(&state, name, query.as_deref(), format).await;
    // The same URL answers JSON or CSV by the Accept header.
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept"));
    response
}

/// How a stat's answer is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    /// A chart (see `chart`), at its size.
    Png(chart::Size),
}

impl Format {
    /// CSV when the Accept header asks for `text/csv` more strongly than for
    /// `application/json`; JSON otherwise (wildcards, no header, anything else).
    pub fn asked_by(headers: &HeaderMap) -> Format {
        let (mut csv, mut json) = (0.0f32, 0.0f32);
        for value in headers.get_all(header::ACCEPT) {
            for range in value.to_str().unwrap_or("").split(',') {
                let mut parts = range.split(';');
                let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
                let q = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                match media.as_str() {
                    "text/csv" => csv = csv.max(q),
                    "application/json" => json = json.max(q),
                    _ => {}
                }
            }
        }
        if csv > 0.0 && csv > json {
            Format::Csv
        } else {
            Format::Json
        }
    }
}

/// Errors are turned into responses inside the span, so their log line names the stat.
#[tracing::instrument(name = "stat", skip_all, fields(stat = %name))]
async fn named_stat(state: &AppState, name: &str, query: Option<&str>, format: Format) -> Response {
    stat_response(state, name, query, format)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn stat_response(
    state: &AppState,
    name: &str,
    query: Option<&str>,
    format: Format,
) -> Result<Response> {
    let served = state.served();
    let ready = served
        .stats
        .get(name)
        .ok_or_else(|| Error::UnknownStat(name.to_string()))?;
    let mut given: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| Error::BadParameter {
            parameter: String::new(),
            message: "the query string is not valid URL encoding".into(),
        })?;
    let mut format = format;
    if let Format::Png(_) = format {
        // A figures stat has no chart: say so without running its query.
        chart::check_display(ready.stat.display)?;
        let (own, size) = chart::split_query(given)?;
        (given, format) = (own, Format::Png(size));
    }
    let values = ready.stat.resolve_params(&given)?;
    let ttl = ready.stat.cache_ttl;
    // The rows are cached, once whatever the format or chart size; each answer is written
    // from them, its chart link signed now (good for the link's whole TTL from here).
    let load = || async { answer(state, ready, &values).await.map(Arc::new) };
    let (result, cache_control) = if ttl.is_zero() {
        (load().await?, HeaderValue::from_static("no-store"))
    } else {
        let hit = served
            .cache
            .get_or_load(&cache_key(name, &values), ttl, load)
            .await?;
        let value = format!("private, max-age={}", hit.remaining.as_secs());
        (
            hit.value,
            HeaderValue::from_str(&value).expect("ascii header"),
        )
    };
    let body = render(state, &result, &values, format)?;
    let mut response = match format {
        Format::Json => json_bytes(body),
        Format::Csv => {
            let disposition = format!("inline; filename=\"{name}.csv\"");
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_str(&disposition).expect("stat names are ascii"),
                    ),
                ],
                body,
            )
                .into_response()
        }
        Format::Png(_) => ([(header::CONTENT_TYPE, "image/png")], body).into_response(),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, cache_control);
    Ok(response)
}

fn render(
    state: &AppState,
    result: &StatResult,
    values: &[(String, ParamValue)],
    format: Format,
) -> Result<Bytes> {
    Ok(match format {
        Format::Json => {
            let chart_url = state.chart_links.as_ref().and_then(|links| {
                let now = chrono::Utc::now().timestamp().max(0) as u64;
                chart::url_for(links, result, values, now)
            });
            let linked = Linked { result, chart_url };
            Bytes::from(serde_json::to_vec(&linked).map_err(|e| Error::Internal(e.to_string()))?)
        }
        Format::Csv => Bytes::from(csv::render(&result.columns, &result.rows)),
        Format::Png(size) => Bytes::from(chart::render(result, size)?),
    })
}

/// A cached answer (whose own `chart_url` is always empty) with the link made for this request.
#[derive(serde::Serialize)]
struct Linked<'a> {
    #[serde(flatten)]
    result: &'a StatResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    chart_url: Option<String>,
}

/// Runs the stat (checking it against the database first if it has not been yet).
async fn answer(
    state: &AppState,
    ready: &ReadyStat,
    values: &[(String, ParamValue)],
) -> Result<StatResult> {
    let stat = &ready.stat;
    let started = Instant::now();
    let max_rows = stat.max_rows.unwrap_or(state.max_rows).min(state.max_rows);
    // The server stops the query at the limit; this backstop covers a server that ignores it.
    let backstop = state.query_timeout + std::time::Duration::from_secs(1);
    let rows = tokio::time::timeout(
        backstop,
        database::run_stat(
            &state.pool,
            stat,
            &stat.bind_order(values),
            max_rows,
            &ready.columns,
        ),
    )
    .await
    .map_err(|_| Error::QueryTimeout)??;
    tracing::info!(
        rows = rows.rows.len(),
        truncated = rows.truncated,
        ms = started.elapsed().as_millis() as u64,
        "stat queried"
    );
    let body = StatResult {
        name: stat.name.clone(),
        title: stat.title.clone(),
        display: Some(stat.display),
        params: values
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect(),
        columns: ready.columns().to_vec(),
        rows: rows.rows,
        truncated: rows.truncated,
        generated_at: Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        chart_url: None,
    };
    Ok(body)
}

/// One cache entry per stat and parameter values (defaults included, declared order): the
/// format and the chart size are not in it, so no size multiplies what is cached.
fn cache_key(name: &str, values: &[(String, ParamValue)]) -> String {
    let mut key = name.to_string();
    for (k, v) in values {
        key.push_str(&format!("\u{1f}{k}={v}"));
    }
    key
}
