//! Everything that talks to MySQL/MariaDB: the pool, the live check of the catalogue (in
//! `checks`), and running one stat read-only, time-limited and row-capped, into
//! JSON values.

use std::sync::OnceLock;
use std::time::Duration;

use chrono::{NaiveDate, TimeDelta, Utc};
use futures_util::TryStreamExt;
use serde_json::{Map, Number, Value};
use sqlx::mysql::{
    MySqlColumn, MySqlDatabaseError, MySqlPool, MySqlPoolOptions, MySqlRow, MySqlTypeInfo,
};
use sqlx::{AssertSqlSafe, Column as _, Executor, Row, TypeInfo, ValueRef};
use stats_contract::{Column, ColumnType};

use crate::catalogue::{ParamValue, Stat};
use crate::config::Settings;
use crate::error::{Error, Result};

mod checks;
pub use checks::{
    CheckError, STATS_PER_CONNECTION, SchemaGap, Unfit, check_catalogue, check_stat, check_stats,
};

/// Which server we talk to: the two spell the server-side time limit differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    MariaDb,
    MySql,
}

impl Flavour {
    pub fn of(version: &str) -> Flavour {
        if version.to_ascii_lowercase().contains("mariadb") {
            Flavour::MariaDb
        } else {
            Flavour::MySql
        }
    }

    /// The session setting that makes the server itself stop a query that runs too long;
    /// a client-side timeout alone would leave it running.
    pub fn time_limit_statement(self, limit: Duration) -> String {
        match self {
            Flavour::MariaDb => format!(
                "SET SESSION max_statement_time = {:.3}",
                limit.as_secs_f64()
            ),
            Flavour::MySql => format!("SET SESSION max_execution_time = {}", limit.as_millis()),
        }
    }
}

/// A lazy pool: it connects on first use and reconnects by itself after an outage.
pub fn pool(settings: &Settings) -> Result<MySqlPool> {
    let limit = settings.query_timeout;
    // sqlx sets the session time zone to UTC, so TIMESTAMPs come back as UTC.
    let options = settings.connect_options()?;
    Ok(MySqlPoolOptions::new()
        .max_connections(settings.max_connections)
        .min_connections(0)
        .acquire_timeout(settings.acquire_timeout)
        .idle_timeout(Duration::from_secs(300))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                let version: String = sqlx::query_scalar("SELECT VERSION()")
                    .fetch_one(&mut *conn)
                    .await?;
                let set = Flavour::of(&version).time_limit_statement(limit);
                conn.execute(AssertSqlSafe(set)).await?;
                // A frozen or retired Lambda instance never closes its connections: the server
                // ends them after 10 idle minutes instead of the default 8 hours.
                conn.execute("SET SESSION wait_timeout = 600").await?;
                Ok(())
            })
        })
        .connect_lazy_with(options))
}

/// How a result column is turned into JSON, decided from the server's column type. Clients see
/// the coarser [`ColumnType`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlColumnKind {
    Integer,
    Unsigned,
    Boolean,
    Float,
    Decimal,
    DateTime,
    Date,
    Time,
    Text,
    Binary,
    Json,
    Null,
}

impl SqlColumnKind {
    pub fn of(ty: &MySqlTypeInfo) -> Option<SqlColumnKind> {
        use SqlColumnKind::*;
        let name = ty.name();
        Some(match name {
            "BOOLEAN" => Boolean,
            "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" => Integer,
            "YEAR" | "BIT" => Unsigned,
            _ if name.ends_with(" UNSIGNED") => Unsigned,
            "FLOAT" | "DOUBLE" => Float,
            "DECIMAL" => Decimal,
            "DATETIME" | "TIMESTAMP" => DateTime,
            "DATE" => Date,
            "TIME" => Time,
            "CHAR" | "VARCHAR" | "TINYTEXT" | "TEXT" | "MEDIUMTEXT" | "LONGTEXT" | "ENUM"
            | "SET" => Text,
            "BINARY" | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB" => Binary,
            "JSON" => Json,
            "NULL" => Null,
            _ => return None,
        })
    }

