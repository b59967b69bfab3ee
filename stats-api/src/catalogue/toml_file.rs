//! The catalogue file as people write it (TOML), and the checks that turn each entry into a
//! [`Stat`] or problems that name the entry (and the parameter).
//!
//! The file is read as a plain TOML table first, then each `[[stats]]` entry on its own, with
//! the keys checked here rather than by serde: one broken entry never hides the others, and a
//! mistyped key or a value of the wrong type is reported with the entry it is in.

use std::collections::HashSet;
use std::time::Duration;

use toml::{Table, Value};

use super::problem::did_you_mean;
use super::toml_param::check_param;
use super::{Catalogue, Display, Problem, ResponseType, Stat};
use crate::named_params::{PositionalSql, to_positional};

/// Subcommand names the bot keeps for itself.
const RESERVED_NAMES: &[&str] = &["help"];

const STAT_KEYS: &[&str] = &[
    "name",
    "title",
    "description",
    "display",
    "response_type",
    "cache_seconds",
    "max_rows",
    "sql",
    "params",
    "examples",
];

/// How long one `examples` phrasing may be: what `/v1/ask` reads of a question.
const MAX_EXAMPLE_CHARS: usize = 300;

pub(super) fn check(text: &str) -> Result<Catalogue, Vec<Problem>> {
    let (stats, problems) = check_each(text);
    if problems.is_empty() {
        Ok(Catalogue { stats })
    } else {
        Err(problems)
    }
}

/// The entries that hold, and every problem of the others (or of the file).
pub(super) fn check_each(text: &str) -> (Vec<Stat>, Vec<Problem>) {
    match check_file(text) {
        Ok(found) => found,
        Err(problems) => (Vec::new(), problems),
    }
}

fn check_file(text: &str) -> Result<(Vec<Stat>, Vec<Problem>), Vec<Problem>> {
    let file: Table = text.parse().map_err(|e: toml::de::Error| {
        vec![Problem::file(format!(
            "the catalogue is not valid TOML: {}",
            e.to_string().trim_end()
        ))]
    })?;
    let mut problems = Vec::new();
    for key in file.keys().filter(|k| *k != "stats") {
        problems.push(Problem::file(format!(
            "unknown key `{key}` at the top of the catalogue{}: it holds only [[stats]] entries",
            did_you_mean(key, &["stats"])
        )));
    }
    let entries = match file.get("stats") {
        Some(Value::Array(entries)) if !entries.is_empty() => entries.as_slice(),
        Some(Value::Array(_)) | None => {
            problems.push(Problem::file(
                "the catalogue declares no stats: add at least one [[stats]] entry",
            ));
            return Err(problems);
        }
        Some(other) => {
            problems.push(Problem::file(format!(
                "`stats` must be [[stats]] entries, not {}",
                a_type(other)
            )));
            return Err(problems);
        }
    };
    let mut seen = HashSet::new();
    let mut stats = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let label = label(entry, i);
        let Some(table) = entry.as_table() else {
            problems.push(Problem::stat(&label, "a [[stats]] entry must be a table"));
            continue;
        };
        match check_entry(&label, table) {
            Ok(stat) if !seen.insert(stat.name.clone()) => {
                problems.push(Problem::stat(&label, "declared twice"));
            }
            Ok(stat) => stats.push(stat),
            Err(found) => problems.extend(found),
        }
    }
    Ok((stats, problems))
}

/// What a problem calls an entry or a parameter: its `name`, or `#N` (1-based) without one.
fn label(entry: &Value, index: usize) -> String {
    entry
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .map_or_else(|| format!("#{}", index + 1), str::to_string)
}

/// "a string", "an integer", … for messages about a value of the wrong type.
pub(super) fn a_type(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a decimal number",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

/// Reads one table's keys, noting every unknown, missing or mistyped one.
pub(super) struct Fields<'a> {
    table: &'a Table,
    pub(super) problems: Vec<String>,
}

