//! What the stand-in stats API declares and answers: the catalogue entries and results the
//! bot's tests use, shaped by the contract's types.

use serde_json::{Map, Value, json};
use stats_contract::{
    Column, ColumnType, Display, ParamInfo, ParamType, ResponseType, StatInfo, StatResult,
};

fn declared(name: &str, title: &str, description: &str, display: Display) -> StatInfo {
    StatInfo {
        name: name.into(),
        title: title.into(),
        description: description.into(),
        display,
        response_type: ResponseType::InChannel,
        cache_seconds: None,
        params: Vec::new(),
    }
}

fn integer_param(name: &str, description: &str, default: i64, min: i64, max: i64) -> ParamInfo {
    ParamInfo {
        name: name.into(),
        kind: ParamType::Integer,
        description: description.into(),
        default: Some(json!(default)),
        min: Some(json!(min)),
        max: Some(json!(max)),
        allowed: None,
        max_length: None,
    }
}

pub fn members_stat() -> StatInfo {
    StatInfo {
        cache_seconds: Some(60),
        ..declared(
            "members",
            "Members",
            "Members, mentors' invitations and the newest member.",
            Display::Figures,
        )
    }
}

pub fn signups_stat() -> StatInfo {
    StatInfo {
        cache_seconds: Some(300),
        params: vec![integer_param("months", "How many months back", 12, 1, 120)],
        ..declared(
            "signups",
            "Signups per month",
            "New members per month over the last N months.",
            Display::Series,
        )
    }
}

pub fn mentors_stat() -> StatInfo {
    StatInfo {
        response_type: ResponseType::Ephemeral,
        params: vec![integer_param("limit", "", 10, 1, 50)],
        ..declared(
            "mentors",
            "Mentors by invitations",
            "Mentors ranked by how many members they invited.",
            Display::Ranked,
        )
    }
}

pub fn column(name: &str, kind: ColumnType) -> Column {
    Column {
        name: name.into(),
        kind,
    }
}

fn row(cells: Value) -> Map<String, Value> {
    match cells {
        Value::Object(map) => map,
        other => panic!("a row is an object, not {other}"),
    }
}

/// A stat's answer as the stats API sends it.
pub fn result(
    name: &str,
    title: &str,
    display: Display,
    columns: Vec<Column>,
    rows: Vec<Value>,
) -> StatResult {
    StatResult {
        name: name.into(),
        title: title.into(),
        display: Some(display),
        params: Map::new(),
        columns,
        rows: rows.into_iter().map(row).collect(),
        truncated: false,
        generated_at: Some("2026-11-22T23:59:00Z".into()),
        chart_url: None,
    }
}

pub fn members_result(newest_name: &str) -> StatResult {
    result(
        "members",
        "Members",
        Display::Figures,
        vec![
            column("total", ColumnType::Integer),
            column("invited_by_mentor", ColumnType::Integer),
            column("newest_name", ColumnType::String),
            column("newest_joined_at", ColumnType::Datetime),
        ],
        vec![
            json!({ "total": 1234, "invited_by_mentor": 321, "newest_name": newest_name,
                     "newest_joined_at": "2019-03-04T10:00:00Z" }),
        ],
    )
}

pub fn signups_result(months: usize) -> StatResult {
    let rows: Vec<Value> = (0..months)
        .map(|i| json!({ "month": format!("2026-{:02}", i % 12 + 1), "signups": 10 + 7 * i }))
        .collect();
    let mut result = result(
        "signups",
        "Signups per month",
        Display::Series,
        vec![
            column("month", ColumnType::String),
            column("signups", ColumnType::Integer),
        ],
        rows,
    );
    result.params.insert("months".into(), json!(months));
    result
}

pub fn mentors_result() -> StatResult {
    let mut result = result(
        "mentors",
        "Mentors by invitations",
        Display::Ranked,
        vec![
            column("mentor", ColumnType::String),
            column("invited", ColumnType::Integer),
        ],
        vec![
            json!({ "mentor": "Grace Hopper", "invited": 40 }),
            json!({ "mentor": "Alan Turing", "invited": 12 }),
        ],
    );
    result.params.insert("limit".into(), json!(10));
    result
}