    /// The type clients see (docs/stats-api-contract.md).
    pub fn column_type(self) -> ColumnType {
        use SqlColumnKind::*;
        match self {
            Integer | Unsigned => ColumnType::Integer,
            Boolean => ColumnType::Boolean,
            Float | Decimal => ColumnType::Number,
            DateTime => ColumnType::Datetime,
            Date => ColumnType::Date,
            Time => ColumnType::Time,
            Text | Binary => ColumnType::String,
            Json => ColumnType::Json,
            Null => ColumnType::Null,
        }
    }
}

/// Rows of one stat, and whether the row cap cut them.
pub struct Rows {
    pub rows: Vec<Map<String, Value>>,
    pub truncated: bool,
}

/// Runs a stat in a read-only transaction: a write fails on the server (error 1792) and the
/// transaction is rolled back either way. The time limit is the session's (see `pool`).
/// A stat not yet checked against the database (`checked` unset: on Lambda, its first use) is
/// checked first on the same connection; one that fails never runs.
pub async fn run_stat(
    pool: &MySqlPool,
    stat: &Stat,
    values: &[&ParamValue],
    max_rows: usize,
    checked: &OnceLock<Vec<Column>>,
) -> Result<Rows> {
    let fail = |e| classify(e, &stat.name);
    let mut tx = pool
        .begin_with("START TRANSACTION READ ONLY")
        .await
        .map_err(fail)?;
    if checked.get().is_none() {
        match check_stat(&mut tx, stat).await {
            Ok(columns) => {
                tracing::info!(stat = %stat.name, "stat checked against the database on first use");
                let _ = checked.set(columns);
            }
            Err(CheckError::Unfit(u)) => {
                return Err(Error::StatBroken {
                    stat: stat.name.clone(),
                    problem: u.problem,
                });
            }
            Err(CheckError::Database(e)) => return Err(e),
        }
    }
    let mut query = sqlx::query(AssertSqlSafe(stat.sql.sql.as_str()));
    for value in values {
        query = match value {
            ParamValue::Integer(n) => query.bind(*n),
            ParamValue::String(s) => query.bind(s.as_str()),
            ParamValue::Date(d) => query.bind(*d),
            ParamValue::Boolean(b) => query.bind(*b),
        };
    }
    let mut rows = Vec::new();
    let mut truncated = false;
    {
        let mut stream = query.fetch(&mut *tx);
        while let Some(row) = stream.try_next().await.map_err(fail)? {
            if rows.len() == max_rows {
                truncated = true;
                break;
            }
            rows.push(row_to_json(&row).map_err(fail)?);
        }
    }
    tx.rollback().await.map_err(fail)?;
    Ok(Rows { rows, truncated })
}

fn row_to_json(row: &MySqlRow) -> std::result::Result<Map<String, Value>, sqlx::Error> {
    let mut out = Map::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        out.insert(column.name().to_string(), value_to_json(row, i, column)?);
    }
    Ok(out)
}

fn value_to_json(row: &MySqlRow, i: usize, column: &MySqlColumn) -> sqlx::Result<Value> {
    use SqlColumnKind::*;
    if row.try_get_raw(i)?.is_null() {
        return Ok(Value::Null);
    }
    let Some(kind) = SqlColumnKind::of(column.type_info()) else {
        return Err(sqlx::Error::Decode(
            format!("column `{}` has an unsupported type", column.name()).into(),
        ));
    };
    Ok(match kind {
        Integer => Value::from(row.try_get::<i64, _>(i)?),
        Unsigned => Value::from(row.try_get_unchecked::<u64, _>(i)?),
        Boolean => Value::Bool(row.try_get::<bool, _>(i)?),
        Float => Number::from_f64(row.try_get::<f64, _>(i)?).map_or(Value::Null, Value::Number),
        // DECIMAL travels as text; sqlx only decodes it into big-number crates we don't need.
        Decimal => decimal_to_json(row.try_get_unchecked::<&str, _>(i)?),
        DateTime => {
            let t: chrono::DateTime<Utc> = row.try_get(i)?;
            Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        }
        Date => Value::String(
            row.try_get::<NaiveDate, _>(i)?
                .format("%Y-%m-%d")
                .to_string(),
        ),
        Time => Value::String(format_time(row.try_get::<TimeDelta, _>(i)?)),
        Text => Value::String(row.try_get::<String, _>(i)?),
        Binary => {
            let bytes: Vec<u8> = row.try_get_unchecked(i)?;
            Value::String(match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => e.as_bytes().iter().fold("0x".to_string(), |mut s, b| {
                    s.push_str(&format!("{b:02x}"));
                    s
                }),
            })
        }
        Json => {
            let text = row.try_get_unchecked::<&str, _>(i)?;
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
        }
        Null => Value::Null,
    })
}

