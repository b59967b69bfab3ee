//! `statsbot catalogue check [FILE]`: the stats API's own start-up check of a catalogue, run
//! before a deploy. Every broken entry is named (not only the first); the exit status says
//! whether the file would start.

use std::path::Path;

use stats_api::catalogue::{self, Catalogue, DEFAULT_CATALOGUE, Mistake};

use crate::error::{Error, Result};

/// What the check found: the entries that hold, or every problem.
pub struct Checked {
    pub checked: String,
    pub result: std::result::Result<Catalogue, Vec<Mistake>>,
}

/// Checks `file` (default: the shipped catalogue) statically and, unless `offline`, against the
/// database at `database_url` as the stats API's start-up does: the entries that hold
/// statically are tried on the database too, so one pass names every broken entry.
pub async fn check(file: Option<&Path>, database_url: &str, offline: bool) -> Result<Checked> {
    let (checked, text) = match file {
        Some(path) => (
            path.display().to_string(),
            std::fs::read_to_string(path).map_err(|source| Error::CatalogueFile {
                path: path.to_path_buf(),
                source,
            })?,
        ),
        None => (
            "the shipped catalogue".to_string(),
            DEFAULT_CATALOGUE.to_string(),
        ),
    };
    let (catalogue, mut problems) = catalogue::check_each(&text);
    if !offline && !catalogue.stats.is_empty() {
        let settings = stats_api::Settings::new(database_url, vec![]);
        let pool = stats_api::database::pool(&settings)?;
        if let Err(live) = stats_api::database::check_catalogue(&pool, &catalogue).await {
            problems.extend(live);
        }
        pool.close().await;
    }
    let result = if problems.is_empty() {
        Ok(catalogue)
    } else {
        Err(problems)
    };
    Ok(Checked { checked, result })
}

/// The report a person reads: every mistake a line, then a verdict. Pure.
pub fn report(checked: &Checked, against: Option<&str>) -> String {
    let against = match against {
        Some(location) => format!("against the database at {location}"),
        None => "statically (--offline: the SQL was not tried on a database)".to_string(),
    };
    match &checked.result {
        Ok(catalogue) => {
            let names: Vec<&str> = catalogue.stats.iter().map(|s| s.name.as_str()).collect();
            // A warning, not a problem: the file still starts.
            let warnings: String = stats_api::ask::lookalikes(catalogue)
                .iter()
                .chain(&stats_api::ask::rare_words(catalogue))
                .map(|w| format!("  warning: {w}\n"))
                .collect();
            format!(
                "{warnings}{}: {} stats hold, checked {against}: {}.",
                checked.checked,
                names.len(),
                names.join(", ")
            )
        }
        Err(mistakes) => {
            let mut out = String::new();
            for mistake in mistakes {
                out.push_str(&format!("  {mistake}\n"));
            }
            let entries = broken_entries(mistakes);
            out.push_str(&format!(
                "{}: {} mistake{} in {} entr{}, checked {against}. The stats API would refuse to start with it.",
                checked.checked,
                mistakes.len(),
                if mistakes.len() == 1 { "" } else { "s" },
                entries,
                if entries == 1 { "y" } else { "ies" },
            ));
            out
        }
    }
}

/// How many entries (or the file as a whole) have something wrong.
fn broken_entries(mistakes: &[Mistake]) -> usize {
    let mut seen: Vec<Option<&str>> = mistakes.iter().map(|p| p.entry.as_deref()).collect();
    seen.sort();
    seen.dedup();
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_titled_in_jargon_gets_a_warning_not_a_failure() {
        let text = "[[stats]]\nname = \"csat\"\ntitle = \"CSAT\"\ndescription = \"Satisfaction after a ticket closes.\"\ndisplay = \"figures\"\nsql = \"SELECT 1 AS n\"\n";
        let checked = Checked {
            checked: "catalogue.toml".into(),
            result: Ok(Catalogue::parse(text).unwrap()),
        };
        let shown = report(&checked, None);
        assert!(
            shown.contains("warning: catalogue entry `csat`: its title \u{201c}CSAT\u{201d} is in words people rarely ask with"),
            "{shown}"
        );
        assert!(shown.contains("add `examples`"), "{shown}");
        assert!(shown.contains("1 stats hold"), "{shown}");
    }
}
