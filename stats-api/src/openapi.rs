//! `GET /openapi.json`: the API as implemented, one operation per declared stat, so each stat's
//! parameters and columns are described with their real types and bounds.

use serde_json::{Value, json};

use stats_contract::{ColumnType, ParamInfo};

use crate::catalogue::Param;
use crate::state::ReadyStat;

pub fn document(stats: &[&ReadyStat]) -> Value {
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
    for ready in stats {
        let stat = &ready.stat;
        let row_properties: serde_json::Map<String, Value> = ready
            .columns
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    json!({ "type": [json_type(c.kind), "null"] }),
                )
            })
            .collect();
        let mut result_schema = json!({ "allOf": [
            { "$ref": "#/components/schemas/StatResult" },
            { "type": "object", "properties": {
                "name": { "const": stat.name },
                "rows": { "type": "array", "items": {
                    "type": "object",
                    "required": ready.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
                    "properties": row_properties
                }}
            }}
        ]});
        result_schema["description"] = json!(format!("Display: {}", stat.display.as_str()));
        let mut responses = json!({
            "200": { "description": stat.title,
                "headers": { "Cache-Control": { "schema": { "type": "string" },
                    "description": format!("`private, max-age=N` (N ≤ {}) or `no-store`", stat.cache_ttl.as_secs()) } },
                "content": { "application/json": { "schema": result_schema } } },
            "401": error_response("unauthorized"),
            "500": error_response("internal"),
            "503": error_response("database_unavailable"),
            "504": error_response("query_timeout")
        });
        if !stat.params.is_empty() {
            responses["400"] = error_response("bad_parameter");
        }
        paths.insert(
            format!("/v1/stats/{}", stat.name),
            json!({ "get": {
                "operationId": format!("stat_{}", stat.name.replace('-', "_")),
                "summary": stat.title,
                "description": stat.description,
                "parameters": stat.params.iter().map(parameter).collect::<Vec<_>>(),
                "responses": responses
            }}),
        );
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
    let kind = schema["type"].as_str().unwrap_or("string").to_string();
    let obj = schema.as_object_mut().expect("a param is an object");
    obj.remove("name");
    obj.remove("description");
    if let Some(min) = obj.remove("min") {
        obj.insert(
            if kind == "integer" {
                "minimum"
            } else {
                "formatMinimum"
            }
            .into(),
            min,
        );
    }
    if let Some(max) = obj.remove("max") {
        obj.insert(
            if kind == "integer" {
                "maximum"
            } else {
                "formatMaximum"
            }
            .into(),
            max,
        );
    }
    if let Some(allowed) = obj.remove("allowed") {
        obj.insert("enum".into(), allowed);
    }
    if let Some(len) = obj.remove("max_length") {
        obj.insert("maxLength".into(), len);
    }
    if kind == "date" {
        obj.insert("type".into(), json!("string"));
        obj.insert("format".into(), json!("date"));
    }
    json!({
        "name": p.name,
        "in": "query",
        "description": p.description,
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
                "code": { "type": "string", "enum": ["bad_parameter", "unauthorized", "unknown_stat",
                    "not_found", "database_unavailable", "query_timeout", "stat_writes", "internal"] },
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