/// A DECIMAL as a JSON number: exact for whole numbers, nearest double otherwise.
pub fn decimal_to_json(text: &str) -> Value {
    if let Ok(n) = text.parse::<i64>() {
        return Value::from(n);
    }
    if let Ok(n) = text.parse::<u64>() {
        return Value::from(n);
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or_else(|| Value::String(text.to_string()), Value::Number)
}

fn format_time(t: TimeDelta) -> String {
    let sign = if t < TimeDelta::zero() { "-" } else { "" };
    let s = t.num_seconds().unsigned_abs();
    format!("{sign}{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Sorts a database failure into what the client should be told.
pub fn classify(error: sqlx::Error, stat: &str) -> Error {
    let number = error
        .as_database_error()
        .and_then(|e| e.try_downcast_ref::<MySqlDatabaseError>())
        .map(MySqlDatabaseError::number);
    match (&error, number) {
        // 1969: MariaDB's max_statement_time; 3024: MySQL's max_execution_time; 1317: killed.
        (_, Some(1969 | 3024 | 1317)) => Error::QueryTimeout,
        // 1792: write in a READ ONLY transaction; 1290: server in read-only mode;
        // 1142: the (recommended) SELECT-only user was refused a write.
        (_, Some(1792 | 1290 | 1142)) => Error::WriteAttempted(stat.to_string()),
        // Cannot connect, bad credentials, unknown database, server shutting down; too many
        // connections: 1040 the server's, 1203 the user's (max_user_connections), 1226 the
        // account's own limit (WITH MAX_USER_CONNECTIONS).
        (_, Some(1040 | 1044 | 1045 | 1049 | 1053 | 1203 | 1226 | 1927)) => {
            Error::DatabaseUnavailable(error)
        }
        (
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Protocol(_),
            _,
        ) => Error::DatabaseUnavailable(error),
        _ => Error::Database(error),
    }
}

/// `/readyz`: can we run a query right now?
pub async fn ping(pool: &MySqlPool) -> Result<()> {
    sqlx::query("SELECT 1")
        .execute(pool)
        .await
        .map(|_| ())
        .map_err(|e| classify(e, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_become_numbers() {
        assert_eq!(decimal_to_json("42"), Value::from(42));
        assert_eq!(decimal_to_json("-3.25"), serde_json::json!(-3.25));
        assert_eq!(
            decimal_to_json("18446744073709551615"),
            Value::from(u64::MAX)
        );
    }

    #[test]
    fn times_keep_sign_and_hours_past_a_day() {
        assert_eq!(
            format_time(TimeDelta::seconds(-(26 * 3600 + 61))),
            "-26:01:01"
        );
    }

    #[test]
    fn each_server_gets_its_own_time_limit_setting() {
        let limit = Duration::from_millis(1500);
        assert_eq!(
            Flavour::of("10.11.19-MariaDB-0+deb12u1").time_limit_statement(limit),
            "SET SESSION max_statement_time = 1.500"
        );
        assert_eq!(
            Flavour::of("8.4.3").time_limit_statement(limit),
            "SET SESSION max_execution_time = 1500"
        );
    }
}
