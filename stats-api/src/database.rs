//! Everything that talks to MySQL/MariaDB: the pool, the live check of the catalogue (whole, or
//! one stat on first use), and running one stat read-only, time-limited and row-capped, into
//! JSON values.

use std::sync::OnceLock;
use std::time::Duration;

use chrono::{NaiveDate, TimeDelta, Utc};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Map, Number, Value};
use sqlx::mysql::{
    MySqlColumn, MySqlConnection, MySqlDatabaseError, MySqlPool, MySqlPoolOptions, MySqlRow,
    MySqlTypeInfo,
};
use sqlx::{AssertSqlSafe, Column as _, Executor, Row, SqlSafeStr, Statement, TypeInfo, ValueRef};
use stats_contract::{Column, ColumnType};

use crate::catalogue::{Catalogue, Display, ParamValue, Problem, Stat};
use crate::config::Settings;
use crate::error::{Error, Result};

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

/// Prepares every entry's SQL on the live database and checks what it returns, so a broken
/// entry is named before it serves instead of failing at 3 a.m. in Slack. Every problem is
/// collected. Returns each stat's columns, in catalogue order.
///
/// Entries are checked several at a time, each on a connection of its own: a check is one
/// round trip, so a long catalogue against a distant database costs a few round trips, not one
/// per entry. A new connection costs about as much as ten prepares on loopback, so one is added
/// per [`STATS_PER_CONNECTION`] entries, up to the pool's size.
pub async fn check_catalogue(
    pool: &MySqlPool,
    catalogue: &Catalogue,
) -> std::result::Result<Vec<Vec<Column>>, Vec<Problem>> {
    let stats: Vec<&Stat> = catalogue.stats.iter().collect();
    let results = check_stats(pool, &stats).await.map_err(|e| {
        vec![Problem::file(format!(
            "cannot reach the database at {} (DATABASE_URL) to check the catalogue: {}",
            location(pool),
            std::error::Error::source(&e).map_or_else(|| e.to_string(), |s| s.to_string())
        ))]
    })?;
    let mut columns = Vec::with_capacity(results.len());
    let mut unfit = Vec::new();
    for (stat, result) in stats.iter().zip(results) {
        match result {
            Ok(c) => columns.push(c),
            Err(u) => unfit.push((stat.name.as_str(), u)),
        }
    }
    if unfit.is_empty() {
        return Ok(columns);
    }
    let mut problems = Vec::new();
    if let Some(gap) = schema_gap(pool, &unfit, stats.len()).await {
        problems.push(gap);
        unfit.retain(|(_, u)| u.gap.is_none());
    }
    problems.extend(
        unfit
            .into_iter()
            .map(|(name, u)| Problem::stat(name, u.problem)),
    );
    Err(problems)
}

/// One connection per this many entries checked at once (see [`check_catalogue`]).
pub const STATS_PER_CONNECTION: usize = 10;

/// The live check of `stats`, each result in order; `Err` only when the database cannot be
/// asked at all.
pub async fn check_stats(
    pool: &MySqlPool,
    stats: &[&Stat],
) -> Result<Vec<std::result::Result<Vec<Column>, Unfit>>> {
    // One connection first: an unreachable database is one clear error, not one per entry.
    drop(pool.acquire().await.map_err(|e| classify(e, ""))?);
    let at_once = stats
        .len()
        .div_ceil(STATS_PER_CONNECTION)
        .clamp(1, pool.options().get_max_connections().max(1) as usize);
    // Named futures, built first: a closure returning an async block here trips the compiler's
    // "not general enough" lifetime check once the handler must be `Send`.
    let checks: Vec<_> = stats.iter().map(|stat| check_pooled(pool, stat)).collect();
    futures_util::stream::iter(checks)
        .buffered(at_once)
        .try_collect()
        .await
}

async fn check_pooled(
    pool: &MySqlPool,
    stat: &Stat,
) -> Result<std::result::Result<Vec<Column>, Unfit>> {
    let mut conn = pool.acquire().await.map_err(|e| classify(e, &stat.name))?;
    match check_stat(&mut conn, stat).await {
        Ok(columns) => Ok(Ok(columns)),
        Err(CheckError::Unfit(u)) => Ok(Err(u)),
        Err(CheckError::Database(e)) => Err(e),
    }
}

