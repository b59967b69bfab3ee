//! `GET /openapi.json`: the API as implemented, one operation per declared stat, so each stat's
//! parameters and columns are described with their real types and bounds.

use chrono::NaiveDate;
use serde_json::{Value, json};

use stats_contract::{Column, ColumnType, ErrorCode, ParamInfo};

use crate::catalogue::{Param, ParamKind, Stat, date_bounds};
use crate::request_limits::{MAX_HEADER_BYTES, MAX_URI_BYTES};

/// What any route may answer before its handler runs (`request_limits`, the method check).
fn refusals(responses: &mut Value) {
    responses["405"] =
        error_response("method_not_allowed (any method but GET and HEAD; with `Allow`)");
    responses["413"] = error_response("payload_too_large (a request body: no route takes one)");
    responses["414"] = error_response(&format!("uri_too_long (over {MAX_URI_BYTES} bytes)"));
    responses["431"] = error_response(&format!(
        "headers_too_large (over {MAX_HEADER_BYTES} bytes of headers)"
    ));
}

/// The document for `stats`, each with the columns the live check found.
pub fn document(stats: &[(&Stat, &[Column])]) -> Value {
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/healthz".into(),
        json!({ "get": {
            "operationId": "healthz",
            "summary": "The service is up (no database check)",
            "security": [],
            "responses": { "200": ok_response("#/components/schemas/Status") }
        }}),
    );
    paths.insert(
        "/readyz".into(),
        json!({ "get": {
            "operationId": "readyz",
            "summary": "The database answers a query",
            "security": [],
            "responses": {
                "200": ok_response("#/components/schemas/Status"),
                "503": error_response("database_unavailable")
            }
        }}),
    );
    paths.insert(
        "/openapi.json".into(),
        json!({ "get": {
            "operationId": "openapi",
            "summary": "This document",
            "security": [],
            "responses": { "200": { "description": "OpenAPI 3.1 document",
                "content": { "application/json": { "schema": { "type": "object" } } } } }
        }}),
    );
    paths.insert(
        "/v1/stats".into(),
        json!({ "get": {
            "operationId": "listStats",
            "summary": "The catalogue: every declared stat, its parameters and how to show it",
            "responses": {
                "200": ok_response("#/components/schemas/Catalogue"),
                "401": error_response("unauthorized")
            }
        }}),
    );
    paths.insert(
        "/v1/ask".into(),
        json!({ "get": {
            "operationId": "ask",
            "summary": "A question in words, read as declared stats and the parameters the words fix",
            "description": format!("At most 3 matches, best first; `confident` only when the first is clearly right; `matches` empty when nothing fits. Nothing is run: run a match with `GET /v1/stats/{{stat}}` and its `params`. `q` is 1–{} characters.", crate::ask::MAX_QUESTION_CHARS),
            "parameters": [{ "name": "q", "in": "query", "required": true,
                "description": "The question, e.g. `how many joined this week`",
                "example": "how many joined this week",
                "schema": { "type": "string", "minLength": 1, "maxLength": crate::ask::MAX_QUESTION_CHARS } }],
            "responses": {
                "200": ok_response("#/components/schemas/AskAnswer"),
                "400": error_response("bad_question (empty or over-long `q`)"),
                "401": error_response("unauthorized")
            }
        }}),
    );
    for (stat, columns) in stats {
        paths.insert(
            format!("/v1/stats/{}", stat.name),
            json!({ "get": {
                "operationId": format!("stat_{}", stat.name.replace('-', "_")),
                "summary": stat.title,
                "description": format!(
                    "{} The same rows as CSV: `Accept: text/csv`, or `GET /v1/stats/{}.csv`.",
                    stat.description, stat.name
                ),
                "parameters": stat.params.iter().map(parameter).collect::<Vec<_>>(),
                "responses": stat_responses(stat, columns)
            }}),
        );
    }
    for item in paths.values_mut() {
        refusals(&mut item["get"]["responses"]);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "statsbot stats API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Live, read-only numbers from the community's database. Every stat is declared in the catalogue; unknown stats answer 404 `unknown_stat`."
        },
        "security": [{ "bearer": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas()
        }
    })
}

