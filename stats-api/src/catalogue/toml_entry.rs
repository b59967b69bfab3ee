//! One `[[stats]]` entry of the catalogue file: its keys, name, display, SQL and parameters
//! (each checked by `toml_param`), every mistake naming the entry (and the parameter).

use std::collections::HashSet;
use std::time::Duration;

use settings_file::{Fields, Table, did_you_mean, label};

use super::toml_param::check_param;
use super::{CATALOGUE, Display, Mistake, ResponseType, Stat};
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

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// One `[[stats]]` entry: every problem found in it, each naming the entry (and parameter).
pub(super) fn check_entry(entry: &str, table: &Table) -> Result<Stat, Vec<Mistake>> {
    let mut f = Fields::new(table, STAT_KEYS);
    let name = f.required_string("name", "");
    let title = f.required_string("title", ": the answer's header");
    let description = f.required_string("description", ": one line for `/stats help`");
    let display = f.required_string("display", ": one of figures, ranked, series");
    let response_type = f.string("response_type");
    let cache_seconds = f.count("cache_seconds").unwrap_or(0);
    let max_rows = f.count("max_rows");
    let sql = f.required_string("sql", ": one SELECT");
    let raw_params = f.tables("params", "stats");
    let examples = f.strings("examples").unwrap_or_default();
    let mut issues: Vec<Mistake> = f
        .take_mistakes()
        .into_iter()
        .map(|(key, message)| match key {
            Some(key) => CATALOGUE.mistake(entry, message).with_key(&key),
            None => CATALOGUE.mistake(entry, message),
        })
        .collect();
    // A mistake in the value of `key`.
    let at = |key: &str, message: String| CATALOGUE.mistake(entry, message).with_key(key);

    // Phrasings for `/v1/ask`: each a question someone would type.
    if examples
        .iter()
        .any(|e| e.trim().is_empty() || e.chars().count() > MAX_EXAMPLE_CHARS)
    {
        issues.push(at(
            "examples",
            format!("each of `examples` must be a phrasing of 1–{MAX_EXAMPLE_CHARS} characters"),
        ));
    }

    if let Some(name) = &name {
        if !valid_name(name) {
            issues.push(at(
                "name",
                "the name must be 1–32 lowercase letters, digits, `-` or `_`, starting with a letter".into(),
            ));
        } else if RESERVED_NAMES.contains(&name.as_str()) {
            issues.push(at("name", format!("`{name}` is reserved by the bot")));
        }
    }
    let title = title.map(|t| t.trim().to_string());
    if let Some(t) = &title
        && (t.is_empty() || t.chars().count() > 150)
    {
        issues.push(at(
            "title",
            "the title must be 1–150 characters (Slack's header limit)".into(),
        ));
    }
    let description = description.map(|d| d.trim().to_string());
    if description.as_deref() == Some("") {
        issues.push(at(
            "description",
            "the description is empty; people read it in `/stats help`".into(),
        ));
    }
    let display = display.and_then(|d| match d.as_str() {
        "figures" => Some(Display::Figures),
        "ranked" => Some(Display::Ranked),
        "series" => Some(Display::Series),
        other => {
            issues.push(at(
                "display",
                format!(
                    "display `{other}` is not one of: figures, ranked, series{}",
                    did_you_mean(other, &["figures", "ranked", "series"])
                ),
            ));
            None
        }
    });
    let response_type = match response_type.as_deref() {
        None | Some("in_channel") => Some(ResponseType::InChannel),
        Some("ephemeral") => Some(ResponseType::Ephemeral),
        Some(other) => {
            issues.push(at(
                "response_type",
                format!("response_type `{other}` is not one of: in_channel, ephemeral"),
            ));
            None
        }
    };
    if max_rows == Some(0) {
        issues.push(at("max_rows", "max_rows must be at least 1".into()));
    }
    let sql: Option<PositionalSql> = sql.and_then(|text| match to_positional(&text) {
        Ok(sql) if sql.sql.trim().is_empty() => {
            issues.push(at("sql", "sql is empty".into()));
            None
        }
        Ok(sql) => Some(sql),
        Err(e) => {
            issues.push(at("sql", format!("sql: {e}")));
            None
        }
    });

    let mut problems = issues;
    let mut params = Vec::with_capacity(raw_params.len());
    let mut seen = HashSet::new();
    let mut params_hold = true;
    for (j, raw) in raw_params.into_iter().enumerate() {
        let param_label = label(raw, j);
        match check_param(raw) {
            Ok(param) if !seen.insert(param.name.clone()) => {
                params_hold = false;
                problems.push(
                    CATALOGUE
                        .mistake(entry, "declared twice")
                        .in_part("parameter", &param_label),
                );
            }
            Ok(param) => params.push(param),
            Err(found) => {
                params_hold = false;
                problems.extend(found.into_iter().map(|(key, message)| {
                    let mistake = CATALOGUE
                        .mistake(entry, message)
                        .in_part("parameter", &param_label);
                    match key {
                        Some(key) => mistake.with_key(&key),
                        None => mistake,
                    }
                }));
            }
        }
    }
    // Placeholders against declarations, once both are known to be sound.
    if let Some(sql) = &sql
        && params_hold
    {
        for used in &sql.names {
            if !params.iter().any(|p| &p.name == used) {
                problems.push(CATALOGUE.mistake(
                    entry,
                    format!("the SQL uses `:{used}` but no parameter `{used}` is declared"),
                ));
            }
        }
        for unused in params.iter().filter(|p| !sql.names.contains(&p.name)) {
            problems.push(
                CATALOGUE
                    .mistake(
                        entry,
                        format!("declared but the SQL never uses `:{}`", unused.name),
                    )
                    .in_part("parameter", &unused.name),
            );
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