impl<'a> Fields<'a> {
    pub(super) fn new(table: &'a Table, known: &[&str]) -> Fields<'a> {
        let problems = table
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .map(|k| format!("unknown key `{k}`{}", did_you_mean(k, known)))
            .collect();
        Fields { table, problems }
    }

    pub(super) fn wrong(&mut self, key: &str, expected: &str, got: &Value) {
        self.problems
            .push(format!("`{key}` must be {expected}, not {}", a_type(got)));
    }

    pub(super) fn string(&mut self, key: &str) -> Option<String> {
        match self.table.get(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.wrong(key, "a string", other);
                None
            }
        }
    }

    pub(super) fn required_string(&mut self, key: &str, hint: &str) -> Option<String> {
        if !self.table.contains_key(key) {
            self.problems.push(format!("`{key}` is missing{hint}"));
        }
        self.string(key)
    }

    pub(super) fn count(&mut self, key: &str) -> Option<u64> {
        match self.table.get(key)? {
            Value::Integer(n) if *n >= 0 => Some(*n as u64),
            Value::Integer(_) => {
                self.problems.push(format!("`{key}` must be 0 or more"));
                None
            }
            other => {
                self.wrong(key, "a whole number", other);
                None
            }
        }
    }

    pub(super) fn strings(&mut self, key: &str) -> Option<Vec<String>> {
        let value = self.table.get(key)?;
        let list = value
            .as_array()
            .and_then(|a| a.iter().map(|v| v.as_str().map(String::from)).collect());
        if list.is_none() {
            self.problems.push(format!(
                "`{key}` must be a list of strings, like [\"a\", \"b\"]"
            ));
        }
        list
    }