/// A stat's answers: its rows, typed by the columns the live check found (as JSON or CSV), and
/// its errors (always JSON).
fn stat_responses(stat: &Stat, columns: &[Column]) -> Value {
    let row_properties: serde_json::Map<String, Value> = columns
        .iter()
        .map(|c| {
            let schema = match c.kind {
                // A JSON column holds any JSON value: object, array, string, number, …
                ColumnType::Json => json!({}),
                kind => json!({ "type": [json_type(kind), "null"] }),
            };
            (c.name.clone(), schema)
        })
        .collect();
    let mut result_schema = json!({ "allOf": [
        { "$ref": "#/components/schemas/StatResult" },
        { "type": "object", "properties": {
            "name": { "const": stat.name },
            "rows": { "type": "array", "items": {
                "type": "object",
                "required": columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
                "properties": row_properties
            }}
        }}
    ]});
    result_schema["description"] = json!(format!("Display: {}", stat.display.as_str()));
    let header_row = columns
        .iter()
        .map(|c| crate::csv::neutralise(&c.name))
        .collect::<Vec<_>>()
        .join(",");
    json!({
        "200": { "description": stat.title,
            "headers": { "Cache-Control": { "schema": { "type": "string" },
                "description": format!("`private, max-age=N` (N ≤ {}) or `no-store`", stat.cache_ttl.as_secs()) } },
            "content": {
                "application/json": { "schema": result_schema },
                "text/csv": { "schema": { "type": "string",
                    "description": format!(
                        "RFC 4180 CSV (`text/csv; charset=utf-8`, CRLF line ends): the header row `{header_row}`, then one line a row; a null is an empty field. A string cell that starts with `=`, `+`, `-`, `@`, a tab or CR gets a leading `'` so spreadsheets do not run it as a formula. Asked for with `Accept: text/csv` or the `.csv` suffix."
                    ) } }
            } },
        "400": error_response("bad_parameter (also for any parameter a stat does not take)"),
        "401": error_response("unauthorized"),
        "500": error_response("internal"),
        "503": error_response("database_unavailable"),
        "504": error_response("query_timeout")
    })
}

/// The JSON Schema type of a column's values: dates and times travel as strings.
fn json_type(column: ColumnType) -> &'static str {
    match column {
        ColumnType::Integer => "integer",
        ColumnType::Number => "number",
        ColumnType::Boolean => "boolean",
        ColumnType::Json => "object",
        ColumnType::Null => "null",
        ColumnType::String
        | ColumnType::Datetime
        | ColumnType::Date
        | ColumnType::Time
        | ColumnType::Other => "string",
    }
}

fn parameter(p: &Param) -> Value {
    let mut schema = serde_json::to_value(ParamInfo::from(p)).expect("a param serializes");
    let obj = schema.as_object_mut().expect("a param is an object");
    for key in ["name", "description", "min", "max"] {
        obj.remove(key);
    }
    if let Some(allowed) = obj.remove("allowed") {
        obj.insert("enum".into(), allowed);
    }
    if let Some(len) = obj.remove("max_length") {
        obj.insert("maxLength".into(), len);
    }
    let mut description = p.description.clone();
    match &p.kind {
        ParamKind::Integer { min, max, .. } => {
            if let Some(min) = min {
                obj.insert("minimum".into(), json!(min));
            }
            if let Some(max) = max {
                obj.insert("maximum".into(), json!(max));
            }
        }
        // JSON Schema cannot bound a date string: `formatMinimum`/`formatMaximum` are an ajv
        // extension that validators and test generators (schemathesis, hypothesis-jsonschema)
        // ignore. They all honour `pattern`, so the bounds are a pattern that matches exactly
        // the `YYYY-MM-DD` strings in range; `format: date` rules out days like 2024-02-30.
        // The description says the same in words.
        ParamKind::Date { min, max, .. } => {
            let (lo, hi) = date_bounds(*min, *max);
            obj.insert("type".into(), json!("string"));
            obj.insert("format".into(), json!("date"));
            obj.insert("pattern".into(), json!(date_range_pattern(lo, hi)));
            let bounds = format!("YYYY-MM-DD, from {lo} to {hi}");
            description = if description.is_empty() {
                bounds
            } else {
                format!("{description} ({bounds})")
            };
        }
        ParamKind::String { .. } | ParamKind::Boolean { .. } => {}
    }
    json!({
        "name": p.name,
        "in": "query",
        "description": description,
        "required": p.default().is_none(),
        "schema": schema
    })
}

/// An anchored regular expression for the `YYYY-MM-DD` strings from `lo` to `hi`: dates of a
/// fixed width sort as text, so this is a range of strings of one shape.
fn date_range_pattern(lo: NaiveDate, hi: NaiveDate) -> String {
    let text = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    format!("^{}$", text_range(&text(lo), &text(hi)))
}

/// A regex for the strings that sort from `lo` to `hi`, both ASCII of one shape: digits where
/// either has a digit, the same other characters in the same places.
fn text_range(lo: &str, hi: &str) -> String {
    if lo == digits_as(lo, "0") && hi == digits_as(hi, "9") {
        return digits_as(lo, "[0-9]");
    }
    let (a, b) = (lo.as_bytes()[0], hi.as_bytes()[0]);
    let (lo_rest, hi_rest) = (&lo[1..], &hi[1..]);
    if a == b {
        return format!("{}{}", a as char, text_range(lo_rest, hi_rest));
    }
    // `a` then anything from lo's rest up; a digit between; `b` then anything up to hi's rest.
    let mut choices = vec![format!(
        "{}{}",
        a as char,
        text_range(lo_rest, &digits_as(lo_rest, "9"))
    )];
    if b - a > 1 {
        choices.push(format!(
            "[{}-{}]{}",
            (a + 1) as char,
            (b - 1) as char,
            digits_as(lo_rest, "[0-9]")
        ));
    }
    choices.push(format!(
        "{}{}",
        b as char,
        text_range(&digits_as(hi_rest, "0"), hi_rest)
    ));
    format!("(?:{})", choices.join("|"))
}

