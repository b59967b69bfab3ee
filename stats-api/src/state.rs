//! What every request handler shares, built once by `startup`.

use std::collections::HashMap;
use std::time::Duration;

use axum::body::Bytes;
use service_kit::Secret;
use sqlx::MySqlPool;
use stats_contract::Column;

use crate::cache::Cache;
use crate::catalogue::Stat;

pub struct AppState {
    pub pool: MySqlPool,
    pub stats: HashMap<String, ReadyStat>,
    pub tokens: Vec<Secret>,
    pub cache: Cache,
    pub max_rows: usize,
    pub query_timeout: Duration,
    /// Both documents are fixed once the catalogue is checked: rendered once, served as bytes.
    pub catalogue_json: Bytes,
    pub openapi_json: Bytes,
}

/// A declared stat that passed the live check, with the columns it returns.
pub struct ReadyStat {
    pub stat: Stat,
    pub columns: Vec<Column>,
}