/// Why a stat does not fit the database.
#[derive(Debug, Clone)]
pub struct Unfit {
    pub problem: String,
    /// Set when the SQL reads a table the database lacks, or no database is selected.
    pub gap: Option<SchemaGap>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaGap {
    MissingTable(String),
    NoDatabase,
}

pub enum CheckError {
    Unfit(Unfit),
    /// The database could not be asked (unreachable, refused, …).
    Database(Error),
}

/// Prepares one stat's SQL (the statement stays in the connection's cache, so running it next
/// costs nothing more) and checks its placeholders, columns and shape.
pub async fn check_stat(
    conn: &mut MySqlConnection,
    stat: &Stat,
) -> std::result::Result<Vec<Column>, CheckError> {
    let unfit = |problem: String| CheckError::Unfit(Unfit { problem, gap: None });
    let statement = (&mut *conn)
        .prepare(AssertSqlSafe(stat.sql.sql.clone()).into_sql_str())
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(db) => {
                let number = db
                    .try_downcast_ref::<MySqlDatabaseError>()
                    .map(MySqlDatabaseError::number);
                CheckError::Unfit(Unfit {
                    problem: format!("the SQL does not prepare: {}", db.message()),
                    gap: match number {
                        Some(1146) => Some(SchemaGap::MissingTable(missing_table(db.message()))),
                        Some(1046) => Some(SchemaGap::NoDatabase),
                        _ => None,
                    },
                })
            }
            other => CheckError::Database(classify(other, &stat.name)),
        })?;
    let expected = stat.sql.names.len();
    if let Some(sqlx::Either::Right(found)) = statement.parameters()
        && found != expected
    {
        return Err(unfit(format!(
            "the server sees {found} placeholders, the catalogue binds {expected}"
        )));
    }
    let columns = describe_columns(statement.columns()).map_err(unfit)?;
    check_shape(stat.display, &columns).map_err(unfit)?;
    Ok(columns)
}

/// `users` from "Table 'community.users' doesn't exist".
fn missing_table(message: &str) -> String {
    let quoted = message.split('\'').nth(1).unwrap_or(message);
    quoted.rsplit('.').next().unwrap_or(quoted).to_string()
}

/// One problem that says what is really wrong when the SQL reads tables the database lacks
/// altogether: the wrong database, or one without the schema. `None` when the gaps are the
/// entries' own (one stat's typo in a table name).
async fn schema_gap(pool: &MySqlPool, unfit: &[(&str, Unfit)], total: usize) -> Option<Problem> {
    let gaps: Vec<&SchemaGap> = unfit.iter().filter_map(|(_, u)| u.gap.as_ref()).collect();
    let at = location(pool);
    if gaps.contains(&&SchemaGap::NoDatabase) {
        return Some(Problem::file(format!(
            "DATABASE_URL names no database (it points at {at}): add the community's database \
             to it, e.g. mysql://user@host:3306/community"
        )));
    }
    if gaps.is_empty() {
        return None;
    }
    // Every entry failing on missing tables, or a database with no tables at all: the schema
    // is missing, not the entries wrong.
    let empty = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()",
        )
        .fetch_one(pool)
        .await
        .is_ok_and(|n| n == 0)
    };
    if gaps.len() < total && !empty().await {
        return None;
    }
    let mut tables: Vec<&str> = gaps
        .iter()
        .filter_map(|g| match g {
            SchemaGap::MissingTable(t) => Some(t.as_str()),
            SchemaGap::NoDatabase => None,
        })
        .collect();
    tables.sort_unstable();
    tables.dedup();
    let tables = tables
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(Problem::file(format!(
        "the database {at} (DATABASE_URL) lacks the tables the catalogue reads ({tables}), so \
         {} of {total} entries cannot prepare. Point DATABASE_URL at the community's database, \
         or create the reference schema there with `cargo run -- migrate`",
        gaps.len()
    )))
}

/// Where the pool points, without credentials (as `service_kit::database_url::location`).
fn location(pool: &MySqlPool) -> String {
    let options = pool.connect_options();
    match options.get_database() {
        Some(db) => format!("{}:{}/{db}", options.get_host(), options.get_port()),
        None => format!("{}:{}", options.get_host(), options.get_port()),
    }
}

fn describe_columns(columns: &[MySqlColumn]) -> std::result::Result<Vec<Column>, String> {
    if columns.is_empty() {
        return Err("the SQL returns no columns: a stat must be one SELECT".into());
    }
    let mut out: Vec<Column> = Vec::with_capacity(columns.len());
    for c in columns {
        let name = c.name().to_string();
        if out.iter().any(|o| o.name == name) {
            return Err(format!(
                "two columns are called `{name}`: give each its own AS name"
            ));
        }
        let kind = SqlColumnKind::of(c.type_info()).ok_or_else(|| {
            format!(
                "column `{name}` has type {} that statsbot cannot show",
                c.type_info()
            )
        })?;
        out.push(Column {
            name,
            kind: kind.column_type(),
        });
    }
    Ok(out)
}

fn check_shape(display: Display, columns: &[Column]) -> std::result::Result<(), String> {
    if display != Display::Figures && columns.len() < 2 {
        return Err(format!(
            "display `{}` needs at least two columns: a label and a value",
            display.as_str()
        ));
    }
    Ok(())
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
