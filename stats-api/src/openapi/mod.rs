//! `GET /openapi.json`: the API as implemented, one operation per declared stat, so each stat's
//! parameters and columns are described with their real types and bounds.

use serde_json::{Value, json};

use stats_contract::{Column, ColumnType, Display, ErrorCode, ParamInfo};

use crate::catalogue::{Param, ParamKind, Stat, date_bounds};
use crate::chart::Size;
use crate::request_limits::{MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_URI_BYTES};
use date_pattern::date_range_pattern;

mod date_pattern;

/// A character that is not white space as the API trims it (Rust's `char::is_whitespace`), for
/// `q`'s pattern: the set written out, since `\s` differs between regex dialects.
const NOT_WHITE_SPACE: &str = "[^\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
/// What any route may answer before its handler runs (`request_limits`, the method check).
fn refusals(responses: &mut Value) {
    responses["405"] =
        error_response("method_not_allowed (any method but GET and HEAD; with `Allow`)");
    responses["413"] = error_response(&format!(
        "payload_too_large (a GET body over {MAX_BODY_BYTES} bytes; a smaller one is ignored)"
    ));
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
            "description": format!("At most 3 matches, best first; `confident` only when the first is clearly right; `matches` empty when nothing fits. Nothing is run: run a match with `GET /v1/stats/{{stat}}` and its `params`. `q` is 1–{} characters, at least one of them not white space; an empty or blank question is refused with 400 `bad_question`.", crate::ask::MAX_QUESTION_CHARS),
            "parameters": [{ "name": "q", "in": "query", "required": true,
                "description": "The question, e.g. `how many joined this week`",
                "example": "how many joined this week",
                "schema": { "type": "string", "minLength": 1, "maxLength": crate::ask::MAX_QUESTION_CHARS,
                    "pattern": NOT_WHITE_SPACE } }],
            "responses": {
                "200": ok_response("#/components/schemas/AskAnswer"),
                "400": error_response("bad_question (empty, blank or over-long `q`)"),
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
        if stat.display != Display::Figures {
            paths.insert(
                format!("/v1/stats/{}.png", stat.name),
                chart_operation(stat),
            );
        }
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
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "chartLink": { "type": "apiKey", "in": "query", "name": "sig",
                    "description": "A chart link's HMAC-SHA256 signature, over the stat, its parameters and `expires`: only in a `chart_url`, only for that chart. Not read when the request carries a bearer token." }
            },
            "schemas": schemas()
        }
    })
}

/// `GET /v1/stats/{name}.png`: the stat's chart, by bearer token or by a signed link.
fn chart_operation(stat: &Stat) -> Value {
    let mut parameters: Vec<Value> = stat.params.iter().map(parameter).collect();
    for (name, min, max, default, what) in [
        (
            "width",
            Size::MIN_WIDTH,
            Size::MAX_WIDTH,
            Size::DEFAULT.width,
            "Width in pixels.",
        ),
        (
            "height",
            Size::MIN_HEIGHT,
            Size::MAX_HEIGHT,
            Size::DEFAULT.height,
            "Height in pixels.",
        ),
    ] {
        parameters.push(json!({ "name": name, "in": "query", "required": false,
            "description": what,
            "schema": { "type": "integer", "minimum": min, "maximum": max, "default": default } }));
    }
    parameters.push(json!({ "name": "expires", "in": "query", "required": false,
        "description": "A signed link's expiry (unix seconds), as the link carries it. Not needed with a bearer token; when given it must still be a whole number, once.",
        "schema": { "type": "integer", "minimum": 0, "maximum": u64::MAX } }));
    json!({ "get": {
        "operationId": format!("chart_{}", stat.name.replace('-', "_")),
        "summary": format!("{} (chart)", stat.title),
        "description": format!(
            "The rows of `GET /v1/stats/{}` drawn as a PNG chart ({}). Opens with a bearer token, \
             or without one through the signed, expiring link a JSON answer carries as \
             `chart_url` (any change to the link is refused with 403).",
            stat.name,
            if stat.display == Display::Series { "columns or a line over the periods" } else { "horizontal bars" }
        ),
        "security": [{ "bearer": [] }, { "chartLink": [] }],
        "parameters": parameters,
        "responses": {
            "200": { "description": "The chart", "content": { "image/png": {
                "schema": { "type": "string", "contentMediaType": "image/png" } } } },
            "400": error_response("bad_parameter (a stat parameter, `width` or `height`; an `expires` that is not a whole number; any of them, or `sig`, given twice)"),
            "401": error_response("unauthorized"),
            "403": error_response("bad_signature or link_expired"),
            "404": error_response("unknown_stat"),
            "422": error_response("not_chartable (no rows, or a value that is not a number)"),
            "500": error_response("internal, stat_broken or stat_writes"),
            "503": error_response("database_unavailable"),
            "504": error_response("query_timeout")
        }
    }})
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
        // Bounds as a `pattern` every tool honours (see `date_pattern`), and in words.
        ParamKind::Date { min, max, .. } => {
            let (lo, hi) = date_bounds(*min, *max);
            obj.insert("type".into(), json!("string"));
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
                    "invocation": { "type": "string", "description": "What a person types in Slack.", "example": "/stats growth 7" },
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
                "generated_at": { "type": "string", "format": "date-time" },
                "chart_url": { "type": "string", "format": "uri",
                    "description": "A series or ranked stat's chart as a signed link that opens without a token until it expires (only when the service has a public URL)." } } }
    })
}