/// `text` with every digit replaced by `with`.
fn digits_as(text: &str, with: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                with.to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn ok_response(schema: &str) -> Value {
    json!({ "description": "OK", "content": { "application/json": { "schema": { "$ref": schema } } } })
}

fn error_response(code: &str) -> Value {
    json!({ "description": format!("error `{code}`"),
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn schemas() -> Value {
    json!({
        "Status": { "type": "object", "required": ["status"],
            "properties": { "status": { "type": "string" } } },
        "Error": { "type": "object", "required": ["error"], "properties": { "error": {
            "type": "object", "required": ["code", "message"], "properties": {
                "code": { "type": "string",
                    "enum": ErrorCode::KNOWN.iter().map(|(_, name)| *name).collect::<Vec<_>>() },
                "message": { "type": "string" },
                "parameter": { "type": "string" } } } } },
        "Param": { "type": "object", "required": ["name", "type", "description"], "properties": {
            "name": { "type": "string" },
            "type": { "type": "string", "enum": ["integer", "string", "date", "boolean"] },
            "description": { "type": "string" },
            "default": {}, "min": {}, "max": {},
            "allowed": { "type": "array", "items": { "type": "string" } },
            "max_length": { "type": "integer" } } },
        "StatInfo": { "type": "object",
            "required": ["name", "title", "description", "display", "response_type", "cache_seconds", "params"],
            "properties": {
                "name": { "type": "string" },
                "title": { "type": "string" },
                "description": { "type": "string" },
                "display": { "type": "string", "enum": ["figures", "ranked", "series"] },
                "response_type": { "type": "string", "enum": ["in_channel", "ephemeral"] },
                "cache_seconds": { "type": "integer" },
                "params": { "type": "array", "items": { "$ref": "#/components/schemas/Param" } } } },
        "AskAnswer": { "type": "object", "required": ["query", "confident", "matches"], "properties": {
            "query": { "type": "string" },
            "confident": { "type": "boolean" },
            "matches": { "type": "array", "maxItems": 3, "items": {
                "type": "object", "required": ["stat", "params", "invocation", "score"], "properties": {
                    "stat": { "type": "string" },
                    "params": { "type": "object", "additionalProperties": { "type": "string" } },
                    "invocation": { "type": "string" },
                    "score": { "type": "number" },
                    "why": { "type": "array", "items": { "type": "string" } } } } } } },
        "Catalogue": { "type": "object", "required": ["stats"], "properties": {
            "stats": { "type": "array", "items": { "$ref": "#/components/schemas/StatInfo" } } } },
        "Column": { "type": "object", "required": ["name", "type"], "properties": {
            "name": { "type": "string" },
            "type": { "type": "string", "enum": ["integer", "number", "string", "boolean",
                "datetime", "date", "time", "json", "null"] } } },
        "StatResult": { "type": "object",
            "required": ["name", "title", "display", "params", "columns", "rows", "truncated", "generated_at"],
            "properties": {
                "name": { "type": "string" },
                "title": { "type": "string" },
                "display": { "type": "string", "enum": ["figures", "ranked", "series"] },
                "params": { "type": "object" },
                "columns": { "type": "array", "items": { "$ref": "#/components/schemas/Column" } },
                "rows": { "type": "array", "items": { "type": "object" } },
                "truncated": { "type": "boolean" },
                "generated_at": { "type": "string", "format": "date-time" } } }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;

    #[test]
    fn the_date_pattern_takes_exactly_the_range() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let ranges = [
            ("1000-01-01", "9999-12-31"),
            ("2020-02-29", "2031-10-09"),
            ("2024-12-31", "2025-01-01"),
            ("2024-03-15", "2024-03-15"),
            ("1999-09-30", "2000-10-01"),
        ];
        for (lo, hi) in ranges {
            let (lo, hi) = (d(lo), d(hi));
            let pattern = regex::Regex::new(&date_range_pattern(lo, hi)).unwrap();
            let from = (lo - Days::new(800)).max(NaiveDate::from_ymd_opt(1, 1, 1).unwrap());
            let mut day = from;
            while day <= (hi + Days::new(800)).min(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()) {
                let text = day.format("%Y-%m-%d").to_string();
                let inside = lo <= day && day <= hi;
                assert_eq!(pattern.is_match(&text), inside, "{lo}..{hi}: {text}");
                // Far from the edges, step faster.
                let near = (day - lo).num_days().abs() < 800 || (day - hi).num_days().abs() < 800;
                day = day + Days::new(if near { 1 } else { 397 });
            }
            for odd in ["+2024-01-01", "2024-1-05", " 2024-01-01", "2024-01-011"] {
                assert!(!pattern.is_match(odd), "{odd}");
            }
        }
    }
}
