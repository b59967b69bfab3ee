//! The live check of the catalogue: each entry's SQL prepared on the database, its columns'
//! types read and held to its display. Whole at start-up and on a reload (several entries at a
//! time), or one stat on its first use (Lambda).

use futures_util::{StreamExt, TryStreamExt};
use sqlx::mysql::{MySqlColumn, MySqlConnection, MySqlDatabaseError, MySqlPool};
use sqlx::{AssertSqlSafe, Column as _, Executor, SqlSafeStr, Statement};
use stats_contract::Column;

use crate::catalogue::{CATALOGUE, Catalogue, Display, Mistake, Stat};
use crate::error::{Error, Result};

use super::{SqlColumnKind, classify};

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
) -> std::result::Result<Vec<Vec<Column>>, Vec<Mistake>> {
    let stats: Vec<&Stat> = catalogue.stats.iter().collect();
    let results = check_stats(pool, &stats).await.map_err(|e| {
        vec![Mistake::file(format!(
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
            .map(|(name, u)| CATALOGUE.mistake(name, u.problem)),
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
async fn schema_gap(pool: &MySqlPool, unfit: &[(&str, Unfit)], total: usize) -> Option<Mistake> {
    let gaps: Vec<&SchemaGap> = unfit.iter().filter_map(|(_, u)| u.gap.as_ref()).collect();
    let at = location(pool);
    if gaps.contains(&&SchemaGap::NoDatabase) {
        return Some(Mistake::file(format!(
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
    Some(Mistake::file(format!(
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