    pub(super) fn tables(&mut self, key: &str) -> Vec<&'a Table> {
        match self.table.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) if items.iter().all(Value::is_table) => {
                items.iter().filter_map(Value::as_table).collect()
            }
            Some(_) => {
                self.problems.push(format!(
                    "`{key}` must be [[stats.{key}]] entries, each a table"
                ));
                Vec::new()
            }
        }
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// One `[[stats]]` entry: every problem found in it, each naming the entry (and parameter).
fn check_entry(label: &str, table: &Table) -> Result<Stat, Vec<Problem>> {
    let mut f = Fields::new(table, STAT_KEYS);
    let name = f.required_string("name", "");
    let title = f.required_string("title", ": the answer's header");
    let description = f.required_string("description", ": one line for `/stats help`");
    let display = f.required_string("display", ": one of figures, ranked, series");
    let response_type = f.string("response_type");
    let cache_seconds = f.count("cache_seconds").unwrap_or(0);
    let max_rows = f.count("max_rows");
    let sql = f.required_string("sql", ": one SELECT");
    let raw_params = f.tables("params");
    let examples = f.strings("examples").unwrap_or_default();
    let mut issues = std::mem::take(&mut f.problems);
    // Phrasings for `/v1/ask`: each a question someone would type.
    if examples
        .iter()
        .any(|e| e.trim().is_empty() || e.chars().count() > MAX_EXAMPLE_CHARS)
    {
        issues.push(format!(
            "each of `examples` must be a phrasing of 1–{MAX_EXAMPLE_CHARS} characters"
        ));
    }

    if let Some(name) = &name {
        if !valid_name(name) {
            issues.push("the name must be 1–32 lowercase letters, digits, `-` or `_`, starting with a letter".into());
        } else if RESERVED_NAMES.contains(&name.as_str()) {
            issues.push(format!("`{name}` is reserved by the bot"));
        }
    }
    let title = title.map(|t| t.trim().to_string());
    if let Some(t) = &title
        && (t.is_empty() || t.chars().count() > 150)
    {
        issues.push("the title must be 1–150 characters (Slack's header limit)".into());
    }
    let description = description.map(|d| d.trim().to_string());
    if description.as_deref() == Some("") {
        issues.push("the description is empty; people read it in `/stats help`".into());
    }
    let display = display.and_then(|d| match d.as_str() {
        "figures" => Some(Display::Figures),
        "ranked" => Some(Display::Ranked),
        "series" => Some(Display::Series),
        other => {
            issues.push(format!(
                "display `{other}` is not one of: figures, ranked, series{}",
                did_you_mean(other, &["figures", "ranked", "series"])
            ));
            None
        }
    });
    let response_type = match response_type.as_deref() {
        None | Some("in_channel") => Some(ResponseType::InChannel),
        Some("ephemeral") => Some(ResponseType::Ephemeral),
        Some(other) => {
            issues.push(format!(
                "response_type `{other}` is not one of: in_channel, ephemeral"
            ));
            None
        }
    };
    if max_rows == Some(0) {
        issues.push("max_rows must be at least 1".into());
    }
    let sql: Option<PositionalSql> = sql.and_then(|text| match to_positional(&text) {
        Ok(sql) if sql.sql.trim().is_empty() => {
            issues.push("sql is empty".into());
            None
        }
        Ok(sql) => Some(sql),
        Err(e) => {
            issues.push(format!("sql: {e}"));
            None
        }
    });

    let mut problems: Vec<Problem> = issues.iter().map(|m| Problem::stat(label, m)).collect();
    let mut params = Vec::with_capacity(raw_params.len());
    let mut seen = HashSet::new();
    let mut params_hold = true;
    for (j, raw) in raw_params.into_iter().enumerate() {
        let param_label = raw
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map_or_else(|| format!("#{}", j + 1), str::to_string);
        match check_param(raw) {
            Ok(param) if !seen.insert(param.name.clone()) => {
                params_hold = false;
                problems.push(Problem::param(label, &param_label, "declared twice"));
            }
            Ok(param) => params.push(param),
            Err(found) => {
                params_hold = false;
                problems.extend(
                    found
                        .into_iter()
                        .map(|m| Problem::param(label, &param_label, m)),
                );
            }
        }
    }
    // Placeholders against declarations, once both are known to be sound.
    if let Some(sql) = &sql
        && params_hold
    {
        for used in &sql.names {
            if !params.iter().any(|p| &p.name == used) {
                problems.push(Problem::stat(
                    label,
                    format!("the SQL uses `:{used}` but no parameter `{used}` is declared"),
                ));
            }
        }
        for unused in params.iter().filter(|p| !sql.names.contains(&p.name)) {
            problems.push(Problem::param(
                label,
                &unused.name,
                format!("declared but the SQL never uses `:{}`", unused.name),
            ));
        }
    }
    match (name, title, description, display, response_type, sql) {
        (
            Some(name),
            Some(title),
            Some(description),
            Some(display),
            Some(response_type),
            Some(sql),
        ) if problems.is_empty() => Ok(Stat {
            name,
            title,
            description,
            display,
            response_type,
            cache_ttl: Duration::from_secs(cache_seconds),
            max_rows: max_rows.map(|n| n as usize),
            sql,
            params,
            examples,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{SIGNUPS, one};
    use super::*;
    use crate::error::Error;

    fn problem(err: Error) -> String {
        err.to_string()
    }

    fn problems(text: &str) -> Vec<String> {
        check(text)
            .unwrap_err()
            .iter()
            .map(Problem::to_string)
            .collect()
    }

    #[test]
    fn broken_entries_are_refused_with_the_entry_and_the_problem() {
        let cases = [
            (
                SIGNUPS.replace("\"signups\"", "\"Sign Ups\""),
                "`Sign Ups`: the name",
            ),
            (SIGNUPS.replace("\"series\"", "\"pie\""), "display `pie`"),
            (
                SIGNUPS.replace("default = 12", "default = 500"),
                "parameter `months`: the default does not fit",
            ),
            (
                SIGNUPS.replace("min = 1", "min = 200"),
                "greater than `max`",
            ),
            (SIGNUPS.replace("\"integer\"", "\"float\""), "type `float`"),
            (
                SIGNUPS.replace(":months", ":weeks"),
                "no parameter `weeks` is declared",
            ),
            (SIGNUPS.replace(":months", "1"), "never uses `:months`"),
            (
                SIGNUPS.replace("AS m", "AS m; DROP TABLE users"),
                "single statement",
            ),
            (SIGNUPS.replace("\"signups\"", "\"help\""), "reserved"),
            (
                SIGNUPS.replace("AS m", "AS m FOR UPDATE"),
                "`FOR UPDATE` locks rows",
            ),
        ];
        for (text, expected) in cases {
            let err = problem(one(&text).unwrap_err());
            assert!(err.contains(expected), "expected {expected:?} in {err:?}");
        }
    }

    #[test]
    fn unknown_keys_and_duplicates_are_refused() {
        let err = one(&format!("{SIGNUPS}\ncolour = \"red\""))
            .unwrap_err()
            .to_string();
        assert!(err.contains("colour"), "{err}");
        let twice = format!("[[stats]]\n{SIGNUPS}\n[[stats]]\n{SIGNUPS}");
        assert!(problem(Catalogue::parse(&twice).unwrap_err()).contains("declared twice"));
    }

    #[test]
    fn every_broken_entry_is_named_in_one_pass() {
        let text = format!(
            "[[stats]]\n{}\n[[stats]]\n{}\n[[stats]]\n{}\n[[stats]]\ntitle = \"No name\"\n",
            SIGNUPS.replace("display =", "dispaly ="),
            SIGNUPS
                .replace("\"signups\"", "\"second\"")
                .replace("type = \"integer\"\n", ""),
            SIGNUPS
                .replace("\"signups\"", "\"third\"")
                .replace("default = 12", "default = \"twelve\"")
                .replace("cache_seconds", "cache_secs"),
        );
        let found = problems(&text);
        let expect = [
            "catalogue entry `signups`: unknown key `dispaly` (did you mean `display`?)",
            "catalogue entry `signups`: `display` is missing",
            "catalogue entry `second`, parameter `months`: `type` is missing: one of integer, string, date, boolean",
            "catalogue entry `third`, parameter `months`: `default` must be a whole number, not a string",
            "catalogue entry `#4`: `name` is missing",
            "catalogue entry `#4`: `sql` is missing",
        ];
        for e in expect {
            assert!(
                found.iter().any(|f| f.starts_with(e)),
                "{e:?} not in {found:#?}"
            );
        }
    }

    #[test]
    fn values_of_the_wrong_type_name_the_key() {
        let found = problems(&format!(
            "[[stats]]\n{}",
            SIGNUPS.replace(
                "display = \"series\"",
                "display = 3\ncache_seconds = \"soon\""
            )
        ));
        assert!(
            found.contains(
                &"catalogue entry `signups`: `display` must be a string, not an integer"
                    .to_string()
            ) && found.contains(
                &"catalogue entry `signups`: `cache_seconds` must be a whole number, not a string"
                    .to_string()
            ),
            "{found:#?}"
        );
        let found = problems("[[stats]]\nname = \"x\"\nparams = 3\n");
        assert!(
            found.iter().any(|f| f.contains("`params` must be")),
            "{found:#?}"
        );
        let found = problems("stats = 1\n");
        assert_eq!(found, ["`stats` must be [[stats]] entries, not an integer"]);
        let found = problems("[stat]\n");
        assert!(
            found[0].contains("unknown key `stat`") && found[0].contains("did you mean `stats`?"),
            "{found:#?}"
        );
        let found = problems("[[stats]\n");
        assert!(found[0].contains("not valid TOML"), "{found:#?}");
    }

    #[test]
    fn declared_dates_must_fit_the_database() {
        let date = |extra: &str| {
            one(&format!(
                "name = \"d\"\ntitle = \"D\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT :day AS day\"\n[[stats.params]]\nname = \"day\"\ntype = \"date\"\n{extra}"
            ))
        };
        assert!(date("min = 2020-01-01\nmax = \"9999-12-31\"").is_ok());
        for extra in [
            "min = 0999-12-31",
            "max = \"10000-01-01\"",
            "default = \"+2024-01-01\"",
            "default = \"0100-01-01\"",
        ] {
            let err = problem(date(extra).unwrap_err());
            assert!(
                err.contains("from 1000-01-01 to 9999-12-31"),
                "{extra}: {err}"
            );
        }
    }
}
